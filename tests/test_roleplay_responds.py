"""In a role-play the part answers what was just said to it (a mention of the policy, an apology, a plan) and
speaks of the pupil as the leader does (a girl is "her", "my daughter")."""
from __future__ import annotations

import pytest

from tests.engine_helpers import offline_engine

pytestmark = pytest.mark.usefixtures("prepared")

SET_UP = ("Tomorrow I meet the dad of a Year 3 girl with autism who was sent out of assembly twice this week. "
          "Can you play the dad so I can practise the first few minutes?")


def _scene(tmp_path, *lines: str) -> list[str]:
    engine = offline_engine(tmp_path)
    session = engine.new_session("practice")
    return [engine.turn(session, line).reply for line in (SET_UP, *lines)]


def test_the_part_answers_what_was_said_to_it(tmp_path):
    replies = _scene(tmp_path, "The behaviour policy is the same for every child, I'm afraid.",
                     "I'm sorry, I know this week has been hard for you both.",
                     "We're going to give her a key adult and a quiet space before assembly.")
    policy, apology, plan = replies[1:]
    assert "policy" in policy.lower()
    assert "sorry" in apology.lower()
    assert "plan" in plan.lower() or "who is actually going to do it" in plan.lower()
    assert len(set(replies[1:])) == 3  # no line said twice


def test_the_part_speaks_of_the_pupil_as_the_leader_does(tmp_path):
    replies = _scene(tmp_path, "Our policy applies to everyone.")
    spoken = " ".join(replies).lower()
    assert " her " in spoken or "daughter" in spoken
    assert " him " not in spoken and " son" not in spoken


def test_a_trainer_asking_about_the_session_steps_out_of_the_part(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("prep")
    engine.turn(session, "I'm planning a twilight on part-time timetables. Can you play a parent who is angry "
                         "about her son's reduced day so I can model the conversation?")
    engine.turn(session, "I hear how frustrating this has been.")
    reply = engine.turn(session, "Thanks. How long should I give the role-play in the session, and what should the "
                                 "observers look for?").reply
    assert "(As " not in reply
