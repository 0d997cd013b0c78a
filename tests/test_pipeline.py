"""Document → symbols → cache → batch of misses → cache, through the real client and a local fake."""

from __future__ import annotations

from pathlib import Path

import pytest

from ariadne_lsp.cache import SummaryCache
from ariadne_lsp.disk_cache import DiskCache
from ariadne_lsp.llm.base import SummaryError
from ariadne_lsp.llm.client import SummaryClient
from ariadne_lsp.pipeline import summarize_symbols
from ariadne_lsp.symbols import extract_symbols
from fake_openai import FakeOpenAI

SOURCE = """class A:
    def size(self):
        return 1


class B:
    def size(self):
        return 1


def helper(x):
    return x * 2
"""


def client_for(fake: FakeOpenAI, model: str = "m1") -> SummaryClient:
    return SummaryClient(base_url=fake.base_url, api_key="k", model=model, max_retries=0)


def test_each_symbol_once_then_never_again(fake_openai: FakeOpenAI) -> None:
    symbols = extract_symbols(SOURCE, "python", "m.py")
    cache = SummaryCache()
    first = summarize_symbols(symbols, client_for(fake_openai), cache)
    assert [s.text for s in first] == [f"Summary of {s.qualified_name} by m1." for s in symbols]
    assert fake_openai.count() == len(symbols) == 5
    second = summarize_symbols(symbols, client_for(fake_openai), cache)
    assert fake_openai.count() == 5, "an unchanged symbol is never paid for twice"
    assert all(s.cached for s in second)


def test_identical_code_in_one_batch_is_summarised_once(fake_openai: FakeOpenAI) -> None:
    # The same function twice in one file (same name, same context): one request.
    source = "def twin():\n    return 1\n\n\ndef twin():\n    return 1\n"
    symbols = extract_symbols(source, "python", "m.py")
    assert len(symbols) == 2
    results = summarize_symbols(symbols, client_for(fake_openai), SummaryCache())
    assert fake_openai.count() == 1
    assert results[0].text == results[1].text == "Summary of twin by m1."


def test_a_changed_symbol_is_summarised_again_and_only_it(fake_openai: FakeOpenAI) -> None:
    cache = SummaryCache()
    summarize_symbols(extract_symbols(SOURCE, "python", "m.py"), client_for(fake_openai), cache)
    changed = SOURCE.replace("return x * 2", "return x * 3")
    summarize_symbols(extract_symbols(changed, "python", "m.py"), client_for(fake_openai), cache)
    assert fake_openai.symbols_requested()[5:] == ["helper"]


def test_another_model_is_another_key(fake_openai: FakeOpenAI) -> None:
    cache = SummaryCache()
    symbols = extract_symbols(SOURCE, "python", "m.py")
    summarize_symbols(symbols, client_for(fake_openai, "m1"), cache)
    results = summarize_symbols(symbols, client_for(fake_openai, "m2"), cache)
    assert fake_openai.count() == 10
    assert results[-1].text == "Summary of helper by m2."


def test_failures_are_not_cached(fake_openai: FakeOpenAI) -> None:
    fake_openai.failing_symbols = {"helper": 500}
    cache = SummaryCache()
    symbols = extract_symbols(SOURCE, "python", "m.py")
    results = summarize_symbols(symbols, client_for(fake_openai), cache)
    assert results[-1].text is None and results[0].text is not None
    fake_openai.failing_symbols = {}
    results = summarize_symbols(symbols, client_for(fake_openai), cache)
    assert results[-1].text == "Summary of helper by m1."
    assert fake_openai.symbols_requested().count("helper") == 2


def test_probe_first_raises_a_fatal_error_after_one_request(fake_openai: FakeOpenAI) -> None:
    fake_openai.required_key = "other"
    with pytest.raises(SummaryError, match="bad API key"):
        summarize_symbols(
            extract_symbols(SOURCE, "python", "m.py"),
            client_for(fake_openai),
            SummaryCache(),
            probe_first=True,
        )
    assert fake_openai.count() == 1


def test_the_disk_tier_survives_a_new_cache(fake_openai: FakeOpenAI, tmp_path: Path) -> None:
    symbols = extract_symbols(SOURCE, "python", "m.py")
    summarize_symbols(symbols, client_for(fake_openai), SummaryCache(disk=DiskCache(tmp_path)))
    fresh = SummaryCache(disk=DiskCache(tmp_path))
    results = summarize_symbols(symbols, client_for(fake_openai), fresh)
    assert fake_openai.count() == 5 and all(r.cached for r in results)
    assert len(DiskCache(tmp_path)) == 5


def test_a_broken_disk_cache_is_turned_off_not_fatal(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    disk = DiskCache(blocker)
    assert not disk.enabled
    cache = SummaryCache(disk=disk)
    assert cache.put("k", "S.", "m") and cache.get("k") is not None
