"""``ariadne-lsp``: serve LSP (the default, what editors launch) or ``summarize PATH…`` from a shell."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ariadne_lsp import __version__

if TYPE_CHECKING:
    from ariadne_lsp.server import AriadneServer

log = logging.getLogger("ariadne_lsp")

#: Folders never worth walking into.
SKIPPED_DIRS = {
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    "node_modules",
    "__pycache__",
    "dist",
    "build",
    "target",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ariadne-lsp",
        description="Ariadne: LLM summaries of functions, methods and classes, as a language server "
        "(default: LSP over stdio) or from the command line (summarize).",
    )
    parser.add_argument("--version", action="version", version=f"ariadne-lsp {__version__}")
    parser.add_argument(
        "--stdio",
        action="store_true",
        help="serve over stdio (the default; accepted for clients that pass it)",
    )
    parser.add_argument("--tcp", action="store_true", help="serve over TCP instead of stdio")
    parser.add_argument("--host", default="127.0.0.1", help="TCP host (with --tcp)")
    parser.add_argument("--port", type=int, default=2087, help="TCP port (with --tcp)")
    parser.add_argument("--log-file", help="write logs to this file instead of stderr")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more logging (-vv: debug)")
    sub = parser.add_subparsers(dest="command")
    summarize = sub.add_parser("summarize", help="summarise the symbols of files or folders")
    summarize.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    summarize.add_argument("--json", action="store_true", help="machine-readable output")
    summarize.add_argument(
        "--backend", choices=["auto", "openai", "offline"], default="auto", help="default: auto"
    )
    summarize.add_argument("--model", help="model name (default gpt-4o-mini)")
    summarize.add_argument("--base-url", help="OpenAI-compatible base URL, e.g. http://127.0.0.1:11434/v1")
    summarize.add_argument("--concurrency", type=int, default=5, help="requests in flight (default 5)")
    summarize.add_argument(
        "--no-cache", action="store_true", help="neither read nor write the on-disk summary cache"
    )
    summarize.add_argument("--timeout", type=float, default=30.0, help="seconds per request (default 30)")
    return parser


def setup_logging(verbose: int, log_file: str | None) -> None:
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    # Never stdout: in stdio mode it carries the protocol.
    handler: logging.Handler = (
        logging.FileHandler(log_file) if log_file else logging.StreamHandler(sys.stderr)
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # The SDK's debug logs hold prompts, and pygls logs whole messages (initializationOptions with
    # the API key among them) at INFO: both stay quiet unless asked for with -vvv.
    for noisy in ("openai", "httpx", "httpcore", "httpx2", "httpcore2", "pygls"):
        logging.getLogger(noisy).setLevel(logging.DEBUG if verbose >= 3 else logging.WARNING)


def iter_source_files(paths: Iterable[Path]) -> Iterator[Path]:
    from ariadne_lsp.symbols import language_for

    for path in paths:
        if path.is_file():
            yield path
            continue
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.startswith("."))
            for name in sorted(files):
                if language_for(None, name):
                    yield Path(root) / name


def run_summarize(args: argparse.Namespace) -> int:
    from ariadne_lsp.cache import SummaryCache
    from ariadne_lsp.llm.base import SummaryError
    from ariadne_lsp.llm.factory import display_label, make_summarizer
    from ariadne_lsp.pipeline import summarize_symbols
    from ariadne_lsp.settings import parse_settings
    from ariadne_lsp.symbols import extract_symbols, language_for

    paths = [Path(p) for p in args.paths]
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"ariadne-lsp: error: no such file or folder: {missing[0]}", file=sys.stderr)
        return 2
    raw: dict[str, object] = {"backend": args.backend, "maxConcurrency": args.concurrency}
    raw["requestTimeout"] = args.timeout
    if args.model:
        raw["model"] = args.model
    if args.base_url:
        raw["baseUrl"] = args.base_url
    settings, warnings = parse_settings(raw)
    if warnings:
        for warning in warnings:
            print(f"ariadne-lsp: error: {warning}", file=sys.stderr)
        return 2
    summarizer = make_summarizer(settings)
    label = display_label(summarizer.model_label)
    if summarizer.offline:
        print(
            "ariadne-lsp: offline summaries (built in: docstrings, comments, signatures); "
            "set OPENAI_API_KEY or --base-url for LLM summaries",
            file=sys.stderr,
        )
    cache = SummaryCache()
    if not args.no_cache:
        cache.use_disk_folder(settings.resolved_cache_dir())
    files = list(iter_source_files(paths))
    show_progress = any(p.is_dir() for p in paths)
    results: list[dict[str, object]] = []
    for index, file in enumerate(files, 1):
        if show_progress:
            print(f"[{index}/{len(files)}] {file}", file=sys.stderr, flush=True)
        language = language_for(None, str(file))
        if language is None:
            print(f"ariadne-lsp: skipping {file}: unsupported language", file=sys.stderr)
            continue
        try:
            text = file.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            print(f"ariadne-lsp: error: cannot read {file}: {exc.strerror}", file=sys.stderr)
            return 2
        symbols = extract_symbols(text, language, file.name, encoding="utf-32")
        try:
            summaries = summarize_symbols(
                symbols, summarizer, cache, concurrency=settings.max_concurrency, probe_first=True
            )
        except SummaryError as exc:
            print(f"ariadne-lsp: error: {exc.reason}", file=sys.stderr)
            return 1
        for summary in summaries:
            symbol = summary.symbol
            results.append(
                {
                    "file": str(file),
                    "name": symbol.name,
                    "qualifiedName": symbol.qualified_name,
                    "kind": symbol.kind.value,
                    "line": symbol.selection_range.start.line + 1,
                    "column": symbol.selection_range.start.character + 1,
                    "summary": summary.text,
                    "model": label,
                }
            )
        if not args.json:
            print_file_summaries(file, results[len(results) - len(summaries) :], label)
    if args.json:
        json.dump(results, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    failed = sum(1 for r in results if r["summary"] is None)
    if failed:
        print(
            f"ariadne-lsp: {failed} of {len(results)} summaries failed (see the warnings above)",
            file=sys.stderr,
        )
    return 1 if failed and failed == len(results) else 0


def print_file_summaries(file: Path, rows: Sequence[dict[str, object]], label: str) -> None:
    print(f"{file}  ({len(rows)} symbols, {label})")
    for row in rows:
        where = f"{row['line']}:{row['column']}"
        summary = row["summary"] if row["summary"] is not None else "(summary unavailable)"
        print(f"  {where:>7}  {row['kind']:<9} {row['qualifiedName']}")
        print(f"           {summary}")
    print()


class LspLogHandler(logging.Handler):
    """Forwards Ariadne's own log records to the editor (``window/logMessage``), from any thread."""

    def __init__(self, server: AriadneServer, level: int) -> None:
        super().__init__(level)
        self.server = server
        self.setFormatter(logging.Formatter("%(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        from lsprotocol import types

        from ariadne_lsp.features import call_in_loop

        loop = self.server.loop
        if loop is None or loop.is_closed():
            return
        kind = (
            types.MessageType.Error
            if record.levelno >= logging.ERROR
            else types.MessageType.Warning
            if record.levelno >= logging.WARNING
            else types.MessageType.Info
        )
        call_in_loop(
            loop,
            self.server.window_log_message,
            types.LogMessageParams(type=kind, message=self.format(record)),
        )


def run_server(args: argparse.Namespace) -> int:
    from ariadne_lsp.server import create_server

    server = create_server()
    level = logging.INFO if args.verbose else logging.WARNING
    logging.getLogger("ariadne_lsp").addHandler(LspLogHandler(server, level))
    if args.tcp:
        server.start_tcp(args.host, args.port)
    else:
        server.start_io()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    setup_logging(args.verbose, args.log_file)
    if args.command == "summarize":
        return run_summarize(args)
    return run_server(args)


if __name__ == "__main__":
    sys.exit(main())
