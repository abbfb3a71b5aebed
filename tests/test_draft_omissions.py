"""A draft leaves out what the leader asked it to leave out, and says so; everything else stays."""
from __future__ import annotations

import datetime as dt

import pytest

from assistant import draft_omissions, write_ups
from tests.engine_helpers import offline_engine

pytestmark = pytest.mark.usefixtures("prepared")

CASE = [
    "Year 6 boy, Callum, ADHD on SEN support, threw a chair in maths after the TA moved his seat.",
    "He had been dropped from the football team that morning and was upset about it.",
    "Decision: no suspension; a restorative meeting with the TA and a seat plan agreed with him, reviewed in two weeks.",
]


@pytest.mark.parametrize("message, expected", [
    ("Write up my decision, but leave out the bit about his dad please", ["the bit about his dad"]),
    ("Decision note please, and leave his dad out of it.", ["his dad"]),
    ("Notes for the call with mum; don't mention the disclosure, the DSL has it.", ["the disclosure"]),
    ("A summary for governors, anonymised", [draft_omissions.NAMES]),
    ("Write it up without naming him", [draft_omissions.NAMES]),
    ("Write up my decision for the log", []),
])
def test_what_to_leave_out_is_read_from_the_request(message, expected):
    assert draft_omissions.asked(message) == expected


@pytest.fixture(scope="module")
def session(tmp_path_factory, prepared):
    engine = offline_engine(tmp_path_factory.mktemp("omit"))
    told = engine.new_session("live")
    for message in CASE:
        engine.turn(told, message)
    return told


def _draft(session, message):
    said = [t.text for t in session.turns if t.role == "user"]
    # Drafted directly: whether a message reaches the drafter is the guard's decision, tested with the guard.
    return write_ups.draft(session, message, said, [*said, message], None, lambda s: None, "leader",
                           dt.date(2026, 11, 30)).text


def test_a_decision_note_leaves_out_what_was_asked_and_keeps_the_rest(session):
    whole = _draft(session, "Please write that up as a decision note.")
    assert "football" in whole.lower()  # the drafter would otherwise carry it
    text = _draft(session, "Please write that up as a decision note, and leave the football out of it.")
    assert "leaves out *the football*" in text
    assert "football" not in text.replace("*the football*", "")  # only the line saying so names it
    assert "restorative meeting" in text and "ADHD" in text


def test_no_names_takes_the_pupils_name_out(session):
    text = _draft(session, "Write up my decision for the file, no names please.")
    assert "Callum" not in text
    assert "restorative meeting" in text


def test_a_correction_is_said_back_and_a_decision_told_with_the_request_is_in_the_note(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    engine.turn(session, "Year 7 boy, Kofi, refused to hand over his phone in geography on Monday and swore at the "
                         "teacher.")
    said_back = engine.turn(session, "Sorry, actually it was Wednesday, and he's Year 8 not 7.").reply
    assert "Wednesday, not Monday" in said_back and "Year 8, not Year 7" in said_back
    note = engine.turn(session, "Can you write that up as a decision note? Decision: phone kept until the end of "
                                "the day and a restorative chat with the teacher.").reply
    assert "### Decision note" in note  # the document named, though the message mentions a chat with the teacher
    assert "Wednesday" in note and "Monday" not in note and "Year 8" in note
    assert "**Decision**: phone kept until the end of the day" in note


def test_the_schools_name_is_taken_out_when_asked_and_the_sentence_kept():
    text = ("Here is a draft.\n\n**What happened**: At Ashfield Primary School a Year 4 boy kicked the door.\n\n"
            "**Next**: Review meeting at St Mary's C of E Academy on Monday.")
    items = draft_omissions.asked("Write it up for the trust, and leave the school's name out please")
    out = draft_omissions.leave_out(text, items, [])
    assert "Ashfield" not in out and "St Mary's" not in out
    assert "At the school a Year 4 boy kicked the door." in out and "Review meeting at the school" in out
