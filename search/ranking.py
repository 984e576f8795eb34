"""Rankings: townships by a figure, or by its change between two years, each township once.

"哪个乡镇行政处罚最多" ranks the townships in scope (a township's years added up when the
question spans several); with "most", the townships at 0 are summed up in one line.
"申请数增加最多的乡镇" ranks by the rise (or fall) between the two newest years in scope,
or the first and last year named. A township's figure in a year is its first report of it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from indexer.indexing.records import ReportRow
from search import render
from search.answer import Answer, Result
from search.answers import (
    Corpus,
    make_answer,
    missing_line,
    page_of,
    result_of,
    scope_text,
)
from search.understand import Question

Years = dict[int, ReportRow]


def by_township(corpus: Corpus, rows: Iterable[ReportRow]) -> dict[int, Years]:
    """Each township's reports by year (the first of a year), townships in place order."""
    rows = [row for row in rows if row.year is not None]
    grouped: dict[int, Years] = {}
    for row, key in zip(rows, corpus.township_keys(rows), strict=True):
        grouped.setdefault(key, {}).setdefault(row.year, row)  # type: ignore[arg-type]
    return grouped


def label_of(q: Question) -> str:
    """The metric's label in the language of the question ("" with no metric)."""
    if q.metric is None:
        return ""
    return q.metric.label_zh if q.lang == "zh" else q.metric.label_en


def figure_of(q: Question, corpus: Corpus, row: ReportRow) -> int | float | None:
    """The question's metric for one report (None with no metric or no figure)."""
    return corpus.figure(q.metric, row) if q.metric is not None else None


def plural(n: int) -> str:
    """The English plural ending for ``n`` things."""
    return "" if n == 1 else "s"


def per_township(
    q: Question, corpus: Corpus, rows: Iterable[ReportRow]
) -> tuple[list[tuple[ReportRow, float]], int]:
    """Each township's figure (summed over the years in scope, one report a year), shown by
    its newest report, in place order; and how many reports gave no figure."""
    assert q.metric is not None
    rows = list(rows)
    totals: dict[int, list] = {}
    seen: dict[int, set[int | None]] = {}
    years: set[int | None] = set()
    last = -1
    missing = 0
    keys, values = corpus.township_keys(rows), corpus.values(q.metric, rows)
    for row, key, value in zip(rows, keys, values, strict=True):
        if key != last:  # a township's reports are next to each other in place order
            last, years = key, seen.setdefault(key, set())
        if row.year in years:  # the same township twice in a year: the first counts
            continue
        years.add(row.year)
        if value is None:
            missing += 1
            continue
        entry = totals.get(key)
        if entry is None:
            totals[key] = [row, value]
            continue
        entry[1] += value
        if (row.year or 0) > (entry[0].year or 0):
            entry[0] = row
    return [(row, value) for row, value in totals.values()], missing


def rank(q: Question, corpus: Corpus, page: int, size: int) -> Answer:
    """Townships ordered by the metric, most (or fewest) first, each once; ties at the top
    all named; with "most", the townships at 0 are summed up in one line unless asked for."""
    assert q.metric is not None
    w = render.words(q.lang)
    sign = -1 if q.superlative == "max" else 1

    def ordered() -> tuple[list[tuple[ReportRow, float]], int]:
        known, missing = per_township(q, corpus, corpus.scoped(q))
        known.sort(key=lambda rv: sign * rv[1])  # stable: ties stay in place order
        return known, missing

    known, missing = corpus.kept_for(q, ("rank", sign), ordered)
    label = q.metric.label_zh if q.lang == "zh" else q.metric.label_en
    scope = scope_text(q)
    if not known:
        text = w["rank_none"].format(label=label, scope=scope)
        return make_answer(q, "rank", text, [], 0, extra={"missing": missing})
    top_value = known[0][1]
    listed = known
    if q.superlative == "max" and not q.zeros:
        listed = [(r, v) for r, v in known if v != 0]
    zeros = len(known) - len(listed)
    results = [result_of(r, value=v) for r, v in page_of(listed, page, size)]
    if not listed:  # nobody has any: name no one "the most"
        top: list[str] = []
        lines = [w["rank_all_zero"].format(label=label, scope=scope, n=len(known))]
    else:
        top = [r.township or r.agency or r.id for r, v in listed if v == top_value]
        offset = (page - 1) * size
        lines = [
            _rank_head(q, label, scope, top, top_value),
            *render.result_lines(results, len(listed), q.metric, q.lang, offset=offset),
        ]
        lines += [w["rank_zeros"].format(n=zeros, s="" if zeros == 1 else "s")] if zeros else []
    lines += missing_line(q, missing)
    extra = {"value": top_value if top else 0, "top": top, "missing": missing, "zeros": zeros}
    return make_answer(
        q, "rank", "\n".join(lines), results, len(listed), page=page, page_size=size, extra=extra
    )


