"""Cells recovered from a table's own arithmetic, and pages flattened onto one line.

Crawler dumps put a whole report on one line, let adjacent cells' digits run together
("2161 122 33") or print a run of equal cells once ("12 0 12", a lone "0"). A row printed so
is read only when exactly one reading fits every identity of its table; otherwise it stays
null and a problem names it. The reports here are invented.
"""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from indexer.models import APPLICATION_ROWS
from indexer.parsing.parse import parse_text
from indexer.parsing.sections import split_long_line, split_sections
from indexer.parsing.table_arith import Identity, leading_zero, readings, solve
from indexer.rules import load_rules
from tests.table_shapes import FORM_2021, codes, read, reviews_of, values

LABELS = {key: " ".join(part for part in row if part) for *row, key in FORM_2021}
HEADER = "申请人情况 自然人 法人或其他组织 总计 商业企业 科研机构 社会公益组织 法律服务机构 其他"
REVIEW_HEADER = (
    "行政复议 行政诉讼 结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉 "
    + " ".join(["结果维持 结果纠正 其他结果 尚未审结 总计"] * 2)
)
OUTCOME_ROWS = APPLICATION_ROWS[2:-2]
ROW_ZH = {rule["key"]: rule["label_zh"] for rule in load_rules("tables")["applications"]["rows"]}


def consistent(outcomes: dict[str, list[int]], forward: list[int], over: list[int]) -> dict:
    """A whole table 三 from six cells per row: totals, 办理结果总计 and 本年新收 worked out."""
    six = {key: outcomes.get(key, [0] * 6) for key in OUTCOME_ROWS}
    six["total_processed"] = [sum(six[key][c] for key in OUTCOME_ROWS) for c in range(6)]
    six["carried_forward"], six["carried_over"] = forward, over
    six["new"] = [p + f - o for p, f, o in zip(six["total_processed"], forward, over, strict=True)]
    return {key: [*six[key], sum(six[key])] for key in APPLICATION_ROWS}


# An invented table with distinct figures in every group of rows.
TABLE = consistent(
    {
        "granted": [6, 3, 1, 0, 2, 1],
        "partially_granted": [2, 1, 0, 0, 0, 0],
        "withheld_prohibited_by_law": [1, 0, 0, 0, 0, 0],
        "withheld_third_party": [0, 1, 0, 0, 0, 0],
        "unavailable_not_held": [4, 0, 0, 1, 0, 0],
        "unavailable_needs_creation": [1, 0, 0, 0, 0, 0],
        "rejected_complaint": [3, 0, 0, 0, 0, 0],
        "rejected_duplicate": [2, 0, 0, 0, 0, 0],
        "other_other": [1, 0, 0, 0, 0, 1],
    },
    forward=[3, 1, 0, 0, 0, 0],
    over=[2, 0, 0, 0, 0, 0],
)
# How the dump prints some rows: touching cells' digits run together.
TOUCHING = {
    "new": "2161 122 33",  # 21|6|1|1|2|2|33
    "granted": "631 021 13",  # 6|3|1|0|2|1|13
    "total_processed": "2051 12 2 31",  # 20|5|1|1|2|2|31
    "withheld_state_secret": "0000000",
}


def printed(table: dict, shapes: dict[str, str] | None = None) -> str:
    """Table 三 on one line: header, then each row's label and numbers."""
    shapes = shapes or {}
    rows = [f"{LABELS[k]} {shapes.get(k) or ' '.join(map(str, table[k]))}" for k in table]
    return " ".join([HEADER, *rows])


def collapse(cells: list[int]) -> str:
    """Cells as a collapsing crawler prints them: a run of equal neighbours once."""
    kept = [c for i, c in enumerate(cells) if i == 0 or cells[i - 1] != c]
    return " ".join(map(str, kept))


