"""Saving an automatic run: the annotation tables as rows, the ids the store gives their
documents (:mod:`workbench.identity`), and the SQL that replaces the automatic layer of
the documents annotated (:meth:`Store.save_annotations`)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..codebook import CodebookSummary
from ..identity import Decision, Incoming, Known, assign_ids, path_key
from .journal import now

if TYPE_CHECKING:  # pragma: no cover
    from ..annotate import Annotations
    from ..corpus import Corpus

__all__ = ["AUTO_SELECT", "RunRows", "annotation_rows", "identify", "write_run"]

#: The automatic layer of a sentence as SQL reads it from ``auto_sentences a`` (in the
#: order of :data:`~workbench.store.journal.AUTO_FIELDS`; "" and 1.0 where a row is missing).
AUTO_SELECT = ("coalesce(a.topics, ''), coalesce(a.actors, ''), coalesce(a.speaker, ''), "
               "coalesce(a.statement_type, ''), coalesce(a.speaker_rule, ''), coalesce(a.furniture, ''), "
               "coalesce(a.confidence, 1.0)")

#: The automatic columns of a sentence the store keeps, as ``auto_sentences`` orders them.
_AUTO_COLUMNS = ("topics", "actors", "speaker", "statement_type", "speaker_rule", "quote", "furniture")


@dataclass
class RunRows:
    """One run's rows, ready for SQLite."""

    documents: list[tuple]
    sentences: list[tuple]
    auto: list[list[str]]  # one list per column of _AUTO_COLUMNS
    confidence: list[float]  # of each sentence's speaker decision
    mentions: list[tuple]
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
    known = [Known(doc_id, key or path_key(path, base=base), content_hash) for doc_id, key, path, content_hash
             in conn.execute("SELECT doc_id, path_key, path, content_hash FROM documents")]
    incoming = [Incoming(r[0], path_key(r[1], base=base), r[6]) for r in rows.documents]

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
        sentences=[(_renamed(r[0], ids), ids.get(r[1], r[1]), *r[2:]) for r in rows.sentences],
        mentions=[(ids.get(r[0], r[0]), _renamed(r[1], ids), *r[2:]) for r in rows.mentions],
        path_keys={ids.get(i.proposed, i.proposed): i.key for i in incoming},
        decisions=decisions,
    )


def _clean(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


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
        When ``ann.sentences`` has sentences of documents missing from ``ann.documents``.
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
    missing = set(sentences["doc_id"].astype(str)) - {r[0] for r in doc_rows}
    if missing:
        raise ValueError(f"annotations have sentences of documents missing from ann.documents: "
                         f"{sorted(missing)[:5]}")
    sentence_rows = list(zip(
        sentences["sentence_id"].astype(str), sentences["doc_id"].astype(str),
        sentences["paragraph"].astype(int).tolist(), sentences["sentence"].astype(int).tolist(),
        sentences["start"].astype(int).tolist(), sentences["end"].astype(int).tolist(),
        sentences["text"].astype(str),
        strict=True,
    ))
    auto = [[_clean(v) for v in sentences[c].tolist()] if c in sentences.columns else [""] * len(sentences)
            for c in _AUTO_COLUMNS]
    confidence = _confidences(sentences)
    mention_rows = list(zip(
        mentions["doc_id"].astype(str), mentions["sentence_id"].astype(str),
        mentions["start"].astype(int).tolist(), mentions["end"].astype(int).tolist(),
        mentions["surface"].astype(str), mentions["kind"].astype(str),
        mentions["key"].astype(str), mentions["rule"].astype(str), _confidences(mentions),
        strict=True,
    )) if len(mentions) else []
    return RunRows(doc_rows, sentence_rows, auto, confidence, mention_rows)


def _confidences(frame: pd.DataFrame) -> list[float]:
    """The ``confidence`` column as floats (1.0 where a frame from elsewhere has none)."""
    if "confidence" not in frame.columns:
        return [1.0] * len(frame)
    return pd.to_numeric(frame["confidence"], errors="coerce").fillna(1.0).astype(float).tolist()


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
         len(rows.documents), len(rows.sentences), len(rows.mentions)),
    )
    run_id = cur.lastrowid
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS _docs (doc_id TEXT PRIMARY KEY)")
    conn.execute("DELETE FROM _docs")
    conn.executemany("INSERT OR IGNORE INTO _docs VALUES (?)", [(r[0],) for r in rows.documents])
    conn.execute("DELETE FROM auto_mentions WHERE doc_id IN (SELECT doc_id FROM _docs)")
    conn.execute(
        "DELETE FROM auto_sentences WHERE sentence_id IN "
        "(SELECT sentence_id FROM sentences WHERE doc_id IN (SELECT doc_id FROM _docs))"
    )
    conn.execute("DELETE FROM sentences WHERE doc_id IN (SELECT doc_id FROM _docs)")
    previous = dict(conn.execute("SELECT doc_id, path FROM documents"))
    conn.executemany(
        "INSERT INTO documents(doc_id, path, title, date, outlet, url, content_hash, text, date_rule, "
        "run_id, path_key) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(doc_id) DO UPDATE SET "
        "path = excluded.path, title = excluded.title, date = excluded.date, "
        "outlet = excluded.outlet, url = excluded.url, content_hash = excluded.content_hash, "
        "text = excluded.text, date_rule = excluded.date_rule, run_id = excluded.run_id, "
        "path_key = excluded.path_key",
        [(*r, run_id, rows.path_keys.get(r[0], "")) for r in rows.documents],
    )
    paths = {r[0]: r[1] for r in rows.documents}
    conn.executemany(
        "INSERT INTO document_changes(run_id, doc_id, proposed, change, path, previous_path) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(run_id, d.doc_id, d.proposed, d.change, paths[d.doc_id],
          "" if d.change == "added" else previous.get(d.doc_id, "")) for d in rows.decisions],
    )
    conn.executemany(
        'INSERT INTO sentences(sentence_id, doc_id, paragraph, sentence, start, "end", text) '
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows.sentences,
    )
    conn.executemany(
        "INSERT INTO auto_sentences(sentence_id, run_id, topics, actors, speaker, "
        "statement_type, speaker_rule, quote, furniture, confidence) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        zip((r[0] for r in rows.sentences), [run_id] * len(rows.sentences), *rows.auto,
            rows.confidence, strict=True),
    )
    conn.executemany(
        'INSERT INTO auto_mentions(run_id, doc_id, sentence_id, start, "end", surface, kind, key, rule, '
        "confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ((run_id,) + r for r in rows.mentions),
    )
    conn.execute("DELETE FROM _docs")
    return int(run_id)
