"""Recover table rows from a section's lines, whatever shape the table was flattened into.

Shapes: tab-separated rows (a label run into its first number is split from it); one cell
per line (a leading tab; rows separated by blank lines; a line without the tab continues the
cell above); rows drawn with bars (``| a | b |``, ``│a│b│``, outer bars optional); a label
followed by space-separated values ("规章 0 0 0", "行政强制 —"); values alone on the line
under their label, or one per line (consecutive lines of values make one row; an empty
line between two lone values is an empty cell, as a Word table copied one cell per line
leaves it). Page chrome inside a table ("- 3 -", "第 3 页 共 6 页") and the ruled lines of
text-drawn tables are skipped, as if the page had not broken.

Cells cut from a space-separated line are marked ``spaced``: a blank cell leaves no trace
there, so their count, not their position, is all that is known.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from indexer.parsing.document import Section
from indexer.parsing.sections import split_long_line
from indexer.parsing.table_grid import UNIT, Cell, Row, is_value_text, split_row
from indexer.rules import load_rules

__all__ = ["is_page_mark", "rows_from_section"]

_RULES = load_rules("tables")["cells"]
_PAGE_MARK = re.compile("|".join(f"(?:{pattern})" for pattern in _RULES["page_marks"]))
_BLANK_MARKS = sorted(_RULES["blank_marks"], key=len, reverse=True)
_BLANK_ONE = "|".join([*map(re.escape, _BLANK_MARKS), f"[{re.escape(_RULES['blank_chars'])}]+"])
# The last value of a spaced line: a number (thousands commas, a unit), or a run of blank
# marks that follows a space, a digit or the line's start ("0 0 —", "2无无无无无2" once the
# spaces between Chinese characters and digits are gone), or any run of two or more (no
# label ends in "无无"; "行政强制——" is the label and one blank).
_LAST_NUMBER = re.compile(rf"(?<![\d.,])[+-]?(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?{UNIT}?$")
# A number run into the label after it, once normalising took the space away ("9二、上年…");
# "2.其他…" and "1、…" are numbering, not a value.
_GLUED_FIRST = re.compile(rf"[+-]?\d+(?:\.\d+)?{UNIT}?(?=[\u4e00-\u9fff(])")
# A number (and unit) run in between two labels, not a date or an ordinal.
_INNER_NUMBER = re.compile(
    rf"(?<=[\u4e00-\u9fff)”])(?<!第)[+-]?\d+(?:\.\d+)?{UNIT}?"
    rf"(?=[\u4e00-\u9fff(“])(?![{re.escape(_RULES['number_words_after'])}])"
)
_LAST_BLANKS = re.compile(rf"(?:^|(?<=[\s\d]))(?:{_BLANK_ONE})+$|(?:{_BLANK_ONE}){{2,}}$")
_BLANK_SPLIT = re.compile(_BLANK_ONE)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_BRACKETED = re.compile(r"[(（][^()（）]*[)）]")
_PIPE_RULE = re.compile(r":?-{2,}:?")
_BAR = re.compile("[" + re.escape(_RULES["cell_bars"]) + "]")
_BOX_RULE = re.compile(r"[─━┼╋┬┴├┤┌┐└┘+=:\s-]*")
# A ruled line of a text-drawn table ("├──┼──┤", "+----+----+"): no cells, skipped.
_RULE_LINE = re.compile(r"(?=.*[─━┼╋┬┴├┤┌┐└┘+=])[─━┼╋┬┴├┤┌┐└┘+=|│┃\s-]{3,}")
_ONE_CELL = re.compile(r"\t[^\t]*")
# A line of several cells: two tabs, or a tab with text before and after it.
_CELLS = re.compile(r"\t[^\t]*\t|[^\t]\t[^\t]").search
# A line a table is read across: page chrome or a ruled line (whole stripped line).
_SKIPPED = re.compile(f"{_PAGE_MARK.pattern}|{_RULE_LINE.pattern}")


def rows_from_section(section: Section) -> list[Row]:
    """Recover the table rows of a section's lines, whatever shape they were written in.

    A flattened page's long line is read as the lines it was cut into before each table row,
    all on its own line number.
    """
    numbered = [
        (section.start_line + offset, piece)
        for offset, line in enumerate(section.lines)
        for piece in split_long_line(line)
    ]
    raw_rows = _raw_rows([piece for _, piece in numbered], [number for number, _ in numbered])
    return [row for raw in raw_rows for row in split_row(raw)]


def is_page_mark(line: str) -> bool:
    """True for a page number or page footer line ("- 3 -", "第3页 共6页", "3/6")."""
    text = line.strip()
    return bool(text) and _PAGE_MARK.fullmatch(text) is not None


def _raw_rows(lines: Sequence[str], numbers: Sequence[int]) -> list[list[Cell]]:
    """Cells grouped by row: per line for tab/pipe rows, per blank-separated block otherwise."""
    one_cell = len(list(filter(None, map(_ONE_CELL.fullmatch, lines))))
    multi = len(list(filter(None, map(_CELLS, lines))))
    rows: list[list[Cell]] = []
    block: list[Cell] = []
    prev = ""
    gaps: list[Cell] = []  # empty lines between single values: blank cells, if a value follows
    for offset, line in enumerate(lines):
        stripped = line.strip()
        if _SKIPPED.fullmatch(stripped):
            continue  # as if the page had not broken: the row goes on after it
        number = numbers[offset]
        if one_cell <= multi and not stripped and _open_value_run(rows, prev, gaps):
            gaps.append(Cell("", number, ""))
            continue
        pipe = _pipe_cells(line, number)
        if pipe is not None:
            rows.extend([block, pipe] if block else [pipe])
            block = []
        elif one_cell > multi:
            block = _one_cell_line(line, prev, number, block, rows)
        elif "\t" in line:
            rows.append(_tab_cells(line, number))
        elif stripped:
            cells = _spaced_cells(line, number)
            if gaps and len(cells) == 1 and cells[0].is_value:
                rows[-1].extend([*gaps, *cells])  # one cell per line, empty cells left empty
            elif _values_only(cells) and rows and _values_only(rows[-1]) and _spaced_line(prev):
                rows[-1].extend(cells)  # values one per line (a PDF copy): one row
            else:
                rows.append(cells)
        gaps = [] if stripped else gaps
        prev = line
    if block:
        rows.append(block)
    return [row for row in rows if row]


def _open_value_run(rows: list[list[Cell]], prev: str, gaps: list[Cell]) -> bool:
    """True when an empty line may be an empty cell: it follows a lone value one per line.

    A Word table copied one cell per line leaves an empty cell as an empty line; it is a
    blank cell only when the next line is again a lone value of the same row.
    """
    if not rows or not _values_only(rows[-1]) or len(rows[-1]) < 1:
        return False
    return bool(gaps) or (_spaced_line(prev) and len(_spaced_cells(prev, 0)) == 1)


def _tab_cells(line: str, number: int) -> list[Cell]:
    """Cells of a tab-separated row; a label run into the number after it is split from it.

    A copy that lost the tab between a label and its first value ("…申请数量3\t0\t0") leaves
    the number on the label; it is taken off when a value cell follows.
    """
    texts, source = line.split("\t"), line.strip()
    cells: list[Cell] = []
    last = len(texts) - 1
    for index, text in enumerate(texts):
        cell = Cell(text, number, source)
        if cell.is_value or index == last:
            cells.append(cell)  # a value cell holds no label; the last cell has no value after
            continue
        stripped = text.strip()
        run_in = _LAST_NUMBER.search(stripped)
        label = stripped[: run_in.start()] if run_in else ""
        if run_in and _CJK.search(label[-1:]) and _is_value(texts[index + 1]):
            cells += [Cell(label, number, source), Cell(run_in.group(), number, source)]
        else:
            cells.append(cell)
    return cells


def _is_value(text: str | None) -> bool:
    """True for the text of a value cell (a number, a blank or a blank mark)."""
    return text is not None and is_value_text(text)


def _values_only(cells: list[Cell]) -> bool:
    """True for cells that are all values (a row of numbers whose label is above)."""
    return bool(cells) and all(cell.is_value for cell in cells)


def _spaced_line(line: str) -> bool:
    """True for a non-empty line that is neither tab- nor pipe-separated."""
    text = line.strip()
    return bool(text) and "\t" not in line and not text.startswith("|")


def _one_cell_line(
    line: str, prev: str, number: int, block: list[Cell], rows: list[list[Cell]]
) -> list[Cell]:
    """Add one line of the one-cell-per-line shape to the open block; return the block."""
    if not line.strip() and not line.startswith("\t"):
        if block:
            rows.append(block)
        return []
    if line.startswith("\t"):
        source = line.strip()
        block.extend([Cell(text, number, source) for text in line[1:].split("\t")])
    elif block and not block[-1].is_value and prev.strip():  # a label broken across lines
        last = block[-1]
        block[-1] = Cell(last.text + line, last.line, f"{last.source}{line.strip()}")
    else:
        block.append(Cell(line, number, line.strip()))
    return block


def _spaced_cells(line: str, number: int) -> list[Cell]:
    """A line without tabs: labels each followed by space-separated values, else one cell.

    Read from the end: values (a number, with a unit or thousands commas, or a blank mark)
    while they last, then the label before them back to the previous value, and so on, so
    that rows run together on one line ("…数量 8 1 0 0 0 0 9 二、上年结转…数量 0 0 …") come
    apart. Normalising may have run a first value into its label. Only short labels with a
    Chinese character and no sentence punctuation count, so that prose ending in a number
    ("邮编:155120") stays prose.
    """
    text = line.strip()
    rest, pieces = text, []  # (is a value, text), right to left
    while rest:
        if match := _LAST_NUMBER.search(rest):
            pieces.append((True, match.group()))
        elif match := _LAST_BLANKS.search(rest):
            pieces.extend((True, mark) for mark in reversed(_BLANK_SPLIT.findall(match.group())))
        else:
            start = _label_start(rest)
            label, rest = rest[start:], rest[:start].rstrip()
            glued = _GLUED_FIRST.match(label) if pieces and rest else None
            if glued:  # "…0 9二、上年结转…": the row before ends in 9, run into this label
                label = label[glued.end() :]
            pieces.append((False, label))
            if glued:
                pieces.append((True, glued.group()))
            continue
        rest = rest[: match.start()].rstrip()
    pieces.reverse()
    labels = [piece for is_value, piece in pieces if not is_value]
    if len(labels) == len(pieces) or any(_is_prose(label) for label in labels):
        return [Cell(text, number, text)]
    pieces = [part for is_value, piece in pieces for part in _unglue(is_value, piece)]
    return [Cell(piece, number, text, spaced=is_value) for is_value, piece in pieces]


def _unglue(is_value: bool, piece: str) -> list[tuple[bool, str]]:
    """A label with a row's number run into it ("行政处罚4行政强制") cut at that number.

    Normalising takes away the spaces between Chinese characters and digits, so rows run
    together on one line leave their last value inside the next label. A number between
    Chinese characters is cut out unless it is a date or an ordinal ("2023年", "第1项").
    """
    if is_value:
        return [(True, piece)]
    parts: list[tuple[bool, str]] = []
    start = 0
    for match in _INNER_NUMBER.finditer(piece):
        parts += [(False, piece[start : match.start()]), (True, match.group())]
        start = match.end()
    return [*parts, (False, piece[start:])]


def _label_start(rest: str) -> int:
    """Where the label at the end of ``rest`` begins: after the last word ending in a value."""
    start = len(rest)
    for word in reversed(list(re.finditer(r"\S+", rest))):
        if start < len(rest) and (_LAST_NUMBER.search(word[0]) or _LAST_BLANKS.search(word[0])):
            break
        start = word.start()
    return start


def _is_prose(label: str) -> bool:
    """True for a label that is a sentence or a "name: value" line, not a table row's label.

    A colon inside brackets ("本年收费金额（单位：万元）") is no sign of prose.
    """
    unbracketed = _BRACKETED.sub("", label)
    colon = any(mark in unbracketed for mark in _RULES["label_marks"])
    sentence = any(mark in label for mark in _RULES["prose_marks"])
    return sentence or colon or len(label) > _RULES["max_label_length"] or not _CJK.search(label)


def _pipe_cells(line: str, number: int) -> list[Cell] | None:
    """Cells of a pipe or box-drawn row, ``[]`` for a rule line, ``None`` for other lines.

    The outer pipes may be left out ("规章 | 0 | 0 | 0"), as markdown allows.
    """
    if _BAR.search(line) is None:
        return None  # most lines: no bar at all
    text = _BAR.sub("|", line.strip())
    if text.count("|") < 2:
        return None
    inner = text[1:] if text.startswith("|") else text
    inner = inner[:-1] if inner.endswith("|") else inner
    parts = [part.strip() for part in inner.split("|")]
    if all(_PIPE_RULE.fullmatch(part) or _BOX_RULE.fullmatch(part) for part in parts):
        return []
    return [Cell(part, number, line.strip()) for part in parts]
