"""The question bank, the responder's phrases and the prompt templates.

Everything here is data that lives next to this file:

- ``questions.yaml``: hundreds of questions, each tagged with mode, lens (or
  reflective-model stage), the knowledge cards it draws on, what it
  ``covers`` (so the engine can skip what the leader has already said) and
  ``when`` it is especially relevant.
- ``phrases.yaml``: the offline responder's language (openings,
  acknowledgements, lens introductions, grounding leads, closings, the
  safety check, practice-stage intros, the prep plan and the governance
  summary).
- ``templates/*.md``: ``str.format`` templates for an optional language
  model; ``TEMPLATE_FIELDS`` documents the fields each one takes.

This package imports nothing else of ours (see ``design.md``).

API::

    bank = load_bank()                      # cached, validated QuestionBank
    bank.pick("live", "needs", said=text, asked=ids, limit=2)
    bank.for_lens("practice", "feelings")
    phrases = load_phrases()                # cached, validated Phrases
    phrases.lens_intros["needs"].transitions
    load_template("turn")                   # raw text
    render_template("turn", mode=..., ...)  # checks the fields, then formats
    load_template("system")                 # no fields: use it as it is
"""

from __future__ import annotations

import re
import string
from functools import lru_cache
from pathlib import Path
from typing import Iterator, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

# libyaml's safe loader where PyYAML has it: equal results, ten times faster on the question bank
# (1.2 s to 0.14 s on a busy 2-core machine). prompts may not import knowledge, so it has its own.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

HERE = Path(__file__).parent
QUESTIONS_PATH = HERE / "questions.yaml"
PHRASES_PATH = HERE / "phrases.yaml"
TEMPLATES_DIR = HERE / "templates"

Mode = Literal["live", "practice", "prep"]
PracticeModel = Literal["gibbs", "rolfe"]

MODES: tuple[str, ...] = ("live", "practice", "prep")

#: The live lenses, in the order the conversation walks them by default.
LIVE_LENSES: tuple[str, ...] = (
    "needs",
    "send",
    "equality",
    "safeguarding",
    "proportionality",
    "voice",
    "staff",
    "record",
)
#: Live mode once the leader has recorded a decision: carrying it out (telling the pupil and family,
#: the return, the review), not deciding it again.
AFTER_DECISION: tuple[str, ...] = ("next_steps",)
#: Prep adds the session's context (first) and what is out of scope (last).
PREP_LENSES: tuple[str, ...] = ("context", *LIVE_LENSES, "scope")

GIBBS_STAGES: tuple[str, ...] = (
    "description",
    "feelings",
    "evaluation",
    "analysis",
    "conclusion",
    "action_plan",
)
ROLFE_STAGES: tuple[str, ...] = ("what", "so_what", "now_what")
PRACTICE_MODELS: dict[str, tuple[str, ...]] = {"gibbs": GIBBS_STAGES, "rolfe": ROLFE_STAGES}
DEFAULT_PRACTICE_MODEL = "gibbs"

#: The named fields each template in ``templates/`` takes, exactly.
TEMPLATE_FIELDS: dict[str, tuple[str, ...]] = {
    "system": (),  # used as it is: every mode's guidance is in the text
    "turn": (
        "mode",
        "lens_state",
        "next_lens",
        "case_record",
        "answer",
        "questions",
        "sections",
        "draft",
        "history",
        "message",
    ),
}

#: Placeholders each phrase group may use (anything else is a data error).
PHRASE_FIELDS: dict[str, frozenset[str]] = {
    "openings": frozenset({"named"}),
    "acknowledgements": frozenset({"echo"}),
    "conversation": frozenset({"facts", "lens", "role", "gist", "details", "Details", "sentence", "where", "term", "expansion", "definition",
                               "he", "He", "him", "his", "child"}),
    "case_questions": frozenset({"he", "him", "his", "setting", "in_setting", "in_place", "plan", "need", "sanction", "trigger",
                                 "person", "view", "figure", "year"}),
    "prep_requests": frozenset({"focus", "he", "him", "count"}),
    "hypotheses": frozenset({"he", "him", "his"}),
    "repair": frozenset({"he", "him", "his"}),
    "facilitation": frozenset(),
    "scenario": frozenset({"year", "pupil_word", "need", "event", "in_setting", "him", "he", "response"}),
}

_ID_RE = re.compile(r"^(live|practice|prep)-[a-z]+(?:-[a-z]+)*-\d{3}$")
_CARD_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_STEM_RE = re.compile(r"^[a-z0-9][a-z0-9 '\-:/]*[a-z0-9]$")


