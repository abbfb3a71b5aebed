"""Hostile text is shown as text, and every failure a school meets is a message, not a traceback."""
from __future__ import annotations

import errno
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.models import Turn
from assistant.store import SessionStore
from engine_helpers import model_engine, scripted
from test_app_support import app_env  # noqa: F401  (a fixture)
from knowledge.safe_text import markdown_literal, one_line, safe_text

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = "Fine\x1b]52;c;ZXZpbA==\x07 reply\x1b[2J\x1b[H with \u202eevil\u202c \x9b31m bytes\r\x07"
SITUATION = "A Year 8 pupil walked out of science after a fire alarm test. I want to think it through."


def test_escape_sequences_and_bidi_overrides_are_removed_and_text_kept():
    cleaned = safe_text(HOSTILE)
    assert "\x1b" not in cleaned and "\x9b" not in cleaned and "\u202e" not in cleaned and "\x07" not in cleaned
    assert "52;c" not in cleaned and "[2J" not in cleaned
    assert cleaned.startswith("Fine reply with evil") and "Ünïcödé, emoji 🙂\nnew line" == safe_text(
        "Ünïcödé, emoji 🙂\r\nnew line")
    assert one_line("a\n  b " * 100).startswith("a b a b") and len(one_line("x" * 500)) == 120
    assert markdown_literal("[@click=app.quit]Jake[/] **x**") == r"\[@click=app\.quit\]Jake\[/\] \*\*x\*\*"


def test_a_model_reply_with_escape_codes_is_shown_and_stored_clean(tmp_path):
    reply = "Let us start with needs. \x1b]52;c;cGFzdGU=\x07What happened first?\x1b[2J [`behaviour-as-communication-and-trauma`]"
    engine = model_engine(tmp_path, scripted(reply))
    session = engine.new_session("live")
    pieces: list[str] = []
    result = engine.turn(session, SITUATION, on_chunk=pieces.append)
    for text in [*pieces, result.reply, engine.session(session.id).turns[-1].text]:
        assert "\x1b" not in text and "\x07" not in text and "52;c" not in text
    assert "What happened first?" in result.reply


