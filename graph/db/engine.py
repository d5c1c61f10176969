"""The embedded engine: an ArcadeDB server in this process, spoken to over Bolt on loopback.

Used when no `NEO4J_URI` is configured, so that Guanxi runs on a machine with no Neo4j server.
The same driver and the same Cypher run against it as against Neo4j.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from graph.db.settings import Neo4jSettings

log = logging.getLogger(__name__)

_LOGGING_PROPERTIES = Path(__file__).with_name("engine-logging.properties")
_BOLT_PLUGIN = "Bolt:com.arcadedb.bolt.BoltProtocolPlugin"
_USER = "root"
# Where a running engine says how to reach its HTTP API (for `python -m seed backup` from
# another process): {"pid": ..., "port": ...}, removed when it stops.
HTTP_FILE = "engine-http.json"
ENGINE_DIR = "engine"  # the ArcadeDB server's root under the data directory


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class BoltEndpoint:
    """How to reach a running engine."""

    uri: str
    username: str
    password: str
    database: str

    def neo4j_settings(self) -> Neo4jSettings:
        """Settings as NEO4J_URI and friends would give them, pointing at this engine."""
        return Neo4jSettings(
            uri=self.uri,
            username=self.username,
            password=SecretStr(self.password),
            database=self.database,
        )


def set_command_timeout(seconds: float) -> None:
    """Stop any statement of the embedded engine after `seconds` (0: never).

    The engine's Bolt plugin ignores the driver's transaction timeout, so the same limit is
    set as ArcadeDB's `arcadedb.command.timeout`: checked inside its scan, expansion and filter
    loops, so the statement itself is aborted and the driver gets Neo4j's TransactionTimedOut.
    One setting for the whole JVM, read when each statement starts.
    """
    import jpype

    settings: Any = jpype.JClass("com.arcadedb.GlobalConfiguration")
    settings.COMMAND_TIMEOUT.setValue(round(seconds * 1000))


def start_engine_jvm(heap: str) -> None:
    """Start the JVM (once per process) with the settings every engine of Guanxi needs."""
    from arcadedb_embedded.jvm import start_jvm

    # -Xrs leaves SIGINT and SIGTERM to Python, so that the server shuts down in order
    # (driver, then engine) instead of the JVM ending the process from under it.
    start_jvm(
        heap_size=heap,
        jvm_args=["-Xrs", f"-Djava.util.logging.config.file={_LOGGING_PROPERTIES}"],
    )


def engine_password(data_dir: Path) -> str:
    """The root password of the engine of `data_dir`, made once and kept beside the data."""
    path = data_dir / "engine-password"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(24))
        path.chmod(0o600)
    return path.read_text().strip()


class EmbeddedEngine:
    """An ArcadeDB server with its Bolt plugin on a free loopback port, data kept on disk."""

    def __init__(
        self, data_dir: Path, database: str, heap: str = "2g", command_timeout: float = 0
    ) -> None:
        self.data_dir = data_dir.resolve()
        self.database = database
        self.heap = heap
        self.command_timeout = command_timeout  # seconds per statement; 0: none
        self._server: Any = None
        self._endpoint: BoltEndpoint | None = None

    def start(self) -> BoltEndpoint:
        """Start the server (and the JVM on first use), creating the database if missing."""
        if self._endpoint is not None:
            return self._endpoint
        self.data_dir.mkdir(parents=True, exist_ok=True)
        password = engine_password(self.data_dir)
        os.environ.setdefault("ARCADEDB_JVM_ERROR_FILE", str(self.data_dir / "jvm-error.log"))
        # Imported here: the JVM is needed only for the embedded engine.
        import arcadedb_embedded

        start_engine_jvm(self.heap)
        bolt_port, http_port = _free_port(), _free_port()
        server = arcadedb_embedded.create_server(
            str(self.data_dir / ENGINE_DIR),
            root_password=password,
            config={
                "host": "127.0.0.1",
                "http_port": http_port,
                "server_plugins": _BOLT_PLUGIN,
                "bolt_port": bolt_port,
            },
        )
        server.start()
        self._server = server
        set_command_timeout(self.command_timeout)
        try:
            server.get_database(self.database)
        except Exception:
            server.create_database(self.database)
        http_file = self.data_dir / HTTP_FILE
        http_file.write_text(json.dumps({"pid": os.getpid(), "port": http_port}))
        http_file.chmod(0o600)
        self._endpoint = BoltEndpoint(
            uri=f"bolt://127.0.0.1:{bolt_port}",
            username=_USER,
            password=password,
            database=self.database,
        )
        log.info("embedded engine started: %s, data in %s", self._endpoint.uri, self.data_dir)
        return self._endpoint

    def stop(self) -> None:
        """Stop the server; its data stays on disk for the next start."""
        if self._server is not None:
            (self.data_dir / HTTP_FILE).unlink(missing_ok=True)
            self._server.stop()
            self._server = None
            self._endpoint = None
            log.info("embedded engine stopped")

    def java_database(self) -> Any:
        """The running server's database as ArcadeDB's Java object (for its backup tool)."""
        if self._server is None:
            raise RuntimeError("the embedded engine is not running")
        return self._server.get_database(self.database).get_java_database()
