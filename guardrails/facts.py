"""Facts read from a message (and the conversation so far) that the statistical heads cannot override.

The heads weigh how a message sounds; some things a message *states*, and policy should key on them:

- whose conduct is in question: the writer's own, a pupil's, another adult's in a position of trust, or a
  family member's at home;
- whether the writer's own account is already recorded or passed on (the bound book, CPOMS, the DSL, the LADO);
- who is writing: the role the engine reads with `assistant.roles.writer_role` and passes in (the guard does
  not read roles itself: one home for that);
- and what the message is: a correction of an earlier fact, a question about recording or reporting an
  injury, the writer asking about their own practice, an everyday document to draft, family named only in
  ordinary parts.

`checker.decide` uses them as structure: a writer's own recorded hold is practice to reflect on, a correction
inherits nothing from the turn it corrects, and so on. The escalation rules still run first: no fact here
lifts a strong sign of harm.
"""
from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel

from .reading import Reading

Conduct = Literal["own", "pupil", "other_adult", "family", "none"]
SHORT_WORDS = 30  # a correction or a report "and nothing else" is short; a long message that starts "actually" is not one
_ESCALATE = ("safeguarding_disclosure", "staff_allegation", "risk_to_self")
_OTHER_ADULT = ("strong:staff_allegation", "hint:staff_allegation")
_SIGNS = tuple(f"{kind}:{c}" for kind in ("strong", "hint") for c in _ESCALATE)  # any sign of harm a rule reads
# a sanction or an employment outcome named in the message: a document about it is not an everyday one, and
# "was I wrong to exclude him?" is about a pupil's outcome, not the writer's practice
_OUTCOME_WORDS = ("exclu", "suspen", "expel", "detention", "sanction", "isolation", "dismiss", "warning",
                  "disciplinary", "punish", "managed move", "reduced timetable", "misconduct", "capability",
                  "outcome", "consequence", "penalt", "banned", "ban from", "not allowed to", "removed from",
                  "won't be going", "will not be going", "miss the", "kept in")
# Asking the assistant to make the call, alongside a request to write it up.
_ASKS_TO_DECIDE = re.compile(r"\b(?:decide|choose|pick|select|recommend|tell me (?:what|which|whether|if|how long)|"
                             r"what (?:should|would|do) (?:he|she|they|i|we) (?:get|give|do)|what (?:sanction|consequence|"
                             r"punishment)|work out what)\b", re.I)
# "do I log this?" is a question about recording an injury only when the message names one
_INJURY_WORDS = re.compile(r"\b(?:injur\w*|accident\w*|broke|broken|fractur\w*|sprain\w*|bump\w*|fell|fall|fallen|"
                           r"trapped|graze\w*|nosebleed|first aid\w*|a and e|hospital|swollen|twisted|stitches)\b")
_SUSPICIOUS = re.compile(r"\b(?:unexplained|non-accidental|suspicious|odd|strange|won't say|wouldn't say|keeps? changing)\b")
_HOLD_RULES = frozenset({"injuries", "staff_hurt", "pupil_alleges"})  # never own_unsafe_hold (knelt on, by the neck)
# the disclosure rules that name a family member at home
_HOME_HARM = frozenset({"family_hurts", "told_abuse", "hit_at_home", "domestic_abuse", "family_threat", "home_harm"})
_SELF_INTRODUCED = re.compile(r"\bi(?:'m| am| work as| was)\b")  # "I'm the class teacher": the writer, not another adult


class Facts(BaseModel):
    conduct: Conduct = "none"        # whose conduct is in question (the writer's own wins when both are told)
    other_adult: bool = False        # another adult's conduct is told apart from the writer's own account
    rule_by_own: bool = False        # every escalation rule hit sits in or beside the writer's own account
    signs_elsewhere: bool = False    # a rule reads a sign of harm away from the writer's own account
    recorded: bool = False           # the writer's account is recorded, or told to the line manager / DSL / LADO
    report_only: bool = False        # a short report that something was recorded or passed on, with no sign of harm
    writer: str | None = None        # the writer's role as the engine read it (leader, staff, trainer, governor)
    own_practice: bool = False       # the writer asks about their own practice: "was I wrong?", "should I apologise?"
    correction: bool = False         # a short message that corrects an earlier fact, and says no harm itself
    reporting: bool = False          # recording or reporting an injury or accident (RIDDOR, the accident book)
    accident_seen: bool = False      # an injury staff saw happen by accident, and no other sign of harm in rules
    ordinary_draft: bool = False     # an everyday document to draft, naming no sanction

    def signals(self) -> list[str]:
        """The facts that hold, as signals on the verdict (what the guard read, for the audit trail)."""
        flags = [name for name in ("recorded", "report_only", "own_practice", "correction", "reporting",
                                   "accident_seen", "ordinary_draft")
                 if getattr(self, name)]
        return ([f"fact:conduct:{self.conduct}"] if self.conduct != "none" else []) + [f"fact:{f}" for f in flags] + (
            [f"fact:writer:{self.writer}"] if self.writer else [])


