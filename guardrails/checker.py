"""The guard: normalise -> rules -> classifier -> one verdict (escalate > refuse > allow).

`check` judges a user's message, sentence by sentence for escalation and as a
request for refusal; `check_output` judges a generated reply, whose failure
means the category's template replaces it whole. Same input, same verdict.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Sequence

import numpy as np

from .classifier import Head, load_or_fit, mean_vector
from .models import ESCALATE_CATEGORIES, REFUSE_CATEGORIES, Policy, Recent, Verdict, load_policy
from .normalise import Normaliser, load_abbreviations, split_sentences
from .replies import Replies
from .rules import Hit, Rules

MAX_SIGNALS = 24
VECTOR_CACHE = 4096  # sentence vectors kept (about 6 MB)


class Guard:
    def __init__(self, policy: Policy | None = None, embedder=None):
        self.policy = policy or load_policy()
        self.normalise = Normaliser(load_abbreviations(self.policy.abbreviations))
        self.rules = Rules(self.policy)
        self.replies = Replies(self.policy)
        self._embedder = embedder
        self._heads: dict[str, Head] | None = None
        self._lock = threading.Lock()
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()

    # -- set-up ---------------------------------------------------------------

    def _split(self, text: str) -> list[str]:
        return split_sentences(text, self.policy.limits.max_sentence_chars)

    def heads(self) -> dict[str, Head]:
        if self._heads is None:
            with self._lock:
                if self._heads is None:
                    from knowledge.embedder import get_embedder
                    from knowledge.storage import cache_dir

                    if self._embedder is None:
                        self._embedder = get_embedder()
                    self._heads = load_or_fit(
                        self.policy, self.normalise, self.normalise.fingerprint, self._split,
                        self._embedder.embed, self._embedder.model_id, self.replies.all_texts(), cache_dir(),
                    )
        return self._heads

    def warm(self) -> None:
        self.check("Warming up the guard.")

    def is_reply_template(self, text: str) -> bool:
        return self.replies.is_template(text)

    # -- shared steps ---------------------------------------------------------

    def _prepare(self, text: str, output: bool) -> tuple[list[str], list[list[Hit]]]:
        text = text if isinstance(text, str) else str(text or "")
        norm = self.normalise(text[: self.policy.limits.max_scan_chars])
        sents = self._split(norm)
        return sents, self.rules.scan(sents, output=output)

    def _select(self, sents: list[str], hits: list[list[Hit]]) -> list[int]:
        """Which sentences to embed: those with rule hits, questions, the ends; within a budget."""
        lim = self.policy.limits
        last = len(sents) - 1

        def priority(i: int) -> int:
            p = 0
            if any(h.kind in ("strong", "hint", "output") for h in hits[i]):
                p += 4
            if "?" in sents[i]:
                p += 2
            if i in (0, last):
                p += 1
            return p

        order = sorted(range(len(sents)), key=lambda i: (-priority(i), i))
        chosen, budget = [], lim.max_embed_chars
        for i in order:
            if len(chosen) >= lim.max_sentences:
                break
            if chosen and len(sents[i]) > budget:
                continue
            chosen.append(i)
            budget -= len(sents[i])
        return sorted(chosen)

    def _embed(self, texts: list[str]) -> np.ndarray:
        """Sentence vectors, remembered: the product's own sentences (questions, phrases,
        quoted guidance) recur in every reply, and a vector never changes for its text."""
        self.heads()
        with self._cache_lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if missing:
            fresh = self._embedder.embed(missing, batch_size=8)
            with self._cache_lock:
                for text, vector in zip(missing, fresh):
                    self._vectors[text] = vector
                while len(self._vectors) > VECTOR_CACHE:
                    self._vectors.popitem(last=False)
        with self._cache_lock:
            for text in texts:
                self._vectors.move_to_end(text)
            return np.stack([self._vectors[t] for t in texts])

    # -- input ----------------------------------------------------------------

    def check(self, text: str, recent: Sequence[Recent] = (), writer_is_dsl: bool | None = None) -> Verdict:
        """The verdict on a user's message; `recent` are earlier user turns, most recent last."""
        sents, hits = self._prepare(text, output=False)
        flat = [h for row in hits for h in row]
        signals = list(dict.fromkeys(h.label for h in flat))
        ctx = _Context(self, sents, hits)

        esc = self._escalation(ctx)
        if esc and ctx.any("handled") and not ctx.any("unhandled"):
            signals.append(f"handled:{esc[0]}")  # the message says the DSL or the procedures have it
            esc = None
        if esc:
            cat, score, why = esc
            dsl = writer_is_dsl if writer_is_dsl is not None else (
                ctx.any("dsl_writer") or any(self._is_dsl_writer(r.text) for r in recent))
            return self._verdict("escalate", cat, signals + [why, f"score:{score:.2f}"] + (["writer:dsl"] if dsl else []),
                                 reply=self.replies.escalation(cat, bool(dsl)))

        ref = self._refusal(ctx)
        if ref is None:
            ref = self._sticky(ctx, recent)
        if ref:
            cat, score, why = ref
            return self._verdict("refuse", cat, signals + [why, f"score:{score:.2f}"], reply=self.replies.refusal(cat))
        return self._verdict("allow", "reflection", signals + ctx.nearest())

    def _pick(self, ctx: "_Context", i: int | None, candidates: Sequence[str]) -> str:
        """Among categories whose rules fired, the one the classifier finds likeliest (policy order on ties)."""
        if len(candidates) == 1:
            return candidates[0]
        p = ctx.probs_of(i)
        if p is None:
            return candidates[0]
        return max(candidates, key=lambda c: (p[c], -candidates.index(c)))

    def _escalation(self, ctx: "_Context") -> tuple[str, float, str] | None:
        th = self.policy.thresholds
        for i in range(len(ctx.sents)):  # rules over every sentence, embedded or not
            if ctx.has(i, "general"):
                continue
            fired = ctx.strong(i, ESCALATE_CATEGORIES)
            if fired:
                return (self._pick(ctx, i, fired), 1.0, f"rule:{'+'.join(fired)}")
        best: tuple[str, float, float] | None = None  # category, margin over the bar, probability
        for u, i in enumerate(ctx.units):
            if i is None:
                continue
            p = ctx.probs[u]
            total = sum(float(p[ctx.col[c]]) for c in ESCALATE_CATEGORIES)
            hinted = [c for c in ESCALATE_CATEGORIES if ctx.has(i, c)]
            need = th.escalate_with_hint if hinted else th.escalate
            if ctx.has(i, "general"):
                need += th.general_damping
            if total < need:
                continue
            # an allegation about an adult needs an adult in the message
            choices = [c for c in ESCALATE_CATEGORIES if c != "staff_allegation" or ctx.any("adult")]
            cat = max(choices, key=lambda c: float(p[ctx.col[c]]) + (th.category_bonus if c in hinted else 0.0))
            if ctx.support(u, ESCALATE_CATEGORIES) < th.min_support:
                continue
            if not hinted and ctx.votes(u, ESCALATE_CATEGORIES) < th.escalate_votes:
                continue  # the classifier alone, with too few escalation exemplars nearby
            if best is None or total - need > best[1]:
                best = (cat, total - need, total)
        return None if best is None else (best[0], best[2], f"classifier:{best[0]}")

    def _refusal(self, ctx: "_Context") -> tuple[str, float, str] | None:
        th = self.policy.thresholds
        for i in range(len(ctx.sents)):
            if ctx.allowing(i) or not ctx.asks(i):
                continue  # a rule matches a request, not a statement ("the LADO said it doesn't meet the threshold")
            fired = ctx.strong(i, REFUSE_CATEGORIES)
            if fired:
                return (self._pick(ctx, i, fired), 1.0, f"rule:{'+'.join(fired)}")
        best: tuple[str, float, float] | None = None  # category, margin over the bar, probability
        for u, i in enumerate(ctx.units):
            if not ctx.asks(i) or ctx.allowing(i) or (i is None and ctx.message_allows):
                continue  # facts are context, and a request for reasoning is not one for a determination
            p = ctx.probs[u]
            total = sum(float(p[ctx.col[c]]) for c in REFUSE_CATEGORIES)
            hinted = [c for c in REFUSE_CATEGORIES if ctx.has(i, c)]
            need = th.refuse_with_hint if (hinted or ctx.has(i, "rephrase") or ctx.has(i, "demand")) else th.refuse
            if ctx.message_allows:
                need += th.allow_damping
            if total < need:
                continue
            if ctx.support(u, REFUSE_CATEGORIES) < th.min_support:
                continue
            if not hinted and (ctx.votes(u, REFUSE_CATEGORIES) < th.refuse_votes or not ctx.any("domain")):
                continue  # the classifier alone, far from any school matter or from refused exemplars
            cat = max(REFUSE_CATEGORIES,
                      key=lambda c: float(p[ctx.col[c]]) + (th.category_bonus if c in hinted else 0.0))
            if best is None or total - need > best[1]:
                best = (cat, total - need, total)
        return None if best is None else (best[0], best[2], f"classifier:{best[0]}")

    def _sticky(self, ctx: "_Context", recent: Sequence[Recent]) -> tuple[str, float, str] | None:
        """After a refusal, a rephrasing of the same ask is refused again in that category."""
        th = self.policy.thresholds
        refused = [r for r in list(recent)[-2:] if r.action == "refuse" and r.category in REFUSE_CATEGORIES]
        if not refused or ctx.message_allows:
            return None
        cat = refused[-1].category
        n_words = sum(len(s.split()) for s in ctx.sents)
        strength = max((float(ctx.probs[u][ctx.col[cat]]) for u in range(len(ctx.units))), default=0.0)
        if (ctx.any("rephrase") or ctx.any("demand")) and (
                n_words <= 30 or strength >= th.sticky / 2 or ctx.any(cat)):
            return (cat, th.sticky, f"sticky:{cat}")
        if n_words <= 40 and strength >= th.sticky:
            return (cat, strength, f"sticky:{cat}")
        return None

    def _is_dsl_writer(self, text: str) -> bool:
        sents, hits = self._prepare(text[:4000], output=False)
        return any(h.group == "dsl_writer" for row in hits for h in row)

    def _verdict(self, action: str, category: str, signals: list[str], reply: str | None = None,
                 output: bool = False) -> Verdict:
        # What decided the verdict ("rule:x", "classifier:x", "score:0.7") first, then the rule
        # hits ("strong:category:name", "signal:kind:name"), so truncation keeps the explanation.
        unique = list(dict.fromkeys(signals))
        ordered = [s for s in unique if s.count(":") < 2] + [s for s in unique if s.count(":") >= 2]
        return Verdict(action=action, category=category, reason=self.replies.reason(category, output),
                       signals=ordered[:MAX_SIGNALS], reply=reply)

    # -- output ---------------------------------------------------------------

    def check_output(self, reply: str) -> Verdict:
        """A generated reply: allowed, or refused with the template that replaces it.

        A sentence an output rule catches needs only modest support from the output
        classifier; one no rule catches needs a confident classifier, determinations
        among its nearest exemplars, and enough words to judge.
        """
        th = self.policy.thresholds
        body = self.replies.strip_templates(reply if isinstance(reply, str) else str(reply or ""))
        sents, hits = self._prepare(body, output=True)
        signals = list(dict.fromkeys(h.label for row in hits for h in row))
        sel = self._select(sents, hits)
        head = self.heads()["output"]
        best: tuple[str, float] | None = None
        if sel:
            vecs = self._embed([sents[i] for i in sel])
            probs = head.proba(vecs)
            for u, i in enumerate(sel):
                p = {c: float(probs[u, head.index(c)]) for c in REFUSE_CATEGORIES}
                total = sum(p.values())
                ruled = [h.group for h in hits[i] if h.kind == "output"]
                if ruled:
                    if total < th.output_refuse_with_hint:
                        continue
                    cat = max(dict.fromkeys(ruled), key=lambda c: p[c])
                else:
                    if total < th.output_refuse or len(sents[i].split()) < th.output_min_words:
                        continue
                    if head.votes(vecs[u], REFUSE_CATEGORIES, th.knn_k) < th.output_votes:
                        continue
                    if max(float(head.support(vecs[u:u + 1], c)[0]) for c in REFUSE_CATEGORIES) < th.min_support:
                        continue
                    cat = max(p, key=p.get)
                if best is None or total > best[1]:
                    best = (cat, total)
        if best:
            cat = best[0]
            return self._verdict("refuse", cat, signals + [f"output:{cat}", f"score:{best[1]:.2f}"],
                                 reply=self.replies.refusal(cat), output=True)
        return self._verdict("allow", "reflection", signals, output=True)


