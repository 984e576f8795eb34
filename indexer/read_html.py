"""Read HTML report pages: visible text, one line per block, and every data table as a `Grid`.

Government sites serve a report inside page chrome. When the page has a known article
container (TRS ``TRS_Editor``, ``#zoom``, ``#UCAP-CONTENT`` …) holding the report, only that
container is read, headed by the article title from the page's metadata. Everywhere, chrome
that says what it is (by tag, role, class or id) or whose text shows it (a breadcrumb that
starts 当前位置, a footer naming 网站标识码 and ICP备案) is left out. Each innermost ``<table>``
becomes a grid (spans as ``None``, spacer rows and columns removed; a table split in two at a
page break is joined again) and each of its rows one tab-joined line. All rules are in
``rules/read.toml`` under ``[html]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from selectolax.lexbor import LexborHTMLParser, LexborNode

from indexer.document import Grid
from indexer.read_grid import drop_empty_columns, drop_empty_rows, join_split_table, place_cells
from indexer.rules import load_rules

__all__ = ["html_to_text", "report_score"]

_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_SPACES_NOT_TABS = re.compile(r"[^\S\t\n]+")
_WHITESPACE = re.compile(r"\s+")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
# A source line break between two wide (CJK) characters is a wrap of the markup, not a space:
# Word and most editors wrap long Chinese lines anywhere (CSS Text 3, segment breaks).
_WIDE = "\u2e80-\u2fdf\u3001-\u303f\u3040-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff01-\uffee"
_WRAP = re.compile(f"(?<=[{_WIDE}])[ \t]*\n[ \t\n]*(?=[{_WIDE}])")


@dataclass(frozen=True)
class _ChromeText:
    """Text that marks a block as page chrome: how it starts, or several footer markers."""

    name: str
    starts: tuple[str, ...]
    markers: tuple[str, ...]
    min_markers: int
    max_chars: int
    blocks: bool
    titles: bool

    def matches(self, compact: str) -> bool:
        """True when whitespace-free ``compact`` text is this kind of chrome."""
        if not compact or len(compact) > self.max_chars:
            return False
        if self.starts and compact.startswith(self.starts):
            return True
        return bool(self.markers) and sum(m in compact for m in self.markers) >= self.min_markers


@dataclass(frozen=True)
class _Rules:
    drop: frozenset[str]
    drop_roles: frozenset[str]
    chrome_words: frozenset[str]
    chrome_tags: frozenset[str]
    chrome_text: tuple[_ChromeText, ...]
    chrome_text_tags: frozenset[str]
    block: frozenset[str]
    preformatted: frozenset[str]
    content: tuple[str, ...]
    report_words: tuple[str, ...]
    content_share: float
    title_meta: tuple[str, ...]
    title_tags: tuple[str, ...]
    title_words: tuple[str, ...]
    title_separators: re.Pattern[str]
    # Text longer than this (whitespace included) is never looked at as one chrome block.
    text_limit: int


@cache
def _rules() -> _Rules:
    """Load and check the ``[html]`` rules of ``rules/read.toml`` once."""
    html = load_rules("read")["html"]
    content = html["content"]
    return _Rules(
        drop=frozenset(html["drop"]),
        drop_roles=frozenset(html["drop_roles"]),
        chrome_words=frozenset(word.lower() for word in html["chrome_words"]),
        chrome_tags=frozenset(html["chrome_tags"]),
        chrome_text=tuple(
            _ChromeText(
                name=rule["name"],
                starts=tuple(rule.get("starts", ())),
                markers=tuple(rule.get("markers", ())),
                min_markers=int(rule.get("min_markers", 1)),
                max_chars=int(rule["max_chars"]),
                blocks=bool(rule.get("blocks", True)),
                titles=bool(rule.get("titles", False)),
            )
            for rule in html["chrome_text"]
        ),
        chrome_text_tags=frozenset(html["chrome_text_tags"]),
        block=frozenset(html["block"]),
        preformatted=frozenset(html["preformatted"]),
        content=tuple(content["selectors"]),
        report_words=tuple(content["report_words"]),
        content_share=float(content["min_share"]),
        title_meta=tuple(content["title_meta"]),
        title_tags=tuple(content["title_tags"]),
        title_words=tuple(content["title_words"]),
        title_separators=re.compile(content["title_separators"]),
        text_limit=4 * max(int(rule["max_chars"]) for rule in html["chrome_text"]),
    )


def _compact(text: str) -> str:
    return _WHITESPACE.sub("", text)


def _is_chrome_line(text: str) -> bool:
    """True when a line of the page is chrome by the text rules."""
    compact = _compact(text)
    return any(rule.matches(compact) for rule in _rules().chrome_text)


def _is_chrome_block(text: str) -> bool:
    """True when a whole block is chrome by the text rules (never one with report words)."""
    rules = _rules()
    compact = _compact(text)
    if not compact or len(compact) > max(r.max_chars for r in rules.chrome_text):
        return False
    if report_score(compact):
        return False
    titled = any(word in compact for word in rules.title_words)
    return any(
        rule.blocks and (rule.titles or not titled) and rule.matches(compact)
        for rule in rules.chrome_text
    )


@dataclass(frozen=True)
class _TableRows:
    """Rows ``start:stop`` of a grid, written as tab-joined lines once the grid is final."""

    grid: Grid
    start: int
    stop: int

    def lines(self) -> list[str]:
        """The rows' real cells joined by tabs; rows with no text, and one-cell rows of a
        layout table that are chrome by their text, are left out."""
        out = []
        for row in self.grid[self.start : self.stop]:
            cells = [cell for cell in row if cell is not None]
            filled = [cell for cell in cells if cell]
            if filled and not (len(filled) == 1 and _is_chrome_line(filled[0])):
                out.append("\t".join(cells))
        return out


class _Lines:
    """Visible text being assembled, one line per block."""

    def __init__(self, sizes: dict[int, int], page: bool = False) -> None:
        # Length of each element's text, by node id: chrome is looked for in short blocks only.
        self.sizes = sizes
        self.lines: list[str | _TableRows] = []
        self._parts: list[str] = []
        self._pre = False
        # Lines of the page (not of one cell) are checked against the chrome text rules.
        self._page = page
        # The last grid made, and how many lines there were when its rows were added.
        self.last_grid: Grid | None = None
        self.grid_end = -1

    def add(self, text: str, pre: bool) -> None:
        """Add inline text; preformatted text keeps its tabs and line breaks."""
        if not pre:
            self._parts.append(text)
            return
        for i, piece in enumerate(text.split("\n")):
            if i:
                self.flush()
            self._pre = True
            self._parts.append(piece)

    def text(self) -> str:
        """The lines so far, tables written out, joined by newlines."""
        out: list[str] = []
        for line in self.lines:
            out.extend(line.lines() if isinstance(line, _TableRows) else [line])
        return "\n".join(out)

    def flush(self) -> None:
        """End the current line."""
        raw = _ZERO_WIDTH.sub("", "".join(self._parts))
        if self._pre:
            line = _SPACES_NOT_TABS.sub(" ", raw).strip()
        else:
            line = " ".join(_WRAP.sub("", raw).split())
        if line and not (self._page and _is_chrome_line(line)):
            self.lines.append(line)
        self._parts, self._pre = [], False


def html_to_text(html: str) -> tuple[str, list[Grid]]:
    """Visible text of an HTML page (one line per block, table rows tab-joined) and its grids."""
    tree = LexborHTMLParser(html)
    root = tree.body or tree.root
    if root is None:
        return "", []
    lines, grids = _Lines(_text_sizes(root), page=True), []
    containers = _content(root)
    for node in containers or [root]:
        _walk(node, lines, grids)
        lines.flush()
    for grid in grids:
        grid[:] = drop_empty_columns(grid)
    text = lines.text()
    if containers:
        title = _title(tree, containers)
        if title and _compact(title) not in _compact("".join(text.split("\n")[:3])):
            text = f"{title}\n{text}"
    return text, grids


# --- the article container and its title ----------------------------------------------------


def report_score(text: str) -> int:
    """How many times ``text`` names one of the words of a report's body."""
    return sum(text.count(word) for word in _rules().report_words)


