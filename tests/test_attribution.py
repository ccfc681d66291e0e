"""Tests for workbench/attribution.py: who said what, by construction, with its confidence.

Every sentence here is written for the test, in the shapes Arabic outlets use (see the
issue-11 notes); none is taken from an article.
"""

import pytest

from workbench.annotate import annotate
from workbench.attribution import CONFIDENCE
from workbench.corpus import build_document


def decide(text: str, date: str | None = "2023-03-01") -> list[tuple[str, str]]:
    """(speaker, rule) of each sentence of ``text`` (one paragraph per line)."""
    s = annotate([build_document("t", text, date=date)]).sentences
    return list(zip(s.speaker, s.speaker_rule, strict=True))


def speakers(text: str, date: str | None = "2023-03-01") -> list[str]:
    return [speaker for speaker, _ in decide(text, date)]


def confidence(text: str, date: str | None = "2023-03-01") -> list[float]:
    return annotate([build_document("t", text, date=date)]).sentences.confidence.tolist()


# --- statement nouns -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        # the body that issued the statement is named in an earlier sentence
        ("أصدرت وزارة الخارجية الروسية تعليقا على الاجتماع. وقال البيان إن الحوار مستمر.",
         ["", "ru_foreign_ministry"]),
        ("وقالت الوكالة الدولية للطاقة الذرية إن المفتشين وصلوا. وأضاف البيان أن العمل بدأ.",
         ["iaea", "iaea"]),
        # ... or with the noun itself
        ("وجاء في بيان صادر عن الكرملين أن القمة ستعقد قريبا.", ["kremlin"]),
        ("وجاء في بيان وزارة الخارجية التركية: الاتصال كان مثمرا.", ["tur_foreign_ministry"]),
        ("وأوضح بيان البيت الأبيض أن الرئيس سيسافر.", ["white_house"]),
        # a statement that quotes someone: the one it quotes speaks
        ("ونقل البيان عن لافروف قوله إن المقترح قيد الدرس.", ["lavrov"]),
        # an indefinite statement noun is a new one, not the last body's
        ("وقال الكرملين إن الموعد لم يحدد. وأشار تقرير أممي إلى نقص الغذاء.", ["kremlin", ""]),
    ],
)
def test_statement_nouns_speak_for_their_issuer(text, expected):
    assert speakers(text) == expected


def test_statement_noun_rule_names_the_issuer():
    (_, first), (_, second) = decide("أعلنت وزارة الخارجية الإيرانية موقفها. وأكد البيان أن الرد جاهز.")
    assert second == "verb=أكد subject=البيان issuer=irn_foreign_ministry"


# --- reporting verbs by root and form ---------------------------------------------------------


@pytest.mark.parametrize(
    "text, speaker",
    [
        # past, present, feminine, plural
        ("صرّح لافروف بأن الحوار ممكن.", "lavrov"),
        ("وتؤكد زاخاروفا أن موسكو لن تتراجع.", "zakharova"),
        ("ويقول الكرملين إن المحادثات متعثرة.", "kremlin"),
        ("وأبلغ بلينكن نظيره الصيني بقلق بلاده.", "blinken"),
        ("ووصف بيسكوف الاجتماع بأنه بناء.", "peskov"),
        ("واتهم زيلينسكي موسكو بتعطيل الممرات.", "zelensky"),
        ("وندد الاتحاد الأوروبي بالهجمات على المدنيين.", "eu"),
        ("وعلّق الكرملين على التقارير بأنها ملفقة.", "kremlin"),
        ("وتابع غروسي أن المفتشين سيعودون.", "grossi"),
        ("وأردف بوتين أن الغرب لا يسمع.", "putin"),
        ("وكتب زيلينسكي في منشور أن الدفاعات صمدت.", "zelensky"),
        ("ونفت الخارجية الإيرانية أي نية للتصعيد.", "irn_foreign_ministry"),
        ("وحذّرت الوكالة الدولية للطاقة الذرية من نقص المعلومات.", "iaea"),
        ("وطالب ستولتنبرغ بمزيد من الذخائر.", "stoltenberg"),
        ("ورحّب البيت الأبيض بالخطوة.", "white_house"),
        ("وانتقد لافروف موقف واشنطن.", "lavrov"),
        ("وشدّد بلينكن على ضرورة الحوار.", "blinken"),
        ("وأوضح غروسي أن التفتيش لم يكتمل.", "grossi"),
        ("ورأى ماكرون أن الحل سياسي.", "macron"),
        ("ونقل بايدن إلى نظيره المخاوف من التصعيد.", "biden"),
        ("وأعاد الكرملين التأكيد على موقفه.", "kremlin"),
        ("وثمّن أردوغان جهود الوسطاء.", "erdogan"),
        ("وسُئل بيسكوف عن الموعد، فأجاب بأنه لم يحدد.", "peskov"),
    ],
)
def test_a_wide_set_of_reporting_verbs(text, speaker):
    assert speakers(text) == [speaker]


