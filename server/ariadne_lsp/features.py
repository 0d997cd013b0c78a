"""LSP-side helpers that are not handlers: capability checks, rendering, and bridging pool
futures to the event loop. Kept apart so that ``server.py`` stays a list of thin handlers.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from lsprotocol import types

from ariadne_lsp.engine import SummaryState, SummaryView
from ariadne_lsp.symbols.model import Position, PositionEncoding, Range

T = TypeVar("T")


def await_shared(future: Future[T]) -> asyncio.Future[T]:
    """Await a pool future from the event loop without owning it.

    ``asyncio.wrap_future`` would cancel the pool future when the awaiting task is cancelled
    (a hover's ``$/cancelRequest``); the job is shared, so only this waiter may be cancelled.
    """
    loop = asyncio.get_running_loop()
    waiter: asyncio.Future[T] = loop.create_future()

    def transfer(done: Future[T]) -> None:
        if waiter.done():
            return
        if done.cancelled():
            waiter.cancel()
        elif (exc := done.exception()) is not None:
            waiter.set_exception(exc)
        else:
            waiter.set_result(done.result())

    future.add_done_callback(lambda done: call_in_loop(loop, transfer, done))
    return waiter


def call_in_loop(loop: asyncio.AbstractEventLoop, callback: Callable[..., object], *args: object) -> None:
    """Run ``callback`` on ``loop`` from any thread; a no-op once the loop has closed (shutdown)."""
    with contextlib.suppress(RuntimeError):
        loop.call_soon_threadsafe(callback, *args)


class Throttle:
    """Run ``callback`` at most once per ``interval`` seconds, coalescing calls (event loop only)."""

    def __init__(self, interval: float, callback: Callable[[], object]) -> None:
        self.interval = interval
        self.callback = callback
        self._handle: asyncio.TimerHandle | None = None
        self._last = 0.0

    def __call__(self) -> None:
        if self._handle is not None:
            return
        delay = max(0.0, self._last + self.interval - time.monotonic())
        self._handle = asyncio.get_running_loop().call_later(delay, self._fire)

    def _fire(self) -> None:
        self._handle = None
        self._last = time.monotonic()
        self.callback()

    def flush(self) -> None:
        """Run now (e.g. when a batch ends) instead of waiting out the interval."""
        self.cancel()
        self._fire()

    def cancel(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None


def position_encoding(kind: Any) -> PositionEncoding:
    value = getattr(kind, "value", kind)
    if value in ("utf-8", "utf-32"):
        return value  # type: ignore[no-any-return]
    return "utf-16"


def to_lsp_range(r: Range) -> types.Range:
    return types.Range(
        start=types.Position(line=r.start.line, character=r.start.character),
        end=types.Position(line=r.end.line, character=r.end.character),
    )


def from_lsp_position(p: types.Position) -> Position:
    return Position(p.line, p.character)


# --- client capabilities ---------------------------------------------------------------------
def supports_markdown_hover(caps: types.ClientCapabilities) -> bool:
    hover = caps.text_document.hover if caps.text_document else None
    formats = hover.content_format if hover else None
    return bool(formats) and types.MarkupKind.Markdown in (formats or [])


def supports_work_done_progress(caps: types.ClientCapabilities) -> bool:
    return bool(caps.window and caps.window.work_done_progress)


def supports_code_lens_refresh(caps: types.ClientCapabilities) -> bool:
    workspace = caps.workspace
    return bool(workspace and workspace.code_lens and workspace.code_lens.refresh_support)


def supports_configuration(caps: types.ClientCapabilities) -> bool:
    return bool(caps.workspace and caps.workspace.configuration)


# --- rendering -------------------------------------------------------------------------------
def render_hover(views: list[SummaryView], markdown: bool) -> types.MarkupContent:
    sections = [render_view(view, markdown, titled=len(views) > 1) for view in views]
    separator = "\n\n---\n\n" if markdown else "\n\n"
    kind = types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText
    return types.MarkupContent(kind=kind, value=separator.join(sections))


def render_view(view: SummaryView, markdown: bool, titled: bool) -> str:
    symbol = view.symbol
    if view.state is SummaryState.FAILED:
        body = f"Summary unavailable: {view.reason}"
    elif view.text:
        body = view.text
    else:
        body = "Summarizing…"
    footer_parts = [view.source] if view.source else []
    if view.state is SummaryState.OUTDATED:
        footer_parts.append("outdated: the code changed since this summary")
    footer = " · ".join(footer_parts)
    if markdown:
        title = f"**{symbol.qualified_name}** ({symbol.kind.value})\n\n" if titled else ""
        return f"{title}{body}" + (f"\n\n*{footer}*" if footer else "")
    title = f"{symbol.qualified_name} ({symbol.kind.value})\n" if titled else ""
    return f"{title}{body}" + (f"\n[{footer}]" if footer else "")
