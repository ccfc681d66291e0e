"""Importing a ``sentences.csv`` an analyst edited in a spreadsheet: the three-way merge.

The workbook ``workbench export --format xlsx`` writes comes back the same way: its
``sentences`` sheet is read as text (:func:`workbench.xlsx.read_sheet`) and goes through
the same checks and merge as a CSV; only the formula guard differs (a workbook's text
cells carry none, so nothing is taken off them).

:func:`import_corrections` compares each edited file with the view as it was when the
file was exported (its ``as_of`` column), and journals only the cells the analyst
changed; how it merges with corrections made since is described in the README
("Correcting in a spreadsheet"). It uses the store only through its public methods.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..checks import check_annotator
from ..columns import EDITABLE_COLUMNS, LABEL_COLUMNS, LABELLED_COLUMNS, VIEW_SENTENCE_COLUMNS
from ..spreadsheet import READ_AS_UTF8, garbled, spreadsheet_csv, unneutralise
from .journal import CorrectionError, as_bool, effective, keys_of, now, ordered, replay

if TYPE_CHECKING:  # pragma: no cover
    from .sqlite import Store

__all__ = ["CorrectionsImportError", "import_corrections"]


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


_LIST_SEPARATORS = str.maketrans({",": ";", "،": ";", "؛": ";"})
_IMPORT_FIELDS = tuple(EDITABLE_COLUMNS)
#: Columns of a ``sentences.csv`` (or sentences sheet) written by ``workbench export``:
#: read or knowingly skipped.
_EXPORT_COLUMNS = frozenset(VIEW_SENTENCE_COLUMNS) | {"as_of"} | frozenset(LABEL_COLUMNS)
#: Files the import reads: CSV, and the workbook of ``workbench export --format xlsx``.
_SUFFIXES = (".csv", ".xlsx")
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
    guarded: bool = True              # text cells carry the export's formula guard (CSV)


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
        raise CorrectionsImportError(
            path, [f"cannot read it as CSV ({exc}); save it again as 'CSV UTF-8'"]
        ) from None
    return _edited(path, header, rows, digest, guarded=True)


def _read_edited_xlsx(path: Path) -> _EditedFile:
    """The sentences sheet of a workbook, its cells as text exactly as they are."""
    from ..xlsx import WorkbookError, read_sheet

    try:
        header, cells = read_sheet(path, sheet="sentences")
    except WorkbookError as exc:
        raise CorrectionsImportError(path, exc.problems) from None
    names = [h.strip().lower() for h in header]
    rows = [(number, dict(zip(names, row, strict=True))) for number, row in cells]
    return _edited(path, header, rows, hashlib.sha256(path.read_bytes()).hexdigest(), guarded=False)


def _read_edited(path: Path) -> _EditedFile:
    return _read_edited_xlsx(path) if path.suffix.lower() == ".xlsx" else _read_edited_csv(path)


def _edited(path: Path, header: list[str], rows: list[tuple[int, dict]], digest: str, *,
            guarded: bool) -> _EditedFile:
    """The file read, once its header has what the import needs."""
    names = [h.strip().lower() for h in header]
    problems = []
    for name in dict.fromkeys(n for n in names if n):
        written = [h for h, n in zip(header, names, strict=True) if n == name]
        if len(written) > 1:
            problems.append(f"row 1: column {name!r} appears {len(written)} times ({written}); keep one")
    if "sentence_id" not in names:
        problems.append(f"row 1: no 'sentence_id' column (columns found: {header}); import a sentences.csv "
                        "written by `workbench export`")
    _refuse_garbled(path, header, rows)
    fields = [f for f in _IMPORT_FIELDS if f in names]
    if not fields:
        problems.append(f"row 1: none of the columns that can be imported is there; expected one or more of "
                        f"{list(_IMPORT_FIELDS)}, found {header}")
    if problems:
        raise CorrectionsImportError(path, problems)
    return _EditedFile(path, header, rows, fields, "as_of" in names, digest, guarded)


def _refuse_garbled(path: Path, header: list[str], rows: list[tuple[int, dict]]) -> None:
    """Refuse a file whose column names or cells were decoded with the wrong character set."""
    found = [(1, name, name) for name in header if garbled(name)]
    columns = ["sentence_id", *_IMPORT_FIELDS]
    for number, row in rows:
        found += [(number, c, row[c]) for c in columns if isinstance(row.get(c), str) and garbled(row[c])]
        if len(found) >= 5:
            break
    if found:
        problems = [f"row {n}, column {c!r}: {v!r} is {garbled(v)!r} read with the wrong character set "
                    "(UTF-8 read as Windows-1252)" for n, c, v in found[:5]]
        problems.append("a spreadsheet program read the file with the wrong character set before it was "
                        f"saved, so its Arabic is garbled: {READ_AS_UTF8}")
        raise CorrectionsImportError(path, problems)


_LINE_BREAK = re.compile(r"\r\n?")


def _same(field: str, a: Any, b: Any) -> bool:
    """Whether two values of a view cell are the same (key lists as sets; notes whatever
    their line breaks, which spreadsheet programs rewrite: LibreOffice saves CR LF as LF)."""
    if field in ("topics", "actors"):
        return set(keys_of(a)) == set(keys_of(b))
    if field == "note" and isinstance(a, str) and isinstance(b, str):
        return _LINE_BREAK.sub("\n", a) == _LINE_BREAK.sub("\n", b)
    return a == b


def _parsed(field: str, cell: Any, guarded: bool) -> Any:
    """A cell of the file as the view holds it (key lists ``;``-joined, ``reviewed`` a
    bool or None, text without the export's formula guard)."""
    cell = "" if cell is None else cell
    if guarded:
        cell = unneutralise(cell) if field == "note" else unneutralise(cell.strip())
    if field in ("topics", "actors"):
        keys = (k.strip() for k in cell.translate(_LIST_SEPARATORS).split(";"))
        return ";".join(dict.fromkeys(k for k in keys if k))
    if field == "reviewed":
        return as_bool(cell)
    return cell if field == "note" else cell.strip()


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
        self.retired: dict[str, set[str]] = {
            "topics": set(),
            "actors": set(),
        }  # only earlier codebooks have them
        for earlier in store.run_codebooks():
            for field, retired in self.retired.items():
                retired.update(k for k in earlier.keys(field) if k not in self.known[field])
        self.current = self._rows(None)
        self.last_id = store.last_entry_id()
        exports = store.exports()
        #: as_of values the exports of this store wrote (empty: none recorded, any as_of is taken)
        self.exported = set(exports["as_of"].tolist())
        #: as_of -> ids of the exports at it that kept what they wrote
        self.recorded: dict[int, list[int]] = defaultdict(list)
        for export_id, as_of, has_cells in exports[["id", "as_of", "has_cells"]].itertuples(index=False):
            if has_cells:
                self.recorded[int(as_of)].append(int(export_id))
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

    def _written(self, edited: _EditedFile, todo: list[tuple],
                 as_of: int | None) -> dict[str, dict[str, Any]]:
        """What the export the file came from wrote, row by row: of the exports at its
        ``as_of`` that kept their cells, the one the file agrees with most (an untouched
        file agrees with its own on every cell); the view as of ``as_of`` for rows no
        such export holds, the current view for a file without ``as_of``."""
        if as_of is None:
            return self.current
        best, best_score = None, -1
        for export_id in self.recorded.get(as_of, ()):
            cells = self.store.exported_cells(export_id) or {}
            written = {sid: {f: (v == "true") if f == "reviewed" else v for f, v in row.items()}
                       for sid, row in cells.items()}
            score = sum(_same(f, _parsed(f, row.get(f), edited.guarded), written[sid][f])
                        for _, _, sid, row, _ in todo if sid in written for f in edited.fields)
            if score >= best_score:
                best, best_score = written, score
        if best is None:
            return self._base(as_of)
        return {**self._base(as_of), **best} if len(best) < len(self.current) else best

    def _already_applied(self, sentence_id: str, field: str, value: Any, as_of: int) -> bool:
        """Whether one of the annotator's entries after ``as_of`` left the cell at ``value``
        (the file was imported before, and someone changed the cell since)."""
        entries = effective(self.store.entries(sentence_ids=[sentence_id]))
        auto = self.store.auto_row(sentence_id)
        for k, e in enumerate(entries):
            if e.id > as_of and e.annotator == self.annotator and e.field == field:
                if _same(field, replay(auto, entries[:k + 1], self.order)[field], value):
                    return True
        return False

    def _key_changes(self, sentence_id: str, field: str, as_of: int | None) -> list[tuple[str, str, bool]]:
        """``(annotator, key, added)`` for each key a journal entry in effect after ``as_of``
        added to or removed from the sentence's ``field``; entries planned from an earlier
        file of the import count as someone else's (annotator ``""``)."""
        if as_of is None:
            return []
        entries = effective(self.store.entries(sentence_ids=[sentence_id], field=field))
        keys = set(keys_of(self.store.auto_row(sentence_id)[field]))
        changes = []
        for e in entries:
            row = replay({field: ";".join(sorted(keys))}, [e], self.order)
            after = set(keys_of(row[field]))
            if e.id > as_of:
                changes += [(e.annotator, k, True) for k in after - keys]
                changes += [(e.annotator, k, False) for k in keys - after]
            keys = after
        changes += [("", p.value, p.action == "add") for p in self.planned  # an earlier file's
                    if p.sentence_id == sentence_id and p.field == field]
        return changes

    def _touched(self, sentence_id: str) -> set[str]:
        """Fields of the sentence that a journal entry in effect (or a planned one) touched."""
        entries = effective(self.store.entries(sentence_ids=[sentence_id]))
        return {e.field for e in entries} | {p.field for p in self.planned if p.sentence_id == sentence_id}

    def add_file(self, edited: _EditedFile, *, prefix: str = "") -> None:
        problems = self.problems
        before = len(problems)
        seen: dict[str, int] = {}
        as_ofs: dict[int, list[int]] = defaultdict(list)  # as_of -> rows carrying it
        todo = []
        short = []  # (row, cells present): rows a spreadsheet cut short
        width = len([h for h in edited.header if h.strip()])
        for number, row in edited.rows:
            where = f"{prefix}row {number}"
            sid = (row.get("sentence_id") or "").strip()
            sid = unneutralise(sid) if edited.guarded else sid  # an id that looks like a formula
            if not sid and not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue  # blank line a spreadsheet left behind
            present = sum(1 for k, v in row.items() if k and v is not None)
            if present < width:
                short.append((number, present))
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
        unknown = len(problems) - before
        if unknown and not seen:  # every row's sentence_id unknown (the only problem before a row is seen)
            problems.insert(before, (
                f"{prefix}none of the file's {unknown} sentence_id(s) is in this store: was it exported from "
                "another store, or before its articles were annotated again with other texts? Import it into "
                "the store it came from"))
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
                f"{prefix}'as_of' = {unwritten[0]} was not written by any export of this store (exports "
                f"wrote "
                f"{sorted(self.exported)}): an edited as_of would undo corrections made since; {redo}"
            )
            return
        written = self._written(edited, todo, next(iter(as_ofs), None))
        for number, where, sid, row, as_of in todo:
            self._add_row(edited.path, number, where, sid, row, edited.fields, as_of, guarded=edited.guarded,
                          base=written[sid])
        self._label_edits(edited, todo, written)
        self._file_warnings(edited, short, width)

    def _file_warnings(self, edited: _EditedFile, short: list[tuple[int, int]], width: int) -> None:
        """Warn about rows cut short, a file without ``as_of`` and columns that are not imported."""
        if short:
            more = f" (and {len(short) - 1} more row(s))" if len(short) > 1 else ""
            self.warnings.append(
                f"{edited.path}: row {short[0][0]} has {short[0][1]} of the {width} columns{more}; the "
                "cells a row lacks were left as the store has them")
        if not edited.has_as_of:
            self.warnings.append(
                f"{edited.path}: no 'as_of' column (files written by `workbench export` have one), so it was "
                "compared with the current view: a cell changed in the store since this file was made, and "
                "not "
                "in the file, is set back to the file's value"
            )
        unknown = [h for h in edited.header if h.strip() and h.strip().lower() not in _EXPORT_COLUMNS]
        if unknown:
            self.warnings.append(
                f"{edited.path}: column(s) {unknown} ignored: they are not sentences.csv columns (the ones "
                f"imported are {list(_IMPORT_FIELDS)})")

    def _label_edits(self, edited: _EditedFile, todo: list[tuple],
                     written: dict[str, dict[str, Any]]) -> None:
        """Warn about label cells (``topics_ar`` …) changed in the file: labels are not imported."""
        from ..export import key_labels

        present = [c for c in LABEL_COLUMNS if c in {h.strip().lower() for h in edited.header}]
        if not present or not todo:
            return
        codebook = self.store.codebook()
        columns = {c.rsplit("_", 1)[0] for c in present}
        rows = pd.DataFrame([{c: row.get(c) or "" for c in columns} for _, _, _, row, _ in todo])
        bases = pd.DataFrame([{c: written[sid][c] for c in columns} for _, _, sid, _, _ in todo])
        # the labels of the file's keys and of the exported ones, as column lists (not .iloc per
        # cell, which took most of the import of a large workbook)
        file_labels, base_labels = (
            key_labels(frame.reindex(columns=list(LABELLED_COLUMNS), fill_value=""), codebook)[present]
            .to_dict("list") for frame in (rows, bases))
        edits = [(number, c) for i, (number, _, _, row, _) in enumerate(todo) for c in present
                 if (row.get(c) or "") not in (file_labels[c][i], base_labels[c][i])]
        if edits:
            listed = ", ".join(f"row {n} '{c}'" for n, c in edits[:5]) + (" …" if len(edits) > 5 else "")
            self.warnings.append(
                f"{edited.path}: {len(edits)} label cell(s) changed ({listed}); labels are shown, not "
                "imported: change the keys in the column beside them (topics, actors, speaker, "
                "statement_type)")

    def _add_row(self, path: Path, number: int, where: str, sid: str, row: Mapping[str, Any],
                 fields: Sequence[str], as_of: int | None, *, guarded: bool = True,
                 base: Mapping[str, Any]) -> None:
        current = self.current[sid]
        for field in fields:
            cell = row.get(field)
            if cell is None:
                continue  # the row was cut short before this column: not an edit
            value: Any = _parsed(field, cell, guarded)
            if field in ("topics", "actors"):
                keys = keys_of(value)
                value = ordered(keys, self.order[field])
            elif field == "reviewed" and value is None:
                self.problems.append(f"{where}: 'reviewed' = {cell!r} is not TRUE or FALSE")
                continue
            if _same(field, value, base[field]) or _same(field, value, current[field]):
                continue  # not edited in the file, or the store already says so
            if as_of is not None and self._already_applied(sid, field, value, as_of):
                continue  # imported before; a later correction changed it again
            if field in ("topics", "actors"):
                have, base_keys = keys_of(current[field]), keys_of(base[field])
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
                    conflict = any((k, False) in theirs for k in adds) or any(
                        (k, True) in theirs for k in removes
                    )
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
                after: Any = ordered([k for k in have if k not in removes] + adds, self.order[field])
            else:
                if as_of is None:
                    conflict = field in self._touched(sid)
                else:
                    conflict = not _same(field, current[field], base[field])
                entries, after = [("set", value)], value
            shown, previous = _shown(field, value), _shown(field, current[field])
            self.planned += [_Planned(path, number, sid, field, action, value_, shown, previous, conflict)
                             for action, value_ in entries]
            current[field] = after


