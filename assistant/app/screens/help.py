"""F1: keys, boundaries, and where things are."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Markdown

from .texts import BOUNDARIES, keys_markdown, places_markdown


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close")]

    def __init__(self, config: str, data: str, exports: str, model: str) -> None:
        super().__init__(classes="reader-screen")
        self.text = "\n\n".join([
            "# Help", keys_markdown(), BOUNDARIES, places_markdown(config, data, exports, model),
        ])

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="reader") as box:
            box.border_title = "Help and boundaries"
            box.border_subtitle = "Esc close"
            yield Markdown(self.text, open_links=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#reader").focus()
