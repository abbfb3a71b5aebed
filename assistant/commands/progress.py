"""A progress bar on stderr for index builds that take more than a moment."""
from __future__ import annotations

import sys


def build_index_with_progress(rebuild: bool = False, force_bar: bool = False):
    from rich.progress import Progress

    from knowledge.index import ensure_index, needs_build

    if not (rebuild or force_bar or needs_build()):
        status = ensure_index()
    else:
        with Progress(transient=True, console=_stderr_console()) as bar:
            task = bar.add_task("Indexing the knowledge cards", total=None)

            def report(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            status = ensure_index(rebuild=rebuild, progress=report)
    if status.notice:
        print(f"reflect: {status.notice}", file=sys.stderr)
    return status


def _stderr_console():
    from rich.console import Console

    return Console(file=sys.stderr)
