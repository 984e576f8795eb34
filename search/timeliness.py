"""Were the reports published on time? Due by 31 January of the year after the report year
(the date is rule data: `[timeliness] due_month`, `due_day`).

The publication date is the report's `source.published` (``YYYY-MM-DD``, from the page or
the date under the signature). A report without one is never guessed late or on time: it
is counted apart and the answer says how many.
"""

from __future__ import annotations

from datetime import date

from indexer.indexing.records import ReportRow
from search import render
from search.answer import Answer
from search.answers import Corpus, make_answer, page_of, result_of, scope_text
from search.rules import load_rules
from search.understand import Question

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August")
_MONTHS += ("September", "October", "November", "December")


def due(year: int) -> date:
    """The last day a report of ``year`` may be published on time."""
    month, day = load_rules().due
    return date(year + 1, month, day)


def published_on(row: ReportRow) -> date | None:
    """The report's publication date, None when unknown or unreadable."""
    try:
        return date.fromisoformat(row.published) if row.published else None
    except ValueError:
        return None


def days_late(row: ReportRow) -> int | None:
    """How many days after the due date the report came out (0 or less: on time); None when
    its year or publication date is unknown."""
    published = published_on(row)
    if published is None or row.year is None:
        return None
    return (published - due(row.year)).days


def _due_text(lang: str) -> str:
    month, day = load_rules().due
    return render.words(lang)["due"].format(m=month, d=day, month=_MONTHS[month - 1])


def answer(q: Question, corpus: Corpus, page: int, size: int, intent: str) -> Answer:
    """The reports in scope published late (most days late first) or on time, and how many
    have no known date."""
    w = render.words(q.lang)
    late = q.timeliness != "on_time"
    found: list[tuple[ReportRow, int]] = []
    undated = 0
    for row in corpus.scoped(q):
        days = days_late(row)
        if days is None:
            undated += 1
        elif (days > 0) == late:
            found.append((row, days))
    if late:
        found.sort(key=lambda rd: -rd[1])  # stable: ties in place order
    shown = page_of(found, page, size)
    results = [result_of(r, value=d if late else None) for r, d in shown]
    lines = [
        w["late" if late else "on_time"].format(
            due=_due_text(q.lang), scope=scope_text(q), n=len(found)
        )
    ]
    for result, (row, days) in zip(results, shown, strict=True):
        when = w["late_line" if late else "on_time_line"].format(date=row.published, days=days)
        lines.append(f"· {render.label(result, q.lang)}{w['colon']}{when}")
    after = len(found) - (page - 1) * size - len(shown)
    lines += [w["more"].format(n=after)] if after > 0 else []
    lines += [w["undated"].format(n=undated)] if undated else []
    extra = {"value": len(found), "undated": undated, "due": _due_text(q.lang)}
    return make_answer(
        q, intent, "\n".join(lines), results, len(found), page=page, page_size=size, extra=extra
    )
