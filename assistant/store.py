"""Sessions in SQLite, in the user's data directory, mode 0600.

Schema changes are numbered migrations applied in order and recorded in
PRAGMA user_version, so an old database upgrades itself on open.

Every write is targeted and commits at once: appending a turn inserts that
turn; recording a decision sets that one field (json_set inside one UPDATE).
Nothing rewrites a whole session from a caller's copy, so two processes
writing to one session never undo each other's fields. Each write bumps the
session's `revision`, which is how a holder notices a change made elsewhere.

A long session can be read as its latest page of turns (`get(id, latest=N)`)
and then paged back (`load_earlier`); `Session.earlier` counts the saved turns
not loaded. Turns are only ever appended (or deleted with their session), so
a turn's position is stable and an offset is enough to page by.

Deletion deletes: secure_delete zeroes freed pages, and after a deletion the
file is vacuumed and the write-ahead log checkpointed and truncated, so the
text is not left in free pages or in the log.
"""
from __future__ import annotations

import datetime as dt
import errno
import functools
import json
import os
import sqlite3
import uuid
from pathlib import Path

from assistant.models import CaseRecord, Session, SessionSummary, Turn, now
from knowledge.errors import ReflectError
from knowledge.safe_text import one_line
from knowledge.storage import data_dir

DEFAULT_TITLE = "New session"
BUSY_SECONDS = 30.0  # another process mid-write: wait this long before giving up with a message

MIGRATIONS: list[str] = [
    # 1: sessions and their turns; the pydantic models are kept as JSON.
    """
    CREATE TABLE sessions (
        id TEXT PRIMARY KEY, title TEXT NOT NULL, mode TEXT NOT NULL,
        created TEXT NOT NULL, updated TEXT NOT NULL, data TEXT NOT NULL
    );
    CREATE TABLE turns (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        role TEXT NOT NULL, text TEXT NOT NULL, data TEXT NOT NULL, created TEXT NOT NULL
    );
    """,
    # 2: listing and searching stay fast as sessions accumulate.
    """
    CREATE INDEX turns_by_session ON turns(session_id, id);
    CREATE INDEX sessions_by_updated ON sessions(updated);
    """,
    # 3: a counter bumped by every write, so a holder can tell its copy is out of date.
    """
    ALTER TABLE sessions ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
    """,
    # 4: each session's case record ("What I've heard"), saved as it changes and corrected by the leader.
    """
    CREATE TABLE IF NOT EXISTS case_records (
        session_id TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
        data TEXT NOT NULL, updated TEXT NOT NULL
    );
    """,
]

# Fields of the session record that callers may set; each maps to its JSON path in `data`.
FIELDS = {"pinned", "decision", "names", "reflective_model", "mode"}


def default_path() -> Path:
    return data_dir() / "sessions.sqlite3"


def database_error(path: Path, exc: sqlite3.Error) -> ReflectError:
    """A sqlite failure as a message that says what to do next."""
    text = str(exc).lower()
    folder = path.parent
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return ReflectError(
            f"the data folder {folder} cannot be written (it is read-only or not yours); make it writable, "
            "or point REFLECT_DATA_DIR at a folder you can write")
    if "full" in text:
        return ReflectError(f"the disk holding {folder} is full; free some space and try again (nothing was lost)")
    if "locked" in text or "busy" in text:
        return ReflectError("the sessions file is busy in another reflect window; try again in a moment")
    if "malformed" in text or "not a database" in text or "corrupt" in text or "disk i/o" in text:
        return ReflectError(
            f"{path}: the sessions file is damaged ({exc}). Copy it somewhere safe, then try "
            f"`sqlite3 {path.name} .recover | sqlite3 recovered.sqlite3` in {folder}, or move it aside to start afresh")
    return ReflectError(f"{path}: the sessions database failed ({exc})")


def folder_error(path: Path, exc: OSError) -> ReflectError:
    """The data folder could not be made or written, as a message with the next step."""
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        return ReflectError(f"the data folder {path.parent} cannot be made: part of its path is a file, not a "
                            "folder; move that file, or set REFLECT_DATA_DIR to a folder you can write")
    failure = "readonly" if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS) else str(exc.strerror or exc)
    return database_error(path, sqlite3.OperationalError(failure))


