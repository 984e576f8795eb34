"""The question table: questions over the bundled samples and what each must answer.

Shared by the search tests and the bot tests (the bot must answer each of these as the
search layer does). Each row: the question, the expected intent, the expected set of
townships in the results (all pages; ``None`` = not checked), the expected value
(``Answer.extra["value"]``; ``None`` = not checked), and strings the text must contain.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest

from indexer.build import run_index
from search import Engine

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

HEILONGJIANG = frozenset({"长胜乡", "升昌镇"})
NO_APPLICATIONS = frozenset({"长胜乡", "东沟乡", "长生镇", "升昌镇"})
ALL = frozenset({"长胜乡", "东沟乡", "幸福乡", "长生镇", "升昌镇"})


class Q(NamedTuple):
    """One row of the question table."""

    question: str
    intent: str
    townships: frozenset[str] | None = None
    value: float | None = None
    says: tuple[str, ...] = ()


QUESTIONS: tuple[Q, ...] = (
    # Contact lookup: full name, short name, pinyin, Traditional, typo, ambiguity.
    Q("长胜乡的联系电话", "contact", frozenset({"长胜乡"}), None, ("联系电话", "0469-6101183")),
    Q("升昌镇 邮编", "contact", frozenset({"升昌镇"}), None, ("邮编", "155900")),
    Q("幸福乡地址", "contact", frozenset({"幸福乡"}), None, ("地址", "锦湖大路")),
    Q(
        "contact details for Shengchang town",
        "contact",
        frozenset({"升昌镇"}),
        None,
        ("0469-4941237", "155900"),
    ),
    Q("東溝鄉電話", "contact", frozenset({"东沟乡"}), None, ("0972-8390165",)),
    Q(
        "changsheng phone",
        "contact",
        frozenset({"长胜乡", "长生镇"}),
        None,
        ("0469-6101183", "psx.gov.cn"),
    ),
    Q("长生镇的电话", "contact", frozenset({"长生镇"}), None, ("没有", "联系电话", "psx.gov.cn")),
    Q("changshengxiang", "contact", frozenset({"长胜乡"}), None, ("0469-6101183",)),
    Q(
        "Changsheng township phone number",
        "contact",
        frozenset({"长胜乡"}),
        None,
        ("0469-6101183",),
    ),
    Q("长胜 电话", "contact", frozenset({"长胜乡"}), None, ("0469-6101183",)),
    Q("shengchnag postcode", "contact", frozenset({"升昌镇"}), None, ("155900",)),
    Q("长升乡电话", "contact", frozenset({"长胜乡"}), None, ("0469-6101183",)),
    Q("長勝鄉郵編", "contact", frozenset({"长胜乡"}), None, ("155120",)),
    Q("长胜乡的电子邮箱", "contact", frozenset({"长胜乡"}), None, ("ldqcsxggyx@126.com",)),
    Q("长胜乡网站", "contact", frozenset({"长胜乡"}), None, ("sysld.gov.cn",)),
    Q("Xingfu address", "contact", frozenset({"幸福乡"}), None, ("锦湖大路",)),
    Q("东沟", "contact", frozenset({"东沟乡"}), None, ("810599",)),
    Q("東溝鄉的郵政編碼是多少", "contact", frozenset({"东沟乡"}), None, ("810599",)),
    # Filters over the records: metric, comparison, negation, year, place, outcome rows.
    Q("2023年有哪些乡镇收到了政府信息公开申请？", "filter", frozenset({"幸福乡"})),
    Q("townships with disclosure applications in 2023", "filter", frozenset({"幸福乡"})),
    Q("没有收到申请的乡镇", "filter", NO_APPLICATIONS),
    Q("townships without applications", "filter", NO_APPLICATIONS),
    Q("行政处罚超过10件的乡镇", "filter", frozenset({"长生镇"}), None, ("19",)),
    Q("townships with more than 10 penalties", "filter", frozenset({"长生镇"})),
    Q("行政许可50件以上的乡镇", "filter", frozenset({"长生镇"}), None, ("94",)),
    Q("行政處罰超過十件的鄉鎮", "filter", frozenset({"长生镇"})),
    Q("2023年的报告", "filter", ALL),
    Q("2022年有哪些乡镇收到了申请", "filter", frozenset()),
    Q("黑龙江省的乡镇", "filter", HEILONGJIANG),
    Q("黑龙江的乡镇", "filter", HEILONGJIANG),
    Q("双鸭山市有哪些乡镇", "filter", HEILONGJIANG),
    Q("双鸭山有哪些乡镇", "filter", HEILONGJIANG),
    Q("townships in Heilongjiang", "filter", HEILONGJIANG),
    Q("集贤县的乡镇", "filter", frozenset({"升昌镇"})),
    Q("重庆市有哪些乡镇", "filter", frozenset({"长生镇"})),
    Q("青海的乡镇", "filter", frozenset({"东沟乡"})),
    Q("哪些乡镇有不予公开的申请", "filter", frozenset()),
    Q("哪些乡镇有无法提供的申请", "filter", frozenset({"幸福乡"})),
    Q("无法提供", "filter", frozenset({"幸福乡"})),
    Q("哪些乡镇有行政强制", "filter", frozenset(), None, ("1 份报告没有这项数字",)),
    Q("没有行政处罚的乡镇", "filter", frozenset({"长胜乡", "东沟乡", "幸福乡", "升昌镇"})),
    Q("黑龙江省2023年收到申请的乡镇", "filter", frozenset()),
    Q("行政处罚>10", "filter", frozenset({"长生镇"})),
    Q("penalties > 10", "filter", frozenset({"长生镇"})),
    Q("长胜乡行政处罚", "filter", frozenset({"长胜乡"}), None, ("0件",)),
    Q("长胜乡的主动公开", "filter", frozenset({"长胜乡"}), None, ("没有这项数字",)),
    # Rankings and totals; a null figure is left out, not counted as 0.
    Q("哪个乡镇行政处罚最多", "rank", ALL, 19, ("长生镇", "19")),
    Q("行政许可最多的乡镇", "rank", ALL, 94, ("长生镇", "94")),
    Q("which township has the most penalties", "rank", ALL, 19, ("长生镇",)),
    Q("哪个乡镇收到的申请最多", "rank", ALL, 1, ("幸福乡",)),
    Q("收费最多的乡镇", "rank", ALL - {"长胜乡"}, 0, ("都是 0", "1 份报告没有这项数字")),
    Q("哪个乡镇行政强制最少", "rank", ALL - {"幸福乡"}, 0, ("1 份报告没有这项数字",)),
    Q("2023年一共收到多少政府信息公开申请", "count", None, 1),
    Q("一共有多少个乡镇的报告", "count", None, 5),
    Q("how many applications in 2023", "count", None, 1),
    Q("how many reports", "count", None, 5),
    Q("黑龙江省一共有多少个乡镇", "count", HEILONGJIANG, 2),
    Q("行政处罚一共多少件", "count", None, 19),
    Q("有多少个乡镇收到了申请", "count", frozenset({"幸福乡"}), 1),
    # Keyword search when the question is a phrase from the text.
    Q("微信公众号", "keyword", frozenset({"长胜乡", "升昌镇"}), None, ("微信公众号",)),
    Q("三审三校", "keyword", frozenset({"长生镇"}), None, ("三审三校",)),
    Q("微視嶺東", "keyword", frozenset({"长胜乡"})),
    Q("长胜乡 微信公众号", "keyword", frozenset({"长胜乡"})),
    Q("政府信息公开", "keyword", ALL),
    # Questions it cannot answer: say so, and say what it can do.
    Q("what is the weather like", "unknown", frozenset(), None, ("I can answer",)),
    Q("今天天气怎么样", "unknown", frozenset(), None, ("没有找到", "我可以回答")),
    Q("help", "unknown", frozenset(), None, ("I can answer",)),
    Q("帮助", "unknown", frozenset(), None, ("我可以回答",)),
)


def build_sample_index(index_dir: Path) -> Path:
    """Index the bundled samples into ``index_dir`` with the real index run."""
    summary = run_index([SAMPLES], index_dir, progress=False)
    assert summary.indexed == len(list(SAMPLES.glob("*.txt"))), summary.describe()
    return index_dir


@pytest.fixture(scope="session")
def sample_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """An `Engine` over a real index of the bundled samples, built once per session."""
    engine = Engine(build_sample_index(tmp_path_factory.mktemp("index")))
    yield engine
    engine.close()
