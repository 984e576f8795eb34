"""Consistency checks on a parsed `Report`: each failed rule or missing part is one `Check`.

A check never stops parsing; it is recorded in ``report.checks``. Codes are stable strings
(tests, the API and users filter on them); messages are plain Chinese-and-English text.
Blank cells (``None``) are never guessed: a rule that needs a blank cell is skipped for that
column, and sums over partly blank rows count only the cells that are filled.
"""

from __future__ import annotations

from collections.abc import Iterable

from indexer.document import Section
from indexer.models import APPLICANT_COLUMNS, APPLICATION_ROWS, OUTCOME_KEYS, Check, Report
from indexer.narrative import stated_applications, title_year

__all__ = ["CODES", "run_checks"]

CODES: dict[str, str] = {
    "applications.identity": "本年新收 + 上年结转 = 办理结果总计 + 结转下年度继续办理",
    "applications.row_sum": "an applicant row's columns add up to its 总计",
    "applications.outcome_sum": "the outcome rows add up to 办理结果总计 (七)",
    "reviews.sum": "行政复议: 维持 + 纠正 + 其他 + 尚未审结 = 总计",
    "lawsuits_direct.sum": "行政诉讼 (未经复议直接起诉): 维持 + 纠正 + 其他 + 尚未审结 = 总计",
    "lawsuits_after_review.sum": "行政诉讼 (复议后起诉): 维持 + 纠正 + 其他 + 尚未审结 = 总计",
    "narrative.applications": "applications stated in prose agree with the table",
    "missing.proactive_table": "the 第二十条 (proactive disclosure) table was found",
    "missing.applications_table": "the applications table was found",
    "missing.reviews_table": "the 行政复议/行政诉讼 table was found",
    "missing.year": "the report year was found",
    "missing.agency": "the issuing agency was found",
    "year.conflict": "the title year and the statistics period agree",
}

_COLUMN_ZH = dict(
    zip(
        APPLICANT_COLUMNS,
        ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"),
        strict=True,
    )
)
_PARTS = APPLICANT_COLUMNS[:-1]
_OUTCOME_ROWS = APPLICATION_ROWS[2:-2]  # 予以公开 … 其他处理, between 上年结转 and 总计
_OUTCOME_PARTS = OUTCOME_KEYS[:-1]


def _check(code: str, message: str) -> Check:
    return Check(code=code, message=message)


def _filled(values: Iterable[int | None]) -> list[int]:
    return [v for v in values if v is not None]


def _identity(report: Report) -> list[Check]:
    apps, out = report.applications, []
    for column in APPLICANT_COLUMNS:
        cells = [
            getattr(apps[row], column)
            for row in ("new", "carried_over", "total_processed", "carried_forward")
        ]
        if any(c is None for c in cells):
            continue
        new, carried, processed, forward = cells
        if new + carried != processed + forward:
            out.append(
                _check(
                    "applications.identity",
                    f"{_COLUMN_ZH[column]} ({column}): 本年新收 {new} + 上年结转 {carried} "
                    f"≠ 办理结果总计 {processed} + 结转下年度 {forward}",
                )
            )
    return out


def _row_sums(report: Report) -> list[Check]:
    out = []
    for row in APPLICATION_ROWS:
        counts = report.applications[row]
        parts = _filled(getattr(counts, c) for c in _PARTS)
        if counts.total is None or not parts or sum(parts) == counts.total:
            continue
        out.append(
            _check(
                "applications.row_sum",
                f"row {row}: columns add up to {sum(parts)}, 总计 says {counts.total}",
            )
        )
    return out


def _outcome_sums(report: Report) -> list[Check]:
    apps, out = report.applications, []
    for column in APPLICANT_COLUMNS:
        total = getattr(apps["total_processed"], column)
        parts = _filled(getattr(apps[row], column) for row in _OUTCOME_ROWS)
        if total is None or not parts or sum(parts) == total:
            continue
        out.append(
            _check(
                "applications.outcome_sum",
                f"{_COLUMN_ZH[column]} ({column}): outcome rows add up to {sum(parts)}, "
                f"(七) 总计 says {total}",
            )
        )
    return out


def _table4_sums(report: Report) -> list[Check]:
    out = []
    for key in ("reviews", "lawsuits_direct", "lawsuits_after_review"):
        outcomes = getattr(report, key)
        parts = _filled(getattr(outcomes, k) for k in _OUTCOME_PARTS)
        if outcomes.total is None or not parts or sum(parts) == outcomes.total:
            continue
        out.append(
            _check(f"{key}.sum", f"{key}: parts add up to {sum(parts)}, 总计 says {outcomes.total}")
        )
    return out


def _narrative(report: Report) -> list[Check]:
    new = report.applications["new"].total
    sections = {k: Section(k, None, 1, text.split("\n")) for k, text in report.sections.items()}
    stated = stated_applications(sections)
    if new is None or stated is None or stated[0] == new:
        return []
    return [
        _check(
            "narrative.applications",
            f"the text says {stated[0]} application(s) received (“{stated[1][1].strip()[:60]}”), "
            f"the table says 本年新收 {new}",
        )
    ]


def _year_conflict(report: Report) -> list[Check]:
    said = title_year(report.title)
    if said is None or report.year is None or said == report.year:
        return []
    return [_check("year.conflict", f"the title says {said}, the statistics period {report.year}")]


def _all_blank(values: Iterable[int | float | None]) -> bool:
    return all(v is None for v in values)


def _missing(report: Report) -> list[Check]:
    p = report.proactive
    parts = {
        "missing.proactive_table": _all_blank(
            [
                *p.rules.model_dump().values(),
                *p.normative_documents.model_dump().values(),
                p.licensing,
                p.penalties,
                p.coercion,
                p.fees,
            ]
        ),
        "missing.applications_table": _all_blank(
            getattr(counts, c) for counts in report.applications.values() for c in APPLICANT_COLUMNS
        ),
        "missing.reviews_table": _all_blank(
            v
            for key in ("reviews", "lawsuits_direct", "lawsuits_after_review")
            for v in getattr(report, key).model_dump().values()
        ),
        "missing.year": report.year is None,
        "missing.agency": report.agency is None,
    }
    return [_check(code, f"not found: {CODES[code]}") for code, gone in parts.items() if gone]


def run_checks(report: Report) -> list[Check]:
    """Every consistency rule that fails on ``report`` and every part that is missing."""
    return [
        *_identity(report),
        *_row_sums(report),
        *_outcome_sums(report),
        *_table4_sums(report),
        *_narrative(report),
        *_year_conflict(report),
        *_missing(report),
    ]