def _reported(method):
    """Store methods fail with a ReflectError naming the file and the next step, never a traceback."""
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise database_error(self.path, exc) from None
    return wrapper


class SessionStore:
    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path or default_path())
        try:
            if not self.path.exists():
                self.path.parent.mkdir(parents=True, exist_ok=True)
                os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
            os.chmod(self.path, 0o600)
        except OSError as exc:
            raise folder_error(self.path, exc) from None
        try:
            self._db = sqlite3.connect(self.path, check_same_thread=False, timeout=BUSY_SECONDS,
                                       isolation_level=None)
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA secure_delete = ON")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            text = str(exc).lower()
            if "not a database" in text or "malformed" in text:
                raise ReflectError(f"{self.path}: the sessions database cannot be opened ({exc}); move it aside "
                                   "to start afresh, or see the README on recovering it") from None
            raise database_error(self.path, exc) from None

    @property
    def version(self) -> int:
        return self._db.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        if self.version == len(MIGRATIONS):
            return
        from filelock import FileLock

        # Two processes opening an old file at once: one migrates, the other then finds it done.
        with FileLock(str(self.path) + ".migrate.lock", mode=0o600):
            current = self.version
            if current > len(MIGRATIONS):
                raise ReflectError(f"{self.path} was written by a newer version of reflect (schema {current})")
            for number, script in enumerate(MIGRATIONS[current:], start=current + 1):
                self._db.executescript(f"BEGIN IMMEDIATE; {script} PRAGMA user_version = {number}; COMMIT;")

    def close(self) -> None:
        self._db.close()

    def _write(self, *statements: tuple[str, tuple]) -> list:
        """Run statements in one immediate transaction; returns each statement's rows."""
        out = []
        self._db.execute("BEGIN IMMEDIATE")
        try:
            for sql, params in statements:
                out.append(self._db.execute(sql, params).fetchall())
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        return out

    # sessions ---------------------------------------------------------------

    @_reported
    def create(self, mode: str = "live", title: str | None = None, **fields) -> Session:
        session = Session(id=uuid.uuid4().hex[:10], title=one_line(title or DEFAULT_TITLE) or DEFAULT_TITLE,
                          mode=mode, **fields)
        self._write((
            "INSERT INTO sessions (id, title, mode, created, updated, data, revision) VALUES (?, ?, ?, ?, ?, ?, 0)",
            (session.id, session.title, session.mode, session.created.isoformat(),
             session.updated.isoformat(), self._session_data(session)),
        ))
        return session

    @_reported
    def get(self, session_id: str, latest: int | None = None) -> Session:
        """The session with all its turns, or with only its `latest` ones (`earlier` counts the rest)."""
        return self._read(session_id, latest=latest)

    def _read(self, session_id: str, latest: int | None = None, start: int | None = None) -> Session:
        """The session with its turns from position `start`, or its last `latest`, or all of them."""
        row = self._db.execute("SELECT data, title, mode, updated, revision FROM sessions WHERE id = ?",
                               (session_id,)).fetchone()
        if row is None:
            matches = self._db.execute(
                "SELECT data, title, mode, updated, revision FROM sessions WHERE id LIKE ? ESCAPE '\\' "
                "ORDER BY updated DESC",
                (f"{_like_literal(session_id)}%",),
            ).fetchall()
            if len(matches) != 1:
                raise ReflectError(f"no session with id '{one_line(session_id, 40)}' (see `reflect sessions`)")
            row = matches[0]
        session = self._session_from(row)
        case = self._db.execute("SELECT data FROM case_records WHERE session_id = ?", (session.id,)).fetchone()
        session.case = CaseRecord.model_validate_json(case[0]) if case else CaseRecord()
        total = self._db.execute("SELECT COUNT(*) FROM turns WHERE session_id = ?", (session.id,)).fetchone()[0]
        if start is None:
            start = 0 if latest is None else max(0, total - latest)
        session.earlier = min(start, total)
        session.turns = self._turns(session.id, session.earlier, total - session.earlier)
        return session

    @_reported
    def load_earlier(self, session: Session, count: int) -> int:
        """Put up to `count` of the turns before those held at the front of `session.turns`; how many."""
        start = max(0, session.earlier - max(0, count))
        older = self._turns(session.id, start, session.earlier - start)
        session.turns[:0] = older
        session.earlier = start
        return len(older)

    def _turns(self, session_id: str, offset: int, count: int) -> list[Turn]:
        if count <= 0:
            return []
        return [Turn.model_validate_json(data) for (data,) in self._db.execute(
            "SELECT data FROM turns WHERE session_id = ? ORDER BY id LIMIT ? OFFSET ?", (session_id, count, offset))]

    @_reported
    def revision(self, session_id: str) -> int | None:
        """The session's write counter (None once deleted): a cheap check for changes made elsewhere."""
        row = self._db.execute("SELECT revision FROM sessions WHERE id = ?", (session_id,)).fetchone()
        return None if row is None else row[0]

    @_reported
    def refresh(self, session: Session) -> bool:
        """Bring a held copy up to date if another process wrote to it; True if it changed."""
        current = self.revision(session.id)
        if current is None:
            raise ReflectError("this session was deleted elsewhere (another window or the command line)")
        if current == session.revision:
            return False
        fresh = self._read(session.id, start=session.earlier)  # the same page boundary, with what was added
        for name in Session.model_fields:
            setattr(session, name, getattr(fresh, name))
        return True

    @_reported
    def list(self) -> list[SessionSummary]:
        rows = self._db.execute(
            "SELECT s.data, s.title, s.mode, s.updated, s.revision, "
            "(SELECT COUNT(*) FROM turns t WHERE t.session_id = s.id) "
            "FROM sessions s ORDER BY s.updated DESC, s.rowid DESC"
        ).fetchall()
        out = []
        for *row, count in rows:
            s = self._session_from(row)
            out.append(SessionSummary(id=s.id, title=s.title, mode=s.mode, updated=s.updated,
                                      turns=count, pinned=bool(s.pinned)))
        return out

    @_reported
    def save_case(self, session: Session) -> None:
        """Persist the session's case record on its own, committed at once."""
        with self._db:
            self._db.execute(
                "INSERT INTO case_records (session_id, data, updated) VALUES (?, ?, ?) "
                "ON CONFLICT(session_id) DO UPDATE SET data = excluded.data, updated = excluded.updated",
                (session.id, session.case.model_dump_json(), now().isoformat()),
            )

    @_reported
    def rename(self, session_id: str, title: str) -> Session:
        title = one_line(title)
        if not title:
            raise ReflectError("a session title cannot be empty")
        session = self.get(session_id)
        self.set_title(session, title)
        return session

    @_reported
    def set_title(self, session: Session, title: str, only_if_default: bool = False) -> None:
        """Set the title (capped, one safe line); with only_if_default, only a session still untitled."""
        title = one_line(title) or DEFAULT_TITLE
        guard = " AND title = ?" if only_if_default else ""
        params = (title, now().isoformat(), session.id) + ((DEFAULT_TITLE,) if only_if_default else ())
        rows = self._write((
            f"UPDATE sessions SET title = ?, updated = ?, revision = revision + 1 WHERE id = ?{guard} "
            "RETURNING revision, title", params))[0]
        if rows:
            self._track(session, rows[0][0])
            session.title = rows[0][1]

    @_reported
    def set_fields(self, session: Session, **fields) -> None:
        """Set some of the session's own fields (decision, pinned, mode, names, ...) and nothing else."""
        unknown = set(fields) - FIELDS
        if unknown:
            raise ValueError(f"not a session field: {', '.join(sorted(unknown))}")
        checked = Session.model_validate({**session.model_dump(exclude={"turns"}), **fields})
        dumped = checked.model_dump(mode="json", include=set(fields))
        for name in fields:
            setattr(session, name, getattr(checked, name))
        sets = "data = json_set(data" + "".join(f", '$.{name}', json(?)" for name in dumped) + ")"
        params = tuple(json.dumps(value) for value in dumped.values())
        mode_sql = ", mode = ?" if "mode" in dumped else ""
        mode_param = (dumped["mode"],) if "mode" in dumped else ()
        rows = self._write((
            f"UPDATE sessions SET {sets}{mode_sql}, updated = ?, revision = revision + 1 WHERE id = ? "
            "RETURNING revision", params + mode_param + (now().isoformat(), session.id)))[0]
        if not rows:
            raise ReflectError("this session was deleted elsewhere (another window or the command line)")
        self._track(session, rows[0][0])

    @_reported
    def delete(self, session_id: str) -> None:
        """Remove the session and its turns, then scrub free pages and the write-ahead log."""
        self._write(("DELETE FROM sessions WHERE id = ?", (session_id,)))
        self.scrub()
        self._lock_path(session_id).unlink(missing_ok=True)

    def turn_lock(self, session_id: str, wait: float):
        """A lock across processes held for one whole turn, so two turns in one session never interleave."""
        from filelock import FileLock

        path = self._lock_path(session_id)
        try:
            path.parent.mkdir(mode=0o700, exist_ok=True)
        except OSError as exc:
            raise folder_error(self.path, exc) from None
        return FileLock(str(path), timeout=wait)

    def _lock_path(self, session_id: str) -> Path:
        return self.path.parent / f"{self.path.stem}-locks" / f"{session_id}.lock"

    @_reported
    def scrub(self) -> None:
        """Rewrite the file without free pages and empty the log (deleted text then exists nowhere)."""
        try:
            self._db.execute("VACUUM")
        except sqlite3.OperationalError:
            pass  # another process holds the file open mid-read: secure_delete has zeroed the pages anyway
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    @_reported
    def search(self, text: str) -> list[SessionSummary]:
        """Sessions whose title or any turn contains the text (case-insensitive)."""
        needle = f"%{_like_literal(text.strip())}%"
        ids = {
            sid for (sid,) in self._db.execute(
                "SELECT id FROM sessions WHERE title LIKE ? ESCAPE '\\' "
                "UNION SELECT session_id FROM turns WHERE text LIKE ? ESCAPE '\\'",
                (needle, needle),
            )
        }
        return [s for s in self.list() if s.id in ids]

    # turns ------------------------------------------------------------------

    @_reported
    def append(self, session: Session, turn: Turn) -> None:
        """Add one turn and commit at once; the session's other fields are left as stored."""
        stamp = now()
        rows = self._write(
            ("INSERT INTO turns (session_id, role, text, data, created) SELECT id, ?, ?, ?, ? FROM sessions "
             "WHERE id = ?", (turn.role, turn.text, turn.model_dump_json(), turn.created.isoformat(), session.id)),
            ("UPDATE sessions SET updated = ?, revision = revision + 1 WHERE id = ? RETURNING revision",
             (stamp.isoformat(), session.id)),
        )[1]
        if not rows:
            raise ReflectError("this session was deleted elsewhere (another window or the command line); "
                               "start a new one to go on")
        session.turns.append(turn)
        session.updated = stamp
        self._track(session, rows[0][0])

    # helpers ----------------------------------------------------------------

    @staticmethod
    def _track(session: Session, revision: int) -> None:
        """Follow our own write; if someone else wrote in between, leave the copy marked stale."""
        if revision == session.revision + 1:
            session.revision = revision

    @staticmethod
    def _session_from(row) -> Session:
        data, title, mode, updated, revision = row
        session = Session.model_validate_json(data)
        # The columns are written by targeted updates; they are the truth for these fields.
        session.title, session.mode, session.revision = title, mode, revision
        session.updated = dt.datetime.fromisoformat(updated)
        return session

    @staticmethod
    def _session_data(session: Session) -> str:
        return session.model_copy(update={"turns": []}).model_dump_json(exclude={"revision", "case", "earlier"})


def _like_literal(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
