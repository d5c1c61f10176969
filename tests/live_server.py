"""The real server in a subprocess (`python server.py`), on a free port, reaching the session's
embedded engine over Bolt the way it would reach Neo4j: no JVM of its own, so it starts fast."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx2
import uvicorn

from graph.db.engine import BoltEndpoint
from tests.conftest import AUTH

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class LiveServer:
    """A running server process and its log (JSON lines on stderr)."""

    def __init__(self, process: subprocess.Popen[bytes], port: int, log: Path) -> None:
        self.process = process
        self.port = port
        self.log = log

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def graphql_url(self) -> str:
        return f"{self.base}/graphql"

    def log_lines(self) -> list[dict[str, Any]]:
        """Every line the server logged, each parsed as the JSON object it must be."""
        lines: list[dict[str, Any]] = []
        for text in self.log.read_text().splitlines():
            if text.startswith("WARNING: Using incubator modules"):  # the JVM's own, not ours
                continue
            lines.append(json.loads(text))
        return lines

    def stop(self) -> int:
        """SIGTERM, then the exit status (waits at most 20 s)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=20)


@contextmanager
def live_server(endpoint: BoltEndpoint | None, log: Path, **env: str) -> Iterator[LiveServer]:
    """Start `python server.py` against `endpoint` (None: its own embedded engine, in
    GUANXI_DATA_DIR of `env`); stop it (SIGTERM) on exit."""
    server = start_server(endpoint, log, **env)
    try:
        wait_ready(server)
        yield server
    finally:
        if server.process.poll() is None:
            server.process.kill()
            server.process.wait(timeout=20)


def start_server(
    endpoint: BoltEndpoint | None, log: Path, *arguments: str, **env: str
) -> LiveServer:
    """`python server.py *arguments` started, not waited for (see live_server); the caller
    stops it."""
    port = free_port()
    database = (
        {}
        if endpoint is None
        else {
            "NEO4J_URI": endpoint.uri,
            "NEO4J_USERNAME": endpoint.username,
            "NEO4J_PASSWORD": endpoint.password,
            "NEO4J_DATABASE": endpoint.database,
        }
    )
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")},
        **database,
        "GUANXI_DEMO_DATA": "0",
        "GUANXI_PORT": str(port),
        # accept the JWTs of tests.conftest.auth_headers, and make no development token
        "GUANXI_JWT_SECRET": AUTH.jwt_secret.get_secret_value() if AUTH.jwt_secret else "",
        **env,
    }
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "server.py", *arguments],
            cwd=ROOT,
            env=environment,
            stdout=out,
            stderr=out,
        )
    return LiveServer(process, port, log)


def wait_ready(server: LiveServer) -> None:
    """Wait until the server answers /readyz (at most 60 s)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.process.poll() is None, server.log.read_text()
        try:
            if httpx2.get(f"{server.base}/readyz", timeout=2).status_code == 200:
                return
        except httpx2.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"the server was not ready within 60 s:\n{server.log.read_text()}")


@contextmanager
def served_in_a_thread(app: Any, **options: Any) -> Iterator[str]:
    """`app` served by uvicorn in a thread of this process (with uvicorn's `options`); yields
    its host:port."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", **options)
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not running.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"127.0.0.1:{port}"
    finally:
        running.should_exit = True
        thread.join(timeout=10)
