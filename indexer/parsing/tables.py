"""Read the three statistical tables of a report: 二 proactive, 三 applications, 四 reviews.

Each row is found by its label (rule data in ``rules/tables.toml``) and its own cells are read;
nothing is filled by counting numbers across a table. A blank cell stays ``None``; a row or
column that cannot be found is ``None`` and a problem entry says which. Every value keeps the
line it was read from (``provenance``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from indexer.models import (
    APPLICANT_COLUMNS,
    APPLICATION_ROWS,
    OUTCOME_KEYS,
    ApplicantCounts,
    Outcomes,
)
from indexer.parsing.document import Grid, Section
from indexer.parsing.table_arith import (
    leading_zero,
    mark_arithmetic,
    recover_applications,
    recover_outcomes,
)
from indexer.parsing.table_grid import (
    Cell,
    Labels,
    Row,
    align_values,
    clean_label,
    common_window,
    parse_int,
    rows_from_grids,
    whole_row,
)
from indexer.parsing.table_proactive import read_proactive
from indexer.parsing.table_result import Tables, best_match, report_unplaced
from indexer.parsing.table_text import rows_from_section
from indexer.rules import load_rules

__all__ = ["Tables", "read_tables"]

_RULES = load_rules("tables")
_ROWS = Labels.of(_RULES["applications"]["rows"], "key")
_GROUPS = Labels.of(_RULES["reviews"]["groups"], "name")
_OUTCOMES = Labels.of(_RULES["reviews"]["outcomes"], "key")
_TABLE_NAMES = {
    "proactive": "二、主动公开政府信息情况",
    "applications": "三、收到和处理政府信息公开申请情况",
    "reviews_lawsuits": "四、行政复议、行政诉讼情况",
}


def read_tables(sections: Mapping[str, Section], grids: Sequence[Grid] = ()) -> Tables:
    """Read the three tables from sections "proactive", "applications", "reviews_lawsuits"."""
    tables = Tables()
    assigned = _assign_grids(grids)
    for key, (reader, fields) in _READERS.items():
        for rows, needed in _candidate_rows(key, sections, assigned):
            # the 25 blank rows of table 三 only where they are read
            trial = Tables() if "applications" in fields else Tables(applications={})
            if reader(rows, trial) >= needed:
                for name in fields:
                    setattr(tables, name, getattr(trial, name))
                tables.provenance.update(trial.provenance)
                tables.problems.extend(trial.problems)
                break
        else:
            tables.problem("table_missing", f"表格未找到或无法识别：{_TABLE_NAMES[key]}")
    return tables


def _candidate_rows(
    key: str, sections: Mapping[str, Section], assigned: Mapping[str, list[Grid]]
) -> Iterator[tuple[list[Row], int]]:
    """Rows to look for a table in, best first, with how many rows must be recognised.

    Its real grids and its own section come first; then the other sections, where a table
    whose heading was missed would sit, but only a table with several known rows is taken.
    """
    own = sections.get(key)
    if assigned.get(key):
        yield rows_from_grids(assigned[key], own), 1
    if own is not None:
        yield rows_from_section(own), 1
    needed = _RULES["elsewhere"]["min_rows"][key]
    for other_key, other in sections.items():
        if other_key != key:
            yield rows_from_section(other), needed


def _assign_grids(grids: Sequence[Grid]) -> dict[str, list[Grid]]:
    """Which real grids may hold which table: those with at least two of its markers.

    One grid may hold two tables (三 and 四 in one HTML table); each reader takes its rows.
    """
    markers: dict[str, list[str]] = _RULES["grids"]
    assigned: dict[str, list[Grid]] = {}
    for grid in grids:
        text = clean_label("".join(cell or "" for row in grid for cell in row))
        for key, words in markers.items():
            if sum(word in text for word in words) >= 2:
                assigned.setdefault(key, []).append(grid)
    return assigned


# --- Table 三: applications --------------------------------------------------------------


def _read_applications(rows: list[Row], tables: Tables) -> int:
    """Fill ``tables.applications`` row by row; return how many rows were recognised."""
    rules = _RULES["applications"]["rows"]
    found: dict[str, tuple[int, Row]] = {}
    pending: list[Cell] = []
    for row in rows:
        labels = [clean_label(cell.text) for cell in row.labels]
        heading = any(label in _RULES["applications"]["header_labels"] for label in labels)
        if (heading and not row.has_numbers) or _is_subtotal(labels):
            pending = []
            continue
        if not row.values:
            pending.extend(row.labels)
            continue
        key, strength = best_match(row.labels, _ROWS)
        if strength < 0 and (row.labels or len(row.values) <= len(APPLICANT_COLUMNS)):
            key, strength = best_match(pending + row.labels, _ROWS)
        if strength < 0:
            pending = [] if row.has_numbers else pending + row.labels
            continue
        pending = []
        strength = strength if row.has_numbers else -1  # a blank row yields to any other
        if key not in found or strength > found[key][0]:
            found[key] = (strength, row)
    layout = _layout(rows, [row for _, row in found.values() if row.has_numbers])
    unplaced = [
        k for k, (_, row) in found.items() if not _read_applicant_row(k, row, tables, layout)
    ]
    recover_applications(
        {k: row for k, (_, row) in found.items()}, unplaced, layout.columns, tables
    )
    labels = {rule["key"]: rule["label_zh"] for rule in rules}
    missing = [labels[key] for key in APPLICATION_ROWS if key not in found]
    if found and missing:
        tables.problem("row_missing", f"申请情况表缺少行：{'、'.join(missing)}")
    return len(found)


def _is_subtotal(labels: list[str]) -> bool:
    """True for a group's subtotal row ("(三)不予公开 | 合计"): not the 总计 of all results."""
    rules = _RULES["applications"]["subtotals"]
    joined = "".join(labels)
    return any(w in joined for w in rules["words"]) and any(g in joined for g in rules["groups"])


