"""The legal signals (prompts/lenses.yaml): each names a real card section, and fires on the facts it is for."""
from __future__ import annotations

import pytest

from knowledge.loader import cards_by_id
from prompts.cues import load_cues


def test_every_signal_cites_a_section_its_card_has():
    cards = cards_by_id()
    for signal in load_cues().signals:
        assert signal.card in cards, signal.card
        headings = [line[3:].strip() for line in cards[signal.card].body.splitlines() if line.startswith("## ")]
        assert signal.section in headings, (signal.card, signal.section)


def _signals(message: str) -> set[str]:
    return {s.card for s in load_cues().signals if s.heard_in(message)}


@pytest.mark.parametrize(("message", "card"), [
    ("The cover supervisor hadn't been told about his sensory plan and made him sit by the door.",
     "equality-act-reasonable-adjustments"),
    ("She didn't get her key worker at lunch because he was off sick, and that's when it kicked off.",
     "equality-act-reasonable-adjustments"),
    ("Honestly we never knew he had ADHD until mum told us after the detention.", "equality-act-discrimination-arising"),
    ("Two Year 10 boys were using racist language about a Sikh pupil in the changing rooms.", "bullying-and-prejudice"),
    ("This is his fourth suspension since September.", "suspension-exclusion-legal-framework"),
])
def test_a_fact_the_law_speaks_to_raises_its_signal(message, card):
    assert card in _signals(message)


@pytest.mark.parametrize("message", [
    "I didn't know what to say to him after the lesson.",
    "The TA was there and he settled quickly.",
    "We had a race in PE and he came second.",
])
def test_ordinary_facts_raise_no_new_signal(message):
    assert not _signals(message)
