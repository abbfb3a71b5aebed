"""Two processes on one session never lose a field or interleave turns; a holder notices changes.

Each writer holds a copy read once at the start, as the app does while a
session is open, and keeps writing through it.
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from assistant.models import Turn
from assistant.store import SessionStore

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = 150


def run_together(*scripts: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", textwrap.dedent(s)], env=env, stderr=subprocess.PIPE, text=True)
             for s in scripts]
    for proc in procs:
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err


def test_two_processes_writing_one_session_lose_nothing(tmp_path):
    path = tmp_path / "s.sqlite3"
    session = SessionStore(path).create(mode="live", title="Shared")
    writer = """
        from assistant.models import Turn
        from assistant.store import SessionStore
        store = SessionStore({path!r})
        held = store.get({sid!r})  # read once: a stale copy from here on
        for i in range({rounds}):
            store.append(held, Turn(role="user", text="{who} " + str(i), mode="live"))
            store.set_fields(held, {field}="{who} " + str(i))
    """
    run_together(
        writer.format(path=str(path), sid=session.id, rounds=ROUNDS, who="cli", field="decision"),
        writer.format(path=str(path), sid=session.id, rounds=ROUNDS, who="app", field="pinned"),
    )
    stored = SessionStore(path).get(session.id)
    assert stored.decision == f"cli {ROUNDS - 1}"  # the last decision recorded, never an older one
    assert stored.pinned == f"app {ROUNDS - 1}"  # and the other process's field is still there
    texts = [t.text for t in stored.turns]
    assert sorted(texts) == sorted([f"cli {i}" for i in range(ROUNDS)] + [f"app {i}" for i in range(ROUNDS)])
    assert stored.title == "Shared"


def test_a_stale_copy_never_wipes_a_decision_or_an_escalation(tmp_path):
    store = SessionStore(tmp_path / "s.sqlite3")
    app_copy = store.create(mode="live")
    cli = SessionStore(tmp_path / "s.sqlite3")
    cli_copy = cli.get(app_copy.id)
    cli.set_fields(cli_copy, decision="Reduced timetable, because ...", pinned="Speak to your DSL today.")
    store.append(app_copy, Turn(role="user", text="the app's next message", mode="live"))
    store.set_fields(app_copy, mode="practice")
    stored = store.get(app_copy.id)
    assert stored.decision == "Reduced timetable, because ..." and stored.pinned == "Speak to your DSL today."
    assert [s.pinned for s in store.list()] == [True]


def test_a_holder_notices_a_change_made_elsewhere_and_not_its_own(tmp_path):
    store = SessionStore(tmp_path / "s.sqlite3")
    held = store.create(mode="live")
    store.append(held, Turn(role="user", text="mine", mode="live"))
    assert store.refresh(held) is False  # our own write is not news
    other = SessionStore(tmp_path / "s.sqlite3")
    other.append(other.get(held.id), Turn(role="user", text="from the command line", mode="live"))
    assert store.refresh(held) is True
    assert [t.text for t in held.turns] == ["mine", "from the command line"]


ENGINE_ROUNDS = 6
ENGINE_WRITER = """
    import sys
    from assistant.engine import Engine
    engine = Engine()
    held = engine.session({sid!r})  # the app's copy, held while the other process writes
    for i in range({rounds}):
        engine.turn(held, "{who} round " + str(i) + ": the pupil was removed from maths again after shouting.")
        engine.record_decision(held, "{who} decision " + str(i))
    if {escalate}:
        engine.turn(held, "A Year 4 boy told his TA that his dad locks him in the shed when he is naughty.")
"""


def test_two_engines_taking_turns_in_one_session_never_interleave_or_lose_fields(tmp_path, monkeypatch):
    from assistant.engine import Engine
    from knowledge.index import ensure_index

    ensure_index()  # built once here, so neither process builds it
    monkeypatch.setenv("REFLECT_DATA_DIR", os.environ["REFLECT_DATA_DIR"])
    # the two processes find the sessions file where a user's would be, so this process must too
    monkeypatch.setattr("assistant.store.default_path",
                        lambda: Path(os.environ["REFLECT_DATA_DIR"]) / "sessions.sqlite3")
    session = Engine().new_session("live")
    run_together(
        ENGINE_WRITER.format(sid=session.id, rounds=ENGINE_ROUNDS, who="cli", escalate=True),
        ENGINE_WRITER.format(sid=session.id, rounds=ENGINE_ROUNDS, who="app", escalate=False),
    )
    stored = Engine().session(session.id)
    roles = [t.role for t in stored.turns]
    assert roles == ["user", "assistant"] * (len(roles) // 2)  # each reply follows its own message
    assert len(roles) == 2 * (2 * ENGINE_ROUNDS + 1)
    assert stored.pinned and "DSL" in stored.pinned  # the escalation survives the other writer
    assert stored.decision in (f"cli decision {ENGINE_ROUNDS - 1}", f"app decision {ENGINE_ROUNDS - 1}")
    Engine().delete_session(session.id)


async def test_the_app_shows_a_turn_added_from_the_command_line(tmp_path):
    from assistant.app.widgets.chat_log import UserMessage
    from test_app_support import make_app, ready, until

    app = make_app(tmp_path)
    session = app.engine.store.create(title="Open in the app")
    app.engine.store.append(session, Turn(role="user", text="typed in the app", mode="live"))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await app.open_session(session.id)
        cli = SessionStore(app.engine.store.path)
        cli.append(cli.get(session.id), Turn(role="user", text="typed on the command line", mode="live"))
        cli.set_fields(cli.get(session.id), decision="Recorded from the command line")
        await until(pilot, lambda: any(m.full_text == "typed on the command line"
                                       for m in app.chat.chat_log.query(UserMessage)), 120)
        assert app.session.decision == "Recorded from the command line"
