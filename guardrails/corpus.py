"""The guard's training data: the authored corpus and the first round's exemplars.

- `data/train/*.jsonl` other than `conversations_*`: labelled messages, one JSON object a
  line: id, text, action, category and the sub-labels `request`, `risk`, `passed_on`
  (see `docs/guard-data.md`).
- `data/train/conversations_*.jsonl`: {"id", "turns": [{"text", "action", "category"}, ...]}.
- `data/exemplars/<category>.txt`: short exemplars, one per line, sub-labels derived.
- `data/output/<category>.txt`: sentences an assistant might write, for the output rail.

The blind validation set lives elsewhere (`evals/guard/blind/`) and is never read here.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pydantic import BaseModel, field_validator, model_validator

from knowledge.errors import ReflectError

from .models import ACTION_OF, ESCALATE_CATEGORIES, Action, Category

DATA = Path(__file__).with_name("data")
TRAIN = DATA / "train"
EXEMPLARS = DATA / "exemplars"
OUTPUT = DATA / "output"

RISK_OF = {"safeguarding_disclosure": "child", "staff_allegation": "adult", "risk_to_self": "self"}
REQUESTS = ("information", "reflection", "options", "draft_record", "determination", "role_play", "none")


class Example(BaseModel):
    id: str
    text: str
    action: Action
    category: Category
    request: str | None = None
    risk: str = "none"
    passed_on: bool = False
    pair: str | None = None
    author: str = ""

    @field_validator("request")
    @classmethod
    def _request(cls, value):
        if value is not None and value not in REQUESTS:
            raise ValueError(f"unknown request {value!r}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> "Example":
        if ACTION_OF[self.category] != self.action:
            raise ValueError(f"category {self.category} does not go with action {self.action}")
        if self.risk not in ("none", "child", "adult", "self"):
            raise ValueError(f"unknown risk {self.risk!r}")
        return self

    @property
    def risk_label(self) -> str:
        """The risk the verdict rests on: an escalation's own category wins over the sub-label."""
        if self.category in ESCALATE_CATEGORIES:
            return RISK_OF[self.category]
        return self.risk


class Conversation(BaseModel):
    id: str
    turns: list[Example]
    author: str = ""


def _rows(path: Path):
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                yield n, json.loads(line)
            except ValueError as exc:
                raise ReflectError(f"{path}:{n}: not JSON ({exc})") from exc


def load_messages(folder: Path = TRAIN) -> list[Example]:
    out: list[Example] = []
    for path in sorted(folder.glob("*.jsonl")):
        if path.name.startswith("conversations_"):
            continue
        for n, row in _rows(path):
            try:
                out.append(Example(author=path.stem, **{k: row[k] for k in Example.model_fields if k in row}))
            except (TypeError, ValueError) as exc:
                raise ReflectError(f"{path}:{n}: {exc}") from exc
    return out


def load_conversations(folder: Path = TRAIN) -> list[Conversation]:
    out: list[Conversation] = []
    for path in sorted(folder.glob("conversations_*.jsonl")):
        for n, row in _rows(path):
            try:
                turns = [Example(id=f"{row['id']}#{k}", author=path.stem,
                                 **{f: t[f] for f in ("text", "action", "category") if f in t})
                         for k, t in enumerate(row["turns"])]
                out.append(Conversation(id=str(row["id"]), turns=turns, author=path.stem))
            except (KeyError, TypeError, ValueError) as exc:
                raise ReflectError(f"{path}:{n}: {exc}") from exc
    return out


def _lines(path: Path) -> list[str]:
    return [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()
            if ln.strip() and not ln.lstrip().startswith("#")]


def load_exemplars(folder: Path = EXEMPLARS) -> list[Example]:
    out = []
    for path in sorted(folder.glob("*.txt")):
        cat = path.stem
        for k, text in enumerate(_lines(path)):
            request = "determination" if ACTION_OF[cat] == "refuse" else None
            out.append(Example(id=f"ex-{cat}-{k}", text=text, action=ACTION_OF[cat], category=cat,
                               request=request, risk=RISK_OF.get(cat, "none"), author="exemplars"))
    return out


def load_output_examples(folder: Path = OUTPUT) -> list[tuple[str, str]]:
    """(sentence, category); a file is named for its category, optionally with a suffix (`reflection_guidance`)."""
    return [(text, path.stem.split("_")[0] if path.stem.startswith("reflection") else path.stem)
            for path in sorted(folder.glob("*.txt")) for text in _lines(path)]


def fingerprint(*extra: str) -> str:
    """A hash of every training file and `extra` (policy, model id): shipped heads must match it."""
    h = hashlib.sha256()
    for folder in (TRAIN, EXEMPLARS, OUTPUT):
        for path in sorted(folder.glob("*")):
            if path.is_file():
                h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for part in extra:
        h.update(part.encode("utf-8") + b"\0")
    return h.hexdigest()[:24]