def _content(root: LexborNode) -> list[LexborNode]:
    """The outermost article containers of the first selector that holds the report, or []."""
    rules = _rules()
    whole = report_score(root.text(deep=True))
    if not whole:
        return []
    for selector in rules.content:
        found = root.css(selector)
        if not found:
            continue
        ids = {node.mem_id for node in found}
        outer = [node for node in found if not _has_ancestor_in(node, ids)]
        score = sum(report_score(node.text(deep=True)) for node in outer)
        if score >= rules.content_share * whole:
            return outer
    return []


def _has_ancestor_in(node: LexborNode, ids: set[int]) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.mem_id in ids:
            return True
        parent = parent.parent
    return False


def _title(tree: LexborHTMLParser, containers: list[LexborNode]) -> str | None:
    """The article's title: from its metadata, a heading outside the article, or <title>."""
    rules = _rules()
    candidates = []
    for name in rules.title_meta:
        for meta in tree.css(f'meta[name="{name}"], meta[property="{name}"]'):
            candidates.append(meta.attributes.get("content") or "")
    inside = {node.mem_id for c in containers for node in c.traverse(include_text=False)}
    for tag in rules.title_tags:
        candidates.extend(
            node.text(deep=True) for node in tree.css(tag) if node.mem_id not in inside
        )
    if tree.head is not None:
        for node in tree.head.css("title"):
            candidates.extend(rules.title_separators.split(node.text(deep=True)))
    for candidate in candidates:
        title = " ".join(candidate.split())
        if title and any(word in title for word in rules.title_words):
            return title
    return None


