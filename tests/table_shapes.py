"""Report tables written once as data and rendered in the shapes real reports take.

The renderers flatten a table as published reports do: tab rows, one cell per line, pipe
tables, space-separated cells, labels and numbers on separate lines, bars, a merged first
column placed anywhere, page breaks inside a table, HTML with rowspan/colspan. Each
rendering is normalised as the parser does before the tables are read.
"""

from __future__ import annotations

from collections.abc import Callable

from indexer.models import APPLICATION_ROWS
from indexer.parsing.document import Section
from indexer.parsing.normalise import normalise
from indexer.parsing.read import html_to_text
from indexer.parsing.sections import split_sections
from indexer.parsing.tables import Tables, read_tables

Rows = list[list[str]]
Render = Callable[[Rows], str]


def section(key: str, text: str) -> Section:
    """A section holding the normalised ``text``."""
    return Section(key=key, heading=None, start_line=1, lines=normalise(text).split("\n"))


def read(**texts: str) -> Tables:
    """Read tables from section texts given by section key."""
    return read_tables({key: section(key, text) for key, text in texts.items()})


def values(tables: Tables, key: str) -> list[int | None]:
    """One applications row as a list in column order."""
    return list(tables.applications[key].model_dump().values())


def codes(tables: Tables) -> list[str]:
    """The problem codes, in order."""
    return [problem.code for problem in tables.problems]


# (merged first column, merged second column, label, key): the 2021 form, row by row.
FORM_2021 = [
    ("一、本年新收政府信息公开申请数量", "", "", "new"),
    ("二、上年结转政府信息公开申请数量", "", "", "carried_over"),
    ("三、本年度办理结果", "(一)予以公开", "", "granted"),
    ("", "(二)部分公开（区分处理的，只计这一情形，不计其他情形）", "", "partially_granted"),
    ("", "(三)不予公开", "1.属于国家秘密", "withheld_state_secret"),
    ("", "", "2.其他法律行政法规禁止公开", "withheld_prohibited_by_law"),
    ("", "", "3.危及“三安全一稳定”", "withheld_security_stability"),
    ("", "", "4.保护第三方合法权益", "withheld_third_party"),
    ("", "", "5.属于三类内部事务信息", "withheld_internal_affairs"),
    ("", "", "6.属于四类过程性信息", "withheld_process_info"),
    ("", "", "7.属于行政执法案卷", "withheld_enforcement_file"),
    ("", "", "8.属于行政查询事项", "withheld_query_matter"),
    ("", "(四)无法提供", "1.本机关不掌握相关政府信息", "unavailable_not_held"),
    ("", "", "2.没有现成信息需要另行制作", "unavailable_needs_creation"),
    ("", "", "3.补正后申请内容仍不明确", "unavailable_unclear"),
    ("", "(五)不予处理", "1.信访举报投诉类申请", "rejected_complaint"),
    ("", "", "2.重复申请", "rejected_duplicate"),
    ("", "", "3.要求提供公开出版物", "rejected_publication"),
    ("", "", "4.无正当理由大量反复申请", "rejected_excessive"),
    ("", "", "5.要求行政机关确认或重新出具已获取信息", "rejected_confirmation"),
    (
        "",
        "(六)其他处理",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "other_overdue_correction",
    ),
    (
        "",
        "",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "other_overdue_fee",
    ),
    ("", "", "3.其他", "other_other"),
    ("", "(七)总计", "", "total_processed"),
    ("四、结转下年度继续办理", "", "", "carried_forward"),
]


assert [key for *_, key in FORM_2021] == list(APPLICATION_ROWS)


def _numbers(index: int) -> list[int]:
    """Seven cells for row ``index``: distinct enough that a shifted row shows."""
    parts = [index + 3, index % 4, (index * 7) % 5, (index * 3) % 4, index % 2, (index * 5) % 3]
    return [*parts, sum(parts)]


EXPECTED = {key: _numbers(i) for i, (*_, key) in enumerate(FORM_2021)}


HEADER = [
    ["(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)", "申请人情况"],
    ["", "自然人", "法人或其他组织", "", "", "", "", "总计"],
    ["", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""],
]


def _merged_column(where: str) -> list[str]:
    """The merged "三、本年度办理结果" cell of each row, placed as a flattener leaves it."""
    column = [first for first, *_ in FORM_2021]
    body = range(2, 24)  # the rows the merged cell spans
    if where == "top":
        return column
    for i in body:
        column[i] = ""
    if where == "middle":
        column[12] = "三、本年度办理结果"
    elif where == "split":  # written over two rows, as narrow cells wrap
        column[10], column[14] = "三、本年度", "办理结果"
    elif where == "one-char-per-row":
        for i, char in zip(body, "三、本年度办理结果", strict=False):
            column[i] = char
    return column


