"""The Telegram bot: questions in chats and groups, answered from `search` (PTB 22)."""

from bot.telegram.app import attach_webhook, build_application, polling, run_polling
from bot.telegram.deeplink import question_link
from bot.telegram.format import render_answer

__all__ = [
    "attach_webhook",
    "build_application",
    "polling",
    "question_link",
    "render_answer",
    "run_polling",
]
