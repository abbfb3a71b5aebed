"""The app's keys, in one place for the footer bindings and the help screen."""
from __future__ import annotations

KEYS: list[tuple[str, str]] = [
    ("Enter", "send the message"),
    ("Shift+Enter / Ctrl+J", "new line in the message"),
    ("↑ / ↓", "earlier prompts (on the first / last line)"),
    ("Esc", "stop a reply while it is streaming"),
    ("F1", "this help"),
    ("F2", "sessions: open, rename, delete, search"),
    ("Ctrl+N", "new session"),
    ("F3", "glossary of terms and abbreviations"),
    ("F4", "switch mode (live, practice, prep)"),
    ("F5", "go to the sources cited; Enter opens the card"),
    ("F6", "copy the last reply"),
    ("F8", "export the decision record as Markdown"),
    ("F9", "export the decision record as Word (.docx)"),
    ("Ctrl+G", "governance summary (asks you to confirm)"),
    ("Ctrl+R", "record your decision and reasons"),
    ("Ctrl+P", "command palette: every action"),
    ("Ctrl+Q", "quit"),
]
