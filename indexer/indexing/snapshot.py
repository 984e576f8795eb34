"""Opening an index for reading: one committed generation, held steady while it is read.

An index directory holds generations (``gen-…/``) and a pointer file ``CURRENT`` naming the
committed one. A reader opens the generation named there and keeps a shared lock on its
``READERS`` file, so an index run never deletes a generation that someone still reads.
"""

from __future__ import annotations

import fcntl
import html
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from indexer.errors import IndexerError, IndexMissing
from indexer.indexing.analysis import Query, find_spans, parse_query
from indexer.indexing.records import RecordView, ReportRow, ReportText
from indexer.indexing.store import StoreHit
from indexer.indexing.stores import open_store
from indexer.models import SECTION_KEYS, Contact, Report

POINTER = "CURRENT"
READERS = "READERS"
MANIFEST = "manifest.json"
GENERATION = "generation.json"  # the manifest without its file list: what a reader needs
STORE = "store"
FORMAT = 2  # 1: records.jsonl in each generation; 2: records in the shared database

_SNIPPETS_PER_HIT = 3
_CONTEXT = 30  # characters shown before and after a match
_MAX_FRAGMENT = 160
_SPACES_RE = re.compile(r"\s+")


@dataclass(frozen=True)
class HitSnippet:
    """A piece of report text around a match; ``html`` is escaped text with ``<mark>``."""

    section: str | None  # a key of Report.sections; None for the title or agency
    text: str
    html: str


@dataclass(frozen=True)
class SearchHit:
    """One matching report."""

    report_id: str
    score: float
    snippets: list[HitSnippet]


@dataclass(frozen=True)
class SearchHits:
    """One page of keyword hits and the number of matching reports."""

    total: int
    hits: list[SearchHit]


