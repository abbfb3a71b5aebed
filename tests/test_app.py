"""The chat: Pilot tests with a scripted fake model (and the offline responder)."""
from __future__ import annotations

import threading

import pytest
from langchain_core.messages import AIMessage
from textual import events
from textual.widgets import Static

from assistant.app.app import ReflectApp
from assistant.app.messages import ReplyChunk
from assistant.app.screens.reader import CardReader
from assistant.app.widgets.chat_log import UserMessage
from test_app_support import (
    CITED, DISCLOSURE, EXCLUDE, SITUATION, SIZE, SlowModel, app_env, idle, make_app, make_engine, notes, ready,
    replies, scripted, send, until,
)

__all__ = ["app_env"]

MODEL_REPLY = (
    "You've described a pupil with an EHC plan and a predictable sensory trigger. "
    "Let's start with **needs**.\n\n"
    "- Did the alarm test set this off?\n"
    "- What does his plan say about leaving a room when he is distressed?\n"
)


def status(app) -> str:
    return str(app.chat.query_one("#status", Static).content)


async def test_the_app_paints_before_warm_up_and_a_message_sent_early_waits_for_it(app_env):
    engine = make_engine(app_env)
    gate = threading.Event()
    real_warm_up = engine.warm_up

    def slow_warm_up(progress=None):
        gate.wait()  # released by the test below, whatever the machine's speed
        real_warm_up(progress)

    engine.warm_up = slow_warm_up
    app = ReflectApp(engine=engine)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.first_paint is not None)  # painted while the warm-up is held back
        assert not app.ready and "Loading" in status(app)
        app.chat.prompt_input.load_text(SITUATION)
        await pilot.press("enter")
        await pilot.pause()
        assert "Getting ready" in status(app)  # visible status, message kept on screen
        assert [m.full_text for m in app.chat.chat_log.query(UserMessage)] == [SITUATION]
        await pilot.press("h", "i")  # the interface does not freeze while loading
        assert app.chat.prompt_input.text == "hi"
        gate.set()
        await idle(pilot)
        assert app.ready and "Ready" in status(app)
        assert [t.role for t in app.session.turns] == ["user", "assistant"]
        assert replies(app)[-1].final_text == app.session.turns[-1].text


async def test_the_welcome_says_what_is_still_loading_then_that_it_is_ready(app_env):
    from assistant.app.screens.welcome import WelcomeScreen

    (app_env / "state.json").unlink()  # a first run
    engine = make_engine(app_env)
    gate = threading.Event()
    real_warm_up = engine.warm_up

    def slow_warm_up(progress=None):
        progress("Loading the safety checks…")
        gate.wait()
        real_warm_up(progress)

    engine.warm_up = slow_warm_up
    app = ReflectApp(engine=engine)
    async with app.run_test(size=SIZE) as pilot:
        def progress() -> str:
            return str(app.screen.query_one("#welcome-progress").content) if isinstance(app.screen, WelcomeScreen) else ""

        await until(pilot, lambda: "safety checks" in progress(), what="the welcome's progress line")
        assert "safety checks" in status(app)
        gate.set()
        await until(pilot, lambda: progress() == "Ready.", what="the welcome to say it is ready")


async def test_reply_streams_as_markdown_and_the_final_text_replaces_it(app_env):
    chunks: list[str] = []

    def hook(message):
        if isinstance(message, ReplyChunk):
            chunks.append(message.text)

    app = make_app(app_env, scripted(MODEL_REPLY))
    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        await ready(pilot)
        await send(pilot, SITUATION)
        assert len(chunks) > 1  # streamed in pieces
        reply = replies(app)[-1]
        final = app.session.turns[-1].text
        assert reply.final_text == final and final.startswith("You've described")
        assert reply.has_class("-reflection")
        assert reply.query("MarkdownBulletList")  # rendered as Markdown, not raw text
        cited = CITED.findall(final)
        assert cited, final  # the engine adds the cited cards' ids
        options = app.chat.query_one("#sources")
        assert {options.get_option_at_index(i).id for i in range(options.option_count)} >= set(cited)


async def test_enter_sends_shift_enter_and_ctrl_j_add_a_line(app_env):
    app = make_app(app_env)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("a", "shift+enter", "b", "ctrl+j", "c")
        assert app.chat.prompt_input.text == "a\nb\nc"
        assert app.session is None  # nothing sent yet
        await pilot.press("enter")
        await idle(pilot)
        assert app.session.turns[0].text == "a\nb\nc"
        assert app.chat.prompt_input.text == ""


