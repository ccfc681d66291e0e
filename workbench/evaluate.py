"""Evaluation of annotations against a gold standard in the ``sentences.csv`` schema.

Gold and predicted tables are matched sentence by sentence on ``sentence_id``; a gold row
whose id is not among the predictions (ids change with a sentence's text, and a gold file
may have been written against an older copy) is matched on ``(doc_id, paragraph,
sentence)`` instead. Gold sentences without a prediction count as predicted empty;
predicted sentences not in the gold are ignored — the gold decides what is evaluated.

Measures, one row each:

- ``topic`` / each topic key, and ``topic`` / ``micro``: precision, recall and F1 of the
  sentence-level topic labels; support = gold sentences with the topic.
- ``actor`` / ``micro`` and ``actor`` / each actor id: the same for (sentence, actor)
  pairs.
- ``speaker`` / ``all``: precision and recall of the attributed sentences (a prediction
  is right when it names the gold speaker), and ``accuracy`` over all gold sentences,
  empty speakers included.
- ``statement_type`` / ``all`` (when both tables have the column): accuracy over the gold
  sentences that have a speaker.

Precision is NaN when nothing was predicted, recall when the gold has nothing; F1 is 0
when there is no true positive.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["evaluate", "format_report", "EvaluationError", "REPORT_COLUMNS"]

REPORT_COLUMNS = ["measure", "key", "precision", "recall", "f1", "support", "accuracy"]
_NEEDED = ("doc_id", "paragraph", "sentence", "sentence_id", "topics", "actors", "speaker")


class EvaluationError(ValueError):
    """Gold or predicted tables that cannot be compared as they are."""


def _check(df: pd.DataFrame, name: str) -> None:
    missing = [c for c in _NEEDED if c not in df.columns]
    if missing:
        raise EvaluationError(
            f"the {name} table lacks column(s) {', '.join(missing)}; it must be in the "
            f"sentences.csv schema ({', '.join(_NEEDED)}, …)"
        )
    dup = df["sentence_id"][df["sentence_id"].duplicated()]
    if len(dup):
        raise EvaluationError(
            f"the {name} table has sentence_id {dup.iloc[0]!r} more than once; keep one row per sentence"
        )


def _text(value) -> str:
    if value is None or value != value:
        return ""
    return str(value).strip()


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    nan = float("nan")
    precision = tp / (tp + fp) if tp + fp else nan
    recall = tp / (tp + fn) if tp + fn else nan
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return precision, recall, f1


def _align(gold: pd.DataFrame, predicted: pd.DataFrame) -> list[tuple[object, object]]:
    """Pairs (gold row, predicted row or None) for every gold sentence."""
    by_id = {
        sid: row for sid, row in zip(predicted["sentence_id"], predicted.itertuples(index=False), strict=True)
    }
    by_pos = {
        (str(r.doc_id), int(r.paragraph), int(r.sentence)): r for r in predicted.itertuples(index=False)
    }
    pairs = []
    for g in gold.itertuples(index=False):
        p = by_id.get(g.sentence_id)
        if p is None:
            p = by_pos.get((str(g.doc_id), int(g.paragraph), int(g.sentence)))
        pairs.append((g, p))
    return pairs


def _label_rows(pairs, column: str, measure: str, *, micro_first: bool) -> list[tuple]:
    from .tables import split_keys  # "" / None / NaN: no keys

    counts: dict[str, list[int]] = {}
    order: list[str] = []
    for g, p in pairs:
        gk = set(split_keys(getattr(g, column)))
        pk = set(split_keys(getattr(p, column))) if p is not None else set()
        for k in sorted(gk | pk):
            if k not in counts:
                counts[k] = [0, 0, 0]
                order.append(k)
            c = counts[k]
            c[0] += k in gk and k in pk
            c[1] += k in pk and k not in gk
            c[2] += k in gk and k not in pk
    # keys in the order they first appear in the gold, then predicted-only keys
    gold_order = list(dict.fromkeys(k for g, _ in pairs for k in split_keys(getattr(g, column))))
    order = gold_order + [k for k in order if k not in gold_order]
    rows = [(measure, k, *_prf(*counts[k]), counts[k][0] + counts[k][2], float("nan")) for k in order]
    tp, fp, fn = (sum(c[i] for c in counts.values()) for i in range(3))
    micro = (measure, "micro", *_prf(tp, fp, fn), tp + fn, float("nan"))
    return [micro] + rows if micro_first else rows + [micro]


def evaluate(gold: pd.DataFrame, predicted: pd.DataFrame) -> pd.DataFrame:
    """Compare automatic (or any) annotations with a gold standard.

    Parameters
    ----------
    gold : pandas.DataFrame
        Gold sentences in the ``sentences.csv`` schema (at least ``doc_id, paragraph,
        sentence, sentence_id, topics, actors, speaker``; ``statement_type`` is used when
        present). Empty cells may be ``""`` or NaN.
    predicted : pandas.DataFrame
        Predicted sentences in the same schema, e.g. ``annotate(corpus).sentences``.

    Returns
    -------
    pandas.DataFrame
        Columns ``measure, key, precision, recall, f1, support, accuracy``: rows
        ``topic``/each key then ``topic``/``micro``; ``actor``/``micro`` then each actor;
        ``speaker``/``all``; ``statement_type``/``all`` when both tables have it.
        ``support`` counts gold items; ``accuracy`` is filled for speaker and statement
        type only.

    Raises
    ------
    EvaluationError
        When a table lacks a needed column or repeats a ``sentence_id``.
    """
    import pandas as pd

    _check(gold, "gold")
    _check(predicted, "predicted")
    pairs = _align(gold, predicted)
    rows = _label_rows(pairs, "topics", "topic", micro_first=False)
    rows += _label_rows(pairs, "actors", "actor", micro_first=True)

    tp = fp = fn = correct = 0
    for g, p in pairs:
        gs = _text(g.speaker)
        ps = _text(p.speaker) if p is not None else ""
        correct += gs == ps
        if ps:
            tp += ps == gs
            fp += ps != gs
        if gs and ps != gs:
            fn += 1
    n = len(pairs)
    rows.append(("speaker", "all", *_prf(tp, fp, fn), sum(1 for g, _ in pairs if _text(g.speaker)),
                 correct / n if n else float("nan")))

    if "statement_type" in gold.columns and "statement_type" in predicted.columns:
        attributed = [(g, p) for g, p in pairs if _text(g.speaker)]
        right = sum(
            1 for g, p in attributed
            if p is not None and _text(g.statement_type) == _text(p.statement_type)
        )
        nan = float("nan")
        rows.append(("statement_type", "all", nan, nan, nan, len(attributed),
                     right / len(attributed) if attributed else nan))

    out = pd.DataFrame(rows, columns=REPORT_COLUMNS)
    return out.astype({"support": "int64"})


def format_report(df: pd.DataFrame) -> str:
    """Format an :func:`evaluate` table for a terminal.

    Parameters
    ----------
    df : pandas.DataFrame
        What :func:`evaluate` returns.

    Returns
    -------
    str
        One aligned line per row (numbers with 3 decimals, ``-`` for NaN), under a header.
    """
    def num(x) -> str:
        return "-" if x != x else f"{x:.3f}"

    header = ("measure", "key", "precision", "recall", "f1", "support", "accuracy")
    lines = [header]
    for r in df.itertuples(index=False):
        lines.append((r.measure, r.key, num(r.precision), num(r.recall), num(r.f1), str(r.support),
                      num(r.accuracy)))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = []
    for line in lines:
        cells = [line[0].ljust(widths[0]), line[1].ljust(widths[1])]
        cells += [c.rjust(w) for c, w in zip(line[2:], widths[2:], strict=True)]
        out.append("  ".join(cells).rstrip())
    return "\n".join(out)
