"""From a county's column to an answer: `gongkai fetch`, then `gongkai index`, then a question."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import pytest

from gongkai.cli import main
from gongkai.fetch import ClientOptions, FetchOptions, fetch
from indexer import parse_file, run_index
from search import Engine
from tests.fetch_site import Site
from tests.test_fetch import COLUMNS, UA, Sleeps, site, url

__all__ = ["site"]  # the fixture, shared with tests/test_fetch.py


async def test_a_fetched_county_is_indexed_and_answers_from_an_attachment(
    site: Site, tmp_path: Path
) -> None:
    out, index = tmp_path / "reports", tmp_path / "index"
    client = ClientOptions(user_agent=UA, delay=0, retries=3, backoff=0)
    columns = [url(site, c) for c in COLUMNS]
    await fetch(columns, FetchOptions(out=out), client, Sleeps())

    summary = await asyncio.to_thread(run_index, [out], index, progress=False)
    assert summary.failed == [] and summary.skipped == []  # no sidecar, list or stray page read
    assert summary.indexed == 10  # every report but the .doc one

    engine = Engine(index, warm=False)
    try:
        answer = engine.search("竹编非遗展馆")  # only the attached Word file says it
        assert answer.total == 1
        report = engine.report(answer.results[0].report_id)
    finally:
        engine.close()
    assert report.township == "青禾镇"
    assert report.source.format == "docx"
    assert report.source.url == url(site, "uploads/2024/qinghe_2023.docx")  # from the sidecar
    assert report.source.published == "2024-01-18"  # as the list showed it


async def test_the_command_fetches_and_summarises(site: Site, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("GONGKAI_FETCH__CONTACT", "mailto:ops@example.org")
    monkeypatch.setenv("GONGKAI_FETCH__DELAY", "0")
    monkeypatch.setenv("GONGKAI_FETCH__BACKOFF", "0")
    monkeypatch.setenv("GONGKAI_FETCH__MAX_RETRY_AFTER", "0")  # the 429's Retry-After: give up
    args = ["fetch", url(site, "xxgk/nb/index.html"), "--out", str(tmp_path / "out")]
    code = await asyncio.to_thread(main, [*args, "--no-progress"])
    assert code == 0
    agents = {r.headers["User-Agent"] for r in site.requests}
    assert agents == {"gongkai/0.1.0 (+mailto:ops@example.org)"}


def test_the_command_wants_a_contact_first(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.delenv("GONGKAI_FETCH__CONTACT", raising=False)
    assert main(["fetch", "http://127.0.0.1:9/list.html", "--out", str(tmp_path)]) == 2
    assert "GONGKAI_FETCH__CONTACT" in capsys.readouterr().err


def test_the_command_refuses_an_address_that_is_not_a_web_page(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GONGKAI_FETCH__CONTACT", "mailto:ops@example.org")
    assert main(["fetch", "ftp://example.org/list", "--out", str(tmp_path)]) == 2
    assert "not an http(s) address" in capsys.readouterr().err
    assert not os.listdir(tmp_path)


def _report_with_sidecar(tmp_path: Path, sidecar: str) -> Path:
    page = Path(__file__).parent / "fixtures/fetch/.county/art/2024/1/20/art_101_12.html"
    path = tmp_path / "shiqiao.html"
    path.write_bytes(page.read_bytes())
    (tmp_path / "shiqiao.html.meta").write_text(sidecar, encoding="utf-8")
    return path


def test_the_sidecar_wins_over_the_page_text(tmp_path: Path) -> None:
    sidecar = json.dumps(
        {"generator": "gongkai fetch", "url": "https://a.example/1.html", "published": "2024-01-21"}
    )
    report = parse_file(_report_with_sidecar(tmp_path, sidecar))
    assert report.source.url == "https://a.example/1.html"
    assert report.source.published == "2024-01-21"
    assert "source.published" not in report.provenance  # no line of the text says it


@pytest.mark.parametrize(
    "sidecar",
    [
        '{"url": "https://a.example/1.html", "published": "2024-01-21"}',  # not written by fetch
        '{"generator": "gongkai fetch", "published": "21 January"}',  # not a date
        "{not json",
    ],
)
def test_without_a_usable_sidecar_the_page_text_says(tmp_path: Path, sidecar: str) -> None:
    path = _report_with_sidecar(tmp_path, sidecar)
    with_sidecar = parse_file(path).source
    path.with_name(path.name + ".meta").unlink()
    assert with_sidecar == parse_file(path).source


def test_a_changed_sidecar_alone_is_indexed_again(tmp_path: Path) -> None:
    """Fetching a report again may change only its sidecar (the page moved, its date was
    corrected): the next index run makes the record again, and leaves it be after that."""
    folder, index_dir = tmp_path / "reports", tmp_path / "index"
    folder.mkdir()
    first = {"generator": "gongkai fetch", "url": "https://a.example/1.html"}
    path = _report_with_sidecar(folder, json.dumps(first))
    assert run_index([folder], index_dir, progress=False).indexed == 1
    moved = first | {"url": "https://a.example/moved.html", "published": "2024-01-22"}
    path.with_name(path.name + ".meta").write_text(json.dumps(moved), encoding="utf-8")
    summary = run_index([folder], index_dir, progress=False)
    assert (summary.indexed, summary.unchanged) == (1, 0)
    engine = Engine(index_dir, warm=False)
    try:
        (report,) = engine.reports()
        assert (report.source.url, report.source.published) == (moved["url"], "2024-01-22")
    finally:
        engine.close()
    again = run_index([folder], index_dir, progress=False)
    assert (again.indexed, again.unchanged) == (0, 1)
    path.with_name(path.name + ".meta").unlink()  # no sidecar now: the page text says
    assert run_index([folder], index_dir, progress=False).indexed == 1
