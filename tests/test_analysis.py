"""The Chinese analyser: bigrams, single characters, normalisation, queries, highlight spans."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from indexer.indexing.analysis import (
    BIGRAMS,
    CHARS,
    find_spans,
    holds,
    normalise,
    parse_query,
    spaced,
    squeeze,
    tokens,
)


def texts(text: str, mode: str = BIGRAMS) -> list[str]:
    return [t.text for t in tokens(text, mode)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("长胜乡", ["长胜", "胜乡"]),
        ("三 审 三 校", ["三审", "审三", "三校"]),  # spaces inside Chinese words are ignored
        ("乡", ["乡"]),  # a lone character is kept whole
        ("HTTP://WWW.Example.gov.cn", ["http", "www", "example", "gov", "cn"]),
        ("２０２３年度", ["2023", "年度"]),  # full-width digits
        ("長勝鄉", ["长胜", "胜乡"]),  # Traditional characters
        ("电话：0469-6101183", ["电话", "0469", "6101183"]),
        ("😀 (((", []),
    ],
    ids=["bigrams", "spaced", "lone", "ascii-words", "full-width", "traditional", "phone", "none"],
)
def test_bigram_tokens(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_chars_mode_gives_every_character() -> None:
    assert texts("长胜乡 2023年", CHARS) == ["长", "胜", "乡", "2023", "年"]


def test_offsets_point_into_the_original_text() -> None:
    text = "（長勝鄉） 三 审"
    for token in tokens(text):
        assert normalise(text[token.start : token.end]).replace(" ", "") == token.text


def test_punctuation_breaks_phrases() -> None:
    positions = [(t.text, t.pos) for t in tokens("微信，公众号")]
    assert positions == [("微信", 0), ("公众", 2), ("众号", 3)]


def test_query_syntax_is_plain_text() -> None:
    query = parse_query("AND OR (((")
    assert [term.groups for term in query.terms] == [(("and",),), (("or",),)]


@pytest.mark.parametrize("words", ["", "   ", "(((", "😀😀", "，。！"])
def test_query_with_nothing_searchable_is_refused(words: str) -> None:
    with pytest.raises(ValueError, match="nothing to search for"):
        parse_query(words)


def test_overlong_query_is_refused() -> None:
    with pytest.raises(ValueError, match="too long"):
        parse_query("乡" * 5000)


def test_lone_character_terms_use_single_characters() -> None:
    assert [t.mode for t in parse_query("乡 2023年 胜乡").terms] == [CHARS, CHARS, BIGRAMS]


@pytest.mark.parametrize(
    ("text", "words", "marked"),
    [
        ("通过微信公众号发布", "微信公众号", ["微信公众号"]),
        ("长胜乡人民政府", "胜乡", ["胜乡"]),
        ("落实“三 审 三 校”制度", "三审三校", ["三 审 三 校"]),
        ("东沟乡和长胜乡", "乡", ["乡", "乡"]),
        ("微信，公众号", "微信公众号", []),  # not a phrase across punctuation
        ("电话：0469-6101183。", "0469-6101183", ["0469-6101183"]),
        ("微信公众号", "微信公眾號", ["微信公众号"]),  # Traditional query, Simplified text
    ],
)
def test_find_spans_marks_what_matches(text: str, words: str, marked: list[str]) -> None:
    assert [text[s:e] for s, e in find_spans(text, parse_query(words))] == marked


@given(st.text(max_size=200))
def test_normalise_keeps_length_and_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert len(once) == len(text)
    assert normalise(once) == once


@given(st.text(max_size=200))
def test_tokens_are_well_formed(text: str) -> None:
    toks = list(tokens(text))
    assert all(0 <= t.start < t.end <= len(text) for t in toks)
    assert [t.pos for t in toks] == sorted({t.pos for t in toks})


@pytest.mark.parametrize(
    ("text", "words", "held"),
    [
        ("落实“三 审 三 校”制度", "三审三校", True),
        ("建设微信公众平台，群众号召", "微信公众号", False),  # every bigram, not the phrase
        ("電話 0469-6101183", "电话 0469-6101183", True),
        ("长胜乡", "长胜乡 升昌镇", False),  # every word must be there
    ],
)
def test_holds_checks_whole_phrases(text: str, words: str, held: bool) -> None:
    assert holds(squeeze(text), parse_query(words)) is held


def cuts_a_word(text: str, at: int) -> bool:
    """Whether position ``at`` falls inside a run of Latin letters or digits."""
    pair = text[at - 1 : at + 1] if 0 < at < len(text) else ""
    return len(pair) == 2 and pair.isascii() and pair.isalnum()


@given(st.text(alphabet="长胜乡人民政府镇三审校微信公众号，。、 -ab12", max_size=40), st.data())
def test_any_piece_of_a_text_is_found_in_it(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assume(not cuts_a_word(text, start) and not cuts_a_word(text, end))  # words are kept whole
    try:
        query = parse_query(text[start:end])
    except ValueError:
        return  # nothing searchable in the piece
    assert holds(squeeze(text), query)
    assert find_spans(text, query)


@pytest.mark.parametrize("repeat", [1, 3])
def test_normalise_converts_around_characters_it_must_leave(repeat: int) -> None:
    """A character whose conversion would change the length ("…" → "...") is kept as it is;
    the others of its stretch are still converted, the same on every call."""
    text = "臺灣省…ＡＢＣ１２３①號" * 10
    for _ in range(repeat):
        assert normalise(text) == "台湾省…abc1231号" * 10


def _spaced_from_tokens(text: str, mode: str, gap: str) -> str:
    """What `spaced` must give: `tokens` written out, ``gap`` at each skipped position."""
    out: list[str] = []
    expected = 0
    for token in tokens(text, mode):
        out.extend([gap] * (token.pos - expected))
        out.append(token.text)
        expected = token.pos + 1
    return " ".join(out)


@given(st.text(alphabet="长胜乡镇電話，。 \t　0123abcAB①…—-", max_size=80))
@pytest.mark.parametrize("mode", [BIGRAMS, CHARS])
def test_spaced_writes_out_the_tokens(mode: str, text: str) -> None:
    assert spaced(text, mode, "|") == _spaced_from_tokens(text, mode, "|")