@dataclass(frozen=True)
class _Layout:
    """How an applications table's values stand in its columns."""

    columns: list[str | None]  # the record column under each value column; None: not kept
    window: tuple[int, int] | None  # see `common_window`
    totals_only: bool  # no row holds more than one number


def _layout(rows: list[Row], numbered: list[Row]) -> _Layout:
    """The columns of an applications table, from its header and its rows of numbers.

    A number written with a leading zero ("0000000") is no total but a row's cells run
    together, so a table that has one is no table of totals alone.
    """
    columns = _header_columns(rows, numbered) or list(_RULES["applications"]["columns"])
    window = common_window(numbered, len(columns))
    totals_only = all(sum(cell.is_number for cell in row.values) <= 1 for row in numbered)
    run_together = any(leading_zero(c.number_text) for row in numbered for c in row.values)
    return _Layout(columns, window, totals_only and not run_together)


def _read_applicant_row(key: str, row: Row, tables: Tables, layout: _Layout) -> bool:
    """Read the applicant columns of one applications row (see `align_values`); False if unplaced.

    A lone number is the 总计 where 总计 is the last column, and, in a row that leaves no
    trace of its blank cells (cells separated by spaces, or no empty cell beside the number),
    only in a table of totals alone.
    """
    columns, window = layout.columns, layout.window
    traceless = any(cell.spaced for cell in row.values) or len(row.values) == 1
    lone_total = columns[-1] == "total" and (layout.totals_only or not traceless)
    cells = align_values(row, len(columns), lone_total=lone_total, window=window)
    if cells is None:
        return False
    counts: dict[str, int | None] = {}
    for column, cell in zip(columns, cells, strict=True):
        if column is not None and cell is not None:
            counts[column] = parse_int(cell)
            tables.note(f"applications.{key}.{column}", cell)
    tables.applications[key] = ApplicantCounts(**counts)
    return True


