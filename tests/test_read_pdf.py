"""PDF reports: text line by line, ruled tables as grids, and the PDFs that cannot be read.

The PDFs are made at test time with reportlab (a dev dependency) and its built-in Chinese
CID font, so no font file and no office suite is needed: a sample report's paragraphs as
wrapped paragraphs, its tables as ruled tables (long ones running over a page break), a
page number at the foot of every page.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from indexer.errors import ExtractError
from indexer.models import Report
from indexer.parsing.parse import parse_file
from indexer.parsing.read import read_bytes, read_document, readable_suffixes

ROOT = Path(__file__).resolve().parents[1]
FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
TEXT = ParagraphStyle("text", fontName=FONT, fontSize=10.5, leading=16, wordWrap="CJK")
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=7.5, leading=9.5, wordWrap="CJK")
WIDTH = A4[0] - 144


def _page_number(pdf: canvas.Canvas, _doc: object) -> None:
    pdf.setFont(FONT, 9)
    pdf.drawCentredString(A4[0] / 2, 30, f"- {pdf.getPageNumber()} -")


def _table(rows: list[list[str]]) -> Table:
    width = max(len(row) for row in rows)
    cells = [
        [Paragraph(escape(c.strip()), CELL) for c in row + [""] * (width - len(row))]
        for row in rows
    ]
    style = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)])
    return Table(cells, colWidths=[WIDTH / width] * width, style=style)


def sample_pdf(sample: Path) -> bytes:
    """The sample's text as a PDF: tab-separated rows as ruled tables, the rest paragraphs."""
    flow: list[object] = []
    rows: list[list[str]] = []
    for line in sample.read_text(encoding="utf-8").split("\n"):
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        if rows:
            flow.extend([_table(rows), Spacer(1, 8)])
            rows = []
        if line.strip():
            flow.append(Paragraph(escape(line.strip()), TEXT))
    if rows:
        flow.append(_table(rows))
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=72, rightMargin=72)
    doc.build(flow, onFirstPage=_page_number, onLaterPages=_page_number)
    return out.getvalue()


def one_page(draw: Callable[[canvas.Canvas], None], **options: object) -> bytes:
    """A one-page PDF drawn by ``draw``."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, **options)
    draw(pdf)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def stated(report: Report) -> dict:
    """The fields of a record that come from what the report says."""
    return report.model_dump(exclude={"id", "source", "sections", "provenance"})


SAMPLE = ROOT / "samples" / "004_33c70e6d64948353.txt"


@pytest.fixture(scope="module")
def sample_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Sample 004 (升昌镇) as a PDF file."""
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    path.write_bytes(sample_pdf(SAMPLE))
    return path


def test_pdf_of_a_sample_parses_to_the_record_of_its_text(sample_file: Path) -> None:
    report = parse_file(sample_file)
    assert report.source.format == "pdf"
    assert stated(report) == stated(parse_file(SAMPLE))


def test_pdf_text_joins_wrapped_lines_and_drops_page_numbers(sample_file: Path) -> None:
    doc = read_document(sample_file)
    first = SAMPLE.read_text(encoding="utf-8").split("\n")[4].strip()
    assert first in doc.text.split("\n")
    assert "- 1 -" not in doc.text
    assert "联系电话：0469-4941237" in doc.text


def test_pdf_tables_are_grids_and_a_table_over_a_page_break_is_one(sample_file: Path) -> None:
    doc = read_document(sample_file)
    assert len(doc.grids) == 3
    proactive, applications, reviews = doc.grids
    assert ["规章", "0", "0", "0"] in proactive
    assert applications[-1][0] == "四、结转下年度继续办理"
    assert reviews[-1] == ["0"] * 15


def test_pdf_is_read_by_its_suffix_or_its_bytes() -> None:
    data = sample_pdf(SAMPLE)
    assert ".pdf" in readable_suffixes()
    assert read_bytes(data, "download.aspx?id=12").format == "pdf"


def _image(pdf: canvas.Canvas) -> None:
    from PIL import Image

    picture = Image.new("L", (200, 100), 255)
    pdf.drawImage(ImageReader(picture), 72, 600, width=400, height=200)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (lambda: one_page(_image), "scanned PDF: no text layer"),
        (lambda: one_page(lambda pdf: None), "PDF with no text"),
        (
            lambda: one_page(
                lambda pdf: (pdf.setFont(FONT, 12), pdf.drawString(72, 700, "年度报告")),
                encrypt="secret",
            ),
            "encrypted PDF: it needs a password",
        ),
        (lambda: b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n", "not a readable PDF file"),
    ],
    ids=["scanned", "blank", "encrypted", "broken"],
)
def test_unreadable_pdfs_are_refused_with_the_reason(
    data: Callable[[], bytes], reason: str
) -> None:
    with pytest.raises(ExtractError) as caught:
        read_bytes(data(), "reports/长胜乡.pdf")
    assert caught.value.reason.startswith(reason)
    assert caught.value.path == "reports/长胜乡.pdf"


def _small_pdf() -> bytes:
    """A one-page PDF with a line of Chinese text, byte for byte the same on every run."""
    return one_page(
        lambda pdf: (pdf.setFont(FONT, 12), pdf.drawString(72, 700, "年度报告")), invariant=True
    )


# Bytes of the page's MediaBox overwritten: pdfminer raises its own exceptions (a malformed
# bounding box; an index error) that must still come out as the file's ExtractError.
@pytest.mark.parametrize(("cut", "noise"), [(1180, b"\x01"), (1181, b" ")])
def test_pdf_damaged_where_pdfminer_breaks_is_an_extract_error(cut: int, noise: bytes) -> None:
    data = _small_pdf()
    with pytest.raises(ExtractError, match="not a readable PDF file"):
        read_bytes(data[:cut] + noise + data[cut + 1 :], "damaged.pdf")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600), st.integers(min_value=0, max_value=2400))
def test_damaged_pdf_bytes_give_text_or_an_extract_error(noise: bytes, cut: int) -> None:
    data = _small_pdf()
    damaged = data[:cut] + noise + data[cut + len(noise) :]
    try:
        doc = read_bytes(damaged, "damaged.pdf")
    except ExtractError as exc:
        assert exc.path == "damaged.pdf"
    else:
        assert doc.format == "pdf"
