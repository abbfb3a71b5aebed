"""How the conversation answers real questions, one fresh live session each: gap rows (`relevant: []`) should
be said to be outside the cards; answerable rows should not be, and should cite a relevant card. Used on
TUNING files only (tune*.jsonl) to set the engine's "not covered" bar and the answer's card lift.

    REFLECT_DATA_DIR=... python -m evals.retrieval.answer_calibration evals/retrieval/tune_real.jsonl
"""
from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from assistant.config import Settings
from assistant.engine import Engine
from assistant.store import SessionStore
from prompts.bank import load_phrases


def _not_covered_openings() -> list[str]:
    talk = load_phrases().conversation
    lines = [*talk.not_covered, talk.not_covered_at, *talk.not_settled, *talk.nothing_found]
    return [line.split("{")[0][:40] for line in lines]


def main(paths: list[str]) -> int:
    rows = [json.loads(line) for path in paths for line in Path(path).read_text(encoding="utf-8").splitlines() if line]
    engine = Engine(store=SessionStore(Path(tempfile.mkdtemp()) / "s.sqlite3"), settings=Settings())
    openings = _not_covered_openings()
    gap = said_gap = answerable = called_gap = first_cites = cites = 0
    for row in rows:
        result = engine.turn(engine.new_session("live"), row["query"])
        if result.verdict.action != "allow":
            continue
        first = result.reply.split("\n\n")[0]
        outside = any(o in first for o in openings)
        if not row["relevant"]:
            gap, said_gap = gap + 1, said_gap + outside
            continue
        answerable, called_gap = answerable + 1, called_gap + outside
        first_cites += any(f"`{c}`" in first for c in row["relevant"])
        cites += any(f"`{c}`" in result.reply for c in row["relevant"])
    print(f"gap rows said not covered {said_gap}/{gap}; answerable called not covered {called_gap}/{answerable}; "
          f"answerable citing a relevant card first {first_cites}/{answerable}, anywhere {cites}/{answerable}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
