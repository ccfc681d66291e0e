"""Tests for workbench/tables.py: DataFrame in, new DataFrame out."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import (
    CODEBOOK_FORMS,
    DOCUMENTS,
    MARKED,
    MENTIONS,
    ROWS,
    SENTENCES,
    TABLES_CODEBOOK,
    TEXTS,
    TOPICS,
    build_frames,
)

from workbench import tables


@pytest.fixture
def frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Copies, checked after each use to prove the tables never mutate their input."""
    s, m = SENTENCES.copy(), MENTIONS.copy()
    yield s, m
    pd.testing.assert_frame_equal(s, SENTENCES)
    pd.testing.assert_frame_equal(m, MENTIONS)


def _frame(columns: list[str], rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


# ------------------------------------------------------------------ split_keys


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ukraine;minsk", ["ukraine", "minsk"]),
        ("iran", ["iran"]),
        ("", []),
        (None, []),
        (float("nan"), []),
        (" ukraine ; ;iran ", ["ukraine", "iran"]),
        (["ukraine", "iran"], ["ukraine", "iran"]),
        # a list or tuple: its items cleaned like cells (blanks, None and NaN dropped)
        ((" ukraine ", None, "", float("nan"), "iran"), ["ukraine", "iran"]),
        (["ukraine;minsk", "iran"], ["ukraine", "minsk", "iran"]),
        ([], []),
    ],
)
def test_split_keys(value: object, expected: list[str]) -> None:
    assert tables.split_keys(value) == expected


# ------------------------------------------------------------------ topic_counts

COUNT_COLUMNS = ["doc_id", "topic", "sentences", "mentions", "share"]


def test_topic_counts_per_document(frames) -> None:
    s, m = frames
    expected = _frame(COUNT_COLUMNS, [
        ("a", "ukraine", 3, 3, 0.75), ("a", "minsk", 1, 1, 0.25), ("a", "iran", 1, 1, 0.25),
        ("a", "cyber", 0, 0, 0.0),
        ("b", "ukraine", 1, 1, 0.5), ("b", "minsk", 0, 0, 0.0), ("b", "iran", 1, 1, 0.5),
        ("b", "cyber", 0, 0, 0.0),
    ])
    pd.testing.assert_frame_equal(tables.topic_counts(s, m, codebook=TABLES_CODEBOOK), expected)


def test_topic_counts_overall_with_labels(frames) -> None:
    s, m = frames
    expected = _frame(["topic", "topic_ar", "topic_en", "sentences", "mentions", "share"], [
        ("ukraine", "أوكرانيا", "Ukraine", 4, 4, 4 / 6),
        ("minsk", "اتفاقات مينسك", "Minsk agreements", 1, 1, 1 / 6),
        ("iran", "إيران", "Iran", 2, 2, 2 / 6),
        ("cyber", "الأمن السيبراني", "Cyber", 0, 0, 0.0),
    ])
    got = tables.topic_counts(s, m, by=None, labels="both", codebook=TABLES_CODEBOOK)
    pd.testing.assert_frame_equal(got, expected)


@pytest.mark.parametrize(
    ("by", "groups"),
    [("outlet", ["RT", "الجزيرة"]), ("date", ["2021-12-07", "2021-12-08"])],
)
def test_topic_counts_by_outlet_and_date(frames, by: str, groups: list[str]) -> None:
    s, m = frames
    got = tables.topic_counts(s, m, by=by, documents=DOCUMENTS, codebook=TABLES_CODEBOOK, labels="en")
    # the outlet/date of doc a is "الجزيرة"/"2021-12-07", of doc b "RT"/"2021-12-08"
    a_first = groups[0] != "RT"
    a_rows = [("ukraine", "Ukraine", 3, 3, 0.75), ("minsk", "Minsk agreements", 1, 1, 0.25),
              ("iran", "Iran", 1, 1, 0.25), ("cyber", "Cyber", 0, 0, 0.0)]
    b_rows = [("ukraine", "Ukraine", 1, 1, 0.5), ("minsk", "Minsk agreements", 0, 0, 0.0),
              ("iran", "Iran", 1, 1, 0.5), ("cyber", "Cyber", 0, 0, 0.0)]
    first, second = (a_rows, b_rows) if a_first else (b_rows, a_rows)
    expected = _frame([by, "topic", "topic_en", "sentences", "mentions", "share"],
                      [(groups[0], *r) for r in first] + [(groups[1], *r) for r in second])
    pd.testing.assert_frame_equal(got, expected)


