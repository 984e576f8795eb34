"""The applications table (三) in the shapes real reports take.

Every flattening, blank marks, label variants, merged columns placed anywhere, page breaks,
copies out of PDFs, rows drawn with bars; a count of values that fits no reading of the
columns is left unread with a problem, never shifted.
"""

from __future__ import annotations

import pytest

from indexer.models import APPLICATION_ROWS
from tests.table_shapes import (
    BLANKS,
    EXPECTED,
    RENDERERS,
    Render,
    bars,
    box_drawn,
    codes,
    label_then_numbers,
    one_cell_per_line,
    pipe_rows,
    proactive_rows,
    read,
    spaced,
    tab_rows,
    tab_rows_dropped,
    table_rows,
    values,
    with_page_break,
    wrong_rows,
)

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
    assert wrong_rows(tables) == {}
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
    assert wrong_rows(tables) == {}


@pytest.mark.parametrize("blank", BLANKS)
@pytest.mark.parametrize("render", RENDERERS)
def test_blank_marks_in_table_three_are_null(blank: str, render: str) -> None:
    rows = [
        ["一、本年新收政府信息公开申请数量", "2", blank, blank, blank, blank, blank, "2"],
        ["二、上年结转政府信息公开申请数量", blank, blank, blank, blank, blank, blank, "0"],
        ["三、本年度办理结果", "(一)予以公开", "1", "0", blank, "0", "0", "0", "1"],
    ]
    tables = read(applications=RENDERERS[render](rows))
    if render == "spaced" and blank == "":
        # Empty cells leave no trace between spaces: "2 2", "1 0 0 0 0 1" and a lone "0"
        # among fuller rows cannot be placed in seven columns, so they are not read, and a
        # problem says so.
        assert values(tables, "new") == [None] * 7
        assert values(tables, "granted") == [None] * 7
        assert values(tables, "carried_over") == [None] * 7
        assert codes(tables).count("row_ambiguous") == 3
        return
    assert values(tables, "carried_over") == [None] * 6 + [0]
    assert values(tables, "new") == [2, None, None, None, None, None, 2]
    assert values(tables, "granted") == [1, 0, None, 0, 0, 0, 1]
    assert "row_ambiguous" not in codes(tables)


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


def test_seven_cell_rows_without_labels_for_merged_groups() -> None:
    # Only the innermost label is written; the group cells were dropped with their spans.
    rows = [[c for c in r if c] for r in table_rows(header=False)]
    rows = [[r[-8], *r[-7:]] for r in rows]
    tables = read(applications=tab_rows(rows))
    assert wrong_rows(tables) == {}


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


def test_one_cell_per_line_without_blank_lines_between_rows() -> None:
    text = "\n".join(f"\t{c}" for r in table_rows() for c in r)
    tables = read(applications=text)
    assert wrong_rows(tables) == {}


def test_every_cell_on_its_own_line_without_tabs() -> None:
    text = "\n".join(c for r in table_rows() for c in r if c)
    tables = read(applications=text)
    assert wrong_rows(tables) == {}


def test_every_cell_on_its_own_line_with_cells_missing_is_not_guessed() -> None:
    # Blank cells leave no line: "2" then "2" under a label cannot be placed in seven columns.
    text = "一、本年新收政府信息公开申请数量\n2\n2\n二、上年结转政府信息公开申请数量\n0"
    tables = read(applications=text)
    assert values(tables, "new") == [None] * 7
    assert values(tables, "carried_over") == [None] * 7  # a lone 0 among fuller rows
    assert "row_ambiguous" in codes(tables)


def test_label_run_into_its_first_number_in_a_tab_row() -> None:
    text = "一、本年新收政府信息公开申请数量3\t0\t0\t0\t0\t0\t3\n规章0\t0\t2"
    tables = read(applications=text, proactive=text)
    assert values(tables, "new") == [3, 0, 0, 0, 0, 0, 3]
    assert tables.proactive.rules.model_dump() == {"issued": 0, "repealed": 0, "in_force": 2}


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


@pytest.mark.parametrize(
    "render",
    [
        pytest.param(lambda rows: bars(rows, outer=False), id="pipes-without-outer"),
        pytest.param(lambda rows: bars(rows, "│"), id="box-bars"),
        pytest.param(lambda rows: bars(rows, "｜"), id="full-width-bars"),
        pytest.param(box_drawn, id="box-drawn"),
    ],
)
def test_rows_drawn_with_bars(render: Render) -> None:
    tables = read(applications=render(table_rows()), proactive=render(proactive_rows(lic="94")))
    assert wrong_rows(tables) == {}
    assert tables.proactive.licensing == 94
    assert tables.proactive.normative_documents.in_force == 0


SIMPLIFIED = [
    ["", "自然人", "法人或其他组织", "总计"],
    ["一、本年新收政府信息公开申请数量", "3", "1", "4"],
    ["二、上年结转政府信息公开申请数量", "0", "0", "0"],
    ["三、本年度办理结果", "(一)予以公开", "2", "1", "3"],
    ["(七)总计", "3", "1", "4"],
]


