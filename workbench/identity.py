"""Document identity: which stored document an annotated file is, decided once and kept.

A corpus proposes ids from file names (:func:`workbench.corpus.load_corpus`); the store
decides, from what it holds, which id each document really gets (:func:`assign_ids`), so
an id never moves to another file:

1. a file at the path of a stored document is that document (``kept``, or ``updated``
   when its text changed);
2. otherwise a file with the text of a stored document whose file is gone (and is not
   loaded under its old path) is that document, moved (``moved``);
3. otherwise it is a new document (``added``): it gets the proposed id when no stored
   document has it, else ``{stem}-{h}``, ``h`` the first 6 (8, 10 …) hex digits of the
   SHA-1 of its path key.

A document without a path (a Dask record, a hand-made table) is the stored document of
the same id. Paths are compared as *path keys* (:func:`path_key`): the resolved path,
relative to the store's folder when the file lies under it (so a project folder can be
moved whole), absolute otherwise.
"""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Known", "Incoming", "Decision", "assign_ids", "path_key", "path_keys", "CHANGES"]

#: What a run did to each document it annotated.
CHANGES = {
    "added": "a new document",
    "kept": "the same file, the same text",
    "updated": "the same file, its text changed",
    "moved": "the same text, from a file that is gone, at a new path",
}


@dataclass(frozen=True)
class Known:
    """A document the store holds: its id, path key (``""`` unknown) and text hash."""

    doc_id: str
    key: str
    content_hash: str


@dataclass(frozen=True)
class Incoming:
    """A document being saved: the id its corpus proposed, its path key and text hash."""

    proposed: str
    key: str
    content_hash: str


@dataclass(frozen=True)
class Decision:
    """The id an incoming document gets, what that is (:data:`CHANGES`), and the stored
    path key it had before (``""`` for an added document)."""

    proposed: str
    doc_id: str
    change: str
    previous_key: str


def path_key(path: str | os.PathLike, *, base: Path) -> str:
    """How a document's path is compared: resolved, relative to ``base`` when inside it.

    Parameters
    ----------
    path : str or os.PathLike
        The path the document was loaded from (relative paths start at the current folder);
        ``""`` for none.
    base : Path
        The store's folder.

    Returns
    -------
    str
        A POSIX path relative to ``base``, an absolute POSIX path, or ``""``.
    """
    return path_keys([path], base=base)[0]


def path_keys(paths: Sequence[str | os.PathLike], *, base: Path) -> list[str]:
    """:func:`path_key` of each of ``paths`` (``base`` resolved once)."""
    root = Path(os.path.realpath(base))
    inside = str(root).rstrip(os.sep) + os.sep
    folders: dict[str, str] = {}
    keys = []
    for path in paths:
        if not str(path):
            keys.append("")
            continue
        folder, name = os.path.split(os.fspath(path))
        if name in ("", ".", "..") or os.sep != "/":
            real = os.path.realpath(path)
        else:  # each folder resolved once; the file itself only when it is a link
            if folder not in folders:
                folders[folder] = os.path.realpath(folder or os.curdir)
            real = os.path.join(folders[folder], name)
            if os.path.islink(real):
                real = os.path.realpath(path)
        if real.startswith(inside) and real != inside:
            keys.append(real[len(inside):])
        else:
            real_path = Path(real)
            keys.append(real_path.relative_to(root).as_posix() if real_path.is_relative_to(root)
                        else real_path.as_posix())
    return keys


def _fresh_id(stem: str, key: str, taken: set[str]) -> str:
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()
    for n in range(6, len(digest) + 1, 2):
        candidate = f"{stem}-{digest[:n]}"
        if candidate not in taken:
            return candidate
    k = 2
    while f"{stem}-{digest}-{k}" in taken:
        k += 1
    return f"{stem}-{digest}-{k}"


def assign_ids(
    incoming: Sequence[Incoming],
    known: Sequence[Known],
    *,
    exists: Callable[[str], bool],
    stem: Callable[[Incoming], str] | None = None,
) -> list[Decision]:
    """Decide the id of each incoming document (the rules are in the module docstring).

    Parameters
    ----------
    incoming : sequence of Incoming
        The documents being saved, in corpus order (earlier ones choose first).
    known : sequence of Known
        The documents the store holds.
    exists : callable
        ``exists(key)``: whether a file is at a stored path key now.
    stem : callable, optional
        The base of a new id whose proposal is taken (default: the proposal).

    Returns
    -------
    list of Decision
        One per incoming document, in the same order; the ids are distinct.
    """
    by_key: dict[str, list[Known]] = defaultdict(list)
    for k in known:
        if k.key:
            by_key[k.key].append(k)
    by_id = {k.doc_id: k for k in known}
    by_hash: dict[str, list[Known]] = defaultdict(list)
    for k in known:
        by_hash[k.content_hash].append(k)
    incoming_keys = {i.key for i in incoming if i.key}
    claimed: set[str] = set()
    decisions: list[Decision | None] = [None] * len(incoming)

    def take(n: int, k: Known, change: str | None = None) -> None:
        claimed.add(k.doc_id)
        same = k.content_hash == incoming[n].content_hash
        decisions[n] = Decision(
            incoming[n].proposed, k.doc_id, change or ("kept" if same else "updated"), k.key
        )

    for n, inc in enumerate(incoming):  # 1. the same path (or, without a path, the same id)
        if inc.key:  # of stored documents at this path, the one of the proposed id first
            free = [k for k in by_key.get(inc.key, ()) if k.doc_id not in claimed]
            k = next((k for k in free if k.doc_id == inc.proposed), free[0] if free else None)
        else:
            k = by_id.get(inc.proposed)
        if k is not None and k.doc_id not in claimed:
            take(n, k)
    for n, inc in enumerate(incoming):  # 2. the same text, its old file gone
        if decisions[n] is not None or not inc.key:
            continue
        for k in by_hash.get(inc.content_hash, ()):
            if k.doc_id not in claimed and k.key not in incoming_keys and not (k.key and exists(k.key)):
                take(n, k, "moved")
                break
    taken = set(by_id) | claimed
    for n, inc in enumerate(incoming):  # 3. new documents
        if decisions[n] is not None:
            continue
        doc_id = inc.proposed
        if doc_id in taken:
            doc_id = _fresh_id(stem(inc) if stem else inc.proposed, inc.key or inc.proposed, taken)
        taken.add(doc_id)
        decisions[n] = Decision(inc.proposed, doc_id, "added", "")
    return [d for d in decisions if d is not None]
