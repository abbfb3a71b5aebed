"""`reflect prepare`: build and load what the first start needs (run by `make install`)."""
from __future__ import annotations

import argparse
import sys
import time


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    from assistant.prepare import prepare
    from knowledge.storage import data_dir

    started = time.perf_counter()
    seconds = prepare(progress=lambda text: print(f"  {text}", file=sys.stderr, flush=True))
    steps = ", ".join(f"{name} {value:.1f}s" for name, value in seconds.items())
    print(f"ready for the first start in {data_dir()} ({steps}; {time.perf_counter() - started:.1f}s in all)")
    return 0
