"""Wiring: build the PTB application, run it by long polling, or mount it as a webhook."""

from __future__ import annotations

import asyncio
import datetime as dt
import hmac
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

from aiohttp import web
from telegram import Bot, BotCommand, LinkPreviewOptions, Update
from telegram.error import InvalidToken, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.http_base import ENGINE, LOG_FORMAT, error_response
from bot.telegram import handlers, texts
from bot.telegram.limits import Allowlist, RetryAfterLimiter, UserRateLimit, deliver
from bot.telegram.logsafe import protect_token, redact
from gongkai.config import ConfigError, Settings
from search import Engine

logger = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_NEW = filters.UpdateType.MESSAGE
_ASKED = filters.UpdateType.MESSAGE | filters.UpdateType.EDITED_MESSAGE  # edits asked again


def _token(settings: Settings) -> str:
    """The bot token from the settings (the environment), or a clear error."""
    if settings.bot.token is None or not settings.bot.token.get_secret_value():
        raise ConfigError("no bot token: set GONGKAI_BOT__TOKEN in the environment")
    return settings.bot.token.get_secret_value()


def build_application(
    settings: Settings, engine: Engine, *, webhook: bool = False, timeout: float = 10.0
) -> Application:
    """A PTB application wired with gongkai's handlers (no updater in webhook mode)."""
    token = _token(settings)
    protect_token(token)
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.bot.api_base_url)
        .rate_limiter(RetryAfterLimiter())
        .defaults(
            Defaults(
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                allow_sending_without_reply=True,  # the question may be deleted meanwhile
            )
        )
        .connect_timeout(timeout)
        .read_timeout(timeout)
        .write_timeout(timeout)
        .pool_timeout(timeout)
        .post_init(on_startup)
        .post_stop(on_stop)
    )
    if webhook:
        builder = builder.updater(None)
    else:  # the long poll's own read time-out is this plus the poll's timeout
        builder = (
            builder.get_updates_connect_timeout(timeout)
            .get_updates_read_timeout(timeout)
            .get_updates_write_timeout(timeout)
            .get_updates_pool_timeout(timeout)
        )
    application = builder.build()
    application.bot_data[handlers.SERVICES] = handlers.Services(
        engine=engine,
        page_size=settings.bot.page_size,
        allowlist=Allowlist(settings.bot.allowed_chat_ids),
        rate_limit=UserRateLimit(settings.bot.rate_limit_per_minute),
        public_url=settings.server.public_url,
    )
    _add_handlers(application)
    return application


def _add_handlers(application: Application) -> None:
    """Register every handler; the allowlist gate runs first, in its own group."""
    application.add_handler(TypeHandler(Update, handlers.gate), group=-1)
    commands = {
        "start": (handlers.start, _NEW),
        "help": (handlers.help_command, _NEW),
        "ask": (handlers.ask, _ASKED),
        "search": (handlers.search, _ASKED),
        "contact": (handlers.contact, _ASKED),
        "report": (handlers.report_command, _ASKED),
        "stats": (handlers.stats, _NEW),
    }
    for name, (callback, updates) in commands.items():
        application.add_handler(CommandHandler(name, callback, filters=updates))
    private, groups = filters.ChatType.PRIVATE, filters.ChatType.GROUPS
    plain = _ASKED & filters.TEXT & ~filters.COMMAND
    application.add_handler(MessageHandler(private & _NEW & filters.COMMAND, handlers.help_command))
    application.add_handler(MessageHandler(private & plain, handlers.private_text))
    application.add_handler(
        MessageHandler(groups & plain & handlers.AddressedToBot(), handlers.group_text)
    )
    application.add_handler(CallbackQueryHandler(handlers.page_button))
    application.add_handler(InlineQueryHandler(handlers.inline_query))
    application.add_error_handler(handlers.on_error)


async def on_startup(application: Application) -> None:
    """Register the command menu with Telegram."""
    commands = [BotCommand(name, description) for name, description in texts.COMMANDS]
    await deliver(lambda: application.bot.set_my_commands(commands))


async def on_stop(application: Application) -> None:
    """Send what is still queued (bounded) before the connection to Telegram closes."""
    found = application.bot_data.get(handlers.SERVICES)
    if found is not None:
        await found.outbox.drain()


def run_polling(settings: Settings) -> None:
    """Run the bot by long polling until interrupted (``gongkai bot``)."""
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    token = _token(settings)
    protect_token(token)
    asyncio.run(_introduce(settings, token))
    engine = Engine(settings.index_dir)
    application = build_application(settings, engine)
    logger.info("gongkai bot: long polling, index %s", settings.index_dir)
    try:
        application.run_polling(allowed_updates=Update.ALL_TYPES)
    finally:
        engine.close()


