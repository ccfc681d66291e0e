"""Tests for workbench/store/: schema, automatic runs, the corrections journal, the
current view, review queues, CSV import, and robustness under kill / concurrency.

The store of two hand-annotated documents (``make_annotations``, the ``store`` fixture)
is in conftest.py.
"""

from __future__ import annotations

import dataclasses
import os
import re
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest
from conftest import AUTO, CODEBOOK, CODEBOOKS, DOC_A, annotations, make_annotations, sid

from workbench.codebook import load_codebook
from workbench.columns import VIEW_SENTENCE_COLUMNS
from workbench.corpus import Corpus, build_document
from workbench.store import (
    SCHEMA_VERSION,
    CorrectionError,
    CorrectionsImportError,
    Store,
    StoreError,
    import_corrections,
    layout,
)

# --------------------------------------------------------------------------- schema


def test_new_store_has_schema_wal_and_append_only_journal(store):
    conn = sqlite3.connect(store.path)
    version = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    assert version == (str(SCHEMA_VERSION),)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"meta", "runs", "documents", "sentences", "strings", "auto_mentions", "corrections",
            "imports", "exports", "reuse_cache"} <= tables
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
    from workbench.store import schema as store_module

    entry = store.correct(sid(store, "a", 1), "topics", "add", "iran", annotator="huda")
    store.close()
    later = ("ALTER TABLE documents ADD COLUMN language TEXT NOT NULL DEFAULT 'ar'",)
    version = len(store_module.MIGRATIONS) + 1
    monkeypatch.setattr(store_module, "MIGRATIONS", store_module.MIGRATIONS + [later])
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", version)
    with Store(store.path) as upgraded:
        assert upgraded.schema_version == version
        assert upgraded.query("SELECT DISTINCT language FROM documents") == [("ar",)]
        assert upgraded.journal()["id"].tolist() == [entry]
        assert upgraded.sentence_record(sid(upgraded, "a", 1))["topics"] == ["ukraine", "iran"]


#: Migration 9 (issue 13's lean store) taken back: the tables as version 8 kept them.
UNDO_MIGRATION_9 = (
    "CREATE TABLE documents_8 (doc_id TEXT PRIMARY KEY, path TEXT NOT NULL, title TEXT NOT NULL, date TEXT, "
    "outlet TEXT NOT NULL, url TEXT NOT NULL, content_hash TEXT NOT NULL, text TEXT, "
    "run_id INTEGER REFERENCES runs(run_id), date_rule TEXT NOT NULL DEFAULT '', "
    "path_key TEXT NOT NULL DEFAULT '')",
    "INSERT INTO documents_8 SELECT doc_id, path, title, date, outlet, url, content_hash, text, run_id, "
    "date_rule, path_key FROM documents",
    "CREATE TABLE sentences_8 (sentence_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL REFERENCES "
    "documents_8(doc_id) ON DELETE CASCADE, paragraph INTEGER NOT NULL, sentence INTEGER NOT NULL, "
    'start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL)',
    f"INSERT INTO sentences_8 SELECT {layout.SENTENCE_ID}, d.doc_id, s.paragraph, s.sentence, s.start, "
    f's."end", {layout.SENTENCE_TEXT} FROM sentences s JOIN documents d ON d.doc = s.doc',
    "CREATE TABLE auto_sentences_8 (sentence_id TEXT PRIMARY KEY REFERENCES sentences_8(sentence_id) "
    "ON DELETE CASCADE, run_id INTEGER NOT NULL REFERENCES runs(run_id), topics TEXT NOT NULL, "
    "actors TEXT NOT NULL, speaker TEXT NOT NULL, statement_type TEXT NOT NULL, speaker_rule TEXT NOT NULL, "
    "quote TEXT NOT NULL DEFAULT '', confidence REAL NOT NULL DEFAULT 1.0, "
    "furniture TEXT NOT NULL DEFAULT '')",
    f"INSERT INTO auto_sentences_8 SELECT {layout.SENTENCE_ID}, s.run_id, "
    + ", ".join(f"(SELECT value FROM strings WHERE id = s.{c})"
                for c in ("topics", "actors", "speaker", "statement_type"))
    + ", s.speaker_rule, s.quote, s.confidence, (SELECT value FROM strings WHERE id = s.furniture) "
    "FROM sentences s JOIN documents d ON d.doc = s.doc",
    "CREATE TABLE auto_mentions_8 (mention_id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES "
    "runs(run_id), doc_id TEXT NOT NULL, sentence_id TEXT NOT NULL REFERENCES sentences_8(sentence_id) "
    'ON DELETE CASCADE, start INTEGER NOT NULL, "end" INTEGER NOT NULL, surface TEXT NOT NULL, '
    "kind TEXT NOT NULL, key TEXT NOT NULL, rule TEXT NOT NULL, confidence REAL NOT NULL DEFAULT 1.0)",
    "INSERT INTO auto_mentions_8 SELECT row_number() OVER (ORDER BY d.doc_id, m.start, m.mention_id), "
    f"s.run_id, d.doc_id, {layout.SENTENCE_ID}, m.start, m.\"end\", "
    'coalesce(m.surface, substr(d.text, m.start + 1, m."end" - m.start)), '
    "(SELECT value FROM strings WHERE id = m.kind), (SELECT value FROM strings WHERE id = m.key), "
    "(SELECT value FROM strings WHERE id = m.rule), m.confidence FROM auto_mentions m "
    "JOIN documents d ON d.doc = m.doc JOIN sentences s ON (s.doc, s.paragraph, s.sentence) = "
    "(m.doc, m.paragraph, m.sentence)",
    "DROP TABLE auto_mentions", "DROP TABLE sentences", "DROP TABLE documents", "DROP TABLE strings",
    "ALTER TABLE documents_8 RENAME TO documents", "ALTER TABLE sentences_8 RENAME TO sentences",
    "ALTER TABLE auto_sentences_8 RENAME TO auto_sentences",
    "ALTER TABLE auto_mentions_8 RENAME TO auto_mentions",
    "CREATE UNIQUE INDEX sentences_position ON sentences(doc_id, paragraph, sentence)",
    "CREATE INDEX auto_mentions_sentence ON auto_mentions(sentence_id, start)",
    "CREATE INDEX documents_path_key ON documents(path_key) WHERE path_key != ''",
)
#: What migrations 6–8 (issue 10: journal batches, document identity, what exports wrote) added.
UNDO_MIGRATIONS_6_TO_8 = (
    *UNDO_MIGRATION_9, "DROP TABLE export_cells", "ALTER TABLE exports DROP COLUMN cells",
    "ALTER TABLE exports DROP COLUMN run_id", "ALTER TABLE exports DROP COLUMN annotator",
    "DROP TABLE document_changes", "DROP INDEX documents_path_key",
    "ALTER TABLE documents DROP COLUMN path_key", "DROP INDEX corrections_batch",
    "ALTER TABLE corrections DROP COLUMN batch",
)
UNDO_MIGRATION_3 = ("DROP TABLE imports", "DROP TABLE exports")
UNDO_MIGRATION_4 = (
    "ALTER TABLE auto_sentences DROP COLUMN confidence",
    "ALTER TABLE auto_sentences DROP COLUMN furniture",
    "ALTER TABLE auto_mentions DROP COLUMN confidence",
    "ALTER TABLE documents DROP COLUMN date_rule",
)
#: ... and, since every older version lacks them too, migrations 6–8 (run first).
UNDO_MIGRATION_5 = (*UNDO_MIGRATIONS_6_TO_8, "DROP TABLE reuse_cache")


