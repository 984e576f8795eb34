"""Questions over several years: a series per township.

"历年行政处罚", "长胜乡2022年和2023年的申请数", "penalties over the years" list each
township once, with its figure for each year in scope (or that it has no report of a year
named); "集贤县各年的报告" lists the years each township has reports for. Only the rows in
scope and one figure column are read; a township's figure in a year is its first report of
that year. The change between two years is a ranking (`search.ranking`).
"""

from __future__ import annotations

import dataclasses

from search import render
from search.answer import Answer
from search.answers import (
    Corpus,
    make_answer,
    page_of,
    result_of,
    scope_text,
)
from search.ranking import Years, by_township, figure_of, label_of, plural
from search.understand import Question


def _series_line(q: Question, corpus: Corpus, by_year: Years) -> str:
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
    grouped = by_township(corpus, corpus.scoped(q))
    if not q.years:  # 历年: every year the townships in scope have
        q = dataclasses.replace(q, years=tuple(sorted({y for g in grouped.values() for y in g})))
    w = render.words(q.lang)
    keys = page_of(list(grouped), page, size)
    lines = [_series_line(q, corpus, grouped[key]) for key in keys]
    results = [
        result_of(row, value=figure_of(q, corpus, row))
        for key in keys
        for _, row in sorted(grouped[key].items())
    ]
    n = len(grouped)
    head = w["series_head" if q.metric else "series_reports"].format(
        label=render.capital(label_of(q), q.lang), scope=scope_text(q), n=n, s=plural(n)
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
