"""Sessions, export, the command palette, help, first run and the remembered theme."""
from __future__ import annotations

import json

from textual.widgets import Footer, Input

from assistant.app.app import ReflectApp
from assistant.app.screens.dialogs import ConfirmScreen, TextPrompt
from assistant.app.screens.help import HelpScreen
from assistant.app.screens.sessions import SessionsScreen
from assistant.app.screens.welcome import WelcomeScreen
from assistant.app.widgets.chat_log import UserMessage
from test_app_support import (
    SITUATION, SIZE, app_env, idle, make_app, make_engine, notes, ready, run_from_palette, send, until,
)

__all__ = ["app_env"]
PREP = "Preparing a twilight session for middle leaders on reasonable adjustments."


def seeded_engine(tmp_path):
    """Two past sessions, made through the engine as the app would."""
    engine = make_engine(tmp_path)
    engine.warm_up()
    first = engine.new_session("live")
    engine.turn(first, SITUATION)
    second = engine.new_session("prep")
    engine.turn(second, PREP)
    return engine, first, second


def listed(screen: SessionsScreen) -> list[str]:
    options = screen.query_one("#session-list")
    return [options.get_option_at_index(i).id for i in range(options.option_count)]


async def test_sessions_search_rename_delete_and_resume(app_env):
    engine, first, second = seeded_engine(app_env)
    app = ReflectApp(engine=engine)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("f2")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionsScreen)
        assert listed(screen) == [second.id, first.id]  # most recent first

        assert screen.focused.id == "search"  # typing searches straight away
        await pilot.press(*"fire alarm")  # search past sessions by what was said
        await pilot.pause()
        assert listed(screen) == [first.id]
        await pilot.press("enter")  # from the search box to the list
        assert screen.focused.id == "session-list"

        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        app.screen.query_one(Input).value = "Fire alarm walk-out"
        await pilot.press("enter")
        await pilot.pause()
        assert engine.store.get(first.id).title == "Fire alarm walk-out"

        screen.query_one("#search", Input).value = ""
        await pilot.pause()
        assert set(listed(screen)) == {first.id, second.id}
        screen.query_one("#session-list").highlighted = listed(screen).index(second.id)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keep it
        await pilot.pause()
        assert len(engine.store.list()) == 2
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert [s.id for s in engine.store.list()] == [first.id]

        await pilot.press("enter")  # resume where we left off
        await pilot.pause()
        assert not isinstance(app.screen, SessionsScreen)
        assert app.session.id == first.id and app.sub_title == "Fire alarm walk-out"
        assert [m.full_text for m in app.chat.chat_log.query(UserMessage)] == [SITUATION]
        assert app.chat.query_one("#sources").option_count >= 1
        await pilot.press("up")
        assert app.chat.prompt_input.text == SITUATION
        await pilot.press("down")
        await send(pilot, "He has a sensory profile in his plan.")
        assert len(engine.store.get(first.id).turns) == 4  # the conversation went on


async def test_new_session_from_the_sessions_list_and_by_key(app_env):
    app = make_app(app_env)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await send(pilot, SITUATION)
        first = app.session.id
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.session is None and not app.chat.chat_log.query(UserMessage)
        await send(pilot, PREP)
        assert app.session.id != first
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.session is None


async def test_rename_and_delete_the_current_session_from_the_palette_commands(app_env):
    app = make_app(app_env)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await send(pilot, SITUATION)
        session_id = app.session.id
        app.action_rename_session()
        await pilot.pause()
        app.screen.query_one(Input).value = "Walk-out"
        await pilot.press("enter")
        await pilot.pause()
        assert app.engine.store.get(session_id).title == "Walk-out" and app.sub_title == "Walk-out"
        app.action_delete_session()
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.engine.store.list() == [] and app.session is None


