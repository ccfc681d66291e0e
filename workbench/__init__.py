"""An Arabic-first analyst workbench for JupyterLab.

    import workbench as wb
    corpus = wb.load_corpus("seeds/")
    ann = wb.annotate(corpus)
    ann.sentences, ann.mentions

Only the public API lives here. Everything is imported on first use, so that
``import workbench`` stays fast and pulls in neither matplotlib nor ipywidgets.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS = {
    "load_corpus": "corpus",
    "Corpus": "corpus",
    "Document": "corpus",
    "CorpusError": "corpus",
    "normalize": "text",
    "tokens": "text",
    "sentences": "text",
    "transliterate": "text",
    "annotate": "annotate",
    "Annotations": "annotate",
    "load_codebook": "codebook",
    "Codebook": "codebook",
    "CodebookError": "codebook",
    "Store": "store",
    "export": "export",
    "evaluate": "evaluate",
    "ReviewPanel": "widgets",
    "open_project": "project",
    "new_project": "project",
    "Project": "project",
    "show_table": "table_view",
    "ArticleView": "article_view",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'workbench' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


class _Package(types.ModuleType):
    """Keeps ``wb.annotate``, ``wb.export`` and ``wb.evaluate`` the functions.

    Importing a submodule sets it as an attribute of its package, which would replace
    the function of the same name (``workbench.annotate`` the module would hide
    ``workbench.annotate`` the function). The function is kept instead; the modules
    stay importable with ``from workbench.annotate import ...``.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, types.ModuleType) and _EXPORTS.get(name) == name:
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


if TYPE_CHECKING:  # pragma: no cover
    from .annotate import Annotations as Annotations
    from .annotate import annotate as annotate
    from .article_view import ArticleView as ArticleView
    from .codebook import Codebook as Codebook
    from .codebook import CodebookError as CodebookError
    from .codebook import load_codebook as load_codebook
    from .corpus import Corpus as Corpus
    from .corpus import CorpusError as CorpusError
    from .corpus import Document as Document
    from .corpus import load_corpus as load_corpus
    from .evaluate import evaluate as evaluate
    from .export import export as export
    from .project import Project as Project
    from .project import new_project as new_project
    from .project import open_project as open_project
    from .store import Store as Store
    from .table_view import show_table as show_table
    from .text import normalize as normalize
    from .text import sentences as sentences
    from .text import tokens as tokens
    from .text import transliterate as transliterate
    from .widgets import ReviewPanel as ReviewPanel