@pytest.mark.parametrize(
    "participle",
    ["موضحا", "مشيرا", "معتبرا", "مطالبا", "منددا", "مؤكدا", "مؤكدةً", "داعيا", "قائلا:", "لافتاً"],
)
def test_a_circumstantial_participle_after_a_non_reporting_verb_takes_the_subject(participle):
    text = f"والتقى أردوغان وفدا أوروبيا في أنقرة، {participle} أن بلاده مستعدة للوساطة."
    assert decide(text)[0][0] == "erdogan"
    assert decide(text)[0][1].startswith("participle=")


def test_a_participle_goes_with_the_verb_before_it():
    # the participle does not change the speaker of its sentence
    assert speakers("وقال بيسكوف إن الاتصالات مستمرة، مشيرا إلى أن بوتين تحدث مع أردوغان.") == ["peskov"]


def test_an_adjective_that_looks_like_a_participle_is_not_a_cue():
    assert decide("ووصلت معلومات مؤكدة عن الاجتماع.") == [("", "")]


@pytest.mark.parametrize(
    "text, speaker",
    [
        # after a fronted phrase
        ("وخلال اللقاء أعرب لافروف عن أمله في التوصل إلى حل.", "lavrov"),
        ("وفي ختام المحادثات في جنيف، قال بلينكن إن الخلافات باقية.", "blinken"),
        ("ومن جهته، أكد الكرملين أن الموعد لم يحدد.", "kremlin"),
        ("وعن الملف النووي أكد كنعاني أن طهران جادة.", "kanaani"),
        # after حيث، كما، فيما
        ("وانتهى الاجتماع، حيث أكد غروسي أن التعاون سيستمر.", "grossi"),
        ("كما شدد بيسكوف على أهمية الحوار.", "peskov"),
        ("وبدأت المحادثات في الدوحة، فيما أعلن البيت الأبيض إرسال وفد.", "white_house"),
    ],
)
def test_a_verb_anywhere_in_its_clause(text, speaker):
    assert speakers(text) == [speaker]


# --- subject-first headlines ----------------------------------------------------------------


@pytest.mark.parametrize(
    "headline, speaker",
    [
        ("بايدن يدعو بوتين إلى سحب قواته", "biden"),
        ("لافروف يحذر واشنطن من عواقب التصعيد", "lavrov"),
        ("أردوغان يؤكد لزيلينسكي استعداد بلاده للوساطة", "erdogan"),
        ("روسيا تحذر أوكرانيا من الهجوم على القرم", "rus"),
        ("مدير وكالة الطاقة الذرية يناشد إيران التعاون", "grossi"),
    ],
)
def test_subject_first_headline_speaker_is_the_subject_never_the_object(headline, speaker):
    assert speakers(headline + "\nنص الخبر.") == [speaker, ""]


def test_a_subject_first_headline_never_takes_the_object_even_when_the_subject_is_unknown():
    got = decide("المعارضة ترفض اقتراح ماكرون بشأن القوات\nنص الخبر.")
    assert got[0] == ("", "verb=ترفض subject-before=المعارضة (no actor)")
    assert confidence("المعارضة ترفض اقتراح ماكرون")[0] == CONFIDENCE["no_subject"]


