"""Report lists shared by `/api/reports`, its CSV and the browse page `/reports`: compact rows
built from the index's rows and figure columns (`Engine.summaries`), never from full records,
so a list of a whole province costs what its rows cost; facet counts with their links.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any
from urllib.parse import quote

from aiohttp import web
from multidict import MultiDict

from bot.api_models import Facet, FacetValue, ReportFilters, ReportRow, RowFilters
from bot.http_base import engine_of, link

SUMMARY = (
    "applications.new.total",
    "proactive.licensing",
    "proactive.penalties",
    "reviews.total",
    "checks",
)
CSV_COLUMNS: tuple[str, ...] = tuple(name for name in ReportRow.model_fields if name != "url")


def _row(row: Any, figures: tuple[int | float | None, ...]) -> ReportRow:
    applications, licensing, penalties, reviews, checks = figures
    return ReportRow(
        id=row.id,
        title=row.title,
        agency=row.agency,
        township=row.township,
        county=row.county,
        city=row.city,
        province=row.province,
        year=row.year,
        applications_new=applications,
        licensing=licensing,
        penalties=penalties,
        reviews=reviews,
        checks=int(checks or 0),
        url=f"/api/reports/{quote(row.id, safe='')}",
    )


def _sort_key(row: ReportRow) -> tuple[Any, ...]:
    return (
        -(row.year or 0),
        row.province or "",
        row.city or "",
        row.county or "",
        row.township or "",
        row.id,
    )


async def rows_of(request: web.Request, params: RowFilters) -> list[ReportRow]:
    """The filtered rows, newest year first, then by place."""
    engine = await engine_of(request)
    found = await asyncio.to_thread(engine.summaries, SUMMARY, **params.filters())
    return sorted((_row(r, figures) for r, figures in found), key=_sort_key)


def _toggle(request: web.Request, name: str, value: str | int, selected: bool) -> str:
    """A link that applies a facet value, or removes it when it is already applied."""
    return link(request, page=None, **{name: None if selected else value})


def facets_of(request: web.Request, params: ReportFilters, rows: list[ReportRow]) -> list[Facet]:
    """Counts of each value of each facet over ``rows``, most frequent first, with links."""
    facets = []
    chosen = params.filters()
    for name in dict.fromkeys(params.facet):
        counts = Counter(getattr(row, name) for row in rows if getattr(row, name) is not None)
        values = [
            FacetValue(
                value=value,
                count=count,
                selected=chosen.get(name) == value,
                url=_toggle(request, name, value, chosen.get(name) == value),
            )
            for value, count in sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))
        ]
        facets.append(Facet(name=name, values=values))
    return facets


def csv_link(request: web.Request) -> str:
    """The CSV of the same filtered rows: the filters stay, facets and paging go."""
    query = MultiDict(
        (k, v) for k, v in request.rel_url.query.items() if k not in ("facet", "page", "size")
    )
    return str(request.rel_url.with_path("/api/reports.csv").with_query(query))


def json_link(request: web.Request, params: ReportFilters) -> str:
    """`/api/reports` with the same filters and page: the rows a page shows, as JSON."""
    query = MultiDict(
        (k, v) for k, v in request.rel_url.query.items() if k not in ("facet", "page", "size")
    )
    query["page"] = str(params.page)
    query["size"] = str(params.size)
    return str(request.rel_url.with_path("/api/reports").with_query(query))
