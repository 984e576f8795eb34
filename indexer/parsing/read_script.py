"""Report HTML kept inside a script: a JavaScript or JSON string literal holding the page.

Some saved pages keep the report's HTML, tables included, as a string: ``var content =
"<p>…<table>…";``, ``{"content":"\\u003cp\\u003e…"}`` or ``document.write('…')``. A file is
such a script when the string literals that hold tags make up most of its text (at least
``[script] min_share`` of ``rules/read.toml``); a page whose body shows no report may hold it
in a ``<script>``. The literals are unescaped (a JSON literal by `json.loads`, any other by
JavaScript's escape rules) and joined in order; the result is read as HTML.
"""

from __future__ import annotations

import json
import re

from selectolax.lexbor import LexborHTMLParser

__all__ = ["page_script_html", "script_html"]

# String literals ("…", '…', `…`) and comments, whichever starts first; comments are passed
# over so that a quote inside one does not open a literal. Unrolled loops keep it linear.
_LITERAL = re.compile(
    r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"'
    r"|'[^'\\\n]*(?:\\.[^'\\\n]*)*'"
    r"|`[^`\\]*(?:\\.[^`\\]*)*`"
    r"|//[^\n]*|/\*.*?\*/",
    re.DOTALL,
)
# An HTML start or end tag (after unescaping).
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_JS_ESCAPE = re.compile(
    r"\\(u\{[0-9A-Fa-f]{1,6}\}|u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2}|[0-3]?[0-7]{1,2}|\r\n|[\s\S])"
)
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v"}
_LINE_CONTINUATIONS = frozenset({"\n", "\r", "\r\n", "\u2028", "\u2029"})
_SURROGATE = re.compile("[\ud800-\udfff]")


def _js_escape(match: re.Match[str]) -> str:
    """The character one JavaScript escape sequence stands for."""
    escape = match.group(1)
    if escape[0] == "u":
        code = int(escape[2:-1] if escape[1] == "{" else escape[1:], 16)
        return chr(code) if code <= 0x10FFFF else "\ufffd"
    if escape[0] == "x":
        return chr(int(escape[1:], 16))
    if escape[0] in "01234567":
        return chr(int(escape, 8))
    if escape in _LINE_CONTINUATIONS:
        return ""
    return _SIMPLE_ESCAPES.get(escape, escape)


def _unescape(literal: str) -> str:
    """The value of a string literal, quotes included in ``literal``."""
    value = None
    if literal[0] == '"':
        try:
            value = json.loads(literal)
        except ValueError:  # JavaScript allows escapes that JSON does not (\\', \\x41, \\0)
            value = None
    if value is None:
        body = literal[1:-1]
        value = _JS_ESCAPE.sub(_js_escape, body) if "\\" in body else body
    if _SURROGATE.search(value):  # \\ud83d\\ude00 pairs become one character, lone ones U+FFFD
        value = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return value


def _tag_literals(text: str) -> tuple[list[str], int]:
    """The values of the literals that hold HTML tags, and how much of ``text`` they span."""
    values, spanned = [], 0
    for match in _LITERAL.finditer(text):
        literal = match.group()
        if literal[0] not in "\"'`" or len(literal) < 2:
            continue
        value = _unescape(literal)
        if _TAG.search(value):
            values.append(value)
            spanned += len(literal)
    return values, spanned


def script_html(text: str, min_share: float) -> str | None:
    """The HTML that ``text``'s string literals hold, when they are at least ``min_share`` of
    its non-blank characters; otherwise None."""
    values, spanned = _tag_literals(text)
    size = len(text.strip())
    if not values or not size or spanned < min_share * size:
        return None
    return "".join(values)


def page_script_html(page: str) -> str | None:
    """The HTML held by the inline ``<script>`` of a page that holds the most of it, or None."""
    tree = LexborHTMLParser(page)
    best: str | None = None
    for script in tree.css("script"):
        if script.attributes.get("src"):
            continue
        found = script_html(script.text(deep=True) or "", 0.0)
        if found and (best is None or len(found) > len(best)):
            best = found
    return best
