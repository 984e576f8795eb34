"""The HTTP endpoint's plumbing: app state, query validation, links, JSON errors, the runner."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from http import HTTPStatus
from pathlib import Path
from typing import Any, TypeVar

from aiohttp import hdrs, web
from aiohttp.abc import AbstractAccessLogger
from aiohttp.http_exceptions import BadHttpMethod, BadStatusLine, InvalidHeader, LineTooLong
from multidict import MultiDict
from pydantic import BaseModel, ValidationError

from bot.api_models import error_body
from bot.html import error_page
from gongkai.config import Settings
from search import Engine, IndexMissingError, SearchError

log = logging.getLogger("gongkai.http")

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"  # `serve` and `bot` alike
RELOAD_INTERVAL = 2.0  # seconds between two looks at whether the index was replaced
_HTTP_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    500: "internal",
}
API_METHODS = ("GET", "HEAD")
# Routes whose errors are pages for a person rather than JSON for a program.
PAGE_ROUTES = frozenset({"report_page", "report_original", "browse"})
INTERNAL = "internal error; it has been logged"
LOGGED_TEXT = 300  # characters of a URL or header value an access log line keeps
# What the HTTP parser's refusals mean, most specific first; anything else is "malformed".
_PARSER_REFUSALS: tuple[tuple[type[Exception], str], ...] = (
    (LineTooLong, "a line of the request is too long (URL at most {url} bytes, header {field})"),
    (BadHttpMethod, "the request line names no valid HTTP method"),
    (BadStatusLine, "the request line is malformed"),
    (InvalidHeader, "a request header is malformed"),
)
_PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}

M = TypeVar("M", bound=BaseModel)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class EngineSlot:
    """Holds the open `Engine` (or none yet); re-opens or reloads it at most every few seconds."""

    def __init__(self, index_dir: Path, engine: Engine | None = None) -> None:
        self.index_dir = index_dir
        self.engine = engine
        self.owned = engine is None  # an engine handed in belongs to the caller: never closed here
        self._last_look = time.monotonic() if engine is not None else 0.0
        self._lock = asyncio.Lock()

    async def close(self) -> None:
        """Close the engine if this slot opened it."""
        if self.owned and self.engine is not None:
            await asyncio.to_thread(self.engine.close)
            self.engine = None

    async def get(self) -> Engine:
        """The engine, freshly reloaded if an index run replaced it; `IndexMissingError` if none."""
        if time.monotonic() - self._last_look >= RELOAD_INTERVAL:
            async with self._lock:
                if time.monotonic() - self._last_look >= RELOAD_INTERVAL:
                    await self.refresh()
        if self.engine is None:
            raise IndexMissingError(
                f"no index at {self.index_dir}: run `gongkai index` or `gongkai serve --demo`"
            )
        return self.engine

    async def refresh(self) -> None:
        """Open the index if there is none yet, else reload it if an index run replaced it."""
        self._last_look = time.monotonic()
        if self.engine is None:
            try:
                self.engine = await asyncio.to_thread(Engine, self.index_dir)
            except IndexMissingError:
                log.warning("no index at %s yet", self.index_dir)
        elif await asyncio.to_thread(self.engine.reload_if_changed):
            log.info("index at %s reloaded", self.index_dir)


SETTINGS = web.AppKey("settings", Settings)
ENGINE = web.AppKey("engine", EngineSlot)


# -- helpers -------------------------------------------------------------------------------


def parse_params(request: web.Request, model: type[M], lists: Iterable[str] = ()) -> M:
    """Validate the query string into ``model``, with the bounds from settings."""
    query = request.rel_url.query
    data: dict[str, Any] = {key: query.get(key) for key in query}
    data.update({key: query.getall(key) for key in lists if key in query})
    server = request.app[SETTINGS].server
    context = {"max_query_length": server.max_query_length, "max_page_size": server.max_page_size}
    return model.model_validate(data, context=context)


def json_response(model: BaseModel, status: int = 200) -> web.Response:
    """A model as a JSON response (UTF-8, non-ASCII kept as is)."""
    return web.Response(
        text=model.model_dump_json(), status=status, content_type="application/json"
    )


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> web.Response:
    """An error in the API's shape: ``{"error": {"code", "message"}}``."""
    return web.json_response(error_body(code, message), status=status, headers=headers)


def link(request: web.Request, **changes: str | int | None) -> str:
    """The current URL (path and query) with some parameters set or, with None, removed."""
    query = MultiDict(request.rel_url.query)
    for key, value in changes.items():
        query.popall(key, None)
        if value is not None:
            query[key] = str(value)
    return str(request.rel_url.with_query(query))


def page_links(request: web.Request, page: int, size: int, total: int) -> dict[str, str | None]:
    """Links to the next and previous pages, or None where there is no such page."""
    more = page * size < total
    return {
        "next": link(request, page=page + 1) if more else None,
        "previous": link(request, page=page - 1) if page > 1 else None,
    }


async def engine_of(request: web.Request) -> Engine:
    """The app's engine, reloaded if due; `IndexMissingError` when there is no index."""
    return await request.app[ENGINE].get()


