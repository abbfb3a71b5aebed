"""The school's own documents from the app: ingest, policy review, and the
glossary. Mixed into ReflectApp; the work runs in thread workers that post
typed messages back, so the interface never waits on a file.
"""
from __future__ import annotations

import shlex
from pathlib import Path

from textual import work

from knowledge.safe_text import one_line

from .errors import error_text
from .messages import DocumentsDone, DocumentsFailed
from .screens.dialogs import TextPrompt, TextScreen


def glossary_markdown() -> str:
    from knowledge.glossary import load_glossary

    rows = ["| Term | Stands for | Meaning |", "|---|---|---|"]
    for term in sorted(load_glossary(), key=lambda t: t.term.lower()):
        rows.append(f"| **{term.term}** | {term.expansion} | {term.definition.replace('|', '/')} |")
    return "# Glossary\n\nThe field's terms and abbreviations, as the assistant reads them.\n\n" + "\n".join(rows)


def paths_from(text: str) -> list[str]:
    """Paths typed or pasted into the prompt: quoted, space-separated, or one per line."""
    try:
        parts = shlex.split(text)
    except ValueError:  # an unbalanced quote: take the text as one path
        parts = [text.strip()]
    return [str(Path(p).expanduser()) for p in parts if p.strip()]


class Documents:
    def action_glossary(self) -> None:
        try:
            self.push_screen(TextScreen("Glossary", glossary_markdown(), markdown=True))
        except Exception as exc:  # noqa: BLE001 - a broken glossary file is named, not a traceback
            self._error(error_text(exc))

    def action_ingest(self) -> None:
        def chosen(text: str | None) -> None:
            if text and text.strip():
                self.notify("Reading your documents…")
                self._ingest(paths_from(text))

        self.push_screen(TextPrompt(
            "Bring in your school's documents", placeholder="~/Documents/behaviour-policy.pdf",
            hint="PDF, Word (.docx), Markdown or text files, or a folder. They stay on this machine, and "
                 "are treated as material to quote, never as instructions."), chosen)

    @work(thread=True, group="documents", exit_on_error=False)
    def _ingest(self, paths: list[str]) -> None:
        from assistant.services import ingest_documents

        try:
            results = ingest_documents(paths)
        except BaseException as exc:  # noqa: BLE001 - shown to the user, nothing half-ingested
            self.post_message(DocumentsFailed(f"Nothing was ingested: {error_text(exc)}"))
            return
        lines = [f"{one_line(r.name)}: {r.status} ({r.pages} pages, {r.chunks} passages)" for r in results]
        self.post_message(DocumentsDone("Documents ready", "\n".join(lines)))

    def action_review_policy(self) -> None:
        def chosen(text: str | None) -> None:
            paths = paths_from(text or "")
            if paths:
                self.notify("Reviewing the policy…")
                self._review(paths[0])

        self.push_screen(TextPrompt(
            "Review a policy for rigidity", placeholder="~/Documents/behaviour-policy.docx",
            hint="A behaviour, attendance, suspension or exclusion policy (PDF, .docx, .md or .txt). "
                 "The review raises questions; it never says a policy is unlawful."), chosen)

    @work(thread=True, group="documents", exit_on_error=False)
    def _review(self, path: str) -> None:
        from assistant.services import review_policy

        try:
            review = review_policy(Path(path))
        except BaseException as exc:  # noqa: BLE001
            self.post_message(DocumentsFailed(f"The policy was not reviewed: {error_text(exc)}"))
            return
        self.post_message(DocumentsDone("Policy review", review.to_markdown(), markdown=True))

    def on_documents_done(self, message: DocumentsDone) -> None:
        if message.markdown:
            self.push_screen(TextScreen(message.title, message.text, markdown=True))
        else:
            self.notify(message.text, title=message.title, timeout=10, markup=False)

    def on_documents_failed(self, message: DocumentsFailed) -> None:
        self._error(message.error)
