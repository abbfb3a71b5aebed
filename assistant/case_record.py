"""The case as the leader has told it: filled from their messages, shown as
"What I've heard", corrected by the leader, and read by the composer so it
never asks for what it already holds.

Everything here is the leader's own account (short phrases or their own
sentences); the assistant adds no findings of its own.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, Field

from assistant import corrections
from knowledge.text import split_sentences
from prompts.cues import load_cues, mentions

PlanStatus = Literal["EHCP", "SEN support", "none"]
MAX_ITEMS = 4
FIELDS = ("year_group", "needs", "diagnosis", "plan", "happened", "trigger", "setting", "in_place", "people",
          "sanctions", "history", "pattern", "safeguarding", "decision")
LABELS = {
    "year_group": "Year group", "needs": "Needs", "diagnosis": "Diagnosis", "plan": "Plan",
    "happened": "What happened", "trigger": "Trigger", "setting": "Setting", "in_place": "What was in place",
    "people": "Who is involved", "sanctions": "Responses considered", "history": "History", "pattern": "Pattern in the figures",
    "safeguarding": "Safeguarding concern raised",
    "decision": "Decision or target",
}


class Person(BaseModel):
    role: str  # "mum", "the supply teacher"
    view: str | None = None  # their view or account, in the leader's words


class CaseRecord(BaseModel):
    year_group: str | None = None
    needs: list[str] = Field(default_factory=list)
    diagnosis: str | None = None  # "none" when the leader says there is none
    plan: PlanStatus | None = None
    plan_note: str | None = None  # e.g. "needs assessment requested"
    happened: list[str] = Field(default_factory=list)
    trigger: str | None = None
    setting: str | None = None
    in_place: list[str] = Field(default_factory=list)
    people: list[Person] = Field(default_factory=list)
    sanctions: list[str] = Field(default_factory=list)
    history: list[str] = Field(default_factory=list)
    pattern: list[str] = Field(default_factory=list)  # figures the leader gave ("19 of the 28 started at lunchtime")
    safeguarding: list[str] = Field(default_factory=list)  # a disclosure or concern, never filed as support in place
    decision: str | None = None
    corrected: list[str] = Field(default_factory=list)  # fields the leader set by hand: not overwritten

    def empty(self) -> bool:
        return not any(self.holds(f) for f in FIELDS)

    def holds(self, field: str) -> bool:
        value = getattr(self, field)
        return bool(value) if not isinstance(value, str) else bool(value.strip())

    def views(self) -> list[Person]:
        return [p for p in self.people if p.view]

    def lines(self) -> list[tuple[str, str]]:
        """(label, text) for each field held, in a fixed order: the side panel and the exports."""
        out: list[tuple[str, str]] = []
        for field in FIELDS:
            value = getattr(self, field)
            if not self.holds(field):
                continue
            if field == "plan":
                text = {"none": "no EHC plan or SEN support"}.get(value, value)
                text += f" ({self.plan_note})" if self.plan_note else ""
            elif field == "people":
                text = "; ".join(f"{p.role} ({p.view.rstrip('.')})" if p.view else p.role for p in value)
            elif isinstance(value, list):
                text = "; ".join(v.rstrip(".") for v in value)
            else:
                text = value
            out.append((LABELS[field], text))
        return out


_YEAR = re.compile(r"\b(?:year|yr|y)\s?(1[0-3]|[1-9])\b|\b(reception|nursery)\b", re.I)
_NO_DIAGNOSIS = re.compile(r"\bno (?:formal )?diagnosis\b|\bnot (?:been )?diagnosed\b|\bundiagnosed\b", re.I)
_NO_PLAN = re.compile(r"\b(?:no|not got an?|hasn'?t got an?|doesn'?t have an?|without an?|isn'?t on an?)\s+"
                      r"(?:ehcp|ehc plan|plan)\b|\bno plan\b|\bnot on the (?:sen )?register\b|"
                      r"\bisn'?t on the (?:sen )?register\b|\bnot on sen support\b|\bno sen\b", re.I)
# The leader says the pupil has no special educational needs at all ("no SEND", "no additional needs"): there is
# no plan, and the SEND lens has nothing to ask unless a need is named later.
NO_SEND_SAID = re.compile(r"\bno (?:known |identified |additional |special |sen(?:d)? )?(?:send|sen|needs|additional needs)\b|"
                      r"\bnot (?:send|sen)\b|\b(?:doesn'?t|does not|don'?t) have (?:any )?(?:send|sen|additional needs|"
                      r"special educational needs)\b|\bno special educational needs\b|\bnot on the send register\b", re.I)
NO_SEND = "no SEND known"
_EHCP = re.compile(r"\b(?:ehcp|ehc plan|education,? health and care plan)\b", re.I)
_SEN_SUPPORT = re.compile(r"\bsen support\b|\bon the sen register\b|\bon the register\b", re.I)
_ASSESSMENT = re.compile(r"\b(?:needs )?assessment\b.*\b(?:request|appl|asked)|\b(?:request|appl|asked)\w*\b.*\bassessment\b",
                         re.I)
_TRIGGER = re.compile(r"\bset (?:it|this|him|her|them) off\b|\btrigger|\bwhen the\b|\bafter (?:the|a|being)\b|"
                      r"\bbecause (?:of )?the\b|\bsparked\b|\bstarted when\b|\bwhen (?:he|she|they) (?:was|were) (?:told|asked)\b|"
                      r"\bstraight after\b|\bwound up\b|\bcos\b|\bbecause\b", re.I)
_SETTING = re.compile(
    r"\b(?:in|at|during|on|outside|after|before|of)\s+(?:the\s+|a\s+|his\s+|her\s+)?((?:cover|science|maths|english|pe|art|music|history|"
    r"geography|french|drama|tutor|form)\s+(?:lesson|class|room)|cover lesson|lunch(?:time)?|break(?:time)?|"
    r"the corridor|corridor|canteen|playground|field|gate|assembly|changeover|lesson changeover|bus|toilets|"
    r"inclusion room|isolation room|classroom|[a-z]+ lesson)\b", re.I)
_IN_PLACE = re.compile(r"\b(?:plan|passport|profile) (?:says|covers|mentions|includes|names)\b|\bin place\b|"
                       r"\bkey (?:worker|adult)\b|\bexit (?:pass|card)\b|\btime-?out card\b|\bhis plan\b|\bher plan\b|"
                       r"\bprovision\b|\badjustments?\b|\bsupport plan\b|\bwe(?:'ve| have) tried\b|\btried\b", re.I)
_NOTHING_IN_PLACE = re.compile(r"\bnothing (?:is |was )?in place\b|\bno support\b", re.I)
_HISTORY = re.compile(r"\blast (?:month|week|term|year)\b|\bagain\b|\bpreviously\b|\bprevious\b|"
                      r"\b(?:\w+) times\b|\bhistory of\b|\balready\b|\bnever been\b|\bthis (?:half )?term\b", re.I)
_PATTERN = re.compile(r"\b\d+\s+(?:of|out of)\s+(?:the\s+|our\s+|their\s+|its\s+)?\d+\b|\b\d+\s*(?:%|per ?cent)|\b(?:tripled|doubled|"
                      r"trebled|halved|quadrupled)\b|\b\d+\s+(?:times|a day|a week|per day|per week|this term|this year)\b|"
                      r"\btimes as likely\b", re.I)
_VIEW = re.compile(r"\b(?:says?|saying|said|told|tells|feels?|felt|thinks?|thought|wants?|agrees?|angry|upset|worried|"
                   r"claims?|claiming|insists?|reckons?|furious|fuming|unhappy|adamant|convinced|"
                   r"asked|complain\w*|blames?|believes?|didn'?t know|knew|(?:wasn'?t|was) aware)\b", re.I)
ROLES = [
    ("the supply teacher", r"supply(?: teacher)?|agency teacher"), ("the cover teacher", r"cover (?:teacher|supervisor)"),
    ("the class teacher", r"class teacher"), ("the teacher", r"(?:science |maths |english |pe )?teacher"),
    ("the TA", r"ta|teaching assistant"), ("the SENCO", r"senco"), ("the DSL", r"dsl"),
    ("the social worker", r"social worker"), ("the virtual school head", r"virtual school(?: head)?|vsh"),
    ("the key worker", r"key worker"), ("mum", r"mum|mother"), ("dad", r"dad|father"),
    ("the parents", r"parents?|carers?|family"), ("grandparent", r"grandmother|grandfather|gran|grandad"),
    ("the pupil", r"(?:he|she|the pupil|the child|the boy|the girl) (?:told|said|says|feels|felt|thinks|thought|wants|"
                  r"kept saying|explained|admitted|denies|denied)"),
    ("governors", r"governors?"),
]
_ROLE_RES = [(role, re.compile(rf"^\s*(?:his |her |their |the |our )?(?:{pat})\b", re.I)) for role, pat in ROLES]
_ROLE_ANY = [(role, re.compile(rf"\b(?:{pat})\b", re.I)) for role, pat in ROLES if role != "the pupil"]


def _add(items: list[str], text: str) -> None:
    text = _clip(text)
    if text and text.lower() not in (i.lower() for i in items) and len(items) < MAX_ITEMS:
        items.append(text)


# "Decision:", "My target -", "Decision (mine, agreed with the head):" before the leader's own words: one home
# for the label, which understanding also uses to recognise a decision.
DECISION_LABEL_WORDS = r"(?:(?:ok|okay|right|fine|so|done)\W+)?(?:my\s+|our\s+)?(?:final\s+)?(?:decision|(?:practice\s+)?target)\s*(?:\([^)]{0,80}\))?\s*[:\-]"
DECISION_LABEL = re.compile(rf"^\W*{DECISION_LABEL_WORDS}\s*", re.I)
DECISION_CHARS = 4000  # a decision is recorded whole: a panel reads the reasons, not their first clause


def _clip(text: str, limit: int = 220) -> str:
    text = " ".join(text.split()).strip()
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def named(text: str, group: str) -> list[str]:
    """What the text names of a group, in the group's order; denied mentions ("no SEND") are not named."""
    order = list(load_cues().named[group])
    return sorted((phrase for _, phrase in mentions(text, group)), key=order.index)


