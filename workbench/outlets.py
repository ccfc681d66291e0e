"""Comparing outlets: whom each lets speak, what each stresses, how coverage moves.

Every table takes the ``sentences`` frame of :func:`workbench.annotate` or
:meth:`Store.view` and the ``documents`` frame that says each article's outlet and date
(``Annotations.documents``, ``Store.documents()``, ``Corpus.documents_frame()``), or
sentences that carry ``outlet`` / ``date`` columns themselves; it returns a new frame.
Topic shares by outlet are :func:`workbench.tables.topic_counts` with ``by="outlet"``.
``reused="once"`` counts a reused passage once (:func:`workbench.reuse.count_once`).

Keyness follows quanteda's ``textstat_keyness``: for each feature a 2×2 table of its
count in the target outlet and in the rest of the corpus against all other features'
counts, a signed statistic (positive when the target uses it more than expected) and its
p-value (χ² with one degree of freedom). ``measure="chi2"`` is Pearson's χ² with Yates'
correction when an expected count is below 5 (``correction="default"`` or ``"yates"``);
``measure="lr"`` is the likelihood-ratio G² with the same Yates adjustment by default (as
quanteda computes it), or divided by Williams' q (``correction="williams"``). Rows whose
smallest expected count is below ``min_expected`` are flagged ``small`` and not ranked.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import TYPE_CHECKING

from workbench import dates, display, reuse, tables
from workbench.checks import check_choice

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from workbench.codebook import CodebookLike

__all__ = [
    "ACTOR_TYPES",
    "actor_types",
    "type_label",
    "speaker_shares",
    "statement_types_by_speaker",
    "quotation_shares",
    "keyness",
    "coverage_over_time",
    "actor_statements",
    "outlet_reuse",
    "shared_passages",
    "outlet_profiles",
    "focus",
]

#: Actor types of the codebook, with their (Arabic, English) labels; "other" for the rest.
ACTOR_TYPES = {
    "person": ("شخص", "Person"),
    "institution": ("مؤسسة", "Institution"),
    "state": ("دولة", "State"),
    "organisation": ("منظمة", "Organisation"),
    "media": ("وسيلة إعلام", "Media"),
    "other": ("غير ذلك", "Other"),
}
_SHARES_BY = {"speaker": "each speaker", "type": "each speaker's actor type"}
_FEATURES = {"word": "words of the sentences (normalised)", "actor": "actors mentioned",
             "speaker": "speakers of statements", "topic": "topics raised"}
_MEASURES = {"chi2": "Pearson's chi-squared", "lr": "likelihood ratio G2"}
_CORRECTIONS = {"default": "Yates where an expected count is below 5", "yates": "the same",
                "williams": "G2 divided by Williams' q (measure='lr')", "none": "none"}
_WHAT = {"topic": "sentences raising each topic", "speaker": "statements of each speaker"}
_FREQ = {"day": "each day", "week": "each week (from Monday)"}
_OVER_TIME_BY = {"outlet": "each outlet", None: "all outlets together"}


# ------------------------------------------------------------------ helpers


def _with_outlets(sentences: pd.DataFrame, documents: pd.DataFrame | None,
                  reused: str) -> pd.DataFrame:
    """The sentences counted (page furniture left out; ``reused``), with ``outlet`` and
    ``date`` columns."""
    sentences, _ = tables.without_furniture(sentences)
    sentences = reuse.count_once(sentences, reused=reused)
    if documents is None:
        missing = [c for c in ("outlet", "date") if c not in sentences.columns]
        if missing:
            raise ValueError(
                "the outlet tables need each article's outlet and date: pass documents= "
                "(ann.documents, store.documents() or corpus.documents_frame())"
            )
        return _checked_dates(sentences.copy())
    lacking = [c for c in ("doc_id", "outlet", "date") if c not in documents.columns]
    if lacking:
        raise ValueError(f"`documents` is missing column(s) {', '.join(map(repr, lacking))}; pass "
                         "ann.documents, store.documents() or corpus.documents_frame()")
    meta = documents.drop_duplicates("doc_id").set_index(documents["doc_id"].astype(str))
    unknown = sorted(set(sentences["doc_id"].astype(str)) - set(meta.index))
    if unknown:
        raise ValueError(f"`documents` has no row for doc_id {unknown[0]!r}; pass the documents "
                         "frame of the same corpus as the sentences")
    out = sentences.drop(columns=["outlet", "date"], errors="ignore").copy()
    for column in ("outlet", "date"):
        values = meta[column].map(lambda v: "" if v is None or v != v else str(v))
        out[column] = out["doc_id"].astype(str).map(values).to_numpy()
    return _checked_dates(out)


def _checked_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its dates checked (:func:`workbench.dates.checked_date`): tables order
    and group them as text, so a date in another form would land in the wrong place."""
    pairs = frame[["doc_id", "date"]].drop_duplicates()
    checked = {(d, v): dates.checked_date(v, f"doc_id {str(d)!r}") for d, v in pairs.itertuples(index=False)}
    if any(v != date for (_, v), date in checked.items()):  # a date written another way
        frame["date"] = [checked[(d, v)] for d, v in zip(frame["doc_id"], frame["date"], strict=True)]
    return frame


