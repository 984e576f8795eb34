"""Tables 二, 三 and 四 of realistic reports with figures in many cells, compared field by field.

The samples are almost all zeros, which hides a value read into the wrong column. Each report
in ``tests/corpus/tables/`` is a whole report (title, the six headings) whose tables carry
distinct non-zero figures, flattened as real copies arrive: a web page copied with tabs, a
Word table one cell per line, PDF text with cells apart by spaces and wrapped labels, Markdown
pipe tables, an HTML page with rowspan and colspan, the 2019/2020 form, blank, "/" and "—"
cells, the merged 三、本年度办理结果 cell flattened in odd places, table 四 as two tables, and
one report whose figures do not add up (read as written, flagged by the checks).

Beside each, ``<name>.expected.json`` holds every figure written in its tables (and the year);
``checks_include`` lists check codes the record must carry. Each report is read through
``gongkai parse FILE --json``; each field is its own case (``<file>:<dotted.field>``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.corpus_fields import Corpus

_TRAILING_EMPTY = (
    "table 四 copied one cell per line with its last ten cells empty: the empty lines at the "
    "row's end cannot be told from the blank lines after a table, so 5 values under 15 "
    "columns stay unplaced (row_ambiguous)"
)
KNOWN: dict[str, str] = {
    f"js_xukou_word_cells_empty:reviews.{key}": _TRAILING_EMPTY
    for key in ("upheld", "corrected", "other", "pending", "total")
}

CORPUS = Corpus(Path(__file__).parent / "corpus" / "tables", KNOWN)


def test_every_report_has_its_expected_values() -> None:
    CORPUS.check_layout(at_least=12)


def test_every_report_states_all_three_tables() -> None:
    for name in CORPUS.sources():
        stated = CORPUS.expected(name)
        assert len(stated["applications"]) >= 24, f"{name}: table 三 not stated in full"
        assert {"proactive", "reviews", "lawsuits_direct", "lawsuits_after_review"} <= set(stated)


@pytest.mark.parametrize(("name", "field", "want"), CORPUS.cases())
def test_corpus_table_field(name: str, field: str, want: Any) -> None:
    CORPUS.compare(name, field, want)
