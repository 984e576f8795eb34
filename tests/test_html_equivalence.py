"""A report read from its web page or from a GBK copy gives the same record as its text.

What must be equal is everything the report states: title, agency, township, place, year,
contact, every table number and the checks. What may differ is where it came from (``id``,
``source``), the section texts (a page has tables as tab-joined rows and some chrome) and the
line numbers in ``provenance``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.models import Report
from indexer.parsing.parse import parse_file

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
RENDERED = sorted(FIXTURES.glob("*.html"))
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
MAY_DIFFER = {"id", "source", "sections", "provenance"}

# Chrome whose class names say nothing to a reader of English: many sites name their
# containers in pinyin (导航 daohang, 当前位置 dqwz, 底部 dibu).
PINYIN_CHROME = {
    b'class="top"': b'class="tou"',
    b'class="nav"': b'class="daohang"',
    b'class="position"': b'class="dqwz"',
    b'class="footer"': b'class="dibu"',
    b'class="share"': b'class="fx"',
}


def stated(report: Report) -> dict:
    """The fields of a record that come from what the report says."""
    return report.model_dump(exclude=MAY_DIFFER)


def test_both_renderings_are_here() -> None:
    assert [p.stem for p in RENDERED] == ["002_48adf1365f76697a", "003_f57c819d3d38d3bd"]


@pytest.mark.parametrize("page", RENDERED, ids=lambda p: p.stem)
def test_web_page_parses_to_the_same_record_as_its_text(page: Path) -> None:
    from_text = parse_file(ROOT / "samples" / f"{page.stem}.txt")
    from_page = parse_file(page)
    assert from_page.source.format == "html"
    assert stated(from_page) == stated(from_text)


@pytest.mark.parametrize("page", RENDERED, ids=lambda p: p.stem)
def test_rendering_states_what_the_issue_expects(page: Path) -> None:
    report = parse_file(page)
    assert report.year == 2023
    if page.stem.startswith("002"):
        assert report.township == "幸福乡"
        assert report.applications["new"].natural_person == 1
        assert report.applications["unavailable_not_held"].total == 1
        assert report.proactive.coercion is None
        assert report.contact.phones == ["0431-85311165"]
    else:
        assert report.township == "长生镇"
        assert report.proactive.licensing == 94
        assert report.proactive.penalties == 19
        assert report.contact.phones == []
        assert report.contact.website == "http://www.psx.gov.cn/zfjz/hjjdbsc_83802/"


# Class names in pinyin say nothing to the reader: the article container and the chrome's
# own text (当前位置, 网站标识码, 分享到) must be enough.
@pytest.mark.parametrize("page", RENDERED, ids=lambda p: p.stem)
def test_page_with_pinyin_named_chrome_parses_like_its_text(page: Path, tmp_path: Path) -> None:
    data = page.read_bytes()
    for english, pinyin in PINYIN_CHROME.items():
        assert english in data
        data = data.replace(english, pinyin)
    copy = tmp_path / page.name
    copy.write_bytes(data)
    from_text = parse_file(ROOT / "samples" / f"{page.stem}.txt")
    assert stated(parse_file(copy)) == stated(from_text)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_gb18030_copy_parses_to_the_same_record(sample: Path, tmp_path: Path) -> None:
    copy = tmp_path / sample.name
    copy.write_bytes(sample.read_text(encoding="utf-8").encode("gb18030"))
    from_copy = parse_file(copy)
    assert from_copy.source.encoding == "gb18030"
    assert stated(from_copy) == stated(parse_file(sample))
