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
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from .checks import check_choice

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from pandas.io.formats.style import Styler

__all__ = [
    "LABELS",
    "arabic_font",
    "assume_shaping",
    "codebook_entries",
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


def _as_mapping(obj: Any) -> Mapping[str, Any] | None:
    if isinstance(obj, Mapping):
        return obj
    for attr in ("to_dict", "_asdict"):
        if hasattr(obj, attr) and not isinstance(obj, type):
            try:
                out = getattr(obj, attr)()
            except TypeError:
                continue
            if isinstance(out, Mapping):
                return out
    if hasattr(obj, "__dict__") and not isinstance(obj, (str, type)):
        return vars(obj)
    return None


def _entry(record: Any) -> tuple[str, str, str] | None:
    """(key, ar, en) from a codebook topic/actor record in any common shape."""
    rec = _as_mapping(record)
    if rec is None:
        return None
    key = rec.get("key", rec.get("id"))
    if key is None:
        return None
    ar = rec.get("label_ar", rec.get("name_ar", rec.get("ar")))
    en = rec.get("label_en", rec.get("name_en", rec.get("en")))
    return str(key), ("" if ar is None else str(ar)), ("" if en is None else str(en))


def _entries(collection: Any) -> Iterator[tuple[str, str, str]]:
    if collection is None:
        return
    if hasattr(collection, "to_dict") and hasattr(collection, "columns"):  # DataFrame
        collection = collection.to_dict("records")
    elif isinstance(collection, Mapping):
        items = []
        for key, value in collection.items():
            rec = _as_mapping(value)
            if rec is None and isinstance(value, (tuple, list)) and len(value) == 2:
                rec = {"ar": value[0], "en": value[1]}
            if rec is None:
                continue
            rec = dict(rec)
            rec.setdefault("key", key)
            items.append(rec)
        collection = items
    for record in collection:
        if isinstance(record, str):  # a bare key, as in Store.codebook()["topics"]
            yield record, "", ""
            continue
        got = _entry(record)
        if got is not None:
            yield got


_KINDS = ("topics", "actors", "statement_types")


@functools.lru_cache(maxsize=1)
def _default_entries() -> dict[str, tuple[tuple[str, str, str], ...]]:
    try:
        from workbench.codebook import load_codebook
    except ImportError:
        return {name: () for name in (*_KINDS, "other")}
    try:
        return codebook_entries(load_codebook())
    except Exception:  # a broken default codebook must not break display
        return {name: () for name in (*_KINDS, "other")}


def codebook_entries(codebook: Any = None) -> dict[str, tuple[tuple[str, str, str], ...]]:
    """List a codebook's topics, actors and statement types in order, with labels.

    Parameters
    ----------
    codebook : Codebook, mapping, Store or None, default None
        A codebook from :func:`workbench.codebook.load_codebook` (its
        ``topics`` with key, label_ar, label_en and ``actors`` with id,
        name_ar, name_en); a dict with "topics" / "actors" lists of such
        records (or of bare keys with a "labels" dict, as
        :meth:`workbench.store.Store.codebook` returns); a
        :class:`workbench.store.Store` (the codebook that annotated it); or a
        plain label dict ``{key: {"ar": ..., "en": ...}}`` or ``{key: (ar, en)}``
        (kind unknown: listed under "other"). None uses the default codebook
        when it can be loaded, else nothing.

    Returns
    -------
    dict
        ``{"topics": ((key, ar, en), ...), "actors": (...),
        "statement_types": (...), "other": (...)}``.
    """
    if codebook is None:
        return _default_entries()
    if callable(getattr(codebook, "codebook", None)):  # a Store: the codebook of its latest run
        codebook = codebook.codebook()
    parts = {name: getattr(codebook, name, None) for name in _KINDS}
    other = None
    if all(p is None for p in parts.values()):
        if isinstance(codebook, Mapping) and set(_KINDS) & set(codebook):
            parts = {name: codebook.get(name) for name in _KINDS}
        else:
            other = codebook
    out = {name: tuple(_entries(part)) for name, part in parts.items()}
    out["other"] = tuple(_entries(other))
    stored = codebook.get("labels") if isinstance(codebook, Mapping) else None
    if isinstance(stored, Mapping):  # Store.codebook(): keys plus {"labels": {kind: {key: {ar, en}}}}
        for name in _KINDS:
            found = stored.get(name) or {}
            out[name] = tuple(
                (key, ar or found.get(key, {}).get("ar", ""), en or found.get(key, {}).get("en", ""))
                for key, ar, en in out[name]
            )
    return out


def label_lookup(codebook: Any = None) -> dict[str, tuple[str, str]]:
    """Map every topic key and actor id to its (Arabic, English) labels.

    Parameters
    ----------
    codebook : Codebook, mapping, Store or None, default None
        As for :func:`codebook_entries`.

    Returns
    -------
    dict
        ``{key: (label_ar, label_en)}``; keys not found fall back to the key
        in :func:`label`.
    """
    out: dict[str, tuple[str, str]] = {}
    for entries in codebook_entries(codebook).values():
        for key, ar, en in entries:
            out.setdefault(key, (ar, en))
    return out


def _lookup(codebook: Any) -> Mapping[str, tuple[str, str]]:
    """label_lookup, skipping the work when given its own output."""
    if isinstance(codebook, Mapping) and codebook and all(
        isinstance(v, tuple) and len(v) == 2 and all(isinstance(x, str) for x in v)
        for v in codebook.values()
    ):
        return codebook
    return label_lookup(codebook)


def label(
    key_or_row: Any,
    *,
    labels: str = "ar",
    codebook: Any = None,
) -> str:
    """Return the display label of a topic or actor.

    Parameters
    ----------
    key_or_row : str or record
        A key such as "ukraine", or a record (dict, Series, dataclass) with
        key/id and label_ar/label_en (or name_ar/name_en).
    labels : {"ar", "en", "both"}, default "ar"
        Which language; "both" gives "عربي (English)".
    codebook : Codebook, mapping, Store or None, default None
        Where keys are looked up (see :func:`label_lookup`).

    Returns
    -------
    str
        The label in logical order; a missing label falls back to the other
        language, then to the key itself.
    """
    check_choice("labels", labels, LABELS)
    if isinstance(key_or_row, str):
        key = key_or_row
        ar, en = _lookup(codebook).get(key, ("", ""))
    else:
        got = _entry(key_or_row)
        if got is None:
            return str(key_or_row)
        key, ar, en = got
        if not (ar or en):
            ar, en = _lookup(codebook).get(key, ("", ""))
    ar = ar or en or key
    en = en or key
    if labels == "ar":
        return ar
    if labels == "en":
        return en
    return ar if ar == en else f"{ar} ({en})"


# ---------------------------------------------------------------- notebooks


def styled_rtl(df: "pd.DataFrame") -> "Styler":
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
