"""Tests for workbench/reuse.py: shared passages at exact spans, clusters, counting once."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import workbench as wb
from workbench import reuse

OUTLETS = Path(__file__).parent / "data" / "outlets"

# Sentences written for these tests (an agency paragraph of two sentences, and others).
S1 = "قال المتحدث باسم الكرملين إن موسكو لا ترى بديلا عن اتفاقات مينسك وتدعو كييف إلى تنفيذها كاملة."
S2 = "وأضاف أن اجتماع المستشارين المقبل ضمن صيغة نورماندي سيعقد في برلين خلال الشهر المقبل."
WIRE = f"عنوان الوكالة\n{S1} {S2}\nفقرة أخيرة للوكالة عن أسعار النفط والطقس في المنطقة."
OWN = "كتب مراسلنا في العاصمة عن أجواء الترقب التي تسود الشارع قبل الاجتماع"


def _spans(found: reuse.Reuse) -> dict[str, str]:
    """doc_id -> the text of its span in the (single) cluster."""
    assert found.clusters["cluster"].tolist() == [1]
    return dict(zip(found.spans["doc_id"], found.spans["text"], strict=True))


@pytest.mark.parametrize(
    "copy, shared",
    [
        # verbatim, inside a paragraph of the outlet's own
        (f"{OWN}. {S1} {S2}", f"{S1} {S2}"),
        # a word replaced inside
        (S1.replace("بديلا", "خيارا آخر") + " " + S2, S1.replace("بديلا", "خيارا آخر") + " " + S2),
        # a short phrase added inside
        (S1 + " " + S2.replace("سيعقد", "سيعقد، وفق مصادر مطلعة،"),
         S1 + " " + S2.replace("سيعقد", "سيعقد، وفق مصادر مطلعة،")),
        # the two sentences swapped
        (f"{S2} {S1}", f"{S2} {S1}"),
        # diacritics, tatweel and another hamza spelling compare equal; the span is as written
        (S1.replace("الكرملين", "الكـرملين").replace("إلى", "الى") + " " + S2.replace("برلين", "بَرلين"),
         S1.replace("الكرملين", "الكـرملين").replace("إلى", "الى") + " " + S2.replace("برلين", "بَرلين")),
        # Persian kaf and yeh (as some sites type them) fold as workbench.text.normalize folds them
        (S1.replace("ي", "ی").replace("ك", "ک") + " " + S2,
         S1.replace("ي", "ی").replace("ك", "ک") + " " + S2),
        # the last word changed: the passage ends at the last word both share
        (S1 + " " + S2.replace("المقبل.", "القادم."), S1 + " " + S2[: S2.rindex(" المقبل.")]),
    ],
    ids=["verbatim", "replaced", "phrase-added", "reordered", "normalised", "persian-letters", "end-changed"],
)
def test_a_copied_passage_is_found_at_its_exact_span_in_both(copy, shared):
    found = reuse.find_reuse({"wire": WIRE, "outlet": f"عنوان الصحيفة\n{copy}\n"})
    spans = _spans(found)
    assert spans["outlet"] == shared
    wire_span = found.spans.set_index("doc_id").loc["wire"]
    assert WIRE[wire_span["start"]:wire_span["end"]] == wire_span["text"]
    source = f"{S1} {S2}" if "القادم" not in copy else f"{S1} {S2[: S2.rindex(' المقبل.')]}"
    assert spans["wire"] == source


def test_passages_shorter_than_min_words_are_not_reuse():
    common = "وقال المتحدث باسم الكرملين دميتري بيسكوف للصحفيين إن"  # 8 words
    a = f"عنوان أول\n{common} الاجتماع كان مفيدا رغم كل الخلافات القائمة بين الجانبين."
    b = f"عنوان ثان\n{common} موسكو تنتظر ردا مكتوبا على مقترحاتها الأمنية قريبا."
    found = reuse.find_reuse({"a": a, "b": b})
    assert found.clusters.empty and found.spans.empty and found.pairs.empty
    assert found.articles["original_share"].tolist() == [1.0, 1.0]
    assert len(reuse.find_reuse({"a": a, "b": b}, min_words=8, threshold=0.1).clusters) == 1


def test_paragraphs_are_separate_passages_and_merged_ones_split_at_the_source_paragraphs():
    p1 = S1
    p2 = "وأوضح الوفد الروسي أن الحلف لا يأخذ المخاوف الأمنية لموسكو على محمل الجد حتى الآن."
    wire = f"عنوان\n{p1}\n{p2}\n"
    both = f"عنوان آخر\n{p1} {p2}\n"  # the two agency paragraphs run together
    first = f"عنوان ثالث\n{p1}\n"
    found = reuse.find_reuse(pd.DataFrame({
        "doc_id": ["wire", "both", "first"], "text": [wire, both, first],
        "date": ["2022-01-12", "2022-01-13", "2022-01-13"], "outlet": ["وكالة", "صحيفة", "موقع"]}))
    spans = found.spans
    assert spans[["cluster", "doc_id", "text"]].values.tolist() == [
        [1, "wire", p1], [1, "both", p1], [1, "first", p1],
        [2, "wire", p2], [2, "both", p2],
    ]
    assert found.clusters[["cluster", "articles", "outlets", "first_doc_id", "first_outlet",
                           "first_date", "doc_ids"]].values.tolist() == [
        [1, 3, 3, "wire", "وكالة", "2022-01-12", "wire;both;first"],
        [2, 2, 2, "wire", "وكالة", "2022-01-12", "wire;both"],
    ]
    assert spans["first"].tolist() == [True, False, False, True, False]


@pytest.mark.parametrize(
    "dates, first",
    [
        (("2022-01-20", "2022-01-19"), "b"),
        (("2022-01-20", "2022-01-20"), "a"),  # same day: by doc_id
        (("", "2022-02-01"), "b"),  # an undated article comes after dated ones
        (("", ""), "a"),
    ],
)
def test_the_first_carrier_is_the_earliest_by_date(dates, first):
    text = f"عنوان\n{S1}\n"
    frame = pd.DataFrame({"doc_id": ["a", "b"], "text": [text, text + "خاتمة قصيرة\n"],
                          "date": list(dates)})
    found = reuse.find_reuse(frame)
    assert found.clusters["first_doc_id"].tolist() == [first]
    assert found.articles.set_index("doc_id")["first_in"].to_dict() == {
        "a": int(first == "a"), "b": int(first == "b")}


def test_a_date_not_in_iso_form_is_a_clear_error_naming_the_article():
    # the first carrier is the earliest by date: '11/01/2022' would sort before '2022-01-10'
    text = f"عنوان\n{S1}\n"
    frame = pd.DataFrame({"doc_id": ["a", "b"], "text": [text, text], "date": ["2022-01-10", "11/01/2022"]})
    message = "doc_id 'b': date '11/01/2022' is not a date in the form YYYY-MM-DD"
    with pytest.raises(ValueError, match=message):
        reuse.find_reuse(frame)
    timed = frame.assign(date=["2022-01-10T09:00", "2022-01-10T08:00"])  # the same day, by the hour
    assert reuse.find_reuse(timed).clusters["first_doc_id"].tolist() == ["b"]


def test_the_articles_table_says_what_is_shared_and_original():
    found = reuse.find_reuse({"wire": WIRE, "outlet": f"عنوان الصحيفة\n{OWN}. {S1} {S2}\n",
                              "other": "عنوان\nنص مستقل تماما لا يشارك أحدا في شيء من كلماته المرتبة."})
    articles = found.articles.set_index("doc_id")
    # title + S1 (17 words) + S2 (14) + the last paragraph (9); title + OWN (12) + S1 + S2
    assert articles["words"].to_dict() == {"wire": 2 + 31 + 9, "outlet": 2 + 12 + 31, "other": 1 + 11}
    assert articles["shared_words"].to_dict() == {"wire": 31, "outlet": 31, "other": 0}
    assert articles["original_share"].to_dict() == {
        "wire": round(1 - 31 / 42, 4), "outlet": round(1 - 31 / 45, 4), "other": 1.0}
    assert articles["shares_with"].to_dict() == {"wire": "outlet", "outlet": "wire", "other": ""}
    assert articles["clusters"].to_dict() == {"wire": 1, "outlet": 1, "other": 0}
    pair = found.pairs.iloc[0]
    assert (pair["doc_id_a"], pair["doc_id_b"], pair["words"], pair["similarity"]) == (
        "wire", "outlet", 31, 1.0)


def test_every_planted_passage_of_the_outlets_corpus_is_found_exactly_and_nothing_else():
    truth = json.loads((OUTLETS / "truth.json").read_text(encoding="utf-8"))
    corpus = wb.load_corpus(OUTLETS / "articles")
    found = reuse.find_reuse(corpus)
    planted = {frozenset((c["doc_id"], c["start"], c["end"]) for c in p["carriers"])
               for p in truth["passages"]}
    detected = {frozenset(zip(part["doc_id"], part["start"], part["end"], strict=True))
                for _, part in found.spans.groupby("cluster")}
    assert len(truth["passages"]) == 32 and len(corpus) == 46
    assert detected == planted  # every planted passage at its exact spans, no false cluster
    assert {c["how"] for p in truth["passages"] for c in p["carriers"]} == {
        "source", "verbatim", "edited", "reordered", "merged"}
    assert found.near_duplicates[["doc_id_a", "doc_id_b"]].values.tolist() == truth["near_duplicates"]
    for row in found.spans.itertuples():
        assert corpus[row.doc_id].text[row.start:row.end] == row.text


# A standing paragraph an agency ends every report with (boilerplate), and a short one.
STANDING = ("وتذكر الوكالة قراءها في ختام كل تقرير بأن حقوق النشر محفوظة لها ولشركائها "
            "وأن إعادة النشر تتطلب إذنا مكتوبا.")
SHORT = "وتابع مراسل الوكالة من مكتبها في العاصمة أن"  # 8 words: no passage alone


WORDS = ("سوق الخضار حي العيد مطر شتاء قطار محطة جسر نهر مدرسة طلاب ملعب حديقة مكتبة كتاب شارع "
         "مقهى خبز حليب سفر بحر جبل قرية مدينة طريق سيارة مستشفى طبيب دواء عمال مصنع ميناء سفينة").split()


def _carriers(n: int, *, extra: str) -> dict[str, str]:
    """``n`` articles of their own words, each with the standing paragraph and the short line;
    articles 0 and 1 also share the agency paragraph (``extra``) after the short line."""
    import random

    def own(k: int) -> str:
        return " ".join(random.Random(k).sample(WORDS, 14))

    return {f"d{k:02d}": f"عنوان {k}\n{own(k)}.\n{STANDING}\n{SHORT} {extra if k < 2 else own(k + 100)}\n"
            for k in range(n)}


@pytest.mark.parametrize("n", [25, 6])  # above the default boilerplate (20), and below
def test_boilerplate_carried_by_many_articles_is_one_cluster_and_copies_beside_it_stay_exact(n):
    articles = _carriers(n, extra=f"{S1} {S2}")
    found = reuse.find_reuse(articles)
    by_cluster = found.spans.groupby("cluster")
    standing = [c for c, g in by_cluster if (g["text"] == STANDING).all()]
    assert len(standing) == 1 and len(by_cluster.get_group(standing[0])) == n  # every carrier, once
    copied = found.spans[found.spans["text"].str.contains(S2)]
    assert copied[["doc_id", "text"]].values.tolist() == [["d00", f"{SHORT} {S1} {S2}"],
                                                          ["d01", f"{SHORT} {S1} {S2}"]]
    assert len(found.clusters) == 2
    # what pair-by-pair alignment of every article finds (no boilerplate cut): the same
    every_pair = reuse.find_reuse(articles, boilerplate=1000)
    pd.testing.assert_frame_equal(found.spans, every_pair.spans)
    pd.testing.assert_frame_equal(found.clusters, every_pair.clusters)
    assert len(every_pair.pairs) == n * (n - 1) // 2 + 1
    assert len(found.pairs) == (n - 1 + 1 if n > 20 else n * (n - 1) // 2 + 1)  # first carrier to each


def test_articles_too_short_to_share_anything_take_no_part():
    found = reuse.find_reuse({"wire": WIRE, "empty": "", "word": "عنوان", "copy": f"عنوان\n{S1} {S2}\n"})
    assert found.spans["doc_id"].tolist() == ["copy", "wire"]  # undated: by doc_id
    assert found.articles.set_index("doc_id").loc[["empty", "word"], "shared_words"].tolist() == [0, 0]


def test_near_duplicate_pairs():
    story = f"عنوان\n{S1}\n{S2}\nوتابع المراسل أن الوفود غادرت القاعة دون تصريحات إضافية للصحافة.\n"
    pairs = reuse.near_duplicate_pairs({
        "first": story, "again": story.replace("عنوان", "عنوان معدل"),
        "other": f"عنوان\n{S1}\nنص آخر مختلف عن كل ما سبق في هذا الاختبار الصغير جدا.\n"})
    assert [(a, b) for a, b, _ in pairs] == [("again", "first")]
    assert pairs[0][2] >= 0.8
    assert reuse.near_duplicate_pairs({"only": story}) == []


@pytest.mark.parametrize("method", ["auto", "exact", "minhash"])
def test_near_duplicates_of_the_outlets_corpus_are_the_same_whichever_method(method):
    truth = json.loads((OUTLETS / "truth.json").read_text(encoding="utf-8"))
    corpus = wb.load_corpus(OUTLETS / "articles", near_duplicates=None)
    pairs = reuse.near_duplicate_pairs(corpus, method=method)
    assert [[a, b] for a, b, _ in pairs] == truth["near_duplicates"]
    assert pairs == [tuple(row) for row in reuse.find_reuse(corpus).near_duplicates.values.tolist()]


@pytest.mark.parametrize("method", ["exact", "minhash"])
def test_a_threshold_of_one_finds_exact_copies_only(method):
    story = f"عنوان\n{S1}\n{S2}\nوتابع المراسل أن الوفود غادرت القاعة دون تصريحات إضافية للصحافة.\n"
    articles = {"first": story, "same": story, "edited": story.replace("الوفود", "الوفود كلها")}
    assert reuse.near_duplicate_pairs(articles, threshold=1.0, method=method) == [("first", "same", 1.0)]


def test_reads_a_store_and_a_corpus_alike(tmp_path):
    corpus = wb.load_corpus(OUTLETS / "articles")
    with wb.Store(tmp_path / "s.sqlite") as store:
        store.save_annotations(wb.annotate(corpus))
        from_store = reuse.find_reuse(store)
    from_corpus = reuse.find_reuse(corpus)
    pd.testing.assert_frame_equal(from_store.spans, from_corpus.spans)
    pd.testing.assert_frame_equal(from_store.clusters, from_corpus.clusters)


def _sentences(text_by_doc: dict[str, str]) -> pd.DataFrame:
    corpus = wb.Corpus([wb.corpus.build_document(d, t) for d, t in text_by_doc.items()])
    return corpus.sentences_frame()


def test_mark_reused_and_count_once():
    texts = {"a": WIRE, "b": f"عنوان الصحيفة\n{OWN}. {S1} {S2}\n"}
    sentences = _sentences(texts)
    found = reuse.find_reuse(texts)
    marked = reuse.mark_reused(sentences, found)
    assert marked.columns.tolist() == [*sentences.columns, "reuse_cluster", "reused_copy"]
    got = marked[["doc_id", "text", "reuse_cluster", "reused_copy"]].values.tolist()
    assert got == [
        ["a", "عنوان الوكالة", 0, False], ["a", S1, 1, False], ["a", S2, 1, False],
        ["a", "فقرة أخيرة للوكالة عن أسعار النفط والطقس في المنطقة.", 0, False],
        ["b", "عنوان الصحيفة", 0, False], ["b", f"{OWN}.", 0, False],
        ["b", S1, 1, True], ["b", S2, 1, True],
    ]
    assert "reuse_cluster" not in sentences  # the input is not modified
    assert reuse.count_once(marked, reused="all") is marked
    once = reuse.count_once(marked, reused="once")
    assert once["text"].tolist() == [r[1] for r in got if not r[3]]
    assert reuse.count_once(sentences, reused="once", source=texts)["text"].tolist() == once["text"].tolist()


def test_a_passage_its_first_carrier_runs_twice_is_still_counted_once():
    # the agency ran its paragraph twice (a lead repeated at the end), a paper once
    texts = {"a": f"عنوان الوكالة\n{S1} {S2}\nفقرة وسطى عن موضوع آخر تماما.\n{S1} {S2}\n",
             "b": f"عنوان الصحيفة\n{S1} {S2}\n"}
    found = reuse.find_reuse(pd.DataFrame({"doc_id": ["a", "b"], "text": list(texts.values()),
                                           "date": ["2022-01-10", "2022-01-11"]}))
    assert found.spans[["doc_id", "first"]].values.tolist() == [["a", True], ["a", False], ["b", False]]
    assert found.articles.set_index("doc_id")["first_in"].to_dict() == {"a": 1, "b": 0}
    marked = reuse.mark_reused(_sentences(texts), found)
    once = reuse.count_once(marked, reused="once")
    assert once["text"].tolist().count(S1) == 1 and once["text"].tolist().count(S2) == 1


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: reuse.count_once(_sentences({"a": WIRE}), reused="once"),
         "reused='once' needs the sentences marked"),
        (lambda: reuse.count_once(_sentences({"a": WIRE}), reused="twice"),
         "`reused` value = 'twice' is invalid; value must be one of {'all', 'once'}"),
        (lambda: reuse.find_reuse({"a": WIRE}, min_words=0), "`min_words` value = 0 is invalid"),
        (lambda: reuse.find_reuse({"a": WIRE}, threshold=1.5), "`threshold` value = 1.5 is invalid"),
        (lambda: reuse.find_reuse(pd.DataFrame({"doc_id": ["a"]})), "lacks column(s) text"),
        (lambda: reuse.find_reuse(pd.DataFrame({"doc_id": ["a", "a"], "text": ["x", "y"]})),
         "doc_id 'a' is given twice"),
        (lambda: reuse.mark_reused(pd.DataFrame({"doc_id": ["a"]}), reuse.find_reuse({"a": WIRE})),
         "missing column(s) 'start', 'end'"),
    ],
)
def test_clear_errors(call, message):
    with pytest.raises(ValueError) as error:
        call()
    assert message in str(error.value)
