"""Finding article files in folders, without skipping anything silently.

A folder is searched recursively; names starting with ``.`` (hidden files and folders,
``.ipynb_checkpoints``) are left out on purpose. Everything else that could hold an
article but cannot be loaded is named:

- a folder that cannot be opened, a file that is not a regular file (a named pipe, a
  socket, a device), a link to nothing: *errors*, which :func:`workbench.corpus.load_corpus`
  raises or, with ``on_error="report"``, reports as skipped;
- a link to a folder is followed once, after the folders it sits among, so each real
  folder is loaded under one path: a link to a folder loaded already, or to a folder the
  link is inside of (a loop), is reported as not followed.

A file reached through a link keeps the path it was found at (``Found.path``), and its
resolved path (``Found.real``) says which file it is: a link's own name never becomes a
document id.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Found", "Trouble", "find_files", "check_regular_file", "drop_repeats", "unreadable"]


@dataclass(frozen=True)
class Found:
    """A file found: where (``path``, under ``root``), which file (``real``), how reached."""

    path: Path
    root: Path
    real: Path
    through_link: bool


@dataclass(frozen=True)
class Trouble:
    """Something found that is not loaded: ``error`` for what cannot be read."""

    path: Path
    message: str
    error: bool


_KINDS = {
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
}


def unreadable(exc: OSError, *, folder: bool) -> str:
    """Why a file or folder cannot be read, and what to do, in plain words."""
    if exc.errno in (errno.EACCES, errno.EPERM):
        if folder:
            return (
                "cannot open the folder (permission denied), so its files were not loaded; give "
                "yourself read access (chmod u+rx) and load again"
            )
        return (
            "cannot read the file (permission denied); give yourself read access (chmod u+r) and load again"
        )
    what = "open the folder" if folder else "read the file"
    return f"cannot {what} ({exc.strerror or exc}); check the disk and load again"


def check_regular_file(path: Path) -> str | None:
    """Why ``path`` is not a regular file that can be opened without waiting, or None.

    A named pipe would make ``open`` wait for a writer forever, so it is never opened.
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if os.path.islink(path):
            return f"a link to {os.path.realpath(path)}, which does not exist"
        return "no such file"
    except OSError as exc:
        return unreadable(exc, folder=False)
    if stat.S_ISREG(mode):
        return None
    kind = _KINDS.get(stat.S_IFMT(mode), "not a file")
    return f"{kind}, not a regular file; save the article as a file and load again"


def _folder_id(path: Path) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_dev, st.st_ino


class _Walk:
    def __init__(self, root: Path, suffixes: tuple[str, ...], names: tuple[str, ...]):
        self.root = root
        self.suffixes = suffixes
        self.names = names
        self.found: list[Found] = []
        self.troubles: list[Trouble] = []
        self.loaded: set[tuple[int, int]] = set()
        self.links: list[tuple[Path, tuple[tuple[int, int], ...]]] = []  # folder links, followed last

    def wanted(self, name: str) -> bool:
        return name in self.names or Path(name).suffix.lower() in self.suffixes

    def scan(self, folder: Path, inside: tuple[tuple[int, int], ...], through_link: bool) -> None:
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            self.troubles.append(Trouble(folder, unreadable(exc, folder=True), True))
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                is_link = entry.is_symlink()
                is_dir = entry.is_dir()  # follows a link
            except OSError as exc:
                self.troubles.append(Trouble(path, unreadable(exc, folder=False), True))
                continue
            if is_dir and is_link:
                self.links.append((path, inside))
            elif is_dir:
                self.enter(path, inside, through_link)
            elif self.wanted(entry.name) or (is_link and not Path(entry.name).suffix):
                problem = check_regular_file(path)
                if problem:
                    self.troubles.append(Trouble(path, problem, True))
                elif self.wanted(entry.name):
                    self.found.append(
                        Found(path, self.root, Path(os.path.realpath(path)), through_link or is_link)
                    )

    def enter(self, folder: Path, inside: tuple[tuple[int, int], ...], through_link: bool) -> None:
        try:
            key = _folder_id(folder)
        except OSError as exc:
            self.troubles.append(Trouble(folder, unreadable(exc, folder=True), True))
            return
        self.loaded.add(key)
        self.scan(folder, (*inside, key), through_link)

    def follow_links(self) -> None:
        while self.links:
            link, inside = self.links.pop(0)
            target = os.path.realpath(link)
            key = _folder_id(link)
            if key in inside:
                self.troubles.append(
                    Trouble(
                        link, f"not followed: a link to {target}, a folder it is inside of (a loop)", False
                    )
                )
            elif key in self.loaded:
                self.troubles.append(
                    Trouble(link, f"not followed: a link to {target}, which is loaded once already", False)
                )
            else:
                self.enter(link, inside, True)


def find_files(
    folder: Path, *, suffixes: tuple[str, ...], names: tuple[str, ...] = ()
) -> tuple[list[Found], list[Trouble]]:
    """Every file under ``folder`` whose suffix is one of ``suffixes`` or whose name is in ``names``.

    Parameters
    ----------
    folder : Path
        The folder to search (itself possibly a link, which is followed).
    suffixes : tuple of str
        Lower-case suffixes with their dot (``".txt"``), compared ignoring case.
    names : tuple of str, default ()
        Exact file names wanted as well (``"metadata.csv"``).

    Returns
    -------
    tuple
        ``(found, troubles)``: the files in path order (``Found``), and what was not
        loaded (``Trouble``), in the order met.
    """
    walk = _Walk(folder, tuple(s.lower() for s in suffixes), names)
    above = []
    for parent in Path(os.path.realpath(folder)).parents:  # a link to one of these is a loop too
        try:
            above.append(_folder_id(parent))
        except OSError:
            break
    walk.enter(folder, tuple(above), False)
    walk.follow_links()
    return sorted(walk.found, key=lambda f: f.path), walk.troubles


def drop_repeats(files: list[Found]) -> list[Found]:
    """Each file once (a folder and a file in it, a link and its target): where it is
    first met, by its own path rather than through a link when it is reached both ways."""
    first: dict[Path, int] = {}
    kept: list[Found] = []
    for f in files:
        k = first.get(f.real)
        if k is None:
            first[f.real] = len(kept)
            kept.append(f)
        elif kept[k].through_link and not f.through_link:
            kept[k] = f
    return kept
