"""Ingest throughput: pages per second on a generated 50-page PDF policy.

Extraction alone, then the full ingest (extract, chunk, embed, store), with
the embedding model already loaded; then the no-op re-ingest of the same file.
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

from timing import row, time_ms

PAGES = 50
PARAGRAPH = (
    "Staff respond to behaviour calmly and consistently, and consider whether a pupil's special "
    "educational needs or disability are relevant before deciding on a response. Removal from class "
    "is recorded, parents are told the same day, and the data are reviewed each half term by the "
    "deputy headteacher, including by protected characteristic."
)


def make_pdf(path: Path, pages: int = PAGES) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    for page in range(1, pages + 1):
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 14)
        pdf.multi_cell(0, 9, f"{page}. Section {page} of the behaviour policy", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=11)
        for n in range(6):
            pdf.multi_cell(0, 6, f"{page}.{n + 1} {PARAGRAPH}", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
    pdf.output(str(path))
    return path


def run() -> list[dict]:
    from knowledge.documents import ingest, list_documents, remove_document
    from knowledge.embedder import get_embedder
    from knowledge.extract import extract

    get_embedder()  # model load and the chromadb client's start are not part of the throughput figure
    list_documents()
    with tempfile.TemporaryDirectory(prefix="reflect-bench-ingest-") as tmp:
        path = make_pdf(Path(tmp) / "bench-policy.pdf")
        extract_ms = min(time_ms(lambda: extract(path)) for _ in range(3))
        started = time.perf_counter()
        [result] = ingest([path])
        ingest_s = time.perf_counter() - started
        noop_ms = min(time_ms(lambda: ingest([path])) for _ in range(3))
        remove_document(path.name)
    return [
        row("ingest", f"extract {PAGES}-page PDF", extract_ms),
        row("ingest", "extract throughput", PAGES / (extract_ms / 1000), "pages/s"),
        row("ingest", f"ingest {PAGES}-page PDF ({result.chunks} passages)", ingest_s * 1000),
        row("ingest", "ingest throughput", PAGES / ingest_s, "pages/s"),
        row("ingest", "re-ingest unchanged (no-op)", noop_ms),
    ]
