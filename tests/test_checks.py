"""Tests for workbench/checks.py: the one "value must be one of" message."""

from __future__ import annotations

import pytest

from workbench.checks import check_annotator, check_choice, choice_problem, one_of


@pytest.mark.parametrize(("choices", "expected"), [
    ({"ar": 1, "en": 2, "both": 3}, "{'ar', 'en', 'both'}"),
    (("add", "remove", "set"), "{'add', 'remove', 'set'}"),
    ({None: "keys only", "ar": "Arabic"}, "{None, 'ar'}"),
    ([], "{}"),
])
def test_one_of_lists_choices_in_their_own_order(choices, expected):
    assert one_of(choices) == expected


@pytest.mark.parametrize(("value", "choices", "context", "expected"), [
    ("fr", {"ar": 1, "en": 2, "both": 3}, "",
     "`labels` value = 'fr' is invalid; value must be one of {'ar', 'en', 'both'}"),
    ("ايران", ["ukraine", "iran"], "for queue='topic'",
     "`labels` value = 'ايران' is invalid for queue='topic'; value must be one of {'ukraine', 'iran'}"),
    (["ar"], {"ar": 1}, "", "`labels` value = ['ar'] is invalid; value must be one of {'ar'}"),
    ("ar", {"ar": 1}, "", None),
    (None, {None: 0, "ar": 1}, "", None),
])
def test_choice_problem_gives_the_house_message_or_none(value, choices, context, expected):
    assert choice_problem("labels", value, choices, context=context) == expected


class OwnError(ValueError):
    pass


def test_check_choice_raises_the_message_as_the_error_asked_for():
    with pytest.raises(ValueError, match=r"^`unit` value = 'page' is invalid; value must be one of "
                                         r"\{'sentence', 'paragraph'\}$"):
        check_choice("unit", "page", {"sentence": 1, "paragraph": 2})
    with pytest.raises(OwnError, match="`field` value = 'x'"):
        check_choice("field", "x", ("topics",), error=OwnError)
    assert check_choice("unit", "sentence", {"sentence": 1}) is None


@pytest.mark.parametrize(("annotator", "expected"), [("huda", "huda"), ("  هدى ", "هدى")])
def test_check_annotator_returns_the_name_stripped(annotator, expected):
    assert check_annotator(annotator) == expected


@pytest.mark.parametrize("annotator", ["", "   ", None, 3])
def test_check_annotator_refuses_an_empty_name(annotator):
    message = f"`annotator` value = {annotator!r} is invalid; give a non-empty name, e.g. annotator='huda'"
    with pytest.raises(OwnError) as info:
        check_annotator(annotator, error=OwnError)
    assert str(info.value) == message
