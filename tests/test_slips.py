"""Slips of the pen (workbench.slips): the words one slip from a name, listed exactly."""

from __future__ import annotations

import pytest

from workbench.slips import DOTS, SIMILAR, WEAK_LETTERS, one_slip, slips

_LETTERS = sorted(set("".join(map("".join, SIMILAR + DOTS))) | WEAK_LETTERS | set("لمنهعفقكجح"))


def _one_edit(name: str) -> set[str]:
    """Every word one letter changed, added, left out or two neighbours swapped."""
    out = {name[:k] + name[k + 1:] for k in range(len(name))}
    out |= {name[:k] + name[k + 1] + name[k] + name[k + 2:] for k in range(len(name) - 1)}
    for c in _LETTERS:
        out |= {name[:k] + c + name[k + 1:] for k in range(len(name))}
        out |= {name[:k] + c + name[k:] for k in range(len(name) + 1)}
    return out


@pytest.mark.parametrize("name", ["بايدن", "لافروف", "بيسكوف", "ستريت", "جورنال", "هوية", "اايي", "بووب"])
@pytest.mark.parametrize("dots", [False, True])
def test_slips_are_exactly_the_words_one_slip_away(name, dots):
    assert slips(name, dots=dots) == {w for w in _one_edit(name) if one_slip(w, name, dots=dots)}


@pytest.mark.parametrize(
    "word, name, dots, expected",
    [
        ("بادين", "بايدن", False, True),  # neighbours swapped
        ("لافرف", "لافروف", False, True),  # a long vowel left out inside
        ("بيسكوفي", "بيسكوف", False, False),  # ... added at the end
        ("بيصكوف", "بيسكوف", False, True),  # a similar letter
        ("ستريب", "ستريت", False, False),  # a letter with other dots ...
        ("ستريب", "ستريت", True, True),  # ... only when dots count
        ("بايدن", "بايدن", False, False),  # the name itself
    ],
)
def test_one_slip(word, name, dots, expected):
    assert one_slip(word, name, dots=dots) is expected
