"""Cross-validate the rigid-rule classifier.

    python -m evals.policies.classifier_cv

Same features (embedding, hashed word n-grams, modality) and model as
assistant/policy_classifier.py, two ways:

- stratified 5-fold over the written exemplars alone;
- leave one policy out over the labelled sentences of the tuning halves
  (assistant/policy_sentences.jsonl): each policy's sentences are scored by a
  model trained on the exemplars and every *other* policy, which is how an
  unseen policy meets it. This is what the review's bars are chosen from.

Reports ROC AUC and, at the review's bars, precision and recall of the
"rigid" class. The held-out halves are not used.
"""
from __future__ import annotations

import json

import numpy as np

from assistant.policy_classifier import SENTENCES_FILE, exemplars, features, fit
from assistant.policy_review import _rules


def _bars(p: np.ndarray, y: np.ndarray) -> None:
    rules = _rules()
    for name, bar in (("alone, naming a sanction", rules.threshold), ("alone, naming none", rules.threshold_uncued),
                      ("in a step or row", rules.threshold_in_step)):
        flagged = p >= bar
        tp = int((flagged & (y == 1)).sum())
        precision = tp / flagged.sum() if flagged.sum() else float("nan")
        print(f"  bar {bar:.2f} ({name}): precision {precision:.2f}, recall {tp / y.sum():.2f}")


def main() -> int:
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold

    rows = [json.loads(line) for line in SENTENCES_FILE.read_text(encoding="utf-8").splitlines()]
    sources = sorted({r["source"] for r in rows})
    texts, y = exemplars(exclude_source=set(sources))  # the written exemplars only
    x = features(texts).astype(np.float64)
    p = np.zeros(len(y))
    for train, test in StratifiedKFold(n_splits=5, shuffle=True, random_state=0).split(x, y):
        p[test] = fit(x[train], y[train]).predict_proba(x[test])[:, 1]
    print(f"exemplars: {int(y.sum())} rigid, {int((1 - y).sum())} flexible; ROC AUC (5-fold) {roc_auc_score(y, p):.3f}")
    _bars(p, y)

    scores, truth = [], []
    for source in sources:
        texts, y = exemplars(exclude_source={source})
        model = fit(features(texts).astype(np.float64), y)
        held = [r for r in rows if r["source"] == source]
        scores.extend(model.predict_proba(features([r["text"] for r in held]).astype(np.float64))[:, 1])
        truth.extend(int(r["rigid"]) for r in held)
    p, y = np.array(scores), np.array(truth)
    print(f"policy sentences, leave one policy out ({len(sources)} policies): {int(y.sum())} rigid, "
          f"{int((1 - y).sum())} flexible; ROC AUC {roc_auc_score(y, p):.3f}")
    _bars(p, y)
    for bar in (0.5, 0.6, 0.7, 0.8, 0.9):
        flagged = p >= bar
        tp = int((flagged & (y == 1)).sum())
        print(f"  at {bar:.1f}: {tp}/{int(flagged.sum())} flagged are rigid, {tp}/{int(y.sum())} rigid flagged")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
