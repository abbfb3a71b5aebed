"""Hybrid search over the cards: dense (chromadb) + BM25, reciprocal rank fusion,
with glossary expansion of the field's abbreviations. Results are card-level:
the best section of each card, deduplicated.
"""
from __future__ import annotations

import re
import threading
from functools import lru_cache

from knowledge.chunker import chunk_card, embedding_text
from knowledge.errors import ReflectError
from knowledge.glossary import expansions_in
from knowledge.lexical import LexicalIndex
from knowledge.loader import load_cards
from knowledge.models import Chunk, Hit

MAX_QUERY_CHARS = 10_000
RRF_K = 60
QUESTIONS_HEADING = "Questions to ask yourself"
CANDIDATES = 40
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
    extra = expansions_in(query)
    return f"{query} ({'; '.join(extra)})" if extra else query


def _snippet(text: str, limit: int = 240) -> str:
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + " …"


class Searcher:
    """Holds the lexical index and the chromadb collection; safe to share."""

    def __init__(self) -> None:
        from knowledge.embedder import get_embedder
        from knowledge.index import CARDS_COLLECTION, ensure_index, get_client

        ensure_index()
        self._embedder = get_embedder()
        self._collection = get_client().get_collection(CARDS_COLLECTION)
        cards = load_cards()
        self._source = {c.id: c.sources[0].title for c in cards}
        self._chunks: dict[str, Chunk] = {ch.chunk_id: ch for card in cards for ch in chunk_card(card)}
        self._lexical = LexicalIndex(list(self._chunks), [embedding_text(c) for c in self._chunks.values()])
        self._load_vectors()
        self._last_query = None  # (query, vector): a turn's follow-up lookups reuse the embedding

    def _load_vectors(self) -> None:
        """Section vectors from the index, kept for the whole-card ranking:
        each card's mean section vector, and its rows to find its best section."""
        import numpy as np

        stored = self._collection.get(include=["embeddings"])
        self._rows: dict[str, list[tuple[str, int]]] = {}
        for row, chunk_id in enumerate(stored["ids"]):
            self._rows.setdefault(self._chunks[chunk_id].card_id, []).append((chunk_id, row))
        self._matrix = np.asarray(stored["embeddings"], dtype=np.float32)
        self._card_ids = sorted(self._rows)
        means = np.stack([self._matrix[[r for _, r in self._rows[c]]].mean(axis=0) for c in self._card_ids])
        self._centroids = means / np.linalg.norm(means, axis=1, keepdims=True)

    def dense_rank(self, vector, limit: int = CANDIDATES) -> list[str]:
        found = self._collection.query(
            query_embeddings=[vector.tolist()], n_results=min(limit, len(self._chunks)), include=[]
        )
        return found["ids"][0]

    def card_rank(self, vector, limit: int = CANDIDATES) -> list[str]:
        import numpy as np

        order = np.argsort(-(self._centroids @ vector), kind="stable")[:limit]
        return [self._card_ids[i] for i in order]

    def search(self, query: str, k: int = 5, lenses: list[str] | None = None) -> list[Hit]:
        query = expand_query(validate_query(query))
        vector = self._vector(query)
        fused: dict[str, float] = {}
        for ranking in (self.dense_rank(vector), self._lexical.rank(query, CANDIDATES)):
            for rank, chunk_id in enumerate(ranking):
                fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (RRF_K + rank + 1)
        if lenses:
            wanted = set(lenses)
            for chunk_id in fused:
                if wanted & set(self._chunks[chunk_id].lenses):
                    fused[chunk_id] *= 1.15  # a nudge towards the lens in hand, never a filter
        best: dict[str, tuple[float, str]] = {}
        for chunk_id, score in fused.items():
            card_id = self._chunks[chunk_id].card_id
            if card_id not in best or score > best[card_id][0]:
                best[card_id] = (score, chunk_id)
        # The whole-card ranking joins the fusion at card level; a card it alone
        # surfaces is shown through its best-matching section.
        for rank, card_id in enumerate(self.card_rank(vector)):
            bonus = 1.0 / (RRF_K + rank + 1)
            if card_id in best:
                best[card_id] = (best[card_id][0] + bonus, best[card_id][1])
            else:
                best[card_id] = (bonus, self._best_section(card_id, vector))
        ranked = sorted(best.values(), key=lambda item: (-item[0], item[1]))[:k]
        return [self._hit(chunk_id, score) for score, chunk_id in ranked]

    def card_hit(self, card_id: str, query: str) -> Hit | None:
        """The section of one named card that best matches the query, for quoting:
        a card's closing questions are for the leader, not a source to quote."""
        if card_id not in self._rows:
            return None
        vector = self._vector(expand_query(validate_query(query)))
        return self._hit(self._best_section(card_id, vector, quotable=True), 0.0)

    def _vector(self, query: str):
        if self._last_query is None or self._last_query[0] != query:
            self._last_query = (query, self._embedder.embed_one(query))
        return self._last_query[1]

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
