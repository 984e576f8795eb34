"""The question table, asked of a real index of the bundled samples."""

from __future__ import annotations

import pytest

from search import Engine
from tests.question_table import QUESTIONS, Q, sample_engine  # noqa: F401 (fixture)


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
def test_question(sample_engine: Engine, row: Q) -> None:  # noqa: F811
    answer = sample_engine.ask(row.question, size=50)
    assert answer.intent == row.intent, answer.text
    if row.townships is not None:
        assert {r.township for r in answer.results} == row.townships, answer.text
    if row.value is not None:
        assert answer.extra["value"] == row.value, answer.text
    for fragment in row.says:
        assert fragment in answer.text
    assert answer.text.strip()


def test_keyword_hits_mark_the_phrase(sample_engine: Engine) -> None:  # noqa: F811
    answer = sample_engine.ask("微信公众号")
    assert answer.total == 2
    for result in answer.results:
        assert any("<mark>" in s.html and "微信公众号" in s.text for s in result.snippets)


def test_ambiguous_pinyin_shows_both_townships(sample_engine: Engine) -> None:  # noqa: F811
    answer = sample_engine.ask("changsheng")
    assert {r.township for r in answer.results} == {"长胜乡", "长生镇"}
    assert all(r.contact is not None for r in answer.results)
