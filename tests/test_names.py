"""Township and place names: full, short, pinyin, Traditional, typo, ambiguity."""

from __future__ import annotations

import pytest

from indexer import parse_file
from indexer.models import Report, Source
from search.names import NameIndex, place_short_form
from search.rules import load_rules
from tests.question_table import SAMPLES


def _record(id_: str, township: str, county: str = "某县") -> Report:
    return Report(
        id=id_,
        source=Source(path=f"{id_}.txt", sha256=id_, format="txt"),
        township=township,
        county=county,
        city="某市",
        province="某省",
        year=2023,
    )


@pytest.fixture(scope="module")
def names() -> NameIndex:
    records = [parse_file(path) for path in sorted(SAMPLES.glob("*.txt"))]
    extra = [_record("x1", "古镇镇"), _record("x2", "花园街道"), _record("x3", "长胜乡", "另县")]
    return NameIndex(records + extra)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("长胜乡", ["长胜乡"]),
        ("长胜", ["长胜乡"]),
        ("長勝鄉", ["长胜乡"]),
        ("changshengxiang", ["长胜乡"]),
        ("Changsheng", ["长生镇", "长胜乡"]),
        ("chang sheng", ["长生镇", "长胜乡"]),
        ("changsheng town", ["长生镇"]),
        ("changsheng township", ["长胜乡"]),
        ("shengchang", ["升昌镇"]),
        ("Shengchang Town", ["升昌镇"]),
        ("shengchnag", ["升昌镇"]),
        ("changshen", ["长生镇", "长胜乡"]),
        ("东沟", ["东沟乡"]),
        ("donggouxiang", ["东沟乡"]),
        ("长升乡", ["长胜乡"]),
        ("古镇镇", ["古镇镇"]),
        ("古镇", ["古镇镇"]),
        ("花园", ["花园街道"]),
        ("huayuan jiedao", ["花园街道"]),
        ("升", ["升昌镇"]),
        ("xyz", []),
    ],
)
def test_lookup(names: NameIndex, typed: str, expected: list[str]) -> None:
    assert names.lookup(typed) == expected


def test_a_name_in_two_counties_is_one_township_with_both_reports(names: NameIndex) -> None:
    assert len(names.townships["长胜乡"].report_ids) == 2


def test_suffix_is_stripped_once(names: NameIndex) -> None:
    assert names.townships["古镇镇"].stem == "古镇"
    assert names.townships["花园街道"].stem == "花园"


@pytest.mark.parametrize(
    ("value", "short"),
    [
        ("黑龙江省", "黑龙江"),
        ("双鸭山市", "双鸭山"),
        ("互助土族自治县", "互助"),
        ("彭水苗族土家族自治县", "彭水"),
        ("集贤县", "集贤"),
        ("广西壮族自治区", "广西"),
        ("香港特别行政区", "香港"),
        ("市", None),
    ],
)
def test_place_short_forms(value: str, short: str | None) -> None:
    assert place_short_form(value, load_rules()) == short


def test_place_phrases_cover_short_forms_and_pinyin(names: NameIndex) -> None:
    assert "heilongjiang" not in names.phrases()  # the pinyin half is made apart, on demand
    for phrase in ("黑龙江省", "黑龙江", "heilongjiang", "双鸭山", "shuangyashan", "互助"):
        found = names.phrases().get(phrase) or names.pinyin_phrases().get(phrase)
        assert found is not None, phrase
        kind, hits = found
        assert kind == "place"
        assert hits


def test_a_pinyin_name_with_its_suffix_word_names_that_township_only(names: NameIndex) -> None:
    """Bare pinyin names every township spelled so; a suffix word (pinyin or English) after it,
    joined or not, narrows to the townships with that suffix."""
    pinyin = names.pinyin_phrases()
    assert pinyin.get("changsheng") == ("township", ("长生镇", "长胜乡"))
    for phrase in ("changshengxiang", "changsheng xiang", "changsheng township"):
        assert pinyin.get(phrase) == ("township", ("长胜乡",)), phrase
    for phrase in ("changshengzhen", "changsheng town"):
        assert pinyin.get(phrase) == ("township", ("长生镇",)), phrase
    assert pinyin.get("changshengjiedao") is None
    assert pinyin.get("changsheng  xiang") is None  # one space, as typed


def test_names_normalised_together_are_normalised_as_one_by_one() -> None:
    from search.text import normalise, normalise_many

    names = ["長勝鄉", "长胜乡", "ＡＢＣ镇", "升 昌 镇", " 幸福乡 ", "東溝鄉", "a\nb", "乾隆镇", ""]
    assert normalise_many(names) == {name: normalise(name) for name in names}
