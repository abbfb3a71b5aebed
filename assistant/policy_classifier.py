"""How rule-like a policy sentence reads: logistic regression over sentence
embeddings of the exemplars in policy_exemplars.yaml.

The policy review asks it about sentences that name a sanction but match no
pattern ("serves a 45 minute detention", "goes straight to the base"), and
about sentences under a ladder step. Fitted at first use and cached under
`cache_dir()/policy_review/<key>`, the key a hash of the exemplars and the
embedding model, so the same inputs always give the same weights.
"""
from __future__ import annotations

import hashlib
import os
import threading
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from knowledge.yamlfile import load_yaml

EXEMPLARS_FILE = Path(__file__).with_name("policy_exemplars.yaml")
VERSION = "policy-clf-1"
_lock = threading.Lock()


class RuleClassifier:
    def __init__(self, coef: np.ndarray, intercept: float) -> None:
        self.coef, self.intercept = coef, intercept

    def probabilities(self, texts: Sequence[str]) -> list[float]:
        """For each text, the probability that it fixes an outcome (0 to 1)."""
        if not texts:
            return []
        from knowledge.embedder import get_embedder

        x = get_embedder().embed(list(texts))
        z = x @ self.coef + self.intercept
        return [float(p) for p in 1.0 / (1.0 + np.exp(-z))]


def _key(model: str) -> str:
    h = hashlib.sha256()
    for part in (VERSION.encode(), model.encode(), EXEMPLARS_FILE.read_bytes()):
        h.update(part + b"\0")
    return h.hexdigest()[:20]


@lru_cache(maxsize=1)
def _load() -> RuleClassifier:
    from knowledge.embedder import get_embedder, model_id
    from knowledge.storage import cache_dir

    path = cache_dir() / "policy_review" / f"{_key(model_id())}.npz"
    try:
        with np.load(path) as z:
            return RuleClassifier(z["coef"], float(z["intercept"]))
    except (OSError, ValueError, KeyError):
        pass
    raw = load_yaml(EXEMPLARS_FILE.read_text(encoding="utf-8"))
    texts = list(raw["rigid"]) + list(raw["flexible"])
    y = np.array([1] * len(raw["rigid"]) + [0] * len(raw["flexible"]))
    x = get_embedder().embed(texts).astype(np.float64)
    model = fit(x, y)
    coef, intercept = model.coef_[0].astype(np.float32), float(model.intercept_[0])
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}.npz")
    np.savez(tmp, coef=coef, intercept=np.array(intercept))
    os.replace(tmp, path)
    return RuleClassifier(coef, intercept)


def fit(x: np.ndarray, y: np.ndarray):
    """The model behind the classifier (shared with its cross-validation in evals/policies)."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=4.0, max_iter=5000, tol=1e-8, class_weight="balanced").fit(x, y)


def get_classifier() -> RuleClassifier:
    with _lock:
        return _load()
