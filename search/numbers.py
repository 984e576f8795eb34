"""Numbers in a question: what each binds to (a range of the metric, a span of years, the
bound of a comparison), from the phrases found around it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from search.rules import Comparison

if TYPE_CHECKING:
    from search.understand import _Reading as Reading


def bind_ranges(
    reading: Reading,
    used: set[int],
    year_range: tuple[int, int] = (0, 0),
    years_only: bool = False,
) -> None:
    """A range word with a number on each side (filler between) is a range of the metric;
    with ``years_only``, a range of two years is a span of years (each one a year)."""
    for kind, _, start, end in reading.spans:
        if kind != "range":
            continue
        low = _adjacent(reading, start, before=True, used=used)
        high = _adjacent(reading, end, before=False, used=used)
        if low is None or high is None:
            continue
        first, last = sorted((low[0], high[0]))
        if years_only:
            if not all(is_year(v, year_range) for v in (first, last)):
                continue
            for year in range(int(first), int(last) + 1):
                reading.add("year", year)
        else:
            reading.add("range", (first, last))
        used.update((low[1], high[1]))


def is_year(value: float, year_range: tuple[int, int]) -> bool:
    """Whether a number is a year: a whole number within the rule data's range."""
    return year_range[0] <= value <= year_range[1] and value == int(value)


def _adjacent(reading: Reading, at: int, before: bool, used: set[int]) -> tuple[float, int] | None:
    """The number next to position ``at`` (before or after it), with only filler between."""
    if before:
        options = [(v, s, e) for v, s, e in reading.numbers if e <= at and s not in used]
        options.sort(key=lambda n: -n[1])
    else:
        options = [(v, s, e) for v, s, e in reading.numbers if s >= at and s not in used]
        options.sort(key=lambda n: n[1])
    for value, start, end in options[:1]:
        low, high = (end, at) if before else (at, start)
        between = [k for k, _, s, e in reading.spans if low <= s and e <= high]
        gap = reading.text[low:high].strip()
        covered = sum(e - s for k, _, s, e in reading.spans if low <= s and e <= high)
        if all(k == "filler" for k in between) and covered >= len(gap.replace(" ", "")):
            return value, start
    return None


def nearest(
    reading: Reading, comparison: Comparison, start: int, end: int, used: set[int]
) -> tuple[float, int] | None:
    """The number right after (or before) a comparison word, skipping only filler."""
    if comparison.number == "after":
        candidates = [(v, s) for v, s, _ in reading.numbers if s >= end and s not in used]
        candidates.sort(key=lambda c: c[1])
        limit = end
    else:
        candidates = [(v, s) for v, s, e in reading.numbers if e <= start and s not in used]
        candidates.sort(key=lambda c: -c[1])
        limit = start
    for value, at in candidates[:1]:
        between = [
            k for k, _, s, e in reading.spans if min(at, limit) <= s < max(at, limit) and e > s
        ]
        if all(k == "filler" for k in between):
            return value, at
    return None
