"""Whole articles posted twice: pairs whose sets of word 3-shingles mostly coincide.

:func:`near_duplicate_pairs` (also :func:`workbench.reuse.near_duplicate_pairs`) finds every pair
of articles whose sets of normalised word 3-shingles (cut as :mod:`workbench.reuse` cuts its
units: never across a paragraph, a full stop or 30 words) have a Jaccard similarity of at least
the threshold, exactly or from MinHash sketches (:mod:`workbench.similar_sets`), each candidate
compared exactly. :func:`near_duplicate_notes` is what :func:`workbench.load_corpus` reports:
the later article of each pair and what to tell the analyst about it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Any

from workbench import similar_sets
from workbench import text as wtext
from workbench.checks import check_choice
from workbench.collector import collector_paused
from workbench.reuse_articles import (
    MIN_UNIT_SHINGLES,
    NEWLINE,
    TERMINATORS,
    UNIT_WORDS,
    Article,
    Vocabulary,
    check_count,
    check_share,
    fold_table,
    read_records,
    records,
)

if TYPE_CHECKING:  # pragma: no cover
    from workbench.corpus import Document

__all__ = ["near_duplicate_pairs", "near_duplicates_of", "near_duplicate_notes", "tuple_hashes"]

#: Bits of a word id in a shingle packed in 64 bits (three ids); a larger vocabulary is
#: compared as Python sets.
_BITS = 21
_MASK = (1 << _BITS) - 1
#: Characters of text (tokens of read articles) cut into shingles and sketched at once.
_BLOCK_CHARS = 1 << 18
_BLOCK_TOKENS = 1 << 16
#: CPython's tuple hash (xxHash's primes and rotation), for 64-bit hashes.
_XXPRIME_1, _XXPRIME_2, _XXPRIME_5 = 11400714785074694791, 14029467366897019727, 2870177450012600261



def _id_bits(vocab: Vocabulary) -> int:
    return max(_BITS, len(vocab.forms).bit_length())  # of a word id in a packed shingle


def _shingle_hash(shingle: int, bits: int, mask: int) -> int:
    """The hash of a packed shingle's tuple of three word ids (the sketches stay the tuples')."""
    return hash((shingle >> 2 * bits, (shingle >> bits) & mask, shingle & mask))


def _word_shingles(ids: Sequence[int], paragraphs: Sequence[int], vocab: Vocabulary) -> set[int]:
    """An article's word 3-shingles (ids of normalised words, packed in one int, ordered as
    their tuples), as :mod:`workbench.reuse` cuts units: never across a paragraph, a full stop or
    30 words; ``ids`` and ``paragraphs`` are its tokens' (:class:`workbench.reuse_articles.Article`)."""
    is_word, ends = vocab.is_word, {vocab.get(t) for t in TERMINATORS}
    bits = _id_bits(vocab)
    out: set[int] = set()
    before, after, count, last_para, ended = -1, -1, 0, -1, False  # the two words before (-1: none)
    for token, para in zip(ids, paragraphs, strict=True):
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


@lru_cache(maxsize=1)
def _tuple_hash_is_known() -> bool:
    """Whether this Python hashes tuples of small ints as :func:`tuple_hashes` computes."""
    import numpy as np

    samples = [(0, 0, 0), (1, 2, 3), (_MASK, 7, _MASK - 1), (123456, 0, 98765), (5, _MASK, 1)]
    columns = [np.array(c, np.uint64) for c in zip(*samples, strict=True)]
    return [hash(t) & 0xFFFFFFFFFFFFFFFF for t in samples] == tuple_hashes(*columns).tolist()


def tuple_hashes(a: Any, b: Any, c: Any) -> Any:
    """``hash((a[i], b[i], c[i]))`` of each row of three arrays of non-negative ints below
    2**61 - 1, as CPython 3.8+ on a 64-bit machine computes it, modulo 2**64 (uint64).

    Parameters
    ----------
    a, b, c : numpy.ndarray
        uint64 arrays of one length.

    Returns
    -------
    numpy.ndarray
        uint64: the tuples' hashes in two's complement.
    """
    import numpy as np

    acc = np.full(len(a), _XXPRIME_5, np.uint64)
    with np.errstate(over="ignore"):
        for lane in (a, b, c):  # an int below the hash modulus hashes to itself
            acc += lane * np.uint64(_XXPRIME_2)
            acc = (acc << np.uint64(31)) | (acc >> np.uint64(33))
            acc *= np.uint64(_XXPRIME_1)
        acc += np.uint64(3 ^ _XXPRIME_5 ^ 3527539)
    acc[acc == np.uint64(0xFFFFFFFFFFFFFFFF)] = 1546275796  # -1 is no hash
    return acc


