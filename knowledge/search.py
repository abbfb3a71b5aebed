"""Hybrid search over the cards. Four scorers are fused at card level by their
standard scores (knowledge.fusion.standard_score_fusion): the dense match of the
question against each card's best section, against its best phrasing (how people
describe its situations), against the card as a whole, and BM25 over sections and
phrasings. Fusing scores rather than ranks lets one strong match (a lay question
that is nearly one of the card's phrasings) outweigh a broad card that is merely
near the top of every list. Each card is shown through its best section. A long message is searched by its question
and key facts (knowledge.query), and every search says how far the cards cover
the question at all (`SearchResult.coverage`).
"""
from __future__ import annotations

import math
import re
import threading
from functools import lru_cache

from knowledge.chunker import embedding_text, index_chunks
from knowledge.coverage import ASKED_NEAREST, COVERED_AT, CoverageSignals, coverage
from knowledge.errors import ReflectError
from knowledge.card_questions import QUESTIONS_HEADING, ask_vectors, section_asks
from knowledge.fusion import fused_order, reciprocal_rank_fusion, standard_score_fusion
from knowledge.lexical import LexicalIndex, tokenize
from knowledge.loader import load_cards
from knowledge.models import Chunk, Hit, SearchResult
from knowledge.query import build_query
from knowledge.text import correct_spelling, expansions_in, lay_terms_in
from knowledge.vocabulary import card_vocabulary, chunk_rarity

MAX_QUERY_CHARS = 10_000
CANDIDATES = 40
LENS_NUDGE = 1.0  # standard-score units added for the lens in hand: about a place near the top, never a filter
# Scorers fused per card: best section (dense), best phrasing (dense), whole card (dense), BM25, and the card's
# nearest section questions (`asks`, dense: the mean of its ASKED_PER_CARD nearest).
# Phrasing 0.3 -> 0.5 and whole card 0.6 -> 0.5 in round 8: parents' questions meet a card's lay phrasings
# far better than its legal prose (tune_real3 hit@5 0.733 -> 0.833; tune_real and tune level).
# The section questions were added in round 9 at 0.5 (chosen 0.4-0.5 in every fold of a cross-validation with
# whole cards held out): a long lay question meets the questions a card is known to answer better than its
# prose, and the card's own best section and phrasing still decide most rankings (README, Search and coverage).
WEIGHTS = (1.0, 0.5, 0.5, 0.8, 0.5)
ASKED_PER_CARD = 3
# A card that sits close to everything (a "hub") is pushed down by this much of its
# typical closeness to other cards' phrasings, so broad cards rank only where they apply:
# fully on the whole-card score, in part on its best section and best phrasing, where a broad
# card's generic sections (its closing questions, its overview) otherwise match every message.
HUB_PENALTY = 1.0
HUB_PENALTY_CHUNKS = 0.3
HUB_NEIGHBOURS = 10
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class QueryError(ReflectError):
    pass


def validate_query(query: str) -> str:
    """Clean a user's query or say clearly why it cannot be searched."""
    if _CONTROL.search(query):
        raise QueryError("the query contains control characters; remove them and try again")
    cleaned = " ".join(query.split())
    if not cleaned:
        raise QueryError("the query is empty; type what you want to find")
    if len(cleaned) > MAX_QUERY_CHARS:
        raise QueryError(
            f"the query is too long ({len(cleaned):,} characters; the limit is {MAX_QUERY_CHARS:,}); "
            "shorten it to the question you want answered"
        )
    return cleaned


def expand_query(query: str) -> str:
    """The query, its misspellings corrected towards the cards' words, with the field's words for its
    abbreviations and lay phrasings in brackets."""
    query = correct_spelling(query)
    extra = list(dict.fromkeys([*expansions_in(query), *lay_terms_in(query)]))
    return f"{query} ({'; '.join(extra)})" if extra else query


def _snippet(text: str, limit: int = 240) -> str:
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + " …"


