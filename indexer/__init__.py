"""indexer: report files → exact `Report` records → an index directory.

Knows nothing of search or chat.
"""

from indexer.errors import ExtractError, IndexerError, ParseError
from indexer.indexing.build import IndexSummary, run_index
from indexer.models import Report
from indexer.parsing.parse import parse_file, parse_text

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
