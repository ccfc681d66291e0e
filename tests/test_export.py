"""Tests for workbench/export.py: BOM + RFC 4180 CSV, formula neutralising, atomic
writes, round-trips of the current view, tables and manifest."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from collections import defaultdict
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from conftest import AUTO, CODEBOOK, DOC_A, DOC_B, make_annotations, sid, soffice

from workbench.compare import COMPARISON_TABLES
from workbench.export import EXPORT_SENTENCE_COLUMNS, export, export_comparison, write_csv
from workbench.store import CorrectionsImportError, Store, import_corrections
from workbench.xlsx import read_sheet, write_workbook

READ = {"encoding": "utf-8-sig", "keep_default_na": False}
#: The reading recipe export.py documents for sentences.csv and mentions.csv.
READ_EXACT = {**READ, "dtype": defaultdict(lambda: str, paragraph="int64", sentence="int64", start="int64",
                                           end="int64", reviewed="bool", as_of="int64",
                                           confidence="float64")}


def test_sentences_and_mentions_round_trip(tmp_path):
    """The documented recipe reads the files back exactly, ids that look like numbers included."""
    ids = {"a": "0123", "b": "0456"}
    auto = {(ids[d], i): v for (d, i), v in AUTO.items()}
    with Store(tmp_path / "s.sqlite") as store:
        store.save_annotations(make_annotations({"0123": DOC_A, "0456": DOC_B}, auto))
        store.correct(sid(store, "0123", 1), "topics", "add", "minsk", annotator="huda")
        store.correct(sid(store, "0123", 2), "note", "set", 'قال "نعم"، ثم;\nسطر ثانٍ', annotator="huda")
        store.correct(
            sid(store, "0123", 3), "note", "set", "12", annotator="huda"
        )  # a note that looks like a number
        store.correct(sid(store, "0456", 0), "reviewed", "set", True, annotator="omar")
        files = export(store, tmp_path / "out")
        sentences, mentions = store.view()
        back = pd.read_csv(files["sentences"], **READ_EXACT)
        assert list(back.columns) == EXPORT_SENTENCE_COLUMNS + ["as_of"]
        assert list(back.columns[:12]) == ["doc_id", "paragraph", "sentence", "sentence_id", "start", "end",
                                           "text", "topics", "actors", "speaker", "source", "reviewed"]
        pd.testing.assert_frame_equal(back, sentences[EXPORT_SENTENCE_COLUMNS].assign(as_of=4))
        pd.testing.assert_frame_equal(pd.read_csv(files["mentions"], **READ_EXACT), mentions)
        assert back["doc_id"].tolist() == ["0123"] * 4 + ["0456"] * 2 and back["note"].tolist()[3] == "12"
        assert back["source"].tolist() == ["auto", "manual", "manual", "manual", "manual", "auto"]
        raw = files["sentences"].read_bytes()
        assert (
            raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\r\n") == 7
        )  # header + 6 rows, the note's \n is inside quotes
        assert "وقال الكرملين إن أوكرانيا مهمة." in raw.decode("utf-8-sig")  # logical order, as written


def test_annotator_export(store, tmp_path):
    store.correct(sid(store, "a", 1), "topics", "add", "minsk", annotator="huda")
    files = export(store, tmp_path / "out", annotator="omar")
    assert pd.read_csv(files["sentences"], **READ)["source"].eq("auto").all()
    assert json.loads(files["manifest"].read_text(encoding="utf-8"))["annotator"] == "omar"


def test_tables_and_manifest(store, tmp_path):
    from workbench import tables

    files = export(store, tmp_path / "out")
    assert sorted(files) == sorted(["sentences", "mentions", "topic_counts", "topic_by_paragraph",
                                    "speaker_by_topic", "cooccurrence", "statements", "manifest",
                                    *COMPARISON_TABLES])
    sentences, mentions = store.view()
    codebook = store.codebook()
    expected = {
        "topic_counts": tables.topic_counts(
            sentences, mentions, codebook=codebook, documents=store.documents()
        ),
        "topic_by_paragraph": tables.topic_by_paragraph(sentences, codebook=codebook),
        "speaker_by_topic": tables.speaker_by_topic(sentences, codebook=codebook),
        "cooccurrence": tables.cooccurrence(sentences, codebook=codebook),
        "statements": tables.statements(sentences, codebook=codebook),
    }
    for name, frame in expected.items():
        back = pd.read_csv(files[name], **READ)
        pd.testing.assert_frame_equal(back, frame.reset_index(drop=True), check_dtype=False, obj=name)
    manifest = json.loads(files["manifest"].read_text(encoding="utf-8"))
    assert manifest["codebook_hash"] == CODEBOOK.hash and manifest["codebook_name"] == "test"
    assert manifest["store"] == str(store.path.resolve())
    assert manifest["row_counts"]["sentences.csv"] == 6 and manifest["row_counts"]["mentions.csv"] == 5
    assert manifest["row_counts"]["speaker_by_topic.csv"] == len(expected["speaker_by_topic"])
    assert (manifest["documents"], manifest["runs"], manifest["corrections"], manifest["as_of"]) == (
        2,
        1,
        0,
        0,
    )
    assert pd.read_csv(files["sentences"], **READ)["as_of"].tolist() == [0] * 6
    assert {"workbench_version", "time"} <= set(manifest)
    umask = os.umask(0o022)
    os.umask(umask)
    assert {p.stat().st_mode & 0o777 for p in files.values()} == {0o666 & ~umask}  # not mkstemp's 0600


@pytest.mark.parametrize("undo", [False, True])
def test_as_of_is_the_journal_position_of_the_exported_view(store, tmp_path, undo):
    a1, a2 = sid(store, "a", 1), sid(store, "a", 2)
    store.correct(a1, "topics", "add", "minsk", annotator="huda")
    store.correct(a2, "speaker", "set", "putin", annotator="omar")
    if undo:
        store.undo(annotator="omar")
    files = export(store, tmp_path / "out")
    expected = 3 if undo else 2
    back = pd.read_csv(files["sentences"], **READ_EXACT)
    assert back["as_of"].tolist() == [expected] * 6
    assert json.loads(files["manifest"].read_text(encoding="utf-8"))["as_of"] == expected
    store.correct(a1, "topics", "remove", "ukraine", annotator="huda")  # after the export
    store.undo(annotator="huda")  # undoes the entry after the export
    store.undo(annotator="huda")  # undoes 'add minsk', made before the export
    then = store.view(as_of=expected)[0]
    pd.testing.assert_frame_equal(then[EXPORT_SENTENCE_COLUMNS].assign(as_of=expected), back)
    assert then.set_index("sentence_id").loc[a1, "topics"] == "ukraine;minsk"
    assert store.sentences().set_index("sentence_id").loc[a1, "topics"] == "ukraine"
    assert store.view(as_of=0)[0]["source"].eq("auto").all()


def test_every_export_is_recorded_in_the_store(store, tmp_path):
    assert store.exports().empty
    export(store, tmp_path / "first")
    store.correct(sid(store, "a", 1), "note", "set", "راجع", annotator="huda")
    export(store, tmp_path / "second")
    recorded = store.exports()
    assert recorded[["as_of", "out_dir"]].values.tolist() == [[0, str((tmp_path / "first").resolve())],
                                                             [1, str((tmp_path / "second").resolve())]]
    assert recorded["as_of"].dtype == "int64" and recorded["time"].str.match(r"\d{4}-\d\d-\d\dT").all()


def test_formula_article_exports_no_live_formula(tmp_path):
    text = ('=HYPERLINK("http://example.com","اضغط هنا")\n+1+2\n-ابدأ الآن\n@SUM(1;2)\n'
            'قال بوتين إن الوضع -5 درجات.')
    with Store(tmp_path / "s.sqlite") as store:
        store.save_annotations(make_annotations({"x": text}, {}))
        store.correct(sid(store, "x", 1), "note", "set", "=1+1", annotator="huda")
        files = export(store, tmp_path / "out")
    for name, path in files.items():
        if name == "manifest":
            continue
        for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")):
            for cell in row:
                live = cell[:1] in ("=", "+", "@", "\t", "\r") or (cell[:1] == "-" and not cell[1:].isdigit())
                assert not live, (name, cell)
    back = pd.read_csv(files["sentences"], **READ)
    assert back["text"].tolist() == ['\'=HYPERLINK("http://example.com","اضغط هنا")', "'+1+2", "'-ابدأ الآن",
                                     "'@SUM(1;2)", "قال بوتين إن الوضع -5 درجات."]
    assert back["note"].tolist()[1] == "'=1+1"


class _Explodes:
    def __str__(self):
        raise RuntimeError("disk full")


def test_interrupted_write_leaves_the_old_file(tmp_path):
    path = tmp_path / "t.csv"
    write_csv(pd.DataFrame({"a": ["قديم"]}), path)
    before = path.read_bytes()
    with pytest.raises(RuntimeError, match="disk full"):
        write_csv(pd.DataFrame({"a": ["جديد"] * 1000 + [_Explodes()]}, dtype=object), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]


def test_empty_store_is_a_clear_error(tmp_path):
    with Store(tmp_path / "empty.sqlite") as store:
        with pytest.raises(ValueError, match="holds no annotated sentences yet; run `workbench annotate"):
            export(store, tmp_path / "out")
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------ the Excel workbook

SHEETS = ["README", "sentences", "mentions", "documents", "topic_counts", "topic_by_paragraph",
          "speaker_by_topic", "cooccurrence", "statements"]
#: The sentences sheet: the columns of sentences.csv with labels beside each key column.
SHEET_COLUMNS = ["doc_id", "paragraph", "sentence", "sentence_id", "start", "end", "text",
                 "topics", "topics_ar", "topics_en", "actors", "actors_ar", "actors_en",
                 "speaker", "speaker_ar", "speaker_en", "source", "reviewed",
                 "statement_type", "statement_type_ar", "statement_type_en", "speaker_rule", "quote",
                 "confidence", "furniture", "note", "as_of"]


@pytest.fixture
def dated_store(tmp_path):
    ann = make_annotations()
    ann.documents["date"] = ["2022-03-01", "2022-03"]  # a full date, and one only to the month
    ann.documents["outlet"] = ["وكالة الأنباء", "Outlet B"]
    with Store(tmp_path / "s.sqlite") as s:
        s.save_annotations(ann)
        s.correct(sid(s, "a", 1), "topics", "add", "minsk", annotator="huda")
        s.correct(sid(s, "a", 2), "note", "set", '=1+1 "ملاحظة"\nسطر', annotator="huda")
        s.correct(sid(s, "b", 0), "reviewed", "set", True, annotator="omar")
        yield s


def test_xlsx_sheets_hold_the_view_cell_by_cell(dated_store, tmp_path):
    import openpyxl

    files = export(dated_store, tmp_path / "out", format="xlsx")
    assert list(files) == ["xlsx"] and files["xlsx"].name == "s.xlsx"
    book = openpyxl.load_workbook(files["xlsx"])
    assert book.sheetnames == SHEETS
    assert all(book[name].sheet_view.rightToLeft for name in SHEETS)
    sheet = book["sentences"]
    assert [c.value for c in sheet[1]] == SHEET_COLUMNS
    view = dated_store.view()[0]
    labels = {"ukraine": ("أوكرانيا", "Ukraine"), "minsk": ("مينسك", "Minsk"), "iran": ("إيران", "Iran"),
              "cyber": ("السيبراني", "Cyber")}  # tests/data/codebooks/small.toml
    for r, row in enumerate(view.to_dict("records"), start=2):
        cells = {name: c for name, c in zip(SHEET_COLUMNS, sheet[r], strict=True)}
        for column in EXPORT_SENTENCE_COLUMNS:
            value = cells[column].value
            assert (value if value is not None else "") == row[column], (r, column)
            numbers = ("paragraph", "sentence", "start", "end")
            want = ({bool} if column == "reviewed" else {int} if column in numbers
                    else {int, float} if column == "confidence" else {str, type(None)})
            assert type(cells[column].value) in want
        assert cells["as_of"].value == 3
        keys = row["topics"].split(";") if row["topics"] else []
        assert (cells["topics_ar"].value or "") == "، ".join(labels[k][0] for k in keys)
        assert (cells["topics_en"].value or "") == "; ".join(labels[k][1] for k in keys)
    assert sheet.cell(4, SHEET_COLUMNS.index("note") + 1).value == '=1+1 "ملاحظة"\nسطر'  # text, no formula
    assert sheet.cell(4, SHEET_COLUMNS.index("note") + 1).data_type == "s"
    documents = book["documents"]
    date_col = [c.value for c in documents[1]].index("date")
    assert documents.cell(2, date_col + 1).value == datetime(2022, 3, 1)  # a date cell
    assert documents.cell(3, date_col + 1).value == "2022-03"  # not a whole date: kept as written
    readme = {row[0]: row[1] for row in book["README"].iter_rows(min_row=2, values_only=True)}
    shown = (readme["as_of"], readme["codebook_hash"], readme["rows: sentences"], readme["corrections"])
    assert shown == (3, CODEBOOK.hash, 6, 3)
    assert isinstance(readme["time"], datetime)
    assert dated_store.exports()["as_of"].tolist() == [3]


@pytest.mark.slow
def test_libreoffice_opens_the_workbook_and_reads_every_cell(dated_store, tmp_path, office_profile):
    path = export(dated_store, tmp_path / "out", format="xlsx")["xlsx"]
    sheets = tmp_path / "csv"
    every_sheet = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    soffice(office_profile, "--convert-to", every_sheet, "--outdir", str(sheets), str(path))
    assert sorted(p.name for p in sheets.iterdir()) == sorted(f"s-{name}.csv" for name in SHEETS)
    rows = list(csv.reader(io.StringIO((sheets / "s-sentences.csv").read_text(encoding="utf-8"), newline="")))
    header, header_ours = rows[0], read_sheet(path, sheet="sentences")[0]
    assert header == header_ours == SHEET_COLUMNS
    ours = [cells for _, cells in read_sheet(path, sheet="sentences")[1]]
    assert rows[1:] == ours  # LibreOffice shows every cell as written: Arabic, the note, TRUE / FALSE


@pytest.mark.slow
def test_a_workbook_saved_by_libreoffice_keeps_every_cell_but_the_edited_one(dated_store, tmp_path,
                                                                             office_profile):
    import openpyxl

    path = export(dated_store, tmp_path / "out", format="xlsx")["xlsx"]
    book = openpyxl.load_workbook(path)
    topics = SHEET_COLUMNS.index("topics") + 1
    book["sentences"].cell(4, topics).value = "iran;cyber"  # the analyst's one edit
    book.save(tmp_path / "edited.xlsx")
    soffice(office_profile, "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir",
             str(tmp_path / "saved"), str(tmp_path / "edited.xlsx"))
    saved = tmp_path / "saved" / "edited.xlsx"
    before, after = read_sheet(path, sheet="sentences"), read_sheet(saved, sheet="sentences")
    assert after[0] == before[0]
    changed = [(r, c, a) for (r, cells), (_, new) in zip(before[1], after[1], strict=True)
               for c, (b, a) in enumerate(zip(cells, new, strict=True)) if a != b]
    assert changed == [(4, topics - 1, "iran;cyber")]
    assert openpyxl.load_workbook(saved)["sentences"].sheet_view.rightToLeft
    added = import_corrections(dated_store, saved, annotator="huda")  # exactly one correction
    assert added[["sentence_id", "field", "action", "value", "row"]].values.tolist() == [
        [sid(dated_store, "a", 2), "topics", "add", "cyber", 4]]
    assert added.attrs["warnings"] == []
    assert len(import_corrections(dated_store, path, annotator="omar")) == 0  # the unedited export: nothing


#: A Python with LibreOffice's UNO bridge (Debian's python3 with python3-uno), which drives
#: LibreOffice for tests/office_edit.py.
UNO_PYTHON = os.environ.get("WORKBENCH_UNO_PYTHON", "/usr/bin/python3")
#: Notes a spreadsheet program must leave as they are: formula-like starts, line breaks,
#: emoji and diacritics, text that looks like the file format's escapes, a long note.
HOSTILE_NOTES = ['=1+1 "ملاحظة"', "+٣ نقاط", "-ابدأ من هنا", "@المحلل", "سطر أول\r\nسطر ثانٍ\nثالث",
                 "وَقَالَ المُحَلِّلُ 🙂👨‍👩‍👧", "حرفياً _x000D_ هنا", "ملاحظة طويلة " * 300]


@pytest.fixture
def hostile_store(tmp_path):
    """A store whose doc_id looks like a number, with dates and every note of HOSTILE_NOTES
    (the ninth sentence has no note)."""
    texts = {"0123": DOC_A, "b": DOC_B, "c": "عنوان ثالث\nجملة أولى هنا. جملة ثانية هناك."}
    ann = make_annotations(texts, {("0123" if d == "a" else d, i): v for (d, i), v in AUTO.items()})
    ann.documents["date"] = ["2022-03-01", "2023-11-30", "2021-02-28"]
    with Store(tmp_path / "hostile.sqlite") as s:
        s.save_annotations(ann)
        for sentence_id, note in zip(s.sentence_ids(), HOSTILE_NOTES, strict=False):
            s.correct(sentence_id, "note", "set", note, annotator="huda")
        yield s


def _office_edit(source, target, profile, edits):
    """Open ``source`` in LibreOffice, type ``edits`` ((sheet, row, column name, text)) into
    the sentences sheet as an analyst would, save as ``target``."""
    cells = [["sentences", row, SHEET_COLUMNS.index(column) + 1, text] for row, column, text in edits]
    script = Path(__file__).with_name("office_edit.py")
    command = [UNO_PYTHON, str(script), str(source), str(target), str(profile), json.dumps(cells)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and target.exists(), f"{UNO_PYTHON} (needs python3-uno): {done.stderr}"
    return target


@pytest.mark.slow
def test_a_workbook_typed_into_in_libreoffice_journals_exactly_what_was_typed(hostile_store, tmp_path,
                                                                             office_profile):
    path = export(hostile_store, tmp_path / "out", format="xlsx")["xlsx"]
    header, rows = read_sheet(path, sheet="sentences")
    ids = [cells[header.index("sentence_id")] for _, cells in rows]
    typed = [(10, "note", "0123"), (3, "note", "=1+1"), (5, "note", "1/2"), (2, "speaker", "biden"),
             (4, "reviewed", "TRUE")]  # row 10: the sentence without a note
    saved = _office_edit(path, tmp_path / "saved.xlsx", office_profile, typed)
    for sheet in ("README", "documents", "mentions"):  # numbers as text, dates, Arabic: as they were
        assert read_sheet(saved, sheet=sheet) == read_sheet(path, sheet=sheet), sheet
    after = read_sheet(saved, sheet="sentences")
    changed = [(r, header[c], a) for (r, cells), (_, new) in zip(rows, after[1], strict=True)
               for c, (b, a) in enumerate(zip(cells, new, strict=True)) if a != b]
    assert changed == [(2, "speaker", "biden"), (3, "note", "=1+1"), (4, "reviewed", "TRUE"),
                       (5, "note", "1/2"),
                       (6, "note", "سطر أول\nسطر ثانٍ\nثالث"),  # LibreOffice saves CR LF as LF: no edit
                       (10, "note", "0123")]
    added = import_corrections(hostile_store, saved, annotator="omar")
    assert added[["sentence_id", "field", "value"]].values.tolist() == [
        [ids[0], "speaker", "biden"], [ids[1], "note", "=1+1"], [ids[2], "reviewed", "true"],
        [ids[3], "note", "1/2"], [ids[8], "note", "0123"]]
    notes = hostile_store.view()[0]["note"].tolist()
    assert notes == [HOSTILE_NOTES[0], "=1+1", HOSTILE_NOTES[2], "1/2", *HOSTILE_NOTES[4:], "0123"]


def _edit(path, out, edits):
    """A copy of a workbook with some cells of its sentences sheet changed, by column name."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheet = book["sentences"]
    for (row, column), value in edits.items():
        sheet.cell(row, SHEET_COLUMNS.index(column) + 1).value = value
    book.save(out)
    return out


