"""Structured answers over the records: contact, rank and count, and what all
structured answers share (the corpus, the scope of a question, the `Answer` they build).

Each answer function takes the understood `Question` and the `Corpus`, and returns an
`Answer`. A null figure is never a zero: records without one are left out and counted in
``extra["missing"]``, and the text says so. Filters are in `search.filters`, the figures of
named townships in `search.values`.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Protocol, TypeVar

from indexer.indexing.analysis import Query
from indexer.indexing.records import ReportRow, ReportText
from indexer.indexing.store import StoreHit
from indexer.models import Contact, Report
from search import render
from search.answer import Answer, Result
from search.rules import Metric, load_rules
from search.understand import Question

T = TypeVar("T")
KEPT = 256  # what `Corpus.kept` keeps: a few MB at 40,000 reports


class RecordSource(Protocol):
    """Where a corpus reads its records: an index snapshot, or records in memory."""

    def rows(self) -> list[ReportRow]:
        """Every report as a row (places, year, names)."""
        ...

    def figures(self, paths: Sequence[str]) -> dict[str, tuple[int | float | None, ...]]:
        """Report id -> its figures at the dotted record ``paths``."""
        ...

    def totals(self, groups: Sequence[Sequence[str]]) -> dict[str, tuple[int | float | None, ...]]:
        """Report id -> for each group of paths, the sum of its figures (None: all null)."""
        ...

    def reports(self, ids: Iterable[str]) -> dict[str, Report]:
        """The full records of ``ids``."""
        ...

    def messages(self, ids: Iterable[str], path: str) -> dict[str, list[str]]:
        """The messages of the items at the dotted ``path`` of each record of ``ids``."""
        ...

    def contacts(self, ids: Iterable[str]) -> dict[str, Contact]:
        """The contact details of ``ids``."""
        ...

    def texts(self, ids: Iterable[str]) -> dict[str, ReportText]:
        """The title, agency and sections of ``ids`` (what snippets are cut from)."""
        ...

    def find(self, query: Query, limit: int | None) -> tuple[int, list[StoreHit]]:
        """Keyword hits: how many, and the best ``limit``."""
        ...


class Corpus:
    """The reports as rows in place order; each metric's figures read once (on first use, or
    all at once for the saved start, `search.prepared`); full records and contact details read
    only for the reports an answer shows; what whole-year questions work out, kept."""

    def __init__(
        self,
        source: RecordSource,
        rows: Sequence[ReportRow] | None = None,
        township_keys: list[int] | None = None,
        figures: dict[str, list[int | float | None]] | None = None,
    ) -> None:
        """Read the rows of ``source`` (sorted by place), or take ``rows`` already sorted,
        their ``township_keys`` and metric ``figures`` (as `saved` gave them)."""
        self.source = source
        if rows is None:
            rows = sorted(source.rows(), key=sort_key)
        self.records: tuple[ReportRow, ...] = tuple(rows)
        self.by_id: dict[str, ReportRow] = {r.id: r for r in self.records}
        self._at = {r.id: i for i, r in enumerate(self.records)}
        by_year: dict[int | None, list[ReportRow]] = {}
        by_township: dict[str, list[ReportRow]] = {}
        for row in self.records:
            by_year.setdefault(row.year, []).append(row)
            if row.township:
                by_township.setdefault(row.township, []).append(row)
        self._by_year = {year: tuple(rows) for year, rows in by_year.items()}
        self.by_township = {name: tuple(rows) for name, rows in by_township.items()}
        self.years: list[int] = sorted(y for y in by_year if y is not None)
        self._figures: dict[str, list[int | float | None]] = dict(figures or {})
        self._township_keys: list[int] | None = township_keys
        self._places: dict[tuple[str, str | None], tuple[ReportRow, ...]] | None = None
        self._kept: OrderedDict[Hashable, object] = OrderedDict()
        self._kept_lock = threading.Lock()

    def kept(self, key: Hashable, make: Callable[[], T]) -> T:
        """``make()``, made once for ``key`` and kept (the latest `KEPT` of them): what a
        question over a whole year works out from the figures (a ranking of every township)
        is the same each time it is asked of one generation. Callers must not change it."""
        with self._kept_lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]  # type: ignore[return-value]
        value = make()  # outside the lock: two threads may both make it, alike
        with self._kept_lock:
            self._kept[key] = value
            while len(self._kept) > KEPT:
                self._kept.popitem(last=False)
        return value

    def saved(self) -> tuple[list[tuple], list[int], dict[str, list[int | float | None]]]:
        """The rows as plain tuples, their township keys and the figures of every metric of
        the rules: what `Corpus` takes back."""
        self.township_keys(self.records[:1])
        self.read_figures(load_rules().metrics)
        assert self._township_keys is not None
        return [tuple(row) for row in self.records], self._township_keys, dict(self._figures)

    def kept_for(self, q: Question, what: Hashable, make: Callable[[], T]) -> T:
        """``make()`` for ``q``, kept (see `kept`) when the question's scope is whole years
        (no township, place or kind named), made afresh for a narrower scope. ``what`` names
        what is made and all it depends on besides the question's metric and years."""
        if q.townships or q.places or q.kinds:
            return make()
        metric = q.metric.key if q.metric is not None else None
        return self.kept((what, metric, q.year, q.years), make)

    def with_place(self, field: str, value: str | None) -> tuple[ReportRow, ...]:
        """The rows whose ``field`` (province, city or county) is ``value``, in place order;
        ``field`` "province+county" takes ``value`` as "province|county"."""
        places = self._places
        if places is None:  # made once; two threads may both make it, alike
            grouped: dict[tuple[str, str | None], list[ReportRow]] = {}
            for row in self.records:
                for key in (
                    ("province", row.province),
                    ("city", row.city),
                    ("county", row.county),
                    ("province+county", f"{row.province}|{row.county}"),
                ):
                    grouped.setdefault(key, []).append(row)
            places = self._places = {k: tuple(v) for k, v in grouped.items()}
        return places.get((field, value), ())

    def counties(self) -> set[tuple[str | None, str]]:
        """The (province, county) pairs the rows come from."""
        self.with_place("county", None)
        assert self._places is not None
        return {
            (rows[0].province, rows[0].county)
            for (field, _), rows in self._places.items()
            if field == "province+county" and rows[0].county
        }

    def _table(self, metric: Metric) -> list[int | float | None]:
        """The metric's figure of every row, in row order (read once)."""
        table = self._figures.get(metric.key)
        if table is None:  # two threads may both build it; either result is the same
            self.read_figures([metric])
            table = self._figures[metric.key]
        return table

    def read_figures(self, metrics: Sequence[Metric]) -> None:
        """Read the figures of those ``metrics`` not read yet, in one pass over the source."""
        wanted = list({m.key: m for m in metrics if m.key not in self._figures}.values())
        if not wanted:
            return
        found = self.source.totals([m.paths for m in wanted])
        blank = (None,) * len(wanted)
        rows = [found.get(r.id, blank) for r in self.records]
        columns = list(zip(*rows, strict=True)) if rows else [() for _ in wanted]
        for metric, column in zip(wanted, columns, strict=True):
            self._figures[metric.key] = list(column)

    def figure(self, metric: Metric, report: ReportRow) -> int | float | None:
        """``metric`` for ``report`` (``None`` when the report gives no figure)."""
        at = self._at.get(report.id)
        return None if at is None else self._table(metric)[at]

    def values(self, metric: Metric, rows: Iterable[ReportRow]) -> list[int | float | None]:
        """``metric`` for each of ``rows`` (one pass: what rankings over thousands use)."""
        table, at = self._table(metric), self._at
        return [table[at[r.id]] for r in rows]

    def township_keys(self, rows: Iterable[ReportRow]) -> list[int]:
        """A number for each row's township (province, city, county and name: two counties
        may each have a 太平镇), the same for every report of one township."""
        keys = self._township_keys
        if keys is None:
            numbers: dict[tuple, int] = {}
            keys = [
                numbers.setdefault(
                    (r.province, r.city, r.county, r.township or r.agency or r.id), len(numbers)
                )
                for r in self.records
            ]
            self._township_keys = keys
        at = self._at
        return [keys[at[r.id]] for r in rows]

    def scoped(self, q: Question) -> list[ReportRow]:
        """The rows within the question's year (or years), places, townships and kinds, in
        place order. Only the rows of the narrowest index (township, place or year) are read."""
        rows = self._candidates(q)
        if rows is None and q.years:
            found = [r for year in q.years for r in self._by_year.get(year, ())]
            rows = sorted(found, key=lambda r: self._at[r.id])
        elif rows is None:
            rows = self._by_year.get(q.year, ()) if q.year is not None else self.records
            if not q.kinds:
                return list(rows)
        elif q.year is not None:
            rows = [r for r in rows if r.year == q.year]
        if q.years:
            rows = [r for r in rows if r.year in q.years]
        if not (q.townships or q.places or q.kinds):
            return list(rows)
        return [r for r in rows if _in_place(q, r)]

    def years_in(self, q: Question) -> list[int]:
        """The years there are reports for within the question's places, townships and kinds."""
        rows = self._candidates(q)
        if rows is None and not q.kinds:
            return self.years
        source = self.records if rows is None else rows
        return sorted({r.year for r in source if r.year is not None and _in_place(q, r)})

    def _candidates(self, q: Question) -> list[ReportRow] | None:
        """The rows of the townships named, or of the first place named (any year), in place
        order; None when the question names neither."""
        if q.townships:
            groups = [self.by_township.get(name, ()) for name in q.townships]
        elif q.places:
            groups = [self.with_place(field, value) for field, value in q.places[0]]
        else:
            return None
        if len(groups) == 1:
            return list(groups[0])
        found = {r.id: r for group in groups for r in group}
        return sorted(found.values(), key=lambda r: self._at[r.id])

    def contacts(self, rows: Iterable[ReportRow]) -> dict[str, Contact]:
        """The contact details of ``rows``, by report id."""
        return self.source.contacts(r.id for r in rows)

    def reports(self, ids: Iterable[str]) -> dict[str, Report]:
        """The full records of ``ids``."""
        return self.source.reports(ids)


