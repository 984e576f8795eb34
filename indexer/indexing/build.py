"""Build and update an index directory from report files.

Each run writes a new generation: its changed records go into the shared records database
(`indexer.indexing.records`, one transaction, rows stamped with the generation's number),
its full-text store is the previous one hard-linked and updated (or a new one), and its
manifest lists the files. Files are parsed in worker processes, one per core, a few files
ahead of the single writer, so memory does not grow with the corpus. Only when all of it is
durable does the ``CURRENT`` pointer switch to it with one ``os.replace``; a run that fails
or is killed leaves the previous generation in use, and the next run forgets what it wrote.
A lock file stops two runs at once; generations no reader holds are removed, and the
records only they could see are deleted.
"""

from __future__ import annotations

import collections
import json
import os
import sqlite3
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from tqdm import tqdm

from indexer.errors import IndexerError, NoReportHere
from indexer.indexing.files import (
    SUFFIXES,
    code_fingerprint,
    collect,
    sha256,
    sidecar_sha256,
    under,
)
from indexer.indexing.generations import GEN_PREFIX, remove_unused, switch, writer_lock
from indexer.indexing.records import DB_NAME, RecordDB
from indexer.indexing.snapshot import FORMAT, MANIFEST, STORE, read_generation, read_pointer
from indexer.indexing.stores import ENGINES, open_store, store_engine
from indexer.indexing.worker import Entry, FileBudget, ParsePool, failure_reason
from indexer.indexing.writing import NewGeneration
from indexer.models import Report
from indexer.parsing.read import shown_path

__all__ = ["SUFFIXES", "IndexSummary", "code_fingerprint", "run_index"]
_T = TypeVar("_T")


@dataclass
class IndexSummary:
    """What one index run did."""

    indexed: int = 0
    unchanged: int = 0
    removed: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    generation: str | None = None

    def describe(self) -> str:
        """One line for the terminal, then one line per failure."""
        line = (
            f"indexed {self.indexed}, unchanged {self.unchanged}, "
            f"removed {self.removed}, failed {len(self.failed)}"
        )
        if self.skipped:
            line += f", skipped {len(self.skipped)}"
        lines = [line]
        lines += [f"  failed: {path}: {reason}" for path, reason in self.failed]
        lines += [f"  skipped: {path}: {reason}" for path, reason in self.skipped]
        return "\n".join(lines)


@dataclass
class _Previous:
    """The committed generation an incremental run starts from."""

    generation: str | None = None
    files: dict[str, dict[str, str]] = field(default_factory=dict)  # path -> sha256, id, code
    code: str | None = None  # the code_fingerprint() that wrote the generation
    seq: int = 0  # its number in the records database (0: none)
    engine: str | None = None  # the engine of its full-text store
    store_ok: bool = True  # False when its full-text store's files are gone or broken

    def reusable(self, engine: str) -> bool:
        """Whether this code wrote it and its store can be carried on (linked, updated)."""
        return self.code == code_fingerprint() and self.store_ok and self.engine == engine


@dataclass
class _Plan:
    """The next generation's files, and which report each file gave."""

    files: dict[str, dict[str, str]] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)  # report id -> path
    put: set[str] = field(default_factory=set)  # report ids written in this run


def _store_usable(gen_dir: Path) -> bool:
    """Whether a generation's full-text store opens (its files were not deleted)."""
    try:
        open_store(gen_dir / STORE).close()
    except Exception:  # whatever an engine raises for missing or broken files: it is rebuilt
        return False
    return True


