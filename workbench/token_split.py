"""Tokens: words and punctuation marks with their code-point offsets (the first step of
matching; :mod:`workbench.text` re-exports :func:`tokens` and :func:`token_lists`).

A plain text (most texts) is split with one numpy look-up of its characters' classes and
``str.split``; any other with the regular expression that defines the tokens.
"""

from __future__ import annotations

import re
import sys
from functools import cache
from itertools import accumulate
from typing import NamedTuple

__all__ = ["Token", "tokens", "token_lists"]


# --- tokens -------------------------------------------------------------------------


class Token(NamedTuple):
    """A word or punctuation character with its code-point span."""

    text: str
    start: int
    end: int


# Letters, marks (diacritics), digits and tatweel form words; every other visible
# character is a token of its own, as in camel-tools' simple_word_tokenize. Format
# characters stay inside a word when a letter or mark follows them; elsewhere they are
# skipped like white space.
_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
_FORMAT = "\\x00\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff"
_TOKEN_RE = re.compile(
    rf"[^\W_]+(?:[{_MARKS}][^\W_]*|[{_FORMAT}]+(?:[{_MARKS}][^\W_]*|[^\W_]+))*"
    rf"|[\u0640\u064b-\u065f\u0670]+"
    rf"|[^\s{_FORMAT}]"
)

_TOKEN_SPLIT_RE = re.compile(f"({_TOKEN_RE.pattern})")
#: The same tokens in a text with no format character and no "_" (most texts), found faster:
#: there a word is any run of letters, digits and marks that begins with a letter or digit.
_PLAIN_TOKEN_SPLIT_RE = re.compile(rf"(\w[\w{_MARKS}]*|[\u064b-\u065f\u0670][\u0640\u064b-\u065f\u0670]*|\S)")
_NOT_PLAIN_RE = re.compile(f"[_{_FORMAT}]")


def tokens(text: str) -> list[Token]:
    """Split text into word and punctuation tokens with code-point offsets.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    list of Token
        ``Token(text, start, end)`` with ``text[start:end] == token.text``; words keep
        their diacritics and tatweel and the format characters inside them (a ZWNJ),
        each punctuation character is its own token. Format characters outside words
        (an RLM after a word or between words) are skipped like white space.
    """
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]


def token_lists(text: str, *, with_numpy: bool | None = None) -> tuple[list[str], list[int], list[int]]:
    """The tokens of :func:`tokens` as three parallel lists, faster on long texts.

    Parameters
    ----------
    text : str
        Any text.
    with_numpy : bool, optional
        Split a plain text with numpy (faster, the same tokens). By default only once numpy
        is loaded: loading a few articles, whose near-duplicate check splits them, should not
        pay for importing it; annotation asks for it.

    Returns
    -------
    tuple of list
        ``(words, starts, ends)`` with ``text[starts[i]:ends[i]] == words[i]``.
    """
    if with_numpy is None:
        with_numpy = "numpy" in sys.modules
    found = _plain_token_lists(text) if with_numpy else None
    if found is not None:
        return found
    # split() gives white space and tokens in turn; their running lengths are the offsets
    parts = (_TOKEN_SPLIT_RE if _NOT_PLAIN_RE.search(text) else _PLAIN_TOKEN_SPLIT_RE).split(text)
    offsets = list(accumulate(map(len, parts)))
    words = parts[1::2]
    return words, offsets[0::2][: len(words)], offsets[1::2]


#: Character classes of the plain tokeniser: white space, word character (``\w``), any other
#: character, a mark that may go on a word (:data:`_MARKS` but the word characters), and
#: what the plain tokeniser leaves to the regular expression: "_", a format character, half
#: of a character beyond the first 65,536 (UTF-16).
_SPACE, _WORD_CHARACTER, _OTHER, _MARK, _UNPLAIN = range(5)


@cache
def _character_classes():
    """numpy, and the class of every code point of the Basic Multilingual Plane (an array
    indexed by code point; made once, on first use)."""
    import numpy as np

    every = "".join(map(chr, range(0x10000)))
    classes = np.full(len(every), _OTHER, dtype=np.uint8)
    classes[np.fromiter(map(str.isspace, every), bool, len(every))] = _SPACE
    classes[list(map(ord, _MARKS_RE.findall(every)))] = _MARK
    classes[np.fromiter(map(str.isalnum, every), bool, len(every))] = _WORD_CHARACTER
    classes[0xD800:0xE000] = _UNPLAIN
    classes[list(map(ord, _NOT_PLAIN_RE.findall(every)))] = _UNPLAIN
    return np, classes


_MARKS_RE = re.compile(f"[{_MARKS}]")


def _plain_token_lists(text: str) -> tuple[list[str], list[int], list[int]] | None:
    """:func:`token_lists` of a text with no format character and no "_", all in the Basic
    Multilingual Plane (no :data:`_UNPLAIN` character), in which every run of word characters
    and marks begins with a word character (None for another text). Its tokens are those runs
    and each other character that is not white space: the offsets come from one look-up of
    the characters' classes, the words from ``str.split`` once a space is put on either side
    of each other character."""
    np, table = _character_classes()
    try:
        codes = np.frombuffer(text.encode("utf-16-le"), dtype=np.uint16)
    except UnicodeEncodeError:  # a lone surrogate
        return None
    classes = np.zeros(len(codes) + 2, dtype=np.uint8)
    table.take(codes, out=classes[1:-1])
    on_word = classes == _WORD_CHARACTER
    odd = np.flatnonzero(classes >= _MARK)
    if len(odd):
        if (classes[odd] == _UNPLAIN).any():
            return None
        on_word[odd] = True
        if not on_word[odd - 1].all():
            return None  # a mark that begins a run (it may be a token of its own)
    edges = np.flatnonzero(on_word[1:] != on_word[:-1])  # a run begins, ends, begins ...
    others = np.flatnonzero(classes == _OTHER) - 1
    starts, ends = edges[0::2], edges[1::2]
    if not len(others):
        return text.split(), starts.tolist(), ends.tolist()
    starts = np.sort(np.concatenate((starts, others))).tolist()
    ends = np.sort(np.concatenate((ends, others + 1))).tolist()
    spaced = text
    for ch, apart in _USUAL_OTHERS:
        if ch in spaced:
            spaced = spaced.replace(ch, apart)
    words = spaced.split()
    if len(words) < len(starts):  # another character, not a token by itself yet
        for code in np.unique(codes[others]).tolist():
            spaced = spaced.replace(chr(code), f" {chr(code)} ")
        words = spaced.split()
    return words, starts, ends


#: Punctuation most texts hold, each with a space on either side (see _plain_token_lists:
#: a text's words are its tokens once every other character stands apart).
_USUAL_OTHERS = tuple((ch, f" {ch} ") for ch in ".،:«»\"()-؛؟!")
