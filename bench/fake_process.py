"""tests/fake_openai.py's FakeOpenAI in a process of its own, so that its CPU work (http.server, JSON)
never competes for a GIL with the code being measured. Controlled over stdin/stdout, one JSON object
a line; ``FakeProcess`` is the benchmark's handle on it."""

from __future__ import annotations

import http.server
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parent.parent / "tests"


def tune_http_server() -> None:
    """Make the stdlib HTTP server fit for a load test (process-wide)."""
    # The default listen backlog of 5 can drop a SYN when eight connections open at once (then a
    # one-second retransmit would be the fake's fault, not the client's).
    http.server.ThreadingHTTPServer.request_queue_size = 128
    # BaseHTTPRequestHandler sends the headers and the body in two send() calls: with Nagle's
    # algorithm the body waits for the ACK of the headers, which the client delays by up to 40 ms.
    http.server.BaseHTTPRequestHandler.disable_nagle_algorithm = True


class FakeProcess:
    def __init__(self, latency: float) -> None:
        self._process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), str(latency)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.base_url: str = self._read()["base_url"]

    def _read(self) -> dict[str, Any]:
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            raise RuntimeError("the fake OpenAI server process exited")
        result: dict[str, Any] = json.loads(line)
        return result

    def _call(self, op: str, **arguments: Any) -> dict[str, Any]:
        assert self._process.stdin is not None
        self._process.stdin.write(json.dumps({"op": op, **arguments}) + "\n")
        self._process.stdin.flush()
        return self._read()

    def set_latency(self, seconds: float) -> None:
        self._call("latency", value=seconds)

    def reset(self) -> None:
        self._call("reset")

    def stats(self) -> dict[str, Any]:
        return self._call("stats")

    def count(self) -> int:
        return int(self.stats()["count"])

    def symbols_requested(self) -> list[str | None]:
        return list(self.stats()["symbols"])

    def in_flight(self) -> int:
        return int(self.stats()["in_flight"])

    def peak_in_flight(self) -> int:
        return int(self.stats()["peak_in_flight"])

    def last_finished(self) -> float:
        """time.monotonic() (system-wide on Linux) when the last recorded request was answered."""
        return float(self.stats()["last_finished"])

    def stop(self) -> None:
        if self._process.poll() is None:
            assert self._process.stdin is not None
            self._process.stdin.close()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()


def serve(latency: float) -> None:
    sys.path.insert(0, str(TESTS))
    from fake_openai import FakeOpenAI

    tune_http_server()
    fake = FakeOpenAI(latency=latency).start()
    print(json.dumps({"base_url": fake.base_url}), flush=True)
    for line in sys.stdin:
        command = json.loads(line)
        op = command["op"]
        reply: dict[str, Any] = {}
        if op == "latency":
            fake.latency = float(command["value"])
        elif op == "reset":
            fake.reset()
        elif op == "stats":
            requests = list(fake.requests)
            reply = {
                "count": len(requests),
                "symbols": [r.symbol for r in requests],
                "in_flight": fake.in_flight,
                "peak_in_flight": fake.peak_in_flight,
                "last_finished": max((r.finished for r in requests), default=0.0),
            }
        print(json.dumps(reply), flush=True)
    fake.stop()


if __name__ == "__main__":
    serve(float(sys.argv[1]) if len(sys.argv) > 1 else 0.0)