async def test_export_markdown_and_word_by_key_and_from_the_palette(app_env):
    app = make_app(app_env)
    exports = app_env / "exports"
    async with app.run_test(size=SIZE) as pilot:
        seen = notes(app)
        await ready(pilot)
        await pilot.press("f8")
        assert any("Nothing to export yet" in n for n in seen)
        await send(pilot, SITUATION)
        await pilot.press("f8")
        await until(pilot, lambda: list(exports.glob("*.md")))
        md = next(exports.glob("*.md"))
        await until(pilot, lambda: any(str(md) in n for n in seen))  # says where it was written
        assert SITUATION in md.read_text()
        await pilot.press("f9")
        await until(pilot, lambda: list(exports.glob("*.docx")))
        docx = next(exports.glob("*.docx"))
        docx.unlink()

        await run_from_palette(pilot, "Export decision record as Word")
        await until(pilot, lambda: list(exports.glob("*.docx")))
        from docx import Document

        assert any(SITUATION[:40] in p.text for p in Document(str(docx)).paragraphs)


async def test_every_action_is_in_the_command_palette_and_footer(app_env):
    app = make_app(app_env)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await send(pilot, SITUATION)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        for title in [
            "Help and boundaries", "New session", "Sessions", "Search sessions", "Rename this session",
            "Delete this session", "Export decision record as Markdown", "Export decision record as Word",
            "Governance summary", "Record my decision", "Copy last reply", "Go to sources", "Stop the reply",
            "Show last error", "Mode: Live situation", "Mode: Reflective practice", "Mode: Session preparation",
            "Theme", "Quit",
        ]:
            assert title in titles
        assert any(t.startswith("Open card: ") for t in titles)
        assert app.chat.query_one(Footer)
        shown = {key for key, b in app.chat.active_bindings.items() if b.binding.show}
        assert {"f1", "f2", "ctrl+n", "f4", "f5", "f6", "f8", "f9", "ctrl+g", "ctrl+r", "ctrl+q"} <= shown

        await run_from_palette(pilot, "Search sessions")
        await until(pilot, lambda: isinstance(app.screen, SessionsScreen))
        await pilot.pause()
        assert app.screen.focused.id == "search"


async def test_help_states_the_boundaries_and_the_config_path(app_env):
    from assistant.config import config_path

    app = make_app(app_env)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.text
        for needle in ["never", "999", "LADO", "Designated Safeguarding Lead", str(config_path()), "reflect config",
                       "Enter", "Ctrl+P"]:
            assert needle in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_first_run_welcome_says_what_it_does_never_does_and_where_data_lives(app_env):
    from knowledge.storage import data_dir

    (app_env / "state.json").unlink()
    app = make_app(app_env)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, WelcomeScreen))
        text = app.screen.text
        assert "never decides" in text and str(data_dir()) in text
        assert "Nothing leaves this machine unless you configure a remote language model" in " ".join(text.split())
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, WelcomeScreen)
        assert app.focused is app.chat.prompt_input
    assert json.loads((app_env / "state.json").read_text())["welcomed"] is True
    again = make_app(app_env)
    async with again.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: again.first_paint is not None)  # the welcome would be pushed by now
        await pilot.pause()
        assert not isinstance(again.screen, WelcomeScreen)


async def test_typing_on_the_welcome_starts_the_message(app_env):
    (app_env / "state.json").unlink()
    app = make_app(app_env)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, WelcomeScreen))
        await pilot.press("Y", "e", "s")
        await pilot.pause()
        assert not isinstance(app.screen, WelcomeScreen)
        assert app.chat.prompt_input.text == "Yes"


async def test_theme_choice_is_remembered(app_env):
    app = make_app(app_env)
    async with app.run_test(size=SIZE) as pilot:
        app.theme = "nord"
        await pilot.pause()
    assert json.loads((app_env / "state.json").read_text())["theme"] == "nord"
    again = make_app(app_env)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.theme == "nord"


async def test_no_textual_outside_the_app_package():
    import subprocess
    import sys

    code = ("import sys, assistant.engine, assistant.cli, assistant.store, assistant.export; "
            "print('textual' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_run_app_is_the_cli_entry(monkeypatch):
    from assistant import cli

    monkeypatch.setattr(ReflectApp, "run", lambda self: None)
    assert cli.main([]) == 0
