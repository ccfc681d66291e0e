"""The store's schema: every migration in order, and bringing a store file up to date.

A store's ``meta`` table holds ``schema_version``: how many of :data:`MIGRATIONS` have
run on it. Opening a store runs the missing ones in one transaction, so a store written
by any earlier version opens and is upgraded; a store newer than this workbench is
refused. Each branch that changes the schema appends its migration at the end.
"""

from __future__ import annotations

import sqlite3

from .journal import ACTIONS

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "StoreError", "check_version", "read_version", "upgrade"]


class StoreError(ValueError):
    """A problem with a store file a user can fix (missing, not a store, too new)."""


#: The journal's fields when the corrections table was first made (migration 1).
_FIELDS_1 = ("topics", "actors", "speaker", "statement_type", "note", "reviewed")
#: ... and since migration 4.
FIELDS_4 = _FIELDS_1 + ("furniture",)
_ACTION_CHECK = ", ".join(f"'{a}'" for a in ACTIONS)


def _journal_table(name: str, fields: tuple[str, ...]) -> str:
    """The corrections table under ``name``, its ``field`` limited to ``fields``."""
    check = ", ".join(f"'{f}'" for f in fields)
    return f"""CREATE TABLE {name} (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            time TEXT NOT NULL,
            annotator TEXT NOT NULL CHECK (length(annotator) > 0),
            sentence_id TEXT NOT NULL,
            field TEXT NOT NULL CHECK (field IN ({check})),
            action TEXT NOT NULL CHECK (action IN ({_ACTION_CHECK})),
            value TEXT NOT NULL,
            reverts INTEGER REFERENCES corrections(id)
        )"""


#: The journal's indexes and the triggers that keep it append-only.
_JOURNAL_GUARDS = (
    "CREATE INDEX corrections_sentence ON corrections(sentence_id, id)",
    "CREATE INDEX corrections_annotator ON corrections(annotator, id)",
    "CREATE UNIQUE INDEX corrections_reverts ON corrections(reverts) WHERE reverts IS NOT NULL",
    """CREATE TRIGGER corrections_no_update BEFORE UPDATE ON corrections
           BEGIN SELECT RAISE(ABORT, 'the corrections journal is append-only: entries cannot be """
    """changed; append a new entry instead'); END""",
    """CREATE TRIGGER corrections_no_delete BEFORE DELETE ON corrections
           BEGIN SELECT RAISE(ABORT, 'the corrections journal is append-only: entries cannot be """
    """deleted; use undo, which appends a reverting entry'); END""",
)
_JOURNAL_COLUMNS = "id, time, annotator, sentence_id, field, action, value, reverts"

#: Migration 9's tables (see its comment). Documents: the text last, so that reading the
#: other columns never touches its overflow pages.
_DOCUMENT_COLUMNS = "doc_id, path, title, date, outlet, url, content_hash, run_id, date_rule, path_key, text"
_DOCUMENTS_9 = """doc INTEGER PRIMARY KEY,
            doc_id TEXT NOT NULL UNIQUE,
            path TEXT NOT NULL,
            title TEXT NOT NULL,
            date TEXT,
            outlet TEXT NOT NULL,
            url TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            run_id INTEGER REFERENCES runs(run_id),
            date_rule TEXT NOT NULL DEFAULT '',
            path_key TEXT NOT NULL DEFAULT '',
            text TEXT"""
#: The automatic values a sentence keeps as ids of ``strings`` (its ``speaker_rule``, which
#: seldom repeats, is kept as text).
_AUTO_9 = ("topics", "actors", "speaker", "statement_type", "furniture")
#: ``id_suffix``: the sentence id after "doc_id:" (``id_whole = 0``), or, for an id that
#: does not start so, the whole id (``id_whole = 1``). ``text``: NULL for the document's text
#: from ``start`` to ``end``.
_SENTENCES_9 = f"""doc INTEGER NOT NULL REFERENCES documents_9(doc) ON DELETE CASCADE,
            paragraph INTEGER NOT NULL,
            sentence INTEGER NOT NULL,
            id_suffix TEXT NOT NULL,
            id_whole INTEGER NOT NULL DEFAULT 0,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            run_id INTEGER REFERENCES runs(run_id),
            {', '.join(f'{c} INTEGER NOT NULL' for c in _AUTO_9)},
            speaker_rule TEXT NOT NULL,
            confidence REAL NOT NULL DEFAULT 1.0,
            quote TEXT NOT NULL DEFAULT '',
            text TEXT,
            PRIMARY KEY (doc, paragraph, sentence)"""
