"""Arabic text: normalisation with an offset map, tokens, sentences, transliteration.

Text is always kept exactly as written. Normalised forms are computed alongside and
carry, for every normalised character, the span of the original text it came from, so
a match found in the normalised form points at the exact characters the analyst sees.

camel-tools is the reference for every normalisation here (its ``normalize_*`` and
``dediac_ar`` functions are the oracles in ``tests/test_text.py``); the workbench applies
them character by character through one precomputed table so that offsets survive.
Only camel-tools modules that need no data are imported, and only when used.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from functools import cache, lru_cache
from itertools import repeat
from typing import NamedTuple

from .checks import check_choice
from .token_split import Token, token_lists, tokens

__all__ = [
    "BLANK_CHARACTERS",
    "FORMAT_CHARACTERS",
    "Normalized",
    "Token",
    "normalize",
    "normalized_text",
    "normalization_table",
    "tokens",
    "token_lists",
    "sentences",
    "document_sentences",
    "SentenceColumns",
    "paragraphs",
    "transliterate",
    "presentation_form_share",
    "quote_spans",
    "Quotations",
    "quotations",
    "document_quotations",
]

# --- character classes --------------------------------------------------------------

#: Harakat, tanwin, shadda, sukun and dagger alef (camel-tools' AR_DIAC_CHARSET), plus
#: the Quranic annotation marks and small high letters that also sit on a letter.
DIACRITICS = frozenset(
    "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670"  # camel-tools AR_DIAC_CHARSET
    "\u0653\u0654\u0655\u0656\u0657\u0658\u0659\u065a\u065b\u065c\u065d\u065e\u065f"
    "\u0610\u0611\u0612\u0613\u0614\u0615\u0616\u0617\u0618\u0619\u061a"
    "\u06d6\u06d7\u06d8\u06d9\u06da\u06db\u06dc\u06df\u06e0\u06e1\u06e2\u06e3\u06e4"
    "\u06e7\u06e8\u06ea\u06eb\u06ec\u06ed"
)
TATWEEL = "\u0640"
ALEF_VARIANTS = {"\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627"}
ALEF_MAQSURA = {"\u0649": "\u064a"}
TEH_MARBUTA = {"\u0629": "\u0647"}
DIGITS = {chr(0x0660 + i): str(i) for i in range(10)} | {chr(0x06F0 + i): str(i) for i in range(10)}
#: Persian yeh and keheh, which Persian keyboards write in Arabic text (فی، وکالة).
PERSIAN_LETTERS = {"\u06cc": "\u064a", "\u06a9": "\u0643"}
#: Invisible format characters: marks that steer the bidi algorithm (RLM, LRM, ALM, the
#: embeddings and isolates), joiners (ZWNJ, ZWJ), the zero-width space, the soft hyphen and
#: a BOM inside the text. They arrive with text copied from web pages and word processors.
#: NUL, which a faulty conversion leaves (inside words too), is treated the same way.
FORMAT_CHARACTERS = frozenset(
    "\x00\u200b\u200c\u200d\u200e\u200f\u061c\u00ad\ufeff"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
#: camel-tools expands these two ligatures to words before NFKC; so do we.
_LIGATURE_WORDS = {"\ufdfc": "ريال", "\ufdfd": "بسم الله الرحمن الرحيم"}


#: White space (everything ``str.isspace`` accepts) and the format characters: what
#: blank lines consist of and what sentences and paragraphs are trimmed of.
BLANK_CHARACTERS = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
) + "".join(sorted(FORMAT_CHARACTERS))


def _is_presentation_form(ch: str) -> bool:
    cp = ord(ch)
    return 0xFB50 <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFE  # U+FEFF is the BOM, no letter


# --- normalisation ------------------------------------------------------------------


class Normalized(NamedTuple):
    """A normalised string with, for each of its characters, the original span.

    Attributes
    ----------
    text : str
        The normalised text.
    starts, ends : tuple of int
        ``original[starts[i]:ends[i]]`` is the original text that normalised character
        ``i`` came from. Characters removed by normalisation (diacritics, tatweel, format
        characters) belong to the kept character before them.
    original_length : int
        Length of the original text.
    """

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    original_length: int

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the normalised span ``[start, end)`` to the original span it covers.

        Parameters
        ----------
        start, end : int
            A span of the normalised text (end exclusive).

        Returns
        -------
        tuple of int
            ``(start, end)`` in the original text. An empty span maps to an empty span
            at the corresponding original position.
        """
        n = len(self.text)
        if not 0 <= start <= end <= n:
            raise IndexError(f"span ({start}, {end}) is outside the normalised text of length {n}")
        if start == end:
            pos = self.starts[start] if start < n else self.original_length
            return pos, pos
        return self.starts[start], self.ends[end - 1]


