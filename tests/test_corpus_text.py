"""Narrative corpus: applications stated in prose, section layouts and the mess of real text."""

from __future__ import annotations

import opencc
import pytest

from indexer import parse_text
from indexer.parsing.normalise import normalise
from tests.conftest import sample_path
from tests.narrative_corpus import FILLER, HEADINGS, assert_values, check_codes, report_text

TITLE = "谏壁镇人民政府2023年政府信息公开工作年度报告"
PERIOD = "本报告所列数据统计期限自2023年1月1日至2023年12月31日。"
HEAD = (
    f"{TITLE}\n{PERIOD}如有疑问，请联系党政办（地址：镇江市京口区谏壁路1号，电话：0511-85321234）。"
)
_NOT_SOURCE = {"id", "source"}

STATED = [
    ("none_received", "本年度未收到政府信息公开申请。", 0),
    ("received_count", "本年度共收到政府信息公开申请5件，均按时答复。", 5),
    ("accepted_count", "全年受理依申请公开4件。", 4),
    ("no_such_matters", "本年度无依申请公开事项。", 0),
    ("chinese_numeral", "本年度共收到政府信息公开申请三件。", 3),
    ("chinese_numeral_tens", "全年共收到政府信息公开申请十二件。", 12),
    ("none_of_any_kind", "本年度未收到任何形式的政府信息公开申请。", 0),
    ("none_happened", "本年度未发生政府信息公开申请事项。", 0),
    ("review_is_not_an_application", "本年度未收到行政复议申请。", None),
    ("not_stated", "认真规范办理依申请公开工作。", None),
]


@pytest.mark.parametrize(("line", "count"), [s[1:] for s in STATED], ids=[s[0] for s in STATED])
def test_applications_stated_in_prose(line: str, count: int | None) -> None:
    from indexer.parsing.narrative import read_narrative
    from indexer.parsing.sections import split_sections

    text = report_text(HEAD, applications=line)
    assert read_narrative(split_sections(normalise(text))).applications_stated == count


def test_prose_that_contradicts_the_table_is_checked() -> None:
    text = sample_path("002").read_text(encoding="utf-8")
    assert "narrative.applications" not in check_codes(parse_text(text))
    said = "本年度未收到政府信息公开申请。\n" + HEADINGS["proactive"]
    heading = "二、主动公开政府信息情况"
    assert heading in text
    report = parse_text(text.replace(heading, said, 1))
    [check] = [c for c in report.checks if c.code == "narrative.applications"]
    assert "0" in check.message and "1" in check.message


_WORDS = [h.split("、", 1)[1] for h in HEADINGS.values()]
SECTION_LAYOUTS = [
    ("unnumbered", _WORDS),
    ("parts", [f"第{n}部分 {w}" for n, w in zip("一二三四五六", _WORDS, strict=True)]),
    ("markdown", [f"## {h}" for h in HEADINGS.values()]),
    ("bold", [f"**{h}**" for h in HEADINGS.values()]),
    ("arabic", [f"{n}. {w}" for n, w in zip(range(1, 7), _WORDS, strict=True)]),
]


def _layout(headings: list[str], order: list[int] | None = None, skip: int | None = None) -> str:
    keys = list(HEADINGS)
    lines = [HEAD]
    for index in order or range(6):
        if index != skip:
            lines += [headings[index], f"这是{keys[index]}部分的正文。"]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    "headings", [s[1] for s in SECTION_LAYOUTS], ids=[s[0] for s in SECTION_LAYOUTS]
)
def test_section_layouts(headings: list[str]) -> None:
    report = parse_text(_layout(headings))
    for key in HEADINGS:
        assert report.sections[key] == f"这是{key}部分的正文。", key
    assert report.contact.phones == ["0511-85321234"]


def test_a_missing_section_leaves_the_others() -> None:
    report = parse_text(_layout(list(HEADINGS.values()), skip=3))
    assert report.sections["reviews_lawsuits"] == ""
    assert report.sections["problems"] == "这是problems部分的正文。"


def test_sections_out_of_the_usual_order() -> None:
    report = parse_text(_layout(list(HEADINGS.values()), order=[0, 1, 2, 3, 5, 4]))
    assert report.sections["other"] == "这是other部分的正文。"
    assert report.sections["problems"] == "这是problems部分的正文。"


