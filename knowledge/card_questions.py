"""Each card's own reflective questions (its closing "Questions to ask yourself" section).

Search keeps them out of what it quotes as answers; prep mode puts them to a
team, because they are the questions the card's authors thought a school
should ask itself about that topic.
"""
from __future__ import annotations

import re
from functools import lru_cache

QUESTIONS_HEADING = "Questions to ask yourself"
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
