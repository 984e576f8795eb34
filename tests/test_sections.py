"""Section splitting: every heading style, sub-headings and table rows that look like headings."""

from __future__ import annotations

import pytest

from indexer.parsing.normalise import normalise
from indexer.parsing.sections import classify_line, is_report_like, split_sections
from tests.conftest import SAMPLE_PATHS

ALL_KEYS = ["preamble", "overview", "proactive", "applications", "reviews_lawsuits", "problems"]
ALL_KEYS += ["other"]

HEADINGS = [
    ("chinese_numeral", "一、总体情况", "overview"),
    ("arabic_numeral", "3、收到和处理政府信息公开申请情况", "applications"),
    ("arabic_spaced", "3、 收到和处理政府信息公开申请情况", "applications"),
    ("markdown_h4", "#### 四、政府信息公开行政复议、行政诉讼情况", "reviews_lawsuits"),
    ("markdown_h3", "### 二、主动公开政府信息情况", "proactive"),
    ("markdown_bold", "#### **六、其他需要报告的事项**", "other"),
    ("trailing_stop", "五、存在的主要问题及改进情况。", "problems"),
    ("dotted", "2. 主动公开政府信息情况", "proactive"),
    ("part", "第三部分 收到和处理政府信息公开申请情况", "applications"),
    ("unnumbered", "其他需要报告的事项", "other"),
    ("spaced_words", "六、 其 他 需 要 报 告 的 事 项", "other"),
    ("traditional", "二、主動公開政府信息情況", "proactive"),
    ("bracketed", "【一、总体情况】", "overview"),
    ("bracketed_other", "【六、其他需要报告的事项】", "other"),
    ("overview_long_form", "一、政府信息公开工作总体情况", "overview"),
    ("overview_zhengwu", "一、政务公开工作总体情况", "overview"),
]


@pytest.mark.parametrize(("line", "key"), [h[1:] for h in HEADINGS], ids=[h[0] for h in HEADINGS])
def test_heading_styles(line: str, key: str) -> None:
    hit = classify_line(normalise(line))
    assert hit is not None and hit[0] == key


NOT_HEADINGS = [
    ("table_row_outcomes", "三、本年度办理结果"),
    ("table_row_carried", "四、结转下年度继续办理"),
    ("table_row_new", "一、本年新收政府信息公开申请数量\t0\t0"),
    ("table_cell_header", "\t行政复议\t行政诉讼"),
    (
        "prose_listing_sections",
        "本报告包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
        "政府信息公开行政复议、行政诉讼情况、存在的主要问题及改进情况和其他需要报告的事项。",
    ),
    ("sub_heading_other_words", "(二)依申请公开情况"),
    ("prose_opening_with_heading_words", "主动公开政府信息数量为1286条。"),
]


@pytest.mark.parametrize("line", [n[1] for n in NOT_HEADINGS], ids=[n[0] for n in NOT_HEADINGS])
def test_not_headings(line: str) -> None:
    assert classify_line(normalise(line)) is None


def _report(*headings: str) -> str:
    body = ["2023年某某镇人民政府政府信息公开工作年度报告", "前言。"]
    for heading in headings:
        body += [heading, f"{heading}的正文。"]
    return "\n".join(body)


def test_sub_heading_inside_overview_is_not_the_section() -> None:
    text = _report(
        "一、总体情况",
        "(一)主动公开政府信息情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
    )
    sections = split_sections(text)
    assert sections["proactive"].heading == "二、主动公开政府信息情况"
    assert "(一)主动公开政府信息情况" in sections["overview"].text


def test_parenthesised_heading_used_when_nothing_better() -> None:
    text = _report("(一)总体情况", "(二)主动公开政府信息情况")
    sections = split_sections(text)
    assert sections["overview"].heading == "(一)总体情况"
    assert sections["proactive"].heading == "(二)主动公开政府信息情况"


def test_table_rows_do_not_start_sections() -> None:
    text = _report(
        "三、收到和处理政府信息公开申请情况",
        "三、本年度办理结果",
        "四、结转下年度继续办理",
        "四、政府信息公开行政复议、行政诉讼情况",
    )
    sections = split_sections(text)
    assert sections["applications"].text.count("结转下年度继续办理") == 2
    assert sections["reviews_lawsuits"].heading.startswith("四、政府信息公开行政复议")


def test_missing_headings_fall_back_on_words() -> None:
    text = _report("主动公开政府信息情况", "收到和处理政府信息公开申请情况", "其他需要报告的事项")
    sections = split_sections(text)
    assert set(sections) == {"preamble", "proactive", "applications", "other"}


def test_line_numbers_point_at_the_text() -> None:
    text = _report("一、总体情况", "二、主动公开政府信息情况")
    lines = text.split("\n")
    for section in split_sections(text).values():
        for offset, line in enumerate(section.lines):
            assert lines[section.start_line - 1 + offset] == line


def test_no_headings_is_all_preamble() -> None:
    sections = split_sections("今天天气很好。\n我们去公园。")
    assert list(sections) == ["preamble"]
    assert not is_report_like("今天天气很好。", sections)


@pytest.mark.parametrize("path", SAMPLE_PATHS, ids=[p.stem for p in SAMPLE_PATHS])
def test_samples_have_all_six_sections(path) -> None:
    sections = split_sections(normalise(path.read_text(encoding="utf-8")))
    assert list(sections) == ALL_KEYS
    assert "本年新收" in sections["applications"].text
    assert "行政复议" in sections["reviews_lawsuits"].text


def test_heading_running_into_its_text() -> None:
    text = "\n".join(
        [
            "某某镇2023年政府信息公开工作年度报告",
            "一、总体情况。2023年，我镇认真贯彻落实《条例》，统计期限自2023年1月1日至2023年12月31日。",
            "二、主动公开政府信息情况",
            "规章\t0\t0\t0",
        ]
    )
    sections = split_sections(text)
    overview = sections["overview"]
    assert overview.heading == "一、总体情况"
    assert overview.start_line == 2 and "统计期限" in overview.text
    assert sections["proactive"].start_line == 4


def test_long_unnumbered_line_is_prose_not_a_run_in_heading() -> None:
    line = "总体情况。2023年，我镇认真贯彻落实《条例》，全面推进政务公开，取得了新的成效。"
    assert classify_line(line) is None
