"""Which townships of a county published an annual report for a year: n of N, per county.

The township list of a county comes from the gazetteer of administrative divisions
(`indexer.parsing.gazetteer`): every division of the township level under the county whose
name ends with a suffix of the rule data (`[coverage] suffixes`: 镇, 乡, 街道, 苏木), so
farms, forest farms and prisons, which publish no township report, are not counted. A
report counts for a listed township when its county is the county and its township name is
the listed name (街道 and 街道办事处 are the same township).

Only the rows of the counties asked about are read (`Corpus.in_county`), never a full record.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from functools import cache

from pydantic import BaseModel, Field

from indexer.indexing.records import ReportRow
from indexer.parsing.gazetteer import Division, division, divisions, lookup
from search import render
from search.answer import Answer
from search.answers import Corpus, make_answer, page_of, scope_text
from search.errors import QueryError
from search.rules import load_rules
from search.understand import Question

_OFFICE = "办事处"  # 某某街道办事处 is 某某街道


class CountyCoverage(BaseModel):
    """One county's townships for one year: which published a report, which did not."""

    province: str | None = None
    city: str | None = None
    county: str
    code: str = Field(description="The county's statistical division code, e.g. 230521.")
    reported: list[str] = Field(
        default_factory=list, description="Listed townships with a report of the year."
    )
    missing: list[str] = Field(
        default_factory=list, description="Listed townships without a report of the year."
    )
    unlisted: list[str] = Field(
        default_factory=list,
        description="Townships with a report of the year that the gazetteer does not list "
        "under this county (renamed or merged); not counted in n or N.",
    )
    n: int = Field(description="How many listed townships have a report of the year.")
    total: int = Field(description="N: how many townships the gazetteer lists in the county.")
    ratio: float | None = Field(default=None, description="n / N, None when N is 0.")


class Coverage(BaseModel):
    """Report coverage of a place for a year: each county's n / N, and the sums.

    ``GET /api/coverage?county=|city=|province=&year=`` returns this model as JSON.
    """

    year: int | None = Field(
        default=None, description="The report year; the newest in the place when not asked."
    )
    province: str | None = None  # the scope as asked (None where not given)
    city: str | None = None
    county: str | None = None
    counties: list[CountyCoverage] = Field(default_factory=list)
    n: int = 0
    total: int = 0
    ratio: float | None = None


def township_key(name: str) -> str:
    """A township name as listed and as reported compare alike (街道办事处 → 街道)."""
    return name.removesuffix(_OFFICE) if name.endswith("街道" + _OFFICE) else name


@cache
def _listed() -> dict[str, tuple[tuple[str, str], ...]]:
    """County code → the names of its townships that publish reports, each with its
    `township_key` (read once)."""
    suffixes = load_rules().coverage_suffixes
    found: dict[str, list[tuple[str, str]]] = {}
    for d in divisions(4):
        if d.name.endswith(suffixes):
            found.setdefault(d.code[:6], []).append((d.name, township_key(d.name)))
    return {code: tuple(names) for code, names in found.items()}


@cache
def _counties() -> tuple[Division, ...]:
    return divisions(3)


def _named(name: str | None, levels: tuple[int, ...], what: str) -> list[Division]:
    """The divisions of ``levels`` a name (full or short) can mean; QueryError when none."""
    if not name:
        return []
    found = [d for d in lookup(name) if d.level in levels]
    if not found:
        raise QueryError(f"unknown {what}: {name}")
    return found


def _under(code: str, parents: list[Division]) -> bool:
    return not parents or any(code.startswith(p.code) for p in parents)


def counties_of(
    corpus: Corpus, county: str | None, city: str | None, province: str | None
) -> list[Division]:
    """The county divisions of the scope, in code order. With a county name, the ones under
    the city and province given; a name several counties share (朝阳区) keeps those the
    index has reports from, if any. With no place at all: the counties reports come from."""
    provinces = _named(province, (1,), "province")
    cities = _named(city, (1, 2), "city")  # a municipality (重庆市) is a province-level name
    if county:
        found = [
            d
            for d in _named(county, (3,), "county")
            if _under(d.code, provinces) and _under(d.code, cities)
        ]
        if not found:
            raise QueryError(f"unknown county: {county} in {city or province}")
        reported = [d for d in found if _rows(corpus, d)]
        return reported or found
    parents = cities or provinces
    if parents:
        return [d for d in _counties() if _under(d.code, parents) and _under(d.code, provinces)]
    found = {
        d.code: d
        for province_name, name in corpus.counties()
        for d in lookup(name)
        if d.level == 3 and _province_name(d) == province_name
    }
    return [found[code] for code in sorted(found)]


