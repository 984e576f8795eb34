"""Shared machinery of the end-to-end corpora: whole reports beside their expected values.

Each report ``<name>.<ext>`` has ``<name>.expected.json``: a partial record (only the keys it
states are compared) and ``checks_include``, check codes the record must carry. Reports are read
as a user reads them, through ``gongkai parse FILE --json``; each stated field is its own test
case (``<file>:<dotted.field>``), so a known failure is marked for exactly that field.
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

CHECKS_KEY = "checks_include"


class Corpus:
    """One folder of reports and their expected values; ``known`` maps case ids to reasons."""

    def __init__(self, folder: Path, known: dict[str, str] | None = None) -> None:
        self.folder = folder
        self.known = known or {}

    def sources(self) -> dict[str, Path]:
        """Report files by name (the file name up to its first dot)."""
        return {
            p.name.split(".")[0]: p for p in self.folder.iterdir() if ".expected." not in p.name
        }

    def expected(self, name: str) -> dict[str, Any]:
        """The stated values of report ``name``."""
        path = self.folder / f"{name}.expected.json"
        return json.loads(path.read_text(encoding="utf-8"))

    def cases(self) -> list[Any]:
        """One pytest param per stated field, strict-xfail where ``known`` names it."""
        cases = []
        for name in sorted(self.sources()):
            expected = self.expected(name)
            fields = flatten({k: v for k, v in expected.items() if k != CHECKS_KEY})
            fields.update({f"{CHECKS_KEY}.{code}": True for code in expected.get(CHECKS_KEY, [])})
            for field, want in fields.items():
                case_id = f"{name}:{field}"
                marks = []
                if case_id in self.known:
                    marks = [pytest.mark.xfail(strict=True, reason=self.known[case_id])]
                cases.append(pytest.param(name, field, want, id=case_id, marks=marks))
        return cases

    def check_layout(self, at_least: int) -> None:
        """Every report has expected values, and every known failure names a stated field."""
        sources = self.sources()
        assert len(sources) >= at_least
        missing = [n for n in sources if not (self.folder / f"{n}.expected.json").exists()]
        assert not missing, f"no expected values for {missing}"
        stray = set(self.known) - {c.id for c in self.cases()}
        assert not stray, f"known failures that name no stated field: {stray}"

    def compare(self, name: str, field: str, want: Any) -> None:
        """Assert that the parsed record of ``name`` holds ``want`` at ``field``."""
        got = _got(_record(self.sources()[name]), field)
        assert got == want, f"{name}: {field}: expected {want!r}, got {got!r}"


def flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Dotted paths to the stated leaves; a list (phones) is one leaf."""
    out: dict[str, Any] = {}
    for key, want in tree.items():
        path = f"{prefix}{key}"
        if isinstance(want, dict):
            out.update(flatten(want, path + "."))
        else:
            out[path] = want
    return out


@cache
def _record(path: Path) -> dict[str, Any]:
    """The record ``gongkai parse FILE --json`` prints for ``path``."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["parse", str(path), "--json"])
    assert code == 0, f"{path.name}: gongkai parse exited with {code}"
    return json.loads(out.getvalue())


def _got(record: dict[str, Any], field: str) -> Any:
    if field.startswith(CHECKS_KEY + "."):
        return field.split(".", 1)[1] in {c["code"] for c in record["checks"]}
    current: Any = record
    for part in field.split("."):
        current = current[part]
    return current
