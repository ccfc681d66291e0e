"""A REFI-QDA project (``.qdpx``) of the store's current view.

The archive holds ``project.qde`` and, in ``sources/``, each article as a UTF-8 text file
named by its GUID, exactly as annotated. Every current coding of a sentence — each topic,
each actor, the speaker and the statement type — is a ``PlainTextSelection`` of the
sentence's span holding one ``Coding`` of its code. Positions count Unicode code points of
the source text from 0, end exclusive (REFI-QDA 1.5, section 10.2; the workbench's own
offsets). A coding made by the automatic layer is created by the user ``automatic``, and
its selection's description gives the rule and the words that made it; one a correction
made is created by the annotator who made it, at the time they made it. The analyst's
note on a sentence is a ``Note`` referred to by that sentence's codings. Characters XML 1.0
cannot hold are U+FFFD in the XML (:func:`workbench.refi.schema.xml_text`), never in the sources.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections import defaultdict
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..files import write_atomically
from .codes import GROUPS, code_elements, codebook_codes
from .schema import PROJECT_NS, RefiError, element, guid, validate, xml_text

__all__ = ["write_qdpx", "AUTOMATIC_USER"]

#: The user that creates the automatic layer's codings.
AUTOMATIC_USER = "automatic"
_FIELDS = {"topic": "topics", "actor": "actors", "speaker": "speaker", "statement_type": "statement_type"}
_VARIABLES = {"doc_id": "Text", "title": "Text", "outlet": "Text", "date": "Date", "url": "Text"}


def _q(name: str) -> str:
    return f"{{{PROJECT_NS}}}{name}"


def _keys(value: str) -> list[str]:
    return [k for k in str(value).split(";") if k]


def _xml_time(value: str) -> str:
    """A journal or run time as an xsd:dateTime in UTC."""
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _owners(
    journal: Any, auto: Mapping[str, Mapping[str, Any]]
) -> dict[tuple[str, str, str], tuple[str, str]]:
    """Who put each current value there: ``(sentence_id, field, key) -> (annotator, time)``.

    ``journal`` holds the entries replayed by the view (undo entries and undone entries
    are left out here); ``key`` is the key for topics and actors, the value otherwise.
    """
    undone = {int(r) for r in journal["reverts"].dropna()}
    current: dict[tuple[str, str], list[str]] = {}
    owners: dict[tuple[str, str, str], tuple[str, str]] = {}
    for e in journal[journal["reverts"].isna()].itertuples(index=False):
        if int(e.id) in undone:
            continue
        who = (e.annotator, e.time)
        if e.field in ("topics", "actors"):
            keys = current.setdefault(
                (e.sentence_id, e.field), _keys(auto.get(e.sentence_id, {}).get(e.field, ""))
            )
            new = [e.value] if e.action == "add" else [] if e.action == "remove" else _keys(e.value)
            for key in new:
                if key not in keys:
                    owners[(e.sentence_id, e.field, key)] = who
            if e.action == "add":
                keys.append(e.value)
            elif e.action == "remove":
                keys[:] = [k for k in keys if k != e.value]
            else:
                keys[:] = new
        else:
            owners[(e.sentence_id, e.field, e.value)] = who
    return owners


def _rules(mentions: Any) -> dict[tuple[str, str, str], list[str]]:
    """The automatic evidence: ``(sentence_id, kind, key) -> ["rule «surface»", ...]``."""
    out: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for m in mentions.itertuples(index=False):
        out[(m.sentence_id, m.kind, m.key)].append(f"{m.rule} «{m.surface}» {m.start}–{m.end}")
    return out


class _Project:
    """Builds ``project.qde`` for one view of a store."""

    def __init__(self, store: Any, *, annotator: str | None):
        from lxml import etree

        self.etree = etree
        self.store = store
        self.as_of = store.last_entry_id()
        self.sentences, self.mentions = store.view(annotator=annotator, as_of=self.as_of)
        auto = store.view(corrections=False)[0]
        self.auto = {r["sentence_id"]: r for r in auto.to_dict("records")}
        journal = store.journal(annotator=annotator)
        self.journal = journal[journal["id"] <= self.as_of]
        self.owners = _owners(self.journal, self.auto)
        self.rules = _rules(self.mentions)
        #: user GUID -> name; the automatic layer is a user of its own, whatever the annotators' names
        self.automatic = guid("user", AUTOMATIC_USER)
        self.users = {self.automatic: AUTOMATIC_USER}
        self.notes: list[Any] = []

    def user(self, name: str) -> str:
        """The GUID of the annotator ``name`` (never the automatic layer's)."""
        user_guid = guid("user", "annotator", name)
        self.users[user_guid] = name
        return user_guid

    def codes(self) -> tuple[list[Any], dict[tuple[str, str], str]]:
        extra = {
            kind: [k for cell in self.sentences[field] for k in _keys(cell)]
            for kind, field in _FIELDS.items()
        }
        groups = codebook_codes(self.store.codebook(), extra=extra)
        return groups, {(c.kind, c.key): c.guid for g in groups for c in g.children}

    def who(self, sentence: Mapping[str, Any], kind: str, key: str, run_time: str) -> tuple[str, str, str]:
        """(user GUID, time, description) of one coding."""
        field = _FIELDS[kind]
        auto = self.auto.get(sentence["sentence_id"], {})
        automatic = (
            key in _keys(auto.get(field, "")) if kind in ("topic", "actor") else auto.get(field) == key
        )
        if automatic:
            if kind in ("topic", "actor"):
                rule = (
                    "; ".join(self.rules.get((sentence["sentence_id"], kind, key), []))
                    or "the automatic layer"
                )
            else:
                rule = auto.get("speaker_rule") or "the automatic layer"
            return self.automatic, run_time, f"automatic: {rule}"
        annotator, time = self.owners.get((sentence["sentence_id"], field, key), ("unknown", run_time))
        return (
            self.user(annotator),
            _xml_time(time) if time != run_time else time,
            f"manual: {annotator}, {_xml_time(time)}",
        )

    def note(self, sentence: Mapping[str, Any], run_time: str) -> str | None:
        if not sentence["note"]:
            return None
        annotator, time = self.owners.get(
            (sentence["sentence_id"], "note", sentence["note"]), ("unknown", run_time)
        )
        note_guid = guid("note", sentence["sentence_id"], sentence["note"])
        note = element(
            None,
            _q("Note"),
            guid=note_guid,
            name=f"note · {sentence['sentence_id']}",
            creatingUser=self.user(annotator),
            creationDateTime=_xml_time(time),
        )
        element(note, _q("Description"), f"{annotator}'s note on sentence {sentence['sentence_id']}")
        element(note, _q("PlainTextContent"), sentence["note"])
        self.notes.append(note)
        return note_guid

    def source(
        self,
        parent: Any,
        document: Mapping[str, Any],
        sentences: list[Mapping[str, Any]],
        code_guids: Mapping[tuple[str, str], str],
        variables: Mapping[str, str],
        run_time: str,
    ) -> str:
        """One ``TextSource`` with its selections; returns its GUID."""
        sub = element
        source_guid = guid("source", document["doc_id"], document["content_hash"])
        source = sub(
            parent,
            _q("TextSource"),
            guid=source_guid,
            name=document["doc_id"],
            plainTextPath=f"internal://{source_guid}.txt",
            creatingUser=self.automatic,
            creationDateTime=run_time,
        )
        sub(source, _q("Description"), " · ".join(
            str(document[c]) for c in ("title", "outlet", "date", "url") if document[c]
        ))
        for s in sentences:
            note_guid = self.note(s, run_time)
            codings = [
                (kind, key)
                for kind, field in _FIELDS.items()
                for key in (_keys(s[field]) if kind in ("topic", "actor") else [s[field]] if s[field] else [])
            ]
            for kind, key in codings:
                user, time, description = self.who(s, kind, key, run_time)
                selection = sub(
                    source,
                    _q("PlainTextSelection"),
                    guid=guid("selection", s["sentence_id"], kind, key),
                    name=s["sentence_id"],
                    startPosition=str(s["start"]),
                    endPosition=str(s["end"]),
                    creatingUser=user,
                    creationDateTime=time,
                )
                sub(selection, _q("Description"), f"{GROUPS[kind][1]}: {key} — {description}")
                coding = sub(
                    selection,
                    _q("Coding"),
                    guid=guid("coding", s["sentence_id"], kind, key),
                    creatingUser=user,
                    creationDateTime=time,
                )
                sub(coding, _q("CodeRef"), targetGUID=code_guids[(kind, key)])
                if note_guid:
                    sub(coding, _q("NoteRef"), targetGUID=note_guid)
            if note_guid and not codings:  # a note on a sentence nothing codes: a selection of its own
                selection = sub(
                    source,
                    _q("PlainTextSelection"),
                    guid=guid("selection", s["sentence_id"], "note"),
                    name=s["sentence_id"],
                    startPosition=str(s["start"]),
                    endPosition=str(s["end"]),
                )
                sub(selection, _q("NoteRef"), targetGUID=note_guid)
        for name, kind in _VARIABLES.items():
            value = str(document[name] or "")
            if not value or (kind == "Date" and not _is_date(value)):
                continue
            holder = sub(source, _q("VariableValue"))
            sub(holder, _q("VariableRef"), targetGUID=variables[name])
            sub(holder, _q("DateValue" if kind == "Date" else "TextValue"), value)
        return source_guid

    def build(self, name: str) -> tuple[Any, dict[str, str]]:
        """The project element and the source texts by GUID."""
        from workbench import __version__

        sub = element
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        root = self.etree.Element(
            _q("Project"),
            nsmap={None: PROJECT_NS},
            name=xml_text(name),
            origin=f"Arabic analyst workbench {__version__}",
            creatingUserGUID=self.automatic,
            creationDateTime=now,
        )
        users = sub(root, _q("Users"))
        groups, code_guids = self.codes()
        code_elements(sub(sub(root, _q("CodeBook")), _q("Codes")), groups, namespace=PROJECT_NS)
        variables = {v: guid("variable", v) for v in _VARIABLES}
        holder = sub(root, _q("Variables"))
        for v, kind in _VARIABLES.items():
            sub(holder, _q("Variable"), guid=variables[v], name=v, typeOfVariable=kind)
        sources = sub(root, _q("Sources"))
        texts = self.sources(sources, code_guids, variables)
        if self.notes:
            sub(root, _q("Notes")).extend(self.notes)
        sets = sub(root, _q("Sets"))
        for group in groups:
            one = sub(sets, _q("Set"), guid=guid("set", group.key), name=group.name)
            for child in group.children:
                sub(one, _q("MemberCode"), targetGUID=child.guid)
        codebook = self.store.codebook()
        sub(root, _q("Description"), (
            f"Exported from the workbench store {Path(self.store.path).name} at journal entry {self.as_of} "
            f"(codebook {codebook.name!r}, {codebook.hash}). Selections count Unicode code points "
            "of the source text from 0, end exclusive."
        ))
        for user_guid, user_name in self.users.items():  # every user a coding or note named
            sub(users, _q("User"), guid=user_guid, name=user_name)
        return root, texts

    def sources(
        self, parent: Any, code_guids: Mapping[tuple[str, str], str], variables: Mapping[str, str]
    ) -> dict[str, str]:
        runs = {int(r.run_id): _xml_time(r.time) for r in self.store.runs().itertuples(index=False)}
        by_doc: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
        for s in self.sentences.to_dict("records"):
            by_doc[s["doc_id"]].append(s)
        texts = {}
        for document in self.store.documents().to_dict("records"):
            text = self.store.document_text(document["doc_id"])
            sentences = by_doc.get(document["doc_id"], [])
            wrong = [s["sentence_id"] for s in sentences if text[s["start"] : s["end"]] != s["text"]]
            if wrong:
                raise RefiError(
                    self.store.path,
                    [
                        f"document {document['doc_id']!r}: the stored text does not hold sentence(s) "
                        f"{wrong[:3]} at "
                        "their offsets (annotated without the full text?); annotate the articles again"
                    ],
                )
            run_time = runs.get(int(document["run_id"]), runs[max(runs)]) if runs else ""
            source_guid = self.source(parent, document, sentences, code_guids, variables, run_time)
            texts[source_guid] = text
        return texts


def _is_date(value: str) -> bool:
    try:
        datetime.strptime(value, "%Y-%m-%d")
    except ValueError:
        return False
    return True


def write_qdpx(store: Any, path: str | os.PathLike, *, annotator: str | None = None) -> Path:
    """Write the store's current view as a REFI-QDA project (``.qdpx``), validated.

    Parameters
    ----------
    store : workbench.store.Store
        The store (its articles, codebook, automatic layer and journal).
    path : str or os.PathLike
        The ``.qdpx`` file to (over)write.
    annotator : str, optional
        Only this annotator's corrections (default: everyone's), as in :meth:`Store.view`.

    Returns
    -------
    pathlib.Path
        ``path``: a zip archive of ``project.qde`` (valid against the REFI-QDA project
        schema, ``Project-mrt2019.xsd``) and ``sources/<guid>.txt`` (UTF-8, no BOM). The
        codes are :func:`workbench.refi.codebook_codes`; the documents' ``doc_id``,
        ``title``, ``outlet``, ``date`` and ``url`` are source variables.

    Raises
    ------
    RefiError
        When a document's stored text does not hold its sentences (nothing is written).
    """
    from lxml import etree

    project = _Project(store, annotator=annotator)
    root, texts = project.build(Path(path).stem)
    validate(etree.ElementTree(root), "project", path=path)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "project.qde", etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
        )
        for source_guid, text in texts.items():
            archive.writestr(f"sources/{source_guid}.txt", text.encode("utf-8"))
    return write_atomically(path, lambda handle: handle.write(buffer.getvalue()), binary=True)
