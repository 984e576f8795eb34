"""Fetch annual reports from the county portals that publish them: `gongkai fetch`.

Start from a column's list page, follow its pages, save each report page and the report
files it attaches, with a sidecar of where and when each came from (docs/fetch.md).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from gongkai.fetch.client import ClientOptions, Sleep
from gongkai.fetch.crawl import FetchOptions, FetchSummary, fetch

__all__ = ["ClientOptions", "FetchError", "FetchOptions", "FetchSummary", "fetch", "run_fetch"]


class FetchError(Exception):
    """The run cannot start (an address that is not a web page, an output that is a file)."""


def _check(urls: list[str], out: Path) -> None:
    from urllib.parse import urlsplit

    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"{url}: not an http(s) address of a list page")
    if out.exists() and not out.is_dir():
        raise FetchError(f"{out}: exists and is not a folder")


def run_fetch(
    urls: list[str],
    options: FetchOptions,
    client_options: ClientOptions,
    sleep: Sleep = asyncio.sleep,
) -> FetchSummary:
    """Fetch the reports the columns at ``urls`` list into ``options.out``; `FetchError` if
    the run cannot start."""
    _check(urls, options.out)
    return asyncio.run(fetch(urls, options, client_options, sleep))
