"""`gongkai index`: incremental runs, failures, atomic switching, readers, bigram search.

Every test builds a real index on disk from the bundled sample reports.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from indexer.errors import IndexerError, IndexLocked, IndexMissing
from indexer.indexing.build import run_index
from indexer.indexing.generations import LOCK
from indexer.indexing.records import RecordDB
from indexer.indexing.snapshot import IndexSnapshot, open_index

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
CHANGSHENG = "000_"  # 长胜乡
SHENGCHANG = "004_"  # 升昌镇
CHANGSHENG_TOWN = "003_"  # 长生镇


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for sample in SAMPLES:
        shutil.copy(sample, folder / sample.name)
    return folder


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    return tmp_path / "index"


def copies(folder: Path, count: int) -> None:
    """``count`` reports made from the samples, each slightly different so hashes differ."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        sample = SAMPLES[n % len(SAMPLES)]
        text = sample.read_text(encoding="utf-8") + f"\n本报告副本{folder.name}编号{n}。\n"
        (folder / f"copy{n:05d}_{sample.name}").write_text(text, encoding="utf-8")


def source_names(snapshot: IndexSnapshot, words: str) -> list[str]:
    """The file names of the reports a search finds, best first."""
    hits = snapshot.search(words, size=50).hits
    return [Path(snapshot.records[h.report_id].source.path).name for h in hits]


def test_first_run_indexes_every_sample(corpus: Path, index_dir: Path) -> None:
    summary = run_index([corpus], index_dir, progress=False)
    assert (summary.indexed, summary.unchanged, summary.removed, summary.failed) == (5, 0, 0, [])
    assert summary.describe().startswith("indexed 5, unchanged 0, removed 0, failed 0")
    with open_index(index_dir) as snapshot:
        assert len(snapshot.records) == 5
        assert {r.township for r in snapshot.records.values()} >= {"长胜乡", "升昌镇"}


def test_unchanged_files_are_not_parsed_again(corpus: Path, index_dir: Path) -> None:
    first = run_index([corpus], index_dir, progress=False)
    second = run_index([corpus], index_dir, progress=False)
    assert (second.indexed, second.unchanged, second.removed) == (0, 5, 0)
    assert second.generation == first.generation  # nothing changed: no new generation


def test_changed_file_replaces_its_record(corpus: Path, index_dir: Path) -> None:
    run_index([corpus], index_dir, progress=False)
    changed = next(corpus.glob(f"{SHENGCHANG}*"))
    changed.write_text(
        changed.read_text(encoding="utf-8") + "\n另设立意见箱收集群众建议。\n", encoding="utf-8"
    )
    summary = run_index([corpus], index_dir, progress=False)
    assert (summary.indexed, summary.unchanged, summary.removed) == (1, 4, 0)
    with open_index(index_dir) as snapshot:
        assert len(snapshot.records) == 5
        assert source_names(snapshot, "意见箱") == [changed.name]


def test_records_made_by_other_code_are_made_again(corpus: Path, index_dir: Path) -> None:
    """An index written by another version of the indexer is not trusted file by file."""
    first = run_index([corpus], index_dir, progress=False)
    manifest_path = index_dir / str(first.generation) / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["code"] = "an older indexer"
    for entry in manifest["files"].values():
        entry["code"] = "an older indexer"
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    summary = run_index([corpus], index_dir, progress=False)
    assert (summary.indexed, summary.unchanged) == (5, 0)
    assert summary.generation != first.generation
    with open_index(index_dir) as snapshot:
        assert len(snapshot.records) == 5
        assert snapshot.search("三审三校").total == 1


def test_removed_file_disappears(corpus: Path, index_dir: Path) -> None:
    run_index([corpus], index_dir, progress=False)
    next(corpus.glob(f"{CHANGSHENG}*")).unlink()
    summary = run_index([corpus], index_dir, progress=False)
    assert (summary.indexed, summary.unchanged, summary.removed) == (0, 4, 1)
    with open_index(index_dir) as snapshot:
        assert len(snapshot.records) == 4
        assert snapshot.search("胜乡").hits == []