def dump() -> str:
    """An invented report: a title line, an empty line, then the whole report on one line."""
    text = (
        "本报告依据《中华人民共和国政府信息公开条例》编制，统计期限为2023年1月1日至2023年12月31日。"
        " 一、总体情况 2023年，鹭汀镇围绕重点领域做好主动公开，规范依申请公开办理，完善公开目录和"
        "公开指南，按时更新政务公开专栏，及时回应群众关切，全年政务公开工作平稳有序推进。"
        " 二、主动公开政府信息情况 第二十条第(一)项 信息内容 本年制发件数 本年废止件数 现行有效件数"
        " 规章 1 0 2 行政规范性文件 4 1 9 第二十条第(五)项 信息内容 本年处理决定数量 行政许可 37"
        " 第二十条第(六)项 信息内容 本年处理决定数量 行政处罚 18 行政强制 6"
        " 第二十条第(八)项 信息内容 本年收费金额(单位:万元) 行政事业性收费 0.5"
        f" 三、收到和处理政府信息公开申请情况 {printed(TABLE, TOUCHING)}"
        f" 四、政府信息公开行政复议、行政诉讼情况 {REVIEW_HEADER} 210 14 102 03 0311 5"
        " 五、存在的主要问题及改进情况 一是公开内容还不够全面，二是解读形式较为单一。"
        "下一步将加强培训，丰富解读形式。 六、其他需要报告的事项 本机关未收取信息处理费。"
    )
    return f"鹭汀镇人民政府2023年政府信息公开工作年度报告\n\n{text}"


def test_a_report_on_one_line_is_read_section_by_section() -> None:
    report = parse_text(dump())
    assert all(report.sections[key] for key in report.sections)
    assert report.sections["problems"].startswith("一是公开内容")
    proactive = report.proactive
    assert proactive.normative_documents.model_dump() == {"issued": 4, "repealed": 1, "in_force": 9}
    assert (proactive.licensing, proactive.penalties, proactive.coercion) == (37, 18, 6)


def test_touching_digits_in_a_dump_are_recovered_by_the_table_sums() -> None:
    report = parse_text(dump())
    got = {key: list(report.applications[key].model_dump().values()) for key in APPLICATION_ROWS}
    assert got == TABLE
    assert [list(o.model_dump().values()) for o in (report.reviews,)] == [[2, 1, 0, 1, 4]]
    assert list(report.lawsuits_direct.model_dump().values()) == [1, 0, 2, 0, 3]
    assert list(report.lawsuits_after_review.model_dump().values()) == [0, 3, 1, 1, 5]
    assert not [c for c in report.checks if c.code.startswith(("applications.", "reviews."))]


def test_recovered_cells_say_so_and_point_at_their_source_line() -> None:
    report = parse_text(dump())
    recovered = report.provenance["applications.new.natural_person"]
    assert (recovered.via, recovered.line) == ("arithmetic", 3)
    assert recovered.text.endswith("2161 122 33")
    assert report.provenance["applications.carried_over.total"].via is None  # read as printed
    assert report.provenance["reviews.total"].via == "arithmetic"
    assert report.provenance["applications.carried_over.total"].line == 3


def test_sections_of_a_dump_keep_their_source_line() -> None:
    sections = split_sections(dump())
    assert {s.start_line for key, s in sections.items() if key != "preamble"} == {3}
    assert [len(s.lines) for key, s in sections.items() if key != "preamble"] == [1] * 6


def test_numbered_items_inside_a_long_paragraph_start_no_section() -> None:
    # "1、主动公开政府信息" numbers an item of the paragraph, not section 二.
    paragraph = (
        "一、总体情况 "
        + "本年度鹭汀镇认真落实条例要求，规范开展政务公开工作，各项工作有序推进。" * 4
        + "1、主动公开政府信息。全年在门户网站公开各类信息若干条。"
        + "2、依申请公开政府信息。全年办理申请若干件，均按期答复。"
    )
    sections = split_sections(paragraph)
    assert set(sections) == {"preamble", "overview"}
    assert "1、主动公开政府信息。" in sections["overview"].text


