"""Bot latency: update in → reply out, p50/p95, the real bot against the fake Bot API.

Builds an index of the bundled samples in a temporary folder, runs the bot by long polling
against the fake server on loopback (tests/fake_telegram.py) and times, for each kind of
question, from the moment an update is queued to the moment the bot's sendMessage arrives.
Telegram's own network time is not in these figures.

    .venv/bin/python benchmarks/bot_latency.py [--rounds 60] [--burst 20]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer import run_index  # noqa: E402
from search import Engine  # noqa: E402
from tests.fake_telegram import FakeTelegram, running_bot  # noqa: E402

KINDS = {
    "contact": "长胜乡的联系电话",
    "filter": "黑龙江省的乡镇",
    "rank": "哪个乡镇行政处罚最多",
    "count": "2023年一共收到多少政府信息公开申请",
    "keyword": "/search 微信公众号",
    "stats": "/stats",
}


def percentile(values: list[float], share: float) -> float:
    """The ``share`` percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


async def one(fake: FakeTelegram, chat_id: int, text: str) -> float:
    """Seconds from queuing ``text`` to the bot's first reply in ``chat_id``."""
    before = len(fake.calls)
    started = time.perf_counter()
    await fake.inject(fake.message(chat_id, text))
    (reply, *_) = await fake.wait_for(
        "sendMessage", where=lambda c: c.seq >= before and c.params.get("chat_id") == chat_id
    )
    return reply.at - started


async def burst(fake: FakeTelegram, size: int, text: str) -> list[float]:
    """``size`` users asking at the same moment; each one's latency."""
    return await asyncio.gather(*(one(fake, 50_000 + n, text) for n in range(size)))


async def measure(rounds: int, burst_size: int) -> None:
    """Run the benchmark and print a Markdown table."""
    with tempfile.TemporaryDirectory() as tmp:
        run_index([ROOT / "samples"], Path(tmp), progress=False)
        engine = Engine(Path(tmp))
        fake = await FakeTelegram().start()
        try:
            async with running_bot(fake, engine, rate_limit_per_minute=100_000):
                await one(fake, 1, "/help")  # warm up
                print("| question kind | n | p50 ms | p95 ms |\n|---|---|---|---|")
                for kind, text in KINDS.items():
                    times = [await one(fake, 2 + n % 7, text) for n in range(rounds)]
                    _row(kind, times)
                times = await burst(fake, burst_size, KINDS["contact"])
                _row(f"contact, {burst_size} users at once", times)
        finally:
            await fake.close()
            engine.close()


def _row(kind: str, times: list[float]) -> None:
    p50, p95 = percentile(times, 0.50) * 1000, percentile(times, 0.95) * 1000
    print(f"| {kind} | {len(times)} | {p50:.1f} | {p95:.1f} |")


def main() -> None:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--burst", type=int, default=20)
    args = parser.parse_args()
    started = time.perf_counter()
    asyncio.run(measure(args.rounds, args.burst))
    import telegram

    print(
        f"\nPython {platform.python_version()}, python-telegram-bot {telegram.__version__}, "
        f"{os.cpu_count()} CPUs; {time.perf_counter() - started:.1f} s in all"
    )


if __name__ == "__main__":
    main()
