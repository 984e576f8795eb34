"""Reading report files: decoding by detection, HTML to text and table grids, bad input."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.errors import ExtractError
from indexer.parsing.read import (
    decode_bytes,
    html_to_text,
    read_bytes,
    read_document,
    readable_suffixes,
    sniff_format,
)

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
FIXTURES = ROOT / "tests" / "fixtures"
XINGFU_HTML = FIXTURES / "002_48adf1365f76697a.html"
CHANGSHENG_HTML = FIXTURES / "003_f57c819d3d38d3bd.html"


def page(body: str, head: str = "") -> str:
    """A minimal HTML page around ``body``."""
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


# --- decoding -------------------------------------------------------------------------------


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("codec", ["gbk", "gb18030"])
def test_gb_copy_of_each_sample_reads_as_its_text(sample: Path, codec: str, tmp_path: Path) -> None:
    text = sample.read_text(encoding="utf-8")
    try:
        data = text.encode(codec)
    except UnicodeEncodeError:
        pytest.skip(f"{sample.name} has characters outside {codec} (covered by gb18030)")
    copy = tmp_path / sample.name
    copy.write_bytes(data)
    doc = read_document(copy)
    assert doc.text == text
    assert doc.encoding == "gb18030"
    assert doc.format == "txt"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("长胜乡联系电话：0469-6101183".encode(), "utf-8"),
        ("\ufeff长胜乡联系电话：0469-6101183".encode(), "utf-8-sig"),
        ("长胜乡联系电话：0469-6101183".encode("utf-16"), "utf-16"),
        ("\ufeff长胜乡联系电话：0469-6101183".encode("utf-16-be"), "utf-16"),
        ("\ufeff长胜乡联系电话：0469-6101183".encode("utf-16-le"), "utf-16"),
        ("长胜乡联系电话：0469-6101183".encode("gbk"), "gb18030"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-native-bom", "utf-16-be-bom", "utf-16-le-bom", "gbk"],
)
def test_decodes_each_encoding_without_the_mark(data: bytes, encoding: str) -> None:
    text, found = decode_bytes(data, "contact.txt")
    assert text == "长胜乡联系电话：0469-6101183"
    assert found == encoding


@pytest.mark.parametrize(
    "word", ["幸福乡", "长胜乡联系电话", "2023年政府信息公开工作年度报告", "升昌镇"]
)
def test_short_gbk_text_is_not_mistaken_for_big5_or_korean(word: str) -> None:
    assert decode_bytes(word.encode("gbk"), "short.txt") == (word, "gb18030")


def test_characters_only_gb18030_has_are_decoded() -> None:
    # U+20BB7 (𠮷) and U+3400 (㐀) are four-byte sequences in GB18030 and absent from GBK.
    text = "长胜乡𠮷㐀路 12 号\n邮编 155120\n"
    assert decode_bytes(text.encode("gb18030"), "rare.txt") == (text, "gb18030")


def test_line_ends_become_newlines() -> None:
    text, _ = decode_bytes("一、总体情况\r\n二、主动公开\r三、收到\n".encode("gbk"), "crlf.txt")
    assert text == "一、总体情况\n二、主动公开\n三、收到\n"


def test_declared_gbk_page_that_is_really_utf8() -> None:
    html = page("<p>长生镇行政许可94件</p>", '<meta charset="gbk">').encode("utf-8")
    doc = read_bytes(html, "wrong.html")
    assert doc.encoding == "utf-8"
    assert doc.text == "长生镇行政许可94件"


def test_declared_utf8_page_that_is_really_gbk() -> None:
    html = page("<p>幸福乡人民政府</p>", '<meta charset="utf-8">').encode("gbk")
    doc = read_bytes(html, "wrong.html")
    assert doc.encoding == "gb18030"
    assert doc.text == "幸福乡人民政府"


def test_declared_gb2312_page_with_a_gbk_only_character() -> None:
    # 喆 is in GBK but not in GB2312: decoding with the declared codec alone would fail.
    head = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    doc = read_bytes(page("<p>联系人：王喆</p>", head).encode("gbk"), "p.htm")
    assert doc.text == "联系人：王喆"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b" \n\t\r\n   ", "empty file (only whitespace)"),
        ("\u3000\u3000\n".encode(), "empty file (only whitespace)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data, not text (looks like PNG)"),
        (b"PK\x03\x04\x14\x00\x06\x00word/document.xml", "binary data, not text (looks like ZIP)"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "binary data, not text (looks like PDF)"),
        ("一、总体情况".encode() + b"\x00\x01\x02", "binary data, not text (contains NUL bytes)"),
        (bytes(range(1, 32)) * 20, "binary data, not text (control characters)"),
        (bytes([0x80, 0xFF, 0xFD, 0x81, 0xFE]) * 50, "binary data, not text"),
    ],
    ids=[
        "empty",
        "whitespace",
        "ideographic-space",
        "png",
        "zip",
        "pdf",
        "nul",
        "controls",
        "junk",
    ],
)
def test_non_text_is_refused_naming_the_file(data: bytes, reason: str) -> None:
    with pytest.raises(ExtractError) as caught:
        read_bytes(data, "reports/长胜乡.txt")
    assert caught.value.path == "reports/长胜乡.txt"
    assert caught.value.reason.startswith(reason)
    assert str(caught.value).startswith("reports/长胜乡.txt: ")


def test_missing_file_and_directory_are_extract_errors(tmp_path: Path) -> None:
    with pytest.raises(ExtractError, match="file not found"):
        read_document(tmp_path / "nope.txt")
    with pytest.raises(ExtractError, match="directory"):
        read_document(tmp_path)


def test_formats_not_read_yet_say_so(tmp_path: Path) -> None:
    report = tmp_path / "report.doc"
    report.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 64)
    with pytest.raises(ExtractError, match=r"Word 97-2003 \(.doc\) files are not supported yet"):
        read_document(report)


def test_html_with_no_visible_text_is_refused() -> None:
    html = page("<script>var a = '年度报告';</script><style>p{}</style>", "<title>年度报告</title>")
    with pytest.raises(ExtractError, match="HTML with no visible text"):
        read_bytes(html.encode(), "blank.html")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_give_text_or_an_extract_error(data: bytes) -> None:
    try:
        text, encoding = decode_bytes(data, "fuzz.bin")
    except ExtractError as exc:
        assert exc.path == "fuzz.bin"
    else:
        assert text.strip() and encoding


# --- documents and formats ------------------------------------------------------------------


def test_document_records_path_format_and_hash_of_the_raw_bytes() -> None:
    sample = SAMPLES[0]
    doc = read_document(sample)
    assert doc.path == str(sample)
    assert doc.format == "txt"
    assert doc.encoding == "utf-8"
    assert doc.sha256 == hashlib.sha256(sample.read_bytes()).hexdigest()
    assert doc.grids == []


@pytest.mark.parametrize(
    ("name", "content", "fmt"),
    [
        ("report.md", "# 2023年报告\n一、总体情况", "md"),
        ("report.htm", "<p>一、总体情况</p>", "html"),
        ("report", "<!DOCTYPE html><html><body><p>一、总体情况</p></body></html>", "html"),
        ("report.aspx", "\n  <html><body><p>一、总体情况</p></body></html>", "html"),
        ("report.dat", "## 一、总体情况\n\n| 行政许可 | 94 |\n", "md"),
        ("report.dat", "一、总体情况\n行政许可 <94> 件", "txt"),
    ],
)
def test_format_from_suffix_or_sniffed(name: str, content: str, fmt: str) -> None:
    doc = read_bytes(content.encode(), name)
    assert doc.format == fmt
    assert "一、总体情况" in doc.text


def test_readable_suffixes_cover_the_report_formats() -> None:
    suffixes = readable_suffixes()
    assert {".txt", ".md", ".html", ".htm", ".shtml", ".xhtml", ".docx", ".pdf"} <= set(suffixes)
    assert ".doc" not in suffixes


def test_markdown_is_kept_as_written() -> None:
    text = "# 标题\n\n| 行政许可 | 94 |\n"
    assert read_bytes(text.encode(), "r.md").text == text
    assert sniff_format(text) == "md"


# --- HTML text ------------------------------------------------------------------------------


def test_blocks_are_lines_and_br_breaks_a_line() -> None:
    text, _ = html_to_text(
        page("<h1>年度报告</h1><div>一、总体情况<p>第一段<br>第二行</p></div>尾")
    )
    assert text.split("\n") == ["年度报告", "一、总体情况", "第一段", "第二行", "尾"]


def test_numbers_split_across_tags_are_whole() -> None:
    text, grids = html_to_text(
        page(
            "<p>主动公开政府信息<span>9</span><span>4</span>条</p>"
            "<table><tr><td>行政许可</td><td><span>9</span><b><span>4</span></b></td></tr></table>"
        )
    )
    assert "主动公开政府信息94条" in text.split("\n")
    assert grids == [[["行政许可", "94"]]]


def test_entities_are_decoded() -> None:
    text, grids = html_to_text(
        page(
            "<p>&#12288;&#12288;通讯地址：锦湖大路&amp;华康街&nbsp;交汇&lt;北&gt;</p>"
            "<table><tr><td>项目</td><td>废止</td><td>许可</td></tr>"
            "<tr><td>&nbsp;</td><td>&#12288;&#12288;0</td><td>&#x39;&#52;&ensp;</td></tr></table>"
        )
    )
    assert text.split("\n")[0] == "通讯地址：锦湖大路&华康街 交汇<北>"
    assert grids == [[["项目", "废止", "许可"], ["", "0", "94"]]]


def test_script_style_head_nav_and_hidden_are_dropped_body_text_kept() -> None:
    html = page(
        "<nav><a>首页</a><a>政务公开</a></nav><div class='nav'>当前位置：首页</div>"
        "<script>document.write('行政处罚 999')</script><style>.x{color:red}</style>"
        "<noscript>请启用脚本</noscript><p style='display: none'>隐藏 888</p>"
        "<div role='navigation'>导航</div><p>行政处罚19件</p>"
        "<select><option>友情链接</option></select>",
        "<title>标题 2024</title><meta charset='utf-8'>",
    )
    text, _ = html_to_text(html)
    assert text.split("\n") == ["行政处罚19件"]


def test_chrome_named_by_class_or_id_is_dropped_but_not_look_alikes() -> None:
    html = page(
        "<div class='top'>无障碍 | English</div><ul id='Nav'><li>首页</li></ul>"
        "<div class='crumbs clearfix'>当前位置：首页 &gt; 年报</div>"
        "<div class='article-header'>2023年长胜乡政府信息公开工作年度报告</div>"
        "<p class='position'>发布时间：2024-01-18</p>"
        "<table><tr><td class='top'>行政许可</td><td class='nav'>94</td></tr></table>"
        "<div class='footer'><p>网站标识码：2301000001 ©2024</p></div>"
    )
    text, grids = html_to_text(html)
    assert text.split("\n") == [
        "2023年长胜乡政府信息公开工作年度报告",
        "发布时间：2024-01-18",
        "行政许可\t94",
    ]
    assert grids == [[["行政许可", "94"]]]


def test_preformatted_text_keeps_its_lines_and_tabs() -> None:
    text, _ = html_to_text(page("<pre>行政许可\t94\n行政处罚\t19</pre>"))
    assert text.split("\n") == ["行政许可\t94", "行政处罚\t19"]


def test_very_deep_nesting_does_not_overflow() -> None:
    text, _ = html_to_text(page("<div>" * 5000 + "一、总体情况" + "</div>" * 5000))
    assert text == "一、总体情况"


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="<>/=\"' \tabdeiprtlhsn&#;0123456789行政许可\n", max_size=300))
def test_any_markup_gives_text_without_raising(markup: str) -> None:
    text, grids = html_to_text(markup)
    assert isinstance(text, str) and isinstance(grids, list)


# --- tables ---------------------------------------------------------------------------------


SPANNED = """
<table>
  <tr><td rowspan="2" colspan="2">信息内容</td><td colspan="3">申请人情况</td></tr>
  <tr><td>自然人</td><td>法人</td><td>总计</td></tr>
  <tr><td rowspan="3">三、办理结果</td><td>予以公开</td><td>1</td><td></td><td>1</td></tr>
  <tr><td>部分公开</td><td>0</td><td>0</td><td>0</td></tr>
  <tr><td>不予公开</td><td>2</td><td>&nbsp;</td><td>2</td></tr>
  <tr><td colspan="2">四、结转</td><td>0</td><td>0</td><td>0</td></tr>
