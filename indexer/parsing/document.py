"""Shapes passed between the parser's stages: a read document, its sections, table grids.

read (bytes → `Document`) → normalise → sections (`Section`) → tables (`Grid`) → narrative → checks
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from indexer.models import Check

# A table as rows of cells. A cell is its text ("" for a real but empty cell, which becomes
# a null value); ``None`` marks a position covered by another cell's rowspan/colspan.
Grid = list[list[str | None]]


@dataclass(frozen=True)
class Document:
    """One file, decoded.

    ``text`` is the visible text, one block per line; for HTML each table row is one line
    with its cells joined by tabs, so the text alone can be parsed. ``grids`` holds the real
    tables of formats that have them (HTML, later Word), in document order.
    """

    path: str
    format: str  # txt | md | html | docx | pdf
    encoding: str | None
    text: str
    grids: list[Grid] = field(default_factory=list)
    sha256: str = ""
    # Bytes that fit no character of ``encoding`` (a stray GBK footer on a UTF-8 page) and
    # were decoded as U+FFFD; see `read_checks`.
    replaced_bytes: int = 0


@dataclass(frozen=True)
class Section:
    """One of the six sections (or the preamble) of a normalised report text.

    ``start_line`` is the 1-based number, in the normalised text, of ``lines[0]``; lines keep
    their order and content, so ``start_line + i`` is where ``lines[i]`` stands.
    """

    key: str  # one of indexer.models.SECTION_KEYS
    heading: str | None
    start_line: int
    lines: list[str]
    # What readers derive from the lines once and reuse (the lines with wrapping undone).
    derived: dict[str, Any] = field(default_factory=dict, init=False, compare=False, repr=False)

    @property
    def text(self) -> str:
        """The section's lines joined with newlines."""
        return "\n".join(self.lines)


def read_checks(doc: Document) -> list[Check]:
    """What reading the file found wrong, as checks (``read_codes`` in ``rules/checks.toml``)."""
    from indexer.models import Check
    from indexer.rules import load_rules

    if not doc.replaced_bytes:
        return []
    entry = load_rules("checks")["read_codes"]["read.replaced_bytes"]
    message = entry["message"].format(count=doc.replaced_bytes, encoding=doc.encoding)
    return [Check(code="read.replaced_bytes", message=message)]
