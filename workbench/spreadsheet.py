"""CSV for spreadsheet programs, both ways: reading what they save, guarding what we write.

- :func:`spreadsheet_csv` reads CSV text a spreadsheet may have saved: with or without a
  BOM, ``,`` ``;`` or tab between the columns, and Excel's ``sep=;`` hint line;
- :func:`neutralise_formulas` prefixes ``'`` to text cells a spreadsheet would run as a
  formula (the exports), and :func:`unneutralise` takes it off again (the import of an
  edited export): ``unneutralise(neutralise_cell(v)) == v`` for every text ``v``;
- :func:`garbled` recognises text a spreadsheet program decoded with the wrong character
  set (UTF-8 read as Windows-1252 or Latin-1, ``Ø§Ù„`` for ``ال``), and
  :data:`READ_AS_UTF8` says how to open a file as UTF-8 in the common programs.

Nothing here depends on other workbench modules; pandas is imported where it is used.
"""

from __future__ import annotations

import operator
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["neutralise_cell", "neutralise_formulas", "neutralise_values", "spreadsheet_csv", "unneutralise",
           "garbled", "READ_AS_UTF8"]

_DELIMITERS = (",", ";", "\t")
# Excel's delimiter hint line, also as spreadsheets re-save it: "sep=;" quoted, or sep=;;;;
# padded to the row width
_SEP_HINT = re.compile(r"[ \t]*\"?sep=([^\r\n\"])[^\n]*(?:\n|\Z)", re.IGNORECASE)

_NUMBER = re.compile(r"-\d+(?:[.,]\d+)?(?:[eE][-+]?\d+)?")
_FORMULA_START = ("=", "+", "@", "\t", "\r")
#: The first characters of a cell that may start a formula (or the guard's ``'``), and the
#: first character of a text.
_RISKY_STARTS = ("-", "=", "+", "@", "\t", "\r", "'")
_FIRST = operator.itemgetter(slice(0, 1))


def spreadsheet_csv(text: str) -> tuple[str, str, int]:
    """How to read CSV text that a spreadsheet program may have saved.

    Spreadsheets in many locales (Arabic and French among them) save with ``;``, and
    Excel may put a ``sep=;`` hint line first. The delimiter is the hint's, or the one of
    ``,`` ``;`` tab that the header line holds most (``,`` for a one-column header).

    Parameters
    ----------
    text : str
        Decoded CSV text (a leading BOM is ignored).

    Returns
    -------
    tuple
        ``(delimiter, text, skipped)``: the text without the hint line, and how many
        lines were taken off before the header (0 or 1).
    """
    text = text.lstrip("\ufeff")
    hint = _SEP_HINT.match(text)
    if hint:
        return hint.group(1), text[hint.end():], 1
    first = text.split("\n", 1)[0]
    return max(_DELIMITERS, key=first.count), text, 0


def _guarded(value: str) -> bool:
    """Whether a text cell must get a ``'`` in front: it would start a formula, or it
    already starts with a ``'`` that a reader would take for the guard."""
    if value.startswith(_FORMULA_START) or (value[:1] == "-" and not _NUMBER.fullmatch(value)):
        return True
    return value[:1] == "'" and _guarded(value[1:])


def neutralise_cell(value: Any) -> Any:
    """One cell as :func:`neutralise_formulas` writes it (non-text values unchanged)."""
    if isinstance(value, str) and value and _guarded(value):
        return "'" + value
    return value


def unneutralise(value: str) -> str:
    """Undo :func:`neutralise_cell`: ``'=x`` → ``=x``; a ``'`` it did not add stays."""
    if value.startswith("'") and _guarded(value[1:]):
        return value[1:]
    return value


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix ``'`` to text cells a spreadsheet would run as a formula.

    A cell is neutralised when it starts with ``=``, ``+``, ``@``, a tab or a carriage
    return, or with ``-`` unless the whole cell is a plain number (``-3``, ``-2.5``), as
    OWASP's CSV-injection advice recommends; and when it starts with ``'`` followed by
    such a cell, so that :func:`unneutralise` gives back exactly what was written.
    Numeric columns are never touched; column names get the same treatment.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any table.

    Returns
    -------
    pandas.DataFrame
        A new DataFrame with the same columns and dtypes.
    """
    import pandas as pd

    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_object_dtype(series.dtype) or pd.api.types.is_string_dtype(series.dtype):
            if not _risky(series.dropna().tolist()):
                continue  # most columns hold no cell that could start a formula
            values = series.tolist()
            out[column] = pd.Series([neutralise_cell(v) for v in values], index=series.index,
                                    dtype=series.dtype, name=column)
    out.columns = [neutralise_cell(c) for c in out.columns]
    return out


def _risky(values: list) -> bool:
    """Whether any of ``values`` starts the way a formula may (a quick test over the column
    that :func:`neutralise_cell` then makes exact; missing values, None or NaN, are left out)."""
    try:
        firsts = set(map(_FIRST, values))
    except TypeError:  # not all text
        firsts = {str(v)[:1] for v in values if v is not None and v == v}
    return not firsts.isdisjoint(_RISKY_STARTS)


def neutralise_values(values: list) -> list:
    """The cells of one text column as :func:`neutralise_formulas` writes them: ``values``
    itself when none could start a formula, else a new list (missing values, None or NaN,
    stay as they are)."""
    if not _risky(values):
        return values
    return [neutralise_cell(v) for v in values]


#: How to open a CSV as UTF-8 in the spreadsheet programs analysts use.
READ_AS_UTF8 = (
    "open the exported file as UTF-8 and make the edits again — Excel: Data > From Text/CSV, File "
    "origin '65001: Unicode (UTF-8)'; LibreOffice Calc: Character set 'Unicode (UTF-8)' in the Text "
    "Import dialog; Google Sheets: File > Import > Upload (it reads UTF-8), then File > Download > "
    "Comma-separated values (.csv)"
)


def _as_windows_byte(ch: str) -> bytes | None:
    try:
        return ch.encode("cp1252")
    except UnicodeEncodeError:
        return bytes([ord(ch)]) if ord(ch) < 256 else None  # bytes Windows-1252 leaves undefined


def garbled(text: str) -> str | None:
    """What ``text`` was before a program read its UTF-8 bytes as Windows-1252 (or Latin-1).

    Parameters
    ----------
    text : str
        A cell or a column name.

    Returns
    -------
    str or None
        The text as written (``"ال"`` for ``"Ø§Ù„"``), or None when ``text`` is not such a
        misreading. Arabic text never is (it has no Windows-1252 bytes), nor is text in
        plain ASCII or ordinary accented Latin.
    """
    if text.isascii():
        return None
    raw = bytearray()
    for ch in text:
        byte = _as_windows_byte(ch)
        if byte is None:
            return None
        raw += byte
    try:
        before = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return before if before != text else None
