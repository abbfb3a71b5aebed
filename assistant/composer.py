"""The offline responder: a reply built from what the message is (its
understanding), what the case record holds, the card sentences that answer it
and the question bank. No model.

A reply answers first when asked something, then asks at most two questions
for the lens that matters now, never for what the record already holds, and
never repeats a sentence it has said before in the conversation (fixed safety
texts aside). Choices among equal wordings rotate by turn, seeded by session.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re

from assistant import corrections, write_up_request, write_ups
from assistant.answers import Answer
from assistant.asking import asks_meaning, compared
from assistant.case_questions import case_questions, in_setting, pronouns
from assistant.cue_match import hits as cue_hits
from assistant.case_record import DECISION_LABEL, already_held, record_gaps
from assistant.case_record import no_send as no_send_known
from assistant.cued_replies import asks_about_needs, asks_about_repair, asks_about_the_room, cued_block
from assistant.phrasing import Phrases
from assistant.prep_plan import compose_plan
from assistant.prep_requests import compose_request
from assistant.replies import Draft, ReplyContext, named_terms
from assistant.roles import writer_role
from assistant.practice_stages import FELT
from assistant.salience import details
from knowledge.glossary import term_named
from knowledge.text import BULLET, split_sentences
from knowledge.models import Hit
from prompts.bank import AFTER_DECISION, Question, load_bank, load_phrases, normalise, stem_in
from prompts.cues import load_cues

# Which card lenses ground each conversation lens.
CARD_LENSES = {
    "needs": {"needs", "behaviour"}, "send": {"send"}, "equality": {"equality"},
    "safeguarding": {"safeguarding"}, "proportionality": {"proportionality"}, "voice": {"voice"},
    "staff": {"staff"}, "record": {"record", "governance"}, "context": {"behaviour", "needs", "governance"},
    "scope": {"governance", "record"},
}
QUESTIONS_PER_TURN = 2
# A grounding sentence must be at least this close to what it grounds (set on the training conversations):
# new facts, searched over every card; the questions just asked, searched only within their lens's cards.
GROUNDED = 0.38
GROUNDED_QUESTIONS = 0.3
# Only the fixed signposting may recur word for word (a lens intro that names the DSL may not).
FIXED_SAFETY = re.compile(r"999|116 123|08000 562 561|Samaritans|NHS 111|LADO", re.I)
CARD_QUOTE = re.compile(r"\[`[a-z0-9\-]+`, [^\]]+\]")
WELLBEING_CARD = "leader-and-staff-wellbeing"
RECORD_CARD = "recording-defensible-reasons"
_CHILD_WORD = {"boy": "son", "girl": "daughter"}
ROLE_GROUPS = {"parent": ("dad", "mum", "mother", "father", "parent", "carer", "grand"),
               "leader": ("head", "deputy", "governor", "senco"),
               "pupil": ("pupil", "student", "child")}


# The leader stepping out of a role-play: anything else said in the scene is answered in character.
_LEAVE_ROLE = re.compile(r"\bstop\b|\bstep (?:out|back)\b|\bpause\b|\bout of (?:role|character)\b|\bthat'?s enough\b|"
                         r"\bend (?:the|this) (?:role|scene)|\bhow did i do\b|\bfeedback\b|\bwhat did i do\b|"
                         r"\bback to (?:the|my|our)\b|\bthanks?,? (?:that|you)\b|\bok(?:ay)? (?:let'?s|so)\b", re.I)
_ABOUT_SESSION = re.compile(r"\b(?:session|twilight|inset|training|handout|slides?|timings?|delegates|the group|"
                            r"the room|facilitat|the plan)\b", re.I)
_DEBRIEF = re.compile(r"\bhow did i do\b|\bfeedback\b|\bwhat did i do\b", re.I)
# "What should I weigh?", "what am I missing?": the case's open points are the answer.
_WEIGHING = re.compile(r"\bweigh|\bconsider\b|\bmiss(?:ing|ed)\b|\bfactors?\b|\bbalanc|\bthink about\b", re.I)
# "...and which fits here?": the choice asked of the assistant after a comparison stays with the leader.
_WHICH = re.compile(r"\bwhich (?:one |option )?(?:fits|is (?:right|better|best|more)|should|would|do (?:i|we|you))\b|"
                    r"\bwhat would you (?:do|go for|choose)\b", re.I)
# Where the cards say what a suspension or exclusion notice must tell the family.
NOTICE_SECTION = ("suspension-exclusion-legal-framework", "Notifications and education during the exclusion")
# "It's recorded", "logged on CPOMS", "the incident form's done": the record the force check asks about exists.
_ALREADY_RECORDED = re.compile(r"(?<!not )(?<!hasn't been )(?<!isn't )\b(?:(?:it'?s|it is|it was|it has been|it's been|"
                               r"all|been|already|both) (?:recorded|logged|written up|reported)|logged (?:it|on|in)|"
                               r"recorded (?:it|on|in)|on cpoms|incident form(?:'s| is| has been)? (?:done|in|completed)|"
                               r"bound book)\b", re.I)
# A pupil hurting an adult: "bit a TA", "kicked the teacher", "the TA has a bruise".
_ADULT = r"(?:ta|teacher|teaching assistant|hlta|lsa|member of staff|colleague|staff member|adult|midday|supervisor|cover)"
_ADULT_HURT = re.compile(rf"\b(?:bit|bitten|kicked|hit|punched|scratched|slapped|injured|hurt|headbutted|assaulted|pushed)"
                         rf" (?:a |the |my |our |his |her )?(?:\w+ )?{_ADULT}s?\b|\b(?:the |a |my |our )?{_ADULT} "
                         rf"(?:has|had|got|was left with) (?:a |an )?(?:bruise|bite|cut|injury|black eye|scratch)", re.I)
# A question about the pupil's disability, needs or adjustments: none to ask of a pupil the leader says has no SEND.
_DISABILITY_QUESTION = re.compile(r"\bdisab|\bSEND?\b|\bEHC|adjustments?\b|\bcondition\b|\bdiagnos|\bthe pupil's needs\b|"
                                  r"\bsimilar needs\b|\baids the pupil\b|\bSENCO\b", re.I)
_STAFF_CONTEXT = re.compile(r"\b(?:teacher|colleague|staff|TA|LSA|head of|deputy|SENCO|policy|restorative|meeting)\b", re.I)
_PARENT_CONTEXT = re.compile(r"\b(?:mum|dad|mother|father|parent|carer)\b", re.I)


def _named_group(message: str) -> str:
    """Whose lines a part named only by a first name speaks: a parent's or a colleague's where the message
    says so, otherwise a pupil's (the person most often practised for)."""
    if _PARENT_CONTEXT.search(message):
        return "parent"
    return "staff" if _STAFF_CONTEXT.search(message) else "pupil"


