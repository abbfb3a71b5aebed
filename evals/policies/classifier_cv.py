"""Cross-validate the rigid-rule classifier on its own exemplars.

    python -m evals.policies.classifier_cv

Stratified 5-fold cross-validation over assistant/policy_exemplars.yaml with the
same features and model as assistant/policy_classifier.py: every exemplar is
scored by a model that never saw it. Reports ROC AUC and, at the review's two
bars (a sentence alone, a sentence inside a ladder step or tariff row), the
precision and recall of the "rigid" class. Policy corpus texts are not used.
"""
from __future__ import annotations

import numpy as np
import yaml

from assistant.policy_classifier import EXEMPLARS_FILE, fit
from assistant.policy_review import _rules


def main() -> int:
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold

    from knowledge.embedder import get_embedder

    raw = yaml.safe_load(EXEMPLARS_FILE.read_text(encoding="utf-8"))
    texts = list(raw["rigid"]) + list(raw["flexible"])
    y = np.array([1] * len(raw["rigid"]) + [0] * len(raw["flexible"]))
    x = get_embedder().embed(texts).astype(np.float64)
    p = np.zeros(len(y))
    for train, test in StratifiedKFold(n_splits=5, shuffle=True, random_state=0).split(x, y):
        model = fit(x[train], y[train])
        p[test] = model.predict_proba(x[test])[:, 1]
    print(f"exemplars: {int(y.sum())} rigid, {int((1 - y).sum())} flexible")
    print(f"ROC AUC (5-fold): {roc_auc_score(y, p):.3f}")
    rules = _rules()
    for name, bar in (("alone", rules.threshold), ("in a step or row", rules.threshold_in_step)):
        flagged = p >= bar
        tp = int((flagged & (y == 1)).sum())
        precision = tp / flagged.sum() if flagged.sum() else float("nan")
        print(f"bar {bar:.2f} ({name}): precision {precision:.2f}, recall {tp / y.sum():.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
