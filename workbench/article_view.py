"""The article view: a whole document in reading order, with its codings in the margin.

    view = wb.ArticleView(store, panel=panel)   # follows the review panel
    view

Each sentence is one line of the view, right to left: in the margin (on the right, where
an Arabic line begins) a coding stripe per topic of the codebook, coloured when the
sentence has that topic, then a speaker mark naming who the sentence reports, with the
confidence of the automatic decision; then the sentence with its matched spans
highlighted. Paragraphs are set apart; page furniture (captions, bylines, share lines …)
is greyed. A legend says what every colour and mark means, and hovering a stripe, a mark
or a highlighted span gives its evidence (the term and rule that matched, the reporting
verb and subject).

Clicking a sentence opens it in the review panel; a correction made in the panel shows
in the view at once (the panel tells the view about every sentence it shows, and the
view redraws only that line). The view is one ``HTML`` widget: on a 5,000-word article
it is built once in a fraction of a second, and a correction rewrites one line of it.

Article text is untrusted: every piece of text is HTML-escaped before it reaches the page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from workbench.display import label as display_label
from workbench.widgets import FONT_STACK, highlight_html

if TYPE_CHECKING:  # pragma: no cover
    from workbench.codebook import CodebookSummary
    from workbench.store import Store
    from workbench.widgets import ReviewPanel

__all__ = ["ArticleView", "article_html", "legend_html", "topic_colors"]

#: Stripe colours, in codebook order (Okabe–Ito: told apart with most colour blindness).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#8C6D31", "#444444")

_CSS = """<style>
.wb-article { font-family: %(font)s; direction: rtl; line-height: 1.9; }
.wb-av-title { font-weight: bold; font-size: 1.15em; margin-bottom: 6px; }
.wb-av-para { margin-top: 0.7em; }
.wb-av-row { display: flex; flex-direction: row; align-items: stretch; cursor: pointer; border-radius: 3px; }
.wb-av-row:hover { background: #f5f8ff; }
.wb-av-row.wb-av-selected { background: #e6f0ff; outline: 2px solid #1677ff; }
.wb-av-stripes { display: flex; flex: 0 0 auto; gap: 2px; margin-left: 6px; }
.wb-av-stripe { width: 7px; }
.wb-av-stripe.wb-av-manual {
  background-image: repeating-linear-gradient(45deg, transparent 0 3px, #fff 3px 5px); }
.wb-av-stripe.wb-av-removed { box-shadow: inset 0 0 0 1px #8c8c8c; background: transparent !important; }
.wb-av-speaker { flex: 0 0 8.5em; font-size: 0.8em; color: #1d39c4; overflow: hidden; white-space: nowrap;
  text-overflow: ellipsis; margin-left: 6px; }
.wb-av-speaker.wb-av-manual { color: #ad4e00; }
.wb-av-text { flex: 1 1 auto; unicode-bidi: plaintext; text-align: start; }
.wb-av-furniture .wb-av-text { color: #a6a6a6; font-size: 0.9em; }
.wb-av-legend { font-size: 0.85em; color: #434343; margin: 4px 0 8px; display: flex; flex-wrap: wrap;
  gap: 4px 14px; direction: rtl; align-items: center; }
.wb-av-swatch { display: inline-block; width: 10px; height: 1.1em; vertical-align: middle; margin-left: 4px; }
</style>""".replace("%(font)s", FONT_STACK)

_MARK = re.compile(r"<mark ")


def _esc(text: Any) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def topic_colors(topics: Sequence[str]) -> dict[str, str]:
    """The stripe colour of each topic, in codebook order (the palette repeats after eight)."""
    return {key: PALETTE[i % len(PALETTE)] for i, key in enumerate(topics)}


def _label(key: str, codebook: CodebookSummary | None, *, language: str = "both") -> str:
    return display_label(key, labels=language, codebook=codebook)


def _topic_evidence(record: Mapping[str, Any], key: str) -> str:
    found = [
        f"{m.get('surface', '')} ({m.get('rule', '')})"
        for m in record.get("mentions", ())
        if m.get("kind") == "topic" and m.get("key") == key
    ]
    return "; ".join(found)


def _stripes(
    record: Mapping[str, Any],
    index: int,
    topics: Sequence[str],
    colors: Mapping[str, str],
    codebook: CodebookSummary | None,
) -> str:
    cells = []
    current, auto = set(record.get("topics", ())), set(record.get("auto", {}).get("topics", ()))
    for key in topics:
        name = _label(key, codebook)
        if key in current:
            kind = "" if key in auto else " wb-av-manual"
            evidence = _topic_evidence(record, key)
            title = (
                f"{name}: "
                + (evidence if key in auto else "added by hand")
                + (f" — matched {evidence}" if key not in auto and evidence else "")
            )
            style = f' style="background: {colors[key]};"'
        elif key in auto:
            kind, style, title = (
                " wb-av-removed",
                "",
                f"{name}: removed by hand (automatic: {_topic_evidence(record, key)})",
            )
        else:
            kind, style, title = "", "", ""
        title_attr = f' title="{_esc(title)}"' if title else ""
        cells.append(f'<span class="wb-av-stripe wb-s-{index}{kind}"{style}{title_attr}></span>')
    return f'<span class="wb-av-stripes wb-s-{index}">{"".join(cells)}</span>'


def _speaker(record: Mapping[str, Any], index: int, codebook: CodebookSummary | None) -> str:
    speaker = record.get("speaker", "")
    auto = record.get("auto", {}).get("speaker", "")
    confidence = record.get("confidence")
    rule = record.get("auto", {}).get("speaker_rule", "")
    shown, kind = "", ""
    if speaker:
        shown = _label(speaker, codebook, language="ar")
    if speaker != auto:
        kind = " wb-av-manual"
        title = f"speaker {speaker or 'none'} set by hand (automatic: {auto or 'none'}"
        title += f", {rule})" if rule else ")"
        shown = ("✎ " + shown) if shown else "✎ —"
    elif speaker:
        title = f"speaker {_label(speaker, codebook)}: {rule}" if rule else f"speaker {speaker}"
    else:
        title = "no speaker" + (f": {rule}" if rule else "")
    if confidence is not None and confidence == confidence:
        title += f" · confidence {float(confidence):.2f}"
        if speaker and speaker == auto:
            shown += f" · {float(confidence):.1f}"
    if record.get("reviewed"):
        shown = "✓ " + shown
        title += " · reviewed"
    return f'<span class="wb-av-speaker wb-s-{index}{kind}" title="{_esc(title)}">{_esc(shown)}</span>'


def sentence_row(
    record: Mapping[str, Any],
    index: int,
    *,
    topics: Sequence[str],
    colors: Mapping[str, str],
    codebook: CodebookSummary | None,
    selected: bool = False,
) -> str:
    """One line of the article view: stripes, speaker mark and the highlighted sentence."""
    text = _MARK.sub(
        f'<mark class="wb-s-{index}" ',
        highlight_html(str(record.get("text", "")), record.get("mentions", ())),
    )
    classes = f"wb-av-row wb-s-{index}"
    if record.get("furniture"):
        classes += " wb-av-furniture"
    if selected:
        classes += " wb-av-selected"
    return (
        f'<div class="{classes}" data-sentence-id="{_esc(record.get("sentence_id", ""))}">'
        f"{_stripes(record, index, topics, colors, codebook)}{_speaker(record, index, codebook)}"
        f'<span class="wb-av-text wb-s-{index}" dir="auto">{text}</span></div>'
    )


def legend_html(topics: Sequence[str], *, codebook: CodebookSummary | None = None) -> str:
    """What the stripes, marks and highlights of the article view mean.

    Parameters
    ----------
    topics : sequence of str
        Topic keys in codebook order (one stripe each, in this order from the right).
    codebook : CodebookSummary, optional
        Where the labels come from (default: the default codebook).

    Returns
    -------
    str
        HTML, every label escaped and isolated (``<bdi>``).
    """
    colors = topic_colors(topics)
    parts = [
        f'<span><span class="wb-av-swatch" style="background: {colors[k]};"></span>'
        f"<bdi>{_esc(_label(k, codebook))}</bdi></span>"
        for k in topics
    ]
    parts += [
        '<span><span class="wb-av-swatch wb-av-stripe wb-av-manual" style="background: #595959;"></span>'
        "added by hand</span>",
        '<span><span class="wb-av-swatch wb-av-stripe wb-av-removed"></span>removed by hand</span>',
        '<span><mark style="background: #ffe58f;">term</mark> topic term</span>',
        '<span><mark style="background: #bae0ff;">name</mark> actor</span>',
        '<span><mark style="background: #d9f7be;">both</mark> topic and actor</span>',
        '<span style="color: #1d39c4;">بوتين · 0.9</span><span>speaker · confidence</span>',
        '<span style="color: #ad4e00;">✎</span><span>speaker set by hand</span>',
        "<span>✓ reviewed</span>",
        '<span style="color: #a6a6a6;">page furniture (greyed)</span>',
        "<span>hover for the evidence, click a sentence to review it</span>",
    ]
    return f'<div class="wb-av-legend">{"".join(parts)}</div>'


def article_html(
    records: Sequence[Mapping[str, Any]],
    *,
    topics: Sequence[str],
    codebook: CodebookSummary | None = None,
    title: str = "",
    selected: str | None = None,
    style: bool = True,
) -> str:
    """The whole article view of one document as HTML.

    Parameters
    ----------
    records : sequence of mapping
        The document's sentences in reading order, as :meth:`Store.sentence_record`
        returns them (``furniture`` and ``confidence`` are used when present).
    topics : sequence of str
        Topic keys in codebook order (one stripe each).
    codebook : CodebookSummary, optional
        Labels for stripe titles and speaker marks (default: the default codebook).
    title : str, default ""
        The document's title, shown above it.
    selected : str, optional
        The sentence id to outline (the one the review panel shows).
    style : bool, default True
        Put the view's ``<style>`` rules in front (the widget shows them apart).

    Returns
    -------
    str
        HTML in a ``dir="rtl"`` block; each sentence's elements carry the class
        ``wb-s-<n>``, ``n`` its place in ``records``.
    """
    pieces = _pieces(records, topics=topics, codebook=codebook, title=title, selected=selected)
    return (_CSS if style else "") + "".join(pieces)


def _pieces(
    records: Sequence[Mapping[str, Any]],
    *,
    topics: Sequence[str],
    codebook: CodebookSummary | None,
    title: str,
    selected: str | None,
) -> list[str]:
    """The view as a list: head, then one piece per sentence (a paragraph break goes with
    the first sentence of each paragraph), then the end."""
    colors = topic_colors(topics)
    pieces = [
        f'<div class="wb-article" dir="rtl" lang="ar"><div class="wb-av-title" dir="auto">{_esc(title)}</div>'
    ]
    previous = None
    for i, record in enumerate(records):
        row = sentence_row(
            record,
            i,
            topics=topics,
            colors=colors,
            codebook=codebook,
            selected=record.get("sentence_id") == selected,
        )
        paragraph = record.get("paragraph")
        if paragraph != previous:
            row = ("</div>" if previous is not None else "") + '<div class="wb-av-para">' + row
            previous = paragraph
        pieces.append(row)
    pieces.append(("</div>" if previous is not None else "") + "</div>")
    return pieces


class ArticleView:
    """A whole article with its codings; a click on a sentence opens it in the review panel.

    ``view.widget`` is the ``VBox`` shown (``display(view)`` or ending a cell with ``view``
    shows it): ``documents`` (a ``Dropdown`` of the store's documents), ``legend`` and
    ``body`` (``HTML``), inside a scrolling box.

    Parameters
    ----------
    store : Store
        The store to read (:class:`workbench.store.Store`).
    panel : ReviewPanel, optional
        The review panel to open clicked sentences in; the view follows the sentence it
        shows and redraws it after every correction.
    annotator : str, optional
        Whose corrections to show (default: the panel's annotator, else everyone's).
    doc_id : str, optional
        The document to show first (default: the panel's, else the first document).
    """

    def __init__(
        self,
        store: Store,
        *,
        panel: ReviewPanel | None = None,
        annotator: str | None = None,
        doc_id: str | None = None,
    ) -> None:
        import ipywidgets as w
        from ipyevents import Event

        self.store = store
        self.panel = panel
        self._annotator = annotator
        self._codebook = store.codebook()
        self._topics = self._codebook.topic_keys
        docs = store.documents()
        options = [
            (f"{t or d} · {d}" if t and t != d else d, d)
            for d, t in zip(docs["doc_id"], docs["title"], strict=True)
        ]
        self.documents = w.Dropdown(options=options, description="article", layout=w.Layout(width="36em"))
        self.legend = w.HTML(legend_html(self._topics, codebook=self._codebook))
        self.body = w.HTML(layout=w.Layout(width="100%"))
        self.body.add_class("wb-article-view")
        box = w.Box([self.body], layout=w.Layout(max_height="40em", overflow="auto", width="100%"))
        self.widget = w.VBox([w.HTML(_CSS), self.documents, self.legend, box], layout=w.Layout(width="100%"))
        self.widget.add_class("wb-article-panel")
        self._ids: list[str] = []
        self._records: list[dict[str, Any]] = []
        self._pieces: list[str] = []
        self._selected: int | None = None
        self._clicks = Event(source=self.body, watched_events=["click"])
        self._clicks.on_dom_event(self._on_click)
        self.documents.observe(lambda change: self.show(change["new"]), names="value")
        if panel is not None:
            panel.on_show(self._on_panel)
            doc_id = doc_id or (panel.record or {}).get("doc_id")
        known = [value for _, value in options]
        if known:
            self.show(doc_id if doc_id in known else known[0])

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    @property
    def annotator(self) -> str | None:
        """Whose corrections the view shows."""
        return self._annotator or (self.panel.annotator if self.panel is not None else None)

    @property
    def doc_id(self) -> str | None:
        """The document shown."""
        return self.documents.value

    @property
    def sentence_ids(self) -> list[str]:
        """The shown document's sentence ids, in reading order."""
        return list(self._ids)

    def show(self, doc_id: str) -> None:
        """Show one document (read from the store sentence by sentence).

        Parameters
        ----------
        doc_id : str
            The document.
        """
        if self.documents.value != doc_id:
            self.documents.value = doc_id  # observe calls show again
            return
        self._ids = self.store.sentence_ids(doc_id=doc_id)
        self._records = [self.store.sentence_record(sid, annotator=self.annotator) for sid in self._ids]
        title = self._records[0]["title"] if self._records else doc_id
        selected = self.panel.sentence_id if self.panel is not None else None
        self._selected = self._ids.index(selected) if selected in self._ids else None
        self._pieces = _pieces(
            self._records, topics=self._topics, codebook=self._codebook, title=title, selected=selected
        )
        self.body.value = "".join(self._pieces)

    def open_sentence(self, sentence_id: str) -> None:
        """What a click does: open the sentence in the review panel (and outline it here).

        Parameters
        ----------
        sentence_id : str
            A sentence of the shown document.
        """
        if self.panel is not None:
            self.panel.show(sentence_id)
        else:
            self._redraw(self._ids.index(sentence_id), None, selected=sentence_id)

    def _on_click(self, event: Mapping[str, Any]) -> None:
        found = re.search(r"\bwb-s-(\d+)\b", str((event.get("target") or {}).get("className", "")))
        if found and int(found[1]) < len(self._ids):
            self.open_sentence(self._ids[int(found[1])])

    def _on_panel(self, record: Mapping[str, Any] | None) -> None:
        if record is None:
            return
        if record["doc_id"] != self.doc_id:
            self.show(record["doc_id"])
            return
        self._redraw(self._ids.index(record["sentence_id"]), dict(record), selected=record["sentence_id"])

    def _redraw(self, index: int, record: dict[str, Any] | None, *, selected: str) -> None:
        """Redraw one sentence (with a new record) and move the outline to ``selected``."""
        if record is not None:
            self._records[index] = record
        now = self._ids.index(selected) if selected in self._ids else None
        colors = topic_colors(self._topics)
        for i in {index, now, self._selected} - {None}:
            head, _, _ = self._pieces[i + 1].rpartition('<div class="wb-av-row')
            self._pieces[i + 1] = head + sentence_row(
                self._records[i],
                i,
                topics=self._topics,
                colors=colors,
                codebook=self._codebook,
                selected=i == now,
            )
        self._selected = now
        self.body.value = "".join(self._pieces)
