"""Shared pieces of the end-to-end tests: the real server over stdio, driven by pytest-lsp."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

#: A small Python document used by the end-to-end tests of every client.
SHAPES = """class Shape:
    def area(self):
        return 0


def total_area(shapes):
    return sum(s.area() for s in shapes)


def scale(shape, factor):
    return shape
"""
SHAPES_SYMBOLS = ["Shape", "Shape.area", "total_area", "scale"]

SERVER_CONFIG = ClientServerConfig(server_command=[sys.executable, "-m", "ariadne_lsp"])
#: The editors whose real capabilities each end-to-end test runs with.
CLIENTS = ["visual_studio_code", "neovim"]


async def wait_until(predicate: Callable[[], bool], timeout: float = 15.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


class Session:
    """A started client with helpers for the documents it opens."""

    def __init__(self, client: LanguageClient, capabilities_of: str) -> None:
        self.client = client
        self.capabilities_of = capabilities_of
        self.versions: dict[str, int] = {}
        self.refreshes = 0

        self.statuses: list[dict[str, Any]] = []

        @client.feature(types.WORKSPACE_CODE_LENS_REFRESH)
        def on_refresh(params: Any) -> None:
            self.refreshes += 1

        @client.feature("ariadne/status")
        def on_status(params: Any) -> None:
            self.statuses.append(dict(params._asdict()) if hasattr(params, "_asdict") else dict(vars(params)))

    async def start(self, options: dict[str, Any], workspace: Path) -> types.InitializeResult:
        caps = client_capabilities(self.capabilities_of)
        self.initialize_result = await self.client.initialize_session(
            types.InitializeParams(
                capabilities=caps,
                initialization_options=options,
                root_uri=workspace.as_uri(),
                workspace_folders=[types.WorkspaceFolder(uri=workspace.as_uri(), name="ws")],
            )
        )
        return self.initialize_result

    @property
    def encoding(self) -> str:
        """The position encoding the server chose from the client's offer."""
        chosen = self.initialize_result.capabilities.position_encoding
        return str(getattr(chosen, "value", chosen) or "utf-16")

    @property
    def caps(self) -> types.ClientCapabilities:
        assert self.client.capabilities is not None
        return self.client.capabilities

    def supports_progress(self) -> bool:
        return bool(self.caps.window and self.caps.window.work_done_progress)

    def supports_refresh(self) -> bool:
        ws = self.caps.workspace
        return bool(ws and ws.code_lens and ws.code_lens.refresh_support)

    def open(self, path: Path, text: str, language_id: str) -> str:
        uri = path.as_uri()
        path.write_text(text, encoding="utf-8")
        self.versions[uri] = 1
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(uri=uri, language_id=language_id, version=1, text=text)
            )
        )
        return uri

    def edit(self, uri: str, start: tuple[int, int], end: tuple[int, int], new_text: str) -> None:
        self.versions[uri] += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
                content_changes=[
                    types.TextDocumentContentChangePartial(
                        range=types.Range(
                            start=types.Position(line=start[0], character=start[1]),
                            end=types.Position(line=end[0], character=end[1]),
                        ),
                        text=new_text,
                    )
                ],
            )
        )

    def close(self, uri: str) -> None:
        self.client.text_document_did_close(
            types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )

    async def hover(self, uri: str, line: int, character: int) -> types.Hover | None:
        return await self.client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=types.Position(line=line, character=character),
            )
        )

    async def hover_text(self, uri: str, line: int, character: int) -> str | None:
        result = await self.hover(uri, line, character)
        if result is None:
            return None
        contents = result.contents
        assert isinstance(contents, types.MarkupContent)
        return contents.value

    async def lenses(self, uri: str) -> list[types.CodeLens]:
        return await self.client.text_document_code_lens_async(
            types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )

    async def resolved_titles(self, uri: str) -> list[str]:
        titles = []
        for lens in await self.lenses(uri):
            if lens.command is None:
                lens = await self.client.code_lens_resolve_async(lens)
            assert lens.command is not None
            titles.append(lens.command.title)
        return titles


def find(text: str, needle: str, occurrence: int = 0, encoding: str = "utf-16") -> tuple[int, int]:
    """(line, column) of ``needle`` in ``text``; columns in the given LSP position encoding."""
    index = -1
    for _ in range(occurrence + 1):
        index = text.index(needle, index + 1)
    before = text[:index]
    line = before.count("\n")
    column_text = before[before.rfind("\n") + 1 :]
    if encoding == "utf-8":
        return line, len(column_text.encode("utf-8"))
    if encoding == "utf-32":
        return line, len(column_text)
    return line, len(column_text.encode("utf-16-le")) // 2
