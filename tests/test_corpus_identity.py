"""Narrative corpus, identity: titles, agencies, townships, places and years as reports write them.

Each case is a whole report text of a kind real townships publish, with the values a careful
reader would take from it. Names are real divisions so that the gazetteer is exercised too.
"""

from __future__ import annotations

import pytest

from tests.narrative_corpus import assert_values, check_codes, report_text

PERIOD = "本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。"

TITLES = [
    (
        "title_wrapped_inside_the_body_word",
        "积石山保安族东乡族撒拉族自治县大河家镇人民政\n府2023年政府信息公开工作年度报告\n" + PERIOD,
        {
            "title": "积石山保安族东乡族撒拉族自治县大河家镇人民政府2023年政府信息公开工作年度报告",
            "agency": "积石山保安族东乡族撒拉族自治县大河家镇人民政府",
            "township": "大河家镇",
            "county": "积石山保安族东乡族撒拉族自治县",
        },
    ),
    (
        "title_wrapped_inside_the_title_words",
        "积石山保安族东乡族撒拉族自治县大河家镇2023年政府信息公\n开工作年度报告\n" + PERIOD,
        {
            "title": "积石山保安族东乡族撒拉族自治县大河家镇2023年政府信息公开工作年度报告",
            "township": "大河家镇",
        },
    ),
    (
        "town_people_government",
        "兴城市沙后所满族镇人民政府2023年政府信息公开工作年度报告\n" + PERIOD,
        {
            "title": "兴城市沙后所满族镇人民政府2023年政府信息公开工作年度报告",
            "agency": "兴城市沙后所满族镇人民政府",
            "township": "沙后所满族镇",
            "county": "兴城市",
            "city": "葫芦岛市",
            "province": "辽宁省",
            "year": 2023,
        },
    ),
    (
        "street_office_niandu",
        "房山区新镇街道办事处2022年度政府信息公开工作年度报告\n本报告统计期限为2022年1月1日至2022年12月31日。",
        {
            "agency": "房山区新镇街道办事处",
            "township": "新镇街道",
            "county": "房山区",
            "city": "北京市",
            "province": "北京市",
            "year": 2022,
        },
    ),
    (
        "year_first_xiang_government",
        "2023年于家务回族乡政府信息公开工作年度报告\n"
        "根据《条例》规定，北京市通州区于家务回族乡人民政府编制本报告。" + PERIOD,
        {
            "title": "2023年于家务回族乡政府信息公开工作年度报告",
            "agency": "北京市通州区于家务回族乡人民政府",
            "township": "于家务回族乡",
            "county": "通州区",
            "year": 2023,
        },
    ),
    (
        "title_split_over_two_lines",
        "彭水苗族土家族自治县长生镇人民政府2023年政府信息公开\n工作年度报告\n" + PERIOD,
        {
            "title": "彭水苗族土家族自治县长生镇人民政府2023年政府信息公开工作年度报告",
            "agency": "彭水苗族土家族自治县长生镇人民政府",
            "township": "长生镇",
            "city": "重庆市",
        },
    ),
    (
        "title_split_inside_a_word",
        "镇江市润州区七里甸街道办事处2023年政府信息公开工作年度\n报告\n" + PERIOD,
        {
            "title": "镇江市润州区七里甸街道办事处2023年政府信息公开工作年度报告",
            "agency": "镇江市润州区七里甸街道办事处",
            "township": "七里甸街道",
            "county": "润州区",
            "city": "镇江市",
            "province": "江苏省",
        },
    ),
    (
        "city_district_street_nianbao",
        "镇江市京口区正东路街道2021年政府信息公开年报\n本报告统计期限为2021年1月1日至2021年12月31日。",
        {
            "agency": "镇江市京口区正东路街道",
            "township": "正东路街道",
            "county": "京口区",
            "city": "镇江市",
            "year": 2021,
        },
    ),
    (
        "trailing_date_line_is_not_the_year",
        "鲁家镇人民政府2023年政府信息公开工作年度报告\n（2024年1月20日）\n本报告由鲁家镇编制。",
        {"title": "鲁家镇人民政府2023年政府信息公开工作年度报告", "year": 2023},
    ),
    (
        "page_holding_the_title_twice",
        "首页 > 政务公开 > 政府信息公开年报\n"
        "城关镇人民政府2023年政府信息公开工作年度报告\n"
        "发布时间：2024-01-18 来源：城关镇\n"
        "城关镇人民政府2023年政府信息公开工作年度报告\n" + PERIOD,
        {
            "title": "城关镇人民政府2023年政府信息公开工作年度报告",
            "agency": "城关镇人民政府",
            "township": "城关镇",
            "year": 2023,
        },
    ),
    (
        "site_name_after_the_title",
        "古镇镇人民政府2023年政府信息公开工作年度报告_中山市人民政府门户网站\n" + PERIOD,
        {
            "title": "古镇镇人民政府2023年政府信息公开工作年度报告",
            "agency": "古镇镇人民政府",
            "township": "古镇镇",
            "city": "中山市",
            "province": "广东省",
        },
    ),
]

