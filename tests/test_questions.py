"""The question table, asked of a real index of the bundled samples."""

from __future__ import annotations

import pytest

from search import Engine
from tests.question_table import CHAT, QUESTIONS, Q


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
def test_question(sample_engine: Engine, row: Q) -> None:
    answer = sample_engine.ask(row.question, size=50)
    assert answer.intent == row.intent, answer.text
    if row.townships is not None:
        assert {r.township for r in answer.results} == row.townships, answer.text
    if row.value is not None:
        assert answer.extra["value"] == row.value, answer.text
    for fragment in row.says:
        assert fragment in answer.text
    assert answer.text.strip()


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
