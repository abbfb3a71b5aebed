"""The questions of the cards: each card's own reflective questions (its closing "Questions to ask
yourself" section) and the questions each section answers (the front matter's `asks`).

Search keeps the reflective questions out of what it quotes as answers; prep mode puts them to a
team, because they are the questions the card's authors thought a school should ask itself about
that topic. The section questions are what people ask that a section answers: the answer index
lifts a section whose questions are close to the one asked, and search's coverage estimate reads how
close a question comes to any of them (question meets question far better than it meets prose).
"""
from __future__ import annotations

import re
from functools import lru_cache

QUESTIONS_HEADING = "Questions to ask yourself"
ASK_FORMAT = "question"  # the section questions are embedded as written (part of their cache key)
_ITEM = re.compile(r"^\s*[-*]\s+(.+\?)\s*$", re.M)


@lru_cache(maxsize=1)
def card_questions() -> dict[str, tuple[str, ...]]:
    """Card id -> its reflective questions, in the card's order."""
    from knowledge.chunker import chunk_card
    from knowledge.loader import load_cards

    found: dict[str, tuple[str, ...]] = {}
    for card in load_cards():
        items = [m.group(1).strip() for chunk in chunk_card(card) if chunk.heading.startswith(QUESTIONS_HEADING)
                 for m in _ITEM.finditer(chunk.text)]
        if items:
            found[card.id] = tuple(items)
    return found


def section_asks() -> tuple[tuple[str, str, str], ...]:
    """Every question a card section is known to answer, as (question, card id, section heading)."""
    from knowledge.loader import load_cards

    return tuple((q, card.id, heading) for card in load_cards() for heading, questions in card.asks.items()
                 for q in questions)


def _ask_cache(asks: tuple[tuple[str, str, str], ...]):
    from knowledge.vector_cache import cache_path

    return cache_path("asks", [f"{card}|{heading}|{q}" for q, card, heading in asks], ASK_FORMAT)


def ask_vectors(asks: tuple[tuple[str, str, str], ...] | None = None):
    """The section questions' vectors, in the order of `asks` (by default `section_asks()`), from the cache
    or embedded now."""
    from knowledge.vector_cache import load_or_embed

    asks = section_asks() if asks is None else asks
    return load_or_embed(_ask_cache(asks), [q for q, _, _ in asks])


def ask_vectors_cached() -> bool:
    """Are the section questions' vectors on disk (so loading them embeds nothing)?"""
    return _ask_cache(section_asks()).exists()


_FIRST_PERSON = ((r"\bam I\b", "are we"), (r"\bhave I\b", "have we"), (r"\bdo I\b", "do we"), (r"\bcan I\b", "can we"),
                 (r"\bwould I\b", "would we"), (r"\bI'm\b", "we're"), (r"\bI've\b", "we've"), (r"\bI\b", "we"),
                 (r"\bmy\b", "our"), (r"\bme\b", "us"), (r"\bmyself\b", "ourselves"))


def as_team_question(question: str) -> str:
    """A leader's question to themselves, put to a team ("Am I at risk of..." -> "Are we at risk of...")."""
    for pattern, replacement in _FIRST_PERSON:
        def swap(match: re.Match[str], plural: str = replacement) -> str:
            # Capitalised where the question starts, or where the original was ("Am I" -> "Are we"); a bare
            # "I" mid-sentence is always a capital and becomes a plain "we".
            starts = match.start() == 0 or (match.group(0)[0].isupper() and plural != "we")
            return plural.capitalize() if starts else plural

        question = re.sub(pattern, swap, question, flags=re.I)
    return question[:1].upper() + question[1:]
