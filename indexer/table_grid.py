"""Recover table rows from a section's lines or from a real grid, and match their labels.

A section's lines arrive in several shapes: tab-separated rows, one cell per line (a leading
tab; rows separated by blank lines; a line without the tab continues the cell above),
pipe-separated rows (``| a | b |``), a label followed by space-separated numbers, or a real
grid (HTML, Word). All become `Row`s: the label cells of one table row and the value cells
that follow them, each cell with its line number.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from indexer.document import Grid, Section
from indexer.rules import load_rules

_RULES = load_rules("tables")
_NUMBERING = tuple(re.compile(p) for p in _RULES["cells"]["numbering"])
_BLANK_MARKS = frozenset(_RULES["cells"]["blank_marks"])
_UNITS = re.compile("(?<=\\d)(?:" + "|".join(map(re.escape, _RULES["cells"]["units"])) + ")$")
_NUMBERS = r"[+-]?\d+(?:\.\d+)?(?:\s+[+-]?\d+(?:\.\d+)?)*"
_SPACED = re.compile(rf"(?P<label>.*?\D)\s*(?P<numbers>{_NUMBERS})")
_WHITESPACE = re.compile(r"\s+")
_SPACE_OR_COMMA = re.compile(r"[\s,]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
_PIPE_RULE = re.compile(r":?-{2,}:?")
_ONE_CELL = re.compile(r"\t[^\t]*")


@dataclass(frozen=True)
class Cell:
    """One table cell: its text as written and the 1-based line it stands on.

    ``number_text`` is the text as a number is compared (NFKC; no whitespace, thousands
    commas or unit); ``is_number`` and ``is_value`` (a number, a blank or a blank mark such as
    "—" or "/") are worked out once, when the cell is made.
    """

    text: str
    line: int
    source: str = ""  # the whole line, for provenance
    number_text: str = field(init=False, repr=False, compare=False)
    is_number: bool = field(init=False, repr=False, compare=False)
    is_value: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        text = self.text if self.text.isascii() else unicodedata.normalize("NFKC", self.text)
        folded = _SPACE_OR_COMMA.sub("", text)
        number_text = _UNITS.sub("", folded)
        is_number = _NUMBER.fullmatch(number_text) is not None
        is_value = is_number or not number_text or number_text in _BLANK_MARKS
        object.__setattr__(self, "number_text", number_text)
        object.__setattr__(self, "is_number", is_number)
        object.__setattr__(self, "is_value", is_value)

    @property
    def is_blank(self) -> bool:
        """True when the cell holds nothing (or only a blank mark)."""
        return self.is_value and not self.is_number


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

    # (name, contains, exact, fallback) per rule
    entries: tuple[tuple[str, tuple[str, ...], frozenset[str], tuple[str, ...]], ...]

    @classmethod
    def of(cls, rules: Sequence[dict[str, Any]], key: str) -> Labels:
        """Labels of rule entries named by their ``key`` field."""
        return cls(
            tuple(
                (
                    rule[key],
                    tuple(rule.get("contains", ())),
                    frozenset(rule.get("exact", ())),
                    tuple(rule.get("fallback", ())),
                )
                for rule in rules
            )
        )

    def match(self, label: str) -> tuple[str, int] | None:
        """The rule a cleaned label names, with the matched length; ``None`` if none does.

        A rule matches when the label contains one of its ``contains`` synonyms or equals one
        of its ``exact`` ones; among several, the longest synonym wins. A ``fallback``
        synonym matches with length 0, below any ordinary one.
        """
        best: tuple[str, int] | None = None
        for name, contains, exact, _ in self.entries:
            lengths = [len(s) for s in contains if s in label]
            if label in exact:
                lengths.append(len(label))
            if lengths and (best is None or max(lengths) > best[1]):
                best = (name, max(lengths))
        if best is None:
            fallbacks = (
                name for name, _, _, words in self.entries if any(w in label for w in words)
            )
            best = next(((name, 0) for name in fallbacks), None)
        return best


def parse_int(cell: Cell) -> int | None:
    """The cell as an int; ``None`` when blank or not a whole number."""
    text = cell.number_text
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    if _NUMBER.fullmatch(text) and float(text).is_integer():
        return int(float(text))
    return None


def parse_float(cell: Cell) -> float | None:
    """The cell as a float (万元 amounts); ``None`` when blank."""
    text = cell.number_text
    return float(text) if _NUMBER.fullmatch(text) else None


def rows_from_section(section: Section) -> list[Row]:
    """Recover the table rows of a section's lines, whatever shape they were written in."""
    raw_rows = _raw_rows(section.lines, section.start_line)
    return [row for raw in raw_rows for row in split_row(raw)]


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
    for cell in cells:
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