def seeded(*parts: str) -> int:
    return int(hashlib.sha256("|".join(parts).encode()).hexdigest()[:12], 16)


def leader_words(session, message: str) -> str:
    said = [t.text for t in session.turns if t.role == "user" and (t.verdict is None or t.verdict.action == "allow")]
    return "\n".join([*said, message])


# What a decision rules out ("no suspension", "rather than a removal"): not what it does.
_UNDONE = re.compile(r"\b(?:no|not|without|instead of|rather than|avoid(?:ing)?|won't|will not)\s+(?:an? |the |any )?"
                     r"(?:[\w-]+\s+){0,2}?(?:suspen|exclu|sent home|send (?:him|her|them) home|isolat|remov)\w*", re.I)


def pick_questions(ctx: ReplyContext, lens: str, count: int = QUESTIONS_PER_TURN) -> list[Question]:
    """One question built from this case first, when the record holds what it needs; then the bank's
    own pick (what the leader said makes questions relevant; asked ones never return), minus any
    question about something the case record already holds."""
    said = leader_words(ctx.session, ctx.message)
    own = case_questions(ctx.session.case, ctx.session.mode, lens, said, ctx.state.asked,
                         load_phrases().case_questions)[:1]
    candidates = load_bank().pick(ctx.session.mode, lens, said=said, asked=ctx.state.asked, limit=12)
    if lens in AFTER_DECISION:  # "what work is set while the pupil is out" only if the decision sends them out
        decided = normalise(_UNDONE.sub(" ", ctx.session.decision or ""))
        candidates = [q for q in candidates if not q.when or any(stem_in(w, decided) for w in q.when)]
    no_send = no_send_known(ctx.session.case)  # a pupil with no SEND is not asked about their disability
    bank = [q for q in candidates if not already_held(ctx.session.case, q.text) and not any(
        _overlap(q.text, o.text) > 0.5 for o in own) and not (no_send and _DISABILITY_QUESTION.search(q.text))]
    return [*own, *bank][:count]


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z']{4,}", text.lower())) - {"what", "that", "this", "with", "have", "your", "about"}


def _overlap(a: str, b: str) -> float:
    """Share of the shorter question's words the other one uses too."""
    wa, wb = set(re.findall(r"[a-z']{4,}", a.lower())), set(re.findall(r"[a-z']{4,}", b.lower()))
    return len(wa & wb) / (min(len(wa), len(wb)) or 1)


def cite(card_id: str, heading: str) -> str:
    if card_id.startswith("doc:"):
        return f"[your document, {heading}]"
    return f"[`{card_id}`, {heading}]"


def answer_text(answer: Answer, limit: int = 3) -> str:
    """The answer's sentences, each section's run followed by its citation."""
    out, run, current = [], [], None
    for s in answer.sentences[:limit]:
        key = (s.card_id, s.heading)
        if current and key != current:
            out.append(" ".join(run) + " " + cite(*current))
            run = []
        current = key
        run.append(s.text)
    if run:
        out.append(" ".join(run) + " " + cite(*current))
    return " ".join(out)


def case_summary(case) -> str:
    """A few words of the case as heard ("Year 3, ADHD, SEN support, at lunchtime")."""
    from assistant.case_questions import PLAN_WORDS, in_setting

    plan = {"EHCP": "an EHC plan", "SEN support": "SEN support", "none": "no plan yet"}.get(case.plan or "")
    bits = [case.year_group, *[n for n in case.needs if n not in PLAN_WORDS][:2], plan,
            in_setting(case.setting) if case.setting else None, case.sanctions[0] if case.sanctions else None]
    return ", ".join(b for b in bits if b)


GIST_WORDS = 60


def _gist(message: str) -> str:
    """The decision as the record now holds it, without its label; a long one is cut at a sentence and says so."""
    text = " ".join(DECISION_LABEL.sub("", message.strip()).split())
    if len(text.split()) <= GIST_WORDS:
        return text
    kept = []
    for sentence in split_sentences(text):
        if kept and len(" ".join(kept + [sentence]).split()) > GIST_WORDS:
            break
        kept.append(sentence)
    return " ".join(kept) + " … (the whole of it, with your reasons, is in the record)"


