"""Text in one canonical form before any rule or embedding sees it.

NFKC, look-alike letters mapped to Latin, zero-width and control characters
removed, casefolded, and the field's abbreviations expanded through the
glossary (`knowledge.glossary.load_glossary`) with the policy's own
short list as a fallback. Sentences are split here too.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Mapping


# Cyrillic and Greek letters that look Latin: a cheap way round "ехclude".
_CONFUSABLES = str.maketrans({
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i",
    "ј": "j", "ѕ": "s", "ԁ": "d", "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w", "к": "k",
    "м": "m", "т": "t", "в": "b", "н": "h",
    "α": "a", "ε": "e", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "ι": "i", "κ": "k", "ν": "v",
    "\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'", "\u201c": '"', "\u201d": '"',
    "\u2013": "-", "\u2014": "-", "\u2212": "-",
})
# Short abbreviations that are also English words expand only when written in capitals.
_WORDS = frozenset(
    "a an am as at be by do go he if in is it me my no of on or so to up us we "
    "act aim art can cap cat dip ed end hat led map mat pat pen pet pin re red sat "
    "see send sent set sir tap ten tin top van vet wed "
    "aces elsa mash odd pace pep salt sip".split()
)
# Quotation marks carry no meaning for the rules ("his dad 'strangled mum'"): drop them,
# keeping the apostrophe inside a word (won't, mum's).
_QUOTES = re.compile(r"[\"«»„]|(?<![\w])'|'(?![\w])")
_SPLIT = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\s*\n\s*|(?<=;)\s+")
_TITLES = re.compile(r"\b(mr|mrs|ms|dr|prof|st|e\.g|i\.e|etc|vs|approx)\.", re.IGNORECASE)


def _strip_invisible(text: str) -> str:
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch in "\n\t":
            out.append(ch)
        elif cat in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue
        elif cat.startswith("Z"):
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def load_abbreviations(fallback: Mapping[str, str]) -> dict[str, str]:
    """Abbreviation -> expansion: the policy's fallback, then the glossary over it.

    Whichever of a glossary term and its aliases is short and has no spaces
    counts as an abbreviation of the expansion.
    """
    from knowledge.errors import ReflectError
    from knowledge.glossary import load_glossary

    table = dict(fallback)
    try:
        entries = load_glossary()
    except ReflectError:  # a half-written glossary must not stop the guardrails
        entries = ()
    for entry in entries:
        target = entry.expansion.strip()
        for name in [entry.term, *entry.aliases]:
            name = name.strip()
            if name and name.casefold() != target.casefold() and " " not in name and len(name) <= 8:
                table[name] = target
    return table


class Normaliser:
    def __init__(self, abbreviations: Mapping[str, str]):
        anycase, capitals = {}, {}
        for abbr, expansion in abbreviations.items():
            key = abbr.strip().strip(".")
            if not key or not expansion:
                continue
            if len(key) >= 3 and key.casefold() not in _WORDS:
                anycase[key.casefold()] = expansion.casefold()
            else:
                capitals[key.upper()] = expansion.casefold()
        self._anycase = anycase
        self._capitals = capitals
        self._re_any = _word_alternation(anycase, re.IGNORECASE)
        self._re_caps = _word_alternation(capitals, 0)
        self.fingerprint = repr(sorted(anycase.items())) + repr(sorted(capitals.items()))

    def __call__(self, text: str) -> str:
        text = unicodedata.normalize("NFKC", text or "")
        text = _strip_invisible(text).translate(_CONFUSABLES)
        if self._re_caps is not None:
            text = self._re_caps.sub(lambda m: self._capitals[m.group(0)], text)
        text = text.casefold()
        if self._re_any is not None:
            text = self._re_any.sub(lambda m: self._anycase[m.group(0).casefold()], text)
        text = _QUOTES.sub("", text)
        text = re.sub(r"[ \t]+", " ", text)
        return re.sub(r" ?\n[\s]*", "\n", text).strip()


def _word_alternation(table: Mapping[str, str], flags: int) -> re.Pattern[str] | None:
    if not table:
        return None
    keys = sorted(table, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(k) for k in keys) + r")(?![\w-])", flags)


def split_sentences(text: str, max_chars: int = 400) -> list[str]:
    """Sentences of normalised text; an overlong one is cut into word chunks."""
    protected = _TITLES.sub(lambda m: m.group(1).replace(".", ""), text)
    out: list[str] = []
    for piece in _SPLIT.split(protected):
        piece = piece.strip(" -*•\t")
        if not piece or not any(ch.isalnum() for ch in piece):
            continue
        if len(piece) <= max_chars:
            out.append(piece)
            continue
        words = piece.split(" ")
        chunk: list[str] = []
        size = 0
        for word in words:
            if size + len(word) > max_chars and chunk:
                out.append(" ".join(chunk))
                chunk, size = [], 0
            chunk.append(word[:max_chars])
            size += len(word) + 1
        if chunk:
            out.append(" ".join(chunk))
    return out