# --- walking the tree -------------------------------------------------------------------------


def _children(node: LexborNode) -> list[LexborNode]:
    out, child = [], node.child
    while child is not None:
        out.append(child)
        child = child.next
    return out


def _text_sizes(root: LexborNode) -> dict[int, int]:
    """The length of the text under each element, in one pass (pages nest deep)."""
    sizes: dict[int, int] = {}
    stack: list[tuple[LexborNode, bool]] = [(root, True)]
    while stack:
        node, entering = stack.pop()
        if node.tag == "-text":
            sizes[node.mem_id] = len(node.text_content or "")
        elif entering:
            stack.append((node, False))
            stack.extend((child, True) for child in _children(node))
        else:
            sizes[node.mem_id] = sum(sizes.get(c.mem_id, 0) for c in _children(node))
    return sizes


def _skipped(node: LexborNode, sizes: dict[int, int]) -> bool:
    """Comments, invisible elements and page chrome that says what it is."""
    rules = _rules()
    if node.tag.startswith("-") or node.tag in rules.drop:
        return True
    attrs = node.attributes
    if "hidden" in attrs or _HIDDEN_STYLE.search(attrs.get("style") or ""):
        return True
    if (attrs.get("role") or "").strip().lower() in rules.drop_roles:
        return True
    if node.tag in rules.chrome_tags:
        names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower().split()
        if any(name in rules.chrome_words for name in names):
            return True
    if node.tag not in rules.chrome_text_tags or sizes.get(node.mem_id, 0) > rules.text_limit:
        return False
    return _is_chrome_block(node.text(deep=True))


def _walk(root: LexborNode, out: _Lines, grids: list[Grid]) -> None:
    """Append the visible lines under ``root`` to ``out``; innermost tables become grids."""
    rules = _rules()
    # An explicit stack: pages nest deeper than Python's recursion limit.
    stack: list[tuple[LexborNode, bool, int]] = [(root, True, 0)]
    while stack:
        node, entering, pre = stack.pop()
        tag = node.tag
        if not entering:
            out.flush()
            continue
        if tag == "-text":
            out.add(node.text_content or "", pre > 0)
        elif _skipped(node, out.sizes):
            continue
        elif tag == "br":
            out.flush()
        elif tag == "table" and len(node.css("table")) == 1:
            _add_table(node, out, grids)
        else:
            if tag in rules.block:
                out.flush()
                stack.append((node, False, pre))
            inner = pre + (tag in rules.preformatted)
            stack.extend((child, True, inner) for child in reversed(_children(node)))


def _add_table(table: LexborNode, out: _Lines, grids: list[Grid]) -> None:
    """Add an innermost table as a grid (joined to the one before at a page break) and lines."""
    out.flush()
    for caption in (child for child in _children(table) if child.tag == "caption"):
        _walk(caption, out, grids)
        out.flush()
    grid = drop_empty_rows(_grid(table, out.sizes))
    if not grid:
        return
    rows = len(grid)
    last = out.last_grid
    if last is not None and out.grid_end == len(out.lines) and join_split_table(last, grid):
        grid = last
    else:
        grids.append(grid)
        out.last_grid = grid
    out.lines.append(_TableRows(grid, len(grid) - rows, len(grid)))
    out.grid_end = len(out.lines)


# --- tables ---------------------------------------------------------------------------------


def _rows(table: LexborNode) -> list[LexborNode]:
    """The table's own rows, in document order (not those of nested tables)."""
    rows = []
    for child in _children(table):
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows.extend(row for row in _children(child) if row.tag == "tr")
    return rows


def _span(cell: LexborNode, name: str) -> int:
    """A cell's rowspan or colspan attribute as a browser reads it ("2px" is 2; none is 1)."""
    found = re.match(r"\s*(\d+)", cell.attributes.get(name) or "")
    return int(found.group(1)) if found else 1


def _grid(table: LexborNode, sizes: dict[int, int]) -> Grid:
    """The table as rows of cell texts; positions covered by a span are ``None``."""
    rows = []
    for row in _rows(table):
        cells = [node for node in _children(row) if node.tag in ("td", "th")]
        rows.append(
            [
                (_cell_text(cell, sizes), _span(cell, "rowspan"), _span(cell, "colspan"))
                for cell in cells
                if not _skipped(cell, sizes)
            ]
        )
    return place_cells(rows)


def _cell_text(cell: LexborNode, sizes: dict[int, int]) -> str:
    """A cell's visible text, inner tags flattened, lines joined by a space, spaces collapsed."""
    lines = _Lines(sizes)
    _walk(cell, lines, [])
    lines.flush()
    return " ".join(" ".join(line.split()) for line in lines.text().split("\n"))
