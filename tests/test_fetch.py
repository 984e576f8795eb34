"""`gongkai fetch` against a fixture county portal on loopback (tests/fetch_site.py)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from gongkai.fetch import ClientOptions, FetchOptions, FetchSummary, fetch
from indexer import parse_file
from tests.fetch_site import BROKEN, RETRY_AFTER, Site, build

UA = "gongkai/0.1 (+mailto:ops@example.org)"
COLUMNS = ["xxgk/nb/index.html", "bm/list.html", "gbk/list.asp?page=1"]


class Sleeps(list[float]):
    """A stand-in for asyncio.sleep that only notes how long it was asked to wait."""

    async def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
async def site(aiohttp_server: Any, tmp_path: Path) -> Site:
    """The fixture county, served on loopback."""
    served = Site(build(tmp_path / "site"))
    server = await aiohttp_server(served.app())
    served.base = str(server.make_url("/"))  # type: ignore[attr-defined]
    return served


def url(site: Site, path: str) -> str:
    return site.base + path  # type: ignore[attr-defined]


async def run(
    site: Site, out: Path, columns: list[str] = COLUMNS, sleep: Any = None, **options: Any
) -> FetchSummary:
    client = ClientOptions(user_agent=UA, delay=0, timeout=10, retries=3, backoff=0)
    return await fetch(
        [url(site, c) for c in columns],
        FetchOptions(out=out, **options),
        client,
        sleep if sleep is not None else Sleeps(),
    )


def saved(out: Path) -> dict[str, Path]:
    """The files `gongkai index` would read (not hidden, not sidecars), by name."""
    return {
        p.name: p
        for p in out.rglob("*")
        if p.is_file() and not p.name.endswith(".meta") and ".fetch" not in p.parts
    }


def sidecar(path: Path) -> dict[str, Any]:
    return json.loads(path.with_name(path.name + ".meta").read_text(encoding="utf-8"))


# -- one run over the county ---------------------------------------------------------------


async def test_the_reports_of_three_styles_of_column_are_saved(site: Site, tmp_path: Path) -> None:
    summary = await run(site, tmp_path / "out")
    names = set(saved(tmp_path / "out"))
    assert {
        "art_2024_1_20_art_101_12.html",  # report in the page's body
        "old_art_13.html",  # behind a chain of two redirects: named as the list links it
        "art_2024_2_1_art_101_15.html",  # after a 429
        "art_2023_1_16_art_101_9.html",  # on the column's third page (TRS script pager)
        "uploads_2024_qinghe_2023.docx",  # the only report of an attachment-only page
        "uploads_baisha_2023.docx",  # linked from the list itself
        "uploads_hongyan_2023.doc",  # on a page the pager leaves out (1 2 … 4)
        "bm_art_21.html",  # on the last page
    } <= names
    assert any(n.startswith("uploads_down_") and n.endswith(".docx") for n in names), names
    assert sum(n.startswith("gbk_show_") for n in names) == 2, names
    assert not any("art_101_11" in n for n in names)  # holds no report: kept out of the index
    assert summary.lists == 9
    assert summary.found == 13
    assert summary.unchanged == 0


async def test_what_is_not_a_report_is_not_taken(site: Site, tmp_path: Path) -> None:
    await run(site, tmp_path / "out")
    asked = site.paths()
    assert "/art/2023/12/1/art_101_10.html" not in asked  # a notice about reports
    assert "/art/2023/11/3/art_101_8.html" not in asked  # a work plan
    assert "/uploads/forms/sqb.doc" not in asked  # the application form beside a report
    assert not any(p.startswith("/search") or p == "/index.html" for p in asked)  # off the column


async def test_a_page_that_is_the_report_keeps_its_attachments_out_of_the_index(
    site: Site, tmp_path: Path
) -> None:
    await run(site, tmp_path / "out")
    copies = list((tmp_path / "out" / ".fetch" / "copies").rglob("*.xlsx"))
    assert [p.name for p in copies] == ["uploads_tjj_2023.xlsx"]


async def test_robots_txt_is_honoured(site: Site, tmp_path: Path) -> None:
    summary = await run(site, tmp_path / "out")
    assert not any(p.startswith("/private/") for p in site.paths())
    assert summary.robots == [url(site, "private/art_14.html")]
    assert site.paths().count("/robots.txt") == 1


async def test_every_request_names_gongkai_and_a_contact(site: Site, tmp_path: Path) -> None:
    await run(site, tmp_path / "out")
    assert {r.headers["User-Agent"] for r in site.requests} == {UA}


async def test_429_waits_as_long_as_retry_after_says(site: Site, tmp_path: Path) -> None:
    sleeps = Sleeps()
    summary = await run(site, tmp_path / "out", sleep=sleeps)
    assert float(RETRY_AFTER) in sleeps
    assert site.seen["/art/2024/2/1/art_101_15.html"] == 2
    assert all(u != url(site, "art/2024/2/1/art_101_15.html") for u, _ in summary.failed)


async def test_a_500_is_tried_again_and_one_that_persists_is_reported(
    site: Site, tmp_path: Path
) -> None:
    summary = await run(site, tmp_path / "out")
    assert site.seen["/bm/list_2.html"] == 2  # a 500, then the page
    (broken,) = BROKEN
    assert site.seen[broken] == 4  # the first try and three more
    assert (url(site, broken.lstrip("/")), "HTTP 500 after 4 tries") in summary.failed


async def test_backoff_doubles_between_tries(site: Site, tmp_path: Path) -> None:
    sleeps = Sleeps()
    client = ClientOptions(user_agent=UA, delay=0, retries=3, backoff=0.5)
    options = FetchOptions(out=tmp_path / "out")
    await fetch([url(site, "xxgk/nb/index.html")], options, client, sleeps)
    assert [s for s in sleeps if s != float(RETRY_AFTER)] == [0.5, 1.0, 2.0]


async def test_the_delay_spaces_requests_to_a_host(site: Site, tmp_path: Path) -> None:
    sleeps = Sleeps()
    client = ClientOptions(user_agent=UA, delay=30, retries=0)
    options = FetchOptions(out=tmp_path / "out", max_requests=3)
    await fetch([url(site, "bm/list.html")], options, client, sleeps)
    # Three requests (robots.txt, then two pages): the second and third each waited their turn.
    assert len(sleeps) == 2 and all(25 < s <= 30 for s in sleeps)


# -- what is written -----------------------------------------------------------------------


async def test_the_sidecar_says_where_and_when_a_file_came_from(site: Site, tmp_path: Path) -> None:
    await run(site, tmp_path / "out")
    docx = saved(tmp_path / "out")["uploads_2024_qinghe_2023.docx"]
    meta = sidecar(docx)
    assert meta["generator"] == "gongkai fetch"
    assert meta["url"] == meta["final_url"] == url(site, "uploads/2024/qinghe_2023.docx")
    assert meta["title"] == "云岭县青禾镇2023年政府信息公开工作年度报告"  # the link's title, whole
    assert meta["published"] == "2024-01-18"
    assert meta["page_url"] == url(site, "art/2024/1/18/art_101_11.html")
    assert meta["list_url"] == url(site, "xxgk/nb/index.html")
    assert meta["etag"] and meta["last_modified"] and meta["http_date"] and meta["fetched_at"]
    assert docx.read_bytes() == (site.root / "uploads/2024/qinghe_2023.docx").read_bytes()


async def test_a_redirected_page_keeps_both_addresses(site: Site, tmp_path: Path) -> None:
    await run(site, tmp_path / "out")
    meta = sidecar(saved(tmp_path / "out")["old_art_13.html"])
    assert meta["url"] == url(site, "old/art_13.html")
    assert meta["final_url"] == url(site, "art/2024/1/25/art_101_13.html")


async def test_gbk_pages_are_read_declared_or_not(site: Site, tmp_path: Path) -> None:
    summary = await run(site, tmp_path / "out", columns=["gbk/list.asp?page=1"])
    assert summary.found == 2 and summary.fetched == 2 and not summary.failed
    pages = sorted(p for n, p in saved(tmp_path / "out").items() if n.startswith("gbk_show"))
    titles = {parse_file(p).title for p in pages}
    assert titles == {f"{town}2023年政府信息公开工作年度报告" for town in ("龙泉镇", "凤鸣乡")}
    assert {sidecar(p)["published"] for p in pages} == {"2024-01-19", "2024-01-21"}


async def test_files_that_index_cannot_read_yet_are_saved_and_noted(
    site: Site, tmp_path: Path
) -> None:
    summary = await run(site, tmp_path / "out", columns=["bm/list.html"])
    assert [Path(p).name for p in summary.noted] == ["uploads_hongyan_2023.doc"]
    assert "not readable by gongkai index yet" in summary.describe()


async def test_a_file_named_by_its_content_type_gets_that_suffix(
    site: Site, tmp_path: Path
) -> None:
    await run(site, tmp_path / "out", columns=["bm/list.html"])
    (name,) = [n for n in saved(tmp_path / "out") if n.startswith("uploads_down_")]
    assert name.endswith(".docx")


# -- pagination ----------------------------------------------------------------------------


async def test_javascript_pagination_is_an_error_naming_the_page(
    site: Site, tmp_path: Path
) -> None:
    summary = await run(site, tmp_path / "out", columns=["js/index.html"])
    (failure,) = summary.failed
    assert failure[0] == url(site, "js/index.html")
    assert "JavaScript" in failure[1] and "共3页" in failure[1]
    assert summary.fetched == 1  # what the first page shows is still fetched
    assert "JavaScript" in summary.describe()


async def test_since_passes_over_older_reports(site: Site, tmp_path: Path) -> None:
    summary = await run(site, tmp_path / "out", columns=["xxgk/nb/index.html"], since=2023)
    assert "/art/2023/1/16/art_101_9.html" not in site.paths()
    assert summary.found == 6


async def test_since_stops_at_a_page_of_older_items(site: Site, tmp_path: Path) -> None:
    await run(site, tmp_path / "out", columns=["bm/list.html"], since=2025)
    assert "/bm/list_3.html" not in site.paths()


# -- a second run, a cut-short run ---------------------------------------------------------


async def test_a_second_run_asks_conditionally_and_downloads_nothing_unchanged(
    site: Site, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    first = await run(site, out)
    before = {name: path.stat().st_mtime_ns for name, path in saved(out).items()}
    site.requests.clear()
    site.seen.clear()
    second = await run(site, out)
    assert second.fetched == 0
    assert second.unchanged == first.fetched
    assert {name: path.stat().st_mtime_ns for name, path in saved(out).items()} == before
    docx = [r for r in site.requests if r.path == "/uploads/2024/qinghe_2023.docx"]
    assert docx and all("If-None-Match" in r.headers for r in docx)
    assert all("If-Modified-Since" in r.headers for r in docx)


async def test_a_changed_report_is_downloaded_again(site: Site, tmp_path: Path) -> None:
    out = tmp_path / "out"
    await run(site, out)
    page = site.root / "art/2024/1/20/art_101_12.html"
    page.write_text(page.read_text(encoding="utf-8").replace("46条", "47条"), encoding="utf-8")
    second = await run(site, out)
    assert second.fetched == 1
    assert "47条" in saved(out)["art_2024_1_20_art_101_12.html"].read_text(encoding="utf-8")


async def test_the_request_cap_stops_the_run_and_the_next_run_goes_on(
    site: Site, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    first = await run(site, out, max_requests=8)
    assert first.capped == 8 and "run again" in first.describe()
    assert len(site.requests) == 8
    second = await run(site, out, max_requests=1000)
    assert second.fetched > 0 and second.capped is None
    whole = await run(site, tmp_path / "whole")
    assert set(saved(out)) == set(saved(tmp_path / "whole"))
    assert first.fetched + second.fetched == whole.fetched


class _Interrupt(Exception):
    pass


async def test_an_interrupted_run_keeps_nothing_half_written(site: Site, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "h").mkdir(parents=True)
    (out / "h" / ".left_by_a_killed_run.docx.part").write_bytes(b"PK\x03")

    calls = 0

    async def stop_on_the_twelfth_wait(seconds: float) -> None:
        nonlocal calls
        calls += 1
        if calls == 12:
            raise asyncio.CancelledError  # as Ctrl-C cancels the run's task

    client = ClientOptions(user_agent=UA, delay=10, retries=0)  # so each request waits
    columns = [url(site, c) for c in COLUMNS]
    with pytest.raises(asyncio.CancelledError):
        await fetch(columns, FetchOptions(out=out), client, stop_on_the_twelfth_wait)
    assert not list(out.rglob("*.part"))
    state = json.loads((out / ".fetch" / "state.json").read_text(encoding="utf-8"))
    for entry in state["urls"].values():
        assert (out / entry["path"]).is_file()
    for path in saved(out).values():  # each saved file is whole and has its sidecar
        original = site.root / sidecar(path)["final_url"].removeprefix(site.base)  # type: ignore[attr-defined]
        if original.is_file():
            assert path.read_bytes() == original.read_bytes()
    rest = await run(site, out)
    assert set(saved(out)) == set(saved(tmp_path / "out"))
    assert rest.unchanged > 0
