"""A CPU-heavy process beside the benchmark, as on a school laptop with something else running.

One pure-Python spinning process (one core of a 2-core machine). Bounded: it stops itself after
`limit` seconds even if the benchmark dies, and `busy()` ends it when the block is left.
"""
from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator

SPIN = "import sys, time\nend = time.monotonic() + float(sys.argv[1])\nwhile time.monotonic() < end:\n    pass\n"


@contextlib.contextmanager
def busy(limit: float = 3600.0) -> Iterator[subprocess.Popen]:
    spinner = subprocess.Popen([sys.executable, "-c", SPIN, str(limit)])
    try:
        yield spinner
    finally:
        spinner.terminate()
        try:
            spinner.wait(timeout=10)
        except subprocess.TimeoutExpired:
            spinner.kill()
