"""Typed messages that workers post to the app (thread-safe via post_message)."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from assistant.engine import TurnResult


class WarmUpDone(Message):
    """The guardrails, search index and embedding model are loaded."""


class WarmUpProgress(Message):
    """A step of the warm-up has started (on a first run, the index build counts cards)."""

    def __init__(self, step: str) -> None:
        super().__init__()
        self.step = step


class WarmUpFailed(Message):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class ReplyChunk(Message):
    """A piece of a streaming reply."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class TurnDone(Message):
    def __init__(self, result: "TurnResult") -> None:
        super().__init__()
        self.result = result


class TurnFailed(Message):
    """The turn did not complete: the prompt goes back into the input."""

    def __init__(self, prompt: str, error: str) -> None:
        super().__init__()
        self.prompt = prompt
        self.error = error


class ExportDone(Message):
    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path


class ExportFailed(Message):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class DocumentsDone(Message):
    """Documents ingested, or a policy reviewed: text to show."""

    def __init__(self, title: str, text: str, markdown: bool = False) -> None:
        super().__init__()
        self.title, self.text, self.markdown = title, text, markdown


class DocumentsFailed(Message):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error
