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
_FEELING = (r"\bI (?:felt|feel|was feeling|am feeling|'m feeling)\b|\bI(?:'m| am| was) (?:so |really |a bit |quite |honestly |absolutely |completely |totally |just )?"
            r"(?:embarrassed|ashamed|awful|terrible|guilty|scared|frightened|shaken|shaky|angry|upset|stressed|"
            r"anxious|gutted|mortified|panick?ed|overwhelmed|rattled|exhausted|shattered|knackered|drained|fuming|"
            r"furious|dreading|heartbroken|devastated|sad|burnt out|burned out|worried sick|on edge|at the end of my tether|"
            r"running on empty|close to tears|in tears)\b|\bI keep replaying\b|\bmy (?:heart|hands)\b")
_ANALYSIS = (r"\banalysis\b|\bso what\b|\blooking back\b|\bbecause\b|\bthe reason\b|\bwhat (?:was )?(?:he|she|they) "
             r"(?:was )?telling me\b|\bI think (?:he|she|they) (?:was|were|felt|might|may|needed|wanted|couldn'?t)\b|"
             r"\bwound up\b|\btrigger")
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
        # A short message still speaks to how it felt ("I felt awful and cross with myself").
        return [stage for stage in order if stage in ("feelings", "so_what") and FELT.search(message)][:1]
    said = " ".join(s for s in split_sentences(message) if not s.rstrip().endswith("?"))
    return [stage for stage in order if stage in CUES and CUES[stage].search(said)]


def furthest(reached: list[str], order: list[str]) -> str | None:
    """The stage furthest along the cycle among those reached."""
    return max(reached, key=order.index, default=None)


def note_by_stage(messages: list[str], order: list[str], per_stage: int = 2) -> dict[str, list[str]]:
    """A practice note from what the person wrote: each statement under the furthest stage it speaks to (the
    first message's plain account under the first stage), at most `per_stage` sentences a stage, in order."""
    notes: dict[str, list[str]] = {stage: [] for stage in order}
    for n, message in enumerate(messages):
        sentences = [s for s in split_sentences(message) if not _ASKED.match(s) and len(s.split()) >= 4
                     and not _META.search(s)]
        if n == 0:  # the account itself before the greeting and the job title: the longest statements first
            sentences.sort(key=lambda s: (not CUES[order[0]].search(s), -len(s.split())))
        last = None  # a sentence with no cue of its own carries on the one before it in the same message
        for sentence in sentences:
            spoken = [stage for stage in order if stage in CUES and CUES[stage].search(sentence)]
            named = [stage for stage in spoken if re.search(stage.replace("_", " "), sentence, re.I)]
            felt = [stage for stage in spoken if FELT.search(sentence) and stage in ("feelings", "so_what")]
            stage = (named or felt or [furthest(spoken, order)])[0] or last or (order[0] if n == 0 else None)
            last = stage
            if stage and len(notes[stage]) < per_stage:
                notes[stage].append(sentence if sentence[-1] in ".!?" else sentence + ".")
    return {stage: sentences for stage, sentences in notes.items() if sentences}


FELT = re.compile(_FEELING, re.I)  # the composer meets a feeling said before anything else
# A question put to the assistant, as against an account that trails off "... maybe 20 seconds?".
_ASKED = re.compile(r"^\W*(?:what|why|how|who|when|where|which|is|are|was|were|do|does|did|can|could|should|would|"
                    r"will|am|have|has|shall|may|might|must)\b.*\?\s*$", re.I)
# Talk about the reflection itself ("the feelings bit is the bit I don't want to do"), not part of it.
_META = re.compile(r"\b(?:bit|stage|part) (?:is|I)\b|\bGibbs\b|\bRolfe\b|^\W*(?:hi|hello|hey)\b", re.I)
