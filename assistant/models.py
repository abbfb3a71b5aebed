"""The conversation's records (pydantic): they cross into the store, the
export and the app, so they are validated and serialisable.
"""
from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from assistant.case_record import CaseRecord
from assistant.understanding import Understanding

# The modes, lenses and reflective stages, in order, are defined once with the question bank.
from prompts.bank import GIBBS_STAGES, LIVE_LENSES, MODES, ROLFE_STAGES  # noqa: F401  (re-exported)

Mode = Literal["live", "practice", "prep"]
LensStatus = Literal["not_yet", "touched", "covered"]


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


class LensEntry(BaseModel):
    status: LensStatus = "not_yet"
    notes: list[str] = Field(default_factory=list)  # what the leader said under this lens, in their words


class LensState(BaseModel):
    order: list[str]
    lenses: dict[str, LensEntry]
    current: str | None = None
    asked: list[str] = Field(default_factory=list)  # question ids already asked (never repeat)

    @classmethod
    def for_lenses(cls, order: tuple[str, ...] | list[str]) -> "LensState":
        return cls(order=list(order), lenses={name: LensEntry() for name in order})

    def covered(self) -> list[str]:
        return [n for n in self.order if self.lenses[n].status == "covered"]

    def touched(self) -> list[str]:
        return [n for n in self.order if self.lenses[n].status != "not_yet"]

    def next_open(self, after: str | None = None) -> str | None:
        """The first lens, in order, not yet covered (other than `after`)."""
        for name in self.order:
            if name != after and self.lenses[name].status != "covered":
                return name
        return None


class Citation(BaseModel):
    card_id: str
    title: str
    heading: str = ""
    source: str | None = None
    document: bool = False  # True for the school's own ingested documents


class VerdictRecord(BaseModel):
    action: str
    category: str
    reason: str = ""
    signals: list[str] = Field(default_factory=list)


class Turn(BaseModel):
    role: Literal["user", "assistant"]
    text: str
    mode: Mode
    created: dt.datetime = Field(default_factory=now)
    verdict: VerdictRecord | None = None
    citations: list[Citation] = Field(default_factory=list)
    lens_state: LensState | None = None
    lens: str | None = None  # the lens (or stage) this turn spoke to
    kind: Literal["reflection", "refusal", "escalation", "summary", "notice", "plan", "decision", "answer",
                  "roleplay", "support", "document"] = "reflection"
    notice: str | None = None  # e.g. "the model did not answer; the offline responder replied"
    understanding: Understanding | None = None  # on user turns: what kind of message it was
    sent_to_model: str | None = None  # the redacted text a remote model saw, for the user to inspect


class Session(BaseModel):
    id: str
    title: str
    mode: Mode = "live"
    created: dt.datetime = Field(default_factory=now)
    updated: dt.datetime = Field(default_factory=now)
    pinned: str | None = None  # escalation signposting kept in view for the rest of the session
    reflective_model: Literal["gibbs", "rolfe"] = "gibbs"
    names: list[str] = Field(default_factory=list)  # people to redact before a remote model
    decision: str | None = None  # the leader's own decision and reasons, in their words
    revision: int = 0  # the store's write counter when this copy was read (not saved in the record)
    case: CaseRecord = Field(default_factory=CaseRecord)  # what the leader has told us (own table in the store)
    turns: list[Turn] = Field(default_factory=list)
    earlier: int = 0  # saved turns before `turns` not loaded (a long session is read a page at a time)

    @property
    def escalated(self) -> bool:
        """A safeguarding concern was signposted in this session (its signposting is pinned from then on)."""
        return self.pinned is not None

    @property
    def handed_on(self) -> bool:
        """Since the latest escalation about a child or an adult working with children, the leader has said the
        concern has been passed on (the DSL, the LADO, a referral): its signposting stays pinned, folded, and
        is not repeated. A risk to the writer's own life is never answered by telling the DSL."""
        for turn in reversed(self.turns):
            if turn.role != "user" or turn.verdict is None:
                continue
            if turn.verdict.action == "escalate":
                return False
            if any(s.startswith("signal:handled:") for s in turn.verdict.signals):
                return self._last_escalation() not in (None, "risk_to_self")
        return False

    def _last_escalation(self) -> str | None:
        return next((t.verdict.category for t in reversed(self.turns)
                     if t.role == "user" and t.verdict and t.verdict.action == "escalate"), None)

    @property
    def said(self) -> str:
        """Everything the assistant has said in the loaded turns, one reply a line: what a new reply must not
        repeat."""
        return "\n".join(t.text for t in self.turns if t.role == "assistant")


class SessionSummary(BaseModel):
    id: str
    title: str
    mode: Mode
    updated: dt.datetime
    turns: int
    pinned: bool
