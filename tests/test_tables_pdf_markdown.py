"""Tables converted from PDF to Markdown: wrapped labels and headings, fewer columns.

A converter makes every printed line of a cell a pipe-table row of its own: a row label
wrapped by the column width leaves rows holding only the rest of the label (the numbers on
its first, middle or last line), and a heading wrapped in its cell ("本年制发" / "件数")
becomes two header rows. Columns are mapped by their heading words, never by position, and a
column the table does not have stays null. The reports are invented (石湾镇, 青柳县).
"""

from __future__ import annotations

import pytest

from indexer.models import APPLICATION_ROWS
from indexer.parsing.normalise import normalise
from indexer.parsing.read_markdown import markdown_to_text
from indexer.parsing.sections import split_sections
from indexer.parsing.tables import Tables, read_tables
from tests.table_shapes import EXPECTED, FORM_2021, codes, reviews_of, table_rows, values

Rows = list[list[str]]


def pipe(rows: Rows) -> str:
    """A Markdown pipe table as a converter writes it: first row the header, rows padded."""
    width = max(map(len, rows))
    lines = ["| " + " | ".join(r + [""] * (width - len(r))) + " |" for r in rows]
    return "\n".join([lines[0], "|" + " --- |" * width, *lines[1:]])


def read_md(proactive: str = "", applications: str = "", reviews: str = "") -> Tables:
    """The tables of an invented Markdown report, read as the parser reads a .md file."""
    text = "\n\n".join(
        [
            "# 青柳县石湾镇人民政府2023年政府信息公开工作年度报告",
            "## 一、总体情况",
            "2023年，石湾镇人民政府认真落实《中华人民共和国政府信息公开条例》。",
            "## 二、主动公开政府信息情况",
            proactive,
            "## 三、收到和处理政府信息公开申请情况",
            applications,
            "## 四、政府信息公开行政复议、行政诉讼情况",
            reviews,
            "## 五、存在的主要问题及改进情况",
            "公开内容不够全面。",
        ]
    )
    text, grids = markdown_to_text(text)
    normalised = [[[None if c is None else normalise(c) for c in r] for r in g] for g in grids]
    return read_tables(split_sections(normalise(text)), normalised)


