"""`reflect prepare`: build and load what the first start needs (run by `make install`)."""
from __future__ import annotations

import argparse
import sys
import time


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def _show(step: str) -> None:
    """Each step on its own line; the card count overwrites itself on a terminal (a log gets the steps only)."""
    counting = step.startswith("Building the search index:")
    if counting and not sys.stderr.isatty():
        return
    print(f"\r  {step:<60}", file=sys.stderr, end="" if counting else "\n", flush=True)


def run(args: argparse.Namespace) -> int:
    from assistant.prepare import prepare
    from knowledge.storage import data_dir

    started = time.perf_counter()
    seconds = prepare(progress=_show)
    steps = ", ".join(f"{name} {value:.1f}s" for name, value in seconds.items())
    print(f"ready for the first start in {data_dir()} ({steps}; {time.perf_counter() - started:.1f}s in all)")
    return 0
