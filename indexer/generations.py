"""An index directory on disk: generations, the ``CURRENT`` pointer, and the writers' lock.

Writing a generation is `indexer.build`'s job; this module makes it durable, commits it with
one atomic rename, removes generations nobody reads, and keeps index runs one at a time.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from indexer.errors import IndexLocked
from indexer.snapshot import POINTER, READERS

LOCK = "LOCK"
GEN_PREFIX = "gen-"


def fsync_tree(root: Path) -> None:
    """Flush every file and folder under ``root`` to disk."""
    for folder, _dirs, names in os.walk(root):
        for name in names:
            with open(os.path.join(folder, name), "rb") as handle:
                os.fsync(handle.fileno())
        _fsync_dir(Path(folder))


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def switch(index_dir: Path, generation: str) -> None:
    """Point ``CURRENT`` at ``generation`` in one atomic, durable step."""
    tmp = index_dir / f"{POINTER}.tmp"
    with tmp.open("w", encoding="utf-8") as out:
        out.write(generation + "\n")
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, index_dir / POINTER)
    _fsync_dir(index_dir)


def remove_unused(index_dir: Path, keep: set[str]) -> None:
    """Delete generations outside ``keep`` that no reader holds (half-written ones included)."""
    for gen_dir in index_dir.glob(f"{GEN_PREFIX}*"):
        if gen_dir.name in keep or not gen_dir.is_dir():
            continue
        try:
            handle = (gen_dir / READERS).open("rb")
        except FileNotFoundError:
            shutil.rmtree(gen_dir, ignore_errors=True)
            continue
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a reader still has it open
            shutil.rmtree(gen_dir, ignore_errors=True)


@contextlib.contextmanager
def writer_lock(index_dir: Path) -> Iterator[IO[str]]:
    """Hold the index directory's lock for one run; `IndexLocked` if another run has it."""
    handle = (index_dir / LOCK).open("a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            raise IndexLocked(
                f"another index run (pid {holder}) is updating {index_dir}; wait for it to end"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield handle
    finally:
        handle.close()
