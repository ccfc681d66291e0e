"""CSV exports a spreadsheet opens correctly and safely.

Every file is UTF-8 with a BOM, RFC 4180, with text in logical order exactly as in the
article; cells a spreadsheet would run as a formula are neutralised
(:func:`workbench.spreadsheet.neutralise_formulas`), and each file is written to a
temporary file and renamed over the target. ``sentences.csv`` ends with an ``as_of``
column (the journal position of the view), which the import of an edited file uses. How
to read an export back exactly (dtypes, empty cells) is in docs/exports.md.
"""

from __future__ import annotations

import csv
import json
import os
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from .codebook import CodebookSummary
from .columns import EXPORT_SENTENCE_COLUMNS, MENTION_COLUMNS
from .spreadsheet import neutralise_formulas

__all__ = ["export", "write_csv", "EXPORT_SENTENCE_COLUMNS"]


def _atomic_write(
    path: Path, write: Callable[[Any], None], *, encoding: str = "utf-8", newline: str | None = None
) -> Path:
    path = Path(path)
    tmp = str(path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    # os.open with mode 0o666 gives the file the usual permissions (umask applied),
    # unlike tempfile.mkstemp's 0o600
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline=newline) as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def write_csv(frame: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write one table as a spreadsheet-safe CSV, atomically.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table; a non-default index is written as leading column(s).
    path : str or os.PathLike
        The file to (over)write.

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    if not isinstance(frame.index, pd.RangeIndex) or frame.index.name is not None:
        frame = frame.reset_index()
    if isinstance(frame.columns, pd.MultiIndex):
        frame = frame.copy()
        frame.columns = [" / ".join(str(p) for p in c if str(p)) for c in frame.columns]
    safe = neutralise_formulas(frame)
    return _atomic_write(
        Path(path),
        lambda handle: safe.to_csv(handle, index=False, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL),
        encoding="utf-8-sig",
        newline="",
    )


def _tables(sentences: pd.DataFrame, mentions: pd.DataFrame, *, codebook: CodebookSummary, labels: str | None,
            documents: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The tables of workbench.tables that every export writes."""
    from workbench import tables

    options = {"labels": labels, "codebook": codebook}
    return {
        "topic_counts": tables.topic_counts(sentences, mentions, documents=documents, **options),
        "topic_by_paragraph": tables.topic_by_paragraph(sentences, **options),
        "speaker_by_topic": tables.speaker_by_topic(sentences, **options),
        "cooccurrence": tables.cooccurrence(sentences, **options),
        "statements": tables.statements(sentences, **options),
    }


def export(store: Any, out_dir: str | os.PathLike, *, annotator: str | None = None,
           labels: str | None = None) -> dict[str, Path]:
    """Write the current view and its tables as CSV, plus a manifest.

    Parameters
    ----------
    store : workbench.store.Store
        The store to export (its current view: automatic layer ⊕ corrections).
    out_dir : str or os.PathLike
        The folder to write into (created when missing).
    annotator : str, optional
        Export with only this annotator's corrections (default: everyone's).
    labels : {None, "ar", "en", "both"}, default None
        Add Arabic / English labels to the tables (``sentences.csv`` and ``mentions.csv``
        always hold keys).

    Returns
    -------
    dict of str to pathlib.Path
        ``sentences`` (the view's columns then ``as_of``), ``mentions``, then
        ``topic_counts``, ``topic_by_paragraph``, ``speaker_by_topic``, ``cooccurrence``,
        ``statements``, and ``manifest`` (JSON:
        workbench version, codebook hash and name, store path, annotator, time,
        ``as_of``, row counts, journal counts). The export is recorded in the store
        (:meth:`workbench.store.Store.exports`).

    Raises
    ------
    ValueError
        When the store holds no annotated sentences (nothing is written).
    """
    from workbench import __version__

    if store.sentence_count() == 0:
        raise ValueError(
            f"store {str(store.path)!r} holds no annotated sentences yet; run "
            f"`workbench annotate PATH... --store {store.path}` first"
        )
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    as_of = store.last_entry_id()  # the view replays exactly the entries up to here
    sentences, mentions = store.view(annotator=annotator, as_of=as_of)
    codebook = store.codebook()
    frames = {
        "sentences": sentences[EXPORT_SENTENCE_COLUMNS].assign(as_of=as_of),
        "mentions": mentions[MENTION_COLUMNS],
        **_tables(sentences, mentions, codebook=codebook, labels=labels, documents=store.documents()),
    }
    written = {name: write_csv(frame, out / f"{name}.csv") for name, frame in frames.items()}
    manifest = {
        "workbench_version": __version__,
        "codebook_hash": codebook.hash,
        "codebook_name": codebook.name,
        "store": str(Path(store.path).resolve()),
        "annotator": annotator,
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "as_of": as_of,
        "row_counts": {f"{name}.csv": len(frame) for name, frame in frames.items()},
        "documents": len(store.documents()),
        "runs": len(store.runs()),
        "corrections": len(store.journal()),
        "orphaned_corrections": len(store.orphaned_corrections()),
    }
    written["manifest"] = _atomic_write(
        out / "manifest.json",
        lambda handle: handle.write(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"),
    )
    store.record_export(as_of, out_dir=out.resolve())  # import_corrections accepts only as_of values it wrote
    return written