DIAGNOSES = {"autism": "autism", "ADHD": "ADHD", "dyslexia": "dyslexia", "PDA": "PDA"}


# What a child disclosed, or a sign of harm: a safeguarding matter, not support, an account or a trigger.
DISCLOSURE = re.compile(
    r"\bdisclos\w*|\b(?:told|said to|says to|tells|confided in) (?:me|us|her|him|staff|a |the |his |her )[^.?!]{0,60}"
    r"\b(?:hits?|hitting|hurts?|hurting|touch\w*|abus\w*|scared (?:to go|of going) home|smack\w*|beats?|beaten|kicks? (?:him|her)|"
    r"burn\w*|starv\w*|hungry|cuts? (?:her|him)self|cutting|self-?harm\w*|locks? (?:him|her) in|sexual\w*|nudes?)\b|"
    r"\bself-?harm\w*|\b(?:bruis\w*|marks?) on (?:her|his) (?:arms?|legs?|neck|back|face)\b|\bsafeguarding concern\b|"
    r"\bchild protection (?:concern|referral)\b", re.I)


# A question without its question mark ("should I have rung dad first", "wondering whether we got it wrong").
ASKING = re.compile(r"^\W*(?:(?:and|so|ok|okay|but|also|then)\W+)?(?:should|could|would|can|do|does|did|is|are|was|were|"
                    r"am|must|shall|have|has)\s+(?:i|we|you|he|she|they|it|that|this|the)\b|\bwondering (?:whether|if)\b|"
                    r"\bnot sure (?:whether|if)\b|\bi don'?t know (?:whether|if)\b|\b(?:can|could|would|will) you\b", re.I)


