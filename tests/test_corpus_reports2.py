"""A second corpus of whole reports, written apart from the first and unlike it, parsed end to end.

``tests/corpus/reports2/`` holds reports of 乡, 镇, 街道, a 地区办事处, a 林场 and a 开发区管委会 as
their offices publish them: web pages of three CMS styles (a TRS editor div, a UCAP content
div, an old table-layout page in GBK) with their chrome (breadcrumbs, 发布时间/来源/字号,
related links to other years' reports, a site footer with the site's own phone, e-mail and
ICP number); a title naming no body, the body only in the signature; contact details only in
section 六, in a 七、联系方式 block or after the signature (座机 and 手机, a fax, an upper-case
e-mail, a website without http); big-city street offices; long ethnic place names in 新疆 and
黑龙江; the years 2020 (in the 2019 form), 2021, 2022 and 2024 (published the next year);
blank cells ("—" and empty) and non-zero figures in every table; and prose totals that
contradict the table. Beside each, ``<name>.expected.json`` holds what a careful reader takes
from the text: a partial record, only its keys are compared; ``checks_include`` lists check
codes the record must carry. Each stated field is its own case (``<file>:<dotted.field>``).
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

CORPUS = Path(__file__).parent / "corpus" / "reports2"
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
    assert len(sources) >= 12
    missing = [n for n in sources if not (CORPUS / f"{n}.expected.json").exists()]
    assert not missing, f"no expected values for {missing}"


def test_known_failures_name_stated_fields() -> None:
    ids = {c.id for c in _cases()}
    assert not set(KNOWN) - ids, f"known failures that name no stated field: {set(KNOWN) - ids}"


@pytest.mark.parametrize(("name", "field", "want"), _cases())
def test_corpus_report_field(name: str, field: str, want: Any) -> None:
    got = _got(_record(name), field)
    assert got == want, f"{name}: {field}: expected {want!r}, got {got!r}"
