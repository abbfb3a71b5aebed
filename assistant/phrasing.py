"""The offline responder's language, from prompts/phrases.yaml.

Each method returns one finished piece of a reply; which variant is used is
seeded, so replies vary between sessions and never read like a form.
"""
from __future__ import annotations

import hashlib

from prompts.bank import Phrases as PhraseData
from prompts.bank import load_phrases


def _pick(options, seed: tuple[str, ...], salt: str) -> str:
    options = list(options)
    if not options:
        return ""
    digest = hashlib.sha256("|".join((*seed, salt)).encode()).hexdigest()
    return options[int(digest[:12], 16) % len(options)]


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


class Phrases:
    def __init__(self, data: PhraseData) -> None:
        self.data = data

    @classmethod
    def load(cls) -> "Phrases":
        return cls(load_phrases())

    def lens_name(self, mode: str, lens: str) -> str:
        if mode == "practice":
            return self.data.stage(lens).name
        intro = self.data.lens_intros.get(lens)
        return intro.name if intro else lens.replace("_", " ")

    def opening(self, mode: str, named: list[str], seed: tuple[str, ...]) -> str:
        options = self.data.openings[mode]
        with_named = [o for o in options if "{named}" in o]
        plain = [o for o in options if "{named}" not in o]
        if named and with_named:
            return _pick(with_named, seed, "opening").format(named=_join(named))
        return _pick(plain or options, seed, "opening").format(named="this situation")

    def acknowledgement(self, echo: str | None, seed: tuple[str, ...]) -> str:
        options = self.data.acknowledgements
        with_echo = [o for o in options if "{echo}" in o]
        plain = [o for o in options if "{echo}" not in o]
        if echo and with_echo:
            return _pick(with_echo, seed, "ack").format(echo=echo)
        return _pick(plain or options, seed, "ack").format(echo="")

    def safety_check(self, seed: tuple[str, ...]) -> str:
        return _pick(self.data.safety_check, seed, "safety")

    def lens_intro(self, mode: str, lens: str, first: bool, seed: tuple[str, ...]) -> str:
        if mode == "practice":
            return self.data.stage(lens).intro
        intro = self.data.lens_intros[lens]
        lead = "Let's start with" if first else _pick(["Now to", "Turning to", "Let's look at"], seed, "lead")
        return f"{lead} **{intro.name}**. {intro.why}"

    def next_up(self, mode: str, lens: str, seed: tuple[str, ...]) -> str:
        if mode == "practice":
            stage = self.data.stage(lens)
            return f"When you're ready, we'll move on to **{stage.name}**: {stage.purpose[0].lower()}{stage.purpose[1:]}"
        # Rotate through the variants turn by turn, so staying on a lens never repeats the line.
        options = self.data.lens_intros[lens].transitions
        start = int(hashlib.sha256(f"{seed[0]}|{lens}".encode()).hexdigest()[:8], 16)
        turn = int(seed[1]) // 2 if len(seed) > 1 and seed[1].isdigit() else 0
        return options[(start + turn) % len(options)]

    def grounding_lead(self, mode: str, seed: tuple[str, ...]) -> str:
        leads = self.data.grounding_leads
        if mode == "practice":  # coaching, not law: keep the legal framing for live and prep
            leads = [lead for lead in leads if not any(w in lead.lower() for w in ("legal", "dut", "law"))] or leads
        return _pick(leads, seed, "ground")

    def closing(self, mode: str, seed: tuple[str, ...]) -> str:
        return _pick(self.data.closings[mode], seed, "closing")

    @staticmethod
    def nothing_left(lens: str) -> str:
        return "I've no further questions under this lens; tell me what still feels open, or we can move on."
