"""The bot's handlers: each turns one kind of update into a reply built from an `Answer`.

Handlers never wait for Telegram to take a message: they queue it in the chat's own send
queue (`sending.Outbox`) and return, so that flood control in one chat holds up no other.
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from telegram import Bot, CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes, filters

from bot.telegram import deeplink, inline, paging, report, texts
from bot.telegram.format import render_answer
from bot.telegram.limits import Allowlist, UserRateLimit, deliver, is_transient
from bot.telegram.sending import Job, Outbox
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
    public_url: str | None = None  # where the report pages are served (server.public_url)
    questions: paging.QuestionStore = field(default_factory=paging.QuestionStore)
    outbox: Outbox = field(default_factory=Outbox)
    looked_at: float = field(default_factory=time.monotonic)  # last check for a new index


_ENGINE_CALLS: dict[str, Callable[[Engine, str, int, int], Answer]] = {
    "a": lambda engine, text, page, size: engine.ask(text, page=page, size=size),
    "s": lambda engine, text, page, size: engine.search(text, page=page, size=size),
    "c": lambda engine, text, page, size: engine.contact(text),
}
_COMMAND_OF = {"a": "ask", "s": "search", "c": "contact"}


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    """The shared services of the running application."""
    return context.bot_data[SERVICES]


async def _reload_if_due(found: Services) -> None:
    """Every few seconds, pick up an index that an index run has replaced."""
    if time.monotonic() - found.looked_at >= RELOAD_INTERVAL:
        found.looked_at = time.monotonic()
        if await asyncio.to_thread(found.engine.reload_if_changed):
            logger.info("the index was rebuilt: reloaded it")


async def call_engine(found: Services, kind: str, text: str, page: int = 1) -> Answer:
    """Ask the engine off the event loop (it blocks on the index)."""
    await _reload_if_due(found)
    call = _ENGINE_CALLS[kind]
    return await asyncio.to_thread(call, found.engine, text, page, found.page_size)


def respond(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    """Queue a reply (Telegram HTML) to the update's message in its chat's send queue.

    For an edited question whose answer is still the bot's last message in the chat, that
    answer is edited in place instead; otherwise the new answer is a new reply.
    """
    message = update.effective_message
    found = services(context)
    edited = update.edited_message is not None
    chat_id = message.chat_id

    async def send() -> None:
        earlier = found.outbox.answer_in_place(chat_id, message.message_id) if edited else None
        if earlier is not None:
            await _edit(context.bot, chat_id, earlier, text, markup)
            return
        quote = True if edited else None  # an edited question is older: say which one
        sent = await deliver(lambda: message.reply_html(text, reply_markup=markup, do_quote=quote))
        found.outbox.sent(chat_id, sent.message_id, message.message_id)

    async def apologise(_: Exception) -> None:
        sent = await deliver(lambda: message.reply_html(html.escape(texts.ERROR, quote=False)))
        found.outbox.sent(chat_id, sent.message_id, message.message_id)

    found.outbox.submit(chat_id, send, apologise)


async def _edit(
    bot: Bot, chat_id: int, message_id: int, text: str, markup: InlineKeyboardMarkup | None
) -> None:
    """Replace the text (and buttons) of one of the bot's messages; unchanged is fine."""
    try:
        await deliver(
            lambda: bot.edit_message_text(
                text,
                chat_id=chat_id,
                message_id=message_id,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
            )
        )
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


async def answer_question(
    update: Update, context: ContextTypes.DEFAULT_TYPE, kind: str, question: str
) -> None:
    """Reply with the first message of the engine's answer, with buttons for more."""
    question = question.strip()
    if not question:
        respond(update, context, html.escape(texts.USAGE[_COMMAND_OF[kind]], quote=False))
        return
    found = services(context)
    if not _within_rate(update, context):
        return
    try:
        answer = await call_engine(found, kind, question)
    except QueryError as exc:
        respond(update, context, html.escape(str(exc), quote=False))
        return
    key = found.questions.remember(kind, question)
    chunks = render_answer(answer)
    respond(update, context, chunks[0], paging.keyboard(answer, kind, key, parts=len(chunks)))


