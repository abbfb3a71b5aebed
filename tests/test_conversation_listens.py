"""A conversation that listens: direct questions get the right answer first, a
question the cards do not cover is said to be one, a fact the user gives
shapes what is asked next, and prep mode takes up the consultant's requests."""
from __future__ import annotations

import re

import pytest

from assistant.export import to_markdown
from assistant.record import build_record
from engine_helpers import cited_ids, offline_engine


def first_paragraph(reply: str) -> str:
    return reply.split("\n\n")[0]


def own_words(reply: str) -> str:
    """The reply without its card quotes (paragraphs that cite a card section)."""
    return "\n\n".join(p for p in reply.split("\n\n") if not re.search(r"\[`[a-z0-9:\-]+`, [A-Z]", p))


def test_sending_a_child_home_to_calm_down_is_answered_as_an_exclusion_question(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    engine.turn(session, "Year 5 girl on SEN support, struggling in the afternoons this term.")
    result = engine.turn(session, "Her dad picked her up at lunch so she could calm down at home. Is that allowed?")
    assert result.verdict.action == "allow"
    answer = first_paragraph(result.reply)
    assert re.search(r"exclu", answer, re.I) and re.search(r"unlawful|in law|formal", answer, re.I), result.reply
    assert cited_ids(answer)


@pytest.mark.xfail(reason="since December 2026 search's coverage estimate puts this transport question at its bar "
                          "(near the cards' section questions about the council); see knowledge/coverage.py",
                   strict=False)
def test_a_school_question_near_the_cards_but_not_in_them_is_said_not_covered(tmp_path):
    # The answer index finds sentences about pupils and the local authority close enough to quote; search,
    # reading the question's words, finds that no card covers school transport.
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    result = engine.turn(session, "Can the council refuse a free bus pass because the family chose a school "
                                  "that is not the nearest one?")
    answer = first_paragraph(result.reply)
    assert re.search(r"don't cover|can't find|isn't something|don't answer", answer), result.reply
    assert not cited_ids(answer)


def test_a_question_the_cards_do_not_cover_is_said_plainly_without_a_nearby_quote(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    result = engine.turn(session, "What is the VAT rate on fuel for the school minibus?")
    answer = first_paragraph(result.reply)
    assert re.search(r"don't cover|can't find|isn't something|don't answer", answer), result.reply
    assert not cited_ids(answer)


def test_a_short_follow_up_question_is_answered_about_the_topic_before_it(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    engine.turn(session, "What does the law say about searching a pupil's bag?")
    result = engine.turn(session, "Does another adult have to be there when we do it?")
    answer = first_paragraph(result.reply)
    assert re.search(r"second adult|same sex", answer), result.reply
    assert "reasonable-force-and-searching" in cited_ids(answer)


def test_a_question_asking_two_things_gets_both_answered(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    result = engine.turn(session, "If I suspend her, who do I have to tell, and when do governors have to meet?")
    answer = first_paragraph(result.reply)
    assert re.search(r"local authority|parents", answer) and re.search(r"15 school days|within", answer), result.reply


def test_a_figure_the_consultant_gives_shapes_what_comes_next(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("prep")
    engine.turn(session, "Planning a twilight for a secondary about its suspensions.")
    result = engine.turn(session, "30 of their 41 suspensions this year happened at break time.")
    assert "Pattern in the figures" in dict(engine.session(session.id).case.lines())
    assert re.search(r"\bbreak", own_words(result.reply)), result.reply


def test_prep_role_play_stays_in_part_through_a_question_asked_in_the_scene(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("prep")
    engine.turn(session, "Session for pastoral leads on conversations with parents after a suspension.")
    engine.turn(session, "Could you play a worried mum so I can practise? I'll be the head of year.")
    result = engine.turn(session, "What would help you feel listened to?")
    assert result.kind == "roleplay" and "(As " in result.reply, result.reply


def test_prep_outline_request_gets_a_timed_outline_for_the_length_given(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("prep")
    engine.turn(session, "A 45 minute staff meeting on SEND pathways in the behaviour policy.")
    result = engine.turn(session, "Can you give me a session outline?")
    steps = re.findall(r"^\d+\. \*\*(\d+)–(\d+) min\*\*", result.reply, re.M)
    assert len(steps) >= 3 and int(steps[-1][1]) == 45, result.reply
    exported = to_markdown(build_record(engine.session(session.id)))
    assert "Diagnostic questions" in exported and "45 min" in exported  # the plan, and the outline asked for


def test_prep_scenario_request_gets_an_invented_scenario_with_questions(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("prep")
    engine.turn(session, "Twilight on behaviour at lunchtime for a junior school; Year 5 is the hot spot.")
    result = engine.turn(session, "Write me a scenario for the tables to discuss.")
    assert "invented" in result.reply.lower() and "Year 5" in result.reply
    assert len(re.findall(r"^- .*\?$", result.reply, re.M)) >= 2


def test_options_are_framed_by_the_case_as_told(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    engine.turn(session, "Year 4 boy with ADHD, on SEN support. He kicked a door in maths and I'm thinking about a detention.")
    result = engine.turn(session, "So what are my options?")
    assert "Year 4" in result.reply and "ADHD" in result.reply
    assert re.search(r"\byours\b|your call|your choice|stays with you", result.reply)


def test_a_question_about_this_case_that_no_card_answers_gets_what_is_still_open(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    engine.turn(session, "Year 8 boy on SEN support swore at a teacher in the corridor and I'm weighing a detention.")
    result = engine.turn(session, "What should I weigh before I ring his mum tonight?")
    assert "don't cover" not in result.reply and "own account" in result.reply, result.reply
    assert len(re.findall(r"^- .*\?$", result.reply, re.M)) <= 3


def test_a_practice_question_the_cards_do_not_settle_is_thought_through_not_sent_away(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("practice")
    engine.turn(session, "In my Year 5 maths lesson a girl refused to start her work and I kept her in at break "
                         "to finish it. She cried.")
    result = engine.turn(session, "Should I have just let it go?")
    assert result.verdict.action == "allow"
    assert not re.search(r"legal adviser|local authority|your LA\b", result.reply)  # not a referral elsewhere
    assert re.search(r"^- .+\?$", result.reply, re.M)  # the reflection carries on with a question


def test_a_question_asked_without_a_question_mark_about_the_case_in_hand_is_answered(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    engine.turn(session, "Year 10 girl on SEN support for dyslexia swore at a cover teacher and I'm thinking about a "
                         "one-day suspension.")
    # No question mark, the question mid-sentence, and "suspension" only in the earlier message.
    result = engine.turn(session, "Before I ring home: if it's only one day, do we still have to tell the local "
                                  "authority or is that just for longer ones")
    answer = first_paragraph(result.reply)
    assert re.search(r"local authority", answer) and re.search(r"every suspension|whatever its length", answer), \
        result.reply
    assert "suspension-exclusion-legal-framework" in cited_ids(answer)


def test_a_request_for_a_slide_explaining_something_is_answered_briefly_in_prep(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("prep")
    result = engine.turn(session, "For the staff INSET I need one slide explaining what reasonable force means "
                                  "in law, plain English please.")
    assert result.kind == "answer", result.reply
    assert re.search(r"reasonable force", result.reply, re.I) and cited_ids(result.reply)
    assert "session plan" not in result.reply.lower()  # answered now, not folded into a plan for later
    assert len(result.reply.split()) <= 160


def test_a_recorded_decision_is_said_back_whole_and_open_points_are_not_listed_twice(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    engine.turn(session, "Year 8 boy on SEN support swore at a teacher in the corridor and I'm weighing a detention.")
    weighing = engine.turn(session, "What should I weigh before I ring his mum tonight?")
    decision = ("Decision (agreed with the head of year): no detention. Instead a reflection session with his key "
                "adult tomorrow, because the corridor at changeover is where his anxiety peaks, and a call to mum "
                "tonight to agree a quieter route between lessons.")
    result = engine.turn(session, decision)
    assert result.kind == "decision"
    assert "a call to mum tonight to agree a quieter route" in result.reply  # the reasons, not the first clause
    listed = set(re.findall(r"^- (.+\?)$", weighing.reply, re.M))
    assert not listed & set(re.findall(r"^- (.+\?)$", result.reply, re.M)), result.reply
    assert not re.search(r":\n*$", result.reply.split("\n\n")[1]), result.reply  # no list lead left empty
    md = to_markdown(build_record(engine.session(session.id)))
    assert "quieter route between lessons" in md


def test_a_part_named_only_by_a_first_name_is_played_as_that_person(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("practice")
    engine.turn(session, "A Year 3 boy tore up his work and I sent him to the partner class. He came back in tears.")
    result = engine.turn(session, "Can you be Marcus? I want to practise what I say when he comes back to class.")
    assert result.kind == "roleplay", result.reply
    assert "Marcus" in result.reply and "the Marcus" not in result.reply


def test_prep_discussion_questions_follow_the_sessions_topic(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("prep")
    engine.turn(session, "Twilight for tutors on confiscating phones and searching bags: what staff may and may not do.")
    result = engine.turn(session, "Give me discussion questions for the tables please.")
    cited = cited_ids(result.reply)
    assert {"mobile-phones-and-devices", "reasonable-force-and-searching"} & set(cited), result.reply
    assert len(re.findall(r"^- .+\?", result.reply, re.M)) == 3


def test_a_scenario_request_with_a_brief_is_built_on_the_brief(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("prep")
    engine.turn(session, "Session for lunchtime supervisors on responding to pupils with SEND, 40 minutes.")
    result = engine.turn(session, "I'd like a scenario for the tables: a Year 2 girl with Down syndrome (invented) "
                                  "who runs off from the dinner queue whenever the hall gets loud, and is kept in "
                                  "at playtime for it.")
    assert "Down syndrome" in result.reply and "dinner queue" in result.reply, result.reply
    assert "pushes another pupil" not in result.reply  # not the stock scenario
    assert len(re.findall(r"^- .+\?", result.reply, re.M)) == 3


def test_after_an_escalation_the_next_reply_says_where_the_concern_sits_and_does_not_ask_for_the_account(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    first = engine.turn(session, "Year 4 girl told her teacher at lunch that her mum's boyfriend locks her in her room "
                                 "without food when she's been bad.")
    assert first.verdict.action == "escalate"
    result = engine.turn(session, "I have passed it to the DSL who is handling it. She's been refusing to go into "
                                  "class all week and staff want to put her on report. What should I weigh?")
    assert result.verdict.action == "allow"
    assert result.reply.startswith("Thank you for passing it on"), result.reply
    assert "own account" not in result.reply
    md = to_markdown(build_record(engine.session(session.id)))
    assert "own account been heard" not in md


def test_stepping_out_of_a_role_play_brings_questions_to_look_back_on_it(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("prep")
    engine.turn(session, "Session for new heads of year on difficult parent meetings.")
    engine.turn(session, "Can you play a mum whose daughter has had three detentions this week for lateness?")
    in_scene = engine.turn(session, "I can see this has been a hard week. What has she told you about the mornings?")
    assert in_scene.kind == "roleplay"
    out = engine.turn(session, "Ok thanks, that's enough. How did I do there?")
    assert out.kind != "roleplay" and "(As " not in out.reply
    assert len(re.findall(r"^- .+\?$", out.reply, re.M)) >= 2


def test_the_particulars_of_an_account_are_taken_up_in_the_replys_own_words(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    engine.turn(session, "Year 3 girl with cerebral palsy and an EHCP. She uses a wheelchair and got very upset in PE.")
    result = engine.turn(session, "It started when the minibus to the swimming baths was cancelled and the class "
                                  "went to the sports hall instead.")
    said = own_words(result.reply)
    assert re.search(r"minibus|swimming baths", said), result.reply
    assert "It started when" not in said  # taken up, not quoted back


def test_a_case_question_that_is_not_about_weighing_does_not_get_the_record_checklist(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    engine.turn(session, "Year 8 boy on SEN support swore at a teacher in the corridor and I'm weighing a detention.")
    result = engine.turn(session, "How do I explain whatever I decide to the teacher without it sounding like I "
                                  "don't back her?")
    assert "each would shape what you weigh" not in result.reply, result.reply


def test_force_in_a_live_account_brings_one_check_on_recording_and_telling_the_parents(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    first = engine.turn(session, "Year 9 boy, autistic, EHCP. Two staff held him by the arms in the corridor for a "
                                 "few minutes this morning when he went for another pupil. I need to decide what next.")
    assert first.verdict.action == "allow"
    assert re.search(r"recorded|written up", first.reply) and re.search(r"parents", first.reply), first.reply
    later = engine.turn(session, "The hold lasted about three minutes and he calmed in the quiet room afterwards.")
    assert not re.search(r"parents or carers (?:been told|heard)", later.reply)  # asked once, not every turn


def test_prep_questions_are_put_as_questions_for_the_session(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("prep")
    engine.turn(session, "I'm planning a twilight for a primary staff team on lunchtime incidents.")
    result = engine.turn(session, "What does the guidance say about removing a pupil from class?")
    questions = [line for line in result.reply.split("\n") if line.startswith("- ")]
    assert questions and re.search(r"\bsession\b", result.reply), result.reply
    assert not re.search(r"on the day|what was used", result.reply)


def test_a_practice_reflection_follows_the_person_past_stages_they_have_moved_on_from(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("practice")
    engine.turn(session, "Yesterday in Year 4 I raised my voice at a boy who kept tipping his chair, and he ran out "
                         "of the room. I felt awful afterwards and I keep replaying it.")
    result = engine.turn(session, "Analysis bit: I think it built up because the room was hot and noisy after "
                                  "PE and he'd been told off twice already before I said anything.")
    assert "**Description**" not in result.reply and "**Feelings**" not in result.reply, result.reply
    assert "feelings**" not in result.reply.lower(), result.reply


def test_a_practice_action_plan_does_not_send_the_reflection_back_to_the_start(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("practice")
    engine.turn(session, "Yesterday a Year 2 girl hid under the table in phonics and I lost my temper with her "
                         "in front of the class. I felt terrible.")
    result = engine.turn(session, "Action plan: tomorrow I'm going to apologise to her with a visual, I'll ask the "
                                  "SENCO about her plan, and I'll give her a job at the start of phonics.")
    assert "**description**" not in result.reply.lower() and "what happened" not in result.reply.lower(), result.reply


def test_a_practice_note_is_the_reflection_in_the_persons_words_not_the_case_fields(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("practice")
    engine.turn(session, "Yesterday in maths a Year 6 boy refused to start his work, so I kept him in at break "
                         "in front of his friends.")
    engine.turn(session, "I felt embarrassed and a bit angry because the dinner staff were watching.")
    engine.turn(session, "Looking back I think he was already wound up because his team was losing.")
    result = engine.turn(session, "Can you turn all this into a short note for my mentor?")
    assert result.understanding.kind == "draft_request"
    assert "kept him in" in result.reply and "embarrassed" in result.reply and "wound up" in result.reply, result.reply
    assert "**Year group**" not in result.reply


def test_a_role_play_asked_for_first_in_prep_is_played_even_when_the_part_is_upset(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("prep")
    result = engine.turn(session, "Can you play an angry dad who is at the end of his tether because his son keeps "
                                  "being put in isolation? I'll be the head of year.")
    assert result.verdict.action == "allow"
    assert re.search(r"I'll play|\(As ", result.reply), result.reply
    assert "08000 562 561" not in result.reply and "## Session plan" not in result.reply


def test_a_scenario_built_on_a_brief_leaves_out_the_consultants_own_framing(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("prep")
    engine.turn(session, "I'm running a twilight for middle leaders on removal from class.")
    result = engine.turn(session, "Can you write me a scenario for the tables? I need it for my session on Thursday. "
                                  "A Year 8 girl with ADHD keeps being sent to the reflection room from science "
                                  "after arguing about her seat, and her attendance is starting to drop.")
    assert "reflection room" in result.reply
    assert "I need it for my session" not in result.reply and "Can you write me" not in result.reply


def test_a_question_asked_again_is_answered_again_and_marked_as_said(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    first = engine.turn(session, "What is the most school days a pupil can be suspended for in one school year?")
    assert "45 school days" in first.reply
    engine.turn(session, "She's in Year 8 and has had two short suspensions already this year.")
    again = engine.turn(session, "Sorry, remind me: what's the yearly limit on suspension days?")
    assert "45 school days" in again.reply and "As I said earlier" in again.reply


def test_a_lay_question_is_answered_from_the_section_that_answers_it(tmp_path):
    """Lay words ("who has to be there") meet the section through the questions it answers."""
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    result = engine.turn(session, "We think a Year 10 lad has a blade in his bag. Who has to be there when staff search him?")
    assert "[`reasonable-force-and-searching`, Searching pupils]" in first_paragraph(result.reply)


def test_discussion_prompts_asked_for_by_number_are_given_in_that_number(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("prep")
    result = engine.turn(session, "Planning a staff INSET on removal from class. Could I have five prompts for the table "
                                  "groups to talk through?")
    bullets = [line for line in result.reply.splitlines() if line.startswith("- ")]
    assert "five to put to the team" in result.reply and len(bullets) == 5


def test_a_further_piece_asked_for_after_a_nod_is_built_on_what_follows_the_colon(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("prep")
    engine.turn(session, "I'm doing a governors' training evening on suspensions next month.")
    result = engine.turn(session, "Lovely. And a short scenario for them: Year 4 girl, selective mutism, refused to "
                                  "read aloud and tore up her book.")
    assert "selective mutism" in result.reply and "invented scenario" in result.reply
    assert "Lovely" not in result.reply.split("> ", 1)[1].split("\n")[0]  # the nod is not part of the vignette


def test_a_fact_the_law_speaks_to_is_named_once_with_its_source(tmp_path):
    """"Dad offered to take her home" is an informal exclusion whatever else is weighed: said once, cited."""
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    first = engine.turn(session, "Year 2 girl with speech and language needs bit a classmate during phonics. Dad "
                                 "offered to pick her up so she's at home now.")
    assert "informal exclusion" in first.reply and "[`suspension-exclusion-legal-framework`" in first.reply
    later = engine.turn(session, "Dad says he is fine to collect her again tomorrow if it happens again.")
    assert "One point the law is clear on" not in later.reply  # said once a conversation


def test_a_looked_after_pupil_brings_the_virtual_school_duty(tmp_path):
    engine = offline_engine(tmp_path)
    session = engine.new_session("live")
    result = engine.turn(session, "Year 9 boy in foster placement, third fight this term. A suspension is on the table "
                                  "and I want to think it through.")
    assert "virtual school head" in result.reply
