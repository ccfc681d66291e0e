"""The peers measured beside ``wb.annotate``: spaCy's PhraseMatcher and an Aho–Corasick scan.

Both are given the same codebook terms as the workbench: every topic term, actor name,
alias and role title of the codebook file, with the workbench's ``+`` / ``*`` markers
removed (a plain dictionary matcher has no notion of inflection). Each match is reported
as ``(start, end, labels)`` with code-point offsets into the document text and ``labels``
the ``(kind, key)`` pairs the matched term stands for.
"""

from __future__ import annotations

import datetime as dt
import time
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from corpus import DEFINITE_PROCLITICS, PROCLITICS, Planted, Term, attach

__all__ = [
    "CODEBOOK",
    "Labels",
    "codebook_labels",
    "plantable_terms",
    "SpacyMatcher",
    "AhoScanner",
    "recall",
]

CODEBOOK = Path(__file__).resolve().parent.parent / "workbench" / "data" / "codebook.toml"

Labels = frozenset  # of (kind, key)
Match = tuple[int, int, Labels]


def _plain(term: str) -> str:
    """A codebook term without the workbench's markers: ``أوكراني+`` → ``أوكراني``."""
    return " ".join(w.rstrip("+*") for w in term.split())


def _in_force(role: dict, on: dt.date) -> bool:
    start, end = role.get("from"), role.get("to")
    return (start is None or start <= on) and (end is None or on < end)


def codebook_labels(path: str | Path = CODEBOOK, *, on: dt.date | None = None) -> dict[str, Labels]:
    """Every term of a codebook file with the ``(kind, key)`` pairs it stands for.

    Parameters
    ----------
    path : str or Path, default the workbench's default codebook
        The codebook TOML.
    on : datetime.date, optional
        When given, a role title stands only for the actor holding it on that date
        (titles held by nobody then are left out), as the workbench resolves it for a
        dated document. Without it, a title stands for every actor who ever held it —
        what a date-blind dictionary matcher can know.

    Returns
    -------
    dict
        term (markers removed) → frozenset of ``("topic" | "actor", key)``.
    """
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    out: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for topic in data.get("topics", []):
        for term in topic.get("terms", []):
            out[_plain(term)].add(("topic", topic["key"]))
    for actor in data.get("actors", []):
        names = [actor.get("name_ar", "")] + list(actor.get("aliases", []))
        for name in filter(None, names):
            out[_plain(name)].add(("actor", actor["id"]))
        for role in actor.get("roles", []):
            if on is None or _in_force(role, on):
                for title in role.get("titles", []):
                    out[_plain(title)].add(("actor", actor["id"]))
    return {t: frozenset(v) for t, v in out.items() if t}


def plantable_terms(labels: dict[str, Labels]) -> list[Term]:
    """The terms the generator plants, one :class:`corpus.Term` per term string."""
    return [Term("/".join(sorted({k for k, _ in v})), tuple(sorted(v)), t) for t, v in sorted(labels.items())]


# --- spaCy ------------------------------------------------------------------------------

#: Letter folding that keeps every offset (one character for one character).
FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})


