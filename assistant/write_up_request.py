"""What a leader's request for a document names: the kind of document, who it is for, how long it may be, the
reflective model and the voice ("a paragraph for the decision log in under 150 words", "SENCO meeting notes",
"a Rolfe reflection for my CPD log, third person", "a summary for governors"). The drafting is
assistant/write_ups.py; this only reads the request."""
from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel

from assistant import draft_omissions

DocumentKind = Literal["decision_note", "call_notes", "meeting_notes", "letter", "staff_briefing", "governors_summary",
                       "reflection"]
Model = Literal["gibbs", "rolfe", "schon"]

PARENTS = (r"(?:mum|dad|mother|father|parents?|carers?|foster carers?|grandparents?|gran|nan|family|families|"
           r"step-?(?:mum|dad))")
_PEOPLE = (rf"(?:{PARENTS}|social worker|the (?:class )?teacher|colleague|the ta|senco|virtual school head|"
           r"dsl|head of year|the head|deputy|ep|educational psychologist)")
_STAFF = (r"(?:senco|sendco|dsl|class teacher|teacher|ta|head of year|hoy|deputy|head|colleagues?|ep|educational psychologist|"
          r"inclusion (?:lead|manager)|pastoral (?:lead|team)|slt|key worker|social worker|virtual school head|camhs|"
          r"speech and language|salt|ot|paediatrician|outreach)")

MODELS: tuple[tuple[Model, re.Pattern[str]], ...] = (
    ("rolfe", re.compile(r"\brolfe\b|\bwhat\W+so what\W+now what\b|\bso what\b.{0,20}\bnow what\b", re.I)),
    ("schon", re.compile(r"\bsch(?:ö|o|oe)n\b|\breflection[- ]in[- ]action\b|\breflection[- ]on[- ]action\b", re.I)),
    ("gibbs", re.compile(r"\bgibbs\b|\breflective cycle\b", re.I)),
)

# Order matters: the first kind that matches is the one asked for.
KINDS: tuple[tuple[DocumentKind, re.Pattern[str]], ...] = (
    ("reflection", re.compile(
        r"\breflect(?:ion|ive (?:log|account|journal|piece|write-?up|entry|note))\b(?! (?:for|to) (?:the )?governors)|"
        r"\bcpd (?:log|record|portfolio|journal|entry)\b|\blearning log\b|\bjournal entry\b|\bfor my (?:log|portfolio|appraisal|"
        r"supervision|mentor|journal)\b|\b(?:gibbs|rolfe|sch(?:ö|o|oe)n)\b", re.I)),
    ("governors_summary", re.compile(
        r"\b(?:summary|report|update|note|paper|briefing|overview|paragraph)\b[^.?!]{0,40}\b(?:for|to) (?:the |our )?"
        r"(?:governors|governing (?:body|board)|board|trustees|chair of governors|panel)\b|\bgovernors'? (?:summary|report|"
        r"briefing|paper|update)\b", re.I)),
    ("letter", re.compile(rf"\bletter\b[^.?!]{{0,40}}\b(?:to|for) (?:the |all |our |his |her |their |\w+ )?(?:[\w-]+ )?{PARENTS}\b|"
                          rf"\b{PARENTS} letter\b|\bletter home\b", re.I)),
    ("meeting_notes", re.compile(
        rf"\b(?:meeting|minutes|notes|agenda|talking points)\b[^.?!]{{0,40}}\b(?:with|for|to) (?:the |our |his |her |my )?"
        rf"{_STAFF}\b|\b{_STAFF}[- ]meeting\b|\bmeeting notes\b|\bminutes (?:of|for)\b", re.I)),
    ("call_notes", re.compile(
        rf"\b(?:call|phone ?call|ring|phoning|ringing|meeting|conversation|chat|speak(?:ing)? (?:to|with)|"
        rf"talk(?:ing)? (?:to|with)|sit down with)\b[^.?!]{{0,40}}\b{_PEOPLE}\b|"
        rf"\b{_PEOPLE}\b[^.?!]{{0,30}}\b(?:call|meeting|conversation|phone)\b|"
        r"\b(?:talking points|script|what (?:to|i should|should i) say)\b", re.I)),
    ("staff_briefing", re.compile(
        r"\b(?:brief(?:ing)?|email|message|note|update|bulletin)\b[^.?!]{0,25}\b(?:for|to) (?:the |all |his |her |my |our )?"
        r"(?:[\w-]+ )?(?:staff|team|teachers|tas|colleagues|department|slt|year team|cover staff|supply staff)\b|"
        r"\bstaff briefing\b", re.I)),
    ("decision_note", re.compile(
        r"\bdecision (?:note|record|log|summary|letter to file|write-?up)\b|\bwrite (?:that|this|it|my decision|the decision|"
        r"(?:all )?(?:of )?(?:that|this)) up\b|\bwrite-?up\b|\b(?:for|on|onto|into|in) (?:cpoms|my ?concern|sims|arbor|the file|"
        r"the record|the log|file|the decision log|my log)\b|\brecord of (?:my|the|our) decision\b|\b(?:my|the|our) (?:decision and )?"
        r"reasons?\b|\bas (?:a|the) record\b|\bthe record\b", re.I)),
)

