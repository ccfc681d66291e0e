"""The review panel: a thin ipywidgets view over the store's corrections journal.

    import workbench as wb
    store = wb.Store("workbench.sqlite")
    panel = wb.ReviewPanel(store, annotator="huda", queue="unreviewed")
    panel          # the last expression of a cell displays it

:class:`ReviewPanel` is composed of stock ipywidgets 8 widgets (no custom JavaScript);
``panel.widget`` is the ``VBox`` shown, and the panel itself displays that box through
``_repr_mimebundle_``. It holds no annotation state of its own: every change made in it
is written to the store's journal at once (there is no save button), and what it shows is
read back from the store one sentence at a time (:meth:`Store.sentence_record`), so it
opens as fast on a store of 100,000 sentences as on one of ten.

Article text is untrusted. Everything taken from the store (sentence text, context,
document title, matched rules) is HTML-escaped before it reaches an ``HTML`` widget.
"""

from __future__ import annotations

import contextlib
import html
from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from workbench import display
from workbench.checks import check_annotator, check_choice
from workbench.display import ARABIC_FONTS, html_rtl
from workbench.store import QUEUES

if TYPE_CHECKING:  # pragma: no cover
    import ipywidgets

    from workbench.store import Store

__all__ = ["QUEUES", "ReviewPanel", "highlight_html", "sentence_html"]


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
        ``sentence_id`` (missing keys are shown empty).

    Returns
    -------
    str
        HTML in a ``dir="rtl"`` block with an Arabic-capable font stack; every piece of
        text from the record is HTML-escaped.
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
    parts.append(
        '<div class="wb-sentence" style="font-size: 1.3em; margin: 4px 0; padding: 2px 10px; '
        'border-right: 4px solid #1677ff; background: #f5f8ff;">'
        f"{highlight_html(str(record.get('text', '')), record.get('mentions', ()))}</div>"
    )
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


