"""Tests for workbench/furniture.py: page furniture recognised by its shape, in my own lines."""

import pytest

from workbench.annotate import annotate
from workbench.corpus import build_document
from workbench.furniture import FURNITURE_KINDS, dateline_prefix, paragraph_furniture

TITLE = "لافروف يحذر من تصعيد جديد في أوكرانيا"


@pytest.mark.parametrize(
    "line, kind",
    [
        # source lines
        ("المصدر: وكالات", "source"),
        ("المصدر - رويترز", "source"),
        ("( رويترز)", "source"),
        ("سانا", "source"),
        # related links
        ("اقرأ أيضا: روسيا تعلن موعد المناورات", "related"),
        ("إقرأ أيضاً", "related"),
        ("مقالات ذات صلة", "related"),
        ("المزيد من الأخبار", "related"),
        ("Read also", "related"),
        # share bars
        ("شارك فيسبوك تويتر واتساب", "share"),
        ("طباعة", "share"),
        # datelines: a line that only says when and where
        ("الأربعاء ١٢ أبريل ٢٠٢٣ - ١٠:١٥ بتوقيت غرينتش", "dateline"),
        ("2023.04.12 | 10:15", "dateline"),
        ("آخر تحديث GMT 09:30:12", "dateline"),
        ("12.04.2023 - محدث : 13.04.2023", "dateline"),
        ("بيروت - (أ ف ب)", "dateline"),
        ("أنقرة/ الأناضول", "dateline"),
        # bylines
        ("كتب: سامي الخطيب", "byline"),
        ("بقلم: هالة منصور", "byline"),
        ("متابعة – رنا عادل", "byline"),
        ("وكالات", "byline"),
        ("النشرة الدولية -", "byline"),
        # captions
        ("وزير الخارجية الروسي يصافح نظيره في موسكو (أ ف ب)", "caption"),
        ("صورة أرشيفية لاجتماع مجلس الأمن", "caption"),
        ("الصورة: الموقع الرسمي للرئاسة", "caption"),
        ("الرئيس الروسي فلاديمير بوتين / PHOTOGRAPHER / Sputnik", "caption"),
        # other: the headline again, addresses, widgets, disclaimers
        (TITLE, "other"),
        ("https://example.org/images/summit.jpg", "other"),
        ("عاجل", "other"),
        ("حجم الخط", "other"),
        ("مسؤولية الخبر: الموقع غير مسؤول عن مضمون الخبر", "other"),
        ("Comments are closed.", "other"),
        # second round: places with the desk in brackets, date and author in one line, a
        # photo credit inside a caption, a bullet and an agency, a read-also head with tanween
        # on its alef, a share button in English
        ("طهران، بغداد (وكالات)", "dateline"),
        ("الأحد 12-03-2023 10:40 | كتب: سامي العطار |", "byline"),
        ("وزير الخارجية الإيراني - صورة أرشيفية تصوير : آخرون", "caption"),
        ("- وكالة الأناضول للأنباء، أنقرة", "byline"),
        ("— Reuters (@Reuters) March 3, 2023", "other"),
        ("اقرأ أيضًا: مجلس الأمن يناقش الملف النووي", "related"),
        ("Share on telegram", "share"),
        # a read-also head glued to a whole paragraph: body text
        ("مقالات ذات صلةقالت وزارة الخارجية الروسية، اليوم، إن الوفد سيصل إلى جنيف غدا لإجراء محادثات "
         "حول الضمانات الأمنية مع الجانب الأميركي، من دون أن تحدد موعدا للجولة.", ""),
        # the marks of an address, a disclaimer or a credit after other words (and dots)
        ("انتهى اللقاء. التفاصيل على www.almasa.example", "other"),
        ("انتهى اللقاء. نشرنا صور القمة في الملف summit.PNG", "other"),
        ("موقع المساء الإخباري جميع الحقوق محفوظة 2023", "other"),
        ("الوفدان في قاعة الاجتماع. وزير الخارجية يتحدث - صورة أرشيفية", "caption"),
        # body text
        ("وقال الوزير إن الملف. الجديد مهم جدا للطرفين في المرحلة المقبلة.", ""),
        ("وقال لافروف إن موسكو لن تقبل الشروط.", ""),
        ("- سنرسل فريقا فنيا الأسبوع المقبل", ""),
    ],
)
def test_paragraph_furniture_kinds(line, kind):
    kinds = paragraph_furniture([TITLE, line, "وقال الكرملين إن المحادثات مستمرة."])
    assert kinds == ["", kind, ""]
    assert kind == "" or kind in FURNITURE_KINDS


def test_the_outlets_own_name_is_a_byline():
    assert paragraph_furniture([TITLE, "صحيفة المساء", "نص الخبر كاملا هنا."], outlet="صحيفة المساء") == [
        "", "byline", ""]


def test_links_under_a_read_also_head_are_related():
    paras = [TITLE, "وقال لافروف إن الوضع خطير.", "اقرأ أيضا", "موسكو تستدعي السفير", "كييف تعلن التعبئة"]
    assert paragraph_furniture(paras) == ["", "", "related", "related", "related"]


def test_names_only_lines_are_captions_when_the_caller_says_so():
    paras = [TITLE, "أنجيلا ميركل", "وقالت ميركل إن الاتفاق كان هشا."]
    assert paragraph_furniture(paras, names_only=[False, True, False]) == ["", "caption", ""]
    assert paragraph_furniture(paras, names_only=[False, True, False], reports=[False, True, True]) == [
        "", "", ""]


@pytest.mark.parametrize(
    "paragraph, prefix, colon",
    [
        ("موسكو - (أ ف ب) - قال الكرملين إن الرد قريب.", "موسكو - (أ ف ب) - ", False),
        ("كييف/ أوكرانيا اليوم/ صرح الوزير بأن الهجوم صد.", "كييف/ أوكرانيا اليوم/ ", False),
        ("أنقرة - الأناضول. وجاء في بيان الرئاسة أن الوساطة مستمرة.", "أنقرة - الأناضول. ", False),
        ("واشنطن (رويترز) - أعلن البيت الأبيض أن الوفد سيسافر.", "واشنطن (رويترز) - ", False),
        ("موسكو: قال المتحدث إن الاتصال جرى.", "موسكو: ", True),
        ("وقال لافروف إن الوضع خطير.", "", False),
        ("بيروت - ثم", "", False),  # too short to be a sentence after a dateline
    ],
)
def test_dateline_prefix(paragraph, prefix, colon):
    offset, after_colon = dateline_prefix(paragraph)
    assert (paragraph[:offset], after_colon) == (prefix, colon)


def test_annotate_marks_furniture_and_keeps_it_out_of_speakers():
    text = "\n".join([TITLE, "الأربعاء ١٢ أبريل ٢٠٢٣", "وقال لافروف إن موسكو مستعدة للحوار.",
                      "وزير الخارجية الروسي سيرغي لافروف (أ ف ب)", "اقرأ أيضا: كييف تعلن التعبئة"])
    s = annotate([build_document("t", text, date="2023-04-12")]).sentences
    assert s.furniture.tolist() == ["", "dateline", "", "caption", "related"]
    assert s.speaker.tolist() == ["lavrov", "", "lavrov", "", ""]
    assert s.speaker_rule[3] == "furniture=caption"
    assert s.topics[4] == "ukraine"  # kept in the text; tables leave it out
