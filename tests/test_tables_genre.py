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
from indexer.parse import parse_text
from indexer.read import html_to_text
from indexer.sections import split_sections
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
    assert (proactive.licensing, proactive.penalties) == (0, 0)
    if render == "spaced" and blank == "":  # "规章 0 0": which column is empty is unknown
        assert proactive.rules.model_dump() == dict.fromkeys(("issued", "repealed", "in_force"))
        assert "row_ambiguous" in codes(tables)
    else:
        assert proactive.rules.model_dump() == {"issued": 0, "repealed": 0, "in_force": None}


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


def test_a_page_number_between_a_label_and_its_numbers() -> None:
    text = (
        "一、本年新收政府信息公开申请数量\n- 3 -\n3 0 0 0 0 0 3\n"
        "四、结转下年度继续办理\n第 4 页\n0 0 0 0 0 0 0"
    )
    tables = read(applications=text)
    assert values(tables, "new") == [3, 0, 0, 0, 0, 0, 3]
    assert values(tables, "carried_forward") == [0] * 7


def test_spaced_row_with_blank_marks_run_together() -> None:
    # Normalising removes the spaces between Chinese characters and digits.
    text = "一、本年新收政府信息公开申请数量 2 无 无 无 无 无 2"
    assert values(read(applications=text), "new") == [2, None, None, None, None, None, 2]


def test_two_numbers_in_one_cell_are_two_cells_not_one_number() -> None:
    text = "规章\t0 1\t2"
    tables = read(proactive=text)
    assert tables.proactive.rules.model_dump() == {"issued": 0, "repealed": 1, "in_force": 2}


# --- table 二 variants --------------------------------------------------------------------

PROACTIVE_2019 = [
    ["第二十条第（一）项"],
    ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
    ["规章", "0", "0", "0"],
    ["规范性文件", "2", "2", "15"],
    ["第二十条第（五）项"],
    ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
    ["行政许可", "12", "+1", "40"],
    ["其他对外管理服务事项", "3", "0", "77"],
    ["第二十条第（六）项"],
    ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
    ["行政强制", "2", "0", "5"],
    ["行政处罚", "4", "-1", "9"],
    ["第二十条第（八）项"],
    ["信息内容", "上一年项目数量", "本年增/减"],
    ["行政事业性收费", "1", "0"],
    ["第二十条第（九）项"],
    ["信息内容", "采购项目数量", "采购总金额"],
    ["政府集中采购", "6", "120.5"],
]


@pytest.mark.parametrize("render", RENDERERS)
def test_2019_table_two(render: str) -> None:
    tables = read(proactive=RENDERERS[render](PROACTIVE_2019))
    proactive = tables.proactive
    assert proactive.rules.model_dump() == {"issued": 0, "repealed": None, "in_force": None}
    assert proactive.normative_documents.issued == 2
    assert (proactive.licensing, proactive.penalties, proactive.coercion) == (40, 9, 5)
    assert proactive.fees is None


@pytest.mark.parametrize("render", RENDERERS)
def test_2021_table_two_with_items_swapped_and_no_rules_row(render: str) -> None:
    rows = [r for r in proactive_rows(lic="7", pen="3", coe="1", fee="0.00") if r[0] != "规章"]
    rows[9], rows[10] = rows[10], rows[9]  # 行政强制 before 行政处罚
    tables = read(proactive=RENDERERS[render](rows))
    proactive = tables.proactive
    assert (proactive.licensing, proactive.penalties, proactive.coercion) == (7, 3, 1)
    assert proactive.fees == 0.0
    assert proactive.rules.model_dump() == {"issued": None, "repealed": None, "in_force": None}
    assert proactive.normative_documents.in_force == 0
    assert any("规章" in p.message for p in tables.problems if p.code == "row_missing")


@pytest.mark.parametrize("render", RENDERERS)
def test_table_two_without_heading_rows(render: str) -> None:
    rows = [r for r in proactive_rows(n1="2", n3="9", lic="7") if r[0] != "信息内容"]
    tables = read(proactive=RENDERERS[render](rows))
    proactive = tables.proactive
    assert proactive.normative_documents.model_dump() == {"issued": 2, "repealed": 0, "in_force": 9}
    assert proactive.licensing == 7


