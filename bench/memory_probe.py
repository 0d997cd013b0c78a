"""Run alone (``python bench/memory_probe.py N [DIR]``): the memory of a SummaryCache of N summaries,
and the on-disk size per entry when ``ariadne_lsp.disk_cache`` exists. Prints one JSON object."""

from __future__ import annotations

import gc
import hashlib
import importlib
import json
import os
import sys
import tempfile
import time
from typing import Any

TEXT_TEMPLATE = (
    "Parses the configuration file at the given path, merges it with the defaults and returns "
    "the validated settings for request handler number {i}."
)


def rss_bytes() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def key_of(i: int) -> str:
    return hashlib.sha256(f"bench-{i}".encode()).hexdigest()


def text_of(i: int) -> str:
    return TEXT_TEMPLATE.format(i=i)


def memory(n: int) -> dict[str, Any]:
    from ariadne_lsp.cache import SummaryCache

    gc.collect()
    before = rss_bytes()
    cache = SummaryCache(max_entries=n)
    started = time.perf_counter()
    for i in range(n):
        cache.put(key_of(i), text_of(i), "gpt-4o-mini")
    fill = time.perf_counter() - started
    gc.collect()
    after = rss_bytes()
    assert len(cache) == n
    payload = sum(len(key_of(i)) + len(text_of(i)) for i in range(0, n, max(1, n // 1000)))
    payload = payload * n // len(range(0, n, max(1, n // 1000)))
    return {
        "entries": n,
        "rss_before": before,
        "rss_after": after,
        "payload_bytes": payload,
        "fill_seconds": fill,
        "mean_text_chars": sum(len(text_of(i)) for i in range(100)) / 100,
    }


def disk(n: int, folder: str) -> dict[str, Any]:
    """Bytes per entry of the on-disk cache (``ariadne_lsp.disk_cache.DiskCache``), if it exists."""
    try:
        module = importlib.import_module("ariadne_lsp.disk_cache")
    except ImportError:
        return {"available": False, "reason": "ariadne_lsp.disk_cache does not exist"}
    store: Any = module.DiskCache(folder)
    started = time.perf_counter()
    for i in range(n):
        store.put(key_of(i), text_of(i), "gpt-4o-mini")
    put_seconds = time.perf_counter() - started
    started = time.perf_counter()
    sample = max(1, n // 1000)
    for i in range(0, n, sample):
        assert store.get(key_of(i)) is not None
    get_seconds = (time.perf_counter() - started) / len(range(0, n, sample))
    store.close()
    size = 0
    for root, _, files in os.walk(folder):
        size += sum(os.path.getsize(os.path.join(root, f)) for f in files)
    return {
        "available": True,
        "bytes": size,
        "entries": n,
        "put_seconds": put_seconds,
        "get_seconds_each": get_seconds,
    }


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    result: dict[str, Any] = {"memory": memory(n)}
    folder = sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp(prefix="ariadne-bench-disk-")
    try:
        result["disk"] = disk(n, folder)
    except Exception as exc:
        result["disk"] = {"available": False, "reason": f"{type(exc).__name__}: {exc}"}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
