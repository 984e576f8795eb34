"""What a stored web page says about itself: its publication date and its own address.

A CMS prints a byline ("发布时间:2024-01-26  来源:…"), a metadata block ("发布日期" on one line,
the date on the next) or a date under the signature; a crawler prints the page's address
("原文链接:https://…"). The page's address is `source.url` and never the body's website.
Phrasings are rule data (``rules/page.toml``).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from indexer.models import Provenance
from indexer.parsing.identity import Line
from indexer.parsing.needle import Rx, compile_guarded
from indexer.rules import load_rules

__all__ = ["PageFacts", "is_address_chrome", "read_page"]

_LABEL_TAIL = r"\s*[\]】]?\s*[:：|]?\s*"
_PERIOD_AFTER = re.compile(r"^\s*(?:日)?\s*(?:起)?\s*(?:至|到|—|–|~|-\s*(?:19|20)[0-9]{2})")


@dataclass
class PageFacts:
    """The page's own publication date (YYYY-MM-DD) and address, with their lines."""

    published: str | None = None
    url: str | None = None
    provenance: dict[str, Provenance] = field(default_factory=dict)


@cache
def _rules() -> dict[str, Any]:
    return load_rules("page")


@cache
def _rx(pattern: str) -> Rx:
    return compile_guarded(pattern.replace("{date}", _rules()["date"]))


def _date_at(text: str, pos: int = 0) -> str | None:
    """The date that starts ``text`` at ``pos`` (spaces skipped), as YYYY-MM-DD, if valid and
    neither a header's date widget nor the start of a period ("2023年1月1日至…")."""
    match = _rx(_rules()["date"]).match(text, pos + len(text[pos:]) - len(text[pos:].lstrip()))
    if not match:
        return None
    rest = text[match.end() :]
    if _rx(_rules()["widget_after"]).match(rest) or _PERIOD_AFTER.match(rest):
        return None
    try:
        day = datetime.date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return None
    return day.isoformat()


def _labelled_date(labels: str, lines: list[Line]) -> tuple[str, Line] | None:
    """The first date written after one of ``labels``, on its line or alone on the next."""
    pattern = _rx(f"(?<!统计)(?<!数据)(?<!截止)(?:{labels}){_LABEL_TAIL}")
    for index, line in enumerate(lines):
        for match in pattern.finditer(line[1]):
            found = _date_at(line[1], match.end())
            if found is None and not line[1][match.end() :].strip():
                following = next((ln for ln in lines[index + 1 :] if ln[1].strip()), None)
                if following is not None and (found := _date_at(following[1])):
                    return found, following
            if found is not None:
                return found, line
    return None


def _byline_date(lines: list[Line]) -> tuple[str, Line] | None:
    rules = _rules()["byline"]
    for line in lines:
        for key in ("opens", "ends"):
            match = _rx(rules[key]).search(line[1])
            if match and (found := _date_at(match.group(0), match.start("y") - match.start())):
                return found, line
    return None


def _signature_date(closing: list[Line]) -> tuple[str, Line] | None:
    pattern = _rx(_rules()["signature_date"])
    for line in reversed(closing):
        match = pattern.match(line[1].strip())
        if match and (found := _date_at(line[1].strip(), match.start("y"))):
            return found, line
    return None


def _published(head: list[Line], closing: list[Line]) -> tuple[str, Line] | None:
    """The publication date: a labelled one (发布日期 before 成文日期), a byline's, or the
    date under the signature."""
    groups = [entry["labels"] for entry in _rules()["published"]]
    found = _labelled_date(groups[0], head) or _byline_date(head)
    found = found or _signature_date(closing)
    return found or _labelled_date(groups[0], closing) or _labelled_date(groups[1], head)


def _url(lines: list[Line]) -> tuple[str, Line] | None:
    rules = _rules()["url"]
    pattern = re.compile(rules["labels"] + f"(?P<url>{rules['address']})")
    for line in lines:
        match = pattern.search(line[1])
        if match:
            return match.group("url"), line
    return None


def is_address_chrome(text: str) -> bool:
    """Whether a line shows the page's or the site's address, not the body's website: a
    labelled page address, a byline with a date, or a print/share bar."""
    rules = _rules()
    return bool(
        _rx(rules["url"]["labels"] + "https?://").search(text)
        or _rx(rules["byline"]["ends"]).search(text)
        or _rx(rules["url"]["chrome"]).search(text)
    )


def read_page(head: list[Line], closing: list[Line]) -> PageFacts:
    """The page's date and address from its opening lines and its last lines."""
    facts = PageFacts()
    for key, found in (("published", _published(head, closing)), ("url", _url(head + closing))):
        if found is not None:
            value, (number, text) = found
            setattr(facts, key, value)
            facts.provenance[f"source.{key}"] = Provenance(line=number, text=text.strip())
    return facts
