"""Typed actor names: an id, an Arabic or English name, or an alias from the codebook.

    names = ActorNames(store.codebook(), codebook=load_codebook())
    names.resolve("بوتين")      # "putin"
    names.resolve("Putin")      # "putin"
    names.resolve("مجهول")      # None

Names are compared on normalised forms (:func:`workbench.text.normalize`: hamza, alef
maqsura, teh marbuta, diacritics, tatweel) and case-folded, so ``بوتين``, ``بُوتين`` and
``PUTIN`` all name the same actor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from workbench.codebook import Codebook, CodebookSummary

__all__ = ["ActorNames"]


def _folded(name: str) -> str:
    from workbench.text import normalize

    return " ".join(normalize(name).text.casefold().split())


class ActorNames:
    """Every name the analyst may type for the actors of a codebook.

    Parameters
    ----------
    summary : CodebookSummary
        The codebook that annotated the store (ids and labels).
    codebook : Codebook, optional
        The full codebook, for the aliases of those actors (a store keeps only labels).
    """

    def __init__(self, summary: CodebookSummary, *, codebook: Codebook | None = None) -> None:
        known = set(summary.actor_ids)
        names: dict[str, str] = {}
        for entry in summary.actors:
            for name in (entry.key, entry.label_ar, entry.label_en):
                if name:
                    names.setdefault(_folded(name), entry.key)
        if codebook is not None:
            for actor in codebook.actors:
                if actor.key in known:
                    for alias in actor.names:
                        if alias:
                            names.setdefault(_folded(alias), actor.key)
        self._names = names
        shown = [n for e in summary.actors for n in (e.label_ar, e.key)]
        if codebook is not None:
            shown += [a for actor in codebook.actors if actor.key in known for a in actor.aliases]
        #: Names to suggest in the actor box: Arabic names and ids, then aliases.
        self.suggestions = list(dict.fromkeys(n for n in shown if n))

    def resolve(self, typed: str) -> str | None:
        """The actor id a typed name stands for, or None when the codebook has no such name."""
        return self._names.get(_folded(typed or "")) if (typed or "").strip() else None
