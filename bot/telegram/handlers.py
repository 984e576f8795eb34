"""The bot's handlers: each turns one kind of update into a reply built from an `Answer`."""

from __future__ import annotations

import asyncio
import html
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes, filters

from bot.telegram import inline, paging, texts
from bot.telegram.format import render_answer, render_one
from bot.telegram.limits import Allowlist, UserRateLimit, deliver
from search import Answer, Engine, QueryError

logger = logging.getLogger(__name__)
SERVICES = "gongkai"  # the key of `Services` in application.bot_data
RELOAD_INTERVAL = 5.0  # seconds between two looks at whether an index run replaced the index


@dataclass
class Services:
    """What the handlers share: the search engine and the bot's limits and memory."""

    engine: Engine
    page_size: int
    allowlist: Allowlist
    rate_limit: UserRateLimit
    questions: paging.QuestionStore = field(default_factory=paging.QuestionStore)
    looked_at: float = field(default_factory=time.monotonic)  # last check for a new index


_ENGINE_CALLS: dict[str, Callable[[Engine, str, int, int], Answer]] = {
    "a": lambda engine, text, page, size: engine.ask(text, page=page, size=size),
    "s": lambda engine, text, page, size: engine.search(text, page=page, size=size),
    "c": lambda engine, text, page, size: engine.contact(text),
}


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    """The shared services of the running application."""
    return context.bot_data[SERVICES]


async def call_engine(found: Services, kind: str, text: str, page: int = 1) -> Answer:
    """Ask the engine off the event loop (it blocks on the index)."""
    if time.monotonic() - found.looked_at >= RELOAD_INTERVAL:
        found.looked_at = time.monotonic()
        if await asyncio.to_thread(found.engine.reload_if_changed):
            logger.info("the index was rebuilt: reloaded it")
    call = _ENGINE_CALLS[kind]
    return await asyncio.to_thread(call, found.engine, text, page, found.page_size)


async def send_html(
    message: Message, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Reply to ``message`` with Telegram HTML, retrying transient failures."""
    await deliver(lambda: message.reply_html(text, reply_markup=markup))


async def answer_question(
    update: Update, context: ContextTypes.DEFAULT_TYPE, kind: str, question: str
) -> None:
    """Reply with the engine's answer to ``question``, paged when it has more results."""
    message = update.effective_message
    question = question.strip()
    if not question:
        await send_html(message, html.escape(texts.USAGE.get(_COMMAND_OF[kind], "")))
        return
    found = services(context)
    if not await _within_rate(update, found):
        return
    try:
        answer = await call_engine(found, kind, question)
    except QueryError as exc:
        await send_html(message, html.escape(str(exc), quote=False))
        return
    markup = None
    if kind in paging.KINDS:
        markup = paging.keyboard(answer, kind, found.questions.remember(kind, question))
    chunks = render_answer(answer)
    for number, chunk in enumerate(chunks, start=1):
        await send_html(message, chunk, markup if number == len(chunks) else None)


_COMMAND_OF = {"a": "ask", "s": "search", "c": "contact"}


async def _within_rate(update: Update, found: Services) -> bool:
    """Whether the user may ask now; says so politely (once a minute) when not."""
    user = update.effective_user
    verdict = found.rate_limit.check(user.id if user else update.effective_chat.id)
    if verdict == "warn":
        await send_html(update.effective_message, html.escape(texts.RATE_LIMITED, quote=False))
    return verdict == "ok"


async def gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Chats not on the allowlist get no reply at all."""
    chat = update.effective_chat
    who = chat.id if chat else (update.effective_user.id if update.effective_user else None)
    if not services(context).allowlist.allows(who):
        logger.info("ignoring an update from chat %s (not on the allowlist)", who)
        raise ApplicationHandlerStop


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greets the user and shows what the bot can do, with examples."""
    await send_html(update.effective_message, texts.START.format(username=context.bot.username))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Shows what the bot can do, with examples."""
    await send_html(update.effective_message, texts.HELP.format(username=context.bot.username))


async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answers the question written after /ask."""
    await answer_question(update, context, "a", " ".join(context.args or ()))


async def search(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Lists the reports containing the words after /search, with highlighted snippets."""
    await answer_question(update, context, "s", " ".join(context.args or ()))


async def contact(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Shows the contact details of the township named after /contact."""
    await answer_question(update, context, "c", " ".join(context.args or ()))


async def stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Says how many reports, townships and years the index holds."""
    counts = await asyncio.to_thread(services(context).engine.stats)
    await send_html(update.effective_message, format_stats(counts))


def format_stats(counts: dict[str, object]) -> str:
    """The /stats reply for the engine's counts, escaped."""
    years = counts.get("years") or []
    if isinstance(years, list | tuple | set):
        years = "、".join(str(year) for year in sorted(years))
    values = {key: counts.get(key, "?") for key in ("reports", "townships")}
    values["years"] = years or "—"
    return texts.STATS.format(**{k: html.escape(str(v), quote=False) for k, v in values.items()})


async def private_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """In a private chat, answers any plain text as a question."""
    await answer_question(update, context, "a", update.effective_message.text or "")


async def group_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """In a group, answers a message that mentions the bot or replies to one of its messages."""
    text = strip_mention(update.effective_message.text or "", context.bot.username)
    if not text.strip():
        await help_command(update, context)
        return
    await answer_question(update, context, "a", text)


def strip_mention(text: str, username: str | None) -> str:
    """The message text without ``@username`` (the question addressed to the bot)."""
    if not username:
        return text
    return re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE).strip()


async def page_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Shows another page of a result list in the same message (editing it in place)."""
    query = update.callback_query
    found = services(context)
    request = paging.decode(query.data)
    question = found.questions.recall(request.key) if request else None
    if request is None or question is None:
        await deliver(lambda: query.answer(texts.EXPIRED, show_alert=True))
        return
    try:
        answer = await call_engine(found, request.kind, question, request.page)
    except QueryError as exc:
        refusal = str(exc)
        await deliver(lambda: query.answer(refusal, show_alert=True))
        return
    markup = paging.keyboard(answer, request.kind, request.key)
    try:
        await deliver(
            lambda: query.edit_message_text(
                render_one(answer), parse_mode=ParseMode.HTML, reply_markup=markup
            )
        )
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():  # the page already shown: nothing to do
            raise
    await deliver(query.answer)


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Offers the answer to what is typed after @botname, and matching townships' contacts."""
    query = update.inline_query
    found = services(context)
    results = await asyncio.to_thread(inline.results, found.engine, query.query, found.page_size)
    await deliver(lambda: query.answer(results, cache_time=60))


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Tells the user briefly that something went wrong; the details go to the log."""
    if not isinstance(update, Update):
        logger.error("the bot failed outside an update", exc_info=context.error)
        return
    logger.error("handling update %s failed", update.update_id, exc_info=context.error)
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(texts.ERROR, show_alert=True)
        elif update.effective_message is not None:
            await send_html(update.effective_message, html.escape(texts.ERROR, quote=False))
    except TelegramError as exc:
        logger.warning("could not tell the user about the failure: %s", exc)


class AddressedToBot(filters.MessageFilter):
    """A group message that mentions the bot (@username) or replies to one of its messages."""

    def filter(self, message: Message) -> bool:
        """Whether the message is meant for this bot."""
        bot = message.get_bot()
        replied = message.reply_to_message
        author = replied.from_user if replied is not None else None
        if author is not None and author.id == bot.id:
            return True
        wanted = f"@{bot.username}".lower()
        mentions = message.parse_entities(["mention"]).values()
        return any(mention.lower() == wanted for mention in mentions)