async def test_up_recalls_earlier_prompts_and_down_returns(app_env):
    app = make_app(app_env)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await send(pilot, SITUATION)
        await send(pilot, "He has a sensory profile in his plan.")
        prompt = app.chat.prompt_input
        await pilot.press("d", "r", "a", "f", "t")
        await pilot.press("up")
        assert prompt.text == "He has a sensory profile in his plan."
        await pilot.press("up")
        assert prompt.text == SITUATION
        await pilot.press("down")
        assert prompt.text == "He has a sensory profile in his plan."
        await pilot.press("down")
        assert prompt.text == "draft"  # the unsent draft comes back


async def test_a_long_paste_is_kept_whole_and_sent_whole(app_env):
    paste = SITUATION + "\n" + "\n".join(f"Line {i} of the incident log: he was calm before the alarm." for i in range(600))
    app = make_app(app_env)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        prompt = app.chat.prompt_input
        prompt.focus()
        app.post_message(events.Paste(paste))  # as the terminal driver delivers it
        await pilot.pause()
        assert prompt.text == paste  # newlines in a paste do not send it
        assert app.session is None
        await pilot.press("enter")
        await idle(pilot)
        assert app.session.turns[0].text == paste
        shown = app.chat.chat_log.query(UserMessage).last()
        assert shown.full_text == paste and "more lines" in str(shown.content)


async def test_escape_stops_a_streaming_reply(app_env):
    words = " ".join(["Let's think about what his plan says about noise and about being followed."] * 12)
    app = make_app(app_env, SlowModel(messages=iter([AIMessage(content=words)]), delay=0.2))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.chat.prompt_input.load_text(SITUATION)
        await pilot.press("enter")
        await until(pilot, lambda: app._reply is not None and app._reply._stream is not None)
        assert "stop" in {b.binding.action.split(".")[-1] for b in app.chat.active_bindings.values()}
        await pilot.press("escape")
        await idle(pilot)
        last = app.session.turns[-1]
        assert last.notice == "You stopped the reply."
        assert last.text.endswith("*(stopped)*") and len(last.text) < len(words)
        assert replies(app)[-1].final_text == last.text


async def test_copy_the_last_reply(app_env):
    app = make_app(app_env)
    async with app.run_test(size=SIZE) as pilot:
        seen = notes(app)
        await ready(pilot)
        await pilot.press("f6")
        assert "No reply to copy yet." in seen
        await send(pilot, SITUATION)
        await pilot.press("f6")
        assert app.clipboard == app.session.turns[-1].text
        assert "Copied the last reply to the clipboard." in seen


async def test_a_refusal_looks_different_and_is_helpful(app_env):
    app = make_app(app_env)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await send(pilot, SITUATION)
        await send(pilot, EXCLUDE)
        reply = replies(app)[-1]
        assert app.session.turns[-1].kind == "refusal"
        assert reply.has_class("-refusal") and not reply.has_class("-reflection")
        assert "boundary" in str(reply.border_title).lower()
        assert "?" in reply.final_text  # offers questions it can help with
        assert not app.chat.query_one("#pinned").display


async def test_an_escalation_is_pinned_for_the_rest_of_the_session_and_after_resume(app_env):
    app = make_app(app_env)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await send(pilot, DISCLOSURE)
        assert app.session.turns[-1].kind == "escalation"
        assert replies(app)[-1].has_class("-escalation")
        pinned = app.chat.query_one("#pinned")
        assert pinned.display and "DSL" in app.session.pinned
        await send(pilot, "Our DSL has it now. How do I support the class teacher?")
        assert pinned.display  # still in view after the conversation moves on
        session_id = app.session.id
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert not pinned.display  # a new session starts clean
        await app.open_session(session_id)
        await pilot.pause()
        assert pinned.display
        assert "DSL" in app.chat.query_one("#pinned-text").source


