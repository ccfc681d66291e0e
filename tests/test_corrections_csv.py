"""Importing an edited sentences.csv journals only the analyst's edits.

An untouched export journals nothing, whoever exported it (``--annotator``) and whatever
ran since (a new automatic run); neutralised cells and formula-looking ids round-trip;
a sheet decoded with the wrong character set is refused with advice; a row cut short
never clears a field.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import AUTO, DOC_A, DOC_B, make_annotations, sid

from workbench.export import export
from workbench.store import CorrectionsImportError, Store, import_corrections

READ = {"encoding": "utf-8-sig", "keep_default_na": False, "dtype": str}


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "s.sqlite") as s:
        s.save_annotations(make_annotations())
        yield s


def export_file(store: Store, folder: Path, **options) -> Path:
    return export(store, folder, **options)["sentences"]


def test_an_untouched_export_of_another_annotator_journals_nothing(store, tmp_path):
    a1, a2 = sid(store, "a", 1), sid(store, "a", 2)
    store.correct(a1, "topics", "add", "minsk", annotator="alice")
    store.correct(a2, "note", "set", "ملاحظة أليس", annotator="alice")
    store.correct(a1, "speaker", "set", "putin", annotator="bob")
    path = export_file(store, tmp_path / "bob", annotator="bob")  # bob's own view: alice's work not in it
    before = store.sentences()
    for who in ("bob", "carol"):
        added = import_corrections(store, path, annotator=who)
        assert added.empty, added[["sentence_id", "field", "action", "value"]]
        path.write_bytes(path.read_bytes() + b"\r\n")  # a copy saved again: not skipped as imported before
    pd.testing.assert_frame_equal(store.sentences(), before)
    assert set(store.journal()["annotator"]) == {"alice", "bob"}


def test_an_edit_in_another_annotators_export_keeps_everyone_elses_work(store, tmp_path):
    a1, a2 = sid(store, "a", 1), sid(store, "a", 2)
    store.correct(a1, "topics", "add", "minsk", annotator="alice")
    path = export_file(store, tmp_path / "bob", annotator="bob")
    frame = pd.read_csv(path, **READ)
    frame.loc[2, "note"] = "ملاحظة بوب"
    frame.to_csv(tmp_path / "edited.csv", index=False, encoding="utf-8")
    added = import_corrections(store, tmp_path / "edited.csv", annotator="bob")
    assert added[["sentence_id", "field", "value", "conflict"]].values.tolist() == [
        [a2, "note", "ملاحظة بوب", False]
    ]
    assert store.sentences()["topics"].tolist()[1] == "ukraine;minsk"  # alice's topic stays


def reannotated(texts=None) -> dict:
    """The automatic values of a new run: different topics, actors and speakers."""
    auto = {k: dict(v) for k, v in AUTO.items()}
    auto[("a", 1)].update(topics="ukraine;minsk", speaker="")
    auto[("a", 2)].update(topics="")
    auto[("b", 0)].update(topics="cyber;iran", actors="biden")
    return auto


def test_an_untouched_export_taken_before_a_reannotation_journals_nothing(store, tmp_path):
    store.correct(sid(store, "a", 3), "note", "set", "قبل", annotator="huda")
    path = export_file(store, tmp_path / "old")
    store.save_annotations(make_annotations(auto=reannotated()))  # a new automatic run
    before = store.sentences()
    added = import_corrections(store, path, annotator="huda")
    assert added.empty, added[["sentence_id", "field", "action", "value"]]
    pd.testing.assert_frame_equal(store.sentences(), before)


def test_an_untouched_workbook_journals_nothing_whoever_exported_it_and_whatever_ran_since(store, tmp_path):
    """The same guarantees for an Excel workbook (read through the same merge)."""
    a1, a2 = sid(store, "a", 1), sid(store, "a", 2)
    store.correct(a1, "topics", "add", "minsk", annotator="alice")
    store.correct(a2, "note", "set", "ملاحظة أليس", annotator="alice")
    store.correct(a1, "speaker", "set", "putin", annotator="bob")
    bobs = export(store, tmp_path / "bob", annotator="bob", format="xlsx", compare=False)["xlsx"]
    everyones = export(store, tmp_path / "all", format="xlsx", compare=False)["xlsx"]
    store.save_annotations(make_annotations(auto=reannotated()))  # a new automatic run since
    before = store.sentences()
    for path, who in ((bobs, "bob"), (everyones, "huda")):
        added = import_corrections(store, path, annotator=who)
        assert added.empty, added[["sentence_id", "field", "action", "value"]]
    pd.testing.assert_frame_equal(store.sentences(), before)


def test_an_edit_in_an_export_older_than_the_automatic_run_is_journaled_and_the_run_kept(store, tmp_path):
    a1, a3 = sid(store, "a", 1), sid(store, "a", 3)
    path = export_file(store, tmp_path / "old")
    store.save_annotations(make_annotations(auto=reannotated()))
    frame = pd.read_csv(path, **READ)
    frame.loc[3, "note"] = "بعد"  # an edit of a cell the new run did not touch
    frame.loc[1, "speaker"] = "biden"  # and of one it changed (kremlin -> "")
    frame.to_csv(tmp_path / "edited.csv", index=False, encoding="utf-8")
    added = import_corrections(store, tmp_path / "edited.csv", annotator="huda")
    assert added[["sentence_id", "field", "value", "previous", "conflict"]].values.tolist() == [
        [a1, "speaker", "biden", "", True],
        [a3, "note", "بعد", "", False],
    ]
    now = store.sentences()
    assert now["topics"].tolist()[1] == "ukraine;minsk" and now["topics"].tolist()[4] == "cyber;iran"


@pytest.mark.parametrize("note", ["'=SUM(A1:A3)", "'-5", "=1+1", "-فقرة", "@أحمد", "'", "''=x"])
def test_a_neutralised_note_round_trips_exactly(store, tmp_path, note):
    a1 = sid(store, "a", 1)
    store.correct(a1, "note", "set", note, annotator="huda")
    path = export_file(store, tmp_path / "out")
    assert import_corrections(store, path, annotator="huda").empty
    assert store.sentences()["note"].tolist()[1] == note


@pytest.mark.parametrize("doc_id", ["=report", "+wire", "-draft", "@desk"])
def test_ids_that_look_like_formulas_round_trip(tmp_path, doc_id):
    auto = {(doc_id if d == "a" else d, i): v for (d, i), v in AUTO.items()}
    with Store(tmp_path / "s.sqlite") as store:
        store.save_annotations(make_annotations({doc_id: DOC_A, "b": DOC_B}, auto))
        target = sid(store, doc_id, 2)
        path = export_file(store, tmp_path / "out")
        assert import_corrections(store, path, annotator="huda").empty
        frame = pd.read_csv(path, **READ)
        frame.loc[frame["sentence_id"].str.endswith(target.rsplit(":", 1)[1]), "note"] = "ملاحظة"
        frame.to_csv(tmp_path / "edited.csv", index=False, encoding="utf-8")
        added = import_corrections(store, tmp_path / "edited.csv", annotator="huda")
        assert added[["sentence_id", "field", "value"]].values.tolist() == [[target, "note", "ملاحظة"]]


def as_windows_1252(text: str) -> str:
    """What a spreadsheet shows when it reads UTF-8 bytes as Windows-1252 (bytes Windows-1252
    leaves undefined come through as the control characters of the same number)."""
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in text.encode("utf-8"))


@pytest.mark.parametrize("where", ["header", "cell"])
def test_a_sheet_read_with_the_wrong_character_set_is_refused_with_advice(store, tmp_path, where):
    a2 = sid(store, "a", 2)
    store.correct(a2, "note", "set", "ملاحظة عربية", annotator="huda")
    path = export_file(store, tmp_path / "out")
    raw = path.read_bytes().decode("utf-8")  # with its BOM
    if where == "header":  # the whole file read as Windows-1252 and saved as UTF-8
        garbled = as_windows_1252(raw)
    else:  # only the edited cell pasted from such a sheet
        garbled = raw.replace("ملاحظة عربية", as_windows_1252("ملاحظة عربية"))
    bad = tmp_path / "garbled.csv"
    bad.write_text(garbled, encoding="utf-8")
    with pytest.raises(CorrectionsImportError) as info:
        import_corrections(store, bad, annotator="huda")
    message = str(info.value)
    if where == "header":
        assert "row 1, column 'ï»¿doc_id'" in message
    else:
        assert f"row 4, column 'note': {as_windows_1252('ملاحظة عربية')!r} is 'ملاحظة عربية' " in message
    assert "UTF-8 read as Windows-1252" in message
    for program in ("Excel", "LibreOffice", "Google Sheets"):
        assert program in message
    assert store.sentences()["note"].tolist()[2] == "ملاحظة عربية"


def test_a_row_cut_short_in_a_file_without_as_of_clears_nothing(store, tmp_path):
    a1, a2 = sid(store, "a", 1), sid(store, "a", 2)
    store.correct(a1, "note", "set", "باقية", annotator="omar")
    store.correct(a1, "statement_type", "set", "concern", annotator="omar")
    header = "sentence_id,topics,actors,speaker,statement_type,note,reviewed"
    lines = [header, f"{a1},ukraine", f"{a2},iran,,,,,true"]  # a1's row ends after topics
    path = tmp_path / "short.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    added = import_corrections(store, path, annotator="huda")
    assert added[["sentence_id", "field", "value"]].values.tolist() == [[a2, "reviewed", "true"]]
    row = store.sentences().iloc[1]
    assert (row["note"], row["statement_type"], row["actors"], row["speaker"]) == (
        "باقية",
        "concern",
        "kremlin",
        "kremlin",
    )
    assert any("row 2 has 2 of the 7 columns" in w for w in added.attrs["warnings"])
