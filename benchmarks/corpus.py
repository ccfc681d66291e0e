"""A deterministic generator of Arabic news-like documents whose every mention is known.

The ordinary sentences come from :mod:`words` (the benchmark's own words; no codebook
term in them, checked word form by word form). Into them the generator puts, at known
offsets:

- **mentions** of codebook terms, written as a person would: exactly as in the codebook,
  with a proclitic (و ف ب ل ك), with a stack of them (وبال، فلل، ولل …), inflected (``+``
  words take ة ين ون ات ان تين تان, ``*`` words a continuation: اتفاقية، قرصنة), with the
  hamza, alef maqsura or teh marbuta spelt loosely, with diacritics, or stretched with
  tatweel;
- **hard negatives**: words that hold a term's letters but are not it (بيلاروسيا، رومانيا،
  تكييف، القرمزي، ساديو ماني، نادي فروسية), a state's gentilic inside a person's title
  (نظيره الأميركي), a role title followed by السابق, and the codebook's exclusions
  (أمريكا اللاتينية، منتخب إيران، شواطئ نورماندي);
- **attributed statements** whose speaker is known: ``قال X إن``, ``وكان X قد أعلن``,
  ``X: …`` headlines, ``وفق X``, ``ووفق X، فإن Y لفت``, a following ``وأضاف أن …`` that
  carries the speaker over, and statements by people outside the codebook (no speaker).

The truth follows the codebook's own semantics (its header): a term stands for its
labels; inside a longer term of the same kind only the longer one counts; a gentilic
right after a title word or right before a person's name is part of the title; a title
followed by a "former" word names nobody; an exclusion cancels its key inside it; role
titles resolve on the documents' week (1–7 December 2021, see :data:`terms.ON`).

Document ``i`` depends only on ``(seed, i)``: the first 1,000 documents of the
10,000-document corpus are the 1,000-document corpus.
"""

from __future__ import annotations

import csv
import json
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import words as W
from terms import Lexicon, Term, lexicon, nested_items

__all__ = [
    "Mention",
    "Statement",
    "Negative",
    "GeneratedCorpus",
    "Generator",
    "generate",
    "default_generator",
    "attach",
    "FORMS",
    "nested_items",
]

#: How planted mentions are written, with their shares.
FORMS = {
    "exact": 0.28,
    "clitic": 0.22,
    "clitic_stack": 0.10,
    "inflected": 0.18,
    "spelling": 0.08,
    "diacritics": 0.07,
    "tatweel": 0.07,
}
SINGLE_CLITICS = ("و", "ف", "ب", "ل", "ك")
STACKS = ("وب", "ول", "فب", "فل", "وك", "فك")
#: Stacks written before an indefinite word with the article added (وبال، فلل، ولل …).
ARTICLE_STACKS = ("وبال", "فبال", "وال", "فال", "بال", "كال", "وكال", "فلل", "ولل", "لل")
ENDINGS = ("ة", "ين", "ون", "ات", "ان", "تين", "تان")
CONTINUATIONS = {
    "اتفاق": ("ية", "يات", "ات"),
    "قرصن": ("ة",),
    "قراصن": ("ة",),
    "هاكر": ("ز",),
    "معاهد": ("ة",),
    "برمجي": ("ات",),
    "فيروس": ("ات",),
    "بروتوكول": ("ات",),
    "دفاع": ("ات",),
    "رد": ("ود",),
}
HARAKAT = ("\u064e", "\u064f", "\u0650", "\u0652", "\u0651")
#: Letters that do not join the next one (tatweel may not follow them).
NON_JOINING = set("اأإآدذرزوؤةءى")
#: Words that hold a term's letters but are not it: (phrase, key it is not). A trap may
#: still mention another key (بيلاروسيا: Belarus); its truth says so.
TRAPS = (
    ("الحدود مع بيلاروسيا", "rus"),
    ("منتخب رومانيا", "ita"),
    ("الآثار الرومانية", "ita"),
    ("جهاز تكييف", "ukr"),
    ("اللون القرمزي", "ukraine"),
    ("اللاعب ساديو ماني", "deu"),
    ("نادي فروسية", "rus"),
    ("إطعام المساكين", "psaki"),
    ("فرقة مانيا", "deu"),
    ("جمهورية روسيا البيضاء", "rus"),
)
#: Words for a person's office before a state's gentilic (the gentilic is then no mention).
TITLE_BEFORE_GENTILIC = ("نظيره", "نظيرته", "السفير", "المبعوث", "سفير", "مبعوث")
GENTILICS = {
    "rus": "الروسي",
    "usa": "الأميركي",
    "fra": "الفرنسي",
    "deu": "الألماني",
    "chn": "الصيني",
    "gbr": "البريطاني",
    "ita": "الإيطالي",
    "ukr": "الأوكراني",
    "irn": "الإيراني",
}


