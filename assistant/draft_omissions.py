"""What a leader asks to be left out of a draft ("leave out the bit about his dad", "don't mention the
disclosure", "no names"), read from the request and taken out of the finished document line by line. The draft
then says what it left out, so the leader can check before it goes anywhere."""
from __future__ import annotations

import re

from assistant.case_record import DISCLOSURE
from knowledge.text import split_sentences

_END = r"(?=\s*(?:[,.;:!?)]|$|\b(?:and|please|as|because|since|so|but|for now|it'?s|its|from|in|on)\b))"
_WHAT = r"(?P<what>[\w'’ -]{2,50}?)"
_ASKS = [
    re.compile(rf"\b(?:leave|keep|take) (?:out|off) {_WHAT}{_END}", re.I),
    re.compile(rf"\b(?:leave|keep|take) {_WHAT} (?:out|off)(?: of (?:it|this|that|the \w+))?{_END}", re.I),
    re.compile(rf"\b(?:don'?t|do not|without|no need to|never|not to) (?:mention(?:ing)?|includ(?:e|ing)|nam(?:e|ing)|"
               rf"put(?:ting)? in|refer(?:ring)? to|bring(?:ing)? up|say(?:ing)? anything about) {_WHAT}{_END}", re.I),
    re.compile(rf"\bno (?:mention|reference) of {_WHAT}{_END}", re.I),
]
NAMES = "names"
_ANONYMOUS = re.compile(r"\bno names\b|\banonymi[sz]\w*|\banonymous\b|\bwithout (?:any )?names\b|\bdon'?t name (?:him|her|them|"
                        r"the (?:pupil|child|boy|girl))\b", re.I)
_NAME_WORDS = re.compile(r"^(?:(?:his|her|their|the pupil'?s|the child'?s|any) )?names?$|^(?:him|her|them)$", re.I)
_SAFEGUARDING = re.compile(r"\bdisclos\w*|\bsafeguarding\b|\bdsl\b|\bwhat (?:he|she|they) (?:told|said)\b|\bconcerns?\b|"
                           r"\breferral\b|\bsocial (?:care|worker)\b", re.I)
_SAFEGUARDING_LINES = re.compile(r"\bdisclos\w*|\bsafeguarding\b|\bDSL\b|\breferr\w*|\bsocial (?:care|worker)\b|"
                                 r"\bchild protection\b|\bLADO\b", re.I)
_FILLER = frozenset("the a an any his her their my our bit bits stuff part parts thing things detail details about "
                    "mention mentions reference fact facts that this it of to at all whole".split())


def asked(message: str) -> list[str]:
    """What the message asks to be left out, in the leader's words ("the bit about his dad"); NAMES for "no names"."""
    found: list[str] = [NAMES] if _ANONYMOUS.search(message) else []
    for pattern in _ASKS:
        for match in pattern.finditer(message):
            what = match.group("what").strip(" '’-")
            what = NAMES if _NAME_WORDS.match(what) else what
            if what and what not in found:
                found.append(what)
    return found


# "Leave the school's name out": a school is named as "Ashfield Primary", "St Mary's C of E Academy".
_SCHOOL_ASKED = re.compile(r"\bschool'?s? name\b|\bname of (?:the|our|my) school\b|\b(?:the|our) school\b", re.I)
SCHOOL_NAME = re.compile(r"\b(?:[A-Z][\w'’.-]*\s+(?:(?:of|and|upon|on|in|the|de|la)\s+)?){1,6}(?:School|Academy|Primary|"
                         r"College|High|Infants|Juniors|Federation|Trust)\b")
_LEADING = re.compile(r"^(?:(?:At|In|On|From|To|The|For|With|By|Our|Their|A|An)\s+)+")


def _school_out(text: str) -> str:
    """Each school's name replaced by "the school", the preposition before it kept ("at the school")."""
    def plain(match: re.Match[str]) -> str:
        lead = _LEADING.match(match.group(0))
        return f"{lead.group(0)}the school" if lead else "the school"
    return SCHOOL_NAME.sub(plain, text)


def _matcher(what: str, safeguarding: list[str]) -> re.Pattern[str] | None:
    """What marks a line as carrying the thing to leave out."""
    if _SCHOOL_ASKED.search(what):
        return None  # taken out by name, not line by line (see leave_out)
    if _SAFEGUARDING.search(what):
        held = [re.escape(s[:60]) for s in safeguarding]
        return re.compile("|".join([_SAFEGUARDING_LINES.pattern, DISCLOSURE.pattern, *held]), re.I)
    words = [w for w in re.findall(r"[a-z'’]{3,}", what.lower()) if w not in _FILLER]
    if not words:
        return None
    # "his dad's drinking" leaves out lines about dad and about drinking: each telling word on its own.
    return re.compile("|".join(rf"\b{re.escape(w.rstrip('s') if len(w) > 4 else w)}" for w in words), re.I)


def _keep(paragraph: str, marks: re.Pattern[str]) -> str:
    """The paragraph without the bullets or sentences that carry what is to be left out; headings stay."""
    if paragraph.startswith("### ") or not marks.search(paragraph):
        return paragraph
    lines = paragraph.split("\n")
    if len(lines) > 1:
        return "\n".join(line for line in lines if not (line.startswith("- ") and marks.search(line)))
    head = re.match(r"(\*\*[^*]+\*\*:\s*)(.*)", paragraph, re.S)
    prefix, body = (head.group(1), head.group(2)) if head else ("", paragraph)
    kept = " ".join(s for s in split_sentences(body) if not marks.search(s))
    return f"{prefix}{kept}" if kept or not prefix else ""


def leave_out(text: str, items: list[str], safeguarding: list[str]) -> str:
    """The document without what the leader asked to leave out (names are handled by the drafter, which knows
    them); the framing line first, untouched."""
    intro, *body = text.split("\n\n")
    if any(_SCHOOL_ASKED.search(what) for what in items):  # the school's name goes; the sentence stays
        body = [_school_out(p) for p in body]
    for what in items:
        marks = None if what == NAMES else _matcher(what, safeguarding)
        if marks is not None:
            body = [p for p in (_keep(p, marks) for p in body) if p.strip()]
    return "\n\n".join([intro, *body])