@pytest.mark.parametrize("render", RENDERERS)
def test_simplified_table_with_three_columns(render: str) -> None:
    # 法人或其他组织 is the sum of five record columns, not any one of them: not kept.
    tables = read(applications=RENDERERS[render](SIMPLIFIED))
    assert values(tables, "new") == [3, None, None, None, None, None, 4]
    assert values(tables, "granted") == [2, None, None, None, None, None, 3]
    assert values(tables, "total_processed") == [3, None, None, None, None, None, 4]
    assert "row_ambiguous" not in codes(tables)


def test_a_sentence_naming_applicants_is_no_header() -> None:
    text = "申请人主要为自然人和法人或其他组织。\n" + tab_rows(table_rows(header=False))
    assert wrong_rows(read(applications=text)) == {}


def test_labels_wrapped_onto_the_line_of_their_numbers() -> None:
    # A PDF copy wraps long labels; the numbers stand on the label's last line.
    text = (
        "(二)部分公开(区分处理的,只计这一\n情形,不计其他情形) 0 0 0 0 1 0 1\n"
        "(四)无法提供1.本机关不掌握相关政\n府信息 1 0 0 0 0 0 1\n"
        "5.要求行政机关确认或重新出具已获\n取信息 0 0 0 0 0 2 2"
    )
    tables = read(applications=text)
    assert values(tables, "partially_granted") == [0, 0, 0, 0, 1, 0, 1]
    assert values(tables, "unavailable_not_held") == [1, 0, 0, 0, 0, 0, 1]
    assert values(tables, "rejected_confirmation") == [0, 0, 0, 0, 0, 2, 2]


def test_a_lone_spaced_number_among_full_rows_is_not_taken_as_the_total() -> None:
    text = "一、本年新收政府信息公开申请数量 3\n二、上年结转政府信息公开申请数量 1 0 0 0 0 0 1"
    tables = read(applications=text)
    assert values(tables, "new") == [None] * 7
    assert values(tables, "carried_over") == [1, 0, 0, 0, 0, 0, 1]
    assert "row_ambiguous" in codes(tables)


def test_spaced_totals_alone() -> None:
    text = "一、本年新收政府信息公开申请数量 3\n二、上年结转政府信息公开申请数量 0"
    tables = read(applications=text)
    assert values(tables, "new") == [None] * 6 + [3]
    assert values(tables, "carried_over") == [None] * 6 + [0]


def test_a_group_subtotal_is_not_the_total() -> None:
    rows = table_rows()
    at = next(i for i, r in enumerate(rows) if "8.属于行政查询事项" in r)
    rows.insert(at + 1, ["", "(三)不予公开", "合计", "9", "9", "9", "9", "9", "9", "54"])
    tables = read(applications=tab_rows(rows))
    assert wrong_rows(tables) == {}


def test_rows_run_together_on_one_line() -> None:
    # A mobile page copy: several rows on one line, normalising takes the space between a
    # row's last number and the next row's label away ("9二、上年结转…").
    rows = table_rows(header=False)
    lines = [" ".join(c for r in rows[i : i + 3] for c in r if c) for i in range(0, len(rows), 3)]
    tables = read(applications="\n".join(lines))
    assert wrong_rows(tables) == {}


def test_labels_wrapped_onto_the_lines_below_their_numbers() -> None:
    # A PDF's layout text: the first line of a long label carries the numbers.
    text = (
        "5.要求行政机关确认或重新 0 0 0 0 0 2 2\n出具已获取信息\n"
        "(六)其他 1.申请人无正当理由逾期不 1 0 0 0 0 0 1\n处理 补正、行政机关不再处理其\n"
        "政府信息公开申请\n2.申请人逾期未按收费通知 0 0 0 0 0 0 0\n要求缴纳费用、行政机关不\n"
        "3.其他 0 1 0 0 0 0 1"
    )
    tables = read(applications=text)
    assert values(tables, "rejected_confirmation") == [0, 0, 0, 0, 0, 2, 2]
    assert values(tables, "other_overdue_correction") == [1, 0, 0, 0, 0, 0, 1]
    assert values(tables, "other_overdue_fee") == [0] * 7
    assert values(tables, "other_other") == [0, 1, 0, 0, 0, 0, 1]


def test_a_lone_number_without_blank_cells_among_full_rows_is_not_guessed() -> None:
    text = (
        "一、本年新收政府信息公开申请数量\t3\n"
        "二、上年结转政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n"
        "(七)总计\t\t\t\t\t\t\t4"
    )
    tables = read(applications=text)
    assert values(tables, "new") == [None] * 7
    assert values(tables, "total_processed") == [None] * 6 + [4]  # its blank cells stand
    assert "row_ambiguous" in codes(tables)