def _gaps(ctx: ReplyContext, decision: str) -> list[str]:
    """What the record does not yet show, given whether this session escalated a concern."""
    return record_gaps(ctx.session.case, decision, escalated=ctx.session.escalated)


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]



def _unsettled(ctx: ReplyContext) -> bool:
    """Practice or prep, and the cards do not settle what was asked: the questions carry it on."""
    return ctx.answer is not None and not ctx.answer.covered and ctx.session.mode != "live"

class OfflineComposer:
    def __init__(self, phrases: Phrases | None = None) -> None:
        self.phrases = phrases or Phrases.load()
        self.talk = self.phrases.data.conversation

    # --- choosing words ------------------------------------------------------

    def _rotate(self, ctx: ReplyContext, options, salt: str) -> str:
        """A wording for this turn: rotating by turn, and skipping any already used in this conversation."""
        options = list(options)
        turn = sum(1 for t in ctx.session.turns if t.role == "assistant")
        start = seeded(ctx.session.id, salt) + turn
        earlier = ctx.session.said
        for step in range(len(options)):
            option = options[(start + step) % len(options)]
            if option.split("{")[0] not in earlier:
                return option
        return options[start % len(options)]

    def compose(self, ctx: ReplyContext) -> Draft:
        u = ctx.understanding
        mode = ctx.session.mode
        answerable = u.kind == "law_question" and ctx.answer is not None and ctx.answer.covered
        if mode == "prep" and ctx.first and u.kind not in ("distress", "small_talk", "about_assistant") and not (
                answerable or u.short or u.request or u.roleplay):  # a first question the cards answer is answered
            return self._finish(ctx, compose_plan(ctx, self.phrases, pick_questions))
        last = next((t for t in reversed(ctx.session.turns) if t.role == "assistant"), None)
        draft = self._compose(ctx, u, mode, last)
        if last is not None and last.kind == "escalation":  # the concern was signposted: say where it now sits
            lead = self.talk.after_handover if ctx.handed_on else self.talk.after_escalation
            draft.text = f"{lead}\n\n{draft.text}"
        return self._finish(ctx, draft)

    def _compose(self, ctx: ReplyContext, u, mode: str, last) -> Draft:
        # A trainer asking about the session itself ("how long should the role-play run in the twilight?") has
        # stepped out of the part, as has anyone asking for a document.
        in_scene = last is not None and last.kind == "roleplay" and not u.request and u.kind != "draft_request" and not (
            mode == "prep" and _ABOUT_SESSION.search(ctx.message))
        if u.kind == "distress" and len(ctx.new_facts) >= 2 and ctx.session.mode != "practice":
            draft = self._listen(ctx)  # strain told with an incident: met first, then the case goes on
        elif u.kind == "distress":
            draft = self._distress(ctx)
        elif u.kind == "decision":
            draft = self._decision(ctx)
        elif u.roleplay:
            draft = self._roleplay(ctx, start=True)
        elif mode == "prep" and asks_about_the_room(ctx.message) and u.request != "slides":
            block, cards = cued_block(ctx.message, self.phrases.data.facilitation,
                                      context=leader_words(ctx.session, ""))
            draft = Draft(text=block, lens=ctx.state.current, citations=self._citations(ctx, cards), kind="plan")
        elif u.request and (mode == "prep" or u.request in ("outline", "slides", "scenario")):
            # A session plan, slides or a vignette asked for mid-case ("a 20-minute twilight for my TAs on this")
            # is produced in any mode, not answered with a summary of the case.
            draft = compose_request(ctx, self.phrases, pick_questions, leader_words(ctx.session, ctx.message))
        elif in_scene and not _LEAVE_ROLE.search(ctx.message):  # a question in the scene is in character
            draft = self._roleplay(ctx, start=False)
        elif in_scene and (not u.asks or _DEBRIEF.search(ctx.message)):  # stepped out: look back on it
            draft = Draft(text=self._rotate(ctx, self.talk.roleplay_debrief, "debrief") + "\n" + "\n".join(
                f"- {q}" for q in self.talk.roleplay_debrief_questions), lens=ctx.state.current)
        elif u.kind == "small_talk":
            draft = Draft(text=self._rotate(ctx, self.talk.small_talk, "small"), lens=None)
        elif u.kind == "about_assistant":
            draft = self._about(ctx)
        elif u.wants_options:
            draft = self._options(ctx)
        elif u.kind == "draft_request":
            draft = self._draft(ctx)
        elif u.asks:
            draft = self._answer(ctx)
        else:
            draft = self._listen(ctx)
        return draft

    # --- pieces --------------------------------------------------------------

    def _answer_part(self, ctx: ReplyContext, limit: int = 3) -> tuple[list[str], list[str]]:
        """(paragraphs, cited card ids) answering what the message asks: from the school's own
        document first when the message asks about it, then from the cards."""
        if asks_about_needs(ctx.message):  # "what did he need?": hypotheses to test, not "the cards don't settle it"
            block, cards = cued_block(leader_words(ctx.session, ctx.message), self.phrases.data.hypotheses)
            return [block], cards
        if asks_about_repair(ctx.message):  # "should I apologise?": what repair can look like, not "not covered"
            block, cards = cued_block(ctx.message, self.phrases.data.repair, context=leader_words(ctx.session, ""))
            return [block], cards
        terms = self._terms_asked(ctx.message)
        if terms:  # "what does FTE stand for?": the term first, then the cards' best sentence on it
            lines = [self._glossary_line(term) for term in terms]
            said = " ".join(lines)
            more = [s for s in (ctx.answer.sentences if ctx.answer and ctx.answer.covered else [])
                    if _overlap(s.text, said) < 0.5][:1]  # a card sentence that adds to the definition, cited
            if more:
                lines.append(answer_text(ctx.answer.model_copy(update={"sentences": more}), 1))
            if len(terms) > 1 and _WHICH.search(ctx.message):
                lines.append(self.talk.which_fits)
            return lines, [more[0].card_id] if more else []
        own = _own_document(ctx)
        if own is not None:
            cards, cited = self._answer_part(ctx.model_copy(update={"hits": []}), max(1, limit - 1))
            quote = (f"Your document *{own.title}* ({own.location or own.heading}) says:\n"
                     f"> {own.answer}\n[your document, {own.title}, {own.location or own.heading}]")
            return [quote, *cards], [own.card_id, *cited]
        answer = ctx.answer
        if re.search(r"\bcase stud", ctx.message, re.I) and ctx.search is not None:
            cases = [h for h in ctx.search(f"case study {ctx.message[:400]}", k=12) if h.kind == "case"][:3]
            if cases:
                lines = "\n".join(f"- *{h.title}* [`{h.card_id}`, {h.heading}]" for h in cases)
                return [f"{self.talk.case_studies}\n{lines}"], [h.card_id for h in cases]
        if answer is None or not answer.sentences:
            return [self._rotate(ctx, self.talk.nothing_found, "none")], []
        elsewhere = self._elsewhere(ctx)
        quoted = normalise(" ".join(s.text for s in answer.sentences[:limit]))
        if ctx.understanding.asks and elsewhere and not any(stem_in(w, quoted) for w in elsewhere[1]):
            # The question turns on sick pay or a taxi and the answer never mentions it: a neighbouring
            # topic, however close it scores.
            return [self._not_covered(ctx, elsewhere)], []
        if not answer.covered:  # said plainly: a nearby quote reads as an answer when it is not one
            if _unsettled(ctx) and ctx.understanding.kind != "law_question":
                # practice or prep: a question the cards do not settle is thought through here, not sent away
                return [self._rotate(ctx, self.talk.not_settled, "ns")], []
            return [self._not_covered(ctx, elsewhere)], []
        text = answer_text(answer, limit)
        lead = answer.sentences[0].text
        if lead in ctx.session.said:  # asked again outright: said again, and marked as said before
            text = text.replace(lead, self.talk.again.format(sentence=lead), 1)
        return [text], answer.cited()[:limit]

    @staticmethod
    def _terms_asked(message: str) -> list:
        """The glossary terms a question asks about: the one it asks the meaning of, or both sides of a
        "what's the difference between X and Y?" when the glossary holds each."""
        sides = compared(message)
        if sides:
            terms = [term_named(side) for side in sides]
            return terms if all(terms) and terms[0] is not terms[1] else []
        term = term_named(message) if asks_meaning(message) else None
        return [term] if term else []

    def _glossary_line(self, term) -> str:
        alone = term.term.lower() == term.expansion.lower()  # a term, not an abbreviation: it heads the line
        return (self.talk.glossary_term if alone else self.talk.glossary_abbreviation).format(
            term=term.term, expansion=term.expansion[:1].upper() + term.expansion[1:] if alone else term.expansion,
            definition=re.sub(r"^(?:The|A|An) ", lambda m: m.group(0).lower(), term.definition))

    def _elsewhere(self, ctx: ReplyContext) -> tuple[str, list[str]] | None:
        """Where the question belongs, and the words that show it (sick pay, a taxi, a SAR), if any do."""
        asked = " ".join(s for s in split_sentences(ctx.message) if s.rstrip().endswith("?"))
        asked = normalise(asked if len(asked.split()) >= 8 else ctx.message)  # "Does she?" leans on what came before
        for entry in self.talk.elsewhere:
            words = [w for w in entry.stems if stem_in(w, asked)]
            if words:
                return entry.where, words
        return None

    def _not_covered(self, ctx: ReplyContext, where: tuple[str, list[str]] | None) -> str:
        """Said plainly, with the place that does answer it where the question shows which (`where`, from
        `_elsewhere`: the DPO for a records request, HR or the union for pay), rather than a general "check
        with your LA"."""
        if where:
            return self.talk.not_covered_at.format(where=where[0])
        return self._rotate(ctx, self.talk.not_covered, "nc")

    def _questions_part(self, ctx: ReplyContext, lens: str | None, count: int) -> tuple[list[str], list[Question]]:
        if lens is None or count <= 0:
            return [], []
        questions = pick_questions(ctx, lens, count)
        if not questions:
            return [], []
        mode = ctx.session.mode
        name = self.phrases.lens_name(mode, lens)
        parts = []
        if lens != ctx.state.current:  # the topic really changes: say so, once
            if mode == "practice":
                parts.append(self.phrases.data.stage(lens).intro)
            else:
                intro = self.phrases.data.lens_intros[lens]
                parts.append(self._rotate(ctx, self.talk.lens_change, "change").format(lens=name) + " " + intro.why)
            lead = ""
        elif mode == "prep":  # in prep the questions are for the group in the session being planned
            lead = self._rotate(ctx, self.talk.prep_question_leads, "lead").format(lens=name) + "\n"
        else:
            lead = self._rotate(ctx, self.talk.question_leads, "lead").format(lens=name) + "\n"
        parts.append(lead + "\n".join(f"- {q.text}" for q in questions))
        return parts, questions

    def _support_part(self, ctx: ReplyContext, questions: list[Question] = ()) -> tuple[list[str], list[str]]:
        """One cited sentence that grounds the questions just asked (or the lens in hand)."""
        support, bar = ctx.support, GROUNDED
        if questions and ctx.ground is not None:
            cards = {c for q in questions for c in q.cards} or None
            support, bar = ctx.ground(" ".join(q.text for q in questions), cards), GROUNDED_QUESTIONS
        if support is None or not support.sentences or support.best < bar:
            return [], []  # a quote beside the point costs the leader's trust more than no quote
        lead = self._rotate(ctx, self.phrases.data.grounding_leads, "ground")
        if ctx.session.mode == "practice" and re.search(r"legal|dut|law", lead, re.I):
            lead = "Worth keeping in mind:"
        return [f"{lead} {answer_text(support, 1)}"], support.cited()[:1]

    def _facts_line(self, ctx: ReplyContext) -> str:
        heard = self._details_line(ctx)  # the particulars say more than the record's labels ("what set it off")
        if heard:
            return heard
        if ctx.new_facts:
            return self._rotate(ctx, self.talk.facts, "facts").format(facts=_join(ctx.new_facts[:3]))
        return self._rotate(ctx, self.talk.thanks, "thanks")

    def _feelings_line(self, ctx: ReplyContext) -> str | None:
        """How it felt, said in the message, is met before anything else: in practice as part of the
        reflection; for a leader deciding, briefly, with their own support named once in the conversation."""
        if not FELT.search(ctx.message) and ctx.understanding.kind != "distress":
            return None
        if ctx.session.mode == "practice":
            return self._rotate(ctx, self.talk.feelings_ack, "felt")
        offered = any(line in ctx.session.said for line in self.talk.feelings_ack_leader)
        return self.talk.feelings_ack_leader_again if offered else self._rotate(ctx, self.talk.feelings_ack_leader, "felt")

    def _details_line(self, ctx: ReplyContext) -> str | None:
        """The particulars just heard, taken up in a sentence of the reply's own ("the walker and the doorway")."""
        found = details(ctx.message)
        if not found:
            return None
        text = _join(found)
        line = self._rotate(ctx, self.talk.details, "details")
        return line.format(details=text, Details=text[:1].upper() + text[1:])

    def _force_check(self, ctx: ReplyContext) -> str | None:
        """Force or an injury mentioned: has it been recorded and passed on (practice), recorded and the parents
        told (live: both are duties for significant incidents since April 2026)? Asked once a conversation."""
        mode = ctx.session.mode
        if not ctx.understanding.force or mode == "prep":
            return None
        if _ALREADY_RECORDED.search(leader_words(ctx.session, ctx.message)):
            return None  # they have said it is written up: asking again reads as not listening
        if mode == "practice":
            options = self.talk.force_check
        elif ctx.understanding.staff_force:  # live: force by staff has its duties since April 2026
            options = self.talk.force_check_live
        else:  # an adult hurt by a pupil, or an injury between pupils: each its own record
            options = self.talk.staff_injury_check_live if _ADULT_HURT.search(ctx.message) else self.talk.injury_check_live
        earlier = ctx.session.said
        checks = [*self.talk.force_check, *self.talk.force_check_live, *self.talk.injury_check_live,
                  *self.talk.staff_injury_check_live]
        if any(option in earlier for option in checks):
            return None
        return self._rotate(ctx, options, "force")

    def _legal_signal(self, ctx: ReplyContext) -> tuple[str, str] | None:
        """A fact just told that the law speaks to directly ("mum was happy to take him home"): what it says,
        cited, once a conversation (live and practice; prep plans its own risks)."""
        if ctx.session.mode == "prep":
            return None
        earlier = ctx.session.said
        for signal in load_cues().signals:
            if signal.heard_in(ctx.message) and signal.point not in earlier:
                return f"{self.talk.signal_lead} {signal.point} {cite(signal.card, signal.section)}", signal.card
        return None

    def fit_refusal(self, session, message: str, refusal: str, lead: str) -> str:
        """A determination refused to a member of staff, a trainer or a governor keeps its boundary but asks
        about their own part in it, not how they will justify a decision that is not theirs."""
        if write_up_request.read(message, session.mode).sanction_letter:
            return self._document_refused(refusal, lead)
        role = writer_role(leader_words(session, message), session.mode)
        questions = self.talk.refusal_questions.get(role)
        if not questions or lead not in refusal:
            return refusal
        return refusal.split(lead)[0] + lead + "\n\n" + "\n".join(f"- {q}" for q in questions)

    def _document_refused(self, refusal: str, lead: str) -> str:
        """A letter announcing a sanction is not drafted (boundaries.md: it belongs to the school's formal
        process), but what such a letter must contain is said, from the card, with the record offered instead."""
        from assistant.answers import sentence_index

        card, heading = NOTICE_SECTION
        # What the family must be told (the period, the reasons, representations, the first five days), not
        # the notices to others.
        said = [r[0] for r in sentence_index().rows if r[1] == card and r[3] == heading and re.search(
            r"\bparents\b", r[0])]
        contents = f"{' '.join(said)} {cite(card, heading)}" if said else ""
        return "\n\n".join(p for p in (self.talk.sanction_document, contents, self.talk.sanction_document_offer) if p)

    def refused_again(self, session, refusal: str, lead: str) -> str:
        """The same kind of refusal twice running: its boundary sentence, then what this case still leaves open
        (not the same questions word for word, which reads as a wall)."""
        boundary = refusal.split(lead)[0].strip()
        gaps = record_gaps(session.case, session.decision or "", escalated=session.escalated)
        if not gaps:
            return f"{boundary}\n\n{self.talk.refused_again_done}"
        return f"{boundary}\n\n{self.talk.refused_again}\n" + "\n".join(f"- {self.talk.gaps[g]}" for g in gaps[:3])

    # --- reply kinds ---------------------------------------------------------

    def _answer(self, ctx: ReplyContext) -> Draft:
        u = ctx.understanding
        parts, cited = self._answer_part(ctx, limit=2 if u.short else 3)
        gaps = [g for g in _gaps(ctx, ctx.session.decision or "") if self.talk.gaps[g] not in ctx.session.said]
        weighing = (u.kind == "case_question" and ctx.session.mode != "prep" and bool(gaps)
                    and ctx.answer is not None and not ctx.answer.covered and bool(_WEIGHING.search(ctx.message)))
        if weighing:
            # A question about this case that no card answers ("what should I weigh?") is met with what the
            # case as told still leaves open, not with "the cards don't cover that".
            found = details(ctx.message)
            lead = self.talk.weigh_details.format(details=_join(found)) if found else self.talk.weigh
            parts = [lead + "\n" + "\n".join(f"- {self.talk.gaps[g]}" for g in gaps[:3])]
            cited = []
        if u.legal_conclusion:
            parts.insert(0, self.talk.legal_conclusion)
        questions: list[Question] = []
        signal = self._legal_signal(ctx)
        if signal and not u.short:
            parts.append(signal[0])
            cited.append(signal[1])
        force = self._force_check(ctx)
        if force:
            parts.append(force)
        if (not u.short or _unsettled(ctx)) and not weighing:  # the open points are already the questions
            # Hypotheses end on their own question: one more from the lens is enough.
            count = 1 if force or asks_about_needs(ctx.message) or asks_about_repair(ctx.message) else QUESTIONS_PER_TURN
            more, questions = self._questions_part(ctx, ctx.target, count)
            parts += more
        return Draft(text="\n\n".join(parts), lens=ctx.target if questions else ctx.state.current,
                     citations=self._citations(ctx, cited), questions=questions, kind="answer")

    def _listen(self, ctx: ReplyContext) -> Draft:
        mode = ctx.session.mode
        parts: list[str] = []
        if ctx.first:
            needs = named_terms(ctx.message, "needs", 3)
            if "SEN support" in needs or "an EHC plan" in needs:  # "SEN support" says SEND already
                needs = [n for n in needs if n != "SEND"]
            named = needs[:2] + named_terms(ctx.message, "responses", 1)
            # A person alone ("I can see the parents") is not what stands out; beside a need or a response it is.
            named += named_terms(ctx.message, "people", 1) if named else []
            parts.append(self.phrases.opening(mode, named, (ctx.session.id, "0")))
            heard = self._feelings_line(ctx) or (self._details_line(ctx) if mode != "prep" else None)
            if heard:
                parts[-1] += " " + heard
            if mode == "live" and not ctx.session.escalated:  # the signposting already given is not asked again
                parts.append(self.phrases.safety_check((ctx.session.id, "0")))
        elif not ctx.handed_on:  # a hand-on is acknowledged in the lead; its particulars are the DSL's
            line = self._feelings_line(ctx) or self._facts_line(ctx)
            earlier = "\n".join(t.text for t in ctx.session.turns[:-1] if t.role == "user")
            fixed = corrections.pairs(ctx.message, earlier)
            if fixed:  # said back, so the leader can see the record now holds the right facts
                line = self.talk.corrected.format(facts="; ".join(f"{new}, not {old}" for old, new in fixed))
            elif ctx.understanding.kind == "correction":
                line = self._rotate(ctx, self.talk.correction, "correct")
            elif mode == "prep" and "the figures" in ctx.new_facts and ctx.session.case.setting:
                line = self.phrases.data.prep_requests.figure_fold.format(focus=in_setting(ctx.session.case.setting))
            elif mode == "prep":
                line = self._rotate(ctx, self.talk.prep_fold, "fold")
            parts.append(line)
        signal = self._legal_signal(ctx)
        if signal:
            parts.append(signal[0])
        force = self._force_check(ctx)
        if force:
            parts.append(force)
        if ctx.target is None:
            parts.append(self.phrases.closing(mode, (ctx.session.id, str(len(ctx.session.turns)))))
            more, questions = [], []
        else:
            more, questions = self._questions_part(ctx, ctx.target, 1 if force else QUESTIONS_PER_TURN)
        parts += more
        # New facts are grounded in what they raise; an answer, in the questions that follow it.
        if signal:  # the law's point is the grounding this turn: a second quote would say it again
            cited = [signal[1]]
        elif ctx.understanding.kind == "distress" or ctx.handed_on or (mode == "practice" and FELT.search(ctx.message)):
            cited = []  # feelings were met in words; a guidance quote beside them reads as procedure
        else:
            support, cited = self._support_part(ctx, [] if ctx.understanding.kind != "answer" else questions)
            parts += support
        return Draft(text="\n\n".join(parts), lens=ctx.target, citations=self._citations(ctx, cited),
                     questions=questions)

    def _distress(self, ctx: ReplyContext) -> Draft:
        parts = [self._rotate(ctx, self.talk.distress_ack, "distress")]
        cited = []
        recent = [t.text for t in ctx.session.turns if t.role == "assistant"][-2:]
        if any(self.talk.helpline in text for text in recent):  # just said: now the person, not the leaflet
            parts.append(self._rotate(ctx, self.talk.distress_question, "dq"))
            return Draft(text="\n\n".join(parts), lens=ctx.state.current, kind="support")
        if ctx.support and ctx.support.sentences:
            parts.append(answer_text(ctx.support, 2))
            cited = ctx.support.cited()
        parts.append(self.talk.helpline)
        parts.append(self._rotate(ctx, self.talk.distress_question, "dq"))
        return Draft(text="\n\n".join(parts), lens=ctx.state.current, citations=self._citations(ctx, cited),
                     kind="support")

    def _decision(self, ctx: ReplyContext) -> Draft:
        mode = ctx.session.mode
        parts = [self._rotate(ctx, self.talk.decision_ack[mode], "decided")]
        gist = _gist(ctx.message)
        if gist:  # said back once, so the leader can see what went into the record
            parts[0] += " " + self.talk.decision_as_heard[mode].format(gist=gist)
        cited: list[str] = []
        if mode == "practice":
            parts.append(self._rotate(ctx, self.talk.target_next, "target"))
        elif mode == "prep":
            parts.append(self._rotate(ctx, self.talk.prep_next, "prepnext"))
        else:
            gaps = _gaps(ctx, ctx.session.decision or ctx.message)
            earlier = ctx.session.said
            fresh = [g for g in gaps if self.talk.gaps[g] not in earlier]  # never the same list twice
            if fresh:
                parts.append(self._rotate(ctx, self.talk.panel_check, "panel") + "\n"
                             + "\n".join(f"- {self.talk.gaps[g]}" for g in fresh[:3]))
            elif gaps:
                parts.append(self.talk.gaps_still_open)
            else:
                parts.append(self._rotate(ctx, self.talk.record_complete, "complete"))
            if ctx.support and ctx.support.sentences:
                parts.append(answer_text(ctx.support, 1))
                cited = ctx.support.cited()[:1]
        return Draft(text="\n\n".join(parts), lens=ctx.state.current, citations=self._citations(ctx, cited),
                     kind="decision")

    def _options(self, ctx: ReplyContext) -> Draft:
        mode = ctx.session.mode
        case = ctx.session.case
        lines = []
        for option in self.talk.options[mode]:
            if option.when == "ehcp" and case.plan != "EHCP":
                continue
            if option.when == "sanction" and not case.sanctions:
                continue
            name = option.name.format(sanction=case.sanctions[0] if case.sanctions else "the sanction")
            tags = ", ".join(f"`{c}`" for c in option.cards)
            lines.append(f"- **{name}**: needs {option.needs} [{tags}].")
        lead = self.talk.options_lead[mode]
        heard = details(ctx.message)
        known = "; ".join(filter(None, [case_summary(case), _join(heard) if heard else ""]))
        if known:
            lead = f"With what you've told me ({known}) in mind: {lead[:1].lower()}{lead[1:]}"
        parts = [lead, "\n".join(lines), self._rotate(ctx, self.talk.options_close[mode], "close")]
        questions: list[Question] = []
        if mode == "live":  # the case's own question where there is one
            questions = pick_questions(ctx, "proportionality", 1)
            parts.append(questions[0].text if questions else self._rotate(ctx, self.talk.options_question, "oq"))
        cards = [c for o in self.talk.options[mode] for c in o.cards if f"`{c}`" in parts[1]]
        return Draft(text="\n\n".join(parts), lens=ctx.state.current, citations=self._citations(ctx, cards),
                     questions=questions, kind="answer")

    def _roleplay(self, ctx: ReplyContext, start: bool) -> Draft:
        role = ctx.understanding.roleplay if start else _last_role(ctx)
        role = role or "the parent"
        named = role[:1].isupper()  # "Callum": a person the leader named, not a role
        the_role = role if named or role.startswith(("the ", "a ")) else f"the {role}"
        group = _named_group(ctx.message) if named else next(
            (g for g, words in ROLE_GROUPS.items() if any(w in role for w in words)), "staff")
        lines = self.talk.roleplay_lines[group]
        said = sum(1 for t in ctx.session.turns if t.role == "assistant" and t.kind == "roleplay")
        if not start and said >= len(lines):
            parts = [self.talk.roleplay_end[0]]
            more, questions = self._questions_part(ctx, ctx.target, 1)
            return Draft(text="\n\n".join(parts + more), lens=ctx.target, questions=questions)
        parts = [self._rotate(ctx, self.talk.roleplay_start, "role").format(role=the_role)] if start else []
        words = pronouns(leader_words(ctx.session, ctx.message))
        fields = {**words, "He": words["he"].capitalize(), "role": the_role,
                  "child": _CHILD_WORD.get(words["pupil_word"], "child")}
        earlier = ctx.session.said
        fresh = [line for line in lines if line.text.format(**fields) not in earlier] or list(lines)
        # The part answers what was just said to it: the unused line whose cues the message uses most, then the
        # one sharing most words with it; the setting-up message of the scene is not "said to it".
        heard = normalise(ctx.message) if not start else ""
        line = max(fresh, key=lambda ln: (cue_hits(ln, heard), len(_words(heard) & _words(ln.text)), -fresh.index(ln)))
        parts.append(line.text.format(**fields))
        return Draft(text="\n\n".join(parts), lens=ctx.state.current, kind="roleplay", echoes=[role])

    def _about(self, ctx: ReplyContext) -> Draft:
        parts = [self.talk.about[0]]
        more, questions = self._questions_part(ctx, ctx.target, 1)
        return Draft(text="\n\n".join(parts + more), lens=ctx.target, questions=questions)

    def _draft(self, ctx: ReplyContext) -> Draft:
        """The document asked for, drafted from the leader's own words (write_ups); with no document named, what
        has been heard so far (the case record)."""
        session, mode = ctx.session, ctx.session.mode
        allowed = [t for t in session.turns if t.role == "user" and t.verdict and t.verdict.action == "allow"]
        leader = [t.text for t in allowed if not (t.understanding and t.understanding.kind == "draft_request")]
        said = [t.text for t in allowed if t.text != ctx.message] + [ctx.message]
        document = write_ups.draft(session, ctx.message, leader, said, ctx.state.order if mode == "practice" else None,
                                   self.phrases.data.stage, writer_role(leader_words(session, ctx.message), mode),
                                   dt.date.today())
        if document is not None:  # cited: what such a document needs, and the guidance the request itself reaches
            reached = next((h.card_id for h in ctx.hits if h.kind != "case" and not h.card_id.startswith("doc:")), None)
            return Draft(text=document.text, lens=ctx.state.current, kind="document", echoes=document.own_words,
                         citations=self._citations(ctx, [document.card, *([reached] if reached else [])]))
        case = session.case
        lines = [f"- **{label}**: {text}" for label, text in case.lines()]
        parts = [self._rotate(ctx, self.talk.draft, "draft"), "\n".join(lines) or "- Nothing yet."]
        gaps = _gaps(ctx, session.decision or "") if mode == "live" else []
        if gaps:
            parts.append(self._rotate(ctx, self.talk.panel_check, "panel") + "\n"
                         + "\n".join(f"- {self.talk.gaps[g]}" for g in gaps[:2]))
        return Draft(text="\n\n".join(parts), lens=ctx.state.current, kind="document",
                     echoes=[text for _, text in case.lines()])

    # --- finishing -----------------------------------------------------------

    def _citations(self, ctx: ReplyContext, card_ids: list[str]):
        from assistant.replies import citation_for

        out = []
        for card_id in dict.fromkeys(card_ids):
            hit = next((h for h in ctx.hits if h.card_id == card_id), None)
            if hit is None and ctx.lookup:
                hit = ctx.lookup(card_id, ctx.query or ctx.message)
            if hit is None and ctx.answer:
                hit = _hit_from(ctx.answer, card_id)
            if hit is None and ctx.support:
                hit = _hit_from(ctx.support, card_id)
            if hit is not None:
                out.append(citation_for(hit))
        return out

    @staticmethod
    def _finish(ctx: ReplyContext, draft: Draft) -> Draft:
        """Drop any sentence already said earlier in the conversation (safety texts excepted); a document is the
        leader's own words set out, and is shown whole."""
        if draft.kind == "document":
            draft.question_ids = [q.id for q in draft.questions] or draft.question_ids
            return draft
        said = {_key(s) for t in ctx.session.turns if t.role == "assistant" and t.kind not in ("escalation",)
                for s in split_sentences(t.text)}
        paragraphs = []
        for paragraph in draft.text.split("\n\n"):
            lines = []
            for line in paragraph.split("\n"):
                bullet = BULLET.match(line)  # the splitter drops a line's bullet; the reply keeps it
                kept = [s for s in split_sentences(line)  # a citation may recur; a sentence may not
                        if FIXED_SAFETY.search(s) or s.startswith("[`") or len(s.split()) < 8 or _key(s) not in said]
                if kept:
                    lines.append((bullet.group(0) if bullet else "") + " ".join(kept))
            if lines and not (len(lines) == 1 and lines[0].rstrip().endswith(":") and "\n" in paragraph):
                paragraphs.append("\n".join(lines))  # (a lead whose list was all said before goes with it)
        draft.text = "\n\n".join(paragraphs)
        # A cited card sentence is the guidance's wording, not a view on this case: if the output rail reads
        # one as deciding, that line is left out rather than the whole reply refused.
        draft.echoes += [line for line in draft.text.split("\n") if CARD_QUOTE.search(line)]
        draft.question_ids = [q.id for q in draft.questions] or draft.question_ids
        return draft


