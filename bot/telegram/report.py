"""``/report 长胜乡 [2023]``: a short summary of one township's report, as Telegram HTML.

Year, issuing body, applications (new this year, processed), administrative reviews, the
failed consistency checks, and a link to the report page when ``server.public_url`` is set.
A blank figure is said to be missing, never shown as 0. Blocking (it asks the engine); the
handler runs it off the event loop.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote

from bot.telegram import texts
from indexer.models import Report
from search import Engine, Result

MAX_TOWNSHIPS = 3  # summaries in one reply when a name matches several townships
MAX_CHECKS = 3  # failed checks spelled out; the rest are counted
_YEAR = re.compile(r"(?:19|20)\d{2}年?")


def split_year(words: str) -> tuple[str, int | None]:
    """The township name and the year (if one is given) in the words after /report."""
    year = None
    names = []
    for word in words.split():
        if _YEAR.fullmatch(word):
            year = int(word[:4])
        else:
            names.append(word)
    return " ".join(names), year


def summarise(engine: Engine, words: str, public_url: str | None) -> str:
    """The reply to ``/report <words>``: one summary per matching township (a few at most)."""
    name, year = split_year(words)
    places = _places(engine.townships(name, limit=MAX_TOWNSHIPS + 5))
    if not places:
        return _esc(texts.REPORT_NONE.format(name=name))
    blocks = [
        _summary_of(engine, township, county, year, public_url)
        for township, county in places[:MAX_TOWNSHIPS]
    ]
    if len(places) > MAX_TOWNSHIPS:
        blocks.append(_esc(texts.REPORT_MORE_TOWNSHIPS.format(n=len(places) - MAX_TOWNSHIPS)))
    return "\n\n".join(blocks)


def _places(matches: list[Result]) -> list[tuple[str, str | None]]:
    """The distinct (township, county) pairs among the matches, in order."""
    places: list[tuple[str, str | None]] = []
    for match in matches:
        place = (match.township, match.county)
        if match.township and place not in places:
            places.append(place)  # type: ignore[arg-type]
    return places


def _summary_of(
    engine: Engine, township: str, county: str | None, year: int | None, public_url: str | None
) -> str:
    """The summary of the township's report for ``year`` (the latest when not given)."""
    found = engine.reports(township=township, county=county)
    years = sorted({r.year for r in found if r.year is not None}, reverse=True)
    wanted = [r for r in found if year is None or r.year == year]
    if not wanted:
        listed = "、".join(str(y) for y in years) or "—"
        return _esc(texts.REPORT_NO_YEAR.format(township=township, year=year, years=listed))
    report = max(wanted, key=lambda r: r.year or 0)
    others = [y for y in years if y != report.year]
    return format_report(report, others, public_url)


def format_report(report: Report, other_years: list[int], public_url: str | None) -> str:
    """One report in a few lines of Telegram HTML."""
    head = texts.REPORT_HEAD.format(
        township=_esc(report.township or report.agency or report.id),
        year=_esc(report.year if report.year is not None else "?"),
        agency=_esc(report.agency or ""),
    )
    place = "".join(p for p in (report.province, report.city, report.county) if p)
    lines = [head + (_esc(texts.REPORT_PLACE.format(place=place)) if place else "")]
    applications = report.applications
    lines.append(
        _esc(
            texts.REPORT_APPLICATIONS.format(
                new=_count(applications.get("new")),
                processed=_count(applications.get("total_processed")),
            )
        )
    )
    lines.append(_esc(texts.REPORT_REVIEWS.format(reviews=_number(report.reviews.total))))
    lines += _check_lines(report)
    if other_years:
        years = "、".join(str(y) for y in other_years)
        lines.append(_esc(texts.REPORT_OTHER_YEARS.format(years=years)))
    if public_url:
        url = f"{public_url.rstrip('/')}/reports/{quote(report.id, safe='')}"
        lines.append(texts.REPORT_LINK.format(url=html.escape(url, quote=True)))
    return "\n".join(lines)


def _check_lines(report: Report) -> list[str]:
    if not report.checks:
        return [_esc(texts.REPORT_CHECKS_NONE)]
    lines = [_esc(texts.REPORT_CHECKS.format(n=len(report.checks)))]
    for check in report.checks[:MAX_CHECKS]:
        lines.append(_esc(texts.REPORT_CHECK_LINE.format(message=check.message)))
    if len(report.checks) > MAX_CHECKS:
        lines.append(_esc(texts.REPORT_MORE_CHECKS.format(n=len(report.checks) - MAX_CHECKS)))
    return lines


def _count(row: object) -> str:
    """A table row's total, or the words for a blank cell."""
    return _number(getattr(row, "total", None))


def _number(value: int | float | None) -> str:
    return texts.NOT_GIVEN if value is None else texts.COUNT.format(n=value)


def _esc(value: object) -> str:
    return html.escape(str(value), quote=False)
