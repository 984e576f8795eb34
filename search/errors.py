"""Typed errors of the search layer; each carries the HTTP status it maps to."""

from __future__ import annotations


class SearchError(Exception):
    """Base of all search errors."""

    status: int = 500


class QueryError(SearchError):
    """A question or query that cannot be answered; the message is safe to show a user."""

    status = 400


class IndexMissingError(SearchError):
    """No index at the configured location; run ``gongkai index`` first."""

    status = 503


class NotFoundError(SearchError):
    """A report id that is not in the index."""

    status = 404
