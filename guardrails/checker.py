"""The guard: one verdict per message, decided in explicit layers, and the output rail.

A message is read once (`Reading`), then judged in order:

1. risk       - escalation rules, and the risk head over every sentence with its
                neighbours (also across the previous turn and this one). Recall first:
                only a statement that this concern has reached the DSL or the
                procedures (`passed`) lifts it; no framing or background does.
2. language   - a passage in a language the guard cannot read: cautious DSL signposting.
3. request    - what the writer asks the assistant to produce. Only a request for a
                determination is refused; information, reflection, options, the
                leader's own record and role-play are allowed whatever their words.
4. memory     - right after a refusal, pressure for the same determination is refused
                again; a clarification or reframe is judged on its own.

Every verdict names the layer that decided it (`layer:...` in its signals).
Same input, same verdict.
"""
from __future__ import annotations

import re
import threading
from collections import OrderedDict
from typing import Sequence

import numpy as np

from .heads import RISK_CATEGORY, LinearHead
from .models import ESCALATE_CATEGORIES, REFUSE_CATEGORIES, Policy, Recent, Verdict, load_policy
from .normalise import Normaliser, load_abbreviations, split_sentences
from .reading import Reading
from .replies import Replies
from .rules import Rules

MAX_SIGNALS = 24
VECTOR_CACHE = 4096  # sentence vectors kept (about 6 MB)
FOLLOW_UP_WORDS = 30  # a message this short may lean on the turn before it
PRESSURE = ("rephrase", "demand")
_TRANSLATED = re.compile(r"\b(?:translat\w*|which means|meaning|in english|roughly means|means)\b", re.IGNORECASE)
_ADDRESSED = re.compile(r"\b(?:you|your|i|i'd|i'm|my|we|we'd|let's|me)\b")


