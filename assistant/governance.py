"""Layer 3 of the service model: a neutral, structured collation of a session
for governors. It collates what the leader said and what guidance was in
view; it never contains a determination, and it is produced only after the
user explicitly confirms.
"""
from __future__ import annotations

from assistant.record import CATEGORY_NOTES, MODE_TITLES, DecisionRecord

CONFIRMATION = (
    "A governance summary collates this session for governors: your words, the lenses considered, the "
    "guidance cited and any boundary notes. It draws no conclusions. Confirm to produce it."
)


def governance_summary(record: DecisionRecord) -> str:
    lines = [
        f"# Governance summary: {record.title}",
        "",
        "*A neutral collation prepared at the leader's request. It records the leader's reasoning and the "
        "guidance in view; it makes no finding and no recommendation. The decision and its reasons remain "
        "the decision-maker's.*",
        "",
        "## Context",
        f"- Type of session: {MODE_TITLES.get(record.mode, record.mode)}",
        f"- Date: {record.created:%d %B %Y}",
        "",
        "## The situation as described by the leader",
        record.situation,
        "",
        "## Considerations recorded",
    ]
    for lens in record.lenses:
        status = {"covered": "considered", "touched": "touched on", "not_yet": "not yet considered"}[lens.status]
        lines.append(f"- **{lens.title}** ({status})" + (": " + " / ".join(lens.notes) if lens.notes else ""))
    lines += ["", "## Guidance referred to"]
    lines += [f"- {s.title} — {s.heading}" + (f" ({s.source})" if s.source else "") for s in record.sources] or ["- None."]
    lines += ["", "## Decision as recorded by the decision-maker",
              record.decision or "No decision was recorded in this session.", "",
              "## Matters not yet considered"]
    lines += [f"- {q}" for q in record.open_questions] or ["- None."]
    if record.boundary_notes or record.escalation:
        lines += ["", "## Process notes"]
        lines += [f"- {CATEGORY_NOTES.get(n.category, n.category)}." for n in record.boundary_notes]
        if record.escalation:
            lines.append("- Safeguarding signposting was given in this session; safeguarding decisions sit with "
                         "the DSL and the school's procedures.")
    return "\n".join(lines) + "\n"
