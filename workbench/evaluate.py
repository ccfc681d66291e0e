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

A **paragraph-level** gold (no ``sentence`` column: ``doc_id, paragraph, furniture,
topics, speaker, statement_type, excerpt, note``, one row per paragraph) is compared with
the predicted sentences grouped by paragraph: a paragraph's topics are the union of its
sentences' topics, its speakers the set of its sentences' speakers. Rows:

- ``topic`` / each key and ``micro``: P/R/F1 over the paragraphs that are body text in the
  gold; a paragraph the prediction marks as furniture counts as predicting nothing (it is
  left out of counts and charts);
- ``speaker`` / ``all``: over those paragraphs, a paragraph is right when its set of
  predicted speakers equals the gold set; ``accuracy`` (= recall) over the paragraphs
  whose gold reports a statement, ``precision`` over those with a predicted speaker;
- ``statement_type`` / ``all``: the same for statement types, over gold paragraphs that
  give one;
- ``furniture`` / each kind, ``micro`` (the kind must match) and ``any`` (furniture or
  not): P/R/F1 of the furniture marks over all paragraphs;
- ``confidence`` / ``high`` (0.9 and up), ``medium`` (0.6 to 0.9), ``low`` (below), and
  ``confidence_value`` / each value, when the predictions have a ``confidence`` column:
  the calibration — ``support`` body paragraphs whose least sure sentence is at that
  level, ``accuracy`` the share of them whose set of speakers is the gold's (none for none).

The table has a leading ``outlet`` column: ``""`` for the whole gold, then the
``topic``/``micro``, ``speaker``/``all``, ``statement_type``/``all`` and
``furniture``/``any`` rows again for each outlet (from ``documents=``, e.g.
``Store.documents()``). ``attrs["warnings"]`` lists gold paragraphs whose ``excerpt`` does
not begin the predicted paragraph (a gold numbered against another copy of the text).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import os

    import pandas as pd

__all__ = ["evaluate", "format_report", "read_gold", "EvaluationError", "REPORT_COLUMNS",
           "PARAGRAPH_REPORT_COLUMNS", "CONFIDENCE_LEVELS"]

REPORT_COLUMNS = ["measure", "key", "precision", "recall", "f1", "support", "accuracy"]
PARAGRAPH_REPORT_COLUMNS = ["outlet"] + REPORT_COLUMNS
#: Confidence levels of the calibration: each takes the confidences from its floor up to
#: the next level's floor (see :data:`workbench.attribution.CONFIDENCE` for the rules).
CONFIDENCE_LEVELS = {"high": 0.9, "medium": 0.6, "low": 0.0}
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
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0 if fp + fn else nan  # nothing either side: no score
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


