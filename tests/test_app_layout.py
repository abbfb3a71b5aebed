"""The app at every terminal size: the conversation keeps its width, the signposting stays in view."""
from __future__ import annotations

from assistant.app.screens.dialogs import ConfirmScreen
from test_app_support import DISCLOSURE, SITUATION, app_env, make_app, ready, replies, send, until

__all__ = ["app_env"]
SMALL, MEDIUM, LARGE = (80, 24), (120, 40), (200, 60)


def on_screen(widget) -> bool:
    """Shown and inside the visible part of the screen."""
    region = widget.region
    return widget.display and region.height > 0 and region.y >= 0 and region.bottom <= widget.screen.size.height


async def test_at_80_by_24_the_reply_has_the_width_and_the_side_panel_is_a_key_away(app_env):
    app = make_app(app_env)
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot)
        await send(pilot, SITUATION)
        side = app.chat.query_one("#side")
        assert not side.display
        assert replies(app)[-1].content_region.width >= 55  # prose is not squeezed into a column
        await pilot.press("f7")
        await pilot.pause()
        assert side.display and side.region.width > 0
        await pilot.press("f7")
        await pilot.pause()
        assert not side.display
        await pilot.press("f5")  # the sources are still reachable: the panel comes over with them
        await pilot.pause()
        assert side.display and app.focused is app.chat.query_one("#sources")


async def test_wide_the_side_panel_shows_and_f7_hides_it(app_env):
    app = make_app(app_env)
    async with app.run_test(size=LARGE) as pilot:
        await ready(pilot)
        side = app.chat.query_one("#side")
        assert side.display
        await pilot.press("f7")
        await pilot.pause()
        assert not side.display


async def test_at_80_by_24_the_signposting_is_one_line_with_999_and_the_dsl(app_env):
    app = make_app(app_env)
    async with app.run_test(size=SMALL) as pilot:
        await ready(pilot)
        await send(pilot, DISCLOSURE)
        pinned = app.chat.pinned
        line = app.chat.query_one("#pinned-line")
        assert pinned.region.height == 1 and on_screen(line)
        assert "999" in str(line.content) and "DSL" in str(line.content)
        await send(pilot, "Our DSL has it now. How do I support the class teacher?")
        assert on_screen(line)  # still in view as the conversation goes on
        await pilot.press("ctrl+s")  # shows it all
        await pilot.pause()
        assert pinned.region.height > 1 and "999" in app.chat.query_one("#pinned-text").source
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pinned.region.height == 1


async def test_tall_the_signposting_folds_only_once_the_user_says_the_dsl_has_it(app_env):
    app = make_app(app_env)
    async with app.run_test(size=MEDIUM) as pilot:
        await ready(pilot)
        await send(pilot, DISCLOSURE)
        pinned = app.chat.pinned
        full = pinned.region.height
        assert full > 3
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")  # not yet with the DSL: it stays open
        await pilot.pause()
        assert pinned.region.height == full
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await pilot.pause()
        line = app.chat.query_one("#pinned-line")
        assert pinned.region.height == 1 and on_screen(line) and "999" in str(line.content)
        await send(pilot, "How do I support the class teacher?")
        assert pinned.region.height == 1  # stays folded, never removed
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pinned.region.height == full


async def test_tall_the_signposting_folds_once_the_conversation_says_it_has_been_passed_on(app_env):
    app = make_app(app_env)
    async with app.run_test(size=MEDIUM) as pilot:
        await ready(pilot)
        await send(pilot, DISCLOSURE)
        pinned = app.chat.pinned
        full = pinned.region.height
        assert full > 3
        await send(pilot, "I've told our DSL and she's making the referral now. How do I support the class teacher?")
        line = app.chat.query_one("#pinned-line")
        assert pinned.region.height == 1 and on_screen(line) and "999" in str(line.content)  # folded, not gone
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pinned.region.height == full  # the steps are still a key away
