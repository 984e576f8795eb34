"""Read report files: bytes → decoded text and table grids → `Document`.

Decoding detects the encoding (byte-order mark, strict UTF-8, then charset-normalizer with a
preference for GB18030) rather than guessing. Each format has its reader: HTML pages
(`indexer.parsing.read_html`: the article without the site's chrome, tables as grids), Markdown
(`read_markdown`: pipe and HTML tables as grids), Word (`read_docx`) and PDF
(`indexer.parsing.read_pdf`). The rules (suffixes, signatures, chrome, PDF layout) are in
``rules/read.toml``; how it all works is in ``docs/reading.md``.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from charset_normalizer import from_bytes

from indexer.errors import ExtractError, NoReportHere, TooLarge
from indexer.parsing.document import Document, Grid
from indexer.parsing.read_docx import docx_to_text, looks_like_docx
from indexer.parsing.read_html import html_to_text, report_score
from indexer.parsing.read_markdown import markdown_to_text
from indexer.parsing.read_pdf import looks_like_pdf, pdf_to_text
from indexer.parsing.read_script import page_script_html, script_html
from indexer.rules import load_rules

__all__ = [
    "SIDECAR_SUFFIX",
    "decode_bytes",
    "decode_counting",
    "html_to_text",
    "read_bytes",
    "read_document",
    "readable_suffixes",
    "shown_path",
    "sniff_format",
]

# Beside each file it saves, `gongkai fetch` writes ``<file>.meta`` (JSON): the page's address
# and its publication date as the site's list showed them. A suffix the reader does not take,
# so that `gongkai index` never reads a sidecar as a report.
SIDECAR_SUFFIX = ".meta"
_DECLARED_CHARSET = re.compile(
    rb"""<(?:meta[^>]*?charset|\?xml[^>]*?encoding)\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)
# Control characters (Unicode category Cc) other than tab, newlines, vertical tab and form feed.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class _Rules:
    formats: dict[str, str]
    unsupported: dict[str, str]
    preferred: tuple[str, ...]
    tolerance: float
    needs_bom: frozenset[str]
    max_control_share: float
    max_replaced_share: float
    superset: dict[str, str]
    boms: tuple[tuple[bytes, str], ...]
    magic: tuple[tuple[bytes, str], ...]
    sniff_html: re.Pattern[str]
    sniff_md: re.Pattern[str]
    script_share: float


@cache
def _rules() -> _Rules:
    """Load and check ``rules/read.toml`` once."""
    raw = load_rules("read")
    enc = raw["encodings"]
    return _Rules(
        formats=dict(raw["formats"]),
        unsupported=dict(raw["unsupported"]),
        preferred=tuple(_codec_name(name) for name in enc["preferred"]),
        tolerance=float(enc["tolerance"]),
        needs_bom=frozenset(_codec_name(name) for name in enc["needs_bom"]),
        max_control_share=float(enc["max_control_share"]),
        max_replaced_share=float(enc["max_replaced_share"]),
        superset={_codec_name(k): _codec_name(v) for k, v in enc["superset"].items()},
        boms=tuple((bytes.fromhex(b["bytes"]), b["codec"]) for b in raw["bom"]),
        magic=tuple((bytes.fromhex(k), v) for k, v in raw["magic"].items()),
        sniff_html=re.compile(raw["sniff"]["html"], re.IGNORECASE | re.DOTALL),
        sniff_md=re.compile(raw["sniff"]["md"]),
        script_share=float(raw["script"]["min_share"]),
    )


def _codec_name(name: str) -> str:
    """Python's canonical name of a codec (``GBK`` → ``gbk``, ``utf_8`` → ``utf-8``)."""
    return codecs.lookup(name).name


# --- decoding -------------------------------------------------------------------------------


def decode_bytes(data: bytes, path: str, declared: str | None = None) -> tuple[str, str]:
    """Decode report bytes; return (text, encoding), or raise `ExtractError` for non-text.

    A byte-order mark decides; otherwise valid UTF-8 is UTF-8, and anything else is detected
    by charset-normalizer (GB2312/GBK decoded as GB18030). ``declared`` (an HTML meta charset)
    wins among equally plausible detections but never over the bytes themselves. When no
    encoding fits every byte but one fits all but a tiny share (``max_replaced_share``), the
    stray bytes become U+FFFD (`decode_counting` says how many). Line ends become ``\\n``.
    """
    text, encoding, _replaced = decode_counting(data, path, declared)
    return text, encoding


