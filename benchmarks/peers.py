"""The peers measured beside the workbench, each from text to mentions with offsets.

All of them get the codebook's terms from :func:`terms.lexicon` (markers removed; role
titles standing for the holder of the documents' week, which favours the peers: a
dictionary knows no dates). Each returns, per document, ``(start, end, kind, key)``
tuples with code-point offsets into the text, one per label.

- :class:`SpacyPlain` — ``spacy.blank("ar")`` + ``PhraseMatcher(attr="LOWER")``, as a
  spaCy user starts.
- :class:`SpacyArabic` — the same with a clitic-aware Arabic ``NORM`` (the best honest
  configuration we know; see its docstring), longest match per kind, the codebook's
  exclusions, and the codebook's two title rules.
- :class:`AhoScanner` — one pyahocorasick automaton over the raw text: the speed ceiling
  of a substring scan, with no notion of words.
- :func:`speakers_baseline` — speakers from :class:`SpacyArabic`'s matches by "the first
  actor after a reporting verb in the sentence", so that the workbench's speaker figures
  have something to stand against.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from terms import INFLECTIONS, PROCLITICS, Lexicon, fold, key_form

__all__ = ["SpacyPlain", "SpacyArabic", "AhoScanner", "speakers_baseline", "naive_script", "Found"]

Found = list[tuple[int, int, str, str]]  # (start, end, kind, key) of one document
_SHORTEST_FIRST = ("",) + tuple(sorted(PROCLITICS, key=len))


def _by_labels(labels: dict[str, frozenset]) -> dict[frozenset, list[str]]:
    out: dict[frozenset, list[str]] = defaultdict(list)
    for term, labs in sorted(labels.items()):
        out[labs].append(term)
    return out


class SpacyPlain:
    """``spacy.blank("ar")`` tokenizer + ``PhraseMatcher(attr="LOWER")`` over the terms.

    The timed work per text: ``make_doc``, the matcher, and the character offsets and
    labels of every match.
    """

    name = 'spaCy `blank("ar")` + `PhraseMatcher(attr="LOWER")`'

    def __init__(self, lex: Lexicon):
        import spacy
        from spacy.matcher import PhraseMatcher

        self.nlp = spacy.blank("ar")
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.label_of: dict[int, tuple] = {}
        for i, (labs, terms) in enumerate(_by_labels(lex.labels()).items()):
            self.matcher.add(f"L{i}", [self.nlp.make_doc(t) for t in terms])
            self.label_of[self.nlp.vocab.strings[f"L{i}"]] = tuple(sorted(labs))

    def run(self, texts: Sequence[str]) -> list[Found]:
        make_doc, matcher, label_of = self.nlp.make_doc, self.matcher, self.label_of
        out = []
        for text in texts:
            doc = make_doc(text)
            found = []
            for mid, s, e in matcher(doc):
                a, b = doc[s].idx, doc[e - 1].idx + len(doc[e - 1])
                found += [(a, b, kind, key) for kind, key in label_of[mid]]
            out.append(found)
        return out


def arabic_norm(lex: Lexicon):
    """The clitic-aware ``NORM`` getter: a word's codebook form, else its folded form.

    Folds diacritics, tatweel, hamza on alef, alef maqsura and teh marbuta; then takes
    off the shortest proclitic (و ف ب ك ل ال and their stacks) that leaves a codebook
    word, with the article optional, an inflection ending on a ``+`` word and any
    continuation of a ``*`` word. spaCy calls it once per distinct word form (lexemes
    are cached in the vocabulary), so it costs what spaCy's own norms cost. A token has
    one norm: where a word reads as several codebook words the most reduced reading
    wins, and the patterns go through the same getter, so they agree.
    """
    exact, inflected, prefix = set(), set(), set()
    for t in lex.terms:
        for w, m in zip(t.words, t.modes, strict=True):
            {"exact": exact, "inflected": inflected, "prefix": prefix}[m].add(key_form(w))
    for phrase, modes in lex.exclusion_modes.items():
        for w, m in zip(phrase.split(), modes, strict=True):
            {"exact": exact, "inflected": inflected, "prefix": prefix}[m].add(key_form(w))
    plens = sorted({len(p) for p in prefix})

    def norm(word: str) -> str:
        f = fold(word)
        for c in _SHORTEST_FIRST:
            if not f.startswith(c) or len(f) - len(c) < 2:
                continue
            rest = f[len(c) :]
            for st in (rest, rest[2:]) if rest.startswith("ال") and len(rest) >= 4 else (rest,):
                # one form per word, so the most reduced reading: a * word's beginning,
                # a + word's stem, else the word itself (patterns are normed the same way)
                for k in plens:
                    if st[:k] in prefix:
                        return st[:k]
                for e in INFLECTIONS:
                    if st.endswith(e) and st[: -len(e)] in inflected:
                        return st[: -len(e)]
                if st in exact or st in inflected:
                    return st
        return f

    return norm


class SpacyArabic:
    """spaCy set up for Arabic: clitic-aware ``NORM``, ``PhraseMatcher(attr="NORM")``.

    Beyond the matcher, per text and inside the timed window: overlapping matches of one
    kind keep the longest (``spacy.util.filter_spans``' rule, on tuples), the codebook's
    exclusion phrases cancel their key inside them, a role title followed by a "former"
    word (السابق) is dropped, and a state's gentilic right after a title word (نظيره
    الأميركي) or right before a person's name is dropped. The tokenizer also splits a
    full stop off a word that ends in a diacritic or a digit (spaCy's rule wants a letter).
    What it does not do: resolve
    titles by each document's date (it is given the week's holders) or attribution.
    """

    name = 'spaCy, clitic-aware Arabic `NORM` + `PhraseMatcher(attr="NORM")`'

    def __init__(self, lex: Lexicon):
        import spacy
        from spacy.attrs import NORM
        from spacy.matcher import PhraseMatcher

        self.nlp = nlp = spacy.blank("ar")
        nlp.vocab.lex_attr_getters[NORM] = arabic_norm(lex)
        # a full stop after a diacritic or a digit is its own token, as after a letter
        suffixes = list(nlp.Defaults.suffixes) + [r"(?<=[\u0640\u064b-\u0652\u06700-9])[.،؛؟]"]
        nlp.tokenizer.suffix_search = spacy.util.compile_suffix_regex(suffixes).search
        self.matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        self.info: dict[int, tuple] = {}  # match id -> (labels, role, gentilic, person, cancels)
        persons = {a for a, t in lex.actor_types.items() if t == "person"}
        groups: dict[tuple, list[str]] = defaultdict(list)
        for t in lex.terms:
            person = any(k == "actor" and v in persons for k, v in t.labels)
            groups[(tuple(sorted(t.labels)), t.role, t.gentilic, person, False)].append(t.plain)
        for phrase, labs in lex.exclusions.items():
            groups[(tuple(sorted(labs)), False, False, False, True)].append(phrase)
        for i, (info, phrases) in enumerate(groups.items()):
            name = f"G{i}"
            self.matcher.add(name, [nlp.make_doc(p) for p in phrases])
            self.info[nlp.vocab.strings[name]] = info
        titles = tuple(key_form(w.rstrip("*")) for w in lex.title_words)
        former = {fold(w) for w in lex.former_words} | {key_form(w) for w in lex.former_words}
        self._title_norm: dict[str, bool] = {}
        norm = nlp.vocab.lex_attr_getters[NORM]
        #: the norms of state gentilics (one token); other terms may share them (روسيا → روسي)
        self._gentilic = {norm(t.plain) for t in lex.terms if t.gentilic}
        self._titles, self._former = titles, former

    def _is_title(self, norm: str) -> bool:
        known = self._title_norm.get(norm)
        if known is None:
            known = self._title_norm[norm] = any(
                norm.startswith(c)
                and (
                    norm[len(c) :].startswith(self._titles)
                    or norm[len(c) :].startswith(tuple("ال" + t for t in self._titles))
                )
                for c in _SHORTEST_FIRST
            )
        return known

    def run(self, texts: Sequence[str]) -> list[Found]:
        return [self.find(text)[0] for text in texts]

    def find(self, text: str):
        """Mentions of one text (and its doc, for the speaker baseline)."""
        doc = self.nlp.make_doc(text)
        info = self.info
        by_kind: dict[str, list] = {"topic": [], "actor": []}
        cancel = []
        for mid, s, e in self.matcher(doc):
            labels, role, _, person, cancels = info[mid]
            if cancels:
                cancel += [(s, e, lab) for lab in labels]
                continue
            for kind in ("topic", "actor"):
                labs = [lab for lab in labels if lab[0] == kind]
                if not labs:
                    continue
                if kind == "actor" and role and e < len(doc) and doc[e].norm_ in self._former:
                    continue  # a title followed by السابق names nobody
                by_kind[kind].append((s, e, labs, person))
        found = []
        for kind, spans in by_kind.items():
            taken: set[int] = set()
            kept = []
            for sp in sorted(spans, key=lambda sp: (sp[0] - sp[1], sp[0])):
                if taken.isdisjoint(range(sp[0], sp[1])):
                    taken.update(range(sp[0], sp[1]))
                    kept.append(sp)
            person_starts = {sp[0] for sp in kept if sp[3]}
            for s, e, labs, _ in kept:
                if (
                    kind == "actor"
                    and e - s == 1
                    and doc[s].norm_ in self._gentilic
                    and ((s and self._is_title(doc[s - 1].norm_)) or e in person_starts)
                ):
                    continue
                a, b = doc[s].idx, doc[e - 1].idx + len(doc[e - 1])
                for lab in labs:
                    if not any(cs <= s and e <= ce and cl == lab for cs, ce, cl in cancel):
                        found.append((a, b, *lab))
        return found, doc


def speakers_baseline(peer: SpacyArabic, lex: Lexicon, texts: Sequence[str]) -> list[list]:
    """Speakers by "the first actor after a reporting verb", per sentence of each text.

    Sentences end at ``. ؟ ! ؛`` and newlines; a reporting verb is a codebook verb form,
    with و or ف attached or not. Returns per text ``(start, end, speaker)`` of the
    sentences given a speaker.
    """
    verbs = {fold(v) for v in lex.verbs}
    verbs |= {c + v for v in verbs for c in "وف"}
    cut = re.compile(r"[.؟?!؛\n]+")
    is_verb: dict[int, bool] = {}
    out = []
    for text in texts:
        found, doc = peer.find(text)
        actors = sorted((a, key) for a, b, kind, key in found if kind == "actor")
        verb_at = []
        for t in doc:
            v = is_verb.get(t.orth)
            if v is None:
                v = is_verb[t.orth] = fold(t.text) in verbs
            if v:
                verb_at.append(t.idx)
        said, start, k, a = [], 0, 0, 0
        ends = [m.end() for m in cut.finditer(text)] + [len(text)]
        for e in ends:
            while k < len(verb_at) and verb_at[k] < start:
                k += 1
            if k < len(verb_at) and verb_at[k] < e:
                v = verb_at[k]
                while a < len(actors) and actors[a][0] <= v:
                    a += 1
                if a < len(actors) and actors[a][0] < e:
                    said.append((start, e, actors[a][1]))
            start = e
        out.append(said)
    return out


class AhoScanner:
    """A pyahocorasick automaton of the terms, scanned over the raw text.

    A substring scan: it finds a term inside any longer word (so clitics do not stop it,
    and neither do word boundaries: روسيا inside بيلاروسيا). The speed ceiling of a
    multi-pattern scan, not an annotator.
    """

    name = "pyahocorasick substring scan (speed ceiling)"

    def __init__(self, lex: Lexicon):
        import ahocorasick

        self.automaton = ahocorasick.Automaton()
        for term, labs in lex.labels().items():
            self.automaton.add_word(term, (len(term), tuple(sorted(labs))))
        self.automaton.make_automaton()

    def run(self, texts: Sequence[str]) -> list[Found]:
        it = self.automaton.iter
        return [
            [(end + 1 - n, end + 1, kind, key) for end, (n, labs) in it(text) for kind, key in labs]
            for text in texts
        ]


def naive_script(folder: str, out_dir: str) -> None:
    """What an analyst might write with pandas and one regex: files → sentences → mentions CSV.

    Reads every ``.txt`` and ``metadata.csv``, splits sentences with a regex, finds the
    terms (longest first) with an optional و/ف + ب/ك/ل + ال in front, and writes
    ``mentions.csv`` (one row per sentence and term) and ``sentences.csv`` (topics and
    actors per sentence, ``;``-joined). No offsets, no attribution.
    """
    from pathlib import Path

    import pandas as pd
    from terms import lexicon

    labels = lexicon().labels()
    files = sorted(Path(folder).glob("*.txt"))
    docs = pd.DataFrame(
        {"doc_id": [f.stem for f in files], "text": [f.read_text(encoding="utf-8") for f in files]}
    )
    docs = docs.merge(pd.read_csv(Path(folder) / "metadata.csv"), on="doc_id", how="left")
    sents = docs.assign(sentence=docs["text"].str.split(r"(?<=[.؟!؛])\s+|\n+")).explode("sentence")
    sents = sents[sents["sentence"].str.strip() != ""].drop(columns="text").reset_index(drop=True)
    alternation = "|".join(map(re.escape, sorted(labels, key=len, reverse=True)))
    pattern = re.compile(rf"(?<!\w)(?:[وف]?[بكل]?(?:ال)?)({alternation})(?!\w)")
    sents["term"] = sents["sentence"].str.findall(pattern)
    rows = sents.explode("term").dropna(subset=["term"])
    rows["label"] = rows["term"].map(lambda t: sorted(labels[t]))
    rows = rows.explode("label")
    rows["kind"] = rows["label"].str[0]
    rows["key"] = rows["label"].str[1]
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rows[["doc_id", "date", "sentence", "term", "kind", "key"]].to_csv(out / "mentions.csv", index=False)
    keys = rows.groupby([rows.index, "kind"])["key"].agg(lambda k: ";".join(sorted(set(k)))).unstack()
    sents.join(keys).drop(columns="term").to_csv(out / "sentences.csv", index=False)
