"""Tests for workbench/export.py: BOM + RFC 4180 CSV, formula neutralising, atomic
writes, round-trips of the current view, tables and manifest."""

from __future__ import annotations

import csv
import io
import json
import os
from collections import defaultdict

import pandas as pd
import pytest
from conftest import AUTO, CODEBOOK, DOC_A, DOC_B, make_annotations, sid

from workbench.export import EXPORT_SENTENCE_COLUMNS, export, write_csv
from workbench.store import Store

READ = {"encoding": "utf-8-sig", "keep_default_na": False}
#: The reading recipe export.py documents for sentences.csv and mentions.csv.
READ_EXACT = {**READ, "dtype": defaultdict(lambda: str, paragraph="int64", sentence="int64", start="int64",
                                           end="int64", reviewed="bool", as_of="int64")}


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
                                    "speaker_by_topic", "cooccurrence", "statements", "manifest"])
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
