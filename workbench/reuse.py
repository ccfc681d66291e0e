"""Text reuse across articles: the passages that articles share, exactly or nearly.

:func:`find_reuse` finds agency copy run word for word, lightly edited (a word or two changed, a phrase
added) or with its sentences reordered, and says exactly where it stands in every article carrying it:

1. **Tokens.** Each article is cut into words and punctuation marks (:func:`workbench.text.token_lists`),
   each compared in the normalised form of :func:`workbench.text.normalize` (hamza on alef, alef
   maqsura, teh marbuta, diacritics, tatweel, presentation forms, digits), with quotation marks and
   Arabic punctuation folded to one form. Offsets stay those of the text as written.
2. **Candidates.** Each sentence-like unit (the words up to a full stop, at most 30) gets a datasketch
   ``MinHash`` of its normalised word 3-shingles; a ``MinHashLSH`` index pairs units of different
   articles that likely share ``threshold`` of them or more.
   Boilerplate (a 4-token run or shingle in more than ``boilerplate`` articles) pairs nothing; where
   it makes a passage alone, its carriers are one cluster, not all pairs.
3. **Alignment.** The two articles of a candidate pair are aligned on their tokens: every maximal run
   of at least 4 identical tokens, in any order (so swapped sentences are found), cut at paragraph
   ends. Runs of one paragraph pair that lie at most ``max_gap`` tokens apart in both articles make
   one passage. A passage with at least ``min_words`` matched words is kept, from its first to its
   last matched token (punctuation that belongs outside it trimmed), in both articles.
4. **Clusters.** Overlapping spans of one article are one place; places linked by a passage are one
   cluster. Its first carrier is its earliest article by date (undated last; ties by ``doc_id``).

Whole-article near-duplicates (the same story posted twice) are pairs whose sets of word 3-shingles
have a Jaccard similarity of at least ``near_duplicate`` (:func:`near_duplicate_pairs`, also run when
a corpus is loaded: exactly and without heavy imports below 1,000 articles, :mod:`.similar_sets`).
``reused="once"`` in the tables and charts counts a reused passage once: sentences marked by
:func:`mark_reused` as copies (``reused_copy``) are left out (:func:`count_once`).
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench import similar_sets
from workbench.checks import check_choice
from workbench.near_duplicates import near_duplicate_pairs, near_duplicates_of
from workbench.reuse_articles import (
    MIN_UNIT_SHINGLES,
    SEED_TOKENS,
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
    import pandas as pd

__all__ = ["REUSED", "Reuse", "find_reuse", "near_duplicate_pairs", "mark_reused", "count_once"]

#: The ``reused`` choices of every table and chart that counts.
REUSED = {"all": "count every copy of a reused passage",
          "once": "count a reused passage once, in its first carrier"}

#: A seed (k-gram) repeated more often than this in a pair of articles is not extended.
MAX_SEED_PAIRS = 400

_OPENERS = frozenset('"([{')

SPAN_COLUMNS = ["cluster", "doc_id", "outlet", "date", "start", "end", "words", "first", "text"]
CLUSTER_COLUMNS = ["cluster", "articles", "outlets", "words", "first_doc_id", "first_outlet",
                   "first_date", "doc_ids", "passage"]
ARTICLE_COLUMNS = ["doc_id", "outlet", "date", "words", "shared_words", "original_share",
                   "clusters", "first_in", "shares_with"]
PAIR_COLUMNS = ["doc_id_a", "start_a", "end_a", "doc_id_b", "start_b", "end_b", "words",
                "similarity"]
NEAR_DUPLICATE_COLUMNS = ["doc_id_a", "doc_id_b", "similarity"]


@dataclass(frozen=True)
class Reuse:
    """What :func:`find_reuse` found.

    Attributes
    ----------
    clusters : pandas.DataFrame
        One row per reused passage: ``cluster, articles, outlets, words, first_doc_id,
        first_outlet, first_date, doc_ids, passage`` (``doc_ids`` ``;``-joined in carrier
        order, ``passage`` the text as the first carrier has it).
    spans : pandas.DataFrame
        Where each cluster stands: ``cluster, doc_id, outlet, date, start, end, words,
        first, text`` (``text == article[start:end]``; ``first`` for the first carrier's
        first span: a passage it runs twice has one original).
    articles : pandas.DataFrame
        One row per article: ``doc_id, outlet, date, words, shared_words,
        original_share, clusters, first_in, shares_with`` (``original_share``: the share
        of its words found in no other article; ``first_in``: clusters it carries first).
    pairs : pandas.DataFrame
        Each aligned passage of two articles: ``doc_id_a, start_a, end_a, doc_id_b,
        start_b, end_b, words, similarity`` (matched words; matched tokens over the
        passage's tokens in both).
    near_duplicates : pandas.DataFrame
        ``doc_id_a, doc_id_b, similarity``: whole articles posted twice.
    """

    clusters: pd.DataFrame
    spans: pd.DataFrame
    articles: pd.DataFrame
    pairs: pd.DataFrame
    near_duplicates: pd.DataFrame


# ------------------------------------------------------------------ candidates


def _shingles(article: Article, vocab: Vocabulary) -> tuple[Any, Any]:
    """Hashes (uint32) of the word 3-shingles of each unit, and each one's unit number."""
    import numpy as np

    ids = np.asarray(article.ids, dtype=np.int64)
    is_word = np.fromiter(map(vocab.is_word.__getitem__, article.ids), dtype=bool, count=len(ids))
    if is_word.sum() < 3:
        return np.zeros(0, np.uint32), np.zeros(0, np.int64)
    ends_unit = np.isin(ids, [vocab[t] for t in TERMINATORS if t in vocab])
    para = np.asarray(article.para)
    new = np.ones(len(ids), dtype=bool)
    new[1:] = (para[1:] != para[:-1]) | ends_unit[:-1]
    unit = np.cumsum(new)[is_word]
    words = ids[is_word].astype(np.uint64)
    first = np.r_[0, np.flatnonzero(unit[1:] != unit[:-1]) + 1]
    rank = np.arange(len(unit)) - np.repeat(first, np.diff(np.r_[first, len(unit)]))
    unit = unit * 1024 + rank // UNIT_WORDS  # long sentences are cut into pieces
    same = unit[:-2] == unit[2:]
    with np.errstate(over="ignore"):
        mixed = (words[:-2] * np.uint64(0x9E3779B97F4A7C15) + words[1:-1]) * np.uint64(
            0xC2B2AE3D27D4EB4F) + words[2:]
        mixed ^= mixed >> np.uint64(29)
        mixed *= np.uint64(0xBF58476D1CE4E5B9)
    return (mixed[same] >> np.uint64(32)).astype(np.uint32), unit[:-2][same]


def _units(articles: list[Article], vocab: Vocabulary, boilerplate: int) -> list[tuple[int, Any]]:
    """The units worth indexing: (article number, its shingle hashes), without the shingles
    found in more than ``boilerplate`` articles (stop shingles: they pair everything)."""
    import numpy as np

    shingled = [_shingles(article, vocab) for article in articles]
    common = similar_sets.frequent([hashes for hashes, _ in shingled], boilerplate)
    units = []
    for number, (hashes, unit) in enumerate(shingled):
        if len(common):
            keep = ~similar_sets.is_in(hashes, common)
            hashes, unit = hashes[keep], unit[keep]
        if not len(hashes):
            continue
        order = np.lexsort((hashes, unit))  # each unit's hashes sorted, then one of each
        hashes, unit = hashes[order], unit[order]
        fresh = np.r_[True, (hashes[1:] != hashes[:-1]) | (unit[1:] != unit[:-1])]
        hashes, unit = hashes[fresh], unit[fresh]
        bounds = np.r_[0, np.flatnonzero(unit[1:] != unit[:-1]) + 1, len(unit)]
        units += [(number, hashes[lo:hi]) for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)
                  if hi - lo >= MIN_UNIT_SHINGLES]
    return units


