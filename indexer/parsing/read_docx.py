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
import zlib
from dataclasses import dataclass
from functools import cache
from io import BytesIO

from docx import Document as open_docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from lxml.etree import XMLSyntaxError, _Element

from indexer.errors import ExtractError, TooLarge
from indexer.parsing.document import Grid
from indexer.parsing.read_grid import grid_limits
from indexer.rules import load_rules

__all__ = ["docx_to_text", "looks_like_docx"]

_P, _TBL, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_R, _T, _TAB, _BR, _CR = qn("w:r"), qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
_SDT, _SDT_CONTENT, _DEL = qn("w:sdt"), qn("w:sdtContent"), qn("w:del")
_VAL = qn("w:val")
_SPACES_NOT_TABS = re.compile(r"[^\S\t\n]+")


def looks_like_docx(data: bytes) -> bool:
    """True for a ZIP archive holding a Word document part."""
    return data.startswith(b"PK\x03\x04") and b"word/document.xml" in data


@dataclass(frozen=True)
class _ZipLimits:
    max_members: int
    max_inflated: int
    max_xml_part: int


@cache
def _zip_limits() -> _ZipLimits:
    """The ``[docx]`` bounds of ``rules/read.toml``."""
    docx = load_rules("read")["docx"]
    return _ZipLimits(
        int(docx["max_members"]), int(docx["max_inflated"]), int(docx["max_xml_part"])
    )


def _check_zip(data: bytes) -> None:
    """Refuse a zip bomb: by the sizes the archive declares, then by what really inflates.

    The declared sizes are summed first (nothing inflated); then each part is inflated in
    chunks and dropped, stopping as soon as it passes its bound (zipfile itself never yields
    more than a part's declared size: more is a damaged archive).
    """
    limits = _zip_limits()
    with zipfile.ZipFile(BytesIO(data)) as archive:
        members = archive.infolist()
        if len(members) > limits.max_members:
            raise TooLarge(f"Word file with {len(members)} parts (at most {limits.max_members})")
        declared = sum(member.file_size for member in members)
        if declared > limits.max_inflated:
            raise TooLarge(
                f"Word file inflating to {declared} bytes (at most {limits.max_inflated})"
            )
        for member in members:
            _inflate_within(archive, member, limits)


def _inflate_within(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limits: _ZipLimits) -> None:
    """Inflate one part in chunks, raising `TooLarge` as soon as it passes its bound."""
    xml = member.filename.endswith((".xml", ".rels"))
    bound = min(member.file_size, limits.max_xml_part if xml else limits.max_inflated)
    inflated = 0
    with archive.open(member) as part:
        while chunk := part.read(1 << 20):
            inflated += len(chunk)
            if inflated > bound:
                what = "its declared size" if bound == member.file_size else f"{bound} bytes"
                raise TooLarge(f"Word part {member.filename} inflates past {what}")


def docx_to_text(data: bytes, path: str) -> tuple[str, list[Grid]]:
    """The text of a .docx (one line per paragraph, table rows tab-joined) and its tables."""
    try:
        _check_zip(data)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError):
        # NotImplementedError: a compression method zipfile does not have.
        raise ExtractError(path, "not a readable Word (.docx) file") from None
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
    """Rows of cell texts; merged-over positions are ``None``.

    Each row's width (gridBefore and every gridSpan) is checked against the ``[grid]`` bounds
    before it is laid out: `TooLarge` for a table that would pass them.
    """
    limits = grid_limits()
    grid: Grid = []
    total = 0
    for row in table.iterchildren(_TR):
        before = _property(row, "w:trPr", "w:gridBefore", 0)
        tcs = list(row.iterchildren(_TC))
        spans = [max(1, _property(cell, "w:tcPr", "w:gridSpan", 1)) for cell in tcs]
        width = before + sum(spans)
        total += width
        limits.check(len(grid) + 1, width, total)
        cells: list[str | None] = [""] * before
        for cell, span in zip(tcs, spans, strict=True):
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