def table_rows(where: str = "top", header: bool = True) -> list[list[str]]:
    """The 2021 applications table as rows of cells (blank leading cells kept)."""
    rows = [list(r) for r in HEADER] if header else []
    for first, (_, second, label, key) in zip(_merged_column(where), FORM_2021, strict=True):
        cells = [first, second, label] if second or label else [first]
        rows.append(cells + [str(n) for n in EXPECTED[key]])
    return rows


def tab_rows(rows: list[list[str]]) -> str:
    """Rows joined by tabs, one line each."""
    return "\n".join("\t".join(r) for r in rows)


def tab_rows_dropped(rows: list[list[str]]) -> str:
    """Rows joined by tabs with the empty label cells of merged columns left out (HTML text)."""
    return "\n".join("\t".join(c for c in r if c) for r in rows)


def one_cell_per_line(rows: list[list[str]]) -> str:
    """One cell per line, each with a leading tab; rows separated by blank lines."""
    return "\n\n".join("\n".join(f"\t{c}" for c in r) for r in rows)


def pipe_rows(rows: list[list[str]]) -> str:
    """A markdown pipe table; the first row is the header."""
    width = max(map(len, rows))
    lines = [f"| {' | '.join(r + [''] * (width - len(r)))} |" for r in rows]
    return "\n".join([lines[0], "|" + "---|" * width, *lines[1:]])


def spaced(rows: list[list[str]], gap: str = " ") -> str:
    """Cells separated by spaces (empty cells vanish), as a PDF or Word-to-text copy gives."""
    return "\n".join(gap.join(c for c in r if c) for r in rows)


def label_then_numbers(rows: list[list[str]]) -> str:
    """Each row's labels on one line and its numbers on the next."""
    lines = []
    for r in rows:
        labels = [c for c in r if c and not c.isdigit()]
        numbers = [c for c in r if c.isdigit()]
        lines.extend([" ".join(labels)] + ([" ".join(numbers)] if numbers else []))
    return "\n".join(lines)


def with_page_break(rows: list[list[str]], at: int, render, chrome: list[str]) -> str:
    """The table rendered in two parts with page chrome and the header repeated between them."""
    first = render(rows[: at + 3])
    second = render([list(r) for r in HEADER] + rows[at + 3 :])
    return "\n".join([first, "", *chrome, "", second])


def cell_per_line(rows: list[list[str]]) -> str:
    """Every non-empty cell on its own line, no tabs (a PDF copy)."""
    return "\n".join(c for r in rows for c in r if c)


def bars(rows: list[list[str]], bar: str = "|", outer: bool = True) -> str:
    """Rows drawn with bars, with or without the outer ones."""
    lines = [f" {bar} ".join(r) for r in rows]
    return "\n".join(f"{bar}{line}{bar}" if outer else line for line in lines)


def box_drawn(rows: list[list[str]]) -> str:
    """A table drawn with box characters, a ruled line between rows."""
    rule = "├" + "┼".join("──" for _ in range(8)) + "┤"
    return "\n".join(line for r in rows for line in (rule, "│" + "│".join(r) + "│"))


BLANKS = ["", "/", "—", "-", "无", "——", "－", "―", "／", "\\"]


# A 2021 table 二 with every value cell given as a template.
PROACTIVE_FORM = [
    ["第二十条第（一）项"],
    ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
    ["规章", "{r1}", "{r2}", "{r3}"],
    ["行政规范性文件", "{n1}", "{n2}", "{n3}"],
    ["第二十条第（五）项"],
    ["信息内容", "本年处理决定数量"],
    ["行政许可", "{lic}"],
    ["第二十条第（六）项"],
    ["信息内容", "本年处理决定数量"],
    ["行政处罚", "{pen}"],
    ["行政强制", "{coe}"],
    ["第二十条第（八）项"],
    ["信息内容", "本年收费金额（单位：万元）"],
    ["行政事业性收费", "{fee}"],
]


def proactive_rows(**cells: str) -> list[list[str]]:
    """Table 二 rows, each value cell filled from ``cells`` (missing ones "0")."""
    filled = {k: cells.get(k, "0") for k in ("r1", "r2", "r3", "n1", "n2", "n3")}
    filled |= {k: cells.get(k, "0") for k in ("lic", "pen", "coe", "fee")}
    return [[c.format(**filled) for c in r] for r in PROACTIVE_FORM]


REVIEW_NUMBERS = ["1", "2", "0", "1", "4", "0", "1", "0", "0", "1", "2", "0", "0", "1", "3"]


REVIEW_HEADER = [
    ["行政复议", "行政诉讼"],
    ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"],
    ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2,
]


def reviews_of(tables: Tables) -> list[list[int | None]]:
    """The three outcome rows of table 四, each in column order."""
    return [
        list(getattr(tables, name).model_dump().values())
        for name in ("reviews", "lawsuits_direct", "lawsuits_after_review")
    ]


REVIEWS_EXPECTED = [[1, 2, 0, 1, 4], [0, 1, 0, 0, 1], [2, 0, 0, 1, 3]]


