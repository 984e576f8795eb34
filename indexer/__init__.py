"""indexer: report files → exact `Report` records → an index directory.

Knows nothing of search or chat.
"""

from typing import TYPE_CHECKING, Any

from indexer.errors import ExtractError, IndexerError, ParseError
from indexer.models import Report

if TYPE_CHECKING:
    from indexer.indexing.build import IndexSummary, run_index
    from indexer.parsing.parse import parse_file, parse_text

# The parser and the index builder are imported when first used: a program that only reads
# an index (the server, `gongkai ask`) never loads the readers and their libraries.
_LAZY = {
    "IndexSummary": "indexer.indexing.build",
    "run_index": "indexer.indexing.build",
    "parse_file": "indexer.parsing.parse",
    "parse_text": "indexer.parsing.parse",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'indexer' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


__all__ = [
    "ExtractError",
    "IndexSummary",
    "IndexerError",
    "ParseError",
    "Report",
    "parse_file",
    "parse_text",
    "run_index",
]
