"""What a leader's message is, before anything is composed: its kind, the lens
or topic it concerns, and what it asks of the reply.

Two layers, both deterministic and offline:
- patterns for the forms that are unmistakable ("Decision: ...", a first-person
  statement of strain, "thanks", "no, I meant ...");
- a small fitted head (logistic regression over the shared sentence embedding)
  for the rest, shipped as `understanding_head.json` beside this file and
  rebuilt from the labelled set by `evals/understanding/fit.py`. Inference is a
  dot product over the message vector the turn already computes.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from assistant import write_ups
from assistant.case_record import DECISION_LABEL_WORDS, NO_SEND_SAID
from assistant.text import lenses_in
from knowledge.query import is_question
from knowledge.text import split_sentences
from prompts.bank import LIVE_LENSES

HEAD_PATH = Path(__file__).with_name("understanding_head.json")

Kind = Literal["law_question", "case_question", "answer", "new_facts", "draft_request", "decision",
               "distress", "about_assistant", "correction", "small_talk"]
QUESTION_KINDS = ("law_question", "case_question", "about_assistant", "draft_request")


class Understanding(BaseModel):
    kind: Kind
    lens: str | None = None  # the conversation lens the message speaks to most
    asks: bool = False  # it asks the assistant something
    wants_options: bool = False  # "so what should I do?"
    short: bool = False  # asked for a short explanation
    roleplay: str | None = None  # the part the user asked the assistant to play
    force: bool = False  # mentions force, a hold or an injury
    staff_force: bool = False  # mentions force or a hold by an adult (not only an injury)
    legal_conclusion: bool = False  # asks whether their own case was unlawful or discrimination
    request: Literal["outline", "questions", "scenario", "slides"] | None = None  # asks for a piece of a session
    via: Literal["pattern", "head"] = "pattern"


_I = r"\b(i|i'm|im|i've|i'd|me|my|myself)\b"
# a school's shared loss is the writer's own too ("we lost a Year 10 boy at the weekend")
_WE_LOST = re.compile(r"\bwe(?:'ve| have)? (?:just |sadly )?lost (?:a|one of our|our) (?:[\w-]+ ){0,3}?(?:pupils?|students?|"
                      r"boys?|girls?|colleagues?|teachers?|members? of staff)\b(?! (?:on|at|in) the (?:trip|visit|park|museum))",
                      re.I)
_DECISION = re.compile(
    rf"^\s*{DECISION_LABEL_WORDS}|\b(?:i|we)(?:'ve| have) decided\b|"
    r"\bmy (?:practice )?(?:target|decision) (?:is|will be)\b|that'?s my target|^\s*(?:we're|we are|i'm|i am) going with\b|"
    r"^\s*next time,? i(?:'ll| will)\b", re.I)
_CORRECTION = re.compile(
    r"^\s*(?:no[,.!\-–]|sorry[,.]?\s+(?:i|he|she|it|that)|actually\b|correction\b|to be clear\b|"
    r"that'?s (?:wrong|not right|not what i)|i meant\b|i didn'?t say)", re.I)
_STRAIN = re.compile(
    r"not sleeping|can'?t sleep|haven'?t slept|exhausted|burn[te]d? out|not coping|can'?t cope|overwhelm|"
    r"cut out for|a failure|\bcried\b|\bdread|end of my (?:rope|tether)|feel sick|can'?t switch off|"
    r"how much longer|whether to stay|can'?t (?:keep|carry) (?:on|doing)|not sure i can (?:keep|carry on|do)|"
    r"getting to me|falling apart|breaking point|at my limit|terrified|keep (?:replaying|going over) it|"
    r"can'?t stop (?:thinking|replaying)|i'?m (?:scared|frightened)|(?:really|so) shaken|shaking|"
    # grief for a pupil or colleague who died, and "can't do this any more" about the job: strain to acknowledge
    r"\bi'?m (?:\w+ )?(?:grieving|heartbroken|devastated|in bits|in tears|shattered|knackered|drained|worn out|"
    r"on my knees|running on (?:empty|fumes))|\bi(?:'ve| have)? (?:been )?(?:crying|in tears)|running on (?:empty|fumes)|"
    r"\b(?:we|i)(?:'ve| have)? lost (?:a|one of (?:our|my)|our|my) (?:[\w-]+ ){0,3}?(?:pupils?|students?|boys?|girls?|colleagues?|teachers?|"
    r"members? of staff)\b(?! (?:on|at|in) the (?:trip|visit|park|museum))|\b(?:since|after) (?:\w+ ){0,3}?"
    r"(?:died|passed away)|can'?t do (?:this|the|my) (?:job|role)|"
    r"can'?t see (?:how|myself) (?:i )?(?:carry(?:ing)? on|keep(?:ing)? going|stay(?:ing)?) (?:in|with|at)", re.I)
_SMALL = re.compile(r"^\W*(?:hi|hello|hey|morning|good (?:morning|afternoon|evening)|thanks|thank you|cheers|ok|okay|"
                    r"great|lovely|bye|that'?s all|fine)\b", re.I)
_ABOUT = re.compile(
    r"\bwhat can you (?:help|do)\b|\bare you (?:going to|a|an|able)\b|\bdo you (?:store|keep|save|work|remember)\b|"
    r"\byour (?:sources|information|data)\b|\bwho can see\b|\bwhat do you do\b|\bhow do you work\b|"
    r"\b(?:will|can|could) you (?:make the decision|decide)\b|\bdecide for me\b|\bwhich guidance do you\b|"
    r"\bwhere does your\b", re.I)
_DRAFT = re.compile(
    r"(?:\b(?:can|could|would) you|\bhelp me|\bplease|^\s*)\W*(?:write|draft|summari[sz]e|put together|set down|"
    r"structure|turn (?:all )?(?:this|that|it) into)\b|\bwrite (?:this|it|my \w+) up\b|"
    r"\b(?:into|make (?:me )?|write (?:me )?)an? (?:short |brief |quick )?(?:note|summary|email|letter)\b", re.I)
DRAFT_WORDS = 60  # a short message that asks for a draft anywhere in it is a draft request
_OPTIONS = re.compile(
    r"\bwhat (?:should|do|would|can|could) (?:i|we) do\b|\bwhat are (?:my|our|the) options\b|"
    r"\bwhere do (?:i|we) go from here\b|\bwhat(?:'s| is) (?:my|our|the) next step|\bwhat now\b|"
    r"\bwhat should i do (?:with|about)\b|\bwhat (?:would|do|should) (?:i|we) (?:need to )?weigh\b(?=.*\bbetween\b)|"
    r"\bbetween doing nothing and\b|\bwhat are the alternatives\b", re.I)
_SHORT = re.compile(r"\bin (?:one|a|a single|two) (?:paragraph|sentence|line)s?\b|\bkeep it (?:short|brief)\b|"
                    r"\b(?:short|brief|quick) (?:version|explanation|answer|summary)\b|\bbriefly\b|\bin a nutshell\b|"
                    r"\b(?:one|a single|a) slide\b|\bplain english\b|\ba (?:sentence|line) or two\b|^\W*(?:short|quick)\b",
                    re.I)
_ROLE = re.compile(r"\b(?:play|be|pretend to be|act as|role-?play(?: as)?)\s+(?:(?:the|a|an|his|her|their)\s+)?"
                   r"((?:[\w'’]+\s)?(?:dad|mum|mother|father|parent|carer|grandmother|grandad|teacher|head of year|headteacher|head|"
                   r"ta|senco|governor|pupil|student|child|colleague|deputy|member of staff))\b", re.I)
_REQUESTS = (
    # Several slides ("three slides' worth of bullets", "5 slides on..."); one slide is a short explanation.
    ("slides", re.compile(r"\b(?:\d|two|three|four|five|six|some|a few|a couple of)\s+slides?\b|\bslides?'? worth\b|"
                          r"\bbullet points?\b[^.?!]{0,30}\bslides\b|\bslides\b[^.?!]{0,30}\bbullet", re.I)),
    ("scenario", re.compile(r"\bscenarios?\b|\bvignettes?\b|\b(?:write|make up|give me) (?:me )?an? (?:short )?"
                            r"(?:case|story|example)\b", re.I)),
    ("outline", re.compile(r"\b(?:session )?outline\b|\brunning order\b|\bagenda\b|\bsession plan\b|"
                           r"\bplan (?:for|of) the (?:hour|session|twilight|training|meeting)\b|\bstructure (?:for|of) the "
                           r"(?:session|hour|twilight)\b|\btimings?\b|\btimed (?:plan|outline|agenda|session)\b|"
                           r"\bplan (?:for|of) (?:a|an|my|our) (?:\d+[- ]?min(?:ute)?s?|hour|half[- ]day|twilight|inset|training)\b|"
                           r"\b(?:twilight|inset|cpd|training|briefing|staff meeting) (?:session )?(?:plan|outline)\b",
                           re.I)),
    # Questions or prompts for people in a session to discuss: "discussion prompts", "four questions for the
    # table groups", "facilitator prompts", "something for delegates to talk about".
    ("questions", re.compile(r"\b(?:discussion|table|group|reflection|reflective|facilitator|talking|starter|"
                             r"coaching)\s+(?:questions?|prompts?|points?)\b|\b(?:questions?|prompts?)\b(?:\s+[\w'-]+){0,4}?"
                             r"\s+(?:for|to ask|to put to|with)\s+(?:the\s+|my\s+|our\s+)?(?:[\w-]+\s+)?(?:slt|staff|governors|"
                             r"team|heads|leaders|groups?|tables?|delegates|participants|colleagues|ta'?s|panel)\b", re.I)),
)
_ASKING_FOR = re.compile(r"\b(?:can|could|would|will) you\b|\bplease\b|^\W*(?:ok\W+|so\W+|now\W+)?(?:give|write|draft|make|"
                         r"suggest|draw up|put together|sketch|let'?s have)\b|\bi(?:'d| would) like\b|\bi need\b|\?|"
                         r"\b(?:give|write|make) me\b|\bi(?:'m| am)? ?(?:want|after)\b|\bwe need\b|"
                         # a further piece after one already given: "Great. And a scenario they can discuss"
                         r"^\W*(?:(?:great|good|thanks|perfect|lovely|brilliant|ok(?:ay)?)\W+)?(?:and|also|plus|next|then|now)\W+"
                         r"(?:an?|some|the|one|two|three|four|five|\d+)\b", re.I)
# "You be Callum", "can you be Gary?": a part named by a first name (capitalised, so case-sensitive).
_NAMED_ROLE = re.compile(r"\b(?:[Yy]ou be|[Cc]an you be|[Cc]ould you be|[Pp]retend to be|[Pp]lay)\s+([A-Z][a-z]+)\b(?!'s)")
_FORCE = re.compile(r"\b(?:held|hold|holding|grabbed|restrain\w*|physical intervention|pulled|pushed|by the arms?|"
                    r"guided (?:him|her|them) out|carried|physically|"
                    r"red mark|bruis\w*|injur\w*|hurt (?:him|her|them)|i hurt|positive handling|force)\b", re.I)
# Force or a hold by an adult, as against an injury between pupils ("broke his nose").
_STAFF_FORCE = re.compile(r"\b(?:held|holding|restrain\w*|physical intervention|positive handling|team teach|guided (?:him|her|them)|"
                          r"carried|escorted|(?:i|we|staff|ta|teacher|she|he) (?:had to )?(?:hold|held|grabbed|took (?:his|her) arm|"
                          r"moved (?:him|her) physically)|by the (?:arms?|wrists?)|use of force|reasonable force)\b", re.I)
_LEGAL = re.compile(r"\b(?:was|is|were|would) (?:our|my|this|that|it|the) (?:\w+ ){0,3}?(?:discriminat\w*|unlawful|lawful|"
                    r"illegal|legal)\b", re.I)
# "What must the letter contain?", "what should go in the decision record?": about a document, not asking for one.
_LAW_ABOUT_DOCUMENT = re.compile(r"\bwhat (?:must|should|does|do|needs? to|has to) (?:go in|be in|the \w+ (?:contain|include|say))\b|"
                                 r"\b(?:contain|include)\?", re.I)
_CASE_WORDS = re.compile(r"\b(?:he|she|him|her|his|hers|they|them|their|this|our|we|i|my|me|us)\b", re.I)


def _is_question(text: str) -> bool:
    """Any sentence of it asks the assistant something directly (what a question looks like lives with search)."""
    return "?" in text or any(is_question(s, reported=False) for s in split_sentences(text))


@lru_cache(maxsize=1)
def _head() -> dict | None:
    try:
        return json.loads(HEAD_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # patterns alone still give every message a kind


def head_scores(vector, which: str = "kind") -> dict[str, float]:
    """Class probabilities from the fitted head, or {} if none is shipped."""
    import numpy as np

    head = _head()
    if head is None or vector is None:
        return {}
    part = head[which]
    logits = np.asarray(part["coef"], dtype=np.float32) @ np.asarray(vector, dtype=np.float32) + np.asarray(
        part["intercept"], dtype=np.float32)
    exp = np.exp(logits - logits.max())
    return dict(zip(part["classes"], (exp / exp.sum()).tolist()))


_RANK = {lens: n for n, lens in enumerate(LIVE_LENSES)}


def _lens(text: str, vector) -> str | None:
    found = lenses_in(NO_SEND_SAID.sub(" ", text))  # "no SEND" raises no SEND lens
    if found:
        # A tie goes to the lens that comes first in a live conversation: "swore at the teacher; she has SEN
        # support for anxiety" is about her needs before it is about the staff.
        return max(found, key=lambda lens: (len(found[lens]), -_RANK.get(lens, len(_RANK))))
    scores = head_scores(vector, "lens")
    best = max(scores, key=scores.get) if scores else "none"
    return None if best == "none" or scores[best] < 0.4 else best


def understand(message: str, vector=None, after_question: bool = False) -> Understanding:
    """Decide what kind of message this is. `after_question`: the last reply asked something."""
    text = " ".join(message.split())
    first = text[:600]
    flags = dict(wants_options=bool(_OPTIONS.search(first)), short=bool(_SHORT.search(first)),
                 force=bool(_FORCE.search(text)), staff_force=bool(_STAFF_FORCE.search(text)), lens=_lens(text, vector),
                 legal_conclusion=bool(_LEGAL.search(first)) and _is_question(first))
    if _ASKING_FOR.search(first):  # "they want questions for governors" describes; "can you give me ..." asks
        flags["request"] = next((name for name, rx in _REQUESTS if rx.search(first)), None)
    role = _ROLE.search(first)
    if role and re.search(r"\b(?:could|can|would|will) you|\bplease|let'?s|^(?:play|be|pretend)|\byou be\b|"
                          r"\bcan we practi[sc]e\b|\brole.?play\b", first, re.I):
        flags["roleplay"] = role.group(1).lower()
    elif named := _NAMED_ROLE.search(first):
        flags["roleplay"] = named.group(1)
    question = _is_question(first)
    kind: str | None = None
    if _DECISION.search(first):
        kind = "decision"
    elif _CORRECTION.match(first) and len(text.split()) <= 40:
        kind = "correction"
    elif flags.get("roleplay"):  # the part asked for may be upset ("be a dad who is at the end of his tether")
        kind = "case_question"
    elif any((_STRAIN.search(s) and re.search(_I, s, re.I)) or _WE_LOST.search(s)
             for s in re.split(r"(?<=[.!?])\s+", text)):
        kind = "distress"
    elif _SMALL.match(first) and len(text.split()) <= 6 and not question:
        kind = "small_talk"
    elif write_ups.asked_for(first) and not _LAW_ABOUT_DOCUMENT.search(first):
        kind = "draft_request"
    elif flags["wants_options"]:
        kind = "case_question"
    elif _DRAFT.search(first) or (_DRAFT.search(text) and len(text.split()) <= DRAFT_WORDS):
        kind = "draft_request"
    elif _ABOUT.search(first):
        kind = "about_assistant"
    if kind is not None:
        return Understanding(kind=kind, asks=question or kind in QUESTION_KINDS, via="pattern", **flags)

    scores = head_scores(vector)
    if question:
        if scores:
            kind = max(("law_question", "case_question"), key=lambda k: scores.get(k, 0.0))
        else:
            kind = "case_question" if _CASE_WORDS.search(first) else "law_question"
        return Understanding(kind=kind, asks=True, via="head" if scores else "pattern", **flags)
    # A statement: strain the patterns missed is still strain; otherwise it answers or adds facts.
    if scores and scores.get("distress", 0.0) > 0.6:
        return Understanding(kind="distress", via="head", **flags)
    return Understanding(kind="answer" if after_question else "new_facts", via="pattern", **flags)
