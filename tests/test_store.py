"""Tests for workbench/store.py: schema, automatic runs, the corrections journal, the
current view, review queues, CSV import, and robustness under kill / concurrency.

``make_annotations`` and ``CODEBOOK`` are reused by test_export, test_agreement, test_cli.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from workbench.corpus import Corpus, build_document
from workbench.store import (
    CorrectionError,
    CorrectionsImportError,
    SENTENCE_COLUMNS,
    Store,
    StoreError,
    import_corrections,
)

CODEBOOK = SimpleNamespace(
    name="test",
    hash="cb1",
    topics={"ukraine": {"label_ar": "أوكرانيا"}, "minsk": {}, "iran": {}, "cyber": {}},
    actors={"putin": {}, "biden": {}, "kremlin": {}, "psaki": {}},
    statement_types=["concern", "support", "announcement"],
)

DOC_A = "قمة بوتين وبايدن\nوقال الكرملين إن أوكرانيا مهمة. وناقش الطرفان إيران.\nوأعرب عن قلقه."
DOC_B = "هجمات القرصنة\nقالت ساكي إن بايدن سيتحدث."

# auto values by (doc_id, sentence index in document)
AUTO = {
    ("a", 0): {"actors": "putin;biden"},
    ("a", 1): {"topics": "ukraine", "actors": "kremlin", "speaker": "kremlin",
               "statement_type": "announcement", "speaker_rule": "قال", "quote": "لا تقدم"},
    ("a", 2): {"topics": "iran"},
    ("a", 3): {"speaker": "kremlin", "statement_type": "concern", "speaker_rule": "carry-over"},
    ("b", 0): {"topics": "cyber"},
    ("b", 1): {"actors": "psaki;biden", "speaker": "psaki", "speaker_rule": "قالت"},
}


def make_annotations(texts: dict[str, str] | None = None, auto: dict | None = None,
                     codebook: SimpleNamespace = CODEBOOK) -> SimpleNamespace:
    """Annotations in the annotate.py shapes, built by hand from the corpus sentences."""
    texts = {"a": DOC_A, "b": DOC_B} if texts is None else texts
    auto = AUTO if auto is None else auto
    corpus = Corpus([build_document(d, t, path=f"{d}.txt") for d, t in texts.items()])
    sentences = corpus.sentences_frame()
    index = sentences.groupby("doc_id").cumcount()
    rows = [auto.get((d, i), {}) for d, i in zip(sentences["doc_id"], index)]
    for col in ("topics", "actors", "speaker", "statement_type", "speaker_rule"):
        sentences[col] = [r.get(col, "") for r in rows]
    sentences["source"] = "auto"
    sentences["reviewed"] = False
    sentences["quote"] = [r.get("quote", "") for r in rows]
    mentions = []
    for s in sentences.itertuples():
        for key in s.actors.split(";") if s.actors else []:
            surface = {"putin": "بوتين", "biden": "بايدن", "kremlin": "الكرملين", "psaki": "ساكي"}[key]
            offset = s.text.find(surface)
            if offset >= 0:
                mentions.append((s.doc_id, s.sentence_id, s.start + offset, s.start + offset + len(surface),
                                 surface, "actor", key, surface))
    mentions = pd.DataFrame(mentions, columns=["doc_id", "sentence_id", "start", "end", "surface", "kind", "key", "rule"])
    return SimpleNamespace(sentences=sentences, mentions=mentions, documents=corpus.documents_frame(),
                           codebook=codebook, corpus=corpus)


def sid(store: Store, doc_id: str, index: int) -> str:
    return store.sentence_ids(doc_id=doc_id)[index]


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "s.sqlite") as s:
        s.save_annotations(make_annotations())
        yield s


# --------------------------------------------------------------------------- schema


def test_new_store_has_schema_wal_and_append_only_journal(store):
    conn = sqlite3.connect(store.path)
    assert conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == ("2",)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"meta", "runs", "documents", "sentences", "auto_sentences", "auto_mentions", "corrections"} <= tables
    store.correct(sid(store, "a", 0), "note", "set", "ملاحظة", annotator="huda")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE corrections SET value = 'x'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM corrections")
    assert conn.execute("SELECT value FROM corrections").fetchall() == [("ملاحظة",)]


def _text_file(path):
    path.write_bytes(b"not a database at all, just text" * 10)


def _foreign_sqlite(path):
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x)")


def _newer_store(path):
    Store(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")


@pytest.mark.parametrize("make, message", [
    (_text_file, "is not a workbench store"),
    (_foreign_sqlite, "is an SQLite file but not a workbench store"),
    (_newer_store, "has schema version 99, newer than this workbench understands"),
    (lambda path: None, "does not exist"),  # with create=False
    (lambda path: path.mkdir(), "is a folder; name a file"),
])
def test_bad_store_files_are_clear_errors(tmp_path, make, message):
    path = tmp_path / "x.sqlite"
    make(path)
    with pytest.raises(StoreError, match=message):
        Store(path, create=False)


def test_migrations_run_in_order_and_keep_the_journal(store, monkeypatch):
    from workbench import store as store_module

    entry = store.correct(sid(store, "a", 1), "topics", "add", "iran", annotator="huda")
    store.close()
    later = ("ALTER TABLE documents ADD COLUMN language TEXT NOT NULL DEFAULT 'ar'",)
    version = len(store_module.MIGRATIONS) + 1
    monkeypatch.setattr(store_module, "MIGRATIONS", store_module.MIGRATIONS + [later])
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", version)
    with Store(store.path) as upgraded:
        assert upgraded.schema_version == version
        assert upgraded._conn.execute("SELECT DISTINCT language FROM documents").fetchall() == [("ar",)]
        assert upgraded.journal()["id"].tolist() == [entry]
        assert upgraded.sentence_record(sid(upgraded, "a", 1))["topics"] == ["ukraine", "iran"]


def test_a_version_1_store_is_upgraded_with_its_corrections(tmp_path):
    path = tmp_path / "old.sqlite"
    with Store(path) as made:
        made.save_annotations(make_annotations())
        entry = made.correct(sid(made, "a", 1), "topics", "add", "iran", annotator="huda")
    conn = sqlite3.connect(path)  # take it back to version 1, before the quote column
    conn.execute("ALTER TABLE auto_sentences DROP COLUMN quote")
    conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with Store(path) as upgraded:
        assert upgraded.schema_version == 2
        assert upgraded.journal()["id"].tolist() == [entry]
        assert (upgraded.view()[0]["quote"] == "").all()
        assert upgraded.sentence_record(sid(upgraded, "a", 1))["topics"] == ["ukraine", "iran"]
        upgraded.save_annotations(make_annotations())
        assert "لا تقدم" in upgraded.view()[0]["quote"].tolist()


# --------------------------------------------------------------------------- view


def test_view_without_corrections_is_the_automatic_layer(store):
    ann = make_annotations()
    sentences, mentions = store.view()
    assert list(sentences.columns) == SENTENCE_COLUMNS
    expected = ann.sentences.copy()
    expected["note"] = ""
    pd.testing.assert_frame_equal(sentences, expected[SENTENCE_COLUMNS].reset_index(drop=True))
    pd.testing.assert_frame_equal(mentions, ann.mentions.sort_values(["doc_id", "start"]).reset_index(drop=True))
    assert store.sentence_count() == 6
    assert store.runs()[["run_id", "codebook_hash", "codebook_name", "n_documents", "n_sentences", "n_mentions"]] \
        .values.tolist() == [[1, "cb1", "test", 2, 6, 5]]
    assert store.codebook()["topics"] == ["ukraine", "minsk", "iran", "cyber"]
    assert store.codebook()["labels"]["topics"] == {"ukraine": {"ar": "أوكرانيا"}}
    assert store.document_text("a") == DOC_A


# (field, action, value, expected current value of that column, sentence index in doc a)
CORRECTIONS = [
    ("topics", "add", "minsk", "ukraine;minsk", 1),
    ("topics", "add", "ukraine", "ukraine;iran", 2),  # codebook order, not journal order
    ("topics", "remove", "ukraine", "", 1),
    ("topics", "set", ["cyber", "ukraine"], "ukraine;cyber", 0),
    ("topics", "set", "iran;ukraine", "ukraine;iran", 0),
    ("actors", "remove", "kremlin", "", 1),
    ("actors", "add", "psaki", "putin;biden;psaki", 0),
    ("speaker", "set", "putin", "putin", 3),
    ("speaker", "set", "", "", 1),
    ("statement_type", "set", "support", "support", 1),
    ("note", "set", "=تحقق", "=تحقق", 1),
    ("reviewed", "set", True, True, 2),
    ("reviewed", "set", "false", False, 2),
]


@pytest.mark.parametrize("field, action, value, expected, index", CORRECTIONS)
def test_correction_changes_the_view(store, field, action, value, expected, index):
    target = sid(store, "a", index)
    entry = store.correct(target, field, action, value, annotator="huda")
    sentences, _ = store.view()
    row = sentences.set_index("sentence_id").loc[target]
    assert row[field] == expected
    assert row["source"] == "manual"
    assert (sentences["source"] == "manual").sum() == 1
    journal = store.journal()
    assert journal["id"].tolist() == [entry]
    assert journal.loc[0, ["annotator", "sentence_id", "field", "action"]].tolist() == ["huda", target, field, action]
    if field == "speaker":
        assert row["speaker_rule"] == "manual"


@pytest.mark.parametrize("field, action, value, message", [
    ("topics", "add", "piracy", "unknown topic key 'piracy'"),
    ("topics", "set", "ukraine;piracy", "unknown topic key 'piracy'"),
    ("actors", "add", "obama", "unknown actor key 'obama'"),
    ("speaker", "set", "obama", "unknown speaker 'obama'"),
    ("statement_type", "set", "joke", "unknown statement_type 'joke'"),
    ("reviewed", "set", "maybe", "`reviewed` value = 'maybe' is invalid"),
    ("speaker", "add", "putin", "`action` value = 'add' is invalid for field 'speaker'; value must be one of {'set'}"),
    ("colour", "set", "red", "`field` value = 'colour' is invalid; value must be one of "
                             "{'topics', 'actors', 'speaker', 'statement_type', 'note', 'reviewed'}"),
    ("topics", "toggle", "iran", "`action` value = 'toggle' is invalid for field 'topics'; value must be one of "
                                 "{'add', 'remove', 'set'}"),
    ("statement_type", "set", "joke", "; value must be one of {'concern', 'support', 'announcement'}"),
])
def test_invalid_correction_writes_nothing(store, field, action, value, message):
    with pytest.raises(CorrectionError, match=re.escape(message)):
        store.correct(sid(store, "a", 1), field, action, value, annotator="huda")
    assert len(store.journal()) == 0


def test_unknown_sentence_and_empty_annotator(store):
    with pytest.raises(CorrectionError, match="unknown sentence_id 'a:nope'"):
        store.correct("a:nope", "topics", "add", "iran", annotator="huda")
    with pytest.raises(CorrectionError, match="annotator"):
        store.correct(sid(store, "a", 1), "topics", "add", "iran", annotator="")
    assert len(store.journal()) == 0


def test_corrections_from_all_annotators_in_journal_order_or_one(store):
    target = sid(store, "a", 1)
    store.correct(target, "speaker", "set", "putin", annotator="huda")
    store.correct(target, "speaker", "set", "biden", annotator="omar")
    store.correct(target, "topics", "add", "iran", annotator="omar")
    by = {who: store.sentences(annotator=who).set_index("sentence_id").loc[target] for who in ("huda", "omar", None)}
    assert by["huda"][["speaker", "topics"]].tolist() == ["putin", "ukraine"]
    assert by["omar"][["speaker", "topics"]].tolist() == ["biden", "ukraine;iran"]
    assert by[None][["speaker", "topics"]].tolist() == ["biden", "ukraine;iran"]
    assert store.sentences(annotator="nobody").loc[:, "source"].eq("auto").all()
    assert store.annotators() == ["huda", "omar"]


# --------------------------------------------------------------------------- undo / reset


def test_undo_appends_reverting_entries(store):
    target = sid(store, "a", 1)
    first = store.correct(target, "topics", "add", "iran", annotator="huda")
    other = store.correct(target, "speaker", "set", "putin", annotator="omar")
    second = store.correct(target, "topics", "remove", "ukraine", annotator="huda")
    assert store.sentence_record(target)["topics"] == ["iran"]
    undo1 = store.undo(annotator="huda")
    assert store.sentence_record(target)["topics"] == ["ukraine", "iran"]
    undo2 = store.undo(annotator="huda")
    record = store.sentence_record(target)
    assert record["topics"] == ["ukraine"] and record["speaker"] == "putin"  # omar's stays
    assert store.undo(annotator="huda") is None
    journal = store.journal()
    assert journal["id"].tolist() == [first, other, second, undo1, undo2]
    assert journal["reverts"].tolist() == [pd.NA, pd.NA, pd.NA, second, first]
    assert journal.loc[3, ["field", "action", "value"]].tolist() == ["topics", "set", "ukraine;iran"]
    assert journal.loc[4, ["field", "action", "value"]].tolist() == ["topics", "set", "ukraine"]


def test_undone_row_is_auto_again(store):
    target = sid(store, "a", 2)
    store.correct(target, "reviewed", "set", True, annotator="huda")
    store.undo(annotator="huda")
    row = store.sentences().set_index("sentence_id").loc[target]
    assert row[["source", "reviewed"]].tolist() == ["auto", False]


def test_reset_to_automatic(store):
    target = sid(store, "a", 1)
    store.correct(target, "topics", "add", "iran", annotator="omar")
    store.correct(target, "speaker", "set", "", annotator="omar")
    store.correct(target, "note", "set", "راجع", annotator="omar")
    ids = store.reset_to_automatic(target, annotator="huda")
    journal = store.journal().set_index("id").loc[ids]
    assert journal[["annotator", "field", "action", "value"]].values.tolist() == [
        ["huda", "topics", "set", "ukraine"], ["huda", "speaker", "set", "kremlin"]]
    record = store.sentence_record(target)
    assert (record["topics"], record["speaker"], record["note"]) == (["ukraine"], "kremlin", "راجع")
    assert record["speaker_rule"] == "قال"  # the automatic evidence is back with the automatic speaker
    assert store.reset_to_automatic(target, annotator="huda") == []


# --------------------------------------------------------------------------- re-annotation


def test_reannotation_keeps_corrections_and_reports_orphans(tmp_path):
    with Store(tmp_path / "s.sqlite") as store:
        store.save_annotations(make_annotations())
        kept = sid(store, "a", 2)  # وناقش الطرفان إيران.
        gone = sid(store, "a", 3)  # وأعرب عن قلقه.
        store.correct(kept, "topics", "add", "cyber", annotator="huda")
        store.correct(gone, "speaker", "set", "putin", annotator="huda")
        store.correct(gone, "reviewed", "set", True, annotator="huda")
        store.correct(sid(store, "b", 0), "reviewed", "set", True, annotator="huda")
        assert store.progress() == (2, 6)
        changed = DOC_A.replace("وأعرب عن قلقه.", "وأعرب عن قلقه الشديد.")
        new_auto = {("a", 2): {"topics": "minsk"}}  # a different automatic layer for doc a
        run = store.save_annotations(make_annotations({"a": changed}, new_auto))
        assert run == 2
        sentences, mentions = store.view()
        by_id = sentences.set_index("sentence_id")
        assert by_id.loc[kept, ["topics", "source"]].tolist() == ["minsk;cyber", "manual"]
        assert gone not in by_id.index
        assert by_id.loc[sid(store, "a", 1), "topics"] == ""   # doc a's automatic layer replaced
        assert by_id.loc[sid(store, "b", 0), ["topics", "reviewed"]].tolist() == ["cyber", True]  # doc b kept
        assert set(mentions["doc_id"]) == {"b"}
        orphans = store.orphaned_corrections()
        assert orphans[["sentence_id", "field", "value", "doc_id", "doc_in_store"]].values.tolist() == [
            [gone, "speaker", "putin", "a", True], [gone, "reviewed", "true", "a", True]]
        assert len(store.journal()) == 4
        store.correct(kept, "reviewed", "set", True, annotator="huda")
        assert store.progress() == (2, 6)  # the orphan's sentence is not counted
        assert store.documents()["run_id"].tolist() == [2, 1]


# --------------------------------------------------------------------------- panel access


def test_sentence_record(store):
    target = sid(store, "a", 1)
    store.correct(target, "actors", "add", "putin", annotator="huda")
    record = store.sentence_record(target)
    assert record["text"] == "وقال الكرملين إن أوكرانيا مهمة."
    assert record["title"] == "قمة بوتين وبايدن"
    assert record["prev_text"] == "قمة بوتين وبايدن"
    assert record["next_text"] == "وناقش الطرفان إيران."
    assert record["actors"] == ["putin", "kremlin"] and record["auto"]["actors"] == ["kremlin"]
    assert record["source"] == "manual" and record["n_corrections"] == 1
    [m] = record["mentions"]
    assert (m["surface"], m["key"], m["rel_start"], m["rel_end"]) == ("الكرملين", "kremlin", 5, 13)
    assert record["text"][m["rel_start"]:m["rel_end"]] == DOC_A[m["start"]:m["end"]]
    last = store.sentence_record(sid(store, "a", 3))
    assert (last["prev_text"], last["next_text"]) == ("وناقش الطرفان إيران.", "")
    assert store.sentence_record(target, annotator="omar")["actors"] == ["kremlin"]
    with pytest.raises(KeyError, match="unknown sentence_id"):
        store.sentence_record("a:nope")


def test_queues(store):
    ids = store.sentence_ids()
    a1, a2, b1 = sid(store, "a", 1), sid(store, "a", 2), sid(store, "b", 1)
    store.correct(a1, "reviewed", "set", True, annotator="huda")
    store.correct(a2, "topics", "add", "ukraine", annotator="huda")
    store.correct(a2, "topics", "add", "ukraine", annotator="omar")
    store.correct(b1, "speaker", "set", "biden", annotator="omar")
    assert len(ids) == 6 and ids[:4] == store.sentence_ids(doc_id="a")
    assert store.sentence_ids(queue="unreviewed") == [i for i in ids if i != a1]
    assert store.sentence_ids(queue="unreviewed", annotator="omar") == ids
    assert store.sentence_ids(queue="topic", topic="ukraine") == [a1, a2]
    assert store.sentence_ids(queue="topic", topic="ukraine", annotator="nobody") == [a1]
    assert store.sentence_ids(queue="disagreements") == [a2, b1]
    assert store.sentence_ids(queue="disagreements", annotator="huda") == [a2]
    assert store.sentence_ids(queue="annotator_disagreements", annotator="huda", other="omar") == [b1]
    assert store.progress() == (1, 6)
    store.correct(a2, "reviewed", "set", True, annotator="omar")
    store.correct(b1, "reviewed", "set", True, annotator="omar")
    store.undo(annotator="omar")
    assert store.progress() == (2, 6)
    assert store.progress(annotator="omar") == (1, 6)
    with pytest.raises(ValueError, match=re.escape(
            "`queue` value = 'later' is invalid; value must be one of "
            "{'all', 'unreviewed', 'topic', 'disagreements', 'annotator_disagreements'}")):
        store.sentence_ids(queue="later")


def test_sentence_ids_options_are_keyword_only_and_a_positional_queue_still_works(store):
    import inspect

    kinds = {name: p.kind for name, p in inspect.signature(Store.sentence_ids).parameters.items()}
    assert [name for name, kind in kinds.items() if kind is inspect.Parameter.KEYWORD_ONLY] == [
        "queue", "topic", "annotator", "other", "doc_id"]
    a1 = sid(store, "a", 1)
    store.correct(a1, "reviewed", "set", True, annotator="huda")
    unreviewed = [i for i in store.sentence_ids() if i != a1]
    assert store.sentence_ids("unreviewed") == store.sentence_ids(queue="unreviewed") == unreviewed  # the widgets' call
    assert store.sentence_ids("unreviewed", queue="unreviewed") == unreviewed
    with pytest.raises(TypeError, match="two queues, 'all' and queue='unreviewed'"):
        store.sentence_ids("all", queue="unreviewed")


def test_large_store_record_by_position(tmp_path):
    """100,000 sentences written with bulk inserts; the panel reads one by id."""
    n_docs, per_doc = 1000, 100
    doc_ids = [f"d{i:04d}" for i in range(n_docs)]
    rows = [(d, p, 0, f"{d}:{p:010x}", p * 10, p * 10 + 9, f"جملة {p} من {d}")
            for d in doc_ids for p in range(per_doc)]
    sentences = pd.DataFrame(rows, columns=["doc_id", "paragraph", "sentence", "sentence_id", "start", "end", "text"])
    sentences["topics"] = ["iran" if p % 7 == 0 else "" for _, p, *_ in rows]
    for col in ("actors", "speaker", "statement_type", "speaker_rule"):
        sentences[col] = ""
    mentions = pd.DataFrame({"doc_id": doc_ids, "sentence_id": [f"{d}:{50:010x}" for d in doc_ids],
                             "start": 500, "end": 504, "surface": "جملة", "kind": "topic", "key": "iran", "rule": "جملة"})
    documents = pd.DataFrame({"doc_id": doc_ids, "path": "", "title": [f"عنوان {d}" for d in doc_ids],
                              "date": "", "outlet": "", "url": "", "content_hash": ""})
    ann = SimpleNamespace(sentences=sentences, mentions=mentions, documents=documents, codebook=CODEBOOK)
    with Store(tmp_path / "big.sqlite") as store:
        store.save_annotations(ann)
        assert store.sentence_count() == 100_000
        ids = store.sentence_ids()
        assert len(ids) == 100_000 and ids[55_050] == "d0550:0000000032"
        store.correct(ids[55_050], "topics", "add", "cyber", annotator="huda")
        record = store.sentence_record(ids[55_050])
        assert (record["text"], record["prev_text"], record["next_text"], record["title"]) == (
            "جملة 50 من d0550", "جملة 49 من d0550", "جملة 51 من d0550", "عنوان d0550")
        assert record["topics"] == ["cyber"] and record["mentions"][0]["key"] == "iran"
        assert store.sentence_ids(queue="disagreements") == [ids[55_050]]
        store.correct(ids[99_999], "reviewed", "set", True, annotator="huda")
        assert store.progress() == (1, 100_000)
        # every query the panel makes uses an index, never a scan of a large table
        plans = [store._conn.execute("EXPLAIN QUERY PLAN " + sql, args).fetchall() for sql, args in [
            ('SELECT text FROM sentences WHERE doc_id = ? AND (paragraph, sentence) < (?, ?) '
             'ORDER BY paragraph DESC, sentence DESC LIMIT 1', ("d0550", 50, 0)),
            ("SELECT * FROM auto_mentions WHERE sentence_id = ? ORDER BY start, mention_id", (ids[0],)),
            ("SELECT * FROM corrections WHERE sentence_id IN (?) ORDER BY id", (ids[0],)),
            ("SELECT * FROM auto_sentences WHERE sentence_id = ?", (ids[0],)),
        ]]
        assert not [p for plan in plans for p in plan if p[3].startswith("SCAN")]


# --------------------------------------------------------------------------- robustness

WRITER = textwrap.dedent("""
    import os, sys, time
    from workbench.store import Store
    store = Store(sys.argv[1])
    target, who, n = sys.argv[2], sys.argv[3], int(sys.argv[4])
    print("ready", flush=True)
    while len(sys.argv) > 5 and not os.path.exists(sys.argv[5]):  # start together
        time.sleep(0.005)
    for i in range(n):
        entry = store.correct(target, "note", "set", f"{who} {i}", annotator=who)
        print(entry, flush=True)