def telling(sentence: str) -> bool:
    """A sentence that tells, as against one that asks ("was that the right call, looking back"): only what is
    told is filed."""
    return not sentence.rstrip().endswith("?") and not ASKING.search(sentence)


def _said_before(record: CaseRecord) -> str:
    return " ".join(str(v) for v in record.model_dump(exclude={"corrected"}).values() if v)


def _corrected(record: CaseRecord, found: list[tuple[str, str]]) -> CaseRecord:
    """The record with each correction the leader made applied to every field they did not set by hand."""
    data = record.model_dump()

    def fix(value):
        if isinstance(value, str):
            return corrections.apply(value, found)
        if isinstance(value, list):
            return [fix(v) for v in value]
        if isinstance(value, dict):
            return {k: fix(v) for k, v in value.items()}
        return value

    for field in data:
        if field not in ("corrected", "plan") and field not in record.corrected:
            data[field] = fix(data[field])
    new = CaseRecord.model_validate(data)
    year = next((n for o, n in found if _YEAR.fullmatch(n) or _YEAR.fullmatch(o)), None)
    if year and _YEAR.fullmatch(year) and "year_group" not in record.corrected:
        match = _YEAR.fullmatch(year)
        new.year_group = f"Year {match.group(1)}" if match.group(1) else match.group(2).capitalize()
    return new


