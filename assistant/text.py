"""Sentence splitting and lens cues for the leader's messages: one home, used by
the lens tracker, the case record, message understanding and the answers."""
from __future__ import annotations

import re

from prompts.cues import load_cues

_sentence = re.compile(r"(?<=[.!?])\s+|\n+")


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
