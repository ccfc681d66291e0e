"""Tests for workbench.text: normalisation with offsets, tokens, sentences, transliteration."""

import numpy  # noqa: F401  (token_lists takes its faster plain path once numpy is loaded)
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.text import (
    BLANK_CHARACTERS,
    FORMAT_CHARACTERS,
    Token,
    document_quotations,
    document_sentences,
    normalization_table,
    normalize,
    paragraphs,
    presentation_form_share,
    quotations,
    quote_spans,
    sentences,
    token_lists,
    tokens,
    transliterate,
)

# invisible format characters that arrive with text copied from web pages and word processors
RLM, LRM, ALM, ZWNJ, ZWJ, SHY, ZWSP, BOM = (
    "\u200f",
    "\u200e",
    "\u061c",
    "\u200c",
    "\u200d",
    "\u00ad",
    "\u200b",
    "\ufeff",
)
RLE, PDF, RLI, PDI = "\u202b", "\u202c", "\u2067", "\u2069"


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
        ("وکالة فی الدولیة", "وكاله في الدوليه"),  # Persian keheh and yeh
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
        ("format_characters", f"كي{ZWNJ}يف{RLM}", f"كي{ZWNJ}يف{RLM}"),
        ("persian_letters", "وکالة", "وکاله"),
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


@pytest.mark.parametrize(
    "text, expected",
    [
        (f"أوكر{ZWNJ}انيا", "اوكرانيا"),  # ZWNJ inside a word
        (f"البيت{RLM} الأبيض", "البيت الابيض"),  # RLM after a word
        (f"{RLE}بوتين{PDF}", "بوتين"),  # bidi embedding
        (f"{RLI}بايدن{PDI} و\u2066Biden\u2069", "بايدن وBiden"),  # bidi isolates
        (f"موس{SHY}كو", "موسكو"),  # soft hyphen
        (f"كي{ZWJ}يف{ZWSP}", "كييف"),
        (f"{ALM}قمة{LRM}2021", "قمه2021"),
        (f"بو{BOM}تين", "بوتين"),  # a BOM inside the text
        ("\u202a\u202d\u202eنص", "نص"),
    ],
)
def test_normalize_removes_format_characters(text, expected):
    assert normalize(text).text == expected


@pytest.mark.parametrize(
    "text, norm_span, original_span",
    [
        (f"أوكر{ZWNJ}انيا", (0, 8), (0, 9)),
        (f"أوكر{ZWNJ}انيا", (3, 4), (3, 5)),  # a removed format character belongs to the letter before it
        (f"البيت{RLM} الأبيض", (0, 5), (0, 6)),
        (f"البيت{RLM} الأبيض", (6, 12), (7, 13)),
        (f"{RLM}بوتين", (0, 1), (1, 2)),  # nothing before it: dropped from the map
    ],
)
def test_to_original_across_format_characters(text, norm_span, original_span):
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
                    teh_marbuta=False, digits=False, format_characters=False, persian_letters=False).text
    assert got == expected


# Text drawn from Arabic letters, marks, Latin, digits, punctuation, white space and
# invisible format characters.
MIXED = st.text(
    alphabet=st.sampled_from(
        list("ابتثجحخدذرسشصضطظعغفقكلمنهويءأإآؤئىةٱ")
        + list("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0640")
        + list("ﻻﺑﻮﺗﻴﻦ")
        + list("abcXYZ0123456789٠١٢٣٤٥٦٧٨٩")
        + list(".,،؛؟?!:\"'«»“”()-… \n\t")
        + sorted(FORMAT_CHARACTERS)
    ),
    max_size=200,
)


def invisible(ch: str) -> bool:
    """White space or an invisible format character."""
    return ch.isspace() or ch in FORMAT_CHARACTERS