def _header_columns(rows: list[Row], numbered: list[Row]) -> list[str | None] | None:
    """The record column under each value column when the header names fewer than seven.

    ``None`` when no header is found above the numbers or it names all seven columns (read
    as always), or when a row of ``numbered`` holds more numbers than it names columns (a
    header row lost in flattening). Only cells made wholly of column names count, so a
    sentence that mentions 自然人 is no header. A flattened header does not keep the
    columns' order (a 总计 cell spanning two header rows may come first), so the columns
    are taken in the national order.
    The 法人或其他组织 heading with none of its five columns under it is one column the
    record does not keep (``None``): its number is their sum, not any one of them.
    """
    header = _RULES["applications"]["header"]
    names: set[str] = set()
    for row in rows:
        if row.has_numbers:
            break
        for cell in row.labels:
            names.update(_column_names(clean_label(cell.text), header))
    standard = list(_RULES["applications"]["columns"])
    columns: list[str | None] = [c for c in standard if c in names]
    if header["group"] in names and not names & set(header["members"]):
        columns.insert(1 if "natural_person" in names else 0, None)
    most = max((sum(cell.is_number for cell in row.values) for row in numbered), default=0)
    if len(columns) < 2 or columns == standard or most > len(columns):
        return None
    return columns


def _column_names(label: str, header: dict[str, Any]) -> list[str]:
    """The applicant columns a header cell names, left to right; [] unless it holds only names."""
    words = sorted(
        ((word, key) for key, synonyms in header["columns"].items() for word in synonyms),
        key=lambda pair: -len(pair[0]),
    )
    spans: list[tuple[int, int, str]] = []
    for word, key in words:
        start = label.find(word)
        while start >= 0:
            end = start + len(word)
            if all(e <= start or s >= end for s, e, _ in spans):
                spans.append((start, end, key))
            start = label.find(word, start + 1)
    covered = sum(end - start for start, end, _ in spans)
    return [key for _, _, key in sorted(spans)] if spans and covered == len(label) else []


# --- Table 四: reviews and lawsuits ------------------------------------------------------


def _read_reviews(rows: list[Row], tables: Tables) -> int:
    """Fill reviews and the two lawsuit rows; return how many of the three were found.

    A row of numbers that fits neither all 15 columns nor its labelled groups is not placed;
    if no row could be, the table still counts as found (its values null, a problem says why).
    """
    rules = _RULES["reviews"]
    groups = _group_order(rows)
    filled: dict[str, list[Cell | None]] = {}
    unplaced: list[tuple[Row, int]] = []
    named: set[str] = set()  # the groups the heading rows since the last numbers name
    order = _outcome_order(rows)
    recovered: list[str] = []  # groups read from the table's arithmetic
    for row in rows:
        if not row.has_numbers:
            named |= _groups_named(row)
            continue
        fields, cells = _review_cells(row, groups, named)
        named = set()
        if cells is None and fields:
            fields, cells = recover_outcomes(row, fields, groups, order, tables)
            recovered += [f for f in fields if cells and f not in filled]
        if cells is None:
            if fields:
                unplaced.append((row, 5 * len(fields)))
            continue
        for index, name in enumerate(fields):
            if name not in filled:
                filled[name] = cells[index * 5 : index * 5 + 5]
    for name in rules["fields"]:
        if name in filled:
            _fill_outcomes(name, order[groups.index(name)], filled[name], tables)
    mark_arithmetic(tables, recovered)
    for row, width in unplaced:
        report_unplaced(tables, "行政复议、行政诉讼表", row, width)
    missing = [rules["labels_zh"][name] for name in rules["fields"] if name not in filled]
    if filled and missing:
        tables.problem("row_missing", f"行政复议、行政诉讼表缺少：{'、'.join(missing)}")
    return len(filled) or min(len(unplaced), 1)


