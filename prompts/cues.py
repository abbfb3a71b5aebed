"""Lens cues, named terms and prep-mode risks (prompts/lenses.yaml), validated."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, field_validator

from prompts.bank import SAFE_LOADER


class Risk(BaseModel):
    cues: list[str]
    risk: str
    cards: list[str]


class Signal(BaseModel):
    """A fact in the leader's message that the law speaks to directly, and what it says."""

    pattern: str
    point: str
    card: str
    section: str

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, v: str) -> str:
        re.compile(v)
        return v

    def heard_in(self, message: str) -> bool:
        return re.search(self.pattern, message, re.IGNORECASE) is not None


class LensCues(BaseModel):
    cues: dict[str, list[str]]
    named: dict[str, dict[str, list[str]]]  # group -> phrase said -> words that name it
    risks: list[Risk]
    signals: list[Signal] = []

    def matcher(self, stems: list[str]) -> re.Pattern[str]:
        return _compile(tuple(stems))


@lru_cache(maxsize=256)
def _compile(stems: tuple[str, ...]) -> re.Pattern[str]:
    # A stem ending in "$" matches a whole word only ("sen$" is not "sent").
    parts = [
        re.escape(s[:-1].lower()) + r"(?![a-z0-9])" if s.endswith("$") else re.escape(s.lower())
        for s in sorted(stems, key=len, reverse=True)
    ]
    alternatives = "|".join(parts)
    return re.compile(rf"(?<![a-z0-9])(?:{alternatives})", re.IGNORECASE)


@lru_cache(maxsize=1)
def load_cues() -> LensCues:
    raw = yaml.load((Path(__file__).parent / "lenses.yaml").read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    return LensCues.model_validate(raw)
