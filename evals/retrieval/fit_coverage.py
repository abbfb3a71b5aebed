"""Fit the coverage estimate (knowledge/coverage.py) on the tuning rows and print its constants.

    REFLECT_DATA_DIR=... python -m evals.retrieval.fit_coverage

Rows: evals/retrieval/tune.jsonl and the tuning split of tune_real.jsonl; answerable rows are
"covered", gap rows ("relevant": []) are not. Never run it on held-out rows.

Cross-validation is grouped, so it measures how the estimate does on a kind of question it has not
seen: a gap row's group is its `topic` (admissions, teacher pay, exams...) and an answerable row's
is its main card, and whole groups are held out together (5 folds, stratified, repeated over SEEDS
shuffles). In each fold the bar is set on the training rows alone, where FALSE_GAP_RATE of the
answerable ones fall below it, and then applied to the held-out rows. It prints gap recall and
precision and the share of answerable rows called not covered, then the weights fitted on all rows
and the bar for knowledge/coverage.py.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
TUNING = (HERE / "tune.jsonl", *sorted(HERE.glob("tune_real*.jsonl")))
FALSE_GAP_RATE = 0.03  # answerable training questions allowed below the bar (held out it comes to about 4%)
REGULARISATION = 0.1  # C of the logistic regression on standardised signals: strong, so three weights stay modest
SEEDS = 10


def tuning_rows() -> list[dict]:
    rows = []
    for path in TUNING:
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row.get("split", "tune") == "tune":
                rows.append(row)
    return rows


def group(row: dict) -> str:
    """Gap rows are held out by topic, answerable rows by their main card."""
    if row["relevant"]:
        return "card:" + row["relevant"][0]
    if not row.get("topic"):
        raise ValueError(f"gap row {row['id']} has no topic: grouped cross-validation needs one")
    return "gap:" + row["topic"]


def _fit(z, covered):
    from sklearn.linear_model import LogisticRegression

    mean, spread = z.mean(axis=0), z.std(axis=0) + 1e-9
    model = LogisticRegression(C=REGULARISATION, max_iter=1000).fit((z - mean) / spread, covered)
    return lambda x: model.predict_proba((x - mean) / spread)[:, 1], model, mean, spread


def cross_validate(x, covered, groups) -> dict[str, float]:
    from sklearn.model_selection import StratifiedGroupKFold

    gaps = ~covered
    figures = []
    for seed in range(SEEDS):
        said_gap = np.zeros(len(covered), dtype=bool)
        for train, test in StratifiedGroupKFold(5, shuffle=True, random_state=seed).split(x, covered, groups):
            predict, *_ = _fit(x[train], covered[train])
            bar = np.quantile(predict(x[train])[covered[train]], FALSE_GAP_RATE)
            said_gap[test] = predict(x[test]) < bar
        caught = int((said_gap & gaps).sum())
        figures.append((caught / gaps.sum(), caught / max(int(said_gap.sum()), 1), said_gap[covered].mean()))
    recall, precision, false_gap = np.mean(figures, axis=0)
    return {"gap recall": recall, "gap precision": precision, "answerable called not covered": false_gap}


def main() -> None:
    from knowledge.coverage import CoverageSignals
    from knowledge.search import get_searcher

    searcher = get_searcher()
    rows = tuning_rows()
    names = list(CoverageSignals.model_fields)
    x = np.array([[getattr(searcher.signals(r["query"]), n) for n in names] for r in rows])
    covered = np.array([bool(r["relevant"]) for r in rows])
    groups = np.array([group(r) for r in rows])
    print(f"rows {len(rows)}: {int(covered.sum())} answerable in {len(set(groups[covered]))} card groups, "
          f"{int((~covered).sum())} gap in {len(set(groups[~covered]))} topics")
    figures = cross_validate(x, covered, groups)
    print("grouped cross-validation, bar set on the training folds: "
          + ", ".join(f"{k} {v:.3f}" for k, v in figures.items()))

    predict, model, mean, spread = _fit(x, covered)
    weights = model.coef_[0] / spread
    intercept = float(model.intercept_[0] - (model.coef_[0] * mean / spread).sum())
    bar = float(np.quantile(predict(x)[covered], FALSE_GAP_RATE))
    print("\nfor knowledge/coverage.py:")
    print(f"INTERCEPT = {intercept:.4f}")
    print("WEIGHTS = {" + ", ".join(f'"{n}": {w:.4f}' for n, w in zip(names, weights)) + "}")
    print(f"COVERED_AT = {bar:.3f}")


if __name__ == "__main__":
    main()
