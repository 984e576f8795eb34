"""The browse page, `/reports`: the compact rows of `bot.listing` as a table, the facets
(year, province, city, county) as links, paging, and the same list as JSON and CSV.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from bot.api_models import Facet, ReportRow
from bot.html import Html, document, join, tag
from bot.report_page import report_url
from search.coverage import CountyCoverage, Coverage

BROWSE_FACETS = ("year", "province", "city", "county")
FACET_TITLES = {"year": "年度", "province": "省", "city": "市", "county": "县区"}
FACET_SHOWN = 30  # values listed per facet; the rest are counted (narrow by place first)
COLUMNS: tuple[tuple[str, str], ...] = (
    ("applications_new", "新收申请"),
    ("licensing", "行政许可"),
    ("penalties", "行政处罚"),
    ("reviews", "行政复议"),
)


@dataclass(frozen=True)
class Listing:
    """One page of the list and everything around it."""

    rows: list[ReportRow]
    total: int
    page: int
    pages: int
    facets: list[Facet]
    filters: dict[str, str | int]
    previous: str | None
    next: str | None
    json: str
    csv: str
    remove: dict[str, str]  # filter name -> the link without it
    coverage: Coverage | None = None  # when a county or city is chosen


def _facet(facet: Facet) -> Html:
    shown = facet.values[:FACET_SHOWN]
    items = [
        tag(
            "li",
            tag(
                "a",
                str(v.value),
                " ",
                tag("span", str(v.count), class_="count"),
                (tag("span", " ✕ 取消", class_="en") if v.selected else None),
                href=v.url,
                aria_current="true" if v.selected else None,
                class_="selected" if v.selected else None,
            ),
        )
        for v in shown
    ]
    rest = len(facet.values) - len(shown)
    more = tag("li", f"另有 {rest} 项", class_="muted") if rest > 0 else None
    return tag(
        "div",
        tag("h3", FACET_TITLES[facet.name]),
        tag("ul", items, more, class_="facet-values"),
        class_="facet",
        data_facet=facet.name,
    )


def _place(row: ReportRow) -> str:
    return " · ".join(dict.fromkeys(p for p in (row.province, row.city, row.county) if p))


def _cell(value: int | None) -> Html:
    return tag("td", "" if value is None else str(value), class_="n")


def _table(rows: list[ReportRow]) -> Html:
    head = tag(
        "tr",
        tag("th", "乡镇 / 机关", scope="col"),
        tag("th", "地区", scope="col"),
        tag("th", "年度", scope="col"),
        [tag("th", label, scope="col", class_="n") for _, label in COLUMNS],
        tag("th", "未通过检查", scope="col", class_="n"),
    )
    body = [
        tag(
            "tr",
            tag(
                "th",
                tag("a", row.township or row.agency or row.id, href=report_url(row.id)),
                tag("div", row.agency, class_="muted small") if row.township else None,
                scope="row",
            ),
            tag("td", _place(row)),
            tag("td", "" if row.year is None else str(row.year)),
            [_cell(getattr(row, name)) for name, _ in COLUMNS],
            tag("td", str(row.checks) if row.checks else "", class_="n"),
            data_report=row.id,
        )
        for row in rows
    ]
    return tag(
        "div",
        tag("table", tag("thead", head), tag("tbody", body), class_="list"),
        class_="table-wrap",
    )


def _paging(listing: Listing) -> Html:
    return tag(
        "nav",
        tag("a", "← 上一页", href=listing.previous, rel="prev") if listing.previous else None,
        tag("span", f"第 {listing.page} / {max(listing.pages, 1)} 页"),
        tag("a", "下一页 →", href=listing.next, rel="next") if listing.next else None,
        class_="paging",
        aria_label="分页 pages",
    )


def render_browse(listing: Listing) -> Html:
    """The whole browse page."""
    chosen = [
        tag(
            "a",
            f"{FACET_TITLES.get(k, k)}：{v} ✕",
            href=listing.remove[k],
            class_="chip",
            aria_label=f"取消筛选 {v}",
        )
        for k, v in listing.filters.items()
    ]
    summary = tag(
        "p",
        f"共 {listing.total} 份报告",
        "（已筛选：" if chosen else None,
        join(chosen),
        "）" if chosen else None,
        class_="summary",
    )
    exports = tag(
        "p",
        "导出：",
        tag("a", "本页 JSON", href=listing.json, type="application/json"),
        " · ",
        tag("a", f"全部 {listing.total} 条 CSV", href=listing.csv, type="text/csv"),
        class_="exports",
    )
    facets = tag(
        "aside", [_facet(f) for f in listing.facets], class_="facets", aria_label="筛选 facets"
    )
    rows = _table(listing.rows) if listing.rows else tag("p", "没有符合条件的报告。")
    return document(
        "浏览报告 — 政府信息公开年报问答",
        tag("h1", "浏览报告 ", tag("span", "Browse reports", class_="en")),
        summary,
        tag(
            "div",
            facets,
            tag(
                "div",
                rows,
                _paging(listing),
                exports,
                coverage_section(listing.coverage) if listing.coverage else None,
                class_="listing",
            ),
            class_="browse-layout",
        ),
        description="按年度和地区浏览乡镇政府信息公开工作年度报告",
    )


def _coverage_link(county: CountyCoverage, township: str, year: int | None) -> str:
    query = {"province": county.province, "county": county.county, "township": township}
    if year is not None:
        query["year"] = str(year)
    return "/reports?" + urlencode({k: v for k, v in query.items() if v})


def coverage_table(county: CountyCoverage, year: int | None) -> Html:
    """One county's townships for a year, the ones without a report marked in words."""
    rows = [
        tag(
            "tr",
            tag("th", name, scope="row"),
            tag("td", tag("a", "✓ 已发布", href=_coverage_link(county, name, year))),
        )
        for name in county.reported
    ] + [
        tag("tr", tag("th", name, scope="row"), tag("td", "✗ 未发布"), class_="missing")
        for name in county.missing
    ]
    caption = f"{county.county} {year or ''} 年报告：已发布 {county.n} / {county.total}"
    extra = None
    if county.unlisted:
        extra = tag(
            "tr",
            tag(
                "td",
                "另有报告、但区划名录未列于本县的乡镇：" + "、".join(county.unlisted),
                colspan=2,
            ),
        )
    return tag(
        "table",
        tag("caption", caption),
        tag("thead", tag("tr", tag("th", "乡镇", scope="col"), tag("th", "状态", scope="col"))),
        tag("tbody", rows, extra),
        class_="coverage",
        data_county=county.county,
    )


def coverage_section(found: Coverage) -> Html:
    """Coverage of the place browsed: the sums, then each county's table."""
    lead = tag(
        "p",
        f"{found.year or ''} 年度：区划名录所列乡镇中 {found.n} / {found.total} 个已发布年报。",
        "（“✗ 未发布”指索引中没有该乡镇这一年的报告。）",
    )
    return tag(
        "section",
        tag("h2", "发布情况 ", tag("span", "Coverage", class_="en")),
        lead,
        [coverage_table(c, found.year) for c in found.counties],
        class_="coverage-section",
    )
