"""Tests for workbench/dates.py: dates an article states in its own words."""

import pytest

from workbench.corpus import build_document
from workbench.dates import date_in_text

TITLE = "لافروف يحذر من تصعيد جديد"


@pytest.mark.parametrize(
    "line, date, written",
    [
        ("الثلاثاء ١٢ نيسان ٢٠٢٢", "2022-04-12", "١٢ نيسان ٢٠٢٢"),  # Levantine month, Arabic-Indic digits
        ("٣ كانون الثاني ٢٠٢٣ - ١٠:٠٠", "2023-01-03", "٣ كانون الثاني ٢٠٢٣"),
        ("12 أيلول/سبتمبر 2022", "2022-09-12", "12 أيلول/سبتمبر 2022"),
        ("5 أيار (مايو) 2023", "2023-05-05", "5 أيار (مايو) 2023"),
        ("الخميس 10 مارس 2022 على الساعة 20:00", "2022-03-10", "10 مارس 2022"),
        ("14 جويلية 2022", "2022-07-14", "14 جويلية 2022"),  # Maghreb month
        ("2022.02.22 | 09:57", "2022-02-22", "2022.02.22"),
        ("04:05 م 22/09/2025", "2025-09-22", "22/09/2025"),  # day first
        ("2026-02-07T10:27+0000", "2026-02-07", "2026-02-07"),
        ("Tuesday, 09/23/2025", "2025-09-23", "09/23/2025"),  # an English page: month first
        ("March 3, 2024", "2024-03-03", "March 3, 2024"),
    ],
)
def test_dates_in_many_shapes(line, date, written):
    found = date_in_text([TITLE, line, "وقال لافروف إن الوضع خطير."])
    assert (found.date, found.paragraph, found.written) == (date, 1, written)
    assert found.rule == f"text:paragraph=1 written={written}"


def test_the_earliest_date_line_wins_over_todays_date_and_an_update():
    paras = [TITLE, "الأحد 14 مايو 2024", "عرب وعالم 27-2-2024 | 23:18", "وقال لافروف إن الوضع خطير."]
    assert date_in_text(paras).date == "2024-02-27"
    assert date_in_text([TITLE, "18.03.2023 - محدث : 19.03.2023", "نص."]).date == "2023-03-18"


def test_a_date_line_beats_a_date_in_the_body_and_a_caption_counts_for_nothing():
    paras = [TITLE, "اجتماع في فيينا في 10 أيلول 2025 (أ ف ب)", "وقال لافروف في 3 آذار 2025 إن الوضع خطير."]
    assert date_in_text(paras).date == "2025-03-03"  # the caption's date is another story's
    assert date_in_text(paras + ["الأربعاء ٢ نيسان ٢٠٢٥"]).date == "2025-04-02"


@pytest.mark.parametrize(
    "paras", [[TITLE, "نص بلا تاريخ."], [TITLE, "في 31 شباط 2022 قال"], [TITLE, "عام 2022"]]
)
def test_no_date(paras):
    assert date_in_text(paras) is None


def test_a_document_without_a_date_takes_its_texts_and_says_so():
    doc = build_document("t", TITLE + "\nالأربعاء ٦ تموز ٢٠٢٢\nوقال الرئيس الأميركي إن الدعم مستمر.")
    assert (doc.date, doc.date_rule) == ("2022-07-06", "text:paragraph=1 written=٦ تموز ٢٠٢٢")
    dated = build_document("t", TITLE + "\nالأربعاء ٦ تموز ٢٠٢٢", date="2022-07-07")
    assert (dated.date, dated.date_rule) == ("2022-07-07", "metadata")


def test_a_date_from_the_text_resolves_role_titles():
    from workbench.annotate import annotate

    ann = annotate([build_document("t", TITLE + "\n١٥ آذار ٢٠٢٣\nوقال الرئيس الأميركي إن الدعم مستمر.")])
    assert ann.sentences.speaker.tolist()[-1] == "biden"
    assert ann.documents.date_rule.tolist() == ["text:paragraph=1 written=١٥ آذار ٢٠٢٣"]
