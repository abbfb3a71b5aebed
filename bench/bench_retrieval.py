"""Index build (cold, no-op) and search latency against its floor."""
from __future__ import annotations

import numpy as np

from timing import percentiles, row, time_ms

QUERIES = [
    "pupil with autism walked out of class and swore at a teacher",
    "what must a suspension letter to parents include",
    "how do we record removal from class",
    "looked-after child at risk of permanent exclusion",
    "reasonable adjustments to a behaviour policy",
    "a child told a TA something worrying at lunchtime",
    "Gibbs reflective cycle after a restraint",
    "governors reviewing a PEX, what do they consider",
    "persistent absence and support first",
    "does the EHCP need an early review before excluding",
    "low-level concerns about a member of staff",
    "is a rigid zero tolerance rule a problem under the Equality Act",
]


def run() -> list[dict]:
    from knowledge.embedder import get_embedder
    from knowledge.index import CARDS_COLLECTION, ensure_index, get_client
    from knowledge.search import Searcher, expand_query

    get_embedder()  # model load is not part of the build figure
    cold = time_ms(lambda: ensure_index())
    noop = min(time_ms(lambda: ensure_index()) for _ in range(3))
    searcher = Searcher()
    embedder = get_embedder()
    stored = get_client().get_collection(CARDS_COLLECTION).get(include=["embeddings"])
    matrix = np.asarray(stored["embeddings"], dtype=np.float32)

    def floor(query: str) -> None:
        vector = embedder.embed_one(expand_query(query))
        scores = matrix @ vector
        np.argsort(-scores)[:5]

    for q in QUERIES:  # warm both paths
        searcher.search(q)
        floor(q)
    search_ms, floor_ms = [], []
    for _ in range(5):
        for q in QUERIES:
            embedder._recent.clear()  # each timed search embeds its query, as a new question would
            search_ms.append(time_ms(lambda: searcher.search(q)))
            floor_ms.append(time_ms(lambda: floor(q)))
    s50, s95 = percentiles(search_ms)
    f50, f95 = percentiles(floor_ms)
    return [
        row("retrieval", "index build cold", cold),
        row("retrieval", "index build no-op", noop),
        row("retrieval", "search p50 warm", s50),
        row("retrieval", "search p95 warm", s95),
        row("retrieval", "floor p50 (embed + numpy cosine)", f50),
        row("retrieval", "floor p95", f95),
        row("retrieval", "search/floor p50 ratio", s50 / f50, "x"),
    ]
