"""The main screen: the conversation, the message box and the side panel.

A view only: the app (assistant/app/app.py) talks to the engine and tells
this screen what to show.
"""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from assistant.models import Citation, LensState, Session

from ..widgets.chat_log import ChatLog, Notice, PinnedPanel, Reply, UserMessage
from ..widgets.prompt_input import PromptInput
from ..widgets.side_panel import SidePanel

HINTS = {
    "live": "Describe the live situation: what happened, who is involved, what your policy says, "
            "and what you are weighing. I'll take it one lens at a time.",
    "practice": "Describe an incident or a piece of practice you want to reflect on. "
                "We'll work through it stage by stage.",
    "prep": "Describe the session you are preparing: the school, who will be there, and what they need from it.",
}


class ChatScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.stop", "Stop reply"),
        Binding("f1", "app.help", "Help"),
        Binding("f2", "app.sessions", "Sessions"),
        Binding("ctrl+n", "app.new_session", "New"),
        Binding("f3", "app.glossary", "Glossary", show=False),
        Binding("f4", "app.cycle_mode", "Mode"),
        Binding("f5", "app.sources", "Sources"),
        Binding("f6", "app.copy_reply", "Copy", priority=True),  # over the text box's select-line
        Binding("f8", "app.export('md')", ".md"),
        Binding("f9", "app.export('docx')", ".docx"),
        Binding("ctrl+g", "app.governance", "Governors"),
        Binding("ctrl+r", "app.record_decision", "Decision"),
        Binding("f7", "app.correct_case", "Correct", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        with Horizontal(id="main"):
            with Vertical(id="chat-column"):
                yield PinnedPanel(id="pinned")
                yield ChatLog(id="chat")
                yield Static("", id="status", markup=False)
                yield PromptInput(id="prompt", placeholder="Type here. Enter sends; Shift+Enter or Ctrl+J for a new line.")
            yield SidePanel(id="side")
        yield Footer(compact=True)

    async def on_mount(self) -> None:
        await self.app.chat_mounted()

    # --- what the app tells it to show ---------------------------------------

    @property
    def chat_log(self) -> ChatLog:
        return self.query_one(ChatLog)

    @property
    def prompt_input(self) -> PromptInput:
        return self.query_one(PromptInput)

    def set_status(self, text: str, busy: bool = False) -> None:
        status = self.query_one("#status", Static)
        status.update(text)
        status.set_class(busy, "-busy")

    def show_side(self, mode: str, state: LensState, citations: list[Citation], case=None) -> None:
        self.query_one(SidePanel).show(mode, state, citations, case)

    async def show_session(self, session: Session) -> None:
        """Render a session from the start: a fresh one shows a hint; a resumed one its turns."""
        log = self.chat_log
        await log.remove_children()
        await self.query_one(PinnedPanel).show(session.pinned)
        if not session.turns:
            await log.mount(Static(HINTS.get(session.mode, HINTS["live"]), classes="hint", markup=False))
            return
        widgets = []
        for turn in session.turns:
            if turn.role == "user":
                widgets.append(UserMessage(turn.text))
            else:
                widgets.append(Reply(turn.text, turn.kind))
                if turn.notice:
                    widgets.append(Notice(turn.notice))
        await log.mount_all(widgets)
        log.anchor()

    async def add_user(self, text: str) -> UserMessage:
        for hint in self.chat_log.query(".hint"):
            await hint.remove()
        message = UserMessage(text)
        await self.chat_log.mount(message)
        self.chat_log.anchor()  # follow the conversation again, even if the user had scrolled up
        return message

    async def start_reply(self) -> Reply:
        reply = Reply("…", "reflection")
        reply.add_class("-pending")
        await self.chat_log.mount(reply)
        return reply

    async def add_reply(self, text: str, kind: str, notice: str | None = None) -> Reply:
        reply = Reply(text, kind)
        await self.chat_log.mount(reply)
        if notice:
            await self.chat_log.mount(Notice(notice))
        return reply

    async def add_notice(self, text: str) -> None:
        await self.chat_log.mount(Notice(text))

    async def set_pinned(self, text: str | None) -> None:
        await self.query_one(PinnedPanel).show(text)
