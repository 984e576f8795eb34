"""Markdown reports: pipe tables and converters' HTML tables become real grids."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.parsing.parse import parse_file
from indexer.parsing.read import read_bytes
from indexer.parsing.read_markdown import markdown_to_text

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "004_33c70e6d64948353.txt"


def test_pipe_table_is_a_grid_and_the_text_is_kept() -> None:
    text = (
        "## 二、主动公开政府信息情况\n\n"
        "| 信息内容 | 本年制发件数 | 本年废止件数 |\n"
        "|:---|:---:|---:|\n"
        "| **规章** | 0 |  |\n"
        "| 行政规范性文件 | 1\\|2 | 3<br>件 |\n\n"
        "正文。\n"
    )
    doc = read_bytes(text.encode(), "report.md")
    assert doc.text == text
    assert doc.grids == [
        [
            ["信息内容", "本年制发件数", "本年废止件数"],
            ["规章", "0", ""],
            ["行政规范性文件", "1|2", "3 件"],
        ]
    ]


def test_rows_without_outer_pipes_and_a_line_with_a_pipe_that_is_no_table() -> None:
    text = "行政许可 | 行政处罚\n--- | ---\n94 | 19\n\n说明：A | B 不是表格\n"
    doc = read_bytes(text.encode(), "report.md")
    assert doc.grids == [[["行政许可", "行政处罚"], ["94", "19"]]]


def test_html_table_in_markdown_is_rows_in_the_text_and_a_spanned_grid() -> None:
    text = (
        "# 报告\n\n表一\n\n| 项目 | 数量 |\n| --- | --- |\n| 行政许可 | 94 |\n\n"
        "<table><tr><td rowspan=2>三、办理结果</td><td>予以公开</td><td>1</td></tr>"
        "<tr><td>部分公开</td><td>0</td></tr></table>\n\n尾。\n"
    )
    doc = read_bytes(text.encode(), "report.md")
    assert "三、办理结果\t予以公开\t1\n部分公开\t0" in doc.text
    assert "<table>" not in doc.text
    assert doc.grids == [
        [["项目", "数量"], ["行政许可", "94"]],
        [["三、办理结果", "予以公开", "1"], [None, "部分公开", "0"]],
    ]


def _as_pipe_tables(text: str) -> str:
    """The sample with each block of tab-separated rows written as a pipe table."""
    out: list[str] = []
    in_table = False
    for line in text.split("\n"):
        if "\t" in line.strip("\t") or (in_table and "\t" in line):
            cells = line.split("\t")
            out.append("| " + " | ".join(cells) + " |")
            if not in_table:
                out.append("|" + "---|" * len(cells))
            in_table = True
        else:
            in_table = False
            out.append(line)
    return "\n".join(out)


def test_sample_with_pipe_tables_parses_to_the_record_of_its_text(tmp_path: Path) -> None:
    copy = tmp_path / "report.md"
    copy.write_text(_as_pipe_tables(SAMPLE.read_text(encoding="utf-8")), encoding="utf-8")
    from_md = parse_file(copy)
    from_text = parse_file(SAMPLE)
    assert from_md.source.format == "md"
    exclude = {"id", "source", "sections", "provenance"}
    assert from_md.model_dump(exclude=exclude) == from_text.model_dump(exclude=exclude)


@pytest.mark.parametrize("text", ["", "|", "| a |\n", "|---|\n", "a\n---\n"])
def test_odd_markdown_gives_no_grid(text: str) -> None:
    doc = read_bytes((text + "一、总体情况").encode(), "r.md")
    assert doc.grids == []


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="|-: \n\\*<>/br表格行政许可94", max_size=300))
def test_any_markdown_gives_its_text_and_grids_without_raising(text: str) -> None:
    out, grids = markdown_to_text(text)
    assert out == text or "<" in text
    for grid in grids:
        assert grid and all(isinstance(row, list) for row in grid)
