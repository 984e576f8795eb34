"""Recover table cells from the table's own arithmetic when their printed numbers cannot be placed.

Crawlers break rows in two ways the ordinary reading (`align_values`) cannot undo: touching
cells run their digits together ("150 000015" for 15|0|0|0|0|0|15), or a run of equal
neighbouring cells is printed once ("12 0 12" for 12|0|0|0|0|0|12, a lone "0" for zeros).
Such a row is read in every way it could have been printed (its readings), and the table's
identities choose: each row's six applicant columns add up to its 总计; 新收 + 上年结转 =
办理结果总计 + 结转下年度 and the result rows add up to 办理结果总计, column by column; in table
四 结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计 in each group. A row is read when every
combination of readings that satisfies every identity gives it the same cells; otherwise it
stays null and a problem names it. The search is bounded, and past the bound nothing is read.

The shapes are only assumed where the page shows them, so that a blank cell that left no trace
is never read as 0: digits run together only where the printed numbers cannot be whole cells
(a number written with a leading zero, or six columns that would add up to more than the 总计);
runs printed once only in a table none of whose rows prints two equal numbers side by side.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice, pairwise

from indexer.models import APPLICANT_COLUMNS, APPLICATION_ROWS, ApplicantCounts, Provenance
from indexer.parsing.table_grid import Cell, Row, clean_label
from indexer.parsing.table_result import Tables, report_unplaced
from indexer.rules import load_rules

__all__ = [
    "Identity",
    "Verdict",
    "leading_zero",
    "mark_arithmetic",
    "readings",
    "recover_applications",
    "recover_outcomes",
    "solve",
]

_RULES = load_rules("tables")
_LIMITS = _RULES["arithmetic"]
_MESSAGES: dict[str, str] = _LIMITS["messages"]
_ROW_ZH = {rule["key"]: rule["label_zh"] for rule in _RULES["applications"]["rows"]}
_OUTCOME_ROWS = APPLICATION_ROWS[2:-2]  # 予以公开 … 其他处理, between 上年结转 and 总计
_WHOLE_ROW = "row"  # the one row of a table-四 search

Reading = tuple[int, ...]
Ref = tuple[str, int]  # (row, column index)


@dataclass(frozen=True)
class Identity:
    """Cells whose sum equals the sum of other cells; a blank or unread cell may hold any count."""

    left: tuple[Ref, ...]
    right: tuple[Ref, ...]


@dataclass(frozen=True)
class Verdict:
    """What the arithmetic makes of one row: its only reading, else how many fit (-1: too many)."""

    reading: Reading | None
    count: int


# --- Readings of one row ------------------------------------------------------------------


def _cuts(digits: str, parts: int) -> Iterator[Reading]:
    """Every way to cut a digit run into ``parts`` numbers, none written with a leading zero."""
    if parts == 1:
        if len(digits) == 1 or digits[0] != "0":
            yield (int(digits),)
        return
    for end in range(1, len(digits) - parts + 2):
        if end > 1 and digits[0] == "0":
            return
        for rest in _cuts(digits[end:], parts - 1):
            yield (int(digits[:end]), *rest)


def _run_together(tokens: Sequence[str], width: int) -> Iterator[Reading]:
    """Every reading of ``tokens`` as ``width`` cells whose digits ran together."""
    if not tokens:
        if width == 0:
            yield ()
        return
    first, rest = tokens[0], tokens[1:]
    most_after = sum(len(token) for token in rest)
    for parts in range(max(1, width - most_after), min(len(first), width - len(rest)) + 1):
        for head in _cuts(first, parts):
            for tail in _run_together(rest, width - parts):
                yield head + tail


def _collapsed(numbers: Sequence[int], width: int) -> Iterator[Reading]:
    """Every reading of ``numbers`` as ``width`` cells, each number a run of equal cells."""
    if not numbers:
        if width == 0:
            yield ()
        return
    for times in range(1, width - len(numbers) + 2):
        for tail in _collapsed(numbers[1:], width - times):
            yield (numbers[0],) * times + tail


def readings(
    tokens: Sequence[str], width: int, *, run_together: bool, collapsed: bool
) -> list[Reading] | None:
    """The distinct readings of printed digit ``tokens`` as ``width`` cells; None past the cap."""
    cap = int(_LIMITS["max_readings"])
    found: set[Reading] = set()
    sources = []
    if run_together:
        sources.append(_run_together(tokens, width))
    if collapsed:
        sources.append(_collapsed([int(token) for token in tokens], width))
    for source in sources:
        found.update(islice(source, cap + 1))
        if len(found) > cap:
            return None
    return sorted(found)


# --- Choosing among readings ------------------------------------------------------------------


@dataclass
class _Search:
    """The state of one search: fixed cells, the open rows' readings and their bounds."""

    known: Mapping[str, Sequence[int | None]]
    options: dict[str, list[Reading]]
    identities: Sequence[Identity]
    assigned: dict[str, Reading] = field(default_factory=dict)
    bounds: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    steps: int = 0

    def touching(self, row: str) -> list[Identity]:
        """The identities that hold a cell of ``row``."""
        return [i for i in self.identities if any(r == row for r, _ in (*i.left, *i.right))]

    def bound(self) -> None:
        """Work out the least and greatest value of each open row's cells."""
        self.bounds = {
            row: [(min(column), max(column)) for column in zip(*found, strict=True)]
            for row, found in self.options.items()
            if found
        }

    def span(self, refs: Sequence[Ref]) -> tuple[int, float]:
        """The least and the greatest sum the cells ``refs`` can have now."""
        low, high = 0, 0.0
        for row, column in refs:
            if row in self.assigned:
                low, high = low + self.assigned[row][column], high + self.assigned[row][column]
            elif row in self.options:
                least, most = self.bounds[row][column]
                low, high = low + least, high + most
            elif (value := (self.known.get(row) or [None] * (column + 1))[column]) is not None:
                low, high = low + value, high + value
            else:
                high = math.inf
        return low, high

    def feasible(self, identity: Identity) -> bool:
        """False when ``identity`` cannot hold whatever the open rows turn out to be."""
        left_low, left_high = self.span(identity.left)
        right_low, right_high = self.span(identity.right)
        return left_low <= right_high and right_low <= left_high


