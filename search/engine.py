"""`Engine`: the one entry point that turns questions into `Answer` objects.

Interface contract for the HTTP endpoint and the bot (they call nothing else in `search`).
Blocking; callers on an event loop run it with ``asyncio.to_thread``.
"""

from __future__ import annotations

from pathlib import Path

from indexer.models import Report
from search.answer import Answer, Result


class Engine:
    """Answers questions over one index directory (records in memory + full-text store)."""

    def __init__(self, index_dir: Path) -> None:
        """Open the index at ``index_dir``; raise `IndexMissingError` when there is none."""
        raise NotImplementedError

    def ask(self, question: str, page: int = 1, size: int = 10) -> Answer:
        """Answer any question (contact, filter, rank, count or keyword); `QueryError` if bad."""
        raise NotImplementedError

    def search(self, words: str, page: int = 1, size: int = 10) -> Answer:
        """Keyword search with highlighted snippets, best first, paged."""
        raise NotImplementedError

    def contact(self, name: str) -> Answer:
        """Contact details of the townships matching ``name`` (Chinese, pinyin, traditional)."""
        raise NotImplementedError

    def townships(self, query: str, limit: int = 10) -> list[Result]:
        """Name lookup for autocomplete: matching townships with their contact details."""
        raise NotImplementedError

    def report(self, report_id: str) -> Report:
        """One full record; `NotFoundError` for an unknown id."""
        raise NotImplementedError

    def reports(self, **filters: str | int | None) -> list[Report]:
        """Records filtered by exact field values (year, province, city, county, township)."""
        raise NotImplementedError

    def stats(self) -> dict[str, object]:
        """Counts for /healthz and /stats: reports, townships, years, index age in seconds."""
        raise NotImplementedError

    def reload_if_changed(self) -> bool:
        """Re-open the index if an index run has replaced it since; return whether it did."""
        raise NotImplementedError