@pytest.mark.parametrize("form", CODEBOOK_FORMS)
def test_tables_take_order_and_labels_from_the_codebook_given(relabelled, form: str) -> None:
    ann, store = relabelled
    codebook = CODEBOOK_FORMS[form](ann, store)
    got = tables.topic_counts(ann.sentences, by=None, labels="en", codebook=codebook)
    expected = _frame(["topic", "topic_en", "sentences", "share"],
                      [("cyber", "Hacking & ransomware", 1, 0.5), ("ukraine", "Ukraine", 2, 1.0)])
    pd.testing.assert_frame_equal(got, expected)
    got = tables.actor_by_topic(ann.sentences, labels="both", codebook=codebook)
    expected = _frame(
        [
            "actor",
            "actor_ar",
            "actor_en",
            "sentences",
            "القرصنة وبرامج الفدية (Hacking & ransomware)",
            "أوكرانيا (Ukraine)",
        ],
        [("biden", "جو بايدن", "President Biden", 1, 1, 1)],
    )
    pd.testing.assert_frame_equal(got, expected)


def test_topic_counts_without_mentions_or_codebook() -> None:
    s = pd.DataFrame({"doc_id": ["d", "d", "d"], "sentence_id": ["d:1", "d:2", "d:3"],
                      "topics": ["t2;t1", "t1", ""]})
    expected = _frame(["doc_id", "topic", "sentences", "share"],
                      [("d", "t2", 1, 1 / 3), ("d", "t1", 2, 2 / 3)])
    pd.testing.assert_frame_equal(tables.topic_counts(s), expected)


def test_topic_counts_outlet_from_sentences_column(frames) -> None:
    s, _ = frames
    s2 = s.assign(outlet=s["doc_id"].map({"a": "X", "b": "X"}))
    got = tables.topic_counts(s2, by="outlet", codebook=TABLES_CODEBOOK)
    assert got["outlet"].tolist() == ["X"] * 4
    assert got["sentences"].tolist() == [4, 1, 2, 0]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"by": "outlet"}, "topic_counts(by='outlet') needs document metadata: pass documents="),
        ({"by": "date", "documents": DOCUMENTS.iloc[:1]}, "`documents` has no row for doc_id 'b'"),
        ({"by": "week"}, "`by` value = 'week' is invalid; value must be one of "
                         "{None, 'doc_id', 'outlet', 'date'}"),
        ({"labels": "fr"}, "`labels` value = 'fr' is invalid; value must be one of "
                           "{None, 'ar', 'en', 'both'}"),
    ],
)
def test_topic_counts_errors(frames, kwargs: dict, message: str) -> None:
    s, _ = frames
    with pytest.raises(ValueError) as err:
        tables.topic_counts(s, **kwargs)
    assert message in str(err.value)


def test_missing_column_is_named() -> None:
    with pytest.raises(ValueError) as err:
        tables.topic_counts(pd.DataFrame({"doc_id": ["a"], "sentence_id": ["a:1"]}))
    assert str(err.value) == (
        "`sentences` is missing column(s) 'topics'; pass the sentences DataFrame "
        "from workbench.annotate() or Store.view()"
    )


# ------------------------------------------------------------------ topic_by_paragraph


def test_topic_by_paragraph(frames) -> None:
    s, _ = frames
    expected = _frame(["doc_id", "paragraph", "position", "sentences", *TOPICS], [
        ("a", 0, 0.0, 1, 1, 0, 0, 0),
        ("a", 1, 0.5, 2, 1, 0, 1, 0),
        ("a", 2, 1.0, 1, 1, 1, 0, 0),
        ("b", 0, 0.0, 1, 0, 0, 1, 0),
        ("b", 1, 1.0, 1, 1, 0, 0, 0),
    ])
    pd.testing.assert_frame_equal(tables.topic_by_paragraph(s, codebook=TABLES_CODEBOOK), expected)


def test_topic_by_paragraph_labels_head_columns(frames) -> None:
    s, _ = frames
    got = tables.topic_by_paragraph(s, labels="ar", codebook=TABLES_CODEBOOK)
    assert list(got.columns) == ["doc_id", "paragraph", "position", "sentences", "أوكرانيا",
                                 "اتفاقات مينسك", "إيران", "الأمن السيبراني"]


# ------------------------------------------------------------------ speaker / actor by topic


