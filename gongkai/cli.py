"""The ``gongkai`` command line: index, parse, ask, search, serve, bot, fetch."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from gongkai.config import ConfigError, Settings, load_settings


def _parser() -> argparse.ArgumentParser:
    # SUPPRESS: an option given before the subcommand is not reset by the subcommand's parser.
    common = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    common.add_argument("--config", type=Path, help="TOML config file (see config.example.toml)")
    common.add_argument("--index-dir", type=Path, help="index directory (overrides the config)")
    top = argparse.ArgumentParser(prog="gongkai", description=__doc__, parents=[common])
    sub = top.add_subparsers(dest="command", required=True)

    p = sub.add_parser("index", parents=[common], help="index report files and folders")
    p.add_argument("paths", nargs="+", type=Path)
    p.add_argument("--rebuild", action="store_true", help="start over instead of updating")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")

    p = sub.add_parser("parse", parents=[common], help="parse one report and print it")
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true", help="print the full record as JSON")

    for name, what in (("ask", "answer a question"), ("search", "keyword search")):
        p = sub.add_parser(name, parents=[common], help=what)
        p.add_argument("query")
        p.add_argument("--json", action="store_true", help="print the Answer as JSON")
        p.add_argument("--page", type=int, default=1)
        p.add_argument("--size", type=int, default=10)

    p = sub.add_parser("serve", parents=[common], help="run the HTTP endpoint and web page")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.add_argument("--demo", action="store_true", help="index the bundled samples first if needed")

    sub.add_parser("bot", parents=[common], help="run the Telegram bot (long polling)")

    p = sub.add_parser("fetch", parents=[common], help="fetch reports from a portal's column")
    p.add_argument("urls", nargs="+", metavar="URL", help="a column's (list's) first page")
    p.add_argument("--out", type=Path, help="folder to save into (default: [fetch] out_dir)")
    p.add_argument("--since", type=int, metavar="YEAR", help="only reports of YEAR and later")
    p.add_argument("--max-pages", type=int, metavar="N", help="at most N requests this run")
    p.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="HOST",
        help="another host report pages and files may come from",
    )
    p.add_argument(
        "--any-path",
        action="store_true",
        help="follow the column's pages anywhere on its host, not only under its path",
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    return top


# Past this many reports in a Whoosh index, `gongkai index` suggests tantivy.
_TANTIVY_HINT_REPORTS = 5000


def _cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    from indexer import run_index
    from indexer.indexing.worker import FileBudget

    budget = FileBudget(settings.index.seconds_per_file, settings.index.memory_per_file_mb)
    summary = run_index(
        args.paths,
        settings.index_dir,
        rebuild=args.rebuild,
        progress=not args.no_progress,
        budget=budget,
        engine=settings.index.engine,
    )
    print(summary.describe())
    if summary.indexed or summary.removed:  # a new generation: save what servers start from
        from search.prepared import prepare_index

        prepare_index(settings.index_dir)
    reports = summary.indexed + summary.unchanged
    if settings.index.engine == "whoosh" and reports > _TANTIVY_HINT_REPORTS:
        print(
            f"{reports:,} reports: the tantivy engine answers keyword questions much faster "
            'at this size; set [index] engine = "tantivy" in the config file or '
            "GONGKAI_INDEX__ENGINE=tantivy (the next run rebuilds the full-text store)",
            file=sys.stderr,
        )
    return 1 if summary.failed and not (summary.indexed or summary.unchanged) else 0


def _cmd_parse(args: argparse.Namespace, settings: Settings) -> int:
    from indexer import parse_file

    report = parse_file(args.file)
    if args.json:
        print(report.model_dump_json(indent=2))
    else:
        print(f"{report.agency or '?'} · {report.year or '?'} · {len(report.checks)} checks")
        for check in report.checks:
            print(f"  [{check.code}] {check.message}")
    return 0


def _cmd_query(args: argparse.Namespace, settings: Settings) -> int:
    from search import Engine

    engine = Engine(settings.index_dir, warm=False)  # one question: nothing made ahead
    method = engine.ask if args.command == "ask" else engine.search
    answer = method(args.query, page=args.page, size=args.size)
    print(answer.model_dump_json(indent=2) if args.json else answer.text)
    return 0


def _cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from bot.http import run_server

    run_server(settings, host=args.host, port=args.port, demo=args.demo)
    return 0


def _cmd_bot(args: argparse.Namespace, settings: Settings) -> int:
    from bot.telegram import run_polling

    run_polling(settings)
    return 0


def _cmd_fetch(args: argparse.Namespace, settings: Settings) -> int:
    from gongkai import __version__
    from gongkai.fetch import ClientOptions, FetchError, FetchOptions, run_fetch

    conf = settings.fetch
    if not conf.contact:
        raise ConfigError(
            "fetch needs a contact for site operators in the User-Agent: set [fetch] contact "
            "in the config file or GONGKAI_FETCH__CONTACT (a web page or mailto: address)"
        )
    options = FetchOptions(
        out=args.out or conf.out_dir,
        since=args.since,
        max_requests=args.max_pages or conf.max_pages,
        any_path=args.any_path,
        allow_hosts=tuple(args.allow_host),
        progress=not args.no_progress and sys.stderr.isatty(),
    )
    client = ClientOptions(
        user_agent=f"gongkai/{__version__} (+{conf.contact})",
        delay=conf.delay,
        timeout=conf.timeout,
        retries=conf.retries,
        backoff=conf.backoff,
        max_retry_after=conf.max_retry_after,
        max_bytes=conf.max_file_mb << 20,
    )
    try:
        summary = run_fetch(args.urls, options, client)
    except FetchError as exc:
        print(f"gongkai: {exc}", file=sys.stderr)
        return 2
    print(summary.describe())
    return 1 if summary.failed and not (summary.fetched or summary.unchanged) else 0


_COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], int]] = {
    "index": _cmd_index,
    "parse": _cmd_parse,
    "ask": _cmd_query,
    "search": _cmd_query,
    "serve": _cmd_serve,
    "bot": _cmd_bot,
    "fetch": _cmd_fetch,
}


def main(argv: list[str] | None = None) -> int:
    """Run one command; errors are one line on stderr and a non-zero exit, never a traceback."""
    from indexer.errors import IndexerError
    from search.errors import SearchError

    args = _parser().parse_args(argv)
    try:
        settings = load_settings(
            getattr(args, "config", None), index_dir=getattr(args, "index_dir", None)
        )
        code = _COMMANDS[args.command](args, settings)
        sys.stdout.flush()  # here, so that a closed pipe is caught below and not at exit
        return code
    except (ConfigError, IndexerError, SearchError) as exc:
        print(f"gongkai: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader went away (`gongkai parse … | head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second failure at exit
        return 141  # as a shell reports a command ended by SIGPIPE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
