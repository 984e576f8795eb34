"""What the table reader found: the three tables, where each value came from, problems."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from indexer.models import (
    APPLICATION_ROWS,
    ApplicantCounts,
    Check,
    Outcomes,
    Proactive,
    Provenance,
)
from indexer.parsing.table_grid import Cell, Labels, Row, clean_label

__all__ = ["Tables", "best_match", "report_unplaced"]


@dataclass
class Tables:
    """The three tables read from a report, with where each value came from."""

    proactive: Proactive = field(default_factory=Proactive)
    applications: dict[str, ApplicantCounts] = field(
        default_factory=lambda: {row: ApplicantCounts() for row in APPLICATION_ROWS}
    )
    reviews: Outcomes = field(default_factory=Outcomes)
    lawsuits_direct: Outcomes = field(default_factory=Outcomes)
    lawsuits_after_review: Outcomes = field(default_factory=Outcomes)
    provenance: dict[str, Provenance] = field(default_factory=dict)
    problems: list[Check] = field(default_factory=list)
    # one Provenance for the cells of one line: a row's values share it (none is changed
    # in place; marking one as recovered by arithmetic copies it)
    _lines: dict[tuple[int, str], Provenance] = field(
        default_factory=dict, repr=False, compare=False
    )

    def note(self, path: str, cell: Cell) -> None:
        """Remember the line a value at dotted ``path`` was read from."""
        key = (cell.line, cell.source or cell.text)
        where = self._lines.get(key)
        if where is None:
            where = self._lines[key] = Provenance(line=key[0], text=key[1])
        self.provenance[path] = where

    def problem(self, code: str, message: str) -> None:
        """Record something that could not be read."""
        self.problems.append(Check(code=code, message=message))


def best_match(cells: Sequence[Cell], labels: Labels) -> tuple[str, int]:
    """The rule a row's labels name (per cell, else all joined) and its strength, or ("", -1)."""
    best = ("", -1)
    for cell in cells:
        hit = labels.match(clean_label(cell.text))
        if hit is not None and hit[1] > best[1]:
            best = hit
    if best[1] < 0 and len(cells) > 1:
        best = labels.match(clean_label("".join(c.text for c in cells))) or best
    return best


def report_unplaced(tables: Tables, what: str, row: Row, width: int) -> None:
    """Record a row whose values cannot be placed in its columns without a guess."""
    written = " ".join(cell.text.strip() or "（空）" for cell in row.values)
    tables.problem(
        "row_ambiguous",
        f"{what}（第 {row.values[0].line} 行）有 {len(row.values)} 格数值“{written}”，"
        f"与 {width} 列对不上，无法确定各数所在的列，未读取",
    )
