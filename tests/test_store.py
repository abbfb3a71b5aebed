"""Sessions persist privately, upgrade their schema, and survive a killed process."""
from __future__ import annotations

import sqlite3
import stat
import subprocess
import sys
import textwrap

import pytest

from assistant.models import Turn
from assistant.store import MIGRATIONS, SessionStore
from knowledge.errors import ReflectError


def test_the_database_is_private_and_at_the_latest_schema(tmp_path):
    store = SessionStore(tmp_path / "s.sqlite3")
    assert stat.S_IMODE((tmp_path / "s.sqlite3").stat().st_mode) == 0o600
    assert store.version == len(MIGRATIONS)
    for lock in tmp_path.glob("s.sqlite3.*lock"):
        assert stat.S_IMODE(lock.stat().st_mode) & 0o077 == 0, lock


def test_an_old_database_is_upgraded_in_place_without_losing_sessions(tmp_path):
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0] + "PRAGMA user_version = 1;")
    db.execute("INSERT INTO sessions VALUES ('abc', 'Old one', 'live', '2026-01-01T00:00:00+00:00', "
               "'2026-01-01T00:00:00+00:00', '{\"id\": \"abc\", \"title\": \"Old one\"}')")
    db.commit()
    db.close()
    store = SessionStore(path)
    assert store.version == len(MIGRATIONS)
    assert [s.title for s in store.list()] == ["Old one"]


def test_a_newer_schema_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "new.sqlite3"
    sqlite3.connect(path).execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}").connection.close()
    with pytest.raises(ReflectError, match="newer version"):
        SessionStore(path)


def test_a_corrupt_database_is_a_clear_error(tmp_path):
    path = tmp_path / "bad.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(ReflectError, match="cannot be opened"):
        SessionStore(path)


def test_rename_delete_search_and_resume(tmp_path):
    store = SessionStore(tmp_path / "s.sqlite3")
    one = store.create(mode="live")
    store.append(one, Turn(role="user", text="Year 8 pupil with anxiety refusing the bus", mode="live"))
    two = store.create(mode="practice")
    store.append(two, Turn(role="user", text="A lunchtime restraint", mode="practice"))
    store.rename(one.id, "Bus refusal")
    assert [s.title for s in store.search("anxiety")] == ["Bus refusal"]
    assert store.get(one.id[:4]).turns[0].text.startswith("Year 8")
    store.delete(two.id)
    assert [s.id for s in store.list()] == [one.id]
    with pytest.raises(ReflectError):
        store.rename(one.id, "   ")


def test_a_turn_is_committed_the_moment_it_is_appended(tmp_path):
    """A process killed straight after appending loses nothing."""
    path = tmp_path / "s.sqlite3"
    script = textwrap.dedent(f"""
        import os
        from assistant.store import SessionStore
        from assistant.models import Turn
        store = SessionStore({str(path)!r})
        s = store.create(mode="live", title="Killed")
        store.append(s, Turn(role="user", text="shown before the crash", mode="live"))
        os._exit(9)
    """)
    assert subprocess.run([sys.executable, "-c", script]).returncode == 9
    session = SessionStore(path).list()[0]
    assert session.title == "Killed" and session.turns == 1


def test_a_deleted_session_leaves_no_text_in_the_file_or_its_log(tmp_path):
    """Even with another window holding the file open, and after many rewrites of the session."""
    canary = "Zebediah Quillfeather disclosed at lunch"
    path = tmp_path / "s.sqlite3"
    app = SessionStore(path)  # the app, open on the same file throughout
    cli = SessionStore(path)
    keep = cli.create(mode="live", title="Another pupil")
    cli.append(keep, Turn(role="user", text="an unrelated session", mode="live"))
    doomed = cli.create(mode="live", title=canary)
    for n in range(50):
        cli.append(doomed, Turn(role="user", text=f"{canary} ({n})", mode="live"))
        cli.set_fields(doomed, decision=f"{canary}: decision {n}")
    assert app.get(doomed.id).decision.startswith(canary)
    cli.delete(doomed.id)
    for file in tmp_path.iterdir():
        assert canary.encode() not in file.read_bytes(), file.name
    assert [s.id for s in app.list()] == [keep.id]


def test_the_case_record_is_kept_with_its_session_and_goes_with_it(tmp_path):
    from assistant.case_record import CaseRecord, Person

    store = SessionStore(tmp_path / "s.sqlite3")
    session = store.create(mode="live")
    assert store.get(session.id).case.empty()  # an old or new session starts with nothing heard
    session.case = CaseRecord(year_group="Year 8", plan="EHCP", people=[Person(role="mum", view="she is worried")])
    store.save_case(session)
    again = SessionStore(tmp_path / "s.sqlite3").get(session.id)
    assert again.case.plan == "EHCP" and again.case.people[0].view == "she is worried"
    store.delete(session.id)
    assert store._db.execute("SELECT COUNT(*) FROM case_records").fetchone()[0] == 0


def test_a_long_session_is_read_a_page_at_a_time_and_paged_back(tmp_path):
    path = tmp_path / "s.sqlite3"
    store = SessionStore(path)
    session = store.create(mode="live", title="Long")
    for n in range(25):
        store.append(session, Turn(role="user", text=f"message {n}", mode="live"))
    page = store.get(session.id, latest=10)
    assert [t.text for t in page.turns] == [f"message {n}" for n in range(15, 25)] and page.earlier == 15
    assert store.load_earlier(page, 10) == 10 and page.turns[0].text == "message 5" and page.earlier == 5
    other = SessionStore(path)  # another window adds a turn; the holder's page keeps its place and gains it
    other.append(other.get(session.id), Turn(role="user", text="from elsewhere", mode="live"))
    assert store.refresh(page) and page.earlier == 5 and page.turns[0].text == "message 5"
    assert page.turns[-1].text == "from elsewhere"
    assert store.load_earlier(page, 10) == 5 and page.earlier == 0 and page.turns[0].text == "message 0"
    assert store.load_earlier(page, 10) == 0
    assert [t.text for t in page.turns] == [t.text for t in store.get(session.id).turns]  # nothing twice


def test_a_partly_loaded_session_is_never_exported_as_if_whole(tmp_path):
    from assistant.engine import Engine
    from assistant.models import VerdictRecord
    from assistant.services import record_bytes

    engine = Engine(store=SessionStore(tmp_path / "s.sqlite3"))
    session = engine.new_session("live")
    allowed = VerdictRecord(action="allow", category="none")
    for n in range(5):
        engine.store.append(session, Turn(role="user", text=f"message {n}", mode="live", verdict=allowed))
    page = engine.session(session.id, latest=2)
    with pytest.raises(ReflectError, match="only the latest part of this session is loaded"):
        record_bytes(page, "md")
    assert "message 0" in record_bytes(engine.whole(page), "md").decode()
