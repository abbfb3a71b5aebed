"""The decision record: what a complaint, review or claim can follow.

Everything in it is either the leader's own words or fixed wording: the
assistant's conclusions never appear, because it draws none.
"""
from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel, Field

from assistant.models import Session

LENS_TITLES = {
    "needs": "The needs behind the behaviour", "send": "SEND and the graduated approach",
    "equality": "Equality duties", "safeguarding": "Safeguarding",
    "proportionality": "Proportionality and alternatives", "voice": "Pupil and family voice",
    "staff": "Staff", "record": "The record", "next_steps": "Carrying the decision out", "context": "Context", "scope": "Scope",
    "description": "Description", "feelings": "Feelings", "evaluation": "Evaluation", "analysis": "Analysis",
    "conclusion": "Conclusion", "action_plan": "Action plan", "what": "What?", "so_what": "So what?",
    "now_what": "Now what?",
}
MODE_TITLES = {"live": "Live situation", "practice": "Reflective practice", "prep": "Session preparation"}
RECORD_TITLES = {"live": "Decision record", "practice": "Practice reflection", "prep": "Session plan"}
REQUEST_KINDS = ("law_question", "case_question", "draft_request", "about_assistant")
_OPTION = re.compile(r"\b(?:alternative|option|instead|could|might|rather than|or a|restorative|exit pass|key adult|"
                     r"phased|reduced|early review|managed move|reset|time-?out)\b", re.I)


class LensRecord(BaseModel):
    lens: str
    title: str
    status: str
    notes: list[str]


class SourceRecord(BaseModel):
    card_id: str
    title: str
    heading: str
    source: str | None


class BoundaryNote(BaseModel):
    asked: str
    category: str
    action: str


class DecisionRecord(BaseModel):
    session_id: str
    title: str
    mode: str
    created: dt.datetime
    exported: dt.datetime
    situation: str
    lenses: list[LensRecord]
    alternatives: list[str]
    sources: list[SourceRecord]
    decision: str | None
    open_questions: list[str]
    boundary_notes: list[BoundaryNote] = Field(default_factory=list)
    escalation: str | None = None
    case: list[tuple[str, str]] = Field(default_factory=list)  # "What I've heard": (label, the leader's words)
    plan: str | None = None  # prep: the session plan as drafted, then sharpened


def build_record(session: Session) -> DecisionRecord:
    from assistant.lens_tracker import lens_order
    from assistant.models import LensState

    allowed = [t for t in session.turns if t.role == "user" and t.verdict and t.verdict.action == "allow"]
    state = next((t.lens_state for t in reversed(session.turns) if t.lens_state and t.mode == session.mode),
                 None) or LensState.for_lenses(lens_order(session))
    alternatives = _alternatives(session)
    seen: set[str] = {a.lower() for a in alternatives}  # the options have their own section
    lenses = []
    for name in state.order:  # each of the leader's sentences once, under the first lens it was noted for
        notes = [n for n in state.lenses[name].notes if n.lower() not in seen and not _in_decision(n, session)]
        seen |= {n.lower() for n in notes}
        lenses.append(LensRecord(lens=name, title=LENS_TITLES.get(name, name), status=state.lenses[name].status,
                                 notes=notes))
    sources: dict[str, SourceRecord] = {}
    for turn in session.turns:
        for c in turn.citations:
            sources.setdefault(c.card_id, SourceRecord(card_id=c.card_id, title=c.title, heading=c.heading,
                                                       source=c.source))
    return DecisionRecord(
        session_id=session.id, title=session.title, mode=session.mode, created=session.created,
        exported=dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
        situation=allowed[0].text if allowed else "(no situation described)",
        lenses=lenses, alternatives=alternatives, sources=list(sources.values()),
        decision=session.decision, open_questions=_open_questions(session, state),
        boundary_notes=_boundary_notes(session), escalation=session.pinned,
        case=session.case.lines(), plan=_plan(session),
    )


