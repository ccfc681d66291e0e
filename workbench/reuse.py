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

import bisect
import re
import sys
from array import array
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Any

from workbench import dates, similar_sets
from workbench import text as wtext
from workbench.checks import check_choice

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["REUSED", "Reuse", "find_reuse", "near_duplicate_pairs", "mark_reused", "count_once"]

#: The ``reused`` choices of every table and chart that counts.
REUSED = {"all": "count every copy of a reused passage",
          "once": "count a reused passage once, in its first carrier"}

#: Tokens a seed of the alignment has; runs shorter than this are not found.
SEED_TOKENS = 4
#: Words of a unit (sentence-like piece) indexed for the candidate search, at most.
UNIT_WORDS = 30
#: Units with fewer word 3-shingles are not indexed.
MIN_UNIT_SHINGLES = 4
#: A seed (k-gram) repeated more often than this in a pair of articles is not extended.
MAX_SEED_PAIRS = 400

_PUNCTUATION = {"«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "‹": '"', "›": '"', "'": '"',
                "‘": '"', "’": '"', "،": ",", "؛": ";", "؟": "?", "٪": "%", "…": "."}
_TERMINATORS = frozenset(".!?;")
_OPENERS = frozenset('"([{')
_NEWLINE = re.compile("\n")

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


# ------------------------------------------------------------------ reading articles


class _Folded(dict):
    """Token → its normalised form, computed once per distinct token."""

    def __missing__(self, token: str) -> str:
        form = token.translate(_fold_table()).lower()
        self[token] = form
        return form


class _Vocabulary(dict):
    """Normalised form → integer id, with what each id is (word, terminator, opener)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[str] = []
        self.is_word: list[bool] = []

    def __missing__(self, form: str) -> int:
        self[form] = number = len(self.forms)
        self.forms.append(form)
        self.is_word.append(form[:1].isalnum())
        return number


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    """What :func:`workbench.text.normalize` changes, and quotation marks and Arabic
    punctuation as their plain forms, as a ``str.translate`` table."""
    return wtext.normalization_table() | {ord(k): v for k, v in _PUNCTUATION.items()}


class _Article:
    """One article's tokens: ids of normalised forms, offsets, paragraph numbers."""

    __slots__ = ("doc_id", "text", "date", "outlet", "ids", "starts", "ends", "para", "_seeds")

    def __init__(self, record: tuple[str, str, str, str], folded: _Folded, vocab: _Vocabulary):
        self.doc_id, self.text, self.date, self.outlet = record
        tokens, starts, ends = wtext.token_lists(self.text)
        # compact arrays, not lists of int objects: 10,000 articles hold millions of tokens
        self.starts, self.ends = array("i", starts), array("i", ends)
        self.ids = array("i", map(vocab.__getitem__, map(folded.__getitem__, tokens)))
        newlines = [m.start() for m in _NEWLINE.finditer(self.text)]
        self.para = array("i", map(partial(bisect.bisect_left, newlines), starts))
        self._seeds: tuple[Any, Any] | None = None

    def seeds(self) -> tuple[Any, Any]:
        """Hashes of every run of :data:`SEED_TOKENS` tokens inside one paragraph, sorted,
        and where each run starts."""
        import numpy as np

        if self._seeds is None:
            ids, k = np.asarray(self.ids, dtype=np.uint64), SEED_TOKENS
            n = len(ids) - k + 1
            if n <= 0:
                self._seeds = (np.zeros(0, np.uint64), np.zeros(0, np.int64))
                return self._seeds
            keys = ids[:n].copy()
            with np.errstate(over="ignore"):
                for t in range(1, k):
                    keys = keys * np.uint64(0x100000001B3) + ids[t:t + n]
            para = np.asarray(self.para)
            at = np.flatnonzero(para[:n] == para[k - 1:])
            order = np.argsort(keys[at], kind="stable")
            self._seeds = (keys[at][order], at[order])
        return self._seeds

    def drop_seeds(self, common: Any) -> Any:
        """Keep only the seeds not in ``common`` (sorted hashes) for the pairwise alignment;
        return where the dropped ones start, in text order."""
        import numpy as np

        keys, at = self.seeds()
        is_common = similar_sets.is_in(keys, common)
        self._seeds = (keys[~is_common], at[~is_common])
        return np.sort(at[is_common])

    def words_between(self, start: int, end: int, is_word: list[bool]) -> int:
        """How many word tokens lie inside the character span ``[start, end)``."""
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_left(self.starts, end)
        return sum(is_word[self.ids[t]] for t in range(lo, hi))


