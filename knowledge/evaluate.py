"""Retrieval evaluation: hit@1, hit@k, any@k, recall@k, MRR and the misses, per kind
of question when rows carry a "kind"; and gap rows ("relevant": []), where no card
should answer, scored on whether search says the cards do not cover them.
"""
from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from knowledge.errors import ReflectError
from knowledge.jsonl import read_jsonl


class RetrievalMiss(BaseModel):
    id: str
    query: str
    relevant: list[str]
    got: list[str]


class Scores(BaseModel):
    items: int
    hit_at_1: float  # the first-listed (main) card ranked first
    hit_at_k: float  # the main card in the top k
    any_at_k: float  # any labelled card in the top k
    recall_at_k: float
    mrr: float  # by the first labelled card found
    said_covered: float  # share that search marked covered (should be high)


class GapScores(BaseModel):
    items: int
    said_not_covered: float  # share that search marked not covered (should be high)
    mean_coverage: float


class RetrievalReport(BaseModel):
    k: int
    overall: Scores
    by_kind: dict[str, Scores]
    gaps: GapScores | None
    misses: list[RetrievalMiss]

    def table(self) -> str:
        rows = [("all", self.overall), *sorted(self.by_kind.items())]
        lines = [f"{'set':<10}{'items':>6}{'hit@1':>8}{f'hit@{self.k}':>8}{f'any@{self.k}':>8}"
                 f"{f'recall@{self.k}':>10}{'MRR':>7}{'covered':>9}"]
        for name, s in rows:
            lines.append(f"{name:<10}{s.items:>6}{s.hit_at_1:>8.3f}{s.hit_at_k:>8.3f}{s.any_at_k:>8.3f}"
                         f"{s.recall_at_k:>10.3f}{s.mrr:>7.3f}{s.said_covered:>9.3f}")
        if self.gaps is not None:
            lines.append(f"\ngap rows   {self.gaps.items}: said not covered {self.gaps.said_not_covered:.3f}, "
                         f"mean coverage {self.gaps.mean_coverage:.3f}")
        if self.misses:
            lines.append(f"\nmisses ({len(self.misses)}): the main card not in the top {self.k}")
            for miss in self.misses:
                lines.append(f"  {miss.id}: {miss.query[:90]}")
                lines.append(f"      wanted {miss.relevant[0]}; got {', '.join(miss.got)}")
        return "\n".join(lines)


def _scores(results: list[tuple[list[str], list[str], bool]], k: int) -> Scores:
    n = max(len(results), 1)
    hit1 = hitk = anyk = recall = rr = covered = 0.0
    for relevant, ranked, said_covered in results:
        top = ranked[:k]
        hit1 += ranked[:1] == relevant[:1]
        hitk += relevant[0] in top
        anyk += any(r in top for r in relevant)
        recall += sum(r in top for r in relevant) / len(relevant)
        rank = next((i for i, cid in enumerate(ranked) if cid in relevant), None)
        rr += 0.0 if rank is None else 1.0 / (rank + 1)
        covered += said_covered
    return Scores(items=len(results), hit_at_1=hit1 / n, hit_at_k=hitk / n, any_at_k=anyk / n,
                  recall_at_k=recall / n, mrr=rr / n, said_covered=covered / n)


def evaluate_retrieval(path: Path, k: int = 5) -> RetrievalReport:
    from knowledge.search import get_searcher

    searcher = get_searcher()
    rows = read_jsonl(path, required=("id", "query", "relevant"))
    labelled: dict[str, list[tuple[list[str], list[str], bool]]] = {}
    everything: list[tuple[list[str], list[str], bool]] = []
    gap_coverage: list[tuple[float, bool]] = []
    misses: list[RetrievalMiss] = []
    for number, row in enumerate(rows, start=1):
        relevant = row["relevant"]
        if not isinstance(relevant, list) or not all(isinstance(r, str) for r in relevant):
            raise ReflectError(f"{path}, row {number}: 'relevant' must be a list of card ids ([] for a gap row)")
        result = searcher.find(row["query"], k=max(k, 10))
        if not relevant:
            gap_coverage.append((result.coverage, result.covered))
            continue
        ranked = [h.card_id for h in result.hits]
        entry = (list(relevant), ranked, result.covered)
        everything.append(entry)
        labelled.setdefault(str(row.get("kind") or "all"), []).append(entry)
        if relevant[0] not in ranked[:k]:
            misses.append(RetrievalMiss(id=str(row["id"]), query=row["query"], relevant=relevant, got=ranked[:k]))
    by_kind = {kind: _scores(items, k) for kind, items in labelled.items()} if len(labelled) > 1 or "all" not in labelled else {}
    gaps = None
    if gap_coverage:
        gaps = GapScores(
            items=len(gap_coverage),
            said_not_covered=sum(not covered for _, covered in gap_coverage) / len(gap_coverage),
            mean_coverage=sum(c for c, _ in gap_coverage) / len(gap_coverage),
        )
    return RetrievalReport(k=k, overall=_scores(everything, k), by_kind=by_kind, gaps=gaps, misses=misses)


def run_retrieval_eval(path: str | Path, k: int = 5, as_json: bool = False, figures_only: bool = False) -> str:
    report = evaluate_retrieval(Path(path), k)
    if figures_only:  # a blind set: its items are not for the eyes of whoever tunes retrieval
        report = report.model_copy(update={"misses": []})
    return json.dumps(report.model_dump(), indent=2) if as_json else report.table()
