"""The files of an index run: which are reports, whether one changed, and the code that
read them (records made by other code are made again)."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterator
from pathlib import Path

from indexer.parsing.read import SIDECAR_SUFFIX, readable_suffixes, shown_path

SUFFIXES = readable_suffixes()  # what the reader takes by name: one list, kept in its rules


def walk(root: Path, index_dir: Path) -> Iterator[Path]:
    """Report files under a folder, skipping hidden entries and the index itself."""
    for path in sorted(root.rglob("*")):
        hidden = any(part.startswith(".") for part in path.relative_to(root).parts)
        if path.suffix.lower() not in SUFFIXES or hidden:
            continue
        if path.is_file() and not path.is_relative_to(index_dir):
            yield path


def collect(
    paths: list[Path],
    index_dir: Path,
    skipped: list[tuple[str, str]],
    failed: list[tuple[str, str]],
) -> tuple[list[Path], list[Path]]:
    """(report files to index, the roots they were found under), noting bad named paths."""
    files: dict[Path, None] = {}
    roots: list[Path] = []
    for given in paths:
        path = Path(given).resolve()
        if path.is_dir():
            roots.append(path)
            files.update(dict.fromkeys(walk(path, index_dir)))
        elif path.is_file() and path.suffix.lower() in SUFFIXES:
            roots.append(path)
            files[path] = None
        elif path.exists():
            reason = f"not a report file ({' '.join(SUFFIXES)})"
            skipped.append((shown_path(given), reason))
        else:
            failed.append((shown_path(given), "no such file or folder"))
    return list(files), roots


def under(path: str, roots: list[Path]) -> bool:
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


def sidecar_sha256(path: Path) -> str | None:
    """The hash of the ``.meta`` sidecar `gongkai fetch` wrote beside ``path``, or None: a
    changed sidecar (the page's address, its date) makes the file's record be made again."""
    try:
        return sha256(path.with_name(path.name + SIDECAR_SUFFIX))
    except (FileNotFoundError, NotADirectoryError):
        return None


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
