"""Past sessions: open (resume), new, rename, delete (with confirmation), search by text."""
from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, OptionList
from textual.widgets.option_list import Option

from assistant.models import SessionSummary
from assistant.record import MODE_TITLES
from knowledge.errors import ReflectError
from knowledge.safe_text import markdown_literal, one_line

from ..keymap import SESSIONS, bindings, letter_bindings
from .dialogs import ConfirmScreen, TextPrompt

NEW = "+new"


class SessionList(OptionList):
    """The list: its single-letter keys work only here; any other letter goes back to the search box."""

    BINDINGS = letter_bindings(SESSIONS)

    def on_key(self, event: events.Key) -> None:
        letters = {b.key for b in self.BINDINGS}
        if event.is_printable and event.character and event.character != " " and event.key not in letters:
            event.stop()
            event.prevent_default()
            search = self.screen.query_one("#search", Input)
            search.focus()
            search.insert_text_at_cursor(event.character)


def session_label(s: SessionSummary) -> Content:
    when = s.updated.astimezone().strftime("%d %b %Y %H:%M")
    flag = Content.styled(" ⚑ signposting", "$text-error") if s.pinned else Content("")
    return Content.assemble(
        (one_line(s.title), "bold"), flag, "\n",
        (f"{MODE_TITLES.get(s.mode, s.mode)} · {s.turns} messages · {when}", "dim"),
    )


class SessionsScreen(ModalScreen[str | None]):
    """Dismisses with a session id to open, NEW for a new session, or None."""

    BINDINGS = bindings(SESSIONS)

    def __init__(self, engine, current: str | None = None) -> None:
        super().__init__(classes="sessions-screen")
        self.engine = engine
        self.current = current
        self.changed: set[str] = set()  # ids renamed or deleted here, for the caller to refresh

    def compose(self) -> ComposeResult:
        with Vertical(id="sessions-box") as box:
            box.border_title = "Sessions"
            yield Input(placeholder="Type to search past sessions · ↓ or Enter to the list", id="search")
            yield SessionList(id="session-list")
            yield Label("", id="sessions-count", classes="dim")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_list()
        self.query_one("#search").focus()  # typing searches at once, and never triggers a command

    def refresh_list(self, keep: str | None = None) -> None:
        query = self.query_one("#search", Input).value.strip()
        try:
            found = self.engine.sessions(query or None)
        except ReflectError as exc:
            self.notify(str(exc), severity="error", markup=False)
            found = []
        listing = self.query_one("#session-list", OptionList)
        listing.set_options(Option(session_label(s), id=s.id) for s in found)
        count = f"{len(found)} session{'s' if len(found) != 1 else ''}"
        self.query_one("#sessions-count", Label).update(
            f"{count} matching “{query}”" if query else (count if found else "No sessions yet: press n or Esc to start one.")
        )
        ids = [s.id for s in found]
        target = keep or self.current
        if ids:
            listing.highlighted = ids.index(target) if target in ids else 0

    @on(Input.Changed, "#search")
    def _search(self) -> None:
        self.refresh_list()

    @on(Input.Submitted, "#search")
    def _to_list(self) -> None:
        self.query_one("#session-list").focus()

    def on_key(self, event: events.Key) -> None:
        if event.key == "down" and isinstance(self.focused, Input):
            event.stop()
            self._to_list()

    @on(OptionList.OptionSelected, "#session-list")
    def _open(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def _selected(self) -> str | None:
        listing = self.query_one("#session-list", OptionList)
        if listing.highlighted is None:
            self.notify("No session selected.")
            return None
        return listing.get_option_at_index(listing.highlighted).id

    def action_close(self) -> None:
        self.dismiss(None)

    def action_new(self) -> None:
        self.dismiss(NEW)

    def action_search(self) -> None:
        self.query_one("#search").focus()

    def action_rename(self) -> None:
        session_id = self._selected()
        if session_id is None:
            return
        try:
            title = self.engine.session(session_id).title
        except ReflectError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return

        def done(new: str | None) -> None:
            if new is None:
                return
            try:
                self.engine.rename_session(session_id, new)
            except ReflectError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self.changed.add(session_id)
            self.refresh_list(keep=session_id)
            self.notify("Session renamed.")

        self.app.push_screen(TextPrompt("Rename session", value=title), done)

    def action_delete(self) -> None:
        session_id = self._selected()
        if session_id is None:
            return
        try:
            title = self.engine.session(session_id).title
        except ReflectError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return

        def done(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.engine.delete_session(session_id)
            except ReflectError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self.changed.add(session_id)
            self.refresh_list()
            self.notify(f"Deleted “{title}”.", markup=False)

        self.app.push_screen(ConfirmScreen(
            f"Delete **{markdown_literal(title)}** and everything said in it? This cannot be undone.",
            yes="Delete", no="Keep", title="Delete session", destructive=True), done)