def result_of(report: ReportRow, **extra: object) -> Result:
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


def sort_key(report: ReportRow) -> tuple:
    """Place order: province, city, county, township, then newest year first."""
    return (
        report.province or "",
        report.city or "",
        report.county or "",
        report.township or report.agency or "",
        -(report.year or 0),
    )


def _in_place(q: Question, report: ReportRow) -> bool:
    """Whether ``report`` is within the question's places, townships and kinds (not year)."""
    if q.townships and (report.township or "") not in q.townships:
        return False
    name = report.township or ""
    if q.kinds and not any(name.endswith(s) for k in q.kinds for s in k.suffixes):
        return False
    return not any(
        all(getattr(report, field) != value for field, value in mention) for mention in q.places
    )


def scoped(q: Question, records: Iterable[ReportRow]) -> list[ReportRow]:
    """The records within the question's year, places, townships and kinds of township."""
    return [r for r in records if (q.year is None or r.year == q.year) and _in_place(q, r)]


def settle(q: Question, corpus: Corpus) -> Question:
    """The question with its year made the newest year of the records in its scope, when it
    names none: a ranking, filter or total is about one year, and its answer says which.
    Questions over several years (历年, a span, a change, coverage) keep theirs."""
    if q.kind == "contact" and not q.latest:
        return q
    if q.year is not None or q.years or q.series or q.change or q.coverage:
        return q
    years = corpus.years_in(q)
    return dataclasses.replace(q, year=years[-1]) if years else q


