"""Text out of a school's own files: PDF, Word .docx, Markdown and plain text.

The result is a list of `Block`s (headings, paragraphs, list items, table
rows), each with its location: the page for a PDF, the heading above it for
Word and Markdown, line numbers for text files, and a paragraph number. Both
the document index (knowledge/documents.py) and the policy review read this.

Every file is untrusted input. The checks below fail with a `ReflectError`
that names the file and the problem before any parser is given the bytes:
size, format, encryption, page count, zip bombs, binary data. The text limits
are checked while reading, not after: each reader charges a `_Budget` as it
goes (characters, paragraphs, a PDF's drawing instructions), so a file built
to be huge is refused as soon as it passes a limit, in seconds rather than
the minutes a full parse would take. What comes out
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
from typing import Literal

from pydantic import BaseModel

from knowledge.errors import ReflectError

SUFFIXES = {".pdf": "pdf", ".docx": "docx", ".md": "md", ".markdown": "md", ".txt": "txt"}
MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_PAGES = 500
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ZIP_RATIO = 100
MAX_ZIP_ENTRIES = 10_000
MAX_TEXT_CHARS = 5_000_000
MAX_BYTES_PER_CHAR = 4  # UTF-8: a text file over MAX_TEXT_CHARS * 4 bytes holds too much text, decoded or not
MAX_PARAGRAPHS = 30_000  # paragraphs, items and table rows; a 500-page policy has a fraction of this
MAX_DOCX_XML_BYTES = 50 * 1024 * 1024  # a .docx's main text part, unzipped: Word writes a few MB for 500 pages
MAX_PDF_CONTENT_BYTES = 16 * 1024 * 1024  # a PDF's drawing instructions over all pages (a shared stream counts per page): text pages hold ~10 KB each

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
# A ladder step: "C3", "EL3d", "W2", "C4+", or "Stage 3", "Level 2", "Consequence 4" at the start of a line.
_STEP_CODE = re.compile(r"^(?:[A-Z]{1,3}\d{1,2}[a-z]?\+?)(?=[\s~:=|–—).,(-]|$)")
_STEP_WORD = re.compile(r"^(?:stage|level|step|consequence|warning|sanction|tier)\s+\d{1,2}[a-z]?\b", re.IGNORECASE)
# a colour that names a step ("Red", "Amber card", "Yellow zone: …"); green and the rest are usually rewards
_STEP_COLOUR = re.compile(r"^(?:red|amber|yellow|orange)(?:\s+(?:cards?|zone|level|stage|step|warning))?(?=\s*(?:$|[~:=|–—-]))",
                          re.IGNORECASE)
_STEP_SEPARATOR = re.compile(r"^\S+(?:\s+\d{1,2}[a-z]?)?\s*(?:\([^)]{1,12}\)\s*)?[~:=|–—-]\s*\S")


class Block(BaseModel):
    """One paragraph, list item, table row or heading, and where it sits."""

    text: str
    kind: Literal["heading", "paragraph", "item", "table"] = "paragraph"
    page: int | None = None  # PDFs
    section: str | None = None  # the nearest heading above (for a heading: itself)
    paragraph: int | None = None  # 1-based; per page in a PDF, per document otherwise
    lines: tuple[int, int] | None = None  # text and Markdown files
    step: str | None = None  # the ladder step above it ("C3 Infringements", "Stage 2 - ..."), if any
    cells: list[tuple[str, str]] | None = None  # a table row: (column header, cell), header "" if none
    row: int | None = None  # a table row's number within its table (the header row is 0)

    @property
    def location(self) -> str:
        parts: list[str] = []
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.section and self.kind != "heading":
            parts.append(f"under “{_short(self.section)}”")
        if self.step and self.step != self.section and self.step != self.text:
            parts.append(f"step “{_short(self.step)}”")
        if self.row:
            parts.append(f"table row {self.row}")
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


class _Budget:
    """What one file has yielded so far; a reader charges it as it goes and is stopped past a limit."""

    def __init__(self, name: str) -> None:
        self.name, self.chars, self.paragraphs = name, 0, 0

    def charge(self, text: str = "", paragraphs: int = 1) -> None:
        self.chars += len(text)
        self.paragraphs += paragraphs
        if self.chars > MAX_TEXT_CHARS:
            raise too_much_text(self.name)
        if self.paragraphs > MAX_PARAGRAPHS:
            raise too_many_paragraphs(self.name)


def too_much_text(name: str) -> ReflectError:
    return ReflectError(f"{name}: too much text (the limit is {MAX_TEXT_CHARS:,} characters); "
                        "split it and ingest the parts")


def too_many_paragraphs(name: str) -> ReflectError:
    return ReflectError(f"{name}: too many paragraphs (over {MAX_PARAGRAPHS:,}); a document this long is "
                        "unusual and may be built to overwhelm a reader: split it and ingest the parts")


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
        if kind in ("md", "txt") and size > MAX_TEXT_CHARS * MAX_BYTES_PER_CHAR:
            raise too_much_text(name)  # more bytes than the most characters could take: not worth decoding
        data = path.read_bytes()
    except OSError as exc:
        raise ReflectError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    if not data.strip():
        raise ReflectError(f"{name}: the file is empty")
    reader = {"pdf": _pdf, "docx": _docx, "md": _markdown, "txt": _plain}[kind]
    pages, blocks = reader(name, data, _Budget(name))
    blocks = [b for b in blocks if b.text]
    _mark_steps(blocks)
    if not any(b.kind != "heading" for b in blocks):
        hint = "; if it is a scan, save a copy with a text layer (OCR) first" if kind == "pdf" else ""
        raise ReflectError(f"{name}: no text could be extracted{hint}")
    return Extracted(
        name=name, path=str(path.resolve()), kind=kind, pages=pages, size=len(data),
        content_hash=hashlib.sha256(data).hexdigest(), blocks=blocks,
    )


# ---------------------------------------------------------------- PDF


def _pdf(name: str, data: bytes, budget: _Budget) -> tuple[int, list[Block]]:
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
    _check_pdf_content(name, reader)
    pages: list[list[str]] = []
    for number, page in enumerate(reader.pages, start=1):
        try:
            try:
                raw = page.extract_text(extraction_mode="layout")  # keeps paragraph gaps
            except Exception:
                raw = page.extract_text()
        except Exception as exc:
            raise ReflectError(f"{name}: page {number} could not be read; the PDF may be damaged ({_reason(exc)})") from None
        budget.charge(raw, paragraphs=0)  # paragraphs are counted when the lines are grouped, below
        pages.append(raw.splitlines())
    blocks: list[Block] = []
    section: str | None = None
    for number, page_lines in enumerate(_without_furniture(pages), start=1):
        # numbered as read, so a numbered list on the page is told from its headings; a PDF's blocks keep only their page
        lines = [(n, _COLUMN_GAP.sub(lambda m: m.group(0)[0] + " | " + m.group(0)[-1], line.strip()))
                 for n, line in enumerate(_layout_tables(page_lines), start=1)]
        page_blocks, section = _from_lines(lines, section=section)
        budget.charge(paragraphs=len(page_blocks))
        for n, block in enumerate((b for b in page_blocks if b.kind != "heading"), start=1):
            block.paragraph = n
        for block in page_blocks:
            block.page, block.lines = number, None
        blocks.extend(page_blocks)
    return count, blocks


def _check_pdf_content(name: str, reader) -> None:
    """Refuse a PDF whose pages carry more drawing instructions than any document needs, before
    reading a page: every page is parsed on its own, so a heavy stream shared by 500 pages costs
    500 parses. Each stream is decoded once (pypdf keeps it); this sums what every page would parse."""
    total = 0
    for page in reader.pages:
        try:
            total += _content_bytes(page.get("/Contents"), page.get("/Resources"), depth=0)
        except Exception:  # noqa: BLE001 - a damaged page is reported when it is read, as before
            continue
        if total > MAX_PDF_CONTENT_BYTES:
            raise ReflectError(
                f"{name}: the PDF's pages hold far more drawing instructions than a document needs "
                f"(over {MAX_PDF_CONTENT_BYTES // 2**20} MB); it may be damaged or built to overwhelm a "
                "reader: save a simpler copy (e.g. print it to PDF) and try again")


def _content_bytes(contents, resources, depth: int) -> int:
    """Decoded bytes of a page's (or form's) content streams and the forms it draws, a few levels deep."""
    from pypdf.generic import ArrayObject, StreamObject

    total = 0
    contents = contents.get_object() if contents is not None else None
    streams = contents if isinstance(contents, ArrayObject) else [contents]
    for stream in streams:
        stream = stream.get_object() if stream is not None else None
        if isinstance(stream, StreamObject):
            total += len(stream.get_data())
    resources = resources.get_object() if resources is not None else None
    xobjects = resources.get("/XObject") if hasattr(resources, "get") else None
    xobjects = xobjects.get_object() if xobjects is not None else None
    if depth < 3 and hasattr(xobjects, "values"):
        for form in xobjects.values():
            form = form.get_object()
            if isinstance(form, StreamObject) and form.get("/Subtype") == "/Form":
                total += _content_bytes(form, form.get("/Resources"), depth + 1)
    return total


# Words on a laid-out line, split where four or more spaces stand between them (a column gap).
_CHUNK = re.compile(r"\S+(?: {1,3}\S+)*")
_ALIGN = 2  # characters a cell's text may stand off its column's edge
_MAX_TABLE_LINES = 400  # a page's table is read this far at most: a crafted page of gaps costs no more than a page


def _layout_tables(lines: list[str]) -> list[str]:
    """A page's laid-out lines with each table row on one line, its cells joined by " | ".

    In a PDF a row whose cells wrap comes out over several lines, each holding only some
    of the cells, set at their columns and vertically centred, with blank lines between
    rows and sometimes inside them. Read line by line, the row's cells would be cut apart
    and lose their column headers. A table starts at a line with a column gap; its
    columns are where that line's cells start, and it runs while the lines keep to those
    columns. Rows are told apart as word wrapping tells them: a cell's line that the next
    word would have fitted on ended its paragraph.
    """
    out: list[str] = []
    i = 0
    work = 4 * len(lines) + 2000  # lines read looking for tables: a page built of gaps costs a few readings of it
    while i < len(lines):
        columns = [m.start() for m in _CHUNK.finditer(lines[i])]
        rows, end, read = _table_rows(lines, i, columns) if len(columns) >= 2 and work > 0 else ([], i, 0)
        work -= read
        if len(rows) < 2:
            out.append(lines[i])
            i += 1
            continue
        out.extend(f"| {' | '.join(cells)} |" for cells in rows)  # outer bars keep an empty first or last cell
        out.append("")
        i = end
    return out


_Cells = list[list[str]]  # a cell's lines, per column


def _table_rows(lines: list[str], start: int, columns: list[int]) -> tuple[list[list[str]], int, int]:
    """The rows of the table whose header is lines[start], the index of the first line after it,
    and how many lines were read to find them."""
    def cells_of(group: list[str]) -> _Cells | None:
        cells: _Cells = [[] for _ in columns]
        for line in group:
            for m in _CHUNK.finditer(line):
                k = max((n for n, c in enumerate(columns) if c <= m.start() + _ALIGN), default=None)
                text, at = m.group(0), m.start()
                while k is not None and k + 1 < len(columns) and at + len(text) > columns[k + 1] - 1:
                    if k == 0:
                        return None  # text from the margin across a column edge: prose, not a cell
                    # a cell's text run into the next one with no gap ("…report)Governors."): cut at the edge
                    cut = _word_edge(text, columns[k + 1] - at)
                    cells[k].append(text[:cut].strip())
                    text, at, k = text[cut:].strip(), columns[k + 1], k + 1
                if k is None:
                    return None
                if text:
                    cells[k].append(text)
        return cells

    groups: list[tuple[int, _Cells]] = []  # (first line, cells) of each run of lines between blank lines
    i = end = start
    limit = min(len(lines), start + _MAX_TABLE_LINES)
    while i < limit:
        if not lines[i].strip():
            i += 1
            continue
        j, first = i + 1, _first_cell(lines[i], columns)
        while j < limit and lines[j].strip() and not _opens_first_cell(first, lines[j], columns):
            first = _first_cell(lines[j], columns) or first
            j += 1
        group = lines[i:j]
        # lines that each fill the first column and another are one-line rows set without gaps
        singles = len(group) > 1 and all(
            len(found := [m.start() for m in _CHUNK.finditer(line)]) >= 2 and found[0] <= columns[0] + _ALIGN
            for line in group)
        parts = [(i + n, cells_of([line])) for n, line in enumerate(group)] if singles else [(i, cells_of(group))]
        if any(cells is None for _, cells in parts):
            break
        groups.extend(parts)  # type: ignore[arg-type]
        i = end = j
    # how wide each column's text runs, and whether it wraps anywhere (a column of one-line cells never does)
    widths = [max((len(t) for _, cells in groups for t in cells[k]), default=0) for k in range(len(columns))]
    wraps = [any(len(cells[k]) > 1 for _, cells in groups) for k in range(len(columns))]
    rows: list[tuple[int, _Cells]] = []
    for n, (first, cells) in enumerate(groups):
        if n > 1 and _continues(rows[-1][1], cells, widths, wraps):  # (never into the header row)
            rows[-1] = (rows[-1][0], [a + b for a, b in zip(rows[-1][1], cells)])
        else:
            rows.append((first, cells))
    read = i - start
    while rows and sum(bool(c) for c in rows[-1][1]) < 2:  # headings or lines of prose after the table
        end = rows.pop()[0]
    return [[" ".join(cell) for cell in cells] for _, cells in rows], end, read


def _first_cell(line: str, columns: list[int]) -> str | None:
    """The text a laid-out line has in the table's first column, if any."""
    found = _CHUNK.search(line)
    return found.group(0) if found and found.start() <= columns[0] + _ALIGN else None


