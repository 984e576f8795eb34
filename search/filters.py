"""Filters over the records: townships passing a condition, and how many do.

A condition is on a metric (has any, has none, a comparison, a range) or on a contact field
(the report gives a phone, gives no email …). A record without the figure is neither kept
nor dropped silently: it is counted in ``extra["missing"]`` and the text says so.
"""

from __future__ import annotations

import operator
from collections.abc import Callable

from indexer.indexing.records import ReportRow
from search import coverage, render, series, timeliness, values
from search.answer import Answer, Result
from search.answers import (
    Corpus,
    count_reports,
    empty_scope,
    make_answer,
    missing_line,
    page_of,
    result_of,
    scope_text,
    sum_of,
)
from search.understand import Question

_OPS: dict[str, Callable[[float, float], bool]] = {
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
    "==": operator.eq,
}


def _condition(q: Question) -> tuple[str, Callable[[float], bool]]:
    """What a filter keeps, as wording and as a test of one value."""
    w = render.words(q.lang)
    metric = q.metric
    assert metric is not None
    label = metric.label_zh if q.lang == "zh" else metric.label_en
    unit = metric.unit_zh if q.lang == "zh" else ""
    if q.blank:
        return w["cond_blank"].format(label=label), lambda v: False
    if q.between:
        low, high = q.between
        text = w["cond_range"].format(label=label, low=f"{low:g}", high=f"{high:g}", unit=unit)
        return text, lambda v: low <= v <= high
    if q.comparison:
        op, bound = q.comparison
        op_words = dict(pair.split(":") for pair in w["ops"].split("|"))
        text = w["cond_cmp"].format(label=label, op=op_words[op], n=f"{bound:g}", unit=unit)
        return text, lambda v: _OPS[op](v, bound)
    if q.negated:
        return w["cond_none"].format(label=label), lambda v: v == 0
    return w["cond_any"].format(label=label), lambda v: v > 0


def _matching(q: Question, corpus: Corpus) -> tuple[list[tuple[ReportRow, float | None]], int]:
    """Records in scope whose metric passes the condition, and how many had no figure."""
    condition = ("matching", q.blank, q.between, q.comparison, q.negated)
    return corpus.kept_for(q, condition, lambda: _match(q, corpus))


def _match(q: Question, corpus: Corpus) -> tuple[list[tuple[ReportRow, float | None]], int]:
    _, test = _condition(q)
    assert q.metric is not None
    rows = corpus.scoped(q)
    values = corpus.values(q.metric, rows)
    if q.blank:  # the records without the figure are the answer
        return [(r, None) for r, v in zip(rows, values, strict=True) if v is None], 0
    kept: list[tuple[ReportRow, float | None]] = [
        (r, v) for r, v in zip(rows, values, strict=True) if v is not None and test(v)
    ]
    kept.sort(key=lambda rv: -rv[1])  # type: ignore[operator]
    return kept, values.count(None)


def _lines(
    q: Question, corpus: Corpus, results: list[Result], total: int, page: int, size: int
) -> list[str]:
    """One line per result, each followed by the messages behind its figure, if any."""
    notes = {}
    if q.metric is not None and q.metric.notes:
        notes = corpus.source.messages((r.report_id for r in results), q.metric.notes)
    return render.result_lines(
        results, total, q.metric, q.lang, offset=(page - 1) * size, notes=notes
    )


def _passing(q: Question, corpus: Corpus, page: int, size: int, intent: str) -> Answer:
    """Townships whose metric passes the condition: listed (filter) or counted (count)."""
    w = render.words(q.lang)
    kept, missing = _matching(q, corpus)
    what, _ = _condition(q)
    results = [result_of(r, value=v) for r, v in page_of(kept, page, size)]
    scope = scope_text(q)
    if kept or intent == "count":
        head = w["listed" if intent == "filter" else "count_townships"]
        lines = [head.format(what=what, scope=scope, n=len(kept))]
        lines += _lines(q, corpus, results, len(kept), page, size)
    else:
        seen = len(corpus.scoped(q))
        nothing = w["nothing"].format(what=what, what_lower=what.lower(), scope=scope, seen=seen)
        lines = [(empty_scope(q, corpus) if not seen else None) or nothing]
    lines += missing_line(q, missing)
    extra: dict[str, object] = {"missing": missing}
    if intent == "count":
        extra["value"] = len(kept)
    return make_answer(
        q, intent, "\n".join(lines), results, len(kept), page=page, page_size=size, extra=extra
    )


