"""Narrative: title, agency, township, year, contact lines and counts stated in prose."""

from __future__ import annotations

import pytest

from indexer.parsing.narrative import (
    Narrative,
    fullest_agency,
    normalise_phone,
    read_narrative,
    township_of,
    unwrap,
)
from indexer.parsing.normalise import normalise
from indexer.parsing.sections import split_sections


def _read(preamble: str, overview: str = "", title: str = "某某镇2023年政府信息公开工作年度报告"):
    text = "\n".join([title, preamble, "一、总体情况", overview, "二、主动公开政府信息情况", ""])
    return read_narrative(split_sections(normalise(text)))


CONTACTS = [
    (
        "labelled_all",
        "如有疑问请与本镇联系(联系地址:某某市某某区某路1号,邮编:155120,联系电话:0469-6101183,"
        "电子邮箱:abc@126.com)。",
        {
            "address": "某某市某某区某路1号",
            "postcode": "155120",
            "phones": ["0469-6101183"],
            "email": "abc@126.com",
        },
    ),
    (
        "em_dash_phone",
        "请与办公室联系（地址：某某县某某乡某村，邮编：810599，电话：0972—8390165）。",
        {"address": "某某县某某乡某村", "postcode": "810599", "phones": ["0972-8390165"]},
    ),
    (
        "en_dash_and_fullwidth_hyphen",
        "联系电话：0431–85311165、０４３１－８５３１１１６６。",
        {"phones": ["0431-85311165", "0431-85311166"]},
    ),
    (
        "two_phones_and_mobile",
        "咨询电话:0469-1234567，办公电话:(0469)7654321，联系电话:13812345678。",
        {"phones": ["0469-1234567", "0469-7654321", "13812345678"]},
    ),
    (
        "postal_code_long_label",
        "通讯地址：某某市某某区锦湖大路，邮政编码：130000。联系电话：0431-85311165。",
        {"address": "某某市某某区锦湖大路", "postcode": "130000", "phones": ["0431-85311165"]},
    ),
    (
        "no_phone",
        "本报告可在政府网站查阅。如有疑问请与本镇联系。",
        {"phones": [], "address": None, "postcode": None, "email": None},
    ),
    (
        "website_www",
        "本年度报告可在某县政府网(www.jixian.gov.cn)查阅或下载。",
        {"website": "www.jixian.gov.cn"},
    ),
    (
        "website_autolink",
        "可在政府信息公开平台(<http://www.sysld.gov.cn/>)查阅。",
        {"website": "http://www.sysld.gov.cn/"},
    ),
    (
        "hotline_is_not_a_phone",
        "通过12345热线等渠道及时受理，设立举报、监督电话等。",
        {"phones": []},
    ),
]


@pytest.mark.parametrize(
    ("line", "expected"), [c[1:] for c in CONTACTS], ids=[c[0] for c in CONTACTS]
)
def test_contact_shapes(line: str, expected: dict) -> None:
    contact = _read(line).contact.model_dump()
    for key, value in expected.items():
        assert contact[key] == value, key


def test_contact_keeps_its_line() -> None:
    narrative = _read("第一段。\n如有疑问请与本镇联系(邮编:155120,联系电话:0469-6101183)。")
    assert narrative.provenance["contact.postcode"].line == 3
    assert "155120" in narrative.provenance["contact.postcode"].text


@pytest.mark.parametrize(
    ("raw", "phone"),
    [
        ("0972—8390165", "0972-8390165"),
        ("0972 - 8390165", "0972-8390165"),
        ("(0469)6101183", "0469-6101183"),
        ("13812345678", "13812345678"),
    ],
)
def test_normalise_phone(raw: str, phone: str) -> None:
    assert normalise_phone(raw) == phone


TITLES = [
    (
        "agency_then_year",
        "集贤县升昌镇人民政府2023年政府信息公开工作年度报告",
        "集贤县升昌镇人民政府",
    ),
    ("year_then_agency", "2023年南关区幸福乡人民政府信息公开工作年度报告", "南关区幸福乡人民政府"),
    ("long_county", "某某苗族土家族自治县长生镇人民政府2023年政府信息公开工作年度报告", None),
    ("street", "某某区城区街道办事处2023年政府信息公开工作年度报告", "某某区城区街道办事处"),
    ("county_body", "某某县人民政府2023年政府信息公开工作年度报告", "某某县人民政府"),
]


@pytest.mark.parametrize(("title", "agency"), [t[1:] for t in TITLES], ids=[t[0] for t in TITLES])
def test_agency_from_title(title: str, agency: str | None) -> None:
    narrative = _read("前言。", title=title)
    assert narrative.title == title
    assert narrative.agency == (agency or title.split("2023")[0])


def test_agency_on_its_own_line_joins_the_title() -> None:
    text = "# 岭东区某某乡人民政府\n\n## 2023年政府信息公开工作年度报告\n\n前言。\n一、总体情况\n"
    narrative = read_narrative(split_sections(normalise(text)))
    assert narrative.title == "岭东区某某乡人民政府2023年政府信息公开工作年度报告"
    assert narrative.agency == "岭东区某某乡人民政府"
    assert narrative.township == "某某乡"


def test_title_with_place_only_finds_the_body_in_the_text() -> None:
    narrative = _read(
        "",
        overview="结合 2023 年东坡乡人民政府信息公开工作实际编制。",
        title="东坡乡 2023 年度 政府信息公开工作报告",
    )
    assert narrative.title == "东坡乡2023年度政府信息公开工作报告"
    assert narrative.agency == "东坡乡人民政府"
    assert narrative.township == "东坡乡"


