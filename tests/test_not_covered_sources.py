"""A question the cards do not answer is said to be outside them, with the place that does answer it named
where the question shows which; a close-scoring card on a neighbouring topic is not passed off as the answer."""
from __future__ import annotations

import pytest

from tests.engine_helpers import cited_ids, offline_engine

pytestmark = pytest.mark.usefixtures("prepared")


@pytest.mark.parametrize("question, place", [
    ("What are the sick pay rules for support staff who are off after being hurt at work?",
     "HR provider or your union"),
    ("His mum wants to know if the council can stop his taxi to school because of how he behaves in it?",
     "home-to-school travel team"),
    ("Is he entitled to extra time in his mock exams because of his ADHD?", "exams officer"),
])
def test_a_question_outside_the_cards_names_where_to_ask(tmp_path, question, place):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    reply = engine.turn(session, question).reply
    first = reply.split("\n\n")[0]
    assert "don't cover" in first and place in first
    assert not cited_ids(first)  # nothing nearby quoted as if it answered


def test_a_question_the_cards_answer_is_still_answered(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    reply = engine.turn(session, "Can a pupil be suspended during their GCSE exams, and who has to review it?").reply
    assert "don't cover" not in reply.split("\n\n")[0]
    assert cited_ids(reply)
