"""The conversation engine: one turn is guard → retrieve → respond → guard → store.

No Textual here: the CLI and the app are both thin clients of `Engine`.
"""
from __future__ import annotations

import re
import threading
from typing import Callable

from filelock import Timeout
from pydantic import BaseModel

from assistant import lens_tracker
from assistant.composer import Draft, OfflineComposer, ReplyContext
from assistant.config import Settings, load_settings
from assistant.models import Citation, LensState, Session, SessionSummary, Turn, VerdictRecord
from assistant.store import DEFAULT_TITLE, SessionStore
from knowledge.errors import ReflectError
from knowledge.safe_text import safe_text

MAX_MESSAGE_CHARS = 200_000
RETRIEVAL_CHARS = 2_000  # a long paste is searched by its opening, and kept whole
TURN_LOCK_MARGIN = 60.0  # seconds beyond the model's timeout to wait for another process's turn
_TARGET = re.compile(r"^\s*(?:my\s+)?(?:practice\s+)?target\s*[:\-]", re.IGNORECASE)
_DECISION = re.compile(r"^\s*(?:my\s+)?decision\s*[:\-]\s*", re.IGNORECASE)

OnChunk = Callable[[str], None]
ADVICE_CLAIM_FLAG = ("[Flagged by the assistant: this record says the assistant advised the outcome. "
                     "It does not advise outcomes; the decision and its reasons must be the leader's own.]")


class TurnResult(BaseModel):
    session: str
    verdict: VerdictRecord
    reply: str
    kind: str
    citations: list[Citation]
    lenses: list[str]  # covered so far
    touched: list[str]
    pinned: str | None
    notice: str | None = None
    sent_to_model: str | None = None
    redacted: list[str] = []  # "Jake Smith → [Pupil A]": replaced before the text went to a remote model

    def redaction_note(self) -> str | None:
        """What the user is told each turn a remote model was used."""
        if self.sent_to_model is None or not self.redacted:
            return None
        shown = "; ".join(self.redacted[:12]) + (f"; and {len(self.redacted) - 12} more" if len(self.redacted) > 12 else "")
        return f"Before it went to the remote model, {len(self.redacted)} name(s) and identifier(s) were replaced: {shown}."

    def as_json(self) -> dict:
        return {
            "session": self.session,
            "verdict": {"action": self.verdict.action, "category": self.verdict.category},
            "reply": self.reply,
            "citations": [c.card_id for c in self.citations],
            "lenses": self.lenses,
            "pinned": self.pinned,
            "notice": self.notice,
            "redacted": self.redacted,
            "sent_to_model": self.sent_to_model,
        }


def clean_message(text: str) -> str:
    """Reject what cannot be a message; keep everything else, minus control bytes."""
    if not isinstance(text, str):
        raise ReflectError("the message must be text")
    cleaned = safe_text(text).strip()
    if not cleaned:
        raise ReflectError("the message is empty; type what is on your mind")
    if len(cleaned) > MAX_MESSAGE_CHARS:
        raise ReflectError(
            f"the message is too long ({len(cleaned):,} characters; the limit is {MAX_MESSAGE_CHARS:,}); "
            "paste the part that matters, or ingest the document with `reflect ingest`"
        )
    return cleaned


