"""Backup and restore of the embedded engine: an online backup taken by `python -m seed backup`
from another process while the engine serves, restored into a new data directory, gives back
the graph as it was at the backup, without the writes made after it; `python -m seed restore`
refuses a directory that holds a database."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from neo4j import GraphDatabase

from graph.core import reads
from graph.db.backup import BackupError, backup_engine, restore_data_dir
from graph.db.connection import Graph
from graph.db.engine import EmbeddedEngine
from graph.db.setup import count_nodes_and_edges, ensure_schema
from seed.demo import load_demo
from tests import factories
from tests.conftest import StatementLog
from tests.snapshot import snapshot

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def _engine(data_dir: Path, statements: StatementLog) -> Iterator[tuple[EmbeddedEngine, Graph]]:
    """An embedded engine on `data_dir` in this process, and a graph over it."""
    engine = EmbeddedEngine(data_dir, database="guanxi")
    endpoint = engine.start()
    driver = GraphDatabase.driver(endpoint.uri, auth=(endpoint.username, endpoint.password))
    graph = Graph(driver, endpoint.database)
    graph.listeners.append(statements)
    try:
        yield engine, graph
    finally:
        graph.close()
        engine.stop()


def _seed(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m seed ARGS` in its own process, on the embedded engine of `data_dir`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(GUANXI_DATA_DIR=str(data_dir), PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "seed", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_backup_taken_while_the_engine_serves_restores_the_graph_as_it_was(
    tmp_path: Path, statements: StatementLog
) -> None:
    original, restored = tmp_path / "original", tmp_path / "restored"
    archive = tmp_path / "backups" / "guanxi.zip"
    with _engine(original, statements) as (engine, graph):
        ensure_schema(graph)
        load_demo(graph)
        at_backup = snapshot(graph)
        counts = count_nodes_and_edges(graph)
        done = _seed(original, "backup", str(archive))  # another process, the engine serving
        assert done.returncode == 0, done.stderr
        assert "running engine (HTTP)" in done.stdout and archive.stat().st_size > 0
        later = factories.person(graph, "Written after the backup", externalId="later")
        assert snapshot(graph) != at_backup
        with pytest.raises(BackupError, match="exists"):
            backup_engine(engine, archive)
        with pytest.raises(BackupError, match="running"):
            restore_data_dir(archive, original)
    restore_data_dir(archive, restored)  # what `python -m seed restore` runs, minus a JVM start
    with _engine(restored, statements) as (_, graph):
        assert count_nodes_and_edges(graph) == counts
        back = snapshot(graph)
        assert back.missing_from(at_backup) == at_backup.missing_from(back) == ({}, {})
        assert back == at_backup
        assert reads.id_by_external_id(graph, "person", "later") is None
        assert reads.people_by_id(graph, [later]) == [None]
    again = _seed(restored, "restore", str(archive), "--data-dir", str(restored))
    assert again.returncode == 2 and "already holds a database" in again.stderr


def test_a_backup_of_an_engine_in_this_process_restores(
    tmp_path: Path, statements: StatementLog
) -> None:
    """The in-process path, which `python -m seed backup` takes when no engine runs."""
    archive = tmp_path / "in-process.zip"
    with _engine(tmp_path / "a", statements) as (engine, graph):
        ensure_schema(graph)
        a, b = factories.person(graph, "A"), factories.person(graph, "B")
        factories.knows(graph, a, b, 0.5)
        before = snapshot(graph)
        backup_engine(engine, archive)
    restore_data_dir(archive, tmp_path / "b")
    with _engine(tmp_path / "b", statements) as (_, graph):
        assert snapshot(graph) == before
        assert count_nodes_and_edges(graph) == (2, 1)
