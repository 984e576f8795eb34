"""The table reader across the genre: the same tables in the shapes real reports take.

Each table is written once as data and rendered in the flattenings found in published
reports (tab rows, one cell per line, pipe tables, space-separated cells, labels and numbers
on separate lines, a merged first column placed anywhere, page breaks inside a table). Every
rendering is normalised as the parser does and must give the same numbers.
"""

from __future__ import annotations

import pytest

from indexer.document import Section
from indexer.models import APPLICATION_ROWS
from indexer.normalise import normalise
from indexer.tables import Tables, read_tables


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


# --- table 三, 2021 national format --------------------------------------------------------

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


SHAPES = {
    "tab-rows": lambda: tab_rows(table_rows()),
    "tab-rows-html-text": lambda: tab_rows_dropped(table_rows()),
    "one-cell-per-line": lambda: one_cell_per_line(table_rows()),
    "pipe-table": lambda: pipe_rows(table_rows()),
    "space-separated": lambda: spaced(table_rows()),
    "several-spaces": lambda: spaced(table_rows(), "    "),
    "label-then-numbers": lambda: label_then_numbers(table_rows()),
    "merged-middle-tabs": lambda: tab_rows(table_rows("middle")),
    "merged-middle-one-cell": lambda: one_cell_per_line(table_rows("middle")),
    "merged-split-tabs": lambda: tab_rows(table_rows("split")),
    "merged-one-char-per-row-tabs": lambda: tab_rows(table_rows("one-char-per-row")),
    "merged-one-char-per-row-one-cell": lambda: one_cell_per_line(table_rows("one-char-per-row")),
    "merged-one-char-per-row-spaced": lambda: spaced(table_rows("one-char-per-row")),
    "page-break-dash-number-tabs": lambda: with_page_break(table_rows(), 9, tab_rows, ["- 3 -"]),
    "page-break-di-ye-one-cell": lambda: with_page_break(
        table_rows(), 14, one_cell_per_line, ["第 3 页 共 6 页"]
    ),
    "page-break-pipe": lambda: with_page_break(table_rows(), 5, pipe_rows, ["— 4 —"]),
    "page-break-spaced": lambda: with_page_break(table_rows(), 20, spaced, ["-3-"]),
}


@pytest.mark.parametrize("shape", SHAPES)
def test_2021_applications_table_in_every_flattening(shape: str) -> None:
    tables = read(applications=SHAPES[shape]())
    wrong = {k: values(tables, k) for k in APPLICATION_ROWS if values(tables, k) != EXPECTED[k]}
    assert wrong == {}
    assert codes(tables) == ["table_missing"] * 2


def test_merged_column_spread_one_char_per_line_of_text() -> None:
    # A PDF copy: the vertical merged cell comes out as lines of one character between rows.
    rows = table_rows(header=False)
    lines = []
    for i, r in enumerate(rows):
        if 2 <= i < 11:
            lines.append("三、本年度办理结果"[i - 2])
        lines.append("\t".join(c for c in r if c))
    tables = read(applications="\n".join(lines))
    wrong = {k: values(tables, k) for k in APPLICATION_ROWS if values(tables, k) != EXPECTED[k]}
    assert wrong == {}


# --- blanks, units, digits ----------------------------------------------------------------

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


RENDERERS = {
    "tabs": tab_rows,
    "one-cell": one_cell_per_line,
    "pipe": pipe_rows,
    "spaced": spaced,
}


@pytest.mark.parametrize("blank", BLANKS)
@pytest.mark.parametrize("render", RENDERERS)
def test_blank_marks_in_table_two_are_null(blank: str, render: str) -> None:
    rows = proactive_rows(coe=blank, r3=blank, fee=blank)
    tables = read(proactive=RENDERERS[render](rows))
    proactive = tables.proactive
    assert proactive.coercion is None
    assert proactive.fees is None
    assert proactive.rules.model_dump() == {"issued": 0, "repealed": 0, "in_force": None}
    assert (proactive.licensing, proactive.penalties) == (0, 0)


@pytest.mark.parametrize("blank", BLANKS)
@pytest.mark.parametrize("render", RENDERERS)
def test_blank_marks_in_table_three_are_null(blank: str, render: str) -> None:
    rows = [
        ["一、本年新收政府信息公开申请数量", "2", blank, blank, blank, blank, blank, "2"],
        ["二、上年结转政府信息公开申请数量", blank, blank, blank, blank, blank, blank, "0"],
        ["三、本年度办理结果", "(一)予以公开", "1", "0", blank, "0", "0", "0", "1"],
    ]
    tables = read(applications=RENDERERS[render](rows))
    assert values(tables, "carried_over") == [None] * 6 + [0]
    if render == "spaced" and blank == "":
        # Empty cells leave no trace between spaces: "2 2" and "1 0 0 0 0 1" cannot be
        # placed in seven columns, so they are not read, and a problem says so.
        assert values(tables, "new") == [None] * 7
        assert values(tables, "granted") == [None] * 7
        assert codes(tables).count("row_ambiguous") == 2
        return
    assert values(tables, "new") == [2, None, None, None, None, None, 2]
    assert values(tables, "granted") == [1, 0, None, 0, 0, 0, 1]
    assert "row_ambiguous" not in codes(tables)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("0.00", 0.0),
        ("1.5", 1.5),
        ("0万元", 0.0),
        ("1.25万元", 1.25),
        ("０．５", 0.5),
        ("12,345.6", 12345.6),
    ],
)
@pytest.mark.parametrize("render", RENDERERS)
def test_fee_amounts(cell: str, expected: float, render: str) -> None:
    tables = read(proactive=RENDERERS[render](proactive_rows(fee=cell)))
    assert tables.proactive.fees == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("3件", 3), ("12条", 12), ("１２", 12), ("1,234", 1234), (" 7 ", 7), ("94项", 94)],
)
@pytest.mark.parametrize("render", RENDERERS)
def test_counts_with_units_full_width_digits_and_separators(
    cell: str, expected: int, render: str
) -> None:
    tables = read(proactive=RENDERERS[render](proactive_rows(lic=cell, n3=cell)))
    assert tables.proactive.licensing == expected
    assert tables.proactive.normative_documents.in_force == expected
    assert isinstance(tables.proactive.licensing, int)
