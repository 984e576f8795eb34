"""Questions over several years: a series per township, and the change between two years.

"历年行政处罚", "长胜乡2022年和2023年的申请数", "penalties over the years" list each
township once, with its figure for each year in scope (or that it has no report of a year
named); "申请数增加最多的乡镇" ranks townships by the change between the two newest years in
scope (or the first and last year named). Only the rows in scope and one figure column are
read; a township's figure in a year is its first report of that year.
"""

from __future__ import annotations

import dataclasses

from indexer.indexing.records import ReportRow
from search import render
from search.answer import Answer, Result
from search.answers import (
    Corpus,
    make_answer,
    page_of,
    rank,
    result_of,
    scope_text,
    township_of,
)
from search.understand import Question

_Years = dict[int, ReportRow]


def _by_township(rows: list[ReportRow]) -> dict[tuple, _Years]:
    """Each township's reports by year (the first of a year), townships in place order."""
    grouped: dict[tuple, _Years] = {}
    for row in rows:
        if row.year is not None:
            grouped.setdefault(township_of(row), {}).setdefault(row.year, row)
    return grouped


def _label(q: Question) -> str:
    if q.metric is None:
        return ""
    return q.metric.label_zh if q.lang == "zh" else q.metric.label_en


def _figure(q: Question, corpus: Corpus, row: ReportRow) -> int | float | None:
    return corpus.figure(q.metric, row) if q.metric is not None else None


def _series_line(q: Question, corpus: Corpus, by_year: _Years) -> str:
    """One township's line: each year asked (every year it has, with no metric) and its
    figure, or that it has no report of the year."""
    w = render.words(q.lang)
    parts = []
    for year in q.years if q.metric is not None else sorted(by_year):
        row = by_year.get(year)
        text = w["year"].format(y=year)
        if row is None:
            text += " " + w["no_report_year"]
        elif q.metric is not None:
            value = corpus.figure(q.metric, row)
            text += " " + render.value_text(value, q.metric, q.lang, short=True)
        parts.append(text)
    newest = by_year[max(by_year)]
    return f"· {render.place_label(newest, q.lang)}{w['colon']}" + w["sep"].join(parts)


def series(q: Question, corpus: Corpus, page: int, size: int, intent: str) -> Answer:
    """Each township in scope once, with its figure (or its report) in each year."""
    grouped = _by_township(corpus.scoped(q))
    if not q.years:  # 历年: every year the townships in scope have
        q = dataclasses.replace(q, years=tuple(sorted({y for g in grouped.values() for y in g})))
    w = render.words(q.lang)
    keys = page_of(list(grouped), page, size)
    lines = [_series_line(q, corpus, grouped[key]) for key in keys]
    results = [
        result_of(row, value=_figure(q, corpus, row))
        for key in keys
        for _, row in sorted(grouped[key].items())
    ]
    n = len(grouped)
    head = w["series_head" if q.metric else "series_reports"].format(
        label=render.capital(_label(q), q.lang), scope=scope_text(q), n=n, s=_s(n)
    )
    if not grouped:
        head = w["no_reports"].format(scope=scope_text(q))
    after = n - (page - 1) * size - len(keys)
    lines += [w["more"].format(n=after)] if after > 0 else []
    return make_answer(
        q,
        intent,
        "\n".join([head, *lines]),
        results,
        n,
        page=page,
        page_size=size,
        extra={"years": list(q.years)},
    )


def _s(n: int) -> str:
    return "" if n == 1 else "s"


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
    found = []
    partial = 0
    for by_year in _by_township(corpus.scoped(scope)).values():
        before, after = (by_year.get(first), by_year.get(last))
        values = [_figure(q, corpus, r) if r is not None else None for r in (before, after)]
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
    found, partial = _changes(q, corpus, pair)
    sign = -1 if q.change == "rise" else 1
    found.sort(key=lambda c: sign * (c[2] - c[1]))  # stable: ties in place order
    listed = [c for c in found if sign * (c[2] - c[1]) < 0 or q.zeros]
    results = [result_of(row, value=now - then) for row, then, now in page_of(listed, page, size)]
    lines = _change_lines(q, listed, results, page, size)
    rest = len(found) - len(listed)
    lines += [w[f"change_rest_{q.change}"].format(n=rest, s=_s(rest))] if rest else []
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
    label, scope = _label(q), scope_text(q)
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
