"""Errors show as notifications or copyable text, never a traceback; the prompt is kept."""
from __future__ import annotations

import sqlite3

from assistant.app.app import ReflectApp
from assistant.app.screens.dialogs import TextScreen
from assistant.app.widgets.chat_log import UserMessage
from knowledge.errors import ReflectError
from test_app_support import SITUATION, SIZE, app_env, idle, make_app, make_engine, notes, ready, until

__all__ = ["app_env"]


async def test_disk_full_keeps_the_prompt_and_says_what_happened(app_env, monkeypatch):
    app = make_app(app_env)

    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(app.engine.store, "append", full)
    async with app.run_test(size=SIZE) as pilot:
        seen = notes(app)
        await ready(pilot)
        app.chat.prompt_input.load_text(SITUATION)
        await pilot.press("enter")
        await idle(pilot)
        assert app.is_running and app.return_code is None
        assert app.chat.prompt_input.text == SITUATION  # kept, to send again
        assert not app.chat.chat_log.query(UserMessage)
        assert any("disk is full" in n and "not sent" in n for n in seen)
        assert "Traceback" not in "".join(seen)


async def test_an_unexpected_failure_is_named_not_a_traceback(app_env, monkeypatch):
    app = make_app(app_env)
    async with app.run_test(size=SIZE) as pilot:
        seen = notes(app)
        await ready(pilot)
        monkeypatch.setattr(app.engine, "turn", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom")))
        app.chat.prompt_input.load_text("hello")
        await pilot.press("enter")
        await idle(pilot)
        assert app.is_running and app.chat.prompt_input.text == "hello"
        assert any("RuntimeError: boom" in n for n in seen)

        await app.run_action("show_error")  # the error can be read and copied
        await pilot.pause()
        assert isinstance(app.screen, TextScreen) and "RuntimeError: boom" in app.screen.text
        await pilot.press("c")
        assert "RuntimeError: boom" in app.clipboard


async def test_a_broken_config_file_is_reported_and_the_app_runs_offline(app_env, monkeypatch):
    bad = app_env / "config.toml"
    bad.write_text("provider = [unclosed\n")
    monkeypatch.setenv("REFLECT_CONFIG_FILE", str(bad))
    monkeypatch.setattr("assistant.store.default_path", lambda: app_env / "default.sqlite3")
    app = ReflectApp(warm_up=False)
    async with app.run_test(size=SIZE) as pilot:
        seen = notes(app)
        await pilot.pause()
        assert app.engine is not None and app.engine.settings.provider == "none"
        assert str(bad) in app.last_error and "default settings" in app.last_error
        await pilot.press("f1")
        await pilot.pause()
        assert str(bad) in app.screen.text  # help shows where the config is
    assert not any("Traceback" in n for n in seen)


async def test_an_unreadable_index_is_reported(app_env):
    engine = make_engine(app_env)

    def broken(progress=None):
        raise ReflectError("the search index cannot be read (database disk image is malformed); run `reflect index`")

    engine.warm_up = broken
    app = ReflectApp(engine=engine)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.last_error is not None)
        assert "search index cannot be read" in app.last_error
        assert "Not fully loaded" in str(app.chat.query_one("#status").content)


async def test_an_unopenable_sessions_database_is_reported(app_env, monkeypatch):
    broken = app_env / "broken.sqlite3"
    broken.write_bytes(b"this is not a database" * 100)
    monkeypatch.setattr("assistant.store.default_path", lambda: broken)
    app = ReflectApp(warm_up=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.engine is None and str(broken) in app.last_error
        app.chat.prompt_input.load_text("hello")
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running and app.chat.prompt_input.text == "hello"


async def test_an_export_that_cannot_be_written_is_reported(app_env, monkeypatch):
    blocker = app_env / "not-a-folder"
    blocker.write_text("a file where the export folder should be")
    monkeypatch.setenv("REFLECT_EXPORT_DIR", str(blocker))
    app = make_app(app_env)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        from test_app_support import send

        await send(pilot, SITUATION)
        await pilot.press("f9")
        await until(pilot, lambda: app.last_error is not None, 20)
        assert "decision record was not written" in app.last_error
