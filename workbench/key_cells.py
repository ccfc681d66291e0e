"""The key cells of the tables: ``;``-joined topic keys and actor ids (``"ukraine;minsk"``)
split into their keys, each distinct cell once (cells repeat across sentences)."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["split_keys", "split_cell", "split_cells", "seen_keys"]


def split_keys(value: Any) -> list[str]:
    """Split a ``;``-joined key cell into its keys.

    Parameters
    ----------
    value : str, list or tuple of str, None or NaN
        A ``topics`` / ``actors`` cell such as ``"ukraine;minsk"``, or keys
        already split (``["ukraine", "minsk"]``); each item of a list or
        tuple is split and cleaned like a cell.

    Returns
    -------
    list of str
        The keys in their order, stripped, without blanks; ``[]`` for ``""``,
        None, NaN or an empty list.
    """
    if isinstance(value, str):
        return list(split_cell(value))
    if value is None or (isinstance(value, float) and value != value):
        return []
    if isinstance(value, (list, tuple)):
        return [key for item in value
                for key in (split_cell(item) if item.__class__ is str else split_keys(item))]
    return list(split_cell(str(value)))


@lru_cache(maxsize=1 << 14)
def split_cell(cell: str) -> tuple[str, ...]:
    """The keys of one cell (cells repeat: each distinct one is split once)."""
    return tuple(k.strip() for k in cell.split(";") if k.strip())


def split_cells(cells: list) -> list:
    """The keys of each cell (:func:`split_keys`), each distinct cell split once."""
    try:
        split = {c: split_cell(c) if c.__class__ is str else split_keys(c) for c in set(cells)}
    except TypeError:  # a cell that is a list
        return [split_cell(c) if c.__class__ is str else split_keys(c) for c in cells]
    return list(map(split.__getitem__, cells))


def seen_keys(cells: pd.Series) -> list[str]:
    """The keys of a key column, each once, in order of first appearance."""
    values = cells.tolist()
    try:
        values = list(dict.fromkeys(values))  # a key first seen in a cell is first seen in its first copy
    except TypeError:  # a cell that is a list
        pass
    return list(dict.fromkeys(split_keys(values)))