def read_facts(reading: Reading, writer: str | None = None) -> Facts:
    """The facts a message states, from its rule hits (no model is consulted)."""
    if not reading.sents:
        return Facts(writer=writer)
    text = reading.text()
    n = len(reading.sents)

    def named(names: frozenset[str]) -> bool:
        return any(reading.named(i, names) for i in range(n))

    own_idx = [i for i in range(n) if "self_account" in reading.groups(i)]

    def by_own(i: int) -> bool:  # a sentence of the writer's own account, or the one either side of it
        return any(abs(i - j) <= 1 for j in own_idx)

    def other_adult_in(i: int) -> bool:
        g = reading.groups(i)
        if by_own(i):  # the pupil's words beside "I held him" ("you're hurting me") are about the writer's hold
            return False
        if any(x in g for x in _OTHER_ADULT):
            return True
        # beside the writer's own account, any other adult named in what happened (not "I told the head", not
        # "I'm the class teacher") is someone else's conduct in the same story
        return bool(own_idx) and "adult" in g and not ({"recorded", "handled"} & g) and not _SELF_INTRODUCED.search(
            reading.sents[i])

    other_adult = any(other_adult_in(i) for i in range(n))
    escalating = [i for i in range(n) if reading.strong(i, _ESCALATE)]
    # a sign a rule reads away from the writer's account, or harm words beside another adult or a family member
    # in any sentence but the account itself ("he said his dad holds him down like that and hits him")
    def harm_beside_someone(i: int) -> bool:  # "I'm the class teacher" names the writer, not another adult
        g = reading.groups(i)
        return "harm_words" in g and ("family_named" in g or (
            "adult" in g and not _SELF_INTRODUCED.search(reading.sents[i])))

    signs_elsewhere = any(g in reading.groups(i) and not by_own(i) for i in range(n) for g in _SIGNS) or any(
        i not in own_idx and harm_beside_someone(i) for i in range(n))
    # only the rules a hold itself can set off (a mark where the writer held, "you're hurting me"); a disclosure
    # of harm at home, sexual harm or a risk to life beside the account is never the writer's own practice
    rule_by_own = bool(own_idx) and bool(escalating) and not signs_elsewhere and all(
        by_own(i) and {h.name for h in reading.hits[i] if h.kind == "strong" and h.group in _ESCALATE} <= _HOLD_RULES
        for i in escalating)
    outcome = any(w in text for w in _OUTCOME_WORDS)
    own_practice = reading.any("own_practice") and not outcome
    if own_idx or own_practice:
        conduct: Conduct = "own"
    elif other_adult:
        conduct = "other_adult"
    elif reading.any("family_role") or named(_HOME_HARM):
        conduct = "family"
    elif reading.any("domain"):
        conduct = "pupil"
    else:
        conduct = "none"
    short = sum(len(s.split()) for s in reading.sents) <= SHORT_WORDS
    recorded = reading.any("recorded") or reading.any("handled")
    harm_said = reading.any("harm_words") or any(reading.any(g) for g in _SIGNS)
    reporting = reading.any("reporting") and (
        named(frozenset({"riddor", "record_injury"})) or bool(_INJURY_WORDS.search(text))) and not reading.any("demand")
    # every escalation rule that fires is the plain-injury one ("a bruise on her arm"), never a suspicious one
    plain_injury = bool(escalating) and all(
        {h.name for h in reading.hits[i] if h.kind == "strong" and h.group in _ESCALATE} == {"injuries"}
        for i in escalating) and not _SUSPICIOUS.search(text)
    return Facts(
        conduct=conduct,
        other_adult=other_adult,
        rule_by_own=rule_by_own,
        signs_elsewhere=signs_elsewhere,
        recorded=recorded,
        report_only=recorded and short and not harm_said,
        writer=writer,
        own_practice=own_practice,
        correction=reading.any("correction") and short and not harm_said,
        reporting=reporting,
        accident_seen=reading.any("accident") and bool(_INJURY_WORDS.search(text)) and plain_injury,
        # a draft that also asks the assistant to decide ("decide what he gets and write it up") is not ordinary
        ordinary_draft=reading.any("ordinary_draft") and not outcome and not reading.any("demand")
        and not _ASKS_TO_DECIDE.search(text),
    )
