"""A starting codebook (TOML) from a REFI-QDA codebook another program exported.

Every codable code becomes a topic with an empty ``terms`` list for the analyst to fill;
codes that only group others (``isCodable="false"``) are not topics, their codes are. A
code's name is its label (``label_ar`` when it is in Arabic script, else ``label_en``; the
other label repeats it until the analyst translates it), its key is made from the name
(lower-case ASCII; Arabic names transliterated). Its place in the code tree, colour,
GUID and description are kept as comments above it. The rest of the codebook — actors,
statement types, reporting verbs, attribution cues — comes from a base codebook (the
default one unless told otherwise), since a QDA codebook has no such parts.

A ``.qdc`` the workbench wrote maps back exactly: its topic codes give their keys and
both labels, and its actor, speaker and statement-type codes are left to the base.
"""

from __future__ import annotations

import os
import re
import tomllib
import unicodedata
from pathlib import Path
from typing import Any

from ..display import has_arabic
from ..files import write_atomically
from .codes import QdaCode, read_qdc, walk
from .schema import RefiError

__all__ = ["codebook_from_qdc"]

_KEY_CHARS = re.compile(r"[^a-z0-9]+")


def _slug(name: str) -> str:
    """A codebook key made from a code's name: ``"Economy & trade"`` → ``economy_trade``,
    ``"Économie"`` → ``economie`` (accents and other marks off Latin letters)."""
    if has_arabic(name):
        from workbench.text import transliterate

        name = transliterate(name, scheme="safebw")
    decomposed = unicodedata.normalize("NFKD", name)
    name = "".join(c for c in decomposed if not unicodedata.combining(c))
    key = _KEY_CHARS.sub("_", name.lower()).strip("_")
    return key if key[:1].isalpha() else f"code_{key}".rstrip("_")


def _topics(codes: list[QdaCode]) -> list[tuple[dict[str, Any], list[str]]]:
    """``(topic table, comment lines)`` for each code that becomes a topic, in tree order."""
    ours = any(code.kind for _, code in walk(codes))
    out, used = [], set()
    for parents, code in walk(codes):
        if not code.codable or (ours and code.kind != "topic"):
            continue
        lines = code.description.splitlines()
        if code.kind == "topic":
            key, english = code.key, (lines[0] if lines else code.name)
        else:
            key, english = _slug(code.name) or "code", code.name
            for parent in reversed(parents):  # a name used twice: the parent's name tells them apart
                if key not in used:
                    break
                key = f"{_slug(parent.name)}_{key}"
        base, n = key, 2
        while key in used:
            key, n = f"{base}_{n}", n + 1
        used.add(key)
        arabic = code.name if has_arabic(code.name) else english
        path = " › ".join(p.name for p in (*parents, code))
        comments = [f"from code {path!r} (GUID {code.guid}{', colour ' + code.color if code.color else ''})"]
        comments += [f"  {line}" for line in lines if line.strip() and not line.startswith("workbench ")]
        out.append(({"key": key, "label_ar": arabic, "label_en": english, "terms": []}, comments))
    return out


def _toml(name: str, value: Any) -> str:
    """One TOML table (``[name]``) or array of tables (``[[name]]``, nested ones too)."""
    import tomli_w

    if isinstance(value, dict):
        return f"[{name}]\n{tomli_w.dumps(value)}\n"
    out = []
    for item in value:
        nested = {
            k: v for k, v in item.items() if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)
        }
        plain = {k: v for k, v in item.items() if k not in nested}
        out.append(f"[[{name}]]\n{tomli_w.dumps(plain)}")
        out += [_toml(f"{name}.{k}", v).rstrip("\n") + "\n" for k, v in nested.items()]
        out.append("\n")
    return "".join(out)


def codebook_from_qdc(
    path: str | os.PathLike,
    out: str | os.PathLike,
    *,
    base: str | os.PathLike | None = None,
    overwrite: bool = False,
) -> Path:
    """Write a starting codebook (TOML) whose topics are the codes of a ``.qdc``.

    Parameters
    ----------
    path : str or os.PathLike
        A REFI-QDA codebook (``.qdc``) or project (``.qdpx``), e.g. from MAXQDA,
        ATLAS.ti or NVivo.
    out : str or os.PathLike
        The codebook file to write (``.toml``).
    base : str or os.PathLike, optional
        The codebook whose actors, statement types, verbs, attribution and matching
        sections are copied (default: the workbench's default codebook).
    overwrite : bool, default False
        Replace ``out`` when it exists (an edited codebook is never replaced by mistake).

    Returns
    -------
    pathlib.Path
        ``out``. Every topic has ``terms = []``: it loads as it is, each such topic coded
        by hand only (:attr:`workbench.codebook.Codebook.topics_without_terms`) until the
        analyst adds the words that raise it.

    Raises
    ------
    RefiError
        When the file cannot be read as a REFI-QDA codebook (see
        :func:`workbench.refi.read_qdc`), has no codable code, or ``out`` exists.
    """
    from workbench.codebook import DEFAULT_CODEBOOK

    path, out = Path(path), Path(out)
    if out.exists() and not overwrite:
        raise RefiError(out, ["exists already; choose another file name (or pass overwrite=True)"])
    topics = _topics(read_qdc(path))
    if not topics:
        raise RefiError(
            path, ['no codable code (every code has isCodable="false"): nothing to make topics of']
        )
    base_path = Path(base) if base is not None else DEFAULT_CODEBOOK
    data = tomllib.loads(base_path.read_text(encoding="utf-8-sig"))
    data.pop("topics", None)
    meta = {
        "name": f"{path.stem} (imported)",
        "version": "1",
        "description": f"Topics from the codes of {path.name}; actors, statement types and cues from "
        f"{base_path.name}.",
    }
    data.pop("codebook", None)
    parts = [
        f"# Starting codebook made from {path.name} by `workbench import-codebook`.\n"
        "# Each topic below is a code of that file, with an empty `terms` list: add the words that\n"
        "# raise the topic (see the header of the default codebook for how terms are written), or\n"
        "# delete the topic. Until then loading this codebook names every topic still without terms.\n"
        f"# Actors, statement types, verbs and attribution cues were copied from {base_path.name}.\n\n",
        _toml("codebook", meta),
    ]
    for topic, comments in topics:
        parts.append("".join(f"# {line}\n" for line in comments) + _toml("topics", [topic]))
    parts += [_toml(name, value) for name, value in data.items()]
    text = "".join(parts)
    tomllib.loads(text)  # what was written reads back
    return write_atomically(out, lambda handle: handle.write(text))
