"""How editors launch the server: stdio by default, TCP on request; logs never on stdout."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path


def frame(payload: dict[str, object]) -> bytes:
    body = json.dumps(payload).encode()
    return f"Content-Length: {len(body)}\r\n\r\n".encode() + body


def read_message(stream: socket.socket | None = None, pipe: object = None) -> dict[str, object]:
    def read(n: int) -> bytes:
        if stream is not None:
            chunks = b""
            while len(chunks) < n:
                chunk = stream.recv(n - len(chunks))
                if not chunk:
                    raise EOFError
                chunks += chunk
            return chunks
        return pipe.read(n)  # type: ignore[attr-defined,no-any-return]

    header = b""
    while not header.endswith(b"\r\n\r\n"):
        header += read(1)
    length = int(header.split(b"Content-Length:")[1].split(b"\r\n")[0])
    return json.loads(read(length))  # type: ignore[no-any-return]


SECRET = "sk-test-never-logged-0123456789"
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"capabilities": {}, "processId": None, "initializationOptions": {"apiKey": SECRET}},
}


def test_stdio_answers_initialize_and_logs_only_to_the_log_file(tmp_path: Path) -> None:
    log_file = tmp_path / "ariadne.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "ariadne_lsp", "-v", "--log-file", str(log_file)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(frame(INITIALIZE))
        process.stdin.flush()
        notifications = []
        while "id" not in (reply := read_message(pipe=process.stdout)):
            notifications.append(reply)
        assert reply["id"] == 1
        capabilities = reply["result"]["capabilities"]  # type: ignore[index]
        assert capabilities["hoverProvider"] is True
        assert capabilities["codeLensProvider"] == {"resolveProvider": True}
        assert "ariadne.showSummary" in capabilities["executeCommandProvider"]["commands"]
        assert reply["result"]["serverInfo"]["name"] == "ariadne-lsp"  # type: ignore[index]
        for message in (
            {"jsonrpc": "2.0", "id": 2, "method": "shutdown"},
            {"jsonrpc": "2.0", "method": "exit"},
        ):
            process.stdin.write(frame(message))
            process.stdin.flush()
        while "id" not in (message := read_message(pipe=process.stdout)):
            notifications.append(message)
        assert message["id"] == 2
        assert all(SECRET not in json.dumps(n) for n in notifications)
        process.wait(timeout=10)
        # Nothing but protocol on stdout; the log went to the file, not to stderr.
        assert process.stdout.read() == b""
    finally:
        process.kill()
    log_text = log_file.read_text()
    assert "settings applied" in log_text
    assert SECRET not in log_text, "the API key must never be logged"
    assert process.stderr is not None and b"settings applied" not in process.stderr.read()


def test_tcp_mode(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "ariadne_lsp", "--tcp", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                connection = socket.create_connection(("127.0.0.1", port), timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        with connection:
            connection.sendall(frame(INITIALIZE))
            reply = read_message(stream=connection)
            assert reply["id"] == 1 and "capabilities" in reply["result"]  # type: ignore[operator]
    finally:
        process.kill()
        process.wait(timeout=10)
