"""The field's terms and abbreviations: query expansion, normalisation, display."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field, ValidationError

from knowledge.errors import ReflectError

GLOSSARY_PATH = Path(__file__).parent / "glossary.yaml"


class Term(BaseModel):
    term: str = Field(min_length=1)
    expansion: str = Field(min_length=1)
    definition: str = Field(min_length=1)
    aliases: list[str] = []


@lru_cache(maxsize=1)
def load_glossary(path: Path = GLOSSARY_PATH) -> tuple[Term, ...]:
    if not path.exists():
        return ()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        return tuple(Term.model_validate(item) for item in raw)
    except (yaml.YAMLError, ValidationError, TypeError) as exc:
        raise ReflectError(f"{path.name}: the glossary is malformed: {exc}") from None


@lru_cache(maxsize=1)
def _abbreviation_pattern() -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """Abbreviations (short, mostly capitals) mapped to their expansions."""
    table: dict[str, str] = {}
    for entry in load_glossary():
        for name in [entry.term, *entry.aliases]:
            if len(name) <= 6 and name.replace("/", "").isalnum() and any(c.isupper() for c in name):
                table.setdefault(name.lower(), entry.expansion)
    if not table:
        return None, {}
    alternatives = "|".join(sorted((re.escape(k) for k in table), key=len, reverse=True))
    return re.compile(rf"\b({alternatives})s?\b", re.IGNORECASE), table


def expand_abbreviations(text: str, keep_original: bool = True) -> str:
    """'PEX for a CLA pupil' -> 'PEX (permanent exclusion) for a CLA (child looked after) pupil'.

    Only whole words written in capitals count ("pa" in prose is left alone,
    "PA" is persistent absence), so ordinary words are never rewritten.
    """
    pattern, table = _abbreviation_pattern()
    if pattern is None:
        return text

    def replace(match: re.Match[str]) -> str:
        word = match.group(0)
        core = match.group(1)
        if not any(c.isupper() for c in core):
            return word
        expansion = table[core.lower()]
        return f"{word} ({expansion})" if keep_original else expansion

    return pattern.sub(replace, text)


def expansions_in(text: str) -> list[str]:
    """The expansions of abbreviations found in text (for query expansion)."""
    pattern, table = _abbreviation_pattern()
    if pattern is None:
        return []
    found = []
    for match in pattern.finditer(text):
        if any(c.isupper() for c in match.group(1)):
            found.append(table[match.group(1).lower()])
    return list(dict.fromkeys(found))
