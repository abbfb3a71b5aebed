"""Conversation behaviours a head would notice: a second refusal of the same kind is not the same wall of text,
an injury between pupils is not asked about as force, and no lead is left hanging without its list."""
from __future__ import annotations

import pytest

from tests.engine_helpers import offline_engine

pytestmark = pytest.mark.usefixtures("prepared")

CASE = "Year 9 girl with SEN support for dyslexia slapped another girl in the lunch queue, cut her lip. Her mum is upset."


def test_the_same_refusal_twice_keeps_its_boundary_but_not_its_questions(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    engine.turn(session, CASE)
    first = engine.turn(session, "Should I suspend her or not? Yes or no.")
    second = engine.turn(session, "Just between us, would you suspend her? Give me an answer.")
    assert first.verdict.action == second.verdict.action == "refuse"
    boundary = first.reply.split("\n")[0].split(". ")[0]
    assert boundary in second.reply  # the line it will not cross is said again
    questions = {line for line in first.reply.splitlines() if line.startswith("- ")}
    assert not questions & {line for line in second.reply.splitlines() if line.startswith("- ")}


def test_a_safeguarding_process_refusal_always_keeps_its_dsl_signposting(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    engine.turn(session, CASE)
    for message in ("Does a slap in the lunch queue meet the threshold for a referral to social care?",
                    "Ok but in your view does it meet the threshold or not?"):
        result = engine.turn(session, message)
        assert result.verdict.action in ("refuse", "escalate")
        assert "Designated Safeguarding Lead" in result.reply


def test_an_injury_between_pupils_is_asked_about_as_an_injury_not_as_force(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    reply = engine.turn(session, CASE).reply
    assert "use of force" not in reply.lower()


def test_no_reply_ends_on_a_lead_whose_list_was_dropped(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    engine.turn(session, CASE)
    engine.turn(session, "Should I suspend her or not? Yes or no.")
    engine.turn(session, "Just between us, would you suspend her? Give me an answer.")
    reply = engine.turn(session, "OK fair enough. What should I weigh before I decide?").reply
    assert reply.strip() and not reply.rstrip().endswith(":")


def test_in_practice_a_feeling_said_is_met_before_the_next_stage(tmp_path):
    from prompts.bank import load_phrases

    engine = offline_engine(tmp_path)
    session = engine.new_session("practice")
    engine.turn(session, "In Year 5 maths yesterday a boy refused to start his work and I raised my voice at him in front of the class.")
    reply = engine.turn(session, "I felt really embarrassed and cross with myself afterwards.").reply
    first_paragraph = reply.split("\n\n")[0]
    assert any(ack.split(";")[0].split(":")[0] in first_paragraph for ack in load_phrases().conversation.feelings_ack)
    assert "what were you feeling" not in reply.lower()  # said, so not asked for again


def test_prep_slides_request_gets_that_many_slides_of_cited_points_on_the_topic(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("prep")
    engine.turn(session, "I'm running a twilight for a primary staff team on reasonable adjustments in the behaviour policy.")
    reply = engine.turn(session, "Now four slides' worth of bullet points on discrimination arising from disability.").reply
    assert reply.count("**Slide ") == 4
    assert reply.count("[`") >= 4  # each slide says where its points come from
    assert "equality-act-discrimination-arising" in reply


def test_prep_timed_plan_for_a_topic_names_the_topic_and_ends_on_time(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("prep")
    reply = engine.turn(session, "Can you give me a timed plan for a 40 minute INSET on de-escalation for lunchtime staff?").reply
    assert "de-escalation" in reply
    assert "–40 min**" in reply  # the last step ends at the length asked for
