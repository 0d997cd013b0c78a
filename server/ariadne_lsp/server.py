"""The pygls glue: thin async handlers that delegate to the engine, the scheduler and friends.

Nothing here blocks: extraction takes milliseconds on the loop, and every LLM call runs on the
scheduler's own pool, awaited through ``await_shared``.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from ariadne_lsp import __version__
from ariadne_lsp.engine import DocumentSymbols, Engine, SummaryState, SummaryView, word_at
from ariadne_lsp.features import (
    Throttle,
    await_shared,
    call_in_loop,
    from_lsp_position,
    position_encoding,
    render_hover,
    supports_code_lens_refresh,
    supports_configuration,
    supports_markdown_hover,
    supports_work_done_progress,
    to_lsp_range,
)
from ariadne_lsp.llm.base import SummaryError
from ariadne_lsp.scheduler import Job, Priority
from ariadne_lsp.settings import Settings, parse_settings

log = logging.getLogger(__name__)

SHOW_SUMMARY = "ariadne.showSummary"
SUMMARY_AT = "ariadne.summaryAt"
CLEAR_CACHE = "ariadne.clearCache"
STATS = "ariadne.stats"
#: At most this many code-lens refreshes a second: a 300-symbol batch must not cause 300.
LENS_REFRESH_INTERVAL = 0.5
#: ``ariadne/status`` is sent at most this often.
STATUS_INTERVAL = 0.25
STATUS_NOTIFICATION = "ariadne/status"
#: Longest wait for the client's answer to workspace/configuration before serving anyway.
SETTINGS_WAIT = 5.0


@dataclass
class Batch:
    """A background batch for one document, shown as one work-done progress."""

    uri: str
    total: int
    token: str | None = None
    done: int = 0
    cancelled: bool = False


class AriadneServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "ariadne-lsp", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental
        )
        self.engine = Engine()
        self.debounce: dict[str, asyncio.TimerHandle] = {}
        #: The running background batch of each document.
        self.batches_by_uri: dict[str, Batch] = {}
        self.pending_warnings: list[str] = []
        self.lens_refresh = Throttle(LENS_REFRESH_INTERVAL, self._send_lens_refresh)
        self.status_update = Throttle(STATUS_INTERVAL, self._send_status)
        self.last_error: str | None = None
        self._fatal_reported: set[str] = set()
        self.loop: asyncio.AbstractEventLoop | None = None
        #: Set once the first settings are known (initializationOptions, then workspace/configuration).
        #: Nothing is summarised before: code must never go to a backend the user did not choose.
        self.settings_ready = asyncio.Event()

    async def ready(self) -> None:
        if self.settings_ready.is_set():
            return  # the hot path: no task, no timer
        try:
            await asyncio.wait_for(self.settings_ready.wait(), SETTINGS_WAIT)
        except asyncio.TimeoutError:
            log.warning("no settings from the client after %.0f s; going on with what we have", SETTINGS_WAIT)
            self.settings_ready.set()

    # --- client capabilities ------------------------------------------------------------------
    @property
    def caps(self) -> types.ClientCapabilities:
        return self.client_capabilities

    # --- messages -----------------------------------------------------------------------------
    def warn_user(self, message: str) -> None:
        log.warning("%s", message)
        self.window_show_message(types.ShowMessageParams(type=types.MessageType.Warning, message=message))

    def report_fatal(self, reason: str) -> None:
        """Tell the user once about an error that will fail every request (bad key, no server)."""
        if reason in self._fatal_reported:
            return
        self._fatal_reported.add(reason)
        self.last_error = reason
        self.status_update()
        self.window_show_message(
            types.ShowMessageParams(type=types.MessageType.Error, message=f"Ariadne: {reason}")
        )

    # --- settings -----------------------------------------------------------------------------
    def apply_settings(self, raw: Any, base: Settings | None = None) -> None:
        settings, warnings = parse_settings(raw, base=base)
        for warning in warnings:
            self.warn_user(warning)
        changed = self.engine.apply_settings(settings)
        self._fatal_reported.clear()
        self.last_error = None
        self.status_update()
        log.info("settings applied: %r", settings)
        if changed:
            self.engine.summarizer.warm_up()
            for uri in list(self.engine.documents):
                self.start_background(uri)
            self.request_lens_refresh()

    async def pull_settings(self) -> None:
        if not supports_configuration(self.caps):
            return
        try:
            result = await self.workspace_configuration_async(
                types.ConfigurationParams(items=[types.ConfigurationItem(section="ariadne")])
            )
        except Exception as exc:
            log.warning("workspace/configuration failed: %s", exc)
            return
        if result and isinstance(result[0], dict):
            self.apply_settings(result[0], base=self.engine.settings)

    # --- documents ----------------------------------------------------------------------------
    def extraction(self, uri: str) -> DocumentSymbols | None:
        """Symbols of the document as it is now: extracted again only when its version changed."""
        try:
            document = self.workspace.get_text_document(uri)
        except Exception:
            return None
        return self.engine.symbols_for(uri, document.source, document.version or 0)

    def start_background(self, uri: str, *, with_progress: bool = True) -> None:
        tracked = self.engine.documents.get(uri)
        if tracked is None or not self.engine.settings.summarize_on_open:
            return
        extraction = self.extraction(uri)
        if extraction is None:
            return
        asyncio.get_running_loop().create_task(self.summarize_in_background(extraction, with_progress))

    async def summarize_in_background(self, extraction: DocumentSymbols, with_progress: bool) -> None:
        """Queue every symbol without a summary at background priority, with progress."""
        self.engine.release_stale(extraction)
        missing = self.engine.missing(extraction)
        if not missing:
            return
        batch = Batch(extraction.uri, len(missing))
        loop = asyncio.get_running_loop()

        def on_job_done(job: Job) -> None:  # on a pool thread
            call_in_loop(loop, self.job_finished, batch, job)

        # Queue first, then ask the client for a progress bar: the work must not wait on the UI.
        waits = [
            await_shared(self.engine.request(extraction, i, Priority.BACKGROUND, listener=on_job_done))
            for i in missing
        ]
        self.batches_by_uri[extraction.uri] = batch
        self.status_update()
        if with_progress and supports_work_done_progress(self.caps):
            await self.begin_progress(batch, extraction.uri)
        await asyncio.gather(*waits, return_exceptions=True)
        if self.batches_by_uri.get(extraction.uri) is batch:
            del self.batches_by_uri[extraction.uri]
        self.status_update()
        if self.engine.settings.code_lens and supports_code_lens_refresh(self.caps):
            self.lens_refresh.flush()  # the last summaries must not wait out the throttle
        if batch.token:
            message = "cancelled" if batch.cancelled else f"{batch.done}/{batch.total} summarized"
            self.work_done_progress.end(batch.token, types.WorkDoneProgressEnd(message=message))

    async def begin_progress(self, batch: Batch, uri: str) -> None:
        token = f"ariadne-{uuid.uuid4()}"
        try:
            await self.work_done_progress.create_async(token)
        except Exception as exc:
            log.info("progress not created: %s", exc)
            return
        batch.token = token
        name = uri.rsplit("/", 1)[-1]
        self.work_done_progress.begin(
            token,
            types.WorkDoneProgressBegin(
                title=f"Summarizing {name}",
                message=f"{batch.done}/{batch.total}",
                percentage=int(100 * batch.done / batch.total),
                cancellable=True,
            ),
        )

    def job_finished(self, batch: Batch, job: Job) -> None:
        if job.cancelled:
            self.status_update()
            return
        if job.error is not None and job.error.fatal:
            self.report_fatal(job.error.reason)
        batch.done += 1
        self.status_update()
        if batch.token and not batch.cancelled:
            self.work_done_progress.report(
                batch.token,
                types.WorkDoneProgressReport(
                    message=f"{batch.done}/{batch.total}",
                    percentage=int(100 * batch.done / max(1, batch.total)),
                ),
            )
        self.request_lens_refresh()

    def cancel_batch(self, token: str) -> None:
        batch = next((b for b in self.batches_by_uri.values() if b.token == token), None)
        if batch is None:
            return
        batch.cancelled = True
        cancelled = self.engine.scheduler.release(batch.uri, only_priority=Priority.BACKGROUND)
        log.info("batch for %s cancelled: %d queued summaries dropped", batch.uri, cancelled)

    def schedule_settle(self, uri: str) -> None:
        """Restart the document's debounce timer: LLM work waits until typing stops."""
        if uri not in self.engine.documents:
            return
        if (handle := self.debounce.pop(uri, None)) is not None:
            handle.cancel()
        delay = self.engine.settings.debounce_ms / 1000
        self.debounce[uri] = asyncio.get_running_loop().call_later(delay, self.settled, uri)

    def settled(self, uri: str) -> None:
        self.debounce.pop(uri, None)
        if uri not in self.engine.documents:
            return
        extraction = self.extraction(uri)
        if extraction is None:
            return
        self.engine.release_stale(extraction)
        self.start_background(uri, with_progress=False)
        self.request_lens_refresh()

    def forget(self, uri: str) -> None:
        if (handle := self.debounce.pop(uri, None)) is not None:
            handle.cancel()
        cancelled = self.engine.close(uri)
        log.info("closed %s: %d queued summaries cancelled", uri, cancelled)

    def is_typing(self, uri: str) -> bool:
        """Between an edit and the end of its debounce: no LLM work is started for the document."""
        return uri in self.debounce

    # --- code lens refresh --------------------------------------------------------------------
    def request_lens_refresh(self) -> None:
        if self.engine.settings.code_lens and supports_code_lens_refresh(self.caps):
            self.lens_refresh()

    def _send_lens_refresh(self) -> None:
        self.protocol.send_request(types.WORKSPACE_CODE_LENS_REFRESH, None)

    def _send_status(self) -> None:
        """``ariadne/status``: what editors show in a status bar (a custom notification)."""
        done = sum(b.done for b in self.batches_by_uri.values())
        total = sum(b.total for b in self.batches_by_uri.values())
        self.protocol.notify(
            STATUS_NOTIFICATION,
            {
                "backend": self.engine.source_label,
                "offline": self.engine.summarizer.offline,
                "queued": self.engine.scheduler.queued(),
                "running": self.engine.scheduler.running(),
                "done": done,
                "total": total,
                "error": self.last_error,
            },
        )

    def on_job_done_threadsafe(self, job: Job) -> None:
        """A job listener (called on a pool thread) that refreshes lenses from the loop."""
        if self.loop is not None:
            call_in_loop(self.loop, self.request_lens_refresh)

    # --- hover --------------------------------------------------------------------------------
    def hover_targets(self, uri: str, position: types.Position) -> list[tuple[DocumentSymbols, int]]:
        extraction = self.extraction(uri)
        if extraction is None:
            return []
        pos = from_lsp_position(position)
        index = self.engine.symbol_index_at(extraction, pos)
        if index is not None:
            return [(extraction, index)]
        name = word_at(extraction.text, pos, self.engine.encoding)
        if name is None:
            return []
        for doc in self.engine.documents.values():  # references may point into other open documents
            if doc.uri != uri and doc.extraction is None and doc.language == extraction.language:
                self.extraction(doc.uri)
        return self.engine.definitions_named(name, extraction.language, uri)[:3]

    async def summary_view(self, extraction: DocumentSymbols, index: int) -> SummaryView:
        """The summary of one symbol, waiting for it (at hover priority) if need be."""
        view = self.engine.view(extraction, index)
        if view.state in (SummaryState.READY, SummaryState.FAILED):
            return view
        if view.state is SummaryState.OUTDATED and self.is_typing(extraction.uri):
            # The debounce asks for the new summary once typing stops: never pay for a half-typed version.
            return view
        try:
            await await_shared(self.engine.request(extraction, index, Priority.HOVER))
        except SummaryError as exc:
            if exc.fatal:
                self.report_fatal(exc.reason)
        except asyncio.CancelledError:
            if self.engine.documents.get(extraction.uri) is None:
                return view  # the document closed while we waited
            raise
        return self.engine.view(extraction, index)


