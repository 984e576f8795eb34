"""The server-rendered pages and pictures: a report (`/reports/{id}`), its original file
(`/reports/{id}/original`), the browse page (`/reports`) and an answer's chart
(`/api/ask.svg`). Their errors are pages too (see `bot.http_base.PAGE_ROUTES`).
"""

from __future__ import annotations

import asyncio
import hashlib
import math
from pathlib import Path
from urllib.parse import quote

from aiohttp import web

from bot.answer_chart import chart_of
from bot.api_models import QueryParams, ReportFilters
from bot.browse_page import BROWSE_FACETS, Listing, render_browse
from bot.html import Html
from bot.http_base import engine_of, link, parse_params
from bot.listing import csv_link, facets_of, json_link, rows_of
from bot.report_page import render_report
from indexer.models import Report
from search import NotFoundError, QueryError
from search.coverage import Coverage

# The original is someone else's document: shown with no script, no request elsewhere, and
# in an opaque origin (sandbox), so a page that came with a script cannot act as ours.
ORIGINAL_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"
CHART_CSP = "default-src 'none'; style-src 'self'"
_INLINE_TYPES = {"txt": "text/plain", "md": "text/plain", "html": "text/html"}
_DOWNLOAD_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
_HASH_CHUNK = 1 << 20


def html_response(body: Html, status: int = 200) -> web.Response:
    """A page as UTF-8 HTML, not cached (the index may change under it)."""
    return web.Response(
        text=body,
        status=status,
        content_type="text/html",
        charset="utf-8",
        headers={"Cache-Control": "no-cache"},
    )


async def _record(request: web.Request) -> Report:
    engine = await engine_of(request)
    return await asyncio.to_thread(engine.report, request.match_info["id"])


async def report_page(request: web.Request) -> web.Response:
    """One report as its tables, each number linked to its source line; 404 page if unknown."""
    return html_response(render_report(await _record(request)))


def _unchanged(path: Path, sha256: str) -> bool:
    """Whether ``path`` is still the file that was indexed (same SHA-256)."""
    if not path.is_file():
        return False
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest() == sha256


async def report_original(request: web.Request) -> web.FileResponse:
    """The stored file a report was read from: only a file the index knows, by report id, and
    only while it is the file that was indexed."""
    record = await _record(request)
    path = Path(record.source.path)
    if not await asyncio.to_thread(_unchanged, path, record.source.sha256):
        raise NotFoundError(
            "原文件已不在索引时的位置，或已被改动 "
            "(the stored file is gone or has changed since it was indexed)"
        )
    kind = record.source.format
    name = quote(path.name, safe="")
    headers = {"Content-Security-Policy": ORIGINAL_CSP, "Cache-Control": "no-cache"}
    if kind in _INLINE_TYPES:
        charset = record.source.encoding or "utf-8"
        headers["Content-Type"] = f"{_INLINE_TYPES[kind]}; charset={charset}"
        headers["Content-Disposition"] = f"inline; filename*=UTF-8''{name}"
    else:
        headers["Content-Type"] = _DOWNLOAD_TYPES.get(kind, "application/octet-stream")
        headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return web.FileResponse(path, headers=headers)


async def browse(request: web.Request) -> web.Response:
    """Reports filtered by year and place, one page of rows, facets as links, JSON and CSV."""
    params = parse_params(request, ReportFilters, lists=("facet",))
    params = params.model_copy(update={"facet": list(BROWSE_FACETS)})
    rows = await rows_of(request, params)
    start = (params.page - 1) * params.size
    pages = math.ceil(len(rows) / params.size)
    listing = Listing(
        rows=rows[start : start + params.size],
        total=len(rows),
        page=params.page,
        pages=pages,
        facets=facets_of(request, params, rows),
        filters=params.filters(),
        previous=link(request, page=params.page - 1) if params.page > 1 else None,
        next=link(request, page=params.page + 1) if params.page < pages else None,
        json=json_link(request, params),
        csv=csv_link(request),
        remove={name: link(request, page=None, **{name: None}) for name in params.filters()},
        coverage=await _coverage(request, params),
    )
    return html_response(render_browse(listing))


async def _coverage(request: web.Request, params: ReportFilters) -> Coverage | None:
    """The coverage of the county or city browsed (not of a province: too long to list)."""
    if not (params.county or params.city):
        return None
    engine = await engine_of(request)
    try:
        return await asyncio.to_thread(
            engine.coverage, params.county, params.city, params.province, params.year
        )
    except QueryError:  # a place the gazetteer does not know: the list alone
        return None


async def answer_chart(request: web.Request) -> web.Response:
    """The answer to a question as a chart (SVG): bars for a ranking, lines for a series."""
    params = parse_params(request, QueryParams)
    engine = await engine_of(request)
    answer = await asyncio.to_thread(engine.ask, params.q, page=params.page, size=params.size)
    svg = chart_of(answer)
    if svg is None:
        raise NotFoundError(
            f"这个回答没有图表（{answer.intent}）；排名和历年数字才画图 "
            "(only rankings and series are drawn)"
        )
    return web.Response(
        text=svg,
        content_type="image/svg+xml",
        charset="utf-8",
        headers={"Content-Security-Policy": CHART_CSP, "Cache-Control": "no-cache"},
    )


def page_routes() -> list[web.AbstractRouteDef]:
    """The pages' routes (their names are in `PAGE_ROUTES`, whose errors are pages)."""
    return [
        web.get("/reports", browse, name="browse"),
        web.get("/reports/{id}", report_page, name="report_page"),
        web.get("/reports/{id}/original", report_original, name="report_original"),
        web.get("/api/ask.svg", answer_chart, name="answer_chart"),
    ]