async def test_side_panel_maps_lenses_and_opens_a_cited_card(app_env):
    app = make_app(app_env)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        lenses = app.chat.query_one("#lenses", Static)
        assert "○" in str(lenses.content) and "●" not in str(lenses.content).split("\n")[0]
        assert str(app.chat.query_one("#mode", Static).content) == "Live situation"
        await send(pilot, SITUATION)
        state = app.engine.lens_state(app.session)
        text = str(lenses.content)
        for name in state.order:
            mark = {"covered": "●", "touched": "◐", "not_yet": "○"}[state.lenses[name].status]
            assert any(line.lstrip("▸ ").startswith(mark) for line in text.splitlines())
        assert any(state.lenses[n].status != "not_yet" for n in state.order)
        await pilot.press("f5")
        sources = app.chat.query_one("#sources")
        assert app.focused is sources
        first = sources.get_option_at_index(0).id
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CardReader)
        from knowledge.loader import cards_by_id

        card = cards_by_id()[first]
        assert card.title in app.screen.text and "## Sources" in app.screen.text
        assert str(card.sources[0].url) in app.screen.text
        await pilot.press("escape")
        assert not isinstance(app.screen, CardReader)


async def test_switching_mode_changes_the_lenses(app_env):
    app = make_app(app_env)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        mode = app.chat.query_one("#mode", Static)
        await pilot.press("f4")
        assert str(mode.content) == "Reflective practice"
        assert "Feelings" in str(app.chat.query_one("#lenses", Static).content)
        await pilot.press("f4")
        assert str(mode.content) == "Session preparation"
        await send(pilot, "Preparing a twilight session for middle leaders on reasonable adjustments.")
        assert app.session.mode == "prep"
        await app.action_set_mode("live")
        await pilot.pause()
        assert app.engine.session(app.session.id).mode == "live"  # saved
        assert str(mode.content) == "Live situation"


async def test_governance_summary_asks_for_confirmation_first(app_env):
    from assistant.app.screens.dialogs import ConfirmScreen
    from knowledge.errors import ReflectError

    app = make_app(app_env)
    async with app.run_test(size=SIZE) as pilot:
        seen = notes(app)
        await ready(pilot)
        await pilot.press("ctrl+g")
        assert any("Nothing to summarise" in n for n in seen)
        await send(pilot, SITUATION)
        await pilot.press("ctrl+g")
        await pilot.pause()
        with pytest.raises(ReflectError) as confirmation:  # the engine's own wording is what the user reads
            app.engine.governance_summary(app.session, confirmed=False)
        assert isinstance(app.screen, ConfirmScreen) and app.screen.question == str(confirmation.value)
        await pilot.press("n")
        await pilot.pause()
        assert not any(t.kind == "summary" for t in app.session.turns)
        await pilot.press("ctrl+g")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.session.turns[-1].kind == "summary"
        reply = replies(app)[-1]
        assert reply.has_class("-summary") and reply.final_text == app.session.turns[-1].text


async def test_record_decision_in_the_leaders_own_words(app_env):
    from assistant.app.screens.dialogs import TextPrompt

    app = make_app(app_env)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await send(pilot, SITUATION)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        await pilot.press(*"Adjusted timetable for a week, because")
        await pilot.press("enter")
        await pilot.pause()
        assert app.engine.session(app.session.id).decision == "Adjusted timetable for a week, because"


async def test_model_down_falls_back_with_a_notice(app_env):
    from test_app_support import BrokenModel

    app = make_app(app_env, BrokenModel(messages=iter([])))
    async with app.run_test(size=SIZE) as pilot:
        seen = notes(app)
        await ready(pilot)
        await send(pilot, SITUATION)
        last = app.session.turns[-1]
        assert last.kind == "reflection" and "offline responder" in (last.notice or "")
        assert any("offline responder" in n for n in seen)
        assert app.chat.chat_log.query("Notice")


async def test_what_ive_heard_shows_the_case_and_the_leader_can_correct_it(app_env):
    from assistant.app.screens.dialogs import TextPrompt

    app = make_app(app_env)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        heard = app.chat.query_one("#heard", Static)
        assert "Nothing yet" in str(heard.content)
        await send(pilot, SITUATION)
        await idle(pilot)
        assert "Year 9" in str(heard.content)
        app.action_correct_case()  # F7, or the palette's "Correct what I've heard"
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        await pilot.press(*"plan: SEN support")
        await pilot.press("enter")
        await pilot.pause()
        assert "Plan: SEN support" in str(heard.content)
        assert app.engine.session(app.session.id).case.plan == "SEN support"
