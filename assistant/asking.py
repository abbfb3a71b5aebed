"""What a direct question asks, read before the answer is chosen: its type
(is it allowed, how long, who, what does it mean), the everyday words a
leader uses put into the cards' own vocabulary, and the topic a short
follow-up ("is it still a problem if she agrees?") inherits from the message
before it.
"""
from __future__ import annotations

import re
from typing import Literal

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

# Everyday phrasing -> the words the cards use for the same thing (appended, never replacing).
LAY_TERMS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(?:sen[dt]|send(?:ing)?|went|go(?:ing)?|gone) (?:him |her |them |the pupil |the child )?home\b|"
                r"\bcollect(?:ed|s)? (?:him|her|them) (?:early|at)\b|\bpick(?:ed)? (?:him|her|them) up early\b|"
                r"\bcool(?:ing)?[- ]off\b|\bcalm down at home\b|\bhome (?:early|for the afternoon|at lunch)", re.I),
     "informal exclusion: sending a pupil home is an exclusion in law"),
    (re.compile(r"\bhold(?:s|ing)?\b|\bheld\b|\brestrain\w*|\bgrab\w*|\bby the arm\b|\bphysical(?:ly)? interven\w*|"
                r"\bpositive handling\b|\bmanhandl\w*", re.I), "reasonable force restrictive intervention"),
    (re.compile(r"\bisolation\b|\binternal exclusion\b|\binclusion room\b|\bremoval room\b|\bsent out\b|\bon report\b",
                re.I), "removal internal suspension"),
    (re.compile(r"\bdysregulat\w*|\blose it\b|\blosing it\b|\bkick(?:s|ing)? off\b|\bmeltdown\w*|\bwound up\b|"
                r"\babout to blow\b|\bescalat\w*", re.I), "de-escalation calm distress regulation"),
    (re.compile(r"\bkicked out\b|\bexpel\w*", re.I), "permanent exclusion"),
    (re.compile(r"\bwhat (?:should|must|does|do) (?:a |an |the |my |our )?[\w' -]{0,30}(?:contain|include|have in it)\b|"
                r"\bwhat goes (?:in|into)\b", re.I), "what it holds"),
    (re.compile(r"\bpush(?:ing|ed)? (?:him|her|them) out\b|\bforc(?:ing|ed) (?:him|her|them) out\b|\bwant (?:him|her|them) gone\b",
                re.I), "off-rolling: parents pressured, managed moves must be voluntary"),
    (re.compile(r"\bpart[- ]time\b|\breduced timetable\b|\bhalf days?\b|\bshort(?:ened)? (?:day|timetable)\b", re.I),
     "part-time timetable"),
    (re.compile(r"\btrial (?:at|in) (?:another|the other)|\bmove (?:him|her|them) to another school\b|"
                r"\banother school for\b", re.I), "managed move off-site direction trial period"),
    (re.compile(r"\bsearch(?:ed|ing)? (?:his|her|their|a|the)? ?(?:bag|pockets|locker)|\bwent through (?:his|her) bag",
                re.I), "searching pupils"),
    (re.compile(r"\bwho (?:do|must|should) (?:i|we) (?:have to |need to )?(?:tell|inform|notify|let know)\b|"
                r"\bwho needs to (?:know|be told)\b", re.I), "notifications: must be told without delay"),
    (re.compile(r"\bgovernors? (?:have to |must |need to )?(?:meet|review|look at it)\b", re.I),
     "governing board must consider reinstatement within school days"),
    (re.compile(r"\btalk to about (?:this|it)\b|\bsomeone to talk to\b|\bwho could i talk to\b|\bsupport for me\b",
                re.I), "staff wellbeing support supervision"),
]
# A follow-up that leans on what came before ("is it still a problem if she agrees?", "... when we do it?"),
# as against a question that names its own topic and merely mentions "he" or "that session".
_FOLLOW_UP = re.compile(r"^\W*(?:and |so |but |ok |okay )?(?:is|does|would|could|can|will|was|should|must)\s+(?:that|it|this)\b|"
                        r"^\W*(?:what|how) about\b|^\W*(?:and |even )if\b|\b(?:do|did|does|doing) (?:it|that|this)\W*$|"
                        r"\b(?:it|that|this)\s*\?\s*$", re.I)
FOLLOW_UP_WORDS = 16  # a question this short leans on the message before it


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


def parts(question: str) -> list[str]:
    """A question that asks two things ("who do I tell, and when must governors meet?") as two."""
    asked = [p.strip() for p in re.split(r"(?<=\?)\s+", question) if p.strip().endswith("?")]
    if len(asked) <= 1:
        asked = [p.strip() for p in _SECOND.split(question) if p.strip()]
    return asked[:2] if len(asked) > 1 else [question]


def lay_terms(text: str) -> str:
    """The cards' words for the everyday phrasing in text ("" if none)."""
    return " ".join(dict.fromkeys(words for pattern, words in LAY_TERMS if pattern.search(text)))


def answer_query(question: str, previous: str | None = None) -> str:
    """What the answer is searched by: the question, the topic a short follow-up inherits from the
    leader's previous message, and the cards' words for any everyday phrasing."""
    text = question
    last = re.split(r"(?<=[.!?])\s+", question.strip())[-1]
    if previous and len(question.split()) <= FOLLOW_UP_WORDS and _FOLLOW_UP.search(last):
        text = f"{previous.strip()[-300:]} {question}"
    extra = lay_terms(text)
    return f"{text} ({extra})" if extra else text