def update(record: CaseRecord, message: str, kind: str = "new_facts") -> CaseRecord:
    """Fold one message into the record; fields the leader corrected by hand stay as they set them. A
    correction ("actually it was Tuesday not Monday") is applied to everything already held, and the sentence
    that makes it is not filed as a fact of its own."""
    found = corrections.pairs(message, _said_before(record))
    if found:
        record = _corrected(record, found)
        message = " ".join(s for s in split_sentences(message) if not corrections.is_correction(s))
        kind = "new_facts" if kind == "correction" else kind
    new = record.model_copy(deep=True)
    keep = set(record.corrected)
    text = " ".join(message.split())

    def put(field: str, value) -> None:
        if field not in keep:
            setattr(new, field, value)

    year = _YEAR.search(text)
    if year and (kind == "correction" or not new.year_group):
        put("year_group", f"Year {year.group(1)}" if year.group(1) else year.group(2).capitalize())
    if "needs" not in keep:
        for need in named(text, "needs"):
            if need not in new.needs and need not in ("an EHC plan", "SEN support", "SEND", "a social worker"):
                new.needs.append(need)
    if _NO_DIAGNOSIS.search(text):
        put("diagnosis", "none")
    else:
        found = [DIAGNOSES[n] for n in named(text, "needs") if n in DIAGNOSES]
        if found and (kind == "correction" or new.diagnosis in (None, "none") and not new.diagnosis):
            put("diagnosis", ", ".join(found))
    sen_support = _SEN_SUPPORT.search(text) and not re.search(r"\bnot (?:on )?sen support\b", text, re.I)
    if sen_support:  # "no EHCP, he's on SEN support" is SEN support
        if kind == "correction" or new.plan in (None, "none"):
            put("plan", "SEN support")
    elif NO_SEND_SAID.search(text):
        put("plan", "none")
        put("plan_note", NO_SEND)
    elif _NO_PLAN.search(text):
        put("plan", "none")
    elif _EHCP.search(text) and not _ASSESSMENT.search(text):
        if kind == "correction" or new.plan is None:
            put("plan", "EHCP")
    if _ASSESSMENT.search(text):
        put("plan_note", "EHC needs assessment requested")
    if kind == "decision":
        if "sanctions" not in keep:
            for response in named(text, "responses"):
                _add(new.sanctions, response)
        put("decision", _clip(DECISION_LABEL.sub("", text), DECISION_CHARS))  # the whole decision and its reasons
        return new
    for sentence in split_sentences(text):
        if not telling(sentence):
            continue  # a question asks; it does not tell
        if DISCLOSURE.search(sentence):
            if "safeguarding" not in keep:
                _add(new.safeguarding, sentence)
            continue  # never support in place, an account or a trigger
        setting = _SETTING.search(sentence)
        if setting and (kind == "correction" or not new.setting):
            put("setting", setting.group(1).lower())
        if _TRIGGER.search(sentence) and (kind == "correction" or not new.trigger):
            put("trigger", _clip(sentence))
        if "in_place" not in keep:
            if _NOTHING_IN_PLACE.search(sentence):
                _add(new.in_place, "nothing in place")
            elif _IN_PLACE.search(sentence):
                _add(new.in_place, sentence)
        if "sanctions" not in keep:
            for response in named(sentence, "responses"):
                _add(new.sanctions, response)
        if "pattern" not in keep and _PATTERN.search(sentence):
            _add(new.pattern, sentence)
        elif "history" not in keep and _HISTORY.search(sentence) and not _TRIGGER.search(sentence):
            _add(new.history, sentence)
        if "people" not in keep:
            _people(new, sentence)
        if "happened" not in keep and not new.happened and re.search(
                r"\b(?:threw|hit|punched|kicked|swore|walked out|ran|shouted|refused|fought|fight|pushed|"
                r"bit|spat|damaged|threatened|left|grabbed|held)\b", sentence, re.I):
            _add(new.happened, sentence)
    return new


