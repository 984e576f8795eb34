"""A fake Telegram Bot API server on loopback (aiohttp), for running the real PTB against.

It answers the methods the bot uses, keeps every call, lets a test inject updates (messages,
edits, replies, button presses, inline queries) and wait for the bot's calls, and can be told
to fail calls: 429 with retry_after, 500, or a stall (the request is held past the client's
time-out and then dropped, as a lost request), for every chat or for one; and to put one chat
under flood control for a while, as Telegram does to a busy group. Like Telegram, it refuses
HTML it cannot parse, texts over 4096 characters, callback data over 64 bytes, two inline
results with the same id, and a button press answered twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.telegram_rules import Refusal, check_markup, check_text, text_entities

TOKEN = "123456789:AAF4ke-T0ken-for-tests_only-0000000"
BOT_ID = 123456789
BOT_USERNAME = "gongkai_test_bot"
_STRING_PARAMS = {
    "text", "parse_mode", "url", "secret_token", "inline_query_id", "callback_query_id",
    "next_offset", "inline_message_id", "language_code",
}  # fmt: skip


@dataclass
class Call:
    """One request the bot made: the method, its decoded parameters, and what became of it."""

    method: str
    params: dict[str, Any]
    outcome: str = "ok"  # ok | error (a 4xx refusal) | 429 | 500 | stalled
    seq: int = -1  # position in FakeTelegram.calls
    at: float = field(default_factory=time.perf_counter)


@dataclass
class Fault:
    """Fail the next ``times`` calls of ``method`` the way ``kind`` says."""

    method: str
    kind: str  # "429" | "500" | "stall"
    times: int = 1
    retry_after: int = 1
    stall: float = 3.0
    chat_id: int | None = None  # only calls to this chat (None: any call)

    def applies(self, call: Call) -> bool:
        """Whether this fault takes ``call``."""
        if self.method != call.method or self.times <= 0:
            return False
        return self.chat_id is None or call.params.get("chat_id") == self.chat_id


class FakeTelegram:
    """The fake Bot API: start it, point PTB at ``base_url``, inject updates, await calls."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.faults: list[Fault] = []
        self.chats: dict[int, dict[str, Any]] = {}
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.floods: dict[int, float] = {}  # chat → seconds of flood control it will get
        self._flooded_until: dict[int, float] = {}
        self._answered: set[str] = set()  # callback queries answered
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- server ---------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """What to give PTB as ``base_url`` (the token is appended to it)."""
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self) -> FakeTelegram:
        """Listen on a free loopback port."""
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def close(self) -> None:
        """Stop listening."""
        if self._runner is not None:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return _refuse(401, "Unauthorized")
        method = request.match_info["method"]
        call = Call(method, await _params(request))
        fault = self._take_fault(call) or self._flood_control(call)
        if fault is not None:
            return await self._fail(call, fault)
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return await self._record(call, "error", _refuse(404, "Not Found: method not found"))
        try:
            result = await handler(call.params)
        except Refusal as refusal:
            return await self._record(call, "error", _refuse(400, refusal.description))
        return await self._record(call, "ok", web.json_response({"ok": True, "result": result}))

    async def _record(self, call: Call, outcome: str, response: web.Response) -> web.Response:
        call.outcome = outcome
        call.at = time.perf_counter()
        async with self._changed:
            call.seq = len(self.calls)
            self.calls.append(call)
            self._changed.notify_all()
        return response

    def _take_fault(self, call: Call) -> Fault | None:
        for fault in self.faults:
            if fault.applies(call):
                fault.times -= 1
                return fault
        return None

    def _flood_control(self, call: Call) -> Fault | None:
        """A 429 for a message to a chat under flood control (it starts at the first one)."""
        chat_id = call.params.get("chat_id")
        if call.method not in _SENDS or chat_id not in self.floods:
            return None
        now = time.monotonic()
        if chat_id not in self._flooded_until:
            self._flooded_until[chat_id] = now + self.floods[chat_id]
        left = self._flooded_until[chat_id] - now
        if left <= 0:
            return None
        return Fault(call.method, "429", retry_after=max(1, math.ceil(left)))

    async def _fail(self, call: Call, fault: Fault) -> web.StreamResponse:
        if fault.kind == "429":
            body = {
                "ok": False,
                "error_code": 429,
                "description": f"Too Many Requests: retry after {fault.retry_after}",
                "parameters": {"retry_after": fault.retry_after},
            }
            return await self._record(call, "429", web.json_response(body, status=429))
        if fault.kind == "500":
            return await self._record(call, "500", _refuse(500, "Internal Server Error"))
        await self._record(call, "stalled", web.Response())
        await asyncio.sleep(fault.stall)  # the client gives up first; nothing is delivered
        return _refuse(500, "stalled")

    # -- test controls --------------------------------------------------------------------

    def fail(self, method: str, kind: str, times: int = 1, **options: Any) -> None:
        """Make the next ``times`` calls of ``method`` fail (kind: "429", "500", "stall");
        ``chat_id=`` limits it to calls to one chat."""
        self.faults.append(Fault(method, kind, times, **options))

    def flood(self, chat_id: int, seconds: int) -> None:
        """Put ``chat_id`` under flood control: from the bot's next message to it, every
        message to it for ``seconds`` is refused with 429 and the time left as retry_after."""
        self.floods[chat_id] = seconds

    def ok_calls(self, method: str, chat_id: int | None = None) -> list[Call]:
        """The successful calls of ``method`` (to ``chat_id``, if given), in order."""
        return [
            call
            for call in self.calls
            if call.method == method
            and call.outcome == "ok"
            and (chat_id is None or call.params.get("chat_id") == chat_id)
        ]

    async def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 10.0,
        where: Callable[[Call], bool] = lambda call: True,
        outcome: str = "ok",
    ) -> list[Call]:
        """Wait (bounded) until ``count`` calls of ``method`` matching ``where`` have been made."""

        def matching() -> list[Call]:
            return [
                call
                for call in self.calls
                if call.method == method and call.outcome == outcome and where(call)
            ]

        async def wait() -> list[Call]:
            async with self._changed:
                await self._changed.wait_for(lambda: len(matching()) >= count)
            return matching()

        return await asyncio.wait_for(wait(), timeout)

    async def inject(self, update: dict[str, Any]) -> int:
        """Queue an update for getUpdates; returns its update_id."""
        update = {"update_id": next(self._update_ids), **update}
        async with self._changed:
            self._updates.append(update)
            self._changed.notify_all()
        return update["update_id"]

    # -- building updates -----------------------------------------------------------------

    def chat(self, chat_id: int, kind: str = "private", title: str = "公开问答群") -> dict:
        """A chat dict (remembered, so that the fake can answer with it)."""
        chat = {"id": chat_id, "type": kind}
        chat.update({"title": title} if kind != "private" else {"first_name": "用户"})
        self.chats[chat_id] = chat
        return chat

    def message(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        kind: str | None = None,
        reply_to: dict | None = None,
    ) -> dict[str, Any]:
        """A message update with proper ``bot_command`` and ``mention`` entities."""
        kind = kind or ("private" if chat_id > 0 else "supergroup")
        user_id = user_id or (chat_id if chat_id > 0 else 4242)
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self.chat(chat_id, kind),
            "from": {"id": user_id, "is_bot": False, "first_name": "用户"},
            "text": text,
        }
        entities = text_entities(text)
        if entities:
            message["entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        self.messages[(chat_id, message["message_id"])] = message
        return {"message": message}

    def edited(self, update: dict[str, Any], text: str) -> dict[str, Any]:
        """An ``edited_message`` update: the message of ``update`` with its text changed."""
        message = {**update["message"], "text": text, "edit_date": int(time.time())}
        message.pop("entities", None)
        entities = text_entities(text)
        if entities:
            message["entities"] = entities
        self.messages[(message["chat"]["id"], message["message_id"])] = message
        return {"edited_message": message}

    def callback(self, sent: Call, data: str, user_id: int = 777) -> dict[str, Any]:
        """A button press on a message the bot sent (``sent`` is its sendMessage call)."""
        message = sent.params["_result"]
        return {
            "callback_query": {
                "id": str(next(self._update_ids) + 5000),
                "from": {"id": user_id, "is_bot": False, "first_name": "用户"},
                "chat_instance": "ci-1",
                "message": message,
                "data": data,
            }
        }

    def inline(self, query: str, user_id: int = 777) -> dict[str, Any]:
        """An inline query (``@botname query`` typed in some chat)."""
        return {
            "inline_query": {
                "id": str(next(self._update_ids) + 9000),
                "from": {"id": user_id, "is_bot": False, "first_name": "用户"},
                "query": query,
                "offset": "",
                "chat_type": "sender",
            }
        }

    # -- Bot API methods ------------------------------------------------------------------

    async def _m_getMe(self, params: dict) -> dict:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "公开问答",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
        }

    async def _m_getUpdates(self, params: dict) -> list[dict]:
        offset = int(params.get("offset") or 0)
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        timeout = float(params.get("timeout") or 0)
        async with self._changed:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait_for(lambda: bool(self._updates)), timeout)
        limit = int(params.get("limit") or 100)
        return self._updates[:limit]

    async def _m_sendMessage(self, params: dict) -> dict:
        text = check_text(params)
        check_markup(params)
        chat_id = int(params["chat_id"])
        message = self._bot_message(chat_id, text, params)
        params["_result"] = message
        return message

    async def _m_editMessageText(self, params: dict) -> dict:
        text = check_text(params)
        check_markup(params)
        key = (int(params["chat_id"]), int(params["message_id"]))
        old = self.messages.get(key)
        if old is None:
            raise Refusal("Bad Request: message to edit not found")
        if old.get("text") == text and old.get("reply_markup") == params.get("reply_markup"):
            raise Refusal("Bad Request: message is not modified")
        old["text"] = text
        _set_markup(old, params)  # an edit without buttons removes them, as in Telegram
        params["_result"] = old
        return old

    async def _m_editMessageReplyMarkup(self, params: dict) -> dict:
        check_markup(params)
        old = self.messages.get((int(params["chat_id"]), int(params["message_id"])))
        if old is None:
            raise Refusal("Bad Request: message to edit not found")
        if old.get("reply_markup") == (params.get("reply_markup") or None):
            raise Refusal("Bad Request: message is not modified")
        _set_markup(old, params)
        params["_result"] = old
        return old

    async def _m_answerCallbackQuery(self, params: dict) -> bool:
        query_id = params["callback_query_id"]
        if query_id in self._answered:
            raise Refusal(
                "Bad Request: query is too old and response timeout expired or query ID is invalid"
            )
        self._answered.add(query_id)
        return True

    async def _m_answerInlineQuery(self, params: dict) -> bool:
        ids = [result.get("id") for result in params.get("results", [])]
        if len(ids) != len(set(ids)):
            raise Refusal("Bad Request: RESULT_ID_DUPLICATE")
        for result in params.get("results", []):
            content = result.get("input_message_content", {})
            check_text({"text": content.get("message_text", ""), **content})
        return True

    async def _m_setMyCommands(self, params: dict) -> bool:
        return True

    async def _m_deleteWebhook(self, params: dict) -> bool:
        return True

    async def _m_setWebhook(self, params: dict) -> bool:
        return True

    def _bot_message(self, chat_id: int, text: str, params: dict) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self.chats.get(chat_id, {"id": chat_id, "type": "private"}),
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "公开问答",
                     "username": BOT_USERNAME},
            "text": text,
        }  # fmt: skip
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self.messages[(chat_id, message["message_id"])] = message
        return message