@dataclass(frozen=True)
class Mention:
    """A true mention: ``text[start:end]`` is a term of ``(kind, key)``, written as ``form``."""

    doc_id: str
    start: int
    end: int
    kind: str
    key: str
    form: str
    term: str


@dataclass(frozen=True)
class Statement:
    """A sentence ``[start, end)`` whose speaker is ``speaker`` (``""``: no codebook speaker)."""

    doc_id: str
    start: int
    end: int
    speaker: str
    construction: str


@dataclass(frozen=True)
class Negative:
    """A hard negative ``[start, end)``: it must yield no mention of ``key``."""

    doc_id: str
    start: int
    end: int
    category: str
    key: str
    surface: str


@dataclass
class GeneratedCorpus:
    """Generated documents with their truth.

    Attributes
    ----------
    texts : list of (doc_id, text, date)
    mentions, statements, negatives : list
        The truth, in document order.
    """

    texts: list[tuple[str, str, str]]
    mentions: list[Mention] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    negatives: list[Negative] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.texts)

    def head(self, n: int) -> GeneratedCorpus:
        """The first ``n`` documents and their truth (a smaller corpus of the same seed)."""
        ids = {d for d, _, _ in self.texts[:n]}
        return GeneratedCorpus(
            self.texts[:n],
            [m for m in self.mentions if m.doc_id in ids],
            [s for s in self.statements if s.doc_id in ids],
            [g for g in self.negatives if g.doc_id in ids],
        )

    def corpus(self):
        """The documents as a :class:`workbench.Corpus` (no files written)."""
        from workbench.corpus import Corpus, build_document

        return Corpus(
            build_document(d, t, path=f"{d}.txt", date=date, outlet="bench") for d, t, date in self.texts
        )

    def write(self, folder: str | Path) -> Path:
        """One ``.txt`` per document and a ``metadata.csv`` in ``folder``."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        for doc_id, text, _ in self.texts:
            (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        with open(folder / "metadata.csv", "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["doc_id", "date", "outlet", "url", "title"])
            for doc_id, _, date in self.texts:
                w.writerow([doc_id, date, "bench", "", ""])
        return folder

    def save(self, path: str | Path) -> Path:
        """Write texts and truth as one JSON file (read back with :meth:`load`)."""
        data = {
            "texts": self.texts,
            "mentions": [list(asdict(m).values()) for m in self.mentions],
            "statements": [list(asdict(s).values()) for s in self.statements],
            "negatives": [list(asdict(g).values()) for g in self.negatives],
        }
        Path(path).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return Path(path)

    @classmethod
    def load(cls, path: str | Path) -> GeneratedCorpus:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(
            [tuple(t) for t in data["texts"]],
            [Mention(*m) for m in data["mentions"]],
            [Statement(*s) for s in data["statements"]],
            [Negative(*g) for g in data["negatives"]],
        )


def attach(clitic: str, word: str) -> str:
    """Write ``clitic`` before ``word`` as Arabic spells it (ل + ال → لل).

    >>> attach("ل", "الكرملين")
    'للكرملين'
    >>> attach("فل", "الكرملين")
    'فللكرملين'
    """
    if clitic.endswith("ل") and word.startswith("ال"):
        return clitic + word[1:]
    return clitic + word


# --- pieces of text with their truth -----------------------------------------------------------


@dataclass
class Piece:
    """Some text with truth at offsets relative to it."""

    text: str
    mentions: list = field(default_factory=list)  # (start, end, kind, key, form, term)
    negatives: list = field(default_factory=list)  # (start, end, category, key)

    def shifted(self, by: int) -> tuple[list, list]:
        return (
            [(s + by, e + by, *rest) for s, e, *rest in self.mentions],
            [(s + by, e + by, *rest) for s, e, *rest in self.negatives],
        )


def _phrase(words: Sequence[str], items: list[tuple[int, int, frozenset]], form: str, term: str) -> Piece:
    starts, pos = [], 0
    for w in words:
        starts.append(pos)
        pos += len(w) + 1
    text = " ".join(words)
    mentions = [
        (starts[i], starts[j - 1] + len(words[j - 1]), kind, key, form, term)
        for i, j, labs in items
        for kind, key in sorted(labs)
    ]
    return Piece(text, mentions)


_SLOT = re.compile(r"\{(\w+)\}")


def fill(template: str, slots: dict[str, Callable[[], Piece | str]]) -> Piece:
    """Fill ``{NAME}`` slots left to right; each callable gives a str or a Piece."""
    out = Piece("")
    pos = 0
    for m in _SLOT.finditer(template):
        out.text += template[pos : m.start()]
        value = slots[m.group(1)]()
        piece = value if isinstance(value, Piece) else Piece(value)
        ms, ns = piece.shifted(len(out.text))
        out.mentions += ms
        out.negatives += ns
        out.text += piece.text
        pos = m.end()
    out.text += template[pos:]
    return out


# --- the generator ---------------------------------------------------------------------------

#: Words of the generator's sentences that may also be words of a codebook phrase: they
#: cannot complete one, because the phrase's other words never occur in ordinary text.
# Words of codebook phrases (سي إن إن، إف بي آي، مصدر لم يكشف عن هويته، قناة روسيا اليوم) that
# the ordinary sentences use, never next to the phrase's other words.
FUNCTION_WORDS = frozenset({"في", "على", "من", "إلى", "عن", "مع", "أن", "أي", "بأي", "كان", "لم", "يوم",
                            "اليوم"})


def _literal_words() -> set[str]:
    texts = [
        *W.VERBS,
        *W.VERBS_PRESENT,
        *W.SUBJECTS,
        *W.ADJECTIVES,
        *W.OBJECTS,
        *W.PLACES,
        *W.PLACE_PHRASES,
        *W.TIMES,
        *W.FIRST_NAMES,
        *W.FAMILY_NAMES,
        *W.JOBS,
        *W.GOODS,
        *W.COUNTED,
        *W.OPENERS,
        *W.FILLER,
        *W.WITH_MENTION,
        *W.CLAUSES,
        *W.TAILS,
    ]
    out = set()
    for t in texts:
        for w in re.findall(r"[^\W\d_]+", _SLOT.sub(" ", t)):
            if not (w[0] in "وف" and w[1:] in FUNCTION_WORDS):
                out.add(w)
    return out - FUNCTION_WORDS


class Generator:
    """Makes documents from :mod:`words` with codebook terms of ``lex`` put in at known places.

    Raises
    ------
    ValueError
        When a word of :mod:`words` reads as a codebook word (it would make mentions
        nobody planted): the message lists them.
    """

    def __init__(self, lex: Lexicon | None = None):
        self.lex = lex = lex or lexicon()
        bad = sorted(w for w in _literal_words() if not self.safe(w))
        if bad:
            raise ValueError("words of benchmarks/words.py read as codebook words: " + " ".join(bad))
        self.topic_terms = [t for t in lex.terms if "topic" in t.kinds()]
        self.actor_terms = [t for t in lex.terms if "actor" in t.kinds()]
        self.open_terms = {
            k: [t for t in ts if set(t.modes) != {"exact"}]
            for k, ts in (("topic", self.topic_terms), ("actor", self.actor_terms))
        }
        rng = random.Random("family-names")
        pool: list[str] = []
        while len(pool) < 20_000:
            name = "".join(rng.choice(W.NAME_SYLLABLES) for _ in range(rng.randint(2, 3)))
            name += rng.choice(W.NAME_ENDINGS)
            if self.safe(name):
                pool.append(name)
        self.family = pool
        self.family_cum = list(_cumulative(len(pool)))
        self.tail_words = self._invented(rng, 60_000)
        self.tail_cum = list(_cumulative(len(self.tail_words), power=0.8))
        self.speakers = self._speakers()
        self.former = self._former()
        self.exclusions = sorted(lex.exclusions.items())

    # word forms -------------------------------------------------------------------------

    def _invented(self, rng: random.Random, n: int) -> list[str]:
        """``n`` distinct invented words from random roots and Arabic word patterns."""
        seen: set[str] = set()
        out: list[str] = []
        while len(out) < n:
            root = rng.sample(W.ROOT_LETTERS, 3)
            word = "".join(
                root[{"ف": 0, "ع": 1, "ل": 2}[ch]] if ch in "فعل" else ch for ch in rng.choice(W.PATTERNS)
            )
            if rng.random() < 0.35:
                word = "ال" + word
            if word not in seen and self.safe(word):
                seen.add(word)
                out.append(word)
        return out

    def tail_word(self, rng: random.Random) -> str:
        return rng.choices(self.tail_words, cum_weights=self.tail_cum)[0]

    @cache  # noqa: B019  (one generator per process, kept for its life)
    def safe(self, word: str) -> bool:
        """Whether an ordinary word form is clear of the codebook (no term reads in it)."""
        return not self.lex.reads_as_term_word(word)

    def vary(self, text: str, rng: random.Random, share: float = 0.1) -> str:
        """Give some words of ordinary text a proclitic (only where it stays clear of terms)."""
        out = []
        for w in text.split(" "):
            if len(w) > 2 and w[0] not in "وف" and rng.random() < share:
                c = rng.choice(SINGLE_CLITICS + STACKS)
                form = attach(c, w)
                if self.safe(form):
                    w = form
            out.append(w)
        return " ".join(out)

    def name(self, rng: random.Random) -> str:
        first = rng.choice(W.FIRST_NAMES)
        if rng.random() < 0.4:
            return f"{first} {rng.choice(W.FAMILY_NAMES)}"
        return f"{first} {rng.choices(self.family, cum_weights=self.family_cum)[0]}"

    # mentions ---------------------------------------------------------------------------

    def mention(
        self, rng: random.Random, *, kinds: tuple[str, ...] = ("topic", "actor"), clitics: bool = True
    ) -> Piece:
        """One codebook term, written in one of :data:`FORMS`, with its truth."""
        kind = rng.choice(kinds) if len(kinds) > 1 else kinds[0]
        form = rng.choices(list(FORMS), weights=list(FORMS.values()))[0]
        if form == "inflected":
            t = rng.choice(self.open_terms[kind])
        else:
            t = rng.choice(self.topic_terms if kind == "topic" else self.actor_terms)
        if not clitics and form in ("clitic", "clitic_stack"):
            form = "exact"
        words, form = self._write(t, form, rng, clitics=clitics)
        return _phrase(words, nested_items(self.lex, words, own=t.labels), form, t.plain)

    def _write(self, t: Term, form: str, rng: random.Random, *, clitics: bool) -> tuple[list[str], str]:
        words = list(t.words)
        if form == "inflected":
            open_words = [k for k, m in enumerate(t.modes) if m != "exact"]
            if not open_words:
                form = "clitic" if clitics else "exact"
            else:
                k = rng.choice(open_words)
                w = words[k]
                if t.modes[k] == "prefix":
                    words[k] = w + rng.choice(CONTINUATIONS.get(w, ("ات",)))
                else:
                    words[k] = w + rng.choice(ENDINGS)
                    if len(words) == 1 and not w.startswith("ال") and rng.random() < 0.5:
                        words[k] = "ال" + words[k]
                if clitics and rng.random() < 0.4:
                    words[0] = attach(rng.choice(SINGLE_CLITICS), words[0])
        if form == "clitic":
            words[0] = attach(rng.choice(SINGLE_CLITICS), words[0])
        elif form == "clitic_stack":
            words[0] = attach(rng.choice(STACKS), words[0])
        elif form == "spelling":
            words, form = _loose_spelling(words, rng)
        elif form == "diacritics":
            k = rng.randrange(len(words))
            w = list(words[k])
            for p in sorted(rng.sample(range(len(w)), min(len(w), rng.randint(1, 3))), reverse=True):
                if w[p].isalpha():
                    w.insert(p + 1, rng.choice(HARAKAT))
            words[k] = "".join(w)
        elif form == "tatweel":
            spots = [
                (k, p)
                for k, w in enumerate(words)
                for p in range(len(w) - 1)
                if w[p].isalpha() and w[p + 1].isalpha() and w[p] not in NON_JOINING
            ]
            if spots:
                k, p = rng.choice(spots)
                words[k] = words[k][: p + 1] + "ـ" + words[k][p + 1 :]
            else:
                form = "exact"
        return words, form

    def _speakers(self) -> list[tuple[str, list[list[str]]]]:
        """Each actor with the ways of naming it as a speaker (word lists)."""
        lex = self.lex
        labels = lex.labels()
        gentilic = {t.plain for t in lex.terms if t.gentilic}
        out = []
        for aid, names in lex.names.items():
            forms = [n.split() for n in names if "-" not in n and n not in gentilic]
            titles = [t for t in lex.titles.get(aid, ()) if labels.get(t) == frozenset({("actor", aid)})]
            if lex.actor_types.get(aid) == "person" and titles:
                full = names[0].split()
                forms += [t.split() + full for t in titles[:4]] + [t.split() for t in titles[:4]]
            if forms:
                out.append((aid, forms))
        return out

    def speaker(
        self, rng: random.Random, *, types: tuple[str, ...] = (), short: bool = False
    ) -> tuple[Piece, str]:
        """A speaker named as a person would (name, title and name, title), with its truth.

        ``short``: a name or a title alone, as headlines write them.
        """
        pool = [s for s in self.speakers if not types or self.lex.actor_types[s[0]] in types]
        aid, forms = rng.choice(pool)
        if short:
            full = self.lex.names[aid][0].split()
            forms = [f for f in forms if not (len(f) > len(full) and f[-len(full) :] == full)] or forms
        words = rng.choice(forms)
        return _phrase(words, nested_items(self.lex, words), "exact", " ".join(words)), aid

    # hard negatives ---------------------------------------------------------------------

    def _former(self) -> list[tuple[list[str], str]]:
        """(title + former word + an earlier holder's name, the title's holder now)."""
        lex = self.lex
        labels = lex.labels()
        out = []
        for title in sorted(lex.date_blind):
            now = labels.get(title)
            if not now or len(now) != 1 or not any(t.plain == title and t.role for t in lex.terms):
                continue
            ((_, holder),) = now
            for earlier in lex.earlier.get(title, ()):
                if earlier != holder and lex.actor_types.get(earlier) == "person" and lex.names.get(earlier):
                    out.append(
                        (title.split() + [lex.former_words[0]] + lex.names[earlier][0].split(), holder)
                    )
        return out

    def negative(self, rng: random.Random) -> Piece:
        """A hard negative with its truth (what it does mention) and the keys it must not yield."""
        cat = rng.choice(("trap", "trap", "title_gentilic", "before_name", "former", "exclusion"))
        if cat == "trap":
            phrase, key = rng.choice(TRAPS)
            # what the trap does mention by the codebook's rules is true (بيلاروسيا is not
            # Russia, but it is Belarus), like the words of every other hard negative
            words = phrase.split()
            p = _phrase(words, nested_items(self.lex, words), "exact", phrase)
            p.negatives.append((0, len(phrase), cat, key))
            return p
        if cat == "title_gentilic":
            key, gent = rng.choice(sorted(GENTILICS.items()))
            words = [rng.choice(TITLE_BEFORE_GENTILIC), gent]
            bad = [key]
        elif cat == "before_name":
            pairs = [
                (k, GENTILICS[k], self.lex.names[p][0])
                for k, p in (
                    ("rus", "putin"),
                    ("usa", "biden"),
                    ("fra", "macron"),
                    ("ukr", "zelensky"),
                    ("irn", "raisi"),
                )
            ]
            (k1, g1, n1), (k2, g2, n2) = rng.sample(pairs, 2)
            words = ["الرئيسين", g1, *n1.split(), attach("و", g2), *n2.split()]
            bad = [k1, k2]
        elif cat == "former":
            words, holder = rng.choice(self.former)
            bad = [holder]
        else:
            phrase, labs = rng.choice(self.exclusions)
            modes = self.lex.exclusion_modes[phrase]
            words = [
                w
                + (
                    rng.choice(CONTINUATIONS.get(w, ("ة",)))
                    if m == "prefix"
                    else rng.choice(("", "ة"))
                    if m == "inflected"
                    else ""
                )
                for w, m in zip(phrase.split(), modes, strict=True)
            ]
            items = nested_items(self.lex, words, cancelled=labs)
            p = _phrase(words, items, "exact", phrase)
            p.negatives += [(0, len(p.text), cat, key) for _, key in sorted(labs)]
            return p
        p = _phrase(words, nested_items(self.lex, words), "exact", " ".join(words))
        p.negatives += [(0, len(p.text), cat, k) for k in bad]
        return p

    # sentences --------------------------------------------------------------------------

    def _slots(self, rng: random.Random) -> dict[str, Callable[[], Piece | str]]:
        num = lambda: str(rng.randint(2, 10 ** rng.randint(1, 4)))  # noqa: E731
        v = self.vary
        return {
            "V": lambda: rng.choice(W.VERBS),
            "VP": lambda: rng.choice(W.VERBS_PRESENT),
            "S": lambda: v(rng.choice(W.SUBJECTS), rng),
            "A": lambda: rng.choice(W.ADJECTIVES),
            "O": lambda: v(rng.choice(W.OBJECTS), rng),
            "P": lambda: v(rng.choice(W.PLACE_PHRASES).replace("{PL}", rng.choice(W.PLACES)), rng),
            "T": lambda: rng.choice(W.TIMES).replace("{N}", num()),
            "N": num,
            "NAME": lambda: self.name(rng),
            "JOB": lambda: rng.choice(W.JOBS),
            "G": lambda: rng.choice(W.GOODS),
            "U": lambda: rng.choice(W.COUNTED),
            "OPEN": lambda: rng.choice(W.OPENERS),
            "M": lambda: self.mention(rng),
            "W": lambda: self.tail_word(rng),
        }

    def filler(self, rng: random.Random, *, mention: bool = False, negative: bool = False) -> Piece:
        """An ordinary sentence (no final stop), with a mention or a hard negative in it."""
        slots = self._slots(rng)
        if negative:
            slots["M"] = lambda: self.negative(rng)
        if mention or negative:
            template = rng.choice(W.WITH_MENTION)
            if "بـ{M}" in template and not negative:
                slots["M"] = lambda: self.mention(rng, clitics=False)
            elif "بـ{M}" in template:
                template = template.replace("بـ{M}", "{M}")
            return fill(template + self._tail(rng), slots)
        return fill(rng.choice(W.FILLER) + self._tail(rng), slots)

    @staticmethod
    def _tail(rng: random.Random) -> str:
        return rng.choice(W.TAILS) if rng.random() < 0.6 else ""

    def clause(self, rng: random.Random) -> Piece:
        slots = {"M": lambda: self.mention(rng, kinds=("topic",))}
        return fill(rng.choice(W.CLAUSES), slots)

    def headline(self, rng: random.Random) -> tuple[Piece, str]:
        """``X: what X said`` (no final stop) and its speaker."""
        piece, aid = self.speaker(rng, short=True)
        return fill("{X}: {C}", {"X": lambda: piece, "C": lambda: self.clause(rng)}), aid

    def statement(self, rng: random.Random) -> tuple[Piece, str, str]:
        """An attributed sentence: (text with truth, speaker, construction)."""
        kind = rng.choices(
            ("said", "said_before", "according", "via", "headline", "unknown"),
            weights=(0.40, 0.12, 0.14, 0.07, 0.10, 0.17),
        )[0]
        who: dict[str, str] = {}

        def speaker(types: tuple[str, ...] = ()) -> Callable[[], Piece]:
            def make() -> Piece:
                piece, aid = self.speaker(rng, types=types)
                who["speaker"] = aid
                return piece

            return make

        slots: dict[str, Callable[[], Piece | str]] = {
            "C": lambda: self.clause(rng),
            "X": speaker(),
            "NAME": lambda: self.name(rng),
            "JOB": lambda: rng.choice(W.JOBS),
        }
        if kind == "headline":
            piece, spk = self.headline(rng)
            return piece, spk, kind
        if kind == "unknown":
            return fill(rng.choice(W.UNKNOWN_SPEAKER), slots), "", kind
        if kind == "via":
            slots["X"] = speaker(("institution", "state"))
            slots["Y"] = speaker(("person",))
            return fill(rng.choice(W.VIA), slots), who["speaker"], kind
        table = {"said": W.SAID, "said_before": W.SAID_BEFORE, "according": W.ACCORDING}[kind]
        return fill(rng.choice(table), slots), who["speaker"], kind

    # documents --------------------------------------------------------------------------

    def document(self, doc_id: str, rng: random.Random) -> tuple[str, GeneratedCorpus]:
        """One document's text and its truth."""
        out = _Writer(doc_id)
        if rng.random() < 0.3:
            piece, spk = self.headline(rng)
            out.sentence(piece, spk, "headline", stop="")
        else:
            out.sentence(self.filler(rng, mention=rng.random() < 0.5), None, "", stop="")
        units = rng.randint(10, 34)
        while units > 0:
            out.emit("\n\n")
            for k in range(min(rng.randint(1, 4), units)):
                units -= 1
                if k:
                    out.emit(" ")
                r = rng.random()
                if r < 0.30:
                    out.sentence(self.filler(rng), None, "")
                elif r < 0.58:
                    out.sentence(self.filler(rng, mention=True), None, "")
                elif r < 0.90:
                    piece, spk, kind = self.statement(rng)
                    out.sentence(piece, spk, kind)
                    if spk and rng.random() < 0.35:
                        out.emit(" ")
                        out.sentence(
                            fill(rng.choice(W.CARRIED), {"C": lambda: self.clause(rng)}), spk, "carried"
                        )
                else:
                    out.sentence(self.filler(rng, negative=True), None, "")
        out.emit("\n")
        return "".join(out.pieces), out.truth


