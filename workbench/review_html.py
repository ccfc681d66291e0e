"""What the review panel shows, as HTML and as sentences for the analyst.

- :func:`highlight_html` and :func:`sentence_html`: the sentence under review with its
  matched spans, between its neighbours;
- :func:`evidence_items`: every automatic decision on the sentence with its evidence (the
  term and rule of each topic and actor, the speaker's verb, subject, rule and confidence),
  and what the analyst changed by hand;
- :func:`change_sentence` and :func:`write_failure`: status messages in plain words.

Article text is untrusted: everything taken from the store is HTML-escaped here.
"""

from __future__ import annotations

import html
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from workbench import display
from workbench.display import ARABIC_FONTS, html_rtl
from workbench.store import StoreError, StoreWriteError
from workbench.tables import rule_fields

if TYPE_CHECKING:  # pragma: no cover
    from workbench.codebook import CodebookSummary

__all__ = [
    "FONT_STACK",
    "LEGEND",
    "WRITE_FAILURES",
    "Evidence",
    "change_sentence",
    "evidence_items",
    "highlight_html",
    "isolated",
    "sentence_html",
    "write_failure",
]

#: What a failed write raises: the store's StoreWriteError (locked past its timeout, a
#: read-only file, a full or failing disk), and what a broken file may raise beyond it.
WRITE_FAILURES = (StoreWriteError, sqlite3.OperationalError, sqlite3.DatabaseError, StoreError, OSError)

#: CSS font stack for Arabic in the browser (display.py's preference order, then generic).
FONT_STACK = ", ".join(f"'{name}'" for name in ARABIC_FONTS) + ", 'Arial', sans-serif"

_MARK_STYLE = {
    "topic": "background: #ffe58f; color: inherit; padding: 0 1px;",
    "actor": "background: #bae0ff; color: inherit; padding: 0 1px;",
}
_MARK_OTHER = "background: #d9f7be; color: inherit; padding: 0 1px;"


def _esc(text: Any) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _mention_title(mention: Mapping[str, Any]) -> str:
    kind = str(mention.get("kind", ""))
    key = str(mention.get("key", ""))
    rule = str(mention.get("rule", ""))
    return f"{kind} {key}: {rule}".strip() if rule else f"{kind} {key}".strip()


