"""Documents, paragraphs and sentences: loading files and folders with stable ids.

A document's text is its file decoded as UTF-8 (a BOM dropped; newlines — ``\\r\\n``,
``\\r`` and the Unicode line and paragraph separators U+2028 and U+2029 — normalised to
``\\n``; a ``.md`` front-matter block removed). Its paragraphs are its non-blank lines,
numbered from 0 (the title is paragraph 0); a line holding only white space and invisible
format characters (RLM, ZWNJ, bidi controls …, see :data:`workbench.text.FORMAT_CHARACTERS`)
is blank, and a paragraph is trimmed of both at its ends. Offsets are code-point offsets
into that text, end exclusive.

Sentence ids (:func:`sentence_ids`) are ``"{doc_id}:{h}"``, ``h`` the first 10 hex digits
of a SHA-1:

- a sentence whose exact text occurs once in the document: SHA-1 of its text;
- a sentence whose text occurs more than once: SHA-1 of ``previous + "\\x1f" + text +
  "\\x1f" + next``, the texts of the sentences before and after it in the document
  (``""`` at either end);
- only when even that is the same for two copies (four copies in a row, a repeated run of
  three sentences) do the later ones get ``-2``, ``-3`` … in document order.

So an id does not change when the file is loaded again, when other files are added, or
when sentences that are neither it nor its neighbours change; it changes when its own
text changes. Editing one copy of a repeated sentence never hands that copy's id to
another copy: the ids involved change, and corrections stored against the old ones are
reported as orphans.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import count, repeat
from operator import itemgetter, methodcaller
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from . import text as _text
from .checks import check_choice
from .collector import collector_paused, listed
from .dates import dated
from .parts import Paragraph, Sentence, WholeText
from .screening import screen
from .spreadsheet import spreadsheet_csv
from .walk import Found, Trouble, check_regular_file, drop_repeats, find_files, unreadable

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "CorpusError",
    "Problem",
    "Paragraph",
    "Sentence",
    "Document",
    "Corpus",
    "load_corpus",
    "read_metadata",
]

TEXT_SUFFIXES = (".txt", ".md")
METADATA_FILE = "metadata.csv"
METADATA_FIELDS = ("doc_id", "date", "outlet", "url", "title")
_ON_ERROR = {"raise": "stop at the first unreadable file", "report": "skip it and report it"}


class CorpusError(ValueError):
    """A file, folder or metadata table that cannot be loaded as it is."""


@dataclass(frozen=True)
class Problem:
    """Something about an input the analyst should know: a skipped or suspicious file."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


#: Paragraphs and sentences made from rows of their fields in one C call each; a hash's id part.
_PARAGRAPH, _SENTENCE = partial(tuple.__new__, Paragraph), partial(tuple.__new__, Sentence)
_HEX, _FIRST_10 = methodcaller("hexdigest"), itemgetter(slice(10))