@pytest.mark.parametrize(
    ("name", "township"),
    [
        ("岭东区长胜乡人民政府", "长胜乡"),
        ("某某苗族土家族自治县长生镇人民政府", "长生镇"),
        ("某某县古镇镇人民政府", "古镇镇"),
        ("某某县新市镇人民政府", "新市镇"),
        ("某某区城区街道办事处", "城区街道"),
        ("东沟乡", "东沟乡"),
        ("某某县人民政府", None),
        ("某某市某某区人民政府", None),
        (None, None),
    ],
)
def test_township_of(name: str | None, township: str | None) -> None:
    assert township_of(name) == township


def test_fullest_agency_grows_by_known_place_names() -> None:
    text = "现公布长春市南关区幸福乡人民政府2023年度报告。南关区幸福乡人民政府。"
    names = ("吉林省", "长春市", "南关区")
    assert fullest_agency("南关区幸福乡人民政府", names, text) == "长春市南关区幸福乡人民政府"
    assert fullest_agency("南关区幸福乡人民政府", (), text) == "南关区幸福乡人民政府"


YEARS = [
    ("period", "本报告所列数据统计期限自2022年1月1日起至2022年12月31日止。", 2022),
    ("period_spaced", "统计期限为 2021 年 1 月 1 日至 2021 年 12 月 31 日。", 2021),
    ("title_only", "本报告由本镇编制。", 2023),
]


@pytest.mark.parametrize(("line", "year"), [y[1:] for y in YEARS], ids=[y[0] for y in YEARS])
def test_year_from_period_or_title(line: str, year: int) -> None:
    narrative = _read(line)
    assert narrative.year == year
    assert narrative.title_year == 2023


def test_no_year_anywhere() -> None:
    assert _read("前言。", title="某某镇政府信息公开工作年度报告").year is None


PUBLISHED = [
    ("one_figure", "我镇在政府门户网站主动公开政府信息94条。", 94),
    (
        "stated_total_wins",
        "全年共主动公开政府信息130条，其中网站发布信息93条，微信发布信息37条。",
        130,
    ),
    ("approximate", "在网站发布信息12余条，在微信公众号上发布信息32条。", None),
    ("split_among_channels", "发布各类工作信息分别为 93 条和 37 条。", None),
    ("two_figures_no_total", "在网站发布信息93条，在微信发布信息37条。", None),
    ("none", "加强领导，提高认识。", None),
]


@pytest.mark.parametrize(
    ("line", "items"), [p[1:] for p in PUBLISHED], ids=[p[0] for p in PUBLISHED]
)
def test_published_items_only_when_one_figure_is_stated(line: str, items: int | None) -> None:
    assert _read("前言。", overview=line).published_items == items


STATED = [
    ("none_received", "本年度未收到政府信息公开申请。", 0),
    ("received_zero", "全年共收到0件政府信息公开依申请公开，受理0件。", 0),
    ("received_three", "本年度收到政府信息公开申请3件，均已按时答复。", 3),
    ("counted_first", "全年共收到 2 件政府信息公开申请。", 2),
    ("not_stated", "认真规范处理依申请公开。", None),
]


@pytest.mark.parametrize(("line", "count"), [s[1:] for s in STATED], ids=[s[0] for s in STATED])
def test_applications_stated_in_prose(line: str, count: int | None) -> None:
    assert _read("前言。", overview=line).applications_stated == count


def test_empty_sections_read_nothing() -> None:
    assert read_narrative(split_sections("")) == Narrative()


def test_page_chrome_naming_another_report_is_not_the_title() -> None:
    text = (
        "上一篇:2022年某某镇人民政府政府信息公开工作年度报告\n"
        "政府信息公开年度报告\n"
        "某某镇人民政府2023年政府信息公开工作年度报告\n"
        "本报告统计期限自2023年1月1日至2023年12月31日。\n"
        "一、总体情况\n"
    )
    narrative = read_narrative(split_sections(normalise(text)))
    assert narrative.title == "某某镇人民政府2023年政府信息公开工作年度报告"
    assert narrative.provenance["title"].line == 3
    assert narrative.year == 2023


def _unwrapped(*lines: str) -> list[str]:
    return [text for _, text in unwrap(list(enumerate(lines, 1)))]


def test_unwrap_joins_lines_cut_at_the_page_width() -> None:
    assert _unwrapped(
        "如对本报告有任何疑问，请与新市镇党政办公室联系(地址:德清县新市镇",
        "- 2 -",
        "新中路1号，邮编:313219)。",
        "一、总体情况",
    ) == [
        "如对本报告有任何疑问，请与新市镇党政办公室联系(地址:德清县新市镇新中路1号，邮编:313219)。",
        "一、总体情况",
    ]


@pytest.mark.parametrize(
    "lines",
    [
        pytest.param(
            (
                "德清县新市镇2022年政府信息公开",
                "工作年度报告",
                "本报告根据《条例》要求编制，统计期限为2022年度。",
            ),
            id="short_title_lines",
        ),
        pytest.param(
            ("一是工作人员业务能力有待提高，政务公开的形式较为单一", "", "二是公开内容不够丰富。"),
            id="blank_line_between",
        ),
        pytest.param(
            (
                "本年度共收到政府信息公开申请情况统计如下 12 30 45 60",
                "政府信息公开工作要点落实情况。",
            ),
            id="table_row",
        ),
        pytest.param(
            (
                "主动公开政府信息的情况从以下几个方面进行总结汇报",
                "(一)主动公开。全年主动公开信息。",
            ),
            id="next_opens_item",
        ),
    ],
)
def test_unwrap_leaves_lines_that_are_not_cut(lines: tuple[str, ...]) -> None:
    assert _unwrapped(*lines) == list(lines)
