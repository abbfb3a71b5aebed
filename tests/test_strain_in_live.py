"""A leader who says they are exhausted or dreading something while telling the case is met briefly (support
named once), and the case goes on; the helpline is not repeated turn after turn."""
from __future__ import annotations

import pytest

from tests.engine_helpers import offline_engine

pytestmark = pytest.mark.usefixtures("prepared")
HELPLINE = "08000 562 561"


def test_strain_said_with_the_case_is_met_and_the_case_goes_on(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    first = engine.turn(session, "Year 8 girl swore at a cover teacher and walked out of science, the fourth time "
                                 "this half term. I'm honestly shattered, it's been one of those weeks.")
    assert first.verdict.action == "allow"
    assert HELPLINE in first.reply
    assert "\n- " in first.reply  # and a question about the case, not only the support
    second = engine.turn(session, "She has SEN support for anxiety and I'm dreading ringing her mum again.")
    assert HELPLINE not in second.reply
    assert "\n- " in second.reply


def test_the_helpline_is_given_once_when_strain_is_all_that_is_said(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    replies = [engine.turn(session, m).reply for m in (
        "Honestly I'm running on empty. I don't know how much longer I can keep doing this job.",
        "Still feel wiped out, to be honest.")]
    assert sum(HELPLINE in r for r in replies) <= 1