def _within_rate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Whether the user may ask now; says so politely (once a minute) when not."""
    user = update.effective_user
    verdict = services(context).rate_limit.check(user.id if user else update.effective_chat.id)
    if verdict == "warn":
        respond(update, context, html.escape(texts.RATE_LIMITED, quote=False))
    return verdict == "ok"


def command_words(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """The words after the command; with none, the text of the message the command replies to
    (``/ask`` sent as a reply to someone's message asks that message)."""
    words = " ".join(context.args or ())
    replied = update.effective_message.reply_to_message
    if words.strip() or replied is None:
        return words
    return strip_mention(replied.text or replied.caption or "", context.bot.username)


async def gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Chats not on the allowlist get no reply at all."""
    chat = update.effective_chat
    who = chat.id if chat else (update.effective_user.id if update.effective_user else None)
    if not services(context).allowlist.allows(who):
        logger.info("ignoring an update from chat %s (not on the allowlist)", who)
        raise ApplicationHandlerStop


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answers the question a deep link carries (/start PAYLOAD), else greets with examples."""
    question = deeplink.decode_question(context.args[0] if context.args else None)
    if question is not None:
        await answer_question(update, context, "a", question)
        return
    respond(update, context, texts.START.format(username=context.bot.username))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Shows what the bot can do, with examples."""
    respond(update, context, texts.HELP.format(username=context.bot.username))


async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answers the question after /ask, or the text of the message /ask replies to."""
    await answer_question(update, context, "a", command_words(update, context))


async def search(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Lists the reports containing the words after /search, with highlighted snippets."""
    await answer_question(update, context, "s", command_words(update, context))


async def contact(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Shows the contact details of the township named after /contact."""
    await answer_question(update, context, "c", command_words(update, context))


async def report_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Sends a short summary of a township's report, with a link to its page when configured."""
    words = command_words(update, context).strip()
    if not words:
        respond(update, context, html.escape(texts.USAGE["report"], quote=False))
        return
    found = services(context)
    if not _within_rate(update, context):
        return
    await _reload_if_due(found)
    try:
        text = await asyncio.to_thread(report.summarise, found.engine, words, found.public_url)
    except QueryError as exc:
        text = html.escape(str(exc), quote=False)
    respond(update, context, text)


async def stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Says how many reports, townships and years the index holds."""
    counts = await asyncio.to_thread(services(context).engine.stats)
    respond(update, context, format_stats(counts))


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
    """Shows another page in the same message or sends the rest of a long one; the page
    counter does nothing."""
    query = update.callback_query
    if query.data == paging.NOTHING:
        await deliver(query.answer)
        return
    found = services(context)
    request = paging.decode(query.data)
    question = found.questions.recall(request.key) if request else None
    message = query.message
    if request is None or question is None or not isinstance(message, Message):
        await deliver(lambda: query.answer(texts.EXPIRED, show_alert=True))
        return
    try:
        answer = await call_engine(found, request.kind, question, request.page)
    except QueryError as exc:
        refusal = str(exc)
        await deliver(lambda: query.answer(refusal, show_alert=True))
        return
    chunks = render_answer(answer)
    show = _send_rest if request.wants_rest else _show_page
    job = show(query, message, found, request, answer, chunks)

    async def alert(_: Exception) -> None:
        await deliver(lambda: query.answer(texts.ERROR, show_alert=True))

    found.outbox.submit(message.chat_id, job, alert)


def _show_page(
    query: CallbackQuery,
    message: Message,
    found: Services,
    request: paging.PageRequest,
    answer: Answer,
    chunks: list[str],
) -> Job:
    """The job that puts another page into the pressed message."""
    markup = paging.keyboard(answer, request.kind, request.key, parts=len(chunks))

    async def show() -> None:
        await _edit(message.get_bot(), message.chat_id, message.message_id, chunks[0], markup)
        await deliver(query.answer)

    return show


def _send_rest(
    query: CallbackQuery,
    message: Message,
    found: Services,
    request: paging.PageRequest,
    answer: Answer,
    chunks: list[str],
) -> Job:
    """The job that sends the next part of a long page and drops the pressed button."""
    part, parts, kind, key = request.part, len(chunks), request.kind, request.key
    after = paging.keyboard(answer, kind, key, part=part - 1, parts=part - 1)

    async def send() -> None:
        if part <= parts:
            markup = paging.keyboard(answer, kind, key, part=part, parts=parts)
            sent = await deliver(lambda: message.reply_html(chunks[part - 1], reply_markup=markup))
            found.outbox.sent(message.chat_id, sent.message_id)
        try:
            await deliver(lambda: query.edit_message_reply_markup(reply_markup=after))
        except BadRequest as exc:
            if "not modified" not in str(exc).lower():
                raise
        await deliver(query.answer)

    return send


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Offers the answer to what is typed after @botname, and matching townships' contacts;
    with nothing typed, three example questions."""
    query = update.inline_query
    found = services(context)
    results = await asyncio.to_thread(inline.results, found.engine, query.query, found.page_size)
    await deliver(lambda: query.answer(results, cache_time=60))


def log_polling_failure(error: TelegramError) -> None:
    """A failed getUpdates: one warning line when it is passing, else the full error."""
    if is_transient(error):
        logger.warning("getUpdates failed (%s); polling again", error)
    else:
        logger.error("getUpdates failed", exc_info=error)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Tells the user briefly that something went wrong; the details go to the log."""
    if update is None and isinstance(context.error, TelegramError):
        log_polling_failure(context.error)  # PTB's run_polling reports getUpdates errors here
        return
    if not isinstance(update, Update):
        logger.error("the bot failed outside an update", exc_info=context.error)
        return
    logger.error("handling update %s failed", update.update_id, exc_info=context.error)
    if update.callback_query is not None:
        try:
            await update.callback_query.answer(texts.ERROR, show_alert=True)
        except TelegramError as exc:
            logger.warning("could not tell the user about the failure: %s", exc)
    elif update.effective_message is not None:
        respond(update, context, html.escape(texts.ERROR, quote=False))


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
