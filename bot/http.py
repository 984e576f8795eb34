"""The HTTP endpoint and the search page (aiohttp): relays `search` answers as JSON.

`create_app` builds the application (no global state; the engine lives in app state under
`ENGINE`); `run_server` serves it, indexing the bundled samples first in demo mode.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import logging
import sys
from collections.abc import AsyncIterator
from pathlib import Path

from aiohttp import hdrs, web

from bot.api_models import (
    AnswerResponse,
    CoverageParams,
    Health,
    QueryParams,
    ReportFilters,
    ReportsResponse,
    RowFilters,
    TownshipParams,
    TownshipsResponse,
)
from bot.http_base import (
    ENGINE,
    LOG_FORMAT,
    SETTINGS,
    AccessLog,
    AppRunner,
    EngineSlot,
    engine_of,
    error_middleware,
    json_response,
    link,
    page_links,
    parse_params,
    security_headers,
)
from bot.listing import CSV_COLUMNS, csv_link, facets_of, rows_of
from bot.openapi import build_openapi
from bot.pages import page_routes
from gongkai.config import Settings
from search import Answer, Engine, IndexMissingError, NotFoundError, QueryError

STATIC_DIR = Path(__file__).parent / "static"
STATIC_FILES = frozenset(path.name for path in STATIC_DIR.iterdir() if path.is_file())
CSV_CHUNK_ROWS = 200
MAX_URL_BYTES = 64 * 1024


# -- handlers ------------------------------------------------------------------------------


async def healthz(request: web.Request) -> web.Response:
    """Whether an index is open, the number of reports and the index age."""
    try:
        engine = await engine_of(request)
    except IndexMissingError as exc:
        return json_response(Health(ok=False, message=str(exc)), status=503)
    stats = await asyncio.to_thread(engine.stats)
    age = stats.get("index_age_seconds", stats.get("index_age"))
    health = Health(
        ok=True,
        reports=int(stats.get("reports", 0) or 0),  # type: ignore[call-overload]
        townships=int(stats.get("townships", 0) or 0),  # type: ignore[call-overload]
        years=sorted(stats.get("years") or []),  # type: ignore[type-var]
        index_age_seconds=float(age) if age is not None else None,  # type: ignore[arg-type]
    )
    return json_response(health)


async def _answer(request: web.Request, method: str) -> web.Response:
    params = parse_params(request, QueryParams)
    engine = await engine_of(request)
    answer: Answer = await asyncio.to_thread(
        getattr(engine, method), params.q, page=params.page, size=params.size
    )
    links = page_links(request, params.page, params.size, answer.total)
    return json_response(AnswerResponse(**answer.model_dump(), **links))


async def ask(request: web.Request) -> web.Response:
    """The `Answer` to a question (contact, filter, ranking, count or keywords)."""
    return await _answer(request, "ask")


async def search(request: web.Request) -> web.Response:
    """Keyword hits with highlighted snippets, total, and the next page's link."""
    return await _answer(request, "search")


async def reports(request: web.Request) -> web.Response:
    """Records filtered by year and place, one compact row each, with facet counts and links."""
    params = parse_params(request, ReportFilters, lists=("facet",))
    rows = await rows_of(request, params)
    start = (params.page - 1) * params.size
    more = start + params.size < len(rows)
    body = ReportsResponse(
        filters=params.filters(),
        total=len(rows),
        page=params.page,
        page_size=params.size,
        rows=rows[start : start + params.size],
        facets=facets_of(request, params, rows),
        next=link(request, page=params.page + 1) if more else None,
        csv=csv_link(request),
    )
    return json_response(body)


async def reports_csv(request: web.Request) -> web.StreamResponse:
    """The filtered rows (all of them) as CSV: UTF-8 with a BOM, so Excel reads the Chinese."""
    rows = await rows_of(request, parse_params(request, RowFilters))
    response = web.StreamResponse(
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": 'attachment; filename="reports.csv"',
        }
    )
    await response.prepare(request)
    if request.method == hdrs.METH_HEAD:
        # A streamed response is written as it is given: a HEAD must get none of it, or the
        # rows would be read as the start of the next response on a kept-alive connection.
        await response.write_eof()
        return response
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(CSV_COLUMNS)
    for i in range(0, len(rows), CSV_CHUNK_ROWS):
        for row in rows[i : i + CSV_CHUNK_ROWS]:
            writer.writerow(["" if (v := getattr(row, c)) is None else v for c in CSV_COLUMNS])
        await response.write(buffer.getvalue().encode("utf-8"))
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        await response.write(buffer.getvalue().encode("utf-8"))
    await response.write_eof()
    return response


async def report(request: web.Request) -> web.Response:
    """One full record by id; 404 for an unknown id."""
    engine = await engine_of(request)
    record = await asyncio.to_thread(engine.report, request.match_info["id"])
    return json_response(record)


async def townships(request: web.Request) -> web.Response:
    """Townships whose name matches (for autocomplete), with their contact details."""
    params = parse_params(request, TownshipParams)
    engine = await engine_of(request)
    results = await asyncio.to_thread(engine.townships, params.q, params.limit)
    return json_response(TownshipsResponse(query=params.q, results=results))