def _prune(search: _Search) -> None:
    """Drop each open row's readings that break an identity whatever the other rows hold."""
    for row in list(search.options):
        mine, kept = search.touching(row), []
        for reading in search.options[row]:
            search.assigned[row] = reading
            if all(search.feasible(identity) for identity in mine):
                kept.append(reading)
        del search.assigned[row]
        search.options[row] = kept


def _visit(
    search: _Search, order: list[tuple[str, list[Identity]]], seen: dict[str, set[Reading]]
) -> bool:
    """Try every combination of readings of the rows in ``order``; False past the step cap."""
    if not order:
        for row, reading in search.assigned.items():
            seen[row].add(reading)
        return True
    (row, mine), rest = order[0], order[1:]
    choices = search.options.pop(row)
    try:
        for reading in choices:
            search.steps += 1
            if search.steps > int(_LIMITS["max_steps"]):
                return False
            search.assigned[row] = reading
            if all(search.feasible(i) for i in mine) and not _visit(search, rest, seen):
                return False
            del search.assigned[row]
        return True
    finally:
        search.assigned.pop(row, None)
        search.options[row] = choices


def solve(
    known: Mapping[str, Sequence[int | None]],
    options: Mapping[str, Sequence[Reading]],
    identities: Sequence[Identity],
) -> dict[str, Verdict]:
    """Each open row's verdict: the reading every consistent combination gives it, if one.

    ``known`` holds the rows already read (a ``None`` cell is blank: any count); a row in
    neither mapping is missing (any counts). A row whose every reading breaks an identity
    leaves the table without a consistent reading, and nothing is read.
    """
    search = _Search(known, {row: list(found) for row, found in options.items()}, identities)
    order = sorted(search.options, key=lambda row: len(search.options[row]))
    if any(not search.options[row] for row in order):
        return {row: Verdict(None, 0) for row in order}
    search.bound()
    _prune(search)
    if any(not search.options[row] for row in order):
        return {row: Verdict(None, 0) for row in order}
    search.bound()
    seen: dict[str, set[Reading]] = {row: set() for row in order}
    if not _visit(search, [(row, search.touching(row)) for row in order], seen):
        return {row: Verdict(None, -1) for row in order}
    return {
        row: Verdict(next(iter(found)) if len(found) == 1 else None, len(found))
        for row, found in seen.items()
    }