class _Context:
    """One message's sentences, rule hits and classifier probabilities, with the questions the checker asks."""

    def __init__(self, guard: Guard, sents: list[str], hits: list[list[Hit]]):
        self.sents = sents
        self.hits = hits
        self._groups = [{h.group for h in row} for row in hits]
        self._strong = [[h.group for h in row if h.kind == "strong"] for row in hits]
        self._all = set().union(*self._groups) if self._groups else set()
        head = guard.heads()["input"]
        self.head = head
        self.col = {c: head.index(c) for c in head.classes}
        sel = guard._select(sents, hits)
        self.units: list[int | None] = []
        self.probs = np.zeros((0, len(head.classes)), dtype=np.float32)
        self.vecs = np.zeros((0, 0), dtype=np.float32)
        if sel:
            vecs = guard._embed([sents[i] for i in sel])
            self.units = list(sel)
            if len(sel) > 1:
                vecs = np.vstack([vecs, mean_vector(vecs)[None, :]])
                self.units.append(None)  # the message as a whole
            self.vecs = vecs
            self.probs = head.proba(vecs)
        # a request for reasoning, or a report that the DSL already has the concern, unless the outcome is demanded
        self.message_allows = bool({"allow", "handled"} & self._all) and "demand" not in self._all
        self.knn_k = guard.policy.thresholds.knn_k

    def has(self, i: int | None, group: str) -> bool:
        return group in (self._all if i is None else self._groups[i])

    def any(self, group: str) -> bool:
        return group in self._all

    def allowing(self, i: int | None) -> bool:
        """An allow signal, not cancelled by a demand for the outcome, in the sentence (or message)."""
        return self.has(i, "allow") and not self.has(i, "demand")

    def asks(self, i: int | None) -> bool:
        """Does the sentence (or, for None, any sentence) ask for something: a question, an instruction?"""
        if i is None:
            return any(self.asks(j) for j in range(len(self.sents)))
        return "?" in self.sents[i] or bool({"request", "demand", "rephrase"} & self._groups[i])

    def strong(self, i: int, categories: Sequence[str]) -> list[str]:
        return [c for c in dict.fromkeys(self._strong[i]) if c in categories]

    def probs_of(self, i: int | None) -> dict[str, float] | None:
        if i not in self.units:
            return None
        p = self.probs[self.units.index(i)]
        return {c: float(p[j]) for c, j in self.col.items()}

    def support(self, u: int, categories: Sequence[str]) -> float:
        """Cosine similarity of the unit's nearest exemplar among `categories`."""
        v = self.vecs[u:u + 1]
        return max(float(self.head.support(v, c)[0]) for c in categories)

    def votes(self, u: int, categories: Sequence[str]) -> int:
        return self.head.votes(self.vecs[u], categories, self.knn_k)

    def nearest(self) -> list[str]:
        if not len(self.probs):
            return []
        sub = self.probs[:, 1:]
        j = int(np.unravel_index(int(sub.argmax()), sub.shape)[1]) + 1
        return [f"nearest:{self.head.classes[j]}={float(self.probs[:, j].max()):.2f}"]


_guard: Guard | None = None
_guard_lock = threading.Lock()


def get_guard() -> Guard:
    """The shared guard, built on first use (the classifier loads or fits lazily)."""
    global _guard
    with _guard_lock:
        if _guard is None:
            _guard = Guard()
        return _guard
