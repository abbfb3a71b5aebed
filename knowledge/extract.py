"""Text out of a school's own files: PDF, Word .docx, Markdown and plain text.

The result is a list of `Block`s (headings, paragraphs, list items, table
rows), each with its location: the page for a PDF, the heading above it for
Word and Markdown, line numbers for text files, and a paragraph number. Both
the document index (knowledge/documents.py) and the policy review read this.

Every file is untrusted input. The checks below fail with a `ReflectError`
that names the file and the problem before any parser is given the bytes:
size, format, encryption, page count, zip bombs, binary data. What comes out
is text to be quoted and searched, never instructions to follow: nothing
here (or downstream) executes it, evaluates it or treats it as a prompt.
"""
from __future__ import annotations

import hashlib
import io
import logging
import re
import zipfile
from pathlib import Path
from typing import Iterable, Literal

from pydantic import BaseModel

from knowledge.errors import ReflectError

SUFFIXES = {".pdf": "pdf", ".docx": "docx", ".md": "md", ".markdown": "md", ".txt": "txt"}
MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_PAGES = 500
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ZIP_RATIO = 100
MAX_ZIP_ENTRIES = 10_000
MAX_TEXT_CHARS = 5_000_000

_HINTS = {
    ".doc": "the old Word .doc format is not supported; save it as .docx or PDF",
    ".rtf": "save it as .docx or PDF",
    ".odt": "save it as .docx or PDF",
    ".pages": "export it as .docx or PDF",
}
# Characters XML (and so Word output) cannot hold, and terminal control codes.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_BULLET = re.compile(r"^(?:[•▪◦●■□➢➤►\-–—*·o]\s+|\(?(?:\d+(?:\.\d+)*|[a-zA-Z]|[ivxIVX]+)[.)]\s+)")
_SYMBOL_BULLET = re.compile(r"^[•▪◦●■□➢➤►\-–—*·o]\s+")
_NUMBERED = re.compile(r"^\d+(?:\.\d+)*\.?\s+\S")
_COLUMN_GAP = re.compile(r"\S(\s{4,})\S")


class Block(BaseModel):
    """One paragraph, list item, table row or heading, and where it sits."""

    text: str
    kind: Literal["heading", "paragraph", "item", "table"] = "paragraph"
    page: int | None = None  # PDFs
    section: str | None = None  # the nearest heading above (for a heading: itself)
    paragraph: int | None = None  # 1-based; per page in a PDF, per document otherwise
    lines: tuple[int, int] | None = None  # text and Markdown files

    @property
    def location(self) -> str:
        parts: list[str] = []
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.section and self.kind != "heading":
            parts.append(f"under “{_short(self.section)}”")
        if self.lines is not None:
            first, last = self.lines
            parts.append(f"line {first}" if first == last else f"lines {first}–{last}")
        elif self.paragraph is not None:
            parts.append(f"paragraph {self.paragraph}")
        return ", ".join(parts) or "the document"


class Extracted(BaseModel):
    name: str
    path: str
    kind: Literal["pdf", "docx", "md", "txt"]
    pages: int | None
    size: int
    content_hash: str
    blocks: list[Block]

    @property
    def text(self) -> str:
        return "\n\n".join(b.text for b in self.blocks)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def clean(text: str) -> str:
    """Printable text on one line: control characters out, whitespace collapsed."""
    return " ".join(_CONTROL.sub(" ", text).split())


