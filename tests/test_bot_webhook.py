"""Webhook mode: Telegram posts updates to the HTTP endpoint's server; the secret is checked."""

from __future__ import annotations

import pytest

from bot.http import create_app
from bot.telegram import attach_webhook
from bot.telegram.app import SECRET_HEADER
from gongkai.config import ConfigError
from tests.fake_telegram import bot_settings
from tests.telegram_rules import parse_html

SECRET = "s3cret-Token_for-tests"
HOOK_URL = "https://gongkai.example.org/telegram/webhook"


@pytest.fixture
async def server(fake, engine, aiohttp_client):
    """The HTTP endpoint with the bot's webhook mounted on it, as `gongkai serve` runs it."""
    settings = bot_settings(fake, webhook_url=HOOK_URL, webhook_secret=SECRET)
    app = create_app(settings, engine)
    attach_webhook(app, settings)
    return await aiohttp_client(app), settings


async def post_update(client, settings, update: dict, secret: str | None = SECRET):
    headers = {SECRET_HEADER: secret} if secret is not None else {}
    return await client.post(settings.bot.webhook_path, json=update, headers=headers)


async def test_webhook_is_registered_with_its_secret(fake, server) -> None:
    (call,) = await fake.wait_for("setWebhook")
    assert call.params["url"] == HOOK_URL
    assert call.params["secret_token"] == SECRET
    assert await fake.wait_for("setMyCommands")


async def test_an_update_with_the_right_secret_is_answered(fake, server) -> None:
    client, settings = server
    update = {"update_id": 1, **fake.message(801, "长胜乡的联系电话")}
    response = await post_update(client, settings, update)
    assert response.status == 200
    (reply, *_) = await fake.wait_for("sendMessage", where=lambda c: c.params["chat_id"] == 801)
    assert "0469-6101183" in parse_html(reply.params["text"])[0]
    health = await client.get("/healthz")  # the HTTP endpoint still serves beside it
    assert health.status == 200


@pytest.mark.parametrize("secret", ["wrong-secret", "", None], ids=["wrong", "empty", "missing"])
async def test_a_wrong_or_missing_secret_is_refused(fake, server, secret) -> None:
    client, settings = server
    refused = {"update_id": 1, **fake.message(802, "长胜乡的联系电话")}
    response = await post_update(client, settings, refused, secret=secret)
    assert response.status == 403
    assert (await response.json())["error"]["code"] == "forbidden"
    accepted = {"update_id": 2, **fake.message(803, "/help")}
    assert (await post_update(client, settings, accepted)).status == 200
    await fake.wait_for("sendMessage", where=lambda c: c.params["chat_id"] == 803)
    assert not fake.ok_calls("sendMessage", chat_id=802)


async def test_a_body_that_is_not_an_update_is_a_bad_request(server) -> None:
    client, settings = server
    response = await client.post(
        settings.bot.webhook_path, data=b"not json", headers={SECRET_HEADER: SECRET}
    )
    assert response.status == 400


def test_webhook_mode_needs_a_secret(fake, engine) -> None:
    settings = bot_settings(fake, webhook_url=HOOK_URL)
    with pytest.raises(ConfigError, match="WEBHOOK_SECRET"):
        attach_webhook(create_app(settings, engine), settings)
