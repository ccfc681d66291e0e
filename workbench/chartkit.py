"""Building blocks the chart modules share: Arabic text for matplotlib, axes, heatmaps.

Everything here serves :mod:`workbench.charts` and :mod:`workbench.outlet_charts`;
``display`` still decides how Arabic is drawn (:func:`workbench.display.for_matplotlib`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from workbench import display, reuse
from workbench.checks import check_choice
from workbench.codebook import CodebookLike, CodebookSummary, summary_of

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = [
    "DIRECTIONS",
    "chart_text",
    "new_axes",
    "right_to_left",
    "chart_frames",
    "start_chart",
    "not_counted_again",
    "labelled",
    "font_kwargs",
    "say_empty",
    "rows_to_right",
    "matrix_part",
    "heatmap",
    "drawn_tick_labels",
    "fit_width",
    "write_figures",
]

#: ``direction`` choices of every chart.
DIRECTIONS = {None: "right to left for labels='ar', else left to right", "ltr": "left to right",
              "rtl": "right to left"}


def chart_text(s: Any) -> str:
    # "$" would start mathtext: a label such as "US$ 5" is shown as written
    return display.for_matplotlib(str(s)).replace("$", r"\$")


def new_axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    import matplotlib.pyplot as plt

    if ax is not None:
        return ax
    fig, ax = plt.subplots(figsize=size, layout="constrained")
    # a margin: shaped Arabic at the figure's edge (row labels on the right) draws a little
    # wider than the extent matplotlib measures for it
    fig.get_layout_engine().set(w_pad=0.1)
    return ax


def right_to_left(direction: str | None, labels: str) -> bool:
    check_choice("labels", labels, display.LABELS)
    check_choice("direction", direction, DIRECTIONS)
    return direction == "rtl" or (direction is None and labels == "ar")


def chart_frames(data: Any, mentions: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """(sentences, mentions) from DataFrames or a store (``store.view()``)."""
    if isinstance(data, pd.DataFrame) or data is None:
        return data, mentions
    if not callable(getattr(data, "view", None)):
        raise TypeError(f"expected a pandas DataFrame or a workbench Store, not {type(data).__name__}")
    sentences, stored = data.view()
    return sentences, stored if mentions is None else mentions


def start_chart(
    data: Any, mentions: pd.DataFrame | None, labels: str, direction: str | None,
    codebook: CodebookLike | None, reused: str = "all",
) -> tuple[bool, CodebookSummary | None, pd.DataFrame, pd.DataFrame | None]:
    """Check the choices; (right to left?, codebook, sentences, mentions).

    Given a store as data and no codebook, the store's own codebook is used (the
    default codebook when the store has none yet); with ``reused="once"``, its
    sentences are marked with the store's reuse.
    """
    rtl = right_to_left(direction, labels)
    check_choice("reused", reused, reuse.REUSED)
    given_store = codebook is None and data is not None and not isinstance(data, pd.DataFrame)
    summary = summary_of(data if given_store else codebook)
    sentences, mentions = chart_frames(data, mentions)
    if reused == "once" and not isinstance(data, pd.DataFrame) and "reused_copy" not in sentences:
        from workbench.reuse_cache import cached_reuse

        sentences = reuse.mark_reused(sentences, cached_reuse(data))
    return rtl, None if summary is None or summary.is_empty else summary, sentences, mentions


def not_counted_again(reused: str, table: str) -> None:
    """A table given to a chart is counted already: ``reused`` cannot apply to it."""
    if reused == "once":
        raise ValueError(f"reused='once' applies when the chart counts from sentences or a store; "
                         f"this is a {table} table already: make it with reused='once'")


def labelled(keys: Sequence[str], labels: str, codebook: CodebookSummary | None) -> list[str]:
    summary = display.codebook_or_default(codebook)
    return [chart_text(display.label(str(k), labels=labels, codebook=summary)) for k in keys]


def font_kwargs() -> dict[str, Any]:
    return {"fontfamily": display.font_rc()["font.family"]}


def say_empty(ax: Axes, message: str) -> Axes:
    ax.text(0.5, 0.5, chart_text(message), ha="center", va="center", transform=ax.transAxes,
            fontsize=12, color="0.4", **font_kwargs())
    ax.set_xticks([])
    ax.set_yticks([])
    return ax


def rows_to_right(ax: Axes) -> None:
    ax.yaxis.tick_right()
    ax.yaxis.set_label_position("right")


def matrix_part(table: pd.DataFrame, row: str, extra: Sequence[str]) -> tuple[list[str], list[str], Any]:
    """Row keys, column keys and the integer matrix of a tables.* matrix frame."""
    skip = {row, f"{row}_ar", f"{row}_en", *extra}
    columns = [c for c in table.columns if c not in skip]
    return table[row].astype(str).tolist(), [str(c) for c in columns], table[columns].to_numpy()


def heatmap(
    ax: Axes,
    matrix: Any,
    row_labels: list[str],
    col_labels: list[str],
    *,
    rtl: bool,
    cmap: str,
    title: str,
    diagonal_apart: bool = False,
    percent: bool = False,
) -> Axes:
    """Draw a matrix as coloured cells with their values written in them.

    ``percent`` writes shares (0–1) as whole percentages and scales the colours to the
    largest share; otherwise values are counts, the colour scale starting at 0 and
    reaching at least 1. ``diagonal_apart`` greys the diagonal (a key with itself).
    Right to left puts the first column on the right and the row labels on the right.
    """
    import matplotlib as mpl
    import numpy as np
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    values = np.asarray(matrix, dtype=float)
    shade = values.copy()
    if diagonal_apart:  # the diagonal (a topic with itself) would swamp the colours: grey
        np.fill_diagonal(shade, np.nan)
    colours = mpl.colormaps[cmap].with_extremes(bad="0.9")
    top = np.nanmax(shade) if np.isfinite(shade).any() else 0.0
    top = max(0.01, top) if percent else max(1.0, top)
    image = ax.imshow(shade, cmap=colours, aspect="auto", vmin=0, vmax=top)
    font = font_kwargs()
    # mirrored for right to left: the label's far end sits at its column
    ax.set_xticks(range(len(col_labels)), labels=col_labels, rotation=-30 if rtl else 30,
                  ha="left" if rtl else "right", rotation_mode="anchor", **font)
    ax.set_yticks(range(len(row_labels)), labels=row_labels, **font)
    ax.tick_params(length=0)
    ax.set_xticks(np.arange(-0.5, len(col_labels)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(row_labels)), minor=True)
    ax.grid(which="minor", color="white", linewidth=1.5)
    ax.tick_params(which="minor", length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            dark = np.isfinite(shade[i, j]) and shade[i, j] > top * 0.6
            ax.text(j, i, f"{values[i, j]:.0%}" if percent else f"{values[i, j]:g}", ha="center",
                    va="center", fontsize=10, color="white" if dark else "black")
    if rtl:
        ax.invert_xaxis()
        rows_to_right(ax)
    ax.set_title(chart_text(title), loc="right" if rtl else "center", **font)
    bar = ax.figure.colorbar(image, ax=ax, shrink=0.8, location="left" if rtl else "right")
    if percent:  # as many decimals as a tick needs: 2.5%, not 2% (a tall bar is ticked finely)
        bar.formatter = FuncFormatter(
            lambda v, _: f"{round(100 * v, 2) + 0.0:.2f}".rstrip("0").rstrip(".") + "%")
    else:
        bar.locator = MaxNLocator(integer=True)
    bar.update_ticks()
    return ax


def drawn_tick_labels(ax: Axes) -> list[Any]:
    """The tick labels a chart draws: of the ticks inside its view, on either side."""
    out = []
    for axis, (lo, hi) in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
        lo, hi = min(lo, hi), max(lo, hi)
        for tick in axis.get_major_ticks():
            if lo - 1e-9 <= tick.get_loc() <= hi + 1e-9:
                out += [label for label in (tick.label1, tick.label2) if label.get_visible()]
    return out


def fit_width(ax: Axes, *, min_cell: float = 0.3) -> Axes:
    """Widen the figure of a chart drawn on a figure of its own until every text of the
    chart (title, labels, values) lies inside it and a heatmap's cells are at least
    ``min_cell`` inches wide: long outlet names and ``labels="both"`` need the room.

    Parameters
    ----------
    ax : matplotlib Axes
        The chart, alone on its figure (constrained layout).
    min_cell : float, default 0.3
        Least width of a heatmap cell, inches.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``, its figure widened when needed.
    """
    from matplotlib.text import Text

    fig = ax.figure
    for _ in range(3):  # each widening moves the layout; it settles in one or two
        renderer = fig.canvas.get_renderer()
        fig.get_layout_engine().execute(fig)  # the layout, without drawing every cell
        legend = ax.get_legend().get_texts() if ax.get_legend() is not None else []
        texts = [t for t in [*ax.get_children(), *drawn_tick_labels(ax), *legend]
                 if isinstance(t, Text) and t.get_visible() and t.get_text()]
        need = 0.0
        for t in texts:
            box = t.get_window_extent(renderer)
            over = max(0.0, -box.x0, box.x1 - fig.bbox.width)
            # a centred text (a title over the axes) gains half of what the axes gain
            need = max(need, over * (2 if t.get_horizontalalignment() == "center" else 1))
        if ax.images:
            columns = ax.images[0].get_array().shape[1]
            need += max(0.0, min_cell * fig.dpi * columns - ax.get_window_extent(renderer).width)
        if need < 1:
            break
        fig.set_figwidth(fig.get_figwidth() + need / fig.dpi + 0.05)
    return ax


def write_figures(charts: Mapping[str, Callable[[], Axes]], out_dir: str | os.PathLike, *,
                  dpi: int = 150) -> list[Path]:
    """Draw each chart and write it as PNG and SVG, each file under a temporary name first.

    Parameters
    ----------
    charts : mapping of str to callable
        File name (without extension) → a function drawing the chart on a new figure.
    out_dir : str or path
        Folder to write into (created when missing).
    dpi : int, default 150
        Resolution of the PNG files.

    Returns
    -------
    list of pathlib.Path
        ``name.png`` then ``name.svg`` for each chart, in order; every figure is closed.
    """
    import matplotlib.pyplot as plt

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, draw in charts.items():
        fig = draw().figure
        try:
            for fmt in ("png", "svg"):
                path = out / f"{name}.{fmt}"
                tmp = out / f".{name}.{fmt}.partial"
                fig.savefig(tmp, format=fmt, dpi=dpi)
                os.replace(tmp, path)
                written.append(path)
        finally:
            plt.close(fig)
    return written