def decode_counting(data: bytes, path: str, declared: str | None = None) -> tuple[str, str, int]:
    """As `decode_bytes`, with the number of bytes that were replaced by U+FFFD."""
    if not data:
        raise ExtractError(path, "empty file")
    rules = _rules()
    for prefix, kind in rules.magic:
        if data.startswith(prefix):
            raise ExtractError(path, f"binary data, not text (looks like {kind})")
    text, encoding, replaced = _decode(data, path, declared)
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if len(_CONTROL.findall(text)) > rules.max_control_share * len(text):
        raise ExtractError(path, "binary data, not text (control characters)")
    if not text.strip():
        raise ExtractError(path, "empty file (only whitespace)")
    return text, encoding, replaced


def _decode(data: bytes, path: str, declared: str | None) -> tuple[str, str, int]:
    """Pick the codec: BOM, then strict UTF-8, then detection, then the nearest fit."""
    for bom, codec in _rules().boms:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec, 0
            except UnicodeDecodeError:
                found = _nearest_fit(data, [codec])
                if found is None:
                    reason = f"invalid {codec} text after its byte-order mark"
                    raise ExtractError(path, reason) from None
                return found
    if b"\x00" in data:
        raise ExtractError(path, "binary data, not text (contains NUL bytes)")
    try:
        return data.decode("utf-8"), "utf-8", 0
    except UnicodeDecodeError:
        pass
    candidates = _candidates(data, declared)
    for codec in candidates:
        try:
            return data.decode(codec), codec, 0
        except (UnicodeDecodeError, LookupError):
            continue
    found = _nearest_fit(data, ["utf-8", *candidates, *_rules().preferred])
    if found is None:
        raise ExtractError(path, "binary data, not text (no text encoding fits the bytes)")
    return found


# A byte that did not decode, kept by the "surrogateescape" error handler.
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


def _nearest_fit(data: bytes, codecs_: list[str]) -> tuple[str, str, int] | None:
    """The first codec that decodes all but ``max_replaced_share`` of the bytes, the rest
    as U+FFFD: (text, codec, bytes replaced); None when none comes that close.

    UTF-8 goes first: it rarely fits bytes by accident, while GB18030 fits most byte pairs.
    """
    limit = _rules().max_replaced_share * len(data)
    for codec in dict.fromkeys(codecs_):
        try:
            text = data.decode(codec, "surrogateescape")
        except LookupError:
            continue
        replaced = len(_ESCAPED_BYTE.findall(text))
        if replaced <= limit:
            return _ESCAPED_BYTE.sub("\ufffd", text), codec, replaced
    return None


def _candidates(data: bytes, declared: str | None) -> list[str]:
    """Plausible codecs for non-UTF-8 bytes, most likely first."""
    rules = _rules()
    found: dict[str, float] = {}
    for match in from_bytes(data):
        codec = _superset(match.encoding)
        if codec and codec not in rules.needs_bom:
            found[codec] = min(match.chaos, found.get(codec, 1.0))
    if not found:
        return []
    best = min(found.values())
    wanted = _superset(declared) if declared else None

    def rank(codec: str) -> tuple[bool, bool, int, float]:
        order = rules.preferred.index(codec) if codec in rules.preferred else len(rules.preferred)
        return (found[codec] > best + rules.tolerance, codec != wanted, order, found[codec])

    return sorted(found, key=rank)


def _superset(name: str | None) -> str | None:
    """The codec to decode a detected or declared encoding with (None if unknown)."""
    try:
        codec = _codec_name(name or "")
    except LookupError:
        return None
    return _rules().superset.get(codec, codec)


def _sniff_binary(data: bytes) -> str | None:
    """``docx`` or ``pdf`` for a file whose suffix says nothing but whose bytes do."""
    if looks_like_docx(data):
        return "docx"
    return "pdf" if looks_like_pdf(data) else None


# --- formats --------------------------------------------------------------------------------


def sniff_format(text: str) -> str:
    """Guess ``html``, ``md`` or ``txt`` from the start of a decoded file."""
    rules = _rules()
    head = text[:4096]
    if rules.sniff_html.match(head):
        return "html"
    if rules.sniff_md.search(head):
        return "md"
    return "txt"


def readable_suffixes() -> tuple[str, ...]:
    """File suffixes the reader takes by name (``.txt``, ``.html``, ``.docx`` …), lower case."""
    return tuple(sorted(_rules().formats))


