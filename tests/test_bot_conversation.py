"""The bot in a conversation: deep links, edited questions, /ask as a reply, inline mode, the
page counter and /report — the real python-telegram-bot against the fake Bot API."""

from __future__ import annotations

import re

import pytest

from bot.telegram import render_answer
from bot.telegram.deeplink import decode_question, encode_question, question_link
from bot.telegram.format import render_one
from bot.telegram.texts import INLINE_EXAMPLES
from search import Engine
from tests.fake_telegram import BOT_USERNAME, FakeTelegram, press, running_bot, say
from tests.telegram_rules import parse_html

PAGE_SIZE = 5
GROUP = -1005678
PUBLIC_URL = "https://gongkai.example.org"


@pytest.fixture
async def bot(fake: FakeTelegram, engine: Engine):
    async with running_bot(fake, engine, page_size=PAGE_SIZE) as application:
        yield application


def visible(*calls) -> str:
    return "\n".join(parse_html(call.params["text"])[0] for call in calls)


def first_message(engine: Engine, question: str) -> str:
    return render_answer(engine.ask(question, page=1, size=PAGE_SIZE))[0]


def sends_to(fake: FakeTelegram, chat_id: int) -> list:
    return [c for c in fake.calls if c.method == "sendMessage" and c.params["chat_id"] == chat_id]


# -- deep links (/start PAYLOAD) -------------------------------------------------------------


async def test_a_deep_link_asks_its_question(fake, bot, engine) -> None:
    link = question_link(BOT_USERNAME, "长胜乡的联系电话")
    assert link.startswith(f"https://t.me/{BOT_USERNAME}?start=")
    payload = link.split("?start=", 1)[1]
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", payload)  # what Telegram allows
    (reply,) = await say(fake, 520, f"/start {payload}")
    assert reply.params["text"] == first_message(engine, "长胜乡的联系电话")
    assert "0469-6101183" in visible(reply)


@pytest.mark.parametrize("payload", ["", "hello", "not-a-question", "____"])
async def test_a_start_without_a_question_greets(fake, bot, payload) -> None:
    (reply,) = await say(fake, 521, f"/start {payload}".strip())
    assert "/ask" in visible(reply) and "/contact" in visible(reply)


@pytest.mark.parametrize("question", ["长胜乡的联系电话", "哪个乡镇行政处罚最多", "2023 年 towns?"])
def test_deep_link_payloads_round_trip(question: str) -> None:
    payload = encode_question(question)
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", payload)
    assert decode_question(payload) == question


def test_a_question_too_long_for_a_deep_link_is_refused() -> None:
    encode_question("长" * 16)  # 48 bytes: fits
    with pytest.raises(ValueError, match="48 bytes"):
        encode_question("长" * 17)


# -- edited questions --------------------------------------------------------------------------


async def test_an_edited_question_edits_its_answer_in_place(fake, bot, engine) -> None:
    question = fake.message(530, "长胜乡的联系电话")
    await fake.inject(question)
    (answer,) = await fake.wait_for("sendMessage", where=lambda c: c.params["chat_id"] == 530)
    await fake.inject(fake.edited(question, "升昌镇 邮编"))
    (edit,) = await fake.wait_for("editMessageText")
    assert edit.params["message_id"] == answer.params["_result"]["message_id"]
    assert edit.params["text"] == first_message(engine, "升昌镇 邮编")
    assert "155900" in visible(edit)
    assert len(sends_to(fake, 530)) == 1  # no second message


async def test_an_edited_question_gets_a_new_reply_once_the_bot_said_more(fake, bot) -> None:
    question = fake.message(531, "长胜乡的联系电话")
    await fake.inject(question)
    await fake.wait_for("sendMessage", where=lambda c: c.params["chat_id"] == 531)
    await say(fake, 531, "/help")  # the answer is no longer the bot's last message here
    before = len(fake.calls)
    await fake.inject(fake.edited(question, "升昌镇 邮编"))
    (reply,) = await fake.wait_for("sendMessage", where=lambda c: c.seq >= before)
    assert "155900" in visible(reply)
    assert reply.params["reply_parameters"]["message_id"] == question["message"]["message_id"]
    assert not [c for c in fake.calls if c.method == "editMessageText"]


async def test_an_edited_group_question_is_answered_again(fake, bot) -> None:
    question = fake.message(GROUP, f"@{BOT_USERNAME} 长胜乡的联系电话")
    await fake.inject(question)
    await fake.wait_for("sendMessage", where=lambda c: c.params["chat_id"] == GROUP)
    await fake.inject(fake.edited(question, f"@{BOT_USERNAME} 升昌镇 邮编"))
    (edit,) = await fake.wait_for("editMessageText")
    assert "155900" in visible(edit)