def test_a_long_line_cut_into_rows_joins_back_into_the_line() -> None:
    line = printed(TABLE)
    pieces = split_long_line(line)
    assert "".join(pieces) == line
    assert pieces[1].startswith("一、本年新收")
    assert split_long_line("一、本年新收政府信息公开申请数量 2") == [
        "一、本年新收政府信息公开申请数量 2"
    ]


def test_a_table_of_rows_each_run_into_one_number_is_no_table_of_totals() -> None:
    # Every row one digit run: "0000000" is no total, so no run is read as a 总计.
    tables = read(applications=printed(TABLE, {k: "".join(map(str, v)) for k, v in TABLE.items()}))
    assert {key: values(tables, key) for key in APPLICATION_ROWS} == TABLE


def test_collapsed_rows_are_expanded_when_the_sums_pin_them() -> None:
    table = consistent(
        {"granted": [12, 0, 0, 0, 0, 0], "unavailable_not_held": [0, 0, 0, 0, 0, 3]},
        forward=[0, 0, 0, 0, 0, 0],
        over=[0, 0, 0, 0, 0, 1],
    )
    tables = read(applications=printed(table, {k: collapse(v) for k, v in table.items()}))
    assert {key: values(tables, key) for key in APPLICATION_ROWS} == table
    assert values(tables, "granted") == [12, 0, 0, 0, 0, 0, 12]  # printed "12 0 12"
    assert values(tables, "withheld_state_secret") == [0] * 7  # printed "0"
    assert codes(tables) == ["table_missing"] * 2  # only the other two tables


def test_a_run_that_fits_two_ways_stays_null_and_is_named() -> None:
    # "5 2 0 1 0 8" and "3 0 1 0 4": the 1 of each may stand under 社会公益组织 or 法律服务机构,
    # and the column sums cannot tell which row has which.
    table = consistent(
        {"granted": [5, 2, 0, 0, 1, 0], "unavailable_not_held": [3, 0, 0, 1, 0, 0]},
        forward=[0, 0, 0, 0, 0, 0],
        over=[0, 0, 0, 0, 0, 0],
    )
    tables = read(applications=printed(table, {k: collapse(v) for k, v in table.items()}))
    assert values(tables, "granted") == [None] * 7
    assert values(tables, "unavailable_not_held") == [None] * 7
    assert values(tables, "partially_granted") == [0] * 7  # pinned by its own sum
    messages = [p.message for p in tables.problems if p.code == "arithmetic_ambiguous"]
    assert len(messages) == 2 and "予以公开" in messages[0] and "2 种读法" in messages[0]


def test_a_table_that_prints_equal_neighbours_has_blank_cells_not_collapsed_ones() -> None:
    # "0 0" printed twice: this is no collapsing crawler, so a lone 0 is a 总计 beside blank
    # cells that left no trace, and is not read as seven zeros.
    text = (
        "一、本年新收政府信息公开申请数量 2 0 0 0 0 0 2\n二、上年结转政府信息公开申请数量 0\n"
        "(七)总计 2 0 0 0 0 0 2"
    )
    tables = read(applications=text)
    assert values(tables, "carried_over") == [None] * 7
    assert "arithmetic_ambiguous" not in codes(tables)


def test_a_row_no_collapse_explains_means_blank_cells_not_collapsed_ones() -> None:
    # No row prints equal neighbours, but "3 1 4" has no collapsed reading that adds up: its
    # blank cells left no trace, so the lone 0 beside it is a 总计 too, not seven zeros.
    text = (
        "一、本年新收政府信息公开申请数量 3 1 4\n二、上年结转政府信息公开申请数量 0\n"
        "(七)总计 3 1 4\n四、结转下年度继续办理 0"
    )
    tables = read(applications=text)
    assert values(tables, "carried_over") == [None] * 7
    assert values(tables, "new") == [None] * 7


def test_table_four_collapsed_row_is_expanded() -> None:
    expected = [[0, 2, 3, 3, 8], [3, 0, 0, 1, 4], [3, 2, 0, 0, 5]]
    tables = read(reviews_lawsuits=f"{REVIEW_HEADER}\n0 2 3 8 3 0 1 4 3 2 0 5")
    assert reviews_of(tables) == expected