def downgrade(path: Path, version: int, *statements: str) -> None:
    """Take a store back to an older schema version, the way a store made then looks."""
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version),))
    conn.commit()
    conn.close()


def test_a_version_1_store_is_upgraded_with_its_corrections(tmp_path):
    path = tmp_path / "old.sqlite"
    with Store(path) as made:
        made.save_annotations(make_annotations())
        entry = made.correct(sid(made, "a", 1), "topics", "add", "iran", annotator="huda")
    downgrade(  # before the quote column
        path, 1, *UNDO_MIGRATION_5, *UNDO_MIGRATION_4, *UNDO_MIGRATION_3,
        "ALTER TABLE auto_sentences DROP COLUMN quote")
    with Store(path) as upgraded:
        assert upgraded.schema_version == SCHEMA_VERSION
        assert upgraded.journal()["id"].tolist() == [entry]
        assert (upgraded.view()[0]["quote"] == "").all()
        assert upgraded.sentence_record(sid(upgraded, "a", 1))["topics"] == ["ukraine", "iran"]
        upgraded.save_annotations(make_annotations())
        assert "لا تقدم" in upgraded.view()[0]["quote"].tolist()


def test_a_version_2_store_is_upgraded_and_records_imports_and_exports(tmp_path):
    from workbench.export import export

    path = tmp_path / "old.sqlite"
    with Store(path) as made:
        made.save_annotations(make_annotations())
        entry = made.correct(sid(made, "a", 1), "topics", "add", "iran", annotator="huda")
    downgrade(path, 2, *UNDO_MIGRATION_5, *UNDO_MIGRATION_4, *UNDO_MIGRATION_3)
    with Store(path) as upgraded:
        assert upgraded.schema_version == SCHEMA_VERSION
        assert upgraded.journal()["id"].tolist() == [entry]
        assert upgraded.exports().empty and upgraded.imports().empty
        export(upgraded, tmp_path / "out")
        assert upgraded.exports()["as_of"].tolist() == [entry]
        frame = pd.read_csv(tmp_path / "out" / "sentences.csv", encoding="utf-8-sig", keep_default_na=False,
                            dtype=str)
        frame.loc[1, "note"] = "راجع"
        frame.to_csv(tmp_path / "e.csv", index=False)
        assert len(import_corrections(upgraded, tmp_path / "e.csv", annotator="huda")) == 1
        assert upgraded.imports()[["path", "annotator", "n_entries"]].values.tolist() == [
            [str(tmp_path / "e.csv"), "huda", 1]]


def test_a_version_4_store_is_upgraded_and_keeps_the_reuse_it_finds(tmp_path):
    from workbench.export import export

    path = tmp_path / "old.sqlite"
    with Store(path) as made:
        made.save_annotations(make_annotations())
        entry = made.correct(sid(made, "a", 1), "topics", "add", "iran", annotator="huda")
    downgrade(path, 4, *UNDO_MIGRATION_5)
    with Store(path) as upgraded:
        assert upgraded.schema_version == SCHEMA_VERSION
        assert upgraded.journal()["id"].tolist() == [entry]
        assert upgraded.query("SELECT count(*) FROM reuse_cache") == [(0,)]
        export(upgraded, tmp_path / "out")
        assert upgraded.query("SELECT documents FROM reuse_cache") == [(len(upgraded.documents()),)]


STORES = Path(__file__).parent / "data" / "stores"


def test_a_store_written_by_the_previous_version_opens_migrates_and_imports(tmp_path):
    """v3-477a952.sqlite was written by main at 477a952 (tests/data/stores/make_v3_store.py):
    its view, journal and codebook read the same, and the spreadsheet it exported imports."""
    import shutil

    from workbench.store import SCHEMA_VERSION

    path = tmp_path / "old.sqlite"
    shutil.copy(STORES / "v3-477a952.sqlite", path)
    with Store(path, create=False) as old:
        assert old.schema_version == SCHEMA_VERSION
        expected = pd.read_csv(STORES / "v3-477a952-view.csv", keep_default_na=False, dtype=str)
        got = old.sentences()
        pd.testing.assert_frame_equal(got[expected.columns].astype(str), expected.astype({"reviewed": str}))
        # what the old store did not keep: sure of every decision, no page furniture
        assert got.confidence.eq(1.0).all() and got.furniture.eq("").all()
        assert old.mentions().confidence.eq(1.0).all() and old.documents().date_rule.eq("").all()
        assert old.journal()[["annotator", "field", "action", "value"]].values.tolist() == [
            ["huda", "topics", "add", "minsk"],
            ["huda", "note", "set", "راجع الترجمة"],
            ["omar", "speaker", "set", "putin"],
            ["omar", "speaker", "set", ""],
            ["omar", "reviewed", "set", "true"],
        ]
        summary = old.codebook()
        assert summary.topic_keys == ["ukraine", "minsk", "iran", "cyber", "strategic_stability"]
        assert summary.labels("actor", lang="en")["putin"] == "Vladimir Putin"
        assert {a.type for a in summary.actors} == {""}  # this version did not keep actor types
        edited = pd.read_csv(STORES / "v3-477a952-sentences.csv", encoding="utf-8-sig", keep_default_na=False,
                             dtype=str)
        edited.loc[2, "note"] = "مصدر ثان"
        edited.to_csv(tmp_path / "edited.csv", index=False)
        added = import_corrections(old, tmp_path / "edited.csv", annotator="huda")
        assert added[["sentence_id", "field", "value"]].values.tolist() == [
            [edited.loc[2, "sentence_id"], "note", "مصدر ثان"]
        ]
        old.correct(edited.loc[3, "sentence_id"], "topics", "add", "iran", annotator="omar")
        assert old.sentences().loc[3, "topics"].split(";")[-1] == "iran"
        # the rebuilt journal takes the new field, keeps every entry and id, and stays append-only
        before = old.journal()["id"].tolist()
        new = old.correct(edited.loc[4, "sentence_id"], "furniture", "set", "caption", annotator="omar")
        assert old.journal()["id"].tolist() == before + [new] and new == max(before) + 1
        assert old.sentences().loc[4, "furniture"] == "caption"
        assert old.undo(annotator="omar") == new + 1 and old.sentences().loc[4, "furniture"] == ""
        conn = sqlite3.connect(path)
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("DELETE FROM corrections")
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        conn.close()


def _assert_opens_as_a_new_store(path: Path, tmp_path: Path) -> None:
    """The upgraded store at ``path`` passes the schema check and has a new store's shape."""
    with Store(path, create=False) as again:
        assert again.schema_version == SCHEMA_VERSION
    with Store(tmp_path / "new.sqlite"):
        pass
    assert _shape(path) == _shape(tmp_path / "new.sqlite")


