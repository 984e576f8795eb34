"""Parse one report file or text into a `Report` (placeholder until the parser lands)."""

from __future__ import annotations

from pathlib import Path

from indexer.models import Report


def parse_text(text: str, path: str = "<text>", fmt: str = "txt") -> Report:
    """Parse report text into a `Report`."""
    raise NotImplementedError


def parse_file(path: Path) -> Report:
    """Read, decode and parse one report file; `ExtractError` / `ParseError` on bad input."""
    raise NotImplementedError
