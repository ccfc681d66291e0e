"""The document as attribution reads it: cues, clauses, subject phrases and roles.

:class:`DocumentView` answers the token-level questions of :mod:`workbench.attribution`:
which statement cues stand where a cue can (a verb form that is not a noun, outside
quotations and set phrases), where clauses begin, which words form the subject phrase
before or after a verb (skipping adverbs and prepositional phrases), and which person a
bare role word refers to (the role words named around each person: ``نائب وزير الخارجية
الروسي سيرغي ريابكوف`` gives Ryabkov the keys وزير and Russia).
"""

from __future__ import annotations

import bisect
from itertools import compress
from operator import attrgetter, itemgetter

from .matching import DocMatches, DocumentMatcher, Match

__all__ = ["DocumentView", "FormFlags"]

_PUNCT_SKIP = frozenset("،,-–—()")
_COMMAS = frozenset("،,")
_CLAUSE_MARKS = frozenset("،,؛;")
_OPEN_QUOTES = frozenset('"«“„‹')
_BULLETS = ("-", "–", "—", "•", "·", "*", "▪")
_COLON_WINDOW = 10
_TAG_WINDOW = 5  # a bracketed tag before a headline: three words at most
_THEN_WINDOW = 20
_RELATIVES = frozenset(("الذي", "التي", "الذين", "اللذين", "اللتين", "اللذان", "اللتان", "اللاتي"))
_THAT = frozenset(("ان", "انه", "انها", "انهم", "ان"))
#: Particles with the subject attached: "لكنه جدد" — he renewed.
_HE_THAT = frozenset(("لكنه", "لكنها", "انه", "انها", "فانه", "فانها", "بانه", "بانها", "كونه", "كونها",
                      "ولكنه", "ولكنها"))
_OWN_WORDS = frozenset(("قوله", "قولها", "قولهم", "تعبيره", "تعبيرها", "وصفه", "وصفها", "رايه", "رايها"))
_PRE_VERB_WINDOW = 16
#: Plurals without a sound ending among the heads of anonymous sources.
_BROKEN_PLURALS = frozenset(("مصادر", "شهود"))
_ROLE_CONTEXT = 8



#: The kinds of term attribution asks a token about, each a bit of the token's flags; the
#: first twelve are also looked for as phrases of several words (DocumentView.phrases).
_KINDS = ("clause", "preposition", "formula", "framing", "source", "media", "anonymous",
          "statement", "descriptor", "opener", "stop", "nosubj", "title", "state_head")
_PHRASE_KINDS = _KINDS[:12]
_PHRASE_SET = frozenset(_PHRASE_KINDS)
_NO_SPANS: dict[int, int] = {}  # never written to
_I = attrgetter("i")
_KEY = attrgetter("key")
_BIT = {kind: 1 << n for n, kind in enumerate(_KINDS)}
_CLAUSE, _PREP, _FORMULA = _BIT["clause"], _BIT["preposition"], _BIT["formula"]
_OPENER, _STOP, _NOSUBJ = _BIT["opener"], _BIT["stop"], _BIT["nosubj"]
_STATEMENT = _BIT["statement"]
#: What a token's form is, beside its kinds.
_WORD = 1 << 14  # a word, not punctuation
_PREPOSITIONAL = 1 << 15  # carries ب، ل or ك (لشبكة، بالكرملين)
_CLITIC_B = 1 << 16  # its proclitic (after و/ف) begins with ب
_BARE_B = 1 << 17  # begins with ب and matches nothing
_RELATIVE = 1 << 18  # الذي، التي …
_DEFINITE = 1 << 19  # carries the article (after و/ف)
_NEXT_DEFINITE = 1 << 20  # begins with ال after و، ف، ب، ل: makes the word before definite
_HE = 1 << 21  # a particle with the subject attached (لكنه)
_CLITIC = 1 << 22  # has a proclitic (as the actor or head reading takes it)
_KNOWN = 1 << 23  # set in every form's flags (0: not made yet)
#: The letters a word with the article (or ال right after a proclitic) begins with.
_LEADS = frozenset("وفبلا")
#: What may end a subject phrase (DocumentView._np_end).
_MAY_END = _STOP | _CLAUSE | _RELATIVE | _BARE_B | _CLITIC_B
#: What a word before a verb that could be its subject is not.
_NOT_SUBJECT_FIRST = _PREP | _OPENER | _CLAUSE | _STOP | _FORMULA | _NOSUBJ
#: The kinds of noun that head a subject phrase, in the order :meth:`DocumentView.head` tries them.
_HEAD_KINDS = ("statement", "media", "anonymous", "descriptor", "title", "state_head")
_HEADS = sum(_BIT[kind] for kind in _HEAD_KINDS)
#: flags & _HEADS -> the first of _HEAD_KINDS among them ("" for none)
_HEAD_NAME: dict[int, str] = {}


