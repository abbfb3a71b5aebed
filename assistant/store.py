"""Sessions in SQLite, in the user's data directory, mode 0600.

Schema changes are numbered migrations applied in order and recorded in
PRAGMA user_version, so an old database upgrades itself on open. Each turn
is committed as it is appended: a killed process loses nothing shown.
"""
from __future__ import annotations

import os
import sqlite3
import uuid
from pathlib import Path

from assistant.models import CaseRecord, Session, SessionSummary, Turn, now
from knowledge.errors import ReflectError
from knowledge.storage import data_dir

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
    # 3: each session's case record ("What I've heard"), saved as it changes and corrected by the leader.
    """
    CREATE TABLE case_records (
        session_id TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
        data TEXT NOT NULL, updated TEXT NOT NULL
    );
    """,
]


def default_path() -> Path:
    return data_dir() / "sessions.sqlite3"


class SessionStore:
    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path or default_path())
        if not self.path.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
        os.chmod(self.path, 0o600)
        try:
            self._db = sqlite3.connect(self.path, check_same_thread=False)
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise ReflectError(f"{self.path}: the sessions database cannot be opened ({exc})") from None

    @property
    def version(self) -> int:
        return self._db.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        current = self.version
        if current > len(MIGRATIONS):
            raise ReflectError(f"{self.path} was written by a newer version of reflect (schema {current})")
        for number, script in enumerate(MIGRATIONS[current:], start=current + 1):
            with self._db:
                self._db.executescript(f"BEGIN; {script} PRAGMA user_version = {number}; COMMIT;")

    def close(self) -> None:
        self._db.close()

    # sessions ---------------------------------------------------------------

    def create(self, mode: str = "live", title: str | None = None, **fields) -> Session:
        session = Session(id=uuid.uuid4().hex[:10], title=title or "New session", mode=mode, **fields)
        with self._db:
            self._db.execute(
                "INSERT INTO sessions (id, title, mode, created, updated, data) VALUES (?, ?, ?, ?, ?, ?)",
                (session.id, session.title, session.mode, session.created.isoformat(),
                 session.updated.isoformat(), self._session_data(session)),
            )
        return session

    def save(self, session: Session) -> None:
        """Persist the session's own fields (title, mode, pin, decision); turns go via append."""
        session.updated = now()
        with self._db:
            self._db.execute(
                "UPDATE sessions SET title = ?, mode = ?, updated = ?, data = ? WHERE id = ?",
                (session.title, session.mode, session.updated.isoformat(), self._session_data(session), session.id),
            )

    def get(self, session_id: str) -> Session:
        row = self._db.execute("SELECT data FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            matches = self._db.execute(
                "SELECT data FROM sessions WHERE id LIKE ? ORDER BY updated DESC", (f"{session_id}%",)
            ).fetchall()
            if len(matches) != 1:
                raise ReflectError(f"no session with id '{session_id}' (see `reflect sessions`)")
            row = matches[0]
        session = Session.model_validate_json(row[0])
        case = self._db.execute("SELECT data FROM case_records WHERE session_id = ?", (session.id,)).fetchone()
        session.case = CaseRecord.model_validate_json(case[0]) if case else CaseRecord()
        session.turns = [
            Turn.model_validate_json(data)
            for (data,) in self._db.execute("SELECT data FROM turns WHERE session_id = ? ORDER BY id", (session.id,))
        ]
        return session

    def list(self) -> list[SessionSummary]:
        rows = self._db.execute(
            "SELECT s.data, (SELECT COUNT(*) FROM turns t WHERE t.session_id = s.id) "
            "FROM sessions s ORDER BY s.updated DESC, s.rowid DESC"
        ).fetchall()
        out = []
        for data, count in rows:
            s = Session.model_validate_json(data)
            out.append(SessionSummary(id=s.id, title=s.title, mode=s.mode, updated=s.updated,
                                      turns=count, pinned=bool(s.pinned)))
        return out

    def save_case(self, session: Session) -> None:
        """Persist the session's case record on its own, committed at once."""
        with self._db:
            self._db.execute(
                "INSERT INTO case_records (session_id, data, updated) VALUES (?, ?, ?) "
                "ON CONFLICT(session_id) DO UPDATE SET data = excluded.data, updated = excluded.updated",
                (session.id, session.case.model_dump_json(), now().isoformat()),
            )

    def rename(self, session_id: str, title: str) -> Session:
        title = " ".join(title.split())
        if not title:
            raise ReflectError("a session title cannot be empty")
        session = self.get(session_id)
        session.title = title[:120]
        self.save(session)
        return session

    def delete(self, session_id: str) -> None:
        with self._db:
            self._db.execute("DELETE FROM sessions WHERE id = ?", (session_id,))

    def search(self, text: str) -> list[SessionSummary]:
        """Sessions whose title or any turn contains the text (case-insensitive)."""
        needle = f"%{text.strip()}%"
        ids = {
            sid for (sid,) in self._db.execute(
                "SELECT id FROM sessions WHERE title LIKE ? UNION SELECT session_id FROM turns WHERE text LIKE ?",
                (needle, needle),
            )
        }
        return [s for s in self.list() if s.id in ids]

    # turns ------------------------------------------------------------------

    def append(self, session: Session, turn: Turn) -> None:
        """Add one turn and commit at once, with the session's updated fields."""
        session.turns.append(turn)
        session.updated = now()
        with self._db:
            self._db.execute(
                "INSERT INTO turns (session_id, role, text, data, created) VALUES (?, ?, ?, ?, ?)",
                (session.id, turn.role, turn.text, turn.model_dump_json(), turn.created.isoformat()),
            )
            self._db.execute(
                "UPDATE sessions SET title = ?, mode = ?, updated = ?, data = ? WHERE id = ?",
                (session.title, session.mode, session.updated.isoformat(), self._session_data(session), session.id),
            )

    @staticmethod
    def _session_data(session: Session) -> str:
        return session.model_dump_json(exclude={"turns", "case"})
