"""Shared helpers for the guard's round tests (test_guard_r6, r7, r8): a verdict as (action, category), a
conversation's verdicts judged with the engine's memory. The `guard` fixture is in conftest.py."""
from __future__ import annotations

from guardrails.memory import judge_conversation

ALLOW = ("allow", "reflection")


def verdict(guard, text):
    v = guard.check(text)
    return v.action, v.category


def actions(guard, turns):
    return [(v.action, v.category) for v in judge_conversation(guard, turns)]
