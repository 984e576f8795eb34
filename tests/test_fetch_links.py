"""Reading a column's pages: report links, the column's other pages, attachments, file names."""

from __future__ import annotations

import pytest

from gongkai.fetch.links import (
    attachment_suffix,
    is_report_title,
    read_attachments,
    read_list,
    report_year,
)
from gongkai.fetch.store import file_name

BASE = "http://gov.example/col/col7/index.html"


@pytest.mark.parametrize(
    ("title", "report"),
    [
        ("青山镇2023年政府信息公开工作年度报告", True),
        ("2023年度政府信息公开工作年报", True),
        ("县交通局2022年政务公开工作年度报告", True),
        ("关于做好2023年政府信息公开工作年度报告编制工作的通知", False),
        ("2024年政务公开工作要点", False),
        ("政府信息公开申请表", False),
        ("青山镇2023年工作总结", False),
    ],
)
def test_which_links_are_reports(title: str, report: bool) -> None:
    assert is_report_title(title) is report


def test_the_report_year_is_read_from_the_title() -> None:
    assert report_year("青山镇2023 年度政府信息公开工作年度报告") == 2023
    assert report_year("青山镇政府信息公开工作年度报告") is None


@pytest.mark.parametrize(
    ("pager", "pages"),
    [
        (  # next and last links, the pages between filled in
            '<a href="index_1.html">下一页</a><a href="index_5.html">尾页</a>',
            [f"http://gov.example/col/col7/index_{n}.html" for n in range(1, 6)],
        ),
        (  # a query parameter numbers the pages
            '<a href="list.jsp?cat=3&amp;pageNo=2">2</a>'
            '<a href="list.jsp?cat=3&amp;pageNo=4">末页</a>',
            [f"http://gov.example/col/col7/list.jsp?cat=3&pageNo={n}" for n in (2, 3, 4)],
        ),
        (  # the TRS script pager writes plain files
            '<script>createPageHTML(3, 0, "index", "shtml");</script>',
            [f"http://gov.example/col/col7/index{s}.shtml" for s in ("", "_1", "_2")],
        ),
    ],
)
def test_the_column_pages_are_found(pager: str, pages: list[str]) -> None:
    found = read_list(f"<ul><li>x</li></ul><div>{pager}</div>", BASE).pages
    assert set(pages) - {BASE} <= set(found)
    assert found and not read_list(f"<div>{pager}</div>", BASE).script_pager


@pytest.mark.parametrize(
    "pager",
    [
        '<a href="javascript:turnPage(2)">下一页</a>',
        '<a href="#" onclick="go(2);return false">下一页</a>',
        "<span>共 4 页</span>",
    ],
)
def test_a_pager_that_needs_javascript_is_recognised(pager: str) -> None:
    page = read_list(f"<div>{pager}</div>", BASE)
    assert page.pages == [] and page.script_pager


def test_a_disabled_next_link_on_a_one_page_column_is_no_error() -> None:
    page = read_list('<span>共1页</span><a href="javascript:void(0)">下一页</a>', BASE)
    assert page.script_pager is None


def test_a_list_item_gives_its_date_and_a_cut_title_is_taken_whole() -> None:
    html = """<ul>
      <li><a href="/art/1.html" title="青山镇2023年政府信息公开工作年度报告">
          青山镇2023年政府信息…</a> <span>2024年01月09日</span></li>
      <li><a href="/art/2.html">石门乡2023年政府信息公开工作年度报告</a></li>
    </ul>"""
    first, second = read_list(html, BASE).reports
    assert first.title == "青山镇2023年政府信息公开工作年度报告"
    assert (first.url, first.published) == ("http://gov.example/art/1.html", "2024-01-09")
    assert second.published is None


def test_attachments_of_a_report_page() -> None:
    html = """<div>
      <a href="/files/report.pdf">附件1</a>
      <a href="/down.do?name=%E6%8A%A5%E5%91%8A.docx">报告全文</a>
      <a href="/files/apply.doc">政府信息公开申请表</a>
      <iframe src="/pdfjs/web/viewer.html?file=/files/scan.pdf"></iframe>
    </div>"""
    found = [u for u, _ in read_attachments(html, BASE)]
    assert found == [
        "http://gov.example/files/report.pdf",
        "http://gov.example/down.do?name=%E6%8A%A5%E5%91%8A.docx",
        "http://gov.example/files/scan.pdf",
    ]
    assert attachment_suffix("http://gov.example/a.WPS") == ".wps"


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("http://a.example/art/2024/1/26/art_1229_88.html", "art_2024_1_26_art_1229_88.html"),
        ("http://a.example/", "index.html"),
        ("http://a.example/../../etc/passwd", "etc_passwd.html"),
    ],
)
def test_file_names_are_flat_and_safe(url: str, name: str) -> None:
    assert file_name(url, ".html") == name


def test_an_address_with_a_query_gets_a_digest() -> None:
    one, two = file_name("http://a/d.jsp?id=1", ".pdf"), file_name("http://a/d.jsp?id=2", ".pdf")
    assert one != two and one.startswith("d_") and one.endswith(".pdf")
