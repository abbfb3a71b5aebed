"""Typed records of the guardrails: the verdict, a recent turn, and the policy file.

`policy.yaml` is validated here, so a broken policy names its field instead of
failing somewhere deep in the checker.
"""
from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError, model_validator

from knowledge.errors import ReflectError

Action = Literal["allow", "refuse", "escalate"]
Category = Literal[
    "reflection", "investigation", "disciplinary_outcome", "hr_determination",
    "safeguarding_process", "safeguarding_disclosure", "staff_allegation", "risk_to_self",
]
CATEGORIES: tuple[str, ...] = Category.__args__  # type: ignore[attr-defined]
REFUSE_CATEGORIES = ("investigation", "disciplinary_outcome", "hr_determination", "safeguarding_process")
ESCALATE_CATEGORIES = ("safeguarding_disclosure", "staff_allegation", "risk_to_self")
ACTION_OF: dict[str, str] = {
    "reflection": "allow",
    **{c: "refuse" for c in REFUSE_CATEGORIES},
    **{c: "escalate" for c in ESCALATE_CATEGORIES},
}

POLICY_PATH = Path(__file__).with_name("policy.yaml")


class Verdict(BaseModel):
    """One verdict per message: what to do, why, and the fixed reply if not allowed."""

    action: Action
    category: Category
    reason: str
    signals: list[str] = Field(default_factory=list)
    reply: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> "Verdict":
        if ACTION_OF[self.category] != self.action:
            raise ValueError(f"category {self.category} does not go with action {self.action}")
        if self.action != "allow" and not self.reply:
            raise ValueError("a refusal or escalation carries its fixed reply")
        return self


class Recent(BaseModel):
    """A previous user turn with the verdict it got (most recent last)."""

    text: str = ""
    action: Action = "allow"
    category: Category = "reflection"


# --- the policy file -------------------------------------------------------

class Patterns(BaseModel):
    model_config = {"extra": "forbid"}

    strong: dict[str, str] = Field(default_factory=dict)  # decide the category, unless countered
    hint: dict[str, str] = Field(default_factory=dict)    # raise the classifier's score
    output: dict[str, str] = Field(default_factory=dict)  # determinations in a generated reply


class CategoryPolicy(BaseModel):
    model_config = {"extra": "forbid"}

    action: Action
    owner: str
    must_not: str
    can_do: str
    reason: str
    output_reason: str = ""
    boundary: str = ""                     # the refusal's one plain sentence
    questions: list[str] = Field(default_factory=list)
    patterns: Patterns = Field(default_factory=Patterns)


class Thresholds(BaseModel):
    """Bars on the heads' probabilities, chosen by cross-validation on the training corpus only
    (`python -m guardrails.train` prints the figures behind them)."""

    model_config = {"extra": "forbid"}

    risk: float                 # a sentence window's P(risk) at or above this escalates
    risk_joint: float           # the same, read across the previous turn and this one
    risk_self: float = 0.5      # the bar when the riskiest window reads as a risk to the writer's own life
    risk_strain: float = 0.8    # the same for work strain with no word of death, harm or hopelessness anywhere
    risk_invented: float = 0.8  # the risk bar in a made-up training vignette with no sign of a real child
    passed_on: float            # P(this concern has reached the DSL / procedures) needed to lift an escalation
    adult_share: float = 0.5    # a child's risk is an allegation when the kind models' adult share reaches this
    determination: float        # P(the message asks for a determination) at or above this refuses
    after_refusal: float        # the lower bar for a rephrasing right after a refusal
    output: float               # a reply sentence no rule caught: P(decides) needed to block it
    output_with_rule: float     # a reply sentence an output rule caught
    output_min_words: int = 5   # shorter reply sentences are judged by the output rules alone
    classifier_c: float = 2.0   # regularisation of the embedding heads
    word_c: float = 16.0        # regularisation of the word n-gram models
    word_weight: float = 0.65   # each learned decision: this share from the word models, the rest from embeddings


class Limits(BaseModel):
    model_config = {"extra": "forbid"}

    max_sentences: int = 24
    max_sentence_chars: int = 400
    max_embed_chars: int = 2400
    max_scan_chars: int = 400_000


class Replies(BaseModel):
    model_config = {"extra": "forbid"}

    refusal_lead: str
    dsl_signpost: str
    unreadable: str                         # lead for words in a language the guard cannot read
    escalation: dict[str, dict[str, str]]   # category -> {default, dsl}


class Policy(BaseModel):
    model_config = {"extra": "forbid"}

    version: int
    thresholds: Thresholds
    limits: Limits = Field(default_factory=Limits)
    macros: dict[str, str] = Field(default_factory=dict)
    abbreviations: dict[str, str] = Field(default_factory=dict)
    signals: dict[str, dict[str, str]]      # kind -> {name: regex}: allow, handled, unhandled, ...
    categories: dict[Category, CategoryPolicy]
    replies: Replies

    @model_validator(mode="after")
    def _complete(self) -> "Policy":
        missing = set(CATEGORIES) - set(self.categories)
        if missing:
            raise ValueError(f"categories missing: {sorted(missing)}")
        for name, cat in self.categories.items():
            if cat.action != ACTION_OF[name]:
                raise ValueError(f"{name}: action must be {ACTION_OF[name]}")
            if cat.action == "refuse" and not (cat.boundary and 2 <= len(cat.questions) <= 4):
                raise ValueError(f"{name}: a refusal needs a boundary sentence and 2-4 questions")
        for name in ESCALATE_CATEGORIES:
            if "default" not in self.replies.escalation.get(name, {}):
                raise ValueError(f"replies.escalation.{name}.default is missing")
        return self


def load_policy(path: Path = POLICY_PATH) -> Policy:
    import yaml

    from knowledge.yamlfile import load_yaml

    try:
        raw = load_yaml(path.read_text(encoding="utf-8"))
        return Policy.model_validate(raw)
    except FileNotFoundError as exc:
        raise ReflectError(f"guardrail policy not found: {path}") from exc
    except (yaml.YAMLError, ValidationError) as exc:
        raise ReflectError(f"guardrail policy {path} is invalid: {exc}") from exc

