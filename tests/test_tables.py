"""The table reader: every shape the three tables arrive in, and the five sample reports."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.models import APPLICATION_ROWS
from indexer.parsing.document import Section
from indexer.parsing.normalise import normalise
from indexer.parsing.tables import Tables, read_tables

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def section(key: str, text: str, start_line: int = 1) -> Section:
    """A section holding ``text`` (no heading line), its first line at ``start_line``."""
    return Section(key=key, heading=None, start_line=start_line, lines=text.split("\n"))


def read(**texts: str) -> Tables:
    """Read tables from section texts given by section key."""
    return read_tables({key: section(key, text) for key, text in texts.items()})


def row(tables: Tables, key: str) -> list[int | None]:
    """One applications row as a list in column order."""
    return list(tables.applications[key].model_dump().values())


def codes(tables: Tables) -> list[str]:
    """The problem codes, in order."""
    return [problem.code for problem in tables.problems]


# --- samples: sections sliced by their headings (the section splitter is tested elsewhere) ---

_HEADINGS = (
    ("proactive", "主动公开政府信息情况"),
    ("applications", "收到和处理政府信息公开申请情况"),
    ("reviews_lawsuits", "行政复议、行政诉讼情况"),
    ("end", "存在的主要问题"),
)


def sample_sections(prefix: str) -> dict[str, Section]:
    """Sections 二, 三 and 四 of a sample report, sliced between headings "二、" … "五、"."""
    path = next(SAMPLES.glob(f"{prefix}_*.txt"))
    lines = path.read_text(encoding="utf-8").split("\n")
    starts: list[int] = []
    for _, words in _HEADINGS:
        after = starts[-1] + 1 if starts else 0
        starts.append(
            next(
                i
                for i in range(after, len(lines))
                if words in lines[i] and re.match(r"[#*\s]*[二三四五2345][、.]", lines[i])
            )
        )
    return {
        key: Section(key=key, heading=lines[a], start_line=a + 2, lines=lines[a + 1 : b])
        for (key, _), a, b in zip(_HEADINGS, starts, starts[1:], strict=False)
    }


@pytest.fixture(scope="module", params=["000", "001", "002", "003", "004"])
def sample(request: pytest.FixtureRequest) -> Tables:
    return read_tables(sample_sections(request.param))


def test_every_sample_has_all_three_tables(sample: Tables) -> None:
    assert "table_missing" not in codes(sample)
    assert set(sample.applications) == set(APPLICATION_ROWS)


def test_reviews_and_lawsuits_are_all_zero_in_every_sample(sample: Tables) -> None:
    for outcomes in (sample.reviews, sample.lawsuits_direct, sample.lawsuits_after_review):
        assert outcomes.model_dump() == dict.fromkeys(outcomes.model_dump(), 0)


def test_changsheng_town_licensing_and_penalties() -> None:
    tables = read_tables(sample_sections("003"))
    assert tables.proactive.licensing == 94
    assert tables.proactive.penalties == 19
    assert tables.proactive.coercion == 0
    assert tables.provenance["proactive.licensing"].line == 34
    assert tables.provenance["proactive.penalties"].line == 42


def test_xingfu_township_one_application_not_held() -> None:
    tables = read_tables(sample_sections("002"))
    assert tables.applications["new"].natural_person == 1
    assert tables.applications["new"].total == 1
    assert row(tables, "unavailable_not_held") == [1, 0, 0, 0, 0, 0, 1]
    assert tables.applications["total_processed"].total == 1
    assert tables.applications["carried_forward"].total == 0
    assert tables.provenance["applications.unavailable_not_held.natural_person"].line == 217


def test_xingfu_township_blank_coercion_cell_stays_null() -> None:
    tables = read_tables(sample_sections("002"))
    assert tables.proactive.coercion is None
    assert tables.proactive.penalties == 0
    assert tables.proactive.licensing == 0
    assert tables.provenance["proactive.coercion"].line == 46


def test_donggou_township_only_totals_filled() -> None:
    tables = read_tables(sample_sections("001"))
    for key in APPLICATION_ROWS:
        if key in ("other_overdue_correction", "other_overdue_fee"):
            continue  # this report has the single "(六)其他处理" row
        assert row(tables, key) == [None] * 6 + [0], key


def test_old_format_sample_maps_2019_headings() -> None:
    tables = read_tables(sample_sections("000"))
    assert tables.proactive.rules.issued == 0
    assert tables.proactive.rules.in_force is None  # 对外公开总数量 is not 现行有效件数
    assert tables.proactive.fees is None  # the 2019 收费 table has no amount column
    assert tables.proactive.licensing == 0
    assert row(tables, "other_other") == [0] * 7  # the single "(六)其他处理" row
    assert row(tables, "other_overdue_correction") == [None] * 7
    assert row(tables, "unavailable_needs_creation") == [0] * 7
    assert row(tables, "carried_forward") == [0] * 7
    assert "column_missing" in codes(tables)
    assert "row_missing" in codes(tables)


def test_new_format_samples_read_without_problems() -> None:
    for prefix in ("002", "003", "004"):
        assert read_tables(sample_sections(prefix)).problems == [], prefix


# --- table 三 in each shape --------------------------------------------------------------

# Each row's seven cells (自然人 … 其他, 总计); distinct enough that a shifted row shows.
EXPECTED = {
    "new": [2, 1, 0, 0, 1, 0, 4],
    "carried_over": [1, 0, 0, 0, 0, 0, 1],
    "granted": [1, 1, 0, 0, 0, 0, 2],
    "partially_granted": [0, 0, 0, 0, 1, 0, 1],
    "withheld_state_secret": [0, 0, 0, 0, 0, 0, 0],
    "withheld_internal_affairs": [0, 0, 0, 0, 0, 0, 0],
    "unavailable_not_held": [1, 0, 0, 0, 0, 0, 1],
    "unavailable_needs_creation": [0, 0, 1, 0, 0, 0, 1],
    "unavailable_unclear": [0, 0, 0, 2, 0, 0, 2],
    "rejected_duplicate": [0, 0, 0, 0, 0, 3, 3],
    "rejected_complaint": [0, 0, 0, 0, 0, 0, 0],
    "other_overdue_correction": [0, 0, 0, 0, 0, 0, 0],
    "other_other": [0, 0, 0, 0, 0, 0, 0],
    "total_processed": [2, 1, 0, 0, 1, 0, 4],
    "carried_forward": [1, 0, 0, 0, 0, 0, 1],
}

# The 2021 national layout as tab-separated rows, group labels in leading cells.
TAB_ROWS = """\
(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)\t申请人情况\t\t\t\t\t\t
\t自然人\t法人或其他组织\t\t\t\t\t总计
\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t
一、本年新收政府信息公开申请数量\t2\t1\t0\t0\t1\t0\t4
二、上年结转政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1
三、本年度办理结果\t(一)予以公开\t1\t1\t0\t0\t0\t0\t2
\t(二)部分公开（区分处理的，只计这一情形，不计其他情形）\t0\t0\t0\t0\t1\t0\t1
\t(三)不予公开\t1.属于国家秘密\t0\t0\t0\t0\t0\t0\t0
\t\t5.属于三类内部事务信息\t0\t0\t0\t0\t0\t0\t0
\t(四)无法提供\t1.本机关不掌握相关政府信息\t1\t0\t0\t0\t0\t0\t1
\t(五)不予处理\t1.信访举报投诉类申请\t0\t0\t0\t0\t0\t0\t0
\t(六)其他处理\t1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请\t0\t0\t0\t0\t0\t0\t0
\t\t3.其他\t0\t0\t0\t0\t0\t0\t0
\t(七)总计\t2\t1\t0\t0\t1\t0\t4
四、结转下年度继续办理\t1\t0\t0\t0\t0\t0\t1"""


def one_cell_per_line(tab_rows: str) -> str:
    """The same table flattened one cell per line, rows separated by blank lines."""
    blocks = ["\n".join(f"\t{cell}" for cell in line.split("\t")) for line in tab_rows.split("\n")]
    return "\n\n".join(blocks)


def pipe_rows(tab_rows: str) -> str:
    """The same table as a markdown pipe table."""
    lines = [f"| {' | '.join(line.split(chr(9)))} |" for line in tab_rows.split("\n")]
    return "\n".join([lines[0], "|" + "---|" * 8, *lines[1:]])


# One cell per line with labels broken across lines and stray spaces around numbers.
ONE_CELL_BROKEN = """\
\t申请人情况