class _Writer:
    """Collects a document's text and truth with absolute offsets."""

    def __init__(self, doc_id: str):
        self.doc_id = doc_id
        self.pieces: list[str] = []
        self.pos = 0
        self.truth = GeneratedCorpus([])

    def emit(self, s: str) -> None:
        self.pieces.append(s)
        self.pos += len(s)

    def sentence(self, piece: Piece, speaker: str | None, construction: str, *, stop: str = ".") -> None:
        start = self.pos
        ms, ns = piece.shifted(start)
        self.truth.mentions += [Mention(self.doc_id, *m) for m in ms]
        self.truth.negatives += [
            Negative(self.doc_id, s, e, cat, key, piece.text[s - start : e - start]) for s, e, cat, key in ns
        ]
        self.emit(piece.text + stop)
        if speaker is not None:
            self.truth.statements.append(Statement(self.doc_id, start, self.pos, speaker, construction))


def _loose_spelling(words: list[str], rng: random.Random) -> tuple[list[str], str]:
    """The term as often typed: hamza left off alef, final ي as ى, final ة as ه."""
    options = []
    if any(ch in w for w in words for ch in "أإآ"):
        options.append(lambda ws: [w.translate(str.maketrans("أإآ", "ااا")) for w in ws])
    if any(w.endswith("ي") for w in words):
        options.append(lambda ws: [w[:-1] + "ى" if w.endswith("ي") else w for w in ws])
    if any(w.endswith("ة") for w in words):
        options.append(lambda ws: [w[:-1] + "ه" if w.endswith("ة") else w for w in ws])
    if not options:
        return words, "exact"
    return rng.choice(options)(words), "spelling"


def _cumulative(n: int, power: float = 1.0):
    """Cumulative Zipf weights (1/rank**power) for ``n`` items."""
    total = 0.0
    for r in range(n):
        total += 1.0 / (r + 1) ** power
        yield total


@lru_cache(maxsize=2)
def default_generator() -> Generator:
    """One generator per process (building it checks every word list: a few seconds)."""
    return Generator()


def generate(n_docs: int, *, seed: int = 0) -> GeneratedCorpus:
    """Make ``n_docs`` documents dated 1–7 December 2021 with their truth.

    Parameters
    ----------
    n_docs : int
        How many documents.
    seed : int, default 0
        Document ``i`` depends only on ``(seed, i)``.

    Returns
    -------
    GeneratedCorpus
    """
    gen = default_generator()
    out = GeneratedCorpus([])
    for i in range(n_docs):
        rng = random.Random(f"{seed}:{i}")
        doc_id = f"gen{seed}_{i:06d}"
        text, truth = gen.document(doc_id, rng)
        out.texts.append((doc_id, text, f"2021-12-{rng.randint(1, 7):02d}"))
        out.mentions += truth.mentions
        out.statements += truth.statements
        out.negatives += truth.negatives
    return out
