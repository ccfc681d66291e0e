"""Attribution: who is speaking in a sentence, from its reporting cues.

The first cue outside quotations decides the speaker of a sentence:

- ``X: …`` or ``X لـY: …`` at the start of a sentence (a headline) → X;
- a source cue (وفق، بحسب، نقلاً عن …) followed by an actor X → X, unless the rest of the
  sentence has an actor Y right before a reporting verb (ووفق الكرملين، فإن بوتين لفت …),
  then Y, with X named as ``via`` in the rule;
- a reporting verb (with و/ف attached, at the start of the sentence or a clause, or after
  an opener such as كما) whose subject is the first actor within a few words after it
  (stopping at أن، إن، عن، إلى …), or the actor right before it, openers such as قد
  between them allowed (بوتين قال، وكان البيت الأبيض قد أعلن);
- a reporting verb with no subject of its own ("وأضاف أن …", "وأعرب عن قلقه …")
  carries over the speaker of the sentence just before; a verb whose subject is a word
  that names no actor ("قال محللون") gives no speaker.

``speaker_rule`` records the cue and the subject, as ``key=value`` pairs separated by
spaces: ``verb=قال subject=الكرملين``, ``verb=أعرب carried=putin``,
``source=وفق via=kremlin subject=بوتين verb=لفت``, ``colon=: subject=لافروف``. The
statement type is the verb's own (أعلن → announcement) or else that of the first
statement cue after the decisive cue.
"""

from __future__ import annotations

import bisect

from .matching import DocMatches, DocumentMatcher, Match

__all__ = ["Attributor"]


class Attributor:
    """Decides the speaker and statement type of each sentence of a scanned document.

    Parameters
    ----------
    dm : DocumentMatcher
        The matcher the document was scanned with.
    """

    def __init__(self, dm: DocumentMatcher):
        self.dm = dm

    def _first_cue_type(self, d: DocMatches, lo: int, hi: int, after: int) -> str:
        """Type of the first statement cue in ``[after, hi)``, else in ``[lo, after)``."""
        n = bisect.bisect_left(d.cues_at, after)
        if n < len(d.cues_at) and d.cues_at[n] < hi:
            return d.cue_keys[n]
        n = bisect.bisect_left(d.cues_at, lo)
        if n < len(d.cues_at) and d.cues_at[n] < after:
            return d.cue_keys[n]
        return ""

    def attribute(self, d: DocMatches, lo: int, hi: int, actor_at: dict, actor_end: dict,
                   quoted: list[bool], previous: str) -> tuple[str, str, str]:
        """Speaker, statement type and rule of the sentence made of tokens ``[lo, hi)``."""
        words = d.words
        pos = d.reporting_pos
        positions = pos[bisect.bisect_left(pos, lo):bisect.bisect_left(pos, hi)]
        kinds_at = {i: [(kind, term, j) for kind, term, j in d.reporting_at[i] if j <= hi]
                    for i in positions if not quoted[i]}
        word_like = self.dm.m.is_word

        def is_word(k: int) -> bool:
            return word_like(words[k])

        # headline "X: ..." or "X لـY: ..." (speaker, addressee)
        first = next((k for k in range(lo, hi) if is_word(k)), None)
        if first in actor_at:
            a = actor_at[first]
            end = a.j
            if end in actor_at and d.pats[end] and self.dm.m.normal_form(words[end]).startswith("ل"):
                end = actor_at[end].j
            if end < hi and words[end] == ":":
                return a.key, self._first_cue_type(d, lo, hi, a.j), f"colon=: subject={_surface(d, a)}"

        for k in positions:
            for kind, term, j in kinds_at.get(k, ()):
                if kind == "source":
                    src = next((actor_at[p] for p in range(j, min(j + 3, hi)) if p in actor_at), None)
                    if src is None:
                        continue
                    cue = term.written
                    for v in range(src.j, hi):
                        for vkind, vterm, _ in kinds_at.get(v, ()):
                            if vkind == "verb" and v in actor_end and actor_end[v].i >= src.j:
                                subj = actor_end[v]
                                stype = vterm.key or self._first_cue_type(d, lo, hi, v)
                                return subj.key, stype, (f"source={cue} via={src.key} "
                                                         f"subject={_surface(d, subj)} verb={vterm.written}")
                    return (src.key, self._first_cue_type(d, lo, hi, src.j),
                            f"source={cue} subject={_surface(d, src)}")
                # a reporting verb: check that it stands where a verb can
                n_clitic = d.pats[k].get(term.pids[0], 0)
                prev = k - 1
                opener = (n_clitic > 0 or k == lo or not is_word(prev) or self.dm.has_at(d, prev, "opener")
                          or k in actor_end)
                if not opener:
                    continue
                verb = term.written
                stype_of = lambda at, term=term: term.key or self._first_cue_type(d, lo, hi, at)  # noqa: E731
                subject = None
                seen_words = 0
                first_word = None
                for p in range(k + 1, hi):
                    if not is_word(p):
                        if words[p] in ':"«“':
                            break
                        continue
                    if p in actor_at:
                        subject = actor_at[p]
                        break
                    if self.dm.has_at(d, p, "stop"):
                        break
                    if first_word is None:
                        first_word = p
                    seen_words += 1
                    if seen_words >= self.dm.cb.subject_window:
                        break
                if subject is not None:
                    return subject.key, stype_of(k), f"verb={verb} subject={_surface(d, subject)}"
                b = k
                while b - 1 > lo and b not in actor_end and self.dm.has_at(d, b - 1, "opener"):
                    b -= 1  # "وكان البيت الأبيض قد أعلن"
                if b in actor_end:
                    before = actor_end[b]
                    return before.key, stype_of(k), f"verb={verb} subject-before={_surface(d, before)}"
                if first_word is not None and not self.dm.has_at(d, first_word, "nosubj"):
                    continue  # a subject that names no actor ("قال محللون")
                if previous:
                    return previous, stype_of(k), f"verb={verb} carried={previous}"
        return "", "", ""


def _surface(d: DocMatches, m: Match) -> str:
    """The words of a match as written."""
    return d.doc.text[d.starts[m.i]:d.ends[m.j - 1]]
