"""How rule-like a policy sentence reads: logistic regression over three views
of a sentence, fitted on the exemplars in policy_exemplars.yaml.

- its meaning (the shared sentence embedding), which carries what the
  sentence is about (a sanction handed out, a reward, a procedure);
- its words and word pairs (hashed), which carry the sanction vocabulary a
  school invents ("the hub", "report to the duty desk");
- its modality: how many words close the door ("will", "must",
  "automatically", "=", "regardless") against how many leave it open ("may",
  "consider", "normally", "discretion"), whether it names a trigger ("if",
  "once", "three lates") and a fixed time or length ("30 minutes", "7.30am"),
  whether it is a whole sentence or a list fragment, whether its verb is
  negated ("staff will not exclude") and whether it defines a word
  ("Isolation: a pupil works apart").

The review asks it about sentences no pattern caught. Fitted at first use and
cached under `cache_dir()/policy_review/<key>`, the key a hash of the
exemplars, this file's feature version and the embedding model, so the same
inputs always give the same weights.
"""
from __future__ import annotations

import hashlib
import os
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from knowledge.yamlfile import load_yaml

EXEMPLARS_FILE = Path(__file__).with_name("policy_exemplars.yaml")
# Sentences of published policies in the tuning halves, labelled by hand (written by
# `python -m evals.policies.sentences`; the held-out halves never go in).
SENTENCES_FILE = Path(__file__).with_name("policy_sentences.jsonl")
VERSION = "policy-clf-3"  # embedding + hashed word n-grams + modality
HASH_FEATURES = 2 ** 13
NGRAM_WEIGHT = 0.6  # the word view's share beside the unit-length embedding
_lock = threading.Lock()

_CLOSED = re.compile(
    r"\b(?:will|shall|must|automatically|automatic|always|immediately|straight|instantly|without\s+fail|"
    r"regardless|irrespective|no\s+excuses?|zero\s+tolerance|non[- ]negotiable|not\s+negotiable|cannot|"
    r"every|each|any)\b|=|→|->", re.IGNORECASE)
_OPEN = re.compile(
    r"\b(?:may|might|could|can|consider\w*|normally|usually|generally|typically|often|sometimes|discretion|"
    r"appropriate|necessary|possible|depending|range|options?|such\s+as|e\.g|example\w*|guide|aim|try|"
    r"support\w*|help\w*|encourage\w*|unless|except)\b", re.IGNORECASE)
_TRIGGER = re.compile(
    r"\b(?:if|when|whenever|once|should\s+(?:a|the|any)|after|for|following|who|each\s+time|every\s+time|"
    r"first|second|third|fourth|fifth|repeat(?:ed)?|persistent)\b|\b\d+\s+or\s+more\b", re.IGNORECASE)
_FIXED_TIME = re.compile(
    r"\b\d+(?:[.:]\d+)?\s*(?:am|pm|mins?|minutes?|hours?|hrs?|days?|weeks?)\b|\b(?:half|one|two|three|a)\s+"
    r"(?:day|hour|week|lesson)s?\b|\b(?:break|lunch|playtime|after\s+school|friday|saturday|next\s+day|same\s+day)\b",
    re.IGNORECASE)
_NEGATED = re.compile(r"\b(?:will|shall|must|do|does|should|would)\s+not\b|\b(?:won't|don't|doesn't|never)\b",
                      re.IGNORECASE)
# "Isolation: a pupil works away from the class" defines a word; "Smoking: one day in the base" sets an outcome
_DEFINITION = re.compile(r"^\s*[\w' -]{2,30}:\s+(?:an?|the|when|where|this|it|time)\b", re.IGNORECASE)
_FINITE = re.compile(r"\b(?:will|shall|must|should|is|are|was|were|be|been|has|have|had|can|may|do|does)\b",
                     re.IGNORECASE)


def modality(text: str) -> list[float]:
    """The modality view of one sentence (see the module docstring)."""
    words = max(1, len(text.split()))
    closed, opened = len(_CLOSED.findall(text)), len(_OPEN.findall(text))
    return [min(closed, 3) / 3, min(opened, 3) / 3, float(closed > opened), float(bool(_TRIGGER.search(text))),
            float(bool(_FIXED_TIME.search(text))), float(bool(_FINITE.search(text))), min(words, 40) / 40,
            float(bool(_NEGATED.search(text))), float(bool(_DEFINITION.search(text)))]


