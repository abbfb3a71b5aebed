"""A message read once: normalised sentences, rule hits, sentence vectors and the views built on them.

Every layer of the guard works from this reading, so a message is normalised,
split, scanned and embedded exactly once. A sentence is judged with its
neighbours (`window`), the request from the sentences that ask (`ask`), and the
message as a whole (`whole`): all three are means of sentence vectors, so no
extra embedding is needed for them.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .models import ESCALATE_CATEGORIES, REFUSE_CATEGORIES
from .rules import Hit

# Rule groups that become features of a sentence (the models learn how much each matters).
FLAG_GROUPS: tuple[str, ...] = (
    *(f"strong:{c}" for c in ESCALATE_CATEGORIES + REFUSE_CATEGORIES),
    *(f"hint:{c}" for c in ESCALATE_CATEGORIES + REFUSE_CATEGORIES),
    "allow", "demand", "rephrase", "general", "hypothetical", "request", "domain", "adult",
    "handled", "unhandled", "background", "dsl_writer", "question", "pupil_voice", "invented", "real_case", "information",
    "strain",
)
FLAG_WEIGHT = 0.35  # rule flags beside a unit-length sentence vector
# Sentence-level "general" rules that mark a definition or a conditional, not a real child:
# strong escalation rules do not fire inside them. Framing (a lesson, a CPD essay,
# "most schools") is deliberately not among them: it never hides a real child.
FIGURATIVE = frozenset({"figurative"})  # words in another sense: "kill a process", "exclude a column"
LEGAL_CONCLUSION = frozenset({"legal_conclusion"})
HYPOTHETICAL = frozenset({"what_is", "define", "what_if_staff", "if_a_child", "signs_of", "how_to_spot", "figurative"})


def unit(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return (v / n if n > 0 else v).astype(np.float32)


@dataclass
class Reading:
    sents: list[str]
    hits: list[list[Hit]]
    vectors: np.ndarray          # (n, d), one per sentence (zeros for an empty message)
    raw: str = ""
    _flags: np.ndarray | None = field(default=None, repr=False)
    _windows: np.ndarray | None = field(default=None, repr=False)

    # --- rule views -------------------------------------------------------
    def groups(self, i: int) -> set[str]:
        out = set()
        for h in self.hits[i]:
            if h.kind in ("strong", "hint"):
                out.add(f"{h.kind}:{h.group}")
            else:
                out.add(h.group)
                if h.group == "information":
                    out.add("allow")  # information is one of the requests the assistant answers
                if h.group == "general" and h.name in HYPOTHETICAL:
                    out.add("hypothetical")
        if "?" in self.sents[i]:
            out.add("question")
        return out

    def any(self, group: str) -> bool:
        return any(group in self.groups(i) for i in range(len(self.sents)))

    def strong(self, i: int, categories) -> list[str]:
        return [h.group for h in self.hits[i] if h.kind == "strong" and h.group in categories]

    def invented(self) -> bool:
        """A made-up training vignette with no sign of a real child or adult anywhere in the message."""
        return self.any("invented") and not self.any("real_case")

    def informational(self) -> bool:
        """Every sentence that asks asks for information (what the law says, who decides, how to exclude a
        column from a table...), and none presses; pressing for a yes or no on a legal conclusion ("just yes
        or no: was it discrimination?") still gets the legal test, not a conclusion, so it does not count."""
        asking = [i for i in range(len(self.sents)) if self.asks(i)]
        if not asking or not all("information" in self.groups(i) or self.named(i, FIGURATIVE) for i in asking):
            return False
        pressing = [i for i in range(len(self.sents)) if {"demand", "rephrase"} & self.groups(i)]
        return all(self.named(i, LEGAL_CONCLUSION) for i in pressing)

    def named(self, i: int, names: frozenset[str]) -> bool:
        """Does a rule with one of these names fire in sentence i?"""
        return any(h.name in names for h in self.hits[i])

    def near(self, i: int, group: str) -> bool:
        """Does `group` fire in sentence i or a neighbour?"""
        return any(group in self.groups(j) for j in range(max(0, i - 1), min(len(self.sents), i + 2)))

    def asks(self, i: int) -> bool:
        g = self.groups(i)
        return bool({"question", "request", "demand", "rephrase"} & g)

    @property
    def flags(self) -> np.ndarray:
        """(n, len(FLAG_GROUPS)) rule flags per sentence."""
        if self._flags is None:
            f = np.zeros((len(self.sents), len(FLAG_GROUPS)), dtype=np.float32)
            for i in range(len(self.sents)):
                g = self.groups(i)
                for j, name in enumerate(FLAG_GROUPS):
                    f[i, j] = name in g
            self._flags = f
        return self._flags

    # --- vector views -----------------------------------------------------
    def windows(self) -> np.ndarray:
        """Each sentence with half-weight neighbours, plus its own flags and its neighbours' flags.

        Built once per reading: the pooled risk view, the window risk head and the passed-on head all read it.
        """
        if self._windows is None:
            self._windows = self._build_windows()
        return self._windows

    def _build_windows(self) -> np.ndarray:
        n = len(self.sents)
        if n == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = []
        for i in range(n):
            lo, hi = max(0, i - 1), min(n, i + 2)
            weights = np.array([1.0 if j == i else 0.5 for j in range(lo, hi)], dtype=np.float32)
            v = unit((self.vectors[lo:hi] * weights[:, None]).sum(axis=0))
            fl = np.maximum(self.flags[i], 0.5 * self.flags[lo:hi].max(axis=0))
            out.append(np.concatenate([v, FLAG_WEIGHT * fl]))
        return np.stack(out)

    def asking(self) -> list[int]:
        """The sentences that ask for something, or the last two when none does."""
        n = len(self.sents)
        return [i for i in range(n) if self.asks(i)] or list(range(max(0, n - 2), n))

    def message(self) -> np.ndarray:
        """The request view: the sentences that ask (or the last two), the whole message, all flags."""
        n = len(self.sents)
        if n == 0:
            return np.zeros(2 * self.dim + len(FLAG_GROUPS), dtype=np.float32)
        ask = unit(self.vectors[self.asking()].mean(axis=0))
        whole = unit(self.vectors.mean(axis=0))
        flags = self.flags.max(axis=0)
        return np.concatenate([ask, whole, FLAG_WEIGHT * flags])

    def pooled(self) -> np.ndarray:
        """The risk view: the strongest of each sentence-with-neighbours feature, the mean, all flags."""
        n = len(self.sents)
        if n == 0:
            return np.zeros(2 * self.dim + len(FLAG_GROUPS), dtype=np.float32)
        w = self.windows()
        return np.concatenate([w[:, :self.dim].max(axis=0), unit(self.vectors.mean(axis=0)),
                               self.flags.max(axis=0) * FLAG_WEIGHT])

    def text(self) -> str:
        """The normalised sentences read, for the word-level models."""
        return " \n ".join(self.sents)

    def ask_text(self) -> str:
        """The sentences that ask, as text (the request view above, for the word-level request model)."""
        return " \n ".join(self.sents[i] for i in self.asking())

    def window_texts(self) -> list[str]:
        """Each sentence with its neighbours as text (the windows above, for the word-level window models)."""
        n = len(self.sents)
        return [" \n ".join(self.sents[max(0, i - 1):i + 2]) for i in range(n)]

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1]) if self.vectors.ndim == 2 and self.vectors.shape[1] else 384


WINDOW_DIM = 384 + len(FLAG_GROUPS)
MESSAGE_DIM = 2 * 384 + len(FLAG_GROUPS)
