"""The review panel's keyboard shortcuts: which key does what, and their list for the panel.

Keys are read by their place on the keyboard (``event.code``: ``Digit1``, ``KeyJ`` …), so
they work the same with an Arabic or an English layout. A key pressed with Ctrl, Alt or
the Meta key is left to the browser.

:func:`panel_keys` makes the widget that listens: once the analyst clicks anywhere in the
panel (or tabs into it), the keys work wherever the pointer is, until they click or tab
elsewhere on the page. Keys typed into a box (the note, the actor box, a list) are the
box's, never shortcuts; Esc in a box leaves it and gives the keys back to the panel.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["SHORTCUTS", "panel_keys", "shortcut_action", "shortcuts_html"]

#: (keys as shown, what they do), in the order the panel lists them.
SHORTCUTS = (
    ("1 … 9", "toggle the topic of that number (the numbers in [ ] on the topic buttons)"),
    ("A or Enter", "accept: mark the sentence reviewed as it stands, and go to the next"),
    ("J or ↓", "next sentence"),
    ("K or ↑", "previous sentence"),
    ("U", "undo your last change"),
    ("S", "choose the speaker: ↑ ↓ or the first letters pick one, Esc comes back"),
    ("N", "put the cursor in the note box: type, then Esc (the note is saved)"),
    ("Esc", "leave a box and give the keys back to the panel"),
)

_ACTIONS = {
    "KeyA": "accept",
    "Enter": "accept",
    "NumpadEnter": "accept",
    "KeyJ": "next",
    "ArrowDown": "next",
    "KeyK": "previous",
    "ArrowUp": "previous",
    "KeyU": "undo",
    "KeyN": "note",
    "KeyS": "speaker",
}


def shortcut_action(event: Mapping[str, Any]) -> tuple[str, int | None] | None:
    """What a key press asks for.

    Parameters
    ----------
    event : mapping
        A ``keydown`` event as ipyevents sends it (``code``, ``key``, ``ctrlKey`` …).

    Returns
    -------
    tuple or None
        ``("topic", n)`` for digit ``n`` (1–9), ``(action, None)`` for ``accept``, ``next``,
        ``previous``, ``undo``, ``speaker`` and ``note``; None for any other key, a repeated key held
        down, or a key pressed with Ctrl, Alt or Meta.
    """
    if event.get("type", "keydown") != "keydown" or event.get("repeat"):
        return None
    if any(event.get(k) for k in ("ctrlKey", "altKey", "metaKey")):
        return None
    code = str(event.get("code", ""))
    for prefix in ("Digit", "Numpad"):
        if code.startswith(prefix) and code[len(prefix) :].isdigit() and code[len(prefix) :] != "0":
            return "topic", int(code[len(prefix) :])
    action = _ACTIONS.get(code)
    return (action, None) if action else None


def shortcuts_html() -> str:
    """The list of shortcuts the panel shows beside the sentence."""
    rows = "".join(
        f"<tr><td><kbd>{html.escape(keys)}</kbd></td><td>{html.escape(what)}</td></tr>"
        for keys, what in SHORTCUTS
    )
    return (
        '<div class="wb-shortcuts" dir="ltr" style="font-size: 0.8em; color: #595959;">'
        "<b>Keys</b> (click anywhere in the panel first; a blue frame shows they work):"
        f'<table style="border-collapse: collapse;">{rows}</table></div>'
    )


# The listener in the page. It sits on the window (capture), so JupyterLab's own shortcuts
# (A, J, K, digits in a notebook) never see a key the panel takes; it takes keys only while
# the panel is "armed": the last click or focus on the page was inside the panel.
_ESM = """
const TYPING = 'input, textarea, select, [contenteditable=""], [contenteditable="true"]';
function render({ model, el }) {
  el.style.display = 'none';
  const codes = new Set(model.get('codes'));
  let panel = null, armed = false, frame = 0;
  const arm = (on) => { armed = on; if (panel) { panel.classList.toggle('wb-keys-on', on); } };
  const inside = (node) => panel !== null && panel.isConnected && node instanceof Node
    && panel.contains(node);
  const onPointer = (e) => arm(inside(e.target));
  const onFocus = (e) => arm(inside(e.target));
  const onKey = (e) => {
    if (!armed || !panel || !panel.isConnected || e.ctrlKey || e.altKey || e.metaKey) { return; }
    const active = document.activeElement;
    if (active && active !== document.body && !panel.contains(active)) { arm(false); return; }
    const box = e.target instanceof Element ? e.target.closest(TYPING) : null;
    if (box) {  // the box's own key; a list's arrows must not reach JupyterLab (it would change cells)
      if (e.key === 'Escape') { box.blur(); panel.focus({ preventScroll: true }); e.stopPropagation(); }
      else if (box.tagName === 'SELECT') { e.stopPropagation(); }
      return;
    }
    if (!codes.has(e.code)) { return; }
    e.preventDefault();
    e.stopPropagation();
    const target = model.get('focus')[e.code];
    if (target && panel.querySelector(target)) { panel.querySelector(target).focus(); }
    if (!e.repeat) { model.send({ type: 'keydown', code: e.code, key: e.key, repeat: e.repeat }); }
  };
  const attach = () => {
    panel = el.closest(model.get('container'));
    if (!panel) { frame = requestAnimationFrame(attach); return; }
    if (!panel.hasAttribute('tabindex')) { panel.setAttribute('tabindex', '0'); }
    arm(panel.contains(document.activeElement));
  };
  attach();
  window.addEventListener('keydown', onKey, true);
  document.addEventListener('pointerdown', onPointer, true);
  document.addEventListener('focusin', onFocus, true);
  return () => {
    cancelAnimationFrame(frame);
    window.removeEventListener('keydown', onKey, true);
    document.removeEventListener('pointerdown', onPointer, true);
    document.removeEventListener('focusin', onFocus, true);
  };
}
export default { render };
"""


@functools.cache
def _listener_class() -> type:
    import anywidget
    import traitlets

    class PanelKeys(anywidget.AnyWidget):
        """Sends the panel's shortcut keys to Python (see :func:`panel_keys`)."""

        _esm = traitlets.Unicode(_ESM).tag(sync=True)
        container = traitlets.Unicode().tag(sync=True)
        codes = traitlets.List(traitlets.Unicode()).tag(sync=True)
        focus = traitlets.Dict().tag(sync=True)

    return PanelKeys


def panel_keys(container_class: str, on_key: Callable[[Mapping[str, Any]], None], *,
               focus: Mapping[str, str] | None = None) -> Any:
    """The widget that gives the panel its keys; put it anywhere inside the panel.

    Parameters
    ----------
    container_class : str
        The CSS class of the panel's outer box (the widget listens for that whole box).
    on_key : callable
        Called with each shortcut key pressed, as a ``keydown`` event mapping (``code``,
        ``key``, ``repeat``); see :func:`shortcut_action`.
    focus : mapping, optional
        Keys (by ``event.code``) that put the cursor in a box of the panel, and the CSS
        selector of that box (done in the page, before ``on_key`` hears of the key).

    Returns
    -------
    anywidget.AnyWidget
        An invisible widget. Keys typed into a box of the panel never reach ``on_key``.
    """
    codes = [*_ACTIONS, *(f"{p}{d}" for p in ("Digit", "Numpad") for d in range(1, 10))]
    widget = _listener_class()(container=f".{container_class}", codes=codes, focus=dict(focus or {}))
    widget.on_msg(lambda _widget, content, _buffers: on_key(content))
    return widget
