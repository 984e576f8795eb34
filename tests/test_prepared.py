"""The saved start of a generation (`search.prepared`): written by an index run, read by the
engine, and giving the same answers as rows and names collected afresh."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gongkai.cli import main
from indexer.indexing.snapshot import open_index, read_pointer
from search import Engine, prepared
from search.answers import Corpus
from search.names import NameIndex
from tests.years_corpus import write_corpus

QUESTIONS = [
    "2023年哪个乡镇行政处罚最多",
    "集贤县2023年有哪些乡镇收到了政府信息公开申请",
    "申请数增加最多的乡镇",
    "升昌镇联系电话",
    "shengchang zhen phone",
    "長勝鄉的地址",
    "2023年有多少个乡镇的报告",
    "集贤县2023年报告覆盖情况",
]


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The multi-year corpus indexed by `gongkai index`, as a user would."""
    work = tmp_path_factory.mktemp("prepared")
    folder = write_corpus(work / "reports")
    index_dir = work / "index"
    assert main(["--index-dir", str(index_dir), "index", "--no-progress", str(folder)]) == 0
    return index_dir


def _state_file(index_dir: Path) -> Path:
    return index_dir / str(read_pointer(index_dir)) / prepared.STATE_FILE


def _answers(index_dir: Path) -> list[tuple]:
    engine = Engine(index_dir, warm=False)
    try:
        found = []
        for question in QUESTIONS:
            answer = engine.ask(question)
            found.append((question, answer.intent, answer.text, answer.total))
        return found
    finally:
        engine.close()


@pytest.fixture
def fresh_answers(indexed: Path) -> Iterator[list[tuple]]:
    """The answers of an engine that collected rows and names itself (no saved file)."""
    state = _state_file(indexed)
    saved = state.read_bytes()
    state.unlink()
    try:
        yield _answers(indexed)
    finally:
        state.write_bytes(saved)


def test_an_index_run_saves_what_the_engine_starts_from(indexed: Path) -> None:
    state = _state_file(indexed)
    assert state.is_file()
    assert state.read_bytes().startswith(prepared.fingerprint())
    with open_index(indexed) as snapshot:
        loaded = prepared.load(snapshot)
        assert loaded is not None
        corpus, names = loaded
        fresh = Corpus(snapshot)
        assert corpus.records == fresh.records
        assert corpus.years == fresh.years
        assert corpus.township_keys(corpus.records) == fresh.township_keys(fresh.records)
        again = NameIndex(fresh.records)
        assert names.townships == again.townships
        assert names.phrases() == again.phrases()


def test_opening_the_engine_reads_the_saved_file_without_rewriting_it(indexed: Path) -> None:
    state = _state_file(indexed)
    before = state.stat().st_mtime_ns
    _answers(indexed)
    assert state.stat().st_mtime_ns == before


def test_saved_and_fresh_starts_give_the_same_answers(
    indexed: Path, fresh_answers: list[tuple]
) -> None:
    assert _answers(indexed) == fresh_answers
    assert any(total for *_, total in fresh_answers)  # the questions are answered at all


@pytest.mark.parametrize(
    "content",
    [b"", b"not a saved state", b"\0" * 32 + b"x" * 100],
    ids=["empty", "other-code", "broken"],
)
def test_a_stale_or_broken_file_is_made_again(
    indexed: Path, fresh_answers: list[tuple], content: bytes
) -> None:
    state = _state_file(indexed)
    state.write_bytes(content)
    assert _answers(indexed) == fresh_answers
    assert state.read_bytes().startswith(prepared.fingerprint())


def test_a_broken_file_with_the_right_mark_is_made_again(
    indexed: Path, fresh_answers: list[tuple]
) -> None:
    state = _state_file(indexed)
    state.write_bytes(prepared.fingerprint() + b"\x78\x9c garbage")
    assert _answers(indexed) == fresh_answers
    with open_index(indexed) as snapshot:
        assert prepared.load(snapshot) is not None


def test_pinyin_names_come_from_the_file_or_are_made_again(indexed: Path) -> None:
    """The pinyin part is read on first use; if it cannot be read, it is made afresh."""
    fresh = NameIndex(_corpus_rows(indexed))
    expected = (
        fresh.lookup("shengchangzhen"),
        fresh.lookup("jixian xian"),
        fresh.lookup("shengchang"),
    )
    assert expected[0] == ["升昌镇"]
    with open_index(indexed) as snapshot:
        loaded = prepared.load(snapshot)
        assert loaded is not None
        names = loaded[1]
        assert (
            names.lookup("shengchangzhen"),
            names.lookup("jixian xian"),
            names.lookup("shengchang"),
        ) == expected
    state = _state_file(indexed)
    saved = state.read_bytes()
    try:
        with open_index(indexed) as snapshot:
            loaded = prepared.load(snapshot)
            assert loaded is not None
            state.write_bytes(saved[: len(saved) - 100])  # the pinyin part cut short
            names = loaded[1]
            assert names.lookup("shengchangzhen") == ["升昌镇"]
    finally:
        state.write_bytes(saved)


def _corpus_rows(index_dir: Path) -> tuple:
    with open_index(index_dir) as snapshot:
        return Corpus(snapshot).records
