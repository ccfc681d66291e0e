"""Dates written in an article's text, for documents whose metadata gives none.

Role titles resolve by the document's date (الرئيس الأميركي is Biden in 2022, Trump in
2025), so an undated article loses them. News pages print the date near the top: on a
line of its own (``الثلاثاء ١٩ يوليو ٢٠٢٢ - ٠٣:٥٩``، ``2022.02.22 | 09:57``،
``18.03.2023 - محدث : 19.03.2023``) or in the first sentences. :func:`date_in_text`
reads day-month-year with Arabic (يناير … ديسمبر), Levantine (كانون الثاني … كانون الأول)
and Maghreb (جانفي، أفريل، جويلية …) month names, Western or Arabic-Indic digits,
numeric dates (day first, as Arabic pages write them; ``2022-02-22`` and
``2026-02-07T10:27`` year first) and English month names.

Which date: the earliest one on a line that is only a date (a page may print today's
date above the article's, and an "updated" stamp after it), else the first one in the
title and the first body paragraphs.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import NamedTuple

from .text import normalize

__all__ = ["TextDate", "date_in_text", "dated", "checked_date", "day_of", "MONTHS"]

#: Month names as Arabic pages write them (normalised: no hamza, ى → ي, ة → ه), by number.
MONTHS = {
    1: ("يناير", "كانون الثاني", "جانفي", "January", "Jan"),
    2: ("فبراير", "شباط", "فيفري", "February", "Feb"),
    3: ("مارس", "آذار", "March", "Mar"),
    4: ("أبريل", "إبريل", "نيسان", "أفريل", "April", "Apr"),
    5: ("مايو", "أيار", "ماي", "May"),
    6: ("يونيو", "يونيه", "حزيران", "جوان", "June", "Jun"),
    7: ("يوليو", "يوليه", "تموز", "جويلية", "July", "Jul"),
    8: ("أغسطس", "آب", "أوت", "August", "Aug"),
    9: ("سبتمبر", "أيلول", "September", "Sep", "Sept"),
    10: ("أكتوبر", "تشرين الأول", "October", "Oct"),
    11: ("نوفمبر", "تشرين الثاني", "November", "Nov"),
    12: ("ديسمبر", "كانون الأول", "December", "Dec"),
}
#: How many paragraphs from the top are searched (a date prints near the headline).
SEARCH_PARAGRAPHS = 8
#: Years a news date may fall in.
_YEARS = range(1990, 2100)

_MONTH_OF = {normalize(name).text: n for n, names in MONTHS.items() for name in names}
_MONTH_RE = "|".join(sorted(map(re.escape, _MONTH_OF), key=len, reverse=True))
# day, month name (perhaps "نيسان/أبريل" or "أيار (مايو)"), year
_NAMED = re.compile(
    rf"(?<!\d)(\d{{1,2}})\s*(?:من\s+)?({_MONTH_RE})(?:\s*[/(]\s*(?:{_MONTH_RE})\s*\)?)?\s*[,،]?\s*(\d{{4}})(?!\d)",
    re.IGNORECASE,
)
_NAMED_US = re.compile(rf"\b({_MONTH_RE})\s+(\d{{1,2}}),?\s+(\d{{4}})(?!\d)", re.IGNORECASE)
_YEAR_FIRST = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_DAY_FIRST = re.compile(r"(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?!\d)")
_LATIN_WEEKDAY = re.compile(r"\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b", re.IGNORECASE)


class TextDate(NamedTuple):
    """A date found in the text: ISO ``date``, the ``paragraph`` and the words as written."""

    date: str
    paragraph: int
    written: str

    @property
    def rule(self) -> str:
        """The evidence: ``text:paragraph=3 written=٢٢ أبريل ٢٠٢٢``."""
        return f"text:paragraph={self.paragraph} written={self.written}"


def _iso(year: int, month: int, day: int) -> str | None:
    if year not in _YEARS:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _dates(text: str) -> list[tuple[int, str, str]]:
    """``(offset, iso date, as written)`` of every date in a paragraph."""
    norm = normalize(text)  # Arabic-Indic digits become ASCII, hamza and tatweel go
    t = norm.text
    found = []

    def add(m: re.Match, iso: str | None) -> None:
        if iso:
            s, e = norm.to_original(m.start(), m.end())
            found.append((m.start(), iso, text[s:e]))

    for m in _NAMED.finditer(t):
        add(m, _iso(int(m.group(3)), _MONTH_OF[_month_key(m.group(2))], int(m.group(1))))
    for m in _NAMED_US.finditer(t):
        add(m, _iso(int(m.group(3)), _MONTH_OF[_month_key(m.group(1))], int(m.group(2))))
    for m in _YEAR_FIRST.finditer(t):
        add(m, _iso(int(m.group(1)), int(m.group(2)), int(m.group(3))))
    us = bool(_LATIN_WEEKDAY.search(t))
    for m in _DAY_FIRST.finditer(t):
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if b > 12 or (us and a <= 12):
            a, b = b, a  # 09/23/2025 is month first
        add(m, _iso(year, b, a))
    return sorted(found)


def _month_key(name: str) -> str:
    key = normalize(name).text
    if key in _MONTH_OF:
        return key
    return next(k for k in _MONTH_OF if k.lower() == key.lower())


def date_in_text(paragraphs: Sequence[str]) -> TextDate | None:
    """The date an article states near its top, if it states one.

    Parameters
    ----------
    paragraphs : sequence of str
        The article's paragraphs, the title first.

    Returns
    -------
    TextDate or None
        The earliest date on a line that is only a date among the first
        :data:`SEARCH_PARAGRAPHS` paragraphs, else the first date written in them
        (captions and links left out); None when they hold no date.
    """
    from .furniture import paragraph_furniture

    top = list(paragraphs[:SEARCH_PARAGRAPHS])
    kinds = paragraph_furniture(top) if top else []
    lines, first = [], None
    for k, text in enumerate(top):
        if kinds[k] not in ("", "dateline"):
            continue  # a caption's or a link's date is another story's
        dates = _dates(text)
        if not dates:
            continue
        if kinds[k] == "dateline":  # a line that only says when
            lines += [TextDate(iso, k, written) for _, iso, written in dates]
        elif first is None:
            _, iso, written = dates[0]
            first = TextDate(iso, k, written)
    if lines:
        return min(lines, key=lambda d: (d.date, d.paragraph))
    return first


def dated(given: str | None, paragraphs: Sequence[str]) -> tuple[str | None, str]:
    """A document's date and where it comes from: ``(given, "metadata")`` when the
    metadata gives one, else the date its text states (:func:`date_in_text`) and that
    rule, else ``(None, "")``."""
    if given:
        return given, "metadata"
    found = date_in_text(paragraphs)
    return (found.date, found.rule) if found is not None else (None, "")


_ISO = re.compile(r"\d{4}(-\d\d(-\d\d([T ].+)?)?)?")


def checked_date(value: object, where: str) -> str:
    """A date given in a frame (a documents frame, articles for reuse), checked.

    Parameters
    ----------
    value : object
        The date as given: blank (``""``, None, NaN), an ISO date ``YYYY-MM-DD`` with or
        without a time after ``T`` or a space, or a month or year only (``YYYY-MM``,
        ``YYYY``: not dated to the day). Such dates sort in time order as text.
    where : str
        What the date belongs to (``"doc_id 'x'"``), the start of the error message.

    Returns
    -------
    str
        The date as written, stripped; ``""`` for a blank one.

    Raises
    ------
    ValueError
        ``"{where}: date '...' is not a date in the form YYYY-MM-DD ..."``.
    """
    text = "" if value is None or value != value else str(value).strip()
    if not text:
        return ""
    ok = _ISO.fullmatch(text) is not None
    if ok and len(text) >= 10:
        try:
            dt.datetime.fromisoformat(text)
        except ValueError:
            ok = False
    elif ok and len(text) == 7:
        ok = 1 <= int(text[5:]) <= 12
    if not ok:
        raise ValueError(f"{where}: date {text!r} is not a date in the form YYYY-MM-DD (a time may "
                         "follow, or give only YYYY-MM); write it so, or leave it blank if unknown")
    return text


def day_of(date: str) -> str:
    """The day (``YYYY-MM-DD``) of a date checked by :func:`checked_date`; ``""`` when it
    is blank or not dated to the day."""
    return date[:10] if len(date) >= 10 else ""
