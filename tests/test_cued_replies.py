"""Asked what a child needed, the assistant offers a few tentative hypotheses built from what the person has
said, for them to test, instead of saying the cards do not settle it; a trainer asking how to handle the room
gets a facilitator's moves that fit it."""
from __future__ import annotations

import pytest

from assistant.cued_replies import asks_about_needs
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


@pytest.mark.parametrize("message, fits", [
    ("How do I handle it if a deputy names a pupil in the session and wants a view?", "named pupil"),
    ("What do I say if someone gets upset and starts crying during the scenario?", "upset or says something personal"),
    ("Could you give me a prompt sheet for the chair of the governors' panel?", "prompt sheet for a chair"),
    ("How should I deal with the staff who think all this is soft?", "it's soft"),
])
def test_a_trainer_asking_about_the_room_gets_moves_that_fit(tmp_path, message, fits):
    engine = offline_engine(tmp_path)
    session = engine.new_session("prep")
    engine.turn(session, "Planning a 90-minute session on behaviour and SEND for a junior school's staff.")
    reply = engine.turn(session, message).reply
    bullets = [line for line in reply.splitlines() if line.startswith("- ")]
    assert len(bullets) == 3
    assert fits in bullets[0]


def test_the_room_the_trainer_described_earlier_shapes_the_rest(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("prep")
    engine.turn(session, "Twilight for secondary staff; several were assaulted last term and morale is raw.")
    reply = engine.turn(session, "How do I handle it if someone names a pupil?").reply
    assert "hurt or frightened" in reply


@pytest.mark.usefixtures("prepared")
def test_after_a_concern_is_handed_on_the_reflection_goes_on_without_it(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    first = engine.turn(session, "Year 5 girl refusing work and hiding under tables all week. This morning she told "
                                 "her TA that mum's boyfriend hits her when mum is at work.")
    assert first.verdict.action == "escalate"
    handed = engine.turn(session, "I've gone straight to our DSL and she's making the referral now.")
    assert handed.verdict.action == "allow"
    assert "safeguarding**" not in handed.reply  # the concern is the DSL's now, not a lens to reflect on here
    assert "referral" not in handed.reply.split("\n\n", 1)[1]  # its particulars are not said back
    reply = engine.turn(session, "So back to the behaviour: what might the hiding under tables be about?").reply
    assert "hypotheses, not conclusions" in reply
    assert "boyfriend" not in reply