def test_format_characters_are_exactly_these():
    # NUL is among them so that a NUL a conversion left inside a word does not split it
    assert FORMAT_CHARACTERS == frozenset(
        "\x00\u200b\u200c\u200d\u200e\u200f\u061c\u00ad\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    )


def test_blank_characters_are_white_space_and_format_characters():
    white_space = {chr(cp) for cp in range(0x110000) if chr(cp).isspace()}
    assert set(BLANK_CHARACTERS) == white_space | FORMAT_CHARACTERS
    assert len(BLANK_CHARACTERS) == len(set(BLANK_CHARACTERS))


@settings(max_examples=300)
@given(MIXED)
def test_tokens_are_exact_spans(text):
    toks = tokens(text)
    previous_end = 0
    for t in toks:
        assert text[t.start:t.end] == t.text
        assert t.start >= previous_end
        assert not invisible(t.text[0]) and not invisible(t.text[-1])
        previous_end = t.end
    # nothing but white space and format characters is left out
    covered = set()
    for t in toks:
        covered.update(range(t.start, t.end))
    assert all(invisible(text[i]) for i in range(len(text)) if i not in covered)
    words, starts, ends = token_lists(text)
    assert list(zip(words, starts, ends, strict=True)) == [tuple(t) for t in toks]


@settings(max_examples=300)
@given(MIXED)
def test_a_text_without_format_characters_is_split_as_any_other(text):
    plain = "".join(ch for ch in text if ch not in FORMAT_CHARACTERS and ch != "_")  # the faster split
    assert list(zip(*token_lists(plain), strict=True)) == [tuple(t) for t in tokens(plain)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ـ ً ًـب بً", ["ـ", "ً", "ًـ", "ب", "بً"]),  # tatweel is a letter, a mark alone is a token
        ("ؐب بؐۖب", ["ؐ", "ب", "بؐۖب"]),  # marks inside a word stay in it
        ("x_y ب_", ["x", "_", "y", "ب", "_"]),  # "_" is a token of its own
        ("١٢ 3ب «نص»", ["١٢", "3ب", "«", "نص", "»"]),
    ],
)
def test_tokens_of_marks_tatweel_and_digits(text, expected):
    assert token_lists(text)[0] == expected == [t.text for t in tokens(text)]


@settings(max_examples=300)
@given(MIXED)
def test_sentences_cover_the_paragraph_without_overlap(text):
    spans = sentences(text)
    previous_end = 0
    for s, e in spans:
        assert previous_end <= s < e <= len(text)
        assert not invisible(text[s]) and not invisible(text[e - 1])
        # only white space and format characters between sentences
        assert all(invisible(ch) for ch in text[previous_end:s])
        previous_end = e
    assert all(invisible(ch) for ch in text[previous_end:])


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
    assert not FORMAT_CHARACTERS & set(n.text)
    # format characters change nothing else: removing them first gives the same text
    assert normalize("".join(ch for ch in text if ch not in FORMAT_CHARACTERS)).text == n.text


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
        (f"أوكر{ZWNJ}انيا", [f"أوكر{ZWNJ}انيا"]),  # a format character inside a word stays in it
        (f"موس{SHY}كو كي{ZWJ}يف", [f"موس{SHY}كو", f"كي{ZWJ}يف"]),
        (f"البيت{RLM} الأبيض", ["البيت", "الأبيض"]),  # after a word: not part of it
        (f"البيت {RLM} الأبيض", ["البيت", "الأبيض"]),  # alone: not a token
        (f"{RLE}قال بوتين.{PDF}", ["قال", "بوتين", "."]),
        (f"{RLI}2021{PDI}{LRM}،{ALM} {BOM}{ZWSP}", ["2021", "،"]),
    ],
)
def test_tokens(text, expected):
    assert [t.text for t in tokens(text)] == expected
    assert token_lists(text)[0] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        (f"البيت{RLM} الأبيض", [Token("البيت", 0, 5), Token("الأبيض", 7, 13)]),
        (f"{RLM}أوكر{ZWNJ}انيا{RLM}", [Token(f"أوكر{ZWNJ}انيا", 1, 10)]),
        (f"{RLE}قال.{PDF}", [Token("قال", 1, 4), Token(".", 4, 5)]),
    ],
)
def test_token_offsets_around_format_characters(text, expected):
    assert tokens(text) == expected
    assert token_lists(text) == tuple(map(list, zip(*expected, strict=True)))


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
        (f"انتهت القمة.{RLM} وغادر بايدن.{RLM}", ["انتهت القمة.", "وغادر بايدن."]),  # RLM after a full stop
        (f"{RLM}انتهت القمة{LRM} ", ["انتهت القمة"]),  # trimmed of format characters too
        (f"{RLM} {ALM}", []),
        # a full stop, or a closing quote after one, ends a sentence with no space after it
        ('وأكد "الحوار ممكن".وقالت الوزيرة إنه مستمر.', ['وأكد "الحوار ممكن".', "وقالت الوزيرة إنه مستمر."]),
        ('وأكد "الحوار ممكن."وقالت الوزيرة إنه مستمر.', ['وأكد "الحوار ممكن."', "وقالت الوزيرة إنه مستمر."]),
        ("انتهى الاجتماع.وغادر الوفد", ["انتهى الاجتماع.", "وغادر الوفد"]),
        ("زوروا موقعنا.كوم للمزيد. ثم", ["زوروا موقعنا.كوم للمزيد.", "ثم"]),  # a web address
        # a quotation left open runs to the paragraph's end: no split inside it
        ("وقال الوزير: «لن نتراجع. ولن نقبل الشروط.", ["وقال الوزير: «لن نتراجع. ولن نقبل الشروط."]),
        # ... and one closed here that opened in an earlier paragraph
        ("سنواصل العمل. وسنرد بحزم». وغادر القاعة.", ["سنواصل العمل. وسنرد بحزم».", "وغادر القاعة."]),
    ],
)
def test_sentences(paragraph, expected):
    assert [paragraph[s:e] for s, e in sentences(paragraph)] == expected


