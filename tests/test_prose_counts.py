"""Figures stated in prose fill the record where the tables do not (issue 8, item 4).

Pages are often cut off before tables 三 and 四, or lose them, while section 一 states the
figures. Each case is a report text of its own (invented townships and numbers) read as a user
reads it, through `parse_text`: the record's value, and where it says the value came from.
"""

from __future__ import annotations

import pytest

from indexer import parse_text
from indexer.models import Report
from tests.conftest import sample_path

HEAD = (
    "青禾镇人民政府2023年政府信息公开工作年度报告\n"
    "本报告所列数据统计期限自2023年1月1日至2023年12月31日。"
)
NEUTRAL = "认真做好相关工作。"
LATER = (
    "二、主动公开政府信息情况\n"
    f"{NEUTRAL}\n"
    "三、收到和处理政府信息公开申请情况\n"
    f"{NEUTRAL}\n"
    "四、政府信息公开行政复议、行政诉讼情况\n"
    f"{NEUTRAL}\n"
)


def _page(overview: str, *, cut_off: bool = False) -> Report:
    """A report without tables whose section 一 says ``overview``; ``cut_off``: the page ends
    right after it, as a truncated page does."""
    text = f"{HEAD}\n一、总体情况\n{overview}"
    return parse_text(text if cut_off else f"{text}\n{LATER}")


def _lawsuits(report: Report) -> tuple[int | None, int | None]:
    return report.lawsuits_direct.total, report.lawsuits_after_review.total


def _codes(report: Report) -> set[str]:
    return {c.code for c in report.checks}


# --- applications received ---------------------------------------------------------------

RECEIVED = [
    ("count", "本年度共收到政府信息公开申请7件，均按时答复。", 7),
    ("accepted_with_applicants", "受理公民、法人和其他组织提出的政府信息公开申请6件。", 6),
    ("new_count", "全年新收政府信息申请公开数量3件，上年结转0件。", 3),
    ("unit_tiao", "收到政府信息公开申请2条。", 2),
    ("one_in_words", "本年度于11月收到一份政府信息公开申请，已按程序答复。", 1),
    ("zero_in_words", "本年度依申请公开信息数为零。", 0),
    ("zero_jian", "全年收到依申请公开办件0条。", 0),
    ("none_received", "本年度未收到公民提交的政府信息公开申请。", 0),
    ("none_of_any_kind", "全镇未受理任何形式的政府信息公开申请。", 0),
    ("none_on_request", "全年无依申请公开政府信息。", 0),
    ("two_counts_side_by_side", "政府信息主动公开95篇，依申请公开4篇。", 4),
]


@pytest.mark.parametrize(("line", "count"), [r[1:] for r in RECEIVED], ids=[r[0] for r in RECEIVED])
def test_applications_received_fill_the_total(line: str, count: int) -> None:
    report = _page(line)
    new = report.applications["new"]
    assert new.total == count
    assert new.natural_person is None and new.commercial is None  # only the total is stated
    where = report.provenance["applications.new.total"]
    assert where.via == "prose" and line.rstrip("。") in where.text


NOT_RECEIVED = [
    ("handled", "本年度依申请公开政府信息共4件，其中予以公开3件，不予公开1件。"),
    ("processed", "全年办理依申请公开事项共4件。"),
    ("answered", "按时答复依申请公开4件，答复率100%。"),
    ("review_application", "本年度未收到行政复议申请。"),
    ("not_stated", "认真规范办理依申请公开工作。"),
]


@pytest.mark.parametrize("line", [n[1] for n in NOT_RECEIVED], ids=[n[0] for n in NOT_RECEIVED])
def test_a_count_that_is_not_the_number_received_is_left_blank(line: str) -> None:
    report = _page(line)
    assert report.applications["new"].total is None
    assert "applications.new.total" not in report.provenance


def test_a_prose_figure_is_no_table() -> None:
    report = _page("本年度未收到政府信息公开申请。未发生行政复议和行政诉讼。")
    assert report.applications["new"].total == 0 and report.reviews.total == 0
    assert {"missing.applications_table", "missing.reviews_table"} <= _codes(report)


# --- reviews and lawsuits ----------------------------------------------------------------

DISPUTES = [
    ("counts", "因政府信息公开引发行政复议2件、行政诉讼0件。", 2, 0),
    ("neither", "全年未发生因政府信息公开引发的行政复议和行政诉讼案件。", 0, 0),
    ("neither_short", "本年度无行政复议、行政诉讼。", 0, 0),
    ("neither_one_count", "因政府信息公开申请行政复议、提起行政诉讼0件。", 0, 0),
    ("review_alone", "全年无因政府信息公开工作引发的行政复议案件。", 0, None),
    ("review_count", "本年度被申请行政复议1件，已审结。", 1, None),
    ("review_qi", "信息公开类行政复议1起，正在办理中。", 1, None),
    ("each_in_its_clause", "无因信息公开引发的行政复议案件，未出现相关行政诉讼情况。", 0, 0),
    ("joint_count_above_zero", "因政府信息公开申请行政复议、提起行政诉讼3件。", None, None),
    ("none_lost_is_not_none", "全年未出现被行政复议纠错、行政诉讼败诉的情况。", None, None),
]


@pytest.mark.parametrize(
    ("line", "reviews", "lawsuits"), [d[1:] for d in DISPUTES], ids=[d[0] for d in DISPUTES]
)
def test_reviews_and_lawsuits_from_prose(
    line: str, reviews: int | None, lawsuits: int | None
) -> None:
    report = _page(line)
    assert report.reviews.total == reviews
    assert report.reviews.upheld is None and report.reviews.pending is None
    assert _lawsuits(report) == (lawsuits, lawsuits)
    assert report.lawsuits_stated == lawsuits
    if reviews is not None:
        assert report.provenance["reviews.total"].via == "prose"
    if lawsuits is not None:
        assert report.provenance["lawsuits_direct.total"].via == "prose"