def test_spaced_documents_row_with_a_value_left_out_is_not_guessed() -> None:
    # "规章 1 3" under three columns: which one is blank is unknowable.
    rows = proactive_rows()
    rows[2] = ["规章", "1", "3"]
    tables = read(proactive=spaced(rows))
    assert tables.proactive.rules.model_dump() == dict.fromkeys(("issued", "repealed", "in_force"))
    assert "row_ambiguous" in codes(tables)


# --- table 三 variants --------------------------------------------------------------------


def test_seven_cell_rows_without_labels_for_merged_groups() -> None:
    # Only the innermost label is written; the group cells were dropped with their spans.
    rows = [[c for c in r if c] for r in table_rows(header=False)]
    rows = [[r[-8], *r[-7:]] for r in rows]
    tables = read(applications=tab_rows(rows))
    wrong = {k: values(tables, k) for k in APPLICATION_ROWS if values(tables, k) != EXPECTED[k]}
    assert wrong == {}


@pytest.mark.parametrize("render", RENDERERS)
def test_only_the_total_column_filled(render: str) -> None:
    rows = [
        [*r[:-7], *[""] * 6, r[-1]] if render != "spaced" else [*r[:-7], r[-1]]
        for r in table_rows(header=False)
    ]
    tables = read(applications=RENDERERS[render](rows))
    for key in APPLICATION_ROWS:
        assert values(tables, key) == [None] * 6 + [EXPECTED[key][-1]], key


@pytest.mark.parametrize("render", ["tabs", "one-cell", "pipe"])
def test_natural_person_and_total_only(render: str) -> None:
    rows = [[*r[:-7], r[-7], "", "", "", "", "", r[-7]] for r in table_rows(header=False)]
    tables = read(applications=RENDERERS[render](rows))
    for key in APPLICATION_ROWS:
        number = EXPECTED[key][0]
        assert values(tables, key) == [number, *[None] * 5, number], key
    assert "row_ambiguous" not in codes(tables)


OLD_OTHER = [
    ["(五)不予处理", "5.要求行政机关确认或重新出具已获取信息", "0", "0", "0", "0", "0", "0", "0"],
    ["(六)其他处理", "3", "0", "0", "0", "0", "0", "3"],
    ["(七)总计", "5", "0", "0", "0", "0", "0", "5"],
]


@pytest.mark.parametrize("render", RENDERERS)
def test_old_single_other_row(render: str) -> None:
    tables = read(applications=RENDERERS[render](OLD_OTHER))
    assert values(tables, "other_other") == [3, 0, 0, 0, 0, 0, 3]
    assert values(tables, "other_overdue_correction") == [None] * 7
    assert values(tables, "total_processed") == [5, 0, 0, 0, 0, 0, 5]


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ('3.危及"三安全一稳定"', "withheld_security_stability"),
        ("3.危及'三安全一稳定'", "withheld_security_stability"),
        ("3.危及「三安全一稳定」", "withheld_security_stability"),
        ("3.危及三安全一稳定", "withheld_security_stability"),
        ("2.没有现成信息\n需要另行制作", "unavailable_needs_creation"),
        ("2.没有现成信息 需要另行 制作", "unavailable_needs_creation"),
        ("1.本机关不掌握相关政府信息", "unavailable_not_held"),
        ("2.其他法律、行政法规禁止公开", "withheld_prohibited_by_law"),
        ("5.属于“三类内部事务信息”", "withheld_internal_affairs"),
        ("4.无正当理由大量、反复申请", "rejected_excessive"),
        ("(七)合计", "total_processed"),
        ("四、结转下一年度继续办理", "carried_forward"),
        ("一、本年度新收政府信息公开申请数量", "new"),
        ("二、上一年度结转政府信息公开申请数量", "carried_over"),
        ("1.信访举报投诉类申请", "rejected_complaint"),
    ],
)
def test_label_variants(label: str, key: str) -> None:
    one_cell = "\n\n".join(
        [
            "\t自然人\n\t商业企业\n\t科研机构\n\t社会组织\n\t法律服务机构\n\t其他\n\t总计",
            "\t" + label + "\n" + "\n".join(f"\t{n}" for n in (4, 0, 1, 0, 0, 0, 5)),
        ]
    )
    tabs = label.replace("\n", "") + "\t4\t0\t1\t0\t0\t0\t5"
    for text in (one_cell, tabs):
        assert values(read(applications=text), key) == [4, 0, 1, 0, 0, 0, 5], text


