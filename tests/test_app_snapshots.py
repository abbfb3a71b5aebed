"""Snapshot tests of the main screens (pytest-textual-snapshot).

Update the baselines with `pytest tests/test_app_snapshots.py --snapshot-update`
and look at the report before committing them. Everything on screen is made
deterministic: fixed paths, frozen clock and time zone, fixed session ids
(they seed the offline responder's phrasing), no cursor blink, no toasts.
"""
from __future__ import annotations

import datetime as dt
import itertools
import time
import types
import uuid

import pytest

from assistant.app.app import ReflectApp
from test_app_support import DISCLOSURE, EXCLUDE, SITUATION, app_env, make_app, make_engine, ready, send, until

__all__ = ["app_env"]
TERMINAL = (120, 40)
FROZEN = dt.datetime(2025, 3, 14, 15, 30, tzinfo=dt.timezone.utc)
PLACES = ("~/.config/reflect-assistant/config.toml", "~/.local/share/reflect-assistant", "~/Documents",
          "none: fully offline")


@pytest.fixture(autouse=True)
def steady(app_env, monkeypatch):
    monkeypatch.setattr(ReflectApp, "_places", lambda self: PLACES)
    monkeypatch.setattr("assistant.store.now", lambda: FROZEN)
    ids = itertools.count(1)  # session ids seed the composer's phrasing: fixed ids, fixed words
    monkeypatch.setattr("assistant.store.uuid", types.SimpleNamespace(uuid4=lambda: uuid.UUID(int=next(ids) << 120)))
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.delenv("TZ")
    time.tzset()


async def settle(pilot) -> None:
    await ready(pilot)
    await pilot.pause()
    app = pilot.app
    app.chat.prompt_input.cursor_blink = False
    app.clear_notifications()
    await pilot.pause()


def chat_with(*messages: str):
    async def run_before(pilot) -> None:
        await ready(pilot)
        for message in messages:
            await send(pilot, message)
        await settle(pilot)

    return run_before


def test_welcome_on_first_run(app_env, snap_compare):
    (app_env / "state.json").unlink()

    async def run_before(pilot):
        await settle(pilot)

    assert snap_compare(make_app(app_env), terminal_size=TERMINAL, run_before=run_before)


def test_empty_chat(app_env, snap_compare):
    assert snap_compare(make_app(app_env), terminal_size=TERMINAL, run_before=chat_with())


# 80×24: side panel hidden, one-line signposting; 120×40: the everyday window; 200×60: wide and tall.
SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)], ids=lambda s: f"{s[0]}x{s[1]}")


@SIZES
def test_reply_then_refusal(app_env, snap_compare, size):
    assert snap_compare(make_app(app_env), terminal_size=size, run_before=chat_with(SITUATION, EXCLUDE))


@SIZES
def test_escalation_pinned(app_env, snap_compare, size):
    assert snap_compare(make_app(app_env), terminal_size=size,
                        run_before=chat_with(DISCLOSURE, "Our DSL has it now. How do I support the class teacher?"))


def test_card_reader(app_env, snap_compare):
    async def run_before(pilot):
        await chat_with(SITUATION)(pilot)
        await pilot.press("f5", "enter")
        await until(pilot, lambda: pilot.app.screen.__class__.__name__ == "CardReader")
        await pilot.pause()
        pilot.app.clear_notifications()

    assert snap_compare(make_app(app_env), terminal_size=TERMINAL, run_before=run_before)


def test_sessions_list(app_env, snap_compare):
    engine = make_engine(app_env)
    engine.warm_up()
    engine.turn(engine.new_session("live"), SITUATION)
    engine.turn(engine.new_session("prep"), "Preparing a twilight session for middle leaders on adjustments.")
    engine.turn(engine.new_session("live"), DISCLOSURE)

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("f2")
        await until(pilot, lambda: pilot.app.screen.__class__.__name__ == "SessionsScreen")
        await pilot.pause()
        pilot.app.screen.query_one("#search").cursor_blink = False

    assert snap_compare(ReflectApp(engine=engine), terminal_size=TERMINAL, run_before=run_before)


def test_help(app_env, snap_compare):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("f1")
        await until(pilot, lambda: pilot.app.screen.__class__.__name__ == "HelpScreen")
        await pilot.pause()

    assert snap_compare(make_app(app_env), terminal_size=TERMINAL, run_before=run_before)


def test_governance_confirmation(app_env, snap_compare):
    async def run_before(pilot):
        await chat_with(SITUATION)(pilot)
        await pilot.press("ctrl+g")
        await until(pilot, lambda: pilot.app.screen.__class__.__name__ == "ConfirmScreen")
        await pilot.pause()

    assert snap_compare(make_app(app_env), terminal_size=TERMINAL, run_before=run_before)
