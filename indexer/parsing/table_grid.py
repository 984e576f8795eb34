"""Cells and rows of a table, from a real grid or from text, and how their labels match.

A table arrives as a real grid (HTML, Word) or as text lines (`indexer.parsing.table_text` cuts
those into cells). Either way it becomes `Row`s: the label cells of one table row and the
value cells that follow them, each cell with its line number. Placing a row's values in
their columns (`align_values`) never guesses: a count of values that fits no reading of the
columns leaves them unplaced.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from indexer.parsing.document import Grid, Section
from indexer.rules import load_rules

_RULES = load_rules("tables")
_NUMBERING = tuple(re.compile(p) for p in _RULES["cells"]["numbering"])
_BLANK_MARKS = frozenset(_RULES["cells"]["blank_marks"])
_ZERO_WORDS = dict.fromkeys(_RULES["cells"]["zero_words"], "0")
_BLANK_CHARS = re.compile(f"[{re.escape(_RULES['cells']['blank_chars'])}]+")
_UNIT_WORDS = "|".join(map(re.escape, sorted(_RULES["cells"]["units"], key=len, reverse=True)))
# A unit after a number, bare or in brackets ("94件", "0.00(万元)"), as a regex fragment.
UNIT = rf"(?:{_UNIT_WORDS}|\((?:{_UNIT_WORDS})\))"
_UNITS = re.compile(rf"(?<=\d){UNIT}$")
_WHITESPACE = re.compile(r"\s+")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
_WHOLE = re.compile(r"[+-]?\d+")
_MATCHES_KEPT = 8192  # labels whose match each `Labels` remembers


@dataclass(frozen=True, init=False)
class Cell:
    """One table cell: its text as written and the 1-based line it stands on.

    ``number_text`` is the text as a number is compared (NFKC; no surrounding whitespace,
    thousands commas or unit); ``is_number`` and ``is_value`` (a number, a blank or a blank
    mark such as "—" or "/") are worked out once, when the cell is made. Digits with a space
    between them ("1 2") are not one number. ``spaced`` marks a cell cut from a line whose
    cells were separated by spaces, where a blank cell leaves no trace.
    """

    text: str
    line: int
    source: str = ""  # the whole line, for provenance
    spaced: bool = field(default=False, compare=False)
    number_text: str = field(init=False, repr=False, compare=False)
    is_number: bool = field(init=False, repr=False, compare=False)
    is_value: bool = field(init=False, repr=False, compare=False)

    def __init__(self, text: str, line: int, source: str = "", spaced: bool = False) -> None:
        # A table holds hundreds of cells: the fields go straight into the instance, not
        # one frozen-dataclass setattr at a time.
        fields = self.__dict__
        fields["text"] = text
        fields["line"] = line
        fields["source"] = source
        fields["spaced"] = spaced
        fields["number_text"], fields["is_number"], fields["is_value"] = _cell_facts(text)

    @property
    def is_blank(self) -> bool:
        """True when the cell holds nothing (or only a blank mark)."""
        return self.is_value and not self.is_number


def is_value_text(text: str) -> bool:
    """Whether a cell of this text would be a value cell (see `Cell`), without making one."""
    return _cell_facts(text)[2]


@lru_cache(maxsize=16384)  # cells repeat: "0", "—", the table's own labels
def _cell_facts(text: str) -> tuple[str, bool, bool]:
    """A cell text's ``number_text``, ``is_number`` and ``is_value`` (see `Cell`)."""
    text = text if text.isascii() else unicodedata.normalize("NFKC", text)
    number_text = _UNITS.sub("", text.strip())
    number_text = _ZERO_WORDS.get(number_text, number_text)
    if _THOUSANDS.fullmatch(number_text):
        number_text = number_text.replace(",", "")
    is_number = _NUMBER.fullmatch(number_text) is not None
    is_value = (
        is_number
        or not number_text
        or number_text in _BLANK_MARKS
        or _BLANK_CHARS.fullmatch(number_text) is not None
    )
    return number_text, is_number, is_value


@dataclass
class Row:
    """One table row: its label cells, then the value cells after the last label."""

    labels: list[Cell] = field(default_factory=list)
    values: list[Cell] = field(default_factory=list)
    # True for the real cells of a grid, where the count of value cells can be trusted.
    from_grid: bool = False

    @property
    def has_numbers(self) -> bool:
        """True when any value cell holds a number."""
        return any(cell.is_number for cell in self.values)