@pytest.mark.parametrize(
    "headline, speaker",
    [
        ("غروسي: المفتشون سيعودون إلى إيران", "grossi"),
        ("بلينكن من كييف: الوقت ليس في صالح موسكو", "blinken"),
        ("بيسكوف لوكالة تاس: لا موعد للقمة", "peskov"),
        ("وزير الخارجية الإيراني: الاتفاق قريب", "amir_abdollahian"),
        ("لافروف: واشنطن لم ترد بعد", "lavrov"),  # the state after the colon is not the speaker
        ("روسيا: لن نقبل الشروط", "rus"),
    ],
)
def test_headline_colon(headline, speaker):
    assert speakers(headline + "\nنص الخبر.", date="2023-03-01")[0] == speaker


# --- the same sentence beats the one before -------------------------------------------------------


def test_an_actor_named_in_the_sentence_beats_a_carried_subject():
    text = "وقال بوتين إن الحوار ممكن.\nوأضاف أن روسيا مستعدة، فيما قال بيسكوف إن الموعد لم يحدد."
    assert decide(text)[1][0] == "peskov"


@pytest.mark.parametrize(
    "follow",
    ["وأضاف أن موسكو مستعدة للحوار.", "وتابع: \"لن نتراجع\".", "وأشار إلى أن الاتصالات مستمرة.",
     "لكنه جدد رفض الشروط.", "وقال للصحفيين في موسكو إن الرد سيصل."],
)
def test_the_carried_subject_serves_verbs_without_their_own(follow):
    got = decide("وقال لافروف إن الغرب لا يريد الحوار.\n" + follow)
    assert got[1][0] == "lavrov" and "carried=lavrov" in got[1][1]


def test_a_carried_subject_ignores_a_name_inside_the_quotation():
    text = 'اتهم كوثري جروسي بنقل معلومات.\nوقال: "للأسف، قدم جروسي معلومات للأميركيين".'
    assert speakers(text, date="2025-07-05") == ["kowsari", "kowsari"]


# --- sources that are no state: anonymous sources and media --------------------------------------


@pytest.mark.parametrize(
    "text, speaker",
    [
        ("وقال مسؤول أمريكي، طلب عدم ذكر اسمه، إن الرد وصل.", "unnamed_source"),
        ("وأفادت مصادر مطلعة بأن الوفد غادر فيينا.", "unnamed_source"),
        ("وقال مسؤولان أوروبيان إن المهلة انتهت.", "unnamed_source"),
        ("ونقلت وكالة رويترز عن دبلوماسيين قولهم إن القرار جاهز.", "unnamed_source"),
        ("ونقلت وكالة رويترز عن لافروف قوله إن العرض مرفوض.", "lavrov"),
        ("وذكرت قناة روسيا اليوم أن القوات تقدمت.", "rt"),
        ("وقالت وكالة تاس إن الاجتماع تأجل.", "tass"),
        ("وذكرت هيئة الإذاعة والتلفزيون الإيرانية نقلا عن كنعاني أن الرد أرسل.", "kanaani"),
        ("وبحسب وكالة تسنيم، صرح عراقجي بأن التعاون مستمر.", "araghchi"),
        # an outlet named after a state, or a state's broadcaster without its own actor, is
        # not the state
        ("وقال التلفزيون الأوكراني إن صفارات الإنذار دوت.", ""),
        ("وأفادت وسائل الإعلام الروسية بأن الجسر أغلق.", ""),
        # ... but a state's government is the state
        ("وقالت الحكومة الأمريكية إن العقوبات ستستمر.", "usa"),
    ],
)
def test_anonymous_sources_and_media_are_not_the_state_they_contain(text, speaker):
    assert speakers(text, date="2025-02-01") == [speaker]


def test_media_heads_refer_back_to_the_outlet():
    text = "وذكرت وكالة تاس أن الوفد وصل.\nوقالت الوكالة إن المحادثات بدأت."
    assert speakers(text) == ["tass", "tass"]


@pytest.mark.parametrize(
    "text, expected",
    [
        # the outlet is named in a sentence with no cue, the noun comes a paragraph later
        ("وصل الوفد إلى الدوحة. ونشرت نيويورك تايمز تقريرا عن الزيارة.\nوقالت الصحيفة إن المحادثات بدأت.",
         ["", "", "nyt"]),
        # only an outlet named before the noun counts
        ("وصل الوفد إلى الدوحة. وقالت الصحيفة إن المحادثات بدأت. ونشرت نيويورك تايمز تقريرا عن الزيارة. "
         "وأكدت الصحيفة أن الجولة انتهت.", ["", "", "", "nyt"]),
    ],
)
def test_the_newspaper_is_the_last_outlet_named_before_it(text, expected):
    assert speakers(text) == expected


