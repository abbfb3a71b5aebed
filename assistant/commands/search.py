"""`reflect search`: query the knowledge cards, one query or a JSONL file."""
from __future__ import annotations

import argparse
import json
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", nargs="?", help="what you want to find")
    parser.add_argument("-k", type=int, default=5, help="how many cards (default 5)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--jsonl", metavar="FILE",
                        help='read lines {"id", "query"}; write {"id", "cards", "coverage", "covered"}')


def run(args: argparse.Namespace) -> int:
    from assistant.commands.progress import build_index_with_progress
    from knowledge.errors import ReflectError
    from knowledge.jsonl import read_jsonl
    from knowledge.query import build_query
    from knowledge.search import get_searcher, validate_query

    if args.jsonl is None and args.query is None:
        raise ReflectError("give a query, or --jsonl FILE")
    if args.k < 1:
        raise ReflectError("-k must be at least 1")
    rows = read_jsonl(args.jsonl, required=("id", "query")) if args.jsonl else None
    if rows is None:
        validate_query(build_query(args.query))  # fail fast, before any model loads
    build_index_with_progress()
    searcher = get_searcher()
    if rows is not None:
        for row in rows:
            found = searcher.find(row["query"], k=args.k)
            print(json.dumps({"id": row["id"], "cards": [h.card_id for h in found.hits],
                              "coverage": found.coverage, "covered": found.covered}))
        return 0
    found = searcher.find(args.query, k=args.k)
    if args.json:
        json.dump(found.model_dump(), sys.stdout, indent=2)
        print()
        return 0
    if not found.covered:
        print(f"The cards do not seem to cover this (coverage {found.coverage:.2f}); the nearest are:\n")
    for rank, hit in enumerate(found.hits, start=1):
        print(f"{rank}. [{hit.card_id}] {hit.title}  ({hit.score:.4f})")
        print(f"   § {hit.heading}")
        print(f"   {hit.snippet}\n")
    return 0
