"""Slips of the pen: the words one slip away from a name (بادين، لافرف، بيصكوف for بايدن،
لافروف، بيسكوف), which the matcher takes for the name as near misses."""

from __future__ import annotations

__all__ = ["WEAK_LETTERS", "SIMILAR", "DOTS", "one_slip", "slips"]

WEAK_LETTERS = frozenset("اوي")
#: Letters a writer may put for one another.
SIMILAR = [frozenset(g) for g in ("اوي", "تط", "سص", "دض", "ذزظ", "كق", "هة", "ثس")]
#: Letters that differ only by their dots: a slip of the pen inside a name of several words,
#: whose other words are as written (ستريب for ستريت in وول ستريت جورنال).
DOTS = [frozenset(g) for g in ("بتثني", "جحخ", "دذ", "رز", "سش", "صض", "طظ", "عغ", "فق")]


def one_slip(word: str, name: str, *, dots: bool = False) -> bool:
    """Whether ``word`` differs from ``name`` by one slip (see workbench.matching);
    ``dots``: a letter for one that differs only by its dots counts too."""
    if word == name:
        return False
    if len(word) == len(name):
        diff = [k for k in range(len(word)) if word[k] != name[k]]
        if len(diff) == 2 and diff[1] == diff[0] + 1:
            a, b = diff
            return word[a] == name[b] and word[b] == name[a]
        groups = SIMILAR + DOTS if dots else SIMILAR
        return len(diff) == 1 and any(word[diff[0]] in g and name[diff[0]] in g for g in groups)
    short, long_ = (word, name) if len(word) < len(name) else (name, word)
    if len(long_) - len(short) != 1:
        return False
    k = next((k for k in range(len(short)) if short[k] != long_[k]), len(short))
    # a long vowel inside the word (لافرف for لافروف); not first (إدراج is a word of its own,
    # not دراجي), nor at its end, where ي makes an
    # adjective of a name (كنعان، كنعاني)
    return 0 < k < len(short) and long_[k] in WEAK_LETTERS and short[k:] == long_[k + 1:]


def slips(name: str, *, dots: bool = False) -> set[str]:
    """Every word one slip from ``name``: exactly the ``w`` with ``one_slip(w, name,
    dots=dots)``, so that a near miss is one look-up of the word as written."""
    groups = SIMILAR + DOTS if dots else SIMILAR
    n = len(name)
    out = {name[:k] + name[k + 1] + name[k] + name[k + 2:] for k in range(n - 1) if name[k] != name[k + 1]}
    for k, ch in enumerate(name):
        out |= {name[:k] + other + name[k + 1:] for g in groups if ch in g for other in g if other != ch}
    for weak in WEAK_LETTERS:
        for k in range(n + 1):
            # a long vowel added: the first letter that differs is the one after the run of
            # that vowel the new one joins; it must lie inside the name, not at either end
            first = k
            while first < n and name[first] == weak:
                first += 1
            if 0 < first < n:
                out.add(name[:k] + weak + name[k:])
    for k, ch in enumerate(name):
        if ch in WEAK_LETTERS:
            # a long vowel left out: the first letter that differs is the end of its run
            last = k
            while last + 1 < n and name[last + 1] == ch:
                last += 1
            if 0 < last < n - 1:
                out.add(name[:k] + name[k + 1:])
    return out
