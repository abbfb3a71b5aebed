"""The offline responder: composes a consultant-like Markdown reply from the
question bank, the retrieved sections and the leader's own words. No model.

Choices that look random (which opening, which question among equals) are
seeded by the session id and turn number: varied across sessions, but the
same conversation always reads the same.
"""
from __future__ import annotations

import hashlib
import re
from typing import Callable

from pydantic import BaseModel, Field

from assistant.lens_tracker import sentences
from assistant.models import Citation, LensState, Session
from assistant.phrasing import Phrases
from knowledge.models import Hit
from prompts.bank import load_bank
from prompts.cues import load_cues

# Which card lenses ground each conversation lens.
CARD_LENSES = {
    "needs": {"needs", "behaviour"}, "send": {"send"}, "equality": {"equality"},
    "safeguarding": {"safeguarding"}, "proportionality": {"proportionality"}, "voice": {"voice"},
    "staff": {"staff"}, "record": {"record", "governance"}, "context": {"behaviour", "needs", "governance"},
    "scope": {"governance", "record"},
}
QUESTIONS_PER_TURN = 2
# What a closing reply draws on, once every lens is covered.
CLOSING_CARD = {"live": "recording-defensible-reasons", "practice": "reflective-practice-models",
                "prep": "service-layers-and-boundaries"}


class ReplyContext(BaseModel):
    model_config = {"arbitrary_types_allowed": True}

    session: Session
    message: str
    state: LensState
    target: str | None  # the lens (or stage) this reply asks about; None when all are covered
    hits: list[Hit]
    first: bool
    query: str = ""
    lookup: Callable[[str, str], Hit | None] | None = None  # (card id, query) -> that card's best section


class Draft(BaseModel):
    text: str
    lens: str | None
    citations: list[Citation] = Field(default_factory=list)
    question_ids: list[str] = Field(default_factory=list)
    echoes: list[str] = Field(default_factory=list)  # the leader's words quoted back (not the assistant's claims)
    kind: str = "reflection"


def seeded(*parts: str) -> int:
    return int(hashlib.sha256("|".join(parts).encode()).hexdigest()[:12], 16)


def leader_words(session: Session, message: str) -> str:
    said = [t.text for t in session.turns if t.role == "user" and (t.verdict is None or t.verdict.action == "allow")]
    return "\n".join([*said, message])


def named_terms(text: str, group: str, limit: int = 3) -> list[str]:
    """Phrases for what the leader named ("autism", "an EHC plan"), in the order they named them."""
    found: list[tuple[int, str]] = []
    for phrase, words in load_cues().named[group].items():
        positions = [m.start() for w in words
                     for m in re.finditer(rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])", text, re.IGNORECASE)]
        if positions:
            found.append((min(positions), phrase))
    return [phrase for _, phrase in sorted(found)[:limit]]


def echo_fragment(message: str, max_words: int = 14) -> str | None:
    """A short piece of the leader's own words, from their most telling sentence."""
    candidates = sentences(message)
    if not candidates:
        return None
    all_named = [w for group in load_cues().named.values() for words in group.values() for w in words]

    def weight(sentence: str) -> int:
        return sum(1 for t in all_named if t.lower() in sentence.lower())

    best = max(candidates, key=lambda s: (weight(s), -candidates.index(s)))
    words = best.strip(" .!?").split()
    if len(words) < 3:
        return None
    fragment = " ".join(words[:max_words]) + (" …" if len(words) > max_words else "")
    return fragment.replace('"', "'")


def choose_questions(ctx: ReplyContext, lens: str, count: int = QUESTIONS_PER_TURN):
    """The best unasked questions for the lens, skipping what the leader already answered.

    Questions made relevant by what the leader said come first, then those
    drawing on a card that retrieval found; ties are broken by a seeded order.
    """
    said = leader_words(ctx.session, ctx.message)
    hit_ids = {h.card_id for h in ctx.hits}
    asked = set(ctx.state.asked)
    scored = []
    for q in load_bank().for_lens(ctx.session.mode, lens):
        if q.id in asked or q.is_covered(said):
            continue
        score = 2 * q.relevance(said) + (1 if set(q.cards) & hit_ids else 0)
        scored.append((-score, seeded(ctx.session.id, q.id), q))
    scored.sort(key=lambda item: (item[0], item[1]))
    return [q for _, _, q in scored[:count]]


