""""What did he need?": a few tentative hypotheses about a pupil's needs, built from what the person has said
(a change of room, ADHD, being challenged in front of the class), for them to test against what they know of
the child. A consultant offers these rather than deferring to the cards or a legal adviser; they are never a
diagnosis or a conclusion. The wordings live in prompts/phrases.yaml (`hypotheses`)."""
from __future__ import annotations

import re

from assistant.case_questions import pronouns
from prompts.bank import Hypotheses, normalise, stem_in

_THINK = r"(?:do you think |would you say |might you say |do we think )?"
_PUPIL = r"(?:he|she|they|him|her|them|the (?:pupil|child|boy|girl|student|kid)|(?-i:[A-Z][a-z]+))"
NEEDS_QUESTION = re.compile(
    rf"\bwhat {_THINK}(?:did|does|do|might|would|could|was|is)? ?{_PUPIL} (?:have |really |actually |possibly )*need(?:ed|ing)?\b|"
    rf"\bwhat {_THINK}(?:was|is|might have been|could have been|might be|may have been) (?:really )?going on for {_PUPIL}|"
    rf"\bwhy {_THINK}(?:would|did|does|do|might|could)? ?{_PUPIL} (?:have )?(?:\w+ ){{0,2}}(?:do|react|behave|kick|hit|run|"
    rf"refuse|shout|swear|throw|lash|bolt|walk)\w*|"
    rf"\bwhat (?:was|is|were|are) {_PUPIL} (?:trying to )?(?:say|communicat|tell|show)\w*|"
    rf"\bwhat (?:might|could|may) (?:have )?(?:been )?(?:be )?(?:behind|underneath|driving) (?:it|this|that|his|her|their|the)\b|"
    rf"\bwhat (?:might|could|may) (?:his|her|their|the) behaviour (?:have )?(?:be |been )?(?:telling|saying|communicating)",
    re.I)


def asks_about_needs(message: str) -> bool:
    return bool(NEEDS_QUESTION.search(message))


def hypotheses(said: str, wordings: Hypotheses, count: int = 3) -> tuple[str, list[str]]:
    """The reply's block (lead, bullets each citing its card, closing question) and the cards cited. Those
    the case's words fit come first, general ones fill in."""
    words = pronouns(said)
    text = normalise(said)
    fitting = [h for h in wordings.items if h.when and any(stem_in(w, text) for w in h.when)]
    general = [h for h in wordings.items if not h.when]
    chosen = (fitting + general)[:count]
    bullets = []
    for h in chosen:
        line = h.text.format(**words)
        bullets.append(f"- {line[0].upper()}{line[1:]} [`{h.card}`, {h.heading}]")
    block = "\n".join([wordings.lead.format(**words), *bullets, "", wordings.close.format(**words)])
    return block, list(dict.fromkeys(h.card for h in chosen))
