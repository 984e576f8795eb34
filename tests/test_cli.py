"""The ``gongkai`` command line: what a user types and what they read back."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gongkai.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_parse_json_prints_one_record(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "parse", str(next(SAMPLES.glob("003_*.txt"))), "--json")
    record = json.loads(out)
    assert code == 0
    assert record["township"] == "长生镇"
    assert record["proactive"]["licensing"] == 94
    assert set(record["applications"]) >= {"new", "total_processed", "carried_forward"}


@pytest.mark.parametrize("before", [True, False], ids=["option-first", "option-last"])
def test_index_then_ask_honours_index_dir(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, before: bool
) -> None:
    index = ["--index-dir", str(tmp_path / "idx")]
    code, out, _ = _run(capsys, *index, "index", str(SAMPLES), "--no-progress")
    assert code == 0
    assert "indexed 5" in out
    ask = ["ask", "长胜乡的联系电话", "--json"]
    code, out, _ = _run(capsys, *(index + ask if before else ask + index))
    answer = json.loads(out)
    assert code == 0
    assert answer["intent"] == "contact"
    assert "0469-6101183" in answer["text"]


def test_bad_question_is_one_line_not_a_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _run(capsys, "index", str(SAMPLES), "--index-dir", str(tmp_path / "idx"), "--no-progress")
    code, _, err = _run(capsys, "ask", "   ", "--index-dir", str(tmp_path / "idx"))
    assert code == 2
    assert err.startswith("gongkai: ")
    assert "Traceback" not in err


def test_missing_index_says_what_to_do(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = _run(capsys, "ask", "长胜乡电话", "--index-dir", str(tmp_path / "none"))
    assert code == 2
    assert "gongkai index" in err


def test_unreadable_report_names_the_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, _, err = _run(capsys, "parse", str(empty))
    assert code == 2
    assert str(empty) in err


def test_missing_config_file_is_an_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = _run(capsys, "--config", str(tmp_path / "nope.toml"), "parse", "x.txt")
    assert code == 2
    assert "config file not found" in err


def test_output_piped_into_a_reader_that_stops_early_ends_without_a_traceback() -> None:
    sample = str(next(SAMPLES.glob("003_*.txt")))
    process = subprocess.Popen(
        [sys.executable, "-m", "gongkai.cli", "parse", sample, "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    process.stdout.close()  # like `| head` that has already read all it wanted
    err = process.stderr.read()
    process.wait(timeout=60)
    assert b"Traceback" not in err and b"BrokenPipeError" not in err, err.decode()
    assert process.returncode == 141
