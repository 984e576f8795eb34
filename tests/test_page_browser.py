"""The search page in headless Chromium, driven as a person would: type, press Enter, read.

Chromium is driven over the DevTools protocol on a websocket with aiohttp (no extra
dependency). Screenshots go to tests/artifacts/ (not committed). Without Chromium the test
is skipped, except under CI (CI=true), where a missing browser is a failure.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import os
import re
import shutil
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiohttp
import pytest

from bot.http import create_app
from gongkai.config import Settings
from tests.years_corpus import build_years_index

pytestmark = pytest.mark.slow

ARTIFACTS = Path(__file__).parent / "artifacts"
WAIT_SECONDS = 20.0  # how long to wait for the page to show something before giving up
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
)


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    if os.environ.get("CI") == "true":
        pytest.fail("chromium is not installed (run `make browser`); CI must run the page test")
    pytest.skip("chromium is not installed: `make browser` installs it (Debian package)")


class Page:
    """A Chromium tab over the DevTools protocol: call methods, evaluate, wait, screenshot."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self._ws = ws
        self._ids = itertools.count(1)
        self.events: list[dict[str, Any]] = []  # what the browser said between answers

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Send one DevTools command and return its result (events in between are ignored)."""
        ident = next(self._ids)
        await self._ws.send_str(json.dumps({"id": ident, "method": method, "params": params}))
        async for message in self._ws:
            data = json.loads(message.data)
            if "method" in data:
                self.events.append(data)
            if data.get("id") == ident:
                if "error" in data:
                    raise RuntimeError(f"{method}: {data['error']}")
                return data.get("result", {})
        raise RuntimeError("the browser closed the connection")

    async def eval(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page."""
        result = await self.call(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        return result.get("result", {}).get("value")

    async def console_errors(self) -> list[str]:
        """Errors the page logged, threw or caused (CSP refusals, failed loads) so far."""
        await self.eval("1")  # read whatever the browser sent before now
        found = []
        for event in self.events:
            params = event.get("params", {})
            if event["method"] == "Runtime.exceptionThrown":
                found.append(str(params["exceptionDetails"].get("text")))
            elif event["method"] == "Runtime.consoleAPICalled" and params["type"] == "error":
                found.append(str([a.get("value") for a in params.get("args", [])]))
            elif event["method"] == "Log.entryAdded" and params["entry"]["level"] == "error":
                found.append(str(params["entry"].get("text")))
        return found

    async def open(self, path: str) -> None:
        """Go to a path of the server the tab was opened on and wait for the page to load."""
        origin = await self.eval("location.origin")
        await self.call("Page.navigate", url=f"{origin}{path}")
        await self.wait_for(f"location.pathname === {json.dumps(path.split('?')[0])}")
        await self.wait_for("document.readyState === 'complete'")

    async def tab_to(self, selector: str, limit: int = 80) -> list[str]:
        """Press Tab until the focused element matches ``selector``; what was focused on the
        way. An AssertionError if it is never reached."""
        passed = []
        for _ in range(limit):
            await self.press("Tab", 9)
            here = await self.eval(
                "(e => e ? (e.tagName + ' ' + (e.getAttribute('href') || '') + ' '"
                " + e.textContent.trim().slice(0, 20)) : '')(document.activeElement)"
            )
            passed.append(here)
            if await self.eval(f"document.activeElement.matches({json.dumps(selector)})"):
                return passed
        raise AssertionError(f"Tab never reached {selector}; it went through {passed}")

    async def dark(self, on: bool) -> None:
        """Emulate the system's dark mode (prefers-color-scheme: dark), or stop."""
        value = "dark" if on else "light"
        await self.call(
            "Emulation.setEmulatedMedia",
            features=[{"name": "prefers-color-scheme", "value": value}],
        )

    async def wait_for(self, expression: str) -> Any:
        """Wait until ``expression`` is truthy in the page and return its value."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + WAIT_SECONDS
        while loop.time() < deadline:
            if value := await self.eval(expression):
                return value
            await asyncio.sleep(0.1)
        text = await self.eval("document.body.innerText")
        raise AssertionError(f"page never showed {expression!r}; it shows:\n{text}")

    async def type(self, selector: str, text: str) -> None:
        """Click into a field and replace its text by typing."""
        await self.eval(f"document.querySelector({json.dumps(selector)}).focus()")
        await self.eval(f"document.querySelector({json.dumps(selector)}).select()")
        await self.call("Input.insertText", text=text)

    async def press(self, key: str, code: int) -> None:
        """Press and release one key (``Enter``, ``ArrowDown``, ``Tab``…)."""
        text = {"Enter": "\r", "Tab": "\t"}.get(key, "")
        for kind in ("keyDown", "keyUp"):
            await self.call(
                "Input.dispatchKeyEvent",
                type=kind,
                key=key,
                code=key,
                windowsVirtualKeyCode=code,
                text=text if kind == "keyDown" else "",
            )

    async def type_and_enter(self, selector: str, text: str) -> None:
        """Type into a field and press Enter."""
        await self.type(selector, text)
        await self.press("Enter", 13)

    async def screenshot(self, name: str, width: int, height: int, mobile: bool) -> Path:
        """Save a PNG of the page at a given viewport to tests/artifacts/."""
        await self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=mobile,
        )
        await asyncio.sleep(0.3)  # let layout settle after the resize
        shot = await self.call("Page.captureScreenshot", format="png")
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / name
        path.write_bytes(base64.b64decode(shot["data"]))
        return path


async def _devtools_url(log: Path) -> str:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_SECONDS
    while loop.time() < deadline:
        text = log.read_text(errors="replace") if log.exists() else ""
        if match := re.search(r"DevTools listening on (ws://\S+)", text):
            return match.group(1)
        await asyncio.sleep(0.1)
    raise RuntimeError(f"chromium did not start:\n{log.read_text(errors='replace')[-2000:]}")


@contextlib.asynccontextmanager
async def _tab(url: str, tmp_path: Path) -> AsyncIterator[Page]:
    """A headless Chromium tab on ``url``, with its console and log reported to the tab."""
    binary = _chromium()
    log = tmp_path / "chromium.log"
    with log.open("wb") as err:
        proc = subprocess.Popen(
            [binary, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    try:
        browser_url = await _devtools_url(log)
        port = re.search(r":(\d+)/", browser_url).group(1)  # type: ignore[union-attr]
        async with aiohttp.ClientSession() as session:
            async with session.get(f"http://127.0.0.1:{port}/json/list") as resp:
                targets = await resp.json()
            target = next(t for t in targets if t["type"] == "page")
            async with session.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                tab = Page(ws)
                for domain in ("Page", "Runtime", "Log"):
                    await tab.call(f"{domain}.enable")
                await tab.call("Page.navigate", url=url)
                await tab.wait_for("document.readyState === 'complete' && !!window.el")
                yield tab
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
async def page(aiohttp_server: Any, sample_index: Path, tmp_path: Path) -> AsyncIterator[Page]:
    """A Chromium tab on the page served from the sample index over a loopback socket."""
    server = await aiohttp_server(create_app(Settings(index_dir=sample_index)))
    async with _tab(str(server.make_url("/")), tmp_path) as tab:
        yield tab


@pytest.fixture(scope="module")
def years_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the multi-year, multi-county corpus (rankings, series and coverage)."""
    return build_years_index(tmp_path_factory.mktemp("years"))


@pytest.fixture
async def years_page(aiohttp_server: Any, years_index: Path, tmp_path: Path) -> AsyncIterator[Page]:
    """A Chromium tab on the page served from the multi-year, multi-county corpus."""
    server = await aiohttp_server(create_app(Settings(index_dir=years_index)))
    async with _tab(str(server.make_url("/")), tmp_path) as tab:
        yield tab


async def test_contact_question_shows_the_phone_number(page: Page) -> None:
    """A person types 长胜乡电话 and sees the phone number as a tel: link on a township card."""
    await page.type_and_enter("#q", "长胜乡电话")
    text = await page.wait_for(
        "document.querySelector('#cards .card') && document.querySelector('#cards').innerText"
    )
    assert "0469-6101183" in text
    assert "长胜乡" in text
    links = await page.eval("[...document.querySelectorAll('#cards a[href^=\"tel:\"]')].length")
    assert links >= 1
    assert "q=" in await page.eval("location.search")
    await page.screenshot("page-contact-desktop.png", 1280, 900, mobile=False)
    await page.screenshot("page-contact-phone.png", 390, 844, mobile=True)


async def test_keyword_search_shows_highlighted_snippets(page: Page) -> None:
    """A person types 微信公众号 and sees snippets with the phrase highlighted."""
    await page.type_and_enter("#q", "微信公众号")
    marks = await page.wait_for(
        "[...document.querySelectorAll('#results mark')].map(m => m.textContent)"
    )
    assert any("微信公众号" in m or m in "微信公众号" for m in marks)
    hits = await page.eval("document.querySelector('#results').innerText")
    assert "长胜乡" in hits and "升昌镇" in hits
    await page.screenshot("page-search-desktop.png", 1280, 900, mobile=False)
    await page.screenshot("page-search-phone.png", 390, 844, mobile=True)


async def test_a_linked_question_is_answered_on_load(page: Page) -> None:
    """Opening /?q=… answers the question without typing, so answers can be shared as links."""
    url = await page.eval("location.origin")
    await page.call("Page.navigate", url=f"{url}/?q={quote('升昌镇 邮编')}")
    text = await page.wait_for(
        "document.querySelector('#answer:not([hidden])') && document.body.innerText"
    )
    assert "155900" in text
    assert await page.eval("document.querySelector('#q').value") == "升昌镇 邮编"


async def test_autocomplete_suggests_townships_and_opens_the_card(page: Page) -> None:
    """Typing part of a name offers the township; choosing it with the keyboard shows its card."""
    await page.type("#q", "长胜")
    suggestions = await page.wait_for(
        "!document.querySelector('#suggest').hidden && document.querySelector('#suggest').innerText"
    )
    assert "长胜乡" in suggestions
    await page.press("ArrowDown", 40)
    await page.press("Enter", 13)
    text = await page.wait_for(
        "document.querySelector('#cards .card') && document.querySelector('#cards').innerText"
    )
    assert "0469-6101183" in text


# -- the report page, charts, coverage, browse -----------------------------------------------


async def _report_path(page: Page, township: str) -> str:
    rows = await page.eval(
        f"fetch('/api/reports?township={quote(township)}').then(r => r.json()).then(b => b.rows)"
    )
    return f"/reports/{rows[0]['id']}"


async def test_report_page_numbers_and_their_source_lines_by_keyboard(page: Page) -> None:
    """A person opens a report, sees its tables' numbers, and reaches each number with Tab:
    its source line shows beside it; Enter jumps to that line in the list of sources."""
    await page.open(await _report_path(page, "长生镇"))
    proactive = await page.wait_for("document.querySelector('table.proactive').innerText")
    assert "94" in proactive and "19" in proactive  # 行政许可, 行政处罚
    applications = await page.eval("document.querySelector('table.applications').innerText")
    assert "本年新收政府信息公开申请数量" in applications
    blank = await page.eval(
        "[...document.querySelectorAll('td.blank')].map(td => td.innerText.trim())"
    )
    assert all(text == "" for text in blank)
    await page.screenshot("report-page-desktop.png", 1280, 1000, mobile=False)

    passed = await page.tab_to("a.num")
    assert any("/reports" in p for p in passed)  # the links before the tables come first
    tip = await page.eval(
        "(a => { const t = document.getElementById(a.getAttribute('aria-describedby'));"
        " return {text: t.innerText, shown: getComputedStyle(t).visibility,"
        " href: a.getAttribute('href')}; })(document.activeElement)"
    )
    assert tip["shown"] == "visible"
    line = tip["href"].removeprefix("#L")
    assert f"第 {line} 行" in tip["text"]
    await page.screenshot("report-page-number-focused.png", 1280, 900, mobile=False)

    await page.press("Enter", 13)
    target = await page.wait_for(
        f"location.hash === '#L{line}' && document.querySelector(':target').innerText"
    )
    assert line in target
    await page.eval("window.scrollTo(0, 0)")
    await page.screenshot("report-page-phone.png", 390, 844, mobile=True)
    assert await page.console_errors() == []


async def test_browse_page_facets_paging_by_keyboard(page: Page) -> None:
    """The browse page lists the reports with facets; Tab and Enter on a place filter it."""
    await page.open("/reports")
    rows = await page.wait_for("document.querySelectorAll('table.list tbody tr').length")
    assert rows == 5
    facets = await page.eval("document.querySelector('.facets').innerText")
    for name in ("黑龙江省", "双鸭山市", "集贤县", "2023"):
        assert name in facets
    links = await page.eval(
        "[...document.querySelectorAll('table.list a')].map(a => a.getAttribute('href'))"
    )
    assert len(links) == 5 and all(link.startswith("/reports/") for link in links)
    await page.screenshot("browse-desktop.png", 1280, 900, mobile=False)
    await page.screenshot("browse-phone.png", 390, 844, mobile=True)
    await page.screenshot("browse-desktop.png", 1280, 900, mobile=False)

    await page.tab_to(".facet[data-facet=province] a")
    while "黑龙江省" not in await page.eval("document.activeElement.textContent"):
        await page.press("Tab", 9)
    await page.press("Enter", 13)
    await page.wait_for("location.search.includes('province=')")
    text = await page.wait_for(
        "document.readyState === 'complete' && document.querySelector('table.list').innerText"
    )
    assert "升昌镇" in text and "长胜乡" in text and "幸福乡" not in text
    assert await page.console_errors() == []


async def test_a_ranking_shows_a_bar_chart_that_reads_in_dark_mode(years_page: Page) -> None:
    """A ranking answer shows bars labelled with the townships and their values, drawn as an
    accessible image; each result links to its report page."""
    page = years_page
    await page.type_and_enter("#q", "哪个乡镇行政处罚最多")
    texts = await page.wait_for(
        "document.querySelector('#chart svg') && "
        "[...document.querySelectorAll('#chart svg text')].map(t => t.textContent)"
    )
    for name, value in (("长生镇", "19"), ("福利镇", "12"), ("升昌镇", "2")):
        assert name in texts and value in texts
    svg = await page.eval(
        "(s => ({role: s.getAttribute('role'), title: s.querySelector('title').textContent,"
        " desc: s.querySelector('desc').textContent, bars: s.querySelectorAll('rect').length,"
        " style: s.querySelectorAll('style').length}))(document.querySelector('#chart svg'))"
    )
    assert svg["role"] == "img" and "行政处罚" in svg["title"] and "长生镇：19" in svg["desc"]
    assert svg["bars"] >= 3 and svg["style"] == 0
    results = await page.eval(
        "[...document.querySelectorAll('#results .hit')].map(li =>"
        " li.querySelector('h3 a') && li.querySelector('h3 a').getAttribute('href'))"
    )
    assert results and all(href and href.startswith("/reports/") for href in results)
    await page.screenshot("chart-ranking-desktop.png", 1280, 900, mobile=False)
    light = await page.eval("getComputedStyle(document.querySelector('#chart svg text')).fill")
    await page.dark(True)
    dark = await page.eval("getComputedStyle(document.querySelector('#chart svg text')).fill")
    assert light != dark  # the labels change with the scheme, so they stay readable
    await page.screenshot("chart-ranking-dark.png", 1280, 900, mobile=False)
    await page.dark(False)
    assert await page.console_errors() == []


async def test_a_series_shows_a_line_chart(years_page: Page) -> None:
    """A township over years shows one line, each year's value written at its point."""
    page = years_page
    await page.type_and_enter("#q", "升昌镇历年申请数")
    texts = await page.wait_for(
        "document.querySelector('#chart svg.lines') && "
        "[...document.querySelectorAll('#chart svg text')].map(t => t.textContent)"
    )
    assert {"2021", "2022", "2023", "升昌镇", "1", "2", "6"} <= set(texts)
    await page.screenshot("chart-series-desktop.png", 1280, 900, mobile=False)
    assert await page.console_errors() == []


async def test_coverage_marks_the_townships_without_a_report(years_page: Page) -> None:
    """Which townships of a county have not reported: a table, the missing ones in words."""
    page = years_page
    await page.type_and_enter("#q", "集贤县哪些乡镇没有2023年的报告")
    missing = await page.wait_for(
        "[...document.querySelectorAll('#coverage tr.missing')].map(tr => tr.innerText)"
    )
    assert len(missing) == 3 and all("未发布" in row for row in missing)
    assert any("丰乐镇" in row for row in missing)
    caption = await page.eval("document.querySelector('#coverage caption').innerText")
    assert "5 / 8" in caption
    await page.screenshot("coverage-desktop.png", 1280, 900, mobile=False)
    assert await page.console_errors() == []