</table>
"""


def test_grid_of_a_rowspan_colspan_table() -> None:
    _, grids = html_to_text(page(SPANNED))
    assert grids == [
        [
            ["信息内容", None, "申请人情况", None, None],
            [None, None, "自然人", "法人", "总计"],
            ["三、办理结果", "予以公开", "1", "", "1"],
            [None, "部分公开", "0", "0", "0"],
            [None, "不予公开", "2", "", "2"],
            ["四、结转", None, "0", "0", "0"],
        ]
    ]


def test_table_rows_are_tab_joined_lines_without_spanned_positions() -> None:
    text, _ = html_to_text(
        page("<p>三、收到和处理政府信息公开申请情况</p>" + SPANNED + "<p>四、</p>")
    )
    assert text.split("\n") == [
        "三、收到和处理政府信息公开申请情况",
        "信息内容\t申请人情况",
        "自然人\t法人\t总计",
        "三、办理结果\t予以公开\t1\t\t1",
        "部分公开\t0\t0\t0",
        "不予公开\t2\t\t2",
        "四、结转\t0\t0\t0",
        "四、",
    ]


def test_spans_past_the_table_are_clipped_and_rowspan_zero_runs_to_the_end() -> None:
    _, grids = html_to_text(
        page(
            "<table><tr><td rowspan=9>甲</td><td rowspan=0>乙</td><td>1</td></tr>"
            "<tr><td>2</td></tr></table>"
        )
    )
    assert grids == [[["甲", "乙", "1"], [None, None, "2"]]]


def test_cell_text_is_flattened_and_whitespace_collapsed() -> None:
    _, grids = html_to_text(
        page(
            "<table><tr><th><p>商业</p><p>企业</p></th><td>结果<br>纠正</td>"
            "<td>\n   法律服务\n   机构  </td></tr></table>"
        )
    )
    # A line break in the markup between two Chinese characters is a wrap, not a space.
    assert grids == [[["商业 企业", "结果 纠正", "法律服务机构"]]]


def test_layout_table_around_data_tables_keeps_only_the_inner_grid() -> None:
    html = page(
        "<table class='layout'><tr><td>当前位置：首页</td></tr><tr><td>"
        "<p>二、主动公开政府信息情况</p>"
        "<table><tr><td>行政许可</td><td>94</td></tr><tr><td>行政处罚</td><td>19</td></tr></table>"
        "<p>三、收到和处理政府信息公开申请情况</p></td></tr></table>"
    )
    text, grids = html_to_text(html)
    assert grids == [[["行政许可", "94"], ["行政处罚", "19"]]]
    # The breadcrumb in the layout table is chrome by its text.
    assert text.split("\n") == [
        "二、主动公开政府信息情况",
        "行政许可\t94",
        "行政处罚\t19",
        "三、收到和处理政府信息公开申请情况",
    ]


# --- the HTML renderings of the samples -----------------------------------------------------


def _numbers(text: str) -> list[str]:
    return re.findall(r"\d+(?:\.\d+)?", text)


@pytest.mark.parametrize(
    ("fixture", "encoding"),
    [(XINGFU_HTML, "gb18030"), (CHANGSHENG_HTML, "utf-8")],
    ids=["002", "003"],
)
def test_rendering_has_every_number_of_its_sample_in_order(fixture: Path, encoding: str) -> None:
    doc = read_document(fixture)
    sample = (ROOT / "samples" / fixture.name).with_suffix(".txt").read_text(encoding="utf-8")
    title = sample.partition("\n")[0]
    assert doc.format == "html"
    assert doc.encoding == encoding
    # Only the article is read: the title from the page's metadata, then the report, and no
    # number of the chrome (dates, views, site codes, ICP numbers, other years' reports).
    assert doc.text.split("\n")[0] == title.strip()
    assert _numbers(doc.text) == _numbers(sample)
    assert len(doc.grids) == 3


def test_xingfu_rendering_is_gbk_and_its_grids_keep_spans_and_the_blank_cell() -> None:
    data = XINGFU_HTML.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    doc = read_document(XINGFU_HTML)
    proactive, applications, reviews = doc.grids
    assert ["行政强制", "", None, None] in proactive
    assert applications[5][:3] == ["三、本年度办理结果", "（一）予以公开", None]
    assert all(row[0] is None for row in applications[6:27])
    assert applications[7][:3] == [None, "（三）不予公开", "1.属于国家秘密"]
    assert applications[15] == [None, "（四）无法提供", "1.本机关不掌握相关政府信息"] + ["1"] + [
        "0"
    ] * 5 + ["1"]
    assert applications[0][3:] == ["申请人情况"] + [None] * 6
    assert applications[1][4:] == ["法人或其他组织", None, None, None, None, "总计"]
    assert reviews[3] == ["0"] * 15
    assert "如对本年度报告有疑问" in doc.text
    assert "联系电话：0431-85311165。" in doc.text
    assert "邮政编码：130000。" in doc.text
    assert "行政强制\t" in doc.text.split("\n")


def test_changsheng_rendering_joins_split_numbers() -> None:
    doc = read_document(CHANGSHENG_HTML)
    proactive = doc.grids[0]
    assert ["行政许可", "94", None, None] in proactive
    assert ["行政处罚", "19", None, None] in proactive
    assert ["规章", "0", "0", "0"] in proactive
    assert "行政许可\t94" in doc.text.split("\n")
    assert "主动公开政府信息94条" in doc.text
    assert "商业 企业" in doc.grids[1][2]


def test_renderings_are_what_the_generator_writes() -> None:
    run = subprocess.run(
        [sys.executable, str(FIXTURES / "make_html.py"), "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert run.returncode == 0, run.stderr