def test_a_verb_with_an_object_pronoun_and_a_noun_that_refers_back():
    text = "وافق مجلس الاتحاد على الطلب، في ما وصفه المجلس بخطوة ضرورية."
    assert speakers(text) == ["federation_council"]


def test_a_definite_noun_refers_back_to_the_body_it_names():
    text = "وقالت وزارة العدل الأمريكية إن المتهم فر.\nوأضافت الوزارة أن الملاحقة مستمرة."
    assert speakers(text) == ["us_justice_department", "us_justice_department"]


# --- datelines and bylines ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "first_paragraph, speaker",
    [
        ("موسكو: قال الكرملين إن الاتصال بناء.", "kremlin"),
        ("كييف - أعلن الكرملين أن الاجتماع تأجل.", "kremlin"),
        ("واشنطن (أ ف ب) - قال البيت الأبيض إن الرد قريب.", "white_house"),
        ("طهران/ إرنا/ قالت الوكالة الدولية للطاقة الذرية إن المفتشين وصلوا.", "iaea"),
    ],
)
def test_a_dateline_is_neither_speaker_nor_topic(first_paragraph, speaker):
    ann = annotate([build_document("t", "عنوان الخبر\n" + first_paragraph, date="2023-03-01")])
    s = ann.sentences
    assert s.speaker.tolist() == ["", speaker]
    assert s.topics.tolist()[1] == ""  # كييف in the dateline raises no Ukraine
    assert not set(ann.mentions.surface) & {"موسكو:", "موسكو", "كييف", "واشنطن", "طهران"}


def test_a_byline_paragraph_is_furniture_with_no_speaker():
    text = "لافروف يحذر من التصعيد\nبوابة الأخبار - موسكو\nقال لافروف إن الوضع خطير."
    ann = annotate([build_document("t", text,
                                   outlet="بوابة الأخبار")])
    s = ann.sentences
    assert list(zip(s.furniture, s.speaker, strict=True)) == [("", "lavrov"), ("byline", ""), ("", "lavrov")]
    assert s.speaker_rule[1] == "furniture=byline" and s.confidence[1] == 1.0


# --- roles and passives ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        # the last holder of that role named earlier
        ("وقال المتحدث باسم الكرملين ديمتري بيسكوف إن الموعد لم يحدد.\nوأضاف المتحدث أن الاتصالات مستمرة.",
         ["peskov", "peskov"]),
        ("التقى نائب وزير الخارجية الروسي سيرغي ريابكوف السفير الأمريكي.\n"
         "وقال الوزير الروسي إن اللقاء كان صريحا.",
         ["", "ryabkov"]),
        ("وصل الرئيس التركي رجب طيب أردوغان إلى سوتشي.\nوقال الرئيس التركي إن بلاده ستواصل الوساطة.",
         ["", "erdogan"]),
        # a descriptive noun refers back to the person speaking before
        ("وقال غروسي إن التفتيش ضروري.\nوقال الدبلوماسي الأرجنتيني إن الوقت يضيق.", ["grossi", "grossi"]),
        # a role named before the person: the holder named after it
        ("وقال نائب وزير الخارجية الروسي إن الرد جاهز.\n"
         "وكان سيرغي ريابكوف، نائب وزير الخارجية الروسي، قد زار جنيف.",
         ["ryabkov", ""]),
    ],
)
def test_bare_role_words_resolve_to_their_holder(text, expected):
    assert speakers(text) == expected


@pytest.mark.parametrize(
    "text, speaker",
    [
        ("ونُقل عن لافروف قوله إن الغرب يماطل.", "lavrov"),
        ("وأُعلن في بيان للكرملين أن القمة تأجلت.", "kremlin"),
        ("ونسبت وكالة تاس إلى بيسكوف قوله إن الرد وصل.", "peskov"),
    ],
)
def test_passive_reports_go_to_who_they_name(text, speaker):
    assert speakers(text) == [speaker]


# --- quotations -------------------------------------------------------------------------------


def test_a_quotation_over_several_sentences_keeps_its_speaker():
    text = "وقال بيسكوف: \"نحن منفتحون. لكننا لن نقبل الشروط. والقرار لنا\"."
    assert decide(text) == [("peskov", "verb=قال subject=بيسكوف")]


