"""Interactive tables for notebooks: right to left, escaped, paginated, searchable, sortable.

    from workbench.table_view import show_table
    show_table(tables.statements(sentences, labels="both", codebook=store))

:func:`show_table` draws a DataFrame with `itables <https://mwouts.github.io/itables/>`_
(DataTables) in its offline mode: the DataTables code ships inside the itables wheel and
goes into the notebook with the first table of a kernel, so nothing is fetched from the
network. itables was chosen over a widget grid (ipydatagrid, ipyaggrid) because the table
is plain HTML that the browser lays out: Arabic is shaped and wrapped by the browser,
``dir="rtl"`` puts the first column on the right, and the table stays in the saved
notebook (a widget grid is empty when the notebook is opened again without its kernel).
Paging, search and sorting run in the browser, so a table of 20,000 rows is drawn one page
at a time.

Article text is untrusted: every cell and header is HTML-escaped here, before it reaches
the page. Long text is cut to a readable line and shown whole with one click; shares are
shown as percentages (the data stays a fraction, so sorting is numeric); headers that mix
Arabic and English are isolated part by part (``<bdi>``), so their parentheses stay where
they belong.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from workbench.display import has_arabic

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from IPython.display import HTML

__all__ = ["show_table", "table_html", "header_html"]

#: Rows per page, and the page sizes offered.
PAGE_LENGTH = 10
PAGE_LENGTHS = (10, 25, 50, 100)
#: Text longer than this many characters is cut, and shown whole on a click.
TRUNCATE = 80

_ROWS = "@@workbench-rows@@"
_LABEL = re.compile(r"^(?P<ar>.*\S)\s+\((?P<en>[^()]*)\)$")
_SHARE = re.compile(r"(^|_)share($|_)")
_loaded_in_this_kernel = False

_CSS = """
.wb-table { direction: rtl; }
.wb-table table.dataTable td, .wb-table table.dataTable th { unicode-bidi: plaintext; text-align: start;
  white-space: nowrap; }
