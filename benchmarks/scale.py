"""Scale figures: indexing, disk, memory, server start and latency over a synthetic corpus.

For each size, the corpus comes from the shared generator (``../shared/bench/make_corpus.py``,
run from the repository root, its default seed) and is cached under ``WORK/cN`` with its truth
file ``WORK/cN.truth.jsonl``; a complete cached corpus is not generated again. For each engine
(``GONGKAI_INDEX__ENGINE``) it measures, running ``python -m gongkai.cli`` (what the ``gongkai``
command runs) from the checkout this script is in, with this Python:

1. ``gongkai index`` into a fresh index folder: wall time, peak RSS of the whole process tree
   (VmRSS of the process and all its descendants, summed, sampled every 50 ms; pages shared
   by forked workers are counted once per process, so this is an upper bound), and the disk
   used by the index folder (as ``du``: allocated blocks, a hard-linked file counted once);
2. the same run again with nothing changed: wall time;
3. the run after a line was appended to 1 % of the report files: time, peak RSS, disk;
4. ``gongkai serve`` on a free loopback port: time from spawn until ``/healthz`` answers 200,
   and the server's RSS after warm-up and after the latency run;
5. sequential ``/api/ask`` requests per kind of question (aiohttp client): p50 / p95 / max;
   every question is asked once first and a question not answered with the intended intent
   is reported and left out of the timing;
6. ``gongkai ask`` from the shell: wall time of the whole process, 3 runs.

Before anything is timed, the checkout's packages are byte-compiled (``compileall``), as an
install compiles them: every command then starts as an installed one does, not by compiling
its sources, which it would do on every start where ``PYTHONDONTWRITEBYTECODE`` is set.

The index runs read a scratch copy of the cached corpus: a tree of hard links to the cached
files (a plain copy when the folder is on another file system); a changed file is written
anew and renamed over its link, so the cached corpus is never modified. An engine whose run
fails (e.g. one the configuration does not know yet) is reported as failed and the next one
runs. Figures are printed as Markdown tables and written to ``WORK/scale-<timestamp>.json``.

An edit to the code while an index run goes on makes every file be parsed again; such a run
is flagged in the notes. For figures, run it in a checkout nobody edits meanwhile (a copy made
with ``git archive HEAD | tar -x -C DIR`` measures its own code, with ``--work`` anywhere).

    .venv/bin/python benchmarks/scale.py [--sizes 1000,10000] [--engines whoosh,tantivy]
        [--requests 200] [--keep] [--work var/bench]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import math
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT.parent / "shared" / "bench" / "make_corpus.py"
SAMPLE_SECONDS = 0.05
WARM_UP = 20
ASK_RUNS = 3
CHANGED_FRACTION = 0.01
EXPECTED_INTENT = {
    "contact": "contact",
    "filter": "filter",
    "rank": "rank",
    "count": "count",
    "keyword": "keyword",
    "two keywords": "keyword",
    "series": "filter",
    "change": "rank",
    "coverage": "filter",
    "late": "filter",
    "audit": "filter",
}
FILTER = "{year}年有哪些乡镇收到了政府信息公开申请"
PHRASES = ("微信公众号", "三审三校", "政务新媒体")
PHRASE_PAIRS = ("微信公众号 三审三校", "政务新媒体 三审三校", "微信公众号 政务新媒体")
_SUMMARY_RE = re.compile(r"indexed (\d+), unchanged (\d+), removed (\d+), failed (\d+)")
_PROBE = (
    "from gongkai.config import load_settings; print(getattr(load_settings().index, 'engine', ''))"
)


class BenchFailure(Exception):
    """A step of one engine's run failed; the run is reported as failed."""


def log(message: str) -> None:
    """A progress line on stderr (stdout is kept for the tables)."""
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------
# Pure helpers (tested in tests/test_bench_scale.py)


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile: the smallest value with ``fraction`` of values at or below."""
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def _parent_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="utf-8", errors="replace") as f:
                stat = f.read()
        except OSError:  # the process ended meanwhile
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (as /proc shows them now)."""
    children = _parent_map()
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children.get(current, ()))
    return tree


def vm_rss_kb(pid: int) -> int:
    """VmRSS of one process in kB; 0 when it is gone (or a zombie)."""
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kb(pid: int) -> int:
    """The sum of VmRSS (kB) over ``pid`` and all its descendants."""
    return sum(vm_rss_kb(p) for p in process_tree(pid))


