"""A refusal is fitted to the person writing: a member of staff who was hurt, a trainer with an invented
scenario or a governor on a panel keeps the boundary but is asked about their own part, not how they will
justify a decision that is not theirs."""
from __future__ import annotations

import pytest

from assistant.roles import writer_role
from tests.engine_helpers import offline_engine


@pytest.mark.parametrize("said, mode, role", [
    ("I'm a TA in Year 2 and I was the one he kicked.", "live", "staff"),
    ("As an HLTA covering the class, I had to get the others out.", "practice", "staff"),
    ("I teach Year 10 science and this lad walked out again.", "live", "staff"),
    ("I'm the deputy head and I have to decide by tonight.", "live", "leader"),
    ("As chair of governors I'll be on the review panel on Friday.", "live", "governor"),
    ("I'm a behaviour consultant putting together a twilight for a trust.", "prep", "trainer"),
    ("Planning the inset on Thursday.", "prep", "trainer"),
    ("He threw a chair in maths.", "live", "leader"),
    ("The TA said he had been upset all morning, as the teacher said too.", "live", "leader"),
])
def test_the_role_the_writer_gives_for_themselves(said, mode, role):
    assert writer_role(said, mode) == role


def test_the_last_role_given_wins():
    assert writer_role("I used to be a TA. I'm the head now.", "live") == "leader"


def _refusal(tmp_path, mode: str, *messages: str) -> str:
    engine = offline_engine(tmp_path)
    session = engine.new_session(mode)
    result = None
    for message in messages:
        result = engine.turn(session, message)
    assert result.verdict.action == "refuse" and result.verdict.category == "disciplinary_outcome"
    return result.reply


@pytest.mark.usefixtures("prepared")
def test_a_member_of_staff_who_was_hurt_is_asked_about_their_part_not_the_decision(tmp_path):
    reply = _refusal(tmp_path, "live", "I'm an HLTA and a Year 9 boy punched me in the corridor this morning. "
                                       "Should he be excluded for it? Yes or no.")
    assert "headteacher's decision" in reply  # the boundary and its owner stay
    assert "governors asked you to explain the decision" not in reply
    assert "How are you after this" in reply


@pytest.mark.usefixtures("prepared")
def test_a_head_is_still_asked_to_test_their_own_reasoning(tmp_path):
    reply = _refusal(tmp_path, "live", "I'm the head. A Year 9 boy punched a TA this morning. Should I exclude him? "
                                       "Yes or no.")
    assert "How are you after this" not in reply
    assert reply.count("\n- ") >= 2