def test_an_unedited_workbook_imports_nothing(dated_store, tmp_path):
    path = export(dated_store, tmp_path / "out", format="xlsx")["xlsx"]
    added = import_corrections(dated_store, path, annotator="huda")
    assert len(added) == 0 and added.attrs["warnings"] == []
    resaved = _edit(path, tmp_path / "resaved.xlsx", {})  # saved again by another program, nothing changed
    assert len(import_corrections(dated_store, resaved, annotator="huda")) == 0


def test_an_unedited_workbook_with_text_the_file_format_escapes_imports_nothing(dated_store, tmp_path):
    notes = ["حرفياً _x000D_ هنا", "فيه \ufffe و \uffff", "نص ملصوق \x0b فيه حرف تحكم"]
    for i, note in enumerate(notes):
        dated_store.correct(sid(dated_store, "a", i), "note", "set", note, annotator="huda")
    path = export(dated_store, tmp_path / "out", format="xlsx")["xlsx"]
    added = import_corrections(dated_store, path, annotator="omar")
    assert added[["sentence_id", "field", "value"]].values.tolist() == []
    assert [dated_store.view()[0].set_index("sentence_id").loc[sid(dated_store, "a", i), "note"]
            for i in range(3)] == notes


def test_a_note_whose_line_breaks_a_spreadsheet_rewrote_is_not_an_edit(dated_store, tmp_path):
    a0, a1 = sid(dated_store, "a", 0), sid(dated_store, "a", 1)
    dated_store.correct(a0, "note", "set", "سطر أول\r\nسطر ثانٍ", annotator="huda")
    dated_store.correct(a1, "note", "set", "قديم\r\nجداً", annotator="huda")
    path = export(dated_store, tmp_path / "out", format="xlsx")["xlsx"]
    # LibreOffice saves a cell's CR LF as LF; the analyst rewrote the second note
    edits = {(2, "note"): "سطر أول\nسطر ثانٍ", (3, "note"): "جديد\nجداً"}
    edited = _edit(path, tmp_path / "edited.xlsx", edits)
    added = import_corrections(dated_store, edited, annotator="huda")
    assert added[["sentence_id", "field", "value"]].values.tolist() == [[a1, "note", "جديد\nجداً"]]
    files = export(dated_store, tmp_path / "csv")
    frame = pd.read_csv(files["sentences"], **READ_EXACT)
    frame["note"] = frame["note"].str.replace("\r\n", "\n")
    frame.to_csv(tmp_path / "edited.csv", index=False, encoding="utf-8-sig")
    assert len(import_corrections(dated_store, tmp_path / "edited.csv", annotator="huda")) == 0


