"""A rigidity review of a school's behaviour, attendance or exclusion policy.

It reads the policy with the same extraction as ingest (knowledge.extract:
headings, ladder steps, table rows with their column headers) and, using the
patterns in policy_review.yaml and a small classifier over sentence meaning
(policy_classifier.py), reports:

- rules that fix an outcome whatever the circumstances, quoted, with their
  location (page, heading, step or table row);
- for each, whether a SEND route stands nearby (same sentence, step, row or
  section), only elsewhere (a general statement), or nowhere, and its quote;
- sentences that name sanctions without being judged rigid, as "worth a
  second look": the review never reads as a clean bill of health;
- what the guidance expects a behaviour policy to say that this one seems
  not to, asked about in terms of the policy in hand;
- the card that explains why each point matters.

The policy's text is data: it is matched against patterns and quoted, never
followed. The output asks questions in the product's voice; it never says a
policy is unlawful or discriminatory.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from knowledge.extract import Block, Extracted, extract
from knowledge.text import split_sentences
from knowledge.yamlfile import load_yaml

PATTERNS_FILE = Path(__file__).with_name("policy_review.yaml")
PRODUCT = "reflect — a reflection assistant for school leaders"
MAX_SECOND_LOOK = 15
MAX_RULE_WORDS = 60  # longer units are prose about the policy, not one rule
Reach = Literal["sentence", "paragraph", "section", "policy", "none"]
Route = Literal["nearby", "elsewhere", "none"]
_REACH_WORDS = {
    "sentence": "in the same sentence",
    "paragraph": "in the same paragraph, step or row",
    "section": "in the same section",
}


class Pathway(BaseModel):
    reach: Reach
    label: str | None = None
    quote: str | None = None
    location: str | None = None

    @property
    def route(self) -> Route:
        return {"policy": "elsewhere", "none": "none"}.get(self.reach, "nearby")  # type: ignore[return-value]


class RuleFinding(BaseModel):
    rules: list[str]
    labels: list[str]
    quote: str
    location: str
    page: int | None = None
    section: str | None = None
    paragraph: int | None = None
    step: str | None = None
    row: int | None = None
    pathway: Pathway
    concern: bool
    question: str
    cards: list[str]

    @property
    def kind(self) -> str:
        return self.rules[0]


class SecondLook(BaseModel):
    """A sentence that names a sanction but was not judged to fix it."""

    quote: str
    location: str


class ExpectedElement(BaseModel):
    id: str
    label: str
    present: bool
    applies: bool = True
    quote: str | None = None
    location: str | None = None
    question: str
    cards: list[str]

    @property
    def status(self) -> Literal["present", "missing", "n/a"]:
        return "n/a" if not self.applies else "present" if self.present else "missing"


class PolicyReview(BaseModel):
    file: str
    kind: str
    pages: int | None
    findings: list[RuleFinding]
    elements: list[ExpectedElement]
    send_clause: Pathway | None
    second_look: list[SecondLook] = []
    card_notes: dict[str, str] = {}

    @property
    def concerns(self) -> list[RuleFinding]:
        return [f for f in self.findings if f.concern]

    @property
    def missing(self) -> list[ExpectedElement]:
        return [e for e in self.elements if e.applies and not e.present]

    def to_json(self) -> dict:
        """The machine-readable review (`reflect review-policy FILE --format json`)."""
        return {
            "findings": [{
                "quote": f.quote, "location": f.location, "kind": f.kind, "send_route": f.pathway.route,
                "route_quote": f.pathway.quote, "question": f.question, "cards": f.cards,
            } for f in self.findings],
            "elements": [{"id": e.id, "status": e.status, "quote": e.quote} for e in self.elements],
            "second_look": [s.model_dump() for s in self.second_look],
        }

    def to_markdown(self) -> str:
        text = "\n".join(_render(self, _Markdown()))
        return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"

    def to_docx(self, path: str | Path) -> Path:
        from docx import Document

        document = Document()
        properties = document.core_properties
        properties.author = properties.last_modified_by = PRODUCT
        properties.title = f"Policy review: {self.file}"
        properties.comments = ""
        writer = _Docx(document)
        for _ in _render(self, writer):
            pass
        path = Path(path)
        document.save(str(path))
        return path


# ---------------------------------------------------------------- patterns


class _Rules(BaseModel):
    hedges_before: re.Pattern
    hedged_verbs: re.Pattern
    hedged_sentence: re.Pattern
    rule_cue: re.Pattern
    not_outcome: re.Pattern
    sanction: re.Pattern
    named_sanction: re.Pattern
    outcome: re.Pattern
    removal: re.Pattern
    suspension: re.Pattern
    outcome_column: re.Pattern
    guide_column: re.Pattern
    outcome_heading: re.Pattern
    threshold: float
    threshold_in_step: float
    threshold_uncued: float
    fixed: list[dict]
    pathways: list[dict]
    negations: re.Pattern
    not_route: re.Pattern
    further_step: re.Pattern
    support_only: re.Pattern
    general_room: re.Pattern
    expected: list[dict]
    cards: dict[str, str]

    model_config = {"arbitrary_types_allowed": True}


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    raw = load_yaml(PATTERNS_FILE.read_text(encoding="utf-8"))
    vocab = raw["vocab"]

    def compile_(pattern: str) -> re.Pattern:
        for _ in range(4):  # vocabulary entries may use each other
            pattern = re.sub(r"\{(\w+)\}", lambda m: vocab.get(m.group(1), m.group(0)), pattern)
        return re.compile(pattern, re.IGNORECASE)

    fixed = [
        {**rule, "patterns": [compile_(p) for p in rule["patterns"]],
         "needs": compile_(rule["needs"]) if rule.get("needs") else None}
        for rule in raw["fixed_outcome"]
    ]
    pathways = [{**p, "pattern": compile_(p["pattern"])} for p in raw["pathways"]]
    expected = [
        {**e, "all_of": [compile_(p) for p in e["all_of"]],
         "applies_if": compile_(e["applies_if"]) if e.get("applies_if") else None,
         "linked": compile_(e["linked"]) if e.get("linked") else None}
        for e in raw["expected"]
    ]
    return _Rules(
        hedges_before=compile_(raw["hedges_before"]), hedged_verbs=compile_(raw["hedged_verbs"]),
        hedged_sentence=compile_(raw["hedged_sentence"]), rule_cue=compile_(raw["rule_cue"]),
        not_outcome=compile_(vocab["not_outcome"]), sanction=compile_("{sanction}|{sanctioned}|{duration}"),
        named_sanction=compile_("{sanction}|{sanctioned}"),
        outcome=compile_("{outcome}|{sanctioned}"),
        removal=compile_(vocab["removal"]), suspension=compile_(vocab["suspension"]),
        outcome_column=compile_(raw["outcome_column"]), guide_column=compile_(raw["guide_column"]),
        outcome_heading=compile_(raw["outcome_heading"]),
        threshold=float(raw["classifier_threshold"]), threshold_in_step=float(raw["classifier_threshold_in_step"]),
        threshold_uncued=float(raw["classifier_threshold_uncued"]),
        fixed=fixed, pathways=pathways, negations=compile_(raw["negations"]),
        not_route=compile_(raw["not_route"]), further_step=compile_(raw["further_step"]),
        support_only=compile_(raw["support_only"]), general_room=compile_(raw["general_room"]), expected=expected,
        cards=raw["cards"],
    )


# ---------------------------------------------------------------- review


def review_policy(path: str | Path) -> PolicyReview:
    """Read a policy file and report where its wording fixes outcomes."""
    return review_extracted(extract(path))


class _Unit(BaseModel):
    """A sentence, or a whole table row, and the block it comes from."""

    text: str
    block: Block


def review_extracted(doc: Extracted) -> PolicyReview:
    rules = _rules()
    blocks = _with_step_lines(doc.blocks, rules)
    body = [b for b in blocks if b.kind != "heading"]
    sections: dict[object, list[Block]] = {}
    for block in blocks:
        sections.setdefault(_section_key(block), []).append(block)
    send_clause = _policy_wide(body, rules)

    menus = _menu_items(body, rules)
    ladders = _ladder_items(body, rules) - menus
    units = _units(body, rules)
    judged = [(unit, [] if id(unit.block) in menus else _fixed_rules(unit, rules, id(unit.block) in ladders))
              for unit in units]
    _by_meaning(judged, rules, menus, ladders)

    findings: list[RuleFinding] = []
    second_look: list[SecondLook] = []
    for unit, matched in judged:
        block, sentence = unit.block, unit.text
        if not matched:
            if _names_sanction(sentence, rules) and len(second_look) < MAX_SECOND_LOOK:
                second_look.append(SecondLook(quote=sentence, location=block.location))
            continue
        pathway = _pathway(sentence, block, sections.get(_section_key(block), []), rules) or send_clause
        reach: Reach = pathway.reach if pathway else "none"
        if pathway is send_clause and pathway is not None:
            pathway = Pathway(reach="policy", label=pathway.label, quote=pathway.quote, location=pathway.location)
        cards = list(dict.fromkeys(c for rule in matched for c in rule["cards"]))
        if reach in ("policy", "none") and "equality-act-reasonable-adjustments" not in cards:
            cards.append("equality-act-reasonable-adjustments")
        findings.append(RuleFinding(
            rules=[r["id"] for r in matched], labels=[r["label"] for r in matched],
            quote=sentence, location=block.location, page=block.page, section=block.section,
            paragraph=block.paragraph, step=block.step, row=block.row, pathway=pathway or Pathway(reach="none"),
            concern=reach in ("policy", "none"), question=" ".join(matched[0]["question"].split()),
            cards=cards,
        ))

    whole = "\n".join(b.text for b in body)
    elements = [_expected(element, body, sections, rules, whole, findings) for element in rules.expected]
    return PolicyReview(
        file=doc.name, kind=doc.kind, pages=doc.pages, findings=findings, elements=elements,
        send_clause=send_clause, second_look=second_look,
        card_notes={k: " ".join(v.split()) for k, v in rules.cards.items()},
    )


# A ladder step's label opening a line ("C3 …", "Level 2 …") with no separator after it
_STEP_OPENING = re.compile(r"^(?:[A-Z]{1,3}[1-9][a-z]?\+?|(?i:stage|level|step|consequence|tier)\s+[1-9][a-z]?)\s+(?=\S)")


def _with_step_lines(blocks: list[Block], rules: _Rules) -> list[Block]:
    """A short line that opens with a step's label and goes straight on to the step's outcome ("C3 pupil
    sent to another class – detention set", "Level 4 internal exclusion"), which a Word document or a
    plain-text reader takes for a heading, is the step itself: read as a step line, not as a title."""
    out = []
    for block in blocks:
        label = _STEP_OPENING.match(block.text) if block.kind == "heading" else None
        rest = block.text[label.end():] if label else ""
        if label and len(block.text.split()) <= 12 and not _FINITE.search(rest) and _leads_with_outcome(rest, rules) \
                and not rules.hedged_sentence.search(rest):
            block = block.model_copy(update={"kind": "item", "step": label.group(0).strip()})
        out.append(block)
    return out


def _section_key(block: Block) -> object:
    return block.section if block.section is not None else ("page", block.page)


def _masked(sentence: str, rules: _Rules) -> str:
    """The sentence with outcomes that are not the pupil's ("a text will be sent home") blanked out."""
    return rules.not_outcome.sub(lambda m: "_" * len(m.group(0)), sentence)


def _names_sanction(sentence: str, rules: _Rules) -> bool:
    return bool(rules.sanction.search(_masked(sentence, rules)))


# A leading clause that sets the scene ("Where a pupil is suspended, the school sets work"):
# a sanction named only there is the condition the sentence starts from, not the outcome it sets.
_CONDITION = re.compile(r"^\s*(?:where|when|whenever|if|once|while|whilst|after|before|following|during|with)\b"
                        r"(?:(?!\b(?:will|shall|must)\b)[^,;:])*[,;:]", re.IGNORECASE)  # ends before the main verb


# Care for a pupil who is ill or hurt ("Any pupil who is unwell will be sent home with a parent"): the
# same words as a sanction, but nothing the pupil did sets it ("behave poorly" is no illness)
_CARE = re.compile(r"\b(?:unwell|illness|sick|injured|injury|medical|first[- ]aid(?:er)?)\b|\b(?:is|are|feels?|feeling|"
                   r"felt|becomes?|became|falls?|fell|taken)\s+(?:very\s+|too\s+)?(?:ill|poorly)\b", re.IGNORECASE)

# What everyone is allowed to do, and where ("Students are only allowed to use phones at break in the
# canteen"): a permission for all, with no outcome for a behaviour
_PERMITTED = re.compile(r"\b(?:(?:is|are)\s+only\s+(?:allowed|permitted)|can\s+only|(?:is|are)\s+(?:allowed|permitted)\s+to)\b",
                        re.IGNORECASE)


# A sanction described by what it stands in for ("Students are referred to the unit as an alternative to
# suspension"), with no behaviour or trigger named: it says what the sanction is for, not who gets it.
_IN_PLACE_OF = re.compile(r"\b(?:as\s+an?\s+alternative\s+to|(?:is|are)\s+an?\s+alternative\s+to|instead\s+of|in\s+place\s+of|"
                          r"second\s+only\s+to)\b", re.IGNORECASE)
_TRIGGER = re.compile(r"\b(?:who|whose|if|when|whenever|once|after|following|caught|found|each\s+time|every\s+time|"
                      r"for\s+(?:any|a|an|the|persistent|repeated|serious|\w+ing)\b)|\b\w+ing\b\s*:", re.IGNORECASE)


def _describes_in_place_of(unit: _Unit) -> bool:
    return (not unit.block.step and not unit.block.cells and bool(_IN_PLACE_OF.search(unit.text))
            and not _TRIGGER.search(unit.text))


# A document's title naming its topic ("Letter to Parents – Detentions", "Update for families: isolation"):
# the sanction after the dash is what the document is about, not an outcome set for a behaviour.
_DOCUMENT_TITLE = re.compile(
    r"^\s*(?:[\w'’&]+\s+){0,4}?(?:letters?|updates?|notices?|information|news(?:letter)?|bulletins?|messages?|notes?|"
    r"guidance|faqs?|questions|polic(?:y|ies)|procedures?|guides?)(?:\s+(?:to|for)\s+(?:all\s+)?[\w'’/&]+(?:\s+(?:and|&)\s+[\w'’]+)?)?"
    r"\s*(?:[:–—|]|\s-)\s*[^.!?]{1,60}$", re.IGNORECASE)


def _fixed_rules(unit: _Unit, rules: _Rules, in_ladder: bool = False) -> list[dict]:
    if (unit.block.cells and _row_leaves_room(unit.block, rules)) or _CARE.search(unit.text) or _describes_in_place_of(unit):
        return []
    if _DOCUMENT_TITLE.match(unit.text) and not _FINITE.search(unit.text):
        return []
    if not unit.block.cells and unit.text.rstrip().endswith("?"):  # a question ("What happens if …?") sets nothing
        return []
    sentence = _masked(unit.text, rules)
    condition = _CONDITION.match(sentence)
    condition_end = condition.end() if condition else 0
    # "If appropriate, …", "Where possible, …": the whole sentence is hedged
    opens_hedged = bool(condition) and len(condition.group(0).split()) <= 3 and bool(
        rules.hedged_sentence.search(condition.group(0)))
    found = []
    for rule in ([] if opens_hedged else rules.fixed):
        if rule["needs"] is not None and not rule["needs"].search(sentence):
            continue
        for pattern in rule["patterns"]:
            if any(m.end() > condition_end and not _hedged(sentence, m, condition_end)
                   and not _match_only_setting(sentence, m, rules) and not _in_trailing_condition(sentence, m)
                   for m in pattern.finditer(sentence)):
                found.append(rule)
                break
    if not any(r["id"] == "tariff" for r in found) and (
            (unit.block.cells and _tariff_row(unit.block, rules)) or _under_outcome_heading(unit, rules)):
        found.append(_rule("tariff"))
    if not found and _step_outcome(unit, rules, in_ladder):
        found.append(_rule("ladder"))
    return found


def _step_outcome(unit: _Unit, rules: _Rules, in_ladder: bool = False) -> bool:
    """A line under a ladder step that is nothing but an outcome ("30 minute detention after school",
    "Removal to the reflection room"): the step's consequence, the ladder written as headings and
    lists. A whole sentence describes the step instead; a hedged line leaves room."""
    block, text = unit.block, unit.text.strip()
    # a short paragraph straight under the step's heading ("Isolation") is the step's subtitle
    return ((bool(block.step) or in_ladder) and (block.kind == "item" or (block.kind == "paragraph" and not _title(text)))
            and text == _LIST_MARK.sub("", block.text).strip() and len(text.split()) <= 12
            and not _FINITE.search(text) and not text.endswith("?")
            and _leads_with_outcome(text, rules) and not rules.hedged_sentence.search(text)
            and not _sanction_only_as_setting(text, rules) and not _pathway_in(text, rules, ("sentence", "section")))


def _leads_with_outcome(text: str, rules: _Rules) -> bool:
    """The line opens with its outcome ("30 minute detention…", "Pupil placed in isolation…"),
    as a step's consequence does; an outcome further in is part of something else."""
    found = rules.outcome.search(_masked(text, rules))
    return bool(found) and len(text[:found.start()].split()) <= 3


_FINITE = re.compile(r"\b(?:will|shall|must|should|would|is|are|was|were|be|been|has|have|had|can|may)\b", re.IGNORECASE)


def _under_outcome_heading(unit: _Unit, rules: _Rules) -> bool:
    """A short list item under a heading that is only an outcome: a behaviour that earns it.
    Tariff lists name behaviours as fragments ("Swearing", "Late to lessons"); an item that
    is a whole sentence ("Reset will start the next day") describes the outcome instead."""
    block = unit.block
    return (block.kind == "item" and not block.step and bool(block.section) and unit.text == block.text
            and not _FINITE.search(unit.text)
            and bool(rules.outcome_heading.fullmatch(block.section or ""))
            and len(unit.text.split()) <= 14 and not unit.text.rstrip().endswith("?")
            and not rules.hedged_sentence.search(unit.text))


def _tariff_row(block: Block, rules: _Rules) -> bool:
    """A table row whose outcome column (Sanction, Consequence, Action…) names an outcome, with no
    outcome cell of the row hedging it ("Permanent exclusion | … may be considered")."""
    outcomes = _outcome_cells(block, rules)
    return any(_names_sanction(cell, rules) for cell in outcomes) and not _row_leaves_room(block, rules)


def _outcome_cells(block: Block, rules: _Rules) -> list[str]:
    return [cell for header, cell in block.cells or []
            if rules.outcome_column.search(header) and not rules.guide_column.search(header)]


def _row_leaves_room(block: Block, rules: _Rules) -> bool:
    """A row one of whose outcome cells hedges ("… permanent exclusion may be considered"), or whose
    outcomes stand only under a guide header ("Possible response", "Suggested sanctions"): the row's
    outcome is open, whatever another cell names."""
    guided = [cell for header, cell in block.cells or []
              if rules.guide_column.search(header) and rules.outcome_column.search(header)]
    outcomes = _outcome_cells(block, rules)
    return any(rules.hedged_sentence.search(cell) for cell in outcomes) or (bool(guided) and not outcomes)


# "1. ", "b) ", "iv. " opening a numbered list item: the number is the list's, not the sentence's
_LIST_MARK = re.compile(r"^\s*(?:\d{1,2}|[a-h]|[ivx]{1,4})[.)]\s+(?=\S)", re.IGNORECASE)


def candidate_units(doc: Extracted) -> list[str]:
    """The sentences and table rows the classifier may be asked about, as the review splits them
    (for building its training sentences from labelled policies)."""
    body = [b for b in _with_step_lines(doc.blocks, _rules()) if b.kind != "heading"]
    return [u.text for u in _units(body, _rules()) if not _title(u.text) and len(u.text.split()) <= MAX_RULE_WORDS]


def _units(body: list[Block], rules: _Rules) -> list[_Unit]:
    """What the review judges: each sentence, and each table row whole. A list item that finishes
    its lead-in's sentence ("Pupils who hurt someone will:" - "miss their next playtime"), or names a
    behaviour its lead-in sets the outcome for ("These always lead to a suspension:" - "carrying a
    blade"), is read with it; the lead-in is then read only through its items."""
    completes = _completions(body, rules)
    carried = {id(lead) for lead, _ in completes.values()}
    units: list[_Unit] = []
    for block in body:
        if block.kind == "table":
            units.append(_Unit(text=block.text, block=block))
            continue
        sentences = split_sentences(_LIST_MARK.sub("", block.text))
        if id(block) in carried:
            sentences = sentences[:-1]
        if id(block) in completes and sentences:
            sentences[0] = f"{completes[id(block)][1]} {sentences[0]}"
        units.extend(_Unit(text=t, block=block) for t in sentences)
    return units


# A lead-in that stops mid-sentence before its list ("Pupils who are late will:", "Those caught are:").
_UNFINISHED = re.compile(r"\b(?:will|shall|must|are|is|be|(?:has|have|need|needs)\s+to|receive|get|face)\s*:\s*$",
                         re.IGNORECASE)


def _completions(body: list[Block], rules: _Rules) -> dict[int, tuple[Block, str]]:
    """List items read with their lead-in: item id -> (lead block, the lead's last sentence, without
    its colon where the item finishes it). A lead that leaves room ("they may:") makes a menu."""
    out: dict[int, tuple[Block, str]] = {}
    lead: tuple[Block, str] | None = None
    for block in body:
        if block.kind == "item" and lead is not None and block.section == lead[0].section:
            out[id(block)] = lead
            continue
        lead = None
        if block.kind in ("item", "table") or not block.text.rstrip().endswith(":"):
            continue
        last = (split_sentences(block.text) or [""])[-1]
        if not last or rules.hedged_sentence.search(last) or _MENU_LEAD.search(last):
            continue
        if _UNFINISHED.search(last):
            lead = (block, last.rstrip().rstrip(":").rstrip())
        elif _fixed_rules(_Unit(text=last, block=block), rules):  # "The following always lead to a suspension:"
            lead = (block, last.rstrip())
    return out


def _menu_items(body: list[Block], rules: _Rules) -> set[int]:
    """List items offered as a menu: a lead-in that leaves room ("A range of options may be
    considered:", "Sanctions include:") makes the list under it examples, not a tariff."""
    out: set[int] = set()
    lead: Block | None = None
    for block in body:
        if block.kind != "item":
            lead = block if block.text.rstrip().endswith((":", ";")) else None
            continue
        if lead is not None and lead.section == block.section and (
                rules.hedged_sentence.search(lead.text) or _MENU_LEAD.search(lead.text)):
            out.add(id(block))
    return out


_MENU_LEAD = re.compile(r"\b(?:include|includes|including|options|examples?|might\s+be|strategies|interventions?|"
                        r"techniques|available|choose|choice)\b", re.IGNORECASE)

# A lead-in that sets out a sequence of outcomes ("The consequences increase in severity and are as
# follows:", "The steps we follow are:", "The following sanctions are used:"): the list under it is a
# ladder written without step labels.
_LADDER_LEAD = re.compile(
    r"(?=.*\b(?:consequences?|sanctions?|steps?|stages?|levels?|ladder)\b)"
    r".*\b(?:steps?|stages?|levels?|ladder|hierarchy|sequence|in\s+order|increas\w*\s+in\s+(?:severity|seriousness)|"
    r"escalat\w*|as\s+follows|the\s+following)\b"
    # or a system said to be applied in a fixed order ("the following system must be applied in order:")
    r"|\b(?:system|procedure|process|approach)\b.*\b(?:applied|followed|used|work\w*)\s+(?:strictly\s+)?in\s+(?:this\s+)?"
    r"(?:order|sequence|turn)\b", re.IGNORECASE)


def _ladder_items(body: list[Block], rules: _Rules) -> set[int]:
    """List items under a lead-in that sets out a sequence of outcomes (see _LADDER_LEAD), with no
    hedge in the lead: each item is a step of the ladder, read as a step under a heading would be."""
    out: set[int] = set()
    lead: Block | None = None
    run: list[Block] = []
    for block in [*body, None]:
        if block is not None and block.kind == "item" and lead is not None and block.section == lead.section:
            run.append(block)
            continue
        if len(run) >= 3:
            out.update(id(b) for b in run)
        run = []
        lead = block if block is not None and block.kind != "item" and block.text.rstrip().endswith(
            (":", ":-", ":–")) and _LADDER_LEAD.search(block.text) and not rules.hedged_sentence.search(
            block.text) and not _MENU_LEAD.search(block.text) else None
    return out


def _by_meaning(judged: list[tuple[_Unit, list[dict]]], rules: _Rules, menus: set[int] = frozenset(),
                ladders: set[int] = frozenset()) -> None:
    """Ask the classifier about every sentence no pattern caught that leaves no room in its wording
    (not a title, a question or an item of a menu); flag the rule-like ones. The classifier reads
    meaning, words and modality, so a rule need not use a sanction word the patterns know."""
    asked = [(i, unit) for i, (unit, matched) in enumerate(judged)
             if not matched and id(unit.block) not in menus and not unit.text.rstrip().endswith("?")
             and not _leaves_room(unit.text, rules)
             and (not _title(unit.text) or (id(unit.block) in ladders and len(unit.text.split()) >= 3))
             and len(unit.text.split()) <= MAX_RULE_WORDS and not _not_the_pupils(unit.text, rules)
             and not _STAFF_WONT.search(unit.text) and not _NOT_GIVEN.search(unit.text)
             and not (_STAFF_DUTY.search(unit.text) and not _names_sanction(unit.text, rules))
             and not (_NEGATED_MODAL.search(unit.text) and not _names_sanction(unit.text, rules)
                      and not _LOSS.search(unit.text))
             # a reward's own length ("30 minutes of free time") is no sanction: only a sanction named beside it counts
             and not (_REWARD.search(unit.text) and not rules.named_sanction.search(_masked(unit.text, rules))
                      and not _LOSS.search(unit.text))
             and not _OFFERED.search(unit.text) and not _CARE.search(unit.text) and not _describes_in_place_of(unit)
             and not _HANDS_ON_DECISION.search(unit.text)
             and not (_ARRIVAL_ROUTINE.search(unit.text) and not _names_sanction(unit.text, rules))
             and not (_PERMITTED.search(unit.text) and not _names_sanction(unit.text, rules))
             and not (_PROVIDED.search(unit.text) and not _names_sanction(unit.text, rules) and not _LOSS.search(unit.text))
             and not _sanction_only_as_setting(unit.text, rules) and not _runs_a_sanction(unit.text, rules)
             and not _pathway_in(unit.text, rules, ("sentence", "section"))]  # a route is not a rule
    if not asked:
        return
    from assistant.policy_classifier import get_classifier

    for (i, unit), p in zip(asked, get_classifier().probabilities([u.text for _, u in asked])):
        in_ladder = bool(unit.block.step) or id(unit.block) in ladders
        structured = in_ladder or bool(unit.block.cells)  # a ladder step or a table row
        cued = bool(rules.rule_cue.search(_masked(unit.text, rules)))
        bar = rules.threshold_in_step if structured else rules.threshold if cued else rules.threshold_uncued
        if p >= bar:
            kind = "ladder" if in_ladder else "tariff" if unit.block.cells else "fixed-by-meaning"
            judged[i][1].append(_rule(kind))


# Where one clause of a sentence ends and the next begins: a comma, a semicolon, a dash, "and", "but"
_CLAUSE = re.compile(r"\s*(?:[,;]\s*(?:and|but|or)?|\s[–—-]\s|\band\b|\bbut\b)\s*", re.IGNORECASE)
_RULE_CLAUSE = re.compile(r"\b(?:will|shall|must|is|are|automatically)\b|=|→", re.IGNORECASE)


def _leaves_room(text: str, rules: _Rules) -> bool:
    """Whether the clause that sets the outcome hedges it. A hedge in another clause ("…and
    can be collected at the end of the day", "If neither option is possible, …") leaves the
    rule itself as fixed as before; a sentence with no clause that sets anything is read whole."""
    if _HEDGED_MAIN_VERB.match(text):
        return True
    clauses = [c for c in _CLAUSE.split(text) if c and c.strip()]
    ruling = next((c for c in clauses if _RULE_CLAUSE.search(c) or rules.sanction.search(_masked(c, rules))), None)
    return bool(rules.hedged_sentence.search(_RELATIVE_MODAL.sub(" ", ruling if ruling is not None else text)))


# A modal inside the subject ("Pupils who might be carrying a lighter will …") describes whom the rule reaches;
# it does not hedge the outcome.
_RELATIVE_MODAL = re.compile(r"\b(?:who|that)\s+(?:may|might|could|can)\b", re.IGNORECASE)


# The sentence's own verb hedged ("A pupil may be kept in for other reasons, such as … a sanction"): the
# outcome is left open even when the sanction word stands in a later clause. (Not a leading condition,
# nor a modal inside the subject: "If they can't settle, …" and "Any pupil who may have a vape will be
# searched" keep their rules.)
_HEDGED_MAIN_VERB = re.compile(
    r"^\s*(?!(?:if|when|whenever|where|once|unless|while|whilst|after|before|until|as)\b)"
    r"(?:(?!(?:will|shall|must|is|are|who|that|which)\b)[\w'’()/-]+\s+){1,6}?(?:may|might|could|can(?!\s+only))\s+(?!not\b)",
    re.IGNORECASE)


# What staff undertake not to do ("Staff will not exclude a pupil for lateness") limits them; it sets
# no outcome for a pupil.
_STAFF_WONT = re.compile(
    r"^\s*(?:staff|we|teachers?|adults|the\s+(?:school|academy|college|headteacher|head))\s+(?:(?:will|shall|must|do|does|"
    r"should|would|can)\s*(?:not\b|n't)|never\b)", re.IGNORECASE)


# What staff do in their job ("The adults on duty deal with problems at playtime", "Teachers greet pupils
# at the door"), with no sanction named: a duty of staff, not an outcome for a pupil.
_STAFF_DUTY = re.compile(
    r"(?:^|[.)]\s+|^(?:if|when|whenever|where|once|should)\b[^,;]{0,80},\s*)(?:the\s+|all\s+|our\s+|every\s+|each\s+)?"
    r"(?:adults?|staff|teachers?|members?\s+of\s+staff|"
    r"(?:class|form|duty|subject)\s+teachers?|tutors?|(?:lunchtime|midday)\s+(?:staff|supervisors?|adults?)|"
    r"teaching\s+assistants?|(?:the\s+)?(?:headteacher|head\s+teacher|deputy\s+head\w*|SENCO|DSL))"
    r"(?:\s+on\s+duty)?\s+(?:will\s+|must\s+|should\s+|always\s+)?(?!(?:be\s+)?(?:give|issue|send|set|put|place|"
    r"remove|exclude|suspend|isolate)\w*\b)[a-z]+", re.IGNORECASE)


# An outcome the sentence withholds or takes back ("A detention will not be given for a first
# offence", "is never used for lateness", "a merit cancels out a warning") limits sanctions; it sets none.
_NOT_GIVEN = re.compile(
    r"\b(?:will|shall|must|should|would|is|are|do|does|can)\s*(?:not\b|n't)\s+(?:be\s+)?(?:given|issued|set|used|imposed|"
    r"applied|awarded|result|lead)\b|\b(?:is|are|be)\s+never\s+(?:given|issued|set|used|imposed|applied)\b|"
    r"\bnever\s+(?:results?|leads?)\s+(?:in|to)\b|"
    r"\b(?:will|shall|must|should|can|is|are)\s+never\s+(?:be\s+)?(?:put|placed|kept|held|sent|removed|isolated|excluded|suspended)\b|\bcancel(?:s|led)?\s+out\b|\bwipes?\s+(?:out|off)\b|"
    # who a sanction is not used for ("Pupils in Year 1 will not be sent to the quiet room"): an exemption
    r"\b(?:will|shall|must|should|is|are)\s*(?:not\b|n't)\s+(?:be\s+)?(?:sent|put|placed|moved|isolated|excluded|suspended)\s+(?:to|in(?:to)?|from|out|home)\b", re.IGNORECASE)


# A negated duty with no sanction in it ("A pupil should not be left in the corridor alone", "Phones
# must not be used in lessons") says what must not happen, not what the pupil's outcome is.
_NEGATED_MODAL = re.compile(r"\b(?:will|shall|must|should|can)\s*(?:not\b|n't)|\bnever\b", re.IGNORECASE)


# A reward with no sanction beside it ("Full attendance earns a certificate") sets an outcome, but
# not one a pupil could be disadvantaged by in the way a sanction can.
_REWARD = re.compile(
    r"\b(?:rewards?|rewarded|prizes?|certificates?|merits?|praised?|postcards?|(?:house|achievement|reward|positive)\s+"
    r"points?|stickers?|commendations?|treats?|troph(?:y|ies)|vouchers?|badges?|celebrat\w*|earn(?:s|ed|ing)?|golden\s+time|"
    r"free\s+time|extra\s+play(?:time)?)\b", re.IGNORECASE)


# Something lent, offered or given in support ("Pupils without a blazer are lent one from reception", "A
# child who ran out will be welcomed back", "given space") with no sanction beside it: help, not a sanction.
_PROVIDED = re.compile(r"\b(?:lent|loaned|borrow\w*|offered|provided(?:\s+with)?|welcomed|supported|helped|comforted|reassured|"
                       r"listened\s+to|given\s+(?:a\s+|an\s+|the\s+|another\s+)?(?:spare|loan|replacement|help|support|"
                       r"space|time\s+to|chance|work|homework|resources|materials))\b", re.IGNORECASE)


# What everyone does on arriving ("When pupils arrive, phones are switched off and handed to the tutor"):
# a routine for all, set by the time of day rather than by anything a pupil did.
_ARRIVAL_ROUTINE = re.compile(
    r"^\s*(?:once|when|on|upon|as\s+soon\s+as)\s+(?:(?:your|their|the|a|each|every)\s+)?(?:child(?:ren)?|pupils?|students?|"
    r"learners?|they|arrival|entering|entry|arriving)\b(?:\s+(?:\w+\s+){0,2}?(?:arrives?|arrival|enters?|gets?\s+to|reach(?:es)?|"
    r"comes?\s+(?:in(?:to)?|to)|walks?\s+(?:in(?:to)?|through)))?(?![^.;]*\blate\b)(?=[^.;]*\b(?:site|school|academy|"
    r"class(?:room)?|building|gates?|morning|day|arrival|arrive)\b)", re.IGNORECASE)


# A step that calls someone in to decide ("A senior leader is called to decide what happens next"): the
# outcome is left to that decision.
_HANDS_ON_DECISION = re.compile(r"\bto\s+(?:make\s+(?:a|the)\s+decision|decide)\b", re.IGNORECASE)


# Outcomes offered as possibilities ("Possible outcomes include …", "Sanctions can include …").
_OFFERED = re.compile(r"\b(?:possible|potential)\s+(?:outcomes?|sanctions?|consequences?|responses?)\b|"
                      r"\b(?:sanctions?|consequences?|outcomes?|responses?)\s+(?:may\s+|can\s+|could\s+)?include\b",
                      re.IGNORECASE)


# Losing a reward or a privilege is a sanction, whatever it is called.
_LOSS = re.compile(r"\b(?:lose|loses|losing|lost|loss|miss|misses|forfeit\w*|withdrawn|removed|taken\s+away|banned|barred|"
                   r"not\s+(?:be\s+)?(?:allowed|able|eligible|permitted))\b", re.IGNORECASE)


# A sanction named as where or when something else happens ("Students in isolation have lunch
# at 12.30", "Work is provided for pupils who are internally excluded", "after any suspension",
# "Students who receive a detention will have the reasons explained"): the pupil the sentence is
# about already has the sanction; what it sets is something else.
_SETTING_LEAD = re.compile(
    r"(?:(?:\b(?:students?|pupils?|children|child|learners?|those|anyone|everyone)\s+(?:who\s+(?:are|is|were|have\s+been|"
    r"has\s+been)\s+)?(?:currently\s+)?(?:in|on|during|attending|serving|sitting)|\b(?:who|that)\s+(?:are|is|were|was|"
    r"have\s+been|has\s+been)\s+(?:currently\s+)?(?:(?:placed|put|sent|given|issued\s+with)\s+(?:in(?:to)?|to|on)?\s*)?|"
    r"\b(?:during|after|following|throughout)|\b(?:while|whilst)\s+(?:in|on|serving|attending|sitting))\s*"
    r"(?:(?:a|an|the|their|any|each|every|two|three|four|five|several|repeated|\d+)\s+)?"
    # "who receive a detention", "who have had a suspension": a count here ("who have had three
    # detentions") is a trigger, not a setting
    r"|\bwho\s+(?:receive[sd]?|get|gets|got|have|has|had|miss(?:es|ed)?)\s+(?:had\s+|received\s+|been\s+given\s+)?"
    r"(?:(?:a|an|the|their|any)\s+)?)$", re.IGNORECASE)


def _setting(masked: str, mention: re.Match, condition_end: int = 0) -> bool:
    """Whether this sanction is the setting of the sentence: named after a setting lead, or inside
    a leading condition ("If a pupil is sent to isolation, parents are phoned the same day")."""
    return mention.start() < condition_end or bool(_SETTING_LEAD.search(masked[:mention.start()])) or (
        bool(_BARE_SUBJECT.search(masked[:mention.start()])) and bool(_PARTICIPLE.match(mention.group(0)))
        and bool(_FINITE.search(masked[mention.end():])))


# "Pupils placed in the base must bring a packed lunch": a participle straight after the subject, with the
# sentence's own verb after it, names where the pupils already are (a step line "Pupil placed in isolation." has no verb).
_BARE_SUBJECT = re.compile(r"^\s*(?:the\s+|any\s+|all\s+)?(?:students?|pupils?|children|child|learners?)\s+$", re.IGNORECASE)
_PARTICIPLE = re.compile(r"(?:placed|put|sent|kept|held|taken|moved|referred|isolated|excluded|suspended)\b", re.IGNORECASE)


def _sanction_only_as_setting(text: str, rules: _Rules) -> bool:
    """Whether every sanction the sentence names is only the setting of something else, so the
    sentence describes what happens around a sanction rather than setting one."""
    masked = _masked(text, rules)
    condition = _CONDITION.match(masked)
    condition_end = condition.end() if condition else 0
    mentions = list(rules.sanction.finditer(masked))
    return bool(mentions) and all(_setting(masked, m, condition_end) for m in mentions) \
        and not rules.rule_cue.search(_blank_spans(masked, mentions)[condition_end:])


# How a sanction runs ("Isolation runs from 8.40 to 3.00 in the base", "Detentions are held in room 4"):
# the sanction is the subject, and the sentence says where or when it happens, not who gets it.
_RUNS = re.compile(r"\s*(?:sessions?\s+)?(?:runs?|take\s+place|takes\s+place|(?:is|are|will\s+be)\s+(?:held|run|"
                   r"supervised|staffed|located|based|open)|(?:will\s+)?(?:last|lasts|become|becomes)|starts?|begins?|"
                   r"finish(?:es)?|happens?|operates?)\b",
                   re.IGNORECASE)


def _runs_a_sanction(text: str, rules: _Rules) -> bool:
    """(Not when it also says who gets it: "Detentions last an hour and are given for any lateness".)"""
    mentions = list(rules.outcome.finditer(_masked(text, rules)))  # lengths ("30 minutes") aside
    return len(mentions) == 1 and len(text[:mentions[0].start()].split()) <= 3 and bool(
        _RUNS.match(text[mentions[0].end():])) and not _WHO_GETS_IT.search(text)


_WHO_GETS_IT = re.compile(r"\b(?:for|if|when|whenever|who|after|given|issued)\b", re.IGNORECASE)


# A condition that follows the main clause ("Parents are invited in if a pupil receives three
# detentions"): what it names is the trigger; the outcome is the main clause's.
# ("when" and "after" are left out: "who are late after 8.45", "who swear when spoken to" name the
# behaviour inside the subject, and the outcome still follows.)
_TRAILING_IF = re.compile(r"\b(?:if|whenever|once|unless)\b[^,;:]*$", re.IGNORECASE)
_RELATIVE = re.compile(r"\b(?:who|that|which)\s+(?:\w+\s+){0,3}", re.IGNORECASE)


# A sanction named after "before" a clause that deliberates ("Each case is looked at on its merits before
# anyone is suspended", "Staff hear the pupil out before a detention is set"): the sentence is about the
# weighing that comes first, not the outcome.
_TRAILING_BEFORE = re.compile(r"\bbefore\b[^,;:]*$", re.IGNORECASE)
_DELIBERATES = re.compile(r"\b(?:consider\w*|discuss\w*|review\w*|check\w*|investigat\w*|listen\w*|hear[sd]?|heard|"
                          r"speak\w*|spoken|talk\w*|meet\w*|met|decid\w*|look\w*\s+(?:at|into)|merits|weigh\w*|"
                          r"explor\w*|ask\w*)\b", re.IGNORECASE)


def _in_trailing_condition(sentence: str, match: re.Match) -> bool:
    found = _TRAILING_IF.search(sentence[:match.start()])
    if not found:
        found = _TRAILING_BEFORE.search(sentence[:match.start()])
        if found and not _DELIBERATES.search(sentence[:found.start()]):
            return False
    return bool(found) and bool(_FINITE.search(_RELATIVE.sub(" ", sentence[:found.start()])))


def _match_only_setting(sentence: str, match: re.Match, rules: _Rules) -> bool:
    """A pattern's match whose every sanction is the sentence's setting ("Students serving a detention
    will be given a drink"): it sets nothing for the pupil."""
    mentions = [m for m in rules.sanction.finditer(sentence) if match.start() <= m.start() < match.end()]
    return bool(mentions) and all(_SETTING_LEAD.search(sentence[:m.start()]) and not _PUT_IN.search(sentence[:m.start()])
                                  for m in mentions)


# "will put the student in isolation": the pupil is the object of a verb that places them, so "student in
# isolation" is where the sentence sends them, not where they already are
_PUT_IN = re.compile(r"\b(?:put|puts|place|places|send|sends|keep|keeps|move|moves)\s+(?:the\s+|that\s+|this\s+)?"
                     r"(?:students?|pupils?|child(?:ren)?|learners?|them|him|her)\s+(?:in(?:to)?|on)\s+(?:a\s+|an\s+|the\s+)?$",
                     re.IGNORECASE)


def _blank_spans(text: str, spans: list[re.Match]) -> str:
    out = list(text)
    for m in spans:
        out[m.start():m.end()] = "_" * (m.end() - m.start())
    return "".join(out)


def _not_the_pupils(text: str, rules: _Rules) -> bool:
    """Work or a letter sent home, a name taken off the register: an outcome that is not the pupil's,
    with no other sanction beside it."""
    return bool(rules.not_outcome.search(text)) and not rules.rule_cue.search(_masked(text, rules))


def _title(text: str) -> bool:
    """A few words with no verb ("Fixed term exclusion", a step's subtitle) name a step; they set no rule."""
    return len(text.split()) < 3 or (len(text.split()) <= 6 and not _FINITE.search(text)
                                     and not re.search(r"[:=→–—-]", text))


def _rule(rule_id: str) -> dict:
    return next(r for r in _rules().fixed if r["id"] == rule_id)


def _hedged(sentence: str, match: re.Match, condition_end: int = 0) -> bool:
    """A hedge just before the match ("may result in") or before its verb ("three lates may lead to").
    A leading condition with content of its own ("If neither option is possible, …") is not a
    hedge on the outcome after it; a bare one ("If appropriate, …", "Where possible, …") is."""
    rules = _rules()
    start = max(0, match.start() - 60)
    if condition_end and match.start() >= condition_end and len(sentence[:condition_end].split()) > 3:
        start = max(start, condition_end)
    words = re.findall(r"[\w']+", sentence[start:match.start()])[-3:]
    # "not" or "never" negates the match only next to it ("does not (automatically) result in"); further back it is
    # the behaviour's ("Pupils who do not complete homework will be given …")
    negated = any(w.lower() in ("not", "never") for w in words[-2:])
    return bool(negated or rules.hedges_before.search(" ".join(words)) or rules.hedged_verbs.search(match.group(0))
                or _DECIDED_CASE_BY_CASE.search(sentence[:match.start()]))


# Wording before the outcome that leaves it to a decision ("the headteacher may decide that the
# pupil will be suspended", "staff choose whether …", "in exceptional circumstances …").
_DECIDED_CASE_BY_CASE = re.compile(
    r"\b(?:decide[sd]?|choose|chooses|determine[sd]?|consider[sd]?|judge[sd]?)\s+(?:that|whether|if)\b|"
    r"\bin\s+(?:some|certain|exceptional|rare|a\s+few|most)\s+(?:cases|circumstances|instances)\b", re.IGNORECASE)


def _bare(sentence: str, rules: _Rules) -> str:
    """The sentence with SEND words that open no route blanked out: another policy's title,
    disability named as misconduct, and a plan, meeting or SENCO referral that is a further
    step after the outcome ("support plan put in place") rather than room to reconsider it."""
    return rules.further_step.sub(" ", rules.not_route.sub(" ", sentence))


# A list item that only names a plan or a person ("- Personal support plans" in a list of
# interventions) names something on offer; it gives staff no room in applying a rule.
_NAMES_ONLY = frozenset({"plan", "senco"})
# Pathways that name who or what the pupil has rather than what staff may do about the rule.
_NAMES_NEEDS = frozenset({"send", "plan", "senco"})


def _support_only(bare: str, rules: _Rules) -> bool:
    """Support towards the standard and nothing that adjusts, weighs or sets the rule aside."""
    return bool(rules.support_only.search(bare)) and not any(
        p["pattern"].search(bare) for p in rules.pathways if p["id"] not in _NAMES_NEEDS)


def _usable(pathways: list[dict], bare: str, bare_item: bool, rules: _Rules) -> list[dict]:
    """The pathways that can open a route in this (blanked) sentence: SEND, a plan or the SENCO
    only where the sentence also gives room, and never from a list item that only names a plan
    or a person."""
    names_only = _support_only(bare, rules) or not rules.general_room.search(bare)
    return [p for p in pathways if not ((bare_item and p["id"] in _NAMES_ONLY) or (names_only and p["id"] in _NAMES_NEEDS))]


def _pathway_in(text: str, rules: _Rules, reaches: tuple[str, ...], block: Block | None = None) -> tuple[dict, str] | None:
    """The first pathway in text, looking sentence by sentence and skipping negated ones. SEND,
    a plan or the SENCO count only where the sentence also gives room ("the SENCO agrees an
    alternative"), not where it only names them ("pupils with SEND are more often bullied")."""
    bare_item = block is not None and block.kind == "item" and _title(_LIST_MARK.sub("", text))
    for sentence in split_sentences(text):
        if rules.negations.search(sentence):
            continue
        bare = _bare(sentence, rules)
        for pathway in _usable(rules.pathways, bare, bare_item, rules):
            if pathway["reach"] in reaches and pathway["pattern"].search(bare):
                return pathway, sentence
    return None


def _pathway(sentence: str, block: Block, section: list[Block], rules: _Rules) -> Pathway | None:
    found = _pathway_in(sentence, rules, ("sentence", "section"))
    if found:
        return Pathway(reach="sentence", label=found[0]["label"], quote=found[1], location=block.location)
    step = [b for b in section if block.step and b.step == block.step and b is not block]
    for other in [block, *step]:
        found = _pathway_in(other.text, rules, ("section",), other)
        if found:
            return Pathway(reach="paragraph", label=found[0]["label"], quote=found[1], location=other.location)
    for other in [block, *step]:
        room = next((s for s in split_sentences(other.text) if s != sentence and _reopens(s, sentence, rules)), None)
        if room:
            return Pathway(reach="paragraph", label="room to decide differently about the same outcome",
                           quote=room, location=other.location)
    for other in section:
        if other is block or other.kind == "heading":  # a heading names a topic; it is no pathway
            continue
        found = _pathway_in(other.text, rules, ("section",), other)
        if found:
            return Pathway(reach="section", label=found[0]["label"], quote=found[1], location=other.location)
    return None


_REDECIDE = re.compile(
    r"\b(?:may|can|could|might)\s+(?:\w+\s+)?(?:be\s+)?(?:waive|waived|reduce|reduced|change|changed|adapt|adapted|adjust|"
    r"adjusted|defer|deferred|postpone|postponed|cancel|cancelled|lift|lifted|vary|varied|decide|agree|choose|set\s+aside)\b",
    re.IGNORECASE)


def _reopens(other: str, rule: str, rules: _Rules) -> bool:
    """A neighbouring sentence that leaves room to decide differently about the outcome this rule
    sets ("The head of year may waive the detention where there is a good reason"): read from its
    modality and the outcome it shares with the rule, not from SEND words."""
    if rules.negations.search(other) or not _REDECIDE.search(other):
        return False
    def heads(text: str) -> set[str]:  # "lunchtime detention" and "the detention" share "detention"
        return {m.group(0).split()[-1].lower().rstrip("s") for m in rules.sanction.finditer(_masked(text, rules))}

    shared, theirs = heads(rule), heads(other)
    return bool(shared & theirs) or bool(re.search(r"\b(?:it|this|the\s+(?:sanction|consequence|step))\b", other, re.I))


def _policy_wide(body: list[Block], rules: _Rules) -> Pathway | None:
    """The policy's general SEND statement, if it has one (a weaker pathway). A general
    statement stands on its own: not an item of one ladder step or table row (that
    belongs to its own step), not a list of linked policies, and it gives room in
    responding to behaviour rather than only naming SEND, a plan or the SENCO."""
    wide = [p for p in rules.pathways if p.get("policy_wide")]
    linked = {id(b) for b in _linked(body)}
    for block in body:
        if block.step or block.cells or id(block) in linked:
            continue
        for sentence in split_sentences(block.text):
            if rules.negations.search(sentence) or _fixed_rules(_Unit(text=sentence, block=block), rules):
                continue
            bare = _bare(sentence, rules)
            for pathway in _usable(wide, bare, block.kind == "item" and _title(sentence), rules):
                if pathway["pattern"].search(bare):
                    return Pathway(reach="policy", label=pathway["label"], quote=sentence, location=block.location)
    return None


_LINK_CUE = re.compile(
    r"\b(?:read\s+(?:in\s+conjunction|together|alongside)\s+with|read\s+alongside|in\s+conjunction\s+with|"
    r"(?:linked|related|associated|other)\s+(?:school\s+|trust\s+)?polic(?:y|ies)|links?\s+to|see\s+(?:also\s+)?(?:our|the)\b)",
    re.IGNORECASE,
)


def _linked(body: list[Block]) -> list[Block]:
    """Blocks that name other policies: a "read in conjunction with" sentence and the list that follows it."""
    out: list[Block] = []
    for i, block in enumerate(body):
        if not _LINK_CUE.search(block.text):
            continue
        out.append(block)
        if block.text.rstrip().endswith(":") or re.search(r"\bfollowing\b", block.text, re.IGNORECASE):
            for after in body[i + 1:i + 16]:
                if after.section != block.section or after.kind not in ("item", "paragraph") or len(after.text) > 120:
                    break
                out.append(after)
    return out


def _expected(element: dict, body: list[Block], sections: dict[object, list[Block]], rules: _Rules,
              whole: str, findings: list[RuleFinding]) -> ExpectedElement:
    # a heading naming suspension or exclusion mentions it as much as a sentence does; one naming a
    # removal ("Reflection room") does not say whether it is from lessons, which its text under it decides
    read = [b for blocks in sections.values() for b in blocks] if element["id"] == "exclusion-procedure" else body
    playtime_rooms = _playtime_rooms(body) if element["id"] == "removal-recorded" else None
    applies = element["applies_if"] is None or any(
        element["applies_if"].search(_masked(_rooms_not_from_lessons(b.text, playtime_rooms), rules))
        and not _outside_lessons(b.text, element)
        for b in read)
    if element["scope"] == "section":
        scopes = [(blocks, "\n".join(_masked(b.text, rules) for b in blocks)) for blocks in sections.values()]
    elif element["scope"] == "step":  # a step's lines read together ("Sent out …", "Teacher logs the C3")
        steps: dict[object, list[Block]] = {}
        lead: Block | None = None  # a paragraph and the list straight under it ("Each step is recorded." - Step 1 …)
        for b in body:
            under_lead = b.kind == "item" and lead is not None and lead.section == b.section
            # a section whose heading names a sanction ("Removal", "Detention") is a step of its own
            key: object = (_section_key(b), b.step) if b.step else (_section_key(b), "") if b.section and (
                rules.removal.search(b.section) or _names_sanction(b.section, rules)) else id(b)
            if under_lead and key not in steps:
                steps[key] = [lead]  # type: ignore[list-item]  # the lead reaches each item, not item to item
            if not under_lead and not b.step:
                lead = b if b.kind == "paragraph" else None
            steps.setdefault(key, []).append(b)
        scopes = [(blocks, "\n".join(f"{b.section or ''}\n{_masked(b.text, rules)}" for b in blocks))
                  for blocks in steps.values()]
    else:
        scopes = [([b], f"{b.section or ''}\n{_masked(b.text, rules)}") for b in body]
    where: Block | None = None
    for blocks, text in scopes:
        if all(p.search(text) for p in element["all_of"]):
            where = next((b for b in blocks if b.kind != "heading" and element["all_of"][-1].search(b.text)),
                         next((b for b in blocks if b.kind != "heading"), blocks[0]))
            break
    links = _linked(body) if element["linked"] is not None else []
    if where is None and links:
        where = next((b for b in links if element["linked"].search(b.text)), None)
    return ExpectedElement(
        id=element["id"], label=element["label"], present=where is not None, applies=applies,
        quote=_clip(where.text) if where else None, location=where.location if where else None,
        question=_question(element, body, rules, links, findings), cards=list(element["cards"]),
    )


# A room named only to say what it is not ("This is not an isolation room")
_NOT_A_ROOM = re.compile(r"\b(?:not|never)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}?(?:room|unit|base|centre|booth)\b", re.IGNORECASE)
# A room or system the policy runs at lunch or play ("a lunchtime time-out system", "reflection at playtime")
_PLAYTIME_ROOM = re.compile(r"\b(?:lunch|play|break|dinner)\s*-?\s*times?\s+(time[- ]out|reflection|thinking|quiet|calm)\b|"
                            r"\b(time[- ]out|reflection|thinking|quiet|calm)\s+(?:room|space|area|system)?\s*(?:at|during|over)\s+"
                            r"(?:lunch|play|break|dinner)", re.IGNORECASE)


def _playtime_rooms(body: list[Block]) -> set[str]:
    names = set()
    for block in body:
        for m in _PLAYTIME_ROOM.finditer(block.text):
            names.add(re.sub(r"[- ]", "", (m.group(1) or m.group(2)).lower()))
    return names


def _rooms_not_from_lessons(text: str, playtime_rooms: set[str] | None) -> str:
    """The text with rooms blanked that take no one out of lessons: one named to say what it is not, and
    one the policy runs at lunch or play ("the time-out room", after "a lunchtime time-out system")."""
    if playtime_rooms is None:
        return text
    text = _NOT_A_ROOM.sub(" ", text)
    for name in playtime_rooms:
        spelled = r"time[- ]out" if name == "timeout" else name
        text = re.sub(rf"\b{spelled}\s+(?:room|space|area|system|base)\b", " ", text, flags=re.IGNORECASE)
    return text


def _outside_lessons(text: str, element: dict) -> bool:
    """A paragraph whose removal is from play or lunch, not from a lesson ("time in the reflection room
    at lunchtime", "sent to a senior leader from the playground"): not removal from class. Isolation
    and internal exclusion take a pupil out of lessons wherever the paragraph mentions lunch."""
    return element["id"] == "removal-recorded" and bool(_PLAYTIME.search(text)) and not _LESSON.search(text) \
        and not _OUT_OF_LESSONS.search(text)


_PLAYTIME = re.compile(r"\b(?:play\s*(?:time|ground)?s?|lunch\s*times?|(?:at|during|over)\s+(?:the\s+next\s+)?(?:lunch|break)|"
                       r"break\s*times?|dinner\s*times?|midday)\b", re.IGNORECASE)  # not "a packed lunch"
_OUT_OF_LESSONS = re.compile(r"\b(?:isolation|seclusion|internal(?:ly)?\s+(?:exclu\w+|suspen\w+))\b", re.IGNORECASE)
_LESSON = re.compile(r"\blessons?\b|\bclass(?:room)?s?\b(?!\s+teachers?)", re.IGNORECASE)


def _first(body: list[Block], pattern: re.Pattern, rules: _Rules) -> str | None:
    for block in body:
        for sentence in split_sentences(block.text):
            if pattern.search(_masked(sentence, rules)):
                return _clip(sentence, 140)
    return None


_SEND_WORDS = re.compile(r"\bSEND\b|\bSEN\b|special\s+educational\s+needs|\bdisab\w*|\bEHC", re.IGNORECASE)


def _question(element: dict, body: list[Block], rules: _Rules, links: list[Block],
              findings: list[RuleFinding]) -> str:
    """The element's question, put in terms of what this policy does say."""
    base = " ".join(element["question"].split())
    lead = ""
    if element["id"] == "reasonable-adjustments":
        send = _first(body, _SEND_WORDS, rules)
        lead = (f"The policy speaks of SEND or disability (“{send}”) but not of reasonable adjustments. " if send else
                "The policy doesn't mention SEND or disability anywhere I could read. ")
        if findings:
            lead += f"It sets {_count(len(findings), 'outcome')} in advance. "
    elif element["id"] == "removal-recorded":
        used = _first(body, rules.removal, rules)
        lead = f"The policy sends pupils out of lessons (“{used}”). " if used else ""
    elif element["id"] == "exclusion-procedure":
        used = _first(body, rules.suspension, rules)
        lead = f"The policy speaks of suspension or exclusion (“{used}”). " if used else ""
    elif element["id"] in ("send-policy", "safeguarding-policy") and links:
        lead = f"The policy lists what it works with (“{_clip(links[0].text, 120)}”), but not this one. "
    return lead + base


def _clip(text: str, limit: int = 220) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


# ---------------------------------------------------------------- output


class _Markdown:
    """Writes lines of Markdown; the same calls drive the Word writer."""

    def heading(self, text: str, level: int) -> str:
        return f"\n{'#' * level} {text}\n"

    def para(self, text: str) -> str:
        return text + "\n"

    def quote(self, text: str) -> str:
        safe = text.replace("\n", " ")
        return f"> {_escape(safe)}\n"

    def bullet(self, text: str) -> str:
        return f"- {text}"



def _escape(text: str) -> str:
    """Quoted policy text is shown, never interpreted: neutralise Markdown at line start."""
    return re.sub(r"^([#>*\-+=|`])", r"\\\1", text)


class _Docx:
    def __init__(self, document) -> None:
        self.document = document

    def heading(self, text: str, level: int) -> str:
        self.document.add_heading(text, level=min(level - 1, 9) if level > 1 else 0)
        return text

    def para(self, text: str) -> str:
        if not text:
            return text
        paragraph = self.document.add_paragraph()
        for i, part in enumerate(re.split(r"\*\*(.+?)\*\*", text)):
            run = paragraph.add_run(part.replace("`", ""))
            run.bold = i % 2 == 1
        return text

    def quote(self, text: str) -> str:
        self.document.add_paragraph(text, style="Quote")
        return text

    def bullet(self, text: str) -> str:
        paragraph = self.document.add_paragraph(style="List Bullet")
        for i, part in enumerate(re.split(r"\*\*(.+?)\*\*", text)):
            paragraph.add_run(part.replace("`", "")).bold = i % 2 == 1
        return text



def _groups(findings: list[RuleFinding]) -> list[list[RuleFinding]]:
    """Neighbouring findings of one kind in one section (a tariff table, a ladder) read as one."""
    groups: list[list[RuleFinding]] = []
    for finding in findings:
        last = groups[-1][-1] if groups else None
        if last and (last.rules[0], last.section, last.pathway.reach) == (finding.rules[0], finding.section, finding.pathway.reach):
            groups[-1].append(finding)
        else:
            groups.append([finding])
    return groups


def _render(review: PolicyReview, out):
    concerns, settled, missing = review.concerns, [f for f in review.findings if not f.concern], review.missing
    cited: list[str] = []
    yield out.heading(f"Policy review: {review.file}", 1)
    yield out.para(
        "A reading of the policy's wording, to help you reflect on it. It looks for rules that set an "
        "outcome before anyone asks why, asks whether a route for SEND and disability stands beside each "
        "one, and notes what the guidance expects a behaviour policy to say that this one doesn't seem to. "
        "It doesn't decide whether the policy is lawful or right for your school: that judgement stays with "
        "you, your governors and your advisers."
    )
    yield out.heading("At a glance", 2)
    weaker = sum(1 for f in concerns if f.pathway.reach == "policy")
    if review.findings:
        total = f"{_count(len(review.findings), 'rule')} set{'s' if len(review.findings) == 1 else ''} an outcome in advance"
        if not settled:
            tally = f"{total}, and {'it has no' if len(concerns) == 1 else 'none of them has a'} SEND-sensitive route beside it"
        elif not concerns:
            tally = f"{total}, each with a route to think again beside it in the same sentence, paragraph or section"
        else:
            tally = (f"{total}: {len(concerns)} with no SEND-sensitive route beside {'it' if len(concerns) == 1 else 'them'}, "
                     f"{len(settled)} with one in the same sentence, paragraph or section")
        if weaker:
            tally += f" ({weaker} relying only on the policy's general SEND statement)"
        yield out.bullet(tally + ".")
    elif review.second_look:
        yield out.bullet(
            "No sentence was judged to fix an outcome whatever the circumstances. That is not a clean bill: "
            f"{_count(len(review.second_look), 'sentence')} name{'s' if len(review.second_look) == 1 else ''} "
            "a sanction, listed below as worth a second look, and a reading of wording can miss a rule.")
    else:
        yield out.bullet(
            "No sentence was judged to fix an outcome, and none named a sanction I recognise. That is not a "
            "clean bill: check the whole text came through (a scan, or sanctions kept in another document), "
            "and read the policy with how it works day to day.")
    if missing:
        yield out.bullet(f"{_count(len(missing), 'thing')} the guidance expects didn't turn up: "
                         + "; ".join(e.label for e in missing) + ".")
    else:
        yield out.bullet("Everything on the list of what the guidance expects turned up.")
    yield out.para("")

    if concerns:
        yield out.heading("Rules that set the outcome in advance", 2)
        for n, group in enumerate(_groups(concerns), start=1):
            first = group[0]
            where = first.location if len(group) == 1 else f"{len(group)} rules, {_span(group)}"
            yield out.heading(f"{n}. {_capital(where)}", 3)
            for finding in group:
                yield out.quote(finding.quote if len(group) == 1 else f"{finding.quote} ({_tail(finding.location)})")
            labels = list(dict.fromkeys(label for f in group for label in f.labels))
            yield out.para(f"**What it does:** {'; '.join(labels)}.")
            if first.pathway.reach == "policy":
                yield out.para(
                    f"**Beside it:** nothing in its sentence, paragraph or section. The policy's general "
                    f"statement ({first.pathway.location}) says: “{_clip(first.pathway.quote or '', 160)}” "
                    "That is weaker: would a member of staff applying this rule at the end of a long day know "
                    "the statement reaches it?"
                )
            else:
                yield out.para(
                    "**Beside it:** nothing about SEND, disability, adjustments or discretion in its sentence, "
                    "paragraph or section, and no general SEND statement elsewhere in the policy."
                )
            yield out.para(f"**A question for you:** {first.question}")
            cards = list(dict.fromkeys(c for f in group for c in f.cards))[:3]
            cited.extend(cards)
            yield out.para("**Why it matters:** " + ", ".join(f"`{c}`" for c in cards))

    if settled:
        yield out.heading("Rules with a route beside them", 2)
        yield out.para(
            "These rules name an outcome, and the policy gives staff a route to think again beside them. "
            "The question here is whether that route is used, and recorded when it is."
        )
        for finding in settled:
            beside = "" if finding.pathway.reach == "sentence" else f" (“{_clip(finding.pathway.quote or '', 120)}”)"
            yield out.bullet(
                f"{_capital(finding.location)}: “{_clip(finding.quote, 140)}” Beside it, "
                f"{_REACH_WORDS.get(finding.pathway.reach, '')}: {finding.pathway.label}{beside}."
            )
        yield out.para("")

    if review.second_look:
        yield out.heading("Worth a second look", 2)
        yield out.para(
            "These sentences name a sanction but weren't judged to fix it in advance. Read each one as a member "
            "of staff would at the end of a long day: would they know they can think again?")
        for item in review.second_look:
            yield out.bullet(f"{_capital(item.location)}: “{_escape(_clip(item.quote, 200))}”")
        yield out.para("")

    yield out.heading("What the guidance expects, and whether it's here", 2)
    for element in review.elements:
        if not element.applies:
            yield out.bullet(f"**{_capital(element.label)}:** the policy doesn't mention this, so it wasn't looked for.")
        elif element.present:
            yield out.bullet(f"**{_capital(element.label)}:** found ({element.location}): “{element.quote}”")
    if missing:
        yield out.para("")
    for element in missing:
        yield out.heading(_capital(element.label), 3)
        yield out.para(element.question)
        cited.extend(element.cards)
        yield out.para("**Why it matters:** " + ", ".join(f"`{c}`" for c in element.cards))

    if cited:
        yield out.heading("The cards behind these questions", 2)
        for card in dict.fromkeys(cited):
            yield out.bullet(f"`{card}`: {review.card_notes.get(card, '')}".rstrip(": "))
        yield out.para("")

    yield out.heading("Before you change anything", 2)
    yield out.para(
        "These are questions about wording, found by reading for patterns, so some will miss and some "
        "will be beside the point. How the policy works day to day matters as much as what it says. Who "
        "would you want to read it with: your SENCO, your DSL, a governor, a parent who has been through it?"
    )


def _span(group: list[RuleFinding]) -> str:
    first, last = _tail(group[0].location), _tail(group[-1].location)
    head = group[0].location.rsplit(", ", 1)[0] if ", " in group[0].location else ""
    a, b = first.split(" ")[-1].split("–")[0], last.split(" ")[-1].split("–")[-1]
    unit = "paragraphs" if first.startswith("paragraph") else "lines"
    return f"{head}, {unit} {a}–{b}".lstrip(", ")


def _tail(location: str) -> str:
    return location.rsplit(", ", 1)[-1]


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
