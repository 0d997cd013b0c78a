"""The batch designs Ariadne's ``Summarizer.batch_generate_summaries`` is compared with.

Both call the very same ``generate_summary`` of the same client, so only the scheduling differs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from ariadne_lsp.llm.base import FAILED, Summarizer, SummaryItem
from ariadne_lsp.llm.prompt import SummaryContext


def _split(item: SummaryItem) -> tuple[str, SummaryContext | None]:
    return (item, None) if isinstance(item, str) else item


def batch_asyncio_predecessor(
    summarizer: Summarizer, items: Sequence[SummaryItem], concurrent_limit: int = 5
) -> list[str]:
    """The founding design's predecessor: a sync method running ``asyncio.run`` over an
    ``asyncio.Semaphore`` and ``loop.run_in_executor(None, …)`` (the loop's default executor)."""

    async def run_all() -> list[str]:
        semaphore = asyncio.Semaphore(concurrent_limit)
        loop = asyncio.get_running_loop()

        async def one(item: SummaryItem) -> str:
            code, context = _split(item)
            async with semaphore:
                return await loop.run_in_executor(None, summarizer.generate_summary, code, context)

        results = await asyncio.gather(*(one(item) for item in items), return_exceptions=True)
        return [r if isinstance(r, str) else FAILED for r in results]

    if not items:
        return []
    return asyncio.run(run_all())


def batch_sequential(summarizer: Summarizer, items: Sequence[SummaryItem]) -> list[str]:
    """One request after the other."""
    results: list[str] = []
    for item in items:
        code, context = _split(item)
        try:
            results.append(summarizer.generate_summary(code, context))
        except Exception:
            results.append(FAILED)
    return results