def extract(path: str | Path) -> Extracted:
    """Read one file into blocks, or raise a ReflectError naming it and the problem."""
    path = Path(path).expanduser()
    name = path.name or str(path)
    if not path.exists():
        raise ReflectError(f"{path}: no such file")
    if path.is_dir():
        raise ReflectError(f"{path}: is a folder, not a document")
    suffix = path.suffix.lower()
    kind = SUFFIXES.get(suffix)
    if kind is None:
        known = ", ".join(sorted(SUFFIXES))
        hint = _HINTS.get(suffix, f"the formats read are {known}")
        raise ReflectError(f"{name}: unknown format {suffix or '(no extension)'}; {hint}")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ReflectError(f"{name}: too large ({size / 1e6:.0f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB)")
        data = path.read_bytes()
    except OSError as exc:
        raise ReflectError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    if not data.strip():
        raise ReflectError(f"{name}: the file is empty")
    reader = {"pdf": _pdf, "docx": _docx, "md": _markdown, "txt": _plain}[kind]
    pages, blocks = reader(name, data)
    blocks = [b for b in blocks if b.text]
    if not any(b.kind != "heading" for b in blocks):
        hint = "; if it is a scan, save a copy with a text layer (OCR) first" if kind == "pdf" else ""
        raise ReflectError(f"{name}: no text could be extracted{hint}")
    if sum(len(b.text) for b in blocks) > MAX_TEXT_CHARS:
        raise ReflectError(f"{name}: too much text (the limit is {MAX_TEXT_CHARS:,} characters)")
    return Extracted(
        name=name, path=str(path.resolve()), kind=kind, pages=pages, size=len(data),
        content_hash=hashlib.sha256(data).hexdigest(), blocks=blocks,
    )


# ---------------------------------------------------------------- PDF


def _pdf(name: str, data: bytes) -> tuple[int, list[Block]]:
    if b"%PDF-" not in data[:1024]:
        raise ReflectError(f"{name}: not a PDF (the file does not start with a PDF header); it may be damaged or misnamed")
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged files log noisily
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")  # owner-password-only files open with an empty password
            except (DependencyError, NotImplementedError):
                opened = 0
            if not opened:
                raise ReflectError(f"{name}: the PDF is encrypted (password-protected); save an unprotected copy and try again")
        count = len(reader.pages)
    except ReflectError:
        raise
    except Exception as exc:  # pypdf raises many types for damaged files
        raise ReflectError(f"{name}: the PDF could not be read; it may be damaged ({_reason(exc)})") from None
    if count == 0:
        raise ReflectError(f"{name}: the PDF has no pages")
    if count > MAX_PAGES:
        raise ReflectError(f"{name}: too many pages ({count}; the limit is {MAX_PAGES}); split it and ingest the parts")
    blocks: list[Block] = []
    section: str | None = None
    for number, page in enumerate(reader.pages, start=1):
        try:
            try:
                raw = page.extract_text(extraction_mode="layout")  # keeps paragraph gaps
            except Exception:
                raw = page.extract_text()
        except Exception as exc:
            raise ReflectError(f"{name}: page {number} could not be read; the PDF may be damaged ({_reason(exc)})") from None
        lines = [(0, _COLUMN_GAP.sub(lambda m: m.group(0)[0] + " | " + m.group(0)[-1], line)) for line in raw.splitlines()]
        page_blocks, section = _from_lines(lines, markdown=False, section=section)
        for n, block in enumerate((b for b in page_blocks if b.kind != "heading"), start=1):
            block.paragraph = n
        for block in page_blocks:
            block.page, block.lines = number, None
        blocks.extend(page_blocks)
    return count, blocks


def _reason(exc: BaseException) -> str:
    text = clean(str(exc)) or type(exc).__name__
    return _short(text, 120)


# ---------------------------------------------------------------- Word


def _check_zip(name: str, data: bytes) -> None:
    """Refuse a zip bomb before python-docx opens it.

    The sizes checked are those the zip declares; Python's zipfile never
    inflates an entry past its declared size, so a lying header cannot
    smuggle more through.
    """
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ReflectError(f"{name}: not a Word .docx file (it is not a zip package); it may be password-protected, damaged, or an old .doc renamed")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            entries = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ReflectError(f"{name}: the .docx package is damaged ({_reason(exc)})") from None
    if len(entries) > MAX_ZIP_ENTRIES:
        raise ReflectError(f"{name}: the .docx package has too many parts ({len(entries):,}); refusing to open it")
    unzipped = sum(e.file_size for e in entries)
    ratio = unzipped / max(1, len(data))
    if unzipped > MAX_UNZIPPED_BYTES or ratio > MAX_ZIP_RATIO:
        raise ReflectError(
            f"{name}: the .docx would expand to {unzipped / 1e6:,.0f} MB ({ratio:,.0f} times its size); "
            "it looks like a zip bomb, so it was not opened"
        )