def test_workbook_edits_are_journaled_exactly(dated_store, tmp_path):
    path = export(dated_store, tmp_path / "out", format="xlsx")["xlsx"]
    edited = _edit(path, tmp_path / "edited.xlsx", {
        (2, "actors"): "putin، biden، kremlin",  # an Arabic comma between keys
        (3, "note"): "'=لا تعدّل",                 # text as typed: no formula guard to take off
        (5, "speaker"): "psaki",
        (5, "reviewed"): True,
        (7, "statement_type"): "support",
    })
    added = import_corrections(dated_store, edited, annotator="huda")
    a0, a1, a3, b1 = (sid(dated_store, d, i) for d, i in (("a", 0), ("a", 1), ("a", 3), ("b", 1)))
    assert added[["sentence_id", "field", "action", "value"]].values.tolist() == [
        [a0, "actors", "add", "kremlin"], [a1, "note", "set", "'=لا تعدّل"], [a3, "speaker", "set", "psaki"],
        [a3, "reviewed", "set", "true"], [b1, "statement_type", "set", "support"]]
    view = dated_store.view()[0].set_index("sentence_id")
    assert view.loc[a1, "note"] == "'=لا تعدّل" and view.loc[a3, "speaker"] == "psaki"


def test_workbook_keeps_corrections_made_after_the_export(dated_store, tmp_path):
    path = export(dated_store, tmp_path / "out", format="xlsx")["xlsx"]
    dated_store.correct(sid(dated_store, "a", 1), "topics", "remove", "ukraine", annotator="omar")  # after it
    edited = _edit(path, tmp_path / "edited.xlsx", {(3, "topics"): "ukraine;minsk;iran"})
    added = import_corrections(dated_store, edited, annotator="huda")
    assert added[["field", "action", "value", "conflict"]].values.tolist() == [
        ["topics", "add", "iran", False]]
    view = dated_store.view()[0].set_index("sentence_id")
    assert view.loc[sid(dated_store, "a", 1), "topics"] == "minsk;iran"  # omar's removal stands


