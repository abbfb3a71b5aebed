"""Every action the app offers, defined once: its key, palette name, help text and footer label.

The main screen's bindings, the footer, the help screen, the command palette
and the README's key table are all made from (or checked against) these lists,
so they cannot drift apart. `python -m assistant.app.keymap` prints the README table.
"""
from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Action:
    key: str  # as Textual names it ("f1", "ctrl+n"); "" for palette-only actions
    label: str  # as a person reads it ("F1", "Ctrl+N")
    help: str  # what it does, for the help screen and the README
    action: str = ""  # the Textual action it runs; "" for keys the message box handles itself
    palette: str = ""  # its name in the command palette; "" when it is not there
    palette_help: str = ""
    footer: str = ""  # its footer label; "" keeps it out of the footer
    priority: bool = False  # over the message box's own use of the key (F6, F7 select text there)
    readme: bool = True  # a row in the README's table (palette-only actions are not keys)
    letter: str = ""  # a single-letter shortcut, bound only where typing is not text (the sessions list)
    everywhere: bool = False  # bound on the app, so it works on every screen (Quit)


CHAT: list[Action] = [
    Action("enter", "Enter", "send the message"),
    Action("shift+enter", "Shift+Enter / Ctrl+J", "new line in the message"),
    Action("up", "↑ / ↓", "earlier prompts (on the first / last line)"),
    Action("escape", "Esc", "stop a reply while it is streaming", "app.stop",
           "Stop the reply", "Stop a streaming reply", "Stop reply"),
    Action("f1", "F1", "help, keys and the boundaries", "app.help",
           "Help and boundaries", "Keys, what the assistant never does, where things are", "Help"),
    Action("f2", "F2", "sessions: open, rename, delete, search", "app.sessions",
           "Sessions", "Open, rename or delete past sessions", "Sessions"),
    Action("ctrl+n", "Ctrl+N", "new session", "app.new_session",
           "New session", "Start a new conversation", "New"),
    Action("f3", "F3", "glossary of terms and abbreviations", "app.glossary",
           "Glossary", "The field's terms and abbreviations"),
    Action("f4", "F4", "switch mode (live, practice, prep)", "app.cycle_mode",
           "Next mode", "Cycle live, practice and prep", "Mode"),
    Action("f5", "F5", "go to the sources cited; Enter opens the card", "app.sources",
           "Go to sources", "The cards cited so far; Enter opens one", "Sources"),
    Action("f6", "F6", "copy the last reply", "app.copy_reply",
           "Copy last reply", "Copy the last reply to the clipboard", "Copy", priority=True),
    Action("f7", "F7", "show or hide the side panel (mode, lenses, sources)", "app.toggle_side",
           "Show or hide the side panel", "Mode, lenses and sources; hidden by default on narrow screens",
           "Panel", priority=True),
    Action("f8", "F8", "export the decision record as Markdown", "app.export('md')",
           "Export decision record as Markdown", "Write a .md file", ".md"),
    Action("f9", "F9", "export the decision record as Word (.docx)", "app.export('docx')",
           "Export decision record as Word", "Write a .docx file", ".docx"),
    Action("ctrl+s", "Ctrl+S", "safeguarding signposting: show it all, or fold it to one line once the DSL has it",
           "app.toggle_signposting", "Show or fold the safeguarding signposting",
           "Fold it to one line (999 and the DSL stay in view) once the concern is with the DSL"),
    Action("ctrl+g", "Ctrl+G", "governance summary (asks you to confirm)", "app.governance",
           "Governance summary", "A neutral collation for governors, after you confirm", "Governors"),
    Action("ctrl+r", "Ctrl+R", "record your decision and reasons, in your words", "app.record_decision",
           "Record my decision", "Your decision and reasons, in your words, for the record", "Decision"),
    Action("ctrl+e", "Ctrl+E", "correct a line of \"What I've heard\" (e.g. `plan: SEN support`)", "app.correct_case",
           "Correct what I've heard", "Put right a line of the case record in the side panel"),
    Action("ctrl+p", "Ctrl+P", "command palette: every action, including documents, policy review and the theme"),
    Action("ctrl+q", "Ctrl+Q", "quit", "app.quit", footer="Quit", priority=True, everywhere=True),
    # In the palette only.
    Action("", "", "find past sessions by what was said", "app.sessions(True)",
           "Search sessions", "Find past sessions by what was said", readme=False),
    Action("", "", "rename this session", "app.rename_session",
           "Rename this session", "Give the current session a new title", readme=False),
    Action("", "", "delete this session", "app.delete_session",
           "Delete this session", "Delete the current session, after you confirm", readme=False),
    Action("", "", "bring in your school's documents", "app.ingest",
           "Bring in your documents", "Ingest your school's policies (PDF, Word, Markdown, text)", readme=False),
    Action("", "", "review a policy for rigidity", "app.review_policy",
           "Review a policy for rigidity", "Fixed-outcome rules, SEND pathways, what the guidance expects",
           readme=False),
    Action("", "", "load earlier messages of a long session", "app.load_earlier",
           "Load earlier messages", "A long session opens on its latest messages; show the ones before",
           readme=False),
    Action("", "", "the last error, to read and copy", "app.show_error",
           "Show last error", "Read and copy the last error message", readme=False),
    Action("", "", "what a language model saw", "app.show_sent",
           "Show what was sent to the model", "The text a language model saw for the last reply", readme=False),
]

# The search box has the focus when the list opens, so typing searches; letters act only in the list.
SESSIONS: list[Action] = [
    Action("escape", "Esc", "close the list", "close", footer="Close"),
    Action("enter", "Enter", "open the highlighted session"),
    Action("ctrl+n", "Ctrl+N (n in the list)", "new session", "new", footer="New", letter="n"),
    Action("f2", "F2 (r in the list)", "rename the highlighted session", "rename", footer="Rename", letter="r"),
    Action("delete", "Delete (d in the list)", "delete the highlighted session, after you confirm",
           "delete", footer="Delete", letter="d"),
    Action("ctrl+f", "Ctrl+F (/ in the list)", "back to the search box", "search", footer="Search", letter="slash"),
]


def key_for(action: str, actions: list[Action] = CHAT) -> str:
    """The key a person presses for a Textual action, as they read it ("Ctrl+E"), for hints on screen."""
    return next(a.label for a in actions if a.action == action)


def bindings(actions: list[Action], everywhere: bool = False) -> list[Binding]:
    """Textual bindings for the actions that have a key and an action (the app's own, or a screen's)."""
    return [Binding(a.key, a.action, a.footer or a.help, show=bool(a.footer), priority=a.priority)
            for a in actions if a.key and a.action and a.everywhere == everywhere]


def letter_bindings(actions: list[Action]) -> list[Binding]:
    """The single-letter shortcuts, for a list widget (never for a screen with a text box)."""
    return [Binding(a.letter, f"screen.{a.action}", a.footer, show=False) for a in actions if a.letter]


def palette(actions: list[Action] = CHAT) -> list[Action]:
    return [a for a in actions if a.palette]


def palette_help(action: Action) -> str:
    return f"{action.palette_help} ({action.label})" if action.label else action.palette_help


def key_rows(actions: list[Action] = CHAT) -> list[tuple[str, str]]:
    return [(a.label, a.help) for a in actions if a.label]


def readme_table() -> str:
    rows = [f"| {label} | {text} |" for label, text in key_rows([a for a in CHAT if a.readme])]
    return "\n".join(["| key | action |", "|---|---|", *rows])


if __name__ == "__main__":
    print(readme_table())
