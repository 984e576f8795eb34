"""Inline mode: ``@botname 城关镇`` offers the answer and the matching townships' contacts.

Blocking (it asks the engine); the handler runs it off the event loop.
"""

from __future__ import annotations

from telegram import InlineQueryResultArticle, InputTextMessageContent
from telegram.constants import ParseMode

from bot.telegram import texts
from bot.telegram.format import render_one
from search import Answer, Engine, QueryError, Result

MAX_TOWNSHIPS = 5
_DESCRIPTION_CHARS = 120


def results(engine: Engine, query: str, page_size: int) -> list[InlineQueryResultArticle]:
    """The articles offered for an inline query: the answer first, then township contacts."""
    query = query.strip()
    if not query:
        return []
    try:
        articles = [_article("answer", texts.INLINE_ANSWER_TITLE, engine.ask(query, 1, page_size))]
        names = _township_names(engine.townships(query, limit=MAX_TOWNSHIPS))
        for number, name in enumerate(names, start=1):
            title = texts.INLINE_CONTACT_TITLE.format(township=name)
            articles.append(_article(f"contact-{number}", title, engine.contact(name)))
    except QueryError:
        return []  # nothing sensible typed yet: offer nothing rather than an error
    return articles


def _township_names(matches: list[Result]) -> list[str]:
    """The distinct township names among the matches, in order."""
    names: list[str] = []
    for match in matches:
        name = match.township or match.agency
        if name and name not in names:
            names.append(name)
    return names


def _article(result_id: str, title: str, answer: Answer) -> InlineQueryResultArticle:
    """One inline result whose message is the rendered answer."""
    description = " ".join(answer.text.split())[:_DESCRIPTION_CHARS]
    return InlineQueryResultArticle(
        id=result_id,
        title=title,
        description=description,
        input_message_content=InputTextMessageContent(
            render_one(answer), parse_mode=ParseMode.HTML
        ),
    )