def test_a_workbook_from_another_store_is_refused_as_such(dated_store, tmp_path):
    texts = {"c": "عنوان آخر\nقال بوتين إن القمة انتهت.", "d": "خبر ثالث\nوأكد الكرملين ذلك."}
    with Store(tmp_path / "other.sqlite") as other:
        other.save_annotations(make_annotations(texts, {}))
        path = export(other, tmp_path / "other", format="xlsx")["xlsx"]
    with pytest.raises(CorrectionsImportError) as info:
        import_corrections(dated_store, path, annotator="huda")
    assert info.value.problems[0] == (
        "none of the file's 4 sentence_id(s) is in this store: was it exported from another store, or "
        "before its articles were annotated again with other texts? Import it into the store it came from")
    assert info.value.problems[1].startswith("row 2: unknown sentence_id 'c:")
    assert dated_store.journal()["annotator"].tolist() == ["huda", "huda", "omar"]  # nothing imported


def test_a_changed_label_is_not_imported_and_says_so(dated_store, tmp_path):
    path = export(dated_store, tmp_path / "out", format="xlsx")["xlsx"]
    edits = {(3, "topics_ar"): "أوكرانيا، إيران", (4, "topics"): "iran;cyber"}
    edited = _edit(path, tmp_path / "edited.xlsx", edits)
    added = import_corrections(dated_store, edited, annotator="huda")
    assert added[["field", "value"]].values.tolist() == [["topics", "cyber"]]  # the key edit only
    assert added.attrs["warnings"] == [
        f"{edited}: 1 label cell(s) changed (row 3 'topics_ar'); labels are shown, not imported: change the "
        "keys in the column beside them (topics, actors, speaker, statement_type)"]


