"""Question understanding: intent, metric, year, place, comparison, from the rule data."""

from __future__ import annotations

import pytest

from indexer import parse_file
from indexer.models import Report
from search.errors import QueryError
from search.names import NameIndex
from search.rules import RuleError, check_path, load_rules
from search.understand import MAX_QUESTION_LENGTH, Understander, check_question, chinese_number
from tests.question_table import SAMPLES


@pytest.fixture(scope="module")
def records() -> list[Report]:
    return [parse_file(path) for path in sorted(SAMPLES.glob("*.txt"))]


@pytest.fixture(scope="module")
def understander(records: list[Report]) -> Understander:
    return Understander(NameIndex(records))


# question, kind, metric key, year, comparison, negated, superlative
CASES = [
    ("2023年有哪些乡镇收到了政府信息公开申请？", "filter", "applications", 2023, None, False, None),
    (
        "townships with disclosure applications in 2023",
        "filter",
        "applications",
        2023,
        None,
        False,
        None,
    ),
    ("没有收到申请的乡镇", "filter", "applications", None, None, True, None),
    ("行政处罚超过10件的乡镇", "filter", "penalties", None, (">", 10), False, None),
    ("行政处罚不超过10件的乡镇", "filter", "penalties", None, ("<=", 10), False, None),
    ("行政许可至少5件的乡镇", "filter", "licensing", None, (">=", 5), False, None),
    ("行政许可十件以上的乡镇", "filter", "licensing", None, (">=", 10), False, None),
    ("townships with at least 3 reviews", "filter", "reviews", None, (">=", 3), False, None),
    ("townships with fewer than 2 lawsuits", "filter", "lawsuits", None, ("<", 2), False, None),
    ("哪些乡镇有不予公开的申请", "filter", "withheld", None, None, False, None),
    ("哪些乡镇有无法提供的申请", "filter", "unavailable", None, None, False, None),
    ("哪些乡镇有部分公开的申请", "filter", "partially_granted", None, None, False, None),
    ("哪个乡镇行政处罚最多", "rank", "penalties", None, None, False, "max"),
    ("行政许可最多的乡镇", "rank", "licensing", None, None, False, "max"),
    ("which township has the fewest licences", "rank", "licensing", None, None, False, "min"),
    ("哪個鄉鎮行政處罰最多", "rank", "penalties", None, None, False, "max"),
    ("2023年一共收到多少政府信息公开申请", "count", "applications", 2023, None, False, None),
    ("how many applications in 2023", "count", "applications", 2023, None, False, None),
    ("一共有多少个乡镇的报告", "count", None, None, None, False, None),
    ("收费一共多少", "count", "fees", None, None, False, None),
    ("主动公开信息总数", "count", "published", None, None, False, None),
    ("规范性文件合计", "count", "normative_documents", None, None, False, None),
    ("微信公众号", "keyword", None, None, None, False, None),
    ("三审三校", "keyword", None, None, None, False, None),
    ("2023年 三审三校", "keyword", None, 2023, None, False, None),
    ("长胜乡的联系电话", "contact", None, None, None, False, None),
    ("无法提供", "filter", "unavailable", None, None, False, None),
]


@pytest.mark.parametrize(
    ("question", "kind", "metric", "year", "comparison", "negated", "superlative"),
    CASES,
    ids=[c[0] for c in CASES],
)
def test_understanding(
    understander: Understander,
    question: str,
    kind: str,
    metric: str | None,
    year: int | None,
    comparison: tuple[str, int] | None,
    negated: bool,
    superlative: str | None,
) -> None:
    q = understander.understand(question)
    assert q.kind == kind
    assert (q.metric.key if q.metric else None) == metric
    assert q.year == year
    assert q.comparison == comparison
    assert q.negated is negated
    assert q.superlative == superlative


@pytest.mark.parametrize(
    ("question", "field"),
    [
        ("长胜乡的联系电话", "phones"),
        ("升昌镇 邮编", "postcode"),
        ("幸福乡地址", "address"),
        ("长胜乡的电子邮箱", "email"),
        ("長勝鄉網站", "website"),
        ("contact details for Shengchang town", "all"),
        ("postcode of Donggou", "postcode"),
        ("东沟乡", None),
    ],
)
def test_contact_field(understander: Understander, question: str, field: str | None) -> None:
    q = understander.understand(question)
    assert q.kind == "contact"
    assert q.contact_field == field


