"""Ariadne's benchmarks (issue 5): ``python bench/run.py [--scenario NAME] [--quick] [--output FILE]``.

Every LLM call goes to the tests' fake OpenAI-compatible server (tests/fake_openai.py) on 127.0.0.1
with a fixed latency, so results measure Ariadne's scheduling and protocol overhead, not a model.
Results are written as Markdown tables (docs/benchmarks.md by default). ``--quick`` runs every
scenario with tiny sizes and no targets, so that the test suite keeps the benchmarks working.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import functools
import inspect
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(BENCH))

from ariadne_lsp.llm.client import SummaryClient  # noqa: E402
from ariadne_lsp.llm.prompt import SummaryContext  # noqa: E402
from ariadne_lsp.symbols import extract_symbols  # noqa: E402
from baselines import batch_asyncio_predecessor, batch_sequential  # noqa: E402
from fake_process import FakeProcess  # noqa: E402
from lsp_client import (  # noqa: E402
    ARIADNE_COMMAND,
    MINIMAL_COMMAND,
    BenchClient,
    server_env,
    unresolved,
    wait_until,
)
from sources import EXTENSIONS, LANGUAGES, function_line, large_file, many_functions  # noqa: E402

MODEL = "bench-model"
#: How many lenses an editor shows (and so resolves) at once.
VISIBLE_LENSES = 50


# --- configuration ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Config:
    quick: bool
    n: int  # symbols of the batch and open scenarios
    k: int  # maxConcurrency
    latency: float  # fake LLM latency, seconds
    repeats: int
    sequential_n: int
    hover_doc: int
    hovers: int
    during_n: int
    during_hovers: int
    edits: int
    edit_interval: float
    debounce_ms: int
    churn_functions: int
    startup_runs: int
    extraction_lines: int
    extraction_repeats: int
    change_hovers: int
    memory_entries: int
    scenario_timeout: float

    @classmethod
    def full(cls) -> Config:
        return cls(
            quick=False,
            n=300,
            k=8,
            latency=0.1,
            repeats=5,
            sequential_n=30,
            hover_doc=300,
            hovers=300,
            during_n=300,
            during_hovers=7,
            edits=50,
            edit_interval=0.08,
            debounce_ms=500,
            churn_functions=20,
            startup_runs=7,
            extraction_lines=10_000,
            extraction_repeats=3,
            change_hovers=15,
            memory_entries=100_000,
            scenario_timeout=300,
        )

    @classmethod
    def tiny(cls) -> Config:
        return cls(
            quick=True,
            n=16,
            k=4,
            latency=0.01,
            repeats=1,
            sequential_n=4,
            hover_doc=16,
            hovers=10,
            during_n=60,
            during_hovers=2,
            edits=5,
            edit_interval=0.01,
            debounce_ms=100,
            churn_functions=4,
            startup_runs=1,
            extraction_lines=300,
            extraction_repeats=1,
            change_hovers=3,
            memory_entries=2_000,
            scenario_timeout=90,
        )

    @property
    def ideal(self) -> float:
        """ceil(N/k) × L: every wave of k requests in parallel, no overhead at all."""
        return math.ceil(self.n / self.k) * self.latency


# --- results ------------------------------------------------------------------------------------
@dataclass
class Row:
    metric: str
    baseline: str = "—"
    ariadne: str = "—"
    ratio: str = "—"
    target: str = "—"
    met: str = "—"


@dataclass
class Section:
    key: str
    title: str
    setup: str = ""
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    failed: bool = False


def seconds(value: float) -> str:
    if math.isnan(value):
        return "—"
    if value >= 1:
        return f"{value:.3f} s"
    return f"{value * 1000:.1f} ms" if value >= 0.01 else f"{value * 1000:.3f} ms"


def ratio(value: float, baseline: float) -> str:
    if math.isnan(value) or not baseline > 0:
        return "—"
    return f"{value / baseline:.2f}"


def verdict(cfg: Config, ok: bool) -> str:
    if cfg.quick:
        return "n/a (quick)"
    return "yes" if ok else "**no**"


def percentile(values: Sequence[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return math.nan
    index = min(len(ordered) - 1, max(0, math.ceil(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.monotonic()
    result = fn()
    return time.monotonic() - started, result


def start_fake(latency: float) -> FakeProcess:
    return FakeProcess(latency)


def ariadne_options(fake: FakeProcess, cfg: Config, cache_dir: Path, **overrides: Any) -> dict[str, Any]:
    return {
        "baseUrl": fake.base_url,
        "model": MODEL,
        "maxConcurrency": cfg.k,
        "persistentCache": False,
        "cacheDir": str(cache_dir),
        **overrides,
    }


async def started_ariadne(options: dict[str, Any] | None, tmp: Path) -> BenchClient:
    client = BenchClient(ARIADNE_COMMAND, server_env(tmp / "xdg"))
    await client.start(options, tmp)
    return client


@dataclass
class LensTiming:
    #: didOpen → a codeLens answer with every lens titled (polling ariadne.stats every 25 ms).
    resolved: float
    #: didOpen → the first workspace/codeLens/refresh after that: when an editor that only re-asks on
    #: refresh would see it (the server sends at most two refreshes a second).
    refreshed: float
    failures: int


async def summarise_all(client: BenchClient, uri: str, timeout: float) -> LensTiming:
    """Like an editor: ask for the lenses and resolve the unresolved ones on screen, again on every
    workspace/codeLens/refresh. Meanwhile poll the cheap ``ariadne.stats`` command every 25 ms, and
    ask for the lenses once nothing is queued or running, to time the end precisely."""
    started = time.monotonic()
    client.refreshed.clear()
    lenses = await client.lenses(uri)
    refresh_at: float | None = None
    while True:
        pending = unresolved(lenses)
        if lenses and not pending:
            resolved = time.monotonic()
            break
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"{len(pending)} of {len(lenses)} lenses still pending after {timeout:.0f} s")
        if client.refreshed.is_set():
            client.refreshed.clear()
            refresh_at = client.last_refresh
            lenses = await client.lenses(uri)
            await client.resolve(unresolved(lenses)[:VISIBLE_LENSES])
            continue
        refresh_at = None
        await asyncio.sleep(0.025)
        stats = await client.command("ariadne.stats")
        if stats and stats.get("queued") == 0 and stats.get("running") == 0:
            lenses = await client.lenses(uri)
    failures = sum(1 for lens in lenses if lens.command and "unavailable" in lens.command.title)
    if refresh_at is None and client.refreshed.is_set():
        refresh_at = client.last_refresh  # arrived during the last poll: an editor would ask now
    if refresh_at is None and await client.wait_for_refresh(1.0):
        refresh_at = client.last_refresh
    refreshed = refresh_at - started if refresh_at is not None else math.nan
    return LensTiming(resolved - started, refreshed, failures)


async def warm_up(client: BenchClient, fake: FakeProcess, tmp: Path) -> None:
    """Open and summarise a tiny document, so that the server has imported the OpenAI SDK and opened
    its connections before anything is timed."""
    uri = client.open(tmp / "warm_up.py", many_functions(3, salt=-1), "python")
    await summarise_all(client, uri, 60)
    client.close(uri)
    await wait_until(lambda: fake.in_flight() == 0, 30, "warm-up requests to finish")


# --- 1. batch -----------------------------------------------------------------------------------
def batch_items(n: int) -> list[tuple[str, SummaryContext | None]]:
    return [
        (
            f"def f{i}(x):\n    return x + {i}\n",
            SummaryContext(language="python", file_name="bench.py", qualified_name=f"f{i}", kind="function"),
        )
        for i in range(n)
    ]


def scenario_batch(cfg: Config) -> Section:
    section = Section(
        "batch",
        "1. Batch API: `SummaryClient.batch_generate_summaries`",
        f"N = {cfg.n} symbols, k = {cfg.k}, fake latency L = {seconds(cfg.latency)}; "
        f"ideal = ceil(N/k) × L = {seconds(cfg.ideal)}. Median of {cfg.repeats} runs, designs interleaved, "
        "all through one `SummaryClient` (one HTTP connection pool) to the same fake.",
    )
    fake = start_fake(cfg.latency)
    client = SummaryClient(base_url=fake.base_url, api_key="bench", model=MODEL, max_retries=0)
    try:
        items = batch_items(cfg.n)
        expected = [f"Summary of f{i} by {MODEL}." for i in range(cfg.n)]
        client.batch_generate_summaries(items[: cfg.k], cfg.k)  # SDK import, k keep-alive connections

        fake.set_latency(0.0)
        fake.reset()
        zero, _ = timed(lambda: client.batch_generate_summaries(items, cfg.k))
        per_wave = zero / math.ceil(cfg.n / cfg.k)
        fake.set_latency(cfg.latency)

        ours: list[float] = []
        theirs: list[float] = []
        peaks: dict[str, int] = {}
        for _ in range(cfg.repeats):
            fake.reset()
            elapsed, results = timed(lambda: client.batch_generate_summaries(items, cfg.k))
            if results != expected:
                raise AssertionError("batch_generate_summaries returned wrong summaries")
            ours.append(elapsed)
            peaks["ariadne"] = fake.peak_in_flight()
            fake.reset()
            elapsed, results = timed(lambda: batch_asyncio_predecessor(client, items, cfg.k))
            if results != expected:
                raise AssertionError("the asyncio predecessor returned wrong summaries")
            theirs.append(elapsed)
            peaks["asyncio"] = fake.peak_in_flight()
        fake.reset()
        sequential_items = items[: cfg.sequential_n]
        elapsed, _ = timed(lambda: batch_sequential(client, sequential_items))
        sequential = elapsed * cfg.n / cfg.sequential_n
        achievable = math.ceil(cfg.n / cfg.k) * elapsed / cfg.sequential_n

        ariadne = statistics.median(ours)
        predecessor = statistics.median(theirs)
        section.rows = [
            Row(
                "Ariadne vs ideal ceil(N/k)×L",
                seconds(cfg.ideal),
                seconds(ariadne),
                ratio(ariadne, cfg.ideal),
                "≤ 1.05",
                verdict(cfg, ariadne <= 1.05 * cfg.ideal),
            ),
            Row(
                "Ariadne vs achievable ceil(N/k) × (one sequential round trip at L)",
                seconds(achievable),
                seconds(ariadne),
                ratio(ariadne, achievable),
            ),
            Row(
                "Ariadne vs predecessor (asyncio.run + Semaphore + run_in_executor)",
                seconds(predecessor),
                seconds(ariadne),
                ratio(ariadne, predecessor),
            ),
            Row(
                f"Ariadne vs sequential loop (measured on {cfg.sequential_n} items, "
                f"×{cfg.n / cfg.sequential_n:g})",
                seconds(sequential),
                seconds(ariadne),
                ratio(ariadne, sequential),
            ),
            Row(
                "peak requests in flight at the fake (predecessor / Ariadne)",
                str(peaks["asyncio"]),
                str(peaks["ariadne"]),
                "—",
                f"= k = {cfg.k}",
                verdict(cfg, peaks["ariadne"] == cfg.k),
            ),
            Row(
                "fake + client overhead per wave at L = 0 (N/k waves)",
                "—",
                seconds(per_wave),
                f"{per_wave / cfg.latency:.1%} of L",
            ),
        ]
        cpu = os.cpu_count() or 1
        section.notes = [
            f"All runs (s): Ariadne {[round(x, 3) for x in ours]}, "
            f"predecessor {[round(x, 3) for x in theirs]}.",
            "The predecessor's `run_in_executor(None, …)` uses the loop's default executor, "
            f"min(32, cpu_count + 4) = {min(32, cpu + 4)} threads on this machine: with k = {cfg.k} "
            "its semaphore never binds, the pool does "
            f"(peak in flight {peaks['asyncio']}), which is why it is slower when k > cpu + 4.",
            f"The fake runs in its own process (`bench/fake_process.py`) with a listen backlog of 128 and "
            "TCP_NODELAY (without it every answer waits ~40 ms for a delayed ACK). "
            f"With L = 0 the whole batch takes {seconds(zero)}: {seconds(per_wave)} per wave of {cfg.k}, "
            "the CPU cost of the client and the "
            "fake together, which bounds the overhead any design can reach at L > 0.",
        ]
    finally:
        client.close()
        fake.stop()
    return section


# --- 2. open → lenses ---------------------------------------------------------------------------
async def scenario_open_lenses(cfg: Config) -> Section:
    section = Section(
        "open-lenses",
        "2. didOpen → every code lens has its summary (real server over stdio)",
        f"N = {cfg.n} Python functions, `maxConcurrency` {cfg.k}, L = {seconds(cfg.latency)}, "
        f"`persistentCache: false`; ideal = {seconds(cfg.ideal)}. The client acts like an editor: codeLens, "
        f"resolve the unresolved among the first {VISIBLE_LENSES}, again on every "
        "workspace/codeLens/refresh; meanwhile it polls the cheap `ariadne.stats` command every 25 ms "
        "and asks for the lenses once nothing "
        "is queued or running, to time the end precisely. "
        f"Median of {cfg.repeats} warm runs. Warm runs follow a warm-up document "
        "(the server imports the OpenAI SDK on its "
        "first request); the cold row is a fresh server's first document.",
    )
    fake = start_fake(cfg.latency)
    with tempfile.TemporaryDirectory(prefix="ariadne-bench-") as name:
        tmp = Path(name)
        client = await started_ariadne(ariadne_options(fake, cfg, tmp / "cache"), tmp)
        try:
            cold = 0.0
            warm: list[float] = []
            editor: list[float] = []
            server_side: list[float] = []
            lens_trips: list[float] = []
            failures = 0
            for run in range(cfg.repeats + 1):
                if run == 1:
                    await warm_up(client, fake, tmp)
                fake.reset()
                opened = time.monotonic()
                uri = client.open(tmp / f"many_{run}.py", many_functions(cfg.n, salt=run), "python")
                timing = await summarise_all(client, uri, cfg.scenario_timeout / 2)
                failures += timing.failures
                if run == 0:
                    cold = timing.resolved
                else:
                    warm.append(timing.resolved)
                    editor.append(timing.refreshed)
                    server_side.append(fake.last_finished() - opened)
                requests = fake.count()
                for _ in range(3):
                    lens_started = time.monotonic()
                    await client.lenses(uri)
                    lens_trips.append(time.monotonic() - lens_started)
                client.close(uri)
                if requests != cfg.n:
                    raise AssertionError(f"{requests} LLM requests for {cfg.n} symbols")
        finally:
            await client.stop()
            fake.stop()
    median = statistics.median(warm)
    section.rows = [
        Row(
            "didOpen → all lenses resolved (warm server)",
            seconds(cfg.ideal),
            seconds(median),
            ratio(median, cfg.ideal),
            "≤ 1.10",
            verdict(cfg, median <= 1.10 * cfg.ideal),
        ),
        Row(
            "didOpen → last LLM answer at the fake (warm)",
            seconds(cfg.ideal),
            seconds(statistics.median(server_side)),
            ratio(statistics.median(server_side), cfg.ideal),
        ),
        Row(
            "didOpen → next workspace/codeLens/refresh (what a refresh-driven editor sees, warm)",
            seconds(cfg.ideal),
            seconds(statistics.median(editor)),
            ratio(statistics.median(editor), cfg.ideal),
        ),
        Row(
            "didOpen → all lenses resolved (cold: first document of a new server)",
            seconds(cfg.ideal),
            seconds(cold),
            ratio(cold, cfg.ideal),
        ),
    ]
    section.notes = [
        f"Warm runs (s): {[round(x, 3) for x in warm]}; lenses failed: {failures}; "
        f"exactly {cfg.n} LLM requests per document.",
        f"One textDocument/codeLens round trip for the {cfg.n} resolved lenses takes "
        f"{seconds(statistics.median(lens_trips))} (median): the lower bound of the gap between the last LLM "
        "answer and the client seeing every lens.",
        "The refresh row is when a refresh-driven editor would ask again: the server sends at most two "
        "workspace/codeLens/refresh a second (`LENS_REFRESH_INTERVAL`), so it can trail the last summary by "
        "up to that interval. The cold row is a new server's first document, opened right after "
        "`initialized`: "
        "it waits for the import of the OpenAI SDK (most of a second), however early that import is started.",
    ]
    return section


# --- 3. cached hover ----------------------------------------------------------------------------
async def scenario_cached_hover(cfg: Config) -> Section:
    section = Section(
        "cached-hover",
        "3. Hover on already-summarised symbols vs a minimal pygls server",
        f"{cfg.hovers} sequential hovers on the names of a {cfg.hover_doc}-function document whose summaries "
        "are all in the cache, alternating between Ariadne and `bench/minimal_server.py` "
        "(pygls, fixed Hover) "
        "so both see the same machine load. Round trips as seen by a pygls client.",
    )
    fake = start_fake(0.0)
    with tempfile.TemporaryDirectory(prefix="ariadne-bench-") as name:
        tmp = Path(name)
        ariadne = await started_ariadne(ariadne_options(fake, cfg, tmp / "cache"), tmp)
        minimal = BenchClient(MINIMAL_COMMAND, server_env(tmp / "xdg"))
        await minimal.start(None, tmp)
        minimal_async = BenchClient([*MINIMAL_COMMAND, "--async"], server_env(tmp / "xdg"))
        await minimal_async.start(None, tmp)
        try:
            text = many_functions(cfg.hover_doc)
            uri = ariadne.open(tmp / "hover.py", text, "python")
            minimal_uri = minimal.open(tmp / "hover.py", text, "python")
            minimal_async_uri = minimal_async.open(tmp / "hover.py", text, "python")
            await summarise_all(ariadne, uri, cfg.scenario_timeout / 2)
            before = fake.count()
            ours: list[float] = []
            theirs: list[float] = []
            theirs_async: list[float] = []
            for index in range(cfg.hovers + 10):
                j = (index * 37) % cfg.hover_doc
                elapsed, shown = await ariadne.hover(uri, function_line(j), 5)
                if shown is None or f"Summary of f{j} by {MODEL}." not in shown:
                    raise AssertionError(f"wrong hover for f{j}: {shown!r}")
                minimal_elapsed, _ = await minimal.hover(minimal_uri, function_line(j), 5)
                async_elapsed, _ = await minimal_async.hover(minimal_async_uri, function_line(j), 5)
                if index >= 10:  # the first ten warm all three up
                    ours.append(elapsed)
                    theirs.append(minimal_elapsed)
                    theirs_async.append(async_elapsed)
            if fake.count() != before:
                raise AssertionError("a cached hover made an LLM request")
        finally:
            await ariadne.stop()
            await minimal.stop()
            await minimal_async.stop()
            fake.stop()
    p50, p50_base = statistics.median(ours), statistics.median(theirs)
    p50_async = statistics.median(theirs_async)
    p99, p99_base = percentile(ours, 99), percentile(theirs, 99)
    section.rows = [
        Row(
            "hover p50 (baseline: the minimal server with an `async def` handler, as Ariadne's must be)",
            seconds(p50_async),
            seconds(p50),
            ratio(p50, p50_async),
            "≤ 1.2",
            verdict(cfg, p50 <= 1.2 * p50_async),
        ),
        Row(
            "hover p50 (baseline: the minimal server with a plain `def` handler)",
            seconds(p50_base),
            seconds(p50),
            ratio(p50, p50_base),
        ),
        Row("hover p99 (plain `def` baseline)", seconds(p99_base), seconds(p99), ratio(p99, p99_base)),
        Row(
            "hover mean (plain `def` baseline)",
            seconds(statistics.fmean(theirs)),
            seconds(statistics.fmean(ours)),
            ratio(statistics.fmean(ours), statistics.fmean(theirs)),
        ),
    ]
    section.notes = [
        "No LLM request was made by any of these hovers.",
        "The target's baseline is the minimal server with an `async def` handler: the project requires "
        "every Ariadne handler to be `async def`, which pygls runs as a task, so that is the cheapest "
        "server Ariadne could be. The plain-`def` rows show what that rule costs. "
        "Where the rest goes: Ariadne's handler checks the document version, finds the symbol by the "
        "line of its name (`Engine.symbol_index_at`: "
        f"{seconds(index_scan_seconds(cfg.hover_doc))} for {cfg.hover_doc} symbols, in this process), "
        "reads the cache under its lock, and renders Markdown.",
    ]
    return section


def index_scan_seconds(n: int) -> float:
    """In-process cost of ``Engine.symbol_index_at`` on an ``n``-function document (median of 200)."""
    from ariadne_lsp.engine import Engine
    from ariadne_lsp.settings import parse_settings
    from ariadne_lsp.symbols.model import Position

    settings, _ = parse_settings({"backend": "offline", "persistentCache": False})
    engine = Engine(settings)
    try:
        uri = "file:///bench/hover.py"
        engine.open(uri, "python")
        extraction = engine.symbols_for(uri, many_functions(n), 1)
        assert extraction is not None
        position = Position(function_line(n // 2), 5)
        return statistics.median(
            timed(lambda: engine.symbol_index_at(extraction, position))[0] for _ in range(200)
        )
    finally:
        engine.shutdown()


# --- 4. hover during a batch ---------------------------------------------------------------------
async def scenario_hover_during_batch(cfg: Config) -> Section:
    section = Section(
        "hover-during-batch",
        "4. Hover on a not-yet-summarised symbol while a batch runs",
        f"Open a {cfg.during_n}-function document (`maxConcurrency` {cfg.k}, L = {seconds(cfg.latency)}); "
        f"once {cfg.k} background requests are in flight, hover symbols from the end of the document "
        f"(queued behind ~{cfg.during_n - cfg.k} others), {cfg.during_hovers} times at different phases "
        "of the batch. Each hover waits for a free slot (≤ L) and then its own request (L).",
    )
    fake = start_fake(cfg.latency)
    with tempfile.TemporaryDirectory(prefix="ariadne-bench-") as name:
        tmp = Path(name)
        client = await started_ariadne(ariadne_options(fake, cfg, tmp / "cache"), tmp)
        try:
            await warm_up(client, fake, tmp)
            fake.reset()
            uri = client.open(tmp / "during.py", many_functions(cfg.during_n, salt=7), "python")
            await wait_until(lambda: fake.count() >= cfg.k, 30, "the batch to start")
            latencies: list[float] = []
            positions: list[int] = []
            for _ in range(cfg.during_hovers):
                requested = set(fake.symbols_requested())
                waiting = [j for j in range(cfg.during_n) if f"f{j}" not in requested]
                if not waiting:
                    break  # the batch is over (a very busy machine, or a tiny --quick batch)
                j = waiting[-1]
                elapsed, shown = await client.hover(uri, function_line(j), 5)
                if shown is None or f"Summary of f{j} by {MODEL}." not in shown:
                    raise AssertionError(f"wrong hover for f{j}: {shown!r}")
                latencies.append(elapsed)
                positions.append(fake.symbols_requested().index(f"f{j}"))
                await asyncio.sleep(cfg.latency * 0.37)
            remaining = cfg.during_n - fake.count()
            client.close(uri)
        finally:
            await client.stop()
            fake.stop()
    if remaining <= 0:
        section.notes.append("The batch finished before the last hover: the hovers may not have competed.")
    if not latencies:
        if not cfg.quick:
            raise AssertionError("the batch ended before any hover: nothing was measured")
        latencies = [math.nan]
    median, worst = statistics.median(latencies), max(latencies)
    target = 2 * cfg.latency
    section.rows = [
        Row(
            "hover latency, median",
            seconds(target) + " (2 × L)",
            seconds(median),
            ratio(median, target),
            "≤ 1.0 (≤ 2 × L)",
            verdict(cfg, median <= target),
        ),
        Row(
            "hover latency, worst",
            seconds(target) + " (2 × L)",
            seconds(worst),
            ratio(worst, target),
            "≤ 1.0 (≤ 2 × L)",
            verdict(cfg, worst <= target),
        ),
    ]
    section.notes.append(
        f"Latencies (ms): {[round(x * 1000) for x in latencies if not math.isnan(x)]}; "
        "each hovered symbol was request "
        f"#{positions} at the fake (of {cfg.during_n}), i.e. it overtook the queued batch."
    )
    return section


# --- 5. edit churn ------------------------------------------------------------------------------
async def scenario_edit_churn(cfg: Config) -> Section:
    section = Section(
        "edit-churn",
        "5. Edit churn: LLM requests for 50 keystrokes, and after a restart",
        f"A {cfg.churn_functions}-function document is opened and fully summarised; then {cfg.edits} "
        f"one-character incremental didChanges to one function, one every {seconds(cfg.edit_interval)}, each "
        f"followed (like an editor) by codeLens and resolving the unresolved lenses; "
        "then a pause longer than "
        f"`debounceMs` ({cfg.debounce_ms} ms). Then the server is shut down and restarted with the same "
        "`cacheDir` and `persistentCache: true`, and the final text is reopened.",
    )
    fake = start_fake(cfg.latency)
    with tempfile.TemporaryDirectory(prefix="ariadne-bench-") as name:
        tmp = Path(name)
        options = ariadne_options(fake, cfg, tmp / "cache", persistentCache=True, debounceMs=cfg.debounce_ms)
        text = many_functions(cfg.churn_functions)
        target = cfg.churn_functions // 2
        line = function_line(target) + 1
        column = len(text.splitlines()[line])
        client = await started_ariadne(options, tmp)
        try:
            uri = client.open(tmp / "churn.py", text, "python")
            await summarise_all(client, uri, 60)
            await wait_until(lambda: fake.in_flight() == 0, 30, "the first batch")
            before = fake.count()
            for e in range(cfg.edits):
                client.insert(uri, line, column + e, "1")
                lenses = await client.lenses(uri)
                await client.resolve(unresolved(lenses))
                await asyncio.sleep(cfg.edit_interval)
            await asyncio.sleep(cfg.debounce_ms / 1000 + 1.0 + 2 * cfg.latency)
            await wait_until(lambda: fake.in_flight() == 0, 30, "requests after the pause")
            await summarise_all(client, uri, 30)
            churn_requests = fake.count() - before
            churn_symbols = fake.symbols_requested()[before:]
        finally:
            await client.stop()
        lines = text.splitlines(keepends=True)
        lines[line] = lines[line].rstrip("\n") + "1" * cfg.edits + "\n"
        final_text = "".join(lines)
        before = fake.count()
        client = await started_ariadne(options, tmp)
        try:
            started = time.monotonic()
            uri = client.open(tmp / "churn.py", final_text, "python")
            elapsed = (await summarise_all(client, uri, 60)).resolved
            await asyncio.sleep(cfg.debounce_ms / 1000 + 0.5)
            await wait_until(lambda: fake.in_flight() == 0, 30, "requests after the restart")
            restart_requests = fake.count() - before
            restart_lenses = time.monotonic() - started if restart_requests else elapsed
        finally:
            await client.stop()
            fake.stop()
    section.rows = [
        Row(
            f"LLM requests for {cfg.edits} edits + pause",
            "1",
            str(churn_requests),
            ratio(churn_requests, 1),
            "exactly 1",
            verdict(cfg, churn_requests == 1),
        ),
        Row(
            "LLM requests after restart (same cacheDir) + reopen",
            "0",
            str(restart_requests),
            "—",
            "exactly 0",
            verdict(cfg, restart_requests == 0),
        ),
        Row("reopen after restart → all lenses resolved", "—", seconds(restart_lenses)),
    ]
    section.notes = [f"Symbols requested during the churn: {churn_symbols}."]
    return section


# --- 6. start-up --------------------------------------------------------------------------------
async def scenario_startup(cfg: Config) -> Section:
    section = Section(
        "startup",
        "6. Start-up: process start → initialize answered",
        f"Median of {cfg.startup_runs} runs each, alternating Ariadne (`python -m ariadne_lsp`, default "
        "settings) and `bench/minimal_server.py`; timed from spawning the process to the initialize result.",
    )
    times: dict[str, list[float]] = {"ariadne": [], "minimal": []}
    with tempfile.TemporaryDirectory(prefix="ariadne-bench-") as name:
        tmp = Path(name)
        for _ in range(cfg.startup_runs):
            for which, command in (("ariadne", ARIADNE_COMMAND), ("minimal", MINIMAL_COMMAND)):
                client = BenchClient(command, server_env(tmp / "xdg"))
                try:
                    times[which].append(await client.start({}, tmp))
                finally:
                    await client.stop()
    ours, theirs = statistics.median(times["ariadne"]), statistics.median(times["minimal"])
    section.rows = [
        Row(
            "start → initialize answered (median)",
            seconds(theirs),
            seconds(ours),
            ratio(ours, theirs),
            "≤ 1.5",
            verdict(cfg, ours <= 1.5 * theirs),
        ),
    ]
    section.notes = [
        f"Runs (s): Ariadne {[round(x, 3) for x in times['ariadne']]}, "
        f"minimal {[round(x, 3) for x in times['minimal']]}."
    ]
    return section


# --- 7. extraction ------------------------------------------------------------------------------
def extraction_times(cfg: Config) -> dict[str, tuple[int, int, float]]:
    """language -> (lines, symbols, median seconds of extract_symbols)."""
    results: dict[str, tuple[int, int, float]] = {}
    for language in LANGUAGES:
        text = large_file(language, cfg.extraction_lines)
        file_name = f"big.{EXTENSIONS[language]}"
        symbols = extract_symbols(text, language, file_name)  # loads the grammar
        runs = [
            timed(functools.partial(extract_symbols, text, language, file_name))[0]
            for _ in range(cfg.extraction_repeats)
        ]
        results[language] = (text.count("\n"), len(symbols), statistics.median(runs))
    return results


def engine_reextraction(cfg: Config) -> float:
    """Median seconds of ``Engine.symbols_for`` on a new version of the large Python file, in this
    process: extraction plus what the server adds (contexts, one cache key per symbol, old-key lookups)."""
    from ariadne_lsp.engine import Engine
    from ariadne_lsp.scheduler import Priority
    from ariadne_lsp.settings import parse_settings

    with tempfile.TemporaryDirectory(prefix="ariadne-bench-") as name:
        settings, _ = parse_settings({"backend": "offline", "cacheDir": name})
        engine = Engine(settings)
        engine.apply_settings(settings)
        try:
            text = large_file("python", cfg.extraction_lines)
            uri = (Path(name) / "big.py").as_uri()
            engine.open(uri, "python")
            extraction = engine.symbols_for(uri, text, 1)
            assert extraction is not None
            engine.request(extraction, len(extraction.symbols) // 2, Priority.HOVER).result(timeout=30)
            engine.symbols_for(uri, text + "#", 2)  # warm-up
            runs = [
                timed(functools.partial(engine.symbols_for, uri, text + "#" * version, version))[0]
                for version in range(3, 3 + cfg.extraction_repeats)
            ]
        finally:
            engine.shutdown()
    return statistics.median(runs)


async def scenario_extraction(cfg: Config) -> Section:
    section = Section(
        "extraction",
        "7. Symbol extraction on large files, and hover right after an edit",
        f"`extract_symbols` on a generated ~{cfg.extraction_lines:,}-line file per language (median of "
        f"{cfg.extraction_repeats}, in the benchmark process, grammar already loaded). Then the real server "
        f"(offline backend, default persistent cache in a fresh folder) with the Python file open: "
        f"{cfg.change_hovers} hovers on an unchanged, summarised function, without and right after an "
        "incremental didChange elsewhere (each hover after a change pays one re-extraction).",
    )
    results = extraction_times(cfg)
    for language, (lines, count, elapsed) in results.items():
        section.rows.append(
            Row(
                f"{language}: {lines:,} lines, {count:,} symbols",
                "—",
                f"{seconds(elapsed)} ({count / elapsed:,.0f} symbols/s)",
            )
        )
    python_extraction = results["python"][2]
    engine_extraction = engine_reextraction(cfg)
    with tempfile.TemporaryDirectory(prefix="ariadne-bench-") as name:
        tmp = Path(name)
        options = {
            "backend": "offline",
            "summarizeOnOpen": False,
            "debounceMs": 60_000,
            "cacheDir": str(tmp / "cache"),
        }
        client = await started_ariadne(options, tmp)
        try:
            text = large_file("python", cfg.extraction_lines) + "# end\n"
            last_line = text.count("\n") - 1
            uri = client.open(tmp / "big.py", text, "python")
            middle = text.count("class Widget") // 2
            line = text.splitlines().index(f"def helper_{middle}(items):")
            for _ in range(3):
                await client.hover(uri, line, 6)  # summarises it (offline) and warms up
            plain: list[float] = []
            changed: list[float] = []
            for e in range(cfg.change_hovers):
                elapsed, shown = await client.hover(uri, line, 6)
                plain.append(elapsed)
                client.insert(uri, last_line, 5 + e, "x")
                elapsed, shown = await client.hover(uri, line, 6)
                if not shown:
                    raise AssertionError("no hover after an edit")
                changed.append(elapsed)
        finally:
            await client.stop()
    without, after = statistics.median(plain), statistics.median(changed)
    delay = after - without
    section.rows += [
        Row("hover, no edit before it (median)", "—", seconds(without)),
        Row(
            "hover right after a didChange (median)",
            seconds(without) + " (no edit)",
            seconds(after),
            ratio(after, without),
        ),
        Row(
            "extra delay vs one in-process Python extraction",
            seconds(python_extraction) + " (1 extraction)",
            seconds(delay),
            ratio(delay, python_extraction),
            "≤ ~1 extraction (≤ 1.5)",
            verdict(cfg, delay <= 1.5 * python_extraction),
        ),
        Row(
            "extra delay vs one in-process `Engine.symbols_for` (extraction + keys + lookups)",
            seconds(engine_extraction),
            seconds(delay),
            ratio(delay, engine_extraction),
        ),
    ]
    section.notes = [
        f"Hovers after an edit (ms): {[round(x * 1000) for x in changed]}.",
        "The server re-extracts lazily (on the first request after a change), then computes one cache key "
        "per symbol (building the prompt, redacting secrets with regular expressions, SHA-256) and looks "
        "every old key up in the cache (memory, then SQLite) for 'outdated' summaries: the delay beyond "
        "`extract_symbols` is that work, as the `Engine.symbols_for` row shows.",
    ]
    return section


# --- 8. memory ----------------------------------------------------------------------------------
def scenario_memory(cfg: Config) -> Section:
    n = cfg.memory_entries
    section = Section(
        "memory",
        "8. Memory: SummaryCache and the on-disk cache",
        f"{n:,} summaries (~142 characters each, SHA-256 hex keys) put into a "
        f"`SummaryCache(max_entries={n})` "
        "in a fresh subprocess (`bench/memory_probe.py`); resident memory (VmRSS) before and after. The "
        "on-disk tier (`ariadne_lsp.disk_cache.DiskCache`, SQLite) gets the same entries in a fresh folder.",
    )
    with tempfile.TemporaryDirectory(prefix="ariadne-bench-") as name:
        output = subprocess.run(
            [sys.executable, str(BENCH / "memory_probe.py"), str(n), name],
            capture_output=True,
            text=True,
            check=True,
            timeout=cfg.scenario_timeout,
        ).stdout
    result = json.loads(output.strip().splitlines()[-1])
    memory = result["memory"]
    grown = memory["rss_after"] - memory["rss_before"]
    payload = memory["payload_bytes"]
    section.rows = [
        Row(
            f"RSS growth for {n:,} entries",
            f"{payload / 2**20:.1f} MiB (raw key + text)",
            f"{grown / 2**20:.1f} MiB",
            ratio(grown, payload),
        ),
        Row("RSS per entry", f"{payload / n:.0f} B (raw)", f"{grown / n:.0f} B", ratio(grown, payload)),
    ]
    disk = result["disk"]
    if disk.get("available"):
        section.rows.append(
            Row(
                "on disk per entry (SQLite file + WAL after close)",
                f"{payload / n:.0f} B (raw)",
                f"{disk['bytes'] / disk['entries']:.0f} B",
                ratio(disk["bytes"], payload),
            )
        )
        section.notes.append(
            f"Disk: {disk['bytes'] / 2**20:.1f} MiB for {disk['entries']:,} entries; "
            f"put {disk['put_seconds']:.2f} s "
            f"in all ({disk['put_seconds'] / disk['entries'] * 1e6:.0f} µs each, one transaction each), "
            f"get {disk['get_seconds_each'] * 1e6:.0f} µs each."
        )
    else:
        section.rows.append(Row("on disk per entry", "—", "not available"))
        section.notes.append(f"On-disk cache not measured: {disk.get('reason')}.")
    section.notes.append(
        f"Filling the in-memory cache took {memory['fill_seconds']:.2f} s; "
        f"RSS before {memory['rss_before'] / 2**20:.1f} MiB."
    )
    return section


# --- driver -------------------------------------------------------------------------------------
SCENARIOS: dict[str, Callable[[Config], Any]] = {
    "batch": scenario_batch,
    "open-lenses": scenario_open_lenses,
    "cached-hover": scenario_cached_hover,
    "hover-during-batch": scenario_hover_during_batch,
    "edit-churn": scenario_edit_churn,
    "startup": scenario_startup,
    "extraction": scenario_extraction,
    "memory": scenario_memory,
}


def run_scenario(name: str, cfg: Config) -> Section:
    fn = SCENARIOS[name]
    started = time.monotonic()
    print(f"[bench] {name} …", file=sys.stderr, flush=True)
    try:
        if inspect.iscoroutinefunction(fn):
            section: Section = asyncio.run(asyncio.wait_for(fn(cfg), cfg.scenario_timeout))
        else:
            section = fn(cfg)
    except Exception as exc:
        traceback.print_exc()
        section = Section(name, f"{name} (failed)", failed=True)
        section.rows = [Row("error", ariadne=f"{type(exc).__name__}: {exc}".replace("|", "\\|")[:300])]
    elapsed = time.monotonic() - started
    section.notes.append(f"Scenario wall time: {elapsed:.1f} s.")
    print(f"[bench] {name} done in {elapsed:.1f} s", file=sys.stderr, flush=True)
    return section


def machine_facts(cfg: Config, started: datetime.datetime, wall: float) -> list[tuple[str, str]]:
    from importlib.metadata import version

    load = os.getloadavg() if hasattr(os, "getloadavg") else (math.nan,) * 3
    return [
        ("date (UTC)", started.strftime("%Y-%m-%d %H:%M")),
        ("mode", "quick (tiny sizes, targets not judged)" if cfg.quick else "full"),
        ("CPU count", str(os.cpu_count())),
        ("Python", f"{platform.python_version()} ({platform.python_implementation()})"),
        ("platform", platform.platform()),
        ("pygls / openai SDK", f"{version('pygls')} / {version('openai')}"),
        ("load average at the end (1/5/15 min)", " / ".join(f"{x:.2f}" for x in load)),
        ("total wall time", f"{wall:.0f} s"),
    ]


def render(sections: Sequence[Section], facts: Sequence[tuple[str, str]]) -> str:
    out = [
        "# Benchmarks",
        "",
        "Generated by `python bench/run.py` (`make bench`); do not edit by hand. LLM calls go to "
        "`tests/fake_openai.py` (run in a process of its own) on 127.0.0.1 with a fixed latency, so these "
        "numbers measure Ariadne's own "
        "overhead. The machine is shared (other test runs may be going on): compare ratios, not absolutes.",
        "",
        "| machine | |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in facts),
        "",
    ]
    for section in sections:
        out += [f"## {section.title}", ""]
        if section.setup:
            out += [section.setup, ""]
        out += [
            "| metric | baseline | Ariadne | ratio | target | met? |",
            "|---|---|---|---|---|---|",
            *(
                f"| {r.metric} | {r.baseline} | {r.ariadne} | {r.ratio} | {r.target} | {r.met} |"
                for r in section.rows
            ),
            "",
        ]
        out += [f"- {note}" for note in section.notes]
        out.append("")
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scenario", choices=list(SCENARIOS), help="run only this scenario")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, no targets (for the test suite)")
    parser.add_argument(
        "--output", default=str(ROOT / "docs" / "benchmarks.md"), help="Markdown file to write"
    )
    args = parser.parse_args(argv)
    cfg = Config.tiny() if args.quick else Config.full()
    names = [args.scenario] if args.scenario else list(SCENARIOS)
    started, wall = datetime.datetime.now(datetime.timezone.utc), time.monotonic()
    sections = [run_scenario(name, cfg) for name in names]
    text = render(sections, machine_facts(cfg, started, time.monotonic() - wall))
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    print(text)
    failed = [s.key for s in sections if s.failed]
    if failed:
        print(f"[bench] failed scenarios: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
