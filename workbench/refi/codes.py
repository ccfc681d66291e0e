"""The codebook as REFI-QDA codes: one group each for topics, actors, speakers and
statement types, with Arabic names, colours and stable GUIDs; ``.qdc`` export and reading.

Each code's description holds its English label and a line ``workbench <kind>: <key>``,
so the codes of a workbench export can be told apart and mapped back to their keys.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..codebook import CodebookLike, summary_of
from ..files import unpacking_problem, write_atomically
from .schema import CODEBOOK_NS, PROJECT_NS, RefiError, element, guid, parse_xml, validate

__all__ = ["QdaCode", "GROUPS", "MAX_DEPTH", "codebook_codes", "code_elements", "write_qdc", "read_qdc",
           "walk"]

#: The code groups of an export: kind → (Arabic name, English name, codebook part, colour).
GROUPS = {
    "topic": ("الموضوعات", "Topics", "topics", "#4E79A7"),
    "actor": ("الفاعلون", "Actors", "actors", "#59A14F"),
    "speaker": ("المتحدثون", "Speakers", "actors", "#E15759"),
    "statement_type": ("أنواع التصريحات", "Statement types", "statement_types", "#B07AA1"),
}
#: Colours that tell codes of one group apart (Tableau 10), in codebook order.
_PALETTE = (
    "#4E79A7",
    "#F28E2B",
    "#E15759",
    "#76B7B2",
    "#59A14F",
    "#EDC948",
    "#B07AA1",
    "#FF9DA7",
    "#9C755F",
    "#BAB0AC",
)
#: How deep codes may nest in a codebook read (MAXQDA allows ten levels; a chain of thousands
#: is no codebook, and would exhaust Python's recursion).
MAX_DEPTH = 100
_MARKER = re.compile(
    r"^workbench (topic|actor|speaker|statement_type|group): ([a-z][a-z0-9_]*)$", re.MULTILINE
)


@dataclass(frozen=True)
class QdaCode:
    """One REFI-QDA code and the codes nested in it.

    Attributes
    ----------
    guid, name : str
        Its GUID and the name a QDA program shows (Arabic where the codebook has it).
    codable : bool
        Whether selections may be coded with it (group codes are not).
    color : str
        ``#RRGGBB`` or ``""``.
    description : str
        Free text (``""`` when none).
    children : tuple of QdaCode
        Nested codes, in order.
    kind, key : str
        For codes a workbench export wrote: ``topic``, ``actor``, ``speaker``,
        ``statement_type`` (or ``group``) and the codebook key; ``""`` otherwise.
    line : int or None
        The line of the file it was read from.
    """

    guid: str
    name: str
    codable: bool = True
    color: str = ""
    description: str = ""
    children: tuple[QdaCode, ...] = ()
    kind: str = ""
    key: str = ""
    line: int | None = field(default=None, compare=False)


def walk(
    codes: Iterable[QdaCode], parents: tuple[QdaCode, ...] = ()
) -> Iterator[tuple[tuple[QdaCode, ...], QdaCode]]:
    """Every code with the codes it is nested in (outermost first), depth first in order."""
    for code in codes:
        yield parents, code
        yield from walk(code.children, parents + (code,))


def codebook_codes(
    codebook: CodebookLike, *, extra: Mapping[str, Iterable[str]] | None = None
) -> list[QdaCode]:
    """The codebook as four group codes holding one code per topic, actor (twice: as an
    actor mentioned and as a speaker) and statement type.

    Parameters
    ----------
    codebook : Codebook, CodebookSummary or Store
        The codebook (``load_codebook(...)``, ``Store.codebook()``, a store).
    extra : mapping of str to iterable of str, optional
        Keys by kind (``topic``, ``actor``, ``speaker``, ``statement_type``) that need a
        code although the codebook lacks them (keys an earlier codebook had); their codes
        say so in their description.

    Returns
    -------
    list of QdaCode
        The four groups, in the order of :data:`GROUPS`.
    """
    summary = summary_of(codebook)
    groups = []
    for kind, (name_ar, name_en, part, colour) in GROUPS.items():
        entries = getattr(summary, part) if summary is not None else ()
        types = {e.key: e.type for e in entries}
        items = [(e.key, e.label_ar, e.label_en, "") for e in entries]
        known = {key for key, *_ in items}
        items += [
            (key, "", "", "not in the codebook that annotated the store")
            for key in dict.fromkeys((extra or {}).get(kind, ()))
            if key and key not in known
        ]
        children = []
        for i, (key, ar, en, note) in enumerate(items):
            lines = [en or key, f"workbench {kind}: {key}"]
            if kind in ("actor", "speaker") and types.get(key):
                lines.append(f"type: {types[key]}")
            if note:
                lines.append(note)
            children.append(
                QdaCode(
                    guid("code", kind, key),
                    ar or en or key,
                    True,
                    colour if kind == "speaker" else _PALETTE[i % len(_PALETTE)],
                    "\n".join(lines),
                    kind=kind,
                    key=key,
                )
            )
        groups.append(
            QdaCode(
                guid("group", kind),
                f"{name_ar} · {name_en}",
                False,
                colour,
                f"{name_en}\nworkbench group: {kind}",
                tuple(children),
                kind="group",
                key=kind,
            )
        )
    return groups


def code_elements(parent: Any, codes: Iterable[QdaCode], *, namespace: str) -> None:
    """Append ``<Code>`` elements (nested as the codes are) to ``parent``."""
    for code in codes:
        attrs = {"guid": code.guid, "name": code.name, "isCodable": "true" if code.codable else "false"}
        if code.color:
            attrs["color"] = code.color
        node = element(parent, f"{{{namespace}}}Code", **attrs)
        if code.description:
            element(node, f"{{{namespace}}}Description", code.description)
        code_elements(node, code.children, namespace=namespace)


def write_qdc(codebook: CodebookLike, path: str | os.PathLike, *, origin: str = "") -> Path:
    """Write a codebook as a REFI-QDA codebook (``.qdc``), validated against its schema.

    Parameters
    ----------
    codebook : Codebook, CodebookSummary or Store
        The codebook (``load_codebook(...)``, ``Store.codebook()``, a store).
    path : str or os.PathLike
        The ``.qdc`` file to (over)write.
    origin : str, optional
        The ``origin`` attribute (default: the workbench and its version).

    Returns
    -------
    pathlib.Path
        ``path``. The codes are those of :func:`codebook_codes`; each group is also a
        ``<Set>`` (a code group in ATLAS.ti, a code set in MAXQDA).
    """
    from lxml import etree

    from workbench import __version__

    codes = codebook_codes(codebook)
    root = etree.Element(
        f"{{{CODEBOOK_NS}}}CodeBook",
        nsmap={None: CODEBOOK_NS},
        origin=origin or f"Arabic analyst workbench {__version__}",
    )
    code_elements(etree.SubElement(root, f"{{{CODEBOOK_NS}}}Codes"), codes, namespace=CODEBOOK_NS)
    sets = etree.SubElement(root, f"{{{CODEBOOK_NS}}}Sets")
    for group in codes:
        one = element(sets, f"{{{CODEBOOK_NS}}}Set", guid=guid("set", group.key), name=group.name)
        for child in group.children:
            etree.SubElement(one, f"{{{CODEBOOK_NS}}}MemberCode", guid=child.guid)
    tree = etree.ElementTree(root)
    validate(tree, "codebook", path=path)
    data = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return write_atomically(path, lambda handle: handle.write(data), binary=True)


def _read_codes(parent: Any, namespace: str, path: Path, depth: int = 1) -> tuple[QdaCode, ...]:
    out = []
    for node in parent.findall(f"{{{namespace}}}Code"):
        if depth > MAX_DEPTH:
            raise RefiError(path, [
                f"line {node.sourceline}: code {node.get('name')!r} is nested {depth} codes deep, more than "
                f"{MAX_DEPTH}; no codebook nests its codes so deep: export it again from its program"])
        description = node.findtext(f"{{{namespace}}}Description") or ""
        marker = _MARKER.search(description)
        out.append(
            QdaCode(
                node.get("guid"),
                node.get("name"),
                node.get("isCodable") in ("true", "1"),
                node.get("color") or "",
                description,
                _read_codes(node, namespace, path, depth + 1),
                kind=marker.group(1) if marker else "",
                key=marker.group(2) if marker else "",
                line=node.sourceline,
            )
        )
    return tuple(out)


def _check(path: Path, codes: tuple[QdaCode, ...]) -> None:
    """What the schema leaves out: unique GUIDs, names that are not blank."""
    problems, seen = [], {}
    for _, code in walk(codes):
        key = code.guid.strip("{}").lower()
        if key in seen:
            problems.append(
                f"line {code.line}: code {code.name!r} has the GUID {code.guid} of the code on line "
                f"{seen[key]}; every code needs its own GUID"
            )
        seen.setdefault(key, code.line)
        if not code.name.strip():
            problems.append(f"line {code.line}: the code with GUID {code.guid} has an empty name")
    if problems:
        raise RefiError(path, problems)


def read_qdc(path: str | os.PathLike) -> list[QdaCode]:
    """Read the codes of a REFI-QDA codebook (``.qdc``) or project (``.qdpx`` / ``.qde``).

    Parameters
    ----------
    path : str or os.PathLike
        A codebook another QDA program (MAXQDA, ATLAS.ti, NVivo, QualCoder …) exported,
        or a project, whose codebook is read.

    Returns
    -------
    list of QdaCode
        The top-level codes, each with its nested codes, in file order.

    Raises
    ------
    RefiError
        When the file is missing, not XML (or not a zip archive holding ``project.qde``),
        does not follow the REFI-QDA schema (each violation with its line), has two codes
        with one GUID or a code without a name, or codes nested more than
        :data:`MAX_DEPTH` deep.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise RefiError(path, ["no such file"]) from None
    except IsADirectoryError:
        raise RefiError(path, ["is a folder; give the .qdc file"]) from None
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                problem = unpacking_problem(archive)
                if problem:
                    raise RefiError(path, [f"{problem}: not a project a QDA program saved; nothing was read"])
                data = archive.read("project.qde")
        except (zipfile.BadZipFile, KeyError) as exc:
            raise RefiError(
                path,
                [
                    f"a zip archive without a readable project.qde ({exc}); a .qdpx project "
                    "holds one at its root"
                ],
            ) from None
    tree = parse_xml(data, path=path)
    root = tree.getroot()
    if root.tag == f"{{{PROJECT_NS}}}Project":
        validate(tree, "project", path=path)
        book = root.find(f"{{{PROJECT_NS}}}CodeBook")
        if book is None:
            raise RefiError(path, ["the project has no <CodeBook>: it defines no codes"])
        codes = _read_codes(book.find(f"{{{PROJECT_NS}}}Codes"), PROJECT_NS, path)
    else:
        validate(tree, "codebook", path=path)
        codes = _read_codes(root.find(f"{{{CODEBOOK_NS}}}Codes"), CODEBOOK_NS, path)
    _check(path, codes)
    return list(codes)
