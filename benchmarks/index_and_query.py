"""Index and query speed over the bundled samples repeated to a few thousand reports.

Copies the samples into a temporary folder (each copy slightly changed so that its hash
differs), indexes them, and prints the time of a first run, of a run with nothing changed and
of a run with 1% of the files changed, then query latency p50/p95 for each kind of question.

    .venv/bin/python benchmarks/index_and_query.py [--reports 3000] [--repeat 50]

To time another kind of question, add an entry to `KINDS`: a name, the questions, and a
function that answers one question over the opened index.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.indexing.build import run_index  # noqa: E402
from indexer.indexing.snapshot import IndexSnapshot, open_index  # noqa: E402

SAMPLES = sorted((ROOT / "samples").glob("*.txt"))


@dataclass(frozen=True)
class Kind:
    """One kind of question: how to answer it over an opened index, and examples."""

    name: str
    questions: tuple[str, ...]
    answer: Callable[[IndexSnapshot, str], object]


def _keyword(snapshot: IndexSnapshot, words: str) -> object:
    return snapshot.search(words, page=1, size=10)


KINDS: list[Kind] = [
    Kind("keyword: phrase", ("微信公众号", "三审三校", "依申请公开", "政务新媒体"), _keyword),
    Kind("keyword: name part", ("胜乡", "升昌", "东沟乡"), _keyword),
    Kind("keyword: one character", ("镇", "乡"), _keyword),
    Kind("keyword: two words", ("微信公众号 三审三校", "行政许可 2023年"), _keyword),
]


# Questions through `Engine.ask`, by the intent they are understood as (the search layer:
# understanding, answers from the index's rows and figures, keyword search through the store).
ASK_KINDS: dict[str, tuple[str, ...]] = {
    "ask: contact": ("长胜乡的联系电话", "升昌镇 邮编", "contact details for Shengchang town"),
    "ask: contact (pinyin typo)": ("shengchnag postcode", "長勝鄉郵編"),
    "ask: filter": ("2023年有哪些乡镇收到了政府信息公开申请？", "行政处罚超过10件的乡镇"),
    "ask: filter by place": ("黑龙江省的乡镇", "townships in Heilongjiang"),
    "ask: rank": ("哪个乡镇行政处罚最多", "which township has the most penalties"),
    "ask: count": ("2023年一共收到多少政府信息公开申请", "how many applications in 2023"),
    "ask: keyword": ("微信公众号", "三审三校"),
}


def time_engine(index_dir: Path, repeat: int) -> None:
    """Print the Engine's open time and p50/p95 of `Engine.ask` for each kind of question."""
    from search import Engine

    start = time.perf_counter()
    engine = Engine(index_dir)
    print(f"\nEngine open (rows, names, lexicon): {time.perf_counter() - start:.2f} s")
    print(f"{'kind':28} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8}")
    for name, questions in ASK_KINDS.items():
        samples: list[float] = []
        for _ in range(repeat):
            for question in questions:
                start = time.perf_counter()
                engine.ask(question)
                samples.append((time.perf_counter() - start) * 1000)
        p50, p95 = percentile(samples, 0.5), percentile(samples, 0.95)
        print(f"{name:28} {p50:8.1f} {p95:8.1f} {statistics.fmean(samples):8.1f}")
    engine.close()


def make_corpus(folder: Path, count: int) -> None:
    """``count`` report files made from the samples, each with a line that makes it unique."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = [sample.read_text(encoding="utf-8") for sample in SAMPLES]
    for n in range(count):
        name = f"{n:05d}_{SAMPLES[n % len(SAMPLES)].name}"
        text = texts[n % len(texts)] + f"\n本报告副本编号{n}。\n"
        (folder / name).write_text(text, encoding="utf-8")


def _timed(what: str, run: Callable[[], object]) -> float:
    start = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - start
    print(f"{what}: {seconds:.1f} s  ({result})")
    return seconds


def time_indexing(corpus: Path, index_dir: Path, count: int) -> None:
    """Print the time of a first run, an unchanged run and a run with 1% of files changed."""
    seconds = _timed("first run", lambda: _describe(run_index([corpus], index_dir, progress=False)))
    print(f"  {count / seconds:.0f} reports/s")
    _timed("nothing changed", lambda: _describe(run_index([corpus], index_dir, progress=False)))
    for path in sorted(corpus.iterdir())[::100]:
        path.write_text(path.read_text(encoding="utf-8") + "\n修改。\n", encoding="utf-8")
    _timed("1% changed", lambda: _describe(run_index([corpus], index_dir, progress=False)))


def _describe(summary: object) -> str:
    return summary.describe().splitlines()[0]  # type: ignore[attr-defined]


def percentile(values: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def time_queries(snapshot: IndexSnapshot, repeat: int) -> None:
    """Print p50/p95 latency in milliseconds for each kind of question."""
    print(f"\n{'kind':28} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8}")
    for kind in KINDS:
        samples: list[float] = []
        for _ in range(repeat):
            for question in kind.questions:
                start = time.perf_counter()
                kind.answer(snapshot, question)
                samples.append((time.perf_counter() - start) * 1000)
        p50, p95 = percentile(samples, 0.5), percentile(samples, 0.95)
        print(f"{kind.name:28} {p50:8.1f} {p95:8.1f} {statistics.fmean(samples):8.1f}")


def main() -> None:
    """Build the corpus, time the index runs, then time the queries."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=50, help="runs of each question")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-") as tmp:
        corpus, index_dir = Path(tmp) / "corpus", Path(tmp) / "index"
        make_corpus(corpus, args.reports)
        print(f"{args.reports} reports from {len(SAMPLES)} samples")
        time_indexing(corpus, index_dir, args.reports)
        open_seconds = time.perf_counter()
        with open_index(index_dir) as snapshot:
            print(f"open_index: {time.perf_counter() - open_seconds:.2f} s")
            time_queries(snapshot, args.repeat)
        time_engine(index_dir, args.repeat)


if __name__ == "__main__":
    main()
