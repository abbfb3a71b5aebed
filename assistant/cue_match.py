"""One home for choosing prepared lines by the words a message uses: hypotheses about a pupil's needs, a
role-play part's answer, a facilitator's tips. Each item carries `when` stems; the items whose stems the
text uses most come first, then (if wanted) the general items with no stems, in their written order."""
from __future__ import annotations

from typing import Protocol, Sequence, TypeVar

from prompts.bank import normalise, stem_in


class Cued(Protocol):
    when: tuple[str, ...]


T = TypeVar("T", bound=Cued)


def hits(item: Cued, text: str) -> int:
    """How many of the item's stems the (normalised) text uses."""
    return sum(stem_in(w, text) for w in item.when)


def by_cues(items: Sequence[T], text: str, general: bool = True) -> list[T]:
    """Items fitting the text, best first; then general items (no stems) if `general`."""
    text = normalise(text)
    fitting = sorted((i for i in items if i.when and hits(i, text)), key=lambda i: -hits(i, text))
    return fitting + ([i for i in items if not i.when] if general else [])
