"""An index directory on disk: generations, the ``CURRENT`` pointer, and the writers' lock.

Writing a generation is `build`'s job; this module makes it durable, commits it with
one atomic rename, removes generations nobody reads, and keeps index runs one at a time.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from indexer.errors import IndexLocked
from indexer.indexing.snapshot import POINTER, READERS

LOCK = "LOCK"
GEN_PREFIX = "gen-"
_LOCK_ATTEMPTS = 50


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
    """Hold the index directory's lock for one run; `IndexLocked` if another run has it.

    The lock file is written whole before it takes the name ``LOCK`` (a link, or a rename
    over a lock that no run holds any more), so a run that finds it held always reads the
    holder's pid, never a half-written file.
    """
    handle = _acquire(index_dir)
    try:
        yield handle
    finally:
        handle.close()


def _acquire(index_dir: Path) -> IO[str]:
    """Our lock file, flocked, under the name ``LOCK``; `IndexLocked` when a run holds it."""
    lock = index_dir / LOCK
    for _ in range(_LOCK_ATTEMPTS):  # each retry follows another run's move, never a wait
        mine, name = _new_lock_file(index_dir)
        try:
            os.link(name, lock)
        except FileExistsError:
            try:
                if _take_over(lock, name):
                    return mine
            except BaseException:
                mine.close()
                name.unlink(missing_ok=True)
                raise
            mine.close()
            name.unlink(missing_ok=True)
            continue
        name.unlink()
        return mine
    raise IndexLocked(f"another index run keeps taking the lock of {index_dir}; try again")


def _new_lock_file(index_dir: Path) -> tuple[IO[str], Path]:
    """A new file holding our pid, locked by us, and its temporary name."""
    fd, name = tempfile.mkstemp(prefix=f".{LOCK}-", dir=index_dir)
    handle = os.fdopen(fd, "w+", encoding="utf-8")
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return handle, Path(name)


def _take_over(lock: Path, mine: Path) -> bool:
    """Put ``mine`` in place of a lock no run holds (True); `IndexLocked` if one does.

    False when the lock changed under us (another run took it or let it go): try again.
    """
    try:
        other = lock.open("r", encoding="utf-8")
    except FileNotFoundError:
        return False
    with other:
        try:
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not _same_file(other, lock):
                return False
            holder = other.read().strip()
            who = f" (pid {holder})" if holder.isdigit() else ""
            raise IndexLocked(
                f"another index run{who} is updating {lock.parent}; wait for it to end"
            ) from None
        if not _same_file(other, lock):
            return False
        os.replace(mine, lock)  # the run that left it has ended: ours, whole, in one step
        return True


def _same_file(handle: IO[str], path: Path) -> bool:
    """Whether ``handle`` is still the file named ``path``."""
    try:
        return os.fstat(handle.fileno()).st_ino == os.stat(path).st_ino
    except FileNotFoundError:
        return False
