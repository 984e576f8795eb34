"""Read PDF reports with pdfplumber: text line by line, ruled tables as real grids.

Each page's ruled tables become grids (a merged cell's other positions are ``None``; a table
that runs on from the foot of one page to the head of the next is joined again) and, in the
text, one tab-joined line per row where the table stands. The text outside the tables is
read line by line in reading order; a line that runs to the right margin without ending a
sentence is wrapped text and joins the next one; running page numbers are dropped. A PDF
with no text layer (a scan) or one that needs a password is refused with the reason. The
rules are in ``rules/read.toml`` under ``[pdf]``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.psparser import PSException
from pdfplumber.utils.exceptions import PdfminerException

from indexer.errors import ExtractError
from indexer.parsing.document import Grid
from indexer.parsing.read_grid import drop_empty_columns, drop_empty_rows, join_split_table
from indexer.rules import load_rules

__all__ = ["looks_like_pdf", "pdf_to_text"]

# pdfminer logs a warning for every damaged object it steps over; a broken file is reported
# once, as an ExtractError, instead.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


@dataclass(frozen=True)
class _Rules:
    page_number: re.Pattern[str]
    sentence_ends: str
    margin: float
    table_settings: dict[str, Any]


@cache
def _rules() -> _Rules:
    """Load the ``[pdf]`` rules of ``rules/read.toml`` once."""
    pdf = load_rules("read")["pdf"]
    return _Rules(
        page_number=re.compile(pdf["page_number"]),
        sentence_ends=pdf["sentence_ends"],
        margin=float(pdf["wrap_margin"]),
        table_settings=dict(pdf["table_settings"]),
    )


def looks_like_pdf(data: bytes) -> bool:
    """True for bytes that start as a PDF file does."""
    return data[:1024].lstrip().startswith(b"%PDF-")


def pdf_to_text(data: bytes, path: str) -> tuple[str, list[Grid]]:
    """The text of a PDF (one line per line, table rows tab-joined) and its ruled tables."""
    try:
        with pdfplumber.open(BytesIO(data)) as pdf:
            return _read(pdf, path)
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect):
            raise ExtractError(path, "encrypted PDF: it needs a password") from None
        raise ExtractError(path, f"not a readable PDF file ({cause})") from None
    except ExtractError:
        raise
    except (PSException, ValueError, KeyError, TypeError, AssertionError) as exc:
        raise ExtractError(path, f"not a readable PDF file ({type(exc).__name__})") from None
    except Exception as exc:  # pdfminer meets broken files in many ways; name the file
        raise ExtractError(path, f"not a readable PDF file ({type(exc).__name__})") from exc


@dataclass
class _State:
    """What has been read so far, across pages."""

    lines: list[str]
    grids: list[Grid]
    # The last grid, and whether nothing but page furniture has followed it.
    last_grid: Grid | None = None
    grid_open: bool = False


def _read(pdf: pdfplumber.PDF, path: str) -> tuple[str, list[Grid]]:
    """Read every page; refuse a PDF without any text."""
    state = _State(lines=[], grids=[])
    chars = images = 0
    for page in pdf.pages:
        chars += len(page.chars)
        images += len(page.images)
        _read_page(page, state)
    if not chars:
        if images:
            raise ExtractError(path, "scanned PDF: no text layer (the pages are images)")
        raise ExtractError(path, "PDF with no text")
    for grid in state.grids:
        grid[:] = drop_empty_columns(grid)
    return "\n".join(state.lines), state.grids


def _read_page(page: Any, state: _State) -> None:
    """Append one page's lines and tables, in order from the top."""
    rules = _rules()
    tables = page.find_tables(table_settings=rules.table_settings)
    boxes = [table.bbox for table in tables]

    def outside(obj: dict[str, Any]) -> bool:
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    text_lines = page.filter(outside).extract_text_lines(return_chars=False)
    right = _right_margin([line["x1"] for line in text_lines])
    items: list[tuple[float, Any]] = [(line["top"], line) for line in text_lines]
    items.extend((table.bbox[1], table) for table in tables)
    pending = ""
    for _, item in sorted(items, key=lambda pair: pair[0]):
        if isinstance(item, dict):
            text = " ".join(item["text"].split())
            if not text or rules.page_number.fullmatch(text):
                continue
            state.grid_open = False
            pending = _join(pending, text)
            if item["x1"] < right - rules.margin or text.endswith(tuple(rules.sentence_ends)):
                state.lines.append(pending)
                pending = ""
        else:
            if pending:
                state.lines.append(pending)
                pending = ""
            _add_table(item.extract(), state)
    if pending:
        state.lines.append(pending)


def _right_margin(ends: list[float]) -> float:
    """Where the page's full lines end: the median right end of the long lines.

    Not the largest: a line ending in Latin letters or a full-width mark may overhang.
    """
    if not ends:
        return 0.0
    longest = max(ends)
    long = sorted(end for end in ends if end >= 0.8 * longest)
    return long[len(long) // 2]


def _join(before: str, after: str) -> str:
    """Wrapped text joined again: no space between Chinese, one between Latin words."""
    if before and before[-1].isascii() and after[0].isascii() and before[-1].isalnum():
        return f"{before} {after}"
    return before + after


def _add_table(rows: list[list[str | None]], state: _State) -> None:
    """Add a table's grid (joined to the one before if only a page break came between)."""
    grid = drop_empty_rows([[_cell(cell) for cell in row] for row in rows])
    if not grid:
        return
    count = len(grid)
    last = state.last_grid
    if not (state.grid_open and last is not None and join_split_table(last, grid)):
        state.grids.append(grid)
        state.last_grid = grid
        last = grid
    for row in last[len(last) - count :]:
        cells = [cell for cell in row if cell is not None]
        if any(cells):
            state.lines.append("\t".join(cells))
    state.grid_open = True


def _cell(text: str | None) -> str | None:
    """A cell's text with its wrapped lines joined again (a wrapped label is one label)."""
    if text is None:
        return None
    joined = ""
    for line in text.split("\n"):
        line = " ".join(line.split())
        joined = _join(joined, line) if joined and line else joined or line
    return joined
