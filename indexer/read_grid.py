"""Build table grids from cells with spans, the way a browser lays them out, and tidy them.

Shared by the HTML and PDF readers. A grid is rows of cell texts; ``None`` is a position
covered by another cell's rowspan/colspan, ``""`` a real empty cell (a blank value).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from indexer.document import Grid
from indexer.rules import load_rules

__all__ = ["join_split_table", "place_cells", "tidy_grid"]

# One cell as read: its text, rowspan and colspan (as written; 0 and huge values allowed).
SpannedCell = tuple[str, int, int]


@cache
def _limits() -> tuple[int, int]:
    html = load_rules("read")["html"]
    return int(html["max_rowspan"]), int(html["max_colspan"])


def place_cells(rows: Sequence[Sequence[SpannedCell]]) -> Grid:
    """Lay out rows of (text, rowspan, colspan) cells into a grid, spans covered by ``None``.

    As browsers do: rowspan 0 runs to the last row, a rowspan past the end stops there,
    colspan 0 is 1, and both are clamped to the largest value browsers honour.
    """
    max_rowspan, max_colspan = _limits()
    placed: dict[tuple[int, int], str | None] = {}
    for r, row in enumerate(rows):
        c = 0
        for text, rowspan, colspan in row:
            while (r, c) in placed:
                c += 1
            rows_left = len(rows) - r
            down = min(rowspan or rows_left, rows_left, max_rowspan)
            across = max(1, min(colspan, max_colspan))
            for dr in range(down):
                for dc in range(across):
                    placed.setdefault((r + dr, c + dc), None)
            placed[(r, c)] = text
            c += across
    widths = [0] * len(rows)
    for r, c in placed:
        widths[r] = max(widths[r], c + 1)
    return [[placed.get((r, c), "") for c in range(width)] for r, width in enumerate(widths)]


def _empty(cell: str | None) -> bool:
    return cell is None or not cell.strip()


def tidy_grid(grid: Grid) -> Grid:
    """Drop spacer rows and columns: those where no cell holds any text.

    A column of blanks under a header is kept (its header is text); only a column that is
    empty from top to bottom, as Word's and CMS editors' spacer columns are, goes. Rows are
    made as wide as the widest, so that a short row's missing cells count as empty.
    """
    rows = [row for row in grid if not all(_empty(cell) for cell in row)]
    if not rows:
        return []
    width = max(len(row) for row in rows)
    padded = [row + [""] * (width - len(row)) for row in rows]
    keep = [c for c in range(width) if not all(_empty(row[c]) for row in padded)]
    tidied = [[row[c] for c in keep] for row in padded]
    # A padded cell that was never in the row is trimmed again from the end of the row.
    return [row[: _used_width(original, keep)] for row, original in zip(tidied, rows, strict=True)]


def _used_width(row: list[str | None], keep: list[int]) -> int:
    """How many kept columns fall within the row as it was written."""
    return sum(1 for c in keep if c < len(row))


def join_split_table(first: Grid, second: Grid) -> bool:
    """Append ``second`` to ``first`` when it continues it after a page break; True if joined.

    It continues it when it is as wide, or narrower by the columns that ``first``'s last row
    has covered by a rowspan running off its end (the split cut the row labels' merge): those
    columns are covered (``None``) in every row of ``second`` too.
    """
    if not first or not second:
        return False
    wide, narrow = _width(first), _width(second)
    missing = wide - narrow
    if missing < 0 or any(cell is not None for cell in first[-1][:missing]):
        return False
    first.extend([None] * missing + row for row in second)
    return True


def _width(grid: Grid) -> int:
    return max(len(row) for row in grid)