@dataclass
class Document:
    """One article with its paragraphs, sentences and metadata."""

    doc_id: str
    path: str
    text: str
    paragraphs: list[Paragraph]
    sentences: list[Sentence]
    date: str | None = None
    outlet: str | None = None
    url: str | None = None
    metadata_title: str | None = None
    problems: list[Problem] = field(default_factory=list)
    date_rule: str = ""  #: where the date is from: metadata, text:paragraph=N written=…, "" (none)

    @property
    def title(self) -> str:
        """The title: from metadata when given, else paragraph 0 (Markdown ``#`` removed)."""
        if self.metadata_title:
            return self.metadata_title
        if not self.paragraphs:
            return ""
        return self.paragraphs[0].text.lstrip("#").strip(_text.BLANK_CHARACTERS)

    @property
    def content_hash(self) -> str:
        """SHA-256 of the document text (hex)."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


class Corpus:
    """An ordered collection of documents with the problems met while loading them."""

    def __init__(self, documents: Iterable[Document], problems: Iterable[Problem] = ()):
        self.documents: list[Document] = listed(documents)  # (a generator may build them)
        self.problems: list[Problem] = list(problems)
        self._by_id = {d.doc_id: d for d in self.documents}

    def __iter__(self) -> Iterator[Document]:
        return iter(self.documents)

    def __len__(self) -> int:
        return len(self.documents)

    def __getitem__(self, key: str | int) -> Document:
        if isinstance(key, int):
            return self.documents[key]
        try:
            return self._by_id[key]
        except KeyError:
            raise KeyError(f"no document with doc_id {key!r} in this corpus") from None

    def __repr__(self) -> str:
        n_sent = sum(len(d.sentences) for d in self.documents)
        return f"<Corpus: {len(self.documents)} documents, {n_sent} sentences, {len(self.problems)} problems>"

    def sentences_frame(self) -> pd.DataFrame:
        """All sentences as a table.

        Returns
        -------
        pandas.DataFrame
            Columns ``doc_id, paragraph, sentence, sentence_id, start, end, text``.
        """
        import pandas as pd

        rows = [
            (s.doc_id, s.paragraph, s.sentence, s.sentence_id, s.start, s.end, s.text)
            for d in self.documents
            for s in d.sentences
        ]
        cols = ["doc_id", "paragraph", "sentence", "sentence_id", "start", "end", "text"]
        return pd.DataFrame(rows, columns=cols).astype(
            {"paragraph": "int64", "sentence": "int64", "start": "int64", "end": "int64"}
        )

    def documents_frame(self) -> pd.DataFrame:
        """One row per document.

        Returns
        -------
        pandas.DataFrame
            Columns ``doc_id, path, title, date, outlet, url, n_paragraphs, n_sentences,
            content_hash, date_rule`` (see :attr:`Document.date_rule`); missing metadata is ``""``.
        """
        import pandas as pd

        rows = [
            (
                d.doc_id, d.path, d.title, d.date or "", d.outlet or "", d.url or "",
                len(d.paragraphs), len(d.sentences), d.content_hash, d.date_rule,
            )
            for d in self.documents
        ]
        cols = ["doc_id", "path", "title", "date", "outlet", "url", "n_paragraphs",
                "n_sentences", "content_hash", "date_rule"]
        return pd.DataFrame(rows, columns=cols).astype({"n_paragraphs": "int64", "n_sentences": "int64"})


# --- reading one file ---------------------------------------------------------------


def read_text(path: Path) -> str:
    """Decode a file as UTF-8, drop a BOM and normalise newlines to ``\\n``.

    ``\\r\\n``, ``\\r``, U+2028 (line separator) and U+2029 (paragraph separator) all
    become ``\\n``, so each of them ends a paragraph.

    Parameters
    ----------
    path : Path
        The file.

    Returns
    -------
    str
        The decoded text.

    Raises
    ------
    CorpusError
        When the file cannot be read (no permission, a named pipe, a link to nothing) or
        is not UTF-8 (naming the byte offset of the first bad byte).
    """
    problem = check_regular_file(path)
    if problem:
        raise CorpusError(f"{path}: {problem}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{path}: {unreadable(exc, folder=False)}") from None
    try:
        decoded = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CorpusError(
            f"{path}: not UTF-8 text (first bad byte 0x{data[exc.start]:02x} at byte offset "
            f"{exc.start}); re-save the file as UTF-8 (for Windows-1256 text: "
            f"iconv -f cp1256 -t utf-8)"
        ) from None
    return clean_text(decoded)


def clean_text(text: str) -> str:
    """Drop a leading BOM and normalise newlines (CRLF, CR, U+2028, U+2029) to ``\\n``.

    Parameters
    ----------
    text : str
        Decoded text, from a file or from elsewhere (a database, a Dask bag).

    Returns
    -------
    str
        The text as a document holds it.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    for newline in ("\r\n", "\r", "\u2028", "\u2029"):
        text = text.replace(newline, "\n")
    return text


_FRONT_KEYS = ("date", "outlet", "url", "title")