def test_heading_run_into_its_first_sentence_after_a_space() -> None:
    text = report_text(HEAD).replace("一、总体情况\n", "一、总体情况 ")
    assert parse_text(text).sections["overview"].startswith("本年度，我单位认真贯彻落实")


def test_numbered_paragraph_running_on_does_not_take_the_section() -> None:
    overview = "1、主动公开政府信息情况。本年度我镇在网站发布信息。\n2、依申请公开情况。无。"
    report = parse_text(report_text(HEAD, overview=overview))
    assert report.sections["overview"] == overview
    assert report.sections["proactive"] == "严格落实“三审三校”制度，及时公开各类政府信息。"


MESS = [
    ("fullwidth_digits", lambda t: t.replace("0511-85321234", "０５１１－８５３２１２３４")),
    ("ideographic_spaces", lambda t: t.replace("谏壁镇人民政府", "谏壁镇\u3000人民政府")),
    ("spaced_year", lambda t: t.replace("2023年政府", "2 0 2 3 年政府")),
    ("zero_width", lambda t: t.replace("谏壁", "谏\u200b壁").replace("电话", "电\ufeff话")),
    ("nbsp", lambda t: t.replace("：", "：\xa0")),
    ("crlf", lambda t: t.replace("\n", "\r\n")),
    ("html_nbsp_entity", lambda t: t.replace("：", "：&nbsp;")),
    ("html_tags", lambda t: t.replace("0511-85321234", "<span>0511-</span><span>85321234</span>")),
    ("html_paragraphs", lambda t: "\n".join(f'<p class="x">{line}</p>' for line in t.split("\n"))),
    ("pinyin", lambda t: t.replace("镇", "镇(zhèn)").replace("乡", "乡(xiāng)")),
    ("pinyin_spaced", lambda t: t.replace("镇", "鎮 (zhèn)")),
    ("traditional", lambda t: opencc.OpenCC("s2t").convert(t)),
]


@pytest.mark.parametrize("mess", [m[1] for m in MESS], ids=[m[0] for m in MESS])
def test_messy_text_gives_the_same_record(mess) -> None:
    clean = report_text(HEAD, proactive="全年主动公开政府信息156条。")
    expected = parse_text(clean).model_dump(exclude={*_NOT_SOURCE, "provenance", "sections"})
    got = parse_text(mess(clean)).model_dump(exclude={*_NOT_SOURCE, "provenance", "sections"})
    assert got == expected
    assert expected["contact"]["phones"] == ["0511-85321234"]
    assert expected["proactive"]["published_items"] == 156
    assert (expected["township"], expected["year"]) == ("谏壁镇", 2023)


def test_traditional_report_keeps_its_sections_too() -> None:
    clean = report_text(HEAD)
    traditional = opencc.OpenCC("s2t").convert(clean)
    assert parse_text(traditional).sections == parse_text(clean).sections
    assert_values(traditional, {"contact.address": "镇江市京口区谏壁路1号"})


HEADING_VARIANTS = [
    ("overview_gaikuang", "一、工作概况", "overview"),
    ("problems_long", "五、政府信息公开工作存在的主要问题及改进情况", "problems"),
    ("other_ta", "六、其它需要报告的事项", "other"),
]


@pytest.mark.parametrize(
    ("heading", "key"), [h[1:] for h in HEADING_VARIANTS], ids=[h[0] for h in HEADING_VARIANTS]
)
def test_heading_variants(heading: str, key: str) -> None:
    text = report_text(HEAD).replace(HEADINGS[key], heading)
    assert parse_text(text).sections[key] == normalise(FILLER[key])


def test_page_footer_is_not_the_report() -> None:
    footer = "主办单位：某某区人民政府办公室 联系电话：0511-85000000\n苏ICP备12345678号"
    tail = f"谏壁镇人民政府\n2024年1月18日\n{footer}"
    report = parse_text(report_text(f"{TITLE}\n{PERIOD}", tail=tail))
    assert report.contact.phones == []
    assert report.sections["other"].endswith("2024年1月18日")
    assert report.agency == "谏壁镇人民政府"
