"""Charts for reports: DataFrame (or store) in, matplotlib Axes out.

Every ``plot_*`` function takes the data first, options keyword-only, draws
on ``ax`` (or on a new ``plt.subplots()`` figure) and returns the Axes; none
calls ``plt.show()``, saves a file or changes rcParams globally (fonts come
from a ``plt.rc_context`` and per-text font properties). All text goes
through :func:`workbench.display.for_matplotlib`, so Arabic is passed in
logical order to a matplotlib that shapes it (3.11 with libraqm) and reshaped
only for one that does not.

``codebook=`` (topic order and labels) is a Codebook, the CodebookSummary
``Store.codebook()`` returns, or a Store; given a store as data, its own
codebook is used.

``labels="ar"`` draws right to left by default: bars grow from the right,
the start of the article is on the right, row labels stand on the right.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from workbench import display, reuse, tables
from workbench.chartkit import chart_text as _text
from workbench.chartkit import font_kwargs as _fontdict
from workbench.chartkit import heatmap as _heatmap
from workbench.chartkit import labelled as _labelled
from workbench.chartkit import matrix_part as _matrix_part
from workbench.chartkit import new_axes as _new_axes
from workbench.chartkit import not_counted_again as _not_counted_again
from workbench.chartkit import rows_to_right as _rows_to_right
from workbench.chartkit import say_empty as _empty
from workbench.chartkit import start_chart as _start
from workbench.chartkit import write_figures as _write_figures
from workbench.checks import check_choice
from workbench.codebook import CodebookLike, CodebookSummary

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = [
    "plot_topic_counts",
    "plot_topic_dispersion",
    "plot_speaker_by_topic",
    "plot_cooccurrence",
    "save_all",
]

_VALUES = {"sentences": "sentences tagged", "mentions": "topic mentions", "share": "share of sentences"}

# Words on the charts themselves: (Arabic, English).
_UI = {
    "sentences": ("عدد الجمل", "Sentences"),
    "mentions": ("عدد الإشارات", "Mentions"),
    "share": ("نسبة الجمل", "Share of sentences"),
    "topic_counts": ("المواضيع", "Topics"),
    "dispersion": ("مواضع ذكر المواضيع في المقال", "Where each topic is mentioned"),
    "position": ("الموضع في المقال (البداية ← النهاية)", "Position in the article (start → end)"),
    "position_ltr": ("الموضع في المقال (البداية → النهاية)", "Position in the article (start → end)"),
    "speaker_by_topic": ("من تحدث عن ماذا (عدد التصريحات)", "Who spoke about what (statements)"),
    "cooccurrence_sentence": ("المواضيع معاً في جملة واحدة", "Topics raised in the same sentence"),
    "cooccurrence_paragraph": ("المواضيع معاً في فقرة واحدة", "Topics raised in the same paragraph"),
    "speaker": ("المتحدث", "Speaker"),
    "topic": ("الموضوع", "Topic"),
    "no_data": ("لا توجد بيانات", "No data"),
    "no_statements": ("لا توجد تصريحات منسوبة", "No attributed statements"),
    "documents": ("مقالات", "articles"),
}


# ------------------------------------------------------------------ helpers


def _ui(key: str, labels: str) -> str:
    ar, en = _UI[key]
    return {"ar": ar, "en": en}.get(labels, f"{en} · {ar}")


# ------------------------------------------------------------------ charts


def _draw_bars(ax: Axes, counts: pd.DataFrame, group: str | None, groups: list[str],
               topics: list[str], value: str, rtl: bool):
    """One bar per topic (and group), its value written beside it; the bars' y positions."""
    import numpy as np

    height = 0.8 / len(groups)
    y = np.arange(len(topics))
    for n, name in enumerate(groups):
        part = counts[counts[group].astype(str) == name] if group else counts
        series = part.set_index(part["topic"].astype(str))[value].reindex(topics).fillna(0)
        offset = (n - (len(groups) - 1) / 2) * height
        bars = ax.barh(y + offset, series.to_numpy(), height=height * 0.9,
                       label=_text(name) if group else None)
        for bar, number in zip(bars, series.to_numpy(), strict=True):
            ax.annotate(f"{number:.0%}" if value == "share" else f"{number:g}",
                        (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                        xytext=(-3 if rtl else 3, 0), textcoords="offset points",
                        ha="right" if rtl else "left", va="center", fontsize=9)
    return y


def plot_topic_counts(
    data: Any,
    *,
    mentions: pd.DataFrame | None = None,
    value: str = "sentences",
    labels: str = "en",
    codebook: CodebookLike | None = None,
    direction: str | None = None,
    reused: str = "all",
    ax: Axes | None = None,
) -> Axes:
    """Bar chart of how much each topic was covered.

    Parameters
    ----------
    data : DataFrame or Store
        A :func:`workbench.tables.topic_counts` table (grouped tables get one
        bar per group, with a legend), a sentences frame, or a store.
    mentions : pandas.DataFrame or None, default None
        The mentions frame, needed for ``value="mentions"`` from sentences.
    value : {"sentences", "mentions", "share"}, default "sentences"
        What the bars measure.
    labels : {"ar", "en", "both"}, default "en"
        Language of topic labels and chart text.
    codebook : Codebook, CodebookSummary, Store or None, default None
        Topic order and labels (a store's own codebook when given a store).
    direction : {None, "ltr", "rtl"}, default None
        Right to left (bars grow from the right) by default for ``labels="ar"``.
    reused : {"all", "once"}, default "all"
        ``"once"`` counts a reused passage once (:func:`workbench.reuse.count_once`).
    ax : matplotlib Axes or None, default None
        Where to draw; None makes a new figure with ``plt.subplots()``.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt

    check_choice("value", value, _VALUES)
    rtl, codebook, sentences, mentions = _start(data, mentions, labels, direction, codebook, reused)
    if "topic" in sentences.columns and value in sentences.columns:
        _not_counted_again(reused, "topic_counts")
        counts = sentences
    else:
        if value == "mentions" and mentions is None:
            raise ValueError("plot_topic_counts(value='mentions') needs mentions= (or a store)")
        counts = tables.topic_counts(sentences, mentions, by=None, codebook=codebook, reused=reused)
    group = next((g for g in ("doc_id", "outlet", "date") if g in counts.columns), None)
    topics = list(dict.fromkeys(counts["topic"].astype(str)))
    groups = list(dict.fromkeys(counts[group].astype(str))) if group else [""]
    with plt.rc_context(display.font_rc()):
        ax = _new_axes(ax, (7, 1.2 + 0.5 * max(1, len(topics)) * max(1, min(len(groups), 3))))
        if not topics:
            return _empty(ax, _ui("no_data", labels))
        y = _draw_bars(ax, counts, group, groups, topics, value, rtl)
        ax.set_yticks(y, labels=_labelled(topics, labels, codebook), **_fontdict())
        ax.invert_yaxis()  # first topic on top
        ax.set_xlabel(_text(_ui(value, labels)), **_fontdict())
        ax.set_title(_text(_ui("topic_counts", labels)), loc="right" if rtl else "center",
                     **_fontdict())
        ax.margins(x=0.15)
        ax.spines[["top", "left" if rtl else "right"]].set_visible(False)
        if value == "share":
            ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
        if group and len(groups) > 1:
            ax.legend(loc="lower left" if rtl else "lower right", fontsize=9, markerfirst=not rtl)
        if rtl:
            ax.invert_xaxis()
            _rows_to_right(ax)
    return ax


def _lengths(sentences: pd.DataFrame | None, lengths: Mapping[str, int] | pd.Series | None,
             needed: set[str]) -> dict[str, int]:
    """Each document's length: the end of its last sentence, or as ``lengths`` says."""
    sizes: dict[str, int] = {}
    if sentences is not None:
        sizes.update(sentences.groupby("doc_id")["end"].max().astype(int).to_dict())
    if lengths is not None:
        sizes.update({str(k): int(v) for k, v in dict(lengths).items()})
    missing = sorted(needed - set(sizes))
    if missing:
        raise ValueError(
            f"no length for document {missing[0]!r}: pass the sentences frame or lengths={{doc_id: length}}"
        )
    return sizes


def _draw_marks(ax: Axes, chosen: pd.DataFrame, sentences: pd.DataFrame | None, topics: list[str],
                sizes: dict[str, int]) -> list[str]:
    """A mark per mention at its relative place; paragraph starts when there is one article.
    Returns the documents drawn."""
    row = {t: i for i, t in enumerate(topics)}
    positions = [
        (int(s) + int(e)) / 2 / max(1, sizes[d])
        for d, s, e in chosen[["doc_id", "start", "end"]].itertuples(index=False)
    ]
    ys = [row[k] for k in chosen["key"].astype(str)]
    ax.scatter(positions, ys, marker="|", s=400, linewidths=2, color="C3", zorder=3)
    docs = sorted(set(chosen["doc_id"]))
    if sentences is not None and len(docs) == 1 and "paragraph" in sentences:
        # one article: paragraph starts as faint lines
        doc = sentences[sentences["doc_id"] == docs[0]]
        starts = doc.groupby("paragraph")["start"].min() / max(1, sizes[docs[0]])
        for x in starts.iloc[1:]:
            ax.axvline(x, color="0.85", linewidth=0.8, zorder=1)
    return docs


def _dispersion_start(
    data: Any, mentions: pd.DataFrame | None, labels: str, direction: str | None,
    codebook: CodebookLike | None, reused: str,
) -> tuple[bool, CodebookSummary | None, pd.DataFrame | None, pd.DataFrame]:
    """:func:`_start` for the dispersion plot: ``data`` may be the mentions frame itself;
    mentions in page furniture are left out, and with ``reused="once"`` those of copies."""
    rtl, codebook, sentences, mentions = _start(data, mentions, labels, direction, codebook, reused)
    if sentences is not None and {"kind", "key"} <= set(sentences.columns) and "text" not in sentences:
        sentences, mentions = None, sentences
        _not_counted_again(reused, "mentions")
    if mentions is None:
        raise ValueError("plot_topic_dispersion needs the mentions frame (mentions=) or a store")
    if sentences is not None:
        sentences, mentions = tables.without_furniture(sentences, mentions)
    if reused == "once":
        sentences = reuse.count_once(sentences, reused=reused)
        mentions = mentions[mentions["sentence_id"].isin(sentences["sentence_id"])]
    return rtl, codebook, sentences, mentions


def plot_topic_dispersion(
    data: Any,
    *,
    mentions: pd.DataFrame | None = None,
    lengths: Mapping[str, int] | pd.Series | None = None,
    doc_id: str | None = None,
    labels: str = "en",
    codebook: CodebookLike | None = None,
    direction: str | None = None,
    reused: str = "all",
    ax: Axes | None = None,
) -> Axes:
    """Dispersion plot ("x-ray"): one row per topic, a mark per mention at its place.

    Parameters
    ----------
    data : DataFrame or Store
        The sentences frame (document lengths are taken as the end of each
        document's last sentence, paragraph starts are drawn as faint lines),
        a mentions frame (then ``lengths`` is required), or a store.
    mentions : pandas.DataFrame or None, default None
        The mentions frame when ``data`` is the sentences frame.
    lengths : mapping or Series or None, default None
        ``{doc_id: length in code points}``; overrides the lengths above.
    doc_id : str or None, default None
        Draw one document; None draws every document, each mention at its
        relative position (0 = start, 1 = end of its own article).
    labels : {"ar", "en", "both"}, default "en"
        Language of topic labels and chart text.
    codebook : Codebook, CodebookSummary, Store or None, default None
        Topic order and labels.
    direction : {None, "ltr", "rtl"}, default None
        Right to left (the article starts on the right) by default for
        ``labels="ar"``.
    reused : {"all", "once"}, default "all"
        ``"once"`` counts a reused passage once (:func:`workbench.reuse.count_once`).
    ax : matplotlib Axes or None, default None
        Where to draw; None makes a new figure.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt

    rtl, codebook, sentences, mentions = _dispersion_start(data, mentions, labels, direction, codebook,
                                                           reused)
    chosen = mentions[mentions["kind"] == "topic"]
    if doc_id is not None:
        chosen = chosen[chosen["doc_id"] == doc_id]
    sizes = _lengths(sentences, lengths, set(chosen["doc_id"]))
    seen = chosen["key"].astype(str).tolist()
    if sentences is not None:
        part = sentences if doc_id is None else sentences[sentences["doc_id"] == doc_id]
        seen += tables.split_keys(part["topics"].tolist()) if "topics" in part else []
    topics = tables.in_codebook_order(seen, "topics", codebook)
    with plt.rc_context(display.font_rc()):
        ax = _new_axes(ax, (8, 1.3 + 0.45 * max(1, len(topics))))
        if not topics:
            return _empty(ax, _ui("no_data", labels))
        docs = _draw_marks(ax, chosen, sentences, topics, sizes)
        for i in range(len(topics)):
            ax.axhline(i, color="0.9", linewidth=0.8, zorder=1)
        ax.set_yticks(range(len(topics)), labels=_labelled(topics, labels, codebook), **_fontdict())
        ax.set_ylim(len(topics) - 0.5, -0.5)
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
        ax.tick_params(axis="y", length=0)
        ax.set_xlabel(_text(_ui("position" if rtl else "position_ltr", labels)), **_fontdict())
        suffix = f" — {doc_id}" if doc_id is not None else (
            f" ({len(docs)} {_ui('documents', labels)})" if len(docs) > 1 else "")
        ax.set_title(
            _text(_ui("dispersion", labels) + suffix), loc="right" if rtl else "center", **_fontdict()
        )
        for side in ("top", "left", "right"):
            ax.spines[side].set_visible(False)
        if rtl:
            ax.invert_xaxis()
            _rows_to_right(ax)
    return ax


def plot_speaker_by_topic(
    data: Any,
    *,
    labels: str = "en",
    codebook: CodebookLike | None = None,
    direction: str | None = None,
    cmap: str = "Blues",
    reused: str = "all",
    ax: Axes | None = None,
) -> Axes:
    """Heatmap of who spoke about what, statement counts written in the cells.

    Parameters
    ----------
    data : DataFrame or Store
        A :func:`workbench.tables.speaker_by_topic` table (with keys, i.e.
        made with ``labels=None``), a sentences frame, or a store.
    labels : {"ar", "en", "both"}, default "en"
        Language of speaker and topic labels and chart text.
    codebook : Codebook, CodebookSummary, Store or None, default None
        Order and labels.
    direction : {None, "ltr", "rtl"}, default None
        Right to left (first topic on the right, speakers on the right) by
        default for ``labels="ar"``.
    cmap : str, default "Blues"
        matplotlib colour map.
    reused : {"all", "once"}, default "all"
        ``"once"`` counts a reused passage once (:func:`workbench.reuse.count_once`).
    ax : matplotlib Axes or None, default None
        Where to draw; None makes a new figure.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt

    rtl, codebook, sentences, _ = _start(data, None, labels, direction, codebook, reused)
    if "statements" in sentences.columns:
        _not_counted_again(reused, "speaker_by_topic")
    table = sentences if "statements" in sentences.columns else tables.speaker_by_topic(
        sentences, codebook=codebook, reused=reused)
    speakers, topics, matrix = _matrix_part(table, "speaker", ["statements"])
    with plt.rc_context(display.font_rc()):
        ax = _new_axes(ax, (max(6.0, 1.8 + 1.1 * len(topics)), 1.6 + 0.5 * max(1, len(speakers))))
        if not speakers or not topics:
            return _empty(ax, _ui("no_statements", labels))
        return _heatmap(ax, matrix, _labelled(speakers, labels, codebook),
                        _labelled(topics, labels, codebook), rtl=rtl, cmap=cmap,
                        title=_ui("speaker_by_topic", labels))


def plot_cooccurrence(
    data: Any,
    *,
    unit: str = "sentence",
    labels: str = "en",
    codebook: CodebookLike | None = None,
    direction: str | None = None,
    cmap: str = "Purples",
    reused: str = "all",
    ax: Axes | None = None,
) -> Axes:
    """Matrix of topics raised together, counts written in the cells.

    The diagonal (units with the topic at all) is written but shaded grey,
    so that the colours compare the pairs.

    Parameters
    ----------
    data : DataFrame or Store
        A :func:`workbench.tables.cooccurrence` table (with keys), a
        sentences frame, or a store.
    unit : {"sentence", "paragraph"}, default "sentence"
        What "together" means when computing from sentences (and in the title).
    labels : {"ar", "en", "both"}, default "en"
        Language of topic labels and chart text.
    codebook : Codebook, CodebookSummary, Store or None, default None
        Order and labels.
    direction : {None, "ltr", "rtl"}, default None
        Right to left by default for ``labels="ar"``.
    cmap : str, default "Purples"
        matplotlib colour map.
    reused : {"all", "once"}, default "all"
        ``"once"`` counts a reused passage once (:func:`workbench.reuse.count_once`).
    ax : matplotlib Axes or None, default None
        Where to draw; None makes a new figure.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt

    check_choice("unit", unit, tables.COOCCURRENCE_UNITS)
    rtl, codebook, sentences, _ = _start(data, None, labels, direction, codebook, reused)
    if "topic" in sentences.columns:
        _not_counted_again(reused, "cooccurrence")
    table = sentences if "topic" in sentences.columns else tables.cooccurrence(
        sentences, unit=unit, codebook=codebook, reused=reused)
    topics, columns, matrix = _matrix_part(table, "topic", [])
    with plt.rc_context(display.font_rc()):
        ax = _new_axes(ax, (max(6.0, 2.5 + 1.0 * len(topics)), 1.8 + 0.7 * max(1, len(topics))))
        if not topics:
            return _empty(ax, _ui("no_data", labels))
        return _heatmap(ax, matrix, _labelled(topics, labels, codebook),
                        _labelled(columns, labels, codebook), rtl=rtl, cmap=cmap,
                        title=_ui(f"cooccurrence_{unit}", labels), diagonal_apart=True)


# ------------------------------------------------------------------ files


def save_all(
    sentences: Any,
    mentions: pd.DataFrame | None,
    out_dir: str | os.PathLike,
    *,
    labels: str = "both",
    codebook: CodebookLike | None = None,
    dpi: int = 150,
    reused: str = "all",
) -> list[Path]:
    """Write every chart as PNG and SVG (what ``workbench charts`` runs).

    Parameters
    ----------
    sentences : DataFrame or Store
        The sentences frame, or a store (then ``mentions`` may be None and
        ``store.view()`` and the store's codebook are used).
    mentions : pandas.DataFrame or None
        The mentions frame.
    out_dir : str or path
        Folder to write into (created when missing).
    labels : {"ar", "en", "both"}, default "both"
        Language of labels and chart text.
    codebook : Codebook, CodebookSummary, Store or None, default None
        Order and labels.
    dpi : int, default 150
        Resolution of the PNG files.
    reused : {"all", "once"}, default "all"
        ``"once"`` counts a reused passage once (:func:`workbench.reuse.count_once`).

    Returns
    -------
    list of pathlib.Path
        ``topic_counts``, ``topic_dispersion``, ``speaker_by_topic``,
        ``cooccurrence`` (sentence) and ``cooccurrence_paragraph``, each as
        ``.png`` then ``.svg``. Each file is written to a temporary name
        and renamed, so an interrupted run leaves no half-written chart.
    """
    _, codebook, sentences, mentions = _start(sentences, mentions, labels, None, codebook, reused)
    if mentions is None:
        raise ValueError("save_all needs the mentions frame (or a store as first argument)")
    common = {"labels": labels, "codebook": codebook, "reused": reused}
    charts = {
        "topic_counts": lambda: plot_topic_counts(sentences, mentions=mentions, **common),
        "topic_dispersion": lambda: plot_topic_dispersion(sentences, mentions=mentions, **common),
        "speaker_by_topic": lambda: plot_speaker_by_topic(sentences, **common),
        "cooccurrence": lambda: plot_cooccurrence(sentences, **common),
        "cooccurrence_paragraph": lambda: plot_cooccurrence(sentences, unit="paragraph", **common),
    }
    return _write_figures(charts, out_dir, dpi=dpi)
