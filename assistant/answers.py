"""Answer first: the sentences of the card sections that best answer a message.

Every quotable sentence of every card (not the closing "Questions to ask
yourself") has a vector, cached on disk beside the index and keyed by the
cards' text and the embedding model, so a turn costs one matrix product.
Sentences from the sections retrieval ranked highest get a nudge, and so do
sections whose known questions (the cards' `asks`, written in users' words) are
close to the one asked: question meets question far better than it meets prose.
A sentence already shown in the conversation is not shown again, unless it is
still the best answer to a question asked outright: a consultant asked again
says it again.
"""
from __future__ import annotations

import re
import threading
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel

from knowledge.card_questions import ask_vectors, ask_vectors_cached, section_asks
from knowledge.lexical import tokenize
from knowledge.vector_cache import cache_path, load_or_embed
from knowledge.vocabulary import card_sentences, sentence_rarity, sentence_terms

EMBED_FORMAT = "{title}. {heading}. {sentence}"  # part of the cache key: change it and vectors rebuild
COVERED = 0.42  # below this similarity the cards do not really speak to the question
# ...unless search, reading the whole message, found the cards cover it and the best sentence comes from one
# of the cards it ranked highest: then a lower bar will do (lay wording scores low against the cards' prose).
COVERED_BY_SEARCH = 0.33
SEARCH_CARDS = 3
NEAR = 0.08  # further sentences must be this close to the best one
SECTION_BONUS = (0.065, 0.04, 0.025)  # for sentences in the first, second, third retrieved section
CARD_BONUS = (0.08, 0.05, 0.03, 0.0)  # sentences of the cards search ranked 1st, 2nd, 3rd (set on real tuning questions)
OVERVIEW_PENALTY = 0.03  # a card's overview introduces; a named section answers
FOLLOW_BONUS = 0.06
SAME_SECTION = 0.05  # an answer reads best from one section: its other sentences come before a neighbour's
HEADING_WEIGHT = 0.2  # a section whose heading names what was asked ("Reasonable force: the law") answers it
KEY_IDF = 3.5  # a word in fewer than about 1 sentence in 33 is telling enough to be the question's key
KEY_MISSING = 0.06
UNKNOWN_SHARE = 0.5
ASK_WEIGHT = 0.6  # how far a section's nearest known question lifts its sentences (tuned on training conversations)
TYPE_BONUS = 0.05  # a sentence shaped like the answer the question's type wants (a time limit, a who, a must)
_lock = threading.Lock()
# A sentence that leans on the one before it ("It also showed...", "However, ...", "The case study
# does not date...") reads as a fragment when quoted alone.
_LEANS_BACK = re.compile(r"^(?:(?:it|this|that|these|they|he|she) (?:also|too|then)|also|however|but|and|so|such|"
                         r"likewise|separately|similarly|the case study (?:does|did|also|notes))\b", re.I)


_SEND_WORDS = re.compile(r"\bSEND?\b|\bEHC|\bspecial educational|\bdisab|\bSENCO\b|\bgraduated approach\b")


class AnswerSentence(BaseModel):
    text: str
    card_id: str
    title: str
    heading: str
    score: float


class Answer(BaseModel):
    sentences: list[AnswerSentence]
    covered: bool  # False: the cards do not cover the question (the sentences are only the nearest)
    best: float = 0.0  # the best sentence's combined score
    fit: float = 0.0  # the same without the lift from the questions its section answers: how far the cards' own words meet it

    def cited(self) -> list[str]:
        return list(dict.fromkeys(s.card_id for s in self.sentences))


def _sentence_cache_path(rows: list[tuple[str, str, str, str]]) -> Path:
    return cache_path("sentences", [f"{r[1]}|{r[0]}" for r in rows], EMBED_FORMAT)


def sentences_cached() -> bool:
    """Are the card sentences' and known questions' vectors on disk (so loading them embeds nothing)?"""
    return _sentence_cache_path(card_sentences()[0]).exists() and ask_vectors_cached()