def test_a_row_that_does_not_add_up_is_read_as_written() -> None:
    rows = table_rows()
    rows[3] = [*rows[3][:-1], "99"]  # 本年新收: parts sum to 3, total says 99
    tables = read(applications=tab_rows(rows))
    assert values(tables, "new") == [*EXPECTED["new"][:-1], 99]


# --- table 四 variants --------------------------------------------------------------------

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


@pytest.mark.parametrize("render", RENDERERS)
def test_table_four_one_row_of_fifteen(render: str) -> None:
    tables = read(reviews_lawsuits=RENDERERS[render]([*REVIEW_HEADER, REVIEW_NUMBERS]))
    assert reviews_of(tables) == REVIEWS_EXPECTED


def test_table_four_header_and_numbers_in_separate_blocks() -> None:
    header = "\n".join(f"\t{c}" for r in REVIEW_HEADER for c in r)
    numbers = "\n".join(f"\t{n}" for n in REVIEW_NUMBERS)
    tables = read(reviews_lawsuits=f"{header}\n\n\n{numbers}")
    assert reviews_of(tables) == REVIEWS_EXPECTED


def test_table_four_numbers_with_stray_spaces() -> None:
    numbers = "\t".join(f" {n} " if i % 2 else f"{n}\u3000" for i, n in enumerate(REVIEW_NUMBERS))
    tables = read(reviews_lawsuits=tab_rows(REVIEW_HEADER) + "\n" + numbers)
    assert reviews_of(tables) == REVIEWS_EXPECTED


