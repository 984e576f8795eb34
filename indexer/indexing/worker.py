"""Parse report files in a worker process, each file within a time and a memory budget.

A hostile file (a table asking for billions of cells, a zip bomb, markup that takes the
parser minutes) must cost one failure line, not the index run. `ParseWorker` sends one path
at a time to a child process (forked from a server that has the parser loaded, so a restart
is cheap). The child caps its address space to what it holds plus the memory budget before
each file, so an allocation past it fails there with `MemoryError`; the parent waits at most
the time budget for the answer and kills the child past it. Either way the file is reported
with the reason and the next file gets a fresh child.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import resource
import signal
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from types import TracebackType
from typing import Any

from indexer.errors import IndexerError, NoReportHere

__all__ = ["Entry", "FileBudget", "ParsePool", "ParseWorker", "failure_reason"]

_MB = 1 << 20
_START_SECONDS = 120


@dataclass(frozen=True)
class FileBudget:
    """What one file may cost: wall-clock seconds, and memory in MB above the worker's own."""

    seconds: float = 120.0
    memory_mb: int = 1024

    def out_of_memory(self) -> str:
        """The reason given for a file that needed more memory than the budget."""
        return f"out of memory: reading it needed more than {self.memory_mb} MB (the budget)"


def failure_reason(exc: BaseException) -> str:
    """Why a file failed, without its path; with the line if known; never a bare class name."""
    if isinstance(exc, MemoryError) or isinstance(exc.__cause__, MemoryError):
        return "out of memory while reading it"
    reason = getattr(exc, "reason", None) or str(exc) or type(exc).__name__
    line = getattr(exc, "line", None)
    return f"line {line}: {reason}" if line is not None else str(reason)


def _address_space() -> int | None:
    """This process's virtual memory size in bytes (Linux), or None where unknown."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _cap_memory(memory_mb: int | None) -> None:
    """Let the next file allocate at most ``memory_mb`` more than the process holds now;
    None lifts the cap again."""
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    size = _address_space() if memory_mb is not None else None
    if size is None or memory_mb is None:
        resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
        return
    soft = size + memory_mb * _MB
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@dataclass(frozen=True)
class Entry:
    """A parsed report as the writer takes it: its database row and its store document, made
    in the worker so the one writer only inserts them."""

    report_id: str
    row: tuple[Any, ...]  # `records.row_values`
    document: dict[str, str]  # the engine's ``prepare``


def _parse_one(raw: bytes, budget: FileBudget, engine: str | None) -> tuple[str, Any]:
    """("ok", report or `Entry`), ("none", reason) for a file holding no report, or
    ("error", reason)."""
    from indexer.parsing.parse import parse_file

    try:
        report = parse_file(Path(os.fsdecode(raw)))
        if engine is None:
            return "ok", report
        from indexer.indexing.records import row_values
        from indexer.indexing.stores import preparer

        return "ok", Entry(report.id, row_values(report), preparer(engine)(report))
    except NoReportHere as exc:
        return "none", exc.reason
    except MemoryError:
        return "oom", budget.out_of_memory()
    except Exception as exc:  # a parser bug must not stop the run: it is this file's failure
        if isinstance(exc.__cause__, MemoryError):
            return "oom", budget.out_of_memory()
        return "error", failure_reason(exc) if isinstance(exc, IndexerError) else _bug(exc)


def _bug(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"


def _serve(conn: Connection, budget: FileBudget, engine: str | None) -> None:
    """The child: parse each path it is sent and send back the outcome, until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    from indexer.parsing.parse import parse_file  # noqa: F401 - loaded before "ready", not on the clock

    conn.send("ready")
    while True:
        try:
            raw = conn.recv()
        except (EOFError, OSError):
            return
        _cap_memory(budget.memory_mb)
        kind, payload = _parse_one(raw, budget, engine)
        _cap_memory(None)
        conn.send((kind, payload))
        if kind == "oom":  # whatever failed to allocate may have left things half made
            return


