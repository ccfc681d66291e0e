"""Tests for workbench/similar_sets.py: the Jaccard similarity join, exact and by MinHash."""

from __future__ import annotations

import random
import subprocess
import sys
from itertools import combinations

import pytest

from workbench import similar_sets


def _brute_force(sets, threshold):
    out = []
    for x, y in combinations(range(len(sets)), 2):
        union = len(sets[x] | sets[y])
        if union and len(sets[x] & sets[y]) / union >= threshold:
            out.append((x, y, len(sets[x] & sets[y]) / union))
    return out


@pytest.mark.parametrize(
    "sets, threshold, expected",
    [
        # 4 of 5 shared: Jaccard 4/6; 5 of 5: 1.0; nothing shared
        ([{1, 2, 3, 4, 5}, {1, 2, 3, 4, 6}, {1, 2, 3, 4, 5}, {7, 8, 9}], 0.6,
         [(0, 1, 4 / 6), (0, 2, 1.0), (1, 2, 4 / 6)]),
        ([{1, 2, 3, 4, 5}, {1, 2, 3, 4, 6}, {1, 2, 3, 4, 5}, {7, 8, 9}], 0.7, [(0, 2, 1.0)]),
        # the threshold itself counts: 4/5 = 0.8
        ([{1, 2, 3, 4}, {1, 2, 3, 4, 5}], 0.8, [(0, 1, 0.8)]),
        # a small set inside a big one
        ([{1, 2}, set(range(1, 11))], 0.2, [(0, 1, 0.2)]),
        ([{1, 2}, set(range(1, 11))], 0.21, []),
        ([], 0.5, []),
        ([{("a", "b", "c")}, {("a", "b", "c")}], 1.0, [(0, 1, 1.0)]),
    ],
)
def test_similar_pairs(sets, threshold, expected):
    assert similar_sets.similar_pairs(sets, threshold=threshold, method="exact") == expected


@pytest.mark.parametrize("threshold", [0.5, 0.8, 1.0])
def test_minhash_finds_copies_and_checks_them_exactly(threshold):
    rng = random.Random(3)
    sets = [set(rng.sample(range(10_000), 200)) for _ in range(30)]
    sets.append(set(sets[4]))  # a copy
    sets.append(set(list(sets[9])[:190]))  # 190 of 200: Jaccard 0.95
    expected = [(4, 30, 1.0)] + ([(9, 31, 0.95)] if threshold < 0.95 else [])
    assert similar_sets.similar_pairs(sets, threshold=threshold, method="minhash") == expected
    assert similar_sets.similar_pairs(sets, threshold=threshold, method="exact") == expected


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.8, 0.95, 1.0])
def test_the_exact_join_finds_what_comparing_every_pair_finds(threshold):
    rng = random.Random(7)
    base = [set(rng.sample(range(400), rng.randint(5, 60))) for _ in range(40)]
    sets = []
    for members in base:  # each set, and a copy of it with a few members changed
        sets.append(members)
        copy = set(members)
        for _ in range(rng.randint(0, 6)):
            copy.discard(rng.choice(sorted(copy)))
            copy.add(rng.randrange(400))
        sets.append(copy)
    rng.shuffle(sets)
    expected = _brute_force(sets, threshold)
    assert len(expected) >= 5  # the test compares something
    assert similar_sets.similar_pairs(sets, threshold=threshold, method="exact") == expected


def test_least_leaves_small_sets_out():
    sets = [{1, 2}, {1, 2}, {1, 2, 3, 4}, {1, 2, 3, 4}]
    assert similar_sets.similar_pairs(sets, threshold=0.9, least=3) == [(2, 3, 1.0)]


def test_auto_is_exact_below_the_border_and_imports_nothing_heavy():
    code = ("import sys; from workbench.similar_sets import similar_pairs; "
            "print(similar_pairs([{1, 2, 3}, {1, 2, 3}], threshold=0.9)); "
            "print(sorted(m for m in ('numpy', 'datasketch', 'scipy', 'pandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == ["[(0, 1, 1.0)]", "[]"]


def test_an_unknown_method_is_refused():
    with pytest.raises(ValueError, match="`method` value = 'fast' is invalid"):
        similar_sets.similar_pairs([{1}], threshold=0.5, method="fast")
