"""A polite HTTP client: robots.txt, one request at a time per host with a delay, retries.

Every request, redirects included, asks robots.txt first and waits its turn on its host. A
429, a 5xx, a timeout or a dropped connection is tried again after a backoff (or the server's
Retry-After); a redirect is followed hop by hop, each hop checked like a first request.
"""

from __future__ import annotations

import asyncio
import email.utils
import time
import urllib.robotparser
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import aiohttp
from multidict import CIMultiDict

__all__ = ["Client", "ClientOptions", "Failed", "Forbidden", "Response"]

_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_REDIRECT_STATUS = frozenset({301, 302, 303, 307, 308})
_MAX_REDIRECTS = 10
_CHUNK = 1 << 16


class Failed(Exception):
    """A request that did not give the page, with the reason."""


class Forbidden(Failed):
    """robots.txt does not let gongkai fetch the address."""


@dataclass(frozen=True)
class ClientOptions:
    """How politely to ask: see ``[fetch]`` in config.example.toml."""

    user_agent: str
    delay: float = 1.0
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 2.0
    max_retry_after: float = 120.0
    max_bytes: int = 100 << 20


@dataclass
class Response:
    """What came back: 200 with a body, or 304 (not changed since the validators)."""

    url: str
    final_url: str
    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""


Sleep = Callable[[float], Awaitable[None]]


class Client:
    """One crawl's HTTP session; ``allowed(host)`` decides which hosts redirects may reach."""

    def __init__(
        self,
        options: ClientOptions,
        allowed: Callable[[str], bool],
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.options = options
        self.requests = 0  # every request made, robots.txt included
        self._allowed = allowed
        self._sleep = sleep
        self._session: aiohttp.ClientSession | None = None
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}
        self._last: dict[str, float] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def __aenter__(self) -> Client:
        timeout = aiohttp.ClientTimeout(total=self.options.timeout)
        headers = {"User-Agent": self.options.user_agent}
        self._session = aiohttp.ClientSession(timeout=timeout, headers=headers)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._session is not None:
            await self._session.close()

    async def get(
        self, url: str, etag: str | None = None, last_modified: str | None = None
    ) -> Response:
        """GET ``url`` (conditionally, given validators), following redirects; `Failed` if not."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        for _ in range(_MAX_REDIRECTS + 1):
            if not self._allowed(urlsplit(current).hostname or ""):
                raise Failed(f"redirected off the site, to {current}")
            if not await self.permitted(current):
                raise Forbidden(f"robots.txt forbids {current}")
            status, got, body = await self._request(current, headers)
            if status in _REDIRECT_STATUS and "Location" in got:
                current = urljoin(current, got["Location"])
                continue
            if status == 304 or 200 <= status < 300:
                return Response(url, current, status, got, body)
            raise Failed(f"HTTP {status}")
        raise Failed(f"more than {_MAX_REDIRECTS} redirects")

    async def permitted(self, url: str) -> bool:
        """Whether robots.txt lets gongkai fetch ``url`` (read once per host)."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        robots = self._robots.get(origin)
        if robots is None:
            robots = self._robots[origin] = await self._read_robots(origin)
        return robots.can_fetch(self.options.user_agent, url)

    async def _read_robots(self, origin: str) -> urllib.robotparser.RobotFileParser:
        """A host's robots.txt (RFC 9309): a 4xx means no rules; a 5xx or no answer, keep out."""
        robots = urllib.robotparser.RobotFileParser(f"{origin}/robots.txt")
        try:
            status, _headers, body = await self._request(f"{origin}/robots.txt", {})
        except Failed:
            status, body = 503, b""
        if 200 <= status < 300:
            robots.parse(body.decode("utf-8", "replace").splitlines())
        elif 400 <= status < 500:
            robots.allow_all = True
        else:
            robots.disallow_all = True
        return robots

    async def _request(
        self, url: str, headers: Mapping[str, str]
    ) -> tuple[int, Mapping[str, str], bytes]:
        """One address, tried again on 429/5xx/timeouts: (status, headers, body)."""
        attempt = 0
        while True:
            try:
                status, got, body = await self._once(url, headers)
            except (aiohttp.ClientError, TimeoutError) as exc:
                reason = f"{type(exc).__name__}: {exc}".rstrip(": ")
                status, got, body = 0, CIMultiDict(), b""
            else:
                reason = f"HTTP {status}"
            if status and status not in _RETRY_STATUS:
                return status, got, body
            if attempt >= self.options.retries:
                raise Failed(f"{reason} after {attempt + 1} tries")
            wait = _retry_after(got.get("Retry-After"))
            wait = self.options.backoff * 2**attempt if wait is None else wait
            if wait > self.options.max_retry_after:
                raise Failed(f"{reason}; asked to come back in {wait:.0f} s")
            await self._sleep(wait)
            attempt += 1

    async def _once(
        self, url: str, headers: Mapping[str, str]
    ) -> tuple[int, Mapping[str, str], bytes]:
        """One request, on the host's turn (one at a time, ``delay`` apart)."""
        assert self._session is not None, "use the client in `async with`"
        host = urlsplit(url).netloc
        lock = self._locks.setdefault(host, asyncio.Lock())
        async with lock:
            wait = self._last.get(host, -1e9) + self._delay(url) - time.monotonic()
            if wait > 0:
                await self._sleep(wait)
            self.requests += 1
            try:
                async with self._session.get(url, headers=headers, allow_redirects=False) as r:
                    got = CIMultiDict(r.headers)
                    body = await self._body(r) if r.status < 300 else b""
                    return r.status, got, body
            finally:
                self._last[host] = time.monotonic()

    def _delay(self, url: str) -> float:
        """The delay between two requests to a host: ours, or robots.txt's Crawl-delay."""
        parts = urlsplit(url)
        robots = self._robots.get(f"{parts.scheme}://{parts.netloc}")
        asked = robots.crawl_delay(self.options.user_agent) if robots is not None else None
        return max(self.options.delay, float(asked or 0))

    async def _body(self, response: aiohttp.ClientResponse) -> bytes:
        """The body, refused past ``max_bytes``."""
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.content.iter_chunked(_CHUNK):
            size += len(chunk)
            if size > self.options.max_bytes:
                raise Failed(f"larger than {self.options.max_bytes >> 20} MB")
            chunks.append(chunk)
        return b"".join(chunks)


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
