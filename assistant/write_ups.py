"""The documents a leader asks for (a decision note, notes for a call with a parent, a staff briefing, a
reflection for their log), drafted only from what they have told the assistant.

A document is the leader's: every line of substance is their own words or the case record built from them.
Where the conversation has not given something a reviewer would look for, the document says
"[to add: ...]" rather than inventing it, so nothing reads as the assistant's finding or reason.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Callable

from pydantic import BaseModel

from assistant import corrections, draft_omissions, write_up_request
from assistant.case_questions import pronouns
from assistant.case_record import DECISION_LABEL, DISCLOSURE, PARENT_ROLES, named, telling
from assistant.write_up_request import Request
from knowledge.text import split_sentences
from prompts.bank import StageIntro
from prompts.write_ups import templates

if TYPE_CHECKING:  # models imports understanding, which asks this module what a request names
    from assistant.models import CaseRecord, Session

DocumentKind = write_up_request.DocumentKind
_PEOPLE = write_up_request._PEOPLE
KINDS = write_up_request.KINDS


class Document(BaseModel):
    kind: DocumentKind
    text: str
    card: str  # the card on what such a document needs, cited beside it
    own_words: list[str]  # the leader's lines it repeats (quoted words, not the assistant's claims)


# Asking for a document to be produced, as against asking what one must contain.
_PRODUCE = re.compile(r"\b(?:draft|write|put together|prepare|make|give me|jot(?: down)?|sketch|turn (?:this|that|it) into|"
                      r"help me (?:write|draft|prepare|plan)|can i have|could i have|i need|i'd like)\b", re.I)


# A short follow-up naming the next document without a verb: "Now a summary for governors please", "And notes
# for my meeting with the SENCO".
_NEXT_ONE = re.compile(r"^\W*(?:(?:ok|okay|great|thanks|right|now|and|also|then|next|lovely|perfect)\W+)+"
                       r"(?:a|an|some|my|the|notes|minutes)\b", re.I)
NEXT_ONE_WORDS = 20
_TELLS = re.compile(r"\b(?:is|was|were|are|went|has|had|have|says|said|did|got|came|told|rang|called)\b", re.I)  # telling, not asking


def asked_for(message: str) -> bool:
    """The message asks for one of the documents drafted here ("draft my notes for the call with mum")."""
    named = any(pattern.search(message) for _, pattern in KINDS)
    return named and (bool(_PRODUCE.search(message)) or (
        bool(_NEXT_ONE.search(message)) and len(message.split()) <= NEXT_ONE_WORDS and not _TELLS.search(message)))


kind_of = write_up_request.kind_of


def to_add(what: str) -> str:
    return f"[to add: {what}]"


_REASON = re.compile(r"\bbecause\b|\bso that\b|\bgiven\b|\bsince\b|\bas (?:she|he|they|it|the|her|his)\b|\breason", re.I)
_NEXT = re.compile(r"\breview\b|\bfollow[- ]?up\b|\bcheck[- ]?in\b|\bmonitor|\bnext (?:week|term|steps?)\b|\bmeeting\b|"
                   r"\bby (?:monday|tuesday|wednesday|thursday|friday|the end)\b|\bin (?:two|three|four|six|\d) weeks\b",
                   re.I)
# A sentence that says what will be done ("She'll have a check-in", "we are putting in a key adult").
_ACTION = re.compile(r"\b(?:will|'ll|shall|going to|are putting|is getting|we(?:'re| are) (?:putting|giving|arranging|"
                     r"fixing|setting|starting|adding|moving))\b|^\W*(?:no|a|an|one|two|three)\b|^\W*(?:instead|also|plus)\b", re.I)
_NEEDS_NAMED = re.compile(r"\bsend\b|\behc|\bplan\b|\bneeds?\b|\badjust|\bautis|\basc\b|\badhd\b|\bsemh\b|\bdisab", re.I)


def _decision_parts(decision: str) -> tuple[list[str], list[str], set[str]]:
    """The decision as the leader wrote it, the reasons they gave in it, and the sentences those came from: a
    sentence's "because ..." clause is a reason, what comes before it the decision; a review or follow-up
    sentence is a next step, not either."""
    decided, reasons, used = [], [], set()
    for sentence in split_sentences(" ".join(DECISION_LABEL.sub("", decision).split())):
        found = _REASON.search(sentence)
        if found and found.start() > 0:
            decided.append(sentence[:found.start()].rstrip(" ,;:-–") + ".")
            reasons.append(sentence[found.start():][:1].upper() + sentence[found.start() + 1:])
        elif found:
            reasons.append(sentence)
        elif not decided or (not _NEXT.search(sentence) and _ACTION.search(sentence)):
            decided.append(sentence)
        elif not _NEXT.search(sentence):  # a later sentence that explains rather than acts is a reason
            reasons.append(sentence)
        else:
            continue
        used.add(sentence)
    return decided, reasons, used


def _told(leader: list[str]) -> list[str]:
    """The leader's sentences, a "Decision:" label taken off (the decision is matched without it)."""
    return [DECISION_LABEL.sub("", s) for m in leader for s in split_sentences(" ".join(m.split()))]


