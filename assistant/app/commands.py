"""Every action, for the command palette (App.get_system_commands)."""
from __future__ import annotations

from collections.abc import Callable

from assistant.models import MODES
from assistant.record import MODE_TITLES


def palette_commands(app) -> list[tuple[str, str, Callable]]:
    """(title, help, callback) for each action; the built-in Theme and Quit are added by Textual."""
    commands = [
        ("Help and boundaries", "Keys, what the assistant never does, where things are (F1)", app.action_help),
        ("New session", "Start a new conversation (Ctrl+N)", app.action_new_session),
        ("Sessions", "Open, rename or delete past sessions (F2)", app.action_sessions),
        ("Search sessions", "Find past sessions by what was said",
         lambda: app.action_sessions(search=True)),
        ("Rename this session", "Give the current session a new title", app.action_rename_session),
        ("Delete this session", "Delete the current session, after you confirm", app.action_delete_session),
        ("Export decision record as Markdown", "Write a .md file (F8)", lambda: app.action_export("md")),
        ("Export decision record as Word", "Write a .docx file (F9)", lambda: app.action_export("docx")),
        ("Governance summary", "A neutral collation for governors, after you confirm (Ctrl+G)",
         app.action_governance),
        ("Record my decision", "Your decision and reasons, in your words, for the record (Ctrl+R)",
         app.action_record_decision),
        ("Correct what I've heard", "Put right a line of the case record in the side panel (F7)",
         app.action_correct_case),
        ("Copy last reply", "Copy the last reply to the clipboard (F6)", app.action_copy_reply),
        ("Go to sources", "The cards cited so far; Enter opens one (F5)", app.action_sources),
        ("Stop the reply", "Stop a streaming reply (Esc)", app.action_stop),
        ("Bring in your documents", "Ingest your school's policies (PDF, Word, Markdown, text)",
         app.action_ingest),
        ("Review a policy for rigidity", "Fixed-outcome rules, SEND pathways, what the guidance expects",
         app.action_review_policy),
        ("Glossary", "The field's terms and abbreviations (F3)", app.action_glossary),
        ("Show last error", "Read and copy the last error message", app.action_show_error),
        ("Show what was sent to the model", "The text a language model saw for the last reply",
         app.action_show_sent),
    ]
    for mode in MODES:
        commands.append((f"Mode: {MODE_TITLES[mode]}", f"Switch to {mode} mode (F4 cycles)",
                         lambda mode=mode: app.action_set_mode(mode)))
    for citation in app._citations():
        commands.append((f"Open card: {citation.title}", citation.card_id,
                         lambda cid=citation.card_id: app.open_card(cid)))
    return commands