def test_table_four_collapsed_zeros_that_fit_several_groups_stay_null() -> None:
    # 3|0|0|0|3 0|0|0|1|1 0|0|0|2|2, or the zeros shared out between the groups otherwise.
    tables = read(reviews_lawsuits=f"{REVIEW_HEADER}\n3 0 3 0 1 0 2")
    assert reviews_of(tables) == [[None] * 5] * 3
    assert "arithmetic_ambiguous" in codes(tables)


def test_too_many_readings_are_not_tried() -> None:
    tables = read(reviews_lawsuits=f"{REVIEW_HEADER}\n{'123456789' * 3}123")
    assert reviews_of(tables) == [[None] * 5] * 3
    (message,) = [p.message for p in tables.problems if p.code == "arithmetic_ambiguous"]
    assert "读法过多" in message


def test_readings_of_touching_and_collapsed_numbers() -> None:
    assert readings(["150", "000015"], 7, run_together=True, collapsed=False) == [
        (1, 50, 0, 0, 0, 0, 15),
        (15, 0, 0, 0, 0, 0, 15),
        (150, 0, 0, 0, 0, 1, 5),
    ]
    assert readings(["12", "0", "12"], 7, run_together=False, collapsed=True)[0] == (
        12,
        0,
        0,
        0,
        0,
        0,
        12,
    )
    assert readings(["0"], 7, run_together=False, collapsed=True) == [(0,) * 7]


def test_solve_keeps_only_a_reading_every_consistent_combination_agrees_on() -> None:
    row_sum = Identity((("a", 0), ("a", 1)), (("a", 2),))
    column = Identity((("a", 0), ("b", 0)), (("t", 0),))
    options = {"a": [(1, 2, 3), (2, 1, 3), (5, 5, 9)], "b": [(4, 0, 4)]}
    verdicts = solve({"t": [5]}, options, [row_sum, column])
    assert verdicts["a"].reading == (1, 2, 3) and verdicts["b"].reading == (4, 0, 4)
    verdicts = solve({"t": [None]}, options, [row_sum, column])  # a blank total: any count
    assert verdicts["a"].reading is None and verdicts["a"].count == 2


# --- The property: never a wrong number ---------------------------------------------------

cells = st.lists(st.sampled_from([0, 0, 0, 0, 1, 2, 3, 5, 8, 13, 21]), min_size=6, max_size=6)


@st.composite
def tables_printed(draw: st.DrawFn) -> tuple[dict, dict[str, str]]:
    """A random table 三 that satisfies every identity, printed run together or collapsed."""
    outcomes = {key: draw(cells) for key in draw(st.sets(st.sampled_from(OUTCOME_ROWS)))}
    forward = draw(cells)
    table = consistent(outcomes, forward, [0] * 6)
    over = [min(n, o) for n, o in zip(table["new"][:6], draw(cells), strict=True)]
    table = consistent(outcomes, forward, over)
    if draw(st.booleans()):
        return table, {key: collapse(row) for key, row in table.items()}
    shapes = {}
    for key, row in table.items():
        joins = draw(st.lists(st.booleans(), min_size=6, max_size=6))
        shapes[key] = "".join(
            f"{n}{'' if i < 6 and joins[i] else ' '}" for i, n in enumerate(row)
        ).strip()
    return table, shapes


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables_printed())
def test_recovered_cells_equal_the_originals_or_stay_null_with_a_check(case) -> None:
    table, shapes = case
    # Every row a lone number, none written with a leading zero, is a table of totals alone.
    assume(any(" " in shape or leading_zero(shape) for shape in shapes.values()))
    tables = read(applications=printed(table, shapes))
    named = " ".join(p.message for p in tables.problems)
    for key in APPLICATION_ROWS:
        got = values(tables, key)
        if got != table[key]:
            assert got == [None] * 7, (key, shapes[key], got, table[key])
            assert f"“{ROW_ZH[key]}”行" in named
