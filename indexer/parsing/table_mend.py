"""Mend the rows of a table converted from PDF: labels and headings wrapped into rows of their own.

A PDF-to-Markdown converter makes each printed line of a cell a table row of its own, so
"本年制发" / "件数" become two header rows, and a row label wrapped by the column width leaves
rows that hold only part of the label, no numbers, above or below the row of numbers (the
numbers stand on the label's first, middle or last line). Such label-only rows are joined,
cell by cell, to the row they belong to: two label-only rows to each other when together they
name a known heading or label by a longer synonym than either alone; label-only rows to the
row of numbers above or below them, choosing for the whole table the joins under which the
rows then name known labels (``rules/tables.toml``) best. A join that names nothing better
than its parts is not made, so a row that names its label alone keeps its place.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import lru_cache
from itertools import pairwise
from typing import Any

from indexer.parsing.document import Grid
from indexer.parsing.table_grid import Cell, Labels, clean_label
from indexer.rules import load_rules

__all__ = ["mend_wrapped_rows"]

_RULES = load_rules("tables")
_MAX_LINES = _RULES["cells"]["max_wrapped_lines"]
GridRow = list[str | None]


def _known_labels(rules: dict[str, Any]) -> Labels:
    """Every row label, item, group and column heading of the three tables, as one set."""
    entries = [
        {**rule, "name": rule[key], "contains": [*rule.get("contains", ()), clean_label(full)]}
        for table, key in (("applications", "key"), ("proactive", "field"))
        for rule in rules[table]["rows" if table == "applications" else "items"]
        if (full := rule["label_zh"])
    ]
    entries += [{**rule, "name": rule["name"]} for rule in rules["reviews"]["groups"]]
    entries += [{**rule, "name": rule["key"]} for rule in rules["reviews"]["outcomes"]]
    proactive, header = rules["proactive"], rules["applications"]["header"]
    headings = [h for column in proactive["columns"] for h in column["headings"]]
    headings += proactive["ignored_headings"] + proactive["heading_markers"]
    headings += [word for words in header["columns"].values() for word in words]
    headings += rules["applications"]["header_labels"]
    entries += [{"name": heading, "contains": [clean_label(heading)]} for heading in headings]
    return Labels.of(entries, "name")


_KNOWN = _known_labels(_RULES)


def mend_wrapped_rows(grid: Grid) -> Grid:
    """The grid with its wrapped label-only rows joined to the rows they belong to."""
    rows = _join_label_pairs([list(row) for row in grid])
    anchors = [index for index, row in enumerate(rows) if not _label_only(row)]
    bounds = [-1, *anchors, len(rows)]
    runs = [rows[start + 1 : end] for start, end in pairwise(bounds)]
    picks = _best_joins([rows[index] for index in anchors], runs)
    out: Grid = []
    for index, (above, below) in enumerate(picks):
        taken = picks[index - 1][1] if index else 0
        run = runs[index]
        out.extend(run[taken : len(run) - above])
        out.append(
            _join([*run[len(run) - above :], rows[anchors[index]], *runs[index + 1][:below]])
        )
    last = picks[-1][1] if picks else 0
    out.extend(runs[-1][last:])
    return out


def _join_label_pairs(rows: Grid) -> Grid:
    """Adjacent label-only rows with their wrapped cells joined (headings over two rows).

    A cell is joined to the cell above it when together they name a known heading or label
    by a longer synonym than either alone ("本年制发" / "件数"); the other cells stay where
    they are, and a row left with no text is dropped.
    """
    out: Grid = []
    for row in rows:
        if out and _label_only(row) and _label_only(out[-1]):
            width = max(len(out[-1]), len(row))
            upper = [*out[-1], *[""] * (width - len(out[-1]))]
            lower = [*row, *[""] * (width - len(row))]
            for index, (top, bottom) in enumerate(_pairs(upper, lower)):
                if (
                    top
                    and top.strip()
                    and bottom
                    and bottom.strip()
                    and _gain([[top], [bottom]]) > 0
                ):
                    upper[index], lower[index] = _column_text(iter([top, bottom])), ""
            out[-1], row = upper, lower
            if not any(cell and cell.strip() for cell in row):
                continue
        out.append(row)
    return out


def _pairs(upper: GridRow, lower: GridRow) -> Iterator[tuple[str | None, str | None]]:
    """The cells of two rows column by column, the shorter row padded with empty cells."""
    for index in range(max(len(upper), len(lower))):
        yield (
            (upper[index] if index < len(upper) else ""),
            (lower[index] if index < len(lower) else ""),
        )


def _best_joins(anchors: Sequence[GridRow], runs: Sequence[Grid]) -> list[tuple[int, int]]:
    """For each row of values: how many label-only rows above and below it join it.

    ``runs[i]`` are the label-only rows between anchors i-1 and i. The joins are chosen for
    the whole table, best total gain first, then fewest rows moved.
    """
    # rows of the next run taken by the last anchor -> ((gain, -moved), picks so far)
    best: dict[int, tuple[tuple[int, int], list[tuple[int, int]]]] = {0: ((0, 0), [])}
    for index, anchor in enumerate(anchors):
        above, below = runs[index], runs[index + 1]
        following: dict[int, tuple[tuple[int, int], list[tuple[int, int]]]] = {}
        for taken, ((total, moved), picks) in best.items():
            for up in range(min(len(above) - taken, _MAX_LINES) + 1):
                for down in range(min(len(below), _MAX_LINES) + 1):
                    fragments = [*above[len(above) - up :], *below[:down]]
                    if not all(_fits(fragment, anchor) for fragment in fragments):
                        continue
                    parts = [*above[len(above) - up :], anchor, *below[:down]]
                    gain = _anchor_gain(parts, anchor) if fragments else 0
                    if gain <= 0 and (up or down):
                        continue
                    value = (total + gain, moved - up - down)
                    if down not in following or value > following[down][0]:
                        following[down] = (value, [*picks, (up, down)])
        best = following
    return max(best.values())[1] if anchors else []


def _label_only(row: GridRow) -> bool:
    """True for a row of text cells and empty cells only: no number and no blank mark."""
    texts = [cell for cell in row if cell and cell.strip()]
    return bool(texts) and not any(Cell(text, 0).is_value for text in texts)


def _fits(fragment: GridRow, anchor: GridRow) -> bool:
    """True when a label-only row's texts all stand left of the anchor's first value cell."""
    first = next((i for i, cell in enumerate(anchor) if cell and Cell(cell, 0).is_value), None)
    first = len(anchor) if first is None else first
    return not any(cell and cell.strip() for cell in fragment[first:])


def _anchor_gain(parts: Sequence[GridRow], anchor: GridRow) -> int:
    """The gain of joining label-only rows to a row of values (see `_gain`).

    A row of values whose own label names nothing (the part of a wrapped label that the
    numbers stand beside) gains the known label the join names, if that label is made by
    the join or moved into a cell the row left empty: a row with a label of its own that is
    not known ("其他对外管理服务事项") does not take the label of a blank row above it.
    """
    if _row_score(anchor) > 0:
        return _gain(parts)
    joined = _join(parts)
    best = 0
    for index, cell in enumerate(joined):
        score = _score(cell)
        own = anchor[index] if index < len(anchor) else None
        alone = max(_score(part[index]) if index < len(part) else 0 for part in parts)
        if score > alone or not (own and own.strip()):
            best = max(best, score)
    return best


def _gain(parts: Sequence[GridRow]) -> int:
    """How much longer a known label the joined rows name than the best of their parts."""
    return _row_score(_join(parts)) - max(_row_score(part) for part in parts)


def _row_score(row: GridRow) -> int:
    """The length of the longest known synonym any cell of a row names by; 0 for none."""
    return max((_score(cell) for cell in row), default=0)


@lru_cache(maxsize=4096)
def _score(cell: str | None) -> int:
    """The length of the known synonym a cell names by; 0 when it names none."""
    label = clean_label(cell) if cell else ""
    hit = _KNOWN.match(label) if label else None
    return hit[1] if hit is not None else 0


def _join(parts: Sequence[GridRow]) -> GridRow:
    """One row from several: each column's texts run together, top to bottom."""
    width = max(len(part) for part in parts)
    return [_column_text(part[i] if i < len(part) else "" for part in parts) for i in range(width)]


def _column_text(cells: Iterator[str | None]) -> str | None:
    """The cells of one column as one: their texts run together; None if all were None."""
    cells = list(cells)
    texts = [cell.strip() for cell in cells if cell and cell.strip()]
    if texts:
        return "".join(texts)
    return None if all(cell is None for cell in cells) else ""
