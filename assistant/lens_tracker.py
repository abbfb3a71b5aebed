"""Which lenses the leader has spoken to, and what they said under each."""
from __future__ import annotations

from assistant.models import LensEntry, LensState, Session
from assistant.text import lenses_in
from prompts import bank

SUBSTANTIVE_WORDS = 6  # an answer shorter than this does not close a lens
MAX_NOTES = 4


def lens_order(session: Session) -> tuple[str, ...]:
    """The lenses a session walks; in live mode a recorded decision adds carrying it out."""
    order = bank.lens_order(session.mode, session.reflective_model)
    if session.mode == "live" and session.decision:
        order = (*order, *bank.AFTER_DECISION)
    return order


def with_order(state: LensState, order: tuple[str, ...]) -> LensState:
    """The state with any lens the order has gained (a decision recorded mid-conversation) added, not yet begun."""
    missing = [name for name in order if name not in state.lenses]
    if not missing:
        return state
    state = state.model_copy(deep=True)
    state.order += missing
    state.lenses.update({name: LensEntry() for name in missing})
    return state


def _note(entry_notes: list[str], text: str) -> None:
    text = " ".join(text.split())
    if len(text) > 400:
        text = text[:400].rsplit(" ", 1)[0] + " …"
    if text and text not in entry_notes and len(entry_notes) < MAX_NOTES:
        entry_notes.append(text)


UNSURE = ("don't know", "not sure", "no idea", "can't remember", "haven't checked")


def update(state: LensState, message: str, answering: str | None, kind: str = "answer",
           addressed: set[str] | frozenset[str] = frozenset(), practice: bool = False) -> LensState:
    """Fold a leader's message into the lens state.

    Each of the leader's sentences is noted once, under the lens it speaks to
    (the lens just asked about first). A lens counts as covered when the case
    record addresses it (`addressed`) or the leader's answer to it actually
    speaks to it; being asked about it is not enough. In practice mode a
    substantive answer completes its stage.
    """
    state = state.model_copy(deep=True)
    found = lenses_in(message)
    placed: set[str] = set()
    for lens in ([answering] if answering in found else []) + [n for n in state.order if n in found]:
        if lens not in state.lenses:
            continue
        entry = state.lenses[lens]
        if entry.status == "not_yet":
            entry.status = "touched"
        for sentence in found[lens]:
            if sentence not in placed and not sentence.endswith("?"):
                placed.add(sentence)
                _note(entry.notes, sentence)
    for lens in addressed:
        if lens in state.lenses:
            state.lenses[lens].status = "covered"
    words = len(message.split())
    unsure = any(u in message.lower() for u in UNSURE) and words < 15
    if answering in state.lenses and kind in ("answer", "new_facts", "correction") and not unsure:
        entry = state.lenses[answering]
        if practice and words >= SUBSTANTIVE_WORDS:
            entry.status = "covered"
            _note(entry.notes, message)
        elif answering in found:
            entry.status = "covered"
            if not any(s in placed for s in found.get(answering, [])):
                _note(entry.notes, message)
    return state
