"""Redaction before text goes to a model that is not on this machine.

What is replaced, in this order:
- identifiers: email addresses, NHS numbers and unique learner numbers (ten
  digits, spaced or not), National Insurance numbers, UPNs (any case), phone
  numbers, dates in every common written form, postcodes, street addresses
  and named houses;
- the people the leader lists for the session ("pupil: Jake Smith"), and the
  parts of their names;
- people nobody listed, found by their shape: a name after a title ("Mrs
  Okafor"), a capitalised word that is no English word ("Kacper"), a proper
  name mid-sentence ("we asked Harry"), with the surname after it.

Placeholders are bracketed and stable for the session ("[Pupil A]",
"[Person B]", "[date 1]"); a title stays a title ("Mrs [Parent A]"). A
listed name that is also an English word ("Will May") is matched only as
written with its capital, so "I may need" is left alone. The reply shown has
the placeholders put back, on whole words only. `replaced` lists what was
replaced, so the user can be told.

This is a safety net, not a guarantee: a name written in lower case, or one
that is an ordinary English word and stands at the start of a sentence, can
slip through. The user sees exactly what was sent (the turn's
`sent_to_model`).
"""
from __future__ import annotations

import re
import string
from functools import lru_cache

from pydantic import BaseModel, Field

ROLE_LABELS = {"pupil": "Pupil", "staff": "Staff", "parent": "Parent", "person": "Person"}
TITLES = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Professor", "Sir", "Dame", "Lady", "Lord", "Master",
          "Rev", "Revd", "Father", "Sister", "Aunty", "Auntie", "Uncle", "Nana", "Nan", "Grandma", "Grandad")
_TITLE = "|".join(TITLES)

_MONTHS = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
           r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_STREETS = (r"(?:Street|Road|Avenue|Lane|Close|Drive|Way|Crescent|Court|Place|Gardens|Grove|Terrace|Hill|Row|"
            r"Walk|Square|Mews|Rise|Parade|View|Park|Green|Vale|Croft|Fields|Meadows|Boulevard|Wharf)")
_HOUSES = r"(?:Cottage|House|Farm|Farmhouse|Lodge|Barn|Manor|Villa|Vicarage|Rectory|Mill|Bungalow|Grange|Hall)"

# Order matters: specific identifiers first, so a UPN is not read as a phone number.
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("email", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
    ("UPN", re.compile(r"\b[A-Z]\d{11}[0-9A-Z]\b", re.IGNORECASE)),
    ("NI number", re.compile(r"\b[A-CEGHJ-PR-TW-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b", re.IGNORECASE)),
    # NHS numbers (3-3-4, spaced, hyphenated or run together) and unique learner numbers: ten digits.
    ("ID number", re.compile(r"(?<![\d+])\d{3}[ -]?\d{3}[ -]?\d{4}(?!\d)")),
    ("date", re.compile(
        rf"\b(?:\d{{4}}-\d{{1,2}}-\d{{1,2}}"  # 2012-03-15
        rf"|\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:\d{{4}}|\d{{2}})"  # 15/03/2012, 15.3.12
        rf"|{_DAY}(?:\s+of)?\s+{_MONTHS}\.?(?:,?\s+\d{{4}})?"  # 14th of March 2012, 14 Mar
        rf"|{_MONTHS}\.?\s+{_DAY}(?:,?\s+\d{{4}})?"  # March 14th, 2012
        rf"|{_MONTHS}\s+\d{{4}})\b", re.IGNORECASE)),  # March 2012
    ("phone", re.compile(r"(?<!\w)(?:\+44\s?\(?0?\)?\s?\d{2,4}|\(?0\d{2,4}\)?)[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\w)")),
    ("postcode", re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)),
    ("address", re.compile(
        rf"\b(?:(?:Flat|Apartment|Unit)\s+\d+[a-z]?,?\s+)?\d{{1,4}}[a-z]?,?\s+(?:[A-Za-z][a-z'’]+\s){{1,3}}"
        rf"(?:{_STREETS}|St|Rd|Ave|Ln|Dr|Cres|Ct|Pl|Gdns|Sq|Terr?)\b\.?", re.IGNORECASE)),
    ("address", re.compile(rf"\b(?:[A-Z][a-z'’]+\s){{1,3}}{_STREETS}\b")),
    ("address", re.compile(rf"\b(?:The\s+)?(?:Old\s+)?(?:[A-Z][a-z'’]+\s){{1,2}}{_HOUSES}\b")),
]

