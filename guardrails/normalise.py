"""Text in one canonical form before any rule or embedding sees it.

NFKC, look-alike letters mapped to Latin, zero-width and control characters
removed, casefolded, surface tricks read through (leetspeak inside words,
spaced-out letters, long runs of one letter, text-speak from
`data/surface.yaml`), and the field's abbreviations expanded through the
glossary (`knowledge.glossary.load_glossary`) with the policy's own short
list as a fallback. Sentences are split by `knowledge.text.split_sentences`, as search splits them.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
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


SURFACE_PATH = Path(__file__).with_name("data") / "surface.yaml"

# Digits and symbols that stand for letters inside a word ("h1t", "s3x", "b@sh3d").
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"})
_LEET_TOKEN = re.compile(r"(?<![\w@$!])[a-z0-9@$!]*[a-z][a-z0-9@$!]*(?![\w@$!])")
_LEET_CHARS = re.compile(r"[013457@$!]")
# Tokens that mix letters and digits honestly: 3rd, 10am, y9, ks4, 6th, 2x, 1to1, b4 (text-speak).
_NOT_LEET = re.compile(r"\d+(?:st|nd|rd|th|am|pm|s|yo|yrs?|hrs?|mins?|kg|cm|mm|m|k|x|ish|ft)|(?:y|yr|year|ks|nc|p)\d{1,2}[a-z]?s?|\d+[a-z]\d*|[a-z]*!+")
# Three or more single letters separated by one space, dot, dash, star or underscore: "s e x", "b-r-u-i-s-e".
_SPACED = re.compile(r"(?<![\w])[a-z](?P<sep>[ .*_-])(?:[a-z](?P=sep))+[a-z](?![\w])")
_RUNS = re.compile(r"([a-z])\1{2,}")


@lru_cache(maxsize=1)
def textspeak() -> dict[str, str]:
    from knowledge.yamlfile import load_yaml

    raw = load_yaml(SURFACE_PATH.read_text(encoding="utf-8")) or {}
    return {str(k).casefold(): str(v).casefold() for k, v in (raw.get("textspeak") or {}).items()}


def read_through_surface(text: str) -> str:
    """Casefolded text with leetspeak, spaced letters, letter runs and text-speak undone."""
    text = _SPACED.sub(lambda m: re.sub(r"[ .*_-]", "", m.group(0)), text)

    def leet(m: re.Match[str]) -> str:
        tok = m.group(0)
        if not _LEET_CHARS.search(tok) or _NOT_LEET.fullmatch(tok) or tok in textspeak():
            return tok
        return tok.translate(_LEET)

    text = _LEET_TOKEN.sub(leet, text)
    text = _RUNS.sub(r"\1\1", text)
    table = textspeak()
    return re.sub(r"(?<![\w'/])[a-z0-9/']+(?![\w'/])", lambda m: table.get(m.group(0), m.group(0)), text)


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
    """Abbreviation -> expansion: the policy's fallback, then the glossary's table over it.

    The table is `knowledge.text.abbreviations()`, the one search uses (ambiguous
    terms such as DT and CP left out); the guard differs only in how it matches,
    reading lower-case typing too ("dsl", "pex") for terms of three letters or more.
    """
    from knowledge.errors import ReflectError
    from knowledge.text import abbreviations

    table = dict(fallback)
    try:
        table.update(abbreviations())
    except ReflectError:  # a half-written glossary must not stop the guardrails
        pass
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
        self.fingerprint = (repr(sorted(anycase.items())) + repr(sorted(capitals.items()))
                            + repr(sorted(textspeak().items())))

    def __call__(self, text: str) -> str:
        text = unicodedata.normalize("NFKC", text or "")
        text = _strip_invisible(text).translate(_CONFUSABLES)
        if self._re_caps is not None:
            text = self._re_caps.sub(lambda m: self._capitals[m.group(0)], text)
        text = read_through_surface(text.casefold())
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
