"""Reciprocal rank fusion: one way to merge rankings, for card search and the school's documents."""
from __future__ import annotations

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


def fused_order(scores: dict[str, float]) -> list[str]:
    """Items best first; ties broken by the item itself so results are stable."""
    return sorted(scores, key=lambda item: (-scores[item], item))