def lens_order(mode: str, model: str | None = None) -> tuple[str, ...]:
    """The lenses (or stages) a mode walks, in order."""
    if mode == "live":
        return LIVE_LENSES
    if mode == "prep":
        return PREP_LENSES
    if mode == "practice":
        return PRACTICE_MODELS[model or DEFAULT_PRACTICE_MODEL]
    raise ValueError(f"unknown mode {mode!r}")


def stage_model(stage: str) -> str:
    """The reflective model a practice stage belongs to."""
    for name, stages in PRACTICE_MODELS.items():
        if stage in stages:
            return name
    raise ValueError(f"unknown practice stage {stage!r}")


def normalise(text: str) -> str:
    """Lowercase, straight apostrophes, single spaces: what stems match against."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", text)


def stem_in(stem: str, text: str) -> bool:
    """True if ``stem`` starts a word in (already normalised) ``text``.

    Stems match word beginnings ("communicat" matches "communicating");
    stems of three characters or fewer must match a whole word, so "vsh"
    or "hr" never fire inside longer words.
    """
    return _stem_pattern(stem).search(text) is not None


@lru_cache(maxsize=4096)
def _stem_pattern(stem: str) -> re.Pattern[str]:
    """Compiled once per stem: there are more stems than `re`'s own cache holds, so it would recompile them."""
    pattern = r"(?<![a-z0-9])" + re.escape(stem)
    if len(stem) <= 3:
        pattern += r"(?![a-z0-9])"
    return re.compile(pattern)


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


# --------------------------------------------------------------------------- questions


