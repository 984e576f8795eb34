"""Report HTML kept inside a script: a JavaScript or JSON string, or a page's <script>.

The report below is invented for these tests (a town, 青禾镇, with figures no sample has); each
way of embedding it must give the same record, its table figures read from real grids.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.errors import ExtractError
from indexer.models import Report
from indexer.parsing.parse import parse_file
from indexer.parsing.read import read_bytes
from indexer.parsing.read_script import script_html
from tests.table_shapes import FORM_2021

TITLE = "2023年青禾镇人民政府政府信息公开工作年度报告"
PROACTIVE = [("规章", 3, 1, 8), ("行政规范性文件", 7, 2, 15)]
DECISIONS = [("行政许可", 37), ("行政处罚", 23), ("行政强制", 6)]
REVIEWS = [4, 2, 3, 1, 10, 5, 7, 9, 2, 23, 6, 8, 11, 3, 28]


def row_numbers(index: int) -> list[int]:
    """Six applicant cells and their total for row ``index``: distinct and never zero."""
    parts = [100 * (index + 1) + column for column in (11, 22, 33, 44, 55, 66)]
    return [*parts, sum(parts)]


def cell(text: object, rows: int = 1, cols: int = 1) -> str:
    """One table cell with its spans."""
    return f'<td rowspan="{rows}" colspan="{cols}">{text}</td>'


def applications_table() -> str:
    """Section 三's table in the 2021 form, merged cells as sites lay them out."""
    heads = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    rows = [
        cell("本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和", 3, 3)
        + cell("申请人情况", 1, 7),
        cell("自然人", 2) + cell("法人或其他组织", 1, 5) + cell("总计", 2),
        "".join(cell(head) for head in heads),
    ]
    spans = {"(三)不予公开": 8, "(四)无法提供": 3, "(五)不予处理": 5, "(六)其他处理": 3}
    for index, (first, second, label, _key) in enumerate(FORM_2021):
        cells = ""
        if first and not second:
            cells = cell(first, 1, 3)
        elif first:
            cells = cell(first, 22)
        if second and label:
            cells += cell(second, spans[second]) + cell(label)
        elif second:
            cells += cell(second, 1, 2)
        elif label:
            cells += cell(label)
        rows.append(cells + "".join(cell(n) for n in row_numbers(index)))
    return "<table>" + "".join(f"<tr>{row}</tr>" for row in rows) + "</table>"


def report_html() -> str:
    """The invented report as a content box of a page: paragraphs and three tables."""
    proactive = "".join(
        f"<tr><td>{name}</td><td>{a}</td><td>{b}</td><td>{c}</td></tr>"
        for name, a, b, c in PROACTIVE
    )
    decisions = "".join(f"<tr><td>{name}</td><td>{n}</td></tr>" for name, n in DECISIONS)
    names = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    heads = "".join(f"<td>{h}</td>" for h in names)
    tall = "".join(f'<td rowspan="2">{h}</td>' for h in names)
    figures = "".join(f"<td>{n}</td>" for n in REVIEWS)
    return (
        f'<p class="title">{TITLE}</p>'
        "<p>一、总体情况</p><p>2023年，青禾镇认真落实政务公开各项要求，做好依申请公开工作。</p>"
        "<p>二、主动公开政府信息情况</p>"
        '<table><tr><td colspan="4">第二十条第（一）项</td></tr>'
        "<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>"
        f"{proactive}"
        '<tr><td colspan="2">第二十条第（五）项、第（六）项</td></tr>'
        f"<tr><td>信息内容</td><td>本年处理决定数量</td></tr>{decisions}</table>"
        "<p>三、收到和处理政府信息公开申请情况</p>"
        f"{applications_table()}"
        "<p>四、政府信息公开行政复议、行政诉讼情况</p>"
        '<table><tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>'
        f"<tr>{tall}"
        '<td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td></tr>'
        f"<tr>{heads}{heads}</tr>"
        f"<tr>{figures}</tr></table>"
        "<p>五、存在的主要问题及改进情况</p><p>公开内容还不够全面。</p>"
        "<p>六、其他需要报告的事项</p><p>联系电话：0871-5550123</p>"
    )


def js_double(html: str) -> str:
    """A JavaScript assignment of ``html`` as a double-quoted string, slashes escaped too."""
    return "var content = " + json.dumps(html).replace("/", "\\/") + ";\n"


def json_document(html: str) -> str:
    """A JSON answer of a site's API, tags escaped as \\u003c / \\u003e as Go and Java do."""
    body = json.dumps(html, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
    return '{"code":0,"data":{"title":"' + TITLE + '","content":' + body + "}}"


def js_single(html: str) -> str:
    """``document.write`` calls with single-quoted strings, one per table row or paragraph."""
    pieces = html.replace("</tr>", "</tr>\n").replace("</p>", "</p>\n").splitlines()
    calls = []
    for piece in pieces:
        escaped = piece.replace("\\", "\\\\").replace("'", "\\'").replace("<", "\\x3c")
        calls.append(f"document.write('{escaped}');")
    return "\n".join(calls) + "\n"


def page_with_script(html: str) -> str:
    """A page whose content box is empty until its script fills it."""
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>政务公开</title>'
        '<script src="jquery.min.js"></script></head><body>'
        '<div class="nav">首页 | 政务公开</div><div id="content"></div>'
        f"<script>{js_double(html)}$('#content').html(content);</script></body></html>"
    )


