"""Read table 二 (主动公开政府信息情况, 第二十条): blocks of a marker row, a heading row and items.

A value is read from the column whose heading names it (rule data in ``rules/tables.toml``);
the other columns are ignored. Without a heading row the 2021 national columns are assumed,
but only when the row's count of values fits them.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any

from indexer.models import DocumentCounts
from indexer.parsing.table_grid import Cell, Labels, Row, clean_label, parse_float, parse_int
from indexer.parsing.table_result import Tables, best_match, report_unplaced
from indexer.rules import load_rules

__all__ = ["read_proactive"]

_RULES = load_rules("tables")
_ITEMS = Labels.of(_RULES["proactive"]["items"], "field")
_BLOCK_MARKER = re.compile(_RULES["proactive"]["block_marker"])


def read_proactive(rows: list[Row], tables: Tables) -> int:
    """Fill ``tables.proactive`` from the 第二十条 blocks; return how many items were found."""
    rules = _RULES["proactive"]
    items = {item["field"]: item for item in rules["items"]}
    headings: list[str] | None = None
    in_headings = False  # the row before was a heading row: headings one per line go on
    above: list[Cell] = []  # the labels of an unknown label-only row just above
    seen: set[str] = set()
    for row in _with_values_below(rows):
        cells, new_block = _without_block_marker(row.labels)
        if new_block:
            headings, in_headings = None, False
        labels = [clean_label(cell.text) for cell in cells]
        if not labels:
            continue
        if row.has_numbers and (inline := _inline_headings(labels)):
            headings = inline  # a block run onto one line: its headings before its items
        if not row.has_numbers and (columns := _heading_columns(labels)) is not None:
            restart = not in_headings or any(m in labels for m in rules["heading_markers"])
            headings = columns if restart or headings is None else headings + columns
            in_headings = True
            continue
        in_headings = False
        name, strength = best_match(cells, _ITEMS)
        if strength < 0 and above:  # a label wrapped onto the line of its numbers
            name, strength = best_match(above + cells, _ITEMS)
        above = cells if strength < 0 and not row.values else []
        if strength >= 0 and name not in seen:
            seen.add(name)
            _read_item(items[name], row, headings, tables)
    missing = [items[name]["label_zh"] for name in items if name not in seen]
    if seen and missing:
        tables.problem("row_missing", f"主动公开表缺少：{'、'.join(missing)}")
    return len(seen)


def _without_block_marker(cells: list[Cell]) -> tuple[list[Cell], bool]:
    """The label cells without their 第二十条 marker, and whether one was there.

    A marker starts a block. In a real grid it may share a row with what follows, and in a
    block run onto one line it shares a cell with the headings and the first item.
    """
    marker = _BLOCK_MARKER
    kept: list[Cell] = []
    for cell in cells:
        label = clean_label(cell.text)
        rest = marker.sub("", label)
        if rest == label:
            kept.append(cell)
        elif rest:
            kept.append(Cell(rest, cell.line, cell.source or cell.text))
    return kept, any(marker.search(clean_label(cell.text)) for cell in cells)


def _inline_headings(labels: list[str]) -> list[str]:
    """The known column headings written in an item row's own label cells, if any."""
    markers = _RULES["proactive"]["heading_markers"]
    return [h for label in labels for h in _known_headings(label) if h not in markers]


def _with_values_below(rows: list[Row]) -> list[Row]:
    """Rows with an item's label-only row joined to the values alone under it (a PDF copy).

    Only an item label takes them: values under a heading row are a serial number or stray.
    """
    out: list[Row] = []
    for row in rows:
        above = out[-1] if out else None
        joins = above and above.labels and not above.values and row.values and not row.labels
        if joins and best_match(above.labels, _ITEMS)[1] >= 0:
            out[-1] = Row(labels=above.labels, values=row.values, from_grid=row.from_grid)
        else:
            out.append(row)
    return out


def _heading_columns(labels: list[str]) -> list[str] | None:
    """The column headings of a heading row (信息内容 left out), or None for another row.

    A cell holding several known headings run together (its spaces lost) is several columns.
    Unknown cells before the first known heading head the label column ("项目", "类别").
    """
    markers = _RULES["proactive"]["heading_markers"]
    columns: list[str] = []
    known = False
    for label in labels:
        found = _known_headings(label)
        known = known or bool(found)
        headings = [h for h in found if h not in markers]
        if len(headings) > 1:
            columns.extend(headings)
        elif known and label not in markers and not (found and not headings):
            columns.append(label)
    return columns if known else None


