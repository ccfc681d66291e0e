"""Attribution: who is speaking in each sentence, how sure the workbench is, and why.

A sentence is cut into clauses at the words that open one (``فيما``، ``حيث``، ``كما`` …)
and at a comma before a reporting verb. In each clause the first cue outside quotations
and outside the complement of an earlier cue (the words after its ``أن``) decides:

- a **reporting verb**, found by root and form (past, present, feminine, plural, and the
  circumstantial participle ``مؤكدا``), anywhere in its clause — after a fronted phrase
  (``وخلال اللقاء أعرب X``) too. Its subject is the noun phrase before it when the clause
  opens with one (``X يحذر Y``، ``وكان X قد أعلن``), else the phrase after it, skipping
  adverbs and prepositional phrases (``قال للصحفيين``، ``في مقابلة مع شبكة …``);
- a **relay**: ``نقلت الوكالة عن X قوله`` → X; a medium whose report is someone else's
  statement (``أفادت وكالة …، أنه صرح X``، ``ذكرت القناة نقلا عن X``) → that someone;
- a **source cue**: ``وفق X``، ``بحسب X`` → X, unless a verb later in the sentence has a
  subject of its own (``وبحسب الوكالة، صرح X`` → X, the rule naming the source);
- a **headline colon**: ``X: …``، ``X من مكان: …``، ``X لـقناة: …`` at the start of a
  paragraph → X;
- a **framing phrase**: ``جاء ذلك في كلمة ألقاها X`` → X, else the speaker before.

A subject phrase names its speaker by, in this order: a person in it (``وزير الخارجية
الأميركي ماركو روبيو`` is Rubio, not the United States); a statement noun (``البيان``،
``بيان الخارجية``) → the body that issued it, named there or earlier; an anonymous head
(``مصادر``، ``مسؤول أمريكي``) → ``unnamed_source``; a media head (``وكالة``، ``صحيفة``) →
the outlet (an actor of type ``media``) or, as ``الصحيفة``, the last outlet named; a bare
role word (``الوزير``، ``المتحدث باسم الوزارة``، ``الدبلوماسي الأرجنتيني``) → the person
named earlier (or, failing that, later) with that role, else the speaker before; an
institution, organisation or outlet in it; a state only when the phrase begins with it
or with a word for its government (``الحكومة الأمريكية``; a bare ``الحكومة`` is the state
that spoke before). Officials in the plural (``المسؤولون الأمريكيون``) and a bare
``المسؤول`` with no person named before are ``unnamed_source`` (the rule says
``refers-back``: such a statement goes on with the topic of the one before). A phrase that names nobody
(``قال محللون``) gives no speaker. A verb with no subject of its own (``وأضاف``،
``وتابع``، ``قائلا``) carries over the speaker before it; an actor named in the same
sentence beats that. A sentence inside a quotation that began earlier, a bullet line
under a statement, or a paragraph that goes on with a sentence the paragraph before left
open at a comma, keeps that statement's speaker.

Every decision has a ``confidence`` (see :data:`CONFIDENCE`) and its evidence in
``speaker_rule`` as ``key=value`` pairs: ``verb=قال subject=الكرملين``,
``verb=أضاف carried=putin``, ``source=وفق via=kremlin subject=بوتين verb=لفت``,
``relay=نقلت subject=الوزير role=blinken``, ``colon=: subject=لافروف``,
``statement=البيان issuer=tur_presidency``. The statement type is the verb's own (أعلن →
announcement; ``type=verb``, confidence 0.7) or that of the first statement cue, or verb
with a type, after the decisive cue (``type=cue:قلق*``, confidence 0.3;
:data:`TYPE_CONFIDENCE`: how often each was the coders' type on the development set)
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from itertools import compress
from operator import attrgetter, not_
from typing import NamedTuple

from .matching import DocMatches, DocumentMatcher, Match
from .phrases import DocumentView, FormFlags

__all__ = ["Attributor", "Decision", "CONFIDENCE", "REFERS_BACK", "UNNAMED_SOURCE"]

#: The actor id of anonymous sources (مصادر مطلعة، مسؤول أمريكي).
UNNAMED_SOURCE = "unnamed_source"

#: The rule's mark of an anonymous source met before and named again with the article
#: ("وقال المسؤول"): it goes on with the statement before it (its topic too).
REFERS_BACK = "refers-back"

#: How sure each kind of decision is: the speaker's ``confidence``.
CONFIDENCE = {
    "none": 1.0,  # no statement cue at all: no speaker
    "furniture": 1.0,  # page furniture: no speaker
    "explicit": 0.95,  # a reporting verb and its named subject
    "colon": 0.9,  # a headline "X: …"
    "media": 0.9,  # an outlet as the subject
    "relay": 0.9,  # "نقلت الوكالة عن X قوله"
    "source": 0.85,  # "وفق X"
    "state": 0.8,  # a state as the subject
    "unnamed": 0.8,  # an anonymous source
    "statement": 0.8,  # a statement noun with its issuer in the same phrase
    "participle": 0.75,  # a circumstantial participle: the sentence's subject
    "carried": 0.7,  # a verb without a subject: the speaker of the statement just before
    "issuer": 0.7,  # a statement noun whose issuer was named earlier
    "framing": 0.7,  # "جاء ذلك في كلمة ألقاها X"
    "quote": 0.7,  # a sentence inside a quotation that began earlier
    "role": 0.65,  # a bare role word resolved to the last holder named
    "carried_far": 0.6,  # carried over from more than a paragraph back, or a bullet line
    "descriptor": 0.55,  # a bare descriptor resolved to the speaker before
    "fuzzy": 0.45,  # the subject is a near-miss spelling of a name
    "no_subject": 0.3,  # a cue, but no speaker found
}
#: Confidence of a statement type (``type=`` in ``speaker_rule``): the reporting verb's own,
#: or a later cue word's; measured, not guessed (see the README).
TYPE_CONFIDENCE = {"verb": 0.7, "cue": 0.3}


class Decision(NamedTuple):
    """The automatic speaker decision of one sentence."""

    speaker: str
    statement_type: str
    rule: str
    confidence: float
    at: int = -1  # the token of the cue that decided (-1: none)


class _Found(NamedTuple):
    """A speaker found for a clause: ``explicit`` when the sentence names it."""

    speaker: str
    rule: str
    confidence: float
    explicit: bool
    at: int  # the token the statement type is looked for after
    verb_type: str = ""


_KEY = attrgetter("key")
_SENTENCE = attrgetter("sentence")
_NONE = Decision("", "", "", CONFIDENCE["none"])
#: How a paragraph ends when its sentence goes on in the next one.
_GOES_ON = ("،", ",")


@dataclass
class _State:
    """What attribution remembers while it walks through a document."""

    last: str = ""  # the last speaker
    last_paragraph: int = -1
    last_person: str = ""
    issuers: list = field(default_factory=list)  # actors that issued statements, in order
    media: list = field(default_factory=list)  # outlets named (those after state.hi not yet), in order
    media_at: list = field(default_factory=list)  # the token each starts at
    hi: int = 0  # the end of the sentence being read
    quote_speaker: str = ""  # the speaker of a quotation still open
    quotes_go_on: bool = True  # whether a quotation goes on over sentences (then who opened it matters)


class Attributor:
    """Decides the speaker, statement type, confidence and rule of each sentence.

    Parameters
    ----------
    dm : DocumentMatcher
        The matcher the documents are scanned with.
    """

    def __init__(self, dm: DocumentMatcher):
        self.dm = dm
        self.m = dm.m
        self.cb = dm.cb
        self.actor_type = dm.actor_type
        self.has_unnamed = UNNAMED_SOURCE in dm.actor_order
        self.forms = FormFlags(dm)
        self._is_media = {key: kind == "media" for key, kind in self.actor_type.items()}
        self._persons = frozenset(key for key, kind in self.actor_type.items() if kind == "person")
        self._furniture: dict[str, Decision] = {}  # furniture kind -> its decision (one object)

    # --- the document -----------------------------------------------------------------

    def document(self, d: DocMatches, actors: list[Match], *, quoted: list[bool],
                 furniture: list[str], body_from: dict[int, int],
                 continued: set[int]) -> list[Decision]:
        """One decision per sentence of a scanned document.

        Parameters
        ----------
        d : DocMatches
            The scanned document.
        actors : list of Match
            Its actor mentions (:meth:`DocumentMatcher.actors`).
        quoted : list of bool
            For each token, whether it lies inside a quotation (its cues are the quoted
            speaker's, not the sentence's).
        furniture : list of str
            The furniture kind of each paragraph (``""`` for body text).
        body_from : dict
            Paragraph → the first token after a dateline glued to its start.
        continued : set of int
            Sentences that lie inside a quotation begun in an earlier sentence.

        Returns
        -------
        list of Decision
        """
        x = DocumentView(self.dm, d, actors, quoted, forms=self.forms)
        sentences, bounds = d.doc.sentences, d.bounds
        out = [_NONE] * len(sentences)
        state = _State(quotes_go_on=bool(continued))
        media = list(compress(actors, map(self._is_media.__getitem__, map(_KEY, actors))))
        if media:
            state.media_at, state.media = self._media(d, media, furniture, body_from)
        cued = self._cued(d, x)
        persons = self._persons
        sentence = self._sentence
        for n in sorted(cued.union(continued, self._firsts(d, furniture))):
            s = sentences[n]
            para = s.paragraph
            kind = furniture[para]
            if kind:
                out[n] = self._furniture.get(kind) or self._furniture.setdefault(
                    kind, Decision("", "", f"furniture={kind}", CONFIDENCE["furniture"]))
                continue
            lo, hi = bounds[n]
            first = not s.sentence
            if first and body_from:
                lo = max(lo, body_from.get(para, lo))
            state.hi = hi
            colon = ":" in s.text
            is_cued = n in cued
            goes_on = n in continued
            if is_cued or goes_on or colon or state.last and para - state.last_paragraph <= 1:
                decision = sentence(x, state, lo, hi, para, first, goes_on, colon, is_cued)
            else:  # a paragraph's first sentence, no cue, no headline colon, no statement to go on
                decision = _NONE
            if decision is _NONE:
                if n and first and out[n - 1].speaker and sentences[n - 1].text.rstrip().endswith(_GOES_ON):
                    # "أعرب الأمين العام،" / "بشدة عن أسفه …": one sentence cut over two paragraphs
                    decision = Decision(out[n - 1].speaker, "", f"sentence-continues={out[n - 1].speaker}",
                                        CONFIDENCE["carried"], lo)
                else:
                    continue
            out[n] = decision
            speaker = decision.speaker
            if speaker:
                state.last, state.last_paragraph = speaker, para
                if speaker in persons:
                    state.last_person = speaker
        return out

    # Only three kinds of sentence may hold a statement: one with a cue (a reporting verb, a
    # source cue, a framing phrase), a paragraph's first (a headline, a bullet, a quotation going
    # on) and one inside a quotation begun earlier. Every other has no speaker: document() reads
    # only these, with those of page furniture.

    @staticmethod
    def _cued(d: DocMatches, x: DocumentView) -> set[int]:
        """The sentences with a cue in them."""
        tok_sentence = d.tok_sentence
        found = set(map(tok_sentence.__getitem__, d.reporting_pos))
        found.update(map(tok_sentence.__getitem__, x.framing_at))
        return found

    @staticmethod
    def _firsts(d: DocMatches, furniture: list[str]) -> list[int]:
        """The first sentence of each paragraph, and every sentence of page furniture."""
        sentences = d.doc.sentences
        firsts = compress(range(len(sentences)), map(not_, map(_SENTENCE, sentences)))
        if not any(furniture):
            return list(firsts)
        return [n for n, s in enumerate(sentences) if s.sentence == 0 or furniture[s.paragraph]]

    @staticmethod
    def _media(d: DocMatches, media: list[Match], furniture: list[str], body_from: dict[int, int]
               ) -> tuple[list[int], list[str]]:
        """The outlets a later ``الصحيفة`` may mean: those named outside page furniture and
        outside a dateline, with the token each starts at."""
        at, keys = [], []
        sentences = d.doc.sentences
        for m in media:
            s = sentences[d.tok_sentence[m.i]]
            if not furniture[s.paragraph] and (s.sentence or m.i >= body_from.get(s.paragraph, 0)):
                at.append(m.i)
                keys.append(m.key)
        return at, keys

    def _sentence(self, x: DocumentView, state: _State, lo: int, hi: int, para: int, first: bool,
                  continued: bool, colon: bool, cued: bool) -> Decision:
        """The decision for the sentence of tokens ``[lo, hi)`` (``colon``: whether its text
        has one, as a headline ``X: …`` needs; ``cued``: whether a cue may stand in it)."""
        found: _Found | None = None
        if first and colon:
            found = self._colon(x, state, lo, hi)
        if found is None and cued:
            found = self._clauses(x, state, lo, hi, para)
        if found is None:
            if continued and state.quote_speaker:
                return Decision(state.quote_speaker, "", f"quote-continues={state.quote_speaker}",
                                CONFIDENCE["quote"], lo)
            if first and x.starts_bullet(lo) and state.last and para - state.last_paragraph <= 1:
                return Decision(state.last, "", f"bullet carried={state.last}", CONFIDENCE["carried_far"], lo)
            if first and state.last and para - state.last_paragraph <= 1 and lo < hi and (
                    x.quoted[lo] or not x.is_word(lo)) and x.all_quoted(lo, hi):
                return Decision(state.last, "", f"quote carried={state.last}", CONFIDENCE["carried_far"], lo)
            return _NONE
        if not found.speaker:
            return Decision("", "", found.rule, found.confidence)
        if found.verb_type:
            stype, by = found.verb_type, "verb"
        else:
            stype, cue = x.cue_type(lo, hi, found.at)
            by = f"cue:{cue}"
        rule = found.rule + (f" type={by}" if stype else "")
        if state.quotes_go_on and x.opens_quote(lo, hi):
            state.quote_speaker = found.speaker
        issuer_type = self.actor_type.get(found.speaker)
        if found.explicit and issuer_type in ("institution", "organisation", "media", "state"):
            state.issuers.append(found.speaker)
        return Decision(found.speaker, stype, rule, found.confidence, found.at)

    # --- clauses ----------------------------------------------------------------------

    def _clauses(self, x: DocumentView, state: _State, lo: int, hi: int, para: int) -> _Found | None:
        """The speaker of the first clause that names one, else of the first that carries one."""
        cues = x.cues(lo, hi)
        if not cues:
            return None
        starts = x.clause_starts(lo, hi, cues)
        if len(starts) == 1:  # one clause: its first cue that decides anything
            for k, kind, term, j in cues:
                got = self._cue(x, state, k, kind, term, j, lo, hi, lo, hi, para)
                if got is not None:
                    return got
            return None
        carried: _Found | None = None
        failed: _Found | None = None
        for c, c_start in enumerate(starts):
            c_end = starts[c + 1] if c + 1 < len(starts) else hi
            for k, kind, term, j in cues:
                if not c_start <= k < c_end:
                    continue
                if carried is not None and term is not None and term.tense == "participle":
                    break  # a participle goes with the clause before it
                got = self._cue(x, state, k, kind, term, j, c_start, c_end, lo, hi, para)
                if got is None:
                    continue
                if got.speaker and got.explicit:
                    return got
                if got.speaker and carried is None:
                    carried = got
                elif not got.speaker and failed is None:
                    failed = got
                break  # one cue per clause
        return carried or failed

    def _cue(self, x: DocumentView, state: _State, k: int, kind: str, term, j: int, c0: int, c1: int,
             lo: int, hi: int, para: int) -> _Found | None:
        if kind == "source":
            return self._source(x, state, k, term.written, j, c1, lo, hi)
        if kind == "framing":
            return self._framing(x, state, k, j, c1, para)
        verb = term.verb
        if verb is not None and verb.relay:
            got = self._relay(x, state, k, term, c1)
            if got is not None:
                return got
        if term.tense == "participle":
            return self._participle(x, state, k, term, lo, c1, para)
        return self._verb(x, state, k, term, c0, c1, para)

    def _verb(self, x: DocumentView, state: _State, k: int, term, c0: int, c1: int, para: int) -> _Found:
        """A reporting verb: its subject before it, or after it, or carried over."""
        verb = term.written
        vtype = term.key
        if x.pronoun_before(k):  # "لكنه جدد": the subject is the pronoun
            return self._carry(state, para, f"verb={verb}", k, vtype)
        before = x.np_before(c0, k)
        if before is not None:
            who = self._resolve(x, state, *before)
            if who is not None:
                speaker, how, conf = who
                rule = f"verb={verb} subject-before={how}"
                return self._through(x, state, _Found(speaker, rule, conf, True, k, vtype), k, c1)
        if term.tense == "present" and x.subject_first(c0, k):
            # "الغرب يرفض اقتراح ماكرون": the words before a present verb are its subject,
            # whoever they name; what follows is the object
            return _Found("", f"verb={verb} subject-before={x.surface(c0, k)} (no actor)",
                          CONFIDENCE["no_subject"], True, k)
        after = x.np_after(k, c1)
        if after is not None and after[0] in x.d.reporting_at:
            after = None  # "وأضاف قائلا …": the participle is no subject
        if after is not None:
            who = self._resolve(x, state, *after)
            if who is None:
                return _Found("", f"verb={verb} subject={x.surface(*after)} (no actor)",
                              CONFIDENCE["no_subject"], True, k)
            speaker, how, conf = who
            rule = f"verb={verb} subject={how}"
            return self._through(x, state, _Found(speaker, rule, conf, True, k, vtype), k, c1)
        agent = x.named_in_phrase(k, c1)  # "أُعلن في بيان للكرملين"، "على لسان X"
        if agent is not None:
            who = self._resolve(x, state, *agent)
            if who is not None:
                speaker, how, conf = who
                return _Found(speaker, f"verb={verb} named={how}", min(conf, CONFIDENCE["issuer"]), True, k,
                              vtype)
        fronted = self._fronted_statement(x, state, c0, k)  # "وفي بيان صادر عن X، أُعلن أن"
        if fronted is not None:
            speaker, how, conf = fronted
            return _Found(speaker, f"verb={verb} fronted={how}", conf, True, k, vtype)
        return self._carry(state, para, f"verb={verb}", k, vtype)

    def _fronted_statement(self, x: DocumentView, state: _State, c0: int, k: int
                           ) -> tuple[str, str, float] | None:
        """A statement noun with its issuer fronted before a verb with no subject of its own."""
        for a in range(c0, k):
            if x.head(a) == "statement":
                inside = x.actors_in(a, k, behind_prepositions=True)
                if any(self.actor_type[m.key] != "state" or m.i > a for m in inside):
                    return self._statement(x, state, a, k, inside)
        return None

    def _carry(self, state: _State, para: int, cue: str, k: int, vtype: str = "") -> _Found:
        if not state.last:
            return _Found("", f"{cue} (no subject)", CONFIDENCE["no_subject"], False, k)
        near = para - state.last_paragraph <= 1
        conf = CONFIDENCE["carried" if near else "carried_far"]
        return _Found(state.last, f"{cue} carried={state.last}", conf, False, k, vtype)

    def _through(self, x: DocumentView, state: _State, got: _Found, k: int, c1: int) -> _Found:
        """An outlet (or a report) that relays someone else's statement: that someone."""
        if self.actor_type.get(got.speaker) != "media":
            return got
        inner = x.relayed(k, c1)
        if inner is None:
            return got
        who = self._resolve(x, state, *inner[1])
        if who is None:
            return got
        speaker, how, conf = who
        state.issuers.append(got.speaker)
        return _Found(speaker, f"{got.rule} via={got.speaker} {inner[0]}={how}",
                      min(conf, CONFIDENCE["relay"]), True, k, got.verb_type)

    def _relay(self, x: DocumentView, state: _State, k: int, term, c1: int) -> _Found | None:
        """``نقلت الوكالة عن X قوله``، ``نسبت الوكالة إلى X قوله`` → X."""
        span = x.after_word(k, c1, term.verb.relay)
        if span is None:
            return None
        who = self._resolve(x, state, *span)
        if who is None:
            return None
        speaker, how, conf = who
        return _Found(speaker, f"relay={term.written} subject={how}",
                      min(conf, CONFIDENCE["relay"]), True, k, term.key)

    def _participle(self, x: DocumentView, state: _State, k: int, term, lo: int, c1: int,
                    para: int) -> _Found:
        """``…، مؤكدا أن``: the speaker is the sentence's subject, or the one before."""
        span = x.main_subject(lo, k)
        if span is not None:
            who = self._resolve(x, state, *span)
            if who is not None:
                speaker, how, conf = who
                return _Found(speaker, f"participle={term.written} subject={how}",
                              min(conf, CONFIDENCE["participle"]), True, k, term.key)
        return self._carry(state, para, f"participle={term.written}", k, term.key)

    def _source(self, x: DocumentView, state: _State, k: int, cue: str, j: int, c1: int, lo: int, hi: int
                ) -> _Found | None:
        """``وفق X``: X, or the subject of a verb later in the sentence (X as ``via``)."""
        span = x.np_after(j - 1, hi, source=True)
        if span is not None and x.own_words(span[0]):  # "وبحسب قوله": the speaker before
            got = self._carry(state, state.last_paragraph if state.last else 0, f"source={cue}", j)
            return got if got.speaker else None
        src = self._resolve(x, state, *span) if span is not None else None
        later = self._later_verb(x, state, span[1] if span else j, hi)
        if later is not None:
            via = f" via={src[0]}" if src else ""
            return _Found(later.speaker, f"source={cue}{via} {later.rule}", later.confidence, True,
                          later.at, later.verb_type)
        if src is None:
            return None
        speaker, how, conf = src
        return _Found(speaker, f"source={cue} subject={how}",
                      min(conf, CONFIDENCE["source"]), True, j)

    def _later_verb(self, x: DocumentView, state: _State, j: int, hi: int) -> _Found | None:
        for k, kind, term, _ in x.cues(j, hi):
            if kind == "verb" and term.tense != "participle":
                relay = term.verb is not None and term.verb.relay
                got = (self._relay(x, state, k, term, hi) if relay else None) or self._verb(
                    x, state, k, term, j, hi, -99)
                return got if got.speaker and got.explicit else None
        return None

    def _framing(self, x: DocumentView, state: _State, k: int, j: int, c1: int, para: int) -> _Found | None:
        """``جاء ذلك في كلمة ألقاها X`` → X; ``وجاء في بيان X`` → X; else the speaker before."""
        phrase = x.surface(k, j)
        span = x.statement_after(j, c1)
        if span is not None:
            who = self._resolve(x, state, *span)
            if who is not None:
                speaker, how, conf = who
                return _Found(speaker, f"frame={phrase} subject={how}", conf, True, j)
        person = x.first_actor(j, c1, prefer_person=True, outside_phrases=True)
        if person is not None:
            return _Found(person.key, f"frame={phrase} subject={x.surface(person.i, person.j)}",
                          CONFIDENCE["framing"], False, j)
        if phrase.endswith(("في", "فى")):
            return None
        got = self._carry(state, para, f"frame={phrase}", j)
        return got if got.speaker else None

    def _colon(self, x: DocumentView, state: _State, lo: int, hi: int) -> _Found | None:
        """A paragraph that opens with ``X: …`` (``X من مكان:``، ``X لـقناة:``) → X."""
        span = x.colon_subject(lo, hi)
        if span is None:
            return None
        who = self._resolve(x, state, *span, headline=True)
        if who is None:
            return None
        speaker, how, conf = who
        return _Found(speaker, f"colon=: subject={how}", min(conf, CONFIDENCE["colon"]),
                      True, span[1])

    # --- who a subject phrase names -----------------------------------------------------

    def _resolve(self, x: DocumentView, state: _State, a: int, b: int, *, headline: bool = False
                 ) -> tuple[str, str, float] | None:
        """The speaker a subject phrase ``[a, b)`` names, the evidence and the confidence.

        The evidence is the words that decided (an actor's name as written, or the phrase),
        with what resolved them: ``الوزير role=blinken``, ``البيان issuer=iaea``.
        """
        inside = x.actors_in(a, b)
        persons = [m for m in inside if m.key in self._persons] if inside else inside
        head = x.head(a)
        if persons and head == "anonymous" and x.plural(a) and self.has_unnamed:
            persons = []  # "مصادر مقربة من بوتين"، "ينصح المسؤولون بايدن": no title of one person
        titled = bool(persons) and all(m.rule.startswith("role:") for m in persons)
        if titled or not persons and head in ("descriptor", "title", "anonymous"):
            named, apposed = x.appositive(b)
            if named is not None and (not persons or named.key != persons[0].key):
                # "رئيس البرلمان الإيراني، محمد باقر قاليباف،"
                return named.key, x.surface(named.i, named.j), CONFIDENCE["explicit"]
            if apposed and named is None:  # a name the codebook does not know: not the role's holder
                return self._apposed(inside, x.surface(a, b))
        if persons:
            m = persons[0]
            fuzzy = m.rule.startswith("fuzzy:")
            tail = f" ({m.rule})" if fuzzy or m.confidence < 1.0 else ""
            return m.key, x.surface(m.i, m.j) + tail, CONFIDENCE["fuzzy" if fuzzy else "explicit"]
        if head == "statement":
            return self._statement(x, state, a, b, inside)
        if head == "anonymous" and (not x.definite(a) or x.plural(a)) and self.has_unnamed:
            return UNNAMED_SOURCE, f"{x.surface(a, b)} (anonymous)", CONFIDENCE["unnamed"]
        others = [m for m in inside if self.actor_type[m.key] in ("institution", "organisation", "media")]
        if head == "media" and not others:
            back = x.refers_back(a) if x.definite(a) else None
            if back is not None:
                return back.key, f"{x.surface(a, b)} refers-to={back.key}", CONFIDENCE["issuer"]
            named = bisect.bisect_left(state.media_at, state.hi) if x.definite(a) else 0
            if named:
                last = state.media[named - 1]
                return last, f"{x.surface(a, b)} refers-to={last}", CONFIDENCE["issuer"]
            return None
        if head in ("descriptor", "title", "anonymous"):
            return self._role(x, state, a, b, inside)
        if others:
            m = others[0]
            if m.rule.startswith("fuzzy:"):
                return m.key, f"{x.surface(m.i, m.j)} ({m.rule})", CONFIDENCE["fuzzy"]
            kind = "media" if self.actor_type[m.key] == "media" else "explicit"
            return m.key, x.surface(m.i, m.j), CONFIDENCE[kind]
        states = [m for m in inside if self.actor_type[m.key] == "state"]
        if states and (states[0].i == a or head == "state_head"):
            return states[0].key, x.surface(states[0].i, states[0].j), CONFIDENCE["state"]
        if head == "state_head" and not inside and x.definite(a):
            spoke = [k for k in state.issuers if self.actor_type.get(k) == "state"]
            if spoke:  # "وطالبت الحكومة": the state that spoke before
                return spoke[-1], f"{x.surface(a, b)} refers-to={spoke[-1]}", CONFIDENCE["issuer"]
        if x.definite(a) and not inside:
            back = x.refers_back(a)
            if back is not None:
                return back.key, f"{x.surface(a, b)} refers-to={back.key}", CONFIDENCE["issuer"]
        return None

    def _apposed(self, inside: list[Match], phrase: str) -> tuple[str, str, float] | None:
        """A role with a name the codebook does not know after it: its body, else no one."""
        bodies = [m for m in inside if self.actor_type[m.key] in ("institution", "organisation")]
        if bodies:
            return bodies[0].key, f"{phrase} for={bodies[0].key} (unknown name)", CONFIDENCE["role"]
        return None

    def _statement(self, x: DocumentView, state: _State, a: int, b: int, inside: list[Match]
                   ) -> tuple[str, str, float] | None:
        """A statement noun: the body named with it, else the last body that issued one."""
        noun = x.surface(a, a + 1)
        inside = x.actors_in(a, b, behind_prepositions=True)  # "بيان للكرملين" is the Kremlin's
        issuers = [m for m in inside if self.actor_type[m.key] != "state" or m.i > a]
        if issuers:
            state.issuers.append(issuers[0].key)
            return issuers[0].key, f"{noun} issuer={issuers[0].key}", CONFIDENCE["statement"]
        if x.definite(a):  # "البيان" is the last one; "بيان" is a new one
            if state.issuers:
                return state.issuers[-1], f"{noun} issuer={state.issuers[-1]}", CONFIDENCE["issuer"]
            body = x.last_body(a)
            if body is not None:
                return body.key, f"{noun} issuer={body.key}", CONFIDENCE["issuer"]
        return None

    def _role(self, x: DocumentView, state: _State, a: int, b: int, inside: list[Match]
              ) -> tuple[str, str, float] | None:
        """A bare role word: the holder named earlier (or later), else the body in the phrase."""
        phrase = x.surface(a, b)
        holder = x.role_holder(a, b)
        if holder is not None:
            return holder, f"{phrase} role={holder}", CONFIDENCE["role"]
        bodies = [m for m in inside if self.actor_type[m.key] in ("institution", "organisation")]
        if bodies:
            return bodies[0].key, f"{phrase} for={bodies[0].key}", CONFIDENCE["role"]
        if not x.definite(a):
            if self.has_unnamed:
                return UNNAMED_SOURCE, f"{phrase} (anonymous)", CONFIDENCE["unnamed"]
            return None
        if self.has_unnamed and x.head(a) == "anonymous" and (x.plural(a) or x.has(a, "descriptor") and (
                not state.last_person or state.last == UNNAMED_SOURCE)):
            # "المسؤولون الأمريكيون"; "المسؤول" with no one named to be: an anonymous source
            return UNNAMED_SOURCE, f"{phrase} (anonymous, {REFERS_BACK})", CONFIDENCE["unnamed"]
        if state.last_person and x.has(a, "descriptor") and not x.names_a_body(a, b) \
                and all(self.actor_type[m.key] == "state" for m in inside):
            return state.last_person, f"{phrase} refers-to={state.last_person}", CONFIDENCE["descriptor"]
        return None
