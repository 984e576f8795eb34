"""Shared fixtures: the bundled sample reports, an engine over them, the fake Bot API."""

from __future__ import annotations

from pathlib import Path

import pytest

from search import Engine
from tests.fake_telegram import FakeTelegram
from tests.question_table import build_sample_index

ROOT = Path(__file__).resolve().parent.parent
SAMPLES_DIR = ROOT / "samples"
SAMPLE_PATHS = sorted(SAMPLES_DIR.glob("*.txt"))


def sample_path(prefix: str) -> Path:
    """The sample whose file name starts with ``prefix`` (e.g. "002")."""
    (path,) = [p for p in SAMPLE_PATHS if p.name.startswith(prefix)]
    return path


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real index of the bundled samples, built once per session; tests only read it."""
    return build_sample_index(tmp_path_factory.mktemp("index"))


@pytest.fixture(scope="session")
def sample_engine(sample_index: Path) -> Engine:
    """An `Engine` over the session's index of the bundled samples."""
    engine = Engine(sample_index)
    yield engine
    engine.close()


@pytest.fixture
def engine(sample_engine: Engine) -> Engine:
    """The search layer over a real index of the bundled samples (built once a session)."""
    return sample_engine


@pytest.fixture
async def fake() -> FakeTelegram:
    """A fake Telegram Bot API server on loopback, for the real python-telegram-bot."""
    server = await FakeTelegram().start()
    yield server
    await server.close()