def td(text: object = "", rows: int = 1, cols: int = 1) -> str:
    """One HTML cell, its number split over spans as page editors leave it."""
    span = (f' rowspan="{rows}"' if rows > 1 else "") + (f' colspan="{cols}"' if cols > 1 else "")
    body = "".join(f"<span>{ch}</span>" for ch in str(text)) if text != "" else "&nbsp;"
    return f'<td{span} style="border:1px solid"><p align="center">{body}</p></td>'


def html_applications(vertical: bool = False) -> str:
    """The 2021 applications table as a government site serves it (10 columns)."""
    merged = (
        "三<br>、<br>本<br>年<br>度<br>办<br>理<br>结<br>果" if vertical else "三、本年度办理结果"
    )
    header = (
        "<tr>"
        + td("(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)", 3, 3)
        + td("申请人情况", 1, 7)
        + "</tr>"
        "<tr>" + td("自然人", 2) + td("法人或其他组织", 1, 5) + td("总计", 2) + "</tr>"
        "<tr>"
        + "".join(td(h) for h in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"))
        + "</tr>"
    )
    spans = {"(三)不予公开": 8, "(四)无法提供": 3, "(五)不予处理": 5, "(六)其他处理": 3}
    body = []
    for first, second, label, key in FORM_2021:
        numbers = "".join(td(n) for n in EXPECTED[key])
        cells = ""
        if first and not second:
            cells = td(first, 1, 3)
        elif first:
            cells = td(merged, 22)
        if second and label:
            cells += td(second, spans[second]) + td(label)
        elif second:
            cells += td(second, 1, 2)
        elif label:
            cells += td(label)
        body.append(f"<tr>{cells}{numbers}</tr>")
    return f'<table border="1"><tbody>{header}{"".join(body)}</tbody></table>'


def html_proactive() -> str:
    """Table 二 as one HTML table, the 第二十条 rows spanning all columns, fees 0.00."""
    rows = []
    for row in proactive_rows(r1="1", n3="12", lic="94", pen="19", coe="", fee="0.00"):
        if len(row) == 1:
            rows.append("<tr>" + td(row[0], 1, 4) + "</tr>")
        else:
            cells = [td(c) for c in row[:-1]] + [td(row[-1], 1, 5 - len(row))]
            rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table>{''.join(rows)}</table>"


def html_reviews() -> str:
    """Table 四 with its two header levels spanning columns."""
    heads = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    return (
        "<table><tr>" + td("行政复议", 1, 5) + td("行政诉讼", 1, 10) + "</tr>"
        "<tr>"
        + "".join(td(h, 2) for h in heads)
        + td("未经复议直接起诉", 1, 5)
        + td("复议后起诉", 1, 5)
        + "</tr>"
        "<tr>" + "".join(td(h) for h in heads * 2) + "</tr>"
        "<tr>" + "".join(td(n) for n in REVIEW_NUMBERS) + "</tr></table>"
    )


def read_html(vertical: bool = False) -> Tables:
    """The three HTML tables in a page, read as the parser reads a page."""
    page = (
        '<html><head><meta charset="gbk"></head><body><div class="article">'
        "<p>二、主动公开政府信息情况</p>"
        + html_proactive()
        + "<p>三、收到和处理政府信息公开申请情况</p>"
        + html_applications(vertical)
        + "<p>四、政府信息公开行政复议、行政诉讼情况</p>"
        + html_reviews()
        + "<p>五、存在的主要问题及改进情况</p><p>无。</p></div></body></html>"
    )
    return read_page(page)


def read_page(page: str) -> Tables:
    """The tables of an HTML page, read as the parser reads a page (text, sections, grids)."""
    text, grids = html_to_text(page)
    sections = split_sections(normalise(text))
    normalised = [[[None if c is None else normalise(c) for c in r] for r in g] for g in grids]
    return read_tables(sections, normalised)


def report_text(applications: str, proactive: str, reviews: str) -> str:
    """A township report with the three tables in their sections."""
    return "\n".join(
        [
            "某县某某镇人民政府2023年政府信息公开工作年度报告",
            "一、总体情况",
            "2023年，某某镇人民政府认真贯彻落实《中华人民共和国政府信息公开条例》。",
            "二、主动公开政府信息情况",
            proactive,
            "三、收到和处理政府信息公开申请情况",
            applications,
            "四、政府信息公开行政复议、行政诉讼情况",
            reviews,
            "五、存在的主要问题及改进情况",
            "公开内容不够全面。",
            "六、其他需要报告的事项",
            "本年度未收取信息处理费。",
        ]
    )


def wrong_rows(tables: Tables) -> dict[str, list[int | None]]:
    """The applications rows that differ from ``EXPECTED``, with what was read."""
    return {k: values(tables, k) for k in APPLICATION_ROWS if values(tables, k) != EXPECTED[k]}


RENDERERS = {
    "tabs": tab_rows,
    "one-cell": one_cell_per_line,
    "pipe": pipe_rows,
    "spaced": spaced,
}