_OPTIONS = (
    "presentation_forms",
    "diacritics",
    "tatweel",
    "alef",
    "alef_maqsura",
    "teh_marbuta",
    "digits",
    "format_characters",
    "persian_letters",
)


@lru_cache(maxsize=128)
def _char_table(flags: tuple[bool, ...]) -> dict[str, str]:
    """Replacement for every character that one combination of options changes."""
    opts = dict(zip(_OPTIONS, flags, strict=True))
    table: dict[str, str] = {}

    def fold(s: str) -> str:
        # Apply the letter-level rules to the output of NFKC (or to the character itself).
        out = []
        for ch in s:
            if opts["diacritics"] and ch in DIACRITICS:
                continue
            if opts["tatweel"] and ch == TATWEEL:
                continue
            if opts["format_characters"] and ch in FORMAT_CHARACTERS:
                continue
            if opts["alef"]:
                ch = ALEF_VARIANTS.get(ch, ch)
            if opts["alef_maqsura"]:
                ch = ALEF_MAQSURA.get(ch, ch)
            if opts["teh_marbuta"]:
                ch = TEH_MARBUTA.get(ch, ch)
            if opts["digits"]:
                ch = DIGITS.get(ch, ch)
            if opts["persian_letters"]:
                ch = PERSIAN_LETTERS.get(ch, ch)
            out.append(ch)
        return "".join(out)

    candidates = set(DIACRITICS) | {TATWEEL} | set(ALEF_VARIANTS) | set(ALEF_MAQSURA)
    candidates |= set(TEH_MARBUTA) | set(DIGITS) | FORMAT_CHARACTERS | set(PERSIAN_LETTERS)
    for ch in candidates:
        folded = fold(ch)
        if folded != ch:
            table[ch] = folded
    if opts["presentation_forms"]:
        for cp in list(range(0xFB50, 0xFE00)) + list(range(0xFE70, 0xFF00)):
            ch = chr(cp)
            expanded = unicodedata.normalize("NFKC", _LIGATURE_WORDS.get(ch, ch))
            folded = fold(expanded)
            if folded != ch:
                table[ch] = folded
    return table


