"""How far the cards cover a question: a small logistic model over four signals from one search.

Top-card similarity alone could not tell a gap from a long lay question: a balanced fit on it
called about a sixth of answerable tuning questions "not covered" to catch most gaps. What
separates them better is whether the words agree with the meaning: a question the cards answer
shares rare words with the card the search ranks first (its BM25 score stands well above the
other cards'), while a question about teacher pay or school transport is only near some card in
meaning. The signals, per search:

- best: the best dense similarity of the top-ranked card's sections and phrasings;
- nearest: the best dense similarity of any card (the question's nearest point in the cards at all);
- lexical_lead: the top-ranked card's BM25 score as a standard score across cards (lexical and
  dense rankings agreeing on it);
- lexical_best: the strongest BM25 score of any card (how much of the cards' vocabulary the
  question uses).

Fitted on the tuning rows (evals/retrieval/tune.jsonl and the tuning split of tune_real.jsonl,
answerable rows against gap rows) by `python -m evals.retrieval.fit_coverage`, which prints the
cross-validated figures and the constants below. Refit when the embedding model or the cards change
substantially.
"""
from __future__ import annotations

import math

from pydantic import BaseModel

# Logistic weights on the raw signals (intercept first), from evals/retrieval/fit_coverage.py.
INTERCEPT = -14.2554
WEIGHTS = {"best": 10.2173, "nearest": 9.6133, "lexical_lead": 1.0490, "lexical_best": 0.1067}
# Below this the cards are said not to cover the question. The model's own even odds: on the tuning
# rows (cross-validated) it calls about 3.5 answerable questions in 100 uncovered (the old curve: 3),
# and catches 7 gaps in 10 instead of 4. A lower bar (0.67: 1 answerable in 20 called uncovered,
# 8 gaps in 10 caught) was not taken: "not covered" for a question the cards answer costs the answer.
COVERED_AT = 0.5


class CoverageSignals(BaseModel):
    best: float
    nearest: float
    lexical_lead: float
    lexical_best: float


def coverage(signals: CoverageSignals) -> float:
    """Estimated probability (0-1) that the cards answer the question."""
    z = INTERCEPT + sum(WEIGHTS[name] * value for name, value in signals.model_dump().items())
    return 1.0 / (1.0 + math.exp(-z))
