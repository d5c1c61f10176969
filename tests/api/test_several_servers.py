"""Three server processes on one graph (issue 22): the first to start runs the embedded engine,
the other two reach it over Bolt, and the change feed carries every write to all three.

- a write on one server reaches a subscriber on another within a second;
- a cached result on another server sees it at once;
- a token revoked through one server is refused by another within the feed's poll interval;
- a minute of mixed load spread over the three loses nothing, answers nothing stale after a
  write is acknowledged, and a subscriber hears every change once, in commit order.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from websockets.sync.client import ClientConnection, connect

from graph.db.engine import ENGINE_FILE
from tests.conftest import auth_headers
from tests.live_server import ROOT, LiveServer, start_server, wait_ready

pytestmark = pytest.mark.slow

POLL_SECONDS = 0.2
LOAD_SECONDS = 60.0
PROTOCOL = "graphql-transport-ws"
DATA_DIRS: dict[int, str] = {}  # a server's data directory, by its port

CREATE_PERSON = "mutation ($n: String!) { createPerson(input: {name: $n}) { id name } }"
CREATE_COMPANY = "mutation ($n: String!) { createCompany(input: {name: $n}) { id } }"
CREATE_ROLE = """mutation ($p: ID!, $c: ID!) {
  createRole(input: {personId: $p, companyId: $c, title: "Buyer"}) { id }
}"""
CREATE_TIE = """mutation ($a: ID!, $b: ID!, $s: Float!) {
  createRelationship(input: {fromPersonId: $a, toPersonId: $b, tier: FRIEND, strength: $s}) {
    id
  }
}"""
UPDATE_TIE = """mutation ($id: ID!, $s: Float!) {
  updateRelationship(id: $id, input: {strength: $s}) { id strength }
}"""
PERSON = "query ($id: ID!) { person(id: $id) { id name } }"
TIE = "query ($id: ID!) { relationship(id: $id) { strength } }"
EDGES = "{ networkMeasures(network: RELATIONSHIPS) { edgeCount } }"
CHANGED = """subscription ($c: ID, $p: ID) {
  relationshipChanged(companyId: $c, personId: $p) { subjectId after }
}"""
REVOKE = "mutation ($t: String!) { revokeApiToken(token: $t) { name revokedAt } }"


def _post(
    server: LiveServer, query: str, headers: dict[str, str] | None = None, **variables: Any
) -> dict[str, Any]:
    response = httpx2.post(
        server.graphql_url,
        json={"query": query, "variables": variables},
        headers=headers or auth_headers(),
        timeout=30,
    )
    body: dict[str, Any] = response.json()
    body["status"] = response.status_code
    return body


def _data(server: LiveServer, query: str, **variables: Any) -> dict[str, Any]:
    body = _post(server, query, **variables)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]
    return result


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[LiveServer]]:
    """Three `python server.py` started at once on one data directory (they take turns to
    start: the first starts the engine). Stopped with the engine's owner last."""
    data_dir = tmp_path_factory.mktemp("several")
    logs = tmp_path_factory.mktemp("several-logs")
    env = {
        "GUANXI_DATA_DIR": str(data_dir),
        "GUANXI_FEED_POLL_SECONDS": str(POLL_SECONDS),
        # a token found live is remembered long: only the feed can end it within the test
        "GUANXI_TOKEN_CACHE_SECONDS": "300",
        "GUANXI_ENGINE_HEAP": "1g",
    }
    started = [start_server(None, logs / f"server{n}.log", **env) for n in range(3)]
    DATA_DIRS.update({server.port: str(data_dir) for server in started})
    try:
        for server in started:
            wait_ready(server)
        owner = json.loads((data_dir / ENGINE_FILE).read_text())["pid"]
        assert [s.process.pid for s in started].count(owner) == 1  # one engine, in one of them
        yield started
    finally:
        by_owner_last = sorted(started, key=lambda s: s.process.pid == owner)
        for server in by_owner_last:
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.stop()
            if server.process.poll() is None:
                server.process.kill()


@contextlib.contextmanager
def _subscribed(server: LiveServer, **variables: Any) -> Iterator[ClientConnection]:
    url = f"ws://127.0.0.1:{server.port}/graphql"
    with connect(url, subprotocols=[PROTOCOL]) as ws:  # type: ignore[list-item]
        ws.send(json.dumps({"type": "connection_init", "payload": auth_headers()}))
        assert json.loads(ws.recv(timeout=10))["type"] == "connection_ack"
        payload = {"query": CHANGED, "variables": variables}
        ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        time.sleep(0.5)  # the server checks the arguments, then listens
        yield ws


