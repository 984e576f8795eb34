"""The records of every generation in one SQLite database, read without loading them all.

One row per report and generation range: a row is born in the generation that wrote it and
dies in the one that replaced or removed it, so a generation is the rows with
``born <= seq < died`` and a new generation writes only what changed (the database's own
transaction, no copy). The columns questions filter, rank and count on are plain, indexed
columns (places, year, every figure of the tables); the full record is kept beside them,
compressed, and read only for the reports a page of results shows.

A run that dies after its transaction commits but before ``CURRENT`` names its generation
leaves rows of a generation nobody committed: `RecordDB.forget_after` removes them at the
start of the next run. Rows no kept generation can see are deleted after each run
(`RecordDB.collect`), and the free pages are given back.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from indexer.models import (
    APPLICANT_COLUMNS,
    APPLICATION_ROWS,
    OUTCOME_KEYS,
    Contact,
    DocumentCounts,
    Proactive,
    Report,
    value_at,
)

DB_NAME = "records.sqlite"
# 2: the texts snippets are cut from, apart from the record; 3: the figures before the
# compressed texts (a figure is read without walking a record's overflow pages), rows indexed
FORMAT = 3

# Every figure a question can ask about, as a dotted record path; a list path (``checks``)
# holds the number of its items.
_DOCUMENT_PATHS = tuple(
    f"proactive.{kind}.{key}"
    for kind in ("rules", "normative_documents")
    for key in DocumentCounts.model_fields
)
_PROACTIVE_PATHS = tuple(
    f"proactive.{key}"
    for key in Proactive.model_fields
    if key not in ("rules", "normative_documents")
)
FIGURE_PATHS: tuple[str, ...] = (
    *_DOCUMENT_PATHS,
    *_PROACTIVE_PATHS,
    *(f"applications.{row}.{col}" for row in APPLICATION_ROWS for col in APPLICANT_COLUMNS),
    *(
        f"{table}.{key}"
        for table in ("reviews", "lawsuits_direct", "lawsuits_after_review")
        for key in OUTCOME_KEYS
    ),
    "lawsuits_stated",
    "checks",
)
_FIGURE_COLUMN = {path: f"f{i}" for i, path in enumerate(FIGURE_PATHS)}
PLACE_FIELDS = ("province", "city", "county", "township")
_LIGHT = ("id", "year", "province", "city", "county", "township", "agency", "title", "published")


class ReportRow(NamedTuple):
    """What a question needs of a report to find, sort and name it: no tables, no text.

    A named tuple: tens of thousands are made each time an index is opened, and a tuple is
    made (and read back from a saved file) several times faster than a dataclass.
    """

    id: str
    year: int | None
    province: str | None
    city: str | None
    county: str | None
    township: str | None
    agency: str | None
    title: str | None
    published: str | None

    @classmethod
    def of(cls, report: Report) -> ReportRow:
        """The row of a full record."""
        return cls(
            report.id,
            report.year,
            report.province,
            report.city,
            report.county,
            report.township,
            report.agency,
            report.title,
            report.source.published,
        )


def figure(report: Report, path: str) -> int | float | None:
    """The figure at a dotted ``path`` of ``report`` (a list counts its items)."""
    value = value_at(report, path)
    if isinstance(value, list):
        return len(value)
    return value if isinstance(value, int | float) else None


def _schema() -> str:
    figures = ", ".join(_FIGURE_COLUMN.values())  # no type: ints stay ints, fees floats
    return f"""
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
    CREATE TABLE IF NOT EXISTS reports (
        row INTEGER PRIMARY KEY,
        id TEXT NOT NULL, born INTEGER NOT NULL, died INTEGER,
        year INTEGER, province TEXT, city TEXT, county TEXT, township TEXT,
        agency TEXT, title TEXT, published TEXT, {figures},
        contact TEXT, record BLOB NOT NULL, texts BLOB NOT NULL
    );
    CREATE INDEX IF NOT EXISTS reports_id ON reports (id, died);
    CREATE INDEX IF NOT EXISTS reports_died ON reports (died);
    -- Opening reads every row's names and places: from this index alone, not the rows.
    CREATE INDEX IF NOT EXISTS reports_rows
        ON reports (died, born, {", ".join(_LIGHT)});
    """


def _visible(seq: int) -> tuple[str, tuple[int, int]]:
    return "born <= ? AND (died IS NULL OR died > ?)", (seq, seq)


# The same test for rows looked up by id: written so that the planner looks each id up in
# `reports_id` (the OR above makes it scan every live row as well: 9 ms, not 0.06, at 40,000).
_VISIBLE_BY_ID = "born <= ? AND ifnull(died, 1 << 62) > ?"


def _pack(report: Report) -> bytes:
    return zlib.compress(report.model_dump_json().encode("utf-8"), 6)


def row_values(report: Report) -> tuple[Any, ...]:
    """A report's row as the database stores it, but for the generation number (picklable:
    a parse worker makes it, so the single writer only inserts)."""
    light = ReportRow.of(report)
    values: list[Any] = [getattr(light, field) for field in _LIGHT]
    values += [report.contact.model_dump_json(), _pack(report), _pack_texts(report)]
    values += [figure(report, path) for path in FIGURE_PATHS]
    return tuple(values)


def _pack_texts(report: Report) -> bytes:
    texts = [report.title, report.agency, report.sections]
    return zlib.compress(json.dumps(texts, ensure_ascii=False).encode("utf-8"), 6)


@dataclass(frozen=True, slots=True)
class ReportText:
    """What snippets are cut from: a report's title, agency and sections, nothing else."""

    id: str
    title: str | None
    agency: str | None
    sections: dict[str, str]