def test_speaker_by_topic(frames) -> None:
    s, _ = frames
    expected = _frame(["speaker", "statements", *TOPICS], [
        ("putin", 1, 1, 0, 0, 0), ("biden", 1, 0, 0, 1, 0), ("psaki", 1, 1, 0, 0, 0),
    ])
    pd.testing.assert_frame_equal(tables.speaker_by_topic(s, codebook=TABLES_CODEBOOK), expected)


def test_speaker_by_topic_both_labels(frames) -> None:
    s, _ = frames
    got = tables.speaker_by_topic(s, labels="both", codebook=TABLES_CODEBOOK)
    assert list(got.columns) == [
        "speaker", "speaker_ar", "speaker_en", "statements", "أوكرانيا (Ukraine)",
        "اتفاقات مينسك (Minsk agreements)", "إيران (Iran)", "الأمن السيبراني (Cyber)",
    ]
    assert got["speaker_ar"].tolist() == ["فلاديمير بوتين", "جو بايدن", "جين ساكي"]
    assert got["speaker_en"].tolist() == ["Vladimir Putin", "Joe Biden", "Jen Psaki"]


def test_actor_by_topic(frames) -> None:
    s, _ = frames
    expected = _frame(["actor", "sentences", *TOPICS], [
        ("putin", 2, 2, 0, 0, 0),
        ("biden", 2, 1, 0, 1, 0),
        ("psaki", 1, 1, 0, 0, 0),
        ("usa", 1, 1, 0, 0, 0),  # not in the codebook: after its actors
    ])
    pd.testing.assert_frame_equal(tables.actor_by_topic(s, codebook=TABLES_CODEBOOK), expected)


# ------------------------------------------------------------------ cooccurrence


@pytest.mark.parametrize(
    ("unit", "rows"),
    [
        ("sentence", [("ukraine", 4, 1, 0, 0), ("minsk", 1, 1, 0, 0), ("iran", 0, 0, 2, 0),
                      ("cyber", 0, 0, 0, 0)]),
        # paragraph a:1 has ukraine and iran in two different sentences
        ("paragraph", [("ukraine", 4, 1, 1, 0), ("minsk", 1, 1, 0, 0), ("iran", 1, 0, 2, 0),
                       ("cyber", 0, 0, 0, 0)]),
    ],
)
def test_cooccurrence(frames, unit: str, rows: list[tuple]) -> None:
    s, _ = frames
    expected = _frame(["topic", *TOPICS], rows)
    pd.testing.assert_frame_equal(tables.cooccurrence(s, unit=unit, codebook=TABLES_CODEBOOK), expected)


def test_cooccurrence_unit_checked(frames) -> None:
    s, _ = frames
    with pytest.raises(ValueError, match=r"`unit` value = 'article' is invalid"):
        tables.cooccurrence(s, unit="article")


# ------------------------------------------------------------------ statements


def test_statements(frames) -> None:
    s, _ = frames
    expected = _frame(
        ["doc_id", "paragraph", "sentence_id", "speaker", "verb", "statement_type", "quote",
         "topics", "text"],
        [
            ("a", 1, "a:10", "putin", "قال", "", "لأوكرانيا حقاً مهمة", "ukraine",
             'قال بوتين إن "لأوكرانيا حقاً مهمة".'),
            ("a", 1, "a:11", "biden", "أعرب", "concern", "", "iran",
             "وأعرب بايدن عن قلقه بشأن إيران."),
            ("b", 1, "b:10", "psaki", "قالت", "", "أوكرانيا", "ukraine",
             "قالت ساكي إن «أوكرانيا» أولوية"),
        ],
    )
    pd.testing.assert_frame_equal(tables.statements(s), expected)


@pytest.mark.parametrize(
    ("rule", "verb"),
    [
        ("verb=قال subject=الكرملين", "قال"),
        ("source=وفق via=kremlin subject=بوتين verb=لفت", "لفت"),
        ("verb=أعرب carried=putin", "أعرب"),
        ("verb=قالت subject=المتحدثة باسم الرئاسة الأميركية", "قالت"),
        ("manual", ""),
        ("", ""),
    ],
)
def test_statements_reporting_verb_from_speaker_rule(frames, rule: str, verb: str) -> None:
    s, _ = frames
    got = tables.statements(s.assign(speaker_rule=rule))
    assert got["verb"].tolist() == [verb] * 3


