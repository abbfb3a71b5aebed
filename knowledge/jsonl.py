"""Read JSONL input files with errors that name the file and the line."""
from __future__ import annotations

import json
from pathlib import Path

from knowledge.errors import ReflectError


def read_jsonl(path: Path, required: tuple[str, ...] = ()) -> list[dict]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ReflectError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise ReflectError(f"{path}: not UTF-8 text (is it a binary file?)") from None
    except OSError as exc:
        raise ReflectError(f"{path}: cannot read: {exc.strerror}") from None
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ReflectError(f"{path}, line {number}: not valid JSON ({exc.msg})") from None
        if not isinstance(row, dict):
            raise ReflectError(f"{path}, line {number}: expected a JSON object")
        missing = [key for key in required if key not in row]
        if missing:
            raise ReflectError(f"{path}, line {number}: missing field {', '.join(repr(m) for m in missing)}")
        rows.append(row)
    return rows
