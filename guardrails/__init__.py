"""Hard guardrails: one verdict per message (allow, refuse or escalate), and the output rail.

    from guardrails import get_guard, Recent
    verdict = get_guard().check(text, recent=[Recent(...)], writer_is_dsl=None)
    verdict = get_guard().check_output(reply)

`import guardrails` is cheap: the checker, numpy and the embedding model load
on first use of `get_guard()`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .models import Recent, Verdict

if TYPE_CHECKING:
    from .checker import Guard

__all__ = ["Guard", "Recent", "Verdict", "get_guard"]


def get_guard() -> "Guard":
    """The shared guard, built on first use."""
    from .checker import get_guard as _get_guard

    return _get_guard()


def __getattr__(name: str):
    if name == "Guard":
        from .checker import Guard

        return Guard
    raise AttributeError(f"module 'guardrails' has no attribute {name!r}")
