"""Saving an automatic run: the annotation tables as rows, the ids the store gives their
documents (:mod:`workbench.identity`), and the SQL that replaces the automatic layer of
the documents annotated (:meth:`Store.save_annotations`)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..codebook import CodebookSummary
from ..identity import Decision, Incoming, Known, assign_ids, path_keys
from .journal import now
from .layout import Strings, locate_many

if TYPE_CHECKING:  # pragma: no cover
    from ..annotate import Annotations
    from ..corpus import Corpus

__all__ = ["RunRows", "annotation_rows", "identify", "write_run"]

#: The automatic columns of a sentence the store keeps, in the order ``RunRows.auto`` holds them.
_AUTO_COLUMNS = ("topics", "actors", "speaker", "statement_type", "speaker_rule", "furniture", "quote")


@dataclass
class RunRows:
    """One run's rows, ready for SQLite: the documents as rows, sentences and mentions as columns."""

    documents: list[tuple]
    # sentence_id, doc_id (lists), paragraph, sentence, start, end (int64 arrays), text (list)
    sentences: list
    auto: list[list[str]]  # one list per column of _AUTO_COLUMNS
    confidence: np.ndarray  # of each sentence's speaker decision (float64)
    # doc_id, sentence_id (lists), start, end (int64 arrays), surface, kind, key, rule (lists), confidence
    mentions: list
    path_keys: dict[str, str] = field(default_factory=dict)  # doc_id -> path key
    decisions: list[Decision] = field(default_factory=list)


def _renamed(sentence_id: str, ids: Mapping[str, str]) -> str:
    doc_id, _, h = sentence_id.rpartition(":")
    return f"{ids.get(doc_id, doc_id)}:{h}"


def identify(conn: sqlite3.Connection, rows: RunRows, *, base: Path) -> RunRows:
    """The rows with each document's id as the store decides it (see :mod:`workbench.identity`).

    Reads the stored documents inside the caller's transaction, so two runs at once
    cannot give one id twice. ``base`` is the store's folder, which path keys are
    relative to.
    """
    stored = conn.execute("SELECT doc_id, path_key, path, content_hash FROM documents").fetchall()
    keys = iter(path_keys([path for _, key, path, _ in stored if not key], base=base))
    known = [Known(doc_id, key or next(keys), content_hash) for doc_id, key, path, content_hash in stored]
    incoming = [Incoming(r[0], key, r[6])
                for r, key in zip(rows.documents, path_keys([r[1] for r in rows.documents], base=base),
                                  strict=True)]

    def exists(key: str) -> bool:
        return (Path(key) if os.path.isabs(key) else base / key).exists()

    def stem(inc: Incoming) -> str:
        return Path(inc.key).stem if inc.key else inc.proposed

    decisions = assign_ids(incoming, known, exists=exists, stem=stem)
    ids = {d.proposed: d.doc_id for d in decisions if d.proposed != d.doc_id}
    if not ids:
        return replace(rows, decisions=decisions, path_keys={i.proposed: i.key for i in incoming})
    return replace(
        rows,
        documents=[(ids.get(r[0], r[0]), *r[1:]) for r in rows.documents],
        sentences=[[_renamed(s, ids) for s in rows.sentences[0]], [ids.get(d, d) for d in rows.sentences[1]],
                   *rows.sentences[2:]],
        mentions=[[ids.get(d, d) for d in rows.mentions[0]], [_renamed(s, ids) for s in rows.mentions[1]],
                  *rows.mentions[2:]],
        path_keys={ids.get(i.proposed, i.proposed): i.key for i in incoming},
        decisions=decisions,
    )


