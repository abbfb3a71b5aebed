"""What a direct question asks, read before the answer is chosen: its type
(is it allowed, how long, who, what does it mean), the everyday words a
leader uses put into the cards' own vocabulary, and the topic a short
follow-up ("is it still a problem if she agrees?") inherits from the message
before it.
"""
from __future__ import annotations

import re
from typing import Literal

from knowledge.text import lay_terms_in

QuestionType = Literal["allowed", "timescale", "who", "contents", "definition", "general"]

_TYPES: list[tuple[str, re.Pattern[str]]] = [
    ("timescale", re.compile(
        r"\bhow (?:long|quickly|soon|many (?:school )?days)\b|\bwhen (?:do|does|must|should|will|have)\b|"
        r"\bdeadline\b|\btime ?limit\b|\bmaximum\b|\blongest\b|\bwithin\b", re.I)),
    ("who", re.compile(r"^\W*who\b|\bwho (?:do|does|should|must|decides|can|has|needs|is)\b|\bwhose (?:job|decision)\b",
                       re.I)),
    ("contents", re.compile(r"\bwhat (?:should|must|does|do) (?:a |an |the |my |our )?[\w' -]{0,40}(?:contain|include|say|cover|"
                            r"show|set out|require|expect)\b|\bwhat goes (?:in|into)\b", re.I)),
    ("allowed", re.compile(
        r"\bis (?:that|it|this) (?:still )?(?:a problem|ok|okay|allowed|legal|lawful|illegal|unlawful|an? exclusion)\b|"
        r"\b(?:can|could|may) (?:we|i|a school|schools|staff|a teacher|the school|you)\b|\b(?:am i|are we|are staff) allowed\b|"
        r"\bdoes it matter\b|\bdo (?:we|i) have to\b|\bmust (?:we|i)\b|\b(?:un)?lawful\b|\blegally\b|\ballowed\b|"
        r"\bthe same as\b", re.I)),
    ("definition", re.compile(
        r"^\W*what(?:'s| is| are| does)\b.*\bmean\b|\bmeaning of\b|\bdefin|^\W*what(?:'s| is| are) (?:a |an |the )?[\w' -]{3,40}\W*$|"
        r"^\W*what(?:'s| is| are) (?:a |an )", re.I)),
]
# What a sentence that answers each type of question tends to contain.
SIGNALS: dict[str, re.Pattern[str]] = {
    "timescale": re.compile(r"\b\d+\s*(?:school\s+)?(?:days?|weeks?|months?|terms?|hours?)\b|\bwithout delay\b|"
                            r"\btime[- ]limit|\bwithin\b|\bsame day\b", re.I),
    "who": re.compile(r"\b(?:headteacher|head teacher|governing board|governors|local authority|parents?|virtual school|"
                      r"VSH|DSL|SENCO|social worker|tribunal|panel|LADO|trust)\b", re.I),
    "allowed": re.compile(r"\b(?:must|must not|may|may not|cannot|can't|unlawful|lawful|allowed|permitted|in law|"
                          r"should not|never|only)\b", re.I),
    "contents": re.compile(r"\b(?:include|includes|including|contain|show|shows|set out|sets out|record|records|cover|"
                           r"must|should|requires?|expects?)\b",
                           re.I),
    "definition": re.compile(r"\b(?:is|are|means|meaning|refers to|defined|defines|describes)\b", re.I),
}

# A question about what something holds ("what must the letter include?") is looked up with the words
# the cards use for it ("What a defensible decision record holds").
_TYPE_WORDS = {"contents": "what it holds"}
_TYPE_PATTERNS = dict(_TYPES)
# A follow-up that leans on what came before ("is it still a problem if she agrees?", "... when we do it?"),
# as against a question that names its own topic and merely mentions "he" or "that session".
_FOLLOW_UP = re.compile(r"^\W*(?:and |so |but |ok |okay )?(?:is|does|would|could|can|will|was|should|must)\s+(?:that|it|this)\b|"
                        r"^\W*(?:what|how) about\b|^\W*(?:and |even )if\b|\b(?:do|did|does|doing) (?:it|that|this)\W*$|"
                        r"\b(?:it|that|this)\s*\?\s*$", re.I)
FOLLOW_UP_WORDS = 16  # a question this short leans on the message before it


