"""`reflect eval KIND FILE`: measure retrieval or the guardrails on a labelled JSONL set."""
from __future__ import annotations

import argparse

KINDS = ("retrieval", "guard")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=KINDS, help="what to measure: retrieval or guard")
    parser.add_argument("file", help="the JSONL evaluation set")
    parser.add_argument("-k", type=int, default=5, help="retrieval: how many cards count as found (default 5)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--figures-only", action="store_true",
                        help="print the figures without the missed items (for a blind set nobody tuning may read)")


def run(args: argparse.Namespace) -> int:
    from knowledge.errors import ReflectError

    if args.kind == "retrieval":
        if args.k < 1:
            raise ReflectError("-k must be at least 1")
        from knowledge.evaluate import run_retrieval_eval

        print(run_retrieval_eval(args.file, args.k, args.json, args.figures_only))
        return 0
    from assistant.roles import writer_role
    from guardrails.evaluate import run_guard_eval

    # who writes, read as a live session reads it: the same verdicts as `reflect guard` and the engine
    print(run_guard_eval(args.file, args.json, args.figures_only, writer_of=lambda said: writer_role(said, "live")))
    return 0
