"""SQLite store: documents, automatic annotations per run, and the corrections journal.

The store is one file the analyst can copy. It holds

- ``documents`` and ``sentences`` as last annotated;
- ``runs``: one row per automatic annotation run (time, workbench version, codebook hash
  and name, the codebook's keys);
- ``auto_sentences`` and ``auto_mentions``: the automatic layer, per document from the
  latest run that annotated it;
- ``corrections``: an append-only journal (SQLite triggers refuse UPDATE and DELETE).

The *current view* is the automatic layer with the journal replayed over it in journal
order (:meth:`Store.view`). Corrections refer to sentences by ``sentence_id`` (a hash of
the sentence's text), so they survive re-annotation; a correction whose sentence no longer
exists is kept and reported by :meth:`Store.orphaned_corrections`.

Journal semantics
-----------------
- ``topics`` / ``actors``: ``add`` or ``remove`` one key, or ``set`` the whole list.
- ``speaker``, ``statement_type``, ``note``, ``reviewed``: ``set`` only (``""`` clears).
- :meth:`Store.undo` appends an entry whose ``reverts`` is the id of the entry it undoes;
  the view replays every entry that is neither an undo entry nor undone. The undo entry's
  ``value`` records the field's value after the undo, for people reading the journal.
- A row's ``source`` is ``"manual"`` when an entry that is still in effect (not undone)
  touched it, ``"auto"`` otherwise.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from .columns import MENTION_COLUMNS
from .columns import VIEW_SENTENCE_COLUMNS as SENTENCE_COLUMNS
from .corpus import spreadsheet_csv

if TYPE_CHECKING:  # pragma: no cover
    from .annotate import Annotations
    from .corpus import Corpus
from .checks import check_annotator, check_choice, one_of
from .codebook import CodebookSummary, summary_of

__all__ = [
    "Store",
    "StoreError",
    "CorrectionError",
    "CorrectionsImportError",
    "import_corrections",
    "FIELDS",
    "ACTIONS",
    "SENTENCE_COLUMNS",
    "MENTION_COLUMNS",
    "JOURNAL_COLUMNS",
]


class StoreError(ValueError):
    """A problem with a store file a user can fix (missing, not a store, too new)."""


class CorrectionError(ValueError):
    """A correction that cannot be journaled (unknown sentence, field, action or key)."""


class CorrectionsImportError(ValueError):
    """An edited ``sentences.csv`` that cannot be imported; ``problems`` lists every row."""

    def __init__(self, path: str | os.PathLike, problems: list[str], *, message: str | None = None):
        self.path = Path(path)
        self.problems = list(problems)
        shown = "\n".join(f"  {p}" for p in self.problems[:20])
        more = f"\n  … and {len(self.problems) - 20} more" if len(self.problems) > 20 else ""
        super().__init__(message or (
            f"{self.path}: {len(self.problems)} problem(s), nothing was imported; "
            f"fix these rows and import again:\n{shown}{more}"
        ))


#: Journal fields and the actions each accepts.
FIELDS: dict[str, tuple[str, ...]] = {
    "topics": ("add", "remove", "set"),
    "actors": ("add", "remove", "set"),
    "speaker": ("set",),
    "statement_type": ("set",),
    "note": ("set",),
    "reviewed": ("set",),
}
ACTIONS = ("add", "remove", "set")
#: Fields that hold automatic values (what ``reset_to_automatic`` restores).
ANNOTATED_FIELDS = ("topics", "actors", "speaker", "statement_type")

#: Columns of :meth:`Store.journal`.
JOURNAL_COLUMNS = ["id", "time", "annotator", "sentence_id", "field", "action", "value", "reverts"]

_TRUE = {"true", "1", "yes", "y", "x", "✓", "✔", "نعم"}
_FALSE = {"false", "0", "no", "n", "", "لا"}

# --------------------------------------------------------------------------- schema

_FIELD_CHECK = ", ".join(f"'{f}'" for f in FIELDS)
_ACTION_CHECK = ", ".join(f"'{a}'" for a in ACTIONS)

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
        f"""CREATE TABLE corrections (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            time TEXT NOT NULL,
            annotator TEXT NOT NULL CHECK (length(annotator) > 0),
            sentence_id TEXT NOT NULL,
            field TEXT NOT NULL CHECK (field IN ({_FIELD_CHECK})),
            action TEXT NOT NULL CHECK (action IN ({_ACTION_CHECK})),
            value TEXT NOT NULL,
            reverts INTEGER REFERENCES corrections(id)
        )""",
        "CREATE INDEX corrections_sentence ON corrections(sentence_id, id)",
        "CREATE INDEX corrections_annotator ON corrections(annotator, id)",
        "CREATE UNIQUE INDEX corrections_reverts ON corrections(reverts) WHERE reverts IS NOT NULL",
        """CREATE TRIGGER corrections_no_update BEFORE UPDATE ON corrections
           BEGIN SELECT RAISE(ABORT, 'the corrections journal is append-only: entries cannot be changed; append a new entry instead'); END""",
        """CREATE TRIGGER corrections_no_delete BEFORE DELETE ON corrections
           BEGIN SELECT RAISE(ABORT, 'the corrections journal is append-only: entries cannot be deleted; use undo, which appends a reverting entry'); END""",
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
]
SCHEMA_VERSION = len(MIGRATIONS)


# --------------------------------------------------------------------------- helpers


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def _split_keys(value: str) -> list[str]:
    return [k for k in value.split(";") if k]


def _ordered(keys: Iterable[str], order: Sequence[str]) -> str:
    """Join keys with ``;`` in codebook order; keys the codebook lacks go last, sorted."""
    rank = {k: i for i, k in enumerate(order)}
    unique = set(keys)
    return ";".join(sorted(unique, key=lambda k: (rank.get(k, len(rank)), k)))


def _as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


@dataclass(frozen=True)
class _Entry:
    id: int
    annotator: str
    sentence_id: str
    field: str
    action: str
    value: str
    reverts: int | None


def _effective(entries: Iterable[_Entry]) -> list[_Entry]:
    """Entries in journal order that are in effect: not undo entries, not undone."""
    entries = list(entries)
    undone = {e.reverts for e in entries if e.reverts is not None}
    return sorted(
        (e for e in entries if e.reverts is None and e.id not in undone), key=lambda e: e.id
    )


def _replay(auto: Mapping[str, Any], entries: Iterable[_Entry], order: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """Apply effective journal entries (in order) to one row's automatic values."""
    row = {
        "topics": auto.get("topics", "") or "",
        "actors": auto.get("actors", "") or "",
        "speaker": auto.get("speaker", "") or "",
        "statement_type": auto.get("statement_type", "") or "",
        "speaker_rule": auto.get("speaker_rule", "") or "",
        "note": "",
        "reviewed": False,
        "source": "auto",
    }
    for e in entries:
        row["source"] = "manual"
        if e.field in ("topics", "actors"):
            keys = _split_keys(row[e.field])
            if e.action == "add":
                keys.append(e.value)
            elif e.action == "remove":
                keys = [k for k in keys if k != e.value]
            else:
                keys = _split_keys(e.value)
            row[e.field] = _ordered(keys, order.get(e.field, ()))
        elif e.field == "reviewed":
            row["reviewed"] = e.value == "true"
        else:
            row[e.field] = e.value
    if row["speaker"] != (auto.get("speaker", "") or ""):
        row["speaker_rule"] = "manual"
    return row


# --------------------------------------------------------------------------- store