def shown_path(path: str | os.PathLike[str]) -> str:
    """A file name as text that can always be printed and stored.

    Bytes of the name that are not UTF-8 (a GBK name from a zip made on Chinese Windows,
    unpacked on Linux) are shown as ``\\xNN``: nothing is lost and nothing fails to encode.
    """
    return os.fsencode(path).decode("utf-8", "backslashreplace")


# What a path is when it is not a regular file, for the reason given.
_NOT_REGULAR = (
    (stat.S_ISDIR, "is a directory, not a file"),
    (stat.S_ISFIFO, "is a named pipe (FIFO), not a regular file"),
    (stat.S_ISCHR, "is a character device, not a regular file"),
    (stat.S_ISBLK, "is a block device, not a regular file"),
    (stat.S_ISSOCK, "is a socket, not a regular file"),
)


def _not_regular(mode: int) -> str | None:
    """Why a file of this mode is not read, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((why for test, why in _NOT_REGULAR if test(mode)), "is not a regular file")


def read_document(path: Path) -> Document:
    """Read one report file (.txt, .md, .html, .docx, .pdf; others sniffed) into a `Document`.

    Only regular files are read: a named pipe, device or socket is refused at once (opened
    without blocking, then checked), never waited on.
    """
    name = shown_path(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise ExtractError(name, "file not found") from None
    except OSError as exc:
        why = _not_regular(os.stat(path).st_mode) if exc.errno == errno.ENXIO else None
        raise ExtractError(name, why or f"cannot read file: {exc.strerror or exc}") from None
    why = _not_regular(os.fstat(fd).st_mode)
    if why is not None:
        os.close(fd)
        raise ExtractError(name, why)
    with open(fd, "rb", closefd=True) as handle:
        try:
            data = handle.read()
        except OSError as exc:
            raise ExtractError(name, f"cannot read file: {exc.strerror or exc}") from None
    return read_bytes(data, name)


def read_bytes(data: bytes, path: str, fmt: str | None = None) -> Document:
    """Read report bytes already in memory; ``fmt`` overrides the format the suffix implies.

    A file that would pass a bound while being read (a table's cells, a Word file's inflated
    size) is refused with the reason, as an `ExtractError`.
    """
    try:
        return _read_bytes(data, path, fmt)
    except TooLarge as exc:
        raise ExtractError(path, exc.reason) from None


def _read_bytes(data: bytes, path: str, fmt: str | None) -> Document:
    """`read_bytes` itself."""
    rules = _rules()
    suffix = Path(path).suffix.lower()
    if fmt is None and suffix in rules.unsupported:
        raise ExtractError(path, rules.unsupported[suffix])
    fmt = fmt or rules.formats.get(suffix) or _sniff_binary(data)
    sha = hashlib.sha256(data).hexdigest()
    if fmt in ("docx", "pdf"):
        if not data:
            raise ExtractError(path, "empty file")
        read = docx_to_text if fmt == "docx" else pdf_to_text
        text, grids = read(data, path)
        return Document(path, fmt, None, text, grids, sha)
    declared = None
    if fmt in (None, "html"):
        found = _DECLARED_CHARSET.search(data[:8192])
        declared = found.group(1).decode("ascii") if found else None
    text, encoding, replaced = decode_counting(data, path, declared=declared)
    fmt = fmt or sniff_format(text)
    if fmt in ("script", "txt"):
        embedded = script_html(text, rules.script_share)
        if embedded is None and fmt == "script":
            raise NoReportHere(path, "a script or data file holding no report HTML")
        text, fmt = (embedded, "html") if embedded is not None else (text, fmt)
    grids: list[Grid] = []
    if fmt == "html":
        text, grids = _read_html(text)
        if not text.strip():
            raise ExtractError(path, "HTML with no visible text")
    elif fmt == "md":
        text, grids = markdown_to_text(text)
    return Document(path, fmt, encoding, text, grids, sha, replaced_bytes=replaced)


def _read_html(page: str) -> tuple[str, list[Grid]]:
    """A page's text and grids; one that shows no report is read from its script, if there."""
    text, grids = html_to_text(page)
    if report_score(text):
        return text, grids
    embedded = page_script_html(page)
    if embedded is None:
        return text, grids
    inner, inner_grids = html_to_text(embedded)
    if not report_score(inner):
        return text, grids
    # The script fills the page's content box: what the page shows around it (its title) stays.
    return "\n".join(part for part in (text, inner) if part.strip()), grids + inner_grids
