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

A worker that dies mid-run is survived and a wrong address fails at once, in one line
(:mod:`workbench.cluster`). Dask is an optional extra (``pip install 'workbench[dask]'``);
it is imported only inside the functions.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .annotate import annotate
from .cluster import ClusterError, connect, run_partitions
from .corpus import Corpus, Document
from .partitions import (
    DASK_MISSING,
    RECORD_METADATA,
    as_document,
    chunks,
    gather,
    load,
    run_bag,
)

if TYPE_CHECKING:  # pragma: no cover
    import dask.bag
    import distributed

    from .annotate import Annotations
    from .codebook import Codebook

#: Partitions per worker thread when ``annotate_on_cluster`` is not told how many.
PIECES_PER_THREAD = 4

__all__ = ["annotate_bag", "annotate_on_cluster", "as_document", "ClusterError", "RECORD_METADATA"]


def annotate_bag(
    bag: dask.bag.Bag,
    *,
    codebook: Codebook | str | os.PathLike | None = None,
    scheduler: Any = None,
) -> Annotations:
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
    return run_bag(bag, codebook=codebook, annotate=annotate, scheduler=scheduler)


def _documents(
    corpus: Corpus | Iterable[Document] | str | os.PathLike | Sequence[str | os.PathLike],
) -> list[Document]:
    """The documents of a corpus, or of the files at path(s), loaded here."""
    if isinstance(corpus, (str, os.PathLike)) or (
        isinstance(corpus, Sequence) and corpus and all(isinstance(p, (str, os.PathLike)) for p in corpus)
    ):
        from .corpus import load_corpus

        corpus = load_corpus(corpus if isinstance(corpus, (str, os.PathLike)) else [Path(p) for p in corpus])
    return list(corpus)


def annotate_on_cluster(
    corpus: Corpus | Iterable[Document] | str | os.PathLike | Sequence[str | os.PathLike],
    *,
    address_or_client: str | distributed.Client,
    partitions: int | None = None,
    codebook: Codebook | str | os.PathLike | None = None,
    timeout: float = 30.0,
) -> Annotations:
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
        most one per document: a piece costs a worker little beyond its documents, and
        the smaller the last pieces, the less one worker waits for the other at the end).
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
    ClusterError
        An ``OSError`` in one line: an address without a port, a scheduler that cannot
        be reached or does not answer within ``timeout`` seconds, something at the
        address that is not a Dask scheduler, or a partition whose workers kept dying
        (a worker that dies once is survived: its partitions are annotated again on
        another worker).
    """
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover
        raise ImportError(DASK_MISSING) from None
    if partitions is not None and partitions < 1:
        raise ValueError(f"`partitions` value = {partitions!r} is invalid; value must be at least 1")
    documents = _documents(corpus)
    own = not isinstance(address_or_client, Client)
    client = connect(address_or_client, timeout) if own else address_or_client
    try:
        if partitions is None:
            partitions = PIECES_PER_THREAD * (sum(client.nthreads().values()) or 1)
        cb = load(codebook)
        parts, packed = ([], []) if not documents else run_partitions(
            client, chunks(documents, partitions), cb, annotate)
        ann = gather(parts, cb, annotate, [p.sentences for p in packed])
        ann.corpus = Corpus(documents)
        return ann
    finally:
        if own:
            client.close(timeout=timeout)
