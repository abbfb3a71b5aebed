"""Files the product writes for the user (decision records, summaries, reviews).

They hold pupil data, so each is created readable by its owner only (0600),
never silently replaces an existing file (a caller passes `force` when the
user asked to), and a missing folder or a full disk is a message, not a
traceback. Default names carry the session id, never a title (titles
usually name the pupil).
"""
from __future__ import annotations

import datetime as dt
import errno
import os
from pathlib import Path

from knowledge.errors import ReflectError


def write_private(path: Path, data: bytes, force: bool = False) -> Path:
    """Write bytes to a new 0600 file; an existing one only with force."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise ReflectError(f"{path}: is a folder; give a file name")
    if not path.parent.is_dir():
        raise ReflectError(f"{path.parent}: no such folder; create it first, or choose another place")
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if force else os.O_EXCL)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        raise ReflectError(f"{path} already exists; choose another name, or add --force to replace it") from None
    except OSError as exc:
        raise ReflectError(_write_failure(path, exc)) from None
    try:
        os.fchmod(fd, 0o600)  # a file replaced with --force becomes private too
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except OSError as exc:
        path.unlink(missing_ok=True)  # never leave half a record behind
        raise ReflectError(_write_failure(path, exc)) from None
    return path


def unused_name(folder: Path, stem: str, suffix: str) -> Path:
    """folder/stem.suffix, or stem-2.suffix, stem-3.suffix … whichever does not exist yet."""
    candidate = folder / f"{stem}.{suffix}"
    number = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{number}.{suffix}"
        number += 1
    return candidate


def default_stem(kind: str, session_id: str) -> str:
    """e.g. 'decision-record-3f2a9c1b7e-2026-03-14': no title, so no pupil's name."""
    return f"{kind}-{session_id}-{dt.date.today():%Y-%m-%d}"


def _write_failure(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return f"{path}: the disk is full; free some space and export again"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{path}: that folder cannot be written; choose another place"
    if exc.errno == errno.ENOENT:
        return f"{path.parent}: no such folder; create it first, or choose another place"
    return f"{path}: could not be written ({exc.strerror or exc})"