def _candidate_pairs(units: list[tuple[int, Any]], *, threshold: float, num_perm: int,
                     max_neighbours: int) -> set[tuple[int, int]]:
    """Pairs of article numbers whose units share an LSH bucket.

    A bucket with more articles than ``max_neighbours`` (boilerplate) links each of them
    to the next ``max_neighbours`` only: enough to join them in one cluster.
    """
    import numpy as np

    owners = np.fromiter((owner for owner, _ in units), dtype=np.int64, count=len(units))
    matrix = similar_sets.minhash_matrix([h for _, h in units], num_perm)
    pairs: set[tuple[int, int]] = set()
    for bucket in similar_sets.band_buckets(matrix, threshold=threshold, num_perm=num_perm):
        members = np.unique(owners[bucket]).tolist()
        for at, x in enumerate(members):
            pairs.update((x, y) for y in members[at + 1:at + 1 + max_neighbours])
    return pairs


# ------------------------------------------------------------------ alignment


def _seed_pairs(a: Article, b: Article) -> Iterable[tuple[int, int]]:
    """Where the same seed (run of :data:`SEED_TOKENS` tokens) starts in both articles."""
    import numpy as np

    (keys_a, at_a), (keys_b, at_b) = a.seeds(), b.seeds()
    common = np.intersect1d(keys_a, keys_b)
    lo_a, hi_a = np.searchsorted(keys_a, common), np.searchsorted(keys_a, common, side="right")
    lo_b, hi_b = np.searchsorted(keys_b, common), np.searchsorted(keys_b, common, side="right")
    for la, ha, lb, hb in zip(lo_a.tolist(), hi_a.tolist(), lo_b.tolist(), hi_b.tolist(), strict=True):
        if (ha - la) * (hb - lb) <= MAX_SEED_PAIRS:
            for i in at_a[la:ha].tolist():
                for j in at_b[lb:hb].tolist():
                    yield i, j


