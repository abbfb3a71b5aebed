"""The policy's regular expressions, compiled once, run over every sentence.

Patterns are written against normalised text (casefolded, abbreviations
expanded) and may name a macro as `%name%` (for example `%pupil%`). A rule is
a signal, not a verdict: the checker weighs it with the classifier.
Sentences are scanned joined by newlines, so a pattern must not match a
newline (no `\\s`, no negated class): a match then never spans two sentences.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Iterable, Sequence

from knowledge.errors import ReflectError

from .models import Policy

_MACRO = re.compile(r"%([a-z_]+)%")


@dataclass(frozen=True)
class Hit:
    sentence: int
    group: str   # a category, or a signal kind (allow, handled, rephrase, ...)
    kind: str    # strong | hint | output | signal
    name: str

    @property
    def label(self) -> str:
        return f"{self.kind}:{self.group}:{self.name}"


Rule = tuple[str, str, str, "re.Pattern[str]"]


def _expand(pattern: str, macros: dict[str, str], where: str) -> str:
    for _ in range(5):
        if "%" not in pattern:
            break
        pattern = _MACRO.sub(lambda m: _macro(m.group(1), macros, where), pattern)
    if "\\s" in pattern or "[^" in pattern:
        raise ReflectError(f"guardrail policy: pattern {where} may match across sentences (\\s or [^...])")
    return pattern


def _macro(name: str, macros: dict[str, str], where: str) -> str:
    if name not in macros:
        raise ReflectError(f"guardrail policy: pattern {where} names unknown macro %{name}%")
    return "(?:" + macros[name] + ")"


def _compile(pattern: str, macros: dict[str, str], where: str) -> "re.Pattern[str]":
    try:
        return re.compile(_expand(pattern, macros, where))
    except re.error as exc:
        raise ReflectError(f"guardrail policy: pattern {where} does not compile: {exc}") from exc


class Rules:
    def __init__(self, policy: Policy):
        macros = policy.macros
        self.input: list[Rule] = []
        self.output: list[Rule] = []
        for cat, spec in policy.categories.items():
            for kind in ("strong", "hint"):
                for name, rx in getattr(spec.patterns, kind).items():
                    self.input.append((cat, kind, name, _compile(rx, macros, f"{cat}.{kind}.{name}")))
            for name, rx in spec.patterns.output.items():
                self.output.append((cat, "output", name, _compile(rx, macros, f"{cat}.output.{name}")))
        for group, table in policy.signals.items():
            for name, rx in table.items():
                self.input.append((group, "signal", name, _compile(rx, macros, f"signals.{group}.{name}")))

    def scan(self, sentences: Sequence[str], output: bool = False) -> list[list[Hit]]:
        """Hits per sentence, in rule order; each rule at most once per sentence.

        A repeated sentence (a long paste often repeats itself) is scanned once.
        """
        if not sentences:
            return []
        unique = list(dict.fromkeys(sentences))
        slot = {s: k for k, s in enumerate(unique)}
        starts, pos = [], 0
        for s in unique:
            starts.append(pos)
            pos += len(s) + 1
        joined = "\n".join(unique)
        found: list[list[tuple[str, str, str]]] = [[] for _ in unique]
        rules: Iterable[Rule] = self.output if output else self.input
        for group, kind, name, rx in rules:
            seen: set[int] = set()
            for m in rx.finditer(joined):
                k = bisect_right(starts, m.start()) - 1
                if k not in seen:
                    seen.add(k)
                    found[k].append((group, kind, name))
        return [[Hit(i, g, kd, n) for g, kd, n in found[slot[s]]] for i, s in enumerate(sentences)]
