"""Fit the message-understanding head on train.txt and ship it as
assistant/understanding_head.json; then report accuracy on train and held-out.

    python evals/understanding/fit.py          # fit, write, evaluate
    python evals/understanding/fit.py --check  # evaluate the shipped head only

Lines are `kind|lens|text`; kind `statement` stands for answer/new facts
(which of the two depends on whether the last reply asked a question).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parents[1]))


def read(name: str) -> list[tuple[str, str, str]]:
    rows = []
    for line in (HERE / name).read_text(encoding="utf-8").splitlines():
        if line.strip():
            kind, lens, text = line.split("|", 2)
            rows.append((kind, lens, text))
    return rows


def fit(rows, vectors) -> dict:
    from sklearn.linear_model import LogisticRegression

    from knowledge.embedder import model_id

    head = {"model": model_id()}
    for which, labels in (("kind", [r[0] for r in rows]), ("lens", [r[1] for r in rows])):
        clf = LogisticRegression(C=4.0, max_iter=2000)  # lbfgs: deterministic
        clf.fit(vectors, labels)
        head[which] = {"classes": [str(c) for c in clf.classes_],
                       "coef": [[round(float(x), 6) for x in row] for row in clf.coef_],
                       "intercept": [round(float(x), 6) for x in clf.intercept_]}
    return head


def evaluate(name: str, rows, vectors) -> None:
    from assistant.understanding import understand

    kind_ok = lens_ok = 0
    misses = []
    for (kind, lens, text), vector in zip(rows, vectors):
        got = understand(text, vector, after_question=False)
        label = "new_facts" if kind == "statement" else kind
        kind_ok += got.kind == label
        lens_ok += (got.lens or "none") == lens
        if got.kind != label:
            misses.append(f"   {label} -> {got.kind} ({got.via}): {text}")
    n = len(rows)
    print(f"{name}: kind {kind_ok}/{n} = {kind_ok / n:.1%}; lens {lens_ok}/{n} = {lens_ok / n:.1%}")
    print("\n".join(misses))


def main() -> int:
    from knowledge.embedder import get_embedder

    train, held = read("train.txt"), read("heldout.txt")
    embedder = get_embedder()
    train_v, held_v = embedder.embed([r[2] for r in train]), embedder.embed([r[2] for r in held])
    if "--check" not in sys.argv:
        from assistant import understanding

        understanding.HEAD_PATH.write_text(json.dumps(fit(train, train_v)), encoding="utf-8")
        understanding._head.cache_clear()
    evaluate("train", train, train_v)
    evaluate("held-out", held, held_v)
    return 0


if __name__ == "__main__":
    sys.exit(main())
