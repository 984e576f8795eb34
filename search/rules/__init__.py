"""Question rule data: metrics and phrasing, loaded from the TOML files beside this module.

Loaded and validated once (`load_rules`); every metric path must name a numeric field of
`indexer.models.Report`, so a typo in the data fails at start-up, not at question time.
"""

from __future__ import annotations

import re
import tomllib
import typing
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from indexer.indexing.records import FIGURE_PATHS, figure, sum_of
from indexer.models import APPLICATION_ROWS, Report

_HERE = Path(__file__).parent


class RuleError(Exception):
    """The rule data is malformed (a bug in the data, caught at load time)."""


@dataclass(frozen=True)
class Metric:
    """A quantity a question can ask about: the record paths it sums, and its words."""

    key: str
    label_zh: str
    label_en: str
    unit_zh: str
    unit_en: str
    paths: tuple[str, ...]
    words: tuple[str, ...]
    notes: str | None = None  # a list path whose items' messages explain the figure
    none_words: tuple[str, ...] = ()  # words asking for reports with none of it

    def value(self, report: Report) -> int | float | None:
        """The metric for one report: the sum of its parts (a list counts its items),
        ``None`` when every part is null."""
        return sum_of(figure(report, path) for path in self.paths)


@dataclass(frozen=True)
class Comparison:
    """A comparison word: its operator and where its number stands (before or after it)."""

    op: str
    number: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class Overview:
    """Words asking for several figures side by side, and the metrics (keys) shown."""

    words: tuple[str, ...]
    metrics: tuple[str, ...]
    absorbs: tuple[str, ...]


@dataclass(frozen=True)
class Kind:
    """A kind of township asked for by name (街道, 镇, 乡): the suffixes it keeps."""

    label_zh: str
    label_en: str
    suffixes: tuple[str, ...]
    words: tuple[str, ...]


@dataclass(frozen=True)
class TownshipSuffix:
    """A township suffix in Chinese, its pinyin and its English renderings."""

    zh: str
    pinyin: str
    en: tuple[str, ...]


@dataclass(frozen=True)
class Rules:
    """All question rule data."""

    metrics: tuple[Metric, ...]
    comparisons: tuple[Comparison, ...]
    superlative_max: tuple[str, ...]
    superlative_min: tuple[str, ...]
    total: tuple[str, ...]
    count_units: tuple[str, ...]
    negation: tuple[str, ...]
    listing: tuple[str, ...]
    help: tuple[str, ...]
    contact: tuple[tuple[str, tuple[str, ...]], ...]  # (field, words)
    filler: tuple[str, ...]
    year_range: tuple[int, int]
    township_suffixes: tuple[TownshipSuffix, ...]
    place_suffixes: tuple[re.Pattern[str], ...]
    place_en: tuple[str, ...]
    ranges: tuple[str, ...] = ()
    asking: tuple[str, ...] = ()
    latest: tuple[str, ...] = ()
    overviews: tuple[Overview, ...] = ()
    each: tuple[str, ...] = ()
    blank: tuple[str, ...] = ()
    search: tuple[str, ...] = ()
    figure: tuple[str, ...] = ()
    kinds: tuple[Kind, ...] = ()
    coverage_suffixes: tuple[str, ...] = ()  # township-level names that publish reports
    coverage: tuple[str, ...] = ()  # asking for coverage (覆盖率)
    report_words: tuple[str, ...] = ()  # after a negation: townships with no report
    series: tuple[str, ...] = ()  # every year in scope, side by side
    changes: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (rise | fall, words)
    timeliness: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (late | on_time, words)
    due: tuple[int, int] = (1, 31)  # month and day of the year after, the report is due by
    zeros: tuple[str, ...] = ()  # list the zeros of a ranking too


def check_path(path: str) -> None:
    """Raise `RuleError` unless ``path`` names a field of `Report` (rows by their keys)."""
    node: Any = Report
    for part in path.split("."):
        if typing.get_origin(node) is dict:
            # applications: dict[row, ApplicantCounts]; a row must be one of the known rows
            if part not in APPLICATION_ROWS:
                raise RuleError(f"metric path {path!r}: no row {part!r}")
            node = typing.get_args(node)[1]
        elif isinstance(node, type) and issubclass(node, BaseModel) and part in node.model_fields:
            node = node.model_fields[part].annotation
        else:
            raise RuleError(f"metric path {path!r}: no field {part!r}")
    if path not in FIGURE_PATHS:  # the index keeps a column for each figure a question asks
        raise RuleError(f"metric path {path!r}: not a figure the index keeps")