def assert_figures(report: Report) -> None:
    """The invented report's table figures, each where it belongs."""
    assert report.source.format == "html"
    assert report.year == 2023
    assert report.township == "青禾镇"
    assert report.proactive.rules.model_dump() == {"issued": 3, "repealed": 1, "in_force": 8}
    assert report.proactive.normative_documents.in_force == 15
    assert (report.proactive.licensing, report.proactive.penalties) == (37, 23)
    assert report.proactive.coercion == 6
    for index, (*_, key) in enumerate(FORM_2021):
        assert list(report.applications[key].model_dump().values()) == row_numbers(index), key
    outcomes = [report.reviews, report.lawsuits_direct, report.lawsuits_after_review]
    assert [n for o in outcomes for n in o.model_dump().values()] == REVIEWS
    assert report.contact.phones == ["0871-5550123"]


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("content.js", js_double),
        ("article.json", json_document),
        ("write.js", js_single),
        ("saved-as-text.txt", js_double),
        ("no-suffix", json_document),
        ("page.html", page_with_script),
    ],
)
def test_report_html_inside_a_script_is_read_with_its_tables(
    name: str, make, tmp_path: Path
) -> None:
    path = tmp_path / name
    path.write_text(make(report_html()), encoding="utf-8")
    report = parse_file(path)
    assert_figures(report)
    assert report.title == TITLE


def test_the_grids_are_the_reports_tables() -> None:
    doc = read_bytes(json_document(report_html()).encode(), "article.json")
    assert len(doc.grids) == 3
    assert doc.grids[2][-1] == [str(n) for n in REVIEWS]
    assert "\\u003c" not in doc.text and "<td" not in doc.text


@pytest.mark.parametrize(
    ("script", "html"),
    [
        ('x = "\\u003cp\\u003e\\u9752\\u79be\\u003c/p\\u003e";', "<p>青禾</p>"),
        ("x = '\\x3cp\\x3eit\\'s\\x3c/p\\x3e';", "<p>it's</p>"),
        ('x = "<p class=\\"a\\">a<\\/p>";', '<p class="a">a</p>'),
        ("x = '<p>one \\\ntwo</p>';", "<p>one two</p>"),
        ('x = "<p>\\ud83d\\ude00</p>";', "<p>\U0001f600</p>"),
        ("x = `<p>\n  lines\n</p>`;", "<p>\n  lines\n</p>"),
        ('/* "<b>not this</b>" */ x = "<p>a</p>" + "<p>b</p>";', "<p>a</p><p>b</p>"),
    ],
    ids=["unicode", "single-hex", "json-slash", "continuation", "surrogates", "template", "joined"],
)
def test_string_literals_are_unescaped(script: str, html: str) -> None:
    assert script_html(script, 0.0) == html


def test_a_script_that_is_mostly_code_holds_no_report() -> None:
    code = (
        "!function(e){var t=e.document;function n(e){return e.nodeType}"
        + "var wrap={option:[1,\"<select multiple='multiple'>\",'</select>']};" * 3
        + "e.ready=function(){return n(t)};}(window);\n"
    ) * 20
    assert script_html(code, 0.5) is None
    with pytest.raises(ExtractError, match="holding no report HTML"):
        read_bytes(code.encode(), "static/jquery.js")


def test_plain_text_report_with_quotes_stays_text() -> None:
    text = f'{TITLE}\n一、总体情况\n引号 "<b>" 出现在正文中，但正文是纯文本。\n' * 3
    doc = read_bytes(text.encode(), "plain.txt")
    assert doc.format == "txt"
    assert doc.text.startswith(TITLE)


def test_page_that_shows_the_report_ignores_its_scripts() -> None:
    html = report_html()
    page = f"<html><body>{html}<script>{js_double('<p>别的内容</p>')}</script></body></html>"
    doc = read_bytes(page.encode(), "shown.html")
    assert "别的内容" not in doc.text
    assert len(doc.grids) == 3


def test_folder_of_saved_pages_indexes_the_script_and_passes_over_libraries(
    tmp_path: Path,
) -> None:
    from indexer.indexing.build import run_index
    from indexer.indexing.snapshot import open_index

    folder = tmp_path / "saved"
    (folder / "page_files").mkdir(parents=True)
    (folder / "page_files" / "content.js").write_text(js_double(report_html()), encoding="utf-8")
    library = folder / "page_files" / "jquery.min.js"
    library.write_text("!function(e){var t=e.document;return t}(window);\n", encoding="utf-8")
    summary = run_index([folder], tmp_path / "index", progress=False)
    assert (summary.indexed, summary.failed, summary.skipped) == (1, [], [])
    with open_index(tmp_path / "index") as snapshot:
        (report,) = snapshot.records.values()
    assert_figures(report)
    named = run_index([library], tmp_path / "index", progress=False)
    assert named.failed == [(str(library), "a script or data file holding no report HTML")]
