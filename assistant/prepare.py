"""What the first reply needs, built or loaded ahead of it: the embedding model, the search
index (embedded on the first run), the searcher's cached vectors, the card sentences' vectors
(embedded on the first run), the question bank and the guard's classifier.

`reflect prepare` runs it at install time (`make install`), so the first start only loads;
the app's warm-up runs it again, cheaply, reporting each step. Offline; safe to re-run.
"""
from __future__ import annotations

import time
from typing import Callable

Progress = Callable[[str], None]

STEP_MODEL = "Loading the embedding model…"
STEP_GUIDANCE = "Loading the guidance…"
STEP_GUARD = "Loading the safety checks…"
STEP_ANSWERS = "Loading the card sentences…"
STEP_QUESTIONS = "Loading the questions…"


def prepare(progress: Progress | None = None) -> dict[str, float]:
    """Run every step; returns seconds per step. Raises ReflectError with a clear message on failure."""
    from assistant.answers import sentence_index, sentences_cached
    from guardrails import get_guard
    from knowledge.embedder import get_embedder
    from knowledge.index import ensure_index, needs_build
    from knowledge.search import get_searcher

    say = progress or (lambda _text: None)
    seconds: dict[str, float] = {}

    def step(name: str, text: str, work: Callable[[], object]) -> None:
        say(text)
        started = time.perf_counter()
        work()
        seconds[name] = round(time.perf_counter() - started, 2)

    step("model", STEP_MODEL, get_embedder)
    if needs_build():
        step("index", "Building the search index (first run)…", lambda: ensure_index(
            progress=lambda done, total: say(f"Building the search index: {done} of {total} cards…")))
    step("guidance", STEP_GUIDANCE, get_searcher)
    # every sentence of every card, for answering first: about a thousand to embed on a first run
    first = not sentences_cached()
    step("answers", "Embedding the card sentences (first run)…" if first else STEP_ANSWERS,
         sentence_index)
    step("questions", STEP_QUESTIONS, _load_questions)
    step("guard", STEP_GUARD, lambda: get_guard().warm())
    return seconds


def _load_questions() -> None:
    """The question bank, the phrases and the lenses' cues: read once, before the first reply needs them."""
    from prompts.bank import load_bank, load_phrases
    from prompts.cues import load_cues

    load_bank()
    load_phrases()
    load_cues()