# Capitalised words that are never a person here: calendar, school, subjects, faiths and groups.
KEEP = set("""
January February March April May June July August September October November December Monday Tuesday
Wednesday Thursday Friday Saturday Sunday Christmas Easter Eid Ramadan Diwali Hanukkah Halloween Bank Holiday
I Year Years Reception Nursery Key Stage Head Headteacher Deputy Assistant Teacher Teachers Governor Governors
Trust Academy School Schools Primary Secondary College Council Local Authority Social Care Services Police
Mum Mom Dad Mummy Daddy Mother Father Parent Parents Carer Carers Stepdad Stepmum Nan Grandma Grandad
English Maths Mathematics Science History Geography French Spanish German Art Music Drama Computing PE RE
PSHE RSE Design Technology Physics Chemistry Biology Latin Religious Education Physical Citizenship
British Scottish Welsh Irish Polish Romanian Pakistani Indian Bangladeshi Chinese Somali Nigerian Caribbean
African Asian Black White Mixed Gypsy Roma Traveller Travellers Muslim Christian Jewish Hindu Sikh Buddhist
Islam Islamic Catholic Church England Wales Britain UK Act Equality Children Education Ofsted DfE NHS CAMHS
Pupil Pupils Staff Person Student Students Class Form Tutor Lead Designated Safeguarding Officer Special
Needs Plan Health Care Annex Review Panel Board Independent Appeal Policy Behaviour Exclusion Suspension
Hi Hello Dear Thanks Thank Yes No Okay OK Please Sorry Today Yesterday Tomorrow Morning Afternoon Evening
Section Part Page Chapter Step Stage Term Autumn Spring Summer Half Week Lesson Period Break Lunch Assembly
""".split())


@lru_cache(maxsize=1)
def _dictionary() -> tuple[frozenset[str], frozenset[str]]:
    """(words written in lower case, words written capitalised) in a large English word list."""
    from english_words import get_english_words_set

    words = get_english_words_set(["web2"], lower=False)
    return (frozenset(w for w in words if w.islower()),
            frozenset(w for w in words if w[:1].isupper()))


@lru_cache(maxsize=1)
def _domain_words() -> frozenset[str]:
    """Capitalised words of the guidance cards and glossary: the field's own terms are not people."""
    from knowledge.glossary import load_glossary
    from knowledge.loader import load_cards

    texts = [f"{c.title} {c.body}" for c in load_cards()]
    texts += [f"{t.term} {t.expansion}" for t in load_glossary()]
    return frozenset(w for text in texts for w in re.findall(r"\b[A-Z][a-z]+\b", text))


def _common_word(word: str) -> bool:
    """True if the word (any case) is an ordinary English word, British spellings included."""
    lower, _ = _dictionary()
    parts = re.split(r"['’-]", word.lower())
    if len(parts) > 1:
        return all(_common_word(part) for part in parts if part)
    w = parts[0]
    spellings = {w, re.sub(r"our", "or", w), re.sub(r"is(e|ed|es|ing|ation)$", r"iz\1", w), re.sub(r"tre$", "ter", w)}
    return any(stem in lower for spelling in spellings for stem in _stems(spelling))


def _stems(word: str) -> set[str]:
    """The word and the bases it may be inflected from (the word list holds base forms only)."""
    out = {word}
    for suffix, replacements in (("ies", ("y",)), ("ied", ("y",)), ("ing", ("", "e")), ("ed", ("", "e")),
                                 ("es", ("",)), ("s", ("",)), ("er", ("", "e")), ("est", ("", "e")),
                                 ("ly", ("", "le")), ("ness", ("",)), ("ment", ("",))):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            out.update(base + r for r in replacements)
            if len(base) > 3 and base[-1] == base[-2]:
                out.add(base[:-1])  # stopped -> stop
    return out