def _people(record: CaseRecord, sentence: str) -> None:
    """People named, with their view where the sentence gives one."""
    subject = next((role for role, rx in _ROLE_RES if rx.search(sentence)), None)
    if subject and _VIEW.search(sentence):
        person = next((p for p in record.people if p.role == subject), None)
        if person is None:
            if len(record.people) >= 8:
                return
            person = Person(role=subject)
            record.people.append(person)
        if not person.view:  # the first account stays; a correction replaces it by hand
            person.view = _clip(sentence)
        return
    for role, rx in _ROLE_ANY:
        if rx.search(sentence) and not any(p.role == role for p in record.people) and len(record.people) < 8:
            if role == "the teacher" and any(p.role.endswith("teacher") for p in record.people):
                continue
            record.people.append(Person(role=role))


def correct(record: CaseRecord, field: str, value: str) -> CaseRecord:
    """The leader's own correction of one field; it stays as they set it."""
    if field not in FIELDS:
        raise ValueError(f"unknown field '{field}': choose one of {', '.join(FIELDS)}")
    new = record.model_copy(deep=True)
    value = " ".join(value.split())
    if field == "plan":
        lowered = value.lower()
        mapping = {"ehcp": "EHCP", "ehc plan": "EHCP", "sen support": "SEN support", "none": "none", "no": "none"}
        if lowered not in mapping:
            raise ValueError("plan is one of: EHCP, SEN support, none")
        new.plan = mapping[lowered]
    elif field == "people":
        new.people = [Person(role=r.strip(), view=v.strip() or None) for r, _, v in
                      (item.partition(":") for item in value.split(";")) if r.strip()]
    elif isinstance(getattr(new, field), list):
        setattr(new, field, [v.strip() for v in value.split(";") if v.strip()])
    else:
        setattr(new, field, value or None)
    if field not in new.corrected:
        new.corrected.append(field)
    return new


# What each lens needs from the record before it counts as addressed by the case itself.
def no_send(record: CaseRecord) -> bool:
    """The leader said the pupil has no SEND and has named no need since."""
    return record.plan_note == NO_SEND and not record.needs and record.diagnosis in (None, "none")


def lenses_addressed(record: CaseRecord) -> set[str]:
    out = set()
    if record.trigger:
        out.add("needs")
    if record.plan is not None and record.in_place or no_send(record):
        out.add("send")  # a plan and what is in place were told, or there is no SEND and no need named
    if any(p.role in ("the pupil", "mum", "dad", "the parents", "grandparent") for p in record.views()):
        out.add("voice")
    if len(record.sanctions) >= 2:
        out.add("proportionality")
    if any("teacher" in p.role or p.role in ("the TA", "the SENCO") for p in record.views()):
        out.add("staff")
    return out


# Questions that ask for something the record already holds (by field).
ASKS_FOR = {
    "year_group": re.compile(r"\bhow old\b|\bwhat year\b", re.I),
    "plan": re.compile(r"\b(?:does|is) (?:he|she|the pupil|the child|they) (?:have|on)\b.*\b(?:plan|register|sen)\b|"
                       r"\bplan status\b|\bon the sen register\b", re.I),
    "diagnosis": re.compile(r"\bdiagnos", re.I),
    "trigger": re.compile(r"\btrigger|\bset (?:it|this|him|her) off\b|\bwhat (?:led|happened) (?:up )?to\b", re.I),
    "setting": re.compile(r"\bwhere (?:did|was)\b|\bwhich lesson\b", re.I),
    "in_place": re.compile(r"\bwhat (?:support|adjustments?) (?:was|were|is|are) in place\b|"
                           r"\bwhat was in place\b", re.I),
    "sanctions": re.compile(r"\bwhat (?:sanction|response)s? (?:are you|is being) consider", re.I),
}
STAFF_KNEW = re.compile(r"\b(?:did|does|do) the (?:adult|teacher|cover|supply|staff)\b.*\b(?:know|aware)\b", re.I)
PLAN_WORDS = re.compile(r"\b(?:his|her|their|the pupil's|the) (?:ehc )?plan\b|\bsection f\b|\behcp\b", re.I)


