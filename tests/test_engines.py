"""Both full-text engines against the analyser's own answer, and the engine factory.

Each engine, on a real index on disk, must find exactly the reports whose text holds every
query term as a phrase (`analysis.holds`, a substring test on the squeezed text); a store
hard-linked from another must never change its source when updated.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai import cli
from gongkai.config import load_settings
from indexer.indexing.analysis import holds, parse_query, squeeze
from indexer.indexing.store import TextStore, full_text
from indexer.indexing.stores import (
    ENGINE_FILE,
    ENGINES,
    create_store,
    link_store,
    open_store,
    store_engine,
)
from indexer.models import Report, Source

ROOT = Path(__file__).resolve().parent.parent


def report(report_id: str, text: str, title: str = "年报", agency: str | None = None) -> Report:
    return Report(
        id=report_id,
        source=Source(path=f"{report_id}.txt", sha256="0" * 64, format="txt"),
        title=title,
        agency=agency,
        sections={"overview": text},
    )


def hit_ids(store: TextStore, words: str) -> set[str]:
    total, hits = store.search(parse_query(words))
    found = {hit.report_id for hit in hits}
    assert total == len(hits) == len(found)
    return found


def truth(reports: list[Report], words: str) -> set[str]:
    """The reports whose squeezed text holds the query, by brute force."""
    query = parse_query(words)
    return {r.id for r in reports if holds(squeeze(full_text(r)[1]), query)}


def fill(store: TextStore, reports: list[Report]) -> TextStore:
    with store.writer() as writer:
        for each in reports:
            writer.put(each)
    return store


# Invented report texts: names with shared parts, single characters, years, punctuation.
TEXTS = {
    "r1": "岭东区长胜乡人民政府2023年通过微信公众号发布信息。",
    "r2": "升昌镇严格落实三审三校制度，全年未收到依申请公开。",
    "r3": "东沟乡：政府网站、微信，公众号及政务新媒体。",
    "r4": "幸福乡二〇二三年度报告：依申请公开１２件，２０２３年受理。",
    "r5": "長勝鄉的網站在本年度更新（長生鎮）。",
    "r6": "胜利村 三 审 三 校 工作；2022年的微信 公众号。",
    "r7": "本县没有乡镇数据，年度报告另行发布。",
    "r8": "微信平台、信公开、公众意见、群众号召。",  # every bigram of 微信公众号, apart
    "r9": "长胜乡，乡人大会议在2023，年底召开。",  # 胜乡|乡人 and 2023|年 across punctuation
}
QUERIES = [
    "微信公众号",
    "胜乡",
    "长胜乡",
    "乡",
    "镇",
    "2023年",
    "２０２３年",
    "2023",
    "依申请公开 三审三校",
    "微信公众号 2023年",
    "微信，公众号",
    "長勝鄉",
    "长生镇",
    "三审三校",
    "政务新媒体",
    "年度报告",
    "胜利",
    "胜乡人",
    "乡人大",
    "公众号召",
    "AND (((",
]


@pytest.fixture(params=ENGINES)
def invented(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[TextStore, list[Report]]:
    reports = [report(rid, text) for rid, text in TEXTS.items()]
    store = fill(create_store(tmp_path / "store", request.param), reports)
    yield store, reports
    store.close()


@pytest.mark.parametrize("words", QUERIES)
def test_hits_are_exactly_what_holds_accepts(
    invented: tuple[TextStore, list[Report]], words: str
) -> None:
    store, reports = invented
    assert hit_ids(store, words) == truth(reports, words)


def test_invented_texts_cover_the_cases(invented: tuple[TextStore, list[Report]]) -> None:
    """The cases above are really there (a typo in the texts would make them vacuous)."""
    store, _ = invented
    assert hit_ids(store, "胜乡") == {"r1", "r5", "r9"}  # inside 长胜乡; Traditional 長勝鄉 too
    assert hit_ids(store, "微信公众号") == {"r1", "r6"}  # not r3 (微信，公众号); r6 has a space
    assert hit_ids(store, "乡") == {"r1", "r3", "r4", "r5", "r7", "r9"}
    assert hit_ids(store, "2023年") == {"r1", "r4"}  # r4 writes it with full-width digits
    assert hit_ids(store, "三审三校") == {"r2", "r6"}  # r6 has spaces inside it
    assert hit_ids(store, "依申请公开 三审三校") == {"r2"}
    assert hit_ids(store, "长生镇") == {"r5"}
    assert hit_ids(store, "胜乡人") == {"r1"}  # not r9: 胜乡，乡人
    assert hit_ids(store, "乡人大") == {"r9"}
    assert hit_ids(store, "公众号召") == set()  # r8: 公众、群众号召


# Random short texts from a few CJK characters (one Traditional), punctuation and spaces.
_ALPHABET = "长胜乡镇微信年鄉，。 "
_texts = st.text(alphabet=_ALPHABET, min_size=0, max_size=24)
_words = st.text(alphabet=_ALPHABET.replace(" ", ""), min_size=1, max_size=5)


def _piece(data: st.DataObject, texts: list[str]) -> str:
    text = data.draw(st.sampled_from(texts))
    start = data.draw(st.integers(0, len(text)))
    return text[start : start + data.draw(st.integers(1, 5))]


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(
    texts=st.lists(_texts, min_size=1, max_size=6),
    queries=st.lists(st.lists(_words, min_size=1, max_size=2), min_size=1, max_size=4),
    data=st.data(),
)
def test_both_engines_agree_with_brute_force(
    texts: list[str], queries: list[list[str]], data: st.DataObject
) -> None:
    reports = [report(f"r{n}", text, title="") for n, text in enumerate(texts)]
    # Queries cut from the texts, so that there are hits to find: a piece, and two pieces
    # joined (their bigrams are all there, but mostly not in a row).
    cut = [_piece(data, texts) for _ in range(3)]
    cut += [_piece(data, texts) + _piece(data, texts) for _ in range(4)]
    runnable = []
    for words in [" ".join(q) for q in queries] + cut:
        try:
            parse_query(words)
        except ValueError:
            continue  # nothing searchable (punctuation only)
        runnable.append(words)
    with tempfile.TemporaryDirectory() as tmp:
        for engine in ENGINES:
            store = fill(create_store(Path(tmp) / engine, engine), reports)
            try:
                for words in runnable:
                    assert hit_ids(store, words) == truth(reports, words), (engine, words)
            finally:
                store.close()


def test_a_phrase_does_not_run_across_a_line_break(tmp_path: Path) -> None:
    """A line break inside a run of Chinese is a boundary (a table cell per line), in both."""
    for engine in ENGINES:
        store = fill(create_store(tmp_path / engine, engine), [report("a", "微信\n公众号")])
        assert hit_ids(store, "微信公众号") == set()
        assert hit_ids(store, "微信 公众号") == {"a"}
        store.close()


# The engine factory.


def test_create_store_names_its_engine(tmp_path: Path) -> None:
    for engine in ENGINES:
        create_store(tmp_path / engine, engine).close()
        assert (tmp_path / engine / ENGINE_FILE).read_text(encoding="utf-8") == engine + "\n"
        assert store_engine(tmp_path / engine) == engine


def test_open_store_picks_the_engine_by_the_engine_file(tmp_path: Path) -> None:
    for engine in ENGINES:
        fill(create_store(tmp_path / engine, engine), [report("a", "长胜乡")]).close()
        store = open_store(tmp_path / engine)
        assert type(store).__name__ == {"whoosh": "WhooshStore", "tantivy": "TantivyStore"}[engine]
        assert hit_ids(store, "胜乡") == {"a"}
        store.close()


def test_a_store_without_an_engine_file_is_whoosh(tmp_path: Path) -> None:
    fill(create_store(tmp_path / "old", "whoosh"), [report("a", "长胜乡")]).close()
    (tmp_path / "old" / ENGINE_FILE).unlink()  # as stores written before the choice
    assert store_engine(tmp_path / "old") == "whoosh"
    store = open_store(tmp_path / "old")
    assert hit_ids(store, "胜乡") == {"a"}
    store.close()


def test_no_store_is_none_and_file_not_found(tmp_path: Path) -> None:
    assert store_engine(tmp_path / "nothing") is None
    with pytest.raises(FileNotFoundError):
        open_store(tmp_path / "nothing")
    (tmp_path / "files-gone").mkdir()
    (tmp_path / "files-gone" / ENGINE_FILE).write_text("tantivy\n", encoding="utf-8")
    assert store_engine(tmp_path / "files-gone") is None
    with pytest.raises(FileNotFoundError):
        open_store(tmp_path / "files-gone")


def test_unknown_engine_is_a_plain_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"unknown full-text engine 'lucene'.*whoosh, tantivy"):
        create_store(tmp_path / "store", "lucene")
    assert not (tmp_path / "store").exists()
    create_store(tmp_path / "named", "tantivy").close()
    (tmp_path / "named" / ENGINE_FILE).write_text("lucene\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown full-text engine 'lucene'"):
        open_store(tmp_path / "named")


# Hard-linked copies.


def _files(path: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in path.iterdir()}


def _answers(store: TextStore) -> dict[str, tuple[int, list[tuple[str, float]]]]:
    out = {}
    for words in ("年报", "胜乡", "微信公众号", "乡", "依申请公开", "东沟"):
        total, hits = store.search(parse_query(words))
        out[words] = (total, [(h.report_id, round(h.score, 6)) for h in hits])
    return out


def _source(path: Path, engine: str) -> TextStore:
    """A store written in three batches (several segments), one with a deletion."""
    store = create_store(path, engine)
    batches = [
        [report(f"a{n}", f"长胜乡第{n}号，微信公众号") for n in range(5)],
        [report(f"b{n}", f"升昌镇第{n}号，依申请公开") for n in range(5)],
    ]
    for batch in batches:
        fill(store, batch)
    with store.writer() as writer:
        writer.delete("a4")
        writer.put(report("b4", "升昌镇第四号，三审三校"))
    return store


@pytest.mark.parametrize("engine", ENGINES)
def test_updating_a_linked_copy_leaves_the_source_alone(tmp_path: Path, engine: str) -> None:
    src, dst = tmp_path / "gen1" / "store", tmp_path / "gen2" / "store"
    store = _source(src, engine)
    before_answers = _answers(store)
    store.close()
    before_files = _files(src)

    link_store(src, dst)
    linked = {p.name for p in dst.iterdir()}
    assert not any(name.endswith(("LOCK", ".lock")) for name in linked)
    for name in linked:  # linked, not copied
        assert (dst / name).stat().st_ino == (src / name).stat().st_ino

    copy = open_store(dst)
    assert _answers(copy) == before_answers
    for round_ in range(3):  # several commits: new segments, deletions, merges
        with copy.writer() as writer:
            writer.put(report(f"a{round_}", f"东沟乡第{round_}号，依申请公开"))
            writer.delete(f"b{round_}")
            writer.put(report(f"c{round_}", "东沟乡，微信公众号"))
    after = _answers(copy)
    copy.close()

    assert _files(src) == before_files  # not one byte of the source changed
    reopened = open_store(src)
    assert _answers(reopened) == before_answers
    reopened.close()
    # The copy has the changes: a0-a2 replaced, b0-b2 deleted, c0-c2 added.
    assert before_answers["年报"][0] == after["年报"][0] == 9
    assert {rid for rid, _ in after["东沟"][1]} == {"a0", "a1", "a2", "c0", "c1", "c2"}
    assert {rid for rid, _ in after["依申请公开"][1]} == {"a0", "a1", "a2", "b3"}
    assert {rid for rid, _ in before_answers["依申请公开"][1]} == {"b0", "b1", "b2", "b3"}


def test_link_store_copies_when_links_fail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Across filesystems os.link fails; each file is copied instead."""
    src, dst = tmp_path / "src", tmp_path / "dst"
    _source(src, "tantivy").close()

    def cross_device(*args: object, **kwargs: object) -> None:
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", cross_device)
    link_store(src, dst)
    for path in dst.iterdir():
        assert path.stat().st_ino != (src / path.name).stat().st_ino
        assert path.read_bytes() == (src / path.name).read_bytes()
    copy = open_store(dst)
    assert hit_ids(copy, "三审三校") == {"b4"}
    copy.close()


