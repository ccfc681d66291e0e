"""Reporting verbs by root and form: the written forms a codebook verb stands for.

A codebook verb is given by its root and its form (the measure, I to X), or by its three
principal parts (past, present and active participle, as a dictionary gives them), or
both (the parts then correct what the root would give, as for رأى → يرى). From them
the workbench writes, without diacritics:

- the past: he, she, they (m.), the two (m., f.) — قال قالت قالوا قالا قالتا — and for a
  sound last radical with an object pronoun (وصفه، وصفته، أبلغهم);
- the present: he, she, they (m.), the two — يقول تقول يقولون يقولان تقولان;
- the circumstantial participle: مؤكدا مؤكدة مؤكدين — and for a defective root
  داعيا داعية داعين.

Weak roots follow the usual rules: a hollow root (قول، ضيف) has a long vowel in the past
(قال، أضاف), a defective one ends in ا or ى (دعا، أبدى, she دعت، أبدت), an assimilated
و drops in the present of form I (وصف → يصف), a hamza as the first radical sits on و
in the present of forms II–IV (أكد → يؤكد، مؤكد), the ت of form VIII becomes ط after
emphatics and د after د ذ ز, and merges after و (وهم → اتهم).
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["VerbParts", "principal_parts", "conjugate", "FORMS", "TENSES"]

#: The forms (measures) a root may be given in, with their pattern.
FORMS = {1: "فعل", 2: "فعّل", 3: "فاعل", 4: "أفعل", 5: "تفعّل", 6: "تفاعل", 7: "انفعل",
         8: "افتعل", 10: "استفعل"}
#: What each generated form is.
TENSES = {"past": "perfect, 3rd person", "present": "imperfect, 3rd person",
          "participle": "active participle in the accusative (circumstantial)"}

_HAMZAS = frozenset("ءأإآؤئ")
_WEAK = frozenset("وي")
_EMPHATIC = frozenset("صضطظ")
_DENTAL = frozenset("دذز")


class VerbParts(NamedTuple):
    """The principal parts of a verb: ``past`` (he did), ``present`` (he does, with ي)
    and ``participle`` (the active participle, masculine, without ending)."""

    past: str
    present: str
    participle: str


def _radicals(root: str) -> tuple[str, str, str]:
    letters = [ch for ch in root if not ch.isspace()]
    if len(letters) != 3 or not all("\u0621" <= ch <= "\u064a" for ch in letters):
        raise ValueError(f"root {root!r} must be three Arabic letters, e.g. 'قول' or 'أكد'")
    return tuple("ء" if ch in _HAMZAS else ch for ch in letters)  # type: ignore[return-value]


def _form1(f: str, a: str, lam: str) -> VerbParts:
    if a == "ء":  # سأل يسأل سائل، رأى
        a_written = "أ"
        if lam in _WEAK:
            past = f + a_written + ("ا" if lam == "و" else "ى")
            return VerbParts(past, "ي" + f + a_written + lam, f + "ائ")
        return VerbParts(f + a_written + lam, "ي" + f + a_written + lam, f + "ائ" + lam)
    if a == lam and a not in _WEAK:  # doubled: رد يرد راد
        return VerbParts(f + a, "ي" + f + a, f + "ا" + a)
    if lam in _WEAK:  # defective: دعا يدعو داع، نفى ينفي ناف
        return VerbParts(f + a + ("ا" if lam == "و" else "ى"), "ي" + f + a + lam, f + "ا" + a)
    if a in _WEAK:  # hollow: قال يقول قائل
        return VerbParts(f + "ا" + lam, "ي" + f + a + lam, f + "ائ" + lam)
    if f == "و":  # assimilated: وصف يصف واصف
        return VerbParts("و" + a + lam, "ي" + a + lam, "وا" + a + lam)
    if f == "ء":  # أخذ يأخذ آخذ
        return VerbParts("أ" + a + lam, "يأ" + a + lam, "آ" + a + lam)
    return VerbParts(f + a + lam, "ي" + f + a + lam, f + "ا" + ("ئ" if a == "ء" else a) + lam)


def _form8_head(f: str) -> str:
    """The first radical with the ت of form VIII, as it is written after assimilation."""
    if f in ("و", "ي", "ء"):
        return "ت"  # وهم → اتّهم
    if f in ("د", "ط"):
        return f  # دعو → ادّعى
    if f in _EMPHATIC:
        return f + "ط"  # صدم → اصطدم
    if f in _DENTAL:
        return f + "د"  # زهر → ازدهر
    return f + "ت"


def _derived(f: str, a: str, lam: str, form: int) -> VerbParts:
    """Forms II–X: past and present; the participle is م + the present stem."""
    hollow = a in _WEAK and form in (4, 7, 8, 10)
    defective = lam in _WEAK
    seat = "ؤ" if f == "ء" else f
    if form == 2:
        past, present = ("أ" if f == "ء" else f) + a, "ي" + seat + a
    elif form == 3:
        past, present = ("آ" if f == "ء" else f + "ا") + a, "ي" + seat + "ا" + a
    elif form == 4:
        past, present = ("آ" if f == "ء" else "أ" + f) + a, "ي" + seat + a
        if hollow:
            past, present = "أ" + f + "ا", "ي" + f + "ي"
    elif form == 5:
        past, present = "ت" + f + a, "يت" + f + a
    elif form == 6:
        past, present = "ت" + f + "ا" + a, "يت" + f + "ا" + a
    elif form == 7:
        past, present = ("ان" + f + "ا", "ين" + f + "ا") if hollow else ("ان" + f + a, "ين" + f + a)
    elif form == 8:
        head = _form8_head(f)
        past, present = ("ا" + head + "ا", "ي" + head + "ا") if hollow else ("ا" + head + a, "ي" + head + a)
    else:  # 10
        past, present = ("است" + f + "ا", "يست" + f + "ي") if hollow else ("است" + f + a, "يست" + f + a)
    if hollow:
        past, present = past + lam, present + lam
    elif defective:
        past, present = past + "ى", present + ("ى" if form in (5, 6) else "ي")
    elif form == 4 and a == lam:  # أقر يقر مقر
        pass
    else:
        past, present = past + lam, present + lam
    participle = "م" + present[1:]
    if form == 6 and a == "ء":  # تساءل يتساءل متسائل
        participle = "مت" + f + "ائ" + lam
    if defective and not hollow:
        participle = participle[:-1]  # يبدي → مبد (مبديا)
    return VerbParts(past, present, participle)


def principal_parts(root: str, form: int) -> VerbParts:
    """The past, present and participle of a root in one of the forms I–X.

    Parameters
    ----------
    root : str
        Three Arabic letters (``"قول"``, ``"أكد"``, ``"وضح"``); any hamza counts as ء.
    form : int
        1 to 8 or 10 (see :data:`FORMS`).

    Returns
    -------
    VerbParts

    Raises
    ------
    ValueError
        A root that is not three letters, a form that is not one of :data:`FORMS`.
    """
    if form not in FORMS:
        raise ValueError(f"form {form!r} is not one of {', '.join(map(str, FORMS))} "
                         f"({', '.join(FORMS.values())})")
    f, a, lam = _radicals(root)
    return _form1(f, a, lam) if form == 1 else _derived(f, a, lam, form)


def conjugate(parts: VerbParts) -> list[tuple[str, str]]:
    """The written forms of a verb, each with its tense.

    Parameters
    ----------
    parts : VerbParts
        Its principal parts (:func:`principal_parts`, or as given in the codebook).

    Returns
    -------
    list of tuple
        ``(form, tense)`` in a fixed order without repeats; ``tense`` is one of
        :data:`TENSES`.
    """
    past, present, participle = parts
    out: list[tuple[str, str]] = []
    if past.endswith(("ا", "ى")):  # دعا → دعت دعوا دعتا، أبدى → أبدت أبدوا
        stem = past[:-1]
        out += [(past, "past"), (stem + "ت", "past"), (stem + "وا", "past"), (stem + "تا", "past")]
    else:
        out += [(past, "past"), (past + "ت", "past"), (past + "وا", "past"), (past + "ا", "past"),
                (past + "تا", "past")]
        # with an object pronoun: وصفه، وصفته، أبلغهم — but not أضافه, written like إضافة
        # (form IV of a hollow root: أفال + ه reads as its verbal noun once ة is folded)
        hollow_iv = past.startswith("أ") and len(past) == 4 and past[2] == "ا"
        out += [(past + pronoun, "past") for pronoun in (("ها", "هم") if hollow_iv else ("ه", "ها", "هم"))]
        out += [(past + "ت" + pronoun, "past") for pronoun in ("ه", "ها", "هم")]
    if present.endswith(("و", "ي", "ى")):  # يدعو يدعون يدعوان، ينفي ينفون ينفيان
        base = present[:-1]
        plural, dual = base + "ون", base + ("وان" if present.endswith("و") else "يان")
    else:
        plural, dual = present + "ون", present + "ان"
    out += [(present, "present"), ("ت" + present[1:], "present"), (plural, "present"),
            (dual, "present"), ("ت" + dual[1:], "present")]
    if past.endswith(("ا", "ى")):  # داع → داعيا داعية داعين
        stem = participle.rstrip("اىي")
        out += [(stem + "يا", "participle"), (stem + "ية", "participle"), (stem + "ين", "participle")]
    else:
        out += [(participle + "ا", "participle"), (participle + "ة", "participle"),
                (participle + "ين", "participle")]
    return list(dict.fromkeys(out))
