"""The front ends' door to files and documents, beside the engine.

The app and the CLI reach exports, governance summaries, the school's
documents and policy reviews only through here (or `assistant.engine` for
sessions and turns); an import-linter contract in pyproject.toml keeps it so.
Everything written is private and never silently overwrites; everything
shown is sanitised (knowledge.safe_text).
"""
from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Callable, Iterable

from assistant.models import Session
from assistant.output_files import default_stem, unused_name, write_private
from knowledge.errors import ReflectError
from knowledge.safe_text import safe_text

FORMATS = ("md", "docx")


def record_bytes(session: Session, fmt: str) -> bytes:
    """The session's decision record as Markdown or Word, with every field sanitised."""
    from assistant.export import to_docx, to_markdown

    if fmt not in FORMATS:
        raise ReflectError(f"unknown export format '{fmt}': choose md or docx")
    record = _record(session)
    if fmt == "md":
        return to_markdown(record).encode("utf-8")
    buffer = io.BytesIO()
    to_docx(record, buffer)
    return buffer.getvalue()


def export_record(session: Session, path: Path | None = None, fmt: str | None = None,
                  force: bool = False, folder: Path | None = None) -> Path:
    """Write the decision record. No path: a new file named by session id (never the title) in `folder`."""
    if path is None:
        fmt = fmt or "md"
        path = unused_name(Path(folder or Path.cwd()), default_stem("decision-record", session.id), fmt)
    else:
        path = Path(path).expanduser()
        fmt = fmt or path.suffix.lstrip(".").lower() or "md"
        if path.suffix.lower() != f".{fmt}":
            path = path.with_name(path.name + f".{fmt}")
    return write_private(path, record_bytes(session, fmt), force=force)


def export_governance(session: Session, path: Path | None = None, force: bool = False) -> Path:
    """Write the governance summary (the caller has had the user confirm it)."""
    from assistant.governance import governance_summary

    record = _record(session)
    if path is None:
        path = unused_name(Path.cwd(), default_stem("governance-summary", session.id), "md")
    return write_private(Path(path), safe_text(governance_summary(record)).encode("utf-8"), force=force)


def _record(session: Session):
    """The decision record, sanitised; only from a whole session (a page of it would drop what came first)."""
    from assistant.record import DecisionRecord, build_record

    if session.earlier:
        raise ReflectError(f"only the latest part of this session is loaded ({session.earlier:,} earlier messages "
                           "are not); the record was not written. Export it with `reflect export "
                           f"{session.id}`, or report this as a bug")
    return DecisionRecord.model_validate(_sanitised(build_record(session).model_dump()))


def governance_confirmation() -> str:
    from assistant.governance import confirmation_text

    return confirmation_text()


# ---------------------------------------------------------------- the school's documents


def ingest_documents(paths: Iterable[str | Path], progress: Callable[[str, int, int], None] | None = None):
    from knowledge.documents import ingest

    return ingest(paths, progress=progress)


def list_documents():
    from knowledge.documents import list_documents as listed

    return listed()


def remove_document(name: str):
    from knowledge.documents import remove_document as remove

    return remove(name)


def documents_location() -> str:
    from knowledge.index import chroma_url

    url = chroma_url()
    return f"in the chromadb server at {url}" if url else "on this machine"


def review_policy(path: str | Path):
    """The policy review of a file, read with bounded work (knowledge/bounded_extract.py)."""
    from assistant.policy_review import review_extracted
    from knowledge.bounded_extract import extract_bounded

    return review_extracted(extract_bounded(path))


def write_review(review, path: Path, fmt: str, force: bool = False) -> Path:
    """The policy review as a private Markdown, JSON or Word file."""
    if fmt == "md":
        return write_private(path, safe_text(review.to_markdown()).encode("utf-8"), force=force)
    if fmt == "json":
        return write_private(path, review_json(review).encode("utf-8"), force=force)
    with tempfile.TemporaryDirectory() as folder:  # python-docx writes to a path; ours is private
        scratch = review.to_docx(Path(folder) / "review.docx")
        return write_private(path, Path(scratch).read_bytes(), force=force)


def review_json(review) -> str:
    """The review in the machine-readable shape `reflect review-policy --format json` prints."""
    import json

    return json.dumps(_sanitised(review.to_json()), indent=2, ensure_ascii=False) + "\n"


def _sanitised(value):
    """Every string in a dumped model, safe to write (exports once failed on escape codes)."""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, dict):
        return {key: _sanitised(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_sanitised(item) for item in value]
    return value
