"""Passages the guard cannot read: text in another language inside a message.

The guard's rules and models read English. A child's or parent's words quoted in
Polish, Urdu or Welsh may be a disclosure, and the policy says the assistant must
not reflect as if nothing was said: it names what it could not read and gives the
DSL signposting. py3langid ships its model inside the package (no download).
"""
from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

from pydantic import BaseModel

# Function words of English: a passage that has them is English with names in it, not a foreign quote.
_ENGLISH = frozenset(
    "the a an and or but to of in on at for with from by is was are were be been he she it they we you i "
    "me my his her him their them our your this that these those not no do did does have has had will "
    "would can could should said says told what when where who why how if so as just about".split()
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_QUOTED = re.compile(r"[\"“«„]([^\"”»“]{8,})[\"”»“]|(?<!\w)'([^']{12,})'(?!\w)")
_SENTENCE = re.compile(r"(?<=[.!?…])\s+|\n+")
MIN_WORDS = 3
MIN_CONFIDENCE = 0.9  # probability that the passage is not English
MAX_ENGLISH_SHARE = 0.34  # English prose runs at about half function words

# Terse English has few function words ("fine. plan: reintegration mtg tues, mum, review"): a passage whose
# words are mostly the guidance cards' own words is English, whatever the language identifier guesses.
KNOWN_SHARE = 0.6


@lru_cache(maxsize=1)
def _known_english() -> frozenset[str]:
    """The words of the guidance cards and of the guard's English training messages (school English as staff
    write it: "blazer", "lanyard", "mtg"); messages written to quote another language are left out."""
    from guardrails.corpus import TRAIN, _rows
    from knowledge.vocabulary import card_words

    other = re.compile("|".join([*NAMES.values(), "language", "translat"]), re.I)
    texts = [row["text"] for path in sorted(TRAIN.glob("author_*.jsonl")) for _, row in _rows(path)
             if not other.search(f"{row.get('why', '')} {row['text']}")]
    return card_words() | frozenset(w.casefold() for text in texts for w in _WORD.findall(text))


NAMES = {
    "pl": "Polish", "ur": "Urdu", "ar": "Arabic", "ro": "Romanian", "cy": "Welsh", "pt": "Portuguese",
    "lt": "Lithuanian", "so": "Somali", "bn": "Bengali", "pa": "Punjabi", "es": "Spanish", "fr": "French",
    "it": "Italian", "de": "German", "tr": "Turkish", "ru": "Russian", "uk": "Ukrainian", "fa": "Persian",
    "ps": "Pashto", "ku": "Kurdish", "sq": "Albanian", "bg": "Bulgarian", "hu": "Hungarian", "sk": "Slovak",
    "cs": "Czech", "lv": "Latvian", "zh": "Chinese", "ta": "Tamil", "gu": "Gujarati", "hi": "Hindi",
    "ga": "Irish", "gd": "Scottish Gaelic", "nl": "Dutch", "el": "Greek", "ti": "Tigrinya", "am": "Amharic",
}


class Unreadable(BaseModel):
    passage: str
    language: str  # a name ("Polish") or "another language"


_lock = threading.Lock()


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import _load_identifier

    return _load_identifier(norm_probs=True)


def load_identifier() -> None:
    """Load the language model and the English vocabulary now (seconds on a busy machine), not in a first reply."""
    with _lock:
        _identifier()
        _known_english()


def _candidates(text: str) -> list[str]:
    """Quoted passages, runs of words in a non-Latin script, and sentences."""
    quoted = [a or b for a, b in _QUOTED.findall(text)]
    runs, run = [], []
    for token in text.split():
        if _non_latin_letters(token):
            run.append(token)
        elif run:
            runs.append(" ".join(run))
            run = []
    runs.append(" ".join(run))
    scripts = [r for r in runs if _non_latin_letters(r) >= 6]
    return list(dict.fromkeys([*quoted, *scripts, *(_SENTENCE.split(text))]))


def _non_latin_letters(passage: str) -> int:
    return sum(1 for ch in passage if ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN"))


def unreadable_passages(text: str, limit: int = 40) -> list[Unreadable]:
    """Passages of `text` (raw, as typed) in a language other than English, most likely first."""
    found: list[Unreadable] = []
    for passage in _candidates(text[:20_000])[:limit]:
        # Names and abbreviations (capitalised) say nothing about the language of a passage.
        words = [w for w in _WORD.findall(passage) if not w[0].isupper() or _non_latin_letters(w)]
        if (len(words) < MIN_WORDS or sum(map(len, words)) < 12) and _non_latin_letters(passage) < 8:
            continue
        english = sum(w.casefold() in _ENGLISH for w in words) / max(len(words), 1)
        known = sum(w.casefold() in _known_english() for w in words) / max(len(words), 1)
        if english > MAX_ENGLISH_SHARE or known >= KNOWN_SHARE:
            continue
        with _lock:
            ranked = _identifier().rank(passage)
        lang = ranked[0][0]
        not_english = 1.0 - next((p for code, p in ranked if code == "en"), 0.0)
        if lang == "en" or not_english < MIN_CONFIDENCE:
            continue
        found.append(Unreadable(passage=passage.strip()[:200], language=NAMES.get(lang, "another language")))
    return found
