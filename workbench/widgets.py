"""The review panel: a thin ipywidgets view over the store's corrections journal.

    import workbench as wb
    store = wb.Store("workbench.sqlite")
    panel = wb.ReviewPanel(store, annotator="huda", queue="unreviewed")
    panel          # the last expression of a cell displays it

:class:`ReviewPanel` is composed of stock ipywidgets 8 widgets and one invisible listener
for its keys (:func:`workbench.shortcuts.panel_keys`, an anywidget); ``panel.widget`` is the
``VBox`` shown. It holds no annotation state of its
own: every change made in it is written to the store's journal at once (there is no save
button), and what it shows is read back from the store one sentence at a time
(:meth:`Store.sentence_record`), so it opens as fast on 100,000 sentences as on ten.

Once the analyst has clicked anywhere in the panel, it answers the keyboard wherever the
pointer is: digits toggle topics, A or Enter accepts (marks the sentence reviewed as it
stands) and moves on, J/K or the arrows move, U undoes, S picks the speaker, N puts the
cursor in the note box, Esc leaves a box; keys typed into a box are never shortcuts. The
panel lists them (:mod:`workbench.shortcuts`). Beside the sentence, the evidence list names
every automatic decision with its evidence and confidence, each with a button that takes it
back.

A write the store refuses (locked past its timeout, a read-only file) is never shown as
saved: the widgets go back to what the store holds, the status line says why in plain
words, and a typed note stays in its box with a button to try again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from workbench import display
from workbench.actor_names import ActorNames
from workbench.checks import check_annotator, check_choice
from workbench.live_views import LIVE_VIEWS, live_output
from workbench.review_html import (
    FONT_STACK,
    LEGEND,
    WRITE_FAILURES,
    Evidence,
    automatic_html,
    change_sentence,
    evidence_items,
    highlight_html,
    sentence_html,
    write_failure,
)
from workbench.shortcuts import panel_keys, shortcut_action, shortcuts_html
from workbench.store import QUEUES, CorrectionError

if TYPE_CHECKING:  # pragma: no cover
    import ipywidgets

    from workbench.codebook import Codebook
    from workbench.store import Store

__all__ = ["FONT_STACK", "LIVE_VIEWS", "QUEUES", "ReviewPanel", "highlight_html", "sentence_html"]

_EMPTY = {
    "all": "This store has no sentences yet: annotate a corpus into it first.",
    "unreviewed": "This queue is empty: every sentence is marked as reviewed.",
    "topic": "No sentence has this topic now.",
    "disagreements": "This queue is empty: no correction differs from the automatic annotation.",
    "annotator_disagreements": "This queue is empty: the two annotators agree on every sentence.",
}


def _esc(text: Any) -> str:
    import html

    return html.escape("" if text is None else str(text), quote=True)


def _aliases(summary: Any, codebook: Codebook | str | None) -> Codebook | None:
    """The full codebook, for aliases: the one given, else the default codebook when it is
    the one that annotated the store."""
    from workbench.codebook import load_codebook

    if codebook is not None:
        return codebook if hasattr(codebook, "actors") else load_codebook(codebook)
    default = load_codebook()
    return default if default.summary().hash == summary.hash else None


class ReviewPanel:
    """Review and correct automatic annotations one sentence at a time, in a notebook.

    Every change made in the panel (a topic, an actor, the speaker, the statement type, the
    note, the "reviewed" tick, accept, undo, reset) is written to the store's journal the
    moment it is made; there is nothing to save.

    The panel is not itself a widget: ``panel.widget`` is the ``ipywidgets.VBox`` shown.
    Its parts are attributes, so scripts and tests can drive them: ``topic_toggles``
    (``ToggleButton`` by topic key), ``actor_box`` (``Combobox``: type an actor, then Enter),
    ``evidence`` (``VBox`` of the evidence list; ``evidence_buttons`` by ``(kind, key)``),
    ``speaker`` and ``statement_type`` (``Dropdown``), ``note`` (``Textarea``) and
    ``save_note_button``, ``reviewed`` (``Checkbox``), ``previous_button``, ``next_button``,
    ``accept_button``, ``jump`` (``Text``) and ``jump_button``, ``undo_button``,
    ``reset_button``, ``queue`` and ``queue_topic`` (``Dropdown``), ``other_annotator``
    (``Combobox``), ``annotator_name`` (``Text``), ``progress`` and ``progress_label``,
    ``sentence_display``, ``automatic``, ``shortcuts`` and ``status`` (``HTML``), ``keys``
    (the listener of the panel's keys, :func:`workbench.shortcuts.panel_keys`).

    Parameters
    ----------
    store : Store
        The store to review (:class:`workbench.store.Store`).
    annotator : str
        Who is correcting; the panel shows this annotator's corrections over the
        automatic layer and journals under this name (changeable in the panel).
    queue : {"all", "unreviewed", "topic", "disagreements", "annotator_disagreements", "least_certain"}, \
            default "all"
        Which sentences to go through (see :data:`QUEUES`).
    topic : str, optional
        The topic key of the ``"topic"`` queue (required for it).
    other_annotator : str, optional
        The annotator compared with ``annotator`` in ``"annotator_disagreements"``.
    codebook : Codebook or path, optional
        The codebook that annotated the store, for the actor aliases the actor box accepts
        (default: the built-in codebook when it is that one; ids and names work always).

    Raises
    ------
    ValueError
        An empty annotator, an unknown queue, or a queue missing its topic or other
        annotator.
    """

    def __init__(self, store: Store, *, annotator: str, queue: str = "all", topic: str | None = None,
                 other_annotator: str | None = None, codebook: Codebook | str | None = None) -> None:
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
        self._names = ActorNames(summary, codebook=_aliases(summary, codebook))
        self._loading = False
        self._record: dict[str, Any] | None = None
        self._ids: list[str] = []
        self._pos = 0
        self._progress_counts = (0, 0)
        self._listeners: list[Callable[[dict[str, Any] | None], None]] = []
        self._after_write: list[Callable[[], None]] = []
        self._unsaved_note: tuple[str, str] | None = None  # (sentence_id, text) of a note the store refused
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
        self._editors = [*self.topic_toggles.values(), self.actor_box, self.speaker, self.statement_type,
                         self.reviewed, self.note, self.reset_button, self.accept_button]
        wrap = w.Layout(flex_flow="row wrap", align_items="center")

        def row_label(text: str) -> ipywidgets.Label:
            return w.Label(text, layout=w.Layout(flex="0 0 auto", width="4em"))

        # Stock widgets have no text direction; one style rule lets the note box (and the
        # jump and actor boxes) follow what is typed: right to left for Arabic.
        style = w.HTML("<style>.wb-note textarea, .wb-jump input, .wb-actor-box input "
                       "{unicode-bidi: plaintext; text-align: start;} "
                       ".wb-review-panel:focus {outline: none;} "
                       ".wb-review-panel.wb-keys-on {outline: 2px solid #91caff; outline-offset: 4px;}"
                       "</style>")
        self.keys_area = w.VBox([
            self.sentence_display,
            w.HBox([row_label("topics"), *self.topic_toggles.values()], layout=wrap),
            w.HBox([self.evidence, self.shortcuts],
                   layout=w.Layout(justify_content="space-between", width="100%")),
        ], layout=w.Layout(width="100%"))
        self.keys_area.add_class("wb-keys")
        self.keys = panel_keys("wb-review-panel", self._on_key,
                               focus={"KeyN": ".wb-note textarea", "KeyS": ".wb-speaker select"})
        self.widget = w.VBox([
            style,
            self.keys,
            w.HBox([self.queue, self.queue_topic, self.other_annotator, self.annotator_name], layout=wrap),
            w.HBox([self.progress, self.progress_label], layout=wrap),
            self.keys_area,
            w.HBox([row_label("actors"), self.actor_box], layout=w.Layout(align_items="center")),
            w.HBox([self.speaker, self.statement_type, self.reviewed], layout=wrap),
            self.note,
            self.save_note_button,
            self.automatic,
            w.HBox([self.previous_button, self.next_button, self.accept_button, self.jump, self.jump_button,
                    self.undo_button, self.reset_button], layout=wrap),
            self.status,
        ], layout=w.Layout(width="100%"))
        self.widget.add_class("wb-review-panel")

    def _build_editors(self, w: Any) -> None:
        """The reading area, the evidence list and the widgets that correct a sentence."""
        arabic = {"font_family": FONT_STACK}
        self.sentence_display = w.HTML(layout=w.Layout(width="100%"))
        self.sentence_display.add_class("wb-sentence-display")
        self.topic_toggles: dict[str, ipywidgets.ToggleButton] = {}
        for number, key in enumerate(self._topics, start=1):
            shown = f"{self._label(key)} [{number}]" if number <= 9 else self._label(key)
            button = w.ToggleButton(description=shown, layout=w.Layout(width="auto"), style=arabic)
            button.add_class(f"wb-topic-{key}")
            button.observe(lambda change, key=key: self._on_topic(key, change["new"]), names="value")
            self.topic_toggles[key] = button
        self.evidence = w.VBox(layout=w.Layout(flex="1 1 auto"))
        self.evidence.add_class("wb-evidence")
        self.evidence_buttons: dict[tuple[str, str], ipywidgets.Button] = {}
        self.shortcuts = w.HTML(shortcuts_html() + LEGEND, layout=w.Layout(flex="0 0 auto"))
        self.actor_box = w.Combobox(placeholder="add an actor: id, name or alias, then Enter",
                                    options=self._names.suggestions, ensure_option=False,
                                    continuous_update=True,
                                    layout=w.Layout(width="28em"))
        self.actor_box.add_class("wb-actor-box")
        self.actor_box.on_msg(self._on_actor_message)
        none = [("— none —", "")]
        self.speaker = w.Dropdown(description="speaker", value="",
                                  options=none + [(self._label(a), a) for a in self._actors])
        self.speaker.observe(lambda change: self._on_set("speaker", change["new"]), names="value")
        self.speaker.add_class("wb-speaker")
        self.statement_type = w.Dropdown(description="statement", value="",
                                         options=none + [(self._label(t), t) for t in self._statement_types])
        self.statement_type.observe(lambda change: self._on_set("statement_type", change["new"]),
                                    names="value")
        self.reviewed = w.Checkbox(description="reviewed", indent=False)
        self.reviewed.add_class("wb-reviewed")
        self.reviewed.observe(lambda change: self._on_set("reviewed", change["new"]), names="value")
        self.note = w.Textarea(placeholder="note (saved when you leave the box)", continuous_update=False,
                               layout=w.Layout(width="100%", height="4em"))
        self.note.add_class("wb-note")
        self.note.observe(lambda change: self._on_set("note", change["new"]), names="value")
        self.save_note_button = w.Button(description="save the note again", icon="save",
                                         layout=w.Layout(width="auto", display="none"))
        self.save_note_button.add_class("wb-save-note")
        self.save_note_button.on_click(lambda _: self._retry_note())
        self.automatic = w.HTML()

    def _build_navigation(self, w: Any) -> None:
        """Previous, next, accept, jump, undo and reset."""
        auto = w.Layout(width="auto")
        buttons = {
            "previous_button": ("previous", "arrow-up", "previous sentence of the queue (K)", self.previous),
            "next_button": ("next", "arrow-down", "next sentence of the queue (J)", self.next),
            "accept_button": ("accept and next", "check", "mark reviewed as it stands and go on (A)",
                              self.accept),
            "undo_button": ("undo", "undo", "take back your latest change (U)", self.undo),
            "reset_button": ("reset to automatic", "eraser",
                             "bring topics, actors, speaker and statement type back to the automatic values",
                             self.reset_to_automatic),
        }
        for name, (text, icon, tip, action) in buttons.items():
            button = w.Button(description=text, icon=icon, tooltip=tip, layout=auto)
            button.add_class("wb-" + name.replace("_", "-"))
            button.on_click(lambda _, action=action: action())
            setattr(self, name, button)
        self.jump = w.Text(placeholder="sentence id, or number in the queue", continuous_update=False,
                           layout=w.Layout(width="22em"))
        self.jump.add_class("wb-jump")
        self.jump.observe(lambda change: self._on_jump(change["new"]), names="value")
        self.jump_button = w.Button(description="go", layout=auto)
        self.jump_button.on_click(lambda _: self._on_jump(self.jump.value))

    def _build_queue_bar(self, w: Any, *, queue: str, topic: str | None, other_annotator: str | None) -> None:
        """The queue, its topic or other annotator, who is reviewing, and the progress."""
        self.queue = w.Dropdown(description="queue", options=[(label, key) for key, label in QUEUES.items()],
                                value=queue)
        first = topic if topic in self._topics else (self._topics[0] if self._topics else None)
        self.queue_topic = w.Dropdown(description="topic", value=first,
                                      options=[(self._label(t), t) for t in self._topics])
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
        self.status.add_class("wb-status")
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

    def live_view(self, name: str) -> ipywidgets.Output:
        """A view of the store drawn again after every change made in the panel.

        Parameters
        ----------
        name : {"journal", "agreement", "progress"}
            Which view (see :data:`workbench.live_views.LIVE_VIEWS`).

        Returns
        -------
        ipywidgets.Output
            Displayed when it ends a cell.
        """
        out, draw = live_output(self.store, name)
        self._after_write.append(draw)
        return out

    def next(self) -> None:
        """Show the next sentence of the queue."""
        if self._pos + 1 >= len(self._ids):
            self._say("This is the last sentence of the queue." if self._ids else self._empty_text())
            return
        self._go(self._pos + 1)

    def previous(self) -> None:
        """Show the previous sentence of the queue."""
        if self._pos <= 0:
            self._say("This is the first sentence of the queue." if self._ids else self._empty_text())
            return
        self._go(self._pos - 1)

    def accept(self) -> None:
        """Mark the shown sentence reviewed as it stands (one journal entry, none when it
        already is), then show the next sentence of the queue."""
        if self._record is None:
            self._say(self._empty_text())
            return
        if not self._record["reviewed"] and not self._journal([("reviewed", "set", True)]):
            return
        position = f"sentence {self._pos + 1} of {len(self._ids)}"
        if self._pos + 1 >= len(self._ids):
            self._say(f"Accepted {position}: marked as reviewed. This was the last sentence of the queue.")
            return
        self._go(self._pos + 1)
        self._say(f"Accepted {position}: marked as reviewed. Now sentence {self._pos + 1}.")

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
        self._say(f"Showing {sentence_id} among all sentences: it is not in the queue chosen before.")

    def undo(self) -> None:
        """Take back your latest journaled change (the journal gets a reverting entry; a
        reset to automatic is taken back whole: the store journals it as one batch) and
        show its sentence.

        What is typed in the actor box but not yet added with Enter is not a change: it is
        neither journaled nor undone.
        """
        before = self.store.last_entry_id()
        try:
            entry = self.store.undo(annotator=self.annotator)
        except WRITE_FAILURES as exc:
            self._say(write_failure(exc, store_path=self.store.path), error=True)
            self._reload()
            return
        if entry is None:
            self._say(f"Nothing to undo: {self.annotator} has no change left to take back.")
            return
        journal = self.store.journal(annotator=self.annotator)
        made = journal[(journal["id"] > before) & (journal["id"] <= entry) & journal["reverts"].notna()]
        self._after_undo(made["id"].tolist())

    def _after_undo(self, entries: list[int]) -> None:
        journal = self.store.journal(annotator=self.annotator)
        rows = journal[journal["id"].isin(entries)]
        undone = journal[journal["id"].isin(rows["reverts"].astype(int))]
        said = "; ".join(change_sentence(r.field, r.action, r.value, self._codebook)
                         for r in undone.itertuples())
        target = rows["sentence_id"].iloc[0]
        message = f"Undone: {said}."
        try:
            self.store.sentence_record(target)
        except KeyError:  # an orphaned correction: its sentence's text changed since
            message = f"Undone: {said}, on {target}, a sentence no longer in the store."
            if target == self.sentence_id:
                self._reload()
        else:
            if target == self.sentence_id:
                self._reload()
            else:
                self.show(target)
        self._update_progress()
        self._wrote()
        self._say(message)

    def reset_to_automatic(self) -> None:
        """Bring the shown sentence's topics, actors, speaker and statement type back to
        the automatic values (journaled; the note and the reviewed tick stay)."""
        if self._record is None:
            return
        sid = self._record["sentence_id"]
        try:
            # one batch, for everyone's view and this annotator's own alike
            ids = list(self.store.reset_to_automatic(sid, annotator=self.annotator))
        except CorrectionError as exc:
            self._say(str(exc), error=True)
        except WRITE_FAILURES as exc:
            self._say(write_failure(exc, store_path=self.store.path), error=True)
        else:
            if ids:
                self._wrote()
            self._say(f"Reset to the automatic annotation ({len(ids)} journal entries; one undo takes it "
                      "back)." if ids else "Already as the automatic annotation: nothing to reset.")
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
            self._say("Type the name of the annotator to compare with in 'other'.")
            return
        if queue == "topic" and self.queue_topic.value is None:
            self._ids = []
        else:
            topic = self.queue_topic.value if queue == "topic" else None
            self._ids = self.store.sentence_ids(queue=queue, topic=topic, annotator=self.annotator,
                                                other=other or None)
        self._go(self._ids.index(keep) if keep in self._ids else 0)

    def _go(self, pos: int) -> None:
        if not self._ids:
            self._pos = 0
            self._record = None
            self._show_record()
            self._say(self._empty_text())
            return
        self._pos = max(0, min(pos, len(self._ids) - 1))
        if self._read(self._ids[self._pos]):
            self._show_record()
            self._say("")

    def _empty_text(self) -> str:
        if not self.store.sentence_count():
            return _EMPTY["all"]
        queue = self.queue.value
        return _EMPTY.get(queue, "This queue is empty.") if queue != "all" else "This queue is empty."

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
            self._say(f"Sentence {sentence_id} is no longer in the store (its document was annotated again "
                      "with other text); its corrections are kept as orphans.", error=True)
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
            self.actor_box.value = ""
            if rec is None:
                self._show_nothing()
            else:
                self._show_values(rec)
        for callback in self._listeners:
            callback(self.record)

    def _show_nothing(self) -> None:
        """An empty queue: a plain message, and no value left from the sentence before."""
        empty = _esc(self._empty_text())
        self.sentence_display.value = f'<div class="wb-review-text wb-empty"><i>{empty}</i></div>'
        for button in self.topic_toggles.values():
            button.value, button.button_style, button.icon, button.tooltip = False, "", "", ""
        self.speaker.value = self.statement_type.value = ""
        self.reviewed.value = False
        self.note.value = ""
        self.automatic.value = ""
        self._show_evidence([])

    def _show_values(self, rec: Mapping[str, Any]) -> None:
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
        for dropdown, field in ((self.speaker, "speaker"), (self.statement_type, "statement_type")):
            values = [v for _, v in dropdown.options]
            missing = [v for v in (rec[field], auto[field]) if v not in values]
            if missing:
                dropdown.options = [*dropdown.options, *((self._label(v), v) for v in dict.fromkeys(missing))]
            dropdown.value = rec[field]
        self.reviewed.value = bool(rec["reviewed"])
        unsaved = self._unsaved_note is not None and self._unsaved_note[0] == rec["sentence_id"]
        self.note.value = self._unsaved_note[1] if unsaved else rec["note"]  # a refused note stays to retry
        self.save_note_button.layout.display = "" if unsaved else "none"
        self.automatic.value = automatic_html(rec, self._codebook)
        self._show_evidence(evidence_items(rec, self._codebook))

    def _show_evidence(self, items: Sequence[Evidence]) -> None:
        """The evidence list: one line per decision, with the button that takes it back."""
        import ipywidgets as w

        for child in self.evidence.children:
            child.close()
        self.evidence_buttons = {}
        rows = []
        for item in items:
            text = (f'<span dir="auto" style="font-family: {FONT_STACK};'
                    f'{" text-decoration: line-through; color: #8c8c8c;" if item.removed else ""}'
                    f'{" color: #ad4e00;" if item.by_hand else ""}">{_esc(item.text)}</span>')
            button = w.Button(description="restore" if item.removed else "remove",
                              icon="undo" if item.removed else "times",
                              layout=w.Layout(width="auto", flex="0 0 auto"),
                              tooltip=change_sentence(*item.undo, self._codebook) if item.undo else "")
            button.add_class(f"wb-evidence-{item.kind}-{item.key}")
            button.on_click(lambda _, undo=item.undo: self._journal([undo]) if undo else None)
            self.evidence_buttons[(item.kind, item.key)] = button
            rows.append(w.HBox([button, w.HTML(text)], layout=w.Layout(align_items="center")))
        if not items and self._record is not None:
            rows.append(w.HTML("<i>No topic, actor or speaker was found in this sentence.</i>"))
        self.evidence.children = rows

    def _say(self, message: str, *, error: bool = False) -> None:
        color = "#cf1322" if error else "#389e0d"
        self.status.value = (f'<span class="{"wb-error" if error else "wb-ok"}" style="color: {color};">'
                             f"{_esc(message)}</span>") if message else ""

    # ---------------------------------------------------------------- journaling

    def _journal(self, writes: Sequence[tuple[str, str, Any]]) -> bool:
        """Write corrections of the shown sentence, then show what the store now holds.
        Returns whether every write was saved."""
        rec = self._record
        if self._loading or rec is None or not writes:
            return False
        saved = []
        try:
            for field, action, value in writes:
                self.store.correct(rec["sentence_id"], field, action, value, annotator=self.annotator)
                saved.append(change_sentence(field, action, value, self._codebook))
        except CorrectionError as exc:  # unknown key, empty annotator …
            self._say(str(exc), error=True)
        except WRITE_FAILURES as exc:
            notes = [value for field, _, value in writes if field == "note"]
            if notes:  # keep what was typed, to try again
                self._unsaved_note = (rec["sentence_id"], notes[-1])
            self._reload()
            self._say(write_failure(exc, store_path=self.store.path), error=True)
            return False
        else:
            self._say(f"Saved: {'; '.join(saved)}.")
            if any(field == "note" for field, _, _ in writes):
                self._unsaved_note = None
        self._reload()
        if any(field == "reviewed" for field, _, _ in writes):
            self._update_progress()
        if saved:
            self._wrote()
        return len(saved) == len(writes)

    def _wrote(self) -> None:
        for callback in self._after_write:
            callback()

    def _retry_note(self) -> None:
        if self._record is not None:
            self._journal([("note", "set", self.note.value)])

    def _on_topic(self, key: str, on: bool) -> None:
        if self._loading or self._record is None or (key in self._record["topics"]) == on:
            return
        self._journal([("topics", "add" if on else "remove", key)])

    def _on_actor_message(self, _widget: Any, content: Mapping[str, Any], _buffers: Any) -> None:
        """Enter in the actor box adds the actor typed there; nothing else journals."""
        if content.get("event") == "submit":
            self.add_actor(self.actor_box.value)

    def add_actor(self, typed: str) -> None:
        """Add an actor to the shown sentence by id, Arabic or English name, or alias (what
        Enter in the actor box does).

        Parameters
        ----------
        typed : str
            What was typed.
        """
        if self._loading or self._record is None or not (typed or "").strip():
            return
        key = self._names.resolve(typed)
        if key is None:
            example = self._actors[0] if self._actors else "putin"
            self._say(f"No actor in the codebook is called {typed.strip()!r}. Type an actor id (such as "
                      f"{example}), an Arabic or English name, or an alias; the list under the box suggests "
                      "them.", error=True)
            return
        if key in self._record["actors"]:
            self._say(f"{self._label(key)} is already among this sentence's actors.")
            with self._quiet():
                self.actor_box.value = ""
            return
        self._journal([("actors", "add", key)])

    def _on_set(self, field: str, value: Any) -> None:
        if self._loading or self._record is None:
            return
        if (bool(value) if field == "reviewed" else value) != self._record[field]:
            self._journal([(field, "set", value)])

    def _on_key(self, event: Mapping[str, Any]) -> None:
        found = shortcut_action(event)
        if found is None:
            return
        action, number = found
        if action == "topic":
            if self._record is None or not 1 <= number <= min(9, len(self._topics)):
                self._say(f"There is no topic number {number}." if self._record is not None
                          else self._empty_text())
                return
            button = self.topic_toggles[self._topics[number - 1]]
            button.value = not button.value
        elif action == "note":  # the listener has put the cursor there
            self._say("The cursor is in the note box: type your note; it is saved when you press Esc or "
                      "leave the box.")
        elif action == "speaker":
            self._say("Choose the speaker with ↑ ↓ or its first letters (each choice is saved); Esc gives "
                      "the keys back to the panel.")
        else:
            {"accept": self.accept, "next": self.next, "previous": self.previous, "undo": self.undo}[action]()

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
                self._say(f"There is no sentence number {number} in this queue (it has {len(self._ids)}).",
                          error=True)
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
        self._say(f"Now reviewing as {self.annotator}.")
