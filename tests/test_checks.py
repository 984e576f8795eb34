"""Checks: each rule passes on a consistent record and fails on a crafted one."""

from __future__ import annotations

import pytest

from indexer.models import (
    APPLICANT_COLUMNS,
    APPLICATION_ROWS,
    ApplicantCounts,
    DocumentCounts,
    Outcomes,
    Proactive,
    Report,
    Source,
)
from indexer.parsing.checks import CODES, run_checks


def _row(*values: int | None) -> ApplicantCounts:
    return ApplicantCounts(**dict(zip(APPLICANT_COLUMNS, values, strict=True)))


def consistent() -> Report:
    """A record every rule accepts: 2 new + 1 carried = 2 processed + 1 carried forward."""
    apps = {row: _row(0, 0, 0, 0, 0, 0, 0) for row in APPLICATION_ROWS}
    apps["new"] = _row(1, 1, 0, 0, 0, 0, 2)
    apps["carried_over"] = _row(1, 0, 0, 0, 0, 0, 1)
    apps["granted"] = _row(1, 0, 0, 0, 0, 0, 1)
    apps["unavailable_not_held"] = _row(0, 1, 0, 0, 0, 0, 1)
    apps["total_processed"] = _row(1, 1, 0, 0, 0, 0, 2)
    apps["carried_forward"] = _row(1, 0, 0, 0, 0, 0, 1)
    outcomes = Outcomes(upheld=1, corrected=0, other=0, pending=1, total=2)
    return Report(
        id="0" * 16,
        source=Source(path="<test>", sha256="0" * 64, format="txt"),
        title="某某镇2023年政府信息公开工作年度报告",
        agency="某某县某某镇人民政府",
        township="某某镇",
        year=2023,
        proactive=Proactive(rules=DocumentCounts(issued=0, repealed=0, in_force=0), licensing=3),
        applications=apps,
        reviews=outcomes,
        lawsuits_direct=Outcomes(upheld=0, corrected=0, other=0, pending=0, total=0),
        lawsuits_after_review=Outcomes(upheld=0, corrected=0, other=0, pending=0, total=0),
        sections={"preamble": "前言。", "overview": "本年度收到政府信息公开申请2件。"},
    )


def codes(report: Report) -> list[str]:
    """The codes of the checks that fail on ``report``."""
    return [c.code for c in run_checks(report)]


def test_consistent_record_passes() -> None:
    assert run_checks(consistent()) == []


def _set(report: Report, row: str, column: str, value: int | None) -> Report:
    report.applications[row] = report.applications[row].model_copy(update={column: value})
    return report


BROKEN = [
    (
        "identity",
        lambda r: _set(r, "carried_forward", "natural_person", 0),
        "applications.identity",
    ),
    ("row_sum", lambda r: _set(r, "new", "commercial", 5), "applications.row_sum"),
    ("outcome_sum", lambda r: _set(r, "granted", "research", 1), "applications.outcome_sum"),
    (
        "reviews_sum",
        lambda r: r.model_copy(
            update={"reviews": Outcomes(upheld=1, corrected=0, other=0, pending=1, total=3)}
        ),
        "reviews.sum",
    ),
    (
        "lawsuits_direct_sum",
        lambda r: r.model_copy(update={"lawsuits_direct": Outcomes(corrected=2, total=1)}),
        "lawsuits_direct.sum",
    ),
    (
        "lawsuits_after_review_sum",
        lambda r: r.model_copy(update={"lawsuits_after_review": Outcomes(other=1, total=0)}),
        "lawsuits_after_review.sum",
    ),
    (
        "prose_contradicts_table",
        lambda r: r.model_copy(update={"sections": {"overview": "本年度未收到政府信息公开申请。"}}),
        "narrative.applications",
    ),
    (
        "prose_reviews_contradict_table",
        lambda r: r.model_copy(update={"sections": {"overview": "本年度未发生行政复议案件。"}}),
        "narrative.reviews",
    ),
    (
        "prose_lawsuits_contradict_table",
        lambda r: r.model_copy(update={"sections": {"overview": "本年度被提起行政诉讼3件。"}}),
        "narrative.lawsuits",
    ),
    ("no_year", lambda r: r.model_copy(update={"year": None}), "missing.year"),
    ("no_agency", lambda r: r.model_copy(update={"agency": None}), "missing.agency"),
    (
        "year_conflict",
        lambda r: r.model_copy(
            update={
                "year": 2022,
                "sections": {**r.sections, "preamble": "统计期限为2022年1月1日至2022年12月31日。"},
            }
        ),
        "year.conflict",
    ),
    (
        "no_proactive_table",
        lambda r: r.model_copy(update={"proactive": Proactive()}),
        "missing.proactive_table",
    ),
    (
        "no_applications_table",
        lambda r: r.model_copy(
            update={"applications": {row: ApplicantCounts() for row in APPLICATION_ROWS}}
        ),
        "missing.applications_table",
    ),
    (
        "no_reviews_table",
        lambda r: r.model_copy(
            update={k: Outcomes() for k in ("reviews", "lawsuits_direct", "lawsuits_after_review")}
        ),
        "missing.reviews_table",
    ),
]


