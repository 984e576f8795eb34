"""Reading the HTML that government sites really serve: Word exports, CMS pages, chrome.

The three pages in ``tests/fixtures`` (see its README) are whole sample reports in the markup
of a Word "Save as Web Page", a TRS WCM ``.shtml`` page and an XHTML page with ``#zoom``;
each must give the record of its text. The small cases below pin one behaviour each.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from indexer.models import Report
from indexer.parsing.parse import parse_document, parse_file
from indexer.parsing.read import html_to_text, read_bytes, read_document

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
WORD = FIXTURES / "001_614567a681452a82.word.htm"
TRS = FIXTURES / "004_33c70e6d64948353.trs.shtml"
ZOOM = FIXTURES / "002_48adf1365f76697a.zoom.xhtml"
PAGES = [WORD, TRS, ZOOM]
MAY_DIFFER = {"id", "source", "sections", "provenance"}
# The article container of each page, and the same markup with the container unnamed.
CONTAINERS = {
    TRS: (b'class="view TRS_UEDITOR trs_paper_default trs_web"', b'class="view"'),
    ZOOM: (b'id="zoom"', b'id="nr"'),
}
# Text of each page's chrome that must never reach the report text.
CHROME = {
    TRS: ["0469-4622345", "jxzfban@163.com", "2022年", "2021年", "网站标识码", "当前的位置",
          "分享到", "浏览次数", "218", "今天是", "无障碍"],
    ZOOM: ["0431-88771234", "网站标识码", "ICP", "版权所有", "现在的位置", "点击", "342"],
    WORD: ["Administrator", "mso-", "font-family", "普通表格"],
}  # fmt: skip


def stated(report: Report) -> dict:
    """The fields of a record that come from what the report says."""
    return report.model_dump(exclude=MAY_DIFFER)


def sample_of(page: Path) -> Path:
    """The sample text a page renders."""
    return ROOT / "samples" / f"{page.name.split('.')[0]}.txt"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_parses_to_the_record_of_its_text(page: Path) -> None:
    from_page = parse_file(page)
    assert from_page.source.format == "html"
    assert from_page.source.encoding == "gb18030"
    assert stated(from_page) == stated(parse_file(sample_of(page)))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_text_holds_no_chrome(page: Path) -> None:
    text = read_document(page).text
    for chrome in CHROME[page]:
        assert chrome not in text


@pytest.mark.parametrize("page", list(CONTAINERS), ids=lambda p: p.name)
def test_page_without_a_known_container_reads_alike(page: Path) -> None:
    named, unnamed = CONTAINERS[page]
    data = page.read_bytes()
    assert named in data
    doc = read_bytes(data.replace(named, unnamed), page.name)
    assert doc.text == read_document(page).text
    for chrome in CHROME[page]:
        assert chrome not in doc.text
    assert stated(parse_document(doc)) == stated(parse_file(sample_of(page)))


def test_trs_page_keeps_the_township_contact_not_the_sites() -> None:
    report = parse_file(TRS)
    assert report.contact.phones == ["0469-4941237"]
    assert report.contact.email is None
    assert report.title == "集贤县升昌镇人民政府2023年政府信息公开工作年度报告"


def test_word_page_joins_the_table_split_at_the_page_break() -> None:
    doc = read_document(WORD)
    proactive, applications, reviews = doc.grids
    # Three heading rows and 23 rows: the report leaves out two of the 25.
    assert len(applications) == 3 + 23
    assert {len(row) for row in applications} <= {10}
    # The continuation lacked the merged first column; its values stand in their columns.
    assert applications[15] == [None, "（四）无法提供", "1.本机关不掌握相关政府信息"] + [""] * 6 + [
        "0"
    ]
    assert applications[-1] == ["四、结转下年度继续办理", None, None] + [""] * 6 + ["0"]
    assert max(len(row) for row in proactive) == 4
    assert len(reviews[-1]) == 15


def test_word_page_text_joins_wrapped_lines_and_split_numbers() -> None:
    text = read_document(WORD).text
    assert "编制而成。本报告中所列数据" in text
    assert "邮编：810599，电话：0972—8390165）。" in text
    assert "商业 企业\t科研 机构" in text


def test_generator_writes_the_committed_pages() -> None:
    run = subprocess.run(
        [sys.executable, str(FIXTURES / "make_pages.py"), "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert run.returncode == 0, run.stderr


# --- Word markup ----------------------------------------------------------------------------


def page(body: str, head: str = "") -> str:
    """A minimal HTML page around ``body``."""
    return f"<html><head>{head}</head><body>{body}</body></html>"


def test_word_conditional_comments_and_office_tags() -> None:
    body = (
        "<!--[if gte mso 9]><xml><o:DocumentProperties><o:Author>张三</o:Author>"
        "</o:DocumentProperties></xml><![endif]-->"
        "<p class=MsoNormal><![if !supportLists]><span lang=EN-US>1.</span><![endif]>"
        "<span style='font-family:宋体;mso-ascii-font-family:Calibri'>行政许可</span>"
        "<span lang=EN-US>9</span><span lang=EN-US>4<o:p></o:p></span>件</p>"
        "<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>"
        "<p class=MsoNormal><st1:chsdate Year=2023 Month=1 Day=1 w:st=on>2023年1月1日"
        "</st1:chsdate></p>"
    )
    text, _ = html_to_text(page(body))
    assert text.split("\n") == ["1.行政许可94件", "2023年1月1日"]


def test_markup_line_breaks_between_chinese_characters_are_wraps_not_spaces() -> None:
    text, _ = html_to_text(page("<p>本年度报告由长胜乡编\r\n制。统计期限为\n2023\n年。</p>"))
    assert text == "本年度报告由长胜乡编制。统计期限为 2023 年。"


def test_cells_with_paragraphs_runs_padding_and_line_breaks() -> None:
    row = (
        "<tr><td width=64 style='width:48pt;mso-border-alt:solid windowtext .5pt'>"
        "<p class=MsoNormal><span>法人或<br>其他组织</span></p></td>"
        "<td><p class=MsoNormal align=center><span lang=EN-US>1</span><span lang=EN-US>2"
        "</span></p></td><td><p><span lang=EN-US>&nbsp;&nbsp;3&nbsp;</span></p></td></tr>"
    )
    _, grids = html_to_text(page(f"<table>{row}</table>"))
    assert grids == [[["法人或 其他组织", "12", "3"]]]


# --- tables ---------------------------------------------------------------------------------


def test_th_thead_tbody_rows_in_order() -> None:
    html = (
        "<table><thead><tr><th>信息内容</th><th>本年处理决定数量</th></tr></thead>"
        "<tbody><tr><td>行政许可</td><td>94</td></tr></tbody>"
        "<tfoot><tr><td>行政处罚</td><td>19</td></tr></tfoot></table>"
    )
    _, grids = html_to_text(page(html))
    assert grids == [[["信息内容", "本年处理决定数量"], ["行政许可", "94"], ["行政处罚", "19"]]]


def test_spacer_rows_and_columns_are_dropped_blank_value_columns_kept() -> None:
    html = (
        "<table><tr><td></td><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td>"
        "<td width=0></td></tr>"
        "<tr><td colspan=5 height=6>&nbsp;</td></tr>"
        "<tr><td></td><td>规章</td><td>0</td><td>&nbsp;</td><td></td></tr>"
        "<tr height=0><td width=8></td><td width=90></td><td width=60></td></tr></table>"
    )
    _, grids = html_to_text(page(html))
    assert grids == [[["信息内容", "本年制发件数", "本年废止件数"], ["规章", "0", ""]]]


def test_caption_is_the_line_before_the_rows() -> None:
    html = "<table><caption>表一 主动公开</caption><tr><td>行政许可</td><td>94</td></tr></table>"
    text, grids = html_to_text(page(html))
    assert text.split("\n") == ["表一 主动公开", "行政许可\t94"]
    assert grids == [[["行政许可", "94"]]]


def test_colspan_zero_is_one_column() -> None:
    _, grids = html_to_text(page("<table><tr><td colspan=0>行政许可</td><td>94</td></tr></table>"))
    assert grids == [[["行政许可", "94"]]]


SPLIT_HEAD = (
    "<table><tr><td>项目</td><td>类别</td><td>自然人</td><td>总计</td></tr>"
    "<tr><td rowspan=4>三、办理结果</td><td>予以公开</td><td>1</td><td>1</td></tr>"
    "<tr><td>部分公开</td><td>0</td><td>0</td></tr></table>"
)


@pytest.mark.parametrize(
    ("between", "tail", "joined"),
    [
        ("<p><br style='page-break-before:always'></p>", "<tr><td>无法提供</td><td>2</td>"
         "<td>2</td></tr><tr><td colspan=2>四、结转</td><td>0</td><td>0</td></tr>", True),
        ("", "<tr><td></td><td>无法提供</td><td>2</td><td>2</td></tr>", True),
        ("<p>（续表）说明</p>", "<tr><td>无法提供</td><td>2</td><td>2</td></tr>", False),
        ("", "<tr><td>甲</td><td>乙</td><td>丙</td><td>丁</td><td>戊</td></tr>", False),
    ],
    ids=["narrower", "same-width", "text-between", "wider"],
)  # fmt: skip
def test_table_split_at_a_page_break_is_joined(between: str, tail: str, joined: bool) -> None:
    _, grids = html_to_text(page(SPLIT_HEAD + between + f"<table>{tail}</table>"))
    if not joined:
        assert len(grids) == 2
        return
    assert len(grids) == 1
    assert grids[0][3][-3:] == ["无法提供", "2", "2"]
    assert grids[0][3][0] is None or grids[0][3][0] == ""
    if len(grids[0]) > 4:
        assert grids[0][4] == ["四、结转", None, "0", "0"]


def test_nested_layout_tables_give_only_the_data_grid() -> None:
    html = (
        "<table width=1000><tr><td><table><tr><td class=bt>2023年长胜乡政府信息公开工作年度报告"
        "</td></tr></table></td></tr><tr><td><table border=1><tr><td>行政许可</td><td>94</td>"
        "</tr></table></td></tr></table>"
    )
    text, grids = html_to_text(page(html))
    assert grids[-1] == [["行政许可", "94"]]
    assert text.split("\n") == ["2023年长胜乡政府信息公开工作年度报告", "行政许可\t94"]


# --- chrome and the article container -------------------------------------------------------

REPORT = "<p>一、总体情况</p><p>本年主动公开政府信息12条，收到政府信息公开申请1件。</p>"


@pytest.mark.parametrize(
    "chrome",
    [
        "<div class=wz>您现在的位置：<a>首页</a> &gt; <a>政务公开</a> &gt; <a>年报</a></div>",
        "<div class=dibu><p>主办单位：某某县人民政府办公室</p><p>联系电话：0451-12345678 "
        "邮箱：zfb@example.cn</p><p>网站标识码：2301000001 黑ICP备05001234号</p></div>",
        "<div class=xg><h4>相关链接</h4><ul><li>长胜乡2022年政府信息公开工作年度报告</li>"
        "</ul></div>",
        "<div class=fx>分享到：<a>微信</a><a>微博</a></div>",
        "<p>发布时间：2024-01-18&#12288;来源：长胜乡&#12288;浏览次数：126</p>",
        "<div class=tou>今天是：2024年1月18日 <a>无障碍</a> <a>长者模式</a></div>",
    ],
    ids=["breadcrumb", "footer", "related", "share", "info", "top-bar"],
)
def test_chrome_shown_by_its_text_is_dropped(chrome: str) -> None:
    text, _ = html_to_text(page(chrome + REPORT + chrome))
    assert text.split("\n") == [
        "一、总体情况",
        "本年主动公开政府信息12条，收到政府信息公开申请1件。",
    ]


def test_report_paragraphs_that_name_contacts_are_kept() -> None:
    contact = "<p>如有疑问请联系乡党政办，联系电话：0469-6101183，电子邮箱：a@b.cn。</p>"
    text, _ = html_to_text(page(REPORT + contact))
    assert "联系电话：0469-6101183" in text


def test_article_container_and_title_from_metadata() -> None:
    head = '<meta name="ArticleTitle" content="长胜乡2023年政府信息公开工作年度报告">'
    body = (
        "<div class=top>首页</div><div class=lm>本站 热点 专题</div>"
        f"<div class='view TRS_UEDITOR trs_paper_default'>{REPORT}</div>"
        "<div class=gj>本页浏览 126 次</div>"
    )
    text, _ = html_to_text(page(body, head))
    assert text.split("\n") == [
        "长胜乡2023年政府信息公开工作年度报告",
        "一、总体情况",
        "本年主动公开政府信息12条，收到政府信息公开申请1件。",
    ]


def test_container_without_the_report_is_not_taken() -> None:
    body = f"<div class=article-content>摘要：见附件</div><div class=main>{REPORT}</div>"
    text, _ = html_to_text(page(body))
    assert "收到政府信息公开申请1件" in text
    assert "摘要：见附件" in text


# --- charsets and suffixes ------------------------------------------------------------------


def test_charset_declared_after_1024_bytes_of_script() -> None:
    script = "<script>" + "var a = 1;\n" * 200 + "</script>"
    head = script + '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    data = page("<p>升昌镇行政许可0件，邮编155900。</p>", head).encode("gbk")
    assert data.index(b"charset") > 1024
    doc = read_bytes(data, "report.shtml")
    assert (doc.format, doc.encoding) == ("html", "gb18030")
    assert doc.text == "升昌镇行政许可0件，邮编155900。"


def test_gbk_page_without_any_declaration() -> None:
    data = page("<p>东沟乡人民政府2023年度政府信息公开工作报告</p>").encode("gbk")
    doc = read_bytes(data, "report.xhtml")
    assert doc.text == "东沟乡人民政府2023年度政府信息公开工作报告"


def test_space_entities_are_whitespace() -> None:
    text, _ = html_to_text(page("<p>&#12288;&#12288;电话：&ensp;0469-6101183&#x3000;</p>"))
    assert text == "电话： 0469-6101183"


@pytest.mark.parametrize("suffix", [".html", ".htm", ".shtml", ".xhtml"])
def test_web_page_suffixes_are_html(suffix: str) -> None:
    xml = '<?xml version="1.0" encoding="utf-8"?>\n' if suffix == ".xhtml" else ""
    data = (xml + page("<p>一、总体情况</p>")).encode()
    doc = read_bytes(data, f"report{suffix}")
    assert (doc.format, doc.text) == ("html", "一、总体情况")
