"""Round 9: a question about a term is answered with the term; a comparison answers both sides; a pupil the
leader says has no SEND is not walked through SEND questions or grounded in SEN duties."""
from __future__ import annotations

import pytest

from assistant import case_record
from assistant.asking import asks_meaning, compared
from knowledge.glossary import term_named
from prompts.cues import mentions
from tests.engine_helpers import offline_engine

pytestmark = pytest.mark.usefixtures("prepared")


@pytest.mark.parametrize("text, group, expected", [
    ("Year 7, no SEND whatsoever, kicked a door", "needs", []),
    ("she doesn't have an EHCP but she is autistic", "needs", ["autism"]),
    ("no formal diagnosis of ADHD yet", "needs", []),
    ("it isn't written in his EHCP anywhere", "needs", ["an EHC plan"]),
    ("nobody on the staff knew about his ADHD", "needs", ["ADHD"]),
    ("we are not going to suspend, a detention instead", "responses", ["a detention"]),
])
def test_a_denied_mention_is_not_named(text, group, expected):
    assert [phrase for _, phrase in mentions(text, group)] == expected


@pytest.mark.parametrize("message", [
    "Year 8 lad, no SEND, kicked the door of the science lab and stormed off.",
    "Year 5 girl, she has no additional needs, threw a chair at lunch.",
])
def test_no_send_is_held_and_the_send_lens_is_not_opened(tmp_path, message):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    replies = [engine.turn(session, m).reply for m in (
        message, "It was the first time; he'd been fine all term until the fire alarm went off.",
        "Mum says he was frightened by the alarm.")]
    record = engine.store.get(session.id).case
    assert case_record.no_send(record)
    for reply in replies:
        assert "SEND and the graduated approach" not in reply
        assert "EHC plan or SEN support" not in reply
        assert "s.66" not in reply  # the SEN duty is no ground for a pupil without SEN


def test_a_need_named_later_opens_send_again():
    record = case_record.update(case_record.CaseRecord(), "Year 9, no SEND on file, walked out of maths.")
    assert case_record.no_send(record)
    record = case_record.update(record, "Actually the SENCO thinks he might be dyslexic, he's being assessed.")
    assert not case_record.no_send(record)


@pytest.mark.parametrize("question, term", [
    ("What does FTE stand for?", "FTE"),
    ("sorry, what's a LADO?", "LADO"),
    ("What does IRP mean?", "IRP"),
    ("What is a managed move?", "managed move"),
])
def test_a_question_about_a_term_names_it(question, term):
    assert asks_meaning(question)
    assert term_named(question).term == term


def test_a_long_question_that_mentions_a_term_is_not_a_question_about_the_term():
    assert not asks_meaning("What does the guidance mean for us when he has an EHCP and keeps running out of lessons?")


def test_the_meaning_of_an_abbreviation_is_answered_first(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    engine.turn(session, "Year 10 boy pushed past a teacher on the stairs, she nearly fell.")
    reply = engine.turn(session, "Quick one, what does IRP stand for?").reply
    assert reply.startswith("**IRP** stands for independent review panel")
    assert "cards don't cover" not in reply


def test_a_comparison_answers_both_sides_and_leaves_the_choice(tmp_path):
    assert compared("what's the difference between a suspension and a managed move, and which fits?") == (
        "suspension", "managed move")
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    engine.turn(session, "Year 10 girl caught vaping in the toilets for the third time this half term.")
    reply = engine.turn(session, "What's the difference between a suspension and a managed move, and which "
                                 "fits here?").reply
    assert "45 school days" in reply  # what a suspension is
    assert "voluntary" in reply  # what a managed move is
    assert "your call" in reply


def test_a_prejudice_incident_keeps_the_targeted_pupil_in_view_and_asks_nothing_of_disability(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    replies = [engine.turn(session, m).reply for m in (
        "Year 10 girl, no SEND, posted homophobic comments about a Year 8 boy in a group chat.",
        "She says it was a joke and she didn't think he'd see it.",
        "It's the second time this term.")]
    asked = " ".join(line for reply in replies for line in reply.splitlines() if line.startswith("- "))
    assert "targeted" in asked  # the pupil on the receiving end, and what they need
    assert "disability" not in asked and "adjustment" not in asked
