"""The HTTP server at its edges: HEAD, requests its parser refuses, odd methods, logs.

A live server (the same runner `gongkai serve` uses) on a loopback port over the session's
index of the samples. The aiohttp client sends what an HTTP client can; a raw socket sends the
bytes a client refuses to (a malformed request line, an oversized URL) and keeps one
connection alive across a HEAD and a GET.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiohttp
import jsonschema_rs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.api_models import QueryParams, TownshipParams
from bot.http import MAX_URL_BYTES, create_app, start_server
from bot.http_base import LOGGED_TEXT
from bot.openapi import build_openapi
from gongkai.config import Settings

Live = tuple[str, int, aiohttp.ClientSession]


@pytest.fixture
async def live(sample_index: Path) -> AsyncIterator[Live]:
    """The app served by `start_server` on 127.0.0.1, and a client session for it."""
    runner = await start_server(create_app(Settings(index_dir=sample_index)), "127.0.0.1", 0)
    host, port = runner.addresses[0][:2]
    async with aiohttp.ClientSession(f"http://{host}:{port}") as session:
        yield host, port, session
    await runner.cleanup()


async def _exchange(live: Live, data: bytes) -> bytes:
    """Send raw bytes on one connection; everything the server sends until it closes."""
    reader, writer = await asyncio.open_connection(live[0], live[1])
    try:
        writer.write(data)
        await writer.drain()
        return await asyncio.wait_for(reader.read(), 60)  # a guard against a hang, not a timing
    finally:
        writer.close()


def _split_head(raw: bytes) -> tuple[int, dict[str, str], bytes]:
    """The status and headers of the response at the start of ``raw``, and the bytes after."""
    head, sep, rest = raw.partition(b"\r\n\r\n")
    assert sep, raw[:200]
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
    return int(status_line.split()[1]), headers, rest


def _json_error(raw: bytes, status: int, code: str) -> str:
    """Check a whole raw response is the API's JSON error; its message."""
    got, headers, body = _split_head(raw)
    assert got == status, raw[:300]
    assert headers["content-type"].startswith("application/json")
    assert len(body) == int(headers["content-length"])
    error = json.loads(body)
    assert set(error) == {"error"} and error["error"]["code"] == code
    assert error["error"]["message"]
    return str(error["error"]["message"])


async def _report_id(live: Live) -> str:
    async with live[2].get("/api/reports?size=1") as response:
        return str((await response.json())["rows"][0]["id"])


# -- HEAD ----------------------------------------------------------------------------------

GET_ROUTES = {
    "/": "/",
    "/healthz": "/healthz",
    "/api/ask": "/api/ask?q=" + quote("长胜乡电话"),
    "/api/search": "/api/search?q=" + quote("微信公众号"),
    "/api/reports": "/api/reports?facet=year",
    "/api/reports.csv": "/api/reports.csv",
    "/api/reports/{id}": "/api/reports/{id}",
    "/api/townships": "/api/townships?q=" + quote("长胜"),
    "/openapi.json": "/openapi.json",
    "/static/{name}": "/static/app.js",
    "/reports": "/reports?year=2023",
    "/reports/{id}": "/reports/{id}",
    "/reports/{id}/original": "/reports/{id}/original",
    "/api/ask.svg": "/api/ask.svg?q=" + quote("哪个乡镇行政处罚最多"),
    "/api/coverage": "/api/coverage?county=" + quote("集贤县"),
}


def test_the_head_table_covers_every_get_route(sample_index: Path) -> None:
    app = create_app(Settings(index_dir=sample_index))
    routes = {r.resource.canonical for r in app.router.routes() if r.method == "GET" and r.resource}
    assert routes == set(GET_ROUTES)


