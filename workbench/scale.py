"""The Dask path: annotate a corpus too large for one process on a Dask cluster.

The single-process annotator (:func:`workbench.annotate.annotate`) runs unchanged on each
partition of a Dask bag; the partitions' tables are gathered, in partition order, into
one :class:`workbench.annotate.Annotations` — the same rows, in the same order, with the
same values as annotating the whole corpus in one process. Every document is annotated
on its own (nothing in the annotation looks across documents), so where the partition
boundaries fall does not matter.

::

    import dask.bag as db
    import workbench as wb
    from workbench.scale import annotate_bag, annotate_on_cluster

    ann = annotate_on_cluster("articles/", address_or_client="tcp://scheduler:8786")

    records = db.from_sequence([(doc_id, text, {"date": "2021-12-07"}), ...], npartitions=64)
    ann = annotate_bag(records)

Dask is an optional extra (``pip install 'workbench[dask]'``); it is imported only here,
inside the functions.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .corpus import Corpus, Document, build_document, check_date, clean_text

if TYPE_CHECKING:  # pragma: no cover
    import dask.bag
    import distributed
    import pandas as pd

    from .annotate import Annotations
    from .codebook import Codebook

__all__ = ["annotate_bag", "annotate_on_cluster", "as_document", "RECORD_METADATA"]

#: Metadata a ``(doc_id, text, metadata)`` record may carry, with what each means.
RECORD_METADATA = {
    "path": "where the text came from",
    "date": "publication date, YYYY-MM-DD (resolves dated role titles)",
    "outlet": "the outlet",
    "url": "the article's address",
    "title": "a title that overrides paragraph 0",
}
_DASK_MISSING = (
    "the Dask path needs dask and distributed; install them with "
    "pip install 'workbench[dask]' (or: uv sync --extra dask)"
)


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
            raise TypeError(f"a document record needs 'doc_id' and 'text'; this one has no {exc.args[0]!r}") from None
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


def _tables() -> list[str]:
    """The DataFrame fields of ``Annotations`` (every field but the codebook and corpus)."""
    from dataclasses import fields

    from .annotate import Annotations

    return [f.name for f in fields(Annotations) if f.name not in ("codebook", "corpus")]


def _annotate_partition(items: Iterable[Any], codebook: "Codebook") -> list[dict[str, "pd.DataFrame"]]:
    """Annotate one partition; a one-element list so that the bag keeps it whole."""
    from .annotate import annotate

    corpus = Corpus(as_document(item) for item in items)
    ann = annotate(corpus, codebook=codebook, progress=False)
    return [{name: getattr(ann, name) for name in _tables()}]


def _concat(frames: Sequence["pd.DataFrame"]) -> "pd.DataFrame":
    """Stack partition tables in order; empty partitions do not change the dtypes."""
    import pandas as pd

    full = [f for f in frames if len(f)]
    if not full:
        return frames[0].iloc[0:0].reset_index(drop=True)
    if len(full) == 1:
        return full[0].reset_index(drop=True)
    return pd.concat(full, ignore_index=True)


def _load(codebook: "Codebook | str | os.PathLike | None") -> "Codebook":
    from .codebook import Codebook, load_codebook

    return codebook if isinstance(codebook, Codebook) else load_codebook(codebook)


def annotate_bag(
    bag: "dask.bag.Bag",
    *,
    codebook: "Codebook | str | os.PathLike | None" = None,
    scheduler: Any = None,
) -> "Annotations":
    """Annotate a Dask bag of documents, partition by partition, with the usual annotator.

    Parameters
    ----------
    bag : dask.bag.Bag
        Elements are :class:`~workbench.corpus.Document` objects, ``(doc_id, text)`` or
        ``(doc_id, text, metadata)`` records, or dicts with ``doc_id``, ``text`` and
        metadata keys (see :func:`as_document`; a Dask DataFrame with those columns
        becomes such a bag with ``ddf.to_bag(format="dict")``). ``doc_id`` must be unique.
    codebook : Codebook, str or path-like, optional
        The codebook (default: the default codebook). It is loaded once, here, and sent
        to each worker once.
    scheduler : optional
        Passed to ``dask.compute``: a ``distributed.Client``, ``"processes"``,
        ``"threads"``, ``"sync"``, … (default: the active client, else Dask's default
        for bags).

    Returns
    -------
    Annotations
        As :func:`workbench.annotate.annotate` returns for the same documents in bag
        order: its tables (``sentences``, ``mentions``, ``documents``, ``quotes``) with a
        fresh ``RangeIndex``, and ``codebook``.
    """
    try:
        import dask
    except ImportError:  # pragma: no cover - dask is installed in the dev environment
        raise ImportError(_DASK_MISSING) from None
    cb = _load(codebook)
    parts = bag.map_partitions(_annotate_partition, dask.delayed(cb, pure=True))
    kwargs = {} if scheduler is None else {"scheduler": scheduler}
    return _gather(parts.compute(**kwargs), cb)


def _gather(results: list[dict[str, "pd.DataFrame"]], codebook: "Codebook") -> "Annotations":
    """One ``Annotations`` from the partitions' tables, in partition order."""
    from .annotate import Annotations

    if not results:  # no partitions at all
        results = _annotate_partition([], codebook)
    tables = {name: _concat([r[name] for r in results]) for name in _tables()}
    return Annotations(codebook=codebook, **tables)


