"""The full-text engines: create, open and link a store of either, by name.

A store directory names its engine in a one-line file ``ENGINE`` (``whoosh`` or ``tantivy``);
a store without the file is Whoosh, as stores written before there was a choice are.

`link_store` makes a new generation's store from the previous one without copying data:
every file is hard-linked. Both engines only ever write new files and replace their small
pointer files by rename (Whoosh: new segment files and a new numbered TOC, deletions recorded
in the TOC; tantivy: new segment and ``.del`` files, ``meta.json`` and ``.managed.json``
written to a temporary file and renamed), so updating the linked copy never touches a file
the source still uses (`tests/test_engines.py` checks this for both engines).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

from indexer.indexing.store import TextStore
from indexer.models import Report

ENGINES = ("whoosh", "tantivy")
ENGINE_FILE = "ENGINE"
_DEFAULT = "whoosh"  # a store without an ENGINE file

# Writer lock files are never linked: a lock belongs to one directory's writer.
_LOCK_NAMES = frozenset({"MAIN_WRITELOCK", ".tantivy-writer.lock", ".tantivy-meta.lock"})


def _store_class(engine: str) -> type:
    if engine == "whoosh":
        from indexer.indexing.store_whoosh import WhooshStore

        return WhooshStore
    if engine == "tantivy":
        from indexer.indexing.store_tantivy import TantivyStore

        return TantivyStore
    raise ValueError(f"unknown full-text engine {engine!r}: choose one of {', '.join(ENGINES)}")


def preparer(engine: str) -> Callable[[Report], dict[str, str]]:
    """The engine's ``prepare``: what its writer's ``put_prepared`` takes for a report."""
    if engine == "whoosh":
        from indexer.indexing.store_whoosh import prepare
    elif engine == "tantivy":
        from indexer.indexing.store_tantivy import prepare
    else:
        raise ValueError(f"unknown full-text engine {engine!r}: choose one of {', '.join(ENGINES)}")
    return prepare


def create_store(path: Path, engine: str) -> TextStore:
    """A new, empty store of ``engine`` in ``path`` (created); ValueError for an unknown engine."""
    cls = _store_class(engine)
    store: TextStore = cls.create(path)
    (path / ENGINE_FILE).write_text(engine + "\n", encoding="utf-8")
    return store


def _named_engine(path: Path) -> str:
    """The engine ``path/ENGINE`` names (Whoosh when there is no such file)."""
    try:
        engine = (path / ENGINE_FILE).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return _DEFAULT
    if engine not in ENGINES:
        raise ValueError(
            f"the store in {path} names an unknown full-text engine {engine!r} "
            f"(known: {', '.join(ENGINES)})"
        )
    return engine


def store_engine(path: Path) -> str | None:
    """The engine of the store in ``path``; None when there is no store there."""
    engine = _named_engine(path)
    return engine if _store_class(engine).exists(path) else None


def open_store(path: Path) -> TextStore:
    """The store in ``path``, of the engine it names; `FileNotFoundError` when there is none."""
    engine = store_engine(path)
    if engine is None:
        raise FileNotFoundError(f"no full-text index in {path}")
    store: TextStore = _store_class(engine).open(path)
    return store


def _is_lock(name: str) -> bool:
    return name in _LOCK_NAMES or name.endswith("_LOCK")


def link_store(src: Path, dst: Path) -> None:
    """Make ``dst`` (created) a copy of the store directory ``src`` by hard-linking its files.

    Each regular file is linked (copied instead when linking fails, e.g. across filesystems);
    writer lock files are left out. The copy may then be opened and updated: neither engine
    writes into an existing file, so ``src`` is never changed by it.
    """
    if not src.is_dir():
        raise FileNotFoundError(f"no full-text index in {src}")
    dst.mkdir(parents=True, exist_ok=True)
    for entry in os.scandir(src):
        if _is_lock(entry.name):
            continue
        target = dst / entry.name
        if entry.is_dir(follow_symlinks=False):
            link_store(Path(entry.path), target)
        elif entry.is_file(follow_symlinks=False):
            try:
                os.link(entry.path, target)
            except OSError:
                shutil.copy2(entry.path, target)
