"""A thin benchmark client over pytest-lsp's LanguageClient: start a server over stdio, time requests."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shlex
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from lsprotocol import types
from pytest_lsp import LanguageClient, client_capabilities
from pytest_lsp.client import make_test_lsp_client

BENCH = Path(__file__).resolve().parent
#: ``ARIADNE_BENCH_SERVER`` (a command line) benchmarks another build, e.g. a patched one, instead.
ARIADNE_COMMAND = shlex.split(os.environ.get("ARIADNE_BENCH_SERVER", "")) or [
    sys.executable,
    "-m",
    "ariadne_lsp",
]
MINIMAL_COMMAND = [sys.executable, str(BENCH / "minimal_server.py")]

# pytest-lsp logs every window/logMessage of the server; the benchmark output stays readable without.
logging.getLogger("pytest_lsp").setLevel(logging.ERROR)


def server_env(xdg_cache_home: Path) -> dict[str, str]:
    """The environment of a benchmarked server: no real key or endpoint, caches under a temp folder."""
    env = dict(os.environ)
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        env.pop(name, None)
    env["XDG_CACHE_HOME"] = str(xdg_cache_home)
    return env


async def wait_until(predicate: Callable[[], bool], timeout: float, what: str, poll: float = 0.01) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
        await asyncio.sleep(poll)


class BenchClient:
    """One server process and the documents the benchmark opened in it."""

    def __init__(self, command: Sequence[str], env: dict[str, str]) -> None:
        self.server_command = list(command)
        self.env = env
        self.client: LanguageClient = make_test_lsp_client()
        self.versions: dict[str, int] = {}
        self.refreshes = 0
        self.refreshed = asyncio.Event()
        #: time.monotonic() of the last workspace/codeLens/refresh from the server.
        self.last_refresh = 0.0

        @self.client.feature(types.WORKSPACE_CODE_LENS_REFRESH)
        def on_refresh(params: Any) -> None:
            self.refreshes += 1
            self.last_refresh = time.monotonic()
            self.refreshed.set()

    async def start(
        self, options: dict[str, Any] | None, workspace: Path, editor: str = "visual_studio_code"
    ) -> float:
        """Start the process and initialize it; returns seconds from spawning to the initialize answer."""
        started = time.monotonic()
        await self.client.start_io(*self.server_command, env=self.env)
        await self.client.initialize_session(
            types.InitializeParams(
                capabilities=client_capabilities(editor),
                initialization_options=options,
                root_uri=workspace.as_uri(),
                workspace_folders=[types.WorkspaceFolder(uri=workspace.as_uri(), name="bench")],
            )
        )
        return time.monotonic() - started

    async def stop(self) -> None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.client.shutdown_session(), 15)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.client.stop(), 15)

    # --- documents ---------------------------------------------------------------------------
    def open(self, path: Path, text: str, language_id: str) -> str:
        uri = path.as_uri()
        self.versions[uri] = 1
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(uri=uri, language_id=language_id, version=1, text=text)
            )
        )
        return uri

    def insert(self, uri: str, line: int, character: int, text: str) -> None:
        """One incremental didChange inserting ``text`` at (line, character)."""
        self.versions[uri] += 1
        position = types.Position(line=line, character=character)
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
                content_changes=[
                    types.TextDocumentContentChangePartial(
                        range=types.Range(start=position, end=position), text=text
                    )
                ],
            )
        )

    def close(self, uri: str) -> None:
        self.client.text_document_did_close(
            types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )

    # --- requests ----------------------------------------------------------------------------
    async def hover(self, uri: str, line: int, character: int) -> tuple[float, str | None]:
        """Seconds of one hover round trip, and the hover's text."""
        started = time.monotonic()
        result = await self.client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=types.Position(line=line, character=character),
            )
        )
        elapsed = time.monotonic() - started
        if result is None:
            return elapsed, None
        contents = result.contents
        return elapsed, contents.value if isinstance(contents, types.MarkupContent) else str(contents)

    async def lenses(self, uri: str) -> list[types.CodeLens]:
        result = await self.client.text_document_code_lens_async(
            types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )
        return list(result or [])

    async def resolve(self, lenses: Sequence[types.CodeLens]) -> list[types.CodeLens]:
        return list(await asyncio.gather(*(self.client.code_lens_resolve_async(lens) for lens in lenses)))

    async def command(self, name: str, *arguments: Any) -> Any:
        return await self.client.workspace_execute_command_async(
            types.ExecuteCommandParams(command=name, arguments=list(arguments))
        )

    async def wait_for_refresh(self, timeout: float) -> bool:
        self.refreshed.clear()
        try:
            await asyncio.wait_for(self.refreshed.wait(), timeout)
        except asyncio.TimeoutError:
            return False
        return True


def unresolved(lenses: Sequence[types.CodeLens]) -> list[types.CodeLens]:
    """Lenses still without a title (the server leaves pending summaries unresolved)."""
    return [lens for lens in lenses if lens.command is None or lens.command.title == "summarizing…"]
