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


@pytest.mark.parametrize("chunk", [7, 1 << 16])  # members hashed at once: many pieces, one
def test_minhash_matrix_and_band_buckets_are_what_datasketch_computes(monkeypatch, chunk):
    import numpy as np
    from datasketch import MinHashLSH

    monkeypatch.setattr(similar_sets, "_CHUNK", chunk)
    rng = random.Random(3)
    base = [rng.randrange(2**32) for _ in range(40)]
    sets = [np.array(sorted(set(rng.sample(base, rng.randint(0, 30)))), np.uint32) for _ in range(60)]
    sketches = similar_sets.minhashes(sets, 64)
    matrix = similar_sets.minhash_matrix(sets, 64)
    assert matrix.tolist() == [s.hashvalues.tolist() for s in sketches]
    index = MinHashLSH(threshold=0.5, num_perm=64)
    for k, sketch in enumerate(sketches):
        index.insert(k, sketch)
    expected = {(min(k, j), max(k, j)) for k, sketch in enumerate(sketches)
                for j in index.query(sketch) if j != k}
    found = {(x, y) for bucket in similar_sets.band_buckets(matrix, threshold=0.5, num_perm=64)
             for x, y in combinations(sorted(bucket.tolist()), 2)}
    assert found == expected and len(found) > 10


@pytest.mark.parametrize(
    "arrays, more_than, expected",
    [
        ([[1, 2, 2, 3], [2, 3], [3, 4]], 1, [2, 3]),  # counted once per array
        ([[1, 2, 2, 3], [2, 3], [3, 4]], 2, [3]),
        ([[1, 2], [2]], 2, []),  # no more arrays than that
    ],
)
def test_frequent_values_and_membership(arrays, more_than, expected):
    import numpy as np

    common = similar_sets.frequent([np.array(a, np.uint64) for a in arrays], more_than)
    assert common.tolist() == expected
    values = np.array([0, 1, 2, 3, 4, 5], np.uint64)
    assert similar_sets.is_in(values, common).tolist() == [v in expected for v in range(6)]


@pytest.mark.parametrize("method", ["minhash", "exact"])
def test_members_kept_packed_are_sketched_as_the_values_they_stand_for(method):
    rng = random.Random(11)
    sets = [{(rng.randrange(40), rng.randrange(40), rng.randrange(40)) for _ in range(60)} for _ in range(30)]
    sets += [set(sorted(s)[:55]) | {(99, 99, k)} for k, s in enumerate(sets[:10])]  # near copies
    packed = [{(a << 42) | (b << 21) | c for a, b, c in s} for s in sets]

    def as_tuple(member: int) -> int:
        return hash((member >> 42, (member >> 21) & 0x1FFFFF, member & 0x1FFFFF))

    plain = similar_sets.similar_pairs(sets, threshold=0.8, method=method)
    assert plain and len(plain) >= 10
    assert similar_sets.similar_pairs(packed, threshold=0.8, method=method, member_hash=as_tuple) == plain


@pytest.mark.parametrize("num_perm", [16, 64, 128, 256])
def test_band_shape_and_permutations_are_datasketchs(num_perm):
    from datasketch import MinHash, MinHashLSH

    for threshold in [k / 100 for k in range(1, 91, 3)]:
        shape = similar_sets.band_shape(threshold, num_perm)
        try:
            index = MinHashLSH(threshold=threshold, num_perm=num_perm)
        except ValueError:  # datasketch refuses one band
            assert shape[0] == 1, threshold
            continue
        assert shape == (index.b, index.r), threshold
    a, b = similar_sets.permutations(num_perm)
    assert [a.tolist(), b.tolist()] == MinHash(num_perm=num_perm, seed=1).permutations.tolist()


def test_sketching_and_bucketing_import_neither_datasketch_nor_scipy():
    code = ("import sys, numpy as np; from workbench import similar_sets as s; "
            "m = s.minhash_matrix([np.arange(9, dtype=np.uint32)] * 3, 32); "
            "print(sorted(s.bucket_pairs(m, [0, 1, 2], threshold=0.8, num_perm=32))); "
            "print(sorted(k for k in ('datasketch', 'scipy') if k in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == ["[(0, 1), (0, 2), (1, 2)]", "[]"]
