"""Real pages, as they arrive: no title line, the body named only in a sentence, a metadata
line, a contact line or the body's own document titles; 政府信息公开 read as one word; the
page's own address and date beside the body's website; contact numbers run together.

Every text here is written for these tests (the townships are real divisions so that the
gazetteer can place them; the sentences, numbers and addresses are made up).
"""

from __future__ import annotations

from typing import Any

import pytest

from indexer import parse_text
from tests.narrative_corpus import assert_values, report_text

PERIOD = "本报告所列数据的统计期限为2023年1月1日至2023年12月31日。"
OPENING = "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，"

NO_TITLE = [
    (
        "made_by_a_body",
        f"{OPENING}本年度报告由监漳镇人民政府编制。{PERIOD}",
        {"agency": "监漳镇人民政府", "township": "监漳镇", "county": "武乡县", "title": None},
    ),
    (
        "overview_opens_with_the_township",
        f"{OPENING}编制本报告。{PERIOD}\n",
        {"agency": "焕古镇", "township": "焕古镇", "county": "紫阳县"},
    ),
    (
        "contact_sentence_names_the_body",
        f"{OPENING}编制本报告。{PERIOD}如对本报告有疑问，请与杨谈乡人民政府党政办公室联系"
        "（联系电话：0357-5012345）。",
        {"agency": "杨谈乡人民政府", "township": "杨谈乡", "contact.phones": ["0357-5012345"]},
    ),
    (
        "metadata_line_names_the_publisher",
        f"发布机构：寺巷街道办事处\n发布日期：2024-01-26\n{OPENING}编制本报告。{PERIOD}",
        {"agency": "寺巷街道办事处", "township": "寺巷街道", "source.published": "2024-01-26"},
    ),
    (
        "body_only_in_its_own_document_title",
        f"{OPENING}编制本报告。\n街道及时公开《2023年泰州市高港区寺巷街道办事处部门预算》等。"
        "寺巷街道全年发布信息。",
        {"agency": "泰州市高港区寺巷街道办事处", "township": "寺巷街道", "county": "高港区"},
    ),
    (
        "title_in_the_opening_sentence",
        f"{OPENING}现公布焕古镇人民政府2023年政府信息公开工作年度报告。{PERIOD}",
        {
            "agency": "焕古镇人民政府",
            "title": "焕古镇人民政府2023年政府信息公开工作年度报告",
            "year": 2023,
        },
    ),
    (
        "township_unknown_to_the_gazetteer",
        f"{OPENING}编制本报告。{PERIOD}请与青禾湾镇人民政府联系。",
        {"agency": "青禾湾镇人民政府", "township": "青禾湾镇"},
    ),
]


OVERVIEW = {
    "overview_opens_with_the_township": "2023年，焕古镇坚持依法公开，我镇全年主动公开信息。"
}


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in NO_TITLE], ids=[c[0] for c in NO_TITLE]
)
def test_body_found_without_a_title(
    text: str, expected: dict[str, Any], request: pytest.FixtureRequest
) -> None:
    overview = OVERVIEW.get(request.node.callspec.id, "本年度，我单位扎实推进政务公开。")
    assert_values(report_text(text, overview=overview), expected)


def test_self_reference_picks_the_body_among_townships_named() -> None:
    text = report_text(
        f"{OPENING}编制本报告。{PERIOD}",
        overview="2023年，监漳镇与杨谈乡签订协作协议。杨谈乡来人学习。我镇全年主动公开信息。",
    )
    assert_values(text, {"township": "监漳镇", "agency": "监漳镇"})


def test_a_township_merely_mentioned_is_not_the_body() -> None:
    text = report_text(
        f"{OPENING}编制本报告。{PERIOD}",
        overview="2023年，武乡县林业局坚持依法公开。在监漳镇开展植树宣传活动。",
    )
    assert_values(text, {"township": None})


def test_the_fullest_written_name_extends_the_title_body() -> None:
    text = report_text(
        f"寺巷街道2023年政府信息公开工作年度报告\n{PERIOD}请与泰州市高港区寺巷街道办事处联系。"
    )
    assert_values(text, {"agency": "泰州市高港区寺巷街道办事处", "township": "寺巷街道"})


def test_a_one_character_township_after_its_county_is_the_township_alone() -> None:
    # 夏镇 is a township of 托克逊县 in the gazetteer.
    text = report_text(f"2023年托克逊县夏镇人民政府信息公开工作年度报告\n{PERIOD}")
    assert_values(text, {"township": "夏镇", "agency": "托克逊县夏镇人民政府"})


ONE_WORD = [
    ("government_belongs_to_disclosure", "监漳镇政府信息公开工作年度报告", "监漳镇"),
    ("peoples_government_is_the_body", "监漳镇人民政府信息公开工作年度报告", "监漳镇人民政府"),
    (
        "table_cell_title",
        "标题 | 寺巷街道办事处2023年政府信息公开工作年度报告 | |",
        "寺巷街道办事处",
    ),
]