def _key(sentence: str) -> str:
    return " ".join(re.findall(r"[a-z0-9']+", sentence.lower().lstrip("- ")))


# A question about the school's own papers: "our suspension policy", "in our red card system"
_OWN_DOCUMENT = re.compile(
    r"\b(?:our|my|the\s+school'?s|the\s+academy'?s|the\s+trust'?s)\s+(?:[\w'-]+\s+){0,3}?(?:polic(?:y|ies)|"
    r"documents?|handbook|procedures?|system|code|chart|ladder|rules|guidance|statement|plan)\b", re.IGNORECASE)


def _own_document(ctx: ReplyContext) -> Hit | None:
    """The school's document hit that answers the message, when the message asks about the school's
    own documents: its `answer` (the sentence or row, no heading glued on) and `location` are quoted."""
    if not ctx.understanding.asks or not _OWN_DOCUMENT.search(ctx.message):
        return None
    return next((h for h in ctx.hits if h.card_id.startswith("doc:") and h.answer), None)


def _hit_from(answer: Answer, card_id: str) -> Hit | None:
    s = next((s for s in answer.sentences if s.card_id == card_id), None)
    return Hit(card_id=s.card_id, title=s.title, heading=s.heading, snippet=s.text, score=s.score) if s else None


def _last_role(ctx: ReplyContext) -> str | None:
    for turn in reversed(ctx.session.turns):
        if turn.role == "user" and turn.understanding and turn.understanding.roleplay:
            return turn.understanding.roleplay
    return None
