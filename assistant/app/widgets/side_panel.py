"""The side panel: the mode, what the assistant has heard about the case, the lenses as a map of
coverage, the sources cited."""
from __future__ import annotations

from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from assistant.app.keymap import key_for
from assistant.models import CaseRecord, Citation, LensState
from assistant.record import LENS_TITLES, MODE_TITLES

MARKS = {"covered": "●", "touched": "◐", "not_yet": "○"}
MARK_STYLES = {"covered": "$text-success", "touched": "$text-warning", "not_yet": "$text-muted"}


def lens_map(state: LensState) -> Content:
    lines = []
    for name in state.order:
        status = state.lenses[name].status
        current = name == state.current
        lines.append(Content.assemble(
            "▸" if current else " ",
            (MARKS[status], MARK_STYLES[status]),
            " ",
            (LENS_TITLES.get(name, name), "bold" if current else ""),
        ))
    lines.append(Content.styled("● covered ◐ touched ○ not yet", "dim"))
    return Content("\n").join(lines)


def heard(case: CaseRecord | None) -> Content:
    """The case record, one line per field, so the leader can see (and correct) what was taken in."""
    if case is None or case.empty():
        return Content.styled("Nothing yet", "dim")
    lines = [Content.assemble((f"{label}: ", "bold"), text if len(text) <= 90 else text[:88] + "…")
             for label, text in case.lines()]
    lines.append(Content.styled(f"{key_for('app.correct_case')} to correct", "dim"))
    return Content("\n").join(lines)


class SourceList(OptionList):
    """Cited cards; Enter (or a click) opens the whole card."""

    BINDINGS = [("escape", "app.focus_prompt", "Back to message")]


class SidePanel(Vertical):
    def compose(self):
        yield Label("Mode", classes="side-heading")
        yield Static(id="mode")
        yield Label("What I've heard", classes="side-heading")
        yield Static(id="heard")
        yield Label("Lenses", classes="side-heading")
        yield Static(id="lenses")
        yield Label("Sources cited (F5)", classes="side-heading")
        yield SourceList(id="sources")

    def show(self, mode: str, state: LensState, citations: list[Citation], case: CaseRecord | None = None) -> None:
        self.query_one("#mode", Static).update(MODE_TITLES.get(mode, mode))
        self.query_one("#heard", Static).update(heard(case))
        self.query_one("#lenses", Static).update(lens_map(state))
        sources = self.query_one("#sources", SourceList)
        highlighted = sources.highlighted
        if citations:
            sources.set_options(
                Option(Content.assemble(c.title, "\n", (c.card_id, "dim")), id=c.card_id) for c in citations
            )
            if highlighted is not None and highlighted < len(citations):
                sources.highlighted = highlighted
        else:
            sources.set_options([Option(Content.styled("None yet", "dim"), id="-none", disabled=True)])