\t
\t自然人
\t法人或其他组织
\t总计

\t一、本年新收政府信息公
开申请数量
\t2
\t　　1
\t 0
\t0\x20
\t1
\t0
\t4

\t二、上年结转政府信息公开申请数量
\t1
\t0
\t0
\t0
\t0
\t0
\t1


三、本年度办理结果
\t（一）予以公开
\t1
\t1
\t0
\t0
\t0
\t0
\t2"""

# 2019-era layout: labels split by spaces, group labels interleaved with rows, the
# "(五) 不予处理" group label on a row of its own, a single "(六) 其他处理" row.
INTERLEAVED = """\
\t自然人\t法人或其他组织\t\t\t\t\t总计
一、本年新收政府信息公开申请数量\t2\t1\t0\t0\t1\t0\t4
二、上年结转政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1
\t(一) 予以公开\t1\t1\t0\t0\t0\t0\t2
\t(二) 部分公开 (区分处理的, 只计这一情形, 不计其他情形)\t0\t0\t0\t0\t1\t0\t1
(三) 不予 公开\t1. 属于国家秘密\t0\t0\t0\t0\t0\t0\t0
\t5. 属于三类内部事务信息\t0\t0\t0\t0\t0\t0\t0
\t1. 本机关不掌握相关政府信息\t1\t0\t0\t0\t0\t0\t1

