"""Prep mode's answers to a consultant's requests for pieces of a session: a
timed outline, discussion questions, an invented scenario for the tables, or
slides' worth of points from the cards, each built from what the consultant
has said about the school and the session's topic."""
from __future__ import annotations

import re
from typing import Callable

from assistant.case_questions import figure, in_setting, pronouns, slots
from assistant.case_record import _SETTING, _YEAR, named
from assistant.replies import Draft, ReplyContext
from knowledge.card_questions import as_team_question, card_questions
from knowledge.text import split_sentences
from knowledge.vocabulary import section_sentences

DEFAULT_MINUTES = 60
DEFAULT_QUESTIONS, MOST_QUESTIONS = 3, 6
_COUNT_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "a couple of": 2, "a few": 3}
_NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}
_COUNT = re.compile(r"\b(\d|two|three|four|five|six|a couple of|a few)\s+(?:[\w-]+\s+){0,2}?(?:questions|prompts|points)\b",
                    re.I)
_MINUTES = re.compile(r"\b(\d{2,3})[\s-]*(?:min|mins|minutes?)\b", re.I)
_HOURS = {r"\b(?:an|one|1) hour\b|\bhour[- ]long\b": 60, r"\btwilight\b": 90, r"\b(?:an hour and a half|90)\b": 90,
          r"\bhalf[- ]day\b|\bmorning\b": 180, r"\b(?:two|2) hours\b": 120}
DEFAULT_SLIDES, MOST_SLIDES, POINTS_PER_SLIDE = 3, 6, 3
_SLIDE_COUNT = re.compile(r"\b(\d|two|three|four|five|six|a couple of|a few)\s+slides?\b", re.I)
# What a session or a slide is about: "a twilight on de-escalation and reasonable adjustments", "slides about ...".
_TOPIC = re.compile(r"\b(?:on|about|covering|explaining|around)\s+(?!the (?:tables|day)\b)(.{6,140}?)"
                    r"(?=[.?!]|,? (?:can|could|would|so|and (?:can|could|i))\b|$)", re.I)
DEFAULT_EVENT = "pushes another pupil during an argument"
DEFAULT_RESPONSE = "sends them to the office"
FOCUS_LENSES = ("needs", "send", "proportionality", "equality", "voice")


TOPICAL = 2  # questions taken from the cards the session's topic reaches, beside the bank's
TOPIC_CHARS = 1500  # the consultant's latest words say most about what the session is for
SCENARIO_WORDS = 60  # a scenario shorter than this gets a complication for the tables
BRIEF_WORDS = 12  # a scenario request with this much description beyond the request itself is a brief
BRIEF_AFTER_COLON = 4  # "...a scenario: Y9 boy with ADHD, third removal" -- what follows the colon is the brief
# The consultant talking about the request, not describing the scenario ("I need it for a twilight", "can you
# make it realistic"): left out, so the vignette reads as a vignette and not as their message pasted back.
_FRAMING = re.compile(r"^\W*(?:i|we)(?:'d| would| need| want|'m| am| will|'ll)\b|\b(?:can|could|would) you\b|"
                      r"\bfor (?:my|our|the) (?:session|twilight|inset|training|group|tables)\b", re.I)
_REPEATED = re.compile(r"\b(?:second|third|fourth|fifth|again|times|repeated(?:ly)?|every (?:day|week))\b", re.I)
_REQUEST_SENTENCE = re.compile(r"\b(?:scenarios?|vignettes?|case for the tables)\b", re.I)


def _brief(message: str) -> str:
    """What the consultant said the scenario should be, without the sentence that asks for it
    ("I want a scenario for the tables. Year 3, autistic girl, ..." -> "Year 3, autistic girl, ...")."""
    parts = split_sentences(message)
    # ("Great." before the request is a nod, not part of the brief.)
    kept = [p for p in parts if not _REQUEST_SENTENCE.search(p) and not _FRAMING.search(p) and len(p.split()) > 2]
    after_colon = False
    if not kept and parts:  # one sentence asks and describes: keep what follows "scenario:", never the request
        asking = next((p for p in parts if _REQUEST_SENTENCE.search(p)), parts[0])
        pieces = re.split(r"[:\-–]\s+", asking, maxsplit=1)
        if len(pieces) < 2:
            return ""  # the scenario is built from what the request names (see `_asked_for`)
        kept, after_colon = [pieces[-1]], True
    brief = " ".join(kept).strip()
    return brief if len(brief.split()) >= (BRIEF_AFTER_COLON if after_colon else BRIEF_WORDS) else ""


