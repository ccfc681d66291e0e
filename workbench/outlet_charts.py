"""Charts comparing outlets: table (or sentences, or a store) in, matplotlib Axes out.

Each ``plot_*`` takes the table of the :mod:`workbench.outlets` function it draws (made
with ``labels=None``: keys), or a sentences frame with ``documents=``, or a store; options
are keyword-only, ``ax=`` is drawn on when given. Labels go through
:mod:`workbench.display`, so Arabic reaches matplotlib in logical order and is shaped
there; ``labels="ar"`` draws right to left (first column and row labels on the right, time
running from right to left).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from workbench import display, outlets, reuse, tables
from workbench.chartkit import (
    chart_text,
    fit_width,
    font_kwargs,
    heatmap,
    labelled,
    new_axes,
    not_counted_again,
    rows_to_right,
    say_empty,
    start_chart,
    write_figures,
)
from workbench.checks import check_choice

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from workbench.codebook import CodebookLike, CodebookSummary

__all__ = [
    "plot_outlet_topics",
    "plot_speaker_shares",
    "plot_statement_types",
    "plot_quotation",
    "plot_keyness",
    "plot_coverage",
    "plot_shared_passages",
    "save_outlet_charts",
]

# Words on the charts: (Arabic, English).
_WORDS = {
    "outlet_topics": ("ما تغطيه كل وسيلة (نسبة جملها)", "What each outlet covers (share of its sentences)"),
    "outlet_topics_n": ("ما تغطيه كل وسيلة (عدد الجمل)", "What each outlet covers (sentences)"),
    "speakers": ("من يتحدث في كل وسيلة (نسبة من تصريحاتها)",
                 "Whom each outlet lets speak (share of its statements)"),
    "statement_types": ("أنواع التصريحات لكل متحدث في كل وسيلة", "Statement types by speaker and outlet"),
    "no_type": ("بلا نوع", "no type"),
    "quotation": ("الاقتباس المباشر والنقل بتصرف", "Quoted directly or paraphrased"),
    "quoted": ("اقتباس مباشر", "Quoted"),
    "paraphrased": ("نقل بتصرف", "Paraphrased"),
    "share_of_statements": ("نسبة التصريحات", "Share of statements"),
    "keyness": ("ما تبرزه {} مقارنة ببقية الوسائل", "What {} stresses against the others"),
    "positive": ("موجب: أكثر من المتوقع", "positive: more than expected"),
    "coverage": ("التغطية عبر الزمن", "Coverage over time"),
    "sentences": ("عدد الجمل", "Sentences"),
    "statements": ("عدد التصريحات", "Statements"),
    "day": ("اليوم", "Day"),
    "week": ("الأسبوع (يبدأ الاثنين)", "Week (from Monday)"),
    "shared": ("مقاطع مشتركة بين الوسائل (عدد العناقيد)", "Passages outlets share (reuse clusters)"),
    "no_data": ("لا توجد بيانات", "No data"),
    "too_small": ("أعداد أصغر من أن ترتب", "Counts too small to rank"),
}


def _word(key: str, labels: str) -> str:
    ar, en = _WORDS[key]
    return {"ar": ar, "en": en}.get(labels, f"{en} · {ar}")


def _lines(en: str, ar: str, labels: str) -> str:
    """A text holding a name (an outlet's) in each language; with both, a line for each:
    on one line the bidi algorithm would mix the English words with the Arabic ones."""
    return {"ar": ar, "en": en}.get(labels, f"{en}\n{ar}")


def _documents(data: Any, documents: pd.DataFrame | None) -> pd.DataFrame | None:
    """The documents frame: given, or the store's."""
    if documents is None and callable(getattr(data, "documents", None)):
        return data.documents()
    return documents


def _heatmap_of(ax: Axes | None, table: pd.DataFrame, row: str, column: str, value: str, *,
                rows: list[str], row_names: list[str], column_names: list[str], columns: list[str],
                rtl: bool, cmap: str, title: str, percent: bool) -> Axes:
    """A heatmap of ``value`` with ``rows`` × ``columns`` from a long table."""
    matrix = (table.pivot_table(index=row, columns=column, values=value, aggfunc="sum")
              .reindex(index=rows, columns=columns).fillna(0))
    size = (max(6.0, 2.6 + 0.95 * len(columns)), 1.6 + 0.5 * max(1, len(rows)))
    import matplotlib.pyplot as plt

    with plt.rc_context(display.font_rc()):
        own = ax is None
        ax = new_axes(ax, size)
        if matrix.empty:
            return say_empty(ax, title)
        heatmap(ax, matrix.to_numpy(), row_names, column_names, rtl=rtl, cmap=cmap, title=title,
                percent=percent)
        return fit_width(ax) if own else ax


def _outlet_names(values: list[str]) -> list[str]:
    return [chart_text(v or "—") for v in values]


# ------------------------------------------------------------------ profiles


def plot_outlet_topics(
    data: Any,
    *,
    documents: pd.DataFrame | None = None,
    value: str = "share",
    labels: str = "en",
    codebook: CodebookLike | None = None,
    direction: str | None = None,
    cmap: str = "Greens",
    reused: str = "all",
    ax: Axes | None = None,
) -> Axes:
    """Heatmap of what each outlet covers: topics by outlet.

    Parameters
    ----------
    data : DataFrame or Store
        A :func:`workbench.tables.topic_counts` table made with ``by="outlet"``, a
        sentences frame (with ``documents``), or a store.
    documents : pandas.DataFrame or None, default None
        ``doc_id, outlet, date`` of the articles (a store's own when ``data`` is a store).
    value : {"share", "sentences"}, default "share"
        Share of the outlet's sentences raising the topic, or their number.
    labels : {"ar", "en", "both"}, default "en"
        Language of labels and chart text.
    codebook : Codebook, CodebookSummary, Store or None, default None
        Topic order and labels.
    direction : {None, "ltr", "rtl"}, default None
        Right to left by default for ``labels="ar"``.
    cmap : str, default "Greens"
        matplotlib colour map.
    reused : {"all", "once"}, default "all"
        Count a reused passage once with ``"once"``.
    ax : matplotlib Axes or None, default None
        Where to draw; None makes a new figure.

    Returns
    -------
    matplotlib.axes.Axes
    """
    check_choice("value", value, {"share": "share", "sentences": "sentences"})
    rtl, codebook, sentences, _ = start_chart(data, None, labels, direction, codebook, reused)
    if {"outlet", "topic", value} <= set(sentences.columns):
        not_counted_again(reused, "topic_counts")
        table = sentences
    else:
        table = tables.topic_counts(sentences, by="outlet", documents=_documents(data, documents),
                                    codebook=codebook, reused=reused)
    rows = list(dict.fromkeys(table["outlet"].astype(str)))
    topics = list(dict.fromkeys(table["topic"].astype(str)))
    return _heatmap_of(ax, table, "outlet", "topic", value, rows=rows, row_names=_outlet_names(rows),
                       columns=topics, column_names=labelled(topics, labels, codebook), rtl=rtl,
                       cmap=cmap, percent=value == "share",
                       title=_word("outlet_topics" if value == "share" else "outlet_topics_n", labels))


def plot_speaker_shares(
    data: Any,
    *,
    documents: pd.DataFrame | None = None,
    by: str = "speaker",
    top: int | None = 12,
    labels: str = "en",
    codebook: CodebookLike | None = None,
    direction: str | None = None,
    cmap: str = "Blues",
    reused: str = "all",
    ax: Axes | None = None,
) -> Axes:
    """Heatmap of whom each outlet lets speak: shares of its statements by speaker.

    Parameters
    ----------
    data : DataFrame or Store
        A :func:`workbench.outlets.speaker_shares` table, a sentences frame (with
        ``documents``), or a store.
    documents : pandas.DataFrame or None, default None
        ``doc_id, outlet, date`` of the articles.
    by : {"speaker", "type"}, default "speaker"
        Per speaker, or per actor type (when computing from sentences).
    top : int or None, default 12
        Draw only the speakers with the most statements overall; None draws all.
    labels : {"ar", "en", "both"}, default "en"
        Language of labels and chart text.
    codebook : Codebook, CodebookSummary, Store or None, default None
        Speaker order, labels and actor types.
    direction : {None, "ltr", "rtl"}, default None
        Right to left by default for ``labels="ar"``.
    cmap : str, default "Blues"
        matplotlib colour map.
    reused : {"all", "once"}, default "all"
        Count a reused passage once with ``"once"``.
    ax : matplotlib Axes or None, default None
        Where to draw; None makes a new figure.

    Returns
    -------
    matplotlib.axes.Axes
    """
    rtl, codebook, sentences, _ = start_chart(data, None, labels, direction, codebook, reused)
    if "statements" in sentences.columns and "outlet" in sentences.columns:
        not_counted_again(reused, "speaker_shares")
        table = sentences
    else:
        table = outlets.speaker_shares(sentences, documents=_documents(data, documents), by=by,
                                       codebook=codebook, reused=reused)
    key = "speaker" if "speaker" in table.columns else "speaker_type"
    keys = list(dict.fromkeys(table[key].astype(str)))
    if top is not None:
        totals = table.groupby(key)["statements"].sum()
        keep = set(totals.sort_values(ascending=False, kind="stable").index[:top])
        keys = [k for k in keys if k in keep]
    names = (labelled(keys, labels, codebook) if key == "speaker" else
             [chart_text(outlets.type_label(k, labels=labels)) for k in keys])
    rows = list(dict.fromkeys(table["outlet"].astype(str)))
    return _heatmap_of(ax, table, "outlet", key, "share", rows=rows, row_names=_outlet_names(rows),
                       columns=keys, column_names=names, rtl=rtl, cmap=cmap, percent=True,
                       title=_word("speakers", labels))


def plot_statement_types(
    data: Any,
    *,
    documents: pd.DataFrame | None = None,
    top: int | None = 8,
    labels: str = "en",
    codebook: CodebookLike | None = None,
    direction: str | None = None,
    cmap: str = "Oranges",
    reused: str = "all",
    ax: Axes | None = None,
) -> Axes:
    """Heatmap of statement types (columns) for each outlet's speakers (rows).

    Parameters
    ----------
    data : DataFrame or Store
        A :func:`workbench.outlets.statement_types_by_speaker` table, a sentences frame
        (with ``documents``), or a store.
    documents : pandas.DataFrame or None, default None
        ``doc_id, outlet, date`` of the articles.
    top : int or None, default 8
        Draw only the speakers with the most statements overall; None draws all.
    labels : {"ar", "en", "both"}, default "en"
        Language of labels and chart text.
    codebook : Codebook, CodebookSummary, Store or None, default None
        Order and labels.
    direction : {None, "ltr", "rtl"}, default None
        Right to left by default for ``labels="ar"``.
    cmap : str, default "Oranges"
        matplotlib colour map.
    reused : {"all", "once"}, default "all"
        Count a reused passage once with ``"once"``.
    ax : matplotlib Axes or None, default None
        Where to draw; None makes a new figure.

    Returns
    -------
    matplotlib.axes.Axes
        Rows ``outlet · speaker`` (statement counts in the cells).
    """
    rtl, codebook, sentences, _ = start_chart(data, None, labels, direction, codebook, reused)
    if {"outlet", "speaker", "statement_type", "statements"} <= set(sentences.columns):
        not_counted_again(reused, "statement_types_by_speaker")
        table = sentences
    else:
        table = outlets.statement_types_by_speaker(sentences, documents=_documents(data, documents),
                                                   codebook=codebook, reused=reused)
    if top is not None:
        totals = table.groupby("speaker", sort=False)["statements"].sum()
        table = table[table["speaker"].isin(totals.sort_values(ascending=False, kind="stable").index[:top])]
    table = table.assign(_row=table["outlet"].astype(str) + "\x1f" + table["speaker"].astype(str))
    rows = list(dict.fromkeys(table["_row"]))
    speakers = labelled([r.split("\x1f")[1] for r in rows], labels, codebook)
    row_names = [f"{chart_text(r.split(chr(31))[0])} · {s}" for r, s in zip(rows, speakers, strict=True)]
    present = set(table["statement_type"].astype(str))
    types = [t for t in tables.in_codebook_order(sorted(present - {""}), "statement_types", codebook)
             if t in present] + ([""] if "" in present else [])
    names = [chart_text(_word("no_type", labels)) if not t else n
             for t, n in zip(types, labelled(types, labels, codebook), strict=True)]
    return _heatmap_of(ax, table, "_row", "statement_type", "statements", rows=rows,
                       row_names=row_names, columns=types, column_names=names, rtl=rtl, cmap=cmap,
                       percent=False, title=_word("statement_types", labels))


def plot_quotation(
    data: Any,
    *,
    documents: pd.DataFrame | None = None,
    labels: str = "en",
    direction: str | None = None,
    reused: str = "all",
    ax: Axes | None = None,
) -> Axes:
    """Stacked bars: the share of each outlet's statements quoted directly or paraphrased.

    Parameters
    ----------
    data : DataFrame or Store
        A :func:`workbench.outlets.quotation_shares` table, a sentences frame (with
        ``documents``), or a store.
    documents : pandas.DataFrame or None, default None
        ``doc_id, outlet, date`` of the articles.
    labels : {"ar", "en", "both"}, default "en"
        Language of chart text.
    direction : {None, "ltr", "rtl"}, default None
        Right to left (bars grow from the right) by default for ``labels="ar"``.
    reused : {"all", "once"}, default "all"
        Count a reused passage once with ``"once"``.
    ax : matplotlib Axes or None, default None
        Where to draw; None makes a new figure.

    Returns
    -------
    matplotlib.axes.Axes
        Each bar is labelled with the number of statements in it.
    """
    import matplotlib.pyplot as plt

    rtl, _, sentences, _ = start_chart(data, None, labels, direction, None, reused)
    if "quoted_share" in sentences.columns:
        not_counted_again(reused, "quotation_shares")
        table = sentences
    else:
        table = outlets.quotation_shares(sentences, documents=_documents(data, documents), reused=reused)
    with plt.rc_context(display.font_rc()):
        own = ax is None
        ax = new_axes(ax, (7.5, 1.4 + 0.5 * max(1, len(table))))
        if table.empty:
            return say_empty(ax, _word("no_data", labels))
        y = list(range(len(table)))
        total = table["statements"].where(table["statements"] > 0, 1)
        parts = [("quoted", table["quoted"] / total, "C0"),
                 ("paraphrased", table["paraphrased"] / total, "0.75")]
        left = pd.Series(0.0, index=table.index)
        for name, share, colour in parts:
            bars = ax.barh(y, share, left=left, color=colour, label=chart_text(_word(name, labels)))
            for bar, n in zip(bars, table[name], strict=True):
                if n:
                    ax.text(bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2,
                            f"{n}", ha="center", va="center", fontsize=9)
            left = left + share
        ax.set_yticks(y, labels=_outlet_names(table["outlet"].astype(str).tolist()), **font_kwargs())
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
        ax.set_xlabel(chart_text(_word("share_of_statements", labels)), **font_kwargs())
        ax.set_title(chart_text(_word("quotation", labels)), loc="right" if rtl else "center",
                     **font_kwargs())
        ax.legend(loc="upper left" if rtl else "upper right", ncols=2, fontsize=9, frameon=False,
                  bbox_to_anchor=(0, -0.12) if rtl else (1, -0.12), markerfirst=not rtl)
        for side in ("top", "left" if rtl else "right"):
            ax.spines[side].set_visible(False)
        if rtl:
            ax.invert_xaxis()
            rows_to_right(ax)
    return fit_width(ax) if own else ax


def _most_and_least(table: pd.DataFrame, n: int) -> tuple[pd.DataFrame, str]:
    """The ``n`` ranked features most above and most below their expected counts, and the
    name of the statistic."""
    stat = "chi2" if "chi2" in table.columns else "G2"
    ranked = table[~table["small"]].sort_values(stat, ascending=False, kind="stable")
    return pd.concat([ranked[ranked[stat] > 0].head(n), ranked[ranked[stat] < 0].tail(n)]), stat


def _keyness_texts(outlet: str, stat: str, labels: str) -> tuple[str, str]:
    """The title and the axis label of a keyness chart."""
    (title_ar, title_en), (positive_ar, positive_en) = _WORDS["keyness"], _WORDS["positive"]
    sign = "χ²" if stat == "chi2" else "G²"
    return (_lines(title_en.replace("{}", outlet), title_ar.replace("{}", outlet), labels),
            _lines(f"{sign} ({positive_en})", f"{sign} ({positive_ar})", labels))


def plot_keyness(
    data: Any,
    *,
    outlet: str,
    documents: pd.DataFrame | None = None,
    feature: str = "word",
    n: int = 10,
    min_expected: float = 5.0,
    labels: str = "en",
    codebook: CodebookLike | None = None,
    direction: str | None = None,
    reused: str = "all",
    ax: Axes | None = None,
) -> Axes:
    """Bars of the features one outlet uses most and least against the others (ranked only).

    Parameters
    ----------
    data : DataFrame or Store
        A :func:`workbench.outlets.keyness` table, a sentences frame (with ``documents``),
        or a store.
    outlet : str
        The target outlet.
    documents : pandas.DataFrame or None, default None
        ``doc_id, outlet, date`` of the articles.
    feature : {"word", "actor", "speaker", "topic"}, default "word"
        What to compare (when computing from sentences).
    n : int, default 10
        How many features on each side (more, and less, than expected).
    min_expected : float, default 5.0
        Features whose smallest expected count is below this are left out (when
        computing from sentences).
    labels : {"ar", "en", "both"}, default "en"
        Language of labels and chart text.
    codebook : Codebook, CodebookSummary, Store or None, default None
        Labels of actors, speakers and topics.
    direction : {None, "ltr", "rtl"}, default None
        Names on the right by default for ``labels="ar"`` (the axis itself keeps
        negative values left, positive right).
    reused : {"all", "once"}, default "all"
        Count a reused passage once with ``"once"``.
    ax : matplotlib Axes or None, default None
        Where to draw; None makes a new figure.

    Returns
    -------
    matplotlib.axes.Axes
        One bar per feature, its signed statistic; features flagged ``small`` are left out.
    """
    import matplotlib.pyplot as plt

    rtl, codebook, sentences, _ = start_chart(data, None, labels, direction, codebook, reused)
    if "n_target" in sentences.columns:
        not_counted_again(reused, "keyness")
        table = sentences[sentences["outlet"] == outlet]
    else:
        table = outlets.keyness(sentences, documents=_documents(data, documents), target=outlet,
                                feature=feature, min_expected=min_expected, codebook=codebook,
                                reused=reused)
    chosen, stat = _most_and_least(table, n)
    title, xlabel = _keyness_texts(outlet, stat, labels)
    with plt.rc_context(display.font_rc()):
        own = ax is None
        ax = new_axes(ax, (7.5, 1.6 + 0.32 * max(1, len(chosen))))
        ax.set_title(chart_text(title), loc="right" if rtl else "center", **font_kwargs())
        if chosen.empty:  # the outlet has counts, all too small to rank
            return say_empty(ax, _word("too_small" if len(table) else "no_data", labels))
        y = list(range(len(chosen)))
        colours = ["C3" if v > 0 else "0.6" for v in chosen[stat]]
        ax.barh(y, chosen[stat], color=colours)
        ax.set_yticks(y, labels=labelled(chosen["feature"].astype(str).tolist(), labels, codebook),
                      **font_kwargs())
        ax.invert_yaxis()
        ax.axvline(0, color="0.3", linewidth=0.8)
        ax.set_xlabel(chart_text(xlabel), **font_kwargs())
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        if rtl:  # the names stand on the right; the axis keeps negative left, positive right
            rows_to_right(ax)
    return fit_width(ax) if own else ax


def _coverage_lines(table: pd.DataFrame, *, outlet: str | None, key: str | None,
                    ) -> tuple[pd.DataFrame, str, str]:
    """The lines of a coverage chart: periods × series (keys, or outlets for one key), what
    the series are, and what is counted."""
    name = "topic" if "topic" in table.columns else "speaker"
    count = "sentences" if "sentences" in table.columns else "statements"
    if outlet is not None:
        table = table[table["outlet"] == outlet]
    if key is not None:
        table = table[table[name] == key]
    series_by = "outlet" if key is not None else name
    lines = table.groupby(["period", series_by], sort=False)[count].sum().unstack(series_by).fillna(0)
    return lines.reindex(sorted(table["period"].unique())), series_by, count


def _time_axis(ax: Axes, periods: list[str], *, rtl: bool, labels: str) -> None:
    """Date ticks (at most about ten) and the name of the period under them."""
    x = list(range(len(periods)))
    step = max(1, len(periods) // 10)
    ax.set_xticks(x[::step], labels=periods[::step], rotation=-30 if rtl else 30,
                  ha="left" if rtl else "right", rotation_mode="anchor")
    days = len(periods) < 2 or (pd.Timestamp(periods[1]) - pd.Timestamp(periods[0])).days == 1
    ax.set_xlabel(chart_text(_word("day" if days else "week", labels)), **font_kwargs())


def _coverage_title(outlet: str | None, key: str | None, labels: str,
                    codebook: CodebookSummary | None) -> str:
    """"Coverage over time", with the outlet and the key drawn when given."""
    if not outlet and key is None:
        return _word("coverage", labels)

    def named(lang: str) -> list[str]:  # the outlet and the key, in the language of a line
        return [*([outlet] if outlet else []), *labelled([key] if key is not None else [], lang, codebook)]

    ar, en = _WORDS["coverage"]
    return _lines(" — ".join([en, *named("en")]), " — ".join([ar, *named("ar")]), labels)


def plot_coverage(
    data: Any,
    *,
    documents: pd.DataFrame | None = None,
    what: str = "topic",
    freq: str = "week",
    outlet: str | None = None,
    key: str | None = None,
    labels: str = "en",
    codebook: CodebookLike | None = None,
    direction: str | None = None,
    reused: str = "all",
    ax: Axes | None = None,
) -> Axes:
    """Timeline of coverage: one line per topic (or speaker), or per outlet for one key.

    Parameters
    ----------
    data : DataFrame or Store
        A :func:`workbench.outlets.coverage_over_time` table, a sentences frame (with
        ``documents``), or a store.
    documents : pandas.DataFrame or None, default None
        ``doc_id, outlet, date`` of the articles.
    what : {"topic", "speaker"}, default "topic"
        What is counted (when computing from sentences).
    freq : {"day", "week"}, default "week"
        The period (when computing from sentences).
    outlet : str or None, default None
        Draw this outlet's lines only; None adds all outlets up.
    key : str or None, default None
        Draw one topic (or speaker) with a line per outlet instead.
    labels : {"ar", "en", "both"}, default "en"
        Language of labels and chart text.
    codebook : Codebook, CodebookSummary, Store or None, default None
        Order and labels.
    direction : {None, "ltr", "rtl"}, default None
        Right to left (time running from right to left) by default for ``labels="ar"``.
    reused : {"all", "once"}, default "all"
        Count a reused passage once with ``"once"``.
    ax : matplotlib Axes or None, default None
        Where to draw; None makes a new figure.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt

    rtl, codebook, sentences, _ = start_chart(data, None, labels, direction, codebook, reused)
    if "period" in sentences.columns:
        not_counted_again(reused, "coverage_over_time")
        table = sentences
    else:
        table = outlets.coverage_over_time(sentences, documents=_documents(data, documents), what=what,
                                           freq=freq, codebook=codebook, reused=reused)
    lines, series_by, count = _coverage_lines(table, outlet=outlet, key=key)
    periods = list(lines.index)
    with plt.rc_context(display.font_rc()):
        own = ax is None
        ax = new_axes(ax, (8.5, 4.2))
        if lines.empty:
            return say_empty(ax, _word("no_data", labels))
        x = list(range(len(periods)))
        names = (_outlet_names(list(lines.columns)) if series_by == "outlet"
                 else labelled(list(lines.columns), labels, codebook))
        for column, label in zip(lines.columns, names, strict=True):
            ax.plot(x, lines[column].to_numpy(), marker="o", linewidth=1.8, label=label)
        _time_axis(ax, periods, rtl=rtl, labels=labels)
        ax.set_ylabel(chart_text(_word(count, labels)), **font_kwargs())
        ax.set_title(chart_text(_coverage_title(outlet, key, labels, codebook)),
                     loc="right" if rtl else "center", **font_kwargs())
        ax.set_ylim(bottom=0)
        ax.legend(fontsize=9, loc="upper right" if rtl else "upper left", markerfirst=not rtl,
                  bbox_to_anchor=(-0.02, 1) if rtl else (1.02, 1), frameon=False)  # outside the plot
        for side in ("top", "left" if rtl else "right"):
            ax.spines[side].set_visible(False)
        if rtl:
            ax.invert_xaxis()
            rows_to_right(ax)
    return fit_width(ax) if own else ax


def plot_shared_passages(
    data: Any,
    *,
    labels: str = "en",
    direction: str | None = None,
    cmap: str = "Purples",
    ax: Axes | None = None,
) -> Axes:
    """Heatmap of the reuse clusters two outlets both carry (the diagonal greyed).

    Parameters
    ----------
    data : Reuse or DataFrame
        What :func:`workbench.reuse.find_reuse` found, or a
        :func:`workbench.outlets.shared_passages` table.
    labels : {"ar", "en", "both"}, default "en"
        Language of chart text.
    direction : {None, "ltr", "rtl"}, default None
        Right to left by default for ``labels="ar"``.
    cmap : str, default "Purples"
        matplotlib colour map.
    ax : matplotlib Axes or None, default None
        Where to draw; None makes a new figure.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt

    from workbench.chartkit import right_to_left

    rtl = right_to_left(direction, labels)
    table = outlets.shared_passages(data) if isinstance(data, reuse.Reuse) else data
    names = [c for c in table.columns if c != "outlet"]
    with plt.rc_context(display.font_rc()):
        own = ax is None
        ax = new_axes(ax, (max(6.0, 2.6 + 1.1 * len(names)), 1.8 + 0.6 * max(1, len(names))))
        if not names:
            return say_empty(ax, _word("no_data", labels))
        heatmap(ax, table[names].to_numpy(), _outlet_names(table["outlet"].astype(str).tolist()),
                _outlet_names(names), rtl=rtl, cmap=cmap, title=_word("shared", labels),
                diagonal_apart=True)
        return fit_width(ax) if own else ax


def save_outlet_charts(
    sentences: Any,
    out_dir: str | os.PathLike,
    *,
    documents: pd.DataFrame | None = None,
    reuse_found: reuse.Reuse | None = None,
    labels: str = "both",
    codebook: CodebookLike | None = None,
    reused: str = "all",
    dpi: int = 150,
) -> list[Path]:
    """Write every outlet chart as PNG and SVG (what ``workbench compare`` draws).

    Parameters
    ----------
    sentences : DataFrame or Store
        The sentences frame (with ``documents``), or a store.
    out_dir : str or path
        Folder to write into (created when missing).
    documents : pandas.DataFrame or None, default None
        ``doc_id, outlet, date`` of the articles (a store's own when given a store).
    reuse_found : Reuse or None, default None
        The reuse of the same articles; adds ``shared_passages`` and serves ``reused="once"``.
    labels : {"ar", "en", "both"}, default "both"
        Language of labels and chart text.
    codebook : Codebook, CodebookSummary, Store or None, default None
        Order and labels.
    reused : {"all", "once"}, default "all"
        Count a reused passage once with ``"once"``.
    dpi : int, default 150
        Resolution of the PNG files.

    Returns
    -------
    list of pathlib.Path
        ``outlet_topics``, ``speaker_shares``, ``speaker_types``, ``statement_types``,
        ``quotation``, ``coverage``, ``shared_passages`` (with ``reuse_found``) and
        ``keyness_01`` … (one per outlet, in the order of the outlet tables), each
        ``.png`` then ``.svg``.
    """
    documents = _documents(sentences, documents)
    _, codebook, frame, _ = start_chart(sentences, None, labels, None, codebook, "all")
    if reused == "once" and "reused_copy" not in frame.columns:
        found = reuse_found
        if found is None and not isinstance(sentences, pd.DataFrame):  # a store: its own reuse
            from workbench.reuse_cache import cached_reuse

            found = cached_reuse(sentences)
        if found is not None:  # else the charts say how to mark the sentences
            frame = reuse.mark_reused(frame, found)
    common = {"documents": documents, "labels": labels, "reused": reused}
    charts = {
        "outlet_topics": lambda: plot_outlet_topics(frame, codebook=codebook, **common),
        "speaker_shares": lambda: plot_speaker_shares(frame, codebook=codebook, **common),
        "speaker_types": lambda: plot_speaker_shares(frame, by="type", codebook=codebook, **common),
        "statement_types": lambda: plot_statement_types(frame, codebook=codebook, **common),
        "quotation": lambda: plot_quotation(frame, **common),
        "coverage": lambda: plot_coverage(frame, codebook=codebook, **common),
    }
    if reuse_found is not None:
        charts["shared_passages"] = lambda: plot_shared_passages(reuse_found, labels=labels)
    names = sorted(set(outlets.speaker_shares(frame, documents=documents)["outlet"]))
    for number, outlet in enumerate(names, start=1):
        charts[f"keyness_{number:02d}"] = lambda outlet=outlet: plot_keyness(
            frame, outlet=outlet, feature="actor", codebook=codebook, **common)
    return write_figures(charts, out_dir, dpi=dpi)
