"""The app's own small state (theme, welcome seen), kept beside the user's data.

Not the config file: that belongs to the user and `reflect config`. This is
data_dir()/state.json, written atomically with private permissions.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from knowledge.storage import data_dir, private_dir

STATE_FILE = "state.json"


def state_path() -> Path:
    return data_dir() / STATE_FILE


def load_state() -> dict:
    """The saved state, or {} when there is none or it cannot be read."""
    try:
        data = json.loads(state_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_state(**changes) -> None:
    """Merge changes into the state file; a failure to write is not fatal."""
    state = {**load_state(), **changes}
    path = state_path()
    tmp = path.with_suffix(".tmp")
    try:
        fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)  # a leftover temp file keeps its old mode through O_CREAT
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(state, handle, indent=2)
        os.replace(tmp, path)
    except OSError:
        pass


def export_folder() -> Path:
    """The export folder, made private (0700) when the app creates it; an existing one is left as it is."""
    folder = export_dir()
    if not folder.exists():
        private_dir(folder)
    return folder


def export_dir() -> Path:
    """Where decision records go: REFLECT_EXPORT_DIR, else the user's documents folder."""
    override = os.environ.get("REFLECT_EXPORT_DIR")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_documents_path

    return user_documents_path()
