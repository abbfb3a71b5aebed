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


# A mention that the clause before it denies ("no SEND", "not autistic", "doesn't have an EHCP", "no formal
# diagnosis of autism"): up to three words may sit between, but not a possessive ("not in his EHCP" says he has one).
_DENIED = re.compile(r"(?:\b(?:no|not|without|never|nor|non)|n['’]t)[ -]+(?:(?!(?:his|her|their|its|my|our)\b)[\w'’]+ +){0,3}$",
                     re.I)


def mentions(text: str, group: str) -> list[tuple[int, str]]:
    """(position, phrase) for each phrase of a named group ("autism", "a suspension") the text names, by its
    first mention that is not denied: the one home for reading what a leader named."""
    found: list[tuple[int, str]] = []
    for phrase, pattern in _named_patterns(group):
        for match in pattern.finditer(text):
            clause = re.split(r"[.;:!?,()\n]", text[max(0, match.start() - 60):match.start()])[-1]
            if not _DENIED.search(clause):
                found.append((match.start(), phrase))
                break
    return sorted(found)


@lru_cache(maxsize=None)
def _named_patterns(group: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each phrase's words as one compiled pattern, built once (not recompiled on every message)."""
    return tuple((phrase, re.compile("|".join(rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])" for w in words), re.I))
                 for phrase, words in load_cues().named[group].items())


@lru_cache(maxsize=1)
def load_cues() -> LensCues:
    raw = yaml.load((Path(__file__).parent / "lenses.yaml").read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    return LensCues.model_validate(raw)
