"""Whole articles posted twice: pairs whose sets of word 3-shingles mostly coincide.

:func:`near_duplicate_pairs` (also :func:`workbench.reuse.near_duplicate_pairs`) finds every pair
of articles whose sets of normalised word 3-shingles (cut as :mod:`workbench.reuse` cuts its
units: never across a paragraph, a full stop or 30 words) have a Jaccard similarity of at least
the threshold, exactly or from MinHash sketches (:mod:`workbench.similar_sets`), each candidate
compared exactly. :func:`near_duplicate_notes` is what :func:`workbench.load_corpus` reports:
the later article of each pair and what to tell the analyst about it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from workbench import similar_sets
from workbench.checks import check_choice
from workbench.reuse_articles import (
    MIN_UNIT_SHINGLES,
    TERMINATORS,
    UNIT_WORDS,
    Article,
    Vocabulary,
    check_count,
    check_share,
    order_key,
    read_articles,
)

if TYPE_CHECKING:  # pragma: no cover
    from workbench.corpus import Document

__all__ = ["near_duplicate_pairs", "near_duplicates_of", "near_duplicate_notes"]


def _id_bits(vocab: Vocabulary) -> int:
    return max(21, len(vocab.forms).bit_length())  # of a word id in a packed shingle


def _shingle_hash(shingle: int, bits: int, mask: int) -> int:
    """The hash of a packed shingle's tuple of three word ids (the sketches stay the tuples')."""
    return hash((shingle >> 2 * bits, (shingle >> bits) & mask, shingle & mask))


def _word_shingles(article: Article, vocab: Vocabulary) -> set[int]:
    """The article's word 3-shingles (ids of normalised words, packed in one int, ordered as
    their tuples), as :mod:`workbench.reuse` cuts units: never across a paragraph, a full stop or 30 words."""
    is_word, ends = vocab.is_word, {vocab.get(t) for t in TERMINATORS}
    bits = _id_bits(vocab)
    out: set[int] = set()
    before, after, count, last_para, ended = -1, -1, 0, -1, False  # the two words before (-1: none)
    for token, para in zip(article.ids, article.para, strict=True):
        if para != last_para or ended:
            before, after, count, last_para = -1, -1, 0, para
        ended = token in ends
        if is_word[token]:
            if count == UNIT_WORDS:  # a long sentence is cut into pieces
                before, after, count = -1, -1, 0
            count += 1
            if before >= 0:
                out.add((((before << bits) | after) << bits) | token)
            before, after = after, token
    return out


def near_duplicates_of(articles: list[Article], vocab: Vocabulary, *, threshold: float, method: str = "auto",
                       num_perm: int = 128) -> list[tuple[str, str, float]]:
    """Pairs of articles (read by :func:`workbench.reuse_articles.read_articles`) whose whole sets
    of word 3-shingles have a Jaccard similarity of ``threshold`` or more, as
    :func:`near_duplicate_pairs` gives them."""
    wholes = [_word_shingles(art, vocab) for art in articles]
    bits = _id_bits(vocab)
    hashed = partial(_shingle_hash, bits=bits, mask=(1 << bits) - 1)
    pairs = similar_sets.similar_pairs(wholes, threshold=threshold, method=method, num_perm=num_perm,
                                       least=MIN_UNIT_SHINGLES, member_hash=hashed)
    ordered = (sorted((articles[x], articles[y]), key=order_key) + [share] for x, y, share in pairs)
    return sorted((a.doc_id, b.doc_id, round(share, 4)) for a, b, share in ordered)


def near_duplicate_pairs(articles: Any, *, threshold: float = 0.8, method: str = "auto",
                         num_perm: int = 128) -> list[tuple[str, str, float]]:
    """Find whole articles posted twice: pairs whose word 3-shingles mostly coincide.

    Parameters
    ----------
    articles : Corpus, Store, DataFrame, mapping or iterable of Documents
        The articles (a frame needs ``doc_id`` and ``text``, ``date`` and ``outlet``
        when known; a mapping is ``{doc_id: text}``).
    threshold : float, default 0.8
        Least Jaccard similarity of the two articles' sets of normalised word
        3-shingles.
    method : {"auto", "exact", "minhash"}, default "auto"
        How the pairs to compare are found (:data:`workbench.similar_sets.METHODS`);
        every pair is then compared exactly. ``"exact"`` (``"auto"`` below
        :data:`workbench.similar_sets.EXACT_BELOW` articles) finds them all and imports
        neither pandas nor numpy, so loading a handful of articles stays quick.
    num_perm : int, default 128
        Permutations of the MinHash sketches (``"minhash"``).

    Returns
    -------
    list of tuple
        ``(doc_id_a, doc_id_b, similarity)``, the earlier article first (by date, then
        doc_id), sorted.
    """
    check_share("threshold", threshold)
    check_count("num_perm", num_perm, 16)
    check_choice("method", method, similar_sets.METHODS)
    docs, vocab = read_articles(articles)
    return near_duplicates_of(docs, vocab, threshold=threshold, method=method, num_perm=num_perm)


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
    if len(documents) < 2:
        return []
    by_id = {d.doc_id: d for d in documents}
    return [(by_id[second], (
        f"near-duplicate of {first!r} ({similarity:.0%} of their word sequences are the same): "
        "the same story posted twice? Keep one file, or keep both and count shared text once "
        "(reused='once' in the tables and charts)"))
        for first, second, similarity in near_duplicate_pairs(documents, threshold=threshold)]