def evaluate(gold: pd.DataFrame, predicted: pd.DataFrame, *,
             documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """Compare automatic (or any) annotations with a gold standard.

    Parameters
    ----------
    gold : pandas.DataFrame
        Gold sentences in the ``sentences.csv`` schema (at least ``doc_id, paragraph,
        sentence, sentence_id, topics, actors, speaker``; ``statement_type`` is used when
        present), or gold paragraphs (no ``sentence`` column; see the module docstring).
        Empty cells may be ``""`` or NaN.
    predicted : pandas.DataFrame
        Predicted sentences in the ``sentences.csv`` schema, e.g.
        ``annotate(corpus).sentences`` or ``Store.sentences()``.
    documents : pandas.DataFrame, optional
        ``doc_id`` and ``outlet`` of the documents (``Store.documents()``,
        ``Annotations.documents``): a paragraph-level report then repeats its main rows
        per outlet.

    Returns
    -------
    pandas.DataFrame
        Columns ``measure, key, precision, recall, f1, support, accuracy``: rows
        ``topic``/each key then ``topic``/``micro``; ``actor``/``micro`` then each actor;
        ``speaker``/``all``; ``statement_type``/``all`` when both tables have it.
        ``support`` counts gold items; ``accuracy`` is filled for speaker and statement
        type only. For a paragraph-level gold: columns ``outlet, measure, key, precision,
        recall, f1, support, accuracy`` (see the module docstring).

    Raises
    ------
    EvaluationError
        When a table lacks a needed column or repeats a ``sentence_id``.
    """
    import pandas as pd

    if "sentence" not in gold.columns and "paragraph" in gold.columns:
        return _evaluate_paragraphs(gold, predicted, documents)
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


# --- paragraph-level gold -----------------------------------------------------------------

_PARAGRAPH_NEEDED = ("doc_id", "paragraph", "topics", "speaker")
_PREDICTED_NEEDED = ("doc_id", "paragraph", "topics", "speaker")


def _keys(value) -> frozenset[str]:
    return frozenset(k.strip() for k in _text(value).split(";") if k.strip())


def _check_columns(df: pd.DataFrame, needed: tuple[str, ...], name: str, schema: str) -> None:
    missing = [c for c in needed if c not in df.columns]
    if missing:
        raise EvaluationError(f"the {name} table lacks column(s) {', '.join(missing)}; {schema}")


class _Paragraph:
    """What one side says of a paragraph."""

    __slots__ = ("topics", "speakers", "types", "furniture", "text", "confidence")

    def __init__(self, topics=frozenset(), speakers=frozenset(), types=frozenset(), furniture="", text="",
                 confidence=None):
        self.topics, self.speakers, self.types = topics, speakers, types
        self.furniture, self.text, self.confidence = furniture, text, confidence


def _predicted_paragraphs(predicted: pd.DataFrame) -> dict[tuple[str, int], _Paragraph]:
    """The predicted sentences grouped by paragraph: unions of their keys."""
    _check_columns(predicted, _PREDICTED_NEEDED, "predicted", "it must be in the sentences.csv schema")
    order = [c for c in ("doc_id", "paragraph", "sentence") if c in predicted.columns]
    predicted = predicted.sort_values(order, kind="stable")
    cols = {c: predicted[c].tolist() if c in predicted.columns else [""] * len(predicted)
            for c in ("doc_id", "paragraph", "topics", "speaker", "statement_type", "furniture", "text",
                      "confidence")}
    out: dict[tuple[str, int], _Paragraph] = {}
    for i in range(len(predicted)):
        key = (str(cols["doc_id"][i]), int(cols["paragraph"][i]))
        p = out.get(key)
        if p is None:
            p = out[key] = _Paragraph(furniture=_text(cols["furniture"][i]))
        p.topics |= _keys(cols["topics"][i])
        p.speakers |= _keys(cols["speaker"][i])
        p.types |= _keys(cols["statement_type"][i])
        p.text = f"{p.text} {_text(cols['text'][i])}" if p.text else _text(cols["text"][i])
        confidence = _number(cols["confidence"][i])
        if confidence is not None:  # the paragraph is as sure as its least sure sentence
            p.confidence = confidence if p.confidence is None else min(p.confidence, confidence)
    return out


def _number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if number != number else number


def _gold_paragraphs(gold: pd.DataFrame) -> list[tuple[tuple[str, int], _Paragraph, str]]:
    """(doc_id, paragraph), what the gold says, and its excerpt, for each gold row."""
    _check_columns(gold, _PARAGRAPH_NEEDED, "gold",
                   "a paragraph-level gold has the columns doc_id, paragraph, furniture, topics, speaker, "
                   "statement_type, excerpt, note")
    out, seen = [], set()
    get = {c: gold[c].tolist() if c in gold.columns else [""] * len(gold)
           for c in ("doc_id", "paragraph", "topics", "speaker", "statement_type", "furniture", "excerpt")}
    for i in range(len(gold)):
        try:
            key = (_text(get["doc_id"][i]), int(float(_text(get["paragraph"][i]))))
        except ValueError:
            raise EvaluationError(f"gold row {i + 1}: paragraph {get['paragraph'][i]!r} is not a number; "
                                  "number the paragraphs from 0 (the title)") from None
        if key in seen:
            raise EvaluationError(f"the gold table has doc_id {key[0]!r} paragraph {key[1]} more than once; "
                                  "keep one row per paragraph")
        seen.add(key)
        furniture = _text(get["furniture"][i])
        out.append((key, _Paragraph(_keys(get["topics"][i]), _keys(get["speaker"][i]),
                                    _keys(get["statement_type"][i]), furniture), _text(get["excerpt"][i])))
    return out


def _excerpt_warning(key: tuple[str, int], excerpt: str, pred: _Paragraph | None) -> str | None:
    """A warning when the gold's excerpt does not begin the predicted paragraph."""
    import re

    from .text import normalize

    words = re.findall(r"\w+", normalize(excerpt).text)
    if not words:
        return None
    if pred is None:
        return f"{key[0]} paragraph {key[1]}: no such paragraph among the predictions"
    if re.findall(r"\w+", normalize(pred.text).text)[:len(words)] != words:
        return (f"{key[0]} paragraph {key[1]}: the gold excerpt {excerpt!r} does not begin the paragraph "
                f"{pred.text[:60]!r}; the gold may be numbered against another copy of the article")
    return None


def _paragraph_rows(pairs: list, outlet: str, *, per_key: bool) -> list[tuple]:
    """The report rows for (gold, predicted) paragraph pairs."""
    nan = float("nan")
    rows: list[tuple] = []
    body = [(g, p) for g, p in pairs if not g.furniture]
    counted = [(g, p if not p.furniture else _Paragraph()) for g, p in body]
    topic_keys = list(dict.fromkeys(k for g, _ in counted for k in sorted(g.topics)))
    topic_keys += sorted({k for _, p in counted for k in p.topics} - set(topic_keys))
    totals = [0, 0, 0]
    for k in topic_keys:
        tp = sum(k in g.topics and k in p.topics for g, p in counted)
        fp = sum(k in p.topics and k not in g.topics for g, p in counted)
        fn = sum(k in g.topics and k not in p.topics for g, p in counted)
        totals = [totals[0] + tp, totals[1] + fp, totals[2] + fn]
        if per_key:
            rows.append((outlet, "topic", k, *_prf(tp, fp, fn), tp + fn, nan))
    rows.append((outlet, "topic", "micro", *_prf(*totals), totals[0] + totals[2], nan))

    stated = [(g, p) for g, p in counted if g.speakers]
    said = [(g, p) for g, p in counted if p.speakers]
    right = sum(g.speakers == p.speakers for g, p in stated)
    precision = sum(g.speakers == p.speakers for g, p in said) / len(said) if said else nan
    recall = right / len(stated) if stated else nan
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    rows.append((outlet, "speaker", "all", precision, recall, f1, len(stated), recall))
    typed = [(g, p) for g, p in counted if g.types]
    if typed:
        rows.append((outlet, "statement_type", "all", nan, nan, nan, len(typed),
                     sum(g.types == p.types for g, p in typed) / len(typed)))

    kinds = list(dict.fromkeys(k for g, p in pairs for k in (g.furniture, p.furniture) if k))
    micro = [0, 0, 0]
    for k in kinds:
        tp = sum(g.furniture == k == p.furniture for g, p in pairs)
        fp = sum(p.furniture == k != g.furniture for g, p in pairs)
        fn = sum(g.furniture == k != p.furniture for g, p in pairs)
        micro = [micro[0] + tp, micro[1] + fp, micro[2] + fn]
        if per_key:
            rows.append((outlet, "furniture", k, *_prf(tp, fp, fn), tp + fn, nan))
    if per_key:
        rows.append((outlet, "furniture", "micro", *_prf(*micro), micro[0] + micro[2], nan))
    tp = sum(bool(g.furniture) and bool(p.furniture) for g, p in pairs)
    fp = sum(bool(p.furniture) and not g.furniture for g, p in pairs)
    fn = sum(bool(g.furniture) and not p.furniture for g, p in pairs)
    rows.append((outlet, "furniture", "any", *_prf(tp, fp, fn), tp + fn, nan))
    if per_key:
        rows += _calibration_rows(body, outlet)
    return rows


def _calibration_rows(body: list, outlet: str) -> list[tuple]:
    """How often the speaker decision is right at each confidence level, and each value.

    A paragraph is as sure as its least sure sentence; its decision is right when its set
    of speakers is the gold's (both empty counts too). A paragraph the prediction marks as
    furniture has no speaker. Rows ``confidence`` / ``high``, ``medium``, ``low``
    (:data:`CONFIDENCE_LEVELS`), then ``confidence_value`` / each value (two decimals).
    """
    nan = float("nan")
    values: dict[float, list[int]] = {}
    levels: dict[str, list[int]] = {name: [0, 0] for name in CONFIDENCE_LEVELS}
    for g, p in body:
        if p.confidence is None:
            continue
        right = (frozenset() if p.furniture else p.speakers) == g.speakers
        level = next(name for name, floor in CONFIDENCE_LEVELS.items() if p.confidence >= floor)
        for tally in (values.setdefault(round(p.confidence, 2), [0, 0]), levels[level]):
            tally[0] += 1
            tally[1] += right
    rows = [(outlet, "confidence", name, nan, nan, nan, n, right / n if n else nan)
            for name, (n, right) in levels.items() if n]
    return rows + [(outlet, "confidence_value", f"{value:.2f}", nan, nan, nan, n, right / n)
                   for value, (n, right) in sorted(values.items(), reverse=True)]


def _evaluate_paragraphs(gold: pd.DataFrame, predicted: pd.DataFrame,
                         documents: pd.DataFrame | None) -> pd.DataFrame:
    import pandas as pd

    pred = _predicted_paragraphs(predicted)
    pairs, keys, warnings = [], [], []
    for key, g, excerpt in _gold_paragraphs(gold):
        p = pred.get(key)
        warning = _excerpt_warning(key, excerpt, p)
        if warning:
            warnings.append(warning)
        pairs.append((g, p or _Paragraph()))
        keys.append(key)
    rows = _paragraph_rows(pairs, "", per_key=True)
    if documents is not None:
        outlet_of = {str(d): _text(o) for d, o in zip(documents["doc_id"], documents["outlet"], strict=True)}
        groups: dict[str, list] = {}
        for (doc_id, _), pair in zip(keys, pairs, strict=True):
            groups.setdefault(outlet_of.get(doc_id, ""), []).append(pair)
        for outlet in sorted(groups):
            rows += _paragraph_rows(groups[outlet], outlet or "(no outlet)", per_key=False)
    out = pd.DataFrame(rows, columns=PARAGRAPH_REPORT_COLUMNS).astype({"support": "int64"})
    out.attrs["warnings"] = warnings
    return out


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

    grouped = "outlet" in df.columns
    header = ("measure", "key", "precision", "recall", "f1", "support", "accuracy")
    header = ("outlet",) * grouped + header
    lines = [header]
    for r in df.itertuples(index=False):
        lines.append(((r.outlet or "(all)",) if grouped else ())
                     + ((r.measure, r.key, num(r.precision), num(r.recall), num(r.f1), str(r.support),
                         num(r.accuracy))))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    left = 2 + grouped
    out = []
    for line in lines:
        cells = [c.ljust(w) for c, w in zip(line[:left], widths[:left], strict=True)]
        cells += [c.rjust(w) for c, w in zip(line[left:], widths[left:], strict=True)]
        out.append("  ".join(cells).rstrip())
    return "\n".join(out)


def read_gold(path: str | os.PathLike) -> pd.DataFrame:
    """Read a gold file, or every ``*.csv`` of a folder (in name order), as one table.

    The files may come from a spreadsheet program (UTF-8 with or without a BOM, ``,`` or
    ``;`` between the columns, a ``sep=`` hint line); every cell is read as text and
    empty cells as ``""``.

    Parameters
    ----------
    path : str or path-like
        A gold CSV (sentence- or paragraph-level) or a folder of them.

    Returns
    -------
    pandas.DataFrame
        The rows of all the files, in order.

    Raises
    ------
    EvaluationError
        A missing path, a folder without CSV files, a file that is not UTF-8 or not CSV,
        or files whose columns differ — naming the file.
    """
    import pandas as pd

    from .spreadsheet import spreadsheet_csv

    p = Path(path)
    if p.is_dir():
        files = sorted(f for f in p.glob("*.csv") if f.is_file())
        if not files:
            raise EvaluationError(f"{p}: the folder holds no gold *.csv files")
    elif p.is_file():
        files = [p]
    else:
        raise EvaluationError(f"gold file {str(p)!r} not found; give a gold CSV or a folder of them")
    frames = []
    for f in files:
        try:
            text = f.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise EvaluationError(f"{f}: not UTF-8 (byte {exc.start}); save it as 'CSV UTF-8'") from None
        try:
            delimiter, text, _ = spreadsheet_csv(text)
            frame = pd.read_csv(io.StringIO(text), sep=delimiter, keep_default_na=False, dtype=str)
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise EvaluationError(f"{f}: cannot read the gold CSV ({exc}); it should have the "
                                  "sentences.csv columns, or the paragraph-level gold columns") from None
        if frames and list(frame.columns) != list(frames[0].columns):
            raise EvaluationError(f"{f}: its columns ({', '.join(frame.columns)}) differ from those of "
                                  f"{files[0].name} ({', '.join(frames[0].columns)}); give every gold file "
                                  "the same columns")
        frames.append(frame)
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
