"""The HTTP endpoint through a real loopback socket, over a real index of the bundled samples."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import logging
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.http import STATIC_DIR, create_app
from gongkai.config import ServerSettings, Settings
from tests.conftest import SAMPLES_DIR as SAMPLES

Client = TestClient[Any, Any]


@pytest.fixture
async def client(aiohttp_client: Any, sample_index: Path) -> Client:
    """A client talking to the app over a loopback socket."""
    return await aiohttp_client(create_app(Settings(index_dir=sample_index)))


async def _json(client: Client, url: str, status: int = 200) -> Any:
    response = await client.get(url)
    body = await response.json()
    assert response.status == status, body
    assert response.content_type == "application/json"
    return body


def _assert_error(body: Any, code: str | None = None) -> None:
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message"}
    assert body["error"]["message"]
    if code is not None:
        assert body["error"]["code"] == code


# -- health and the page -------------------------------------------------------------------


async def test_healthz_counts_the_sample_reports(client: Client) -> None:
    body = await _json(client, "/healthz")
    assert body["ok"] is True
    assert body["reports"] == len(list(SAMPLES.glob("*.txt")))
    assert body["index_age_seconds"] is None or body["index_age_seconds"] >= 0


async def test_without_an_index_the_api_says_so_then_picks_the_index_up(
    aiohttp_client: Any, tmp_path: Path
) -> None:
    from indexer import run_index

    client = await aiohttp_client(create_app(Settings(index_dir=tmp_path / "index")))
    health = await _json(client, "/healthz", status=503)
    assert health["ok"] is False
    _assert_error(await _json(client, "/api/ask?q=长胜乡电话", status=503), "index_missing")

    await asyncio.to_thread(run_index, [SAMPLES], tmp_path / "index", progress=False)
    for _ in range(100):  # the server looks for a new index every few seconds
        response = await client.get("/healthz")
        if response.status == 200:
            break
        await asyncio.sleep(0.1)
    assert (await response.json())["reports"] == len(list(SAMPLES.glob("*.txt")))


async def test_the_page_is_served_with_no_resource_from_the_internet(client: Client) -> None:
    response = await client.get("/")
    assert response.status == 200
    assert response.content_type == "text/html"
    html = await response.text()
    assert 'name="viewport"' in html
    assert "/static/app.js" in html and "/static/style.css" in html
    for name in ("index.html", "app.js", "style.css"):
        text = (STATIC_DIR / name).read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text), name
        assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", text), name
    for name, kind in (("app.js", "javascript"), ("style.css", "text/css")):
        static = await client.get(f"/static/{name}")
        assert static.status == 200
        assert kind in static.content_type


# -- ask and search ------------------------------------------------------------------------


async def test_ask_contact_question_gives_the_phone_number(client: Client) -> None:
    body = await _json(client, "/api/ask?q=长胜乡电话")
    assert body["intent"] == "contact"
    assert "0469-6101183" in body["text"]
    phones = [p for r in body["results"] if r["contact"] for p in r["contact"]["phones"]]
    assert "0469-6101183" in phones


async def test_ask_filter_question_names_the_township(client: Client) -> None:
    body = await _json(client, "/api/ask?q=2023年有哪些乡镇收到了政府信息公开申请？")
    assert [r["township"] for r in body["results"]] == ["幸福乡"]


async def test_search_highlights_the_phrase_in_snippets(client: Client) -> None:
    body = await _json(client, "/api/search?q=微信公众号")
    assert body["total"] >= 2
    assert {"长胜乡", "升昌镇"} <= {r["township"] for r in body["results"]}
    snippets = [s["html"] for r in body["results"] for s in r["snippets"]]
    assert snippets and all("<mark>" in html for html in snippets)
    assert any(re.search(r"<mark>微信公众号</mark>|<mark>微信</mark>", h) for h in snippets)


async def test_search_pages_follow_the_next_link(client: Client) -> None:
    first = await _json(client, "/api/search?q=微信公众号&size=1")
    assert len(first["results"]) == 1 and first["previous"] is None
    assert first["next"] is not None
    second = await _json(client, first["next"])
    assert second["page"] == 2
    assert second["results"][0]["report_id"] != first["results"][0]["report_id"]
    last = await _json(client, f"/api/search?q=微信公众号&size=1&page={first['total']}")
    assert last["next"] is None and last["previous"] is not None


@pytest.mark.parametrize(
    "query",
    [
        "q=",
        "q=%20%20",
        "",
        "q=" + "长" * 5000,
        "q=长胜乡&size=51",
        "q=长胜乡&size=0",
        "q=长胜乡&page=0",
        "q=长胜乡&page=abc",
        "q=%00",
    ],
    ids=[
        "empty",
        "spaces",
        "missing",
        "5000 chars",
        "size over bound",
        "size 0",
        "page 0",
        "page not a number",
        "NUL",
    ],
)
@pytest.mark.parametrize("endpoint", ["/api/ask", "/api/search"])
async def test_bad_queries_are_400_with_a_json_error(
    client: Client, endpoint: str, query: str
) -> None:
    _assert_error(await _json(client, f"{endpoint}?{query}", status=400))


async def test_query_syntax_is_not_an_error_of_the_server(client: Client) -> None:
    response = await client.get("/api/search?q=AND OR (((")
    assert response.status in (200, 400)
    if response.status == 400:
        _assert_error(await response.json(), "bad_query")


async def test_bounds_come_from_the_settings(aiohttp_client: Any, sample_index: Path) -> None:
    settings = Settings(
        index_dir=sample_index, server=ServerSettings(max_page_size=3, max_query_length=10)
    )
    client = await aiohttp_client(create_app(settings))
    await _json(client, "/api/search?q=微信公众号&size=3")
    _assert_error(await _json(client, "/api/search?q=微信公众号&size=4", status=400))
    message = (await _json(client, "/api/ask?q=" + "长" * 11, status=400))["error"]["message"]
    assert "10" in message
    spec = await _json(client, "/openapi.json")
    params = {p["name"]: p["schema"] for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert params["size"]["maximum"] == 3 and params["q"]["maxLength"] == 10


# -- records, facets, CSV ------------------------------------------------------------------


async def test_reports_facets_link_to_filtered_rows(client: Client) -> None:
    body = await _json(client, "/api/reports?facet=province&facet=year")
    assert body["total"] == len(list(SAMPLES.glob("*.txt")))
    facets = {f["name"]: f["values"] for f in body["facets"]}
    assert sum(v["count"] for v in facets["year"]) == body["total"]
    heilongjiang = next(v for v in facets["province"] if v["value"] == "黑龙江省")
    assert heilongjiang["count"] == 2 and not heilongjiang["selected"]

    filtered = await _json(client, heilongjiang["url"])
    assert filtered["filters"] == {"province": "黑龙江省"}
    assert sorted(r["township"] for r in filtered["rows"]) == ["升昌镇", "长胜乡"]
    csv_rows = (await (await client.get(filtered["csv"])).text()).strip().splitlines()
    assert len(csv_rows) == 1 + 2
    chosen = next(f for f in filtered["facets"] if f["name"] == "province")["values"][0]
    assert chosen["selected"] is True
    assert (await _json(client, chosen["url"]))["total"] == body["total"]


async def test_reports_rows_are_compact_and_link_to_full_records(client: Client) -> None:
    body = await _json(client, "/api/reports?year=2023&size=2")
    assert len(body["rows"]) <= 2 and all(r["year"] == 2023 for r in body["rows"])
    row = body["rows"][0]
    assert "sections" not in row and "applications" not in row
    record = await _json(client, row["url"])
    assert record["id"] == row["id"]
    assert {"contact", "applications", "sections", "checks"} <= set(record)


async def test_unknown_facet_and_bad_year_are_400(client: Client) -> None:
    _assert_error(await _json(client, "/api/reports?facet=colour", status=400), "bad_request")
    _assert_error(await _json(client, "/api/reports?year=twenty", status=400), "bad_request")


async def test_reports_csv_streams_the_same_rows_with_a_bom(client: Client) -> None:
    response = await client.get("/api/reports.csv?province=黑龙江省")
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    raw = await response.read()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert sorted(r["township"] for r in rows) == ["升昌镇", "长胜乡"]
    assert {"id", "township", "county", "city", "province", "year"} <= set(rows[0])
    everything = await client.get("/api/reports.csv")
    lines = (await everything.text()).strip().splitlines()
    assert len(lines) == 1 + len(list(SAMPLES.glob("*.txt")))


async def test_unknown_report_is_404_json(client: Client) -> None:
    _assert_error(await _json(client, "/api/reports/no-such-report", status=404), "not_found")


# -- townships -----------------------------------------------------------------------------


async def test_townships_autocomplete_gives_contact_details(client: Client) -> None:
    body = await _json(client, "/api/townships?q=长胜")
    first = body["results"][0]
    assert first["township"] == "长胜乡"
    assert "0469-6101183" in first["contact"]["phones"]
    _assert_error(await _json(client, "/api/townships", status=400))


# -- the rest ------------------------------------------------------------------------------


async def test_openapi_describes_every_endpoint(client: Client) -> None:
    spec = await _json(client, "/openapi.json")
    assert spec["openapi"].startswith("3.1")
    for path in (
        "/healthz",
        "/api/ask",
        "/api/search",
        "/api/reports",
        "/api/reports.csv",
        "/api/reports/{id}",
        "/api/townships",
    ):
        assert "get" in spec["paths"][path], path
    assert "AnswerResponse" in spec["components"]["schemas"]


async def test_unknown_path_and_wrong_method_are_json_errors(client: Client) -> None:
    _assert_error(await _json(client, "/no/such/page", status=404), "not_found")
    response = await client.post("/api/ask?q=x")
    assert response.status == 405
    assert "GET" in response.headers["Allow"]
    _assert_error(await response.json(), "method_not_allowed")


async def test_an_unexpected_error_is_500_without_a_traceback(
    aiohttp_client: Any, sample_index: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(request: web.Request) -> web.Response:
        raise RuntimeError("secret internals /etc/passwd")

    app = create_app(Settings(index_dir=sample_index))
    app.router.add_get("/broken", broken)
    client = await aiohttp_client(app)
    with caplog.at_level(logging.ERROR, logger="gongkai.http"):
        response = await client.get("/broken")
    assert response.status == 500
    text = await response.text()
    assert "Traceback" not in text and "secret" not in text
    _assert_error(await response.json(), "internal")
    assert any(record.exc_info for record in caplog.records)


# -- the demo ------------------------------------------------------------------------------


@pytest.mark.slow
def test_demo_indexes_the_samples_prints_the_url_and_serves(tmp_path: Path) -> None:
    """`gongkai serve --demo` on a fresh index folder: indexes, prints the URL, answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "GONGKAI_INDEX_DIR": str(tmp_path / "index")}
    command = [sys.executable, "-u", "-m", "gongkai.cli", "serve", "--demo", "--port", str(port)]
    proc = subprocess.Popen(
        command,
        cwd=SAMPLES.parent,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        lines = []
        for line in proc.stdout:  # type: ignore[union-attr]
            lines.append(line)
            if "serving on" in line:
                break
        url = re.search(r"http://\S+/", "".join(lines))
        assert url, "".join(lines)
        assert "indexed 5" in "".join(lines)
        for _ in range(100):  # the socket opens just after the line is printed
            try:
                with urllib.request.urlopen(url.group(0) + "healthz", timeout=5) as response:
                    assert json.loads(response.read())["reports"] == 5
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("the demo server never answered")
    finally:
        proc.terminate()
        proc.wait(timeout=20)


async def test_an_engine_handed_in_outlives_the_app(
    aiohttp_client: Any, sample_index: Path
) -> None:
    from search import Engine

    engine = Engine(sample_index)
    client = await aiohttp_client(create_app(Settings(index_dir=sample_index), engine))
    assert (await client.get("/healthz")).status == 200
    await client.close()  # the app's cleanup runs; the engine belongs to the caller
    assert engine.search("微信公众号").total == 2  # the full-text index is still open
    engine.close()