def _outlets(frame: pd.DataFrame) -> list[str]:
    return sorted(set(frame["outlet"].tolist()))


def _speakers(frame: pd.DataFrame) -> pd.DataFrame:
    speaker = frame["speaker"].fillna("").astype(str).str.strip()
    return frame.assign(speaker=speaker)[speaker != ""]


def actor_types(codebook: CodebookLike | None = None) -> dict[str, str]:
    """Map every actor id to its type (person, institution, state, organisation, media).

    Parameters
    ----------
    codebook : Codebook, CodebookSummary, Store or None, default None
        Where the types are written (None: the default codebook). A store written before
        actor types were kept knows none: its speakers count as ``"other"``.

    Returns
    -------
    dict
        ``{actor_id: type}`` for the actors that have a type.
    """
    return {e.key: e.type for e in display.codebook_or_default(codebook).actors if e.type}


def type_label(kind: str, *, labels: str = "ar") -> str:
    """The label of an actor type in ``labels`` ("ar", "en" or "both")."""
    check_choice("labels", labels, display.LABELS)
    ar, en = ACTOR_TYPES.get(kind, (kind, kind))
    return {"ar": ar, "en": en}.get(labels, f"{ar} ({en})")


def _type_labels(frame: pd.DataFrame, labels: str | None) -> pd.DataFrame:
    check_choice("labels", labels, tables.TABLE_LABELS)
    if labels is None:
        return frame
    out = frame.copy()
    at = list(out.columns).index("speaker_type") + 1
    for i, lang in enumerate(["ar", "en"] if labels == "both" else [labels]):
        out.insert(at + i, f"speaker_type_{lang}", [type_label(k, labels=lang) for k in out["speaker_type"]])
    return out


def _grid(counts: pd.Series, outlets: list[str], keys: list[str], key: str) -> pd.DataFrame:
    """Counts on the full (outlet, key) grid, with zero rows."""
    import pandas as pd

    index = pd.MultiIndex.from_product([outlets, keys], names=["outlet", key])
    return counts.reindex(index, fill_value=0).astype("int64").rename("statements").reset_index()


# ------------------------------------------------------------------ who speaks


def speaker_shares(
    sentences: pd.DataFrame,
    *,
    documents: pd.DataFrame | None = None,
    by: str = "speaker",
    reused: str = "all",
    labels: str | None = None,
    codebook: CodebookLike | None = None,
) -> pd.DataFrame:
    """Whom each outlet lets speak: its statements per speaker or actor type.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentences frame (needs ``doc_id``, ``speaker``).
    documents : pandas.DataFrame or None, default None
        ``doc_id, outlet, date`` of the articles (not needed when ``sentences`` has them).
    by : {"speaker", "type"}, default "speaker"
        Count per speaker, or per the speaker's actor type (:func:`actor_types`).
    reused : {"all", "once"}, default "all"
        Count a reused passage once with ``"once"``.
    labels : {None, "ar", "en", "both"}, default None
        Add label columns after the key column.
    codebook : Codebook, CodebookSummary, Store or None, default None
        Speaker order, labels and actor types.

    Returns
    -------
    pandas.DataFrame
        One row per outlet and speaker (or type) that speaks anywhere in the corpus, zero
        rows included: ``outlet, speaker | speaker_type, [labels,] statements, share``
        (share of the outlet's statements).
    """
    check_choice("by", by, _SHARES_BY)
    frame = _with_outlets(sentences, documents, reused)
    said = _speakers(frame)
    if by == "speaker":
        key = "speaker"
        present = set(said["speaker"])
        keys = [k for k in tables.in_codebook_order(said["speaker"], "actors", codebook)
                if k in present]
    else:
        key = "speaker_type"
        types = actor_types(codebook)
        said = said.assign(speaker_type=said["speaker"].map(lambda s: types.get(s, "other")))
        present = set(said["speaker_type"])
        keys = [t for t in ACTOR_TYPES if t in present] + sorted(present - set(ACTOR_TYPES))
    out = _grid(said.groupby(["outlet", key]).size(), _outlets(frame), keys, key)
    totals = out.groupby("outlet")["statements"].transform("sum")
    out["share"] = (out["statements"] / totals.where(totals > 0)).fillna(0.0)
    if by == "speaker":
        return tables.add_labels(out, "speaker", labels=labels, codebook=codebook)
    return _type_labels(out, labels)


