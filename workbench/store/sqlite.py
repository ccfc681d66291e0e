"""The SQLite store: documents, automatic runs and the corrections journal in one file.

The store is one file the analyst can copy. It holds

- ``documents`` (each text once) and ``sentences`` as last annotated, each sentence with its
  automatic values, and ``auto_mentions``: the automatic layer, per document from the latest
  run that annotated it (how they are laid out: ``layout.py``);
- ``runs``: one row per automatic annotation run (time, workbench version, codebook hash
  and name, the codebook's keys and labels);
- ``corrections``: an append-only journal (SQLite triggers refuse UPDATE and DELETE);
- ``imports`` and ``exports``: the edited files imported and the exports written.

The *current view* is the automatic layer with the journal replayed over it in journal
order (:meth:`Store.view`; the replay itself is in ``journal.py``, the schema in
``schema.py``). Corrections refer to sentences by ``sentence_id`` (a hash of the
sentence's text), so they survive re-annotation; a correction whose sentence no longer
exists is kept and reported by :meth:`Store.orphaned_corrections`.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..codebook import CodebookSummary, summary_of
from ..collector import collector_paused
from . import layout, schema
from . import view as batched
from .journal import (
    ANNOTATED_FIELDS,
    AUTO_FIELDS,
    JOURNAL_COLUMNS,
    CorrectionError,
    Entry,
    by_sentence,
    check_entry,
    checked_value,
    effective,
    keys_of,
    now,
    replay,
)
from .records import Records
from .review import ReviewQueries
from .runs import annotation_rows, identify, write_run
from .safety import IdleCheckpoint, backup, check_schema, checkpoint, compact, write_error
from .schema import StoreError, check_version, read_version, upgrade

if TYPE_CHECKING:  # pragma: no cover
    from ..annotate import Annotations
    from ..corpus import Corpus

__all__ = ["Store", "PAGE_SIZE", "LEAN_VERSION"]

#: The page size of a new store file (bytes).
PAGE_SIZE = 16384
#: The schema version that made the store lean (issue 13): upgrading to it compacts the file.
LEAN_VERSION = 9



class Store(ReviewQueries, Records):
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
            raise StoreError(
                f"store {str(self.path)!r} is a folder; name a file, e.g. "
                f"{str(self.path / 'workbench.sqlite')!r}"
            )
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
        self._timeout = timeout
        self._closed = False
        self._strings = layout.Strings()
        new = not self.path.exists()
        try:
            self._conn = sqlite3.connect(
                str(self.path), timeout=timeout, isolation_level=None, check_same_thread=False
            )
            if new:  # larger pages hold a document's text with less room wasted around it
                self._conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
            self._conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            self._conn.execute("PRAGMA foreign_keys = ON")
            self._conn.execute("PRAGMA trusted_schema = OFF")  # no function calls from the file's own schema
            mode = self._conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{str(self.path)!r} is not a workbench store ({exc})") from None
        if str(mode).lower() != "wal":
            raise StoreError(f"cannot switch store {str(self.path)!r} to WAL mode (got {mode!r})")
        self._idle = IdleCheckpoint(self.path)
        try:
            self._migrate()
        except BaseException:
            self._conn.close()  # a store refused (too new, changed outside the workbench) is left alone
            raise
        self._summary_cache: CodebookSummary | None = None

    # ---- lifecycle

    def close(self) -> None:
        """Fold the write-ahead log into the store file and close the connection (again: nothing)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._idle.close()
            self._conn.execute("PRAGMA busy_timeout = 0")  # never wait for readers: fold in what they allow
            checkpoint(self._conn, mode="TRUNCATE")
            self._conn.close()

    def backup(self, dest: str | os.PathLike) -> Path:
        """A complete single-file copy of the store, safe while others read and write it.

        Parameters
        ----------
        dest : str or os.PathLike
            A new file, or an existing folder (the copy is then named
            ``{store name}-{UTC time}.sqlite`` in it).

        Returns
        -------
        pathlib.Path
            The copy.

        Raises
        ------
        StoreError
            ``dest`` is the store itself, already exists, or its folder does not.
        """
        dest = Path(dest)
        if dest.is_dir() and not dest.is_symlink():
            stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
            dest = dest / f"{self.path.stem}-{stamp}.sqlite"
        with self._lock:
            return backup(self._conn, dest, source=self.path)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: ``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on error.

        No other process writes in between, so what is read inside stays true until the
        commit. Inside a transaction, the store's own writes (:meth:`append_entries`,
        :meth:`record_import` …) join it instead of committing on their own.

        Yields
        ------
        sqlite3.Connection
            The store's connection.
        """
        with self._lock:
            if self._conn.in_transaction:  # a write of the store inside an open transaction
                yield self._conn
                return
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self._conn
                except BaseException:
                    self._strings.clear()  # ids it read may be rolled back
                    if self._conn.in_transaction:
                        self._conn.execute("ROLLBACK")
                    raise
                self._conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self._strings.clear()
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                plain = write_error(exc, path=self.path, timeout=self._timeout)
                if plain is None:
                    raise
                raise plain from exc
            self._idle.wrote()  # a plain copy of the file holds it once writes pause

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """Read in one transaction: everything read inside sees the store at one moment.

        Other processes may write meanwhile; they are not seen until the block ends.
        Inside a write transaction (:meth:`transaction`) it joins it.

        Yields
        ------
        sqlite3.Connection
            The store's connection.
        """
        with self._lock:
            if self._conn.in_transaction:
                yield self._conn
                return
            self._conn.execute("BEGIN")
            try:
                self._conn.execute("SELECT 1 FROM meta LIMIT 1").fetchall()  # the snapshot starts here
                yield self._conn
            finally:
                if self._conn.in_transaction:
                    self._conn.execute("COMMIT")

    def _migrate(self) -> None:
        where = repr(str(self.path))
        version = read_version(self._conn, where=where)
        check_version(version, where=where)
        check_schema(self._conn, version=version, where=where)
        if version < schema.SCHEMA_VERSION:  # read here, so a test can add a migration
            # a migration may rebuild a table (SQLite's twelve steps): foreign keys are off
            # meanwhile, and checked before the commit
            self._conn.execute("PRAGMA foreign_keys = OFF")
            try:
                with self.transaction() as conn:
                    upgrade(conn, where=where)
                    broken = conn.execute("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise StoreError(f"store {where}: the upgrade would break {len(broken)} reference(s) "
                                         f"(first: {broken[0]}); the store was left as it was")
            finally:
                self._conn.execute("PRAGMA foreign_keys = ON")
            if 0 < version < LEAN_VERSION:  # migration 9 freed the old tables' pages
                compact(self._conn, timeout=self._timeout)

    @property
    def schema_version(self) -> int:
        """The store's schema version (number of migrations applied)."""
        return read_version(self._conn, where=repr(str(self.path)))

    # ---- saving automatic annotations

    def save_annotations(self, ann: Annotations, *, corpus: Corpus | None = None) -> int:
        """Record documents, sentences and a new automatic run, in one transaction.

        The store decides each document's id (docs/corpus.md, "Document identity"): a
        file keeps the id it had, a moved file too, and a new file never takes an id
        another holds; :meth:`document_changes` says what the run did to each. The
        automatic layer of every document in ``ann`` is replaced; documents not in
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
        summary = summary_of(ann.codebook) or CodebookSummary()
        with collector_paused():
            rows = annotation_rows(ann, corpus if corpus is not None else ann.corpus)
            with self.transaction() as conn:
                return write_run(conn, identify(conn, rows, base=self.path.resolve().parent), summary)

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
            n_sentences, date_rule`` (``date`` is ``""`` when unknown; ``date_rule`` says
            where it came from: ``metadata``, or the text as ``text:paragraph=N written=…``).
        """
        return self._frame(
            "SELECT d.doc_id, d.path, d.title, coalesce(d.date, ''), d.outlet, d.url, d.content_hash, "
            "d.run_id, (SELECT count(*) FROM sentences s WHERE s.doc = d.doc), d.date_rule "
            "FROM documents d ORDER BY d.doc_id",
            columns=["doc_id", "path", "title", "date", "outlet", "url", "content_hash", "run_id",
                     "n_sentences", "date_rule"],
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
        return [
            r[0] for r in self._conn.execute("SELECT DISTINCT annotator FROM corrections ORDER BY annotator")
        ]

    def sentence_count(self) -> int:
        """How many sentences the store holds."""
        return self._conn.execute("SELECT count(*) FROM sentences").fetchone()[0]

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        """The rows of one read-only SQL query on the store (its tables: ``schema.py``)."""
        return self._conn.execute(sql, params).fetchall()

    def key_order(self) -> dict[str, list[str]]:
        """``{"topics": [...], "actors": [...]}``: the latest run's keys, in codebook order."""
        summary = self.codebook()
        return {"topics": summary.topic_keys, "actors": summary.actor_ids}

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
        with self.snapshot():
            frame = self._frame(
                "SELECT id, time, annotator, sentence_id, field, action, value, reverts FROM corrections "
                "ORDER BY id", columns=JOURNAL_COLUMNS)
            found = layout.locate_many(self._conn, frame["sentence_id"].tolist())
            known = {r[0] for r in self._conn.execute("SELECT doc_id FROM documents")}
        frame = frame[~frame["sentence_id"].isin(list(found))].reset_index(drop=True)
        frame["id"] = frame["id"].astype("int64")
        frame["reverts"] = frame["reverts"].astype("Int64")
        doc_ids = [sid.rsplit(":", 1)[0] for sid in frame["sentence_id"]]
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

    def run_codebooks(self) -> list[CodebookSummary]:
        """The codebook of every run, oldest first (each with its ``run_id``)."""
        return [
            CodebookSummary.from_json(text, name=name, hash=hash_, run_id=run_id)
            for run_id, hash_, name, text in self._conn.execute(
                "SELECT run_id, codebook_hash, codebook_name, codebook FROM runs ORDER BY run_id"
            )
        ]

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
        for e in effective(self.entries()):
            if e.field not in known or e.action == "remove" or not e.value:
                continue
            if e.field == "statement_type" and not known[e.field]:
                continue  # a codebook without statement types accepts any
            keys = keys_of(e.value) if e.field in ("topics", "actors") else [e.value]
            missing = [k for k in keys if k not in known[e.field]]
            if missing:
                rows.append((e.id, e.sentence_id, ";".join(missing)))
        journal = self.journal()
        frame = journal[journal["id"].isin([r[0] for r in rows])].reset_index(drop=True)
        frame["missing"] = pd.Series([r[2] for r in rows], dtype="str", index=frame.index)
        return frame

    def entries(self, *, annotator: str | None = None, sentence_ids: Sequence[str] | None = None,
                field: str | None = None, as_of: int | None = None) -> list[Entry]:
        """Journal entries in journal order, undo entries included (see :func:`journal.effective`).

        Parameters
        ----------
        annotator : str, optional
            Only this annotator's entries.
        sentence_ids : sequence of str, optional
            Only entries on these sentences.
        field : str, optional
            Only entries on this field (an undo entry carries its target's field).
        as_of : int, optional
            Only entries with ``id <= as_of``.

        Returns
        -------
        list of Entry
        """
        sql = "SELECT id, annotator, sentence_id, field, action, value, reverts FROM corrections"
        clauses, params = [], []
        if as_of is not None:
            clauses.append("id <= ?")
            params.append(int(as_of))
        if field is not None:
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
        return [Entry(*r) for r in self._conn.execute(sql + " ORDER BY id", params)]

    def check_correction(
        self, sentence_id: str, field: str, action: str, value: Any, *, annotator: str
    ) -> str:
        """Check one correction as :meth:`correct` would, without writing it.

        Returns
        -------
        str
            The value the journal would keep (see :func:`journal.checked_value`).

        Raises
        ------
        CorrectionError
            Empty annotator, unknown sentence, field, action or key.
        """
        check_entry(field, action, annotator=annotator)
        if layout.locate(self._conn, sentence_id) is None:
            raise CorrectionError(f"unknown sentence_id {sentence_id!r}: no such sentence in store "
                                  f"{str(self.path)!r}")
        return checked_value(sentence_id, field, action, value, codebook=self.codebook(),
                             present=lambda: keys_of(self._current_row(sentence_id)[field]))

    def append_entries(self, rows: Iterable[tuple], *, batch: bool = False) -> list[int]:
        """Append checked entries (:meth:`check_correction`) to the journal, in one transaction.

        Parameters
        ----------
        rows : iterable of tuple
            ``(time, annotator, sentence_id, field, action, value, reverts)`` each.
        batch : bool, default False
            Mark the entries as one action, which :meth:`undo` reverts as a whole.

        Returns
        -------
        list of int
            The new entries' ids, in order.
        """
        with self.transaction() as conn:
            number = conn.execute("SELECT coalesce(max(batch), 0) + 1 FROM corrections").fetchone()[0] \
                if batch else None
            return [int(conn.execute(
                "INSERT INTO corrections(time, annotator, sentence_id, field, action, value, reverts, batch) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (*row, number)).lastrowid) for row in rows]

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
        stored = self.check_correction(sentence_id, field, action, value, annotator=annotator)
        return self.append_entries([(now(), annotator, sentence_id, field, action, stored, None)])[0]

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
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT id, batch FROM corrections c WHERE annotator = ? AND reverts IS NULL "
                "AND NOT EXISTS (SELECT 1 FROM corrections u WHERE u.reverts = c.id) "
                "ORDER BY id DESC LIMIT 1",
                (annotator,),
            ).fetchone()
            if row is None:
                return None
            latest, batch = row
            targets = [(latest,) + tuple(conn.execute(
                "SELECT sentence_id, field FROM corrections WHERE id = ?", (latest,)).fetchone())]
            if batch is not None:  # a reset to automatic: undo all of it
                targets = conn.execute(
                    "SELECT id, sentence_id, field FROM corrections c WHERE batch = ? AND reverts IS NULL "
                    "AND NOT EXISTS (SELECT 1 FROM corrections u WHERE u.reverts = c.id) ORDER BY id",
                    (batch,),
                ).fetchall()
            skip = {t[0] for t in targets}
            rows, time = [], now()
            for target, sentence_id, field in targets:
                after = self._current_row(sentence_id, skip=skip)
                value = ("true" if after["reviewed"] else "false") if field == "reviewed" else after[field]
                rows.append((time, annotator, sentence_id, field, "set", value, target))
            return self.append_entries(rows, batch=len(rows) > 1)[-1]

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
            Ids of the entries appended, one batch that one :meth:`undo` reverts whole
            (empty when the row already had automatic values, for everyone and for
            ``annotator`` alone).

        Raises
        ------
        CorrectionError
            Unknown sentence or empty annotator; nothing is written.
        """
        self.check_correction(sentence_id, "note", "set", "", annotator=annotator)  # sentence and name
        with self.transaction():
            auto = self.auto_row(sentence_id)
            everyone = self._current_row(sentence_id)
            own = replay(auto, effective(self.entries(annotator=annotator, sentence_ids=[sentence_id])),
                         self.key_order())
            time = now()
            return self.append_entries([
                (time, annotator, sentence_id, field, "set", auto[field], None)
                for field in ANNOTATED_FIELDS if everyone[field] != auto[field] or own[field] != auto[field]
            ], batch=True)

    # ---- the current view

    def auto_row(self, sentence_id: str) -> dict[str, Any]:
        """A sentence's automatic ``topics, actors, speaker, statement_type, speaker_rule,
        furniture`` and ``confidence`` (``""`` and 1.0 for a sentence the store does not hold)."""
        with self.snapshot():
            key = layout.locate(self._conn, sentence_id)
            codes = key and self._conn.execute(
                f"SELECT {layout.AUTO_CODES} FROM sentences s "
                "WHERE doc = ? AND paragraph = ? AND sentence = ?", key,
            ).fetchone()
            if codes:
                values = layout.auto_values(codes, self._strings.table(self._conn, layout.coded(codes)))
                return dict(zip(AUTO_FIELDS, values, strict=True))
        return {**dict.fromkeys(AUTO_FIELDS, ""), "confidence": 1.0}

    def _current_row(self, sentence_id: str, *, skip: set[int] = frozenset()) -> dict[str, Any]:
        """The sentence's current values (everyone's entries in effect but those in ``skip``)."""
        entries = [e for e in self.entries(sentence_ids=[sentence_id]) if e.id not in skip]
        return replay(self.auto_row(sentence_id), effective(entries), self.key_order())

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
        with collector_paused():  # many rows, no cycles among them
            with self.snapshot():  # sentences, journal, codebook and mentions of one moment
                data, found = batched.joined(self.view_batches(annotator=annotator, corrections=corrections,
                                                            as_of=as_of))
            return layout.view_frames(data, found)

    def view_batches(self, *, annotator: str | None = None, corrections: bool = True,
                     as_of: int | None = None, documents: int | None = None) -> Iterator[batched.Batch]:
        """The current view of :meth:`view`, ``documents`` documents at a time, as columns.

        Parameters are those of :meth:`view`; ``documents`` is how many documents a batch holds
        (default :data:`workbench.store.view.BATCH_DOCUMENTS`).
        Read it whole inside one :meth:`snapshot` (the batches are read as they are asked for).

        Yields
        ------
        tuple of dict
            ``(sentences, mentions)``: column name to list of values, the columns of
            :meth:`view`'s frames (before their dtypes are set), the batch's documents by
            ``doc_id``; a document's sentences and mentions are in one batch.
        """
        with self.snapshot():
            touched = by_sentence(self.entries(annotator=annotator, as_of=as_of)) if corrections else {}
            yield from batched.view_batches(self._conn, self._strings, touched, self.key_order(),
                                            documents=documents or batched.BATCH_DOCUMENTS)

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
