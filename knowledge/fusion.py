"""Fusion: the one home for merging rankings or scores, for card search and the school's documents."""
from __future__ import annotations

import math
from typing import Iterable, Sequence

RRF_K = 60  # the usual constant (Cormack et al., 2009): later ranks still count, a little


def reciprocal_rank_fusion(
    rankings: Iterable[Sequence[str]], weights: Sequence[float] | None = None, k: int = RRF_K,
) -> dict[str, float]:
    """Each item's fused score: the sum over rankings of weight / (k + rank), rank from 1."""
    fused: dict[str, float] = {}
    for i, ranking in enumerate(rankings):
        weight = 1.0 if weights is None else weights[i]
        for rank, item in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + weight / (k + rank)
    return fused


def standard_score_fusion(scores: Sequence[Sequence[float]], weights: Sequence[float]) -> list[float]:
    """Each item's weighted sum of its standard scores (z-scores) across the scorers.

    Unlike rank fusion, this keeps how strong the evidence is: an item far above the rest
    in one scorer (a lay phrasing that matches almost word for word) is not flattened to
    "rank 1", so it is not outvoted by a broad item that sits a few places down in every
    scorer. Every scorer must score the same items, in the same order."""
    total = [0.0] * len(scores[0])
    for weight, row in zip(weights, scores):
        mean = sum(row) / len(row)
        spread = math.sqrt(sum((x - mean) ** 2 for x in row) / len(row)) or 1.0
        for i, x in enumerate(row):
            total[i] += weight * (x - mean) / spread
    return total


def fused_order(scores: dict[str, float]) -> list[str]:
    """Items best first; ties broken by the item itself so results are stable."""
    return sorted(scores, key=lambda item: (-scores[item], item))
