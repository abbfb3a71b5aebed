"""The conversation engine: one turn is guard → retrieve → respond → guard → store.

No Textual here: the CLI and the app are both thin clients of `Engine`.
"""
from __future__ import annotations

import re
import threading
from typing import Callable

from filelock import Timeout
from pydantic import BaseModel

from assistant import case_record, lens_tracker, practice_stages
from assistant.asking import answer_query, is_question, lay_terms, parts
from assistant.composer import CARD_LENSES, OfflineComposer
from assistant.config import Settings, load_settings
from assistant.models import CaseRecord, Citation, LensState, Session, SessionSummary, Turn, VerdictRecord
from assistant.replies import Draft, ReplyContext
from assistant.roles import writer_role
from assistant.store import DEFAULT_TITLE, SessionStore
from prompts.bank import AFTER_DECISION
from knowledge.text import split_sentences
from assistant.understanding import Understanding, understand
from knowledge.errors import ReflectError
from knowledge.query import build_query
from knowledge.safe_text import safe_text

MAX_MESSAGE_CHARS = 200_000
PAGE_TURNS = 200  # a long session is opened on its latest messages; earlier ones load on request
RETRIEVAL_CHARS = 2_000  # what understanding reads of a long paste (kept whole; search reads all of it)
# A best sentence below this (just above the answer index's own bar, 0.42) is a near miss when search says no
# card covers the question. Set from few cases (a transport question at 0.43, a covered suspension question
# asked mid-conversation at 0.47); calibrate it on conversation data.
NEAR_MISS = 0.46
TURN_LOCK_MARGIN = 60.0  # seconds beyond the model's timeout to wait for another process's turn
_CITATION = re.compile(r"\[`[^\]]*\]")
WELLBEING_CARD = "leader-and-staff-wellbeing"
RECORD_CARD = "recording-defensible-reasons"
# Refusals that may be reworded when the same one comes twice running; a safeguarding_process refusal always
# carries its full fixed text, DSL signposting included.
REPEATABLE = ("disciplinary_outcome", "investigation", "hr_determination")

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
    handed_on: bool = False  # the leader has said the pinned concern has been passed on: show it folded, not again
    kept_in_view: str | None = None  # what a client shows of the pinned signposting under a later reply
    notice: str | None = None
    sent_to_model: str | None = None
    redacted: list[str] = []  # "Jake Smith → [Pupil A]": replaced before the text went to a remote model

    def redaction_note(self) -> str | None:
        """What the user is told each turn a remote model was used."""
        if self.sent_to_model is None or not self.redacted:
            return None
        shown = "; ".join(self.redacted[:12]) + (f"; and {len(self.redacted) - 12} more" if len(self.redacted) > 12 else "")
        return f"Before it went to the remote model, {len(self.redacted)} name(s) and identifier(s) were replaced: {shown}."
    understanding: Understanding | None = None
    case: CaseRecord | None = None

    def as_json(self) -> dict:
        return {
            "session": self.session,
            "verdict": {"action": self.verdict.action, "category": self.verdict.category},
            "reply": self.reply,
            "citations": [c.card_id for c in self.citations],
            "lenses": self.lenses,
            "pinned": self.pinned,
            "handed_on": self.handed_on,
            "notice": self.notice,
            "redacted": self.redacted,
            "sent_to_model": self.sent_to_model,
            "understanding": ({"kind": self.understanding.kind, "lens": self.understanding.lens}
                              if self.understanding else None),
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

    def session(self, session_id: str, latest: int | None = None) -> Session:
        """The session with every turn, or only its `latest` (a turn needs no more than the latest page)."""
        return self.store.get(session_id, latest=latest)

    def load_earlier(self, session: Session, count: int = PAGE_TURNS) -> int:
        """Page a session back: up to `count` earlier turns join the front of `session.turns`; how many."""
        return self.store.load_earlier(session, count)

    def whole(self, session: Session) -> Session:
        """The session with every turn, for a record that must cover all of it (an export, governors)."""
        return session if not session.earlier else self.store.get(session.id)

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
        decision = self._flag_claims(clean_message(text))
        session.case = session.case.model_copy(update={"decision": decision})
        self.store.set_fields(session, decision=decision)
        self.store.save_case(session)
        return session

    def correct_case(self, session: Session, field: str, value: str) -> Session:
        """The leader corrects one line of "What I've heard"; it then stays as they set it."""
        try:
            session.case = case_record.correct(session.case, field, value)
        except ValueError as exc:
            raise ReflectError(str(exc)) from None
        if field == "decision":
            self.store.set_fields(session, decision=session.case.decision)
        self.store.save_case(session)
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
        text = governance_summary(build_record(self.whole(session)))
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
        said = "\n".join([*(t.text for t in session.turns if t.role == "user"), message])
        verdict = self.guard.check(message, recent=recent, writer=writer_role(said, session.mode))
        record = VerdictRecord(action=verdict.action, category=verdict.category,
                               reason=verdict.reason, signals=list(verdict.signals))
        if session.title == DEFAULT_TITLE:
            self.store.set_title(session, _title_from(message), only_if_default=True)
        state_before = self.lens_state(session)
        last = next((t for t in reversed(session.turns) if t.role == "assistant"), None)
        question = question_text(message)
        previous = next((t.text for t in reversed(session.turns) if t.role == "user" and t.verdict
                         and t.verdict.action == "allow"), None)
        asked = _in_case(answer_query(question, previous), session.case)
        # The answer (or, for a statement, the grounding) is searched with the cards' words for everyday
        # phrasing; the message's own vector still drives understanding.
        # The whole message, reduced to its questions and key facts: a long one often asks at the end.
        query = _in_case(build_query(message)[:RETRIEVAL_CHARS], session.case)  # a paste of unbroken text stays searchable
        vector, qvector = self._vectors(message, asked if is_question(question) or lay_terms(message) else message, query)
        understood = understand(message, vector, after_question=bool(last and "?" in last.text))
        self.store.append(session, Turn(role="user", text=message, mode=session.mode, verdict=record,
                                        understanding=understood))

        if verdict.action == "escalate":
            self.store.set_fields(session, pinned=verdict.reply)  # stays in view for the rest of the session
            return self._reply(session, record, verdict.reply, "escalation", [], state_before, None, understood)
        if verdict.action == "refuse":
            text = verdict.reply
            lead = self.guard.policy.replies.refusal_lead.strip()
            if verdict.category == "disciplinary_outcome":
                text = self.composer.fit_refusal(session, message, text, lead)
            if verdict.category in REPEATABLE and last is not None and last.kind == "refusal" and last.verdict and (
                    last.verdict.category == verdict.category):
                text = self.composer.refused_again(session, text, lead)
            return self._reply(session, record, text, "refusal", [], state_before, None, understood)

        before = session.case
        session.case = case_record.update(before, message, understood.kind)
        facts = case_record.added(before, session.case)
        self.store.save_case(session)
        practice = session.mode == "practice"
        if understood.kind == "decision":
            # The leader's own decision or practice target, in their words (never the assistant's).
            decision = message if practice else (session.case.decision or message)
            self.store.set_fields(session, decision=self._flag_claims(decision))
        elif understood.kind == "draft_request" and (told := _DECISION_IN.search(message)):
            # "Write that up as a decision note? Decision: ...": the decision told with the request is recorded too.
            self.store.set_fields(session, decision=self._flag_claims(told.group(1).strip()))

        answering = _last_lens(session)
        if answering is None and practice:
            answering = state_before.order[0]  # the first account of an incident is its description
        addressed = set() if practice else case_record.lenses_addressed(session.case)
        state = lens_tracker.update(state_before, message, answering, understood.kind, addressed, practice)
        if practice and understood.kind not in ("small_talk", "about_assistant"):
            for stage in practice_stages.stages_in(message, state.order):  # the reflection follows the person
                state.lenses[stage].status = "covered"
        state = lens_tracker.with_order(state, lens_tracker.lens_order(session))
        if understood.kind == "decision":
            final = state.order[-1] if practice else "record"
            if final in state.lenses:
                state.lenses[final].status = "covered"
                lens_tracker._note(state.lenses[final].notes, message)
        if session.escalated and "safeguarding" in state.lenses:
            # The concern went to the DSL and the procedures: it is theirs now, not a lens to reflect on here.
            state.lenses["safeguarding"].status = "covered"
        target = _target(state, answering, understood, session.mode, decided=bool(session.decision))
        hits, found = self._retrieve(query, target)
        shown = _shown(session)  # card sentences already quoted are never quoted again
        # A pupil with no SEND is not grounded in the SEN duties; a question about them is still answered from them.
        ground_shown = shown
        if case_record.no_send(session.case):
            from assistant.answers import sentence_index

            ground_shown = shown | sentence_index().send_sentences
        answer, support = self._sentences(understood, question, vector, qvector, hits, asked, found.covered, shown,
                                          session.mode, ground_shown)
        ctx = ReplyContext(session=session, message=message, state=state, target=target, hits=hits, query=query,
                           understanding=understood, answer=answer, support=support, new_facts=facts,
                           coverage=found.coverage, covered=found.covered,
                           handed_on=any(sig.startswith("signal:handled:") for sig in verdict.signals),
                           lookup=self.searcher.card_hit, search=self.searcher.search,
                           ground=lambda text, cards: self._ground(vector, text, cards, hits, ground_shown),
                           first=not session.earlier and not session.escalated and not any(
                               t.role == "assistant" for t in session.turns))
        draft = self.composer.compose(ctx)
        if draft.lens and draft.questions:
            state.current = draft.lens
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
            return self._reply(session, record, replacement, "refusal", [], state, draft.lens, understood,
                               notice=notice, sent=sent, redacted=redacted)
        if on_chunk and responder is None:
            on_chunk(text)
        return self._reply(session, record, text, draft.kind, draft.citations, state, draft.lens, understood,
                           notice=notice, sent=sent, redacted=redacted)

    def _vectors(self, message: str, question: str, query: str):
        """The message's vector (understanding) and its question's (answering), in one batch with the text
        the card search will embed for the query (so the search finds it already embedded)."""
        from knowledge.embedder import get_embedder

        texts = [message[:RETRIEVAL_CHARS], question[:RETRIEVAL_CHARS]]
        try:
            texts.append(self.searcher.embedded_text(query))
        except ReflectError:
            pass  # the search says why itself
        vectors = get_embedder().embed_recent(texts)
        return vectors[0], vectors[1]

    @staticmethod
    def _ground(vector, text: str, cards, hits, shown: set[str]):
        """The card sentence that best grounds the questions asked, judged against the message's own
        vector within the questions' cards (no further embedding: a turn stays fast)."""
        from assistant.answers import sentence_index

        return sentence_index().answer(vector, text, hits, shown, limit=1, cards=cards)

    def _sentences(self, understood, question, vector, qvector, hits, asked, search_covered: bool, shown: set[str],
                   mode: str, ground_shown: set[str]):
        """The card sentences that answer the message, and one that grounds the lens in hand."""
        from assistant.answers import sentence_index

        index = sentence_index()
        answer = support = None
        if understood.kind == "distress":
            support = index.answer(vector, question, [], shown, limit=1, cards={WELLBEING_CARD})
        elif understood.kind == "decision" and mode == "live":
            support = index.answer(vector, "record reasons gaps", [], shown, limit=1, cards={RECORD_CARD})
        elif understood.asks:
            answer = self._answer(index, qvector, asked or question, hits, shown, question, search_covered)
            # Search found no card that covers the message, nor the question as the answer reads it (with the
            # topic a short follow-up inherits, the case's sanction and the field's terms for everyday words),
            # and the best sentence only just clears the answer's own bar: it is the nearest, not an answer.
            if (not search_covered and answer.fit < NEAR_MISS
                    and not self.searcher.find(asked or question, k=1).covered):
                answer = answer.model_copy(update={"covered": False})
        else:  # what the new facts raise, from the sections retrieval found for them
            support = index.answer(qvector, asked or question, hits, ground_shown, limit=1)
        return answer, support

    @staticmethod
    def _answer(index, qvector, asked: str, hits, shown, own_words: str, search_covered: bool):
        """One answer; for a question that asks two things, the best two sentences for each part."""
        from assistant.answers import Answer
        from knowledge.embedder import get_embedder

        pieces = parts(asked)
        if len(pieces) == 1:
            return index.answer(qvector, asked, hits, shown, own_words=own_words, search_covered=search_covered,
                                asked_outright=True)
        # "What does PACE stand for and what would it look like today?": a part that only says "it" is about
        # the first part's topic.
        pieces = [pieces[0]] + [f"{pieces[0]} {p}" if _LEANS.search(p) else p for p in pieces[1:]]
        texts = [f"{p} ({lay_terms(p)})" if lay_terms(p) else p for p in pieces]
        answers: list[Answer] = []
        for v, t, p in zip(get_embedder().embed(texts), texts, pieces):
            answer = index.answer(v, t, hits, shown, limit=2, own_words=p, search_covered=search_covered,
                                  asked_outright=True)
            if answers and _same_section(answer, answers[0]):
                # The whole message's search pulled both parts to one section: rank this part on its own.
                answer = index.answer(v, t, [], shown, limit=2, own_words=p, asked_outright=True)
            answers.append(answer)
        # Each part's best sentence first, so a short reply still answers both.
        ranked = [s for rank in range(2) for a in answers for s in a.sentences[rank:rank + 1]]
        chosen = list({s.text: s for s in ranked}.values())
        return Answer(sentences=chosen[:4], covered=any(a.covered for a in answers), best=max(a.best for a in answers),
                      fit=max(a.fit for a in answers))

    def _retrieve(self, query: str, target: str | None):
        """The cards (and the school's documents) for the query, and the card search itself
        (how far the cards cover the question)."""
        found = self.searcher.find(query, k=6, lenses=sorted(CARD_LENSES.get(target or "", set())))
        hits = list(found.hits)
        try:
            from knowledge.documents import search_documents

            hits = [*hits, *search_documents(query, k=2)]
        except ReflectError:
            pass
        return hits, found

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

    def _reply(self, session, record, text, kind, citations, state, lens, understood=None, notice=None,
               sent=None, redacted: list[str] | None = None) -> TurnResult:
        text = safe_text(text)  # document passages and model text may carry terminal escapes
        turn = Turn(role="assistant", text=text, mode=session.mode, verdict=record, citations=citations,
                    lens_state=state, lens=lens, kind=kind, notice=notice, sent_to_model=sent)
        self.store.append(session, turn)
        handed = session.pinned is not None and session.handed_on
        kept = None if session.pinned is None or kind == "escalation" else (
            self.composer.talk.pinned_handed_on if handed else session.pinned)
        return TurnResult(
            session=session.id, verdict=record, reply=text, kind=kind, citations=citations,
            lenses=state.covered(), touched=state.touched(), pinned=session.pinned,
            handed_on=handed, kept_in_view=kept, notice=notice, sent_to_model=sent, redacted=redacted or [],
            understanding=understood, case=session.case,
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
        if turn.role == "assistant" and turn.kind in ("reflection", "plan", "answer"):
            return turn.lens
    return None


# Once a live decision is recorded, the questions follow it: carrying it out, then the staff. The lenses
# that weigh a decision (needs, proportionality ...) are not reopened, except a safeguarding point raised.
_AFTER_DECISION = (*AFTER_DECISION, "staff")


# A decision labelled inside a longer message ("...as a decision note? Decision: phone kept till 3pm.").
_DECISION_IN = re.compile(r"(?:^|[.?!]\s+)(?:my |our |final )*decision\s*[:\-]\s*(.{8,})", re.I | re.S)


def _target(state: LensState, answering: str | None, understood: Understanding, mode: str,
            decided: bool = False) -> str | None:
    """The lens that matters now: the one the message raises, if still open; else the one
    just asked about, if unanswered; else the next open lens in order."""
    lens = understood.lens
    if mode == "live" and decided:
        if lens == "safeguarding" and state.lenses[lens].status != "covered":
            return lens
        return next((n for n in _AFTER_DECISION if n in state.lenses and state.lenses[n].status != "covered"), None)
    if mode != "practice" and lens in state.lenses and state.lenses[lens].status != "covered":
        return lens
    open_answer = answering and state.lenses.get(answering) and state.lenses[answering].status != "covered"
    if mode == "practice":  # on from the furthest stage reached, not back to one the person has moved past
        reached = practice_stages.furthest(state.covered(), state.order)
        if open_answer and (reached is None or state.order.index(reached) < state.order.index(answering)):
            return answering
        later = state.order[state.order.index(reached) + 1:] if reached else state.order
        # Past the last stage, nothing is reopened: the reply closes rather than going back to the start.
        return next((n for n in later if state.lenses[n].status != "covered"), None)
    return answering if open_answer else state.next_open()


def _in_case(query: str, case: CaseRecord) -> str:
    """A question asked in a conversation is about its case: "do we still have to tell the LA?" after a
    suspension was mentioned is searched as a question about a suspension."""
    sanction = case.sanctions[0] if case.sanctions else None
    if not sanction or re.search(re.escape(sanction.split()[-1]), query, re.I):
        return query
    return f"{query} ({sanction})"


def _shown(session: Session) -> set[str]:
    """Every sentence the assistant has already said in this session, citations left out."""
    return {s for t in session.turns if t.role == "assistant" for s in split_sentences(_CITATION.sub("", t.text))}


def _same_section(one, other) -> bool:
    return bool(one.sentences and other.sentences) and (
        (one.sentences[0].card_id, one.sentences[0].heading) == (other.sentences[0].card_id, other.sentences[0].heading))


def question_text(message: str) -> str:
    """What the message asks: its question sentences, with the sentence before a short one
    ("... went home. Is that a problem?"); the whole message when it asks nothing."""
    parts = split_sentences(" ".join(message[:RETRIEVAL_CHARS].split()))
    asked = [i for i, s in enumerate(parts) if s.endswith("?")]
    if not asked:
        return message
    first = asked[0]
    leans = len(parts[first].split()) < 8 or _LEANS.search(parts[first])
    lead: list[str] = []
    # "...home educate her. I didn't say anything back. Do I need to do anything with that?": the topic may sit
    # two sentences back, so the lead reaches back until it has some substance.
    for before in reversed(parts[max(0, first - LEAD_SENTENCES):first] if leans else []):
        lead.insert(0, before)
        if len(" ".join(lead).split()) >= LEAD_WORDS:
            break
    trail: list[str] = []
    if leans and first == 0:  # "Was I even allowed to do that? I did Team Teach ages ago...": the topic follows
        for after in parts[1:1 + LEAD_SENTENCES]:
            if after.endswith("?"):
                break
            trail.append(after)
    return " ".join(lead + [parts[i] for i in asked] + trail)


# A question whose subject is only a pronoun ("what does it stand for?") takes its topic from the sentence
# before it ("We did PACE on my training but I've forgotten it.").
LEAD_SENTENCES, LEAD_WORDS = 2, 12
_LEANS = re.compile(r"\b(?:it|that|this|those|these|them)\b", re.I)


def _title_from(message: str) -> str:
    words = message.split()
    return " ".join(words[:8]) + (" …" if len(words) > 8 else "")