def _hashes(packed: Any) -> Any:
    """The 32-bit MinHash inputs of packed shingles: their tuples' hashes, as
    :func:`_shingle_hash` gives them."""
    import numpy as np

    mask, bits = np.uint64(_MASK), np.uint64(_BITS)
    if _tuple_hash_is_known():
        full = tuple_hashes(packed >> (bits + bits), (packed >> bits) & mask, packed & mask)
    else:  # another Python: its own hash, one shingle at a time
        full = np.fromiter((_shingle_hash(v, _BITS, _MASK) & 0xFFFFFFFFFFFFFFFF for v in packed.tolist()),
                           np.uint64, len(packed))
    return (full & np.uint64(0xFFFFFFFF)).astype(np.uint32)


def _block_shingles(ids: Any, starts_unit: Any, owner: Any, vocab: Vocabulary) -> tuple[Any, Any]:
    """The distinct word 3-shingles of a block of articles, packed (uint64), sorted by article
    then value, and the article of each: what :func:`_word_shingles` gives each.

    ``ids`` are the block's tokens in order, ``starts_unit`` whether a token starts a unit (a
    new article or paragraph, or after a terminator), ``owner`` each token's article.
    """
    import numpy as np

    word = np.asarray(vocab.is_word, dtype=bool)[ids]
    words, owner = ids[word].astype(np.uint64), owner[word]
    unit = np.cumsum(starts_unit)[word]
    n = len(words)
    new = np.ones(n, dtype=bool)
    new[1:] = unit[1:] != unit[:-1]
    first = np.flatnonzero(new)
    rank = np.arange(n) - np.repeat(first, np.diff(np.r_[first, n]))
    piece = np.cumsum(new | (rank % UNIT_WORDS == 0))  # a long sentence is cut into pieces
    same = piece[:-2] == piece[2:]
    bits = np.uint64(_BITS)
    packed = (((words[:-2][same] << bits) | words[1:-1][same]) << bits) | words[2:][same]
    owner = owner[:-2][same]
    order = np.lexsort((packed, owner))
    packed, owner = packed[order], owner[order]
    fresh = np.ones(len(packed), dtype=bool)
    fresh[1:] = (packed[1:] != packed[:-1]) | (owner[1:] != owner[:-1])
    return packed[fresh], owner[fresh]


def _unit_starts(ids: Any, paragraphs: Any, owner: Any, vocab: Vocabulary) -> Any:
    import numpy as np

    ends = np.isin(ids, [vocab[t] for t in TERMINATORS if t in vocab])
    starts = np.ones(len(ids), dtype=bool)
    starts[1:] = (paragraphs[1:] != paragraphs[:-1]) | ends[:-1] | (owner[1:] != owner[:-1])
    return starts


class _TokenIds(dict):
    """Token → the id of its normalised form in ``vocab`` (one look-up per token; the form is
    made once per distinct token, so it is not kept)."""

    def __init__(self, vocab: Vocabulary) -> None:
        super().__init__()
        self.vocab, self.table = vocab, fold_table()

    def __missing__(self, token: str) -> int:
        self[token] = number = self.vocab[token.translate(self.table).lower()]  # as Folded folds it
        return number


def _text_block(texts: Sequence[str], token_ids: _TokenIds) -> tuple[Any, Any]:
    """:func:`_block_shingles` of articles from their texts (article ``k`` is ``texts[k]``),
    tokenised as :func:`workbench.reuse_articles.read_articles` does, in one pass (offsets unkept)."""
    import numpy as np

    vocab = token_ids.vocab
    joined = "\n".join(texts)  # a token never holds a line break: the tokens of each, in turn
    tokens, starts, _ = wtext.token_lists(joined)
    ids = np.fromiter(map(token_ids.__getitem__, tokens), np.int64, len(tokens))
    del tokens
    at = np.asarray(starts, dtype=np.int64)
    del starts
    lengths = np.fromiter(map(len, texts), np.int64, len(texts)) + 1
    owner = np.searchsorted(np.cumsum(lengths) - lengths, at, side="right") - 1
    newlines = np.fromiter((m.start() for m in NEWLINE.finditer(joined)), np.int64)
    paragraphs = np.searchsorted(newlines, at)
    return _block_shingles(ids, _unit_starts(ids, paragraphs, owner, vocab), owner, vocab)


def _article_block(articles: Sequence[Article], vocab: Vocabulary) -> tuple[Any, Any]:
    """:func:`_block_shingles` of read articles (article ``k`` is ``articles[k]``)."""
    import numpy as np

    ids = np.concatenate([np.asarray(a.ids, dtype=np.int64) for a in articles])
    paragraphs = np.concatenate([np.asarray(a.para, dtype=np.int64) for a in articles])
    owner = np.repeat(np.arange(len(articles)), [len(a.ids) for a in articles])
    return _block_shingles(ids, _unit_starts(ids, paragraphs, owner, vocab), owner, vocab)