def already_held(record: CaseRecord, question: str) -> bool:
    """True when the question asks for something the leader has already told us."""
    for field, rx in ASKS_FOR.items():
        if record.holds(field) and rx.search(question):
            return True
    if record.plan in ("none", "SEN support") and PLAN_WORDS.search(question) and not re.search(
            r"assess|apply|request", question, re.I):
        return True  # there is no plan to ask about
    if record.in_place and re.search(r"\bwhat does the (?:pupil's )?(?:plan|passport|profile) say\b", question, re.I) and any(
            re.search(r"plan|passport|profile", item, re.I) for item in record.in_place):
        return True
    if STAFF_KNEW.search(question) and any(
            re.search(r"\b(?:know|knew|aware)\b", p.view or "", re.I) for p in record.people):
        return True
    held_roles = {p.role for p in record.people}
    for role, words in (("the social worker", r"social worker"), ("the virtual school head", r"virtual school|VSH")):
        if role in held_roles and re.search(words, question, re.I):
            return True  # the leader has already said who they are and whether they know
    if re.search(r"\b(?:his|her|the pupil's|the child's) (?:own )?(?:account|view|side)\b|"
                 r"\bwhat did (?:he|she|the pupil) say\b", question, re.I) and any(
            p.role == "the pupil" for p in record.views()):
        return True
    return False


def added(before: CaseRecord, after: CaseRecord) -> list[str]:
    """Short phrases for what a message added to the record ("mum's view", "no EHC plan")."""
    out = []
    if after.year_group and after.year_group != before.year_group:
        out.append(after.year_group)
    out += [need for need in after.needs if need not in before.needs and need not in ("an EHC plan", "SEN support")]
    if after.plan != before.plan and after.plan:
        if after.plan_note != NO_SEND:  # "no SEND" below says it
            out.append({"EHCP": "the EHC plan", "SEN support": "SEN support", "none": "no EHC plan yet"}[after.plan])
    if after.plan_note and after.plan_note != before.plan_note:
        out.append("no SEND" if after.plan_note == NO_SEND else "the request for an assessment")
    if after.diagnosis == "none" and before.diagnosis != "none":
        out.append("no diagnosis")
    if after.trigger and after.trigger != before.trigger:
        out.append("what set it off")
    if after.setting and after.setting != before.setting:
        out.append(f"where it happened ({after.setting})")
    if len(after.in_place) > len(before.in_place):
        out.append("what was in place")
    known = {p.role for p in before.people}
    out += [p.role for p in after.people if p.role not in known and not p.view and p.role != "the pupil"][:2]
    had = {p.role for p in before.views()}
    for person in after.views():
        if person.role not in had:
            out.append("the pupil's own account" if person.role == "the pupil" else
                       f"{person.role}' view" if person.role.endswith("s") else f"{person.role}'s view")
    if len(after.sanctions) > len(before.sanctions):
        out.append("the responses you're weighing")
    if len(after.history) > len(before.history):
        out.append("the history")
    if len(after.pattern) > len(before.pattern):
        out.append("the figures")
    return out


PARENT_ROLES = ("mum", "dad", "the parents", "grandparent")


def record_gaps(case: CaseRecord, decision: str, escalated: bool = False) -> list[str]:
    """What a panel would ask about that the record does not yet hold, most important first. After a
    safeguarding escalation (`escalated`) the pupil's account is the DSL's to take, not the record's to ask for."""
    gaps = []
    views = case.views()
    if not escalated and not any(p.role == "the pupil" for p in views):
        gaps.append("account")
    if case.plan is None and not case.needs:
        gaps.append("needs")
    if not case.in_place:
        gaps.append("in_place")
    if not any(p.role in PARENT_ROLES for p in views):
        gaps.append("parents")
    if len(case.sanctions) < 2:
        gaps.append("options")
    if not re.search(r"\bbecause\b|\bso that\b|\bas\b|\bsince\b", decision, re.I):
        gaps.append("reason")
    return gaps
