"""Turn a message into what search matches: a long message is reduced to its
question and its key facts, wherever in the message they sit.

People describe a situation at length and ask their question at the end; the
opening lines are often background ("Long-time lurker, first post..."). The
embedding model reads about 200 words, so a long message is searched by its
questions plus the sentences densest in the cards' own vocabulary.
"""
from __future__ import annotations

import math
import re

from knowledge.lexical import tokenize
from knowledge.text import split_sentences
from knowledge.vocabulary import chunk_rarity

MAX_QUERY_WORDS = 120  # inside the embedding model's 256 word pieces, with room for expansions
_QUESTION_START = re.compile(
    r"^(?:(?:and|so|ok|okay|also|then|but|right|quick one|quick q|practical q)\W+)?"
    r"(what|how|can|could|should|shall|is|are|am|do|does|did|would|will|who|when|where|why|which|must|may|"
    r"have (we|i|they)|explain|tell me|describe|give me)\b",
    re.IGNORECASE,
)
# How a post asks for help without asking the reader anything directly ("any advice", "I need", "has anyone").
_APPEAL = re.compile(r"^(any (advice|ideas|thoughts|tips)|advice|help|has anyone|i need|we need|"
                     r"i('m| am) (wondering|not sure)|wondering|anyone)\b", re.IGNORECASE)
_INDIRECT = re.compile(r"\b(ask(s|ed|ing)?|wonder(s|ed|ing)?|want(s|ed)? to know|not sure) (if|whether|what|how|why)\b",
                       re.IGNORECASE)
# A question asked mid-sentence in the order only questions use ("quick one, if it's short, do I still have
# to tell the LA"), or tagged as one ("... doesn't apply, surely").
_INVERTED = re.compile(
    r"(?:[,;:(\u2013-]|\b(?:and|but|or|so|then))\s*(?:do|does|did|can|could|should|must|may|would|will|is|are|am)\s+"
    r"(?:i|we|you|they|he|she|it|that|this|staff|schools?|the school|the la|governors)\b|\bsurely\W*$",
    re.IGNORECASE,
)
# Asking for an explanation without a question ("I need one slide explaining the difference between ...").
_EXPLAIN = re.compile(r"\b(?:explain\w*|explanation|in plain english|slide (?:on|about|explaining|that (?:answers|explains)))\b",
                      re.IGNORECASE)


def is_question(sentence: str, reported: bool = True) -> bool:
    """A direct question, or (unless `reported` is False) one reported ("mum is asking whether...")
    or an appeal for help ("any advice"): what search looks for, though only a direct one asks the reader."""
    sentence = sentence.strip()
    direct = (_QUESTION_START, _INVERTED, _EXPLAIN)
    return sentence.endswith("?") or any(rx.search(sentence) for rx in (*direct, *((_APPEAL, _INDIRECT) if reported else ())))


def _fact_weight(sentence: str, idf: dict[str, float]) -> float:
    """Density of the cards' vocabulary: words the cards never use add nothing."""
    stems = set(tokenize(sentence))
    if not stems:
        return 0.0
    return sum(idf.get(s, 0.0) for s in stems) / math.sqrt(len(stems) + 1)


def build_query(message: str, max_words: int = MAX_QUERY_WORDS) -> str:
    """The text to search for a message: the whole of a short one; for a long one,
    its questions and its most telling sentences, in their original order."""
    flat = " ".join(message.split())
    if len(flat.split()) <= max_words:
        return flat
    sentences = list(dict.fromkeys(split_sentences(message, max_chars=400, at_semicolons=True)))  # a repeated line counts once
    if len(sentences) <= 1:
        return " ".join(flat.split()[:max_words])
    idf = chunk_rarity()
    facts = [_fact_weight(sentence, idf) for sentence in sentences]
    questions = [is_question(sentence) for sentence in sentences]
    # Background chatter does not earn a place just because there is room for it.
    telling = 0.5 * max(facts)
    # Questions first, the last one first (it is usually the real one); then the most telling facts.
    scores = [(1000.0 + i) if asked else fact for i, (fact, asked) in enumerate(zip(facts, questions))]
    chosen: set[int] = set()
    budget = max_words
    for i in sorted(range(len(sentences)), key=lambda j: (-scores[j], j)):
        if not questions[i] and facts[i] < telling:
            continue
        words = len(sentences[i].split())
        if words <= budget:
            chosen.add(i)
            budget -= words
        if budget < 5:
            break
    if not chosen:  # one enormous sentence: its opening words
        return " ".join(sentences[0].split()[:max_words])
    return " ".join(sentences[i] for i in sorted(chosen))
