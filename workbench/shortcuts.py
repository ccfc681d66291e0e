"""The review panel's keyboard shortcuts: which key does what, and their list for the panel.

Keys are read by their place on the keyboard (``event.code``: ``Digit1``, ``KeyJ`` …), so
they work the same with an Arabic or an English layout. A key pressed with Ctrl, Alt or
the Meta key is left to the browser.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

__all__ = ["SHORTCUTS", "shortcut_action", "shortcuts_html"]

#: (keys as shown, what they do), in the order the panel lists them.
SHORTCUTS = (
    ("1 … 9", "toggle the topic of that number (the numbers in [ ] on the topic buttons)"),
    ("A or Enter", "accept: mark the sentence reviewed as it stands, and go to the next"),
    ("J or ↓", "next sentence"),
    ("K or ↑", "previous sentence"),
    ("U", "undo your last change"),
    ("N", "put the cursor in the note box (move the pointer off the sentence to type)"),
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
        ``previous``, ``undo`` and ``note``; None for any other key, a repeated key held
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
        "<b>Keys</b> (with the pointer over the sentence):"
        f'<table style="border-collapse: collapse;">{rows}</table></div>'
    )