@pytest.mark.parametrize(
    ("title", "agency"), [c[1:] for c in ONE_WORD], ids=[c[0] for c in ONE_WORD]
)
def test_disclosure_is_one_word(title: str, agency: str) -> None:
    report = parse_text(report_text(f"{title}\n{PERIOD}"))
    assert report.agency == agency
    assert "政府信息公开条例" not in (report.agency or "")


def test_a_sentence_quoting_the_regulation_is_never_the_title_or_agency() -> None:
    report = parse_text(report_text(f"{OPENING}现将有关情况报告如下。{PERIOD}"))
    assert report.title is None
    assert report.agency is None


def test_page_address_is_the_source_url_not_the_website() -> None:
    head = (
        "原文链接：https://www.example.gov.cn/art/2024/1/26/art_88_1.html\n"
        "武乡县人民政府网 www.example.gov.cn 2024-01-26\n"
        "监漳镇2023年政府信息公开工作年度报告\n"
        f"{PERIOD}报告电子版可在武乡县人民政府门户网站（www.wuxiang-example.gov .cn）下载。"
    )
    report = parse_text(report_text(head))
    assert report.source.url == "https://www.example.gov.cn/art/2024/1/26/art_88_1.html"
    assert report.contact.website == "www.wuxiang-example.gov.cn"
    assert report.source.published == "2024-01-26"


def test_a_byline_alone_gives_no_website() -> None:
    byline = "武乡县人民政府网 www.example.gov.cn 2024-01-26"
    head = f"{byline}\n监漳镇2023年政府信息公开工作年度报告\n{PERIOD}"
    report = parse_text(report_text(head))
    assert report.contact.website is None
    assert report.source.published == "2024-01-26"


PUBLISHED = [
    ("label_then_date_on_next_line", "• 发布日期\n    2024-02-19\n", "2024-02-19"),
    ("published_before_drafted", "成文日期 2024-01-08 发布日期 2024-03-06\n", "2024-03-06"),
    ("drafted_only", "成文日期：2024年1月8日\n", "2024-01-08"),
    ("date_widget_is_not_it", "某某县人民政府 2023年12月3日星期日\n", None),
    ("byline_opening_with_the_date", "2024年01月18日来源：某某街道\n", "2024-01-18"),
]


@pytest.mark.parametrize(
    ("head", "date"), [c[1:] for c in PUBLISHED], ids=[c[0] for c in PUBLISHED]
)
def test_publication_date(head: str, date: str | None) -> None:
    text = report_text(f"{head}监漳镇2023年政府信息公开工作年度报告\n{PERIOD}")
    assert parse_text(text).source.published == date


def test_date_under_the_signature_is_the_publication_date() -> None:
    text = report_text(
        f"监漳镇2023年政府信息公开工作年度报告\n{PERIOD}", tail="监漳镇人民政府\n2024年1月22日"
    )
    report = parse_text(text)
    assert (report.source.published, report.year) == ("2024-01-22", 2023)


def test_period_that_lost_its_year_characters() -> None:
    text = report_text("监漳镇政府信息公开年度报告\n本报告统计期限自20221月1日起至202212月31日止。")
    assert_values(text, {"year": 2022, "agency": "监漳镇", "township": "监漳镇"})


def test_year_named_most_often_when_the_page_lost_its_period_and_title() -> None:
    text = report_text(
        f"{OPENING}编制本报告。", overview="2022年，焕古镇加强公开。2022年全年发布信息。"
    )
    assert parse_text(text).year == 2022


CONTACTS = [
    (
        "phone_and_fax_run_together",
        "联系电话：0357-50123450357-5012346（传真）",
        {"contact.phones": ["0357-5012345"], "contact.fax": "0357-5012346"},
    ),
    (
        "unlabelled_number_between_address_and_email",
        "（地址：某某路18号，0357-5012345，邮箱：office@example.cn）",
        {"contact.phones": ["0357-5012345"], "contact.email": "office@example.cn"},
    ),
    ("clipped_label", "话：0357-5012345", {"contact.phones": ["0357-5012345"]}),
    (
        "several_phones",
        "联系电话：0357-5012345、0357-5012346，手机：13912345678",
        {"contact.phones": ["0357-5012345", "0357-5012346", "13912345678"]},
    ),
]


@pytest.mark.parametrize(
    ("line", "expected"), [c[1:] for c in CONTACTS], ids=[c[0] for c in CONTACTS]
)
def test_contact_numbers(line: str, expected: dict[str, Any]) -> None:
    assert_values(report_text(f"监漳镇2023年政府信息公开工作年度报告\n{PERIOD}{line}"), expected)


def test_a_report_whose_headings_do_not_start_lines_is_still_read() -> None:
    text = "监漳镇2023年政府信息公开年度报告 一、总体情况 2023年，我镇全年主动公开信息120条。"
    report = parse_text(text)
    assert (report.agency, report.year) == ("监漳镇", 2023)
