"""The wording of the documents the assistant drafts for a leader (`write_ups.yaml`), validated; the drafting
itself is assistant/write_ups.py."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

PATH = Path(__file__).with_name("write_ups.yaml")


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DecisionNote(_Strict):
    title: str
    intro: str
    headings: dict[str, str]
    missing: dict[str, str]
    close: str
    card: str


class CallNotes(_Strict):
    title: str
    intro: str
    headings: dict[str, str]
    purpose: str
    decided: str
    undecided: str
    view: str
    no_view: str
    plan_gap: str
    ask: list[str]
    careful: list[str]
    after: str
    card: str


class StaffBriefing(_Strict):
    title: str
    intro: str
    headings: dict[str, str]
    missing: dict[str, str]
    card: str


class Reflection(_Strict):
    title: str
    intro: str
    missing_target: str
    card: str


class DecisionParagraph(_Strict):
    intro: str
    pupil: str
    options: str
    views: str
    decision: str
    reasons: str
    next: str
    missing_decision: str
    missing_reasons: str


class MeetingNotes(_Strict):
    title: str
    intro: str
    headings: dict[str, str]
    purpose: str
    ask: list[str]
    concerns: str
    actions: str
    card: str


class Letter(_Strict):
    title: str
    intro: str
    greeting: str
    why: str
    doing: str
    missing_doing: str
    contact: str
    sign: str
    refused: str
    card: str


class GovernorsSummary(_Strict):
    title: str
    intro: str
    headings: dict[str, str]
    safeguarding: str
    card: str


class Stage(_Strict):
    name: str
    purpose: str


class Templates(_Strict):
    decision_note: DecisionNote
    decision_paragraph: DecisionParagraph
    call_notes: CallNotes
    meeting_notes: MeetingNotes
    letter: Letter
    governors_summary: GovernorsSummary
    staff_briefing: StaffBriefing
    reflection: Reflection
    schon: dict[str, Stage]
    third_person: dict[str, str]
    left_out: str  # {items}: what the leader asked to be left out of the draft


@lru_cache(maxsize=1)
def templates() -> Templates:
    return Templates.model_validate(yaml.safe_load(PATH.read_text(encoding="utf-8")))