@pytest.mark.parametrize(
    "paragraph, expected",
    [
        # an Arabic-Indic decimal point
        ("ارتفع المؤشر ٢.٥ في المئة. ثم هبط", ["ارتفع المؤشر ٢.٥ في المئة.", "ثم هبط"]),
        ("بلغت النسبة ۳.۷ بالمئة. وتراجعت", ["بلغت النسبة ۳.۷ بالمئة.", "وتراجعت"]),  # Persian digits
        ("التقى J. Biden بالوفد. ثم غادر", ["التقى J. Biden بالوفد.", "ثم غادر"]),  # a Latin initial
        # Arabic abbreviations
        ("حاضر أ. د. سمير في الندوة. وانتهت", ["حاضر أ. د. سمير في الندوة.", "وانتهت"]),
        ("وصل Dr. Smith أمس. وتحدث", ["وصل Dr. Smith أمس.", "وتحدث"]),  # a Latin abbreviation
        # list numbering in Arabic-Indic digits
        ("٣. البند الثالث. ثم البند الرابع", ["٣. البند الثالث.", "ثم البند الرابع"]),
        ("وقال… ثم صمت. وغادر", ["وقال…", "ثم صمت.", "وغادر"]),  # the ellipsis character
        ("هل هذا كل شيء...؟ لا أظن", ["هل هذا كل شيء...؟", "لا أظن"]),  # an ellipsis before a question mark
        (f"انتهى الأمر.{RLM}.وقال", [f"انتهى الأمر.{RLM}.", "وقال"]),  # an RLM between two full stops
        # a full stop inside brackets
        ("قال: (انتهى الأمر.) ثم غادر. وعاد", ["قال: (انتهى الأمر.) ثم غادر.", "وعاد"]),
        # a quotation closed after '!', then '؟!'
        ("وصرخ: «كفى!» ثم غادر؟! لا أحد يعرف", ["وصرخ: «كفى!» ثم غادر؟!", "لا أحد يعرف"]),
        # straight single quotes (not quotation marks)
        ("قالوا 'انتهى'. وغادروا", ["قالوا 'انتهى'.", "وغادروا"]),
        # square brackets are closers, not quotations
        ("وأوضح [راجع الملحق.] أن الأمر مستمر. ثم", ["وأوضح [راجع الملحق.]", "أن الأمر مستمر.", "ثم"]),
        # a newline, then '؟' at the start of the line
        ("السطر الأول\n؟ السطر الثاني", ["السطر الأول\n؟", "السطر الثاني"]),
        # a newline inside a quotation still ends a sentence
        ("وقال «بدأنا.\nوسنكمل» ثم سكت. وغادر", ["وقال «بدأنا.", "وسنكمل» ثم سكت.", "وغادر"]),
        # a dot between digits
        ("العدد 2015.12 كان كبيرا. والعدد الآخر", ["العدد 2015.12 كان كبيرا.", "والعدد الآخر"]),
        # a dot inside a Latin web address
        ("زوروا example.com للمزيد. شكرا", ["زوروا example.com للمزيد.", "شكرا"]),
        # a closing quote after a full stop, an Arabic word glued to it
        ("قالت: «لن نقبل. أبدا.»وغادرت القاعة", ["قالت: «لن نقبل. أبدا.»", "وغادرت القاعة"]),
        ("أكد الوزير؛ ثم أضاف: نعم. وصمت", ["أكد الوزير؛", "ثم أضاف: نعم.", "وصمت"]),  # the Arabic semicolon
        ("هذا كل شيء!!! ثم انتهى", ["هذا كل شيء!!!", "ثم انتهى"]),  # a run of '!'
        ("وأضافـ. ثم", ["وأضافـ.", "ثم"]),  # tatweel before the full stop
        # English double quotes
        ("قال “انتهى. لا عودة” وغادر. ثم عاد", ["قال “انتهى. لا عودة” وغادر.", "ثم عاد"]),
        ("مرحبا ‹هنا. هناك› انتهى. حقا", ["مرحبا ‹هنا. هناك› انتهى.", "حقا"]),  # single guillemets
    ],
)
def test_sentences_split_where_the_per_character_splitter_did(paragraph, expected):
    # the cases the splitter of one character at a time handled, as it split them
    assert [paragraph[s:e] for s, e in sentences(paragraph)] == expected