def _happened(case: CaseRecord, leader: list[str], used: set[str]) -> list[str]:
    """What happened and what led up to it, as told: the record's account, trigger and history, then (up to two)
    other sentences the leader told about it that no field holds ("he'd been dropped from the team that morning")."""
    held = list(dict.fromkeys([*case.happened[:3], *([case.trigger] if case.trigger else []), *case.history[:2]]))
    filed = " ".join([*held, *case.in_place, *case.sanctions, *case.pattern, *case.safeguarding,
                      *(p.view or "" for p in case.people)])
    told = [s for s in _told(leader) if telling(s) and s not in filed and s not in used and not DISCLOSURE.search(s)
            and len(s.split()) >= 6 and not _NEXT.search(s) and not DECISION_LABEL.match(s)
            and not ((named(s, "needs") or _NEEDS_NAMED.search(s)) and len(s.split()) < 10)]  # "She's on SEN support": the pupil line has it
    return held + told[:2]


def _line(heading: str, body: list[str] | str) -> str:
    items = [body] if isinstance(body, str) else body
    if len(items) == 1:
        return f"**{heading}**: {items[0]}"
    return f"**{heading}**:\n" + "\n".join(f"- {item}" for item in items)


def _views(case: CaseRecord, roles: tuple[str, ...]) -> list[str]:
    return [f"{p.role[:1].upper()}{p.role[1:]}: {p.view.rstrip('.')}." for p in case.views() if p.role in roles]


def decision_note(session: Session, leader: list[str], today: dt.date) -> Document:
    t = templates().decision_note
    case, h, m = session.case, t.headings, t.missing
    pupil_bits = [case.year_group, ", ".join(case.needs), case.plan and {"none": "no EHC plan or SEN support"}.get(
        case.plan, case.plan), case.plan_note]
    pupil = "; ".join(b for b in pupil_bits if b)
    decided, reasons, used = _decision_parts(session.decision or "")
    needs = ", ".join(case.needs) or (case.plan if case.plan and case.plan != "none" else "")
    # Each of the leader's sentences appears once, under the first heading it belongs to.
    equality = [s for s in split_sentences(session.decision or "") if _NEEDS_NAMED.search(s) and s not in used]
    next_steps = [s for s in _told(leader) if _NEXT.search(s) and not s.endswith("?") and s not in used
                  and s not in equality]
    safeguarding = m["safeguarding_escalated"] if session.escalated else m["safeguarding"]
    lines = [
        _line(h["pupil"], pupil or to_add(m["pupil"])),
        _line(h["happened"], _happened(case, leader, used) or to_add(m["happened"])),
        _line(h["in_place"], case.in_place or to_add(m["in_place"])),
        _line(h["views"], (_views(case, ("the pupil",)) or [to_add(m["pupil_view"])])
              + (_views(case, PARENT_ROLES) or [to_add(m["parent_view"])])
              + _views(case, tuple(p.role for p in case.people if p.role != "the pupil" and p.role not in PARENT_ROLES))),
        _line(h["options"], [*case.sanctions, to_add(m["options"])] if len(case.sanctions) < 2 else case.sanctions),
        _line(h["decision"], " ".join(decided) if session.decision else to_add(m["decision"])),
        _line(h["reasons"], reasons or to_add(m["reasons"])),
        _line(h["equality"], equality or to_add(m["equality"].format(needs=needs) if needs else m["equality_none"])),
        _line(h["safeguarding"], to_add(safeguarding)),
        _line(h["next"], next_steps[:3] or to_add(m["next"])),
    ]
    text = "\n\n".join([t.intro, f"### {t.title}", *lines, f"*{t.close.format(date=today.isoformat())}*"])
    return Document(kind="decision_note", text=text, card=t.card, own_words=lines)


