"""The search page in headless Chromium, driven as a person would: type, press Enter, read.

Chromium is driven over the DevTools protocol on a websocket with aiohttp (no extra
dependency). Screenshots go to tests/artifacts/ (not committed). Without Chromium the test
is skipped, except under CI (CI=true), where a missing browser is a failure.
"""

from __future__ import annotations

import asyncio
import base64
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

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Send one DevTools command and return its result (events in between are ignored)."""
        ident = next(self._ids)
        await self._ws.send_str(json.dumps({"id": ident, "method": method, "params": params}))
        async for message in self._ws:
            data = json.loads(message.data)
            if data.get("id") == ident:
                if "error" in data:
                    raise RuntimeError(f"{method}: {data['error']}")
                return data.get("result", {})
        raise RuntimeError("the browser closed the connection")

    async def eval(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page."""
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

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
        """Press and release one key (``Enter``, ``ArrowDown``…)."""
        text = "\r" if key == "Enter" else ""
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


@pytest.fixture
async def page(aiohttp_server: Any, sample_index: Path, tmp_path: Path) -> AsyncIterator[Page]:
    """A Chromium tab on the page served from the sample index over a loopback socket."""
    binary = _chromium()
    server = await aiohttp_server(create_app(Settings(index_dir=sample_index)))
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
                await tab.call("Page.enable")
                await tab.call("Page.navigate", url=str(server.make_url("/")))
                await tab.wait_for("document.readyState === 'complete' && !!window.el")
                yield tab
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


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