AGENCIES = [
    ("street_office", "镇江市京口区谏壁街道办事处", "谏壁街道"),
    ("ethnic_xiang_hui", "藁城区九门回族乡人民政府", "九门回族乡"),
    ("ethnic_xiang_mongol", "丰宁满族自治县八达营蒙古族乡人民政府", "八达营蒙古族乡"),
    ("sumu", "包头市石拐区吉忽伦图苏木人民政府", "吉忽伦图苏木"),
    ("area_office", "北京市朝阳区南磨房地区办事处", "南磨房地区"),
    ("town_government_without_renmin", "古镇镇政府", "古镇镇"),
    ("gu_zhen_zhen", "中山市古镇镇人民政府", "古镇镇"),
    ("zhenjiang_is_a_city", "镇江市润州区蒋乔街道办事处", "蒋乔街道"),
    ("xin_zhen_street", "北京市房山区新镇街道办事处", "新镇街道"),
    ("chengguan_zhen", "镇原县城关镇人民政府", "城关镇"),
    ("county_office", "镇平县人民政府办公室", None),
    ("district_government_street_office", "北京市朝阳区人民政府呼家楼街道办事处", "呼家楼街道"),
    ("city_bureau", "镇江市生态环境局", None),
    ("district_government", "镇江市京口区人民政府", None),
    ("prefecture_government", "阿克苏地区行政公署", None),
]


@pytest.mark.parametrize(("text", "expected"), [t[1:] for t in TITLES], ids=[t[0] for t in TITLES])
def test_titles(text: str, expected: dict) -> None:
    assert_values(report_text(text), expected)


@pytest.mark.parametrize(
    ("agency", "township"), [a[1:] for a in AGENCIES], ids=[a[0] for a in AGENCIES]
)
def test_agency_and_township_from_the_title(agency: str, township: str | None) -> None:
    text = report_text(f"{agency}2023年政府信息公开工作年度报告\n{PERIOD}")
    assert_values(text, {"agency": agency, "township": township, "year": 2023})


@pytest.mark.parametrize(
    ("title", "agency", "township"),
    [
        ("中共谏壁镇委员会 谏壁镇人民政府", "谏壁镇人民政府", "谏壁镇"),
        ("谏壁镇党委 谏壁镇人民政府", "谏壁镇人民政府", "谏壁镇"),
        ("谏壁街道党工委 谏壁街道办事处", "谏壁街道办事处", "谏壁街道"),
    ],
    ids=["zhonggong_weiyuanhui", "dangwei", "danggongwei"],
)
def test_party_committee_and_government_title_names_the_government(
    title: str, agency: str, township: str
) -> None:
    head = f"{title}2023年政府信息公开工作年度报告\n{PERIOD}"
    assert_values(report_text(head), {"agency": agency, "township": township})


def test_title_with_district_and_street_finds_the_office_written_without_them() -> None:
    head = f"镇江市京口区谏壁街道2023年政府信息公开工作年度报告\n{PERIOD}谏壁街道办事处编制本报告。"
    assert_values(
        report_text(head), {"agency": "镇江市京口区谏壁街道办事处", "township": "谏壁街道"}
    )


def test_title_with_short_county_name_keeps_the_fuller_name_the_text_writes() -> None:
    # The title shortens the autonomous county's name; the text writes the body in full.
    head = (
        "积石山县大河家镇2023年政府信息公开工作年度报告\n"
        f"{PERIOD}现将积石山保安族东乡族撒拉族自治县大河家镇人民政府2023年工作情况报告如下。"
    )
    assert_values(
        report_text(head),
        {
            "agency": "积石山保安族东乡族撒拉族自治县大河家镇人民政府",
            "township": "大河家镇",
            "county": "积石山保安族东乡族撒拉族自治县",
        },
    )