def _review_cells(
    row: Row, groups: list[str], named: set[str]
) -> tuple[list[str], list[Cell | None] | None]:
    """The groups a table-四 row holds and its cells (``None`` if they cannot be placed).

    A row of all 15 values is every group, in the heading's order ``groups``; otherwise its
    label names the groups, or, for a row of numbers alone, the headings above it do (table
    四 written as two tables, "(一)行政复议情况" over 5 columns, "(二)行政诉讼情况" over 10).
    Numbers that fit none of these are unplaced; a row whose label names no group holds none.
    """
    rules = _RULES["reviews"]
    cells = whole_row(row, 15)
    if cells is not None:
        return groups, cells
    name, strength = best_match(row.labels, _GROUPS)
    if strength < 0:
        if row.labels:
            return [], None
        fields = [field for field in groups if field in named] or groups
        return fields, whole_row(row, 5 * len(fields)) if len(fields) < len(groups) else None
    fields = next(group["fields"] for group in rules["groups"] if group["name"] == name)
    fields = sorted(fields, key=groups.index)
    return fields, whole_row(row, 5 * len(fields))


def _groups_named(row: Row) -> set[str]:
    """The groups (reviews, lawsuits_direct, …) a heading row's short cells name.

    Within one cell the narrowest names win: "行政诉讼（未经复议直接起诉）", the heading of
    one of three sub-tables, names only the direct lawsuits, not both kinds of 行政诉讼.
    """
    rules = _RULES["reviews"]
    named: set[str] = set()
    for cell in row.labels:
        label = clean_label(cell.text)
        if len(label) > rules["max_heading_length"]:
            continue
        hits = [
            frozenset(group["fields"])
            for group in rules["groups"]
            if any(word in label for word in group["contains"])
        ]
        for fields in hits:
            if not any(other < fields for other in hits):
                named |= fields
    return named


def _group_order(rows: list[Row]) -> list[str]:
    """The three groups left to right as the heading rows name them; the national order else.

    Only a heading that names 行政诉讼 (or one kind of lawsuit) before 行政复议, or 复议后起诉
    before 未经复议直接起诉, changes the order.
    """
    first: dict[str, int] = {}
    cells = (c for row in rows if not row.has_numbers for c in row.labels)
    for position, cell in enumerate(cells):
        label = clean_label(cell.text)
        if len(label) > _RULES["reviews"]["max_heading_length"]:
            continue  # a sentence before the table ("未发生行政诉讼。") is no heading
        hit = _GROUPS.match(label)
        if hit is not None:
            first.setdefault(hit[0], position)
    far = len(first) + 10**6
    lawsuits = min(
        first.get(k, far) for k in ("lawsuits", "lawsuits_direct", "lawsuits_after_review")
    )
    direct, after = first.get("lawsuits_direct", far), first.get("lawsuits_after_review", far)
    pair = (
        ["lawsuits_after_review", "lawsuits_direct"]
        if after < direct
        else ["lawsuits_direct", "lawsuits_after_review"]
    )
    if lawsuits < first.get("reviews", far):
        return [*pair, "reviews"]
    return ["reviews", *pair]


def _outcome_order(rows: list[Row]) -> list[list[str]]:
    """The outcome keys of each group's five columns, as the heading row spells them."""
    rules = _RULES["reviews"]
    seen: list[str] = []
    for row in rows:
        if row.has_numbers:
            continue
        for cell in row.labels:
            hit = _OUTCOMES.match(clean_label(cell.text))
            if hit is not None:
                seen.append(hit[0])
    chunks = [seen[i : i + 5] for i in range(0, 15, 5)] if len(seen) == 15 else [seen] * 3
    if chunks and all(sorted(chunk) == sorted(OUTCOME_KEYS) for chunk in chunks):
        return chunks
    return [list(rules["columns"])] * 3


def _fill_outcomes(name: str, order: list[str], cells: list[Cell | None], tables: Tables) -> None:
    """Set one Outcomes field (reviews, lawsuits_direct, …) from its five cells."""
    counts: dict[str, int | None] = {}
    for key, cell in zip(order, cells, strict=True):
        if cell is not None:
            counts[key] = parse_int(cell)
            tables.note(f"{name}.{key}", cell)
    setattr(tables, name, Outcomes(**counts))


_READERS = {  # table → its reader and the Tables fields it fills
    "proactive": (read_proactive, ("proactive",)),
    "applications": (_read_applications, ("applications",)),
    "reviews_lawsuits": (_read_reviews, ("reviews", "lawsuits_direct", "lawsuits_after_review")),
}