def _opens_first_cell(above: str | None, line: str, columns: list[int]) -> bool:
    """Whether a line straight under a group starts a new first cell rather than going on with the
    group's (a sentence set right after the table, a row set without a gap): the group's first-column
    text above could have taken its first word, and that word has a capital."""
    below = _first_cell(line, columns)
    if above is None or below is None:
        return False
    word = below.split()[0]
    return (word[:1].isupper() or word[:1].isdigit()) and len(above) + 1 + len(word) <= columns[1] - columns[0] - 4


def _word_edge(text: str, cut: int) -> int:
    """Where text run across a column edge at cut splits (layout places characters only roughly):
    a capital straight after a lower-case letter or a bracket, the mark of two cells run together,
    within eight characters; else a space within three."""
    def near(reach: int) -> list[int]:
        return sorted(range(max(1, cut - reach), min(len(text), cut + reach + 1)), key=lambda c: abs(c - cut))

    return next((c for c in near(8) if text[c].isupper() and (text[c - 1].islower() or text[c - 1] in ").,;:")),
                None) or next((c for c in near(3) if text[c] == " "), cut)


def _continues(row: _Cells, group: _Cells, widths: list[int], wraps: list[bool]) -> bool:
    """Whether a group of lines (between blank lines) goes on with the row above it.

    A group with its own first cell under a row with one starts a new row, unless that first
    cell wrapped. Otherwise a cell goes on when its line above could not have taken the first
    word after it, or that word is in lower case, and the line above closes no sentence."""
    def goes_on(k: int) -> bool:
        last, word = row[k][-1], group[k][0].split()[0]
        wrapped = wraps[k] and len(last) + 1 + len(word) > widths[k]
        return (wrapped or word[:1].islower()) and last.rstrip()[-1:] not in ".!?)"

    if row[0] and group[0]:
        return goes_on(0)
    return any(goes_on(k) for k in range(len(row)) if row[k] and group[k])


