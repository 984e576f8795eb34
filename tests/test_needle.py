"""Quick text checks before a regex scan: they must never skip text the pattern matches."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.parsing.needle import indices_holding, lines_holding, required_run, required_runs
from indexer.rules import load_rules

_CONTACT = load_rules("narrative")["contact"]
PATTERNS = [
    _CONTACT["email"],
    _CONTACT["website"],
    _CONTACT["labelled_website"],
    _CONTACT["phone"],
    *(pattern for pattern, _ in _CONTACT["rewrites"]),
    r"(?:联系电话|电话|传真)\s*[:：]",
    r"x(?:ab|cd)y|zz",
]
# Characters the patterns above are made of, so that random texts often match them.
_ALPHABET = [*"wht.ps:/@ab-cdxyz0123456789()—、 电话传真联系：:转", "www.", "http://", "(传真)"]
_ALPHABET += ["0451-1234567", "0451-12345678", "1234567", "13912345678", "a@b.cn"]
_TEXTS = st.lists(st.sampled_from(_ALPHABET), max_size=30).map("".join)


@pytest.mark.parametrize(
    ("pattern", "runs"),
    [
        (r"(?:https?://|www\.)[a-z.]+", {"http", "www."}),
        (r"[a-z]+@[a-z]+", {"@"}),
        (r"(?P<kind>电话|传真)号码", {"号码"}),
        (r"电话|传真", {"电话", "传真"}),
        (r"[0-9]+", set()),
        (r"(?i)www\.|http", set()),  # case is ignored: no literal text is required
        (r"abc|[0-9]+", set()),  # one alternative holds no literal text
        (r"(?:ab|cd)?x", {"x"}),
    ],
)
def test_required_runs_names_what_every_match_holds(pattern: str, runs: set[str]) -> None:
    assert required_runs(pattern) == runs


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(PATTERNS), _TEXTS)
def test_text_without_the_runs_holds_no_match(pattern: str, text: str) -> None:
    runs = required_runs(pattern)
    if re.search(pattern, text):
        assert not runs or any(run in text for run in runs)
        assert required_run(pattern) in text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PATTERNS), min_size=1, max_size=3), st.lists(_TEXTS, max_size=8))
def test_lines_holding_keeps_every_line_a_pattern_matches(
    patterns: list[str], texts: list[str]
) -> None:
    lines = [(number, text) for number, text in enumerate(texts, start=1)]
    kept = list(lines_holding(tuple(patterns), lines))
    assert kept == [line for line in lines if line in kept]  # in order, each once
    assert [line for line in lines if any(re.search(p, line[1]) for p in patterns)] == [
        line for line in kept if any(re.search(p, line[1]) for p in patterns)
    ]


def test_lines_holding_passes_over_lines_without_the_runs() -> None:
    lines = [(1, "本年度收到申请2件"), (2, "无"), (3, "电话:0451-1234567"), (4, "申请")]
    assert lines_holding((r"收到申请(?P<n>\d+)件", r"电话[:：]"), lines) == [lines[0], lines[2]]
    assert lines_holding((r"\d+",), lines) == lines  # no literal text to look for


def test_indices_holding_reads_every_text_when_one_holds_a_line_break() -> None:
    assert indices_holding(("电话",), ["a", "电话", "b"]) == [1]
    assert indices_holding(("电话",), ["a\nb", "电话"]) is None