def normalize(
    text: str,
    *,
    presentation_forms: bool = True,
    diacritics: bool = True,
    tatweel: bool = True,
    alef: bool = True,
    alef_maqsura: bool = True,
    teh_marbuta: bool = True,
    digits: bool = True,
    format_characters: bool = True,
    persian_letters: bool = True,
) -> Normalized:
    """Normalise Arabic text for matching, keeping a map back to the original.

    Parameters
    ----------
    text : str
        Text in logical order, exactly as written.
    presentation_forms : bool, default True
        Unicode NFKC for Arabic presentation forms (U+FB50–U+FDFF, U+FE70–U+FEFF), so
        text pasted from PDFs matches; ``ﻻ`` becomes two characters, both mapped to it.
    diacritics : bool, default True
        Remove harakat, tanwin, shadda, sukun, dagger alef and Quranic marks.
    tatweel : bool, default True
        Remove tatweel (kashida, U+0640).
    alef : bool, default True
        ``أ إ آ ٱ`` → ``ا``.
    alef_maqsura : bool, default True
        ``ى`` → ``ي``.
    teh_marbuta : bool, default True
        ``ة`` → ``ه``.
    digits : bool, default True
        Arabic-Indic and Persian digits → ASCII digits.
    format_characters : bool, default True
        Remove the invisible format characters of :data:`FORMAT_CHARACTERS` (RLM, LRM,
        ALM, ZWNJ, ZWJ, zero-width space, soft hyphen, a BOM inside the text, bidi
        embeddings and isolates), so ``أوكر‌انيا`` with a ZWNJ matches ``أوكرانيا``.

    Returns
    -------
    Normalized
        The normalised text with the original span of each of its characters.
    """
    table = _char_table(
        (presentation_forms, diacritics, tatweel, alef, alef_maqsura, teh_marbuta, digits,
         format_characters, persian_letters)
    )
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(text):
        rep = table.get(ch)
        if rep is None:
            out.append(ch)
            starts.append(i)
            ends.append(i + 1)
        elif rep:
            for piece in rep:
                out.append(piece)
                starts.append(i)
                ends.append(i + 1)
        elif ends:
            # A removed mark belongs to the character before it.
            ends[-1] = i + 1
        # A removed mark at the very start has nothing to attach to: it is dropped from
        # the map, and the span of the first kept character starts after it.
    return Normalized("".join(out), tuple(starts), tuple(ends), len(text))


@lru_cache(maxsize=1)
def _translation() -> dict[int, str]:
    return {ord(ch): rep for ch, rep in _char_table((True,) * len(_OPTIONS)).items()}


def normalization_table() -> dict[int, str]:
    """What :func:`normalize` changes (every option on), as a ``str.translate`` table.

    Returns
    -------
    dict
        ``{code point: replacement}`` for every character :func:`normalize` replaces or
        drops (a new dict; change it freely).
    """
    return {k: v for k, v in _translation().items() if v != chr(k)}


def normalized_text(text: str) -> str:
    """``normalize(text).text`` with every option on, without the offset map (one C-level pass).

    Parameters
    ----------
    text : str
        Text in logical order, exactly as written.

    Returns
    -------
    str
        The same string as ``normalize(text).text``.
    """
    return text.translate(_translation())


def presentation_form_share(text: str) -> float:
    """Share of Arabic letters in ``text`` written as presentation forms.

    A high share means the text was probably copied from a PDF in visual order.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    float
        Presentation-form letters / all Arabic letters (0.0 when there are none).
    """
    arabic = forms = 0
    for ch in text:
        if _is_presentation_form(ch):
            forms += 1
            arabic += 1
        elif "\u0621" <= ch <= "\u064a" or "\u0671" <= ch <= "\u06d3":
            arabic += 1
    return forms / arabic if arabic else 0.0


# --- sentences ----------------------------------------------------------------------

_TERMINATORS = ".؟?!؛\n…"
_CLOSERS = "\"'”’»)]}›"
_OPENERS = {"«": "»", "“": "”", "(": ")", "‹": "›"}
#: Abbreviations after which a full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    {
        "د", "م", "ص", "ج", "ق", "ه", "هـ", "أ", "س", "ت",  # دكتور، ميلادي، صفحة، جزء، قبل، هجري، أستاذ ...
        "Dr", "Mr", "Mrs", "Ms", "Prof", "St", "No", "vs", "etc", "Inc", "Ltd", "Jr", "Sr",
    }
)
#: Every character :func:`quotations` reads as a quotation mark.
QUOTE_MARKS = "".join(_OPENERS) + "".join(_OPENERS.values()) + '"'
_QUOTE_MARKS_RE = re.compile(f"[{re.escape(QUOTE_MARKS)}]")
_DIGITS = "0123456789٠١٢٣٤٥٦٧٨٩"


def _class(chars: str) -> str:
    """The characters as the inside of a regular-expression ``[...]``."""
    return "".join(map(re.escape, chars))


