"""Tests for workbench/outlets.py: outlet profiles, keyness, coverage over time."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from scipy.stats import chi2_contingency
from test_reuse import S1, S2, WIRE

from workbench import outlets, reuse
from workbench.codebook import CodebookEntry, CodebookSummary

A, B, C = "صحيفة أ", "موقع ب", "وكالة ج"  # sorted in this order (ص < م < و)
DOCUMENTS = pd.DataFrame({
    "doc_id": ["d1", "d2", "d3", "d4", "d5"],
    "outlet": [A, A, B, C, C],
    "date": ["2022-01-10", "2022-01-18", "2022-01-11", "2022-01-12", ""],
})
# (doc_id, text, topics, actors, speaker, statement_type, quote)
ROWS = [
    ("d1", "قال بيسكوف إن «الحوار مستمر» حول أوكرانيا.", "ukraine", "peskov", "peskov", "", "الحوار مستمر"),
    ("d1", "وأضاف بيسكوف أن موسكو تنتظر ردا.", "", "peskov", "peskov", "announcement", ""),
    ("d1", "وتناول المقال أزمة اوكرانيا.", "ukraine", "", "", "", ""),
    ("d2", "حذر بلينكن من تصعيد في أوكرانيا.", "ukraine", "blinken", "blinken", "warning", ""),
    ("d2", "وتستمر محادثات فيينا.", "iran", "", "", "", ""),
    ("d3", "قالت الخارجية الأميركية إن «الوقت ينفد» في فيينا.", "iran", "us_state_department",
     "us_state_department", "", "الوقت ينفد"),
    ("d3", "وأكد بيسكوف أن «الحوار مستمر».", "", "peskov", "peskov", "", "الحوار مستمر"),
    ("d4", "هجوم إلكتروني على مواقع أوكرانية.", "cyber;ukraine", "ukr", "", "", ""),
    ("d4", "وأعلنت أوكرانيا التحقيق في الهجوم.", "cyber", "ukr", "ukr", "announcement", ""),
    ("d5", "خبر بلا تاريخ عن أوكرانيا.", "ukraine", "", "", "", ""),
]


def _sentences(rows=ROWS) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["doc_id", "text", "topics", "actors", "speaker",
                                        "statement_type", "quote"])
    frame.insert(1, "paragraph", frame.groupby("doc_id").cumcount())
    ids = [f"{d}:{p}" for d, p in zip(frame["doc_id"], frame["paragraph"], strict=True)]
    frame.insert(2, "sentence_id", ids)
    return frame


SENTENCES = _sentences()


@pytest.fixture
def sentences():
    """A copy, checked after use: no table modifies its input."""
    frame = SENTENCES.copy()
    yield frame
    pd.testing.assert_frame_equal(frame, SENTENCES)


def test_speaker_shares_per_speaker(sentences):
    got = outlets.speaker_shares(sentences, documents=DOCUMENTS, labels="en")
    expected = pd.DataFrame([
        (A, "peskov", "Dmitry Peskov", 2, 2 / 3), (A, "blinken", "Antony Blinken", 1, 1 / 3),
        (A, "us_state_department", "US State Department", 0, 0.0), (A, "ukr", "Ukraine", 0, 0.0),
        (B, "peskov", "Dmitry Peskov", 1, 0.5), (B, "blinken", "Antony Blinken", 0, 0.0),
        (B, "us_state_department", "US State Department", 1, 0.5), (B, "ukr", "Ukraine", 0, 0.0),
        (C, "peskov", "Dmitry Peskov", 0, 0.0), (C, "blinken", "Antony Blinken", 0, 0.0),
        (C, "us_state_department", "US State Department", 0, 0.0), (C, "ukr", "Ukraine", 1, 1.0),
    ], columns=["outlet", "speaker", "speaker_en", "statements", "share"])
    pd.testing.assert_frame_equal(got, expected)


def test_speaker_shares_per_actor_type(sentences):
    got = outlets.speaker_shares(sentences, documents=DOCUMENTS, by="type", labels="ar")
    assert got.values.tolist() == [
        [A, "person", "شخص", 3, 1.0], [A, "institution", "مؤسسة", 0, 0.0], [A, "state", "دولة", 0, 0.0],
        [B, "person", "شخص", 1, 0.5], [B, "institution", "مؤسسة", 1, 0.5], [B, "state", "دولة", 0, 0.0],
        [C, "person", "شخص", 0, 0.0], [C, "institution", "مؤسسة", 0, 0.0], [C, "state", "دولة", 1, 1.0],
    ]
    assert got.columns.tolist() == ["outlet", "speaker_type", "speaker_type_ar", "statements", "share"]


def test_actor_types_come_from_the_codebook_given():
    codebook = CodebookSummary(actors=(CodebookEntry("peskov", type="media"),
                                       CodebookEntry("ukr", type="state")))
    assert outlets.actor_types(codebook) == {"peskov": "media", "ukr": "state"}
    got = outlets.speaker_shares(SENTENCES, documents=DOCUMENTS, by="type", codebook=codebook)
    assert got["speaker_type"].unique().tolist() == ["state", "media", "other"]
    assert outlets.actor_types()["us_state_department"] == "institution"  # the default codebook


def test_statement_types_by_speaker(sentences):
    got = outlets.statement_types_by_speaker(sentences, documents=DOCUMENTS)
    assert got.values.tolist() == [
        [A, "peskov", "announcement", 1, 0.5], [A, "peskov", "", 1, 0.5],
        [A, "blinken", "warning", 1, 1.0],
        [B, "peskov", "", 1, 1.0], [B, "us_state_department", "", 1, 1.0],
        [C, "ukr", "announcement", 1, 1.0],
    ]
    labelled = outlets.statement_types_by_speaker(sentences, documents=DOCUMENTS, labels="en")
    assert labelled.columns.tolist() == ["outlet", "speaker", "speaker_en", "statement_type",
                                         "statement_type_en", "statements", "share"]
    assert labelled["statement_type_en"].tolist()[:3] == ["Announcement", "", "Warning or threat"]


def test_quotation_shares(sentences):
    got = outlets.quotation_shares(sentences, documents=DOCUMENTS)
    expected = pd.DataFrame([(A, 3, 1, 2, 1 / 3), (B, 2, 2, 0, 1.0), (C, 1, 0, 1, 0.0)],
                            columns=["outlet", "statements", "quoted", "paraphrased", "quoted_share"])
    pd.testing.assert_frame_equal(got, expected)


# ------------------------------------------------------------------ keyness

# Topic counts per outlet: A ukraine 3, iran 1; B iran 1; C ukraine 2, cyber 2 (nine in all).


def _table(row) -> list[list[int]]:
    """The 2x2 table of a keyness row: the feature and the rest, in target and reference."""
    return [[row["n_target"], row["n_reference"]],
            [row["target_total"] - row["n_target"], row["reference_total"] - row["n_reference"]]]


@pytest.mark.parametrize(
    ("target", "feature", "n_target", "n_reference", "target_total", "reference_total"),
    [(A, "ukraine", 3, 2, 4, 5), (C, "cyber", 2, 0, 4, 5), (B, "ukraine", 0, 5, 1, 8)],
)
def test_keyness_counts_and_chi2_as_a_two_by_two_test(target, feature, n_target, n_reference,
                                                     target_total, reference_total):
    got = outlets.keyness(SENTENCES, documents=DOCUMENTS, target=target, feature="topic")
    row = got.set_index("feature").loc[feature]
    assert (row["n_target"], row["n_reference"]) == (n_target, n_reference)
    table = [[n_target, n_reference], [target_total - n_target, reference_total - n_reference]]
    # every table here has an expected count below 5 and |ad - bc| >= N/2: Yates applies
    expected = chi2_contingency(table, correction=True).statistic
    sign = 1 if n_target > (n_target + n_reference) * target_total / 9 else -1
    assert row["chi2"] == pytest.approx(sign * expected)
    assert row["p"] == pytest.approx(chi2_contingency(table, correction=True).pvalue)
    assert row["expected"] == pytest.approx((n_target + n_reference) * target_total / 9)
    assert row["small"]  # expected counts below 5: flagged, not ranked
    assert pd.isna(row["rank"])


def test_keyness_chi2_yates_by_hand():
    # A, ukraine: a=3 b=2 c=1 d=3, N=9; 9 * (|9 - 2| - 4.5)^2 / (5 * 4 * 4 * 5)
    got = outlets.keyness(SENTENCES, documents=DOCUMENTS, target=A, feature="topic")
    assert got.set_index("feature").loc["ukraine", "chi2"] == pytest.approx(0.140625)
    none = outlets.keyness(SENTENCES, documents=DOCUMENTS, target=A, feature="topic", correction="none")
    assert none.set_index("feature").loc["ukraine", "chi2"] == pytest.approx(9 * 7 ** 2 / 400)


def test_keyness_likelihood_ratio():
    got = outlets.keyness(SENTENCES, documents=DOCUMENTS, target=A, feature="topic", measure="lr",
                          correction="none")
    assert "G2" in got.columns and "chi2" not in got.columns
    row = got.set_index("feature").loc["ukraine"]
    oracle = chi2_contingency([[3, 2], [1, 3]], correction=False, lambda_="log-likelihood")
    assert row["G2"] == pytest.approx(oracle.statistic)
    assert row["p"] == pytest.approx(oracle.pvalue)
    cyber = got.set_index("feature").loc["cyber"]  # A never raises cyber: negative
    assert cyber["G2"] < 0 and cyber["n_target"] == 0


def test_keyness_williams_divides_g2_by_q():
    none = outlets.keyness(SENTENCES, documents=DOCUMENTS, target=A, feature="topic", measure="lr",
                           correction="none").set_index("feature")
    williams = outlets.keyness(SENTENCES, documents=DOCUMENTS, target=A, feature="topic",
                               measure="lr", correction="williams").set_index("feature")
    a, b, c, d, n = 3, 2, 1, 3, 9
    q = 1 + (n / (a + b) + n / (c + d) - 1) * (n / (a + c) + n / (b + d) - 1) / (6 * n)
    assert williams.loc["ukraine", "G2"] == pytest.approx(none.loc["ukraine", "G2"] / q)


def test_keyness_ranks_large_counts_and_flags_small_ones():
    got = outlets.keyness(SENTENCES, documents=DOCUMENTS, target=A, feature="topic", min_expected=0)
    assert got["feature"].tolist() == ["ukraine", "iran", "cyber"]  # by the statistic
    assert got["rank"].tolist() == [1, 2, 3] and not got["small"].any()
    assert got["chi2"].is_monotonic_decreasing
    every = outlets.keyness(SENTENCES, documents=DOCUMENTS, feature="topic", min_expected=1.5)
    assert every["outlet"].unique().tolist() == [A, B, C]
    part = every[every["outlet"] == A]
    # smallest expected counts: ukraine 1.78, iran and cyber 0.89 (2 * 4 / 9)
    assert part[["feature", "small"]].values.tolist() == [
        ["ukraine", False], ["iran", True], ["cyber", True]]  # ranked first, then the small
    assert part["rank"].tolist()[0] == 1 and part["rank"].isna().tolist() == [False, True, True]


def test_keyness_words_are_normalised_and_shown_as_written():
    got = outlets.keyness(SENTENCES, documents=DOCUMENTS, target=A, feature="word").set_index("feature")
    # أوكرانيا (twice) and اوكرانيا (once) in A; أوكرانيا twice elsewhere (d5, d4 s2)
    assert got.loc["أوكرانيا", ["n_target", "n_reference"]].tolist() == [3, 2]
    assert "اوكرانيا" not in got.index
    assert got.loc["بيسكوف", ["n_target", "n_reference"]].tolist() == [2, 1]


@pytest.mark.parametrize("measure, correction", [("chi2", "default"), ("chi2", "none"), ("lr", "default"),
                                                 ("lr", "williams")])
def test_keyness_of_the_only_feature_is_zero_not_an_error(measure, correction):
    # every sentence mentions Peskov and no one else: no outlet can stress him more than
    # another (the 2x2 table has an empty row); the export must not fail on such a corpus
    rows = [(d, "قال بيسكوف إن الحوار مستمر.", "", "peskov", "peskov", "", "")
            for d in ("d1", "d2", "d3", "d4")]
    got = outlets.keyness(_sentences(rows), documents=DOCUMENTS, feature="actor", measure=measure,
                          correction=correction)
    stat = "chi2" if measure == "chi2" else "G2"
    assert got[["outlet", "feature", stat, "p", "n_target", "n_reference", "small"]].values.tolist() == [
        [A, "peskov", 0.0, 1.0, 2, 2, True], [B, "peskov", 0.0, 1.0, 1, 3, True],
        [C, "peskov", 0.0, 1.0, 1, 3, True]]
    assert got["rank"].isna().all()


@pytest.mark.parametrize("measure", ["chi2", "lr"])
def test_keyness_exactly_as_expected_is_zero_not_minus_zero(measure):
    # A and B both mention Peskov once and Blinken once: each count is what is expected
    rows = [("d1", "نص.", "", "peskov", "", "", ""), ("d1", "نص.", "", "blinken", "", "", ""),
            ("d3", "نص.", "", "peskov", "", "", ""), ("d3", "نص.", "", "blinken", "", "", "")]
    got = outlets.keyness(_sentences(rows), documents=DOCUMENTS, feature="actor", measure=measure)
    stat = "chi2" if measure == "chi2" else "G2"
    assert got[stat].tolist() == [0.0] * 4
    assert [math.copysign(1.0, v) for v in got[stat]] == [1.0] * 4  # written "0.0" in the export


def test_keyness_errors():
    with pytest.raises(ValueError, match="`target` value = 'X' is not an outlet"):
        outlets.keyness(SENTENCES, documents=DOCUMENTS, target="X")
    with pytest.raises(ValueError, match="correction='williams' applies to measure='lr'"):
        outlets.keyness(SENTENCES, documents=DOCUMENTS, correction="williams")
    with pytest.raises(ValueError, match="`feature` value = 'noun' is invalid"):
        outlets.keyness(SENTENCES, documents=DOCUMENTS, feature="noun")


# ------------------------------------------------------------------ over time


def test_coverage_by_week_per_outlet(sentences):
    got = outlets.coverage_over_time(sentences, documents=DOCUMENTS)
    assert got.columns.tolist() == ["period", "outlet", "topic", "sentences", "articles"]
    rows = {(p, o, t): (n, a) for p, o, t, n, a in got.values.tolist()}
    assert len(rows) == 2 * 3 * 3  # two weeks, three outlets, the three topics (d5 is undated)
    assert {k: v for k, v in rows.items() if v != (0, 0)} == {
        ("2022-01-10", A, "ukraine"): (2, 1),
        ("2022-01-10", B, "iran"): (1, 1),
        ("2022-01-10", C, "ukraine"): (1, 1),
        ("2022-01-10", C, "cyber"): (2, 1),
        ("2022-01-17", A, "ukraine"): (1, 1),
        ("2022-01-17", A, "iran"): (1, 1),
    }


def test_coverage_by_day_overall_has_every_day(sentences):
    got = outlets.coverage_over_time(sentences, documents=DOCUMENTS, freq="day", by=None, labels="ar")
    assert got.columns.tolist() == ["period", "topic", "topic_ar", "sentences", "articles"]
    assert got["period"].unique().tolist() == [f"2022-01-{d}" for d in range(10, 19)]
    ukraine = got[got["topic"] == "ukraine"].set_index("period")["sentences"]
    assert ukraine[ukraine > 0].to_dict() == {"2022-01-10": 2, "2022-01-12": 1, "2022-01-18": 1}


def test_coverage_of_speakers():
    got = outlets.coverage_over_time(SENTENCES, documents=DOCUMENTS, what="speaker", by=None)
    assert got.columns.tolist() == ["period", "speaker", "statements", "articles"]
    assert got[got["statements"] > 0].values.tolist() == [
        ["2022-01-10", "peskov", 3, 2], ["2022-01-10", "us_state_department", 1, 1],
        ["2022-01-10", "ukr", 1, 1], ["2022-01-17", "blinken", 1, 1]]


def test_actor_statements_in_date_order():
    marked = SENTENCES.assign(reuse_cluster=[1, 0, 0, 0, 0, 0, 1, 0, 0, 0],
                              reused_copy=[False] * 6 + [True] + [False] * 3)
    got = outlets.actor_statements(marked, "peskov", documents=DOCUMENTS)
    assert got[["date", "outlet", "doc_id", "quote", "reuse_cluster"]].values.tolist() == [
        ["2022-01-10", A, "d1", "الحوار مستمر", 1], ["2022-01-10", A, "d1", "", 0],
        ["2022-01-11", B, "d3", "الحوار مستمر", 1]]
    once = outlets.actor_statements(marked, "peskov", documents=DOCUMENTS, reused="once")
    assert once["doc_id"].tolist() == ["d1", "d1"]  # the copy of the quotation is listed once


def test_reused_once_in_profiles():
    marked = SENTENCES.assign(reuse_cluster=0, reused_copy=[False] * 6 + [True] + [False] * 3)
    got = outlets.speaker_shares(marked, documents=DOCUMENTS, reused="once")
    assert got.set_index(["outlet", "speaker"]).loc[(B, "peskov"), "statements"] == 0


def test_outlet_tables_need_outlets():
    with pytest.raises(ValueError, match="need each article's outlet and date: pass documents="):
        outlets.speaker_shares(SENTENCES)
    with pytest.raises(ValueError, match="`documents` has no row for doc_id 'd5'"):
        outlets.speaker_shares(SENTENCES, documents=DOCUMENTS.iloc[:4])


# ------------------------------------------------------------------ reuse by outlet


@pytest.fixture(scope="module")
def found() -> reuse.Reuse:
    own = "كتب مراسلنا عن أجواء الترقب في العاصمة قبل ساعات من الاجتماع المنتظر بين الوفدين"
    return reuse.find_reuse(pd.DataFrame({
        "doc_id": ["wire", "x1", "x2", "y1"],
        "outlet": ["وكالة", "صحيفة", "صحيفة", "موقع"],
        "date": ["2022-01-20", "2022-01-21", "2022-01-22", "2022-01-21"],
        "text": [WIRE, f"عنوان\n{S1}\n{own}.\n", f"عنوان آخر\n{own} أيضا.\n", f"عنوان\n{S1} {S2}\n"],
    }))


def test_outlet_reuse(found):
    got = outlets.outlet_reuse(found)
    assert got.columns.tolist() == ["outlet", "articles", "words", "shared_words", "original_share",
                                    "clusters", "first_carrier", "copies"]
    rows = got.set_index("outlet")
    # clusters: the wire paragraph S1 S2 (wire, x1 with S1 alone, y1), the own paragraph (x1, x2)
    assert found.clusters["doc_ids"].tolist() == ["wire;x1;y1", "x1;x2"]
    assert rows.loc["صحيفة", ["articles", "clusters", "first_carrier", "copies"]].tolist() == [2, 2, 1, 1]
    assert rows.loc["وكالة", ["articles", "clusters", "first_carrier", "copies"]].tolist() == [1, 1, 1, 0]
    assert rows.loc["موقع", ["clusters", "first_carrier", "copies"]].tolist() == [1, 0, 1]
    words = found.articles.groupby("outlet")[["words", "shared_words"]].sum()
    assert rows["original_share"].to_dict() == pytest.approx(
        (1 - words["shared_words"] / words["words"]).to_dict())


def test_shared_passages(found):
    got = outlets.shared_passages(found)
    assert got.columns.tolist() == ["outlet", "صحيفة", "موقع", "وكالة"]
    assert got.values.tolist() == [["صحيفة", 2, 1, 1], ["موقع", 1, 1, 1], ["وكالة", 1, 1, 1]]


def test_outlet_profiles_names_every_table(found):
    got = outlets.outlet_profiles(SENTENCES, documents=DOCUMENTS, reuse_found=found)
    assert list(got) == ["outlet_topics", "outlet_speakers", "outlet_speaker_types",
                         "outlet_statement_types", "outlet_quotation", "outlet_keyness_words",
                         "outlet_keyness_actors", "coverage_by_week", "reuse_by_outlet",
                         "shared_passages"]
    assert got["outlet_topics"]["outlet"].unique().tolist() == [A, B, C]
    assert math.isclose(got["outlet_quotation"]["quoted_share"].iloc[1], 1.0)


def test_coverage_leaves_out_articles_not_dated_to_the_day():
    documents = DOCUMENTS.assign(date=["2022-01-10", "2022-01", "2022-01-11", "2022-01-12", ""])
    got = outlets.coverage_over_time(SENTENCES, documents=documents, by=None, freq="day")
    assert got["period"].unique().tolist() == ["2022-01-10", "2022-01-11", "2022-01-12"]
    assert got["sentences"].sum() == 2 + 1 + 3  # d1, d3 and d4; d2 is dated to the month only


def test_coverage_counts_a_date_with_a_time_on_its_day():
    # a documents frame from another tool: ISO dates with a time of day (T or a space)
    documents = DOCUMENTS.assign(date=["2022-01-10T08:30:00", "2022-01-18 23:59", "2022-01-11",
                                       "2022-01-12T00:00:00+02:00", ""])
    got = outlets.coverage_over_time(SENTENCES, documents=documents, by=None, freq="day")
    expected = outlets.coverage_over_time(SENTENCES, documents=DOCUMENTS, by=None, freq="day")
    pd.testing.assert_frame_equal(got, expected)
    assert got["sentences"].sum() == 2 + 2 + 1 + 3  # d1 to d4, each on its day; d5 is undated


@pytest.mark.parametrize("date", ["11/01/2022", "2022/01/11", "20220111", "11 يناير 2022", "2022-13-01"])
@pytest.mark.parametrize("table", [
    lambda s, d: outlets.coverage_over_time(s, documents=d),
    lambda s, d: outlets.actor_statements(s, "peskov", documents=d),
    lambda s, d: outlets.speaker_shares(s, documents=d),
])
def test_a_date_not_in_iso_form_is_a_clear_error_naming_the_article(table, date):
    # string order would put 11/01/2022 before 2022-01-10 and the timeline would drop it
    documents = DOCUMENTS.assign(date=["2022-01-10", "2022-01-18", date, "2022-01-12", ""])
    with pytest.raises(ValueError, match=f"doc_id 'd3': date '{date}' is not a date in the form YYYY-MM-DD"):
        table(SENTENCES, documents)


def test_page_furniture_is_left_out_of_the_outlet_tables(sentences):
    # a caption naming Blinken as a speaker in d3 (outlet B) counts for nobody
    caption = ("d3", "وزير الخارجية الأميركي أنتوني بلينكن (أ ف ب)", "", "blinken", "blinken", "", "")
    furnished = _sentences(ROWS + [caption]).assign(furniture=[""] * len(ROWS) + ["caption"])
    got = outlets.speaker_shares(furnished, documents=DOCUMENTS, labels="en")
    pd.testing.assert_frame_equal(got, outlets.speaker_shares(sentences, documents=DOCUMENTS, labels="en"))


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({}, {"outlet": A, "actor": "peskov", "topic": "ukraine"}),  # A and C tie on two articles: A first
        ({"outlet": B, "topic": "iran"}, {"outlet": B, "actor": "peskov", "topic": "iran"}),
        ({"outlet": C, "actor": "blinken", "topic": "cyber"},
         {"outlet": C, "actor": "blinken", "topic": "cyber"}),
    ],
)
def test_focus_is_what_was_chosen_else_the_most_frequent(sentences, given, expected):
    assert outlets.focus(sentences, documents=DOCUMENTS, **given) == expected


def test_focus_on_a_corpus_without_statements_is_empty_where_there_is_none():
    quiet = _sentences([("d1", "خبر قصير.", "", "", "", "", "")])
    assert outlets.focus(quiet, documents=DOCUMENTS) == {"outlet": A, "actor": "", "topic": ""}
