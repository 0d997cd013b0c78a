"""One shared pool for every summary the server needs: priorities, de-duplication, cancellation.

* One concurrency limit across all documents (five open files must not make 25 calls at once).
* ``request`` for a key that is already queued or running returns the same future: never two
  LLM calls for one key.
* A priority queue sits in front of the pool: hovers overtake visible lenses, which overtake
  background batches. Raising the priority of a queued job moves it forward.
* Each job remembers who wants it (a document URI, a progress batch…); when nobody does any more,
  it is cancelled before it is sent. A call already on the wire is left to finish and cached.

Futures are ``concurrent.futures.Future``: the server awaits them from its event loop without
ever running an LLM call on the loop or on pygls' own thread pool.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from collections.abc import Callable, Hashable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import IntEnum

from cachetools import TTLCache

from ariadne_lsp.cache import SummaryCache
from ariadne_lsp.llm.base import Summarizer, SummaryError, describe_failure
from ariadne_lsp.llm.prompt import SummaryContext

log = logging.getLogger(__name__)

#: Threads are created on demand; the number actually busy is bounded by ``max_concurrency``.
POOL_THREADS = 64
#: How long a failure is remembered (and shown) before the key may be tried again.
FAILURE_TTL = 60.0


class Priority(IntEnum):
    HOVER = 0
    VISIBLE = 1
    BACKGROUND = 2


@dataclass(eq=False)
class Job:
    key: str
    code: str
    context: SummaryContext
    summarizer: Summarizer
    priority: Priority
    future: Future[str] = field(default_factory=Future)
    owners: set[Hashable] = field(default_factory=set)
    running: bool = False
    #: Set before listeners are told and before the future completes, so listeners see the outcome.
    cancelled: bool = False
    error: SummaryError | None = None
    #: Called (on a pool thread) when the job ends, whatever the outcome.
    listeners: list[Callable[[Job], None]] = field(default_factory=list)


@dataclass
class SchedulerStats:
    sent: int = 0
    succeeded: int = 0
    failed: int = 0
    cancelled_before_sending: int = 0
    deduplicated: int = 0


class Scheduler:
    def __init__(self, cache: SummaryCache, max_concurrency: int = 5) -> None:
        self.cache = cache
        self._max_concurrency = max(1, max_concurrency)
        self._executor = ThreadPoolExecutor(max_workers=POOL_THREADS, thread_name_prefix="ariadne-llm")
        self._lock = threading.RLock()
        self._jobs: dict[str, Job] = {}
        self._queue: list[tuple[int, int, Job]] = []
        self._sequence = itertools.count()
        self._running = 0
        self._failures: TTLCache[str, str] = TTLCache(maxsize=10_000, ttl=FAILURE_TTL, timer=time.monotonic)
        self.stats = SchedulerStats()

    # --- configuration -------------------------------------------------------------------------
    @property
    def max_concurrency(self) -> int:
        return self._max_concurrency

    def set_max_concurrency(self, value: int) -> None:
        with self._lock:
            self._max_concurrency = max(1, value)
        self._pump()

    # --- asking for summaries ------------------------------------------------------------------
    def request(
        self,
        key: str,
        code: str,
        context: SummaryContext,
        summarizer: Summarizer,
        *,
        priority: Priority,
        owner: Hashable,
        listener: Callable[[Job], None] | None = None,
    ) -> Future[str]:
        """The future of the summary for ``key``: done at once when cached, else shared with any
        job already queued or running for the same key."""
        cached = self.cache.get(key)
        if cached is not None:
            done: Future[str] = Future()
            done.set_result(cached.text)
            return done
        with self._lock:
            job = self._jobs.get(key)
            if job is not None:
                self.stats.deduplicated += 1
                job.owners.add(owner)
                if listener is not None:
                    job.listeners.append(listener)
                if priority < job.priority and not job.running:
                    job.priority = priority
                    # The old heap entry stays behind and is skipped when popped (lazy deletion).
                    heapq.heappush(self._queue, (priority, next(self._sequence), job))
                return job.future
            self._failures.pop(key, None)
            job = Job(key, code, context, summarizer, priority, owners={owner})
            if listener is not None:
                job.listeners.append(listener)
            self._jobs[key] = job
            heapq.heappush(self._queue, (priority, next(self._sequence), job))
        self._pump()
        return job.future

    def is_pending(self, key: str) -> bool:
        with self._lock:
            return key in self._jobs

    def failure(self, key: str) -> str | None:
        """The reason the last attempt at ``key`` failed, if it failed recently."""
        with self._lock:
            return self._failures.get(key)

    def forget_failures(self) -> None:
        with self._lock:
            self._failures.clear()

    def release(
        self, owner: Hashable, keep: Iterable[str] = (), *, only_priority: Priority | None = None
    ) -> int:
        """``owner`` no longer wants its jobs, except those in ``keep``. Queued jobs nobody else
        wants are cancelled before they are sent; returns how many were cancelled."""
        keep_keys = set(keep)
        cancelled: list[Job] = []
        with self._lock:
            for job in list(self._jobs.values()):
                if owner not in job.owners or job.key in keep_keys:
                    continue
                if only_priority is not None and job.priority != only_priority:
                    continue
                job.owners.discard(owner)
                if not job.owners and not job.running:
                    del self._jobs[job.key]
                    cancelled.append(job)
            self.stats.cancelled_before_sending += len(cancelled)
        for job in cancelled:
            job.cancelled = True
            self._notify(job)
            job.future.cancel()
        return len(cancelled)

    def queued(self) -> int:
        with self._lock:
            return sum(1 for job in self._jobs.values() if not job.running)

    def running(self) -> int:
        with self._lock:
            return self._running

    # --- running -------------------------------------------------------------------------------
    def _pump(self) -> None:
        to_start: list[Job] = []
        with self._lock:
            while self._running < self._max_concurrency and self._queue:
                priority, _, job = heapq.heappop(self._queue)
                if job.running or self._jobs.get(job.key) is not job or priority != job.priority:
                    continue  # cancelled, already started, or superseded by a higher-priority entry
                job.running = True
                self._running += 1
                self.stats.sent += 1
                to_start.append(job)
        for job in to_start:
            self._executor.submit(self._run, job)

    def _run(self, job: Job) -> None:
        text = ""
        try:
            text = job.summarizer.generate_summary(job.code, job.context)
        except Exception as exc:
            reason = describe_failure(exc)
            if not isinstance(exc, SummaryError):
                log.exception("summary of %s failed unexpectedly", job.context.qualified_name or job.key[:12])
            job.error = exc if isinstance(exc, SummaryError) else SummaryError(reason)
            with self._lock:
                self._failures[job.key] = reason
                self.stats.failed += 1
        else:
            self.cache.put(job.key, text, job.summarizer.model_label)
            with self._lock:
                self.stats.succeeded += 1
        self._finish(job)
        # Listeners first, then the future: a listener that hops to the event loop is then queued
        # before any waiter of the future, so progress reports never trail the batch's end.
        self._notify(job)
        if job.error is not None:
            job.future.set_exception(job.error)
        else:
            job.future.set_result(text)

    def _finish(self, job: Job) -> None:
        with self._lock:
            self._running -= 1
            if self._jobs.get(job.key) is job:
                del self._jobs[job.key]
        self._pump()

    @staticmethod
    def _notify(job: Job) -> None:
        for listener in job.listeners:
            try:
                listener(job)
            except Exception:
                log.exception("job listener failed")

    def shutdown(self) -> None:
        with self._lock:
            jobs = [job for job in self._jobs.values() if not job.running]
            for job in jobs:
                del self._jobs[job.key]
            self._queue.clear()
        for job in jobs:
            job.cancelled = True
            job.future.cancel()
        self._executor.shutdown(wait=False, cancel_futures=True)