def statement_types_by_speaker(
    sentences: pd.DataFrame,
    *,
    documents: pd.DataFrame | None = None,
    reused: str = "all",
    labels: str | None = None,
    codebook: CodebookLike | None = None,
) -> pd.DataFrame:
    """What kind of statements each outlet reports from each speaker.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentences frame (needs ``doc_id``, ``speaker``, ``statement_type``).
    documents : pandas.DataFrame or None, default None
        ``doc_id, outlet, date`` of the articles.
    reused : {"all", "once"}, default "all"
        Count a reused passage once with ``"once"``.
    labels : {None, "ar", "en", "both"}, default None
        Add speaker and statement-type labels.
    codebook : Codebook, CodebookSummary, Store or None, default None
        Order and labels.

    Returns
    -------
    pandas.DataFrame
        One row per outlet, speaker and statement type that occur (``""``: no type):
        ``outlet, speaker, [labels,] statement_type, [labels,] statements, share`` (share
        of that speaker's statements in that outlet), in outlet, codebook order.
    """
    frame = _speakers(_with_outlets(sentences, documents, reused))
    if "statement_type" not in frame.columns:
        frame = frame.assign(statement_type="")
    frame = frame.assign(statement_type=frame["statement_type"].fillna("").astype(str))
    speakers = tables.in_codebook_order(frame["speaker"], "actors", codebook)
    stypes = tables.in_codebook_order([t for t in frame["statement_type"] if t], "statement_types",
                                      codebook) + [""]
    counts = frame.groupby(["outlet", "speaker", "statement_type"]).size().rename("statements")
    out = counts.reset_index()
    out["share"] = out["statements"] / out.groupby(["outlet", "speaker"])["statements"].transform("sum")
    rank_s, rank_t = {k: i for i, k in enumerate(speakers)}, {k: i for i, k in enumerate(stypes)}
    out = out.assign(_s=out["speaker"].map(rank_s), _t=out["statement_type"].map(rank_t))
    out = out.sort_values(["outlet", "_s", "_t"], kind="stable").drop(columns=["_s", "_t"])
    out = out.reset_index(drop=True).astype({"statements": "int64"})
    out = tables.add_labels(out, "speaker", labels=labels, codebook=codebook)
    return tables.add_labels(out, "statement_type", labels=labels, codebook=codebook)


def quotation_shares(
    sentences: pd.DataFrame,
    *,
    documents: pd.DataFrame | None = None,
    reused: str = "all",
) -> pd.DataFrame:
    """How much of each outlet's reported speech is quoted directly, how much paraphrased.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentences frame (needs ``doc_id``, ``sentence_id``, ``text``, ``topics``,
        ``speaker``; uses ``quote``).
    documents : pandas.DataFrame or None, default None
        ``doc_id, outlet, date`` of the articles.
    reused : {"all", "once"}, default "all"
        Count a reused passage once with ``"once"``.

    Returns
    -------
    pandas.DataFrame
        One row per outlet: ``outlet, statements, quoted, paraphrased, quoted_share``. A
        statement is quoted when it holds a quotation (the ``quote`` of
        :func:`workbench.tables.statements`).
    """
    import pandas as pd

    frame = _with_outlets(sentences, documents, reused)
    said = tables.statements(frame)
    said["outlet"] = said["sentence_id"].map(dict(zip(frame["sentence_id"], frame["outlet"], strict=True)))
    quoted = said["quote"].astype(str).str.strip() != ""
    outlets = _outlets(frame)
    total = said.groupby("outlet").size().reindex(outlets, fill_value=0)
    direct = said[quoted].groupby("outlet").size().reindex(outlets, fill_value=0)
    out = pd.DataFrame({"outlet": outlets, "statements": total.to_numpy(), "quoted": direct.to_numpy()})
    out["paraphrased"] = out["statements"] - out["quoted"]
    out["quoted_share"] = (out["quoted"] / out["statements"].where(out["statements"] > 0)).fillna(0.0)
    return out.astype({"statements": "int64", "quoted": "int64", "paraphrased": "int64"})


