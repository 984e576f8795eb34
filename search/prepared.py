"""What questions start from, saved beside a generation so that opening it takes a moment.

Sorting a generation's rows into place order, numbering its townships, reading the figures
of every metric and collecting the name phrases take seconds at 40,000 reports; read back
from a file they take a tenth of one. The pinyin of the names, the file's second part, is
read only when a question first needs it (or by the engine's warm-up thread).

The file, `STATE_FILE` in the generation's directory, is written once per generation: by
`gongkai index` right after a run, or else by the first reader that finds none. A
generation never changes, so the file is stale only when the code that makes it changed: it
starts with a hash of ``search/`` (code and rule data) and of the Python version
(`marshal`'s format is that version's), and a file with another hash is made anew. Writing
is best-effort (a read-only index is still read, just not faster). Like the records database
beside it, the file is trusted as the index run wrote it: `marshal` is not meant for data
someone else may have written.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import marshal
import os
import struct
import sys
import tempfile
from collections.abc import Iterator
from functools import cache, partial
from pathlib import Path

from indexer.errors import IndexerError
from indexer.indexing.records import ReportRow
from indexer.indexing.snapshot import IndexSnapshot, open_index
from search.answers import Corpus
from search.names import NameIndex

STATE_FILE = "search.state"
_SIZE = struct.Struct(">Q")  # the length of the first part (rows, figures, Chinese names)
_CODE_SUFFIXES = {".py", ".toml"}
_LOG = logging.getLogger(__name__)


@cache
def fingerprint() -> bytes:
    """A hash of the code and rules of ``search/`` and of this Python's marshal format."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(f"{sys.version_info[:2]} {marshal.version}".encode())
    for path in sorted(package.rglob("*")):
        if path.suffix in _CODE_SUFFIXES and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.digest()


def _path(snapshot: IndexSnapshot) -> Path:
    return Path(snapshot.index_dir) / snapshot.generation / STATE_FILE


def load(snapshot: IndexSnapshot) -> tuple[Corpus, NameIndex] | None:
    """The corpus and names of ``snapshot`` from its saved file; None if none fits. The
    pinyin phrases, the second part of the file, are read when first needed."""
    path = _path(snapshot)
    mark = fingerprint()
    try:
        with path.open("rb") as saved:
            head = saved.read(len(mark) + _SIZE.size)
            if not head.startswith(mark):
                return None
            (size,) = _SIZE.unpack_from(head, len(mark))
            if size > os.fstat(saved.fileno()).st_size - len(head):
                raise ValueError(f"its first part is said to be {size} bytes long")
            main = saved.read(size)
    except (OSError, struct.error, ValueError) as exc:
        if not isinstance(exc, OSError):
            _LOG.warning("%s cannot be read (%s); it is made again", path, exc)
        return None
    try:
        with _kept_for_good():
            rows, keys, figures, names = marshal.loads(main)
            rows = list(map(partial(tuple.__new__, ReportRow), rows))
            corpus = Corpus(snapshot, rows, keys, figures)
            return corpus, NameIndex.restored(names, partial(_pinyin, path, len(head) + size))
    except (ValueError, TypeError, EOFError) as exc:
        _LOG.warning("%s cannot be read (%s); it is made again", path, exc)
        return None


@contextlib.contextmanager
def _kept_for_good() -> Iterator[None]:
    """No garbage collection while what is made lives as long as its generation: hundreds
    of thousands of objects, none of them garbage (collecting doubled the time to make them)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _pinyin(path: Path, offset: int) -> tuple[dict, dict, dict, dict] | None:
    """The pinyin phrases saved at ``offset`` of ``path``; None if they cannot be read."""
    mark = fingerprint()
    try:
        with path.open("rb") as saved:
            if saved.read(len(mark)) != mark:
                return None
            saved.seek(offset)
            return marshal.loads(saved.read())  # type: ignore[no-any-return]
    except (OSError, ValueError, TypeError, EOFError) as exc:
        _LOG.warning("pinyin names of %s cannot be read (%s); they are made again", path, exc)
        return None


def save(snapshot: IndexSnapshot, corpus: Corpus, names: NameIndex) -> bool:
    """Write the file for ``snapshot`` (atomically); False if it could not be written."""
    path = _path(snapshot)
    main = marshal.dumps((*corpus.saved(), names.saved()))
    pinyin = marshal.dumps(names.saved_pinyin())
    part: str | None = None
    try:
        handle, part = tempfile.mkstemp(dir=path.parent, prefix=".state-")
        os.fchmod(handle, 0o644)  # as readable as the generation's other files
        with os.fdopen(handle, "wb") as out:
            out.write(fingerprint() + _SIZE.pack(len(main)) + main + pinyin)
        os.replace(part, path)
    except OSError as exc:
        _LOG.info("%s not written: %s", path, exc)
        if part is not None:
            with contextlib.suppress(OSError):
                os.unlink(part)
        return False
    return True


def open_state(snapshot: IndexSnapshot) -> tuple[Corpus, NameIndex]:
    """The corpus and names of ``snapshot``: read from its file, or made (and saved)."""
    found = load(snapshot)
    if found is not None:
        return found
    with _kept_for_good():
        corpus = Corpus(snapshot)
        names = NameIndex(corpus.records)
        save(snapshot, corpus, names)
    return corpus, names


def prepare(snapshot: IndexSnapshot) -> bool:
    """Make and save the file for ``snapshot`` unless a fitting one is there; True if made."""
    mark = fingerprint()
    try:
        with _path(snapshot).open("rb") as saved:
            if saved.read(len(mark)) == mark:
                return False
    except OSError:
        pass
    with _kept_for_good():
        corpus = Corpus(snapshot)
        return save(snapshot, corpus, NameIndex(corpus.records))


def prepare_index(index_dir: Path) -> bool:
    """`prepare` the committed generation of ``index_dir`` (after an index run wrote one)."""
    try:
        snapshot = open_index(Path(index_dir))
    except IndexerError as exc:
        _LOG.info("nothing to prepare in %s: %s", index_dir, exc)
        return False
    with snapshot:
        return prepare(snapshot)
