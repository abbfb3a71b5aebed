"""The guard's learned layers: small linear heads over sentence-embedding features.

- `risk`     per sentence window: none / child / adult / self (escalation, recall first)
- `passed`   per sentence window: does this say the concern has reached the DSL / procedures?
- `request`  per message: what the writer asks the assistant to produce
- `refuse`   per message: which boundary a request for a determination falls under
- `output`   per reply sentence: does the assistant's own text decide?

Window heads are fitted as multiple-instance problems: a long message labelled
"escalate" has one or two sentences that carry the risk, so after a first fit
only the windows that score highest within each positive message stay positive.
At run time a head is two numpy arrays; scikit-learn is needed only to fit.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

RISK_CLASSES = ("none", "child", "adult", "self")
PASSED_CLASSES = ("no", "yes")
REQUEST_CLASSES = ("none", "information", "reflection", "options", "draft_record", "role_play", "determination")
REFUSE_CLASSES = ("investigation", "disciplinary_outcome", "hr_determination", "safeguarding_process")
OUTPUT_CLASSES = ("reflection",) + REFUSE_CLASSES
RISK_CATEGORY = {"child": "safeguarding_disclosure", "adult": "staff_allegation", "self": "risk_to_self"}
RISK_KINDS = ("child", "adult", "self")
BINARY = ("no", "yes")


@dataclass
class LinearHead:
    classes: tuple[str, ...]
    coef: np.ndarray       # (k, d)
    intercept: np.ndarray  # (k,)

    def proba(self, x: np.ndarray) -> np.ndarray:
        x = np.atleast_2d(x)
        z = x @ self.coef.T + self.intercept
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def index(self, name: str) -> int:
        return self.classes.index(name)


def fit_head(x: np.ndarray, labels: Sequence[str], classes: tuple[str, ...], c: float = 2.0,
             weights: np.ndarray | None = None) -> LinearHead:
    """Multinomial logistic regression with balanced classes; deterministic (lbfgs, no shuffling)."""
    from sklearn.linear_model import LogisticRegression

    y = np.array([classes.index(label) for label in labels])
    present = sorted(set(y.tolist()))
    model = LogisticRegression(C=c, max_iter=1000, class_weight="balanced", tol=1e-4)
    model.fit(x.astype(np.float64), y, sample_weight=weights)
    coef = np.full((len(classes), x.shape[1]), 0.0, dtype=np.float32)
    intercept = np.full(len(classes), -30.0, dtype=np.float32)  # a class never seen is never predicted
    if len(present) == 2:  # sklearn keeps one row for a binary problem
        coef[present[1]] = model.coef_[0]
        intercept[present[1]] = model.intercept_[0]
        intercept[present[0]] = 0.0
    else:
        for row, cls in enumerate(model.classes_):
            coef[cls] = model.coef_[row]
            intercept[cls] = model.intercept_[row]
    return LinearHead(classes, coef, intercept)


def fit_window_head(groups: Sequence[np.ndarray], labels: Sequence[str], classes: tuple[str, ...],
                    negative: str, c: float = 2.0, rounds: int = 1, keep: float = 0.34) -> LinearHead:
    """Fit a window head from message-level labels (multiple-instance learning).

    `groups[i]` holds the windows of message i, `labels[i]` its label. Round one
    labels every window of a positive message positive; later rounds keep as
    positive only the best-scoring windows of each positive message (`top_windows`).
    """
    def stack(selected: list[list[int]]):
        xs, ys = [], []
        for g, lab, sel in zip(groups, labels, selected):
            for j in sel:
                xs.append(g[j])
                ys.append(lab)
        return np.stack(xs), ys

    selected = [list(range(len(g))) for g in groups]
    x, y = stack(selected)
    head = fit_head(x, y, classes, c)
    for _ in range(rounds):
        scores = [head.proba(g)[:, head.index(lab)] for g, lab in zip(groups, labels)]
        x, y = stack(top_windows(scores, labels, negative, keep))
        head = fit_head(x, y, classes, c)
    return head


def top_windows(scores: Sequence[np.ndarray], labels: Sequence[str], negative: str, keep: float) -> list[list[int]]:
    """The windows each message keeps for the next round of multiple-instance fitting.

    A negative message keeps all its windows (none of them carries the label); a
    positive one keeps only its best-scoring windows (at least one, `keep` of them
    at most) and drops the rest as unknown rather than calling them negative.
    """
    out = []
    for score, lab in zip(scores, labels):
        if lab == negative or len(score) == 1:
            out.append(list(range(len(score))))
            continue
        n = max(1, int(round(keep * len(score))))
        out.append([int(j) for j in np.argsort(-score)[:n]])
    return out


def pack(heads: dict[str, LinearHead]) -> dict[str, np.ndarray]:
    import json

    arrays: dict[str, np.ndarray] = {}
    for name, head in heads.items():
        arrays[f"{name}.coef"] = head.coef.astype(np.float32)
        arrays[f"{name}.intercept"] = head.intercept.astype(np.float32)
        arrays[f"{name}.classes"] = np.array(json.dumps(list(head.classes)))
    return arrays


def unpack(z) -> dict[str, LinearHead]:
    import json

    names = {key.split(".")[0] for key in z.files if key.endswith(".coef")}
    return {n: LinearHead(tuple(json.loads(str(z[f"{n}.classes"]))), z[f"{n}.coef"], z[f"{n}.intercept"])
            for n in names}


class WordModels:
    """Word and character n-gram models beside the embedding heads.

    Measured leaving one author out at a time, n-grams separate risk from no risk
    better than frozen sentence embeddings (AUC 0.971 against 0.944), and the two
    together find requests for a determination best (0.987). Each decision the
    guard takes from a learned model averages the two.

    The request is read twice, from the whole message and from the sentences that
    ask (`extra_texts`): a long account can drown its one question (5-fold CV:
    refusal recall 0.916 -> 0.934 at the same false-refusal rate).

    Window models (`window_targets`) read each sentence with its neighbours rather
    than the whole message, fitted as multiple-instance problems like the window
    heads: a model of whole messages dilutes one worrying sentence in a long
    ordinary account (5-fold cross-validation: escalation recall 0.858 -> 0.875
    at the same false-alarm rate, with the risk window model beside the message one).
    """

    def __init__(self, word, char, models: dict):
        self.word, self.char, self.models = word, char, models

    @classmethod
    def fit(cls, texts: Sequence[str], targets: dict[str, tuple[list[int], list[str], tuple[str, ...]]],
            c: float = 8.0, extra_texts: dict[str, tuple[list[str], list[str], tuple[str, ...]]] | None = None,
            window_targets: dict[str, tuple[list[list[str]], list[str], tuple[str, ...], str]]
            | None = None) -> "WordModels":
        """`targets[name] = (row indices into texts, labels, classes)`;
        `extra_texts[name] = (other texts, such as the sentences that ask, their labels, classes)`;
        `window_targets[name] = (each message's window texts, message labels, classes, the negative class)`.
        The vocabulary is learned from `texts` only.
        """
        from scipy.sparse import hstack
        from sklearn.feature_extraction.text import TfidfVectorizer

        word = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, dtype=np.float32)
        char = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=3, sublinear_tf=True,
                               max_features=60_000, dtype=np.float32)
        x = hstack([word.fit_transform(texts), char.fit_transform(texts)]).tocsr()
        models = {name: (_fit_sparse(x[rows], labels, classes, c), classes)
                  for name, (rows, labels, classes) in targets.items()}
        out = cls(word, char, models)
        for name, (other, labels, classes) in (extra_texts or {}).items():
            out.models[name] = (_fit_sparse(out._vectorise(other), labels, classes, c), classes)
        for name, (groups, labels, classes, negative) in (window_targets or {}).items():
            out.models[name] = (out._fit_windows(groups, labels, classes, negative, c), classes)
        return out

    def _fit_windows(self, groups: Sequence[Sequence[str]], labels: Sequence[str], classes: tuple[str, ...],
                     negative: str, c: float, keep: float = 0.34):
        """Round one: every window carries its message's label; round two keeps a positive's best windows."""
        from scipy.sparse import vstack

        xs = [self._vectorise(g) for g in groups]
        model = None
        selected = [list(range(x.shape[0])) for x in xs]
        for _ in range(2):
            if model is not None:
                column = {int(k): j for j, k in enumerate(model.classes_)}
                scores = [model.predict_proba(x)[:, column[classes.index(lab)]] for x, lab in zip(xs, labels)]
                selected = top_windows(scores, labels, negative, keep)
            x = vstack([xm[sel] for xm, sel in zip(xs, selected)]).tocsr()
            y = [lab for lab, sel in zip(labels, selected) for _ in sel]
            model = _fit_sparse(x, y, classes, c)
        return model

    def _vectorise(self, texts: Sequence[str]):
        """TF-IDF rows for `texts`, each distinct text analysed once (a one-sentence message is its own
        question and its own window: three views, one text)."""
        from scipy.sparse import hstack

        unique = list(dict.fromkeys(texts))
        x = hstack([self.word.transform(unique), self.char.transform(unique)]).tocsr()
        if len(unique) == len(texts):
            return x
        row = {t: k for k, t in enumerate(unique)}
        return x[[row[t] for t in texts]]

    def prime(self, *groups: Sequence[str]) -> None:
        """Vectorise several groups of texts in one pass (each transform call has a fixed cost of about 1 ms)."""
        cache = getattr(self, "_cache", None) or {}
        keys = list(dict.fromkeys(tuple(g) for g in groups if g and tuple(g) not in cache))
        if not keys:
            return
        x = self._vectorise([t for k in keys for t in k])
        fresh, start = {}, 0
        for k in keys:
            fresh[k] = x[start:start + len(k)]
            start += len(k)
        self._cache = {**(cache if len(cache) + len(fresh) <= 6 else {}), **fresh}

    def proba(self, name: str, texts: Sequence[str]) -> np.ndarray:
        """(n, classes) in the order of the classes given at fitting (absent classes get 0)."""
        model, classes = self.models[name]
        # one check asks up to eight models about the message, its windows and its question: vectorise each once
        key = tuple(texts)
        cache = getattr(self, "_cache", None) or {}  # not set on an unpickled instance until first use
        x = cache.get(key)
        if x is None:
            x = self._vectorise(texts)
            self._cache = {**(cache if len(cache) < 6 else {}), key: x}  # replaced whole: safe across threads
        p = _predict_proba(model, x)
        out = np.zeros((len(texts), len(classes)), dtype=np.float32)
        out[:, model.classes_] = p
        return out

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "_cache"}


def _predict_proba(model, x) -> np.ndarray:
    """`LogisticRegression.predict_proba` from its weights: the same numbers without scikit-learn's input
    checks, which cost more than the arithmetic for a one-message batch (about 1 ms a call, eight calls a check)."""
    z = np.asarray(x @ model.coef_.T) + model.intercept_
    if z.shape[1] == 1:  # binary: scikit-learn keeps one row of weights, for the second class
        p = 1.0 / (1.0 + np.exp(-z[:, 0]))
        return np.stack([1.0 - p, p], axis=1)
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _fit_sparse(x, labels: Sequence[str], classes: tuple[str, ...], c: float):
    from sklearn.linear_model import LogisticRegression

    y = np.array([classes.index(label) for label in labels])
    return LogisticRegression(C=c, max_iter=2000, class_weight="balanced", tol=1e-4).fit(x, y)
