"""Narrative corpus, whole files: reports as they reach us from web pages and mirror sites.

``tests/corpus/narrative/*.txt`` are whole texts written the way real pages deliver them (page
chrome and footer around the report, a Traditional-character mirror copy with pinyin, CRLF,
full-width digits, entities and tags left in). Each has the values a reader takes from it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer import parse_file
from tests.narrative_corpus import value

CORPUS = Path(__file__).parent / "corpus" / "narrative"

EXPECTED = {
    "street_web_copy": {
        "title": "镇江市京口区谏壁街道办事处2023年政府信息公开工作年度报告",
        "agency": "镇江市京口区谏壁街道办事处",
        "township": "谏壁街道",
        "county": "京口区",
        "city": "镇江市",
        "province": "江苏省",
        "year": 2023,
        "contact": {
            "address": "镇江市京口区谏壁街道谏壁路66号",
            "postcode": "212006",
            "phones": ["0511-85591234"],  # not the 举报电话, not the site sponsor's in the footer
            "email": "jbjd@163.com",
            "website": "http://www.example-jk.gov.cn",
            "fax": "0511-85591235",
        },
        "proactive.published_items": 215,
        "sections.other": "本机关2023年度未收取信息处理费。\n\n"
        "镇江市京口区谏壁街道办事处\n2024年1月18日",
    },
    "xiang_traditional_mirror": {
        "title": "于家务回族乡人民政府2023年政府信息公开工作年度报告",
        "agency": "于家务回族乡人民政府",
        "township": "于家务回族乡",
        "county": "通州区",
        "city": "北京市",
        "province": "北京市",
        "year": 2023,
        "contact": {
            "address": None,
            "postcode": "101105",
            "phones": ["010-80581234", "010-80581235"],  # 12345 is a hotline, not the body's
            "email": None,
            "website": None,
            "fax": None,
        },
        "proactive.published_items": 156,
        "sections.overview": "2023年，我乡认真落实《条例》要求，主动公开政府信息156条。",
    },
}


def test_every_corpus_file_has_expected_values() -> None:
    assert sorted(p.stem for p in CORPUS.glob("*.txt")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file(name: str) -> None:
    report = parse_file(CORPUS / f"{name}.txt")
    wrong = {
        path: (value(report, path), want)
        for path, want in EXPECTED[name].items()
        if value(report, path) != want
    }
    assert not wrong, "got / expected: " + repr(wrong)
    assert not [c for c in report.checks if not c.code.startswith("missing.")]