def disk_usage(path: Path) -> int:
    """Bytes allocated under ``path``, as ``du`` counts them (a hard-linked file once)."""
    seen: set[tuple[int, int]] = set()
    total = 0
    for top, dirs, files in os.walk(path):
        for name in [*dirs, *files]:
            st = os.lstat(os.path.join(top, name))
            if (st.st_dev, st.st_ino) not in seen:
                seen.add((st.st_dev, st.st_ino))
                total += st.st_blocks * 512
    st = os.lstat(path)
    return total + st.st_blocks * 512


def markdown_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A Markdown table; the first column left-aligned, the others right-aligned."""
    rows = [list(row) for row in rows]
    for row in rows:
        if len(row) != len(headers):
            raise ValueError(f"row {row} has {len(row)} cells, not {len(headers)}")
    lines = [
        "| " + " | ".join(headers) + " |",
        "| " + " | ".join(["---"] + ["---:"] * (len(headers) - 1)) + " |",
    ]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _spread(items: Sequence[Any], count: int) -> list[Any]:
    """Up to ``count`` items taken evenly across ``items``, in order."""
    if len(items) <= count:
        return list(items)
    return [items[i * len(items) // count] for i in range(count)]


def build_questions(truth: Sequence[dict[str, Any]], per_kind: int = 5) -> dict[str, list[str]]:
    """Questions of each kind, built from the generated facts (real names and years)."""
    with_phone = list(dict.fromkeys(r["township"] for r in truth if r.get("phone")))
    towns = list(dict.fromkeys(r["township"] for r in truth))
    years = sorted({r["year"] for r in truth})
    apply_years = sorted({r["year"] for r in truth if r.get("applications_new")}) or years
    provinces = list(dict.fromkeys(r["province"] for r in truth))
    name_parts = [t[-3:] if t.endswith("街道") else t[-2:] for t in _spread(towns, per_kind)]
    pick = _spread(years, 2)
    return {
        "contact": [f"{t}电话" for t in _spread(with_phone or towns, per_kind)],
        "filter": [
            f"{y}年有哪些乡镇收到了政府信息公开申请" for y in _spread(apply_years, per_kind)
        ],
        "rank": ["哪个乡镇行政处罚最多", "行政许可最多的乡镇"]
        + [f"{y}年哪个乡镇行政处罚最多" for y in pick],
        "count": ["行政处罚一共多少件"]
        + [f"{y}年一共收到多少政府信息公开申请" for y in pick]
        + [f"{p}一共有多少个乡镇" for p in _spread(provinces, 2)],
        "keyword": [*PHRASES, *dict.fromkeys(name_parts)][: per_kind + 1],
        "two keywords": list(PHRASE_PAIRS),
        "series": [f"{t}历年行政许可" for t in _spread(towns, per_kind)],
        "change": ["行政许可增加最多的乡镇", "行政处罚减少最多的乡镇"],
        "coverage": [
            f"{r['county']}哪些乡镇没有{r['year']}年的报告"
            for r in _spread([r for r in truth if r.get("county")], 3)
        ]
        or [f"哪些乡镇没有{y}年的报告" for y in pick],
        "late": [f"{y}年哪些乡镇的报告晚于1月31日发布" for y in pick],
        "audit": ["哪些报告的数字对不上"] + [f"{y}年哪些报告的数字对不上" for y in pick],
    }


def parse_summary(text: str) -> dict[str, int] | None:
    """The counts of `gongkai index`'s summary line, or None when there is none."""
    match = _SUMMARY_RE.search(text)
    if not match:
        return None
    keys = ("indexed", "unchanged", "removed", "failed")
    return dict(zip(keys, map(int, match.groups()), strict=True))


def changed_line(counter: int) -> str:
    """A harmless line appended to a report: it changes the file's hash and no figure."""
    return f"附：本页内容已核对更新，编号第{counter}号。"


def _mb(kb_or_bytes: float | None, unit: int) -> str:
    return "—" if kb_or_bytes is None else f"{kb_or_bytes / unit:,.0f} MB"


def fmt_s(seconds: float | None) -> str:
    """Seconds for a table cell: one decimal, or two under ten seconds."""
    if seconds is None:
        return "—"
    return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:,.1f} s"


