"""Property-based run of the live app's own OpenAPI description (schemathesis).

The app serves a real index of the samples on a loopback port in a thread; schemathesis
loads /openapi.json from it and, for every operation, sends a bounded number of generated
requests, valid and invalid, checking that none is a server error and that every response
matches the description (status, content type, body schema).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from aiohttp import web
from hypothesis import HealthCheck, settings

from bot.http import create_app
from gongkai.config import Settings

SAMPLES = Path(__file__).parent.parent / "samples"
MAX_EXAMPLES = 25

pytestmark = pytest.mark.slow


class _ServerThread(threading.Thread):
    """The app on 127.0.0.1 with a free port, in its own event loop."""

    def __init__(self, app: web.Application) -> None:
        super().__init__(daemon=True)
        self.app = app
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.port = 0
        self._runner = web.AppRunner(app, access_log=None)

    def run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._start())
        self.ready.set()
        self.loop.run_forever()
        self.loop.run_until_complete(self._runner.cleanup())
        self.loop.close()

    async def _start(self) -> None:
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.join(timeout=10)


@pytest.fixture(scope="module")
def live_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of the app serving a real index of the samples."""
    from indexer import run_index

    index_dir = tmp_path_factory.mktemp("fuzz-index")
    run_index([SAMPLES], index_dir, progress=False)
    server = _ServerThread(create_app(Settings(index_dir=index_dir)))
    server.start()
    assert server.ready.wait(timeout=30), "the server did not start"
    yield f"http://127.0.0.1:{server.port}"
    server.stop()


@pytest.fixture(scope="module")
def api_schema(live_url: str) -> Any:
    """The app's OpenAPI description, as schemathesis loads it from the live app."""
    return schemathesis.openapi.from_url(f"{live_url}/openapi.json")


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_every_operation_keeps_its_description(case: Any) -> None:
    """No 5xx; status, content type and body as the description says, for any input."""
    case.call_and_validate()
