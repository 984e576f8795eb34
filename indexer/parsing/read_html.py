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

from selectolax.lexbor import LexborHTMLParser, LexborNode

from indexer.parsing.document import Grid
from indexer.parsing.read_grid import (
    drop_empty_columns,
    drop_empty_rows,
    grid_limits,
    join_split_table,
    place_cells,
)
from indexer.parsing.read_html_depth import flatten_deep_nesting
from indexer.parsing.read_html_rules import (
    compact,
    html_rules,
    is_chrome_block,
    is_chrome_line,
    report_score,
)

__all__ = ["html_to_text", "report_score"]

_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_SPACES_NOT_TABS = re.compile(r"[^\S\t\n]+")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
# A source line break between two wide (CJK) characters is a wrap of the markup, not a space:
# Word and most editors wrap long Chinese lines anywhere (CSS Text 3, segment breaks).
_WIDE = "\u2e80-\u2fdf\u3001-\u303f\u3040-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff01-\uffee"
_WRAP = re.compile(f"(?<=[{_WIDE}])[ \t]*\n[ \t\n]*(?=[{_WIDE}])")


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
            if filled and not (len(filled) == 1 and is_chrome_line(filled[0])):
                out.append("\t".join(cells))
        return out


class _Lines:
    """Visible text being assembled, one line per block."""

    def __init__(self, measures: _Measures, page: bool = False) -> None:
        self.measures = measures
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
        if line and not (self._page and is_chrome_line(line)):
            self.lines.append(line)
        self._parts, self._pre = [], False


def html_to_text(html: str) -> tuple[str, list[Grid]]:
    """Visible text of an HTML page (one line per block, table rows tab-joined) and its grids."""
    tree = LexborHTMLParser(flatten_deep_nesting(html))
    root = tree.body or tree.root
    if root is None:
        return "", []
    lines, grids = _Lines(_measure(root), page=True), []
    containers = _content(root)
    for node in containers or [root]:
        _walk(node, lines, grids)
        lines.flush()
    for grid in grids:
        grid[:] = drop_empty_columns(grid)
    text = lines.text()
    if containers:
        title = _title(tree, containers)
        if title and compact(title) not in compact("".join(text.split("\n")[:3])):
            text = f"{title}\n{text}"
    return text, grids


# --- the article container and its title ----------------------------------------------------


def _content(root: LexborNode) -> list[LexborNode]:
    """The outermost article containers of the first selector that holds the report, or []."""
    rules = html_rules()
    whole = report_score(root.text(deep=True))
    if not whole:
        return []
    for selector in rules.content:
        found = root.css(selector)
        if not found:
            continue
        outer = _outermost(found)
        score = sum(report_score(node.text(deep=True)) for node in outer)
        if score >= rules.content_share * whole:
            return outer
    return []


def _outermost(found: list[LexborNode]) -> list[LexborNode]:
    """The nodes of ``found`` that no other of them holds (each ancestor looked at once)."""
    ids = {node.mem_id for node in found}
    inside: dict[int, bool] = {}  # element id -> it or an ancestor is in ``found``
    out = []
    for node in found:
        path, parent, held = [], node.parent, False
        while parent is not None:
            if parent.mem_id in ids or parent.mem_id in inside:
                held = parent.mem_id in ids or inside[parent.mem_id]
                break
            path.append(parent.mem_id)
            parent = parent.parent
        inside.update(dict.fromkeys(path, held))
        if not held:
            out.append(node)
    return out


def _title(tree: LexborHTMLParser, containers: list[LexborNode]) -> str | None:
    """The article's title: from its metadata, a heading outside the article, or <title>."""
    rules = html_rules()
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


@dataclass(frozen=True)
class _Measures:
    """What the walk asks of a subtree, found for every element in one pass (pages nest
    deep: asking each element for its subtree's text again would take quadratic time)."""

    chrome: frozenset[int]  # blocks whose text shows they are page chrome
    holds_table: frozenset[int]  # elements with a <table> somewhere below them


def _measure(root: LexborNode) -> _Measures:
    """Each element's text, built from its children's, judged once; and where tables are.

    Texts longer than ``text_limit`` are never judged and are not built; a child's text is
    dropped once its parent has it, and a parent with one child that has text shares that
    child's string (and its verdict), so a chain of nested blocks costs one judgement.
    """
    rules = html_rules()
    texts: dict[int, str | None] = {}  # finished nodes' texts, until their parent takes them
    chrome: set[int] = set()
    holds: set[int] = set()
    judged: tuple[str | None, bool] = (None, False)
    stack: list[tuple[LexborNode, bool]] = [(root, True)]
    while stack:
        node, entering = stack.pop()
        if node.tag == "-text":
            text = node.text_content or ""
            texts[node.mem_id] = text if len(text) <= rules.text_limit else None
            continue
        children = _children(node)
        if entering:
            stack.append((node, False))
            stack.extend((child, True) for child in children)
            continue
        text = _joined([texts.pop(child.mem_id, "") for child in children], rules.text_limit)
        texts[node.mem_id] = text
        if any(child.tag == "table" or child.mem_id in holds for child in children):
            holds.add(node.mem_id)
        if text is not None and node.tag in rules.chrome_text_tags:
            if judged[0] is not text:
                judged = (text, is_chrome_block(text))
            if judged[1]:
                chrome.add(node.mem_id)
    return _Measures(frozenset(chrome), frozenset(holds))


def _joined(parts: list[str | None], limit: int) -> str | None:
    """The children's texts as one, the same string when only one has text; None past
    ``limit`` (or when a part already was)."""
    if any(part is None for part in parts):
        return None
    filled = [part for part in parts if part]
    text = filled[0] if len(filled) == 1 else "".join(filled)  # type: ignore[arg-type]
    return text if len(text) <= limit else None


def _skipped(node: LexborNode, measures: _Measures) -> bool:
    """Comments, invisible elements and page chrome that says what it is."""
    rules = html_rules()
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
    return node.mem_id in measures.chrome


def _walk(root: LexborNode, out: _Lines, grids: list[Grid]) -> None:
    """Append the visible lines under ``root`` to ``out``; innermost tables become grids."""
    rules = html_rules()
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
        elif _skipped(node, out.measures):
            continue
        elif tag == "br":
            out.flush()
        elif tag == "table" and node.mem_id not in out.measures.holds_table:
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
    grid = drop_empty_rows(_grid(table, out.measures))
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


def _grid(table: LexborNode, measures: _Measures) -> Grid:
    """The table as rows of cell texts; positions covered by a span are ``None``."""
    rows, found = [], _rows(table)
    grid_limits().check(len(found), 0, 0)  # before any cell's text is read
    for row in found:
        cells = [node for node in _children(row) if node.tag in ("td", "th")]
        rows.append(
            [
                (_cell_text(cell, measures), _span(cell, "rowspan"), _span(cell, "colspan"))
                for cell in cells
                if not _skipped(cell, measures)
            ]
        )
    return place_cells(rows)


def _cell_text(cell: LexborNode, measures: _Measures) -> str:
    """A cell's visible text, inner tags flattened, lines joined by a space, spaces collapsed."""
    lines = _Lines(measures)
    _walk(cell, lines, [])
    lines.flush()
    return " ".join(" ".join(line.split()) for line in lines.text().split("\n"))
