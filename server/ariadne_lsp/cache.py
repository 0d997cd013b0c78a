"""The summary cache: a bounded LRU keyed by the hash of everything sent to the model.

Shared by the pool's threads and the event loop, so every access holds one lock; the
critical sections are dictionary operations, never I/O.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from cachetools import LRUCache

from ariadne_lsp.llm.base import FAILED

DEFAULT_CACHE_SIZE = 10_000


@dataclass(frozen=True)
class CachedSummary:
    text: str
    #: The model that wrote it, or "offline".
    model_label: str


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0
    stores: int = 0


class SummaryCache:
    """Thread-safe LRU of summaries. Failures are never stored."""

    def __init__(self, max_entries: int = DEFAULT_CACHE_SIZE) -> None:
        self._entries: LRUCache[str, CachedSummary] = LRUCache(maxsize=max(1, max_entries))
        self._lock = threading.Lock()
        self.stats = CacheStats()

    def get(self, key: str) -> CachedSummary | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self.stats.misses += 1
            else:
                self.stats.hits += 1
            return entry

    def put(self, key: str, text: str, model_label: str) -> bool:
        """Store a summary; returns False (and stores nothing) for a failure or an empty text."""
        if not text or text == FAILED:
            return False
        with self._lock:
            self._entries[key] = CachedSummary(text, model_label)
            self.stats.stores += 1
        return True

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def resize(self, max_entries: int) -> None:
        """Apply a new size limit; when shrinking, the entries stored first are dropped first."""
        with self._lock:
            if max_entries == self._entries.maxsize:
                return
            resized: LRUCache[str, CachedSummary] = LRUCache(maxsize=max(1, max_entries))
            for key, entry in list(self._entries.items()):
                resized[key] = entry
            self._entries = resized

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._entries