class Guard:
    def __init__(self, policy: Policy | None = None, embedder=None, heads: dict[str, LinearHead] | None = None):
        self.policy = policy or load_policy()
        self.normalise = Normaliser(load_abbreviations(self.policy.abbreviations))
        self.rules = Rules(self.policy)
        self.replies = Replies(self.policy)
        self._embedder = embedder
        self._heads = heads
        self._lock = threading.Lock()
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()
        self.cache_size = VECTOR_CACHE

    # -- set-up ---------------------------------------------------------------

    def split(self, text: str) -> list[str]:
        return split_sentences(text, self.policy.limits.max_sentence_chars)

    @property
    def embedder(self):
        if self._embedder is None:
            from knowledge.embedder import get_embedder

            self._embedder = get_embedder()
        return self._embedder

    def heads(self) -> dict[str, LinearHead]:
        if self._heads is None:
            with self._lock:
                if self._heads is None:
                    from .training import load_or_fit_heads

                    self._heads = load_or_fit_heads(self)
        return self._heads

    def warm(self) -> None:
        self.check("Warming up the guard.")

    def is_reply_template(self, text: str) -> bool:
        return self.replies.is_template(text)

    # -- reading --------------------------------------------------------------

    def embed(self, texts: list[str]) -> np.ndarray:
        """Sentence vectors, remembered: the product's own sentences recur in every reply."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        with self._cache_lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if missing:
            fresh = self.embedder.embed(missing, batch_size=16)
            with self._cache_lock:
                for text, vector in zip(missing, fresh):
                    self._vectors[text] = vector
                while len(self._vectors) > self.cache_size:
                    self._vectors.popitem(last=False)
        with self._cache_lock:
            for text in texts:
                self._vectors.move_to_end(text)
            return np.stack([self._vectors[t] for t in texts])

    def read(self, text: str, output: bool = False) -> Reading:
        """Normalise, split, scan and embed; a long message keeps the sentences that matter most."""
        text = text if isinstance(text, str) else str(text or "")
        lim = self.policy.limits
        sents = self.split(self.normalise(text[: lim.max_scan_chars]))
        hits = self.rules.scan(sents, output=output)
        keep = _select(sents, hits, lim.max_sentences, lim.max_embed_chars)
        sents, hits = [sents[i] for i in keep], [hits[i] for i in keep]
        return Reading(sents=sents, hits=hits, vectors=self.embed(sents), raw=text)

    # -- input ----------------------------------------------------------------

    def check(self, text: str, recent: Sequence[Recent] = (), writer_is_dsl: bool | None = None) -> Verdict:
        """The verdict on a user's message; `recent` are earlier user turns, most recent last."""
        th = self.policy.thresholds
        reading = self.read(text)
        signals = list(dict.fromkeys(h.label for row in reading.hits for h in row))
        recent = list(recent)
        last = recent[-1] if recent else None

        # 1. risk, lifted only by a statement that this concern has been passed on
        risk = self._risk(reading, th.risk)
        if risk is None and last is not None and last.action != "escalate" and last.text.strip():
            joint = self.read(last.text[-1500:] + "\n" + (text if isinstance(text, str) else ""))
            risk = self._risk(joint, th.risk_joint, only_from=len(joint.sents) - len(reading.sents))
            if risk:
                risk = (risk[0], risk[1], "memory:" + risk[2])
        passed, passed_why = self._passed_on(reading)
        if risk and passed:
            signals.append(f"passed_on:{risk[0]}:{passed_why}")
        elif risk:
            cat, score, why = risk
            dsl = writer_is_dsl if writer_is_dsl is not None else (
                reading.any("dsl_writer") or any(self._is_dsl_writer(r.text) for r in recent))
            return self._verdict("escalate", cat, [why, f"score:{score:.2f}", *signals]
                                 + (["writer:dsl"] if dsl else []), reply=self.replies.escalation(cat, bool(dsl)))

        # 2. words the guard cannot read
        if not passed:
            from .language import unreadable_passages

            raw = text if isinstance(text, str) else ""
            unread = unreadable_passages(raw)
            if unread and not _TRANSLATED.search(raw):  # with a translation given, the layers above read it
                langs = list(dict.fromkeys(u.language for u in unread))
                return self._verdict("escalate", "safeguarding_disclosure",
                                     ["layer:language", *(f"language:{lang}" for lang in langs), *signals],
                                     reply=self.replies.unreadable(langs))

        # 3. the request
        ref = self._refusal(reading)
        # 4. memory: pressure for the same determination right after a refusal
        if ref is None and last is not None and last.action == "refuse":
            ref = self._after_refusal(reading, last)
        if ref:
            cat, score, why = ref
            return self._verdict("refuse", cat, [why, f"score:{score:.2f}", *signals], reply=self.replies.refusal(cat))
        return self._verdict("allow", "reflection", ["layer:allow", *signals, *self._explain(reading)])

    def risk_scores(self, reading: Reading) -> np.ndarray:
        """(n, 4) risk-head probabilities per sentence window: none, child, adult, self."""
        if not reading.sents:
            return np.zeros((0, 4), dtype=np.float32)
        return self.heads()["risk"].proba(reading.windows())

    def _risk(self, reading: Reading, bar: float, only_from: int = 0) -> tuple[str, float, str] | None:
        """(category, score, why) if any sentence (from `only_from` on) shows a risk."""
        n = len(reading.sents)
        if n == 0:
            return None
        probs = self.risk_scores(reading)
        head = self.heads()["risk"]
        adult_named = reading.any("adult")
        for i in range(only_from, n):  # rules first: high-precision patterns of disclosure
            if "hypothetical" in reading.groups(i):
                continue
            fired = reading.strong(i, ESCALATE_CATEGORIES)
            if fired:
                return (self._risk_category(fired, probs[i], head), 1.0, "layer:risk_rule")
        best = None
        for i in range(only_from, n):
            score = 1.0 - float(probs[i, head.index("none")])
            if score >= bar and (best is None or score > best[1]):
                best = (i, score)
        if best is None:
            return None
        i, score = best
        p = {k: float(probs[i, head.index(k)]) for k in ("child", "adult", "self")}
        if not adult_named:
            p["adult"] = 0.0  # an allegation about an adult needs an adult in the message
        kind = max(p, key=p.get)
        return (RISK_CATEGORY[kind], score, "layer:risk_head")

    @staticmethod
    def _risk_category(fired: list[str], probs: np.ndarray, head: LinearHead) -> str:
        if len(fired) == 1:
            return fired[0]
        kinds = {v: k for k, v in RISK_CATEGORY.items()}
        return max(fired, key=lambda c: float(probs[head.index(kinds[c])]))

    def _passed_on(self, reading: Reading) -> tuple[bool, str]:
        """Does the message say this concern has reached the DSL or the procedures?"""
        if not reading.sents or reading.any("unhandled"):
            return False, ""
        if reading.any("handled"):
            return True, "rule"
        p = self.heads()["passed"].proba(reading.windows())[:, 1]
        if float(p.max()) >= self.policy.thresholds.passed_on:
            return True, f"head={float(p.max()):.2f}"
        return False, ""

    def request_scores(self, reading: Reading) -> dict[str, float]:
        head = self.heads()["request"]
        p = head.proba(reading.message())[0]
        return {c: float(p[j]) for j, c in enumerate(head.classes)}

    def _refuse_category(self, reading: Reading, fired: Sequence[str] = ()) -> str:
        head = self.heads()["refuse"]
        p = head.proba(reading.message())[0]
        pool = list(fired) or list(REFUSE_CATEGORIES)
        return max(pool, key=lambda c: (float(p[head.index(c)]), -pool.index(c)))

    def _refusal(self, reading: Reading) -> tuple[str, float, str] | None:
        if not reading.sents:
            return None
        for i in range(len(reading.sents)):  # rules: a strong refusal pattern in a sentence that asks
            g = reading.groups(i)
            if not reading.asks(i) or ("allow" in g and "demand" not in g):
                continue
            fired = reading.strong(i, REFUSE_CATEGORIES)
            if fired:
                return (self._refuse_category(reading, fired), 1.0, "layer:request_rule")
        det = self.request_scores(reading)["determination"]
        if det >= self.policy.thresholds.determination:
            return (self._refuse_category(reading), det, "layer:request_head")
        return None

    def _after_refusal(self, reading: Reading, last: Recent) -> tuple[str, float, str] | None:
        """The same determination asked again in new words, or pressed without a new request."""
        if last.category not in REFUSE_CATEGORIES:
            return None
        scores = self.request_scores(reading)
        det = scores["determination"]
        allowed = max(scores[c] for c in ("information", "reflection", "options", "draft_record", "role_play"))
        pressed = any(reading.any(g) for g in PRESSURE)
        short = sum(len(s.split()) for s in reading.sents) <= FOLLOW_UP_WORDS
        if det >= self.policy.thresholds.after_refusal and (pressed or short or det >= allowed):
            return (last.category, det, "layer:memory")
        if pressed and det >= allowed:
            return (last.category, det, "layer:memory")
        return None

    def _explain(self, reading: Reading) -> list[str]:
        if not reading.sents:
            return []
        scores = self.request_scores(reading)
        risk = float(1.0 - self.risk_scores(reading)[:, 0].min())
        return [f"request:{max(scores, key=scores.get)}", f"risk:{risk:.2f}"]

    def claims_assistant_advised(self, text: str) -> bool:
        """Does a decision the leader records say the assistant advised it? (It never does.)"""
        sents = self.split(self.normalise(text[:4000]))
        return any(h.group == "claims_advice" for row in self.rules.scan(sents) for h in row)

    def _is_dsl_writer(self, text: str) -> bool:
        sents = self.split(self.normalise(text[:4000]))
        return any(h.group == "dsl_writer" for row in self.rules.scan(sents) for h in row)

    def _verdict(self, action: str, category: str, signals: list[str], reply: str | None = None,
                 output: bool = False) -> Verdict:
        # What decided the verdict (layer, score) first, then the rule hits, so truncation keeps the explanation.
        unique = list(dict.fromkeys(signals))
        ordered = [s for s in unique if s.count(":") < 2] + [s for s in unique if s.count(":") >= 2]
        return Verdict(action=action, category=category, reason=self.replies.reason(category, output),
                       signals=ordered[:MAX_SIGNALS], reply=reply)

    # -- output ---------------------------------------------------------------

    def output_flags(self, reply: str) -> list[tuple[str, str]]:
        """(sentence, category) for each sentence of a reply that decides for the leader."""
        th = self.policy.thresholds
        body = self.replies.strip_templates(reply if isinstance(reply, str) else str(reply or ""))
        reading = self.read(body, output=True)
        if not reading.sents:
            return []
        head = self.heads()["output"]
        probs = head.proba(reading.vectors)
        flagged = []
        for i, sent in enumerate(reading.sents):
            p = {c: float(probs[i, head.index(c)]) for c in REFUSE_CATEGORIES}
            total = sum(p.values())
            ruled = [h.group for h in reading.hits[i] if h.kind == "output"]
            if ruled:
                if total >= th.output_with_rule or len(sent.split()) < th.output_min_words:
                    flagged.append((sent, max(dict.fromkeys(ruled), key=lambda c: p[c])))
            elif total >= th.output and len(sent.split()) >= th.output_min_words and _ADDRESSED.search(sent):
                # no rule: the model alone blocks only a confident sentence that speaks to the leader
                # ("in your position I would..."), never a statement of guidance ("exclusion is a last resort")
                flagged.append((sent, max(p, key=p.get)))
        return flagged

    def check_output(self, reply: str) -> Verdict:
        """A generated reply: allowed, or refused with the template that replaces it whole.

        A reply not in English is refused too: the rail cannot read it, so it cannot pass it.
        """
        text = reply if isinstance(reply, str) else str(reply or "")
        flags = self.output_flags(text)
        if flags:
            cat = flags[0][1]
            return self._verdict("refuse", cat, [f"output:{cat}", "layer:output"], reply=self.replies.refusal(cat),
                                 output=True)
        from .language import unreadable_passages

        body = self.replies.strip_templates(text)
        if unreadable_passages(body):
            return self._verdict("refuse", "disciplinary_outcome", ["output:unreadable", "layer:output_language"],
                                 reply=self.replies.refusal("disciplinary_outcome"), output=True)
        return self._verdict("allow", "reflection", ["layer:output"], output=True)


def _select(sents: list[str], hits, limit: int, budget: int) -> list[int]:
    """Which sentences to read: those with rule hits, questions, the ends; within a budget."""
    last = len(sents) - 1

    def priority(i: int) -> int:
        p = 4 if any(h.kind in ("strong", "hint", "output") or h.group in ("handled", "unhandled")
                     for h in hits[i]) else 0
        return p + (2 if "?" in sents[i] else 0) + (1 if i in (0, last) else 0)

    order = sorted(range(len(sents)), key=lambda i: (-priority(i), i))
    chosen: list[int] = []
    for i in order:
        if len(chosen) >= limit:
            break
        if chosen and len(sents[i]) > budget:
            continue
        chosen.append(i)
        budget -= len(sents[i])
    return sorted(chosen)


_guard: Guard | None = None
_guard_lock = threading.Lock()


def get_guard() -> Guard:
    """The shared guard, built on first use (the heads load from the shipped file, or fit)."""
    global _guard
    with _guard_lock:
        if _guard is None:
            _guard = Guard()
        return _guard
