"""Text helpers shared by question understanding and name matching: one normal form, pinyin."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache

import opencc

_SPACES = re.compile(r"\s+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Spaces between two CJK characters carry no meaning ("2023 年", "长 胜 乡").
_CJK_GAP = re.compile(
    r"(?<=[\u3400-\u9fff]) +(?=[\u3400-\u9fff\d])|(?<=[\u3400-\u9fff\d]) +(?=[\u3400-\u9fff])"
)
_MAX_READINGS = 16


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """One normal form for questions and names: NFKC, Simplified, lower case, single spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = _t2s().convert(text).lower()
    text = _SPACES.sub(" ", text).strip()
    return _CJK_GAP.sub("", text)


def normalise_many(texts: Iterable[str]) -> dict[str, str]:
    """`normalise` of each distinct text, with one conversion call for them all (thousands of
    names at start-up); a text holding a line break is done on its own."""
    distinct = list(dict.fromkeys(texts))
    plain = [t for t in distinct if "\n" not in t and "\r" not in t]
    out = {t: normalise(t) for t in distinct if "\n" in t or "\r" in t}
    if plain:
        joined = _t2s().convert(unicodedata.normalize("NFKC", "\n".join(plain))).lower()
        parts = joined.split("\n")
        if len(parts) != len(plain):  # a conversion that made or ate a line break
            return {**out, **{t: normalise(t) for t in plain}}
        for text, part in zip(plain, parts, strict=True):
            out[text] = _CJK_GAP.sub("", _SPACES.sub(" ", part).strip())
    return out


def simplify(text: str) -> str:
    """NFKC and Simplified characters, spaces kept: the form keyword text is searched in."""
    return _SPACES.sub(" ", _t2s().convert(unicodedata.normalize("NFKC", text))).strip()


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds any Chinese character."""
    return _CJK.search(text) is not None


@cache
def readings(char: str) -> tuple[str, ...]:
    """Toneless pinyin readings of one character (all of them, for 长 chang/zhang)."""
    from pypinyin import Style, pinyin  # its dictionaries load in about a second: when needed

    found = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
    return tuple(dict.fromkeys(found[0])) if found and found[0] else ()


@cache
def pinyin_keys(word: str) -> frozenset[str]:
    """Toneless pinyin spellings of a Chinese word, one per combination of readings."""
    options = [readings(ch) for ch in word if _CJK.match(ch)]
    if not options or any(not o for o in options):
        return frozenset()
    keys: set[str] = set()
    for combo in itertools.islice(itertools.product(*options), _MAX_READINGS):
        keys.add("".join(combo))
    # The most common reading first in each position is always present; add it explicitly
    # in case the cap cut it off.
    keys.add("".join(o[0] for o in options))
    return frozenset(keys)


def primary_pinyin(word: str) -> str:
    """The usual toneless pinyin of a word, capitalised (幸福 → Xingfu), for display."""
    from pypinyin import Style, pinyin

    spelled = pinyin(word, style=Style.NORMAL, errors="ignore")
    return "".join(p[0] for p in spelled if p).capitalize()
