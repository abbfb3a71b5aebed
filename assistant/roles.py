"""Who is writing: the head or a leader deciding, a member of staff who was there, a trainer preparing a
session, or a governor reviewing. Questions and refusals are fitted to the person (an HLTA who was hurt is
not asked how she will explain her decision to governors)."""
from __future__ import annotations

import re
from typing import Literal

Role = Literal["leader", "staff", "trainer", "governor"]

# "I'm an HLTA", "as a TA", "speaking as the SENCO"; not "as the teacher said".
_SELF = (r"\b(?:(?:i'?m|i am|i work as|speaking as|writing as|i'?ve been)\s+(?:a|an|the|one of the|their|his|her)?|"
         r"as (?:a|an))\s*")
_ROLES: tuple[tuple[Role, re.Pattern[str]], ...] = (
    ("governor", re.compile(r"\bas (?:the )?chair of (?:the )?governors\b|\bon the (?:governors'? )?panel\b|" + _SELF + r"(?:chair of (?:the )?governors|(?:parent |staff |co-?opted |local )?governor|trustee)\b",
                            re.I)),
    ("trainer", re.compile(_SELF + r"(?:\w+ )?(?:trainer|consultant|facilitator|lecturer|coach)\b", re.I)),
    ("staff", re.compile(r"\bi teach\b|" + _SELF + r"(?:\w+ )?(?:ta|hlta|lsa|teaching assistant|learning support assistant|support staff|"
                         r"cover supervisor|midday|lunchtime supervisor|form tutor|class teacher|teacher|ect|nqt|"
                         r"mentor|pastoral (?:lead|worker|assistant|manager)|learning mentor|key worker|1:1)\b", re.I)),
    ("leader", re.compile(_SELF + r"(?:\w+ )?(?:head|headteacher|head teacher|principal|deputy|assistant head|"
                          r"head of school|executive head|ceo|senco|dsl|head of year)\b", re.I)),
)


def writer_role(said: str, mode: str) -> Role:
    """The role the writer last gave for themselves; without one, a trainer in prep mode and a leader otherwise."""
    found: list[tuple[int, Role]] = []
    for role, pattern in _ROLES:
        found += [(m.start(), role) for m in pattern.finditer(said)]
    if found:
        return max(found)[1]
    return "trainer" if mode == "prep" else "leader"
