"""Articles read for the text-reuse search: tokens as ids of their normalised forms.

:func:`read_articles` cuts each article into words and punctuation marks
(:func:`workbench.text.token_lists`) and gives each token the id of its normalised form
(:func:`workbench.text.normalize`'s changes, with quotation marks and Arabic punctuation folded
to one form) in one :class:`Vocabulary` shared by all the articles, with the token's offsets
and paragraph. :mod:`workbench.reuse` aligns articles on these ids and
:mod:`workbench.near_duplicates` compares their word 3-shingles.
"""

from __future__ import annotations

import bisect
import re
import sys
from array import array
from collections.abc import Iterable, Mapping
from functools import lru_cache, partial
from typing import Any

from workbench import dates, similar_sets
from workbench import text as wtext

__all__ = ["SEED_TOKENS", "UNIT_WORDS", "MIN_UNIT_SHINGLES", "TERMINATORS", "NEWLINE", "Folded", "Vocabulary",
           "fold_table", "Article", "records", "read_articles", "read_records", "order_key", "check_share",
           "check_count"]

#: Tokens a seed of the alignment has; runs shorter than this are not found.
SEED_TOKENS = 4
#: Words of a unit (sentence-like piece) indexed for the candidate search, at most.
UNIT_WORDS = 30
#: Units with fewer word 3-shingles are not indexed.
MIN_UNIT_SHINGLES = 4
#: Normalised tokens that end a unit.
TERMINATORS = frozenset(".!?;")

_PUNCTUATION = {"«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "‹": '"', "›": '"', "'": '"',
                "‘": '"', "’": '"', "،": ",", "؛": ";", "؟": "?", "٪": "%", "…": "."}
#: A line break: where a paragraph ends.
NEWLINE = re.compile("\n")


class Folded(dict):
    """Token → its normalised form, computed once per distinct token."""

    def __missing__(self, token: str) -> str:
        form = token.translate(fold_table()).lower()
        self[token] = form
        return form


class Vocabulary(dict):
    """Normalised form → integer id, with what each id is (word, terminator, opener)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[str] = []
        self.is_word: list[bool] = []

    def __missing__(self, form: str) -> int:
        self[form] = number = len(self.forms)
        self.forms.append(form)
        self.is_word.append(form[:1].isalnum())
        return number


@lru_cache(maxsize=1)
def fold_table() -> dict[int, str]:
    """What :func:`workbench.text.normalize` changes, and quotation marks and Arabic
    punctuation as their plain forms, as a ``str.translate`` table."""
    return wtext.normalization_table() | {ord(k): v for k, v in _PUNCTUATION.items()}


class Article:
    """One article's tokens: ids of normalised forms, offsets, paragraph numbers."""

    __slots__ = ("doc_id", "text", "date", "outlet", "ids", "starts", "ends", "para", "_seeds")

    def __init__(self, record: tuple[str, str, str, str], folded: Folded, vocab: Vocabulary):
        self.doc_id, self.text, self.date, self.outlet = record
        tokens, starts, ends = wtext.token_lists(self.text)
        # compact arrays, not lists of int objects: 10,000 articles hold millions of tokens
        self.starts, self.ends = array("i", starts), array("i", ends)
        self.ids = array("i", map(vocab.__getitem__, map(folded.__getitem__, tokens)))
        newlines = [m.start() for m in NEWLINE.finditer(self.text)]
        self.para = array("i", map(partial(bisect.bisect_left, newlines), starts))
        self._seeds: tuple[Any, Any] | None = None

    def seeds(self) -> tuple[Any, Any]:
        """Hashes of every run of :data:`SEED_TOKENS` tokens inside one paragraph, sorted,
        and where each run starts."""
        import numpy as np

        if self._seeds is None:
            ids, k = np.asarray(self.ids, dtype=np.uint64), SEED_TOKENS
            n = len(ids) - k + 1
            if n <= 0:
                self._seeds = (np.zeros(0, np.uint64), np.zeros(0, np.int64))
                return self._seeds
            keys = ids[:n].copy()
            with np.errstate(over="ignore"):
                for t in range(1, k):
                    keys = keys * np.uint64(0x100000001B3) + ids[t:t + n]
            para = np.asarray(self.para)
            at = np.flatnonzero(para[:n] == para[k - 1:])
            order = np.argsort(keys[at], kind="stable")
            self._seeds = (keys[at][order], at[order])
        return self._seeds

    def drop_seeds(self, common: Any) -> Any:
        """Keep only the seeds not in ``common`` (sorted hashes) for the pairwise alignment;
        return where the dropped ones start, in text order."""
        import numpy as np

        keys, at = self.seeds()
        is_common = similar_sets.is_in(keys, common)
        self._seeds = (keys[~is_common], at[~is_common])
        return np.sort(at[is_common])

    def words_between(self, start: int, end: int, is_word: list[bool]) -> int:
        """How many word tokens lie inside the character span ``[start, end)``."""
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_left(self.starts, end)
        return sum(is_word[self.ids[t]] for t in range(lo, hi))


