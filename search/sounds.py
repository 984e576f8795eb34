"""Words typed by sound: an input method's wrong characters for a word of the rule data.

"升昌镇邮遍" means 邮编 (both youbian), "幸福乡地只" means 地址. Many ordinary words also
sound like a rule word (右边 is youbian too), so this reading is a last resort: the engine
tries it only when a question found nothing read as it was typed.
"""

from __future__ import annotations

from collections.abc import Iterable

from search.text import has_cjk, normalise, pinyin_keys

_MIN, _MAX = 2, 6  # word lengths (characters) that are matched by sound


class SoundAlikes:
    """The Chinese words of the rule data, found again by their toneless pinyin."""

    def __init__(self, words: Iterable[str]) -> None:
        """Index ``words`` (Chinese words of two to six characters) by every pinyin reading."""
        self._by_sound: dict[str, str] = {}
        for word in sorted(set(words), key=len, reverse=True):
            if _MIN <= len(word) <= _MAX and has_cjk(word):
                for key in pinyin_keys(word):
                    self._by_sound.setdefault(key, word)

    def respell(self, text: str, known: Iterable[str]) -> str:
        """``text`` with each stretch that sounds like a rule word (and is not one) replaced.

        ``known`` are phrases already understood (names, rule words): they are left alone.
        """
        text = normalise(text)
        keep = [(s, s + len(p)) for p in known for s in _starts(text, p)]
        out, at = [], 0
        while at < len(text):
            word, size = self._match(text, at, keep)
            out.append(word if word else text[at])
            at += size if word else 1
        return "".join(out)

    def _match(self, text: str, at: int, keep: list[tuple[int, int]]) -> tuple[str | None, int]:
        for size in range(min(_MAX, len(text) - at), _MIN - 1, -1):
            piece = text[at : at + size]
            if any(s < at + size and at < e for s, e in keep) or not has_cjk(piece):
                continue
            for key in pinyin_keys(piece):
                word = self._by_sound.get(key)
                if word is not None and word != piece:
                    return word, size
        return None, 0


def _starts(text: str, phrase: str) -> list[int]:
    found, at = [], text.find(phrase)
    while phrase and at != -1:
        found.append(at)
        at = text.find(phrase, at + 1)
    return found