def _rows(corpus: Corpus, county: Division) -> list[ReportRow]:
    """The rows of one county (any year): its full name or a short one, in its province."""
    province = _province_name(county)
    rows: list[ReportRow] = []
    for name in dict.fromkeys((county.name, *county.short_names)):
        rows += corpus.with_place("province+county", f"{province}|{name}")
    return rows


def coverage(
    corpus: Corpus,
    county: str | None = None,
    city: str | None = None,
    province: str | None = None,
    year: int | None = None,
) -> Coverage:
    """The coverage of a county, a city or a province (the narrowest given) for ``year``
    (the newest year the place has reports for, when not given). `QueryError` for a place
    the gazetteer does not know."""
    found = counties_of(corpus, county, city, province)
    rows = {d.code: _rows(corpus, d) for d in found}
    if year is None:
        years = [r.year for group in rows.values() for r in group if r.year is not None]
        year = max(years, default=max(corpus.years, default=None))
    counties = [county_coverage(d, rows[d.code], year) for d in found]
    scope = {"county": county or None, "city": city or None, "province": province or None}
    return summed(scope, year, counties)


def _province_name(county: Division) -> str | None:
    found = division(county.code[:2])
    return found.name if found else None


def _city_name(county: Division) -> str | None:
    found = division(county.code[:4])
    return found.name if found else _province_name(county)


def county_coverage(
    county: Division, rows: Iterable[ReportRow], year: int | None
) -> CountyCoverage:
    """One county's coverage for ``year`` from the rows of that county (any year)."""
    listed = _listed().get(county.code, ())
    have = {township_key(r.township) for r in rows if r.township and r.year == year}
    keys = {key for _, key in listed}
    reported = [name for name, key in listed if key in have]
    n, total = len(reported), len(listed)
    return CountyCoverage(
        province=_province_name(county),
        city=_city_name(county),
        county=county.name,
        code=county.code,
        reported=reported,
        missing=[name for name, key in listed if key not in have],
        unlisted=sorted(have - keys),
        n=n,
        total=total,
        ratio=round(n / total, 4) if total else None,
    )


def summed(
    scope: dict[str, str | None], year: int | None, counties: list[CountyCoverage]
) -> Coverage:
    """The coverage of a scope from its counties' coverage."""
    n = sum(c.n for c in counties)
    total = sum(c.total for c in counties)
    return Coverage(
        year=year,
        counties=counties,
        n=n,
        total=total,
        ratio=round(n / total, 4) if total else None,
        **scope,
    )


def _place_asked(q: Question) -> dict[str, str | None]:
    """The narrowest place each mention of the question names: county, city or province."""
    scope: dict[str, str | None] = {"county": None, "city": None, "province": None}
    for mention in q.places:
        for field, value in mention:
            if field in scope and scope[field] is None:
                scope[field] = value
                break
    return scope


def answer(q: Question, corpus: Corpus, page: int, size: int, intent: str) -> Answer:
    """Which townships of the counties asked about have no report of the year (a filter),
    or each county's n / N (a count), one county a line."""
    found = coverage(corpus, year=q.year, **_place_asked(q))
    w = render.words(q.lang)
    q = dataclasses.replace(q, year=found.year)
    scope = scope_text(q)
    ratio = f"{found.ratio:.0%}" if found.ratio is not None else "-"
    shown = [c for c in found.counties if c.missing or intent == "count"]
    lines = [
        w["coverage_missing" if intent == "filter" else "coverage"].format(
            scope=scope,
            n=found.n,
            total=found.total,
            ratio=ratio,
            missing=found.total - found.n,
        )
    ]
    for county in page_of(shown, page, size):
        lines.append(_county_line(county, intent, q.lang))
    after = len(shown) - (page - 1) * size - len(page_of(shown, page, size))
    lines += [w["more"].format(n=after)] if after > 0 else []
    value = found.total - found.n if intent == "filter" else found.n
    extra = {"value": value, "of": found.total, "ratio": found.ratio, "year": found.year}
    extra["coverage"] = found.model_dump()
    return make_answer(
        q, intent, "\n".join(lines), [], len(shown), page=page, page_size=size, extra=extra
    )


def _county_line(county: CountyCoverage, intent: str, lang: str) -> str:
    """One county: n / N, and (for a filter) the townships with no report."""
    w = render.words(lang)
    where = (
        f"{county.county}（{county.city}）" if lang == "zh" else f"{county.county} ({county.city})"
    )
    line = f"· {where}{w['colon']}{county.n}/{county.total}"
    if intent == "filter" and county.missing:
        line += (
            w["sep"] + w["coverage_none"] + ("、" if lang == "zh" else ", ").join(county.missing)
        )
    return line
