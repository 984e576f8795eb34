"""The pure helpers of benchmarks/scale.py: no corpus is generated, no index is built."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "scale.py"


def _load():
    spec = importlib.util.spec_from_file_location("bench_scale", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


scale = _load()


def test_percentile_is_nearest_rank():
    values = [float(v) for v in range(200, 0, -1)]  # unsorted on purpose
    assert scale.percentile(values, 0.5) == 100
    assert scale.percentile(values, 0.95) == 190
    assert scale.percentile(values, 1.0) == 200
    assert scale.percentile([7.0], 0.95) == 7
    assert scale.percentile([1.0, 2.0, 3.0, 4.0], 0.0) == 1
    with pytest.raises(ValueError):
        scale.percentile([], 0.5)


def _own_rss_kb() -> int:
    status = Path("/proc/self/status").read_text().splitlines()
    return int(next(line for line in status if line.startswith("VmRSS:")).split()[1])


def test_tree_rss_sums_the_process_and_its_children():
    alone = scale.tree_rss_kb(os.getpid())
    own = _own_rss_kb()
    assert alone > 0
    assert abs(alone - own) < max(2048, own // 10)  # this process only: about its own VmRSS
    child = subprocess.Popen(["sleep", "30"])
    try:
        grandchild_parent = subprocess.Popen(["sh", "-c", "sleep 30 & wait"])
        try:
            for _ in range(100):  # until sh has forked its sleep
                tree = scale.process_tree(os.getpid())
                if len(tree) >= 4:
                    break
                subprocess.run(["sleep", "0.02"])
            assert child.pid in tree and grandchild_parent.pid in tree
            assert len(tree) >= 4  # self, sleep, sh and sh's sleep
            children = sum(scale.vm_rss_kb(p) for p in tree if p != os.getpid())
            assert children > 0
            total = scale.tree_rss_kb(os.getpid())
            assert total >= scale.vm_rss_kb(child.pid) + scale.vm_rss_kb(grandchild_parent.pid)
        finally:
            grandchild_parent.kill()
            grandchild_parent.wait()
    finally:
        child.kill()
        child.wait()
    assert scale.vm_rss_kb(child.pid) == 0  # gone


def test_disk_usage_counts_a_hard_linked_file_once(tmp_path):
    (tmp_path / "a").write_bytes(b"x" * 100_000)
    once = scale.disk_usage(tmp_path)
    assert once >= 100_000
    os.link(tmp_path / "a", tmp_path / "b")
    assert scale.disk_usage(tmp_path) == once
    (tmp_path / "c").write_bytes(b"y" * 100_000)
    assert scale.disk_usage(tmp_path) >= once + 100_000


def test_markdown_table():
    text = scale.markdown_table(["engine", "time"], [["whoosh", "1.0 s"], ["a|b", "2 s"]])
    assert text.splitlines() == [
        "| engine | time |",
        "| --- | ---: |",
        "| whoosh | 1.0 s |",
        "| a\\|b | 2 s |",
    ]
    with pytest.raises(ValueError):
        scale.markdown_table(["one", "two"], [["only one"]])


def test_size_row_of_a_failed_engine_has_every_column():
    row = scale.size_row({"engine": "tantivy", "failed": "not taken"})
    assert len(row) == len(scale.SIZE_HEADERS)
    assert row[:2] == ["tantivy", "failed: not taken"]


def test_size_row_of_a_run():
    result = {
        "engine": "whoosh",
        "first_index_s": 61.23,
        "first_peak_rss_kb": 512 * 1024,
        "first_disk_bytes": 40 * 1024**2,
        "unchanged_s": 2.5,
        "changed_s": 4.0,
        "changed_peak_rss_kb": 300 * 1024,
        "changed_disk_bytes": 80 * 1024**2,
        "server_start_s": 1.5,
        "server_rss_warm_kb": 200 * 1024,
        "server_rss_after_kb": 210 * 1024,
        "ask_s": [1.2, 1.0, 1.1],
    }
    assert scale.size_row(result) == [
        "whoosh",
        "61.2 s",
        "512 MB",
        "40 MB",
        "2.50 s",
        "4.00 s / 300 MB / 80 MB",
        "1.50 s",
        "200 / 210 MB",
        "1.00–1.20 s",
    ]


TRUTH = [
    {"township": "六广乡", "year": 2023, "phone": "029-1", "applications_new": 0,
     "province": "陕西省"},
    {"township": "集八镇", "year": 2021, "phone": None, "applications_new": 3,
     "province": "湖北省"},
    {"township": "曙洲乐街道", "year": 2022, "phone": "0974-2", "applications_new": 1,
     "province": "青海省"},
]  # fmt: skip


def test_questions_come_from_the_truth():
    questions = scale.build_questions(TRUTH)
    assert set(questions) == set(scale.EXPECTED_INTENT)
    assert questions["contact"] == ["六广乡电话", "曙洲乐街道电话"]  # those with a phone
    assert questions["filter"] == [
        "2021年有哪些乡镇收到了政府信息公开申请",
        "2022年有哪些乡镇收到了政府信息公开申请",
    ]
    assert "广乡" in questions["keyword"] and "乐街道" in questions["keyword"]
    assert all(" " in q for q in questions["two keywords"])
    assert all("没有" in q and "年的报告" in q for q in questions["coverage"])
    assert all(questions.values())


def test_summary_line_and_changed_line():
    assert scale.parse_summary("indexed 3, unchanged 2, removed 0, failed 1\n  failed: x") == {
        "indexed": 3,
        "unchanged": 2,
        "removed": 0,
        "failed": 1,
    }
    assert scale.parse_summary("gongkai: error") is None
    assert scale.changed_line(1) != scale.changed_line(2)


def test_change_files_never_writes_through_a_hard_link(tmp_path):
    cache, scratch = tmp_path / "cache", tmp_path / "scratch"
    cache.mkdir()
    for n in range(200):
        (cache / f"{n:06d}.txt").write_text(f"报告{n}\n", encoding="utf-8")
    assert scale.link_tree(cache, scratch) == "hard links"
    changed = scale.change_files(scratch, 0.01)
    assert len(changed) == 2
    for path in changed:
        assert path.read_text(encoding="utf-8").endswith("号。\n")
        assert (cache / path.name).read_text(encoding="utf-8") == f"报告{int(path.stem)}\n"
    assert sorted(p.name for p in scratch.iterdir()) == sorted(p.name for p in cache.iterdir())
    assert scale.corpus_complete(cache, tmp_path / "missing.jsonl", 200) is False


def test_store_kind_reads_the_committed_generation(tmp_path):
    assert scale.store_kind(tmp_path) == "unknown"  # no CURRENT
    store = tmp_path / "gen-1" / "store"
    store.mkdir(parents=True)
    (tmp_path / "CURRENT").write_text("gen-1\n", encoding="utf-8")
    (store / "_MAIN_1.toc").write_bytes(b"")
    assert scale.store_kind(tmp_path) == "whoosh"
    (store / "ENGINE").write_text("tantivy\n", encoding="utf-8")
    assert scale.store_kind(tmp_path) == "tantivy"


def test_code_state_changes_with_an_edit(tmp_path):
    (tmp_path / "indexer").mkdir()
    module = tmp_path / "indexer" / "a.py"
    module.write_text("x = 1\n", encoding="utf-8")
    before = scale.code_state(tmp_path)
    assert scale.code_state(tmp_path) == before
    module.write_text("x = 22\n", encoding="utf-8")
    assert scale.code_state(tmp_path) != before


def test_byte_compile_covers_what_is_installed(tmp_path):
    import tomllib

    project = tomllib.loads((SCRIPT.parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
    installed = project["tool"]["setuptools"]["packages"]["find"]["include"]
    assert sorted(scale.PACKAGES) == sorted(p.rstrip("*") for p in installed)
    for package in scale.PACKAGES:
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("X = 1\n", encoding="utf-8")
    scale.byte_compile(tmp_path)
    for package in scale.PACKAGES:
        assert list((tmp_path / package / "__pycache__").glob("__init__.*.pyc"))
