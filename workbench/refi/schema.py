"""The REFI-QDA XML schemas: namespaces, GUIDs, and validation with lxml."""

from __future__ import annotations

import functools
import os
import re
import uuid
from pathlib import Path
from typing import Any

__all__ = [
    "RefiError", "PROJECT_NS", "CODEBOOK_NS", "SCHEMAS", "guid", "validate", "parse_xml", "xml_text",
    "element",
]

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
_DATA = Path(__file__).resolve().parent.parent / "data" / "refi"
#: The schema files shipped with the package (QDA-XML 1.0, March 2019), by kind.
SCHEMAS = {"project": _DATA / "Project-mrt2019.xsd", "codebook": _DATA / "Codebook-mrt2019.xsd"}
_NAMESPACES = {"project": PROJECT_NS, "codebook": CODEBOOK_NS}
_ROOTS = {"project": "Project", "codebook": "CodeBook"}
#: GUIDs are name-based (UUID 5) so that exporting the same store again gives the same ones.
_GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:arabic-analyst-workbench:refi-qda")


#: Characters XML 1.0 cannot hold: control characters but tab and line breaks, U+FFFE, U+FFFF
#: and lone surrogates.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class RefiError(ValueError):
    """A REFI-QDA file that cannot be read or written; ``problems`` lists each, with its line."""

    def __init__(self, path: str | os.PathLike, problems: list[str], *, advice: str = ""):
        self.path = Path(path)
        self.problems = list(problems)
        shown = "\n".join(f"  {p}" for p in self.problems[:20])
        more = f"\n  … and {len(self.problems) - 20} more" if len(self.problems) > 20 else ""
        advice = f"\n{advice}" if advice else ""
        super().__init__(f"{self.path}: {len(self.problems)} problem(s):\n{shown}{more}{advice}")


def xml_text(value: str) -> str:
    """``value`` with each character XML 1.0 cannot hold replaced by U+FFFD (so no offset moves).

    Articles scraped from the web and text pasted into notes can hold such characters; the
    project's sources keep them (they are plain text files), its XML cannot.
    """
    return _NOT_XML.sub("\ufffd", value)


def element(parent: Any, tag: str, text: str | None = None, **attributes: str) -> Any:
    """A new element ``tag`` (a child of ``parent`` unless it is None) with ``text`` and
    ``attributes``, each through :func:`xml_text`."""
    from lxml import etree

    attrib = {name: xml_text(str(value)) for name, value in attributes.items()}
    node = etree.Element(tag, attrib) if parent is None else etree.SubElement(parent, tag, attrib)
    if text is not None:
        node.text = xml_text(text)
    return node


def guid(*parts: str) -> str:
    """A stable GUID for a thing named by ``parts`` (e.g. ``guid("code", "topic", "ukraine")``)."""
    return str(uuid.uuid5(_GUID_NAMESPACE, "\x1f".join(parts)))


@functools.cache
def _schema(kind: str) -> Any:
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(SCHEMAS[kind])))


def validate(tree: Any, kind: str, *, path: str | os.PathLike) -> None:
    """Check an XML tree against the REFI-QDA project or codebook schema.

    Parameters
    ----------
    tree : lxml.etree._ElementTree or _Element
        The parsed file.
    kind : {"project", "codebook"}
        Which schema.
    path : str or os.PathLike
        The file, for messages.

    Raises
    ------
    RefiError
        With every schema violation as ``line N: message``, and a root element that is
        not the schema's (a missing or wrong namespace is named as such).
    """
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    want = f"{{{_NAMESPACES[kind]}}}{_ROOTS[kind]}"
    if root.tag != want:
        local = root.tag.rsplit("}", 1)[-1]
        namespace = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
        if local == _ROOTS[kind]:
            found = f"namespace {namespace!r}" if namespace else "no namespace"
            problem = (
                f"line {root.sourceline}: the root element <{local}> has {found}; a REFI-QDA "
                f'{kind} file declares xmlns="{_NAMESPACES[kind]}"'
            )
        else:
            problem = (
                f"line {root.sourceline}: the root element is <{local}>, not <{_ROOTS[kind]}>: this is "
                f"not a REFI-QDA {kind} file"
            )
        raise RefiError(path, [problem])
    schema = _schema(kind)
    if not schema.validate(tree):
        problems = [f"line {e.line}: {e.message}" for e in schema.error_log]
        raise RefiError(
            path,
            problems,
            advice=f"The file does not follow the REFI-QDA {kind} schema "
            f"({SCHEMAS[kind].name}); export it again from its program.",
        )


class _DocumentType(Exception):
    """Raised by :class:`_FindDocumentType` at a ``<!DOCTYPE …>``."""


class _FindDocumentType:
    """An lxml parser target that stops at the document type declaration, before any entity
    it declares is read or expanded."""

    def doctype(self, name: str, public_id: str | None, system_url: str | None) -> None:
        raise _DocumentType(name)

    def close(self) -> None:
        return None


def _refuse_document_type(data: bytes, path: str | os.PathLike) -> None:
    """A REFI-QDA file has no ``<!DOCTYPE …>``; one that declares entities (an XML bomb,
    a file read through an external entity) is refused before they are expanded."""
    from lxml import etree

    parser = etree.XMLParser(target=_FindDocumentType(), resolve_entities=False, no_network=True,
                             load_dtd=False)
    try:
        etree.fromstring(data, parser)
    except _DocumentType as found:
        at = data.find(b"<!DOCTYPE")
        line = data[:at].count(b"\n") + 1 if at >= 0 else 1
        raise RefiError(path, [
            f"line {line}: the file declares a document type (<!DOCTYPE {found}>), which REFI-QDA files "
            "never do; refused, its entities unread: export it again from its program"]) from None
    except etree.XMLSyntaxError:
        return  # reported by the parse that follows


def parse_xml(data: bytes, *, path: str | os.PathLike) -> Any:
    """Parse XML bytes safely: a document type declaration (and so any entity) is refused,
    and nothing is read from the network.

    Raises
    ------
    RefiError
        When the bytes are not well-formed XML (the message gives the line and column), or
        declare a document type.
    """
    from lxml import etree

    _refuse_document_type(data, path)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_blank_text=True)
    try:
        return etree.fromstring(data, parser).getroottree()
    except etree.XMLSyntaxError as exc:
        line, column = getattr(exc, "position", (None, None))
        raise RefiError(path, [f"line {line}, column {column}: not well-formed XML ({exc.msg})"]) from None