def _runs(a: Article, b: Article) -> list[tuple[int, int, int]]:
    """Maximal runs of identical tokens within one paragraph of each: ``(i, j, length)``."""
    ia, ib, pa, pb = a.ids, b.ids, a.para, b.para
    na, nb, k = len(ia), len(ib), SEED_TOKENS
    runs, seeded = [], list(_seed_pairs(a, b))
    found, starts = set(seeded), set()
    for i, j in seeded:
        if ia[i:i + k] != ib[j:j + k]:
            continue  # two different seeds with the same hash
        if i and j and ia[i - 1] == ib[j - 1] and pa[i - 1] == pa[i] and pb[j - 1] == pb[j]:
            if (i - 1, j - 1) in found:
                continue  # the run starts before this seed, and is found from there
            # a boilerplate seed (left out) comes before: walk back to where the run starts
            while i and j and ia[i - 1] == ib[j - 1] and pa[i - 1] == pa[i] and pb[j - 1] == pb[j]:
                i, j = i - 1, j - 1
        if (i, j) in starts:
            continue
        starts.add((i, j))
        n = k
        while (i + n < na and j + n < nb and ia[i + n] == ib[j + n]
               and pa[i + n] == pa[i] and pb[j + n] == pb[j]):
            n += 1
        runs.append((i, j, n))
    return runs


def _gap(lo1: int, hi1: int, lo2: int, hi2: int) -> int:
    """Tokens between two token ranges (0 when they touch or overlap)."""
    return max(0, max(lo1, lo2) - min(hi1, hi2))


def _join(runs: list[tuple[int, int, int]], max_gap: int) -> list[list[Any]]:
    """Runs of one paragraph pair joined while they lie ``max_gap`` tokens apart in both."""
    items = sorted([i, i + n, j, j + n, [(i, j, n)]] for i, j, n in runs)
    joined = True
    while joined:
        joined = False
        kept: list[list[Any]] = []
        for item in items:
            for other in kept:
                if (_gap(other[0], other[1], item[0], item[1]) <= max_gap
                        and _gap(other[2], other[3], item[2], item[3]) <= max_gap):
                    other[0], other[1] = min(other[0], item[0]), max(other[1], item[1])
                    other[2], other[3] = min(other[2], item[2]), max(other[3], item[3])
                    other[4] += item[4]
                    joined = True
                    break
            else:
                kept.append(item)
        items = kept
    return items


