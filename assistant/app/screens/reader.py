"""The whole card: its Markdown body and its sources. Esc closes."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Markdown

from assistant.models import Citation


def card_markdown(citation: Citation) -> str:
    """The card as Markdown; an ingested document is described by its citation."""
    from knowledge.loader import cards_by_id

    card = cards_by_id().get(citation.card_id)
    if card is None:
        where = f"\n\nSource: {citation.source}" if citation.source else ""
        return (f"# {citation.title}\n\n*From your school's own documents* ({citation.card_id})."
                f"\n\nSection: {citation.heading or '(whole document)'}{where}\n")
    sources = "\n".join(f"- [{s.title}]({s.url})" for s in card.sources)
    lenses = ", ".join(card.lenses)
    return (f"# {card.title}\n\n`{card.id}` · {card.kind} · lenses: {lenses} · sources checked {card.checked:%d %B %Y}"
            f"\n\n{card.body}\n\n## Sources\n\n{sources}\n")


class CardReader(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q", "dismiss", "Close"),
        Binding("c", "copy", "Copy card"),
    ]

    def __init__(self, citation: Citation) -> None:
        super().__init__(classes="reader-screen")
        self.citation = citation
        self.text = card_markdown(citation)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="reader") as box:
            box.border_title = self.citation.title
            box.border_subtitle = "Esc close · c copy"
            yield Markdown(self.text, open_links=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#reader").focus()

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        self.app.open_url(event.href)

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.text)
        self.notify("Copied the card to the clipboard.")
