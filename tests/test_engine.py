"""The `Engine`: bad queries, paging, lookups, stats, reloading a newer index, threads."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.indexing.build import run_index
from indexer.models import Check, Report, Source
from search import Engine, IndexMissingError, NotFoundError, QueryError
from tests.question_table import SAMPLES

BAD = ["", "   ", "长" * 5000, "AND OR (((", "😀🎉", "？！……", "\x00"]


@pytest.mark.parametrize(
    "query", BAD, ids=["empty", "spaces", "5000", "syntax", "emoji", "punct", "nul"]
)
def test_bad_queries_raise_a_query_error(sample_engine: Engine, query: str) -> None:
    for call in (sample_engine.ask, sample_engine.search):
        with pytest.raises(QueryError) as caught:
            call(query)
        message = str(caught.value)
        assert message and "Traceback" not in message


def test_the_length_limit_is_in_the_message(sample_engine: Engine) -> None:
    with pytest.raises(QueryError, match="500"):
        sample_engine.ask("a" * 501)
    assert sample_engine.ask("长胜乡电话" + " " * 480).intent == "contact"


@pytest.mark.parametrize(("page", "size"), [(0, 10), (1, 0), (1, 101), (-1, 5)])
def test_page_and_size_are_bounded(sample_engine: Engine, page: int, size: int) -> None:
    with pytest.raises(QueryError):
        sample_engine.search("政府信息公开", page=page, size=size)


def test_keyword_paging_walks_every_hit_once(sample_engine: Engine) -> None:
    seen = []
    for page in (1, 2, 3):
        answer = sample_engine.search("政府信息公开", page=page, size=2)
        assert answer.total == 5
        seen += [r.report_id for r in answer.results]
    assert len(seen) == len(set(seen)) == 5
    assert sample_engine.search("政府信息公开", page=4, size=2).results == []


def test_keyword_results_are_best_first(sample_engine: Engine) -> None:
    # Every title holds 信息公开: all five are found, ordered by the store's relevance, and
    # the order is the same on every call (pages are stable).
    found = sample_engine.search("信息公开", size=5).results
    assert len(found) == 5
    scores = [r.score for r in found]
    assert scores == sorted(scores, reverse=True)
    assert [r.report_id for r in sample_engine.search("信息公开", size=5).results] == [
        r.report_id for r in found
    ]
    # A township's own report comes before reports that only mention it.
    assert sample_engine.search("长胜乡", size=5).results[0].township == "长胜乡"


def _text_report(id_: str, township: str, title: str, overview: str) -> Report:
    return Report(
        id=id_,
        source=Source(path=f"{id_}.txt", sha256=id_, format="txt"),
        township=township,
        title=title,
        year=2023,
        sections={"overview": overview},
    )


def test_a_phrase_in_the_title_beats_many_uses_and_many_beat_one() -> None:
    engine = Engine.from_records(
        [
            _text_report("one", "甲乡", "甲乡年度报告", "开设了便民服务专栏。"),
            _text_report("many", "乙镇", "乙镇年度报告", "便民服务专栏；" * 3),
            _text_report("title", "丙乡", "丙乡便民服务专栏工作报告", "专栏。"),
        ]
    )
    for page_size in (1, 3):
        found = [
            r.report_id
            for page in range(1, 4 // page_size + 1)
            for r in engine.search("便民服务专栏", page=page, size=page_size).results
        ]
        assert found == ["title", "many", "one"]


def test_a_snippet_shows_each_word_of_a_two_word_search(sample_engine: Engine) -> None:
    (hit,) = sample_engine.search("长胜乡 微信公众号").results
    assert "微信公众号" in hit.snippets[0].text and hit.snippets[0].section is not None
    assert "微信公众号" in sample_engine.ask("微信公众号 长胜乡").text


def test_search_is_always_keyword(sample_engine: Engine) -> None:
    answer = sample_engine.search("行政处罚")
    assert answer.intent == "keyword"
    assert answer.total == 5


def test_text_shows_at_most_size_results(sample_engine: Engine) -> None:
    answer = sample_engine.ask("没有收到申请的乡镇", size=2)
    assert len(answer.results) == 2 and answer.total == 4
    assert answer.text.count("\n· ") == 2
    assert "还有 2 个" in answer.text


@pytest.mark.parametrize(("page", "after"), [(1, "还有 2 个"), (2, None)])
def test_more_counts_what_follows_this_page(
    sample_engine: Engine,
    page: int,
    after: str | None,
) -> None:
    answer = sample_engine.ask("没有收到申请的乡镇", page=page, size=2)
    assert len(answer.results) == 2
    assert ("还有" in answer.text) == (after is not None)
    if after:
        assert after in answer.text


def test_keyword_more_counts_what_follows_this_page(sample_engine: Engine) -> None:
    first = sample_engine.search("政务公开", page=1, size=2)
    last = sample_engine.search("政务公开", page=3, size=2)
    assert f"还有 {first.total - 2} 个" in first.text
    assert "还有" not in last.text


def test_contact_and_townships(sample_engine: Engine) -> None:
    answer = sample_engine.contact("Changsheng")
    assert {r.township for r in answer.results} == {"长胜乡", "长生镇"}
    found = sample_engine.townships("长")
    assert {r.township for r in found} == {"长胜乡", "长生镇"}
    assert all(r.contact is not None for r in found)
    assert sample_engine.townships("") == []


def test_report_and_reports(sample_engine: Engine) -> None:
    chosen = sample_engine.reports(province="黑龙江省")
    assert {r.township for r in chosen} == {"长胜乡", "升昌镇"}
    assert sample_engine.report(chosen[0].id) == chosen[0]
    assert len(sample_engine.reports(year="2023")) == 5
    with pytest.raises(NotFoundError):
        sample_engine.report("no-such-id")
    with pytest.raises(QueryError):
        sample_engine.reports(colour="red")


def test_stats(sample_engine: Engine) -> None:
    stats = sample_engine.stats()
    assert stats["reports"] == 5 and stats["townships"] == 5 and stats["years"] == [2023]
    assert stats["index_age_seconds"] >= 0 and stats["built_at"]


def test_no_index_is_index_missing(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError):
        Engine(tmp_path / "nothing-here")


def _corpus(tmp_path: Path, count: int) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    for path in sorted(SAMPLES.glob("*.txt"))[:count]:
        shutil.copy(path, corpus / path.name)
    return corpus


def test_reload_picks_up_a_newer_index(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    run_index([_corpus(tmp_path, 3)], index_dir, progress=False)
    engine = Engine(index_dir)
    assert engine.stats()["reports"] == 3
    assert engine.reload_if_changed() is False
    run_index([_corpus(tmp_path, 5)], index_dir, progress=False)
    assert engine.reload_if_changed() is True
    assert engine.stats()["reports"] == 5
    assert engine.ask("微信公众号").total == 2
    engine.close()


def test_reads_keep_answering_while_the_index_is_replaced(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    run_index([_corpus(tmp_path, 5)], index_dir, progress=False)
    engine = Engine(index_dir)
    errors: list[BaseException] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            try:
                assert engine.ask("微信公众号").total == 2
                assert engine.ask("哪个乡镇行政处罚最多").extra["value"] == 19
            except BaseException as exc:  # collected and re-raised in the main thread
                errors.append(exc)
                return

    readers = [threading.Thread(target=read) for _ in range(4)]
    for thread in readers:
        thread.start()
    for _ in range(3):
        run_index([_corpus(tmp_path, 5)], index_dir, rebuild=True, progress=False)
        assert engine.reload_if_changed() is True
    done.set()
    for thread in readers:
        thread.join()
    assert errors == []
    engine.close()


def _report(id_: str, township: str, penalties: int | None) -> Report:
    report = Report(
        id=id_,
        source=Source(path=f"{id_}.txt", sha256=id_, format="txt"),
        township=township,
        province="某省",
        year=2022,
        sections={"overview": f"{township}建立了政务公开专栏。"},
    )
    report.proactive.penalties = penalties
    return report


def test_from_records_leaves_nulls_out_and_says_so() -> None:
    engine = Engine.from_records(
        [_report("a", "甲乡", 3), _report("b", "乙镇", None), _report("c", "丙街道", 0)]
    )
    ranked = engine.ask("哪个乡镇行政处罚最多")
    assert [r.township for r in ranked.results] == ["甲乡"]  # the zero is summed up
    assert "其余 1 个乡镇为 0" in ranked.text
    assert ranked.extra["missing"] == 1 and "1 份报告没有这项数字" in ranked.text
    total = engine.ask("how many penalties in 2022")
    assert total.extra["value"] == 3 and "Left out: 1 report(s)" in total.text
    assert "(across 2 reports)" in total.text
    assert engine.ask("政务公开专栏").total == 3


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.text(
        alphabet=st.sampled_from(
            list("长胜乡镇行政处罚最多超过10年哪些申请电话邮编的?？()（）*\"':+-~^ ANDORNOT😀 ")
        ),
        max_size=60,
    )
    | st.text(max_size=80)
)
def test_any_text_gets_an_answer_or_a_query_error(sample_engine: Engine, text: str) -> None:
    try:
        answer = sample_engine.ask(text)
    except QueryError as exc:
        assert str(exc)
        return
    assert answer.text.strip()
    assert answer.intent in {"keyword", "contact", "filter", "rank", "count", "unknown"}


def test_fax_is_answered_as_its_own_field() -> None:
    with_fax = _report("a", "甲乡", 0)
    with_fax.contact.phones = ["0451-84567890"]
    with_fax.contact.fax = "0451-84567891"
    engine = Engine.from_records([with_fax, _report("b", "乙镇", 0)])
    asked = engine.ask("甲乡的传真")
    assert asked.intent == "contact" and asked.extra["field"] == "fax"
    assert "0451-84567891" in asked.text and "0451-84567890" not in asked.text
    assert "传真" in engine.ask("乙镇传真").text  # says plainly there is none


def test_a_null_figure_is_said_plainly_never_as_zero() -> None:
    engine = Engine.from_records([_report("a", "甲乡", None), _report("b", "乙镇", None)])
    own = engine.ask("甲乡行政处罚多少件")
    assert own.intent == "count" and own.extra["value"] is None
    assert "没有这项数字" in own.text and "0" not in own.text.replace("2022", "")
    total = engine.ask("行政处罚一共多少")
    assert total.extra["value"] is None and "没有可以合计" in total.text
    assert "2 份报告没有这项数字" in total.text
    side = engine.ask("比较甲乡和乙镇")
    assert side.total == 2 and "行政处罚 没有数字" in side.text


def test_failed_checks_are_listed_with_their_messages() -> None:
    bad = _report("a", "甲乡", 1)
    bad.checks = [Check(code="applications.identity", message="本年新收 + 上年结转 ≠ 办理结果总计")]
    engine = Engine.from_records([bad, _report("b", "乙镇", 0)])
    answer = engine.ask("哪些乡镇的数据对不上")
    assert [r.township for r in answer.results] == ["甲乡"]
    assert "本年新收 + 上年结转 ≠ 办理结果总计" in answer.text
    assert [r.township for r in engine.ask("数据没问题的乡镇").results] == ["乙镇"]


def test_kinds_of_township_and_ranges() -> None:
    engine = Engine.from_records(
        [_report("a", "甲乡", 3), _report("b", "乙镇", 12), _report("c", "丙街道", 7)]
    )
    assert [r.township for r in engine.ask("哪些街道").results] == ["丙街道"]
    assert [r.township for r in engine.ask("哪个镇行政处罚最多").results] == ["乙镇"]
    ranged = engine.ask("行政处罚5到20件的乡镇")
    assert [r.township for r in ranged.results] == ["乙镇", "丙街道"]
    assert "5到20件之间" in ranged.text


@pytest.mark.parametrize("ask", ["search", "ask"])
def test_a_page_past_the_last_says_so(sample_engine: Engine, ask: str) -> None:
    question = "微信公众号" if ask == "search" else "没有收到申请的乡镇"
    answer = getattr(sample_engine, ask)(question, page=9, size=2)
    assert answer.results == [] and answer.total > 0
    assert f"一共只有 {answer.total} 个" in answer.text
