"""How a policy's structure reaches the review whole: tables whose cells wrap in a PDF,
tables with no header row or a title row, merged cells, ladder steps styled as headings,
a step label on a line of its own, label-and-colon lines, and a heading that is the only
mention of exclusion. Every policy here is written for the test."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.policy_review import review_policy
from knowledge.extract import extract


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("REFLECT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("REFLECT_CHROMA_URL", raising=False)


# A table whose cells run over several lines, as schools write them.
WRAPPED = [
    ["Step", "What the pupil has done", "What follows"],
    ["1", "Chatting over the teacher while the class is being given instructions", "A quiet reminder"],
    ["2", "Carrying on with the chatting after the reminder has been given",
     "Moved to a seat at the front of the room for the rest of the lesson"],
    ["3", "Refusing to move seat when asked", "Sent to the partner classroom with work and a 30 minute detention after school"],
    ["4", "Leaving the partner classroom", "A day in the learning base and a meeting with parents"],
]


def _pdf(rows, path: Path, before: str = "Our responses", after: str = "Every step is logged on the system.") -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 12)
    pdf.multi_cell(0, 7, before, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=9)
    with pdf.table() as table:
        for row in rows:
            cells = table.row()
            for text in row:
                cells.cell(text)
    pdf.set_font("Helvetica", size=10)
    pdf.multi_cell(0, 5, after, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def _docx_table(rows, path: Path, merge: tuple[int, int, int] | None = None) -> Path:
    """merge: (row, first column, last column) joined into one cell."""
    from docx import Document

    document = Document()
    document.add_heading("Our responses", 1)
    table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    if merge:
        r, a, b = merge
        text = table.cell(r, a).text
        table.cell(r, a).merge(table.cell(r, b)).text = text
    document.save(str(path))
    return path


def test_a_pdf_table_whose_cells_wrap_reads_each_row_whole_under_its_headers(tmp_path):
    doc = extract(_pdf(WRAPPED, tmp_path / "wrapped.pdf"))
    rows = [b for b in doc.blocks if b.kind == "table" and b.cells]
    assert [r.row for r in rows] == [1, 2, 3, 4]
    third = dict(rows[2].cells)
    assert third["What the pupil has done"] == "Refusing to move seat when asked"
    assert third["What follows"] == "Sent to the partner classroom with work and a 30 minute detention after school"
    assert dict(rows[1].cells)["What the pupil has done"] == "Carrying on with the chatting after the reminder has been given"
    # the sentence after the table is its own paragraph, not a row
    assert any(b.kind == "paragraph" and b.text == "Every step is logged on the system." for b in doc.blocks)


def test_the_outcome_of_a_wrapped_pdf_row_is_found_with_its_row(tmp_path):
    review = review_policy(_pdf(WRAPPED, tmp_path / "wrapped.pdf"))
    found = {f.row: f for f in review.findings}
    assert 4 in found and "A day in the learning base" in found[4].quote and "table row 4" in found[4].location


@pytest.mark.parametrize("fmt", ["md", "docx", "pdf"])
def test_a_table_written_without_a_header_row_keeps_each_row_to_itself(fmt, tmp_path):
    rows = [["S1", "A reminder of the rule"], ["S2", "Name noted on the class log"],
            ["S3", "Twenty minute detention at lunch"], ["S4", "Removal to the learning base"]]
    if fmt == "md":
        path = tmp_path / "ladder.md"
        path.write_text("# Our ladder\n\n" + "\n".join(f"| {a} | {b} |" if i else f"| {a} | {b} |\n|---|---|"
                                                      for i, (a, b) in enumerate(rows)) + "\n")
    elif fmt == "docx":
        path = _docx_table(rows, tmp_path / "ladder.docx")
    else:
        path = _pdf(rows, tmp_path / "ladder.pdf", before="Our ladder")
    doc = extract(path)
    texts = [b.text for b in doc.blocks if b.kind == "table"]
    assert texts == ["S1 | A reminder of the rule", "S2 | Name noted on the class log",
                     "S3 | Twenty minute detention at lunch", "S4 | Removal to the learning base"]
    quotes = [f.quote for f in review_policy(path).findings]
    assert "S4 | Removal to the learning base" in quotes and "S3 | Twenty minute detention at lunch" in quotes


def test_a_title_row_over_the_header_leaves_the_columns_their_headers(tmp_path):
    rows = [["Responses to lateness", ""], ["Behaviour", "Sanction"], ["Late to a lesson twice in a week", "Break detention"]]
    path = _docx_table(rows, tmp_path / "titled.docx", merge=(0, 0, 1))
    doc = extract(path)
    row = next(b for b in doc.blocks if b.cells)
    assert row.cells == [("Behaviour", "Late to a lesson twice in a week"), ("Sanction", "Break detention")]
    assert [f.kind for f in review_policy(path).findings] == ["tariff"]


def test_a_cell_merged_across_two_columns_is_read_once_under_its_first_header(tmp_path):
    rows = [["Behaviour", "Sanction", "Who sets it"], ["Spitting at someone", "One day in the learning base", "x"]]
    path = _docx_table(rows, tmp_path / "merged.docx", merge=(1, 1, 2))
    row = next(b for b in extract(path).blocks if b.cells)
    assert row.cells == [("Behaviour", "Spitting at someone"), ("Sanction", "One day in the learning base")]


def test_a_ladder_step_styled_as_a_heading_is_read_as_the_steps_rule(tmp_path):
    from docx import Document

    document = Document()
    document.add_heading("Steps we take", 2)
    document.add_paragraph("Staff adjust any step for a pupil whose SEND plan describes a different response.")
    for line in ["R1 ~ A reminder", "R2 ~ A second reminder", "R3 ~ Lunchtime detention of 20 minutes",
                 "R4 ~ Removal to the study base"]:
        document.add_heading(line, 2)
    document.save(str(tmp_path / "steps.docx"))
    md = tmp_path / "steps.md"
    md.write_text("## Steps we take\n\nStaff adjust any step for a pupil whose SEND plan describes a different "
                  "response.\n\n### R3 ~ Lunchtime detention of 20 minutes\n\n### R4 ~ Removal to the study base\n")
    for path in (tmp_path / "steps.docx", md):
        review = review_policy(path)
        found = {f.quote: f for f in review.findings}
        assert "R4 ~ Removal to the study base" in found, path.suffix
        # the step's section is the ladder's, so the route above it stands beside it
        assert found["R4 ~ Removal to the study base"].pathway.route == "nearby", path.suffix


def test_a_step_label_on_a_line_of_its_own_gives_the_lines_under_it_their_step(tmp_path):
    path = tmp_path / "label.txt"
    path.write_text("Our ladder\n\nLevel 4:\n- Half a day working in the study base\n- Parents told by text\n")
    doc = extract(path)
    assert {b.step for b in doc.blocks if b.kind == "item"} == {"Level 4"}
    assert [f.quote for f in review_policy(path).findings] == ["Half a day working in the study base"]


@pytest.mark.parametrize("fmt", ["txt", "pdf"])
def test_lines_that_each_open_with_a_label_and_colon_are_read_one_by_one(fmt, tmp_path):
    lines = ["Arriving after 8.45: break detention", "Arriving after 9.15: lunchtime detention",
             "Arriving after 10.00: a day in the study base"]
    path = tmp_path / f"late.{fmt}"
    if fmt == "txt":
        path.write_text("Lateness\n\n" + "\n".join(lines) + "\n")
    else:
        from fpdf import FPDF

        pdf = FPDF()
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 6, "Lateness", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        for line in lines:
            pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        pdf.output(str(path))
    assert [f.quote for f in review_policy(path).findings] == lines


def test_a_markdown_table_in_a_text_file_keeps_its_header(tmp_path):
    path = tmp_path / "table.txt"
    path.write_text("Consequences\n\n| Behaviour | Sanction |\n|---|---|\n| Throwing food | Lunchtime detention |\n")
    row = next(b for b in extract(path).blocks if b.cells)
    assert row.cells == [("Behaviour", "Throwing food"), ("Sanction", "Lunchtime detention")]


def test_a_pdf_step_title_with_its_short_label_is_a_heading(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in ["Consequence 2 (K2)", "- Teacher logs the K2 on the system.", "",
                 "Consequence 3 (K3)", "- Pupil goes to the study base for the rest of the lesson."]:
        if line:
            pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.ln(4)
    pdf.output(str(tmp_path / "steps.pdf"))
    blocks = extract(tmp_path / "steps.pdf").blocks
    assert [b.text for b in blocks if b.kind == "heading"] == ["Consequence 2 (K2)", "Consequence 3 (K3)"]
    assert next(b for b in blocks if "study base" in b.text).step == "Consequence 3 (K3)"


def test_headings_on_a_pdf_page_with_a_numbered_list_stay_headings(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in ["Our aims", "", "1. Every pupil feels safe.", "2. Every pupil is known.", "",
                 "Lunchtimes", "", "Pupils eat in the hall with their class."]:
        if line:
            pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.ln(4)
    pdf.output(str(tmp_path / "aims.pdf"))
    blocks = extract(tmp_path / "aims.pdf").blocks
    assert "Lunchtimes" in [b.text for b in blocks if b.kind == "heading"]
    assert next(b for b in blocks if b.text.startswith("Pupils eat")).section == "Lunchtimes"


def test_exclusion_named_only_in_a_heading_still_asks_for_the_procedure(tmp_path):
    path = tmp_path / "policy.md"
    path.write_text("# Behaviour\n\nWe talk things through with pupils.\n\n## Suspension and permanent exclusion\n\n"
                    "Decisions are made by the headteacher.\n")
    elements = {e.id: e.status for e in review_policy(path).elements}
    assert elements["exclusion-procedure"] == "missing"


def test_word_lines_set_apart_with_line_breaks_or_a_tab_are_read_as_steps(tmp_path):
    from docx import Document

    document = Document()
    document.add_heading("Ladder", 1)
    lines = document.add_paragraph("R1 – A reminder")
    lines.add_run().add_break()
    lines.add_run("R2 – Twenty minutes at lunch with the class teacher")
    document.add_paragraph("R3\tRemoval to the study base for the rest of the lesson")
    document.add_paragraph("1.\tEvery pupil is greeted at the door.")
    document.save(str(tmp_path / "lines.docx"))
    blocks = [b for b in extract(tmp_path / "lines.docx").blocks if b.kind != "heading"]
    assert [(b.text, b.step) for b in blocks[:3]] == [
        ("R1 – A reminder", "R1"), ("R2 – Twenty minutes at lunch with the class teacher", "R2"),
        ("R3 | Removal to the study base for the rest of the lesson", "R3")]
    assert blocks[3].text == "1. Every pupil is greeted at the door."
    quotes = [f.quote for f in review_policy(tmp_path / "lines.docx").findings]
    assert "R3 | Removal to the study base for the rest of the lesson" in quotes