_SENDS = {"sendMessage", "editMessageText", "editMessageReplyMarkup"}


def _set_markup(message: dict[str, Any], params: dict) -> None:
    if params.get("reply_markup"):
        message["reply_markup"] = params["reply_markup"]
    else:
        message.pop("reply_markup", None)


def _refuse(status: int, description: str) -> web.Response:
    body = {"ok": False, "error_code": status, "description": description}
    return web.json_response(body, status=status)


async def _params(request: web.Request) -> dict[str, Any]:
    """Decode PTB's form fields (JSON-encoded except plain strings) or a JSON body."""
    if request.content_type == "application/json":
        return await request.json()
    form = await request.post()
    params: dict[str, Any] = {}
    for key, value in form.items():
        if not isinstance(value, str):
            continue
        if key in _STRING_PARAMS:
            params[key] = value
            continue
        try:
            params[key] = json.loads(value)
        except ValueError:
            params[key] = value
    return params


# -- harness: the real bot against the fake ----------------------------------------------


def bot_settings(
    fake: FakeTelegram, index_dir: Any = "var/index", server: dict | None = None, **bot: Any
) -> Any:
    """Settings that point the bot at ``fake`` (``bot`` overrides bot settings, ``server``
    server settings)."""
    from gongkai.config import Settings

    return Settings(
        index_dir=index_dir,
        server=server or {},
        bot={"token": fake.token, "api_base_url": fake.base_url, **bot},
    )