# --------------------------------------------------------------------------------------
# Corpus


def corpus_paths(work: Path, size: int) -> tuple[Path, Path]:
    """The cached corpus folder of ``size`` reports and its truth file."""
    return work / f"c{size}", work / f"c{size}.truth.jsonl"


def _line_count(path: Path) -> int:
    with path.open("rb") as f:
        return sum(1 for _ in f)


def corpus_complete(folder: Path, truth: Path, size: int) -> bool:
    """True when the folder holds ``size`` reports and the truth file ``size`` lines."""
    if not folder.is_dir() or not truth.is_file():
        return False
    reports = sum(1 for p in folder.iterdir() if p.suffix == ".txt")
    return reports == size and _line_count(truth) == size


def ensure_corpus(work: Path, size: int) -> tuple[Path, Path, float | None]:
    """The cached corpus of ``size`` reports, generated first if it is missing or incomplete."""
    folder, truth = corpus_paths(work, size)
    if corpus_complete(folder, truth, size):
        return folder, truth, None
    if not GENERATOR.is_file():
        raise SystemExit(f"the corpus generator is missing: {GENERATOR}")
    partial, partial_truth = work / f"c{size}.partial", work / f"c{size}.partial.truth.jsonl"
    for path in (folder, partial):
        shutil.rmtree(path, ignore_errors=True)
    log(f"generating {size} reports into {folder} …")
    start = time.perf_counter()
    command = [sys.executable, str(GENERATOR), "--checkout", ".", "--out", str(partial)]
    command += ["--count", str(size), "--truth", str(partial_truth)]
    subprocess.run(command, cwd=ROOT, check=True)
    seconds = time.perf_counter() - start
    partial.rename(folder)
    partial_truth.replace(truth)
    return folder, truth, seconds


def read_truth(path: Path) -> list[dict[str, Any]]:
    """The generator's facts, one dict per report."""
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def link_tree(source: Path, target: Path) -> str:
    """``target`` as a tree of hard links to ``source``'s files (copies across file systems)."""
    how = "hard links"
    for top, _dirs, files in os.walk(source):
        into = target / Path(top).relative_to(source)
        into.mkdir(parents=True, exist_ok=True)
        for name in files:
            try:
                os.link(os.path.join(top, name), into / name)
            except OSError:
                shutil.copy2(os.path.join(top, name), into / name)
                how = "copies"
    return how


def change_files(folder: Path, fraction: float = CHANGED_FRACTION) -> list[Path]:
    """Append a distinct line to ``fraction`` of the reports, each written as a new file.

    The new text goes to a hidden temporary file renamed over the old name, so a hard link to
    the cached corpus is replaced, never written through.
    """
    reports = sorted(p for p in folder.rglob("*.txt"))
    chosen = _spread(reports, max(1, round(len(reports) * fraction)))
    for counter, path in enumerate(chosen, 1):
        text = path.read_text(encoding="utf-8").rstrip("\n")
        scratch = path.with_name(f".{path.name}.new")
        scratch.write_text(f"{text}\n{changed_line(counter)}\n", encoding="utf-8")
        os.replace(scratch, path)
    return chosen


# --------------------------------------------------------------------------------------
# Processes


@dataclass
class Measured:
    """One finished command: wall time, peak tree RSS, exit code and output."""

    seconds: float
    peak_rss_kb: int
    returncode: int
    stdout: str
    stderr: str


class RssSampler:
    """Samples the tree RSS of a process every ``SAMPLE_SECONDS`` in a thread; keeps the peak."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while True:
            self.peak_kb = max(self.peak_kb, tree_rss_kb(self.pid))
            if self._stop.wait(SAMPLE_SECONDS):
                return

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def run_measured(command: Sequence[str], env: dict[str, str], logs: Path) -> Measured:
    """Run ``command`` to the end; its output goes to ``logs``.out/.err."""
    out, err = logs.with_suffix(".out"), logs.with_suffix(".err")
    with out.open("wb") as stdout, err.open("wb") as stderr:
        start = time.perf_counter()
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=stdout, stderr=stderr)
        with RssSampler(proc.pid) as sampler:
            returncode = proc.wait()
            seconds = time.perf_counter() - start
    return Measured(
        seconds,
        sampler.peak_kb,
        returncode,
        out.read_text(encoding="utf-8", errors="replace"),
        err.read_text(encoding="utf-8", errors="replace"),
    )


def _tail(text: str, lines: int = 3) -> str:
    return " / ".join(line.strip() for line in text.strip().splitlines()[-lines:]) or "no output"


def gongkai_command() -> list[str]:
    """The ``gongkai`` command as this Python runs it from the checkout this script is in.

    ``python -m gongkai.cli`` runs the same ``main()`` as the installed ``gongkai`` script; run
    from ``ROOT`` it imports ``ROOT``'s code, so a copy of the checkout measures its own code.
    """
    return [sys.executable, "-m", "gongkai.cli"]


def base_env(index_dir: Path) -> dict[str, str]:
    """This environment without any GONGKAI_* setting (no bot token), plus the index folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONGKAI_")}
    env["GONGKAI_INDEX_DIR"] = str(index_dir)
    return env


