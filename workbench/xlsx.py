"""Excel workbooks (``.xlsx``) for analysts: written with XlsxWriter, read with openpyxl.

Every sheet is right-to-left, with a frozen header row, an autofilter, column widths that
fit their content and wrapped text in long columns. Cells keep their types: booleans are
booleans, numbers numbers, dates dates, and text is always written as a text cell — a cell
starting with ``=`` or ``+`` is the text the article has, never a formula — exactly as
written, Arabic in logical order. (XlsxWriter's ``write_string`` never reads a string as
a formula, number or link; its ``strings_to_*`` options are off as well.)

XlsxWriter rather than openpyxl writes: it has right-to-left sheets, typed writes that
cannot turn text into a formula, and it is fast for large sheets. openpyxl, a second,
independent library, reads workbooks back (the spreadsheet import and the tests).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import re
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .display import has_arabic
from .files import unpacking_problem, write_atomically

__all__ = ["write_workbook", "read_sheet", "cell_text", "WorkbookError", "MAX_CELL_CHARS", "MAX_ROWS"]

#: Excel's limits: characters in one cell, rows in one sheet.
MAX_CELL_CHARS = 32_767
MAX_ROWS = 1_048_576
_WIDEST = 60  # columns wider than this wrap their text
_WRAP_AT = 50
_SCAN = 2_000  # rows looked at to size a column
_LINE_HEIGHT = 15.0  # points, for the default 11-point font
_MAX_LINES = 12
_FIT_WIDTH = 200  # characters: narrower sheets are printed shrunk to the page's width
#: OOXML escapes characters XML cannot hold as ``_xHHHH_`` (control characters, U+FFFE,
#: U+FFFF), and the ``_`` of text that looks like an escape as ``_x005F_``; Excel, XlsxWriter
#: and LibreOffice (in lower case) write these, openpyxl leaves them escaped. Read left to
#: right, so ``_x005F_x000D_`` is the text ``_x000D_``.
_ESCAPED = re.compile(r"_x(00[01][0-9a-f]|005f|fff[ef])_", re.IGNORECASE)
_STRONG = re.compile(r"[^\W\d_]")  # a letter: Arabic, Latin or any other script
_HEADER = {
    "bold": True,
    "bg_color": "#DDE4EE",
    "bottom": 1,
    "text_wrap": True,
    "valign": "top",
    "align": "right",
}
_EDITABLE_HEADER = {**_HEADER, "bg_color": "#FFE699"}
#: The number format of boolean cells: LibreOffice shows a boolean without it as 0 / 1 (beside
#: numbers that share its style), and saves the workbook's booleans again as 0 / 1 with it.
_BOOLEAN = '"TRUE";"TRUE";"FALSE"'


class WorkbookError(ValueError):
    """A workbook that cannot be written or read; the message names the file and the problem."""

    def __init__(self, path: str | os.PathLike, problems: list[str]):
        self.path = Path(path)
        self.problems = list(problems)
        super().__init__(f"{self.path}: " + "; ".join(self.problems))


def _right_to_left(text: str) -> bool:
    """Whether a cell reads right to left: its first letter is Arabic (the first strong
    character, as the Unicode bidirectional algorithm decides a paragraph's direction), so a
    URL with an Arabic slug or a rule such as "verb=قال" reads left to right."""
    first = _STRONG.search(text)
    return first is not None and has_arabic(first.group())


def _kind(series: pd.Series) -> str:
    """How a column's cells are written: bool, int, float, datetime or cell (per value)."""
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(dtype):
        return "int"
    if pd.api.types.is_float_dtype(dtype):
        return "float"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "datetime"
    return "cell"


def _shown_length(value: Any) -> int:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return 0
    text = value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else str(value)
    return max((len(line) for line in text.split("\n")), default=0)


def _width(name: str, values: list) -> tuple[float, bool]:
    """A column's width (in characters) and whether its cells wrap."""
    longest = max([_shown_length(v) for v in values[:_SCAN]] + [0])
    wrap = longest > _WRAP_AT or any(isinstance(v, str) and "\n" in v for v in values[:_SCAN])
    header = max(len(word) for word in str(name).split() or [""])
    return float(min(max(longest, header, 6) + 2, _WIDEST)), wrap


def _lines(text: str, width: float) -> int:
    """About how many lines ``text`` takes in a wrapped column ``width`` characters wide."""
    per_line = max(width, 1.0)
    return sum(max(1, math.ceil(len(line) / per_line)) for line in text.split("\n"))


class _Writer:
    """One workbook being written: its formats and the typed write of one cell."""

    def __init__(self, workbook: Any):
        self.book = workbook
        make = workbook.add_format
        self.header = make(_HEADER)
        self.editable_header = make(_EDITABLE_HEADER)
        plain, wrap = {"valign": "top"}, {"valign": "top", "text_wrap": True}
        # an editable text column is formatted as text ("@"), so that what the analyst types
        # there stays the text typed: 0123 is not the number 123, 1/2 not a date, =1+1 not a formula
        typed_plain, typed_wrap = {**plain, "num_format": "@"}, {**wrap, "num_format": "@"}
        self.plain, self.wrap = make(plain), make(wrap)
        self.typed = {False: make(typed_plain), True: make(typed_wrap)}  # by wrap
        # a cell of Arabic text reads right to left, so that wrapped lines and the punctuation at
        # their ends fall where an Arabic reader expects them; Latin ids, keys, URLs keep their order
        self.rtl = {
            fmt: make({**spec, "reading_order": 2})
            for fmt, spec in ((self.plain, plain), (self.wrap, wrap), (self.typed[False], typed_plain),
                              (self.typed[True], typed_wrap))
        }
        self.boolean = make({"valign": "top", "num_format": _BOOLEAN})
        self.fraction = make({"valign": "top", "num_format": "0.0##"})  # shown to 3 places, stored exactly
        self.date = make({"valign": "top", "num_format": "yyyy-mm-dd"})
        self.datetime = make({"valign": "top", "num_format": "yyyy-mm-dd hh:mm:ss"})

    def cell(self, sheet: Any, row: int, col: int, value: Any, text_format: Any, where: str) -> None:
        if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
            return
        if isinstance(value, bool):
            sheet.write_boolean(row, col, value, self.boolean)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            sheet.write_number(row, col, value, self.fraction if isinstance(value, float) else self.plain)
        elif isinstance(value, dt.datetime):
            sheet.write_datetime(row, col, value.replace(tzinfo=None), self.datetime)
        elif isinstance(value, dt.date):
            sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time()), self.date)
        else:
            text = str(value)
            if len(text) > MAX_CELL_CHARS:
                raise ValueError(
                    f"{where}: {len(text):,} characters, more than an Excel cell holds "
                    f"({MAX_CELL_CHARS:,}); use the CSV export for this table"
                )
            if text_format in self.rtl and _right_to_left(text):
                text_format = self.rtl[text_format]
            sheet.write_string(row, col, text, text_format)

    def sheet(self, name: str, frame: pd.DataFrame, *, editable: Sequence[str] = ()) -> None:
        if len(frame) + 1 > MAX_ROWS:
            raise ValueError(
                f"sheet {name!r}: {len(frame):,} rows, more than an Excel sheet holds "
                f"({MAX_ROWS - 1:,} below the header); use the CSV export"
            )
        sheet = self.book.add_worksheet(name)
        sheet.right_to_left()
        columns = [str(c) for c in frame.columns]
        for col, column in enumerate(columns):
            header = self.editable_header if column in editable else self.header
            self.cell(sheet, 0, col, column, header, f"sheet {name!r}, header")
        lines = [1] * len(frame)  # text lines of each row, for its height
        total, widths = 0.0, []
        for col, column in enumerate(columns):
            series = frame.iloc[:, col]
            values = series.tolist()
            width, wrap = _width(column, values)
            typed = column in editable and _kind(series) == "cell"
            text_format = self.typed[wrap] if typed else self.wrap if wrap else self.plain
            sheet.set_column(col, col, width, text_format if typed else None)  # blank cells too
            widths.append(width)
            total += width
            if _kind(series) == "datetime":
                values = [None if pd.isna(v) else v.to_pydatetime() for v in series]
            for row, value in enumerate(values, start=1):
                self.cell(
                    sheet, row, col, value, text_format, f"sheet {name!r}, row {row + 1}, column {column!r}"
                )
                if wrap and isinstance(value, str):
                    lines[row - 1] = max(lines[row - 1], _lines(value, width))
        # the header wraps too, beside its filter button
        lines.insert(0, max([_lines(column, widths[i] - 3) for i, column in enumerate(columns)] + [1]))
        for row, count in enumerate(lines):
            if count > 1:  # spreadsheet programs do not grow rows on opening a file
                sheet.set_row(row, _LINE_HEIGHT * min(count, _MAX_LINES))
        sheet.freeze_panes(1, 0)
        if columns:
            sheet.autofilter(0, 0, max(len(frame), 1), len(columns) - 1)
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        if total <= _FIT_WIDTH:
            sheet.fit_to_pages(1, 0)  # printed: all columns on the page's width
        sheet.repeat_rows(0)


