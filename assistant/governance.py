"""Layer 3 of the service model: a neutral, structured collation of a session
for governors. It collates what the leader said and what guidance was in
view; it never contains a determination, and it is produced only after the
user explicitly confirms. Its wording lives in prompts/phrases.yaml.
"""
from __future__ import annotations

from assistant.record import CATEGORY_NOTES, MODE_TITLES, DecisionRecord
from prompts.bank import load_phrases

STATUS = {"covered": "considered", "touched": "touched on", "not_yet": "not yet considered"}


def confirmation_text() -> str:
    return load_phrases().governance_summary.confirm


def _body(record: DecisionRecord, section_id: str) -> list[str]:
    if section_id == "purpose":
        return [f"- Session: {MODE_TITLES.get(record.mode, record.mode)}, {record.created:%d %B %Y}"]
    if section_id == "situation":
        return [record.situation]
    if section_id == "considerations":
        return [f"- **{lens.title}** ({STATUS[lens.status]})" + (": " + " / ".join(lens.notes) if lens.notes else "")
                for lens in record.lenses]
    if section_id == "guidance":
        return [f"- {s.title} — {s.heading}" + (f" ({s.source})" if s.source else "") for s in record.sources] or ["- None."]
    if section_id == "alternatives":
        return [f"- {a}" for a in record.alternatives] or ["- None were recorded."]
    if section_id == "decision":
        return [record.decision or "No decision was recorded in this session."]
    if section_id == "open_questions":
        return [f"- {q}" for q in record.open_questions] or ["- None."]
    if section_id == "process_notes":
        notes = [f"- {CATEGORY_NOTES.get(n.category, n.category)}." for n in record.boundary_notes]
        if record.escalation:
            notes.append("- Safeguarding signposting was given; safeguarding decisions sit with the DSL and the "
                         "school's procedures.")
        return notes or ["- None."]
    return []


def governance_summary(record: DecisionRecord) -> str:
    phrases = load_phrases().governance_summary
    lines = [f"# {phrases.title}: {record.title}", "", f"*{phrases.lead}*", ""]
    for section in phrases.sections:
        lines += [f"## {section.heading}", section.lead, "", *_body(record, section.id), ""]
    lines.append(f"*{phrases.footer}*")
    return "\n".join(lines) + "\n"
