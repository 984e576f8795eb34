"""Records held in memory, for an `Engine` built without an index (tests, a handful of files).

It offers what an index snapshot offers (`search.answers.RecordSource`): rows, figures, full
records, contact details, and keyword hits. Keyword search reads the query and marks matches
with the same analysis the index uses, and keeps a report when every query term occurs in
its text; the score is the number of matches.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from indexer.indexing.analysis import Query, find_spans
from indexer.indexing.records import ReportRow, ReportText, figure, sum_of
from indexer.indexing.store import StoreHit
from indexer.models import Contact, Report, value_at


def _texts(report: Report) -> list[str]:
    return [t for t in (report.title, report.agency, *report.sections.values()) if t]


class MemoryRecords:
    """Some records in memory, searched by substring over title, agency and sections."""

    def __init__(self, records: Iterable[Report]) -> None:
        """Hold ``records``."""
        self._records = {r.id: r for r in records}

    def rows(self) -> list[ReportRow]:
        """Every record as a row."""
        return [ReportRow.of(r) for r in self._records.values()]

    def figures(self, paths: Sequence[str]) -> dict[str, tuple[int | float | None, ...]]:
        """Report id -> its figures at ``paths``."""
        return {rid: tuple(figure(r, path) for path in paths) for rid, r in self._records.items()}

    def totals(self, groups: Sequence[Sequence[str]]) -> dict[str, tuple[float | None, ...]]:
        """Report id -> the sum of its figures at each group of ``paths`` (None: all null)."""
        return {
            rid: tuple(sum_of(figure(r, path) for path in paths) for paths in groups)
            for rid, r in self._records.items()
        }

    def messages(self, ids: Iterable[str], path: str) -> dict[str, list[str]]:
        """The messages of the items at ``path`` of each record of ``ids``."""
        return {
            i: [str(getattr(item, "message", item)) for item in value_at(r, path) or ()]
            for i in ids
            if (r := self._records.get(i)) is not None
        }

    def reports(self, ids: Iterable[str]) -> dict[str, Report]:
        """The records of ``ids`` (unknown ids left out)."""
        return {i: self._records[i] for i in ids if i in self._records}

    def texts(self, ids: Iterable[str]) -> dict[str, ReportText]:
        """The title, agency and sections of ``ids``."""
        return {
            i: ReportText(i, r.title, r.agency, r.sections)
            for i in ids
            if (r := self._records.get(i)) is not None
        }

    def contacts(self, ids: Iterable[str]) -> dict[str, Contact]:
        """The contact details of ``ids``."""
        return {i: self._records[i].contact for i in ids if i in self._records}

    def find(self, query: Query, limit: int | None) -> tuple[int, list[StoreHit]]:
        """Reports holding every term of ``query``, most matches first."""
        scored = []
        for report in self._records.values():
            texts = _texts(report)
            per_term = [
                sum(len(find_spans(text, type(query)((term,)))) for text in texts)
                for term in query.terms
            ]
            if all(per_term):
                scored.append(StoreHit(report.id, float(sum(per_term))))
        scored.sort(key=lambda hit: (-hit.score, hit.report_id))
        return len(scored), scored if limit is None else scored[:limit]
