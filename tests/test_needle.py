"""Quick text checks before a regex scan: they must never skip text the pattern matches."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.parsing.needle import required_run, required_runs
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