@pytest.mark.parametrize("route", sorted(GET_ROUTES))
async def test_head_sends_no_body_and_the_next_response_on_the_connection_is_intact(
    live: Live, route: str
) -> None:
    url = GET_ROUTES[route].replace("{id}", await _report_id(live))
    async with live[2].get(url) as get:
        assert get.status == 200
        await get.read()
    raw = await _exchange(
        live,
        f"HEAD {url} HTTP/1.1\r\nHost: t\r\n\r\n".encode()
        + b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
    )
    status, headers, rest = _split_head(raw)
    assert status == 200 and headers["content-type"] == get.headers["Content-Type"]
    assert rest.startswith(b"HTTP/1.1 200 OK\r\n"), rest[:120]  # no byte of a body in between
    status, headers, body = _split_head(rest)
    assert len(body) == int(headers["content-length"])
    assert json.loads(body)["ok"] is True


# -- what the HTTP parser refuses ----------------------------------------------------------

PARSER_REFUSALS = {
    "bad request line": b"GET / HTTP/1.1 extra\r\nHost: t\r\n\r\n",
    "no method": b"\x16\x03\x01 hello\r\n\r\n",
    "oversized URL": b"GET /api/ask?q=" + b"a" * MAX_URL_BYTES + b" HTTP/1.1\r\nHost: t\r\n\r\n",
    "bad header": b"GET /healthz HTTP/1.1\r\nHo st: t\r\n\r\n",
    "oversized header": b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-Long: " + b"b" * 9000 + b"\r\n\r\n",
}


@pytest.mark.parametrize("name", sorted(PARSER_REFUSALS))
async def test_a_request_the_parser_refuses_is_a_json_400_logged_in_one_line(
    live: Live, name: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        raw = await _exchange(live, PARSER_REFUSALS[name])
    message = _json_error(raw, 400, "bad_request")
    assert "aaaa" not in message and "bbbb" not in message  # the request is not echoed
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.WARNING]
    ours = [r.getMessage() for r in caplog.records if r.name == "gongkai.http"]
    assert len(ours) == 1 and "malformed request" in ours[0] and "\n" not in ours[0]


async def test_a_refused_request_after_a_good_one_on_a_kept_alive_connection(live: Live) -> None:
    reader, writer = await asyncio.open_connection(live[0], live[1])
    try:
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        status, headers, _ = _split_head(await reader.readuntil(b"\r\n\r\n"))
        assert status == 200
        assert json.loads(await reader.readexactly(int(headers["content-length"])))["ok"]
        writer.write(b"GET / HTTP/1.1 extra\r\n\r\n")
        raw = await asyncio.wait_for(reader.read(), 60)  # a guard against a hang
    finally:
        writer.close()
    _json_error(raw, 400, "bad_request")


async def test_a_long_url_within_the_limit_reaches_the_handler(live: Live) -> None:
    q = quote("长胜乡" * 1000)  # 3000 characters, 27 KB encoded: the handler's own 400
    async with live[2].get(f"/api/ask?q={q}") as response:
        assert response.status == 400
        assert "longer than 500" in (await response.json())["error"]["message"]


# -- static files, methods -----------------------------------------------------------------


@pytest.mark.parametrize("path", ["/static/nope.js", "/static/", "/static/..%2Fhttp.py"])
async def test_an_unknown_static_file_is_a_json_404(live: Live, path: str) -> None:
    raw = await _exchange(
        live, f"GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".encode()
    )
    _json_error(raw, 404, "not_found")
    async with live[2].get("/static/style.css") as response:
        assert response.status == 200 and response.content_type == "text/css"


@pytest.mark.parametrize(
    "request_line",
    ["CONNECT example.com:443 HTTP/1.1", "CONNECT /api/ask HTTP/1.1", "OPTIONS * HTTP/1.1"],
)
async def test_a_target_that_is_no_path_is_405(live: Live, request_line: str) -> None:
    raw = await _exchange(live, f"{request_line}\r\nHost: t\r\nConnection: close\r\n\r\n".encode())
    _json_error(raw, 405, "method_not_allowed")
    assert _split_head(raw)[1]["allow"] == "GET,HEAD"


@pytest.mark.parametrize("method", ["PROPFIND", "DELETE", "PATCH", "OPTIONS"])
async def test_an_unknown_method_on_a_known_path_is_405_and_on_an_unknown_path_404(
    live: Live, method: str
) -> None:
    async with live[2].request(method, "/api/ask?q=x") as response:
        assert response.status == 405 and "GET" in response.headers["Allow"]
        assert (await response.json())["error"]["code"] == "method_not_allowed"
    async with live[2].request(method, "/no/such/path") as response:
        assert response.status == 404
        assert (await response.json())["error"]["code"] == "not_found"


