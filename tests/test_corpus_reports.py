"""Whole reports of the genre, parsed end to end and compared field by field.

``tests/corpus/reports/`` holds complete reports of 乡, 镇, 街道, 苏木 and 地区办事处 from every
part of the country, each in a state real copies arrive in: web pages copied with their chrome
(breadcrumbs, a disclosure platform's [ 标题 ] labels, footers), mobile pages with rows run
together, PDF text (cells apart by spaces, wrapped lines and labels, page numbers, headers
repeated, group labels cut between rows, one cell per line), Word tables flattened one cell
per line, WPS copies with runs of spaces, 2019/2020-format tables, Markdown (pipe and grid
tables, front matter, raw HTML), a CMS's tags and entities, an HTML page, a Word file and a
PDF, Traditional characters, GBK bytes, full-width digits, blank / "—" / "/" cells, totals
alone, the simplified applicant header, table 四 as two tables, no headings at all, a contact
block at the end, last year's period left in, and figures that do not add up. Beside each,
``<name>.expected.json`` holds the values a careful reader takes from that text: a partial
record, and only the keys it states are compared. ``checks_include`` lists check codes the
record must carry.

The Word file and the PDF are written by ``tests/corpus/make_binary_reports.py``. Each report
is read as a user reads it, through ``gongkai parse FILE --json``. Each stated field is its own
test case (``<file>:<dotted.field>``), so a known failure is marked for exactly that field and
the rest of the file still counts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.corpus_fields import Corpus

# Known failures, per file and field: "<file>:<dotted.field>" -> why it fails today.
KNOWN: dict[str, str] = {}

CORPUS = Corpus(Path(__file__).parent / "corpus" / "reports", KNOWN)


def test_every_report_has_its_expected_values() -> None:
    CORPUS.check_layout(at_least=15)


@pytest.mark.parametrize(("name", "field", "want"), CORPUS.cases())
def test_corpus_report_field(name: str, field: str, want: Any) -> None:
    CORPUS.compare(name, field, want)
