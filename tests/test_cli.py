"""``ariadne-lsp summarize`` as a user runs it: a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from fake_openai import FakeOpenAI

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ariadne_lsp", "summarize", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=os.environ.copy(),
    )


def test_offline_summaries_of_the_examples_in_every_language() -> None:
    result = run(str(EXAMPLES), "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    files = {Path(str(r["file"])).suffix for r in rows}
    assert files == {".py", ".ts", ".go", ".rs", ".java", ".c", ".cpp", ".js"}
    by_name = {r["qualifiedName"]: r for r in rows}
    assert by_name["Shape.area"]["summary"] == "Return the area enclosed by the shape."
    assert by_name["Shape.area"]["model"] == "offline summary"
    assert by_name["Stack.Push"]["summary"] == "Push adds v on top of the stack."
    assert by_name["Point.manhattan"]["kind"] == "method"
    assert "offline summaries" in result.stderr
    assert "[1/8]" in result.stderr, "progress for folders on stderr"


def test_text_output_names_each_symbol_with_its_location() -> None:
    result = run(str(EXAMPLES / "shapes.py"))
    assert result.returncode == 0
    assert "9:7  class     Shape" in result.stdout
    assert "Sum the areas of all shapes." in result.stdout


def test_llm_backend_through_the_fake(fake_openai: FakeOpenAI) -> None:
    result = run(str(EXAMPLES / "stack.go"), "--base-url", fake_openai.base_url, "--model", "m9", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["summary"] for r in rows] == [f"Summary of {r['qualifiedName']} by m9." for r in rows]
    assert fake_openai.count() == len(rows) == 3
    # A second run is served from the on-disk cache.
    again = run(str(EXAMPLES / "stack.go"), "--base-url", fake_openai.base_url, "--model", "m9", "--json")
    assert json.loads(again.stdout) == rows and fake_openai.count() == 3


def test_concurrency_flag_bounds_requests(fake_openai: FakeOpenAI) -> None:
    fake_openai.latency = 0.05
    result = run(str(EXAMPLES), "--base-url", fake_openai.base_url, "--concurrency", "2", "--no-cache")
    assert result.returncode == 0, result.stderr
    assert fake_openai.peak_in_flight == 2


def test_missing_file_is_one_clear_line() -> None:
    result = run("no/such/file.py")
    assert result.returncode == 2
    assert result.stderr.strip() == "ariadne-lsp: error: no such file or folder: no/such/file.py"


def test_unreachable_base_url_says_so_without_hanging() -> None:
    started = time.monotonic()
    result = run(str(EXAMPLES / "shapes.py"), "--base-url", "http://127.0.0.1:9/v1", "--no-cache", timeout=30)
    assert result.returncode == 1
    assert "ariadne-lsp: error: cannot reach http://127.0.0.1:9/v1" in result.stderr
    assert time.monotonic() - started < 25
    assert "Traceback" not in result.stderr


def test_bad_api_key_is_reported(fake_openai: FakeOpenAI) -> None:
    fake_openai.required_key = "right"
    result = run(str(EXAMPLES / "shapes.py"), "--base-url", fake_openai.base_url, "--no-cache")
    assert result.returncode == 1
    assert "ariadne-lsp: error: bad API key (401 from the server)" in result.stderr
    assert fake_openai.count() == 1, "one request, not one per symbol"