def test_a_quotation_that_goes_on_in_the_next_paragraph_keeps_its_speaker():
    text = "وقال زيلينسكي: «سنواصل الدفاع عن مدننا.\nولن نتخلى عن أرضنا». ثم غادر القاعة."
    got = decide(text)
    assert got[0][0] == "zelensky"
    assert got[1] == ("zelensky", "quote-continues=zelensky")


def test_a_sentence_ends_after_a_closing_quote_or_full_stop_with_no_space():
    s = annotate([build_document("t", 'وقال لافروف: "الحوار ممكن".وقالت زاخاروفا إن الرد سيصل.')]).sentences
    assert s.text.tolist() == ['وقال لافروف: "الحوار ممكن".', "وقالت زاخاروفا إن الرد سيصل."]
    assert s.speaker.tolist() == ["lavrov", "zakharova"]


@pytest.mark.parametrize("name", ['"الناتو"', "«رويترز»", '"صفقة الحبوب"', "“سي إن إن”"])
def test_a_quoted_name_is_not_a_statement(name):
    ann = annotate([build_document("t", f"وقال زيلينسكي لشبكة {name} إن الدعم مستمر.")])
    assert ann.sentences.speaker.tolist() == ["zelensky"]
    assert ann.quotes.empty and ann.sentences.quote.tolist() == [""]


# --- confidence ------------------------------------------------------------------------------------


def test_confidence_follows_the_rule_that_fired():
    text = ("وقال وزير الخارجية الروسي سيرغي لافروف إن الوضع خطير.\n"  # an explicit subject and verb
            "وأضاف أن الحوار ممكن.\n"                 # carried over
            "وقال الوزير الروسي إن الرد قريب.\n"      # a bare role word, resolved
            "وقال بادين إن الدعم مستمر.\n"            # a near-miss spelling of a name
            "وأكد أن الوقت يضيق.\n"                   # carried over
            "وكانت الأمطار غزيرة.")                   # no cue: sure there is no speaker
    assert confidence(text, date="2023-03-01") == [
        CONFIDENCE["explicit"], CONFIDENCE["carried"], CONFIDENCE["role"], CONFIDENCE["fuzzy"],
        CONFIDENCE["carried"], CONFIDENCE["none"]]
    assert CONFIDENCE["explicit"] > CONFIDENCE["carried"] > CONFIDENCE["role"] > CONFIDENCE["fuzzy"] \
        > CONFIDENCE["no_subject"]


def test_a_cue_without_a_speaker_has_a_low_confidence():
    assert confidence("وأضاف أن الوضع خطير.") == [CONFIDENCE["no_subject"]]


def test_every_decision_says_why():
    s = annotate([build_document("t", "بايدن يحذر من التصعيد\nوقال بلينكن إن بلاده ستقدم الدعم.")]).sentences
    assert s.speaker_rule.tolist() == ["verb=يحذر subject-before=بايدن type=verb",
                                       "verb=قال subject=بلينكن type=cue:دعم*"]


# --- statement types -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        # the reporting verb has a type
        ("وحذر لافروف من عواقب التصعيد.", "warning"),
        # it has none: a typed verb or participle later in the sentence gives it
        ("وقال لافروف إن الرد جاهز، محذرا الغرب من خطوة جديدة.", "warning"),
        ("وقال بيسكوف إن الكرملين ثمّن موقف الصين.", "support"),
        # ... or a statement cue
        ("وقال غروسي إن الوضع مقلق للغاية.", "concern"),
        ("وقال لافروف إن بلاده تساند الحل السلمي.", "support"),
        # none at all
        ("وقال لافروف إن الاجتماع انتهى.", ""),
    ],
)
def test_statement_type_from_the_verb_a_later_typed_verb_or_a_cue(text, expected):
    s = annotate([build_document("t", text, date="2023-03-01")]).sentences
    assert s.statement_type.tolist() == [expected]
    assert s.speaker.tolist()[0]


# --- second round: constructions met on outlets the first round had not seen ----------------


