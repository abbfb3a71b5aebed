"""Drafts are written as asked: corrections carried, the document named (in its form, length, model, voice and
audience), each sentence filed where it belongs, and training vignettes that fit the brief."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from assistant import case_record, corrections, write_ups
from assistant.case_record import CaseRecord
from assistant.prep_requests import _asked_for
from assistant.write_up_request import read
from tests.engine_helpers import offline_engine


# --- 1. corrections -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("message", "earlier", "expected"), [
    ("Actually it was Tuesday not Monday, and she's Year 8 not 7.", "", [("Monday", "Tuesday"), ("Year 7", "Year 8")]),
    ("Sorry, I meant Year 9", "A Year 7 lad threw a chair", [("Year 7", "Year 9")]),
    ("Sorry I meant Thursday.", "It kicked off on Monday after lunch", [("Monday", "Thursday")]),
    ("Correction: it was the TA, not the teacher, who held him.", "", [("the teacher", "the TA")]),
    ("Actually it wasn't Mrs Green, it was Mr Patel.", "", [("Mrs Green", "Mr Patel")]),
    ("sorry, not Monday but Wednesday", "", [("Monday", "Wednesday")]),
    ("Actually his name is Jayden not Jaden", "", [("Jaden", "Jayden")]),
])
def test_a_correction_gives_the_old_value_and_the_new_one(message, earlier, expected):
    assert corrections.pairs(message, earlier) == expected


@pytest.mark.parametrize("message", [
    "It was a warning, not a suspension.",  # describes the case; nothing is being corrected
    "She is not in Year 7 any more and is doing well.",
])
def test_a_statement_with_not_is_not_a_correction(message):
    assert corrections.pairs(message) == []


@pytest.mark.parametrize(("told", "correction", "old", "new"), [
    ("A Year 7 girl swore at the cover teacher on Monday.", "Actually it was Tuesday not Monday.", "Monday", "Tuesday"),
    ("A Year 7 girl swore at the cover teacher on Monday.", "Sorry, she's Year 8 not 7.", "Year 7", "Year 8"),
    ("The class teacher held him by the arm on the stairs.", "Correction: it was the TA not the teacher.",
     "teacher", "TA"),
])
def test_the_case_record_carries_the_corrected_fact_and_never_the_old_one(told, correction, old, new):
    record = case_record.update(CaseRecord(), told)
    record = case_record.update(record, correction, "correction")
    shown = " ".join(text for _, text in record.lines())
    assert new in shown and not re.search(rf"\b{old}\b", shown)


# --- 2. the document asked for --------------------------------------------------------------------------------

@pytest.mark.parametrize(("message", "mode", "kind", "extra"), [
    ("Can you write a paragraph for the decision log?", "practice", "decision_note", {"prose": True}),
    ("Write it up for the decision log in under 150 words", "live", "decision_note", {"words": 150}),
    ("Could you draft notes for my meeting with the SENCO tomorrow?", "live", "meeting_notes", {"audience": "the SENCO"}),
    ("Can you write this up as a Gibbs entry for my CPD log?", "practice", "reflection", {"model": "gibbs"}),
    ("Turn it into a What? So what? Now what? reflection", "live", "reflection", {"model": "rolfe"}),
    ("Please write my reflection using Schön, in the third person", "practice", "reflection",
     {"model": "schon", "person": "third"}),
    ("Draft notes for my phone call with dad tonight", "live", "call_notes", {}),
    ("Draft a letter to Year 6 parents about the online safety evening", "live", "letter", {"sanction_letter": False}),
    ("Draft a letter to mum telling her about the suspension", "live", "letter", {"sanction_letter": True}),
    ("Can you write a short summary for governors?", "live", "governors_summary", {"audience": "governors"}),
    ("Write a briefing for the cover staff", "live", "staff_briefing", {}),
])
def test_the_request_names_the_document_its_form_and_its_limits(message, mode, kind, extra):
    request = read(message, mode)
    assert request.kind == kind
    for field, value in extra.items():
        assert getattr(request, field) == value


CASE = [
    "Year 9 boy, Kai, autistic with an EHC plan, threw a chair in maths on Monday after the fire alarm went off. "
    "His plan says he gets ear defenders and a warning before loud noises, and he didn't get the warning.",
    "Mum says he was terrified and has not slept since.",
    "Decision: no suspension; a restorative meeting with the maths teacher and a new fire drill plan, because the "
    "alarm was the trigger and his plan was not followed. We'll review it at his EHCP review in three weeks.",
]


@pytest.fixture(scope="module")
def talked(tmp_path_factory, prepared):
    """One engine and a live case told once; each test starts its own session on it."""
    engine = offline_engine(tmp_path_factory.mktemp("r8"))

    def session_with(extra: list[str] = (), mode: str = "live"):
        session = engine.new_session(mode)
        for message in [*CASE, *extra] if mode == "live" else extra:
            engine.turn(session, message)
        return session

    return engine, session_with


@pytest.mark.parametrize("request_text", [
    "Can you write that up as a decision note for the file?",
    "Write a paragraph for the decision log please",
    "Could you help me prepare notes for my phone call with mum tonight?",
    "Could you write a short summary for governors?",
])
def test_every_draft_carries_a_correction_made_earlier(talked, request_text):
    engine, session_with = talked
    session = session_with(["Sorry, actually it was Tuesday not Monday."])
    text = engine.turn(session, request_text).reply
    assert "Monday" not in text
    assert "Tuesday" in text or "[to add" in text


def test_a_decision_log_paragraph_is_prose_with_the_decision_and_reasons_in_the_leaders_words(talked):
    engine, session_with = talked
    text = engine.turn(session_with(), "Can you give me a paragraph for the decision log?").reply
    assert "**" not in text and "###" not in text  # a paragraph, not headed sections
    assert "restorative meeting with the maths teacher" in text
    assert "because the alarm was the trigger" in text.lower() or "the alarm was the trigger" in text


@pytest.mark.parametrize("limit", [60, 100, 150])
def test_a_word_limit_is_kept(talked, limit):
    engine, session_with = talked
    text = engine.turn(session_with(), f"Write that up as a decision note in under {limit} words").reply
    assert len(text.split()) <= limit
    assert "restorative meeting" in text  # the decision survives the cut


def test_senco_meeting_notes_are_not_parent_call_notes(talked):
    engine, session_with = talked
    text = engine.turn(session_with(), "Could you draft notes for my meeting with the SENCO on Thursday?").reply
    assert "meeting with the SENCO" in text
    assert "conversation with" not in text.lower() and "How has he been at home" not in text
    assert "ear defenders" in text  # what was in place, from the case


@pytest.mark.parametrize(("words", "expected"), [
    ("I think it fits.", "The school leader thinks it fits."),
    ("I'm going to review it myself with my deputy.", "The school leader is going to review it themselves with their deputy."),
    ("Mum told me. I’ll ring her.", "Mum told them. The school leader will ring her."),
])
def test_first_person_words_are_put_in_the_third_person(words, expected):
    assert write_ups.third_person(words, "the school leader") == expected


def test_a_third_person_draft_has_no_first_person(talked):
    engine, session_with = talked
    text = engine.turn(session_with(["Decision: I have decided on no suspension, because I think the alarm was the "
                                     "trigger and my staff did not warn him."]),
                       "Write a paragraph for the decision log in the third person").reply
    body = text.split("\n\n", 1)[1]  # the line introducing the draft speaks to the leader; the draft does not
    assert not re.search(r"\bI\b|\bmy\b|\bme\b", body)
    assert "the school leader has decided on no suspension" in body.lower()
    assert "the school leader thinks the alarm was the trigger" in body.lower()


def test_a_reflection_in_the_model_named_uses_that_models_stages(talked):
    engine, session_with = talked
    session = session_with([
        "In PE today a Year 4 boy refused to get changed and I raised my voice at him in front of everyone.",
        "I felt embarrassed afterwards because I knew he has sensory issues with the kit.",
    ], mode="practice")
    rolfe = engine.turn(session, "Can you write this up as a What? So what? Now what? reflection for my log?").reply
    assert "**What?**" in rolfe or "**What**" in rolfe
    assert "**Description**" not in rolfe and "raised my voice" in rolfe
    schon = engine.turn(session, "Can you write it up as a Schön reflection instead?").reply
    assert "Reflection-in-action" in schon and "raised my voice" in schon


def test_a_letter_announcing_a_sanction_is_not_drafted_but_a_letter_about_support_is(talked):
    # Drafted directly: whether the message reaches the drafter at all is the guard's decision.
    engine, session_with = talked
    session = session_with()
    said = [t.text for t in session.turns if t.role == "user"]

    def letter(message):
        return write_ups.draft(session, message, said, [*said, message], None, lambda s: None, "leader",
                               dt.date(2026, 1, 5)).text

    support = letter("Can you draft a letter to Year 9 parents about the new fire drill plan?")
    assert "Dear" in support and "the new fire drill plan" in support and "restorative meeting" in support
    assert "Dear" not in letter("Now draft a letter to his parents telling them about his suspension")


# --- 3. each sentence where it belongs ------------------------------------------------------------------------

@pytest.mark.parametrize("message", [
    "Should I have rung mum before lunch?",
    "wondering whether we got the seating plan wrong",
    "Can you tell me if the plan covers lunchtimes",
])
def test_a_question_is_never_filed_as_a_fact(message):
    record = case_record.update(CaseRecord(), message)
    assert not record.in_place and not record.happened and not record.trigger


def test_a_disclosure_is_filed_as_a_safeguarding_concern_not_as_support_in_place():
    record = case_record.update(CaseRecord(), "She told her key adult that her stepdad hits her; the DSL has it and "
                                              "is dealing with it.")
    assert record.safeguarding and not record.in_place


def test_the_leaders_own_questions_are_not_pasted_in_as_the_description(talked):
    engine, session_with = talked
    session = session_with([
        "At break a Year 3 girl ran off and I chased her across the field.",
        "Was I wrong to chase her? Should I have radioed for help?",
    ], mode="practice")
    text = engine.turn(session, "Can you turn this into a Gibbs reflection for my CPD log?").reply
    assert "chased her across the field" in text
    assert "Was I wrong" not in text and "Should I have radioed" not in text


# --- 4. vignettes for training ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("message", "year", "need", "event"), [
    ("Write me a vignette about a Year 5 girl with dyslexia who refuses to read aloud, for a session on "
     "reasonable adjustments.", "Year 5", "dyslexia", "refuses to read aloud"),
    ("Can you give me a scenario for the tables about a Y10 boy with ADHD who keeps walking out of science?",
     "Year 10", "ADHD", "keeps walking out of science"),
])
def test_a_vignette_request_names_the_year_need_and_behaviour(message, year, need, event):
    found = _asked_for(message)
    assert (found["year"], found["need"], found["event"]) == (year, need, event)


def test_a_vignette_fits_the_brief_and_does_not_repeat_the_request(talked):
    engine, session_with = talked
    session = session_with(["I'm running a twilight for primary staff on behaviour and SEND next week."], mode="prep")
    message = ("Can you write me a vignette about a Year 2 boy with speech and language needs who hides under the "
               "table in phonics, for a session on reasonable adjustments?")
    text = engine.turn(session, message).reply
    assert "Year 2" in text and "hides under the table in phonics" in text
    assert "Year 9" not in text
    assert "Can you write me a vignette" not in text


@pytest.mark.parametrize(("message", "draft"), [
    ("Now a summary for governors please", True),
    ("And notes for my meeting with the SENCO on Friday", True),
    ("And a meeting with mum tomorrow went badly, she shouted.", False),  # tells; asks for nothing
])
def test_a_short_follow_up_naming_the_next_document_asks_for_it(message, draft):
    from assistant.understanding import understand

    assert (understand(message).kind == "draft_request") is draft


def test_a_summary_for_governors_leaves_the_pupils_name_out(talked):
    engine, session_with = talked
    text = engine.turn(session_with(), "Now a summary for governors please").reply
    assert "Kai" not in text and "Summary for governors" in text
    assert "restorative meeting with the maths teacher" in text
