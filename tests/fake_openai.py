"""A small OpenAI-compatible server for tests and benchmarks, on 127.0.0.1 over real HTTP.

It answers ``POST /v1/chat/completions`` with a summary naming the symbol it was asked about
(so a test can tell a summary of the wrong function), records every request, tracks the peak
number of requests in flight, and can add latency or inject errors.

Run it alone with ``python tests/fake_openai.py --port 8765 --latency 0.1``.
"""

from __future__ import annotations

import argparse
import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_SYMBOL_LINE = re.compile(r"^Symbol: (?P<name>\S+)", re.MULTILINE)


@dataclass
class RecordedRequest:
    path: str
    model: str
    messages: list[dict[str, Any]]
    symbol: str | None
    authorization: str | None
    started: float
    finished: float = 0.0
    status: int = 200


@dataclass
class FakeOpenAI:
    """State shared with the handler threads. Every public field may be changed while serving."""

    latency: float = 0.0
    #: Status codes returned, in order, by the next requests (then normal service resumes).
    errors: list[int] = field(default_factory=list)
    #: Symbol name -> status code returned every time that symbol is asked for.
    failing_symbols: dict[str, int] = field(default_factory=dict)
    #: When set, requests without "Bearer <key>" get a 401.
    required_key: str | None = None
    #: Symbol name -> extra seconds before answering that symbol.
    symbol_latency: dict[str, float] = field(default_factory=dict)
    #: Requests for these symbols wait until ``release()``; for tests of in-flight work.
    held_symbols: set[str] = field(default_factory=set)
    requests: list[RecordedRequest] = field(default_factory=list)
    in_flight: int = 0
    peak_in_flight: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._released = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- control ---------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        assert self._server is not None, "start() first"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def start(self, port: int = 0) -> FakeOpenAI:
        self._server = _Server(("127.0.0.1", port), _make_handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-openai", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.release()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def release(self) -> None:
        self._released.set()

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self.errors.clear()
            self.failing_symbols.clear()
            self.symbol_latency.clear()
            self.held_symbols.clear()
            self.peak_in_flight = 0
            self._released.clear()

    def count(self, symbol: str | None = None) -> int:
        with self._lock:
            return sum(1 for r in self.requests if symbol is None or r.symbol == symbol)

    def symbols_requested(self) -> list[str | None]:
        with self._lock:
            return [r.symbol for r in self.requests]

    def wait_for_requests(self, n: int, timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.count() >= n:
                return True
            time.sleep(0.01)
        return False

    # --- serving ---------------------------------------------------------------------------
    def _answer(
        self, path: str, body: dict[str, Any], authorization: str | None
    ) -> tuple[int, dict[str, Any]]:
        messages = body.get("messages") or []
        user = next((m.get("content", "") for m in messages if m.get("role") == "user"), "")
        match = _SYMBOL_LINE.search(user if isinstance(user, str) else "")
        symbol = match.group("name") if match else None
        model = str(body.get("model", ""))
        record = RecordedRequest(path, model, messages, symbol, authorization, time.monotonic())
        with self._lock:
            self.requests.append(record)
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
            status = self.errors.pop(0) if self.errors else 200
            if symbol in self.failing_symbols:
                status = self.failing_symbols[symbol]
            if self.required_key is not None and authorization != f"Bearer {self.required_key}":
                status = 401
            hold = symbol in self.held_symbols
            delay = self.latency + self.symbol_latency.get(symbol or "", 0.0)
        try:
            if hold:
                self._released.wait(timeout=30)
            if delay:
                time.sleep(delay)
        finally:
            with self._lock:
                self.in_flight -= 1
                record.finished = time.monotonic()
                record.status = status
        if status != 200:
            return status, {"error": {"message": f"injected error {status}", "type": "fake", "code": status}}
        content = f"Summary of {symbol or 'the code'} by {model}."
        prompt_tokens = sum(len(str(m.get("content", ""))) for m in messages) // 4
        return 200, {
            "id": f"chatcmpl-fake-{len(self.requests)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [
                {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": 8,
                "total_tokens": prompt_tokens + 8,
            },
        }


class _Server(ThreadingHTTPServer):
    # A batch opens many connections at once; the default backlog of 5 would refuse some.
    request_queue_size = 128


def _make_handler(fake: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Without this every answer waits ~40 ms for the client's delayed ACK.
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
            pass

        def _send(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            if status == 429:
                self.send_header("Retry-After", "0")
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if self.path.rstrip("/").endswith("/models"):
                self._send(200, {"object": "list", "data": [{"id": "fake-model", "object": "model"}]})
            else:
                self._send(404, {"error": {"message": "not found"}})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            if not self.path.rstrip("/").endswith("/chat/completions"):
                self._send(404, {"error": {"message": "not found"}})
                return
            try:
                body = json.loads(raw or b"{}")
            except json.JSONDecodeError:
                self._send(400, {"error": {"message": "bad json"}})
                return
            status, payload = fake._answer(self.path, body, self.headers.get("Authorization"))
            self._send(status, payload)

    return Handler


@contextmanager
def running_fake(**kwargs: Any) -> Iterator[FakeOpenAI]:
    fake = FakeOpenAI(**kwargs).start()
    try:
        yield fake
    finally:
        fake.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--latency", type=float, default=0.0)
    args = parser.parse_args()
    fake = FakeOpenAI(latency=args.latency).start(args.port)
    print(fake.base_url, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()
