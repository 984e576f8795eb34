"""Figures a report states in prose: items published, applications, reviews and lawsuits.

Real pages are often cut off before tables 三 and 四, or lose them, while section 一 states the
figures ("共收到政府信息公开申请3件", "未发生行政复议和行政诉讼"). Every phrasing is rule data
(``rules/prose.toml``). `fill_record` puts the figures into a `Report` only where its tables
gave nothing, marking each with ``via="prose"``; where both exist the table wins and
`indexer.parsing.checks` records the disagreement.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from indexer.models import Outcomes, Provenance, Report
from indexer.parsing.needle import Rx, compile_guarded, guarded_pair, lines_holding
from indexer.rules import load_rules

__all__ = ["Figure", "Figures", "fill_record", "read_figures"]

Line = tuple[int, str]  # (1-based line number, text)


@dataclass(frozen=True)
class Figure:
    """A count stated in prose, the line it was read from, and whether it is approximate."""

    value: int
    line: Line
    approximate: bool = False

    def provenance(self, via: str | None = "prose") -> Provenance:
        """Where the figure was read, marked as read from prose (``via``)."""
        return Provenance(
            line=self.line[0], text=self.line[1].strip(), via=via, approximate=self.approximate
        )


@dataclass
class Figures:
    """The figures one report's prose states; ``None`` where it states none."""

    published_items: Figure | None = None
    applications: Figure | None = None
    reviews: Figure | None = None
    lawsuits: Figure | None = None


@dataclass(frozen=True)
class _Statement:
    """One statement of a number of published items."""

    value: int | None  # None: a figure that is no count of items (split, or in 万)
    line: Line
    approximate: bool
    total: bool
    channel: bool
    summed: bool  # "共…", "合计…": the figure says it is a sum


@cache
def _rules() -> dict[str, Any]:
    return load_rules("prose")


@cache
def _rx(pattern: str) -> Rx:
    return compile_guarded(pattern)


def count(text: str) -> int | None:
    """A count written in digits or in Chinese numerals up to 99 (三, 十二, 二十五, 零)."""
    if text.isdigit():
        return int(text)
    digits = _rules()["numerals"]
    if not all(c in digits for c in text):
        return None
    tens, _, units = text.rpartition("十")
    if "十" not in text:
        return digits[text] if len(text) == 1 else None
    return (digits.get(tens, 1) if tens else 1) * 10 + (digits.get(units, 0) if units else 0)


def _matched(match: re.Match[str]) -> int | None:
    """The count a pattern's match states: its group ``n``, or 0 when it has none."""
    said = match.groupdict().get("n")
    return 0 if said is None else count(said)


def _lines(prose: Mapping[str, list[Line]], keys: list[str]) -> list[Line]:
    return [line for key in keys for line in prose.get(key, [])]


def _applications(lines: list[Line]) -> Figure | None:
    """Applications received: the first statement in the text ("未收到…申请" is 0)."""
    sources = tuple(_rules()["applications"]["patterns"])
    patterns = [guarded_pair(p) for p in sources]
    for line in lines_holding(sources, lines):
        text = line[1]
        found = [m for run, p in patterns if run in text for m in p.finditer(text)]
        for match in sorted(found, key=lambda m: m.start()):
            value = _matched(match)
            if value is not None:
                return Figure(value, line)
    return None


def _disputes(lines: list[Line]) -> dict[str, Figure]:
    """Reviews and lawsuits: the first statement of each; a joint count only when 0."""
    out: dict[str, Figure] = {}
    entries = [(entry, *guarded_pair(entry["pattern"])) for entry in _rules()["disputes"]]
    for line in lines_holding(tuple(entry["pattern"] for entry in _rules()["disputes"]), lines):
        taken: list[tuple[int, int]] = []  # text an earlier entry read is not read again
        for entry, run, pattern in entries:
            if run not in line[1]:
                continue
            for match in pattern.finditer(line[1]):
                if any(match.start() < end and start < match.end() for start, end in taken):
                    continue
                taken.append(match.span())
                value = _matched(match)
                if value is None or (value and len(entry["fields"]) > 1):
                    continue
                for key in entry["fields"]:
                    out.setdefault(key, Figure(value, line))
    return out


def _statements(lines: list[Line]) -> list[_Statement]:
    """Every statement of a number of items that is neither a part, cumulative nor no item."""
    rules = _rules()["published_items"]
    out = []
    for line in lines_holding((rules["statement"],), lines):
        text, previous = line[1], 0
        for match in _rx(rules["statement"]).finditer(text):
            sentence = re.split(r"[。!?;]", text[: match.start()])[-1]
            own = text[previous : match.start()][-len(sentence) :] if sentence else ""
            previous, said = match.end(), match.group(0)
            if (
                _rx(rules["part"]).search(sentence)
                or _rx(rules["listed"]).match(text[match.end() :])
                or _rx(rules["cumulative"]).search(re.split(r"[，,:]", own)[-1] + said)
                or _rx(rules["not_items"]).search(said)
            ):
                continue
            out.append(_statement(match, line, own + said))
    return out