#: A mention: its document, offsets and sentence; ``kind, key, rule`` ids of ``strings``;
#: ``surface`` NULL for the document's text from ``start`` to ``end``.
_MENTIONS_9 = """doc INTEGER NOT NULL,
            start INTEGER NOT NULL,
            mention_id INTEGER NOT NULL,
            paragraph INTEGER NOT NULL,
            sentence INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            kind INTEGER NOT NULL,
            key INTEGER NOT NULL,
            rule INTEGER NOT NULL,
            confidence REAL NOT NULL DEFAULT 1.0,
            surface TEXT,
            PRIMARY KEY (doc, start, mention_id),
            FOREIGN KEY (doc, paragraph, sentence) REFERENCES sentences_9(doc, paragraph, sentence)
                ON DELETE CASCADE"""
_PREFIXED = "substr(s.sentence_id, 1, length(d.doc_id) + 1) = d.doc_id || ':'"


def _sliced(column: str, table: str = "s") -> str:
    """SQL: ``column`` is the document text ``d.text`` from ``start`` to ``end`` (as Python slices)."""
    return (f'd.text IS NOT NULL AND {table}.start >= 0 AND {table}."end" >= {table}.start '
            f'AND substr(d.text, {table}.start + 1, {table}."end" - {table}.start) = {column}')