def paragraphs(text: str) -> tuple[list[int], list[int], list[str]]:
    """A document's paragraphs: its lines holding more than blank characters, trimmed of them.

    Parameters
    ----------
    text : str
        The document text (newlines normalised to ``\\n``).

    Returns
    -------
    tuple of list
        ``(starts, ends, texts)``, with ``text[starts[n]:ends[n]] == texts[n]``.
    """
    starts, ends, texts = [], [], []
    pos = 0
    for line in text.split("\n"):  # (a split and strip per line beat a regular expression)
        kept = line.strip(BLANK_CHARACTERS)
        if kept:
            start = pos + len(line) - len(line.lstrip(BLANK_CHARACTERS))
            starts.append(start)
            ends.append(start + len(kept))
            texts.append(kept)
        pos += len(line) + 1
    return starts, ends, texts

# Where a sentence may end: a run of terminators (a newline with the terminators after it,
# or terminators of one line), the closing marks after it, and the blank characters up to
# the next sentence (not a newline: a newline is a terminator of its own). A full stop is
# sure to end a sentence after two Arabic letters and before white space, a closing mark
# or the end (no rule of _is_boundary keeps it); a run of full stops only is "dots" (the
# last one decides); any other run holds another terminator and ends a sentence.
_ARABIC_CLASS = "\u0621-\u063f\u0641-\u064a\u0671-\u06d3"  # the letters of _ARABIC_LETTERS
_ON_LINE = ".؟?!؛…"  # the terminators but the newline
_RUN = f"[{_class(_ON_LINE)}]*+"


@lru_cache(maxsize=256)
def _candidates(present: str) -> re.Pattern:
    """The pattern of the candidates for the terminators in ``present`` (a text holds few of
    them: an alternative of its own for each, so that the engine skips ahead to the next
    one, and a pattern of one full stop, the usual case, is searched for as a literal)."""
    alternatives = []
    if "\n" in present:
        alternatives.append(f"\\n(?P<line>){_RUN}")
    if "." in present:
        alternatives += [rf"\.(?<=[{_ARABIC_CLASS}][{_ARABIC_CLASS}]\.)(?=[\s{_class(_CLOSERS)}]|\Z)",
                         rf"\.(?P<dots>\.*+)(?![{_class(_ON_LINE[1:])}])"]
    alternatives += [re.escape(ch) + _RUN for ch in _ON_LINE if ch in present]
    return re.compile(
        f"(?:{'|'.join(alternatives)})"
        rf"(?P<close>[{_class(_CLOSERS)}]*+)(?P<gap>[{_class(BLANK_CHARACTERS.replace(chr(10), ''))}]*+)"
    )


def _word_before(text: str, i: int, lo: int) -> str:
    """The word (letters first, then letters, digits, tatweel) that ends at ``i``, from ``lo`` on."""
    j = i
    while j > lo and (text[j - 1].isalnum() or text[j - 1] in "_\u0640"):
        j -= 1
    word = text[j:i]
    while word and not (word[0].isalpha() or word[0] == "\u0640") :
        word = word[1:]  # the word starts at its first letter
    return word


def quote_spans(paragraph: str) -> list[tuple[int, int]]:
    """Spans of the outermost quotations that open and close within a paragraph.

    Quotation marks ``«»``, ``“”``, ``‹›``, brackets ``()`` and straight ``"`` (paired in
    order) are recognised; an unpaired mark opens nothing.

    Parameters
    ----------
    paragraph : str
        One paragraph.

    Returns
    -------
    list of tuple of int
        ``(open, close)``: the offsets of the opening and the closing mark.
    """
    return quotations(paragraph).spans


class Quotations(NamedTuple):
    """The quotation marks of one paragraph (see :func:`quotations`).

    Attributes
    ----------
    spans : list of tuple of int
        ``(open, close)`` offsets of the outermost quotations closed within the paragraph.
    open_from : int or None
        The offset of a ``«`` or ``“`` that is still open at the end of the paragraph:
        a quotation that goes on in the next paragraph.
    closes_at : int or None
        The offset of a ``»`` or ``”`` that closes a quotation opened before the
        paragraph (no mark opened it here): the text before it is quoted.
    """

    spans: list[tuple[int, int]]
    open_from: int | None
    closes_at: int | None