def _trim(article: Article, lo: int, hi: int, vocab: Vocabulary) -> tuple[int, int]:
    """Drop punctuation that belongs outside a passage: what ends the sentence before it,
    and an opening mark after it (an opening quotation touching its first word stays)."""
    ids, starts, ends, forms = article.ids, article.starts, article.ends, vocab.forms
    while lo < hi and not vocab.is_word[ids[lo]] and not (
            forms[ids[lo]] in _OPENERS and lo + 1 < hi and starts[lo + 1] == ends[lo]):
        lo += 1
    while hi > lo and not vocab.is_word[ids[hi - 1]] and (
            forms[ids[hi - 1]] in "([{"
            or (forms[ids[hi - 1]] == '"' and hi - 1 > lo and starts[hi - 1] != ends[hi - 2])):
        hi -= 1
    return lo, hi


def _passages(a: Article, b: Article, vocab: Vocabulary, *, max_gap: int,
              min_words: int) -> list[tuple[int, int, int, int, int, float]]:
    """Passages two articles share: character spans in both, matched words, similarity."""
    groups: dict[tuple[int, int], list[tuple[int, int, int]]] = defaultdict(list)
    for i, j, n in _runs(a, b):
        groups[(a.para[i], b.para[j])].append((i, j, n))
    out = []
    for runs in groups.values():
        for lo_a, hi_a, lo_b, hi_b, parts in _join(runs, max_gap):
            covered_a = {t for i, _, n in parts for t in range(i, i + n)}
            covered_b = {t for _, j, n in parts for t in range(j, j + n)}
            words = sum(vocab.is_word[a.ids[t]] for t in covered_a)
            if words < min_words:
                continue
            lo_a, hi_a = _trim(a, lo_a, hi_a, vocab)
            lo_b, hi_b = _trim(b, lo_b, hi_b, vocab)
            similarity = (len(covered_a) + len(covered_b)) / (hi_a - lo_a + hi_b - lo_b)
            out.append((a.starts[lo_a], a.ends[hi_a - 1], b.starts[lo_b], b.ends[hi_b - 1], words,
                        round(min(1.0, similarity), 4)))
    return out


def _boilerplate(articles: list[Article], dropped: list[Any], vocab: Vocabulary, *,
                 min_words: int) -> list[tuple]:
    """Passages made of boilerplate seeds (left out of the pairwise alignment): each maximal
    run of them that reads the same in several articles (normalised) and has ``min_words``
    words links its first carrier to every other, so they make one cluster, not every pair."""
    import numpy as np

    groups: dict[bytes, dict[int, tuple[int, int]]] = defaultdict(dict)
    for number, (article, at) in enumerate(zip(articles, dropped, strict=True)):
        for run in np.split(at, np.flatnonzero(np.diff(at) != 1) + 1) if len(at) else ():
            lo, hi = int(run[0]), int(run[-1]) + SEED_TOKENS
            if hi - lo >= min_words:  # fewer tokens cannot hold min_words words
                groups[article.ids[lo:hi].tobytes()].setdefault(number, (lo, hi))  # its first place
    passages = []
    for key, places in groups.items():
        words = sum(map(vocab.is_word.__getitem__, array("i", key)))
        if len(places) < 2 or words < min_words:
            continue
        spans = []
        for number, (lo, hi) in sorted(places.items(), key=lambda p: order_key(articles[p[0]])):
            article = articles[number]
            lo, hi = _trim(article, lo, hi, vocab)
            spans.append((number, article.starts[lo], article.ends[hi - 1]))
        x, start_a, end_a = spans[0]
        passages += [(x, start_a, end_a, y, start_b, end_b, words, 1.0) for y, start_b, end_b in spans[1:]]
    return passages


# ------------------------------------------------------------------ clusters