def _who(message: str, case: CaseRecord) -> str:
    found = re.search(rf"\b(?:with|to|for) (?:the |his |her |their )?({_PEOPLE})\b", message, re.I) or re.search(
        rf"\b({_PEOPLE})\b", message, re.I)
    if found:
        who = found.group(1).lower()
        return who if who.split()[0] in ("mum", "dad", "the", "gran", "nan") else f"the {who}"
    return next((p.role for p in case.people if p.role in PARENT_ROLES), "the parents")


def call_notes(session: Session, message: str, leader: list[str]) -> Document:
    t = templates().call_notes
    case, h = session.case, t.headings
    who = _who(message, case)
    pupil = pronouns(" ".join(leader))["he"]
    decided, _, _ = _decision_parts(session.decision or "")
    view = next((p.view.rstrip(".") for p in case.views() if p.role == who or (who in ("the parents", "the family")
                                                                                  and p.role in PARENT_ROLES)), None)
    acknowledge = [t.view.format(who=who[:1].upper() + who[1:], view=view) if view else t.no_view.format(who=who)]
    if case.plan and any(re.search(r"\b(?:wasn'?t|weren'?t|not) (?:told|in place|followed|there|available)\b", s, re.I)
                         for s in [*case.in_place, *leader]):
        acknowledge.append(t.plan_gap)
    # What the leader said they want to cover, in the request itself ("notes for the call: the seat, the plan").
    agenda = [s.strip("-• ") for s in re.split(r"\n|(?<=[.!?;])\s+", message.split(":", 1)[1] if ":" in message else "")
              if len(s.split()) >= 2] or [s for s in split_sentences(message) if not asked_for(s) and len(s.split()) >= 4]
    lines = [
        _line(h["purpose"], t.purpose.format(who=who)),
        *([_line(h["agenda"], agenda)] if agenda else []),
        _line(h["share"], case.happened[:3] or to_add("what happened, in plain words and in order")),
        _line(h["next"], t.decided.format(decision=" ".join(decided)) if session.decision else t.undecided.format(who=who)),
        _line(h["acknowledge"], acknowledge),
        _line(h["ask"], [q.format(who=who, pupil=pupil) for q in t.ask]),
        _line(h["careful"], list(t.careful)),
        _line(h["after"], t.after.format(who=who)),
    ]
    text = "\n\n".join([t.intro.format(who=who), f"### {t.title.format(who=who)}", *lines])
    return Document(kind="call_notes", text=text, card=t.card, own_words=lines)


def staff_briefing(session: Session) -> Document:
    t = templates().staff_briefing
    case, h, m = session.case, t.headings, t.missing
    who = "; ".join(b for b in [case.year_group, ", ".join(case.needs)] if b)
    decided, _, _ = _decision_parts(session.decision or "")
    lines = [
        _line(h["who"], [who, to_add(m["who"])] if who else to_add(m["who"])),
        _line(h["helps"], case.in_place or to_add(m["helps"])),
        _line(h["changed"], " ".join(decided) if session.decision else to_add(m["changed"])),
        _line(h["if"], to_add(m["if"])),
        _line(h["contact"], to_add(m["contact"])),
    ]
    text = "\n\n".join([t.intro, f"### {t.title}", *lines])
    return Document(kind="staff_briefing", text=text, card=t.card, own_words=lines)


def reflection(stages: dict[str, list[str]], intros: dict[str, StageIntro], target: str | None) -> Document:
    """The practice reflection: each stage of the model (`intros`, in order) in the person's own words, an empty
    stage saying what it asks for; the practice target they set is the last stage (the action), and is not
    repeated elsewhere."""
    t = templates().reflection
    order = list(intros)
    if target:
        stages = {stage: [s for s in said if s not in target] for stage, said in stages.items()}
        stages[order[-1]] = [target]
    lines = [_line(intros[stage].name, " ".join(stages[stage]) if stages.get(stage) else
                   (t.missing_target if stage == order[-1] else to_add(intros[stage].purpose[:1].lower()
                                                                      + intros[stage].purpose[1:].rstrip("."))))
             for stage in order]
    text = "\n\n".join([t.intro, f"### {t.title}", *lines])
    return Document(kind="reflection", text=text, card=t.card, own_words=lines)


