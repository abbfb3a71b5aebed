"""`reflect index [--rebuild]`: bring the search index up to date."""
from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rebuild", action="store_true", help="re-embed every card from scratch")


def run(args: argparse.Namespace) -> int:
    from assistant.commands.progress import build_index_with_progress

    status = build_index_with_progress(rebuild=args.rebuild, force_bar=True)
    print(
        f"index ready: {status.cards} cards, {status.chunks} sections; "
        f"{status.embedded_cards} embedded, {status.removed_cards} removed"
        f"{' (rebuilt)' if status.rebuilt else ''} in {status.seconds:.2f}s at {status.location}"
    )
    return 0
