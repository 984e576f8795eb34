"""Build table grids from cells with spans, the way a browser lays them out, and tidy them.

Shared by the HTML, Word and PDF readers. A grid is rows of cell texts; ``None`` is a position
covered by another cell's rowspan/colspan, ``""`` a real empty cell (a blank value). A table
is bounded as a whole (rows, columns, cells: ``[grid]`` in ``rules/read.toml``): a few bytes
of markup can ask for billions of positions, and such a file is refused, not laid out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from indexer.errors import TooLarge
from indexer.parsing.document import Grid
from indexer.rules import load_rules

__all__ = [
    "GridLimits",
    "drop_empty_columns",
    "drop_empty_rows",
    "grid_limits",
    "join_split_table",
    "place_cells",
]

# One cell as read: its text, rowspan and colspan (as written; 0 and huge values allowed).
SpannedCell = tuple[str, int, int]


@dataclass(frozen=True)
class GridLimits:
    """How far browsers take spans, and how large a table may be before it is refused."""

    max_rowspan: int
    max_colspan: int
    max_cells: int
    max_rows: int
    max_columns: int

    def check(self, rows: int, columns: int, cells: int) -> None:
        """Raise `TooLarge` naming the first bound a table of this size passes."""
        for what, size, bound in (
            ("rows", rows, self.max_rows),
            ("columns", columns, self.max_columns),
            ("cells", cells, self.max_cells),
        ):
            if size > bound:
                raise TooLarge(f"table too large: {size} {what} (at most {bound})")


@cache
def grid_limits() -> GridLimits:
    """The ``[grid]`` bounds and the ``[html]`` span clamps of ``rules/read.toml``."""
    rules = load_rules("read")
    html, grid = rules["html"], rules["grid"]
    return GridLimits(
        max_rowspan=int(html["max_rowspan"]),
        max_colspan=int(html["max_colspan"]),
        max_cells=int(grid["max_cells"]),
        max_rows=int(grid["max_rows"]),
        max_columns=int(grid["max_columns"]),
    )


def place_cells(rows: Sequence[Sequence[SpannedCell]]) -> Grid:
    """Lay out rows of (text, rowspan, colspan) cells into a grid, spans covered by ``None``.

    As browsers do: rowspan 0 runs to the last row, a rowspan past the end stops there,
    colspan 0 is 1, and both are clamped to the largest value browsers honour. A table whose
    spans would cover more than ``[grid]`` allows is refused (`TooLarge`) before any position
    is laid out.
    """
    limits = grid_limits()
    spans = [[_clamped(cell, len(rows) - r, limits) for cell in row] for r, row in enumerate(rows)]
    covered = sum(down * across for row in spans for down, across in row)
    widest = max((sum(across for _, across in row) for row in spans), default=0)
    limits.check(len(rows), widest, covered)
    placed: dict[tuple[int, int], str | None] = {}
    for r, row in enumerate(rows):
        c = 0
        for (text, _, _), (down, across) in zip(row, spans[r], strict=True):
            while (r, c) in placed:
                c += 1
            for dr in range(down):
                for dc in range(across):
                    placed.setdefault((r + dr, c + dc), None)
            placed[(r, c)] = text
            c += across
    widths = [0] * len(rows)
    for r, c in placed:
        widths[r] = max(widths[r], c + 1)
    limits.check(len(rows), max(widths, default=0), sum(widths))
    return [[placed.get((r, c), "") for c in range(width)] for r, width in enumerate(widths)]


def _clamped(cell: SpannedCell, rows_left: int, limits: GridLimits) -> tuple[int, int]:
    """A cell's (rows down, columns across) as a browser lays it out."""
    _, rowspan, colspan = cell
    down = min(rowspan or rows_left, rows_left, limits.max_rowspan)
    return down, max(1, min(colspan, limits.max_colspan))


def _empty(cell: str | None) -> bool:
    return cell is None or not cell.strip()


def drop_empty_rows(grid: Grid) -> Grid:
    """The grid without spacer rows (no cell with any text)."""
    return [row for row in grid if not all(_empty(cell) for cell in row)]


def drop_empty_columns(grid: Grid) -> Grid:
    """The grid without spacer columns: those where no cell, from top to bottom, has text.

    Run it on a whole table (after a split one is joined): a column of blanks under a header
    is kept, as its header is text; Word's and CMS editors' spacer columns go. A row's missing
    cells count as empty; rows keep their own length.
    """
    width = max((len(row) for row in grid), default=0)
    keep = [c for c in range(width) if not all(c >= len(row) or _empty(row[c]) for row in grid)]
    return [[row[c] for c in keep if c < len(row)] for row in grid]


def join_split_table(first: Grid, second: Grid) -> bool:
    """Append ``second`` to ``first`` when it continues it after a page break; True if joined.

    It continues it when no row of it is wider than ``first``. Where ``first``'s last row has
    leading positions covered by a rowspan that ran off its end (the row labels' merged
    cell, cut by the split), a shorter row of ``second`` lacks those cells: it is shifted
    right by what it lacks, up to that many, so that its values stand in their columns.
    """
    if not first or not second:
        return False
    wide = _width(first)
    if _width(second) > wide:
        return False
    covered = next((i for i, cell in enumerate(first[-1]) if cell is not None), len(first[-1]))
    for row in second:
        shift = min(wide - len(row), covered)
        first.append([None] * shift + row)
    return True


def _width(grid: Grid) -> int:
    return max(len(row) for row in grid)
