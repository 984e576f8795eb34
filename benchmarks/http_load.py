"""Load figure for the HTTP endpoint: requests/s and latency percentiles of /api/ask.

Builds an index of the bundled samples in a temporary folder, starts `gongkai serve` on a
free loopback port, and runs wrk (Debian package `wrk`) against it, one bounded run per kind
of question. Loopback only; every run is bounded in time; the server is stopped at the end.

    .venv/bin/python benchmarks/http_load.py [--seconds 10] [--connections 16] [--threads 2]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS: tuple[tuple[str, str], ...] = (
    ("health", "/healthz"),
    ("contact", "/api/ask?q=" + quote("长胜乡电话")),
    ("keyword", "/api/ask?q=" + quote("微信公众号")),
    ("filter", "/api/ask?q=" + quote("2023年有哪些乡镇收到了政府信息公开申请？")),
    ("rank", "/api/ask?q=" + quote("哪个乡镇行政处罚最多")),
)
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(base: str, proc: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("the server exited before it was ready")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not become healthy in time")


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def _wrk(url: str, args: argparse.Namespace) -> dict[str, float]:
    """One bounded wrk run: requests/s, p50/p99 latency (ms), non-2xx responses."""
    out = subprocess.run(
        [
            "wrk",
            f"-t{args.threads}",
            f"-c{args.connections}",
            f"-d{args.seconds}s",
            "--timeout",
            "5s",
            "--latency",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=args.seconds + 30,
        check=True,
    ).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", out, re.M))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50": _ms(latency["50"]),
        "p99": _ms(latency["99"]),
        "errors": float(non2xx.group(1)) if non2xx else 0.0,
    }


def main() -> int:
    """Run the load figure and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is not installed: apt-get install -y wrk", file=sys.stderr)
        return 2
    gongkai = Path(sys.executable).parent / "gongkai"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "GONGKAI_INDEX_DIR": str(Path(tmp) / "index")}
        subprocess.run(
            [gongkai, "index", "--no-progress", "samples"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        proc = subprocess.Popen(
            [gongkai, "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_healthy(base, proc)
            print(
                f"wrk -t{args.threads} -c{args.connections} -d{args.seconds}s, loopback, "
                f"{os.cpu_count()} cores, samples/ index\n"
            )
            print("| request | requests/s | p50 ms | p99 ms | non-2xx |")
            print("| --- | ---: | ---: | ---: | ---: |")
            for kind, path in QUESTIONS:
                r = _wrk(base + path, args)
                print(
                    f"| {kind} `{path.split('?')[0]}` | {r['rps']:.0f} | {r['p50']:.1f} | "
                    f"{r['p99']:.1f} | {r['errors']:.0f} |"
                )
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
