"""Precision and recall against the generator's truth, the same way for every method.

A predicted mention ``(doc, start, end, kind, key)`` is right when it overlaps a true
mention of the same kind and key that no other prediction took (one to one, in text
order); a predicted speaker is right when the sentence it was given for overlaps a
true statement of that speaker (one prediction per statement). Everything else a method
reports is a false positive, and the hard negatives say what kind of mistake it was.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

__all__ = ["score_mentions", "score_speakers", "prf"]

Span = tuple[str, int, int, str, str]  # doc_id, start, end, kind, key


def prf(tp: int, n_pred: int, n_true: int) -> dict:
    """Counts and ratios: ``tp``, ``predicted``, ``true``, ``precision``, ``recall``, ``f1``."""
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_true if n_true else 0.0
    return {
        "tp": tp,
        "predicted": n_pred,
        "true": n_true,
        "precision": p,
        "recall": r,
        "f1": 2 * p * r / (p + r) if p + r else 0.0,
    }


def score_mentions(truth: Iterable, negatives: Iterable, predicted: Iterable[Span]) -> dict:
    """Precision and recall of topic and actor mentions.

    Parameters
    ----------
    truth : iterable of corpus.Mention
    negatives : iterable of corpus.Negative
    predicted : iterable of (doc_id, start, end, kind, key)

    Returns
    -------
    dict
        ``all`` (see :func:`prf`), ``by_kind``, ``recall_by_form`` (form → [found, total]),
        ``false_positives`` (hard-negative category or ``"elsewhere"`` → count).
    """
    by_key: dict[tuple, list] = defaultdict(list)
    truth = list(truth)
    for n, m in enumerate(truth):
        by_key[(m.doc_id, m.kind, m.key)].append((m.start, m.end, n))
    for spans in by_key.values():
        spans.sort()
    neg: dict[tuple, list] = defaultdict(list)
    for g in negatives:
        neg[(g.doc_id, g.key)].append((g.start, g.end, g.category))
    matched: set[int] = set()
    tp_kind: Counter = Counter()
    pred_kind: Counter = Counter()
    fps: Counter = Counter()
    n_pred = 0
    for doc_id, s, e, kind, key in sorted(predicted):
        n_pred += 1
        pred_kind[kind] += 1
        hit = next(
            (n for a, b, n in by_key.get((doc_id, kind, key), ()) if a < e and s < b and n not in matched),
            None,
        )
        if hit is not None:
            matched.add(hit)
            tp_kind[kind] += 1
            continue
        cat = next((c for a, b, c in neg.get((doc_id, key), ()) if a < e and s < b), "elsewhere")
        fps[cat] += 1
    true_kind = Counter(m.kind for m in truth)
    forms: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for n, m in enumerate(truth):
        forms[m.form][1] += 1
        forms[m.form][0] += n in matched
    return {
        "all": prf(len(matched), n_pred, len(truth)),
        "by_kind": {k: prf(tp_kind[k], pred_kind[k], true_kind[k]) for k in ("topic", "actor")},
        "recall_by_form": {k: forms[k] for k in sorted(forms)},
        "false_positives": dict(sorted(fps.items())),
    }


def score_speakers(truth: Iterable, predicted: Iterable[tuple[str, int, int, str]]) -> dict:
    """Precision and recall of sentence speakers.

    Parameters
    ----------
    truth : iterable of corpus.Statement
        ``speaker == ""`` marks a statement by someone outside the codebook (a prediction
        there is wrong).
    predicted : iterable of (doc_id, start, end, speaker)
        Sentences given a (non-empty) speaker.

    Returns
    -------
    dict
        ``all`` (see :func:`prf`) and ``recall_by_construction``.
    """
    truth = list(truth)
    by_doc: dict[str, list] = defaultdict(list)
    for n, t in enumerate(truth):
        by_doc[t.doc_id].append((t.start, t.end, n))
    matched: set[int] = set()
    n_pred = 0
    for doc_id, s, e, speaker in predicted:
        if not speaker:
            continue
        n_pred += 1
        best = max(
            ((min(e, b) - max(s, a), n) for a, b, n in by_doc.get(doc_id, ()) if a < e and s < b),
            default=None,
        )
        if best is not None and truth[best[1]].speaker == speaker and best[1] not in matched:
            matched.add(best[1])
    positives = [n for n, t in enumerate(truth) if t.speaker]
    cons: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for n in positives:
        cons[truth[n].construction][1] += 1
        cons[truth[n].construction][0] += n in matched
    return {
        "all": prf(len(matched), n_pred, len(positives)),
        "recall_by_construction": {k: cons[k] for k in sorted(cons)},
    }