@pytest.mark.parametrize(("breaks", "code"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_each_rule_fails_on_a_crafted_record(breaks, code: str) -> None:
    found = codes(breaks(consistent()))
    assert code in found
    assert code in CODES


def test_identity_names_the_column() -> None:
    report = _set(consistent(), "carried_forward", "natural_person", 0)
    (check,) = [c for c in run_checks(report) if c.code == "applications.identity"]
    assert "自然人" in check.message and "1 + 上年结转 1" in check.message


def test_blank_column_is_skipped_not_guessed() -> None:
    report = consistent()
    for row in APPLICATION_ROWS:
        _set(report, row, "natural_person", None)
    assert "applications.identity" not in codes(report)


def test_only_total_column_filled() -> None:
    """A table whose applicant columns are all blank and only 总计 is filled is consistent."""
    report = consistent()
    for row in APPLICATION_ROWS:
        total = report.applications[row].total
        report.applications[row] = ApplicantCounts(total=total)
    assert codes(report) == []


def test_failed_checks_are_independent() -> None:
    report = _set(consistent(), "new", "total", 9)
    found = codes(report)
    assert found.count("applications.identity") == 1
    assert found.count("applications.row_sum") == 1


def test_every_code_has_a_readable_message() -> None:
    """Each check's message is filled in from its template, with no placeholder left."""
    seen: dict[str, str] = {}
    for breaks, _code in [b[1:] for b in BROKEN]:
        for check in run_checks(breaks(consistent())):
            seen[check.code] = check.message
    assert set(seen) == set(CODES)
    assert not [m for m in seen.values() if "{" in m or "}" in m]


def _with_new(*cells: int | None) -> Report:
    report = consistent()
    report.applications["new"] = ApplicantCounts(**dict(zip(APPLICANT_COLUMNS, cells, strict=True)))
    return report


@pytest.mark.parametrize(
    ("cells", "flagged"),
    [
        ((2, None, None, None, None, None, 2), False),  # only 自然人 and 总计 written
        ((1, None, None, None, None, None, 2), False),  # a blank may hold the other 1
        ((3, None, None, None, None, None, 2), True),  # the known part alone exceeds 总计
        ((1, 0, 0, 0, 0, 0, 2), True),  # every part written, and they do not add up
    ],
    ids=["blank-parts-agree", "blank-may-hold-rest", "known-part-exceeds", "complete-mismatch"],
)
def test_a_row_with_blank_cells_is_flagged_only_when_it_must_be_wrong(
    cells: tuple[int | None, ...], flagged: bool
) -> None:
    assert ("applications.row_sum" in codes(_with_new(*cells))) == flagged


def test_prose_checks_of_a_parsed_report_are_those_of_its_record() -> None:
    """The parse reuses its unwrapped prose for the checks (the record strips each section's
    blank lines at both ends); what they find is what the record alone gives."""
    from indexer import parse_text
    from tests.table_shapes import report_text, tab_rows, table_rows

    text = report_text(tab_rows(table_rows()), "", "")
    text = text.replace(
        "一、总体情况\n",
        "一、总体情况\n\n\n本年度，某某镇人民政府认真贯彻落实政府信息公开条例，全年共收到政府信息公开申\n"
        "请9件，均已按时答复，无逾期办理情况。\n\n",
    )
    report = parse_text(text)
    stated = [c for c in report.checks if c.code.startswith("narrative.")]
    assert [c.code for c in stated] == ["narrative.applications"]
    assert "第 1 行" in stated[0].message and "申请9件" in stated[0].message  # joined, renumbered
    assert stated == [c for c in run_checks(report) if c.code.startswith("narrative.")]
