"""Where fetched files go: the reports for `gongkai index`, the rest out of its way.

```
DIR/<host>/<name>.html, .docx, .pdf …   the reports, each with <file>.meta (JSON)
DIR/.fetch/state.json                   what is done: address → file, validators
DIR/.fetch/lists/<host>/…               the column's pages (read again on a 304)
DIR/.fetch/pages/<host>/…               report pages that only link their report's file
DIR/.fetch/copies/<host>/…              files attached to a page that is itself the report
```

`gongkai index DIR` passes over hidden folders and takes files by suffix, so it reads the
reports and nothing else. Every file is written to a hidden ``.*.part`` beside its place and
renamed onto it: a killed run leaves no half-written file, and the next run removes the parts.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from indexer.parsing.read import SIDECAR_SUFFIX

__all__ = ["GENERATOR", "SIDECAR_SUFFIX", "Store", "file_name"]

GENERATOR = "gongkai fetch"  # the sidecar's mark, checked by the indexer
HIDDEN = ".fetch"
_STATE_VERSION = 1
_UNSAFE = re.compile(r"[^\w.\-\u4e00-\u9fff]+")
_MAX_NAME = 120


def file_name(url: str, suffix: str) -> str:
    """A file name for an address: its path flattened, a digest for its query, ``suffix``.

    ``/art/2024/1/26/art_1229_88.html`` → ``art_2024_1_26_art_1229_88.html``;
    ``/down.jsp?id=5`` → ``down_1b2f3c4d.pdf``.
    """
    parts = urlsplit(url)
    path = unquote(parts.path).strip("/")
    stem = path.rsplit(".", 1)[0] if "." in path.rsplit("/", 1)[-1] else path
    stem = _UNSAFE.sub("_", stem.replace("/", "_")).strip("._") or "index"
    if parts.query or len(stem) > _MAX_NAME:
        digest = hashlib.sha1(f"{parts.path}?{parts.query}".encode()).hexdigest()[:8]
        stem = f"{stem[:_MAX_NAME]}_{digest}"
    return stem + suffix


def _host_dir(url: str) -> str:
    netloc = urlsplit(url).netloc.lower()
    return _UNSAFE.sub("_", netloc.replace(":", "_")) or "host"


class Store:
    """The output folder: files written whole, their sidecars, and the state of the crawl."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.state_path = root / HIDDEN / "state.json"
        self.urls: dict[str, dict[str, Any]] = {}

    def open(self) -> None:
        """Create the folder, remove parts a killed run left, and read the state."""
        (self.root / HIDDEN).mkdir(parents=True, exist_ok=True)
        for part in self.root.rglob(".*.part"):
            part.unlink(missing_ok=True)
        try:
            state = json.loads(self.state_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError):
            return  # an unreadable state only costs a full download
        if isinstance(state, dict) and state.get("version") == _STATE_VERSION:
            self.urls = dict(state.get("urls", {}))

    def path_for(self, url: str, suffix: str, area: str | None = None) -> Path:
        """Where the file of ``url`` goes: among the reports, or in a hidden ``area``."""
        base = self.root / HIDDEN / area if area else self.root
        path = base / _host_dir(url) / file_name(url, suffix)
        owner = self._owners().get(path.relative_to(self.root).as_posix(), url)
        if owner != url:  # two addresses, one flattened name: the second gets a digest
            digest = hashlib.sha1(url.encode()).hexdigest()[:8]
            path = path.with_name(f"{path.stem}_{digest}{suffix}")
        return path

    def _owners(self) -> dict[str, str]:
        return {entry["path"]: url for url, entry in self.urls.items()}

    def known(self, url: str) -> dict[str, Any] | None:
        """What the state says of ``url`` when its file is still there."""
        entry = self.urls.get(url)
        if entry and (self.root / entry["path"]).is_file():
            return entry
        return None

    def read(self, entry: dict[str, Any]) -> bytes:
        """The saved bytes of a known address."""
        return (self.root / entry["path"]).read_bytes()

    def save(self, url: str, path: Path, body: bytes, meta: dict[str, Any] | None) -> None:
        """Write ``body`` (and its sidecar) whole; drop a file the address had elsewhere."""
        if meta is not None:
            sidecar = {"generator": GENERATOR, **meta}
            _write(_sidecar(path), json.dumps(sidecar, ensure_ascii=False, indent=2).encode())
        _write(path, body)
        old = self.urls.get(url, {}).get("path")
        if old and self.root / old != path:
            (self.root / old).unlink(missing_ok=True)
            _sidecar(self.root / old).unlink(missing_ok=True)

    def done(self, url: str, path: Path, **facts: Any) -> None:
        """Record that ``url`` is saved at ``path`` (with its validators), durably."""
        self.urls[url] = {"path": path.relative_to(self.root).as_posix(), **facts}
        state = {"version": _STATE_VERSION, "urls": self.urls}
        _write(self.state_path, json.dumps(state, ensure_ascii=False).encode())

    def has_sidecar(self, entry: dict[str, Any]) -> bool:
        """Whether a known file still has its sidecar."""
        return _sidecar(self.root / entry["path"]).is_file()


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR_SUFFIX)


def _write(path: Path, data: bytes) -> None:
    """Write a file whole: a hidden part beside it, flushed, renamed onto it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.name}.part")
    try:
        with part.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(part, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            part.unlink()