@dataclass
class SpacyMatcher:
    """``spacy.blank("ar")`` tokenizer + ``PhraseMatcher`` over the codebook terms.

    Parameters
    ----------
    labels : dict
        term → labels, as from :func:`codebook_labels`.
    attr : str, default "LOWER"
        The token attribute matched (``LOWER`` and ``ORTH`` are the same for Arabic,
        which has no case).
    fold : bool, default False
        Fold hamza-on-alef, alef maqsura and teh marbuta in the text and the terms
        (offset-preserving, with ``str.translate``), as the workbench's normalisation does.
    clitic_variants : bool, default False
        Also add every term with each proclitic of the benchmark generator attached —
        what a spaCy user would have to do by hand, and flattering: it knows exactly the
        clitics the generator uses.
    """

    labels: dict[str, Labels]
    attr: str = "LOWER"
    fold: bool = False
    clitic_variants: bool = False

    def __post_init__(self) -> None:
        import spacy
        from spacy.matcher import PhraseMatcher

        self.nlp = spacy.blank("ar")
        self.matcher = PhraseMatcher(self.nlp.vocab, attr=self.attr)
        by_label: dict[Labels, set[str]] = defaultdict(set)
        for term, labs in self.labels.items():
            forms = {term}
            if self.clitic_variants:
                first, _, rest = term.partition(" ")
                clitics = DEFINITE_PROCLITICS if first.startswith("ال") else PROCLITICS
                forms |= {(attach(c, first) + (" " + rest if rest else "")) for c in clitics}
            if self.fold:
                forms = {f.translate(FOLD) for f in forms}
            by_label[labs] |= forms
        self.label_of: dict[int, Labels] = {}
        for i, (labs, forms) in enumerate(by_label.items()):
            name = f"L{i}"
            self.matcher.add(name, [self.nlp.make_doc(f) for f in sorted(forms)])
            self.label_of[self.nlp.vocab.strings[name]] = labs
        self.n_patterns = sum(len(f) for f in by_label.values())

    def run(self, texts: Sequence[str]) -> tuple[list[list[Match]], float]:
        """Match every text; returns the matches per text and the seconds spent.

        Only tokenising and matching are timed (the conversion of token spans to
        character offsets for the recall count is not), which flatters spaCy slightly.
        """
        out: list[list[Match]] = []
        spent = 0.0
        make_doc, matcher, label_of = self.nlp.make_doc, self.matcher, self.label_of
        for text in texts:
            t0 = time.perf_counter()
            if self.fold:
                text = text.translate(FOLD)
            doc = make_doc(text)
            found = matcher(doc)
            spent += time.perf_counter() - t0
            out.append([(doc[s].idx, doc[e - 1].idx + len(doc[e - 1]), label_of[m]) for m, s, e in found])
        return out, spent


# --- Aho–Corasick -----------------------------------------------------------------------


@dataclass
class AhoScanner:
    """A pyahocorasick automaton of the codebook terms, scanned over the raw text.

    A substring scan: it finds a term inside any longer word (so clitics do not stop it,
    and neither do word boundaries — ``إيران`` inside ``إيرانية``, but also ``سيبر`` inside
    any word containing those letters). It is the speed ceiling, not a fair annotator.
    """

    labels: dict[str, Labels]

    def __post_init__(self) -> None:
        import ahocorasick

        self.automaton = ahocorasick.Automaton()
        for term, labs in self.labels.items():
            self.automaton.add_word(term, (len(term), labs))
        self.automaton.make_automaton()

    def run(self, texts: Sequence[str]) -> tuple[list[list[Match]], float]:
        """Scan every text; returns the matches per text and the seconds spent."""
        out: list[list[Match]] = []
        it = self.automaton.iter
        t0 = time.perf_counter()
        for text in texts:
            out.append([(end + 1 - n, end + 1, labs) for end, (n, labs) in it(text)])
        return out, time.perf_counter() - t0


# --- recall -----------------------------------------------------------------------------


def recall(
    planted: Iterable[Planted],
    matches: dict[str, list[tuple[int, int, Labels]]],
) -> dict[str, tuple[int, int]]:
    """Count planted ``(occurrence, kind, key)`` items that a match of that key overlaps.

    Parameters
    ----------
    planted : iterable of Planted
        Where the generator put the terms.
    matches : dict
        doc_id → matches ``(start, end, labels)``.

    Returns
    -------
    dict
        ``{"bare": (found, total), "clitic": (found, total)}``.
    """
    index: dict[str, dict[tuple[str, str], list[tuple[int, int]]]] = {}
    for doc_id, ms in matches.items():
        by_key: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
        for s, e, labs in ms:
            for lab in labs:
                by_key[lab].append((s, e))
        index[doc_id] = by_key
    counts = {"bare": [0, 0], "clitic": [0, 0]}
    for p in planted:
        group = counts["clitic" if p.clitic else "bare"]
        spans = index.get(p.doc_id, {})
        for lab in p.keys:
            group[1] += 1
            if any(s < p.end and p.start < e for s, e in spans.get(lab, ())):
                group[0] += 1
    return {k: (v[0], v[1]) for k, v in counts.items()}
