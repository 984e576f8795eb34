"""The report page, the original file, the browse page, charts and coverage, through a real
loopback socket (aiohttp's test client) over real indexes: the bundled samples, and the
multi-year, multi-county corpus of `tests/years_corpus.py`; hostile text from records made
here. What is checked is what a person would get: the numbers in the cells, blank cells
empty, each number's source line, escaped text, and files served only by report id.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from html import escape, unescape
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from aiohttp.test_utils import TestClient

from bot.answer_chart import bars_of, chart_of, series_of
from bot.charts import BLANK_WORDS, Bar, Series, bar_chart, line_chart
from bot.http import create_app
from gongkai.config import Settings
from indexer.models import Check, Contact, Provenance, Report, Source
from search import Answer, Engine, Result
from tests.conftest import sample_path
from tests.years_corpus import build_years_index

Client = TestClient[Any, Any]
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
async def client(aiohttp_client: Any, sample_index: Path) -> Client:
    """A client talking to the app over the samples' index on a loopback socket."""
    return await aiohttp_client(create_app(Settings(index_dir=sample_index)))


@pytest.fixture(scope="session")
def years_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the multi-year, multi-county corpus (several years of each township)."""
    return build_years_index(tmp_path_factory.mktemp("years"))


@pytest.fixture
async def years(aiohttp_client: Any, years_index: Path) -> Client:
    """A client over the multi-year corpus."""
    return await aiohttp_client(create_app(Settings(index_dir=years_index)))


async def _page(client: Client, url: str, status: int = 200) -> str:
    response = await client.get(url)
    text = await response.text()
    assert response.status == status, text[:500]
    assert response.content_type == "text/html"
    return text


async def _id_of(client: Client, township: str) -> str:
    body = await (await client.get(f"/api/reports?township={quote(township)}")).json()
    return str(body["rows"][0]["id"])


def _cell(html: str, path: str) -> str:
    """The visible text of the table cell holding the record path ``path``."""
    match = re.search(rf'<td[^>]*data-path="{re.escape(path)}"[^>]*>(.*?)</td>', html, re.S)
    assert match, f"no cell for {path}"
    inner = re.sub(r'<span class="tip".*?</span></span>|<span class="tip".*?</span>', "", match[1])
    return unescape(re.sub(r"<[^>]+>", "", inner)).strip()


# -- the report page -------------------------------------------------------------------------


async def test_the_report_page_shows_the_tables_numbers(client: Client) -> None:
    report_id = await _id_of(client, "长生镇")
    record = await (await client.get(f"/api/reports/{report_id}")).json()
    html = await _page(client, f"/reports/{report_id}")
    assert _cell(html, "proactive.licensing") == str(record["proactive"]["licensing"]) == "94"
    assert _cell(html, "proactive.penalties") == "19"
    for row, counts in record["applications"].items():
        for column, value in counts.items():
            if value is not None:
                assert _cell(html, f"applications.{row}.{column}") == str(value)
    for heading in ("二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "行政复议"):
        assert heading in html
    assert record["title"] in html and record["agency"] in html


async def test_blank_cells_are_empty_not_zero(client: Client) -> None:
    report_id = await _id_of(client, "长胜乡")
    record = await (await client.get(f"/api/reports/{report_id}")).json()
    blank = [
        f"applications.{row}.{column}"
        for row, counts in record["applications"].items()
        for column, value in counts.items()
        if value is None
    ]
    assert "applications.other_overdue_correction.total" in blank
    assert record["proactive"]["rules"]["repealed"] is None
    html = await _page(client, f"/reports/{report_id}")
    for path in [*blank, "proactive.rules.repealed", "proactive.fees"]:
        assert _cell(html, path) == "", path
    assert _cell(html, "applications.new.total") == "0"  # a 0 written in the report stays 0


async def test_each_number_links_to_its_source_line(client: Client) -> None:
    report_id = await _id_of(client, "长生镇")
    record = await (await client.get(f"/api/reports/{report_id}")).json()
    html = await _page(client, f"/reports/{report_id}")
    prov = record["provenance"]["proactive.penalties"]
    cell = re.search(r'<td[^>]*data-path="proactive.penalties"[^>]*>(.*?)</td>', html, re.S)
    assert cell is not None
    assert f'href="#L{prov["line"]}"' in cell[1]
    assert f"第 {prov['line']} 行" in cell[1]
    assert f"<q>{escape(prov['text'])}</q>" in cell[1]  # the raw line, beside the number
    line = re.search(rf'<li id="L{prov["line"]}"[^>]*>(.*?)</li>', html, re.S)
    assert line and prov["text"].strip() in unescape(line[1])


async def test_failed_checks_are_said_in_words(client: Client) -> None:
    report_id = await _id_of(client, "长胜乡")
    record = await (await client.get(f"/api/reports/{report_id}")).json()
    html = unescape(await _page(client, f"/reports/{report_id}"))
    assert record["checks"]
    assert f"有 {len(record['checks'])} 项检查未通过" in html
    for check in record["checks"]:
        assert check["message"] in html
    clean = await _page(client, f"/reports/{await _id_of(client, '幸福乡')}")
    assert "各项一致性检查均通过" in clean


async def test_an_unknown_report_is_a_404_page(client: Client) -> None:
    html = await _page(client, "/reports/no-such-report", status=404)
    assert "找不到" in html and "no-such-report" in html
    hostile = await _page(client, "/reports/" + quote("<script>x</script>", safe=""), 404)
    assert "<script>x" not in hostile and "&lt;script&gt;x" in hostile
    # The JSON API keeps its JSON errors.
    response = await client.get("/api/reports/no-such-report")
    assert response.status == 404 and response.content_type == "application/json"


def _hostile(source: Path, **changes: Any) -> Report:
    """A record whose every string tries to become markup."""
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    fields: dict[str, Any] = {
        "id": "evil",
        "source": Source(
            path=str(source),
            sha256=hashlib.sha256(source.read_bytes()).hexdigest(),
            format="html",
            published='2024-01-20"><b>',
        ),
        "title": f"标题{evil}",
        "agency": f"机关{evil}",
        "township": "恶意镇",
        "county": "某县",
        "year": 2023,
        "contact": Contact(
            address=f"地址{evil}",
            phones=["0469-1234567"],
            email='a@b.c" onmouseover="x',
            website="javascript:alert(1)",
        ),
        "checks": [Check(code="x", message=f"检查{evil}")],
        "sections": {"overview": f"正文{evil}"},
    }
    fields.update(changes)
    report = Report(**fields)
    report.proactive.licensing = 3
    report.provenance["proactive.licensing"] = Provenance(
        line=7, text=f"行政许可 3 {evil}", via="prose", approximate=True
    )
    return report


async def test_report_text_is_escaped(aiohttp_client: Any, tmp_path: Path) -> None:
    original = tmp_path / "evil.html"
    original.write_text("<html><script>alert(1)</script>原文</html>", encoding="utf-8")
    engine = Engine.from_records([_hostile(original)])
    client = await aiohttp_client(create_app(Settings(index_dir=tmp_path / "none"), engine))
    html = await _page(client, "/reports/evil")
    assert "<script" not in html and "<img" not in html  # the page itself has neither
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html and 'onmouseover="' not in html
    assert "javascript:alert(1)" in unescape(html)  # shown as text, not a link
    # A value read from prose and given as approximate says so in words.
    assert _cell(html, "proactive.licensing").startswith("约3")
    assert "据正文叙述" in _cell(html, "proactive.licensing")
    assert "原文为约数" in html
    listing = await _page(client, "/reports")
    assert "<script" not in listing and "&lt;script&gt;" in listing


# -- the original file -----------------------------------------------------------------------


async def test_the_original_is_the_indexed_file_by_id_only(client: Client) -> None:
    report_id = await _id_of(client, "长胜乡")
    html = await _page(client, f"/reports/{report_id}")
    assert f'href="/reports/{report_id}/original"' in html  # no source URL known: the file
    response = await client.get(f"/reports/{report_id}/original")
    assert response.status == 200
    assert await response.read() == sample_path("000").read_bytes()
    assert response.headers["Content-Type"].startswith("text/plain")
    assert "sandbox" in response.headers["Content-Security-Policy"]
    for bad in ("..%2F..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd", "no-such-report"):
        got = await client.get(f"/reports/{bad}/original")
        assert got.status == 404, bad
        assert "root:" not in await got.text()
    assert (await client.get("/reports/../../etc/passwd")).status == 404


async def test_a_changed_or_missing_original_is_not_served(
    aiohttp_client: Any, tmp_path: Path
) -> None:
    original = tmp_path / "evil.html"
    original.write_text("原文", encoding="utf-8")
    engine = Engine.from_records([_hostile(original)])
    client = await aiohttp_client(create_app(Settings(index_dir=tmp_path / "none"), engine))
    response = await client.get("/reports/evil/original")
    assert response.status == 200 and "原文" in await response.text()
    assert "sandbox" in response.headers["Content-Security-Policy"]
    original.write_text("改过了", encoding="utf-8")
    assert (await client.get("/reports/evil/original")).status == 404
    original.unlink()
    assert (await client.get("/reports/evil/original")).status == 404


async def test_a_known_source_url_is_the_original_link(aiohttp_client: Any, tmp_path: Path) -> None:
    original = tmp_path / "r.txt"
    original.write_text("原文", encoding="utf-8")
    record = _hostile(original)
    record.source.url = "https://www.example.gov.cn/2024/report.html"
    client = await aiohttp_client(
        create_app(Settings(index_dir=tmp_path / "none"), Engine.from_records([record]))
    )
    html = await _page(client, "/reports/evil")
    assert 'href="https://www.example.gov.cn/2024/report.html"' in html
    assert "2024-01-20&quot;&gt;&lt;b&gt;" in html  # the publication date, escaped


# -- browse ----------------------------------------------------------------------------------


async def test_browse_lists_reports_with_facets_paging_and_exports(client: Client) -> None:
    html = await _page(client, "/reports?size=2")
    assert "共 5 份报告" in html
    shown = re.findall(r'<tr data-report="([^"]+)"', html)
    assert len(shown) == 2
    exported = re.search(r'href="(/api/reports\?[^"]+)"[^>]*>本页 JSON', html)
    assert exported
    body = await (await client.get(unescape(exported[1]))).json()
    assert [r["id"] for r in body["rows"]] == shown  # exactly the rows on the page
    csv_link = re.search(r'href="(/api/reports\.csv[^"]*)"', html)
    assert csv_link and len((await (await client.get(unescape(csv_link[1]))).text()).split()) > 2
    following = re.search(r'href="([^"]+)" rel="next"', html)
    assert following
    second = await _page(client, unescape(following[1]))
    assert not set(re.findall(r'<tr data-report="([^"]+)"', second)) & set(shown)
    for name in ("黑龙江省", "双鸭山市", "集贤县", "2023"):
        assert f'>{name} <span class="count">' in html
    for report_id in shown:
        assert f'href="/reports/{report_id}"' in html


async def test_browse_facet_links_filter_and_remove(client: Client) -> None:
    html = await _page(client, "/reports")
    link = re.search(r'href="([^"]+)"[^>]*>黑龙江省 <span', html)
    assert link
    filtered = await _page(client, unescape(link[1]))
    assert "共 2 份报告" in filtered and "升昌镇" in filtered and "幸福乡" not in filtered
    remove = re.search(r'href="([^"]+)" class="chip"', filtered)
    assert remove
    assert "共 5 份报告" in await _page(client, unescape(remove[1]))
    assert "请求有误" in await _page(client, "/reports?year=twenty", status=400)


async def test_browse_shows_the_coverage_of_a_county(years: Client) -> None:
    html = unescape(await _page(years, f"/reports?county={quote('集贤县')}&year=2023"))
    assert "已发布 5 / 8" in html
    for missing in ("丰乐镇", "兴安乡", "永安乡"):
        assert re.search(rf'<tr class="missing"><th scope="row">{missing}</th><td>✗ 未发布', html)


# -- coverage --------------------------------------------------------------------------------


async def test_coverage_api(years: Client) -> None:
    body = await (await years.get(f"/api/coverage?county={quote('集贤县')}&year=2023")).json()
    (county,) = body["counties"]
    assert (county["n"], county["total"]) == (5, 8)
    assert sorted(county["missing"]) == sorted(["丰乐镇", "兴安乡", "永安乡"])
    bad = await years.get(f"/api/coverage?county={quote('没有这个县')}")
    assert bad.status == 404 and (await bad.json())["error"]["code"] == "not_found"
    assert (await years.get("/api/coverage?year=abc")).status == 400
    spec = await (await years.get("/openapi.json")).json()
    assert "/api/coverage" in spec["paths"] and "/api/ask.svg" in spec["paths"]


# -- charts ----------------------------------------------------------------------------------


def _svg_texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)  # well-formed XML, as the page's DOMParser needs
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}desc") is not None
    return [t.text or "" for t in root.iter(f"{SVG}text")]


async def test_a_ranking_is_drawn_as_labelled_bars(years: Client) -> None:
    response = await years.get("/api/ask.svg?q=" + quote("哪个乡镇行政处罚最多"))
    assert response.status == 200 and response.content_type == "image/svg+xml"
    svg = await response.text()
    texts = _svg_texts(svg)
    for name, value in (("长生镇", "19"), ("福利镇", "12"), ("升昌镇", "2")):
        assert name in texts and value in texts
    assert svg.count("<rect") >= 3


async def test_a_series_is_drawn_as_valued_lines(years: Client) -> None:
    response = await years.get("/api/ask.svg?q=" + quote("升昌镇历年申请数"))
    assert response.status == 200
    texts = _svg_texts(await response.text())
    assert {"2021", "2022", "2023", "升昌镇", "1", "2", "6"} <= set(texts)


async def test_an_answer_without_numbers_has_no_chart(client: Client) -> None:
    response = await client.get("/api/ask.svg?q=" + quote("长胜乡电话"))
    assert response.status == 404 and response.content_type == "application/json"


def test_bars_write_blank_values_in_words_and_escape_labels() -> None:
    svg = bar_chart([Bar("<b>甲</b>", 3), Bar("乙", None), Bar("丙", 0)], "标题 <x>")
    texts = _svg_texts(svg)
    assert "<b>甲</b>" in texts and BLANK_WORDS in texts and "0" in texts
    assert "<b>" not in svg and svg.count("<rect") == 1  # a blank or 0 draws no bar


def test_lines_break_at_blank_years() -> None:
    svg = line_chart([Series("甲", [(2021, 1), (2022, None), (2023, 4)])], "t")
    assert svg.count("<polyline") == 2 and BLANK_WORDS in _svg_texts(svg)


def test_which_answers_get_which_chart() -> None:
    def result(name: str, year: int, value: int | None, county: str = "甲县") -> Result:
        return Result(
            report_id=f"{name}{year}", township=name, year=year, value=value, county=county
        )

    rank = Answer(
        question="q",
        intent="rank",
        text="t",
        results=[result("甲镇", 2023, 5), result("甲镇", 2023, 3, "乙县")],
    )
    assert [b.note for b in bars_of(rank)] == ["甲县", "乙县"]  # same name told apart
    series = Answer(
        question="q",
        intent="filter",
        text="t",
        results=[result("甲镇", 2022, 1), result("甲镇", 2023, 2)],
    )
    assert [s.points for s in series_of(series)] == [[(2022, 1), (2023, 2)]]
    assert "lines" in (chart_of(series) or "")
    assert chart_of(Answer(question="q", intent="contact", text="t")) is None
