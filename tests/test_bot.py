"""The Telegram bot: the real python-telegram-bot against the fake Bot API on loopback."""

from __future__ import annotations

import asyncio
import html
import logging
import os
import signal
import sys
from pathlib import Path

import pytest

from bot.telegram import render_answer
from bot.telegram.format import MAX_MESSAGE
from indexer import run_index
from search import Answer, Engine, QueryError, Result, Snippet
from tests.fake_telegram import (
    BOT_USERNAME,
    TOKEN,
    FakeTelegram,
    press,
    running_bot,
    say,
)
from tests.question_table import QUESTIONS
from tests.telegram_rules import parse_html

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
PAGE_SIZE = 5
GROUP = -1001234
OTHER_BOT = "some_other_bot"


@pytest.fixture
async def bot(fake: FakeTelegram, engine: Engine):
    async with running_bot(fake, engine, page_size=PAGE_SIZE) as application:
        yield application


def texts_of(calls) -> list[str]:
    return [call.params["text"] for call in calls]


def visible(calls) -> str:
    """What the user reads: the messages' text without markup, one after another."""
    return "\n".join(parse_html(call.params["text"])[0] for call in calls)


async def settle(fake: FakeTelegram, chat_id: int) -> None:
    """Send /help and wait for its reply: everything sent before it has been handled."""
    await say(fake, chat_id, "/help")


# -- commands ------------------------------------------------------------------------------


async def test_command_menu_is_registered_at_startup(fake, bot) -> None:
    (call,) = await fake.wait_for("setMyCommands")
    names = {command["command"] for command in call.params["commands"]}
    assert {"ask", "search", "contact", "stats", "help"} <= names


@pytest.mark.parametrize("command", ["/start", "/help"])
async def test_start_and_help_explain_with_examples(fake, bot, command: str) -> None:
    (reply,) = await say(fake, 501, command)
    text = visible([reply])
    for example in ("/ask", "/search", "/contact", f"@{BOT_USERNAME}"):
        assert example in text


async def test_ask_replies_with_the_engines_answer(fake, bot, engine) -> None:
    question = "哪个乡镇行政处罚最多"
    expected = render_answer(engine.ask(question, page=1, size=PAGE_SIZE))
    replies = await say(fake, 502, f"/ask {question}", count=len(expected))
    assert texts_of(replies) == expected
    assert "长生镇" in visible(replies)


async def test_search_highlights_the_words(fake, bot) -> None:
    (reply, *_) = await say(fake, 503, "/search 微信公众号")
    assert "<b>微信公众号</b>" in reply.params["text"]
    assert "长胜乡" in visible([reply]) and "升昌镇" in visible([reply])


async def test_contact_shows_the_phone_number(fake, bot) -> None:
    (reply, *_) = await say(fake, 504, "/contact 长胜乡")
    assert "0469-6101183" in visible([reply])


async def test_stats_counts_reports(fake, bot, engine) -> None:
    (reply,) = await say(fake, 505, "/stats")
    assert str(engine.stats()["reports"]) in visible([reply])
    assert "2023" in visible([reply])


async def test_command_without_words_explains_usage(fake, bot) -> None:
    (reply,) = await say(fake, 506, "/contact")
    assert "/contact" in visible([reply])


@pytest.mark.parametrize("words", ["AND OR (((", "😀😀😀", "长" * 600])
async def test_a_bad_query_gets_the_search_layers_explanation(fake, bot, engine, words) -> None:
    with pytest.raises(QueryError) as refusal:
        engine.search(words)
    (reply,) = await say(fake, 513, f"/search {words}")
    assert visible([reply]) == str(refusal.value)
    assert "抱歉" not in visible([reply])  # an explanation, not the error reply


# -- private and group chats -----------------------------------------------------------------


async def test_private_plain_text_is_a_question(fake, bot, engine) -> None:
    question = "长胜乡的联系电话"
    expected = render_answer(engine.ask(question, page=1, size=PAGE_SIZE))
    replies = await say(fake, 507, question, count=len(expected))
    assert texts_of(replies) == expected
    assert "0469-6101183" in visible(replies)


async def test_group_ignores_chatter_but_answers_commands(fake, bot) -> None:
    before = len(fake.calls)
    await fake.inject(fake.message(GROUP, "长胜乡的联系电话"))
    await fake.inject(fake.message(GROUP, f"/ask@{OTHER_BOT} 长胜乡的联系电话"))
    await fake.inject(fake.message(GROUP, f"@{OTHER_BOT} 长胜乡的联系电话"))
    command = fake.message(GROUP, f"/ask@{BOT_USERNAME} 长胜乡的联系电话")
    await fake.inject(command)
    (reply, *_) = await fake.wait_for("sendMessage", where=lambda c: c.seq >= before)
    sent = [c for c in fake.calls[before:] if c.method == "sendMessage"]
    quoted = {c.params["reply_parameters"]["message_id"] for c in sent}
    assert quoted == {command["message"]["message_id"]}  # no reply to the chatter
    assert "0469-6101183" in visible([reply])