_PAGE_NUMBER = re.compile(r"^\W*(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\W*$", re.IGNORECASE)
_EDGE = 3  # running headers and footers sit within this many lines of a page's top or bottom


def _without_furniture(pages: list[list[str]]) -> list[list[str]]:
    """Drop page numbers ("Page 2 of 9", "- 3 -") and running headers and footers.

    A running line is one near the top or bottom of the page that recurs, digits
    aside, on at least half the pages (and on two or more).
    """
    def key(line: str) -> str:
        return re.sub(r"\d+", "#", " ".join(line.split())).lower()

    def edges(lines: list[str]) -> set[int]:
        filled = [i for i, line in enumerate(lines) if line.strip()]
        return set(filled[:_EDGE] + filled[-_EDGE:])

    seen: dict[str, int] = {}
    for lines in pages:
        for k in {key(lines[i]) for i in edges(lines)}:
            seen[k] = seen.get(k, 0) + 1
    running = {k for k, n in seen.items() if n >= 2 and n >= len(pages) / 2}
    out = []
    for lines in pages:
        edge = edges(lines)
        kept = ["" if i in edge and (key(line) in running or _PAGE_NUMBER.match(line.strip())) else line
                for i, line in enumerate(lines)]
        if not any(line.strip() for line in kept):  # a page of one recurring line is its text, not furniture
            kept = ["" if _PAGE_NUMBER.match(line.strip()) else line for line in lines]
        out.append(kept)
    return out


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
    main = next((e for e in entries if e.filename == "word/document.xml"), None)
    if main is None:
        return
    if main.file_size > MAX_DOCX_XML_BYTES:
        raise ReflectError(f"{name}: the .docx's text part is {main.file_size / 1e6:,.0f} MB unzipped (the limit is "
                           f"{MAX_DOCX_XML_BYTES // 2**20} MB); split it and ingest the parts")
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        if _count_paragraph_tags(package, main) > MAX_PARAGRAPHS:
            raise too_many_paragraphs(name)


