"""Normalise report text once, early, in one place.

The steps are rule data (``rules/normalise.toml``): an ordered list of regex replacements and a
few named transforms (Unicode composition, full-width folding, Traditional → Simplified).
Every step keeps the line count, so a line number in the normalised text is the line number in
the source. Steps can feed one another (a removed bookmark may join two spaces), so the list is
applied until nothing changes, which makes ``normalise`` idempotent by construction.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import opencc

from indexer.parsing.needle import compile_gate, gated_sub
from indexer.rules import load_rules

__all__ = ["line_count", "normalise", "step_names"]

_MAX_PASSES = 4
# Every line break Python's str.splitlines() knows; CRLF counts once.
_LINE_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_FULLWIDTH_FIRST, _FULLWIDTH_LAST, _FULLWIDTH_OFFSET = 0xFF01, 0xFF5E, 0xFEE0


@dataclass(frozen=True)
class _Step:
    name: str
    apply: Callable[[str], str]


def _regex_step(entry: dict) -> Callable[[str], str]:
    # tried only where it can match: see indexer.parsing.needle
    return gated_sub(entry["pattern"], entry["replace"])


def _fold_fullwidth(entry: dict) -> Callable[[str], str]:
    keep = set(entry.get("keep", ""))
    table = {
        cp: cp - _FULLWIDTH_OFFSET
        for cp in range(_FULLWIDTH_FIRST, _FULLWIDTH_LAST + 1)
        if chr(cp) not in keep
    }
    # Only the runs of foldable characters are translated: str.translate looks every
    # character of a mostly Chinese text up in the table, the regex skips them in C.
    runs = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(table)) + "]+")
    return lambda text: runs.sub(lambda run: run.group().translate(table), text)


def _opencc_t2s(entry: dict) -> Callable[[str], str]:
    converter = opencc.OpenCC("t2s")
    return lambda text: converter.convert(text) if text else text


def _nfc(entry: dict) -> Callable[[str], str]:
    return lambda text: unicodedata.normalize("NFC", text)


def _html_entities(entry: dict) -> Callable[[str], str]:
    """``&nbsp;`` / ``&#12288;`` → the character (``&amp;nbsp;`` too); never a line break."""
    pattern = re.compile(entry["pattern"])

    def one(match: re.Match[str]) -> str:
        char = html.unescape(match.group(0))
        return " " if line_count(char) > 1 or char == "\t" else char

    def fix(text: str) -> str:
        decoded = pattern.sub(one, text)
        while decoded != text:  # each round shortens the text, so this ends
            text, decoded = decoded, pattern.sub(one, decoded)
        return decoded

    return fix


def _chinese_dates(entry: dict) -> Callable[[str], str]:
    """``二〇二三年十二月三十一日`` → ``2023年12月31日`` (years of four numerals, months, days)."""
    digits: dict[str, int] = entry["digits"]
    year, month_day = re.compile(entry["year"]), re.compile(entry["month_day"])
    # text the lookbehind-free forms do not match holds no year or day to convert
    year_gate = compile_gate(entry["year"]) or year
    day_gate = compile_gate(entry["month_day"]) or month_day

    def number(text: str) -> str:
        if "十" not in text:
            return "".join(str(digits[c]) for c in text)
        tens, _, units = text.partition("十")
        return str((digits[tens] if tens else 1) * 10 + (digits[units] if units else 0))

    def fix(text: str) -> str:
        if year_gate.search(text):
            text = year.sub(lambda m: number(m.group(1)) + "年", text)
        if not day_gate.search(text):
            return text
        done = month_day.sub(lambda m: f"{number(m.group(1))}{m.group(2)}", text)
        while done != text:  # a day follows a month converted in the round before
            text, done = done, month_day.sub(lambda m: f"{number(m.group(1))}{m.group(2)}", done)
        return done

    return fix


_TRANSFORMS: dict[str, Callable[[dict], Callable[[str], str]]] = {
    "fold_fullwidth": _fold_fullwidth,
    "opencc_t2s": _opencc_t2s,
    "nfc": _nfc,
    "html_entities": _html_entities,
    "chinese_dates": _chinese_dates,
}


@cache
def _steps() -> tuple[_Step, ...]:
    """Build the steps from the rule file once; an unknown transform is a rule-file error."""
    steps = []
    for entry in load_rules("normalise")["steps"]:
        if "transform" in entry:
            build = _TRANSFORMS.get(entry["transform"])
            if build is None:
                raise ValueError(f"normalise.toml: unknown transform {entry['transform']!r}")
            steps.append(_Step(entry["name"], build(entry)))
        else:
            steps.append(_Step(entry["name"], _regex_step(entry)))
    return tuple(steps)


def step_names() -> list[str]:
    """The names of the normalisation steps, in the order they run."""
    return [step.name for step in _steps()]


def line_count(text: str) -> int:
    """Number of lines of ``text`` counting every kind of line break (CRLF once), plus one."""
    return len(_LINE_BREAK.findall(text)) + 1


def normalise(text: str) -> str:
    """Return ``text`` normalised, lines split by "\\n" only; keeps `line_count`; idempotent.

    The steps are applied in order, round and round, until each has met the text as it now
    stands and left it unchanged (at most `_MAX_PASSES` rounds). That is the same text as
    whole passes until one changes nothing, without the part of the last pass that can only
    confirm it: a second round stops at the last step that changed the first.
    """
    steps = _steps()
    unchanged = 0  # steps in a row that left the text as it was
    for index in range(_MAX_PASSES * len(steps)):
        result = steps[index % len(steps)].apply(text)
        if result == text:
            unchanged += 1
            if unchanged == len(steps):
                break
        else:
            text, unchanged = result, 0
    return text