def _clean(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _texts(column: pd.Series) -> list[str]:
    """A column's values as the store keeps them: ``""`` for missing, strings as they are."""
    values = column.tolist()
    if set(map(type, values)) <= {str}:
        return values
    return [_clean(v) for v in values]


def _strs(column: pd.Series) -> list[str]:
    """A column's values as strings (``str(value)``; a string column as it is)."""
    values = column.tolist()
    if set(map(type, values)) <= {str}:
        return values
    return [str(v) for v in values]


def _ints(column: pd.Series) -> np.ndarray:
    return column.astype(int).to_numpy(dtype=np.int64)


def _text_of(doc_id: str, row: Mapping[str, Any], corpus: Corpus | None) -> str | None:
    if "text" in row and isinstance(row["text"], str):
        return row["text"]
    if corpus is not None:
        try:
            return corpus[doc_id].text
        except (KeyError, IndexError, TypeError, AttributeError):
            return None
    return None


def annotation_rows(ann: Annotations, corpus: Corpus | None) -> RunRows:
    """The rows of documents, sentences, automatic values and mentions of ``ann``.

    Parameters
    ----------
    ann : Annotations
        What :func:`workbench.annotate.annotate` returns.
    corpus : Corpus or None
        Where each document's full text comes from when ``ann.documents`` has no
        ``text`` column.

    Returns
    -------
    RunRows

    Raises
    ------
    ValueError
        When ``ann.sentences`` has sentences of documents missing from ``ann.documents``,
        or a sentence id twice.
    """
    sentences, mentions, documents = ann.sentences, ann.mentions, ann.documents
    if documents is None or len(documents) == 0:
        documents = pd.DataFrame({"doc_id": pd.unique(sentences["doc_id"])})
    doc_rows = []
    for row in documents.to_dict("records"):
        doc_id = str(row["doc_id"])
        date = _clean(row.get("date"))
        doc_rows.append((
            doc_id, _clean(row.get("path")), _clean(row.get("title")), date or None,
            _clean(row.get("outlet")), _clean(row.get("url")), _clean(row.get("content_hash")),
            _text_of(doc_id, row, corpus), _clean(row.get("date_rule")),
        ))
    sentence_ids = _strs(sentences["sentence_id"])
    doc_ids = _strs(sentences["doc_id"])
    missing = set(doc_ids) - {r[0] for r in doc_rows}
    if missing:
        raise ValueError(f"annotations have sentences of documents missing from ann.documents: "
                         f"{sorted(missing)[:5]}")
    if len(set(sentence_ids)) != len(sentence_ids):
        twice = pd.Series(sentence_ids)[pd.Series(sentence_ids).duplicated()].iloc[0]
        raise ValueError(f"annotations have sentence id {twice!r} twice; every sentence needs its own id")
    numbers = (_ints(sentences[c]) for c in ("paragraph", "sentence", "start", "end"))
    sentence_columns = [sentence_ids, doc_ids, *numbers, _strs(sentences["text"])]
    auto = [_texts(sentences[c]) if c in sentences.columns else [""] * len(sentences) for c in _AUTO_COLUMNS]
    confidence = _confidences(sentences)
    mention_columns = [
        _strs(mentions["doc_id"]), _strs(mentions["sentence_id"]),
        _ints(mentions["start"]), _ints(mentions["end"]),
        *(_strs(mentions[c]) for c in ("surface", "kind", "key", "rule")), _confidences(mentions),
    ] if len(mentions) else [[], [], np.zeros(0, np.int64), np.zeros(0, np.int64), [], [], [], [],
                             np.zeros(0)]
    return RunRows(doc_rows, sentence_columns, auto, confidence, mention_columns)


def _confidences(frame: pd.DataFrame) -> np.ndarray:
    """The ``confidence`` column as floats (1.0 where a frame from elsewhere has none)."""
    if "confidence" not in frame.columns:
        return np.ones(len(frame))
    return pd.to_numeric(frame["confidence"], errors="coerce").fillna(1.0).to_numpy(dtype=np.float64)


def write_run(conn: sqlite3.Connection, rows: RunRows, codebook: CodebookSummary) -> int:
    """Record a new run and replace its documents' automatic layer; inside a transaction.

    Returns
    -------
    int
        The new run's ``run_id``.
    """
    from workbench import __version__

    cur = conn.execute(
        "INSERT INTO runs(time, workbench_version, codebook_hash, codebook_name, codebook, "
        "n_documents, n_sentences, n_mentions) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (now(), __version__, codebook.hash, codebook.name, codebook.to_json(),
         len(rows.documents), len(rows.sentences[0]), len(rows.mentions[0])),
    )
    run_id = cur.lastrowid
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS _docs (doc_id TEXT PRIMARY KEY)")
    conn.execute("DELETE FROM _docs")
    conn.executemany("INSERT OR IGNORE INTO _docs VALUES (?)", [(r[0],) for r in rows.documents])
    ours = "SELECT d.doc FROM documents d JOIN _docs USING (doc_id)"
    conn.execute(f"DELETE FROM auto_mentions WHERE doc IN ({ours})")
    conn.execute(f"DELETE FROM sentences WHERE doc IN ({ours})")
    previous = dict(conn.execute("SELECT doc_id, path FROM documents"))
    conn.executemany(
        "INSERT INTO documents(doc_id, path, title, date, outlet, url, content_hash, text, date_rule, "
        "run_id, path_key) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(doc_id) DO UPDATE SET "
        "path = excluded.path, title = excluded.title, date = excluded.date, "
        "outlet = excluded.outlet, url = excluded.url, content_hash = excluded.content_hash, "
        "text = excluded.text, date_rule = excluded.date_rule, run_id = excluded.run_id, "
        "path_key = excluded.path_key",
        ((*r[:7], _copy(r[7]), *r[8:], run_id, rows.path_keys.get(r[0], "")) for r in rows.documents),
    )
    paths = {r[0]: r[1] for r in rows.documents}
    conn.executemany(
        "INSERT INTO document_changes(run_id, doc_id, proposed, change, path, previous_path) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(run_id, d.doc_id, d.proposed, d.change, paths[d.doc_id],
          "" if d.change == "added" else previous.get(d.doc_id, "")) for d in rows.decisions],
    )
    _write_layer(conn, rows, run_id)
    conn.execute("DELETE FROM _docs")
    return int(run_id)


