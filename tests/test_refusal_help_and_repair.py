"""A refused sanction letter still says what such a letter must contain, and offers the leader's own record; a
member of staff asking whether to apologise is helped to think about repair, not told the cards are silent."""
from __future__ import annotations

import pytest

from assistant.cued_replies import asks_about_repair
from tests.engine_helpers import offline_engine

pytestmark = pytest.mark.usefixtures("prepared")


def test_a_sanction_letter_is_refused_with_what_it_must_contain(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    engine.turn(session, "Year 9 boy, Ryan, threw a stapler at a classmate in art. Decision: one day suspension and "
                         "a reintegration meeting when he's back.")
    result = engine.turn(session, "Could you write the letter to his mum about the suspension?")
    assert result.verdict.action == "refuse"
    assert "Dear" not in result.reply  # nothing drafted
    assert "representations to the governing board" in result.reply  # what the letter must tell the family
    assert "decision note" in result.reply  # and the record the leader can have instead


@pytest.mark.parametrize("message", [
    "Should I apologise to her tomorrow?",
    "was I wrong to keep him in at break?",
    "Do you think I should say sorry to the class?",
    "how do I repair things with him after that?",
])
def test_repair_questions_are_recognised(message):
    assert asks_about_repair(message)


@pytest.mark.parametrize("message", ["What does our complaints policy say about apologies to parents?"
                                     , "Should I exclude him?"])
def test_other_questions_are_not_repair(message):
    assert not asks_about_repair(message)


def test_should_i_apologise_gets_thoughts_on_repair(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("practice")
    engine.turn(session, "I snapped at a Year 5 girl in the lunch queue today and raised my voice in front of her "
                         "friends. She went quiet all afternoon and I feel terrible.")
    result = engine.turn(session, "Should I apologise to her?")
    assert result.verdict.action == "allow"
    assert "cards don't" not in result.reply
    assert "apolog" in result.reply.lower() and "[`" in result.reply  # repair, grounded in a card


def test_an_adult_hurt_by_a_pupil_gets_the_staff_injury_check_and_a_record_already_made_is_not_asked_about(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    reply = engine.turn(session, "Year 5 boy with SEMH needs kicked a TA in the shin at the end of PE; "
                                 "she has a bruise.").reply
    assert "RIDDOR" in reply and "both pupils" not in reply
    other = engine.new_session("live")
    reply = engine.turn(other, "Year 5 boy with SEMH needs kicked a TA in the shin at the end of PE; it's "
                               "all recorded on CPOMS.").reply
    assert "RIDDOR" not in reply and "recorded" not in reply.split("?")[0].lower()