def _context() -> multiprocessing.context.BaseContext:
    """Fork from a server that has the parser imported; plain fork where there is none."""
    try:
        context = multiprocessing.get_context("forkserver")
    except ValueError:  # pragma: no cover - platforms without forkserver
        return multiprocessing.get_context()
    context.set_forkserver_preload(["indexer.indexing._warm"])
    return context


class ParseWorker:
    """Parses files one at a time in a child process within a `FileBudget` each."""

    def __init__(self, budget: FileBudget, engine: str | None = None) -> None:
        """Parse within ``budget``; with ``engine``, `parse` gives an `Entry` for that
        full-text engine instead of the `Report`."""
        self.budget = budget
        self.engine = engine
        self._process: multiprocessing.process.BaseProcess | None = None
        self._conn: Connection | None = None

    def parse(self, path: Path) -> Any:
        """Parse one file: its `Report` (an `Entry` when the worker has an engine);
        `IndexerError` (`NoReportHere` too) with the reason if it fails."""
        conn = self._connection()
        conn.send(os.fsencode(path))
        if not conn.poll(self.budget.seconds):
            self._stop()
            raise IndexerError(
                f"took longer than {self.budget.seconds:g} s (the time budget per file); stopped"
            )
        try:
            kind, payload = conn.recv()
        except (EOFError, OSError):
            raise IndexerError(self._died()) from None
        if kind == "ok":
            return payload
        if kind == "oom":
            self._stop()
        if kind == "none":
            raise NoReportHere(str(path), payload)
        raise IndexerError(payload)

    def _connection(self) -> Connection:
        """The pipe to a running child, starting one if there is none."""
        if self._process is not None and self._process.is_alive() and self._conn is not None:
            return self._conn
        self._stop()
        ours, theirs = multiprocessing.Pipe()
        process = _context().Process(
            target=_serve, args=(theirs, self.budget, self.engine), daemon=True
        )
        process.start()
        theirs.close()
        self._process, self._conn = process, ours
        # The clock of the first file starts once the child is ready, not while it starts.
        try:
            ready = ours.poll(_START_SECONDS) and ours.recv() == "ready"
        except (EOFError, OSError):
            ready = False
        if not ready:
            self._stop()
            raise IndexerError(f"the reader process did not start within {_START_SECONDS} s")
        return ours

    def _died(self) -> str:
        """Why the child went away while reading a file (it is gone: reap it)."""
        process = self._process
        self._stop()
        code = process.exitcode if process is not None else None
        if code is not None and code < 0:
            name = signal.Signals(-code).name
            return f"the reader was killed by {name} while reading it (out of memory?)"
        return f"the reader stopped while reading it (exit code {code})"

    def _stop(self) -> None:
        """Kill the child, if any, and wait for it."""
        if self._conn is not None:
            self._conn.close()
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join()
        self._process, self._conn = None, None

    def close(self) -> None:
        """Stop the child."""
        self._stop()

    def __enter__(self) -> ParseWorker:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class ParsePool:
    """Worker processes (one per core by default) parsing files while the run writes."""

    def __init__(self, budget: FileBudget, workers: int, engine: str) -> None:
        self._idle: queue.SimpleQueue[ParseWorker] = queue.SimpleQueue()
        self._all = [ParseWorker(budget, engine) for _ in range(workers)]
        for worker in self._all:
            self._idle.put(worker)
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="parse")
        self.width = workers

    def submit(self, path: Path) -> Future[Entry]:
        """Parse ``path`` in the next free worker."""
        return self._pool.submit(self._parse, path)

    def _parse(self, path: Path) -> Entry:
        worker = self._idle.get()
        try:
            return worker.parse(path)
        finally:
            self._idle.put(worker)

    def __enter__(self) -> ParsePool:
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        for worker in self._all:
            worker.close()