def split_front_matter(text: str, path: Path) -> tuple[dict[str, str], str]:
    """Separate a ``.md`` front-matter block from the article text.

    Two forms are read: a block between ``---`` lines, or ``key: value`` lines
    (``date``, ``outlet``, ``url``, ``title``) at the very top ended by a blank line.

    Parameters
    ----------
    text : str
        The decoded file (newlines normalised to ``\\n``).
    path : Path
        The file, for error messages.

    Returns
    -------
    tuple
        ``(metadata, text)``: keys in lower case → values with surrounding quotes
        removed (empty when there is no block), and what follows the block.

    Raises
    ------
    CorpusError
        Naming the file and line: a ``---`` block that is never closed, a line in it that
        is not ``key: value``, a ``date`` that is not ``YYYY-MM-DD``.
    """
    lines = text.split("\n")
    meta, rest, date_line = _front_matter(lines, path)
    if "date" in meta:
        check_date(meta["date"], f"{path}, line {date_line} (front matter)")
    return meta, text if rest is None else "\n".join(lines[rest:])


def _front_matter(lines: list[str], path: Path) -> tuple[dict[str, str], int | None, int]:
    """The front-matter values, the index of the first line after the block (``None``
    when there is no block) and the line number of its ``date``."""
    meta: dict[str, str] = {}
    date_line = 0
    if lines and lines[0].strip() == "---":
        try:
            close = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
        except StopIteration:
            raise CorpusError(
                f"{path}, line 1: front matter opened with '---' is never closed; add a '---' line after it"
            ) from None
        for lineno in range(1, close):
            line = lines[lineno]
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            key, sep, value = line.partition(":")
            if not sep:
                raise CorpusError(
                    f"{path}, line {lineno + 1}: front matter line {line!r} is not 'key: value'"
                )
            meta[key.strip().lower()] = value.strip().strip("'\"")
            if key.strip().lower() == "date":
                date_line = lineno + 1
        return meta, close + 1, date_line
    i = 0
    while i < len(lines):
        key, sep, value = lines[i].partition(":")
        if sep and key.strip().lower() in _FRONT_KEYS:
            meta[key.strip().lower()] = value.strip().strip("'\"")
            i += 1
            if key.strip().lower() == "date":
                date_line = i
        else:
            break
    if meta and (i == len(lines) or not lines[i].strip()):
        return meta, i, date_line
    return {}, None, 0


def check_date(value: str, where: str) -> str | None:
    """Check a date as written in metadata and return it as ``YYYY-MM-DD``.

    Parameters
    ----------
    value : str
        The date as written: ``YYYY-MM-DD`` (a time after it is dropped), or blank.
    where : str
        Where it was written (file, line, doc_id), the start of the error message.

    Returns
    -------
    str or None
        The ISO date, ``None`` for a blank value.

    Raises
    ------
    CorpusError
        ``"{where}: date '...' is not a date in the form YYYY-MM-DD"``.
    """
    value = (value or "").strip()
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value).date().isoformat()
    except ValueError:
        raise CorpusError(f"{where}: date {value!r} is not a date in the form YYYY-MM-DD") from None


def sentence_ids(doc_id: str, texts: Sequence[str]) -> list[str]:
    """Stable ids for a document's sentences, in order.

    The rule is in this module's docstring: the hash of the sentence's text when the text
    occurs once in the document, of the text with its neighbours' texts when it repeats,
    and ``-2``, ``-3`` … only for copies whose neighbours are the same too.

    Parameters
    ----------
    doc_id : str
        The document's id, the prefix of every sentence id.
    texts : sequence of str
        The exact texts of all the document's sentences, in document order.

    Returns
    -------
    list of str
        One unique id per sentence, in the same order.
    """
    prefix = f"{doc_id}:"
    if len(set(texts)) == len(texts):  # every text once: the hash of each (C-level maps)
        ids = list(map(prefix.__add__, map(_FIRST_10, map(_HEX, map(hashlib.sha1, map(str.encode, texts))))))
        if len(set(ids)) == len(ids):
            return ids
    counts = Counter(texts)
    last = len(texts) - 1
    seen: Counter[str] = Counter()
    ids = []
    for i, t in enumerate(texts):
        if counts[t] == 1:
            key = t
        else:
            key = f"{texts[i - 1] if i else ''}\x1f{t}\x1f{texts[i + 1] if i < last else ''}"
        h = hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
        seen[h] += 1
        ids.append(f"{prefix}{h}" if seen[h] == 1 else f"{prefix}{h}-{seen[h]}")
    return ids


