"""What questions start from, saved beside a generation so that opening it takes a moment.

Sorting a generation's rows into place order, numbering its townships, reading the figures
of every metric and collecting the name phrases take seconds at 40,000 reports; read back
from a file they take a tenth of one. The file, `STATE_FILE` in the generation's directory,
is written once per generation: by `gongkai index` right after a run, or else by the first
reader that finds none. A generation never changes, so the file is stale only when the code
that makes it changed: it starts with a hash of ``search/`` (code and rule data) and of the
Python version (`marshal`'s format is that version's), and a file with another hash is made
anew. Writing is best-effort (a read-only index is still read, just not faster).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import marshal
import os
import sys
import tempfile
from functools import cache, partial
from pathlib import Path

from indexer.errors import IndexerError
from indexer.indexing.records import ReportRow
from indexer.indexing.snapshot import IndexSnapshot, open_index
from search.answers import Corpus
from search.names import NameIndex

STATE_FILE = "search.state"
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
    """The corpus and names of ``snapshot`` from its saved file; None if none fits."""
    path = _path(snapshot)
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    mark = fingerprint()
    if not blob.startswith(mark):
        return None
    collecting = gc.isenabled()
    gc.disable()  # a few hundred thousand new objects, all kept: nothing for gc to find
    try:
        rows, keys, figures, names = marshal.loads(blob[len(mark) :])
        corpus = Corpus(snapshot, list(map(partial(tuple.__new__, ReportRow), rows)), keys, figures)
        return corpus, NameIndex.restored(names)
    except (ValueError, TypeError, EOFError) as exc:
        _LOG.warning("%s cannot be read (%s); it is made again", path, exc)
        return None
    finally:
        if collecting:
            gc.enable()


def save(snapshot: IndexSnapshot, corpus: Corpus, names: NameIndex) -> bool:
    """Write the file for ``snapshot`` (atomically); False if it could not be written."""
    path = _path(snapshot)
    data = marshal.dumps((*corpus.saved(), names.saved()))
    part: str | None = None
    try:
        handle, part = tempfile.mkstemp(dir=path.parent, prefix=".state-")
        os.fchmod(handle, 0o644)  # as readable as the generation's other files
        with os.fdopen(handle, "wb") as out:
            out.write(fingerprint() + data)
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
