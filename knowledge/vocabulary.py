"""The cards' vocabulary and how rare each word is in them: one home for what search, the answer
index, the conversation's particulars and the guard's language check read about card words.

- `card_sentences()`: every quotable sentence of the cards (not the closing "Questions to ask
  yourself"), as (text, card id, title, heading). The answer index embeds these; rarity counts them.
- `sentence_rarity(headings)`: how rare each word stem is across those sentences,
  log(sentences / sentences with it). The answer index weighs a question's words by it, reading each
  sentence with its heading (as it matches them); the conversation judges a detail "particular to
  this case" by the sentences alone (with headings, 17 common words such as "risk" and "concern"
  would cross its bar and the details it picks would change).
- `chunk_rarity()`: the same over what search indexes (sections and phrasings), smoothed. A long
  message is searched by its sentences densest in it (knowledge.query), so it counts the units
  search matches, phrasings included.
- `section_sentences()`: the quotable sentences of each (card id, heading), in the card's order: what a
  slide or a summary of one section is built from.
- `card_words()`: every word form written in the cards, as typed (case folded, not stemmed): the
  guard's language check reads a passage mostly in these words as English.
- `card_vocabulary()`: each card's word stems (title, sections, phrasings and section questions):
  search's coverage estimate asks how much of a question's vocabulary the card ranked first uses.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache

from knowledge.card_questions import QUESTIONS_HEADING
from knowledge.lexical import tokenize
from knowledge.text import split_sentences

MIN_WORDS = 6  # a shorter line is a label or a fragment, not a sentence to quote
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

CardSentence = tuple[str, str, str, str]  # text, card id, title, heading


def card_sentences() -> tuple[list[CardSentence], dict[str, set[str]]]:
    """Every quotable sentence as (text, card id, title, heading), and each card's lenses."""
    from knowledge.chunker import chunk_card
    from knowledge.loader import load_cards

    rows: list[CardSentence] = []
    card_lenses: dict[str, set[str]] = {}
    for card in load_cards():
        card_lenses[card.id] = set(card.lenses)
        for chunk in chunk_card(card):
            if chunk.heading.startswith(QUESTIONS_HEADING):
                continue
            for sentence in split_sentences(chunk.text):
                sentence = sentence.lstrip("-* ").strip()  # a list item reads as a sentence of its own
                if (len(sentence.split()) >= MIN_WORDS and not sentence.startswith("#")
                        and "this card" not in sentence.lower()):
                    rows.append((sentence, card.id, card.title, chunk.heading))
    return rows, card_lenses


@lru_cache(maxsize=1)
def section_sentences() -> dict[tuple[str, str], list[str]]:
    """Each section's quotable sentences, in the card's order, keyed by (card id, heading)."""
    sections: dict[tuple[str, str], list[str]] = {}
    for text, card_id, _title, heading in card_sentences()[0]:
        sections.setdefault((card_id, heading), []).append(text)
    return sections


def sentence_terms(row: CardSentence) -> set[str]:
    """The word stems a card sentence is matched and counted by: its own and its heading's."""
    return set(tokenize(f"{row[0]} {row[3]}"))


def _rarity(docs: list[set[str]], smooth: bool) -> dict[str, float]:
    frequency: dict[str, int] = {}
    for doc in docs:
        for stem in doc:
            frequency[stem] = frequency.get(stem, 0) + 1
    n = len(docs)
    if smooth:
        return {stem: math.log((n + 1) / (df + 0.5)) for stem, df in frequency.items()}
    return {stem: math.log(n / df) for stem, df in frequency.items()}


@lru_cache(maxsize=2)
def sentence_rarity(headings: bool = True) -> dict[str, float]:
    """Word stem -> log(card sentences / card sentences with it), each sentence read with its heading or not."""
    rows = card_sentences()[0]
    return _rarity([sentence_terms(row) if headings else set(tokenize(row[0])) for row in rows], smooth=False)


@lru_cache(maxsize=1)
def chunk_rarity() -> dict[str, float]:
    """Word stem -> log((chunks + 1) / (chunks with it + 0.5)), over the sections and phrasings search indexes."""
    from knowledge.chunker import index_chunks
    from knowledge.loader import load_cards

    return _rarity([set(tokenize(chunk.text)) for card in load_cards() for chunk in index_chunks(card)], smooth=True)


@lru_cache(maxsize=1)
def card_words() -> frozenset[str]:
    """Every word form in the cards' titles and bodies, case folded."""
    from knowledge.loader import load_cards

    return frozenset(w.casefold() for card in load_cards() for w in _WORD.findall(f"{card.title} {card.body}"))


@lru_cache(maxsize=1)
def card_vocabulary() -> dict[str, frozenset[str]]:
    """Card id -> every word stem of its title, sections, phrasings and the questions its sections answer."""
    from knowledge.chunker import index_chunks
    from knowledge.loader import load_cards

    return {card.id: frozenset(tokenize(" ".join([card.title, *(c.text for c in index_chunks(card)),
                                                  *(q for qs in card.asks.values() for q in qs)])))
            for card in load_cards()}