def build_document(doc_id: str, text: str, *, path: str = "", **metadata: str | None) -> Document:
    """Split ``text`` into paragraphs and sentences with exact offsets.

    Paragraphs are the lines holding more than white space and format characters,
    trimmed of both at their ends; sentences are trimmed the same way. Given no date, the
    document takes the one its text states, if any (:func:`workbench.dates.dated`). The
    paragraphs and sentences hold their offsets, not copies of their text: ``.text`` is cut
    from the document's when read (:mod:`workbench.parts`).

    Parameters
    ----------
    doc_id : str
        The document's id.
    text : str
        The document text (already decoded and newline-normalised).
    path : str, default ""
        Where it came from.
    **metadata
        ``date``, ``outlet``, ``url``, ``metadata_title``.

    Returns
    -------
    Document
    """
    firsts, lasts, lines = _text.paragraphs(text)
    whole = repeat(WholeText(text))  # the parts' text: cut from the document's when read
    paragraphs = list(map(_PARAGRAPH, zip(repeat(doc_id), count(), firsts, lasts, whole, strict=False)))
    numbers, ks, starts, ends = _text.document_sentences(text, firsts, lasts)
    ids = sentence_ids(doc_id, list(map(text.__getitem__, map(slice, starts, ends))))
    sents = list(map(_SENTENCE, zip(repeat(doc_id), numbers, ks, ids, starts, ends, whole, strict=False)))
    doc = Document(doc_id, path, text, paragraphs, sents, **metadata)
    doc.date, doc.date_rule = dated(doc.date, lines)  # "الثلاثاء ١٩ يوليو ٢٠٢٢"
    return doc


# --- metadata tables ----------------------------------------------------------------


def _header_key(name: str) -> str:
    """A column name as compared: case, spaces, underscores and format characters ignored."""
    return "".join(ch for ch in name.lower() if ch != "_" and ch not in _text.BLANK_CHARACTERS)


_FIELD_BY_KEY = {_header_key(f): f for f in METADATA_FIELDS}


def _metadata_columns(header: list[str], at: str, delimiter: str) -> list[str | None]:
    """The field of each column of a metadata header (None for a column without a name)."""
    columns: list[str | None] = []
    written: dict[str, str] = {}
    unknown = []
    for name in header:
        key = _header_key(name)
        field = _FIELD_BY_KEY.get(key)
        if field in written:
            raise CorpusError(
                f"{at}: column {field!r} appears twice ({written[field]!r} and {name!r}); keep one"
            )
        if field:
            written[field] = name
        elif key:
            unknown.append(name)
        columns.append(field)
    if "doc_id" not in written:
        raise CorpusError(
            f"{at}: no 'doc_id' column in {delimiter.join(header)!r}; the header must name the columns "
            f"{', '.join(METADATA_FIELDS)} (any case and order), separated by ',', ';' or tabs"
        )
    if unknown:
        raise CorpusError(
            f"{at}: unknown column(s) {', '.join(map(repr, unknown))}; "
            f"columns may be {', '.join(METADATA_FIELDS)}"
        )
    return columns