# "What does FTE stand for?", "what's meant by PACE?", "is a SAR the same as...": a question about a term itself.
_MEANING = re.compile(r"\bstands? for\b|\bshort for\b|\bacronym\b|\babbreviation\b|\bwhat (?:does|do|is meant by|'s meant by)\b"
                      r".{0,30}\bmean\b|\bmeaning of\b|\bmeant by\b|"
                      r"^\W*(?:(?:sorry|quick (?:one|question)|and|so|ok|okay|also|but|remind me)\W+)*(?:what|who)(?:'s|s| is| are)\s+"
                      r"(?:an?\s+|the\s+)?[\w -]{2,30}\W*$", re.I)
MEANING_WORDS = 14  # longer, and the term is part of a question about something else


def asks_meaning(question: str) -> bool:
    """The question asks what a term means or stands for, and is short enough to be about the term alone."""
    asked = [s for s in re.split(r"(?<=[.!?])\s+", question.strip()) if s.rstrip().endswith("?")] or [question]
    return any(len(s.split()) <= MEANING_WORDS and _MEANING.search(s) for s in asked)


def is_question(text: str) -> bool:
    """Asked, with or without a question mark ("what's a better thing to do when ...")."""
    from knowledge.query import is_question as asks

    return any(asks(s) for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s)


def question_type(question: str) -> str:
    for name, pattern in _TYPES:
        if pattern.search(question):
            return name
    return "general"


_SECOND = re.compile(r",?\s+and\s+(?=(?:when|who|how|what|where|which|can|could|do|does|is|are|must|should)\b)", re.I)


# "What's the difference between a suspension and a managed move?": each side is asked about in its own right.
_COMPARE = re.compile(r"\b(?:difference|differences|distinction) between (?:an? |the )?(?P<a>[\w' -]{3,40}?) and "
                      r"(?:an? |the )?(?P<b>[\w' -]{3,40}?)(?=\s*(?:[,?.;]|$|\band (?:which|what|how|when|who|is|should)\b))|"
                      r"\bis (?:an? |the )?(?P<c>[\w' -]{3,40}?) the same (?:thing )?as (?:an? |the )?(?P<d>[\w' -]{3,40}?)(?=\s*(?:[,?.;]|$))",
                      re.I)


def compared(question: str) -> tuple[str, str] | None:
    """The two things a question asks the difference between, if it does."""
    found = _COMPARE.search(question)
    if not found:
        return None
    first, second = (found.group("a"), found.group("b")) if found.group("a") else (found.group("c"), found.group("d"))
    return first.strip(), second.strip()


def parts(question: str) -> list[str]:
    """A question that asks two things ("who do I tell, and when must governors meet?") as two; one that asks
    how two things differ, as what each is."""
    sides = compared(question)
    if sides:
        return [f"What is {side}?" for side in sides]
    asked = [p.strip() for p in re.split(r"(?<=\?)\s+", question) if p.strip().endswith("?")]
    if len(asked) <= 1:
        asked = [p.strip() for p in _SECOND.split(question) if p.strip()]
    return asked[:2] if len(asked) > 1 else [question]


def lay_terms(text: str) -> str:
    """The cards' words for the everyday phrasing in text ("" if none): the glossary's lay phrasings
    and its looser lay patterns (the one lay-phrase table, shared with search), and for a question
    about what something holds, the words the cards use for that."""
    words = lay_terms_in(text, broad=True)
    words += [extra for name, extra in _TYPE_WORDS.items() if _TYPE_PATTERNS[name].search(text)]
    return " ".join(dict.fromkeys(words))


def answer_query(question: str, previous: str | None = None) -> str:
    """What the answer is searched by: the question, the topic a short follow-up inherits from the
    leader's previous message, and the cards' words for any everyday phrasing."""
    text = question
    sentences = re.split(r"(?<=[.!?])\s+", question.strip())
    asked = [s for s in sentences if s.endswith("?")] or sentences[-1:]  # the question, not the context around it
    if previous and len(" ".join(asked).split()) <= FOLLOW_UP_WORDS and any(_FOLLOW_UP.search(s) for s in asked):
        text = f"{previous.strip()[-300:]} {question}"
    extra = lay_terms(text)
    return f"{text} ({extra})" if extra else text