def wrapped(rows: Rows, width: int, where: str) -> Rows:
    """Applications rows with every label cell cut into lines of ``width`` characters.

    Each line is a row; the seven numbers stand on the label's first, middle or last line.
    """
    out: Rows = []
    for row in rows:
        if not row[-1].isdigit():  # a header row
            out.append(row)
            continue
        labels, numbers = row[:-7], row[-7:]
        lines = [[c[i : i + width] for i in range(0, max(len(c), 1), width)] for c in labels]
        count = max(map(len, lines))
        at = {"first": 0, "middle": (count - 1) // 2, "last": count - 1}[where]
        for n in range(count):
            cells = [parts[n] if n < len(parts) else "" for parts in lines]
            out.append(cells + (numbers if n == at else [""] * 7))
    return out


def wrong_rows(tables: Tables) -> dict[str, list[int | None]]:
    """The applications rows that differ from ``EXPECTED``, with what was read."""
    return {k: values(tables, k) for k in APPLICATION_ROWS if values(tables, k) != EXPECTED[k]}


@pytest.mark.parametrize("where", ["first", "middle", "last"])
@pytest.mark.parametrize("width", [6, 8, 10, 12, 16])
def test_applications_with_labels_wrapped_into_rows_of_their_own(width: int, where: str) -> None:
    tables = read_md(applications=pipe(wrapped(table_rows(), width, where)))
    assert wrong_rows(tables) == {}


def test_a_label_wrapped_below_its_numbers_is_joined_to_the_row_above() -> None:
    rows = table_rows()
    at = next(i for i, r in enumerate(rows) if "仍不明确" in "".join(r))
    rows[at : at + 1] = [["", "", "3.补正后申请内容", *rows[at][3:]], ["", "", "仍不明确"]]
    tables = read_md(applications=pipe(rows))
    assert wrong_rows(tables) == {}


def test_a_label_wrapped_above_its_numbers_is_joined_to_the_row_below() -> None:
    rows = table_rows()
    at = next(i for i, r in enumerate(rows) if "上年结转" in "".join(r))
    rows[at : at + 1] = [["二、上年结转政府"], ["信息公开申请数量", *rows[at][1:]]]
    tables = read_md(applications=pipe(rows))
    assert wrong_rows(tables) == {}


def test_applications_header_words_over_two_rows() -> None:
    # Only 自然人, 商业企业 and 总计, each heading wrapped: the columns come from the words.
    rows = [
        ["", "", "", "申请人情况", "", ""],
        ["", "", "", "自然", "商业", "总"],
        ["", "", "", "人", "企业", "计"],
    ]
    for first, second, label, key in FORM_2021:
        rows.append([first, second, label, *(str(n) for n in EXPECTED[key][:2]), "41"])
    tables = read_md(applications=pipe(rows))
    assert values(tables, "granted") == [EXPECTED["granted"][0], EXPECTED["granted"][1]] + [
        None
    ] * 4 + [41]
    assert "row_ambiguous" not in codes(tables)


PROACTIVE_WRAPPED = [
    ["第二十条第（一）项", "", "", ""],
    ["信息内容", "本年制发", "本年废止", "现行有效"],
    ["", "件数", "件数", "件数"],
    ["规章", "1", "2", "3"],
    ["行政规范", "4", "5", "16"],
    ["性文件", "", "", ""],
    ["第二十条第（五）项", "", "", ""],
    ["信息内容", "本年处理", "", ""],
    ["", "决定数量", "", ""],
    ["行政许可", "27", "", ""],
    ["第二十条第（六）项", "", "", ""],
    ["信息内容", "本年处理决定数量", "", ""],
    ["行政处罚", "38", "", ""],
    ["行政强制", "9", "", ""],
    ["第二十条第（八）项", "", "", ""],
    ["信息内容", "本年收费金额", "", ""],
    ["", "（单位：万元）", "", ""],
    ["行政事业性", "1.25", "", ""],
    ["收费", "", "", ""],
]


def test_proactive_with_wrapped_headings_and_item_labels() -> None:
    proactive = read_md(proactive=pipe(PROACTIVE_WRAPPED)).proactive
    assert proactive.rules.model_dump() == {"issued": 1, "repealed": 2, "in_force": 3}
    assert proactive.normative_documents.model_dump() == {
        "issued": 4,
        "repealed": 5,
        "in_force": 16,
    }
    assert (proactive.licensing, proactive.penalties, proactive.coercion) == (27, 38, 9)
    assert proactive.fees == 1.25


def test_proactive_with_fewer_columns_maps_them_by_heading() -> None:
    # No 本年废止件数 column, and 现行有效件数 before 本年制发件数: repealed stays null.
    rows = [
        ["第二十条第（一）项", "", ""],
        ["信息内容", "现行有效", "本年制发"],
        ["", "件数", "件数"],
        ["规章", "7", "2"],
        ["行政规范性文件", "13", "6"],
    ]
    tables = read_md(proactive=pipe(rows))
    assert tables.proactive.rules.model_dump() == {"issued": 2, "repealed": None, "in_force": 7}
    assert tables.proactive.normative_documents.model_dump() == {
        "issued": 6,
        "repealed": None,
        "in_force": 13,
    }
    assert "column_missing" in codes(tables)


def test_a_blank_row_does_not_take_the_numbers_of_an_unknown_row_below() -> None:
    # 2019 form: 行政许可 left blank, then 其他对外管理服务事项 (not kept) with numbers.
    rows = [
        ["第二十条第（五）项", "", "", ""],
        ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
        ["行政许可", "", "", ""],
        ["其他对外管理服务事项", "2", "1", "5"],
        ["第二十条第（六）项", "", "", ""],
        ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
        ["行政处罚", "3", "4", "7"],
    ]
    proactive = read_md(proactive=pipe(rows)).proactive
    assert (proactive.licensing, proactive.penalties) == (None, 7)


def test_reviews_with_outcome_headings_over_two_rows() -> None:
    rows = [
        ["行政复议", "", "", "", "", "行政诉讼"],
        [
            "尚未",
            "结果维持",
            "结果纠正",
            "其他结果",
            "总计",
            "未经复议直接起诉",
            *[""] * 4,
            "复议后起诉",
        ],
        ["审结", *[""] * 4, *["尚未", "结果维持", "结果纠正", "其他结果", "总计"] * 2],
        [*[""] * 5, "审结", *[""] * 4, "审结"],
        ["7", "3", "5", "2", "17", "8", "4", "6", "1", "19", "1", "9", "2", "5", "17"],
    ]
    tables = read_md(reviews=pipe(rows))
    assert reviews_of(tables) == [[3, 5, 2, 7, 17], [4, 6, 1, 8, 19], [9, 2, 5, 1, 17]]