_PARAGRAPH_TAG = re.compile(rb"<w:p[\s/>]")


def _count_paragraph_tags(package: zipfile.ZipFile, entry: zipfile.ZipInfo) -> int:
    """Paragraphs in the main text part, counted by streaming it (seconds for what python-docx
    would take many minutes and gigabytes to load)."""
    count, tail = 0, b""
    with package.open(entry) as stream:
        while chunk := stream.read(1 << 20):
            window = tail + chunk
            count += len(_PARAGRAPH_TAG.findall(window))
            tail = window[-4:]  # a tag cut by the chunk's end is found next time (a whole one needs 5 bytes)
    return count


def _docx(name: str, data: bytes, budget: _Budget) -> tuple[None, list[Block]]:
    _check_zip(name, data)
    from docx import Document
    from docx.table import Table

    try:
        document = Document(io.BytesIO(data))
        content = document.iter_inner_content()  # lazily: a hostile file is stopped part way
    except Exception as exc:
        raise ReflectError(f"{name}: not a readable Word document ({_reason(exc)})") from None
    blocks: list[Block] = []
    headings: list[tuple[int, str]] = []
    paragraph = 0
    styles: dict[str | None, str] = {}  # style id -> name: python-docx looks each one up afresh
    for item in content:
        if isinstance(item, Table):
            for row in table_blocks(_docx_cells(item, budget)):
                paragraph += 1
                blocks.append(Block(text=row.text, kind="table", section=_deepest(headings), paragraph=paragraph,
                                    cells=row.cells, row=row.row))
            continue
        text = clean(item.text)
        budget.charge(text)  # empty paragraphs count too: a million of them is still a million
        if not text:
            continue
        style_id = item._p.style
        if style_id not in styles:
            styles[style_id] = (item.style.name if item.style is not None else "") or ""
        style = styles[style_id]
        level = _docx_heading_level(item, text, style)
        if level is not None and not step_label(text):  # "C3 ~ Detention" styled as a heading is a ladder step
            headings = [h for h in headings if h[0] < level] + [(level, text)]
            blocks.append(Block(text=text, kind="heading", section=text))
            continue
        kind = "item" if style.startswith("List") or item._p.pPr is not None and item._p.pPr.numPr is not None else "paragraph"
        for line in _docx_lines(item.text):
            paragraph += 1
            blocks.append(Block(text=line, kind=kind, section=_deepest(headings), paragraph=paragraph))
    return None, blocks


