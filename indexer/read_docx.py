"""Read Word (.docx) reports: paragraphs become lines, tables become real grids.

The body is read in document order, as Word stores it: each paragraph is one line (a soft
line break starts a new one, tabs stay tabs); each table is one `Grid` whose cells are their
text with paragraphs joined by a space; a position covered by a horizontal merge (gridSpan) or
a continued vertical merge (vMerge) is ``None``; each table row is also one tab-joined line of
the text, as for HTML. Page headers, footers and deleted revisions are not report text.
A table inside a table cell is flattened into that cell's text.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO

from docx import Document as open_docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from lxml.etree import XMLSyntaxError, _Element

from indexer.document import Grid
from indexer.errors import ExtractError

__all__ = ["docx_to_text", "looks_like_docx"]

_P, _TBL, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_R, _T, _TAB, _BR, _CR = qn("w:r"), qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
_SDT, _SDT_CONTENT, _DEL = qn("w:sdt"), qn("w:sdtContent"), qn("w:del")
_VAL = qn("w:val")
_SPACES_NOT_TABS = re.compile(r"[^\S\t\n]+")


def looks_like_docx(data: bytes) -> bool:
    """True for a ZIP archive holding a Word document part."""
    return data.startswith(b"PK\x03\x04") and b"word/document.xml" in data


def docx_to_text(data: bytes, path: str) -> tuple[str, list[Grid]]:
    """The text of a .docx (one line per paragraph, table rows tab-joined) and its tables."""
    try:
        body = open_docx(BytesIO(data)).element.body
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, XMLSyntaxError):
        raise ExtractError(path, "not a readable Word (.docx) file") from None
    lines: list[str] = []
    grids: list[Grid] = []
    _blocks(body, lines, grids)
    if not any(line.strip() for line in lines):
        raise ExtractError(path, "Word file with no text")
    return "\n".join(lines), grids


def _blocks(parent: _Element, lines: list[str], grids: list[Grid]) -> None:
    """Append the paragraphs and tables under ``parent``, in order."""
    for child in parent.iterchildren():
        if child.tag == _P:
            lines.extend(line for line in _paragraph_lines(child) if line)
        elif child.tag == _TBL:
            grid = _grid(child)
            grids.append(grid)
            for row in grid:
                cells = [cell for cell in row if cell is not None]
                if any(cells):
                    lines.append("\t".join(cells))
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                _blocks(content, lines, grids)


def _paragraph_lines(paragraph: _Element) -> list[str]:
    """A paragraph's text split at soft line breaks; runs joined, tabs kept, spaces collapsed."""
    parts: list[str] = []
    for node in paragraph.iter(_T, _TAB, _BR, _CR):
        run = node.getparent()
        # Tab stops live in paragraph properties; deleted runs sit inside w:del.
        if run is None or run.tag != _R or _inside(run, _DEL, paragraph):
            continue
        if node.tag == _T:
            parts.append(node.text or "")
        elif node.tag == _TAB:
            parts.append("\t")
        else:
            parts.append("\n")
    text = "".join(parts)
    return [_SPACES_NOT_TABS.sub(" ", line).strip() for line in text.split("\n")]


def _inside(node: _Element, tag: str, stop: _Element) -> bool:
    """Whether an ancestor of ``node`` below ``stop`` has ``tag``."""
    parent = node.getparent()
    while parent is not None and parent is not stop:
        if parent.tag == tag:
            return True
        parent = parent.getparent()
    return False


def _grid(table: _Element) -> Grid:
    """Rows of cell texts; merged-over positions are ``None``."""
    grid: Grid = []
    for row in table.iterchildren(_TR):
        cells: list[str | None] = [""] * _property(row, "w:trPr", "w:gridBefore", 0)
        for cell in row.iterchildren(_TC):
            span = max(1, _property(cell, "w:tcPr", "w:gridSpan", 1))
            if _continues_vertical_merge(cell):
                cells.extend([None] * span)
            else:
                cells.append(_cell_text(cell))
                cells.extend([None] * (span - 1))
        grid.append(cells)
    return grid


def _property(node: _Element, holder: str, name: str, default: int) -> int:
    """An integer ``w:val`` of a row or cell property, or ``default``."""
    found = node.find(f"{qn(holder)}/{qn(name)}")
    value = found.get(_VAL) if found is not None else None
    return int(value) if value and value.isdigit() else default


def _continues_vertical_merge(cell: _Element) -> bool:
    merge = cell.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
    return merge is not None and merge.get(_VAL, "continue") == "continue"


def _cell_text(cell: _Element) -> str:
    """All text of a cell (nested tables included), whitespace collapsed to single spaces."""
    lines = [line for p in cell.iter(_P) for line in _paragraph_lines(p)]
    return " ".join(" ".join(lines).split())
