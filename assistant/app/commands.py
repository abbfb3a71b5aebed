"""Every action, for the command palette (App.get_system_commands): the keymap's, then modes and cards."""
from __future__ import annotations

from collections.abc import Callable

from assistant.models import MODES
from assistant.record import MODE_TITLES

from .keymap import CHAT, palette, palette_help


def palette_commands(app) -> list[tuple[str, str, Callable]]:
    """(title, help, callback) for each action; the built-in Theme and Quit are added by Textual."""
    commands = [(a.palette, palette_help(a), lambda action=a.action: app.call_later(app.run_action, action))
                for a in palette(CHAT)]
    for mode in MODES:
        commands.append((f"Mode: {MODE_TITLES[mode]}", f"Switch to {mode} mode (F4 cycles)",
                         lambda mode=mode: app.action_set_mode(mode)))
    for citation in app._citations():
        commands.append((f"Open card: {citation.title}", citation.card_id,
                         lambda cid=citation.card_id: app.open_card(cid)))
    return commands
