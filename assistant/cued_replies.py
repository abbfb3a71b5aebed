"""Replies built from prepared lines chosen by what the person has said (assistant/cue_match.py):

- "What did he need?": a few tentative hypotheses about a pupil's needs (a change of room, ADHD, being
  challenged in front of the class), for them to test against what they know of the child. A consultant
  offers these rather than deferring to the cards or a legal adviser; never a diagnosis or a conclusion.
- "Should I apologise?", "was I wrong?": what repair can look like, after a member of staff's own part in it.
- Prep, "how do I handle it if someone names a pupil?": a facilitator's practical moves for the room.

The wordings live in prompts/phrases.yaml (`hypotheses`, `repair`, `facilitation`)."""
from __future__ import annotations

import re

from assistant.case_questions import pronouns
from assistant.cue_match import by_cues
from prompts.bank import Hypotheses

_THINK = r"(?:do you think |would you say |might you say |do we think )?"
_PUPIL = r"(?:he|she|they|him|her|them|the (?:pupil|child|boy|girl|student|kid)|(?-i:[A-Z][a-z]+))"
NEEDS_QUESTION = re.compile(
    rf"\bwhat {_THINK}(?:did|does|do|might|would|could|was|is)? ?{_PUPIL} (?:have |really |actually |possibly )*need(?:ed|ing)?\b|"
    rf"\bwhat {_THINK}(?:was|is|might have been|could have been|might be|may have been) (?:really )?going on for {_PUPIL}|"
    rf"\bwhy {_THINK}(?:would|did|does|do|might|could)? ?{_PUPIL} (?:have )?(?:\w+ ){{0,2}}(?:do|react|behave|kick|hit|run|"
    rf"refuse|shout|swear|throw|lash|bolt|walk)\w*|"
    rf"\bwhat (?:was|is|were|are) {_PUPIL} (?:trying to )?(?:say|communicat|tell|show)\w*|"
    rf"\bwhat (?:might|could|may) (?:have )?(?:been )?(?:be )?(?:behind|underneath|driving) (?:it|this|that|his|her|their|the)\b|"
    rf"\bwhat(?:'s| is) (?:really )?(?:behind|driving|underneath) (?:it|this|that|his|her|their|the)\b|"
    rf"\bwhat (?:might|could|would|do you think) (?:the |this |that |his |her |their )(?:[\w-]+ ){{0,5}}(?:be|is) about\b|"
    rf"\bwhat (?:might|could|may) (?:his|her|their|the) behaviour (?:have )?(?:be |been )?(?:telling|saying|communicating)",
    re.I)


# A trainer asking how to handle the room: "how do I deal with a head who names a pupil?", "what do I say if
# someone cries?", "a prompt sheet for the chair".
ROOM_QUESTION = re.compile(
    r"\bhow (?:do|should|would|can|could|might) (?:i|we) (?:best )?(?:handle|deal with|respond to|manage|reassure|"
    r"cope with|field|head off)\b|\bwhat (?:do|should|would|can|could) (?:i|we) (?:say|do) (?:if|when)\b|"
    r"\bprompt (?:sheet|card)s?\b|\bif (?:someone|somebody|a delegate|a head|a member of staff|staff|a governor) "
    r"(?:brings up|raises|names|asks|starts|gets|becomes|says)\b", re.I)


# A member of staff asking about repair after their own part: "should I apologise?", "was I wrong to shout?".
REPAIR_QUESTION = re.compile(
    r"\b(?:should|do|shall|would|could|can|ought) i (?:\w+ ){0,2}(?:apologi[sz]e|say sorry|make it up|put (?:it|things) right)\b|"
    r"\b(?:do you think|would you|is it (?:ok|okay|right|worth)(?: for me)?)(?: that)? (?:i )?(?:should )?(?:to )?"
    r"(?:apologi[sz]e|say sorry)\b|"
    r"\b(?:was|were) i (?:\w+ ){0,1}(?:wrong|out of order|too harsh|unfair|in the wrong)\b|"
    r"\bdid i (?:get it wrong|do (?:the )?wrong|mess (?:it|this) up|handle it badly|make it worse)\b|"
    r"\bhow (?:do|can|should) i (?:\w+ ){0,2}(?:repair|fix|mend|rebuild) (?:things|it|this|the relationship|my relationship)\b",
    re.I)


def asks_about_repair(message: str) -> bool:
    return bool(REPAIR_QUESTION.search(message))


def asks_about_needs(message: str) -> bool:
    return bool(NEEDS_QUESTION.search(message))


def asks_about_the_room(message: str) -> bool:
    return bool(ROOM_QUESTION.search(message))


def cued_block(said: str, wordings: Hypotheses, count: int = 3, context: str = "") -> tuple[str, list[str]]:
    """The reply's block (lead, bullets citing their cards, closing question) and the cards cited. Lines the
    person's words fit come first (the most telling first), then lines the rest of the conversation (`context`)
    fits, then general ones."""
    words = pronouns(f"{context}\n{said}")
    ranked = by_cues(wordings.items, said, general=False) + by_cues(wordings.items, context)
    chosen = list(dict.fromkeys(ranked))[:count]
    bullets = []
    for h in chosen:
        line = h.text.format(**words)
        cited = f" [`{h.card}`, {h.heading}]" if h.card else ""
        bullets.append(f"- {line[0].upper()}{line[1:]}{cited}")
    block = "\n".join([wordings.lead.format(**words), *bullets, "", wordings.close.format(**words)])
    return block, list(dict.fromkeys(h.card for h in chosen if h.card))
