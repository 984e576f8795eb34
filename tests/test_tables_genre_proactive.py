"""Table 二 (第二十条) across the genre.

Blank marks, units and amounts, fee headings in other units, the 2019 and 2021 forms,
heading wordings, items missing or swapped, headings and items in every shape.
"""

from __future__ import annotations

import pytest

from tests.table_shapes import (
    BLANKS,
    RENDERERS,
    Render,
    cell_per_line,
    codes,
    label_then_numbers,
    proactive_rows,
    read,
    spaced,
    tab_rows,
)


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


def test_two_numbers_in_one_cell_are_two_cells_not_one_number() -> None:
    text = "规章\t0 1\t2"
    tables = read(proactive=text)
    assert tables.proactive.rules.model_dump() == {"issued": 0, "repealed": 1, "in_force": 2}


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


@pytest.mark.parametrize("render", [label_then_numbers, cell_per_line])
def test_table_two_with_numbers_under_their_labels(render: Render) -> None:
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


def test_item_labels_wrapped_onto_the_line_of_their_numbers() -> None:
    text = (
        "信息内容 本年制发件数 本年废止件数 现行有效件数\n行政规范性\n文件 3 1 12\n"
        "信息内容 本年收费金额(单位:万元)\n行政事业性\n收费 0.5"
    )
    tables = read(proactive=text)
    assert tables.proactive.normative_documents.model_dump() == {
        "issued": 3,
        "repealed": 1,
        "in_force": 12,
    }
    assert tables.proactive.fees == 0.5


@pytest.mark.parametrize("render", ["tabs", "one-cell", "pipe"])
def test_a_serial_number_column_is_not_a_value(render: str) -> None:
    rows = [
        ["序号", "信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
        ["1", "规章", "2", "3", "40"],
        ["2", "规范性文件", "4", "4", "60"],
    ]
    tables = read(proactive=RENDERERS[render](rows))
    assert tables.proactive.rules.model_dump() == {"issued": 2, "repealed": None, "in_force": None}
    assert tables.proactive.normative_documents.issued == 4


@pytest.mark.parametrize("first", ["项目", "类别", "信息内容", "内容"])
def test_the_label_column_heading_is_not_a_value_column(first: str) -> None:
    text = f"{first}\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t1\t0\t5"
    assert read(proactive=text).proactive.rules.model_dump() == {
        "issued": 1,
        "repealed": 0,
        "in_force": 5,
    }


def test_a_dash_run_into_its_label_is_a_blank_cell() -> None:
    tables = read(proactive="信息内容 本年处理决定数量\n行政处罚 0\n行政强制——")
    assert (tables.proactive.penalties, tables.proactive.coercion) == (0, None)
    assert "column_missing" not in codes(tables)


@pytest.mark.parametrize("form", ["2021", "2019"])
def test_each_block_run_onto_one_line(form: str) -> None:
    rows = proactive_rows(r1="1", r3="5", n1="3", n2="1", n3="12", lic="22", pen="4", fee="0.5")
    rows = PROACTIVE_2019[:8] if form == "2019" else rows
    blocks, line = [], []
    for row in rows:
        if row[0].startswith("第二十条") and line:
            blocks.append(" ".join(line))
            line = []
        line.extend(c for c in row if c)
    text = "\n".join([*blocks, " ".join(line)])
    proactive = read(proactive=text).proactive
    if form == "2019":  # its own headings, not the 2021 columns
        assert proactive.rules.model_dump() == {"issued": 0, "repealed": None, "in_force": None}
        assert (proactive.normative_documents.issued, proactive.licensing) == (2, 40)
        return
    assert proactive.rules.model_dump() == {"issued": 1, "repealed": 0, "in_force": 5}
    assert proactive.normative_documents.in_force == 12
    assert (proactive.licensing, proactive.penalties, proactive.coercion) == (22, 4, 0)
    assert proactive.fees == 0.5
