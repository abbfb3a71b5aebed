"""What the guard remembers of a conversation, in one place for the engine, the CLI and evaluation.

The guard sees the last few user turns, each trimmed, with the verdict each got:
enough to read a short follow-up against the facts before it ("so who started
it?"), to refuse the same determination pressed again after a refusal, and to
read a disclosure split across two turns.
"""
from __future__ import annotations

from typing import Callable, Sequence

from .models import Recent

KEEP_TURNS = 6
KEEP_CHARS = 2000


def recent_turns(history: Sequence[Recent]) -> list[Recent]:
    """The memory the guard is given: the last user turns with their verdicts, each trimmed."""
    return [Recent(text=r.text[:KEEP_CHARS], action=r.action, category=r.category)
            for r in list(history)[-KEEP_TURNS:]]


def judge_conversation(guard, turns: Sequence[str], writer_is_dsl: bool | None = None,
                       writer_of: Callable[[str], str | None] | None = None) -> list:
    """Each turn's verdict, judged with exactly the memory the engine passes. `writer_of` reads the writer's
    role from what they have said so far (the engine passes assistant.roles' reading; the guard has none)."""
    history: list[Recent] = []
    verdicts = []
    said: list[str] = []
    for text in turns:
        said.append(text)
        writer = writer_of("\n".join(said)) if writer_of else None
        verdict = guard.check(text, recent=recent_turns(history), writer_is_dsl=writer_is_dsl, writer=writer)
        verdicts.append(verdict)
        history.append(Recent(text=text, action=verdict.action, category=verdict.category))
    return verdicts