async def test_group_answers_a_mention_and_quotes_it(fake, bot) -> None:
    update = fake.message(GROUP, f"@{BOT_USERNAME} 长胜乡的联系电话")
    await fake.inject(update)
    (reply, *_) = await fake.wait_for("sendMessage", where=lambda c: c.params["chat_id"] == GROUP)
    assert "0469-6101183" in visible([reply])
    assert reply.params["reply_parameters"]["message_id"] == update["message"]["message_id"]


async def test_group_answers_a_reply_to_the_bot(fake, bot) -> None:
    (first, *_) = await say(fake, GROUP, "/help")
    replies = await say(fake, GROUP, "升昌镇 邮编", reply_to=first.params["_result"])
    assert "155900" in visible(replies)


# -- inline mode -------------------------------------------------------------------------------


async def test_inline_query_offers_townships_and_answers(fake, bot) -> None:
    await fake.inject(fake.inline("长胜乡"))
    (call,) = await fake.wait_for("answerInlineQuery")
    results = call.params["results"]
    titles = [result["title"] for result in results]
    assert any("长胜乡" in title for title in titles)
    contents = " ".join(r["input_message_content"]["message_text"] for r in results)
    assert "0469-6101183" in contents


# -- paging ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "method"),
    [("/search 政府信息公开", "search"), ("/ask 2023年的乡镇", "ask")],
    ids=["search", "ask"],
)
async def test_next_page_button_edits_the_message_in_place(fake, engine, command, method) -> None:
    words = command.split(" ", 1)[1]
    page_two = render_answer(getattr(engine, method)(words, page=2, size=2))
    async with running_bot(fake, engine, page_size=2):
        (*_, reply) = await say(fake, 508, command)
        buttons = reply.params["reply_markup"]["inline_keyboard"][0]
        assert all(len(b["callback_data"].encode()) <= 64 for b in buttons)
        following = [b for b in buttons if "下一页" in b["text"]]
        assert following, "a result list longer than a page offers the next page"
        await fake.inject(fake.callback(reply, following[0]["callback_data"]))
        (edit,) = await fake.wait_for("editMessageText")
        await fake.wait_for("answerCallbackQuery")
    assert edit.params["message_id"] == reply.params["_result"]["message_id"]
    assert edit.params["text"] == page_two[0]
    assert any("上一页" in b["text"] for b in edit.params["reply_markup"]["inline_keyboard"][0])


async def test_pressing_the_current_page_changes_nothing(fake, engine) -> None:
    async with running_bot(fake, engine, page_size=2):
        (*_, reply) = await say(fake, 514, "/search 政府信息公开")
        buttons = reply.params["reply_markup"]["inline_keyboard"][0]
        (current,) = [b for b in buttons if "页" in b["text"] and "一页" not in b["text"]]
        await fake.inject(fake.callback(reply, current["callback_data"]))
        await fake.wait_for("answerCallbackQuery")
        await settle(fake, 514)
    assert not fake.ok_calls("editMessageText")
    assert not [c for c in fake.calls if c.method == "sendMessage" and "抱歉" in c.params["text"]]


async def test_a_stale_button_says_the_result_expired(fake, bot) -> None:
    (reply,) = await say(fake, 509, "/help")
    await fake.inject(fake.callback(reply, "p:s:0123456789ab:2"))
    (call,) = await fake.wait_for("answerCallbackQuery")
    assert call.params.get("show_alert") is True and "过期" in call.params["text"]
    assert not fake.ok_calls("editMessageText")


# -- escaping and splitting --------------------------------------------------------------------


