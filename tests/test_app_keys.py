"""One registry of actions: the README, the help screen, the footer and the palette agree with it;
typing in a search box is text, never a command; dialogs that edit text start from what is there."""
from __future__ import annotations

import re
from pathlib import Path

from textual.widgets import Input

from assistant.app.app import ReflectApp
from assistant.app.keymap import CHAT, SESSIONS, key_rows, palette, readme_table
from assistant.app.screens.dialogs import TextPrompt
from assistant.app.screens.help import HelpScreen
from assistant.app.screens.sessions import SessionsScreen
from test_app_support import SITUATION, SIZE, app_env, make_engine, make_app, ready, send, until

__all__ = ["app_env"]
README = Path(__file__).resolve().parent.parent / "README.md"


def test_the_readme_key_table_is_the_registry():
    text = README.read_text(encoding="utf-8")
    table = re.search(r"<!-- keys[^>]*-->\n(.*?)\n<!-- /keys -->", text, re.DOTALL)
    assert table, "README.md has lost its <!-- keys --> table"
    assert table.group(1) == readme_table(), "regenerate it with: python -m assistant.app.keymap"


def test_the_hint_under_what_ive_heard_names_the_key_that_corrects_it():
    from assistant.app.widgets.side_panel import heard
    from assistant.models import CaseRecord

    hint = str(heard(CaseRecord(year_group="Year 8"))).splitlines()[-1]
    correct = next(a for a in CHAT if a.action == "app.correct_case")
    assert hint.startswith(correct.label) and "correct" in hint


async def test_help_footer_and_palette_offer_every_registered_action(app_env):
    app = make_app(app_env)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await send(pilot, SITUATION)
        titles = {c.title: c.help for c in app.get_system_commands(app.screen)}
        for action in palette(CHAT):
            assert action.palette in titles
            if action.label:  # the palette names the key, so the two are learnt together
                assert action.label in titles[action.palette]
        declared = {**app._bindings.key_to_bindings, **app.chat._bindings.key_to_bindings}
        for action in CHAT:
            if action.key and action.action:
                assert [b.action for b in declared[action.key]] == [action.action]
        in_footer = {key for key, b in app.chat.active_bindings.items() if b.binding.show}
        # Every footer label is there, except "Stop reply", which shows only while a reply streams.
        assert in_footer == {a.key for a in CHAT if a.footer and a.action != "app.stop"}
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        for label, text in key_rows(CHAT) + key_rows(SESSIONS):
            assert f"| `{label}` | {text} |" in app.screen.text


async def test_palette_commands_run_the_same_action_as_their_key(app_env):
    app = make_app(app_env)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        commands = {c.title: c.callback for c in app.get_system_commands(app.screen)}
        commands["Help and boundaries"]()
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))


def seeded(app_env):
    engine = make_engine(app_env)
    engine.warm_up()
    session = engine.new_session("live")
    engine.turn(session, SITUATION)
    return engine, session


async def test_typing_a_search_in_the_sessions_list_never_triggers_its_letters(app_env):
    engine, session = seeded(app_env)
    app = ReflectApp(engine=engine)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, SessionsScreen))
        screen = app.screen
        await pilot.press(*"library")  # r would be Rename, d Delete, n New, if they were commands here
        await pilot.pause()
        assert app.screen is screen and screen.query_one("#search", Input).value == "library"
        await pilot.press("down")  # to the list: its letters act there; any other letter searches again
        assert screen.focused.id == "session-list"
        await pilot.press("x")
        assert screen.focused.id == "search" and screen.query_one("#search", Input).value == "libraryx"


async def test_rename_starts_from_the_current_title(app_env):
    engine, session = seeded(app_env)
    app = ReflectApp(engine=engine)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, SessionsScreen))
        await pilot.press("f2")  # rename the highlighted session
        await until(pilot, lambda: isinstance(app.screen, TextPrompt))
        box = app.screen.query_one(Input)
        assert box.value == session.title
        await pilot.press(*" (fire alarm)")  # typing adds to it rather than replacing it
        await pilot.press("enter")
        await pilot.pause()
        assert engine.store.get(session.id).title == session.title + " (fire alarm)"


async def test_the_decision_box_takes_several_lines(app_env):
    app = make_app(app_env)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await send(pilot, SITUATION)
        await pilot.press("ctrl+r")
        await until(pilot, lambda: isinstance(app.screen, TextPrompt))
        await pilot.press(*"Adjusted timetable for a week.", "shift+enter", *"Because his plan says so.")
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, TextPrompt))
        assert app.engine.session(app.session.id).decision == "Adjusted timetable for a week.\nBecause his plan says so."
