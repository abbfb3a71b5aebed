"""The policy review on plain prose (round 8): rules written without a ladder or a table, and
descriptive sentences around them. Every sentence here is written for the test, in the shapes
policies use; none is taken from a policy."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.policy_review import review_policy
from knowledge.extract import extract
from knowledge.text import split_sentences


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("REFLECT_DATA_DIR", str(tmp_path / "data"))


def _review(tmp_path: Path, text: str, name: str = "policy.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return review_policy(path)


def _sentence(tmp_path: Path, sentence: str):
    return _review(tmp_path, f"Behaviour\n\n{sentence}\n")


@pytest.mark.parametrize("sentence", [
    # an outcome said passively, in the present tense, for a named behaviour
    pytest.param("Bad language towards a visitor is met with a one day suspension.", id="is-met-with"),
    pytest.param("Lateness to lessons is dealt with by a twenty minute detention.", id="is-dealt-with-by"),
    # held to a fixed time
    pytest.param("Pupils sent to the unit will not be released until 3.20pm.", id="not-released-until-a-time"),
    pytest.param("Learners in the base are not dismissed until the end of the school day.", id="not-dismissed-until-end"),
    # the sanction as part of what a referral involves
    pytest.param("A stay in the hub will involve the pupil completing a lunchtime detention.", id="will-involve"),
    # time taken off, said passively
    pytest.param("Ten minutes of choosing time is taken away.", id="minutes-taken-away"),
    pytest.param("Two minutes of play are deducted.", id="minutes-deducted"),
    # zero tolerance in other words
    pytest.param("There are no second chances for bringing a lighter to school.", id="no-second-chances"),
    pytest.param("The rules on vaping apply under any circumstances.", id="under-any-circumstances"),
    # a count that triggers a period on report
    pytest.param("Four late marks in a month lead to a week on report.", id="count-to-a-week-on-report"),
    # removal to a room, passive
    pytest.param("Pupils who shout out repeatedly are removed to the calm base.", id="removed-to-a-room"),
    # kept in for a set time
    pytest.param("Children who climb the fence are not allowed outside for two playtimes.", id="kept-in-for-a-time"),
])
def test_plain_prose_rules_are_found(sentence, tmp_path):
    assert _sentence(tmp_path, sentence).findings, sentence


@pytest.mark.parametrize("sentence", [
    # a sanction described by what it stands in for, with no behaviour named
    pytest.param("Students are placed in the base as an alternative to being sent home.", id="as-an-alternative"),
    pytest.param("The learning hub is used instead of a suspension.", id="instead-of"),
    # a reward whose only "sanction" word is its own length of time
    pytest.param("Each child starts the week with 30 minutes of reward time on Friday afternoon.", id="reward-minutes"),
    # a cap on a sanction limits it
    pytest.param("A pupil will never be put in the isolation room for longer than a morning.", id="never-put-in"),
    # the same "until" shape about care, not a set time
    pytest.param("Pupils who feel unwell are not released until a parent arrives.", id="care-until-parent"),
])
def test_descriptive_sentences_about_sanctions_are_not_flagged(sentence, tmp_path):
    assert _sentence(tmp_path, sentence).findings == [], sentence


@pytest.mark.parametrize("lead, ladder", [
    ("If a pupil keeps disrupting, this system is applied in order:", True),
    ("If a pupil keeps disrupting, staff have these tools:", False),
])
def test_a_list_applied_in_a_fixed_order_is_a_ladder(lead, ladder, tmp_path):
    review = _review(tmp_path, f"# In class\n\n{lead}\n\n- a quiet reminder\n- a second reminder and a move of seat\n"
                               "- a 10 minute detention at break\n- a member of the senior team will be called to make a decision\n",
                     "ladder.md")
    quotes = [f.quote for f in review.findings]
    assert ("a 10 minute detention at break" in quotes) is ladder
    # a step that hands the outcome to someone's decision leaves it open
    assert "a quiet reminder" not in quotes and not any("decision" in q for q in quotes)


def test_professional_judgement_stated_elsewhere_is_a_general_route(tmp_path):
    rule = "Pupils who fight at lunchtime will spend the afternoon in the reflection room."
    review = _review(tmp_path, "# Our approach\n\nStaff use their professional judgements when applying consequences.\n\n"
                               f"# Lunchtime\n\n{rule}\n", "policy.md")
    [finding] = review.findings
    assert finding.pathway.route == "elsewhere"
    without = _review(tmp_path, f"# Lunchtime\n\n{rule}\n", "bare.md")
    assert without.findings[0].pathway.route == "none"


@pytest.mark.parametrize("statement, status", [
    ("We know some pupils need adjustment to how our expectations apply to them.", "present"),
    ("We expect every pupil to meet our expectations.", "missing"),
])
def test_a_statement_that_pupils_need_adjustment_counts(statement, status, tmp_path):
    review = _review(tmp_path, f"# Principles\n\n{statement}\n", "principles.md")
    assert next(e for e in review.elements if e.id == "reasonable-adjustments").status == status


@pytest.mark.parametrize("after, status", [
    ("Parents can monitor their child's behaviour online at any time.", "missing"),
    ("Every removal is logged by the class teacher.", "present"),
])
def test_what_parents_can_follow_online_is_not_the_record_of_removals(after, status, tmp_path):
    review = _review(tmp_path, "# Removal\n\nPupils who disrupt twice will be removed from the lesson to the "
                               f"reflection room.\n\n{after}\n", "removal.md")
    assert next(e for e in review.elements if e.id == "removal-recorded").status == status


def test_dotted_initials_inside_a_sentence_do_not_end_it():
    assert split_sentences("Pupils without their P.E. kit sit out of the lesson. Then they change.") == [
        "Pupils without their P.E. kit sit out of the lesson.", "Then they change."]
    assert split_sentences("We teach D.T. Pupils enjoy it.") == ["We teach D.T.", "Pupils enjoy it."]


def test_a_list_item_with_dotted_initials_is_one_rule(tmp_path):
    review = _review(tmp_path, "# Detentions\n\nA detention will be given for these reasons:\n\n"
                               "- forgetting a P.E. kit\n- being late twice in a week\n", "list.md")
    assert any(f.quote.endswith("forgetting a P.E. kit") for f in review.findings)


def test_a_question_in_capitals_is_a_heading(tmp_path):
    path = tmp_path / "faq.txt"
    path.write_text("WHAT HAPPENS AT BREAK?\n\nPupils play outside with an adult on duty.\n", encoding="utf-8")
    [heading, body] = extract(path).blocks
    assert heading.kind == "heading" and body.section == "WHAT HAPPENS AT BREAK?"
