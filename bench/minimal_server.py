"""The cheapest pygls 2.x server that answers hovers: the baseline of the hover and start-up benchmarks.

It keeps documents in sync (pygls does that by itself) and answers every hover with one fixed Hover.
Run with ``python bench/minimal_server.py [--async]`` (LSP over stdio).
"""

from __future__ import annotations

import sys

from lsprotocol import types
from pygls.lsp.server import LanguageServer

FIXED_HOVER = types.Hover(
    contents=types.MarkupContent(
        kind=types.MarkupKind.Markdown,
        value="Summary of f1 by bench-model.\n\n*bench-model*",
    )
)

server = LanguageServer(
    "bench-minimal", "0.0.1", text_document_sync_kind=types.TextDocumentSyncKind.Incremental
)


def hover(ls: LanguageServer, params: types.HoverParams) -> types.Hover:
    return FIXED_HOVER


async def async_hover(ls: LanguageServer, params: types.HoverParams) -> types.Hover:
    return FIXED_HOVER


if __name__ == "__main__":
    # --async: the handler style Ariadne's own handlers must have (pygls runs them as tasks).
    server.feature(types.TEXT_DOCUMENT_HOVER)(async_hover if "--async" in sys.argv else hover)
    server.start_io()