async def _introduce(settings: Settings, token: str) -> None:
    """Ask the Bot API who we are, so that a refused token or an unreachable API is one line.

    PTB's own start-up would log and raise a traceback instead, and its refusal names the token.
    """
    try:
        async with Bot(token, base_url=settings.bot.api_base_url):  # entering calls getMe
            pass
    except InvalidToken:
        raise ConfigError("the Bot API refused the bot token (GONGKAI_BOT__TOKEN)") from None
    except TelegramError as exc:
        reason = redact(str(exc), {token})
        raise ConfigError(
            f"cannot reach the Bot API at {settings.bot.api_base_url}: {reason}"
        ) from None


@asynccontextmanager
async def polling(
    application: Application, poll_timeout: float = 10.0
) -> AsyncIterator[Application]:
    """Run ``application`` by long polling inside the current event loop, then stop it."""
    await application.initialize()
    await on_startup(application)  # post_init only runs under run_polling/run_webhook
    await application.start()
    await application.updater.start_polling(
        poll_interval=0.0,
        timeout=dt.timedelta(seconds=poll_timeout),
        allowed_updates=Update.ALL_TYPES,
        error_callback=handlers.log_polling_failure,
    )
    try:
        yield application
    finally:
        await application.updater.stop()
        await application.stop()
        await on_stop(application)  # post_stop only runs under run_polling/run_webhook
        await application.shutdown()


@dataclass
class _Slot:
    """The running PTB application of a webhook, filled in at server start-up."""

    application: Application | None = None


TELEGRAM = web.AppKey("gongkai_telegram", _Slot)


def attach_webhook(app: web.Application, settings: Settings, engine: Engine | None = None) -> None:
    """Take Telegram updates at ``settings.bot.webhook_path`` on the aiohttp ``app``.

    The secret-token header must match ``settings.bot.webhook_secret`` (403 otherwise). The
    PTB application starts and stops with the server and registers the webhook at start-up.
    ``engine`` defaults to the one the HTTP endpoint on ``app`` opened, else one opened on
    ``settings.index_dir``. Append this after the endpoint's own start-up (``create_app``).
    """
    _token(settings)
    secret = settings.bot.webhook_secret.get_secret_value() if settings.bot.webhook_secret else ""
    if not secret or not settings.bot.webhook_url:
        raise ConfigError("webhook mode needs bot.webhook_url and GONGKAI_BOT__WEBHOOK_SECRET")
    slot = _Slot()
    app[TELEGRAM] = slot
    app.router.add_post(settings.bot.webhook_path, _webhook_handler(secret))
    app.cleanup_ctx.append(_webhook_lifecycle(settings, engine, slot))


def _webhook_handler(secret: str) -> Callable[[web.Request], Awaitable[web.Response]]:
    """The POST handler: check the secret header, queue the update for PTB."""

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            return error_response(403, "forbidden", "wrong or missing secret token")
        application = request.app[TELEGRAM].application
        if application is None:
            return error_response(503, "not_ready", "the bot is starting")
        try:
            update = Update.de_json(await request.json(), application.bot)
        except (ValueError, TypeError, KeyError):
            return error_response(400, "bad_update", "not a Telegram update")
        await application.update_queue.put(update)
        return web.json_response({"ok": True})

    return receive


def _shared_engine(app: web.Application) -> Engine | None:
    """The engine the HTTP endpoint on the same server already opened, if any."""
    slot = app.get(ENGINE)
    return slot.engine if slot is not None else None


def _webhook_lifecycle(
    settings: Settings, engine: Engine | None, slot: _Slot
) -> Callable[[web.Application], AsyncIterator[None]]:
    """A cleanup_ctx: start PTB and set the webhook with the server, stop PTB after it."""

    async def lifecycle(app: web.Application) -> AsyncIterator[None]:
        shared = engine or _shared_engine(app)
        opened = shared or await asyncio.to_thread(Engine, settings.index_dir)
        application = build_application(settings, opened, webhook=True)
        await application.initialize()
        await on_startup(application)
        await application.start()
        secret = settings.bot.webhook_secret.get_secret_value()
        try:
            await deliver(
                lambda: application.bot.set_webhook(
                    url=settings.bot.webhook_url,
                    secret_token=secret,
                    allowed_updates=Update.ALL_TYPES,
                )
            )
            slot.application = application
            yield
        finally:
            slot.application = None
            await application.stop()
            await on_stop(application)
            await application.shutdown()
            if shared is None:  # opened here, so closed here; a shared one is its owner's
                await asyncio.to_thread(opened.close)

    return lifecycle
