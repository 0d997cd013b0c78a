"""The summary cache: a bounded LRU keyed by the hash of everything sent to the model,
optionally over an on-disk tier (``DiskCache``) that survives restarts.

Shared by the pool's threads and the event loop, so every access holds one lock; the
critical sections are dictionary operations, never I/O.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from cachetools import LRUCache

from ariadne_lsp.disk_cache import DiskCache
from ariadne_lsp.llm.base import FAILED

DEFAULT_CACHE_SIZE = 10_000


@dataclass(frozen=True, slots=True)
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

    def __init__(self, max_entries: int = DEFAULT_CACHE_SIZE, disk: DiskCache | None = None) -> None:
        self._entries: LRUCache[str, CachedSummary] = LRUCache(maxsize=max(1, max_entries))
        self._lock = threading.Lock()
        self.disk = disk
        self.stats = CacheStats()

    def get(self, key: str) -> CachedSummary | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self.stats.hits += 1
                return entry
        stored = self.disk.get(key) if self.disk is not None else None
        with self._lock:
            if stored is None:
                self.stats.misses += 1
                return None
            self.stats.hits += 1
            entry = CachedSummary(*stored)
            self._entries[key] = entry  # promoted: the next lookup stays in memory
            return entry

    def put(self, key: str, text: str, model_label: str) -> bool:
        """Store a summary; returns False (and stores nothing) for a failure or an empty text."""
        if not text or text == FAILED:
            return False
        with self._lock:
            self._entries[key] = CachedSummary(text, model_label)
            self.stats.stores += 1
        if self.disk is not None:
            self.disk.put(key, text, model_label)
        return True

    def use_disk_folder(self, folder: str | None) -> None:
        """Put an on-disk tier in ``folder`` under this cache (None: memory only)."""
        if self.disk is not None and folder is not None and self.disk.path.parent == Path(folder):
            return
        if self.disk is not None:
            self.disk.close()
        self.disk = DiskCache(folder) if folder is not None else None

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
        if self.disk is not None:
            self.disk.clear()

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
            if key in self._entries:
                return True
        return isinstance(key, str) and self.disk is not None and self.disk.get(key) is not None
