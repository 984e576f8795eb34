"""The Chinese analyser: text → character bigrams (or single characters), and queries built from it.

One analyser serves indexing, querying and highlighting, so what is found is exactly what is
marked. It knows nothing of any search engine; `indexer.indexing.store_whoosh` and
`indexer.indexing.store_tantivy` feed its tokens to their engines.

- Text is normalised one character at a time (NFKC, lowercase, Traditional → Simplified), so
  character offsets into the original text stay valid for highlighting.
- A run of CJK characters (spaces inside it ignored: ``三 审 三 校``) becomes overlapping
  bigrams (``BIGRAMS``) or single characters (``CHARS``); a run of one character is kept whole.
- A run of other letters and digits is one token, lowercased (``http``, ``2023``, ``0469``).
- Tokens that stand next to each other, or with only whitespace between them, have consecutive
  positions; punctuation leaves a gap, so a phrase never spans it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Any, NamedTuple

import opencc

BIGRAMS = "bigrams"
CHARS = "chars"

# A query longer than this is refused rather than turned into a huge phrase.
MAX_QUERY_CHARS = 1000

_CJK = (
    "\u3040-\u30ff"  # kana
    "\u3400-\u4dbf"  # extension A
    "\u4e00-\u9fff"  # unified ideographs
    "\uac00-\ud7af"  # hangul
    "\uf900-\ufaff"  # compatibility ideographs
    "\U00020000-\U0003134f"  # extensions B-H
)
_TOKEN_RE = re.compile(
    rf"(?P<cjk>[{_CJK}](?:[ \t\u3000\u00a0]*[{_CJK}])*)"
    rf"|(?P<word>(?:(?![{_CJK}])[^\W_])+)"
)
_CJK_CHAR_RE = re.compile(rf"[{_CJK}]")

_SPACE_RE = re.compile(r"\s+")
_JOIN_GAP = 1  # matches this close are marked as one

_T2S = opencc.OpenCC("t2s")


class Token(NamedTuple):
    """One analysed token: its text, position, and offsets ``[start, end)`` in the source."""

    text: str
    pos: int
    start: int
    end: int


MakeToken = Callable[[str, int, int, int], Any]


@dataclass(frozen=True)
class QueryTerm:
    """One whitespace-separated query word, analysed.

    ``groups`` are runs of tokens with consecutive positions: each must occur as a phrase in
    the ``mode`` field, and all groups of the term must occur in the same report.
    """

    mode: str
    groups: tuple[tuple[str, ...], ...]
    # Each group as normalised text without whitespace, for `holds`.
    phrases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Query:
    """A keyword query: every term must match (AND)."""

    terms: tuple[QueryTerm, ...]


_CHUNK = 64  # a text whose conversion changes its length is converted this much at a time


def _one_to_one(text: str, convert: Callable[[str], str], chars: dict[str, str]) -> str:
    """Apply ``convert`` to the whole text, or char by char where that would change its
    length (only in the chunks where it would: a long text keeps most of its speed).
    ``chars`` keeps what ``convert`` made of each character seen alone."""
    out = convert(text)
    if len(out) == len(text):
        return out
    if len(text) > _CHUNK:
        return "".join(
            _one_to_one(text[at : at + _CHUNK], convert, chars)
            for at in range(0, len(text), _CHUNK)
        )
    found = []
    for c in text:
        c2 = chars.get(c)
        if c2 is None:
            c2 = convert(c)
            c2 = chars[c] = c2 if len(c2) == 1 else c
        found.append(c2)
    return "".join(found)


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


# What each conversion makes of one character (a few thousand distinct ones in practice).
_NFKC_CHARS: dict[str, str] = {}
_LOWER_CHARS: dict[str, str] = {}
_T2S_CHARS: dict[str, str] = {}


def normalise(text: str) -> str:
    """Full-width → half-width, lowercase, Traditional → Simplified; never changes the length."""
    text = _one_to_one(text, _nfkc, _NFKC_CHARS)
    text = _one_to_one(text, str.lower, _LOWER_CHARS)
    if _CJK_CHAR_RE.search(text):
        text = _one_to_one(text, _T2S.convert, _T2S_CHARS)
    return text


def _run_tokens(run: str, offset: int, mode: str, pos: int, make: MakeToken) -> list[Any]:
    """Tokens of one CJK run starting at ``offset``, positions from ``pos``."""
    if " " in run or "\t" in run or "\u3000" in run or "\xa0" in run:
        chars = [(c, offset + i) for i, c in enumerate(run) if not c.isspace()]
    else:
        chars = list(zip(run, range(offset, offset + len(run)), strict=True))
    if mode == CHARS or len(chars) == 1:
        return [make(c, pos + n, at, at + 1) for n, (c, at) in enumerate(chars)]
    return [
        make(a + b, pos + n, start, last + 1)
        for n, ((a, start), (b, last)) in enumerate(pairwise(chars))
    ]


def tokens(text: str, mode: str = BIGRAMS, make: MakeToken = Token) -> list[Any]:
    """Analyse ``text`` into tokens (``mode`` is `BIGRAMS` or `CHARS`), each made by
    ``make(text, position, start, end)`` (a `Token` unless an engine wants its own kind)."""
    text = normalise(text)
    out: list[Any] = []
    pos = 0
    last_end = 0
    for match in _TOKEN_RE.finditer(text):
        start, end = match.span()
        if start > last_end and text[last_end:start].strip():
            pos += 1  # punctuation between tokens: a phrase must not span it
        last_end = end
        before = len(out)
        if match.lastgroup == "word":
            out.append(make(match.group(), pos, start, end))
        else:
            out.extend(_run_tokens(match.group(), start, mode, pos, make))
        pos += len(out) - before  # the tokens of a run or word have consecutive positions
    return out


def spaced(text: str, mode: str, gap: str) -> str:
    """The texts of `tokens` of ``text`` in one string, separated by spaces, with ``gap`` at
    each position left empty (punctuation): the same tokens at the same positions, made
    without a `Token` for each (what an engine that splits on spaces indexes)."""
    text = normalise(text)
    out: list[str] = []
    last_end = 0
    for match in _TOKEN_RE.finditer(text):
        start, end = match.span()
        if start > last_end and text[last_end:start].strip():
            out.append(gap)  # punctuation between tokens: a phrase must not span it
        last_end = end
        run = match.group()
        if match.lastgroup == "word":
            out.append(run)
            continue
        if " " in run or "\t" in run or "\u3000" in run or "\xa0" in run:
            run = "".join(c for c in run if not c.isspace())
        if mode == CHARS or len(run) == 1:
            out.extend(run)
        else:
            out.extend(map(str.__add__, run, run[1:]))
    return " ".join(out)


def _groups(toks: list[Token]) -> list[list[Token]]:
    """Split tokens into runs of consecutive positions."""
    groups: list[list[Token]] = []
    for i, token in enumerate(toks):
        if i == 0 or token.pos != toks[i - 1].pos + 1:
            groups.append([])
        groups[-1].append(token)
    return groups


@lru_cache(maxsize=2048)  # a hit's sections are looked in once per query word and per page
def squeeze(text: str) -> str:
    """``text`` normalised, with all whitespace removed: what `holds` looks in."""
    return _SPACE_RE.sub("", normalise(text))


def holds(squeezed: str, query: Query) -> bool:
    """Whether a text (given `squeeze`d) holds every phrase of every query term."""
    return all(phrase in squeezed for term in query.terms for phrase in term.phrases)


def _term(word: str) -> QueryTerm | None:
    mode = _term_mode(word)
    groups = _groups(tokens(word, mode))
    if not groups:
        return None
    texts = tuple(tuple(t.text for t in g) for g in groups)
    phrases = tuple(squeeze(word[g[0].start : g[-1].end]) for g in groups)
    return QueryTerm(mode, texts, phrases)


def _term_mode(term: str) -> str:
    """`CHARS` when the term holds a lone CJK character (``乡``, ``2023年``), else `BIGRAMS`."""
    lone = any(len(t.text) == 1 and _CJK_CHAR_RE.match(t.text) for t in tokens(term, BIGRAMS))
    return CHARS if lone else BIGRAMS


def parse_query(words: str) -> Query:
    """Analyse user words into a `Query`; no syntax is interpreted (``AND OR (((`` is text).

    Raises ValueError with a plain message when nothing in ``words`` can be searched for.
    """
    if len(words) > MAX_QUERY_CHARS:
        raise ValueError(f"the query is too long (more than {MAX_QUERY_CHARS} characters)")
    terms: list[QueryTerm] = []
    for word in words.split():
        term = _term(word)
        if term is not None and term not in terms:
            terms.append(term)
    if not terms:
        raise ValueError("nothing to search for: give some Chinese characters, letters or digits")
    return Query(tuple(terms))


@lru_cache(maxsize=256)
def _tokens_cached(text: str, mode: str) -> tuple[tuple[Token, ...], dict[str, list[int]]]:
    """The tokens of ``text``, and where each token text occurs among them."""
    toks = tuple(tokens(text, mode))
    where: dict[str, list[int]] = {}
    for i, token in enumerate(toks):
        where.setdefault(token.text, []).append(i)
    return toks, where


def _group_spans(
    indexed: tuple[tuple[Token, ...], dict[str, list[int]]], group: tuple[str, ...]
) -> Iterator[tuple[int, int]]:
    """Character spans where ``group`` occurs as a phrase in the tokens."""
    toks, where = indexed
    size = len(group)
    for i in where.get(group[0], ()):
        window = toks[i : i + size]
        if len(window) == size and all(
            t.text == g and t.pos == window[0].pos + k
            for k, (t, g) in enumerate(zip(window, group, strict=True))
        ):
            yield window[0].start, window[-1].end


def _joins(text: str, end: int, start: int) -> bool:
    """Whether a span starting at ``start`` continues one ending at ``end`` (overlap, or a
    short gap of punctuation such as the dash in ``0469-6101183``)."""
    return start <= end or (start - end <= _JOIN_GAP and "\n" not in text[end:start])


def find_spans(text: str, query: Query) -> list[tuple[int, int]]:
    """Sorted, merged character spans ``[start, end)`` of ``text`` that match any query term."""
    squeezed = squeeze(text)  # a group can occur only where its phrase does: most sections
    wanted = [  # of a hit hold none, and are not tokenised at all
        (term.mode, group)
        for term in query.terms
        for group, phrase in zip(term.groups, term.phrases or term.groups, strict=False)
        if not term.phrases or phrase in squeezed
    ]
    spans = sorted(
        span for mode, group in wanted for span in _group_spans(_tokens_cached(text, mode), group)
    )
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and _joins(text, merged[-1][1], start):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
