"""Agreement between annotators, and between the automatic layer and the analysts.

- :func:`annotator_agreement`: per topic (or actor), Cohen's kappa when two annotators
  are compared, Krippendorff's alpha (nominal, missing data allowed) for more.
- :func:`tagger_agreement`: per topic (or actor), precision / recall / F1 of the
  automatic tagger against what the analysts decided.

An annotator has *decided* a sentence when a correction of theirs that is still in effect
touched it (a tick on "reviewed" counts): in :meth:`Store.view` with ``annotator=`` that
row has ``source == "manual"``. Only decided sentences are compared.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from itertools import permutations
from typing import Any

import pandas as pd

from .checks import check_choice
from .tables import split_keys

__all__ = ["cohen_kappa", "krippendorff_alpha", "annotator_agreement", "tagger_agreement"]

_FIELDS = {"topics": "topic", "actors": "actor"}
_METHODS = {
    "auto": "Cohen's kappa for two annotators, Krippendorff's alpha for more",
    "cohen_kappa": "Cohen's kappa (exactly two annotators)",
    "krippendorff_alpha": "Krippendorff's alpha, nominal (two or more annotators)",
}


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Cohen's kappa between two annotators' labels of the same items.

    Parameters
    ----------
    a, b : sequence
        Labels, item by item (same length).

    Returns
    -------
    float
        ``(p_o - p_e) / (1 - p_e)``; NaN when there are no items or chance agreement
        is 1 (both annotators used one and the same label throughout).
    """
    if len(a) != len(b):
        raise ValueError(f"cohen_kappa needs labels for the same items: got {len(a)} and {len(b)}")
    n = len(a)
    if n == 0:
        return float("nan")
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    count_a, count_b = Counter(a), Counter(b)
    expected = sum(count_a[label] * count_b[label] for label in count_a) / (n * n)
    if expected == 1:
        return float("nan")
    return (observed - expected) / (1 - expected)


def krippendorff_alpha(units: Sequence[Sequence[Hashable | None]]) -> float:
    """Krippendorff's alpha for nominal data, with missing values.

    Parameters
    ----------
    units : sequence of sequences
        One row per item, one value per annotator (None where that annotator did not
        code the item). Items with fewer than two values are not pairable and ignored.

    Returns
    -------
    float
        ``1 - (n - 1) * sum_{c != k} o_ck / sum_{c != k} n_c n_k``; NaN when fewer than
        two values are pairable or only one label occurs.
    """
    coincidence: Counter[tuple[Hashable, Hashable]] = Counter()
    for unit in units:
        values = [v for v in unit if v is not None]
        m = len(values)
        if m < 2:
            continue
        for i, j in permutations(range(m), 2):
            coincidence[values[i], values[j]] += 1 / (m - 1)
    totals: Counter[Hashable] = Counter()
    for (c, _), weight in coincidence.items():
        totals[c] += weight
    n = sum(totals.values())
    disagree = sum(w for (c, k), w in coincidence.items() if c != k)
    chance = sum(totals[c] * totals[k] for c in totals for k in totals if c != k)
    if n < 2 or chance == 0:
        return float("nan")
    return 1 - (n - 1) * disagree / chance


def _keys_in_order(frames: Sequence[pd.DataFrame], field: str, keys: Sequence[str] | None) -> list[str]:
    if keys is not None:
        return list(keys)
    return list(dict.fromkeys(key for frame in frames for cell in frame[field] for key in split_keys(cell)))


def _views(data: Any, annotators: Sequence[str] | None) -> tuple[dict[str, pd.DataFrame], list[str] | None]:
    if isinstance(data, Mapping):
        views = {name: data[name] for name in (annotators or list(data))}
        return views, None
    names = list(annotators) if annotators is not None else data.annotators()
    summary = data.codebook()
    return {name: data.sentences(annotator=name) for name in names}, summary