def _in_decision(note: str, session: Session) -> bool:
    """A note that only repeats the decision: the decision has its own section."""
    bare = re.sub(r"^\s*(?:my\s+)?(?:decision|(?:practice\s+)?target)\s*[:\-]\s*", "", note, flags=re.I).strip()
    return bool(session.decision) and bare.rstrip(".").lower() in session.decision.lower()


def _plan(session: Session) -> str | None:
    """The prep plan as drafted, its headings folded in under the export's own."""
    plans = [t.text for t in session.turns if t.role == "assistant" and t.kind == "plan"]
    full = [n for n, text in enumerate(plans) if "\n## " in f"\n{text}"]  # the drafted plan, not a piece asked for
    if not plans:
        return None
    start = full[-1] if full else 0
    # The plan, then any outline, discussion questions or scenario asked for after it.
    lines = [line for text in plans[start:] for line in text.splitlines() if not line.startswith("## ")]
    return "\n".join(f"**{line[4:]}**" if line.startswith("### ") else line for line in lines)


def _alternatives(session: Session) -> list[str]:
    """The options the leader named or weighed, in their words; never the assistant's questions."""
    out = [f"{s[:1].upper()}{s[1:]} (named as a response)" for s in session.case.sanctions]
    from knowledge.text import split_sentences

    for turn in session.turns:
        if turn.role != "user" or not turn.verdict or turn.verdict.action != "allow":
            continue
        if turn.understanding and turn.understanding.kind == "decision":
            continue
        for sentence in split_sentences(turn.text):
            if not sentence.endswith("?") and _OPTION.search(sentence) and sentence not in out:
                out.append(sentence)
    return out[:8]


def _open_questions(session: Session, state) -> list[str]:
    """What is honestly still open: lenses not addressed, the last questions not yet answered, and
    (for a live decision) what a panel would look for that the record does not hold."""
    from assistant.case_record import record_gaps
    from prompts.bank import load_phrases

    out = []
    for name in state.order:
        status = state.lenses[name].status
        if status != "covered":
            title = LENS_TITLES.get(name, name)
            out.append(f"{title}: {'not yet considered' if status == 'not_yet' else 'touched on, not yet settled'}")
    last = session.turns[-1] if session.turns else None
    if last is not None and last.role == "assistant" and last.kind in ("reflection", "answer", "plan"):
        out += [line[2:].strip() for line in last.text.splitlines()
                if line.startswith("- ") and line.rstrip().endswith("?")][:3]
    if session.mode == "live":
        gaps = load_phrases().conversation.gaps
        out += [gaps[g] for g in record_gaps(session.case, session.decision or "", session.escalated) if gaps[g] not in out]
    return out


def _boundary_notes(session: Session) -> list[BoundaryNote]:
    """Refusals only where the leader really asked for something; every escalation."""
    notes = []
    for turn in session.turns:
        if turn.role != "user" or not turn.verdict or turn.verdict.action == "allow":
            continue
        asked = turn.understanding is None or turn.understanding.asks or turn.understanding.kind in REQUEST_KINDS
        if turn.verdict.action == "escalate" or asked:
            notes.append(BoundaryNote(asked=turn.text[:300], category=turn.verdict.category,
                                      action=turn.verdict.action))
    return notes




CATEGORY_NOTES = {
    "investigation": "asked the assistant to establish facts; that belongs to the school's own process",
    "disciplinary_outcome": "asked the assistant for a sanction; that decision is the headteacher's",
    "hr_determination": "asked the assistant for an HR outcome; that belongs to the HR process",
    "safeguarding_process": "asked the assistant for a safeguarding decision; that is the DSL's",
    "safeguarding_disclosure": "safeguarding signposting given",
    "staff_allegation": "signposting for a concern about an adult given",
    "risk_to_self": "support signposting given",
}


def decision_heading(mode: str) -> str:
    return {"practice": "Practice target (in your words)",
            "prep": "What you settled for the session (in your words)"}.get(
        mode, "Your decision and reasons (in your words)")
