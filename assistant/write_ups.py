"""The documents a leader asks for (a decision note, notes for a call with a parent, a staff briefing, a
reflection for their log), drafted only from what they have told the assistant.

A document is the leader's: every line of substance is their own words or the case record built from them.
Where the conversation has not given something a reviewer would look for, the document says
"[to add: ...]" rather than inventing it, so nothing reads as the assistant's finding or reason.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel

from assistant.case_questions import pronouns
from assistant.case_record import DECISION_LABEL, PARENT_ROLES
from knowledge.text import split_sentences
from prompts.bank import StageIntro
from prompts.write_ups import templates

if TYPE_CHECKING:  # models imports understanding, which asks this module what a request names
    from assistant.models import CaseRecord, Session

DocumentKind = Literal["decision_note", "call_notes", "staff_briefing", "reflection"]

_PEOPLE = r"(?:mum|dad|mother|father|parents?|carers?|foster carers?|grandparents?|gran|nan|family|social worker|" \
          r"the (?:class )?teacher|colleague|the ta|senco|virtual school head)"
# What kind of document a request names. Order matters: "notes for the call" are call notes, not a decision note.
KINDS: tuple[tuple[DocumentKind, re.Pattern[str]], ...] = (
    ("call_notes", re.compile(
        rf"\b(?:call|phone ?call|ring|phoning|ringing|meeting|conversation|chat|speak(?:ing)? (?:to|with)|"
        rf"talk(?:ing)? (?:to|with)|sit down with)\b[^.?!]{{0,40}}\b{_PEOPLE}\b|"
        rf"\b{_PEOPLE}\b[^.?!]{{0,30}}\b(?:call|meeting|conversation|phone)\b|"
        r"\b(?:talking points|script|what (?:to|i should|should i) say)\b", re.I)),
    ("staff_briefing", re.compile(
        r"\b(?:brief(?:ing)?|email|message|note|update|bulletin)\b[^.?!]{0,25}\b(?:for|to) (?:the |all |his |her |my |our )?"
        r"(?:[\w-]+ )?(?:staff|team|teachers|tas|colleagues|department|slt|year team|cover staff|supply staff)\b|"
        r"\bstaff briefing\b", re.I)),
    ("reflection", re.compile(
        r"\breflect(?:ion|ive (?:log|account|journal|piece|write-?up))\b|\bcpd (?:log|record|portfolio|journal)\b|"
        r"\blearning log\b|\bjournal entry\b|\bfor my (?:log|portfolio|appraisal|supervision)\b", re.I)),
    ("decision_note", re.compile(
        r"\bdecision (?:note|record|log|summary|letter to file|write-?up)\b|\bwrite (?:that|this|it|my decision|the decision|"
        r"(?:all )?(?:of )?(?:that|this)) up\b|\bwrite-?up\b|\b(?:for|on|onto|into) (?:cpoms|my ?concern|sims|arbor|the file|"
        r"the record|the log|file)\b|\brecord of (?:my|the|our) decision\b|\b(?:my|the|our) (?:decision and )?reasons?\b", re.I)),
)


class Document(BaseModel):
    kind: DocumentKind
    text: str
    card: str  # the card on what such a document needs, cited beside it
    own_words: list[str]  # the leader's lines it repeats (quoted words, not the assistant's claims)


# Asking for a document to be produced, as against asking what one must contain.
_PRODUCE = re.compile(r"\b(?:draft|write|put together|prepare|make|give me|jot(?: down)?|sketch|turn (?:this|that|it) into|"
                      r"help me (?:write|draft|prepare|plan)|can i have|could i have|i need|i'd like)\b", re.I)


def asked_for(message: str) -> bool:
    """The message asks for one of the documents drafted here ("draft my notes for the call with mum")."""
    return bool(_PRODUCE.search(message)) and any(pattern.search(message) for _, pattern in KINDS)


def kind_of(message: str, mode: str) -> DocumentKind | None:
    """The document a request names; in practice mode a plain "write this up" is the reflection."""
    for kind, pattern in KINDS:
        if pattern.search(message):
            return kind
    return "reflection" if mode == "practice" else None


def to_add(what: str) -> str:
    return f"[to add: {what}]"


_REASON = re.compile(r"\bbecause\b|\bso that\b|\bgiven\b|\bsince\b|\bas (?:she|he|they|it|the|her|his)\b|\breason", re.I)
_NEXT = re.compile(r"\breview\b|\bfollow[- ]?up\b|\bcheck[- ]?in\b|\bmonitor|\bnext (?:week|term|steps?)\b|\bmeeting\b|"
                   r"\bby (?:monday|tuesday|wednesday|thursday|friday|the end)\b|\bin (?:two|three|four|six|\d) weeks\b",
                   re.I)
# A sentence that says what will be done ("She'll have a check-in", "we are putting in a key adult").
_ACTION = re.compile(r"\b(?:will|'ll|shall|going to|are putting|is getting|we(?:'re| are) (?:putting|giving|arranging|"
                     r"fixing|setting|starting|adding|moving))\b|^\W*(?:no|a|an|one|two|three)\b|^\W*(?:instead|also|plus)\b", re.I)
_NEEDS_NAMED = re.compile(r"\bsend\b|\behc|\bplan\b|\bneeds?\b|\badjust|\bautis|\basc\b|\badhd\b|\bsemh\b|\bdisab", re.I)


def _decision_parts(decision: str) -> tuple[list[str], list[str], set[str]]:
    """The decision as the leader wrote it, the reasons they gave in it, and the sentences those came from: a
    sentence's "because ..." clause is a reason, what comes before it the decision; a review or follow-up
    sentence is a next step, not either."""
    decided, reasons, used = [], [], set()
    for sentence in split_sentences(" ".join(DECISION_LABEL.sub("", decision).split())):
        found = _REASON.search(sentence)
        if found and found.start() > 0:
            decided.append(sentence[:found.start()].rstrip(" ,;:-–") + ".")
            reasons.append(sentence[found.start():][:1].upper() + sentence[found.start() + 1:])
        elif found:
            reasons.append(sentence)
        elif not decided or (not _NEXT.search(sentence) and _ACTION.search(sentence)):
            decided.append(sentence)
        elif not _NEXT.search(sentence):  # a later sentence that explains rather than acts is a reason
            reasons.append(sentence)
        else:
            continue
        used.add(sentence)
    return decided, reasons, used


def _line(heading: str, body: list[str] | str) -> str:
    items = [body] if isinstance(body, str) else body
    if len(items) == 1:
        return f"**{heading}**: {items[0]}"
    return f"**{heading}**:\n" + "\n".join(f"- {item}" for item in items)


def _views(case: CaseRecord, roles: tuple[str, ...]) -> list[str]:
    return [f"{p.role[:1].upper()}{p.role[1:]}: {p.view.rstrip('.')}." for p in case.views() if p.role in roles]


def decision_note(session: Session, leader: list[str], today: dt.date) -> Document:
    t = templates().decision_note
    case, h, m = session.case, t.headings, t.missing
    pupil_bits = [case.year_group, ", ".join(case.needs), case.plan and {"none": "no EHC plan or SEN support"}.get(
        case.plan, case.plan), case.plan_note]
    pupil = "; ".join(b for b in pupil_bits if b)
    decided, reasons, used = _decision_parts(session.decision or "")
    said = " ".join(leader)
    needs = ", ".join(case.needs) or (case.plan if case.plan and case.plan != "none" else "")
    # Each of the leader's sentences appears once, under the first heading it belongs to.
    equality = [s for s in split_sentences(session.decision or "") if _NEEDS_NAMED.search(s) and s not in used]
    next_steps = [s for s in split_sentences(said) if _NEXT.search(s) and not s.endswith("?") and s not in used
                  and s not in equality]
    safeguarding = m["safeguarding_escalated"] if session.escalated else m["safeguarding"]
    lines = [
        _line(h["pupil"], pupil or to_add(m["pupil"])),
        _line(h["happened"], [*case.happened[:3], *([case.trigger] if case.trigger and case.trigger not in
                                                     case.happened else [])] or to_add(m["happened"])),
        _line(h["in_place"], case.in_place or to_add(m["in_place"])),
        _line(h["views"], (_views(case, ("the pupil",)) or [to_add(m["pupil_view"])])
              + (_views(case, PARENT_ROLES) or [to_add(m["parent_view"])])
              + _views(case, tuple(p.role for p in case.people if p.role != "the pupil" and p.role not in PARENT_ROLES))),
        _line(h["options"], [*case.sanctions, to_add(m["options"])] if len(case.sanctions) < 2 else case.sanctions),
        _line(h["decision"], " ".join(decided) if session.decision else to_add(m["decision"])),
        _line(h["reasons"], reasons or to_add(m["reasons"])),
        _line(h["equality"], equality or to_add(m["equality"].format(needs=needs) if needs else m["equality_none"])),
        _line(h["safeguarding"], to_add(safeguarding)),
        _line(h["next"], next_steps[:3] or to_add(m["next"])),
    ]
    text = "\n\n".join([t.intro, f"### {t.title}", *lines, f"*{t.close.format(date=today.isoformat())}*"])
    return Document(kind="decision_note", text=text, card=t.card, own_words=lines)


def _who(message: str, case: CaseRecord) -> str:
    found = re.search(rf"\b(?:with|to|for) (?:the |his |her |their )?({_PEOPLE})\b", message, re.I) or re.search(
        rf"\b({_PEOPLE})\b", message, re.I)
    if found:
        who = found.group(1).lower()
        return who if who.split()[0] in ("mum", "dad", "the", "gran", "nan") else f"the {who}"
    return next((p.role for p in case.people if p.role in PARENT_ROLES), "the parents")


def call_notes(session: Session, message: str, leader: list[str]) -> Document:
    t = templates().call_notes
    case, h = session.case, t.headings
    who = _who(message, case)
    pupil = pronouns(" ".join(leader))["he"]
    decided, _, _ = _decision_parts(session.decision or "")
    view = next((p.view.rstrip(".") for p in case.views() if p.role == who or (who in ("the parents", "the family")
                                                                                  and p.role in PARENT_ROLES)), None)
    acknowledge = [t.view.format(who=who[:1].upper() + who[1:], view=view) if view else t.no_view.format(who=who)]
    if case.plan and any(re.search(r"\b(?:wasn'?t|weren'?t|not) (?:told|in place|followed|there|available)\b", s, re.I)
                         for s in [*case.in_place, *leader]):
        acknowledge.append(t.plan_gap)
    # What the leader said they want to cover, in the request itself ("notes for the call: the seat, the plan").
    agenda = [s.strip("-• ") for s in re.split(r"\n|(?<=[.!?;])\s+", message.split(":", 1)[1] if ":" in message else "")
              if len(s.split()) >= 2] or [s for s in split_sentences(message) if not asked_for(s) and len(s.split()) >= 4]
    lines = [
        _line(h["purpose"], t.purpose.format(who=who)),
        *([_line(h["agenda"], agenda)] if agenda else []),
        _line(h["share"], case.happened[:3] or to_add("what happened, in plain words and in order")),
        _line(h["next"], t.decided.format(decision=" ".join(decided)) if session.decision else t.undecided.format(who=who)),
        _line(h["acknowledge"], acknowledge),
        _line(h["ask"], [q.format(who=who, pupil=pupil) for q in t.ask]),
        _line(h["careful"], list(t.careful)),
        _line(h["after"], t.after.format(who=who)),
    ]
    text = "\n\n".join([t.intro.format(who=who), f"### {t.title.format(who=who)}", *lines])
    return Document(kind="call_notes", text=text, card=t.card, own_words=lines)


def staff_briefing(session: Session) -> Document:
    t = templates().staff_briefing
    case, h, m = session.case, t.headings, t.missing
    who = "; ".join(b for b in [case.year_group, ", ".join(case.needs)] if b)
    decided, _, _ = _decision_parts(session.decision or "")
    lines = [
        _line(h["who"], [who, to_add(m["who"])] if who else to_add(m["who"])),
        _line(h["helps"], case.in_place or to_add(m["helps"])),
        _line(h["changed"], " ".join(decided) if session.decision else to_add(m["changed"])),
        _line(h["if"], to_add(m["if"])),
        _line(h["contact"], to_add(m["contact"])),
    ]
    text = "\n\n".join([t.intro, f"### {t.title}", *lines])
    return Document(kind="staff_briefing", text=text, card=t.card, own_words=lines)


def reflection(stages: dict[str, list[str]], intros: dict[str, StageIntro], target: str | None) -> Document:
    """The practice reflection: each stage of the model (`intros`, in order) in the person's own words, an empty
    stage saying what it asks for; the practice target they set is the last stage (the action), and is not
    repeated elsewhere."""
    t = templates().reflection
    order = list(intros)
    if target:
        stages = {stage: [s for s in said if s not in target] for stage, said in stages.items()}
        stages[order[-1]] = [target]
    lines = [_line(intros[stage].name, " ".join(stages[stage]) if stages.get(stage) else
                   (t.missing_target if stage == order[-1] else to_add(intros[stage].purpose[:1].lower()
                                                                      + intros[stage].purpose[1:].rstrip("."))))
             for stage in order]
    text = "\n\n".join([t.intro, f"### {t.title}", *lines])
    return Document(kind="reflection", text=text, card=t.card, own_words=lines)