# ------------------------------------------------------------------ keyness


def _chi2_sf(statistic: float) -> float:
    """P(χ² with one degree of freedom > |statistic|)."""
    return math.erfc(math.sqrt(abs(statistic) / 2))


def _keyness_row(a: float, b: float, target: float, rest: float, measure: str,
                 correction: str) -> tuple[float, float]:
    """(signed statistic, smallest expected count) of a feature counted ``a`` times in the
    target (of ``target`` in all) and ``b`` times in the reference (of ``rest``)."""
    c, d = target - a, rest - b
    n = a + b + c + d
    if n == 0 or target == 0 or rest == 0 or c + d == 0:  # c + d == 0: the only feature counted
        return 0.0, 0.0
    expected = [(a + b) * (a + c) / n, (a + b) * (b + d) / n, (c + d) * (a + c) / n,
                (c + d) * (b + d) / n]
    cross = a * d - b * c  # counts: exactly 0 when a is what is expected
    sign = (cross > 0) - (cross < 0)
    delta = 0.5 if correction in ("default", "yates") and abs(cross) >= n / 2 and min(expected) < 5 else 0.0
    if measure == "chi2":
        denominator = (a + b) * (c + d) * (a + c) * (b + d)
        return sign * n * (abs(cross) - n * delta) ** 2 / denominator + 0.0, min(expected)
    aa, bb, cc, dd = (a - delta, b + delta, c + delta, d - delta) if cross > 0 else (
        a + delta, b - delta, c - delta, d + delta)

    def term(count: float, row: float, column: float) -> float:  # an empty cell adds 0
        return count * math.log(count * n / (row * column)) if count > 0 else 0.0

    g2 = 2 * (term(aa, aa + bb, aa + cc) + term(bb, aa + bb, bb + dd) + term(cc, cc + dd, aa + cc)
              + term(dd, cc + dd, bb + dd))
    if correction == "williams" and a * b * c * d != 0:
        g2 /= 1 + (n / (a + b) + n / (c + d) - 1) * (n / (a + c) + n / (b + d) - 1) / (6 * n)
    return sign * g2 + 0.0, min(expected)