def test_a_folder_of_csv_and_workbooks_and_a_bad_workbook(dated_store, tmp_path):
    path = export(dated_store, tmp_path / "out", format="xlsx")["xlsx"]
    folder = tmp_path / "corrections"
    folder.mkdir()
    _edit(path, folder / "1-huda.xlsx", {(2, "note"): "أولى"})
    files = export(dated_store, tmp_path / "csv")
    frame = pd.read_csv(files["sentences"], **READ_EXACT)
    frame.loc[1, "note"] = "ثانية"
    frame.to_csv(folder / "2-huda.csv", index=False, encoding="utf-8-sig")
    (folder / ".~lock.1-huda.xlsx#").write_text("lock", encoding="utf-8")  # LibreOffice's lock file
    added = import_corrections(dated_store, folder, annotator="huda")
    found = [(Path(f).name, v) for f, v in zip(added["file"], added["value"], strict=True)]
    assert found == [("1-huda.xlsx", "أولى"), ("2-huda.csv", "ثانية")]
    bad = tmp_path / "bad.xlsx"
    write_workbook({"other": pd.DataFrame({"a": [1]})}, bad)
    message = r"(?s)bad.xlsx: 1 problem\(s\), nothing was imported.*no sheet named 'sentences'"
    with pytest.raises(CorrectionsImportError, match=message):
        import_corrections(dated_store, bad, annotator="huda")


