"""BM25 over card sections: the lexical half of hybrid retrieval."""
from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer
from rank_bm25 import BM25Okapi

_stemmer = snowballstemmer.stemmer("english")
_word = re.compile(r"[a-z0-9]+")
_STOPWORDS = frozenset(
    "a an and are as at be been but by can could do does for from had has have he her his how i if in "
    "into is it its me my no not of on or our she so than that the their them then there these they "
    "this to too us was we were what when where which who why will with would you your".split()
)


@lru_cache(maxsize=8192)
def _stem(word: str) -> str:
    return _stemmer.stemWord(word)


def tokenize(text: str) -> list[str]:
    return [_stem(w) for w in _word.findall(text.lower()) if w not in _STOPWORDS]


class LexicalIndex:
    def __init__(self, ids: list[str], texts: list[str]) -> None:
        self.ids = ids
        self._bm25 = BM25Okapi([tokenize(t) or ["_"] for t in texts])

    def scores(self, query: str) -> list[float]:
        """The BM25 score of every chunk for the query, in the order of `ids` (0 when no term matches)."""
        terms = tokenize(query)
        return list(self._bm25.get_scores(terms)) if terms else [0.0] * len(self.ids)

    def rank(self, query: str, limit: int = 40) -> list[str]:
        """Chunk ids with a positive BM25 score, best first."""
        scores = self.scores(query)
        order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
        return [self.ids[i] for i in order[:limit] if scores[i] > 0]
