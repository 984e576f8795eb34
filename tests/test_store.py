"""The full-text store, on a real Whoosh index on disk, fed hand-built records."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from indexer.indexing.analysis import parse_query
from indexer.indexing.store import WhooshStore
from indexer.models import Report, Source

ROOT = Path(__file__).resolve().parent.parent


def report(report_id: str, title: str, text: str, agency: str | None = None) -> Report:
    return Report(
        id=report_id,
        source=Source(path=f"{report_id}.txt", sha256="0" * 64, format="txt"),
        title=title,
        agency=agency,
        sections={"overview": text},
    )


def ids(store: WhooshStore, words: str) -> list[str]:
    return [hit.report_id for hit in store.search(parse_query(words))]


@pytest.fixture
def store(tmp_path: Path) -> WhooshStore:
    store = WhooshStore.create(tmp_path / "store")
    reports = [
        report("a", "长胜乡2023年年报", "通过微信公众号发布信息", "岭东区长胜乡人民政府"),
        report("b", "升昌镇2023年年报", "严格落实三审三校制度，微信公众号", "升昌镇人民政府"),
        report("c", "东沟乡2022年年报", "政府网站。微信，公众号", "东沟乡人民政府"),
    ]
    with store.writer() as writer:
        for each in reports:
            writer.put(each)
    yield store
    store.close()


def test_phrases_and_name_parts_are_found(store: WhooshStore) -> None:
    assert ids(store, "胜乡") == ["a"]
    assert ids(store, "三审三校") == ["b"]
    assert sorted(ids(store, "微信公众号")) == ["a", "b"]  # not c: punctuation splits it


def test_every_word_must_match(store: WhooshStore) -> None:
    assert ids(store, "微信公众号 三审三校") == ["b"]
    assert ids(store, "微信公众号 东沟乡") == []


def test_single_character_finds_reports_holding_it(store: WhooshStore) -> None:
    assert sorted(ids(store, "乡")) == ["a", "c"]
    assert sorted(ids(store, "镇")) == ["b"]


def test_query_syntax_is_searched_as_text(store: WhooshStore) -> None:
    assert ids(store, "AND OR (((") == []
    assert ids(store, "title:长胜乡") == []  # no field syntax: "title" is a word that is absent


def test_every_match_best_first(store: WhooshStore) -> None:
    hits = store.search(parse_query("2023年"))
    assert {hit.report_id for hit in hits} == {"a", "b"}
    assert hits[0].score >= hits[1].score > 0


def test_title_match_ranks_first(store: WhooshStore) -> None:
    with store.writer() as writer:
        writer.put(report("d", "其他年报", "提到升昌镇一次，还有别的内容"))
    assert ids(store, "升昌镇") == ["b", "d"]


def test_put_replaces_and_delete_removes(store: WhooshStore) -> None:
    with store.writer() as writer:
        writer.put(report("a", "长胜乡2024年年报", "依申请公开"))
        writer.delete("c")
    assert ids(store, "依申请公开") == ["a"]
    assert ids(store, "微信公众号") == ["b"]
    assert ids(store, "东沟乡") == []


def test_one_batch_names_each_report_once(store: WhooshStore) -> None:
    with pytest.raises(ValueError, match="already"), store.writer() as writer:
        writer.put(report("e", "新年报", "依申请公开"))
        writer.put(report("e", "新年报", "三审三校"))
    with pytest.raises(ValueError, match="already"), store.writer() as writer:
        writer.put(report("e", "新年报", "依申请公开"))
        writer.delete("e")
    assert ids(store, "依申请公开") == []  # both batches were dropped


def test_a_failed_batch_changes_nothing(store: WhooshStore) -> None:
    with pytest.raises(RuntimeError), store.writer() as writer:
        writer.delete("a")
        writer.put(report("e", "新年报", "依申请公开"))
        raise RuntimeError("disk full")
    assert ids(store, "胜乡") == ["a"]
    assert ids(store, "依申请公开") == []


def test_store_reopens_from_disk(tmp_path: Path, store: WhooshStore) -> None:
    again = WhooshStore.open(tmp_path / "store")
    try:
        assert ids(again, "三审三校") == ["b"]
    finally:
        again.close()


def test_missing_store_is_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        WhooshStore.open(tmp_path / "nothing")


def test_whoosh_stays_behind_the_store() -> None:
    """Only the store module talks to Whoosh, so another engine can stand beside it."""
    allowed = {ROOT / "indexer" / "indexing" / "store.py"}
    offenders = [
        str(path.relative_to(ROOT))
        for package in ("indexer", "search", "bot", "gongkai")
        for path in (ROOT / package).rglob("*.py")
        if path not in allowed
        and re.search(r"^\s*(from|import)\s+whoosh\b", path.read_text(encoding="utf-8"), re.M)
    ]
    assert offenders == []