def test_statements_quote_column_wins_and_labels(frames) -> None:
    s, _ = frames
    s2 = s.assign(quote=["", "", "قلقه", "", "", ""])
    got = tables.statements(s2, labels="en", codebook=TABLES_CODEBOOK)
    assert got["quote"].tolist() == ["لأوكرانيا حقاً مهمة", "قلقه", "أوكرانيا"]
    assert got["speaker_en"].tolist() == ["Vladimir Putin", "Joe Biden", "Jen Psaki"]
    assert got["statement_type_en"].tolist() == ["", "Concern", ""]


# ------------------------------------------------------------------ kwic

KWIC_COLUMNS = ["term", "doc_id", "paragraph", "sentence_id", "start", "end", "before", "keyword", "after"]


def test_kwic_term_on_normalised_forms(frames) -> None:
    s, _ = frames
    got = tables.kwic(s, "اوكرانيا", window=2)  # no hamza: still finds أوكرانيا
    a10 = TEXTS["a"].index("لأوكرانيا") + 1
    a20 = TEXTS["a"].index("أوكرانيـا")
    b10 = TEXTS["b"].index("أوكرانيا")
    expected = _frame(KWIC_COLUMNS, [
        ("اوكرانيا", "a", 0, "a:00", 23, 31, "وبايدن تناقش", "أوكرانيا", ""),
        ("اوكرانيا", "a", 1, "a:10", a10, a10 + 8, 'بوتين إن "ل', "أوكرانيا", "حقاً مهمة"),
        ("اوكرانيا", "a", 2, "a:20", a20, a20 + 9, "اتفاقيات مينسك و", "أوكرانيـا", "."),
        ("اوكرانيا", "b", 1, "b:10", b10, b10 + 8, "ساكي إن «", "أوكرانيا", "» أولوية"),
    ]).astype({c: "str" for c in ["term", "doc_id", "sentence_id", "before", "keyword", "after"]})
    pd.testing.assert_frame_equal(got, expected)
    for row in got.itertuples():
        assert TEXTS[row.doc_id][row.start:row.end] == row.keyword


@pytest.mark.parametrize(
    ("text", "term", "matches"),
    [
        ("أُوكْرانيا الكبرى", "أوكرانيا", ["أُوكْرانيا"]),  # diacritics in the text
        ("أوكرانيا", "أُوكرانيا", ["أوكرانيا"]),  # diacritics in the term
        ("المدرسة والمدرسه", "مدرسة", ["مدرسة", "مدرسه"]),  # teh marbuta
        ("مصطفى ومصطفي", "مصطفى", ["مصطفى", "مصطفي"]),  # alef maqsura
        ("إيـــران", "إيران", ["إيـــران"]),  # tatweel
        ("ﺇﻳﺮﺍﻥ", "إيران", ["ﺇﻳﺮﺍﻥ"]),  # presentation forms pasted from a PDF
        ("قال ﻻفروف", "لافروف", ["ﻻفروف"]),  # a lam-alef ligature: no ل or ا as written
        ("مؤتمر ٢٠٢٣ وأُسبوع", "2023 واسبوع", ["٢٠٢٣ وأُسبوع"]),  # Arabic-Indic digits, hamza, a mark
        ("اوكر\u200cانيا", "أوكرانيا", ["اوكر\u200cانيا"]),  # a joiner inside the word
        ("بوتين", "بايدن", []),
    ],
)
def test_kwic_matches(text: str, term: str, matches: list[str]) -> None:
    s = pd.DataFrame({"doc_id": ["d"], "paragraph": [0], "sentence_id": ["d:1"], "start": [7],
                      "text": [text], "topics": [""]})
    got = tables.kwic(s, term)
    assert got["keyword"].tolist() == matches
    assert [text[a - 7:b - 7] for a, b in zip(got["start"], got["end"], strict=True)] == matches


def test_kwic_window(frames) -> None:
    s, _ = frames
    got = tables.kwic(s, "بايدن", window=1)
    assert got[["before", "keyword", "after"]].values.tolist() == [
        ["بوتين و", "بايدن", "تناقش"],
        ["وأعرب", "بايدن", "عن"],
    ]
    zero = tables.kwic(s, "بايدن", window=0)
    assert zero[["before", "after"]].values.tolist() == [["و", ""], ["", ""]]


def test_kwic_topic_through_mentions(frames) -> None:
    s, m = frames
    got = tables.kwic(s, "minsk", mentions=m, codebook=TABLES_CODEBOOK)
    start = TEXTS["a"].index("اتفاقيات مينسك")
    expected = _frame(KWIC_COLUMNS, [
        ("minsk", "a", 2, "a:20", start, start + 14, "ناقشا", "اتفاقيات مينسك", "وأوكرانيـا."),
    ]).astype({c: "str" for c in ["term", "doc_id", "sentence_id", "before", "keyword", "after"]})
    pd.testing.assert_frame_equal(got, expected)
    assert tables.kwic(s, "ukraine", mentions=m)["keyword"].tolist() == [
        "أوكرانيا", "أوكرانيا", "أوكرانيـا", "أوكرانيا"]


