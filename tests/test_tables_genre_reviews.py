"""Table 四 across the genre, HTML tables read through the HTML reader, whole reports.

Table 四 as one row of 15, as labelled rows, in another group order, with fewer numbers;
the three tables served as HTML with spans; the tables inside a report parsed end to end.
"""

from __future__ import annotations

import pytest

from indexer.models import APPLICATION_ROWS
from indexer.parsing.parse import parse_text
from tests.table_shapes import (
    EXPECTED,
    RENDERERS,
    REVIEW_HEADER,
    REVIEW_NUMBERS,
    REVIEWS_EXPECTED,
    Render,
    cell_per_line,
    codes,
    html_applications,
    label_then_numbers,
    one_cell_per_line,
    proactive_rows,
    read,
    read_html,
    read_page,
    report_text,
    reviews_of,
    spaced,
    tab_rows,
    table_rows,
    td,
    with_page_break,
    wrong_rows,
)


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


@pytest.mark.parametrize("render", [label_then_numbers, cell_per_line])
def test_table_four_with_numbers_under_their_labels(render: Render) -> None:
    tables = read(reviews_lawsuits=render([*REVIEW_HEADER, REVIEW_NUMBERS]))
    assert reviews_of(tables) == REVIEWS_EXPECTED


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


@pytest.mark.parametrize("vertical", [False, True], ids=["merged-cell", "vertical-merged-cell"])
def test_html_tables_with_spans(vertical: bool) -> None:
    tables = read_html(vertical)
    assert wrong_rows(tables) == {}
    proactive = tables.proactive
    assert proactive.rules.model_dump() == {"issued": 1, "repealed": 0, "in_force": 0}
    assert proactive.normative_documents.in_force == 12
    assert (proactive.licensing, proactive.penalties, proactive.coercion) == (94, 19, None)
    assert proactive.fees == 0.0
    assert reviews_of(tables) == REVIEWS_EXPECTED
    assert tables.problems == []


def test_html_table_split_in_two_at_a_page_break() -> None:
    # A Word page break inside the table: the site serves two tables, the second without
    # the header and with few of the first half's labels.
    whole = html_applications()
    rows = whole.split("<tr>")
    first = "<tr>".join(rows[:20]) + "</tbody></table>"
    second = '<table border="1"><tbody><tr>' + "<tr>".join(rows[20:])
    page = f"<p>三、收到和处理政府信息公开申请情况</p>{first}<p>- 7 -</p>{second}"
    tables = read_page(page)
    assert wrong_rows(tables) == {}


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
def test_tables_inside_a_whole_report(render: Render) -> None:
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


@pytest.mark.parametrize("render", RENDERERS)
def test_table_four_as_two_tables_under_sub_headings(render: str) -> None:
    rows = [
        ["（一）行政复议情况"],
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"],
        REVIEW_NUMBERS[:5],
        ["（二）行政诉讼情况"],
        ["未经复议直接起诉", "复议后起诉"],
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2,
        REVIEW_NUMBERS[5:],
    ]
    tables = read(reviews_lawsuits=RENDERERS[render](rows))
    assert reviews_of(tables) == REVIEWS_EXPECTED
    assert "row_ambiguous" not in codes(tables)


# Table 四 as three small tables, each under its own heading, five columns each. Figures are
# distinct from group to group so that a row read into the wrong group shows.
_SUB_HEADS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
_SUB_NUMBERS = [["3", "5", "2", "7", "17"], ["4", "6", "1", "8", "19"], ["9", "2", "—", "1", "12"]]
_SUB_EXPECTED = [[3, 5, 2, 7, 17], [4, 6, 1, 8, 19], [9, 2, None, 1, 12]]
_SUB_TITLES = {
    "plain": ["行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）"],
    "numbered": [
        "（一）行政复议情况",
        "（二）行政诉讼（未经复议直接起诉）",
        "（三）行政诉讼（复议后起诉）",
    ],
    "short": ["1.行政复议", "2.未经复议直接起诉", "3.复议后起诉"],
}


def _sub_tables(titles: list[str]) -> list[list[str]]:
    """Table 四 as three sub-tables: a heading row, the five column headings, the numbers."""
    return [row for i, t in enumerate(titles) for row in ([t], _SUB_HEADS, _SUB_NUMBERS[i])]


@pytest.mark.parametrize("titles", _SUB_TITLES)
@pytest.mark.parametrize(
    "render",
    [*RENDERERS.values(), cell_per_line],
    ids=[*RENDERERS, "cell-per-line"],
)
def test_table_four_as_three_sub_tables(render: Render, titles: str) -> None:
    tables = read(reviews_lawsuits=render(_sub_tables(_SUB_TITLES[titles])))
    assert reviews_of(tables) == _SUB_EXPECTED
    assert "row_ambiguous" not in codes(tables)
    assert "row_missing" not in codes(tables)


@pytest.mark.parametrize("inside", [True, False], ids=["title-in-grid", "title-above-grid"])
def test_table_four_as_three_html_sub_tables(inside: bool) -> None:
    parts = []
    for title, numbers in zip(_SUB_TITLES["plain"], _SUB_NUMBERS, strict=True):
        head = f"<tr>{td(title, 1, 5)}</tr>" if inside else ""
        parts.append(
            ("" if inside else f"<p>{title}</p>")
            + f"<table>{head}<tr>{''.join(td(h) for h in _SUB_HEADS)}</tr>"
            + f"<tr>{''.join(td(n) for n in numbers)}</tr></table>"
        )
    page = (
        "<p>四、政府信息公开行政复议、行政诉讼情况</p>"
        + "".join(parts)
        + "<p>五、存在的主要问题及改进情况</p><p>无。</p>"
    )
    assert reviews_of(read_page(page)) == _SUB_EXPECTED


def test_table_four_sub_table_missing_stays_null() -> None:
    # Only the two lawsuit sub-tables are printed: 行政复议 is null, and reported missing.
    tables = read(reviews_lawsuits=tab_rows(_sub_tables(_SUB_TITLES["plain"])[3:]))
    assert reviews_of(tables) == [[None] * 5, *_SUB_EXPECTED[1:]]
    assert "row_missing" in codes(tables)