def _docx_lines(text: str) -> list[str]:
    """A Word paragraph's lines: lines set apart with line breaks ("C1 – Warning", "C2 – Detention"
    typed with Shift+Enter) are read one by one, and a tab between words ("C3<tab>Detention") stands
    between columns, as a PDF's column gap does."""
    lines = [_TAB_GAP.sub(" | ", _MARK_TAB.sub(r"\1 ", line.strip())) for line in text.split("\n")]
    return [line for line in (clean(line) for line in lines) if line]


_MARK_TAB = re.compile(r"^((?:\(?(?:\d{1,3}|[a-zA-Z]|[ivxIVX]{1,4})[.)])|[•▪◦●■□➢➤►\-–—*·])\s*\t")  # "1.<tab>Text"
_TAB_GAP = re.compile(r"\s*\t\s*")


def _docx_heading_level(paragraph, text: str, style: str) -> int | None:
    if style == "Title":
        return 0
    match = re.match(r"Heading (\d)", style)
    if match:
        return int(match.group(1))
    runs = [r for r in paragraph.runs if r.text.strip()]
    if runs and all(r.bold for r in runs) and _heading_like(text):
        return 9  # a bold line standing as a heading, as many school policies do
    return None


def _docx_cells(table, budget: _Budget) -> list[list[str]]:
    """Each row's cells, one per grid column: a merged cell repeats its text in every column it
    spans, so each column keeps its header (table_blocks reads the repeats as one cell)."""
    rows: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        budget.charge()
        for cell in row.cells:
            text = clean(cell.text)
            budget.charge(text, paragraphs=0)
            cells.append(text)
        rows.append(cells)
    return rows


