"""`gongkai index` against hostile files and a damaged index: each costs one failure line.

A file past its time or memory budget is stopped in its worker process and reported; the
run goes on with a fresh worker. The lock names the run that holds it; an index whose
full-text store was deleted is rebuilt by a plain run.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from indexer.errors import IndexLocked
from indexer.indexing.build import run_index
from indexer.indexing.generations import LOCK, writer_lock
from indexer.indexing.snapshot import open_index
from indexer.indexing.worker import FileBudget

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))


def big_report(path: Path, megabytes: int) -> Path:
    """A report made of one sample repeated to about ``megabytes`` MB (UTF-8)."""
    text = SAMPLES[0].read_text(encoding="utf-8")
    with path.open("w", encoding="utf-8") as out:
        for _ in range(megabytes * (1 << 20) // len(text.encode("utf-8")) + 1):
            out.write(text)
    return path


def test_file_past_the_memory_budget_is_reported_and_the_next_one_indexed(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    big = big_report(corpus / "a_big.txt", 48)
    shutil.copy(SAMPLES[1], corpus / "b_report.txt")
    budget = FileBudget(seconds=600, memory_mb=64)
    summary = run_index([corpus], tmp_path / "index", progress=False, budget=budget)
    assert summary.failed == [
        (str(big), "out of memory: reading it needed more than 64 MB (the budget)")
    ]
    assert summary.indexed == 1  # the file after it, in a fresh worker
    with open_index(tmp_path / "index") as snapshot:
        assert len(snapshot.records) == 1


def test_file_past_the_time_budget_is_stopped_and_the_run_commits(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SAMPLES[0], corpus / "b_report.txt")
    run_index([corpus], tmp_path / "index", progress=False)
    slow = big_report(corpus / "a_slow.txt", 4)  # parsing it takes seconds, not a tenth
    budget = FileBudget(seconds=0.1, memory_mb=1024)
    summary = run_index([corpus], tmp_path / "index", progress=False, budget=budget)
    assert summary.failed == [
        (str(slow), "took longer than 0.1 s (the time budget per file); stopped")
    ]
    assert summary.unchanged == 1
    with open_index(tmp_path / "index") as snapshot:
        assert len(snapshot.records) == 1


def test_budget_comes_from_the_config(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    big_report(corpus / "a_slow.txt", 4)
    config = tmp_path / "gongkai.toml"
    config.write_text("[index]\nseconds_per_file = 0.1\n", encoding="utf-8")
    cli = subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "index", "--config", str(config),
         "--index-dir", str(tmp_path / "index"), "--no-progress", str(corpus)],
        capture_output=True, text=True, cwd=ROOT, timeout=600, check=False,
    )  # fmt: skip
    assert "took longer than 0.1 s (the time budget per file)" in cli.stdout
    assert "Traceback" not in cli.stderr


# --- the lock ------------------------------------------------------------------------------


def test_lock_names_the_run_holding_it(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    index_dir.mkdir()
    with writer_lock(index_dir):
        assert (index_dir / LOCK).read_text(encoding="utf-8") == f"{os.getpid()}\n"
        with pytest.raises(IndexLocked, match=rf"another index run \(pid {os.getpid()}\)"):
            run_index([SAMPLES[0]], index_dir, progress=False)
    summary = run_index([SAMPLES[0]], index_dir, progress=False)  # released, even if left
    assert summary.indexed == 1


def test_lock_never_reads_pid_unknown(tmp_path: Path) -> None:
    """A lock held by a process that wrote no pid (or an old-style empty lock) says so plainly."""
    index_dir = tmp_path / "index"
    index_dir.mkdir()
    with (index_dir / LOCK).open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(IndexLocked) as caught:
            run_index([SAMPLES[0]], index_dir, progress=False)
    assert "?" not in str(caught.value)
    assert str(caught.value).startswith("another index run is updating")


def test_lock_left_by_a_killed_run_is_taken_over(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    index_dir.mkdir()
    (index_dir / LOCK).write_text("999999999\n", encoding="utf-8")  # its run is gone
    summary = run_index([SAMPLES[0]], index_dir, progress=False)
    assert summary.indexed == 1


# --- a damaged index ---------------------------------------------------------------------


@pytest.mark.parametrize("damage", ["store folder", "store files"])
def test_deleted_store_is_rebuilt_by_a_plain_run(tmp_path: Path, damage: str) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for sample in SAMPLES[:2]:
        shutil.copy(sample, corpus / sample.name)
    first = run_index([corpus], tmp_path / "index", progress=False)
    store = tmp_path / "index" / str(first.generation) / "store"
    if damage == "store folder":
        shutil.rmtree(store)
    else:
        for path in store.iterdir():
            path.unlink()
    summary = run_index([corpus], tmp_path / "index", progress=False)
    assert summary.generation != first.generation
    assert (summary.indexed, summary.unchanged) == (0, 2)
    with open_index(tmp_path / "index") as snapshot:
        assert snapshot.search("政府信息公开").total == 2