# --- the request as asked: the leader's words corrected, the kind, form, length and voice -------------------

# A sentence that asks the assistant for something ("can you write this up", "please keep it short").
_ASKS_ASSISTANT = re.compile(r"\b(?:can|could|would|will) you\b|\bplease\b|^\W*(?:ok\W+|so\W+|now\W+)?(?:draft|write|give|make|"
                             r"turn|put|keep|help)\b|\bi(?:'d| would) like\b|\b(?:gibbs|rolfe|sch(?:ö|o|oe)n)\b", re.I)


def leader_lines(messages: list[str], found: list[tuple[str, str]]) -> list[str]:
    """The leader's messages as they now stand: every correction applied, and only what they told (not their
    questions, their requests of the assistant or the sentences that made a correction)."""
    out = []
    for message in messages:
        kept = [corrections.apply(s, found) for s in split_sentences(message) if telling(s)
                and not corrections.is_correction(s) and not _ASKS_ASSISTANT.search(s)]
        if kept:
            out.append(" ".join(kept))
    return out


_I_VERBS = {"think": "thinks", "feel": "feels", "want": "wants", "need": "needs", "know": "knows", "believe": "believes",
            "have": "has", "do": "does", "am": "is", "go": "goes", "try": "tries", "hope": "hopes", "worry": "worries",
            "plan": "plans", "intend": "intends", "will": "will", "would": "would", "can": "can", "could": "could"}


def third_person(text: str, noun: str) -> str:
    """The leader's first-person words in the third person ("I think" -> "the school leader thinks")."""
    def subject(m: re.Match[str]) -> str:
        verb = m.group(2) or ""
        said = noun if m.start() > 0 and text[m.start() - 2:m.start()].strip() not in (".", "!", "?", "") else \
            noun[:1].upper() + noun[1:]
        contraction = (m.group(1) or "").lower().replace("’", "'")
        if contraction:  # "I'm going" is "... is going": the word after a contraction keeps its form
            tail = {"'m": " is", "'ve": " has", "'d": " would", "'ll": " will"}[contraction]
            return f"{said}{tail}" + (f" {verb}" if verb else "")
        return said + (f" {_I_VERBS.get(verb.lower(), verb)}" if verb else "")

    text = re.sub(r"\bI(['’](?:m|ve|d|ll))?\b(?: (\w+))?", lambda m: subject(m) if m.group(0).startswith("I") else m.group(0),
                  text)
    text = re.sub(r"\bmyself\b", "themselves", text)
    text = re.sub(r"\bmy\b", "their", text)
    text = re.sub(r"\bMy\b", "Their", text)
    return re.sub(r"\bme\b", "them", text)


# How a leader names the pupil: "Year 8 girl, Maya, ...", "Kai (Y9)", "a boy called Reggie".
_NAMED_PUPIL = re.compile(r"\b(?:boy|girl|pupil|child|lad|student|son|daughter)\s*,?\s+(?:called |named )?([A-Z][a-z]{2,})\b|"
                          r"\b([A-Z][a-z]{2,})\s*\((?:y|yr|year)\s?\d", re.I)


def without_names(text: str, said: str) -> str:
    """The pupil's name, as the leader gave it, left out of a document for governors."""
    for m in _NAMED_PUPIL.finditer(said):
        name = m.group(1) or m.group(2)
        if not name[:1].isupper() or name.lower() in ("with", "who", "has", "and", "was", "the", "year"):
            continue
        text = re.sub(rf",\s*{name}\s*,", ",", text)
        text = re.sub(rf"\b{name}'s\b", "the pupil's", text)
        text = re.sub(rf"\b{name}\b", "the pupil", text)
    return text


def _count(text: str) -> int:
    return len(re.findall(r"[\w'’\[\]]+", text))


def fit(sections: list[tuple[str, list[str]]], title: str, words: int) -> str:
    """Headed sections cut to a word limit: each section's later items go first, then whole sections from the
    end, the first sections (who and what happened) and the decision kept longest."""
    sections = [(h, list(items)) for h, items in sections]

    def render() -> str:
        return "\n\n".join([f"### {title}", *(_line(h, items) for h, items in sections if items)])

    while _count(render()) > words:
        longest = max(range(len(sections)), key=lambda i: (len(sections[i][1]), i))
        if len(sections[longest][1]) > 1:
            sections[longest][1].pop()
            continue
        blank = [i for i, (_, items) in enumerate(sections) if items and items[0].startswith("[to add")]
        if blank:
            sections.pop(blank[-1])
        elif len(sections) > 1:
            sections.pop()
        else:
            heading, items = sections[0]
            cut = " ".join(items[0].split()[:max(5, words - _count(title) - 3)]) + " …"
            sections[0] = (heading, [cut])
            break
    return render()


