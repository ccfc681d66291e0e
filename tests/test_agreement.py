"""Tests for workbench/agreement.py against hand-computed kappa, alpha, precision/recall."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from conftest import make_annotations, sid

from workbench.agreement import annotator_agreement, cohen_kappa, krippendorff_alpha, tagger_agreement
from workbench.store import Store

NAN = float("nan")

# Wikipedia's example: 50 proposals, yes/yes 20, yes/no 5, no/yes 10, no/no 15 -> p_o .7, p_e .5
WIKI_A = ["y"] * 25 + ["n"] * 25
WIKI_B = ["y"] * 20 + ["n"] * 5 + ["y"] * 10 + ["n"] * 15


@pytest.mark.parametrize("a, b, expected", [
    ([1, 0, 1, 0], [1, 0, 0, 0], 0.5),           # p_o 3/4, p_e 1/2
    (WIKI_A, WIKI_B, 0.4),
    ([1, 0, 1], [1, 0, 1], 1.0),
    ([1, 0], [0, 1], -1.0),                       # p_o 0, p_e 1/2
    ([0, 0, 0], [0, 0, 0], NAN),                  # chance agreement 1: undefined
    ([], [], NAN),
])
def test_cohen_kappa(a, b, expected):
    value = cohen_kappa(a, b)
    assert math.isnan(value) if math.isnan(expected) else value == pytest.approx(expected, abs=1e-12)


# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", nominal example:
# 4 coders x 12 units with missing values, alpha = 0.743.
K = None
KRIPPENDORFF_2011 = list(zip(
    [1, 2, 3, 3, 2, 1, 4, 1, 2, K, K, K],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, K, 3],
    [K, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, K],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, K],
    strict=True,
))


@pytest.mark.parametrize("units, expected", [
    ([(1, 1), (0, 0), (1, 0), (0, 0)], 8 / 15),   # o00=4 o11=2 o01=o10=1; n0=5 n1=3: 1 - 7*2/30
    (KRIPPENDORFF_2011, 0.743),
    ([(1, 1, None), (0, 0, 0), (None, 1, 1)], 1.0),
    ([(1, 1), (1, 1)], NAN),                       # one label only
    ([(1, None), (None, 0)], NAN),                 # nothing pairable
])
def test_krippendorff_alpha(units, expected):
    value = krippendorff_alpha(units)
    if math.isnan(expected):
        assert math.isnan(value)
    else:
        assert value == pytest.approx(expected, abs=5e-4)


def view(rows):
    """A sentences view from (sentence_id, source, topics) rows."""
    return pd.DataFrame(rows, columns=["sentence_id", "source", "topics"])


A = view(
    [("s1", "manual", "ukraine"), ("s2", "manual", "ukraine;iran"), ("s3", "manual", ""), ("s4", "auto", "")]
)
B = view(
    [
        ("s1", "manual", "ukraine"),
        ("s2", "manual", "iran"),
        ("s3", "manual", "ukraine"),
        ("s4", "manual", "iran"),
    ]
)
C = view([("s1", "manual", "ukraine"), ("s2", "auto", ""), ("s3", "auto", ""), ("s4", "manual", "iran")])
KEYS = ["ukraine", "iran", "cyber"]


def test_kappa_between_two_annotators_per_topic():
    out = annotator_agreement({"a": A, "b": B}, keys=KEYS)
    expected = pd.DataFrame({
        "topic": KEYS, "method": "cohen_kappa", "annotators": "a;b", "n_items": 3,
        # ukraine: a TTF, b TFT: p_o 1/3, p_e 5/9 -> -1/2; iran identical; cyber never used
        "observed": [1 / 3, 1.0, 1.0], "value": [-0.5, 1.0, NAN],
    })
    pd.testing.assert_frame_equal(out, expected)


def test_alpha_between_three_annotators_per_topic():
    out = annotator_agreement({"a": A, "b": B, "c": C}, keys=KEYS)
    # ukraine: o_TT=3 (s1) o_TF=o_FT=2 (s2, s3) o_FF=2 (s4); n_T=5 n_F=4 n=9: 1 - 8*4/40
    expected = pd.DataFrame({
        "topic": KEYS, "method": "krippendorff_alpha", "annotators": "a;b;c", "n_items": 4,
        "observed": [8 / 12, 1.0, 1.0], "value": [0.2, 1.0, NAN],
    })
    pd.testing.assert_frame_equal(out, expected)


@pytest.mark.parametrize("kwargs, message", [
    ({"field": "speaker"}, "`field` value = 'speaker' is invalid; value must be one of {'topics', 'actors'}"),
    ({"method": "fleiss"}, "`method` value = 'fleiss' is invalid; value must be one of "
                           "{'auto', 'cohen_kappa', 'krippendorff_alpha'}"),
    ({"method": "cohen_kappa", "annotators": ["a", "b", "c"]}, "exactly two annotators"),
    ({"annotators": ["a"]}, "at least two annotators"),
])
def test_agreement_errors(kwargs, message):
    with pytest.raises(ValueError) as info:
        annotator_agreement({"a": A, "b": B, "c": C}, **kwargs)
    assert message in str(info.value)


def test_tagger_agreement_unknown_field():
    with pytest.raises(ValueError) as info:
        tagger_agreement((A, B), field="speakers")
    assert (
        str(info.value) == "`field` value = 'speakers' is invalid; value must be one of {'topics', 'actors'}"
    )


@pytest.mark.parametrize("empty", [NAN, None])
def test_empty_cells_read_as_nan_are_no_keys(empty):
    a = A.replace("", empty)
    assert annotator_agreement({"a": a, "b": B})["topic"].tolist() == ["ukraine", "iran"]
    assert tagger_agreement((a, B))["topic"].tolist() == ["ukraine", "iran"]


def test_tagger_against_decisions():
    automatic = view(
        [("s1", "auto", "ukraine"), ("s2", "auto", "ukraine"), ("s3", "auto", "iran"), ("s4", "auto", "")]
    )
    current = view(
        [("s1", "manual", "ukraine"), ("s2", "manual", "iran"), ("s3", "manual", "iran"), ("s4", "auto", "")]
    )
    out = tagger_agreement((automatic, current), keys=KEYS)
    expected = pd.DataFrame({
        "topic": KEYS, "n_items": 3, "tp": [1, 1, 0], "fp": [1, 0, 0], "fn": [0, 1, 0],
        "precision": [0.5, 1.0, NAN], "recall": [1.0, 0.5, NAN], "f1": [2 / 3, 2 / 3, NAN],
    })
    pd.testing.assert_frame_equal(out, expected)


def test_agreement_from_a_store(tmp_path):
    with Store(tmp_path / "s.sqlite") as store:
        store.save_annotations(make_annotations())
        a1, a2 = sid(store, "a", 1), sid(store, "a", 2)  # automatic topics: ukraine / iran
        store.correct(a1, "topics", "add", "minsk", annotator="huda")
        store.correct(a2, "reviewed", "set", True, annotator="huda")
        store.correct(a1, "topics", "add", "minsk", annotator="omar")
        store.correct(a2, "topics", "add", "ukraine", annotator="omar")
        store.correct(sid(store, "b", 0), "reviewed", "set", True, annotator="omar")  # only omar decided it
        keys = ["ukraine", "minsk", "iran", "cyber"]
        pd.testing.assert_frame_equal(annotator_agreement(store), pd.DataFrame({
            "topic": keys, "method": "cohen_kappa", "annotators": "huda;omar", "n_items": 2,
            "observed": [0.5, 1.0, 1.0, 1.0], "value": [0.0, 1.0, 1.0, NAN],
        }))
        pd.testing.assert_frame_equal(tagger_agreement(store), pd.DataFrame({
            "topic": keys, "n_items": 3, "tp": [1, 0, 1, 1], "fp": [0, 0, 0, 0], "fn": [1, 1, 0, 0],
            "precision": [1.0, NAN, 1.0, 1.0], "recall": [0.5, 0.0, 1.0, 1.0], "f1": [2 / 3, 0.0, 1.0, 1.0],
        }))
        assert tagger_agreement(store, annotator="huda")[["tp", "fn"]].values.tolist() == [
            [1, 0],
            [0, 1],
            [1, 0],
            [0, 0],
        ]