class Store:
    """The workbench's SQLite store: documents, automatic runs and the corrections journal.

    Parameters
    ----------
    path : str or os.PathLike
        The store file. It is created (with the current schema) when missing, unless
        ``create=False``.
    create : bool, default True
        Create a new store when ``path`` does not exist; with ``False`` a missing file
        raises :class:`StoreError`.
    timeout : float, default 30.0
        Seconds to wait for another process's write to finish (SQLite ``busy_timeout``).

    Notes
    -----
    The store runs in WAL mode with foreign keys on; every correction is committed the
    moment it is made, so two notebooks (or a notebook and the command line) can share
    one store.
    """

    def __init__(self, path: str | os.PathLike, *, create: bool = True, timeout: float = 30.0):
        self.path = Path(path)
        if self.path.is_dir():
            raise StoreError(f"store {str(self.path)!r} is a folder; name a file, e.g. {str(self.path / 'workbench.sqlite')!r}")
        if not self.path.exists():
            if not create:
                raise StoreError(
                    f"store {str(self.path)!r} does not exist; create it with "
                    f"`workbench annotate PATH... --store {self.path}`"
                )
            if not self.path.parent.exists():
                raise StoreError(
                    f"cannot create store {str(self.path)!r}: folder {str(self.path.parent)!r} does not exist"
                )
        self._lock = threading.RLock()
        try:
            self._conn = sqlite3.connect(
                str(self.path), timeout=timeout, isolation_level=None, check_same_thread=False
            )
            self._conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            self._conn.execute("PRAGMA foreign_keys = ON")
            mode = self._conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{str(self.path)!r} is not a workbench store ({exc})") from None
        if str(mode).lower() != "wal":
            raise StoreError(f"cannot switch store {str(self.path)!r} to WAL mode (got {mode!r})")
        self._migrate()
        self._summary_cache: CodebookSummary | None = None

    # ---- lifecycle

    def close(self) -> None:
        """Close the connection (the store file stays as it is)."""
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on error)."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def _migrate(self) -> None:
        try:
            version = self.schema_version
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{str(self.path)!r} is not a workbench store ({exc})") from None
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"store {str(self.path)!r} has schema version {version}, newer than this "
                f"workbench understands ({SCHEMA_VERSION}); upgrade the workbench"
            )
        if version == SCHEMA_VERSION:
            return
        with self._write() as conn:
            version = self._read_version()  # another process may have migrated meanwhile
            for number in range(version, SCHEMA_VERSION):
                for statement in MIGRATIONS[number]:
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO meta(key, value) VALUES ('schema_version', ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (str(number + 1),),
                )

    def _read_version(self) -> int:
        has_meta = self._conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
        ).fetchone()
        if not has_meta:
            others = self._conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
            ).fetchone()[0]
            if others:
                raise StoreError(f"{str(self.path)!r} is an SQLite file but not a workbench store")
            return 0
        row = self._conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

    @property
    def schema_version(self) -> int:
        """The store's schema version (number of migrations applied)."""
        return self._read_version()

    # ---- saving automatic annotations

    def save_annotations(self, ann: Annotations, *, corpus: Corpus | None = None) -> int:
        """Record documents, sentences and a new automatic run, in one transaction.

        The automatic layer of every document in ``ann`` is replaced; documents not in
        ``ann`` keep theirs. Every correction is kept: those whose sentence still exists
        apply again, the others are reported by :meth:`orphaned_corrections`.

        Parameters
        ----------
        ann : Annotations
            The result of :func:`workbench.annotate.annotate`: ``sentences``, ``mentions``
            and ``documents`` DataFrames and ``codebook``.
        corpus : Corpus, optional
            Where to take each document's full text from when ``ann.documents`` has no
            ``text`` column (``ann.corpus`` is used when present).

        Returns
        -------
        int
            The new run's ``run_id``.
        """
        from workbench import __version__

        summary = summary_of(ann.codebook) or CodebookSummary()
        sentences = ann.sentences
        mentions = ann.mentions
        documents = ann.documents
        if documents is None or len(documents) == 0:
            documents = pd.DataFrame({"doc_id": pd.unique(sentences["doc_id"])})
        corpus = corpus if corpus is not None else ann.corpus

        def text_of(doc_id: str, row: Mapping[str, Any]) -> str | None:
            if "text" in row and isinstance(row["text"], str):
                return row["text"]
            if corpus is not None:
                try:
                    return corpus[doc_id].text
                except (KeyError, IndexError, TypeError, AttributeError):
                    return None
            return None

        def clean(value: Any) -> str:
            if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
                return ""
            if hasattr(value, "isoformat"):
                return value.isoformat()
            return str(value)

        doc_rows = []
        for row in documents.to_dict("records"):
            doc_id = str(row["doc_id"])
            date = clean(row.get("date"))
            doc_rows.append((
                doc_id, clean(row.get("path")), clean(row.get("title")), date or None,
                clean(row.get("outlet")), clean(row.get("url")), clean(row.get("content_hash")),
                text_of(doc_id, row),
            ))
        doc_ids = [r[0] for r in doc_rows]
        missing = set(sentences["doc_id"].astype(str)) - set(doc_ids)
        if missing:
            raise ValueError(f"annotations have sentences of documents missing from ann.documents: {sorted(missing)[:5]}")

        def col(frame: pd.DataFrame, name: str, default: Any = "") -> list:
            if name in frame.columns:
                return frame[name].tolist()
            return [default] * len(frame)

        sentence_rows = list(zip(
            sentences["sentence_id"].astype(str), sentences["doc_id"].astype(str),
            sentences["paragraph"].astype(int).tolist(), sentences["sentence"].astype(int).tolist(),
            sentences["start"].astype(int).tolist(), sentences["end"].astype(int).tolist(),
            sentences["text"].astype(str),
        ))

        def text_col(frame: pd.DataFrame, name: str) -> list[str]:
            return [clean(v) for v in col(frame, name)]

        auto_cols = [text_col(sentences, c) for c in ("topics", "actors", "speaker", "statement_type", "speaker_rule", "quote")]
        mention_rows = list(zip(
            mentions["doc_id"].astype(str), mentions["sentence_id"].astype(str),
            mentions["start"].astype(int).tolist(), mentions["end"].astype(int).tolist(),
            mentions["surface"].astype(str), mentions["kind"].astype(str),
            mentions["key"].astype(str), mentions["rule"].astype(str),
        )) if len(mentions) else []

        with self._write() as conn:
            cur = conn.execute(
                "INSERT INTO runs(time, workbench_version, codebook_hash, codebook_name, codebook, "
                "n_documents, n_sentences, n_mentions) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (_now(), __version__, summary.hash, summary.name, summary.to_json(),
                 len(doc_rows), len(sentence_rows), len(mention_rows)),
            )
            run_id = cur.lastrowid
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS _docs (doc_id TEXT PRIMARY KEY)")
            conn.execute("DELETE FROM _docs")
            conn.executemany("INSERT OR IGNORE INTO _docs VALUES (?)", [(d,) for d in doc_ids])
            conn.execute("DELETE FROM auto_mentions WHERE doc_id IN (SELECT doc_id FROM _docs)")
            conn.execute(
                "DELETE FROM auto_sentences WHERE sentence_id IN "
                "(SELECT sentence_id FROM sentences WHERE doc_id IN (SELECT doc_id FROM _docs))"
            )
            conn.execute("DELETE FROM sentences WHERE doc_id IN (SELECT doc_id FROM _docs)")
            conn.executemany(
                "INSERT INTO documents(doc_id, path, title, date, outlet, url, content_hash, text, run_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(doc_id) DO UPDATE SET "
                "path = excluded.path, title = excluded.title, date = excluded.date, "
                "outlet = excluded.outlet, url = excluded.url, content_hash = excluded.content_hash, "
                "text = excluded.text, run_id = excluded.run_id",
                [r + (run_id,) for r in doc_rows],
            )
            conn.executemany(
                'INSERT INTO sentences(sentence_id, doc_id, paragraph, sentence, start, "end", text) '
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                sentence_rows,
            )
            conn.executemany(
                "INSERT INTO auto_sentences(sentence_id, run_id, topics, actors, speaker, "
                "statement_type, speaker_rule, quote) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                zip((r[0] for r in sentence_rows), [run_id] * len(sentence_rows), *auto_cols),
            )
            conn.executemany(
                'INSERT INTO auto_mentions(run_id, doc_id, sentence_id, start, "end", surface, kind, key, rule) '
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                ((run_id,) + r for r in mention_rows),
            )
            conn.execute("DELETE FROM _docs")
        return int(run_id)

    # ---- reading: metadata

    def runs(self) -> pd.DataFrame:
        """The automatic runs, oldest first.

        Returns
        -------
        pandas.DataFrame
            Columns ``run_id, time, workbench_version, codebook_hash, codebook_name,
            n_documents, n_sentences, n_mentions``.
        """
        return self._frame(
            "SELECT run_id, time, workbench_version, codebook_hash, codebook_name, "
            "n_documents, n_sentences, n_mentions FROM runs ORDER BY run_id",
            columns=["run_id", "time", "workbench_version", "codebook_hash", "codebook_name",
                     "n_documents", "n_sentences", "n_mentions"],
        )

    def documents(self) -> pd.DataFrame:
        """The stored documents (without their full text).

        Returns
        -------
        pandas.DataFrame
            Columns ``doc_id, path, title, date, outlet, url, content_hash, run_id,
            n_sentences`` (``date`` is ``""`` when unknown).
        """
        return self._frame(
            "SELECT d.doc_id, d.path, d.title, coalesce(d.date, ''), d.outlet, d.url, d.content_hash, "
            "d.run_id, (SELECT count(*) FROM sentences s WHERE s.doc_id = d.doc_id) "
            "FROM documents d ORDER BY d.doc_id",
            columns=["doc_id", "path", "title", "date", "outlet", "url", "content_hash", "run_id", "n_sentences"],
        )

    def document_text(self, doc_id: str) -> str:
        """The full text of one document, as annotated.

        Parameters
        ----------
        doc_id : str
            The document.

        Returns
        -------
        str
            Its text exactly as annotated, ``""`` when the annotations did not include it.

        Raises
        ------
        KeyError
            When the store holds no document ``doc_id``.
        """
        row = self._conn.execute("SELECT text FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        if row is None:
            raise KeyError(f"no document {doc_id!r} in store {str(self.path)!r}")
        return row[0] or ""

    def codebook(self) -> CodebookSummary:
        """The latest run's codebook as stored: keys in order, labels and actor types.

        Returns
        -------
        CodebookSummary
            With ``run_id`` the run; empty (no keys, ``run_id`` None) when nothing was
            annotated yet.
        """
        row = self._conn.execute(
            "SELECT run_id, codebook_hash, codebook_name, codebook FROM runs ORDER BY run_id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return CodebookSummary()
        if self._summary_cache is None or self._summary_cache.run_id != row[0]:
            self._summary_cache = CodebookSummary.from_json(row[3], name=row[2], hash=row[1], run_id=row[0])
        return self._summary_cache

    def annotators(self) -> list[str]:
        """Names of everyone who has written to the journal, sorted."""
        return [r[0] for r in self._conn.execute("SELECT DISTINCT annotator FROM corrections ORDER BY annotator")]

    def sentence_count(self) -> int:
        """How many sentences the store holds."""
        return self._conn.execute("SELECT count(*) FROM sentences").fetchone()[0]

    def _frame(self, sql: str, params: Sequence[Any] = (), *, columns: list[str]) -> pd.DataFrame:
        rows = self._conn.execute(sql, params).fetchall()
        return pd.DataFrame.from_records(rows, columns=columns)

    # ---- the journal

    def journal(self, *, annotator: str | None = None) -> pd.DataFrame:
        """Every journal entry in order (nothing is ever removed from it).

        Parameters
        ----------
        annotator : str, optional
            Only this annotator's entries.

        Returns
        -------
        pandas.DataFrame
            Columns ``id, time, annotator, sentence_id, field, action, value, reverts``
            (``reverts`` is the id of the entry an undo entry reverts, ``<NA>`` otherwise).
        """
        sql = "SELECT id, time, annotator, sentence_id, field, action, value, reverts FROM corrections"
        params: tuple = ()
        if annotator is not None:
            sql += " WHERE annotator = ?"
            params = (annotator,)
        frame = self._frame(sql + " ORDER BY id", params, columns=JOURNAL_COLUMNS)
        frame["id"] = frame["id"].astype("int64")
        frame["reverts"] = frame["reverts"].astype("Int64")
        return frame

    def orphaned_corrections(self) -> pd.DataFrame:
        """Journal entries whose sentence no longer exists (its text changed or its
        document was removed). They are kept, never dropped.

        Returns
        -------
        pandas.DataFrame
            The :meth:`journal` columns plus ``doc_id`` (taken from the sentence id) and
            ``doc_in_store`` (whether that document is still in the store).
        """
        frame = self._frame(
            "SELECT c.id, c.time, c.annotator, c.sentence_id, c.field, c.action, c.value, c.reverts "
            "FROM corrections c WHERE NOT EXISTS (SELECT 1 FROM sentences s WHERE s.sentence_id = c.sentence_id) "
            "ORDER BY c.id",
            columns=JOURNAL_COLUMNS,
        )
        frame["id"] = frame["id"].astype("int64")
        frame["reverts"] = frame["reverts"].astype("Int64")
        doc_ids = [sid.rsplit(":", 1)[0] for sid in frame["sentence_id"]]
        known = {r[0] for r in self._conn.execute("SELECT doc_id FROM documents")}
        frame["doc_id"] = pd.Series(doc_ids, dtype="str", index=frame.index)
        frame["doc_in_store"] = pd.Series([d in known for d in doc_ids], dtype="bool", index=frame.index)
        return frame

    def last_entry_id(self) -> int:
        """The id of the journal's latest entry: where the journal stands now.

        Returns
        -------
        int
            The highest journal id, ``0`` when the journal is empty. Ids only grow, so
            ``store.view(as_of=store.last_entry_id())`` is the current view, and stays
            reproducible after later corrections.
        """
        return int(self._conn.execute("SELECT coalesce(max(id), 0) FROM corrections").fetchone()[0])

    def record_export(self, as_of: int, *, out_dir: str | os.PathLike) -> None:
        """Note that an export of the view at ``as_of`` was written (see :meth:`exports`).

        Parameters
        ----------
        as_of : int
            The journal position the export's ``sentences.csv`` carries.
        out_dir : str or os.PathLike
            The folder it was written to.
        """
        with self._write() as conn:
            conn.execute("INSERT INTO exports(as_of, time, out_dir) VALUES (?, ?, ?)",
                         (int(as_of), _now(), str(out_dir)))

    def exports(self) -> pd.DataFrame:
        """The exports written from this store, oldest first.

        Returns
        -------
        pandas.DataFrame
            Columns ``as_of`` (int64), ``time``, ``out_dir``. Empty for exports made before
            the store had schema version 3.
        """
        frame = self._frame("SELECT as_of, time, out_dir FROM exports ORDER BY id",
                            columns=["as_of", "time", "out_dir"])
        return frame.astype({"as_of": "int64"})

    def imports(self) -> pd.DataFrame:
        """The edited files :func:`import_corrections` imported, oldest first.

        Returns
        -------
        pandas.DataFrame
            Columns ``sha256`` (of the file's bytes), ``path``, ``annotator``, ``time``,
            ``n_entries`` (int64: journal entries the file made).
        """
        frame = self._frame("SELECT sha256, path, annotator, time, n_entries FROM imports ORDER BY id",
                            columns=["sha256", "path", "annotator", "time", "n_entries"])
        return frame.astype({"n_entries": "int64"})

    def stale_corrections(self) -> pd.DataFrame:
        """Corrections in effect that name a key the latest run's codebook no longer has.

        They still apply (the view shows the key where the correction put it); they
        appear after the codebook dropped or renamed a topic, actor or statement type.
        Fix them with :meth:`correct` (e.g. ``remove`` the old key, ``add`` its new name).

        Returns
        -------
        pandas.DataFrame
            The :meth:`journal` columns (entries that add or set a topic or actor key,
            set a speaker or a statement type, and are not undone), plus ``missing``: the
            key(s) the codebook lacks, ``;``-joined.
        """
        summary = self.codebook()
        known = {"topics": set(summary.topic_keys), "actors": set(summary.actor_ids),
                 "speaker": set(summary.actor_ids), "statement_type": set(summary.statement_type_keys)}
        rows = []
        for e in _effective(self._entries()):
            if e.field not in known or e.action == "remove" or not e.value:
                continue
            if e.field == "statement_type" and not known[e.field]:
                continue  # a codebook without statement types accepts any
            keys = _split_keys(e.value) if e.field in ("topics", "actors") else [e.value]
            missing = [k for k in keys if k not in known[e.field]]
            if missing:
                rows.append((e.id, e.sentence_id, ";".join(missing)))
        journal = self.journal()
        frame = journal[journal["id"].isin([r[0] for r in rows])].reset_index(drop=True)
        frame["missing"] = pd.Series([r[2] for r in rows], dtype="str", index=frame.index)
        return frame

    def _entries(self, *, annotator: str | None = None, sentence_ids: Sequence[str] | None = None,
                 field: str | None = None, as_of: int | None = None) -> list[_Entry]:
        sql = "SELECT id, annotator, sentence_id, field, action, value, reverts FROM corrections"
        clauses, params = [], []
        if as_of is not None:
            clauses.append("id <= ?")
            params.append(int(as_of))
        if field is not None:  # undo entries carry the field of the entry they revert
            clauses.append("field = ?")
            params.append(field)
        if annotator is not None:
            clauses.append("annotator = ?")
            params.append(annotator)
        if sentence_ids is not None:
            clauses.append(f"sentence_id IN ({','.join('?' * len(sentence_ids))})")
            params.extend(sentence_ids)
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        return [_Entry(*r) for r in self._conn.execute(sql + " ORDER BY id", params)]

    def _effective_by_sentence(self, *, annotator: str | None = None, sentence_ids: Sequence[str] | None = None,
                               as_of: int | None = None) -> dict[str, list[_Entry]]:
        grouped: dict[str, list[_Entry]] = defaultdict(list)
        for e in _effective(self._entries(annotator=annotator, sentence_ids=sentence_ids, as_of=as_of)):
            grouped[e.sentence_id].append(e)
        return grouped

    def _order(self) -> dict[str, list[str]]:
        summary = self.codebook()
        return {"topics": summary.topic_keys, "actors": summary.actor_ids}

    def _validate(self, sentence_id: str, field: str, action: str, value: Any, *, annotator: str) -> str:
        """Check one correction; return its value as stored. Raises CorrectionError."""
        check_annotator(annotator, error=CorrectionError)
        check_choice("field", field, FIELDS, error=CorrectionError)
        check_choice("action", action, FIELDS[field], context=f"for field {field!r}", error=CorrectionError)
        exists = self._conn.execute("SELECT 1 FROM sentences WHERE sentence_id = ?", (sentence_id,)).fetchone()
        if not exists:
            raise CorrectionError(f"unknown sentence_id {sentence_id!r}: no such sentence in store {str(self.path)!r}")
        summary = self.codebook()
        if field in ("topics", "actors"):
            known = summary.keys(field)
            kind = "topic" if field == "topics" else "actor"
            if action == "set":
                keys = value if isinstance(value, (list, tuple, set)) else _split_keys(str(value))
            else:
                keys = [value]
            bad = [k for k in keys if not isinstance(k, str) or k not in known]
            if bad and action == "remove":
                # a key an older codebook had may still be removed where it is present
                present = _split_keys(self._current_row(
                    sentence_id, _effective(self._entries(sentence_ids=[sentence_id])))[field])
                bad = [k for k in bad if k not in present]
            if bad:
                raise CorrectionError(
                    f"unknown {kind} key {bad[0]!r} for sentence {sentence_id!r}; the codebook "
                    f"{summary.name!r} has {known}"
                )
            return _ordered(keys, known) if action == "set" else keys[0]
        if field == "speaker":
            value = "" if value is None else str(value)
            if value and value not in summary.actor_ids:
                raise CorrectionError(
                    f"unknown speaker {value!r} for sentence {sentence_id!r}; a speaker is an actor id "
                    f"of the codebook {summary.name!r}: {summary.actor_ids}"
                )
            return value
        if field == "statement_type":
            value = "" if value is None else str(value)
            known = summary.statement_type_keys
            if value and known and value not in known:
                raise CorrectionError(
                    f"unknown statement_type {value!r} for sentence {sentence_id!r}; value must be one of {one_of(known)}"
                )
            return value
        if field == "reviewed":
            flag = _as_bool(value)
            if flag is None:
                raise CorrectionError(f"`reviewed` value = {value!r} is invalid; value must be True or False")
            return "true" if flag else "false"
        return "" if value is None else str(value)

    def _append(self, conn: sqlite3.Connection, rows: Iterable[tuple]) -> list[int]:
        ids = []
        for row in rows:
            cur = conn.execute(
                "INSERT INTO corrections(time, annotator, sentence_id, field, action, value, reverts) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                row,
            )
            ids.append(int(cur.lastrowid))
        return ids

    def correct(self, sentence_id: str, field: str, action: str, value: Any, *, annotator: str) -> int:
        """Journal one correction and commit it at once.

        Parameters
        ----------
        sentence_id : str
            The sentence corrected.
        field : str
            One of ``topics, actors, speaker, statement_type, note, reviewed``.
        action : str
            ``add`` / ``remove`` (one key; ``topics`` and ``actors``) or ``set`` (any field;
            for ``topics`` / ``actors`` a list of keys or a ``;``-joined string).
        value : str, list of str or bool
            A topic or actor key of the latest run's codebook, an actor id (``speaker``),
            a statement type, a note, or a bool (``reviewed``); ``""`` clears.
        annotator : str
            Who made the correction.

        Returns
        -------
        int
            The journal entry's ``id``.

        Raises
        ------
        CorrectionError
            Unknown sentence, field, action or key; nothing is written.
        """
        stored = self._validate(sentence_id, field, action, value, annotator=annotator)
        with self._write() as conn:
            return self._append(conn, [(_now(), annotator, sentence_id, field, action, stored, None)])[0]

    def undo(self, *, annotator: str) -> int | None:
        """Revert ``annotator``'s latest entry that is not yet undone, by appending an entry.

        Nothing is deleted: the new entry's ``reverts`` is the undone entry's id, and its
        ``value`` is the field's value after the undo. Calling it again undoes the entry
        before, and so on; other annotators' entries are never undone.

        Parameters
        ----------
        annotator : str
            Whose latest entry to undo.

        Returns
        -------
        int or None
            The id of the reverting entry, or None when there is nothing left to undo.
        """
        with self._write() as conn:
            row = conn.execute(
                "SELECT id, sentence_id, field FROM corrections c WHERE annotator = ? AND reverts IS NULL "
                "AND NOT EXISTS (SELECT 1 FROM corrections u WHERE u.reverts = c.id) ORDER BY id DESC LIMIT 1",
                (annotator,),
            ).fetchone()
            if row is None:
                return None
            target, sentence_id, field = row
            entries = [e for e in self._entries(sentence_ids=[sentence_id]) if e.id != target]
            after = self._current_row(sentence_id, _effective(entries))
            if field == "reviewed":
                value = "true" if after["reviewed"] else "false"
            else:
                value = after[field]
            return self._append(conn, [(_now(), annotator, sentence_id, field, "set", value, target)])[0]

    def reset_to_automatic(self, sentence_id: str, *, annotator: str) -> list[int]:
        """Bring a sentence's topics, actors, speaker and statement type back to the
        automatic values, by appending ``set`` entries (note and reviewed are kept).

        Parameters
        ----------
        sentence_id : str
            The sentence.
        annotator : str
            Who resets it (the entries are journaled under this name).

        Returns
        -------
        list of int
            Ids of the entries appended (empty when the row already had automatic values).

        Raises
        ------
        CorrectionError
            Unknown sentence or empty annotator; nothing is written.
        """
        self._validate(sentence_id, "note", "set", "", annotator=annotator)  # sentence and name
        with self._write() as conn:
            auto = self._auto_row(sentence_id)
            current = self._current_row(sentence_id, _effective(self._entries(sentence_ids=[sentence_id])))
            now = _now()
            rows = [
                (now, annotator, sentence_id, field, "set", auto[field], None)
                for field in ANNOTATED_FIELDS if current[field] != auto[field]
            ]
            return self._append(conn, rows)

    # ---- the current view

    def _auto_row(self, sentence_id: str) -> dict[str, str]:
        row = self._conn.execute(
            "SELECT topics, actors, speaker, statement_type, speaker_rule FROM auto_sentences WHERE sentence_id = ?",
            (sentence_id,),
        ).fetchone()
        keys = ("topics", "actors", "speaker", "statement_type", "speaker_rule")
        return dict(zip(keys, row)) if row else dict.fromkeys(keys, "")

    def _current_row(self, sentence_id: str, entries: Sequence[_Entry]) -> dict[str, Any]:
        return _replay(self._auto_row(sentence_id), entries, self._order())

    def view(self, *, annotator: str | None = None, corrections: bool = True,
             as_of: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The current view: the latest automatic layer with the journal replayed over it.

        Parameters
        ----------
        annotator : str, optional
            Apply only this annotator's corrections (default: everyone's, in journal order).
        corrections : bool, default True
            With ``False``, the automatic layer alone (every row ``source="auto"``).
        as_of : int, optional
            Replay only the journal entries with ``id <= as_of`` (an undo after ``as_of``
            is not applied either): the view as it was when the journal's last entry was
            ``as_of``, over today's automatic layer. ``0`` gives the automatic layer;
            default: the whole journal. :func:`workbench.export.export` writes it in
            ``sentences.csv`` as the ``as_of`` column (see :meth:`last_entry_id`).

        Returns
        -------
        sentences : pandas.DataFrame
            Columns ``doc_id, paragraph, sentence, sentence_id, start, end, text, topics,
            actors, speaker, statement_type, speaker_rule, source, reviewed, quote, note``
            (``paragraph, sentence, start, end`` int64; ``reviewed`` bool; the rest str).
            ``source`` is ``"manual"`` when a correction in effect touched the row;
            ``speaker_rule`` is ``"manual"`` when corrections changed the speaker.
        mentions : pandas.DataFrame
            Columns ``doc_id, sentence_id, start, end, surface, kind, key, rule`` (the
            automatic evidence; ``start, end`` int64, the rest str).
        """
        rows = self._conn.execute(
            'SELECT s.doc_id, s.paragraph, s.sentence, s.sentence_id, s.start, s."end", s.text, '
            "coalesce(a.topics, ''), coalesce(a.actors, ''), coalesce(a.speaker, ''), "
            "coalesce(a.statement_type, ''), coalesce(a.speaker_rule, ''), coalesce(a.quote, '') "
            "FROM sentences s LEFT JOIN auto_sentences a ON a.sentence_id = s.sentence_id "
            "ORDER BY s.doc_id, s.paragraph, s.sentence"
        ).fetchall()
        selected = SENTENCE_COLUMNS[:12] + ["quote"]
        columns = list(zip(*rows)) if rows else [()] * len(selected)
        data: dict[str, list] = {name: list(values) for name, values in zip(selected, columns)}
        n = len(rows)
        data["source"] = ["auto"] * n
        data["reviewed"] = [False] * n
        data["note"] = [""] * n
        touched = self._effective_by_sentence(annotator=annotator, as_of=as_of) if corrections else {}
        if touched:
            order = self._order()
            position = {sid: i for i, sid in enumerate(data["sentence_id"])}
            for sid, entries in touched.items():
                i = position.get(sid)
                if i is None:
                    continue  # orphaned
                auto = {k: data[k][i] for k in ("topics", "actors", "speaker", "statement_type", "speaker_rule")}
                current = _replay(auto, entries, order)
                for key, value in current.items():
                    data[key][i] = value
        sentences = pd.DataFrame({c: data[c] for c in SENTENCE_COLUMNS})
        sentences = sentences.astype({c: "int64" for c in ("paragraph", "sentence", "start", "end")})
        sentences = sentences.astype({"reviewed": "bool"})
        sentences = sentences.astype({c: "str" for c in SENTENCE_COLUMNS if c not in
                                      ("paragraph", "sentence", "start", "end", "reviewed")})
        mentions = self._frame(
            'SELECT doc_id, sentence_id, start, "end", surface, kind, key, rule FROM auto_mentions '
            "ORDER BY doc_id, start, mention_id",
            columns=MENTION_COLUMNS,
        )
        mentions = mentions.astype({"start": "int64", "end": "int64"})
        mentions = mentions.astype({c: "str" for c in MENTION_COLUMNS if c not in ("start", "end")})
        return sentences, mentions

    def sentences(self, *, annotator: str | None = None, corrections: bool = True) -> pd.DataFrame:
        """The current view's sentences: the first table of :meth:`view`.

        Parameters
        ----------
        annotator : str, optional
            Apply only this annotator's corrections (default: everyone's, in journal order).
        corrections : bool, default True
            With ``False``, the automatic layer alone.

        Returns
        -------
        pandas.DataFrame
            Columns ``doc_id, paragraph, sentence, sentence_id, start, end, text, topics,
            actors, speaker, statement_type, speaker_rule, source, reviewed, quote, note``
            (dtypes as in :meth:`view`).
        """
        return self.view(annotator=annotator, corrections=corrections)[0]

    def mentions(self) -> pd.DataFrame:
        """The automatic mentions (see :meth:`view`)."""
        return self.view()[1]

    # ---- what the review panel needs

    _QUEUES = {
        "all": "every sentence, in document order",
        "unreviewed": "sentences not yet ticked as reviewed",
        "topic": "sentences whose current topics include `topic`",
        "disagreements": "sentences whose current values differ from the automatic ones",
        "annotator_disagreements": "sentences where `annotator` and `other` disagree",
    }

    def sentence_ids(self, *, queue: str = "all",
                     topic: str | None = None, annotator: str | None = None,
                     other: str | None = None, doc_id: str | None = None) -> list[str]:
        """Sentence ids of a review queue, in document order.

        Parameters
        ----------
        queue : str, default "all"
            ``"all"``, ``"unreviewed"``, ``"topic"`` (needs ``topic``), ``"disagreements"``
            (automatic vs corrected topics, actors, speaker or statement type) or
            ``"annotator_disagreements"`` (needs ``annotator`` and ``other``).
        topic : str, optional
            The topic key for the ``"topic"`` queue.
        annotator : str, optional
            Whose corrections define the current values (default: everyone's).
        other : str, optional
            The annotator compared with ``annotator`` in ``"annotator_disagreements"``.
        doc_id : str, optional
            Only this document's sentences.

        Returns
        -------
        list of str
            The queue's sentence ids, ordered by ``doc_id``, paragraph and sentence.
        """
        check_choice("queue", queue, self._QUEUES)
        where, params = "", []
        if doc_id is not None:
            where, params = " WHERE s.doc_id = ?", [doc_id]
        order = " ORDER BY s.doc_id, s.paragraph, s.sentence"
        if queue == "all":
            return [r[0] for r in self._conn.execute(f"SELECT s.sentence_id FROM sentences s{where}{order}", params)]
        if queue == "topic":
            if topic is None:
                raise ValueError("the 'topic' queue needs `topic=`, e.g. topic='ukraine'")
        if queue == "annotator_disagreements" and (annotator is None or other is None):
            raise ValueError("the 'annotator_disagreements' queue needs `annotator=` and `other=`")
        rows = self._conn.execute(
            "SELECT s.sentence_id, coalesce(a.topics, ''), coalesce(a.actors, ''), coalesce(a.speaker, ''), "
            "coalesce(a.statement_type, ''), coalesce(a.speaker_rule, '') FROM sentences s "
            f"LEFT JOIN auto_sentences a ON a.sentence_id = s.sentence_id{where}{order}",
            params,
        ).fetchall()
        keys = ("topics", "actors", "speaker", "statement_type", "speaker_rule")
        codebook_order = self._order()
        mine = self._effective_by_sentence(annotator=annotator)
        if queue == "unreviewed":
            return [r[0] for r in rows
                    if not (r[0] in mine and _replay(dict(zip(keys, r[1:])), mine[r[0]], codebook_order)["reviewed"])]
        if queue == "topic":
            out = []
            for r in rows:
                topics = r[1]
                if r[0] in mine:
                    topics = _replay(dict(zip(keys, r[1:])), mine[r[0]], codebook_order)["topics"]
                if topic in _split_keys(topics):
                    out.append(r[0])
            return out
        if queue == "disagreements":
            out = []
            for r in rows:
                if r[0] in mine:
                    auto = dict(zip(keys, r[1:]))
                    current = _replay(auto, mine[r[0]], codebook_order)
                    if any(current[f] != auto[f] for f in ANNOTATED_FIELDS):
                        out.append(r[0])
            return out
        theirs = self._effective_by_sentence(annotator=other)
        out = []
        for r in rows:
            if r[0] in mine or r[0] in theirs:
                auto = dict(zip(keys, r[1:]))
                a = _replay(auto, mine.get(r[0], []), codebook_order)
                b = _replay(auto, theirs.get(r[0], []), codebook_order)
                if any(a[f] != b[f] for f in ANNOTATED_FIELDS):
                    out.append(r[0])
        return out

    def sentence_record(self, sentence_id: str, *, annotator: str | None = None) -> dict[str, Any]:
        """Everything the review panel shows for one sentence, read with indexed queries.

        Parameters
        ----------
        sentence_id : str
            The sentence.
        annotator : str, optional
            Whose corrections define the current values (default: everyone's).

        Returns
        -------
        dict
            ``sentence_id, doc_id, paragraph, sentence, start, end, text, title,
            prev_text, next_text`` (``""`` at the document's edges), current values
            ``topics, actors`` (lists of keys), ``speaker, statement_type, speaker_rule,
            note, reviewed, source``; ``auto`` (dict of the automatic ``topics, actors``
            as lists, ``speaker, statement_type, speaker_rule``); ``mentions`` (list of dicts
            ``start, end`` in document offsets, ``rel_start, rel_end`` in the sentence's
            text, ``surface, kind, key, rule``); ``n_corrections`` (entries in effect).
        """
        row = self._conn.execute(
            'SELECT s.doc_id, s.paragraph, s.sentence, s.start, s."end", s.text, d.title '
            "FROM sentences s JOIN documents d ON d.doc_id = s.doc_id WHERE s.sentence_id = ?",
            (sentence_id,),
        ).fetchone()
        if row is None:
            raise KeyError(f"unknown sentence_id {sentence_id!r}: no such sentence in store {str(self.path)!r}")
        doc_id, paragraph, sentence, start, end, text, title = row
        prev = self._conn.execute(
            "SELECT text FROM sentences WHERE doc_id = ? AND (paragraph, sentence) < (?, ?) "
            "ORDER BY paragraph DESC, sentence DESC LIMIT 1",
            (doc_id, paragraph, sentence),
        ).fetchone()
        nxt = self._conn.execute(
            "SELECT text FROM sentences WHERE doc_id = ? AND (paragraph, sentence) > (?, ?) "
            "ORDER BY paragraph, sentence LIMIT 1",
            (doc_id, paragraph, sentence),
        ).fetchone()
        auto = self._auto_row(sentence_id)
        entries = _effective(self._entries(annotator=annotator, sentence_ids=[sentence_id]))
        current = _replay(auto, entries, self._order())
        mentions = [
            {"start": m[0], "end": m[1], "rel_start": m[0] - start, "rel_end": m[1] - start,
             "surface": m[2], "kind": m[3], "key": m[4], "rule": m[5]}
            for m in self._conn.execute(
                'SELECT start, "end", surface, kind, key, rule FROM auto_mentions '
                "WHERE sentence_id = ? ORDER BY start, mention_id",
                (sentence_id,),
            )
        ]
        return {
            "sentence_id": sentence_id, "doc_id": doc_id, "paragraph": paragraph, "sentence": sentence,
            "start": start, "end": end, "text": text, "title": title,
            "prev_text": prev[0] if prev else "", "next_text": nxt[0] if nxt else "",
            "topics": _split_keys(current["topics"]), "actors": _split_keys(current["actors"]),
            "speaker": current["speaker"], "statement_type": current["statement_type"],
            "speaker_rule": current["speaker_rule"], "note": current["note"],
            "reviewed": current["reviewed"], "source": current["source"],
            "auto": {"topics": _split_keys(auto["topics"]), "actors": _split_keys(auto["actors"]),
                     "speaker": auto["speaker"], "statement_type": auto["statement_type"],
                     "speaker_rule": auto["speaker_rule"]},
            "mentions": mentions, "n_corrections": len(entries),
        }

    def progress(self, *, annotator: str | None = None) -> tuple[int, int]:
        """How many sentences are ticked as reviewed, and how many there are.

        Parameters
        ----------
        annotator : str, optional
            Count only this annotator's ticks (default: everyone's, the latest tick of a
            sentence deciding).

        Returns
        -------
        tuple of (int, int)
            ``(reviewed, total)``; ticks on sentences that no longer exist (orphans) do
            not count.
        """
        last: dict[str, bool] = {}
        for e in _effective(self._entries(annotator=annotator, field="reviewed")):
            last[e.sentence_id] = e.value == "true"
        ticked = [sid for sid, flag in last.items() if flag]
        reviewed = 0
        for i in range(0, len(ticked), 500):  # orphaned sentences do not count
            chunk = ticked[i:i + 500]
            reviewed += self._conn.execute(
                f"SELECT count(*) FROM sentences WHERE sentence_id IN ({','.join('?' * len(chunk))})", chunk
            ).fetchone()[0]
        return reviewed, self.sentence_count()


# --------------------------------------------------------------------------- CSV import

_LIST_SEPARATORS = str.maketrans({",": ";", "،": ";", "؛": ";"})
_IMPORT_FIELDS = ("topics", "actors", "speaker", "statement_type", "note", "reviewed")
#: Columns of a ``sentences.csv`` written by ``workbench export``: read or knowingly skipped.
_EXPORT_COLUMNS = frozenset(SENTENCE_COLUMNS) | {"as_of"}
_AS_OF = re.compile(r"\d+(?:\.0*)?")  # a spreadsheet may write 12 as 12.0


@dataclass
class _EditedFile:
    """One edited CSV as read: its rows keyed by column name (lower case, stripped)."""
    path: Path
    header: list[str]                 # as written in the file
    rows: list[tuple[int, dict]]      # (row number, cells)
    fields: list[str]                 # importable columns present, in _IMPORT_FIELDS order
    has_as_of: bool
    sha256: str                       # of the file's bytes


def _read_edited_csv(path: Path) -> _EditedFile:
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CorrectionsImportError(path, [
            f"the file is not UTF-8 (byte {exc.start}); save it again as 'CSV UTF-8'"
        ]) from None
    delimiter, text, skipped = spreadsheet_csv(text)
    first_row = 2 + skipped
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = list(reader.fieldnames or [])
        names = [h.strip().lower() for h in header]  # 'Topics', ' topics ' are 'topics'
        reader.fieldnames = names
        rows = list(enumerate(reader, start=first_row))
    except csv.Error as exc:
        raise CorrectionsImportError(path, [f"cannot read it as CSV ({exc}); save it again as 'CSV UTF-8'"]) from None
    problems = []
    for name in dict.fromkeys(n for n in names if n):
        written = [h for h, n in zip(header, names) if n == name]
        if len(written) > 1:
            problems.append(f"row 1: column {name!r} appears {len(written)} times ({written}); keep one")
    if "sentence_id" not in names:
        problems.append(f"row 1: no 'sentence_id' column (columns found: {header}); import a sentences.csv "
                        "written by `workbench export`")
    fields = [f for f in _IMPORT_FIELDS if f in names]
    if not fields:
        problems.append(f"row 1: none of the columns that can be imported is there; expected one or more of "
                        f"{list(_IMPORT_FIELDS)}, found {header}")
    if problems:
        raise CorrectionsImportError(path, problems)
    return _EditedFile(path, header, rows, fields, "as_of" in names, digest)


def _unneutralise(value: str) -> str:
    """Undo the export's formula guard: ``'=x`` → ``=x`` (only where the guard applies)."""
    if value.startswith("'") and len(value) > 1 and value[1] in "=+-@\t\r":
        return value[1:]
    return value


def _same(field: str, a: Any, b: Any) -> bool:
    """Whether two values of a view cell are the same (key lists as sets)."""
    if field in ("topics", "actors"):
        return set(_split_keys(a)) == set(_split_keys(b))
    return a == b


def _shown(field: str, value: Any) -> str:
    if field == "reviewed":
        return "true" if value else "false"
    return str(value)


@dataclass(frozen=True)
class _Planned:
    file: Path
    row: int
    sentence_id: str
    field: str
    action: str
    value: Any
    imported: str
    previous: str
    conflict: bool


class _ImportPlan:
    """Works out, inside the import's write transaction, which entries the files make.

    ``current`` starts as the current view and follows the planned entries, so a file
    in a folder is compared with the store as the files before it leave it.
    """

    def __init__(self, store: Store, *, annotator: str):
        self.store = store
        self.annotator = annotator
        summary = store.codebook()
        self.order = {"topics": summary.topic_keys, "actors": summary.actor_ids}
        self.known = {"topics": set(summary.topic_keys), "actors": set(summary.actor_ids)}
        self.retired: dict[str, set[str]] = {"topics": set(), "actors": set()}  # only earlier codebooks have them
        for (codebook,) in store._conn.execute("SELECT codebook FROM runs"):
            earlier = CodebookSummary.from_json(codebook)
            for field, retired in self.retired.items():
                retired.update(k for k in earlier.keys(field) if k not in self.known[field])
        self.current = self._rows(None)
        self.last_id = store.last_entry_id()
        #: as_of values the exports of this store wrote (empty: none recorded, any as_of is taken)
        self.exported = {int(r[0]) for r in store._conn.execute("SELECT DISTINCT as_of FROM exports")}
        self._bases: dict[int, dict[str, dict[str, Any]]] = {}
        self.planned: list[_Planned] = []
        self.problems: list[str] = []
        self.warnings: list[str] = []

    def _rows(self, as_of: int | None) -> dict[str, dict[str, Any]]:
        frame = self.store.view(as_of=as_of)[0]
        return {r["sentence_id"]: {f: r[f] for f in _IMPORT_FIELDS}
                for r in frame[["sentence_id", *_IMPORT_FIELDS]].to_dict("records")}

    def _base(self, as_of: int) -> dict[str, dict[str, Any]]:
        if as_of not in self._bases:
            self._bases[as_of] = self._rows(as_of)
        return self._bases[as_of]

    def _already_applied(self, sentence_id: str, field: str, value: Any, as_of: int) -> bool:
        """Whether one of the annotator's entries after ``as_of`` left the cell at ``value``
        (the file was imported before, and someone changed the cell since)."""
        entries = _effective(self.store._entries(sentence_ids=[sentence_id]))
        auto = self.store._auto_row(sentence_id)
        for k, e in enumerate(entries):
            if e.id > as_of and e.annotator == self.annotator and e.field == field:
                if _same(field, _replay(auto, entries[:k + 1], self.order)[field], value):
                    return True
        return False

    def _key_changes(self, sentence_id: str, field: str, as_of: int | None) -> list[tuple[str, str, bool]]:
        """``(annotator, key, added)`` for each key a journal entry in effect after ``as_of``
        added to or removed from the sentence's ``field``; entries planned from an earlier
        file of the import count as someone else's (annotator ``""``)."""
        if as_of is None:
            return []
        entries = _effective(self.store._entries(sentence_ids=[sentence_id], field=field))
        keys = set(_split_keys(self.store._auto_row(sentence_id)[field]))
        changes = []
        for e in entries:
            row = _replay({field: ";".join(sorted(keys))}, [e], self.order)
            after = set(_split_keys(row[field]))
            if e.id > as_of:
                changes += [(e.annotator, k, True) for k in after - keys]
                changes += [(e.annotator, k, False) for k in keys - after]
            keys = after
        changes += [("", p.value, p.action == "add") for p in self.planned  # an earlier file's
                    if p.sentence_id == sentence_id and p.field == field]
        return changes

    def _touched(self, sentence_id: str) -> set[str]:
        """Fields of the sentence that a journal entry in effect (or a planned one) touched."""
        entries = _effective(self.store._entries(sentence_ids=[sentence_id]))
        return {e.field for e in entries} | {p.field for p in self.planned if p.sentence_id == sentence_id}

    def add_file(self, edited: _EditedFile, *, prefix: str = "") -> None:
        problems = self.problems
        seen: dict[str, int] = {}
        as_ofs: dict[int, list[int]] = defaultdict(list)  # as_of -> rows carrying it
        todo = []
        for number, row in edited.rows:
            where = f"{prefix}row {number}"
            sid = (row.get("sentence_id") or "").strip()
            if not sid and not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue  # blank line a spreadsheet left behind
            if sid not in self.current:
                problems.append(f"{where}: unknown sentence_id {sid!r}; a row must keep the sentence_id the "
                                "export wrote on it")
                continue
            if sid in seen:
                problems.append(f"{where}: sentence_id {sid!r} already on row {seen[sid]}")
                continue
            seen[sid] = number
            as_of = None
            if edited.has_as_of:
                cell = (row.get("as_of") or "").strip()
                if not _AS_OF.fullmatch(cell):
                    problems.append(
                        f"{where}: 'as_of' = {cell!r} is not a journal position; keep the number the export "
                        "wrote (the same on every row), or delete the whole as_of column to compare with the "
                        "current view")
                    continue
                as_of = int(float(cell))
                if as_of > self.last_id:
                    problems.append(
                        f"{where}: 'as_of' = {as_of} is later than this store's last journal entry "
                        f"({self.last_id}); was the file exported from another store?")
                    continue
                as_ofs[as_of].append(number)
            todo.append((number, where, sid, row, as_of))
        redo = "export again and re-apply your edits to the new sentences.csv"
        if len(as_ofs) > 1:
            shown = "; ".join(f"{a} on row(s) {rows[:5]}{' …' if len(rows) > 5 else ''}"
                              for a, rows in sorted(as_ofs.items()))
            problems.append(
                f"{prefix}'as_of' differs between rows ({shown}): rows pasted from several exports (or an "
                f"edited as_of) cannot be told apart from corrections made since; {redo}")
            return
        unwritten = [a for a in as_ofs if self.exported and a not in self.exported]
        if unwritten:
            problems.append(
                f"{prefix}'as_of' = {unwritten[0]} was not written by any export of this store (exports wrote "
                f"{sorted(self.exported)}): an edited as_of would undo corrections made since; {redo}")
            return
        for number, where, sid, row, as_of in todo:
            self._add_row(edited.path, number, where, sid, row, edited.fields, as_of)
        if not edited.has_as_of:
            self.warnings.append(
                f"{edited.path}: no 'as_of' column (files written by `workbench export` have one), so it was "
                "compared with the current view: a cell changed in the store since this file was made, and not "
                "in the file, is set back to the file's value")
        unknown = [h for h in edited.header if h.strip() and h.strip().lower() not in _EXPORT_COLUMNS]
        if unknown:
            self.warnings.append(
                f"{edited.path}: column(s) {unknown} ignored: they are not sentences.csv columns (the ones "
                f"imported are {list(_IMPORT_FIELDS)})")

    def _add_row(self, path: Path, number: int, where: str, sid: str, row: Mapping[str, Any],
                 fields: Sequence[str], as_of: int | None) -> None:
        current = self.current[sid]
        base = current if as_of is None else self._base(as_of)[sid]
        for field in fields:
            cell = row.get(field)
            cell = "" if cell is None else cell
            if field in ("topics", "actors"):
                keys = list(dict.fromkeys(k.strip() for k in cell.translate(_LIST_SEPARATORS).split(";")
                                          if k.strip()))
                value: Any = _ordered(keys, self.order[field])
            elif field == "reviewed":
                value = _as_bool(cell)
                if value is None:
                    self.problems.append(f"{where}: 'reviewed' = {cell!r} is not TRUE or FALSE")
                    continue
            else:
                value = cell.strip() if field != "note" else _unneutralise(cell)
            if _same(field, value, base[field]) or _same(field, value, current[field]):
                continue  # not edited in the file, or the store already says so
            if as_of is not None and self._already_applied(sid, field, value, as_of):
                continue  # imported before; a later correction changed it again
            if field in ("topics", "actors"):
                have, base_keys = _split_keys(current[field]), _split_keys(base[field])
                # three-way merge: the file's own adds and removes (against the export) go
                # onto the current row, so keys others changed since are left as they are
                file_adds = [k for k in keys if k not in base_keys]
                file_removes = [k for k in base_keys if k not in keys]
                changes = self._key_changes(sid, field, as_of)
                mine = {(k, added) for who, k, added in changes if who == self.annotator}
                theirs = {(k, added) for who, k, added in changes if who != self.annotator}
                # a change the annotator made after the export (this file imported before)
                # that someone undid since is not made again
                adds = [k for k in file_adds if k not in have and (k, True) not in mine]
                removes = [k for k in file_removes if k in have and (k, False) not in mine]
                if not adds and not removes:
                    continue
                if as_of is None:
                    conflict = field in self._touched(sid)
                else:
                    conflict = any((k, False) in theirs for k in adds) or any((k, True) in theirs for k in removes)
                # a key the codebook no longer has cannot be added back: skipped with a
                # warning when an earlier codebook had it
                unknown = [k for k in adds if k not in self.known[field]]
                kind = "topic" if field == "topics" else "actor"
                bad = [k for k in unknown if k not in self.retired[field]]
                if bad:
                    self.problems.append(
                        f"{where}: unknown {kind} key(s) {bad} in column '{field}'; use the codebook's "
                        f"{kind} keys: {self.order[field]}")
                    continue
                if unknown:
                    self.warnings.append(
                        f"{path} row {number}: {kind} key(s) {unknown} not added: an earlier "
                        "codebook had them, the latest does not")
                adds = [k for k in adds if k in self.known[field]]
                entries = [("remove", k) for k in removes] + [("add", k) for k in adds]
                after: Any = _ordered([k for k in have if k not in removes] + adds, self.order[field])
            else:
                if as_of is None:
                    conflict = field in self._touched(sid)
                else:
                    conflict = not _same(field, current[field], base[field])
                entries, after = [("set", value)], value
            for action, entry_value in entries:
                self.planned.append(_Planned(path, number, sid, field, action, entry_value, _shown(field, value),
                                             _shown(field, current[field]), conflict))
            current[field] = after


def _csv_files(path: Path) -> list[Path]:
    return sorted((p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".csv"
                   and not p.name.startswith((".", "~$"))), key=lambda p: p.name)


def import_corrections(store: Store, path: str | os.PathLike, *, annotator: str) -> pd.DataFrame:
    """Journal the cells an analyst edited in a ``sentences.csv`` (or a folder of them).

    A file written by :func:`workbench.export.export` has an ``as_of`` column: where the
    journal stood when it was exported. Each row is compared with the view *as of then*
    (:meth:`Store.view` with ``as_of=``), so only the cells the analyst changed are
    journaled, never the old values of cells someone corrected after the export:

    - a file whose exact content (SHA-256 of its bytes) was imported into this store
      before, by anyone, is skipped with a warning saying when and by whom
      (:meth:`Store.imports` lists them);
    - a changed cell whose current value already is the file's journals nothing;
    - nor does a cell that ``annotator`` set to the file's value after the export (by
      importing this file before, say) and someone changed since: the later correction
      stands, so re-running an import never overrides newer work;
    - a changed ``speaker``, ``statement_type``, ``note`` or ``reviewed`` cell that
      someone else also changed after the export is set to the file's value (the
      analyst's explicit edit, appended last, wins) and reported as a conflict
      (``conflict`` column, ``previous`` holds the value it replaced);
    - ``topics`` / ``actors`` are merged three ways: the keys the file adds (in the file,
      not in the exported row) are added to the current row, the keys it removes are
      removed from it, and keys others added or removed after the export stay as they
      are. Only a key the file adds that someone else removed after the export, or one
      it removes that someone else added, is a conflict;
    - a topic or actor key is checked against the codebook only where the import adds
      it: keys the exported row already had are fine even when a newer codebook lacks
      them (they are not added back where they were removed since); a key only an
      earlier run's codebook had is not added, with a warning; any other unknown key
      is a problem.

    The journal before ``as_of`` is replayed over today's automatic layer: for a
    document annotated again after the export, a cell the new automatic layer changed
    looks edited in the file. Export again after re-annotating.

    ``as_of`` must be the same on every row, and one an export of this store wrote
    (:meth:`Store.exports`; a store with no export recorded, made before schema
    version 3, takes any ``as_of`` up to its last journal entry): an edited ``as_of``
    would undo the corrections made since.

    A CSV without ``as_of`` (not written by the export) is compared with the current
    view, and the result's warnings say so; every cell it changes that a correction in
    effect had set is reported as a conflict. The file may come back from a spreadsheet
    program: with or without a BOM, ``,`` or ``;`` (or a tab) as the delimiter (or
    Excel's ``sep=;`` hint line), lists inside cells separated by ``;``, ``,`` or the
    Arabic ``،`` / ``؛``. Column names are matched ignoring case and surrounding spaces;
    ``sentence_id`` and at least one of ``topics, actors, speaker, statement_type, note,
    reviewed`` are required, other columns of ``sentences.csv`` are skipped and unknown
    ones are ignored with a warning.

    Every row of every file is checked first and everything is journaled in one
    transaction: if any row has a problem (unknown sentence id or key, a bad value),
    nothing is imported.

    Parameters
    ----------
    store : Store
        The store to journal into.
    path : str or os.PathLike
        The edited CSV file, or a folder: then every ``*.csv`` directly in it (not
        hidden or ``~$`` lock files), in name order, each compared with the store as
        the files before it leave it. An empty folder imports nothing.
    annotator : str
        Who made the edits.

    Returns
    -------
    pandas.DataFrame
        One row per journal entry appended, in journal order: the :meth:`Store.journal`
        columns ``id, time, annotator, sentence_id, field, action, value, reverts``, then
        ``file`` (the CSV it came from), ``row`` (its row number there), ``imported``
        (the cell's value in the file), ``previous`` (the cell's value before the
        import) and ``conflict`` (True when someone changed the cell after the file was
        exported, so ``previous`` is their value and this entry overrides it). Cells
        are shown as in the view: keys ``;``-joined in codebook order, ``reviewed`` as
        ``true`` / ``false``. ``.attrs["warnings"]`` lists what the caller should know
        (files without ``as_of``, ignored columns, an empty folder, files imported before),
        each naming its file.

    Raises
    ------
    CorrectionsImportError
        With every problem, by file and row number (the header is row 1); nothing is
        written. Also when ``path`` does not exist.
    """
    path = Path(path)
    check_annotator(annotator, error=CorrectionError)
    if not path.exists():
        raise CorrectionsImportError(path, ["no such file or folder"], message=(
            f"{path}: no such file or folder; give an edited sentences.csv, or a folder of them"))
    folder = path.is_dir()
    files = _csv_files(path) if folder else [path]
    edited: list[tuple[_EditedFile, str]] = []
    problems: list[str] = []
    for file in files:
        prefix = f"{file.name}: " if folder else ""
        try:
            edited.append((_read_edited_csv(file), prefix))
        except CorrectionsImportError as exc:
            problems.extend(prefix + p for p in exc.problems)
    if problems:
        raise CorrectionsImportError(path, problems)
    with store._write() as conn:  # read, check and append with no other writer in between
        plan = _ImportPlan(store, annotator=annotator)
        done: dict[str, str] = {}  # sha256 -> the file of this import that has that content
        fresh = []
        for one, prefix in edited:
            before = conn.execute("SELECT time, annotator FROM imports WHERE sha256 = ? ORDER BY id LIMIT 1",
                                  (one.sha256,)).fetchone()
            if before:
                plan.warnings.append(f"{one.path}: already imported on {before[0]} by {before[1]!r}; nothing to do")
            elif one.sha256 in done:
                plan.warnings.append(f"{one.path}: the same content as {done[one.sha256]}; nothing to do")
            else:
                done[one.sha256] = str(one.path)
                fresh.append(one)
                plan.add_file(one, prefix=prefix)
        rows: list[tuple] = []
        for p in plan.planned:
            try:
                stored = store._validate(p.sentence_id, p.field, p.action, p.value, annotator=annotator)
            except CorrectionError as exc:
                prefix = f"{p.file.name}: " if folder else ""
                plan.problems.append(f"{prefix}row {p.row}: {exc}")
                continue
            rows.append((p.sentence_id, p.field, p.action, stored))
        if plan.problems:
            raise CorrectionsImportError(path, plan.problems)
        now = _now()
        ids = store._append(conn, [(now, annotator, sid, f, a, v, None) for sid, f, a, v in rows])
        made = defaultdict(int)
        for p in plan.planned:
            made[p.file] += 1
        conn.executemany(
            "INSERT INTO imports(sha256, path, annotator, time, n_entries) VALUES (?, ?, ?, ?, ?)",
            [(one.sha256, str(one.path), annotator, now, made[one.path]) for one in fresh])
    journal = store.journal(annotator=annotator)
    added = journal[journal["id"].isin(ids)].reset_index(drop=True)
    planned = plan.planned
    added["file"] = pd.Series([str(p.file) for p in planned], dtype="str", index=added.index)
    added["row"] = pd.Series([p.row for p in planned], dtype="int64", index=added.index)
    added["imported"] = pd.Series([p.imported for p in planned], dtype="str", index=added.index)
    added["previous"] = pd.Series([p.previous for p in planned], dtype="str", index=added.index)
    added["conflict"] = pd.Series([p.conflict for p in planned], dtype="bool", index=added.index)
    if folder and not files:
        plan.warnings.append(f"{path}: no .csv files in this folder; nothing to import")
    added.attrs["warnings"] = list(plan.warnings)
    return added
