"""Where a practice reflection has got to, from what the member of staff writes.

People do not walk a reflective cycle in order: they say how they felt in the first message, jump to
"Analysis bit." or "Now what: ...", or list what they will do next. The reflection follows them: a stage
they speak to counts as covered, and the next question comes from the stage after the furthest one they
have reached, not from one they have already moved past.
"""
from __future__ import annotations

import re

from knowledge.text import split_sentences

# What a stage sounds like when someone speaks to it, or names it ("the feelings bit", "Action plan:").
_FEELING = (r"\bI (?:felt|feel|was feeling|am feeling|'m feeling)\b|\bI(?:'m| am| was) (?:so |really |a bit |quite )?"
            r"(?:embarrassed|ashamed|awful|terrible|guilty|scared|frightened|shaken|shaky|angry|upset|stressed|"
            r"anxious|gutted|mortified|panick?ed|overwhelmed|rattled)\b|\bI keep replaying\b|\bmy (?:heart|hands)\b")
_ANALYSIS = (r"\banalysis\b|\bso what\b|\blooking back\b|\bbecause\b|\bthe reason\b|\bwhat (?:was )?(?:he|she|they) "
             r"(?:was )?telling me\b|\bI think (?:it|he|she|they|that)\b|\bwound up\b|\btrigger")
_EVALUATION = r"\bevaluation\b|\bwent well\b|\bdidn'?t go (?:so )?well\b|\bwhat worked\b|\bmade it worse\b"
_CONCLUSION = r"\bconclusion\b|\bI(?:'ve| have) learn(?:t|ed)\b|\bI could have\b|\bnext time I\b|\bI should have\b"
_ACTION = (r"\baction plan\b|\bnow what\b|\bmy target\b|\bI(?:'m| am) going to\b|\btomorrow I\b|\bI(?:'ll| will) "
           r"(?:ask|speak|talk|phone|ring|say|try|make|set|put|take|check)\b|\bI want to (?:repair|ask|try|take|"
           r"speak|talk|phone|ring|change|put)\b|\bwhat I want to take\b")
_DESCRIPTION = r"\bwhat happened\b|\byesterday\b|\btoday\b|\bthis morning\b|\bon (?:monday|tuesday|wednesday|thursday|friday)\b"

CUES: dict[str, re.Pattern[str]] = {name: re.compile(pattern, re.I) for name, pattern in {
    "description": _DESCRIPTION, "feelings": _FEELING + r"|\bfeelings\b", "evaluation": _EVALUATION,
    "analysis": _ANALYSIS, "conclusion": _CONCLUSION, "action_plan": _ACTION,
    "what": _DESCRIPTION, "so_what": _ANALYSIS + "|" + _FEELING + "|" + _EVALUATION,
    "now_what": _ACTION + "|" + _CONCLUSION,
}.items()}
SUBSTANTIVE_WORDS = 12  # a stage is reached by something said about it, not a passing word


def stages_in(message: str, order: list[str]) -> list[str]:
    """The stages of `order` the message speaks to. A question ("so what was he telling me?") asks for help
    with a stage rather than covering it, so only what is said, not asked, counts."""
    if len(message.split()) < SUBSTANTIVE_WORDS and not re.search(r"\b(?:bit|stage|part)\b|:", message):
        return []
    said = " ".join(s for s in split_sentences(message) if not s.rstrip().endswith("?"))
    return [stage for stage in order if stage in CUES and CUES[stage].search(said)]


def furthest(reached: list[str], order: list[str]) -> str | None:
    """The stage furthest along the cycle among those reached."""
    return max(reached, key=order.index, default=None)
