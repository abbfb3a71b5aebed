"""Small modal dialogs: confirm, ask for a line of text, show copyable text."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Markdown, Static

from ..widgets.prompt_input import PromptInput


class ConfirmScreen(ModalScreen[bool]):
    """Yes/no. Enter or y confirms; Esc or n cancels."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str, yes: str = "Yes", no: str = "Cancel", title: str = "Please confirm",
                 destructive: bool = False) -> None:
        super().__init__(classes="dialog-screen")
        self.question, self.yes, self.no, self.title_text = question, yes, no, title
        self.destructive = destructive  # then Enter means "no": deleting takes a deliberate y

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = self.title_text
            yield Markdown(self.question, classes="dialog-text")
            with Horizontal(classes="buttons"):
                yield Button(f"{self.yes} (y)", variant="error" if self.destructive else "primary", id="yes")
                yield Button(f"{self.no} (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no" if self.destructive else "#yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class TextPrompt(ModalScreen[str | None]):
    """A line of text, or several (multiline: Shift+Enter or Ctrl+J for a new line). Enter saves; Esc cancels.

    The current value is in the box with the cursor at its end, ready to edit.
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, value: str = "", placeholder: str = "", hint: str = "",
                 multiline: bool = False) -> None:
        super().__init__(classes="dialog-screen")
        self.title_text, self.value, self.placeholder, self.hint = title, value, placeholder, hint
        self.multiline = multiline

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = self.title_text
            if self.hint:
                yield Label(self.hint, classes="dialog-text", markup=False)
            if self.multiline:
                yield PromptInput(text=self.value, placeholder=self.placeholder, id="text", classes="multiline")
                yield Label("Enter to save · Shift+Enter or Ctrl+J for a new line · Esc to cancel", classes="dim")
            else:
                yield Input(self.value, placeholder=self.placeholder, id="text", select_on_focus=False)
                yield Label("Enter to save · Esc to cancel", classes="dim")

    def on_mount(self) -> None:
        box = self.query_one("#text")
        box.focus()
        if self.multiline:
            box.move_cursor(box.document.end)
        else:
            box.cursor_position = len(box.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def on_prompt_input_submitted(self, event) -> None:
        event.stop()
        self.dismiss(event.text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class TextScreen(ModalScreen[None]):
    """Text the user can read and copy (an error, what was sent to a model)."""

    BINDINGS = [Binding("escape,q", "dismiss", "Close"), Binding("c", "copy", "Copy")]

    def __init__(self, title: str, text: str, markdown: bool = False) -> None:
        super().__init__(classes="dialog-screen")
        self.title_text, self.text, self.markdown = title, text, markdown

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog wide") as box:
            box.border_title = self.title_text
            box.border_subtitle = "c copy · Esc close"
            yield Markdown(self.text) if self.markdown else Static(self.text, markup=False)

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.text)
        self.notify("Copied to the clipboard.")