_WHO_DOES = re.compile(r"\b(?:who|that)\s+((?:is |keeps |has |won'?t |refuses |runs |hits |walks |shouts |swears |throws |"
                       r"pushes |kicks |bites |hides |leaves |will not |can'?t |does not |doesn'?t )?[^.,;?!]{3,90}?)"
                       r"(?=[.,;?!]|\s+(?:for|in|during|at)\s+(?:a|an|my|our|the)\s+(?:session|twilight|inset|training|staff)\b|$)",
                       re.I)
_SESSION_TOPIC = (re.compile(r"\b(?:session|twilight|inset|training|cpd|meeting)\s+(?:on|about|covering)\s+(.{4,80}?)"
                             r"(?=[.?!,;]|$)", re.I),
                  re.compile(r"\b(?:on|about)\s+(.{4,60}?)\s+for\s+(?:a|an|my|our|the)\s+(?:session|twilight|inset|training)\b",
                             re.I))


def _asked_for(message: str) -> dict[str, str]:
    """The particulars a scenario request names ("a Year 5 girl with dyslexia who refuses to read aloud, for a
    session on reasonable adjustments"): year group, need, setting, what the pupil does and the session's topic."""
    out: dict[str, str] = {}
    if m := _YEAR.search(message):
        out["year"] = f"Year {m.group(1)}" if m.group(1) else m.group(2).capitalize()
    needs = [n for n in named(message, "needs") if n not in ("an EHC plan", "SEN support", "SEND")]
    if needs:
        out["need"] = " and ".join(needs[:2])
    if m := _SETTING.search(message):
        out["in_setting"] = in_setting(m.group(1).lower())
    if m := _WHO_DOES.search(message):
        out["event"] = m.group(1).strip()
    if m := next((m for rx in _SESSION_TOPIC if (m := rx.search(message))), None):
        out["topic"] = m.group(1).strip()
    return out


def _asked_number(pattern: re.Pattern[str], message: str, default: int, most: int) -> int:
    """How many of something the consultant asked for ("four discussion prompts", "three slides"), within reason."""
    if m := pattern.search(message):
        word = m.group(1).lower()
        return min(most, int(word) if word.isdigit() else _COUNT_WORDS[word]) or default
    return default


def asked_count(message: str) -> int:
    """How many questions the consultant asked for."""
    return _asked_number(_COUNT, message, DEFAULT_QUESTIONS, MOST_QUESTIONS)


def _framing(ctx: ReplyContext) -> str:
    """The consultant's first words: where they said what the session is for. In live or practice mode the first
    words tell a case, and a session asked for mid-case is about that case (`case_topic`)."""
    if ctx.session.mode != "prep":
        return case_topic(ctx.session.case) or ""
    return next((t.text for t in ctx.session.turns if t.role == "user"), "")


# "A twilight on this", "slides about it": the topic is the case itself.
_DEICTIC = re.compile(r"^(?:this|that|it|what happened|the incident|this incident|this case|the case)\b", re.I)


def case_topic(case) -> str | None:
    """A session's topic drawn from the case told ("autism and an incident in the dining hall"), never its pupil."""
    need = case.needs[0] if case.needs else None
    setting = in_setting(case.setting) if case.setting else None
    if not need and not setting:
        return None
    return " and ".join(p for p in (need, f"an incident {setting}" if setting else "an incident like this one") if p)


def session_topic(ctx: ReplyContext) -> str:
    """What the session is about: the topic the consultant named (else their first words), and their latest."""
    framing = _framing(ctx)
    return f"{topic_of(framing) or framing}\n{topic_of(ctx.message) or ctx.message}"