""")


def test_sigkill_mid_correction_keeps_every_committed_entry(store, tmp_path):
    target = sid(store, "a", 1)
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(store.path), target, "killed", "1000000"],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline() == "ready\n"
    committed = [int(proc.stdout.readline()) for _ in range(50)]
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    with Store(store.path) as after:
        assert after._conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        journal = after.journal()
        assert set(committed) <= set(journal["id"])
        assert journal["value"].tolist() == [f"killed {i}" for i in range(len(journal))]


def test_two_writers_at_once_lose_nothing(store, tmp_path):
    target = sid(store, "a", 1)
    go = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(store.path), target, who, "100", str(go)],
                              stdout=subprocess.PIPE, text=True) for who in ("huda", "omar")]
    assert [p.stdout.readline() for p in procs] == ["ready\n", "ready\n"]
    go.touch()
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    assert [len(o.split()) for o in outputs] == [100, 100]
    journal = store.journal()
    assert journal.groupby("annotator").size().to_dict() == {"huda": 100, "omar": 100}
    for who in ("huda", "omar"):
        assert journal.loc[journal["annotator"] == who, "value"].tolist() == [f"{who} {i}" for i in range(100)]


# --------------------------------------------------------------------------- CSV import


def edited_csv(store: Store, path: Path, edit, *, sep: str = ",", bom: bool = True, list_sep: str = ";",
               hint: bool = False) -> Path:
    frame, _ = store.view()
    frame = edit(frame.copy())
    for col in ("topics", "actors"):
        frame[col] = frame[col].str.replace(";", list_sep)
    text = frame.to_csv(sep=sep, index=False, lineterminator="\r\n")
    text = (f"sep={sep}\r\n" if hint else "") + text
    path.write_text(text, encoding="utf-8-sig" if bom else "utf-8", newline="")
    return path


def spreadsheet_edit(frame: pd.DataFrame) -> pd.DataFrame:
    frame.loc[1, "topics"] = "ukraine;minsk"
    frame.loc[2, "topics"] = ""
    frame.loc[3, "speaker"] = "putin"
    frame.loc[1, "reviewed"] = True
    frame.loc[4, "note"] = "قرصنة إلكترونية؟"
    return frame


@pytest.mark.parametrize("sep, bom, list_sep, hint", [
    (",", True, ";", False), (";", False, ",", False), (";", True, ";", False), (",", False, ";", False),
    ("\t", True, ";", False), (";", True, "،", True), (",", False, ",", True),
])
def test_import_corrections_journals_differences(store, tmp_path, sep, bom, list_sep, hint):
    path = edited_csv(store, tmp_path / "edited.csv", spreadsheet_edit, sep=sep, bom=bom, list_sep=list_sep,
                      hint=hint)
    added = import_corrections(store, path, annotator="huda")
    ids = store.sentence_ids()
    assert added[["sentence_id", "field", "action", "value"]].values.tolist() == [
        [ids[1], "topics", "add", "minsk"],
        [ids[1], "reviewed", "set", "true"],
        [ids[2], "topics", "remove", "iran"],
        [ids[3], "speaker", "set", "putin"],
        [ids[4], "note", "set", "قرصنة إلكترونية؟"],
    ]
    assert set(added["annotator"]) == {"huda"}
    assert import_corrections(store, path, annotator="huda").empty  # nothing left to change


def test_import_reports_every_bad_row_and_imports_nothing(store, tmp_path):
    def edit(frame):
        frame["reviewed"] = frame["reviewed"].astype(str)
        frame.loc[0, "topics"] = "ukraine;piracy"
        frame.loc[2, "sentence_id"] = "a:0000000000"
        frame.loc[3, "speaker"] = "obama"
        frame.loc[4, "reviewed"] = "ربما"
        frame.loc[5, "topics"] = "iran"  # a good row: must not be imported either
        return frame
    path = edited_csv(store, tmp_path / "bad.csv", edit)
    with pytest.raises(CorrectionsImportError) as info:
        import_corrections(store, path, annotator="huda")
    assert info.value.problems == [
        "row 2: unknown topic key(s) ['piracy'] in column 'topics'",
        "row 4: unknown sentence_id 'a:0000000000'",
        "row 6: 'reviewed' = 'ربما' is not TRUE or FALSE",
        f"row 5: unknown speaker 'obama' for sentence {sid(store, 'a', 3)!r}; a speaker is an actor id "
        "of the codebook 'test': ['putin', 'biden', 'kremlin', 'psaki']",
    ]
    assert "nothing was imported" in str(info.value)
    assert len(store.journal()) == 0


def test_import_needs_sentence_id_column(store, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("id,topics\n1,iran\n", encoding="utf-8")
    with pytest.raises(CorrectionsImportError, match="no 'sentence_id' column"):
        import_corrections(store, path, annotator="huda")


def test_import_row_numbers_count_the_hint_line(store, tmp_path):
    def edit(frame):
        frame.loc[1, "topics"] = "piracy"
        return frame
    path = edited_csv(store, tmp_path / "bad.csv", edit, sep=";", hint=True)
    with pytest.raises(CorrectionsImportError) as info:
        import_corrections(store, path, annotator="huda")
    assert info.value.problems == ["row 4: unknown topic key(s) ['piracy'] in column 'topics'"]