class SentenceIndex:
    def __init__(self) -> None:
        self.rows, self.card_lenses = card_sentences()
        self.terms = [sentence_terms(r) for r in self.rows]
        self.heading_terms = [set(tokenize(r[3])) for r in self.rows]
        self.idf = sentence_rarity()
        self._send_sentences: frozenset[str] | None = None
        self.matrix = load_or_embed(_sentence_cache_path(self.rows),
                                    [EMBED_FORMAT.format(title=r[2], heading=r[3], sentence=r[0]) for r in self.rows])
        self._sections()
        self._asks()

    def _sections(self) -> None:
        """Each section's mean sentence vector: a sentence is judged with the section it sits in."""
        import numpy as np

        self.section_of = []
        ids: dict[tuple[str, str], int] = {}
        for text, card_id, title, heading in self.rows:
            self.section_of.append(ids.setdefault((card_id, heading), len(ids)))
        self.section_of = np.asarray(self.section_of)
        self.section_keys = list(ids)
        self.section_terms: list[set[str]] = [set() for _ in ids]
        for n, terms in zip(self.section_of, self.terms):
            self.section_terms[n] |= terms
        means = np.zeros((len(ids), self.matrix.shape[1]), dtype=np.float32)
        np.add.at(means, self.section_of, self.matrix)
        self.section_matrix = means / np.linalg.norm(means, axis=1, keepdims=True)

    def _asks(self) -> None:
        """Each known question's vector, and the sections it belongs to (a heading's subsections share them)."""
        import numpy as np

        asks = section_asks()
        self.ask_matrix = ask_vectors(asks)
        under: dict[tuple[str, str], list[int]] = {}  # (card, "## " heading) -> its sections, subsections included
        for n, (card, heading) in enumerate(self.section_keys):
            under.setdefault((card, heading.split(" > ")[0]), []).append(n)
        pairs = [(a, n) for a, (_, card, heading) in enumerate(asks) for n in under.get((card, heading), [])]
        self.ask_index = np.asarray([a for a, _ in pairs], dtype=int)
        self.ask_section = np.asarray([n for _, n in pairs], dtype=int)

    def _ask_scores(self, vector):
        """Per sentence: how close the question is to the nearest question its section is known to answer."""
        import numpy as np

        near = np.zeros(len(self.section_keys), dtype=np.float32)
        if len(self.ask_index):
            np.maximum.at(near, self.ask_section, (self.ask_matrix @ vector)[self.ask_index])
        return near[self.section_of]

    def answer(self, vector, question: str, hits, shown: set[str] = frozenset(), limit: int = 3,
               cards: set[str] | None = None, own_words: str | None = None, search_covered: bool = False,
               asked_outright: bool = False) -> Answer:
        """The best sentences for the question (its vector and words); `hits` are the turn's sections."""
        import numpy as np

        vector = np.asarray(vector, dtype=np.float32)
        scores = self.matrix @ vector
        section_scores = (self.section_matrix @ vector)[self.section_of]
        ask_scores = self._ask_scores(vector)
        from assistant.asking import SIGNALS, question_type

        asked = set(tokenize(question))
        weight = sum(self.idf.get(t, 0.0) for t in asked) or 1.0
        signal = SIGNALS.get(question_type(question))
        # The question's most telling word ("anticipatory", "trial"): a section without it rarely answers.
        key = max((t for t in asked if self.idf.get(t, 0.0) >= KEY_IDF), key=lambda t: self.idf[t], default=None)
        guidance = [h for h in hits if not h.card_id.startswith("doc:")]
        bonus = {(h.card_id, h.heading): SECTION_BONUS[rank] for rank, h in
                 reversed(list(enumerate(guidance[:len(SECTION_BONUS)])))}
        card_rank = list(dict.fromkeys(h.card_id for h in guidance))[:len(CARD_BONUS)]
        card_bonus = {card: CARD_BONUS[n] for n, card in enumerate(card_rank)}
        ranked = []
        for i, (text, card_id, title, heading) in enumerate(self.rows):
            if cards is not None and card_id not in cards:
                continue
            lexical = sum(self.idf.get(t, 0.0) for t in asked & self.terms[i]) / weight
            named = sum(self.idf.get(t, 0.0) for t in asked & self.heading_terms[i]) / weight
            total = 0.4 * float(scores[i]) + 0.35 * float(section_scores[i]) + 0.25 * lexical + bonus.get((card_id, heading), 0.0) + (
                card_bonus.get(card_id, 0.0)) - (OVERVIEW_PENALTY if heading == "Overview" else 0.0) + (
                HEADING_WEIGHT * named) + (TYPE_BONUS if signal is not None and signal.search(text) else 0.0) - (
                KEY_MISSING if key and key not in self.section_terms[self.section_of[i]] else 0.0) + (
                ASK_WEIGHT * float(ask_scores[i]))
            ranked.append((total, float(scores[i]), i))
        ranked.sort(reverse=True)
        # What was shown before stays out, except the best answer to a question asked outright.
        ranked = [r for n, r in enumerate(ranked) if self.rows[r[2]][0] not in shown or (asked_outright and n == 0)]
        if ranked:  # the sentence after the best one often finishes its thought: keep them together
            top = ranked[0][2]
            same = [i != top and self.rows[i][1:] == self.rows[top][1:] for _, _, i in ranked]
            ranked = [(t + (FOLLOW_BONUS if i == top + 1 else SAME_SECTION) if near else t, raw, i)
                      for (t, raw, i), near in zip(ranked, same)]
            ranked.sort(reverse=True)
        if not ranked:
            return Answer(sentences=[], covered=False)
        # The answer never opens on "It also showed...": the best sentence that stands on its own sets the bar.
        best, best_i = next(((t, i) for t, _, i in ranked if not _LEANS_BACK.match(self.rows[i][0])),
                            (ranked[0][0], ranked[0][2]))
        # How far the cards' own words meet the question, without the lift from known questions: the
        # conversation's "not covered" bar (engine.NEAR_MISS) was set on it. The cover bars here take the
        # lift (chosen on training conversations: answers 65.8% -> 66.7%, cites 59.7% -> 62.1%).
        fit = best - ASK_WEIGHT * float(ask_scores[best_i])
        chosen, sections = [], []
        picked: set[int] = set()
        for total, raw, i in ranked:
            text, card_id, title, heading = self.rows[i]
            if total < best - NEAR or len(chosen) >= limit:
                break
            if _LEANS_BACK.match(text) and i - 1 not in picked:
                continue  # a sentence that leans on the one before is read only after it
            if (card_id, heading) not in sections:
                if len(sections) >= 2:
                    continue
                sections.append((card_id, heading))
            words = set(tokenize(text))
            if any(len(words & set(tokenize(c.text))) > 0.7 * min(len(words), len(set(tokenize(c.text))) or 1)
                   for c in chosen):
                continue  # the same point from another card adds length, not an answer
            chosen.append(AnswerSentence(text=text, card_id=card_id, title=title, heading=heading,
                                         score=round(raw, 3)))
            picked.add(i)
        # Read in the card's own order within a section, best section first.
        order = {s: n for n, s in enumerate(sections)}
        position = {self.rows[i][0]: i for _, _, i in ranked[:200]}
        chosen.sort(key=lambda s: (order[(s.card_id, s.heading)], position.get(s.text, 0)))
        searched = list(dict.fromkeys(h.card_id for h in guidance))[:SEARCH_CARDS]
        covered = best >= COVERED or (search_covered and best >= COVERED_BY_SEARCH and chosen[0].card_id in searched)
        if not covered and search_covered and cards is None and searched:
            # Search, reading the whole message, found cards that cover it, but a sentence elsewhere scored
            # higher: the answer is read from the cards search found, if one of them answers well enough.
            within = self.answer(vector, question, hits, shown, limit, set(searched), own_words, search_covered,
                                 asked_outright)
            if within.covered:
                return within
        return Answer(sentences=chosen, covered=covered and not self._foreign(own_words or question),
                      best=round(best, 3), fit=round(fit, 3))

    def _foreign(self, question: str) -> bool:
        """Half or more of the question's words appear nowhere in the cards ("VAT on minibus fuel"): whatever
        scores best is only near it."""
        words = {t for t in tokenize(question) if not t.isdigit()}
        return len(words) >= 2 and sum(t not in self.idf for t in words) >= UNKNOWN_SHARE * len(words)


    @property
    def send_sentences(self) -> frozenset[str]:
        """Sentences about special educational needs, plans or disability: no ground for a pupil the leader
        says has no SEND (the same point for a pupil who has is a different matter)."""
        if self._send_sentences is None:
            self._send_sentences = frozenset(r[0] for r in self.rows if _SEND_WORDS.search(r[0]))
        return self._send_sentences

    def cards_for(self, lenses: set[str]) -> set[str]:
        return {card for card, own in self.card_lenses.items() if own & lenses}


@lru_cache(maxsize=1)
def _index() -> SentenceIndex:
    return SentenceIndex()


def sentence_index() -> SentenceIndex:
    with _lock:
        return _index()
