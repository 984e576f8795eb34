"""The table reader: every shape the three tables arrive in, and the five sample reports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from indexer.document import Section
from indexer.models import APPLICATION_ROWS
from indexer.tables import Tables, read_tables

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