@pytest.mark.parametrize(
    ("term", "kwargs", "message"),
    [
        ("ukraine", {}, "kwic('ukraine'): 'ukraine' is a topic key; pass mentions="),
        ("", {}, "kwic() needs a term or topic key"),
        (["بوتين", " "], {}, "kwic() needs a term or topic key"),
        ("بوتين", {"window": -1}, "`window` value = -1 is invalid"),
    ],
)
def test_kwic_errors(frames, term: str, kwargs: dict, message: str) -> None:
    s, _ = frames
    with pytest.raises(ValueError) as err:
        tables.kwic(s, term, **kwargs)
    assert message in str(err.value)


def test_kwic_nothing_found_has_columns(frames) -> None:
    s, _ = frames
    got = tables.kwic(s, "زيلينسكي")
    assert list(got.columns) == KWIC_COLUMNS and len(got) == 0
    assert list(tables.kwic(s, []).columns) == KWIC_COLUMNS and len(tables.kwic(s, [])) == 0


def test_kwic_of_several_terms_lists_them_in_the_order_given(frames) -> None:
    s, m = frames
    got = tables.kwic(s, ["بايدن", "minsk", "بايدن"], window=1, mentions=m, codebook=TABLES_CODEBOOK)
    assert got[["term", "doc_id", "keyword"]].values.tolist() == [
        ["بايدن", "a", "بايدن"], ["بايدن", "a", "بايدن"], ["minsk", "a", "اتفاقيات مينسك"]]
    pd.testing.assert_frame_equal(got.iloc[:2], tables.kwic(s, "بايدن", window=1))


# ------------------------------------------------------------------ the seed article
# Numbers below were counted by reading seeds/000_45f5abd8640658e2.txt (20 sentences in
# 19 paragraphs; paragraph 10 has two). The sentences frame is the hand-coded one in
# tests/data/gold, so these tests check the tables, not the automatic annotator.

SEED = "000_45f5abd8640658e2"
SEED_TOPICS = ["ukraine", "minsk", "iran", "cyber", "strategic_stability"]


@pytest.fixture(scope="module")
def seed() -> tuple[pd.DataFrame, object]:
    from workbench.codebook import load_codebook

    gold = Path(__file__).parent / "data" / "gold" / f"{SEED}.csv"
    frame = pd.read_csv(gold, encoding="utf-8-sig", keep_default_na=False,
                        dtype={c: str for c in ["topics", "actors", "speaker", "statement_type"]})
    return frame, load_codebook()


def test_seed_topic_counts(seed) -> None:
    frame, codebook = seed
    # ukraine: title, 5 (الأزمة الأوكرانية), 6 (كييف), 7 (كييف، دونباس), 8, 9, 13, 14,
    # 15 (الرئيس الأوكراني زيلينسكي), 16; minsk: 5, 6; iran: title, 12; cyber: 12 (القرصنة);
    # strategic stability: title, 12
    expected = _frame(["topic", "topic_en", "sentences", "share"], [
        ("ukraine", "Ukraine", 10, 0.5), ("minsk", "Minsk agreements", 2, 0.1),
        ("iran", "Iran", 2, 0.1), ("cyber", "Cyber", 1, 0.05),
        ("strategic_stability", "Strategic stability", 2, 0.1),
    ])
    got = tables.topic_counts(frame, by=None, labels="en", codebook=codebook)
    pd.testing.assert_frame_equal(got, expected)


def test_seed_speaker_by_topic(seed) -> None:
    frame, codebook = seed
    # Kremlin statement (5); Putin via the Kremlin (6) and "وأعرب عن قلقه" (7); Biden (8, 9);
    # White House (13, "وأضاف" 14, 15); Psaki (16)
    expected = _frame(["speaker", "statements", *SEED_TOPICS], [
        ("putin", 2, 2, 1, 0, 0, 0), ("biden", 2, 2, 0, 0, 0, 0), ("psaki", 1, 1, 0, 0, 0, 0),
        ("kremlin", 1, 1, 1, 0, 0, 0), ("white_house", 3, 3, 0, 0, 0, 0),
    ])
    pd.testing.assert_frame_equal(tables.speaker_by_topic(frame, codebook=codebook), expected)


