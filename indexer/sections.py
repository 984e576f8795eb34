"""Split a normalised report text into its sections (preamble + the six numbered parts).

Headings are recognised by their words, not by their numerals alone (the applications table
has rows "三、本年度办理结果" and "四、结转下年度继续办理" that are not headings), and looked
for in order. The heading words and numbering prefixes are rule data (``rules/sections.toml``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from indexer.document import Section
from indexer.rules import load_rules

__all__ = ["Heading", "classify_line", "find_headings", "is_report_like", "split_sections"]

_MAIN, _SUB = 0, 1  # ranks of a heading: numbered or unnumbered heading; parenthesised numeral


@dataclass(frozen=True)
class Heading:
    """A line that may open a section: where it is, which section, how it is numbered."""

    line: int  # 1-based line number in the normalised text
    key: str
    rank: int
    text: str
    run_in: bool = False  # the section's text goes on after the heading on the same line


@dataclass(frozen=True)
class _Rules:
    max_length: int
    run_in: re.Pattern[str]
    main: tuple[re.Pattern[str], ...]
    sub: tuple[re.Pattern[str], ...]
    sections: tuple[tuple[str, tuple[str, ...]], ...]
    markers: tuple[str, ...]
    any_word: re.Pattern[str]  # every heading word of every section, one alternation


@cache
def _rules() -> _Rules:
    raw = load_rules("sections")
    sections = tuple((s["key"], tuple(s["words"])) for s in raw["sections"])
    words = sorted({w for _key, ws in sections for w in ws}, key=len, reverse=True)
    return _Rules(
        max_length=int(raw["max_heading_length"]),
        run_in=re.compile(raw["run_in_separator"]),
        main=tuple(re.compile(p) for p in raw["prefixes"]["main"]),
        sub=tuple(re.compile(p) for p in raw["prefixes"]["sub"]),
        sections=sections,
        markers=tuple(raw["report_markers"]["words"]),
        any_word=re.compile("|".join(map(re.escape, words))),
    )


def _strip_prefix(compact: str) -> tuple[str, int]:
    """Remove a numbering prefix; return the rest and the heading rank it implies."""
    rules = _rules()
    for pattern in rules.main:
        match = pattern.match(compact)
        if match:
            return compact[match.end() :], _MAIN
    for pattern in rules.sub:
        match = pattern.match(compact)
        if match:
            return compact[match.end() :], _SUB
    return compact, _MAIN


def _section_of(rest: str) -> str | None:
    for key, words in _rules().sections:
        if any(rest.startswith(word) for word in words):
            return key
    return None


def classify_line(line: str) -> tuple[str, int, bool] | None:
    """Return (section key, rank, run-in) when ``line`` reads as a section heading, else None.

    A numbered heading may run into its first sentence ("一、总体情况。2023年…"): then only
    the part before the separator is the heading, and run-in is True.
    """
    stripped = line.strip()
    rules = _rules()
    compact = stripped.replace(" ", "")
    if not stripped or "\t" in stripped or not rules.any_word.search(compact):
        return None
    rest, rank = _strip_prefix(compact)
    run_in = False
    if len(rest) > rules.max_length:
        cut = rules.run_in.search(rest)
        if rest == compact or rank != _MAIN or cut is None or cut.start() > rules.max_length:
            return None
        rest, run_in = rest[: cut.start()], True
    key = _section_of(rest)
    return (key, rank, run_in) if key else None


def find_headings(lines: list[str]) -> list[Heading]:
    """Every line that could be a section heading, in text order."""
    found = []
    for number, line in enumerate(lines, start=1):
        hit = classify_line(line)
        if hit:
            key, rank, run_in = hit
            text = line.strip()
            if run_in:
                text = text[: _rules().run_in.search(text).start()]
            found.append(Heading(number, key, rank, text, run_in))
    return found


def _choose(candidates: list[Heading]) -> list[Heading]:
    """Pick one heading per section, in section order, each after the one before."""
    chosen: list[Heading] = []
    after = 0
    for key, _words in _rules().sections:
        later = [h for h in candidates if h.key == key and h.line > after]
        pick = next((h for h in later if h.rank == _MAIN), None) or next(iter(later), None)
        if pick is not None:
            chosen.append(pick)
            after = pick.line
    return chosen


def split_sections(text: str) -> dict[str, Section]:
    """Split normalised ``text`` into sections keyed by `SECTION_KEYS`; "preamble" is always there.

    A section's lines run from the line after its heading (from the heading's own line when the
    text runs on after the heading) to the line before the next heading; sections whose heading
    is not found are absent from the result.
    """
    lines = text.split("\n")
    chosen = _choose(find_headings(lines))
    first = chosen[0].line if chosen else len(lines) + 1
    result = {"preamble": Section("preamble", None, 1, lines[: first - 1])}
    for index, heading in enumerate(chosen):
        end = chosen[index + 1].line - 1 if index + 1 < len(chosen) else len(lines)
        start = heading.line if heading.run_in else heading.line + 1
        body = lines[start - 1 : end]
        result[heading.key] = Section(heading.key, heading.text, start, body)
    return result


def is_report_like(text: str, sections: dict[str, Section]) -> bool:
    """True when the text has a section heading or a label only disclosure reports carry."""
    if len(sections) > 1:
        return True
    compact = text.replace(" ", "")
    return any(marker in compact for marker in _rules().markers)
