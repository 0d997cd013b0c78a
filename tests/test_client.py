"""The founding client contract, through the real openai SDK over real HTTP to a local fake."""

from __future__ import annotations

import logging
import time

import pytest

from ariadne_lsp.llm import base as llm_base
from ariadne_lsp.llm.base import FAILED, SummaryError
from ariadne_lsp.llm.client import SummaryClient
from ariadne_lsp.llm.prompt import SYSTEM_PROMPT, SummaryContext, cache_key
from fake_openai import FakeOpenAI


def ctx(name: str) -> SummaryContext:
    return SummaryContext(language="python", file_name="m.py", qualified_name=name, kind="function")


def make_client(fake: FakeOpenAI, **kwargs: object) -> SummaryClient:
    return SummaryClient(base_url=fake.base_url, api_key="test-key", model="m1", max_retries=0, **kwargs)  # type: ignore[arg-type]


def test_generate_summary_sends_one_chat_completion(fake_openai: FakeOpenAI) -> None:
    client = make_client(fake_openai)
    text = client.generate_summary("def area(r):\n    return 3.14 * r * r", ctx("area"))
    assert text == "Summary of area by m1."
    assert fake_openai.count() == 1
    request = fake_openai.requests[0]
    assert request.model == "m1"
    assert request.authorization == "Bearer test-key"
    assert request.messages[0] == {"role": "system", "content": SYSTEM_PROMPT}
    user = request.messages[1]["content"]
    assert "def area(r):" in user and "Language: python" in user and "File: m.py" in user
    assert client.requests == 1 and client.prompt_tokens > 0


def test_batch_keeps_input_order_when_answers_arrive_out_of_order(fake_openai: FakeOpenAI) -> None:
    # The first items answer last: as_completed yields them late, the result list must not care.
    fake_openai.symbol_latency = {"f0": 0.3, "f1": 0.2, "f2": 0.1}
    client = make_client(fake_openai)
    items = [(f"def f{i}(): pass", ctx(f"f{i}")) for i in range(6)]
    assert client.batch_generate_summaries(items, concurrent_limit=6) == [
        f"Summary of f{i} by m1." for i in range(6)
    ]
    finished = {r.symbol: r.finished for r in fake_openai.requests}
    assert finished["f0"] > finished["f5"], "the fake should have answered f0 last"


def test_batch_failure_becomes_na_and_is_logged_with_its_index(
    fake_openai: FakeOpenAI, caplog: pytest.LogCaptureFixture
) -> None:
    fake_openai.failing_symbols = {"f1": 500, "f3": 429}
    client = make_client(fake_openai)
    items = [(f"def f{i}(): pass", ctx(f"f{i}")) for i in range(5)]
    with caplog.at_level(logging.WARNING, logger="ariadne_lsp"):
        results = client.batch_generate_summaries(items, concurrent_limit=2)
    assert results == ["Summary of f0 by m1.", FAILED, "Summary of f2 by m1.", FAILED, "Summary of f4 by m1."]
    messages = [r.getMessage() for r in caplog.records]
    assert any("summary 1 of 5 failed: server error 500" in m for m in messages)
    assert any("summary 3 of 5 failed: rate limited" in m for m in messages)
    assert all("def f" not in m for m in messages), "prompt bodies must not be logged"


def test_batch_accepts_plain_code_strings(fake_openai: FakeOpenAI) -> None:
    client = make_client(fake_openai)
    assert client.batch_generate_summaries(["def a(): pass"]) == ["Summary of the code by m1."]


def test_empty_batch_returns_at_once_without_a_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pool(*args: object, **kwargs: object) -> None:
        raise AssertionError("a pool was created for an empty batch")

    monkeypatch.setattr(llm_base, "ThreadPoolExecutor", no_pool)
    client = SummaryClient(base_url="http://127.0.0.1:9/v1", api_key="k")
    assert client.batch_generate_summaries([]) == []


@pytest.mark.parametrize("limit", [1, 3, 5])
def test_concurrency_never_exceeds_the_limit(fake_openai: FakeOpenAI, limit: int) -> None:
    fake_openai.latency = 0.05
    client = make_client(fake_openai)
    items = [(f"def f{i}(): pass", ctx(f"f{i}")) for i in range(4 * limit + 2)]
    results = client.batch_generate_summaries(items, concurrent_limit=limit)
    assert FAILED not in results
    # Measured at the server: never above the limit, and the pool really used all its workers.
    assert fake_openai.peak_in_flight == limit


def test_batch_runs_in_parallel(fake_openai: FakeOpenAI) -> None:
    fake_openai.latency = 0.2
    client = make_client(fake_openai)
    started = time.monotonic()
    client.batch_generate_summaries(
        [(f"def f{i}(): pass", ctx(f"f{i}")) for i in range(5)], concurrent_limit=5
    )
    # Sequential would take >= 1.0 s; parallel about 0.2 s. A generous bound, not a benchmark.
    assert time.monotonic() - started < 0.9


def test_bad_api_key_is_reported_as_such(fake_openai: FakeOpenAI) -> None:
    fake_openai.required_key = "right"
    client = make_client(fake_openai)
    with pytest.raises(SummaryError) as info:
        client.generate_summary("def a(): pass", ctx("a"))
    assert info.value.reason == "bad API key (401 from the server)" and info.value.fatal
    assert "test-key" not in str(info.value)


def test_unreachable_server_is_reported_quickly() -> None:
    client = SummaryClient(base_url="http://127.0.0.1:9/v1", api_key="k", max_retries=0, timeout=5)
    started = time.monotonic()
    with pytest.raises(SummaryError) as info:
        client.generate_summary("def a(): pass", ctx("a"))
    assert info.value.reason == "cannot reach http://127.0.0.1:9/v1" and info.value.fatal
    assert time.monotonic() - started < 5


def test_timeout_is_reported(fake_openai: FakeOpenAI) -> None:
    fake_openai.latency = 2.0
    client = make_client(fake_openai, timeout=0.3)
    with pytest.raises(SummaryError, match="timed out"):
        client.generate_summary("def a(): pass", ctx("a"))


def test_retries_recover_from_a_transient_error(fake_openai: FakeOpenAI) -> None:
    fake_openai.errors = [503]
    client = SummaryClient(base_url=fake_openai.base_url, api_key="k", model="m1", max_retries=2)
    assert client.generate_summary("def a(): pass", ctx("a")) == "Summary of a by m1."
    assert fake_openai.count() == 2


def test_api_key_defaults_to_the_environment(
    fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "from-env")
    client = SummaryClient(base_url=fake_openai.base_url, model="m1")
    client.generate_summary("def a(): pass", ctx("a"))
    assert fake_openai.requests[0].authorization == "Bearer from-env"
    assert "from-env" not in repr(client)


def test_cache_key_covers_model_prompt_version_code_and_context() -> None:
    base = cache_key("m1", "def a(): pass", ctx("a"))
    assert base == cache_key("m1", "def a(): pass", ctx("a"))
    assert base != cache_key("m2", "def a(): pass", ctx("a"))
    assert base != cache_key("m1", "def a(): return 1", ctx("a"))
    assert base != cache_key("m1", "def a(): pass", ctx("b"))
    # The prompt version is mixed into the key: bumping it invalidates every summary.
    from ariadne_lsp.llm import prompt

    original = prompt.PROMPT_VERSION
    try:
        prompt.PROMPT_VERSION = original + "-next"
        assert cache_key("m1", "def a(): pass", ctx("a")) != base
    finally:
        prompt.PROMPT_VERSION = original
