"""`Answer` → Telegram HTML messages: the one formatting every reply goes through.

The words are exactly ``Answer.text``; all of it is escaped, and the terms that search
highlighted in its snippets are set in bold. Long answers are split on line boundaries so
that each message stays below Telegram's 4096-character limit; a single line too long for one
message is cut after a punctuation mark or space near the limit where there is one. The cut
is made in the plain text before escaping, so it never falls inside a tag or an entity.
"""

from __future__ import annotations

import html
import re

from bot.telegram import texts
from search import Answer

MAX_MESSAGE = 4096  # Telegram's limit on the text of one message, after entity parsing
_LIMIT = MAX_MESSAGE - 96  # headroom: we measure markup too, Telegram does not
_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)
_BREAKS = "。；！？，、：;!?,: \t）)」』】"  # a cut just after one of these reads naturally
_BREAK_WINDOW = 0.2  # look for one within the last fifth of what fits


def render_answer(answer: Answer, limit: int = _LIMIT) -> list[str]:
    """The answer as one or more Telegram HTML messages, each at most ``limit`` characters."""
    pattern = _highlight_pattern(answer)
    lines = [
        piece for line in answer.text.split("\n") for piece in _render_fitting(line, pattern, limit)
    ]
    return pack_lines(lines, limit) or [html.escape(texts.EMPTY_ANSWER, quote=False)]


def render_one(answer: Answer, limit: int = _LIMIT) -> str:
    """The first message of the answer and "…", where no button can fetch the rest (inline)."""
    parts = render_answer(answer, limit)
    return parts[0] if len(parts) == 1 else parts[0] + "\n…"


def pack_lines(lines: list[str], limit: int = _LIMIT) -> list[str]:
    """Join rendered lines into as few messages as fit, never breaking a line."""
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for line in lines:
        extra = len(line) + (1 if current else 0)
        if current and size + extra > limit:
            chunks.append("\n".join(current))
            current, size = [], 0
            extra = len(line)
        current.append(line)
        size += extra
    if current:
        chunks.append("\n".join(current))
    return [chunk for chunk in chunks if chunk.strip()]


def _highlight_pattern(answer: Answer) -> re.Pattern[str] | None:
    """A pattern for the terms search marked in the snippets, longest first."""
    terms: set[str] = set()
    for result in answer.results:
        for snippet in result.snippets:
            terms.update(html.unescape(term) for term in _MARK.findall(snippet.html))
    terms = {term for term in terms if term.strip()}
    if not terms:
        return None
    ordered = sorted(terms, key=len, reverse=True)
    return re.compile("|".join(re.escape(term) for term in ordered))


def _render_line(line: str, pattern: re.Pattern[str] | None) -> str:
    """Escape one line of plain text and set the highlighted terms in bold."""
    if pattern is None:
        return html.escape(line, quote=False)
    out: list[str] = []
    last = 0
    for match in pattern.finditer(line):
        out.append(html.escape(line[last : match.start()], quote=False))
        out.append(f"<b>{html.escape(match.group(0), quote=False)}</b>")
        last = match.end()
    out.append(html.escape(line[last:], quote=False))
    return "".join(out)


def _render_fitting(line: str, pattern: re.Pattern[str] | None, limit: int) -> list[str]:
    """Render one line; a line too long for one message becomes pieces that each fit."""
    pieces: list[str] = []
    rendered = _render_line(line, pattern)
    while len(rendered) > limit:
        low, high = 1, len(line)  # the longest prefix whose rendering fits
        while low < high:
            middle = (low + high + 1) // 2
            if len(_render_line(line[:middle], pattern)) <= limit:
                low = middle
            else:
                high = middle - 1
        low = _readable_cut(line, low)
        pieces.append(_render_line(line[:low], pattern))
        line = line[low:]
        rendered = _render_line(line, pattern)
    pieces.append(rendered)
    return pieces


def _readable_cut(line: str, fits: int) -> int:
    """Where to cut ``line`` given that its first ``fits`` characters fit: just after the last
    punctuation mark or space near the end of that prefix, else at ``fits``."""
    floor = int(fits * (1 - _BREAK_WINDOW))
    for at in range(fits, max(floor, 1), -1):
        if line[at - 1] in _BREAKS:
            return at
    return fits