def _prose_fit(sentences: list[str], words: int | None) -> str:
    """Sentences in order of importance, as many as the limit allows, then put back in reading order."""
    if words is None:
        return " ".join(s for s in sentences if s)
    chosen: set[int] = set()
    for i in sorted(range(len(sentences)), key=lambda i: _PRIORITY[i] if i < len(_PRIORITY) else 99):
        if sentences[i] and _count(" ".join([*(sentences[j] for j in sorted(chosen)), sentences[i]])) <= words:
            chosen.add(i)
    return " ".join(sentences[i] for i in sorted(chosen))


# Reading order of a decision paragraph: pupil, happened, in place, views, options, decision, reasons, next;
# under a word limit the decision and its reasons are kept first.
_PRIORITY = [3, 2, 6, 5, 4, 0, 1, 7]


def _pupil(case: CaseRecord) -> str:
    bits = [case.year_group and f"a {case.year_group} pupil", ", ".join(case.needs), case.plan and {
        "none": "no EHC plan or SEN support", "EHCP": "an EHC plan"}.get(case.plan, case.plan), case.plan_note]
    return ", ".join(b for b in bits if b)


def decision_paragraph(session: Session, leader: list[str], words: int | None) -> Document:
    t = templates().decision_paragraph
    case = session.case
    decided, reasons, used = _decision_parts(session.decision or "")
    next_steps = [s for s in _told(leader) if _NEXT.search(s) and s not in used][:2]
    views = [f"{p.role[:1].upper()}{p.role[1:]}: {p.view.rstrip('.')}." for p in case.views()]
    sentences = [
        t.pupil.format(pupil=_pupil(case)) if _pupil(case) else "",
        " ".join(case.happened[:2]),
        " ".join(case.in_place[:2]) if case.in_place and case.in_place != ["nothing in place"] else "",
        t.views.format(views=" ".join(views[:2])) if views else "",
        t.options.format(options="; ".join(case.sanctions)) if len(case.sanctions) >= 2 else "",
        t.decision.format(decision=" ".join(decided)) if decided else t.missing_decision,
        t.reasons.format(reasons=" ".join(reasons)) if reasons else t.missing_reasons,
        t.next.format(next=" ".join(next_steps)) if next_steps else "",
    ]
    text = _prose_fit(sentences, words)
    return Document(kind="decision_note", text=text if words else f"{t.intro}\n\n{text}",
                    card=templates().decision_note.card, own_words=[text])


def meeting_notes(session: Session, message: str, leader: list[str], who: str) -> Document:
    t = templates().meeting_notes
    case, h = session.case, t.headings
    decided, _, _ = _decision_parts(session.decision or "")
    agenda = [s.strip("-• ") for s in re.split(r"\n|(?<=[.!?;])\s+", message.split(":", 1)[1] if ":" in message else "")
              if len(s.split()) >= 2]
    sections = [
        (h["purpose"], [t.purpose.format(who=who)]),
        *([(h["agenda"], agenda)] if agenda else []),
        (h["pupil"], [_pupil(case) or to_add("year group, needs and plan status")]),
        (h["happened"], case.happened[:3] or [to_add("what happened, in plain words")]),
        (h["in_place"], case.in_place or [to_add("what support was in place, and whether it was delivered")]),
        *([(h["concerns"], [t.concerns.format(who=who)])] if case.safeguarding or session.escalated else []),
        (h["decided"], [" ".join(decided)] if decided else [to_add("anything already decided, or that it is open")]),
        (h["ask"].format(who=who), [q.format(who=who) for q in t.ask]),
        (h["actions"], [t.actions]),
    ]
    return _headed("meeting_notes", t.title.format(who=who), t.intro, sections, t.card)