@pytest.mark.parametrize(
    "text, speaker",
    [
        # verbs the first round lacked: a hint, advice, regret in the present (its past is the noun)
        ("وألمح رئيس الوزراء البريطاني بوريس جونسون إلى أنه قد يزور كييف.", "johnson"),
        ("ينصح الرئيس الفرنسي إيمانويل ماكرون أوروبا بالتريث", "macron"),
        ("حلف الناتو يأسف لقرار موسكو الأخير", "nato"),
        ("وساد أسف بين الحاضرين لغياب بوتين عن اللقاء.", ""),
        # actors and spellings an analyst's codebook has: a state's government, new names
        ("وقالت حكومة ألبانيا إن التحقيق اكتمل.", "alb"),
        ("وكتب براد سميث في مدونة الشركة أن الاختراق واسع.", "brad_smith"),
        ("وقالت مرضية أفخم للصحفيين إن الجولة المقبلة قريبة.", "afkham"),
        ("فقد أكد عزيزي أن المفتشين لم يصلوا.", "azizi"),
        ('مدير "الطاقة الذرية": لا اتفاق قريبا مع طهران', "grossi"),
        ("وصرح رافاييل غروسي بأن الوكالة مستعدة.", "grossi"),
    ],
)
def test_second_round_verbs_and_codebook_actors(text, speaker):
    assert speakers(text, "2023-03-01")[0] == speaker


@pytest.mark.parametrize(
    "text, expected",
    [
        # a bracketed tag before a headline colon
        ("( فيديو ) الخارجية الروسية: الدعم العسكري لكييف يطيل الحرب", ["ru_foreign_ministry"]),
        ("(صور) لافروف: لا مفاوضات قبل الربيع", ["lavrov"]),
        # a relay after a source cue: the one the outlet quotes, not the outlet
        ("وبحسب وكالة الأناضول، نقلت الصحيفة عن مصادر مطلعة قولها إن الاجتماع تأجل.", ["unnamed_source"]),
        ("ووفقا لوكالة تاس، نقلت القناة عن لافروف قوله إن الموعد قريب.", ["lavrov"]),
        # officials in the plural are anonymous even with the article, and never the person after them
        ("ينصح المسؤولون الأمريكيون بايدن بالتريث", ["unnamed_source"]),
        ("وقال المسؤولون الروس إن بوتين سيحضر.", ["unnamed_source"]),
        # "the official" with no one named to be him: the anonymous source named before
        ("قال مسؤول في الحلف إن الوضع هادئ. وقال المسؤول الذي طلب عدم نشر اسمه إن الحوار مطلوب. "
         "ولفت المسؤول إلى أن الحلف مستعد، موضحا أن الرد سيكون حازما.",
         ["unnamed_source", "unnamed_source", "unnamed_source"]),
        # circles, reports: not a person speaking
        ("وتابعت الأوساط السياسية في بغداد باهتمام نتائج القمة.", [""]),
        # ... but with a person named before, the person
        ("وقال وزير الخارجية الروسي سيرغي لافروف إن الحوار مستمر. وأضاف المسؤول الروسي أن الرد قريب.",
         ["lavrov", "lavrov"]),
    ],
)
def test_second_round_tags_relays_and_anonymous_officials(text, expected):
    assert speakers(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # "the government" speaks as the state that spoke before, not as the agency quoted after
        ("أعلنت حكومة ألبانيا قطع العلاقات. وطالبت الحكومة السفير بالمغادرة، حسب وكالة رويترز.",
         ["alb", "alb"]),
        ("وقالت الحكومة إن الحوار مستمر.", [""]),
        # a participle right after the verb is not its subject: the speaker goes on
        ("وقال الوزير سيرغي لافروف إن الحوار مستمر.\nكما أضاف قائلا في تصريحات للصحفيين: الرد قريب.",
         ["lavrov", "lavrov"]),
        # one sentence cut over two paragraphs (the first ends with a comma)
        ("أعرب الأمين العام للأمم المتحدة أنطونيو غوتيريش،\nبشدة عن أسفه لانهيار صفقة الحبوب.",
         ["guterres", "guterres"]),
        ("أعرب الأمين العام للأمم المتحدة أنطونيو غوتيريش عن أسفه.\nوتبقى السفن في الموانئ.",
         ["guterres", ""]),
    ],
)
def test_second_round_government_participle_and_cut_sentences(text, expected):
    assert speakers(text) == expected


