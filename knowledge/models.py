"""Typed records that cross module boundaries: cards, chunks, search hits."""
from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field, HttpUrl, field_validator

Lens = Literal[
    "needs", "behaviour", "send", "safeguarding", "equality",
    "proportionality", "voice", "staff", "record", "governance",
]
LENSES: tuple[str, ...] = Lens.__args__  # type: ignore[attr-defined]


class Source(BaseModel):
    title: str = Field(min_length=3)
    url: HttpUrl


class CardMeta(BaseModel):
    """The YAML front matter of a card; validated so a broken card names its field."""

    model_config = {"extra": "forbid"}

    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    title: str = Field(min_length=3)
    kind: Literal["guidance", "case"]
    sources: list[Source] = Field(min_length=1)
    lenses: list[Lens] = Field(min_length=1)
    # The date the card's sources were last verified against their published text.
    checked: dt.date
    # How people describe the card's situations in their own words: indexed for matching, never shown.
    phrasings: list[str] = []
    # The questions each section answers, in users' own words (section heading -> questions): matched
    # against a question to choose the passage that answers it, never shown.
    asks: dict[str, list[str]] = {}
    # Standard-score units added to the card's fused search score: negative for a broad card that the
    # automatic hub correction leaves near the top for questions it does not answer. Measure on the
    # tuning rows before setting it; 0 for nearly every card.
    search_weight: float = Field(default=0.0, ge=-3.0, le=1.0)

    @field_validator("lenses")
    @classmethod
    def _unique(cls, v: list[str]) -> list[str]:
        return list(dict.fromkeys(v))

    @field_validator("phrasings")
    @classmethod
    def _phrasings(cls, v: list[str]) -> list[str]:
        cleaned = [" ".join(p.split()) for p in v]
        if any(len(p) < 8 for p in cleaned):
            raise ValueError("each phrasing must be a sentence or question of at least 8 characters")
        return list(dict.fromkeys(cleaned))

    @field_validator("asks")
    @classmethod
    def _asks(cls, v: dict[str, list[str]]) -> dict[str, list[str]]:
        cleaned = {heading: list(dict.fromkeys(" ".join(q.split()) for q in questions)) for heading, questions in v.items()}
        if any(len(q) < 8 for questions in cleaned.values() for q in questions):
            raise ValueError("each question a section answers must be at least 8 characters")
        return cleaned


class Card(CardMeta):
    body: str
    path: str
    content_hash: str


class Chunk(BaseModel):
    chunk_id: str
    card_id: str
    title: str
    heading_path: list[str]
    lenses: list[str]
    text: str
    kind: str = "guidance"
    # "section" is card text (shown and quoted); "phrasing" is a way people describe the situation (matched only).
    role: Literal["section", "phrasing"] = "section"

    @property
    def heading(self) -> str:
        return " > ".join(self.heading_path)


class Hit(BaseModel):
    card_id: str
    title: str
    heading: str
    snippet: str
    score: float
    lenses: list[str] = []
    kind: str = "guidance"
    source: str | None = None
    # the school's own documents: the sentence or table row that answers the query, no heading glued
    # on, and where it sits ("page 3, under “Sanctions”, paragraph 2")
    answer: str | None = None
    location: str | None = None


class SearchResult(BaseModel):
    """One search: the cards found, and how far the cards cover the question at all."""

    query: str  # what was matched: a long message is reduced to its question and key facts
    hits: list[Hit]
    # Calibrated estimate (0-1) that a card in the hits answers the question; below
    # COVERED_AT the caller should say the cards do not cover it rather than cite the nearest.
    coverage: float
    covered: bool
