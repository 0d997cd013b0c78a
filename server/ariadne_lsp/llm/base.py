"""The contract every summary backend keeps, and the founding batch API on top of it."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed

from ariadne_lsp.llm.prompt import SummaryContext, cache_key

log = logging.getLogger(__name__)

#: What a failed item of a batch becomes (the founding contract). Never cached, never shown as is.
FAILED = "N/A"

#: A batch item: code alone, or code with its context.
SummaryItem = str | tuple[str, SummaryContext | None]


class SummaryError(Exception):
    """A summary could not be produced; ``reason`` is short enough for a code lens."""

    def __init__(self, reason: str, *, fatal: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        #: True when every further request would fail the same way (bad key, unreachable server).
        self.fatal = fatal


class Summarizer:
    """Base class of the backends: subclasses implement ``generate_summary``."""

    #: Shown to users ("offline summary" or the model name) and part of every cache key.
    model_label: str = ""
    #: True for the built-in summariser that never leaves the machine.
    offline: bool = False

    def generate_summary(self, code: str, context: SummaryContext | None = None) -> str:
        raise NotImplementedError

    def warm_up(self) -> None:
        """Prepare for the first request without blocking (nothing to do by default)."""

    def key_for(self, code: str, context: SummaryContext | None) -> str:
        return cache_key(self.model_label, code, context)

    def batch_generate_summaries(self, items: Sequence[SummaryItem], concurrent_limit: int = 5) -> list[str]:
        """Summarise every item on a thread pool of ``concurrent_limit`` workers.

        Every item is submitted at once and collected with ``as_completed``; results come back in
        input order. An item that raises becomes ``"N/A"`` and is logged with its index. An empty
        list returns at once, without creating a pool.
        """
        if not items:
            return []
        if concurrent_limit < 1:
            raise ValueError("concurrent_limit must be at least 1")
        results: list[str] = [FAILED] * len(items)
        with ThreadPoolExecutor(max_workers=concurrent_limit, thread_name_prefix="ariadne-batch") as pool:
            futures: dict[Future[str], int] = {}
            for index, item in enumerate(items):
                code, context = (item, None) if isinstance(item, str) else item
                futures[pool.submit(self.generate_summary, code, context)] = index
            for future in as_completed(futures):
                index = futures[future]
                try:
                    results[index] = future.result()
                except Exception as exc:  # one bad item must not sink the batch
                    log.warning("summary %d of %d failed: %s", index, len(items), describe_failure(exc))
        return results


def describe_failure(exc: BaseException) -> str:
    """A short, secret-free reason for a failure, suitable for a lens title or a log line."""
    if isinstance(exc, SummaryError):
        return exc.reason
    return type(exc).__name__
