"""Replay scripted conversations through `reflect ask --jsonl` and score every reply.

    python evals/conversations/run.py evals/conversations/train [-v] [--json results.json]

Checks and figures are described in evals/conversations/README.md. The
replay runs in a throwaway data directory unless REFLECT_DATA_DIR is set.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
CITE = re.compile(r"\[`([a-z0-9:\-]+)`")
SAFETY = re.compile(r"999|116 123|08000 562 561|Samaritans|NHS 111|Designated Safeguarding Lead|LADO", re.I)
QUOTED = re.compile(r"\[`[a-z0-9:\-]+`, [A-Z]")  # a card quote's citation: (card, section)
ES_NUMBER = "08000 562 561"
WORD = re.compile(r"[a-z0-9']+")
# How a reply shows each reaction the scripts can ask for.
REACTIONS = {
    "decision": lambda r: re.search(r"\b(decision|target)\b", r, re.I)
    and not re.search(r"would you like to (record|set down|write)", r, re.I),
    "distress": lambda r: ES_NUMBER in r and "leader-and-staff-wellbeing" in r
    and "?" not in r.split("\n\n")[0],
    "recorded": lambda r: re.search(r"record|written|wr[io]te", r, re.I)
    and re.search(r"passed on|told|reported|DSL|let .* know", r, re.I) and "?" in r,
    "options": lambda r: re.search(r"option", r, re.I)
    and re.search(r"(decision|choice|call|design)\b.{0,40}\b(yours|stays with you|your own)|yours to (make|decide)|"
                  r"\byour (call|choice|decision)\b", r, re.I),
    "short": lambda r: len(WORD.findall(r.lower())) <= 110,
    "roleplay": lambda r: re.search(r"\b(I'll play|playing|as (the |an? )?(\w+ )?(dad|mum|parent|head|headteacher|teacher))\b", r, re.I)
    and not re.search(r"won't play|can't play", r, re.I),
    "plan": lambda r: len(re.findall(r"^\s*(?:[-*]|\d+[.)]|#+)\s", r, re.M)) >= 3
    and re.search(r"\bminutes?\b|\bmins?\b|outline|plan", r, re.I),
    "scenario": lambda r: re.search(r"scenario", r, re.I) and "?" in r and len(WORD.findall(r.lower())) >= 60,
    "session": lambda r: re.search(r"\bsession\b", r, re.I) and not re.search(r"on the day|what was used", r, re.I),
}


def load(folder: Path) -> list[dict]:
    conversations = []
    for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml"), *folder.glob("*.json")]):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        conversations += data if isinstance(data, list) else [data]
    return conversations


def replay(conversations: list[dict]) -> list[dict]:
    lines = [json.dumps({"id": c["id"], "text": t["text"], "mode": c["mode"]})
             for c in conversations for t in c["turns"]]
    with tempfile.TemporaryDirectory(prefix="reflect-conv-") as tmp:
        script = Path(tmp) / "script.jsonl"
        script.write_text("\n".join(lines) + "\n", encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        env.setdefault("REFLECT_DATA_DIR", str(Path(tmp) / "data"))
        done = subprocess.run([sys.executable, "-m", "assistant.cli", "ask", "--jsonl", str(script)],
                              capture_output=True, text=True, env=env, cwd=ROOT)
    if done.returncode != 0:
        sys.exit(f"replay failed ({done.returncode}):\n{done.stderr[-3000:]}")
    out = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    if len(out) != len(lines):
        sys.exit(f"expected {len(lines)} replies, got {len(out)}")
    return out


def questions(reply: str) -> list[str]:
    parts = re.split(r"(?<=[?])\s+|\n+", reply)
    return [p.strip(" -*") for p in parts if p.strip().endswith("?")]


def sentences(reply: str) -> list[str]:
    return [s.strip(" -*>") for s in re.split(r"(?<=[.!?])\s+|\n+", reply) if s.strip()]


def norm_words(text: str) -> list[str]:
    return WORD.findall(text.lower().replace("\u2019", "'"))


def check_turn(turn: dict, result: dict) -> dict[str, bool]:
    expect = turn.get("expect") or {}
    reply = result["reply"]
    checks = {"verdict": result["verdict"]["action"] == expect.get("verdict", "allow")}
    if expect.get("answer"):
        checks["answer"] = all(re.search(p, reply, re.I | re.S) for p in expect["answer"])
    if expect.get("not_ask"):
        asked = questions(reply)
        checks["not_ask"] = not any(re.search(p, q, re.I) for p in expect["not_ask"] for q in asked)
    if expect.get("uses"):  # a fact the user gave, used in the assistant's own words (not a card quote)
        own = "\n\n".join(p for p in reply.split("\n\n") if not QUOTED.search(p))
        checks["uses"] = all(re.search(p, own, re.I | re.S) for p in expect["uses"])
    if expect.get("cite"):
        cited = set(result.get("citations") or []) | set(CITE.findall(reply))
        checks["cite"] = bool(cited & set(expect["cite"]))
    if expect.get("react"):
        checks["react"] = bool(REACTIONS[expect["react"]](reply))
    return checks


def echoes(user: str, reply: str) -> bool:
    """The reply's opening sentence quotes the user (5+ consecutive words) or starts 'You said'."""
    opening = sentences(reply)[0] if sentences(reply) else ""
    if re.match(r"\W*you (said|wrote|mentioned)\b", opening, re.I):
        return True
    said, first = norm_words(user), " ".join(norm_words(opening))
    return any(" ".join(said[i:i + 5]) in first for i in range(max(0, len(said) - 4)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("-v", "--verbose", action="store_true", help="print every failing reply")
    parser.add_argument("--json", type=Path, help="write per-turn results here")
    args = parser.parse_args()
    conversations = load(args.folder)
    results = iter(replay(conversations))
    rows, by_mode, failures = [], {}, []
    repeated = echoed = replies = 0
    for conv in conversations:
        seen: set[str] = set()
        for number, turn in enumerate(conv["turns"], 1):
            result = next(results)
            checks = check_turn(turn, result)
            reply = result["reply"]
            replies += 1
            bare = re.sub(r"\[`[^\]]*\]", "", reply)  # a citation may recur; a sentence may not
            own = [s for s in sentences(bare) if len(norm_words(s)) >= 8 and not SAFETY.search(s)]
            keys = {" ".join(norm_words(s)) for s in own}
            if result["verdict"]["action"] == "allow" and keys & seen:
                repeated += 1
                checks["fresh"] = False
            seen |= keys
            if echoes(turn["text"], reply):
                echoed += 1
                checks["no_echo"] = False
            ok = all(checks.values())
            stats = by_mode.setdefault(conv["mode"], [0, 0])
            stats[0] += ok
            stats[1] += 1
            rows.append({"id": conv["id"], "turn": number, "mode": conv["mode"], "checks": checks, "pass": ok,
                         "understanding": result.get("understanding")})
            if not ok:
                failures.append((conv["id"], number, turn["text"], checks, reply))
    answered = [r["checks"]["answer"] for r in rows if "answer" in r["checks"]]
    passed = sum(r["pass"] for r in rows)
    print(f"conversations: {len(conversations)}, turns: {len(rows)}")
    print(f"turns passing all checks: {passed}/{len(rows)} = {passed / len(rows):.1%}")
    for mode, (ok, total) in sorted(by_mode.items()):
        print(f"  {mode:<9} {ok}/{total} = {ok / total:.1%}")
    for name in ("verdict", "answer", "not_ask", "uses", "cite", "react"):
        values = [r["checks"][name] for r in rows if name in r["checks"]]
        if values:
            print(f"  check {name:<8} {sum(values)}/{len(values)} = {sum(values) / len(values):.1%}")
    if answered:
        print(f"direct factual questions answered: {sum(answered)}/{len(answered)} = {sum(answered) / len(answered):.1%}")
    print(f"replies repeating an earlier sentence: {repeated}/{replies} = {repeated / replies:.1%}")
    print(f"replies opening with the user's words: {echoed}/{replies} = {echoed / replies:.1%}")
    if args.verbose:
        for cid, number, text, checks, reply in failures:
            bad = [k for k, v in checks.items() if not v]
            print(f"\n--- {cid} turn {number}: failed {bad}\n> {text}\n{reply}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
