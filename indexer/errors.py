"""Typed errors of the indexer: every failure names the file and the reason."""

from __future__ import annotations


class IndexerError(Exception):
    """Base of all indexer errors."""


class ExtractError(IndexerError):
    """A file could not be read or decoded into text."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class TooLarge(IndexerError):
    """Reading a file would pass a bound on its size (table cells, inflated bytes)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class NoReportHere(ExtractError):
    """A file of a kind that only sometimes holds a report (a script, a data file) holds none."""


class ParseError(IndexerError):
    """Text could not be parsed into a report; ``line`` is 1-based when known."""

    def __init__(self, path: str, reason: str, line: int | None = None) -> None:
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {reason}")
        self.path = path
        self.reason = reason
        self.line = line


class IndexMissing(IndexerError, FileNotFoundError):
    """There is no committed index in the directory; run ``gongkai index`` first."""


class IndexLocked(IndexerError):
    """Another index run holds the index directory."""
