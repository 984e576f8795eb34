"""Regexes that skip text quickly: a pattern's required literal text, checked before the scan.

Most rule patterns hold a run of plain characters that every match contains ("行政复议",
"(传真)"). Text without that run cannot match, and ``run in text`` is far cheaper than the
regex scan, above all for patterns that open with a lookbehind or an alternation, which the
regex engine cannot skip ahead for. `Guarded` answers exactly as the compiled pattern does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from functools import cache
from re import (
    _compiler,  # compiles a parsed pattern
    _parser,  # the standard parser of regex syntax
)
from re import _constants as sre  # the parser's opcodes
from typing import Any

__all__ = [
    "Guarded",
    "Rx",
    "compile_gate",
    "compile_guarded",
    "gated_sub",
    "guarded_pair",
    "indices_holding",
    "lines_holding",
    "required_run",
    "required_runs",
]

_EMPTY: tuple[re.Match[str], ...] = ()


def required_run(pattern: str) -> str:
    """The longest run of literal characters that every match of ``pattern`` contains
    ("" when there is none, or when case is ignored)."""
    try:
        parsed = _parser.parse(pattern)
    except re.error:
        return ""
    if parsed.state.flags & re.IGNORECASE:
        return ""
    return _longest(list(parsed))


def required_runs(pattern: str) -> frozenset[str]:
    """Runs of literal characters one of which every match of ``pattern`` contains: its
    `required_run`, else the runs of the alternatives of a required alternation
    ("(?:https?://|www\\.)…" → "http", "www."). Empty when there are none to name.
    """
    run = required_run(pattern)
    if run:
        return frozenset({run})
    try:
        parsed = _parser.parse(pattern)
    except re.error:
        return frozenset()
    if parsed.state.flags & re.IGNORECASE:
        return frozenset()
    for op, value in parsed:
        runs = [_longest(list(alternative)) for alternative in _branch(op, value)]
        if runs and all(runs):
            return frozenset(runs)
    return frozenset()


@cache
def _runs_of_any(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    """A regex for the runs of literal text (see `required_runs`) of which every match of
    any of ``patterns`` holds one; ``None`` when one of them has none to name."""
    runs: set[str] = set()
    for pattern in patterns:
        found = required_runs(pattern)
        if not found:
            return None
        runs |= found
    return re.compile("|".join(map(re.escape, sorted(runs, key=len, reverse=True))))


def lines_holding(patterns: tuple[str, ...], lines: Sequence[tuple[int, str]]) -> Sequence:
    """The ``lines`` (number, text) in which one of ``patterns`` may match, in order (see
    `indices_holding`)."""
    found = indices_holding(patterns, [text for _, text in lines])
    return lines if found is None else [lines[index] for index in found]


def indices_holding(patterns: tuple[str, ...], texts: Sequence[str]) -> list[int] | None:
    """The indices of the ``texts`` (lines) in which one of ``patterns`` may match, in order:
    those that hold one of their required runs, found in one scan of the joined text;
    ``None`` (any text may) when a pattern has no run to look for."""
    runs = _runs_of_any(patterns)
    if runs is None:
        return None
    joined = "\n".join(texts)
    if joined.count("\n") != len(texts) - 1:
        return None  # a text holds a line break of its own: no telling texts apart
    out, index, start = [], 0, 0  # the text looked at from ``start`` on is texts[index]
    while found := runs.search(joined, start):  # a run in a text is one in the joined text
        index += joined.count("\n", start, found.start())
        out.append(index)
        end = joined.find("\n", found.start())
        if end < 0:
            break
        start, index = end + 1, index + 1  # on at the next text
    return out


def _branch(op: object, value: Any) -> list:
    """The alternatives of an alternation item, alone or as the whole of a group; else []."""
    if op is sre.BRANCH:
        return list(value[1])
    if op is sre.SUBPATTERN and not value[1] & re.IGNORECASE:
        inner = list(value[3])
        if len(inner) == 1 and inner[0][0] is sre.BRANCH:
            return list(inner[0][1][1])
    return []


def _longest(items: list[tuple]) -> str:
    """The longest run of consecutive literals among ``items`` or inside a required group."""
    best, run = "", ""
    for op, value in items:
        if op is sre.LITERAL:
            run += chr(value)
            continue
        best, run = max(best, run, key=len), ""
        inner = _required_inside(op, value)
        best = max(best, inner, key=len)
    return max(best, run, key=len)


def _required_inside(op: object, value: object) -> str:
    """The run required inside one item: a group, or a repeat taken at least once."""
    if op is sre.SUBPATTERN:
        _group, add_flags, _del_flags, sub = value  # type: ignore[misc]
        return "" if add_flags & re.IGNORECASE else _longest(list(sub))
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, _high, sub = value  # type: ignore[misc]
        return _longest(list(sub)) if low >= 1 else ""
    if op is sre.ATOMIC_GROUP:
        return _longest(list(value))  # type: ignore[arg-type]
    return ""


class Guarded:
    """A compiled pattern that first checks for its required run (see `required_run`)."""

    __slots__ = ("compiled", "run")

    def __init__(self, compiled: re.Pattern[str], run: str) -> None:
        self.compiled, self.run = compiled, run

    @property
    def pattern(self) -> str:
        """The pattern's source text."""
        return self.compiled.pattern

    def search(self, text: str, *span: int) -> re.Match[str] | None:
        """As `re.Pattern.search`."""
        return self.compiled.search(text, *span) if self.run in text else None

    def match(self, text: str, *span: int) -> re.Match[str] | None:
        """As `re.Pattern.match`."""
        return self.compiled.match(text, *span) if self.run in text else None

    def finditer(self, text: str, *span: int) -> Iterator[re.Match[str]]:
        """As `re.Pattern.finditer`."""
        return self.compiled.finditer(text, *span) if self.run in text else iter(_EMPTY)

    def findall(self, text: str, *span: int) -> list:
        """As `re.Pattern.findall`."""
        return self.compiled.findall(text, *span) if self.run in text else []

    def fullmatch(self, text: str, *span: int) -> re.Match[str] | None:
        """As `re.Pattern.fullmatch`."""
        return self.compiled.fullmatch(text, *span) if self.run in text else None

    def sub(self, replace: str | Callable[[re.Match[str]], str], text: str, count: int = 0) -> str:
        """As `re.Pattern.sub`."""
        return self.compiled.sub(replace, text, count) if self.run in text else text

    def split(self, text: str, maxsplit: int = 0) -> list[str | Any]:
        """As `re.Pattern.split`."""
        return self.compiled.split(text, maxsplit) if self.run in text else [text]