def _manifest(index_dir: Path, name: str) -> dict[str, Any]:
    """A generation's manifest; IndexerError when it cannot be read."""
    try:
        return json.loads((index_dir / name / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexerError(
            f"the index in {index_dir} cannot be read ({type(exc).__name__}: {exc}); "
            "run again with --rebuild"
        ) from exc


def _load_previous(index_dir: Path, name: str | None) -> _Previous:
    """The committed generation's files, or an empty start (none, or an older layout)."""
    if name is None:
        return _Previous()
    manifest = _manifest(index_dir, name)
    if manifest.get("format") != FORMAT or not isinstance(manifest.get("seq"), int):
        return _Previous()  # written by an older gongkai: every file is read again
    gen_dir = index_dir / name
    try:
        engine = store_engine(gen_dir / STORE)
    except ValueError:  # an ENGINE file naming no engine we know: the store is made again
        engine = None
    return _Previous(
        name,
        manifest["files"],
        manifest.get("code"),
        manifest["seq"],
        engine,
        engine is not None and _store_usable(gen_dir),
    )


def _seq_of(index_dir: Path, name: str | None) -> int:
    """The records-database number of a generation (0 for none or an older layout)."""
    if name is None:
        return 0
    try:
        seq = read_generation(index_dir / name).get("seq")
    except (OSError, ValueError):
        return 0
    return seq if isinstance(seq, int) else 0


# Parsing


def _add(plan: _Plan, key: str, entry: dict[str, str]) -> str | None:
    """Put a file's record into the plan; the reason it cannot go in, if any."""
    other = plan.paths.get(entry["id"])
    if other is not None:
        return f"same report id ({entry['id']}) as {shown_path(other)}"
    plan.files[key] = entry
    plan.paths[entry["id"]] = key
    return None


def _same(before: dict[str, str], sha: str, meta: str | None) -> bool:
    """Whether a file indexed before is unchanged (its sidecar too) and was parsed by this
    code."""
    return (
        before.get("sha256") == sha
        and before.get("meta") == meta
        and before.get("code") == code_fingerprint()
    )


def _entry(sha: str, meta: str | None, report_id: str) -> dict[str, str]:
    """A file's manifest entry: its hash, its sidecar's (if any), its report, the code."""
    entry = {"sha256": sha, "id": report_id, "code": code_fingerprint()}
    return entry | ({"meta": meta} if meta is not None else {})


def _progress(items: Iterable[_T], bar: bool, what: str, total: int | None = None) -> Iterable[_T]:
    """``items``, with a progress bar on stderr when ``bar``."""
    return tqdm(
        items,
        disable=not bar,
        desc=what,
        unit="report",
        file=sys.stderr,
        leave=False,
        total=total,
    )


# Writing a generation


@dataclass
class _Run:
    """One run: the previous generation, the parsers, the generation written, the summary."""

    previous: _Previous
    parsers: ParsePool
    generation: NewGeneration
    summary: IndexSummary


def _outcome(
    run: _Run, plan: _Plan, path: Path, sha: str, meta: str | None, job: Future[Entry] | None
) -> None:
    """Take a file's parsed record (or its unchanged entry) into the plan, or its failure."""
    key, named = str(path), job is not None and getattr(job, "named", False)
    try:
        if job is None:
            problem = _add(plan, key, run.previous.files[key])
            run.summary.unchanged += problem is None
        else:
            entry = job.result()
            report_id = entry.report_id
            problem = _add(plan, key, _entry(sha, meta, report_id))
            if problem is None:
                run.generation.put(entry)
                plan.put.add(report_id)
                run.summary.indexed += 1
    except NoReportHere as exc:
        problem = failure_reason(exc) if named else None
    except (OSError, IndexerError) as exc:
        problem = failure_reason(exc)
    if problem is not None:
        run.summary.failed.append((shown_path(path), problem))


def _plan(files: list[Path], roots: list[Path], run: _Run, bar: bool) -> _Plan:
    """Decide the next generation's files in order, parsing the new and changed ones in the
    workers (a few files ahead) while the records are written; files outside this run's
    roots are kept."""
    plan, previous = _Plan(), run.previous
    for key, entry in previous.files.items():
        if not under(key, roots):
            plan.files[key] = entry
            plan.paths[entry["id"]] = key
    named = set(roots)
    ahead: collections.deque[tuple[Path, str, str | None, Future[Entry] | None]]
    ahead = collections.deque()
    for path in _progress(files, bar, "parsing"):
        try:
            sha, meta = sha256(path), sidecar_sha256(path)
        except OSError as exc:
            run.summary.failed.append((shown_path(path), failure_reason(exc)))
            continue
        before = previous.files.get(str(path)) or {}
        job = None
        if not _same(before, sha, meta):
            job = run.parsers.submit(path)
            job.named = path in named  # type: ignore[attr-defined]
        ahead.append((path, sha, meta, job))
        while len(ahead) > 2 * run.parsers.width or (ahead and ahead[0][3] is None):
            _outcome(run, plan, *ahead.popleft())
    while ahead:
        _outcome(run, plan, *ahead.popleft())
    seen = {str(p) for p in files}
    run.summary.removed = sum(1 for key in previous.files if under(key, roots) and key not in seen)
    return plan


@dataclass(frozen=True)
class _Options:
    progress: bool
    budget: FileBudget
    engine: str
    workers: int


def _open_db(index_dir: Path, rebuild: bool) -> RecordDB:
    """The records database; a damaged one is started afresh on ``rebuild``, else reported."""
    try:
        return RecordDB(index_dir)
    except sqlite3.DatabaseError as exc:
        if not rebuild:
            raise IndexerError(
                f"the records in {index_dir} cannot be read ({exc}); run again with --rebuild"
            ) from exc
    for suffix in ("", "-wal", "-shm"):
        (index_dir / f"{DB_NAME}{suffix}").unlink(missing_ok=True)
    return RecordDB(index_dir)


def _default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def _update(
    index_dir: Path,
    db: RecordDB,
    previous: _Previous,
    committed: str | None,
    paths: list[Path],
    summary: IndexSummary,
    options: _Options,
) -> None:
    """Write the next generation (unless nothing changed) and switch to it."""
    files, roots = collect(paths, index_dir, summary.skipped, summary.failed)
    bar = options.progress and sys.stderr.isatty()
    reusable = previous.generation is not None and previous.reusable(options.engine)
    linked = index_dir / str(previous.generation) / STORE if reusable else None
    fresh = previous.generation is None  # nothing of older generations carries on
    generation = NewGeneration(index_dir, db, linked, fresh, options.engine)
    try:
        with ParsePool(options.budget, options.workers, options.engine) as parsers:
            plan = _plan(files, roots, _Run(previous, parsers, generation, summary), bar)
        gone = {entry["id"] for entry in previous.files.values()} - set(plan.paths)
        unchanged = not generation.started and not gone and previous.reusable(options.engine)
        if committed and unchanged:
            summary.generation = committed  # nothing to change: no new generation
            return
        for report_id in sorted(gone):
            generation.delete(report_id)
        manifest = {
            "format": FORMAT,
            "built_at": datetime.now(UTC).isoformat(),
            "reports": len(plan.paths),
            "code": code_fingerprint(),
            "engine": options.engine,
            "files": plan.files,
        }

        def progress(items: Iterable[Report], total: int) -> Iterator[Report]:
            return iter(_progress(items, bar, "writing", total))

        generation.finish(plan.put, manifest, progress)
    except BaseException:
        generation.abort()
        raise
    switch(index_dir, generation.dir.name)
    summary.generation = generation.dir.name
    remove_unused(index_dir, {generation.dir.name})
    kept = (_seq_of(index_dir, d.name) for d in index_dir.glob(f"{GEN_PREFIX}*"))
    db.collect(seq for seq in kept if seq > 0)


def run_index(
    paths: list[Path],
    index_dir: Path,
    rebuild: bool = False,
    progress: bool = True,
    budget: FileBudget | None = None,
    engine: str = "whoosh",
    workers: int | None = None,
) -> IndexSummary:
    """Index files and folders into ``index_dir``: incremental unless ``rebuild``.

    Each file is parsed in a worker process (``workers`` of them, one per core by default)
    within ``budget`` (time and memory per file; the defaults of `FileBudget` when None); a
    file past it is reported and the run goes on. ``engine`` names the full-text engine a
    new store is written with (``whoosh`` or ``tantivy``); a store of another engine is
    rebuilt from the records.
    """
    if engine not in ENGINES:
        raise IndexerError(f"unknown full-text engine {engine!r}: use {' or '.join(ENGINES)}")
    index_dir = Path(index_dir).resolve()
    index_dir.mkdir(parents=True, exist_ok=True)
    summary = IndexSummary()
    with writer_lock(index_dir):
        committed = read_pointer(index_dir)
        db = _open_db(index_dir, rebuild)
        try:
            db.forget_after(_seq_of(index_dir, committed))  # runs that never committed
            previous = _Previous() if rebuild else _load_previous(index_dir, committed)
            if previous.seq:  # a file whose record is lost is read again
                live = db.live_ids(previous.seq)
                previous.files = {k: e for k, e in previous.files.items() if e["id"] in live}
            _update(
                index_dir,
                db,
                previous,
                committed,
                paths,
                summary,
                _Options(progress, budget or FileBudget(), engine, workers or _default_workers()),
            )
        finally:
            db.close()
    return summary