def create_server() -> AriadneServer:
    server = AriadneServer()

    @server.feature(types.INITIALIZE)
    async def initialize(ls: AriadneServer, params: types.InitializeParams) -> None:
        ls.loop = asyncio.get_running_loop()
        ls.engine.encoding = position_encoding(ls.workspace.position_encoding)
        options = params.initialization_options
        settings, warnings = parse_settings(options if isinstance(options, dict) else None)
        ls.pending_warnings.extend(warnings)
        ls.engine.apply_settings(settings)
        log.info("settings applied: %r (position encoding %s)", settings, ls.engine.encoding)

    @server.feature(types.INITIALIZED)
    async def initialized(ls: AriadneServer, params: types.InitializedParams) -> None:
        for warning in ls.pending_warnings:
            ls.warn_user(warning)
        ls.pending_warnings.clear()
        await ls.pull_settings()
        ls.settings_ready.set()
        # After the handshake, not during it: start-up stays as fast as a bare pygls server.
        ls.engine.summarizer.warm_up()
        if ls.engine.summarizer.offline:
            log.info("using the built-in offline summariser (no API key or base URL set)")

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(ls: AriadneServer, params: types.DidChangeConfigurationParams) -> None:
        settings = params.settings
        if isinstance(settings, dict) and isinstance(settings.get("ariadne"), dict):
            ls.apply_settings(settings["ariadne"], base=ls.engine.settings)
        else:
            await ls.pull_settings()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: AriadneServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.engine.open(params.text_document.uri, params.text_document.language_id)
        await ls.ready()
        ls.start_background(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: AriadneServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule_settle(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    async def did_close(ls: AriadneServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.forget(params.text_document.uri)

    @server.feature(types.WINDOW_WORK_DONE_PROGRESS_CANCEL)
    async def progress_cancel(ls: AriadneServer, params: types.WorkDoneProgressCancelParams) -> None:
        ls.cancel_batch(str(params.token))

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls: AriadneServer, params: types.HoverParams) -> types.Hover | None:
        await ls.ready()
        if not ls.engine.settings.hover:
            return None
        targets = ls.hover_targets(params.text_document.uri, params.position)
        if not targets:
            return None
        views = [await ls.summary_view(extraction, index) for extraction, index in targets]
        own = targets[0][0].uri == params.text_document.uri and len(targets) == 1
        return types.Hover(
            contents=render_hover(views, supports_markdown_hover(ls.caps)),
            range=to_lsp_range(views[0].symbol.selection_range) if own else None,
        )

    @server.feature(types.TEXT_DOCUMENT_CODE_LENS, types.CodeLensOptions(resolve_provider=True))
    async def code_lens(ls: AriadneServer, params: types.CodeLensParams) -> list[types.CodeLens]:
        await ls.ready()
        if not ls.engine.settings.code_lens:
            return []
        extraction = ls.extraction(params.text_document.uri)
        if extraction is None:
            return []
        lenses = []
        for index, symbol in enumerate(extraction.symbols):
            view = ls.engine.view(extraction, index)
            data = {"uri": extraction.uri, "key": extraction.keys[index]}
            line = symbol.range.start.line
            lens_range = types.Range(
                start=types.Position(line=line, character=0), end=types.Position(line=line, character=0)
            )
            # Unknown titles are left to codeLens/resolve: the lens exists now and fills in when shown.
            known = view.state not in (SummaryState.NONE, SummaryState.PENDING)
            command = lens_command(ls, view, data) if known else None
            lenses.append(types.CodeLens(range=lens_range, command=command, data=data))
        return lenses

    @server.feature(types.CODE_LENS_RESOLVE)
    async def code_lens_resolve(ls: AriadneServer, lens: types.CodeLens) -> types.CodeLens:
        data = lens.data if isinstance(lens.data, dict) else {}
        uri, key = str(data.get("uri", "")), str(data.get("key", ""))
        extraction = ls.extraction(uri)
        index = extraction.index_of_key(key) if extraction is not None else None
        if extraction is None or index is None:
            lens.command = types.Command(title="summarizing…", command="")
            return lens
        view = ls.engine.view(extraction, index)
        if view.state in (SummaryState.NONE, SummaryState.PENDING) and not ls.is_typing(uri):
            # On screen now: ahead of the background batch, behind hovers.
            ls.engine.request(extraction, index, Priority.VISIBLE, listener=ls.on_job_done_threadsafe)
        lens.command = lens_command(ls, view, data)
        return lens

    @server.command(SHOW_SUMMARY)
    async def show_summary(ls: AriadneServer, *args: Any) -> str | None:
        uri, key = (str(args[0]), str(args[1])) if len(args) >= 2 else ("", "")
        extraction = ls.extraction(uri)
        index = extraction.index_of_key(key) if extraction is not None else None
        if extraction is None or index is None:
            return None
        view = await ls.summary_view(extraction, index)
        return show_view(ls, view)

    @server.command(SUMMARY_AT)
    async def summary_at(ls: AriadneServer, *args: Any) -> str | None:
        """Arguments: uri, {line, character}. Shows and returns the summary of the symbol there."""
        if len(args) < 2 or not isinstance(args[1], dict):
            return None
        uri = str(args[0])
        position = types.Position(
            line=int(args[1].get("line", 0)), character=int(args[1].get("character", 0))
        )
        extraction = ls.extraction(uri)
        if extraction is None:
            return None
        index = ls.engine.symbol_index_around(extraction, from_lsp_position(position))
        if index is None:
            return None
        return show_view(ls, await ls.summary_view(extraction, index))

    @server.command(CLEAR_CACHE)
    async def clear_cache(ls: AriadneServer, *args: Any) -> int:
        cleared = len(ls.engine.cache)
        ls.engine.cache.clear()
        ls.engine.scheduler.forget_failures()
        for uri in list(ls.engine.documents):
            ls.start_background(uri)
        ls.request_lens_refresh()
        return cleared

    @server.command(STATS)
    async def stats(ls: AriadneServer, *args: Any) -> dict[str, Any]:
        return ls.engine.stats()

    @server.feature(types.SHUTDOWN)
    async def shutdown(ls: AriadneServer, *args: Any) -> None:
        for handle in ls.debounce.values():
            handle.cancel()
        ls.lens_refresh.cancel()
        ls.status_update.cancel()
        ls.engine.shutdown()

    return server


def lens_command(ls: AriadneServer, view: SummaryView, data: dict[str, str]) -> types.Command:
    return types.Command(
        title=ls.engine.lens_title(view), command=SHOW_SUMMARY, arguments=[data["uri"], data["key"]]
    )


def show_view(ls: AriadneServer, view: SummaryView) -> str:
    rendered = render_hover([view], markdown=False).value
    text = f"{view.symbol.qualified_name}: {rendered}"
    ls.window_show_message(types.ShowMessageParams(type=types.MessageType.Info, message=text))
    return text
