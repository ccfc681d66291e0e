"""Tests for workbench/xlsx.py: workbooks written with XlsxWriter and read back with
openpyxl (a second, independent library) cell by cell, sheet layout, limits, and reading
sheets as text."""

from __future__ import annotations

import datetime as dt
import subprocess
import zipfile

import openpyxl
import pandas as pd
import pytest
from conftest import soffice

from workbench.xlsx import MAX_CELL_CHARS, WorkbookError, cell_text, read_sheet, write_workbook

#: Text cells that must come back exactly as written, none of them a formula.
TEXTS = [
    "قال الكرملين إن أوكرانيا مهمة.",
    '=HYPERLINK("http://example.com","اضغط")',
    "+1+2",
    "@SUM(A1)",
    "-ابدأ الآن",
    "0123",
    "  مسافة في البداية",
    "سطر أول\nسطر ثانٍ",
    "TRUE",
    "https://example.com/مقال",
    "ـــ تطويل، وتشكيلٌ مُختلفٌ",
]


def _frame() -> pd.DataFrame:
    n = len(TEXTS)
    return pd.DataFrame(
        {
            "text": pd.Series(TEXTS, dtype="str"),
            "n": pd.Series(range(n), dtype="int64"),
            "share": [i / 4 for i in range(n)],
            "flag": [i % 2 == 0 for i in range(n)],
            "day": [dt.date(2022, 3, i + 1) for i in range(n)],
            "maybe": ["", None] + [f"ملاحظة {i}" for i in range(n - 2)],
        }
    )


