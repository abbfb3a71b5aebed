"""An optional language model (through langchain) that words the reply more
naturally. It never decides what is allowed: the offline draft chooses the
lens, the questions and the sources; the output rail checks the model's text
as it streams and whole; any failure falls back to the offline draft.
"""
from __future__ import annotations

import queue
import threading
import time
from typing import Callable

from pydantic import BaseModel, Field

from assistant.replies import Draft, ReplyContext
from assistant.config import Settings
from assistant.redaction import Redactor
from knowledge.safe_text import safe_text
from prompts.bank import load_template, render_template

CHECK_EVERY = 160  # at most this much unchecked text is held before the rail looks again
WINDOW = 800  # the rail looks at this much of the latest text mid-stream
HOLD_BACK = 16  # characters held back so a placeholder split across chunks is restored whole


class ModelOutcome(BaseModel):
    text: str
    notice: str | None = None
    sent: str | None = None  # what the model saw (redacted when remote), for the user to inspect
    replaced_by: str | None = None  # the rail's template when the model produced a determination
    redacted: list[str] = Field(default_factory=list)  # "Jake Smith → [Pupil A]": what the remote model did not see


def build_chat_model(settings: Settings):
    if settings.provider == "ollama":
        from langchain_ollama import ChatOllama

        return ChatOllama(model=settings.model, base_url=settings.base_url or "http://localhost:11434",
                          temperature=0.3, client_kwargs={"timeout": settings.timeout_seconds})
    if settings.provider == "openai":
        from langchain_openai import ChatOpenAI

        key = settings.api_key.get_secret_value() if settings.api_key else "not-needed"
        return ChatOpenAI(model=settings.model, base_url=settings.base_url, api_key=key, temperature=0.3,
                          timeout=settings.timeout_seconds, max_retries=0)
    raise ValueError(f"no chat model for provider {settings.provider!r}")


def render_prompt(ctx: ReplyContext, draft: Draft, redactor: Redactor | None = None) -> tuple[str, str]:
    """The system prompt and the turn: the case record, the answer sentences with their citations and
    the chosen questions all go inside data tags, so the model rewords a reply that is already right.
    With a redactor, every piece of data in the turn is redacted alike; our own template words are not,
    so they are never mistaken for names."""
    sections = "\n\n".join(
        f"[{h.card_id}] {h.title} — {h.heading}\n{h.snippet}" for h in ctx.hits[:5]
    ) or "(none)"
    history = "\n".join(
        f"{t.role}: {t.text[:600]}" for t in ctx.session.turns[-6:] if t.kind != "escalation"
    )
    case = "\n".join(f"- {label}: {text}" for label, text in ctx.session.case.lines()) or "(nothing yet)"
    if ctx.answer and ctx.answer.sentences:
        answer = ("" if ctx.answer.covered else "(The cards do not cover this directly; the nearest:)\n") + "\n".join(
            f"- {s.text} [`{s.card_id}`, {s.heading}]" for s in ctx.answer.sentences)
    else:
        answer = "(nothing was asked)" if not ctx.understanding.asks else "(the cards do not cover this)"
    questions = "\n".join(f"- {q.text}" for q in draft.questions) or "(none this turn)"
    data = {"case_record": case, "answer": answer, "questions": questions, "sections": sections,
            "draft": draft.text, "history": history or "(start)", "message": ctx.message}
    if redactor is not None:
        data = redactor.redact_fields(data)
    lens_state = ", ".join(f"{name}: {entry.status}" for name, entry in ctx.state.lenses.items())
    human = render_template(
        "turn", mode=ctx.session.mode, lens_state=lens_state, next_lens=draft.lens or "(all covered)", **data,
    )
    return load_template("system"), human