def _validation_message(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors(include_url=False, include_input=False):
        where = ".".join(str(p) for p in err["loc"]) or "request"
        parts.append(f"{where}: {err['msg'].removeprefix('Value error, ')}")
    return "; ".join(parts)


# -- middleware ----------------------------------------------------------------------------


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every failure becomes a short JSON error (an HTML page on the pages); an unexpected one
    is logged with its traceback."""
    try:
        if not request.path.startswith("/"):
            # CONNECT host:port or OPTIONS *: the target is no resource of ours, and there is
            # no method it could be asked with, so 405 (not the router's 404).
            raise web.HTTPMethodNotAllowed(request.method, API_METHODS)
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        allow = {"Allow": exc.headers["Allow"]} if "Allow" in exc.headers else None
        code = _HTTP_CODES.get(exc.status, "http_error")
        return _failure(request, exc.status, code, exc.reason, allow)
    except ValidationError as exc:
        return _failure(request, 400, "bad_request", _validation_message(exc))
    except IndexMissingError as exc:
        return _failure(request, exc.status, "index_missing", str(exc))
    except SearchError as exc:
        code = {400: "bad_query", 404: "not_found"}.get(exc.status, "search_error")
        return _failure(request, exc.status, code, str(exc) or exc.__class__.__name__)
    except Exception:
        log.error("unhandled error on %s %s", request.method, request.rel_url, exc_info=True)
        return _failure(request, 500, "internal", INTERNAL)


def _failure(
    request: web.Request,
    status: int,
    code: str,
    message: str,
    headers: dict[str, str] | None = None,
) -> web.Response:
    """The error as JSON, or as a page for a person where the route is one of the pages."""
    if getattr(request.match_info.route, "name", None) in PAGE_ROUTES:
        body = error_page(status, message)
        return web.Response(
            text=body, status=status, content_type="text/html", charset="utf-8", headers=headers
        )
    return error_response(status, code, message, headers=headers)


async def security_headers(request: web.Request, response: web.StreamResponse) -> None:
    """Add the page's security headers (CSP, nosniff, referrer policy) to every response."""
    for key, value in _PAGE_HEADERS.items():
        response.headers.setdefault(key, value)


# -- connections -----------------------------------------------------------------------------


class JsonErrorProtocol(web.RequestHandler):
    """A connection that answers the errors aiohttp raises before any middleware as JSON.

    The HTTP parser refuses a malformed request (bad request line, oversized URL or header)
    before the application sees it, and aiohttp answers from `RequestHandler.handle_error`
    with plain text, logging an ERROR with a traceback. That method is aiohttp's one place
    for such answers, and the server's handler factory is where its class is chosen (see
    `JsonErrorServer`), so it is overridden here: the documented JSON error, one log line.
    """

    def handle_error(
        self,
        request: web.BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        """The error as JSON; a refused request logs one line, a failure its traceback."""
        if status >= 500:
            self.log_exception("Error handling request from %s", request.remote, exc_info=exc)
            text = INTERNAL if status == 500 else HTTPStatus(status).phrase
        else:
            text = self._refusal(exc)
            log.info("refused a malformed request from %s: %s", request.remote, text)
        if request.writer.output_size > 0:
            raise ConnectionError("response already started: no room for the error")
        # No route matched, so the app's on_response_prepare never runs: add its headers here.
        headers = dict(_PAGE_HEADERS)
        response = error_response(status, _HTTP_CODES.get(status, "http_error"), text, headers)
        response.force_close()
        return response

    def _refusal(self, exc: BaseException | None) -> str:
        """Why the parser refused the request, in a sentence with no request bytes in it."""
        for kind, text in _PARSER_REFUSALS:
            if isinstance(exc, kind):
                return text.format(url=self.max_line_size, field=self.max_field_size)
        return "the request is malformed"


class JsonErrorServer(web.Server):
    """A `web.Server` whose connections are `JsonErrorProtocol`s."""

    def __call__(self) -> web.RequestHandler:
        """A protocol for a new connection (the listening socket's factory)."""
        return JsonErrorProtocol(self, loop=self._loop, **self._kwargs)


class AppRunner(web.AppRunner):
    """An `AppRunner` serving through `JsonErrorServer`: the parser's errors come as JSON."""

    async def _make_server(self) -> web.Server:
        # The application builds its `web.Server` itself (start-up signals, request factory,
        # `handler_args`); take what it built and serve the same through the subclass.
        made = await super()._make_server()
        return JsonErrorServer(
            made.request_handler,
            request_factory=made.request_factory,
            handler_cancellation=made.handler_cancellation,
            loop=asyncio.get_running_loop(),
            **made._kwargs,
        )


def _cut(text: str, limit: int = LOGGED_TEXT) -> str:
    return text if len(text) <= limit else f"{text[:limit]}…(+{len(text) - limit})"


class AccessLog(AbstractAccessLogger):
    """aiohttp's access line, with the URL and header values cut to `LOGGED_TEXT` characters."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        """Log one request in one line of bounded length."""
        version = f"HTTP/{request.version.major}.{request.version.minor}"
        self.logger.info(
            '%s "%s %s %s" %d %d "%s" "%s" %.1fms',
            request.remote or "-",
            request.method,
            _cut(request.path_qs),
            version,
            response.status,
            response.body_length,
            _cut(request.headers.get(hdrs.REFERER, "-")),
            _cut(request.headers.get(hdrs.USER_AGENT, "-")),
            time * 1000,
        )

    @property
    def enabled(self) -> bool:
        """Whether a line would be written at all (skip the formatting if not)."""
        return self.logger.isEnabledFor(logging.INFO)
