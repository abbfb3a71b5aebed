"""Failures as one plain line for a notification: never a traceback."""
from __future__ import annotations

from knowledge.errors import ReflectError


def error_text(exc: BaseException) -> str:
    """ReflectError as written (it is meant for users); anything else named plainly."""
    if isinstance(exc, ReflectError):
        return str(exc)
    detail = str(exc) or type(exc).__name__
    if isinstance(exc, OSError) and exc.strerror:
        detail = exc.strerror + (f": {exc.filename}" if exc.filename else "")
    return f"something went wrong ({type(exc).__name__}: {detail})"
