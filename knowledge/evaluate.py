"""Retrieval evaluation: hit@1, hit@k, recall@k, MRR, and the misses."""
from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from knowledge.jsonl import read_jsonl


class RetrievalMiss(BaseModel):
    id: str
    query: str
    relevant: list[str]
    got: list[str]


class RetrievalReport(BaseModel):
    items: int
    k: int
    hit_at_1: float
    hit_at_k: float
    recall_at_k: float
    mrr: float
    misses: list[RetrievalMiss]

    def table(self) -> str:
        lines = [
            f"items      {self.items}",
            f"hit@1      {self.hit_at_1:.3f}",
            f"hit@{self.k}      {self.hit_at_k:.3f}",
            f"recall@{self.k}   {self.recall_at_k:.3f}",
            f"MRR        {self.mrr:.3f}",
        ]
        if self.misses:
            lines.append(f"\nmisses ({len(self.misses)}): the first relevant card not in the top {self.k}")
            for miss in self.misses:
                lines.append(f"  {miss.id}: {miss.query[:90]}")
                lines.append(f"      wanted {miss.relevant[0]}; got {', '.join(miss.got)}")
        return "\n".join(lines)


def evaluate_retrieval(path: Path, k: int = 5) -> RetrievalReport:
    from knowledge.search import get_searcher

    searcher = get_searcher()
    rows = read_jsonl(path, required=("id", "query", "relevant"))
    hit1 = hitk = recall = rr = 0.0
    misses: list[RetrievalMiss] = []
    for row in rows:
        relevant = list(row["relevant"])
        ranked = [h.card_id for h in searcher.search(row["query"], k=max(k, 10))]
        top = ranked[:k]
        first = relevant[0]
        hit1 += ranked[:1] == [first]
        hitk += first in top
        recall += sum(r in top for r in relevant) / len(relevant)
        rank = next((i for i, cid in enumerate(ranked) if cid in relevant), None)
        rr += 0.0 if rank is None else 1.0 / (rank + 1)
        if first not in top:
            misses.append(RetrievalMiss(id=str(row["id"]), query=row["query"], relevant=relevant, got=top))
    n = max(len(rows), 1)
    return RetrievalReport(
        items=len(rows), k=k, hit_at_1=hit1 / n, hit_at_k=hitk / n,
        recall_at_k=recall / n, mrr=rr / n, misses=misses,
    )


def run_retrieval_eval(path: str | Path, k: int = 5, as_json: bool = False) -> str:
    report = evaluate_retrieval(Path(path), k)
    return json.dumps(report.model_dump(), indent=2) if as_json else report.table()