@pytest.mark.parametrize("unit", ["sentence", "paragraph"])
def test_seed_cooccurrence(seed, unit: str) -> None:
    frame, codebook = seed
    # title: ukraine+iran+strategic stability; 5 and 6: ukraine+minsk;
    # 12: iran+cyber+strategic stability (paragraph 10, the only one with two sentences,
    # has no topic, so both units agree)
    expected = _frame(["topic", *SEED_TOPICS], [
        ("ukraine", 10, 2, 1, 0, 1), ("minsk", 2, 2, 0, 0, 0), ("iran", 1, 0, 2, 1, 2),
        ("cyber", 0, 0, 1, 1, 1), ("strategic_stability", 1, 0, 2, 1, 2),
    ])
    pd.testing.assert_frame_equal(tables.cooccurrence(frame, unit=unit, codebook=codebook), expected)


def test_seed_topic_by_paragraph(seed) -> None:
    frame, codebook = seed
    got = tables.topic_by_paragraph(frame, codebook=codebook)
    assert len(got) == 19 and got["sentences"].sum() == 20
    assert got.loc[got["paragraph"] == 10, "sentences"].item() == 2
    assert got["position"].tolist() == [p / 18 for p in range(19)]
    where = {t: got.loc[got[t] > 0, "paragraph"].tolist() for t in SEED_TOPICS}
    assert where == {
        "ukraine": [0, 5, 6, 7, 8, 9, 12, 13, 14, 15],
        "minsk": [5, 6],
        "iran": [0, 11],
        "cyber": [11],
        "strategic_stability": [0, 11],
    }


def test_seed_actor_by_topic(seed) -> None:
    frame, codebook = seed
    got = tables.actor_by_topic(frame, codebook=codebook).set_index("actor")
    # Biden is named or meant in 0-4, 8, 9, 13, 15 (الرئيس الأميركي), 16, 17
    assert got.loc["biden", ["sentences", "ukraine", "iran"]].tolist() == [11, 6, 1]
    # Ukraine the state comes up in every ukraine sentence but 15 (only the president)
    assert got.loc["ukr", ["sentences", "ukraine", "minsk"]].tolist() == [9, 9, 2]
    assert got.loc["zelensky"].drop("sentences").sum() == 1


def test_seed_statements(seed) -> None:
    frame, codebook = seed
    got = tables.statements(frame, codebook=codebook)
    assert got["paragraph"].tolist() == [5, 6, 7, 8, 9, 12, 13, 14, 15]
    assert got["speaker"].tolist() == ["kremlin", "putin", "putin", "biden", "biden",
                                       "white_house", "white_house", "white_house", "psaki"]
    quotes = got["quote"].tolist()
    assert quotes[0].startswith("احتلت موقعَ الصدارة") and quotes[0].endswith("للتسوية السلمية")
    assert quotes[5] == ("العواقب الوخيمة للنشاط العسكري الروسي في أوكرانيا وضرورة وقف "
                         "التصعيد والعودة إلى الدبلوماسية")
    assert quotes[6].startswith("القادة أكدوا") and quotes[8].startswith("الرئيس بايدن سيشدد")
    # 6-9 quote no one; 14 ends with a stray closing quote mark, which opens nothing
    assert [quotes[i] for i in (1, 2, 3, 4, 7)] == ["", "", "", "", ""]


def test_seed_kwic(seed) -> None:
    frame, _ = seed
    text = (Path(__file__).parents[1] / "seeds" / f"{SEED}.txt").read_text(encoding="utf-8")
    got = tables.kwic(frame, "اوكرانيا", window=2)
    # أوكرانيا as a word: title, 8, 9, 13, 14 and twice in 16 (not الأوكرانية / الأوكراني)
    assert got["paragraph"].tolist() == [0, 8, 9, 12, 13, 15, 15]
    assert all(text[s:e] == "أوكرانيا" for s, e in zip(got["start"], got["end"], strict=True))
    assert got.loc[0, ["before", "after"]].tolist() == ["تناقش تطورات", "وإيران والاستقرار"]
    # six of الولايات المتحدة, matched with teh marbuta written as heh; للولايات has no alef
    assert len(tables.kwic(frame, "الولايات المتحده")) == 6


