"""The generation an index run writes: records into the database, text into a store.

Begun at the first change, so a run that changes nothing writes nothing. Records go to the
records database in one transaction; text goes to a store hard-linked from the previous
generation's (or a new store when that one cannot be carried on). `finish` commits both and
makes the generation durable; the pointer switch that makes it current is the caller's.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from indexer.indexing.generations import GEN_PREFIX, fsync_tree
from indexer.indexing.records import RecordDB
from indexer.indexing.snapshot import GENERATION, MANIFEST, READERS, STORE
from indexer.indexing.store import StoreWriter, TextStore
from indexer.indexing.stores import create_store, link_store, open_store
from indexer.indexing.worker import Entry
from indexer.models import Report

Progress = Callable[[Iterable[Report], int], Iterator[Report]]


class NewGeneration:
    """One generation being written (see the module's docstring)."""

    def __init__(
        self, index_dir: Path, db: RecordDB, previous_store: Path | None, fresh: bool, engine: str
    ) -> None:
        """Write beside ``previous_store`` (linked; None: a new store of ``engine``); with
        ``fresh``, nothing of older generations' records carries on."""
        self.dir = index_dir / f"{GEN_PREFIX}{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{os.getpid()}"
        self._db, self._previous_store, self._engine = db, previous_store, engine
        self._fresh = fresh
        self._new_store = previous_store is None
        self._store: TextStore | None = None
        self._writer: StoreWriter | None = None
        self.seq = 0

    @property
    def started(self) -> bool:
        """Whether anything was written yet."""
        return self._writer is not None

    def start(self) -> None:
        """Make the directory, the store and the database transaction (once)."""
        if self._writer is not None:
            return
        self.dir.mkdir(parents=True)
        (self.dir / READERS).touch()
        target = self.dir / STORE
        if self._previous_store is not None:
            try:
                link_store(self._previous_store, target)
                self._store = open_store(target)
            except OSError:
                shutil.rmtree(target, ignore_errors=True)
                self._new_store = True
        if self._new_store:
            self._store = create_store(target, self._engine)
        assert self._store is not None
        self._writer = self._store.writer()
        self.seq = self._db.begin()
        if self._fresh:
            self._db.delete_all()

    def put(self, entry: Entry) -> None:
        """Add (or replace) a parsed report."""
        self.start()
        assert self._writer is not None
        self._db.put_row(entry.report_id, entry.row)
        self._writer.put_prepared(entry.document)

    def delete(self, report_id: str) -> None:
        """Remove a report."""
        self.start()
        assert self._writer is not None
        self._db.delete(report_id)
        self._writer.delete(report_id)

    def finish(self, put: set[str], manifest: dict[str, Any], progress: Progress) -> None:
        """Fill a new store with the records carried over (all but ``put``), commit, write
        ``manifest`` (with this generation's name and number), and make it all durable."""
        self.start()
        assert self._writer is not None and self._store is not None
        if self._new_store:
            carried = (r for r in self._db.reports(self.seq) if r.id not in put)
            for report in progress(carried, int(manifest["reports"]) - len(put)):
                self._writer.put(report)
        self._writer.commit()
        self._writer = None
        self._store.close()
        self._db.commit()
        manifest = {**manifest, "generation": self.dir.name, "seq": self.seq}
        # ASCII escapes carry a file name that is not UTF-8 (its bytes surrogate-escaped).
        (self.dir / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
        head = {key: value for key, value in manifest.items() if key != "files"}
        (self.dir / GENERATION).write_text(json.dumps(head), encoding="utf-8")
        fsync_tree(self.dir)

    def abort(self) -> None:
        """Drop whatever was written."""
        if self._writer is not None:
            with contextlib.suppress(Exception):
                self._writer.cancel()
        if self._store is not None:
            with contextlib.suppress(Exception):
                self._store.close()
        self._db.cancel()
        shutil.rmtree(self.dir, ignore_errors=True)
