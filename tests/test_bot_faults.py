"""The bot under a misbehaving Bot API: 429 with retry_after, 500, and requests that stall.

Every answer is still delivered exactly once and the bot keeps running.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import time
from pathlib import Path

import pytest

from indexer import run_index
from search import Engine
from tests.fake_telegram import TOKEN, FakeTelegram, running_bot, say
from tests.telegram_rules import parse_html

# PTB's own RetryAfter constructor warns about its int → timedelta migration on every 429.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
TIMEOUT = 1.0  # the bot's HTTP time-outs here, so that a stalled request is given up quickly


@pytest.fixture
async def bot(fake: FakeTelegram, engine: Engine):
    async with running_bot(fake, engine, timeout=TIMEOUT, poll_timeout=1.0) as application:
        yield application


async def delivered_once(fake: FakeTelegram, chat_id: int, phrase: str) -> None:
    """After a round trip through the same chat, exactly one delivered message has ``phrase``."""
    await say(fake, chat_id, "/help")  # handled after everything sent before it
    sent = fake.ok_calls("sendMessage", chat_id=chat_id)
    assert [phrase in parse_html(c.params["text"])[0] for c in sent].count(True) == 1


@pytest.mark.parametrize(
    ("kind", "times"),
    [("429", 1), ("429", 2), ("500", 1), ("500", 3), ("stall", 1)],
    ids=["429-once", "429-twice", "500-once", "500-thrice", "stall"],
)
async def test_a_failed_send_is_delivered_exactly_once(fake, bot, kind: str, times: int) -> None:
    fake.fail("sendMessage", kind, times=times, retry_after=1, stall=TIMEOUT * 3)
    replies = await say(fake, 701, "长胜乡的联系电话")
    assert "0469-6101183" in parse_html(replies[0].params["text"])[0]
    failed = [c for c in fake.calls if c.method == "sendMessage" and c.outcome != "ok"]
    assert len(failed) == times and all(c.seq < replies[0].seq for c in failed)
    await delivered_once(fake, 701, "0469-6101183")


@pytest.mark.parametrize("kind", ["429", "500", "stall"])
async def test_polling_survives_a_failing_get_updates(fake, bot, kind: str) -> None:
    await fake.wait_for("getUpdates")  # the poll is running
    fake.fail("getUpdates", kind, times=2, retry_after=1, stall=TIMEOUT + 3)
    replies = await say(fake, 702, "升昌镇 邮编")
    assert "155900" in parse_html(replies[0].params["text"])[0]
    await delivered_once(fake, 702, "155900")


async def test_a_send_that_keeps_failing_is_logged_and_the_user_told(fake, bot, caplog) -> None:
    caplog.set_level(logging.ERROR)
    fake.fail("sendMessage", "500", times=4)  # more than the bot retries one send
    (brief,) = await say(fake, 703, "长胜乡的联系电话")
    assert "抱歉" in parse_html(brief.params["text"])[0]
    assert any(r.exc_info and r.levelno == logging.ERROR for r in caplog.records)
    replies = await say(fake, 703, "升昌镇 邮编")  # and the bot keeps running
    assert "155900" in parse_html(replies[0].params["text"])[0]


async def test_a_rate_limited_page_edit_is_retried(fake, engine) -> None:
    async with running_bot(fake, engine, timeout=TIMEOUT, page_size=2):
        (*_, reply) = await say(fake, 704, "/search 政府信息公开")
        buttons = reply.params["reply_markup"]["inline_keyboard"][0]
        following = next(b for b in buttons if "下一页" in b["text"])
        fake.fail("editMessageText", "429", retry_after=1)
        await fake.inject(fake.callback(reply, following["callback_data"]))
        await fake.wait_for("answerCallbackQuery")
    assert len(fake.ok_calls("editMessageText")) == 1
    assert [c.outcome for c in fake.calls if c.method == "editMessageText"] == ["429", "ok"]


async def test_flood_control_in_one_chat_does_not_delay_another(fake, bot) -> None:
    fake.flood(705, seconds=3)  # a busy group: Telegram refuses messages to it for 3 s
    await fake.inject(fake.message(705, "长胜乡的联系电话"))
    (refused,) = await fake.wait_for("sendMessage", outcome="429")
    asked = time.perf_counter()
    (other,) = await say(fake, 706, "升昌镇 邮编")
    assert other.at - asked < 1.5  # not held up by the other chat's 3 s
    assert "155900" in parse_html(other.params["text"])[0]
    (late,) = await fake.wait_for("sendMessage", where=lambda c: c.params["chat_id"] == 705)
    assert late.at - refused.at >= 2.5 and other.seq < late.seq
    await delivered_once(fake, 705, "0469-6101183")


@pytest.mark.parametrize("kind", ["500", "429", "stall"])
async def test_a_transient_get_updates_failure_is_one_warning_line(
    fake, bot, caplog, kind: str
) -> None:
    caplog.set_level(logging.INFO)
    await fake.wait_for("getUpdates")
    fake.fail("getUpdates", kind, times=2, retry_after=1, stall=TIMEOUT + 3)
    replies = await say(fake, 707, "升昌镇 邮编")
    assert "155900" in parse_html(replies[0].params["text"])[0]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not [r for r in caplog.records if r.exc_info or r.exc_text]
    lines = [r.getMessage() for r in caplog.records if "getUpdates" in r.getMessage()]
    assert all("\n" not in line for line in lines)
    if kind == "500":  # PTB itself logs time-outs and 429s of the poll at DEBUG
        warned = [r for r in caplog.records if r.levelno == logging.WARNING]
        assert len(warned) == 2 and all("getUpdates failed" in r.getMessage() for r in warned)


async def test_gongkai_bot_logs_a_failed_poll_as_one_warning_line(fake, tmp_path: Path) -> None:
    run_index(
        [Path(__file__).resolve().parent.parent / "samples"], tmp_path / "index", progress=False
    )
    env = {**os.environ, "GONGKAI_BOT__TOKEN": TOKEN, "GONGKAI_BOT__API_BASE_URL": fake.base_url}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "gongkai.cli", "bot", "--index-dir", str(tmp_path / "index"),
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        await fake.wait_for("getUpdates", timeout=30)
        fake.fail("getUpdates", "500", times=1)
        replies = await say(fake, 708, "长胜乡的联系电话")
        assert "0469-6101183" in parse_html(replies[0].params["text"])[0]
    finally:
        process.send_signal(signal.SIGINT)
        _, err = await asyncio.wait_for(process.communicate(), timeout=30)
    lines = err.decode().splitlines()
    assert [line for line in lines if "getUpdates failed" in line and "WARNING" in line]
    assert "Traceback" not in err.decode() and "ERROR" not in err.decode()
