"""Which kind of answer a question wants (its intent), from what was found in it.

`search.understand` reads a question into the phrases it holds (metrics, names, contact
fields, cue words) and whether anything is left over; the rules here turn that into one of
contact, filter, rank, count or keyword, in order of precedence.
"""

from __future__ import annotations

from typing import Any

_CUES = (
    "year",
    "place",
    "comparison",
    "range",
    "superlative",
    "negation",
    "total",
    "latest",
    "blank",
    "series",
    "change",
    "timeliness",
    "coverage",
)


def intent(q: dict[str, Any], found: dict[str, list[Any]], residual: bool) -> str:
    """Which kind of answer the question wants, from what was found in it."""
    cues = any(found.get(k) for k in _CUES)
    listing = bool(
        found.get("listing") or found.get("kind") or found.get("asking") or found.get("each")
    )
    counting = bool(found.get("total") or q["count_units"])
    if found.get("search"):
        return "keyword"
    if found.get("help") and not (q["metric"] or q["townships"] or cues or residual):
        return "unknown"
    if q["townships"] and q["contact_field"]:
        return "contact"
    special = _overview_years_reports(q, listing, counting, residual)
    if special:
        return special
    named_only = not any(found.get(k) for k in _CUES if k != "place")  # 幸福乡, 长春市
    if q["townships"] and named_only and not (q["metric"] or listing or residual):
        return "contact"
    if q["contact_field"] and not (q["metric"] or residual) and (listing or cues or counting):
        return "count" if counting else "filter"  # townships with(out) a phone, an email …
    if q["superlative"] and q["metric"]:
        return "rank"
    if counting and (q["metric"] or q["count_units"] or not residual):
        return "count"
    if q["metric"] and (cues or listing or q["townships"] or not residual):
        return "filter"
    if (q["places"] or q["year"] or q["years"] or listing or q["latest"]) and not residual:
        return "filter"
    if q["contact_field"] and not residual:
        return "contact"
    return "keyword"  # plain words; the engine says it does not know if nothing matches


def _overview_years_reports(
    q: dict[str, Any], listing: bool, counting: bool, residual: bool
) -> str | None:
    """An overview with a scope is a filter; a change between years is a ranking; coverage
    and timeliness are which townships (a filter) or how many (a count): coverage without a
    listing word (双鸭山市年报覆盖率) is a count, n / N."""
    scope = q["townships"] or q["places"] or listing or q["year"] or q["years"] or q["latest"]
    if overview_asked(q) and scope and not (q["contact_field"] or residual):
        return "filter"
    if q["change"] and q["metric"]:
        return "rank"
    if not (q["coverage"] or q["timeliness"]) or q["metric"] or q["contact_field"]:
        return None
    if counting or (q["coverage"] and not listing):
        return "count"
    return "filter"


def blank(found: dict[str, list[Any]]) -> bool:
    """Whether the question asks for blanks: a blank word, or a negation and a figure word."""
    return bool(found.get("blank") or (found.get("negation") and found.get("figure")))


def overview_asked(q: dict[str, Any]) -> bool:
    """Whether an overview is asked for, with no metric word other than those it absorbs."""
    overview, metric = q["overview"], q["metric"]
    return overview is not None and (metric is None or metric.key in overview.absorbs)