def _places(passages: list[tuple]) -> tuple[list[list[int]], list[int]]:
    """Overlapping spans of one article merged into places; the place of each side."""
    sides: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for p, (x, start_a, end_a, y, start_b, end_b, *_) in enumerate(passages):
        sides[x].append((start_a, end_a, 2 * p))
        sides[y].append((start_b, end_b, 2 * p + 1))
    places: list[list[int]] = []
    place_of = [0] * (2 * len(passages))
    for number in sorted(sides):
        first = len(places)
        for start, end, side in sorted(sides[number]):
            if len(places) > first and start < places[-1][2]:
                places[-1][2] = max(places[-1][2], end)
            else:
                places.append([number, start, end])
            place_of[side] = len(places) - 1
    return places, place_of


def _components(n: int, edges: Iterable[tuple[int, int]]) -> list[list[int]]:
    parent = list(range(n))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for x, y in edges:
        parent[find(x)] = find(y)
    groups: dict[int, list[int]] = defaultdict(list)
    for k in range(n):
        groups[find(k)].append(k)
    return list(groups.values())


def _cluster_frames(articles: list[Article], passages: list[tuple], vocab: Vocabulary):
    """The ``spans`` and ``clusters`` frames."""
    import pandas as pd

    places, place_of = _places(passages)
    groups = _components(len(places), ((place_of[2 * p], place_of[2 * p + 1])
                                       for p in range(len(passages))))

    def carrier_order(k: int) -> tuple:
        number, start, _ = places[k]
        return (*order_key(articles[number]), start)

    groups = sorted((sorted(g, key=carrier_order) for g in groups),
                    key=lambda g: carrier_order(g[0]))
    spans, clusters = [], []
    for cluster, group in enumerate(groups, start=1):
        first = articles[places[group[0]][0]]
        carriers = list(dict.fromkeys(articles[places[k][0]].doc_id for k in group))
        for k in group:  # group[0]: the first carrier's first place; a repeat of it is a copy
            number, start, end = places[k]
            art = articles[number]
            spans.append((cluster, art.doc_id, art.outlet, art.date, start, end,
                          art.words_between(start, end, vocab.is_word), k == group[0],
                          art.text[start:end]))
        _, start, end = places[group[0]]
        outlets = {articles[places[k][0]].outlet for k in group}
        clusters.append((cluster, len(carriers), len(outlets),
                         first.words_between(start, end, vocab.is_word), first.doc_id,
                         first.outlet, first.date, ";".join(carriers), first.text[start:end]))
    spans_frame = pd.DataFrame(spans, columns=SPAN_COLUMNS).astype(
        {"cluster": "int64", "start": "int64", "end": "int64", "words": "int64", "first": "bool"})
    clusters_frame = pd.DataFrame(clusters, columns=CLUSTER_COLUMNS).astype(
        {"cluster": "int64", "articles": "int64", "outlets": "int64", "words": "int64"})
    return spans_frame, clusters_frame


def _article_frame(articles: list[Article], spans: pd.DataFrame, vocab: Vocabulary):
    import pandas as pd

    by_doc = spans.groupby("doc_id")
    shared = by_doc["words"].sum()
    clusters = by_doc["cluster"].nunique()
    first_in = spans[spans["first"]].groupby("doc_id")["cluster"].nunique()
    links = spans[["cluster", "doc_id"]].drop_duplicates()
    links = links.merge(links, on="cluster", suffixes=("", "_other"))
    links = links[links["doc_id"] != links["doc_id_other"]]
    others = links.groupby("doc_id")["doc_id_other"].agg(lambda v: ";".join(sorted(set(v))))
    doc_ids = [art.doc_id for art in articles]
    words = pd.Series([sum(map(vocab.is_word.__getitem__, art.ids)) for art in articles],
                      index=doc_ids, dtype="int64")
    frame = pd.DataFrame({
        "doc_id": doc_ids,
        "outlet": [art.outlet for art in articles],
        "date": [art.date for art in articles],
        "words": words.to_numpy(),
        "shared_words": shared.reindex(doc_ids, fill_value=0).astype("int64").to_numpy(),
    })
    frame["original_share"] = (1 - frame["shared_words"] / frame["words"].where(frame["words"] > 0)
                               ).fillna(1.0).round(4)
    frame["clusters"] = clusters.reindex(doc_ids, fill_value=0).astype("int64").to_numpy()
    frame["first_in"] = first_in.reindex(doc_ids, fill_value=0).astype("int64").to_numpy()
    frame["shares_with"] = others.reindex(doc_ids, fill_value="").to_numpy()
    return frame[ARTICLE_COLUMNS]


