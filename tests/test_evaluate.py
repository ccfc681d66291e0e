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


# --- paragraph-level gold ---------------------------------------------------------------

PCOLS = ["doc_id", "paragraph", "furniture", "topics", "speaker", "statement_type", "excerpt", "note"]
SCOLS = ["doc_id", "paragraph", "sentence", "sentence_id", "text", "topics", "actors", "speaker",
         "statement_type", "furniture"]

PGOLD = pd.DataFrame([
    ("p", 0, "", "iran", "lavrov", "", "لافروف يحذر من", ""),
    ("p", 1, "byline", "", "", "", "كتب محرر الشؤون", ""),
    ("p", 2, "", "ukraine;minsk", "kremlin;putin", "", "قال الكرملين إن", ""),
    ("p", 3, "", "cyber", "", "", "وتعرضت شركات", ""),
    ("q", 0, "", "ukraine", "biden", "warning", "بايدن يهدد", ""),
    ("q", 1, "related", "", "", "", "اقرأ أيضا", ""),
    ("q", 2, "", "iran", "", "", "وفي طهران", ""),
], columns=PCOLS)

PPRED = pd.DataFrame([
    ("p", 0, 0, "p:0", "لافروف يحذر من التصعيد", "iran", "lavrov", "lavrov", "warning", ""),
    ("p", 1, 0, "p:1", "كتب محرر الشؤون الدولية", "", "", "", "", "byline"),
    ("p", 2, 0, "p:2", "قال الكرملين إن المحادثات بناءة.", "ukraine", "kremlin", "kremlin", "", ""),
    ("p", 2, 1, "p:3", "وأضاف بوتين أن اتفاقات مينسك أساس.", "minsk", "putin", "putin", "", ""),
    ("p", 3, 0, "p:4", "وتعرضت شركات لهجمات إلكترونية.", "cyber", "", "", "", ""),
    ("q", 0, 0, "q:0", "بايدن يهدد بعقوبات", "ukraine", "biden", "biden", "warning", ""),
    ("q", 1, 0, "q:1", "اقرأ أيضا: تقرير عن كييف", "ukraine", "", "", "", ""),
    ("q", 2, 0, "q:2", "وفي طهران قال مسؤول إن المحادثات مستمرة", "iran", "", "unnamed_source", "", ""),
], columns=SCOLS)

DOCS = pd.DataFrame({"doc_id": ["p", "q"], "outlet": ["وكالة أ", "صحيفة ب"]})


def pick(report, outlet, measure, key):
    row = report[(report.outlet == outlet) & (report.measure == measure) & (report.key == key)]
    assert len(row) == 1, (outlet, measure, key)
    values = row.iloc[0][["precision", "recall", "f1", "accuracy"]]
    return tuple(None if v != v else round(v, 4) for v in values) + (
        int(row.iloc[0].support),)


@pytest.mark.parametrize(
    "outlet, measure, key, expected",
    [
        # the byline and the related link are left out; q:1 would be a false "ukraine" otherwise
        ("", "topic", "iran", (1.0, 1.0, 1.0, None, 2)),
        ("", "topic", "ukraine", (1.0, 1.0, 1.0, None, 2)),
        ("", "topic", "minsk", (1.0, 1.0, 1.0, None, 1)),
        ("", "topic", "micro", (1.0, 1.0, 1.0, None, 6)),
        # p:2 has two speakers in two sentences, equal to the gold set; q:2 names a speaker
        # the gold does not see: wrong for precision, not counted in accuracy
        ("", "speaker", "all", (0.75, 1.0, round(2 * 0.75 / 1.75, 4), 1.0, 3)),
        ("", "statement_type", "all", (None, None, None, 1.0, 1)),
        ("", "furniture", "byline", (1.0, 1.0, 1.0, None, 1)),
        ("", "furniture", "related", (None, 0.0, 0.0, None, 1)),
        ("", "furniture", "micro", (1.0, 0.5, round(2 / 3, 4), None, 2)),
        ("", "furniture", "any", (1.0, 0.5, round(2 / 3, 4), None, 2)),
        # per outlet: q's related link is not recognised, so its "ukraine" counts
        ("صحيفة ب", "topic", "micro", (1.0, 1.0, 1.0, None, 2)),
        ("صحيفة ب", "speaker", "all", (0.5, 1.0, round(2 / 3, 4), 1.0, 1)),
        ("صحيفة ب", "furniture", "any", (None, 0.0, 0.0, None, 1)),
        ("وكالة أ", "speaker", "all", (1.0, 1.0, 1.0, 1.0, 2)),
    ],
)
def test_paragraph_level_gold(outlet, measure, key, expected):
    report = evaluate(PGOLD, PPRED, documents=DOCS)
    assert list(report.columns) == [
        "outlet", "measure", "key", "precision", "recall", "f1", "support", "accuracy"
    ]
    assert pick(report, outlet, measure, key) == expected
    assert report.attrs["warnings"] == []


def test_paragraph_level_furniture_with_none_in_the_gold_or_found_has_no_score():
    report = evaluate(PGOLD.assign(furniture=""), PPRED.assign(furniture=""), documents=DOCS)
    assert pick(report, "وكالة أ", "furniture", "any") == (None, None, None, None, 0)  # not 0.0