def private_sessions(tmp_path, monkeypatch) -> SessionStore:
    monkeypatch.setenv("REFLECT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    return SessionStore()


def test_titles_are_capped_single_safe_lines(tmp_path, monkeypatch, capsys):
    store = private_sessions(tmp_path, monkeypatch)
    session = store.create(title="Jake\x1b[2J [/] " + "long " * 100)
    assert session.title.startswith("Jake [/] long") and len(session.title) <= 120
    assert main(["sessions"]) == 0
    assert "\x1b" not in capsys.readouterr().out


def test_exports_are_private_never_overwritten_and_named_without_the_pupil(tmp_path, monkeypatch, capsys):
    store = private_sessions(tmp_path, monkeypatch)
    session = store.create(title="Jake Smith\x1b[31m walked out")
    store.append(session, Turn(role="user", text="Jake\x1b]52;c;eA==\x07 walked out \x01of maths.", mode="live"))
    assert main(["export", session.id, "--format", "docx"]) == 0
    written = list(tmp_path.glob("decision-record-*.docx"))
    assert len(written) == 1 and "jake" not in written[0].name.lower()  # named by session id
    assert stat.S_IMODE(written[0].stat().st_mode) == 0o600
    out = tmp_path / "record.md"
    assert main(["export", session.id, "-o", str(out)]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600 and "\x1b" not in out.read_text()
    out.write_text("the head's own notes")
    capsys.readouterr()
    assert main(["export", session.id, "-o", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err and out.read_text() == "the head's own notes"
    assert main(["export", session.id, "-o", str(out), "--force"]) == 0 and "walked out" in out.read_text()


def test_an_export_into_a_missing_folder_is_a_message(tmp_path, monkeypatch, capsys):
    session = private_sessions(tmp_path, monkeypatch).create(title="t")
    assert main(["export", session.id, "--governance", "--confirm", "-o", str(tmp_path / "nope" / "g.md")]) == 2
    assert "no such folder" in capsys.readouterr().err


def test_a_full_disk_is_a_message_and_leaves_no_half_file(tmp_path, monkeypatch, capsys):
    session = private_sessions(tmp_path, monkeypatch).create(title="t")
    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, fd, *args):
            self.handle = real_fdopen(fd, *args)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("assistant.output_files.os.fdopen", FullDisk)
    assert main(["export", session.id, "-o", str(tmp_path / "r.md")]) == 2
    assert "disk is full" in capsys.readouterr().err and not (tmp_path / "r.md").exists()


@pytest.mark.parametrize("failure, words", [
    ("attempt to write a readonly database", "cannot be written"),
    ("database or disk is full", "disk"),
    ("database disk image is malformed", "damaged"),
])
def test_sessions_database_failures_are_messages_with_a_next_step(tmp_path, monkeypatch, capsys, failure, words):
    private_sessions(tmp_path, monkeypatch)

    def broken(self, *args, **kwargs):
        raise sqlite3.DatabaseError(failure)

    monkeypatch.setattr(SessionStore, "_session_from", broken)
    SessionStore().create(title="x")
    assert main(["sessions"]) == 2
    assert words in capsys.readouterr().err


def test_a_corrupt_page_in_the_sessions_file_is_a_message(tmp_path, monkeypatch, capsys):
    store = private_sessions(tmp_path, monkeypatch)
    for n in range(40):
        session = store.create(title=f"session {n}")
        store.append(session, Turn(role="user", text="words " * 200, mode="live"))
    store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    path = tmp_path / "data" / "sessions.sqlite3"
    data = bytearray(path.read_bytes())
    page = 4096
    data[page * 5: page * 5 + 200] = b"\xff" * 200  # a damaged page in the middle of the file
    path.write_bytes(bytes(data))
    for args in (["sessions", "--search", "words"], ["export", session.id, "-o", str(tmp_path / "r.md")]):
        code = main(args)
        err = capsys.readouterr().err
        assert code == 2 and "damaged" in err and "Traceback" not in err


def _obey_file_permissions() -> None:
    """Run in the child before exec: as root, give up the capabilities that let root write into a
    read-only folder (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), so the child meets the folder as any
    user would. Dropped from the bounding set: a root process regains everything else across exec."""
    import ctypes

    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "cannot drop root's override of file permissions")


def _cli_obeying_permissions(tmp_path, data: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "REFLECT_DATA_DIR": str(data), "HOME": str(tmp_path)}
    try:
        return subprocess.run([sys.executable, "-m", "assistant.cli", *args], env=env, cwd=tmp_path,
                              capture_output=True, text=True, timeout=300, preexec_fn=_obey_file_permissions)
    except subprocess.SubprocessError as exc:  # raised for any failure in preexec_fn
        if "preexec_fn" in str(exc):
            pytest.skip("this root process may not drop its capabilities (no CAP_SETPCAP)")
        raise


def test_a_read_only_data_folder_is_a_message(tmp_path):
    """A real read-only folder, for root too (root runs the command without its permission override)."""
    data = tmp_path / "data"
    store = SessionStore(data / "sessions.sqlite3")
    session = store.create(title="Kept")
    store.append(session, Turn(role="user", text="A pupil walked out of science.", mode="live"))
    store.close()
    data.chmod(0o500)
    probe = _cli_obeying_permissions(tmp_path, tmp_path / "probe", "--help")
    assert probe.returncode == 0, probe.stderr
    try:
        for args in (["sessions"], ["sessions", "--search", "pupil"], ["case", session.id, "--set", "plan=EHCP"],
                     ["export", session.id, "-o", str(tmp_path / "record.md")],
                     ["ask", "--session", session.id, "What should I ask the family?"]):
            result = _cli_obeying_permissions(tmp_path, data, *args)
            assert result.returncode == 2 and "Traceback" not in result.stderr, (args, result.stderr)
            assert "cannot be written" in result.stderr and "REFLECT_DATA_DIR" in result.stderr, (args, result.stderr)
        assert stat.S_IMODE(data.stat().st_mode) == 0o500  # left read-only, as its owner made it
        fresh = _cli_obeying_permissions(tmp_path, data / "new", "sessions")  # a data folder it cannot create
        assert fresh.returncode == 2 and "cannot be written" in fresh.stderr and "Traceback" not in fresh.stderr
    finally:
        data.chmod(0o700)
    assert [t.text for t in SessionStore(data / "sessions.sqlite3").get(session.id).turns] == [
        "A pupil walked out of science."]  # nothing lost


def test_a_data_folder_path_through_a_file_is_a_message(tmp_path, monkeypatch, capsys):
    (tmp_path / "reflect").write_text("a file where a folder should be")
    monkeypatch.setenv("REFLECT_DATA_DIR", str(tmp_path / "reflect" / "data"))
    assert main(["sessions"]) == 2
    err = capsys.readouterr().err
    assert "is a file, not a folder" in err and "REFLECT_DATA_DIR" in err


def test_a_read_only_file_system_under_the_sessions_file_is_a_message(tmp_path, monkeypatch, capsys):
    """SQLite's own answer on a read-only mount (the file opened read-only), at every write the store makes."""
    store = private_sessions(tmp_path, monkeypatch)
    session = store.create(title="Kept")
    store.close()
    connect = sqlite3.connect

    def read_only(path, *args, **kwargs):
        return connect(f"file:{path}?mode=ro", *args, uri=True, **kwargs)

    monkeypatch.setattr("assistant.store.sqlite3.connect", read_only)
    assert main(["sessions"]) == 0 and "Kept" in capsys.readouterr().out  # reading still works
    for args in (["case", session.id, "--set", "plan=EHCP"], ["ask", "--session", session.id, "What should I ask the family?"]):
        code = main(args)
        err = capsys.readouterr().err
        assert code == 2 and "cannot be written" in err and "REFLECT_DATA_DIR" in err, (args, err)


def test_listing_into_a_closed_pipe_is_quiet(tmp_path):
    data = tmp_path / "data"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "REFLECT_DATA_DIR": str(data)}
    store = SessionStore(data / "sessions.sqlite3")
    for n in range(3000):
        store.create(title=f"session {n}")
    result = subprocess.run(f"{sys.executable} -m assistant.cli sessions | head -1", shell=True, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.stdout.count("\n") == 1 and "Traceback" not in result.stderr and "Error" not in result.stderr


async def test_markup_in_a_title_is_shown_as_text_when_the_session_is_deleted(tmp_path, monkeypatch):
    from test_app_support import make_app, notes, ready

    monkeypatch.setenv("REFLECT_EXPORT_DIR", str(tmp_path / "exports"))
    app = make_app(tmp_path)
    session = app.engine.store.create(title="[@click=app.quit]Jake[/] [/]")
    app.engine.store.append(session, Turn(role="user", text="hello", mode="live"))
    async with app.run_test(size=(120, 40)) as pilot:
        seen = notes(app)
        await ready(pilot)
        await app.open_session(session.id)
        app.action_delete_session()
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.is_running and app.session is None
        assert any("[@click=app.quit]Jake[/]" in n for n in seen)  # shown literally, not obeyed


async def test_a_long_session_opens_as_its_latest_page_and_pages_back_on_request(app_env):
    from assistant.app.screens.chat import EarlierNotice
    from assistant.app.widgets.chat_log import Reply, UserMessage
    from assistant.engine import PAGE_TURNS
    from assistant.models import VerdictRecord
    from test_app_support import make_app, ready

    app = make_app(app_env)
    session = app.engine.store.create(title="Long")
    allowed = VerdictRecord(action="allow", category="none")
    for n in range(2000):
        user = n % 2 == 0
        app.engine.store.append(session, Turn(role="user" if user else "assistant", text=f"message {n}",
                                              mode="live", verdict=allowed if user else None))

    def shown() -> list[str]:
        log = app.chat.chat_log
        return [w.full_text if isinstance(w, UserMessage) else w.final_text
                for w in log.children if isinstance(w, (UserMessage, Reply))]

    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await app.open_session(session.id)
        await pilot.pause()
        assert len(app.session.turns) == PAGE_TURNS and app.session.earlier == 1800  # the engine holds one page
        assert shown()[0] == "message 1800" and shown()[-1] == "message 1999"
        assert "1,800 earlier messages" in str(app.chat.chat_log.children[0].render())
        await app.run_action("load_earlier")
        await pilot.pause()
        assert shown()[0] == "message 1600" and len(shown()) == 2 * PAGE_TURNS
        assert "1,600 earlier messages" in str(app.chat.chat_log.children[0].render())
        app.chat.chat_log.scroll_home(animate=False)
        await pilot.pause()
        await pilot.click(EarlierNotice)  # the notice itself loads the next page
        await pilot.pause()
        assert shown()[0] == "message 1400"
        app.action_export("md")  # the record covers the whole session, not the page on screen
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "message 0" in app.last_export.read_text()  # the situation, told in the first message


def test_a_document_name_with_escape_codes_is_clean_in_a_review_and_in_both_exports(tmp_path, monkeypatch, capsys):
    """A school's file named with terminal escapes: the review prints it clean, and a session citing it
    exports to Markdown and to Word (which once failed with a traceback on the control bytes)."""
    from docx import Document

    from assistant.models import Citation, VerdictRecord

    hostile = "policy\x1b]52;c;ZXZpbA==\x07\x1b[2J.md"
    policy = tmp_path / hostile
    policy.write_text("# Behaviour\n\nA pupil who refuses to hand over a phone will be excluded for one day.\n")
    assert main(["review-policy", str(policy)]) == 0
    shown = capsys.readouterr()
    assert "\x1b" not in shown.out + shown.err and "\x07" not in shown.out and "policy" in shown.out

    store = private_sessions(tmp_path, monkeypatch)
    session = store.create(title="Phones")
    store.append(session, Turn(role="user", text="A pupil refused to hand over a phone.", mode="live",
                               verdict=VerdictRecord(action="allow", category="none")))
    store.append(session, Turn(role="assistant", text="What does your policy say about phones?", mode="live",
                               citations=[Citation(card_id=f"doc:{hostile}", title=hostile, heading=hostile,
                                                   source=hostile, document=True)]))
    assert main(["export", session.id, "-o", str(tmp_path / "record.md")]) == 0
    assert main(["export", session.id, "-o", str(tmp_path / "record.docx")]) == 0
    words = "\n".join(p.text for p in Document(str(tmp_path / "record.docx")).paragraphs)
    for text in ((tmp_path / "record.md").read_text(), words):
        assert "policy" in text and "\x1b" not in text and "\x07" not in text
    assert "Traceback" not in capsys.readouterr().err