def _word_counts(outlets: list[str], texts: list[str]) -> tuple[Counter, dict[str, str]]:
    """Counts of (outlet, normalised word) over the sentences' words, and the spelling shown
    for each (its most frequent; on a tie the first met), from one pass over all the text."""
    import numpy as np
    import pandas as pd

    from workbench import text as wtext

    # the sentences joined by line breaks: no token runs across one (token_lists' rule)
    tokens, starts, _ = wtext.token_lists("\n".join(texts))
    ends = np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + 1)
    outlet_codes, outlet_names = pd.factorize(pd.Series(outlets, dtype=object))
    token_codes, distinct = pd.factorize(pd.Series(tokens, dtype=object))
    keys = [wtext.normalize(t).text if t[:1].isalpha() else None for t in distinct]
    key_codes, key_names = pd.factorize(pd.Series(keys, dtype=object), use_na_sentinel=True)
    token_key = key_codes[token_codes]
    word = token_key >= 0
    owner = outlet_codes[np.searchsorted(ends, np.asarray(starts, dtype=np.int64), side="right")]
    pair, n = np.unique(owner[word].astype(np.int64) * len(key_names) + token_key[word], return_counts=True)
    counts = Counter({(outlet_names[p // len(key_names)], key_names[p % len(key_names)]): int(c)
                      for p, c in zip(pair.tolist(), n.tolist(), strict=True)})
    seen = np.bincount(token_codes[word], minlength=len(distinct)).tolist()
    shown: dict[str, tuple[int, str]] = {}
    for token, key, times in zip(distinct, keys, seen, strict=True):  # in the order first met
        if key is not None and times > shown.get(key, (0, ""))[0]:
            shown[key] = (times, token)
    return counts, {key: token for key, (_, token) in shown.items()}


def _feature_counts(frame: pd.DataFrame, feature: str) -> tuple[Counter, dict[str, str]]:
    """Counts of (outlet, feature key), and the name shown for each key."""
    counts: Counter = Counter()
    if feature == "word":
        return _word_counts(frame["outlet"].tolist(), frame["text"].astype(str).tolist())
    column = {"actor": "actors", "speaker": "speaker", "topic": "topics"}[feature]
    for outlet, cell in zip(frame["outlet"], frame[column], strict=True):
        for key in dict.fromkeys(tables.split_keys(cell)):
            counts[(outlet, key)] += 1
    return counts, {}


def _keyness_frame(counts: Counter, shown: dict[str, str], targets: list[str], *, measure: str,
                   correction: str, min_expected: float) -> pd.DataFrame:
    """The keyness rows of each target outlet against the rest, ranked (small ones last)."""
    import pandas as pd

    totals: Counter = Counter()
    everywhere: Counter = Counter()
    for (outlet, key), n in counts.items():
        totals[outlet] += n
        everywhere[key] += n
    n_all = sum(totals.values())
    rows = []
    for outlet in targets:
        for key in sorted(everywhere):
            a = counts.get((outlet, key), 0)
            stat, smallest = _keyness_row(a, everywhere[key] - a, totals[outlet],
                                          n_all - totals[outlet], measure, correction)
            expected = everywhere[key] * totals[outlet] / n_all if n_all else 0.0
            rows.append((outlet, shown.get(key, key), stat, _chi2_sf(stat), a, everywhere[key] - a,
                         expected, smallest < min_expected))
    name = "chi2" if measure == "chi2" else "G2"
    out = pd.DataFrame(rows, columns=["outlet", "feature", name, "p", "n_target", "n_reference",
                                      "expected", "small"])
    out = out.astype({"small": "bool", name: "float64", "p": "float64", "expected": "float64",
                      "n_target": "int64", "n_reference": "int64"})
    out = out.sort_values(["outlet", "small", name, "feature"], ascending=[True, True, False, True],
                          kind="stable").reset_index(drop=True)
    ranked = (~out["small"]).astype("int64").groupby(out["outlet"]).cumsum()
    out["rank"] = ranked.where(~out["small"]).astype("Int64")
    return out


def keyness(
    sentences: pd.DataFrame,
    *,
    documents: pd.DataFrame | None = None,
    target: str | None = None,
    feature: str = "word",
    measure: str = "chi2",
    correction: str = "default",
    min_expected: float = 5.0,
    reused: str = "all",
    labels: str | None = None,
    codebook: CodebookLike | None = None,
) -> pd.DataFrame:
    """What each outlet stresses: distinctive words, actors, speakers or topics.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentences frame (``text`` for words, ``actors``, ``speaker`` or ``topics``).
    documents : pandas.DataFrame or None, default None
        ``doc_id, outlet, date`` of the articles.
    target : str or None, default None
        The outlet compared with all the others; None compares each outlet in turn.
    feature : {"word", "actor", "speaker", "topic"}, default "word"
        Words (normalised, shown in their most frequent spelling), actors mentioned
        (sentences mentioning each), speakers (statements), topics (sentences).
    measure : {"chi2", "lr"}, default "chi2"
        Pearson's χ² or the likelihood ratio G², signed.
    correction : {"default", "yates", "williams", "none"}, default "default"
        Yates' correction where an expected count is below 5 (default, for both
        measures, as quanteda computes them), Williams' (``lr`` only) or none.
    min_expected : float, default 5.0
        Rows whose smallest expected count is below this are ``small``: not ranked.
    reused : {"all", "once"}, default "all"
        Count a reused passage once with ``"once"``.
    labels : {None, "ar", "en", "both"}, default None
        Add ``feature_ar`` / ``feature_en`` for actors, speakers and topics.
    codebook : Codebook, CodebookSummary, Store or None, default None
        Labels.

    Returns
    -------
    pandas.DataFrame
        ``outlet, feature, [labels,] chi2 | G2, p, n_target, n_reference, expected, small,
        rank`` (``expected``: the count expected in the target; ``rank`` from 1, NA when
        small). Per outlet, ranked rows by the statistic (largest first, then feature),
        then the small ones.
    """

    for name, value, choices in (("feature", feature, _FEATURES), ("measure", measure, _MEASURES),
                                 ("correction", correction, _CORRECTIONS)):
        check_choice(name, value, choices)
    if correction == "williams" and measure != "lr":
        raise ValueError("correction='williams' applies to measure='lr'; use 'default', 'yates' "
                         "or 'none' with measure='chi2'")
    frame = _with_outlets(sentences, documents, reused)
    if feature == "speaker":
        frame = _speakers(frame)
    counts, shown = _feature_counts(frame, feature)
    outlets = _outlets(frame)
    if target is not None and target not in outlets:
        raise ValueError(f"`target` value = {target!r} is not an outlet of these sentences; "
                         f"outlets: {', '.join(map(repr, outlets))}")
    out = _keyness_frame(counts, shown, [target] if target is not None else outlets, measure=measure,
                         correction=correction, min_expected=min_expected)
    return out if feature == "word" else tables.add_labels(out, "feature", labels=labels,
                                                            codebook=codebook)


# ------------------------------------------------------------------ over time


def _periods(dates: pd.Series, freq: str) -> pd.Series:
    """The period each ISO date falls in: the date itself, or the Monday of its week."""
    import pandas as pd

    days = pd.to_datetime(dates, format="%Y-%m-%d")
    if freq == "week":
        days = days - pd.to_timedelta(days.dt.day_of_week, unit="D")
    return days.dt.strftime("%Y-%m-%d")


def coverage_over_time(
    sentences: pd.DataFrame,
    *,
    documents: pd.DataFrame | None = None,
    what: str = "topic",
    freq: str = "week",
    by: str | None = "outlet",
    reused: str = "all",
    labels: str | None = None,
    codebook: CodebookLike | None = None,
) -> pd.DataFrame:
    """How coverage moves: topic or speaker counts by day or week, per outlet or overall.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentences frame (needs ``doc_id``, ``topics`` or ``speaker``).
    documents : pandas.DataFrame or None, default None
        ``doc_id, outlet, date`` of the articles; articles not dated to the day are left out.
    what : {"topic", "speaker"}, default "topic"
        Sentences raising each topic, or statements of each speaker.
    freq : {"day", "week"}, default "week"
        The period; a week starts on Monday and is named by that date.
    by : {"outlet", None}, default "outlet"
        Per outlet, or all outlets together.
    reused : {"all", "once"}, default "all"
        Count a reused passage once with ``"once"``.
    labels : {None, "ar", "en", "both"}, default None
        Add label columns after the key column.
    codebook : Codebook, CodebookSummary, Store or None, default None
        Order and labels; when given, every topic gets rows.

    Returns
    -------
    pandas.DataFrame
        Every period from the first to the last date (none skipped) × outlet × key:
        ``period, [outlet,] topic | speaker, [labels,] sentences | statements, articles``
        (``articles``: how many of the period's articles have at least one).
    """
    import pandas as pd

    for name, value, choices in (("what", what, _WHAT), ("freq", freq, _FREQ),
                                 ("by", by, _OVER_TIME_BY)):
        check_choice(name, value, choices)
    frame = _with_outlets(sentences, documents, reused)
    frame = frame.assign(date=frame["date"].map(dates.day_of))  # a time of day is dropped
    frame = frame[frame["date"] != ""]  # dated to the day
    if by is None:
        frame = frame.assign(outlet="")
    column, count = ("topics", "sentences") if what == "topic" else ("speaker", "statements")
    frame = frame.assign(period=_periods(frame["date"], freq) if len(frame) else [])
    cells = zip(frame["period"], frame["outlet"], frame["doc_id"], frame[column], strict=True)
    rows = [(p, o, d, k) for p, o, d, cell in cells for k in tables.split_keys(cell)]
    pairs = pd.DataFrame(rows, columns=["period", "outlet", "doc_id", what])
    keys = tables.in_codebook_order(pairs[what], "topics" if what == "topic" else "actors", codebook)
    if what == "speaker":
        keys = [k for k in keys if k in set(pairs[what])]
    step = "D" if freq == "day" else "7D"
    periods = (pd.date_range(frame["period"].min(), frame["period"].max(), freq=step)
               .strftime("%Y-%m-%d").tolist() if len(frame) else [])
    index = pd.MultiIndex.from_product([periods, _outlets(frame), keys], names=["period", "outlet", what])
    grouped = pairs.groupby(["period", "outlet", what])
    out = pd.DataFrame({count: grouped.size(), "articles": grouped["doc_id"].nunique()})
    out = out.reindex(index, fill_value=0).astype("int64").reset_index()
    if by is None:
        out = out.drop(columns=["outlet"])
    return tables.add_labels(out, what, labels=labels, codebook=codebook)


def actor_statements(
    sentences: pd.DataFrame,
    actor: str,
    *,
    documents: pd.DataFrame | None = None,
    reused: str = "all",
    labels: str | None = None,
    codebook: CodebookLike | None = None,
) -> pd.DataFrame:
    """Everything one actor is reported to have said, in date order, across outlets.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentences frame.
    actor : str
        The speaker's actor id (``"peskov"``).
    documents : pandas.DataFrame or None, default None
        ``doc_id, outlet, date`` of the articles.
    reused : {"all", "once"}, default "all"
        List a reused statement once with ``"once"``.
    labels : {None, "ar", "en", "both"}, default None
        Add speaker and statement-type labels.
    codebook : Codebook, CodebookSummary, Store or None, default None
        Labels.

    Returns
    -------
    pandas.DataFrame
        ``date, outlet`` then the columns of :func:`workbench.tables.statements` (and
        ``reuse_cluster`` when the sentences are marked), by date (undated last), then
        ``doc_id`` and paragraph.
    """
    frame = _with_outlets(sentences, documents, reused)
    mine = frame[frame["speaker"].fillna("").astype(str).str.strip() == actor]
    out = tables.statements(mine, labels=labels, codebook=codebook)
    by_id = mine.set_index("sentence_id")
    extra = ["date", "outlet"] + (["reuse_cluster"] if "reuse_cluster" in mine else [])
    for i, column in enumerate(extra[:2]):
        out.insert(i, column, out["sentence_id"].map(by_id[column]).to_numpy())
    if len(extra) > 2:
        out["reuse_cluster"] = out["sentence_id"].map(by_id["reuse_cluster"]).astype("int64").to_numpy()
    out = out.assign(_undated=out["date"] == "")
    return out.sort_values(["_undated", "date", "doc_id", "paragraph"], kind="stable").drop(
        columns="_undated").reset_index(drop=True)


# ------------------------------------------------------------------ reuse by outlet


def outlet_reuse(found: reuse.Reuse) -> pd.DataFrame:
    """How much each outlet runs shared copy, and how much it carries first.

    Parameters
    ----------
    found : Reuse
        What :func:`workbench.reuse.find_reuse` found.

    Returns
    -------
    pandas.DataFrame
        One row per outlet: ``outlet, articles, words, shared_words, original_share,
        clusters, first_carrier, copies`` (clusters it carries at all, first, or as a
        later copy).
    """
    articles = found.articles
    grouped = articles.groupby("outlet")
    out = grouped[["words", "shared_words"]].sum()
    out.insert(0, "articles", grouped.size())
    out["original_share"] = (1 - out["shared_words"] / out["words"].where(out["words"] > 0)).fillna(1.0)
    spans = found.spans.drop_duplicates(["cluster", "doc_id"])
    carried = spans.groupby("outlet")["cluster"].nunique()
    first = spans[spans["first"]].groupby("outlet")["cluster"].nunique()
    out["clusters"] = carried.reindex(out.index, fill_value=0)
    out["first_carrier"] = first.reindex(out.index, fill_value=0)
    out["copies"] = out["clusters"] - out["first_carrier"]
    return out.reset_index().astype({c: "int64" for c in ("articles", "words", "shared_words",
                                                          "clusters", "first_carrier", "copies")})


def shared_passages(found: reuse.Reuse) -> pd.DataFrame:
    """Which outlets run the same passages: reuse clusters carried by both of two outlets.

    Parameters
    ----------
    found : Reuse
        What :func:`workbench.reuse.find_reuse` found.

    Returns
    -------
    pandas.DataFrame
        A symmetric matrix: ``outlet`` then one integer column per outlet (every outlet
        of the articles, sorted); the diagonal counts the clusters the outlet carries.
    """
    import pandas as pd

    outlets = sorted(set(found.articles["outlet"]))
    carriers = found.spans[["cluster", "outlet"]].drop_duplicates()
    both = carriers.merge(carriers, on="cluster", suffixes=("", "_other"))
    matrix = pd.crosstab(both["outlet"], both["outlet_other"]).reindex(
        index=outlets, columns=outlets, fill_value=0).astype("int64")
    matrix.columns.name = None
    return matrix.rename_axis("outlet").reset_index()


def outlet_profiles(
    sentences: pd.DataFrame,
    mentions: pd.DataFrame | None = None,
    *,
    documents: pd.DataFrame,
    reuse_found: reuse.Reuse | None = None,
    reused: str = "all",
    labels: str | None = None,
    codebook: CodebookLike | None = None,
) -> dict[str, pd.DataFrame]:
    """Every outlet table at once, named as the export writes them.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentences frame.
    mentions : pandas.DataFrame or None, default None
        The mentions frame (topic mention counts in ``outlet_topics``).
    documents : pandas.DataFrame
        ``doc_id, outlet, date`` of the articles.
    reuse_found : Reuse or None, default None
        The reuse of the same articles: adds ``reuse_by_outlet`` and ``shared_passages``
        (and is needed for ``reused="once"`` unless the sentences are marked).
    reused : {"all", "once"}, default "all"
        Count a reused passage once with ``"once"``.
    labels : {None, "ar", "en", "both"}, default None
        Add labels.
    codebook : Codebook, CodebookSummary, Store or None, default None
        Order, labels and actor types.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``outlet_topics``, ``outlet_speakers``, ``outlet_speaker_types``,
        ``outlet_statement_types``, ``outlet_quotation``, ``outlet_keyness_words``,
        ``outlet_keyness_actors``, ``coverage_by_week`` and, with ``reuse_found``,
        ``reuse_by_outlet`` and ``shared_passages``.
    """
    if reused == "once" and "reused_copy" not in sentences.columns and reuse_found is not None:
        sentences = reuse.mark_reused(sentences, reuse_found)
    common = {"documents": documents, "reused": reused}
    named = {"labels": labels, "codebook": codebook}
    out = {
        "outlet_topics": tables.topic_counts(sentences, mentions, by="outlet", **common, **named),
        "outlet_speakers": speaker_shares(sentences, **common, **named),
        "outlet_speaker_types": speaker_shares(sentences, by="type", **common, **named),
        "outlet_statement_types": statement_types_by_speaker(sentences, **common, **named),
        "outlet_quotation": quotation_shares(sentences, **common),
        "outlet_keyness_words": keyness(sentences, feature="word", **common),
        "outlet_keyness_actors": keyness(sentences, feature="actor", **common, **named),
        "coverage_by_week": coverage_over_time(sentences, **common, **named),
    }
    if reuse_found is not None:
        out["reuse_by_outlet"] = outlet_reuse(reuse_found)
        out["shared_passages"] = shared_passages(reuse_found)
    return out


def focus(
    sentences: pd.DataFrame,
    *,
    documents: pd.DataFrame | None = None,
    outlet: str | None = None,
    actor: str | None = None,
    topic: str | None = None,
) -> dict[str, str]:
    """What to look at closely: the outlet, actor and topic given, or for each one not given
    the corpus's most frequent (ties go to the first in sort order).

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentences (page furniture is left out).
    documents : pandas.DataFrame, optional
        Each article's outlet and date (see the module's introduction).
    outlet, actor, topic : str, optional
        The choices made; None for the outlet with the most articles, the speaker of the
        most statements and the topic raised by the most sentences.

    Returns
    -------
    dict
        ``{"outlet": ..., "actor": ..., "topic": ...}``; ``""`` where the corpus has none.
    """
    frame = _with_outlets(sentences, documents, "all")

    def most(values: list[str]) -> str:
        counts = Counter(v for v in values if v)
        return max(sorted(counts), key=counts.__getitem__) if counts else ""

    return {
        "outlet": outlet or most(frame.drop_duplicates("doc_id")["outlet"].tolist()),
        "actor": actor or most(_speakers(frame)["speaker"].tolist()),
        "topic": topic or most([k for cell in frame["topics"] for k in tables.split_keys(cell)]),
    }
