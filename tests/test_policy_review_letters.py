"""The policy review on the short texts schools publish beside the policy (round 9): letters to
parents, phones and vaping notices, consequences pages. Outcomes there are often said in prose with no
sanction noun ("will be collected by a parent", "will not return to lessons that day", "kept until the
end of term"), and around them sits rationale written to parents. Every sentence here is written for
the test, in the shapes such texts use; none is taken from a school's text."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.policy_review import review_policy


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("REFLECT_DATA_DIR", str(tmp_path / "data"))


def _review(tmp_path: Path, text: str, name: str = "letter.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return review_policy(path)


def _sentence(tmp_path: Path, sentence: str):
    return _review(tmp_path, f"Dear parents and carers\n\n{sentence}\n")


def _element(review, element_id: str) -> str:
    return next(e for e in review.elements if e.id == element_id).status


@pytest.mark.parametrize("sentence", [
    # sent home without the words "sent home"
    pytest.param("Pupils who throw snowballs at the windows will be collected from school by a parent.",
                 id="collected-by-a-parent"),
    pytest.param("If your child is found with a lighter, you will be phoned to collect your child.",
                 id="parent-called-to-collect"),
    pytest.param("Students caught smoking will be told to remain at home the following day.", id="remain-at-home"),
    pytest.param("If a pupil refuses to hand over a lighter, they will go home for the rest of the day.",
                 id="go-home-for-the-day"),
    # kept out of lessons for a set time
    pytest.param("A pupil who walks out of a lesson will not return to lessons that day.", id="not-return-that-day"),
    pytest.param("Anyone who spits at another pupil will not go back to class until after lunch.",
                 id="not-go-back-until"),
    # an item kept for a fixed time, or handed back only to a parent
    pytest.param("On the third occasion, the football will be kept until the end of term.", id="kept-until-end-of-term"),
    pytest.param("Confiscated speakers will only be given back to a parent or carer.", id="only-returned-to-a-parent"),
    pytest.param("A confiscated lighter is not handed back until a parent comes in to school.",
                 id="not-handed-back-until"),
    pytest.param("We will not give the earphones back until an adult has signed for them.", id="we-will-not-return-until"),
    pytest.param("Any vape found will be handed to reception and held there until you collect it.",
                 id="held-until-you-collect"),
    pytest.param("Earphones seen in lessons are taken to reception for collection by a parent.",
                 id="for-collection-by-a-parent"),
    # kept somewhere until something is over, said as where the pupil learns
    pytest.param("Pupils accused of theft will complete their learning in the inclusion room until the matter is closed.",
                 id="learning-in-a-room-until"),
    pytest.param("A confiscated speaker is locked in the office and returned after five school days.",
                 id="returned-after-a-set-time"),
    pytest.param("Anyone who will not open their bag will be asked to wait in reception until a parent arrives.",
                 id="asked-to-wait-until-a-parent-arrives"),
    # moved up to a harsher outcome
    pytest.param("Pupils who walk out of the reset room are escalated to a suspension.", id="escalated-to"),
    # a loss after a condition opened with "where"
    pytest.param("Where a child kicks another child, they will miss the rest of that playtime.", id="where-condition-loss"),
    # a modal inside the subject says whom the rule reaches; the outcome is still fixed
    pytest.param("Students who could not sit still in assembly will eat lunch apart from their friends for the rest of "
                 "the week.", id="modal-in-the-subject"),
    # a count said as "instance"
    pytest.param("In the second instance, the pupil is sent out to another class.", id="second-instance"),
    # staying behind is a detention by another name
    pytest.param("Pupils who are late to registration will have to stay behind after school for ten minutes.",
                 id="stay-behind"),
])
def test_outcomes_said_in_prose_without_a_sanction_noun_are_found(sentence, tmp_path):
    assert _sentence(tmp_path, sentence).findings, sentence


def test_sending_a_pupil_home_asks_how_it_is_recorded_as_a_suspension(tmp_path):
    [finding] = _sentence(tmp_path, "Pupils who damage the toilets will be collected from school by a parent.").findings
    assert finding.kind == "sent-home"
    assert "suspension" in finding.question and finding.question.endswith("?")
    assert "suspension-exclusion-legal-framework" in finding.cards


@pytest.mark.parametrize("sentence", [
    # a document's title naming its topic
    pytest.param("Letter to Families – Detentions", id="document-title"),
    # the main verb hedged, the sanction word in a later clause
    pytest.param("A pupil may be kept in for other reasons, such as a serious incident that warrants a sanction.",
                 id="hedged-main-verb"),
    # what staff do after a condition, with no sanction named
    pytest.param("If a pupil will not leave the room, the teacher should ask a senior leader, who will come and help.",
                 id="staff-step-after-condition"),
    # who a sanction is not used for
    pytest.param("Children in Nursery will not be sent to the calm room, but stay with their key worker.",
                 id="exemption"),
    # a routine for everyone on arrival
    pytest.param("When pupils arrive in the morning, phones must be switched off and handed to the form tutor.",
                 id="arrival-routine"),
    # a sanction negated with "never"
    pytest.param("Most of our pupils never receive a detention, and we are proud of them.", id="never-receive"),
    # returning after a holiday, collected after an event: no behaviour sets them
    pytest.param("Pupils will not return to school until Tuesday after the bank holiday.", id="holiday-return"),
    pytest.param("Pupils will be collected by their parents from the hall at the end of the concert.",
                 id="collected-after-an-event"),
    # a question in an FAQ names the topic it answers
    pytest.param("What happens if my child misses a detention?", id="faq-question"),
    # work sent for an absent pupil is provision, not a sanction
    pytest.param("Students who are absent will be given work to complete at home.", id="work-for-absence"),
    # expectations in a code of conduct set no outcome
    pytest.param("Students will walk calmly on the left of every corridor.", id="code-of-conduct-expectation"),
    # things lent or borrowed and handed back
    pytest.param("Library books are kept for two weeks and returned after three weeks at the latest.", id="library-books"),
    pytest.param("Pupils who borrow a calculator will have it taken back at the end of the lesson.", id="borrowed-item"),
    # rationale written to parents
    pytest.param("We have seen more vapes in school this term, and they worry us because of what they contain.",
                 id="rationale"),
    pytest.param("Your child will hear about these changes from their tutor on Monday morning.", id="your-child-will-hear"),
])
def test_letter_prose_around_sanctions_is_not_flagged(sentence, tmp_path):
    assert _sentence(tmp_path, sentence).findings == [], sentence


def test_a_step_label_with_its_outcome_on_one_short_line_is_a_step(tmp_path):
    review = _review(tmp_path, "Our levels\n\nL1 verbal reminder\nL2 final reminder\n"
                               "L3 sent out to a partner class – break detention set\nL4 day in the learning base\n\n"
                               "Every step is explained to the pupil.\n", "levels.txt")
    quotes = [f.quote for f in review.findings]
    assert "L3 sent out to a partner class – break detention set" in quotes
    assert "L4 day in the learning base" in quotes
    assert not any(q.startswith(("L1", "L2")) for q in quotes)  # reminders set no sanction


@pytest.mark.parametrize("text, status", [
    pytest.param("A pupil who is removed from a lesson is logged on the behaviour system.", "present", id="from-a-lesson"),
    pytest.param("We run a lunchtime time-out system for children who hurt others.\n\n"
                 "The time-out room is a calm place. This is not an isolation room.", "n/a", id="lunchtime-room"),
    pytest.param("Pupils who disrupt lessons are sent to the time-out room.", "missing", id="room-from-lessons"),
])
def test_removal_from_class_is_told_from_rooms_used_at_lunch(text, status, tmp_path):
    assert _element(_review(tmp_path, f"Behaviour\n\n{text}\n"), "removal-recorded") == status


@pytest.mark.parametrize("statement, route", [
    pytest.param("As headteacher I will use my discretion in these matters.", "elsewhere", id="use-my-discretion"),
    pytest.param("The headteacher has discretion to vary any sanction where a pupil's needs call for it.", "elsewhere",
                 id="discretion-to-vary"),
    # discretion over which sanction may be used, or when, gives no room in applying the rule
    pytest.param("Detentions are held at the head of year's discretion on any weekday.", "none", id="discretion-over-timing"),
])
def test_a_general_statement_of_discretion_over_sanctions_is_a_route_elsewhere(statement, route, tmp_path):
    review = _review(tmp_path, f"# Our approach\n\n{statement}\n\n# Phones\n\n"
                               "Any phone seen in school will be confiscated for a week.\n", "letter.md")
    [finding] = review.findings
    assert finding.pathway.route == route
