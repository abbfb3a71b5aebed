"""End to end: the real `reflect` app in tmux, driven by keys the way a new user would.

A private tmux server (its own socket) gives the app a pty, so this runs in
CI with no terminal attached. Fresh data and export folders: the first reply
waits for the index and guardrails to be built and loaded.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

ROOT = Path(__file__).resolve().parent.parent
REFLECT = Path(sys.executable).parent / "reflect"
SITUATION = ("Year 9, autistic, EHCP. Walked out of science when the fire alarm test went off, swore at the teacher "
             "who followed him. Policy: walking out plus swearing at staff = 1 day internal exclusion. Parents "
             "already angry about last month. Help me think.")
CARD_IDS = sorted(p.stem for p in (ROOT / "knowledge" / "cards").glob("*.md"))


# Waits end as soon as the screen shows what is awaited; the bound only stops a hung run. Generous:
# with a fresh data folder on a busy 2-core machine, the first reply waits for the index to be built.
FIRST_REPLY = 900.0
WAIT = 120.0


class Tmux:
    def __init__(self, socket: str, env: dict[str, str]) -> None:
        self.socket, self.env, self.name = socket, env, "reflect"

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=check,
                              env=self.env)

    def start(self) -> None:
        command = " ".join(f"{k}={v}" for k, v in self.env.items() if k.startswith(("REFLECT_", "HF_", "TRANSFORMERS_")))
        self.run("new-session", "-d", "-s", self.name, "-x", "150", "-y", "60",
                 f"env TERM=xterm-256color {command} {REFLECT}; echo '[exited]' $?; sleep 30")

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", self.name, *keys)

    def type(self, text: str) -> None:
        self.run("send-keys", "-t", self.name, "-l", text)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.name, check=False).stdout

    def wait_for(self, predicate, what: str, timeout: float = WAIT) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.screen()
            if predicate(text):
                return text
            time.sleep(0.25)
        raise AssertionError(f"timed out waiting for {what}; the screen was:\n{self.screen()}")

    def wait_text(self, needle: str, timeout: float = WAIT) -> str:
        return self.wait_for(lambda s: needle in s, repr(needle), timeout)

    def stop(self) -> None:
        self.run("kill-server", check=False)


@pytest.fixture
def tmux(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("REFLECT_")}
    env.update(REFLECT_DATA_DIR=str(tmp_path / "data"), REFLECT_EXPORT_DIR=str(tmp_path / "exports"),
               REFLECT_CONFIG_FILE=str(tmp_path / "config.toml"), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1",
               CI="true")
    session = Tmux(f"reflect-e2e-{os.getpid()}", env)
    yield session
    session.stop()


def cited(text: str) -> list[str]:
    return [card for card in CARD_IDS if card in text]


def test_a_new_user_reflects_is_refused_exports_and_finds_the_session_again(tmux, tmp_path):
    assert REFLECT.exists(), REFLECT
    tmux.start()
    tmux.wait_text("Welcome")  # first run
    assert "Nothing leaves this machine" in tmux.screen()
    tmux.keys("Enter")
    tmux.wait_for(lambda s: "Welcome" not in s, "the welcome to close")

    tmux.type(SITUATION)
    tmux.keys("Enter")
    screen = tmux.wait_for(lambda s: "Ready." in s and cited(s), "a reply that cites cards", FIRST_REPLY)
    card = cited(screen)[0]

    tmux.keys("F5")  # to the sources list (its footer offers the way back), then open the first cited card
    tmux.wait_text("Back to message")
    tmux.keys("Enter")
    reader = tmux.wait_text("Esc close")
    assert "lenses:" in reader and any(c in reader for c in CARD_IDS)
    tmux.keys("Escape")
    tmux.wait_for(lambda s: "Esc close" not in s, "the reader to close")

    tmux.type("should I exclude him?")
    tmux.keys("Enter")
    screen = tmux.wait_for(lambda s: "A boundary" in s and "?" in s.split("A boundary", 1)[1] and "Ready." in s,
                           "a refusal that offers questions")
    assert re.search(r"yours|your decision|decision is", screen, re.IGNORECASE)

    tmux.keys("F9")
    tmux.wait_text("Decision record written")
    exports = list((tmp_path / "exports").glob("*.docx"))
    assert len(exports) == 1 and exports[0].stat().st_size > 0

    tmux.keys("C-q")
    screen = tmux.wait_text("[exited] 0")
    assert "Traceback" not in screen

    tmux.run("kill-session", "-t", tmux.name)
    tmux.start()  # reopen: no welcome this time, and the session is there
    screen = tmux.wait_text("Ready.")  # warmed up: a welcome would have been shown by now
    assert "Welcome" not in screen
    tmux.keys("F2")
    tmux.wait_text("search past sessions")
    tmux.wait_text("Year 9, autistic, EHCP.")
    tmux.keys("Down", "Enter")  # from the search box to the list, then resume the session
    # The resumed session is on screen once its title is back in the header and its refusal is shown.
    resumed = tmux.wait_for(lambda s: "search past sessions" not in s and "Reflect — New session" not in s
                            and "should I exclude him?" in s and "A boundary" in s and card in s,
                            "the resumed session")
    assert "Year 9, autistic" in resumed
    tmux.keys("C-q")
    assert "Traceback" not in tmux.wait_text("[exited] 0")
