"""Write the tuning halves' hand-labelled sentences out as training data for the
rigid-rule classifier (assistant/policy_sentences.jsonl).

    python -m evals.policies.sentences

Each sentence or table row of a policy in the tuning halves (tune to
tune7), split as the review splits it, is one example: rigid if it matches a
labelled clear-cut rule, flexible otherwise; sentences labelled borderline are
left out. The held-out halves are never read here.
"""
from __future__ import annotations

import json
from pathlib import Path

from evals.policies.build import BUILT, CORPUS, HERE, build
from evals.policies.score import _matches

TUNING = ("tune", "tune2", "tune3", "tune4", "tune5", "tune6", "tune7")
OUT = Path(__file__).resolve().parents[2] / "assistant" / "policy_sentences.jsonl"


def labelled_units(splits=TUNING) -> list[dict]:
    from assistant.policy_review import candidate_units
    from knowledge.extract import extract

    build()
    out: list[dict] = []
    for path in sorted((HERE / "labels").glob("*.json")):
        label = json.loads(path.read_text())
        if label["split"] not in splits:
            continue
        source = BUILT / label["file"] if (BUILT / label["file"]).exists() else CORPUS / label["file"]
        seen: set[str] = set()
        for text in candidate_units(extract(source)):
            if text in seen:
                continue
            seen.add(text)
            if any(_matches(r["quote"], text) for r in label["rigid"]):
                out.append({"text": text, "rigid": True, "source": label["file"]})
            elif not any(_matches(b, text) for b in label["borderline"]):
                out.append({"text": text, "rigid": False, "source": label["file"]})
    return out


def main() -> int:
    rows = labelled_units()
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"{OUT}: {len(rows)} sentences, {sum(r['rigid'] for r in rows)} rigid")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