async def coverage(request: web.Request) -> web.Response:
    """Which townships of a county (or of each county of a city or province) have a report of
    the year, n / N per county and in all; 404 for a place the gazetteer does not know."""
    params = parse_params(request, CoverageParams)
    engine = await engine_of(request)
    try:
        found = await asyncio.to_thread(
            engine.coverage, params.county, params.city, params.province, params.year
        )
    except QueryError as exc:  # the year is checked above: this is a place nobody knows
        raise NotFoundError(str(exc)) from None
    return json_response(found)


async def openapi(request: web.Request) -> web.Response:
    """The OpenAPI 3.1 description, built from the models the handlers validate with."""
    return web.json_response(build_openapi(request.app[SETTINGS]))


async def page(request: web.Request) -> web.FileResponse:
    """The search page."""
    return web.FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-cache"})


async def static_file(request: web.Request) -> web.FileResponse:
    """One of the page's files (script, stylesheet); a JSON 404 for any other name."""
    # Not `web.static`: its handler answers a missing file with an empty octet-stream 404
    # from inside the response, where the error middleware cannot turn it into JSON.
    name = request.match_info["name"]
    if name not in STATIC_FILES:
        raise web.HTTPNotFound()
    return web.FileResponse(STATIC_DIR / name)


def _routes() -> list[web.AbstractRouteDef]:
    return [
        web.get("/", page, name="page"),
        web.get("/healthz", healthz, name="healthz"),
        web.get("/api/ask", ask, name="ask"),
        web.get("/api/search", search, name="search"),
        web.get("/api/reports", reports, name="reports"),
        web.get("/api/reports.csv", reports_csv, name="reports_csv"),
        web.get("/api/reports/{id}", report, name="report"),
        web.get("/api/townships", townships, name="townships"),
        web.get("/api/coverage", coverage, name="coverage"),
        web.get("/openapi.json", openapi, name="openapi"),
        web.get("/static/{name}", static_file, name="static"),
        *page_routes(),
    ]


# -- application ---------------------------------------------------------------------------


async def _engine_ctx(app: web.Application) -> AsyncIterator[None]:
    slot = app[ENGINE]
    if slot.engine is None:
        await slot.refresh()
    yield
    await slot.close()


def create_app(settings: Settings, engine: Engine | None = None) -> web.Application:
    """The application: routes, error middleware, and the engine opened on start-up."""
    app = web.Application(
        middlewares=[error_middleware],
        client_max_size=64 * 1024,
        # A long Chinese query is ~9 bytes a character once percent-encoded: let such a URL
        # reach the handler, which answers with a JSON error, rather than the parser's text.
        handler_args={"max_line_size": MAX_URL_BYTES, "access_log_class": AccessLog},
    )
    app[SETTINGS] = settings
    app[ENGINE] = EngineSlot(settings.index_dir, engine)
    app.cleanup_ctx.append(_engine_ctx)
    app.on_response_prepare.append(security_headers)
    app.add_routes(_routes())
    return app


def _demo_index(settings: Settings) -> None:
    from indexer import run_index

    corpus = [path for path in settings.corpus_dirs if path.exists()]
    if not corpus:
        raise SystemExit(f"gongkai: no corpus folder found: {settings.corpus_dirs}")
    print(f"gongkai: indexing {', '.join(map(str, corpus))} into {settings.index_dir} …")
    summary = run_index(corpus, settings.index_dir, progress=sys.stderr.isatty())
    print(summary.describe())


def run_server(
    settings: Settings, host: str | None = None, port: int | None = None, demo: bool = False
) -> None:
    """Serve the API and page until Ctrl-C; with ``demo``, bring the sample index up to date."""
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    if demo:
        _demo_index(settings)
    app = create_app(settings)
    if settings.bot.webhook_url:
        from bot.telegram import attach_webhook

        attach_webhook(app, settings)
    host = host or settings.server.host
    port = settings.server.port if port is None else port
    with contextlib.suppress(web.GracefulExit, KeyboardInterrupt):
        asyncio.run(_serve_forever(app, host, port))


async def start_server(
    app: web.Application, host: str, port: int, handle_signals: bool = False
) -> AppRunner:
    """Start serving ``app`` on ``host:port`` (0: a free port); stop it with ``cleanup()``."""
    # Our own runner rather than `web.run_app`: it is what answers the HTTP parser's own
    # errors (bad request line, oversized URL) with the JSON error, see `JsonErrorProtocol`.
    runner = AppRunner(app, handle_signals=handle_signals, keepalive_timeout=75.0)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except BaseException:
        await runner.cleanup()
        raise
    return runner


async def _serve_forever(app: web.Application, host: str, port: int) -> None:
    runner = await start_server(app, host, port, handle_signals=True)
    shown = f"[{host}]" if ":" in host else host
    print(f"gongkai: serving on http://{shown}:{port}/  (Ctrl-C to stop)", flush=True)
    try:
        await asyncio.Event().wait()  # until SIGINT or SIGTERM raises GracefulExit
    finally:
        await runner.cleanup()