# ------------------------------------------------------------------ comparing outlets

OUTLETS = Path(__file__).parent / "data" / "outlets"


@pytest.fixture(scope="module")
def outlets_store(tmp_path_factory):
    import workbench as wb

    path = tmp_path_factory.mktemp("outlets") / "outlets.sqlite"
    with Store(path) as store:
        store.save_annotations(wb.annotate(wb.load_corpus(OUTLETS / "articles")))
    return path


def test_export_writes_the_comparison_tables_and_lists_them(outlets_store, tmp_path):
    from workbench import reuse

    with Store(outlets_store) as store:
        files = export(store, tmp_path / "out")
        found = reuse.find_reuse(store)
    manifest = json.loads(files["manifest"].read_text(encoding="utf-8"))
    assert list(manifest["comparison"]) == [f"{name}.csv" for name in COMPARISON_TABLES]
    assert manifest["row_counts"]["reuse_clusters.csv"] == len(found.clusters) == 32
    spans = pd.read_csv(files["reuse_spans"], **READ, dtype={"doc_id": str, "text": str})
    pd.testing.assert_frame_equal(spans, found.spans, check_dtype=False)
    clusters = pd.read_csv(files["reuse_clusters"], **READ)
    assert clusters["doc_ids"].tolist() == found.clusters["doc_ids"].tolist()
    near = pd.read_csv(files["reuse_near_duplicates"], **READ)
    assert near[["doc_id_a", "doc_id_b"]].values.tolist() == [["nafitha_03", "nafitha_04"]]
    outlets = pd.read_csv(files["outlet_quotation"], **READ)
    assert len(outlets) == 7 and outlets["statements"].sum() > 0


