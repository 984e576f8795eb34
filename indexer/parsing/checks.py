"""Consistency checks on a parsed `Report`: each failed rule or missing part is one `Check`.

A check never stops parsing; it is recorded in ``report.checks``. Codes are stable strings
(tests, the API and users filter on them); messages are plain Chinese, and both the rules
and the message templates are rule data (``rules/checks.toml``).
Blank cells (``None``) are never guessed: a rule that needs a blank cell is skipped for that
column, and sums over partly blank rows count only the cells that are filled.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from indexer.models import APPLICANT_COLUMNS, APPLICATION_ROWS, OUTCOME_KEYS, Check, Report
from indexer.parsing.document import Section
from indexer.parsing.narrative import period_year, share_unwrapped, stated_figures, title_year
from indexer.rules import load_rules

__all__ = ["CODES", "run_checks"]

_RULES = load_rules("checks")
# Every check code and the rule it stands for (a stable public list).
CODES: dict[str, str] = {code: entry["rule"] for code, entry in _RULES["codes"].items()}
_COLUMN_ZH: dict[str, str] = _RULES["columns"]
_TABLE_ZH: dict[str, str] = _RULES["outcome_tables"]
_ROW_ZH: dict[str, str] = {
    row["key"]: row["label_zh"] for row in load_rules("tables")["applications"]["rows"]
}
_PARTS = APPLICANT_COLUMNS[:-1]
_OUTCOME_ROWS = APPLICATION_ROWS[2:-2]  # 予以公开 … 其他处理, between 上年结转 and 总计
_OUTCOME_PARTS = OUTCOME_KEYS[:-1]


def _check(code: str, **values: object) -> Check:
    return Check(code=code, message=_RULES["codes"][code]["message"].format(**values))


def _mismatch(values: Iterable[int | None], total: int | None) -> int | None:
    """The sum of the known parts when it contradicts ``total``, else None.

    A blank part may hold any count, so with blanks only a known sum above the total is a
    contradiction; with none, any difference is. No parts, or no total: nothing to check.
    """
    values = list(values)
    known = [v for v in values if v is not None]
    if total is None or not known:
        return None
    if len(known) < len(values):
        return sum(known) if sum(known) > total else None
    return sum(known) if sum(known) != total else None


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
                    column=_COLUMN_ZH[column],
                    new=new,
                    carried=carried,
                    processed=processed,
                    forward=forward,
                )
            )
    return out


def _row_sums(report: Report) -> list[Check]:
    out = []
    for row in APPLICATION_ROWS:
        counts = report.applications[row]
        parts = _mismatch((getattr(counts, c) for c in _PARTS), counts.total)
        if parts is not None:
            out.append(
                _check("applications.row_sum", row=_ROW_ZH[row], parts=parts, total=counts.total)
            )
    return out


def _outcome_sums(report: Report) -> list[Check]:
    apps, out = report.applications, []
    for column in APPLICANT_COLUMNS:
        total = getattr(apps["total_processed"], column)
        parts = _mismatch((getattr(apps[row], column) for row in _OUTCOME_ROWS), total)
        if parts is not None:
            out.append(
                _check(
                    "applications.outcome_sum", column=_COLUMN_ZH[column], parts=parts, total=total
                )
            )
    return out


def _table4_sums(report: Report) -> list[Check]:
    out = []
    for key in ("reviews", "lawsuits_direct", "lawsuits_after_review"):
        outcomes = getattr(report, key)
        parts = _mismatch((getattr(outcomes, k) for k in _OUTCOME_PARTS), outcomes.total)
        if parts is not None:
            out.append(
                _check(f"{key}.sum", table=_TABLE_ZH[key], parts=parts, total=outcomes.total)
            )
    return out


def _sections(report: Report, parsed: Mapping[str, Section] | None = None) -> dict[str, Section]:
    """The record's sections, each starting at line 1; with the ``parsed`` sections of the
    same text, their unwrapped prose is reused where the lines are the same."""
    out = {k: Section(k, None, 1, text.split("\n")) for k, text in report.sections.items()}
    for key, section in out.items():
        if parsed and key in parsed:
            share_unwrapped(section, parsed[key])
    return out


def _from_table(report: Report, path: str) -> bool:
    """Whether the value at ``path`` was read from a table (not filled from the prose)."""
    where = report.provenance.get(path)
    return where is None or where.via != "prose"


def _lawsuits_table(report: Report) -> int | None:
    """The lawsuits table 四 gives in all, when both of its totals are known."""
    totals = [report.lawsuits_direct.total, report.lawsuits_after_review.total]
    if None in totals or not _from_table(report, "lawsuits_direct.total"):
        return None
    return sum(t for t in totals if t is not None)


def _table_figures(report: Report) -> dict[str, int | None]:
    """The tables' values of the figures the prose may state (None: not from a table)."""
    new, reviews = report.applications["new"].total, report.reviews.total
    return {
        "applications": new if _from_table(report, "applications.new.total") else None,
        "reviews": reviews if _from_table(report, "reviews.total") else None,
        "lawsuits": _lawsuits_table(report),
    }


def _narrative(report: Report, sections: Mapping[str, Section]) -> list[Check]:
    """Figures the prose states that contradict the tables (the table's value is kept)."""
    figures = stated_figures(sections, items=False)  # no table figure to set them against
    out = []
    for key, table in _table_figures(report).items():
        stated = getattr(figures, key)
        if table is None or stated is None or stated.value == table:
            continue
        line, said = stated.line
        quote = said.strip()[:60]
        out.append(
            _check(f"narrative.{key}", stated=stated.value, line=line, quote=quote, table=table)
        )
    return out


def _year_conflict(report: Report, sections: Mapping[str, Section]) -> list[Check]:
    said = title_year(report.title)
    period = period_year(sections)
    if said is None or period is None or said == period[0]:
        return []
    return [_check("year.conflict", title=said, period=period[0], year=report.year)]


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
            getattr(counts, c)
            for row, counts in report.applications.items()
            for c in APPLICANT_COLUMNS
            if _from_table(report, f"applications.{row}.{c}")
        ),
        "missing.reviews_table": _all_blank(
            v
            for key in ("reviews", "lawsuits_direct", "lawsuits_after_review")
            for part, v in getattr(report, key).model_dump().items()
            if _from_table(report, f"{key}.{part}")
        ),
        "missing.year": report.year is None,
        "missing.agency": report.agency is None,
    }
    return [_check(code) for code, gone in parts.items() if gone]


def run_checks(report: Report, parsed: Mapping[str, Section] | None = None) -> list[Check]:
    """Every consistency rule that fails on ``report`` and every part that is missing.

    ``parsed``: the sections the record was read from, to reuse what was worked out on them.
    """
    sections = _sections(report, parsed)
    return [
        *_identity(report),
        *_row_sums(report),
        *_outcome_sums(report),
        *_table4_sums(report),
        *_narrative(report, sections),
        *_year_conflict(report, sections),
        *_missing(report),
    ]