def parse_name_entry(entry: str) -> tuple[str, str]:
    """'pupil: Jake Smith' -> ('pupil', 'Jake Smith'); a bare name is a 'person'; a title is dropped."""
    role, sep, name = entry.partition(":")
    if not (sep and role.strip().lower() in ROLE_LABELS):
        role, name = "person", entry
    words = name.split()
    while len(words) > 1 and words[0].rstrip(".") in TITLES:
        words = words[1:]
    return role.strip().lower(), " ".join(words)


# "Jake", "O'Brien", "McDonald", "Sarah-Jane"; "Kacper's" is "Kacper".
def _starts_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t\"'“‘(")
    return not before or before[-1] in ".!?:\n-•*>"


_CAPITALISED = re.compile(r"\b(?:[A-Z]['’])?[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:-[A-Za-z][a-z]+)*")
_PLACEHOLDER = re.compile(r"\[[^\[\]\n]{1,30}\]")


class Redactor(BaseModel):
    names: list[str] = Field(default_factory=list)  # "pupil: Jake Smith", "staff: Ms Khan", "Ayesha"
    mapping: dict[str, str] = Field(default_factory=dict)  # placeholder -> original
    detect: bool = True  # also find names nobody listed

    @property
    def replaced(self) -> list[str]:
        """What was replaced so far, as 'original → placeholder', for the user."""
        return [f"{original} → {placeholder}" for placeholder, original in self.mapping.items()]

    def _placeholder(self, label: str, original: str) -> str:
        for placeholder, value in self.mapping.items():
            if value == original:
                return placeholder
        if label in ROLE_LABELS.values():
            used = sum(1 for p in self.mapping if p[1:].split(" ")[0] in ROLE_LABELS.values())
            letter = string.ascii_uppercase[used % 26] + ("" if used < 26 else str(used // 26))
            placeholder = f"[{label} {letter}]"
        else:
            used = sum(1 for p in self.mapping if p.startswith(f"[{label} "))
            placeholder = f"[{label} {used + 1}]"
        self.mapping[placeholder] = original
        return placeholder

    def redact_fields(self, fields: dict[str, str]) -> dict[str, str]:
        """Redact several pieces of one prompt alike: a name found in one is replaced in all."""
        found = self._detected("\n\n".join(self._identifiers(v) for v in fields.values())) if self.detect else []
        return {key: self.redact(value, found=found) for key, value in fields.items()}

    def _identifiers(self, text: str) -> str:
        for label, pattern in PATTERNS:
            text = pattern.sub(lambda m, lab=label: self._sub(lab, m), text)
        return text

    def redact(self, text: str, found: list[str] | None = None) -> str:
        out = self._identifiers(text)  # first, so a name inside an email address goes with the address
        listed = [(role, name) for role, name in (parse_name_entry(e) for e in self.names if e.strip()) if name]
        known = {name for _, name in listed} | {part for _, name in listed for part in name.split()}
        if found is None:
            found = self._detected(out) if self.detect else []
        # "Jake" alone is the "Jake Smith" found elsewhere in the text.
        wholes = [name for _, name in listed] + [n for n in found if " " in n]
        first_names: list[tuple[str, str, str]] = []  # (first name, role, whole name)
        for name in found:
            whole = next((w for w in wholes if w != name and w.split()[0] == name), None)
            if whole is not None and name not in known:
                known.add(name)
                first_names.append((name, next((r for r, n in listed if n == whole), "person"), whole))
        detected = [("person", name) for name in found if name not in known]
        for role, name in listed:  # the people the leader listed get the first letters, in their order
            self._placeholder(ROLE_LABELS[role], name)
        # Whole names first, longest first, so "Jake Smith" is one person and "Mrs Smith" another.
        for role, name in sorted(listed + detected, key=lambda p: -len(p[1])):
            out = self._replace_name(out, name, self._placeholder(ROLE_LABELS[role], name))
        for name, role, whole in first_names:
            out = self._replace_name(out, name, self._placeholder(ROLE_LABELS[role], whole))
        # Then the parts of names alone ("Jake"), listed people first, mapped to the same placeholder.
        # A part that is an ordinary English word ("Will") is left alone: it is too often just the word.
        for role, name in sorted(listed, key=lambda p: -len(p[1])) + detected:
            placeholder = self._placeholder(ROLE_LABELS[role], name)
            for part in name.split():
                if part != name and len(part) > 2 and part[0].isupper() and not _common_word(part) \
                        and (part not in known or (role, name) in listed):
                    out = self._replace_name(out, part, placeholder, part_only=True)
        # A surname after a title that is still here is another person ("Mrs Reid", the pupil's mother).
        return re.sub(rf"\b((?:{_TITLE})\.? )([A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*)",
                      lambda m: m.group(1) + self._placeholder("Person", m.group(2)), out)

    def _sub(self, label: str, match: re.Match) -> str:
        if _PLACEHOLDER.fullmatch(match.group(0)):
            return match.group(0)
        return self._placeholder(label, match.group(0))

    @staticmethod
    def _replace_name(text: str, name: str, placeholder: str, part_only: bool = False) -> str:
        """Whole words only, outside placeholders. A name that is also an English word matches only as
        written, and, if it is one word, not where it starts a sentence ("Will he …")."""
        exact = any(_common_word(part) for part in name.split())
        pattern = re.compile(rf"(?<![\w\[]){re.escape(name)}(?![\w\]])", 0 if exact else re.IGNORECASE)

        def swap(match: re.Match) -> str:
            if exact and " " not in name and _starts_sentence(text, match.start()):
                return match.group(0)
            if part_only and re.search(rf"\b(?:{_TITLE})\.? $", text[:match.start()]):
                return match.group(0)  # "Mrs Reid" is not the pupil Callum Reid
            return placeholder

        return pattern.sub(swap, text)

    def _detected(self, text: str) -> list[str]:
        """Names nobody listed, found by their shape (see the module docstring)."""
        lower, proper = _dictionary()
        keep = KEEP | _domain_words()
        found: list[str] = []
        tokens = list(_CAPITALISED.finditer(text))
        index = 0
        while index < len(tokens):
            token = tokens[index]
            word = token.group(0)
            before = text[:token.start()].rstrip(" \t\"'“‘(")
            titled = re.search(rf"\b(?:{_TITLE})\.?$", before) is not None
            initial = _starts_sentence(text, token.start())
            inside = before.endswith("[")
            candidate = not inside and word not in keep and word not in TITLES
            parts, end = [word], index + 1
            while end < len(tokens) and text[tokens[end - 1].end():tokens[end].start()] == " " \
                    and tokens[end].group(0) not in keep and tokens[end].group(0) not in TITLES:
                parts.append(tokens[end].group(0))  # the surname (or middle names) after it
                end += 1
            is_name = candidate and (
                titled
                or not _common_word(word)
                or (word in proper and (not initial or word.lower() not in lower or len(parts) > 1)))
            if not is_name:  # "Will he …", "Grace period": an ordinary word that starts a sentence
                index += 1
                continue
            found.append(" ".join(parts))
            index = end
        return list(dict.fromkeys(found))

    def restore(self, text: str) -> str:
        """Put the originals back, on whole placeholders only (never inside a longer word)."""
        for placeholder in sorted(self.mapping, key=len, reverse=True):
            original = self.mapping[placeholder]
            bare = placeholder[1:-1]
            text = text.replace(placeholder, original)
            # A model may drop the brackets: "Pupil A" alone, never "Pupil Attendance".
            text = re.sub(rf"(?<![\w\[]){re.escape(bare)}(?![\w\]])", lambda _m: original, text)
        return text
