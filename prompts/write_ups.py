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


class Templates(_Strict):
    decision_note: DecisionNote
    call_notes: CallNotes
    staff_briefing: StaffBriefing
    reflection: Reflection


@lru_cache(maxsize=1)
def templates() -> Templates:
    return Templates.model_validate(yaml.safe_load(PATH.read_text(encoding="utf-8")))