# A paragraph of prose rather than headed sections: "a paragraph for the decision log", "a few lines for CPOMS".
_PROSE = re.compile(r"\bparagraph\b|\ba few (?:lines|sentences)\b|\b(?:one|two|three|a couple of) sentences\b|"
                    r"\bin prose\b|\bno (?:headings|bullets)\b|\bentry\b|\bblurb\b", re.I)
_WORDS = re.compile(r"\b(?:in |at most |no more than |not more than |under |below |fewer than |less than |max(?:imum)?(?: of)? |"
                    r"up to |within |around |about |keep it (?:to |under )?)(\d{2,4}) words\b|\b(\d{2,4})[- ]?words? "
                    r"(?:max(?:imum)?|or (?:less|fewer|under)|limit|tops)\b|\b(\d{2,4})-word\b", re.I)
_THIRD = re.compile(r"\b(?:in (?:the )?third person|third[- ]person|not (?:in )?(?:the )?first person)\b", re.I)
_FIRST = re.compile(r"\b(?:in (?:the )?first person|first[- ]person|as me\b|in my (?:own )?voice|using i\b)", re.I)
_AUDIENCES = (
    ("governors", re.compile(r"\b(?:for|to) (?:the |our )?(?:governors|governing (?:body|board)|trustees|chair of governors|"
                             r"panel)\b", re.I)),
    ("the parents", re.compile(rf"\b(?:for|to) (?:the |his |her |their )?{PARENTS}\b", re.I)),
    ("the SENCO", re.compile(r"\b(?:for|to|with) (?:the |our |my )?sen(?:d)?co\b", re.I)),
    ("the DSL", re.compile(r"\b(?:for|to|with) (?:the |our |my )?dsl\b", re.I)),
    ("staff", re.compile(r"\b(?:for|to) (?:the |all |our )?(?:staff|team|teachers|colleagues|cover staff|tas)\b", re.I)),
)
# A letter that announces or imposes a sanction belongs to the school's formal process (boundaries.md).
_SANCTION = re.compile(r"\b(?:suspen\w*|exclu\w*|expel\w*|detention|sanction\w*|removal|isolation|consequence)\b", re.I)
_ABOUT_SANCTION = re.compile(r"\b(?:telling|tell|inform\w*|confirm\w*|announc\w*|about|explaining|of) (?:them |her |him |"
                             r"the parents |mum |dad )?(?:of |about )?(?:the |his |her |a |their )?(?:[\w-]+ )?"
                             r"(?:suspen\w*|exclu\w*|expel\w*|detention|sanction\w*|isolation)\b", re.I)


class Request(BaseModel):
    kind: DocumentKind | None = None
    audience: str | None = None  # "governors", "the parents", "the SENCO"
    words: int | None = None  # a word limit the leader set
    model: Model | None = None  # the reflective model named
    person: Literal["first", "third"] | None = None
    prose: bool = False  # a paragraph, not headed sections
    sanction_letter: bool = False  # a letter announcing a sanction: not drafted
    leave_out: list[str] = []  # what the leader asked to be left out, in their words (draft_omissions.NAMES: names)


# A document named outright ("as a decision note", "call notes", "a letter to mum") is the one asked for, whatever
# else the message mentions on the way ("...a restorative chat with the teacher").
NAMED: tuple[tuple[DocumentKind, re.Pattern[str]], ...] = (
    ("decision_note", re.compile(r"\bdecision (?:note|record|log|summary|write-?up)\b", re.I)),
    ("call_notes", re.compile(r"\bcall notes\b|\bnotes for (?:the|my) (?:call|phone call)\b", re.I)),
    ("governors_summary", re.compile(r"\bgovernors'? (?:summary|report|briefing|paper|update)\b", re.I)),
    ("staff_briefing", re.compile(r"\bstaff briefing\b", re.I)),
)


def kind_of(message: str, mode: str) -> DocumentKind | None:
    """The document a request names; in practice mode a plain "write this up" is the reflection."""
    for kind, pattern in NAMED:
        if pattern.search(message):
            return kind
    for kind, pattern in KINDS:
        if kind == "meeting_notes" and re.search(rf"\b{PARENTS}\b", message, re.I):
            continue  # a meeting with a parent is a conversation with the family
        if pattern.search(message):
            return kind
    return "reflection" if mode == "practice" else None


def read(message: str, mode: str) -> Request:
    text = " ".join(message.split())
    kind = kind_of(text, mode)
    words = next((int(g) for m in _WORDS.finditer(text) for g in m.groups() if g), None)
    model = next((name for name, rx in MODELS if rx.search(text)), None)
    audience = next((name for name, rx in _AUDIENCES if rx.search(text)), None)
    if kind == "meeting_notes" and audience is None:
        audience = next((f"the {m.group(1)}" if m.group(1).lower() not in ("senco", "dsl", "ep", "slt") else
                         f"the {m.group(1).upper()}" for m in [re.search(rf"\b({_STAFF})\b", text, re.I)] if m), None)
    person = "third" if _THIRD.search(text) else "first" if _FIRST.search(text) else None
    return Request(kind=kind, audience=audience, leave_out=draft_omissions.asked(text), words=words and max(words, 20), model=model, person=person,
                   prose=bool(_PROSE.search(text)) or kind == "letter",
                   sanction_letter=kind == "letter" and bool(_ABOUT_SANCTION.search(text) or (
                       _SANCTION.search(text) and re.search(r"\b(?:tell|inform|confirm|announce)\w*\b", text, re.I))))
