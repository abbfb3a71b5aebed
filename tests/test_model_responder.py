"""A configured model words the reply; it never changes what is allowed."""
from __future__ import annotations

from engine_helpers import FailingModel, RecordingModel, SlowModel, cited_ids, model_engine, scripted

SITUATION = ("Year 7 pupil with ADHD and an EHC plan threw a chair in maths after being moved seats. "
             "Nobody was hurt. I want to think through how we respond.")


def test_a_model_reply_streams_in_pieces_and_the_final_reply_is_kept(tmp_path):
    reply = ("Thank you. That is a lot to hold at once. Let's start with **needs**. "
             "What changed for him when he was moved? Who was sitting near him? "
             "What does his plan say about seating? [`send-ehcp-and-exclusion-risk`]")
    engine = model_engine(tmp_path, scripted(reply))
    session = engine.new_session("live")
    pieces: list[str] = []
    result = engine.turn(session, SITUATION, on_chunk=pieces.append)
    # Text is shown sentence by sentence, once the output rail has checked it.
    assert len(pieces) >= 4 and "".join(pieces) == reply and result.reply.startswith(reply)
    assert result.notice is None
    assert engine.session(session.id).turns[-1].text == result.reply


def test_a_model_that_is_down_falls_back_to_the_offline_reply_with_a_notice(tmp_path):
    engine = model_engine(tmp_path, FailingModel())
    session = engine.new_session("live")
    result = engine.turn(session, SITUATION)
    assert "offline responder" in result.notice and "failed" in result.notice
    assert result.verdict.action == "allow" and cited_ids(result.reply)
    stored = engine.session(session.id).turns
    assert stored[0].text == SITUATION  # nothing typed is lost


def test_a_slow_model_times_out_and_falls_back(tmp_path):
    engine = model_engine(tmp_path, SlowModel(delay=3), timeout_seconds=0.5)
    result = engine.turn(engine.new_session("live"), SITUATION)
    assert "did not answer in time" in result.notice
    assert cited_ids(result.reply)


def test_a_determination_mid_stream_is_replaced_whole_by_the_template(tmp_path):
    reply = ("It helps to look at his needs first. " * 8
             + "Having weighed it up, you should permanently exclude him; the behaviour policy is clear "
             "and it is the right decision. " + "More words follow here. " * 10)
    engine = model_engine(tmp_path, scripted(reply))
    pieces: list[str] = []
    result = engine.turn(engine.new_session("live"), SITUATION, on_chunk=pieces.append)
    assert result.notice and "output check" in result.notice  # the offline reply replaces the model's
    assert "exclude him" not in result.reply and "right decision" not in result.reply
    assert "More words follow" not in "".join(pieces)  # the stream stopped when the rail fired
    assert engine.guard.check_output(result.reply).action == "allow"


def test_names_and_identifiers_are_redacted_for_a_remote_model_and_restored_in_the_reply(tmp_path):
    model = RecordingModel(reply="What did [Pupil A] say happened before Mr [Staff B] moved him? "
                                 "[`behaviour-as-communication-and-trauma`]", seen=[])
    engine = model_engine(tmp_path, model, remote=True)
    session = engine.new_session("live", names=["pupil: Callum Reid", "staff: Mr Okafor"])
    result = engine.turn(session, "Callum Reid (UPN K12345678901A) threw a chair when Mr Okafor moved him. "
                                  "Mum's number is 07700 900456.")
    sent = model.seen[-1]
    for secret in ["Callum", "Reid", "Okafor", "K12345678901A", "07700 900456"]:
        assert secret not in sent
    assert "[Pupil A]" in sent and "Mr [Staff B]" in sent  # the title stays a title
    assert "What did Callum Reid say happened before Mr Okafor moved him?" in result.reply
    assert result.sent_to_model == engine.session(session.id).turns[-1].sent_to_model
    assert "Callum" not in result.sent_to_model


def test_a_local_model_sees_the_text_as_written(tmp_path):
    model = RecordingModel(reply="What happened just before? [`behaviour-as-communication-and-trauma`]", seen=[])
    engine = model_engine(tmp_path, model, remote=False)
    engine.turn(engine.new_session("live", names=["pupil: Callum Reid"]), "Callum Reid threw a chair in maths today.")
    assert "Callum Reid" in model.seen[-1]


def test_a_refused_message_never_reaches_the_model(tmp_path):
    model = RecordingModel(reply="anything", seen=[])
    engine = model_engine(tmp_path, model)
    result = engine.turn(engine.new_session("live"), "Should I permanently exclude him? Yes or no.")
    assert result.verdict.action == "refuse" and model.seen == []


def test_a_stopped_reply_keeps_only_text_the_rail_has_checked_and_no_sources(tmp_path):
    import threading

    reply = ("That sounds like a hard morning. What happened just before? " * 6
             + "Then the unchecked tail, which must never be kept. " * 4 + "[`behaviour-as-communication-and-trauma`]")
    engine = model_engine(tmp_path, scripted(reply))
    cancel = threading.Event()
    pieces: list[str] = []

    def shown(piece: str) -> None:
        pieces.append(piece)
        cancel.set()  # the user presses Esc as soon as the first checked text appears

    result = engine.turn(engine.new_session("live"), SITUATION, on_chunk=shown, cancel=cancel)
    assert result.notice == "You stopped the reply."
    assert result.reply == "".join(pieces).strip() + "\n\n*(stopped)*"  # exactly what was checked and shown
    assert "unchecked tail" not in result.reply and "Sources:" not in result.reply


def test_the_model_receives_the_case_the_answer_and_the_questions_inside_data_tags(tmp_path):
    model = RecordingModel(reply="A lunchtime suspension counts as half a day [`suspension-exclusion-legal-framework`].")
    model.seen.clear()
    engine = model_engine(tmp_path, model)
    session = engine.new_session("live")
    engine.turn(session, "Year 6 girl with ADHD, on SEN support, keeps hitting out at lunchtime.")
    engine.turn(session, "What is a managed move?")
    prompt = model.seen[-1]
    case = prompt.split("<case>")[-1].split("</case>")[0]  # the system prompt names the tags too
    assert "Year 6" in case and "SEN support" in case
    answer = prompt.split("<answer>")[-1].split("</answer>")[0]
    assert "`managed-moves-and-offsite-direction`" in answer
    assert "<questions>" in prompt