def _clean(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def _records(data: Any) -> list[tuple[str, str, str, str]]:
    """``(doc_id, text, date, outlet)`` of every article in ``data``."""
    pd = sys.modules.get("pandas")  # a frame exists only once pandas is imported
    if pd is not None and isinstance(data, pd.DataFrame):
        missing = [c for c in ("doc_id", "text") if c not in data.columns]
        if missing:
            raise ValueError(f"the articles frame lacks column(s) {', '.join(missing)}; give "
                             "doc_id and text (date and outlet when known)")
        rows = data.to_dict("records")
        out = [(str(r["doc_id"]), _clean(r["text"]), _clean(r.get("date")), _clean(r.get("outlet")))
               for r in rows]
    elif callable(getattr(data, "document_text", None)):  # a Store
        docs = data.documents()
        out = [(str(d), data.document_text(d), _clean(date), _clean(outlet))
               for d, date, outlet in docs[["doc_id", "date", "outlet"]].itertuples(index=False)]
    elif isinstance(data, Mapping):
        out = [(str(k), _clean(v), "", "") for k, v in data.items()]
    else:
        documents = getattr(data, "documents", data)  # a Corpus, or Documents
        out = [(d.doc_id, d.text, d.date or "", d.outlet or "") for d in documents]
    seen: set[str] = set()
    for doc_id, *_ in out:
        if doc_id in seen:
            raise ValueError(f"doc_id {doc_id!r} is given twice; every article needs its own id")
        seen.add(doc_id)
    # the first carrier is the earliest by date, compared as text: ISO dates only
    return [(d, t, dates.checked_date(date, f"doc_id {d!r}"), o) for d, t, date, o in out]


def _read(data: Any) -> tuple[list[_Article], _Vocabulary]:
    folded, vocab = _Folded(), _Vocabulary()
    return [_Article(r, folded, vocab) for r in _records(data)], vocab


# ------------------------------------------------------------------ candidates


def _shingles(article: _Article, vocab: _Vocabulary) -> tuple[Any, Any]:
    """Hashes (uint32) of the word 3-shingles of each unit, and each one's unit number."""
    import numpy as np

    ids = np.asarray(article.ids, dtype=np.int64)
    is_word = np.fromiter(map(vocab.is_word.__getitem__, article.ids), dtype=bool, count=len(ids))
    if is_word.sum() < 3:
        return np.zeros(0, np.uint32), np.zeros(0, np.int64)
    ends_unit = np.isin(ids, [vocab[t] for t in _TERMINATORS if t in vocab])
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


def _units(articles: list[_Article], vocab: _Vocabulary, boilerplate: int) -> list[tuple[int, Any]]:
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


def _seed_pairs(a: _Article, b: _Article) -> Iterable[tuple[int, int]]:
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


def _runs(a: _Article, b: _Article) -> list[tuple[int, int, int]]:
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


def _trim(article: _Article, lo: int, hi: int, vocab: _Vocabulary) -> tuple[int, int]:
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


def _passages(a: _Article, b: _Article, vocab: _Vocabulary, *, max_gap: int,
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


def _boilerplate(articles: list[_Article], dropped: list[Any], vocab: _Vocabulary, *,
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
        for number, (lo, hi) in sorted(places.items(), key=lambda p: _order_key(articles[p[0]])):
            article = articles[number]
            lo, hi = _trim(article, lo, hi, vocab)
            spans.append((number, article.starts[lo], article.ends[hi - 1]))
        x, start_a, end_a = spans[0]
        passages += [(x, start_a, end_a, y, start_b, end_b, words, 1.0) for y, start_b, end_b in spans[1:]]
    return passages


# ------------------------------------------------------------------ clusters


def _order_key(article: _Article) -> tuple[int, str, str]:
    """Carrier order: dated articles by date, then undated ones; ties by doc_id."""
    return (0 if article.date else 1, article.date, article.doc_id)


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


def _cluster_frames(articles: list[_Article], passages: list[tuple], vocab: _Vocabulary):
    """The ``spans`` and ``clusters`` frames."""
    import pandas as pd

    places, place_of = _places(passages)
    groups = _components(len(places), ((place_of[2 * p], place_of[2 * p + 1])
                                       for p in range(len(passages))))

    def carrier_order(k: int) -> tuple:
        number, start, _ = places[k]
        return (*_order_key(articles[number]), start)

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


def _article_frame(articles: list[_Article], spans: pd.DataFrame, vocab: _Vocabulary):
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


# ------------------------------------------------------------------ near-duplicates


def _id_bits(vocab: _Vocabulary) -> int:
    return max(21, len(vocab.forms).bit_length())  # of a word id in a packed shingle


def _shingle_hash(shingle: int, bits: int, mask: int) -> int:
    """The hash of a packed shingle's tuple of three word ids (the sketches stay the tuples')."""
    return hash((shingle >> 2 * bits, (shingle >> bits) & mask, shingle & mask))


def _word_shingles(article: _Article, vocab: _Vocabulary) -> set[int]:
    """The article's word 3-shingles (ids of normalised words, packed in one int, ordered as
    their tuples), as :func:`_shingles` cuts units: never across a paragraph, a full stop or 30 words."""
    is_word, ends = vocab.is_word, {vocab.get(t) for t in _TERMINATORS}
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


def _near_duplicates(articles: list[_Article], wholes: list[set], *, threshold: float, bits: int,
                     method: str = "auto", num_perm: int = 128) -> list[tuple[str, str, float]]:
    """Pairs of articles whose whole sets of shingles have a Jaccard of ``threshold`` or more."""
    hashed = partial(_shingle_hash, bits=bits, mask=(1 << bits) - 1)
    pairs = similar_sets.similar_pairs(wholes, threshold=threshold, method=method, num_perm=num_perm,
                                       least=MIN_UNIT_SHINGLES, member_hash=hashed)
    ordered = (sorted((articles[x], articles[y]), key=_order_key) + [share] for x, y, share in pairs)
    return sorted((a.doc_id, b.doc_id, round(share, 4)) for a, b, share in ordered)


def _check_share(name: str, value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1:
        raise ValueError(f"`{name}` value = {value!r} is invalid; give a number above 0 and at most 1")


def _check_count(name: str, value: int, least: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise ValueError(f"`{name}` value = {value!r} is invalid; give a whole number, {least} or more")


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
    _check_share("threshold", threshold)
    _check_count("num_perm", num_perm, 16)
    check_choice("method", method, similar_sets.METHODS)
    docs, vocab = _read(articles)
    wholes = [_word_shingles(art, vocab) for art in docs]
    return _near_duplicates(docs, wholes, threshold=threshold, bits=_id_bits(vocab), method=method,
                            num_perm=num_perm)


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

    _check_count("min_words", min_words, 1)
    _check_count("max_gap", max_gap, 0)
    _check_count("num_perm", num_perm, 16)
    _check_count("max_neighbours", max_neighbours, 1)
    _check_count("boilerplate", boilerplate, 1)
    _check_share("threshold", threshold)
    _check_share("near_duplicate", near_duplicate)
    docs, vocab = _read(articles)
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
    near = _near_duplicates(docs, [_word_shingles(art, vocab) for art in docs], threshold=near_duplicate,
                            bits=_id_bits(vocab), num_perm=num_perm)
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
