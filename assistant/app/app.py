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
from textual.binding import Binding
from textual.screen import Screen

from assistant.models import MODES, Citation, Session
from assistant.record import MODE_TITLES
from knowledge.errors import ReflectError

from .messages import ExportDone, ExportFailed, ReplyChunk, TurnDone, TurnFailed, WarmUpDone, WarmUpFailed
from .screens.chat import ChatScreen
from .screens.dialogs import ConfirmScreen, TextPrompt, TextScreen
from .screens.help import HelpScreen
from .screens.reader import CardReader
from .screens.sessions import NEW, SessionsScreen
from .screens.welcome import WelcomeScreen
from .state import export_dir, export_name, load_state, save_state

STATUS_LOADING = "Loading the guidance and safety checks… you can start typing."
STATUS_WAITING = "Getting ready… your message will be sent as soon as the guidance has loaded."
STATUS_READY = "Ready. Enter sends · Shift+Enter or Ctrl+J for a new line · F1 help"
STATUS_THINKING = "Thinking… (Esc to stop)"
STATUS_STOPPING = "Stopping…"


def _error_text(exc: BaseException) -> str:
    """A user-facing line for any failure: ReflectError as written, others named plainly."""
    if isinstance(exc, ReflectError):
        return str(exc)
    detail = str(exc) or type(exc).__name__
    if isinstance(exc, OSError) and exc.strerror:
        detail = exc.strerror + (f": {exc.filename}" if exc.filename else "")
    return f"something went wrong ({type(exc).__name__}: {detail})"


class ReflectApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "Reflect"
    SUB_TITLE = "New session"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True)]

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
            self.startup_errors.append(_error_text(exc))
            return None

    def get_default_screen(self) -> Screen:
        self.chat = ChatScreen()
        return self.chat

    # --- start-up --------------------------------------------------------------

    async def on_mount(self) -> None:
        if self._saved_theme in self.available_themes:
            self.theme = self._saved_theme
        self.theme_changed_signal.subscribe(self, lambda theme: save_state(theme=theme.name))

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
            self.push_screen(WelcomeScreen(data, model), lambda _: self._welcomed())

    def _welcomed(self) -> None:
        self.first_run = False
        save_state(welcomed=True)
        self.chat.prompt_input.focus()

    @work(thread=True, exclusive=True, group="warm-up", exit_on_error=False)
    def _warm_up(self) -> None:
        try:
            self.engine.warm_up()
        except BaseException as exc:  # noqa: BLE001 - shown to the user, never a traceback
            self.post_message(WarmUpFailed(_error_text(exc)))
        else:
            self.post_message(WarmUpDone())

    async def on_warm_up_done(self, _: WarmUpDone) -> None:
        self.ready, self.ready_at = True, time.perf_counter() - self.started
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
        self.chat.show_side(session.mode, self.engine.lens_state(session), self._citations())
        self.sub_title = session.title

    async def _show_current(self) -> None:
        session = self._view_session()
        await self.chat.show_session(session)
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
            self.post_message(TurnFailed(text, _error_text(exc)))
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
            self.post_message(TurnFailed(text, _error_text(exc)))
        else:
            self.post_message(TurnDone(result))

    async def on_reply_chunk(self, message: ReplyChunk) -> None:
        if self._reply is not None and self.turn_running:
            await self._reply.add_chunk(message.text)
            self.chat.chat_log.scroll_end(animate=False)

    async def on_turn_done(self, message: TurnDone) -> None:
        result = message.result
        if self._reply is not None:
            await self._reply.finish(result.reply, result.kind)
        if result.notice:
            await self.chat.add_notice(result.notice)
            self.notify(result.notice, severity="warning")
        if result.pinned:
            await self.chat.set_pinned(result.pinned)
        self._end_turn()
        self._refresh_side()
        self.chat.chat_log.scroll_end(animate=False)

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

    def action_stop(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
            self.chat.set_status(STATUS_STOPPING, busy=True)

    def action_focus_prompt(self) -> None:
        self.chat.prompt_input.focus()

    def _idle(self, doing: str) -> bool:
        if self.engine is None:
            self._error("The assistant cannot start: " + "; ".join(self.startup_errors))
            return False
        if self.turn_running or self._queued is not None:
            self.notify(f"Wait for the reply to finish (or press Esc) before you {doing}.", severity="warning")
            return False
        return True

    def _has_turns(self, what: str) -> bool:
        if self.session is None or not self.session.turns:
            self.notify(f"Nothing to {what} yet: start by describing the situation.", severity="warning")
            return False
        return True

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(*self._places()))

    async def action_new_session(self) -> None:
        if not self._idle("start a new session"):
            return
        self.session = None
        await self._show_current()
        self.chat.prompt_input.focus()
        self.notify(f"New session ({MODE_TITLES[self.mode]}).")

    async def open_session(self, session_id: str) -> None:
        try:
            self.session = self.engine.session(session_id)
        except Exception as exc:  # noqa: BLE001
            self._error(_error_text(exc))
            return
        self.mode = self.session.mode
        await self._show_current()
        self.chat.prompt_input.focus()

    def action_sessions(self, search: bool = False) -> None:
        if not self._idle("switch sessions"):
            return
        screen = SessionsScreen(self.engine.store, current=self.session.id if self.session else None)

        async def chosen(choice: str | None) -> None:
            current = self.session.id if self.session else None
            if choice == NEW:
                await self.action_new_session()
            elif choice is not None:
                await self.open_session(choice)
            elif current in screen.changed:  # renamed or deleted while the list was open
                try:
                    self.session = self.engine.session(current)
                except ReflectError:
                    self.session = None
                await self._show_current()
            self.chat.prompt_input.focus()

        self.push_screen(screen, chosen)
        if search:
            screen.call_after_refresh(screen.action_search)

    async def action_set_mode(self, mode: str) -> None:
        if mode not in MODES or not self._idle("switch mode"):
            return
        self.mode = mode
        if self.session is not None:
            try:
                self.engine.set_mode(self.session, mode)
            except Exception as exc:  # noqa: BLE001
                self._error(_error_text(exc))
                return
        if self.session is None or not self.session.turns:
            await self._show_current()
        self._refresh_side()
        self.notify(f"Mode: {MODE_TITLES[mode]}.")

    async def action_cycle_mode(self) -> None:
        current = self._view_session().mode
        await self.action_set_mode(MODES[(MODES.index(current) + 1) % len(MODES)])

    def action_sources(self) -> None:
        sources = self.chat.query_one("#sources")
        if not self._citations():
            self.notify("No sources cited yet.")
            return
        sources.focus()
        if sources.highlighted is None:
            sources.highlighted = 0

    def open_card(self, card_id: str) -> None:
        citation = next((c for c in self._citations() if c.card_id == card_id), None)
        if citation is None:
            return
        try:
            self.push_screen(CardReader(citation))
        except Exception as exc:  # noqa: BLE001 - a broken card file is named, not a traceback
            self._error(_error_text(exc))

    def on_option_list_option_selected(self, event) -> None:
        if event.option_list.id == "sources" and event.option.id and not event.option.id.startswith("-"):
            self.open_card(event.option.id)

    def action_copy_reply(self) -> None:
        replies = [t for t in self._view_session().turns if t.role == "assistant"]
        if not replies:
            self.notify("No reply to copy yet.")
            return
        self.copy_to_clipboard(replies[-1].text)
        self.notify("Copied the last reply to the clipboard.")

    def action_export(self, fmt: str) -> None:
        if not self._idle("export") or not self._has_turns("export"):
            return
        self.notify(f"Writing the decision record ({'Word' if fmt == 'docx' else 'Markdown'})…")
        self._export(self.session, fmt)

    @work(thread=True, group="export", exit_on_error=False)
    def _export(self, session: Session, fmt: str) -> None:
        from assistant.export import export
        from assistant.record import build_record

        try:
            path = export(build_record(session), export_dir() / export_name(session.title, session.id, fmt), fmt)
        except BaseException as exc:  # noqa: BLE001
            self.post_message(ExportFailed(_error_text(exc)))
        else:
            self.post_message(ExportDone(path))

    def on_export_done(self, message: ExportDone) -> None:
        self.last_export = message.path
        self.notify(f"Decision record written to {message.path}", title="Exported", timeout=10, markup=False)

    def on_export_failed(self, message: ExportFailed) -> None:
        self._error(f"The decision record was not written: {message.error}")

    def action_governance(self) -> None:
        if not self._idle("ask for a governance summary") or not self._has_turns("summarise"):
            return
        try:
            self.engine.governance_summary(self.session, confirmed=False)
            question = "Produce the governance summary?"
        except ReflectError as exc:  # the engine's confirmation wording
            question = str(exc)

        async def confirmed(yes: bool | None) -> None:
            if not yes:
                self.notify("No summary produced.")
                return
            try:
                text = self.engine.governance_summary(self.session, confirmed=True)
            except Exception as exc:  # noqa: BLE001
                self._error(_error_text(exc))
                return
            await self.chat.add_reply(text, "summary")
            self.notify("Governance summary added to the conversation (F6 copies it).")

        self.push_screen(ConfirmScreen(question, yes="Produce summary", no="Cancel",
                                       title="Governance summary"), confirmed)

    def action_record_decision(self) -> None:
        if not self._idle("record a decision") or not self._has_turns("record a decision for"):
            return

        def done(text: str | None) -> None:
            if text is None:
                return
            try:
                self.engine.record_decision(self.session, text)
            except Exception as exc:  # noqa: BLE001
                self._error(_error_text(exc))
                return
            self.notify("Your decision and reasons are in the decision record (F8 / F9 to export).")

        self.push_screen(TextPrompt(
            "Your decision and reasons", value=self.session.decision or "",
            hint="In your own words: the record keeps exactly what you write here.",
            placeholder="e.g. Reduced timetable for two weeks, because …"), done)

    def action_rename_session(self) -> None:
        if not self._idle("rename the session") or not self._has_turns("rename"):
            return

        def done(title: str | None) -> None:
            if title is None:
                return
            try:
                renamed = self.engine.store.rename(self.session.id, title)
            except Exception as exc:  # noqa: BLE001
                self._error(_error_text(exc))
                return
            self.session.title = renamed.title
            self.sub_title = renamed.title
            self.notify("Session renamed.")

        self.push_screen(TextPrompt("Rename session", value=self.session.title), done)

    def action_delete_session(self) -> None:
        if not self._idle("delete the session") or not self._has_turns("delete"):
            return

        async def done(yes: bool | None) -> None:
            if not yes:
                return
            self.engine.store.delete(self.session.id)
            self.notify(f"Deleted “{self.session.title}”.")
            self.session = None
            await self._show_current()

        self.push_screen(ConfirmScreen(f"Delete **{self.session.title}** and everything said in it? "
                                       "This cannot be undone.", yes="Delete", no="Keep",
                                       title="Delete session"), done)

    def action_show_error(self) -> None:
        if self.last_error is None:
            self.notify("No errors so far.")
        else:
            self.push_screen(TextScreen("Last error", self.last_error))

    def action_show_sent(self) -> None:
        sent = next((t.sent_to_model for t in reversed(self._view_session().turns) if t.sent_to_model), None)
        if sent is None:
            self.notify("Nothing has been sent to a language model in this session.")
        else:
            self.push_screen(TextScreen("What the language model saw (last reply)", sent))

    # --- the command palette -------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        commands = [
            ("Help and boundaries", "Keys, what the assistant never does, where things are (F1)", self.action_help),
            ("New session", "Start a new conversation (Ctrl+N)", self.action_new_session),
            ("Sessions", "Open, rename or delete past sessions (F2)", self.action_sessions),
            ("Search sessions", "Find past sessions by what was said",
             lambda: self.action_sessions(search=True)),
            ("Rename this session", "Give the current session a new title", self.action_rename_session),
            ("Delete this session", "Delete the current session, after you confirm", self.action_delete_session),
            ("Export decision record as Markdown", "Write a .md file (F8)", lambda: self.action_export("md")),
            ("Export decision record as Word", "Write a .docx file (F9)", lambda: self.action_export("docx")),
            ("Governance summary", "A neutral collation for governors, after you confirm (Ctrl+G)",
             self.action_governance),
            ("Record my decision", "Your decision and reasons, in your words, for the record (Ctrl+R)",
             self.action_record_decision),
            ("Copy last reply", "Copy the last reply to the clipboard (F6)", self.action_copy_reply),
            ("Go to sources", "The cards cited so far; Enter opens one (F5)", self.action_sources),
            ("Stop the reply", "Stop a streaming reply (Esc)", self.action_stop),
            ("Show last error", "Read and copy the last error message", self.action_show_error),
            ("Show what was sent to the model", "The text a language model saw for the last reply",
             self.action_show_sent),
        ]
        for mode in MODES:
            commands.append((f"Mode: {MODE_TITLES[mode]}", f"Switch to {mode} mode (F4 cycles)",
                             lambda mode=mode: self.action_set_mode(mode)))
        for citation in self._citations():
            commands.append((f"Open card: {citation.title}", citation.card_id,
                             lambda cid=citation.card_id: self.open_card(cid)))
        for title, help_text, callback in commands:
            yield SystemCommand(title, help_text, callback)