class ReviewPanel:
    """Review and correct automatic annotations one sentence at a time, in a notebook.

    Every change made in the panel (a topic toggle, an actor tag, the speaker, the
    statement type, the note, the "reviewed" tick, undo, reset) is written to the store's
    journal the moment it is made; there is nothing to save. The panel reads only the
    sentence it shows (with its neighbours, mentions and document title), the ids of the
    current queue and the progress counts.

    The panel is not itself a widget: ``panel.widget`` is the ``ipywidgets.VBox`` shown,
    and ``display(panel)`` (or ending a cell with ``panel``) displays that box. Its parts
    are attributes, so scripts and tests can drive them: ``topic_toggles`` (dict of
    ``ToggleButton`` by topic key), ``actors`` (``TagsInput``), ``speaker`` and
    ``statement_type`` (``Dropdown``), ``note`` (``Textarea``), ``reviewed``
    (``Checkbox``), ``previous_button``, ``next_button``, ``jump`` (``Text``) and
    ``jump_button``, ``queue`` and ``queue_topic`` (``Dropdown``), ``other_annotator``
    (``Combobox``), ``annotator_name`` (``Text``), ``undo_button``, ``reset_button``,
    ``progress`` (``IntProgress``) and ``progress_label``, ``sentence_display`` and
    ``automatic`` and ``status`` (``HTML``).

    Parameters
    ----------
    store : Store
        The store to review (:class:`workbench.store.Store`).
    annotator : str
        Who is correcting; the panel shows this annotator's corrections over the
        automatic layer and journals under this name (changeable in the panel).
    queue : {"all", "unreviewed", "topic", "disagreements", "annotator_disagreements"}, default "all"
        Which sentences to go through (see :data:`QUEUES`).
    topic : str, optional
        The topic key of the ``"topic"`` queue (required for it).
    other_annotator : str, optional
        The annotator compared with ``annotator`` in ``"annotator_disagreements"``
        (required for it).

    Raises
    ------
    ValueError
        An empty annotator, an unknown queue, or a queue missing its topic or other
        annotator.
    """

    def __init__(
        self,
        store: Store,
        *,
        annotator: str,
        queue: str = "all",
        topic: str | None = None,
        other_annotator: str | None = None,
    ) -> None:
        import ipywidgets as w

        check_choice("queue", queue, QUEUES)
        self.store = store
        self.annotator = check_annotator(annotator)
        summary = store.codebook()
        self._topics: list[str] = summary.topic_keys
        self._actors: list[str] = summary.actor_ids
        self._statement_types: list[str] = summary.statement_type_keys
        if queue == "topic":
            check_choice("topic", topic, dict.fromkeys(self._topics), context="for queue='topic'")
        if queue == "annotator_disagreements" and not (other_annotator or "").strip():
            raise ValueError(
                "queue='annotator_disagreements' needs `other_annotator=`, the name of the annotator "
                f"to compare with; annotators in this store: {store.annotators()}"
            )
        self._codebook = summary
        self._loading = False
        self._record: dict[str, Any] | None = None
        self._ids: list[str] = []
        self._pos = 0
        self._progress_counts = (0, 0)
        self._listeners: list[Callable[[dict[str, Any] | None], None]] = []
        self._build(w, queue=queue, topic=topic, other_annotator=other_annotator)
        self._load_queue()
        self._update_progress()

    # ---------------------------------------------------------------- building

    def _label(self, key: str, *, labels: str = "both") -> str:
        return display.label(key, labels=labels, codebook=self._codebook)

    def _build(self, w: Any, *, queue: str, topic: str | None, other_annotator: str | None) -> None:
        self._build_editors(w)
        self._build_navigation(w)
        self._build_queue_bar(w, queue=queue, topic=topic, other_annotator=other_annotator)
        self._editors = [*self.topic_toggles.values(), self.actors, self.speaker, self.statement_type,
                         self.reviewed, self.note, self.undo_button, self.reset_button]
        wrap = w.Layout(flex_flow="row wrap", align_items="center")

        def row_label(text: str) -> ipywidgets.Label:
            return w.Label(text, layout=w.Layout(flex="0 0 auto", width="4em"))

        # Stock widgets have no text direction; one style rule lets the note box (and the
        # jump box) follow what is typed: right-to-left for Arabic, left-to-right otherwise.
        style = w.HTML("<style>.wb-note textarea, .wb-jump input "
                       "{unicode-bidi: plaintext; text-align: start;}</style>")
        self.jump.add_class("wb-jump")
        self.widget = w.VBox([
            style,
            w.HBox([self.queue, self.queue_topic, self.other_annotator, self.annotator_name], layout=wrap),
            w.HBox([self.progress, self.progress_label], layout=wrap),
            self.sentence_display,
            w.HBox([row_label("topics"), *self.topic_toggles.values()], layout=wrap),
            w.HBox([row_label("actors"), self.actors], layout=w.Layout(align_items="center")),
            self.actor_names,
            w.HBox([self.speaker, self.statement_type, self.reviewed], layout=wrap),
            self.note,
            self.automatic,
            w.HBox([self.previous_button, self.next_button, self.jump, self.jump_button,
                    self.undo_button, self.reset_button], layout=wrap),
            self.status,
        ], layout=w.Layout(width="100%"))
        self.widget.add_class("wb-review-panel")

    def _build_editors(self, w: Any) -> None:
        """The reading area and the widgets that correct a sentence."""
        arabic = {"font_family": FONT_STACK}
        self.sentence_display = w.HTML(layout=w.Layout(width="100%"))
        self.sentence_display.add_class("wb-sentence-display")

        self.topic_toggles: dict[str, ipywidgets.ToggleButton] = {}
        for key in self._topics:
            button = w.ToggleButton(description=self._label(key), layout=w.Layout(width="auto"), style=arabic)
            button.add_class(f"wb-topic-{key}")
            button.observe(lambda change, key=key: self._on_topic(key, change["new"]), names="value")
            self.topic_toggles[key] = button

        self.actors = w.TagsInput(allowed_tags=list(self._actors), allow_duplicates=False,
                                  layout=w.Layout(flex="1 1 auto"))
        self.actors.observe(self._on_actors, names="value")
        self.actor_names = w.HTML()
        none = [("— none —", "")]
        self.speaker = w.Dropdown(
            description="speaker", options=none + [(self._label(a), a) for a in self._actors], value=""
        )
        self.speaker.observe(lambda change: self._on_set("speaker", change["new"]), names="value")
        self.statement_type = w.Dropdown(
            description="statement",
            options=none + [(self._label(t), t) for t in self._statement_types],
            value="",
        )
        self.statement_type.observe(
            lambda change: self._on_set("statement_type", change["new"]), names="value"
        )
        self.reviewed = w.Checkbox(description="reviewed", indent=False)
        self.reviewed.add_class("wb-reviewed")
        self.reviewed.observe(lambda change: self._on_set("reviewed", change["new"]), names="value")
        self.note = w.Textarea(placeholder="note (saved when you leave the box)", continuous_update=False,
                               layout=w.Layout(width="100%", height="4em"))
        self.note.add_class("wb-note")
        self.note.observe(lambda change: self._on_set("note", change["new"]), names="value")
        self.automatic = w.HTML()

    def _build_navigation(self, w: Any) -> None:
        """Previous, next, jump, undo and reset."""
        auto = w.Layout(width="auto")
        self.previous_button = w.Button(description="previous", icon="arrow-left", layout=auto,
                                        tooltip="previous sentence of the queue")
        self.next_button = w.Button(description="next", icon="arrow-right", layout=auto,
                                    tooltip="next sentence of the queue")
        self.previous_button.add_class("wb-previous-button")
        self.next_button.add_class("wb-next-button")
        self.previous_button.on_click(lambda _: self.previous())
        self.next_button.on_click(lambda _: self.next())
        self.jump = w.Text(placeholder="sentence id, or number in the queue", continuous_update=False,
                           layout=w.Layout(width="22em"))
        self.jump.observe(lambda change: self._on_jump(change["new"]), names="value")
        self.jump_button = w.Button(description="go", layout=auto)
        self.jump_button.on_click(lambda _: self._on_jump(self.jump.value))
        self.undo_button = w.Button(
            description="undo", icon="undo", layout=auto, tooltip="revert your latest correction"
        )
        self.reset_button = w.Button(
            description="reset to automatic",
            icon="eraser",
            layout=auto,
            tooltip="bring topics, actors, speaker and statement type back to the automatic values",
        )
        self.undo_button.add_class("wb-undo-button")
        self.reset_button.add_class("wb-reset-button")
        self.undo_button.on_click(lambda _: self.undo())
        self.reset_button.on_click(lambda _: self.reset_to_automatic())

    def _build_queue_bar(self, w: Any, *, queue: str, topic: str | None, other_annotator: str | None) -> None:
        """The queue, its topic or other annotator, who is reviewing, and the progress."""
        self.queue = w.Dropdown(description="queue", options=[(label, key) for key, label in QUEUES.items()],
                                value=queue)
        self.queue_topic = w.Dropdown(
            description="topic",
            options=[(self._label(t), t) for t in self._topics],
            value=topic if topic in self._topics else (self._topics[0] if self._topics else None),
        )
        self.other_annotator = w.Combobox(description="other", placeholder="annotator to compare with",
                                          options=[a for a in self.store.annotators() if a != self.annotator],
                                          value=(other_annotator or "").strip(), ensure_option=False,
                                          continuous_update=False)
        for widget in (self.queue, self.queue_topic, self.other_annotator):
            widget.observe(lambda change: self._on_queue(), names="value")
        self.annotator_name = w.Text(description="annotator", value=self.annotator, continuous_update=False)
        self.annotator_name.observe(lambda change: self._on_annotator(change["new"]), names="value")
        self.progress = w.IntProgress(min=0, max=1, value=0, layout=w.Layout(width="12em"))
        self.progress_label = w.Label()
        self.status = w.HTML()
        self._show_queue_options()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    # ---------------------------------------------------------------- public

    @property
    def sentence_id(self) -> str | None:
        """The id of the sentence shown (None when the queue is empty)."""
        return None if self._record is None else self._record["sentence_id"]

    @property
    def record(self) -> dict[str, Any] | None:
        """The shown sentence as :meth:`Store.sentence_record` returned it (a copy)."""
        return None if self._record is None else dict(self._record)

    @property
    def queue_ids(self) -> list[str]:
        """The sentence ids of the current queue, as read when the queue was chosen."""
        return list(self._ids)

    def on_show(self, callback: Callable[[dict[str, Any] | None], None]) -> None:
        """Call ``callback(record)`` each time the panel shows a sentence: after moving to
        it and after every change to it is saved (``record`` as :attr:`record`; None when
        the queue is empty). The article view follows the panel this way.

        Parameters
        ----------
        callback : callable
            Called with one argument.
        """
        self._listeners.append(callback)

    def next(self) -> None:
        """Show the next sentence of the queue."""
        if self._pos + 1 >= len(self._ids):
            self._say("this is the last sentence of the queue")
            return
        self._go(self._pos + 1)

    def previous(self) -> None:
        """Show the previous sentence of the queue."""
        if self._pos <= 0:
            self._say("this is the first sentence of the queue")
            return
        self._go(self._pos - 1)

    def show(self, sentence_id: str) -> None:
        """Show one sentence; when the current queue lacks it, switch to all sentences.

        Parameters
        ----------
        sentence_id : str
            The sentence to show.

        Raises
        ------
        KeyError
            No such sentence in the store.
        """
        if sentence_id in self._ids:
            self._go(self._ids.index(sentence_id))
            return
        self.store.sentence_record(sentence_id)  # raises KeyError naming the store
        with self._quiet():
            self.queue.value = "all"
            self._show_queue_options()
        self._ids = self.store.sentence_ids(queue="all")
        self._go(self._ids.index(sentence_id))
        self._say(
            f"showing {sentence_id} in the queue of all sentences (it is not in the queue chosen before)"
        )

    def undo(self) -> None:
        """Revert your latest correction (the journal gets a reverting entry) and show its sentence."""
        entry = self.store.undo(annotator=self.annotator)
        if entry is None:
            self._say(f"nothing to undo for {self.annotator}")
            return
        journal = self.store.journal(annotator=self.annotator)
        row = journal[journal["id"] == entry].iloc[0]
        undone = journal[journal["id"] == row["reverts"]].iloc[0]
        message = f"undone #{undone['id']}: {undone['field']} {undone['action']} {undone['value']!r}"
        target = row["sentence_id"]
        try:
            self.store.sentence_record(target)
        except KeyError:  # an orphaned correction: its sentence's text changed since
            message += f" on {target}, a sentence no longer in the store"
            if target == self.sentence_id:
                self._reload()
        else:
            if target == self.sentence_id:
                self._reload()
            else:
                self.show(target)
        self._update_progress()
        self._say(message)

    def reset_to_automatic(self) -> None:
        """Bring the shown sentence's topics, actors, speaker and statement type back to
        the automatic values (journaled; the note and the reviewed tick stay)."""
        if self._record is None:
            return
        sid = self._record["sentence_id"]
        try:
            ids = list(self.store.reset_to_automatic(sid, annotator=self.annotator))
            record = self.store.sentence_record(sid, annotator=self.annotator)
            # The store compares with everyone's corrections; make this annotator's view automatic too.
            for field in ("topics", "actors", "speaker", "statement_type"):
                if record[field] != record["auto"][field]:
                    ids.append(
                        self.store.correct(sid, field, "set", record["auto"][field], annotator=self.annotator)
                    )
        except ValueError as exc:
            self._say(str(exc), error=True)
        else:
            self._say(f"reset to automatic ({len(ids)} journal entries)" if ids else "already automatic")
        self._reload()

    # ---------------------------------------------------------------- loading

    @contextlib.contextmanager
    def _quiet(self) -> Iterator[None]:
        """Set widget values without journaling them (observers see ``_loading``)."""
        before, self._loading = self._loading, True
        try:
            yield
        finally:
            self._loading = before

    def _show_queue_options(self) -> None:
        self.queue_topic.layout.display = "" if self.queue.value == "topic" else "none"
        self.other_annotator.layout.display = "" if self.queue.value == "annotator_disagreements" else "none"

    def _load_queue(self, *, keep: str | None = None) -> None:
        queue = self.queue.value
        other = (self.other_annotator.value or "").strip()
        if queue == "annotator_disagreements" and not other:
            self._ids = []
            self._go(0)
            self._say("type the name of the annotator to compare with in 'other'")
            return
        if queue == "topic" and self.queue_topic.value is None:
            self._ids = []
        else:
            self._ids = self.store.sentence_ids(
                queue=queue,
                topic=self.queue_topic.value if queue == "topic" else None,
                annotator=self.annotator,
                other=other or None,
            )
        self._go(self._ids.index(keep) if keep in self._ids else 0)

    def _go(self, pos: int) -> None:
        if not self._ids:
            self._pos = 0
            self._record = None
            self._show_record()
            return
        self._pos = max(0, min(pos, len(self._ids) - 1))
        if self._read(self._ids[self._pos]):
            self._show_record()
            self._say("")

    def _reload(self) -> None:
        if self._record is None or self._read(self._record["sentence_id"]):
            self._show_record()

    def _read(self, sentence_id: str) -> bool:
        """Read one sentence's record; when it is gone from the store (its document was
        annotated again with other text), read the queue again and say so."""
        try:
            self._record = self.store.sentence_record(sentence_id, annotator=self.annotator)
            return True
        except KeyError:
            self._record = None
            self._ids = [i for i in self._ids if i != sentence_id]
            self._go(self._pos)
            self._say(f"sentence {sentence_id} is no longer in the store (its document was annotated again "
                      "with other text); its corrections are kept as orphans", error=True)
            return False

    def _update_progress(self) -> None:
        done, total = self.store.progress(annotator=self.annotator)
        self.progress.max = max(total, 1)
        self.progress.value = done
        self._progress_counts = (done, total)
        self._show_position()

    def _show_position(self) -> None:
        done, total = self._progress_counts
        where = f"{self._pos + 1} of {len(self._ids)} in queue" if self._ids else "queue is empty"
        self.progress_label.value = f"{done} / {total} reviewed · {where}"

    def _show_record(self) -> None:
        rec = self._record
        with self._quiet():
            for widget in self._editors:
                widget.disabled = rec is None
            self._show_position()
            if rec is None:
                empty = ("this store has no sentences yet: annotate a corpus into it first"
                         if not self.store.sentence_count() else "this queue is empty")
                self.sentence_display.value = f'<div class="wb-review-text"><i>{_esc(empty)}</i></div>'
                self.automatic.value = self.actor_names.value = ""
                return
            self.sentence_display.value = sentence_html(rec)
            auto = rec["auto"]
            for key, button in self.topic_toggles.items():
                on, auto_on = key in rec["topics"], key in auto["topics"]
                button.value = on
                if on == auto_on:
                    button.button_style, button.icon = ("info", "check") if on else ("", "")
                else:
                    button.button_style, button.icon = ("success" if on else "danger"), "pencil"
                state = "corrected" if on != auto_on else "as automatic"
                button.tooltip = (f"{self._label(key)}: automatic {'on' if auto_on else 'off'}, "
                                  f"now {'on' if on else 'off'} ({state})")
            self.actors.allowed_tags = list(dict.fromkeys([*self._actors, *rec["actors"]]))
            self.actors.value = list(rec["actors"])
            self.actor_names.value = self._names_html(rec["actors"])
            for dropdown, field in ((self.speaker, "speaker"), (self.statement_type, "statement_type")):
                values = [v for _, v in dropdown.options]
                missing = [v for v in (rec[field], auto[field]) if v not in values]
                if missing:
                    dropdown.options = [
                        *dropdown.options,
                        *((self._label(v), v) for v in dict.fromkeys(missing)),
                    ]
                dropdown.value = rec[field]
            self.reviewed.value = bool(rec["reviewed"])
            self.note.value = rec["note"]
            self.automatic.value = self._automatic_html(rec)
        for callback in self._listeners:
            callback(self.record)

    def _names_html(self, keys: Sequence[str]) -> str:
        if not keys:
            return ""
        names = " · ".join(_esc(self._label(k, labels="ar")) for k in keys)
        return f'<div dir="rtl" style="font-family: {FONT_STACK}; color: #434343;">{names}</div>'

    def _automatic_html(self, rec: Mapping[str, Any]) -> str:
        auto = rec["auto"]
        differs = []
        for field in ("topics", "actors", "speaker", "statement_type"):
            if rec[field] != auto[field]:
                value = auto[field]
                shown = "; ".join(self._label(k) for k in value) if isinstance(value, list) else (
                    self._label(value) if field == "speaker" and value else value)
                differs.append(f"{field}: {shown or '—'}")
        if not differs:
            n = rec["n_corrections"]
            text = f"as the automatic annotation ({n} correction{'' if n == 1 else 's'} in effect)"
        else:
            text = "corrected; the automatic annotation had " + " · ".join(differs)
        color = "#8c8c8c" if not differs else "#ad4e00"
        style = f"font-size: 0.85em; color: {color}; font-family: {FONT_STACK};"
        return f'<div dir="auto" style="{style}">{_esc(text)}</div>'

    def _say(self, message: str, *, error: bool = False) -> None:
        color = "#cf1322" if error else "#389e0d"
        self.status.value = f'<span style="color: {color};">{_esc(message)}</span>' if message else ""

    # ---------------------------------------------------------------- journaling

    def _journal(self, writes: Sequence[tuple[str, str, Any]]) -> None:
        """Write corrections of the shown sentence, then show what the store now holds."""
        rec = self._record
        if self._loading or rec is None or not writes:
            return
        was_reviewed = rec["reviewed"]
        done = []
        try:
            for field, action, value in writes:
                entry = self.store.correct(rec["sentence_id"], field, action, value, annotator=self.annotator)
                done.append(f"#{entry} {field} {action} {value!r}")
        except ValueError as exc:  # CorrectionError: unknown key, empty annotator …
            self._say(str(exc), error=True)
        else:
            self._say("saved " + ", ".join(done))
        self._reload()
        if self._record is not None and self._record["reviewed"] != was_reviewed:
            self._update_progress()

    def _on_topic(self, key: str, on: bool) -> None:
        if self._loading or self._record is None or (key in self._record["topics"]) == on:
            return
        self._journal([("topics", "add" if on else "remove", key)])

    def _on_actors(self, change: Mapping[str, Any]) -> None:
        if self._loading or self._record is None:
            return
        old, new = self._record["actors"], list(change["new"])
        writes = [("actors", "remove", k) for k in old if k not in new]
        writes += [("actors", "add", k) for k in dict.fromkeys(new) if k not in old]
        self._journal(writes)

    def _on_set(self, field: str, value: Any) -> None:
        if self._loading or self._record is None:
            return
        if (bool(value) if field == "reviewed" else value) != self._record[field]:
            self._journal([(field, "set", value)])

    def _on_jump(self, text: str) -> None:
        if self._loading:
            return
        text = (text or "").strip()
        with self._quiet():
            self.jump.value = ""
        if not text:
            return
        if text.isdigit():
            number = int(text)
            if not 1 <= number <= len(self._ids):
                self._say(
                    f"there is no sentence number {number} in this queue (it has {len(self._ids)})",
                    error=True,
                )
                return
            self._go(number - 1)
            return
        try:
            self.show(text)
        except KeyError as exc:
            self._say(str(exc.args[0]) if exc.args else str(exc), error=True)

    def _on_queue(self) -> None:
        if self._loading:
            return
        self._show_queue_options()
        self._load_queue(keep=self.sentence_id)
        self._update_progress()

    def _on_annotator(self, name: str) -> None:
        if self._loading:
            return
        try:
            self.annotator = check_annotator(name)
        except ValueError as exc:
            self._say(str(exc), error=True)
            with self._quiet():
                self.annotator_name.value = self.annotator
            return
        with self._quiet():
            self.other_annotator.options = [a for a in self.store.annotators() if a != self.annotator]
        self._load_queue(keep=self.sentence_id)
        self._update_progress()
        self._say(f"now reviewing as {self.annotator}")