def test_paragraph_level_topics_of_a_paragraph_taken_for_furniture_count_as_missed():
    pred = PPRED.assign(furniture=["", "byline", "", "", "caption", "", "", ""])
    report = evaluate(PGOLD, pred)
    assert pick(report, "", "topic", "cyber") == (None, 0.0, 0.0, None, 1)
    assert pick(report, "", "furniture", "caption") == (0.0, None, 0.0, None, 0)
    assert set(report.outlet) == {""}  # no documents, no per-outlet rows


def test_paragraph_level_speaker_sets_must_be_equal():
    gold = PGOLD.assign(speaker=["lavrov", "", "kremlin", "", "biden", "", ""])  # p:2 gold has one speaker
    report = evaluate(gold, PPRED)
    assert pick(report, "", "speaker", "all")[3] == round(2 / 3, 4)


def test_paragraph_level_excerpt_that_does_not_begin_the_paragraph_is_reported():
    gold = PGOLD.copy()
    gold.loc[3, "excerpt"] = "وأعلنت الحكومة"
    gold.loc[6, "paragraph"] = 9
    warnings = evaluate(gold, PPRED).attrs["warnings"]
    assert len(warnings) == 2
    assert warnings[0].startswith("p paragraph 3: the gold excerpt 'وأعلنت الحكومة' does not begin")
    assert warnings[1] == "q paragraph 9: no such paragraph among the predictions"


def test_paragraph_level_gold_repeating_a_paragraph_is_refused():
    with pytest.raises(EvaluationError, match="doc_id 'p' paragraph 0 more than once"):
        evaluate(pd.concat([PGOLD, PGOLD.iloc[:1]]), PPRED)


def test_read_gold_from_a_folder_of_spreadsheet_files(tmp_path):
    from workbench.evaluate import read_gold

    PGOLD[PGOLD.doc_id == "p"].to_csv(tmp_path / "p.csv", index=False, encoding="utf-8-sig")
    q = PGOLD[PGOLD.doc_id == "q"].to_csv(index=False, sep=";")
    (tmp_path / "q.csv").write_text("sep=;\n" + q, encoding="utf-8")
    gold = read_gold(tmp_path)
    assert gold.doc_id.tolist() == ["p"] * 4 + ["q"] * 3
    assert (gold.fillna("") == gold).all().all()  # empty cells are ""
    report = evaluate(gold, PPRED, documents=DOCS)
    assert pick(report, "", "topic", "micro") == (1.0, 1.0, 1.0, None, 6)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda d: d / "missing.csv", "not found"),
        (lambda d: (d / "empty").mkdir() or d / "empty", r"holds no gold \*\.csv files"),
        (lambda d: (d / "b.csv").write_bytes(b"doc_id\n\xff\n") and d / "b.csv", "not UTF-8"),
    ],
)
def test_read_gold_errors_name_the_file(tmp_path, make, message):
    from workbench.evaluate import read_gold

    with pytest.raises(EvaluationError, match=message):
        read_gold(make(tmp_path))


def test_read_gold_refuses_files_with_other_columns(tmp_path):
    from workbench.evaluate import read_gold

    PGOLD.to_csv(tmp_path / "a.csv", index=False)
    PGOLD.drop(columns=["note"]).to_csv(tmp_path / "b.csv", index=False)
    with pytest.raises(EvaluationError, match=r"b.csv: its columns .* differ from those of a.csv"):
        read_gold(tmp_path)


def test_format_report_of_a_paragraph_level_report():
    lines = format_report(evaluate(PGOLD, PPRED, documents=DOCS)).split("\n")
    assert lines[0].split() == [
        "outlet", "measure", "key", "precision", "recall", "f1", "support", "accuracy"
    ]
    assert lines[1].split()[:3] == ["(all)", "topic", "iran"]
    assert any(line.split()[:3] == ["صحيفة", "ب", "speaker"] for line in lines)


def test_paragraph_level_calibration_by_confidence_level():
    # each gold body paragraph is as sure as its least sure sentence: p0 0.95 and p3 1.0
    # (no cue) are high and right; p2 0.7 (a carried subject) is right and q2 0.8 (an
    # anonymous source the gold does not see) wrong, both medium; q0 0.45 (a near miss) low
    pred = PPRED.assign(confidence=[0.95, 1.0, 0.95, 0.7, 1.0, 0.45, 1.0, 0.8])
    report = evaluate(PGOLD, pred)
    assert pick(report, "", "confidence", "high") == (None, None, None, 1.0, 2)
    assert pick(report, "", "confidence", "medium") == (None, None, None, 0.5, 2)
    assert pick(report, "", "confidence", "low") == (None, None, None, 1.0, 1)
    values = report[report.measure == "confidence_value"]
    assert list(zip(values.key, values.support, values.accuracy, strict=True)) == [
        ("1.00", 1, 1.0), ("0.95", 1, 1.0), ("0.80", 1, 0.0), ("0.70", 1, 1.0), ("0.45", 1, 1.0)]
    assert "confidence" not in set(evaluate(PGOLD, PPRED).measure)  # no column, no calibration
