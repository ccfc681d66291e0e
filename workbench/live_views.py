"""Views of the store that the review panel draws again after every change made in it
(notebook 02's journal, agreement and progress)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from workbench.checks import check_choice

if TYPE_CHECKING:  # pragma: no cover
    import ipywidgets
    import pandas as pd

    from workbench.store import Store

__all__ = ["LIVE_VIEWS", "live_frame", "live_output"]

#: The views :meth:`workbench.widgets.ReviewPanel.live_view` keeps up to date.
LIVE_VIEWS = {
    "journal": "the latest ten journal entries",
    "agreement": "precision and recall of the automatic topics against the analysts' decisions",
    "progress": "how many sentences each annotator has reviewed",
}


def live_frame(store: Store, name: str) -> pd.DataFrame:
    """The table of one live view, read from the store now.

    Parameters
    ----------
    store : Store
        The store.
    name : {"journal", "agreement", "progress"}
        Which view.

    Returns
    -------
    pandas.DataFrame
        ``journal``: the last ten rows of :meth:`Store.journal`; ``agreement``:
        :func:`workbench.agreement.tagger_agreement`; ``progress``: ``annotator, reviewed,
        sentences``, one row per annotator.
    """
    import pandas as pd

    check_choice("name", name, LIVE_VIEWS)
    if name == "journal":
        return store.journal().tail(10)
    if name == "agreement":
        from workbench.agreement import tagger_agreement

        return tagger_agreement(store)
    names = store.annotators()
    counts = [store.progress(annotator=a) for a in names]
    return pd.DataFrame(
        {
            "annotator": names,
            "reviewed": [done for done, _ in counts],
            "sentences": [total for _, total in counts],
        }
    )


def live_output(store: Store, name: str) -> tuple[ipywidgets.Output, Callable[[], None]]:
    """An ``Output`` showing one live view, and the function that draws it again.

    Parameters
    ----------
    store : Store
        The store.
    name : {"journal", "agreement", "progress"}
        Which view.

    Returns
    -------
    tuple
        ``(output, draw)``; ``draw()`` has already run once.
    """
    import ipywidgets as w

    from workbench.table_view import show_table

    check_choice("name", name, LIVE_VIEWS)
    out = w.Output(layout=w.Layout(width="100%"))
    out.add_class(f"wb-live-{name}")

    def draw() -> None:
        out.outputs = ()
        out.append_display_data(show_table(live_frame(store, name)))

    draw()
    return out, draw
