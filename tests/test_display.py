"""Tests for workbench/display.py: the one place that decides how Arabic is shown."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import arabic_reshaper
import numpy as np
import pandas as pd
import pytest
from bidi import get_display

from workbench import display
from workbench.codebook import CodebookEntry, CodebookSummary, load_codebook

#: A summary as a store keeps it; one entry has no English label.
LABELS = CodebookSummary(
    topics=(CodebookEntry("ukraine", "أوكرانيا", "Ukraine"),
            CodebookEntry("strategic_stability", "الاستقرار الاستراتيجي", "Strategic stability"),
            CodebookEntry("no_english", "مينسك", "")),
    actors=(CodebookEntry("putin", "بوتين", "Putin", "person"),),
)
TABLES_CODEBOOK = Path(__file__).parent / "data" / "codebooks" / "tables.toml"


def _presentation_forms(text: str) -> bool:
    return any("\ufb50" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufeff" for ch in text)


# ------------------------------------------------------------------ renderers


def test_matplotlib_here_shapes_arabic() -> None:
    import matplotlib.ft2font as ft2font

    assert hasattr(ft2font, "__libraqm_version__")
    assert display.renderer_shapes_arabic() is True
    assert display.renderer_shapes_arabic(renderer="matplotlib") is True


@pytest.mark.parametrize(
    ("renderer", "expected"), [("terminal", False), ("html", True)]
)
def test_other_renderers(renderer: str, expected: bool) -> None:
    assert display.renderer_shapes_arabic(renderer=renderer) is expected


def test_unknown_renderer_is_named() -> None:
    with pytest.raises(ValueError) as err:
        display.renderer_shapes_arabic(renderer="latex")
    assert str(err.value) == (
        "`renderer` value = 'latex' is invalid; value must be one of "
        "{'matplotlib', 'terminal', 'html'}"
    )


@pytest.mark.parametrize(
    "call",
    [
        lambda: display.renderer_shapes_arabic("terminal"),
        lambda: display.assume_shaping(False, "terminal"),
        lambda: display.label("ukraine", "en"),
        lambda: display.html_rtl("نص", "auto"),
        lambda: display.for_matplotlib("نص", False),
        lambda: display.for_terminal("نص", False),
    ],
)
def test_options_are_keyword_only(call) -> None:
    with pytest.raises(TypeError, match="positional argument"):
        call()


def test_assume_shaping_is_scoped() -> None:
    with display.assume_shaping(False):
        assert display.renderer_shapes_arabic() is False
        with display.assume_shaping(True):
            assert display.renderer_shapes_arabic() is True
        assert display.renderer_shapes_arabic() is False
    assert display.renderer_shapes_arabic() is True
    with display.assume_shaping(True, renderer="terminal"):
        assert display.for_terminal("بوتين") == "بوتين"
    assert display.renderer_shapes_arabic(renderer="terminal") is False


# ------------------------------------------------------------------ text paths


@pytest.mark.parametrize(
    "text",
    ["بوتين", "قمة بوتين وبايدن", "اتفاقيات مينسك لعام 2015", "أوكرانيا (Ukraine)", "Kyiv", ""],
)
def test_for_matplotlib_passes_logical_text_when_matplotlib_shapes(text: str) -> None:
    assert display.for_matplotlib(text) == text
    assert display.for_matplotlib(text, shapes=True) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # ب initial, و final, ت initial, ي medial, ن final; drawn right to left
        ("بوتين", "\ufee6\ufef4\ufe97\ufeee\ufe91"),
        # digits keep their left-to-right order inside the right-to-left line
        ("عام 2015", "2015 \ufee1\ufe8e\ufecb"),
        # lam + alef becomes the one ligature
        ("لا", "\ufefb"),
        # the base direction comes from the first strong character
        ("Putin بوتين", "Putin \ufee6\ufef4\ufe97\ufeee\ufe91"),
        # each line on its own (python-bidi alone would move the newline)
        ("بوتين\nPutin", "\ufee6\ufef4\ufe97\ufeee\ufe91\nPutin"),
        # no Arabic: untouched
        ("Strategic stability", "Strategic stability"),
    ],
)
def test_fallback_reshapes_and_reorders(text: str, expected: str) -> None:
    assert display.for_matplotlib(text, shapes=False) == expected
    assert display.for_terminal(text) == expected
    with display.assume_shaping(False):
        assert display.for_matplotlib(text) == expected


@pytest.mark.parametrize("text", ["بوتين", "قمة بوتين وبايدن", "الكرملين"])
def test_fallback_is_presentation_forms_in_reverse(text: str) -> None:
    with display.assume_shaping(False):
        shown = display.for_matplotlib(text)
    assert _presentation_forms(shown)
    assert not _presentation_forms(text)
    # NFKC folds the presentation forms back; reversing gives the logical text
    assert unicodedata.normalize("NFKC", shown)[::-1] == text


def test_fallback_uses_reshaper_and_bidi_with_base_dir() -> None:
    text = "قال الكرملين في بيان"
    assert display.for_terminal(text) == get_display(
        arabic_reshaper.reshape(text), base_dir="R"
    )


# ------------------------------------------------------------------ image test


def _render(text: str, *, family: str) -> np.ndarray:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4, 1), dpi=100)
    FigureCanvasAgg(fig)
    fig.text(0.5, 0.5, text, ha="center", va="center", fontsize=20, family=family)
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()


@pytest.mark.parametrize(
    "text", ["بوتين", "قمة بوتين وبايدن", "الاستقرار الاستراتيجي", "اتفاقيات مينسك لعام 2015"]
)
def test_workbench_label_is_pixel_identical_to_native_matplotlib(text: str) -> None:
    font = display.arabic_font()
    native = _render(text, family=font)
    through_workbench = _render(display.for_matplotlib(text), family=font)
    double_processed = _render(
        get_display(arabic_reshaper.reshape(text), base_dir="R"), family=font
    )
    assert (native[..., :3] < 128).any()  # something was drawn
    assert np.array_equal(through_workbench, native)
    assert not np.array_equal(double_processed, native)


@pytest.mark.parametrize("text", ["بوتين", "قمة بوتين وبايدن", "الاستقرار الاستراتيجي"])
def test_native_matplotlib_joins_letters(text: str) -> None:
    # matplotlib 3.11 shaping the logical text draws exactly the joined
    # presentation forms arabic-reshaper would pick, in the right order.
    font = display.arabic_font()
    assert np.array_equal(
        _render(text, family=font), _render(arabic_reshaper.reshape(text), family=font)
    )


def test_arabic_font_covers_arabic() -> None:
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    font = display.arabic_font()
    path = font_manager.findfont(font, fallback_to_default=False)
    charmap = FT2Font(path).get_charmap()
    for ch in "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئةى":
        assert ord(ch) in charmap, ch
    rc = display.font_rc()
    assert rc["font.family"][0] == font
    assert matplotlib.rcParams["font.family"] == ["sans-serif"]


# ------------------------------------------------------------------ labels


@pytest.mark.parametrize(
    ("key", "labels", "expected"),
    [
        ("ukraine", "ar", "أوكرانيا"),
        ("ukraine", "en", "Ukraine"),
        ("ukraine", "both", "أوكرانيا (Ukraine)"),
        ("strategic_stability", "both", "الاستقرار الاستراتيجي (Strategic stability)"),
        ("no_english", "en", "no_english"),
        ("no_english", "both", "مينسك (no_english)"),
        ("not_in_codebook", "ar", "not_in_codebook"),
        ("not_in_codebook", "both", "not_in_codebook"),
    ],
)
def test_label_by_key(key: str, labels: str, expected: str) -> None:
    assert display.label(key, labels=labels, codebook=LABELS) == expected


@pytest.mark.parametrize(
    ("entry", "labels", "expected"),
    [
        (CodebookEntry("iran", "إيران", "Iran"), "both", "إيران (Iran)"),
        (load_codebook().actor("psaki"), "ar", "جين ساكي"),
        (load_codebook().topic("iran"), "en", "Iran"),
        (CodebookEntry("putin"), "ar", "بوتين"),  # no labels on the entry: looked up
    ],
)
def test_label_of_an_entry(entry: object, labels: str, expected: str) -> None:
    assert display.label(entry, labels=labels, codebook=LABELS) == expected


def test_label_lookup_takes_a_codebook_or_its_summary() -> None:
    codebook = load_codebook(TABLES_CODEBOOK)
    expected = {
        "ukraine": ("أوكرانيا", "Ukraine"), "minsk": ("اتفاقات مينسك", "Minsk agreements"),
        "iran": ("إيران", "Iran"), "cyber": ("الأمن السيبراني", "Cyber"),
        "putin": ("فلاديمير بوتين", "Vladimir Putin"), "biden": ("جو بايدن", "Joe Biden"),
        "psaki": ("جين ساكي", "Jen Psaki"), "concern": ("قلق", "Concern"),
    }
    assert display.label_lookup(codebook) == display.label_lookup(codebook.summary()) == expected
    assert display.label_lookup()["strategic_stability"] == ("الاستقرار الاستراتيجي", "Strategic stability")


@pytest.mark.parametrize("shape", [{"putin": ("بوتين", "Putin")}, [("putin", "بوتين")], "codebook.toml"])
def test_label_refuses_other_shapes_of_codebook(shape: object) -> None:
    with pytest.raises(TypeError, match=r"^`codebook` must be a Codebook \(load_codebook\(\)\), a "
                                        r"CodebookSummary or a Store, not "):
        display.label("putin", codebook=shape)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("fr", "`labels` value = 'fr' is invalid; value must be one of {'ar', 'en', 'both'}"),
        # an unhashable value gets the same message, not "unhashable type"
        (["ar"], "`labels` value = ['ar'] is invalid; value must be one of {'ar', 'en', 'both'}"),
        (None, "`labels` value = None is invalid; value must be one of {'ar', 'en', 'both'}"),
    ],
)
def test_unknown_labels_choice(value, message: str) -> None:
    with pytest.raises(ValueError) as err:
        display.label("ukraine", labels=value)
    assert str(err.value) == message


# ------------------------------------------------------------------ HTML


@pytest.mark.parametrize(
    ("text", "direction", "expected"),
    [
        ("بوتين", "rtl", '<span dir="rtl">بوتين</span>'),
        ('قال "نعم" <b>&', "rtl", '<span dir="rtl">قال &quot;نعم&quot; &lt;b&gt;&amp;</span>'),
        ("Kyiv كييف", "auto", '<span dir="auto">Kyiv كييف</span>'),
    ],
)
def test_html_rtl(text: str, direction: str, expected: str) -> None:
    assert display.html_rtl(text, direction=direction) == expected


def test_html_rtl_default_is_rtl_and_checks_direction() -> None:
    assert display.html_rtl("أ") == '<span dir="rtl">أ</span>'
    with pytest.raises(ValueError, match="`direction` value = 'up' is invalid"):
        display.html_rtl("أ", direction="up")


def test_styled_rtl() -> None:
    df = pd.DataFrame({"speaker": ["بوتين", "بايدن"], "n": [2, 3], "en": ["a", "b"]})
    before = df.copy()
    html = display.styled_rtl(df).to_html()
    assert 'dir="rtl"' in html
    assert "بوتين" in html and "\ufe91" not in html  # logical text for the browser
    ctx = display.styled_rtl(df)._compute().ctx
    right = {col for (_, col), props in ctx.items() if ("text-align", "right") in props}
    assert right == {0}  # only the Arabic column
    pd.testing.assert_frame_equal(df, before)


def test_styled_rtl_escapes_article_text_and_isolates_identifiers() -> None:
    df = pd.DataFrame({
        "doc_id": ["000_45f5abd8640658e2"],
        "text": ["<script>alert(1)</script> وقال <img src=x onerror=alert(1)>"],
    })
    html = display.styled_rtl(df).to_html()
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; وقال &lt;img src=x onerror=alert(1)&gt;" in html
    ctx = display.styled_rtl(df)._compute().ctx
    plaintext = {col for (_, col), props in ctx.items() if ("unicode-bidi", "plaintext") in props}
    assert plaintext == {0, 1}  # each cell takes its own direction: the id stays left to right