def write_workbook(
    sheets: Mapping[str, pd.DataFrame],
    path: str | os.PathLike,
    *,
    editable: Mapping[str, Sequence[str]] | None = None,
) -> Path:
    """Write tables as one workbook, a sheet per table, atomically.

    Parameters
    ----------
    sheets : mapping of str to pandas.DataFrame
        Sheet name (at most 31 characters, none of ``[]:*?/\\``) → table, in sheet order.
        A non-default index is written as leading column(s).
    path : str or os.PathLike
        The ``.xlsx`` file to (over)write.
    editable : mapping of str to sequence of str, optional
        Columns, by sheet, the analyst is meant to edit: their headers are yellow, and those
        holding text are formatted as text, so that what is typed into them stays as typed.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    ValueError
        When a table has more rows, or a cell more characters, than Excel allows (the
        message names the sheet, row and column); nothing is written.
    """
    import xlsxwriter

    editable = editable or {}
    buffer = io.BytesIO()
    options = {
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_numbers": False,
        "strings_to_urls": False,
    }
    book = xlsxwriter.Workbook(buffer, options)
    try:
        writer = _Writer(book)
        for name, frame in sheets.items():
            if not isinstance(frame.index, pd.RangeIndex) or frame.index.name is not None:
                frame = frame.reset_index()
            writer.sheet(name, frame, editable=editable.get(name, ()))
    finally:
        book.close()
    return write_atomically(path, lambda handle: handle.write(buffer.getvalue()), binary=True)


