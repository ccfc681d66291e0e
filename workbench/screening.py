"""Screening an article's text for what the analyst should know before trusting it.

- **Visual order.** Text copied from a PDF viewer that stores Arabic in visual order comes
  out with each line's characters reversed. In presentation forms it is caught by their
  share (:func:`workbench.text.presentation_form_share`); in plain letters by how the
  words read: Arabic words often begin with the article ``ال`` (alone or after ``و ب ف
  ك``) and end with ``ة`` or ``ى``, which never begin a word, and a few short function
  words (``في من على إلى أن عن التي الذي`` …) are everywhere. Reversed, the words end in
  ``لا``, begin with ``ة`` or ``ى``, and the function words read ``يف نم ىلع ىلإ``. A
  paragraph whose words carry three or more of those reversed signs, and more than three
  times as many as the forward ones, reads backwards.
- **Characters that are not text or change what is shown:** NUL (left by faulty
  conversions; matching ignores it, see :data:`workbench.text.FORMAT_CHARACTERS`) and the
  bidi overrides U+202D / U+202E (they force a direction, so what is shown is not the
  stored order).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .text import BLANK_CHARACTERS, presentation_form_share

__all__ = [
    "Screening",
    "screen",
    "reversed_paragraphs",
    "suspicious_characters",
    "REVERSED_SIGNS",
    "VISUAL_ORDER_SHARE",
]

#: Share of presentation-form letters above which a text is taken for visual order.
VISUAL_ORDER_SHARE = 0.3

_LETTERS = "\u0621-\u063a\u0641-\u064a\u0671-\u06d3"
_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
_WORD = re.compile(f"[{_LETTERS}][{_LETTERS}{_MARKS}]*")
_STRIP_MARKS = re.compile(f"[{_MARKS}]")

#: Short words of almost every Arabic paragraph (none reads as another common word backwards).
_FUNCTION_WORDS = frozenset(
    "في من على إلى أن إن عن التي الذي الذين كان قد بين بعد حتى عند كما منذ خلال لكن قال "
    "وفي ومن وعلى وإلى وأن عن أنه إنه".split()
)
_ARTICLE = ("ال", "وال", "بال", "فال", "كال")
#: What the forward signs look like reversed (a word's characters in reverse order).
REVERSED_SIGNS = {
    "article at the end": tuple(a[::-1] for a in _ARTICLE),
    "ة or ى at the start": ("ة", "ى"),
    "function words": tuple(sorted(w[::-1] for w in _FUNCTION_WORDS)),
}
_REVERSED_FUNCTION_WORDS = frozenset(REVERSED_SIGNS["function words"])
_MIN_SIGNS = 3


def _signs(word: str) -> tuple[int, int]:
    """(forward, backward) signs one word carries."""
    forward = backward = 0
    if word in _FUNCTION_WORDS:
        forward += 1
    elif word in _REVERSED_FUNCTION_WORDS:
        backward += 1
    if len(word) >= 4:  # the article needs a word after it
        forward += word.startswith(_ARTICLE)
        backward += word.endswith(REVERSED_SIGNS["article at the end"])
    forward += word.endswith(("ة", "ى"))
    backward += word.startswith(("ة", "ى"))
    return forward, backward


def _words(paragraph: str) -> list[str]:
    return [_STRIP_MARKS.sub("", w) for w in _WORD.findall(paragraph)]


def reversed_paragraphs(paragraphs: Sequence[str]) -> tuple[list[int], int, int]:
    """Which paragraphs read backwards (visual order in plain letters).

    Parameters
    ----------
    paragraphs : sequence of str
        The paragraphs' texts.

    Returns
    -------
    tuple
        ``(indices, reversed_words, arabic_words)``: the indices of the paragraphs that
        read backwards, how many Arabic words they hold, and how many all paragraphs hold.
    """
    found, in_reversed, total = [], 0, 0
    for i, paragraph in enumerate(paragraphs):
        words = _words(paragraph)
        total += len(words)
        forward = backward = 0
        for word in words:
            f, b = _signs(word)
            forward += f
            backward += b
        if backward >= _MIN_SIGNS and backward > 3 * forward:
            found.append(i)
            in_reversed += len(words)
    return found, in_reversed, total


def arabic_paragraph_count(paragraphs: Sequence[str]) -> int:
    """How many of ``paragraphs`` hold an Arabic word."""
    return sum(1 for p in paragraphs if _WORD.search(p))


_SUSPICIOUS = {
    "\x00": (
        "U+0000 NULL",
        "a NUL is not text (a faulty conversion leaves them); it is kept in the text and "
        "ignored when terms are matched — remove it from the file",
    ),
    "\u202d": ("U+202D LEFT-TO-RIGHT OVERRIDE", None),
    "\u202e": ("U+202E RIGHT-TO-LEFT OVERRIDE", None),
}
_OVERRIDE_ADVICE = (
    "text after it is shown in a forced direction, so what you see is not the order it is "
    "stored in; check the line against the source"
)
_SUSPICIOUS_RE = re.compile("[" + "".join(_SUSPICIOUS) + "]")


def suspicious_characters(text: str, *, first_line: int = 1) -> list[str]:
    """One message per kind of NUL or bidi override character in ``text``.

    Parameters
    ----------
    text : str
        A document's text.
    first_line : int, default 1
        The line of the file that the text's first line is (after a front-matter block).

    Returns
    -------
    list of str
        ``"2 × U+0000 NULL (first at line 2, column 7): …"``, in the order the kinds first
        appear.
    """
    first: dict[str, int] = {}
    counts: dict[str, int] = {}
    for m in _SUSPICIOUS_RE.finditer(text):
        ch = m.group()
        first.setdefault(ch, m.start())
        counts[ch] = counts.get(ch, 0) + 1
    messages = []
    for ch, at in first.items():
        line = text.count("\n", 0, at) + first_line
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        name, advice = _SUSPICIOUS[ch]
        messages.append(
            f"{counts[ch]} × {name} (first at line {line}, column {column}): {advice or _OVERRIDE_ADVICE}"
        )
    return messages


@dataclass(frozen=True)
class Screening:
    """What :func:`screen` found: ``visual_order`` says why the whole text looks like
    visual order (``None`` when it does not); ``notes`` name reversed lines, NULs and
    bidi overrides."""

    visual_order: str | None = None
    notes: list[str] = field(default_factory=list)


def _lines(numbers: list[int]) -> str:
    shown = [str(n) for n in numbers[:10]] + (["…"] if len(numbers) > 10 else [])
    if len(shown) == 1:
        return f"line {shown[0]} reads"
    return f"lines {', '.join(shown[:-1])} and {shown[-1]} read"


def screen(text: str, *, first_line: int = 1) -> Screening:
    """Screen a document's text for visual order, NUL bytes and bidi overrides.

    Parameters
    ----------
    text : str
        The document's text (newlines normalised).
    first_line : int, default 1
        The line of the file the text starts at (after a front-matter block).

    Returns
    -------
    Screening
    """
    share = presentation_form_share(text)
    if share > VISUAL_ORDER_SHARE:
        return Screening(
            f"{share:.0%} of its Arabic letters are presentation forms, so it is probably "
            "visual-order text copied from a PDF",
            suspicious_characters(text, first_line=first_line),
        )
    lines = text.split("\n")
    kept = [(i, line) for i, line in enumerate(lines) if line.strip(BLANK_CHARACTERS)]
    backwards, in_reversed, total = reversed_paragraphs([line for _, line in kept])
    notes = []
    if backwards and 2 * in_reversed > total:
        visual = (
            f"{len(backwards)} of its {arabic_paragraph_count([line for _, line in kept])} Arabic "
            "paragraphs read backwards (words end in a reversed article لا and begin with ة or ى), so "
            "it is probably visual-order text copied from a PDF"
        )
        return Screening(visual, suspicious_characters(text, first_line=first_line))
    if backwards:
        numbers = [kept[k][0] + first_line for k in backwards]
        notes.append(
            f"{_lines(numbers)} backwards, as text copied from a PDF in visual order does; re-extract "
            f"{'that paragraph' if len(numbers) == 1 else 'those paragraphs'} in logical order"
        )
    return Screening(None, notes + suspicious_characters(text, first_line=first_line))
