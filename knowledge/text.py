"""Plain-text helpers shared by search and the guardrails: sentence splitting
and the field's abbreviations (read from the glossary), and, for search only,
the glossary's lay phrasings ("school refuser" -> emotionally based school avoidance).

One home for each, so that search and the guard never disagree about where a
sentence ends or what "PEX" means.
"""
from __future__ import annotations

import re
from functools import lru_cache

from knowledge.glossary import load_glossary

# A sentence ends at . ! ? (with any closing quote or bracket), at a line break, or after a semicolon.
_SPLIT = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\s*\n\s*|(?<=;)\s+")
# Full stops that do not end a sentence.
_TITLES = re.compile(r"\b(mr|mrs|ms|dr|prof|st|e\.g|i\.e|etc|vs|approx)\.", re.IGNORECASE)
_SECTIONS = re.compile(r"\b(s|ss|reg|regs|para|paras)\.(?=\s*\d)", re.IGNORECASE)


def split_sentences(text: str, max_chars: int = 400) -> list[str]:
    """The sentences of text, in order; one longer than max_chars is cut at word boundaries.

    "Mr. Smith", "e.g. a TA" and "s. 15" do not end a sentence; bullets and
    dashes at a line's start are dropped; pieces with no letter or digit are skipped.
    """
    protected = _TITLES.sub(lambda m: m.group(1).replace(".", ""), text)
    protected = _SECTIONS.sub(lambda m: m.group(1), protected)
    out: list[str] = []
    for piece in _SPLIT.split(protected):
        piece = piece.strip(" -*•\t")
        if not piece or not any(ch.isalnum() for ch in piece):
            continue
        if len(piece) <= max_chars:
            out.append(piece)
            continue
        chunk: list[str] = []
        size = 0
        for word in piece.split(" "):
            if size + len(word) > max_chars and chunk:
                out.append(" ".join(chunk))
                chunk, size = [], 0
            chunk.append(word[:max_chars])
            size += len(word) + 1
        if chunk:
            out.append(" ".join(chunk))
    return out


def _is_abbreviation(name: str) -> bool:
    """Short, no spaces, and written with at least two capitals: 'PEX', 'SENCo', 'DfE', 'ACEs'."""
    bare = name.replace("/", "")
    return len(bare) <= 8 and bare.isalnum() and sum(c.isupper() for c in bare) >= 2


@lru_cache(maxsize=1)
def abbreviations() -> dict[str, str]:
    """Abbreviation (exactly as written in the glossary) -> expansion.

    Terms the glossary marks `ambiguous` (DT is design and technology as often
    as designated teacher; CP is cerebral palsy as well as child protection)
    are left out: a wrong expansion does more harm than none.
    """
    table: dict[str, str] = {}
    for entry in load_glossary():
        if entry.ambiguous:
            continue
        for name in [entry.term, *entry.aliases]:
            name = name.strip()
            if _is_abbreviation(name) and name.casefold() != entry.expansion.casefold():
                table.setdefault(name, entry.expansion)
    return table


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str] | None:
    table = abbreviations()
    if not table:
        return None
    keys = sorted(table, key=len, reverse=True)
    # Case-sensitive on purpose: "MAT" is a trust, "Mat" is a name; "TA" an assistant, "Ta" thanks.
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(k) for k in keys) + r")s?(?![\w-])")


def expand_abbreviations(text: str, keep_original: bool = True) -> str:
    """'PEX for a CLA pupil' -> 'PEX (permanent exclusion) for a CLA (child looked after) pupil'.

    Only whole words written as the glossary writes them count, so ordinary
    words ("pace", "Mat", "Ta", "send") are never rewritten.
    """
    pattern = _pattern()
    if pattern is None:
        return text
    table = abbreviations()

    def replace(match: re.Match[str]) -> str:
        expansion = table[match.group(1)]
        return f"{match.group(0)} ({expansion})" if keep_original else expansion

    return pattern.sub(replace, text)


def expansions_in(text: str) -> list[str]:
    """The expansions of the abbreviations in text, once each, in order of first use."""
    pattern = _pattern()
    if pattern is None:
        return []
    table = abbreviations()
    return list(dict.fromkeys(table[m.group(1)] for m in pattern.finditer(text)))


@lru_cache(maxsize=1)
def _lay_table() -> tuple[dict[str, str], re.Pattern[str] | None]:
    table: dict[str, str] = {}
    for entry in load_glossary():
        for phrase in entry.lay:
            table.setdefault(" ".join(phrase.casefold().split()), entry.expansion)
    if not table:
        return table, None
    keys = sorted(table, key=len, reverse=True)
    # Whole words, any case, any run of spaces between them: "Held  him down" counts.
    alternatives = "|".join(r"\s+".join(re.escape(w) for w in k.split()) for k in keys)
    return table, re.compile(r"(?<![\w-])(" + alternatives + r")(?![\w-])", re.IGNORECASE)


def lay_terms_in(text: str) -> list[str]:
    """The field's terms for the lay phrasings in text, once each, in order of first use.

    For search only: the guard reads what was written, not what it might mean.
    """
    table, pattern = _lay_table()
    if pattern is None:
        return []
    return list(dict.fromkeys(table[" ".join(m.group(1).casefold().split())] for m in pattern.finditer(text)))
