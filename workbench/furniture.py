"""Page furniture: paragraphs of a web page that are not the article's text.

Articles copied from news sites bring along photo captions, bylines, datelines, share
bars, "read also" links and source lines. They stay in the text (offsets do not move)
but are marked, shown greyed and left out of counts and charts. The rules look at the
shape of a paragraph, never at which site it came from:

- ``source``: ``المصدر: …``, or an agency's name alone (``سانا``، ``( رويترز)``);
- ``related``: a "read also" head (``اقرأ أيضا``، ``مقالات ذات صلة``) and the short lines
  of links after it;
- ``share``: a line of share, print or listen buttons;
- ``dateline``: a line that only says when (and where) the piece was filed
  (``الثلاثاء ١٩ يوليو ٢٠٢٢ - ٠٣:٥٩``، ``2022.02.22 | 09:57 دمشق``، ``أنقرة - (د ب أ)``);
- ``byline``: ``كتب: …``، ``بقلم …``، ``متابعة – …``, ``وكالات``, the outlet's own name, a
  short line ending in a dash;
- ``caption``: a line ending in a picture credit (``(أ ف ب)``، ``/ Sputnik``), a line that
  is only names and titles (``الرئيس الروسي فلاديمير بوتين``), ``الصورة: …``;
- ``other``: the headline again, web addresses and file names, embedded posts,
  disclaimers, and lines of three words or fewer that report nothing (``عاجل``، ``إعلان``).

A **dateline prefix** glued to the first sentence of a paragraph (``موسكو - (أ ف ب) -``،
``كييف/ أوكرانيا بالعربية/``) is found by :func:`dateline_prefix`; the paragraph stays
body text, but the prefix is neither a speaker nor a topic.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
import re
from collections.abc import Callable, Sequence
from itertools import compress
from typing import TYPE_CHECKING

from .text import normalization_table, normalize, normalized_text

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["FURNITURE_KINDS", "paragraph_furniture", "surely_body", "dateline_prefix", "without_furniture"]

#: The kinds of page furniture a paragraph may be (``""``: body text).
FURNITURE_KINDS = {
    "caption": "a photo or video caption, or a picture credit",
    "byline": "the writer, editor or desk of the article",
    "dateline": "where and when it was filed, on a line of its own",
    "share": "share, print, listen or follow buttons",
    "related": "links to other articles (اقرأ أيضا، مواضيع ذات صلة)",
    "source": "the source line (المصدر: وكالات)",
    "other": "other page furniture: the headline again, section names, tags, addresses",
}

# Agencies and picture credits as they are written in credits and source lines.
_AGENCIES = (
    "رويترز", "فرانس برس", "أ ف ب", "أ.ف.ب", "ا ف ب", "أ ب", "أ.ب", "د ب أ", "د.ب.أ", "أسوشيتد برس",
    "الأناضول", "سبوتنيك", "تاس", "نوفوستي", "ريا نوفوستي", "إنترفاكس", "سانا", "واس", "وام", "قنا",
    "كونا", "بترا", "إرنا", "ارنا", "إسنا", "تسنيم", "فارس", "مهر", "شينخوا", "يونهاب", "كيودو",
    "إفي", "وكالات", "الوكالات", "إنترنت", "انترنت", "أرشيفية", "أرشيف", "ارشيفية",
    "AFP", "AP", "Reuters", "Getty Images", "Getty", "EPA", "Sputnik", "TASS", "Anadolu", "DPA",
)
_AGENCY_RE = "|".join(re.escape(a) for a in sorted(_AGENCIES, key=len, reverse=True))
_CREDIT_END = re.compile(
    rf"\(\s*(?:[^()]*/\s*)?(?:{_AGENCY_RE}|[A-Z][\w .]*(?:Press|Images|News))[^()]{{0,20}}\)\s*[،,]?\s*$"
    rf"|/\s*[A-Za-z][A-Za-z .]+$"
)
_CREDIT_INSIDE = re.compile(r"\((?:إلى|الى) (?:اليسار|اليمين)\)|\(وسط\)|\((?:من )?اليمين(?: إلى اليسار)?\)"
                            r"|[-–—]\s*صورة (?:أرشيفية|ارشيفية|تعبيرية)|\bتصوير\s*[:：]")
_CAPTION_HEAD = re.compile(r"^(?:الصورة|صورة|الصور|بالصور|فيديو)\s*[:：\-–]"
                           r"|^صورة (?:أرشيفية|تعبيرية|ارشيفية)")
_SOURCE_HEAD = r"^\(?\s*(?:المصدر|مصدر الخبر|المصادر|Source)\s*[:：\-–(]"
#: (an agency's name alone never ends a sentence: the quick test needs only the head)
_SOURCE = re.compile(rf"{_SOURCE_HEAD}|^\(?\s*(?:{_AGENCY_RE})\s*\)?\s*$")
_RELATED = re.compile(
    r"^(?:[•·▪►«\-]\s*)?(?:إ?اقرأ|إقرأ|اقرا|طالع|شاهد|تابع)\s+(?:أيضا|أيضاً|أيضًا|ايضا|ايضاً|ايضًا|المزيد|كذلك)"
    r"|^(?:مقالات|أخبار|اخبار|مواضيع|موضوعات|مواد|قصص)\s+(?:ذات صلة|متعلقة|مشابهة)"
    r"|^(?:المزيد|مزيد) من (?:الأخبار|الاخبار|المقالات)|^(?:فيديو\s+)?قد يعجبك|^الأكثر (?:قراءة|مشاهدة)"
    r"|^(?:Read (?:also|more)|Related|Читайте)",
    re.IGNORECASE,
)
_SHARE_WORDS = frozenset(
    "شارك شاركها مشاركة المشاركة الخبر طباعة اطبع نسخ الرابط رابط واتساب واتس اب فيسبوك فيس بوك تويتر "
    "تلغرام تيليغرام تيليجرام إكس لينكدإن حفظ أرسل إرسال بريد إلكتروني استمع المقال استمع للمقال "
    "تابعونا على share on via print facebook twitter whatsapp telegram email Поделиться публикацией".split()
)
_BYLINE = re.compile(r"^(?:كتب|كتبت|بقلم|إعداد|اعداد|تحرير|ترجمة|متابعة|بواسطة|تقرير|By)\b"
                     r"\s*[:：\-–_ـ]?\s*\S")
#: "التاريخ | كتب: فلان |": a date and the author in one line.
_BYLINE_INSIDE = re.compile(r"[|]\s*(?:كتب|كتبت|بقلم)\s*[:：]")
#: "- وكالة الأناضول، إسطنبول": a bullet, an agency and a place.
_AGENCY_LINE = re.compile(rf"^[-–]\s*(?:وكالة\s+)?(?:{_AGENCY_RE})[^@\d]*$")  # not "— X (@X) date"
#: A "related" head glued to more words than this, ending a sentence, is body text.
_GLUED_WORDS = 14
#: Disclaimers: a head at the start of the paragraph, or one of the phrases anywhere in it.
_DISCLAIMER_HEAD = re.compile(r"(?:مسؤولية|مسؤلية|مسئولية|إخلاء مسؤولية) الخبر|الآراء الواردة"
                              r"|Comments are closed|Access to the comments")
_DISCLAIMER_PHRASES = ("جميع الحقوق محفوظة", "هذه المادة غير متوفرة")
_ADDRESS = re.compile(r"https?://|www\.|pic\.twitter\.com|\.(?:jpe?g|png|gif|webp|mp4)\b|^—.*\(@\w+\)", re.I)
#: Words of a caption's credit inside it: a match holds one of them (a cheap test first).
_CREDIT_INSIDE_MARKS = ("(", "صورة", "تصوير")
_TERMINAL = ".؟?!…"
_TERMINAL_T = tuple(_TERMINAL)

_MONTHS = (
    "يناير فبراير مارس أبريل ابريل إبريل مايو يونيو يونيه يوليو يوليه أغسطس اغسطس سبتمبر أكتوبر اكتوبر "
    "نوفمبر ديسمبر كانون الثاني شباط آذار اذار نيسان أيار ايار حزيران تموز آب اب أيلول ايلول تشرين الأول "
    "الاول جانفي فيفري أفريل ماي جوان جويلية أوت"
).split()
_WEEKDAYS = "السبت الأحد الاحد الإثنين الاثنين الثلاثاء الأربعاء الاربعاء الخميس الجمعة".split()
_TIME_WORDS = frozenset(normalize(w).text for w in (
    _MONTHS + _WEEKDAYS
    + "م ص مساء صباحا مساءً صباحاً ظهرا الساعة على بتوقيت توقيت غرينتش غرينيتش جرينتش مكة المكرمة القدس "
      "آخر اخر تحديث محدث تم نشر في تاريخ النشر منذ ساعة ساعات دقيقة دقائق يوم أيام GMT UTC am pm AM PM "
      "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June "
      "July August September October November December".split()
))
_DATE_TOKEN = re.compile(r"^[\d٠-٩۰-۹]+(?:[:./\-T+][\d٠-٩۰-۹]+)*(?:[+\-]\d{4})?[،,]?$|^[|/\-–_ـ:،,+]+$")
_SEPARATOR = "-–—_ـ/:"
#: (the words are matched once, without backtracking: giving back a letter or a word leaves
#: a letter or a space where the separator or bracket must come, so no match is lost)
_PREFIX_RE = re.compile(
    r"^(?P<pre>(?>[^\s:–—\-_/ـ().]+(?:\s+[^\s:–—\-_/ـ().]+){0,3}))\s*(?:\([^()]{1,20}\)\s*)?(?P<sep>[-–—_ـ/:]+)\s*"
    r"(?:\(?\s*(?P<agency>[^()\-–—:/\s][^()\-–—:/]{0,28}?)\s*\)?\s*(?P<sep2>[-–—_ـ/:.]+ـ?)\s*)?(?=\S)"
)


#: The longest dateline, in characters (آخر تحديث: الثلاثاء ١٩ يوليو ٢٠٢٢ - ٠٣:٥٩ م بتوقيت …).
_DATELINE_CHARS = 160


_WORD = re.compile(r"[^\W_]+(?:[.'][^\W_]+)*")
#: At least three words as :func:`_words` counts them (its matches, one after another).
_THREE_WORDS = re.compile(r"(?:[\W_]*+(?>[^\W_]+(?:[.'][^\W_]+)*)){3}")


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


@functools.lru_cache(maxsize=1 << 16)
def _normal(word: str) -> str:
    """The normalised form of one word (the same letters as in a normalised text)."""
    return normalize(word).text


def _key(text: str) -> str:
    """A paragraph as compared with the headline: letters only, normalised (normalising
    changes no white space, so the whole text is folded at once)."""
    return " ".join(_WORD.findall(normalized_text(text)))


@functools.lru_cache(maxsize=1 << 16)
def _date_points(tok: str) -> int:
    """What one token of a line adds to its date (0 for a bare mark), -1 for a word that
    says nothing of a date."""
    tok = tok.strip("،,()")
    if not tok:
        return 0
    norm = _normal(tok)
    if _DATE_TOKEN.match(tok) or norm in _TIME_WORDS or norm.strip(".") in _TIME_WORDS:
        return ((bool(re.search(r"[\d٠-٩]", tok)) or norm in _TIME_WORDS)
                + bool(re.match(r"[\d٠-٩]+[./\-][\d٠-٩]+[./\-][\d٠-٩]+", tok)))  # a whole date
    return 1 if re.fullmatch(r"[\d٠-٩]+(?:م|ص|h)", tok) else -1


def _is_dateline(text: str) -> bool:
    """A line that only says when (and perhaps where) the piece was filed."""
    if len(text) > _DATELINE_CHARS:
        return False
    dated = rest = 0
    for tok in text.replace("|", " | ").split():
        points = _date_points(tok)
        if points >= 0:
            dated += points
        else:
            rest += 1
            if rest > 2:  # most paragraphs: words that say nothing of a date
                return False
    return dated >= 2


_PLACE_LINE = re.compile(rf"\s*(\S+(?:\s+\S+)?)\s*[{_SEPARATOR}]+\s*\(?\s*([^()]{{1,30}}?)\s*\)?"
                         rf"\s*[{_SEPARATOR}]?\s*")
_SEPARATOR_CHAR = re.compile(rf"[{_SEPARATOR}]")
#: The most tokens a place line has: two words, the separators, brackets and 30 characters of desk.
_PLACE_TOKENS = 21
_PLACES_DESK = re.compile(r"\s*[^\s()،,]+(?:\s*[،,]?\s*[^\s()،,]+){0,2}\s*\(([^()]{1,40})\)\s*")


def _is_place_line(text: str, outlet_key: str) -> bool:
    """``أنقرة - (د ب أ)``, ``إسطنبول/ الأناضول``, ``موسكو _ صوت الإمارات``: place + desk."""
    m = _PLACE_LINE.fullmatch(text) if _SEPARATOR_CHAR.search(text) else None
    if not m:
        return False
    desk = _key(m.group(2))
    return bool(re.fullmatch(_AGENCY_RE, m.group(2).strip())) or (outlet_key and desk == outlet_key)


def _is_places_desk(text: str, outlet_key: str) -> bool:
    """``موسكو، كييف (الصحيفة، وكالات)``: one to three places and the desk in brackets."""
    m = _PLACES_DESK.fullmatch(text) if ")" in text else None
    if not m:
        return False
    desks = [part.strip() for part in re.split(r"[،,/]", m.group(1))]
    return bool(desks) and all(re.fullmatch(_AGENCY_RE, d) or (outlet_key and _key(d) in (outlet_key,
                                                                                        "ال" + outlet_key))
                               for d in desks if d)


def _has_address(text: str) -> bool:
    """A web address, a file name or an embedded post (``_ADDRESS``). Without ``://`` and
    a leading dash, a match starts at a dot (``.jpg``) or three letters before one
    (``www.``، ``pic.``): only there is it tried."""
    if "://" in text or text.startswith("—"):
        return _ADDRESS.search(text) is not None
    dot = text.find(".")
    while dot >= 0:
        if (dot >= 3 and _ADDRESS.match(text, dot - 3)) or _ADDRESS.match(text, dot):
            return True
        dot = text.find(".", dot + 1)
    return False


_LATIN = re.compile(r"[A-Za-z]")
_LETTER = re.compile(r"[^\W\d_]")


def _kind(text: str, words: list[str], *, title_key: str, outlet_key: str, names_only: Callable[[], bool],
          reports: Callable[[], bool]) -> str:
    """The furniture kind of one paragraph (not the title; ``words``: its words), ``""`` for
    body text. ``names_only`` and ``reports`` are asked only of a short line that ends no
    sentence."""
    n = len(words)
    # the normalised words, compared with the headline's and the outlet's: only for a
    # paragraph as short as one of them (most paragraphs are longer)
    key = _key(text) if n <= max(8, title_key.count(" ") + 3) else ""
    terminal = text.rstrip("»\"”' ").endswith(tuple(_TERMINAL))
    if _SOURCE.search(text) and key not in ("وكالات", "الوكالات"):
        return "source"
    if _RELATED.search(text) and not (n > _GLUED_WORDS and terminal):
        return "related"  # (a long paragraph with a "related" head glued to it is body text)
    if n and n <= 6 and all(_normal(w) in _SHARE_WORDS or w.lower() in _SHARE_WORDS for w in words):
        return "share"
    if _is_dateline(text) or _is_place_line(text, outlet_key) or _is_places_desk(text, outlet_key):
        return "dateline"
    if key and key == title_key:
        return "other"
    own_name = bool(outlet_key) and (key == outlet_key or key.startswith(outlet_key + " ")
                                     or key.endswith(" " + outlet_key))
    if n <= 14 and _BYLINE_INSIDE.search(text):
        return "byline"
    if n <= 8 and (_BYLINE.search(text) or own_name or _AGENCY_LINE.search(text)
                   or re.search(r"[-–—_ـ]\s*$", text) or key in ("وكالات", "الوكالات")):
        return "byline"
    if _has_address(text) or _DISCLAIMER_HEAD.match(text) or any(p in text for p in _DISCLAIMER_PHRASES):
        return "other"
    if ((not terminal and ("(" in text or "/" in text) and _CREDIT_END.search(text))
            or (any(c in text for c in _CREDIT_INSIDE_MARKS) and _CREDIT_INSIDE.search(text))
            or _CAPTION_HEAD.search(text)):
        return "caption"
    if _LATIN.search(text) and len(_LATIN.findall(text)) > 0.6 * (len(_LETTER.findall(text)) or 1):
        return "caption" if re.search(r"\([^()]*(?:Press|AP|AFP|Reuters|Getty)[^()]*\)", text) else "other"
    if terminal or n > 12 or reports():
        return ""
    if names_only():
        return "caption"
    return "other" if n <= 3 else ""


# The quick test (:func:`surely_body`). A paragraph that ends a sentence is furniture only
# through a head (a rule's pattern at its start, a place line's first words), a mark inside
# it, its first or last normalised word (the headline's, the outlet's name, وكالات), its first
# word (a share bar) or by being a dateline; one with none of them is cleared without the
# rules. The heads and marks are found by one search over the paragraphs joined by new lines.
#: Where a joined paragraph must be looked at: the new line before a head, or before the
#: first words of a place line (a separator in its first two words or starting its third:
#: ``موسكو - …``, ``أنقرة/ …``). ``^`` and ``$`` are a paragraph's ends.
_SEP = re.escape(_SEPARATOR)
_HEADS = re.compile(
    "\n(?=" + "|".join([_SOURCE_HEAD, f"(?i:{_RELATED.pattern})", _DISCLAIMER_HEAD.pattern,
                         _CAPTION_HEAD.pattern, _BYLINE.pattern, _AGENCY_LINE.pattern,
                         rf"(?P<place>\s*+\S(?:[^\s{_SEP}]*+[{_SEP}]|\S*+\s++(?:[^\s{_SEP}]*+[{_SEP}]"
                         rf"|\S++\s++[{_SEP}])))"])
    + ")",
    re.MULTILINE,
)
#: The first three tokens of each joined paragraph ("" for those it has not).
_FIRST_TOKENS = re.compile(r"\n[^\S\n]*(\S*)[^\S\n]*(\S*)[^\S\n]*(\S*)")
#: Marks inside a paragraph that rules need (addresses, credits, Latin lines, desks in
#: brackets, "| كتب:"): ASCII letters, ``(`` and ``|`` (as bytes: one look at a document).
_MARK_BYTES = bytes(range(ord("A"), ord("Z") + 1)) + bytes(range(ord("a"), ord("z") + 1)) + b"(|"
_MARK = re.compile("[A-Za-z(|]")
#: Phrases the rules look for inside a paragraph (a credit, a disclaimer).
_PHRASES = ("صورة", "تصوير", *_DISCLAIMER_PHRASES)
_PHRASE = re.compile("|".join(_PHRASES))
_ENDS = frozenset(_TERMINAL)
_CLOSING = frozenset("»\"”' ")
_LAST_CHAR = operator.itemgetter(slice(-1, None))
#: First normalised words that a rule compares whatever the document (a byline of وكالات).
_DESK_WORDS = frozenset({"وكالات", "الوكالات"})


@functools.lru_cache(maxsize=1 << 16)
def _lead_word(token: str) -> str:
    """The first normalised word of a token, ``""`` if it has none."""
    m = _WORD.search(normalized_text(token))
    return m.group() if m else ""


@functools.lru_cache(maxsize=1 << 16)
def _last_word(token: str) -> str:
    """The last normalised word of a token, ``""`` if it has none."""
    found = _WORD.findall(normalized_text(token))
    return found[-1] if found else ""


@functools.lru_cache(maxsize=1 << 16)
def _opening_word(token: str) -> str:
    """The first normalised word of a paragraph whose first token is ``token``, ``""`` when
    it has none or the token alone may make the paragraph furniture (a share button, وكالات)."""
    first = _WORD.search(token)
    word = _lead_word(token)
    if (not first or word in _DESK_WORDS or _normal(first.group()) in _SHARE_WORDS
            or first.group().lower() in _SHARE_WORDS):
        return ""
    return word


def _first_words(text: str) -> tuple[str, str]:
    """The first and last normalised words of a text (``""`` when it has none)."""
    tokens = text.split()
    first = next((w for w in map(_lead_word, tokens) if w), "")
    last = next((w for w in map(_last_word, reversed(tokens)) if w), "")
    return first, last


@functools.lru_cache(maxsize=256)
def _outlet_words(outlet: str) -> tuple[str, str]:
    """The first and last words of the outlet's name that a paragraph's must be checked
    against (``""``: none; a word with an ASCII letter is only in marked paragraphs)."""
    first, last = _first_words(_outlet_key(outlet))
    if _no_latin_made():
        first, last = ("" if _LATIN.search(w) else w for w in (first, last))
    return first, last


@functools.lru_cache(maxsize=1)
def _no_latin_made() -> bool:
    """Whether normalising makes an ASCII letter of no other character."""
    return not any(_LATIN.search(v) for v in normalization_table().values())


def _ends_sentence(p: str) -> bool:
    return p.rstrip("»\"”' ").endswith(_TERMINAL_T)


def _looked_at(paragraphs: Sequence[str], text: str) -> set[int]:
    """The paragraphs (by number) that a head, a mark or a phrase makes the rules look at,
    and those that end no sentence; ``text`` is ``"\n"`` before each paragraph."""
    look: set[int] = set()
    found = list(_HEADS.finditer(text))
    if found:
        starts = list(itertools.accumulate((len(p) + 1 for p in paragraphs[:-1]), initial=1))
        for m in found:
            k = bisect.bisect_right(starts, m.start() + 1) - 1
            # a place line's first words: only a whole place line is furniture
            if m["place"] is None or len(paragraphs[k].split(None, _PLACE_TOKENS)) <= _PLACE_TOKENS \
                    and _PLACE_LINE.fullmatch(paragraphs[k]):
                look.add(k)
    ascii_part = text.encode("ascii", "ignore")
    if len(ascii_part.translate(None, _MARK_BYTES)) != len(ascii_part):
        look.update(k for k, p in enumerate(paragraphs) if _MARK.search(p))
    if any(phrase in text for phrase in _PHRASES):
        look.update(k for k, p in enumerate(paragraphs) if _PHRASE.search(p))
    if not _ENDS.issuperset(map(_LAST_CHAR, itertools.islice(paragraphs, 1, None))):
        look.update(k for k, p in enumerate(paragraphs) if p[-1:] not in _ENDS and not _ends_sentence(p))
    return look


def surely_body(paragraphs: Sequence[str], *, outlet: str | None = None) -> list[bool]:
    """Which paragraphs a quick test finds to be body text, so that the furniture rules need
    not look at them (the pre-filter of :func:`paragraph_furniture`).

    It clears a paragraph that ends a sentence, holds no ASCII letter, ``(``, ``|``, credit
    or disclaimer phrase, starts with none of the rules' heads, is no place line or dateline,
    does not start with a share button or ``وكالات``, and neither starts with the outlet's
    first word nor ends with its last, nor starts and ends with the headline's. None of the
    rules calls such a paragraph furniture.

    Parameters
    ----------
    paragraphs : sequence of str
        The paragraphs (one line each), the title first (never cleared: it is never
        furniture either).
    outlet : str, optional
        The outlet's name from the metadata.

    Returns
    -------
    list of bool
        True for each paragraph cleared as body text.
    """
    count = len(paragraphs)
    text = "\n" + "\n".join(paragraphs)
    if count < 2 or text.count("\n") != count:
        return [False] * count
    look = _looked_at(paragraphs, text)
    look.add(0)
    first, second, third = zip(*_FIRST_TOKENS.findall(text), strict=True)
    title_first = _lead_word(first[0]) or _first_words(paragraphs[0])[0]
    outlet_first, outlet_last = _outlet_words(outlet or "")
    words = list(map(_opening_word, first))
    if not {"", title_first, outlet_first}.isdisjoint(words[1:]):  # (the title is looked at anyway)
        title_last = _first_words(paragraphs[0])[1]
        look.update(k for k, w in enumerate(words) if not w or w == outlet_first or w == title_first
                    and _last_word(paragraphs[k].rsplit(None, 1)[-1]) in ("", title_last))
    # a dateline is a short line with two words at most that say nothing of a date: three such
    # first tokens clear it (only short lines not looked at yet are asked)
    look.update(k for k in compress(range(1, count), map(_DATELINE_CHARS.__ge__, map(len, paragraphs[1:])))
                if k not in look and (_date_points(first[k]) >= 0 or _date_points(second[k]) >= 0
                                      or _date_points(third[k]) >= 0) and _is_dateline(paragraphs[k]))
    if outlet_last:
        look.update(k for k, p in enumerate(paragraphs)
                    if k not in look and _last_word(p.rsplit(None, 1)[-1]) in ("", outlet_last))
    return [k not in look for k in range(count)]


def _asker(flags: Sequence[bool] | Callable[[int], bool] | None) -> Callable[[int], bool]:
    if callable(flags):
        return flags
    return flags.__getitem__ if flags else lambda k: False


def paragraph_furniture(
    paragraphs: Sequence[str],
    *,
    outlet: str | None = None,
    names_only: Sequence[bool] | Callable[[int], bool] | None = None,
    reports: Sequence[bool] | Callable[[int], bool] | None = None,
    prefilter: bool = True,
) -> list[str]:
    """The furniture kind of each paragraph of a document (``""`` for body text).

    A quick test clears most body paragraphs first (they end a sentence, are long, and
    hold none of the marks and heads the rules look for); the rules run on the rest.

    Parameters
    ----------
    paragraphs : sequence of str
        The paragraphs, the title first (the title is never furniture).
    outlet : str, optional
        The outlet's name from the metadata: a short line that is that name is a byline.
    names_only : sequence of bool or callable, optional
        For each paragraph (or paragraph number → bool), whether its words are all names
        and titles of actors; asked only of short lines that end no sentence.
    reports : sequence of bool or callable, optional
        The same for whether a paragraph holds a reporting verb (then it is not a caption).
    prefilter : bool, default True
        False applies every rule to every paragraph: the same result, slower (to check
        the quick test).

    Returns
    -------
    list of str
        One of :data:`FURNITURE_KINDS` or ``""`` per paragraph.
    """
    count = len(paragraphs)
    is_names, has_report = _asker(names_only), _asker(reports)
    cleared = surely_body(paragraphs, outlet=outlet) if prefilter else [False] * count
    if all(cleared[1:]):
        return [""] * count
    title_key = _key(paragraphs[0]) if paragraphs else ""
    outlet_key = _outlet_key(outlet or "")
    out = [""]
    in_related = False
    for k in range(1, count):
        if cleared[k] and not in_related:
            out.append("")
            continue
        text = paragraphs[k]
        words = _words(text)
        kind = _kind(text, words, title_key=title_key, outlet_key=outlet_key,
                     names_only=functools.partial(is_names, k), reports=functools.partial(has_report, k))
        short = len(words) <= 14 and not text.rstrip().endswith(tuple(_TERMINAL))
        if not kind and in_related and short:
            kind = "related"  # the links under a "read also" head
        in_related = kind == "related" or (in_related and kind != "" and short)
        out.append(kind)
    # short lines after the last body paragraph are tags and links
    last_body = max((k for k, kind in enumerate(out) if not kind), default=0)
    for k in range(last_body + 1, count):
        if out[k] == "other" and len(_words(paragraphs[k])) <= 3:
            out[k] = "related"
    return out


@functools.lru_cache(maxsize=256)
def _outlet_key(outlet: str) -> str:
    return _key(outlet)


def dateline_prefix(paragraph: str) -> tuple[int, bool]:
    """Where a paragraph's text begins after a dateline glued to it.

    ``موسكو - (أ ف ب) - قال …``, ``كييف/ أوكرانيا بالعربية/ صرح …``, ``أنقرة - سبوتنيك.
    وجاء …``: one to four words, a dash, slash or colon, perhaps a desk or agency and
    another mark, then at least three words.

    Parameters
    ----------
    paragraph : str
        The paragraph.

    Returns
    -------
    tuple
        ``(offset, colon)``: the offset in ``paragraph`` where the sentence proper starts
        (0 when there is no such prefix), and whether the prefix ends in a colon — then
        it is a dateline only if a reporting verb follows (``موسكو: قال``), since
        ``X: …`` is otherwise a speaker's headline. The caller also checks that the
        prefix names no person.
    """
    m = _PREFIX_RE.match(paragraph)
    if not m or not _THREE_WORDS.match(paragraph, m.end()):
        return 0, False
    last = m.group("sep2") or m.group("sep")
    return m.end(), ":" in last


def without_furniture(sentences: pd.DataFrame, mentions: pd.DataFrame | None = None
                      ) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """The sentences of body text, and the mentions in them: page furniture left out
    (what the tables, charts and outlet tables count; also ``tables.without_furniture``).

    Parameters
    ----------
    sentences : pandas.DataFrame
        A sentences frame; without a ``furniture`` column every sentence is body text.
    mentions : pandas.DataFrame or None, default None
        A mentions frame (needs ``sentence_id``) to filter the same way.

    Returns
    -------
    tuple
        ``(sentences, mentions)``: new frames without the rows of sentences whose
        ``furniture`` is not ``""`` (``mentions`` stays None when not given).
    """
    import pandas as pd

    if not isinstance(sentences, pd.DataFrame) or "furniture" not in sentences.columns:
        return sentences, mentions
    marked = sentences["furniture"].fillna("").astype(str).str.strip() != ""
    if not marked.any():
        return sentences, mentions
    furniture_ids = set(sentences.loc[marked, "sentence_id"]) if "sentence_id" in sentences.columns else set()
    body = sentences[~marked]
    if mentions is not None and furniture_ids and "sentence_id" in mentions.columns:
        mentions = mentions[~mentions["sentence_id"].isin(furniture_ids)]
    return body, mentions
