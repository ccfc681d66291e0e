"""A project: one folder holding the articles' settings, the store, the exports and the charts.

    import workbench as wb
    project = wb.open_project()              # the project of the folder you are in
    project = wb.new_project("~/my_articles")   # one step: your own folder becomes a project

A project folder has one small settings file, ``workbench.toml``, that every notebook
and the ``workbench`` command read::

    name = "seed"
    articles = ["seeds"]          # folders or files of articles (.txt, .md), searched recursively
    codebook = ""                 # "" for the built-in codebook, or the path of your own .toml
    store = "workbench.sqlite"    # this project's annotations and corrections
    exports = "exports"
    charts = "charts"
    corrections = "corrections"   # spreadsheets of corrections to import
    labels = "both"               # "ar", "en" or "both"
    kwic_terms = ["الكرملين"]     # the words the concordance lists
    store_timeout = 30            # seconds to wait for another program writing to the store

Paths are relative to the file's folder. Articles and the codebook may live anywhere;
the store, exports, charts and corrections always lie inside the project folder (and
not inside another project nested in it), so a project never writes into another
project's store. With no path, :func:`open_project` uses the nearest ``workbench.toml``
in the current folder or a folder above it: the notebooks of the repository open the
seed project, and the notebooks that :func:`new_project` copies into a project open
that project, unchanged.
"""

from __future__ import annotations

import os
import shutil
import tomllib
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.checks import check_choice

if TYPE_CHECKING:  # pragma: no cover
    from workbench.corpus import Corpus
    from workbench.store import Store

__all__ = ["SETTINGS_FILE", "Project", "ProjectError", "new_project", "open_project"]

#: The settings file of a project folder.
SETTINGS_FILE = "workbench.toml"

_LABELS = {"ar": "Arabic", "en": "English", "both": "Arabic and English"}
#: Each setting, its type and its default; outputs must lie inside the project folder.
_DEFAULTS: dict[str, Any] = {
    "name": "",
    "articles": ["."],
    "codebook": "",
    "store": "workbench.sqlite",
    "exports": "exports",
    "charts": "charts",
    "corrections": "corrections",
    "labels": "both",
    "kwic_terms": [],
    "store_timeout": 30.0,
}
_OUTPUTS = ("store", "exports", "charts", "corrections")
_COMMENTS = {
    "name": "the project's name, shown in the notebooks",
    "articles": "folders or files of articles (.txt, .md), searched recursively",
    "codebook": '"" for the built-in codebook, or the path of your own .toml',
    "store": "this project's annotations and corrections",
    "exports": "where the tables are exported (rewritten by 02 and 03)",
    "charts": "where 04 saves the charts",
    "corrections": "spreadsheets of corrections to import (02)",
    "labels": '"ar", "en" or "both": the language of labels in tables and charts',
    "kwic_terms": "the words the concordance in 03 lists",
    "store_timeout": "seconds to wait for another program writing to the store",
}


class ProjectError(ValueError):
    """A project folder or settings file that cannot be used; the message says what to do."""


@dataclass(frozen=True)
class Project:
    """A project's settings, with every path resolved against its folder.

    Attributes
    ----------
    folder : Path
        The project folder (where ``workbench.toml`` is).
    name : str
        The project's name.
    articles : tuple of Path
        Article folders or files.
    codebook : Path or None
        The codebook file, None for the built-in one.
    store, exports, charts, corrections : Path
        The store file and the output folders, all inside ``folder``.
    labels : {"ar", "en", "both"}
        The language of labels in tables and charts.
    kwic_terms : tuple of str
        The words the concordance lists.
    store_timeout : float
        Seconds to wait for another program writing to the store before a write fails.
    """

    folder: Path
    name: str
    articles: tuple[Path, ...]
    codebook: Path | None
    store: Path
    exports: Path
    charts: Path
    corrections: Path
    labels: str
    kwic_terms: tuple[str, ...]
    store_timeout: float = 30.0

    @property
    def settings_file(self) -> Path:
        """The project's ``workbench.toml``."""
        return self.folder / SETTINGS_FILE

    def open_store(self, *, create: bool = True) -> Store:
        """Open the project's store.

        Parameters
        ----------
        create : bool, default True
            Create an empty store when it does not exist yet.

        Returns
        -------
        Store
        """
        from workbench.store import Store

        return Store(self.store, create=create, timeout=self.store_timeout)

    def load_corpus(self) -> Corpus:
        """Load the project's articles (a file that cannot be read is reported, not fatal).

        Returns
        -------
        Corpus
            With ``problems`` listing files that were skipped or look suspicious.
        """
        from workbench.corpus import load_corpus

        paths = list(self.articles)
        return load_corpus(paths[0] if len(paths) == 1 else paths, on_error="report")

    def __repr__(self) -> str:
        return f"Project({self.name!r}, folder={str(self.folder)!r})"


