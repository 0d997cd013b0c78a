"""The on-disk tier under the in-memory LRU: summaries survive a restart of the editor.

SQLite from the standard library, one file per cache folder, shared safely by several server
processes (one per editor window). Any disk problem turns the tier off with one warning: a
broken cache must never stop summaries.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from pathlib import Path

log = logging.getLogger(__name__)

FILE_NAME = "summaries-v1.sqlite3"
#: Beyond this many rows the oldest are dropped when the cache is opened.
MAX_ROWS = 500_000


class DiskCache:
    def __init__(self, folder: str | Path, max_rows: int = MAX_ROWS) -> None:
        self.path = Path(folder) / FILE_NAME
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, check_same_thread=False, timeout=5.0, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(
                "CREATE TABLE IF NOT EXISTS summaries ("
                "key TEXT PRIMARY KEY, text TEXT NOT NULL, model TEXT NOT NULL, created REAL NOT NULL)"
            )
            (rows,) = db.execute("SELECT COUNT(*) FROM summaries").fetchone()
            if rows > max_rows:
                db.execute(
                    "DELETE FROM summaries WHERE key IN (SELECT key FROM summaries ORDER BY created LIMIT ?)",
                    (rows - max_rows,),
                )
            self._db = db
        except (OSError, sqlite3.Error) as exc:
            log.warning("on-disk cache disabled (%s): %s", self.path, exc)

    @property
    def enabled(self) -> bool:
        return self._db is not None

    def _fail(self, exc: Exception) -> None:
        log.warning("on-disk cache disabled after an error: %s", exc)
        db, self._db = self._db, None
        if db is not None:
            db.close()

    def get(self, key: str) -> tuple[str, str] | None:
        """(text, model label) stored for ``key``, or None."""
        with self._lock:
            if self._db is None:
                return None
            try:
                row = self._db.execute("SELECT text, model FROM summaries WHERE key = ?", (key,)).fetchone()
            except sqlite3.Error as exc:
                self._fail(exc)
                return None
        return (row[0], row[1]) if row else None

    def put(self, key: str, text: str, model_label: str) -> None:
        with self._lock:
            if self._db is None:
                return
            try:
                self._db.execute(
                    "INSERT OR REPLACE INTO summaries (key, text, model, created) VALUES (?, ?, ?, ?)",
                    (key, text, model_label, time.time()),
                )
            except sqlite3.Error as exc:
                self._fail(exc)

    def clear(self) -> None:
        with self._lock:
            if self._db is not None:
                try:
                    self._db.execute("DELETE FROM summaries")
                except sqlite3.Error as exc:
                    self._fail(exc)

    def __len__(self) -> int:
        with self._lock:
            if self._db is None:
                return 0
            (rows,) = self._db.execute("SELECT COUNT(*) FROM summaries").fetchone()
            return int(rows)

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