def _shape(path: Path) -> dict[str, object]:
    """Each table's columns and each index's, view's and trigger's SQL of the store at ``path``."""
    conn = sqlite3.connect(path)
    try:
        found = {}
        for kind, name, sql in conn.execute("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE "
                                            "'sqlite_%'"):
            found[name] = (kind, conn.execute("SELECT name, type, \"notnull\", dflt_value FROM "
                                              "pragma_table_info(?)", (name,)).fetchall()
                           if kind == "table" else " ".join(sql.split()))
        return found
    finally:
        conn.close()


def test_a_version_5_store_written_by_main_upgrades_through_migrations_6_to_8(tmp_path):
    """v5-de949e8.sqlite was written by main at de949e8 (tests/data/stores/make_v5_store.py), with
    issue 11's migration 4 and review-15's 5 and without issue 10's 6-8: it upgrades to the
    schema a new store has (which the schema check accepts when it is opened again), its view
    and journal read the same, its untouched export imports as nothing, a reset made since is
    undone whole, and re-annotating its articles keeps every id and correction."""
    import shutil

    import workbench as wb

    path = tmp_path / "old.sqlite"
    shutil.copy(STORES / "v5-de949e8.sqlite", path)
    raw = sqlite3.connect(path)
    assert raw.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("5",)
    assert "batch" not in {r[1] for r in raw.execute("PRAGMA table_info(corrections)")}
    raw.close()
    with Store(path, create=False) as old:
        assert old.schema_version == SCHEMA_VERSION == 9
        expected = pd.read_csv(STORES / "v5-de949e8-view.csv", keep_default_na=False, dtype=str)
        got = old.sentences()
        pd.testing.assert_frame_equal(got[expected.columns].astype(str),
                                      expected.astype({"reviewed": str, "confidence": str}))
        assert got.loc[got.sentence_id == "qimma:2c226a5307", "furniture"].tolist() == ["caption"]
        assert old.journal()["id"].tolist() == list(range(1, 10))
        exported = STORES / "v5-de949e8-sentences.csv"
        assert import_corrections(old, exported, annotator="huda").empty  # untouched: nothing
        edited = pd.read_csv(exported, encoding="utf-8-sig", keep_default_na=False, dtype=str)
        edited.loc[5, "note"] = "مصدر ثان"
        edited.to_csv(tmp_path / "edited.csv", index=False)
        added = import_corrections(old, tmp_path / "edited.csv", annotator="huda")
        assert added[["sentence_id", "field", "value"]].values.tolist() == [
            [edited.loc[5, "sentence_id"], "note", "مصدر ثان"]]
        target = "qimma:4a8f0c36fd"
        before = old.sentence_record(target)
        old.correct(target, "speaker", "set", "putin", annotator="omar")
        old.correct(target, "statement_type", "set", "warning", annotator="omar")
        reset = old.reset_to_automatic(target, annotator="omar")
        assert len(reset) == 2
        old.undo(annotator="omar")  # one undo takes back the whole reset
        assert old.sentence_record(target)["speaker"] == "putin"
        assert old.sentence_record(target)["statement_type"] == "warning"
        view = old.sentences()
        run = old.save_annotations(wb.annotate(wb.load_corpus(STORES / "articles")))
        changes = old.document_changes(run)
        assert sorted(changes.doc_id) == ["minsk", "qimma"] and set(changes.change) <= {"kept", "moved"}
        assert old.orphaned_corrections().empty
        pd.testing.assert_frame_equal(old.sentences().drop(columns="speaker_rule"),
                                      view.drop(columns="speaker_rule"))
    assert before["speaker"] == "biden"
    _assert_opens_as_a_new_store(path, tmp_path)


def test_a_version_8_store_written_by_main_migrates_to_the_lean_store_with_everything_intact(tmp_path):
    """v8-14654ec.sqlite was written by main at 14654ec (tests/data/stores/make_v8_store.py): two runs,
    corrections with a batch and an undo, an export. Migration 9 keeps the view (columns, dtypes,
    values, order), every journal entry and id, the export's record; the export imports back, and
    re-annotating the articles keeps every id and correction."""
    import json
    import shutil

    import workbench as wb

    path = tmp_path / "old.sqlite"
    shutil.copy(STORES / "v8-14654ec.sqlite", path)
    raw = sqlite3.connect(path)
    assert raw.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("8",)
    assert "auto_sentences" in {r[0] for r in raw.execute("SELECT name FROM sqlite_master")}
    raw.close()
    read = dict(keep_default_na=False, dtype=str)
    as_text = lambda frame: frame.astype(object).fillna("").astype(str)  # noqa: E731  (as a CSV holds it)
    dtypes = json.loads((STORES / "v8-14654ec-dtypes.json").read_text())
    with Store(path, create=False) as old:
        assert old.schema_version == SCHEMA_VERSION == 9
        assert old.query("PRAGMA freelist_count") == [(0,)]  # compacted after the migration
        sentences, mentions = old.view()
        for got, name in ((sentences, "view"), (mentions, "mentions")):
            expected = pd.read_csv(STORES / f"v8-14654ec-{name}.csv", **read)
            assert list(got.columns) == list(expected.columns)
            kept = dtypes["sentences" if name == "view" else name]
            assert {c: str(t) for c, t in got.dtypes.items()} == kept
            pd.testing.assert_frame_equal(got.astype(str), expected, check_dtype=False)
        assert (sentences.text == [old.document_text(d)[a:b] for d, a, b in
                                   zip(sentences.doc_id, sentences.start, sentences.end, strict=True)]).all()
        journal = pd.read_csv(STORES / "v8-14654ec-journal.csv", **read)
        pd.testing.assert_frame_equal(as_text(old.journal()), journal, check_dtype=False)
        exports = pd.read_csv(STORES / "v8-14654ec-exports.csv", **read)
        pd.testing.assert_frame_equal(as_text(old.exports()), exports, check_dtype=False)
        exported = STORES / "v8-14654ec-sentences.csv"
        assert import_corrections(old, exported, annotator="huda").empty  # untouched: nothing
        edited = pd.read_csv(exported, encoding="utf-8-sig", **read)
        edited.loc[5, "note"] = "مصدر ثان"
        edited.to_csv(tmp_path / "edited.csv", index=False)
        added = import_corrections(old, tmp_path / "edited.csv", annotator="huda")
        assert added[["sentence_id", "field", "value"]].values.tolist() == [
            [edited.loc[5, "sentence_id"], "note", "مصدر ثان"]]
        assert old.undo(annotator="huda") == max(journal["id"].astype(int)) + 2  # reverts the import
        view = old.sentences()
        run = old.save_annotations(wb.annotate(wb.load_corpus(STORES / "articles")))
        assert sorted(old.document_changes(run).doc_id) == ["minsk", "qimma"]
        assert old.orphaned_corrections().empty
        pd.testing.assert_frame_equal(old.sentences().drop(columns="speaker_rule"),
                                      view.drop(columns="speaker_rule"))
        assert old.journal()["id"].tolist() == list(range(1, len(journal) + 3))
    _assert_opens_as_a_new_store(path, tmp_path)


# --------------------------------------------------------------------------- view