def _words(table: dict[str, Any], *keys: str) -> tuple[str, ...]:
    return tuple(w.lower() for key in keys for w in table.get(key, ()))


def _metric(entry: dict[str, Any]) -> Metric:
    paths = tuple(entry["paths"])
    for path in paths:
        check_path(path)
    return Metric(
        key=entry["key"],
        label_zh=entry["label_zh"],
        label_en=entry["label_en"],
        unit_zh=entry.get("unit_zh", ""),
        unit_en=entry.get("unit_en", ""),
        paths=paths,
        words=_words(entry, "zh", "en"),
        notes=entry.get("notes"),
        none_words=_words(entry, "none_zh", "none_en"),
    )


@cache
def load_rules() -> Rules:
    """Read and validate the rule files (once per process)."""
    metrics = tomllib.loads((_HERE / "metrics.toml").read_text(encoding="utf-8"))
    p = tomllib.loads((_HERE / "phrasing.toml").read_text(encoding="utf-8"))
    try:
        rules = Rules(
            metrics=tuple(_metric(m) for m in metrics["metric"]),
            comparisons=tuple(
                Comparison(c["op"], c["number"], _words(c, "zh", "en")) for c in p["comparison"]
            ),
            superlative_max=_words(p["superlative"], "max_zh", "max_en"),
            superlative_min=_words(p["superlative"], "min_zh", "min_en"),
            total=_words(p["total"], "zh", "en"),
            count_units=_words(p["count_units"], "zh", "en"),
            negation=_words(p["negation"], "zh", "en"),
            listing=_words(p["listing"], "zh", "en"),
            help=_words(p["help"], "zh", "en"),
            contact=tuple((c["field"], _words(c, "zh", "en")) for c in p["contact"]),
            filler=_words(p["filler"], "zh", "en"),
            year_range=(p["year"]["min"], p["year"]["max"]),
            township_suffixes=tuple(
                TownshipSuffix(s["zh"], s["pinyin"], tuple(s["en"])) for s in p["township_suffix"]
            ),
            place_suffixes=tuple(re.compile(s) for s in p["place"]["suffixes"]),
            place_en=_words(p["place"], "en"),
            ranges=_words(p["range"], "zh", "en"),
            asking=_words(p["asking"], "zh", "en"),
            latest=_words(p["latest"], "zh", "en"),
            overviews=tuple(
                Overview(_words(o, "zh", "en"), tuple(o["metrics"]), tuple(o["absorbs"]))
                for o in p["overview"]
            ),
            each=_words(p["each"], "zh", "en"),
            blank=_words(p["blank"], "zh", "en"),
            search=_words(p["search"], "zh", "en"),
            figure=_words(p["blank"], "figure_zh", "figure_en"),
            kinds=tuple(
                Kind(k["label_zh"], k["label_en"], tuple(k["suffixes"]), _words(k, "zh", "en"))
                for k in p["kind"]
            ),
            coverage_suffixes=tuple(p["coverage"]["suffixes"]),
            coverage=_words(p["coverage"], "zh", "en"),
            report_words=_words(p["coverage"], "report_zh", "report_en"),
            series=_words(p["series"], "zh", "en"),
            changes=tuple((c["direction"], _words(c, "zh", "en")) for c in p["change"]),
            timeliness=tuple(
                (which, _words(p["timeliness"], f"{which}_zh", f"{which}_en"))
                for which in ("late", "on_time")
            ),
            due=(p["timeliness"]["due_month"], p["timeliness"]["due_day"]),
            zeros=_words(p["zeros"], "zh", "en"),
        )
    except (KeyError, TypeError) as exc:
        raise RuleError(f"malformed rule data: {exc!r}") from exc
    _check_overview(rules)
    return rules


def _check_overview(rules: Rules) -> None:
    keys = {m.key for m in rules.metrics}
    named = [k for o in rules.overviews for k in (*o.metrics, *o.absorbs)]
    unknown = [k for k in named if k not in keys]
    if unknown:
        raise RuleError(f"overview names unknown metrics: {', '.join(unknown)}")