def _statement(match: re.Match[str], line: Line, clause: str) -> _Statement:
    rules = _rules()["published_items"]
    said, after = match.group(0), line[1][match.end() : match.end() + 8]
    vague = match.group("wan") or _rx(rules["split"]).search(clause)
    return _Statement(
        value=None if vague else int(match.group("n").replace(",", "")),
        line=line,
        approximate=bool(match.group("approx")),
        total=bool(_rx(rules["total"]).search(said) or _rx(rules["total_after"]).match(after)),
        channel=_one_channel(clause),
        summed=bool(_rx(rules["summed"]).search(said)),
    )


def _one_channel(context: str) -> bool:
    """Whether a figure counts one channel: the nearest of its own clause and the one before
    it that names a channel decides, unless it says all channels ("通过多种渠道")."""
    rules = _rules()["published_items"]
    for clause in reversed(re.split(r"[，,:]", context)[-rules["channel_clauses"] :]):
        if _rx(rules["all_channels"]).search(clause):
            return False
        if _rx(rules["channel"]).search(clause):
            return True
    return False


def _published(lines: list[Line]) -> Figure | None:
    """The year's overall number of published items, when the prose states exactly one."""
    statements = _statements(lines)
    whole = [s for s in statements if not s.channel]
    channels = [s for s in statements if s.channel]
    group = [s for s in whole if s.total] or whole or [s for s in channels if s.summed] or channels
    if not group or len({s.value for s in group}) != 1 or group[0].value is None:
        return None
    if group is channels and _cut_off(group[-1].line, lines):
        return None
    first = group[0]
    return Figure(first.value, first.line, any(s.approximate for s in group))


def _cut_off(line: Line, lines: list[Line]) -> bool:
    """Whether ``line`` is the last line of the text and stops mid-sentence."""
    last = max((n for n, text in lines if text.strip()), default=line[0])
    end = _rules()["published_items"]["sentence_end"]
    return line[0] >= last and not _rx(end).search(line[1])


def read_figures(prose: Mapping[str, list[Line]], items: bool = True) -> Figures:
    """The figures stated in ``prose`` (section key → its lines, wrapping undone); without
    ``items``, all but the number of items published."""
    scope = _lines(prose, _rules()["scope"])
    disputes = _disputes(scope)
    sections = _rules()["published_items"]["sections"]
    return Figures(
        published_items=_published(_lines(prose, sections)) if items else None,
        applications=_applications(scope),
        reviews=disputes.get("reviews"),
        lawsuits=disputes.get("lawsuits"),
    )


def _blank(outcomes: Outcomes) -> bool:
    return all(v is None for v in outcomes.model_dump().values())


def fill_record(report: Report, figures: Figures) -> Report:
    """``report`` with the prose figures where its tables gave none (``via="prose"``)."""
    found, where = {}, {}
    if figures.published_items is not None and report.proactive.published_items is None:
        found["proactive"] = report.proactive.model_copy(
            update={"published_items": figures.published_items.value}
        )
        where["proactive.published_items"] = figures.published_items.provenance(via=None)
    new = report.applications["new"]
    if figures.applications is not None and new.total is None:
        counts = new.model_copy(update={"total": figures.applications.value})
        found["applications"] = {**report.applications, "new": counts}
        where["applications.new.total"] = figures.applications.provenance()
    if figures.reviews is not None and _blank(report.reviews):
        found["reviews"] = Outcomes(total=figures.reviews.value)
        where["reviews.total"] = figures.reviews.provenance()
    found_lawsuits, where_lawsuits = _lawsuits(report, figures.lawsuits)
    found.update(found_lawsuits)
    where.update(where_lawsuits)
    return report.model_copy(update={**found, "provenance": {**report.provenance, **where}})


def _lawsuits(report: Report, stated: Figure | None) -> tuple[dict, dict]:
    """Lawsuits from prose when both tables are blank: 0 fills both totals; a count above 0
    cannot be split between direct and after-review suits and fills ``lawsuits_stated``."""
    if stated is None or not (
        _blank(report.lawsuits_direct) and _blank(report.lawsuits_after_review)
    ):
        return {}, {}
    found: dict[str, Any] = {"lawsuits_stated": stated.value}
    where = {"lawsuits_stated": stated.provenance()}
    if stated.value == 0:
        for key in ("lawsuits_direct", "lawsuits_after_review"):
            found[key] = Outcomes(total=0)
            where[f"{key}.total"] = stated.provenance()
    return found, where
