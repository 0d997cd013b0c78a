"""The server's state and decisions, without the protocol: documents, their symbols, and what to
show for each symbol. ``server.py`` turns these plain answers into LSP messages.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from dataclasses import dataclass, field
from enum import Enum
from pathlib import PurePath

from cachetools import LRUCache

from ariadne_lsp.cache import SummaryCache
from ariadne_lsp.llm.base import Summarizer
from ariadne_lsp.llm.factory import display_label, make_summarizer
from ariadne_lsp.llm.offline import SENTENCE_END
from ariadne_lsp.llm.prompt import SummaryContext
from ariadne_lsp.scheduler import Job, Priority, Scheduler
from ariadne_lsp.settings import Settings
from ariadne_lsp.symbols import extract_symbols, language_for
from ariadne_lsp.symbols.model import Position, PositionEncoding, Symbol

log = logging.getLogger(__name__)

_WORD = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")


class SummaryState(str, Enum):
    READY = "ready"
    #: An older version's summary, shown until the new one lands.
    OUTDATED = "outdated"
    PENDING = "pending"
    FAILED = "failed"
    #: Nothing asked for yet (e.g. summarizeOnOpen is off).
    NONE = "none"


@dataclass(frozen=True)
class SummaryView:
    """What to show for one symbol right now."""

    symbol: Symbol
    state: SummaryState
    text: str | None = None
    #: "offline summary" or the model's name.
    source: str | None = None
    reason: str | None = None


@dataclass
class DocumentSymbols:
    """One extraction of one version of a document."""

    uri: str
    version: int
    language: str
    text: str
    symbols: list[Symbol]
    contexts: list[SummaryContext]
    keys: list[str]
    #: Qualified name -> key of an older version that has a summary (for "outdated").
    outdated_keys: dict[str, str] = field(default_factory=dict)
    _names_by_line: dict[int, list[int]] | None = field(default=None, repr=False)

    def names_on_line(self, line: int) -> list[int]:
        if self._names_by_line is None:
            self._names_by_line = {}
            for index, symbol in enumerate(self.symbols):
                self._names_by_line.setdefault(symbol.selection_range.start.line, []).append(index)
        return self._names_by_line.get(line, [])

    def index_of_key(self, key: str) -> int | None:
        try:
            return self.keys.index(key)
        except ValueError:
            return None


@dataclass
class TrackedDocument:
    uri: str
    language: str | None
    path: str
    extraction: DocumentSymbols | None = None


def file_name_of(uri: str) -> str:
    return PurePath(uri.split("?", 1)[0].rstrip("/")).name


def path_of(uri: str) -> str:
    if uri.startswith("file://"):
        from urllib.parse import unquote

        return unquote(uri[len("file://") :])
    return uri


def index_from_character(line: str, character: int, encoding: PositionEncoding) -> int:
    """Python string index of an LSP character offset on ``line``."""
    if encoding == "utf-32" or line.isascii():
        return min(character, len(line))
    units = 0
    for index, char in enumerate(line):
        if units >= character:
            return index
        units += len(char.encode("utf-8")) if encoding == "utf-8" else (2 if ord(char) > 0xFFFF else 1)
    return len(line)


def word_at(text: str, position: Position, encoding: PositionEncoding) -> str | None:
    lines = text.splitlines()
    if position.line >= len(lines):
        return None
    line = lines[position.line]
    index = index_from_character(line, position.character, encoding)
    for match in _WORD.finditer(line):
        if match.start() <= index < match.end() or (index == match.end() and index > match.start()):
            return match.group()
    return None


def first_sentence_of(text: str) -> str:
    return SENTENCE_END.split(text, maxsplit=1)[0]


def shorten(text: str, width: int) -> str:
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    if " " in cut[width // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:") + "…"


class Engine:
    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self.cache = SummaryCache(self.settings.cache_size)
        self.scheduler = Scheduler(self.cache, self.settings.max_concurrency)
        self.summarizer: Summarizer = make_summarizer(self.settings)
        self.documents: dict[str, TrackedDocument] = {}
        self.encoding: PositionEncoding = "utf-16"
        self._key_memo: LRUCache[tuple[str, str], str] = LRUCache(maxsize=100_000)

    # --- settings ----------------------------------------------------------------------------
    def apply_settings(self, settings: Settings) -> bool:
        """Apply new settings; returns True when summaries change (another backend or model)."""
        old = self.settings
        self.settings = settings
        self.scheduler.set_max_concurrency(settings.max_concurrency)
        self.cache.resize(settings.cache_size)
        self.cache.use_disk_folder(settings.resolved_cache_dir() if settings.persistent_cache else None)
        for doc in self.documents.values():
            if not self.is_served(doc):  # newly excluded: nothing of it may be sent any more
                doc.extraction = None
                self.scheduler.release(doc.uri)
        backend_fields = ("backend", "base_url", "model", "api_key", "request_timeout")
        if any(getattr(old, f) != getattr(settings, f) for f in backend_fields):
            self.summarizer = make_summarizer(settings)
            self.scheduler.forget_failures()
            for doc in self.documents.values():
                doc.extraction = None  # keys depend on the model: recompute them
            return True
        return False

    @property
    def source_label(self) -> str:
        return display_label(self.summarizer.model_label)

    # --- documents ---------------------------------------------------------------------------
    def open(self, uri: str, language_id: str | None) -> TrackedDocument:
        path = path_of(uri)
        doc = TrackedDocument(uri, language_for(language_id, path), path)
        self.documents[uri] = doc
        return doc

    def close(self, uri: str) -> int:
        """Forget a document; queued work for it is cancelled before it is sent."""
        self.documents.pop(uri, None)
        return self.scheduler.release(uri)

    def is_served(self, doc: TrackedDocument) -> bool:
        return doc.language is not None and not self.settings.is_excluded(doc.path)

    def symbols_for(self, uri: str, text: str, version: int) -> DocumentSymbols | None:
        """The document's symbols at ``version``, extracted again only if the version changed."""
        doc = self.documents.get(uri)
        if doc is None or not self.is_served(doc) or doc.language is None:
            return None
        current = doc.extraction
        if current is not None and current.version == version:
            return current
        symbols = extract_symbols(text, doc.language, file_name_of(uri), encoding=self.encoding)
        contexts = [SummaryContext.for_symbol(s) for s in symbols]
        keys = [self.key_for(s, c) for s, c in zip(symbols, contexts)]
        extraction = DocumentSymbols(uri, version, doc.language, text, symbols, contexts, keys)
        if current is not None:
            extraction.outdated_keys = self._outdated_keys(current, extraction)
        doc.extraction = extraction
        return extraction

    def key_for(self, symbol: Symbol, context: SummaryContext) -> str:
        """The cache key of a symbol, memoised by its content hash: the hash covers everything the
        prompt is built from, so an unchanged symbol skips masking, serialising and hashing again."""
        memo_key = (symbol.content_hash, self.summarizer.model_label)
        key = self._key_memo.get(memo_key)
        if key is None:
            key = self._key_memo[memo_key] = self.summarizer.key_for(symbol.code, context)
        return key

    def _outdated_keys(self, previous: DocumentSymbols, current: DocumentSymbols) -> dict[str, str]:
        """For each symbol whose key changed: the key of its last version that has a summary."""
        before = dict(zip((s.qualified_name for s in previous.symbols), previous.keys))
        outdated: dict[str, str] = {}
        for symbol, key in zip(current.symbols, current.keys):
            name = symbol.qualified_name
            old_key = before.get(name)
            if old_key is None or old_key == key:
                continue  # new, or unchanged: nothing outdated to show (and no cache lookup)
            if old_key in self.cache:
                outdated[name] = old_key
            elif name in previous.outdated_keys:
                outdated[name] = previous.outdated_keys[name]
        return outdated

    # --- summaries ---------------------------------------------------------------------------
    def view(self, extraction: DocumentSymbols, index: int) -> SummaryView:
        symbol, key = extraction.symbols[index], extraction.keys[index]
        cached = self.cache.get(key)
        if cached is not None:
            return SummaryView(symbol, SummaryState.READY, cached.text, display_label(cached.model_label))
        old_key = extraction.outdated_keys.get(symbol.qualified_name)
        old = self.cache.get(old_key) if old_key else None
        if old is not None:
            return SummaryView(symbol, SummaryState.OUTDATED, old.text, display_label(old.model_label))
        if self.scheduler.is_pending(key):
            return SummaryView(symbol, SummaryState.PENDING)
        reason = self.scheduler.failure(key)
        if reason is not None:
            return SummaryView(symbol, SummaryState.FAILED, reason=reason)
        return SummaryView(symbol, SummaryState.NONE)

    def request(
        self,
        extraction: DocumentSymbols,
        index: int,
        priority: Priority,
        owner: Hashable | None = None,
        listener: Callable[[Job], None] | None = None,
    ) -> Future[str]:
        return self.scheduler.request(
            extraction.keys[index],
            extraction.symbols[index].code,
            extraction.contexts[index],
            self.summarizer,
            priority=priority,
            owner=owner if owner is not None else extraction.uri,
            listener=listener,
        )

    def missing(self, extraction: DocumentSymbols) -> list[int]:
        """Indexes of symbols with no summary for their current key (one per distinct key)."""
        seen: set[str] = set()
        result = []
        for index, key in enumerate(extraction.keys):
            if key in seen or key in self.cache:
                continue
            seen.add(key)
            result.append(index)
        return result

    def release_stale(self, extraction: DocumentSymbols) -> int:
        """Cancel queued work for symbol versions this document no longer has."""
        return self.scheduler.release(extraction.uri, keep=extraction.keys)

    # --- lookups -----------------------------------------------------------------------------
    def symbol_index_at(self, extraction: DocumentSymbols, position: Position) -> int | None:
        """The symbol whose *name* is at ``position`` (only symbols named on that line are looked at)."""
        for index in extraction.names_on_line(position.line):
            if extraction.symbols[index].selection_range.contains(position):
                return index
        return None

    def symbol_index_around(self, extraction: DocumentSymbols, position: Position) -> int | None:
        """The innermost symbol whose whole declaration contains ``position``."""
        best: int | None = None
        for index, symbol in enumerate(extraction.symbols):
            if symbol.range.contains(position):
                best = index  # sorted by start, enclosing ones first: the last match is innermost
        return best

    def definitions_named(
        self, name: str, language: str, prefer_uri: str
    ) -> list[tuple[DocumentSymbols, int]]:
        """Symbols called ``name`` in open documents of ``language``; those in ``prefer_uri`` first."""
        found: list[tuple[DocumentSymbols, int]] = []
        docs = sorted(self.documents.values(), key=lambda d: d.uri != prefer_uri)
        for doc in docs:
            extraction = doc.extraction
            if extraction is None or extraction.language != language:
                continue
            found.extend((extraction, i) for i, s in enumerate(extraction.symbols) if s.name == name)
        local = [item for item in found if item[0].uri == prefer_uri]
        return local or found

    def lens_title(self, view: SummaryView) -> str:
        width = self.settings.lens_max_width
        if view.state in (SummaryState.READY, SummaryState.OUTDATED) and view.text:
            prefix = "offline: " if view.source == "offline summary" else ""
            if view.state is SummaryState.OUTDATED:
                prefix = "(outdated) " + prefix
            return shorten(prefix + first_sentence_of(view.text), width)
        if view.state is SummaryState.FAILED:
            return shorten(f"summary unavailable: {view.reason}", width)
        return "summarizing…"

    def stats(self) -> dict[str, object]:
        """Counters for the editor's "show stats" command."""
        scheduler = self.scheduler.stats
        summarizer = self.summarizer
        return {
            "backend": self.source_label,
            "requestsSent": scheduler.sent,
            "succeeded": scheduler.succeeded,
            "failed": scheduler.failed,
            "cancelledBeforeSending": scheduler.cancelled_before_sending,
            "deduplicated": scheduler.deduplicated,
            "queued": self.scheduler.queued(),
            "running": self.scheduler.running(),
            "cacheEntries": len(self.cache),
            "cacheHits": self.cache.stats.hits,
            "cacheMisses": self.cache.stats.misses,
            "promptTokens": getattr(summarizer, "prompt_tokens", 0),
            "completionTokens": getattr(summarizer, "completion_tokens", 0),
            "openDocuments": len(self.documents),
        }

    def shutdown(self) -> None:
        self.scheduler.shutdown()
        self.cache.use_disk_folder(None)
