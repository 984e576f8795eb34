"""Build and update an index directory from report files.

Each run writes a new generation directory next to the old one (records, manifest, full-text
store), makes it durable, and only then switches the ``CURRENT`` pointer to it with one
``os.replace``. A run that fails or is killed leaves the previous generation in use. A lock
file stops two runs at once; generations that no reader holds are removed (the previous one
is always kept).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from tqdm import tqdm

from indexer.errors import IndexerError, NoReportHere
from indexer.indexing.generations import GEN_PREFIX, fsync_tree, remove_unused, switch, writer_lock
from indexer.indexing.snapshot import MANIFEST, READERS, RECORDS, STORE, read_pointer
from indexer.indexing.store import WhooshStore
from indexer.indexing.worker import FileBudget, ParseWorker, failure_reason
from indexer.models import Report
from indexer.parsing.read import readable_suffixes, shown_path

SUFFIXES = readable_suffixes()  # what the reader takes by name: one list, kept in its rules
_T = TypeVar("_T")
_ID_RE = re.compile(r'\{"id":("(?:[^"\\]|\\.)*")')

# A parsed record, or the JSON line of a record carried over from the previous generation
# unread (validating thousands of records would cost most of an incremental run).
Record = Report | str


def _as_report(record: Record) -> Report:
    return record if isinstance(record, Report) else Report.model_validate_json(record)


def _line_id(line: str) -> str:
    """The id of a record's JSON line (written by pydantic, so ``id`` comes first)."""
    match = _ID_RE.match(line)
    return json.loads(match.group(1)) if match else json.loads(line)["id"]


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
    records: dict[str, Record] = field(default_factory=dict)
    code: str | None = None  # the code_fingerprint() that wrote the generation
    store_ok: bool = True  # False when its full-text store's files are gone or broken

    def reusable(self) -> bool:
        """Whether this code wrote it and its store can be carried on (copied, updated)."""
        return self.code == code_fingerprint() and self.store_ok


@dataclass
class _Plan:
    """The next generation: its records and files, and what changed since the previous one."""

    records: dict[str, Record] = field(default_factory=dict)
    files: dict[str, dict[str, str]] = field(default_factory=dict)
    changed: list[str] = field(default_factory=list)  # report ids to (re)write
    paths: dict[str, str] = field(default_factory=dict)  # report id -> path


# Walking


def _walk(root: Path, index_dir: Path) -> Iterator[Path]:
    """Report files under a folder, skipping hidden entries and the index itself."""
    for path in sorted(root.rglob("*")):
        hidden = any(part.startswith(".") for part in path.relative_to(root).parts)
        if path.suffix.lower() not in SUFFIXES or hidden:
            continue
        if path.is_file() and not path.is_relative_to(index_dir):
            yield path


def _collect(
    paths: list[Path], index_dir: Path, summary: IndexSummary
) -> tuple[list[Path], list[Path]]:
    """(report files to index, the roots they were found under), noting bad named paths."""
    files: dict[Path, None] = {}
    roots: list[Path] = []
    for given in paths:
        path = Path(given).resolve()
        if path.is_dir():
            roots.append(path)
            files.update(dict.fromkeys(_walk(path, index_dir)))
        elif path.is_file() and path.suffix.lower() in SUFFIXES:
            roots.append(path)
            files[path] = None
        elif path.exists():
            reason = f"not a report file ({' '.join(SUFFIXES)})"
            summary.skipped.append((shown_path(given), reason))
        else:
            summary.failed.append((shown_path(given), "no such file or folder"))
    return list(files), roots


def _under(path: str, roots: list[Path]) -> bool:
    return any(Path(path).is_relative_to(root) for root in roots)


# Previous generation


_CODE_SUFFIXES = (".py", ".toml", ".json", ".tsv", ".gz")