# -- CSV parameters ------------------------------------------------------------------------


async def test_the_csv_ignores_size_page_and_facet(live: Live) -> None:
    async with live[2].get("/api/reports.csv?province=黑龙江省") as response:
        plain = await response.read()
    query = "province=黑龙江省&size=100000&page=0&facet=colour"
    async with live[2].get(f"/api/reports.csv?{query}") as response:
        assert response.status == 200
        assert await response.read() == plain
    async with live[2].get("/api/reports.csv?year=twenty") as response:
        assert response.status == 400  # the filters themselves are still checked


# -- q: the OpenAPI description and the server agree ---------------------------------------

QUERIES = [
    "\x00",
    "a\x00b",
    "\x85",
    " \t\u3000\u2028",
    "\xa0x",
    "\ufeff",
    "\x1c",
    " 长胜乡电话 ",
    "长" * 500,
    "长" * 501,
    " " + "长" * 500,
]


def _q_schema(spec: dict[str, Any], path: str) -> dict[str, Any]:
    (param,) = [p for p in spec["paths"][path]["get"]["parameters"] if p["name"] == "q"]
    return dict(param["schema"])


@pytest.mark.parametrize("path", ["/api/ask", "/api/search", "/api/townships"])
async def test_the_q_schema_admits_exactly_what_the_server_accepts(live: Live, path: str) -> None:
    async with live[2].get("/openapi.json") as response:
        schema = _q_schema(await response.json(), path)
    validator = jsonschema_rs.validator_for(schema)
    for q in QUERIES:
        async with live[2].get(path, params={"q": q}) as response:
            body = await response.json()
        refused = response.status == 400 and body["error"]["code"] == "bad_request"
        assert response.status < 500
        assert validator.is_valid(q) is not refused, (q[:20], body)


def _model_accepts(model: type[Any], q: str) -> bool:
    try:
        model.model_validate({"q": q})
    except ValueError:
        return False
    return True


def test_every_single_character_q_is_judged_alike_by_schema_and_server() -> None:
    validator = jsonschema_rs.validator_for(_q_schema(build_openapi(Settings()), "/api/ask"))
    disagree = [
        hex(code)
        for code in range(0x10000)
        if not 0xD800 <= code < 0xE000
        and validator.is_valid(chr(code)) is not _model_accepts(QueryParams, chr(code))
    ]
    assert disagree == []


@given(st.text(alphabet=st.sampled_from("a长 \t\n\x00\x85\xa0\u3000\ufeff\x1c"), max_size=12))
def test_any_short_q_is_judged_alike_by_schema_and_server(q: str) -> None:
    spec = build_openapi(Settings())
    for model, path in ((QueryParams, "/api/ask"), (TownshipParams, "/api/townships")):
        schema = _q_schema(spec, path)
        admitted = jsonschema_rs.validator_for(schema).is_valid(q)
        assert admitted is _model_accepts(model, q)
        # Generators read the pattern with Python's `re` (schemathesis, hypothesis): alike.
        assert bool(re.search(schema["pattern"], q)) is admitted


# -- access log ----------------------------------------------------------------------------


async def test_access_log_lines_cut_the_url_and_headers(
    live: Live, caplog: pytest.LogCaptureFixture
) -> None:
    url = "/healthz?pad=" + "x" * 50_000
    with caplog.at_level(logging.INFO, logger="aiohttp.access"):
        async with live[2].get(url, headers={"User-Agent": "u" * 8000}) as response:
            assert response.status == 200
        # The line is written once the response is finished, before the connection (kept
        # alive and reused by the session) takes its next request.
        async with live[2].get("/healthz") as response:
            assert response.status == 200
    line = next(r.getMessage() for r in caplog.records if r.name == "aiohttp.access")
    assert "GET /healthz?pad=xxx" in line and " 200 " in line
    assert len(line) < 3 * LOGGED_TEXT + 200
