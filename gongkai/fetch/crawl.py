"""One fetch run: walk the columns' pages, then fetch each report page and its files.

Reports never fetched come first, then those fetched before are asked again with their
validators (If-None-Match / If-Modified-Since): a run cut short by the request cap, Ctrl-C or
a kill makes progress, and the next run picks up what is left.
"""

from __future__ import annotations

import asyncio
import re
import sys
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tqdm import tqdm

from gongkai.fetch.client import Client, ClientOptions, Failed, Forbidden, Response, Sleep
from gongkai.fetch.links import (
    Link,
    ListPage,
    attachment_suffix,
    read_attachments,
    read_list,
    report_year,
    rules,
)
from gongkai.fetch.store import Store
from indexer.errors import IndexerError
from indexer.models import SECTION_KEYS
from indexer.parsing.normalise import normalise
from indexer.parsing.read import decode_bytes, read_bytes
from indexer.parsing.sections import split_sections

__all__ = ["FetchOptions", "FetchSummary", "fetch"]

_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_FILENAME = re.compile(r"""filename\*?\s*=\s*(?:UTF-8'')?["']?([^"';]+)""", re.IGNORECASE)
_MAGIC = ((b"%PDF", ".pdf"), (b"PK\x03\x04", ".docx"), (bytes.fromhex("d0cf11e0"), ".doc"))
# A page holds a report's body (not only its title) when at least this many sections are there.
_BODY_SECTIONS = 2


@dataclass(frozen=True)
class FetchOptions:
    """What to fetch and where to put it."""

    out: Path
    since: int | None = None  # report years before this one are passed over
    max_requests: int = 1000
    any_path: bool = False  # the column's pages may be anywhere on its host
    allow_hosts: tuple[str, ...] = ()  # other hosts report pages and files may come from
    progress: bool = False


@dataclass
class FetchSummary:
    """What one fetch run did."""

    lists: int = 0
    found: int = 0
    fetched: int = 0
    unchanged: int = 0
    robots: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    noted: list[str] = field(default_factory=list)  # saved, but not a format index reads
    capped: int | None = None  # the request cap, when the run stopped at it

    def describe(self) -> str:
        """One line for the terminal, then one line per failure and note."""
        lines = [
            f"found {self.found} reports on {self.lists} list pages; fetched {self.fetched} "
            f"files, unchanged {self.unchanged}, skipped by robots.txt {len(self.robots)}, "
            f"failed {len(self.failed)}"
        ]
        lines += [f"  failed: {url}: {reason}" for url, reason in self.failed]
        lines += [f"  robots.txt forbids: {url}" for url in self.robots]
        lines += [f"  saved, not readable by gongkai index yet: {path}" for path in self.noted]
        if self.capped is not None:
            lines.append(f"  stopped at {self.capped} requests (--max-pages); run again to go on")
        return "\n".join(lines)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _decode(body: bytes, url: str, headers: Mapping[str, str]) -> str:
    """A page's text, in whatever encoding it came (declared or not); `IndexerError` if none."""
    declared = headers.get("Content-Type", "").partition("charset=")[2].strip(" \"'") or None
    if declared is None and (found := _CHARSET.search(body[:8192])):
        declared = found.group(1).decode("ascii")
    return decode_bytes(body, url, declared)[0]


def _holds_report(body: bytes, url: str) -> bool:
    """Whether a report page shows the report's body, not only its title and an attachment."""
    try:
        doc = read_bytes(body, url, fmt="html")
    except IndexerError:
        return False
    sections = split_sections(normalise(doc.text))
    return sum(key in sections for key in SECTION_KEYS[1:]) >= _BODY_SECTIONS


def _suffix(url: str, text: str, response: Response) -> str | None:
    """A downloaded file's suffix: from its address, its link, its headers or its bytes."""
    found = attachment_suffix(url, text)
    disposition = _FILENAME.search(response.headers.get("Content-Disposition", ""))
    if found is None and disposition:
        found = attachment_suffix("/" + disposition.group(1))
    kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    found = found or rules()["attachment"]["types"].get(kind)
    for magic, suffix in _MAGIC:
        if found in (None, ".html") and response.body.startswith(magic):
            found = suffix
    return found


