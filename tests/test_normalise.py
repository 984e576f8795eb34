"""Normalisation: each step on small texts, and the properties every text keeps."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.parsing.normalise import _MAX_PASSES, _steps, line_count, normalise, step_names
from tests.conftest import SAMPLE_PATHS

CASES = [
    ("crlf", "一、总体情况\r\n正文\r\n", "一、总体情况\n正文\n"),
    ("lone_cr", "第一行\r第二行", "第一行\n第二行"),
    ("fullwidth_digits_letters", "ＡＰＰ２０２３年", "APP2023年"),
    ("fullwidth_parens_colon", "（一）电话：０４６９－６１０１１８３", "(一)电话:0469-6101183"),
    ("chinese_comma_kept", "邮编:155120，电话", "邮编:155120，电话"),
    ("chinese_marks_kept", "“三安全一稳定”、《条例》。", "“三安全一稳定”、《条例》。"),
    ("ideographic_space", "行政许可\t\u3000\u30000", "行政许可\t0"),
    ("nbsp", "结果\u00a0维持", "结果维持"),
    ("year_digits", "2023 年 1 月 1 日", "2023年1月1日"),
    ("spaced_words", "三、 本 年 度", "三、本年度"),
    ("tabs_kept", "规章\t0\t\t0", "规章\t0\t\t0"),
    ("spaces_around_tabs", "⁠规章 \t 0 \t0 ", "规章\t0\t0"),
    ("latin_words_kept", "Open Government 报告", "Open Government 报告"),
    ("zero_width", "长\u200b胜\ufeff乡", "长胜乡"),
    ("traditional", "長勝鄉人民政府資訊公開", "长胜乡人民政府资讯公开"),
    ("pinyin_injected", "長生鎮(zhèn)人民政府", "长生镇人民政府"),
    ("pinyin_not_plain_parens", "平台(APP)发布", "平台(APP)发布"),
    ("word_bookmark", "[bookmark: _GoBack]六、其他需要报告的事项", "六、其他需要报告的事项"),
    ("markdown_heading", "#### 四、政府信息公开行政复议", "四、政府信息公开行政复议"),
    ("markdown_bold", "#### **六、其他需要报告的事项**", "六、其他需要报告的事项"),
    (
        "markdown_autolink",
        "平台(<http://www.sysld.gov.cn/>)查阅",
        "平台(http://www.sysld.gov.cn/)查阅",
    ),
    ("space_runs", "a    b", "a b"),
    ("em_dash_kept", "电话:0972—8390165", "电话:0972—8390165"),
]


@pytest.mark.parametrize(("raw", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_normalise_case(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_steps_are_rule_data_in_order() -> None:
    names = step_names()
    assert names[0] == "line_breaks"
    assert names.index("pinyin_after_hanzi") < names.index("traditional_to_simplified")


@pytest.mark.parametrize("path", SAMPLE_PATHS, ids=[p.stem for p in SAMPLE_PATHS])
def test_samples_keep_their_lines(path) -> None:
    raw = path.read_text(encoding="utf-8")
    text = normalise(raw)
    assert line_count(text) == line_count(raw) == len(text.split("\n"))
    assert normalise(text) == text


# Report-like pieces, so that the steps meet each other's output.
_PIECES = list("一二三四五六七八九十、，。：:（）() \t\n\r\u3000０１２３2023年月日長鎮乡镇*#[]<>")
_PIECES += ["[bookmark: x]", "(zhèn)", "<http://a.b/>", "\u200b", "\r\n", "**", "#### "]
_PIECES += ["&nbsp;", "&amp;", "&#10;", "<span>", "</p>", "〇", "二〇二三", "十二", "月", " (zhèn)"]
_REPORTISH = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), _REPORTISH))
def test_normalise_is_idempotent_and_keeps_lines(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert line_count(once) == line_count(text)
    assert "\r" not in once


def _by_whole_passes(text: str) -> str:
    """Normalisation as specified: every step in order, pass after pass, until a whole pass
    changes nothing (at most `_MAX_PASSES` passes)."""
    for _ in range(_MAX_PASSES):
        result = text
        for step in _steps():
            result = step.apply(result)
        if result == text:
            break
        text = result
    return text


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), _REPORTISH))
def test_normalise_gives_what_whole_passes_give(text: str) -> None:
    assert normalise(text) == _by_whole_passes(text)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("二〇二三年十二月三十一日", "2023年12月31日"),
        ("二O二二年一月一日", "2022年1月1日"),
        ("2 0 2 3 年", "2023年"),
        ("十一二三年", "十一二三年"),
        ("a&nbsp;b&amp;amp;c&#12288;d", "a b&c d"),
        ("电话&#10;0451", "电话0451"),
        ("<span>20</span><span>23</span>年<br/>", "2023年"),
        ("《<条例>》", "《<条例>》"),
        ("鎮 (zhèn)", "镇"),
    ],
)
def test_web_and_numeral_forms(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_a_chain_of_months_settles_in_one_call() -> None:
    once = normalise("年一月二月三月四月五月六月七月八月九月十月十一月")
    assert once == "年1月2月3月4月5月6月7月8月9月10月11月"
    assert normalise(once) == once
