"""Inline mode: ``@botname 城关镇`` offers the answer and the matching townships' contacts.

No two results send the same message (a township's contact card is often the answer itself:
then it is offered once, under the township's name).
An empty query offers three example questions, each with its answer. Blocking (it asks the
engine); the handler runs it off the event loop.
"""

from __future__ import annotations

import datetime as dt

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
        return examples(engine, page_size)
    try:
        offered = [(texts.INLINE_ANSWER_TITLE, engine.ask(query, 1, page_size))]
        for name in _township_names(engine.townships(query, limit=MAX_TOWNSHIPS)):
            offered.append((texts.INLINE_CONTACT_TITLE.format(township=name), engine.contact(name)))
    except QueryError:
        return []  # nothing sensible typed yet: offer nothing rather than an error
    return _distinct(offered, "r")


def examples(engine: Engine, page_size: int) -> list[InlineQueryResultArticle]:
    """Three example questions about the latest year in the index, each with its answer."""
    years = engine.stats().get("years") or [dt.date.today().year - 1]
    year = max(years)  # type: ignore[type-var]
    offered = []
    for template in texts.INLINE_EXAMPLES:
        question = template.format(year=year)
        try:
            answer = engine.ask(question, 1, page_size)
        except QueryError:
            continue
        offered.append((texts.INLINE_EXAMPLE_TITLE.format(question=question), answer))
    return _distinct(offered, "example")


def _township_names(matches: list[Result]) -> list[str]:
    """The distinct township names among the matches, in order."""
    names: list[str] = []
    for match in matches:
        name = match.township or match.agency
        if name and name not in names:
            names.append(name)
    return names


def _distinct(offered: list[tuple[str, Answer]], prefix: str) -> list[InlineQueryResultArticle]:
    """One article per distinct message, in the order first offered; ids unique in the reply.

    When a later result repeats an earlier message (the answer to ``长胜乡`` is its contact
    card), the two are one article under the later, more specific title.
    """
    kept: dict[str, tuple[str, Answer]] = {}
    for title, answer in offered:
        message = render_one(answer)
        first = kept.get(message, (title, answer))[1]
        kept[message] = (title, first)
    return [
        _article(f"{prefix}-{number}", title, answer, message)
        for number, (message, (title, answer)) in enumerate(kept.items(), start=1)
    ]


def _article(result_id: str, title: str, answer: Answer, message: str) -> InlineQueryResultArticle:
    """One inline result whose message is the rendered answer."""
    description = " ".join(answer.text.split())[:_DESCRIPTION_CHARS]
    return InlineQueryResultArticle(
        id=result_id,
        title=title,
        description=description,
        input_message_content=InputTextMessageContent(message, parse_mode=ParseMode.HTML),
    )
