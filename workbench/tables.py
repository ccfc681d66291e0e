"""Tables an analyst can put into a report: DataFrame in, new DataFrame out.

Every function takes the ``sentences`` (and where needed ``mentions``) frames
of :func:`workbench.annotate` or :meth:`workbench.store.Store.view` and
returns a new DataFrame; inputs are never modified. Keys (topic keys, actor
ids) stay in the key columns; ``labels="ar" | "en" | "both"`` adds their
Arabic / English labels from the codebook beside them (``topic_ar``,
``topic_en``, ``speaker_ar`` ...) and, in the matrix tables, heads the topic
columns with labels instead of keys.

Topics and actors are listed in codebook order (the ``codebook=`` given, else
the default codebook), keys the codebook lacks after them in order of first
appearance. When a codebook is given, every topic in it gets a row or column,
even with zero counts, so tables from different corpora line up. Give the
codebook that annotated the data: a :class:`~workbench.codebook.Codebook`
(``ann.codebook``), the :class:`~workbench.codebook.CodebookSummary`
:meth:`Store.codebook` returns, or the :class:`~workbench.store.Store` itself.

Page furniture (sentences whose ``furniture`` is not ``""``: captions, bylines, share
bars …) is left out of every count, and of the statements table
(:func:`without_furniture`); the concordance (:func:`kwic`) still shows it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import chain
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from workbench import display, reuse
from workbench.checks import check_choice
from workbench.furniture import without_furniture
from workbench.key_cells import seen_keys, split_cells, split_keys

if TYPE_CHECKING:  # pragma: no cover
    from workbench.codebook import CodebookLike

__all__ = [
    "COOCCURRENCE_UNITS",
    "without_furniture",
    "in_codebook_order",
    "rule_fields",
    "add_labels",
    "split_keys",
    "topic_counts",
    "topic_by_paragraph",
    "speaker_by_topic",
    "actor_by_topic",
    "cooccurrence",
    "statements",
    "kwic",
]

#: ``labels`` choices for tables; None keeps keys only.
TABLE_LABELS = {None: "keys only", **display.LABELS}

_BY = {
    None: "the whole corpus",
    "doc_id": "each document",
    "outlet": "each outlet (needs documents=)",
    "date": "each date (needs documents=)",
}
COOCCURRENCE_UNITS = {"sentence": ("doc_id", "sentence_id"), "paragraph": ("doc_id", "paragraph")}

# "name=" at the start of a speaker_rule field.
_RULE_FIELD = re.compile(r"\s+([A-Za-z_-]+)=")
# Quotation pairs that mark quoted speech in Arabic news.
_QUOTE_RE = re.compile(r'"([^"]+)"|«([^»]+)»|“([^”]+)”|„([^“”]+)[“”]')


# ------------------------------------------------------------------ helpers


def _require(frame: pd.DataFrame, columns: Iterable[str], name: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(
            f"`{name}` must be a pandas DataFrame (from workbench.annotate() or "
            f"Store.view()), not {type(frame).__name__}"
        )
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(
            f"`{name}` is missing column(s) {', '.join(map(repr, missing))}; pass the "
            f"{name} DataFrame from workbench.annotate() or Store.view()"
        )


def in_codebook_order(seen: Iterable[str], kind: str, codebook: CodebookLike | None) -> list[str]:
    """Keys in codebook order, then keys the codebook lacks in order of first appearance.

    Parameters
    ----------
    seen : iterable of str
        The keys found in the data (repeats allowed).
    kind : {"topics", "actors", "statement_types"}
        Which keys they are.
    codebook : Codebook, CodebookSummary, Store or None
        The codebook: when given, all its keys of ``kind`` come first, seen or not; with
        None, the keys seen, in the default codebook's order.

    Returns
    -------
    list of str
    """
    known = display.codebook_or_default(codebook).keys(kind)
    seen_list = list(dict.fromkeys(seen))
    if codebook is not None and known:
        head = known
    else:
        present = set(seen_list)
        head = [k for k in known if k in present]
    known_set = set(head)
    return head + [k for k in seen_list if k not in known_set]


def add_labels(
    frame: pd.DataFrame, column: str, *, labels: str | None = None,
    codebook: CodebookLike | None = None,
) -> pd.DataFrame:
    """Insert ``{column}_ar`` / ``{column}_en`` label columns after a key column.

    Parameters
    ----------
    frame : pandas.DataFrame
        A table with keys (topic keys, actor ids, statement types) in ``column``.
    column : str
        The key column.
    labels : {None, "ar", "en", "both"}, default None
        Which labels; None adds none.
    codebook : Codebook, CodebookSummary, Store or None, default None
        Where the labels come from (None: the default codebook).

    Returns
    -------
    pandas.DataFrame
        A new frame (``frame`` itself for ``labels=None``).
    """
    check_choice("labels", labels, TABLE_LABELS)
    if labels is None:
        return frame
    summary = display.codebook_or_default(codebook)
    langs = ["ar", "en"] if labels == "both" else [labels]
    out = frame.copy()
    at = list(out.columns).index(column) + 1
    keys = [str(k) for k in out[column].tolist()]
    for i, lang in enumerate(langs):
        shown = {k: display.label(k, labels=lang, codebook=summary) for k in dict.fromkeys(keys)}
        out.insert(at + i, f"{column}_{lang}", [shown[k] for k in keys])
    return out


def _head_topics(
    frame: pd.DataFrame, topics: Sequence[str], labels: str | None, codebook: CodebookLike | None
) -> pd.DataFrame:
    """Head topic-key columns with their labels."""
    if labels is None:
        return frame.infer_objects()
    summary = display.codebook_or_default(codebook)
    names = {k: display.label(k, labels=labels, codebook=summary) for k in topics}
    return frame.rename(columns=names).infer_objects()


def _long(frame: pd.DataFrame, column: str, name: str, keep: Sequence[str]) -> pd.DataFrame:
    """One row per (row of ``frame``, key in ``column``)."""
    cells = split_cells(frame[column].tolist())
    counts = np.fromiter(map(len, cells), dtype=np.int64, count=len(cells))
    if not counts.any():
        return pd.DataFrame([], columns=[*keep, name])  # no rows: object columns, as from no tuples
    out = {c: np.repeat(np.array(frame[c].tolist(), dtype=object), counts).tolist() for c in keep}
    out[name] = list(chain.from_iterable(cells))
    return pd.DataFrame(out, columns=[*keep, name])


def _crosstab(
    pairs: pd.DataFrame, row: str, rows: Sequence[str], topics: Sequence[str]
) -> pd.DataFrame:
    """Counts of (row, topic) pairs as a rows × topics integer matrix."""
    counts = pairs.groupby([row, "topic"]).size()
    matrix = counts.unstack("topic") if len(counts) else pd.DataFrame(index=pd.Index([], name=row))
    matrix = matrix.reindex(index=list(rows), columns=list(topics)).fillna(0).astype("int64")
    matrix.columns.name = None
    return matrix


def _matrix(
    matrix: pd.DataFrame,
    row: str,
    total_name: str,
    totals: pd.Series,
    topics: Sequence[str],
    *,
    labels: str | None,
    codebook: CodebookLike | None,
) -> pd.DataFrame:
    """Row key column, its labels, a total column, then one column per topic."""
    out = matrix.copy()
    out.insert(0, total_name, totals.reindex(out.index).fillna(0).astype("int64").to_numpy())
    out = out.rename_axis(row).reset_index()
    out = add_labels(out, row, labels=labels, codebook=codebook)
    return _head_topics(out, topics, labels, codebook)


# ------------------------------------------------------------------ tables


def topic_counts(
    sentences: pd.DataFrame,
    mentions: pd.DataFrame | None = None,
    *,
    by: str | None = "doc_id",
    labels: str | None = None,
    documents: pd.DataFrame | None = None,
    codebook: CodebookLike | None = None,
    reused: str = "all",
) -> pd.DataFrame:
    """Count sentences and mentions per topic, per document, outlet, date or overall.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentences frame (needs ``doc_id``, ``sentence_id``, ``topics``).
    mentions : pandas.DataFrame or None, default None
        The mentions frame; when given, a ``mentions`` column counts the topic
        mentions (rows with ``kind == "topic"``).
    by : {"doc_id", "outlet", "date", None}, default "doc_id"
        Group per document, per outlet, per date, or None for the whole corpus.
    labels : {None, "ar", "en", "both"}, default None
        Add ``topic_ar`` / ``topic_en`` label columns.
    documents : pandas.DataFrame or None, default None
        Document metadata (``doc_id``, ``date``, ``outlet``), e.g.
        ``Annotations.documents`` or ``Store.documents()``; needed for
        ``by="outlet"`` / ``"date"`` unless ``sentences`` has that column.
    codebook : Codebook, CodebookSummary, Store or None, default None
        Topic order and labels; when given, every topic gets a row.

    reused : {"all", "once"}, default "all"
        ``"once"`` counts a reused passage once: sentences marked as copies by
        :func:`workbench.reuse.mark_reused` are left out.
    Returns
    -------
    pandas.DataFrame
        One row per group and topic (zero rows included), groups sorted:
        ``[by,] topic, [topic_ar, topic_en,] sentences, [mentions,] share``
        where ``sentences`` counts the group's sentences tagged with the
        topic and ``share`` is that count over all the group's sentences.
    """
    check_choice("by", by, _BY)
    _require(sentences, ["doc_id", "sentence_id", "topics"], "sentences")
    sentences, mentions = without_furniture(sentences, mentions)
    sentences = reuse.count_once(sentences, reused=reused)
    group_of = _grouper(sentences, by, documents)
    group = by or "_all"
    frame = pd.DataFrame(
        {group: group_of(sentences["doc_id"]), "topics": sentences["topics"].to_numpy()}
    )
    seen = seen_keys(frame["topics"])
    counted = None
    if mentions is not None:
        _require(mentions, ["doc_id", "kind", "key", *(["sentence_id"] if reused == "once" else [])],
                 "mentions")
        chosen = mentions[mentions["kind"] == "topic"]
        if reused == "once":
            chosen = chosen[chosen["sentence_id"].isin(sentences["sentence_id"])]
        counted = pd.DataFrame(
            {group: group_of(chosen["doc_id"]), "topic": chosen["key"].astype(str).to_numpy()}
        )
        seen += counted["topic"].tolist()
    topics = in_codebook_order(seen, "topics", codebook)
    groups = set(frame[group]) | (set(counted[group]) if counted is not None else set())
    grid = pd.MultiIndex.from_product([sorted(groups) or [""], topics], names=[group, "topic"])
    out = pd.DataFrame(index=grid)
    tagged = _long(frame, "topics", "topic", [group])
    out["sentences"] = _count(tagged, [group, "topic"], grid)
    if counted is not None:
        out["mentions"] = _count(counted, [group, "topic"], grid)
    totals = frame.groupby(group).size().reindex(grid.get_level_values(group), fill_value=0)
    out["share"] = [n / d if d else 0.0
                    for n, d in zip(out["sentences"].tolist(), totals.tolist(), strict=True)]
    out = out.reset_index()
    if by is None:
        out = out.drop(columns=[group])
    return add_labels(out, "topic", labels=labels, codebook=codebook).infer_objects()


def _count(pairs: pd.DataFrame, keys: list[str], grid: pd.MultiIndex) -> pd.Series:
    return pairs.groupby(keys).size().reindex(grid, fill_value=0).astype("int64")


def _grouper(sentences: pd.DataFrame, by: str | None, documents: pd.DataFrame | None):
    """A function from doc_id values to the group (str) each document falls in."""
    if by is None:
        return lambda doc_ids: pd.Series("", index=doc_ids.index, dtype=object).to_numpy()
    if by == "doc_id":
        return lambda doc_ids: doc_ids.astype(str).astype(object).to_numpy()
    if documents is None:
        if by not in sentences.columns:
            raise ValueError(
                f"topic_counts(by={by!r}) needs document metadata: pass "
                f"documents=ann.documents (or store.documents() / corpus.documents_frame())"
            )
        meta = sentences.drop_duplicates("doc_id").set_index("doc_id")[by]
    else:
        _require(documents, ["doc_id", by], "documents")
        meta = documents.drop_duplicates("doc_id").set_index("doc_id")[by]
        unknown = sorted(set(sentences["doc_id"]) - set(meta.index))
        if unknown:
            raise ValueError(
                f"`documents` has no row for doc_id {unknown[0]!r}"
                + (f" (and {len(unknown) - 1} more)" if len(unknown) > 1 else "")
                + "; pass the documents frame of the same corpus as the sentences"
            )
    meta = meta.map(lambda v: "" if v is None or v != v else str(v))
    return lambda doc_ids: doc_ids.map(meta).fillna("").astype(object).to_numpy()


def topic_by_paragraph(
    sentences: pd.DataFrame,
    *,
    labels: str | None = None,
    codebook: CodebookLike | None = None,
    reused: str = "all",
) -> pd.DataFrame:
    """Where in each article the topics come up, paragraph by paragraph.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentences frame (needs ``doc_id``, ``paragraph``, ``topics``).
    labels : {None, "ar", "en", "both"}, default None
        Head the topic columns with labels instead of keys.
    codebook : Codebook, CodebookSummary, Store or None, default None
        Topic order and labels; when given, every topic gets a column.

    reused : {"all", "once"}, default "all"
        ``"once"`` counts a reused passage once: sentences marked as copies by
        :func:`workbench.reuse.mark_reused` are left out.
    Returns
    -------
    pandas.DataFrame
        One row per paragraph that has sentences, in document then
        paragraph order: ``doc_id, paragraph, position, sentences`` and one
        integer column per topic (the paragraph's sentences tagged with it).
        ``position`` is the paragraph's place in its article, 0.0 for the
        first (the title) to 1.0 for the last.
    """
    _require(sentences, ["doc_id", "paragraph", "topics"], "sentences")
    sentences, _ = without_furniture(sentences)
    sentences = reuse.count_once(sentences, reused=reused)
    frame = sentences[["doc_id", "paragraph", "topics"]].copy()
    topics = in_codebook_order(seen_keys(frame["topics"]), "topics", codebook)
    keys = ["doc_id", "paragraph"]
    sizes = frame.groupby(keys, sort=True).size().rename("sentences")
    tagged = _long(frame, "topics", "topic", keys)
    counts = tagged.groupby(keys + ["topic"]).size()
    matrix = (
        counts.unstack("topic") if len(counts) else pd.DataFrame(index=sizes.index)
    ).reindex(index=sizes.index, columns=topics).fillna(0).astype("int64")
    matrix.columns.name = None
    out = matrix.assign(sentences=sizes.astype("int64"))[["sentences", *matrix.columns]].reset_index()
    first = out.groupby("doc_id")["paragraph"].transform("min")
    last = out.groupby("doc_id")["paragraph"].transform("max")
    span = (last - first).where(last > first, 1)
    out.insert(2, "position", ((out["paragraph"] - first) / span).astype("float64"))
    return _head_topics(out, topics, labels, codebook)


def speaker_by_topic(
    sentences: pd.DataFrame,
    *,
    labels: str | None = None,
    codebook: CodebookLike | None = None,
    reused: str = "all",
) -> pd.DataFrame:
    """Who spoke about what: attributed statements per speaker and topic.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentences frame (needs ``speaker``, ``topics``). A statement is a
        sentence with a non-empty ``speaker``.
    labels : {None, "ar", "en", "both"}, default None
        Add ``speaker_ar`` / ``speaker_en`` and head topic columns with labels.
    codebook : Codebook, CodebookSummary, Store or None, default None
        Actor and topic order and labels; when given, every topic gets a column.

    reused : {"all", "once"}, default "all"
        ``"once"`` counts a reused passage once: sentences marked as copies by
        :func:`workbench.reuse.mark_reused` are left out.
    Returns
    -------
    pandas.DataFrame
        One row per speaker (codebook order): ``speaker, [speaker_ar,
        speaker_en,] statements`` (all the speaker's statements) and one
        integer column per topic (statements tagged with it).
    """
    _require(sentences, ["speaker", "topics"], "sentences")
    sentences, _ = without_furniture(sentences)
    sentences = reuse.count_once(sentences, reused=reused)
    frame = sentences[["speaker", "topics"]].copy()
    frame["speaker"] = frame["speaker"].fillna("").astype(str).str.strip()
    frame = frame[frame["speaker"] != ""]
    topics = in_codebook_order(seen_keys(sentences["topics"]), "topics", codebook)
    speakers = in_codebook_order(frame["speaker"], "actors", codebook)
    present = set(frame["speaker"].tolist())
    speakers = [s for s in speakers if s in present]
    pairs = _long(frame, "topics", "topic", ["speaker"])
    matrix = _crosstab(pairs, "speaker", speakers, topics)
    totals = frame.groupby("speaker").size()
    return _matrix(matrix, "speaker", "statements", totals, topics, labels=labels, codebook=codebook)


def actor_by_topic(
    sentences: pd.DataFrame,
    *,
    labels: str | None = None,
    codebook: CodebookLike | None = None,
    reused: str = "all",
) -> pd.DataFrame:
    """Which actors are mentioned in sentences about which topics.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentences frame (needs ``actors``, ``topics``).
    labels : {None, "ar", "en", "both"}, default None
        Add ``actor_ar`` / ``actor_en`` and head topic columns with labels.
    codebook : Codebook, CodebookSummary, Store or None, default None
        Actor and topic order and labels; when given, every topic gets a column.

    reused : {"all", "once"}, default "all"
        ``"once"`` counts a reused passage once: sentences marked as copies by
        :func:`workbench.reuse.mark_reused` are left out.
    Returns
    -------
    pandas.DataFrame
        One row per actor mentioned (codebook order): ``actor, [actor_ar,
        actor_en,] sentences`` (sentences mentioning the actor) and one
        integer column per topic (those of them tagged with the topic).
    """
    _require(sentences, ["actors", "topics"], "sentences")
    sentences, _ = without_furniture(sentences)
    sentences = reuse.count_once(sentences, reused=reused)
    frame = sentences[["actors", "topics"]].reset_index(drop=True)
    frame["_row"] = range(len(frame))
    topics = in_codebook_order(seen_keys(frame["topics"]), "topics", codebook)
    actor_rows = _long(frame, "actors", "actor", ["_row", "topics"]).drop_duplicates(["_row", "actor"])
    present = set(actor_rows["actor"].tolist())
    actors = [a for a in in_codebook_order(actor_rows["actor"], "actors", codebook) if a in present]
    pairs = _long(actor_rows, "topics", "topic", ["_row", "actor"])
    matrix = _crosstab(pairs, "actor", actors, topics)
    totals = actor_rows.groupby("actor").size()
    return _matrix(matrix, "actor", "sentences", totals, topics, labels=labels, codebook=codebook)


def cooccurrence(
    sentences: pd.DataFrame,
    *,
    unit: str = "sentence",
    labels: str | None = None,
    codebook: CodebookLike | None = None,
    reused: str = "all",
) -> pd.DataFrame:
    """How often two topics are raised together in one sentence or paragraph.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentences frame (needs ``doc_id``, ``topics`` and ``sentence_id``
        or ``paragraph``).
    unit : {"sentence", "paragraph"}, default "sentence"
        What "together" means; a paragraph has the topics of all its sentences.
    labels : {None, "ar", "en", "both"}, default None
        Add ``topic_ar`` / ``topic_en`` and head topic columns with labels.
    codebook : Codebook, CodebookSummary, Store or None, default None
        Topic order and labels; when given, every topic gets a row and column.

    reused : {"all", "once"}, default "all"
        ``"once"`` counts a reused passage once: sentences marked as copies by
        :func:`workbench.reuse.mark_reused` are left out.
    Returns
    -------
    pandas.DataFrame
        A symmetric matrix: ``topic, [topic_ar, topic_en,]`` then one integer
        column per topic; cell (a, b) counts the units with both a and b, and
        the diagonal (a, a) the units with a.
    """
    check_choice("unit", unit, COOCCURRENCE_UNITS)
    keys = list(COOCCURRENCE_UNITS[unit])
    _require(sentences, keys + ["topics"], "sentences")
    sentences, _ = without_furniture(sentences)
    sentences = reuse.count_once(sentences, reused=reused)
    topics = in_codebook_order(seen_keys(sentences["topics"]), "topics", codebook)
    tagged = _long(sentences[keys + ["topics"]], "topics", "topic", keys).drop_duplicates()
    pairs = tagged.merge(tagged, on=keys, suffixes=("_row", ""))
    pairs = pairs.rename(columns={"topic_row": "_topic"})
    matrix = _crosstab(pairs, "_topic", topics, topics)
    out = matrix.rename_axis("topic").reset_index()
    out = add_labels(out, "topic", labels=labels, codebook=codebook)
    return _head_topics(out, topics, labels, codebook)


def rule_fields(rule: Any) -> dict[str, str]:
    """The ``name=value`` fields of a ``speaker_rule`` cell.

    Parameters
    ----------
    rule : str
        As the annotator writes it, e.g. ``verb=قال subject=الكرملين`` or
        ``source=وفق via=kremlin subject=بوتين verb=لفت``; a corrected row says ``manual``.

    Returns
    -------
    dict
        ``{"verb": "قال", "subject": "الكرملين"}``; ``{}`` when the cell has no fields.
    """
    if not isinstance(rule, str) or "=" not in rule:
        return {}
    parts = _RULE_FIELD.split(" " + rule.strip())
    return dict(zip(parts[1::2], (v.strip() for v in parts[2::2]), strict=True))


def _reporting_verb(rule: Any) -> str:
    """The reporting verb recorded in a ``speaker_rule`` cell (``""`` when none)."""
    return rule_fields(rule).get("verb", "")


def _quote(text: str) -> str:
    found = _QUOTE_RE.search(text or "")
    if not found:
        return ""
    return next(g for g in found.groups() if g is not None).strip()


def statements(
    sentences: pd.DataFrame,
    *,
    labels: str | None = None,
    codebook: CodebookLike | None = None,
    reused: str = "all",
) -> pd.DataFrame:
    """One row per attributed statement: who said it, how, and what.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentences frame (needs ``doc_id``, ``sentence_id``, ``text``,
        ``topics``, ``speaker``; uses ``paragraph``, ``speaker_rule``,
        ``statement_type`` and ``quote`` when present).
    labels : {None, "ar", "en", "both"}, default None
        Add ``speaker_ar`` / ``speaker_en`` and ``statement_type_ar`` /
        ``statement_type_en``.
    codebook : Codebook, CodebookSummary, Store or None, default None
        Where speaker and statement-type labels come from.

    reused : {"all", "once"}, default "all"
        ``"once"`` counts a reused passage once: sentences marked as copies by
        :func:`workbench.reuse.mark_reused` are left out.
    Returns
    -------
    pandas.DataFrame
        The sentences with a speaker, in their order: ``doc_id, paragraph,
        sentence_id, speaker, [speaker_ar, speaker_en,] verb, statement_type,
        [statement_type_ar, statement_type_en,] quote, topics, text``. ``verb`` is the reporting verb from
        ``speaker_rule``; ``quote`` is the ``quote`` column when present and
        not empty, else the first quoted passage of the text ("", « », “ ”),
        else "".
    """
    _require(sentences, ["doc_id", "sentence_id", "text", "topics", "speaker"], "sentences")
    sentences, _ = without_furniture(sentences)
    sentences = reuse.count_once(sentences, reused=reused)
    speaker = sentences["speaker"].fillna("").astype(str).str.strip()
    rows = sentences[speaker != ""]
    text = rows["text"].fillna("").astype(str)
    given = rows["quote"].fillna("").astype(str) if "quote" in rows else pd.Series("", index=rows.index)

    def column(name: str) -> list[str]:
        if name not in rows:
            return [""] * len(rows)
        return ["" if v is None or v != v else str(v) for v in rows[name].tolist()]

    out = pd.DataFrame(
        {
            "doc_id": rows["doc_id"].astype(str).tolist(),
            "paragraph": (rows["paragraph"].tolist() if "paragraph" in rows else [pd.NA] * len(rows)),
            "sentence_id": rows["sentence_id"].astype(str).tolist(),
            "speaker": speaker[speaker != ""].tolist(),
            "verb": [_reporting_verb(r) for r in column("speaker_rule")],
            "statement_type": column("statement_type"),
            "quote": [g if g.strip() else _quote(t)
                      for g, t in zip(given.tolist(), text.tolist(), strict=True)],
            "topics": column("topics"),
            "text": text.tolist(),
        },
        columns=["doc_id", "paragraph", "sentence_id", "speaker", "verb",
                 "statement_type", "quote", "topics", "text"],
    )
    out = add_labels(out, "speaker", labels=labels, codebook=codebook)
    return add_labels(out, "statement_type", labels=labels, codebook=codebook).infer_objects()


# ------------------------------------------------------------------ concordance

#: Columns of :func:`kwic`, named for reading order (right to left: before, keyword, after).
KWIC_COLUMNS = ["term", "doc_id", "paragraph", "sentence_id", "start", "end", "before", "keyword", "after"]


_PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")


class _Normalised(dict):
    """sentence_id -> normalised text, computed on first use (shared by the terms of one call)."""

    def __init__(self, texts: dict[str, str]) -> None:
        super().__init__()
        self.texts = texts

    def __missing__(self, sid: str):
        from workbench import text as wtext

        self[sid] = value = wtext.normalize(self.texts[sid])
        return value


def _kwic_hits(
    rows: dict[str, tuple], query: str, topic_keys: set[str], mentions: pd.DataFrame | None,
    normalised: _Normalised,
) -> list[tuple[str, int, int]]:
    """(sentence_id, start, end) of every occurrence, offsets local to the sentence."""
    from workbench import text as wtext

    hits: list[tuple[str, int, int]] = []
    if query in topic_keys:
        if mentions is None:
            raise ValueError(
                f"kwic({query!r}): {query!r} is a topic key; pass mentions= (from "
                f"workbench.annotate() or Store.view()) to list its mentions, or give a term"
            )
        chosen = mentions[(mentions["kind"] == "topic") & (mentions["key"].astype(str) == query)]
        for sid, start, end in chosen[["sentence_id", "start", "end"]].itertuples(index=False):
            if sid in rows:
                offset = int(rows[sid][2])
                hits.append((sid, int(start) - offset, int(end) - offset))
        return hits
    needle = wtext.normalize(query).text
    if not needle:
        raise ValueError(f"kwic({query!r}): the term has no letters left after normalisation")
    # a letter normalisation never produces must be in the sentence as written (unless it
    # was pasted in presentation forms): a cheap test before normalising it
    produced = {*wtext.ALEF_VARIANTS.values(), *wtext.ALEF_MAQSURA.values(), *wtext.TEH_MARBUTA.values(),
                *wtext.DIGITS.values()}  # what normalisation makes of other letters
    stable = [c for c in dict.fromkeys(needle) if c.isalpha() and c not in produced]
    for sid, (_, _, _, body) in rows.items():
        if stable and not all(c in body for c in stable) and not _PRESENTATION_FORMS.search(body):
            continue
        norm = normalised[sid]
        at = norm.text.find(needle)
        while at != -1:
            start, end = norm.to_original(at, at + len(needle))
            hits.append((sid, start, end))
            at = norm.text.find(needle, at + len(needle))
    return hits


def _kwic_row(query: str, sentence: tuple, sid: str, start: int, end: int, window: int) -> tuple:
    from workbench import text as wtext

    doc_id, paragraph, offset, body = sentence
    words = [t for t in wtext.tokens(body) if any(c.isalnum() for c in t.text)]
    # the rest of a word the match sits in (a clitic such as و or ل) always shows
    before_from = next((t.start for t in words if t.start < start < t.end), start)
    after_to = next((t.end for t in words if t.start < end < t.end), end)
    before = [t for t in words if t.end <= start]
    after = [t for t in words if t.start >= end]
    if window:
        before_from = before[-window].start if window <= len(before) else 0
        after_to = after[window - 1].end if window <= len(after) else len(body)
    return (query, doc_id, paragraph, sid, offset + start, offset + end, body[before_from:start].strip(),
            body[start:end], body[end:after_to].strip())


def kwic(
    sentences: pd.DataFrame,
    term_or_topic: str | Sequence[str],
    *,
    window: int = 5,
    mentions: pd.DataFrame | None = None,
    codebook: CodebookLike | None = None,
    reused: str = "all",
) -> pd.DataFrame:
    """Keyword in context: every occurrence of a term or topic with the words around it.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentences frame (needs ``doc_id``, ``sentence_id``, ``start``,
        ``text``; uses ``paragraph`` when present).
    term_or_topic : str or sequence of str
        An Arabic (or any) term, matched on normalised forms
        (:func:`workbench.text.normalize`: hamza/alef, alef maqsura, teh
        marbuta, tatweel, diacritics, presentation forms) anywhere in a
        word, so ``أوكرانيا`` finds ``لأوكرانيا`` and ``اوكرانيا``; or a topic
        key (in the codebook or in ``mentions``), which lists that topic's
        mentions. Several terms (a list, e.g. a project's ``kwic_terms``) are
        listed one after the other; an empty list gives an empty table.
    window : int, default 5
        Words of context on each side, within the sentence (the whole
        sentence side when it has fewer); the rest of the word the match sits
        in, such as a clitic و or ل, is always shown.
    mentions : pandas.DataFrame or None, default None
        The mentions frame; required for a topic key.
    codebook : Codebook, CodebookSummary, Store or None, default None
        Which keys are topics (default codebook when None).
    reused : {"all", "once"}, default "all"
        ``"once"`` counts a reused passage once: sentences marked as copies by
        :func:`workbench.reuse.mark_reused` are left out.

    Returns
    -------
    pandas.DataFrame
        One row per occurrence, by term then in document order: ``term, doc_id,
        paragraph, sentence_id, start, end, before, keyword, after``. ``term``
        is the term or key asked for; ``start``/``end`` are code-point offsets
        into the document text; ``keyword`` is the text exactly as written
        there, ``before`` and ``after`` the words that precede and follow it
        in reading order.
    """
    if not isinstance(window, int) or isinstance(window, bool) or window < 0:
        raise ValueError(f"`window` value = {window!r} is invalid; give a whole number of words, 0 or more")
    queries = [term_or_topic] if isinstance(term_or_topic, str) else list(term_or_topic)
    for query in queries:
        if not isinstance(query, str) or not query.strip():
            raise ValueError("kwic() needs a term or topic key to look for, got an empty string")
    _require(sentences, ["doc_id", "sentence_id", "start", "text"], "sentences")
    sentences = reuse.count_once(sentences, reused=reused)
    topic_keys = set(display.codebook_or_default(codebook).topic_keys)
    if mentions is not None:
        _require(mentions, ["sentence_id", "start", "end", "kind", "key"], "mentions")
        topic_keys |= set(mentions.loc[mentions["kind"] == "topic", "key"].astype(str))
    topic_keys |= set(split_keys(sentences["topics"].tolist())) if "topics" in sentences else set()

    unique = sentences.drop_duplicates("sentence_id")
    paragraphs = unique["paragraph"].tolist() if "paragraph" in unique.columns else [pd.NA] * len(unique)
    by_id = {sid: (str(doc), paragraph, int(start), str(body)) for sid, doc, paragraph, start, body in zip(
        unique["sentence_id"].tolist(), unique["doc_id"].tolist(), paragraphs, unique["start"].tolist(),
        unique["text"].tolist(), strict=True)}
    normalised = _Normalised({sid: row[3] for sid, row in by_id.items()})
    rows = []
    for order, query in enumerate(dict.fromkeys(q.strip() for q in queries)):
        hits = _kwic_hits(by_id, query, topic_keys, mentions, normalised)
        rows += [(order, *_kwic_row(query, by_id[sid], sid, start, end, window)) for sid, start, end in hits]
    out = pd.DataFrame(rows, columns=["_order", *KWIC_COLUMNS])
    text_columns = ["term", "doc_id", "sentence_id", "before", "keyword", "after"]
    out = out.astype({"start": "int64", "end": "int64", **{c: "str" for c in text_columns}})
    if out["paragraph"].notna().all():
        out["paragraph"] = out["paragraph"].astype("int64")
    out = out.sort_values(["_order", "doc_id", "start"], kind="stable")
    return out.drop(columns="_order").reset_index(drop=True)
