"""What the keys and the command palette do: sessions, modes, sources, export,
governance summary, the leader's decision, copying. Mixed into ReflectApp;
each action asks the engine (or its store) and shows the answer.
"""
from __future__ import annotations

from textual import work

from assistant.models import MODES, Session
from assistant.record import MODE_TITLES
from knowledge.errors import ReflectError
from knowledge.safe_text import markdown_literal

from .errors import error_text
from .messages import ExportDone, ExportFailed
from .screens.dialogs import ConfirmScreen, TextPrompt, TextScreen
from .screens.help import HelpScreen
from .screens.reader import CardReader
from .screens.sessions import NEW, SessionsScreen
from .state import export_folder


class Actions:
    """Needs the app's engine, session, mode, chat and helpers (_error, _show_current, ...)."""

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
        from assistant.engine import PAGE_TURNS  # loaded with the engine; the app starts before it

        try:
            self.session = self.engine.session(session_id, latest=PAGE_TURNS)
        except Exception as exc:  # noqa: BLE001
            self._error(error_text(exc))
            return
        self.mode = self.session.mode
        await self._show_current()
        self.chat.prompt_input.focus()

    async def action_load_earlier(self) -> None:
        """A long session opens on its latest messages; this shows the page before those shown."""
        if self.session is None or not self.session.earlier:
            self.notify("The whole session is already shown.")
            return
        if not self._idle("load earlier messages"):
            return
        try:
            added = self.engine.load_earlier(self.session)
        except Exception as exc:  # noqa: BLE001
            self._error(error_text(exc))
            return
        await self.chat.show_earlier(self.session.turns[:added], self.session.earlier)
        self.chat.prompt_input.sent = [t.text for t in self.session.turns if t.role == "user"]

    def action_sessions(self, search: bool = False) -> None:
        if not self._idle("switch sessions"):
            return
        screen = SessionsScreen(self.engine, current=self.session.id if self.session else None)

        async def chosen(choice: str | None) -> None:
            current = self.session.id if self.session else None
            if choice == NEW:
                await self.action_new_session()
            elif choice is not None:
                await self.open_session(choice)
            elif current in screen.changed:  # renamed or deleted while the list was open
                from assistant.engine import PAGE_TURNS

                try:
                    self.session = self.engine.session(current, latest=PAGE_TURNS)
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
                self._error(error_text(exc))
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
        if not self.chat.side_shown:
            self.chat.toggle_side()  # on a narrow screen the panel comes over for the sources
        sources.focus()
        if sources.highlighted is None:
            sources.highlighted = 0

    def action_toggle_side(self) -> None:
        shown = self.chat.toggle_side()
        if not shown and self.focused is self.chat.query_one("#sources"):
            self.chat.prompt_input.focus()

    def action_toggle_signposting(self) -> None:
        """Ctrl+S: show the signposting in full, fold it back, or fold it once the user says the DSL has it."""
        pinned = self.chat.pinned
        if not pinned.display:
            self.notify("No safeguarding signposting in this session.")
            return
        if pinned.folded:
            pinned.add_class("-expanded")
            return
        if self.chat.has_class("-short") or pinned.has_class("-acknowledged"):
            pinned.remove_class("-expanded")
            return

        def answered(yes: bool | None) -> None:
            if yes and self.session is not None:
                self._dsl_has_it.add(self.session.id)
                pinned.add_class("-acknowledged")
                pinned.remove_class("-expanded")
                self.notify("Folded to one line: 999 and the DSL stay in view. Ctrl+S shows it all again.")

        self.push_screen(ConfirmScreen(
            "Has this concern gone to your **DSL** (or their deputy), or to 999 or the LADO where that applies? "
            "The signposting then folds to one line at the top; it stays for the rest of the session.",
            yes="Yes, fold it", no="Keep it open", title="Safeguarding signposting"), answered)

    def open_card(self, card_id: str) -> None:
        citation = next((c for c in self._citations() if c.card_id == card_id), None)
        if citation is None:
            return
        try:
            self.push_screen(CardReader(citation), lambda _: self.action_focus_prompt())
        except Exception as exc:  # noqa: BLE001 - a broken card file is named, not a traceback
            self._error(error_text(exc))

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
        from assistant.services import export_record

        try:
            folder = export_folder()  # made private (0700) when the app creates it
            # the whole session (one opened on its latest page is read in full), to a new file named by its id
            path = export_record(self.engine.whole(session), fmt=fmt, folder=folder)
        except BaseException as exc:  # noqa: BLE001
            self.post_message(ExportFailed(error_text(exc)))
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
                self._error(error_text(exc))
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
                self._error(error_text(exc))
                return
            self.notify("Your decision and reasons are in the decision record (F8 / F9 to export).")

        self.push_screen(TextPrompt(
            "Your decision and reasons", value=self.session.decision or "",
            hint="In your own words: the record keeps exactly what you write here.",
            placeholder="e.g. Reduced timetable for two weeks, because …", multiline=True), done)

    def action_correct_case(self) -> None:
        """Put right one line of "What I've heard", e.g. `plan: SEN support` or `year_group: Year 9`."""
        from assistant.case_record import FIELDS

        if not self._idle("correct what I've heard") or not self._has_turns("correct"):
            return

        def done(text: str | None) -> None:
            if not text:
                return
            field, _, value = text.partition(":")
            try:
                self.engine.correct_case(self.session, field.strip().lower().replace(" ", "_"), value)
            except Exception as exc:  # noqa: BLE001
                self._error(error_text(exc))
                return
            self._refresh_side()
            self.notify("Corrected; I'll keep it as you set it.")

        self.push_screen(TextPrompt(
            "Correct what I've heard", placeholder="plan: SEN support",
            hint="field: value, where field is one of " + ", ".join(FIELDS)), done)

    def action_rename_session(self) -> None:
        if not self._idle("rename the session") or not self._has_turns("rename"):
            return

        def done(title: str | None) -> None:
            if title is None:
                return
            try:
                renamed = self.engine.rename_session(self.session.id, title)
            except Exception as exc:  # noqa: BLE001
                self._error(error_text(exc))
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
            try:
                self.engine.delete_session(self.session.id)
            except Exception as exc:  # noqa: BLE001
                self._error(error_text(exc))
                return
            self.notify(f"Deleted “{self.session.title}”.", markup=False)
            self.session = None
            await self._show_current()

        self.push_screen(ConfirmScreen(f"Delete **{markdown_literal(self.session.title)}** and everything said in it? "
                                       "This cannot be undone.", yes="Delete", no="Keep",
                                       title="Delete session", destructive=True), done)

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

