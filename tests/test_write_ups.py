"""Documents a leader asks for (a decision note, notes for a call with a parent, a staff briefing, a reflection
for their log) are drafted from their own words, with gaps marked rather than filled by the assistant."""
from __future__ import annotations

import pytest

from assistant.understanding import understand
from tests.engine_helpers import offline_engine

pytestmark = pytest.mark.usefixtures("prepared")

CASE = [
    "Year 6 boy, Tomasz, SEN support for ADHD, kicked a door off its hinge at lunch after losing a football game. "
    "No one was hurt. His support plan says he has a movement break before lunch, which he didn't get yesterday.",
    "Dad thinks the school should have rung him before lunch, he says it always goes wrong on football days.",
    "Decision: no suspension; a repair job with the site manager and a restorative chat with the lunch staff, "
    "because he was dysregulated and the movement break was missed. We'll review at the SEN support meeting in two weeks.",
]


def _talk(engine, session, messages):
    return [engine.turn(session, m) for m in messages]


def test_a_decision_note_holds_the_leaders_decision_and_reasons_and_marks_what_is_missing(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    _talk(engine, session, CASE)
    note = engine.turn(session, "Can you write that up as a decision note for the file?")
    assert note.verdict.action == "allow" and note.kind == "document"
    text = note.reply
    assert "repair job with the site manager" in text  # the decision, in the leader's words
    reasons = next(line for line in text.splitlines() if line.startswith("**Reasons**"))
    assert "because he was dysregulated" in reasons.lower()  # the reasons they gave, under Reasons
    assert "review at the SEN support meeting in two weeks" in text  # the next step they named
    assert "[to add: the pupil's own account" in text  # never heard, so marked, not invented
    assert "Dad" in text and "football days" in text  # the parent's view they reported
    assert "recording-defensible-reasons" in [c.card_id for c in note.citations]


def test_a_decision_note_without_reasons_asks_for_them_instead_of_supplying_any(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    _talk(engine, session, [CASE[0], "Decision: one day internal exclusion."])
    text = engine.turn(session, "Please write up my decision for CPOMS").reply
    reasons = next(line for line in text.splitlines() if line.startswith("**Reasons**"))
    assert "[to add:" in reasons


def test_call_notes_for_a_parent_carry_the_case_and_questions_about_the_child(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    _talk(engine, session, CASE)
    notes = engine.turn(session, "Could you help me prepare notes for my phone call with dad tonight?")
    assert notes.kind == "document"
    assert "Notes for your conversation with dad" in notes.reply
    assert "kicked a door" in notes.reply  # what happened, as told
    assert "repair job" in notes.reply  # what the school is doing next
    assert "How has he been at home since" in notes.reply  # the pupil's pronoun, from "boy"
    assert "confidential" in notes.reply


def test_a_staff_briefing_shares_what_helps_and_asks_for_what_it_does_not_know(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    _talk(engine, session, CASE)
    text = engine.turn(session, "Can you draft a short briefing for the lunch staff?").reply
    assert "movement break" in text
    assert "[to add: what staff should do if the pupil becomes distressed" in text


def test_a_practice_reflection_for_a_log_sets_each_stage_in_the_staff_members_words(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("practice")
    _talk(engine, session, [
        "Today in PE a Year 4 girl refused to get changed and I raised my voice at her in front of the class.",
        "I felt embarrassed afterwards and a bit ashamed, I knew she has sensory issues with the kit.",
    ])
    text = engine.turn(session, "Can you turn this into a reflection for my CPD log?").reply
    assert "raised my voice" in text and "embarrassed" in text
    assert "**Description**" in text and "**Feelings**" in text
    assert "[to add:" in text  # the stages not yet spoken to say what they ask for
    assert "**Action plan**: [to add: one thing you will do differently" in text  # no target set yet


@pytest.mark.parametrize("message", [
    "What must a suspension letter to parents contain?",
    "What should go in the decision record for a permanent exclusion?",
])
def test_asking_what_a_document_must_contain_is_a_question_not_a_request_for_one(message):
    assert understand(message).kind != "draft_request"


@pytest.mark.parametrize("message", [
    "Now draft my notes for the call with mum at 4.",
    "Could you write a briefing for the cover staff about what helps her?",
    "Write this up as a reflection for my log please",
])
def test_asking_for_a_document_is_a_draft_request(message):
    assert understand(message).kind == "draft_request"


@pytest.mark.parametrize(("words", "expected"), [
    ("Year 8 girl threw a stool. Dad said he was furious and he wants a meeting.", "she"),
    ("Mum rang, she is worried about him, he hasn't slept.", "he"),
    ("He kicked the TA and she had to go home.", "he"),
    ("The pupil in question was upset after the lesson.", "they"),
])
def test_the_pupils_pronoun_comes_from_how_the_leader_names_the_pupil_not_the_adults(words, expected):
    from assistant.case_questions import pronouns

    assert pronouns(words)["he"] == expected


def test_each_of_the_leaders_sentences_appears_once_in_a_decision_note(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    _talk(engine, session, [CASE[0], "Decision: a reduced lunch with a named adult, because the lunch hall is where it "
                                     "goes wrong for him. Review in three weeks."])
    text = engine.turn(session, "write that up as a decision note for the file").reply
    assert text.count("named adult") == 1
    assert text.count("Review in three weeks") == 1


def test_reasons_given_without_because_are_reasons_not_blanks(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    _talk(engine, session, [CASE[0], "Decision: no suspension. He was dysregulated after missing his movement break. "
                                     "He will do a repair job with the site manager."])
    text = engine.turn(session, "write that up as a decision note").reply
    reasons = next(line for line in text.splitlines() if line.startswith("**Reasons**"))
    assert "dysregulated after missing his movement break" in reasons
    decision = next(line for line in text.splitlines() if line.startswith("**Decision**"))
    assert "repair job" in decision


def test_call_notes_carry_the_points_the_leader_asked_to_cover(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    _talk(engine, session, CASE)
    text = engine.turn(session, "Can you draft notes for my call with dad: the missed movement break; "
                                "what we are changing at lunch; the repair job").reply
    assert "What you want to cover" in text and "the missed movement break" in text and "what we are changing at lunch" in text