# -- /ask as a reply ---------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["/ask", f"/ask@{BOT_USERNAME}"])
async def test_ask_as_a_reply_asks_the_replied_message(fake, bot, engine, command) -> None:
    chatter = fake.message(GROUP, "长胜乡的联系电话是多少？", user_id=5151)
    await fake.inject(chatter)  # not addressed to the bot: no answer to it
    asking = fake.message(GROUP, command, user_id=6161, reply_to=chatter["message"])
    await fake.inject(asking)
    (reply,) = await fake.wait_for("sendMessage", where=lambda c: c.params["chat_id"] == GROUP)
    assert reply.params["text"] == first_message(engine, "长胜乡的联系电话是多少？")
    assert "0469-6101183" in visible(reply)
    assert reply.params["reply_parameters"]["message_id"] == asking["message"]["message_id"]


async def test_ask_with_words_in_a_reply_asks_the_words(fake, bot) -> None:
    chatter = fake.message(GROUP, "长胜乡的联系电话是多少？", user_id=5151)
    await fake.inject(chatter)
    replies = await say(fake, GROUP, "/ask 升昌镇 邮编", user_id=6161, reply_to=chatter["message"])
    assert "155900" in visible(*replies) and "0469-6101183" not in visible(*replies)


# -- inline mode -------------------------------------------------------------------------------


async def test_inline_results_never_repeat_a_message(fake, bot) -> None:
    await fake.inject(fake.inline("长胜乡"))
    (call,) = await fake.wait_for("answerInlineQuery")
    messages = [r["input_message_content"]["message_text"] for r in call.params["results"]]
    assert messages and len(messages) == len(set(messages))
    (card,) = [
        r
        for r in call.params["results"]
        if "0469-6101183" in r["input_message_content"]["message_text"]
    ]
    assert "长胜乡" in card["title"]


async def test_an_empty_inline_query_offers_three_example_questions(fake, bot, engine) -> None:
    await fake.inject(fake.inline(""))
    (call,) = await fake.wait_for("answerInlineQuery")
    results = call.params["results"]
    year = max(engine.stats()["years"])
    questions = [template.format(year=year) for template in INLINE_EXAMPLES]
    assert len(results) == 3
    for result, question in zip(results, questions, strict=True):
        assert question in result["title"]
        expected = render_one(engine.ask(question, 1, PAGE_SIZE))
        assert result["input_message_content"]["message_text"] == expected
    assert "长生镇" in results[0]["input_message_content"]["message_text"]  # the most penalties


# -- the page counter --------------------------------------------------------------------------


async def test_the_page_counter_does_nothing(fake, engine) -> None:
    async with running_bot(fake, engine, page_size=2):
        (*_, reply) = await say(fake, 540, "/search 政府信息公开")
    counter = next(
        b for b in reply.params["reply_markup"]["inline_keyboard"][0] if "/" in b["text"]
    )
    async with running_bot(fake, engine, page_size=2):  # restarted: it remembers no question
        made = await press(fake, reply, counter["callback_data"])
    (answered,) = [c for c in made if c.method == "answerCallbackQuery"]
    assert answered.outcome == "ok"
    assert not answered.params.get("text") and not answered.params.get("show_alert")
    assert [c.method for c in made if c.method != "getUpdates"] == ["answerCallbackQuery"]


# -- /report -----------------------------------------------------------------------------------


async def test_report_summarises_a_township_with_a_link_to_its_page(fake, engine) -> None:
    (record,) = engine.reports(township="长胜乡")
    async with running_bot(fake, engine, server={"public_url": PUBLIC_URL + "/"}):
        (reply,) = await say(fake, 550, "/report 长胜乡")
    text = visible(reply)
    assert "长胜乡" in text and f"{record.year}年" in text and record.agency in text
    new = record.applications["new"].total
    assert f"本年新收 {new} 件" in text
    assert f"行政复议 · reviews：{record.reviews.total} 件" in text
    assert f"{len(record.checks)} 项" in text and record.checks[0].message in text
    assert f'<a href="{PUBLIC_URL}/reports/{record.id}">' in reply.params["text"]


async def test_report_without_a_public_url_has_no_link(fake, bot) -> None:
    (reply,) = await say(fake, 551, "/report 升昌镇")
    assert "升昌镇" in visible(reply) and "<a " not in reply.params["text"]


async def test_a_blank_figure_is_reported_as_missing_not_zero(fake, engine) -> None:
    (record,) = engine.reports(township="升昌镇")
    blank = record.model_copy(deep=True)
    blank.applications["new"].total = None
    blank.reviews.total = None
    async with running_bot(fake, Engine.from_records([blank])):
        (reply,) = await say(fake, 552, "/report 升昌镇")
    assert "本年新收 报告中没有写" in visible(reply)
    assert "行政复议 · reviews：报告中没有写" in visible(reply)


@pytest.mark.parametrize(
    ("words", "said"),
    [("没有这个乡", "没有找到"), ("长胜乡 2019", "现有年份：2023"), ("", "/report 城关镇")],
)
async def test_report_says_what_it_could_not_find(fake, bot, words, said) -> None:
    (reply,) = await say(fake, 553, f"/report {words}".strip())
    assert said in visible(reply)
