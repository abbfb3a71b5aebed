"""Fitting the guard's heads from the training corpus, and loading the shipped ones.

`python -m guardrails.train` refits, cross-validates and writes `data/heads.npz`
(tens of kilobytes: the heads' weights and the fingerprint of everything they were
fitted from). At run time the shipped heads are used when the fingerprint matches
the corpus, the policy and the embedding model; otherwise the heads are fitted once
(about a minute on two cores) and cached under the data folder's `cache/guardrails/`.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

import numpy as np

from . import corpus
from .heads import (OUTPUT_CLASSES, PASSED_CLASSES, REFUSE_CLASSES, REQUEST_CLASSES, RISK_CLASSES, LinearHead,
                    fit_head, fit_window_head, pack, unpack)
from .models import POLICY_PATH, REFUSE_CATEGORIES

if TYPE_CHECKING:
    from .checker import Guard
    from .corpus import Example

VERSION = "guard-heads-4"
SHIPPED = corpus.DATA / "heads.npz"
log = logging.getLogger(__name__)


def current_fingerprint(guard: "Guard") -> str:
    from .normalise import SURFACE_PATH

    model = getattr(guard.embedder, "model_id", "") if guard._embedder is not None else _model_id()
    return corpus.fingerprint(VERSION, model, guard.normalise.fingerprint, POLICY_PATH.read_text(encoding="utf-8"),
                              SURFACE_PATH.read_text(encoding="utf-8"))


def _model_id() -> str:
    from knowledge.embedder import model_id

    return model_id()


def load_or_fit_heads(guard: "Guard") -> dict[str, LinearHead]:
    fp = current_fingerprint(guard)
    from knowledge.storage import cache_dir

    cached = cache_dir() / "guardrails" / f"heads-{fp}.npz"
    for path in (SHIPPED, cached):
        heads = _load(path, fp)
        if heads is not None:
            return heads
    log.warning("guard heads do not match the training data: fitting them now (once)")
    heads = fit_all(guard, training_set())
    save(heads, cached, fp)
    return heads


def _load(path: Path, fp: str) -> dict[str, LinearHead] | None:
    try:
        with np.load(path) as z:
            if str(z["fingerprint"]) != fp:
                return None
            return unpack(z)
    except (OSError, KeyError, ValueError):
        return None


def save(heads: dict[str, LinearHead], path: Path, fp: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp.npz")
    np.savez_compressed(tmp, fingerprint=np.array(fp), **pack(heads))
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


# --- the data -----------------------------------------------------------------

def training_set() -> list["Example"]:
    """Authored messages, conversation turns (as single messages) and the first round's exemplars."""
    turns = [t for c in corpus.load_conversations() for t in c.turns]
    for t in turns:
        t.author = f"{t.author}:turn"
    return [*corpus.load_messages(), *turns, *corpus.load_exemplars()]


def request_label(ex: "Example") -> str | None:
    if ex.request is not None:
        return ex.request
    if ex.action == "refuse":
        return "determination"
    if ex.action == "allow":
        return "reflection"
    return None  # an escalation's request is unknown


def is_turn(ex: "Example") -> bool:
    return ex.author.endswith(":turn")


# --- fitting ------------------------------------------------------------------

def fit_all(guard: "Guard", examples: Sequence["Example"], readings: dict | None = None) -> dict[str, LinearHead]:
    c = guard.policy.thresholds.classifier_c
    readings = readings if readings is not None else read_all(guard, examples)
    risk_groups, risk_labels, passed_groups, passed_labels = [], [], [], []
    msg_x, msg_y, ref_x, ref_y = [], [], [], []
    for ex in examples:
        r = readings[ex.text]
        if not r.sents:
            continue
        w = r.windows()
        if not (is_turn(ex) and ex.action == "escalate"):  # a split disclosure's turn may carry no risk alone
            risk_groups.append(w)
            risk_labels.append(ex.risk_label)
        if ex.risk_label != "none" and not is_turn(ex):
            passed_groups.append(w)
            passed_labels.append("yes" if ex.passed_on else "no")
        label = request_label(ex)
        if label is not None:
            msg_x.append(r.message())
            msg_y.append(label)
        if ex.action == "refuse":
            ref_x.append(r.message())
            ref_y.append(ex.category)
    heads = {
        "risk": fit_window_head(risk_groups, risk_labels, RISK_CLASSES, "none", c),
        "request": fit_head(np.stack(msg_x), msg_y, REQUEST_CLASSES, c),
        "refuse": fit_head(np.stack(ref_x), ref_y, REFUSE_CLASSES, c),
        "output": fit_output(guard, c),
    }
    if len(set(passed_labels)) == 2:
        heads["passed"] = fit_window_head(passed_groups, passed_labels, PASSED_CLASSES, "no", c)
    else:  # no hand-on examples: the rules alone decide
        heads["passed"] = LinearHead(PASSED_CLASSES, np.zeros((2, risk_groups[0].shape[1]), np.float32),
                                     np.array([0.0, -30.0], np.float32))
    return heads


def fit_output(guard: "Guard", c: float) -> LinearHead:
    pairs = corpus.load_output_examples()
    texts = [guard.normalise(t) for t, _ in pairs]
    labels = [lab for _, lab in pairs]
    own = [guard.normalise(s) for t in guard.replies.all_texts() for s in guard.split(t)]
    x = guard.embed(texts + own)
    return fit_head(x, labels + ["reflection"] * len(own), OUTPUT_CLASSES, c)


def read_all(guard: "Guard", examples: Sequence["Example"]) -> dict:
    """Each distinct text read once (the expensive part: every sentence embedded)."""
    from .checker import Guard

    assert isinstance(guard, Guard)
    guard.cache_size = max(guard.cache_size, 200_000)
    store = _vector_store(guard)
    known = _load_vectors(store)
    with guard._cache_lock:
        guard._vectors.update(known)
    out = {}
    for ex in examples:
        if ex.text not in out:
            out[ex.text] = guard.read(ex.text)
    if len(guard._vectors) > len(known):
        _save_vectors(store, guard._vectors)
    return out


def _vector_store(guard: "Guard") -> Path:
    """Sentence vectors of the training corpus, kept between runs of the training script."""
    from knowledge.storage import cache_dir

    return cache_dir() / "guardrails" / f"sentences-{_model_id().replace('/', '_')}.npz"


def _load_vectors(path: Path) -> dict:
    try:
        with np.load(path) as z:
            return dict(zip(z["texts"].tolist(), z["vectors"]))
    except (OSError, KeyError, ValueError):
        return {}


def _save_vectors(path: Path, vectors) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp.npz")
    items = list(vectors.items())
    np.savez(tmp, texts=np.array([t for t, _ in items]), vectors=np.stack([v for _, v in items]))
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


__all__ = ["load_or_fit_heads", "fit_all", "training_set", "save", "SHIPPED", "REFUSE_CATEGORIES"]
