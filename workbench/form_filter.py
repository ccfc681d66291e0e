"""A first test of new word forms, in C: which of them may match a codebook term at all.

Most distinct words of a corpus match nothing. Rather than analyse each in Python
(proclitics, stems, inflections, near misses), the forms of a batch are joined into one
string and one compiled pattern picks out those that may match: a proclitic (or none),
then a codebook stem that is the whole rest, or the rest less an inflection ending, or its
beginning (a ``*`` word), or a word one slip from a name. The alternations are written as
tries (one branch per letter), so the pattern is read in a single pass per form.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

__all__ = ["FormFilter", "trie_pattern"]


def trie_pattern(words: Iterable[str]) -> str:
    """A regular expression that matches exactly ``words`` (one of them, anchored by the
    caller), written as a trie of non-capturing groups; ``""`` among the words makes it
    optional, no words at all make it match nothing.

    Parameters
    ----------
    words : iterable of str
        The strings (any characters: each is escaped).

    Returns
    -------
    str
        The pattern.
    """
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = None
    if not trie:
        return "(?!)"
    return _node_pattern(trie)


def _node_pattern(node: dict) -> str:
    ends = "" in node
    branches = [re.escape(ch) + _node_pattern(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = "|".join(branches)
    if ends:
        return f"(?:{body})?"
    return body if len(branches) == 1 else f"(?:{body})"


class FormFilter:
    """Normalised word forms that may match: ``proclitic + stem`` where the stem is an
    exact word, an inflected word with one of its endings, begins with a prefix word, or
    is a near miss of a name. A superset of what the full analysis finds.

    Parameters
    ----------
    proclitics : collection of str
        Every proclitic, ``""`` among them.
    exact, inflected, prefix, near : collection of str
        The stems of each kind of pattern, and the near-miss words.
    endings : collection of str
        The endings an inflected stem may take, ``""`` among them.
    """

    def __init__(self, proclitics: Collection[str], *, exact: Collection[str], inflected: Collection[str],
                 endings: Collection[str], prefix: Collection[str], near: Collection[str]):
        clitic = trie_pattern(proclitics)
        whole = "|".join([trie_pattern(exact), trie_pattern(inflected) + trie_pattern(endings),
                          trie_pattern(near)])
        # each line that may match, whole (a lookahead tests it, .* takes the line)
        self._pattern = re.compile(f"^(?={clitic}(?:(?:{whole})$|{trie_pattern(prefix)})).*$", re.M)

    def candidates(self, forms: Iterable[str]) -> set[str]:
        """The forms that may match (forms hold no line break).

        Parameters
        ----------
        forms : iterable of str
            Normalised word forms.

        Returns
        -------
        set of str
        """
        return set(self._pattern.findall("\n".join(forms)))

    def may_match(self, form: str) -> bool:
        """Whether one form may match (False: the full analysis finds nothing in it)."""
        return self._pattern.match(form) is not None