@pytest.mark.parametrize(
    ("question", "places"),
    [
        ("黑龙江省的乡镇", {("province", "黑龙江省")}),
        ("黑龙江的乡镇", {("province", "黑龙江省")}),
        ("双鸭山有哪些乡镇", {("city", "双鸭山市")}),
        ("互助县的乡镇", {("county", "互助土族自治县")}),
        ("彭水的乡镇", {("county", "彭水苗族土家族自治县")}),
        ("townships in Heilongjiang province", {("province", "黑龙江省")}),
    ],
)
def test_places(understander: Understander, question: str, places: set) -> None:
    q = understander.understand(question)
    assert q.kind == "filter"
    assert {pair for mention in q.places for pair in mention} >= places


def test_the_answer_language_follows_the_question(understander: Understander) -> None:
    assert understander.understand("哪个乡镇行政处罚最多").lang == "zh"
    assert understander.understand("which township has the most penalties").lang == "en"


def test_a_year_is_not_a_comparison_bound(understander: Understander) -> None:
    q = understander.understand("2023年行政处罚超过5件的乡镇")
    assert (q.year, q.comparison) == (2023, (">", 5))


@pytest.mark.parametrize(
    ("text", "value"), [("三", 3), ("十", 10), ("十五", 15), ("二十", 20), ("一百零五", 105)]
)
def test_chinese_numbers(text: str, value: int) -> None:
    assert chinese_number(text) == value


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("", "Please type"),
        ("   \n\t ", "Please type"),
        ("长" * 5000, str(MAX_QUESTION_LENGTH)),
        ("AND OR (((", "nothing to search for"),
        ("😀🎉👍", "nothing to search for"),
        ("？？！！…", "nothing to search for"),
        ("\x00\x01", "Please type"),
    ],
    ids=["empty", "whitespace", "5000 chars", "whoosh syntax", "emoji", "punctuation", "control"],
)
def test_bad_questions_are_refused_plainly(question: str, says: str) -> None:
    with pytest.raises(QueryError, match=says):
        check_question(question)


def test_every_metric_path_names_a_record_field(records: list[Report]) -> None:
    rules = load_rules()
    assert len({m.key for m in rules.metrics}) == len(rules.metrics)
    for metric in rules.metrics:
        for report in records:
            value = metric.value(report)
            assert value is None or isinstance(value, int | float)


@pytest.mark.parametrize("path", ["proactive.penalty", "applications.newest.total", "nothing"])
def test_a_misspelt_metric_path_is_caught(path: str) -> None:
    with pytest.raises(RuleError):
        check_path(path)


def test_null_parts_are_not_zero(records: list[Report]) -> None:
    coercion = next(m for m in load_rules().metrics if m.key == "coercion")
    xingfu = next(r for r in records if r.township == "幸福乡")
    assert coercion.value(xingfu) is None


# question, kind, metric key, range, kinds of township, latest, overview, negated
CHAT_CASES = [
    ("行政处罚5到20件的乡镇", "filter", "penalties", (5, 20), (), False, False, False),
    ("行政许可10-100件的乡镇", "filter", "licensing", (10, 100), (), False, False, False),
    ("行政许可十到二十件", "filter", "licensing", (10, 20), (), False, False, False),
    ("penalties between 5 and 20", "filter", "penalties", (5, 20), (), False, False, False),
    ("0469-6101183", "keyword", None, None, (), False, False, False),
    ("哪些街道", "filter", None, None, ("街道",), False, False, False),
    ("哪个镇许可最多", "rank", "licensing", None, ("镇",), False, False, False),
    ("哪些乡镇街道有行政处罚", "filter", "penalties", None, (), False, False, False),
    ("长升乡电话", "contact", None, None, (), False, False, False),
    ("最近一年的报告", "filter", None, None, (), True, False, False),
    ("latest reports", "filter", None, None, (), True, False, False),
    ("比较长胜乡和升昌镇", "filter", None, None, (), False, True, False),
    ("长胜乡的情况", "filter", None, None, (), False, True, False),
    ("长胜乡行政处罚情况", "filter", "penalties", None, (), False, False, False),
    ("幸福乡申请是怎么处理的", "filter", None, None, (), False, True, False),
    ("有没有乡镇被行政复议过", "filter", "reviews", None, (), False, False, False),
    ("有没有行政诉讼", "filter", "lawsuits", None, (), False, False, False),
    ("没有行政诉讼的乡镇", "filter", "lawsuits", None, (), False, False, True),
    ("哪些乡镇的数据对不上", "filter", "checks", None, (), False, False, False),
    ("数据没问题的乡镇", "filter", "checks", None, (), False, False, True),
    ("长生镇行政许可多少件", "count", "licensing", None, (), False, False, False),
]


