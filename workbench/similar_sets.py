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

:func:`minhashes` makes the datasketch sketches (also used by :mod:`workbench.reuse`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

from workbench.checks import check_choice

__all__ = ["METHODS", "EXACT_BELOW", "similar_pairs", "minhashes"]

#: How :func:`similar_pairs` finds the pairs it compares.
METHODS = {
    "auto": "exact below EXACT_BELOW sets, minhash from there",
    "exact": "every pair that can reach the threshold (prefix filter, pure Python)",
    "minhash": "pairs a datasketch MinHash LSH index finds likely (may miss one near the threshold)",
}
#: Below this many sets ``method="auto"`` is exact.
EXACT_BELOW = 1000


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


def _lsh_candidates(sets: Sequence[set], numbers: list[int], threshold: float,
                    num_perm: int) -> set[tuple[int, int]]:
    import numpy as np
    from datasketch import MinHashLSH

    hashes = (np.fromiter((hash(m) & 0xFFFFFFFF for m in sets[k]), np.uint32, len(sets[k]))
              for k in numbers)
    sketches = dict(zip(numbers, minhashes(hashes, num_perm), strict=True))
    # the candidates are checked exactly, so a lower threshold only adds some; datasketch
    # refuses 1.0 (too few bands)
    index = MinHashLSH(threshold=min(threshold, 0.9), num_perm=num_perm)
    for number, sketch in sketches.items():
        index.insert(number, sketch, check_duplication=False)
    return {(min(x, y), max(x, y)) for x, sketch in sketches.items() for y in index.query(sketch) if y != x}


def similar_pairs(sets: Sequence[set], *, threshold: float, method: str = "auto", num_perm: int = 128,
                  least: int = 1) -> list[tuple[int, int, float]]:
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
                  else _lsh_candidates(sets, numbers, threshold, num_perm))
    found = []
    for x, y in sorted(candidates):
        shared = len(sets[x] & sets[y])
        similarity = shared / (len(sets[x]) + len(sets[y]) - shared)
        if similarity >= threshold:
            found.append((x, y, similarity))
    return found
