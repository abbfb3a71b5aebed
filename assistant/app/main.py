"""`reflect` with no arguments: open the terminal app."""
from __future__ import annotations

import sys

from knowledge.errors import ReflectError


def run_app() -> int:
    from assistant.app.app import ReflectApp

    try:
        app = ReflectApp()
        result = app.run()
    except ReflectError as exc:
        print(f"reflect: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    if app.engine is not None and not app.ready:
        # The warm-up thread may be writing the search index (first run): let it finish, and say so.
        print("reflect: finishing loading the guidance before exiting…", file=sys.stderr)
    return int(result or 0)