def _ngrams(texts: Sequence[str]) -> np.ndarray:
    from sklearn.feature_extraction.text import HashingVectorizer

    vectoriser = HashingVectorizer(n_features=HASH_FEATURES, ngram_range=(1, 2), alternate_sign=False, binary=True,
                                   norm="l2", token_pattern=r"(?u)\b\w+\b|[=→]")
    return vectoriser.transform([t.lower() for t in texts]).toarray().astype(np.float32)


def features(texts: Sequence[str], vectors: np.ndarray | None = None) -> np.ndarray:
    """The three views side by side (vectors: the texts' embeddings, if already computed)."""
    if vectors is None:
        from knowledge.embedder import get_embedder

        vectors = get_embedder().embed(list(texts))
    mods = np.array([modality(t) for t in texts], dtype=np.float32)
    return np.hstack([np.asarray(vectors, dtype=np.float32), NGRAM_WEIGHT * _ngrams(texts), mods])


class RuleClassifier:
    def __init__(self, coef: np.ndarray, intercept: float) -> None:
        self.coef, self.intercept = coef, intercept

    def probabilities(self, texts: Sequence[str]) -> list[float]:
        """For each text, the probability that it fixes an outcome (0 to 1)."""
        if not texts:
            return []
        z = features(texts) @ self.coef + self.intercept
        return [float(p) for p in 1.0 / (1.0 + np.exp(-z))]


def _key(model: str) -> str:
    h = hashlib.sha256()
    for part in (VERSION.encode(), model.encode(), str(HASH_FEATURES).encode(), str(NGRAM_WEIGHT).encode(),
                 Path(__file__).read_bytes(), EXEMPLARS_FILE.read_bytes(), _sentences_bytes()):
        h.update(part + b"\0")
    return h.hexdigest()[:20]


def _sentences_bytes() -> bytes:
    return SENTENCES_FILE.read_bytes() if SENTENCES_FILE.exists() else b""


def exemplars(exclude_source: set[str] = frozenset()) -> tuple[list[str], np.ndarray]:
    """The training texts and labels (1 rigid): the written exemplars, then the labelled policy
    sentences (less any from the sources named, for cross-validation by policy)."""
    import json

    raw = load_yaml(EXEMPLARS_FILE.read_text(encoding="utf-8"))
    texts = list(raw["rigid"]) + list(raw["flexible"])
    labels = [1] * len(raw["rigid"]) + [0] * len(raw["flexible"])
    for line in _sentences_bytes().decode("utf-8").splitlines():
        row = json.loads(line)
        if row["source"] not in exclude_source:
            texts.append(row["text"])
            labels.append(int(row["rigid"]))
    return texts, np.array(labels)


@lru_cache(maxsize=1)
def _load() -> RuleClassifier:
    from knowledge.embedder import model_id
    from knowledge.storage import cache_dir

    path = cache_dir() / "policy_review" / f"{_key(model_id())}.npz"
    try:
        with np.load(path) as z:
            return RuleClassifier(z["coef"], float(z["intercept"]))
    except (OSError, ValueError, KeyError):
        pass
    classifier = train(*exemplars())
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}.npz")
    np.savez(tmp, coef=classifier.coef, intercept=np.array(classifier.intercept))
    os.replace(tmp, path)
    return classifier


def train(texts: Sequence[str], y: np.ndarray, vectors: np.ndarray | None = None) -> RuleClassifier:
    model = fit(features(texts, vectors).astype(np.float64), y)
    return RuleClassifier(model.coef_[0].astype(np.float32), float(model.intercept_[0]))


def fit(x: np.ndarray, y: np.ndarray):
    """The model behind the classifier (shared with its cross-validation in evals/policies)."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=8.0, max_iter=5000, tol=1e-8, class_weight="balanced").fit(x, y)


def get_classifier() -> RuleClassifier:
    with _lock:
        return _load()