def _raw_rows(lines: Sequence[str], start: int) -> list[list[Cell]]:
    """Cells grouped by row: per line for tab/pipe rows, per blank-separated block otherwise."""
    one_cell = sum(1 for line in lines if _ONE_CELL.fullmatch(line))
    multi = sum(1 for line in lines if "\t" in line.strip("\t") or line.count("\t") > 1)
    rows: list[list[Cell]] = []
    block: list[Cell] = []
    for offset, line in enumerate(lines):
        number = start + offset
        pipe = _pipe_cells(line, number)
        if pipe is not None:
            rows.extend([block, pipe] if block else [pipe])
            block = []
        elif one_cell > multi:
            block = _one_cell_line(line, lines[offset - 1] if offset else "", number, block, rows)
        elif "\t" in line:
            rows.append([Cell(text, number, line.strip()) for text in line.split("\t")])
        elif line.strip():
            rows.append(_spaced_cells(line, number))
    if block:
        rows.append(block)
    return [row for row in rows if row]


def _one_cell_line(
    line: str, prev: str, number: int, block: list[Cell], rows: list[list[Cell]]
) -> list[Cell]:
    """Add one line of the one-cell-per-line shape to the open block; return the block."""
    if not line.strip() and not line.startswith("\t"):
        if block:
            rows.append(block)
        return []
    if line.startswith("\t"):
        block.extend(Cell(text, number, line.strip()) for text in line[1:].split("\t"))
    elif block and not block[-1].is_value and prev.strip():  # a label broken across lines
        last = block[-1]
        block[-1] = Cell(last.text + line, last.line, f"{last.source}{line.strip()}")
    else:
        block.append(Cell(line, number, line.strip()))
    return block


def _spaced_cells(line: str, number: int) -> list[Cell]:
    """A line without tabs: a label followed by space-separated numbers, else one cell.

    Only a short label with a Chinese character and no sentence punctuation counts, so that
    prose ending in a number ("邮编:155120") stays prose.
    """
    text = line.strip()
    if re.fullmatch(_NUMBERS, text):  # numbers only: the cells of a row whose label is above
        return [Cell(n, number, text) for n in text.split()]
    match = _SPACED.fullmatch(text)
    label = match["label"].strip() if match else ""
    punctuation = any(mark in label for mark in _RULES["cells"]["prose_marks"])
    if not match or punctuation or len(label) > 80 or not _CJK.search(label):
        return [Cell(text, number, text)]
    numbers = match["numbers"].split()
    return [Cell(label, number, text), *(Cell(n, number, text) for n in numbers)]


def _pipe_cells(line: str, number: int) -> list[Cell] | None:
    """Cells of a markdown pipe row, ``[]`` for its rule line, ``None`` for other lines."""
    text = line.strip()
    if not text.startswith("|") or text.count("|") < 2:
        return None
    parts = [part.strip() for part in text.strip("|").split("|")]
    if all(_PIPE_RULE.fullmatch(part) for part in parts):
        return []
    return [Cell(part, number, text) for part in parts]


def align_values(row: Row, width: int, sum_check: bool) -> list[Cell | None]:
    """The row's values placed in ``width`` columns (``None`` where no cell stands).

    Real grid cells are taken as they stand. Text rows carry stray blank cells at either
    end (ragged tabs), so blanks are trimmed from both ends; a row left short is aligned to
    the right (the 总计 column is the one most often filled), unless with ``sum_check`` its
    columns then fail to add up to 总计 while aligned to the left they do not.
    """
    values = row.values
    if len(values) == width and row.from_grid:
        return list(values)
    start, end = 0, len(values)
    while start < end and values[start].is_blank:
        start += 1
    while end > start and values[end - 1].is_blank:
        end -= 1
    trimmed: list[Cell | None] = list(values[start:end])
    if len(trimmed) >= width:
        return trimmed[-width:]
    pad: list[Cell | None] = [None] * (width - len(trimmed))
    right, left = pad + trimmed, trimmed + pad
    if sum_check and not _adds_up(right) and _adds_up(left):
        return left
    return right


def whole_row(row: Row, width: int) -> list[Cell | None]:
    """All ``width`` cells of a row, or [] when it does not hold exactly that many."""
    if len(row.values) == width:
        return list(row.values)
    cells = align_values(row, width, sum_check=False)
    return cells if all(cell is not None for cell in cells) else []


def _adds_up(cells: list[Cell | None]) -> bool:
    """False only when the parts and the total are known and disagree."""
    numbers = [parse_int(cell) if cell is not None else None for cell in cells]
    *parts, total = numbers
    known = [n for n in parts if n is not None]
    return total is None or not known or sum(known) == total