class ModelResponder:
    def __init__(self, settings: Settings, chat_model=None, remote: bool = False) -> None:
        self.settings = settings
        self._model = chat_model
        self.remote = remote

    def respond(self, ctx: ReplyContext, draft: Draft, on_chunk: Callable[[str], None] | None,
                cancel: threading.Event | None, check: Callable[[str], str | None]) -> ModelOutcome:
        from langchain_core.messages import HumanMessage, SystemMessage

        redactor = Redactor(names=ctx.session.names) if self.remote else None
        system, human = render_prompt(ctx, draft, redactor)
        redacted = redactor.replaced if redactor else []
        try:
            model = self._model or build_chat_model(self.settings)
        except Exception as exc:  # a misconfigured provider must not lose the turn
            return self._fallback(draft, f"the language model could not be set up ({exc})", human, redacted)

        chunks: queue.Queue = queue.Queue()
        stop = threading.Event()

        def pump() -> None:
            try:
                for piece in model.stream([SystemMessage(system), HumanMessage(human)]):
                    if stop.is_set():
                        break
                    chunks.put(piece.content if isinstance(piece.content, str) else str(piece.content))
                chunks.put(None)
            except Exception as exc:  # delivered to the reader, which falls back
                chunks.put(exc)

        threading.Thread(target=pump, daemon=True, name="model-stream").start()
        deadline = time.monotonic() + self.settings.timeout_seconds
        raw, shown = "", 0
        restore = redactor.restore if redactor else (lambda s: s)
        checked = ""  # only text the rail has passed is ever shown or kept
        while True:
            if cancel is not None and cancel.is_set():
                stop.set()
                text = checked.strip()
                return ModelOutcome(text=(text + "\n\n*(stopped)*") if text else draft.text,
                                    notice="You stopped the reply.", sent=human, redacted=redacted)
            try:
                piece = chunks.get(timeout=min(0.1, max(0.0, deadline - time.monotonic())) or 0.01)
            except queue.Empty:
                if time.monotonic() >= deadline:
                    stop.set()
                    return self._fallback(draft, "the language model did not answer in time", human, redacted)
                continue
            if isinstance(piece, Exception):
                # The client's own timeout (httpx, openai) is the same event as ours, and is told the same way.
                why = ("the language model did not answer in time" if "timeout" in type(piece).__name__.lower()
                       else f"the language model failed ({type(piece).__name__})")
                return self._fallback(draft, why, human, redacted)
            if piece is None:
                break
            raw += piece
            visible = safe_text(restore(raw))
            # Only checked text is shown: check at each sentence end, or every CHECK_EVERY characters.
            if len(visible) - shown >= CHECK_EVERY or (piece.rstrip() and piece.rstrip()[-1] in ".!?\n"):
                template = check(visible[-WINDOW:])
                if template is not None:
                    stop.set()
                    return ModelOutcome(text=template, replaced_by=template, sent=human, redacted=redacted)
                safe = len(visible) - HOLD_BACK
                checked = visible[:max(safe, 0)]
                if on_chunk and safe > shown:
                    on_chunk(visible[shown:safe])
                    shown = safe

        text = safe_text(restore(raw)).strip()
        if not text:
            return self._fallback(draft, "the language model returned nothing", human, redacted)
        template = check(text)
        if template is not None:
            return ModelOutcome(text=template, replaced_by=template, sent=human, redacted=redacted)
        # The rail has passed this text: only now may it be shown whole and given sources.
        if on_chunk and len(text) > shown:
            on_chunk(text[shown:])
        return ModelOutcome(text=with_sources(text, draft), sent=human, redacted=redacted)

    @staticmethod
    def _fallback(draft: Draft, why: str, sent: str, redacted: list[str]) -> ModelOutcome:
        return ModelOutcome(text=draft.text, sent=sent, redacted=redacted,
                            notice=f"{why[0].upper()}{why[1:]}; this reply comes from the offline responder.")


def with_sources(passed: str, draft: Draft) -> str:
    """Text the output rail has passed, with the draft's sources named if the model left them out.

    Never call this on unchecked text: a "Sources:" line lends a reply authority.
    """
    if draft.citations and not any(c.card_id in passed for c in draft.citations):
        return passed + "\n\nSources: " + ", ".join(f"[`{c.card_id}`]" for c in draft.citations)
    return passed
