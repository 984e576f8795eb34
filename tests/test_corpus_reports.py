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

import contextlib
import io
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from gongkai.cli import main

CORPUS = Path(__file__).parent / "corpus" / "reports"
CHECKS_KEY = "checks_include"

# Known failures, per file and field: "<file>:<dotted.field>" -> why it fails today.
KNOWN: dict[str, str] = {}


def _sources() -> dict[str, Path]:
    return {p.name.split(".")[0]: p for p in CORPUS.iterdir() if ".expected." not in p.name}


def _expected(name: str) -> dict[str, Any]:
    return json.loads((CORPUS / f"{name}.expected.json").read_text(encoding="utf-8"))


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Dotted paths to the stated leaves; a list (phones) is one leaf."""
    out: dict[str, Any] = {}
    for key, want in tree.items():
        path = f"{prefix}{key}"
        if isinstance(want, dict):
            out.update(_flatten(want, path + "."))
        else:
            out[path] = want
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
    assert len(sources) >= 15
    missing = [n for n in sources if not (CORPUS / f"{n}.expected.json").exists()]
    assert not missing, f"no expected values for {missing}"


def test_known_failures_name_stated_fields() -> None:
    ids = {c.id for c in _cases()}
    assert not set(KNOWN) - ids, f"known failures that name no stated field: {set(KNOWN) - ids}"


@pytest.mark.parametrize(("name", "field", "want"), _cases())
def test_corpus_report_field(name: str, field: str, want: Any) -> None:
    got = _got(_record(name), field)
    assert got == want, f"{name}: {field}: expected {want!r}, got {got!r}"