def _docx(name: str, data: bytes) -> tuple[None, list[Block]]:
    _check_zip(name, data)
    from docx import Document
    from docx.table import Table

    try:
        document = Document(io.BytesIO(data))
        content = list(document.iter_inner_content())
    except Exception as exc:
        raise ReflectError(f"{name}: not a readable Word document ({_reason(exc)})") from None
    blocks: list[Block] = []
    headings: list[tuple[int, str]] = []
    paragraph = 0
    for item in content:
        if isinstance(item, Table):
            for text in _table_rows(item):
                paragraph += 1
                blocks.append(Block(text=text, kind="table", section=_deepest(headings), paragraph=paragraph))
            continue
        text = clean(item.text)
        if not text:
            continue
        level = _docx_heading_level(item, text)
        if level is not None:
            headings = [h for h in headings if h[0] < level] + [(level, text)]
            blocks.append(Block(text=text, kind="heading", section=text))
            continue
        style = (item.style.name if item.style is not None else "") or ""
        paragraph += 1
        kind = "item" if style.startswith("List") or item._p.pPr is not None and item._p.pPr.numPr is not None else "paragraph"
        blocks.append(Block(text=text, kind=kind, section=_deepest(headings), paragraph=paragraph))
    return None, blocks


def _docx_heading_level(paragraph, text: str) -> int | None:
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if style == "Title":
        return 0
    match = re.match(r"Heading (\d)", style)
    if match:
        return int(match.group(1))
    runs = [r for r in paragraph.runs if r.text.strip()]
    if runs and all(r.bold for r in runs) and _heading_like(text):
        return 9  # a bold line standing as a heading, as many school policies do
    return None


def _table_rows(table) -> Iterable[str]:
    """Each row as 'header: cell | header: cell' so a row reads on its own."""
    rows: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = clean(cell.text)
            if not cells or text != cells[-1]:  # merged cells repeat their text
                cells.append(text)
        if any(cells):
            rows.append(cells)
    if not rows:
        return
    header = rows[0] if len(rows) > 1 else None
    if header is None:
        yield " | ".join(c for c in rows[0] if c)
        return
    yield " | ".join(c for c in header if c)
    for cells in rows[1:]:
        labelled = [
            f"{header[i]}: {c}" if i < len(header) and header[i] and len(cells) == len(header) else c
            for i, c in enumerate(cells) if c
        ]
        yield " | ".join(labelled)


def _deepest(headings: list[tuple[int, str]]) -> str | None:
    return headings[-1][1] if headings else None


# ---------------------------------------------------------------- text and Markdown


