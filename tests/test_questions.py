"""The question table, asked of a real index of the bundled samples."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.indexing.build import run_index
from search import Answer, Engine
from tests.question_table import CHAT, QUESTIONS, SAMPLES, Q


@pytest.fixture(scope="module")
def tantivy_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """The same samples indexed with the tantivy full-text engine."""
    index_dir: Path = tmp_path_factory.mktemp("tantivy-index")
    run_index([SAMPLES], index_dir, progress=False, engine="tantivy")
    engine = Engine(index_dir)
    yield engine
    engine.close()


@pytest.fixture(params=["whoosh", "tantivy"])
def either_engine(request: pytest.FixtureRequest) -> Engine:
    """The question table is asked of both engines: the answers must not depend on it."""
    name = "sample_engine" if request.param == "whoosh" else "tantivy_engine"
    return request.getfixturevalue(name)


def test_the_table_is_large_and_has_every_kind() -> None:
    assert len(QUESTIONS) >= 40
    assert {q.intent for q in QUESTIONS} == {
        "contact",
        "filter",
        "rank",
        "count",
        "keyword",
        "unknown",
    }


@pytest.mark.parametrize("row", QUESTIONS, ids=[q.question for q in QUESTIONS])
def test_question(either_engine: Engine, row: Q) -> None:
    row.check(either_engine)


def test_keyword_hits_mark_the_phrase(sample_engine: Engine) -> None:
    answer = sample_engine.ask("微信公众号")
    assert answer.total == 2
    for result in answer.results:
        assert any("<mark>" in s.html and "微信公众号" in s.text for s in result.snippets)


def test_ambiguous_pinyin_shows_both_townships(sample_engine: Engine) -> None:
    answer = sample_engine.ask("changsheng")
    assert {r.township for r in answer.results} == {"长胜乡", "长生镇"}
    assert all(r.contact is not None for r in answer.results)


@pytest.mark.parametrize(
    "question",
    ["各乡镇的行政处罚", "有网站的乡镇", "行政许可少于10件", "latest reports", "收费最多的乡镇"],
)
def test_paging_a_list_walks_every_result_once(sample_engine: Engine, question: str) -> None:
    whole = sample_engine.ask(question, size=50)
    seen = []
    for page in range(1, whole.total + 2):
        answer = sample_engine.ask(question, page=page, size=2)
        assert answer.total == whole.total
        seen += [r.report_id for r in answer.results]
    assert seen == [r.report_id for r in whole.results]


def test_chat_rows_are_sixty_or_more() -> None:
    assert len(CHAT) >= 60


@pytest.mark.parametrize("row", QUESTIONS, ids=[q.question for q in QUESTIONS])
def test_both_engines_give_the_same_answer(
    sample_engine: Engine, tantivy_engine: Engine, row: Q
) -> None:
    """Same intent, total, results and snippets; keyword hits may differ only in score (each
    engine's BM25), and so in order among hits the reader's ranking leaves tied."""
    whoosh, tantivy = (e.ask(row.question, size=50) for e in (sample_engine, tantivy_engine))
    assert (tantivy.intent, tantivy.total) == (whoosh.intent, whoosh.total)
    if whoosh.intent != "keyword":
        assert tantivy.model_dump() == whoosh.model_dump()
        return

    def shown(answer: Answer) -> dict[str, list[str]]:
        return {r.report_id: [s.html for s in r.snippets] for r in answer.results}

    assert shown(tantivy) == shown(whoosh)
