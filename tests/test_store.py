"""The full-text store interface, on real Whoosh and tantivy indexes on disk, fed hand-built
records: every test runs once per engine."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from indexer.indexing.analysis import parse_query
from indexer.indexing.store import TextStore
from indexer.indexing.store_tantivy import TantivyStore
from indexer.indexing.store_whoosh import WhooshStore
from indexer.indexing.stores import ENGINES, create_store, open_store
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


def ids(store: TextStore, words: str) -> list[str]:
    total, hits = store.search(parse_query(words))
    assert total == len(hits)
    return [hit.report_id for hit in hits]


@pytest.fixture(params=ENGINES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> TextStore:
    store = create_store(tmp_path / "store", request.param)
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


def test_engines_are_the_two_store_classes(tmp_path: Path) -> None:
    whoosh, tantivy = (create_store(tmp_path / name, name) for name in ENGINES)
    assert (type(whoosh), type(tantivy)) == (WhooshStore, TantivyStore)
    whoosh.close()
    tantivy.close()


def test_phrases_and_name_parts_are_found(store: TextStore) -> None:
    assert ids(store, "胜乡") == ["a"]
    assert ids(store, "三审三校") == ["b"]
    assert sorted(ids(store, "微信公众号")) == ["a", "b"]  # not c: punctuation splits it


def test_matches_are_exact_phrases_not_bags_of_bigrams(store: TextStore) -> None:
    with store.writer() as writer:
        # Every bigram of 微信公众号 is here, but never in a row.
        writer.put(report("d", "其他年报", "微信平台、信公开、公众意见、群众号召"))
    assert sorted(ids(store, "微信公众号")) == ["a", "b"]
    assert ids(store, "公众号召") == []  # 公众, 众号 and 号召 are all in d, apart


def test_every_word_must_match(store: TextStore) -> None:
    assert ids(store, "微信公众号 三审三校") == ["b"]
    assert ids(store, "微信公众号 东沟乡") == []


def test_single_character_finds_reports_holding_it(store: TextStore) -> None:
    assert sorted(ids(store, "乡")) == ["a", "c"]
    assert sorted(ids(store, "镇")) == ["b"]


def test_query_syntax_is_searched_as_text(store: TextStore) -> None:
    assert ids(store, "AND OR (((") == []
    assert ids(store, "title:长胜乡") == []  # no field syntax: "title" is a word that is absent


def test_every_match_best_first(store: TextStore) -> None:
    total, hits = store.search(parse_query("2023年"))
    assert total == 2
    assert {hit.report_id for hit in hits} == {"a", "b"}
    assert hits[0].score >= hits[1].score > 0


def test_limit_gives_the_best_and_the_full_count(store: TextStore) -> None:
    everything = store.search(parse_query("人民政府"))
    assert everything[0] == 3
    total, best = store.search(parse_query("人民政府"), limit=2)
    assert total == 3
    assert best == everything[1][:2]
    assert store.search(parse_query("人民政府"), limit=0) == (3, [])
    assert store.search(parse_query("人民政府"), limit=10) == everything
    with pytest.raises(ValueError, match="limit"):
        store.search(parse_query("人民政府"), limit=-1)


def test_title_match_ranks_first(store: TextStore) -> None:
    with store.writer() as writer:
        writer.put(report("d", "其他年报", "提到升昌镇一次，还有别的内容"))
    assert ids(store, "升昌镇") == ["b", "d"]


def test_put_replaces_and_delete_removes(store: TextStore) -> None:
    with store.writer() as writer:
        writer.put(report("a", "长胜乡2024年年报", "依申请公开"))
        writer.delete("c")
        writer.delete("nobody")  # no such report: nothing happens
    assert ids(store, "依申请公开") == ["a"]
    assert ids(store, "微信公众号") == ["b"]
    assert ids(store, "东沟乡") == []
    assert sorted(ids(store, "年报")) == ["a", "b"]  # a replaced, not doubled


def test_nothing_is_visible_before_commit(store: TextStore) -> None:
    writer = store.writer()
    writer.put(report("e", "新年报", "依申请公开"))
    writer.delete("a")
    assert ids(store, "依申请公开") == []
    assert ids(store, "胜乡") == ["a"]
    writer.commit()
    assert ids(store, "依申请公开") == ["e"]
    assert ids(store, "胜乡") == []


def test_cancel_drops_the_batch(store: TextStore) -> None:
    writer = store.writer()
    writer.put(report("e", "新年报", "依申请公开"))
    writer.delete("a")
    writer.cancel()
    assert ids(store, "依申请公开") == []
    assert ids(store, "胜乡") == ["a"]
    with store.writer() as writer:  # the lock was released: a new batch goes through
        writer.put(report("e", "新年报", "依申请公开"))
    assert ids(store, "依申请公开") == ["e"]


def test_one_batch_names_each_report_once(store: TextStore) -> None:
    with pytest.raises(ValueError, match="already"), store.writer() as writer:
        writer.put(report("e", "新年报", "依申请公开"))
        writer.put(report("e", "新年报", "三审三校"))
    with pytest.raises(ValueError, match="already"), store.writer() as writer:
        writer.put(report("e", "新年报", "依申请公开"))
        writer.delete("e")
    assert ids(store, "依申请公开") == []  # both batches were dropped


def test_a_failed_batch_changes_nothing(store: TextStore) -> None:
    with pytest.raises(RuntimeError), store.writer() as writer:
        writer.delete("a")
        writer.put(report("e", "新年报", "依申请公开"))
        raise RuntimeError("disk full")
    assert ids(store, "胜乡") == ["a"]
    assert ids(store, "依申请公开") == []


def test_store_reopens_from_disk(tmp_path: Path, store: TextStore) -> None:
    again = open_store(tmp_path / "store")
    try:
        assert type(again) is type(store)
        assert ids(again, "三审三校") == ["b"]
    finally:
        again.close()


@pytest.mark.parametrize("cls", [WhooshStore, TantivyStore])
def test_missing_store_is_file_not_found(tmp_path: Path, cls: type) -> None:
    with pytest.raises(FileNotFoundError):
        cls.open(tmp_path / "nothing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError):
        cls.open(tmp_path / "empty")


@pytest.mark.parametrize(
    ("module", "engine"),
    [("store_whoosh.py", "whoosh"), ("store_tantivy.py", "tantivy")],
)
def test_each_engine_stays_behind_its_store(module: str, engine: str) -> None:
    """Only its store module talks to an engine, so engines can stand side by side."""
    allowed = {ROOT / "indexer" / "indexing" / module}
    offenders = [
        str(path.relative_to(ROOT))
        for package in ("indexer", "search", "bot", "gongkai")
        for path in (ROOT / package).rglob("*.py")
        if path not in allowed
        and re.search(rf"^\s*(from|import)\s+{engine}\b", path.read_text(encoding="utf-8"), re.M)
    ]
    assert offenders == []


def test_a_server_over_tantivy_does_not_load_whoosh() -> None:
    """Opening an index and the HTTP app import only the engine the index uses."""
    probe = (
        "import sys, bot.http, search.engine, indexer.indexing.store_tantivy;"
        "print(any(name.split('.')[0] == 'whoosh' for name in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"
