"""Pairs of sets that mostly coincide: a Jaccard similarity join, exact or by MinHash LSH.

:func:`similar_pairs` finds every pair of sets whose Jaccard similarity reaches a
threshold. The candidates come from one of :data:`METHODS`, and every candidate is then
compared exactly, so a pair is reported with its true similarity or not at all:

- ``"exact"``: the prefix filter of all-pairs similarity search (Bayardo, Ma and Srikant,
  *Scaling up all pairs similarity search*, 2007). With each set's members ordered
  rarest first (by how many sets hold them), two sets of Jaccard ``t`` or more share a
  member among the first ``n - ceil(t * n) + 1`` of each, ``n`` the larger size; only
  such pairs are compared. Pure Python: nothing heavy is imported.
- ``"minhash"``: pairs that a datasketch ``MinHashLSH`` index puts in one bucket; faster
  on many sets, but it may miss a pair near the threshold.

:func:`minhashes` makes the datasketch sketches; :func:`minhash_matrix` computes the same
values for many sets at once (numpy, no Python loop per set) and :func:`band_buckets` groups
them as a datasketch ``MinHashLSH`` index would (also used by :mod:`workbench.reuse`). Those two
compute datasketch's permutations (:func:`permutations`) and bands (:func:`band_shape`) themselves
and never import it: datasketch imports scipy, some 50 MB of memory and a second of start-up for
each load of a corpus.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any

from workbench.checks import check_choice

__all__ = ["METHODS", "EXACT_BELOW", "similar_pairs", "minhashes", "minhash_matrix", "band_buckets",
           "bucket_pairs", "frequent", "is_in", "permutations", "band_shape"]

#: How :func:`similar_pairs` finds the pairs it compares.
METHODS = {
    "auto": "exact below EXACT_BELOW sets, minhash from there",
    "exact": "every pair that can reach the threshold (prefix filter, pure Python)",
    "minhash": "pairs a datasketch MinHash LSH index finds likely (may miss one near the threshold)",
}
#: Below this many sets ``method="auto"`` is exact.
EXACT_BELOW = 1000
#: Members hashed per permutation at once in :func:`minhash_matrix` (memory: 512 bytes each
#: at 128 permutations, so 8 MB a block).
_CHUNK = 1 << 14


def minhashes(sets: Iterable[Any], num_perm: int) -> list[Any]:
    """A datasketch ``MinHash`` of each set (an array or iterable of integer hashes)."""
    from datasketch import MinHash

    template = MinHash(num_perm=num_perm, seed=1, hashfunc=int)
    out = []
    for hashes in sets:
        sketch = template.copy()
        sketch.update_batch(hashes)
        out.append(sketch)
    return out


def _prefix_candidates(sets: Sequence[set], numbers: list[int], threshold: float) -> set[tuple[int, int]]:
    counts: dict[Hashable, int] = defaultdict(int)
    for k in numbers:
        for member in sets[k]:
            counts[member] += 1
    index: dict[Hashable, list[int]] = defaultdict(list)
    pairs: set[tuple[int, int]] = set()
    for x in sorted(numbers, key=lambda k: len(sets[k])):
        ordered = sorted(sets[x], key=lambda member: (counts[member], member))
        prefix = ordered[:len(ordered) - math.ceil(threshold * len(ordered) - 1e-9) + 1]
        pairs.update((min(x, y), max(x, y)) for member in prefix for y in index[member])
        for member in prefix:
            index[member].append(x)
    return pairs


def frequent(arrays: Sequence[Any], more_than: int) -> Any:
    """The values found in more than ``more_than`` of ``arrays`` (document frequency), sorted;
    an empty array when there are not that many arrays."""
    import numpy as np

    if len(arrays) <= more_than:
        return np.zeros(0, np.uint64)
    values, counts = np.unique(np.concatenate([np.unique(a) for a in arrays]), return_counts=True)
    return values[counts > more_than]


def is_in(values: Any, sorted_values: Any) -> Any:
    """Which of ``values`` are in ``sorted_values`` (a sorted array), as a bool array."""
    import numpy as np

    if not len(sorted_values):
        return np.zeros(len(values), bool)
    at = np.minimum(np.searchsorted(sorted_values, values), len(sorted_values) - 1)
    return sorted_values[at] == values


def _fmix32(values: Any) -> Any:
    """The MurmurHash3 32-bit finalizer (datasketch's pre-mix of each input hash)."""
    import numpy as np

    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


def permutations(num_perm: int, seed: int = 1) -> tuple[Any, Any]:
    """The ``a`` and ``b`` (uint32) of the affine permutations ``h -> a * h + b mod 2**32`` of a
    datasketch ``MinHash(num_perm=num_perm, seed=seed)`` (its default scheme, "affine32", since
    datasketch 2.0): ``a`` odd, drawn as datasketch draws them from ``RandomState(seed)``."""
    import numpy as np

    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def band_shape(threshold: float, num_perm: int) -> tuple[int, int]:
    """The bands and rows per band of a datasketch ``MinHashLSH(threshold, num_perm)``: the
    ``(b, r)``, ``b * r <= num_perm``, with the least mean of the probabilities of a false
    positive (integrated over similarities below ``threshold``) and of a false negative (above
    it), the first such in order of ``b`` then ``r`` as datasketch finds it.

    The probabilities are polynomials of degree at most ``num_perm`` in the similarity, so a
    Gauss-Legendre rule of ``num_perm // 2 + 1`` points integrates them exactly (datasketch
    integrates them with scipy's ``quad``).
    """
    import numpy as np

    shapes = [(b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)]
    bands, rows = (np.array(c, dtype=np.float64)[:, None] for c in zip(*shapes, strict=True))
    nodes, weights = np.polynomial.legendre.leggauss(num_perm // 2 + 1)

    def integral(lo: float, hi: float, missed: bool) -> Any:
        s = (hi - lo) / 2 * nodes + (hi + lo) / 2
        apart = (1 - s ** rows) ** bands  # the chance that no band of the two sketches is equal
        return (hi - lo) / 2 * ((apart if missed else 1 - apart) @ weights)

    error = integral(0.0, threshold, False) * 0.5 + integral(threshold, 1.0, True) * 0.5
    return shapes[int(np.argmin(error))]


def minhash_matrix(sets: Sequence[Any], num_perm: int) -> Any:
    """The MinHash values of each set, one row per set: what ``minhashes(sets,
    num_perm)[k].hashvalues`` holds (datasketch 2's "affine32" scheme, :func:`permutations`),
    computed for all the sets at once.

    Parameters
    ----------
    sets : sequence of numpy.ndarray
        Each set's distinct 32-bit hashes.
    num_perm : int
        Permutations (columns).

    Returns
    -------
    numpy.ndarray
        ``(len(sets), num_perm)`` values (uint32; an empty set's row is all the largest).
    """
    import numpy as np

    a, b = permutations(num_perm)
    lengths = np.fromiter(map(len, sets), dtype=np.int64, count=len(sets))
    out = np.full((len(sets), num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
    ends = np.cumsum(lengths)
    flat = _fmix32(np.concatenate([np.asarray(h, dtype=np.uint32) for h in sets] or [np.zeros(0, np.uint32)]))
    first = 0
    while first < len(sets):
        last = max(first + 1, int(np.searchsorted(ends, ends[first] - lengths[first] + _CHUNK, "right")))
        rows = np.flatnonzero(lengths[first:last]) + first
        if len(rows):
            lo = ends[first] - lengths[first]
            values = flat[lo:ends[last - 1], None] * a  # uint32: wraps, as datasketch's does
            values += b
            out[rows] = np.minimum.reduceat(values, ends[rows] - lengths[rows] - lo, axis=0)
        first = last
    return out


def band_buckets(matrix: Any, *, threshold: float, num_perm: int) -> Iterable[Any]:
    """The buckets a datasketch ``MinHashLSH(threshold, num_perm)`` would put the rows of
    ``matrix`` (:func:`minhash_matrix`) in: for each band, each group of two or more rows
    whose values in that band are equal, as an array of row numbers (:func:`band_shape`)."""
    import numpy as np

    if not 0.0 <= threshold <= 1.0 or num_perm < 2:
        raise ValueError(f"a MinHash LSH index needs a threshold in [0, 1] and 2 or more permutations, "
                         f"not {threshold!r} and {num_perm!r}")
    bands, rows = band_shape(threshold, num_perm)
    if bands < 2:
        raise ValueError(f"a MinHash LSH index at threshold {threshold!r} would have one band; "
                         "use a lower one")
    for start, end in ((k * rows, (k + 1) * rows) for k in range(bands)):
        band = np.ascontiguousarray(matrix[:, start:end])
        keys = band.view(np.dtype((np.void, band.dtype.itemsize * (end - start)))).ravel()
        _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
        order = np.argsort(inverse, kind="stable")
        bounds = np.r_[0, np.cumsum(counts)]
        for group in np.flatnonzero(counts > 1).tolist():
            yield order[bounds[group]:bounds[group + 1]]


def bucket_pairs(matrix: Any, numbers: Sequence[int], *, threshold: float,
                 num_perm: int) -> set[tuple[int, int]]:
    """The candidate pairs of :func:`similar_pairs` by MinHash: ``(x, y)``, ``x < y`` taken from
    ``numbers``, whose rows of ``matrix`` (row ``k`` the sketch of set ``numbers[k]``) share a
    bucket of a ``MinHashLSH`` index at ``threshold`` (at most 0.9: datasketch refuses 1.0, and
    a lower threshold only adds candidates, which are compared exactly)."""
    pairs: set[tuple[int, int]] = set()
    for bucket in band_buckets(matrix, threshold=min(threshold, 0.9), num_perm=num_perm):
        members = sorted(numbers[k] for k in bucket.tolist())
        pairs.update((x, y) for at, x in enumerate(members) for y in members[at + 1:])
    return pairs


def _lsh_candidates(sets: Sequence[set], numbers: list[int], threshold: float,
                    num_perm: int, member_hash: Callable[[Any], int] = hash) -> set[tuple[int, int]]:
    import numpy as np

    hashes = [np.fromiter((member_hash(m) & 0xFFFFFFFF for m in sets[k]), np.uint32, len(sets[k]))
              for k in numbers]
    return bucket_pairs(minhash_matrix(hashes, num_perm), numbers, threshold=threshold, num_perm=num_perm)


def similar_pairs(sets: Sequence[set], *, threshold: float, method: str = "auto", num_perm: int = 128,
                  least: int = 1, member_hash: Callable[[Any], int] = hash) -> list[tuple[int, int, float]]:
    """Every pair of sets whose Jaccard similarity is ``threshold`` or more.

    Parameters
    ----------
    sets : sequence of set
        The sets (members hashable, orderable among themselves: tuples of ints, strings).
    threshold : float
        Least Jaccard similarity, above 0 and at most 1.
    method : {"auto", "exact", "minhash"}, default "auto"
        How the pairs to compare are found (:data:`METHODS`).
    num_perm : int, default 128
        Permutations of the MinHash sketches (``"minhash"``).
    least : int, default 1
        Sets with fewer members take no part.
    member_hash : callable, default hash
        The hash the MinHash sketches take of a member (``"minhash"``): members stored in
        a compact form can be hashed as the values they stand for.

    Returns
    -------
    list of tuple
        ``(x, y, similarity)`` with ``x < y`` positions in ``sets``, sorted.
    """
    check_choice("method", method, METHODS)
    numbers = [k for k, members in enumerate(sets) if len(members) >= least]
    if method == "auto":
        method = "exact" if len(numbers) < EXACT_BELOW else "minhash"
    candidates = (_prefix_candidates(sets, numbers, threshold) if method == "exact"
                  else _lsh_candidates(sets, numbers, threshold, num_perm, member_hash))
    found = []
    for x, y in sorted(candidates):
        shared = len(sets[x] & sets[y])
        similarity = shared / (len(sets[x]) + len(sets[y]) - shared)
        if similarity >= threshold:
            found.append((x, y, similarity))
    return found