def read_metadata(path: Path, *, problems: list[Problem] | None = None) -> dict[str, dict[str, str | None]]:
    """Read a ``metadata.csv`` (columns ``doc_id, date, outlet, url, title``; any blank).

    The table may come back from a spreadsheet program: UTF-8 with or without a BOM,
    ``,``, ``;`` or a tab between the columns (read from the header line), Excel's
    ``sep=;`` hint as the first line, column names in any case and order with spaces
    around them (``Doc_ID``, ``Doc ID``), empty columns and empty rows.

    Parameters
    ----------
    path : Path
        The table.
    problems : list of Problem, optional
        Where a row with a bad date is reported (its date left blank); without it, it raises.

    Returns
    -------
    dict
        doc_id → ``{"date", "outlet", "url", "title"}`` (``None`` where blank; dates as
        ``YYYY-MM-DD``).

    Raises
    ------
    CorpusError
        Naming the file and line (lines of the file, a ``sep=`` line counted): no
        ``doc_id`` column, unknown or repeated columns, a value in a column without a
        name, an empty or repeated ``doc_id``, a bad date (when ``problems`` is None).
    """
    delimiter, text, before = spreadsheet_csv(read_text(path))  # before: lines before the header
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns = _metadata_columns(next(reader, []), f"{path}, line {before + 1}", delimiter)
    out: dict[str, dict[str, str | None]] = {}
    line_num = reader.line_num
    for cells in reader:
        lineno, line_num = before + line_num + 1, reader.line_num  # where the row starts
        row: dict[str, str] = {}
        for i, value in enumerate(cells):
            value = value.strip()
            field = columns[i] if i < len(columns) else None
            if field:
                row[field] = value
            elif value:
                raise CorpusError(
                    f"{path}, line {lineno}: value {value!r} in column {i + 1}, which has no header; "
                    f"name the column in line {before + 1} or delete the value"
                )
        if not any(row.values()):
            continue  # an empty row, as spreadsheets leave at the end
        doc_id = row.get("doc_id", "")
        if not doc_id:
            raise CorpusError(
                f"{path}, line {lineno}: empty doc_id; every row needs the file name without its extension"
            )
        if doc_id in out:
            raise CorpusError(
                f"{path}, line {lineno}: doc_id {doc_id!r} appears twice; keep one row per document"
            )
        try:
            date = check_date(row.get("date", ""), f"{path}, line {lineno}, doc_id {doc_id!r}")
        except CorpusError as exc:
            if problems is None:
                raise
            problems.append(Problem(str(path), f"{str(exc)[len(str(path)):].lstrip(', ')}; the date is left "
                                               "blank (the text's own date is used when it gives one)"))
            date = None
        out[doc_id] = {
            "date": date,
            "outlet": row.get("outlet") or None,
            "url": row.get("url") or None,
            "title": row.get("title") or None,
        }
    return out


# --- loading ------------------------------------------------------------------------


def _collect(paths: Sequence[Path]) -> tuple[list[Found], list[Path], list[Trouble]]:
    """Text files (where they were found and which file each is), metadata tables, and
    what could not be loaded (see :mod:`workbench.walk`)."""
    files: list[Found] = []
    tables: list[Path] = []
    troubles: list[Trouble] = []
    for p in paths:
        if not p.exists() and not p.is_symlink():
            raise CorpusError(f"{p}: no such file or folder; check the path (relative paths start at "
                              f"{Path.cwd()})")
        if p.is_dir():
            found, trouble = find_files(p, suffixes=TEXT_SUFFIXES, names=(METADATA_FILE,))
            texts = [f for f in found if f.path.name != METADATA_FILE]
            if not texts and not any(t.error for t in trouble):
                raise CorpusError(f"{p}: folder has no text files (*.txt, *.md); put the articles there or "
                                  "name the files")
            files.extend(texts)
            tables.extend(f.path for f in found if f.path.name == METADATA_FILE)
            troubles.extend(trouble)
        else:
            if p.suffix.lower() not in TEXT_SUFFIXES:
                raise CorpusError(f"{p}: not a text file (*.txt, *.md); convert it to UTF-8 text first")
            problem = check_regular_file(p)
            if problem:
                troubles.append(Trouble(p, problem, True))
                continue
            files.append(Found(p, p.parent, Path(os.path.realpath(p)), p.is_symlink()))
            t = p.parent / METADATA_FILE
            if t.is_file() and t not in tables:
                tables.append(t)
    return files, tables, troubles


def _unique_ids(files: list[Found]) -> list[str]:
    """Document ids for distinct files: the rule is in :func:`load_corpus`'s docstring."""
    resolved = [f.real for f in files]
    try:
        common: Path | None = Path(os.path.commonpath([f.root.resolve() for f in files]))
    except ValueError:  # different drives
        common = None

    def depth(k: int) -> int:
        f, root = files[k].path, files[k].root
        return len(f.relative_to(root).parts) - 1 if f.is_relative_to(root) else 0

    def where(k: int) -> str:
        if common is not None and resolved[k].is_relative_to(common):
            return resolved[k].relative_to(common).as_posix()
        return resolved[k].as_posix()

    ids = [""] * len(files)
    owner: dict[str, int] = {}  # id -> the file that has it
    stems: set[str] = set()
    for k in sorted(range(len(files)), key=lambda k: (depth(k), resolved[k].as_posix())):
        stem = files[k].real.stem  # a link's own name never becomes the id
        doc_id = stem if stem not in stems else f"{stem}-{hashlib.sha1(where(k).encode()).hexdigest()[:6]}"
        stems.add(stem)
        if doc_id in owner:
            raise CorpusError(
                f"{files[owner[doc_id]].path} and {files[k].path} would both get doc_id {doc_id!r}; "
                "rename one of the files"
            )
        owner[doc_id] = k
        ids[k] = doc_id
    return ids


