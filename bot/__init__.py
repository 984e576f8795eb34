"""bot: the Telegram bot and the HTTP endpoint that relay `search` answers."""