_CONTINUED = {"«": "»", "“": "”"}


def quotations(paragraph: str) -> Quotations:
    """Quotations of a paragraph, including one left open or one closed from before.

    Parameters
    ----------
    paragraph : str
        One paragraph.

    Returns
    -------
    Quotations
        The closed quotations, and the open and the closing mark of a quotation that
        runs over the paragraph's end or began in an earlier paragraph.
    """
    if not _QUOTE_MARKS_RE.search(paragraph):  # (one pass: most paragraphs have no mark)
        return Quotations([], None, None)
    return _quotations(paragraph, mark_positions(paragraph, 0, len(paragraph)), 0)


def document_quotations(text: str, starts: list[int], ends: list[int]) -> list[Quotations]:
    """:func:`quotations` of each paragraph ``text[starts[n]:ends[n]]`` of a document, with
    one search of the whole text for the marks (offsets within each paragraph, as there).

    Parameters
    ----------
    text : str
        The document text.
    starts, ends : list of int
        Where each paragraph starts and ends, in order.

    Returns
    -------
    list of Quotations
        One per paragraph, equal to ``quotations(text[start:end])``.
    """
    marks = mark_positions(text, 0, ends[-1]) if starts else []
    found = []
    for lo, hi in zip(starts, ends, strict=True):
        a, b = bisect.bisect_left(marks, lo), bisect.bisect_left(marks, hi)
        found.append(_quotations(text, marks[a:b], lo) if a < b else Quotations([], None, None))
    return found


def mark_positions(text: str, lo: int, hi: int) -> list[int]:
    """Where the quotation marks of ``text[lo:hi]`` are, in order (a ``str.find`` a mark:
    over a whole document, faster than a regular expression's character class)."""
    found = []
    for ch in QUOTE_MARKS:
        i = text.find(ch, lo, hi)
        while i >= 0:
            found.append(i)
            i = text.find(ch, i + 1, hi)
    found.sort()
    return found


def _quotations(text: str, marks: list[int], lo: int) -> Quotations:
    """:func:`quotations` of the paragraph at ``lo`` whose marks are at ``marks``."""
    ranges = []
    stack: list[tuple[str, int]] = []
    straight_open: int | None = None
    closes_at: int | None = None
    for at in marks:
        ch, i = text[at], at - lo
        if ch in _OPENERS:
            stack.append((_OPENERS[ch], i))
        elif stack and ch == stack[-1][0]:
            _, s = stack.pop()
            if not stack:
                ranges.append((s, i))
        elif ch == '"' and not stack:
            if straight_open is None:
                straight_open = i
            else:
                ranges.append((straight_open, i))
                straight_open = None
        elif not stack and not ranges and straight_open is None and closes_at is None \
                and ch in _CONTINUED_CLOSE:
            closes_at = i
    open_from = next((i for close, i in stack if close in _CONTINUED_CLOSE), None) if stack else None
    return Quotations(ranges, open_from, closes_at)


_CONTINUED_CLOSE = frozenset(_CONTINUED.values())


def _is_boundary(text: str, i: int, lo: int, hi: int) -> bool:
    """Whether the full stop at ``i`` ends a sentence of the paragraph ``text[lo:hi]``."""
    j = i + 1
    while j < hi and text[j] in FORMAT_CHARACTERS:
        j += 1  # an RLM after a full stop is invisible: look at what follows it
    nxt = text[j] if j < hi else ""
    prev = text[i - 1] if i > lo else ""
    if nxt.isdigit() and prev.isdigit():
        return False  # 2.5
    if nxt == ".":
        return False  # part of an ellipsis: the last dot decides
    if not (i - lo > 1 and prev in _ARABIC_LETTERS and text[i - 2] in _ARABIC_LETTERS):
        # (after two Arabic letters the word is none of the abbreviations: no need to read it)
        word = _word_before(text, i, lo)
        if word in ABBREVIATIONS or (len(word) == 1 and word.isupper()):
            return False  # د. محمد، U.S.، J. Biden
    if prev.isdigit() and not text[lo:i].strip().rstrip(_DIGITS):
        return False  # list numbering "1. ..." at the start of a paragraph
    if _is_arabic_letter(nxt) and not _DOMAIN_RE.match(text, j, hi):
        return True  # ".وقالت": a full stop with no space after it, before an Arabic word
    if nxt and not nxt.isspace() and nxt not in _CLOSERS and nxt not in _TERMINATORS:
        return False  # a dot inside a token: example.com, 2015.12
    return True