def test_export_without_the_comparison(store, tmp_path):
    files = export(store, tmp_path / "out", compare=False)
    assert not set(COMPARISON_TABLES) & set(files)
    assert json.loads(files["manifest"].read_text(encoding="utf-8"))["comparison"] == {}


def test_export_comparison_writes_tables_charts_and_a_manifest(outlets_store, tmp_path):
    with Store(outlets_store) as store:
        files = export_comparison(store, tmp_path / "compare", labels="ar", dpi=40)
    manifest = json.loads(files["manifest"].read_text(encoding="utf-8"))
    assert files["manifest"].name == "comparison.json"
    assert list(manifest["tables"]) == [f"{name}.csv" for name in COMPARISON_TABLES]
    assert manifest["tables"]["reuse_clusters.csv"] == {"rows": 32,
                                                        "what": COMPARISON_TABLES["reuse_clusters"]}
    charts = ["outlet_topics", "speaker_shares", "speaker_types", "statement_types", "quotation",
              "coverage", "shared_passages"] + [f"keyness_{n:02d}" for n in range(1, 8)]
    assert manifest["charts"] == [f"{c}.{f}" for c in charts for f in ("png", "svg")]
    assert all((tmp_path / "compare" / name).stat().st_size > 1000 for name in manifest["charts"])


