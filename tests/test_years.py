"""Questions over years and over whole counties, asked of the corpus in `tests.years_corpus`:
series, changes, coverage, timeliness, audits, and rankings that name each township once."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from search import Engine, QueryError
from tests.question_table import Q
from tests.years_corpus import build_years_index

JIXIAN_2023 = frozenset({"升昌镇", "福利镇", "集贤镇", "太平镇", "腰屯乡"})
LATE_2023 = frozenset({"集贤镇", "太平镇", "北山街道"})
PENALTIES_2023 = frozenset({"长生镇", "福利镇", "升昌镇", "中山街道", "腰屯乡"})
BROKEN_2023 = frozenset({"长胜乡", "腰屯乡"})

YEARS: tuple[Q, ...] = (
    # No year: the newest year in scope, said in the answer; each township once.
    Q(
        "哪个乡镇行政处罚最多",
        "rank",
        PENALTIES_2023,
        19,
        ("长生镇，19件", "2023年", "其余 5 个乡镇为 0"),
    ),
    Q(
        "which township has the most penalties",
        "rank",
        PENALTIES_2023,
        19,
        ("5 other townships at 0",),
    ),
    Q("集贤县行政处罚最多的乡镇", "rank", PENALTIES_2023 - {"长生镇", "中山街道"}, 12, ("福利镇",)),
    Q("行政处罚最多的乡镇，包括0", "rank", None, 19, ("长生镇",)),
    Q("2022年行政处罚最多的乡镇", "rank", frozenset({"长生镇", "福利镇", "升昌镇", "丰乐镇"}), 19),
    Q("长生镇行政处罚几件", "count", frozenset({"长生镇"}), 19, ("2023",)),
    Q("升昌镇收到多少申请", "count", frozenset({"升昌镇"}), 6, ("2023", "6件")),
    Q("集贤县的乡镇", "filter", JIXIAN_2023, None, ("2023年",)),
    Q("how many reports", "count", None, 10, ("(2023)",)),
    Q("没有行政处罚的乡镇", "filter", None, None, ("2023年",)),
    Q("双鸭山市一共有多少个乡镇的报告", "count", None, 8),
    # Years side by side.
    Q(
        "长胜乡2022年和2023年的申请数",
        "filter",
        frozenset({"长胜乡"}),
        None,
        ("2022年 0件", "2023年 0件"),
    ),
    Q(
        "升昌镇2022年和2023年的申请",
        "filter",
        frozenset({"升昌镇"}),
        None,
        ("2022年 2件", "2023年 6件"),
    ),
    Q(
        "2021到2023年升昌镇的行政处罚",
        "filter",
        frozenset({"升昌镇"}),
        None,
        ("2021年 3件", "2022年 5件", "2023年 2件"),
    ),
    Q("升昌镇历年行政处罚", "filter", frozenset({"升昌镇"}), None, ("2021年 3件", "2023年 2件")),
    Q(
        "penalties of Shengchang town over the years",
        "filter",
        frozenset({"升昌镇"}),
        None,
        ("2021 3", "2022 5"),
    ),
    Q("历年行政处罚", "filter", None, None, ("2021–2023年", "没有报告")),
    Q(
        "集贤县各年的报告",
        "filter",
        JIXIAN_2023 | {"丰乐镇", "集贤镇"},
        None,
        ("2021年；2022年；2023年",),
    ),
    Q(
        "福利镇2021-2023年的行政许可",
        "filter",
        frozenset({"福利镇"}),
        None,
        ("2021年 5件", "2023年 4件"),
    ),
    Q("2021到2023年一共收到多少申请", "count", None, 31, ("2021–2023年",)),
    Q("2022年和2023年集贤县收到多少申请", "count", None, 23),
    # The change between two years, ranked.
    Q(
        "申请数增加最多的乡镇",
        "rank",
        frozenset({"集贤镇", "升昌镇"}),
        5,
        ("集贤镇，+5件", "0 → 5", "2022年→2023年"),
    ),
    Q(
        "biggest rise in applications",
        "rank",
        frozenset({"集贤镇", "升昌镇"}),
        5,
        ("2022 → 2023", "+5"),
    ),
    Q("哪个乡镇的申请减少最多", "rank", frozenset({"北山街道"}), -2, ("北山街道", "-2件")),
    Q("biggest drop in applications", "rank", frozenset({"北山街道"}), -2),
    Q("2021到2023年行政处罚增加最多的乡镇", "rank", frozenset({"福利镇"}), 4, ("8 → 12",)),
    Q("行政处罚增长最多的乡镇", "rank", frozenset({"福利镇"}), 5, ("福利镇，+5件",)),
    Q(
        "penalties biggest increase",
        "rank",
        frozenset({"福利镇"}),
        5,
        ("5 township(s) with a figure for only one",),
    ),
    # Coverage: which townships of a county have no report, n / N.
    Q(
        "集贤县哪些乡镇没有2023年的报告",
        "filter",
        frozenset(),
        3,
        ("丰乐镇、兴安乡、永安乡", "5/8"),
    ),
    Q("which townships in 集贤县 have no 2023 report", "filter", frozenset(), 3, ("丰乐镇",)),
    # In pinyin the kind word names the county, though a township (集贤镇) is spelled alike.
    Q("which townships have no 2023 report in jixian county", "filter", frozenset(), 3, ("5/8",)),
    Q("report coverage in jixian county", "count", frozenset(), 5, ("5/8",)),
    Q("集贤县2022年哪些乡镇没有报告", "filter", frozenset(), 4, ("太平镇", "4/8")),
    Q("集贤县哪些乡镇没有报告", "filter", frozenset(), 3, ("2023年", "永安乡")),
    Q("双鸭山市2023年年报覆盖率", "count", frozenset(), 8, ("8/67", "集贤县（双鸭山市）：5/8")),
    Q("岭东区年报覆盖率", "count", frozenset(), 3, ("3/7",)),
    Q("report coverage in 集贤县", "count", frozenset(), 5, ("5/8",)),
    Q("集贤县有几个乡镇没有报告", "count", frozenset(), 5, ("5/8",)),
    # Timeliness: due by 31 January of the year after; no date is said, never guessed.
    Q(
        "哪些乡镇的2023年报告晚于1月31日发布",
        "filter",
        LATE_2023,
        3,
        ("晚 62 天", "晚 15 天", "4 份报告没有发布日期"),
    ),
    Q(
        "late reports in 2023",
        "filter",
        LATE_2023,
        3,
        ("62 days late", "4 report(s) with no known"),
    ),
    Q("逾期发布的报告", "filter", LATE_2023, 3, ("2023年",)),
    Q(
        "集贤县逾期发布的乡镇",
        "filter",
        frozenset({"集贤镇", "太平镇"}),
        2,
        ("1 份报告没有发布日期",),
    ),
    Q("2022年哪些乡镇没有按时发布年报", "filter", frozenset({"福利镇"}), 1, ("晚 10 天",)),
    Q("有几个乡镇逾期发布", "count", LATE_2023, 3),
    Q("按时发布的报告", "filter", frozenset({"升昌镇", "福利镇", "中山街道"}), 3, ("2024-01-31",)),
    Q(
        "reports published on time in 2022",
        "filter",
        frozenset({"升昌镇", "丰乐镇", "北山街道"}),
        3,
    ),
    # Audit: reports whose numbers do not add up, with each check's message.
    Q("哪些报告的数字对不上", "filter", BROKEN_2023, None, ("本年新收 3", "申请情况表缺少行")),
    Q("reports whose tables do not add up", "filter", BROKEN_2023, None, ("本年新收 3",)),
    Q("集贤县数据对不上的乡镇", "filter", frozenset({"腰屯乡"}), None, ("办理结果总计 0",)),
    Q("2022年哪些报告的数字对不上", "filter", frozenset({"长胜乡"}), None, ("2022年",)),
    Q("岭东区数据有问题的报告", "filter", frozenset({"长胜乡"})),
)


@pytest.fixture(scope="module")
def years_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """An engine over the multi-year, multi-county corpus, indexed for real."""
    engine = Engine(build_years_index(tmp_path_factory.mktemp("years")))
    yield engine
    engine.close()


def test_the_table_has_forty_questions_or_more() -> None:
    assert len(YEARS) >= 40


@pytest.mark.parametrize("row", YEARS, ids=[q.question for q in YEARS])
def test_question(years_engine: Engine, row: Q) -> None:
    row.check(years_engine)


@pytest.mark.parametrize(
    "question", ["哪个乡镇行政处罚最多", "行政许可排名", "申请数增加最多的乡镇", "历年行政处罚"]
)
def test_a_township_appears_once_in_a_ranking(years_engine: Engine, question: str) -> None:
    answer = years_engine.ask(question, size=100)
    places = [(r.county, r.township) for r in answer.results]
    if answer.intent == "rank":
        assert len(places) == len(set(places)), answer.text
    lines = [line for line in answer.text.splitlines() if line.startswith("· ")]
    assert len(lines) == len(set(lines)), answer.text


def test_coverage_of_a_county(years_engine: Engine) -> None:
    found = years_engine.coverage(county="集贤县", year=2023)
    (county,) = found.counties
    assert (county.city, county.code, county.n, county.total) == ("双鸭山市", "230521", 5, 8)
    assert county.missing == ["丰乐镇", "兴安乡", "永安乡"]
    assert set(county.reported) == JIXIAN_2023 and county.unlisted == []
    assert (found.n, found.total, found.ratio) == (5, 8, 0.625)


def test_coverage_takes_the_newest_year_of_the_place(years_engine: Engine) -> None:
    assert years_engine.coverage(county="集贤县").year == 2023
    assert years_engine.coverage(county="集贤县", year="2022").n == 4


def test_coverage_of_a_city_and_a_province(years_engine: Engine) -> None:
    city = years_engine.coverage(city="双鸭山市", year=2023)
    assert {c.county: c.n for c in city.counties if c.n} == {"岭东区": 3, "集贤县": 5}
    assert city.n == 8 and city.total == sum(c.total for c in city.counties)
    province = years_engine.coverage(province="黑龙江", year=2023)
    assert province.n == 8 and province.total > city.total


def test_coverage_with_no_place_covers_the_counties_reported(years_engine: Engine) -> None:
    found = years_engine.coverage(year=2023)
    assert {c.county for c in found.counties} == {
        "集贤县",
        "岭东区",
        "南关区",
        "彭水苗族土家族自治县",
    }


@pytest.mark.parametrize(
    "kwargs", [{"county": "不存在县"}, {"city": "不存在市"}, {"county": "集贤县", "year": "x"}]
)
def test_coverage_of_an_unknown_place_is_a_query_error(years_engine: Engine, kwargs: dict) -> None:
    with pytest.raises(QueryError):
        years_engine.coverage(**kwargs)


def test_a_late_report_is_never_guessed(years_engine: Engine) -> None:
    answer = years_engine.ask("late reports in 2023", size=50)
    assert {r.value for r in answer.results} == {15, 30, 62}
    assert answer.extra["undated"] == 4


def test_paging_a_series_walks_every_township_once(years_engine: Engine) -> None:
    whole = years_engine.ask("历年行政处罚", size=50)
    seen = []
    for page in range(1, whole.total + 1):
        seen += [r.report_id for r in years_engine.ask("历年行政处罚", page=page, size=3).results]
    assert seen == [r.report_id for r in whole.results]


@pytest.mark.parametrize("ask_help", ["帮助", "help"])
def test_every_example_of_the_help_is_understood(years_engine: Engine, ask_help: str) -> None:
    """The help text shows questions; each of them is read as a question, none as words to
    search for, and answered with something found."""
    lines = years_engine.ask(ask_help).text.splitlines()
    examples = [
        example.strip()
        for line in lines
        if line.startswith("· ") and "全文检索" not in line and "Keyword" not in line
        for example in re.split(r"[：:]", line, maxsplit=1)[1].split(" / ")
    ]
    assert len(examples) >= 12
    for example in examples:
        answer = years_engine.ask(example)
        assert answer.intent not in ("unknown", "keyword"), example
        assert answer.total, example
