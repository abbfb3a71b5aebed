"""The conversation: the leader's messages, the replies (Markdown, by kind),
notices, and the pinned escalation panel."""
from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widgets import Markdown, Static
from textual.widgets.markdown import MarkdownStream

# How each kind of reply is labelled; CSS classes (-refusal, -escalation, ...) style them.
KIND_LABELS = {
    "reflection": "",
    "plan": "Session plan",
    "summary": "Governance summary (for governors; draws no conclusions)",
    "refusal": "A boundary: this decision is not mine to make",
    "escalation": "Safeguarding: act on this now",
    "decision": "Your decision, in your words",
    "notice": "",
}
PREVIEW_LINES = 14  # a long paste is shown folded; it is sent and stored whole


class UserMessage(Static):
    def __init__(self, text: str, **kwargs) -> None:
        lines = text.splitlines()
        shown = "\n".join(lines[:PREVIEW_LINES])
        if len(lines) > PREVIEW_LINES:
            shown += f"\n… ({len(lines) - PREVIEW_LINES} more lines, {len(text):,} characters in all)"
        super().__init__(shown, markup=False, classes="user", **kwargs)
        self.border_title = "You"
        self.full_text = text


class Reply(Markdown):
    """One assistant reply. While streaming it shows the pieces; the final text replaces them."""

    def __init__(self, text: str = "", kind: str = "reflection", **kwargs) -> None:
        super().__init__(text, classes=f"reply -{kind}", **kwargs)
        self.kind = kind
        self.final_text = text
        self._stream: MarkdownStream | None = None
        self._label(kind)

    def _label(self, kind: str) -> None:
        self.border_title = KIND_LABELS.get(kind, "") or None

    async def add_chunk(self, text: str) -> None:
        if self._stream is None:
            self.remove_class("-pending")
            self._stream = Markdown.get_stream(self)
        await self._stream.write(text)

    async def finish(self, text: str, kind: str) -> None:
        if self._stream is not None:
            await self._stream.stop()
            self._stream = None
        self.remove_class("-pending", f"-{self.kind}")
        self.kind, self.final_text = kind, text
        self.add_class(f"-{kind}")
        self._label(kind)
        await self.update(text)


class Notice(Static):
    def __init__(self, text: str, **kwargs) -> None:
        super().__init__(f"ⓘ {text}", markup=False, classes="notice", **kwargs)


class ChatLog(VerticalScroll):
    """The scrolling conversation (Tab to it, then the arrow and page keys scroll)."""

    def on_mount(self) -> None:
        self.anchor()  # stay at the newest message while replies grow, until the user scrolls up

    def last_reply(self) -> Reply | None:
        replies = self.query(Reply)
        return replies.last() if replies else None


def signpost_line(text: str) -> str:
    """The signposting in one line for a short window or once the DSL has it: 999 and who to tell stay in view."""
    if "Samaritans" in text:
        return "⚠ Danger now: 999 · Samaritans 116 123 · NHS 111 · Ctrl+S more"
    who = "As DSL, act now under your procedures" if "As the DSL" in text else "Speak to your DSL now"
    staff = " · Staff: head → LADO" if "LADO" in text and "adult working with children" in text else ""
    return f"⚠ Danger now: 999 · {who}{staff} · Ctrl+S more"


class PinnedPanel(VerticalScroll):
    """Escalation signposting, pinned above the chat for the rest of the session (Tab to it to scroll).

    Folded to one line (signpost_line) on a short screen, or once the user says the DSL has
    the concern ("-acknowledged"); "-expanded" shows it all again. Never removed in a session.
    """

    def compose(self):
        yield Static("", id="pinned-line", markup=False)
        yield Markdown("", id="pinned-text")

    def on_mount(self) -> None:
        self.border_title = "Keep in view: safeguarding signposting"

    text: str | None = None

    async def show(self, text: str | None, acknowledged: bool = False) -> None:
        self.display = bool(text)
        self.set_class(acknowledged, "-acknowledged")
        if text == self.text:
            return  # the same signposting after a later turn: stay as the user left it
        self.text = text
        self.remove_class("-expanded")
        self.query_one("#pinned-line", Static).update(signpost_line(text or ""))
        await self.query_one("#pinned-text", Markdown).update(text or "")

    @property
    def folded(self) -> bool:
        short = self.screen.has_class("-short")
        return (short or self.has_class("-acknowledged")) and not self.has_class("-expanded")
