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

import contextlib
import io
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from gongkai.cli import main

CORPUS = Path(__file__).parent / "corpus" / "tables"
CHECKS_KEY = "checks_include"

# Known failures, per file and field: "<file>:<dotted.field>" -> why it fails today.
_TRAILING_EMPTY = (
    "table 四 copied one cell per line with its last ten cells empty: the empty lines at the "
    "row's end cannot be told from the blank lines after a table, so 5 values under 15 "
    "columns stay unplaced (row_ambiguous)"
)
KNOWN: dict[str, str] = {
    f"js_xukou_word_cells_empty:reviews.{key}": _TRAILING_EMPTY
    for key in ("upheld", "corrected", "other", "pending", "total")
}


def _sources() -> dict[str, Path]:
    return {p.name.split(".")[0]: p for p in CORPUS.iterdir() if ".expected." not in p.name}


def _expected(name: str) -> dict[str, Any]:
    return json.loads((CORPUS / f"{name}.expected.json").read_text(encoding="utf-8"))


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Dotted paths to the stated leaves."""
    out: dict[str, Any] = {}
    for key, want in tree.items():
        if isinstance(want, dict):
            out.update(_flatten(want, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = want
    return out


def _cases() -> list[Any]:
    cases = []
    for name in sorted(_sources()):
        expected = _expected(name)
        fields = _flatten({k: v for k, v in expected.items() if k != CHECKS_KEY})
        fields.update({f"{CHECKS_KEY}.{code}": True for code in expected.get(CHECKS_KEY, [])})
        for field, want in fields.items():
            case_id = f"{name}:{field}"
            marks = []
            if case_id in KNOWN:
                marks = [pytest.mark.xfail(strict=True, reason=KNOWN[case_id])]
            cases.append(pytest.param(name, field, want, id=case_id, marks=marks))
    return cases


@cache
def _record(name: str) -> dict[str, Any]:
    """The record ``gongkai parse FILE --json`` prints for the report ``name``."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["parse", str(_sources()[name]), "--json"])
    assert code == 0, f"{name}: gongkai parse exited with {code}"
    return json.loads(out.getvalue())


def _got(record: dict[str, Any], field: str) -> Any:
    if field.startswith(CHECKS_KEY + "."):
        return field.split(".", 1)[1] in {c["code"] for c in record["checks"]}
    current: Any = record
    for part in field.split("."):
        current = current[part]
    return current


def test_every_report_has_its_expected_values() -> None:
    sources = _sources()
    assert len(sources) >= 12
    missing = [n for n in sources if not (CORPUS / f"{n}.expected.json").exists()]
    assert not missing, f"no expected values for {missing}"


def test_every_report_states_all_three_tables() -> None:
    for name in _sources():
        stated = _expected(name)
        assert len(stated["applications"]) >= 24, f"{name}: table 三 not stated in full"
        assert {"proactive", "reviews", "lawsuits_direct", "lawsuits_after_review"} <= set(stated)


def test_known_failures_name_stated_fields() -> None:
    ids = {c.id for c in _cases()}
    assert not set(KNOWN) - ids, f"known failures that name no stated field: {set(KNOWN) - ids}"


@pytest.mark.parametrize(("name", "field", "want"), _cases())
def test_corpus_table_field(name: str, field: str, want: Any) -> None:
    got = _got(_record(name), field)
    assert got == want, f"{name}: {field}: expected {want!r}, got {got!r}"
