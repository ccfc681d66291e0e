"""CSV exports a spreadsheet opens correctly and safely.

Every file is UTF-8 with a BOM, RFC 4180, with text in logical order exactly as in the
article; cells a spreadsheet would run as a formula are neutralised
(:func:`workbench.spreadsheet.neutralise_formulas`), and each file is written to a
temporary file and renamed over the target; a CSV export is written into a new folder
and swapped in whole, its manifest last. ``sentences.csv`` ends with an ``as_of``
column (the journal position of the view), which the import of an edited file uses. How
to read an export back exactly (dtypes, empty cells) is in docs/exports.md.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .checks import check_choice
from .codebook import CodebookSummary
from .columns import EDITABLE_COLUMNS, EXPORT_SENTENCE_COLUMNS, LABELLED_COLUMNS, MENTION_COLUMNS
from .files import FORMATS, clean_strays, new_folder, swap_in, write_atomically
from .spreadsheet import neutralise_cell, neutralise_formulas, neutralise_values

__all__ = ["export", "export_comparison", "to_xlsx", "key_labels", "write_csv", "FORMATS",
           "EXPORT_SENTENCE_COLUMNS", "EXPORT_MENTION_COLUMNS"]

EXPORT_MENTION_COLUMNS = MENTION_COLUMNS  # the columns of mentions.csv (kept from before issue 12)


def _atomic_write(
    path: Path, write: Callable[[Any], None], *, encoding: str = "utf-8", newline: str | None = None
) -> Path:
    return write_atomically(path, write, encoding=encoding, newline=newline)


#: Rows of a table made spreadsheet-safe and written at once by :func:`write_csv`.
CSV_CHUNK_ROWS = 20_000


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
    return _atomic_write(Path(path), lambda handle: _write_rows(frame, handle), encoding="utf-8-sig",
                         newline="")


def _write_rows(frame: pd.DataFrame, handle: Any) -> None:
    """The CSV of ``frame`` into ``handle``, :data:`CSV_CHUNK_ROWS` rows at a time (each made
    spreadsheet-safe as it is written, so a long table is never copied whole); the bytes are
    those of the whole frame written at once."""
    plain = _plain_columns(frame)
    if plain is not None:  # csv.writer over the columns' values: what to_csv writes, faster
        from workbench.export_view import CsvRows

        handle.write(CsvRows.text([[str(neutralise_cell(c)) for c in frame.columns]]))
        for first in range(0, len(frame), CSV_CHUNK_ROWS):
            values = [column(first, first + CSV_CHUNK_ROWS) for column in plain]
            handle.write(CsvRows.text(zip(*values, strict=True)))
        return
    options = {"index": False, "lineterminator": "\r\n", "quoting": csv.QUOTE_MINIMAL}
    for first in range(0, max(len(frame), 1), CSV_CHUNK_ROWS):
        chunk = neutralise_formulas(frame.iloc[first:first + CSV_CHUNK_ROWS])
        chunk.to_csv(handle, header=first == 0, **options)


def _plain_columns(frame: pd.DataFrame) -> list[Callable[[int, int], list]] | None:
    """For a frame of int64, bool, float64 and text columns: each column as a function from a
    range of rows to the cells ``to_csv`` writes of them after ``neutralise_formulas`` (a
    missing value as ``""``); None for a frame with any other column."""
    if frame.shape[1] == 0:
        return None
    plain = []
    for _, series in frame.items():
        kind = series.dtype.kind if isinstance(series.dtype, np.dtype) else None
        if kind in ("i", "b") or (kind == "f" and not series.hasnans):
            values = series.tolist()
            plain.append(lambda a, b, values=values: values[a:b])
        elif kind == "f" or isinstance(series.dtype, pd.StringDtype) or (
                kind == "O" and all(v.__class__ is str for v in series.tolist())):
            values = ["" if v is None or v != v else v for v in series.tolist()]
            text = kind != "f"
            plain.append(lambda a, b, values=values, text=text:
                         neutralise_values(values[a:b]) if text else values[a:b])
        else:
            return None
    return plain


def _tables(sentences: pd.DataFrame, mentions: pd.DataFrame, *, codebook: CodebookSummary, labels: str | None,
            documents: pd.DataFrame, spoken: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """The tables of workbench.tables that every export writes (``statements`` from
    ``spoken`` when given: the sentences with a speaker)."""
    from workbench import tables

    options = {"labels": labels, "codebook": codebook}
    return {
        "topic_counts": tables.topic_counts(sentences, mentions, documents=documents, **options),
        "topic_by_paragraph": tables.topic_by_paragraph(sentences, **options),
        "speaker_by_topic": tables.speaker_by_topic(sentences, **options),
        "cooccurrence": tables.cooccurrence(sentences, **options),
        "statements": tables.statements(sentences if spoken is None else spoken, **options),
    }


def _view(store: Any, *, annotator: str | None, labels: str | None) -> tuple[dict[str, pd.DataFrame], int]:
    """The exported tables of the current view (frames, as the workbook shows them), and the
    journal position they were taken at."""
    as_of = store.last_entry_id()  # the view replays exactly the entries up to here
    sentences, mentions = store.view(annotator=annotator, as_of=as_of)
    codebook, documents = store.codebook(), store.documents()
    frames = {
        "sentences": sentences[EXPORT_SENTENCE_COLUMNS].assign(as_of=as_of),
        "mentions": mentions[MENTION_COLUMNS],
        **_tables(sentences, mentions, codebook=codebook, labels=labels, documents=documents),
    }
    return frames, as_of


def _manifest(store: Any, rows: Mapping[str, int], *, annotator: str | None, as_of: int,
              suffix: str) -> dict[str, Any]:
    from workbench import __version__

    codebook = store.codebook()
    return {
        "workbench_version": __version__,
        "codebook_hash": codebook.hash,
        "codebook_name": codebook.name,
        "store": str(Path(store.path).resolve()),
        "annotator": annotator,
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "as_of": as_of,
        "row_counts": {f"{name}{suffix}": count for name, count in rows.items()},
        "documents": len(store.documents()),
        "runs": len(store.runs()),
        "corrections": len(store.journal()),
        "orphaned_corrections": len(store.orphaned_corrections()),
    }


def _snapshot_csv(store: Any, work: Path, *, annotator: str | None, labels: str | None, compare: bool
                  ) -> tuple[dict[str, pd.DataFrame], dict[str, Any], int | None, tuple[str, bytes]]:
    """Write ``sentences.csv`` and ``mentions.csv`` into ``work`` as the view is read, and make
    the tables (with the comparison tables when ``compare``) and the manifest, all in one
    snapshot of the store; also the run the view was taken from and the exported cells."""
    from workbench.export_view import write_view
    from workbench.store.records import ExportCells

    with store.snapshot():  # one moment of the store, whatever others write meanwhile
        as_of = store.last_entry_id()  # the view replays exactly the entries up to here
        cells = ExportCells()
        kept = write_view(store, work, annotator=annotator, as_of=as_of, cells=cells)
        frames = _tables(kept.keys, kept.topic_mentions, codebook=store.codebook(), labels=labels,
                         documents=store.documents(), spoken=kept.spoken)
        del kept.keys, kept.topic_mentions, kept.spoken
        comparison = {}
        if compare:
            from workbench.compare import COMPARISON_TABLES, comparison_tables

            frames.update(comparison_tables(store, annotator=annotator, as_of=as_of, labels=labels))
            comparison = {f"{n}.csv": what for n, what in COMPARISON_TABLES.items()}
        rows = {**kept.rows, **{name: len(frame) for name, frame in frames.items()}}
        manifest = _manifest(store, rows, annotator=annotator, as_of=as_of, suffix=".csv")
        manifest["comparison"] = comparison
        run_id = store.codebook().run_id
    return frames, manifest, run_id, cells.result()


def _export_csv(store: Any, out: Path, *, annotator: str | None, labels: str | None,
                compare: bool) -> dict[str, Path]:
    """Write the export into a new folder beside ``out`` (the manifest last), then swap it
    in whole: a reader of ``out`` sees the old export or the new one, never a mix."""
    clean_strays(out)  # what exports killed before this one left
    work = new_folder(out)
    try:
        frames, manifest, run_id, cells = _snapshot_csv(store, work, annotator=annotator, labels=labels,
                                                        compare=compare)
        for name, frame in frames.items():
            write_csv(frame, work / f"{name}.csv")
        _atomic_write(work / "manifest.json",
                      lambda handle: handle.write(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"))
        swap_in(work, out)
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    # import_corrections compares an edited file with what this export wrote
    store.record_export(manifest["as_of"], out_dir=out.resolve(), annotator=annotator, run_id=run_id,
                        cells=cells)
    return {**{name: out / f"{name}.csv" for name in ("sentences", "mentions", *frames)},
            "manifest": out / "manifest.json"}


def export(store: Any, out_dir: str | os.PathLike, *, annotator: str | None = None,
           labels: str | None = None, format: str = "csv", compare: bool = True) -> dict[str, Path]:
    """Write the current view and its tables as CSV with a manifest, or in another format.

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
        always hold keys). The workbook always has both.
    format : {"csv", "xlsx", "qdpx", "qdc"}, default "csv"
        ``xlsx``: :func:`to_xlsx` into ``<store name>.xlsx``; ``qdpx``:
        :func:`workbench.refi.write_qdpx` into ``<store name>.qdpx``; ``qdc``:
        :func:`workbench.refi.write_qdc` of the store's codebook into ``codebook.qdc``.
    compare : bool, default True
        CSV: also write the tables comparing outlets (text reuse and outlet profiles,
        :data:`workbench.compare.COMPARISON_TABLES`). Finding reuse reads every article;
        the store keeps what it found (:func:`workbench.reuse_cache.cached_reuse`), so the
        next export reads it back unless a document changed.

    Returns
    -------
    dict of str to pathlib.Path
        For CSV: ``sentences`` (the view's columns then ``as_of``), ``mentions``, then
        ``topic_counts``, ``topic_by_paragraph``, ``speaker_by_topic``, ``cooccurrence``,
        ``statements``, the comparison tables, and ``manifest`` (JSON: workbench version,
        codebook hash and name, store path, annotator, time, ``as_of``, row counts,
        journal counts, ``comparison``: each comparison table and what it holds). Otherwise
        one entry named after the
        format. CSV and xlsx exports are recorded in the store
        (:meth:`workbench.store.Store.exports`).

    Raises
    ------
    ValueError
        When the store holds no annotated sentences (nothing is written), or for an
        unknown format.
    """
    check_choice("format", format, FORMATS)
    if store.sentence_count() == 0:
        raise ValueError(
            f"store {str(store.path)!r} holds no annotated sentences yet; run "
            f"`workbench annotate PATH... --store {store.path}` first"
        )
    out = Path(out_dir)
    if format == "csv":
        out.parent.mkdir(parents=True, exist_ok=True)
        return _export_csv(store, out, annotator=annotator, labels=labels, compare=compare)
    out.mkdir(parents=True, exist_ok=True)
    stem = Path(store.path).stem
    if format == "xlsx":
        return {"xlsx": to_xlsx(store, out / f"{stem}.xlsx", annotator=annotator)}
    from workbench import refi

    if format == "qdpx":
        return {"qdpx": refi.write_qdpx(store, out / f"{stem}.qdpx", annotator=annotator)}
    return {"qdc": refi.write_qdc(store.codebook(), out / "codebook.qdc")}


def export_comparison(store: Any, out_dir: str | os.PathLike, *, annotator: str | None = None,
                      labels: str | None = None, reused: str = "all", charts: bool = True,
                      dpi: int = 150) -> dict[str, Path]:
    """Write the comparison of outlets: its tables as CSV, its charts, a manifest.

    Parameters
    ----------
    store : workbench.store.Store
        The store (its current view, texts, dates and outlets).
    out_dir : str or os.PathLike
        The folder to write into (created when missing); give it a folder of its own.
    annotator : str, optional
        Count with only this annotator's corrections (default: everyone's).
    labels : {None, "ar", "en", "both"}, default None
        Labels in the tables; the charts use ``"both"`` when None.
    reused : {"all", "once"}, default "all"
        Count a reused passage once in the profiles and charts with ``"once"``.
    charts : bool, default True
        Also draw the outlet charts (PNG and SVG, :func:`workbench.outlet_charts.save_outlet_charts`).
    dpi : int, default 150
        Resolution of the PNG charts.

    Returns
    -------
    dict of str to pathlib.Path
        The tables of :data:`workbench.compare.COMPARISON_TABLES`, each chart file by its name
        (``outlet_topics.png`` …), and ``manifest`` (``comparison.json``: version, store,
        time, the tables with what each holds and its rows, the charts).

    Raises
    ------
    ValueError
        When the store holds no annotated sentences (nothing is written).
    """
    from workbench import __version__
    from workbench.compare import COMPARISON_TABLES, comparison_tables, draw_comparison

    if store.sentence_count() == 0:
        raise ValueError(f"store {str(store.path)!r} holds no annotated sentences yet; run "
                         f"`workbench annotate PATH... --store {store.path}` first")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    frames = comparison_tables(store, annotator=annotator, labels=labels, reused=reused)
    written = {name: write_csv(frame, out / f"{name}.csv") for name, frame in frames.items()}
    drawn = draw_comparison(store, frames, out, annotator=annotator, labels=labels or "both", reused=reused,
                  dpi=dpi) if charts else []
    written.update({path.name: path for path in drawn})
    manifest = {
        "workbench_version": __version__,
        "store": str(Path(store.path).resolve()),
        "annotator": annotator,
        "reused": reused,
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "tables": {f"{name}.csv": {"rows": len(frame), "what": COMPARISON_TABLES[name]}
                   for name, frame in frames.items()},
        "charts": [path.name for path in drawn],
    }
    written["manifest"] = _atomic_write(
        out / "comparison.json",
        lambda handle: handle.write(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"))
    return written


#: How several labels in one cell are joined (Arabic, English).
_JOIN = ("، ", "; ")
_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d")


def _key_labels(codebook: CodebookSummary, kind: str) -> dict[str, tuple[str, str]]:
    """``{key: (Arabic, English)}`` of one codebook part, each falling back to the other, then the key."""
    return {e.key: (e.label_ar or e.label_en or e.key, e.label_en or e.key) for e in getattr(codebook, kind)}


def key_labels(frame: pd.DataFrame, codebook: CodebookSummary) -> pd.DataFrame:
    """The labels the workbook shows beside the key columns of a sentences table.

    Parameters
    ----------
    frame : pandas.DataFrame
        Sentences with the :data:`~workbench.columns.LABELLED_COLUMNS` (keys
        ``;``-joined).
    codebook : CodebookSummary
        Where the labels come from.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`~workbench.columns.LABEL_COLUMNS` (``topics_ar, topics_en, …``), str,
        on ``frame``'s index: the Arabic labels joined by ``، ``, the English by ``; ``, a
        missing label falling back to the other language, then to the key.
    """
    out = {}
    for column, kind in LABELLED_COLUMNS.items():
        known = _key_labels(codebook, kind)
        for i, lang in enumerate(("ar", "en")):
            values = [_JOIN[i].join(known.get(k, (k, k))[i] for k in str(cell).split(";") if k)
                      for cell in frame[column].tolist()]
            out[f"{column}_{lang}"] = pd.Series(values, index=frame.index, dtype="str")
    return pd.DataFrame(out, index=frame.index)


def _beside_keys(frame: pd.DataFrame, codebook: CodebookSummary) -> pd.DataFrame:
    """Insert ``{column}_ar`` and ``{column}_en`` after each key column."""
    labels = key_labels(frame, codebook)
    out = frame.copy()
    for column in LABELLED_COLUMNS:
        at = list(out.columns).index(column) + 1
        for i, lang in enumerate(("ar", "en")):
            out.insert(at + i, f"{column}_{lang}", labels[f"{column}_{lang}"])
    return out


def _mention_labels(mentions: pd.DataFrame, codebook: CodebookSummary) -> pd.DataFrame:
    known = {(kind, key): pair for kind in ("topics", "actors")
             for key, pair in _key_labels(codebook, kind).items()}
    pairs = [known.get((f"{kind}s", key), (key, key))
             for kind, key in zip(mentions["kind"], mentions["key"], strict=True)]
    out = mentions.copy()
    at = list(out.columns).index("key") + 1
    out.insert(at, "key_ar", pd.Series([p[0] for p in pairs], index=out.index, dtype="str"))
    out.insert(at + 1, "key_en", pd.Series([p[1] for p in pairs], index=out.index, dtype="str"))
    return out


def _as_date(value: str) -> Any:
    """An ISO date string as a date (so the workbook holds a date), anything else unchanged."""
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return datetime.strptime(value.strip(), "%Y-%m-%d").date()
        except ValueError:
            return value
    return value


def _readme(manifest: Mapping[str, Any]) -> pd.DataFrame:
    rows: list[tuple[str, Any]] = [
        ("README", "Arabic analyst workbench export · تصدير منصة المحلل"),
        ("how to correct", "Edit the yellow columns of the sentences sheet (topics, actors, speaker, "
                           "statement_type, note, reviewed); keep sentence_id and as_of as they are; save as "
                           ".xlsx and run: workbench import-corrections FILE.xlsx --store STORE "
                           "--annotator NAME"),
        ("طريقة التصحيح", "عدّل الأعمدة الصفراء في ورقة sentences، واترك sentence_id و as_of كما هما، "
                          "ثم احفظ الملف بصيغة xlsx واستورده بالأمر workbench import-corrections"),
        ("labels", "Columns ending in _ar / _en show the labels of the keys beside them; they are not "
                   "imported"),
    ]
    for key, value in manifest.items():
        if key == "row_counts":
            rows += [(f"rows: {name}", count) for name, count in value.items()]
        elif key == "time":
            rows.append((key, datetime.fromisoformat(value).replace(tzinfo=None)))
        else:
            rows.append((key, "" if value is None else value))
    return pd.DataFrame(rows, columns=["item", "value"])


def to_xlsx(store: Any, path: str | os.PathLike, *, annotator: str | None = None) -> Path:
    """Write the current view and its tables as one Excel workbook with right-to-left sheets.

    Parameters
    ----------
    store : workbench.store.Store
        The store to export.
    path : str or os.PathLike
        The ``.xlsx`` file to (over)write.
    annotator : str, optional
        Export with only this annotator's corrections (default: everyone's).

    Returns
    -------
    pathlib.Path
        ``path``. Sheets: ``README`` (the manifest of :func:`export` and how to import
        corrections), ``sentences`` (the columns of ``sentences.csv`` with
        ``topics_ar, topics_en`` … beside each key column; the yellow columns
        :data:`~workbench.columns.EDITABLE_COLUMNS` are read back by ``workbench import-corrections``),
        ``mentions`` (with ``key_ar, key_en``), ``documents`` (dates as dates), then the
        tables with Arabic and English labels. The export is recorded in the store.

    Raises
    ------
    ValueError
        When a table is too large for Excel (use the CSV export), or the store is empty.
    """
    from workbench.xlsx import write_workbook

    if store.sentence_count() == 0:
        raise ValueError(f"store {str(store.path)!r} holds no annotated sentences yet; run "
                         f"`workbench annotate PATH... --store {store.path}` first")
    with store.snapshot():  # one moment of the store, whatever others write meanwhile
        frames, as_of = _view(store, annotator=annotator, labels="both")
        codebook = store.codebook()
        documents = store.documents()
        exported = frames["sentences"]
        sheets = {"sentences": _beside_keys(frames.pop("sentences"), codebook),
                  "mentions": _mention_labels(frames.pop("mentions"), codebook)}
        manifest_rows = {**sheets, "documents": documents, **frames}
        manifest = _manifest(store, {name: len(frame) for name, frame in manifest_rows.items()},
                             annotator=annotator, as_of=as_of, suffix="")
    dates = [_as_date(d) for d in documents["date"]]
    documents["date"] = pd.Series(dates, index=documents.index, dtype=object)
    sheets = {**sheets, "documents": documents, **frames}
    written = write_workbook({"README": _readme(manifest), **sheets}, path,
                             editable={"sentences": EDITABLE_COLUMNS})
    store.record_export(as_of, out_dir=Path(path).resolve().parent, annotator=annotator,
                        run_id=codebook.run_id, sentences=exported)
    return written