@pytest.mark.parametrize(
    ("question", "kind", "metric", "between", "kinds", "latest", "overview", "negated"),
    CHAT_CASES,
    ids=[c[0] for c in CHAT_CASES],
)
def test_understanding_chat(
    understander: Understander,
    question: str,
    kind: str,
    metric: str | None,
    between: tuple[int, int] | None,
    kinds: tuple[str, ...],
    latest: bool,
    overview: bool,
    negated: bool,
) -> None:
    q = understander.understand(question)
    assert q.kind == kind
    assert (q.metric.key if q.metric else None) == metric
    assert q.between == between
    assert tuple(k.label_zh for k in q.kinds) == kinds
    assert (q.latest, q.overview is not None, q.negated) == (latest, overview, negated)


@pytest.mark.parametrize(
    ("question", "field", "negated"),
    [
        ("哪些乡镇没有联系电话", "phones", True),
        ("有邮箱的乡镇", "email", False),
        ("townships without a phone number", "phones", True),
        ("黑龙江乡镇的联系方式", "all", False),
    ],
)
def test_contact_field_filters(
    understander: Understander, question: str, field: str, negated: bool
) -> None:
    q = understander.understand(question)
    assert (q.kind, q.contact_field, q.negated, q.townships) == ("filter", field, negated, ())


@pytest.mark.parametrize(
    ("question", "townships", "field"),
    [
        ("changsheng xiang dianhua", ("长胜乡",), "phones"),
        ("Shengchang zhen youbian", ("升昌镇",), "postcode"),
        ("xingfu xiang dizhi", ("幸福乡",), "address"),
        ("@gongkai_bot 长胜乡电话？？😂", ("长胜乡",), "phones"),
    ],
)
def test_pinyin_and_chat_contact_questions(
    understander: Understander, question: str, townships: tuple[str, ...], field: str
) -> None:
    q = understander.understand(question)
    assert (q.kind, q.townships, q.contact_field) == ("contact", townships, field)


def test_a_range_word_without_numbers_means_nothing(understander: Understander) -> None:
    q = understander.understand("行政处罚到底多少")
    assert q.between is None and q.metric is not None and q.metric.key == "penalties"


@pytest.mark.parametrize(
    ("question", "respelled"),
    [
        ("升昌镇邮遍", "升昌镇邮编"),
        ("幸福乡的地只", "幸福乡的地址"),
        ("长生镇行政许科多少", "长生镇行政许可多少"),
        ("长胜乡电话", None),
    ],
)
def test_rule_words_typed_by_sound_are_put_right(
    understander: Understander, question: str, respelled: str | None
) -> None:
    assert understander.respelled(question) == respelled


def test_each_township_asks_for_every_figure(understander: Understander) -> None:
    q = understander.understand("各乡镇的行政处罚")
    assert (q.kind, q.metric.key if q.metric else None, q.each) == ("filter", "penalties", True)


@pytest.mark.parametrize(
    ("question", "blank", "negated"),
    [
        ("哪些乡镇没有主动公开的数字", True, False),
        ("行政强制没填的乡镇", True, False),
        ("townships with no figure for coercion", True, False),
        ("没有行政处罚的乡镇", False, True),
        ("长胜乡行政处罚的数字", False, False),
    ],
)
def test_blank_figures_are_not_zero_figures(
    understander: Understander, question: str, blank: bool, negated: bool
) -> None:
    q = understander.understand(question)
    assert (q.blank, q.negated) == (blank, negated)


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("哪些报告提到三审三校", "三审三校"),
        ("search 微信公众号", "微信公众号"),
        ("搜一下“依申请公开”", "依申请公开"),
        ("长胜乡提到微信公众号了吗", "长胜乡 微信公众号"),
    ],
)
def test_search_words_leave_what_to_search_for(
    understander: Understander, question: str, words: str
) -> None:
    q = understander.understand(question)
    assert (q.kind, q.words) == ("keyword", words)
