"""Golden records: each sample report parses to exactly its reviewed JSON in tests/golden/.

The golden files were checked by hand against the sample texts. To regenerate them on purpose
(after a deliberate parser change), run

    GONGKAI_REGEN_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py

then read ``git diff tests/golden`` line by line before committing: every changed value must be
one you can point to in the sample text.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from indexer import parse_file
from tests.conftest import ROOT, SAMPLE_PATHS, sample_path

GOLDEN_DIR = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("GONGKAI_REGEN_GOLDEN") == "1"


def _record(path: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    monkeypatch.chdir(ROOT)  # source.path is stored relative to the project
    return parse_file(path.relative_to(ROOT)).model_dump(mode="json")


def _dump(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, indent=2) + "\n"


@pytest.mark.parametrize("path", SAMPLE_PATHS, ids=[p.stem for p in SAMPLE_PATHS])
def test_sample_matches_golden(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    golden = GOLDEN_DIR / f"{path.stem}.json"
    record = _record(path, monkeypatch)
    if REGENERATE:
        golden.write_text(_dump(record), encoding="utf-8")
    expected = json.loads(golden.read_text(encoding="utf-8"))
    assert record == expected


def test_every_sample_has_a_golden_file() -> None:
    assert sorted(p.stem for p in GOLDEN_DIR.glob("*.json")) == [p.stem for p in SAMPLE_PATHS]


# The values the users named, asserted on their own so a regenerated golden cannot drop them.
KNOWN = [
    ("002", "township", "幸福乡"),
    ("002", "applications.new.natural_person", 1),
    ("002", "applications.new.total", 1),
    ("002", "applications.carried_over.total", 0),
    ("002", "applications.unavailable_not_held.natural_person", 1),
    ("002", "applications.total_processed.total", 1),
    ("002", "applications.carried_forward.total", 0),
    ("002", "proactive.coercion", None),
    ("003", "township", "长生镇"),
    ("003", "proactive.licensing", 94),
    ("003", "proactive.penalties", 19),
    ("003", "contact.phones", []),
    ("003", "contact.website", "http://www.psx.gov.cn/zfjz/hjjdbsc_83802/"),
    ("001", "township", "东沟乡"),
    ("001", "contact.phones", ["0972-8390165"]),
    ("001", "county", "互助土族自治县"),
    ("001", "city", "海东市"),
    ("001", "province", "青海省"),
    ("000", "agency", "岭东区长胜乡人民政府"),
    ("000", "township", "长胜乡"),
    ("000", "contact.phones", ["0469-6101183"]),
    ("000", "contact.postcode", "155120"),
    ("000", "contact.email", "ldqcsxggyx@126.com"),
    ("000", "contact.website", "http://www.sysld.gov.cn/"),
    ("000", "county", "岭东区"),
    ("000", "city", "双鸭山市"),
    ("000", "province", "黑龙江省"),
    ("000", "proactive.published_items", None),
    ("004", "township", "升昌镇"),
    ("004", "county", "集贤县"),
    ("004", "city", "双鸭山市"),
    ("004", "province", "黑龙江省"),
    ("004", "contact.postcode", "155900"),
    ("004", "contact.website", "www.jixian.gov.cn"),
]


@pytest.mark.parametrize(("sample", "field", "value"), KNOWN, ids=[f"{k[0]}-{k[1]}" for k in KNOWN])
def test_known_values(sample: str, field: str, value, monkeypatch: pytest.MonkeyPatch) -> None:
    found = _record(sample_path(sample), monkeypatch)
    for part in field.split("."):
        found = found[part]
    assert found == value


@pytest.mark.parametrize("path", SAMPLE_PATHS, ids=[p.stem for p in SAMPLE_PATHS])
def test_identity_holds_on_every_sample(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    checks = _record(path, monkeypatch)["checks"]
    assert not [c for c in checks if c["code"].startswith("applications.")]