class Searcher:
    """Holds the lexical index and the card vectors; safe to share."""

    def __init__(self) -> None:
        from knowledge.embedder import get_embedder
        from knowledge.index import CARDS_COLLECTION, ensure_index, get_client

        import numpy as np

        ensure_index()
        self._embedder = get_embedder()
        self._collection = get_client().get_collection(CARDS_COLLECTION)
        cards = load_cards()
        self._source = {c.id: c.sources[0].title for c in cards}
        self._chunks: dict[str, Chunk] = {ch.chunk_id: ch for card in cards for ch in index_chunks(card)}
        self._lexical = LexicalIndex(list(self._chunks), [embedding_text(c) for c in self._chunks.values()])
        self._load_vectors()
        card_index = {card_id: i for i, card_id in enumerate(self._card_ids)}
        self._card_of_chunk = np.array([card_index[self._chunks[c].card_id] for c in self._lexical.ids])
        self._lenses = {c.id: set(c.lenses) for c in cards}
        weight = {c.id: c.search_weight for c in cards}
        self._weight = np.array([weight[card_id] for card_id in self._card_ids], dtype=np.float32)
        # For the coverage estimate: the questions the card sections answer, and each card's vocabulary
        # with how rare each word is (a word the cards never use weighs as much as their rarest).
        self._asks = np.asarray(ask_vectors(), dtype=np.float32)
        # Each card's section questions as rows of a padded table (-1 = none), so a card's nearest few are one lookup.
        ask_rows: dict[str, list[int]] = {}
        for row, (_, card_id, _) in enumerate(section_asks()):
            ask_rows.setdefault(card_id, []).append(row)
        width = max((len(r) for r in ask_rows.values()), default=1)
        self._ask_table = np.full((len(self._card_ids), width), -1, dtype=np.int64)
        for i, card_id in enumerate(self._card_ids):
            found = ask_rows.get(card_id, [])
            self._ask_table[i, :len(found)] = found
        self._vocabulary = card_vocabulary()
        self._rarity = chunk_rarity()
        self._unseen = max(self._rarity.values(), default=1.0)

    def _load_vectors(self) -> None:
        """All vectors in memory (a few hundred rows): ranking is one matrix product."""
        import numpy as np

        stored = self._collection.get(include=["embeddings"])
        self._row_ids: list[str] = list(stored["ids"])
        self._matrix = np.asarray(stored["embeddings"], dtype=np.float32)
        self._rows: dict[str, list[tuple[str, int]]] = {}  # card -> its sections' (chunk id, row)
        phrasing_rows: dict[str, list[int]] = {}
        for row, chunk_id in enumerate(self._row_ids):
            chunk = self._chunks[chunk_id]
            if chunk.role == "section":
                self._rows.setdefault(chunk.card_id, []).append((chunk_id, row))
            else:
                phrasing_rows.setdefault(chunk.card_id, []).append(row)
        self._card_ids = sorted(self._rows)
        self._card_of_row = np.array([self._card_ids.index(self._chunks[i].card_id) for i in self._row_ids])
        self._is_section = np.array([self._chunks[i].role == "section" for i in self._row_ids])
        means = np.stack([self._matrix[[r for _, r in self._rows[c]]].mean(axis=0) for c in self._card_ids])
        self._centroids = means / np.linalg.norm(means, axis=1, keepdims=True)
        self._hub = self._hubness(phrasing_rows)

    def _hubness(self, phrasing_rows: dict[str, list[int]]):
        """Each card's mean similarity to its nearest phrasings of *other* cards: high for a
        card that looks relevant to everything (CSLS-style hub correction)."""
        import numpy as np

        hub = np.zeros(len(self._card_ids), dtype=np.float32)
        for i, card_id in enumerate(self._card_ids):
            others = [r for c, rows in phrasing_rows.items() if c != card_id for r in rows]
            if len(others) < HUB_NEIGHBOURS:
                continue
            sims = self._matrix[others] @ self._centroids[i]
            hub[i] = float(np.sort(sims)[-HUB_NEIGHBOURS:].mean())
        return hub - hub.mean() if hub.any() else hub

    @staticmethod
    def embedded_text(query: str) -> str:
        """The text `find` embeds for a query: a caller embedding other texts in the same turn can batch it."""
        return expand_query(validate_query(build_query(query)))

    def find(self, query: str, k: int = 5, lenses: list[str] | None = None) -> SearchResult:
        """The k best cards for a query or a whole message, and how well the cards cover it."""
        import numpy as np

        matched, vector, scored = self._scored(query)
        total, sims, lexical_scores, _, _, _ = scored
        if lenses:
            wanted = set(lenses)
            total = [t + LENS_NUDGE if wanted & self._lenses[card_id] else t for t, card_id in zip(total, self._card_ids)]
        # A positive score for callers and the CLI: the fused standard score, squashed into (0, 1).
        fused = {card_id: 1.0 / (1.0 + math.exp(-t / sum(WEIGHTS))) for card_id, t in zip(self._card_ids, total)}
        ranked = fused_order(fused)[:k]

        # The section shown for a card: its best by dense and lexical rank together.
        order = np.argsort(-sims, kind="stable")
        section_rows = [r for r in order if self._is_section[r]][:CANDIDATES]
        by_lexical = sorted(range(len(lexical_scores)), key=lambda i: (-lexical_scores[i], i))[:CANDIDATES * 2]
        lexical = [self._lexical.ids[i] for i in by_lexical if lexical_scores[i] > 0]
        section_scores = reciprocal_rank_fusion(
            [[self._row_ids[r] for r in section_rows], [c for c in lexical if self._chunks[c].role == "section"]])
        hits = [self._hit(self._display_section(card_id, section_scores, vector), fused[card_id])
                for card_id in ranked]
        signals = self._signals(matched, vector, scored)
        score = round(coverage(signals), 3)
        return SearchResult(query=matched, hits=hits, coverage=score, covered=score >= COVERED_AT)

    def signals(self, query: str) -> CoverageSignals:
        """What the coverage estimate reads for a query (for fitting it: evals/retrieval/fit_coverage.py)."""
        return self._signals(*self._scored(query))

    def _signals(self, matched: str, vector, scored) -> CoverageSignals:
        """The coverage signals of one search, read at the card ranked first without a lens (a lens is the
        conversation's emphasis, not evidence that the cards answer the question)."""
        import numpy as np

        total, _, _, _, best_dense, ask_sims = scored
        top = int(np.argmax(total))
        nearest_asks = np.sort(ask_sims)[-ASKED_NEAREST:]
        stems = [t for t in dict.fromkeys(tokenize(correct_spelling(matched))) if not t.isdigit()]
        weights = [self._rarity.get(t, self._unseen) for t in stems]
        used = self._vocabulary.get(self._card_ids[top], frozenset())
        words = sum(w for t, w in zip(stems, weights) if t in used) / sum(weights) if stems else 0.0
        return CoverageSignals(nearest=float(best_dense.max()), asked=float(nearest_asks.mean()), words=words)

    def _scored(self, query: str):
        """One search's scores: the matched text, its vector, and (fused card scores, chunk similarities,
        chunk BM25 scores, each card's best BM25 score, each card's best raw dense similarity, the similarity to
        every section question)."""
        import numpy as np

        matched = validate_query(build_query(query))
        expanded = expand_query(matched)  # what `embedded_text` gives: batched callers find it embedded
        vector = self._vector(expanded)
        sims = self._matrix @ vector
        lexical_scores = self._lexical.scores(expanded)

        n = len(self._card_ids)
        best_section = np.full(n, -1.0, dtype=np.float32)
        best_phrasing = np.full(n, -1.0, dtype=np.float32)
        np.maximum.at(best_section, self._card_of_row[self._is_section], sims[self._is_section])
        np.maximum.at(best_phrasing, self._card_of_row[~self._is_section], sims[~self._is_section])
        best_dense = np.maximum(best_section, best_phrasing)
        best_section -= HUB_PENALTY_CHUNKS * self._hub
        best_phrasing -= HUB_PENALTY_CHUNKS * self._hub
        whole_card = self._centroids @ vector - HUB_PENALTY * self._hub
        best_lexical = np.zeros(n, dtype=np.float32)
        np.maximum.at(best_lexical, self._card_of_chunk, np.asarray(lexical_scores, dtype=np.float32))
        ask_sims = self._asks @ vector
        asked = np.where(self._ask_table >= 0, ask_sims[self._ask_table], -1.0)
        asked = np.sort(asked, axis=1)[:, -ASKED_PER_CARD:].mean(axis=1)
        total = np.asarray(standard_score_fusion([best_section, best_phrasing, whole_card, best_lexical, asked], WEIGHTS))
        total += self._weight
        return matched, vector, (total, sims, lexical_scores, best_lexical, best_dense, ask_sims)

    def search(self, query: str, k: int = 5, lenses: list[str] | None = None) -> list[Hit]:
        return self.find(query, k=k, lenses=lenses).hits

    def coverage(self, query: str) -> float:
        """How far the cards cover the question (0-1); below knowledge.coverage.COVERED_AT, say they do not."""
        return self.find(query, k=1).coverage

    def card_hit(self, card_id: str, query: str) -> Hit | None:
        """The section of one named card that best matches the query, for quoting:
        a card's closing questions are for the leader, not a source to quote."""
        if card_id not in self._rows:
            return None
        vector = self._vector(expand_query(validate_query(build_query(query))))
        return self._hit(self._best_section(card_id, vector, quotable=True), 0.0)

    def _display_section(self, card_id: str, section_scores: dict[str, float], vector) -> str:
        scored = [(section_scores[c], c) for c, _ in self._rows[card_id] if c in section_scores]
        if scored:
            return max(scored, key=lambda item: (item[0], item[1]))[1]
        return self._best_section(card_id, vector)

    def _vector(self, query: str):
        """A turn's follow-up lookups, and a query that is the turn's message itself, reuse its embedding."""
        return self._embedder.embed_recent([query])[0]

    def _best_section(self, card_id: str, vector, quotable: bool = False) -> str:
        rows = self._rows[card_id]
        if quotable:
            rows = [r for r in rows if not self._chunks[r[0]].heading.startswith(QUESTIONS_HEADING)] or rows
        scores = self._matrix[[r for _, r in rows]] @ vector
        return rows[int(scores.argmax())][0]

    def _hit(self, chunk_id: str, score: float) -> Hit:
        chunk = self._chunks[chunk_id]
        return Hit(
            card_id=chunk.card_id, title=chunk.title, heading=chunk.heading,
            snippet=_snippet(chunk.text), score=round(score, 5), lenses=chunk.lenses,
            kind=chunk.kind, source=self._source.get(chunk.card_id),
        )


def _dedupe(card_ids) -> list[str]:
    return list(dict.fromkeys(card_ids))


_lock = threading.Lock()


@lru_cache(maxsize=1)
def _shared() -> Searcher:
    return Searcher()


def get_searcher() -> Searcher:
    """The process's searcher, built (and the index brought up to date) on first use."""
    with _lock:
        return _shared()


def search(query: str, k: int = 5, lenses: list[str] | None = None) -> list[Hit]:
    return get_searcher().search(query, k=k, lenses=lenses)