def _topical_questions(ctx: ReplyContext, said: str, count: int) -> list[str]:
    """Questions for the team from the reflective questions of the cards the session's topic reaches
    ("AI-generated images" reaches child-on-child abuse, not sanctions), one per card, cited."""
    if ctx.search is None:
        return []
    asked = ctx.session.said
    lines: list[str] = []
    used: set[str] = set()
    for hit in ctx.search(said[-TOPIC_CHARS:], k=8):
        if hit.kind == "case" or hit.card_id in used:
            continue
        fresh = [q for q in card_questions().get(hit.card_id, ()) if as_team_question(q) not in asked]
        if fresh:
            lines.append(f"- {as_team_question(fresh[0])} [`{hit.card_id}`]")
            used.add(hit.card_id)
        if len(lines) == count:
            break
    return lines


def topic_of(text: str) -> str | None:
    """What the consultant said the session (or the slides) is about, in their words ("this" names none)."""
    found = [m.group(1).strip() for m in _TOPIC.finditer(text) if not _DEICTIC.match(m.group(1).strip())]
    return max(found, key=len) if found else None


def _topic_sections(ctx: ReplyContext, topic: str, count: int) -> list[tuple[str, str, str]]:
    """(card id, title, heading) of the guidance sections the topic reaches, one per card, case studies aside."""
    if ctx.search is None:
        return []
    out, used = [], set()
    if ctx.session.mode != "prep":  # a session on the case told: searched with what happened, not only its label
        topic = f"{topic}. {' '.join(ctx.session.case.happened[:1])}"
    for hit in ctx.search(topic, k=12):
        if hit.kind == "case" or hit.card_id in used or (hit.card_id, hit.heading) not in section_sentences():
            continue
        out.append((hit.card_id, hit.title, hit.heading))
        used.add(hit.card_id)
        if len(out) == count:
            break
    return out


def _slides(ctx: ReplyContext, req) -> Draft:
    """N slides' worth of points: one guidance section the topic reaches per slide, its first sentences as the
    points, cited; the wording is the guidance's, for the consultant to cut down."""
    count = _asked_number(_SLIDE_COUNT, ctx.message, DEFAULT_SLIDES, MOST_SLIDES)
    topic = topic_of(ctx.message) or topic_of(_framing(ctx)) or (ctx.session.mode != "prep" and _framing(ctx)) or ctx.message
    slides = []
    for n, (card_id, title, heading) in enumerate(_topic_sections(ctx, topic, count), 1):
        points = section_sentences()[(card_id, heading)][:POINTS_PER_SLIDE]
        body = "\n".join(f"- {p}" for p in points)
        name = title if heading == "Overview" else heading.split(" > ")[-1]  # "Overview" says nothing on a slide
        slides.append(f"**Slide {n}: {name}**\n{body}\n[`{card_id}`, {heading}]")
    if not slides:
        return Draft(text=req.slides_none, lens=ctx.state.current, kind="plan")
    lead = req.slides_lead.format(count=_NUMBER_WORDS.get(len(slides), len(slides)), topic=topic)
    return Draft(text="\n\n".join([lead, *slides, req.slides_close]), lens=ctx.state.current, kind="plan")


def session_minutes(said: str) -> int:
    if m := _MINUTES.search(said):
        return int(m.group(1))
    return next((mins for pattern, mins in _HOURS.items() if re.search(pattern, said, re.I)), DEFAULT_MINUTES)