def read_generation(gen_dir: Path) -> dict[str, Any]:
    """A generation's format, number, build time and engine (`GENERATION`, small; or the
    whole manifest, with its list of files, where an older run wrote no `GENERATION`)."""
    try:
        return json.loads((gen_dir / GENERATION).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return json.loads((gen_dir / MANIFEST).read_text(encoding="utf-8"))


def read_pointer(index_dir: Path) -> str | None:
    """The name of the committed generation in ``index_dir``, or None."""
    try:
        name = (index_dir / POINTER).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    return name or None


def _parts(report: Report | ReportText) -> list[tuple[str | None, str]]:
    """The searchable texts of a report, in reading order."""
    parts: list[tuple[str | None, str]] = [
        (None, text) for text in (report.title, report.agency) if text
    ]
    keys = [k for k in SECTION_KEYS if k in report.sections]
    keys += sorted(k for k in report.sections if k not in SECTION_KEYS)
    return parts + [(k, report.sections[k]) for k in keys]


def _render(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> tuple[str, str]:
    """(plain, html) of ``text[start:end]`` with ``spans`` marked; whitespace runs collapsed."""
    plain: list[str] = []
    marked: list[str] = []
    at = start
    for s, e in spans:
        for piece, tag in ((text[at:s], False), (text[s:e], True)):
            piece = _SPACES_RE.sub(" ", piece)
            plain.append(piece)
            marked.append(f"<mark>{html.escape(piece)}</mark>" if tag else html.escape(piece))
        at = e
    tail = _SPACES_RE.sub(" ", text[at:end])
    plain.append(tail)
    marked.append(html.escape(tail))
    before, after = ("…" if start > 0 else ""), ("…" if end < len(text) else "")
    return (
        (before + "".join(plain) + after).strip(),
        (before + "".join(marked) + after).strip(),
    )


def _fragments(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, str]]:
    """Windows of ``text`` around ``spans``: nearby matches share one window."""
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(spans) and len(out) < _SNIPPETS_PER_HIT:
        start = max(0, spans[i][0] - _CONTEXT)
        j = i + 1
        while j < len(spans) and spans[j][1] + _CONTEXT - start <= _MAX_FRAGMENT:
            j += 1
        end = min(len(text), max(spans[j - 1][1] + _CONTEXT, start + 2 * _CONTEXT))
        out.append(_render(text, start, end, spans[i:j]))
        i = j
    return out


def snippets(report: Report | ReportText, query: Query) -> list[HitSnippet]:
    """Up to a few highlighted snippets of ``report`` for ``query``, in reading order."""
    found: list[HitSnippet] = []
    for section, text in _parts(report):
        spans = find_spans(text, query)
        for plain, marked in _fragments(text, spans):
            found.append(HitSnippet(section, plain, marked))
        if len(found) >= _SNIPPETS_PER_HIT:
            break
    return found[:_SNIPPETS_PER_HIT]


class _Records(Mapping[str, Report]):
    """Records by id, each read from the database when asked for (none held in memory)."""

    def __init__(self, view: RecordView) -> None:
        self._view = view

    def __getitem__(self, report_id: str) -> Report:
        found = self._view.reports([report_id])
        if report_id not in found:
            raise KeyError(report_id)
        return found[report_id]

    def __iter__(self) -> Iterator[str]:
        return iter([row.id for row in self._view.rows()])

    def __len__(self) -> int:
        return self._view.count()


class IndexSnapshot:
    """A read-only view of one committed index generation.

    Nothing is read whole at opening: the rows (places, year, names) when `rows` is called,
    a figure's column when `figures` asks for it, full records only for the ids asked for.
    """

    def __init__(self, index_dir: Path, generation: str, lock: IO[bytes]) -> None:
        gen_dir = index_dir / generation
        manifest = read_generation(gen_dir)
        if manifest.get("format") != FORMAT:
            raise ValueError(f"index format {manifest.get('format')}, not {FORMAT}")
        self.built_at: datetime = datetime.fromisoformat(manifest["built_at"])
        self.generation = generation
        self.index_dir = index_dir
        self._lock = lock
        self._view = RecordView(index_dir, int(manifest["seq"]))
        try:
            self._store = open_store(gen_dir / STORE)
        except BaseException:
            self._view.close()
            raise
        self.records: Mapping[str, Report] = _Records(self._view)

    def rows(self) -> list[ReportRow]:
        """Every report of the generation as a row (no tables, no text)."""
        return self._view.rows()

    def figures(self, paths: Sequence[str]) -> dict[str, tuple[int | float | None, ...]]:
        """Report id -> its figures at the dotted record ``paths`` (`records.FIGURE_PATHS`)."""
        return self._view.figures(paths)

    def totals(self, groups: Sequence[Sequence[str]]) -> dict[str, tuple[float | None, ...]]:
        """Report id -> the sum of the figures of each group of ``paths`` (see `RecordView`)."""
        return self._view.totals(groups)

    def messages(self, ids: Iterable[str], path: str) -> dict[str, list[str]]:
        """The messages of the items at ``path`` of each record of ``ids`` (see `RecordView`)."""
        return self._view.messages(ids, path)

    def reports(self, ids: Iterable[str]) -> dict[str, Report]:
        """The full records of ``ids`` (unknown ids left out)."""
        return self._view.reports(ids)

    def contacts(self, ids: Iterable[str]) -> dict[str, Contact]:
        """The contact details of ``ids``."""
        return self._view.contacts(ids)

    def texts(self, ids: Iterable[str]) -> dict[str, ReportText]:
        """The title, agency and sections of ``ids``: what snippets are cut from."""
        return self._view.texts(ids)

    def find(self, query: Query, limit: int | None) -> tuple[int, list[StoreHit]]:
        """The number of reports holding every term of ``query`` as a phrase, and the best
        ``limit`` of them, best first."""
        return self._store.search(query, limit)

    def search(self, words: str, page: int = 1, size: int = 10) -> SearchHits:
        """Keyword search over report text (title, agency, sections) with highlighted snippets,
        best first. Raises ValueError with a plain message for a query with nothing searchable."""
        if page < 1 or size < 1:
            raise ValueError("page and size must be 1 or more")
        query = parse_query(words)
        total, found = self.find(query, page * size)
        window = found[(page - 1) * size : page * size]
        records = self.texts(h.report_id for h in window)
        hits = [
            SearchHit(h.report_id, h.score, snippets(records[h.report_id], query))
            for h in window
            if h.report_id in records
        ]
        return SearchHits(total, hits)

    def is_current(self) -> bool:
        """False once a newer generation has been committed."""
        name = read_pointer(self.index_dir)
        return name is None or name == self.generation

    def close(self) -> None:
        """Release the index files; the generation may be removed by a later index run."""
        self._store.close()
        self._view.close()
        self._lock.close()

    def __enter__(self) -> IndexSnapshot:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _hold_shared(path: Path) -> IO[bytes]:
    """Open ``path`` and hold a shared lock on it until the file is closed."""
    handle = path.open("rb")
    fcntl.flock(handle, fcntl.LOCK_SH)
    return handle


def open_index(index_dir: Path) -> IndexSnapshot:
    """Open the committed generation of ``index_dir``; `IndexMissing` when there is none."""
    index_dir = Path(index_dir)
    for _ in range(5):  # a generation can vanish between reading the pointer and locking it
        generation = read_pointer(index_dir)
        if generation is None:
            break
        try:
            lock = _hold_shared(index_dir / generation / READERS)
        except FileNotFoundError:
            continue
        try:
            return IndexSnapshot(index_dir, generation, lock)
        except FileNotFoundError:
            lock.close()  # removed by an index run before we held it: read the pointer again
        except (ValueError, KeyError) as exc:  # written by an incompatible version
            lock.close()
            raise IndexerError(
                f"the index in {index_dir} cannot be read ({type(exc).__name__}); "
                "run `gongkai index --rebuild PATH…`"
            ) from exc
        except BaseException:
            lock.close()
            raise
    raise IndexMissing(f"no index in {index_dir}: run `gongkai index PATH…` first")