def annotate_on_cluster(
    corpus: "Corpus | Iterable[Document] | str | os.PathLike | Sequence[str | os.PathLike]",
    *,
    address_or_client: "str | distributed.Client",
    partitions: int | None = None,
    codebook: "Codebook | str | os.PathLike | None" = None,
    timeout: float = 30.0,
) -> "Annotations":
    """Annotate a corpus on a Dask cluster; the result equals :func:`~workbench.annotate.annotate`'s.

    Parameters
    ----------
    corpus : Corpus, iterable of Document, or path(s)
        The documents; paths are loaded here with :func:`workbench.corpus.load_corpus`
        (so the workers need not see the files).
    address_or_client : str or distributed.Client
        The scheduler's address (``"tcp://10.0.0.5:8786"``) or a connected client. A
        client made from an address is closed afterwards; a client passed in is not.
    partitions : int, optional
        How many pieces to cut the corpus into (default: four per worker thread, at
        most one per document).
    codebook : Codebook, str or path-like, optional
        The codebook (default: the default codebook).
    timeout : float, default 30.0
        Seconds to wait for the scheduler at ``address_or_client``.

    Returns
    -------
    Annotations
        ``sentences``, ``mentions``, ``documents``, ``quotes`` (in corpus order) and
        ``codebook``.

    Raises
    ------
    ValueError
        ``partitions`` below 1.
    OSError
        The scheduler cannot be reached (the message names the address).
    """
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover
        raise ImportError(_DASK_MISSING) from None
    if partitions is not None and partitions < 1:
        raise ValueError(f"`partitions` value = {partitions!r} is invalid; value must be at least 1")
    if isinstance(corpus, (str, os.PathLike)) or (
        isinstance(corpus, Sequence) and corpus and all(isinstance(p, (str, os.PathLike)) for p in corpus)
    ):
        from .corpus import load_corpus

        corpus = load_corpus(corpus if isinstance(corpus, (str, os.PathLike)) else [Path(p) for p in corpus])
    documents = list(corpus)
    own = not isinstance(address_or_client, Client)
    if own:
        try:
            client = Client(address_or_client, set_as_default=False, timeout=f"{timeout}s")
        except OSError as exc:
            raise OSError(
                f"cannot reach the Dask scheduler at {address_or_client!r} ({exc}); check the address "
                "(tcp://HOST:8786) and that `dask scheduler` is running there"
            ) from None
    else:
        client = address_or_client
    try:
        if partitions is None:
            threads = sum(client.nthreads().values()) or 1
            partitions = 4 * threads
        partitions = max(1, min(partitions, len(documents)))
        size, extra = divmod(len(documents), partitions)
        chunks, at = [], 0
        for i in range(partitions):
            n = size + (i < extra)
            chunks.append(documents[at:at + n])
            at += n
        cb = _load(codebook)
        # Data goes straight to the workers (scatter), not through the scheduler inside
        # the task graph, and without hashing every document for a key (hash=False).
        cb_future = client.scatter(cb, broadcast=True, hash=False)
        chunk_futures = client.scatter(chunks, hash=False)
        tasks = client.map(_annotate_partition, chunk_futures, codebook=cb_future, pure=False)
        results = [part for parts in client.gather(tasks) for part in parts]
        ann = _gather(results, cb)
        ann.corpus = Corpus(documents)
        return ann
    finally:
        if own:
            client.close()
