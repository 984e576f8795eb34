"""Keyword search as the user sees it: the best report first, and snippets that show why.

The full-text store orders hits by its relevance score. For a phrase a reader expects more:
a report whose title or issuing body holds the phrase first, then the reports that use it
most. The first `RERANK` hits are put in that order (the rest keep the store's order, so
every page still walks each hit once); a multi-word query gets a snippet for each word the
store's snippets do not show.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from indexer.indexing.analysis import Query, holds, parse_query, squeeze
from indexer.indexing.records import ReportRow, ReportText
from indexer.indexing.snapshot import SearchHit, SearchHits, snippets
from indexer.indexing.store import StoreHit

if TYPE_CHECKING:
    from search.answers import RecordSource

RERANK = 50  # hits put in reading order on every query; beyond them the store's order holds


class KeywordSearch:
    """Keyword search over one text store, ranked for phrases, with snippets for every word."""

    def __init__(self, source: RecordSource, rows: Mapping[str, ReportRow]) -> None:
        """Search through ``source``; ``rows`` by id give the titles and agencies to rank by."""
        self._source = source
        self._rows = rows

    def __call__(self, words: str, page: int, size: int) -> SearchHits:
        """One page of hits for ``words``; ValueError when nothing can be searched for."""
        query = parse_query(words)
        start, end = (page - 1) * size, page * size
        if start >= RERANK:  # wholly past the re-ranked head: the store's own order
            total, found = self._source.find(query, end)
            window = found[start:end]
        else:
            total, found = self._source.find(query, max(RERANK, end))
            head = sorted(found[:RERANK], key=lambda h: self._rank(h, query))
            window = (head + found[RERANK:])[start:end]
        records = self._source.texts(h.report_id for h in window)
        window = [h for h in window if h.report_id in records]
        return SearchHits(
            total,
            [
                self._explained(h, records[h.report_id], query)
                for h in window
                if h.report_id in records
            ],
        )

    def _rank(self, hit: StoreHit, query: Query) -> tuple[int, float]:
        """Phrase in the title or agency first, then the store's score (uses of the phrases)."""
        row = self._rows.get(hit.report_id)
        head = "\n".join(t for t in (row.title, row.agency) if t) if row else ""
        return (0 if head and holds(squeeze(head), query) else 1, -hit.score)

    def _explained(self, hit: StoreHit, report: ReportText, query: Query) -> SearchHit:
        """The hit with its snippets, and one for each query word they do not show yet."""
        found = snippets(report, query)
        if len(query.terms) < 2:
            return SearchHit(hit.report_id, hit.score, found)
        shown = squeeze(" ".join(s.text for s in found))
        extra = []
        for term in query.terms:
            if not all(p in shown for p in term.phrases):
                extra += [s for s in snippets(report, Query((term,))) if s.section][:1]
        return SearchHit(hit.report_id, hit.score, extra + found)