def _decode(name: str, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in data:
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            controls = len(_CONTROL.findall(text))
            if controls <= max(2, len(text) // 200):
                return text
            break
    raise ReflectError(f"{name}: looks like binary data, not text; is it the right file?")


def _plain(name: str, data: bytes) -> tuple[None, list[Block]]:
    lines = list(enumerate(_decode(name, data).splitlines(), start=1))
    return None, _number(_from_lines(lines, markdown=False)[0])


def _markdown(name: str, data: bytes) -> tuple[None, list[Block]]:
    lines = list(enumerate(_decode(name, data).splitlines(), start=1))
    return None, _number(_from_lines(lines, markdown=True)[0])


def _number(blocks: list[Block]) -> list[Block]:
    for n, block in enumerate((b for b in blocks if b.kind != "heading"), start=1):
        block.paragraph = n
    return blocks


def _heading_like(line: str) -> bool:
    """A short line that reads as a title: no closing punctuation, few words."""
    words = line.split()
    if not words or len(words) > 12 or len(line) > 90 or line[-1] in ".,;:!?\"”'|)":
        return False
    if not re.search(r"[A-Za-z]", line) or re.search(r"[|=:→]|\s[-–—]\s", line):
        return False
    if _NUMBERED.match(line) and len(words) <= 10:
        return not re.match(r"^\d+(?:\.\d+)*\.?\s+[a-z]", line)
    if line.isupper():
        return True
    if not line[0].isupper():
        return False
    if len(words) <= 6:
        return True
    long_words = [w for w in words if len(w) > 3]
    return bool(long_words) and sum(w[0].isupper() for w in long_words) / len(long_words) >= 0.5


_ATX = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^(=+|-+)\s*$")
_MD_TABLE_RULE = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")


def _from_lines(
    lines: list[tuple[int, str]], markdown: bool, section: str | None = None
) -> tuple[list[Block], str | None]:
    """Group lines into blocks: blank lines, bullets and headings start new ones."""
    blocks: list[Block] = []
    current: list[tuple[int, str]] = []
    table_header: list[str] | None = None
    in_fence = False

    def emit(kind: str, text: str, first: int, last: int) -> None:
        nonlocal section
        text = clean(text)
        if not text:
            return
        if kind == "heading":
            section = text
        blocks.append(Block(text=text, kind=kind, section=section, lines=(first, last)))

    def flush() -> None:
        nonlocal current
        group, current = current, []
        if not group:
            return
        if markdown:
            runs = [group]
        else:  # plain text: a short line, or one ending a sentence, ends its paragraph
            longest = max(len(t) for _, t in group)
            runs, run = [], []
            for item in group:
                run.append(item)
                if re.search(r"[.!?][\"”’')]*$", item[1]) or len(item[1]) < 0.6 * longest:
                    runs.append(run)
                    run = []
            if run:
                runs.append(run)
        for run in runs:
            first_no, first = run[0]
            if not markdown and len(run) == 1 and _heading_like(first):
                emit("heading", first, first_no, first_no)
                continue
            text = ""
            for _, line in run:
                joined = text.endswith("-") and text[-2:-1].isalpha() and line[:1].islower()
                text = text + line if joined else f"{text} {line}"
            kind = "item" if _BULLET.match(first) else "paragraph"
            emit(kind, _SYMBOL_BULLET.sub("", text.strip(), count=1), run[0][0], run[-1][0])

    for number, raw in lines:
        line = raw.strip()
        if markdown:
            if line.startswith(("```", "~~~")):
                in_fence = not in_fence
                flush()
                continue
            if not in_fence:
                atx = _ATX.match(line)
                if atx:
                    flush()
                    emit("heading", atx.group(2), number, number)
                    table_header = None
                    continue
                if _SETEXT.match(line):
                    if len(current) == 1:
                        heading_no, heading = current.pop()
                        emit("heading", heading, heading_no, number)
                    flush()  # otherwise a horizontal rule
                    continue
                if line.startswith("|"):
                    flush()
                    if _MD_TABLE_RULE.match(line):
                        continue
                    cells = [clean(c) for c in line.strip("|").split("|")]
                    if table_header is None:
                        table_header = cells
                        emit("table", " | ".join(c for c in cells if c), number, number)
                    else:
                        labelled = [
                            f"{table_header[i]}: {c}" if i < len(table_header) and table_header[i] else c
                            for i, c in enumerate(cells) if c
                        ]
                        emit("table", " | ".join(labelled), number, number)
                    continue
                table_header = None
                line = re.sub(r"^>\s?", "", line).replace("**", "").replace("__", "").replace("`", "")
        if not line:
            flush()
            continue
        if _BULLET.match(line) or (not markdown and _NUMBERED.match(line)):
            flush()
        current.append((number, line))
    flush()
    return blocks, section