def engine_env(engine: str, env: dict[str, str]) -> tuple[dict[str, str], str]:
    """``env`` choosing ``engine``, and a note; BenchFailure if the settings refuse it.

    While the settings have no ``index.engine`` yet, whoosh (the only engine then) runs
    without the variable.
    """
    chosen = {**env, "GONGKAI_INDEX__ENGINE": engine}
    probe = subprocess.run(
        [sys.executable, "-c", _PROBE], cwd=ROOT, env=chosen, capture_output=True, text=True
    )
    if probe.returncode == 0 and probe.stdout.strip() == engine:
        return chosen, ""
    bare = subprocess.run(
        [sys.executable, "-c", _PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if engine == "whoosh" and bare.returncode == 0 and not bare.stdout.strip():
        return env, "the settings have no index.engine yet; whoosh is the only engine"
    raise BenchFailure(
        f"GONGKAI_INDEX__ENGINE={engine} is not taken: "
        + _tail(probe.stderr or probe.stdout or "the settings name another engine", 1)
    )


def store_kind(index_dir: Path) -> str:
    """Which full-text engine wrote the committed store: its ENGINE file, else its files."""
    try:
        gen = index_dir / (index_dir / "CURRENT").read_text(encoding="utf-8").strip()
    except OSError:
        return "unknown"
    engine_file = gen / "store" / "ENGINE"
    if engine_file.is_file():
        return engine_file.read_text(encoding="utf-8").strip()
    names = {p.name for p in gen.rglob("*")}
    if any(name.endswith(".toc") for name in names):
        return "whoosh"
    return "tantivy" if "meta.json" in names else "unknown"


CODE_DIRS = ("indexer", "search", "bot", "gongkai")


def code_state(root: Path = ROOT) -> str:
    """A digest of the project's code files (name, size, mtime): it changes with any edit."""
    digest = hashlib.sha1()
    for top in CODE_DIRS:
        for path in sorted((root / top).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                st = path.stat()
                digest.update(f"{path.relative_to(root)}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


# --------------------------------------------------------------------------------------
# One engine at one size


@dataclass
class Run:
    """Paths and settings of one engine's run at one size."""

    engine: str
    size: int
    source: Path  # the cached corpus
    folder: Path
    corpus: Path  # its scratch copy, which the runs index and change
    index: Path
    env: dict[str, str]
    questions: dict[str, list[str]]
    requests: int
    code: str = ""  # code_state() when the run began
    result: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def warn(self, message: str) -> None:
        self.warnings.append(message)
        log(f"  WARNING [{self.engine}, {self.size}]: {message}")


def _index(run: Run, step: str, expect: dict[str, int]) -> Measured:
    command = [*gongkai_command(), "index", "--no-progress", str(run.corpus)]
    before = code_state()
    measured = run_measured(command, run.env, run.folder / f"index-{step}")
    if code_state() != before or before != run.code:
        run.warn(f"the project's code changed before or during index ({step}): not comparable")
    if measured.returncode != 0:
        raise BenchFailure(
            f"gongkai index ({step}) exited {measured.returncode}: {_tail(measured.stderr)}"
        )
    counts = parse_summary(measured.stdout)
    run.result[f"{step}_summary"] = counts
    if counts is None:
        run.warn(f"index ({step}) printed no summary line")
    elif any(counts[key] != value for key, value in expect.items()):
        run.warn(f"index ({step}): {counts}, expected {expect}")
    log(f"  index ({step}): {measured.seconds:.1f} s, {_tail(measured.stdout, 1)}")
    return measured


def bench_indexing(run: Run) -> None:
    """First run, unchanged re-run and the run after 1 % of the files changed."""
    first = _index(run, "first", {"indexed": run.size, "failed": 0})
    run.result.update(
        first_index_s=first.seconds,
        first_peak_rss_kb=first.peak_rss_kb,
        first_disk_bytes=disk_usage(run.index),
        store=store_kind(run.index),
    )
    if run.result["store"] not in (run.engine, "unknown"):
        run.warn(f"the store looks like {run.result['store']}, not {run.engine}")
    again = _index(run, "unchanged", {"indexed": 0, "unchanged": run.size})
    run.result["unchanged_s"] = again.seconds
    changed = change_files(run.corpus)
    run.result["changed_files"] = len(changed)
    third = _index(run, "changed", {"indexed": len(changed), "failed": 0})
    run.result.update(
        changed_s=third.seconds,
        changed_peak_rss_kb=third.peak_rss_kb,
        changed_disk_bytes=disk_usage(run.index),
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def _wait_healthy(session: Any, base: str, proc: subprocess.Popen[bytes]) -> None:
    import aiohttp

    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BenchFailure(f"gongkai serve exited {proc.returncode} before it was healthy")
        try:
            async with session.get(f"{base}/healthz") as response:
                if response.status == 200:
                    return
        except (TimeoutError, aiohttp.ClientError, OSError):
            pass
        await asyncio.sleep(SAMPLE_SECONDS)
    raise BenchFailure("gongkai serve was not healthy within 600 s")


async def _ask(session: Any, base: str, question: str) -> tuple[int, bytes]:
    async with session.get(f"{base}/api/ask", params={"q": question}) as response:
        return response.status, await response.read()


async def _check_intents(run: Run, session: Any, base: str) -> dict[str, list[str]]:
    """Each question once: those answered with the kind's intent (all, if none is)."""
    kept: dict[str, list[str]] = {}
    for kind, questions in run.questions.items():
        good = []
        for question in questions:
            status, body = await _ask(session, base, question)
            intent = json.loads(body).get("intent") if status == 200 else f"HTTP {status}"
            if intent == EXPECTED_INTENT[kind]:
                good.append(question)
            else:
                run.warn(f"{kind}: {question!r} is answered as {intent}; left out of the timing")
        kept[kind] = good or questions
    return kept


async def _time_kind(session: Any, base: str, questions: list[str], n: int) -> dict[str, Any]:
    for i in range(WARM_UP):
        await _ask(session, base, questions[i % len(questions)])
    samples, errors = [], 0
    for i in range(n):
        start = time.perf_counter()
        status, _ = await _ask(session, base, questions[i % len(questions)])
        samples.append((time.perf_counter() - start) * 1000)
        errors += status != 200
    return {
        "questions": questions,
        "requests": n,
        "non_200": errors,
        "p50_ms": percentile(samples, 0.5),
        "p95_ms": percentile(samples, 0.95),
        "max_ms": max(samples),
    }


async def _client(run: Run, base: str, proc: subprocess.Popen[bytes], start: float) -> None:
    import aiohttp

    timeout = aiohttp.ClientTimeout(total=120, sock_connect=2)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        await _wait_healthy(session, base, proc)
        run.result["server_start_s"] = time.perf_counter() - start
        kinds = await _check_intents(run, session, base)
        for questions in kinds.values():
            for i in range(WARM_UP):
                await _ask(session, base, questions[i % len(questions)])
        run.result["server_rss_warm_kb"] = tree_rss_kb(proc.pid)
        latency = {}
        for kind, questions in kinds.items():
            latency[kind] = await _time_kind(session, base, questions, run.requests)
            if latency[kind]["non_200"]:
                run.warn(f"{kind}: {latency[kind]['non_200']} answers were not 200")
        run.result["latency"] = latency
        run.result["server_rss_after_kb"] = tree_rss_kb(proc.pid)


def bench_server(run: Run) -> None:
    """Start `gongkai serve`, time its start and the questions, read its RSS; stop it."""
    import aiohttp  # noqa: F401  the client's own import is no part of the server's start

    port = _free_port()
    command = [*gongkai_command(), "serve", "--host", "127.0.0.1", "--port", str(port)]
    with (run.folder / "serve.log").open("wb") as server_log:
        start = time.perf_counter()
        proc = subprocess.Popen(
            command, cwd=ROOT, env=run.env, stdout=server_log, stderr=subprocess.STDOUT
        )
        try:
            asyncio.run(_client(run, f"http://127.0.0.1:{port}", proc, start))
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    log(f"  server: healthy after {run.result['server_start_s']:.2f} s")


def bench_cli_ask(run: Run) -> None:
    """Wall time of `gongkai ask` as a whole process, ``ASK_RUNS`` times."""
    question = run.questions["contact"][0]
    times = []
    for _ in range(ASK_RUNS):
        start = time.perf_counter()
        done = subprocess.run(
            [*gongkai_command(), "ask", question], cwd=ROOT, env=run.env, capture_output=True
        )
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise BenchFailure(
                f"gongkai ask exited {done.returncode}: {_tail(done.stderr.decode())}"
            )
    run.result.update(ask_question=question, ask_s=times)


def bench_engine(run: Run, keep: bool) -> dict[str, Any]:
    """All measurements of one engine at one size; a failure is recorded, not raised."""
    shutil.rmtree(run.folder, ignore_errors=True)
    run.folder.mkdir(parents=True)
    run.result["engine"] = run.engine
    run.code = code_state()
    try:
        run.env, run.result["engine_note"] = engine_env(run.engine, run.env)
        run.result["scratch_corpus"] = link_tree(run.source, run.corpus)
        bench_indexing(run)
        bench_server(run)
        bench_cli_ask(run)
    except BenchFailure as exc:
        run.result["failed"] = str(exc)
        log(f"  FAILED [{run.engine}, {run.size}]: {exc}")
    finally:
        shutil.rmtree(run.corpus, ignore_errors=True)
        if not keep:
            shutil.rmtree(run.folder, ignore_errors=True)
    run.result["warnings"] = run.warnings
    return run.result


# --------------------------------------------------------------------------------------
# Report


PACKAGES = ("gongkai", "search", "bot", "indexer")  # what pyproject.toml installs


def byte_compile(root: Path = ROOT) -> None:
    """Byte-compile the checkout's packages, as an install does (see the module docstring)."""
    command = [sys.executable, "-m", "compileall", "-q", *(str(root / p) for p in PACKAGES)]
    subprocess.run(command, cwd=root, check=True, capture_output=True)


def machine_info() -> dict[str, Any]:
    """Cores, RAM, CPU, Python, kernel, load and the checked-out commit."""
    meminfo = Path("/proc/meminfo").read_text().split("\n")
    ram_kb = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal:"))
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
    head = subprocess.run(
        ["git", "log", "-1", "--format=%h %s"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {
        "cores": os.cpu_count(),
        "ram_gb": round(ram_kb / 1024**2, 1),
        "cpu": model.group(1) if model else platform.processor(),
        "python": platform.python_version(),
        "kernel": platform.release(),
        "load_average": os.getloadavg(),
        "commit": head or "unknown (not a git checkout)",
    }


def _rss_pair(result: dict[str, Any]) -> str:
    warm, after = result.get("server_rss_warm_kb"), result.get("server_rss_after_kb")
    if warm is None:
        return "—"
    return f"{warm / 1024:,.0f} / {_mb(after, 1024)}"


def size_row(result: dict[str, Any]) -> list[str]:
    """One engine's cells of the per-size table."""
    if "failed" in result and "first_index_s" not in result:
        return [result["engine"], f"failed: {result['failed']}"] + ["—"] * 7
    ask = result.get("ask_s")
    changed = (
        f"{fmt_s(result.get('changed_s'))} / {_mb(result.get('changed_peak_rss_kb'), 1024)}"
        f" / {_mb(result.get('changed_disk_bytes'), 1024**2)}"
    )
    name = result["engine"] + (" (failed later)" if "failed" in result else "")
    return [
        name,
        fmt_s(result.get("first_index_s")),
        _mb(result.get("first_peak_rss_kb"), 1024),
        _mb(result.get("first_disk_bytes"), 1024**2),
        fmt_s(result.get("unchanged_s")),
        changed,
        fmt_s(result.get("server_start_s")),
        _rss_pair(result),
        f"{min(ask):.2f}–{max(ask):.2f} s" if ask else "—",
    ]


SIZE_HEADERS = (
    "engine",
    "first index",
    "peak RSS",
    "disk",
    "unchanged re-run",
    "1 % changed (time / peak RSS / disk)",
    "server start",
    "server RSS (warm / after)",
    "gongkai ask",
)


def latency_rows(results: Sequence[dict[str, Any]]) -> Iterator[list[str]]:
    """Rows of the latency table: kind × engine, p50 / p95 / max ms."""
    for kind in EXPECTED_INTENT:
        row = [kind]
        for result in results:
            lat = result.get("latency", {}).get(kind)
            row.append(
                f"{lat['p50_ms']:.1f} / {lat['p95_ms']:.1f} / {lat['max_ms']:.1f}" if lat else "—"
            )
        yield row


def report_size(size: int, corpus: dict[str, Any], results: Sequence[dict[str, Any]]) -> str:
    """The Markdown of one size: the main table, the latency table, warnings."""
    parts = [f"## {size:,} reports\n", markdown_table(SIZE_HEADERS, map(size_row, results))]
    parts.append(
        f"\nLatency over HTTP, sequential, ms (p50 / p95 / max), {corpus['requests']}"
        f" requests per kind after {WARM_UP} warm-up ones:\n"
    )
    headers = ["kind", *(r["engine"] for r in results)]
    parts.append(markdown_table(headers, latency_rows(results)))
    notes = [f"- {r['engine']}: {w}" for r in results for w in r.get("warnings", [])]
    notes += [f"- {r['engine']}: {r['engine_note']}" for r in results if r.get("engine_note")]
    if notes:
        parts.append("\nNotes:\n" + "\n".join(notes))
    return "\n".join(parts) + "\n"


def report_machine(info: dict[str, Any]) -> str:
    """The header line of the report."""
    load = ", ".join(f"{x:.2f}" for x in info["load_average"])
    return (
        f"# gongkai scale benchmark\n\n{info['cores']} cores ({info['cpu']}), "
        f"{info['ram_gb']} GB RAM, Python {info['python']}, Linux {info['kernel']}, "
        f"load {load} at start; commit {info['commit']}\n"
    )


# --------------------------------------------------------------------------------------
# Main


def _csv(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in _csv(s)], default=[1000])
    parser.add_argument("--engines", type=_csv, default=["whoosh"])
    parser.add_argument("--requests", type=int, default=200, help="timed requests per kind")
    parser.add_argument("--keep", action="store_true", help="keep the index folders")
    parser.add_argument("--work", type=Path, default=ROOT / "var" / "bench")
    return parser.parse_args(argv)


def bench_size(args: argparse.Namespace, size: int) -> tuple[dict[str, Any], list[dict]]:
    """Every engine at one size."""
    folder, truth_path, generated = ensure_corpus(args.work, size)
    truth = read_truth(truth_path)
    questions = build_questions(truth)
    corpus = {
        "folder": str(folder),
        "reports": size,
        "generated_s": generated,
        "requests": args.requests,
        "questions": questions,
    }
    results = []
    for engine in args.engines:
        log(f"{size} reports, {engine}:")
        run_dir = args.work / f"run-c{size}-{engine}"
        run = Run(
            engine=engine,
            size=size,
            source=folder,
            folder=run_dir,
            corpus=run_dir / "corpus",
            index=run_dir / "index",
            env=base_env(run_dir / "index"),
            questions=questions,
            requests=args.requests,
        )
        results.append(bench_engine(run, args.keep))
    return corpus, results


def main(argv: Sequence[str] | None = None) -> int:
    """Run every size and engine; print the tables; write the JSON."""
    args = _parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the server on the way out
    args.work = args.work.resolve()
    args.work.mkdir(parents=True, exist_ok=True)
    info = machine_info()
    stamp = time.strftime("%Y%m%dT%H%M%S")
    out = args.work / f"scale-{stamp}.json"
    document: dict[str, Any] = {"machine": info, "started": stamp, "sizes": {}}
    document["args"] = {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()}
    print(report_machine(info), flush=True)
    byte_compile()
    for size in args.sizes:
        corpus, results = bench_size(args, size)
        document["sizes"][str(size)] = {"corpus": corpus, "engines": results}
        out.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
        print(report_size(size, corpus, results), flush=True)
    log(f"figures written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