def _skipped(path: Path, error: CorpusError) -> Problem:
    """The problem reported for a file skipped because of ``error`` (which names it)."""
    message = str(error)
    if message.startswith(str(path)):
        message = message[len(str(path)):].lstrip(",: ")
    return Problem(str(path), f"skipped: {message}")


class _Read(NamedTuple):
    """A file read and screened, to be built into a document (:func:`build_document`)."""

    path: Path
    doc_id: str
    text: str
    date: str | None
    outlet: str | None
    url: str | None
    title: str | None
    problems: list[Problem]  #: what screening the text found (also in the corpus's problems)

    def document(self) -> Document:
        doc = build_document(self.doc_id, self.text, path=str(self.path), date=self.date, outlet=self.outlet,
                             url=self.url, metadata_title=self.title)
        doc.problems.extend(self.problems)
        return doc


def _read_file(f: Path, doc_id: str, metadata: dict[str, str | None], meta_source: Path,
               problems: list[Problem], *, on_error: str, allow_visual_order: bool) -> _Read | None:
    """One file read, or None when it is skipped (the reason added to ``problems``)."""
    front: dict[str, str] = {}
    try:
        text = read_text(f)
        first_line = 1
        if f.suffix.lower() == ".md":
            front, rest = split_front_matter(text, f)
            first_line += text.count("\n") - rest.count("\n")
            text = rest
    except CorpusError as exc:
        if on_error == "raise":
            raise
        problems.append(_skipped(f, exc))
        return None
    if not text.strip(_text.BLANK_CHARACTERS):
        problems.append(Problem(str(f), "skipped: the file is empty or only white space"))
        return None
    found = screen(text, first_line=first_line)
    if found.visual_order and not allow_visual_order:
        problems.append(Problem(str(f), f"skipped: {found.visual_order}; re-extract the text in logical "
                                        "order (or load with allow_visual_order=True to keep it as it is)"))
        return None
    meta = dict(metadata)
    for key in _FRONT_KEYS:
        if front.get(key):
            meta[key] = front[key]
    date = check_date(meta.get("date") or "", f"{meta_source}, doc_id {doc_id!r}")
    noted = [Problem(str(f), note) for note in [found.visual_order, *found.notes] if note]
    problems.extend(noted)
    return _Read(f, doc_id, text, date, meta.get("outlet"), meta.get("url"), meta.get("title"), noted)


def _trouble_problems(troubles: Sequence[Trouble], *, on_error: str) -> list[Problem]:
    """What the folder walk could not load, as problems (or the first error, raised)."""
    problems = []
    for trouble in troubles:
        if trouble.error and on_error == "raise":
            raise CorpusError(f"{trouble.path}: {trouble.message}")
        message = f"skipped: {trouble.message}" if trouble.error else trouble.message
        problems.append(Problem(str(trouble.path), message))
    return problems