def test_cells_read_back_by_openpyxl_with_their_types(tmp_path):
    frame = _frame()
    path = write_workbook({"جدول": frame, "second": frame.head(2)}, tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["جدول", "second"]
    sheet = book["جدول"]
    assert [c.value for c in sheet[1]] == list(frame.columns)
    for r, row in enumerate(frame.itertuples(index=False), start=2):
        cells = sheet[r]
        assert cells[0].value == row.text and cells[0].data_type == "s"  # text, never a formula
        assert cells[1].value == row.n and cells[1].data_type == "n"
        assert cells[2].value == row.share and cells[2].number_format == "0.0##"  # stored exactly
        assert cells[3].value is row.flag and cells[3].data_type == "b"
        assert cells[4].value == dt.datetime.combine(row.day, dt.time()) and cells[4].is_date
        assert cells[4].number_format == "yyyy-mm-dd"
        # an empty text stays an empty text, a missing value no value
        assert cells[5].value == (None if pd.isna(row.maybe) else row.maybe)
    assert sheet.max_row == len(frame) + 1


def test_sheet_layout_right_to_left_frozen_filtered_sized_wrapped(tmp_path):
    frame = pd.DataFrame({"id": ["a", "b"], "text": ["كلمة " * 30, "قصير"], "n": [1, 2]})
    book = openpyxl.load_workbook(write_workbook({"s": frame}, tmp_path / "t.xlsx", editable={"s": ["text"]}))
    sheet = book["s"]
    assert sheet.sheet_view.rightToLeft is True
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C3"
    widths = {c: sheet.column_dimensions[c].width for c in "ABC"}
    assert widths["B"] > widths["A"] >= 6 and widths["B"] <= 61
    assert sheet["B2"].alignment.wrap_text is True and not sheet["A2"].alignment.wrap_text
    assert 60 <= widths["B"] < 61 and sheet.row_dimensions[2].height == 45  # 150 characters: 3 lines
    assert sheet.row_dimensions[3].height is None  # one line: the default height
    assert sheet["B1"].fill.fgColor.rgb.endswith("FFE699") and sheet["A1"].fill.fgColor.rgb.endswith("DDE4EE")
    assert sheet["A1"].font.b is True
    # the editable text column is formatted as text, so that typing 0123 or 1/2 there keeps that text
    assert (sheet["B2"].number_format, sheet.column_dimensions["B"].number_format) == ("@", "@")
    assert sheet["A2"].number_format == sheet["C2"].number_format == "General"
    # Arabic cells read right to left (punctuation at the ends of wrapped lines falls right);
    # Latin ids keep the context order, so "000_ab:12" is not reordered
    assert sheet["B2"].alignment.readingOrder == 2 and sheet["B3"].alignment.readingOrder == 2
    assert sheet["A2"].alignment.readingOrder == 0


@pytest.mark.parametrize(
    "text, order",
    [
        ("قال الكرملين إن أوكرانيا مهمة.", 2),
        ("«2022» عام القمة", 2),  # digits and punctuation do not decide
        ("https://example.com/ar/2022/3/مقال-عن-القمة", 0),  # a URL with an Arabic slug reads left to right
        ("verb=قال subject=بوتين", 0),
        ("kremlin", 0),
        ("2022", 0),
    ],
)
def test_cells_read_right_to_left_when_their_first_letter_is_arabic(tmp_path, text, order):
    book = openpyxl.load_workbook(write_workbook({"s": pd.DataFrame({"t": [text]})}, tmp_path / "t.xlsx"))
    assert book["s"]["A2"].alignment.readingOrder == order


def test_index_is_written_as_columns(tmp_path):
    frame = pd.DataFrame({"count": [3, 4]}, index=pd.Index(["ukraine", "iran"], name="topic"))
    book = openpyxl.load_workbook(write_workbook({"t": frame}, tmp_path / "t.xlsx"))
    assert [[c.value for c in row] for row in book["t"].iter_rows()] == [
        ["topic", "count"],
        ["ukraine", 3],
        ["iran", 4],
    ]


@pytest.mark.parametrize(
    "frame, message",
    [
        (
            pd.DataFrame({"text": ["x" * (MAX_CELL_CHARS + 1)]}),
            r"sheet 's', row 2, column 'text': 32,768 characters, more than an Excel cell holds \(32,767\)",
        ),
    ],
)
def test_too_much_for_excel_is_refused_and_the_old_file_kept(tmp_path, frame, message):
    path = write_workbook({"s": pd.DataFrame({"a": ["قديم"]})}, tmp_path / "t.xlsx")
    before = path.read_bytes()
    with pytest.raises(ValueError, match=message):
        write_workbook({"s": frame}, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["t.xlsx"]


@pytest.mark.parametrize(
    "value, text",
    [
        (None, ""),
        (True, "TRUE"),
        (False, "FALSE"),
        (12, "12"),
        (12.0, "12"),
        (2.5, "2.5"),
        (dt.datetime(2022, 3, 1), "2022-03-01"),
        (dt.datetime(2022, 3, 1, 9, 30), "2022-03-01T09:30:00"),
        (dt.date(2022, 3, 1), "2022-03-01"),
        ("قال", "قال"),
        ("سطر_x000D_\nسطر", "سطر\r\nسطر"),  # escaped by the file format, restored
        ("_x0041_", "_x0041_"),  # a printable character is never escaped: text as typed
        # what XlsxWriter and LibreOffice write for text XML cannot hold, or that looks escaped
        ("فيه _xFFFE_ و _xFFFF_", "فيه \ufffe و \uffff"),
        ("فيه _xfffe_ و _x000b_", "فيه \ufffe و \x0b"),  # LibreOffice writes lower-case hex
        ("حرفياً _x005F_x000D_ هنا", "حرفياً _x000D_ هنا"),  # an escaped underscore: the text as typed
        ("_x005f_x000d_", "_x000d_"),
    ],
)
def test_cell_text(value, text):
    assert cell_text(value) == text


#: Text the workbook must give back exactly, though the file format escapes some of it.
ESCAPED_TEXTS = [
    "حرفياً _x000D_ هنا",  # looks like an escape: written as _x005F_x000D_
    "فيه \ufffe و \uffff",  # not characters XML may hold: written as _xFFFE_, _xFFFF_
    "نص ملصوق \x0b فيه \x01 حرفا تحكم",
    "_x005F_",
]


def test_text_the_file_format_escapes_reads_back_exactly(tmp_path):
    frame = pd.DataFrame({"note": ESCAPED_TEXTS})
    path = write_workbook({"s": frame}, tmp_path / "t.xlsx")
    assert read_sheet(path, sheet="s") == (["note"], [(i + 2, [t]) for i, t in enumerate(ESCAPED_TEXTS)])


def test_read_sheet_gives_text_exactly(tmp_path):
    frame = pd.DataFrame(
        {
            "sentence_id": ["a:1", "a:2", "a:3"],
            "note": ["أولى\r\nثانية", "=1+1", ""],
            "reviewed": [True, False, True],
            "as_of": [7, 7, 7],
        }
    )
    path = write_workbook({"README": pd.DataFrame({"item": ["x"]}), "sentences": frame}, tmp_path / "t.xlsx")
    header, rows = read_sheet(path, sheet="sentences")
    assert header == ["sentence_id", "note", "reviewed", "as_of"]
    assert rows == [
        (2, ["a:1", "أولى\r\nثانية", "TRUE", "7"]),
        (3, ["a:2", "=1+1", "FALSE", "7"]),
        (4, ["a:3", "", "TRUE", "7"]),
    ]


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: None, "no such file"),
        (
            lambda p: p.write_text("doc_id,text\na,قال\n", encoding="utf-8"),
            r"not an Excel workbook .*'Excel 2007-365",
        ),
        (
            lambda p: write_workbook({"other": pd.DataFrame({"a": [1]})}, p),
            r"no sheet named 'sentences' \(the workbook has \['other'\]\)",
        ),
    ],
)
def test_read_sheet_errors_name_the_file_and_problem(tmp_path, make, message):
    path = tmp_path / "edited.xlsx"
    make(path)
    with pytest.raises(WorkbookError, match=message) as info:
        read_sheet(path, sheet="sentences")
    assert str(path) in str(info.value)