@functools.cache
def code_fingerprint() -> str:
    """A hash of the indexer's code and rule data: records made by other code are remade."""
    package = Path(__file__).resolve().parent.parent  # all of indexer/: parsing, rules, data
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.suffix in _CODE_SUFFIXES and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _store_usable(gen_dir: Path) -> bool:
    """Whether a generation's full-text store opens (its files were not deleted)."""
    try:
        WhooshStore.open(gen_dir / STORE).close()
    except Exception:  # whatever Whoosh raises for missing or broken files: it is rebuilt
        return False
    return True


def _load_previous(index_dir: Path) -> _Previous:
    """The committed generation's files and records, or an empty start."""
    name = read_pointer(index_dir)
    if name is None:
        return _Previous()
    gen_dir = index_dir / name
    manifest: dict[str, Any] = {}
    try:
        manifest = json.loads((gen_dir / MANIFEST).read_text(encoding="utf-8"))
        with (gen_dir / RECORDS).open(encoding="utf-8") as handle:
            lines = [line.rstrip("\n") for line in handle if line.strip()]
        code = manifest.get("code")
        if code == code_fingerprint():
            records: dict[str, Record] = {_line_id(line): line for line in lines}
        else:  # another version wrote them: they must still be valid records
            records = {r.id: r for r in map(Report.model_validate_json, lines)}
        return _Previous(name, manifest["files"], records, code, _store_usable(gen_dir))
    except (OSError, ValueError, KeyError) as exc:
        if manifest.get("code") not in (None, code_fingerprint()):
            return _Previous()  # records of another version of the indexer: start over
        raise IndexerError(
            f"the index in {index_dir} cannot be read ({type(exc).__name__}: {exc}); "
            "run again with --rebuild"
        ) from exc


# Parsing


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _add(plan: _Plan, key: str, entry: dict[str, str], record: Record) -> str | None:
    """Put a file's record into the plan; the reason it cannot go in, if any."""
    other = plan.paths.get(entry["id"])
    if other is not None:
        return f"same report id ({entry['id']}) as {shown_path(other)}"
    plan.records[entry["id"]] = record
    plan.files[key] = entry
    plan.paths[entry["id"]] = key
    return None


def _same(before: dict[str, str], sha: str) -> bool:
    """Whether a file indexed before is unchanged and was parsed by this code."""
    return before.get("sha256") == sha and before.get("code") == code_fingerprint()


def _index_file(path: Path, run: _Run, plan: _Plan, summary: IndexSummary, named: bool) -> None:
    """Reuse the previous record of an unchanged file, or parse it; record any failure.

    A script found in a folder that holds no report (a saved page's ``jquery.js``) is passed
    over, as a picture would be; named on its own, it is reported.
    """
    key, previous = str(path), run.previous
    try:
        sha = _sha256(path)
        before = previous.files.get(key) or {}
        if _same(before, sha) and before["id"] in previous.records:
            problem = _add(plan, key, before, previous.records[before["id"]])
            summary.unchanged += problem is None
        else:
            report = run.worker.parse(path)
            entry = {"sha256": sha, "id": report.id, "code": code_fingerprint()}
            problem = _add(plan, key, entry, report)
            if problem is None:
                plan.changed.append(report.id)
                summary.indexed += 1
    except NoReportHere as exc:
        problem = failure_reason(exc) if named else None
    except (OSError, IndexerError) as exc:
        problem = failure_reason(exc)
    if problem is not None:
        summary.failed.append((shown_path(path), problem))


def _progress(items: list[_T], bar: bool, what: str) -> Iterable[_T]:
    """``items``, with a progress bar on stderr when ``bar``."""
    return tqdm(items, disable=not bar, desc=what, unit="report", file=sys.stderr, leave=False)


@dataclass
class _Run:
    """What parsing a run's files needs: the previous generation and the worker."""

    previous: _Previous
    worker: ParseWorker


def _plan(
    files: list[Path], roots: list[Path], run: _Run, summary: IndexSummary, bar: bool
) -> _Plan:
    """Decide the next generation's records; files outside this run's roots are kept."""
    plan, previous = _Plan(), run.previous
    for key, entry in previous.files.items():
        if not _under(key, roots) and entry["id"] in previous.records:
            plan.records[entry["id"]] = previous.records[entry["id"]]
            plan.files[key] = entry
            plan.paths[entry["id"]] = key
    named = set(roots)
    for path in _progress(files, bar, "parsing"):
        _index_file(path, run, plan, summary, path in named)
    seen = {str(p) for p in files}
    summary.removed = sum(1 for key in previous.files if _under(key, roots) and key not in seen)
    return plan


