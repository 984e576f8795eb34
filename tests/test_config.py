"""Configuration: file + environment, typos are errors, the token never comes from a file."""

from pathlib import Path

import pytest

from gongkai.config import ConfigError, load_settings

ROOT = Path(__file__).resolve().parent.parent


def test_example_config_loads() -> None:
    settings = load_settings(ROOT / "config.example.toml")
    assert settings.server.port == 8080
    assert settings.bot.token is None


def test_environment_overrides_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GONGKAI_SERVER__PORT", "9123")
    assert load_settings(ROOT / "config.example.toml").server.port == 9123


def test_missing_config_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "nope.toml")


def test_typo_in_config_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[server]\nprot = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"server\.prot"):
        load_settings(path)


def test_token_in_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[bot]\ntoken = "123:abc"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="GONGKAI_BOT__TOKEN") as info:
        load_settings(path)
    assert "123:abc" not in str(info.value)


def test_token_from_environment_is_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GONGKAI_BOT__TOKEN", "123:secret")
    settings = load_settings()
    assert settings.bot.token is not None
    assert settings.bot.token.get_secret_value() == "123:secret"
    assert "123:secret" not in repr(settings)
