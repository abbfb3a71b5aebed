"""ReflectApp: the terminal app. A thin client of `assistant.engine.Engine`.

The engine's slow parts (guardrails, search index, embedding model) warm up
in a thread worker after the first paint; turns and exports run in thread
workers that post typed messages (assistant/app/messages.py) back here.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Iterable

from textual import work
from textual.app import App, SystemCommand
from textual.screen import Screen

from assistant.models import Citation, Session
from knowledge.errors import ReflectError

from .actions import Actions
from .documents import Documents
from .commands import palette_commands
from .keymap import CHAT, bindings
from .errors import error_text
from .messages import ReplyChunk, TurnDone, TurnFailed, WarmUpDone, WarmUpFailed, WarmUpProgress
from .screens.chat import ChatScreen
from .screens.welcome import WelcomeScreen
from .state import export_dir, load_state, save_state

STATUS_LOADING = "Loading the guidance and safety checks… you can start typing."
STATUS_WAITING = "Getting ready… your message will be sent as soon as the guidance has loaded."
STATUS_READY = "Ready. Enter sends · Shift+Enter or Ctrl+J for a new line · F1 help"
STATUS_THINKING = "Thinking… (Esc to stop)"
STATUS_STOPPING = "Stopping…"
CHANGE_CHECK_SECONDS = 3.0  # one indexed row read: cheap enough to poll


class ReflectApp(Actions, Documents, App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "Reflect"
    SUB_TITLE = "New session"
    BINDINGS = bindings(CHAT, everywhere=True)

    def __init__(self, engine=None, *, warm_up: bool = True) -> None:
        super().__init__()
        self.started = time.perf_counter()
        self.first_paint: float | None = None  # seconds from construction, for the benchmark
        self.ready_at: float | None = None
        self.startup_errors: list[str] = []
        self.engine = engine if engine is not None else self._build_engine()
        self.ready = False
        self._warm = warm_up
        self.session: Session | None = None  # None until the first message creates it
        self.mode = self.engine.settings.default_mode if self.engine else "live"
        self.turn_running = False
        self._cancel: threading.Event | None = None
        self._reply = None  # the Reply widget being streamed into
        self._queued: str | None = None
        self.last_error: str | None = None
        self._dsl_has_it: set[str] = set()
        self.loading_step = ""  # what the warm-up is doing, for the welcome screen  # sessions whose signposting the user has folded
        state = load_state()
        self.first_run = not state.get("welcomed")
        self._saved_theme = state.get("theme")

    def _build_engine(self):
        from assistant.config import Settings, load_settings
        from assistant.engine import Engine

        try:
            settings = load_settings()
        except ReflectError as exc:
            self.startup_errors.append(f"{exc}. Using the default settings (offline) until it is fixed.")
            settings = Settings.model_construct()
        try:
            return Engine(settings=settings)
        except Exception as exc:  # e.g. the sessions database cannot be opened
            self.startup_errors.append(error_text(exc))
            return None

    def get_default_screen(self) -> Screen:
        self.chat = ChatScreen()
        return self.chat

    # --- start-up --------------------------------------------------------------

    async def on_mount(self) -> None:
        if self._saved_theme in self.available_themes:
            self.theme = self._saved_theme
        self.theme_changed_signal.subscribe(self, lambda theme: save_state(theme=theme.name))
        self.set_interval(CHANGE_CHECK_SECONDS, self._check_changed_elsewhere)

    async def _check_changed_elsewhere(self) -> None:
        """Another window or `reflect ask` may have written to this session: show the stored truth."""
        if self.engine is None or self.session is None or self.turn_running or self._queued is not None:
            return
        try:
            changed = self.engine.refresh(self.session)
        except ReflectError as exc:  # deleted elsewhere
            self.session = None
            await self._show_current()
            self.notify(str(exc), severity="warning", markup=False)
            return
        if changed:
            await self._show_current()
            self.notify("This session was changed in another window or on the command line; "
                        "showing the latest.", markup=False)

    async def chat_mounted(self) -> None:
        """Called by the chat screen once its widgets exist."""
        await self._show_current()
        self.chat.set_status(STATUS_LOADING if self._warm else STATUS_READY)
        self.chat.prompt_input.focus()
        for error in self.startup_errors:
            self._error(error)

    def on_ready(self) -> None:
        self.first_paint = time.perf_counter() - self.started
        if self.engine is None:
            self.chat.set_status("Not available: " + "; ".join(self.startup_errors))
        elif self._warm:
            self._warm_up()
        else:
            self.post_message(WarmUpDone())
        if self.first_run:
            _, data, _, model = self._places()
            self.push_screen(WelcomeScreen(data, model, self.loading_step or ("Ready." if self.ready else "")),
                             lambda _: self._welcomed())

    def _welcomed(self) -> None:
        self.first_run = False
        save_state(welcomed=True)
        self.chat.prompt_input.focus()

    @work(thread=True, exclusive=True, group="warm-up", exit_on_error=False)
    def _warm_up(self) -> None:
        try:
            self.engine.warm_up(progress=lambda step: self.post_message(WarmUpProgress(step)))
        except BaseException as exc:  # noqa: BLE001 - shown to the user, never a traceback
            self.post_message(WarmUpFailed(error_text(exc)))
        else:
            self.post_message(WarmUpDone())

    def on_warm_up_progress(self, message: WarmUpProgress) -> None:
        self.loading_step = message.step
        waiting = self._queued is not None
        if waiting:
            self.chat.set_status(f"Getting ready ({message.step.rstrip('…')})… your message will be sent next.",
                                 busy=True)
        else:
            self.chat.set_status(f"Loading: {message.step} You can start typing.")
        self._show_progress(message.step)

    def _show_progress(self, text: str) -> None:
        """The welcome screen, when it is up, says what is still loading (or that all is ready)."""
        for screen in self.screen_stack:
            if isinstance(screen, WelcomeScreen):
                screen.show_progress(text)

    async def on_warm_up_done(self, _: WarmUpDone) -> None:
        self.ready, self.ready_at = True, time.perf_counter() - self.started
        self._show_progress("Ready.")
        if not self.turn_running:
            self.chat.set_status(STATUS_READY)
        if self._queued is not None:
            text, self._queued = self._queued, None
            await self._start_turn(text)

    async def on_warm_up_failed(self, message: WarmUpFailed) -> None:
        self._error(f"Could not load everything the assistant needs: {message.error}")
        self.ready, self.ready_at = True, time.perf_counter() - self.started  # turns will say what is wrong
        self.chat.set_status("Not fully loaded: " + message.error)
        if self._queued is not None:
            text, self._queued = self._queued, None
            await self._start_turn(text)

    def _places(self) -> tuple[str, str, str, str]:
        from assistant.config import config_path
        from knowledge.storage import data_dir

        settings = self.engine.settings if self.engine else None
        if settings is None or settings.provider == "none":
            model = "none: fully offline"
        else:
            where = "remote: text is redacted before it leaves" if settings.must_redact else "on this machine"
            model = f"{settings.provider} {settings.model} ({where})"
        return str(config_path()), str(data_dir()), str(export_dir()), model

    # --- the conversation ----------------------------------------------------------

    def _view_session(self) -> Session:
        """The session on screen; before the first message, an unsaved one in the chosen mode."""
        if self.session is not None:
            return self.session
        reflective = self.engine.settings.reflective_model if self.engine else "gibbs"
        return Session(id="", title="New session", mode=self.mode, reflective_model=reflective)

    def _citations(self) -> list[Citation]:
        seen: dict[str, Citation] = {}
        for turn in self._view_session().turns:
            for citation in turn.citations:
                seen.setdefault(citation.card_id, citation)
        return list(seen.values())

    def _refresh_side(self) -> None:
        session = self._view_session()
        if self.engine is None:
            return
        self.chat.show_side(session.mode, self.engine.lens_state(session), self._citations(), session.case)
        self.sub_title = session.title

    async def _show_current(self) -> None:
        session = self._view_session()
        await self.chat.show_session(session, session.id in self._dsl_has_it or session.handed_on)
        self.chat.prompt_input.sent = [t.text for t in session.turns if t.role == "user"]
        self._refresh_side()

    async def on_prompt_input_submitted(self, event) -> None:
        text = event.text
        if not text.strip():
            return
        if self.engine is None:
            self._error("The assistant cannot start: " + "; ".join(self.startup_errors))
            return
        if self.turn_running or self._queued is not None:
            self.notify("A reply is still coming: wait for it, or press Esc to stop it.", severity="warning")
            return
        event.prompt.remember(text)
        event.prompt.clear()
        await self.chat.add_user(text)
        if not self.ready:
            self._queued = text
            self.chat.set_status(STATUS_WAITING, busy=True)
            return
        await self._start_turn(text)

    async def _start_turn(self, text: str) -> None:
        try:
            if self.session is None:
                self.session = self.engine.new_session(self.mode)
        except Exception as exc:  # noqa: BLE001
            self.post_message(TurnFailed(text, error_text(exc)))
            return
        self.turn_running = True
        self._cancel = threading.Event()
        self._reply = await self.chat.start_reply()
        self.chat.set_status(STATUS_THINKING, busy=True)
        self.refresh_bindings()
        self._run_turn(self.session, text, self._cancel)

    @work(thread=True, group="turn", exit_on_error=False)
    def _run_turn(self, session: Session, text: str, cancel: threading.Event) -> None:
        try:
            result = self.engine.turn(session, text, on_chunk=lambda piece: self.post_message(ReplyChunk(piece)),
                                      cancel=cancel)
        except BaseException as exc:  # noqa: BLE001 - shown to the user, never a traceback
            self.post_message(TurnFailed(text, error_text(exc)))
        else:
            self.post_message(TurnDone(result))

    async def on_reply_chunk(self, message: ReplyChunk) -> None:
        if self._reply is not None and self.turn_running:
            await self._reply.add_chunk(message.text)

    async def on_turn_done(self, message: TurnDone) -> None:
        result = message.result
        if self._reply is not None:
            await self._reply.finish(result.reply, result.kind)
        if result.notice:
            await self.chat.add_notice(result.notice)
            self.notify(result.notice, severity="warning", markup=False)
        if result.redaction_note():
            await self.chat.add_notice(result.redaction_note() + " Ctrl+P › Show what was sent to the model shows it all.")
        if result.pinned:
            # folded to one line once the user says the DSL has it, here (Ctrl+S) or in the conversation
            await self.chat.set_pinned(result.pinned, self.session.id in self._dsl_has_it or result.handed_on)
        self._end_turn()
        self._refresh_side()

    async def on_turn_failed(self, message: TurnFailed) -> None:
        if self._reply is not None:
            await self._reply.remove()
        users = self.chat.chat_log.query("UserMessage")
        if users and users.last().full_text == message.prompt:
            await users.last().remove()
        prompt = self.chat.prompt_input
        if not prompt.text.strip():
            prompt.load_text(message.prompt)  # the prompt is kept, to send again
            prompt.move_cursor(prompt.document.end)
        self._end_turn()
        self._error(f"Your message was not sent: {message.error}. It is back in the message box.")

    def _end_turn(self) -> None:
        self.turn_running, self._cancel, self._reply = False, None, None
        self.chat.set_status(STATUS_READY if self.ready else STATUS_LOADING)
        self.refresh_bindings()

    def _error(self, text: str) -> None:
        self.last_error = text
        self.notify(text + "\n(Ctrl+P › Show last error to copy it)", title="Problem", severity="error",
                    timeout=12, markup=False)

    # --- actions ----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "stop":
            return self.turn_running
        return True

    async def action_quit(self) -> None:
        if self._cancel is not None:
            self._cancel.set()  # a streaming reply stops, so the process can exit promptly
        await super().action_quit()

    def action_stop(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
            self.chat.set_status(STATUS_STOPPING, busy=True)

    def action_focus_prompt(self) -> None:
        self.chat.prompt_input.focus()

    # --- the command palette -------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for title, help_text, callback in palette_commands(self):
            yield SystemCommand(title, help_text, callback)
