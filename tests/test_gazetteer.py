"""The gazetteer completes county, city and province, and says nothing it cannot know."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.parsing.gazetteer import (
    Place,
    city_names,
    county_names,
    division,
    divisions,
    locate,
    lookup,
    province_names,
)

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

# (sample file, the report's opening text as written, expected county, city, province)
SAMPLE_PLACES = [
    (
        "000_d60345c9383538be.txt",
        "岭东区长胜乡人民政府 2023年政府信息公开工作年度报告 如有疑问请与长胜乡联系"
        "(联系地址:双鸭山市东区东矿路,邮编:155120,联系电话:0469-6101183)",
        ("岭东区", "双鸭山市", "黑龙江省"),
    ),
    (
        "004_33c70e6d64948353.txt",
        "集贤县升昌镇人民政府 2023 年政府信息公开 工作年度报告 如有疑问请与集贤县升昌镇人民政府"
        "办公室联系（联系地址：黑龙江省集贤县升昌镇，邮编：155900）",
        ("集贤县", "双鸭山市", "黑龙江省"),
    ),
    (
        "001_614567a681452a82.txt",
        "东沟乡 2023 年度 政府信息公开工作报告 请与东沟乡党政办公室办公室联系"
        "（地址：互助土族自治县东沟乡塘拉村二社，邮编：810599，电话：0972—8390165）",
        ("互助土族自治县", "海东市", "青海省"),
    ),
    (
        "002_48adf1365f76697a.txt",
        "2023年南关区幸福乡人民政府信息公开工作年度报告 现公布长春市南关区幸福乡人民政府"
        "2023年度政府信息公开工作年度报告（通讯地址：长春市南关区锦湖大路与华康街交汇）",
        ("南关区", "长春市", "吉林省"),
    ),
    (
        "003_f57c819d3d38d3bd.txt",
        "彭水苗族土家族自治县长生镇人民政府2023年政府信息公开工作年度报告 一、总体情况",
        ("彭水苗族土家族自治县", "重庆市", "重庆市"),
    ),
]


def _levels(place: Place) -> tuple[str | None, str | None, str | None]:
    return place.county, place.city, place.province


@pytest.mark.parametrize(
    ("text", "expected"),
    [(text, expected) for _, text, expected in SAMPLE_PLACES],
    ids=[name for name, _, _ in SAMPLE_PLACES],
)
def test_sample_report_openings_are_located(text: str, expected: tuple[str, ...]) -> None:
    place = locate(text)
    assert _levels(place) == expected
    assert place.code is not None and place.evidence


@pytest.mark.parametrize(
    ("name", "expected"),
    [(name, expected) for name, _, expected in SAMPLE_PLACES],
    ids=[name for name, _, _ in SAMPLE_PLACES],
)
def test_sample_files_themselves_are_located(name: str, expected: tuple[str, ...]) -> None:
    head = (SAMPLES / name).read_text(encoding="utf-8")[:800]
    assert _levels(locate(head)) == expected


@pytest.mark.parametrize(
    ("text", "township", "expected"),
    [
        # 新城区 is a district of 西安市 and of 呼和浩特市: the county stays, the rest is unknown.
        ("新城区人民政府", None, ("新城区", None, None)),
        ("朝阳区", None, ("朝阳区", None, None)),
        # ...until a higher name, anywhere in the text, settles it.
        ("朝阳区人民政府 地址：长春市人民大街", None, ("朝阳区", "长春市", "吉林省")),
        ("北京市朝阳区", None, ("朝阳区", "北京市", "北京市")),
        # 东区 (a district of 攀枝花市) right after 双鸭山市 is part of a street address.
        ("联系地址:双鸭山市东区东矿路", None, (None, "双鸭山市", "黑龙江省")),
        # 东区 directly under its own city is that district.
        ("攀枝花市东区人民政府", None, ("东区", "攀枝花市", "四川省")),
        # A full name right after its parent means that parent's child, not a namesake.
        ("许昌市魏都区东城区", None, ("魏都区", "许昌市", "河南省")),
        # 东区 inside 岭东区 is never read on its own.
        ("岭东区", None, ("岭东区", "双鸭山市", "黑龙江省")),
        # A township alone is located when its name is unique...
        ("升昌镇人民政府", None, ("集贤县", "双鸭山市", "黑龙江省")),
        # ...and not when it is not (幸福乡 is in 吉林, 黑龙江 and 内蒙古).
        ("幸福乡人民政府", None, (None, None, None)),
        ("城关镇人民政府", None, (None, None, None)),
        # The township given by the parser counts as a name in the text.
        ("2023年政府信息公开工作年度报告", "长胜乡", ("岭东区", "双鸭山市", "黑龙江省")),
        ("吉林省 2023年度报告", "幸福乡", ("南关区", "长春市", "吉林省")),
        # A stated province that contradicts nothing is kept, with nothing invented below it.
        ("黑龙江省人民政府", None, (None, None, "黑龙江省")),
        ("黑龙江省城关镇", None, (None, None, "黑龙江省")),
        # Spaces inside the names do not matter.
        ("集贤县 升昌镇 人民政府", None, ("集贤县", "双鸭山市", "黑龙江省")),
        # The usual short form of an autonomous county.
        ("互助县东沟乡", None, ("互助土族自治县", "海东市", "青海省")),
        # Names that contradict each other, equally strong: only what all readings share.
        ("黑龙江省人民政府 南关区人民政府", None, (None, None, None)),
        # A county the text writes outweighs a township the gazetteer knows only next door.
        ("郸城县白集镇人民政府", "白集镇", ("郸城县", "周口市", "河南省")),
        # A county-level city under its province directly has no prefecture.
        ("仙桃市人民政府", None, ("仙桃市", None, "湖北省")),
    ],
)
def test_ambiguity_is_resolved_or_admitted(
    text: str, township: str | None, expected: tuple[str | None, ...]
) -> None:
    assert _levels(locate(text, township=township)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2023年政府信息公开工作年度报告",
        "联系地址：中山路18号",  # 中山 (a city's short form) alone decides nothing
        "省委和县委的工作部署",  # 和县 inside ordinary words
        "东区东矿路",
    ],
)
def test_text_without_a_certain_place_gives_nothing(text: str) -> None:
    place = locate(text)
    assert place == Place(None, None, None, None, place.evidence)
    assert place.evidence


def test_ambiguity_is_explained_in_the_evidence() -> None:
    place = locate("新城区人民政府")
    assert "ambiguous" in place.evidence
    assert "西安市" in place.evidence and "呼和浩特市" in place.evidence


def test_the_deciding_names_are_in_the_evidence() -> None:
    evidence = locate("集贤县升昌镇").evidence
    assert "集贤县" in evidence and "升昌镇" in evidence


def test_a_name_outvoted_by_a_consistent_chain_is_named_as_set_aside() -> None:
    place = locate("黑龙江省南关区幸福乡")  # 南关区 and its 幸福乡 are in 吉林省
    assert (place.county, place.city, place.province) == ("南关区", "长春市", "吉林省")
    assert "set aside: 黑龙江省" in place.evidence


def test_codes_are_the_2023_statistical_codes() -> None:
    assert locate("岭东区长胜乡").code == "230503200"
    assert locate("互助土族自治县").code == "630223"
    assert division("6302") is not None and division("6302").name == "海东市"  # since 2013


def test_names_for_search_include_short_forms() -> None:
    assert {"黑龙江省", "黑龙江", "青海省", "重庆市"} <= province_names()
    assert {"双鸭山市", "双鸭山", "海东市", "长春市", "重庆市"} <= city_names()
    assert {"集贤县", "互助土族自治县", "互助县"} <= county_names()
    assert [d.name for d in lookup("黑龙江")] == ["黑龙江省"]


def test_divisions_by_level_cover_the_country() -> None:
    assert len(divisions(1)) == 31
    assert 330 < len(divisions(2)) < 345
    assert len(divisions(3)) > 2800
    assert len(divisions(4)) > 38000
    township = division("230503200")
    assert township is not None and township.parent_code == "230503"


_WORDS = st.sampled_from(
    [
        *(d.name for d in divisions(1)),
        *(d.name for d in divisions(2)[:60]),
        *(d.name for d in divisions(3)[:300]),
        *(d.name for d in divisions(4)[:300]),
        "东区",
        "城区",
        "人民政府",
        "联系地址：",
        "路",
        "\n",
        " ",
    ]
)


@settings(max_examples=200, deadline=None)
@given(words=st.lists(_WORDS, max_size=8), township=st.none() | _WORDS)
def test_every_place_returned_is_named_in_the_text(words: list[str], township: str | None) -> None:
    text = "".join(words)
    place = locate(text, township=township)
    if place.code is None:
        return
    found = division(place.code)
    assert found is not None
    said = "".join(text.split()) + (township or "")
    assert found.name in said or any(s in said for s in found.short_names)
    parents = [division(place.code[:n]) for n in (2, 4, 6) if len(place.code) >= n]
    assert place.province == parents[0].name


def test_scan_takes_the_longest_name_at_each_place_one_character_names_too() -> None:
    from indexer.parsing.gazetteer import Division, _Gazetteer, _scan

    names = {"甲": "11", "甲乙县": "110101", "乙镇": "110101001", "丙": "12"}
    g = _Gazetteer(
        by_code={code: Division(code, name, len(code) // 3 + 1) for name, code in names.items()},
        by_name={name: (code,) for name, code in names.items()},
        full_names=frozenset(names),
        lengths={"甲": (1,), "甲乙": (3,), "乙镇": (2,), "丙": (1,)},
        single=True,
    )
    found = [(m.surface, m.start) for m in _scan(g, "甲乙县乙镇甲丁丙")]
    assert found == [("甲乙县", 0), ("乙镇", 3), ("甲", 5), ("丙", 7)]
