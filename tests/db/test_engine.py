"""The embedded engine and the server as a newcomer runs them: separate processes, real stops."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]

WRITE_THEN_READ = """
import sys
from pathlib import Path
from graph.db.connection import open_graph
from graph.db.settings import EngineSettings, Neo4jSettings
from graph.core import kinds
from graph.core import reads
from graph.core import writes
from graph.db.recorder import recording_as
from graph.db.setup import ensure_schema
with open_graph(Neo4jSettings(uri=None), EngineSettings(data_dir=Path(sys.argv[1]))) as g:
    ensure_schema(g)
    if sys.argv[2] == "write":
        durable = kinds.COMPANY.checked({"name": "持久 Durable"})
        with recording_as("test:direct"):
            writes.upsert_node(g, kinds.COMPANY, "kept", durable)
    print(reads.company_page(g, offset=0, limit=10).total)
"""


def _run(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", WRITE_THEN_READ, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1]


def test_restart_keeps_the_data(tmp_path: Path) -> None:
    assert _run(str(tmp_path), "write") == "1"
    assert _run(str(tmp_path), "read") == "1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _start_server(data_dir: Path, port: int, log: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "GUANXI_DATA_DIR": str(data_dir), "GUANXI_PORT": str(port)}
    env.pop("NEO4J_URI", None)
    with log.open("w") as out:
        return subprocess.Popen(
            [sys.executable, "server.py"],
            cwd=ROOT,
            env=env,
            text=True,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _query(port: int, query: str, token: str) -> dict[str, object]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        result: dict[str, object] = json.load(response)
        return result


def _wait_ready(port: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server exited during start-up"
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("the server did not start within 90 s")


def _stop(process: subprocess.Popen[str], sig: int, log: Path) -> float:
    """Send `sig`; check the shutdown was orderly (uvicorn then re-raises the signal)."""
    started = time.monotonic()
    process.send_signal(sig)
    code = process.wait(timeout=20)
    seconds = time.monotonic() - started
    assert code in (0, -sig), code
    text = log.read_text()
    assert "Application shutdown complete" in text and "embedded engine stopped" in text, text
    return seconds


COUNT = "{ companies { totalCount } people { totalCount } }"


def test_server_loads_demo_once_and_stops_on_sigterm_and_ctrl_c(tmp_path: Path) -> None:
    port = _free_port()
    data_dir, log = tmp_path / "data", tmp_path / "server.log"
    server = _start_server(data_dir, port, log)
    try:
        _wait_ready(port, server)
        token = (data_dir / "dev-token").read_text().strip()  # the demo's development token
        first = _query(port, COUNT, token)
        assert first["data"] == {"companies": {"totalCount": 9}, "people": {"totalCount": 20}}
    finally:
        seconds = _stop(server, signal.SIGTERM, log)
    assert seconds < 10

    server = _start_server(data_dir, port, log)
    try:
        _wait_ready(port, server)
        assert _query(port, COUNT, token) == first  # data kept, demo not loaded twice
        assert f"Bearer {token}" in log.read_text()  # the same token, logged again
    finally:
        seconds = _stop(server, signal.SIGINT, log)
    assert seconds < 10