三、 本 年 度\t(四)\t2. 没有现成信息 需要另行制作\t0\t0\t1\t0\t0\t0\t1
\t无法 提供\t3. 补正后申请内 容仍不明确\t0\t0\t0\t2\t0\t0\t2
\t(五)\t1. 信访举报投诉 类申请\t0\t0\t0\t0\t0\t0\t0
办 理 结 果\t不予 处理\t\t\t\t\t\t\t\t
\t\t2. 重复申请\t0\t0\t0\t0\t0\t3\t3
\t\t(六) 其他处理\t0\t0\t0\t0\t0\t0\t0
\t(七) 总计\t2\t1\t0\t0\t1\t0\t4\t
四、结转下年度继续办理\t\t\t1\t0\t0\t0\t0\t0\t1"""

# A label broken across two lines of tab-separated rows: the number cells follow its tail.
SPLIT_LABEL = """\
一、本年新收政府信息公开申请数量\t2\t1\t0\t0\t1\t0\t4
\t(二)部分公开（区分处理的，只计这一
情形，不计其他情形）\t0\t0\t0\t0\t1\t0\t1
\t(四)无法提供\t1.本机关不掌握相关政
府信息\t1\t0\t0\t0\t0\t0\t1"""


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(TAB_ROWS, id="tab-rows"),
        pytest.param(one_cell_per_line(TAB_ROWS), id="one-cell-per-line"),
        pytest.param(pipe_rows(TAB_ROWS), id="pipe-rows"),
        pytest.param(ONE_CELL_BROKEN, id="one-cell-broken-labels"),
        pytest.param(INTERLEAVED, id="interleaved-group-labels"),
        pytest.param(SPLIT_LABEL, id="label-split-across-lines"),
    ],
)
def test_application_rows_are_read_in_every_shape(text: str) -> None:
    tables = read(applications=text)
    read_rows = {key for key, counts in tables.applications.items() if counts.total is not None}
    assert read_rows, "no row read"
    for key in read_rows:
        assert row(tables, key) == EXPECTED[key], key


@pytest.mark.parametrize(
    ("text", "rows"),
    [
        pytest.param(TAB_ROWS, 12, id="tab-rows"),
        pytest.param(one_cell_per_line(TAB_ROWS), 12, id="one-cell-per-line"),
        pytest.param(pipe_rows(TAB_ROWS), 12, id="pipe-rows"),
        pytest.param(ONE_CELL_BROKEN, 3, id="one-cell-broken-labels"),
        pytest.param(INTERLEAVED, 14, id="interleaved-group-labels"),
        pytest.param(SPLIT_LABEL, 3, id="label-split-across-lines"),
    ],
)
def test_every_labelled_row_is_found(text: str, rows: int) -> None:
    tables = read(applications=text)
    read_rows = [key for key, counts in tables.applications.items() if counts.total is not None]
    assert len(read_rows) == rows, read_rows


def test_old_single_other_row_goes_to_other_other_and_overdue_rows_stay_null() -> None:
    tables = read(applications=INTERLEAVED)
    assert tables.applications["other_other"].total == 0
    assert row(tables, "other_overdue_correction") == [None] * 7
    assert row(tables, "other_overdue_fee") == [None] * 7
    missing = next(p.message for p in tables.problems if p.code == "row_missing")
    assert "逾期不补正" in missing


def test_2021_other_subrow_wins_over_its_group_label() -> None:
    text = """\
\t(六)其他处理\t\t\t\t\t\t\t
\t\t1.申请人无正当理由逾期不补正\t1\t0\t0\t0\t0\t0\t1
\t\t2.申请人逾期未按收费通知要求缴纳费用\t0\t2\t0\t0\t0\t0\t2
\t\t3.其他\t0\t0\t3\t0\t0\t0\t3"""
    tables = read(applications=text)
    assert row(tables, "other_overdue_correction") == [1, 0, 0, 0, 0, 0, 1]
    assert row(tables, "other_overdue_fee") == [0, 2, 0, 0, 0, 0, 2]
    assert row(tables, "other_other") == [0, 0, 3, 0, 0, 0, 3]


def test_only_total_column_filled_leaves_the_six_null() -> None:
    # Ragged tabs as in the sample: the lone 0 is not always in the same tab position.
    text = """\
