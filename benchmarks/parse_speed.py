"""Parsing speed: reports per second over the bundled samples, read from disk and parsed.

    .venv/bin/python benchmarks/parse_speed.py [--repeat N] [--folder DIR] [PATH ...]

Each round parses every sample with `parse_file` (read, decode, normalise, sections, tables,
narrative, gazetteer, checks). The first round also loads the rule files and the gazetteer
and is timed apart. Prints one summary line. ``--folder`` parses every file of a folder
instead, e.g. the synthetic corpus of ``../shared/bench/make_corpus.py`` (one round is
usually enough there: ``--repeat 1``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer import parse_file  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Parse the samples ``--repeat`` times and print reports per second."""
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--repeat", type=int, default=20, help="rounds over the samples")
    args.add_argument("--folder", type=Path, help="parse every file in this folder")
    args.add_argument("paths", nargs="*", type=Path, help="report files (default: samples/)")
    opts = args.parse_args(argv)
    if opts.folder is not None:
        paths = sorted(p for p in opts.folder.iterdir() if p.is_file())
    else:
        paths = opts.paths or sorted((ROOT / "samples").glob("*.txt"))
    start = time.perf_counter()
    for path in paths:
        parse_file(path)
    warm_up = time.perf_counter() - start
    rounds = []
    for _ in range(opts.repeat):
        start = time.perf_counter()
        for path in paths:
            parse_file(path)
        rounds.append(time.perf_counter() - start)
    per_report = statistics.median(rounds) / len(paths)
    print(
        f"parse: {len(paths)} reports x {opts.repeat} rounds: "
        f"{1 / per_report:.0f} reports/s (median {per_report * 1000:.1f} ms/report; "
        f"first round incl. loading rules and gazetteer {warm_up:.2f} s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
