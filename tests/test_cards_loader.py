"""Cards load, validate, and fail clearly when broken."""
from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.chunker import chunk_card
from knowledge.loader import CardError, load_card, load_cards

GOOD = """---
id: sample-card
title: A sample card
kind: guidance
lenses: [send, equality]
sources:
  - title: Equality Act 2010
    url: https://www.legislation.gov.uk/ukpga/2010/15
checked: 2026-11-23
phrasings:
  - "he was sent home to calm down"
---
An opening paragraph.

## First section

Text of the first section.

### A subsection

Text of the subsection.

## Questions to ask yourself

- What did you know?
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_card_loads_and_chunks_by_section(tmp_path):
    card = load_card(write(tmp_path, "sample-card.md", GOOD))
    chunks = chunk_card(card)
    assert [c.heading for c in chunks] == [
        "Overview", "First section", "First section > A subsection", "Questions to ask yourself"]
    assert all(c.card_id == "sample-card" and c.lenses == ["send", "equality"] for c in chunks)


@pytest.mark.parametrize("broken, field", [
    (GOOD.replace("kind: guidance", "kind: rumour"), "kind"),
    (GOOD.replace("lenses: [send, equality]", "lenses: [send, astrology]"), "lenses"),
    (GOOD.replace("    url: https://www.legislation.gov.uk/ukpga/2010/15\n", "    url: not a url\n"), "sources"),
    (GOOD.replace("checked: 2026-11-23\n", ""), "checked"),
    (GOOD.replace("checked: 2026-11-23", "updated: 2026-11-23"), "checked"),
    (GOOD.replace('  - "he was sent home to calm down"', '  - "why?"'), "phrasings"),
    (GOOD.replace("id: sample-card", "id: other-card"), "id"),
    (GOOD.replace("checked: 2026-11-23", 'checked: 2026-11-23\nasks:\n  No such section:\n    - "is this in the card at all?"'), "asks"),
])
def test_a_malformed_card_names_the_file_and_field(tmp_path, broken, field):
    with pytest.raises(CardError) as err:
        load_card(write(tmp_path, "sample-card.md", broken))
    assert "sample-card.md" in str(err.value) and field in str(err.value)


def test_phrasings_are_matched_but_never_shown_as_card_text(tmp_path):
    from knowledge.chunker import index_chunks

    card = load_card(write(tmp_path, "sample-card.md", GOOD))
    assert card.phrasings == ["he was sent home to calm down"]
    assert all("sent home" not in c.text for c in chunk_card(card))
    phrasing = [c for c in index_chunks(card) if c.role == "phrasing"]
    assert [c.text for c in phrasing] == ["he was sent home to calm down"]


def test_the_questions_a_section_answers_are_matched_but_never_shown(tmp_path):
    card = load_card(write(tmp_path, "sample-card.md", GOOD.replace(
        "checked: 2026-11-23", 'checked: 2026-11-23\nasks:\n  First section:\n    - "can we  do this on a Friday?"')))
    assert card.asks == {"First section": ["can we do this on a Friday?"]}
    assert all("Friday" not in c.text for c in chunk_card(card))


def test_every_shipped_section_has_questions_it_answers():
    """The passage an answer quotes is found by the questions its section answers; a section without any
    is found by its prose alone, which meets lay questions badly."""
    for card in load_cards():
        sections = [line[3:].strip() for line in card.body.splitlines() if line.startswith("## ")]
        missing = [s for s in sections if not s.startswith("Questions to ask") and len(card.asks.get(s, [])) < 3]
        assert not missing, f"{card.id}: no questions for {missing}"


def test_broken_yaml_is_a_clear_error(tmp_path):
    with pytest.raises(CardError, match="sample-card.md: front matter is not valid YAML"):
        load_card(write(tmp_path, "sample-card.md", GOOD.replace("lenses: [send, equality]", "lenses: [send")))


def test_the_shipped_cards_all_load():
    cards = load_cards()
    assert len({c.id for c in cards}) == len(cards) >= 37