一、本年新收政府信息公开申请数量\t\t\t\t\t\t\t0\t
三、本年度办理结果\t(一) 予以公开\t\t\t\t\t\t0\t
\t(三) 不予公开\t1. 属于国家秘密\t\t\t\t\t\t0
(六) 其他处理\t\t\t\t\t\t0\t\t"""
    tables = read(applications=text)
    for key in ("new", "granted", "withheld_state_secret", "other_other"):
        assert row(tables, key) == [None] * 6 + [0], key


def test_blank_cells_inside_a_row_stay_null() -> None:
    text = "一、本年新收政府信息公开申请数量\t2\t\t0\t0\t\t0\t2"
    assert row(read(applications=text), "new") == [2, None, 0, 0, None, 0, 2]


def test_one_cell_per_line_keeps_an_empty_cell_as_a_blank() -> None:
    # A Word table copied one cell per line: an empty cell is an empty line between values.
    text = (
        "一、本年新收政府信息公开申请数量\n9\n2\n\n1\n\n0\n12\n"
        "二、上年结转政府信息公开申请数量\n1\n1\n\n0\n\n0\n2"
    )
    tables = read(applications=text)
    assert row(tables, "new") == [9, 2, None, 1, None, 0, 12]
    assert row(tables, "carried_over") == [1, 1, None, 0, None, 0, 2]


def test_a_blank_line_before_the_next_label_is_no_cell() -> None:
    text = "第二十条第（五）项\n信息内容\n本年处理决定数量\n行政许可\n406\n\n第二十条第（六）项"
    assert read(proactive=text).proactive.licensing == 406


def test_a_short_row_missing_its_total_is_aligned_left() -> None:
    # Six numbers and a blank 总计: aligned right they would not add up.
    text = "一、本年新收政府信息公开申请数量\t2\t1\t0\t0\t1\t0\t"
    assert row(read(applications=text), "new") == [2, 1, 0, 0, 1, 0, None]


def test_numbers_inside_labels_are_not_cells() -> None:
    text = "\t(三)不予公开\t5.属于三类内部事务信息\t3\t0\t0\t0\t0\t0\t3"
    assert row(read(applications=text), "withheld_internal_affairs") == [3, 0, 0, 0, 0, 0, 3]


def test_provenance_points_at_the_line_of_each_value() -> None:
    tables = read_tables({"applications": section("applications", TAB_ROWS, start_line=40)})
    where = tables.provenance["applications.new.total"]
    assert where.line == 43
    assert where.text.startswith("一、本年新收")
    assert tables.provenance["applications.carried_forward.natural_person"].line == 54


# --- table 二 ----------------------------------------------------------------------------

PROACTIVE_2021 = """\
第二十条第（一）项\t\t\t
信息内容\t本年制发件数\t本年废止件数\t现行有效件数
规章\t1\t0\t5
行政规范性文件\t3\t1\t12
第二十条第（五）项\t\t\t
信息内容\t本年处理决定数量\t\t
行政许可\t94\t\t
第二十条第（六）项\t\t\t
信息内容\t本年处理决定数量\t\t
行政处罚\t19\t\t
行政强制\t2\t\t
第二十条第（八）项\t\t\t
信息内容\t本年收费金额（单位：万元）\t\t
行政事业性收费\t1.25\t\t"""

# 2019-era headings: three columns where only one is "this year's decisions".
PROACTIVE_2019 = """\
第二十条第（一）项\t\t\t
信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量
规章\t2\t3\t40
规范性文件\t4\t4\t60
第二十条第（五）项\t\t\t
信息内容\t上一年项目数量\t本年增/减\t处理决定数量
行政许可\t30\t-2\t7