def letter(session: Session, message: str, leader: list[str], who: str, sanction: bool) -> Document:
    t = templates().letter
    if sanction:
        return Document(kind="letter", text=t.refused, card=t.card, own_words=[])
    topic = re.search(r"\b(?:about|regarding|re|on|explaining)\s+(.{6,120}?)(?=[.?!]|,? (?:and|so|can|could|please)\b|$)",
                      message, re.I)
    decided, _, _ = _decision_parts(session.decision or "")
    doing = decided or [s for s in split_sentences(" ".join(leader)) if _ACTION.search(s) and not DISCLOSURE.search(s)][:3]
    paragraphs = [
        t.greeting.format(who=who[:1].upper() + who[1:] if not who.startswith("the ") else who[4:].capitalize()),
        t.why.format(topic=topic.group(1).strip() if topic else to_add("what the letter is about")),
        *([" ".join(case_line for case_line in session.case.happened[:1])] if session.case.happened else []),
        t.doing.format(doing=" ".join(doing)) if doing else t.missing_doing,
        t.contact, t.sign,
    ]
    body = "\n\n".join(p for p in paragraphs if p)
    return Document(kind="letter", text=f"{t.intro}\n\n### {t.title.format(who=who)}\n\n{body}", card=t.card,
                    own_words=[body])


def governors_summary(session: Session, leader: list[str]) -> Document:
    t = templates().governors_summary
    case, h = session.case, t.headings
    decided, reasons, used = _decision_parts(session.decision or "")
    said = " ".join(leader)
    review = [s for s in split_sentences(said) if _NEXT.search(s) and s not in used and not DISCLOSURE.search(s)][:2]
    views = [f"{p.role[:1].upper()}{p.role[1:]}: {p.view.rstrip('.')}." for p in case.views()]
    sections = [
        (h["pupil"], [_pupil(case) or to_add("year group, needs and plan status (no name)")]),
        (h["happened"], case.happened[:2] or [to_add("what happened, in plain words")]),
        (h["in_place"], case.in_place or [to_add("what support was in place beforehand")]),
        (h["views"], views or [to_add("the pupil's and the parents' views")]),
        (h["options"], case.sanctions if len(case.sanctions) >= 2 else [*case.sanctions, to_add("the options weighed")]),
        (h["decision"], [" ".join(decided)] if decided else [to_add("the decision")]),
        (h["reasons"], reasons or [to_add("the reasons for it")]),
        *([(h["safeguarding"], [t.safeguarding])] if case.safeguarding or session.escalated else []),
        (h["review"], review or [to_add("when and how it will be reviewed")]),
    ]
    return _headed("governors_summary", t.title, t.intro, sections, t.card)


def _headed(kind: DocumentKind, title: str, intro: str, sections: list[tuple[str, list[str]]], card: str) -> Document:
    lines = [_line(heading, items if len(items) > 1 else items[0]) for heading, items in sections if items]
    return Document(kind=kind, text="\n\n".join([intro, f"### {title}", *lines]), card=card, own_words=lines)


def schon(stages: dict[str, list[str]], gibbs_order: list[str], target: str | None) -> Document:
    """Schön's reflection-in-action and reflection-on-action from what the person said: the account and the
    feelings in the moment are in action; the looking back, and what they will do next, on action."""
    t = templates()
    moment = [s for stage in gibbs_order[:2] for s in stages.get(stage, [])]
    later = [s for stage in gibbs_order[2:] for s in stages.get(stage, [])] + ([target] if target else [])
    lines = [_line(stage.name, " ".join(said) if said else to_add(stage.purpose[:1].lower() + stage.purpose[1:].rstrip(".")))
             for stage, said in ((t.schon["in_action"], moment), (t.schon["on_action"], later))]
    return Document(kind="reflection", text="\n\n".join([t.reflection.intro, f"### {t.reflection.title}", *lines]),
                    card=t.reflection.card, own_words=lines)


def _who_for(request: Request, message: str, case: CaseRecord) -> str:
    if request.kind == "meeting_notes":
        return request.audience or "the SENCO"
    if request.kind == "letter":
        found = re.search(rf"\b(?:to|for) ((?:the |all |our |his |her |their )?(?:[\w-]+ )?{write_up_request.PARENTS})\b",
                          message, re.I)
        return found.group(1).lower() if found else "parents and carers"
    return _who(message, case)


