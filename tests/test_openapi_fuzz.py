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
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from bot.http import create_app
from bot.openapi import build_openapi
from gongkai.config import Settings

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
def live_url(sample_index: Path) -> Iterator[str]:
    """Base URL of the app serving a real index of the samples."""
    server = _ServerThread(create_app(Settings(index_dir=sample_index)))
    server.start()
    assert server.ready.wait(timeout=30), "the server did not start"
    yield f"http://127.0.0.1:{server.port}"
    server.stop()


@pytest.fixture(scope="module")
def api_schema(live_url: str) -> Any:
    """The app's OpenAPI description, as schemathesis loads it from the live app."""
    return schemathesis.openapi.from_url(f"{live_url}/openapi.json")


# The operations, from the same description the app serves (it needs no running app).
_SPEC = build_openapi(Settings())["paths"]
CASES = [
    (path, mode)
    for path, item in sorted(_SPEC.items())
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    # Invalid input can only be made for operations that take query parameters.
    if mode is GenerationMode.POSITIVE or any(p["in"] == "query" for p in item["get"]["parameters"])
]


def _takes_questions(path: str) -> bool:
    return any(p["name"] == "q" for p in _SPEC[path]["get"]["parameters"])


@pytest.mark.parametrize(("path", "mode"), CASES)
def test_every_operation_keeps_its_description(
    api_schema: Any, path: str, mode: GenerationMode
) -> None:
    """No 5xx; status, content type and body as the description says, for any input."""
    operation = api_schema[path]["GET"]
    # A question can be well-formed and still have nothing to look for (only punctuation or
    # emoji): the engine answers 400 with a JSON error, as the description says it may.
    excluded = [positive_data_acceptance] if _takes_questions(path) else []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        case.call_and_validate(excluded_checks=excluded)

    check()
