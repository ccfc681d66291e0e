"""How Arabic is shown: the one place that decides.

Text is stored, searched and exported in logical order, exactly as written.
Renderers differ in what they do with it:

- matplotlib >= 3.11 (built with libraqm) and browsers shape Arabic and run
  the Unicode bidi algorithm themselves, so they get logical text;
- older matplotlib and plain terminals draw code points one by one, left to
  right, so they get text run through ``arabic_reshaper.reshape`` (joined
  presentation forms) and ``bidi.get_display`` (visual order).

Feeding already reshaped and reordered text to a renderer that shapes draws
it reversed, silently; this module is the only place that calls the two
libraries.
"""

from __future__ import annotations

import contextlib
import functools
import html
import re
import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .checks import check_choice
from .codebook import (
    Actor,
    CodebookEntry,
    CodebookLike,
    CodebookSummary,
    StatementType,
    Topic,
    default_summary,
    summary_of,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from pandas.io.formats.style import Styler

__all__ = [
    "LABELS",
    "arabic_font",
    "assume_shaping",
    "codebook_entries",
    "codebook_or_default",
    "for_matplotlib",
    "for_terminal",
    "has_arabic",
    "html_rtl",
    "label",
    "label_lookup",
    "renderer_shapes_arabic",
    "styled_rtl",
]

#: The label languages every table and chart accepts.
LABELS = {"ar": "Arabic", "en": "English", "both": "Arabic and English"}

#: Fonts preferred for Arabic, best first; DejaVu Sans ships with matplotlib
#: and covers the Arabic block and its presentation forms.
ARABIC_FONTS = (
    "Noto Naskh Arabic",
    "Noto Sans Arabic",
    "Noto Naskh Arabic UI",
    "Noto Sans Arabic UI",
    "Amiri",
    "Scheherazade New",
    "DejaVu Sans",
)

_ARABIC = re.compile(
    "[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]"
)

# None: ask the renderer; True/False: tests and users simulating one.
_SHAPING_OVERRIDE: dict[str, bool] = {}


def has_arabic(text: str) -> bool:
    """Return True when ``text`` contains an Arabic letter or mark.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    bool
    """
    return bool(_ARABIC.search(text))


def _matplotlib_shapes() -> bool:
    import matplotlib.ft2font as ft2font

    return hasattr(ft2font, "__libraqm_version__")


_RENDERERS = {
    "matplotlib": _matplotlib_shapes,
    "terminal": lambda: False,
    "html": lambda: True,
}


def renderer_shapes_arabic(*, renderer: str = "matplotlib") -> bool:
    """Tell whether a renderer shapes Arabic and applies bidi by itself.

    Parameters
    ----------
    renderer : {"matplotlib", "terminal", "html"}, default "matplotlib"
        matplotlib shapes when it was built with libraqm
        (``matplotlib.ft2font.__libraqm_version__`` exists, matplotlib >= 3.11);
        a plain terminal never does; a browser always does.

    Returns
    -------
    bool
        True when the renderer must be given logical text; an override set
        with :func:`assume_shaping` wins.
    """
    check_choice("renderer", renderer, _RENDERERS)
    if renderer in _SHAPING_OVERRIDE:
        return _SHAPING_OVERRIDE[renderer]
    return bool(_RENDERERS[renderer]())


@contextlib.contextmanager
def assume_shaping(shapes: bool, *, renderer: str = "matplotlib") -> Iterator[None]:
    """Within the block, behave as if ``renderer`` did (or did not) shape Arabic.

    Used to simulate an older matplotlib without libraqm (``shapes=False``)
    in tests, or to force the fallback when exporting for a renderer that
    does not shape. Nothing global in matplotlib is changed.

    Parameters
    ----------
    shapes : bool
        What :func:`renderer_shapes_arabic` should answer inside the block.
    renderer : {"matplotlib", "terminal", "html"}, default "matplotlib"
        Which renderer to pretend about.

    Yields
    ------
    None
    """
    check_choice("renderer", renderer, _RENDERERS)
    had = renderer in _SHAPING_OVERRIDE
    old = _SHAPING_OVERRIDE.get(renderer)
    _SHAPING_OVERRIDE[renderer] = bool(shapes)
    try:
        yield
    finally:
        if had:
            _SHAPING_OVERRIDE[renderer] = old  # type: ignore[assignment]
        else:
            _SHAPING_OVERRIDE.pop(renderer, None)


def _base_dir(line: str) -> str:
    """'R' or 'L' from the first strong character, like HTML's dir="auto"."""
    for ch in line:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return "R"
        if kind == "L":
            return "L"
    return "R"


def _visual(text: str) -> str:
    """Reshape and reorder for a renderer that cannot shape, line by line."""
    if not has_arabic(text):
        return text
    import arabic_reshaper
    from bidi import get_display

    lines = []
    for line in text.split("\n"):
        if has_arabic(line):
            line = get_display(arabic_reshaper.reshape(line), base_dir=_base_dir(line))
        lines.append(line)
    return "\n".join(lines)


def _shown(text: str, shapes: bool | None, renderer: str) -> str:
    text = str(text)
    if shapes is None:
        shapes = renderer_shapes_arabic(renderer=renderer)
    return text if shapes else _visual(text)


def for_matplotlib(text: str, *, shapes: bool | None = None) -> str:
    """Return ``text`` as matplotlib should be given it.

    Parameters
    ----------
    text : str
        Text in logical order, as stored.
    shapes : bool or None, default None
        Whether the matplotlib in use shapes Arabic; None asks
        :func:`renderer_shapes_arabic`.

    Returns
    -------
    str
        ``text`` unchanged when matplotlib shapes (3.11 with libraqm);
        otherwise reshaped to presentation forms and put in visual order,
        each line separately, with the base direction of its first strong
        character.
    """
    return _shown(text, shapes, "matplotlib")


def for_terminal(text: str, *, shapes: bool | None = None) -> str:
    """Return ``text`` as a plain terminal should print it.

    Parameters
    ----------
    text : str
        Text in logical order, as stored.
    shapes : bool or None, default None
        Whether the terminal shapes Arabic; None asks
        :func:`renderer_shapes_arabic` (terminals do not, unless overridden).

    Returns
    -------
    str
        Reshaped, visual-order text (or ``text`` unchanged when it has no
        Arabic or the terminal shapes). Never store or export the result.
    """
    return _shown(text, shapes, "terminal")


_HTML_DIRS = {"rtl": "right to left", "auto": "from the first strong character", "ltr": "left to right"}


def html_rtl(text: str, *, direction: str = "rtl") -> str:
    """Wrap ``text`` for a browser: HTML-escaped, logical order, with a direction.

    Parameters
    ----------
    text : str
        Text in logical order.
    direction : {"rtl", "auto", "ltr"}, default "rtl"
        The ``dir`` attribute; use "auto" for text that may be English.

    Returns
    -------
    str
        ``<span dir="rtl">…</span>`` with ``text`` escaped (``&``, ``<``,
        ``>``, quotes) and otherwise unchanged.
    """
    check_choice("direction", direction, _HTML_DIRS)
    return f'<span dir="{direction}">{html.escape(str(text), quote=True)}</span>'


@functools.lru_cache(maxsize=1)
def arabic_font() -> str:
    """Name the font family charts use for Arabic.

    Returns
    -------
    str
        The first of Noto Naskh Arabic, Noto Sans Arabic, Amiri,
        Scheherazade New that matplotlib can find, else "DejaVu Sans"
        (shipped with matplotlib; covers Arabic).
    """
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    for name in ARABIC_FONTS:
        if name in installed:
            return name
    return "DejaVu Sans"


def font_rc() -> dict[str, Any]:
    """rcParams for a ``plt.rc_context`` inside a plot function.

    Returns
    -------
    dict
        ``{"font.family": [arabic_font(), "DejaVu Sans"], ...}``; meant for
        ``with plt.rc_context(font_rc()):`` — never set globally.
    """
    family = [arabic_font()]
    if family[0] != "DejaVu Sans":
        family.append("DejaVu Sans")
    return {"font.family": family, "axes.unicode_minus": False}


# ---------------------------------------------------------------- labels


def codebook_or_default(codebook: CodebookLike | None) -> CodebookSummary:
    """The summary of ``codebook``; of the default codebook when it is None."""
    summary = summary_of(codebook)
    return summary if summary is not None else default_summary()


def codebook_entries(codebook: CodebookLike | None = None) -> dict[str, tuple[tuple[str, str, str], ...]]:
    """A codebook's topics, actors and statement types as ``(key, label_ar, label_en)`` tuples.

    Kept from before issue 12 for code written against it; new code reads
    :func:`codebook_or_default` (one :class:`~workbench.codebook.CodebookSummary`).

    Parameters
    ----------
    codebook : Codebook, CodebookSummary, Store or None, default None
        As for :func:`label_lookup`.

    Returns
    -------
    dict
        ``{"topics": ((key, ar, en), ...), "actors": (...), "statement_types": (...),
        "other": ()}``, each in codebook order.
    """
    summary = codebook_or_default(codebook)
    kinds = {kind: getattr(summary, kind) for kind in ("topics", "actors", "statement_types")}
    out = {kind: tuple((e.key, e.label_ar, e.label_en) for e in entries) for kind, entries in kinds.items()}
    return out | {"other": ()}


def label_lookup(codebook: CodebookLike | None = None) -> dict[str, tuple[str, str]]:
    """Map every topic key, actor id and statement type to its (Arabic, English) labels.

    Parameters
    ----------
    codebook : Codebook, CodebookSummary, Store or None, default None
        Where the labels come from (a store: the codebook of its latest run); None uses
        the default codebook.

    Returns
    -------
    dict
        ``{key: (label_ar, label_en)}`` (``""`` for a label the codebook lacks); a topic
        wins over an actor of the same key.
    """
    entries = codebook_or_default(codebook).by_key
    return {key: (e.label_ar, e.label_en) for key, e in entries.items()}


def label(
    key: str | CodebookEntry | Topic | Actor | StatementType,
    *,
    labels: str = "ar",
    codebook: CodebookLike | None = None,
) -> str:
    """Return the display label of a topic, actor or statement type.

    Parameters
    ----------
    key : str or codebook entry
        A key such as "ukraine", or an entry with ``key``, ``label_ar`` and ``label_en``
        (a :class:`~workbench.codebook.CodebookEntry`, Topic, Actor or StatementType).
    labels : {"ar", "en", "both"}, default "ar"
        Which language; "both" gives "عربي (English)".
    codebook : Codebook, CodebookSummary, Store or None, default None
        Where keys are looked up (None: the default codebook). Give a summary when
        labelling many keys: a store is read once per call.

    Returns
    -------
    str
        The label in logical order; a missing label falls back to the other
        language, then to the key itself.
    """
    check_choice("labels", labels, LABELS)
    if isinstance(key, (CodebookEntry, Topic, Actor, StatementType)):
        key, ar, en = key.key, key.label_ar, key.label_en
    else:
        key, ar, en = str(key), "", ""
    if not (ar or en):
        entry = codebook_or_default(codebook).by_key.get(key)
        ar, en = (entry.label_ar, entry.label_en) if entry else ("", "")
    ar = ar or en or key
    en = en or key
    if labels == "ar":
        return ar
    if labels == "en":
        return en
    return ar if ar == en else f"{ar} ({en})"


# ---------------------------------------------------------------- notebooks


def styled_rtl(df: pd.DataFrame) -> Styler:
    """Style a DataFrame for a notebook: right-to-left, every cell HTML-escaped.

    Article text is untrusted, so every cell is HTML-escaped (a ``<script>`` in an article
    is shown as text). The table reads right to left; columns holding Arabic are
    right-aligned, and each cell takes its direction from its own first strong letter
    (``unicode-bidi: plaintext``), so identifiers and rule names such as
    ``000_45f5abd8640658e2`` or ``alias:بوتين`` are not reordered.

    Parameters
    ----------
    df : pandas.DataFrame
        Any table; it is not modified.

    Returns
    -------
    pandas.io.formats.style.Styler
        A Styler whose table has ``dir="rtl"`` (the browser shapes the logical text).
    """
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    text_cols = [
        col for col in df.columns
        if not (is_numeric_dtype(df[col]) or is_bool_dtype(df[col]))
    ]
    arabic_cols = [
        col for col in text_cols
        if df[col].map(lambda v: isinstance(v, str) and has_arabic(v)).any()
    ]
    styler = df.style.format(escape="html").format_index(escape="html", axis=0)
    styler = styler.format_index(escape="html", axis=1).set_table_attributes('dir="rtl"')
    if text_cols:
        styler = styler.set_properties(subset=text_cols, **{"unicode-bidi": "plaintext"})
    if arabic_cols:
        styler = styler.set_properties(subset=arabic_cols, **{"text-align": "right"})
    return styler
