"""Text limits are checked while a file is read, not after: a file built to be huge (a docx of
many thousands of paragraphs, PDF pages sharing one heavy stream, one enormous line of text) is
refused with a message naming it before the expensive parse runs, and what was ingested before is
kept. The tests show the parser is never reached (or stops part way), rather than timing it.
"""
from __future__ import annotations

import io
import random
import zipfile
import zlib
from pathlib import Path

import pytest

from knowledge.errors import ReflectError


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("REFLECT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("REFLECT_CHROMA_URL", raising=False)
    return tmp_path / "data"


# ---------------------------------------------------------------- hostile files


def docx_of_paragraphs(path: Path, count: int, prefix: str = "w") -> Path:
    """A real .docx whose body is `count` short paragraphs (varied, so it is no zip bomb)."""
    from docx import Document

    buffer = io.BytesIO()
    document = Document()
    document.add_paragraph("placeholder")
    document.save(buffer)
    words = random.Random(count)
    body = "".join(f"<w:p><w:r><w:t>Pupil {words.getrandbits(40):x} line {i}</w:t></w:r></w:p>" for i in range(count))
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename == "word/document.xml":
                text = data.decode()
                start = text.index("<w:body>") + len("<w:body>")
                text = text[:start] + body + text[text.index("<w:sectPr"):]
                if prefix != "w":  # the same document with another namespace prefix, which XML allows
                    text = (text.replace("<w:", f"<{prefix}:").replace("</w:", f"</{prefix}:")
                            .replace("xmlns:w=", f"xmlns:{prefix}=").replace(" w:", f" {prefix}:"))
                data = text.encode()
            out.writestr(entry.filename, data)
    return path


def pdf_sharing_one_heavy_stream(path: Path, pages: int = 20, stream_bytes: int = 1_000_000) -> Path:
    """Every page draws the same ~1 MB content stream (a few KB on disk): each page would parse it again."""
    content = b"BT /F1 12 Tf 72 720 Td (Pupils are greeted at the door each morning.) Tj ET\n"
    content += b"q 1 0 0 1 0 0 cm Q\n" * (stream_bytes // 19)
    packed = zlib.compress(content, 9)
    kids = " ".join(f"{5 + i} 0 R" for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream",
    ] + [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
         b"/Contents 4 0 R >>"] * pages
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def one_long_line(path: Path) -> Path:
    from knowledge.extract import MAX_TEXT_CHARS

    path.write_text("the pupil was calm " * (MAX_TEXT_CHARS // 19 + 1000))  # one line, past the text limit
    return path


HOSTILE = {
    "docx of many paragraphs": (lambda p: docx_of_paragraphs(p / "long.docx", 40_000), "long.docx",
                                "too many paragraphs"),
    "pdf pages sharing a heavy stream": (lambda p: pdf_sharing_one_heavy_stream(p / "heavy.pdf"), "heavy.pdf",
                                         "drawing instructions"),
    "text of one enormous line": (lambda p: one_long_line(p / "line.txt"), "line.txt", "too much text"),
    "markdown of one enormous line": (lambda p: one_long_line(p / "line.md"), "line.md", "too much text"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_file_built_to_be_huge_is_refused_and_what_was_ingested_stays(case, tmp_path):
    from knowledge.documents import ingest, list_documents, search_documents

    from test_documents import policy_docx

    build, name, problem = HOSTILE[case]
    ingest([policy_docx(tmp_path / "good.docx")])
    before = list_documents()
    with pytest.raises(ReflectError) as err:
        ingest([build(tmp_path)])  # through the bounded child process, as `reflect ingest` reads it
    assert name in str(err.value) and problem in str(err.value), str(err.value)
    assert list_documents() == before
    assert search_documents("calm, purposeful lessons")  # the earlier document still answers


def test_a_docx_over_the_paragraph_budget_never_reaches_the_word_parser(tmp_path, monkeypatch):
    import docx

    from knowledge.extract import extract

    def no_parse(*args, **kwargs):
        raise AssertionError("python-docx was given a file already over budget")

    path = docx_of_paragraphs(tmp_path / "long.docx", 40_000)
    monkeypatch.setattr(docx, "Document", no_parse)
    with pytest.raises(ReflectError, match="long.docx: too many paragraphs"):
        extract(path)


def test_a_docx_that_hides_its_paragraphs_is_stopped_part_way_at_the_budget(tmp_path, monkeypatch):
    """The quick count reads Word's usual `w:` prefix; under another prefix the reader's own budget stops it."""
    from docx.document import Document

    from knowledge import extract as ex

    monkeypatch.setattr(ex, "MAX_PARAGRAPHS", 300)
    read = []
    original = Document.iter_inner_content

    def counted(self):
        for item in original(self):
            read.append(item)
            yield item

    monkeypatch.setattr(Document, "iter_inner_content", counted)
    path = docx_of_paragraphs(tmp_path / "hidden.docx", 3_000, prefix="q")
    with pytest.raises(ReflectError, match="hidden.docx: too many paragraphs"):
        ex.extract(path)
    assert len(read) == 301  # stopped at the first paragraph past the budget, not after all 3,000
    monkeypatch.setattr(ex, "MAX_PARAGRAPHS", 30_000)
    assert len(ex.extract(path).blocks) == 3_000  # the same file under the limit reads in full


def test_heavy_pdf_pages_are_refused_before_any_page_is_parsed(tmp_path, monkeypatch):
    from pypdf import PageObject

    from knowledge.extract import extract

    def no_parse(*args, **kwargs):
        raise AssertionError("a page was parsed in a PDF already over budget")

    monkeypatch.setattr(PageObject, "extract_text", no_parse)
    with pytest.raises(ReflectError, match="heavy.pdf: the PDF's pages hold far more drawing instructions"):
        extract(pdf_sharing_one_heavy_stream(tmp_path / "heavy.pdf"))


def test_a_light_pdf_sharing_one_stream_is_read(tmp_path):
    from knowledge.extract import extract

    doc = extract(pdf_sharing_one_heavy_stream(tmp_path / "light.pdf", pages=3, stream_bytes=2_000))
    assert doc.pages == 3 and "greeted at the door" in doc.text


def test_a_text_file_with_more_bytes_than_the_limit_could_hold_is_never_decoded(tmp_path, monkeypatch):
    from knowledge import extract as ex

    monkeypatch.setattr(ex, "MAX_TEXT_CHARS", 1_000)

    def no_decode(*args, **kwargs):
        raise AssertionError("a text file over budget was decoded")

    monkeypatch.setattr(ex, "_decode", no_decode)
    path = tmp_path / "notes.txt"
    path.write_text("x" * 4_001)
    with pytest.raises(ReflectError, match="notes.txt: too much text"):
        ex.extract(path)


def test_a_docx_whose_text_part_unzips_past_its_limit_is_not_opened(tmp_path, monkeypatch):
    """A 5.7 MB .docx once took 1.4 GB and ten minutes: its text part's declared size is checked first."""
    from knowledge import extract as ex

    path = docx_of_paragraphs(tmp_path / "big.docx", 2_000)
    monkeypatch.setattr(ex, "MAX_DOCX_XML_BYTES", 10_000)
    with pytest.raises(ReflectError, match=r"big.docx: the .docx's text part is .* unzipped"):
        ex.extract(path)
