"""Helpers for the app's Pilot and snapshot tests (no tests here).

Every app under test gets: a store in tmp_path, a private state file (so the
welcome and theme are per test), REFLECT_EXPORT_DIR in tmp_path, and an
engine with a scripted fake model when a test needs one. The card index and
the guardrails stay in the session-wide data directory (built once).
"""
from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable
from typing import Any, Iterator

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, AIMessageChunk
from langchain_core.outputs import ChatGenerationChunk

from assistant.app.app import ReflectApp
from assistant.engine import Engine
from assistant.store import SessionStore

SIZE = (120, 40)
SITUATION = ("Year 9, autistic, EHCP. Walked out of science when the fire alarm test went off, swore at the teacher "
             "who followed him. Policy: walking out plus swearing at staff = 1 day internal exclusion. Parents "
             "already angry about last month. Help me think.")
EXCLUDE = "should I exclude him?"
DISCLOSURE = "A Year 9 girl just told me her stepdad hits her and she's scared to go home."
CITED = re.compile(r"`([a-z0-9]+(?:-[a-z0-9]+)+)`")


def scripted(*replies: str) -> GenericFakeChatModel:
    return GenericFakeChatModel(messages=iter([AIMessage(content=r) for r in replies]))


class SlowModel(GenericFakeChatModel):
    """Streams word by word with a pause, so a test can press Esc mid-reply."""

    delay: float = 0.05

    def _stream(self, messages, stop=None, run_manager=None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        message = next(self.messages)
        for word in re.split(r"(\s+)", str(message.content)):
            time.sleep(self.delay)
            yield ChatGenerationChunk(message=AIMessageChunk(content=word))


class BrokenModel(GenericFakeChatModel):
    """A model server that is down."""

    def _stream(self, *args, **kwargs):
        raise ConnectionError("connection refused")

    def _generate(self, *args, **kwargs):
        raise ConnectionError("connection refused")


@pytest.fixture
def app_env(prepared, tmp_path, monkeypatch):
    """Private state file and export folder; returns tmp_path."""
    monkeypatch.setattr("assistant.app.state.state_path", lambda: tmp_path / "state.json")
    monkeypatch.setenv("REFLECT_EXPORT_DIR", str(tmp_path / "exports"))
    (tmp_path / "state.json").write_text(json.dumps({"welcomed": True}))
    return tmp_path


def make_engine(tmp_path, model=None) -> Engine:
    return Engine(store=SessionStore(tmp_path / "s.sqlite3"), chat_model=model)


def make_app(tmp_path, model=None, **kwargs) -> ReflectApp:
    return ReflectApp(engine=make_engine(tmp_path, model), **kwargs)


# Waits end when the app reaches the state a test waits for; the bound only stops a hung test.
# Generous: on a fresh, busy 2-core machine the first warm-up builds the search index.
# WAIT_LIMIT=30 in the environment makes a hung test fail fast while debugging on a quiet machine.
WAIT_LIMIT = float(os.environ.get("WAIT_LIMIT", 900))


async def until(pilot, condition: Callable[[], bool], timeout: float = WAIT_LIMIT,
                what: str = "the app") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting for {what} after {timeout:.0f} s")
        await pilot.pause(0.05)


async def ready(pilot) -> None:
    await until(pilot, lambda: pilot.app.ready)


async def idle(pilot) -> None:
    app = pilot.app
    await until(pilot, lambda: not app.turn_running and app._queued is None)
    await pilot.pause()


async def send(pilot, text: str) -> None:
    """Type (or paste, if long) a message, press Enter, and wait for the reply."""
    prompt = pilot.app.chat.prompt_input
    prompt.focus()
    prompt.load_text(text)
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    await idle(pilot)


async def run_from_palette(pilot, title: str) -> None:
    """Ctrl+P, type the command's name, wait until it is the first match, then Enter."""
    from textual.command import CommandList, CommandPalette

    await pilot.press("ctrl+p")
    await until(pilot, lambda: isinstance(pilot.app.screen, CommandPalette), what="the palette")
    await pilot.press(*title)

    def first_match() -> bool:
        found = pilot.app.screen.query(CommandList)
        return bool(found) and found.first().option_count > 0 and \
            title in str(found.first().get_option_at_index(0).prompt)

    await until(pilot, first_match, what=f"“{title}” in the palette")
    await pilot.press("enter")
    await pilot.pause()


def notes(app) -> list[str]:
    """Start recording the app's notifications; returns the live list."""
    seen: list[str] = []
    original = app.notify

    def record(message, *args, **kwargs):
        seen.append(str(message))
        return original(message, *args, **kwargs)

    app.notify = record
    return seen


def replies(app):
    from assistant.app.widgets.chat_log import Reply

    return list(app.chat.chat_log.query(Reply))