def test_lawsuits_above_zero_are_not_split_between_the_tables() -> None:
    report = _page("本年度因政府信息公开被提起行政诉讼2件。")
    assert _lawsuits(report) == (None, None)
    assert report.lawsuits_stated == 2
    assert report.model_dump()["lawsuits_stated"] == 2
    assert report.provenance["lawsuits_stated"].via == "prose"


def test_no_stated_lawsuits_leave_no_key() -> None:
    assert "lawsuits_stated" not in _page(NEUTRAL).model_dump(mode="json")


@pytest.mark.parametrize(
    "line", ["2023年，我镇未发生因政府信息公开申", "2023年未发生针对"], ids=["verb", "object"]
)
def test_a_sentence_cut_off_gives_nothing(line: str) -> None:
    report = _page(line, cut_off=True)
    assert report.reviews.total is None and _lawsuits(report) == (None, None)
    assert report.lawsuits_stated is None


# --- the table wins ----------------------------------------------------------------------


def _sample_saying(sentence: str) -> Report:
    """Sample 002 (tables 三 and 四 complete, all of table 四 0) with ``sentence`` added."""
    text = sample_path("002").read_text(encoding="utf-8")
    heading = "二、主动公开政府信息情况"
    assert heading in text
    return parse_text(text.replace(heading, f"{sentence}\n{heading}", 1))


def test_the_tables_win_and_checks_quote_the_prose() -> None:
    report = _sample_saying("本年度被申请行政复议2件，被提起行政诉讼1件。")
    assert report.reviews.total == 0 and _lawsuits(report) == (0, 0)
    assert report.lawsuits_stated is None
    assert report.provenance["reviews.total"].via is None
    messages = {c.code: c.message for c in report.checks}
    assert "行政复议2件" in messages["narrative.reviews"]
    assert "2" in messages["narrative.reviews"] and "0" in messages["narrative.reviews"]
    assert "被提起行政诉讼1件" in messages["narrative.lawsuits"]


def test_the_table_wins_over_prose_applications() -> None:
    report = _sample_saying("本年度共收到政府信息公开申请5件。")
    assert report.applications["new"].total == 1
    assert report.provenance["applications.new.total"].via is None
    [check] = [c for c in report.checks if c.code == "narrative.applications"]
    assert "5" in check.message and "1" in check.message


def test_agreeing_prose_adds_no_check() -> None:
    report = _sample_saying("本年度未发生行政复议和行政诉讼。")
    assert not {"narrative.reviews", "narrative.lawsuits"} & _codes(report)


# --- items published ---------------------------------------------------------------------

PUBLISHED = [
    ("total_with_breakdown", "全年主动公开政府信息158条，具体包括动态90条、公告68条。", 158),
    ("total_of_all_kinds", "目前主要渠道为网站、公开栏等平台，主动发布各类信息231条。", 231),
    (
        "cumulative_distractor",
        "截至目前共发布1234条信息，2023年公开政府信息87条，其中工作动态60篇。",
        87,
    ),
    ("year_end_sum", "截至2023年12月31日，我镇通过多种渠道累计主动公开政府信息415条。", 415),
    ("only_figure_one_channel", "2023年通过县政府网站公开信息19条。", 19),
    ("summed_channel", "在县政府网站主动公开政府信息共计64条，通过公众号发布信息300余条。", 64),
    ("one_channel_of_two", "共发布更新县政府网信息13条。在微信公众号发布信息368条。", None),
    ("channel_split", "通过微信公众号发布信息45条，在政府网站发布信息31条。", None),
    ("channel_list", "在县政府门户网站主动公开工作动态等方面的信息52条、通知公告17条。", None),
    ("ten_thousands", "主动公开政府信息20余万条，其中网站发布信息9876条。", None),
    ("several_totals", "全年共公开信息120条。全年共发布政务信息95条。", None),
    ("interpretation_not_items", "发布政策解读信息26条。", None),
    ("category_list", "工作信息30条、文件通知3条、信息公开年报1条。", None),
]


@pytest.mark.parametrize(
    ("line", "items"), [p[1:] for p in PUBLISHED], ids=[p[0] for p in PUBLISHED]
)
def test_items_published(line: str, items: int | None) -> None:
    report = _page(line)
    assert report.proactive.published_items == items
    if items is not None:
        assert report.provenance["proactive.published_items"].approximate is False


@pytest.mark.parametrize(
    "line",
    ["2023年，我镇共主动公开政府信息260余条。", "在门户网站等平台主动公开政府信息260余\n"],
    ids=["with_unit", "unit_lost_at_line_end"],
)
def test_an_approximate_total_is_read_and_marked(line: str) -> None:
    report = _page(line)
    assert report.proactive.published_items == 260
    assert report.provenance["proactive.published_items"].approximate is True
    assert report.model_dump(mode="json")["provenance"]["proactive.published_items"]["approximate"]


def test_a_number_cut_off_at_the_end_of_the_text_is_not_read() -> None:
    assert _page("2023年，我镇主动公开政府信息15", cut_off=True).proactive.published_items is None


def test_a_lone_channel_figure_whose_paragraph_is_cut_off_is_not_read() -> None:
    report = _page("2023年通过信息公示栏公开政务信息73条，主要对惠农补贴、项目招", cut_off=True)
    assert report.proactive.published_items is None
