"""Telegram's rules the fake Bot API enforces: its HTML, its limits, its entities."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
_ALLOWED_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
    "tg-spoiler", "span", "blockquote", "tg-emoji",
}  # fmt: skip

_BARE_LT = re.compile(r"<(?!/?[a-zA-Z][a-zA-Z-]*(?:\s[^<>]*)?>)")


class _TelegramHTML(HTMLParser):
    """Parses Telegram HTML like Telegram does: known tags, balanced; counts visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.stack: list[str] = []
        self.error: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _ALLOWED_TAGS:
            self.error = f'Unsupported start tag "{tag}"'
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.error = f'Unmatched end tag "{tag}"'

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_html(text: str) -> tuple[str, str | None]:
    """The visible text of Telegram HTML, and a parse error like Telegram's (or None)."""
    parser = _TelegramHTML()
    parser.feed(text)
    parser.close()
    error = parser.error or (f'Unclosed tag "{parser.stack[-1]}"' if parser.stack else None)
    if error is None and (_BARE_LT.search(text) or _bare_ampersand(text)):
        error = "Unexpected character"
    return "".join(parser.text), error


def _bare_ampersand(text: str) -> bool:
    """An ``&`` that does not start an entity: Telegram refuses it."""
    return re.search(r"&(?!(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);)", text) is not None


class Refusal(Exception):
    """A request Telegram would refuse with 400 and this description."""

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


def check_text(params: dict) -> str:
    """The visible text of a message, refused the way Telegram refuses it."""
    text = params.get("text") or params.get("message_text") or ""
    if params.get("parse_mode") == "HTML":
        text, error = parse_html(text)
        if error:
            raise Refusal(f"Bad Request: can't parse entities: {error}")
    if not text.strip():
        raise Refusal("Bad Request: message text is empty")
    if len(text) > MAX_TEXT:
        raise Refusal("Bad Request: message is too long")
    return text


def check_markup(params: dict) -> None:
    for row in (params.get("reply_markup") or {}).get("inline_keyboard", []):
        for button in row:
            if len(button.get("callback_data", "").encode()) > MAX_CALLBACK_DATA:
                raise Refusal("Bad Request: BUTTON_DATA_INVALID")


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, as Telegram counts entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def text_entities(text: str) -> list[dict[str, Any]]:
    """``bot_command`` and ``mention`` entities for a message text, as Telegram sets them."""
    entities = []
    for match in re.finditer(
        r"(?<!\S)(/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?)|(@[A-Za-z0-9_]{5,})", text
    ):
        kind = "bot_command" if match.group(1) else "mention"
        if kind == "bot_command" and match.start() != 0:
            continue
        entities.append(
            {
                "type": kind,
                "offset": utf16_len(text[: match.start()]),
                "length": utf16_len(match.group(0)),
            }
        )
    return entities