def test_view_without_corrections_is_the_automatic_layer(store):
    ann = make_annotations()
    sentences, mentions = store.view()
    assert list(sentences.columns) == VIEW_SENTENCE_COLUMNS
    expected = ann.sentences.copy()
    expected["note"] = ""
    pd.testing.assert_frame_equal(sentences, expected[VIEW_SENTENCE_COLUMNS].reset_index(drop=True))
    pd.testing.assert_frame_equal(
        mentions, ann.mentions.sort_values(["doc_id", "start"]).reset_index(drop=True)
    )
    assert store.sentence_count() == 6
    assert store.runs()[
        ["run_id", "codebook_hash", "codebook_name", "n_documents", "n_sentences", "n_mentions"]
    ].values.tolist() == [[1, CODEBOOK.hash, "test", 2, 6, 5]]
    assert store.codebook() == dataclasses.replace(CODEBOOK.summary(), run_id=1)
    assert store.codebook().topic_keys == ["ukraine", "minsk", "iran", "cyber"]
    assert store.codebook().labels("topic", lang="ar") == {
        "ukraine": "أوكرانيا", "minsk": "مينسك", "iran": "إيران", "cyber": "السيبراني"}
    assert [(a.key, a.type) for a in store.codebook().actors] == [
        ("putin", "person"), ("biden", "person"), ("kremlin", "institution"), ("psaki", "person")]
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
    assert journal.loc[0, ["annotator", "sentence_id", "field", "action"]].tolist() == [
        "huda",
        target,
        field,
        action,
    ]
    if field == "speaker":
        assert row["speaker_rule"] == "manual"


@pytest.mark.parametrize(
    "field, action, value, message",
    [
        ("topics", "add", "piracy", "unknown topic key 'piracy'"),
        ("topics", "set", "ukraine;piracy", "unknown topic key 'piracy'"),
        ("actors", "add", "obama", "unknown actor key 'obama'"),
        ("speaker", "set", "obama", "unknown speaker 'obama'"),
        ("statement_type", "set", "joke", "unknown statement_type 'joke'"),
        ("reviewed", "set", "maybe", "`reviewed` value = 'maybe' is invalid"),
        (
            "speaker",
            "add",
            "putin",
            "`action` value = 'add' is invalid for field 'speaker'; value must be one of {'set'}",
        ),
        (
            "colour",
            "set",
            "red",
            "`field` value = 'colour' is invalid; value must be one of "
            "{'topics', 'actors', 'speaker', 'statement_type', 'note', 'reviewed', 'furniture'}",
        ),
        (
            "topics",
            "toggle",
            "iran",
            "`action` value = 'toggle' is invalid for field 'topics'; value must be one of "
            "{'add', 'remove', 'set'}",
        ),
        ("statement_type", "set", "joke", "; value must be one of {'concern', 'support', 'announcement'}"),
    ],
)
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
    by = {
        who: store.sentences(annotator=who).set_index("sentence_id").loc[target]
        for who in ("huda", "omar", None)
    }
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
            "{'all', 'unreviewed', 'topic', 'disagreements', 'annotator_disagreements', 'least_certain'}")):
        store.sentence_ids(queue="later")


def test_least_certain_queue_puts_the_least_sure_speaker_decisions_first(tmp_path):
    auto = {**AUTO, ("a", 1): {**AUTO[("a", 1)], "confidence": 0.95},
            ("b", 1): {**AUTO[("b", 1)], "confidence": 0.3}}
    with Store(tmp_path / "s.sqlite") as store:
        store.save_annotations(make_annotations(auto=auto))
        ids = store.sentence_ids()
        a3, b1 = sid(store, "a", 3), sid(store, "b", 1)
        # b1 (0.3), a3 (0.7), a1 (0.95), then the sure ones in document order
        assert store.sentence_ids(queue="least_certain") == [b1, a3, ids[1], ids[0], ids[2], ids[4]]
        assert store.view()[0].set_index("sentence_id").loc[[b1, a3], "confidence"].tolist() == [0.3, 0.7]
        # a speaker set by hand is sure: it leaves the head of the queue
        store.correct(b1, "speaker", "set", "biden", annotator="huda")
        assert store.sentence_ids(queue="least_certain")[:2] == [a3, ids[1]]
        assert store.sentence_ids(queue="least_certain", annotator="omar")[0] == b1
        record = store.sentence_record(b1)
        assert (record["speaker"], record["speaker_rule"], record["confidence"]) == ("biden", "manual", 1.0)
        assert store.sentence_ids(queue="least_certain", doc_id="a") == [a3, ids[1], ids[0], ids[2]]


def test_furniture_is_kept_and_can_be_corrected(store):
    a2, b1 = sid(store, "a", 2), sid(store, "b", 1)
    view = store.view()[0].set_index("sentence_id")
    assert view.loc[a2, "furniture"] == "other" and view.loc[b1, "furniture"] == ""
    store.correct(a2, "furniture", "set", "", annotator="huda")  # it is body text after all
    store.correct(b1, "furniture", "set", " caption ", annotator="huda")
    view = store.view()[0].set_index("sentence_id")
    got = (view.loc[a2, "furniture"], view.loc[b1, "furniture"], view.loc[b1, "source"])
    assert got == ("", "caption", "manual")
    assert store.sentence_ids(queue="disagreements") == [a2, b1]
    assert store.sentence_record(b1)["furniture"] == "caption"
    store.reset_to_automatic(b1, annotator="huda")
    assert store.view()[0].set_index("sentence_id").loc[b1, "furniture"] == ""
    message = r"`furniture` value = 'banner' is invalid .* one of \{'caption', "
    with pytest.raises(CorrectionError, match=message):
        store.correct(b1, "furniture", "set", "banner", annotator="huda")
    with pytest.raises(CorrectionError, match="`action` value = 'add' is invalid for field 'furniture'"):
        store.correct(b1, "furniture", "add", "caption", annotator="huda")


def test_confidence_and_date_rule_are_stored(tmp_path):
    from workbench.annotate import annotate

    text = "بايدن يحذر من التصعيد\nالأربعاء ٦ تموز ٢٠٢٢\nوقال بادين إن الدعم مستمر."
    corpus = Corpus([build_document("t", text)])
    ann = annotate(corpus)
    with Store(tmp_path / "s.sqlite") as store:
        store.save_annotations(ann)
        sentences, mentions = store.view()
        assert sentences.confidence.tolist() == ann.sentences.confidence.tolist() == [0.95, 1.0, 0.45]
        assert sentences.furniture.tolist() == ["", "dateline", ""]
        assert mentions.set_index("surface").loc["بادين", "confidence"] == 0.5
        assert store.documents().date_rule.tolist() == ["text:paragraph=1 written=٦ تموز ٢٠٢٢"]


def test_sentence_ids_options_are_keyword_only(store):
    import inspect

    kinds = {name: p.kind for name, p in inspect.signature(Store.sentence_ids).parameters.items()}
    assert [name for name, kind in kinds.items() if kind is inspect.Parameter.KEYWORD_ONLY] == [
        "queue", "topic", "annotator", "other", "doc_id"]
    a1 = sid(store, "a", 1)
    store.correct(a1, "reviewed", "set", True, annotator="huda")
    unreviewed = [i for i in store.sentence_ids() if i != a1]
    assert store.sentence_ids(queue="unreviewed") == unreviewed
    with pytest.raises(TypeError):
        store.sentence_ids("unreviewed")  # options are keyword-only


