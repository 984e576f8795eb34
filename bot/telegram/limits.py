"""Who may use the bot and how fast: allowlist, per-user rate limit, Telegram's RetryAfter.

Also the retry of a send that failed on the way (HTTP 5xx, time-out): Telegram's own flood
control (429 + retry_after, per chat) is honoured by `RetryAfterLimiter`, which PTB runs every
request except getUpdates through; `deliver` retries the transient network failures around one
send; `is_transient` tells a passing failure of the Bot API from one worth a traceback.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
import warnings
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from typing import Any, TypeVar

from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter
from telegram.ext import BaseRateLimiter

logger = logging.getLogger(__name__)
T = TypeVar("T")


class Allowlist:
    """The chats allowed to use the bot; an empty list lets every chat in."""

    def __init__(self, chat_ids: Iterable[int]) -> None:
        """Allow exactly ``chat_ids`` (or everyone when there are none)."""
        self._ids = frozenset(chat_ids)

    def allows(self, chat_id: int | None) -> bool:
        """Whether the chat (or, for inline queries, the user) may use the bot."""
        return not self._ids or (chat_id is not None and chat_id in self._ids)


class UserRateLimit:
    """At most ``per_minute`` questions per user in any sliding minute."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        """Limit each user to ``per_minute`` questions a minute."""
        self._limit = per_minute
        self._clock = clock
        self._seen: dict[int, deque[float]] = {}
        self._warned: dict[int, float] = {}

    def check(self, user_id: int) -> str:
        """``"ok"`` to answer, ``"warn"`` to say politely to wait, ``"drop"`` to stay silent."""
        now = self._clock()
        seen = self._seen.setdefault(user_id, deque())
        while seen and now - seen[0] >= 60.0:
            seen.popleft()
        if len(seen) < self._limit:
            seen.append(now)
            return "ok"
        if now - self._warned.get(user_id, -1e9) >= 60.0:
            self._warned[user_id] = now  # one polite reply a minute, not one per message
            return "warn"
        return "drop"


class RetryAfterLimiter(BaseRateLimiter[None]):
    """Honours Telegram's 429 ``retry_after`` for the chat it came from, then tries again.

    Flood control is per chat, so only requests to that chat wait; requests without a chat
    (button and inline answers) share one pause of their own.
    """

    def __init__(self, max_retries: int = 3) -> None:
        """Retry a request at most ``max_retries`` times after a RetryAfter."""
        self._max_retries = max_retries
        self._resume_at: dict[object, float] = {}

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Send the request, waiting out any pause Telegram asked for in its chat."""
        chat = str(data.get("chat_id", ""))  # PTB may give an int or a str; one key for both
        attempt = 0
        while True:
            delay = self._resume_at.get(chat, 0.0) - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt >= self._max_retries:
                    raise
                attempt += 1
                seconds = _retry_after_seconds(exc)
                where = f"chat {chat}" if chat else "no chat"
                logger.warning(
                    "%s (%s): flood control, retrying in %.1f s", endpoint, where, seconds
                )
                resume = time.monotonic() + seconds
                self._resume_at[chat] = max(self._resume_at.get(chat, 0.0), resume)


def _retry_after_seconds(exc: RetryAfter) -> float:
    """The pause Telegram asked for, in seconds (PTB gives an int or a timedelta)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PTB's int→timedelta migration warning
        value = exc.retry_after
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    return float(value)


async def deliver(send: Callable[[], Awaitable[T]], attempts: int = 4, backoff: float = 0.25) -> T:
    """Run one send, retrying network failures (5xx, time-outs) a few times with backoff.

    Refusals (bad request, forbidden, bad token) are not retried: they would fail again.
    """
    for attempt in range(1, attempts + 1):
        try:
            return await send()
        except (BadRequest, Forbidden, InvalidToken):
            raise
        except NetworkError as exc:
            if attempt == attempts:
                raise
            logger.warning("send failed (%s), attempt %d of %d", exc, attempt, attempts)
            await asyncio.sleep(backoff * 2 ** (attempt - 1))
    raise AssertionError("unreachable")  # pragma: no cover


def is_transient(error: BaseException | None) -> bool:
    """Whether ``error`` is a passing failure of the Bot API (network, time-out, 5xx, 429)
    rather than a refusal or a bug."""
    if isinstance(error, BadRequest | Forbidden | InvalidToken):
        return False
    return isinstance(error, NetworkError | RetryAfter)
