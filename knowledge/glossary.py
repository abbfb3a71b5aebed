"""The field's terms and abbreviations, loaded from glossary.yaml (expansion lives in knowledge.text)."""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field, ValidationError, field_validator

from knowledge.errors import ReflectError
from knowledge.models import Source
from knowledge.yamlfile import load_yaml

GLOSSARY_PATH = Path(__file__).parent / "glossary.yaml"


class Term(BaseModel):
    term: str = Field(min_length=1)
    expansion: str = Field(min_length=1)
    definition: str = Field(min_length=1)
    aliases: list[str] = []
    # Also an ordinary abbreviation with another meaning (DT, CP): shown, never auto-expanded.
    ambiguous: bool = False
    # How people say it without the term ("school refuser", "held him down"): search adds the
    # expansion to a query that uses one, so lay wording meets the cards' wording. Never shown.
    lay: list[str] = []
    # Looser ways of saying it, as regular expressions (any case): "sent him home", "kicking off".
    # Too broad for search (they pulled the right card down there); the answer to a question a
    # leader has asked is looked up with them (knowledge.text.lay_terms_in(..., broad=True)).
    lay_patterns: list[str] = []
    # The words an answer is looked up with when a lay pattern matches, where they differ from the expansion
    # ("reasonable force restrictive intervention"): the answer index matches card sentences, not terms.
    answer_terms: str | None = None
    # Where the definition was checked, and when, as a card records it; `unverified` says what was not
    # confirmed against the published text (a secondary source only, or a point left open).
    sources: list[Source] = []
    checked: dt.date | None = None
    unverified: str | None = None

    @field_validator("lay_patterns")
    @classmethod
    def _patterns_compile(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"lay pattern {pattern!r} is not a valid regular expression: {exc}") from None
        return patterns


@lru_cache(maxsize=1)
def load_glossary(path: Path = GLOSSARY_PATH) -> tuple[Term, ...]:
    if not path.exists():
        return ()
    try:
        raw = load_yaml(path.read_text(encoding="utf-8")) or []
        return tuple(Term.model_validate(item) for item in raw)
    except (yaml.YAMLError, ValidationError, TypeError) as exc:
        raise ReflectError(f"{path.name}: the glossary is malformed: {exc}") from None


def term_named(text: str) -> Term | None:
    """The glossary term a short question names by its abbreviation, its expansion or an alias ("what does FTE
    stand for?", "what's an EHC plan?"); the longest name wins, so "EHC plan" is not read as "EHC"."""
    best: tuple[int, Term] | None = None
    for term in load_glossary():
        for name in (term.term, term.expansion, *term.aliases):
            # An abbreviation that is also an ordinary word or initials (DT, CP) counts only in capitals.
            flags = 0 if term.ambiguous and name == term.term else re.I
            if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, flags) and (best is None or len(name) > best[0]):
                best = (len(name), term)
    return best[1] if best else None