def topics(text: str) -> list[str]:
    return annotate([build_document("t", text, date="2023-03-01")]).sentences.topics.tolist()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("وبحث الطرفان إعادة فتح ممر شحن الحبوب في البحر.", ["ukraine"]),
        ("وانتهت مبادرة البحر الأسود الشهر الماضي.", ["ukraine"]),
        # a nuclear agreement between Washington and Moscow is arms control, not Iran
        ("انتهى آخر اتفاق نووي بين واشنطن وموسكو.", ["strategic_stability"]),
        ("وتعثر الاتفاق النووي مع طهران.", ["iran"]),
        # an anonymous official named again goes on with the topic of the statement before
        ("دعا حلف الناتو إلى وقف سباق الأسلحة النووية.\n"
         "وقال المسؤول الذي طلب عدم نشر اسمه إن الحذر واجب.",
         ["strategic_stability", "strategic_stability"]),
    ],
)
def test_second_round_topic_terms_and_context(text, expected):
    assert topics(text) == expected


# --- a role with an institution inside is not the head of state; an appositive name speaks ------


@pytest.mark.parametrize(
    "text, expected",
    [
        # رئيس + an institution + the adjective is not "the Iranian president" named before
        ("قال الرئيس الإيراني حسن روحاني إن الباب مفتوح. وقال رئيس البرلمان الإيراني إن الموعد قريب.",
         ["rouhani", ""]),
        ("قال الرئيس الروسي فلاديمير بوتين إن الطريق طويل. وصرح رئيس مجلس الدوما الروسي بأن القرار نهائي.",
         ["putin", "unnamed_source"]),
        # a name the codebook does not know after the title: not the title's holder
        ("قال الرئيس الإيراني حسن روحاني إن الباب مفتوح. "
         "وأعلن رئيس منظمة الطاقة الذرية الإيرانية، مهدي كريمي، أن الأجهزة تعمل.",
         ["rouhani", ""]),
        # the title's holder named between commas speaks as himself
        ("قال الرئيس الإيراني حسن روحاني إن الباب مفتوح. "
         "وأعلن رئيس منظمة الطاقة الذرية الإيرانية، علي أكبر صالحي، أن الأجهزة تعمل.",
         ["rouhani", "salehi"]),
        ("قال الرئيس الإيراني حسن روحاني إن الباب مفتوح. "
         "وأعلن رئيس منظمة الطاقة الذرية الإيرانية أن الأجهزة تعمل.",
         ["rouhani", "salehi"]),
        # a known person set between commas after the role names the speaker
        ("قال الرئيس الروسي فلاديمير بوتين إن الطريق طويل. وقال الوزير الروسي، سيرغي لافروف، إن الرد جاهز.",
         ["putin", "lavrov"]),
        # the title itself still names its holder
        ("قال الرئيس الروسي فلاديمير بوتين إن الطريق طويل. وأضاف الرئيس الروسي أن الغرب مخطئ.",
         ["putin", "putin"]),
        # an unknown name after the role: not the role's last holder
        ("قال الرئيس الروسي فلاديمير بوتين إن الطريق طويل. وقال رئيس اللجنة، كامل سعيدوف، إن الرد جاهز.",
         ["putin", ""]),
    ],
)
def test_role_with_institution_or_appositive_name_is_not_the_head_of_state(text, expected):
    assert speakers(text, date="2015-03-01") == expected


