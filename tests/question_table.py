"""The question table: questions over the bundled samples and what each must answer.

Shared by the search tests and the bot tests (the bot must answer each of these as the
search layer does). Each row: the question, the expected intent, the expected set of
townships in the results (all pages; ``None`` = not checked), the expected value
(``Answer.extra["value"]``; ``None`` = not checked), and strings the text must contain.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from indexer.indexing.build import run_index
from search import Engine

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

HEILONGJIANG = frozenset({"长胜乡", "升昌镇"})
NO_APPLICATIONS = frozenset({"长胜乡", "东沟乡", "长生镇", "升昌镇"})
ALL = frozenset({"长胜乡", "东沟乡", "幸福乡", "长生镇", "升昌镇"})
XIANG = frozenset({"长胜乡", "东沟乡", "幸福乡"})
ZHEN = frozenset({"长生镇", "升昌镇"})
WITH_CHECKS = frozenset({"长胜乡", "东沟乡"})  # a table row or column the parser did not find
NO_LICENSING = ALL - {"长生镇"}
# A ranking by "most" lists the townships above 0 and sums up the zeros in one line.
CHANGSHENG = frozenset({"长生镇"})


class Q(NamedTuple):
    """One row of the question table."""

    question: str
    intent: str
    townships: frozenset[str] | None = None
    value: float | None = None
    says: tuple[str, ...] = ()

    def check(self, engine: Engine) -> None:
        """Ask the question and hold its answer to this row."""
        answer = engine.ask(self.question, size=50)
        assert answer.intent == self.intent, answer.text
        if self.townships is not None:
            assert {r.township for r in answer.results} == self.townships, answer.text
        if self.value is not None:
            assert answer.extra["value"] == self.value, answer.text
        for fragment in self.says:
            assert fragment in answer.text, answer.text
        assert answer.text.strip()


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
    Q("哪个乡镇行政处罚最多", "rank", CHANGSHENG, 19, ("长生镇", "19", "其余 4 个乡镇为 0")),
    Q("行政许可最多的乡镇", "rank", CHANGSHENG, 94, ("长生镇", "94")),
    Q("which township has the most penalties", "rank", CHANGSHENG, 19, ("4 other townships at 0",)),
    Q("哪个乡镇收到的申请最多", "rank", frozenset({"幸福乡"}), 1, ("幸福乡",)),
    Q("收费最多的乡镇", "rank", frozenset(), 0, ("都是 0", "1 份报告没有这项数字")),
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

# As people type in a chat group: colloquial, Traditional, pinyin, English, mixed, typos,
# with punctuation, emoji and @mentions left in.
CHAT: tuple[Q, ...] = (
    # Contact details.
    Q("长胜乡电话多少", "contact", frozenset({"长胜乡"}), None, ("0469-6101183",)),
    Q("升昌镇的邮箱是啥", "contact", frozenset({"升昌镇"}), None, ("没有写电子邮箱", "jixian")),
    Q("幸福乡在哪", "contact", frozenset({"幸福乡"}), None, ("锦湖大路",)),
    Q("@gongkai_bot 长胜乡电话？？", "contact", frozenset({"长胜乡"}), None, ("0469-6101183",)),
    Q("长胜乡的电话是多少呀😂😂", "contact", frozenset({"长胜乡"}), None, ("0469-6101183",)),
    Q("谁知道长胜乡电话啊", "contact", frozenset({"长胜乡"}), None, ("0469-6101183",)),
    Q("请问一下东沟乡的邮编", "contact", frozenset({"东沟乡"}), None, ("810599",)),
    Q("幸福鄉聯繫電話", "contact", frozenset({"幸福乡"}), None, ("0431-85311165",)),
    Q("升昌鎮的地址", "contact", frozenset({"升昌镇"}), None, ("集贤县升昌镇",)),
    Q("changsheng xiang dianhua", "contact", frozenset({"长胜乡"}), None, ("0469-6101183",)),
    Q("Shengchang zhen youbian", "contact", frozenset({"升昌镇"}), None, ("155900",)),
    Q("xingfu xiang dizhi", "contact", frozenset({"幸福乡"}), None, ("锦湖大路",)),
    Q("what's the phone of xingfu", "contact", frozenset({"幸福乡"}), None, ("0431-85311165",)),
    Q("东沟乡 email", "contact", frozenset({"东沟乡"}), None, ("没有写电子邮箱", "810599")),
    Q("长胜乡 长生镇 电话", "contact", frozenset({"长胜乡", "长生镇"}), None, ("0469-6101183",)),
    Q("长生镇有网站吗", "contact", frozenset({"长生镇"}), None, ("psx.gov.cn",)),
    Q("长胜乡的邮编和电话", "contact", frozenset({"长胜乡"}), None, ("155120", "0469-6101183")),
    Q("长生镇电话和网站", "contact", frozenset({"长生镇"}), None, ("联系电话：报告中没有写",)),
    Q("Xingfu Township, Changchun", "contact", frozenset({"幸福乡"}), None, ("0431-85311165",)),
    # Which townships give (or do not give) a contact field.
    Q("哪些乡镇没有联系电话", "filter", frozenset({"长生镇"}), None, ("没有写联系电话",)),
    Q("有邮箱的乡镇", "filter", frozenset({"长胜乡"}), None, ("ldqcsxggyx@126.com",)),
    Q("townships without a phone number", "filter", frozenset({"长生镇"})),
    Q("有几个乡镇有网站", "count", frozenset({"长胜乡", "长生镇", "升昌镇"}), 3),
    Q("双鸭山市的乡镇电话", "filter", HEILONGJIANG, None, ("0469-4941237", "0469-6101183")),
    # Filters: "is there any", kinds of township, ranges, failed checks, places, the latest year.
    Q("有没有乡镇被行政复议过", "filter", frozenset(), None, ("没有找到有行政复议的乡镇",)),
    Q("哪些乡镇有行政诉讼", "filter", frozenset(), None, ("没有找到",)),
    Q("有没有乡镇被告", "filter", frozenset()),
    Q("规范性文件", "filter", frozenset(), None, ("规范性文件",)),
    Q("哪些街道", "filter", frozenset(), None, ("没有找到", "2023")),
    Q("哪个镇许可最多", "rank", CHANGSHENG, 94, ("长生镇", "94件")),
    Q("吉林有哪些乡", "filter", frozenset({"幸福乡"})),
    Q("有几个镇", "count", ZHEN, 2),
    Q("双鸭山的乡镇有哪些", "filter", HEILONGJIANG),
    Q("青海的报告", "filter", frozenset({"东沟乡"})),
    Q("重庆的", "filter", frozenset({"长生镇"})),
    Q("penalties more than 10", "filter", frozenset({"长生镇"}), None, ("19",)),
    Q("how many reports from Heilongjiang", "count", HEILONGJIANG, 2),
    Q("list townships in Shuangyashan", "filter", HEILONGJIANG),
    Q("townships in Qinghai", "filter", frozenset({"东沟乡"})),
    Q("penalties in Chongqing", "filter", frozenset({"长生镇"})),
    Q("行政处罚5到20件的乡镇", "filter", frozenset({"长生镇"}), None, ("5到20件之间",)),
    Q("行政许可10-100件的乡镇", "filter", frozenset({"长生镇"}), None, ("94",)),
    Q("penalties between 5 and 20", "filter", frozenset({"长生镇"})),
    Q("行政处罚1到5件的乡镇", "filter", frozenset()),
    Q("处罚超过十起的镇", "filter", frozenset({"长生镇"})),
    Q("行政许可少于10件的乡镇", "filter", NO_LICENSING),
    Q("没有行政许可的乡镇有几个", "count", NO_LICENSING, 4),
    Q("哪些乡镇的数据对不上", "filter", WITH_CHECKS, None, ("申请情况表缺少行",)),
    Q("数据有问题的报告", "filter", WITH_CHECKS),
    Q("reports with failed checks", "filter", WITH_CHECKS),
    Q("数据没问题的乡镇", "filter", ALL - WITH_CHECKS),
    Q("哪些乡镇没有主动公开的数字", "filter", ALL - {"长生镇"}, None, ("没有这项数字",)),
    Q("行政强制没填的乡镇", "filter", frozenset({"幸福乡"})),
    Q("收费空白的乡镇有几个", "count", frozenset({"长胜乡"}), 1),
    Q("最近一年的报告", "filter", ALL, None, ("2023年",)),
    Q("latest reports", "filter", ALL, None, ("2023",)),
    Q("2022年的报告", "filter", frozenset(), None, ("2022", "年份：2023")),
    Q("2021年有哪些乡镇收到申请", "filter", frozenset(), None, ("年份：2023",)),
    Q("今年有申请吗", "filter", frozenset({"幸福乡"})),
    # A township and a metric: that township's own figure.
    Q("长胜乡2023年收到几件申请", "count", frozenset({"长胜乡"}), 0, ("长胜乡", "0件")),
    Q("长生镇行政许可多少件", "count", frozenset({"长生镇"}), 94, ("行政许可：94件",)),
    Q("长生镇行政处罚几件", "count", frozenset({"长生镇"}), 19, ("19件",)),
    Q("幸福乡收到多少申请", "count", frozenset({"幸福乡"}), 1, ("1件",)),
    Q("长胜乡行政事业性收费多少", "count", frozenset({"长胜乡"}), None, ("没有这项数字",)),
    Q("Changsheng town licences", "filter", frozenset({"长生镇"}), 94, ("94",)),
    Q("how many penalties did changsheng town have", "count", frozenset({"长生镇"}), 19),
    Q("长胜乡和升昌镇的行政处罚", "filter", HEILONGJIANG, None, ("0件",)),
    Q("东沟乡数据有问题吗", "filter", frozenset({"东沟乡"}), 1, ("1项",)),
    # Rule words typed by sound (an input method's wrong characters) are put right.
    Q("升昌镇邮遍", "contact", frozenset({"升昌镇"}), None, ("155900",)),
    Q("幸福乡的地只", "contact", frozenset({"幸福乡"}), None, ("锦湖大路",)),
    Q("长生镇行政许科多少", "count", frozenset({"长生镇"}), 94, ("94件",)),
    Q("我们出发吧", "unknown", frozenset(), None, ("我可以回答",)),
    # Every township's figure, zeros and blanks included.
    Q("2023年各乡镇行政处罚", "filter", ALL, None, ("19件", "0件")),
    Q("每个乡镇收到多少申请", "count", ALL, None, ("1件",)),
    Q("各乡镇的行政强制", "filter", ALL, None, ("报告中没有这项数字",)),
    # Several figures side by side.
    Q("比较长胜乡和升昌镇", "filter", HEILONGJIANG, None, ("行政处罚 0件", "没有数字")),
    Q("长胜乡 vs 升昌镇", "filter", HEILONGJIANG, None, ("行政事业性收费",)),
    Q("升昌镇概况", "filter", frozenset({"升昌镇"}), None, ("行政许可 0件",)),
    Q("幸福乡申请是怎么处理的", "filter", frozenset({"幸福乡"}), None, ("无法提供的申请 1件",)),
    # Rankings and totals, asked loosely.
    Q("2023年申请最多的是哪个乡", "rank", frozenset({"幸福乡"}), 1, ("幸福乡",)),
    Q("@gongkai_bot 哪个乡镇行政处罚最多？", "rank", CHANGSHENG, 19, ("长生镇",)),
    Q("谁的行政处罚最多", "rank", CHANGSHENG, 19, ("长生镇",)),
    Q("最新一年行政处罚最多的乡镇", "rank", CHANGSHENG, 19, ("2023年",)),
    Q("主动公开最多", "rank", frozenset({"长生镇"}), 94, ("4 份报告没有这项数字",)),
    Q("top township by penalties", "rank", CHANGSHENG, 19),
    Q("行政许可排名", "rank", CHANGSHENG, 94, ("长生镇",)),
    Q("penalty ranking", "rank", CHANGSHENG, 19),
    Q("each township penalties", "filter", ALL, None, ("19",)),
    Q("How many towns in Chongqing?", "count", frozenset({"长生镇"}), 1, ("1 township.",)),
    Q("申请总数", "count", None, 1, ("1件",)),
    Q("收费合计多少", "count", None, 0, ("0万元", "1 份报告没有这项数字")),
    Q("published items total", "count", frozenset({"长生镇"}), 94, ("across 1 report)",)),
    # Keyword search, with quotes and a township.
    Q("“三审三校”", "keyword", frozenset({"长生镇"}), None, ("三审三校",)),
    Q("微信公众号 长胜乡", "keyword", frozenset({"长胜乡"}), None, ("微信公众号",)),
    Q("0469-6101183", "keyword", frozenset({"长胜乡"})),
    Q("这些报告里谁提到了微信公众号", "keyword", HEILONGJIANG, None, ("“微信公众号”",)),
    Q("哪些报告提到三审三校", "keyword", frozenset({"长生镇"}), None, ("三审三校",)),
    Q("search 微信公众号", "keyword", HEILONGJIANG),
    Q("长胜乡提到微信公众号了吗", "keyword", frozenset({"长胜乡"}), None, ("微信公众号",)),
    # Chatter it cannot answer: say so and show what it can do.
    Q("你好", "unknown", frozenset(), None, ("我可以回答",)),
    Q("asdfgh", "unknown", frozenset(), None, ("I can answer",)),
    Q("hi bot", "unknown", frozenset(), None, ("I can answer",)),
    Q("谢谢", "unknown", frozenset(), None, ("我可以回答",)),
)

QUESTIONS = QUESTIONS + CHAT


def build_sample_index(index_dir: Path) -> Path:
    """Index the bundled samples into ``index_dir`` with the real index run."""
    summary = run_index([SAMPLES], index_dir, progress=False)
    assert summary.indexed == len(list(SAMPLES.glob("*.txt"))), summary.describe()
    return index_dir