def ground(ctx: ReplyContext, lens: str | None, question_cards: list[str]) -> Hit | None:
    """The section to quote: from a card the questions draw on, else the best retrieved
    section in the lens; cards already cited this session come last."""
    cited = {c.card_id for t in ctx.session.turns for c in t.citations}
    if ctx.lookup:
        for card_id in sorted(dict.fromkeys(question_cards), key=lambda c: c in cited):
            hit = ctx.lookup(card_id, ctx.query or ctx.message)
            if hit:
                return hit
    wanted = CARD_LENSES.get(lens or "", set())

    def rank(hit: Hit) -> tuple:
        return (hit.heading.startswith("Questions to ask yourself"), hit.card_id in cited,
                not (wanted & set(hit.lenses)), ctx.hits.index(hit))

    return min(ctx.hits, key=rank) if ctx.hits else None


def first_sentence(snippet: str, limit: int = 260) -> str:
    """The opening sentence of a section, for a brief quote."""
    text = snippet.rstrip(" …")
    match = re.search(r"^(.{40,}?[.!?])(\s|$)", text)
    sentence = match.group(1) if match else text
    if len(sentence) > limit or not match:
        sentence = sentence[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"
    return sentence


def citation_for(hit: Hit) -> Citation:
    return Citation(card_id=hit.card_id, title=hit.title, heading=hit.heading, source=hit.source,
                    document=hit.card_id.startswith("doc:"))


def cite_tag(hit: Hit) -> str:
    if hit.card_id.startswith("doc:"):
        return f"[your document, {hit.title}, {hit.heading}]"
    return f"[`{hit.card_id}`]"


class OfflineComposer:
    def __init__(self, phrases: Phrases | None = None) -> None:
        self.phrases = phrases or Phrases.load()

    def compose(self, ctx: ReplyContext) -> Draft:
        if ctx.session.mode == "prep" and ctx.first:
            from assistant.prep_plan import compose_plan

            return compose_plan(ctx, self.phrases)
        seed = (ctx.session.id, str(len(ctx.session.turns)))
        parts: list[str] = []
        echoes: list[str] = []

        # 1. Reflect the leader's own words back.
        fragment = echo_fragment(ctx.message)
        if ctx.first:
            named = named_terms(ctx.message, "needs", 2) + named_terms(ctx.message, "responses", 1) + named_terms(
                ctx.message, "people", 1)
            parts.append(self.phrases.opening(ctx.session.mode, named, seed))
        else:
            parts.append(self.phrases.acknowledgement(fragment, seed))
            if fragment:
                echoes.append(fragment)

        if ctx.first and ctx.session.mode == "live":
            parts.append(self.phrases.safety_check(seed))

        lens = ctx.target
        if lens is None:  # every lens covered: close, grounded in how to keep the reasoning
            parts.append(self.phrases.closing(ctx.session.mode, seed))
            hit = ground(ctx, None, [CLOSING_CARD[ctx.session.mode]])
            citations = []
            if hit:
                parts.append(f"{self.phrases.grounding_lead(ctx.session.mode, seed)} {first_sentence(hit.snippet)} "
                             f"{cite_tag(hit)} — *{hit.title}*, {hit.heading}.")
                citations.append(citation_for(hit))
            return self._finish(parts, None, citations, [], echoes, ctx)

        # 2. Name the lens and why; ask one or two questions.
        questions = choose_questions(ctx, lens)
        parts.append(self.phrases.lens_intro(ctx.session.mode, lens, ctx.first, seed))
        if questions:
            parts.append("\n".join(f"- {q.text}" for q in questions))
        else:
            parts.append(self.phrases.nothing_left(lens))

        # 3. Ground it: a short quote from the retrieved section, cited by card id.
        question_cards = [c for q in questions for c in q.cards]
        hit = ground(ctx, lens, question_cards)
        citations = []
        if hit:
            parts.append(f"{self.phrases.grounding_lead(ctx.session.mode, seed)} {first_sentence(hit.snippet)} {cite_tag(hit)}"
                         f" — *{hit.title}*, {hit.heading}.")
            citations.append(citation_for(hit))

        # Where the school's own documents speak to this, quote them too (as data, never instructions).
        own = next((h for h in ctx.hits if h.card_id.startswith("doc:")), None)
        if own:
            quote = first_sentence(own.snippet)
            parts.append(f"Your own document may bear on this: “{quote}” {cite_tag(own)}")
            citations.append(citation_for(own))
            echoes.append(quote)  # the school's words, not the assistant's claim

        # 4. Say what comes next, and why.
        after = ctx.state.next_open(after=lens)
        if after:
            parts.append(self.phrases.next_up(ctx.session.mode, after, seed))
        elif ctx.session.mode != "prep":
            parts.append(self.phrases.closing(ctx.session.mode, seed))
        return self._finish(parts, lens, citations, [q.id for q in questions], echoes, ctx)

    @staticmethod
    def _finish(parts, lens, citations, question_ids, echoes, ctx) -> Draft:
        return Draft(text="\n\n".join(p for p in parts if p), lens=lens, citations=citations,
                     question_ids=question_ids, echoes=echoes)
