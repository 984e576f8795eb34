"""Keyword search as the user sees it: the best report first, and snippets that show why.

The full-text store orders hits by its relevance score. For a phrase a reader expects more:
a report whose title or issuing body holds the phrase first, then the reports that use it
most. The first `RERANK` hits are put in that order (the rest keep the store's order, so
every page still walks each hit once); a multi-word query gets a snippet for each word the
store's snippets do not show.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from indexer.indexing.analysis import Query, holds, parse_query, squeeze
from indexer.indexing.snapshot import SearchHit, SearchHits, snippets
from indexer.models import Report

RERANK = 50  # hits put in reading order on every query; beyond them the store's order holds
TextSearch = Callable[[str, int, int], SearchHits]


class KeywordSearch:
    """Keyword search over one text store, ranked for phrases, with snippets for every word."""

    def __init__(self, text: TextSearch, records: Mapping[str, Report]) -> None:
        """Search through ``text``; ``records`` by id give the texts to rank and quote."""
        self._text = text
        self._records = records
        self._squeezed: dict[str, tuple[str, str]] = {}  # id -> (title and agency, all)

    def __call__(self, words: str, page: int, size: int) -> SearchHits:
        """One page of hits for ``words``; ValueError when nothing can be searched for."""
        query = parse_query(words)
        start, end = (page - 1) * size, page * size
        if start >= RERANK:  # wholly past the re-ranked head: the store's own page
            found = self._text(words, page, size)
            return SearchHits(found.total, [self._explained(h, query) for h in found.hits])
        found = self._text(words, 1, max(RERANK, end))
        head = sorted(found.hits[:RERANK], key=lambda h: self._rank(h, query))
        window = (head + found.hits[RERANK:])[start:end]
        return SearchHits(found.total, [self._explained(h, query) for h in window])

    def _texts(self, report_id: str) -> tuple[str, str]:
        texts = self._squeezed.get(report_id)
        if texts is None:
            report = self._records[report_id]
            head = "\n".join(t for t in (report.title, report.agency) if t)
            body = "\n".join([head, *report.sections.values()])
            texts = self._squeezed[report_id] = (squeeze(head), squeeze(body))
        return texts

    def _rank(self, hit: SearchHit, query: Query) -> tuple[int, int, float]:
        """Phrase in the title or agency first, then more uses of the phrases, then score."""
        if hit.report_id not in self._records:
            return (1, 0, -hit.score)
        head, body = self._texts(hit.report_id)
        phrases = [p for term in query.terms for p in term.phrases]
        in_head = holds(head, query)
        return (0 if in_head else 1, -sum(body.count(p) for p in phrases), -hit.score)

    def _explained(self, hit: SearchHit, query: Query) -> SearchHit:
        """The hit with a snippet for each query word its snippets do not show yet."""
        report = self._records.get(hit.report_id)
        if report is None or len(query.terms) < 2:
            return hit
        shown = squeeze(" ".join(s.text for s in hit.snippets))
        extra = []
        for term in query.terms:
            if not all(p in shown for p in term.phrases):
                extra += [s for s in snippets(report, Query((term,))) if s.section][:1]
        return SearchHit(hit.report_id, hit.score, extra + list(hit.snippets))