async def test_report_text_with_markup_characters_is_escaped(fake, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    source = (SAMPLES / "000_d60345c9383538be.txt").read_text(encoding="utf-8")
    marked = source.replace("微信公众号", "微信公众号（A&B，1<2，x>y，<官网>）", 1)
    (corpus / "marked.txt").write_text(marked, encoding="utf-8")
    run_index([corpus], tmp_path / "index", progress=False)
    engine = Engine(tmp_path / "index")
    async with running_bot(fake, engine):
        replies = await say(fake, 510, "/search 微信公众号")
    text = replies[0].params["text"]  # the fake, like Telegram, refuses unescaped < and &
    for escaped in ("A&amp;B", "1&lt;2", "x&gt;y", "&lt;官网&gt;"):
        assert escaped in text
    assert "A&B，1<2，x>y，<官网>" in visible(replies)  # the user reads it as written


@pytest.mark.parametrize(
    ("html_text", "refused"),
    [("a &lt; b &amp; c", False), ("<b>x</b>", False), ("a < b", True), ("A&B", True),
     ("<script>x</script>", True), ("<b>x", True)],
)  # fmt: skip
def test_the_fake_refuses_html_as_telegram_does(html_text: str, refused: bool) -> None:
    assert (parse_html(html_text)[1] is not None) == refused


def test_a_long_answer_is_split_on_line_boundaries() -> None:
    lines = [f"{n:04d} 乡镇 <{n}> & 报告" for n in range(600)]
    answer = Answer(question="q", intent="filter", text="\n".join(lines), total=600)
    chunks = render_answer(answer)
    assert len(chunks) > 1
    assert all(len(chunk) < MAX_MESSAGE for chunk in chunks)
    assert "\n".join(parse_html(chunk)[0] for chunk in chunks) == answer.text


def test_a_single_overlong_line_is_cut_to_fit() -> None:
    answer = Answer(question="q", intent="keyword", text="长" * 9000 + "&")
    chunks = render_answer(answer)
    assert all(len(chunk) < MAX_MESSAGE for chunk in chunks)
    assert "".join(parse_html(chunk)[0] for chunk in chunks) == answer.text


def test_highlighted_terms_are_bold_and_everything_else_escaped() -> None:
    snippet = Snippet(text="通过微信公众号发布", html="通过<mark>微信公众号</mark>发布")
    answer = Answer(
        question="微信公众号",
        intent="keyword",
        text="长胜乡：通过微信公众号发布 <a> & more",
        results=[Result(report_id="x", snippets=[snippet])],
        total=1,
    )
    (html_text,) = render_answer(answer)
    assert html_text == "长胜乡：通过<b>微信公众号</b>发布 &lt;a&gt; &amp; more"


def busy_corpus(tmp_path: Path) -> Engine:
    """24 distinct reports whose snippets are long and full of & and <>: a long answer."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    source = (SAMPLES / "000_d60345c9383538be.txt").read_text(encoding="utf-8")
    for n in range(24):
        busy = "，".join(f"第{i}次在微信公众号发布了第{n}号&第{i}项<工作>" for i in range(30))
        text = source.replace("在微信公众号", busy + "。在微信公众号", 1)
        (corpus / f"busy_{n:02d}.txt").write_text(text, encoding="utf-8")
    run_index([corpus], tmp_path / "index", progress=False)
    return Engine(tmp_path / "index")


def buttons_of(markup: dict | None) -> list[dict]:
    return [button for row in (markup or {}).get("inline_keyboard", []) for button in row]


async def test_a_long_answer_is_cut_at_a_line_with_a_button_for_the_rest(fake, tmp_path) -> None:
    big = busy_corpus(tmp_path)
    answer = big.search("微信公众号", page=1, size=20)
    expected = render_answer(answer)
    assert len(expected) >= 2
    async with running_bot(fake, big, page_size=20):
        (first,) = await say(fake, 511, "/search 微信公众号")
        parts = [first]
        while rest := [
            b for b in buttons_of(parts[-1].params.get("reply_markup")) if "余下" in b["text"]
        ]:
            made = await press(fake, parts[-1], rest[0]["callback_data"])
            parts += [call for call in made if call.method == "sendMessage"]
    assert texts_of(parts) == expected  # every part is valid HTML below the limit (the fake)
    lines = answer.text.split("\n")
    for part in parts:  # each message holds whole lines of the answer, none cut in two
        shown = parse_html(part.params["text"])[0].split("\n")
        assert any(lines[i : i + len(shown)] == shown for i in range(len(lines)))
    assert visible(parts) == answer.text
    kept = fake.messages[(511, first.params["_result"]["message_id"])].get("reply_markup")
    assert [b for b in buttons_of(kept) if "下一页" in b["text"]]  # the pages stay
    assert not [b for b in buttons_of(kept) if "余下" in b["text"]]  # the rest was sent


def test_an_overlong_line_is_cut_after_a_punctuation_mark() -> None:
    answer = Answer(
        question="q", intent="keyword", text="长胜乡在微信公众号发布了A&B<工作>。" * 400
    )
    chunks = render_answer(answer)
    assert len(chunks) > 1
    assert all(parse_html(chunk)[0].endswith("。") for chunk in chunks)
    assert "".join(parse_html(chunk)[0] for chunk in chunks) == answer.text


# -- allowlist, rate limit, token ----------------------------------------------------------


async def test_allowlist_lets_only_listed_chats_in(fake, engine) -> None:
    async with running_bot(fake, engine, allowed_chat_ids=[601]):
        await fake.inject(fake.message(602, "长胜乡的联系电话"))
        await fake.inject(fake.message(602, "/help"))
        await fake.inject(fake.inline("长胜乡", user_id=602))
        await say(fake, 601, "/help")
    assert fake.ok_calls("sendMessage", chat_id=601)
    assert not fake.ok_calls("sendMessage", chat_id=602)
    assert not fake.ok_calls("answerInlineQuery")


async def test_rate_limit_answers_politely_then_stays_quiet(fake, engine) -> None:
    async with running_bot(fake, engine, rate_limit_per_minute=2):
        first = await say(fake, 603, "长胜乡的联系电话")
        second = await say(fake, 603, "升昌镇 邮编")
        (polite,) = await say(fake, 603, "幸福乡地址")
        before = len(fake.calls)
        await fake.inject(fake.message(603, "东沟乡地址"))
        await settle(fake, 603)
    assert "0469-6101183" in visible(first) and "155900" in visible(second)
    assert "一分钟" in visible([polite])
    later = [c for c in fake.calls[before:] if c.method == "sendMessage"]
    assert len(later) == 1 and "/ask" in visible(later)  # only the /help reply


async def test_token_is_never_logged_nor_sent(fake, engine, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    fake.fail("sendMessage", "500", times=1)
    async with running_bot(fake, engine) as application:
        logging.getLogger("test").info("the bot is %r", application.bot)
        try:
            raise RuntimeError(f"cannot reach {fake.base_url}{TOKEN}/getMe")
        except RuntimeError as exc:
            logging.getLogger("test").error("failed", exc_info=exc)
        await say(fake, 604, "长胜乡的联系电话")
    assert caplog.records, "the run logged something"
    assert TOKEN not in caplog.text
    assert all(TOKEN not in str(call.params) for call in fake.calls)


# -- the question table: the bot says what the search layer says ------------------------------


def expected_reply(engine: Engine, question: str) -> list[str]:
    """The messages the bot must send for ``question``: the search layer's answer, rendered."""
    try:
        return render_answer(engine.ask(question, page=1, size=PAGE_SIZE))
    except QueryError as exc:
        return [html.escape(str(exc), quote=False)]


async def test_every_question_of_the_table_is_answered_as_search_answers_it(fake, bot, engine):
    mismatches = []
    for number, row in enumerate(QUESTIONS):
        expected = expected_reply(engine, row.question)
        chat_id = 10_000 + number  # one asker each: the rate limit is per user
        replies = await say(fake, chat_id, row.question, count=len(expected))
        if texts_of(replies) != expected:
            mismatches.append((row.question, texts_of(replies), expected))
    assert not mismatches
    assert len(QUESTIONS) >= 40


# -- `gongkai bot`: the command itself -------------------------------------------------------


async def test_gongkai_bot_command_polls_answers_and_stops(fake, tmp_path: Path) -> None:
    run_index([SAMPLES], tmp_path / "index", progress=False)
    env = {
        **os.environ,
        "GONGKAI_BOT__TOKEN": TOKEN,
        "GONGKAI_BOT__API_BASE_URL": fake.base_url,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "gongkai.cli", "bot", "--index-dir", str(tmp_path / "index"),
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        await fake.wait_for("deleteWebhook", timeout=30)  # polling is starting
        replies = await say(fake, 512, "长胜乡的联系电话")
        assert "0469-6101183" in visible(replies)
    finally:
        process.send_signal(signal.SIGINT)
        out, err = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0
    assert b"long polling" in err
    assert TOKEN.encode() not in out + err


async def test_gongkai_bot_without_a_token_says_what_to_set(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONGKAI_")}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "gongkai.cli", "bot", "--index-dir", str(tmp_path),
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, err = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 2
    assert b"GONGKAI_BOT__TOKEN" in err and b"Traceback" not in err


async def test_gongkai_bot_with_a_refused_token_says_so_in_one_line(fake, tmp_path: Path) -> None:
    wrong = "999999:not-the-token-the-api-knows"
    env = {
        **os.environ,
        "GONGKAI_BOT__TOKEN": wrong,
        "GONGKAI_BOT__API_BASE_URL": fake.base_url,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "gongkai.cli", "bot", "--index-dir", str(tmp_path),
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 2
    assert b"refused the bot token" in err and b"Traceback" not in err
    assert wrong.encode() not in out + err
