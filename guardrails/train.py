"""`python -m guardrails.train`: refit the guard's heads, cross-validate, ship them.

    python -m guardrails.train            # 5-fold cross-validation report, then fit on all and write data/heads.npz
    python -m guardrails.train --sweep    # also sweep each threshold over the cross-validated scores
    python -m guardrails.train --no-cv    # fit and write only

Folds keep contrast pairs and conversations together, so a pair's twin is never
in the training half while its partner is scored. Only the training corpus is
read: the blind set (evals/guard/blind/) is scored by `reflect eval guard`.
"""
from __future__ import annotations

import argparse
import hashlib
import json
from collections import Counter

from . import corpus
from .checker import decide
from .evaluate import score, score_conversations
from .memory import judge_conversation
from .training import SHIPPED, SHIPPED_WORDS, current_fingerprint, fit_all, read_all, save, training_set

FOLDS = 5


def fold_of(key: str) -> int:
    return int(hashlib.sha256(key.encode()).hexdigest(), 16) % FOLDS


def group_key(ex) -> str:
    if ":turn" in ex.author:
        return ex.id.split("#")[0]
    return min(ex.id, ex.pair) if ex.pair else ex.id


def cross_validate(guard, examples, readings, convs):
    """Per fold: fit on the rest; measure the held-out messages (evidence) and conversations (full checker).

    Returns the evidence per held-out message, so that bars can be swept without refitting.
    """
    evidence, conv_got = {}, {}
    singles = [e for e in examples if ":turn" not in e.author and e.author != "exemplars"]
    for k in range(FOLDS):
        train = [e for e in examples if fold_of(group_key(e)) != k]
        guard._heads = fit_all(guard, train, readings)
        for ex in singles:
            if fold_of(group_key(ex)) == k:
                evidence[ex.id] = guard.evidence(readings[ex.text])
        for conv in convs:
            if fold_of(conv.id) == k:
                verdicts = judge_conversation(guard, [t.text for t in conv.turns])
                conv_got[conv.id] = [(v.action, v.category) for v in verdicts]
        print(f"  fold {k + 1}/{FOLDS} done", flush=True)
    conv_rows = [{"id": c.id, "turns": [{"text": t.text, "action": t.action, "category": t.category}
                                        for t in c.turns]} for c in convs]
    return singles, evidence, score_conversations(conv_rows, conv_got)


def report(singles, evidence, thresholds):
    got, layers = {}, Counter()
    for ex in singles:
        action, category, layer, _ = decide(evidence[ex.id], thresholds)
        got[ex.id] = (action, category)
        layers[layer] += 1
    rows = [{"id": e.id, "text": e.text, "action": e.action, "category": e.category, "pair": e.pair}
            for e in singles]
    return score(rows, got), layers


def sweep(singles, evidence, thresholds, field: str, values):
    original = getattr(thresholds, field)
    for value in values:
        setattr(thresholds, field, value)
        rep, _ = report(singles, evidence, thresholds)
        print(f"  {field}={value:<5} esc_recall={rep.escalation_recall:.3f} ref_recall={rep.refusal_recall:.3f} "
              f"false={rep.false_refusal_rate:.3f} pairs={rep.pair_accuracy:.3f} cat={rep.category_accuracy:.3f}")
    setattr(thresholds, field, original)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m guardrails.train", description=__doc__.splitlines()[0])
    parser.add_argument("--no-cv", action="store_true", help="fit and write the heads without cross-validation")
    parser.add_argument("--sweep", action="store_true", help="sweep the thresholds over cross-validated scores")
    parser.add_argument("--json", metavar="FILE", help="write the cross-validation report as JSON too")
    args = parser.parse_args(argv)

    from .checker import Guard

    guard = Guard()
    examples = training_set()
    convs = corpus.load_conversations()
    by_author = Counter(e.author.split(":")[0] for e in examples)
    print(f"training set: {len(examples)} messages ({dict(by_author)}), {len(convs)} conversations")
    readings = read_all(guard, examples)
    if not args.no_cv:
        singles, evidence, conv = cross_validate(guard, examples, readings, convs)
        rep, layers = report(singles, evidence, guard.policy.thresholds)
        print("\n5-fold cross-validation (messages):")
        print(rep.table().split("\nmisses")[0])
        print("\n5-fold cross-validation (conversations):")
        print(conv.table().split("\nmisses")[0])
        total = sum(layers.values())
        print("\nlayer that decided:", ", ".join(f"{k[6:]} {v / total:.0%}" for k, v in layers.most_common()))
        if args.json:
            with open(args.json, "w", encoding="utf-8") as fh:
                json.dump({"messages": rep.model_dump(), "conversations": conv.model_dump(), "layers": dict(layers),
                           "evidence": {k: v.model_dump() for k, v in evidence.items()}}, fh, indent=2)
        if args.sweep:
            th = guard.policy.thresholds
            for field, values in (("risk", (0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)),
                                  ("risk_self", (0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9)),
                                  ("risk_strain", (0.5, 0.6, 0.7, 0.8, 0.9)),
                                  ("risk_invented", (0.7, 0.8, 0.9, 0.95)),
                                  ("passed_on", (0.5, 0.6, 0.7, 0.8, 0.9)),
                                  ("determination", (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)),
                                  ("risk_joint", (0.5, 0.6, 0.7, 0.8))):
                print(f"\nsweep {field}:")
                sweep(singles, evidence, th, field, values)
    heads = fit_all(guard, examples, readings)
    save(heads, SHIPPED, SHIPPED_WORDS, current_fingerprint(guard))
    print(f"\nwrote {SHIPPED}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