def _copy(text: str | None) -> str | None:
    """A copy of ``text`` to bind: binding a string keeps its UTF-8 form inside it for as long
    as it lives, and the documents' texts live on in the corpus (a copy dies with its row)."""
    return text if text is None else text[:1] + text[1:]


#: Rows of sentences or mentions bound at once by :func:`_write_layer`.
_ROWS = 20_000


def _part(column: list | np.ndarray, a: int, b: int) -> list:
    """Rows ``a`` to ``b`` of a column as a list (of Python numbers for an array)."""
    return column[a:b] if isinstance(column, list) else column[a:b].tolist()


def _write_layer(conn: sqlite3.Connection, rows: RunRows, run_id: int) -> None:
    """The sentences and mentions of ``rows`` as migration 9 keeps them (:mod:`.layout`),
    :data:`_ROWS` rows at a time (their numbers made Python objects a chunk at a time)."""
    docs = dict(conn.execute("SELECT d.doc_id, d.doc FROM documents d JOIN _docs USING (doc_id)")).__getitem__
    texts = {r[0]: r[7] for r in rows.documents}
    kinds, keys, rules = rows.mentions[5:8]
    ids = Strings.ids(conn, {v for column in (*rows.auto[:4], rows.auto[5], kinds, keys, rules)
                             for v in set(column)}).__getitem__
    sids, doc_ids = rows.sentences[:2]
    whole = [0 if s[len(d):len(d) + 1] == ":" and s.startswith(d) else 1
             for s, d in zip(sids, doc_ids, strict=True)]
    _check_ids(conn, [s for s, w in zip(sids, whole, strict=True) if w], sids)
    for a in range(0, len(sids), _ROWS):
        b = a + _ROWS
        chunk_sids, chunk_docs, paragraphs, numbers, starts, ends, stored = (
            _part(c, a, b) for c in rows.sentences)
        topics, actors, speaker, statement_type, speaker_rule, furniture, quotes = (c[a:b] for c in rows.auto)
        conn.executemany(
            'INSERT INTO sentences(doc, paragraph, sentence, id_suffix, id_whole, start, "end", run_id, '
            "topics, actors, speaker, statement_type, furniture, speaker_rule, confidence, quote, text) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            zip(map(docs, chunk_docs), paragraphs, numbers,
                (s if w else s[len(d) + 1:]
                 for s, d, w in zip(chunk_sids, chunk_docs, whole[a:b], strict=True)),
                whole[a:b], starts, ends, repeat(run_id, len(chunk_sids)),
                *(map(ids, c) for c in (topics, actors, speaker, statement_type, furniture)),
                speaker_rule, _part(rows.confidence, a, b), quotes,
                _unless_sliced(texts, chunk_docs, starts, ends, stored), strict=True),
        )
    _write_mentions(conn, rows, docs, ids, texts)


