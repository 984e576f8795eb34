"""parse_text / parse_file: ids, sources, bad input, and the error contract."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer import ExtractError, ParseError, parse_file, parse_text
from indexer.models import SECTION_KEYS
from indexer.parsing.normalise import normalise
from tests.conftest import SAMPLE_PATHS, sample_path

_NOT_SOURCE = {"id", "source"}


def test_id_is_the_first_16_hex_of_the_file_sha256() -> None:
    path = sample_path("000")
    report = parse_file(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert report.source.sha256 == digest
    assert report.id == digest[:16]
    assert report.source.format == "txt" and report.source.encoding


def test_id_is_stable() -> None:
    path = sample_path("001")
    assert parse_file(path).id == parse_file(path).id


def test_parse_text_matches_parse_file_apart_from_source() -> None:
    path = sample_path("004")
    from_text = parse_text(path.read_text(encoding="utf-8"), path=str(path))
    from_file = parse_file(path)
    assert from_text.model_dump(exclude=_NOT_SOURCE) == from_file.model_dump(exclude=_NOT_SOURCE)
    assert from_text.id == from_file.id  # the UTF-8 text hashes like the UTF-8 file


def test_sections_have_every_key() -> None:
    report = parse_file(sample_path("003"))
    assert list(report.sections) == list(SECTION_KEYS)
    assert report.sections["other"] == "无其他需要报告的事项。"


def test_provenance_points_at_source_lines() -> None:
    path = sample_path("002")
    lines = path.read_text(encoding="utf-8").split("\n")
    report = parse_file(path)
    for key, value in [
        ("contact.postcode", "130000"),
        ("year", "2023年12月31日"),
        ("applications.new.natural_person", "1"),
    ]:
        where = report.provenance[key]
        assert value in where.text, key
        assert where.text in normalise(lines[where.line - 1]), key


@pytest.mark.parametrize("path", SAMPLE_PATHS, ids=[p.stem for p in SAMPLE_PATHS])
def test_gbk_copy_is_the_same_record(path: Path, tmp_path: Path) -> None:
    gbk = tmp_path / f"{path.stem}.txt"
    text = path.read_text(encoding="utf-8")
    # GBK has no en space or no-break space (sample 003 has both); a GBK page has a plain space.
    gbk.write_bytes(text.replace("\u2002", " ").replace("\xa0", " ").encode("gbk"))
    copy, original = parse_file(gbk), parse_file(path)
    assert copy.model_dump(exclude=_NOT_SOURCE) == original.model_dump(exclude=_NOT_SOURCE)
    assert copy.source.encoding != original.source.encoding
    assert copy.id != original.id


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises((ExtractError, ParseError)) as caught:
        parse_file(empty)
    assert "empty.txt" in str(caught.value)


def test_blank_text() -> None:
    with pytest.raises(ParseError, match="empty"):
        parse_text(" \n\t\n")


def test_binary_file(tmp_path: Path) -> None:
    binary = tmp_path / "report.txt"
    binary.write_bytes(bytes(range(256)) * 8 + b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(ExtractError) as caught:
        parse_file(binary)
    assert "report.txt" in str(caught.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ExtractError, match="not found"):
        parse_file(tmp_path / "nope.txt")


def test_text_that_is_not_a_report() -> None:
    recipe = "红烧肉的做法\n\n五花肉切块，焯水。\n加入冰糖炒出糖色，再加生抽老抽。\n小火炖一小时。"
    with pytest.raises(ParseError, match="not a disclosure report") as caught:
        parse_text(recipe, path="recipe.txt")
    assert caught.value.path == "recipe.txt"


def test_report_without_tables_says_what_is_missing() -> None:
    text = "某某镇2023年政府信息公开工作年度报告\n一、总体情况\n本年度未收到政府信息公开申请。\n"
    report = parse_text(text)
    codes = {c.code for c in report.checks}
    assert {"missing.applications_table", "missing.proactive_table"} <= codes
    assert "missing.reviews_table" in codes
    assert report.township == "某某镇" and report.year == 2023


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.text(max_size=300),
        st.lists(
            st.sampled_from(
                [
                    "一、总体情况",
                    "二、主动公开政府信息情况",
                    "三、收到和处理政府信息公开申请情况",
                    "四、政府信息公开行政复议、行政诉讼情况",
                    "第二十条第(一)项",
                    "规章\t0\t\t",
                    "一、本年新收政府信息公开申请数量\t1\t0\t\t0\t0\t0\t1",
                    "(七)总计\t\t\t",
                    "四、结转下年度继续办理\t0",
                    "\t",
                    "\n",
                    "电话:0469—",
                    "2023年1月1日至2023年12月31日",
                    "某某镇人民政府",
                    "行政复议\t行政诉讼",
                    "0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0",
                ]
            ),
            max_size=30,
        ).map("\n".join),
    )
)
def test_arbitrary_text_raises_only_parse_error(text: str) -> None:
    try:
        report = parse_text(text)
    except ParseError:
        return
    assert report.id and list(report.sections) == list(SECTION_KEYS)


def _mirror(text: str) -> str:
    """A mirror site's copy: Traditional characters, pinyin after each 乡/镇 (鎮(zhèn))."""
    import opencc

    readings = {"鄉": "xiāng", "鎮": "zhèn"}
    traditional = opencc.OpenCC("s2t").convert(text)
    return "".join(f"{c}({readings[c]})" if c in readings else c for c in traditional)


@pytest.mark.parametrize("path", SAMPLE_PATHS, ids=[p.stem for p in SAMPLE_PATHS])
def test_traditional_mirror_copy_is_the_same_record(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    mirror = _mirror(text)
    assert "鎮(zhèn)" in mirror or "鄉(xiāng)" in mirror
    original = parse_text(text).model_dump(exclude=_NOT_SOURCE)
    assert parse_text(mirror).model_dump(exclude=_NOT_SOURCE) == original