#: What may follow the dot of a web address written in Arabic letters (موقع.كوم).
_DOMAIN_RE = re.compile(r"(?:كوم|نت|أورغ|اورغ|أورج|اورج|إنفو)(?![^\W\d_])")


#: The letters _is_arabic_letter accepts, but tatweel.
_ARABIC_LETTERS = frozenset(chr(c) for c in [*range(0x621, 0x64B), *range(0x671, 0x6D4)]) - {"\u0640"}


def _is_arabic_letter(ch: str) -> bool:
    return bool(ch) and ("\u0621" <= ch <= "\u064a" or "\u0671" <= ch <= "\u06d3")


def _quoted(text: str, lo: int, hi: int, marks: list[int]) -> tuple[list[int], list[int], set[int]]:
    """Where the terminators of the paragraph ``text[lo:hi]`` (its quotation marks at
    ``marks``) are quoted: the starts and ends of the insides of its quotations, merged
    (straight quotes may enclose bracketed ones), with one still open at the end and one
    closed that opened before; and the closing marks that end a sentence ('."وقالت')."""
    found = _quotations(text, marks, lo)
    insides = [(lo + s + 1, lo + e) for s, e in found.spans if e > s + 1]
    if found.open_from is not None:
        insides.append((lo + found.open_from + 1, hi))
    if found.closes_at:
        insides.append((lo, lo + found.closes_at))
    after_quote = {lo + e for _, e in found.spans if e > 0 and text[lo + e - 1] in _TERMINATORS
                   and _is_arabic_letter(text[lo + e + 1:min(lo + e + 2, hi)])}
    if len(insides) < 2:
        return [s for s, _ in insides], [e for _, e in insides], after_quote
    merged: list[list[int]] = []
    for s, e in sorted(insides):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [s for s, _ in merged], [e for _, e in merged], after_quote


class SentenceColumns(NamedTuple):
    """The sentences of a document's paragraphs, column by column (:func:`document_sentences`)."""

    paragraph: list[int]  #: the paragraph's position in the paragraphs given
    sentence: list[int]  #: the sentence's position in its paragraph, from 0
    start: list[int]  #: offsets into the text, end exclusive
    end: list[int]


def _split(text: str, starts: list[int], ends: list[int], present: str) -> SentenceColumns:
    """The sentences (untrimmed) of the paragraphs ``text[starts[n]:ends[n]]``, which hold
    the terminators ``present``: one scan of the text for the candidates, Python only to
    take them in turn and on doubtful ones."""
    if not present or not starts:
        return SentenceColumns(list(range(len(starts))), [0] * len(starts), list(starts), list(ends))
    pattern = _candidates(present)
    line, dots = pattern.groupindex.get("line", 0), pattern.groupindex.get("dots", 0)  # 0: none
    candidates = pattern.finditer(text, 0, ends[-1])
    marks = mark_positions(text, 0, ends[-1])
    with_marks = set(map(bisect.bisect_right, repeat(starts), marks))  # paragraph numbers + 1
    rows: list[tuple[int, int, int, int]] = []
    m = next(candidates, None)
    for n, (lo, hi) in enumerate(zip(starts, ends, strict=True)):
        begin, k, opens = lo, 0, None
        if n + 1 in with_marks:
            opens, closes, after_quote = _quoted(
                text, lo, hi, marks[bisect.bisect_left(marks, lo):bisect.bisect_left(marks, hi)])
        while m is not None and (i := m.start()) < hi:
            if opens and not (line and m.start(line) >= 0) and (
                    (q := bisect.bisect_right(opens, i) - 1) >= 0 and i < closes[q]):
                if (close := m.start("close")) in after_quote:  # '."وقالت': the mark ends the sentence
                    rows.append((n, k, begin, close + 1))
                    begin, k = close + 1, k + 1
            elif not dots or m.start(dots) < 0 or _is_boundary(text, m.end(dots) - 1, lo, hi):
                rows.append((n, k, begin, m.start("gap")))
                begin, k = m.end(), k + 1
            m = next(candidates, None)
        if begin < hi:
            rows.append((n, k, begin, hi))
    return SentenceColumns(*map(list, zip(*rows, strict=True)))


