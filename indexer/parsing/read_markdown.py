"""Read Markdown reports: the text as written, and every table as a real `Grid`.

Two kinds of table occur in converted reports: GitHub pipe tables (a header row, a
``| --- |`` delimiter row, body rows) and raw HTML ``<table>``s, which converters such as
pandoc write when a table has merged cells. A pipe table stays in the text as written (the
table reader reads pipe rows too) and becomes a grid of its cells; an HTML table is replaced
in the text by its tab-joined rows, as for an HTML page, and becomes a grid with its spans.
"""

from __future__ import annotations

import re

from indexer.parsing.document import Grid
from indexer.parsing.read_html import html_to_text
from indexer.parsing.table_mend import mend_wrapped_rows

__all__ = ["markdown_to_text"]

_DELIMITER = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_EMPHASIS = re.compile(r"^(\*\*|__|\*|_)(.+)\1$")
_HTML_TABLE = re.compile(r"<table\b.*?</table\s*>", re.IGNORECASE | re.DOTALL)


def markdown_to_text(text: str) -> tuple[str, list[Grid]]:
    """The Markdown text (HTML tables written as tab-joined rows) and its tables as grids."""
    found: list[tuple[int, Grid]] = []
    pieces: list[str] = []
    length = end = 0
    for match in _HTML_TABLE.finditer(text):
        rows, grids = html_to_text(match.group(0))
        before = text[end : match.start()]
        length += len(before)
        # Where the table stands in the new text, to order it among the pipe tables.
        found.extend((length, grid) for grid in grids)
        pieces.extend([before, rows])
        length += len(rows)
        end = match.end()
    pieces.append(text[end:])
    text = "".join(pieces)
    found.extend(_pipe_tables(text.split("\n")))
    return text, [grid for _, grid in sorted(found, key=lambda item: item[0])]


def _pipe_tables(lines: list[str]) -> list[tuple[int, Grid]]:
    """The pipe tables among ``lines``: (character offset of the header line, grid)."""
    tables: list[tuple[int, Grid]] = []
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    i = 0
    while i + 1 < len(lines):
        header, delimiter = lines[i], lines[i + 1]
        if "|" in header + delimiter and _DELIMITER.match(delimiter) and header.strip():
            rows = [_cells(header)]
            j = i + 2
            while j < len(lines) and lines[j].strip() and "|" in lines[j]:
                rows.append(_cells(lines[j]))
                j += 1
            tables.append((offsets[i], mend_wrapped_rows(rows)))
            i = j
        else:
            i += 1
    return tables


def _cells(line: str) -> list[str | None]:
    """The cells of one pipe-table row, unescaped, emphasis and <br> removed."""
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    cells: list[str | None] = []
    for raw in _UNESCAPED_PIPE.split(body):
        cell = " ".join(_BREAK.sub(" ", raw.replace("\\|", "|")).split())
        emphasis = _EMPHASIS.match(cell)
        cells.append(emphasis.group(2).strip() if emphasis else cell)
    return cells
