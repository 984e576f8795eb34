"""Keyword search over records held in memory, for an `Engine` built without an index.

It reads the query and marks matches with the same analysis the index uses, and keeps a
report when every query term occurs in its text; the score is the number of matches.
"""

from __future__ import annotations

from collections.abc import Iterable

from indexer.indexing.analysis import find_spans, parse_query
from indexer.indexing.snapshot import SearchHit, SearchHits, snippets
from indexer.models import Report


def _texts(report: Report) -> list[str]:
    return [t for t in (report.title, report.agency, *report.sections.values()) if t]


class MemoryText:
    """Substring search over the title, agency and sections of some records."""

    def __init__(self, records: Iterable[Report]) -> None:
        """Hold ``records`` for searching."""
        self._records = list(records)

    def search(self, words: str, page: int = 1, size: int = 10) -> SearchHits:
        """Reports holding every term of ``words``, most matches first; ValueError if empty."""
        query = parse_query(words)
        scored = []
        for report in self._records:
            texts = _texts(report)
            per_term = [
                sum(len(find_spans(text, type(query)((term,)))) for text in texts)
                for term in query.terms
            ]
            if all(per_term):
                scored.append((float(sum(per_term)), report))
        scored.sort(key=lambda sr: (-sr[0], sr[1].id))
        window = scored[(page - 1) * size : page * size]
        hits = [SearchHit(r.id, score, snippets(r, query)) for score, r in window]
        return SearchHits(len(scored), hits)