# --- Table 三 and table 四 ---------------------------------------------------------------------


def _tokens(row: Row) -> list[str] | None:
    """The digit runs a row printed, when it printed only those, separated by spaces."""
    values = row.values
    if not values or not all(c.spaced and c.number_text.isdigit() for c in values):
        return None
    return [cell.number_text for cell in values]


def leading_zero(text: str) -> bool:
    """True for digits written with a leading zero ("0006"): cells run together, no number."""
    return len(text) > 1 and text.isdigit() and text[0] == "0"


def _repeats(tokens: Sequence[str]) -> bool:
    """True when two equal numbers stand side by side (no crawler collapsed this row)."""
    return any(int(a) == int(b) for a, b in pairwise(tokens))


def _written(row: Row) -> str:
    """The row's numbers as printed."""
    return " ".join(cell.text.strip() for cell in row.values)


def _row_text(row: Row) -> str:
    """The row as printed, its labels and its numbers, for provenance."""
    return " ".join([*(cell.text.strip() for cell in row.labels), _written(row)]).strip()


def _problem(tables: Tables, what: str, row: Row, verdict: Verdict) -> None:
    """Say why the arithmetic left a row unread: several readings fit, or too many to try
    (when none fits, the shapes do not apply and the row's row_ambiguous says it all)."""
    if verdict.count == 0:
        return
    kind = "too_many" if verdict.count < 0 else "ambiguous"
    line = row.values[0].line
    message = _MESSAGES[kind].format(
        what=what, line=line, written=_written(row), count=verdict.count
    )
    tables.problem("arithmetic_ambiguous", message)


def _application_identities() -> list[Identity]:
    """Every identity of table 三, cells named by (row key, column index)."""
    total = len(APPLICANT_COLUMNS) - 1
    found = [Identity(tuple((r, c) for c in range(total)), ((r, total),)) for r in APPLICATION_ROWS]
    for c in range(total + 1):
        found.append(
            Identity(
                (("new", c), ("carried_over", c)), (("total_processed", c), ("carried_forward", c))
            )
        )
        found.append(Identity(tuple((r, c) for r in _OUTCOME_ROWS), (("total_processed", c),)))
    return found


def _application_readings(row: Row, collapsed: bool) -> list[Reading] | None:
    """The readings of one unplaced table-三 row ([] when neither crawler shape is shown)."""
    tokens = _tokens(row)
    if tokens is None:
        return []
    numbers = [int(token) for token in tokens]
    width = len(APPLICANT_COLUMNS)
    whole_row_run = len(tokens) == 1 and len(tokens[0]) >= width
    run_together = any(map(leading_zero, tokens)) or whole_row_run
    run_together = run_together or sum(numbers[:-1]) > numbers[-1]
    return readings(tokens, width, run_together=run_together, collapsed=collapsed)


def _collapsed_table(rows: Mapping[str, Row], unplaced: Sequence[str]) -> bool:
    """True when a table 三 reads as a collapsing crawler's: every row printed in digits alone,
    none with two equal numbers side by side, and every unplaced row with a collapsed reading
    whose six columns add up to its 总计 (else blank cells, not collapsed ones, explain it)."""
    printed = [tokens for row in rows.values() if (tokens := _tokens(row)) is not None]
    numbered = sum(1 for row in rows.values() if row.has_numbers)
    if len(printed) != numbered or any(_repeats(tokens) for tokens in printed):
        return False
    width = len(APPLICANT_COLUMNS)
    for key in unplaced:
        found = readings(_tokens(rows[key]) or [], width, run_together=False, collapsed=True)
        if found is not None and not any(sum(r[:-1]) == r[-1] for r in found):
            return False
    return True


