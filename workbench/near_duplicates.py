"""Whole articles posted twice: what :func:`workbench.load_corpus` reports as near-duplicates.

A pair of articles is a near-duplicate when their sets of normalised word 3-shingles have
a Jaccard similarity of at least the threshold (:func:`workbench.reuse.near_duplicate_pairs`).
:func:`near_duplicate_notes` says which article of each pair is the later one and what to
tell the analyst about it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from workbench.corpus import Document

__all__ = ["near_duplicate_notes"]


def near_duplicate_notes(documents: Sequence[Document], *, threshold: float) -> list[tuple[Document, str]]:
    """The later article of each near-duplicate pair, with what to tell the analyst.

    Parameters
    ----------
    documents : sequence of Document
        The loaded articles.
    threshold : float
        Least Jaccard similarity of two articles' word 3-shingles.

    Returns
    -------
    list of tuple
        ``(document, message)``: the later article of each pair (by date, then
        ``doc_id``) and the message naming the earlier one, in the order of the pairs.
    """
    from workbench.reuse import near_duplicate_pairs

    if len(documents) < 2:
        return []
    by_id = {d.doc_id: d for d in documents}
    return [(by_id[second], (
        f"near-duplicate of {first!r} ({similarity:.0%} of their word sequences are the same): "
        "the same story posted twice? Keep one file, or keep both and count shared text once "
        "(reused='once' in the tables and charts)"))
        for first, second, similarity in near_duplicate_pairs(documents, threshold=threshold)]
