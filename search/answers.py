"""Structured answers over the records in memory: contact, filter, rank and count.

Each function takes the understood `Question` and the `Corpus`, and returns an `Answer`.
A null figure is never a zero: records without one are left out and counted in
``extra["missing"]``, and the text says so.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable

from indexer.models import Report
from search import render
from search.answer import Answer, Result
from search.rules import Metric
from search.understand import Question

_OPS: dict[str, Callable[[float, float], bool]] = {
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
    "==": operator.eq,
}


class Corpus:
    """The records in place order, with each metric's figures worked out once, on first use."""

    def __init__(self, records: Iterable[Report]) -> None:
        """Hold ``records`` (sorted by place)."""
        self.records: tuple[Report, ...] = tuple(sorted(records, key=sort_key))
        self._figures: dict[str, dict[str, int | float | None]] = {}

    def figure(self, metric: Metric, report: Report) -> int | float | None:
        """``metric`` for ``report`` (``None`` when the report gives no figure)."""
        table = self._figures.get(metric.key)
        if table is None:  # two threads may both build it; either result is the same
            table = {r.id: metric.value(r) for r in self.records}
            self._figures[metric.key] = table
        return table[report.id]


def result_of(report: Report, **extra: object) -> Result:
    """The common fields of one report as a `Result`, plus ``extra`` (value, contact…)."""
    return Result(
        report_id=report.id,
        township=report.township,
        agency=report.agency,
        year=report.year,
        county=report.county,
        city=report.city,
        province=report.province,
        **extra,
    )


def sort_key(report: Report) -> tuple:
    """Place order: province, city, county, township, then newest year first."""
    return (
        report.province or "",
        report.city or "",
        report.county or "",
        report.township or report.agency or "",
        -(report.year or 0),
    )


def scoped(q: Question, records: Iterable[Report]) -> list[Report]:
    """The records within the question's year, places and townships."""
    out = []
    for report in records:
        if q.year is not None and report.year != q.year:
            continue
        if q.townships and (report.township or "") not in q.townships:
            continue
        if any(
            all(getattr(report, field) != value for field, value in mention) for mention in q.places
        ):
            continue
        out.append(report)
    return out


def scope_text(q: Question) -> str:
    """The question's year and places, for the answer text: "（2023年，黑龙江省）"."""
    w = render.words(q.lang)
    parts = [w["year"].format(y=q.year)] if q.year else []
    parts += [mention[0][1] for mention in q.places]
    if not parts:
        return ""
    return f"（{'，'.join(parts)}）" if q.lang == "zh" else f" ({', '.join(parts)})"


def _page(items: list, page: int, size: int) -> list:
    return items[(page - 1) * size : page * size]


def _missing_line(q: Question, missing: int) -> list[str]:
    return [render.words(q.lang)["missing"].format(n=missing)] if missing else []


def _answer(q: Question, intent: str, text: str, results: list[Result], total: int, **kw) -> Answer:
    return Answer(
        question=q.asked,
        intent=intent,  # type: ignore[arg-type]
        text=text,
        results=results,
        total=total,
        metric=q.metric.key if q.metric else None,
        **kw,
    )


def contact(q: Question, corpus: Corpus, page: int, size: int) -> Answer:
    """Contact details of the townships named, newest report of each."""
    latest: dict[str, Report] = {}
    for report in sorted(corpus.records, key=lambda r: -(r.year or 0)):
        if report.township in q.townships and report.township not in latest:
            latest[report.township] = report
    found = [latest[n] for n in q.townships if n in latest]
    field = q.contact_field if q.contact_field not in (None, "all") else "all"
    if not found:
        example = next((r.township for r in corpus.records if r.township), "")
        text = render.words(q.lang)["which_township"].format(example=example)
        return _answer(q, "contact", text, [], 0, extra={"field": field})
    results = [result_of(r, contact=r.contact) for r in _page(found, page, size)]
    text = render.contact_text(results, field, q.asked, q.lang)
    if len(found) > len(results):
        text += "\n" + render.words(q.lang)["more"].format(n=len(found) - len(results))
    return _answer(
        q, "contact", text, results, len(found), page=page, page_size=size, extra={"field": field}
    )