def test_large_store_record_by_position(tmp_path):
    """100,000 sentences written with bulk inserts; the panel reads one by id."""
    n_docs, per_doc = 1000, 100
    doc_ids = [f"d{i:04d}" for i in range(n_docs)]
    rows = [(d, p, 0, f"{d}:{p:010x}", p * 10, p * 10 + 9, f"جملة {p} من {d}")
            for d in doc_ids for p in range(per_doc)]
    sentences = pd.DataFrame(
        rows, columns=["doc_id", "paragraph", "sentence", "sentence_id", "start", "end", "text"]
    )
    sentences["topics"] = ["iran" if p % 7 == 0 else "" for _, p, *_ in rows]
    for col in ("actors", "speaker", "statement_type", "speaker_rule"):
        sentences[col] = ""
    mentions = pd.DataFrame(
        {
            "doc_id": doc_ids,
            "sentence_id": [f"{d}:{50:010x}" for d in doc_ids],
            "start": 500,
            "end": 504,
            "surface": "جملة",
            "kind": "topic",
            "key": "iran",
            "rule": "جملة",
        }
    )
    documents = pd.DataFrame({"doc_id": doc_ids, "path": "", "title": [f"عنوان {d}" for d in doc_ids],
                              "date": "", "outlet": "", "url": "", "content_hash": ""})
    ann = annotations(sentences, mentions, documents)
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
        statements = []
        store._conn.set_trace_callback(statements.append)
        store.sentence_record(ids[55_050])
        store.sentence_ids(queue="all", doc_id="d0550")
        store._conn.set_trace_callback(None)
        reads = [s for s in statements if s.lstrip().startswith("SELECT")]
        assert any("FROM auto_mentions" in s for s in reads) and any("FROM sentences" in s for s in reads)
        plans = [store._conn.execute("EXPLAIN QUERY PLAN " + sql).fetchall() for sql in reads]
        large = {"sentences", "auto_mentions", "documents", "d", "s", "m"}  # tables and their aliases
        assert not [p for plan in plans for p in plan if p[3].startswith("SCAN") and p[3].split()[1] in large]


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
        assert journal.loc[journal["annotator"] == who, "value"].tolist() == [
            f"{who} {i}" for i in range(100)
        ]


# --------------------------------------------------------------------------- CSV import


def edited_csv(store: Store, path: Path, edit, *, sep: str = ",", bom: bool = True, list_sep: str = ";",
               hint: str = "") -> Path:
    frame, _ = store.view()
    frame = edit(frame.copy())
    for col in ("topics", "actors"):
        frame[col] = frame[col].str.replace(";", list_sep)
    text = frame.to_csv(sep=sep, index=False, lineterminator="\r\n")
    text = (f"{hint}\r\n" if hint else "") + text
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
    ("\t", True, ";", False), (";", True, "،", "sep=;"), (",", False, ",", "sep=,"),
    (";", True, ";", "sep=;;;;;;;;;;;;;;;"), (";", False, ";", '"sep=;"'), (",", True, ";", '"sep=,",,,'),
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
        "row 4: unknown sentence_id 'a:0000000000'; a row must keep the sentence_id the export wrote on it",
        "row 2: unknown topic key(s) ['piracy'] in column 'topics'; use the codebook's topic keys: "
        "['ukraine', 'minsk', 'iran', 'cyber']",
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
    path = edited_csv(store, tmp_path / "bad.csv", edit, sep=";", hint="sep=;")
    with pytest.raises(CorrectionsImportError) as info:
        import_corrections(store, path, annotator="huda")
    assert info.value.problems == [
        "row 4: unknown topic key(s) ['piracy'] in column 'topics'; use the codebook's "
        "topic keys: ['ukraine', 'minsk', 'iran', 'cyber']"
    ]


# ---- an export edited while others keep correcting (the file's as_of column)


def exported(store: Store, tmp_path: Path, *, name: str = "export") -> pd.DataFrame:
    """sentences.csv as `workbench export` writes it, read as text (the way an analyst edits it)."""
    from workbench.export import export

    files = export(store, tmp_path / name)
    return pd.read_csv(files["sentences"], encoding="utf-8-sig", keep_default_na=False, dtype=str)


def saved(frame: pd.DataFrame, path: Path, *, sep: str = ";") -> Path:
    """Saved again as a spreadsheet program would: ';' and no BOM."""
    frame.to_csv(path, sep=sep, index=False, encoding="utf-8")
    return path


def cells(store: Store, field: str) -> list:
    return store.sentences()[field].tolist()


def test_an_old_export_does_not_undo_later_corrections(store, tmp_path):
    a2, a3, b0 = sid(store, "a", 2), sid(store, "a", 3), sid(store, "b", 0)
    frame = exported(store, tmp_path)                                     # B exports
    store.correct(b0, "topics", "remove", "cyber", annotator="omar")      # A, afterwards
    store.correct(a2, "reviewed", "set", True, annotator="omar")
    frame.loc[3, "speaker"] = "putin"                                     # B edits one cell of the old file
    path = saved(frame, tmp_path / "edited.csv")
    added = import_corrections(store, path, annotator="huda")
    assert added[["sentence_id", "field", "action", "value", "row", "imported", "previous", "conflict"]] \
        .values.tolist() == [[a3, "speaker", "set", "putin", 5, "putin", "kremlin", False]]
    assert added["file"].tolist() == [str(path)] and added.attrs["warnings"] == []
    assert cells(store, "topics")[4] == "" and cells(store, "reviewed")[2]  # A's corrections stand
    assert cells(store, "speaker")[3] == "putin"
    assert import_corrections(store, path, annotator="huda").empty          # the same file again: nothing


# (field, the other annotator's correction after the export, the cell in the edited file,
#  entries journaled, previous, final value)
CONFLICTS = [
    ("speaker", ("set", "putin"), "biden", [("set", "biden")], "putin", "biden"),
    ("speaker", ("set", ""), "biden", [("set", "biden")], "", "biden"),
    ("note", ("set", "راجع"), "تحقق", [("set", "تحقق")], "راجع", "تحقق"),
    ("statement_type", ("set", "support"), "concern", [("set", "concern")], "support", "concern"),
]


@pytest.mark.parametrize("field, theirs, cell, entries, previous, final", CONFLICTS)
def test_a_cell_both_changed_is_set_to_the_file_and_reported(store, tmp_path, field, theirs, cell, entries,
                                                            previous, final):
    a1 = sid(store, "a", 1)
    frame = exported(store, tmp_path)
    store.correct(a1, field, *theirs, annotator="omar")
    frame.loc[1, field] = cell
    added = import_corrections(store, saved(frame, tmp_path / "edited.csv"), annotator="huda")
    assert added[["action", "value"]].apply(tuple, axis=1).tolist() == entries
    assert set(added["sentence_id"]) == {a1} and set(added["field"]) == {field}
    assert added[["row", "previous", "conflict"]].drop_duplicates().values.tolist() == [[3, previous, True]]
    assert store.sentences()[field].tolist()[1] == final