# ------------------------------------------------------------------ the entry point


def find_reuse(
    articles: Any,
    *,
    min_words: int = 12,
    max_gap: int = 8,
    threshold: float = 0.3,
    near_duplicate: float = 0.8,
    num_perm: int = 128,
    max_neighbours: int = 50,
    boilerplate: int = 20,
) -> Reuse:
    """Find the passages articles share, exactly or nearly, with exact spans in each.

    Parameters
    ----------
    articles : Corpus, Store, DataFrame, mapping or iterable of Documents
        The articles: a loaded corpus, a store (its documents' texts, dates and
        outlets), a frame with ``doc_id`` and ``text`` (``date``, ``outlet`` when
        known), or ``{doc_id: text}``.
    min_words : int, default 12
        Least matched words of a passage.
    max_gap : int, default 8
        Tokens (words and punctuation) by which two matching stretches may lie apart in
        both articles and still be one passage: a changed word, an added phrase.
    threshold : float, default 0.3
        Jaccard similarity of word 3-shingles from which the LSH index pairs two units
        (sentence-like pieces) of different articles as candidates.
    near_duplicate : float, default 0.8
        Least similarity of two whole articles for :attr:`Reuse.near_duplicates`.
    num_perm : int, default 128
        Permutations of the MinHash sketches.
    max_neighbours : int, default 50
        A unit with more candidates than this (boilerplate) is linked to the closest only.
    boilerplate : int, default 20
        A run of 4 tokens (or word 3-shingle) found in more articles than this is
        boilerplate: it pairs no articles and starts no alignment (it may lie inside a
        passage found from rarer words). A passage made of boilerplate alone is found where
        it reads the same: all its carriers make one cluster ("this paragraph ran in 300
        articles"), linked from the first carrier, not pair by pair.

    Returns
    -------
    Reuse
        ``clusters``, ``spans``, ``articles``, ``pairs`` and ``near_duplicates`` frames
        (see :class:`Reuse`).
    """
    import pandas as pd

    check_count("min_words", min_words, 1)
    check_count("max_gap", max_gap, 0)
    check_count("num_perm", num_perm, 16)
    check_count("max_neighbours", max_neighbours, 1)
    check_count("boilerplate", boilerplate, 1)
    check_share("threshold", threshold)
    check_share("near_duplicate", near_duplicate)
    docs, vocab = read_articles(articles)
    common = similar_sets.frequent([art.seeds()[0] for art in docs], boilerplate)
    dropped = [art.drop_seeds(common) for art in docs] if len(common) else []
    units = _units(docs, vocab, boilerplate)
    pairs = _candidate_pairs(units, threshold=threshold, num_perm=num_perm,
                             max_neighbours=max_neighbours) if len(docs) > 1 else set()
    passages = []
    for x, y in sorted(pairs):
        for found in _passages(docs[x], docs[y], vocab, max_gap=max_gap, min_words=min_words):
            passages.append((x, found[0], found[1], y, *found[2:]))
    if dropped:
        passages += _boilerplate(docs, dropped, vocab, min_words=min_words)
    for art in docs:
        art._seeds = None  # the seeds are big; the frames keep what matters
    spans, clusters = _cluster_frames(docs, passages, vocab)
    pair_rows = [(docs[x].doc_id, sa, ea, docs[y].doc_id, sb, eb, words, sim)
                 for x, sa, ea, y, sb, eb, words, sim in passages]
    pair_frame = pd.DataFrame(pair_rows, columns=PAIR_COLUMNS).astype(
        {c: "int64" for c in ("start_a", "end_a", "start_b", "end_b", "words")})
    near = near_duplicates_of(docs, vocab, threshold=near_duplicate, num_perm=num_perm)
    return Reuse(clusters=clusters, spans=spans, articles=_article_frame(docs, spans, vocab),
                 pairs=pair_frame, near_duplicates=pd.DataFrame(near, columns=NEAR_DUPLICATE_COLUMNS))


