"""Tests for workbench/furniture.py: page furniture recognised by its shape, in my own lines."""

import pytest

from workbench.annotate import annotate
from workbench.corpus import build_document
from workbench.furniture import FURNITURE_KINDS, dateline_prefix, paragraph_furniture, surely_body

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


# The quick test (surely_body) against the full rules: furniture lines of every kind, as
# written and as they might be glued or ended, never cleared; body lines cleared.
OUTLET = "صحيفة المساء"
FURNITURE_LINES = [
    "المصدر: وكالات", "(المصدر - رويترز)", "اقرأ أيضا: روسيا تعلن موعد المناورات", "• طالع أيضا",
    "مقالات ذات صلة", "المزيد من الأخبار", "الأكثر قراءة", "قد يعجبك أيضا", "Read more",
    "شارك فيسبوك تويتر", "طباعة", "إرسال بريد إلكتروني", "الأربعاء ١٢ أبريل ٢٠٢٣ - ١٠:١٥ بتوقيت غرينتش",
    "آخر تحديث منذ ساعة", "2023.04.12 | 10:15", "الخميس 13 أبريل مساءً", "بيروت - (أ ف ب)",
    "أنقرة/ الأناضول", "موسكو _ صحيفة المساء", "طهران، بغداد (وكالات)", "كتب: سامي الخطيب",
    "بقلم هالة منصور", "متابعة – رنا عادل", "وكالات", "الوكالات", "النشرة الدولية -", OUTLET,
    "مراسل صحيفة المساء", "الأحد 12-03-2023 10:40 | كتب: سامي العطار |", "- وكالة الأناضول، أنقرة",
    "وزير الخارجية الروسي يصافح نظيره في موسكو (أ ف ب)", "صورة أرشيفية لاجتماع مجلس الأمن",
    "الصورة: الموقع الرسمي للرئاسة", "وزير الخارجية - صورة أرشيفية", "تصوير: سامي الخطيب",
    "الرئيس الروسي / Sputnik", TITLE, "https://example.org/summit.jpg", "التفاصيل على www.almasa.example",
    "مسؤولية الخبر: الموقع غير مسؤول", "الآراء الواردة لا تعبر عن الموقع", "جميع الحقوق محفوظة لموقع المساء",
    "هذه المادة غير متوفرة", "Comments are closed", "عاجل", "حجم الخط", "أنجيلا ميركل",
]
BODY_TAIL = "ثم عاد الوفد إلى العاصمة بعد يومين من المحادثات الطويلة مع الجانب الآخر."
BODY_LINES = [
    "وقال لافروف إن موسكو لن تقبل الشروط المطروحة في الوقت الحالي.",
    "وأضاف المتحدث أن الاجتماع المقبل سيعقد في جنيف خلال الشهر المقبل.",
    "وفي تلك الأثناء، عاد الحديث عن المفاوضات إلى الواجهة بعد أسابيع من الجمود.",
    "المتحدث باسم الكرملين قال إن الرد سيكون مدروسا ومتناسبا مع الخطوة الأخيرة.",
    "وكانت الوزارة قد أعلنت في بيان أن «الباب ما زال مفتوحا أمام الحوار».",
]


def _variants(line):
    """A line as written, ended as a sentence, quoted, glued before and after body words."""
    return [line, line + ".", "«" + line + "».", line + " " + BODY_TAIL, BODY_TAIL[:-1] + " " + line + "."]


@pytest.mark.parametrize("line", FURNITURE_LINES)
def test_the_quick_test_never_clears_what_the_rules_call_furniture(line):
    for variant in _variants(line):
        paras = [TITLE, BODY_LINES[0], variant, BODY_LINES[1]]
        for names_only in ([False] * 4, [True] * 4):
            full = paragraph_furniture(paras, outlet=OUTLET, names_only=names_only, prefilter=False)
            assert paragraph_furniture(paras, outlet=OUTLET, names_only=names_only) == full
            cleared = surely_body(paras, outlet=OUTLET)
            assert not any(c and kind for c, kind in zip(cleared, full, strict=True)), variant
    # as written, each line is furniture and not cleared
    kinds = paragraph_furniture([TITLE, BODY_LINES[0], line, BODY_LINES[1]], outlet=OUTLET,
                                names_only=[False, False, True, False])
    assert kinds[2] in FURNITURE_KINDS
    assert surely_body([TITLE, BODY_LINES[0], line, BODY_LINES[1]], outlet=OUTLET)[2] is False


def test_the_quick_test_clears_body_lines_and_never_the_title():
    paras = [TITLE, *BODY_LINES]
    assert surely_body(paras, outlet=OUTLET) == [False] + [True] * len(BODY_LINES)
    assert paragraph_furniture(paras, outlet=OUTLET) == [""] * len(paras)


def test_a_cleared_line_under_a_read_also_head_is_still_a_link():
    # it ends a sentence inside its quotes: cleared, yet short enough to be a link's title
    paras = [TITLE, BODY_LINES[0], "اقرأ أيضا", "«موسكو تستدعي السفير.»", BODY_LINES[1]]
    assert surely_body(paras)[3] is True
    assert paragraph_furniture(paras) == paragraph_furniture(paras, prefilter=False) == [
        "", "", "related", "related", ""]


def test_names_and_reporting_verbs_are_asked_only_of_short_lines_that_end_no_sentence():
    asked = []

    def names_only(k):
        asked.append(k)
        return k == 2

    paras = [TITLE, BODY_LINES[0], "أنجيلا ميركل", BODY_LINES[1], "وقال الوزير إن المحادثات لم تنته"]
    kinds = paragraph_furniture(paras, names_only=names_only, reports=lambda k: False)
    assert kinds == ["", "", "caption", "", ""]
    assert asked == [2, 4]
