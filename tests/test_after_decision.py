"""Once a leader records a decision, the conversation follows it: questions turn to carrying it out (who tells
the pupil and the family, the return, the review) and the lenses that weigh a decision are not reopened."""
from __future__ import annotations

import pytest

from prompts.bank import load_bank
from tests.engine_helpers import offline_engine

pytestmark = pytest.mark.usefixtures("prepared")

CASE = ("Year 7 girl with autism, on SEN support, pushed past a cover teacher and walked out of French "
        "when the room was changed without warning. Nobody was hurt.")
WEIGHING = {q.text for lens in ("needs", "send", "equality", "proportionality", "voice")
            for q in load_bank().for_lens("live", lens)}
NEXT_STEPS = {q.text for q in load_bank().for_lens("live", "next_steps")}


def _questions(reply: str) -> set[str]:
    return {line[2:] for line in reply.splitlines() if line.startswith("- ")}


def _decided(tmp_path, decision: str):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    engine.turn(session, CASE)
    engine.turn(session, decision)
    return engine, session


def test_after_a_decision_the_questions_are_about_carrying_it_out(tmp_path):
    engine, session = _decided(tmp_path, "Decision: a one-day suspension, because she pushed the teacher "
                                         "and the plan's exit card had been used twice already that morning.")
    reply = engine.turn(session, "Mum has agreed to come in for the return meeting on Thursday.").reply
    asked = _questions(reply)
    assert asked and asked <= NEXT_STEPS | {q.text for q in load_bank().for_lens("live", "staff")}
    assert not asked & WEIGHING


def test_questions_about_time_out_of_school_wait_for_a_decision_that_sends_the_pupil_out(tmp_path):
    engine, session = _decided(tmp_path, "Decision: no suspension. A restorative meeting with the cover "
                                         "teacher instead, because the room change without warning set it off.")
    asked = set()
    for message in ("OK.", "Mum agrees with that.", "The cover teacher is fine about it."):
        asked |= _questions(engine.turn(session, message).reply)
    out_of_school = {q.text for q in load_bank().for_lens("live", "next_steps") if "suspen" in q.when}
    assert asked and not asked & out_of_school
    assert not asked & WEIGHING


def test_a_safeguarding_point_after_the_decision_is_still_taken_up(tmp_path):
    engine, session = _decided(tmp_path, "Decision: no sanction; a reset meeting with her key adult tomorrow, "
                                         "because the walk-out followed an unannounced room change.")
    reply = engine.turn(session, "Her social worker has asked to be kept in the loop about any incidents.").reply
    asked = _questions(reply)
    assert not asked & WEIGHING


def test_a_parents_view_said_in_passing_is_heard_and_not_asked_for_again(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    engine.turn(session, "Year 9 boy with an EHCP for autism kicked a TA when she tried to take his phone in the "
                         "canteen queue. Mum is already on the phone saying we're picking on him.")
    reply = engine.turn(session, "Decision: a one-day suspension, because he kicked a member of staff.").reply
    assert "What do the parents think" not in reply


def test_a_corridor_is_a_place_not_a_removal_from_class(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    engine.turn(session, "Year 8 girl pushed a boy in the corridor at break; he banged his head on a locker.")
    assert "removal from class" not in session.case.sanctions
