"""First run: what the assistant does and never does, and where data is kept."""
from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Markdown, Static

from .texts import welcome_markdown


class WelcomeScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,enter", "dismiss", "Start")]

    def __init__(self, data: str, model: str, progress: str = "") -> None:
        super().__init__(classes="dialog-screen")
        self.text = welcome_markdown(data, model)
        self.progress = progress

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="welcome"):
            yield Markdown(self.text)
            yield Static(self._progress_text(), id="welcome-progress", markup=False)
            yield Button("Start (Enter)", variant="primary", id="start")

    def _progress_text(self) -> str:
        if self.progress in ("", "Ready."):
            return self.progress
        return f"Getting ready: {self.progress} You can start typing now."

    def show_progress(self, text: str) -> None:
        self.progress = text
        if self.is_mounted:
            self.query_one("#welcome-progress", Static).update(self._progress_text())

    def on_mount(self) -> None:
        self.query_one("#start", Button).focus()

    def on_button_pressed(self) -> None:
        self.dismiss(None)

    def on_key(self, event: events.Key) -> None:
        """Typing starts the conversation: the welcome steps aside and keeps the keystroke."""
        if event.is_printable and event.character:
            event.stop()
            event.prevent_default()
            self.app.chat.prompt_input.insert(event.character)
            self.dismiss(None)
