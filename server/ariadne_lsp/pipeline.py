"""Document → symbols → cache → one batch of the misses → cache: the CLI's whole job.

The language server uses the same pieces (symbols, cache keys, summariser) through its
scheduler instead, so that hovers can overtake a batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ariadne_lsp.cache import SummaryCache
from ariadne_lsp.llm.base import FAILED, Summarizer, SummaryError
from ariadne_lsp.llm.prompt import SummaryContext
from ariadne_lsp.symbols.model import Symbol


@dataclass(frozen=True)
class SymbolSummary:
    symbol: Symbol
    #: The summary, or None when it could not be produced.
    text: str | None
    model_label: str
    cached: bool


def summarize_symbols(
    symbols: Sequence[Symbol],
    summarizer: Summarizer,
    cache: SummaryCache,
    *,
    concurrency: int = 5,
    probe_first: bool = False,
) -> list[SymbolSummary]:
    """Summarise ``symbols``, paying once per distinct cache key and never for a cached one.

    With ``probe_first`` the first miss is summarised alone, so a fatal error (bad key,
    unreachable server) raises ``SummaryError`` after one request instead of failing every item.
    """
    contexts = [SummaryContext.for_symbol(s) for s in symbols]
    keys = [summarizer.key_for(s.code, ctx) for s, ctx in zip(symbols, contexts)]
    found: dict[str, str] = {}
    cached_keys: set[str] = set()
    misses: dict[str, tuple[str, SummaryContext]] = {}
    for symbol, ctx, key in zip(symbols, contexts, keys):
        if key in found or key in misses:
            continue
        entry = cache.get(key)
        if entry is not None:
            found[key] = entry.text
            cached_keys.add(key)
        else:
            misses[key] = (symbol.code, ctx)

    pending = list(misses.items())
    if probe_first and pending and not summarizer.offline:
        key, (code, ctx) = pending.pop(0)
        try:
            found[key] = summarizer.generate_summary(code, ctx)
        except SummaryError as exc:
            if exc.fatal:
                raise
            found[key] = FAILED
    texts = summarizer.batch_generate_summaries([item for _, item in pending], concurrent_limit=concurrency)
    found.update((key, text) for (key, _), text in zip(pending, texts))
    for key in misses:
        cache.put(key, found[key], summarizer.model_label)

    return [
        SymbolSummary(
            symbol=symbol,
            text=None if found[key] == FAILED else found[key],
            model_label=summarizer.model_label,
            cached=key in cached_keys,
        )
        for symbol, key in zip(symbols, keys)
    ]
