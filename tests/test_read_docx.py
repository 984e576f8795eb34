"""Reading Word (.docx) reports: paragraphs, runs, merged cells, and the samples as Word files."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from docx import Document as new_docx
from docx.oxml import OxmlElement
from docx.shared import Cm
from selectolax.lexbor import LexborHTMLParser

from indexer.errors import ExtractError
from indexer.models import Report
from indexer.parsing.parse import parse_file
from indexer.parsing.read import decode_bytes, read_bytes, read_document

ROOT = Path(__file__).resolve().parents[1]
RENDERED = sorted((ROOT / "tests" / "fixtures").glob("*.html"))


def saved(document) -> bytes:
    """The bytes of a python-docx document."""
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_paragraphs_runs_breaks_and_tabs() -> None:
    document = new_docx()
    document.add_paragraph("2023年长胜乡人民政府信息公开工作年度报告")
    paragraph = document.add_paragraph("　　主动公开政府信息")
    paragraph.add_run("9")
    paragraph.add_run("4")
    paragraph.add_run("条")
    paragraph.add_run().add_break()
    paragraph.add_run("行政许可\t94")
    stops = document.add_paragraph("联系电话：0469-6101183")
    stops.paragraph_format.tab_stops.add_tab_stop(Cm(4))
    document.add_paragraph("   ")
    doc = read_bytes(saved(document), "长胜乡.docx")
    assert doc.format == "docx"
    assert doc.encoding is None
    assert doc.text.split("\n") == [
        "2023年长胜乡人民政府信息公开工作年度报告",
        "主动公开政府信息94条",
        "行政许可\t94",
        "联系电话：0469-6101183",
    ]
    assert doc.grids == []


def test_deleted_revisions_are_not_text() -> None:
    document = new_docx()
    paragraph = document.add_paragraph("行政处罚")
    deleted = OxmlElement("w:del")
    run = OxmlElement("w:r")
    run.append(OxmlElement("w:tab"))
    gone = OxmlElement("w:delText")
    gone.text = "999"
    run.append(gone)
    deleted.append(run)
    paragraph._p.append(deleted)
    paragraph.add_run("19")
    assert read_bytes(saved(document), "r.docx").text == "行政处罚19"


def test_merged_cells_are_none_in_the_grid_and_rows_are_tab_lines() -> None:
    document = new_docx()
    table = document.add_table(rows=4, cols=4)
    table.cell(0, 0).merge(table.cell(1, 1)).text = "信息内容"
    table.cell(0, 2).merge(table.cell(0, 3)).text = "申请人情况"
    table.cell(1, 2).text = "自然人"
    table.cell(1, 3).text = "总计"
    table.cell(2, 0).merge(table.cell(3, 0)).text = "三、办理结果"
    table.cell(2, 1).text = "予以公开"
    table.cell(2, 2).paragraphs[0].add_run("1")
    table.cell(2, 2).paragraphs[0].add_run("2")
    table.cell(2, 3).text = "12"
    table.cell(3, 1).text = "不予公开"
    table.cell(3, 3).add_paragraph("0")
    doc = read_bytes(saved(document), "t.docx")
    assert doc.grids == [
        [
            ["信息内容", None, "申请人情况", None],
            [None, None, "自然人", "总计"],
            ["三、办理结果", "予以公开", "12", "12"],
            [None, "不予公开", "", "0"],
        ]
    ]
    assert doc.text.split("\n") == [
        "信息内容\t申请人情况",
        "自然人\t总计",
        "三、办理结果\t予以公开\t12\t12",
        "不予公开\t\t0",
    ]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not a readable Word (.docx) file"),
        (b"PK\x03\x04not really a zip", "not a readable Word (.docx) file"),
        (b"", "empty file"),
        (None, "Word file with no text"),
    ],
    ids=["png", "broken-zip", "empty", "no-text"],
)
def test_unreadable_word_files_are_refused(data: bytes | None, reason: str) -> None:
    if data is None:
        data = saved(new_docx())
    with pytest.raises(ExtractError) as caught:
        read_bytes(data, "reports/升昌镇.docx")
    assert caught.value.reason == reason
    assert caught.value.path == "reports/升昌镇.docx"


def test_word_file_without_suffix_is_recognised_but_a_renamed_txt_is_not(tmp_path: Path) -> None:
    document = new_docx()
    document.add_paragraph("一、总体情况")
    data = saved(document)
    (tmp_path / "report").write_bytes(data)
    assert read_document(tmp_path / "report").format == "docx"
    with pytest.raises(ExtractError, match="looks like ZIP"):
        decode_bytes(data, "report.txt")


# --- the samples as Word files ----------------------------------------------------------------


def _spans(cell) -> tuple[int, int]:
    return int(cell.attributes.get("rowspan") or 1), int(cell.attributes.get("colspan") or 1)


def _add_table(document, table_node) -> None:
    """Copy an HTML table into Word, merging cells as its rowspan/colspan say."""
    rows = table_node.css("tr")
    placed: dict[tuple[int, int], tuple[str, int, int]] = {}
    taken: set[tuple[int, int]] = set()
    width = 0
    for r, row in enumerate(rows):
        c = 0
        for cell in row.css("td"):
            while (r, c) in taken:
                c += 1
            rowspan, colspan = _spans(cell)
            taken.update((r + i, c + j) for i in range(rowspan) for j in range(colspan))
            placed[(r, c)] = (" ".join(cell.text(separator="").split()), rowspan, colspan)
            c += colspan
            width = max(width, c)
    table = document.add_table(rows=len(rows), cols=width)
    for (r, c), (text, rowspan, colspan) in placed.items():
        target = table.cell(r, c)
        if rowspan > 1 or colspan > 1:
            target = target.merge(table.cell(r + rowspan - 1, c + colspan - 1))
        paragraph = target.paragraphs[0]
        for piece in [text] if not text.isdigit() else list(text):
            paragraph.add_run(piece)  # numbers one run per digit, as Word often splits them


def word_rendering(page: Path) -> bytes:
    """The report of a rendered web page, written as a Word file."""
    encoding = read_document(page).encoding or "utf-8"
    tree = LexborHTMLParser(page.read_bytes().decode(encoding))
    document = new_docx()
    document.add_paragraph(tree.css_first("h1").text())
    for node in tree.css_first(".WordSection1").iter():
        if node.tag == "p":
            document.add_paragraph(" ".join(node.text().split()))
        elif node.tag == "table":
            _add_table(document, node)
    return saved(document)


def stated(report: Report) -> dict:
    """What a report says, without where it came from."""
    return report.model_dump(exclude={"id", "source", "sections", "provenance"})


@pytest.mark.parametrize("page", RENDERED, ids=lambda p: p.stem)
def test_word_rendering_parses_to_the_same_record_as_its_text(page: Path, tmp_path: Path) -> None:
    copy = tmp_path / f"{page.stem}.docx"
    copy.write_bytes(word_rendering(page))
    from_word = parse_file(copy)
    assert from_word.source.format == "docx"
    assert stated(from_word) == stated(parse_file(ROOT / "samples" / f"{page.stem}.txt"))
