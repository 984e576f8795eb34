"""Which picture an `Answer` gets: a line chart when its values run over years for the same
township (a series), a bar chart for a ranking, none otherwise.
"""

from __future__ import annotations

from collections import Counter

from bot.charts import Bar, Series, bar_chart, line_chart
from bot.html import Html
from search import Answer, Result

CHART_INTENTS = frozenset({"rank", "series"})


def _name(result: Result) -> str:
    return result.township or result.agency or result.report_id


def _key(result: Result) -> tuple[str, str | None, str | None]:
    return (_name(result), result.county, result.province)


def is_series(answer: Answer) -> bool:
    """Whether some township's values span several years (read as lines over years)."""
    years: dict[tuple[str, str | None, str | None], set[int]] = {}
    for r in answer.results:
        if r.value is not None and r.year is not None:
            years.setdefault(_key(r), set()).add(r.year)
    return answer.intent == "series" or any(len(y) > 1 for y in years.values())


def bars_of(answer: Answer) -> list[Bar]:
    """One bar per result, in the answer's order; the county (then the year) is added to a
    name only where two bars would otherwise read the same."""
    names = Counter(_name(r) for r in answer.results)
    places = Counter((_name(r), r.county) for r in answer.results)
    bars = []
    for r in answer.results:
        note = []
        if names[_name(r)] > 1 and r.county:
            note.append(r.county)
        if places[(_name(r), r.county)] > 1 and r.year:
            note.append(str(r.year))
        bars.append(Bar(label=_name(r), value=r.value, note=" ".join(note)))
    return bars


def series_of(answer: Answer) -> list[Series]:
    """One line per township, its points the years it has, oldest first."""
    lines: dict[tuple[str, str | None, str | None], dict[int, float | None]] = {}
    for r in answer.results:
        if r.year is not None:
            lines.setdefault(_key(r), {})[r.year] = r.value
    names = Counter(key[0] for key in lines)
    out = []
    for key, points in lines.items():
        label = f"{key[0]}（{key[1]}）" if names[key[0]] > 1 and key[1] else key[0]
        out.append(Series(label=label, points=sorted(points.items())))
    return out


def chart_of(answer: Answer) -> Html | None:
    """The answer's chart as SVG, or None when it has none (no values, or not a kind drawn)."""
    if not any(r.value is not None for r in answer.results):
        return None
    title = (answer.text or answer.question).split("\n", 1)[0]
    if is_series(answer):
        return line_chart(series_of(answer), title)
    if answer.intent in CHART_INTENTS:
        return bar_chart(bars_of(answer), title)
    return None
