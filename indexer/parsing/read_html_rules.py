"""The rules of the HTML reader (``[html]`` in ``rules/read.toml``) and the text tests on them.

Which elements are dropped or start a line, which text shows page chrome (a breadcrumb, a
site footer), which container holds the article and which words a report's body has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from indexer.rules import load_rules

__all__ = [
    "HtmlRules",
    "compact",
    "html_rules",
    "is_chrome_block",
    "is_chrome_line",
    "report_score",
]

_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class _ChromeText:
    """Text that marks a block as page chrome: how it starts, or several footer markers."""

    name: str
    starts: tuple[str, ...]
    markers: tuple[str, ...]
    min_markers: int
    max_chars: int
    blocks: bool
    titles: bool

    def matches(self, compact: str) -> bool:
        """True when whitespace-free ``compact`` text is this kind of chrome."""
        if not compact or len(compact) > self.max_chars:
            return False
        if self.starts and compact.startswith(self.starts):
            return True
        return bool(self.markers) and sum(m in compact for m in self.markers) >= self.min_markers


@dataclass(frozen=True)
class HtmlRules:
    drop: frozenset[str]
    drop_roles: frozenset[str]
    chrome_words: frozenset[str]
    chrome_tags: frozenset[str]
    chrome_text: tuple[_ChromeText, ...]
    chrome_text_tags: frozenset[str]
    block: frozenset[str]
    preformatted: frozenset[str]
    content: tuple[str, ...]
    report_words: tuple[str, ...]
    content_share: float
    title_meta: tuple[str, ...]
    title_tags: tuple[str, ...]
    title_words: tuple[str, ...]
    title_separators: re.Pattern[str]
    # Text longer than this (whitespace included) is never looked at as one chrome block.
    text_limit: int


@cache
def html_rules() -> HtmlRules:
    """Load and check the ``[html]`` rules of ``rules/read.toml`` once."""
    html = load_rules("read")["html"]
    content = html["content"]
    return HtmlRules(
        drop=frozenset(html["drop"]),
        drop_roles=frozenset(html["drop_roles"]),
        chrome_words=frozenset(word.lower() for word in html["chrome_words"]),
        chrome_tags=frozenset(html["chrome_tags"]),
        chrome_text=tuple(
            _ChromeText(
                name=rule["name"],
                starts=tuple(rule.get("starts", ())),
                markers=tuple(rule.get("markers", ())),
                min_markers=int(rule.get("min_markers", 1)),
                max_chars=int(rule["max_chars"]),
                blocks=bool(rule.get("blocks", True)),
                titles=bool(rule.get("titles", False)),
            )
            for rule in html["chrome_text"]
        ),
        chrome_text_tags=frozenset(html["chrome_text_tags"]),
        block=frozenset(html["block"]),
        preformatted=frozenset(html["preformatted"]),
        content=tuple(content["selectors"]),
        report_words=tuple(content["report_words"]),
        content_share=float(content["min_share"]),
        title_meta=tuple(content["title_meta"]),
        title_tags=tuple(content["title_tags"]),
        title_words=tuple(content["title_words"]),
        title_separators=re.compile(content["title_separators"]),
        text_limit=4 * max(int(rule["max_chars"]) for rule in html["chrome_text"]),
    )


def compact(text: str) -> str:
    """``text`` without any whitespace."""
    return _WHITESPACE.sub("", text)


def is_chrome_line(text: str) -> bool:
    """True when a line of the page is chrome by the text rules."""
    squeezed = compact(text)
    return any(rule.matches(squeezed) for rule in html_rules().chrome_text)


def is_chrome_block(text: str) -> bool:
    """True when a whole block is chrome by the text rules (never one with report words)."""
    rules = html_rules()
    squeezed = compact(text)
    if not squeezed or len(squeezed) > max(r.max_chars for r in rules.chrome_text):
        return False
    if report_score(squeezed):
        return False
    titled = any(word in squeezed for word in rules.title_words)
    return any(
        rule.blocks and (rule.titles or not titled) and rule.matches(squeezed)
        for rule in rules.chrome_text
    )


def report_score(text: str) -> int:
    """How many times ``text`` names one of the words of a report's body."""
    return sum(text.count(word) for word in html_rules().report_words)
