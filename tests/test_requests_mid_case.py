"""A session plan or slides asked for in the middle of a live case are produced, on the case, and a plan fits
the time it was given."""
from __future__ import annotations

import re

import pytest

from tests.engine_helpers import offline_engine

pytestmark = pytest.mark.usefixtures("prepared")
CASE = "Year 4 boy with ADHD, on SEN support, ran out of the hall during assembly and kicked the door when stopped."


@pytest.fixture
def told(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    engine.turn(session, CASE)
    return engine, session


def test_a_twilight_plan_asked_for_mid_case_is_an_outline_that_ends_on_time(told):
    engine, session = told
    reply = engine.turn(session, "Could you sketch a 20 minute twilight plan for the TAs on this?").reply
    times = re.findall(r"\*\*(\d+)–(\d+) min\*\*", reply)
    assert times, reply  # an outline, not a summary of the case
    assert int(times[-1][1]) == 20
    assert "ADHD" in reply  # on the case told


def test_slides_asked_for_mid_case_are_slides(told):
    engine, session = told
    reply = engine.turn(session, "Can you give me three slides' worth of bullet points on this for staff?").reply
    assert reply.count("**Slide ") == 3