def _edited_files(path: Path) -> list[Path]:
    return sorted((p for p in path.iterdir() if p.is_file() and p.suffix.lower() in _SUFFIXES
                   and not p.name.startswith((".", "~$"))), key=lambda p: p.name)


def import_corrections(store: Store, path: str | os.PathLike, *, annotator: str) -> pd.DataFrame:
    """Journal the cells an analyst edited in a ``sentences.csv`` or workbook (or a folder of them).

    Each row is compared with the view as of the file's ``as_of`` (the journal position
    its export recorded), so only the cells the analyst changed are journaled; ``topics``
    and ``actors`` are merged three ways with what others changed since, a cell someone
    else also changed is set to the file's value and reported as a conflict, and a file
    imported before is skipped. A workbook (``.xlsx``) is read from its ``sentences``
    sheet, its cells as text exactly as they are, with the same guarantees. The rules, and
    what a spreadsheet may do to the file, are in docs/corrections.md. Every row of every
    file is checked first, and everything is journaled in one transaction: if any row has
    a problem, nothing is imported.

    Parameters
    ----------
    store : Store
        The store to journal into.
    path : str or os.PathLike
        The edited CSV file or workbook, or a folder: then every ``*.csv`` and ``*.xlsx``
        directly in it (not hidden or ``~$`` lock files), in name order, each compared
        with the store as the files before it leave it. An empty folder imports nothing.
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
    files = _edited_files(path) if folder else [path]
    edited = _read_all(path, files, folder=folder)
    with store.transaction():  # read, check and append with no other writer in between
        plan = _ImportPlan(store, annotator=annotator)
        fresh = _plan_files(store, plan, edited)
        rows = _checked_rows(store, plan, annotator=annotator, folder=folder)
        if plan.problems:
            raise CorrectionsImportError(path, plan.problems)
        time = now()
        ids = store.append_entries([(time, annotator, sid, f, a, v, None) for sid, f, a, v in rows])
        made: dict[Path, int] = defaultdict(int)
        for p in plan.planned:
            made[p.file] += 1
        for one in fresh:
            store.record_import(one.sha256, path=one.path, annotator=annotator, time=time,
                                n_entries=made[one.path])
    if folder and not files:
        plan.warnings.append(f"{path}: no .csv or .xlsx files in this folder; nothing to import")
    return _added(store, plan, ids, annotator=annotator)


def _read_all(path: Path, files: list[Path], *, folder: bool) -> list[tuple[_EditedFile, str]]:
    """Every file read and its header checked, ``(file, prefix for messages)`` each."""
    edited: list[tuple[_EditedFile, str]] = []
    problems: list[str] = []
    for file in files:
        prefix = f"{file.name}: " if folder else ""
        try:
            edited.append((_read_edited(file), prefix))
        except CorrectionsImportError as exc:
            problems.extend(prefix + p for p in exc.problems)
    if problems:
        raise CorrectionsImportError(path, problems)
    return edited


def _plan_files(store: Store, plan: _ImportPlan, edited: list[tuple[_EditedFile, str]]) -> list[_EditedFile]:
    """Plan the entries of each file not imported before; return those files."""
    before: dict[str, tuple[str, str]] = {}  # sha256 -> (time, annotator) of its first import
    for sha256, when, who in store.imports()[["sha256", "time", "annotator"]].itertuples(index=False):
        before.setdefault(sha256, (when, who))
    done: dict[str, str] = {}  # sha256 -> the file of this import that has that content
    fresh = []
    for one, prefix in edited:
        if one.sha256 in before:
            when, who = before[one.sha256]
            plan.warnings.append(f"{one.path}: already imported on {when} by {who!r}; nothing to do")
        elif one.sha256 in done:
            plan.warnings.append(f"{one.path}: the same content as {done[one.sha256]}; nothing to do")
        else:
            done[one.sha256] = str(one.path)
            fresh.append(one)
            plan.add_file(one, prefix=prefix)
    return fresh


def _checked_rows(store: Store, plan: _ImportPlan, *, annotator: str, folder: bool) -> list[tuple]:
    """``(sentence_id, field, action, value)`` of each planned entry as the journal keeps it;
    a correction the store refuses is a problem of its row."""
    rows: list[tuple] = []
    for p in plan.planned:
        try:
            stored = store.check_correction(p.sentence_id, p.field, p.action, p.value, annotator=annotator)
        except CorrectionError as exc:
            prefix = f"{p.file.name}: " if folder else ""
            plan.problems.append(f"{prefix}row {p.row}: {exc}")
            continue
        rows.append((p.sentence_id, p.field, p.action, stored))
    return rows


def _added(store: Store, plan: _ImportPlan, ids: list[int], *, annotator: str) -> pd.DataFrame:
    """The entries appended, with where each came from (see :func:`import_corrections`)."""
    journal = store.journal(annotator=annotator)
    added = journal[journal["id"].isin(ids)].reset_index(drop=True)
    planned = plan.planned
    added["file"] = pd.Series([str(p.file) for p in planned], dtype="str", index=added.index)
    added["row"] = pd.Series([p.row for p in planned], dtype="int64", index=added.index)
    added["imported"] = pd.Series([p.imported for p in planned], dtype="str", index=added.index)
    added["previous"] = pd.Series([p.previous for p in planned], dtype="str", index=added.index)
    added["conflict"] = pd.Series([p.conflict for p in planned], dtype="bool", index=added.index)
    added.attrs["warnings"] = list(plan.warnings)
    return added
