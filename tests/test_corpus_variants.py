"""The whole-report corpus in the other states the same text reaches us in.

Each text report of ``tests/corpus/reports/`` is also read after a change that real copies
undergo, and must give the same values:

- printed to PDF and copied back out: its prose wrapped at the page width, as Word lays out
  Chinese (a line may break between any two Chinese characters, never inside a number, an
  e-mail address or a web address), with page numbers between pages. Tables are left as they
  are, so only what the prose states is compared: who issued the report, where, the year, the
  contact details and the published items.
- typed with full-width digits (２０２３年, ０５７２－８２９１２３４): every stated value.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import pytest

from indexer import parse_text
from indexer.models import Report
from tests.corpus_fields import CHECKS_KEY, flatten
from tests.test_corpus_reports import CORPUS

PAGE_WIDTH = 56  # columns: 28 Chinese characters, the line of an official document
PAGE_LINES = 22
PROSE_FIELDS = ("agency", "township", "county", "city", "province", "year", "contact")
PROSE_FIELDS += ("proactive.published_items",)
LATIN_RUN = r"[A-Za-z0-9@._:/#\-]+|."
FULL_WIDTH = {ord(c): ord(c) + 0xFEE0 for c in "0123456789"}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _is_prose(line: str) -> bool:
    return "\t" not in line and not re.search(r"(?:\s+[0-9.]+){3,}\s*$", line)


def _wrapped(line: str) -> list[str]:
    """``line`` laid out at the page width: breaks between characters, not in a Latin run."""
    out, current = [], ""
    for token in re.findall(LATIN_RUN, line):
        if current and _width(current + token) > PAGE_WIDTH:
            out.append(current)
            current = ""
        current += token
    return [*out, current]


def as_pdf_text(text: str) -> str:
    """``text`` as a PDF printed from it reads back: prose wrapped, page numbers between pages."""
    lines: list[str] = []
    for line in text.split("\n"):
        lines += _wrapped(line) if _is_prose(line) and _width(line) > PAGE_WIDTH else [line]
    out: list[str] = []
    for number, line in enumerate(lines, 1):
        out.append(line)
        if number % PAGE_LINES == 0 and _is_prose(line) and line.strip():
            out.append(f"- {number // PAGE_LINES} -")
    return "\n".join(out)


def _decoded(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gbk")  # the GBK-encoded report


def _texts() -> dict[str, str]:
    """The corpus reports that are plain text as written (not a page's markup, not already
    laid out by a PDF or WPS with runs of spaces)."""
    out = {}
    for path in sorted(CORPUS.folder.glob("*.txt")):
        text = _decoded(path.read_bytes())
        if "<p" not in text and not re.search(r"\S {4,}\S", text):
            out[path.stem] = text
    return out


def _stated(name: str) -> dict[str, Any]:
    expected = CORPUS.expected(name)
    return flatten({k: v for k, v in expected.items() if k != CHECKS_KEY})


def _value(report: Report, path: str) -> Any:
    current: Any = report.model_dump()
    for part in path.split("."):
        current = current[part]
    return current


def _mismatches(report: Report, stated: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {
        path: (want, _value(report, path))
        for path, want in stated.items()
        if _value(report, path) != want
    }


TEXTS = _texts()
# Texts whose paragraphs are lines of their own, several page widths long (a PDF copy already
# wrapped at its own width is left out).
WIDE = sorted(n for n, t in TEXTS.items() if max(map(_width, t.split("\n"))) > 3 * PAGE_WIDTH)


def test_variants_cover_most_of_the_corpus() -> None:
    assert len(TEXTS) >= 15
    assert len(WIDE) >= 15


@pytest.mark.parametrize("name", WIDE)
def test_printed_to_pdf_and_copied_back(name: str) -> None:
    stated = {p: v for p, v in _stated(name).items() if p.startswith(PROSE_FIELDS)}
    text = as_pdf_text(TEXTS[name])
    wrong = _mismatches(parse_text(text), stated)
    assert not wrong, f"{name}: expected / got: {wrong!r}"


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_typed_with_full_width_digits(name: str) -> None:
    wrong = _mismatches(parse_text(TEXTS[name].translate(FULL_WIDTH)), _stated(name))
    assert not wrong, f"{name}: expected / got: {wrong!r}"
