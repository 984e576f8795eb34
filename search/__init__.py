"""search: questions → `Answer` objects. Knows nothing of Telegram or HTTP."""

from search.answer import Answer, Result, Snippet
from search.engine import Engine
from search.errors import IndexMissingError, NotFoundError, QueryError, SearchError

__all__ = [
    "Answer",
    "Engine",
    "IndexMissingError",
    "NotFoundError",
    "QueryError",
    "Result",
    "SearchError",
    "Snippet",
]
