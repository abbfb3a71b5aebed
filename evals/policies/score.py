"""Score the policy review against the hand labels, tuning and held-out halves apart.

    python -m evals.policies.score                        # a table per half
    python -m evals.policies.score --split tune tune2     # only the halves named (tune without the blind half)
    python -m evals.policies.score --detail               # and each miss and false flag
    python -m evals.policies.score --split tune3 --unseen # each tuning policy read by a classifier
                                                          # trained without its own sentences

A finding matches a labelled rule when one quote contains the other (case and
spacing aside). Findings that match a `borderline` label count neither way.
"""
from __future__ import annotations

import argparse
import json
import re

import numpy as np
from pathlib import Path

from evals.policies.build import BUILT, CORPUS, HERE, build


def _norm(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').replace("–", "-")
    return " ".join(re.sub(r"[^\w'%+/-]+", " ", text.lower()).split())


def _matches(label: str, quote: str) -> bool:
    a, b = _norm(label), _norm(quote)
    return bool(a) and bool(b) and (a in b or (b in a and len(b.split()) >= 3))


def score_one(label: dict) -> dict:
    from assistant.policy_review import review_policy

    path = BUILT / label["file"] if (BUILT / label["file"]).exists() else CORPUS / label["file"]
    review = review_policy(path)
    rigid, borderline = label["rigid"], label["borderline"]
    true_pos, false_pos, found_labels = 0, [], {}
    for finding in review.findings:
        hits = [i for i, r in enumerate(rigid) if _matches(r["quote"], finding.quote)]
        if hits:
            true_pos += 1
            for i in hits:
                found_labels.setdefault(i, finding)
        elif not any(_matches(b, finding.quote) for b in borderline):
            false_pos.append(finding.quote)
    routes_right = sum(found_labels[i].pathway.route == rigid[i]["send_route"] for i in found_labels)
    elements = {e.id: e.status for e in review.elements}
    return {
        "file": label["file"], "split": label["split"], "flagged": true_pos + len(false_pos), "true_pos": true_pos,
        "false_pos": false_pos, "rules": len(rigid), "found": len(found_labels),
        "serious": sum(r["serious"] for r in rigid), "serious_found": sum(rigid[i]["serious"] for i in found_labels),
        "routes_right": routes_right,
        "route_misses": [(rigid[i]["quote"], rigid[i]["send_route"], found_labels[i].pathway.route)
                         for i in found_labels if found_labels[i].pathway.route != rigid[i]["send_route"]],
        "missed": [r["quote"] for i, r in enumerate(rigid) if i not in found_labels],
        "elements_right": sum(elements.get(k) == v for k, v in label["elements"].items()),
        "elements": len(label["elements"]),
        "element_misses": [(k, v, elements.get(k)) for k, v in label["elements"].items() if elements.get(k) != v],
        "nothing_listed": not review.findings and not review.second_look,
    }


def _scored(label: dict, unseen: bool) -> dict:
    if not unseen:
        return score_one(label)
    import assistant.policy_classifier as classifier

    texts, y = classifier.exemplars(exclude_source={label["file"]})
    if _VECTORS.get("texts") != texts:
        from knowledge.embedder import get_embedder

        known = dict(zip(_VECTORS.get("texts", []), _VECTORS.get("vectors", [])))
        missing = [t for t in texts if t not in known]
        known.update(zip(missing, get_embedder().embed(missing) if missing else []))
        _VECTORS.update(texts=texts, vectors=[known[t] for t in texts])
    fitted = classifier.train(texts, y, np.asarray(_VECTORS["vectors"]))
    original = classifier.get_classifier
    classifier.get_classifier = lambda: fitted
    try:
        return score_one(label)
    finally:
        classifier.get_classifier = original


_VECTORS: dict = {}


# "tune" to "tune7" were read while tuning; "held-out" to "held-out8" never were.
SPLITS = ("tune", "tune2", "tune3", "tune4", "tune5", "tune6", "tune7", "held-out", "held-out2", "held-out3", "held-out4",
          "held-out5", "held-out6", "held-out7", "held-out8")


def _ratio(a: int, b: int) -> str:
    return f"{a}/{b} = {a / b:.2f}" if b else "n/a"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--detail", action="store_true", help="list each miss and false flag")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--unseen", action="store_true",
                        help="score each policy with the classifier retrained without that policy's labelled "
                             "sentences (an honest figure for the tuning halves, whose sentences train it)")
    parser.add_argument("--split", nargs="+", choices=SPLITS, default=list(SPLITS),
                        help="score only these halves (tuning never needs to run the held-out one)")
    args = parser.parse_args(argv)
    build()
    labels = [json.loads(p.read_text()) for p in sorted((HERE / "labels").glob("*.json"))]
    rows = [_scored(label, args.unseen) for label in labels if label["split"] in args.split]
    report = {}
    for split in args.split:
        part = [r for r in rows if r["split"] == split]
        total = {k: sum(r[k] for r in part) for k in
                 ("flagged", "true_pos", "rules", "found", "serious", "serious_found", "routes_right",
                  "elements_right", "elements")}
        report[split] = {
            "policies": len(part),
            "precision": _ratio(total["true_pos"], total["flagged"]),
            "recall": _ratio(total["found"], total["rules"]),
            "recall_serious": _ratio(total["serious_found"], total["serious"]),
            "send_route_right": _ratio(total["routes_right"], total["found"]),
            "elements_right": _ratio(total["elements_right"], total["elements"]),
            "nothing_listed": sum(r["nothing_listed"] for r in part),
        }
    if args.json:
        print(json.dumps({"summary": report, "policies": rows}, indent=2))
        return 0
    for split, figures in report.items():
        print(f"{split} ({figures['policies']} policies)")
        for key, value in figures.items():
            if key != "policies":
                print(f"  {key:<18} {value}")
    if args.detail:
        for r in rows:
            print(f"\n== {r['file']} ({r['split']})")
            for q in r["missed"]:
                print(f"  missed: {q}")
            for q in r["false_pos"]:
                print(f"  false flag: {q}")
            for q, want, got in r["route_misses"]:
                print(f"  route {got} (labelled {want}): {q}")
            for k, want, got in r["element_misses"]:
                print(f"  element {k}: {got} (labelled {want})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
