"""The message box: multi-line, Enter sends, Shift+Enter or Ctrl+J adds a line,
↑ on the first line recalls earlier prompts (↓ goes forward again)."""
from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import TextArea

NEWLINE_KEYS = ("shift+enter", "ctrl+j", "alt+enter")


class PromptInput(TextArea):
    BINDINGS = [
        # Shown in the status line and the placeholder, so the footer keeps room for the app's keys.
        Binding("enter", "submit", "Send", show=False),
        Binding("shift+enter", "newline", "New line", show=False),
    ]

    class Submitted(Message):
        def __init__(self, prompt: "PromptInput", text: str) -> None:
            super().__init__()
            self.prompt = prompt
            self.text = text

        @property
        def control(self) -> "PromptInput":
            return self.prompt

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("soft_wrap", True)
        kwargs.setdefault("show_line_numbers", False)
        kwargs.setdefault("tab_behavior", "focus")
        super().__init__(**kwargs)
        self.sent: list[str] = []
        self._browse: int | None = None  # index into history while recalling
        self._draft = ""

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.action_submit()
            return
        if event.key in NEWLINE_KEYS:
            event.stop()
            event.prevent_default()
            self.action_newline()
            return
        await super()._on_key(event)

    def action_submit(self) -> None:
        self.post_message(self.Submitted(self, self.text))

    def action_newline(self) -> None:
        start, end = self.selection
        self.replace("\n", start, end, maintain_selection_offset=False)

    def remember(self, text: str) -> None:
        text = text.strip()
        if text and (not self.sent or self.sent[-1] != text):
            self.sent.append(text)
        self._browse = None

    def action_cursor_up(self, select: bool = False) -> None:
        if not select and self.cursor_location[0] == 0 and self.sent:
            if self._browse is None:
                self._draft = self.text
                self._browse = len(self.sent)
            if self._browse > 0:
                self._browse -= 1
                self._show(self.sent[self._browse])
            return
        super().action_cursor_up(select)

    def action_cursor_down(self, select: bool = False) -> None:
        last = self.document.line_count - 1
        if not select and self._browse is not None and self.cursor_location[0] == last:
            self._browse += 1
            if self._browse >= len(self.sent):
                self._browse = None
                self._show(self._draft)
            else:
                self._show(self.sent[self._browse])
            return
        super().action_cursor_down(select)

    def _show(self, text: str) -> None:
        self.load_text(text)
        self.move_cursor(self.document.end)
