"""Comparing the outlets of a store: its text reuse and outlet profiles, as files.

:func:`comparison_tables` gathers the tables (:data:`COMPARISON_TABLES`), which
:func:`workbench.export.export` adds to every CSV export, and :func:`draw_comparison` the
charts; :func:`workbench.export.export_comparison` writes both with a ``comparison.json``
manifest (``workbench compare``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["COMPARISON_TABLES", "comparison_tables", "draw_comparison"]

#: The tables comparing outlets and what each holds, as the manifests list them.
COMPARISON_TABLES = {
    "reuse_clusters": "passages several articles share: how many carry each, the first carrier, the text",
    "reuse_spans": "where each shared passage stands in each article that carries it (start, end, text)",
    "reuse_articles": "each article's words, words shared with other articles, original share",
    "reuse_near_duplicates": "whole articles posted twice (similarity of their word 3-shingles)",
    "reuse_by_outlet": "each outlet's shared and original words, passages carried first or copied",
    "shared_passages": "outlet by outlet: the shared passages both carry",
    "outlet_topics": "topics by outlet: sentences raising each, share of the outlet's sentences",
    "outlet_speakers": "whom each outlet lets speak: statements per speaker and their share",
    "outlet_speaker_types": "statements per actor type of the speaker, by outlet",
    "outlet_statement_types": "statement types of each speaker, by outlet",
    "outlet_quotation": "statements quoted directly or paraphrased, by outlet",
    "outlet_keyness_words": "words each outlet uses more or less than the others (chi2, p; small flagged)",
    "outlet_keyness_actors": "actors each outlet mentions more or less than the others (chi2, p)",
    "coverage_by_week": "sentences raising each topic per week and outlet",
}


def comparison_tables(store: Any, *, annotator: str | None = None, as_of: int | None = None,
                      labels: str | None = None, reused: str = "all",
                      view: tuple[pd.DataFrame, pd.DataFrame] | None = None) -> dict[str, pd.DataFrame]:
    """The tables comparing outlets: the store's text reuse and the outlet profiles.

    Parameters
    ----------
    store : workbench.store.Store
        Where the articles (texts, dates, outlets), the view and the codebook come from.
    annotator : str, optional
        Count with only this annotator's corrections (default: everyone's).
    as_of : int, optional
        The journal position of the view (:meth:`Store.view`); default: all of it.
    labels : {None, "ar", "en", "both"}, default None
        Add labels to the profile tables.
    reused : {"all", "once"}, default "all"
        Count a reused passage once in the profiles with ``"once"``.
    view : tuple of pandas.DataFrame, optional
        ``(sentences, mentions)`` of :meth:`Store.view` already read (then ``annotator``
        and ``as_of`` are not used): an export reads the view once.

    Returns
    -------
    dict of str to pandas.DataFrame
        The tables of :data:`COMPARISON_TABLES`, in that order.
    """
    from workbench import outlets
    from workbench.reuse_cache import cached_reuse

    sentences, mentions = view if view is not None else store.view(annotator=annotator, as_of=as_of)
    found = cached_reuse(store)
    profiles = outlets.outlet_profiles(sentences, mentions, documents=store.documents(), reuse_found=found,
                                       reused=reused, labels=labels, codebook=store.codebook())
    tables = {"reuse_clusters": found.clusters, "reuse_spans": found.spans,
              "reuse_articles": found.articles, "reuse_near_duplicates": found.near_duplicates,
              **profiles}
    return {name: tables[name] for name in COMPARISON_TABLES}


def draw_comparison(store: Any, frames: dict[str, pd.DataFrame], out: Path, *, annotator: str | None,
          labels: str, reused: str, dpi: int) -> list[Path]:
    """Draw the outlet charts of a comparison from the tables of :func:`comparison_tables`.

    Parameters
    ----------
    store : workbench.store.Store
        The store compared.
    frames : dict of str to pandas.DataFrame
        What :func:`comparison_tables` returned (its reuse tables are used).
    out : pathlib.Path
        The folder to write into.
    annotator, labels, reused, dpi
        As for :func:`workbench.outlet_charts.save_outlet_charts`.

    Returns
    -------
    list of pathlib.Path
        The chart files, PNG then SVG for each.
    """
    from workbench.outlet_charts import save_outlet_charts
    from workbench.reuse import Reuse

    found = Reuse(clusters=frames["reuse_clusters"], spans=frames["reuse_spans"],
                  articles=frames["reuse_articles"], pairs=pd.DataFrame(),
                  near_duplicates=frames["reuse_near_duplicates"])
    sentences, _ = store.view(annotator=annotator)
    return save_outlet_charts(sentences, out, documents=store.documents(), reuse_found=found,
                              labels=labels, codebook=store.codebook(), reused=reused, dpi=dpi)
