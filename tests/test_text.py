"""Tests for workbench.text: normalisation with offsets, tokens, sentences, transliteration."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.text import normalize, presentation_form_share, quote_spans, sentences, tokens, transliterate


@pytest.mark.parametrize(
    "text, expected",
    [
        ("أحمد", "احمد"),  # hamza on alef
        ("إيران", "ايران"),  # hamza below
        ("آمال", "امال"),  # madda
        ("ٱلله", "الله"),  # wasla
        ("مصطفى", "مصطفي"),  # alef maqsura
        ("الدبلوماسية", "الدبلوماسيه"),  # teh marbuta
        ("مُوسْكُوّ", "موسكو"),  # damma, sukun, shadda
        ("كتاباً", "كتابا"),  # tanwin
        ("هٰذا", "هذا"),  # dagger alef
        ("الكـــرملين", "الكرملين"),  # tatweel
        ("عام ٢٠١٥ و۲۰۲۱", "عام 2015 و2021"),  # Arabic-Indic and Persian digits
        ("ﻻ", "لا"),  # lam-alef ligature (presentation form)
        ("ﺑﻮﺗﻴﻦ", "بوتين"),  # presentation forms from a PDF
        ("Biden 2021", "Biden 2021"),  # Latin untouched
    ],
)
def test_normalize_text(text, expected):
    assert normalize(text).text == expected


@pytest.mark.parametrize(
    "option, text, expected",
    [
        ("alef", "أحمد", "أحمد"),
        ("alef_maqsura", "مصطفى", "مصطفى"),
        ("teh_marbuta", "مدرسة", "مدرسة"),
        ("diacritics", "مُوسْكُو", "مُوسْكُو"),
        ("tatweel", "كـتاب", "كـتاب"),
        ("digits", "٢٠١٥", "٢٠١٥"),
        ("presentation_forms", "ﻻ", "ﻻ"),
    ],
)
def test_each_normalisation_can_be_switched_off(option, text, expected):
    assert normalize(text, **{option: False}).text == expected


@pytest.mark.parametrize(
    "text, norm_span, original_span",
    [
        ("قَلِقٌ جداً", (0, 3), (0, 6)),  # diacritics after the last letter belong to the word
        ("أوكرانيا", (0, 1), (0, 1)),  # replaced letter maps to itself
        ("الكـــرملين", (2, 4), (2, 7)),  # tatweel inside the span
        ("ﻻ بد", (0, 2), (0, 1)),  # ligature: two normalised letters, one original
        ("ﻻ بد", (1, 2), (0, 1)),
        ("مدرسة", (5, 5), (5, 5)),  # empty span at the end
    ],
)
def test_to_original(text, norm_span, original_span):
    assert normalize(text).to_original(*norm_span) == original_span


def test_to_original_rejects_spans_outside_the_text():
    with pytest.raises(IndexError, match="outside the normalised text"):
        normalize("بوتين").to_original(2, 9)


# camel-tools is the oracle: the workbench's one-table normaliser must agree with it.
CAMEL_SAMPLES = [
    "اختُتمت قمة الرئيسين الروسي فلاديمير بوتين والأميركي جو بايدن",
    "إلى أين؟ آمال ٱلمستقبل، مصطفى، مدرسةٌ",
    "وكلَّف الرئيسان طواقَمهما المتابَعَةَ.",
    "هٰذا كتابٌ",
]


@pytest.mark.parametrize("sample", CAMEL_SAMPLES)
def test_normalize_agrees_with_camel_tools(sample):
    from camel_tools.utils.dediac import dediac_ar
    from camel_tools.utils.normalize import (
        normalize_alef_ar,
        normalize_alef_maksura_ar,
        normalize_teh_marbuta_ar,
        normalize_unicode,
    )

    expected = normalize_teh_marbuta_ar(
        normalize_alef_maksura_ar(normalize_alef_ar(dediac_ar(normalize_unicode(sample))))
    )
    assert normalize(sample, tatweel=False, digits=False).text == expected
    assert normalize(sample, alef=False, alef_maqsura=False, teh_marbuta=False).text == dediac_ar(sample)


ARABIC_PRESENTATION_FORMS = st.one_of(
    st.characters(min_codepoint=0xFB50, max_codepoint=0xFDFF),
    st.characters(min_codepoint=0xFE70, max_codepoint=0xFEFF),
)


@given(st.text(alphabet=ARABIC_PRESENTATION_FORMS, max_size=30))
def test_presentation_forms_agree_with_camel_tools(sample):
    from camel_tools.utils.normalize import normalize_unicode

    expected = normalize_unicode(sample)
    got = normalize(sample, diacritics=False, tatweel=False, alef=False, alef_maqsura=False,
                    teh_marbuta=False, digits=False).text
    assert got == expected


# Text drawn from Arabic letters, marks, Latin, digits, punctuation and white space.
MIXED = st.text(
    alphabet=st.sampled_from(
        list("ابتثجحخدذرسشصضطظعغفقكلمنهويءأإآؤئىةٱ")
        + list("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0640")
        + list("ﻻﺑﻮﺗﻴﻦ")
        + list("abcXYZ0123456789٠١٢٣٤٥٦٧٨٩")
        + list(".,،؛؟?!:\"'«»“”()-… \n\t")
    ),
    max_size=200,
)


@settings(max_examples=300)
@given(MIXED)
def test_tokens_are_exact_spans(text):
    toks = tokens(text)
    previous_end = 0
    for t in toks:
        assert text[t.start:t.end] == t.text
        assert t.start >= previous_end
        assert not t.text.isspace()
        previous_end = t.end
    # nothing but white space is left out
    covered = set()
    for t in toks:
        covered.update(range(t.start, t.end))
    assert all(text[i].isspace() for i in range(len(text)) if i not in covered)


@settings(max_examples=300)
@given(MIXED)
def test_sentences_cover_the_paragraph_without_overlap(text):
    spans = sentences(text)
    previous_end = 0
    for s, e in spans:
        assert previous_end <= s < e <= len(text)
        assert text[s:e] == text[s:e].strip()
        assert text[previous_end:s].strip() == ""  # only white space between sentences
        previous_end = e
    assert text[previous_end:].strip() == ""


@settings(max_examples=300)
@given(MIXED)
def test_normalised_offsets_map_back_inside_the_original(text):
    n = normalize(text)
    assert len(n.starts) == len(n.ends) == len(n.text)
    for i in range(len(n.text)):
        s, e = n.to_original(i, i + 1)
        assert 0 <= s < e <= len(text)
        # the original span, normalised on its own, gives the character back
        assert n.text[i] in normalize(text[s:e]).text
    assert n.starts == tuple(sorted(n.starts))


@settings(max_examples=200)
@given(MIXED, st.data())
def test_any_normalised_span_maps_to_an_original_span_that_normalises_to_it(text, data):
    n = normalize(text)
    if not n.text:
        return
    i = data.draw(st.integers(0, len(n.text) - 1))
    j = data.draw(st.integers(i + 1, len(n.text)))
    s, e = n.to_original(i, j)
    assert normalize(text[s:e]).text.startswith(n.text[i:j]) or n.text[i:j] in normalize(text[s:e]).text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("وقال بوتين.", ["وقال", "بوتين", "."]),
        ("اختُتمت القمة", ["اختُتمت", "القمة"]),  # marks stay inside the word
        ("الكـــرملين، أمس", ["الكـــرملين", "،", "أمس"]),
        ('"احتلت موقعَ الصدارة"', ['"', "احتلت", "موقعَ", "الصدارة", '"']),
        ("عام 2015 و٢٠٢١", ["عام", "2015", "و٢٠٢١"]),
        ("حزيران/يونيو", ["حزيران", "/", "يونيو"]),
    ],
)
def test_tokens(text, expected):
    assert [t.text for t in tokens(text)] == expected


@pytest.mark.parametrize(
    "paragraph, expected",
    [
        ("وكلَّف الرئيسان طواقَمهما المتابَعَةَ. وستقوم الولايات المتحدة بذلك.",
         ["وكلَّف الرئيسان طواقَمهما المتابَعَةَ.", "وستقوم الولايات المتحدة بذلك."]),
        ("هل انتهت القمة؟ نعم! انتهت؛ ثم ماذا", ["هل انتهت القمة؟", "نعم!", "انتهت؛", "ثم ماذا"]),
        ("ارتفع المؤشر 2.5 في المئة. ثم هبط", ["ارتفع المؤشر 2.5 في المئة.", "ثم هبط"]),
        ("قال د. محمد إن القمة نجحت.", ["قال د. محمد إن القمة نجحت."]),
        ("وقالت U.S. officials ذلك. ثم", ["وقالت U.S. officials ذلك.", "ثم"]),
        ('وقال "القمة نجحت." ثم غادر.', ['وقال "القمة نجحت." ثم غادر.']),
        ("وقال «انتهى الأمر. لا عودة». وغادر", ["وقال «انتهى الأمر. لا عودة».", "وغادر"]),
        ('قال: "انتهى". ثم', ['قال: "انتهى".', "ثم"]),
        ("السطر الأول\nالسطر الثاني", ["السطر الأول", "السطر الثاني"]),
        ("ماذا؟! لا أعرف...", ["ماذا؟!", "لا أعرف..."]),
        ("1. البند الأول", ["1. البند الأول"]),
        ("   ", []),
    ],
)
def test_sentences(paragraph, expected):
    assert [paragraph[s:e] for s, e in sentences(paragraph)] == expected


@pytest.mark.parametrize(
    "text, scheme, expected",
    [
        ("بوتين", "bw", "bwtyn"),
        ("أوكرانيا", "bw", ">wkrAnyA"),
        ("أوكرانيا", "safebw", "OwkrAnyA"),
        ("أوكرانيا", "hsb", "\u00c2wkrAnyA"),
        ("قمة 2021", "bw", "qmp 2021"),
    ],
)
def test_transliterate(text, scheme, expected):
    assert transliterate(text, scheme=scheme) == expected


def test_transliterate_rejects_unknown_scheme():
    with pytest.raises(ValueError, match=r"`scheme` value = 'xx' is invalid; value must be one of \{'bw'"):
        transliterate("بوتين", scheme="xx")


@pytest.mark.parametrize(
    "text, low, high",
    [("بوتين وبايدن", 0.0, 0.0), ("ﺑﻮﺗﻴﻦ ﻭﺑﺎﻳﺪﻥ", 1.0, 1.0), ("ﺑﻮﺗﻴﻦ وبايدن", 0.4, 0.6), ("Biden", 0.0, 0.0)],
)
def test_presentation_form_share(text, low, high):
    assert low <= presentation_form_share(text) <= high


@pytest.mark.parametrize(
    "paragraph, expected",
    [
        ('قال "نعم" ثم "لا"', [(4, 8), (13, 16)]),
        ("قال «انتهى (الأمر)» وغادر", [(4, 18)]),
        ('قال "نعم" ثم "', [(4, 8)]),  # the last mark is unpaired
        ("بلا اقتباس", []),
    ],
)
def test_quote_spans(paragraph, expected):
    assert quote_spans(paragraph) == expected
