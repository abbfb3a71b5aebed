"""Questions built from the case as the leader told it: the pupil's needs, the
setting, what was in place, who said what, the responses weighed and any
figures. The wordings live in prompts/phrases.yaml (`case_questions`); this
module fills them from the case record, and only when every fact a wording
needs is held, so a question never asks for what the leader has already said.
"""
from __future__ import annotations

import re

from assistant.case_record import PARENT_ROLES, CaseRecord
from prompts.bank import Question, load_bank

PLAN_WORDS = {"an EHC plan", "SEN support", "SEND", "a social worker"}
CASE_ID_START = 900  # question ids 900+ in each lens are built from the case, never from the bank
_SAID = re.compile(r"\b(?:says?|said|told (?:me|us)|tells (?:me|us)|thinks?|feels?|felt|wants?|believes?|agrees?)\s+"
                   r"(?:that\s+)?(.+)$", re.I)
_COVERS = re.compile(r"\b(?:says|covers|mentions|includes|names|has)\s+(?:that\s+)?(?:(?:he|she|they)\s+needs?\s+)?(.+)$", re.I)
_BECAUSE = re.compile(r"\b(?:because(?: of)?|cos|when|straight after|after|wound up(?: by| because| cos)?|set (?:him|her|them) off)"
                      r"\s+(?:that\s+)?(.+)$", re.I)
_AT = ("lunch", "lunchtime", "break", "breaktime", "assembly", "the gate", "gate", "lesson changeover", "changeover")
_ON = ("field", "bus", "playground")


def figure(case: CaseRecord) -> str:
    """The most specific figure the leader gave (the sentence with the most numbers in it)."""
    return max(case.pattern, key=lambda s: len(re.findall(r"\d+", s)))


# The words that name the pupil's sex outright ("Year 8 girl", "my son", "the lad"): they settle it, because
# "he" and "she" in a leader's messages are as often the teacher, dad or mum as the pupil.
_NAMED_BOY = re.compile(r"\b(?:boys?|lads?|son|schoolboy|he'?s (?:in )?(?:year|yr|y) ?\d+)\b")
_NAMED_GIRL = re.compile(r"\b(?:girls?|daughter|schoolgirl|she'?s (?:in )?(?:year|yr|y) ?\d+)\b")
# A pronoun straight after an adult's role is the adult's ("mum said she", "the teacher ... he").
_ADULT_THEN = re.compile(r"\b(?:mum|mother|dad|father|teacher|ta|senco|deputy|head|colleague|supply|carer|nan|gran|grandad|"
                         r"social worker|governor)\b[^.?!]{0,25}?\b(?:he|she|him|her|his)\b")


def pronouns(said: str) -> dict[str, str]:
    """How the leader refers to the pupil (he/she/they), from their own words: the words that name the pupil
    first, then pronouns not tied to an adult just named; "they" when it stays unclear."""
    text = said.lower()
    he, she = len(_NAMED_BOY.findall(text)), len(_NAMED_GIRL.findall(text))
    if he == she:
        rest = _ADULT_THEN.sub(" ", text)
        he = len(re.findall(r"\b(?:he|him|his)\b", rest))
        she = len(re.findall(r"\b(?:she|her|hers)\b", rest))
    if he > she:
        return {"he": "he", "him": "him", "his": "his", "pupil_word": "boy"}
    if she > he:
        return {"he": "she", "him": "her", "his": "her", "pupil_word": "girl"}
    return {"he": "they", "him": "them", "his": "their", "pupil_word": "pupil"}


def in_setting(setting: str) -> str:
    if setting in _AT:
        return f"at {setting}"
    if setting in _ON:
        return f"on the {setting}"
    return f"in the {setting}"


def _clip(text: str, words: int = 14) -> str:
    text = text.strip().rstrip(".!")
    cut = text.split()
    return " ".join(cut[:words]) + (" …" if len(cut) > words else "")


def slots(case: CaseRecord, said: str) -> dict[str, str]:
    """The facts a wording can use, each present only when the record holds it."""
    out = dict(pronouns(said))
    if case.year_group:
        out["year"] = case.year_group
    if case.trigger and (m := _BECAUSE.search(case.trigger)):
        out["trigger"] = _clip(m.group(1), 10)
    if case.setting:
        out["setting"] = case.setting
        out["in_setting"] = in_setting(case.setting)
    place = next((m.group(1) for item in case.in_place if (m := _COVERS.search(item))), None)
    if place:
        out["in_place"] = _clip(place, 12)
    if case.plan == "EHCP":
        out["plan_ehcp"] = out["plan"] = f"{out['his']} EHC plan"
    elif case.plan == "SEN support":
        out["plan_sen_support"] = out["plan"] = f"{out['his']} SEN support plan"
    elif case.plan == "none":
        out["plan_none"] = "no plan"
    need = next((n for n in case.needs if n not in PLAN_WORDS), None)
    if need:
        out["need"] = need
    if case.sanctions:
        out["sanction"] = case.sanctions[0]
    views = case.views()
    parent = next((p for p in views if p.role in PARENT_ROLES), None)
    if parent and (m := _SAID.search(parent.view or "")):
        out.update(parent_view="yes", person=parent.role, view=_clip(m.group(1)))
    staff = next((p for p in views if "teacher" in p.role or p.role in ("the TA", "the SENCO")), None)
    if staff and "parent_view" not in out:
        rest = re.sub(r"^.*?\b(?:teacher|TA|SENCO|assistant)\b\s*", "", staff.view or "", count=1, flags=re.I)
        if rest:
            out.update(staff_view="yes", person=staff.role, view=_clip(rest))
    if not any(p.role == "the pupil" for p in views):
        out["no_pupil_view"] = "yes"
    if case.pattern:
        out["figure"] = _clip(figure(case), 16)
    return out


def _lens_cards(mode: str, lens: str) -> tuple[str, ...]:
    """The cards the bank grounds this lens in (its first question's), so a built question is grounded too."""
    return next((q.cards for q in load_bank().for_lens(mode, lens) if q.cards), ())


def case_questions(case: CaseRecord, mode: str, lens: str, said: str, asked, wordings) -> list[Question]:
    """Questions for this lens built from the case, in the order written, none asked before."""
    have = slots(case, said)
    out = []
    for number, wording in enumerate(wordings):
        qid = f"{mode}-{lens}-{CASE_ID_START + number}"
        if wording.lens != lens or mode not in wording.modes or qid in asked:
            continue
        if not all(need in have for need in wording.needs):
            continue
        try:
            text = wording.text.format(**have)
        except KeyError:
            continue  # a placeholder the record cannot fill yet
        # `covers` only matters to the bank's own picking, which never sees these.
        out.append(Question(id=qid, mode=mode, lens=lens, text=text[:1].upper() + text[1:],
                            covers=(lens, "case record"), cards=_lens_cards(mode, lens)))
    return out
