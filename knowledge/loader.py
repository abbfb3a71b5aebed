"""Read and validate the knowledge cards (Markdown with YAML front matter)."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from knowledge.errors import ReflectError
from knowledge.models import Card, CardMeta
from knowledge.yamlfile import load_yaml

CARDS_DIR = Path(__file__).parent / "cards"


class CardError(ReflectError):
    """A card that cannot be loaded; the message names the file and the field."""


def split_front_matter(text: str, path: Path) -> tuple[dict, str]:
    if not text.startswith("---"):
        raise CardError(f"{path.name}: no YAML front matter (the file must start with '---')")
    parts = text.split("\n---", 1)
    if len(parts) != 2:
        raise CardError(f"{path.name}: front matter is not closed with '---'")
    head, body = parts[0][3:], parts[1].lstrip("-").lstrip("\n")
    try:
        meta = load_yaml(head)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark else ""
        raise CardError(f"{path.name}: front matter is not valid YAML{where}: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(meta, dict):
        raise CardError(f"{path.name}: front matter must be a mapping of fields")
    return meta, body


def load_card(path: Path) -> Card:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise CardError(f"{path.name}: not UTF-8 text") from None
    meta, body = split_front_matter(text, path)
    try:
        parsed = CardMeta.model_validate(meta)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "(front matter)"
        raise CardError(f"{path.name}: field '{field}': {first['msg']}") from None
    if parsed.id != path.stem:
        raise CardError(f"{path.name}: field 'id' is '{parsed.id}' but must equal the file name '{path.stem}'")
    if not body.strip():
        raise CardError(f"{path.name}: the card has no body text")
    headings = {line[3:].strip() for line in body.splitlines() if line.startswith("## ")}
    unknown = sorted(set(parsed.asks) - headings)
    if unknown:
        raise CardError(f"{path.name}: field 'asks' names a section the card does not have: '{unknown[0]}'")
    return Card(
        **parsed.model_dump(),
        body=body.strip() + "\n",
        path=str(path),
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest()[:16],
    )


def load_cards(directory: Path = CARDS_DIR) -> list[Card]:
    """All cards, sorted by id. Raises CardError on the first broken card."""
    cards = [load_card(p) for p in sorted(directory.glob("*.md"))]
    if not cards:
        raise CardError(f"no cards found in {directory}")
    return cards


@lru_cache(maxsize=1)
def cards_by_id() -> dict[str, Card]:
    return {card.id: card for card in load_cards()}