其他对外管理服务事项\t5\t0\t99
第二十条第（六）项\t\t\t
信息内容\t上一年项目数量\t本年增/减\t处理决定数量
行政处罚\t10\t1\t8
行政强制\t3\t0\t6
第二十条第（八）项\t\t\t
信息内容\t上一年项目数量\t本年增/减\t
行政事业性收费\t4\t0\t
第二十条第（九）项\t\t\t
信息内容\t采购项目数量\t采购总金额\t
政府集中采购\t1\t20\t"""


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(PROACTIVE_2021, id="tab-rows"),
        pytest.param(one_cell_per_line(PROACTIVE_2021), id="one-cell-per-line"),
        pytest.param(pipe_rows(PROACTIVE_2021), id="pipe-rows"),
    ],
)
def test_proactive_2021_layout_in_every_shape(text: str) -> None:
    tables = read(proactive=text)
    proactive = tables.proactive
    assert proactive.rules.model_dump() == {"issued": 1, "repealed": 0, "in_force": 5}
    assert proactive.normative_documents.model_dump() == {
        "issued": 3,
        "repealed": 1,
        "in_force": 12,
    }
    assert (proactive.licensing, proactive.penalties, proactive.coercion) == (94, 19, 2)
    assert proactive.fees == 1.25
    assert isinstance(proactive.licensing, int)
    assert proactive.published_items is None  # the narrative's business
    assert codes(tables) == ["table_missing"] * 2  # only the other two tables


def test_proactive_2019_headings_pick_this_years_decisions() -> None:
    tables = read(proactive=PROACTIVE_2019)
    proactive = tables.proactive
    assert proactive.licensing == 7  # 处理决定数量, not the 99 of 其他对外管理服务事项
    assert (proactive.penalties, proactive.coercion) == (8, 6)
    assert proactive.rules.model_dump() == {"issued": 2, "repealed": None, "in_force": None}
    assert proactive.normative_documents.issued == 4
    assert proactive.fees is None
    messages = " ".join(p.message for p in tables.problems if p.code == "column_missing")
    assert "行政事业性收费" in messages
    assert "现行有效件数" in messages


def test_proactive_blank_cell_stays_null_one_cell_per_line() -> None:
    text = "\t信息内容\n\t本年处理决定数量\n\n\t行政处罚\n\t0\n\n\t行政强制\n\t\n\n"
    tables = read(proactive=text)
    assert tables.proactive.penalties == 0
    assert tables.proactive.coercion is None
    assert tables.provenance["proactive.coercion"].line == 8


def test_proactive_stray_spaces_around_numbers() -> None:
    headings = "\t信息内容\n\t本年制发件数\n\t本年废止件数\n\t现行有效件数"
    text = headings + "\n\n\t规章\n\t　　3\n\t 　0\n\t 7 "
    assert read(proactive=text).proactive.rules.model_dump() == {
        "issued": 3,
        "repealed": 0,
        "in_force": 7,
    }


def test_proactive_without_heading_rows_assumes_the_national_columns() -> None:
    tables = read(proactive="规章\t1\t2\t3\n行政许可\t5\n行政处罚\t6")
    assert tables.proactive.rules.model_dump() == {"issued": 1, "repealed": 2, "in_force": 3}
    assert (tables.proactive.licensing, tables.proactive.penalties) == (5, 6)
    missing = next(p.message for p in tables.problems if p.code == "row_missing")
    assert "行政强制" in missing
    assert tables.proactive.coercion is None


# --- table 四 ----------------------------------------------------------------------------

REVIEWS_TAB = """\
行政复议\t\t\t\t\t行政诉讼\t\t\t\t\t\t\t\t\t
结果 维持\t结果 纠正\t其他 结果\t尚未 审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉\t\t\t\t
\t\t\t\t\t结 果 维 持\t结 果 纠 正\t其 他 结 果\t尚 未 审 结\t总计\t维持\t纠正\t其他\t尚未审结\t总计
1\t2\t0\t1\t4\t0\t1\t0\t0\t1\t2\t0\t0\t1\t3"""

REVIEWS_ONE_CELL = """\
\t行政复议
\t行政诉讼

\t结果维持
\t结果
纠正
\t其他
结果
\t尚未
审结
\t总计
\t未经复议直接起诉
\t复议后起诉

\t
\t
\t结果
 维持
\t结果纠正
\t其他结果
\t尚未审结
\t总计
\t结果维持
\t结果纠正
\t其他结果
\t尚未审结
\t总计