def load_corpus(
    path_or_paths: str | Path | Iterable[str | Path],
    *,
    on_error: str = "raise",
    allow_visual_order: bool = False,
    near_duplicates: float | None = 0.8,
) -> Corpus:
    """Load Arabic articles from a file, a folder (recursively) or a list of paths.

    Folders are searched for ``*.txt`` and ``*.md``; a ``metadata.csv`` beside the files
    (columns ``doc_id, date, outlet, url, title``) or a front-matter block at the top of
    a ``.md`` file adds each document's date, outlet, url and title.

    Links to folders are followed once (see :mod:`workbench.walk`). A file named twice
    (a folder and a file inside it, a link and its target) is loaded once. Its ``doc_id``
    is the file name without its extension (of a link's target, never of the link);
    files sharing a name get ``{stem}-{h}`` by a rule that never moves an id to another
    file (docs/corpus.md). Two files that would still get one id are refused.

    Parameters
    ----------
    path_or_paths : str, Path or iterable of them
        What to load.
    on_error : {"raise", "report"}, default "raise"
        What to do with a file or folder that cannot be read (no permission, a named
        pipe, a link to nothing, not UTF-8, a ``.md`` file with a bad front-matter
        block): stop with an error, or skip it and list it in ``corpus.problems``
        (naming the file and line), so one bad file does not stop a folder of hundreds.
    allow_visual_order : bool, default False
        Keep documents that look like visual-order text pasted from a PDF (presentation
        forms, or plain letters whose words read backwards; see
        :mod:`workbench.screening`). By default they are left out and reported.
    near_duplicates : float or None, default 0.8
        Report an article sharing this share of its word 3-shingles with another (posted
        twice; :func:`workbench.reuse.near_duplicate_pairs`), keeping both; None: no check.

    Returns
    -------
    Corpus
        The documents in path order, and ``problems``: what was skipped or looks wrong,
        each naming its file (the list is in docs/corpus.md).

    Raises
    ------
    CorpusError
        A missing path, a folder without text files, an unreadable file or folder
        (with ``on_error="raise"``), a bad metadata table or front matter, two files
        that would get the same doc_id.
    """
    check_choice("on_error", on_error, _ON_ERROR)
    single = isinstance(path_or_paths, (str, Path))
    paths = [Path(path_or_paths)] if single else [Path(p) for p in path_or_paths]
    if not paths:
        raise CorpusError("no paths given; name a file or a folder of articles")
    files, tables, troubles = _collect(paths)
    problems = _trouble_problems(troubles, on_error=on_error)
    files = drop_repeats(files)
    doc_ids = _unique_ids(files)
    metadata: dict[str, dict[str, str | None]] = {}
    meta_source: dict[str, Path] = {}
    for t in tables:
        for doc_id, values in read_metadata(t, problems=problems).items():
            metadata[doc_id] = values
            meta_source[doc_id] = t
    read: list[_Read] = []
    with collector_paused():
        for f, doc_id in zip((found.path for found in files), doc_ids, strict=True):
            one = _read_file(f, doc_id, metadata.get(doc_id, {}), meta_source.get(doc_id, f), problems,
                             on_error=on_error, allow_visual_order=allow_visual_order)
            if one is not None:
                read.append(one)
    # near duplicates are found before the texts are split: the check's memory is free again for it
    pairs = _near_duplicate_pairs(read, near_duplicates) if near_duplicates and len(read) > 1 else []
    with collector_paused():
        documents = [one.document() for one in read]
    problems += _unmatched_metadata(metadata, meta_source, documents, files)
    problems += _near_duplicate_problems(documents, near_duplicates, pairs) if pairs else []
    return Corpus(documents, problems)


def _unmatched_metadata(metadata: dict[str, dict[str, str | None]], meta_source: dict[str, Path],
                        documents: list[Document], files: list[Found]) -> list[Problem]:
    """A problem for each metadata row that names no loaded file (and no skipped one)."""
    found: list[Problem] = []
    loaded = {d.doc_id for d in documents}
    for doc_id in sorted(set(metadata) - loaded):
        if any(f.real.stem == doc_id for f in files):
            continue  # its file was skipped and is reported already
        found.append(Problem(str(meta_source[doc_id]), f"doc_id {doc_id!r} matches no loaded file; check "
                             "the spelling (file name without extension)"))
    return found


def _near_duplicate_pairs(read: list[_Read], threshold: float) -> list[tuple[str, str, float]]:
    """The near-duplicate pairs of the texts read (in the order of their doc_ids)."""
    from .near_duplicates import near_duplicate_pairs
    return near_duplicate_pairs({one.doc_id: one.text for one in read}, threshold=threshold)


def _near_duplicate_problems(documents: list[Document], threshold: float,
                             pairs: list[tuple[str, str, float]]) -> list[Problem]:
    """A problem on the later article of each near-duplicate pair (also in its ``problems``)."""
    from .near_duplicates import near_duplicate_notes

    found = []
    for document, message in near_duplicate_notes(documents, threshold=threshold, pairs=pairs):
        problem = Problem(document.path, message)
        document.problems.append(problem)
        found.append(problem)
    return found
