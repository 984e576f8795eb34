"""What the tantivy store does beyond the shared interface (tests/test_store.py runs that on
both engines): searches from several threads, the writer lock, and its files."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from indexer.indexing.analysis import parse_query
from indexer.indexing.store_tantivy import TantivyStore
from indexer.models import Report, Source

QUERIES = ("胜乡", "微信公众号", "乡", "依申请公开 2023年", "年报")


def report(report_id: str, text: str, title: str = "年报") -> Report:
    return Report(
        id=report_id,
        source=Source(path=f"{report_id}.txt", sha256="0" * 64, format="txt"),
        title=title,
        sections={"overview": text},
    )


def answers(store: TantivyStore) -> dict[str, tuple[int, list[str]]]:
    out = {}
    for words in QUERIES:
        total, hits = store.search(parse_query(words))
        out[words] = (total, [h.report_id for h in hits])
    return out


@pytest.fixture
def store(tmp_path: Path) -> TantivyStore:
    store = TantivyStore.create(tmp_path / "store")
    with store.writer() as writer:
        for n in range(60):
            text = ("长胜乡，微信公众号。" if n % 2 else "升昌镇2023年依申请公开。") + f"第{n}号"
            writer.put(report(f"r{n:02d}", text))
    yield store
    store.close()


def test_searches_from_many_threads_while_a_batch_commits(store: TantivyStore) -> None:
    before = answers(store)
    grows = ("微信公众号", "年报")  # the new report holds these
    expected_after = {w: (total + (w in grows), None) for w, (total, _) in before.items()}
    seen: list[dict[str, tuple[int, list[str]]]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(5)

    def search() -> None:
        try:
            start.wait()
            for _ in range(40):
                seen.append(answers(store))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=search) for _ in range(4)]
    for thread in threads:
        thread.start()
    start.wait()
    with store.writer() as writer:
        writer.put(report("new", "微信公众号"))
    for thread in threads:
        thread.join()
    after = answers(store)

    assert errors == []
    assert len(seen) == 160
    assert {w: (t, None) for w, (t, _) in after.items()} == expected_after
    for answer in seen:  # each search saw the store before or after the commit, whole
        for words, found in answer.items():
            assert found in (before[words], after[words])


def test_the_writer_lock_is_held_only_during_a_batch(store: TantivyStore) -> None:
    writer = store.writer()
    with pytest.raises(ValueError, match=r"(?i)lock"):
        store.writer()  # a second writer at the same time is refused by tantivy
    writer.put(report("x", "三审三校"))
    writer.commit()
    with store.writer() as again:  # released on commit
        again.delete("x")
    cancelled = store.writer()
    cancelled.cancel()
    store.writer().cancel()  # released on cancel
    assert store.search(parse_query("三审三校")) == (0, [])


def test_every_match_is_returned_and_counted(store: TantivyStore) -> None:
    total, hits = store.search(parse_query("年报"))
    assert total == 60
    assert sorted(h.report_id for h in hits) == [f"r{n:02d}" for n in range(60)]
    total, hits = store.search(parse_query("微信公众号"), limit=5)
    assert (total, len(hits)) == (30, 5)


def test_an_empty_store_finds_nothing(tmp_path: Path) -> None:
    store = TantivyStore.create(tmp_path / "empty")
    assert store.search(parse_query("年报")) == (0, [])
    store.close()
    again = TantivyStore.open(tmp_path / "empty")
    assert again.search(parse_query("年报"), limit=3) == (0, [])
    again.close()


def test_reports_are_indexed_pre_tokenised_with_the_shared_analyser(tmp_path: Path) -> None:
    """Spaces inside Chinese are ignored, Traditional is Simplified, full-width is half-width
    and letters are lowercased, as in the Whoosh store: the same tokens go in."""
    store = TantivyStore.create(tmp_path / "store")
    with store.writer() as writer:
        writer.put(report("a", "三 审 三 校，長勝鄉，ＨＴＴＰ服务，２０２３年"))
    for words in ("三审三校", "长胜乡", "长勝乡", "http服务", "2023年", "HTTP"):
        assert store.search(parse_query(words))[0] == 1, words
    assert store.search(parse_query("校长"))[0] == 0  # 校，長: punctuation breaks it
    store.close()
