"""`reflect` with no arguments: open the terminal app."""
from __future__ import annotations

import sys

from knowledge.errors import ReflectError


def run_app() -> int:
    from assistant.app.app import ReflectApp

    try:
        result = ReflectApp().run()
    except ReflectError as exc:
        print(f"reflect: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return int(result or 0)