class _Crawl:
    """The state of one run."""

    client: Client  # set once the session is open

    def __init__(self, starts: list[str], options: FetchOptions, store: Store) -> None:
        self.starts = starts
        self.options = options
        self.store = store
        self.summary = FetchSummary()
        self.hosts = {urlsplit(u).hostname or "" for u in starts} | set(options.allow_hosts)
        self.prefixes = [(urlsplit(u).netloc, urlsplit(u).path.rpartition("/")[0]) for u in starts]

    # --- scope and budget -----------------------------------------------------------------

    def allowed(self, host: str) -> bool:
        """Whether report pages and files may come from ``host``."""
        return host in self.hosts

    def _in_column(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not self.allowed(parts.hostname or ""):
            return False
        if self.options.any_path:
            return True
        return any(parts.netloc == h and parts.path.startswith(p + "/") for h, p in self.prefixes)

    def capped(self) -> bool:
        if self.client.requests >= self.options.max_requests:
            self.summary.capped = self.options.max_requests
            return True
        return False

    def _wanted(self, link: Link) -> bool:
        since = self.options.since
        if since is None:
            return True
        year = report_year(link.title)
        if year is None and link.published:
            year = int(link.published[:4]) - 1  # a year's report comes out the next spring
        return year is None or year >= since

    # --- requests -------------------------------------------------------------------------

    async def _get(self, url: str) -> tuple[Response, bytes] | None:
        """``url``, asked with its validators when it was saved before; None if it failed."""
        entry = self.store.known(url) or {}
        try:
            response = await self.client.get(url, entry.get("etag"), entry.get("last_modified"))
        except Forbidden:
            self.summary.robots.append(url)
            return None
        except Failed as exc:
            self.summary.failed.append((url, str(exc)))
            return None
        if response.status == 304 and not entry:
            self.summary.failed.append((url, "HTTP 304 to a request that asked for no copy"))
            return None
        body = self.store.read(entry) if response.status == 304 else response.body
        return response, body

    def _keep(
        self, url: str, response: Response, body: bytes, path: Path, meta: dict[str, Any] | None
    ) -> bool:
        """Save a response's body at ``path`` unless the saved copy is current: True if saved."""
        entry = self.store.known(url)
        same = entry is not None and self.store.root / entry["path"] == path
        if response.status == 304 and same and (meta is None or self.store.has_sidecar(entry)):
            return False
        headers = response.headers
        validators = {"etag": headers.get("ETag"), "last_modified": headers.get("Last-Modified")}
        if response.status == 304 and entry:  # saved elsewhere before: moved, not downloaded
            validators = {"etag": entry.get("etag"), "last_modified": entry.get("last_modified")}
        if meta is not None:
            meta = {
                "url": url,
                "final_url": response.final_url,
                "fetched_at": _now(),
                "http_date": headers.get("Date"),
                **validators,
                "content_type": headers.get("Content-Type"),
                **meta,
            }
        self.store.save(url, path, body, meta)
        self.store.done(url, path, final_url=response.final_url, **validators)
        return True

    # --- the column -----------------------------------------------------------------------

    async def walk_lists(self) -> list[Link]:
        """Every report link on the columns' pages, in the order found."""
        queue, seen = deque(self.starts), set(self.starts)
        found: dict[str, Link] = {}
        bar = _bar(self.options.progress, "list pages", None)
        while queue and not self.capped():
            url = queue.popleft()
            page = await self._list_page(url)
            bar.update()
            if page is None:
                continue
            for link in page.reports:
                if self.allowed(urlsplit(link.url).hostname or "") and self._wanted(link):
                    found.setdefault(link.url, link)
            since = self.options.since
            if since is not None and page.dates and all(int(d[:4]) < since for d in page.dates):
                continue  # newest first: the pages after this one are older still
            for other in page.pages:
                if other not in seen and self._in_column(other):
                    seen.add(other)
                    queue.append(other)
        bar.close()
        self.summary.found = len(found)
        return list(found.values())

    async def _list_page(self, url: str) -> ListPage | None:
        got = await self._get(url)
        if got is None:
            return None
        response, body = got
        try:
            html = _decode(body, url, response.headers)
        except IndexerError as exc:
            self.summary.failed.append((url, f"not a readable list page: {exc}"))
            return None
        self._keep(url, response, body, self.store.path_for(url, ".html", "lists"), None)
        self.summary.lists += 1
        page = read_list(html, response.final_url)
        if page.script_pager:
            reason = (
                f"the list's pages are turned by JavaScript ({page.script_pager}): only this "
                "page was read; start from the address each page's link shows, if any"
            )
            self.summary.failed.append((url, reason))
        elif not page.reports and url in self.starts:
            self.summary.failed.append((url, "no report links on this page"))
        return page

    # --- reports --------------------------------------------------------------------------

    async def take(self, link: Link) -> None:
        """Fetch one report: its page and the files it attaches, or the linked file itself."""
        listed = {"title": link.title, "published": link.published, "list_url": link.list_url}
        if attachment_suffix(link.url, link.title):
            await self._file(link.url, link.title, None, {**listed, "page_url": None})
            return
        got = await self._get(link.url)
        if got is None:
            return
        response, body = got
        if self._is_file(link.url, response):  # a download link with nothing in its name
            self._save_file(link.url, link.title, None, {**listed, "page_url": None}, got)
            return
        body_report = _holds_report(body, link.url)
        path = self.store.path_for(link.url, ".html", None if body_report else "pages")
        if self._keep(link.url, response, body, path, {**listed, "page_url": None}):
            self.summary.fetched += body_report
        else:
            self.summary.unchanged += body_report
        try:
            html = _decode(body, link.url, response.headers)
        except IndexerError as exc:
            self.summary.failed.append((link.url, f"not a readable page: {exc}"))
            return
        files = read_attachments(html, response.final_url)
        if not body_report and not files:
            self.summary.failed.append((link.url, "the page shows no report and attaches none"))
        for url, text in files:
            if not self.allowed(urlsplit(url).hostname or ""):
                reason = "a report file on another host (let it with --allow-host)"
                self.summary.failed.append((url, reason))
                continue
            meta = {**listed, "page_url": link.url, "link_text": text}
            await self._file(url, text, "copies" if body_report else None, meta)

    async def _file(self, url: str, text: str, area: str | None, meta: dict[str, Any]) -> None:
        """Fetch one attached file and save it with its sidecar."""
        got = await self._get(url)
        if got is not None:
            self._save_file(url, text, area, meta, got)

    def _is_file(self, url: str, response: Response) -> bool:
        """Whether a response is a document file rather than a web page."""
        entry = self.store.known(url)
        if response.status == 304 and entry is not None:
            return not entry["path"].endswith(".html")
        return _suffix(url, "", response) not in (None, ".html")

    def _save_file(
        self,
        url: str,
        text: str,
        area: str | None,
        meta: dict[str, Any],
        got: tuple[Response, bytes],
    ) -> None:
        """Save one fetched file with its sidecar, or say why it is not one."""
        response, body = got
        suffix = _suffix(url, text, response) if response.status != 304 else None
        entry = self.store.known(url)
        if suffix is None and entry is not None:
            suffix = Path(entry["path"]).suffix
        if suffix in (None, ".html"):
            kind = response.headers.get("Content-Type", "unknown")
            self.summary.failed.append((url, f"not a document file ({kind})"))
            return
        path = self.store.path_for(url, suffix, area)
        if self._keep(url, response, body, path, meta):
            self.summary.fetched += 1
        else:
            self.summary.unchanged += 1
        if area is None and suffix not in rules()["attachment"]["readable"]:
            self.summary.noted.append(str(path))


def _bar(progress: bool, what: str, total: int | None) -> tqdm:
    return tqdm(disable=not progress, desc=what, total=total, file=sys.stderr, leave=False)


def _ordered(links: Iterable[Link], store: Store) -> list[Link]:
    """Reports never fetched first, then those to ask again."""
    links = list(links)
    return [k for k in links if not store.known(k.url)] + [k for k in links if store.known(k.url)]


async def fetch(
    urls: list[str],
    options: FetchOptions,
    client_options: ClientOptions,
    sleep: Sleep = asyncio.sleep,
) -> FetchSummary:
    """Fetch the reports the columns at ``urls`` list into ``options.out``."""
    store = Store(options.out)
    store.open()
    crawl = _Crawl(urls, options, store)
    async with Client(client_options, crawl.allowed, sleep) as crawl.client:
        links = await crawl.walk_lists()
        bar = _bar(options.progress, "reports", len(links))
        for link in _ordered(links, store):
            if crawl.capped():
                break
            await crawl.take(link)
            bar.update()
        bar.close()
    return crawl.summary