def _merged(cells: list[str]) -> list[str]:
    """A row with a cell repeated across the columns it spans read once."""
    return [c for i, c in enumerate(cells) if c and (i == 0 or c != cells[i - 1])]


# A cell that names a ladder step or counts ("C3", "Stage 2", "3", "Red"), as the first column of a ladder does.
_STEP_CELL = re.compile(r"^(?:[A-Z]{1,3}\d{1,2}[a-z]?\+?|(?:stage|level|step|consequence|warning|sanction|tier)\s+\d{1,2}"
                        r"[a-z]?|\d{1,2}(?:st|nd|rd|th)?|red|amber|yellow|orange|green)\W*$", re.IGNORECASE)


def _is_header(row: list[str], below: list[list[str]]) -> bool:
    """Whether a table's first row labels its columns. Labels are short and end in no full stop; a
    first row shaped like the rows under it ("C1 | Verbal warning" over "C2 | …") is the table's first
    row of data, in a table written without a header."""
    cells = [c for c in row if c]
    if any(len(c.split()) > 8 or c.rstrip().endswith(".") for c in cells):
        return False
    firsts = [r[0] for r in below if r and r[0]]
    return not (row[0] and _STEP_CELL.match(row[0]) and firsts
                and sum(bool(_STEP_CELL.match(c)) for c in firsts) * 2 >= len(firsts))


class TableRow(BaseModel):
    text: str
    cells: list[tuple[str, str]] | None  # (column header, cell); None for a header or title row
    row: int  # the row's number in the table: the header row is 0, the first row of data 1
    source: int  # its position in the rows read, to find its line or page


def table_blocks(rows: list[list[str]]) -> list[TableRow]:
    """Each row as 'header: cell | header: cell' so a row reads on its own.

    A title row spanning the table ("Consequences") over the header row is read as a
    title; a table with no header row ("C1 | Warning", "C2 | …") gives every row its cells
    without headers.
    """
    kept = [(i, r) for i, r in enumerate(rows) if any(r)]
    if not kept:
        return []
    out: list[TableRow] = []
    if len(kept) > 2 and len(_merged(kept[0][1])) == 1 and len(_merged(kept[1][1])) > 1:
        out.append(TableRow(text=_merged(kept[0][1])[0], cells=None, row=0, source=kept[0][0]))  # a title
        kept = kept[1:]
    if len(kept) == 1:
        return out + [TableRow(text=" | ".join(_merged(kept[0][1])), cells=None, row=0, source=kept[0][0])]
    header: list[str] = []
    if _is_header(kept[0][1], [r for _, r in kept[1:]]):
        header = kept[0][1]
        out.append(TableRow(text=" | ".join(_merged(header)), cells=None, row=0, source=kept[0][0]))
        kept = kept[1:]
    for number, (source, cells) in enumerate(kept, start=1):
        fits = len(cells) == len(header)
        pairs = [(header[i] if fits else "", c) for i, c in enumerate(cells)
                 if c and (i == 0 or c != cells[i - 1])]  # a merged cell once, under its first column
        if pairs:
            out.append(TableRow(text=" | ".join(f"{h}: {c}" if h else c for h, c in pairs), cells=pairs,
                                row=number, source=source))
    return out


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


def _plain(name: str, data: bytes, budget: _Budget) -> tuple[None, list[Block]]:
    text = _decode(name, data)
    budget.charge(text, paragraphs=0)  # before any line is looked at
    lines = list(enumerate(text.splitlines(), start=1))
    blocks = _number(_from_lines(lines)[0])
    budget.charge(paragraphs=len(blocks))
    return None, blocks


