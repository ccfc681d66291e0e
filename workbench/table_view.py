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
#: Tables larger than this (JSON bytes) are thinned by itables with a warning shown.
MAX_BYTES = 16 * 2**20

_LABEL = re.compile(r"^(?P<ar>.*\S)\s+\((?P<en>[^()]*)\)$")
_SHARE = re.compile(r"(^|_)share($|_)")
_loaded_in_this_kernel = False

_CSS = """
.wb-table { direction: rtl; }
.wb-table table.dataTable td, .wb-table table.dataTable th { unicode-bidi: plaintext; text-align: start;
  white-space: nowrap; }
.wb-table table.dataTable td.wb-text { white-space: normal; min-width: 16em; max-width: 36em; }
.wb-table table.dataTable th.wb-text { min-width: 16em; }
.wb-table table.dataTable td.dt-type-numeric, .wb-table table.dataTable th.dt-type-numeric { text-align: left; }
.wb-table .wb-more > summary { cursor: pointer; color: inherit; }
.wb-table .wb-more > summary::marker { color: #1677ff; }
.wb-table .wb-more[open] > summary { font-size: 0; }
.wb-table .wb-more[open] > summary::after { content: "▴"; font-size: 12px; color: #1677ff; }
"""

_CUT = """function (data, type) {
  if (type !== 'display' || typeof data !== 'string') { return data; }
  const box = document.createElement('textarea');
  box.innerHTML = data;
  const text = box.value;
  if (text.length <= %(n)d) { return data; }
  const esc = s => s.replace(/[&<>"']/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'})[c]);
  return '<details class="wb-more"><summary title="click to show the whole text">' + esc(text.slice(0, %(n)d)) +
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


def _prepared(frame: pd.DataFrame, truncate: int) -> tuple[pd.DataFrame, list[str], list[int]]:
    """Escaped copy of ``frame`` (index as columns when it means something), its column
    names, and the positions of its long-text columns."""
    import pandas as pd
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"show_table() needs a pandas DataFrame, not {type(frame).__name__}")
    out = frame.copy()
    if not isinstance(out.index, pd.RangeIndex) or out.index.name is not None:
        out = out.reset_index()
    long_text = []
    columns = {}
    for i, column in enumerate(out.columns):
        values = out[column]
        if is_numeric_dtype(values) and not is_bool_dtype(values):
            columns[column] = values
            continue
        cells = ["" if v is None or (isinstance(v, float) and v != v) else str(v) for v in values.tolist()]
        if any(len(c) > truncate for c in cells):
            long_text.append(i)
        columns[column] = pd.Series([html.escape(c, quote=True) for c in cells], index=out.index, dtype=object)
    prepared = pd.DataFrame(columns, index=out.index)
    prepared.columns = [header_html(c) for c in out.columns]
    return prepared, [str(c) for c in out.columns], long_text


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
        HTML in a ``<div dir="rtl" class="wb-table">``.
    """
    from itables import JavascriptFunction
    from itables.javascript import generate_init_offline_itables_html, to_html_datatable
    from itables import options

    if not isinstance(page_length, int) or page_length < 1:
        raise ValueError(f"`page_length` value = {page_length!r} is invalid; give a whole number of rows, 1 or more")
    prepared, names, long_text = _prepared(frame, truncate)
    shares = [i for i, n in enumerate(names) if (n in percent if percent is not None else _SHARE.search(n))]
    column_defs: list[dict[str, Any]] = []
    if long_text:
        column_defs.append({"targets": long_text, "className": "wb-text",
                            "render": JavascriptFunction(_CUT % {"n": truncate})})
    if shares:
        column_defs.append({"targets": shares, "render": JavascriptFunction(_PERCENT)})
    body = to_html_datatable(
        prepared, caption=html.escape(caption) if caption else None, connected=False, allow_html=True,
        showIndex=False, pageLength=page_length, lengthMenu=list(PAGE_LENGTHS), maxBytes=MAX_BYTES,
        classes="display compact", style="width:100%", columnDefs=column_defs, css=_CSS, scrollX=True,
        autoWidth=True,
    )
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

    out = HTML(table_html(frame, page_length=page_length, truncate=truncate, percent=percent,
                          caption=caption, include_library=not _loaded_in_this_kernel))
    _loaded_in_this_kernel = True
    return out