def highlight_html(text: str, mentions: Sequence[Mapping[str, Any]]) -> str:
    """HTML-escape a sentence and wrap its matched spans in ``<mark>``.

    Overlapping or nested spans are split at every span boundary, so the result is
    always well-formed; a piece covered by several spans gets one ``<mark>`` whose
    ``title`` lists them all. Spans outside the text are clipped, empty ones skipped.

    Parameters
    ----------
    text : str
        The sentence, in logical order (never reshaped).
    mentions : sequence of mapping
        Matched spans with ``rel_start`` and ``rel_end`` (code-point offsets into
        ``text``, end exclusive; ``start`` / ``end`` are used when ``rel_*`` are
        missing), and ``kind``, ``key``, ``rule`` for the title.

    Returns
    -------
    str
        Escaped HTML: ``<mark title="topic ukraine: أوكرانيا" ...>`` around each
        matched piece; the title is escaped too.
    """
    n = len(text)
    spans = []
    for m in mentions:
        start = m.get("rel_start", m.get("start"))
        end = m.get("rel_end", m.get("end"))
        if start is None or end is None:
            continue
        start, end = max(0, int(start)), min(n, int(end))
        if start < end:
            spans.append((start, end, m))
    if not spans:
        return _esc(text)
    cuts = sorted({0, n, *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    out = []
    for a, b in pairwise(cuts):
        covering = [m for s, e, m in spans if s <= a and b <= e]
        piece = _esc(text[a:b])
        if not covering:
            out.append(piece)
            continue
        titles = list(dict.fromkeys(_mention_title(m) for m in covering))
        kinds = {str(m.get("kind", "")) for m in covering}
        style = _MARK_STYLE.get(kinds.pop(), _MARK_OTHER) if len(kinds) == 1 else _MARK_OTHER
        out.append(f'<mark title="{_esc(" | ".join(titles))}" style="{style}">{piece}</mark>')
    return "".join(out)


def sentence_html(record: Mapping[str, Any]) -> str:
    """The reading area of the panel: document title, previous sentence, the sentence
    with its matched spans highlighted, next sentence, and where it comes from.

    Parameters
    ----------
    record : mapping
        A :meth:`Store.sentence_record` dict: ``text``, ``mentions``, ``title``,
        ``prev_text``, ``next_text``, ``doc_id``, ``paragraph``, ``sentence``,
        ``sentence_id``, ``furniture`` (missing keys are shown empty).

    Returns
    -------
    str
        HTML in a ``dir="rtl"`` block with an Arabic-capable font stack; every piece of
        text from the record is HTML-escaped. A sentence of page furniture (a caption, a
        byline …) is shown greyed, with its kind.
    """
    title = record.get("title") or record.get("doc_id") or ""
    muted = "color: #595959; font-size: 0.95em;"
    parts = [
        f'<div dir="rtl" lang="ar" class="wb-review-text" style="font-family: {FONT_STACK}; '
        "line-height: 1.9; text-align: right; overflow-wrap: anywhere; padding: 4px 8px;\">",
        f'<div style="font-weight: bold; margin-bottom: 4px;">{html_rtl(title, direction="auto")}</div>',
    ]
    if record.get("prev_text"):
        parts.append(f'<div class="wb-prev-text" style="{muted}">{html_rtl(record["prev_text"])}</div>')
    furniture = str(record.get("furniture") or "")
    look = ("border-right: 4px solid #bfbfbf; background: #f5f5f5; color: #8c8c8c; opacity: 0.75;"
            if furniture else "border-right: 4px solid #1677ff; background: #f5f8ff;")
    parts.append(
        f'<div class="wb-sentence{" wb-furniture" if furniture else ""}" style="font-size: 1.3em; '
        f'margin: 4px 0; padding: 2px 10px; {look}">'
        f"{highlight_html(str(record.get('text', '')), record.get('mentions', ()))}</div>"
    )
    if furniture:
        parts.append(f'<div dir="ltr" class="wb-furniture-kind" style="font-size: 0.8em; color: #8c8c8c; '
                     f'text-align: left;">page furniture: {_esc(furniture)} '
                     '(left out of counts and charts)</div>')
    if record.get("next_text"):
        parts.append(f'<div class="wb-next-text" style="{muted}">{html_rtl(record["next_text"])}</div>')
    where = (
        f"{record.get('doc_id', '')} · paragraph {record.get('paragraph', '')} · "
        f"sentence {record.get('sentence', '')} · {record.get('sentence_id', '')}"
    )
    parts.append(
        f'<div dir="ltr" style="font-size: 0.8em; color: #8c8c8c; text-align: left;">{_esc(where)}</div>'
    )
    parts.append("</div>")
    return "".join(parts)


# ---------------------------------------------------------------- evidence

#: What the panel's colours mean.
LEGEND = (
    '<div class="wb-legend" dir="ltr" style="font-size: 0.8em; color: #595959; margin-top: 4px;">'
    f'<mark style="{_MARK_STYLE["topic"]}">topic term</mark> · '
    f'<mark style="{_MARK_STYLE["actor"]}">actor</mark> · '
    f'<mark style="{_MARK_OTHER}">both</mark> · <span style="color: #ad4e00;">changed by hand</span> · '
    '<span style="text-decoration: line-through;">removed by hand</span> · '
    "hover a highlight for its rule</div>"
)


@dataclass(frozen=True)
class Evidence:
    """One line of the evidence list.

    ``kind`` is ``topic``, ``actor`` or ``speaker``; ``text`` says what decided it (plain
    text, escaped when shown); ``undo`` is the correction that takes it back, as
    ``(field, action, value)`` (None when there is nothing to take back); ``by_hand``
    says whether the analyst added it, ``removed`` whether it was automatic and taken out.
    """

    kind: str
    key: str
    text: str
    undo: tuple[str, str, Any] | None
    by_hand: bool = False
    removed: bool = False


def isolated(text: Any) -> str:
    """``text`` between Unicode isolates (FSI … PDI): it keeps its own direction inside a
    line of the other one, so «بوتين» (alias:بوتين) keeps its punctuation in place."""
    return f"\u2068{text}\u2069"


def _matched(record: Mapping[str, Any], kind: str, key: str) -> str:
    found = [
        f"«{isolated(m.get('surface', ''))}» ({isolated(m.get('rule', ''))})"
        for m in record.get("mentions", ())
        if m.get("kind") == kind and m.get("key") == key
    ]
    return ", ".join(dict.fromkeys(found))


def _keyed(
    record: Mapping[str, Any], kind: str, field: str, codebook: CodebookSummary | None
) -> list[Evidence]:
    out = []
    current, auto = list(record.get(field, ())), list(record.get("auto", {}).get(field, ()))
    for key in dict.fromkeys([*current, *auto]):
        name = display.label(key, labels="both", codebook=codebook)
        matched = _matched(record, kind, key)
        if key in current and key in auto:
            out.append(
                Evidence(
                    kind,
                    key,
                    f"{kind} {name}: matched {matched or 'by the automatic pass'}",
                    (field, "remove", key),
                )
            )
        elif key in current:
            out.append(
                Evidence(kind, key, f"{kind} {name}: added by hand", (field, "remove", key), by_hand=True)
            )
        else:
            out.append(
                Evidence(
                    kind,
                    key,
                    f"{kind} {name}: removed by hand (the automatic pass matched {matched or 'it'})",
                    (field, "add", key),
                    removed=True,
                )
            )
    return out


def _speaker(record: Mapping[str, Any], codebook: CodebookSummary | None) -> Evidence | None:
    speaker, auto = record.get("speaker", ""), record.get("auto", {}).get("speaker", "")
    rule = record.get("auto", {}).get("speaker_rule", "")
    fields = rule_fields(rule)
    how = [
        f"{name} {isolated(fields[name])}"
        for name in ("verb", "subject", "source", "via", "carried")
        if fields.get(name)
    ]
    how.append(f"rule {isolated(rule)}" if rule else "no rule recorded")
    confidence = record.get("confidence")
    if confidence is not None and confidence == confidence:
        how.append(f"confidence {float(confidence):.2f}")
    if speaker and speaker == auto:
        name = display.label(speaker, labels="both", codebook=codebook)
        return Evidence("speaker", speaker, f"speaker {name}: " + " · ".join(how), ("speaker", "set", ""))
    if speaker:
        name = display.label(speaker, labels="both", codebook=codebook)
        was = display.label(auto, labels="both", codebook=codebook) if auto else "no speaker"
        return Evidence(
            "speaker",
            speaker,
            f"speaker {name}: set by hand (automatic: {was})",
            ("speaker", "set", auto),
            by_hand=True,
        )
    if auto:
        name = display.label(auto, labels="both", codebook=codebook)
        return Evidence(
            "speaker",
            auto,
            f"speaker {name}: removed by hand (automatic: " + " · ".join(how) + ")",
            ("speaker", "set", auto),
            removed=True,
        )
    return None


def evidence_items(record: Mapping[str, Any], codebook: CodebookSummary | None = None) -> list[Evidence]:
    """Every decision on one sentence, with its evidence: topics, actors, then the speaker.

    Parameters
    ----------
    record : mapping
        A :meth:`Store.sentence_record` dict (``confidence`` is used when present).
    codebook : CodebookSummary, optional
        Labels (default: the default codebook's).

    Returns
    -------
    list of Evidence
        Current topics and actors (matched automatically, or added by hand), automatic
        ones removed by hand, and the speaker; each with the correction that takes it back.
    """
    items = _keyed(record, "topic", "topics", codebook) + _keyed(record, "actor", "actors", codebook)
    speaker = _speaker(record, codebook)
    return items + ([speaker] if speaker else [])


# ---------------------------------------------------------------- messages


def automatic_html(record: Mapping[str, Any], codebook: CodebookSummary | None = None) -> str:
    """One line saying whether the sentence is as the automatic annotation, or what that had.

    Parameters
    ----------
    record : mapping
        A :meth:`Store.sentence_record` dict.
    codebook : CodebookSummary, optional
        Labels (default: the default codebook's).

    Returns
    -------
    str
        Escaped HTML.
    """
    auto = record["auto"]
    differs = []
    for field in ("topics", "actors", "speaker", "statement_type"):
        if record[field] != auto[field]:
            value = auto[field]
            if isinstance(value, list):
                shown = "; ".join(display.label(k, labels="both", codebook=codebook) for k in value)
            elif field == "speaker" and value:
                shown = display.label(value, labels="both", codebook=codebook)
            else:
                shown = value
            differs.append(f"{field}: {shown or '—'}")
    if not differs:
        n = record["n_corrections"]
        text = f"As the automatic annotation ({n} correction{'' if n == 1 else 's'} in effect)."
    else:
        text = "Corrected; the automatic annotation had " + " · ".join(differs) + "."
    style = f"font-size: 0.85em; color: {'#ad4e00' if differs else '#8c8c8c'}; font-family: {FONT_STACK};"
    return f'<div dir="auto" style="{style}">{_esc(text)}</div>'



def change_sentence(field: str, action: str, value: Any, codebook: CodebookSummary | None = None) -> str:
    """One journaled change in the analyst's words, e.g. "the topic إيران (Iran) added".

    Parameters
    ----------
    field, action, value
        As :meth:`Store.correct` takes them.
    codebook : CodebookSummary, optional
        Labels (default: the default codebook's).

    Returns
    -------
    str
    """

    def name(key: Any) -> str:
        return display.label(str(key), labels="both", codebook=codebook)

    if field in ("topics", "actors"):
        noun = "topic" if field == "topics" else "actor"
        if action == "set":
            keys = [k for k in (value if isinstance(value, (list, tuple)) else str(value).split(";")) if k]
            return f"the {field} set to {', '.join(map(name, keys)) or 'none'}"
        return f"the {noun} {name(value)} {'added' if action == 'add' else 'removed'}"
    if field == "speaker":
        return f"the speaker set to {name(value)}" if value else "the speaker removed"
    if field == "statement_type":
        return f"the statement type set to {name(value)}" if value else "the statement type cleared"
    if field == "reviewed":
        flag = value if isinstance(value, bool) else str(value).lower() == "true"
        return "marked as reviewed" if flag else "the reviewed mark taken off"
    if field == "note":
        return "the note saved" if value else "the note cleared"
    return f"{field} {action} {value!r}"


def write_failure(exc: BaseException, *, store_path: Any = "") -> str:
    """Why a write failed, in plain words, and what to do.

    Parameters
    ----------
    exc : BaseException
        One of :data:`WRITE_FAILURES`.
    store_path : path, optional
        The store file, named in the message.

    Returns
    -------
    str
    """
    text = str(exc).lower()
    if isinstance(exc, StoreWriteError):  # it says why; its reason picks the words below
        text = {"locked": "locked", "read-only": "read-only", "disk full": "disk full"}.get(exc.reason, text)
    where = f" ({store_path})" if store_path else ""
    if "locked" in text or "busy" in text:
        why = (
            f"another program is writing to the store{where} and did not finish in time. "
            "Try again in a moment"
        )
    elif "readonly" in text or "read-only" in text or "permission" in text:
        why = f"the store file{where} cannot be written (it is read-only). Make it writable, then try again"
    elif "disk" in text or "full" in text:
        why = f"the disk holding the store{where} is full. Free some space, then try again"
    else:
        why = f"the store{where} refused the change ({exc}). Try again"
    return f"Not saved: {why}. The panel shows what the store holds."