def _write_mentions(conn: sqlite3.Connection, rows: RunRows, docs: Callable[[str], int],
                    ids: Callable[[str], int], texts: Mapping[str, str | None]) -> None:
    """The mentions of ``rows``, each with its sentence's position, :data:`_ROWS` at a time."""
    sids, doc_ids, paragraphs, numbers = rows.sentences[:4]
    m_docs, m_sids, m_starts, m_ends, surfaces = rows.mentions[:5]
    at = _positions(sids, m_sids)
    for i, p in enumerate(at.tolist()):
        if p < 0 or doc_ids[p] != m_docs[i]:
            raise ValueError(f"mention {surfaces[i]!r} at {m_docs[i]}:{m_starts[i]}-{m_ends[i]} names "
                             f"sentence {m_sids[i]!r}, which is not one of that document's sentences in "
                             "ann.sentences")
    of_sentence = (np.asarray(paragraphs)[at], np.asarray(numbers)[at])
    for a in range(0, len(m_sids), _ROWS):
        b = a + _ROWS
        chunk_docs, _, starts, ends, chunk_surfaces, kinds, keys, rules, confidence = (
            _part(c, a, b) for c in rows.mentions)
        conn.executemany(
            'INSERT INTO auto_mentions(doc, start, mention_id, paragraph, sentence, "end", kind, key, rule, '
            "confidence, surface) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            zip(map(docs, chunk_docs), starts, range(a, a + len(chunk_docs)),
                *(_part(c, a, b) for c in of_sentence), ends, map(ids, kinds), map(ids, keys),
                map(ids, rules), confidence, _unless_sliced(texts, chunk_docs, starts, ends, chunk_surfaces),
                strict=True),
        )


def _positions(sids: list[str], wanted: list[str]) -> np.ndarray:
    """The position in ``sids`` (all different) of each of ``wanted``, -1 for those not in it."""
    if not wanted:
        return np.zeros(0, np.int64)
    return pd.Index(sids, dtype=object).get_indexer(pd.Index(wanted, dtype=object))


def _unless_sliced(texts: Mapping[str, str | None], doc_ids: list[str], starts: list[int], ends: list[int],
                   values: list[str]) -> Iterator[str | None]:
    """Each value, or None where it is its document's text from start to end (``layout.py``)."""
    return (None if (t := texts[d]) is not None and 0 <= a <= b and t[a:b] == v else v
            for d, a, b, v in zip(doc_ids, starts, ends, values, strict=True))


def _check_ids(conn: sqlite3.Connection, whole: list[str], sids: list[str]) -> None:
    """Refuse a sentence id another document's sentence has (the store keeps ids unique);
    ``whole`` are the ids of ``sids`` that do not start with their document's id."""
    stored_whole = {r[0] for r in conn.execute("SELECT id_suffix FROM sentences WHERE id_whole = 1")}
    taken = set(locate_many(conn, whole)) | (stored_whole & set(sids) if stored_whole else set())
    if taken:
        raise ValueError(f"sentence id {sorted(taken)[0]!r} is already a sentence of another document "
                         "in the store; every sentence needs its own id")