def test_reports_outside_this_runs_paths_are_kept(tmp_path: Path, index_dir: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    shutil.copy(SAMPLES[0], first)
    shutil.copy(SAMPLES[1], second)
    run_index([first], index_dir, progress=False)
    summary = run_index([second], index_dir, progress=False)
    assert (summary.indexed, summary.removed) == (1, 0)
    with open_index(index_dir) as snapshot:
        assert len(snapshot.records) == 2


def test_folders_give_every_format_the_reader_takes(tmp_path: Path, index_dir: Path) -> None:
    pages = tmp_path / "pages"
    shutil.copytree(
        ROOT / "tests" / "fixtures", pages, ignore=shutil.ignore_patterns("*.py", "*.md")
    )
    summary = run_index([pages], index_dir, progress=False)
    assert summary.failed == []
    with open_index(index_dir) as snapshot:
        formats = {Path(r.source.path).suffix for r in snapshot.records.values()}
    assert formats == {".htm", ".html", ".xhtml", ".shtml"}


def test_bad_files_are_reported_and_the_rest_indexed(corpus: Path, index_dir: Path) -> None:
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.html").write_bytes(bytes(range(256)) * 64)
    (corpus / "picture.png").write_bytes(b"\x89PNG")  # not a report type: passed over
    summary = run_index([corpus], index_dir, progress=False)
    assert summary.indexed == 5
    failed = dict(summary.failed)
    assert set(failed) == {str(corpus / "empty.txt"), str(corpus / "binary.html")}
    assert all(reason.strip() for reason in failed.values())
    assert str(corpus / "empty.txt") in summary.describe()
    with open_index(index_dir) as snapshot:
        assert len(snapshot.records) == 5


def test_named_paths_that_cannot_be_indexed(corpus: Path, index_dir: Path) -> None:
    (corpus / "notes.xlsx").write_bytes(b"PK")
    summary = run_index(
        [corpus / SAMPLES[0].name, corpus / "notes.xlsx", corpus / "absent.txt"],
        index_dir,
        progress=False,
    )
    assert summary.indexed == 1
    assert [p for p, _ in summary.skipped] == [str(corpus / "notes.xlsx")]
    assert summary.failed == [(str(corpus / "absent.txt"), "no such file or folder")]


def test_rebuild_starts_over(corpus: Path, index_dir: Path) -> None:
    run_index([corpus], index_dir, progress=False)
    summary = run_index([corpus], index_dir, rebuild=True, progress=False)
    assert (summary.indexed, summary.unchanged) == (5, 0)
    with open_index(index_dir) as snapshot:
        assert len(snapshot.records) == 5


def test_unreadable_index_says_to_rebuild(corpus: Path, index_dir: Path) -> None:
    first = run_index([corpus], index_dir, progress=False)
    gen_dir = index_dir / str(first.generation)
    (index_dir / "records.sqlite").write_bytes(b"not a database at all" * 100)
    for suffix in ("-wal", "-shm"):
        (index_dir / f"records.sqlite{suffix}").unlink(missing_ok=True)
    with pytest.raises(IndexerError, match="--rebuild"):
        open_index(index_dir)
    with pytest.raises(IndexerError, match="--rebuild"):
        run_index([corpus], index_dir, progress=False)
    (gen_dir / "manifest.json").write_text("{", encoding="utf-8")
    with pytest.raises(IndexerError, match="--rebuild"):
        run_index([corpus], index_dir, progress=False)
    summary = run_index([corpus], index_dir, rebuild=True, progress=False)
    assert summary.indexed == 5
    with open_index(index_dir) as snapshot:
        assert len(snapshot.records) == 5


def test_lost_records_are_made_again(corpus: Path, index_dir: Path) -> None:
    run_index([corpus], index_dir, progress=False)
    with sqlite3.connect(index_dir / "records.sqlite") as db:
        db.execute("DELETE FROM reports WHERE row = (SELECT min(row) FROM reports)")
    summary = run_index([corpus], index_dir, progress=False)
    assert (summary.indexed, summary.unchanged) == (1, 4)
    with open_index(index_dir) as snapshot:
        assert len(snapshot.records) == 5


def test_records_of_other_code_are_made_again(corpus: Path, index_dir: Path) -> None:
    """After an upgrade that changed the parser, an index run reads every file again."""
    first = run_index([corpus], index_dir, progress=False)
    gen_dir = index_dir / str(first.generation)
    manifest = json.loads((gen_dir / "manifest.json").read_text(encoding="utf-8"))
    manifest["code"] = "an older indexer"
    for entry in manifest["files"].values():
        entry["code"] = "an older indexer"
    (gen_dir / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    summary = run_index([corpus], index_dir, progress=False)
    assert (summary.indexed, summary.unchanged) == (5, 0)
    with open_index(index_dir) as snapshot:
        assert len(snapshot.records) == 5


def test_an_index_of_the_older_layout_is_made_again(corpus: Path, index_dir: Path) -> None:
    """A generation of the first layout (records.jsonl beside the store) is read as nothing:
    the reader says to index again, and an index run reads every file again."""
    first = run_index([corpus], index_dir, progress=False)
    gen_dir = index_dir / str(first.generation)
    manifest = json.loads((gen_dir / "manifest.json").read_text(encoding="utf-8"))
    manifest["format"] = 1
    del manifest["seq"]
    (gen_dir / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (gen_dir / "generation.json").unlink()  # the first layout had only the manifest
    with pytest.raises(IndexerError, match="--rebuild"):
        open_index(index_dir)
    summary = run_index([corpus], index_dir, progress=False)
    assert (summary.indexed, summary.unchanged) == (5, 0)
    with open_index(index_dir) as snapshot:
        assert len(snapshot.records) == 5


def test_cli_prints_the_summary(corpus: Path, index_dir: Path) -> None:
    (corpus / "empty.txt").write_bytes(b"")
    cli = subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "index", "--index-dir", str(index_dir), str(corpus)],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert cli.returncode == 0
    lines = cli.stdout.splitlines()
    assert lines[0] == "indexed 5, unchanged 0, removed 0, failed 1"
    assert lines[1].startswith(f"  failed: {corpus / 'empty.txt'}: ")
    assert cli.stderr == ""  # no progress bar when stderr is not a terminal


def test_no_index_is_index_missing(index_dir: Path) -> None:
    with pytest.raises(IndexMissing, match="gongkai index"):
        open_index(index_dir)
    assert issubclass(IndexMissing, FileNotFoundError)


def test_no_progress_bar_off_a_terminal(
    corpus: Path, index_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_index([corpus], index_dir, progress=True)
    assert capsys.readouterr().err == ""


def test_second_run_at_once_is_refused(corpus: Path, index_dir: Path) -> None:
    index_dir.mkdir()
    with (index_dir / LOCK).open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(IndexLocked, match="another index run"):
            run_index([corpus], index_dir, progress=False)
        cli = subprocess.run(
            [sys.executable, "-m", "gongkai.cli", "index", "--index-dir", str(index_dir),
             "--no-progress", str(corpus)],
            capture_output=True, text=True, cwd=ROOT, check=False,
        )  # fmt: skip
    assert cli.returncode == 2
    assert "another index run" in cli.stderr
    assert "Traceback" not in cli.stderr


# Search over the samples


def test_bigrams_find_name_parts_and_phrases(corpus: Path, index_dir: Path) -> None:
    run_index([corpus], index_dir, progress=False)
    with open_index(index_dir) as snapshot:
        assert [n[:4] for n in source_names(snapshot, "胜乡")] == [CHANGSHENG]
        assert [n[:4] for n in source_names(snapshot, "三审三校")] == [CHANGSHENG_TOWN]
        assert sorted(n[:4] for n in source_names(snapshot, "微信公众号")) == [
            CHANGSHENG,
            SHENGCHANG,
        ]
        for words in ("胜乡", "三审三校", "微信公众号", "依申请公开"):
            found = snapshot.search(words)
            assert found.total == len(found.hits) > 0, words
            for hit in found.hits:
                assert any(f"<mark>{words}</mark>" in s.html for s in hit.snippets), words
                assert all("<mark>" not in s.text for s in hit.snippets)
                sections = snapshot.records[hit.report_id].sections
                assert all(s.section is None or s.section in sections for s in hit.snippets)


def test_phrases_are_exact(corpus: Path, index_dir: Path) -> None:
    """A report holding every bigram of a phrase, but not the phrase, is not a hit."""
    other = next(corpus.glob("001_*"))
    other.write_text(
        other.read_text(encoding="utf-8") + "\n建设微信公众平台，群众号召力强。\n", encoding="utf-8"
    )
    run_index([corpus], index_dir, progress=False)
    with open_index(index_dir) as snapshot:
        assert sorted(n[:4] for n in source_names(snapshot, "微信公众号")) == [
            CHANGSHENG,
            SHENGCHANG,
        ]
        assert snapshot.search("微信公众号").total == 2


def test_one_character_finds_reports_holding_it(corpus: Path, index_dir: Path) -> None:
    run_index([corpus], index_dir, progress=False)
    with open_index(index_dir) as snapshot:
        found = snapshot.search("镇")
        towns = {snapshot.records[h.report_id].township for h in found.hits}
        assert {"长生镇", "升昌镇"} <= towns
        assert all("<mark>镇</mark>" in h.snippets[0].html for h in found.hits)


def test_snippet_html_is_escaped(corpus: Path, index_dir: Path) -> None:
    (corpus / "markup.txt").write_text(
        SAMPLES[0].read_text(encoding="utf-8") + "\n见<script>alert(1)</script>微信公众号&栏目\n",
        encoding="utf-8",
    )
    run_index([corpus], index_dir, progress=False)
    with open_index(index_dir) as snapshot:
        for hit in snapshot.search("微信公众号", size=10).hits:
            for snippet in hit.snippets:
                bare = re.sub(r"</?mark>", "", snippet.html)
                assert "<" not in bare and ">" not in bare


def test_query_syntax_and_junk(corpus: Path, index_dir: Path) -> None:
    run_index([corpus], index_dir, progress=False)
    with open_index(index_dir) as snapshot:
        assert snapshot.search("AND OR (((").total == 0
        for junk in ("", "(((", "😀"):
            with pytest.raises(ValueError, match="nothing to search for"):
                snapshot.search(junk)


def test_paging(corpus: Path, index_dir: Path) -> None:
    run_index([corpus], index_dir, progress=False)
    with open_index(index_dir) as snapshot:
        everything = snapshot.search("政府信息公开", size=10)
        pages = [snapshot.search("政府信息公开", page=p, size=2) for p in (1, 2, 3)]
    assert everything.total == 5
    assert [p.total for p in pages] == [5, 5, 5]
    assert [h.report_id for p in pages for h in p.hits] == [h.report_id for h in everything.hits]


def test_searches_from_many_threads_agree(corpus: Path, index_dir: Path) -> None:
    run_index([corpus], index_dir, progress=False)
    words = ["微信公众号", "胜乡", "镇", "三审三校", "政府信息公开"] * 8
    with open_index(index_dir) as snapshot:
        alone = [snapshot.search(w) for w in words]
        with ThreadPoolExecutor(max_workers=4) as pool:
            together = list(pool.map(snapshot.search, words))
    assert together == alone


# Never a broken index


def test_readers_keep_answering_during_and_after_a_run(corpus: Path, index_dir: Path) -> None:
    run_index([corpus], index_dir, progress=False)
    before = open_index(index_dir)
    copies(corpus / "more", 40)
    answers: list[int] = []
    worker = threading.Thread(target=run_index, args=([corpus], index_dir, False, False))
    worker.start()
    while worker.is_alive():
        answers.append(before.search("微信公众号").total)
    worker.join()
    answers.append(before.search("微信公众号").total)
    assert set(answers) == {2}
    assert not before.is_current()
    with open_index(index_dir) as after:
        assert after.is_current()
        assert len(after.records) == 45
    before.close()


def test_a_generation_in_use_is_not_removed(corpus: Path, index_dir: Path) -> None:
    run_index([corpus], index_dir, progress=False)
    oldest = open_index(index_dir)
    for n in range(3):
        copies(corpus / f"batch{n}", 2)
        run_index([corpus], index_dir, progress=False)
    assert (index_dir / oldest.generation).is_dir()
    assert oldest.search("胜乡").total == 1
    oldest.close()
    copies(corpus / "last", 1)
    run_index([corpus], index_dir, progress=False)
    assert not (index_dir / oldest.generation).exists()
    assert len(list(index_dir.glob("gen-*"))) == 1  # the previous one goes once unread


@pytest.mark.slow
def test_killed_run_leaves_the_previous_index(corpus: Path, index_dir: Path) -> None:
    run_index([corpus], index_dir, progress=False)
    copies(corpus / "many", 200)
    run = subprocess.Popen(
        [sys.executable, "-m", "gongkai.cli", "index", "--index-dir", str(index_dir),
         "--no-progress", str(corpus)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    started = wait_for_store_writes(index_dir, run)
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    assert started, "the run ended before it started writing its generation"
    with open_index(index_dir) as snapshot:
        assert len(snapshot.records) == 5
        assert snapshot.search("三审三校").total == 1
    summary = run_index([corpus], index_dir, progress=False)  # and the next run recovers
    assert (summary.indexed, summary.unchanged, summary.failed) == (200, 5, [])
    assert len(list(index_dir.glob("gen-*"))) == 1


def wait_for_store_writes(index_dir: Path, run: subprocess.Popen[bytes]) -> bool:
    """Wait until the run has begun writing a new generation's full-text store."""
    committed = (index_dir / "CURRENT").read_text(encoding="utf-8").strip()
    while run.poll() is None:
        for gen in index_dir.glob("gen-*"):
            if gen.name != committed and (gen / "store").is_dir():
                return True
        time.sleep(0.005)
    return False


def test_records_of_a_run_killed_before_its_switch_are_forgotten(
    corpus: Path, index_dir: Path
) -> None:
    """A run killed after its database transaction but before `CURRENT` named its
    generation: readers go on seeing the committed generation, and the next run forgets the
    rows it wrote."""
    run_index([corpus], index_dir, progress=False)
    with open_index(index_dir) as snapshot:
        victim = snapshot.reports([next(iter(snapshot.records))])
    ((report_id, report),) = victim.items()
    db = RecordDB(index_dir)
    db.begin()
    db.put(report.model_copy(update={"township": "改写乡"}))
    db.put(report.model_copy(update={"id": "stray", "township": "多余镇"}))
    db.commit()  # ...and the run dies here, before the pointer switch
    db.close()
    with open_index(index_dir) as snapshot:
        assert len(snapshot.records) == 5
        assert snapshot.records[report_id].township == report.township
        assert "stray" not in {row.id for row in snapshot.rows()}
    summary = run_index([corpus], index_dir, progress=False)
    assert (summary.indexed, summary.unchanged) == (0, 5)
    with open_index(index_dir) as snapshot:
        towns = {row.township for row in snapshot.rows()}
        assert len(towns) == 5 and "改写乡" not in towns and "多余镇" not in towns