def _spans(sizes: Sequence[int], most: int) -> Iterator[tuple[int, int]]:
    """Consecutive ``[lo, hi)`` ranges of items whose sizes add up to about ``most``."""
    lo, total = 0, 0
    for k, size in enumerate(sizes):
        total += size
        if total >= most:
            yield lo, k + 1
            lo, total = k + 1, 0
    if lo < len(sizes):
        yield lo, len(sizes)


#: ``blocks(numbers)``: for each block of the articles ``numbers`` (in that order), the
#: article numbers it holds and each one's distinct shingles (packed, sorted).
Blocks = Callable[[Sequence[int]], Iterator[tuple[Sequence[int], list[Any]]]]


def _split(packed: Any, owner: Any, count: int) -> list[Any]:
    """Each of ``count`` articles' shingles from :func:`_block_shingles`' output."""
    import numpy as np

    bounds = np.searchsorted(owner, np.arange(count + 1)).tolist()
    return [packed[lo:hi] for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)]


def _text_blocks(texts: Sequence[str], token_ids: _TokenIds) -> Blocks:
    def blocks(numbers: Sequence[int]) -> Iterator[tuple[Sequence[int], list[Any]]]:
        for lo, hi in _spans([len(texts[k]) for k in numbers], _BLOCK_CHARS):
            chosen = numbers[lo:hi]
            yield chosen, _split(*_text_block([texts[k] for k in chosen], token_ids), len(chosen))

    return blocks


def _article_blocks(articles: Sequence[Article], vocab: Vocabulary) -> Blocks:
    def blocks(numbers: Sequence[int]) -> Iterator[tuple[Sequence[int], list[Any]]]:
        for lo, hi in _spans([len(articles[k].ids) for k in numbers], _BLOCK_TOKENS):
            chosen = numbers[lo:hi]
            yield chosen, _split(*_article_block([articles[k] for k in chosen], vocab), len(chosen))

    return blocks


def _small(n: int, method: str) -> bool:
    """Whether the pairs are found in pure Python, as sets (the exact method's candidates)."""
    return method == "exact" or (method == "auto" and n < similar_sets.EXACT_BELOW)


def _sketches(blocks: Blocks, n: int, num_perm: int) -> tuple[list[int], Any, list[int]]:
    """Each article's number of distinct shingles, and the MinHash sketches (one row each) of
    those with :data:`MIN_UNIT_SHINGLES` or more, and their numbers: one block at a time, each
    block's shingles dropped once sketched."""
    import numpy as np

    sizes, numbers, sketches = [0] * n, [], []
    for chosen, members in blocks(range(n)):
        for k, shingles in zip(chosen, members, strict=True):
            sizes[k] = len(shingles)
        kept = [k for k, shingles in enumerate(members) if len(shingles) >= MIN_UNIT_SHINGLES]
        if kept:
            numbers += [chosen[k] for k in kept]
            sketches.append(similar_sets.minhash_matrix([_hashes(members[k]) for k in kept], num_perm))
    matrix = np.concatenate(sketches) if sketches else np.zeros((0, num_perm), np.uint32)
    return sizes, matrix, numbers


def _sketched_pairs(blocks: Blocks, found: Sequence[tuple], *, threshold: float, method: str,
                    num_perm: int) -> list[tuple[str, str, float]]:
    """The pairs of :func:`near_duplicate_pairs` from the articles' shingles, as
    :func:`similar_sets.similar_pairs` finds them, holding only the sketches: the shingles of the
    articles paired are made again to compare them."""
    import numpy as np

    sizes, matrix, numbers = _sketches(blocks, len(found), num_perm)
    if method == "auto" and len(numbers) < similar_sets.EXACT_BELOW:  # as similar_pairs decides
        sets = [set()] * len(found)
        for chosen, members in blocks(numbers):
            for k, shingles in zip(chosen, members, strict=True):
                sets[k] = set(shingles.tolist())
        return _pairs(sets, found, threshold=threshold, method="exact", num_perm=num_perm, bits=_BITS)
    candidates = sorted(similar_sets.bucket_pairs(matrix, numbers, threshold=threshold, num_perm=num_perm))
    del matrix
    paired = sorted({k for pair in candidates for k in pair})
    shingles = {k: m for chosen, members in blocks(paired) for k, m in zip(chosen, members, strict=True)}
    pairs = []
    for x, y in candidates:
        shared = int(np.count_nonzero(similar_sets.is_in(shingles[x], shingles[y])))
        similarity = shared / (sizes[x] + sizes[y] - shared)
        if similarity >= threshold:
            pairs.append((x, y, similarity))
    return _named(pairs, found)