.wb-table table.dataTable td.wb-text { white-space: normal; min-width: 16em; max-width: 36em; }
.wb-table table.dataTable th.wb-text { min-width: 16em; }
.wb-table table.dataTable td.dt-type-numeric,
.wb-table table.dataTable th.dt-type-numeric { text-align: left; }
.wb-table .dt-layout-row { gap: 2em; }
.wb-table .wb-more > summary { cursor: pointer; color: inherit; }
.wb-table .wb-more > summary::marker { color: #1677ff; }
.wb-table .wb-more[open] > summary { font-size: 0; }
.wb-table .wb-more[open] > summary::after { content: "▴"; font-size: 12px; color: #1677ff; }
"""

# The controls' English words, isolated so that their punctuation stays put in a right-to-left table.
_LANGUAGE = {
    "search": "<bdi>search:</bdi>",
    "lengthMenu": "_MENU_ <bdi>rows per page</bdi>",
    "info": "<bdi>Showing _START_ to _END_ of _TOTAL_ entries</bdi>",
    "infoFiltered": "<bdi>(filtered from _MAX_ entries)</bdi>",
}

# A table drawn while its output was hidden (a notebook scrolled elsewhere) has its header
# laid out at width 0; lay it out again whenever the table's width changes (watched from the
# first draw: itables keeps initComplete for itself).
_ADJUST = """function () {
  const api = this.api();
  const box = api.table().container();
  if (box.wbWatched) { return; }
  box.wbWatched = true;
  let width = null;
  new ResizeObserver(entries => {
    const now = Math.round(entries[0].contentRect.width);
    if (now !== width) { width = now; if (now > 0) { api.columns.adjust(); } }
  }).observe(box);
}"""

_DECIMALS = """function (data, type) {
  if (type !== 'display' || typeof data !== 'number') { return data; }
  return String(+data.toFixed(3));
}"""

_CUT = """function (data, type) {
  if (type !== 'display' || typeof data !== 'string') { return data; }
  const box = document.createElement('textarea');
  box.innerHTML = data;
  const text = box.value;
  if (text.length <= %(n)d) { return data; }
  const entities = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'};
  const esc = s => s.replace(/[&<>"']/g, c => entities[c]);
  return '<details class="wb-more"><summary title="click to show the whole text">' +
    esc(text.slice(0, %(n)d)) +
    '…</summary>' + data + '</details>';
}"""

_PERCENT = """function (data, type) {
  if (type !== 'display' || typeof data !== 'number') { return data; }
  return (100 * data).toFixed(1) + '%';
}"""


def header_html(name: Any) -> str:
    """One column header as HTML: escaped, each language part bidi-isolated.

    Parameters
    ----------
    name : Any
        A column name, e.g. ``"اتفاقات مينسك (Minsk agreements)"`` (``display.label``
        with ``labels="both"``) or ``"topic_ar"``.

    Returns
    -------
    str
        ``<bdi>اتفاقات مينسك</bdi> <bdi>(Minsk agreements)</bdi>`` for an Arabic label
        with an English one in parentheses; ``<bdi>name</bdi>`` otherwise. Each ``<bdi>``
        takes its direction from its own first letter.
    """
    text = str(name)
    found = _LABEL.match(text)
    if found and has_arabic(found["ar"]) and not has_arabic(found["en"]):
        return f"<bdi>{html.escape(found['ar'])}</bdi> <bdi>({html.escape(found['en'])})</bdi>"
    return f"<bdi>{html.escape(text)}</bdi>"


def _escaped(values: pd.Series) -> tuple[list[str], int]:
    """A column as escaped text (missing values empty), and its longest text before escaping.
    The column is escaped in one pass: its texts joined by NUL, escaped, split again."""
    mask = values.isna().to_numpy()
    texts = ["" if missing else str(v) for v, missing in zip(values.tolist(), mask, strict=True)]
    longest = max(map(len, texts), default=0)
    joined = "\0".join(texts)
    if joined.count("\0") == len(texts) - 1:  # no NUL in the text itself
        return (html.escape(joined, quote=True).split("\0") if texts else []), longest
    return [html.escape(t, quote=True) for t in texts], longest


def _cells(values: pd.Series) -> tuple[list[Any], str, int]:
    """One column as DataTables gets it: numbers as numbers (NaN as null), everything else
    as escaped text; its kind (``"float"``, ``"number"``, ``"text"``); its longest text."""
    import pandas as pd
    from pandas.api.types import is_bool_dtype, is_float_dtype, is_integer_dtype

    if is_bool_dtype(values) and not values.isna().any():
        return [bool(v) for v in values.tolist()], "text", 5
    if is_integer_dtype(values):
        return [None if pd.isna(v) else int(v) for v in values.astype(object).tolist()], "number", 0
    if is_float_dtype(values):
        return [
            None if v != v or v in (float("inf"), float("-inf")) else float(v) for v in values.tolist()
        ], "float", 0
    texts, longest = _escaped(values)
    return texts, "text", longest


def _columns(frame: pd.DataFrame) -> tuple[list[str], list[list[Any]], list[str], list[int]]:
    """Column names, cells by column (index as columns when it means something), each
    column's kind and longest text."""
    import pandas as pd

    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"show_table() needs a pandas DataFrame, not {type(frame).__name__}")
    if not isinstance(frame.index, pd.RangeIndex) or frame.index.name is not None:
        frame = frame.reset_index()
    names, cells, kinds, longest = [], [], [], []
    for i in range(frame.shape[1]):
        values, kind, length = _cells(frame.iloc[:, i])
        names.append(str(frame.columns[i]))
        cells.append(values)
        kinds.append(kind)
        longest.append(length)
    return names, cells, kinds, longest


def _fallback(names: list[str], rows: list[tuple], total: int) -> str:
    """A plain table of the first page, shown where scripts do not run (an untrusted notebook)."""
    head = "".join(f"<th>{header_html(n)}</th>" for n in names)
    body = "".join(
        "<tr>" + "".join(f"<td>{'' if v is None else v}</td>" for v in row) + "</tr>" for row in rows
    )
    note = (
        f"<caption>the first {len(rows)} of {total} rows; run the notebook to page, search and sort</caption>"
    )
    return f'<table dir="rtl">{note}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _column_defs(names: list[str], kinds: list[str], longest: list[int], *, truncate: int,
                 percent: Sequence[str] | None) -> list[dict[str, Any]]:
    """DataTables ``columnDefs``: long text cut, shares as percentages, other floats rounded;
    each column's type given, so that DataTables need not guess it from every row."""
    from itables import JavascriptFunction

    floats = [i for i, kind in enumerate(kinds) if kind == "float"]
    long_text = [i for i, kind in enumerate(kinds) if kind == "text" and longest[i] > truncate]
    shares = [i for i in floats if (names[i] in percent if percent is not None else _SHARE.search(names[i]))]
    column_defs: list[dict[str, Any]] = []
    if long_text:
        cut = JavascriptFunction(_CUT % {"n": truncate})
        column_defs.append({"targets": long_text, "className": "wb-text", "render": cut})
    if shares:
        column_defs.append({"targets": shares, "render": JavascriptFunction(_PERCENT)})
    if set(floats) - set(shares):
        column_defs.append(
            {"targets": sorted(set(floats) - set(shares)), "render": JavascriptFunction(_DECIMALS)}
        )
    for kind, dt_type in (("text", "string"), ("number", "num"), ("float", "num")):
        targets = [i for i, k in enumerate(kinds) if k == kind]
        if targets:
            column_defs.append({"targets": targets, "type": dt_type})
    return column_defs


def _datatable(names: list[str], cells: list[list[Any]], column_defs: list[dict[str, Any]], *,
               page_length: int, caption: str | None) -> str:
    """The table's HTML and script, from itables, with the rows put in as UTF-8 JSON."""
    import pandas as pd
    from itables import JavascriptFunction
    from itables.javascript import check_table_id, get_itable_arguments, html_table_from_template

    rows = list(zip(*cells, strict=True)) if cells else []
    # itables writes the header and the options from the first rows (one more than a page,
    # so that a long table keeps its paging controls); the rows themselves go in as they are
    shell = pd.DataFrame(
        {header_html(n): column[: page_length + 1] for n, column in zip(names, cells, strict=True)},
        columns=[header_html(n) for n in names],
    )
    settings: dict[str, Any] = dict(
        connected=False, allow_html=True, showIndex=False, pageLength=page_length,
        lengthMenu=list(PAGE_LENGTHS), maxBytes=0, classes="display compact",
        style="table-layout:auto;width:100%;margin:0", columnDefs=column_defs, css=_CSS, scrollX=True,
        autoWidth=False, deferRender=True, language=_LANGUAGE, format_floats_in_python=False,
        drawCallback=JavascriptFunction(_ADJUST),
    )
    settings["table_id"] = table_id = check_table_id(None, settings, df=shell)
    dt_args = get_itable_arguments(shell, html.escape(caption) if caption else None, **settings)
    dt_args["data_json"] = _ROWS
    body = html_table_from_template(
        table_id=table_id,
        dt_url=dt_args.pop("dt_url"),
        connected=dt_args.pop("connected"),
        display_logo_when_loading=dt_args.pop("display_logo_when_loading", False),
        kwargs=dt_args,
        fallback_html=_fallback(names, rows[:page_length], len(rows)),
    )
    # itables would write the rows with every Arabic letter as \\uXXXX (six bytes for two):
    # they go in as UTF-8 instead ("</" escaped, though escaped cells hold no "<" at all)
    rows_json = json.dumps(json.dumps(rows, ensure_ascii=False), ensure_ascii=False).replace("</", "<\\/")
    return body.replace(json.dumps(_ROWS), rows_json, 1)


def table_html(
    frame: pd.DataFrame,
    *,
    page_length: int = PAGE_LENGTH,
    truncate: int = TRUNCATE,
    percent: Sequence[str] | None = None,
    caption: str | None = None,
    include_library: bool = False,
) -> str:
    """The HTML of an interactive table (what :func:`show_table` displays).

    Parameters
    ----------
    frame : pandas.DataFrame
        Any table; it is not modified. A meaningful index (named, or not 0…n-1) is shown
        as columns.
    page_length : int, default 10
        Rows per page (the reader can choose 10, 25, 50 or 100).
    truncate : int, default 80
        Text cells longer than this many characters are cut, with the whole text one
        click away; their columns wrap and are never narrower than 16em.
    percent : sequence of str, optional
        Columns of fractions shown as percentages; default: columns named ``share`` or
        ``..._share`` / ``share_...``.
    caption : str, optional
        A caption under the table (escaped).
    include_library : bool, default False
        Put the DataTables library (offline, about 1 MB) in front of the table; needed
        once per page.

    Returns
    -------
    str
        HTML in a ``<div dir="rtl" class="wb-table">``; the rows go to the page as JSON
        (UTF-8, every text cell escaped), drawn one page at a time.
    """
    from itables import options
    from itables.javascript import generate_init_offline_itables_html

    if not isinstance(page_length, int) or isinstance(page_length, bool) or page_length < 1:
        raise ValueError(
            f"`page_length` value = {page_length!r} is invalid; give a whole number of rows, 1 or more"
        )
    names, cells, kinds, longest = _columns(frame)
    body = _datatable(names, cells, _column_defs(names, kinds, longest, truncate=truncate, percent=percent),
                      page_length=page_length, caption=caption)
    library = generate_init_offline_itables_html(options.dt_bundle) if include_library else ""
    return f'{library}<div dir="rtl" lang="ar" class="wb-table">{body}</div>'


def show_table(
    frame: pd.DataFrame,
    *,
    page_length: int = PAGE_LENGTH,
    truncate: int = TRUNCATE,
    percent: Sequence[str] | None = None,
    caption: str | None = None,
) -> HTML:
    """Show a table in a notebook: right to left, paginated, searchable and sortable.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any table; it is not modified.
    page_length : int, default 10
        Rows per page.
    truncate : int, default 80
        Text cells longer than this are cut, with the whole text one click away.
    percent : sequence of str, optional
        Columns of fractions shown as percentages (default: ``share`` columns).
    caption : str, optional
        A caption under the table.

    Returns
    -------
    IPython.display.HTML
        Displayed when it ends a cell. The first table of a kernel carries the DataTables
        library (offline); keep its output in the notebook.
    """
    global _loaded_in_this_kernel
    from IPython.display import HTML

    out = HTML(
        table_html(
            frame,
            page_length=page_length,
            truncate=truncate,
            percent=percent,
            caption=caption,
            include_library=not _loaded_in_this_kernel,
        )
    )
    _loaded_in_this_kernel = True
    return out
