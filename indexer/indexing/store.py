"""The full-text store's interface: what every engine offers, and what they share.

The rest of gongkai sees `TextStore` and `StoreWriter`, plain report ids and scores, and the
engine-free `analysis.Query`. Whoosh (`indexer.indexing.store_whoosh`) and tantivy
(`indexer.indexing.store_tantivy`) are behind it; `indexer.indexing.stores` creates and opens
either, importing only the one an index uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import TracebackType
from typing import Protocol, Self

from indexer.indexing.analysis import Query
from indexer.models import SECTION_KEYS, Report


def full_text(report: Report) -> tuple[str, str]:
    """(title text, whole text) of a report, as every engine indexes it."""
    head = "\n".join(part for part in (report.title, report.agency) if part)
    keys = [k for k in SECTION_KEYS if k in report.sections]
    keys += sorted(k for k in report.sections if k not in SECTION_KEYS)
    body = "\n".join([head, *(report.sections[k] for k in keys)])
    return head, body


class WriterBatch:
    """What every engine's writer shares: a context manager that commits on success and
    cancels on an exception (subclasses give `commit` and `cancel`)."""

    def commit(self) -> None:
        raise NotImplementedError

    def cancel(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if kind is None:
            self.commit()
        else:
            self.cancel()


class BatchNames:
    """The report ids a writer batch has named: each may be put or deleted once."""

    def __init__(self) -> None:
        self._named: set[str] = set()

    def name(self, report_id: str) -> None:
        """Note ``report_id``; ValueError when this batch named it already."""
        if report_id in self._named:
            raise ValueError(f"report {report_id} is already put or deleted in this batch")
        self._named.add(report_id)


@dataclass(frozen=True)
class StoreHit:
    """One matching report: its id and relevance score."""

    report_id: str
    score: float


class StoreWriter(Protocol):
    """Adds, replaces and deletes committed reports; nothing is visible until `commit`.

    One batch names each report id once: a second `put` or `delete` of an id raises ValueError.
    """

    def put(self, report: Report) -> None:
        """Add ``report``, replacing the committed report with the same id."""

    def put_prepared(self, prepared: dict[str, str]) -> None:
        """Add what the engine's ``prepare(report)`` made (in a parse worker), the same as
        ``put(report)``."""

    def delete(self, report_id: str) -> None:
        """Remove the committed report with ``report_id`` (nothing happens if there is none)."""

    def commit(self) -> None:
        """Make every change visible at once."""

    def cancel(self) -> None:
        """Drop every change."""


class TextStore(Protocol):
    """A full-text index of reports."""

    def writer(self) -> StoreWriter:
        """A writer for a batch of changes (use as a context manager: commits on success)."""

    def search(self, query: Query, limit: int | None = None) -> tuple[int, list[StoreHit]]:
        """The number of reports matching ``query`` and the best ``limit`` of them (all when
        None), best first.

        Matches are exact: a report matches when it holds every query term, each group of the
        term's tokens as a phrase (consecutive positions, so never across punctuation) in the
        term's field. For text the analyser reads whole, that is what `analysis.holds` accepts.
        """

    def close(self) -> None:
        """Release files."""
