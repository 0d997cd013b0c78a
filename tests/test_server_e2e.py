"""The real server over stdio, driven by pytest-lsp with VS Code's and Neovim's capabilities,
summarising through the tests' own OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

from fake_openai import FakeOpenAI
from lsp_support import CLIENTS, SERVER_CONFIG, SHAPES, SHAPES_SYMBOLS, Session, find, wait_until


def many_functions(n: int) -> str:
    return "".join(f"def f{i}(x):\n    return x + {i}\n\n\n" for i in range(n))


@pytest_lsp.fixture(config=SERVER_CONFIG, params=CLIENTS)
async def client(lsp_client: LanguageClient) -> AsyncIterator[None]:
    yield
    with contextlib.suppress(RuntimeError):  # a test that restarts the server has shut it down itself
        await lsp_client.shutdown_session()


@pytest.fixture
def lsp(client: LanguageClient, request: pytest.FixtureRequest) -> Session:
    return Session(client, request.node.callspec.params["client"])


@pytest.fixture
def fake() -> Any:
    fake = FakeOpenAI().start()
    yield fake
    fake.stop()


def options(fake: FakeOpenAI, **overrides: Any) -> dict[str, Any]:
    return {"baseUrl": fake.base_url, "model": "m1", "debounceMs": 300, **overrides}


async def test_background_batch_then_cached_hover_costs_nothing(
    lsp: Session, fake: FakeOpenAI, tmp_path: Path
) -> None:
    await lsp.start(options(fake), tmp_path)
    uri = lsp.open(tmp_path / "shapes.py", SHAPES, "python")
    await wait_until(lambda: fake.count() >= 4)
    await wait_until(lambda: all(r.finished for r in fake.requests), what="batch done")
    assert sorted(fake.symbols_requested()) == sorted(SHAPES_SYMBOLS)

    line, col = find(SHAPES, "total_area")
    text = await lsp.hover_text(uri, line, col + 2)
    assert text is not None and "Summary of total_area by m1." in text
    assert "m1" in text.split("Summary of total_area by m1.")[1], "footer names the model"
    if lsp.caps.text_document.hover.content_format[0] == types.MarkupKind.Markdown:  # type: ignore[union-attr,index]
        assert "*m1*" in text
    assert fake.count() == 4, "a cached hover makes no request"


async def test_hover_waits_for_the_queued_job_instead_of_a_second_call(
    lsp: Session, fake: FakeOpenAI, tmp_path: Path
) -> None:
    fake.held_symbols = {"scale"}
    await lsp.start(options(fake), tmp_path)
    uri = lsp.open(tmp_path / "shapes.py", SHAPES, "python")
    await wait_until(lambda: fake.count() >= 4)
    line, col = find(SHAPES, "def scale")
    hover = asyncio.ensure_future(lsp.hover_text(uri, line, col + 4))
    await asyncio.sleep(0.3)
    assert not hover.done(), "the hover waits for the running job"
    fake.release()
    text = await hover
    assert text is not None and "Summary of scale by m1." in text
    assert fake.count("scale") == 1


async def test_cold_hover_summarises_just_that_symbol(lsp: Session, fake: FakeOpenAI, tmp_path: Path) -> None:
    await lsp.start(options(fake, summarizeOnOpen=False), tmp_path)
    uri = lsp.open(tmp_path / "shapes.py", SHAPES, "python")
    await asyncio.sleep(0.3)
    assert fake.count() == 0, "summarizeOnOpen is off"
    line, col = find(SHAPES, "def area")
    text = await lsp.hover_text(uri, line, col + 5)
    assert text is not None and "Summary of Shape.area by m1." in text
    assert fake.symbols_requested() == ["Shape.area"]


async def test_hover_on_a_call_site_shows_the_definition(
    lsp: Session, fake: FakeOpenAI, tmp_path: Path
) -> None:
    other = "from shapes import total_area\n\nprint(total_area([]))\n"
    await lsp.start(options(fake, summarizeOnOpen=False), tmp_path)
    lsp.open(tmp_path / "shapes.py", SHAPES, "python")
    uri = lsp.open(tmp_path / "main.py", other, "python")
    line, col = find(other, "total_area", occurrence=1)
    text = await lsp.hover_text(uri, line, col + 1)
    assert text is not None and "Summary of total_area by m1." in text


async def test_hover_on_whitespace_or_a_keyword_returns_nothing(
    lsp: Session, fake: FakeOpenAI, tmp_path: Path
) -> None:
    await lsp.start(options(fake, summarizeOnOpen=False), tmp_path)
    uri = lsp.open(tmp_path / "shapes.py", SHAPES, "python")
    assert await lsp.hover(uri, 3, 0) is None  # blank line
    line, col = find(SHAPES, "    return 0")
    assert await lsp.hover(uri, line, col + 1) is None  # indentation
    assert await lsp.hover(uri, line, col + 5) is None  # "return"
    assert fake.count() == 0


async def test_hover_overtakes_a_large_queued_batch(lsp: Session, fake: FakeOpenAI, tmp_path: Path) -> None:
    fake.latency = 0.05
    source = many_functions(300)
    await lsp.start(options(fake, maxConcurrency=2), tmp_path)
    uri = lsp.open(tmp_path / "many.py", source, "python")
    await wait_until(lambda: fake.count() >= 2)
    line, col = find(source, "def f299(")
    text = await lsp.hover_text(uri, line, col + 5)
    assert text is not None and "Summary of f299 by m1." in text
    order = fake.symbols_requested()
    # It went ahead of the ~296 queued background jobs: after at most the jobs already running.
    assert order.index("f299") <= 4, order[:10]
    assert len(order) < 20, "the hover did not wait for the batch"
    assert order.count("f299") == 1


async def test_code_lenses_exist_at_once_then_fill_in(lsp: Session, fake: FakeOpenAI, tmp_path: Path) -> None:
    fake.held_symbols = set(SHAPES_SYMBOLS)
    await lsp.start(options(fake), tmp_path)
    uri = lsp.open(tmp_path / "shapes.py", SHAPES, "python")
    lenses = await lsp.lenses(uri)
    assert [lens.range.start.line for lens in lenses] == [0, 1, 5, 9]
    assert await lsp.resolved_titles(uri) == ["summarizing…"] * 4
    fake.release()
    await wait_until(lambda: fake.count() == 4 and all(r.finished for r in fake.requests))
    if lsp.supports_refresh():
        await wait_until(lambda: lsp.refreshes >= 1, what="workspace/codeLens/refresh")
    titles = await lsp.resolved_titles(uri)
    assert titles == [f"Summary of {name} by m1." for name in SHAPES_SYMBOLS]
    lens = (await lsp.lenses(uri))[2]
    assert lens.command is not None and lens.command.command == "ariadne.showSummary"
    shown = await lsp.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=lens.command.command, arguments=lens.command.arguments)
    )
    assert "Summary of total_area by m1." in shown
    assert any("Summary of total_area" in m.message for m in lsp.client.messages)
    assert fake.count() == 4


async def test_failures_show_a_reason_never_na(lsp: Session, fake: FakeOpenAI, tmp_path: Path) -> None:
    fake.failing_symbols = {"scale": 429}
    await lsp.start(options(fake), tmp_path)
    uri = lsp.open(tmp_path / "shapes.py", SHAPES, "python")
    titles = await lsp.resolved_titles(uri)
    for _ in range(200):
        if titles[3] != "summarizing…":
            break
        await asyncio.sleep(0.05)
        titles = await lsp.resolved_titles(uri)
    assert titles[3] == "summary unavailable: rate limited"
    assert fake.count("scale") == 3, "the SDK's two retries, then a reason"
    assert "N/A" not in " ".join(titles)


async def test_progress_begin_report_end(lsp: Session, fake: FakeOpenAI, tmp_path: Path) -> None:
    fake.latency = 0.3  # the batch outlasts the progress handshake, so every step is reported
    await lsp.start(options(fake), tmp_path)
    lsp.open(tmp_path / "shapes.py", SHAPES, "python")
    if not lsp.supports_progress():
        pytest.fail("both editors' capabilities include work-done progress")
    try:
        await wait_until(
            lambda: any(
                isinstance(r[-1], types.WorkDoneProgressEnd)
                for r in lsp.client.progress_reports.values()
                if r
            ),
            what="progress end",
        )
    finally:
        print("progress reports:", lsp.client.progress_reports)
    (reports,) = lsp.client.progress_reports.values()
    begin, *middle, end = reports
    assert isinstance(begin, types.WorkDoneProgressBegin) and begin.title == "Summarizing shapes.py"
    assert begin.cancellable is True
    assert [r.message for r in middle] == ["1/4", "2/4", "3/4", "4/4"]
    assert isinstance(end, types.WorkDoneProgressEnd) and end.message == "4/4 summarized"


async def test_cancelling_progress_stops_the_queued_work(
    lsp: Session, fake: FakeOpenAI, tmp_path: Path
) -> None:
    fake.latency = 0.1
    await lsp.start(options(fake, maxConcurrency=1), tmp_path)
    lsp.open(tmp_path / "many.py", many_functions(50), "python")
    await wait_until(lambda: any(lsp.client.progress_reports.values()), what="progress begin")
    (token,) = lsp.client.progress_reports
    lsp.client.window_work_done_progress_cancel(types.WorkDoneProgressCancelParams(token=token))
    await wait_until(lambda: isinstance(lsp.client.progress_reports[token][-1], types.WorkDoneProgressEnd))
    assert lsp.client.progress_reports[token][-1].message == "cancelled"  # type: ignore[union-attr]
    sent = fake.count()
    await asyncio.sleep(0.5)
    assert fake.count() == sent and sent < 10, f"{sent} requests after cancel"


async def test_an_edit_to_one_function_costs_exactly_one_request(
    lsp: Session, fake: FakeOpenAI, tmp_path: Path
) -> None:
    await lsp.start(options(fake, debounceMs=400), tmp_path)
    uri = lsp.open(tmp_path / "shapes.py", SHAPES, "python")
    await wait_until(lambda: fake.count() == 4 and all(r.finished for r in fake.requests))
    line, _ = find(SHAPES, "    return shape")
    # Type " * factor" one character at a time, as a person would.
    column = len("    return shape")
    for char in " * factor":
        lsp.edit(uri, (line, column), (line, column), char)
        column += 1
        await asyncio.sleep(0.05)
    # Before the debounce fires: the old summary, marked outdated; nothing sent.
    def_line, def_col = find(SHAPES, "def scale")
    text = await lsp.hover_text(uri, def_line, def_col + 5)
    assert text is not None and "Summary of scale by m1." in text and "outdated" in text
    assert fake.count() == 4
    await wait_until(lambda: fake.count() == 5, what="the one request for the edited function")
    await asyncio.sleep(0.6)
    assert fake.symbols_requested()[4:] == ["scale"]
    assert "return shape * factor" in fake.requests[4].messages[1]["content"]
    await wait_until(lambda: fake.requests[4].finished > 0)
    text = await lsp.hover_text(uri, def_line, def_col + 5)
    assert text is not None and "outdated" not in text
    assert fake.count() == 5


async def test_closing_a_document_cancels_its_queued_work(
    lsp: Session, fake: FakeOpenAI, tmp_path: Path
) -> None:
    fake.latency = 0.2
    await lsp.start(options(fake, maxConcurrency=1), tmp_path)
    uri = lsp.open(tmp_path / "many.py", many_functions(40), "python")
    await wait_until(lambda: fake.count() >= 1)
    lsp.close(uri)
    await asyncio.sleep(0.8)
    assert fake.count() <= 2, f"{fake.count()} requests after close"


async def test_settings_change_switches_the_model(lsp: Session, fake: FakeOpenAI, tmp_path: Path) -> None:
    await lsp.start(options(fake, summarizeOnOpen=False), tmp_path)
    uri = lsp.open(tmp_path / "shapes.py", SHAPES, "python")
    line, col = find(SHAPES, "def scale")
    assert "by m1." in (await lsp.hover_text(uri, line, col + 5) or "")
    lsp.client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(
            settings={"ariadne": options(fake, model="m2", summarizeOnOpen=False)}
        )
    )
    await asyncio.sleep(0.2)
    assert "Summary of scale by m2." in (await lsp.hover_text(uri, line, col + 5) or "")
    assert [r.model for r in fake.requests] == ["m1", "m2"]


async def test_settings_are_pulled_with_workspace_configuration(
    lsp: Session, fake: FakeOpenAI, tmp_path: Path
) -> None:
    lsp.client.set_configuration(options(fake, model="pulled", summarizeOnOpen=False), section="ariadne")
    await lsp.start({}, tmp_path)
    uri = lsp.open(tmp_path / "shapes.py", SHAPES, "python")
    line, col = find(SHAPES, "def scale")
    text = await lsp.hover_text(uri, line, col + 5)
    assert text is not None and "Summary of scale by pulled." in text


async def test_invalid_settings_warn_by_key_and_keep_serving(
    lsp: Session, fake: FakeOpenAI, tmp_path: Path
) -> None:
    await lsp.start(options(fake, maxConcurrency=-3, summarizeOnOpen=False), tmp_path)
    await wait_until(lambda: bool(lsp.client.messages), what="a warning")
    warning = lsp.client.messages[0]
    assert warning.type == types.MessageType.Warning and "'maxConcurrency'" in warning.message
    uri = lsp.open(tmp_path / "shapes.py", SHAPES, "python")
    line, col = find(SHAPES, "def scale")
    assert "Summary of scale by m1." in (await lsp.hover_text(uri, line, col + 5) or "")


async def test_utf16_positions_after_non_ascii_text(lsp: Session, fake: FakeOpenAI, tmp_path: Path) -> None:
    source = 'const s = "😀日本"; function greet(name) { return s + name; }\nfunction other() {}\n'
    await lsp.start(options(fake, summarizeOnOpen=False), tmp_path)
    uri = lsp.open(tmp_path / "greet.js", source, "javascript")
    # "greet" starts 27 UTF-16 units in, 33 UTF-8 bytes, 26 code points: the server must use the
    # encoding it negotiated (VS Code: UTF-16; Neovim offers UTF-8 first).
    expected = {"utf-16": 27, "utf-8": 33, "utf-32": 26}[lsp.encoding]
    line, col = find(source, "greet", encoding=lsp.encoding)
    assert col == expected
    text = await lsp.hover_text(uri, line, col + 4)  # the last letter of "greet"
    assert text is not None and "Summary of greet by m1." in text
    hover = await lsp.hover(uri, line, col)
    assert hover is not None and hover.range is not None
    assert (hover.range.start.character, hover.range.end.character) == (expected, expected + 5)
    # One column short of the name in this encoding is the space before it: no hover.
    assert await lsp.hover(uri, line, col - 1) is None
    lenses = await lsp.lenses(uri)
    assert [lens.range.start.line for lens in lenses] == [0, 1]


async def test_excluded_files_are_never_sent(lsp: Session, fake: FakeOpenAI, tmp_path: Path) -> None:
    await lsp.start(options(fake, exclude=["**/secrets/**"]), tmp_path)
    (tmp_path / "secrets").mkdir()
    uri = lsp.open(tmp_path / "secrets" / "keys.py", SHAPES, "python")
    line, col = find(SHAPES, "def scale")
    assert await lsp.hover(uri, line, col + 5) is None
    assert not await lsp.lenses(uri)
    await asyncio.sleep(0.3)
    assert fake.count() == 0


async def test_offline_default_needs_no_server(lsp: Session, tmp_path: Path) -> None:
    await lsp.start({"summarizeOnOpen": False}, tmp_path)
    source = 'def add(a, b):\n    """Add two numbers and return the sum."""\n    return a + b\n'
    uri = lsp.open(tmp_path / "m.py", source, "python")
    text = await lsp.hover_text(uri, 0, 5)
    assert text is not None and "Add two numbers and return the sum." in text and "offline summary" in text
    assert await lsp.resolved_titles(uri) == ["offline: Add two numbers and return the sum."]


async def test_status_notifications_and_one_error_message_for_a_bad_key(
    lsp: Session, fake: FakeOpenAI, tmp_path: Path
) -> None:
    fake.required_key = "right"
    await lsp.start(options(fake), tmp_path)
    lsp.open(tmp_path / "shapes.py", SHAPES, "python")
    await wait_until(lambda: any(s.get("error") for s in lsp.statuses), what="an error status")
    status = next(s for s in lsp.statuses if s.get("error"))
    assert status["error"] == "bad API key (401 from the server)" and status["backend"] == "m1"
    await asyncio.sleep(0.3)
    errors = [m for m in lsp.client.messages if m.type == types.MessageType.Error]
    assert [m.message for m in errors] == ["Ariadne: bad API key (401 from the server)"], (
        "once, not per symbol"
    )
    assert "test" not in errors[0].message


async def test_status_reports_batch_progress(lsp: Session, fake: FakeOpenAI, tmp_path: Path) -> None:
    fake.latency = 0.2
    await lsp.start(options(fake), tmp_path)
    lsp.open(tmp_path / "shapes.py", SHAPES, "python")
    await wait_until(lambda: any(s["total"] == 4 for s in lsp.statuses), what="a busy status")
    await wait_until(lambda: lsp.statuses[-1]["total"] == 0 and lsp.statuses[-1]["queued"] == 0)
    busy = [s for s in lsp.statuses if s["total"] == 4]
    assert busy[0]["offline"] is False and busy[0]["backend"] == "m1"


async def test_a_restarted_server_reuses_the_disk_cache(
    lsp: Session, fake: FakeOpenAI, tmp_path: Path
) -> None:
    cache_dir = str(tmp_path / "cache")
    await lsp.start(options(fake, cacheDir=cache_dir), tmp_path)
    lsp.open(tmp_path / "shapes.py", SHAPES, "python")
    await wait_until(lambda: fake.count() == 4 and all(r.finished for r in fake.requests))
    await asyncio.sleep(0.2)
    await lsp.client.shutdown_session()

    second = await SERVER_CONFIG.start()
    try:
        session = Session(second, lsp.capabilities_of)
        await session.start(options(fake, cacheDir=cache_dir), tmp_path)
        uri = session.open(tmp_path / "shapes.py", SHAPES, "python")
        titles = await session.resolved_titles(uri)
        assert titles == [f"Summary of {name} by m1." for name in SHAPES_SYMBOLS]
        await asyncio.sleep(0.3)
        assert fake.count() == 4, "nothing is paid for twice across a restart"
        await second.shutdown_session()
    finally:
        await second.stop()


async def test_cancelled_hover_stops_waiting_but_keeps_the_shared_job(
    lsp: Session, fake: FakeOpenAI, tmp_path: Path
) -> None:
    fake.held_symbols = {"scale"}
    await lsp.start(options(fake, summarizeOnOpen=False), tmp_path)
    uri = lsp.open(tmp_path / "shapes.py", SHAPES, "python")
    line, col = find(SHAPES, "def scale")
    params = types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        position=types.Position(line=line, character=col + 5),
    )
    pending = lsp.client.protocol.send_request(types.TEXT_DOCUMENT_HOVER, params, msg_id="hover-1")
    await wait_until(lambda: fake.count("scale") == 1, what="the hover's request in flight")
    lsp.client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id="hover-1"))
    await wait_until(pending.done, what="the cancelled hover's answer")
    with pytest.raises(Exception, match="cancel"):
        pending.result()
    fake.release()
    await wait_until(lambda: fake.requests[0].finished > 0)
    await asyncio.sleep(0.1)
    # The job was not wasted: the next hover is served from the cache.
    text = await lsp.hover_text(uri, line, col + 5)
    assert text is not None and "Summary of scale by m1." in text
    assert fake.count() == 1


async def test_queued_work_for_an_edited_symbol_version_is_cancelled_before_it_is_sent(
    lsp: Session, fake: FakeOpenAI, tmp_path: Path
) -> None:
    fake.latency = 0.3
    source = many_functions(6)
    await lsp.start(options(fake, maxConcurrency=1, debounceMs=200), tmp_path)
    uri = lsp.open(tmp_path / "six.py", source, "python")
    await wait_until(lambda: fake.count() >= 1)
    line, _ = find(source, "    return x + 5")
    lsp.edit(
        uri, (line, len("    return x + 5")), (line, len("    return x + 5")), "0"
    )  # f5 now returns x + 50
    await wait_until(lambda: fake.count() == 6 and all(r.finished for r in fake.requests), timeout=20)
    await asyncio.sleep(0.5)
    assert fake.count() == 6, "f5's first version was never sent"
    (f5,) = [r for r in fake.requests if r.symbol == "f5"]
    assert "return x + 50" in f5.messages[1]["content"]


async def test_a_client_without_optional_capabilities_gets_plain_answers(
    fake: FakeOpenAI, tmp_path: Path
) -> None:
    client = await SERVER_CONFIG.start()
    try:
        await client.initialize_session(
            types.InitializeParams(
                capabilities=types.ClientCapabilities(), initialization_options=options(fake)
            )
        )
        session = Session(client, "bare")
        uri = session.open(tmp_path / "shapes.py", SHAPES, "python")
        await wait_until(lambda: fake.count() == 4 and all(r.finished for r in fake.requests))
        line, col = find(SHAPES, "def scale")
        hover = await session.hover(uri, line, col + 5)
        assert hover is not None and isinstance(hover.contents, types.MarkupContent)
        assert hover.contents.kind == types.MarkupKind.PlainText
        assert hover.contents.value == "Summary of scale by m1.\n[m1]"
        await asyncio.sleep(0.7)
        assert client.progress_reports == {}, "no progress without the capability"
        assert session.refreshes == 0, "no codeLens/refresh without the capability"
        await client.shutdown_session()
    finally:
        await client.stop()
