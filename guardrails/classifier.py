"""Logistic regression over sentence embeddings of the policy's exemplars.

Two heads: `input` (all eight categories; the reflection class is the
counter-exemplars) and `output` (assistant-style determinations against
reflective replies and the product's own texts). Fitted at first use and
cached under `cache_dir()/guardrails/<key>`, the key a hash of policy.yaml,
the abbreviation table and the embedding model, so a changed policy refits.
At run time a head is numpy arrays (weights, and the training vectors for the
nearest-exemplar checks): no scikit-learn import on the hot path.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from .models import ESCALATE_CATEGORIES, POLICY_PATH, Policy, REFUSE_CATEGORIES

VERSION = "guard-clf-3"
INPUT_CLASSES = ("reflection",) + REFUSE_CATEGORIES + ESCALATE_CATEGORIES
OUTPUT_CLASSES = ("reflection",) + REFUSE_CATEGORIES

Embed = Callable[[Sequence[str]], np.ndarray]


@dataclass
class Head:
    classes: tuple[str, ...]
    coef: np.ndarray       # (k, d)
    intercept: np.ndarray  # (k,)
    exemplars: np.ndarray | None = None  # (n, d) the training vectors, for nearest-exemplar support
    labels: np.ndarray | None = None     # (n,) class index of each

    def support(self, x: np.ndarray, category: str) -> np.ndarray:
        """Per row of x, the cosine similarity of the nearest exemplar of `category` (1.0 if unknown)."""
        if self.exemplars is None or self.labels is None:
            return np.ones(len(x), dtype=np.float32)
        mask = self.labels == self.index(category)
        if not mask.any():
            return np.zeros(len(x), dtype=np.float32)
        return (x @ self.exemplars[mask].T).max(axis=1)

    def votes(self, x: np.ndarray, categories: Sequence[str], k: int) -> int:
        """How many of the k exemplars nearest to the vector x belong to `categories`."""
        if self.exemplars is None or self.labels is None:
            return k
        sims = self.exemplars @ x
        top = np.argpartition(-sims, min(k, len(sims) - 1))[:k]
        wanted = {self.index(c) for c in categories}
        return int(sum(int(self.labels[t]) in wanted for t in top))

    def proba(self, x: np.ndarray) -> np.ndarray:
        z = x @ self.coef.T + self.intercept
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def index(self, category: str) -> int:
        return self.classes.index(category)


def mean_vector(vectors: np.ndarray) -> np.ndarray:
    """One vector for several sentences: their normalised mean."""
    v = vectors.mean(axis=0)
    n = float(np.linalg.norm(v))
    return (v / n if n > 0 else v).astype(np.float32)


def training_sets(policy: Policy, normalise: Callable[[str], str],
                  own_texts: Sequence[str]) -> dict[str, tuple[list[str], list[str]]]:
    """(texts, labels) per head, texts already normalised."""
    inp_t, inp_y, out_t, out_y = [], [], [], []
    for cat in INPUT_CLASSES:
        for text in policy.categories[cat].exemplars:
            inp_t.append(normalise(text))
            inp_y.append(cat)
    for cat in OUTPUT_CLASSES:
        for text in policy.categories[cat].output_exemplars:
            out_t.append(normalise(text))
            out_y.append(cat)
    for text in own_texts:  # the product's own replies must pass the output rail
        out_t.append(normalise(text))
        out_y.append("reflection")
    return {"input": (inp_t, inp_y), "output": (out_t, out_y)}


def cache_key(policy_path: Path, fingerprint: str, model_id: str) -> str:
    h = hashlib.sha256()
    for part in (VERSION, model_id, fingerprint):
        h.update(part.encode("utf-8") + b"\0")
    h.update(policy_path.read_bytes())
    return h.hexdigest()[:20]


def _fit(x: np.ndarray, labels: list[str], classes: tuple[str, ...], c: float, balanced: bool = True) -> Head:
    from sklearn.linear_model import LogisticRegression

    y = np.array([classes.index(label) for label in labels])
    model = LogisticRegression(C=c, max_iter=5000, class_weight="balanced" if balanced else None, tol=1e-6)
    model.fit(x.astype(np.float64), y)
    order = [list(model.classes_).index(i) for i in range(len(classes))]
    return Head(classes, model.coef_[order].astype(np.float32), model.intercept_[order].astype(np.float32))


def _embed_with_parts(texts: list[str], labels: list[str], embed: Embed,
                      split: Callable[[str], list[str]]) -> tuple[np.ndarray, list[str]]:
    """Training vectors and their labels.

    Each exemplar's own vector and, for one of several sentences, the mean of
    its sentences too: the checker judges a message sentence by sentence and
    also as a whole (the mean of its sentence vectors).
    """
    vectors = embed(texts)
    parts = [(i, sents) for i, sents in ((i, split(t)) for i, t in enumerate(texts)) if len(sents) > 1]
    flat = [s for _, sents in parts for s in sents]
    if not flat:
        return vectors, list(labels)
    sv = embed(flat)
    extra, extra_labels, pos = [], [], 0
    for i, sents in parts:
        block = sv[pos:pos + len(sents)]
        pos += len(sents)
        extra.append(mean_vector(block))
        extra_labels.append(labels[i])
    return np.vstack([vectors, np.stack(extra)]), list(labels) + extra_labels


def load_or_fit(policy: Policy, normalise: Callable[[str], str], fingerprint: str,
                split: Callable[[str], list[str]], embed: Embed, model_id: str,
                own_texts: Sequence[str], cache_root: Path,
                policy_path: Path = POLICY_PATH) -> dict[str, Head]:
    key = cache_key(policy_path, fingerprint, model_id)
    folder = cache_root / "guardrails" / key
    heads: dict[str, Head] = {}
    try:
        for name, classes in (("input", INPUT_CLASSES), ("output", OUTPUT_CLASSES)):
            with np.load(folder / f"head_{name}.npz") as z:
                if tuple(json.loads(str(z["classes"]))) != classes:
                    raise ValueError("classes changed")
                heads[name] = Head(classes, z["coef"], z["intercept"], z["exemplars"], z["labels"])
        return heads
    except (OSError, ValueError, KeyError):
        heads = {}
    folder.mkdir(parents=True, exist_ok=True)
    sets = training_sets(policy, normalise, own_texts)
    for name, classes in (("input", INPUT_CLASSES), ("output", OUTPUT_CLASSES)):
        texts, labels = sets[name]
        x, y = _embed_with_parts(texts, labels, embed, split)
        head = _fit(x, y, classes, policy.thresholds.classifier_c, policy.thresholds.balanced)
        head.exemplars = x.astype(np.float32)
        head.labels = np.array([classes.index(label) for label in y], dtype=np.int16)
        _save_npz(folder / f"head_{name}.npz", coef=head.coef, intercept=head.intercept,
                  exemplars=head.exemplars, labels=head.labels, classes=np.array(json.dumps(list(classes))))
        heads[name] = head
    return heads


def _save_npz(path: Path, **arrays: np.ndarray) -> None:
    tmp = path.with_suffix(f".tmp{os.getpid()}.npz")
    np.savez(tmp, **arrays)
    os.replace(tmp, path)
