"""Annotating a corpus in pieces: records to documents, a piece at a time, and the pieces'
tables put back together in order.

The Dask path (``workbench.scale``, and :func:`workbench.annotate.annotate` given a Dask
bag) runs the single-process annotator on each piece; it is passed in as ``annotate``, so
that this module needs nothing of ``annotate.py``. Every document is annotated on its
own (nothing in the annotation looks across documents), so where the pieces are cut
does not change the result.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .codebook import Codebook, load_codebook
from .corpus import Corpus, Document, Paragraph, Sentence, build_document, check_date, clean_text

if TYPE_CHECKING:  # pragma: no cover
    import dask.bag
    import pandas as pd

    from .annotate import Annotations

__all__ = [
    "OWN_SENTENCE_COLUMNS", "Packed", "Piece", "RECORD_METADATA", "annotate_packed", "annotate_records",
    "as_document", "chunks", "gather", "load", "pack", "pack_partition", "run_bag", "unpack",
]

#: Metadata a ``(doc_id, text, metadata)`` record may carry, with what each means.
RECORD_METADATA = {
    "path": "where the text came from",
    "date": "publication date, YYYY-MM-DD (resolves dated role titles)",
    "outlet": "the outlet",
    "url": "the article's address",
    "title": "a title that overrides paragraph 0",
}
DASK_MISSING = (
    "the Dask path needs dask and distributed; install them with "
    "pip install 'workbench[dask]' (or: uv sync --extra dask)"
)
#: The single-process annotator: ``annotate(corpus, *, codebook, progress) -> Annotations``.
Annotate = Callable[..., "Annotations"]


def as_document(item: Any) -> Document:
    """Turn one element of a bag into a :class:`~workbench.corpus.Document`.

    Parameters
    ----------
    item : Document, tuple or dict
        A ``Document``; a ``(doc_id, text)`` or ``(doc_id, text, metadata)`` record with
        ``metadata`` a dict of :data:`RECORD_METADATA` keys; or a dict with ``doc_id``,
        ``text`` and any of those keys (the rows of ``dask_dataframe.to_bag(format="dict")``).

    Returns
    -------
    Document
        Built with :func:`workbench.corpus.build_document`, exactly as
        :func:`workbench.corpus.load_corpus` builds a file's document.

    Raises
    ------
    TypeError
        An element of another shape.
    ValueError
        An unknown metadata key or a bad date, naming the document.
    """
    if isinstance(item, Document):
        return item
    if isinstance(item, Mapping):
        meta = {k: v for k, v in item.items() if k not in ("doc_id", "text")}
        try:
            doc_id, text = item["doc_id"], item["text"]
        except KeyError as exc:
            raise TypeError(
                f"a document record needs 'doc_id' and 'text'; this one has no {exc.args[0]!r}"
            ) from None
    elif isinstance(item, (tuple, list)) and len(item) in (2, 3):
        doc_id, text = item[0], item[1]
        meta = dict(item[2] or {}) if len(item) == 3 else {}
    else:
        raise TypeError(
            f"cannot annotate a bag element of type {type(item).__name__}; elements must be "
            "workbench Documents, (doc_id, text) or (doc_id, text, metadata) tuples, or dicts "
            "with 'doc_id' and 'text'"
        )
    if not isinstance(doc_id, str) or not isinstance(text, str):
        raise TypeError(f"document record {doc_id!r}: doc_id and text must be str, not "
                        f"{type(doc_id).__name__} and {type(text).__name__}")
    unknown = sorted(set(meta) - set(RECORD_METADATA))
    if unknown:
        raise ValueError(
            f"document {doc_id!r}: unknown metadata key(s) {', '.join(map(repr, unknown))}; "
            f"keys may be {', '.join(RECORD_METADATA)}"
        )
    clean = {k: (str(v) if v not in (None, "") else None) for k, v in meta.items()}
    date = check_date(clean.get("date") or "", f"document {doc_id!r}")
    return build_document(
        doc_id, clean_text(text), path=clean.get("path") or "", date=date, outlet=clean.get("outlet"),
        url=clean.get("url"), metadata_title=clean.get("title"),
    )


def load(codebook: Codebook | str | os.PathLike | None) -> Codebook:
    """The codebook itself, or the one loaded from a path (the default one for None)."""
    return codebook if isinstance(codebook, Codebook) else load_codebook(codebook)


_DOCUMENT = [f.name for f in dataclasses.fields(Document)]
#: The fields :func:`pack` knows how to pack; a document whose parts have others is sent whole.
_PACKED = {
    Paragraph: ("doc_id", "paragraph", "start", "end", "text"),
    Sentence: ("doc_id", "paragraph", "sentence", "sentence_id", "start", "end", "text"),
}
_KNOWN = all(tuple(cls.__annotations__) == names for cls, names in _PACKED.items())
#: The document's own fields, sent as one list each (its parts go column by column).
_FIELDS = [n for n in _DOCUMENT if n not in ("paragraphs", "sentences")]


def _columns(items: Sequence[Any], names: Sequence[str]) -> list[tuple]:
    """``[tuple of each item's first field, tuple of the second, …]``, read in C."""
    from operator import attrgetter

    return [tuple(map(attrgetter(n), items)) for n in names]


def _repeated(values: Sequence[Any], counts: Sequence[int]) -> list[Any]:
    """Each value as many times as its count says, in order."""
    from itertools import chain, repeat

    return list(chain.from_iterable(map(repeat, values, counts)))


def _slices(texts: Sequence[str], starts: Sequence[int], ends: Sequence[int]) -> list[str]:
    """``texts[k][starts[k]:ends[k]]`` for every ``k``, cut in C."""
    from operator import getitem

    return list(map(getitem, texts, map(slice, starts, ends)))


def _own_texts(doc_texts: Sequence[str], texts: Sequence[str], starts: Sequence[int],
               ends: Sequence[int]) -> dict[int, str]:
    """The parts' texts that are not their slice ``doc_texts[k][starts[k]:ends[k]]``, by
    position (compared in place, in C, without cutting the slices)."""
    from itertools import compress
    from operator import and_, eq, not_, sub

    if texts and min(starts) < 0:  # a slice from the end: compare the slices themselves
        same = map(eq, texts, _slices(doc_texts, starts, ends))
    else:
        same = map(and_, map(str.startswith, doc_texts, texts, starts),
                   map(eq, map(len, texts), map(sub, ends, starts)))
    return {k: texts[k] for k in compress(range(len(texts)), map(not_, same))}


@dataclasses.dataclass
class Packed:
    """A partition as it travels: the payload, and the sentence columns it was read from.

    ``sentences`` holds the sentences' own fields (``doc_id, paragraph, sentence,
    sentence_id, start, end, text``) as one tuple each, in corpus order, for every
    document of the partition (``None`` when sentences have fields the packer does not
    know): the client builds the result's sentence columns from them instead of having
    them sent back.
    """

    payload: bytes
    sentences: dict[str, tuple] | None
    count: int


def _read(docs: list[Document]) -> tuple[dict[str, tuple], dict[str, tuple[list[int], dict[str, tuple]]]]:
    """The documents' own fields, and each kind of part's counts per document and columns."""
    from itertools import chain
    from operator import attrgetter

    doc_columns = dict(zip(_FIELDS, _columns(docs, _FIELDS), strict=True))
    parts = {}
    for name, kind in (("paragraphs", Paragraph), ("sentences", Sentence)):
        groups = list(map(attrgetter(name), docs))
        flat = list(chain.from_iterable(groups))
        parts[name] = (list(map(len, groups)), dict(zip(_PACKED[kind], _columns(flat, _PACKED[kind]),
                                                        strict=True)))
    return doc_columns, parts


def _own_parts(doc_columns: dict[str, tuple], parts: dict) -> bool:
    """Whether every paragraph and sentence names the document it is in."""
    return all(cols["doc_id"] == tuple(_repeated(doc_columns["doc_id"], counts))
               for counts, cols in parts.values())


def _split(docs: list[Document]) -> tuple[list[Document], dict[int, Document]]:
    """The documents whose parts go column by column, and those sent whole (by position)."""
    whole = {i: d for i, d in enumerate(docs) if any(p.doc_id != d.doc_id for p in d.paragraphs)
             or any(s.doc_id != d.doc_id for s in d.sentences)}
    return [d for i, d in enumerate(docs) if i not in whole], whole


def pack_partition(documents: Iterable[Document]) -> Packed:
    """Documents as one compact payload for a worker (:func:`unpack` gives them back, equal).

    The documents' fields travel as one list each, their paragraphs' and sentences'
    numbers and ids as one tuple per field for the whole partition, and a part's text
    only where it is not its slice of the document's text: nothing is split again on the
    worker, the payload is about the size of the texts, and a Dask task given one
    ``bytes`` object does not walk it as it walks a list of records. Everything is read
    and cut in C (``attrgetter``, ``zip``, ``map``), not in a loop per sentence. A
    document with parts of another shape, or naming another document, goes whole.
    """
    import pickle

    from .collector import collector_paused

    docs = list(documents)
    with collector_paused():
        regular, whole = (docs, {}) if _KNOWN else ([], dict(enumerate(docs)))
        doc_columns, parts = _read(regular)
        if not _own_parts(doc_columns, parts):
            regular, whole = _split(docs)
            doc_columns, parts = _read(regular)
        sent = {}
        for name, (counts, cols) in parts.items():
            own = _own_texts(_repeated(doc_columns["text"], counts), cols["text"], cols["start"], cols["end"])
            sent[name] = (counts, {k: v for k, v in cols.items() if k not in ("doc_id", "text")}, own)
        columns = parts["sentences"][1] if not whole else _read(docs)[1]["sentences"][1] if _KNOWN else None
        body = (len(docs), doc_columns, sent, whole, columns is not None)
        payload = pickle.dumps(body, protocol=pickle.HIGHEST_PROTOCOL)
    return Packed(payload, columns, len(docs))


def pack(documents: Iterable[Document]) -> bytes:
    """Documents as one compact payload (see :func:`pack_partition`)."""
    return pack_partition(documents).payload


def _build(kind: type, doc_ids: list[str], numbers: dict[str, tuple], texts: list[str]) -> list[Any]:
    """``kind`` tuples (Paragraph, Sentence) made at once from their columns, every field given."""
    values = {"doc_id": doc_ids, "text": texts, **numbers}
    return list(map(kind, *(values[n] for n in _PACKED[kind])))


def _grouped(objects: list[Any], counts: Sequence[int]) -> list[list[Any]]:
    from itertools import islice

    it = iter(objects)
    return [list(islice(it, n)) for n in counts]


def unpack(payload: bytes) -> list[Document]:
    """The documents :func:`pack` packed, equal to them field for field."""
    return _unpacked(payload)[0]


def _unpacked(payload: bytes) -> tuple[list[Document], bool]:
    """The documents, and whether the client that packed them kept their sentences' columns."""
    import pickle

    from .collector import collector_paused

    with collector_paused():
        count, doc_columns, parts, whole, kept = pickle.loads(payload)
        texts = doc_columns["text"]
        built = {}
        for name, kind in (("paragraphs", Paragraph), ("sentences", Sentence)):
            counts, numbers, own = parts[name]
            cut = _slices(_repeated(texts, counts), numbers["start"], numbers["end"])
            for k, text in own.items():
                cut[k] = text
            parts_of = _build(kind, _repeated(doc_columns["doc_id"], counts), numbers, cut)
            built[name] = _grouped(parts_of, counts)
        rows = zip(*doc_columns.values(), built["paragraphs"], built["sentences"], strict=True)
        names = [*doc_columns, "paragraphs", "sentences"]
        regular = iter([Document(**dict(zip(names, row, strict=True))) for row in rows])
        return [whole[i] if i in whole else next(regular) for i in range(count)], kept


def annotate_records(items: Iterable[Any], codebook: Codebook,
                     annotate: Annotate) -> list[tuple[type, dict[str, pd.DataFrame]]]:
    """Annotate one piece: ``[(the result's class, its tables)]`` (a one-element list, so
    that a bag keeps it whole; the codebook and corpus are not sent back)."""
    ann = annotate(Corpus(as_document(item) for item in items), codebook=codebook, progress=False)
    tables = {
        f.name: getattr(ann, f.name) for f in dataclasses.fields(ann) if f.name not in ("codebook", "corpus")
    }
    return [(type(ann), tables)]


def _concat(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Stack the pieces' tables in order; empty pieces do not change the dtypes."""
    import pandas as pd

    full = [f for f in frames if len(f)]
    if not full:
        return frames[0].iloc[0:0].reset_index(drop=True)
    if len(full) == 1:
        return full[0].reset_index(drop=True)
    return pd.concat(full, ignore_index=True)


#: The sentence columns that are the sentence's own fields: the client has them already
#: (read when it packed the partition), so a worker does not send them back.
OWN_SENTENCE_COLUMNS = _PACKED[Sentence]
#: What a worker sends back for one piece: the result's class, its tables, and for a
#: ``sentences`` table sent without the columns the client has, their order and dtypes.
Piece = tuple[type, dict[str, "pd.DataFrame"], "dict[str, Any] | None"]


def annotate_packed(payload: bytes, codebook: Codebook, annotate: Annotate) -> list[Piece]:
    """Annotate one partition :func:`pack` packed, on a worker: its tables, the sentences
    without :data:`OWN_SENTENCE_COLUMNS` (the client puts them back, :func:`gather`)."""
    from operator import attrgetter

    documents, kept = _unpacked(payload)
    ((cls, tables),) = annotate_records(documents, codebook, annotate)
    sentences = tables["sentences"]
    count = sum(map(len, map(attrgetter("sentences"), documents)))
    own = [c for c in sentences.columns if c in OWN_SENTENCE_COLUMNS]
    if not kept or not count or len(sentences) != count or len(own) != len(
            OWN_SENTENCE_COLUMNS):
        return [(cls, tables, None)]  # not one row per sentence: sent as it is
    tables["sentences"] = sentences.drop(columns=own)
    return [(cls, tables, {"order": list(sentences.columns), "dtypes": sentences.dtypes[own].to_dict()})]


def _with_own(added: pd.DataFrame, columns: Sequence[dict[str, tuple]], spec: dict[str, Any]) -> pd.DataFrame:
    """A sentences table: the columns the client read when packing beside the workers' ones."""
    from itertools import chain

    import pandas as pd

    data = {c: pd.Series(list(chain.from_iterable(cols[c] for cols in columns)), dtype=dtype)
            for c, dtype in spec["dtypes"].items()}
    data.update((c, added[c]) for c in added.columns)
    return pd.DataFrame({c: data[c] for c in spec["order"]}, copy=False)


def _sentences(pieces: Sequence[Piece], columns: Sequence[dict[str, tuple] | None]) -> pd.DataFrame:
    """The pieces' sentences tables in order, with the columns they were sent without."""
    sent = [(p[1]["sentences"], p[2] if len(p) > 2 else None, cols)
            for p, cols in zip(pieces, columns, strict=True)]
    specs = [spec for _, spec, _ in sent if spec is not None]
    if all(spec is not None or not len(f) for f, spec, _ in sent) and all(s == specs[0] for s in specs):
        trimmed = [(f, cols) for f, spec, cols in sent if spec is not None]  # one table built at once
        return _with_own(_concat([f for f, _ in trimmed]), [cols for _, cols in trimmed], specs[0])
    return _concat([f if spec is None else _with_own(f, [cols], spec) for f, spec, cols in sent])


def gather(results: Sequence[tuple], codebook: Codebook, annotate: Annotate,
           sentence_columns: Sequence[dict[str, tuple] | None] | None = None) -> Annotations:
    """One ``Annotations`` from the pieces' tables, in piece order (``corpus`` None).

    ``results`` are ``(class, tables)`` pairs, or :data:`Piece` triples from
    :func:`annotate_packed` with ``sentence_columns`` the ``Packed.sentences`` of each
    piece, put back beside the columns the workers sent.
    """
    from .collector import collector_paused

    results = results or annotate_records([], codebook, annotate)  # no pieces at all
    cls, first = results[0][0], results[0][1]
    with collector_paused():
        tables = {name: _concat([r[1][name] for r in results]) for name in first if name != "sentences"}
        if any(len(r) > 2 and r[2] is not None for r in results):
            tables["sentences"] = _sentences(results, sentence_columns)
        else:
            tables["sentences"] = _concat([r[1]["sentences"] for r in results])
    return cls(codebook=codebook, **{name: tables[name] for name in first})


def chunks(documents: Sequence[Document], pieces: int) -> list[list[Document]]:
    """``documents`` cut into ``pieces`` runs of nearly equal length, in order."""
    pieces = max(1, min(pieces, len(documents)))
    size, extra = divmod(len(documents), pieces)
    out, at = [], 0
    for i in range(pieces):
        n = size + (i < extra)
        out.append(list(documents[at:at + n]))
        at += n
    return out


def run_bag(bag: dask.bag.Bag, *, codebook: Codebook | str | os.PathLike | None, annotate: Annotate,
            scheduler: Any = None) -> Annotations:
    """Annotate a Dask bag piece by piece (see :func:`workbench.scale.annotate_bag`)."""
    try:
        import dask
    except ImportError:  # pragma: no cover - dask is installed in the dev environment
        raise ImportError(DASK_MISSING) from None
    cb = load(codebook)
    parts = bag.map_partitions(annotate_records, dask.delayed(cb, pure=True), annotate)
    kwargs = {} if scheduler is None else {"scheduler": scheduler}
    return gather(parts.compute(**kwargs), cb, annotate)