#: Migrations, applied in order; the store's ``schema_version`` is how many have run.
MIGRATIONS: list[tuple[str, ...]] = [
    (
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """CREATE TABLE runs (
            run_id INTEGER PRIMARY KEY AUTOINCREMENT,
            time TEXT NOT NULL,
            workbench_version TEXT NOT NULL,
            codebook_hash TEXT NOT NULL,
            codebook_name TEXT NOT NULL,
            codebook TEXT NOT NULL,
            n_documents INTEGER NOT NULL,
            n_sentences INTEGER NOT NULL,
            n_mentions INTEGER NOT NULL
        )""",
        """CREATE TABLE documents (
            doc_id TEXT PRIMARY KEY,
            path TEXT NOT NULL,
            title TEXT NOT NULL,
            date TEXT,
            outlet TEXT NOT NULL,
            url TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            text TEXT,
            run_id INTEGER REFERENCES runs(run_id)
        )""",
        """CREATE TABLE sentences (
            sentence_id TEXT PRIMARY KEY,
            doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
            paragraph INTEGER NOT NULL,
            sentence INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text TEXT NOT NULL
        )""",
        "CREATE UNIQUE INDEX sentences_position ON sentences(doc_id, paragraph, sentence)",
        """CREATE TABLE auto_sentences (
            sentence_id TEXT PRIMARY KEY REFERENCES sentences(sentence_id) ON DELETE CASCADE,
            run_id INTEGER NOT NULL REFERENCES runs(run_id),
            topics TEXT NOT NULL,
            actors TEXT NOT NULL,
            speaker TEXT NOT NULL,
            statement_type TEXT NOT NULL,
            speaker_rule TEXT NOT NULL
        )""",
        """CREATE TABLE auto_mentions (
            mention_id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES runs(run_id),
            doc_id TEXT NOT NULL,
            sentence_id TEXT NOT NULL REFERENCES sentences(sentence_id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            surface TEXT NOT NULL,
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            rule TEXT NOT NULL
        )""",
        "CREATE INDEX auto_mentions_sentence ON auto_mentions(sentence_id, start)",
        _journal_table("corrections", _FIELDS_1),  # the same text as when it was written out here
        "CREATE INDEX corrections_sentence ON corrections(sentence_id, id)",
        "CREATE INDEX corrections_annotator ON corrections(annotator, id)",
        "CREATE UNIQUE INDEX corrections_reverts ON corrections(reverts) WHERE reverts IS NOT NULL",
        # (the statements are split only in this file: SQLite stores each as one text)
        """CREATE TRIGGER corrections_no_update BEFORE UPDATE ON corrections
           BEGIN SELECT RAISE(ABORT, 'the corrections journal is append-only: entries cannot be """
        """changed; append a new entry instead'); END""",
        """CREATE TRIGGER corrections_no_delete BEFORE DELETE ON corrections
           BEGIN SELECT RAISE(ABORT, 'the corrections journal is append-only: entries cannot be """
        """deleted; use undo, which appends a reverting entry'); END""",
    ),
    (  # 2: the quoted passages the annotator found, shown in the view and exports
        "ALTER TABLE auto_sentences ADD COLUMN quote TEXT NOT NULL DEFAULT ''",
    ),
    (  # 3: which edited files were imported (so none is imported twice) and which exports were made
        """CREATE TABLE imports (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            sha256 TEXT NOT NULL,
            path TEXT NOT NULL,
            annotator TEXT NOT NULL,
            time TEXT NOT NULL,
            n_entries INTEGER NOT NULL
        )""",
        "CREATE INDEX imports_sha256 ON imports(sha256, id)",
        """CREATE TABLE exports (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            as_of INTEGER NOT NULL,
            time TEXT NOT NULL,
            out_dir TEXT NOT NULL
        )""",
    ),
    (  # 4 (issue 11): how sure each automatic decision is, page furniture, where a date came
       # from; the journal gains the field `furniture` (its table is rebuilt with the wider
       # CHECK, every entry and id kept; the store runs migrations with foreign keys off and
       # checks them before it commits)
        "ALTER TABLE auto_sentences ADD COLUMN confidence REAL NOT NULL DEFAULT 1.0",
        "ALTER TABLE auto_sentences ADD COLUMN furniture TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE auto_mentions ADD COLUMN confidence REAL NOT NULL DEFAULT 1.0",
        "ALTER TABLE documents ADD COLUMN date_rule TEXT NOT NULL DEFAULT ''",
        _journal_table("corrections_4", FIELDS_4),
        f"INSERT INTO corrections_4 ({_JOURNAL_COLUMNS}) SELECT {_JOURNAL_COLUMNS} FROM corrections",
        "DROP TABLE corrections",
        "ALTER TABLE corrections_4 RENAME TO corrections",
        *_JOURNAL_GUARDS,
    ),
    (  # 5: the reuse found in the documents, kept until they change (workbench/reuse_cache.py)
        """CREATE TABLE reuse_cache (
            key TEXT PRIMARY KEY,
            time TEXT NOT NULL,
            documents INTEGER NOT NULL,
            frames BLOB NOT NULL
        )""",
    ),
    (  # 6 (issue 10): entries appended as one action (a reset to automatic) share a batch,
       # so that one undo reverts them all
        "ALTER TABLE corrections ADD COLUMN batch INTEGER",
        "CREATE INDEX corrections_batch ON corrections(batch) WHERE batch IS NOT NULL",
    ),
    (  # 7 (issue 10): document identity — the path key each id belongs to, and what each run
       # did to each document (added, kept, updated, moved)
        "ALTER TABLE documents ADD COLUMN path_key TEXT NOT NULL DEFAULT ''",
        "CREATE INDEX documents_path_key ON documents(path_key) WHERE path_key != ''",
        """CREATE TABLE document_changes (
            run_id INTEGER NOT NULL REFERENCES runs(run_id),
            doc_id TEXT NOT NULL,
            proposed TEXT NOT NULL,
            change TEXT NOT NULL,
            path TEXT NOT NULL,
            previous_path TEXT NOT NULL
        )""",
        "CREATE INDEX document_changes_run ON document_changes(run_id)",
    ),
    (  # 8 (issue 10): what each export wrote — whose view, from which run, and its cells —
       # so that an untouched export imports as nothing
        "ALTER TABLE exports ADD COLUMN annotator TEXT",
        "ALTER TABLE exports ADD COLUMN run_id INTEGER",
        "ALTER TABLE exports ADD COLUMN cells TEXT",
        """CREATE TABLE export_cells (
            sha256 TEXT PRIMARY KEY,
            cells BLOB NOT NULL
        )""",
    ),
    (  # 9 (issue 13): a leaner store — each document's text once (a sentence's and a
       # mention's text are NULL where they are the document's text between their offsets),
       # repeated strings once (``strings``; the automatic layer holds their integer ids),
       # integer document keys, sentences and mentions kept in the view's order (WITHOUT
       # ROWID, keyed by document and position), the automatic layer inside ``sentences``
       # (no ``auto_sentences``), and a sentence's id kept as what follows "doc_id:".
        "CREATE TABLE strings (id INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE)",
        """INSERT INTO strings(value) SELECT '' UNION SELECT topics FROM auto_sentences
           UNION SELECT actors FROM auto_sentences UNION SELECT speaker FROM auto_sentences
           UNION SELECT statement_type FROM auto_sentences UNION SELECT furniture FROM auto_sentences
           UNION SELECT kind FROM auto_mentions
           UNION SELECT key FROM auto_mentions UNION SELECT rule FROM auto_mentions""",
        f"CREATE TABLE documents_9 ({_DOCUMENTS_9})",
        f"INSERT INTO documents_9 ({_DOCUMENT_COLUMNS}) "
        f"SELECT {_DOCUMENT_COLUMNS} FROM documents ORDER BY doc_id",
        f"CREATE TABLE sentences_9 ({_SENTENCES_9}) WITHOUT ROWID",
        f"""INSERT INTO sentences_9 (doc, paragraph, sentence, id_suffix, id_whole, start, "end", run_id,
                {', '.join(_AUTO_9)}, speaker_rule, confidence, quote, text)
            SELECT d.doc, s.paragraph, s.sentence,
                CASE WHEN {_PREFIXED} THEN substr(s.sentence_id, length(d.doc_id) + 2) ELSE s.sentence_id END,
                CASE WHEN {_PREFIXED} THEN 0 ELSE 1 END,
                s.start, s."end", coalesce(a.run_id, d.run_id),
                {', '.join(f"(SELECT id FROM strings WHERE value = coalesce(a.{c}, ''))" for c in _AUTO_9)},
                coalesce(a.speaker_rule, ''), coalesce(a.confidence, 1.0), coalesce(a.quote, ''),
                CASE WHEN {_sliced('s.text')} THEN NULL ELSE s.text END
            FROM sentences s JOIN documents_9 d ON d.doc_id = s.doc_id
            LEFT JOIN auto_sentences a ON a.sentence_id = s.sentence_id""",
        f"CREATE TABLE auto_mentions_9 ({_MENTIONS_9}) WITHOUT ROWID",
        f"""INSERT INTO auto_mentions_9 (doc, start, mention_id, paragraph, sentence, "end", kind, key, rule,
                confidence, surface)
            SELECT d.doc, m.start, m.mention_id, s.paragraph, s.sentence, m."end",
                (SELECT id FROM strings WHERE value = m.kind), (SELECT id FROM strings WHERE value = m.key),
                (SELECT id FROM strings WHERE value = m.rule), m.confidence,
                CASE WHEN {_sliced('m.surface', 'm')} THEN NULL ELSE m.surface END
            FROM auto_mentions m JOIN sentences s ON s.sentence_id = m.sentence_id
            JOIN documents_9 d ON d.doc_id = s.doc_id""",
        "DROP TABLE auto_mentions",
        "DROP TABLE auto_sentences",
        "DROP TABLE sentences",
        "DROP TABLE documents",
        "ALTER TABLE documents_9 RENAME TO documents",
        "ALTER TABLE sentences_9 RENAME TO sentences",
        "ALTER TABLE auto_mentions_9 RENAME TO auto_mentions",
        "CREATE INDEX documents_path_key ON documents(path_key) WHERE path_key != ''",
        "CREATE INDEX sentences_whole_id ON sentences(id_suffix) WHERE id_whole = 1",
    ),
]
SCHEMA_VERSION = len(MIGRATIONS)


