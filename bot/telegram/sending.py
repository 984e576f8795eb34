"""One send queue per chat, and what the bot last sent where.

Telegram's flood control is per chat: a 429 with ``retry_after`` for a busy group must not
hold up answers elsewhere. Handlers therefore never wait for a send; they queue it for its
chat and return, so the next update is handled at once. Each chat's queue is worked by its
own task, in order (a chat sees its replies in the order its messages came), and one chat
waiting out ``retry_after`` waits alone (`limits.RetryAfterLimiter` pauses that chat only).

The outbox also remembers, per chat, the bot's last message and which message answered which
question, so that an edited question can have its answer edited in place.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

logger = logging.getLogger(__name__)
Job = Callable[[], Awaitable[None]]
Failure = Callable[[Exception], Awaitable[None]]


@dataclass(frozen=True)
class _Queued:
    run: Job
    on_failure: Failure | None


class Outbox:
    """Per-chat send queues, and a bounded memory of what the bot sent in each chat."""

    def __init__(self, memory: int = 5000) -> None:
        """Remember the answers to at most ``memory`` questions (oldest forgotten first)."""
        self._queues: dict[int, deque[_Queued]] = {}
        self._workers: dict[int, asyncio.Task[None]] = {}
        self._memory = memory
        self._last: OrderedDict[int, int] = OrderedDict()  # chat → the bot's last message
        self._answers: OrderedDict[tuple[int, int], int] = OrderedDict()  # question → answer

    def submit(self, chat_id: int, run: Job, on_failure: Failure | None = None) -> None:
        """Queue ``run`` for ``chat_id``; if it raises, the failure is logged and ``on_failure``
        (telling the user, say) runs in its place, in the same queue."""
        self._queues.setdefault(chat_id, deque()).append(_Queued(run, on_failure))
        if chat_id not in self._workers:
            self._workers[chat_id] = asyncio.create_task(
                self._work(chat_id), name=f"gongkai:send:{chat_id}"
            )

    async def _work(self, chat_id: int) -> None:
        queue = self._queues[chat_id]
        try:
            while queue:
                await _run(chat_id, queue.popleft())
        finally:
            del self._workers[chat_id]
            if not queue:
                del self._queues[chat_id]

    async def drain(self, timeout: float = 5.0) -> None:
        """Wait (bounded) until every queued send has been made; cancel what is left."""
        workers = list(self._workers.values())
        if not workers:
            return
        _, late = await asyncio.wait(workers, timeout=timeout)
        for task in late:
            task.cancel()
        for task in late:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if late:
            logger.warning("stopped with sends still queued for %d chat(s)", len(late))

    def sent(self, chat_id: int, message_id: int, question_id: int | None = None) -> None:
        """Note that the bot sent ``message_id`` to ``chat_id`` (answering ``question_id``)."""
        _put(self._last, chat_id, message_id, self._memory)
        if question_id is not None:
            _put(self._answers, (chat_id, question_id), message_id, self._memory)

    def answer_in_place(self, chat_id: int, question_id: int) -> int | None:
        """The bot's answer to the question, if it is still the bot's last message in the chat
        (so that editing it changes what people see last, not something far up)."""
        answer = self._answers.get((chat_id, question_id))
        if answer is not None and self._last.get(chat_id) == answer:
            return answer
        return None


async def _run(chat_id: int, queued: _Queued) -> None:
    """Run one queued send; a failure is logged with its traceback and reported."""
    try:
        await queued.run()
    except Exception as exc:
        logger.error("sending to chat %s failed", chat_id, exc_info=exc)
        if queued.on_failure is None:
            return
        try:
            await queued.on_failure(exc)
        except Exception as again:  # the API is down: the log has it, the user cannot be told
            logger.warning("could not tell chat %s about the failure: %s", chat_id, again)


def _put(items: OrderedDict, key: object, value: int, capacity: int) -> None:
    items[key] = value
    items.move_to_end(key)
    while len(items) > capacity:
        items.popitem(last=False)
