"""The command line tools beside a running server (issue 19, outcome 4): the server's embedded
engine publishes how to reach it in the data directory, and `python -m seed` uses that engine
instead of starting one on a locked directory. A stale published file is ignored; a command
that fails prints one line, never a traceback."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import httpx2
import pytest

from graph.db.connection import open_graph
from graph.db.engine import (
    ENGINE_FILE,
    EmbeddedEngine,
    published_engine,
    running_endpoint,
)
from graph.db.settings import ApiSettings, EngineSettings, Neo4jSettings
from tests.conftest import auth_headers
from tests.live_server import LiveServer, free_port, live_server

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]

COMPANIES = "externalId,name,status\ncrm-acme,Acme 制造,CURRENT\n"
PEOPLE = "externalId,name,email\np-li,李娜,li@example.com\np-zhou,周强,\n"
ROLES = "externalId,person,company,title,isKeyPerson\nr-zhou,p-zhou,crm-acme,CTO,true\n"
IMPORTED = """{
  personByExternalId(externalId: "p-zhou") { name }
  companyByExternalId(externalId: "crm-acme") { name }
}"""


def _seed(data_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`python -m seed ARGS` in its own process, on the embedded engine of `data_dir`."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "GUANXI_"))}
    environment.update(GUANXI_DATA_DIR=str(data_dir), PYTHONPATH=str(ROOT), **env)
    return subprocess.run(
        [sys.executable, "-m", "seed", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _post(server: LiveServer, query: str, headers: dict[str, str]) -> httpx2.Response:
    return httpx2.post(server.graphql_url, json={"query": query}, headers=headers, timeout=30)


def _ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_token_revoked_and_records_imported_beside_the_live_server_reach_it(
    tmp_path: Path,
) -> None:
    """Commands that used to fail while the server ran (its engine locks the directory) run
    beside it, on its engine: a token revoked there is refused by the server at once (the
    server caches no token here), imported records are read through its GraphQL, a backup is
    taken online, and a restore into the running directory is refused in one line. (Export
    and purge open the graph as import and token do.)"""
    data_dir, records = tmp_path / "data", tmp_path / "records"
    records.mkdir()
    for name, text in {
        "companies.csv": COMPANIES,
        "people.csv": PEOPLE,
        "roles.csv": ROLES,
    }.items():
        (records / name).write_text(text, encoding="utf-8")
    env = {"GUANXI_DATA_DIR": str(data_dir), "GUANXI_TOKEN_CACHE_SECONDS": "0"}
    with live_server(None, tmp_path / "server.log", **env) as server:
        published = published_engine(data_dir)
        assert published is not None and published.pid == server.process.pid
        assert stat.S_IMODE((data_dir / ENGINE_FILE).stat().st_mode) == 0o600

        secret = _ok(_seed(data_dir, "token", "create", "--name", "leaked", "--role", "viewer"))
        bearer = {"Authorization": f"Bearer {secret.splitlines()[-1]}"}
        assert _post(server, "{ __typename }", bearer).status_code == 200
        revoked = _ok(_seed(data_dir, "token", "revoke", "leaked"))
        assert "revoked token 'leaked'" in revoked
        refused = _post(server, "{ __typename }", bearer)
        assert refused.status_code == 401, refused.text

        assert _post(server, IMPORTED, auth_headers()).json()["data"] == {
            "personByExternalId": None,
            "companyByExternalId": None,
        }
        assert "4 records: 4 created" in _ok(_seed(data_dir, "import", str(records)))
        assert _post(server, IMPORTED, auth_headers()).json()["data"] == {
            "personByExternalId": {"name": "周强"},
            "companyByExternalId": {"name": "Acme 制造"},
        }
        archive = tmp_path / "backup.zip"
        assert "running engine (HTTP)" in _ok(_seed(data_dir, "backup", str(archive)))
        restore = _seed(data_dir, "restore", str(archive))
        assert restore.returncode == 2
        assert restore.stderr.splitlines() == [
            f"error: an engine is running on {data_dir} (the app?): stop it first"
        ]
        assert server.stop() in (0, -signal.SIGTERM)
    assert not (data_dir / ENGINE_FILE).exists()  # removed when the engine stopped


def _publish(data_dir: Path, pid: int, bolt_port: int) -> None:
    published = {
        "pid": pid,
        "bolt_uri": f"bolt://127.0.0.1:{bolt_port}",
        "http_port": free_port(),
        "username": "root",
        "database": "guanxi",
    }
    (data_dir / ENGINE_FILE).write_text(json.dumps(published))


def test_a_stale_published_engine_is_ignored(tmp_path: Path) -> None:
    """A file left by an engine that did not stop in order names a process that has gone, or
    one whose id was reused and runs no engine: open_graph starts its own engine as if the file
    were not there, publishes itself instead, and removes the file when it stops."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "engine-password").write_text("stale-password-of-a-stale-engine")
    ended = subprocess.Popen(["true"])  # noqa: S607
    ended.wait()
    _publish(data_dir, ended.pid, free_port())
    assert published_engine(data_dir) is None  # its process has ended
    _publish(data_dir, os.getpid(), free_port())
    assert published_engine(data_dir) is not None  # this process lives…
    assert running_endpoint(data_dir) is None  # …but runs no engine on that port
    settings = EngineSettings(data_dir=data_dir)
    with open_graph(Neo4jSettings(uri=None), settings, ApiSettings(tx_timeout=0)) as graph:
        assert graph.read("RETURN 1 AS one") == [{"one": 1}]
        published = published_engine(data_dir)
        assert published is not None and published.pid == os.getpid()
        endpoint = running_endpoint(data_dir)  # the live one, found as another process would
        assert endpoint is not None and endpoint.uri == published.bolt_uri
        assert graph.engine_of_its_own  # no one else writes to it: a first load may go bulk
        with open_graph(Neo4jSettings(uri=None), settings, ApiSettings(tx_timeout=0)) as beside:
            assert not beside.engine_of_its_own  # a tool beside it: others may write
            assert beside.read("RETURN 1 AS one") == [{"one": 1}]
    assert not (data_dir / ENGINE_FILE).exists()


def test_a_failing_command_prints_one_line_and_no_traceback(tmp_path: Path) -> None:
    """A database that does not answer, and a data directory locked by a process that does not
    say how to reach its engine: each an `error: ...` line on stderr and exit status 2."""
    unreachable = _seed(tmp_path / "unused", "token", "list", NEO4J_URI="bolt://127.0.0.1:1")
    assert unreachable.returncode == 2, unreachable.stderr
    [line] = unreachable.stderr.splitlines()
    assert line.startswith("error: cannot reach the database at bolt://127.0.0.1:1: ")

    data_dir = tmp_path / "locked"
    engine = EmbeddedEngine(data_dir, database="guanxi")
    engine.start()
    try:
        (data_dir / ENGINE_FILE).unlink()  # as an engine that publishes nothing
        locked = _seed(data_dir, "token", "list")
    finally:
        engine.stop()
    assert locked.returncode == 2, locked.stderr
    [line] = locked.stderr.splitlines()
    assert line.startswith(
        f"error: the data directory {data_dir.resolve()} is in use by process {os.getpid()}"
    )
