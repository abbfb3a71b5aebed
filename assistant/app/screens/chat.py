"""The main screen: the conversation, the message box and the side panel.

A view only: the app (assistant/app/app.py) talks to the engine and tells
this screen what to show.
"""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from assistant.models import Citation, LensState, Session, Turn

from ..keymap import CHAT, bindings
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


SIDE_PANEL_MIN_WIDTH = 110  # below this the conversation needs the side panel's 40 columns
PINNED_MIN_HEIGHT = 30  # below this the whole signposting would crowd out the conversation


class EarlierNotice(Static):
    """Above the first message shown: how many earlier messages are saved, and how to see them."""

    def __init__(self, count: int) -> None:
        super().__init__(f"{count:,} earlier messages are saved but not shown. Click here, or use "
                         "Ctrl+P → Load earlier messages, to show them; the exported decision record (F8 / F9) "
                         "has the whole session.", classes="notice earlier", markup=False)

    async def on_click(self) -> None:
        await self.app.run_action("load_earlier")


def _turn_widgets(turns: list[Turn]) -> list:
    widgets = []
    for turn in turns:
        if turn.role == "user":
            widgets.append(UserMessage(turn.text))
        else:
            widgets.append(Reply(turn.text, turn.kind))
            if turn.notice:
                widgets.append(Notice(turn.notice))
    return widgets


class ChatScreen(Screen):
    BINDINGS = bindings(CHAT)
    # Narrow: the side panel steps aside (F7 brings it over the chat). Short: the pinned
    # signposting is one line (Ctrl+S shows it all). The breakpoints set these classes.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (SIDE_PANEL_MIN_WIDTH, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (PINNED_MIN_HEIGHT, "-tall")]

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

    @property
    def narrow(self) -> bool:
        return self.has_class("-narrow")

    @property
    def side_shown(self) -> bool:
        """Shown by default when wide; "-side-toggled" flips that default."""
        return self.has_class("-wide") != self.has_class("-side-toggled")

    def toggle_side(self) -> bool:
        """Show or hide the side panel; returns whether it is now shown."""
        self.toggle_class("-side-toggled")
        return self.side_shown

    _was_wide: bool | None = None

    def on_resize(self) -> None:
        # Crossing the width breakpoint brings back that width's default for the side panel.
        wide = self.has_class("-wide")
        if self._was_wide is not None and self._was_wide != wide:
            self.remove_class("-side-toggled")
        self._was_wide = wide

    def show_side_panel(self) -> None:
        if not self.side_shown:
            self.toggle_side()

    def set_status(self, text: str, busy: bool = False) -> None:
        status = self.query_one("#status", Static)
        status.update(text)
        status.set_class(busy, "-busy")

    def show_side(self, mode: str, state: LensState, citations: list[Citation], case=None) -> None:
        self.query_one(SidePanel).show(mode, state, citations, case)

    async def show_session(self, session: Session, acknowledged: bool = False) -> None:
        """Render a session from the start: a fresh one shows a hint; a resumed one its turns."""
        log = self.chat_log
        await log.remove_children()
        await self.pinned.show(session.pinned, acknowledged)
        if not session.turns:
            await log.mount(Static(HINTS.get(session.mode, HINTS["live"]), classes="hint", markup=False))
            return
        # A long session is opened on its latest page (the engine loads no more), so it never holds
        # every message as a widget; earlier pages are loaded on request.
        widgets = ([EarlierNotice(session.earlier)] if session.earlier else []) + _turn_widgets(session.turns)
        await log.mount_all(widgets)
        log.anchor()

    async def show_earlier(self, turns: list[Turn], remaining: int) -> None:
        """Put a page of earlier turns above those shown, and say how many are still not shown."""
        log = self.chat_log
        for notice in log.query(EarlierNotice):
            await notice.remove()
        widgets = ([EarlierNotice(remaining)] if remaining else []) + _turn_widgets(turns)
        if log.children:
            await log.mount_all(widgets, before=0)
        else:
            await log.mount_all(widgets)
        log.scroll_home(animate=False)

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

    @property
    def pinned(self) -> PinnedPanel:
        return self.query_one(PinnedPanel)

    async def set_pinned(self, text: str | None, acknowledged: bool = False) -> None:
        await self.pinned.show(text, acknowledged)
