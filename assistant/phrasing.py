"""The offline responder's language, from prompts/phrases.yaml.

Each method returns one finished piece of a reply; which variant is used is
seeded, so replies vary between sessions and never read like a form.
"""
from __future__ import annotations

import hashlib
from typing import Any

from prompts.bank import load_phrases

STAGE_SETS = ("gibbs", "rolfe")


def _pick(options: list[str], seed: tuple[str, ...], salt: str) -> str:
    if not options:
        return ""
    digest = hashlib.sha256("|".join((*seed, salt)).encode()).hexdigest()
    return options[int(digest[:12], 16) % len(options)]


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


class Phrases:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    @classmethod
    def load(cls) -> "Phrases":
        raw = load_phrases()
        return cls(raw.model_dump() if hasattr(raw, "model_dump") else dict(raw))

    # --- lens and stage names -------------------------------------------------

    def _lens(self, mode: str, lens: str) -> dict[str, Any]:
        if mode == "practice":
            for stage_set in STAGE_SETS:
                stage = self.data.get("practice_stages", {}).get(stage_set, {}).get(lens)
                if stage:
                    return stage
        return self.data.get("lens_intros", {}).get(lens, {"name": lens.replace("_", " "), "why": ""})

    def lens_name(self, mode: str, lens: str) -> str:
        return self._lens(mode, lens).get("name", lens)

    # --- pieces of a reply ----------------------------------------------------

    def opening(self, mode: str, named: list[str], seed: tuple[str, ...]) -> str:
        options = self.data.get("openings", {}).get(mode, [])
        if named:
            with_named = [o for o in options if "{named}" in o]
            return _pick(with_named or options, seed, "opening").format(named=_join(named))
        return _pick([o for o in options if "{named}" not in o] or options, seed, "opening").format(named="")

    def acknowledgement(self, echo: str | None, seed: tuple[str, ...]) -> str:
        options = self.data.get("acknowledgements", [])
        if echo:
            with_echo = [o for o in options if "{echo}" in o]
            return _pick(with_echo or options, seed, "ack").format(echo=echo)
        return _pick([o for o in options if "{echo}" not in o] or options, seed, "ack").format(echo="")

    def safety_check(self, seed: tuple[str, ...]) -> str:
        return _pick(self.data.get("safety_check", []), seed, "safety")

    def lens_intro(self, mode: str, lens: str, first: bool, seed: tuple[str, ...]) -> str:
        info = self._lens(mode, lens)
        name, why = info.get("name", lens), info.get("why") or info.get("purpose", "")
        if first:
            return f"Let's start with **{name}**. {why}".strip()
        return f"Now **{name}**. {why}".strip()

    def next_up(self, mode: str, lens: str, seed: tuple[str, ...]) -> str:
        info = self._lens(mode, lens)
        transitions = info.get("transitions") or []
        if transitions:
            return _pick(transitions, seed, "next")
        return f"After that I'd like to look at **{info.get('name', lens)}**."

    def grounding_lead(self, seed: tuple[str, ...]) -> str:
        return _pick(self.data.get("grounding_leads", []) or ["Why it matters:"], seed, "ground")

    def closing(self, mode: str, seed: tuple[str, ...]) -> str:
        return _pick(self.data.get("closings", {}).get(mode, []), seed, "closing")

    def nothing_left(self, lens: str) -> str:
        return "I have no further questions under this lens; say what you think is still open, or we can move on."