def _head_name(flags: int) -> str:
    bits = flags & _HEADS
    name = _HEAD_NAME.get(bits)
    if name is None:
        name = _HEAD_NAME[bits] = next((kind for kind in _HEAD_KINDS if bits & _BIT[kind]), "")
    return name


class FormFlags(dict):
    """Word as written → its flags (the ``_WORD``… bits and the bits of its one-word kinds),
    made once per word form from its normal form and its patterns.

    Parameters
    ----------
    dm : DocumentMatcher
        The matcher the documents are scanned with (a word's patterns are its own,
        whatever document it stands in).
    """

    __slots__ = ("m", "stems", "variants", "person")

    def __init__(self, dm: DocumentMatcher):
        super().__init__()
        self.m = dm.m
        self.person = {key: kind == "person" for key, kind in dm.actor_type.items()}  # actor id -> a person?
        self.stems: dict[str, str] = {}  # word as written -> DocumentView._stem
        self.variants: dict[str, tuple[str, str, str]] = {}  # word as written -> forms _then compares

    def new(self, word: str, pm) -> int:
        """Make the flags of a word as written whose patterns are ``pm``."""
        f = self[word] = self._make(word, pm)
        return f

    def _make(self, word: str, pm) -> int:
        m = self.m
        form = m.normal_form(word)
        bits = _KNOWN | _WORD if m.is_word(word) else _KNOWN
        if pm:
            for kind in pm.kinds:
                bits |= _BIT.get(kind, 0)
            clitic = form[:min(pm.values())]
            if clitic:
                bits |= _CLITIC
                clitic = clitic.lstrip("وف")
                if clitic[:1] in ("ب", "ل", "ك") and not clitic.startswith("ال"):
                    bits |= _PREPOSITIONAL
                if clitic.startswith("ب"):
                    bits |= _CLITIC_B
        elif form.startswith("ب"):
            bits |= _BARE_B
        if form[:1] in _LEADS:  # the article may follow
            if form.lstrip("وف").startswith(("ال", "لل", "بال")):
                bits |= _DEFINITE
            if form.lstrip("وفبل").startswith("ال"):
                bits |= _NEXT_DEFINITE
        if form in _RELATIVES:
            bits |= _RELATIVE
        if form in _HE_THAT:
            bits |= _HE
        return bits


_THEN_FORMS: dict[tuple[str, ...], tuple[frozenset[str], tuple[str, ...]]] = {}


def _then_forms(normal_form, words: tuple[str, ...]) -> tuple[frozenset[str], tuple[str, ...]]:
    """A verb's ``then`` words as read (without و/ف), and the prefixes of those ending in ``*``."""
    got = _THEN_FORMS.get(words)
    if got is None:
        forms = frozenset(normal_form(w).lstrip("وف") for w in words)
        got = _THEN_FORMS[words] = forms, tuple(w[:-1] for w in forms if w.endswith("*"))
    return got


