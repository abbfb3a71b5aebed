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
from .heads import (BINARY, OUTPUT_CLASSES, PASSED_CLASSES, REFUSE_CLASSES, REQUEST_CLASSES, RISK_KINDS, LinearHead,
                    WordModels, fit_head, fit_window_head, pack, unpack)
from .models import POLICY_PATH, REFUSE_CATEGORIES

if TYPE_CHECKING:
    from .checker import Guard
    from .corpus import Example

VERSION = "guard-heads-8"
SHIPPED = corpus.DATA / "heads.npz"
SHIPPED_WORDS = corpus.DATA / "words.pkl.gz"  # gzip halves the vocabularies (under 3 MB)
log = logging.getLogger(__name__)


def current_fingerprint(guard: "Guard") -> str:
    from .normalise import SURFACE_PATH

    model = getattr(guard.embedder, "model_id", "") if guard._embedder is not None else _model_id()
    from sklearn import __version__ as sklearn_version

    return corpus.fingerprint(VERSION, model, sklearn_version, guard.normalise.fingerprint,
                              POLICY_PATH.read_text(encoding="utf-8"), SURFACE_PATH.read_text(encoding="utf-8"))


def _model_id() -> str:
    from knowledge.embedder import model_id

    return model_id()


def load_or_fit_heads(guard: "Guard") -> dict[str, LinearHead]:
    fp = current_fingerprint(guard)
    from knowledge.storage import cache_dir

    folder = cache_dir() / "guardrails"
    cached = (folder / f"heads-{fp}.npz", folder / f"words-{fp}.pkl.gz")
    for heads_path, words_path in ((SHIPPED, SHIPPED_WORDS), cached):
        heads = _load(heads_path, words_path, fp)
        if heads is not None:
            return heads
    log.warning("guard heads do not match the training data: fitting them now (once)")
    heads = fit_all(guard, training_set())
    save(heads, *cached, fp)
    return heads


def _load(heads_path: Path, words_path: Path, fp: str) -> dict | None:
    import gzip
    import pickle
    import zlib

    try:
        with np.load(heads_path) as z:
            if str(z["fingerprint"]) != fp:
                return None
            heads: dict = unpack(z)
        with gzip.open(words_path, "rb") as fh:  # our own file, written by `save` for this fingerprint
            saved = pickle.load(fh)
        if saved.get("fingerprint") != fp:
            return None
        heads["words"] = saved["words"]
        return heads
    except (OSError, KeyError, ValueError, EOFError, pickle.UnpicklingError, AttributeError, ImportError,
            zlib.error):
        return None


def save(heads: dict, heads_path: Path, words_path: Path, fp: str) -> None:
    import gzip
    import pickle

    heads_path.parent.mkdir(parents=True, exist_ok=True)
    linear = {k: v for k, v in heads.items() if isinstance(v, LinearHead)}
    tmp = heads_path.with_name(f".{heads_path.name}.{os.getpid()}.tmp.npz")
    np.savez_compressed(tmp, fingerprint=np.array(fp), **pack(linear))
    os.chmod(tmp, 0o600)
    os.replace(tmp, heads_path)
    tmp = words_path.with_name(f".{words_path.name}.{os.getpid()}.tmp")
    with gzip.open(tmp, "wb", compresslevel=6) as fh:
        pickle.dump({"fingerprint": fp, "words": heads["words"]}, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.chmod(tmp, 0o600)
    os.replace(tmp, words_path)


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

def fit_all(guard: "Guard", examples: Sequence["Example"], readings: dict | None = None) -> dict:
    c = guard.policy.thresholds.classifier_c
    readings = readings if readings is not None else read_all(guard, examples)
    texts, ask_texts, window_texts, pooled, windows, risk_y, kind_rows, kind_y = [], [], [], [], [], [], [], []
    passed_groups, passed_labels, passed_rows, msg_rows, msg_x, msg_y, det_y, ref_rows, ref_x, ref_y = (
        [], [], [], [], [], [], [], [], [], [])
    for ex in examples:
        r = readings[ex.text]
        if not r.sents:
            continue
        row = len(texts)
        texts.append(r.text())
        ask_texts.append(r.ask_text())
        window_texts.append(r.window_texts())
        pooled.append(r.pooled())
        windows.append(r.windows())
        # a split disclosure's later turn may carry no risk alone: it teaches nothing about risk
        risk_known = not (is_turn(ex) and ex.action == "escalate")
        risk_y.append(("yes" if ex.risk_label != "none" else "no") if risk_known else None)
        if risk_known and ex.risk_label != "none":
            kind_rows.append(row)
            kind_y.append(ex.risk_label)
        if ex.risk_label != "none" and not is_turn(ex):
            passed_groups.append(r.windows())
            passed_labels.append("yes" if ex.passed_on else "no")
            passed_rows.append(row)
        label = request_label(ex)
        if label is not None:
            msg_rows.append(row)
            msg_x.append(r.message())
            msg_y.append(label)
            det_y.append("yes" if label == "determination" else "no")
        if ex.action == "refuse":
            ref_rows.append(row)
            ref_x.append(r.message())
            ref_y.append(ex.category)
    pooled_x = np.stack(pooled)
    risk_rows = [i for i, y in enumerate(risk_y) if y is not None]
    heads: dict = {
        "risk": fit_head(pooled_x[risk_rows], [risk_y[i] for i in risk_rows], BINARY, c),
        # the same label read window by window: one worrying sentence in a long ordinary account
        "risk_window": fit_window_head([windows[i] for i in risk_rows], [risk_y[i] for i in risk_rows],
                                       BINARY, "no", c),
        "kind": fit_head(pooled_x[kind_rows], kind_y, RISK_KINDS, c),
        "request": fit_head(np.stack(msg_x), msg_y, REQUEST_CLASSES, c),
        "refuse": fit_head(np.stack(ref_x), ref_y, REFUSE_CLASSES, c),
        "output": fit_output(guard, c),
        "passed": fit_window_head(passed_groups, passed_labels, PASSED_CLASSES, "no", c),
    }
    heads["words"] = WordModels.fit(texts, {
        "risk": (risk_rows, [risk_y[i] for i in risk_rows], BINARY),
        "kind": (kind_rows, kind_y, RISK_KINDS),
        "determination": (msg_rows, det_y, BINARY),
        "refuse": (ref_rows, ref_y, REFUSE_CLASSES),
        "passed": (passed_rows, passed_labels, BINARY),
    }, guard.policy.thresholds.word_c, extra_texts={
        "determination_ask": ([ask_texts[i] for i in msg_rows], det_y, BINARY),
    }, window_targets={
        "risk_window": ([window_texts[i] for i in risk_rows], [risk_y[i] for i in risk_rows], BINARY, "no"),
    })
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
    """Sentence vectors of the training corpus, kept between runs of the training script: each sentence's own
    vector (`Embedder.embed_each`), the one the guard reads at run time, named by the arithmetic that gives it."""
    from knowledge.embedder import VECTOR_FORM
    from knowledge.storage import cache_dir

    return cache_dir() / "guardrails" / f"sentences-{VECTOR_FORM}-{_model_id().replace('/', '_')}.npz"


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