# ------------------------------------------------------------------ the seed, annotated
# The same hand counts against workbench.annotate() on the seed, with its mentions:
# ukraine 13 (أوكرانيا ×7, الأوكرانية, كييف, لكييف, دونباس, الأوكراني, زيلينسكي),
# minsk 3 (اتفاقيات مينسك, لاتفاقيات مينسك, صيغة نورماندي), iran 2, cyber 1 (القرصنة),
# strategic stability 2.


@pytest.fixture(scope="module")
def annotated():
    import workbench as wb

    return wb.annotate(wb.load_corpus(Path(__file__).parents[1] / "seeds"))


def test_annotated_seed_topic_counts(annotated) -> None:
    # 19 sentences of body text: the last line, "المصدر: وكالات", is a source line
    assert annotated.sentences["furniture"].tolist().count("source") == 1
    expected = _frame(["doc_id", "topic", "topic_ar", "sentences", "mentions", "share"], [
        (SEED, "ukraine", "أوكرانيا", 10, 13, 10 / 19),
        (SEED, "minsk", "اتفاقات مينسك", 2, 3, 2 / 19),
        (SEED, "iran", "إيران", 2, 2, 2 / 19),
        (SEED, "cyber", "الأمن السيبراني", 1, 1, 1 / 19),
        (SEED, "strategic_stability", "الاستقرار الاستراتيجي", 2, 2, 2 / 19),
    ])
    got = tables.topic_counts(annotated.sentences, annotated.mentions, labels="ar",
                              codebook=annotated.codebook)
    pd.testing.assert_frame_equal(got, expected)
    by_outlet = tables.topic_counts(annotated.sentences, annotated.mentions, by="outlet",
                                    documents=annotated.documents)
    assert set(by_outlet["outlet"]) == {"وكالات"}
    assert by_outlet["mentions"].tolist() == [13, 3, 2, 1, 2]


def test_annotated_seed_statements(annotated) -> None:
    got = tables.statements(annotated.sentences, labels="en", codebook=annotated.codebook)
    # the verbs as written: وقال، لفت، وأعرب، وأعرب، وجدّد، أعلن، وأضاف، وأشار، قالت
    assert got[["paragraph", "speaker", "verb"]].values.tolist() == [
        [5, "kremlin", "قال"], [6, "putin", "لفت"], [7, "putin", "أعرب"], [8, "biden", "أعرب"],
        [9, "biden", "جدد"], [12, "white_house", "أعلن"], [13, "white_house", "أضاف"],
        [14, "white_house", "أشار"], [15, "psaki", "قالت"],
    ]
    assert got["speaker_en"].tolist()[:2] == ["Kremlin", "Vladimir Putin"]
    assert [bool(q) for q in got["quote"]] == [True, False, False, False, False, True, True,
                                               False, True]


def test_annotated_seed_kwic_topic(annotated) -> None:
    got = tables.kwic(annotated.sentences, "minsk", mentions=annotated.mentions, window=3)
    assert got[["paragraph", "before", "keyword", "after"]].values.tolist() == [
        [5, "تقدم في تنفيذ", "اتفاقيات مينسك", "لعام 2015، والتي"],
        [6, "إلى التفكيك الكامل", "لاتفاقيات مينسك", "، والاتفاقات التي تم"],
        [6, "التوصل إليها، وفق", "صيغة نورماندي", "."],
    ]


@pytest.mark.parametrize(
    "table",
    [
        "topic_counts",
        "topic_by_paragraph",
        "speaker_by_topic",
        "actor_by_topic",
        "cooccurrence",
        "statements",
    ],
)
def test_tables_of_an_empty_view_are_empty_not_errors(table):
    from workbench.columns import VIEW_SENTENCE_COLUMNS

    ints = {"paragraph", "sentence", "start", "end"}
    empty = pd.DataFrame(
        {c: pd.Series(dtype="int64" if c in ints else object) for c in VIEW_SENTENCE_COLUMNS}
    )
    result = getattr(tables, table)(empty)
    assert isinstance(result, pd.DataFrame)
    assert len(result) == 0


# --- page furniture ------------------------------------------------------------------------