def _rank_head(q: Question, label: str, scope: str, top: list[str], value: float) -> str:
    """The first line of a ranking: who has the most (or fewest), and how many."""
    assert q.metric is not None
    names = ("、" if q.lang == "zh" else ", ").join(top)
    unit = q.metric.unit_zh if q.lang == "zh" else ""
    return render.words(q.lang)[f"rank_{q.superlative}"].format(
        label=label, scope=scope, names=names, value=f"{value:g}", unit=unit
    )


def _pair(q: Question, corpus: Corpus) -> tuple[int, int] | None:
    """The two years a change is between: the first and last named, the year named and the
    one before it, or the two newest in scope."""
    if q.years:
        return q.years[0], q.years[-1]
    if q.year is not None:
        return q.year - 1, q.year
    years = corpus.years_in(q)
    return (years[-2], years[-1]) if len(years) >= 2 else None


def _changes(
    q: Question, corpus: Corpus, pair: tuple[int, int]
) -> tuple[list[tuple[ReportRow, float, float]], int]:
    """Each township with a figure in both years: its newer report, then and now; and how
    many townships in scope have a figure in only one of them."""
    first, last = pair
    scope = dataclasses.replace(q, year=None, years=pair)
    assert q.metric is not None
    rows = corpus.scoped(scope)
    value_of = dict(zip(map(id, rows), corpus.values(q.metric, rows), strict=True))
    found = []
    partial = 0
    for by_year in by_township(corpus, rows).values():
        before, after = (by_year.get(first), by_year.get(last))
        values = [value_of[id(r)] if r is not None else None for r in (before, after)]
        if values[0] is None or values[1] is None:
            partial += 1
            continue
        found.append((after or before, values[0], values[1]))  # type: ignore[arg-type]
    return found, partial


def change(q: Question, corpus: Corpus, page: int, size: int) -> Answer:
    """Townships ranked by the rise (or fall) of the metric between two years, each once;
    those that did not rise (fall) are summed up in one line."""
    assert q.metric is not None and q.change is not None
    w = render.words(q.lang)
    pair = _pair(q, corpus)
    if pair is None:
        shown = ("、" if q.lang == "zh" else ", ").join(map(str, corpus.years_in(q))) or "-"
        text = w["change_need_years"].format(scope=scope_text(q), years=shown)
        return make_answer(q, "rank", text, [], 0, extra={"missing": 0})
    q = dataclasses.replace(q, year=None, years=pair)
    sign = -1 if q.change == "rise" else 1

    def ordered() -> tuple[list[tuple[ReportRow, float, float]], int]:
        found, partial = _changes(q, corpus, pair)
        found.sort(key=lambda c: sign * (c[2] - c[1]))  # stable: ties in place order
        return found, partial

    found, partial = corpus.kept_for(q, ("change", sign), ordered)
    listed = [c for c in found if sign * (c[2] - c[1]) < 0 or q.zeros]
    results = [result_of(row, value=now - then) for row, then, now in page_of(listed, page, size)]
    lines = _change_lines(q, listed, results, page, size)
    rest = len(found) - len(listed)
    lines += [w[f"change_rest_{q.change}"].format(n=rest, s=plural(rest))] if rest else []
    lines += [w["change_one_year"].format(n=partial)] if partial else []
    top = listed[0][2] - listed[0][1] if listed else 0
    return make_answer(
        q,
        "rank",
        "\n".join(lines),
        results,
        len(listed),
        page=page,
        page_size=size,
        extra={"value": top, "years": list(pair), "missing": partial, "unchanged": rest},
    )


def _change_lines(
    q: Question,
    listed: list[tuple[ReportRow, float, float]],
    results: list[Result],
    page: int,
    size: int,
) -> list[str]:
    """The head (who rose most, by how much) and one line per township: then → now (±)."""
    assert q.metric is not None and q.change is not None
    w = render.words(q.lang)
    label, scope = label_of(q), scope_text(q)
    if not listed:
        return [w[f"change_none_{q.change}"].format(label=label, scope=scope)]
    top_delta = listed[0][2] - listed[0][1]
    names = [r.township or r.agency or r.id for r, a, b in listed if b - a == top_delta]
    head = w[f"change_{q.change}"].format(
        label=label,
        scope=scope,
        names=("、" if q.lang == "zh" else ", ").join(names),
        delta=_signed(top_delta, q),
    )
    offset = (page - 1) * size
    lines = [head]
    for result, (_, then, now) in zip(results, listed[offset:], strict=False):
        shown = w["change_line"].format(
            then=f"{then:g}", now=f"{now:g}", delta=_signed(now - then, q)
        )
        lines.append(f"· {render.place_label(result, q.lang)}{w['colon']}{shown}")
    after = len(listed) - offset - len(results)
    return lines + ([w["more"].format(n=after)] if after > 0 else [])


def _signed(delta: float, q: Question) -> str:
    text = render.value_text(delta, q.metric, q.lang)
    return f"+{text}" if delta > 0 else text


def ranked(q: Question, corpus: Corpus, page: int, size: int) -> Answer:
    """A ranking: by the change between two years when one is asked, else by the figure."""
    if q.change is not None:
        return change(q, corpus, page, size)
    return rank(q, corpus, page, size)