# topics / actors of row a1 (exported as topics 'ukraine', actors 'kremlin'): (field, corrections by
# others after the export, the cell in the edited file, entries journaled, conflict, final value)
KEY_MERGES = [
    ("topics", [("sara", "add", "cyber")], "ukraine;minsk", [("add", "minsk")], False, "ukraine;minsk;cyber"),
    ("topics", [("omar", "remove", "ukraine")], "ukraine;minsk", [("add", "minsk")], False, "minsk"),
    (
        "topics",
        [("omar", "add", "iran")],
        "minsk",
        [("remove", "ukraine"), ("add", "minsk")],
        False,
        "minsk;iran",
    ),
    ("actors", [("omar", "add", "putin")], "", [("remove", "kremlin")], False, "putin"),
    ("topics", [("omar", "set", "ukraine;iran;cyber")], "ukraine", [], False, "ukraine;iran;cyber"),
    # a key the file adds that someone removed after the export; one it removes that someone added back
    (
        "topics",
        [("omar", "add", "iran"), ("sara", "remove", "iran")],
        "ukraine;iran",
        [("add", "iran")],
        True,
        "ukraine;iran",
    ),
    (
        "actors",
        [("omar", "remove", "kremlin"), ("sara", "add", "kremlin")],
        "",
        [("remove", "kremlin")],
        True,
        "",
    ),
]


@pytest.mark.parametrize("field, theirs, cell, entries, conflict, final", KEY_MERGES)
def test_key_lists_merge_the_files_adds_and_removes_into_the_current_row(store, tmp_path, field, theirs, cell,
                                                                         entries, conflict, final):
    a1 = sid(store, "a", 1)
    frame = exported(store, tmp_path)
    for who, action, value in theirs:
        store.correct(a1, field, action, value, annotator=who)
    frame.loc[1, field] = cell
    added = import_corrections(store, saved(frame, tmp_path / "edited.csv"), annotator="huda")
    assert added[["action", "value"]].apply(tuple, axis=1).tolist() == entries
    assert added["conflict"].tolist() == [conflict] * len(entries)
    assert store.sentences()[field].tolist()[1] == final


def test_a_key_the_annotator_added_before_and_someone_removed_since_is_not_added_again(store, tmp_path):
    a1 = sid(store, "a", 1)
    frame = exported(store, tmp_path)
    frame.loc[1, "topics"] = "ukraine;minsk"
    assert len(import_corrections(store, saved(frame, tmp_path / "first.csv"), annotator="huda")) == 1
    store.correct(a1, "topics", "remove", "minsk", annotator="omar")
    frame.loc[1, "note"] = "راجع"  # the same file, edited further
    added = import_corrections(store, saved(frame, tmp_path / "second.csv"), annotator="huda")
    assert added[["field", "value"]].values.tolist() == [["note", "راجع"]]
    assert cells(store, "topics")[1] == "ukraine"


def test_a_file_imported_before_does_not_override_a_later_correction(store, tmp_path):
    a3 = sid(store, "a", 3)
    frame = exported(store, tmp_path)
    frame.loc[3, "speaker"] = "putin"
    path = saved(frame, tmp_path / "edited.csv")
    assert len(import_corrections(store, path, annotator="huda")) == 1
    store.correct(a3, "speaker", "set", "biden", annotator="omar")   # a later decision
    assert import_corrections(store, path, annotator="huda").empty  # re-running the notebook
    assert cells(store, "speaker")[3] == "biden"
    other = import_corrections(store, saved(frame, tmp_path / "sara.csv", sep=","), annotator="sara")
    # someone else's explicit edit (in a file of their own) still wins
    assert other[["field", "value", "previous", "conflict"]].values.tolist() == [
        ["speaker", "putin", "biden", True]
    ]


@pytest.mark.parametrize("as_of, problem", [
    ("99", "row 2: 'as_of' = 99 is later than this store's last journal entry (1); was the file exported "
           "from another store?"),
    ("", "row 2: 'as_of' = '' is not a journal position; keep the number the export wrote (the same on every "
         "row), or delete the whole as_of column to compare with the current view"),
    ("-1", "row 2: 'as_of' = '-1' is not a journal position"),
])
def test_a_bad_as_of_is_refused(store, tmp_path, as_of, problem):
    frame = exported(store, tmp_path)
    store.correct(sid(store, "a", 1), "note", "set", "x", annotator="omar")
    frame.loc[0, "as_of"] = as_of
    frame.loc[1, "note"] = "y"
    with pytest.raises(CorrectionsImportError) as info:
        import_corrections(store, saved(frame, tmp_path / "edited.csv"), annotator="huda")
    assert len(info.value.problems) == 1 and info.value.problems[0].startswith(problem)
    assert len(store.journal()) == 1


def edited_as_of(frame: pd.DataFrame) -> pd.DataFrame:
    frame.loc[0, "as_of"] = "1"
    return frame


@pytest.mark.parametrize(
    "edit, problem",
    [
        (
            lambda frame: frame.assign(as_of="1"),
            "'as_of' = 1 was not written by any export of this store (exports wrote [0, 2]): an edited "
            "as_of would undo "
            "corrections made since; export again and re-apply your edits to the new sentences.csv",
        ),
        (
            edited_as_of,
            "'as_of' differs between rows (0 on row(s) [3, 4, 5, 6, 7]; 1 on row(s) [2]): rows pasted from "
            "several "
            "exports (or an edited as_of) cannot be told apart from corrections made since; export again and "
            "re-apply your edits to the new sentences.csv",
        ),
    ],
)
def test_an_as_of_no_export_wrote_or_differing_between_rows_is_refused(store, tmp_path, edit, problem):
    a3 = sid(store, "a", 3)
    frame = exported(store, tmp_path)
    store.correct(a3, "speaker", "set", "putin", annotator="omar")
    store.correct(a3, "note", "set", "راجع", annotator="omar")
    exported(store, tmp_path, name="later")
    frame.loc[1, "note"] = "تحقق"
    path = saved(edit(frame), tmp_path / "edited.csv")
    with pytest.raises(CorrectionsImportError) as info:
        import_corrections(store, path, annotator="huda")
    assert info.value.problems == [problem]
    assert str(info.value).startswith(f"{path}: 1 problem(s), nothing was imported")
    assert len(store.journal()) == 2 and cells(store, "speaker")[3] == "putin"


def test_a_store_with_no_export_recorded_takes_any_as_of_up_to_its_last_entry(store, tmp_path):
    frame = exported(store, tmp_path)
    store._conn.execute("DELETE FROM exports")  # as a store exported before schema version 3
    store.correct(sid(store, "a", 3), "speaker", "set", "putin", annotator="omar")
    frame.loc[1, "note"] = "تحقق"
    added = import_corrections(store, saved(frame, tmp_path / "edited.csv"), annotator="huda")
    assert added[["field", "value", "conflict"]].values.tolist() == [["note", "تحقق", False]]
    assert cells(store, "speaker")[3] == "putin"