@lru_cache(maxsize=4096)
def clean_label(text: str) -> str:
    """A label as compared: no whitespace, half-width brackets, leading numbering removed."""
    label = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    stripped = True
    while stripped and label:
        stripped = False
        for pattern in _NUMBERING:
            shorter = pattern.sub("", label, count=1)
            if shorter != label:
                label, stripped = shorter, True
    return label


@dataclass(frozen=True)
class Labels:
    """The label synonyms of one list of rules (rows, items, groups…), ready for matching."""

    # (name, contains, exact, fallback, wrapped) per rule; wrapped: the first parts of its
    # label_zh, longest first, that a label cut short by a line wrap may end with.
    entries: tuple[
        tuple[str, tuple[str, ...], frozenset[str], tuple[str, ...], tuple[str, ...]], ...
    ]
    # label → what `match` found: the same labels come back in every report
    found: dict[str, tuple[str, int] | None] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )

    @classmethod
    def of(cls, rules: Sequence[dict[str, Any]], key: str) -> Labels:
        """Labels of rule entries named by their ``key`` field."""
        shortest = _RULES["cells"]["wrapped_label_min"]
        entries = []
        for rule in rules:
            full = clean_label(rule.get("label_zh", ""))
            wrapped = tuple(full[:n] for n in range(len(full), shortest - 1, -1))
            contains, exact = tuple(rule.get("contains", ())), frozenset(rule.get("exact", ()))
            entries.append((rule[key], contains, exact, tuple(rule.get("fallback", ())), wrapped))
        return cls(tuple(entries))

    def match(self, label: str) -> tuple[str, int] | None:
        """The rule a cleaned label names, with the matched length; ``None`` if none does.

        A rule matches when the label contains one of its ``contains`` synonyms or equals one
        of its ``exact`` ones; among several, the longest synonym wins. Else a label that
        ends with the first part of a rule's ``label_zh`` (at least ``wrapped_label_min``
        characters: the rest was wrapped onto the next line) names it. A ``fallback``
        synonym matches with length 0, below any of these.
        """
        if label in self.found:
            return self.found[label]
        if len(self.found) >= _MATCHES_KEPT:
            self.found.clear()
        best = self.found[label] = self._match(label)
        return best

    def _match(self, label: str) -> tuple[str, int] | None:
        best: tuple[str, int] | None = None
        for name, contains, exact, _, _ in self.entries:
            lengths = [len(s) for s in contains if s in label]
            if label in exact:
                lengths.append(len(label))
            if lengths and (best is None or max(lengths) > best[1]):
                best = (name, max(lengths))
        if best is None:
            for name, _, _, _, wrapped in self.entries:
                length = next((len(p) for p in wrapped if label.endswith(p)), 0)
                if length and (best is None or length > best[1]):
                    best = (name, length)
        if best is None:
            fallbacks = (
                name for name, _, _, words, _ in self.entries if any(w in label for w in words)
            )
            best = next(((name, 0) for name in fallbacks), None)
        return best


def parse_int(cell: Cell) -> int | None:
    """The cell as an int; ``None`` when blank or not a whole number."""
    text = cell.number_text
    if _WHOLE.fullmatch(text):
        return int(text)
    if _NUMBER.fullmatch(text) and float(text).is_integer():
        return int(float(text))
    return None


def parse_float(cell: Cell) -> float | None:
    """The cell as a float (万元 amounts); ``None`` when blank."""
    text = cell.number_text
    return float(text) if _NUMBER.fullmatch(text) else None


def rows_from_grids(grids: Sequence[Grid], section: Section | None) -> list[Row]:
    """Rows of real grids; cells covered by a span (``None``) are dropped.

    A grid has no line numbers of its own: each row takes the line of the section that
    carries its first label, or the section's first line.
    """
    rows: list[Row] = []
    for grid in grids:
        for grid_row in grid:
            texts = [text for text in grid_row if text is not None]
            line, source = _locate(texts, section)
            rows.extend(split_row([Cell(text, line, source) for text in texts], from_grid=True))
    return rows