# ------------------------------------------------------------------ counting once


def mark_reused(sentences: pd.DataFrame, reuse: Reuse) -> pd.DataFrame:
    """Mark the sentences that lie in reused passages.

    Parameters
    ----------
    sentences : pandas.DataFrame
        A sentences frame (needs ``doc_id``, ``start``, ``end``), from
        :func:`workbench.annotate` or :meth:`Store.view`.
    reuse : Reuse
        What :func:`find_reuse` found in the same articles.

    Returns
    -------
    pandas.DataFrame
        The sentences with two more columns: ``reuse_cluster`` (int, the cluster whose
        span holds at least half of the sentence, 0 for none) and ``reused_copy`` (bool:
        that span is not in the cluster's first carrier, so ``reused="once"`` leaves the
        sentence out).
    """
    import pandas as pd

    missing = [c for c in ("doc_id", "start", "end") if c not in sentences.columns]
    if missing:
        raise ValueError(f"`sentences` is missing column(s) {', '.join(map(repr, missing))}; "
                         "pass the sentences frame of workbench.annotate() or Store.view()")
    out = sentences.drop(columns=["reuse_cluster", "reused_copy"], errors="ignore").copy()
    rows = pd.DataFrame({"_row": range(len(out)), "doc_id": out["doc_id"].astype(str).to_numpy(),
                         "s": out["start"].to_numpy(), "e": out["end"].to_numpy()})
    spans = reuse.spans[["doc_id", "start", "end", "cluster", "first"]]
    both = rows.merge(spans, on="doc_id")
    both["overlap"] = (both[["e", "end"]].min(axis=1) - both[["s", "start"]].max(axis=1)).clip(lower=0)
    both = both[both["overlap"] * 2 >= (both["e"] - both["s"]).clip(lower=1)]
    best = both.sort_values(["_row", "overlap", "cluster"], ascending=[True, False, True])
    best = best.drop_duplicates("_row").set_index("_row")
    cluster = best["cluster"].reindex(range(len(out)), fill_value=0)
    copy = (~best["first"].astype(bool)).reindex(range(len(out)), fill_value=False)
    out["reuse_cluster"] = cluster.astype("int64").to_numpy()
    out["reused_copy"] = copy.astype(bool).to_numpy()
    return out


def count_once(sentences: pd.DataFrame, *, reused: str = "all", source: Any = None) -> pd.DataFrame:
    """The sentences a table counts: all of them, or each reused passage once.

    Parameters
    ----------
    sentences : pandas.DataFrame
        A sentences frame; for ``reused="once"`` marked by :func:`mark_reused`, unless
        ``source`` is given.
    reused : {"all", "once"}, default "all"
        ``"once"`` leaves out the sentences that are copies of a passage whose first
        carrier is another article.
    source : Corpus, Store or None, default None
        Where to find the reuse when ``sentences`` is not marked yet.

    Returns
    -------
    pandas.DataFrame
        ``sentences`` itself for ``"all"``; for ``"once"`` a new frame without the
        copies (and with the two marking columns).
    """
    check_choice("reused", reused, REUSED)
    if reused == "all":
        return sentences
    if "reused_copy" not in sentences.columns:
        if source is None:
            raise ValueError(
                "reused='once' needs the sentences marked with their reuse: "
                "sentences = workbench.reuse.mark_reused(sentences, workbench.reuse.find_reuse(store))"
            )
        sentences = mark_reused(sentences, find_reuse(source))
    return sentences[~sentences["reused_copy"].astype(bool)]
