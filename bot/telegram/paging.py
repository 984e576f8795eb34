"""Paging buttons: short callback data (≤ 64 bytes) pointing at a remembered question.

Callback data is ``p:<kind>:<key>:<page>``; ``key`` is a short hash of the question, kept
in a bounded LRU in the bot's memory. After a restart (or eviction) a button says the result
has expired instead of guessing.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.telegram import texts
from search import Answer

MAX_CALLBACK_BYTES = 64
KINDS = ("a", "s")  # a: /ask and plain questions, s: /search
_PREFIX = "p"
_MAX_PAGE = 9999


@dataclass(frozen=True)
class PageRequest:
    """A button press decoded: which question, which way of asking it, which page."""

    kind: str
    key: str
    page: int


class QuestionStore:
    """The questions behind the paging buttons, least recently used dropped first."""

    def __init__(self, capacity: int = 2000) -> None:
        """Remember at most ``capacity`` questions."""
        self._capacity = capacity
        self._items: OrderedDict[str, str] = OrderedDict()

    def remember(self, kind: str, question: str) -> str:
        """Store the question and return its short key."""
        key = hashlib.blake2s(f"{kind}\0{question}".encode(), digest_size=6).hexdigest()
        self._items[key] = question
        self._items.move_to_end(key)
        while len(self._items) > self._capacity:
            self._items.popitem(last=False)
        return key

    def recall(self, key: str) -> str | None:
        """The question for ``key``, or None when it is no longer remembered."""
        question = self._items.get(key)
        if question is not None:
            self._items.move_to_end(key)
        return question


def encode(kind: str, key: str, page: int) -> str:
    """Callback data for one page button."""
    data = f"{_PREFIX}:{kind}:{key}:{page}"
    if len(data.encode()) > MAX_CALLBACK_BYTES:  # pragma: no cover - keys are fixed-size
        raise ValueError("callback data too long")
    return data


def decode(data: str | None) -> PageRequest | None:
    """The page request in ``data``, or None when it is not one of ours or malformed."""
    parts = (data or "").split(":")
    if len(parts) != 4 or parts[0] != _PREFIX or parts[1] not in KINDS:
        return None
    if not parts[3].isdigit() or not 1 <= int(parts[3]) <= _MAX_PAGE:
        return None
    return PageRequest(kind=parts[1], key=parts[2], page=int(parts[3]))


def page_count(answer: Answer) -> int:
    """How many pages the answer's results fill."""
    size = max(answer.page_size, 1)
    return max(1, -(-answer.total // size))


def keyboard(answer: Answer, kind: str, key: str) -> InlineKeyboardMarkup | None:
    """Previous/next buttons for a paged answer, or None when it fits on one page."""
    pages = page_count(answer)
    if pages <= 1:
        return None
    row: list[InlineKeyboardButton] = []
    if answer.page > 1:
        row.append(
            InlineKeyboardButton(
                texts.PREVIOUS_PAGE, callback_data=encode(kind, key, answer.page - 1)
            )
        )
    label = texts.PAGE_LABEL.format(page=answer.page, pages=pages)
    row.append(InlineKeyboardButton(label, callback_data=encode(kind, key, answer.page)))
    if answer.page < pages:
        row.append(
            InlineKeyboardButton(texts.NEXT_PAGE, callback_data=encode(kind, key, answer.page + 1))
        )
    return InlineKeyboardMarkup([row])
