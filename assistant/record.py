"""The decision record: what a complaint, review or claim can follow.

Everything in it is either the leader's own words or fixed wording: the
assistant's conclusions never appear, because it draws none.
"""
from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from assistant.models import Session

LENS_TITLES = {
    "needs": "The needs behind the behaviour", "send": "SEND and the graduated approach",
    "equality": "Equality duties", "safeguarding": "Safeguarding",
    "proportionality": "Proportionality and alternatives", "voice": "Pupil and family voice",
    "staff": "Staff", "record": "The record", "context": "Context", "scope": "Scope",
    "description": "Description", "feelings": "Feelings", "evaluation": "Evaluation", "analysis": "Analysis",
    "conclusion": "Conclusion", "action_plan": "Action plan", "what": "What?", "so_what": "So what?",
    "now_what": "Now what?",
}
MODE_TITLES = {"live": "Live situation", "practice": "Reflective practice", "prep": "Session preparation"}


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


def build_record(session: Session) -> DecisionRecord:
    from assistant.lens_tracker import lens_order
    from assistant.models import LensState

    allowed = [t for t in session.turns if t.role == "user" and t.verdict and t.verdict.action == "allow"]
    state = next((t.lens_state for t in reversed(session.turns) if t.lens_state and t.mode == session.mode),
                 None) or LensState.for_lenses(lens_order(session))
    lenses = [LensRecord(lens=name, title=LENS_TITLES.get(name, name), status=state.lenses[name].status,
                         notes=state.lenses[name].notes) for name in state.order]
    sources: dict[str, SourceRecord] = {}
    for turn in session.turns:
        for c in turn.citations:
            sources.setdefault(c.card_id, SourceRecord(card_id=c.card_id, title=c.title, heading=c.heading,
                                                       source=c.source))
    notes = [
        BoundaryNote(asked=t.text[:300], category=t.verdict.category, action=t.verdict.action)
        for t in session.turns if t.role == "user" and t.verdict and t.verdict.action != "allow"
    ]
    return DecisionRecord(
        session_id=session.id, title=session.title, mode=session.mode, created=session.created,
        exported=dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
        situation=allowed[0].text if allowed else "(no situation described)",
        lenses=lenses,
        alternatives=state.lenses["proportionality"].notes if "proportionality" in state.lenses else [],
        sources=list(sources.values()), decision=session.decision,
        open_questions=[f"{LENS_TITLES.get(n, n)}: not yet considered" for n in state.order
                        if state.lenses[n].status == "not_yet"],
        boundary_notes=notes, escalation=session.pinned,
    )


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
    return "Practice target (in your words)" if mode == "practice" else "Your decision and reasons (in your words)"
