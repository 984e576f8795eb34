"""Answer buttons: pages, the rest of a long answer, and the page counter (≤ 64 bytes each).

Callback data is ``p:<kind>:<key>:<page>`` for another page, ``m:<kind>:<key>:<page>:<part>``
for the next part of a page too long for one message, and ``n`` for the page counter, which
does nothing. ``key`` is a short hash of the question, kept in a bounded LRU in the bot's
memory. After a restart (or eviction) a page or part button says the result has expired
instead of guessing; the counter needs no memory at all.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.telegram import texts
from search import Answer

MAX_CALLBACK_BYTES = 64
KINDS = ("a", "s", "c")  # a: /ask and plain questions, s: /search, c: /contact
NOTHING = "n"  # the page counter's data: pressing it changes nothing
_PAGE, _MORE = "p", "m"
_MAX_NUMBER = 9999


@dataclass(frozen=True)
class PageRequest:
    """A button press decoded: which question, which way of asking it, which page and part."""

    kind: str
    key: str
    page: int
    part: int = 1  # 1: the page itself; 2 and on: the rest of a page cut for length

    @property
    def wants_rest(self) -> bool:
        """Whether the press asks for the rest of a long page rather than another page."""
        return self.part > 1


class QuestionStore:
    """The questions behind the answer buttons, least recently used dropped first."""

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


def encode(kind: str, key: str, page: int, part: int = 1) -> str:
    """Callback data for a page button (``part`` 1) or a rest-of-the-answer button."""
    data = f"{_PAGE}:{kind}:{key}:{page}" if part == 1 else f"{_MORE}:{kind}:{key}:{page}:{part}"
    if len(data.encode()) > MAX_CALLBACK_BYTES:  # pragma: no cover - keys are fixed-size
        raise ValueError("callback data too long")
    return data


def decode(data: str | None) -> PageRequest | None:
    """The request in ``data``, or None when it is not one of ours or malformed."""
    parts = (data or "").split(":")
    shapes = {_PAGE: 4, _MORE: 5}
    if shapes.get(parts[0]) != len(parts) or parts[1] not in KINDS:
        return None
    numbers = parts[3:]
    if not all(n.isdigit() and 1 <= int(n) <= _MAX_NUMBER for n in numbers):
        return None
    part = int(numbers[1]) if parts[0] == _MORE else 1
    if parts[0] == _MORE and part < 2:
        return None
    return PageRequest(kind=parts[1], key=parts[2], page=int(numbers[0]), part=part)


def page_count(answer: Answer) -> int:
    """How many pages the answer's results fill."""
    size = max(answer.page_size, 1)
    return max(1, -(-answer.total // size))


def keyboard(
    answer: Answer, kind: str, key: str, part: int = 1, parts: int = 1
) -> InlineKeyboardMarkup | None:
    """The buttons under the message showing ``part`` of ``parts`` of one page of ``answer``.

    The first part carries previous/next page buttons when there are several pages; every part
    but the last carries a button for the rest. None when there is nothing to press.
    """
    rows: list[list[InlineKeyboardButton]] = []
    if part == 1 and page_count(answer) > 1:
        rows.append(_page_row(answer, kind, key))
    if part < parts:
        label = texts.REST_OF_ANSWER.format(part=part + 1, parts=parts)
        rows.append(
            [InlineKeyboardButton(label, callback_data=encode(kind, key, answer.page, part + 1))]
        )
    return InlineKeyboardMarkup(rows) if rows else None


def _page_row(answer: Answer, kind: str, key: str) -> list[InlineKeyboardButton]:
    """‹ previous · page n/m · next ›; the counter in the middle does nothing."""
    pages = page_count(answer)
    row: list[InlineKeyboardButton] = []
    if answer.page > 1:
        previous = encode(kind, key, answer.page - 1)
        row.append(InlineKeyboardButton(texts.PREVIOUS_PAGE, callback_data=previous))
    label = texts.PAGE_LABEL.format(page=answer.page, pages=pages)
    row.append(InlineKeyboardButton(label, callback_data=NOTHING))
    if answer.page < pages:
        following = encode(kind, key, answer.page + 1)
        row.append(InlineKeyboardButton(texts.NEXT_PAGE, callback_data=following))
    return row