def document_sentences(text: str, starts: list[int], ends: list[int]) -> SentenceColumns:
    """The sentences of a document's paragraphs, split as :func:`sentences` splits each.

    One pass over the whole text finds the places where a sentence may end; only the
    doubtful ones (a full stop that may be an abbreviation's or a number's, a terminator
    in a paragraph with quotation marks) are looked at one by one.

    Parameters
    ----------
    text : str
        The document text.
    starts, ends : list of int
        Where each paragraph starts and ends, in order: lines of ``text`` trimmed of blank
        characters (:func:`paragraphs`), so without a newline.

    Returns
    -------
    SentenceColumns
        For each sentence in order: its paragraph's position in ``starts``, its position
        in the paragraph, its start and end in ``text``.
    """
    return _split(text, starts, ends, "".join(filter(text.__contains__, _ON_LINE)))


def sentences(paragraph: str) -> list[tuple[int, int]]:
    """Split a paragraph into sentences.

    Sentences end at ``. ؟ ? ! ؛ …`` and at newlines, but not inside numbers (``2.5``),
    after common abbreviations (``د.``, ``U.S.``), or inside a quotation — one that
    closes in the paragraph, one still open at its end, or one closed in it that opened
    before; a closing quote or bracket stays with its sentence. A full stop ends a
    sentence even with no space before the next Arabic word (``".وقالت``), and so does a
    closing quote after a full stop (``."وقالت``); a web address (``موقع.كوم``) does not.

    Parameters
    ----------
    paragraph : str
        One paragraph (it may contain newlines).

    Returns
    -------
    list of tuple of int
        ``(start, end)`` spans into ``paragraph``, trimmed of surrounding white space
        and format characters (:data:`BLANK_CHARACTERS`), in order and without overlap;
        empty when the paragraph is blank.
    """
    present = "".join(filter(paragraph.__contains__, _TERMINATORS))
    trimmed = []
    found = _split(paragraph, [0], [len(paragraph)], present)
    for s, e in zip(found.start, found.end, strict=True):
        piece = paragraph[s:e]
        kept = piece.strip(BLANK_CHARACTERS)
        if kept:
            s += len(piece) - len(piece.lstrip(BLANK_CHARACTERS))
            trimmed.append((s, s + len(kept)))
    return trimmed


# --- transliteration ----------------------------------------------------------------

_SCHEMES = {"bw": "ar2bw", "safebw": "ar2safebw", "xmlbw": "ar2xmlbw", "hsb": "ar2hsb"}


@cache
def _transliterator(scheme: str):
    from camel_tools.utils.charmap import CharMapper
    from camel_tools.utils.transliterate import Transliterator

    return Transliterator(CharMapper.builtin_mapper(_SCHEMES[scheme]))


def transliterate(text: str, *, scheme: str = "bw") -> str:
    """Transliterate Arabic script for readers who do not read it.

    Parameters
    ----------
    text : str
        Arabic text.
    scheme : {"bw", "safebw", "xmlbw", "hsb"}, default "bw"
        Buckwalter, Safe Buckwalter, XML Buckwalter or Habash-Soudi-Buckwalter,
        through camel-tools' CharMapper.

    Returns
    -------
    str
        The transliteration; characters outside Arabic script are kept as they are.
    """
    check_choice("scheme", scheme, _SCHEMES)
    return _transliterator(scheme).transliterate(text)