def _pairs(sets: Sequence[Any], found: Sequence[tuple], *, threshold: float, method: str, num_perm: int,
           bits: int) -> list[tuple[str, str, float]]:
    """The pairs of :func:`near_duplicate_pairs` from Python sets of packed shingles."""
    hashed = partial(_shingle_hash, bits=bits, mask=(1 << bits) - 1)
    pairs = similar_sets.similar_pairs(sets, threshold=threshold, method=method, num_perm=num_perm,
                                       least=MIN_UNIT_SHINGLES, member_hash=hashed)
    return _named(pairs, found)


def _named(pairs: Sequence[tuple[int, int, float]], found: Sequence[tuple]) -> list[tuple[str, str, float]]:
    """``(earlier doc_id, later doc_id, similarity)`` of each pair of positions in ``found``, sorted."""
    ordered = (sorted((found[x], found[y]), key=_order) + [share] for x, y, share in pairs)
    return sorted((a[0], b[0], round(share, 4)) for a, b, share in ordered)


def _order(record: tuple) -> tuple[int, str, str]:
    """:func:`workbench.reuse_articles.order_key` of a ``(doc_id, text, date, outlet)`` record."""
    doc_id, _, date, _ = record
    return (0 if date else 1, date, doc_id)


def near_duplicates_of(articles: Sequence[Article], vocab: Vocabulary, *, threshold: float,
                       method: str = "auto", num_perm: int = 128) -> list[tuple[str, str, float]]:
    """Pairs of articles (read by :func:`workbench.reuse_articles.read_articles`) whose whole sets
    of word 3-shingles have a Jaccard similarity of ``threshold`` or more, as
    :func:`near_duplicate_pairs` gives them."""
    found = [(a.doc_id, "", a.date, a.outlet) for a in articles]
    if _small(len(articles), method) or len(vocab.forms) > _MASK:
        return _pairs([_word_shingles(a.ids, a.para, vocab) for a in articles], found, threshold=threshold,
                      method=method, num_perm=num_perm, bits=_id_bits(vocab))
    return _sketched_pairs(_article_blocks(articles, vocab), found, threshold=threshold, method=method,
                           num_perm=num_perm)


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
    with collector_paused():  # many short-lived objects, no cycles among them
        found = records(articles)
        if not _small(len(found), method):
            token_ids = _TokenIds(Vocabulary())
            blocks = _text_blocks([r[1] for r in found], token_ids)
            pairs = _sketched_pairs(blocks, found, threshold=threshold, method=method, num_perm=num_perm)
            if len(token_ids.vocab.forms) <= _MASK:
                return pairs
        # few articles, or word ids too large to pack three in 64 bits: Python sets
        docs, vocab = read_records(found)
        return near_duplicates_of(docs, vocab, threshold=threshold, method=method, num_perm=num_perm)


def near_duplicate_notes(documents: Sequence[Document], *, threshold: float,
                         pairs: Sequence[tuple[str, str, float]] | None = None) -> list[tuple[Document, str]]:
    """The later article of each near-duplicate pair, with what to tell the analyst.

    Parameters
    ----------
    documents : sequence of Document
        The loaded articles.
    threshold : float
        Least Jaccard similarity of two articles' word 3-shingles.
    pairs : sequence of tuple, optional
        The documents' pairs found already by :func:`near_duplicate_pairs` from their texts
        alone (``{doc_id: text}``, each pair in either order): put in the order of the documents'
        dates here. :func:`workbench.load_corpus` finds them before it splits the texts, when a
        document's date may still be unread (and the memory of the check is free for the split).

    Returns
    -------
    list of tuple
        ``(document, message)``: the later article of each pair (by date, then
        ``doc_id``) and the message naming the earlier one, in the order of the pairs.
    """
    if len(documents) < 2:
        return []
    by_id = {d.doc_id: d for d in documents}
    if pairs is None:
        pairs = near_duplicate_pairs(documents, threshold=threshold)
    else:  # as _named orders them, with the documents' dates
        def key(doc_id: str) -> tuple[int, str, str]:
            return _order((doc_id, "", by_id[doc_id].date or "", ""))

        pairs = sorted((*sorted((a, b), key=key), share) for a, b, share in pairs)
    return [(by_id[second], (
        f"near-duplicate of {first!r} ({similarity:.0%} of their word sequences are the same): "
        "the same story posted twice? Keep one file, or keep both and count shared text once "
        "(reused='once' in the tables and charts)"))
        for first, second, similarity in pairs]
