"""What a column's pages link to: report pages, the column's other pages, attachments.

A county portal's column (政府信息公开年报) is a list page, numbered pages after it, and an
article page per report, the report in its body or in an attached file. The words that make a
link a report, a pager or an attachment are rule data (``rules.toml``).
"""

from __future__ import annotations

import datetime
import re
import tomllib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urljoin, urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

__all__ = [
    "Link",
    "ListPage",
    "attachment_suffix",
    "is_report_title",
    "read_attachments",
    "read_list",
    "report_year",
    "rules",
]

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Link:
    """A report as a list page shows it: its address, title and date (YYYY-MM-DD)."""

    url: str
    title: str
    published: str | None = None
    list_url: str = ""  # the list page that showed it


@dataclass
class ListPage:
    """What one page of a column links to."""

    reports: list[Link] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)  # the column's other pages
    dates: list[str] = field(default_factory=list)  # every date the page's items show
    script_pager: str | None = None  # why the pagination seems to need JavaScript


@cache
def rules() -> dict[str, Any]:
    """``rules.toml``, loaded once; read-only."""
    text = resources.files(__package__).joinpath("rules.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def _squeeze(text: str | None) -> str:
    return _SPACES.sub(" ", text or "").strip()


def is_report_title(text: str) -> bool:
    """Whether a link's text or title names an annual disclosure report."""
    report = rules()["report"]
    return any(_rx(p).search(text) for p in report["include"]) and not any(
        _rx(p).search(text) for p in report["exclude"]
    )


def report_year(title: str) -> int | None:
    """The report year a title names ("2023年度…" → 2023), if it names one."""
    found = _rx(rules()["report"]["year"]).search(title)
    return int(found.group(1)) if found else None


def _date(text: str) -> str | None:
    """The first valid date in ``text``, as YYYY-MM-DD."""
    for found in _rx(rules()["list"]["date"]).finditer(text):
        try:
            return datetime.date(int(found["y"]), int(found["m"]), int(found["d"])).isoformat()
        except ValueError:
            continue
    return None


def _base(tree: LexborHTMLParser, url: str) -> str:
    """The address relative links resolve against (a ``<base href>`` wins)."""
    base = tree.css_first("base[href]")
    href = base.attributes.get("href") if base is not None else None
    return urljoin(url, href.strip()) if href else url


def _anchors(tree: LexborHTMLParser, base: str) -> Iterator[tuple[LexborNode, str, str]]:
    """Each link with an address: (node, absolute address without fragment, text or title)."""
    for node in tree.css("a"):
        href = (node.attributes.get("href") or "").strip()
        text = _squeeze(node.text(deep=True))
        title = _squeeze(node.attributes.get("title"))
        if len(title) > len(text.rstrip(".…")):
            text = title  # lists cut long titles short ("…工作年度…"); the title keeps them
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            yield node, "", text
        else:
            yield node, urljoin(base, href).split("#", 1)[0], text


def _item_date(node: LexborNode) -> str | None:
    """The date of the list item (li, tr, dd …) holding one report link."""
    current = node
    for _ in range(int(rules()["list"]["item_depth"])):
        current = current.parent
        if current is None or current.tag in ("ul", "ol", "table", "tbody", "body", "html"):
            return None
        if len(current.css("a[href]")) > 2:  # a link and its "more" or share icon, no more
            return None
        found = _date(current.text(deep=True, separator=" "))
        if found:
            return found
    return None


def read_list(html: str, url: str) -> ListPage:
    """The report links, other pages and dates of one page of a column at ``url``."""
    tree = LexborHTMLParser(html)
    base = _base(tree, url)
    page = ListPage()
    pager_rx = _rx(rules()["pager"]["text"])
    seen: set[str] = set()
    js: list[str] = []
    for node, href, text in _anchors(tree, base):
        if href and is_report_title(text):
            if href not in seen:
                seen.add(href)
                page.reports.append(Link(href, text, _item_date(node), url))
        elif pager_rx.match(text):
            if href and href != url:
                page.pages.append(href)
            elif _runs_script(node):
                js.append(f"the link “{text}” runs a script")
    page.dates = [d for n in tree.css("li, tr, dd, dt, span, td") if (d := _date(n.text()))]
    page.pages = _complete([*page.pages, url], url) + _script_pages(html, base)
    page.pages = [p for p in dict.fromkeys(page.pages) if p != url]
    count = _rx(rules()["pager"]["count"]).search(_squeeze(tree.body.text()) if tree.body else "")
    if count and int(count.group(1)) > 1:
        js.append(f"it says {count.group(0)}")
    if js and not page.pages:
        page.script_pager = "; ".join(js)
    return page


def _runs_script(node: LexborNode) -> bool:
    """Whether a pager link works only by script (not a disabled ``javascript:void(0)``)."""
    href = (node.attributes.get("href") or "").strip().lower()
    if node.attributes.get("onclick"):
        return True
    script = href.removeprefix("javascript:").strip(" ;")
    return href.startswith("javascript:") and script not in ("", "void(0)", "void 0")


def _script_pages(html: str, base: str) -> list[str]:
    """Pages that a known script pager (TRS ``createPageHTML``) writes as plain files."""
    pages: list[str] = []
    for rule in rules()["pager"].get("script", []):
        found = _rx(rule["pattern"]).search(html)
        if not found:
            continue
        count = min(int(found["count"]), int(rules()["pager"]["max_pages"]))
        parts = found.groupdict()
        pages.append(urljoin(base, rule["first"].format(**parts)))
        pages += [urljoin(base, rule["other"].format(n=n, **parts)) for n in range(1, count)]
    return pages


_NUMBERED_PATH = re.compile(r"^(?P<head>.*_)(?P<n>[0-9]{1,4})(?P<tail>\.\w+)$")


def _numbered(url: str) -> tuple[tuple[str, ...], int] | None:
    """(the address with its page number taken out, the number), for a numbered page."""
    parts = urlsplit(url)
    found = _NUMBERED_PATH.match(parts.path)
    if found:
        key = ("path", parts.scheme, parts.netloc, found["head"], found["tail"], parts.query)
        return key, int(found["n"])
    query = parse_qsl(parts.query, keep_blank_values=True)
    names = set(rules()["pager"]["params"])
    for name, value in query:
        if name.lower() in names and value.isdigit():
            rest = urlencode([(k, v) for k, v in query if k != name])
            return ("query", parts.scheme, parts.netloc, parts.path, name, rest), int(value)
    return None


def _unnumber(key: tuple[str, ...], n: int) -> str:
    """The address of page ``n`` of a numbered series."""
    kind, scheme, netloc, *rest = key
    if kind == "path":
        head, tail, query = rest
        return urlunsplit((scheme, netloc, f"{head}{n}{tail}", query, ""))
    path, name, others = rest
    query = "&".join(q for q in (others, urlencode({name: n})) if q)
    return urlunsplit((scheme, netloc, path, query, ""))


def _complete(pages: list[str], url: str) -> list[str]:
    """The pages linked, with the numbers a pager leaves out (1 2 3 … 12) filled in."""
    series: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for page in pages:
        found = _numbered(page)
        if found:
            series[found[0]].append(found[1])
    out = [p for p in pages if p != url]
    limit = int(rules()["pager"]["max_pages"])
    for key, numbers in series.items():
        low, high = min(numbers), min(max(numbers), min(numbers) + limit)
        out += [_unnumber(key, n) for n in range(low, high + 1)]
    return out


def attachment_suffix(url: str, text: str = "") -> str | None:
    """The suffix (``.docx``) of a file a link leads to, from its address or its text."""
    known = {*rules()["attachment"]["readable"], *rules()["attachment"]["noted"]}
    parts = urlsplit(url)
    candidates = [unquote(parts.path), *(v for _, v in parse_qsl(parts.query)), text]
    for candidate in candidates:
        suffix = PurePosixPath(candidate.strip().lower()).suffix
        if suffix in known:
            return suffix
    return None


def read_attachments(html: str, url: str) -> list[tuple[str, str]]:
    """The files a report page attaches, as (address, link text), in page order."""
    tree = LexborHTMLParser(html)
    base = _base(tree, url)
    exclude = rules()["attachment"]["exclude"]
    found: dict[str, str] = {}
    for _node, href, text in _anchors(tree, base):
        if href and attachment_suffix(href, text) and not any(_rx(p).search(text) for p in exclude):
            found.setdefault(href, text)
    for node in tree.css("iframe[src], embed[src], object[data]"):
        src = (node.attributes.get("src") or node.attributes.get("data") or "").strip()
        target = urljoin(base, src)
        inner = dict(parse_qsl(urlsplit(target).query)).get("file")  # a pdf.js viewer
        target = urljoin(target, inner) if inner else target
        if attachment_suffix(target):
            found.setdefault(target, "")
    return list(found.items())