def _change(ws: ClientConnection, timeout: float) -> dict[str, Any]:
    message = json.loads(ws.recv(timeout=timeout))
    assert message["type"] == "next", message
    change: dict[str, Any] = message["payload"]["data"]["relationshipChanged"]
    return change


def _pair(server: LiveServer, strength: float = 0.5) -> tuple[str, str, str]:
    a = _data(server, CREATE_PERSON, n="甲")["createPerson"]["id"]
    b = _data(server, CREATE_PERSON, n="乙")["createPerson"]["id"]
    tie = _data(server, CREATE_TIE, a=a, b=b, s=strength)["createRelationship"]["id"]
    return a, b, tie


def test_a_write_on_one_server_reaches_a_subscriber_on_another_within_a_second(
    servers: list[LiveServer],
) -> None:
    first, second, third = servers
    a, _, tie = _pair(first)
    with _subscribed(third, p=a) as ws:
        for step, server in enumerate([first, second, first, second, first]):
            strength = round(0.1 + step / 10, 2)
            sent = time.monotonic()
            _data(server, UPDATE_TIE, id=tie, s=strength)
            change = _change(ws, timeout=5)
            assert time.monotonic() - sent < 1.0
            assert change["subjectId"] == tie and change["after"]["strength"] == strength


def test_a_cached_result_on_another_server_sees_a_write_at_once(
    servers: list[LiveServer],
) -> None:
    first, second, _ = servers
    before = _data(second, EDGES)["networkMeasures"]["edgeCount"]
    assert _data(second, EDGES)["networkMeasures"]["edgeCount"] == before  # cached now
    _pair(first)
    assert _data(second, EDGES)["networkMeasures"]["edgeCount"] == before + 1  # no wait