def _condition(q: Question) -> tuple[str, Callable[[float], bool]]:
    """What a filter keeps, as wording and as a test of one value."""
    w = render.words(q.lang)
    metric = q.metric
    assert metric is not None
    label = metric.label_zh if q.lang == "zh" else metric.label_en
    if q.comparison:
        op, bound = q.comparison
        op_words = dict(pair.split(":") for pair in w["ops"].split("|"))
        unit = metric.unit_zh if q.lang == "zh" else ""
        text = w["cond_cmp"].format(label=label, op=op_words[op], n=f"{bound:g}", unit=unit)
        return text, lambda v: _OPS[op](v, bound)
    if q.negated:
        return w["cond_none"].format(label=label), lambda v: v == 0
    return w["cond_any"].format(label=label), lambda v: v > 0


def _matching(q: Question, corpus: Corpus) -> tuple[list[tuple[Report, float]], int]:
    """Records in scope whose metric passes the condition, and how many had no figure."""
    _, test = _condition(q)
    assert q.metric is not None
    kept, missing = [], 0
    for report in scoped(q, corpus.records):
        value = corpus.figure(q.metric, report)
        if value is None:
            missing += 1
        elif test(value):
            kept.append((report, value))
    kept.sort(key=lambda rv: (-rv[1], sort_key(rv[0])))
    return kept, missing


def filter_records(q: Question, corpus: Corpus, page: int, size: int) -> Answer:
    """Townships passing the question's condition (or all in its scope, with no metric)."""
    w = render.words(q.lang)
    if q.metric is None:
        found = sorted(scoped(q, corpus.records), key=sort_key)
        results = [result_of(r) for r in _page(found, page, size)]
        head = w["reports"].format(scope=scope_text(q), n=len(found))
        lines = [
            head,
            *render.result_lines(results, len(found), None, q.lang, offset=(page - 1) * size),
        ]
        return _answer(
            q, "filter", "\n".join(lines), results, len(found), page=page, page_size=size
        )
    if q.townships and not (q.comparison or q.negated):
        return _named_values(q, corpus, page, size)
    kept, missing = _matching(q, corpus)
    what, _ = _condition(q)
    results = [result_of(r, value=v) for r, v in _page(kept, page, size)]
    scope = scope_text(q)
    if kept:
        lines = [w["listed"].format(what=what, scope=scope, n=len(kept))]
        lines += render.result_lines(results, len(kept), q.metric, q.lang, offset=(page - 1) * size)
    else:
        seen = len(scoped(q, corpus.records))
        lines = [w["nothing"].format(what=what, what_lower=what.lower(), scope=scope, seen=seen)]
    lines += _missing_line(q, missing)
    return _answer(
        q,
        "filter",
        "\n".join(lines),
        results,
        len(kept),
        page=page,
        page_size=size,
        extra={"missing": missing},
    )


def _named_values(q: Question, corpus: Corpus, page: int, size: int) -> Answer:
    """The figure of each township named in the question, or that its report gives none."""
    assert q.metric is not None
    w = render.words(q.lang)
    found = scoped(q, corpus.records)
    valued = [(r, corpus.figure(q.metric, r)) for r in found]
    results = [result_of(r, value=v) for r, v in _page(valued, page, size)]
    label = q.metric.label_zh if q.lang == "zh" else q.metric.label_en
    lines = [w["values"].format(label=label, scope=scope_text(q))]
    lines += render.result_lines(results, len(valued), q.metric, q.lang, offset=(page - 1) * size)
    return _answer(q, "filter", "\n".join(lines), results, len(valued), page=page, page_size=size)