def draft(session: Session, message: str, earlier: list[str], all_said: list[str], practice_order: list[str] | None,
          stage_intro: Callable[[str], StageIntro], role: str, today: dt.date) -> Document | None:
    """The document the message asks for, in the form, length, model and voice asked, from the leader's words
    with every correction they made applied. `earlier`: what they told before (draft requests aside);
    `all_said`: every message they sent, this one included (corrections can come anywhere); `practice_order`:
    the practice session's own model, when there is one. None when no document is named."""
    request = write_up_request.read(message, session.mode)
    if request.kind is None:
        return None
    found = corrections.across(all_said)
    leader = leader_lines(earlier, found)
    if session.decision and found:
        session = session.model_copy(update={"decision": corrections.apply(session.decision, found)})
    if request.kind == "reflection":
        from prompts.bank import PRACTICE_MODELS, DEFAULT_PRACTICE_MODEL
        from assistant.practice_stages import note_by_stage

        named = request.model
        order = list(PRACTICE_MODELS[named]) if named in PRACTICE_MODELS else practice_order or list(
            PRACTICE_MODELS[DEFAULT_PRACTICE_MODEL])
        gibbs = list(PRACTICE_MODELS["gibbs"])
        target = _target(session) if session.mode == "practice" else None
        if named == "schon":
            document = schon(note_by_stage(leader, gibbs, per_stage=3), gibbs, target)
        else:
            document = reflection(note_by_stage(leader, order, per_stage=3), {s: stage_intro(s) for s in order}, target)
    elif request.kind == "decision_note" and (request.prose or request.words):
        document = decision_paragraph(session, leader, request.words)
    elif request.kind == "decision_note":
        document = decision_note(session, [*leader, *leader_lines([message], found)], today)
    elif request.kind == "call_notes":
        document = call_notes(session, message, leader)
    elif request.kind == "meeting_notes":
        document = meeting_notes(session, message, leader, _who_for(request, message, session.case))
    elif request.kind == "letter":
        document = letter(session, message, leader, _who_for(request, message, session.case), request.sanction_letter)
    elif request.kind == "governors_summary":
        document = governors_summary(session, leader)
    else:
        document = staff_briefing(session)
    if request.person == "third":  # the leader's words, not the line that introduces the draft to them
        noun = templates().third_person.get(role, "the writer")
        intro, *body = document.text.split("\n\n")
        text = "\n\n".join([intro, *(third_person(p, noun) for p in body)]) if body else third_person(intro, noun)
        document = document.model_copy(update={"text": text})
    if request.kind == "governors_summary" or draft_omissions.NAMES in request.leave_out:
        document = document.model_copy(update={"text": without_names(document.text, " ".join(earlier))})
    if request.leave_out:  # "leave out the bit about his dad": taken out, and said so
        text = draft_omissions.leave_out(document.text, request.leave_out, session.case.safeguarding)
        items = ["names" if w == draft_omissions.NAMES else w for w in request.leave_out]
        note = templates().left_out.format(items=", ".join(f"*{w}*" for w in items))
        document = document.model_copy(update={"text": text.replace("\n\n", f" {note}\n\n", 1) if "\n\n" in text
                                                else f"{text} {note}"})
    if request.words and _count(document.text) > request.words:
        document = document.model_copy(update={"text": _within(document.text, request.words)})
    return document


def _target(session: Session) -> str | None:
    if not session.decision:
        return None
    text = " ".join(DECISION_LABEL.sub("", session.decision.strip()).split())
    return " ".join(split_sentences(text)[:2]) or None


def _within(text: str, words: int) -> str:
    """A drafted document cut to the leader's word limit: its framing line goes first, then headed sections are
    cut from the end and from within (see `fit`)."""
    parts = text.split("\n\n")
    body = [p for p in parts if not (p == parts[0] and not p.startswith(("**", "###")))]
    if _count("\n\n".join(body)) <= words:
        return "\n\n".join(body)
    title = next((p[4:] for p in body if p.startswith("### ")), "Draft")
    sections = []
    for p in body:
        m = re.match(r"\*\*(.+?)\*\*:\s*(.*)", p, re.S)
        if m:
            items = [i[2:] for i in m.group(2).split("\n") if i.startswith("- ")] or [m.group(2)]
            sections.append((m.group(1), items))
    if not sections:  # prose: whole sentences up to the limit
        kept: list[str] = []
        for sentence in split_sentences(" ".join(p for p in body if not p.startswith("### "))):
            if _count(" ".join([*kept, sentence])) > words:
                break
            kept.append(sentence)
        return " ".join(kept)
    return fit(sections, title, words)