class DocumentView:
    """Token-level questions attribution asks of one scanned document.

    Parameters
    ----------
    dm : DocumentMatcher
        The matcher the document was scanned with.
    d : DocMatches
        The scanned document.
    actors : list of Match
        Its actor mentions.
    quoted : list of bool
        For each token, whether it lies inside a quotation.
    """

    def __init__(self, dm: DocumentMatcher, d: DocMatches, actors: list[Match], quoted: list[bool], *,
                 forms: FormFlags | None = None):
        self.actor_type = dm.actor_type
        self.cb = dm.cb
        self.d = d
        self.m = dm.m
        self.words = d.words
        self.n = len(d.words)
        self.quoted = quoted
        self.actors = actors
        self._forms = forms = forms if forms is not None else FormFlags(dm)
        self.actor_starts = list(map(_I, actors))
        self.actor_at = dict(zip(self.actor_starts, actors, strict=True))
        self.persons = list(compress(actors, map(forms.person.__getitem__, map(_KEY, actors))))
        self.person_starts = set(map(_I, self.persons))
        #: each token's flags (FormFlags) with the phrases that start there, made when first read
        #: (0: not yet); the one after the last, also read as index -1, has none
        self.flags = flags = [0] * self.n
        flags.append(_KNOWN)
        #: kind -> {token a phrase of that kind starts at: its end} (one shared empty one for none)
        self.phrases: dict[str, dict[int, int]] = dict.fromkeys(_PHRASE_KINDS, _NO_SPANS)
        terms = self.m.terms
        hits = d.hits
        for kind in _PHRASE_SET.intersection(hits):
            spans: dict[int, int] = {}
            bit = _BIT[kind]
            for tid, i, j in hits[kind]:
                if len(terms[tid].pids) > 1:
                    spans[i] = max(j, spans.get(i, 0))
                    flags[i] = (flags[i] or self._fill(i)) | bit
            if spans:
                self.phrases[kind] = spans
        self._roles: list[tuple[int, str, set[str]]] | None = None  # made when a role word is read
        self._states: list[Match] | None = None
        self.framing_at = sorted(self.phrases["framing"])
        self.formula_tokens = {q for i, j in self.phrases["formula"].items() for q in range(i, j)}
        self.clause_at = sorted({i for tid, i, _ in hits.get("clause", ())}
                                | set(self.phrases["clause"]))

    # token tests ------------------------------------------------------------------------

    def _fill(self, k: int) -> int:
        """Make token ``k``'s flags (for a token not read before)."""
        f = self.flags[k] = self._forms.get(self.words[k]) or self._forms.new(self.words[k], self.d.pats[k])
        return f

    def flag(self, k: int) -> int:
        """Token ``k``'s flags (``k`` from -1 to the number of tokens)."""
        return self.flags[k] or self._fill(k)

    def is_word(self, k: int) -> bool:
        return 0 <= k < self.n and self.flag(k) & _WORD != 0

    def kind_end(self, k: int, kind: str) -> int | None:
        """The end of a term of ``kind`` that starts at token ``k`` (one word or a phrase)."""
        if not (0 <= k < self.n and self.flag(k) & _BIT[kind]):
            return None
        return self.phrases[kind].get(k, k + 1) if kind in self.phrases else k + 1

    def has(self, k: int, kind: str) -> bool:
        return 0 <= k < self.n and self.flag(k) & _BIT[kind] != 0

    def clitic(self, k: int) -> str:
        """The proclitic letters of token ``k`` (as the actor or head reading takes them)."""
        pm = self.d.pats[k]
        if not pm:
            return ""
        n = min(pm.values())
        return self.m.normal_form(self.words[k])[:n]

    def prepositional(self, k: int) -> bool:
        """Whether token ``k`` carries ب، ل or ك (لشبكة، بالكرملين)."""
        return self.flag(k) & _PREPOSITIONAL != 0

    def definite(self, k: int) -> bool:
        """Whether token ``k`` carries the article, or is followed by a definite word."""
        if self.flag(k) & _DEFINITE:
            return True
        nxt = self.flag(k + 1)
        return nxt & (_WORD | _NEXT_DEFINITE | _STOP | _NOSUBJ) == _WORD | _NEXT_DEFINITE

    def head(self, k: int) -> str:
        """What kind of noun token ``k`` is, as the head of a subject phrase."""
        return _head_name(self.flag(k)) if 0 <= k < self.n else ""

    def own_words(self, k: int) -> bool:
        """``قوله``، ``تعبيره``: the speaker's own words, not a name."""
        return self.m.normal_form(self.words[k]).lstrip("وب") in _OWN_WORDS

    def all_quoted(self, lo: int, hi: int) -> bool:
        words = [k for k in range(lo, hi) if self.is_word(k)]
        return bool(words) and all(map(self.quoted.__getitem__, words))

    def in_phrase(self, k: int, lo: int) -> bool:
        """Whether token ``k`` stands in a prepositional phrase (مع نظيره الروسي X)."""
        p = k - 1
        while p >= lo and self.is_word(p) and (self.has(p, "title") or self.has(p, "descriptor")
                                               or any(g.i == p for g in self.d.gentilics)):
            p -= 1
        return p >= lo and (self.has(p, "preposition") or self.prepositional(p + 1))

    def refers_back(self, a: int) -> Match | None:
        """``الوزارة``، ``الوكالة``، ``الشركة``: the last body named with that noun first."""
        noun = self._bare(a)
        for m in reversed(self.actors[:bisect.bisect_left(self.actor_starts, a)]):
            if self.actor_type[m.key] in ("institution", "organisation", "media") and self._bare(m.i) == noun:
                return m
        return None

    def last_body(self, a: int) -> Match | None:
        """The last institution, organisation or outlet named before token ``a``."""
        for m in reversed(self.actors[:bisect.bisect_left(self.actor_starts, a)]):
            if self.actor_type[m.key] in ("institution", "organisation", "media"):
                return m
        return None

    def plural(self, k: int) -> bool:
        """Whether token ``k`` is a plural noun (``المسؤولون``، ``المصادر``)."""
        bare = self._bare(k)
        return bare.endswith(("ون", "ين")) or bare in _BROKEN_PLURALS

    def _bare(self, k: int) -> str:
        """Token ``k`` without the article (and a conjunction before it)."""
        form = self.m.normal_form(self.words[k])
        for article in ("وال", "فال", "بال", "لل", "ال"):
            if form.startswith(article) and len(form) - len(article) >= 2:
                return form[len(article):]
        return form

    def starts_bullet(self, lo: int) -> bool:
        return lo < self.n and self.words[lo] in _BULLETS

    def opens_quote(self, lo: int, hi: int) -> bool:
        return not _OPEN_QUOTES.isdisjoint(self.words[lo:hi])

    def surface(self, a: int, b: int) -> str:
        d = self.d
        return d.doc.text[d.starts[a]:d.ends[b - 1]] if b > a else ""

    def actors_in(self, a: int, b: int, *, behind_prepositions: bool = False) -> list[Match]:
        """Actor mentions that start in ``[a, b)``, without those behind ب/ل (بالكرملين)."""
        lo = bisect.bisect_left(self.actor_starts, a)
        hi = bisect.bisect_left(self.actor_starts, b)
        if behind_prepositions:
            return self.actors[lo:hi]
        flag = self.flag
        return [m for m in self.actors[lo:hi] if m.i == a or not flag(m.i) & _PREPOSITIONAL]

    def first_actor(self, a: int, b: int, *, prefer_person: bool, outside_phrases: bool = False
                    ) -> Match | None:
        found = self.actors_in(a, b)
        if outside_phrases:
            found = [m for m in found if not self.in_phrase(m.i, a)]
        persons = [m for m in found if self.actor_type[m.key] == "person"]
        return (persons or found or [None])[0] if prefer_person else (found or [None])[0]

    def cue_type(self, lo: int, hi: int, after: int) -> tuple[str, str]:
        """Type and word of the first statement cue in ``[after, hi)``, else in ``[lo, after)``."""
        d = self.d
        n = bisect.bisect_left(d.cues_at, after)
        if n < len(d.cues_at) and d.cues_at[n] < hi:
            return d.cue_keys[n], d.cue_words[n]
        n = bisect.bisect_left(d.cues_at, lo)
        if n < len(d.cues_at) and d.cues_at[n] < after:
            return d.cue_keys[n], d.cue_words[n]
        return "", ""

    def media_in(self, lo: int, hi: int) -> list[str]:
        """The outlets named in ``[lo, hi)`` (for a later ``الصحيفة``)."""
        lo_i = bisect.bisect_left(self.actor_starts, lo)
        hi_i = bisect.bisect_left(self.actor_starts, hi)
        return [m.key for m in self.actors[lo_i:hi_i] if self.actor_type[m.key] == "media"]

    # cues and clauses ---------------------------------------------------------------------

    def cues(self, lo: int, hi: int) -> list[tuple[int, str, object, int]]:
        """The statement cues of ``[lo, hi)`` that stand where a cue can: ``(k, kind, term, j)``."""
        d = self.d
        quoted = self.quoted
        out = []
        framing = self.framing_at
        if framing:
            spans = self.phrases["framing"]
            out += [(k, "framing", None, spans[k])
                    for k in framing[bisect.bisect_left(framing, lo):bisect.bisect_left(framing, hi)]
                    if not quoted[k]]
        pos = d.reporting_pos
        a = bisect.bisect_left(pos, lo)
        b = bisect.bisect_left(pos, hi, a)
        if a == b:
            return out
        framed = len(out)
        formula, reporting_at = self.formula_tokens, d.reporting_at
        for k in pos[a:b]:
            if quoted[k] or k in formula:
                continue
            for kind, term, j in reporting_at[k]:
                if j > hi:
                    continue
                if kind == "source" or self.verb_stands(k, term, lo, hi):
                    out.append((k, kind, term, j))
                    break
        if framed and len(out) > framed:
            out.sort(key=itemgetter(0))
        return out

    def verb_stands(self, k: int, term, lo: int, hi: int) -> bool:
        """Whether a verb form at ``k`` is a verb here, not a noun that looks like one."""
        verb = term.verb
        if verb is not None and verb.then and not self._then(k + 1, min(hi, k + _THEN_WINDOW), verb.then):
            return False
        if self.d.pats[k].get(term.pids[0], 0) > 0:
            return True
        prev = k - 1
        if prev < lo:
            return True
        before = self.flag(prev)
        if not before & _WORD:
            return True
        if term.tense == "participle":  # "معلومات مؤكدة عن" is an adjective
            return self._complement_follows(k + 1, hi)
        if term.tense == "present" and k - lo == 1:
            return True  # a headline's "X يؤكد …", whoever X is
        return (before & (_OPENER | _CLAUSE | _NOSUBJ | _HEADS) != 0
                or (self.flag(lo) & _PREP != 0 and k - lo <= _PRE_VERB_WINDOW)
                or any(m.j == k for m in self.actors_near(k)) or self.phrases["preposition"].get(prev) == k)

    def actors_near(self, k: int) -> list[Match]:
        i = bisect.bisect_left(self.actor_starts, k - 8)
        j = bisect.bisect_left(self.actor_starts, k)
        return self.actors[i:j]

    def _then(self, a: int, b: int, words: tuple[str, ...]) -> bool:
        forms, prefixes = _then_forms(self.m.normal_form, words)
        variants = self._forms.variants
        for k in range(a, min(b, self.n)):
            got = variants.get(self.words[k])
            if got is None:  # the word, without و/ف, and without the article (made once per word)
                form = self.m.normal_form(self.words[k])
                got = variants[self.words[k]] = (form, form.lstrip("وف"), self._bare(k))
            for f in got:
                if f in forms or (prefixes and f.startswith(prefixes)):
                    return True
        return False

    def _complement_follows(self, a: int, hi: int) -> bool:
        """Whether a clause (أن، إن، a colon, a quotation) follows a participle at once."""
        for k in range(a, min(hi, a + 3)):
            if not self.is_word(k):
                if self.words[k] in ':"«“':
                    return True
                continue
            return self.m.normal_form(self.words[k]).lstrip("وب") in _THAT
        return False

    def clause_starts(self, lo: int, hi: int, cues: list) -> list[int]:
        """Where the clauses of ``[lo, hi)`` begin: ``lo``, clause openers, ``، و+verb``, ``؛``."""
        at = self.clause_at
        i = bisect.bisect_left(at, lo + 1)
        j = bisect.bisect_left(at, hi, i)
        if i == j and len(cues) == 1:
            return [lo]
        starts = {lo}
        starts.update(k for k in at[i:j] if not self.quoted[k])
        for k, _, _, _ in cues[1:]:  # the first cue's clause holds its subject
            if k > lo and self.words[k - 1] in _CLAUSE_MARKS:
                starts.add(k)
        return sorted(starts)

    # subject phrases -------------------------------------------------------------------------

    def _skip_fillers(self, p: int, hi: int, *, source: bool = False) -> int | None:
        """The first token after ``p`` that may begin a subject; None when none can."""
        words, flags = self.words, self.flags
        fill = self._fill
        while p < hi:
            f = flags[p] or fill(p)
            if not f & _WORD:
                if words[p] in _PUNCT_SKIP:
                    p += 1
                    continue
                if words[p] in _OPEN_QUOTES and p + 1 < hi and p + 1 in self.actor_at:
                    p += 1
                    continue
                return None
            if f & _STOP or f & _CLAUSE and p + 1 < hi:
                return None
            if f & _NOSUBJ and p not in self.actor_at:
                p = self.phrases["nosubj"].get(p, p + 1)
                continue
            if (f & _PREP or f & _PREPOSITIONAL and not source) and p not in self.person_starts:
                q = self.phrases["preposition"].get(p, p + 1) if f & _PREP else p + 1
                while q < hi and words[q] not in _COMMAS and not (flags[q] or fill(q)) & _STOP \
                        and words[q] not in ':"«“':
                    q += 1
                if q < hi and words[q] in _COMMAS:
                    p = q + 1
                    continue
                return None
            return p
        return None

    def np_after(self, k: int, hi: int, *, source: bool = False) -> tuple[int, int] | None:
        """The subject phrase after the cue at ``k``: ``(a, b)`` tokens, or None."""
        a = self._skip_fillers(k + 1, hi, source=source)
        if a is None:
            return None
        return a, self._np_end(a, hi)

    def _np_end(self, a: int, hi: int) -> int:
        words, flags = self.words, self.flags
        fill = self._fill
        head = _head_name(flags[a] or fill(a))
        statement = head == "statement"
        long_head = head in ("descriptor", "title", "anonymous", "media", "statement")
        limit = 14 if long_head else self.cb.subject_window
        actor_at, person_starts, reporting_at = self.actor_at, self.person_starts, self.d.reporting_at
        b, seen, person = a, 0, False
        while b < hi:
            f = flags[b] or fill(b)
            if not f & _WORD:
                w = words[b]
                if w in _COMMAS:
                    if not person and b + 1 in person_starts:
                        b += 1
                        continue
                    break
                if w in '"«»“”()' and (b + 1 in actor_at or b > a):
                    b += 1
                    continue
                break
            if b > a and (f & _MAY_END or b in reporting_at):
                if (f & (_STOP | _CLAUSE) or b in reporting_at) and not (statement and self._issued_by(b)):
                    break
                if b not in actor_at and (f & (_RELATIVE | _BARE_B) or f & _CLITIC_B and not f & _HEADS):
                    break
            if b in person_starts:
                person = True
                b = max(b + 1, actor_at[b].j)
                seen += 1
                continue
            seen += 1
            if seen > limit:
                break
            b += 1
        while b > a + 1 and not (flags[b - 1] or fill(b - 1)) & _WORD:
            b -= 1
        return max(b, a + 1)

    def named_in_phrase(self, k: int, hi: int) -> tuple[int, int] | None:
        """Who a verb without a subject names in a phrase after it: ``في بيان للكرملين``،
        ``في بيان صادر عن X``، ``على لسان X``، ``من قبل X`` (a passive's agent)."""
        for q in range(k + 1, min(hi, k + _PRE_VERB_WINDOW)):
            if self.is_word(q) and self.has(q, "stop") and not self._issued_by(q):
                form = self.m.normal_form(self.words[q])
                if form not in ("على", "من"):
                    return None  # the complement begins
            if self.has(q, "statement") and not self.has(q, "stop"):
                span = (q, self._np_end(q, hi))
                if any(q < m.i < span[1] for m in self.actors):
                    return span
            form = self.m.normal_form(self.words[q])
            if form in ("لسان", "قبل") and q + 1 in self.actor_at:
                m = self.actor_at[q + 1]
                return m.i, m.j
        return None

    def _issued_by(self, b: int) -> bool:
        """``بيان صادر عن X``: عن or من right after صادر/الصادر, before the issuer."""
        form = self.m.normal_form(self.words[b])
        prev = self.m.normal_form(self.words[b - 1]) if b else ""
        return form in ("عن", "من") and prev.lstrip("ال").startswith("صادر")

    def np_before(self, c0: int, k: int) -> tuple[int, int] | None:
        """The subject phrase that opens the clause before the verb at ``k``, or None."""
        flags, formula = self.flags, self.formula_tokens
        fill = self._fill
        p = c0
        while p < k:
            f = flags[p] or fill(p)
            if f & (_WORD | _OPENER | _CLAUSE | _STOP) == _WORD and p not in formula:
                break
            p = self.phrases["clause"].get(p, p + 1) if f & _WORD else p + 1
        if p >= k or k - p > _PRE_VERB_WINDOW:
            return None
        f = flags[p] or fill(p)
        if f & (_PREP | _PREPOSITIONAL | _FORMULA) or not f & _HEADS and p not in self.actor_at:
            return None
        b = k
        while b > p and (flags[b - 1] or fill(b - 1)) & (_WORD | _OPENER) != _WORD:
            b -= 1
        if any((flags[q] or fill(q)) & _STOP for q in range(p + 1, b)):
            return None
        return (p, b) if b > p else None

    def subject_first(self, c0: int, k: int) -> bool:
        """Whether the clause opens with one or two words right before the verb at ``k``
        that could be its subject (no conjunction, preposition or opener among them)."""
        flags = self.flags
        fill = self._fill
        words = [q for q in range(c0, k) if (flags[q] or fill(q)) & _WORD]
        return (0 < len(words) <= 2 and words[-1] == k - 1 and not self.flag(words[0]) & _CLITIC
                and not any((flags[q] or fill(q)) & _NOT_SUBJECT_FIRST for q in words))

    def main_subject(self, lo: int, k: int) -> tuple[int, int] | None:
        """The subject of a sentence's first clause, for a participle later in it."""
        flags = self.flags
        fill = self._fill
        for p in range(lo, k):
            if p in self.actor_at or (flags[p] or fill(p)) & _HEADS and self.head(p) in (
                    "descriptor", "title", "media", "anonymous"):
                if (flags[p] or fill(p)) & _PREPOSITIONAL or p > 0 and (flags[p - 1] or fill(p - 1)) & _PREP:
                    continue
                return p, self._np_end(p, k)
        return None

    def after_word(self, k: int, hi: int, word: str) -> tuple[int, int] | None:
        """The phrase after ``word`` (عن، إلى) following the relay verb at ``k``."""
        target = self.m.normal_form(word)
        for q in range(k + 1, min(hi, k + 12)):
            if self.m.normal_form(self.words[q]) == target:
                a = self._skip_fillers(q + 1, hi, source=True)
                return (a, self._np_end(a, hi)) if a is not None else None
        return None

    def relayed(self, k: int, hi: int) -> tuple[str, tuple[int, int]] | None:
        """After an outlet's verb: ``نقلا عن X``، ``أنه صرح X``، ``بأن مصدرين قالا`` — X speaks."""
        start = None
        for q in range(k + 1, hi):
            if self.quoted[q]:
                continue
            if start is None and self.has(q, "stop"):
                start = q + 1
            for kind, term, j in self.d.reporting_at.get(q, ()):
                if kind == "source" and self.surface(q, j).endswith("عن"):
                    a = self._skip_fillers(j, hi, source=True)
                    return ("relayed", (a, self._np_end(a, hi))) if a is not None else None
                if kind == "verb" and term.tense != "participle" and start is not None:
                    span = self.np_before(start, q) or self.np_after(q, hi)
                    if span is not None and any(self.actor_type[m.key] == "person"
                                                for m in self.actors_in(*span)) or (
                            span is not None and self.head(span[0]) == "anonymous"):
                        return "relayed", span
                    return None
        return None

    def statement_after(self, j: int, hi: int) -> tuple[int, int] | None:
        """``وجاء في بيان X``: the statement phrase after a framing phrase."""
        p = j
        while p < hi and not self.is_word(p):
            p += 1
        if p < hi and self.has(p, "statement"):
            return p, self._np_end(p, hi)
        return None

    def colon_subject(self, lo: int, hi: int) -> tuple[int, int] | None:
        """``X: …`` at the start of a paragraph: the phrase before the colon."""
        words = self.words
        lo = self._after_tag(lo, hi)
        first = next((k for k in range(lo, hi) if self.is_word(k)), None)
        if first is None or not (first in self.actor_at or self.head(first)):
            return None
        covered = set()
        for m in self.actors + self.d.gentilics:
            covered.update(range(m.i, m.j))
        loose = 0  # words that are no name, title or preposition: "من أوكرانيا" may have one
        for c in range(first + 1, min(hi, first + _COLON_WINDOW)):
            if words[c] == ":":
                nxt = next((q for q in range(c + 1, hi) if self.is_word(q)), None)
                if nxt is not None and nxt in self.d.reporting_at:
                    return None  # "موسكو: قال …" is a dateline
                return first, c
            if c in self.d.reporting_at or (not self.is_word(c) and words[c] not in '"«»“”()-–،,'):
                return None
            if self.is_word(c) and c not in covered and not (
                    self.head(c) or self.has(c, "preposition") or self.prepositional(c)
                    or self.has(c, "stop") or self.m.normal_form(words[c]) in ("و", "من")):
                loose += 1
                if loose > 1:
                    return None
        return None

    def _after_tag(self, lo: int, hi: int) -> int:
        """The first token after a bracketed tag opening a headline (``(فيديو)``، ``[صور]``)."""
        if lo >= hi or self.words[lo] not in "([":
            return lo
        close = ")" if self.words[lo] == "(" else "]"
        for c in range(lo + 1, min(hi, lo + _TAG_WINDOW)):
            if self.words[c] == close:
                return c + 1
        return lo

    # roles ------------------------------------------------------------------------------------

    def pronoun_before(self, k: int) -> bool:
        """Whether the word before ``k`` carries the verb's subject (لكنه جدد: he renewed)."""
        return k > 0 and self.flag(k - 1) & (_WORD | _HE) == _WORD | _HE

    def _stem(self, k: int) -> str:
        """Token ``k`` without its clitics, the article and an inflection ending (made once per word)."""
        stem = self._forms.stems.get(self.words[k])
        if stem is None:
            stem = self._forms.stems[self.words[k]] = self._make_stem(k)
        return stem

    def _make_stem(self, k: int) -> str:
        form = self.m.normal_form(self.words[k])
        clitic = self.clitic(k)
        if clitic and form.startswith(clitic) and len(form) - len(clitic) >= 2:
            form = form[len(clitic):]
        if form.startswith("ال") and len(form) > 4:
            form = form[2:]
        for ending in ("ين", "ون", "ان", "ات", "ه", "ا"):
            if form.endswith(ending) and len(form) - len(ending) >= 3:
                return form[: -len(ending)]
        return form

    def _keys(self, a: int, b: int) -> set[str]:
        """What a stretch of words says of a role: the stems of its words and the actors in it."""
        keys = {self._stem(k) for k in range(max(a, 0), min(b, self.n)) if self.is_word(k)}
        starts = self.actor_starts
        for m in self.actors[bisect.bisect_left(starts, a):bisect.bisect_left(starts, b)]:
            keys.add("@" + m.key)
        for m in self.d.gentilics:
            if a <= m.i < b:
                keys.add("@" + m.key)
        return keys

    def _role_signatures(self) -> list[tuple[int, str, set[str]]]:
        """For each person named, the role words around the name: ``(token, actor, keys)``."""
        out = []
        words = self.words
        for m in self.actors:
            if self.actor_type[m.key] != "person":
                continue
            a = m.i
            while a > 0 and m.i - a < _ROLE_CONTEXT and self.is_word(a - 1) \
                    and a - 1 not in self.d.reporting_at and not self.has(a - 1, "stop"):
                a -= 1
            keys = self._keys(a, m.j) if a < m.i or m.rule.startswith("role:") else set()
            if m.rule.startswith("role:"):
                keys |= self._keys(m.i, m.j)
            if m.j < self.n and words[m.j] in _COMMAS | {"؛"}:
                b = m.j + 1
                while b < self.n and b - m.j <= _ROLE_CONTEXT + 4 and words[b] not in _COMMAS | {".", "؛"} \
                        and not self.has(b, "stop"):
                    b += 1
                keys |= self._keys(m.j + 1, b)
            out.append((m.i, m.key, keys))
        return out

    def names_a_body(self, a: int, b: int) -> bool:
        """Whether a role phrase puts a word between its role word and a gentilic (رئيس البرلمان الإيراني)."""
        if self._states is None:
            self._states = [m for m in self.actors if self.actor_type[m.key] == "state"]
        return any(a + 1 < g.i < b for g in self.d.gentilics + self._states)

    def appositive(self, b: int) -> tuple[Match | None, bool]:
        """A personal name set right after a subject phrase ending at ``b``: ``(person, named)``.

        ``، علي أكبر صالحي،`` (between commas) or a person named directly at ``b``. ``named`` is
        true when a name stands there, known to the codebook (``person``) or not (``None``).
        """
        start = b + 1 if b < self.n and self.words[b] in _COMMAS else b
        if start in self.person_starts:
            return self.actor_at[start], True
        if start == b:
            return None, False
        e = start
        while e < self.n and self.is_word(e) and e - start < 5 and self.words[e] not in _COMMAS:
            e += 1
        if not (start < e < self.n and e - start <= 4 and self.words[e] in _COMMAS):
            return None, False
        for k in range(start, e):
            form = self.m.normal_form(self.words[k])
            if form.startswith("ال") or k in self.d.reporting_at or self.d.pats[k].kinds \
                    or self.has(k, "stop"):
                return None, False
        return None, True

    def role_holder(self, a: int, b: int) -> str | None:
        """The person with the role ``[a, b)`` names, named last before ``a``, else first after."""
        if not (self.has(a, "descriptor") or self.has(a, "title")):
            return None
        # the role word, and each actor or gentilic after it (as written, or as the actor); a body
        # inside the role ("رئيس منظمة الطاقة الذرية الإيرانية") must be the holder's own, and each
        # other word before the last of them too ("رئيس البرلمان الإيراني" is not "الرئيس الإيراني")
        want: list[set[str]] = [{self._stem(a)}]
        whole: list[tuple[str, set[str]]] = []
        inside = sorted((m for m in self.actors + self.d.gentilics if a < m.i < b), key=lambda m: m.i)
        covered = {k for m in inside for k in range(m.i, m.j)}
        for m in inside:
            stems = {self._stem(k) for k in range(m.i, m.j) if self.is_word(k)}
            if m in self.d.gentilics or self.actor_type.get(m.key) == "state":
                want.append({"@" + m.key} | stems)
            else:
                whole.append(("@" + m.key, stems))
        last = inside[-1].i if inside else a
        want += [{self._stem(k)} for k in range(a + 1, last) if k not in covered and self.is_word(k)]

        def fits(keys: set[str]) -> bool:
            return all(alts & keys for alts in want) and all(
                key in keys or stems <= keys for key, stems in whole)

        if self._roles is None:
            self._roles = self._role_signatures()
        before = [(i, key) for i, key, keys in self._roles if i < a and fits(keys)]
        if before:
            return before[-1][1]
        after = [(i, key) for i, key, keys in self._roles if i >= b and fits(keys)]
        return after[0][1] if after else None