def scope_text(q: Question) -> str:
    """The question's year, places and kinds, for the answer text: "（2023年，黑龙江省）"."""
    parts = [_years_text(q)] if q.year or q.years else []
    parts += [mention[0][1] for mention in q.places]
    parts += [k.label_zh if q.lang == "zh" else k.label_en for k in q.kinds]
    if not parts:
        return ""
    return f"（{'，'.join(parts)}）" if q.lang == "zh" else f" ({', '.join(parts)})"


def _years_text(q: Question) -> str:
    """The year or years of a question: 2023年, 2021–2023年, 2022年→2023年, 2019年、2023年."""
    w = render.words(q.lang)
    if not q.years:
        return w["year"].format(y=q.year)
    first, last = q.years[0], q.years[-1]
    if q.change and len(q.years) == 2:
        return w["years_change"].format(a=first, b=last)
    if len(q.years) > 2 and list(q.years) == list(range(first, last + 1)):
        return w["years_span"].format(a=first, b=last)
    return w["years_list"].format(years=("、" if q.lang == "zh" else ", ").join(map(str, q.years)))


def empty_scope(q: Question, corpus: Corpus) -> str | None:
    """When nothing is in the question's scope: say so, and which years there are."""
    if q.year is None and not q.places and not q.kinds:
        return None
    years = corpus.years
    shown = ("、" if q.lang == "zh" else ", ").join(map(str, years)) or "-"
    text = render.words(q.lang)["empty_scope"]
    return text.format(scope=scope_text(q), n=len(corpus.records), years=shown)


