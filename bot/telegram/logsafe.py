"""Keep the bot token out of every log line.

The token is part of every Bot API URL, and PTB's ``repr(bot)`` shows it, so hiding it in
one logger is not enough: every log record made in the process is scrubbed as it is made
(message, arguments and traceback), and httpx's per-request lines are turned off.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

REDACTED = "[bot token]"
_QUIET = ("httpx", "httpcore")  # they log each request URL at INFO / DEBUG


def protect_token(token: str) -> None:
    """Scrub ``token`` from every log record from now on (idempotent)."""
    for name in _QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
    if not token:
        return
    factory = logging.getLogRecordFactory()
    tokens: set[str] | None = getattr(factory, "gongkai_tokens", None)
    if tokens is not None:
        tokens.add(token)
        return
    tokens = {token}

    def scrubbing_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return _scrub(factory(*args, **kwargs), tokens)

    scrubbing_factory.gongkai_tokens = tokens  # type: ignore[attr-defined]
    logging.setLogRecordFactory(scrubbing_factory)


def redact(text: str, tokens: set[str]) -> str:
    """``text`` with every token replaced."""
    for token in tokens:
        text = text.replace(token, REDACTED)
    return text


def _scrub(record: logging.LogRecord, tokens: set[str]) -> logging.LogRecord:
    """Rewrite the record's message and traceback text if they contain a token."""
    try:
        message = record.getMessage()
    except Exception:  # a malformed log call: leave it to logging to report
        return record
    if any(token in message for token in tokens):
        record.msg, record.args = redact(message, tokens), None
    if record.exc_info and record.exc_info[1] is not None:
        text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        if any(token in text for token in tokens):
            record.exc_text = redact(text, tokens)
    return record
