"""Tests for workbench.evaluate: per-topic P/R/F1, actor micro F1, speaker accuracy, report."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from workbench.evaluate import EvaluationError, evaluate, format_report

NAN = np.nan
COLS = ["doc_id", "paragraph", "sentence", "sentence_id", "topics", "actors", "speaker"]
GOLD_DIR = Path(__file__).resolve().parent / "data" / "gold"


def frame(rows, *, statement_type=None):
    df = pd.DataFrame(rows, columns=COLS)
    if statement_type is not None:
        df["statement_type"] = statement_type
    return df


GOLD = frame([
    ("d", 0, 0, "d:1", "ukraine;iran", "putin;biden", "putin"),
    ("d", 1, 0, "d:2", "cyber", "usa", ""),
    ("d", 2, 0, "d:3", "", "", "biden"),
])
PRED = frame([
    ("d", 0, 0, "d:1", "ukraine", "putin;usa", "putin"),
    ("d", 1, 0, "d:2", "cyber;iran", "usa", "usa"),
    ("d", 2, 0, "d:3", "", "", ""),
])
EXPECTED = pd.DataFrame(
    [
        ("topic", "ukraine", 1.0, 1.0, 1.0, 1, NAN),
        ("topic", "iran", 0.0, 0.0, 0.0, 1, NAN),
        ("topic", "cyber", 1.0, 1.0, 1.0, 1, NAN),
        ("topic", "micro", 2 / 3, 2 / 3, 2 / 3, 3, NAN),
        ("actor", "micro", 2 / 3, 2 / 3, 2 / 3, 3, NAN),
        ("actor", "putin", 1.0, 1.0, 1.0, 1, NAN),
        ("actor", "biden", NAN, 0.0, 0.0, 1, NAN),  # never predicted: precision undefined
        ("actor", "usa", 0.5, 1.0, 2 / 3, 1, NAN),
        ("speaker", "all", 0.5, 0.5, 0.5, 2, 1 / 3),
    ],
    columns=["measure", "key", "precision", "recall", "f1", "support", "accuracy"],
)


def test_counts_per_topic_actor_and_speaker():
    pd.testing.assert_frame_equal(evaluate(GOLD, PRED), EXPECTED)


def test_inputs_are_not_changed():
    gold, pred = GOLD.copy(), PRED.copy()
    evaluate(gold, pred)
    pd.testing.assert_frame_equal(gold, GOLD)
    pd.testing.assert_frame_equal(pred, PRED)


@pytest.mark.parametrize(
    "change",
    [
        # ids differ (gold written against another copy): rows match on doc/paragraph/sentence
        lambda p: p.assign(sentence_id=["x:1", "x:2", "x:3"]),
        # extra predicted sentences are ignored; order does not matter
        lambda p: pd.concat([p, frame([("e", 0, 0, "e:1", "iran", "irn", "irn")])]).iloc[::-1],
        # NaN (an empty cell read by pandas) is empty
        lambda p: p.replace("", NAN),
        # more columns (a full sentences.csv) are fine
        lambda p: p.assign(text="نص", source="auto", reviewed=False),
    ],
)
def test_alignment_and_empty_cells(change):
    pd.testing.assert_frame_equal(evaluate(GOLD, change(PRED.copy())), EXPECTED)


@pytest.mark.parametrize(
    "change",
    [
        # empty gold cells read as NaN, in every key column
        lambda g: g.replace("", NAN),
        # None is empty too
        lambda g: g.replace("", None),
        # blanks around keys and separators are ignored
        lambda g: g.assign(topics=[" ukraine ; iran ", "cyber;", " "]),
    ],
)
def test_empty_gold_cells(change):
    pd.testing.assert_frame_equal(evaluate(change(GOLD.copy()), PRED), EXPECTED)


def test_gold_read_from_csv_with_empty_cells(tmp_path):
    path = tmp_path / "gold.csv"
    GOLD.to_csv(path, index=False, encoding="utf-8-sig")
    gold = pd.read_csv(path, encoding="utf-8-sig")  # empty cells become NaN
    assert gold["topics"].isna().any()
    pd.testing.assert_frame_equal(evaluate(gold, PRED), EXPECTED)


def test_gold_sentence_without_prediction_counts_as_empty():
    report = evaluate(GOLD, PRED.iloc[:1]).set_index(["measure", "key"])
    cyber = report.loc[("topic", "cyber")]
    assert np.isnan(cyber.precision)
    assert [cyber.recall, cyber.f1, cyber.support] == [0.0, 0.0, 1]
    assert report.loc[("speaker", "all"), "accuracy"] == pytest.approx(2 / 3)  # d:2 "" == ""


def test_statement_type_accuracy_over_attributed_gold_sentences():
    gold = GOLD.assign(statement_type=["concern", "", "support"])
    pred = PRED.assign(statement_type=["concern", "announcement", ""])
    row = evaluate(gold, pred).iloc[-1]
    assert (row.measure, row.key, row.support, row.accuracy) == ("statement_type", "all", 2, 0.5)
    assert np.isnan(row.precision) and np.isnan(row.f1)


@pytest.mark.parametrize(
    "gold, pred, message",
    [
        (GOLD.drop(columns=["speaker", "actors"]), PRED,
         "the gold table lacks column(s) actors, speaker; it must be in the sentences.csv schema"),
        (GOLD, PRED.drop(columns=["topics"]), "the predicted table lacks column(s) topics"),
        (pd.concat([GOLD, GOLD.iloc[:1]]), PRED, "the gold table has sentence_id 'd:1' more than once"),
    ],
)
def test_bad_tables_raise_clear_errors(gold, pred, message):
    with pytest.raises(EvaluationError) as info:
        evaluate(gold, pred)
    assert message in str(info.value)


def test_format_report():
    text = format_report(evaluate(GOLD.iloc[:1], PRED.iloc[:1]))
    assert text.split("\n") == [
        "measure  key      precision  recall     f1  support  accuracy",
        "topic    ukraine      1.000   1.000  1.000        1         -",
        "topic    iran             -   0.000  0.000        1         -",
        "topic    micro        1.000   0.500  0.667        2         -",
        "actor    micro        0.500   0.500  0.500        2         -",
        "actor    putin        1.000   1.000  1.000        1         -",
        "actor    biden            -   0.000  0.000        1         -",
        "actor    usa          0.000       -  0.000        0         -",
        "speaker  all          1.000   1.000  1.000        1     1.000",
    ]


@pytest.mark.parametrize("path", sorted(GOLD_DIR.glob("*.csv")), ids=lambda p: p.stem)
def test_gold_files_agree_with_themselves(path):
    gold = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False)
    assert list(gold.columns[:12]) == [
        "doc_id",
        "paragraph",
        "sentence",
        "sentence_id",
        "start",
        "end",
        "text",
        "topics",
        "actors",
        "speaker",
        "source",
        "reviewed",
    ]
    report = evaluate(gold, gold)
    scored = report.dropna(subset=["f1"])
    assert (scored.f1 == 1.0).all()
    assert (report.accuracy.dropna() == 1.0).all()