def compose_request(ctx: ReplyContext, phrases, pick: Callable, said: str) -> Draft:
    """`pick(ctx, lens, count)` is the composer's question picker (passed in: no import cycle)."""
    req = phrases.data.prep_requests
    kind = ctx.understanding.request
    case = ctx.session.case
    if kind == "slides":
        return _slides(ctx, req)
    if kind == "scenario":
        # After an escalation the consultant's words may hold a real child's disclosure: never a vignette.
        brief = "" if ctx.session.escalated else _brief(ctx.message)
        if brief:  # the consultant framed the scenario: it is built on their brief, with questions on its topic
            topical = _topical_questions(ctx, f"{_framing(ctx)}\n{brief}", TOPICAL)
            questions = topical + [f"- {q}" for q in req.scenario_questions][:3 - len(topical)]
            if len(brief.split()) < SCENARIO_WORDS:  # enough for a table to get its teeth into
                who = pronouns(brief)
                twist = split_sentences(req.scenario_twist.format(he=who["he"], him=who["him"]).replace("they is", "they are"))
                if _REPEATED.search(brief):  # the brief already says how often: the twist does not say it again
                    twist = twist[1:]
                brief += " " + " ".join(twist)
            parts = [req.scenario_lead, f"> {brief}", req.scenario_close, "\n".join(questions)]
            return Draft(text="\n\n".join(parts), lens=ctx.state.current, kind="plan")
        have = {**slots(case, said), **_asked_for(ctx.message)}  # what this request names comes first
        who = pronouns(ctx.message) if pronouns(ctx.message)["he"] != "they" else pronouns(said)
        text = req.scenario.format(
            year=have.get("year", "Year 9"), pupil_word=who["pupil_word"], need=have.get("need", "SEN support"),
            event=have.get("event", DEFAULT_EVENT), in_setting=have.get("in_setting", "at lunchtime"), him=who["him"],
            he=who["he"], response=DEFAULT_RESPONSE.replace("them", who["him"]))
        if who["he"] == "they":
            text = text.replace("they is", "they are")
        topic = have.get("topic")
        asked = " ".join(have.get(k, "") for k in ("need", "event", "in_setting"))  # the brief, not the template
        topical = _topical_questions(ctx, f"{topic}\n{asked}", TOPICAL) if topic else []
        questions = topical + [f"- {q}" for q in req.scenario_questions][:3 - len(topical)]
        lead = req.scenario_lead.rstrip(":") + f", for the session on {topic}:" if topic else req.scenario_lead
        parts = [lead, f"> {text}", req.scenario_close, "\n".join(questions)]
        return Draft(text="\n\n".join(parts), lens=ctx.state.current, kind="plan")
    wanted = asked_count(ctx.message) if kind == "questions" else DEFAULT_QUESTIONS
    questions = []
    for lens in FOCUS_LENSES:  # one question per lens, the case's own first
        questions += pick(ctx, lens, 1)
        if len(questions) == wanted:
            break
    # As many as asked: a question built from the school's own figures first, when given; then the reflective
    # questions of the cards the session's topic reaches; then the bank's.
    own = questions[:1] if case.pattern else []
    topical = _topical_questions(ctx, session_topic(ctx), min(TOPICAL + wanted - DEFAULT_QUESTIONS, wanted - len(own)))
    bank = questions[len(own):][:wanted - len(own) - len(topical)]
    questions = own + bank
    listed = "\n".join([f"- {q.text}" for q in own] + topical + [f"- {q.text}" for q in bank])
    if kind == "questions":
        lead = req.questions_lead.format(count=_NUMBER_WORDS.get(len(own) + len(topical) + len(bank), "these"))
        return Draft(text=f"{lead}\n\n{listed}", lens=ctx.state.current, kind="plan",
                     questions=questions)
    minutes = session_minutes(said)
    topic = topic_of(_framing(ctx)) or topic_of(ctx.message) or (ctx.session.mode != "prep" and _framing(ctx)) or None
    if case.pattern:
        focus = f"“{figure(case).rstrip('.')}”"
    elif topic:  # a training session on a topic: its key points, from the guidance the topic reaches
        sections = _topic_sections(ctx, topic, 3)
        focus = req.topic_focus.format(topic=topic, cards=", ".join(f"*{t}* [`{c}`]" for c, t, _ in sections)) \
            if sections else f"what the guidance says on {topic}"
    else:
        focus = "what the data and the policy show"
    steps, start = [], 0
    plan = list(req.outline_steps)
    while len(plan) > 2 and len(plan) * 5 > minutes:  # a short slot loses the practice first, so it ends on time
        del plan[-2]
    for number, step in enumerate(plan, 1):
        length = max(5, round(minutes * step.share / 5) * 5)
        if number == len(plan):
            length = max(5, minutes - start)  # the close takes what is left, so the outline ends on time
        steps.append(f"{len(steps) + 1}. **{start}–{start + length} min**: {step.text.format(focus=focus)}")
        start += length
    parts = [req.outline_lead, "\n".join(steps), listed]
    return Draft(text="\n\n".join(p for p in parts if p), lens=ctx.state.current, kind="plan", questions=questions)
