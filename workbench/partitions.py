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
    "RECORD_METADATA", "annotate_records", "as_document", "chunks", "gather", "load", "pack", "run_bag",
    "unpack",
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


def _packed(d: Document) -> tuple | Document:
    """One document as a tuple (its parts as numbers, ids and the text where it is not the
    document's slice), or the document itself when its parts cannot be packed so."""
    text, doc_id = d.text, d.doc_id
    if not _KNOWN or any(p.doc_id != doc_id for p in d.paragraphs) or any(
            s.doc_id != doc_id for s in d.sentences):
        return d
    paragraphs = [(p.paragraph, p.start, p.end, None if text[p.start:p.end] == p.text else p.text)
                  for p in d.paragraphs]
    sentences = [(s.paragraph, s.sentence, s.sentence_id, s.start, s.end,
                  None if text[s.start:s.end] == s.text else s.text) for s in d.sentences]
    return tuple(paragraphs if n == "paragraphs" else sentences if n == "sentences" else getattr(d, n)
                 for n in _DOCUMENT)


def pack(documents: Iterable[Document]) -> bytes:
    """Documents as one compact payload for a worker (:func:`unpack` gives them back, equal).

    A paragraph or sentence travels as a tuple of its numbers and id, without its text
    where that is its slice of the document's text: nothing is split again on the worker,
    the payload is about the size of the texts, and a Dask task given one ``bytes`` object
    does not walk it as it walks a list of records.
    """
    import pickle

    return pickle.dumps([_packed(d) for d in documents], protocol=pickle.HIGHEST_PROTOCOL)


def unpack(payload: bytes) -> list[Document]:
    """The documents :func:`pack` packed, equal to them field for field."""
    import pickle

    docs = []
    for row in pickle.loads(payload):
        if isinstance(row, Document):
            docs.append(row)
            continue
        values = dict(zip(_DOCUMENT, row, strict=True))
        doc_id, text = values["doc_id"], values["text"]
        paragraphs = [Paragraph(doc_id, para, start, end, text[start:end] if own is None else own)
                      for para, start, end, own in values["paragraphs"]]
        sentences = [Sentence(doc_id, para, k, sid, start, end, text[start:end] if own is None else own)
                     for para, k, sid, start, end, own in values["sentences"]]
        values["paragraphs"], values["sentences"] = paragraphs, sentences
        docs.append(Document(**values))
    return docs


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


def gather(results: list[tuple[type, dict[str, pd.DataFrame]]], codebook: Codebook,
           annotate: Annotate) -> Annotations:
    """One ``Annotations`` from the pieces' tables, in piece order (``corpus`` None)."""
    results = results or annotate_records([], codebook, annotate)  # no pieces at all
    cls, first = results[0]
    return cls(codebook=codebook, **{name: _concat([r[1][name] for r in results]) for name in first})


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