class Engine:
    def __init__(self, store: SessionStore | None = None, settings: Settings | None = None,
                 chat_model=None, model_is_remote: bool | None = None) -> None:
        self.settings = settings or load_settings()
        self.store = store or SessionStore()
        self.composer = OfflineComposer()
        self._chat_model = chat_model
        self._remote = self.settings.must_redact if model_is_remote is None else model_is_remote
        self._lock = threading.Lock()

    # --- heavy parts, loaded on first use (the app warms them in a worker) ---

    def warm_up(self, progress: Callable[[str], None] | None = None) -> None:
        """Load (on a first run, build) everything a turn needs, saying each step to `progress`."""
        from assistant.prepare import prepare

        prepare(progress)

    @property
    def guard(self):
        from guardrails import get_guard

        return get_guard()

    @property
    def searcher(self):
        from knowledge.search import get_searcher

        return get_searcher()

    @property
    def model_responder(self):
        from assistant.model_responder import ModelResponder

        if self._chat_model is None and self.settings.provider == "none":
            return None
        return ModelResponder(self.settings, chat_model=self._chat_model, remote=self._remote)

    # --- sessions ------------------------------------------------------------

    def new_session(self, mode: str | None = None, title: str | None = None, names: list[str] | None = None) -> Session:
        mode = mode or self.settings.default_mode
        if mode not in ("live", "practice", "prep"):
            raise ReflectError(f"unknown mode '{mode}': choose live, practice or prep")
        return self.store.create(mode=mode, title=title, names=names or [],
                                 reflective_model=self.settings.reflective_model)

    def session(self, session_id: str) -> Session:
        return self.store.get(session_id)

    def sessions(self, search: str | None = None) -> list[SessionSummary]:
        """Saved sessions, newest first; with `search`, those whose title or turns contain it."""
        return self.store.search(search) if search else self.store.list()

    def rename_session(self, session_id: str, title: str) -> Session:
        return self.store.rename(session_id, title)

    def delete_session(self, session_id: str) -> None:
        """Delete the session and scrub it from the file and its log (see the README on deletion)."""
        self.store.delete(session_id)

    def refresh(self, session: Session) -> bool:
        """Bring a held session up to date if it was changed elsewhere; True if it was."""
        return self.store.refresh(session)

    def set_mode(self, session: Session, mode: str) -> Session:
        if mode not in ("live", "practice", "prep"):
            raise ReflectError(f"unknown mode '{mode}': choose live, practice or prep")
        self.store.set_fields(session, mode=mode)  # lens state restarts for the new mode from the next turn
        return session

    def lens_state(self, session: Session) -> LensState:
        for turn in reversed(session.turns):
            if turn.lens_state is not None and turn.mode == session.mode:
                return turn.lens_state
        return LensState.for_lenses(lens_tracker.lens_order(session))

    def record_decision(self, session: Session, text: str) -> Session:
        """The leader's own decision and reasons, in their words (never the assistant's)."""
        self.store.set_fields(session, decision=self._flag_claims(clean_message(text)))
        return session

    def _flag_claims(self, decision: str) -> str:
        """A recorded decision that says the assistant advised it keeps the leader's words, with the claim flagged."""
        if self.guard.claims_assistant_advised(decision):
            return decision + "\n\n" + ADVICE_CLAIM_FLAG
        return decision

    def governance_summary(self, session: Session, confirmed: bool) -> str:
        """A neutral collation for governors, only after explicit confirmation."""
        from assistant.governance import confirmation_text, governance_summary
        from assistant.record import build_record

        if not confirmed:
            raise ReflectError(confirmation_text())
        text = governance_summary(build_record(session))
        self.store.append(session, Turn(role="assistant", text=text, mode=session.mode, kind="summary"))
        return text

    # --- a turn --------------------------------------------------------------

    def turn(self, session: Session, text: str, on_chunk: OnChunk | None = None,
             cancel: threading.Event | None = None) -> TurnResult:
        message = clean_message(text)
        lock = self.store.turn_lock(session.id, wait=self.settings.timeout_seconds + TURN_LOCK_MARGIN)
        with self._lock:
            try:
                lock.acquire()
            except Timeout:
                raise ReflectError("another reflect window is replying in this session; try again when it "
                                   "has finished") from None
            try:
                self.store.refresh(session)  # another process may have added turns or a decision
                return self._turn(session, message, on_chunk, cancel)
            finally:
                lock.release()

    def _turn(self, session, message, on_chunk, cancel) -> TurnResult:
        from guardrails import Recent
        from guardrails.memory import recent_turns

        recent = recent_turns([Recent(text=t.text, action=t.verdict.action, category=t.verdict.category)
                               for t in session.turns if t.role == "user" and t.verdict])
        verdict = self.guard.check(message, recent=recent)
        record = VerdictRecord(action=verdict.action, category=verdict.category,
                               reason=verdict.reason, signals=list(verdict.signals))
        if session.title == DEFAULT_TITLE:
            self.store.set_title(session, _title_from(message), only_if_default=True)
        state_before = self.lens_state(session)
        self.store.append(session, Turn(role="user", text=message, mode=session.mode, verdict=record))

        if verdict.action == "escalate":
            self.store.set_fields(session, pinned=verdict.reply)  # stays in view for the rest of the session
            return self._reply(session, record, verdict.reply, "escalation", [], state_before, None)
        if verdict.action == "refuse":
            return self._reply(session, record, verdict.reply, "refusal", [], state_before, None)

        decision = _DECISION.match(message)
        if decision:
            self.store.set_fields(session, decision=self._flag_claims(message[decision.end():].strip() or message))

        answering = _last_lens(session)
        if answering is None and session.mode == "practice":
            answering = state_before.order[0]  # the first account of an incident is its description
        state = lens_tracker.update(state_before, message, answering)
        final = state.lenses[state.order[-1]]
        if session.mode == "practice" and final.status == "covered" and (
                answering in (state.order[-1], None) or _TARGET.match(message)):
            self.store.set_fields(session, decision=message)  # the practice target, in the person's own words
        target = _target(state, answering)
        query = message[:RETRIEVAL_CHARS]
        hits = self._retrieve(query, target)
        ctx = ReplyContext(session=session, message=message, state=state, target=target, hits=hits, query=query,
                           lookup=self.searcher.card_hit,
                           first=not any(t.role == "assistant" and t.kind != "escalation" for t in session.turns))
        draft = self.composer.compose(ctx)
        if target:
            state.current = target
        state.asked = [*state.asked, *draft.question_ids]

        notice = sent = None
        redacted: list[str] = []
        text = draft.text
        responder = self.model_responder
        if responder is not None:
            outcome = responder.respond(ctx, draft, on_chunk=on_chunk, cancel=cancel,
                                        check=self._rail)
            text, notice, sent, redacted = outcome.text, outcome.notice, outcome.sent, outcome.redacted
            if outcome.replaced_by is not None:  # the model decided (or wrote what the rail cannot read)
                text = draft.text
                notice = "The model's reply did not pass the output check, so the offline reply is shown instead."
        replacement = self._output_check(text, draft)
        if isinstance(replacement, _Kept):
            text, replacement = str(replacement), None
        if replacement is not None:
            return self._reply(session, record, replacement, "refusal", [], state, draft.lens, notice=notice,
                               sent=sent, redacted=redacted)
        if on_chunk and responder is None:
            on_chunk(text)
        return self._reply(session, record, text, draft.kind, draft.citations, state, draft.lens,
                           notice=notice, sent=sent, redacted=redacted)

    def _retrieve(self, query: str, target: str | None):
        from assistant.composer import CARD_LENSES

        hits = self.searcher.search(query, k=6, lenses=sorted(CARD_LENSES.get(target or "", set())))
        try:
            from knowledge.documents import search_documents

            hits = [*hits, *search_documents(query, k=2)]
        except ReflectError:
            pass
        return hits

    def _rail(self, text: str) -> str | None:
        """For a model's reply: None if it may be shown, else the template that replaces it."""
        verdict = self.guard.check_output(text)
        return None if verdict.action == "allow" else verdict.reply

    def _output_check(self, text: str, draft: Draft) -> str | None:
        """None if the text may be shown; otherwise the template that replaces it.

        The rail reads every line shown, quotes included. A quoted line (the school's
        document, the leader's own words) that decides is the quote's, not the
        assistant's view: it is left out; anything else that decides replaces the reply.
        """
        verdict = self.guard.check_output(text)
        if verdict.action == "allow":
            return None
        kept = _without_deciding_quotes(text, draft.echoes, self.guard)
        if kept != text and kept.strip() and self.guard.check_output(kept).action == "allow":
            return _Kept(kept)
        return verdict.reply

    def _reply(self, session, record, text, kind, citations, state, lens, notice=None, sent=None,
               redacted: list[str] | None = None) -> TurnResult:
        text = safe_text(text)  # document passages and model text may carry terminal escapes
        turn = Turn(role="assistant", text=text, mode=session.mode, verdict=record, citations=citations,
                    lens_state=state, lens=lens, kind=kind, notice=notice, sent_to_model=sent)
        self.store.append(session, turn)
        return TurnResult(
            session=session.id, verdict=record, reply=text, kind=kind, citations=citations,
            lenses=state.covered(), touched=state.touched(), pinned=session.pinned, notice=notice,
            sent_to_model=sent, redacted=redacted or [],
        )


class _Kept(str):
    """The reply with deciding quotes left out: shown instead of a refusal."""


def _without_deciding_quotes(text: str, echoes: list[str], guard) -> str:
    lines = text.split("\n")
    kept = [ln for ln in lines
            if not ((ln.lstrip().startswith(">") or any(e and e in ln for e in echoes)) and guard.output_flags(ln))]
    return "\n".join(kept)


def _last_lens(session: Session) -> str | None:
    for turn in reversed(session.turns):
        if turn.role == "assistant" and turn.kind in ("reflection", "plan"):
            return turn.lens
    return None


def _target(state: LensState, answering: str | None) -> str | None:
    if answering and state.lenses.get(answering) and state.lenses[answering].status != "covered":
        return answering  # the leader has not answered yet: stay, with new questions
    return state.next_open()


def _title_from(message: str) -> str:
    words = message.split()
    return " ".join(words[:8]) + (" …" if len(words) > 8 else "")