def _markdown(name: str, data: bytes, budget: _Budget) -> tuple[None, list[Block]]:
    """Markdown through markdown-it-py (CommonMark plus tables); line numbers from its source map."""
    from markdown_it import MarkdownIt

    text = _decode(name, data)
    budget.charge(text, paragraphs=0)  # before the parser sees it
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    blocks: list[Block] = []
    section: str | None = None
    in_item = 0
    table: list[list[str]] = []
    table_lines: list[tuple[int, int]] = []

    def lines_of(token) -> tuple[int, int] | None:
        return (token.map[0] + 1, max(token.map[0] + 1, token.map[1])) if token.map else None

    for i, token in enumerate(tokens):
        kind = token.type
        if kind == "list_item_open":
            in_item += 1
        elif kind == "list_item_close":
            in_item -= 1
        elif kind == "heading_open":
            text = _inline_text(tokens[i + 1])
            if text and step_label(text):  # "### C3 ~ Detention": a ladder step, read as its line
                blocks.append(Block(text=text, section=section, lines=lines_of(token)))
            elif text:
                section = text
                blocks.append(Block(text=text, kind="heading", section=text, lines=lines_of(token)))
        elif kind == "paragraph_open":
            text = _inline_text(tokens[i + 1])
            if text:
                blocks.append(Block(text=text, kind="item" if in_item else "paragraph", section=section,
                                    lines=lines_of(token)))
        elif kind in ("fence", "code_block", "html_block"):
            text = clean(re.sub(r"<[^>]*>", " ", token.content) if kind == "html_block" else token.content)
            if text:
                blocks.append(Block(text=text, section=section, lines=lines_of(token)))
        elif kind == "tr_open":
            table.append([])
            table_lines.append(lines_of(token) or (0, 0))
        elif kind == "inline" and tokens[i - 1].type in ("th_open", "td_open"):
            table[-1].append(_inline_text(token))
        elif kind == "table_close":
            by_row = dict(enumerate(table_lines))
            for row in table_blocks(table):
                blocks.append(Block(text=row.text, kind="table", section=section, cells=row.cells, row=row.row,
                                    lines=by_row.get(row.source)))
            table, table_lines = [], []
    budget.charge(paragraphs=len(blocks))
    return None, _number(blocks)


def _inline_text(token) -> str:
    """The words of an inline token, without emphasis or link markup."""
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content if child.type != "html_inline" else " ")
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)
    return clean("".join(parts))


def step_label(line: str) -> str | None:
    """The ladder step a line names when it opens with one and a separator ("C1 ~ Warning",
    "Stage 3: removal"), else None."""
    line = line.strip()
    match = _STEP_CODE.match(line) or _STEP_WORD.match(line)
    if match and _STEP_SEPARATOR.match(line):
        return match.group(0)
    colour = _STEP_COLOUR.match(line)
    if colour and re.match(r"\s*[~:=|–—-]\s*\S", line[colour.end():]):
        return colour.group(0)
    return None


# A line that is nothing but a step's label ("Stage 3:", "C4 -"): the lines under it are the step's.
_STEP_ALONE = re.compile(r"^(?:[A-Z]{1,3}\d{1,2}[a-z]?\+?|(?:stage|level|step|consequence|warning|sanction|tier)\s+"
                         r"\d{1,2}[a-z]?)\s*[:~=–—-]?\s*$", re.IGNORECASE)


def _mark_steps(blocks: list[Block]) -> None:
    """Give each block the ladder step it sits under: a heading that opens with a step
    ("C3 Infringements", "Consequence 3 (C3)"), or a step line ("EL3 - Third negative behaviour")."""
    step: str | None = None
    for block in blocks:
        if block.kind == "heading":
            step = block.text if (_STEP_CODE.match(block.text) or _STEP_WORD.match(block.text)
                                  or _STEP_COLOUR.match(block.text)) else None
            continue
        if block.kind != "table" and _STEP_ALONE.match(block.text):  # "Stage 3:" over the step's lines
            step = block.step = block.text.rstrip(" :~=–—-")
            continue
        opening = _STEP_CODE.match(block.text) if block.kind != "table" and len(block.text.split()) <= 12 else None
        if opening and not step_label(block.text):  # "L3 sent out to a partner class": a step line without a separator
            block.step, step = opening.group(0), None
            continue
        if block.kind != "table" and step_label(block.text):
            block.step = step_label(block.text)
            # a step line standing as a paragraph titles what follows ("EL3 - Third negative behaviour");
            # one in a list is a complete step of its own ("C3 = detention")
            step = _short(block.text, 50) if block.kind == "paragraph" and len(block.text.split()) <= 8 else None
            continue
        block.step = step


def _number(blocks: list[Block]) -> list[Block]:
    for n, block in enumerate((b for b in blocks if b.kind != "heading"), start=1):
        block.paragraph = n
    return blocks


_SHORT_NOTE = re.compile(r"(?<=\w)\s*\([^()]{1,12}\)$")


