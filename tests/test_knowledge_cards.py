"""The knowledge base holds every card the product promises, each well formed."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from knowledge.chunker import chunk_card
from knowledge.glossary import load_glossary
from knowledge.loader import load_cards
from knowledge.models import LENSES
from knowledge.text import expand_abbreviations

GUIDANCE = """
equality-act-disability-definition equality-act-discrimination-arising equality-act-reasonable-adjustments
equality-act-direct-indirect equality-act-harassment-victimisation public-sector-equality-duty
tendency-to-physical-abuse send-graduated-approach send-ehcp-and-exclusion-risk behaviour-policy-send-pathways
removal-and-internal-inclusion suspension-exclusion-legal-framework exclusion-vulnerable-groups
managed-moves-and-offsite-direction kcsie-dsl-and-staff-duties kcsie-handling-a-disclosure
allegations-against-staff-lado contextual-safeguarding send-and-safeguarding-barriers early-help-and-multi-agency
attendance-support-first mental-health-and-behaviour behaviour-as-communication-and-trauma
public-law-decision-making proportionality-in-practice recording-defensible-reasons tiered-support-model
relational-approaches therapeutic-thinking reflective-practice-models peer-support-vs-school-improvement
leader-and-staff-wellbeing service-layers-and-boundaries
""".split()
ADDED_2026 = """
part-time-timetables child-on-child-abuse seclusion-and-restrictive-interventions mobile-phones-and-devices
complaints-and-parental-challenge records-information-sharing-and-sars medical-conditions-and-health-needs
bullying-and-prejudice alternative-provision looked-after-and-previously-looked-after
ehcp-exclusion-and-send-tribunal children-missing-education-and-off-rolling ofsted-inspection-framework
self-harm-and-suicide-risk prevent-duty staff-safety-after-pupil-assault emotionally-based-school-avoidance
""".split()
CASES = ["case-semh-resource-provision", "case-secondary-therapeutic-thinking",
         "case-mainstream-exclusion-reduction", "case-junior-school-semh"]

CARDS = {card.id: card for card in load_cards()}


def body_words(body: str) -> int:
    return len(re.findall(r"\S+", body))


def test_every_required_card_is_present_with_its_kind():
    assert len(GUIDANCE) == 33 and len(ADDED_2026) == 17
    for card_id in GUIDANCE + ADDED_2026:
        assert CARDS[card_id].kind == "guidance", card_id
    for card_id in CASES:
        assert CARDS[card_id].kind == "case", card_id


@pytest.mark.parametrize("card_id", sorted(CARDS))
def test_card_is_well_formed(card_id):
    card = CARDS[card_id]
    assert card.sources and all(str(s.url).startswith("https://") for s in card.sources)
    assert set(card.lenses) <= set(LENSES)
    assert 150 <= body_words(card.body) <= 600, body_words(card.body)
    sections = re.split(r"^#{2,3} .*$", card.body, flags=re.MULTILINE)
    assert all(s.strip() for s in sections[1:]), "a heading without text"
    assert "## Questions to ask yourself" in card.body
    questions = card.body.split("## Questions to ask yourself", 1)[1]
    assert 3 <= questions.count("?") <= 8
    assert all(c.text.strip() for c in chunk_card(card))


@pytest.mark.parametrize("card_id", sorted(CARDS))
def test_card_says_when_its_sources_were_checked_and_how_people_describe_it(card_id):
    card = CARDS[card_id]
    assert card.checked <= dt.date.today()
    assert len(card.phrasings) >= 3, "add the ways people describe this card's situations"


def school_year_start(today: dt.date) -> int:
    """The calendar year in which the current school year began (it starts in September)."""
    return today.year if today.month >= 9 else today.year - 1


_KCSIE_EDITION = re.compile(r"(?:Keeping children safe in education|KCSIE),? (20\d\d)", re.IGNORECASE)


def stale_kcsie_editions(text: str, today: dt.date) -> list[int]:
    return [int(y) for y in _KCSIE_EDITION.findall(text) if int(y) < school_year_start(today)]


def test_the_kcsie_edition_check_knows_the_school_year():
    assert stale_kcsie_editions("Keeping children safe in education 2025", dt.date(2026, 9, 1)) == [2025]
    assert stale_kcsie_editions("KCSIE 2025, Part one", dt.date(2026, 7, 31)) == []
    assert stale_kcsie_editions("KCSIE 2026 (for September 2026)", dt.date(2026, 12, 1)) == []


@pytest.mark.parametrize("card_id", sorted(CARDS))
def test_no_card_cites_a_kcsie_edition_older_than_the_current_school_year(card_id):
    card = CARDS[card_id]
    cited = " ".join(s.title for s in card.sources) + " " + card.title + " " + card.body
    assert not stale_kcsie_editions(cited, dt.date.today()), "cite the KCSIE edition in force this school year"


@pytest.mark.parametrize("card_id", CASES)
def test_case_cards_say_what_to_ask_before_borrowing(card_id):
    assert "## Before you borrow this" in CARDS[card_id].body


def test_case_cards_carry_the_seed_figures_in_todays_terms():
    text = CARDS["case-mainstream-exclusion-reduction"].body
    for figure in ["9.4%", "3.8%", "3.9%", "0.9%", "93.3%", "95.2%"]:
        assert figure in text
    assert "suspension" in text.lower()
    assert "Hertfordshire" in CARDS["therapeutic-thinking"].body
    assert "West Sussex" in CARDS["case-secondary-therapeutic-thinking"].body


def test_the_glossary_covers_the_fields_abbreviations():
    terms = {t.term for t in load_glossary()} | {a for t in load_glossary() for a in t.aliases}
    for abbreviation in ["PEX", "FTE", "EHCP", "DSL", "LADO", "SENCO", "AP", "PRU", "CAMHS", "MASH",
                         "CLA", "LAC", "PA", "SEMH", "SLCN", "IRP", "VSH"]:
        assert abbreviation in terms, abbreviation
    assert "permanent exclusion" in expand_abbreviations("PEX for a CLA pupil").lower()
    assert expand_abbreviations("keep pace with the odd pupil") == "keep pace with the odd pupil"


@pytest.mark.parametrize("text", [
    "Mat said the lesson went well",          # a name, not a multi-academy trust
    "Ta for the help everyone",               # thanks, not a teaching assistant
    "He loves DT and cooking",                # design and technology
    "She has CP and uses a walker",           # cerebral palsy
    "please send the letter home",
])
def test_glossary_expansion_leaves_ordinary_words_alone(text):
    assert expand_abbreviations(text) == text


def test_glossary_expansion_still_expands_the_fields_capitals():
    assert "multi-academy trust" in expand_abbreviations("our MAT policy")
    assert "teaching assistant" in expand_abbreviations("two TAs were present")


def test_glossary_definitions_checked_against_sources_say_so():
    checked = {t.term: t for t in load_glossary() if t.checked}
    for term in ("de-escalation", "off-rolling", "searching", "exclusion notifications", "reinstatement review", "KCSIE"):
        entry = checked[term]
        assert entry.sources and all(str(s.url).startswith("https://") for s in entry.sources)
    # what was confirmed only through secondary sources is marked
    assert checked["exclusion notifications"].unverified
    assert "2026" in checked["KCSIE"].definition


def test_the_glossary_says_which_2026_changes_are_law_and_which_are_proposals():
    terms = {t.term: t for t in load_glossary()}
    for term in ("Children's Wellbeing and Schools Act 2026", "CNIS", "safeguarding partners", "report card", "ISP"):
        entry = terms[term]
        assert entry.sources and entry.checked and entry.unverified, term
    assert "proposal, not law" in terms["ISP"].definition
    assert "not yet in force" in terms["CNIS"].definition
    assert "29 June 2026" in terms["Children's Wellbeing and Schools Act 2026"].definition


@pytest.mark.parametrize("card_id", sorted(CARDS))
def test_a_card_that_mentions_the_2026_white_paper_says_it_is_a_proposal(card_id):
    for paragraph in CARDS[card_id].body.split("\n\n"):
        if "White Paper" in paragraph:
            assert "propos" in paragraph.lower(), paragraph
