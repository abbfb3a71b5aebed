"""Shared helpers for the conversation tests: engines with scripted models."""
from __future__ import annotations

import re
import time
from typing import Any, Iterator

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from assistant.config import Settings
from assistant.engine import Engine
from assistant.store import SessionStore
from knowledge.loader import cards_by_id

CITATION = re.compile(r"`([a-z0-9]+(?:-[a-z0-9]+)+)`")  # card ids in backticks, alone or with a section


def offline_engine(tmp_path, **settings) -> Engine:
    return Engine(store=SessionStore(tmp_path / "sessions.sqlite3"), settings=Settings(**settings))


def model_engine(tmp_path, chat_model, remote: bool = False, **settings) -> Engine:
    return Engine(store=SessionStore(tmp_path / "sessions.sqlite3"), settings=Settings(**settings),
                  chat_model=chat_model, model_is_remote=remote)


def scripted(*replies: str) -> GenericFakeChatModel:
    return GenericFakeChatModel(messages=iter([AIMessage(content=r) for r in replies]))


def cited_ids(text: str) -> list[str]:
    return CITATION.findall(text)


def real_card(card_id: str) -> bool:
    return card_id in cards_by_id()


class RecordingModel(BaseChatModel):
    """Replies with a fixed text and remembers what it was sent."""

    reply: str
    seen: list[str] = []

    @property
    def _llm_type(self) -> str:
        return "recording"

    def _generate(self, messages: list[BaseMessage], stop=None, run_manager=None, **kw: Any) -> ChatResult:
        self.seen.append("\n".join(str(m.content) for m in messages))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=self.reply))])

    def _stream(self, messages, stop=None, run_manager=None, **kw) -> Iterator[ChatGenerationChunk]:
        self.seen.append("\n".join(str(m.content) for m in messages))
        for word in re.split(r"(\s+)", self.reply):
            yield ChatGenerationChunk(message=AIMessageChunk(content=word))


class FailingModel(BaseChatModel):
    """A model whose server is down."""

    @property
    def _llm_type(self) -> str:
        return "failing"

    def _generate(self, *a, **kw) -> ChatResult:
        raise ConnectionError("connection refused")

    def _stream(self, *a, **kw) -> Iterator[ChatGenerationChunk]:
        raise ConnectionError("connection refused")


class SlowModel(BaseChatModel):
    """A model that never answers in time."""

    delay: float = 5.0

    @property
    def _llm_type(self) -> str:
        return "slow"

    def _generate(self, *a, **kw) -> ChatResult:
        time.sleep(self.delay)
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content="too late"))])

    def _stream(self, *a, **kw) -> Iterator[ChatGenerationChunk]:
        time.sleep(self.delay)
        yield ChatGenerationChunk(message=AIMessageChunk(content="too late"))