def _with_furniture() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The frames above plus a caption and a related link, which raise topics and name actors."""
    rows = ROWS + [
        ("b", 2, "الرئيس الروسي فلاديمير بوتين (أ ف ب)", "ukraine", "putin", "putin", "", "colon=:",
         [("بوتين", "actor", "putin")]),
        ("b", 3, "اقرأ أيضا: إيران تعلن", "iran", "", "", "", "", [("إيران", "topic", "iran")]),
    ]
    sentences, mentions, _ = build_frames(rows)
    sentences["furniture"] = [""] * len(ROWS) + ["caption", "related"]
    return sentences, mentions


@pytest.mark.parametrize(
    "table",
    [
        lambda s, m: tables.topic_counts(s, m, codebook=TABLES_CODEBOOK),
        lambda s, m: tables.topic_by_paragraph(s, codebook=TABLES_CODEBOOK),
        lambda s, m: tables.speaker_by_topic(s, codebook=TABLES_CODEBOOK),
        lambda s, m: tables.actor_by_topic(s, codebook=TABLES_CODEBOOK),
        lambda s, m: tables.cooccurrence(s, codebook=TABLES_CODEBOOK),
        lambda s, m: tables.statements(s, codebook=TABLES_CODEBOOK),
    ],
)
def test_furniture_is_left_out_of_counts(table):
    with_furniture, mentions = _with_furniture()
    body = with_furniture[with_furniture["furniture"] == ""]
    body_mentions = mentions[mentions["sentence_id"].isin(body["sentence_id"])]
    expected = table(body.drop(columns=["furniture"]), body_mentions)
    pd.testing.assert_frame_equal(table(with_furniture, mentions), expected)
    counted_all = table(with_furniture.drop(columns=["furniture"]), mentions)
    assert not table(with_furniture, mentions).equals(counted_all)


def test_without_furniture_leaves_frames_without_the_column_alone():
    s, m = tables.without_furniture(SENTENCES, MENTIONS)
    assert s is SENTENCES and m is MENTIONS
    furnished, mentions = _with_furniture()
    body, kept = tables.without_furniture(furnished, mentions)
    assert body["furniture"].eq("").all() and len(body) == len(ROWS)
    assert set(kept["sentence_id"]) <= set(body["sentence_id"]) and len(furnished) == len(ROWS) + 2


# ------------------------------------------------------------------ counting reused passages once

def test_topic_counts_count_a_reused_passage_once() -> None:
    once = tables.topic_counts(MARKED, MENTIONS, by=None, codebook=TABLES_CODEBOOK, reused="once")
    assert once[["topic", "sentences", "mentions"]].values.tolist() == [
        ["ukraine", 3, 3], ["minsk", 1, 1], ["iran", 2, 2], ["cyber", 0, 0]]
    assert once["share"].tolist() == [3 / 5, 1 / 5, 2 / 5, 0.0]
    every = tables.topic_counts(MARKED, MENTIONS, by=None, codebook=TABLES_CODEBOOK, reused="all")
    assert every[["sentences", "mentions"]].values.tolist() == [[4, 4], [1, 1], [2, 2], [0, 0]]


@pytest.mark.parametrize(
    ("table", "column", "every", "once"),
    [
        (lambda s, r: tables.speaker_by_topic(s, codebook=TABLES_CODEBOOK, reused=r), "speaker",
         ["putin", "biden", "psaki"], ["putin", "biden"]),
        (lambda s, r: tables.actor_by_topic(s, codebook=TABLES_CODEBOOK, reused=r), "actor",
         ["putin", "biden", "psaki", "usa"], ["putin", "biden"]),
        (lambda s, r: tables.statements(s, reused=r), "speaker", ["putin", "biden", "psaki"],
         ["putin", "biden"]),
        (lambda s, r: tables.topic_by_paragraph(s, reused=r), "paragraph", [0, 1, 2, 0, 1], [0, 1, 2, 0]),
        (lambda s, r: tables.kwic(s, "أوكرانيا", reused=r), "doc_id", ["a", "a", "a", "b"], ["a", "a", "a"]),
        (lambda s, r: tables.cooccurrence(s, codebook=TABLES_CODEBOOK, reused=r), "ukraine", [4, 1, 0, 0],
         [3, 1, 0, 0]),
    ],
    ids=["speaker_by_topic", "actor_by_topic", "statements", "topic_by_paragraph", "kwic",
         "cooccurrence"],
)
def test_every_table_leaves_out_the_copies_with_reused_once(table, column, every, once) -> None:
    assert table(MARKED, "all")[column].tolist() == every
    assert table(MARKED, "once")[column].tolist() == once


def test_reused_once_needs_marked_sentences() -> None:
    with pytest.raises(ValueError, match="reused='once' needs the sentences marked"):
        tables.speaker_by_topic(SENTENCES, reused="once")
    with pytest.raises(ValueError, match="`reused` value = 'one' is invalid"):
        tables.topic_counts(MARKED, reused="one")
