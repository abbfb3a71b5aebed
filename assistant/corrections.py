"""A leader correcting what they said earlier ("actually it was Tuesday not Monday, and she's Year 8 not 7";
"sorry, I meant Year 9"; "correction: the TA, not the teacher"): the pairs (old, new) a message gives, and the
same text with every correction applied, so the case record and every draft carry the corrected fact and
never the old one.

Only a message that says it is correcting counts: "it was a warning, not a suspension" on its own describes
the case rather than correcting an earlier message.
"""
from __future__ import annotations

import re

from knowledge.text import split_sentences

_CUE = re.compile(r"\b(?:actually|sorry|correction|correcting|i meant|i mean|my mistake|my bad|typo|got (?:that|it) wrong|"
                  r"should (?:have )?(?:said|read)|to be clear|not what i said)\b", re.I)
_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_NUMBER_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
                 "thirteen")
_PEOPLE = {"mum", "dad", "mother", "father", "parent", "parents", "carer", "carers", "gran", "grandad", "nan", "teacher",
           "ta", "hlta", "lsa", "senco", "dsl", "head", "deputy", "supply", "cover", "tutor", "head of year", "hoy",
           "social worker", "site manager", "lunchtime supervisor", "midday", "sister", "brother", "stepdad", "stepmum"}
# Words that end the phrase being corrected, walking back from "not" (X) or forward from it (Y).
_STOP_BEFORE = {"was", "is", "were", "are", "it", "it's", "its", "that's", "thats", "meant", "mean", "actually", "sorry",
                "correction", "and", "but", "i", "he", "she", "they", "he's", "she's", "they're", "they", "say", "said",
                "in", "on", "at", "to", "for", "with", "by", "from", "of", "so", "oh", "ok", "okay", "no", "yes", "it",
                "happened", "called", "named"}
_STOP_AFTER = {"and", "but", "who", "that", "which", "when", "so", "as", "because", "as", "i", "he", "she", "they", "we",
               "it", "was", "is", "were", "did", "does", "sorry", "if", "though", "then", "also", "like"}
_DETERMINERS = {"the", "a", "an", "his", "her", "their", "our", "my", "in", "on", "at"}
MOST_WORDS = 4  # a corrected phrase is a day, a year group, a name or a role: never a clause


def _category(words: list[str]) -> str:
    core = [w for w in words if w.lower() not in _DETERMINERS]
    text = " ".join(core).lower()
    if not core:
        return "empty"
    if text in _DAYS:
        return "day"
    if text in _MONTHS:
        return "month"
    if re.fullmatch(r"(?:year|yr|y) ?(?:1[0-3]|[1-9]|" + "|".join(_NUMBER_WORDS) + r")|reception|nursery", text):
        return "year"
    if re.fullmatch(r"\d{1,2}(?:[:.]\d{2})? ?(?:am|pm)|\d{1,2}[:.]\d{2}", text):
        return "time"
    if re.fullmatch(r"\d+(?:st|nd|rd|th)?|" + "|".join(_NUMBER_WORDS), text):
        return "number"
    if text in _PEOPLE or text.rstrip("s") in _PEOPLE or any(w in _PEOPLE for w in text.split()[-1:]):
        return "person"
    if all(w[:1].isupper() for w in core) and core[0].lower() not in _STOP_BEFORE:
        return "person"  # "Mrs Green", "Jayden"
    return "general"


def _tokens(text: str) -> list[str]:
    return re.findall(r"[\w'’]+|[,.;:!?\-–]", text)


def _after(tokens: list[str], start: int) -> list[str]:
    out = []
    for token in tokens[start:]:
        if not re.match(r"[\w'’]", token) or token.lower() in _STOP_AFTER or len(out) == MOST_WORDS:
            break
        out.append(token)
    return out


def _before(tokens: list[str], end: int) -> list[str]:
    out: list[str] = []
    i = end - 1
    if i >= 0 and tokens[i] == ",":
        i -= 1  # "Tuesday, not Monday"
    while i >= 0 and re.match(r"[\w'’]", tokens[i]) and tokens[i].lower() not in _STOP_BEFORE and len(out) < MOST_WORDS:
        out.insert(0, tokens[i])
        i -= 1
    return out


def _align(new: list[str], old: list[str]) -> tuple[str, str] | None:
    """The corrected phrase and the one it replaces, when they are the same kind of thing ("Year 8" and "7" are
    year groups; "the TA" and "the teacher" are people); otherwise no pair is taken."""
    if not new or not old:
        return None
    if _category(old) == "number" and len(new) >= 2 and _category(new[-1:]) == "number":
        old = new[:-1] + old  # "Year 8 not 7": the old one is Year 7
    kind = _category(old)
    # The ending of X as long as Y first ("Mr Patel" for "Mrs Green"), else the shortest of Y's kind, taking in
    # the words before it that only point ("the TA" for "the teacher").
    sizes = [len(old), *range(1, len(new) + 1)] if len(old) <= len(new) else range(1, len(new) + 1)
    for size in sizes:
        candidate = new[-size:]
        if _category(candidate) == kind and (kind != "general" or size == len(old)):
            while size < len(new) and new[-size - 1].lower() in _DETERMINERS:
                size += 1
                candidate = new[-size:]
            pair = (" ".join(old), " ".join(candidate))
            return pair if pair[0].lower() != pair[1].lower() else None
    return None


