"""The app's fixed wording: help, boundaries, welcome. Plain data, no widgets."""
from __future__ import annotations

from assistant.app.keymap import CHAT, SESSIONS, key_rows

BOUNDARIES = """\
## What it never does

This assistant supports **your own** reasoning. It never reaches a determination
about a real person or incident on anyone's behalf, and it never stands in for a
safeguarding, HR or disciplinary process. It will not:

- establish what happened, who did it or who is telling the truth (investigation);
- choose, endorse or rank a sanction, suspension, exclusion or dismissal;
- decide an employment matter (misconduct, capability, grievance, suspension of staff);
- make a safeguarding call in place of the DSL: thresholds, referrals, telling parents.

When you ask for one of these it says which boundary applies, who owns the
decision, and offers questions it *can* help with.

## If someone may be at risk now

- Speak to the **Designated Safeguarding Lead (DSL)** now.
- If a child is in immediate danger, call **999**.
- Allegations about staff, volunteers or supply staff go to the headteacher (or the
  chair of governors if about the head), who contacts the **LADO**.
- Do not investigate; record what was said in the person's own words.
- If you, or another adult, may be at risk: 999 in an emergency; Samaritans
  **116 123**; Education Support **08000 562 561**; NHS **111**.

The signposting stays pinned at the top of the conversation for the rest of the session. On a
short window it is one line (999 and the DSL); `Ctrl+S` shows it all. Once the DSL has the
concern, `Ctrl+S` folds it to that one line: it is never removed.
"""


def keys_markdown() -> str:
    def table(actions) -> str:
        rows = "\n".join(f"| `{key}` | {what} |" for key, what in key_rows(actions))
        return f"| key | does |\n|---|---|\n{rows}"

    return (f"## Keys\n\n{table(CHAT)}\n\nEvery action is also in the command palette (`Ctrl+P`).\n\n"
            f"### In the sessions list (F2)\n\nTyping goes into the search box; single letters act only "
            f"once the list has the focus (Tab or ↓).\n\n{table(SESSIONS)}")


def places_markdown(config: str, data: str, exports: str, model: str) -> str:
    return (
        "## Where things are\n\n"
        f"- Config file: `{config}` (print it with `reflect config`; environment variables REFLECT_* override it)\n"
        f"- Your sessions and the search index: `{data}`\n"
        f"- Exported decision records: `{exports}`\n"
        f"- Language model: {model}\n"
    )


def welcome_markdown(data: str, model: str) -> str:
    return f"""\
# Welcome

A reflection assistant for school leaders in England. Describe a live situation,
reflect on practice, or prepare a session: it helps you think through the needs
behind behaviour, SEND, equality duties, safeguarding, proportionality, voice,
staff and the record, one lens at a time, citing the guidance it draws on.

**It never decides for you**: no findings of fact, no sanctions, no HR or safeguarding
calls. Those stay with you, your DSL and your school's processes. If someone may be
at risk, it points you to the DSL, 999 or the LADO straight away.

**Your data stays here.** Sessions are kept in `{data}`, readable only by you.
Nothing leaves this machine unless you configure a remote language model
({model}).

Type the situation below and press **Enter**. **F1** shows help and the boundaries;
**Ctrl+P** lists every action.
"""
