"""What the app itself writes is private: its state file 0600, an export folder it creates 0700."""
from __future__ import annotations

import stat

from test_app_support import SITUATION, SIZE, app_env, make_app, ready, send, until

__all__ = ["app_env"]


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_the_state_file_and_a_new_export_folder_are_private(app_env):
    exports = app_env / "exports"
    app = make_app(app_env)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.theme = "nord"  # saved to the state file
        await send(pilot, SITUATION)
        await pilot.press("f8")
        await until(pilot, lambda: list(exports.glob("*.md")), what="the export")
    assert mode(app_env / "state.json") == 0o600
    assert mode(exports) == 0o700


def test_a_leftover_state_temp_file_does_not_leak_its_mode(app_env):
    from assistant.app.state import save_state

    leftover = app_env / "state.tmp"
    leftover.write_text("{}")
    leftover.chmod(0o644)
    save_state(theme="nord")
    assert mode(app_env / "state.json") == 0o600