def test_numbers_shown_as_booleans_read_as_booleans(tmp_path):
    """LibreOffice saves the workbook's booleans again as 0 / 1 with the boolean format."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "s"
    sheet.append(["reviewed", "n"])
    for value in (1, 0):
        sheet.append([value, value])
        sheet.cell(sheet.max_row, 1).number_format = '"TRUE";"TRUE";"FALSE"'
    book.save(tmp_path / "t.xlsx")
    rows = [(2, ["TRUE", "1"]), (3, ["FALSE", "0"])]
    assert read_sheet(tmp_path / "t.xlsx", sheet="s") == (["reviewed", "n"], rows)


@pytest.mark.slow
def test_libreoffice_shows_booleans_as_true_and_false(tmp_path, office_profile):
    frame = pd.DataFrame({"id": [f"a:{i}" for i in range(6)], "reviewed": [i == 2 for i in range(6)],
                          "start": range(6)})
    path = write_workbook({"s": frame}, tmp_path / "t.xlsx")
    soffice(office_profile, "--convert-to", "pdf", "--outdir", str(tmp_path), str(path))
    shown = subprocess.run(["pdftotext", "-layout", str(tmp_path / "t.pdf"), "-"], capture_output=True,
                           text=True, check=True).stdout.split()
    # the sheet reads right to left: each row is "start reviewed id"; LibreOffice showed the
    # booleans beside a column of numbers as 0 / 1
    rows = [w for i in range(6) for w in (str(i), str(i == 2).upper(), f"a:{i}")]
    assert shown == ["start", "reviewed", "id", *rows]


def test_a_workbook_that_unpacks_to_far_more_than_it_holds_is_refused(tmp_path):
    """A zip bomb: a sheet of some 60 kB that unpacks to 64 MB of blanks (openpyxl read a 3 GB
    one for four minutes, with 3 GB of memory)."""
    frame = pd.DataFrame({"sentence_id": ["a:1"], "note": ["x"]})
    good = write_workbook({"sentences": frame}, tmp_path / "g.xlsx")
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b" " * (64 << 20) + b"</sheetData>")
            out.writestr(name, data)
    message = (r"xl/worksheets/sheet1.xml would unpack from [\d,]+ to 67,109,\d+ bytes \([\d,]+ times as "
               r"much\): not a workbook a spreadsheet program saved")
    with pytest.raises(WorkbookError, match=message) as info:
        read_sheet(bomb, sheet="sentences")
    assert str(bomb) in str(info.value)
