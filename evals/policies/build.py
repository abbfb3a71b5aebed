"""Turn corpus texts into the formats schools publish in: Word (.docx, one
with a real Word table) and PDF (with a running header and a "Page N of M"
footer, which the reader has to drop).

    python -m evals.policies.build        # writes evals/policies/built/

The converter is deliberately simple and independent of knowledge.extract:
a short line without closing punctuation is a heading, "- " starts a bullet,
"| a | b |" lines are a table, "#" marks a Markdown heading.
"""
from __future__ import annotations

import re
from pathlib import Path

HERE = Path(__file__).parent
CORPUS = HERE / "corpus"
BUILT = HERE / "built"
# source file -> format to build
TARGETS = {
    "rainford.txt": "pdf",
    "swindon.txt": "docx",
    "thomas-bennett.md": "docx",
    "thomas-hepburn.txt": "pdf",
    "highlands.txt": "docx",
    "helston.txt": "pdf",
    "birches-head.txt": "docx",
    "st-georges.txt": "docx",
    "kings-langley.txt": "docx",
    "wayland.txt": "pdf",
    "wildern.txt": "pdf",
    "cowley.txt": "docx",
    "chilmington.txt": "pdf",
    "epsom-primary.txt": "pdf",
    "beaufort.txt": "docx",
    "longditton.md": "docx",
    "caedmon.txt": "docx",
    "herborne-primary.txt": "pdf",
    "highcliffe-primary.txt": "docx",
    "tanmat-suspensions.txt": "pdf",
    "cheam.txt": "docx",
    "holy-trinity-devices.txt": "pdf",
    "caldicotes-primary.txt": "docx",
    "hemsworth.txt": "pdf",
    "sprowston.txt": "pdf",
    "st-hilds.md": "docx",
    "manor-high.md": "docx",
    "moat-house-primary.txt": "pdf",
    "smrchs.txt": "pdf",
    "gilbert-inglefield.txt": "docx",
    "kingswood-corby.txt": "pdf",
    "aylward.txt": "docx",
    "king-henry-phones.txt": "pdf",
    "rossett.txt": "docx",
}


def parts(text: str):
    """(kind, payload) in order: heading, para, item, table (list of rows)."""
    table: list[list[str]] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        for line in block.splitlines():
            line = line.strip()
            if not line:
                continue
            if line.startswith("|"):
                if not re.fullmatch(r"\|[\s|:-]+\|?", line):
                    table.append([c.strip() for c in line.strip("|").split("|")])
                continue
            if table:
                yield "table", table
                table = []
            if line.startswith("#"):
                yield "heading", line.lstrip("#").strip()
            elif line.startswith("- "):
                yield "item", line[2:]
            elif len(line) <= 70 and not re.search(r"[.:;,!?)]$", line):
                yield "heading", line
            else:
                yield "para", line
    if table:
        yield "table", table


def to_docx(source: Path, out: Path) -> None:
    from docx import Document

    document = Document()
    document.core_properties.author = "School office"
    for kind, payload in parts(source.read_text(encoding="utf-8")):
        if kind == "heading":
            document.add_heading(payload, 2)
        elif kind == "item":
            document.add_paragraph(payload, style="List Bullet")
        elif kind == "para":
            document.add_paragraph(payload)
        else:
            table = document.add_table(rows=len(payload), cols=len(payload[0]))
            for r, row in enumerate(payload):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
    document.save(str(out))


def _latin(text: str) -> str:
    swaps = {"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "..."}
    return "".join(swaps.get(ch, ch) for ch in text).encode("latin-1", "replace").decode("latin-1")


def to_pdf(source: Path, out: Path) -> None:
    from fpdf import FPDF

    title = f"{source.stem.replace('-', ' ').title()} - Behaviour Policy"

    class Policy(FPDF):
        def header(self):
            self.set_font("Helvetica", "I", 8)
            self.cell(0, 6, title, align="R", new_x="LMARGIN", new_y="NEXT")
            self.ln(2)

        def footer(self):
            self.set_y(-15)
            self.set_font("Helvetica", "I", 8)
            self.cell(0, 10, f"Page {self.page_no()} of {{nb}}", align="C")

    pdf = Policy()
    pdf.alias_nb_pages()
    pdf.add_page()
    for kind, payload in parts(source.read_text(encoding="utf-8")):
        if kind == "heading":
            pdf.set_font("Helvetica", "B", 12)
            pdf.multi_cell(0, 7, _latin(payload), new_x="LMARGIN", new_y="NEXT")
        elif kind in ("item", "para"):
            pdf.set_font("Helvetica", size=10)
            pdf.multi_cell(0, 5, _latin(("- " if kind == "item" else "") + payload), new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.set_font("Helvetica", size=9)
            with pdf.table() as table:
                for row in payload:
                    cells = table.row()
                    for cell in row:
                        cells.cell(_latin(cell))
        pdf.ln(2)
    pdf.output(str(out))


def build() -> list[Path]:
    BUILT.mkdir(exist_ok=True)
    written = []
    for name, fmt in TARGETS.items():
        source = CORPUS / name
        out = BUILT / f"{source.stem}.{fmt}"
        (to_docx if fmt == "docx" else to_pdf)(source, out)
        written.append(out)
    return written


if __name__ == "__main__":
    for path in build():
        print(path.relative_to(HERE))
