"""Which lenses the leader has spoken to, and what they said under each."""
from __future__ import annotations

import re

from assistant.models import LensState, Session
from prompts import bank
from prompts.cues import load_cues

SUBSTANTIVE_WORDS = 6  # an answer shorter than this does not close a lens
MAX_NOTES = 4
_sentence = re.compile(r"(?<=[.!?])\s+|\n+")


def lens_order(session: Session) -> tuple[str, ...]:
    return bank.lens_order(session.mode, session.reflective_model)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _sentence.split(text) if s.strip()]


def lenses_in(text: str) -> dict[str, list[str]]:
    """For each live lens the text speaks to, the sentences that speak to it."""
    cues = load_cues()
    found: dict[str, list[str]] = {}
    for sentence in sentences(text):
        for lens, stems in cues.cues.items():
            if cues.matcher(stems).search(sentence):
                found.setdefault(lens, []).append(sentence)
    return found


def _note(entry_notes: list[str], text: str) -> None:
    text = " ".join(text.split())
    if len(text) > 400:
        text = text[:400].rsplit(" ", 1)[0] + " …"
    if text and text not in entry_notes and len(entry_notes) < MAX_NOTES:
        entry_notes.append(text)


def update(state: LensState, message: str, answering: str | None) -> LensState:
    """Fold a leader's message into the lens state.

    `answering` is the lens the last reply asked about: a substantive answer
    covers it. Other lenses the message speaks to are marked touched, with the
    leader's own sentences kept as notes.
    """
    state = state.model_copy(deep=True)
    for lens, said in lenses_in(message).items():
        if lens in state.lenses:
            entry = state.lenses[lens]
            if entry.status == "not_yet":
                entry.status = "touched"
            for sentence in said[:2]:
                _note(entry.notes, sentence)
    if answering in state.lenses and len(message.split()) >= SUBSTANTIVE_WORDS:
        entry = state.lenses[answering]
        entry.status = "covered"
        _note(entry.notes, message)
    return state