def test_title_place_and_signed_body_make_the_agency() -> None:
    head = f"阿巴嘎旗那仁宝拉格苏木2020年政府信息公开工作年度报告\n{PERIOD}"
    text = report_text(head, "那仁宝拉格苏木人民政府\n2021年1月25日").replace("2023", "2020")
    assert_values(text, {"agency": "阿巴嘎旗那仁宝拉格苏木人民政府", "township": "那仁宝拉格苏木"})


def test_zhenjiang_city_street_gets_its_county_and_city() -> None:
    head = f"镇江市润州区蒋乔街道办事处2023年政府信息公开工作年度报告\n{PERIOD}"
    assert_values(
        report_text(head),
        {"township": "蒋乔街道", "county": "润州区", "city": "镇江市", "province": "江苏省"},
    )


YEARS = [
    ("period_end_without_year", "本报告统计期限为2023年1月1日至12月31日。", 2023),
    ("period_qi_zhi", "数据统计期限自2023年1月1日起至2023年12月31日止。", 2023),
    ("period_niandu", "本报告数据统计期为2022年度。", 2022),
    (
        "period_chinese_numerals",
        "本报告统计期限为二〇二二年一月一日至二〇二二年十二月三十一日。",
        2022,
    ),
    ("period_spaced_digits", "统计期限为 2 0 2 2 年 1 月 1 日至 2 0 2 2 年 12 月 31 日。", 2022),
    ("period_dash", "本报告所列数据统计时间为2022年1月1日—2022年12月31日。", 2022),
    ("stated_year", "现将谏壁镇2022年度政府信息公开工作情况报告如下。", 2022),
]


@pytest.mark.parametrize(("line", "year"), [y[1:] for y in YEARS], ids=[y[0] for y in YEARS])
def test_year_phrasings(line: str, year: int) -> None:
    head = f"谏壁镇人民政府政府信息公开工作年度报告\n{line}"
    assert_values(report_text(head), {"year": year})


def test_title_in_chinese_numerals() -> None:
    head = "谏壁镇人民政府二〇二三年政府信息公开工作年度报告\n本报告由本镇编制。"
    assert_values(report_text(head), {"year": 2023, "agency": "谏壁镇人民政府"})


def test_publication_date_at_the_end_is_not_the_year() -> None:
    head = "谏壁镇人民政府政府信息公开工作年度报告\n本报告由本镇编制。"
    report = assert_values(report_text(head, tail="谏壁镇人民政府\n2024年1月15日"), {"year": None})
    assert "missing.year" in check_codes(report)


def test_stated_report_year_when_the_title_has_none() -> None:
    head = "谏壁镇人民政府政府信息公开工作年度报告\n现将本镇2023年度政府信息公开工作情况报告如下。"
    assert_values(report_text(head, tail="谏壁镇人民政府\n2024年1月15日"), {"year": 2023})


def test_year_the_overview_opens_with_when_nothing_else_names_one() -> None:
    head = "谏壁镇人民政府政府信息公开工作年度报告\n本报告根据《条例》要求编制。"
    text = report_text(head, overview="2023年，谏壁镇认真贯彻落实《条例》。")
    assert_values(text, {"year": 2023})


def test_a_year_later_in_the_overview_is_not_the_year() -> None:
    head = "谏壁镇人民政府政府信息公开工作年度报告\n本报告根据《条例》要求编制。"
    text = report_text(
        head, overview="我镇认真贯彻落实《条例》。\n\n政务公开。\n\n2024年，我镇将继续推进。"
    )
    assert_values(text, {"year": None})


def test_title_and_period_disagree_period_wins_and_is_checked() -> None:
    head = "谏壁镇人民政府2023年政府信息公开工作年度报告\n统计期限为2022年1月1日至2022年12月31日。"
    report = assert_values(report_text(head), {"year": 2022})
    assert "year.conflict" in check_codes(report)


def test_two_reports_years_on_one_page_take_this_reports_period() -> None:
    head = (
        "上一篇：谏壁镇人民政府2022年政府信息公开工作年度报告\n"
        "下一篇：谏壁镇人民政府2024年政务公开工作要点\n"
        "谏壁镇人民政府2023年政府信息公开工作年度报告\n" + PERIOD
    )
    report = assert_values(report_text(head), {"year": 2023})
    assert "year.conflict" not in check_codes(report)