def test_a_file_without_as_of_is_compared_with_the_current_view_and_says_so(store, tmp_path):
    frame = exported(store, tmp_path).drop(columns="as_of")
    store.correct(sid(store, "b", 0), "topics", "remove", "cyber", annotator="omar")
    frame.loc[3, "speaker"] = "putin"
    path = saved(frame, tmp_path / "edited.csv")
    added = import_corrections(store, path, annotator="huda")
    assert added[["field", "action", "value", "conflict"]].values.tolist() == [
        ["speaker", "set", "putin", False], ["topics", "add", "cyber", True]]  # overrides omar's correction
    assert added.attrs["warnings"] == [
        f"{path}: no 'as_of' column (files written by `workbench export` have one), so it was compared with "
        "the current view: a cell changed in the store since this file was made, and not in the file, is set "
        "back to the file's value"]


# ---- after a codebook change

NO_CYBER = load_codebook(CODEBOOKS / "no_cyber.toml")
AUTO_NO_CYBER = {k: v for k, v in AUTO.items() if k != ("b", 0)}


def test_keys_a_newer_codebook_lacks_are_reported_and_an_unedited_export_imports(store, tmp_path):
    a2, b1 = sid(store, "a", 2), sid(store, "b", 1)
    entry = store.correct(a2, "topics", "add", "cyber", annotator="huda")
    store.correct(a2, "topics", "add", "minsk", annotator="huda")
    undone = store.correct(b1, "topics", "set", "cyber;iran", annotator="omar")
    store.undo(annotator="omar")
    assert store.stale_corrections().empty
    store.save_annotations(make_annotations(auto=AUTO_NO_CYBER, codebook=NO_CYBER))
    stale = store.stale_corrections()
    assert stale[["id", "sentence_id", "field", "action", "value", "missing"]].values.tolist() == [
        [entry, a2, "topics", "add", "cyber", "cyber"]]
    assert undone not in stale["id"].tolist()
    frame = exported(store, tmp_path)
    assert frame.loc[2, "topics"] == "minsk;iran;cyber"
    path = saved(frame, tmp_path / "unedited.csv")
    assert import_corrections(
        store, path, annotator="huda"
    ).empty  # was: row 4: unknown topic key(s) ['cyber']
    frame.loc[2, "note"] = "راجع"  # an edit elsewhere in the row with the stale key
    frame.loc[2, "topics"] = "iran;cyber"  # and in the cell itself: minsk out, cyber kept
    added = import_corrections(store, saved(frame, tmp_path / "edited.csv"), annotator="huda")
    assert added[["field", "action", "value"]].values.tolist() == [["topics", "remove", "minsk"],
                                                                   ["note", "set", "راجع"]]
    frame.loc[3, "topics"] = "cyber"  # a key the import would add: not added, and said so
    path = saved(frame, tmp_path / "added.csv")
    added = import_corrections(store, path, annotator="huda")
    assert added.empty and cells(store, "topics")[3] == ""
    assert added.attrs["warnings"] == [f"{path} row 5: topic key(s) ['cyber'] not added: an earlier codebook "
                                       "had them, the latest does not"]


def test_an_export_older_than_the_codebook_change_imports_without_its_retired_keys(store, tmp_path):
    frame = exported(store, tmp_path)  # b0 has topic cyber (automatic)
    store.save_annotations(make_annotations(auto=AUTO_NO_CYBER, codebook=NO_CYBER))
    path = saved(frame, tmp_path / "old.csv")
    added = import_corrections(store, path, annotator="huda")
    # the file is what the export wrote (issue 10): nothing was edited, so nothing to add or warn about
    assert added.empty and cells(store, "topics")[4] == "" and added.attrs["warnings"] == []
    frame.loc[4, "topics"] = "cyber;iran"  # an edit that keeps the retired key the export had
    added = import_corrections(store, saved(frame, tmp_path / "edited.csv"), annotator="huda")
    assert added[["field", "action", "value"]].values.tolist() == [["topics", "add", "iran"]]
    frame.loc[0, "topics"] = "piracy"  # in no codebook at all
    with pytest.raises(CorrectionsImportError) as info:
        import_corrections(store, saved(frame, tmp_path / "typo.csv"), annotator="huda")
    assert info.value.problems == [
        "row 2: unknown topic key(s) ['piracy'] in column 'topics'; use the codebook's "
        "topic keys: ['ukraine', 'minsk', 'iran']"
    ]  # the latest codebook's


# ---- headers

@pytest.mark.parametrize(
    "rename",
    [{"topics": "Topics"}, {"topics": " topics "}, {"topics": "TOPICS", "sentence_id": "Sentence_ID"}],
)
def test_headers_match_ignoring_case_and_spaces(store, tmp_path, rename):
    frame = exported(store, tmp_path)
    frame.loc[1, "topics"] = "ukraine;minsk"
    added = import_corrections(
        store, saved(frame.rename(columns=rename), tmp_path / "e.csv"), annotator="huda"
    )
    assert added[["sentence_id", "field", "action", "value"]].values.tolist() == [
        [sid(store, "a", 1), "topics", "add", "minsk"]]
    assert added.attrs["warnings"] == []


def test_unknown_columns_are_a_warning(store, tmp_path):
    frame = exported(store, tmp_path)
    frame["تعليق"] = ""
    frame.loc[1, "تعليق"] = "مهم"
    frame = frame.rename(columns={"quote": "Quote "})  # an export column, renamed: known
    frame.loc[1, "note"] = "راجع"
    path = saved(frame, tmp_path / "e.csv")
    added = import_corrections(store, path, annotator="huda")
    assert added[["field", "value"]].values.tolist() == [["note", "راجع"]]
    assert added.attrs["warnings"] == [
        f"{path}: column(s) ['تعليق'] ignored: they are not sentences.csv columns (the ones imported are "
        "['topics', 'actors', 'speaker', 'statement_type', 'note', 'reviewed', 'furniture'])"]


@pytest.mark.parametrize(
    "header, problems",
    [
        (
            "sentence_id,Themen,Akteure",
            [
                "row 1: none of the columns that can be imported is there; expected one or more of "
                "['topics', 'actors', 'speaker', 'statement_type', 'note', 'reviewed', 'furniture'], "
                "found ['sentence_id', 'Themen', 'Akteure']"
            ],
        ),
        (
            "sentence_id,topics,Topics",
            ["row 1: column 'topics' appears 2 times (['topics', 'Topics']); keep one"],
        ),
        (
            "id,text",
            [
                "row 1: no 'sentence_id' column (columns found: ['id', 'text']); import a sentences.csv "
                "written by `workbench export`",
                "row 1: none of the columns that can be imported is there; expected one or more of "
                "['topics', 'actors', 'speaker', 'statement_type', 'note', 'reviewed', 'furniture'], "
                "found ['id', 'text']",
            ],
        ),
    ],
)
def test_a_file_with_nothing_to_import_is_refused_naming_it(store, tmp_path, header, problems):
    path = tmp_path / "renamed.csv"
    path.write_text(f"{header}\n{sid(store, 'a', 1)},x,y\n", encoding="utf-8")
    with pytest.raises(CorrectionsImportError) as info:
        import_corrections(store, path, annotator="huda")
    assert info.value.problems == problems
    assert str(info.value).startswith(f"{path}: {len(problems)} problem(s), nothing was imported")


# ---- a folder of edited files

