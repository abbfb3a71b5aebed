"""`reflect sessions`: list saved sessions (or search them)."""
from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--search", metavar="TEXT", help="only sessions containing this text")


def run(args: argparse.Namespace) -> int:
    from assistant.engine import Engine
    from knowledge.safe_text import one_line

    rows = Engine().sessions(args.search)
    if not rows:
        print("no sessions yet" if not args.search else "no session contains that text")
        return 0
    for s in rows:
        flag = "  ⚑ safeguarding signposting" if s.pinned else ""
        print(f"{s.id}  {s.updated:%Y-%m-%d %H:%M}  {s.mode:<8} {s.turns:>3} turns  {one_line(s.title)}{flag}")
    return 0