def _find(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        if (folder / SETTINGS_FILE).is_file():
            return folder / SETTINGS_FILE
    return None


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _check_value(file: Path, key: str, value: Any) -> Any:
    default = _DEFAULTS[key]
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise ProjectError(f"{file}: `{key}` must be a number of seconds above 0, not {value!r}")
        return float(value)
    if isinstance(default, list):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise ProjectError(f"{file}: `{key}` must be a list of non-empty strings, e.g. {key} = [\"...\"]")
        return value
    if not isinstance(value, str):
        raise ProjectError(f"{file}: `{key}` must be a string in quotes, not {value!r}")
    if key == "labels":
        check_choice("labels", value, _LABELS, context=f"in {file}", error=ProjectError)
    elif key in _OUTPUTS and not value.strip():
        raise ProjectError(
            f"{file}: `{key}` is empty; give a path inside the project folder, e.g. {default!r}"
        )
    return value


def _read_settings(file: Path) -> dict[str, Any]:
    try:
        raw = tomllib.loads(file.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as exc:
        raise ProjectError(f"{file}: not valid TOML ({exc}); fix the line it names") from None
    except UnicodeDecodeError as exc:
        raise ProjectError(f"{file}: not UTF-8 (byte {exc.start}); save it as UTF-8") from None
    unknown = sorted(set(raw) - set(_DEFAULTS))
    if unknown:
        raise ProjectError(
            f"{file}: unknown setting(s) {', '.join(map(repr, unknown))}; "
            f"the settings are {', '.join(_DEFAULTS)}"
        )
    return {key: _check_value(file, key, raw.get(key, default)) for key, default in _DEFAULTS.items()}


def _project(file: Path) -> Project:
    folder = file.parent.resolve()
    settings = _read_settings(file)

    def path(value: str) -> Path:
        return (folder / Path(value).expanduser()).resolve()

    outputs = {key: path(settings[key]) for key in _OUTPUTS}
    for key, target in outputs.items():
        if not _inside(target, folder) or target == folder:
            raise ProjectError(
                f"{file}: `{key}` = {settings[key]!r} is outside the project folder {folder}; "
                "a project writes only inside its own folder (give a relative path)"
            )
        nested = next(
            (
                p
                for p in target.parents
                if p != folder and _inside(p, folder) and (p / SETTINGS_FILE).is_file()
            ),
            None,
        )
        if nested is not None:
            raise ProjectError(
                f"{file}: `{key}` = {settings[key]!r} lies inside another project ({nested}); "
                "give a path in this project's own folder"
            )
    return Project(
        folder=folder,
        name=settings["name"] or folder.name,
        articles=tuple(path(a) for a in settings["articles"]),
        codebook=path(settings["codebook"]) if settings["codebook"].strip() else None,
        labels=settings["labels"],
        kwic_terms=tuple(t.strip() for t in settings["kwic_terms"]),
        store_timeout=settings["store_timeout"],
        **outputs,
    )


def open_project(path: str | os.PathLike | None = None) -> Project:
    """Open a project: its settings, with paths resolved.

    Parameters
    ----------
    path : str, os.PathLike or None, default None
        A project folder, or its ``workbench.toml``. None: the nearest ``workbench.toml``
        in the current folder or a folder above it (from the repository's ``notebooks/``,
        the seed project).

    Returns
    -------
    Project

    Raises
    ------
    ProjectError
        No settings file found, or one that cannot be used (the message names the file
        and the setting).
    """
    if path is None:
        file = _find(Path.cwd().resolve())
        if file is None:
            raise ProjectError(
                f"no {SETTINGS_FILE} in {Path.cwd()} or any folder above it; make a project "
                "with `workbench new-project FOLDER` (or wb.new_project(FOLDER)), or name one"
            )
        return _project(file)
    given = Path(path).expanduser()
    file = given / SETTINGS_FILE if given.is_dir() else given
    if not file.is_file():
        raise ProjectError(
            f"{given} is not a project: {file} does not exist; make one with `workbench new-project {given}`"
        )
    return _project(file)


def _toml_line(key: str, value: Any) -> str:
    import tomli_w

    def one(item: str) -> str:
        return tomli_w.dumps({"x": item}).split("=", 1)[1].strip()

    shown = (
        "[" + ", ".join(map(one, value)) + "]"
        if isinstance(value, list)
        else repr(value)
        if isinstance(value, float)
        else one(value)
    )
    return f"{key} = {shown}    # {_COMMENTS[key]}"


def _covering_project(folder: Path) -> Project | None:
    """An enclosing project whose articles include ``folder`` (its next annotation would read them)."""
    for parent in folder.parents:
        if (parent / SETTINGS_FILE).is_file():
            try:
                other = _project(parent / SETTINGS_FILE)
            except ProjectError:
                continue
            if any(_inside(folder, a) for a in other.articles):
                return other
    return None


def _repository_notebooks() -> list[Path]:
    """The repository's numbered notebooks that read the project (their parameters cell sets
    ``PROJECT``); a notebook that demonstrates on a corpus of its own is left out."""
    import json

    found = []
    for path in sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        parameters = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
        if any("PROJECT =" in "".join(c.get("source", "")) for c in parameters):
            found.append(path)
    return found


def _article_settings(root: Path, articles: Any) -> list[str]:
    """The ``articles`` setting: paths inside the project relative to it, others absolute."""
    if articles is None:
        given = []
    else:
        given = [articles] if isinstance(articles, (str, os.PathLike)) else list(articles)
    listed = []
    for path in (Path(a).expanduser().resolve() for a in given):
        if not path.exists():
            raise ProjectError(f"articles {os.path.relpath(path, root)!r} not found (looked at {path})")
        listed.append(os.path.relpath(path, root) if _inside(path, root) else str(path))
    return listed or ["."]


def _copy_notebooks(folder: Path) -> None:
    """Copy the numbered notebooks into ``folder`` (those already there are kept)."""
    sources = _repository_notebooks()
    if not sources:
        warnings.warn("the workbench's notebooks were not found beside its package; none were copied",
                      stacklevel=3)
    folder.mkdir(exist_ok=True)
    for source in sources:
        if not (folder / source.name).exists():
            shutil.copyfile(source, folder / source.name)


def new_project(
    folder: str | os.PathLike,
    *,
    articles: str | os.PathLike | list[str | os.PathLike] | None = None,
    name: str | None = None,
    codebook: str | os.PathLike | None = None,
    labels: str = "both",
    kwic_terms: list[str] | None = None,
    notebooks: bool = True,
) -> Project:
    """Make a folder a project: write its ``workbench.toml`` and copy the notebooks into it.

    Parameters
    ----------
    folder : str or os.PathLike
        The project folder (created when missing), e.g. the folder of your articles.
    articles : path or list of paths, optional
        Article folders or files; default: the project folder itself.
    name : str, optional
        The project's name (default: the folder's name).
    codebook : path, optional
        Your own codebook (default: the built-in one).
    labels : {"ar", "en", "both"}, default "both"
        The language of labels in tables and charts.
    kwic_terms : list of str, optional
        The words the concordance lists (default: none).
    notebooks : bool, default True
        Copy the numbered notebooks into ``folder/notebooks``; they open this project.

    Returns
    -------
    Project

    Raises
    ------
    ProjectError
        The folder is a project already, or lies among the articles of an enclosing
        project (its next annotation would take these articles into its own store).
    """
    check_choice("labels", labels, _LABELS)
    root = Path(folder).expanduser().resolve()
    if (root / SETTINGS_FILE).exists():
        raise ProjectError(
            f"{root} is a project already ({SETTINGS_FILE} exists); open it with "
            f"wb.open_project({str(root)!r})"
        )
    enclosing = _covering_project(root)
    if enclosing is not None:
        raise ProjectError(
            f"{root} lies among the articles of project {enclosing.name!r} ({enclosing.folder}); "
            "make the new project in a folder outside it"
        )
    listed = _article_settings(root, articles)
    settings = dict(
        _DEFAULTS,
        name=name or root.name,
        articles=listed,
        labels=labels,
        codebook=str(Path(codebook).expanduser().resolve()) if codebook else "",
        kwic_terms=list(kwic_terms or []),
    )
    root.mkdir(parents=True, exist_ok=True)
    lines = ["# Workbench project settings, read by the notebooks and the `workbench` command.",
             "# Paths are relative to this folder; the store and outputs stay inside it.", ""]
    lines += [_toml_line(key, value) for key, value in settings.items()]
    (root / SETTINGS_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    project = _project(root / SETTINGS_FILE)
    project.corrections.mkdir(parents=True, exist_ok=True)
    if notebooks:
        _copy_notebooks(root / "notebooks")
    return project
