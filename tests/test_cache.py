from __future__ import annotations

import threading

from ariadne_lsp.cache import SummaryCache
from ariadne_lsp.llm.base import FAILED


def test_failures_and_empty_texts_are_never_cached() -> None:
    cache = SummaryCache()
    assert not cache.put("k", FAILED, "m")
    assert not cache.put("k", "", "m")
    assert cache.get("k") is None
    assert cache.put("k", "Adds two numbers.", "m")
    entry = cache.get("k")
    assert entry is not None and entry.text == "Adds two numbers." and entry.model_label == "m"


def test_lru_is_bounded_and_evicts_the_least_recently_used() -> None:
    cache = SummaryCache(max_entries=2)
    cache.put("a", "A.", "m")
    cache.put("b", "B.", "m")
    assert cache.get("a") is not None  # a is now more recent than b
    cache.put("c", "C.", "m")
    assert len(cache) == 2
    assert "b" not in cache and "a" in cache and "c" in cache


def test_resize_keeps_entries_up_to_the_new_bound() -> None:
    cache = SummaryCache(max_entries=10)
    for i in range(10):
        cache.put(str(i), f"S{i}.", "m")
    cache.resize(4)
    assert len(cache) == 4
    cache.resize(100)
    assert len(cache) == 4


def test_concurrent_access_from_many_threads() -> None:
    cache = SummaryCache(max_entries=50)
    errors: list[BaseException] = []
    gets_per_thread = 3000
    barrier = threading.Barrier(8)

    def work(seed: int) -> None:
        try:
            barrier.wait()
            for i in range(gets_per_thread):
                key = str((seed * 7919 + i) % 200)
                cache.put(key, f"summary {key}", "m")
                entry = cache.get(key)
                # Another thread may have evicted it, but never corrupted it.
                assert entry is None or entry.text == f"summary {key}"
                assert len(cache) <= 50
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert cache.stats.hits + cache.stats.misses == 8 * gets_per_thread
    assert cache.stats.stores == 8 * gets_per_thread
    assert len(cache) == 50