@pytest.mark.parametrize("render", RENDERERS)
def test_table_four_as_labelled_rows(render: str) -> None:
    rows = [
        ["", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"],
        ["行政复议", *REVIEW_NUMBERS[:5]],
        ["行政诉讼", "未经复议直接起诉", *REVIEW_NUMBERS[5:10]],
        ["", "复议后起诉", *REVIEW_NUMBERS[10:]],
    ]
    tables = read(reviews_lawsuits=RENDERERS[render](rows))
    assert reviews_of(tables) == REVIEWS_EXPECTED


def test_table_four_blank_trailing_cells_in_place_stay_null() -> None:
    numbers = "\t".join(REVIEW_NUMBERS[:10] + [""] * 5)
    tables = read(reviews_lawsuits=tab_rows(REVIEW_HEADER) + "\n" + numbers)
    assert reviews_of(tables) == [*REVIEWS_EXPECTED[:2], [None] * 5]


@pytest.mark.parametrize("count", [5, 10, 14])
def test_table_four_with_fewer_numbers_is_not_shifted(count: int) -> None:
    numbers = " ".join(REVIEW_NUMBERS[:count])
    tables = read(reviews_lawsuits=tab_rows(REVIEW_HEADER) + "\n" + numbers)
    assert reviews_of(tables) == [[None] * 5] * 3
    assert sorted(codes(tables)) == ["row_ambiguous", "table_missing", "table_missing"]


# --- HTML tables with rowspan / colspan, through the HTML reader ---------------------------


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
    text, grids = html_to_text(page)
    sections = split_sections(normalise(text))
    normalised = [[[None if c is None else normalise(c) for c in r] for r in g] for g in grids]
    return read_tables(sections, normalised)


@pytest.mark.parametrize("vertical", [False, True], ids=["merged-cell", "vertical-merged-cell"])
def test_html_tables_with_spans(vertical: bool) -> None:
    tables = read_html(vertical)
    wrong = {k: values(tables, k) for k in APPLICATION_ROWS if values(tables, k) != EXPECTED[k]}
    assert wrong == {}
    proactive = tables.proactive
    assert proactive.rules.model_dump() == {"issued": 1, "repealed": 0, "in_force": 0}
    assert proactive.normative_documents.in_force == 12
    assert (proactive.licensing, proactive.penalties, proactive.coercion) == (94, 19, None)
    assert proactive.fees == 0.0
    assert reviews_of(tables) == REVIEWS_EXPECTED
    assert tables.problems == []


# --- text copied out of PDFs ---------------------------------------------------------------


def test_one_cell_per_line_without_blank_lines_between_rows() -> None:
    text = "\n".join(f"\t{c}" for r in table_rows() for c in r)
    tables = read(applications=text)
    wrong = {k: values(tables, k) for k in APPLICATION_ROWS if values(tables, k) != EXPECTED[k]}
    assert wrong == {}


def test_every_cell_on_its_own_line_without_tabs() -> None:
    text = "\n".join(c for r in table_rows() for c in r if c)
    tables = read(applications=text)
    wrong = {k: values(tables, k) for k in APPLICATION_ROWS if values(tables, k) != EXPECTED[k]}
    assert wrong == {}


def test_every_cell_on_its_own_line_with_cells_missing_is_not_guessed() -> None:
    # Blank cells leave no line: "2" then "2" under a label cannot be placed in seven columns.
    text = "一、本年新收政府信息公开申请数量\n2\n2\n二、上年结转政府信息公开申请数量\n0"
    tables = read(applications=text)
    assert values(tables, "new") == [None] * 7
    assert values(tables, "carried_over") == [None] * 6 + [0]
    assert "row_ambiguous" in codes(tables)


@pytest.mark.parametrize(
    ("cell", "expected"), [("94（件）", 94), ("12起", 12), ("3宗", 3), ("5(项)", 5)]
)
def test_more_units(cell: str, expected: int) -> None:
    tables = read(proactive=tab_rows(proactive_rows(pen=cell)))
    assert tables.proactive.penalties == expected


@pytest.mark.parametrize(("cell", "expected"), [("1.5万", 1.5), ("0.00（万元）", 0.0)])
def test_more_fee_units(cell: str, expected: float) -> None:
    tables = read(proactive=tab_rows(proactive_rows(fee=cell)))
    assert tables.proactive.fees == expected


def test_fees_in_yuan_are_not_taken_as_wan_yuan() -> None:
    tables = read(proactive=tab_rows(proactive_rows(fee="1500元")))
    assert tables.proactive.fees is None


# --- whole reports: the tables among the sections ------------------------------------------


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


@pytest.mark.parametrize(
    "render",
    [
        pytest.param(tab_rows, id="tabs"),
        pytest.param(one_cell_per_line, id="one-cell"),
        pytest.param(spaced, id="spaced"),
        pytest.param(
            lambda rows: with_page_break(rows, 12, tab_rows, ["", "- 5 -", ""]), id="page-break"
        ),
    ],
)
def test_tables_inside_a_whole_report(render) -> None:
    rows = table_rows()
    rows[3] = [*rows[3][:-1], "99"]  # 本年新收 does not add up: read as written, then checked
    text = report_text(
        render(rows), render(proactive_rows(lic="94")), render([*REVIEW_HEADER, REVIEW_NUMBERS])
    )
    report = parse_text(text)
    assert report.applications["new"].total == 99
    for key in APPLICATION_ROWS[1:]:
        assert list(report.applications[key].model_dump().values()) == EXPECTED[key], key
    assert report.proactive.licensing == 94
    assert report.reviews.total == 4
    assert report.lawsuits_after_review.total == 3
    checks = [check.code for check in report.checks]
    assert "applications.row_sum" in checks
    assert not [c for c in checks if c.startswith(("missing.", "row_", "column_"))]


def test_html_table_split_in_two_at_a_page_break() -> None:
    # A Word page break inside the table: the site serves two tables, the second without
    # the header and with few of the first half's labels.
    whole = html_applications()
    rows = whole.split("<tr>")
    first = "<tr>".join(rows[:20]) + "</tbody></table>"
    second = '<table border="1"><tbody><tr>' + "<tr>".join(rows[20:])
    page = f"<p>三、收到和处理政府信息公开申请情况</p>{first}<p>- 7 -</p>{second}"
    text, grids = html_to_text(page)
    sections = split_sections(normalise(text))
    normalised = [[[None if c is None else normalise(c) for c in r] for r in g] for g in grids]
    tables = read_tables(sections, normalised)
    wrong = {k: values(tables, k) for k in APPLICATION_ROWS if values(tables, k) != EXPECTED[k]}
    assert wrong == {}


# --- table 二: cells that stray from their headings -----------------------------------------


def test_table_two_value_under_a_spanned_label_cell() -> None:
    # The item label spans two columns; the tab copy keeps an empty cell after it.
    text = (
        "信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t\t1\t0\t5\n"
        "信息内容\t本年处理决定数量\t\t\n行政许可\t\t94\t\n"
    )
    tables = read(proactive=text)
    assert tables.proactive.rules.model_dump() == {"issued": 1, "repealed": 0, "in_force": 5}
    assert tables.proactive.licensing == 94


def test_table_two_blank_first_cell_keeps_its_place() -> None:
    text = "信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t\t0\t5"
    tables = read(proactive=text)
    assert tables.proactive.rules.model_dump() == {"issued": None, "repealed": 0, "in_force": 5}


@pytest.mark.parametrize(
    ("heading", "cell", "expected"),
    [
        ("本年收费金额（单位：万元）", "1.5", 1.5),
        ("本年收费金额（单位：元）", "15000", 1.5),
        ("本年收费金额（元）", "0", 0.0),
        ("本年收费金额（单位：千元）", "25", 2.5),
    ],
)
def test_fee_heading_units(heading: str, cell: str, expected: float) -> None:
    text = f"信息内容\t{heading}\n行政事业性收费\t{cell}"
    assert read(proactive=text).proactive.fees == expected


def test_label_run_into_its_first_number_in_a_tab_row() -> None:
    text = "一、本年新收政府信息公开申请数量3\t0\t0\t0\t0\t0\t3\n规章0\t0\t2"
    tables = read(applications=text, proactive=text)
    assert values(tables, "new") == [3, 0, 0, 0, 0, 0, 3]
    assert tables.proactive.rules.model_dump() == {"issued": 0, "repealed": 0, "in_force": 2}


def cell_per_line(rows: list[list[str]]) -> str:
    """Every non-empty cell on its own line, no tabs (a PDF copy)."""
    return "\n".join(c for r in rows for c in r if c)


@pytest.mark.parametrize("render", [label_then_numbers, cell_per_line])
def test_table_two_with_numbers_under_their_labels(render) -> None:
    rows = proactive_rows(r1="1", r3="5", n1="3", n2="1", n3="12", lic="94", pen="19", coe="2")
    tables = read(proactive=render(rows))
    proactive = tables.proactive
    assert proactive.rules.model_dump() == {"issued": 1, "repealed": 0, "in_force": 5}
    assert proactive.normative_documents.model_dump() == {
        "issued": 3,
        "repealed": 1,
        "in_force": 12,
    }
    assert (proactive.licensing, proactive.penalties, proactive.coercion) == (94, 19, 2)


@pytest.mark.parametrize("render", [label_then_numbers, cell_per_line])
def test_table_four_with_numbers_under_their_labels(render) -> None:
    tables = read(reviews_lawsuits=render([*REVIEW_HEADER, REVIEW_NUMBERS]))
    assert reviews_of(tables) == REVIEWS_EXPECTED


def test_every_row_ending_in_a_tab_keeps_its_blank_cells_in_place() -> None:
    text = (
        "一、本年新收政府信息公开申请数量\t2\t1\t0\t0\t1\t0\t\t\n"
        "二、上年结转政府信息公开申请数量\t\t1\t0\t0\t0\t0\t1\t\n"
        "(七)总计\t3\t1\t0\t0\t1\t0\t5\t"
    )
    tables = read(applications=text)
    assert values(tables, "new") == [2, 1, 0, 0, 1, 0, None]
    assert values(tables, "carried_over") == [None, 1, 0, 0, 0, 0, 1]
    assert values(tables, "total_processed") == [3, 1, 0, 0, 1, 0, 5]


def test_ragged_rows_with_a_value_missing_are_not_guessed() -> None:
    text = (
        "一、本年新收政府信息公开申请数量\t2\t1\t0\t0\t1\t0\t\n"
        "二、上年结转政府信息公开申请数量\t\t\t1\t0\t0\t0\t0\t1\n"
        "(七)总计\t3\t1\t0\t0\t1\t0\t5\t"
    )
    tables = read(applications=text)
    assert values(tables, "new") == [None] * 7
    assert values(tables, "carried_over") == [None] * 7
    assert values(tables, "total_processed") == [3, 1, 0, 0, 1, 0, 5]
    assert codes(tables).count("row_ambiguous") == 2


def bars(rows: list[list[str]], bar: str = "|", outer: bool = True) -> str:
    """Rows drawn with bars, with or without the outer ones."""
    lines = [f" {bar} ".join(r) for r in rows]
    return "\n".join(f"{bar}{line}{bar}" if outer else line for line in lines)


def box_drawn(rows: list[list[str]]) -> str:
    """A table drawn with box characters, a ruled line between rows."""
    rule = "├" + "┼".join("──" for _ in range(8)) + "┤"
    return "\n".join(line for r in rows for line in (rule, "│" + "│".join(r) + "│"))


@pytest.mark.parametrize(
    "render",
    [
        pytest.param(lambda rows: bars(rows, outer=False), id="pipes-without-outer"),
        pytest.param(lambda rows: bars(rows, "│"), id="box-bars"),
        pytest.param(lambda rows: bars(rows, "｜"), id="full-width-bars"),
        pytest.param(box_drawn, id="box-drawn"),
    ],
)
def test_rows_drawn_with_bars(render) -> None:
    tables = read(applications=render(table_rows()), proactive=render(proactive_rows(lic="94")))
    wrong = {k: values(tables, k) for k in APPLICATION_ROWS if values(tables, k) != EXPECTED[k]}
    assert wrong == {}
    assert tables.proactive.licensing == 94
    assert tables.proactive.normative_documents.in_force == 0


@pytest.mark.parametrize("render", ["tabs", "one-cell", "pipe"])
def test_zero_written_as_a_word(render: str) -> None:
    tables = read(proactive=RENDERERS[render](proactive_rows(lic="零", pen="〇", coe="无")))
    assert (tables.proactive.licensing, tables.proactive.penalties) == (0, 0)
    assert tables.proactive.coercion is None


@pytest.mark.parametrize(
    ("issued", "in_force", "decisions"),
    [
        ("本年新制发件数", "现行有效件数", "本年度处理决定数量"),
        ("本年制发数量", "现行有效数量", "处理决定件数"),
        ("制发件数", "现行有效文件数", "本年作出决定数量"),
    ],
)
def test_heading_wording_variants(issued: str, in_force: str, decisions: str) -> None:
    text = (
        f"信息内容\t{issued}\t本年废止件数\t{in_force}\n规范性文件\t2\t1\t7\n"
        f"信息内容\t{decisions}\n行政许可\t94"
    )
    tables = read(proactive=text)
    assert tables.proactive.normative_documents.model_dump() == {
        "issued": 2,
        "repealed": 1,
        "in_force": 7,
    }
    assert tables.proactive.licensing == 94


@pytest.mark.parametrize("label", ["规章（件）", "规章数", "政府规章"])
def test_rules_row_label_variants(label: str) -> None:
    text = f"信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n{label}\t1\t0\t5"
    assert read(proactive=text).proactive.rules.model_dump() == {
        "issued": 1,
        "repealed": 0,
        "in_force": 5,
    }


def test_table_four_with_lawsuits_before_reviews() -> None:
    header = [
        ["行政诉讼", "行政复议"],
        ["复议后起诉", "未经复议直接起诉", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"],
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2,
    ]
    # after review, then direct, then reviews
    numbers = REVIEW_NUMBERS[10:] + REVIEW_NUMBERS[5:10] + REVIEW_NUMBERS[:5]
    tables = read(reviews_lawsuits=tab_rows([*header, numbers]))
    assert reviews_of(tables) == REVIEWS_EXPECTED


def test_table_four_labelled_rows_in_another_order() -> None:
    text = (
        "\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\n"
        "行政诉讼（复议后起诉）\t2\t0\t0\t1\t3\n"
        "行政诉讼（未经复议直接起诉）\t0\t1\t0\t0\t1\n"
        "行政复议\t1\t2\t0\t1\t4"
    )
    assert reviews_of(read(reviews_lawsuits=text)) == REVIEWS_EXPECTED


def test_a_sentence_naming_lawsuits_before_the_table_does_not_reorder_it() -> None:
    text = "2023年，我镇未发生因政府信息公开引起的行政诉讼案件。\n" + tab_rows(
        [*REVIEW_HEADER, REVIEW_NUMBERS]
    )
    assert reviews_of(read(reviews_lawsuits=text)) == REVIEWS_EXPECTED
