"""The types a reply is built from, shared by the composer, the prep planner
and the model responder (kept apart so none of them imports another)."""
from __future__ import annotations

import re
from typing import Callable

from pydantic import BaseModel, Field

from assistant.answers import Answer
from assistant.models import Citation, LensState, Session
from assistant.understanding import Understanding
from knowledge.models import Hit
from prompts.bank import Question


class ReplyContext(BaseModel):
    model_config = {"arbitrary_types_allowed": True}

    session: Session
    message: str
    state: LensState
    target: str | None  # the lens (or stage) this reply asks about; None when all are covered
    hits: list[Hit]
    first: bool
    understanding: Understanding
    answer: Answer | None = None  # sentences that answer what the message asks, with their cards
    support: Answer | None = None  # a sentence grounding the lens in hand, for messages that ask nothing
    new_facts: list[str] = Field(default_factory=list)  # what this message added to the case record
    query: str = ""  # what the cards were searched for: the message's questions and key facts
    # How far the cards cover the message (0-1, calibrated); when not covered, say the cards do not
    # cover it rather than cite the nearest card as if it answered.
    coverage: float | None = None
    covered: bool = True
    handed_on: bool = False  # the guard read this message as saying the concern has been passed on
    lookup: Callable[[str, str], Hit | None] | None = None  # (card id, query) -> that card's best section
    search: Callable[..., list[Hit]] | None = None  # the card search, for the prep planner's case studies
    ground: Callable[[str, set[str] | None], Answer] | None = None  # (text, cards) -> the sentence that grounds it


class Draft(BaseModel):
    text: str
    lens: str | None
    citations: list[Citation] = Field(default_factory=list)
    question_ids: list[str] = Field(default_factory=list)
    questions: list[Question] = Field(default_factory=list)  # the questions asked, for the model prompt
    echoes: list[str] = Field(default_factory=list)  # quoted words that are not the assistant's claims
    kind: str = "reflection"


def citation_for(hit: Hit) -> Citation:
    return Citation(card_id=hit.card_id, title=hit.title, heading=hit.heading, source=hit.source,
                    document=hit.card_id.startswith("doc:"))


def cite_tag(hit: Hit) -> str:
    if hit.card_id.startswith("doc:"):
        return f"[your document, {hit.title}, {hit.heading}]"
    return f"[`{hit.card_id}`]"


def named_terms(text: str, group: str, limit: int = 3) -> list[str]:
    """Phrases for what the leader named ("autism", "an EHC plan"), in the order they named them."""
    from prompts.cues import mentions

    return [phrase for _, phrase in mentions(text, group)[:limit]]