@pytest.mark.parametrize("rows_at_once", [1, 2, 5, 20_000])
def test_a_table_written_in_chunks_has_the_bytes_of_the_whole_table_written_at_once(
        tmp_path, monkeypatch, rows_at_once):
    import importlib

    from workbench.spreadsheet import neutralise_formulas

    export_module = importlib.import_module("workbench.export")  # the module, not its function

    frame = pd.DataFrame({
        "doc_id": ["خبر-1", "خبر-1", "خبر-2", "=بند", "خبر-3"],
        "start": [0, 17, 3, 40, 9],
        "confidence": [1.0, 0.85, 0.1 + 0.2, float("nan"), 2.5e-7],
        "reviewed": [False, True, False, False, True],
        "text": ['قال "الوزير": نعم، بالتأكيد', "سطر\nثان", "-3", "+بداية", None],
    }).astype({"doc_id": "str", "text": "str"})
    whole = io.StringIO(newline="")
    neutralise_formulas(frame).to_csv(whole, index=False, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    monkeypatch.setattr(export_module, "CSV_CHUNK_ROWS", rows_at_once)
    written = write_csv(frame, tmp_path / "t.csv").read_bytes()
    assert written == b"\xef\xbb\xbf" + whole.getvalue().encode("utf-8")
    assert write_csv(frame.head(0), tmp_path / "empty.csv").read_bytes() == (
        b"\xef\xbb\xbf" + b"doc_id,start,confidence,reviewed,text\r\n")


def test_the_export_written_as_the_view_is_read_has_the_bytes_of_the_view_frames(tmp_path, monkeypatch):
    """sentences.csv, mentions.csv and the tables, written one document at a time as the view is
    read, hold the bytes that to_csv writes (formulas neutralised) for the frames of Store.view()
    and the tables made from them: page furniture, corrections and a formula-like note included."""
    from workbench import tables
    from workbench.spreadsheet import neutralise_formulas
    from workbench.store import view as batched

    ann = make_annotations()
    doc_a = ann.sentences[ann.sentences["doc_id"] == "a"].reset_index(drop=True)
    topic_mentions = []  # a topic in body text and one in page furniture (sentence 2 of "a")
    for row, surface, key in ((1, "أوكرانيا", "ukraine"), (2, "إيران", "iran")):
        start = doc_a.loc[row, "start"] + doc_a.loc[row, "text"].find(surface)
        topic_mentions.append(("a", doc_a.loc[row, "sentence_id"], start, start + len(surface), surface,
                               "topic", key, surface, 1.0))
    ann.mentions = pd.concat([ann.mentions, pd.DataFrame(topic_mentions, columns=ann.mentions.columns)],
                             ignore_index=True).astype(ann.mentions.dtypes.to_dict())
    with Store(tmp_path / "s.sqlite") as store:
        store.save_annotations(ann)
        store.correct(sid(store, "a", 1), "topics", "add", "iran", annotator="huda")
        store.correct(sid(store, "b", 0), "note", "set", "=1+1", annotator="huda")
        store.correct(sid(store, "b", 0), "speaker", "set", "putin", annotator="omar")
        store.correct(sid(store, "a", 3), "reviewed", "set", True, annotator="omar")
        monkeypatch.setattr(batched, "BATCH_DOCUMENTS", 1)
        files = export(store, tmp_path / "out", compare=False)
        sentences, mentions = store.view()
        options = {"codebook": store.codebook()}
        expected = {
            "sentences": sentences[EXPORT_SENTENCE_COLUMNS].assign(as_of=store.last_entry_id()),
            "mentions": mentions,
            "topic_counts": tables.topic_counts(sentences, mentions, documents=store.documents(), **options),
            "topic_by_paragraph": tables.topic_by_paragraph(sentences, **options),
            "speaker_by_topic": tables.speaker_by_topic(sentences, **options),
            "cooccurrence": tables.cooccurrence(sentences, **options),
            "statements": tables.statements(sentences, **options),
        }
    counts = expected["topic_counts"].set_index(["doc_id", "topic"])["mentions"]
    assert (counts["a", "ukraine"], counts["a", "iran"]) == (1, 0)  # the one in page furniture left out
    assert len(expected["statements"]) == 4
    for name, frame in expected.items():
        whole = io.StringIO(newline="")
        neutralise_formulas(frame).to_csv(whole, index=False, lineterminator="\r\n",
                                          quoting=csv.QUOTE_MINIMAL)
        assert files[name].read_bytes() == b"\xef\xbb\xbf" + whole.getvalue().encode("utf-8"), name
    assert "'=1+1" in files["sentences"].read_text(encoding="utf-8-sig")