""" + "\n".join(f"\t{n}" for n in (1, 2, 0, 1, 4, 0, 1, 0, 0, 1, 2, 0, 0, 1, 3))

REVIEWS_LABELLED = """\
| 类别 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |
|---|---|---|---|---|---|
| 行政复议 | 1 | 2 | 0 | 1 | 4 |
| 行政诉讼（未经复议直接起诉） | 0 | 1 | 0 | 0 | 1 |
| 行政诉讼（复议后起诉） | 2 | 0 | 0 | 1 | 3 |"""


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(REVIEWS_TAB, id="tab-rows-split-headings"),
        pytest.param(REVIEWS_ONE_CELL, id="one-cell-per-line"),
        pytest.param(REVIEWS_LABELLED, id="labelled-pipe-rows"),
    ],
)
def test_reviews_and_lawsuits_in_every_shape(text: str) -> None:
    tables = read(reviews_lawsuits=text)
    assert tables.reviews.model_dump() == {
        "upheld": 1,
        "corrected": 2,
        "other": 0,
        "pending": 1,
        "total": 4,
    }
    assert list(tables.lawsuits_direct.model_dump().values()) == [0, 1, 0, 0, 1]
    assert list(tables.lawsuits_after_review.model_dump().values()) == [2, 0, 0, 1, 3]
    assert codes(tables) == ["table_missing"] * 2  # only the other two tables


def test_reviews_column_order_is_read_from_the_headings() -> None:
    # 总计 first in every group: the values follow their headings, not a fixed order.
    headings = "\t".join(["总计", "结果维持", "结果纠正", "其他结果", "尚未审结"] * 3)
    values = "\t".join(["4", "1", "2", "0", "1"] + ["1", "0", "1", "0", "0"] * 2)
    tables = read(reviews_lawsuits=f"行政复议\t行政诉讼\n{headings}\n{values}")
    assert tables.reviews.total == 4
    assert tables.reviews.upheld == 1
    assert tables.lawsuits_after_review.model_dump()["corrected"] == 1


def test_reviews_row_of_the_wrong_width_is_not_guessed() -> None:
    tables = read(reviews_lawsuits="行政复议\t行政诉讼\n0\t0\t0\t0\t0\t0\t0")
    assert tables.reviews.total is None
    assert tables.lawsuits_after_review.total is None
    assert sorted(codes(tables)) == ["row_ambiguous", "table_missing", "table_missing"]


# --- real grids (HTML tables, cells covered by a span are None) ---------------------------

GRID_APPLICATIONS = [
    ["(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)", None, None, "申请人情况"]
    + [None] * 6,
    [None, None, None, "自然人", "法人或其他组织", None, None, None, None, "总计"],
    [None, None, None, None, "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", None],
    ["一、本年新收政府信息公开申请数量", None, None, "2", "1", "0", "0", "1", "0", "4"],
    ["二、上年结转政府信息公开申请数量", None, None, "1", "0", "0", "0", "0", "0", "1"],
    ["三、本年度办理结果", "(一)予以公开", None, "1", "1", "0", "0", "0", "0", "2"],
    [None, "(三)不予公开", "1.属于国家秘密", "", "", "", "", "", "", "0"],
    [None, None, "5.属于三类内部事务信息", "0", "0", "0", "0", "0", "0", ""],
    [None, "(四)无法提供", "1.本机关不掌握相关政府信息", "1", "0", "0", "0", "0", "0", "1"],
    [None, "(七)总计", None, "2", "1", "0", "0", "1", "0", "4"],
    ["四、结转下年度继续办理", None, None, "1", "0", "0", "0", "0", "0", "1"],
]

GRID_PROACTIVE = [
    ["第二十条第（五）项", None, None],
    ["信息内容", "本年处理决定数量", None],
    ["行政许可", "94", None],
]

GRID_REVIEWS = [
    ["行政复议", None, None, None, None, "行政诉讼"] + [None] * 9,
    ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉"]
    + [None] * 4
    + ["复议后起诉"]
    + [None] * 4,
    [None] * 5 + ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2,
    ["1", "2", "0", "1", "4", "0", "1", "0", "0", "1", "2", "0", "0", "1", "3"],
]


def test_real_grids_are_preferred_and_found_by_content() -> None:
    text_sections = {
        "proactive": section("proactive", "行政许可\t5\n"),
        "applications": section("applications", "一、本年新收政府信息公开申请数量\t9\n", 30),
        "reviews_lawsuits": section("reviews_lawsuits", "nothing here"),
    }
    grids = [GRID_REVIEWS, GRID_APPLICATIONS, GRID_PROACTIVE]  # any order
    tables = read_tables(text_sections, grids)
    assert tables.proactive.licensing == 94
    assert row(tables, "new") == EXPECTED["new"]
    assert row(tables, "granted") == EXPECTED["granted"]
    assert row(tables, "withheld_state_secret") == [None] * 6 + [0]
    assert row(tables, "withheld_internal_affairs") == [0] * 6 + [None]  # real cells: no guess
    assert row(tables, "total_processed") == EXPECTED["total_processed"]
    assert row(tables, "carried_forward") == EXPECTED["carried_forward"]
    assert tables.reviews.total == 4
    assert tables.lawsuits_after_review.total == 3
    assert tables.provenance["applications.new.total"].line == 30


def test_text_is_read_when_no_grid_fits() -> None:
    tables = read_tables({"proactive": section("proactive", PROACTIVE_2021)}, [[["照片", "说明"]]])
    assert tables.proactive.licensing == 94


# --- missing tables ----------------------------------------------------------------------


def test_missing_sections_give_nulls_and_problems_never_zeros() -> None:
    tables = read_tables({})
    assert codes(tables) == ["table_missing"] * 3
    assert tables.proactive.licensing is None
    assert all(row(tables, key) == [None] * 7 for key in APPLICATION_ROWS)
    assert tables.reviews.total is None
    assert tables.provenance == {}


def test_prose_without_a_table_is_a_missing_table() -> None:
    prose = "本年度共收到政府信息公开申请3件，均已按时答复。\n\n未发生行政复议、行政诉讼。"
    tables = read(applications=prose, reviews_lawsuits=prose)
    assert codes(tables).count("table_missing") == 3
    assert tables.applications["new"].total is None


# --- rows written with spaces, units, tables whose heading was missed ----------------------


def test_space_separated_rows_after_normalising() -> None:
    # Normalising removes the space between a Chinese label and its first number, and runs
    # the headings of a heading row together; both must still be read.
    text = normalise(
        "信息内容 本年制发件数 本年废止件数 现行有效件数\n"
        "规章 1 0 5\n"
        "行政规范性文件 3 1 12\n"
        "信息内容 本年处理决定数量\n"
        "行政许可 94\n"
    )
    assert "规章1 0 5" in text
    tables = read(proactive=text)
    assert tables.proactive.rules.model_dump() == {"issued": 1, "repealed": 0, "in_force": 5}
    assert tables.proactive.normative_documents.in_force == 12
    assert tables.proactive.licensing == 94


def test_space_separated_application_rows_and_numbers_under_their_label() -> None:
    text = normalise(
        "一、本年新收政府信息公开申请数量 2 1 0 0 1 0 4\n"
        "（七）总计 2 1 0 0 1 0 4\n"
        "四、结转下年度继续办理\n"
        "1 0 0 0 0 0 1\n"
    )
    tables = read(applications=text)
    assert row(tables, "new") == EXPECTED["new"]
    assert row(tables, "total_processed") == EXPECTED["total_processed"]
    assert row(tables, "carried_forward") == EXPECTED["carried_forward"]


def test_prose_ending_in_a_number_is_not_a_row() -> None:
    text = "联系电话:0469-6101183\n邮编:155120\n本年度新收申请数量较上年增长了3"
    tables = read(applications=text)
    assert "table_missing" in codes(tables)


def test_units_after_numbers_are_dropped() -> None:
    text = (
        "信息内容\t本年处理决定数量\n行政许可\t94件\n"
        "信息内容\t本年收费金额（单位：万元）\n行政事业性收费\t1.5万元"
    )
    tables = read(proactive=text)
    assert tables.proactive.licensing == 94
    assert tables.proactive.fees == 1.5


def test_a_table_whose_heading_was_missed_is_found_in_the_section_before() -> None:
    applications_and_reviews = TAB_ROWS + "\n\n" + REVIEWS_TAB
    tables = read_tables({"applications": section("applications", applications_and_reviews)})
    assert row(tables, "new") == EXPECTED["new"]
    assert tables.reviews.total == 4
    assert tables.lawsuits_after_review.total == 3
    assert codes(tables).count("table_missing") == 1  # 二 only


def test_a_stray_labelled_line_elsewhere_is_not_a_table() -> None:
    overview = "本年新收政府信息公开申请数量 3\n\n行政复议 1 0 0 0 1"
    tables = read_tables({"overview": section("overview", overview)})
    assert tables.applications["new"].total is None
    assert tables.reviews.total is None
    assert codes(tables) == ["table_missing"] * 3


def test_one_labelled_row_for_both_kinds_of_lawsuit() -> None:
    text = "行政复议\t1\t2\t0\t1\t4\n行政诉讼\t0\t1\t0\t0\t1\t2\t0\t0\t1\t3"
    tables = read(reviews_lawsuits=text)
    assert tables.reviews.total == 4
    assert tables.lawsuits_direct.model_dump() == {
        "upheld": 0,
        "corrected": 1,
        "other": 0,
        "pending": 0,
        "total": 1,
    }
    assert tables.lawsuits_after_review.total == 3


# --- properties ------------------------------------------------------------------------

_WORDS = [
    "本年新收政府信息公开申请数量",
    "(三)不予公开",
    "1.属于国家秘密",
    "(六)其他处理",
    "3.其他",
    "总计",
    "自然人",
    "信息内容",
    "本年处理决定数量",
    "第二十条第(五)项",
    "行政许可",
    "行政复议",
    "结果维持",
    "尚未审结",
    "无",
    "—",
    "说明",
    "",
    " ",
    "|",
    "---",
    "│",
    "—",
    "——",
    "- 3 -",
    "第3页",
    "1,234",
    "0.5万元",
    "3(件)",
    "无 无",
    "规章0",
]
_CELL = st.one_of(
    st.sampled_from(_WORDS),
    st.integers(min_value=-5, max_value=10_000).map(str),
    st.text(alphabet="0123456789.,万件 一二三()|-", max_size=6),
)
_LINE = st.tuples(
    st.sampled_from(["", "\t"]),
    st.lists(_CELL, max_size=10),
    st.sampled_from(["\t", " ", " | ", "\t\t", "│", "  "]),
).map(lambda parts: parts[0] + parts[2].join(parts[1]))
_TEXT = st.lists(_LINE, max_size=30).map("\n".join)


def _values(tables: Tables) -> dict[str, int | float]:
    """Every non-null value by its dotted path."""
    found: dict[str, int | float] = {}
    proactive = tables.proactive.model_dump(exclude={"published_items"})
    for name, value in proactive.items():
        parts = value.items() if isinstance(value, dict) else [(None, value)]
        for part, number in parts:
            found[f"proactive.{name}" + (f".{part}" if part else "")] = number
    for key, counts in tables.applications.items():
        for column, number in counts.model_dump().items():
            found[f"applications.{key}.{column}"] = number
    for name in ("reviews", "lawsuits_direct", "lawsuits_after_review"):
        for key, number in getattr(tables, name).model_dump().items():
            found[f"{name}.{key}"] = number
    return {path: number for path, number in found.items() if number is not None}


@settings(max_examples=150, deadline=None)
@given(proactive=_TEXT, applications=_TEXT, reviews=_TEXT)
def test_any_text_reads_without_error_and_every_value_has_its_line(
    proactive: str, applications: str, reviews: str
) -> None:
    tables = read(proactive=proactive, applications=applications, reviews_lawsuits=reviews)
    for path, number in _values(tables).items():
        where = tables.provenance[path]
        digits = re.sub(r"[\s,]", "", unicodedata.normalize("NFKC", where.text))
        written = str(abs(number)).removesuffix(".0")
        assert written in digits, (path, number, where)
    assert all(problem.message for problem in tables.problems)


def test_grid_with_the_article_cell_spanning_its_rows() -> None:
    grid = [
        ["第二十条第（一）项", "信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        [None, "规章", "1", "0", "5"],
        [None, "行政规范性文件", "3", "1", "12"],
        ["第二十条第（五）项", "信息内容", "本年处理决定数量", None, None],
        [None, "行政许可", "94", None, None],
    ]
    tables = read_tables({}, [grid])
    assert tables.proactive.rules.model_dump() == {"issued": 1, "repealed": 0, "in_force": 5}
    assert tables.proactive.normative_documents.in_force == 12
    assert tables.proactive.licensing == 94


def test_heading_and_first_row_run_together_in_one_block() -> None:
    # One cell per line with no blank line between the heading cells and the first row.
    text = "\t自然人\n\t法人或其他组织\n\t总计\n\t一、本年新收政府信息公开申请数量\n" + "\n".join(
        f"\t{n}" for n in EXPECTED["new"]
    )
    assert row(read(applications=text), "new") == EXPECTED["new"]


def test_grid_rows_take_the_line_that_carries_their_labels() -> None:
    text = one_cell_per_line(TAB_ROWS)  # the HTML reader also writes each row as text
    tables = read_tables({"applications": section("applications", text, 10)}, [GRID_APPLICATIONS])
    where = tables.provenance["applications.total_processed.total"]
    assert "(七)总计" in where.text
    assert text.split("\n")[where.line - 10] == "\t(七)总计"


def test_one_grid_holding_two_tables() -> None:
    tables = read_tables({}, [GRID_APPLICATIONS + GRID_REVIEWS])
    assert row(tables, "new") == EXPECTED["new"]
    assert tables.reviews.total == 4


@pytest.mark.parametrize(
    ("line", "mark"),
    [
        ("- 3 -", True),
        ("第 3 页 共 6 页", True),
        ("共6页，第3页", True),
        ("3/6", True),
        ("Page 3 of 6", True),
        ("PAGE 3", True),
        ("行政许可\t0\t0", False),
        ("第二十条第(一)项", False),
        ("2023年", False),
        ("", False),
    ],
)
def test_page_marks_are_whole_lines_of_page_chrome(line: str, mark: bool) -> None:
    from indexer.parsing.table_text import is_page_mark

    assert is_page_mark(line) is mark