def test_a_folder_imports_every_csv_in_name_order_and_again_nothing(store, tmp_path):
    a1, a3 = sid(store, "a", 1), sid(store, "a", 3)
    folder = tmp_path / "corrections"
    folder.mkdir()
    assert import_corrections(store, folder, annotator="huda").attrs["warnings"] == [
        f"{folder}: no .csv or .xlsx files in this folder; nothing to import"]
    frame = exported(store, tmp_path)
    first, second = frame.copy(), frame.copy()
    first.loc[3, "speaker"] = "putin"
    first.loc[1, "note"] = "أولاً"
    second.loc[3, "speaker"] = "biden"  # the later file wins, and says so
    saved(second, folder / "2_omar.csv")
    saved(first, folder / "1_huda.csv", sep=",")
    (folder / "notes.txt").write_text("not a table", encoding="utf-8")
    (folder / "sub").mkdir()
    saved(second.assign(note="لا"), folder / "sub" / "3.csv")  # not directly in the folder
    added = import_corrections(store, folder, annotator="huda")
    assert added[
        ["file", "row", "sentence_id", "field", "value", "previous", "conflict"]
    ].values.tolist() == [
        [str(folder / "1_huda.csv"), 3, a1, "note", "أولاً", "", False],
        [str(folder / "1_huda.csv"), 5, a3, "speaker", "putin", "kremlin", False],
        [str(folder / "2_omar.csv"), 5, a3, "speaker", "biden", "putin", True],
    ]
    assert cells(store, "speaker")[3] == "biden" and cells(store, "note")[1] == "أولاً"
    assert import_corrections(store, folder, annotator="huda").empty  # re-running imports nothing new


def test_a_file_imported_before_is_skipped_whoever_imports_it_again(store, tmp_path):
    folder = tmp_path / "corrections"
    folder.mkdir()
    frame = exported(store, tmp_path)
    huda, sara = frame.copy(), frame.copy()
    huda.loc[3, "speaker"] = "putin"
    sara.loc[3, "speaker"] = "biden"
    sara.loc[3, "note"] = "سارة"
    saved(huda, folder / "huda.csv")
    saved(sara, folder / "sara.csv")
    saved(huda, tmp_path / "copy.csv")  # the same bytes under another name
    assert len(import_corrections(store, folder, annotator="huda")) == 3
    journal = len(store.journal())
    imported = store.imports()
    assert imported[["path", "annotator", "n_entries"]].values.tolist() == [
        [str(folder / "huda.csv"), "huda", 1], [str(folder / "sara.csv"), "huda", 2]]
    for path, annotator in ((folder, "sara"), (folder, "huda"), (tmp_path / "copy.csv", "omar")):
        again = import_corrections(store, path, annotator=annotator)
        assert again.empty
        files = [folder / "huda.csv", folder / "sara.csv"] if path == folder else [path]
        assert again.attrs["warnings"] == [
            f"{f}: already imported on {t} by 'huda'; nothing to do"
            for f, t in zip(files, imported["time"].tolist(), strict=False)]
    assert len(store.journal()) == journal and cells(store, "speaker")[3] == "biden"
    assert len(store.imports()) == 2


def test_a_folder_with_one_bad_file_imports_nothing(store, tmp_path):
    folder = tmp_path / "corrections"
    folder.mkdir()
    frame = exported(store, tmp_path)
    good, bad = frame.copy(), frame.copy()
    good.loc[1, "note"] = "جيد"
    bad.loc[2, "topics"] = "piracy"
    saved(good, folder / "a.csv")
    saved(bad, folder / "b.csv")
    (folder / "c.csv").write_bytes("sentence_id,note\nx,\xe9\n".encode("latin-1"))
    with pytest.raises(CorrectionsImportError) as info:
        import_corrections(store, folder, annotator="huda")
    assert info.value.problems == [
        "c.csv: the file is not UTF-8 (byte 19); save it again as 'CSV UTF-8'"]
    (folder / "c.csv").unlink()
    with pytest.raises(CorrectionsImportError) as info:
        import_corrections(store, folder, annotator="huda")
    assert info.value.problems == [
        "b.csv: row 4: unknown topic key(s) ['piracy'] in column 'topics'; use the "
        "codebook's topic keys: ['ukraine', 'minsk', 'iran', 'cyber']"
    ]
    assert str(info.value).startswith(f"{folder}: 1 problem(s), nothing was imported")
    assert len(store.journal()) == 0


def test_a_missing_path_is_a_clear_error(store, tmp_path):
    with pytest.raises(
        CorrectionsImportError,
        match=re.escape(
            f"{tmp_path / 'corrections'}: no such file or folder; give an edited sentences.csv, or a folder "
            f"of them"
        ),
    ):
        import_corrections(store, tmp_path / "corrections", annotator="huda")


def test_one_undo_reverts_a_whole_reset_to_automatic(store):
    target = sid(store, "a", 1)
    store.correct(target, "topics", "add", "iran", annotator="huda")
    store.correct(target, "actors", "add", "putin", annotator="huda")
    store.correct(target, "speaker", "set", "putin", annotator="huda")
    store.correct(target, "statement_type", "set", "concern", annotator="huda")
    corrected = store.sentence_record(target)
    assert len(store.reset_to_automatic(target, annotator="huda")) == 4
    assert store.sentence_record(target)["topics"] == ["ukraine"]
    undo = store.undo(annotator="huda")
    record = store.sentence_record(target)
    for field in ("topics", "actors", "speaker", "statement_type", "speaker_rule"):
        assert record[field] == corrected[field], field
    assert isinstance(undo, int)
    store.undo(annotator="huda")  # the next undo reverts the correction before the reset
    assert store.sentence_record(target)["statement_type"] == "announcement"


@pytest.mark.parametrize("documents", [1, 2, 1000])
def test_the_view_read_in_batches_of_documents_is_the_view(tmp_path, documents):
    """Store.view_batches gives the rows of Store.view, corrections replayed, each document's
    sentences and mentions in one batch of at most ``documents`` documents, in the view's order."""
    texts = {f"d{i}": DOC_A for i in range(3)}
    auto = {(d, i): v for d in texts for (k, i), v in AUTO.items() if k == "a"}
    with Store(tmp_path / "s.sqlite") as store:
        store.save_annotations(make_annotations(texts, auto))
        store.correct(sid(store, "d1", 1), "topics", "add", "iran", annotator="huda")
        store.correct(sid(store, "d2", 0), "reviewed", "set", True, annotator="omar")
        store.correct(sid(store, "d2", 3), "speaker", "set", "putin", annotator="omar")
        sentences, mentions = store.view()
        with store.snapshot():
            batches = list(store.view_batches(documents=documents))
        assert len(batches) == -(-3 // documents)
        for batch_sentences, batch_mentions in batches:
            assert len(set(batch_sentences["doc_id"])) <= documents
            assert set(batch_mentions["doc_id"]) <= set(batch_sentences["doc_id"])
        for frame, part in ((sentences, 0), (mentions, 1)):
            for column in frame.columns:
                joined = [v for batch in batches for v in batch[part][column]]
                assert joined == frame[column].tolist(), column
        assert sentences["source"].tolist().count("manual") == 3
        with store.snapshot():
            omar = [v for s, _ in store.view_batches(annotator="omar", documents=documents)
                    for v in s["speaker"]]
        assert omar == store.view(annotator="omar")[0]["speaker"].tolist()