@contextlib.asynccontextmanager
async def running_bot(
    fake: FakeTelegram, engine: Any, *, timeout: float = 2.0, poll_timeout: float = 2.0, **bot: Any
) -> Any:
    """The real PTB application, long polling the fake, for the duration of the block."""
    from bot.telegram import build_application, polling

    application = build_application(bot_settings(fake, **bot), engine, timeout=timeout)
    async with polling(application, poll_timeout=poll_timeout):
        yield application


async def say(
    fake: FakeTelegram, chat_id: int, text: str, count: int = 1, **options: Any
) -> list[Call]:
    """Send ``text`` from ``chat_id`` and wait for the bot's first ``count`` replies to it."""
    before = len(fake.calls)
    update = fake.message(chat_id, text, **options)
    await fake.inject(update)
    return await fake.wait_for(
        "sendMessage",
        count=count,
        where=lambda call: (
            fake.calls.index(call) >= before and call.params.get("chat_id") == chat_id
        ),
    )


async def press(fake: FakeTelegram, sent: Call, data: str, user_id: int = 777) -> list[Call]:
    """Press a button with ``data`` under the bot's message ``sent`` (its sendMessage call);
    once the press is answered, the calls the bot made for it (failed ones too)."""
    before = len(fake.calls)
    await fake.inject(fake.callback(sent, data, user_id))
    await fake.wait_for("answerCallbackQuery", where=lambda call: call.seq >= before)
    return fake.calls[before:]
