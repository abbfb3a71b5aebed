"""The one sanitiser for text that is shown or written out.

Model replies, stored turns, file names, session titles and exports can all
carry bytes that a terminal obeys rather than shows: escape sequences (clear
the screen, write the clipboard through OSC 52), C1 controls, and Unicode
bidi overrides that make text read differently from what it is. `safe_text`
removes them and keeps everything readable; `one_line` also folds
whitespace and caps the length, for names and titles.
"""
from __future__ import annotations

import re

TITLE_CHARS = 120

# Whole escape sequences first, so their parameters ("[2J", "]52;c;...") do not survive as text.
_ESCAPES = re.compile(
    r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL or ST (titles, clipboard, hyperlinks)
    r"|\x1b[P^_X][^\x1b]*(?:\x1b\\)?"  # DCS, PM, APC, SOS strings
    r"|\x1b\[[0-?]*[ -/]*[@-~]"  # CSI (cursor, erase, colour)
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
    r"|\x1b[ -/]*[0-~]?"  # any other escape
)
# C0 controls except tab and newline, DEL, C1 controls, lone surrogates and non-characters,
# bidi embeddings, overrides and isolates, and the byte-order mark.
_INVISIBLE = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff"
    r"\ud800-\udfff\ufffe\uffff]"
)


def safe_text(text: str) -> str:
    """The text with escape sequences, control and bidi-override characters removed.

    Newlines and tabs stay; a carriage return becomes a newline (a bare CR
    would let text overwrite the line before it).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _INVISIBLE.sub("", _ESCAPES.sub("", text))


def one_line(text: str, limit: int = TITLE_CHARS) -> str:
    """Safe text on one line, whitespace folded, at most `limit` characters."""
    folded = " ".join(safe_text(text).split())
    if len(folded) <= limit:
        return folded
    return folded[: limit - 1].rstrip() + "…"


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~])")


def markdown_literal(text: str) -> str:
    """One line of user data placed inside Markdown, shown as typed and never as a link or markup."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", one_line(text))