class Question(BaseModel):
    """One question in the bank."""

    model_config = ConfigDict(frozen=True, extra="forbid", protected_namespaces=())

    id: str
    mode: Mode
    lens: str
    model: PracticeModel | None = None
    text: str
    cards: tuple[str, ...] = ()
    covers: tuple[str, ...]
    when: tuple[str, ...] = ()

    @field_validator("id")
    @classmethod
    def _id_shape(cls, v: str) -> str:
        if not _ID_RE.match(v):
            raise ValueError(f"question id {v!r} is not <mode>-<lens>-<nnn>")
        return v

    @field_validator("text")
    @classmethod
    def _text_voice(cls, v: str) -> str:
        v = " ".join(v.split())
        if not v or "?" not in v:
            raise ValueError("a question's text must ask a question")
        if "you should" in normalise(v):
            raise ValueError(f"question says 'you should': {v!r}")
        return v

    @field_validator("cards")
    @classmethod
    def _cards_shape(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        if len(v) > 3:
            raise ValueError("at most 3 cards per question")
        for card in v:
            if not _CARD_RE.match(card):
                raise ValueError(f"card id {card!r} is not lowercase-kebab")
        if len(set(v)) != len(v):
            raise ValueError("a card is listed twice")
        return v

    @field_validator("covers", "when")
    @classmethod
    def _stems_shape(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for stem in v:
            if stem != stem.strip() or stem != stem.lower() or not _STEM_RE.match(stem):
                raise ValueError(f"stem {stem!r} must be lowercase words")
        return v

    @model_validator(mode="after")
    def _mode_rules(self) -> Question:
        if not self.id.startswith(f"{self.mode}-{self.lens.replace('_', '-')}-"):
            raise ValueError(f"{self.id}: id does not match mode {self.mode} and lens {self.lens}")
        if not 2 <= len(self.covers) <= 6:
            raise ValueError(f"{self.id}: covers needs 2-6 stems")
        if self.mode == "practice":
            if self.model is None:
                object.__setattr__(self, "model", stage_model(self.lens))
            if self.lens not in PRACTICE_MODELS[self.model]:
                raise ValueError(f"{self.id}: {self.lens!r} is not a {self.model} stage")
        else:
            if self.model is not None:
                raise ValueError(f"{self.id}: only practice questions name a model")
            if self.lens not in lens_order(self.mode) + (AFTER_DECISION if self.mode == "live" else ()):
                raise ValueError(f"{self.id}: {self.lens!r} is not a {self.mode} lens")
            if not self.cards:
                raise ValueError(f"{self.id}: live and prep questions cite at least one card")
        return self

    def hits(self, said: str) -> int:
        """How many of this question's ``covers`` stems appear in ``said``."""
        said = normalise(said)
        return sum(stem_in(stem, said) for stem in self.covers)

    def is_covered(self, said: str, min_hits: int = 2) -> bool:
        """True when the leader has already said enough of what this asks.

        Two stems must appear (or all of them, if fewer): one shared word is
        too weak a sign that the question has been answered.
        """
        return self.hits(said) >= min(min_hits, len(self.covers))

    def relevance(self, said: str) -> int:
        """How many ``when`` stems appear in ``said`` (0 for general questions)."""
        said = normalise(said)
        return sum(stem_in(stem, said) for stem in self.when)


class QuestionBank(BaseModel):
    """The whole bank, validated as a set."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    questions: tuple[Question, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _set_rules(self) -> QuestionBank:
        seen_ids: set[str] = set()
        seen_texts: dict[str, str] = {}
        for q in self.questions:
            if q.id in seen_ids:
                raise ValueError(f"duplicate question id {q.id}")
            seen_ids.add(q.id)
            key = re.sub(r"[^a-z0-9]+", " ", normalise(q.text)).strip()
            if key in seen_texts:
                raise ValueError(f"{q.id} repeats the text of {seen_texts[key]}")
            seen_texts[key] = q.id
        return self

    @classmethod
    def from_yaml(cls, path: Path | str = QUESTIONS_PATH) -> QuestionBank:
        data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=SAFE_LOADER)
        if not isinstance(data, list):
            raise ValueError(f"{path}: expected a list of questions")
        return cls(questions=tuple(data))

    def __len__(self) -> int:
        return len(self.questions)

    def __iter__(self) -> Iterator[Question]:  # type: ignore[override]
        return iter(self.questions)

    def by_id(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(qid)

    def for_lens(self, mode: str, lens: str) -> list[Question]:
        """Every question for a mode and lens (or practice stage), in bank order."""
        return [q for q in self.questions if q.mode == mode and q.lens == lens]

    for_mode_lens = for_lens

    def counts(self) -> dict[tuple[str, str], int]:
        out: dict[tuple[str, str], int] = {}
        for q in self.questions:
            out[(q.mode, q.lens)] = out.get((q.mode, q.lens), 0) + 1
        return out

    def card_ids(self) -> set[str]:
        """Every card id the bank cites."""
        return {card for q in self.questions for card in q.cards}

    def pick(
        self,
        mode: str,
        lens: str,
        *,
        said: str = "",
        asked: set[str] | frozenset[str] | list[str] | tuple[str, ...] = (),
        limit: int = 2,
        min_hits: int = 2,
    ) -> list[Question]:
        """Up to ``limit`` questions for this lens that are neither asked nor covered.

        ``said`` is everything the leader has written so far; questions whose
        ``when`` stems it mentions come first, then bank order (stable).
        """
        asked = set(asked)
        norm = normalise(said)
        fresh = [
            q
            for q in self.for_lens(mode, lens)
            if q.id not in asked and not q.is_covered(norm, min_hits)
        ]
        ranked = sorted(enumerate(fresh), key=lambda p: (-p[1].relevance(norm), p[0]))
        return [q for _, q in ranked[:limit]]


@lru_cache(maxsize=1)
def load_bank() -> QuestionBank:
    """The validated question bank (read once per process)."""
    return QuestionBank.from_yaml(QUESTIONS_PATH)


# --------------------------------------------------------------------------- phrases


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LensIntro(_Strict):
    name: str  # "the needs behind the behaviour"
    short: str  # "needs"
    why: str  # one sentence: why it matters
    transitions: tuple[str, ...] = Field(min_length=3)


class StageIntro(_Strict):
    name: str
    purpose: str
    intro: str


class PracticeModelPhrases(_Strict):
    name: str
    summary: str


class PlanSection(_Strict):
    heading: str
    lead: str
    caution: str | None = None
    items: tuple[str, ...] = ()


class PrepPlan(_Strict):
    title: str
    lead: str
    sections: dict[str, PlanSection]

    @field_validator("sections")
    @classmethod
    def _required(cls, v: dict[str, PlanSection]) -> dict[str, PlanSection]:
        need = {"diagnostic_questions", "guidance_and_cases", "likely_risks", "out_of_scope"}
        missing = need - set(v)
        if missing:
            raise ValueError(f"prep_plan lacks sections {sorted(missing)}")
        if not v["guidance_and_cases"].caution:
            raise ValueError("guidance_and_cases needs the transplant caution")
        if len(v["out_of_scope"].items) < 4:
            raise ValueError("out_of_scope lists the service's boundaries")
        return v


class GovernanceSection(_Strict):
    id: str
    heading: str
    lead: str


class GovernanceSummary(_Strict):
    title: str
    confirm: str
    lead: str
    sections: tuple[GovernanceSection, ...] = Field(min_length=4)
    footer: str


class Option(_Strict):
    name: str
    needs: str
    cards: tuple[str, ...] = Field(min_length=1)
    when: Literal["any", "ehcp", "sanction"] = "any"


class CaseQuestion(_Strict):
    """A question built from the case record; asked only when the fields it needs are held."""

    lens: str
    modes: tuple[Mode, ...] = Field(min_length=1)
    needs: tuple[str, ...] = Field(min_length=1)
    text: str


class OutlineStep(_Strict):
    share: float = Field(gt=0, le=1)  # of the session's length
    text: str


class PrepRequests(_Strict):
    """What prep mode says when a consultant asks for an outline, questions, a scenario or slides."""

    topic_focus: str  # the outline's second step for a session on a topic: {topic}, {cards}
    slides_lead: str
    slides_close: str
    slides_none: str

    outline_lead: str
    figure_fold: str
    outline_steps: tuple[OutlineStep, ...] = Field(min_length=3)
    questions_lead: str
    scenario_lead: str
    scenario_close: str
    scenario_questions: tuple[str, ...] = Field(min_length=2)
    scenario: str
    scenario_twist: str  # added to a consultant's short brief so the tables have something to weigh


class Elsewhere(_Strict):
    """Where a question the cards do not cover belongs, by the words it uses."""

    stems: tuple[str, ...] = Field(min_length=1)
    where: str


class Hypothesis(_Strict):
    when: tuple[str, ...] = ()  # stems that make it fit; none: a general one that fills in
    text: str
    card: str | None = None  # the card it draws on, cited beside it
    heading: str = ""


class Hypotheses(_Strict):
    """Cue-chosen lines with a lead and a closing question: tentative hypotheses about a pupil's needs (asked what
    the child needed), or a facilitator's moves for the room (prep)."""

    lead: str
    close: str
    items: tuple[Hypothesis, ...] = Field(min_length=4)


class RoleLine(_Strict):
    """A line the part says, and the stems in what was said to it that it answers (none: a general line)."""

    text: str
    when: tuple[str, ...] = ()


class Conversation(_Strict):
    """What the listening composer says around answers and questions."""

    not_covered: tuple[str, ...] = Field(min_length=3)
    not_covered_at: str  # {where}: the place to ask, from `elsewhere`
    elsewhere: tuple[Elsewhere, ...] = ()
    not_settled: tuple[str, ...] = Field(min_length=2)
    nothing_found: tuple[str, ...] = Field(min_length=1)
    case_studies: str = "The case studies in the cards that fit best:"
    glossary_abbreviation: str  # {term} {expansion} {definition}
    glossary_term: str  # {expansion} {definition}
    corrected: str  # {facts}: "Tuesday, not Monday; Year 8, not Year 7"
    which_fits: str  # after a comparison, "which fits here?" is the leader's call
    sanction_document: str  # a letter announcing a sanction is refused; what it must contain follows
    sanction_document_offer: str
    again: str = "As I said earlier: {sentence}"  # an answer asked for again
    signal_lead: str = "One point the law is clear on:"  # before a legal signal heard in the message
    weigh: str = "From what you've told me so far, these are still open:"
    facts: tuple[str, ...] = Field(min_length=4)
    thanks: tuple[str, ...] = Field(min_length=3)
    details: tuple[str, ...] = Field(min_length=3)  # {details}: the particulars just heard, in the reply's words
    weigh_details: str  # {details}: the weighing list, tied to this case's particulars
    question_leads: tuple[str, ...] = Field(min_length=4)
    prep_question_leads: tuple[str, ...] = Field(min_length=3)
    lens_change: tuple[str, ...] = Field(min_length=4)
    decision_ack: dict[Mode, tuple[str, ...]]
    panel_check: tuple[str, ...]
    record_complete: tuple[str, ...]
    gaps_still_open: str
    feelings_ack: list[str]  # practice: the person has said how it felt
    feelings_ack_leader: tuple[str, ...] = Field(min_length=2)  # live and prep: first time, with support named
    feelings_ack_leader_again: str  # later: met, without the support line again
    refused_again: str  # a refusal of the same kind twice running: the case's open points, not the same questions
    refused_again_done: str
    refusal_questions: dict[Literal["staff", "trainer", "governor"], tuple[str, ...]]  # by who is writing
    after_handover: str  # the turn after an escalation, when the leader says the concern has been passed on
    after_escalation: str  # the turn after an escalation, otherwise: the signposting stays first
    pinned_handed_on: str  # what stays in view of a pinned escalation once the leader says it has been passed on
    decision_as_heard: dict[Mode, str]
    gaps: dict[str, str]
    target_next: tuple[str, ...]
    prep_next: tuple[str, ...]
    distress_ack: tuple[str, ...]
    helpline: str
    distress_question: tuple[str, ...]
    options_lead: dict[Mode, str]
    options_close: dict[Mode, tuple[str, ...]]
    options_question: tuple[str, ...]
    force_check: tuple[str, ...] = Field(min_length=2)
    force_check_live: tuple[str, ...] = Field(min_length=2)  # live: recorded, and the parents told
    injury_check_live: list[str]  # live: an injury with no force used by staff
    staff_injury_check_live: list[str]  # live: an adult hurt by a pupil (with RIDDOR)
    roleplay_start: tuple[str, ...]
    roleplay_lines: dict[str, tuple[RoleLine, ...]]
    roleplay_end: tuple[str, ...]
    roleplay_debrief: tuple[str, ...]  # the leader steps out of a role-play
    roleplay_debrief_questions: tuple[str, ...] = Field(min_length=2)
    legal_conclusion: str
    about: tuple[str, ...]
    small_talk: tuple[str, ...]
    correction: tuple[str, ...]
    draft: tuple[str, ...]
    prep_fold: tuple[str, ...]
    options: dict[Mode, tuple[Option, ...]]

    @field_validator("helpline")
    @classmethod
    def _number(cls, v: str) -> str:
        if "08000 562 561" not in v:
            raise ValueError("the helpline line gives Education Support's number")
        return v

    def texts(self) -> Iterator[str]:
        for option in (o for options in self.options.values() for o in options):
            yield from (option.name.replace("{sanction}", "{role}"), option.needs)
        yield from (e.where for e in self.elsewhere)
        yield from (line.text for lines in self.roleplay_lines.values() for line in lines)
        for value in self.model_dump(exclude={"options", "elsewhere", "roleplay_lines"}).values():
            if isinstance(value, str):
                yield value
            elif isinstance(value, dict):
                for inner in value.values():
                    yield from ([inner] if isinstance(inner, str) else inner)
            else:
                yield from value


class Phrases(_Strict):
    """The offline responder's language, validated."""

    openings: dict[Mode, tuple[str, ...]]
    acknowledgements: tuple[str, ...] = Field(min_length=20)
    lens_intros: dict[str, LensIntro]
    grounding_leads: tuple[str, ...] = Field(min_length=8)
    closings: dict[Mode, tuple[str, ...]]
    safety_check: tuple[str, ...] = Field(min_length=3)
    practice_models: dict[PracticeModel, PracticeModelPhrases]
    practice_stages: dict[PracticeModel, dict[str, StageIntro]]
    prep_plan: PrepPlan
    governance_summary: GovernanceSummary
    conversation: Conversation
    case_questions: tuple[CaseQuestion, ...] = ()
    prep_requests: PrepRequests
    hypotheses: Hypotheses
    repair: Hypotheses
    facilitation: Hypotheses

    @model_validator(mode="after")
    def _complete(self) -> Phrases:
        for mode in MODES:
            if len(self.openings.get(mode, ())) < 12:
                raise ValueError(f"openings.{mode} needs 12 or more")
            if len(self.closings.get(mode, ())) < 5:
                raise ValueError(f"closings.{mode} needs 5 or more")
        missing = (set(PREP_LENSES) | set(AFTER_DECISION)) - set(self.lens_intros)
        if missing:
            raise ValueError(f"lens_intros lacks {sorted(missing)}")
        for name, stages in PRACTICE_MODELS.items():
            if name not in self.practice_models:
                raise ValueError(f"practice_models.{name} is missing")
            got = tuple(self.practice_stages.get(name, {}))  # type: ignore[call-overload]
            if got != stages:
                raise ValueError(f"practice_stages.{name} must be {stages} in order, got {got}")
        for group, texts in self._groups():
            allowed = PHRASE_FIELDS.get(group, frozenset())
            for text in texts:
                extra = _fields(text) - allowed
                if extra:
                    raise ValueError(f"{group}: unknown placeholder(s) {sorted(extra)} in {text!r}")
                if "you should" in normalise(text):
                    raise ValueError(f"{group}: says 'you should': {text!r}")
        return self

    def _groups(self) -> Iterator[tuple[str, tuple[str, ...]]]:
        for texts in self.openings.values():
            yield "openings", texts
        yield "acknowledgements", self.acknowledgements
        for intro in self.lens_intros.values():
            yield "lens_intros", (intro.name, intro.why, *intro.transitions)
        yield "grounding_leads", self.grounding_leads
        for texts in self.closings.values():
            yield "closings", texts
        yield "safety_check", self.safety_check
        for model in self.practice_models.values():
            yield "practice_models", (model.name, model.summary)
        for stages in self.practice_stages.values():
            yield "practice_stages", tuple(
                t for s in stages.values() for t in (s.name, s.purpose, s.intro)
            )
        plan = self.prep_plan
        yield "prep_plan", (plan.title, plan.lead) + tuple(
            t
            for s in plan.sections.values()
            for t in (s.heading, s.lead, s.caution or "", *s.items)
        )
        yield "conversation", tuple(self.conversation.texts())
        yield "case_questions", tuple(q.text for q in self.case_questions)
        req = self.prep_requests
        yield "prep_requests", (req.outline_lead, req.figure_fold, req.questions_lead, req.scenario_lead, req.scenario_close,
                                *req.scenario_questions, *(step.text for step in req.outline_steps))
        yield "scenario", (req.scenario,)
        hyp = self.hypotheses
        yield "hypotheses", (hyp.lead, hyp.close, *(h.text for h in hyp.items))
        fix = self.repair
        yield "repair", (fix.lead, fix.close, *(h.text for h in fix.items))
        tips = self.facilitation
        yield "facilitation", (tips.lead, tips.close, *(h.text for h in tips.items))
        gov = self.governance_summary
        yield "governance_summary", (gov.title, gov.confirm, gov.lead, gov.footer) + tuple(
            t for s in gov.sections for t in (s.heading, s.lead)
        )

    def stage(self, stage_id: str) -> StageIntro:
        """The intro for a practice stage (Gibbs or Rolfe)."""
        for stages in self.practice_stages.values():
            if stage_id in stages:
                return stages[stage_id]
        raise KeyError(stage_id)


@lru_cache(maxsize=1)
def load_phrases() -> Phrases:
    """The validated phrases (read once per process)."""
    data = yaml.load(PHRASES_PATH.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    return Phrases.model_validate(data)


# --------------------------------------------------------------------------- templates


def _template_path(name: str) -> Path:
    stem = name[:-3] if name.endswith(".md") else name
    if stem not in TEMPLATE_FIELDS:
        raise KeyError(f"unknown template {name!r}; known: {sorted(TEMPLATE_FIELDS)}")
    return TEMPLATES_DIR / f"{stem}.md"


@lru_cache(maxsize=None)
def load_template(name: str) -> str:
    """The raw text of ``templates/<name>.md`` (``name`` with or without ``.md``)."""
    return _template_path(name).read_text(encoding="utf-8")


def template_fields(name: str) -> set[str]:
    """The placeholders a template actually uses."""
    return _fields(load_template(name))


def render_template(name: str, **fields: object) -> str:
    """Format a template after checking the fields are exactly the documented ones.

    Values are inserted as they are; ``str.format`` never interprets braces
    inside a value, so pasted text cannot inject placeholders.
    """
    stem = name[:-3] if name.endswith(".md") else name
    want = set(TEMPLATE_FIELDS[stem])
    got = set(fields)
    if got != want:
        raise KeyError(
            f"template {stem!r} takes {sorted(want)}; missing {sorted(want - got)}, "
            f"unexpected {sorted(got - want)}"
        )
    return load_template(stem).format(**fields)


__all__ = [
    "AFTER_DECISION",
    "DEFAULT_PRACTICE_MODEL",
    "GIBBS_STAGES",
    "LIVE_LENSES",
    "MODES",
    "PRACTICE_MODELS",
    "PREP_LENSES",
    "ROLFE_STAGES",
    "TEMPLATE_FIELDS",
    "GovernanceSummary",
    "LensIntro",
    "Phrases",
    "PrepPlan",
    "Question",
    "QuestionBank",
    "StageIntro",
    "lens_order",
    "load_bank",
    "load_phrases",
    "load_template",
    "normalise",
    "render_template",
    "stage_model",
    "stem_in",
    "template_fields",
]