def _heading_like(line: str) -> bool:
    """A short line that reads as a title: no closing punctuation, few words."""
    if _STEP_CODE.match(line) or _STEP_WORD.match(line):
        line = _SHORT_NOTE.sub("", line)  # "Consequence 3 (C3)": a step's title with its short label
    words = line.split()
    if words and len(words) <= 12 and line.endswith("?") and line.isupper():
        return True  # a question in capitals ("WHAT IS GOLDEN TIME?") titles the text under it
    if not words or len(words) > 12 or len(line) > 90 or line[-1] in ".,;:!?\"”'|)":
        return False
    if not re.search(r"[A-Za-z]", line) or re.search(r"[|=:→~]|\s[-–—]\s", line):
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




def _numbered_list_lines(lines: list[tuple[int, str]]) -> set[int]:
    """Numbered lines that are items of a list, not numbered headings: one that follows a lead-in
    ending in a colon, or stands next to another numbered line ("1. A reminder" / "2. Ten minutes
    off playtime"). A numbered heading ("1. Purpose") has its own text under it."""
    text = [(n, raw.strip()) for n, raw in lines]

    def depth(line: str) -> int:  # "3." is 1, "3.1" is 2; 0 when not numbered
        found = _NUMBERED.match(line)
        return found.group(0).split()[0].rstrip(".").count(".") + 1 if found else 0

    out: set[int] = set()
    for i, (number, line) in enumerate(text):
        level = depth(line)
        if not level:
            continue
        before = text[i - 1][1] if i else ""
        after = text[i + 1][1] if i + 1 < len(text) else ""
        # a neighbour at the same depth: "3. Sanctions" over "3.1 Detentions …" is a heading over its part
        if before.endswith((":", ":-", ":–")) or level in (depth(before), depth(after)):
            out.add(number)
    return out


_LABEL_LINE = re.compile(r"^[A-Z0-9](?:[^:|.;]|\.(?=\d)){0,40}:\s+\S")  # ("8.40" is no full stop)
_TABLE_RULE = re.compile(r"^[|+]?(?:\s*:?-{3,}:?\s*[|+])+\s*(?::?-{3,}:?)?\s*$")


def _from_lines(lines: list[tuple[int, str]], section: str | None = None) -> tuple[list[Block], str | None]:
    """Group plain-text lines into blocks: blank lines, bullets, ladder steps and headings start new ones;
    runs of lines with column gaps (" | ") are a table."""
    blocks: list[Block] = []
    current: list[tuple[int, str]] = []
    table: list[tuple[int, list[str]]] = []

    def emit(kind: str, text: str, first: int, last: int, **extra) -> None:
        nonlocal section
        text = clean(text)
        if not text:
            return
        if kind == "heading":
            section = text
        blocks.append(Block(text=text, kind=kind, section=section, lines=(first, last), **extra))

    def flush_table() -> None:
        nonlocal table
        rows, table = table, []
        numbers = [n for n, _ in rows]
        for row in table_blocks([cells for _, cells in rows]):
            emit("table", row.text, numbers[row.source], numbers[row.source], cells=row.cells, row=row.row)

    def flush() -> None:
        nonlocal current
        group, current = current, []
        if not group:
            return
        # a short line, or one ending a sentence, ends its paragraph
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
            if len(run) == 1 and _heading_like(first) and first_no not in listed:
                emit("heading", first, first_no, first_no)
                continue
            text = ""
            for _, line in run:
                joined = text.endswith("-") and text[-2:-1].isalpha() and line[:1].islower()
                text = text + line if joined else f"{text} {line}"
            kind = "item" if _BULLET.match(first) else "paragraph"
            emit(kind, _SYMBOL_BULLET.sub("", text.strip(), count=1), run[0][0], run[-1][0])

    listed = _numbered_list_lines(lines)
    for number, raw in lines:
        line = raw.strip()
        if table and _TABLE_RULE.match(line):  # "|---|---|" under a header: the table goes on
            continue
        if " | " in line and not _BULLET.match(line):
            flush()
            table.append((number, [clean(c) for c in line.strip("|").split(" | ")]))
            continue
        if table:
            flush_table()
        if not line:
            flush()
            continue
        # lines that each open with a label and a colon ("Late after 9.00: detention") are a list, not a wrapped paragraph
        # and lines that each open with a step's label ("L3 sent out …" under "L2 final reminder") are its steps
        if _BULLET.match(line) or _NUMBERED.match(line) or step_label(line) or (
                current and _LABEL_LINE.match(line) and _LABEL_LINE.match(current[-1][1])) or (
                current and _STEP_CODE.match(line) and _STEP_CODE.match(current[-1][1])):
            flush()
        current.append((number, line))
    flush()
    if table:
        flush_table()
    return blocks, section