def split_row(cells: list[Cell], from_grid: bool = False) -> list[Row]:
    """Split raw cells into rows: a label that follows a number starts a new row.

    Blank cells before the first label are spacers (a spanned group label) and dropped;
    blank cells between labels are spacers too.
    """
    rows: list[Row] = []
    current = Row(from_grid=from_grid)
    for cell in expand_spaced(cells):
        if cell.is_value:
            if current.labels or current.values or not cell.is_blank:
                current.values.append(cell)
            continue
        if current.has_numbers:
            rows.append(current)
            current = Row(from_grid=from_grid)
        current.values.clear()
        current.labels.append(cell)
    if current.labels or current.values:
        rows.append(current)
    return rows


def _locate(texts: list[str], section: Section | None) -> tuple[int, str]:
    """The section line (number, text) that carries most of a grid row's labels as written."""
    if section is None:
        return 0, ""
    wanted = [_compact(t) for t in texts if t and not Cell(t, 0).is_value]
    best, where = 0, (section.start_line, "")
    for offset, line in enumerate(section.lines):
        compact = _compact(line)
        score = sum(1 for label in wanted if label and label in compact)
        if score > best:
            best, where = score, (section.start_line + offset, line.strip())
    return where


def _compact(text: str) -> str:
    """Text without whitespace, in NFKC form, for finding a cell's text in a line."""
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", text))


def align_values(
    row: Row, width: int, lone_total: bool, window: tuple[int, int] | None = None
) -> list[Cell | None] | None:
    """The row's values placed in ``width`` columns, or ``None`` when their place is unknown.

    Real grid cells are taken as they stand when there are ``width`` of them; a text row's
    are taken from ``window`` = (count, first) when its whole table has one and the row has
    that count of cells (see `common_window`).
    Otherwise text rows carry stray blank cells at either end (ragged tabs, spanned labels),
    so blanks are trimmed from both ends; if exactly ``width`` cells are left, they are the
    row. With ``lone_total`` a single number is the 总计 column (reports often fill only that
    one). Any other count cannot be placed without guessing which cells are missing (or
    extra), so nothing is placed.
    """
    values = row.values
    if len(values) == width and row.from_grid:
        return list(values)
    if window is not None and len(values) == window[0]:
        return list(values[window[1] : window[1] + width])
    start, end = 0, len(values)
    while start < end and values[start].is_blank:
        start += 1
    while end > start and values[end - 1].is_blank:
        end -= 1
    trimmed: list[Cell | None] = list(values[start:end])
    if len(trimmed) == width:
        return trimmed
    if not trimmed or (lone_total and len(trimmed) == 1):
        return [None] * (width - len(trimmed)) + trimmed
    return None


def common_window(rows: Sequence[Row], width: int) -> tuple[int, int] | None:
    """(count of cells, first position) of a table's ``width`` columns in each of its rows.

    Only a table whose rows all have the same count of value cells has one: that count is
    ``width``, or every row's cells beyond ``width`` are blank at the same end (a tab at
    the end of each line, an empty cell under a spanned label). Such a table keeps its
    blank cells in place, so a blank first or last column is read as blank.
    """
    counts = {len(row.values) for row in rows}
    if len(counts) != 1 or (count := counts.pop()) < width:
        return None
    extra = count - width
    if all(cell.is_blank for row in rows for cell in row.values[width:]):
        return count, 0
    if all(cell.is_blank for row in rows for cell in row.values[:extra]):
        return count, extra
    return None


def whole_row(row: Row, width: int) -> list[Cell | None] | None:
    """All ``width`` cells of a row (blank ones included), or ``None`` if it has another count."""
    if len(row.values) == width:
        return list(row.values)
    cells = align_values(row, width, lone_total=False)
    return cells if cells and any(cell is not None for cell in cells) else None


def expand_spaced(cells: list[Cell]) -> list[Cell]:
    """Cells holding several space-separated values ("0 0", "1 —") split into one per value."""
    out: list[Cell] = []
    for cell in cells:
        parts = cell.text.split()  # two or more: what r"\S+(?:\s+\S+)+" matches, stripped
        if len(parts) < 2 or not all(is_value_text(part) for part in parts):
            out.append(cell)  # one value or none, or not values alone
            continue
        out.extend(Cell(part, cell.line, cell.source, spaced=True) for part in parts)
    return out