def cell_text(value: Any) -> str:
    """A cell's value as the text a CSV of the sheet would hold.

    Parameters
    ----------
    value : object
        A value openpyxl read: str, bool, int, float, date, datetime, time or None.

    Returns
    -------
    str
        Text exactly as written (characters XML cannot hold, which the file escapes as
        ``_xHHHH_``, and text that looks like such an escape, restored); ``"TRUE"`` /
        ``"FALSE"``; whole numbers without ``.0``; dates as ISO text (a datetime at
        midnight as its date); ``""`` for an empty cell.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, str):
        return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), value)
    return str(value)


def _value(cell: Any) -> Any:
    """A cell's value; 0 or 1 shown as a boolean (LibreOffice saves booleans so) as a bool."""
    value = cell.value
    if value.__class__ in (int, float) and value in (0, 1) and cell.number_format == _BOOLEAN:
        return bool(value)
    return value


def _check_unpacking(path: Path) -> None:
    """Refuse a zip bomb before openpyxl unpacks it (a zip file that is not one is left to it)."""
    try:
        with zipfile.ZipFile(path) as archive:
            problem = unpacking_problem(archive)
    except (zipfile.BadZipFile, OSError):
        return
    if problem:
        raise WorkbookError(path, [f"{problem}: not a workbook a spreadsheet program saved; "
                                   "nothing was read"])


def _load_workbook(path: Path) -> Any:
    """openpyxl's read-only workbook, its shared strings as the file holds them.

    openpyxl takes every ``x005F_`` out of shared strings, which makes the text ``_x000D_``
    (written ``_x005F_x000D_``) a carriage return and ``_x005F_`` a lone ``_``; read
    exactly, :func:`cell_text` undoes each escape once.
    """
    from openpyxl.cell.text import Text
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    class ExactStrings(ExcelReader):
        def read_strings(self) -> None:
            part = self.package.find(SHARED_STRINGS)
            if part is None:
                return
            tag, strings = f"{{{SHEET_MAIN_NS}}}si", []
            with self.archive.open(part.PartName[1:]) as source:
                for _, node in iterparse(source):
                    if node.tag == tag:
                        strings.append(Text.from_tree(node).content)
                        node.clear()
            self.shared_strings = strings

    reader = ExactStrings(path, read_only=True, data_only=True)
    reader.read()
    return reader.wb


def read_sheet(path: str | os.PathLike, *, sheet: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Read one sheet of a workbook as text, the way a CSV of it would read.

    Parameters
    ----------
    path : str or os.PathLike
        An ``.xlsx`` file, as written by :func:`write_workbook` or saved by a spreadsheet
        program.
    sheet : str
        The sheet's name.

    Returns
    -------
    header : list of str
        The first row's cells (see :func:`cell_text`; a 0 or 1 in the boolean format, as
        LibreOffice saves a boolean again, reads ``TRUE`` / ``FALSE``).
    rows : list of (int, list of str)
        Each further row with its row number (the header is row 1), padded or cut to the
        header's length; rows with no value at all are left out.

    Raises
    ------
    WorkbookError
        When the file is missing, is not an ``.xlsx`` workbook, or has no such sheet.
    """
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    if not path.is_file():
        raise WorkbookError(path, ["no such file"])
    _check_unpacking(path)
    try:
        book = _load_workbook(path)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise WorkbookError(
            path,
            [
                f"not an Excel workbook ({type(exc).__name__}: {exc}); save it in the "
                "'Excel 2007-365 (.xlsx)' format"
            ],
        ) from None
    try:
        if sheet not in book.sheetnames:
            raise WorkbookError(
                path,
                [
                    f"no sheet named {sheet!r} (the workbook has {book.sheetnames}); "
                    "keep the sheet the export wrote, with its name"
                ],
            )
        worksheet = book[sheet]
        worksheet.reset_dimensions()  # some programs record a wrong used range
        values = [[_value(cell) for cell in row] for row in worksheet.iter_rows()]
    finally:
        book.close()
    if not values:
        return [], []
    header = [cell_text(v) for v in values[0]]
    while header and not header[-1]:
        header.pop()
    rows = []
    for number, row in enumerate(values[1:], start=2):
        if all(v is None or v == "" for v in row):
            continue
        cells = [cell_text(v) for v in row[: len(header)]]
        rows.append((number, cells + [""] * (len(header) - len(cells))))
    return header, rows