@cache
def _headings_longest_first() -> tuple[str, ...]:
    rules = _RULES["proactive"]
    known = [h for column in rules["columns"] for h in column["headings"]]
    known += rules["ignored_headings"] + rules["heading_markers"]
    return tuple(sorted(known, key=len, reverse=True))


@lru_cache(maxsize=4096)  # the same cells head the table in report after report
def _known_headings(label: str) -> tuple[str, ...]:
    """The known column headings inside one cell, left to right, longest first on overlap."""
    spans: list[tuple[int, int]] = []
    for heading in _headings_longest_first():
        start = label.find(heading)
        while start >= 0:
            end = start + len(heading)
            if all(e <= start or s >= end for s, e in spans):
                spans.append((start, end))
            start = label.find(heading, start + 1)
    return tuple(label[s:e] for s, e in sorted(spans))


def _read_item(item: dict[str, Any], row: Row, headings: list[str] | None, tables: Tables) -> None:
    """Read one 第二十条 item row (规章, 行政许可, …) by its column headings."""
    values, headings = _item_cells(item, row, headings)
    spaced = any(c.spaced for c in values)  # blank cells left no trace between spaces
    if spaced and headings and row.has_numbers and len(values) != len(headings):
        report_unplaced(tables, f"主动公开表“{item['label_zh']}”行", row, len(headings))
        return
    parts = _column_parts(headings, item["kind"])
    field_name, missing = item["field"], []
    wanted = ("issued", "repealed", "in_force") if item["kind"] == "documents" else ("value",)
    counts: dict[str, int | float | None] = {}
    for part in wanted:
        index = parts.get(part)
        if index is None or index >= len(values):
            missing.append(part)
            continue
        cell = values[index]
        is_amount = item["kind"] == "amount"
        counts[part] = _amount(cell, headings[index]) if is_amount else parse_int(cell)
        tables.note(f"proactive.{field_name}" + ("" if part == "value" else f".{part}"), cell)
    if item["kind"] == "documents":
        setattr(tables.proactive, field_name, DocumentCounts(**counts))
    else:
        setattr(tables.proactive, field_name, counts.get("value"))
    if missing:
        names = "、".join(_column_label(part, item["kind"]) for part in missing)
        tables.problem("column_missing", f"主动公开表“{item['label_zh']}”没有这一列：{names}")


def _item_cells(
    item: dict[str, Any], row: Row, headings: list[str] | None
) -> tuple[list[Cell], list[str]]:
    """An item row's value cells and the headings they stand under.

    Without a heading row the 2021 national columns are assumed if the count fits. A row
    with more cells than headings (an empty cell left by a label spanning two columns, or
    stray tabs at the end) is taken without its blank end cells when that makes it fit.
    """
    values = row.values
    if headings is None:
        defaults = item["default_headings"]
        filled = [cell for cell in values if not cell.is_blank]
        if len(values) != len(defaults):
            values = filled
        return values, (defaults if len(values) == len(defaults) else [])
    if len(values) > len(headings):
        start, end = 0, len(values)
        while start < end and values[start].is_blank:
            start += 1
        while end > start and values[end - 1].is_blank:
            end -= 1
        if end - start == len(headings):
            values = values[start:end]
    return values, headings


def _amount(cell: Cell, heading: str) -> float | None:
    """A fee in 万元, from a cell under a heading that may name another unit (元, 千元)."""
    value = parse_float(cell)
    if value is None:
        return None
    for unit in _RULES["proactive"]["amount_units"]:
        if unit["unit"] in heading:
            return round(value * unit["to_wan_yuan"], 6)
    return value


def _column_label(part: str, kind: str) -> str:
    """The Chinese name of a value part, for messages."""
    for column in _RULES["proactive"]["columns"]:
        if column["part"] == part and column.get("kind", kind) == kind:
            return str(column["label_zh"])
    return part


def _column_parts(headings: list[str], kind: str) -> dict[str, int]:
    """Map value parts (issued, repealed, in_force, value) to their column positions."""
    parts: dict[str, int] = {}
    for index, heading in enumerate(headings):
        for column in _RULES["proactive"]["columns"]:
            if column.get("kind", kind) != kind and column["part"] == "value":
                continue
            if any(h in heading for h in column["headings"]):
                parts.setdefault(column["part"], index)
    return parts