def _message(item: Any) -> str:
    """An item's message (a check's), or the item itself as text."""
    return str(item.get("message", item) if isinstance(item, dict) else item)


def _unpack(blob: bytes) -> Report:
    return Report.model_validate_json(zlib.decompress(blob))


class RecordDB:
    """The writer's side: one run adds a generation's changes in one transaction."""

    def __init__(self, index_dir: Path) -> None:
        """Open (creating when new) the database of ``index_dir``."""
        self.path = Path(index_dir) / DB_NAME
        self._db = self._connect()
        self._floor = 0
        self._insert = (
            f"INSERT INTO reports (id, born, {', '.join(_LIGHT[1:])}, contact, record, texts, "
            f"{', '.join(_FIGURE_COLUMN.values())}) VALUES "
            f"({', '.join('?' * (len(_LIGHT) + 4 + len(_FIGURE_COLUMN)))})"
        )
        self._seq: int | None = None

    def _connect(self) -> sqlite3.Connection:
        """The database, made afresh when an older gongkai wrote it in another format (its
        generations are read again whole: their rows are not there any more)."""
        db = sqlite3.connect(self.path, isolation_level=None)
        try:
            found = db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
        except sqlite3.OperationalError:  # no meta table: new (a file that is not a
            found = None  # database fails below, on the first write)
        if found is not None and found[0] != str(FORMAT):
            db.close()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            db = sqlite3.connect(self.path, isolation_level=None)
        self._db = db
        self._create()
        return db

    def _create(self) -> None:
        new = self._db.execute("PRAGMA page_count").fetchone()[0] == 0
        if new:
            self._db.execute("PRAGMA auto_vacuum = INCREMENTAL")
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = FULL")
        self._db.executescript(_schema())
        self._db.execute(
            "INSERT OR IGNORE INTO meta VALUES ('format', ?), ('last_seq', '0')", (str(FORMAT),)
        )

    def last_seq(self) -> int:
        """The highest generation number ever begun here."""
        row = self._db.execute("SELECT value FROM meta WHERE key = 'last_seq'").fetchone()
        return int(row[0])

    def forget_after(self, committed: int) -> None:
        """Undo the rows of generations after ``committed`` (runs that never committed)."""
        self._floor = committed
        with self._transaction():
            self._db.execute("DELETE FROM reports WHERE born > ?", (committed,))
            self._db.execute("UPDATE reports SET died = NULL WHERE died > ?", (committed,))

    def begin(self) -> int:
        """Start writing the next generation; its number."""
        seq = max(self.last_seq(), self._floor) + 1
        self._db.execute("BEGIN IMMEDIATE")
        self._db.execute("UPDATE meta SET value = ? WHERE key = 'last_seq'", (str(seq),))
        self._seq = seq
        return seq

    def put(self, report: Report) -> None:
        """Add ``report`` to the generation being written, replacing its live row."""
        self.put_row(report.id, row_values(report))

    def put_row(self, report_id: str, values: tuple[Any, ...]) -> None:
        """Add a row `row_values` made (in a parse worker), replacing the live row of its id."""
        seq = self._writing()
        self._db.execute(
            "UPDATE reports SET died = ? WHERE id = ? AND died IS NULL", (seq, report_id)
        )
        self._db.execute(self._insert, (values[0], seq, *values[1:]))

    def delete(self, report_id: str) -> None:
        """Remove the report from the generation being written."""
        seq = self._writing()
        self._db.execute(
            "UPDATE reports SET died = ? WHERE id = ? AND died IS NULL", (seq, report_id)
        )

    def delete_all(self) -> None:
        """Remove every report from the generation being written (a rebuild)."""
        self._db.execute("UPDATE reports SET died = ? WHERE died IS NULL", (self._writing(),))

    def commit(self) -> None:
        """Make the generation durable (not yet current: the pointer switch does that)."""
        self._writing()
        self._db.execute("COMMIT")
        self._seq = None

    def cancel(self) -> None:
        """Drop the generation being written."""
        if self._seq is not None:
            self._db.execute("ROLLBACK")
            self._seq = None

    def live_ids(self, seq: int) -> set[str]:
        """The ids of generation ``seq``."""
        where, args = _visible(seq)
        return {row[0] for row in self._db.execute(f"SELECT id FROM reports WHERE {where}", args)}

    def reports(self, seq: int) -> Iterator[Report]:
        """Every record of generation ``seq`` (one at a time)."""
        where, args = _visible(seq)
        for (blob,) in self._db.execute(f"SELECT record FROM reports WHERE {where}", args):
            yield _unpack(blob)

    def collect(self, kept: Iterable[int]) -> None:
        """Delete the rows no generation in ``kept`` sees; give back free pages when many."""
        oldest = min(kept, default=None)
        if oldest is None:
            return
        with self._transaction():
            self._db.execute("DELETE FROM reports WHERE died IS NOT NULL AND died <= ?", (oldest,))
        free = self._db.execute("PRAGMA freelist_count").fetchone()[0]
        pages = self._db.execute("PRAGMA page_count").fetchone()[0]
        if pages and free > pages // 5:
            self._db.execute("PRAGMA incremental_vacuum")
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        """Close the database (a generation being written is dropped)."""
        self.cancel()
        self._db.close()

    def _writing(self) -> int:
        if self._seq is None:
            raise RuntimeError("no generation is being written: call begin() first")
        return self._seq

    def _transaction(self) -> _Tx:
        return _Tx(self._db)