@pytest.mark.parametrize(
    "text, date, speaker",
    [
        ("وقال الرئيس الصيني إن بلاده تدعم الحوار.", "2023-03-01", "xi_jinping"),
        ("وأكد شي جينبينغ أن التعاون مستمر.", "2023-03-01", "xi_jinping"),
        ("وقال وزير الخارجية الصيني إن الحل سياسي.", "2020-03-01", "wang_yi"),
        ("وأعرب وانغ يي عن قلقه من التصعيد.", "2023-03-01", "wang_yi"),
        ("وقال رئيس مجلس الدوما الروسي إن القرار لن يغير شيئا.", "2023-03-01", "volodin"),
        ("وصرحت رئيسة مجلس الاتحاد الروسي بأن العقوبات فشلت.", "2023-03-01", "matvienko"),
        ("وذكر رئيس البرلمان الإيراني أن الرد قادم.", "2023-03-01", "qalibaf"),
        ("وقال رئيس منظمة الطاقة الذرية الإيرانية إن الأجهزة تعمل.", "2019-03-01", "salehi"),
        ("وقال الرئيس الفرنسي إن الاتفاق خطوة أولى.", "2015-03-01", "hollande"),
        ("وقال الرئيس الفرنسي إن الاتفاق خطوة أولى.", "2019-03-01", "macron"),
        ("وأوضح ربيعي أن الحكومة لن تتراجع.", "2020-03-01", "rabiei"),
        ("وقال كروتسكيخ إن الهجمات تتزايد.", "2023-03-01", "krutskikh"),
        ("وقال لوكاشينكو إن بلاده مستعدة للوساطة.", "2023-03-01", "lukashenko"),
    ],
)
def test_world_actors_in_the_default_codebook(text, date, speaker):
    assert speakers(text, date=date) == [speaker]


def topics_of(text: str) -> list[str]:
    s = annotate([build_document("t", text, date="2023-03-01")]).sentences
    return s.topics.tolist()


@pytest.mark.parametrize(
    "text, expected",
    [
        # general cyber terms: hacking in the present tense, hackers, cyber war, extortion online
        ("موسكو تتهم جهات أجنبية بأنها تقرصن مواقعها الحكومية.", ["cyber"]),
        ("وقبضت الشرطة على هكر يبيع بيانات المصارف.", ["cyber"]),
        ("وحذر الخبير من اتساع الحرب الإلكترونية بين البلدين.", ["cyber"]),
        ("وسجلت الشرطة عشرات قضايا الابتزاز الإلكتروني هذا العام.", ["cyber"]),
        ("وتتزايد رسائل التصيد الاحتيالي الموجهة إلى الموظفين.", ["cyber"]),
        ("وتعطلت المواقع بسبب هجمات حجب الخدمة.", ["cyber"]),
        ("وأطلقت الوزارة خطة جديدة لتعزيز أمن المعلومات.", ["cyber"]),
        # in a cyber article, "the attacks" and "the intruder" are cyber too ...
        ("وتعرضت المصارف لهجوم إلكتروني واسع. وقالت الشركة إن برامج الفدية شلت الخوادم. "
         "وأوضحت أن الهجمات توقفت بعد يومين. وعرضت مكافأة لمن يدل على المتسلل.",
         ["cyber", "cyber", "cyber", "cyber"]),
        # ... but not in an article that does not raise cyber
        ("وقال الجيش إن الهجمات على القرى توقفت.", [""]),
        ("وألقت الشرطة القبض على متسلل عبر الحدود.", [""]),
        # sea piracy is still not hacking
        ("وأحبطت البحرية هجوم قراصنة صوماليين على سفينة.", [""]),
    ],
)
def test_general_cyber_terms(text, expected):
    assert topics_of(text) == expected


@pytest.mark.parametrize(
    "text, speaker",
    [
        ("وأوصى لافروف الحكومة بالحذر في الرد.", "lavrov"),
        ("ويوصي الكرملين الطرفين بالتهدئة.", "kremlin"),
        # a rebuttal verb, also in a subject-first headline
        ("وفنّد الكرملين التقارير الغربية عن الخسائر.", "kremlin"),
        ("غروسي يفند رواية واشنطن عن المنشآت", "grossi"),
    ],
)
def test_recommending_and_rebutting_verbs_report(text, speaker):
    assert speakers(text) == [speaker]


@pytest.mark.parametrize(
    "text, expected",
    [
        # a statement with its issuer fronted before a verb with no subject of its own
        ("تحركت واشنطن بسرعة. وفي بيان صادر عن وزارة الخارجية الأمريكية، أُعلن أن المكافأة قائمة. "
         "وجاء في البيان أن التحقيق مستمر.",
         ["", "us_state_department", "us_state_department"]),
        ("وفي بيان للكرملين، أكد أن القمة قائمة.", ["kremlin"]),
        # the fronted statement does not override a subject named after the verb
        ("وفي بيان للكرملين، قال بيسكوف إن القمة قائمة.", ["peskov"]),
    ],
)
def test_fronted_statement_speaks_for_a_verb_without_subject(text, expected):
    assert speakers(text) == expected
