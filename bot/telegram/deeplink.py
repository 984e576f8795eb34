"""Deep links that ask a question: ``https://t.me/<bot>?start=<payload>``.

Telegram allows a start payload of at most 64 characters of ``A-Z a-z 0-9 _ -``. The payload
of a question is the base64url encoding (RFC 4648 §5, without ``=`` padding) of its UTF-8
bytes, so a question of up to 48 bytes fits: 16 Chinese characters, 48 ASCII ones.
``/start <payload>`` then answers the question; a payload that does not decode to readable
text gets the ordinary greeting.
"""

from __future__ import annotations

import base64
import binascii
import re

from telegram.helpers import create_deep_linked_url

MAX_PAYLOAD = 64  # Telegram's limit on a start parameter
_PAYLOAD = re.compile(r"[A-Za-z0-9_-]{1,64}")


def encode_question(question: str) -> str:
    """The start payload that asks ``question``; `ValueError` when it is too long to fit."""
    text = question.strip()
    payload = base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")
    if not text or len(payload) > MAX_PAYLOAD:
        raise ValueError(
            f"a deep-linked question must be 1 to 48 bytes of UTF-8, not {len(text.encode())}"
        )
    return payload


def decode_question(payload: str | None) -> str | None:
    """The question in a start payload, or None when it is not one (plain /start, junk)."""
    if not payload or not _PAYLOAD.fullmatch(payload) or len(payload) % 4 == 1:
        return None
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        text = raw.decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    if not text.strip() or not text.isprintable():
        return None
    return text.strip()


def question_link(bot_username: str, question: str) -> str:
    """A ``t.me`` link that opens a chat with the bot and asks ``question``."""
    return create_deep_linked_url(bot_username, encode_question(question))
