"""Where the product writes: the user's data and cache directories, private.

`REFLECT_DATA_DIR` overrides the location (tests and portable installs).
"""
from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "reflect-assistant"


def data_dir() -> Path:
    override = os.environ.get("REFLECT_DATA_DIR")
    if override:
        path = Path(override).expanduser()
    else:
        from platformdirs import user_data_path

        path = user_data_path(APP_NAME, appauthor=False)
    return private_dir(path)


def cache_dir() -> Path:
    """Derived, rebuildable artefacts (the guardrail classifier, the index)."""
    return private_dir(data_dir() / "cache")


def private_dir(path: Path) -> Path:
    """Create a directory readable by its owner only: it may hold pupil data."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        # Group and others lose access; the owner's own bits stay, so a folder made read-only stays so
        # (and reflect then says it cannot write there, rather than quietly making it writable again).
        path.chmod(path.stat().st_mode & 0o700)
    except OSError:  # a directory we do not own (e.g. a shared override): leave it
        pass
    return path