def rank(q: Question, corpus: Corpus, page: int, size: int) -> Answer:
    """Townships ordered by the metric, most (or fewest) first; ties at the top all named."""
    assert q.metric is not None
    w = render.words(q.lang)
    in_scope = scoped(q, corpus.records)
    valued = [(r, corpus.figure(q.metric, r)) for r in in_scope]
    known = [(r, v) for r, v in valued if v is not None]
    missing = len(valued) - len(known)
    sign = -1 if q.superlative == "max" else 1
    known.sort(key=lambda rv: (sign * rv[1], sort_key(rv[0])))
    label = q.metric.label_zh if q.lang == "zh" else q.metric.label_en
    scope = scope_text(q)
    if not known:
        text = w["rank_none"].format(label=label, scope=scope)
        return _answer(q, "rank", text, [], 0, extra={"missing": missing})
    top_value = known[0][1]
    if q.superlative == "max" and top_value == 0:
        results = [result_of(r, value=v) for r, v in _page(known, page, size)]
        text = w["rank_all_zero"].format(label=label, scope=scope, n=len(known))
        lines = [text, *_missing_line(q, missing)]
        return _answer(
            q,
            "rank",
            "\n".join(lines),
            results,
            len(known),
            page=page,
            page_size=size,
            extra={"value": 0, "top": [], "missing": missing},
        )
    top = [r.township or r.agency or r.id for r, v in known if v == top_value]
    unit = q.metric.unit_zh if q.lang == "zh" else ""
    names = ("、" if q.lang == "zh" else ", ").join(top)
    head = w[f"rank_{q.superlative}"].format(
        label=label, scope=scope, names=names, value=f"{top_value:g}", unit=unit
    )
    results = [result_of(r, value=v) for r, v in _page(known, page, size)]
    lines = [
        head,
        *render.result_lines(results, len(known), q.metric, q.lang, offset=(page - 1) * size),
    ]
    lines += _missing_line(q, missing)
    return _answer(
        q,
        "rank",
        "\n".join(lines),
        results,
        len(known),
        page=page,
        page_size=size,
        extra={"value": top_value, "top": top, "missing": missing},
    )


def count(q: Question, corpus: Corpus, page: int, size: int) -> Answer:
    """A total: the sum of a metric, the number of townships passing a filter, or of reports."""
    w = render.words(q.lang)
    scope = scope_text(q)
    if q.metric is None:
        found = sorted(scoped(q, corpus.records), key=sort_key)
        towns = {r.township or r.agency for r in found}
        text = w["count_reports"].format(n=len(found), scope=scope, t=len(towns))
        results = [result_of(r) for r in _page(found, page, size)]
        return _answer(
            q,
            "count",
            text,
            results,
            len(found),
            page=page,
            page_size=size,
            extra={"value": len(found), "townships": len(towns)},
        )
    if q.count_units or q.comparison or q.negated:
        kept, missing = _matching(q, corpus)
        what, _ = _condition(q)
        text = w["count_townships"].format(what=what, scope=scope, n=len(kept))
        results = [result_of(r, value=v) for r, v in _page(kept, page, size)]
        lines = [
            text,
            *render.result_lines(results, len(kept), q.metric, q.lang, offset=(page - 1) * size),
        ]
        return _answer(
            q,
            "count",
            "\n".join(lines + _missing_line(q, missing)),
            results,
            len(kept),
            page=page,
            page_size=size,
            extra={"value": len(kept), "missing": missing},
        )
    return _sum(q, corpus, page, size)


def _sum(q: Question, corpus: Corpus, page: int, size: int) -> Answer:
    assert q.metric is not None
    w = render.words(q.lang)
    valued = [(r, corpus.figure(q.metric, r)) for r in scoped(q, corpus.records)]
    known = sorted(
        ((r, v) for r, v in valued if v is not None), key=lambda rv: (-rv[1], sort_key(rv[0]))
    )
    missing = len(valued) - len(known)
    total = sum(v for _, v in known)
    label = q.metric.label_zh if q.lang == "zh" else q.metric.label_en
    text = w["sum"].format(
        label=label,
        scope=scope_text(q),
        n=len(known),
        value=render.value_text(total, None, q.lang),
        unit=q.metric.unit_zh if q.lang == "zh" else "",
    )
    results = [result_of(r, value=v) for r, v in _page(known, page, size)]
    lines = [
        text,
        *render.result_lines(results, len(known), q.metric, q.lang, offset=(page - 1) * size),
    ]
    return _answer(
        q,
        "count",
        "\n".join(lines + _missing_line(q, missing)),
        results,
        len(known),
        page=page,
        page_size=size,
        extra={"value": total, "missing": missing},
    )
