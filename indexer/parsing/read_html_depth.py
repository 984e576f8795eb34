"""Bound how deep an HTML page nests before it is parsed.

An HTML parser checks the stack of open elements at each tag ("has a p element in button
scope"), so tens of thousands of nested blocks take time quadratic in their depth (50,000
took seconds in the parser alone). Browsers stop nesting at a depth (Chrome at 512) and put
deeper elements beside each other; here tags that would open deeper than ``[html]
max_depth`` are left out with their matching end tags, and their text stays. One scan,
linear; a page that never nests that deep is returned unchanged.
"""

from __future__ import annotations

import re
from functools import cache

from indexer.rules import load_rules

__all__ = ["flatten_deep_nesting"]

# A tag, a comment, or a raw-text element's body (whose "<" are not tags).
_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<(script|style|textarea|title|xmp)\b[^>]*>.*?(?:</\1\s*>|\Z)"
    r"|<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*>",
    re.DOTALL | re.IGNORECASE,
)
# Elements that never hold others or whose end tag may be left out (a parser closes them by
# itself): they do not count towards the depth.
_NOT_COUNTED = frozenset(
    (
        *("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"),
        *("source", "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody"),
        *("tfoot", "option", "optgroup", "rb", "rt", "rp", "colgroup", "caption", "html"),
        *("head", "body"),
    )
)


@cache
def _max_depth() -> int:
    return int(load_rules("read")["html"]["max_depth"])


def _tags(html: str) -> list[tuple[int, int, int]]:
    """(start, end, +1 for an opening / -1 for a closing tag) of every counted tag."""
    out = []
    for match in _TOKEN.finditer(html):
        name = match.group(3)
        if name is None or name.lower() in _NOT_COUNTED or match.group().endswith("/>"):
            continue
        out.append((match.start(), match.end(), -1 if match.group(2) else 1))
    return out


def flatten_deep_nesting(html: str) -> str:
    """``html`` with the tags that would nest deeper than ``max_depth`` left out."""
    limit = _max_depth()
    tags = _tags(html)
    depth = deepest = 0
    for _, _, step in tags:
        depth = max(0, depth + step)
        deepest = max(deepest, depth)
    if deepest <= limit:
        return html
    parts, last, depth = [], 0, 0
    for start, end, step in tags:
        inner = depth + (step > 0)  # the depth this tag opens, or the one it closes
        depth = max(0, depth + step)
        if inner > limit:
            parts.append(html[last:start])
            last = end
    parts.append(html[last:])
    return "".join(parts)
