"""Hostile and odd input for the reader: each file is refused with its reason, or read.

Every file here is small on disk and made at test time; none may make the reader allocate
much (a bound is checked before anything is laid out or inflated).
"""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document as new_docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from indexer.errors import ExtractError
from indexer.indexing.build import run_index
from indexer.indexing.snapshot import open_index
from indexer.parsing.document import read_checks
from indexer.parsing.parse import parse_document
from indexer.parsing.read import read_bytes, read_document
from indexer.parsing.read_grid import grid_limits

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = next((ROOT / "samples").glob("000_*.txt"))
GBK_NAME = "公开".encode("gbk") + b".txt"  # not UTF-8: as unzipped from a Chinese Windows zip
SHOWN_NAME = "\\xb9\\xab\\xbf\\xaa.txt"  # how it is shown: the bytes that are not UTF-8


def saved(document) -> bytes:
    """The bytes of a python-docx document."""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_with_span(span: int) -> bytes:
    """A Word file whose one table cell says it spans ``span`` grid columns."""
    document = new_docx()
    document.add_paragraph("二、主动公开政府信息情况")
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "行政许可"
    grid_span = OxmlElement("w:gridSpan")
    grid_span.set(qn("w:val"), str(span))
    table.cell(0, 0)._tc.get_or_add_tcPr().append(grid_span)
    return saved(document)


def docx_inflating_to(size: int) -> bytes:
    """A Word file whose document.xml really inflates to ``size`` bytes (spaces, streamed)."""
    source = zipfile.ZipFile(io.BytesIO(docx_with_span(1)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in source.infolist():
            data = source.read(member)
            if member.filename != "word/document.xml":
                archive.writestr(member, data)
                continue
            with archive.open("word/document.xml", "w") as part:
                part.write(data)
                left = size - len(data)
                while left > 0:
                    part.write(b" " * min(left, 1 << 20))
                    left -= 1 << 20
    return out.getvalue()


def declaring(data: bytes, name: bytes, size: int) -> bytes:
    """``data`` (a zip) with the uncompressed size it declares for part ``name`` replaced."""
    out = bytearray(data)
    local = out.find(b"PK\x03\x04")
    while local >= 0:
        name_len = struct.unpack_from("<H", out, local + 26)[0]
        if out[local + 30 : local + 30 + name_len] == name:
            struct.pack_into("<I", out, local + 22, size)
        local = out.find(b"PK\x03\x04", local + 4)
    central = out.find(b"PK\x01\x02")
    while central >= 0:
        name_len = struct.unpack_from("<H", out, central + 28)[0]
        if out[central + 46 : central + 46 + name_len] == name:
            struct.pack_into("<I", out, central + 24, size)
        central = out.find(b"PK\x01\x02", central + 4)
    return bytes(out)


# --- item 2: grids bounded as a whole ---------------------------------------------------------


def test_html_rowspan_times_colspan_past_the_bound_is_refused() -> None:
    rows = "<tr><td>1</td></tr>" * 5999
    page = f'<p>行政复议</p><table><tr><td rowspan="6000" colspan="1000">x</td></tr>{rows}</table>'
    with pytest.raises(ExtractError) as caught:
        read_bytes(page.encode(), "spans.html")
    limit = grid_limits().max_cells
    assert caught.value.reason == f"table too large: 6005999 cells (at most {limit})"
    assert caught.value.path == "spans.html"


def test_html_table_with_too_many_rows_is_refused_before_its_cells_are_read() -> None:
    rows = grid_limits().max_rows + 1
    page = "<p>行政复议</p><table>" + "<tr><td>1</td></tr>" * rows + "</table>"
    with pytest.raises(ExtractError, match=f"table too large: {rows} rows"):
        read_bytes(page.encode(), "rows.html")


def test_word_grid_span_of_a_hundred_million_is_refused() -> None:
    with pytest.raises(ExtractError) as caught:
        read_bytes(docx_with_span(10**8), "span.docx")
    bound = grid_limits().max_columns
    assert caught.value.reason == f"table too large: 100000000 columns (at most {bound})"


def test_spans_within_the_bound_still_lay_out() -> None:
    page = '<p>行政复议</p><table><tr><td colspan="2">a</td></tr><tr><td>1</td><td>2</td></tr>'
    assert read_bytes(page.encode(), "ok.html").grids == [[["a", None], ["1", "2"]]]


# --- item 3: zip bombs --------------------------------------------------------------------------


def test_word_file_declaring_a_gigabyte_is_refused_without_inflating() -> None:
    bomb = declaring(docx_with_span(1), b"word/document.xml", 1 << 30)
    with pytest.raises(ExtractError, match=r"Word file inflating to \d+ bytes \(at most \d+\)"):
        read_bytes(bomb, "bomb.docx")


def test_word_part_inflating_past_the_bound_is_refused() -> None:
    from indexer.rules import load_rules

    limit = int(load_rules("read")["docx"]["max_xml_part"])
    bomb = docx_inflating_to(limit + (1 << 20))
    assert len(bomb) < limit // 100  # a small file on disk
    with pytest.raises(ExtractError, match=r"Word part word/document\.xml inflates past"):
        read_bytes(bomb, "bomb.docx")


def test_word_part_inflating_past_what_it_declares_is_refused() -> None:
    bomb = declaring(docx_inflating_to(4 << 20), b"word/document.xml", 4096)
    with pytest.raises(ExtractError, match=r"not a readable Word \(\.docx\) file"):
        read_bytes(bomb, "liar.docx")


# --- item 4: deep nesting -----------------------------------------------------------------------


def test_deeply_nested_blocks_keep_their_text_and_what_follows() -> None:
    depth = 60_000
    page = (
        "<html><body>"
        + '<div class="box">' * depth
        + "<p>一、总体情况</p><p>行政复议 3 件</p>"
        + "</div>" * depth
        + "<p>二、主动公开政府信息情况</p></body></html>"
    )
    doc = read_bytes(page.encode(), "deep.html")
    assert doc.text.split("\n") == ["一、总体情况", "行政复议 3 件", "二、主动公开政府信息情况"]


def test_chrome_inside_deep_nesting_is_still_left_out() -> None:
    depth = 3000
    footer = "<div>主办单位：某某 网站标识码 1234567890 ICP备案</div>"
    page = "<html><body>" + "<div>" * depth + "<p>行政复议</p>" + footer + "</div>" * depth
    assert read_bytes(page.encode(), "deep.html").text == "行政复议"


# --- item 5: only regular files -----------------------------------------------------------------


def test_named_pipe_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "report.txt"
    os.mkfifo(fifo)
    with pytest.raises(ExtractError) as caught:
        read_document(fifo)  # no writer: a blocking open would wait forever
    assert caught.value.reason == "is a named pipe (FIFO), not a regular file"
    cli = subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "parse", str(fifo)],
        capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
    )  # fmt: skip
    assert cli.returncode == 2
    assert "named pipe (FIFO)" in cli.stderr


