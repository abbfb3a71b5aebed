"""Lens cues in the leader's messages, sentence by sentence (sentences split by
`knowledge.text.split_sentences`, the one splitter)."""
from __future__ import annotations

from knowledge.text import split_sentences
from prompts.cues import load_cues


def lenses_in(text: str) -> dict[str, list[str]]:
    """For each live lens the text speaks to, the sentences that speak to it."""
    cues = load_cues()
    found: dict[str, list[str]] = {}
    for sentence in split_sentences(text):
        for lens, stems in cues.cues.items():
            if cues.matcher(stems).search(sentence):
                found.setdefault(lens, []).append(sentence)
    return found
