"""Fit the coverage estimate (knowledge/coverage.py) on the tuning rows and print its constants.

    REFLECT_DATA_DIR=... python -m evals.retrieval.fit_coverage

Rows: evals/retrieval/tune.jsonl and the tuning split of tune_real.jsonl; answerable rows are
"covered", gap rows ("relevant": []) are not. Prints, by 5-fold cross-validation repeated over
five shuffles, how well the model tells gap rows apart (precision and recall of "not covered")
and the share of answerable rows it would call not covered, at the model's own 0.5 (what
knowledge.coverage.COVERED_AT uses) and at a threshold allowing FALSE_GAP_RATE; then the weights
fitted on all rows for knowledge/coverage.py. Never run it on held-out rows.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
TUNING = (HERE / "tune.jsonl", HERE / "tune_real.jsonl")
FALSE_GAP_RATE = 0.05  # answerable questions we accept calling "not covered" (cross-validated)
SEEDS = 5


def tuning_rows() -> list[dict]:
    rows = []
    for path in TUNING:
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row.get("split", "tune") == "tune":
                rows.append(row)
    return rows


def main() -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    from knowledge.coverage import CoverageSignals
    from knowledge.search import get_searcher

    searcher = get_searcher()
    rows = tuning_rows()
    names = list(CoverageSignals.model_fields)
    x = np.array([[getattr(searcher.signals(r["query"]), n) for n in names] for r in rows])
    covered = np.array([bool(r["relevant"]) for r in rows])
    mean, spread = x.mean(axis=0), x.std(axis=0)
    z = (x - mean) / spread

    def model():
        return LogisticRegression(max_iter=1000)

    # Cross-validated: the threshold is chosen inside each run from its own out-of-fold scores.
    figures = []
    for seed in range(SEEDS):
        folds = StratifiedKFold(5, shuffle=True, random_state=seed)
        p = cross_val_predict(model(), z, covered, cv=folds, method="predict_proba")[:, 1]
        threshold = float(np.quantile(p[covered], FALSE_GAP_RATE))
        said_gap = p < threshold
        gaps = ~covered
        tp = int((said_gap & gaps).sum())
        half = p < 0.5
        figures.append((tp / max(int(said_gap.sum()), 1), tp / int(gaps.sum()), float(said_gap[covered].mean()),
                        float((half & gaps).sum() / max(int(half.sum()), 1)), float((half & gaps).sum() / gaps.sum()),
                        float(half[covered].mean())))
    precision, recall, false_gap, precision_half, recall_half, false_half = np.mean(figures, axis=0)
    print(f"rows {len(rows)}: {int(covered.sum())} answerable, {int((~covered).sum())} gap")
    print(f"cross-validated, threshold at {FALSE_GAP_RATE:.0%} answerable called not covered: "
          f"gap precision {precision:.3f}, gap recall {recall:.3f}, answerable called not covered {false_gap:.3f}")
    print(f"cross-validated, threshold 0.5: gap precision {precision_half:.3f}, gap recall {recall_half:.3f}, "
          f"answerable called not covered {false_half:.3f}")

    fitted = model().fit(z, covered)
    weights = fitted.coef_[0] / spread
    intercept = float(fitted.intercept_[0] - (fitted.coef_[0] * mean / spread).sum())
    p = fitted.predict_proba(z)[:, 1]
    print("\nfor knowledge/coverage.py:")
    print(f"INTERCEPT = {intercept:.4f}")
    print("WEIGHTS = {" + ", ".join(f'"{n}": {w:.4f}' for n, w in zip(names, weights)) + "}")
    print(f"(threshold for {FALSE_GAP_RATE:.0%} answerable called not covered on all rows: "
          f"{float(np.quantile(p[covered], FALSE_GAP_RATE)):.3f})")


if __name__ == "__main__":
    main()