def recover_applications(
    rows: Mapping[str, Row], unplaced: Sequence[str], columns: Sequence[str | None], tables: Tables
) -> None:
    """Read the unplaced rows of table 三 from its arithmetic; report the rows left unread.

    ``rows`` are the table's rows by key, the others read already into ``tables``; ``columns``
    the record column under each value column (only the national seven are recovered).
    """
    collapsed = _collapsed_table(rows, unplaced)
    national = list(columns) == list(APPLICANT_COLUMNS)
    options = {k: _application_readings(rows[k], collapsed) if national else [] for k in unplaced}
    open_rows = {key: found for key, found in options.items() if found}
    known = {
        key: [getattr(tables.applications[key], column) for column in APPLICANT_COLUMNS]
        for key in rows
        if key not in unplaced
    }
    verdicts = solve(known, open_rows, _application_identities())
    for key in unplaced:
        row, what = rows[key], f"申请情况表“{_ROW_ZH[key]}”行"
        verdict = verdicts.get(key) or Verdict(None, -1 if options[key] is None else 0)
        if verdict.reading is not None:
            tables.applications[key] = ApplicantCounts(
                **dict(zip(APPLICANT_COLUMNS, verdict.reading, strict=True))
            )
            where = Provenance(line=row.values[0].line, text=_row_text(row), via="arithmetic")
            for column in APPLICANT_COLUMNS:
                tables.provenance[f"applications.{key}.{column}"] = where
            continue
        report_unplaced(tables, what, row, len(columns))
        if options[key] != []:
            _problem(tables, what, row, verdict)


def _names_every_group(row: Row, groups: Sequence[str]) -> bool:
    """True when a row's labels name every group: table 四's header run into its numbers."""
    label = clean_label("".join(cell.text for cell in row.labels))
    named = {
        field
        for group in _RULES["reviews"]["groups"]
        if any(word in label for word in group["contains"])
        for field in group["fields"]
    }
    return set(groups) <= named


def recover_outcomes(
    row: Row, fields: list[str], groups: list[str], orders: Sequence[Sequence[str]], tables: Tables
) -> tuple[list[str], list[Cell] | None]:
    """The groups an unplaced table-四 row holds and their cells read from the groups' sums.

    ``fields`` are the groups its labels name, ``groups`` all three in column order and
    ``orders`` their outcome keys in column order; a row whose label is the whole header (a
    flattened page) holds all three. The cells are None when no single reading fits. A row of
    one number is no evidence of a collapsing crawler (a lone 总计 with blank cells reads
    alike), so runs printed once are read only in a row of several numbers.
    """
    tokens = _tokens(row)
    held = list(groups) if _names_every_group(row, groups) else fields
    if tokens is None:
        return fields, None
    collapsed = len(tokens) > 1 and not _repeats(tokens)
    found = readings(tokens, 5 * len(held), run_together=True, collapsed=collapsed)
    if found == []:
        return fields, None
    identities = []
    for g, name in enumerate(held):
        order = list(orders[groups.index(name)])
        parts = tuple((_WHOLE_ROW, 5 * g + i) for i, key in enumerate(order) if key != "total")
        identities.append(Identity(parts, ((_WHOLE_ROW, 5 * g + order.index("total")),)))
    verdict = solve({}, {_WHOLE_ROW: found}, identities)[_WHOLE_ROW] if found else Verdict(None, -1)
    if verdict.reading is None:
        _problem(tables, "行政复议、行政诉讼表", row, verdict)
        return fields, None
    line, text = row.values[0].line, _row_text(row)
    return held, [Cell(str(value), line, text) for value in verdict.reading]


def mark_arithmetic(tables: Tables, paths: Sequence[str]) -> None:
    """Mark the provenance of the values at ``paths`` (and below) as recovered by arithmetic."""
    for path, where in list(tables.provenance.items()):
        if any(path == p or path.startswith(f"{p}.") for p in paths):
            tables.provenance[path] = where.model_copy(update={"via": "arithmetic"})
