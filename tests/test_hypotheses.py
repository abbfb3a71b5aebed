"""Asked what a child needed, the assistant offers a few tentative hypotheses built from what the person has
said, for them to test, instead of saying the cards do not settle it."""
from __future__ import annotations

import pytest

from assistant.hypotheses import asks_about_needs
from tests.engine_helpers import cited_ids, offline_engine


@pytest.mark.parametrize("message", [
    "What do you think she actually needed from me right then?",
    "what was going on for him, do you reckon",
    "Why do you think Kai bolted like that?",
    "What might be behind it, honestly?",
    "What was he trying to tell us by doing that?",
])
def test_questions_about_what_a_child_needed(message):
    assert asks_about_needs(message)


@pytest.mark.parametrize("message", [
    "What do you need from me to write this up?",
    "What do we need to record for governors?",
    "What does the law say he is entitled to?",
])
def test_other_questions_are_not_read_as_asking_about_the_childs_needs(message):
    assert not asks_about_needs(message)


@pytest.mark.usefixtures("prepared")
def test_hypotheses_fit_what_was_said_and_are_offered_tentatively(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("practice")
    engine.turn(session, "I'm an HLTA. In the hall at lunch, which was really loud, a Year 2 girl with autism "
                         "screamed and hit out when I asked her to sit in a different place from usual.")
    reply = engine.turn(session, "What do you think she needed in that moment?").reply
    block = reply.split("\n\n")[0]
    bullets = [line for line in block.splitlines() if line.startswith("- ")]
    assert len(bullets) == 3 and all(cited_ids(b) for b in bullets)
    assert "hypotheses, not conclusions" in block
    assert "don't settle" not in reply and "don't cover" not in reply
    said = block.lower()
    assert "noise" in said or "crowding" in said  # the loud hall
    assert "autistic" in said  # the need she named
    assert " she " in said or " her " in said  # the pupil as the person named her