# Writing a generation


def _write_store(gen_dir: Path, plan: _Plan, previous: _Previous, bar: bool) -> None:
    """Write the full-text store: the previous one updated, or a new one from all records."""
    target = gen_dir / STORE
    if previous.generation is not None and previous.reusable():
        try:
            shutil.copytree(gen_dir.parent / previous.generation / STORE, target)
            store = WhooshStore.open(target)
        except OSError:
            shutil.rmtree(target, ignore_errors=True)
        else:
            dropped = set(previous.records) - set(plan.records)
            _update_store(store, dropped, plan.changed, plan.records, bar)
            return
    _update_store(WhooshStore.create(target), set(), list(plan.records), plan.records, bar)


def _update_store(
    store: WhooshStore, delete: set[str], put: list[str], records: dict[str, Record], bar: bool
) -> None:
    try:
        with store.writer() as writer:
            for report_id in sorted(delete):
                writer.delete(report_id)
            for report_id in _progress(put, bar, "writing"):
                writer.put(_as_report(records[report_id]))
    finally:
        store.close()


def _write_generation(gen_dir: Path, plan: _Plan, previous: _Previous, bar: bool) -> None:
    """Records, manifest and store of a new generation, flushed to disk."""
    gen_dir.mkdir(parents=True)
    (gen_dir / READERS).touch()
    with (gen_dir / RECORDS).open("w", encoding="utf-8") as out:
        for record in plan.records.values():
            out.write((record if isinstance(record, str) else record.model_dump_json()) + "\n")
    _write_store(gen_dir, plan, previous, bar)
    manifest = {
        "format": 1,
        "generation": gen_dir.name,
        "built_at": datetime.now(UTC).isoformat(),
        "reports": len(plan.records),
        "code": code_fingerprint(),
        "files": plan.files,
    }
    # ASCII escapes carry a file name that is not UTF-8 (its bytes surrogate-escaped) losslessly.
    (gen_dir / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    fsync_tree(gen_dir)


def run_index(
    paths: list[Path],
    index_dir: Path,
    rebuild: bool = False,
    progress: bool = True,
    budget: FileBudget | None = None,
    engine: str = "whoosh",
) -> IndexSummary:
    """Index files and folders into ``index_dir``: incremental unless ``rebuild``.

    ``engine`` names the full-text engine a new store is written with (``whoosh`` or
    ``tantivy``); a store of another engine is rebuilt from the records.

    Each file is parsed in a worker process within ``budget`` (time and memory per file;
    the defaults of `FileBudget` when None); a file past it is reported and the run goes on.
    """
    index_dir = Path(index_dir).resolve()
    index_dir.mkdir(parents=True, exist_ok=True)
    summary = IndexSummary()
    with writer_lock(index_dir):
        committed = read_pointer(index_dir)
        previous = _Previous() if rebuild else _load_previous(index_dir)
        files, roots = _collect(paths, index_dir, summary)
        bar = progress and sys.stderr.isatty()
        with ParseWorker(budget or FileBudget()) as worker:
            plan = _plan(files, roots, _Run(previous, worker), summary, bar)
        same = previous.records.keys() == plan.records.keys() and not plan.changed
        same = same and previous.reusable()
        if committed and not rebuild and same:
            summary.generation = committed  # nothing to change: no new generation
            return summary
        gen_dir = index_dir / f"{GEN_PREFIX}{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{os.getpid()}"
        try:
            _write_generation(gen_dir, plan, previous, bar)
        except BaseException:
            shutil.rmtree(gen_dir, ignore_errors=True)
            raise
        switch(index_dir, gen_dir.name)
        summary.generation = gen_dir.name
        remove_unused(index_dir, {gen_dir.name, committed or gen_dir.name})
    return summary