def test_character_device_is_refused() -> None:
    with pytest.raises(ExtractError, match="is a character device, not a regular file"):
        read_document(Path("/dev/zero"))


# --- item 1: file names that are not UTF-8 -------------------------------------------------------


def gbk_named_copy(folder: Path) -> Path:
    """A copy of a sample report under a GBK-encoded (not UTF-8) file name."""
    folder.mkdir(parents=True, exist_ok=True)
    raw = os.path.join(os.fsencode(folder), GBK_NAME)
    with open(raw, "wb") as out:
        out.write(SAMPLE.read_bytes())
    return Path(os.fsdecode(raw))


def test_name_that_is_not_utf8_is_shown_readably_and_indexed(tmp_path: Path) -> None:
    path = gbk_named_copy(tmp_path / "corpus")
    (tmp_path / "corpus" / "empty.txt").write_bytes(b"")
    summary = run_index([tmp_path / "corpus"], tmp_path / "index", progress=False)
    assert summary.indexed == 1
    assert [p for p, _ in summary.failed] == [str(tmp_path / "corpus" / "empty.txt")]
    shown = f"{tmp_path / 'corpus'}/{SHOWN_NAME}"
    with open_index(tmp_path / "index") as snapshot:
        (report,) = snapshot.records.values()
    assert report.source.path == shown
    again = run_index([tmp_path / "corpus"], tmp_path / "index", progress=False)
    assert (again.indexed, again.unchanged) == (0, 1)  # the name is carried losslessly
    path.unlink()
    gone = run_index([tmp_path / "corpus"], tmp_path / "index", progress=False)
    assert gone.removed == 1


def test_name_that_is_not_utf8_fails_readably(tmp_path: Path) -> None:
    path = gbk_named_copy(tmp_path)
    path.write_bytes(b"")
    summary = run_index([tmp_path], tmp_path / "index", progress=False)
    assert summary.failed == [(f"{tmp_path}/{SHOWN_NAME}", "empty file")]
    assert "\\xb9\\xab" in summary.describe()


def test_gongkai_parse_json_on_a_name_that_is_not_utf8(tmp_path: Path) -> None:
    path = gbk_named_copy(tmp_path)
    cli = subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "parse", "--json", os.fsencode(path)],
        capture_output=True, text=True, cwd=ROOT, timeout=300, check=False,
    )  # fmt: skip
    assert cli.returncode == 0, cli.stderr
    assert "\\\\xb9\\\\xab\\\\xbf\\\\xaa" in cli.stdout  # JSON escapes the backslash


# --- item 6: a few stray bytes ------------------------------------------------------------------


def test_utf8_page_with_a_gbk_footer_is_read_and_the_bytes_counted() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    data = text.encode("utf-8") + "\n技术支持：某某网络公司\n".encode("gbk")
    doc = read_bytes(data, "mixed.txt")
    assert doc.encoding == "utf-8"
    assert doc.replaced_bytes > 0
    assert text.strip()[:20] in doc.text
    assert "\ufffd" in doc.text.rstrip().split("\n")[-1]
    (check,) = read_checks(doc)
    assert check.code == "read.replaced_bytes"
    assert check.message.startswith(f"有 {doc.replaced_bytes} 个字节不符合 utf-8 编码")
    report = parse_document(doc)
    assert report.year == 2023


def test_gbk_report_with_two_stray_bytes() -> None:
    data = SAMPLE.read_text(encoding="utf-8").encode("gbk") + b"\x80\xff"
    doc = read_bytes(data, "stray.txt")
    assert (doc.encoding, doc.replaced_bytes) == ("gb18030", 2)


def test_replaced_bytes_are_a_check_of_the_record() -> None:
    data = SAMPLE.read_text(encoding="utf-8").encode("gbk") + b"\x80\xff"
    report = parse_document(read_bytes(data, "stray.txt"))
    assert "read.replaced_bytes" in [check.code for check in report.checks]


def test_more_than_a_tiny_share_of_bad_bytes_is_still_not_text() -> None:
    data = "一、总体情况".encode() + bytes([0x80, 0xFF]) * 20
    with pytest.raises(ExtractError, match="no text encoding fits the bytes"):
        read_bytes(data, "junk.txt")