def page_of(items: list, page: int, size: int) -> list:
    """One page of ``items``."""
    return items[(page - 1) * size : page * size]


def missing_line(q: Question, missing: int) -> list[str]:
    """The line saying how many reports give no figure (none when every report gives one)."""
    return [render.words(q.lang)["missing"].format(n=missing)] if missing else []


def make_answer(
    q: Question, intent: str, text: str, results: list[Result], total: int, **kw: object
) -> Answer:
    """The `Answer` to ``q`` (question, intent, text, results, total, metric, and ``kw``)."""
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
    latest: dict[str, ReportRow] = {}
    for name in q.townships:  # the newest report of each (the first in place order on a tie)
        rows = corpus.by_township.get(name)
        if rows and name not in latest:
            latest[name] = max(rows, key=lambda r: r.year or 0)
    found = [latest[n] for n in q.townships if n in latest]
    field = q.contact_field if q.contact_field not in (None, "all") else "all"
    if not found:
        example = next((r.township for r in corpus.records if r.township), "")
        text = render.words(q.lang)["which_township"].format(example=example)
        return make_answer(q, "contact", text, [], 0, extra={"field": field})
    shown = page_of(found, page, size)
    contacts = corpus.contacts(shown)
    results = [result_of(r, contact=contacts.get(r.id)) for r in shown]
    text = render.contact_text(results, field, q.asked, q.lang, q.contact_fields)
    if len(found) > len(results):
        text += "\n" + render.words(q.lang)["more"].format(n=len(found) - len(results))
    return make_answer(
        q,
        "contact",
        text,
        results,
        len(found),
        page=page,
        page_size=size,
        extra={"field": field, "fields": list(q.contact_fields)},
    )


def count_reports(q: Question, corpus: Corpus, page: int, size: int) -> Answer:
    """How many reports (and townships) the question's scope holds."""
    found = corpus.scoped(q)
    towns = {r.township or r.agency for r in found}
    text = render.words(q.lang)["count_reports"].format(
        n=len(found),
        scope=scope_text(q),
        t=len(towns),
        s="" if len(found) == 1 else "s",
        ts="" if len(towns) == 1 else "s",
    )
    results = [result_of(r) for r in page_of(found, page, size)]
    return make_answer(
        q,
        "count",
        text,
        results,
        len(found),
        page=page,
        page_size=size,
        extra={"value": len(found), "townships": len(towns)},
    )


def sum_of(q: Question, corpus: Corpus, page: int, size: int) -> Answer:
    """The sum of the metric over the records in scope, each record's figure listed."""
    assert q.metric is not None
    w = render.words(q.lang)
    metric = q.metric

    def summed() -> tuple[list[tuple[ReportRow, int | float]], int, int | float]:
        rows = corpus.scoped(q)
        values = corpus.values(metric, rows)
        known = [(r, v) for r, v in zip(rows, values, strict=True) if v is not None]
        known.sort(key=lambda rv: -rv[1])
        return known, values.count(None), sum(v for _, v in known)

    known, missing, total = corpus.kept_for(q, "sum", summed)
    label = q.metric.label_zh if q.lang == "zh" else q.metric.label_en
    if not known:
        lines = [w["sum_none"].format(label=label, scope=scope_text(q)), *missing_line(q, missing)]
        extra = {"value": None, "missing": missing}
        return make_answer(q, "count", "\n".join(lines), [], 0, extra=extra)
    text = w["sum"].format(
        label=label,
        scope=scope_text(q),
        n=len(known),
        s="" if len(known) == 1 else "s",
        value=render.value_text(total, q.metric, q.lang),
    )
    results = [result_of(r, value=v) for r, v in page_of(known, page, size)]
    lines = [
        text,
        *render.result_lines(results, len(known), q.metric, q.lang, offset=(page - 1) * size),
    ]
    return make_answer(
        q,
        "count",
        "\n".join(lines + missing_line(q, missing)),
        results,
        len(known),
        page=page,
        page_size=size,
        extra={"value": total, "missing": missing},
    )