Rx = Guarded | re.Pattern[str]  # what `compile_guarded` gives


@cache
def guarded_pair(pattern: str) -> tuple[str, re.Pattern[str]]:
    """``pattern``'s required run ("" when none) and the pattern compiled, for loops that
    check ``run in text`` themselves before scanning."""
    return required_run(pattern), re.compile(pattern)


@cache
def compile_guarded(pattern: str) -> Rx:
    """``pattern`` compiled, behind a check for its required run when it has one."""
    compiled = re.compile(pattern)
    run = required_run(pattern)
    return Guarded(compiled, run) if run else compiled


@cache
def compile_gate(pattern: str) -> re.Pattern[str] | None:
    """``pattern`` without the lookbehinds it opens with, compiled; ``None`` when it opens
    with none (or cannot be read).

    Every match of ``pattern`` is a match of the gate at the same place, so text the gate
    does not match holds no match of ``pattern``. The engine scans for the gate's first
    character in C, where a leading lookbehind makes it try a match at every position.
    """
    try:
        parsed = _parser.parse(pattern)
    except re.error:
        return None
    items = parsed.data
    if len(items) == 1 and items[0][0] is sre.BRANCH:
        alternatives = items[0][1][1]
        stripped = [_strip_lookbehinds(alternative.data) for alternative in alternatives]
        if not any(stripped):
            return None
    elif not _strip_lookbehinds(items):
        return None
    if not items or any(not alternative.data for alternative in _alternatives(items)):
        return None  # a gate that matches the empty text everywhere gates nothing
    return _compiler.compile(parsed, 0)


def _alternatives(items: list) -> list:
    if len(items) == 1 and items[0][0] is sre.BRANCH:
        return list(items[0][1][1])
    return [_parser.SubPattern(_parser.State(), items)]


def _strip_lookbehinds(items: list) -> bool:
    """Drop the lookbehinds that open ``items`` (in place); whether any was dropped."""
    dropped = False
    while items and _only_lookbehinds([items[0]]):
        del items[0]
        dropped = True
    return dropped


def _only_lookbehinds(items: list) -> bool:
    """Whether ``items`` is nothing but lookbehinds (alternatives or groups of them)."""
    for op, value in items:
        if op in (sre.ASSERT, sre.ASSERT_NOT) and value[0] < 0:
            continue
        if op is sre.BRANCH and all(_only_lookbehinds(list(alt)) for alt in value[1]):
            continue
        if op is sre.SUBPATTERN and value[0] is None and _only_lookbehinds(list(value[3])):
            continue
        return False
    return bool(items)


def gated_sub(pattern: str, replace: str) -> Callable[[str], str]:
    """``re.sub(pattern, replace, text)`` as a function of ``text`` that tries the pattern only
    where its gate (see `compile_gate`) matches; when there is no gate, or when the pattern
    can match the empty text, a ``sub`` behind its required run (see `compile_guarded`)."""
    compiled, gate = re.compile(pattern), compile_gate(pattern)
    if gate is None or _parser.parse(pattern).getwidth()[0] == 0:
        guarded = compile_guarded(pattern)
        return lambda text: guarded.sub(replace, text)
    template = _parser.parse_template(replace, compiled)  # as sub reads it, read once

    def sub(text: str) -> str:
        out, last, pos = [], 0, 0
        while found := gate.search(text, pos):
            match = compiled.match(text, found.start())  # lookbehinds see the text before
            if match is None:
                pos = found.start() + 1
                continue
            out += [text[last : match.start()], _parser.expand_template(template, match)]
            last = pos = match.end()
        return "".join([*out, text[last:]]) if out else text

    return sub