def _clean(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def records(data: Any) -> list[tuple[str, str, str, str]]:
    """``(doc_id, text, date, outlet)`` of every article in ``data``."""
    pd = sys.modules.get("pandas")  # a frame exists only once pandas is imported
    if pd is not None and isinstance(data, pd.DataFrame):
        missing = [c for c in ("doc_id", "text") if c not in data.columns]
        if missing:
            raise ValueError(f"the articles frame lacks column(s) {', '.join(missing)}; give "
                             "doc_id and text (date and outlet when known)")
        rows = data.to_dict("records")
        out = [(str(r["doc_id"]), _clean(r["text"]), _clean(r.get("date")), _clean(r.get("outlet")))
               for r in rows]
    elif callable(getattr(data, "document_text", None)):  # a Store
        docs = data.documents()
        out = [(str(d), data.document_text(d), _clean(date), _clean(outlet))
               for d, date, outlet in docs[["doc_id", "date", "outlet"]].itertuples(index=False)]
    elif isinstance(data, Mapping):
        out = [(str(k), _clean(v), "", "") for k, v in data.items()]
    else:
        documents = getattr(data, "documents", data)  # a Corpus, or Documents
        out = [(d.doc_id, d.text, d.date or "", d.outlet or "") for d in documents]
    seen: set[str] = set()
    for doc_id, *_ in out:
        if doc_id in seen:
            raise ValueError(f"doc_id {doc_id!r} is given twice; every article needs its own id")
        seen.add(doc_id)
    # the first carrier is the earliest by date, compared as text: ISO dates only
    return [(d, t, dates.checked_date(date, f"doc_id {d!r}"), o) for d, t, date, o in out]


def read_articles(data: Any) -> tuple[list[Article], Vocabulary]:
    """Every article of ``data`` (see :func:`records`) with its tokens, and their vocabulary."""
    return read_records(records(data))


def read_records(found: Iterable[tuple[str, str, str, str]]) -> tuple[list[Article], Vocabulary]:
    """Every article of ``found`` (:func:`records`) with its tokens, and their vocabulary."""
    folded, vocab = Folded(), Vocabulary()
    return [Article(r, folded, vocab) for r in found], vocab


def order_key(article: Any) -> tuple[int, str, str]:
    """Carrier order: dated articles by date, then undated ones; ties by doc_id."""
    return (0 if article.date else 1, article.date, article.doc_id)


def check_share(name: str, value: float) -> None:
    """Refuse ``value`` unless it is a number above 0 and at most 1 (naming the option ``name``)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1:
        raise ValueError(f"`{name}` value = {value!r} is invalid; give a number above 0 and at most 1")


def check_count(name: str, value: int, least: int) -> None:
    """Refuse ``value`` unless it is a whole number of at least ``least``."""
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise ValueError(f"`{name}` value = {value!r} is invalid; give a whole number, {least} or more")