class _Tx:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        self._db.execute("COMMIT" if kind is None else "ROLLBACK")


def _total_sql(paths: Sequence[str]) -> str:
    """The SQL sum of the figure columns of ``paths``: NULL when all are null, as `sum_of`."""
    columns = [_FIGURE_COLUMN[path] for path in paths]
    if len(columns) < 2:
        return columns[0] if columns else "NULL"
    added = " + ".join(f"ifnull({c}, 0)" for c in columns)
    return f"CASE WHEN coalesce({', '.join(columns)}) IS NULL THEN NULL ELSE {added} END"


def sum_of(values: Iterable[int | float | None]) -> int | float | None:
    """The sum of the figures that are not null; None when all are (a blank is not a 0)."""
    known = [v for v in values if v is not None]
    return sum(known) if known else None


class RecordView:
    """The reader's side: one generation's rows, figures and full records, read on demand.

    Safe to use from several threads (one connection behind a lock).
    """

    def __init__(self, index_dir: Path, seq: int) -> None:
        """Open generation ``seq`` of the database in ``index_dir``; FileNotFoundError if none."""
        path = Path(index_dir) / DB_NAME
        if not path.exists():
            raise FileNotFoundError(f"no records database in {index_dir}")
        self._db = sqlite3.connect(
            f"file:{path}?mode=ro", uri=True, isolation_level=None, check_same_thread=False
        )
        self._lock = threading.Lock()
        self.seq = seq
        self._where, self._args = _visible(seq)
        try:
            found = self._db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise ValueError(f"the records database cannot be read: {exc}") from exc
        if found is None or found[0] != str(FORMAT):
            self._db.close()
            raise ValueError(f"records database format {found and found[0]}, not {FORMAT}")

    def _query(self, sql: str, args: Sequence[object] = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def rows(self) -> list[ReportRow]:
        """Every report of the generation, as rows."""
        found = self._query(
            f"SELECT {', '.join(_LIGHT)} FROM reports WHERE {self._where}", self._args
        )
        places: dict[str | None, str | None] = {}  # places repeat: keep one string of each
        one = places.setdefault
        return [
            ReportRow(i, y, one(p, p), one(c, c), one(n, n), t, a, title, published)
            for i, y, p, c, n, t, a, title, published in found
        ]

    def figures(self, paths: Sequence[str]) -> dict[str, tuple[float | None, ...]]:
        """Report id -> the figures at ``paths`` (None where the report gives none)."""
        columns = ", ".join(_FIGURE_COLUMN[path] for path in paths)
        found = self._query(f"SELECT id, {columns} FROM reports WHERE {self._where}", self._args)
        return {row[0]: row[1:] for row in found}

    def totals(self, groups: Sequence[Sequence[str]]) -> dict[str, tuple[float | None, ...]]:
        """Report id -> for each group of ``paths``, the sum of its figures (None when every
        one is null), summed by the database in one pass."""
        columns = ", ".join(map(_total_sql, groups)) if groups else "NULL"
        found = self._query(f"SELECT id, {columns} FROM reports WHERE {self._where}", self._args)
        return {row[0]: row[1 : 1 + len(groups)] for row in found}

    def messages(self, ids: Iterable[str], path: str) -> dict[str, list[str]]:
        """The messages of the items at the dotted ``path`` of each record of ``ids`` (each
        item's ``message``, e.g. of its failed checks), read without making the records."""
        found = {}
        for report_id, blob in self._by_ids("record", ids):
            value: Any = json.loads(zlib.decompress(blob))
            for key in path.split("."):
                value = value.get(key) if isinstance(value, dict) else None
            found[report_id] = [_message(item) for item in value or ()]
        return found

    def reports(self, ids: Iterable[str]) -> dict[str, Report]:
        """The full records of ``ids`` (unknown ids are left out)."""
        return {report_id: _unpack(blob) for report_id, blob in self._by_ids("record", ids)}

    def texts(self, ids: Iterable[str]) -> dict[str, ReportText]:
        """The title, agency and sections of ``ids`` (cheaper than their full records)."""
        found: dict[str, ReportText] = {}
        for report_id, blob in self._by_ids("texts", ids):
            title, agency, sections = json.loads(zlib.decompress(blob))
            found[report_id] = ReportText(report_id, title, agency, sections)
        return found

    def _by_ids(self, column: str, ids: Iterable[str]) -> Iterator[tuple[str, Any]]:
        """(id, ``column``) of the rows of ``ids`` in this generation."""
        wanted = list(dict.fromkeys(ids))
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            yield from self._query(
                f"SELECT id, {column} FROM reports WHERE id IN ({marks}) AND {_VISIBLE_BY_ID}",
                [*chunk, *self._args],
            )

    def contacts(self, ids: Iterable[str]) -> dict[str, Contact]:
        """The contact details of ``ids``."""
        return {
            report_id: Contact.model_validate(json.loads(text))
            for report_id, text in self._by_ids("contact", ids)
        }

    def count(self) -> int:
        """The number of reports in the generation."""
        return self._query(f"SELECT count(*) FROM reports WHERE {self._where}", self._args)[0][0]

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()