def _listing(q: Question, corpus: Corpus, page: int, size: int) -> Answer:
    """Every report in the question's scope (year, places, kinds of township)."""
    found = corpus.scoped(q)
    results = [result_of(r) for r in page_of(found, page, size)]
    head = render.words(q.lang)["reports"].format(scope=scope_text(q), n=len(found))
    head = (empty_scope(q, corpus) if not found else None) or head
    lines = [head, *render.result_lines(results, len(found), None, q.lang, (page - 1) * size)]
    text = "\n".join(lines)
    return make_answer(q, "filter", text, results, len(found), page=page, page_size=size)


def _contact_filter(q: Question, corpus: Corpus, page: int, size: int, intent: str) -> Answer:
    """Townships whose report gives (or, negated, does not give) a contact field."""
    field = q.contact_field or "all"
    found = corpus.scoped(q)
    contacts = corpus.contacts(found)
    kept = [r for r in found if render.gives(contacts.get(r.id), field) != q.negated]
    results = [result_of(r, contact=contacts.get(r.id)) for r in page_of(kept, page, size)]
    w = render.words(q.lang)
    what = w["cond_field_none" if q.negated else "cond_field"].format(field=w[field])
    lines = [w["listed"].format(what=what, scope=scope_text(q), n=len(kept))]
    for result in results:
        shown = render.label(result, q.lang)
        value = None if q.negated else render.field_text(result.contact, field, q.lang)
        lines.append(f"· {shown}{w['colon']}{value}" if value else f"· {shown}")
    after = len(kept) - (page - 1) * size - len(results)
    if after > 0:
        lines.append(w["more"].format(n=after))
    extra: dict[str, object] = {"field": field, "value": len(kept)} if intent == "count" else {}
    return make_answer(
        q, intent, "\n".join(lines), results, len(kept), page=page, page_size=size, extra=extra
    )


def _over_reports(q: Question, corpus: Corpus, page: int, size: int, intent: str) -> Answer | None:
    """Coverage, timeliness, and a figure (or the reports) year by year, when asked."""
    if q.coverage:
        return coverage.answer(q, corpus, page, size, intent)
    if q.timeliness:
        return timeliness.answer(q, corpus, page, size, intent)
    conditions = q.comparison or q.negated or q.between or q.blank or q.count_units
    by_year = intent == "filter" or q.townships or q.each or q.series  # else a sum of years
    if (q.series or q.years) and by_year and not (conditions or q.overview or q.contact_field):
        return series.series(q, corpus, page, size, intent)
    return None


def filter_records(q: Question, corpus: Corpus, page: int, size: int) -> Answer:
    """Townships passing the question's condition (or all in its scope, with no metric)."""
    special = _over_reports(q, corpus, page, size, "filter")
    if special is not None:
        return special
    if q.overview is not None:
        return values.overview(q, corpus, page, size)
    if q.metric is None and q.contact_field:
        return _contact_filter(q, corpus, page, size, "filter")
    if q.metric is None:
        return _listing(q, corpus, page, size)
    if (q.townships or q.each) and not (q.comparison or q.negated or q.between or q.blank):
        return values.named(q, corpus, page, size, "filter")
    return _passing(q, corpus, page, size, "filter")


def count(q: Question, corpus: Corpus, page: int, size: int) -> Answer:
    """A total: a named township's figure, the sum of a metric, or how many townships pass."""
    special = _over_reports(q, corpus, page, size, "count")
    if special is not None:
        return special
    if q.metric is None and q.contact_field:
        return _contact_filter(q, corpus, page, size, "count")
    if q.metric is None:
        return count_reports(q, corpus, page, size)
    conditions = q.comparison or q.negated or q.between or q.blank
    if (q.townships or q.each) and not (q.count_units or conditions):
        return values.named(q, corpus, page, size, "count")
    if q.count_units or conditions:
        return _passing(q, corpus, page, size, "count")
    return sum_of(q, corpus, page, size)