_I_MEANT = re.compile(r"\bi (?:meant|mean)\b\s*(?:it was\s+|it'?s\s+|she'?s\s+|he'?s\s+|they'?re\s+|in\s+)?", re.I)
# "actually it was Tuesday", "it was actually the Tuesday": a new value told in place of one said before.
_IT_WAS = re.compile(r"\b(?:it was|it's|it is|that was|this was)\s+(?:actually\s+|really\s+|on\s+|in\s+|the\s+)*", re.I)
_INFERABLE = {"day": _DAYS, "month": _MONTHS}


def _found(kind: str, text: str) -> list[str]:
    if kind == "year":
        return list(dict.fromkeys(f"Year {m.group(1)}" for m in re.finditer(r"\b(?:year|yr|y) ?(1[0-3]|[1-9])\b", text, re.I)))
    return list(dict.fromkeys(w.capitalize() for w in re.findall(r"[a-z]+", text.lower()) if w in _INFERABLE[kind]))


def pairs(message: str, earlier: str = "") -> list[tuple[str, str]]:
    """(old, new) for each correction the message makes. "X not Y", "not Y but X", "it wasn't Y, it was X"; and
    "I meant X" alone when X is a day, month or year group and the earlier text holds exactly one other."""
    out: list[tuple[str, str]] = []
    for sentence in split_sentences(message):
        if not _CUE.search(sentence):
            continue
        tokens = _tokens(sentence)
        lowered = [t.lower() for t in tokens]
        for i, token in enumerate(lowered):
            if token in ("not", "wasn't", "isn't", "wasnt", "isnt"):
                old_after = _after(tokens, i + 1)
                nxt = i + 1 + len(old_after)
                rest = lowered[nxt:nxt + 4]
                if token == "not" and not (rest[:1] == [","] and rest[1:2] in (["it"], ["but"])) and rest[:1] != ["but"]:
                    pair = _align(_before(tokens, i), old_after)  # "Tuesday not Monday"
                else:  # "not Monday but Tuesday", "it wasn't the teacher, it was the TA"
                    j = nxt + (1 if rest[:1] == [","] else 0)
                    while j < len(lowered) and lowered[j] in ("but", "it", "was", "it's", "she", "he", "was", "they", "were"):
                        j += 1
                    pair = _align(_after(tokens, j), old_after)
                if pair and pair not in out:
                    out.append(pair)
        # "I meant Thursday", "actually it was Tuesday": the one other day (month, year group) told before is
        # the old value; clause by clause, so "it was Tuesday, and she's Year 8 not 7" corrects both.
        for clause in re.split(r",\s*(?:and\s+)?|;\s*|\s+and\s+", sentence):
            m = _I_MEANT.search(clause) or _IT_WAS.search(clause)
            if not m:
                continue
            new = _after(_tokens(clause[m.end():]), 0)
            kind = _category(new)
            if kind in ("day", "month", "year") and not any(_category(old.split()) == kind for old, _ in out):
                if kind == "year" and re.fullmatch(r"(?:y|yr) ?\d+", " ".join(new), re.I):
                    new = ["Year", re.sub(r"\D", "", " ".join(new))]
                others = [v for v in _found(kind, earlier) if v.lower() != " ".join(new).lower()]
                if len(others) == 1:
                    out.append((others[0], " ".join(new)))
    return out


def _pattern(old: str) -> re.Pattern[str]:
    if m := re.fullmatch(r"(?:year|yr|y) ?(1[0-3]|[1-9])", old, re.I):  # Year 7, Y7, Yr 7
        return re.compile(rf"\b(?:year|yr|y) ?{m.group(1)}\b", re.I)
    words = old.split()
    if len(words) > 1 and words[0].lower() in _DETERMINERS:  # "the teacher" is also "his teacher"
        return re.compile(rf"(?<![\w'’])(?:the|a|an|his|her|their|our|my) (?:[\w-]+ )?{re.escape(' '.join(words[1:]))}"
                          rf"(?![\w'’])", re.I)
    return re.compile(rf"(?<![\w'’]){re.escape(old)}(?![\w'’])", re.I)


def apply(text: str, found: list[tuple[str, str]]) -> str:
    """The text with every correction made, in the order they were given."""
    for old, new in found:
        text = _pattern(old).sub(lambda m: new[:1].upper() + new[1:] if m.group(0)[:1].isupper() and not new[:1].isupper()
                                  and m.start() == 0 else new, text)
    return text


def is_correction(sentence: str) -> bool:
    """The sentence corrects an earlier one: it is about the conversation, not a fact to set down again."""
    return bool(pairs(sentence)) or bool(re.match(r"^\W*(?:sorry,? )?i meant\b|^\W*correction\b", sentence, re.I))


def across(messages: list[str]) -> list[tuple[str, str]]:
    """Every correction made across a conversation's messages, each read against what came before it."""
    out: list[tuple[str, str]] = []
    for n, message in enumerate(messages):
        out += [p for p in pairs(message, " ".join(messages[:n])) if p not in out]
    return out
