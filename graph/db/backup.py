"""Backup and restore of the embedded engine's database (docs/BACKUP.md).

A backup is ArcadeDB's own full backup: a ZIP of the database files taken from a consistent
snapshot while the server runs, without blocking its writes (what ArcadeDB's `BACKUP DATABASE`
does). A transaction still open when it starts is not in it.

- `backup_engine` backs up an engine running in this process.
- `backup_data_dir` backs up the database of a data directory: through the HTTP API of the
  engine that holds it when one runs (the app, `make run`: the engine publishes its ports in the
  data directory, graph/db/engine.py ENGINE_FILE), else by starting the engine here for the
  time of the backup.
- `restore_data_dir` restores a backup into a data directory that holds no database, with no
  engine running on it; the engine started there next serves the restored graph.

Neo4j has its own tools (`neo4j-admin database dump/load`, `backup/restore`): see the docs.
"""

from __future__ import annotations

import base64
import json
import shutil
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.db.engine import (
    ENGINE_DIR,
    EmbeddedEngine,
    engine_password,
    published_engine,
    running_endpoint,
    start_engine_jvm,
)

DATABASE = "guanxi"  # the embedded engine's database, as graph/db/connection.py names it


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why."""


class _NotRunning(Exception):
    """Nothing listens on the published port: the engine that wrote it is gone."""


@dataclass(frozen=True)
class BackupResult:
    """Where the backup went, how big it is, how long it took and how it was taken."""

    path: Path
    size: int
    seconds: float
    via: str  # "running engine (HTTP)" or "engine started for the backup"


def _checked_target(target: Path) -> Path:
    target = target.resolve()
    if target.suffix != ".zip":
        raise BackupError(f"{target}: a backup file's name must end in .zip")
    if target.exists():
        raise BackupError(f"{target} exists; a backup never overwrites a file")
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def backup_engine(engine: EmbeddedEngine, target: Path) -> Path:
    """Back up the database of `engine` (running in this process) to `target` (a new .zip)."""
    import jpype

    target = _checked_target(target)
    backup: Any = jpype.JClass("com.arcadedb.integration.backup.Backup")
    tool = backup(engine.java_database(), target.name).setDirectory(str(target.parent))
    tool.setVerboseLevel(0).backupDatabase()
    if not target.is_file():
        raise BackupError(f"the engine reported a backup but {target} is missing")
    return target


def _backup_over_http(data_dir: Path, port: int, target: Path) -> None:
    """Ask the running engine for a backup (ArcadeDB's BACKUP DATABASE), then move it out of
    the server's backup directory, the only place its SQL command may write to."""
    name = f"guanxi-backup-{time.time_ns()}.zip"
    written = data_dir / ENGINE_DIR / "backups" / DATABASE / name
    credentials = base64.b64encode(f"root:{engine_password(data_dir)}".encode()).decode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/command/{DATABASE}",
        data=json.dumps({"language": "sql", "command": f"BACKUP DATABASE file://{name}"}).encode(),
        headers={"Authorization": f"Basic {credentials}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=3600) as response:  # noqa: S310 (loopback)
            answer = json.loads(response.read())
    except urllib.error.HTTPError as exc:
        raise BackupError(f"the running engine refused the backup: {exc.read()[:500]!r}") from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, ConnectionRefusedError):
            raise _NotRunning from exc
        raise BackupError(f"the running engine did not answer on port {port}: {exc}") from exc
    except OSError as exc:
        raise BackupError(f"the running engine did not answer on port {port}: {exc}") from exc
    results: list[dict[str, Any]] = answer.get("result") or [{}]
    if results[0].get("result") != "OK" or not written.is_file():
        raise BackupError(f"the running engine's backup failed: {answer}")
    shutil.move(written, target)


def backup_data_dir(data_dir: Path, target: Path, heap: str = "2g") -> BackupResult:
    """Back up the embedded database of `data_dir` to `target`, a new .zip file.

    Online when the engine of that directory runs (the app): it takes the snapshot and keeps
    serving. Otherwise the engine is started here for the backup and stopped after it.
    """
    data_dir = data_dir.resolve()
    if not (data_dir / ENGINE_DIR / "databases" / DATABASE).is_dir():
        raise BackupError(f"{data_dir} holds no embedded database to back up")
    target = _checked_target(target)
    started = time.perf_counter()
    published = published_engine(data_dir)
    port = None if published is None else published.http_port
    via = "running engine (HTTP)"
    try:
        if port is not None:
            _backup_over_http(data_dir, port, target)
    except _NotRunning:
        port = None  # its process id now belongs to another process
    if port is None:
        engine = EmbeddedEngine(data_dir, DATABASE, heap=heap)
        engine.start()
        try:
            backup_engine(engine, target)
        finally:
            engine.stop()
        via = "engine started for the backup"
    return BackupResult(target, target.stat().st_size, time.perf_counter() - started, via)


def restore_data_dir(source: Path, data_dir: Path, heap: str = "2g") -> Path:
    """Restore the backup `source` into `data_dir`, which must hold no database (a new or
    emptied directory) and have no engine running on it. Returns the database's directory."""
    import jpype

    source, data_dir = source.resolve(), data_dir.resolve()
    if not source.is_file():
        raise BackupError(f"{source}: no such backup file")
    if running_endpoint(data_dir) is not None:
        raise BackupError(f"an engine is running on {data_dir} (the app?): stop it first")
    database = data_dir / ENGINE_DIR / "databases" / DATABASE
    if database.exists():
        raise BackupError(
            f"{data_dir} already holds a database ({database}); restore into a new data "
            "directory, or move that one away first"
        )
    start_engine_jvm(heap)
    restore: Any = jpype.JClass("com.arcadedb.integration.restore.Restore")
    try:
        tool = restore(source.as_uri(), str(database)).setAllowLocalUrls(True)
        tool.setVerboseLevel(0).restoreDatabase()
    except Exception as exc:
        shutil.rmtree(database, ignore_errors=True)  # no half-restored database left behind
        raise BackupError(f"restore of {source} failed: {exc}") from exc
    return database