def test_title_naming_no_body_takes_the_signature() -> None:
    head = f"2023年政府信息公开工作年度报告\n{PERIOD}"
    tail = "镇江市京口区谏壁街道办事处\n2024年1月18日"
    assert_values(
        report_text(head, tail=tail),
        {"agency": "镇江市京口区谏壁街道办事处", "township": "谏壁街道", "city": "镇江市"},
    )


def test_signature_with_its_date_on_the_same_line() -> None:
    head = f"2023年政府信息公开工作年度报告\n{PERIOD}"
    tail = "镇江市京口区谏壁街道办事处　　2024年1月18日"
    assert_values(
        report_text(head, tail=tail),
        {"agency": "镇江市京口区谏壁街道办事处", "township": "谏壁街道"},
    )


def test_title_naming_no_body_takes_the_line_below_it() -> None:
    head = f"2023年度政府信息公开工作年度报告\n鲁家镇人民政府\n（2024年1月20日）\n{PERIOD}"
    assert_values(report_text(head), {"agency": "鲁家镇人民政府", "township": "鲁家镇"})


def test_page_label_before_the_title() -> None:
    head = f"标题：谏壁镇人民政府2023年政府信息公开工作年度报告\n{PERIOD}"
    report = assert_values(report_text(head), {"agency": "谏壁镇人民政府", "year": 2023})
    assert report.title == "谏壁镇人民政府2023年政府信息公开工作年度报告"


def test_dotted_period() -> None:
    head = "谏壁镇人民政府政府信息公开工作年度报告\n本报告统计时限为2022.1.1-2022.12.31。"
    assert_values(report_text(head), {"year": 2022})


@pytest.mark.parametrize(
    "title",
    [
        "《谏壁镇人民政府2023年政府信息公开工作年度报告》",
        "谏壁镇2023年政务公开工作年度报告",
        "关于谏壁镇2023年度政府信息公开工作的报告",
        "---\ntitle: 谏壁镇2023年政府信息公开工作年度报告\n---",
        "附件1：谏壁镇2023年政府信息公开工作年度报告",
        "【年度报告】谏壁镇2023年政府信息公开工作年度报告",
        "谏壁镇2023年政府信息公开工作年度报告.docx",
        "[ 标题 ] 谏壁镇2023年政府信息公开工作年度报告",
        "信息名称：谏壁镇2023年政府信息公开工作年度报告",
    ],
    ids=[
        "book_title_marks",
        "zhengwu_gongkai",
        "guanyu_de_baogao",
        "markdown_front_matter",
        "attachment_label",
        "column_tag",
        "attachment_file_name",
        "bracketed_page_label",
        "information_name_label",
    ],
)
def test_title_forms(title: str) -> None:
    text = report_text(f"{title}\n{PERIOD}\n谏壁镇人民政府办公室负责编制本报告。")
    report = assert_values(text, {"township": "谏壁镇", "agency": "谏壁镇人民政府", "year": 2023})
    assert report.title is not None and report.title.startswith(("谏壁镇", "关于谏壁镇"))
    assert report.title.endswith(("报告", "的报告"))


STALE = "本报告统计期限为2022年1月1日至2022年12月31日。"
CONFLICTS = [
    ("published_after_the_title_year", "谏壁镇人民政府\n2024年1月15日", 2023),
    ("published_after_the_period_year", "谏壁镇人民政府\n2023年1月15日", 2022),
    ("no_publication_date", "", 2022),
]


@pytest.mark.parametrize(
    ("tail", "year"), [c[1:] for c in CONFLICTS], ids=[c[0] for c in CONFLICTS]
)
def test_title_and_period_disagree(tail: str, year: int) -> None:
    head = f"谏壁镇人民政府2023年政府信息公开工作年度报告\n{STALE}"
    report = assert_values(report_text(head, tail=tail), {"year": year})
    [check] = [c for c in report.checks if c.code == "year.conflict"]
    assert "2023" in check.message and "2022" in check.message


@pytest.mark.parametrize(
    "label",
    ["发布日期：2024-01-18", "[ 成文日期 ] 2024-01-16", "发文日期：2024年1月16日"],
    ids=["fabu", "bracketed_chengwen", "fawen"],
)
def test_page_date_label_dates_the_publication(label: str) -> None:
    head = f"谏壁镇人民政府2023年政府信息公开工作年度报告\n{label}\n{STALE}"
    assert_values(report_text(head), {"year": 2023})