def test_link_store_of_nothing_is_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        link_store(tmp_path / "nothing", tmp_path / "dst")


# Configuration and the command line.


def test_engine_setting_from_env_and_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_settings().index.engine == "whoosh"
    config = tmp_path / "gongkai.toml"
    config.write_text('[index]\nengine = "tantivy"\n', encoding="utf-8")
    assert load_settings(config).index.engine == "tantivy"
    monkeypatch.setenv("GONGKAI_INDEX__ENGINE", "whoosh")
    assert load_settings(config).index.engine == "whoosh"  # the environment wins
    monkeypatch.setenv("GONGKAI_INDEX__ENGINE", "lucene")
    with pytest.raises(Exception, match="engine"):
        load_settings()


def test_index_suggests_tantivy_past_the_threshold(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    samples = sorted((ROOT / "samples").glob("*.txt"))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for sample in samples:
        (corpus / sample.name).write_bytes(sample.read_bytes())
    argv = ["index", str(corpus), "--index-dir", str(tmp_path / "index"), "--no-progress"]
    monkeypatch.delenv("GONGKAI_INDEX__ENGINE", raising=False)

    monkeypatch.setattr(cli, "_TANTIVY_HINT_REPORTS", len(samples))  # not more than
    assert cli.main(argv) == 0
    assert "tantivy" not in capsys.readouterr().err

    monkeypatch.setattr(cli, "_TANTIVY_HINT_REPORTS", len(samples) - 1)
    assert cli.main(argv) == 0
    err = capsys.readouterr().err
    assert 'engine = "tantivy"' in err and "GONGKAI_INDEX__ENGINE=tantivy" in err

    monkeypatch.setenv("GONGKAI_INDEX__ENGINE", "tantivy")
    assert cli.main(argv) == 0
    assert "tantivy" not in capsys.readouterr().err
    (generation,) = [p for p in (tmp_path / "index").glob("gen-*") if p.name in _current(tmp_path)]
    assert store_engine(generation / "store") == "tantivy"


def _current(tmp_path: Path) -> str:
    return (tmp_path / "index" / "CURRENT").read_text(encoding="utf-8").strip()
