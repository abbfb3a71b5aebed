"""A decision record as Markdown or Word (.docx); assistant/services.py writes the file."""
from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from assistant.record import CATEGORY_NOTES, MODE_TITLES, RECORD_TITLES, DecisionRecord, decision_heading
from knowledge.errors import ReflectError

NOT_RECORDED = "Not recorded. The assistant does not supply decisions; record your own and your reasons."


def sections(record: DecisionRecord) -> list[tuple[str, list[str], bool]]:
    """(heading, paragraphs, as bullets) — shared by both formats so they say the same."""
    practice, prep = record.mode == "practice", record.mode == "prep"
    kind = RECORD_TITLES.get(record.mode, "Record").lower()
    out: list[tuple[str, list[str], bool]] = [
        ("About this record", [
            f"Session: {record.title} ({record.session_id})",
            f"Mode: {MODE_TITLES.get(record.mode, record.mode)}",
            f"Started: {record.created:%d %B %Y %H:%M} UTC; exported {record.exported:%d %B %Y %H:%M} UTC",
            f"A {kind} of the leader's own reasoning, made with a reflection assistant that does not decide.",
        ], True),
        ("The brief, in your words" if prep else "What happened, in your words", [record.situation], False),
    ]
    if record.case:
        out.append(("The case as you described it", [f"{label}: {text}" for label, text in record.case], True))
    if prep and record.plan:
        out.append(("Session plan", [record.plan], False))
    for lens in record.lenses:  # a lens with nothing in the leader's words is listed under open questions
        if lens.notes:
            out.append((lens.title if practice else f"Lens: {lens.title}", lens.notes, True))
    if not practice:
        out.append(("Alternatives weighed", record.alternatives or ["None named in this session."], True))
    out.append(("Guidance cited", [
        f"{s.title} — {s.heading} [{s.card_id}]" + (f"; source: {s.source}" if s.source else "")
        for s in record.sources] or ["None cited."], True))
    out.append((decision_heading(record.mode), [record.decision or NOT_RECORDED], False))
    out.append(("Open questions", record.open_questions or ["None noted."], True))
    notes = [f"{CATEGORY_NOTES.get(n.category, n.category)}: “{n.asked}”" for n in record.boundary_notes]
    if notes or not practice:
        out.append(("Boundary notes and escalations", notes or ["None."], True))
    if record.escalation:
        out.append(("Safeguarding signposting given", [record.escalation], False))
    return out


def to_markdown(record: DecisionRecord) -> str:
    lines = [f"# {RECORD_TITLES.get(record.mode, 'Record')}: {record.title}", ""]
    for heading, paragraphs, bullets in sections(record):
        lines += [f"## {heading}", ""]
        lines += [f"- {p}" for p in paragraphs] if bullets else [*paragraphs]
        lines.append("")
    return "\n".join(lines)


def to_docx(record: DecisionRecord, target: Path | BinaryIO) -> None:
    from docx import Document

    document = Document()
    document.add_heading(f"{RECORD_TITLES.get(record.mode, 'Record')}: {record.title}", level=0)
    for heading, paragraphs, bullets in sections(record):
        document.add_heading(heading, level=1)
        for paragraph in paragraphs:
            for line in paragraph.split("\n"):
                document.add_paragraph(line, style="List Bullet" if bullets else None)
    document.save(target if not isinstance(target, Path) else str(target))