@settings(max_examples=300)
@given(st.lists(MIXED, max_size=6))
def test_a_documents_sentences_are_its_paragraphs_sentences(lines):
    # one scan of a whole document splits each paragraph as sentences() splits it alone
    text = "\n".join(lines)
    starts, ends, texts = paragraphs(text)
    assert texts == [p for p in (line.strip(BLANK_CHARACTERS) for line in text.split("\n")) if p]
    assert [text[s:e] for s, e in zip(starts, ends, strict=True)] == texts
    found = document_sentences(text, starts, ends)
    expected = [(n, k, starts[n] + s, starts[n] + e) for n, paragraph in enumerate(texts)
                for k, (s, e) in enumerate(sentences(paragraph))]
    assert list(zip(*found, strict=True)) == expected


@settings(max_examples=200)
@given(st.lists(MIXED, max_size=6))
def test_a_documents_quotations_are_its_paragraphs_quotations(lines):
    text = "\n".join(lines)
    starts, ends, texts = paragraphs(text)
    assert document_quotations(text, starts, ends) == [quotations(t) for t in texts]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("عنوان الخبر\n\nقال الوزير: «لن نتراجع. أبدا». ثم غادر.\n وانتهى الاجتماع",
         [(0, 0, 0, 11), (1, 0, 13, 43), (1, 1, 44, 52), (2, 0, 54, 69)]),
        # a quotation left open at a paragraph's end, closed in the next: no split inside
        ("أولا. ثانيا؟\n«استمر النقاش.\nوانتهى».",
         [(0, 0, 0, 5), (0, 1, 6, 12), (1, 0, 13, 27), (2, 0, 28, 36)]),
        ("بلا علامة", [(0, 0, 0, 9)]),
        ("", []),
    ],
)
def test_document_sentences(text, expected):
    starts, ends, _ = paragraphs(text)
    assert list(zip(*document_sentences(text, starts, ends), strict=True)) == expected


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
    [("بوتين وبايدن", 0.0, 0.0), ("ﺑﻮﺗﻴﻦ ﻭﺑﺎﻳﺪﻥ", 1.0, 1.0), ("ﺑﻮﺗﻴﻦ وبايدن", 0.4, 0.6), ("Biden", 0.0, 0.0),
     (f"بوتين{BOM} {BOM}وبايدن", 0.0, 0.0)],  # a BOM (U+FEFF) is no presentation-form letter
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


@pytest.mark.parametrize(
    "paragraph, expected",
    [
        ("قال «نعم» ثم «لا»", ([(4, 8), (13, 16)], None, None)),
        ("وقال: «سنواصل العمل", ([], 6, None)),  # goes on in the next paragraph
        ("وسنرد بحزم». وغادر", ([], None, 10)),  # closes one opened before
        ("وسنرد». ثم قال «لن نقبل", ([], 15, 5)),
        ('قال "نعم" ثم "', ([(4, 8)], None, None)),  # an unpaired straight quote opens nothing
    ],
)
def test_quotations_left_open_or_closed_from_before(paragraph, expected):
    assert tuple(quotations(paragraph)) == expected


def test_the_normalization_table_is_what_normalize_changes():
    table = normalization_table()
    assert table[ord("ک")] == "ك" and table[ord("ی")] == "ي" and table[ord("أ")] == "ا"
    sample = "".join(chr(k) for k in table) + "بوتين قال"
    assert sample.translate(table) == normalize(sample).text
    assert all(normalize(chr(k)).text == v for k, v in table.items())