def _token(server: LiveServer, name: str) -> str:
    """A viewer token made with `python -m seed token create` (yet another process, which
    finds the running engine in the servers' data directory)."""
    made = subprocess.run(
        [sys.executable, "-m", "seed", "token", "create", "--name", name, "--role", "viewer"],
        cwd=ROOT,
        env={**os.environ, "GUANXI_DATA_DIR": DATA_DIRS[server.port]},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    [secret] = [word for word in made.stdout.split() if word.startswith("gx_")]
    return secret


def test_a_token_revoked_through_one_server_is_refused_by_another_within_the_poll(
    servers: list[LiveServer],
) -> None:
    first, _, third = servers
    secret = _token(first, "field-laptop")
    bearer = {"Authorization": f"Bearer {secret}"}
    assert _post(first, "{ people(first: 1) { totalCount } }", bearer)["status"] == 200
    assert _data(third, REVOKE, t="field-laptop")["revokeApiToken"]["revokedAt"]
    revoked = time.monotonic()
    while _post(first, "{ people(first: 1) { totalCount } }", bearer)["status"] == 200:
        assert time.monotonic() - revoked < POLL_SECONDS + 1.0, "still accepted"
        time.sleep(0.02)
    assert _post(first, "{ people(first: 1) { totalCount } }", bearer)["status"] == 401


class _Load:
    """One client of the mixed load: its own pair of people and their tie, writes through a
    random server, each checked at once through another random server."""

    def __init__(self, servers: list[LiveServer], company: str, number: int) -> None:
        self.servers = servers
        self.rng = random.Random(number)
        self.a, self.b, self.tie = _pair(servers[number % 3], strength=0.5)
        for person in (self.a, self.b):
            _data(servers[0], CREATE_ROLE, p=person, c=company)
        self.strengths: list[float] = []  # acknowledged, in order
        self.people: list[str] = []
        self.failures: list[str] = []

    def run(self, until: float) -> None:
        while time.monotonic() < until:
            writer, reader = self.rng.choice(self.servers), self.rng.choice(self.servers)
            if self.rng.random() < 0.5:
                strength = round(self.rng.random(), 2)
                if self.strengths and strength == self.strengths[-1]:
                    continue  # no change: nothing recorded, no event
                _data(writer, UPDATE_TIE, id=self.tie, s=strength)
                self.strengths.append(strength)
                seen = _data(reader, TIE, id=self.tie)["relationship"]["strength"]
                if seen != strength:
                    self.failures.append(f"tie read {seen} after {strength} was acknowledged")
            else:
                name = f"load-{len(self.people)}-{self.rng.random():.6f}"
                made = _data(writer, CREATE_PERSON, n=name)["createPerson"]["id"]
                self.people.append(made)
                found = _data(reader, PERSON, id=made)["person"]
                if found is None or found["name"] != name:
                    self.failures.append(f"person {made} read as {found} after its creation")


def _collect(ws: ClientConnection, into: list[dict[str, Any]]) -> None:
    """Every change the subscription sends, until its connection closes."""
    with contextlib.suppress(Exception):
        while True:
            into.append(_change(ws, timeout=3600))


def test_a_minute_of_mixed_load_over_three_servers_loses_nothing(
    servers: list[LiveServer],
) -> None:
    company = _data(servers[0], CREATE_COMPANY, n="Load Co")["createCompany"]["id"]
    clients = [_Load(servers, company, n) for n in range(6)]
    ties = {client.tie: client for client in clients}
    heard: dict[str, list[float]] = {tie: [] for tie in ties}
    events: list[dict[str, Any]] = []
    with _subscribed(servers[2], c=company) as ws:
        listening = threading.Thread(target=_collect, args=(ws, events), daemon=True)
        listening.start()  # read as they come: an unread socket would stop answering pings
        until = time.monotonic() + LOAD_SECONDS
        threads = [threading.Thread(target=c.run, args=(until,)) for c in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        expected = sum(len(c.strengths) for c in clients)
        deadline = time.monotonic() + 10
        while len(events) < expected and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(2 * POLL_SECONDS + 1)  # anything more (a change heard twice) arrives now
    for change in events:
        heard[change["subjectId"]].append(change["after"]["strength"])
    assert len(events) == expected
    assert [f for c in clients for f in c.failures] == []
    for tie, client in ties.items():
        assert heard[tie] == client.strengths  # every change, once, in commit order
    made = {person for c in clients for person in c.people}
    for server in servers:  # every acknowledged person, on every server
        query = "query ($ids: [ID!]!) { nodes(ids: $ids) { id } }"
        ids = sorted(made)
        pages = [_data(server, query, ids=ids[i : i + 100]) for i in range(0, len(ids), 100)]
        found = {node["id"] for page in pages for node in page["nodes"] if node}
        assert found == made
    assert expected > 100  # the load did run


def test_workers_share_one_port_and_the_engine_of_their_parent(tmp_path: Path) -> None:
    """`python server.py --workers 2`: the parent runs the engine, the first worker loads the
    demo data (once), both serve the port; SIGTERM stops the workers, then the engine."""
    data_dir = tmp_path / "data"
    server = start_server(
        None,
        tmp_path / "workers.log",
        "--workers",
        "2",
        GUANXI_DATA_DIR=str(data_dir),
        GUANXI_DEMO_DATA="1",
        GUANXI_ENGINE_HEAP="1g",
    )
    try:
        wait_ready(server)
        deadline = time.monotonic() + 60
        while _count(server.log, "Application startup complete") < 2:
            assert time.monotonic() < deadline, server.log.read_text()
            time.sleep(0.2)
        engine = json.loads((data_dir / ENGINE_FILE).read_text())
        assert engine["pid"] == server.process.pid  # the engine lives in the parent
        assert _count(server.log, "demo data loaded") == 1
        served = {
            _post(server, "{ people(first: 1) { totalCount } }")["data"]["people"]["totalCount"]
            for _ in range(10)
        }
        assert len(served) == 1 and served.pop() > 0
    finally:
        assert server.stop() == 0
    assert not (data_dir / ENGINE_FILE).exists()  # the engine stopped in order


def _count(log: Path, message: str) -> int:
    return sum(message in line for line in log.read_text().splitlines())


def test_the_engines_server_stops_while_others_use_it_and_they_answer_unavailable(
    tmp_path: Path,
) -> None:
    """SIGTERM to the server running the engine ends it within its grace (the JVM's Bolt
    threads serving the other server do not keep it alive); the other server then answers
    UNAVAILABLE, as JSON, until it is restarted against a running engine."""
    env = {"GUANXI_DATA_DIR": str(tmp_path / "data"), "GUANXI_TX_RETRY_TIME": "1"}
    owner = start_server(None, tmp_path / "owner.log", GUANXI_ENGINE_HEAP="1g", **env)
    wait_ready(owner)
    other = start_server(None, tmp_path / "other.log", **env)
    try:
        wait_ready(other)
        _data(other, CREATE_PERSON, n="王伟")  # the other one holds connections to the engine
        started = time.monotonic()
        assert owner.stop() == 0
        assert time.monotonic() - started < 15
        body = _post(other, PERSON, id="pe_x")
        assert body["status"] in (200, 503), body
        [error] = body["errors"]
        assert error["extensions"]["code"] == "UNAVAILABLE", body
        assert httpx2.get(f"{other.base}/readyz", timeout=10).status_code == 503
    finally:
        for server in (other, owner):
            if server.process.poll() is None:
                server.process.kill()
            server.process.wait(timeout=20)
