"""Plain-text helpers shared by search, the guardrails, the conversation and the
policy review: sentence splitting and the field's abbreviations (read from the
glossary), and, for search only, the glossary's lay phrasings ("school refuser"
-> emotionally based school avoidance) and spelling correction towards the
cards' words ("desicion" -> decision).

One home for each, so that no two parts of the product disagree about where a
sentence ends or what "PEX" means.
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from knowledge.glossary import load_glossary

# A sentence ends at . ! ? (with any closing quote or bracket) followed by space, or at a line break;
# optionally after a semicolon too (a tariff list "swearing: 1 day; fighting: 3 days" is two rules).
_END = r"(?:(?<=[.!?])|(?<=[.!?][\"'”’)\]]))\s+|\s*\n\s*"
_SPLIT = re.compile(_END)
_SPLIT_SEMICOLONS = re.compile(_END + r"|(?<=;)\s+")
# Full stops that do not end a sentence: titles and Latin abbreviations, "s. 15", "para. 3", "No. 2",
# and a list item's number.
_TITLES = re.compile(r"\b(?:mr|mrs|ms|dr|prof|st|e\.g|i\.e|etc|vs|approx|cf)\.", re.IGNORECASE)
_NUMBERED = re.compile(r"\b(?:s|ss|reg|regs|para|paras|no)\.(?=\s*\d)", re.IGNORECASE)
_LIST_NUMBER = re.compile(r"^\s*\d{1,3}\.(?=\s)", re.MULTILINE)  # "1. Ground rules" is one sentence
# Dotted initials with the sentence going on in lower case ("their P.E. kit", "a D.T. lesson").
_INITIALS = re.compile(r"\b(?:[A-Za-z]\.){2,}(?=\s+[a-z])")
# Stands in for a protected full stop while splitting; a private-use character no text uses.
_HELD = "\ue000"
# A bullet or dash opening a line is not part of the sentence; "**bold**" is. (The composer uses it to keep a
# line's bullet when it re-joins the sentences of a reply.)
BULLET = re.compile(r"^\s*(?:[-*•]+\s+)+")


def split_sentences(text: str, max_chars: int | None = None, at_semicolons: bool = False) -> list[str]:
    """The sentences of text, in order and as written; one longer than max_chars is cut at word boundaries.

    The one sentence splitter: the guard, search, the conversation and the
    policy review all split here. "Mr. Smith", "e.g. a TA" and "s. 15" do not
    end a sentence; bullets and dashes at a line's start are dropped; pieces
    with no letter or digit are skipped.
    """
    def hold(match: re.Match[str]) -> str:
        return match.group(0).replace(".", _HELD)

    held = text.replace(_HELD, "")
    for protect in (_TITLES, _NUMBERED, _LIST_NUMBER, _INITIALS):
        held = protect.sub(hold, held)
    out: list[str] = []
    for piece in (_SPLIT_SEMICOLONS if at_semicolons else _SPLIT).split(held):
        piece = BULLET.sub("", piece.strip()).strip().replace(_HELD, ".")
        if not piece or not any(ch.isalnum() for ch in piece):
            continue
        if max_chars is None or len(piece) <= max_chars:
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
def _lay_table() -> tuple[dict[str, str], re.Pattern[str] | None, tuple[tuple[re.Pattern[str], str], ...]]:
    """The glossary's lay phrasings (whole phrases -> term) and its looser lay patterns."""
    table: dict[str, str] = {}
    patterns: list[tuple[re.Pattern[str], str]] = []
    for entry in load_glossary():
        for phrase in entry.lay:
            table.setdefault(" ".join(phrase.casefold().split()), entry.expansion)
        patterns.extend((re.compile(p, re.IGNORECASE), entry.answer_terms or entry.expansion) for p in entry.lay_patterns)
    if not table:
        return table, None, tuple(patterns)
    keys = sorted(table, key=len, reverse=True)
    # Whole words, any case, any run of spaces between them: "Held  him down" counts.
    alternatives = "|".join(r"\s+".join(re.escape(w) for w in k.split()) for k in keys)
    return table, re.compile(r"(?<![\w-])(" + alternatives + r")(?![\w-])", re.IGNORECASE), tuple(patterns)


def lay_terms_in(text: str, broad: bool = False) -> list[str]:
    """The field's terms for the lay phrasings in text, once each, in order of first use.

    The one lay-phrase table (the glossary's `lay` and `lay_patterns`), for search and for the
    answer to a question asked. Search uses the whole phrases only; `broad` adds the looser
    patterns ("sent him home", "kicking off"), which suit a question already asked but pulled
    search towards the wrong cards. The guard reads what was written, not what it might mean.
    """
    table, pattern, patterns = _lay_table()
    found: list[tuple[int, str]] = []
    if pattern is not None:
        found += [(m.start(), table[" ".join(m.group(1).casefold().split())]) for m in pattern.finditer(text)]
    if broad:
        for rx, term in patterns:
            match = rx.search(text)
            if match:
                found.append((match.start(), term))
    return list(dict.fromkeys(term for _, term in sorted(found, key=lambda item: item[0])))


# Spelling: a word is corrected only when it is not English (the frequency list symspellpy ships), not the
# cards' or the glossary's, long enough that a near word is likely what was meant, and within one edit (two
# for longer words) of a word the cards use. Short words are left alone ("sats" is not "sits").
_WORD_TOKEN = re.compile(r"(?<![\w'’-])[A-Za-z]{5,}(?![\w'’-])")
_LONG_WORD = 7  # from this length two edits are allowed
# Negatives typed without the apostrophe keep their "not" ("wouldnt" is not "would").
_CONTRACTIONS = {w.replace("'", ""): w for w in (
    "wouldn't", "couldn't", "shouldn't", "doesn't", "didn't", "hasn't", "haven't", "isn't", "aren't",
    "wasn't", "weren't")}


@lru_cache(maxsize=1)
def _speller():
    """(known words, a SymSpell over the cards' and glossary's words)."""
    from symspellpy import SymSpell

    from knowledge.vocabulary import card_words

    listed = (resources.files("symspellpy") / "frequency_dictionary_en_82_765.txt").read_text(encoding="utf-8")
    english = {line.split(" ", 1)[0] for line in listed.splitlines()}
    field = set(card_words())
    for entry in load_glossary():
        for text in (entry.term, entry.expansion, *entry.aliases, *entry.lay):
            field.update(w.casefold() for w in re.findall(r"[A-Za-z]+", text))
    speller = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
    for word in field:
        if len(word) >= 4:
            speller.create_dictionary_entry(word, 1)
    return english | field, speller


def correct_spelling(text: str) -> str:
    """Text with misspelt words replaced by the card word meant ("Health & Safty" -> "Health & Safety").

    Words written in capitals (abbreviations), with digits or apostrophes, shorter than five letters or
    already English are kept as written; so is a word with no card word near it.
    """
    from symspellpy import Verbosity

    known, speller = _speller()

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        lower = word.casefold()
        if lower in _CONTRACTIONS:
            return _CONTRACTIONS[lower]
        if lower in known or word.isupper():
            return word
        found = speller.lookup(lower, Verbosity.TOP, 2 if len(lower) >= _LONG_WORD else 1)
        # A typo rarely changes the first letter; a joined-up word ("headlice") is not "deadline".
        if not found or found[0].term[0] != lower[0]:
            return word
        better = found[0].term
        return better.capitalize() if word[0].isupper() else better

    return _WORD_TOKEN.sub(fix, text)