def annotator_agreement(data: Any, *, annotators: Sequence[str] | None = None, field: str = "topics",
                        method: str = "auto", keys: Sequence[str] | None = None) -> pd.DataFrame:
    """Per-topic (or per-actor) agreement between annotators on the sentences they decided.

    Parameters
    ----------
    data : Store or mapping of str to pandas.DataFrame
        A store (each annotator's view is taken with :meth:`Store.view`), or each
        annotator's sentences view (columns ``sentence_id``, ``source`` and ``field``).
    annotators : sequence of str, optional
        Whom to compare (default: everyone in the journal / mapping).
    field : {"topics", "actors"}, default "topics"
        What to compare.
    method : {"auto", "cohen_kappa", "krippendorff_alpha"}, default "auto"
        ``auto`` uses Cohen's kappa for two annotators, Krippendorff's alpha for more.
    keys : sequence of str, optional
        The keys to report, in order (default: the store's codebook, or the keys seen).

    Returns
    -------
    pandas.DataFrame
        One row per key: ``topic`` (or ``actor``), ``method``, ``annotators``
        (``;``-joined), ``n_items`` (sentences decided by both annotators for kappa, by at
        least two for alpha), ``observed`` (share of pairable judgements that agree),
        ``value`` (kappa or alpha; NaN when undefined).
    """
    check_choice("field", field, _FIELDS)
    check_choice("method", method, _METHODS)
    views, summary = _views(data, annotators)
    names = list(views)
    if len(names) < 2:
        raise ValueError(f"agreement needs at least two annotators; found {names}")
    if method == "auto":
        method = "cohen_kappa" if len(names) == 2 else "krippendorff_alpha"
    if method == "cohen_kappa" and len(names) != 2:
        raise ValueError(
            f"Cohen's kappa compares exactly two annotators; got {names}: use method='krippendorff_alpha'"
        )
    if keys is None and summary is not None:
        keys = summary.keys(field)
    keys = _keys_in_order(list(views.values()), field, keys)
    decided: dict[str, dict[str, set[str]]] = {}
    for name, frame in views.items():
        rows = frame[frame["source"] == "manual"]
        decided[name] = dict(zip(rows["sentence_id"], (set(split_keys(v)) for v in rows[field]), strict=True))
    items = sorted(set().union(*decided.values()))
    if method == "cohen_kappa":
        a, b = names
        items = [i for i in items if i in decided[a] and i in decided[b]]
    else:
        items = [i for i in items if sum(i in decided[n] for n in names) >= 2]
    out = []
    for key in keys:
        units = [[(key in decided[n][i]) if i in decided[n] else None for n in names] for i in items]
        pairs = [(x, y) for unit in units for x, y in permutations([v for v in unit if v is not None], 2)]
        observed = sum(x == y for x, y in pairs) / len(pairs) if pairs else float("nan")
        if method == "cohen_kappa":
            value = cohen_kappa([u[0] for u in units], [u[1] for u in units])
        else:
            value = krippendorff_alpha(units)
        out.append((key, method, ";".join(names), len(items), observed, value))
    return pd.DataFrame(
        out, columns=[_FIELDS[field], "method", "annotators", "n_items", "observed", "value"]
    ).astype({"n_items": "int64", "observed": "float64", "value": "float64"})


def tagger_agreement(data: Any, *, annotator: str | None = None, field: str = "topics",
                     keys: Sequence[str] | None = None) -> pd.DataFrame:
    """Per-topic (or per-actor) precision, recall and F1 of the automatic layer against
    what the analysts decided.

    Parameters
    ----------
    data : Store or tuple of two pandas.DataFrame
        A store, or ``(automatic, current)`` sentences views: the automatic layer
        (:meth:`Store.view` with ``corrections=False``) and the corrected view.
    annotator : str, optional
        Judge against this annotator's decisions only (default: everyone's).
    field : {"topics", "actors"}, default "topics"
        What to compare.
    keys : sequence of str, optional
        The keys to report, in order (default: the store's codebook, or the keys seen).

    Returns
    -------
    pandas.DataFrame
        One row per key: ``topic`` (or ``actor``), ``n_items`` (decided sentences),
        ``tp``, ``fp``, ``fn``, ``precision``, ``recall``, ``f1`` (NaN when undefined).
    """
    check_choice("field", field, _FIELDS)
    if isinstance(data, tuple):
        automatic, current = data
    else:
        automatic = data.sentences(corrections=False)
        current = data.sentences(annotator=annotator)
        if keys is None:
            keys = data.codebook().keys(field)
    keys = _keys_in_order([automatic, current], field, keys)
    decided = current[current["source"] == "manual"]
    auto_by_id = dict(zip(automatic["sentence_id"], automatic[field], strict=True))
    pairs = [(set(split_keys(auto_by_id.get(sid))), set(split_keys(value)))
             for sid, value in zip(decided["sentence_id"], decided[field], strict=True)]
    out = []
    for key in keys:
        tp = sum(key in a and key in c for a, c in pairs)
        fp = sum(key in a and key not in c for a, c in pairs)
        fn = sum(key not in a and key in c for a, c in pairs)
        precision = tp / (tp + fp) if tp + fp else float("nan")
        recall = tp / (tp + fn) if tp + fn else float("nan")
        f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else float("nan")
        out.append((key, len(pairs), tp, fp, fn, precision, recall, f1))
    return pd.DataFrame(
        out, columns=[_FIELDS[field], "n_items", "tp", "fp", "fn", "precision", "recall", "f1"]
    ).astype({c: "int64" for c in ("n_items", "tp", "fp", "fn")})