def read_version(conn: sqlite3.Connection, *, where: str) -> int:
    """The schema version of the store open on ``conn`` (``0``: an empty SQLite file).

    Raises
    ------
    StoreError
        When the file is SQLite but not a workbench store, or not SQLite at all
        (``where`` names it).
    """
    try:
        has_meta = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
        ).fetchone()
        if not has_meta:
            if conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]:
                raise StoreError(f"{where} is an SQLite file but not a workbench store")
            return 0
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{where} is not a workbench store ({exc})") from None
    return int(row[0]) if row else 0


def check_version(version: int, *, where: str) -> None:
    """Refuse a store made by a newer workbench (:class:`StoreError`)."""
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"store {where} has schema version {version}, newer than this "
            f"workbench understands ({SCHEMA_VERSION}); upgrade the workbench"
        )


def upgrade(conn: sqlite3.Connection, *, where: str) -> None:
    """Run the migrations the store lacks; call it inside a write transaction."""
    version = read_version(conn, where=where)  # another process may have migrated meanwhile
    check_version(version, where=where)
    for number in range(version, SCHEMA_VERSION):
        for statement in MIGRATIONS[number]:
            conn.execute(statement)
        conn.execute(
            "INSERT INTO meta(key, value) VALUES ('schema_version', ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (str(number + 1),),
        )
