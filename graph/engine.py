"""The embedded engine: an ArcadeDB server in this process, spoken to over Bolt on loopback.

Used when no `NEO4J_URI` is configured, so that Guanxi runs on a machine with no Neo4j server.
The same driver and the same Cypher run against it as against Neo4j.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

_LOGGING_PROPERTIES = Path(__file__).with_name("engine-logging.properties")
_BOLT_PLUGIN = "Bolt:com.arcadedb.bolt.BoltProtocolPlugin"
_USER = "root"


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


def set_command_timeout(seconds: float) -> None:
    """Stop any statement of the embedded engine after `seconds` (0: never).

    The engine's Bolt plugin ignores the driver's transaction timeout, so the same limit is
    set as ArcadeDB's `arcadedb.command.timeout`: checked inside its scan, expansion and filter
    loops, so the statement itself is aborted and the driver gets Neo4j's TransactionTimedOut.
    One setting for the whole JVM, read when each statement starts.
    """
    import jpype

    settings = jpype.JClass("com.arcadedb.GlobalConfiguration")
    settings.COMMAND_TIMEOUT.setValue(round(seconds * 1000))


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
        password = self._password()
        os.environ.setdefault("ARCADEDB_JVM_ERROR_FILE", str(self.data_dir / "jvm-error.log"))
        # Imported here: the JVM is needed only for the embedded engine.
        import arcadedb_embedded
        from arcadedb_embedded.jvm import start_jvm

        # -Xrs leaves SIGINT and SIGTERM to Python, so that the server shuts down in order
        # (driver, then engine) instead of the JVM ending the process from under it.
        start_jvm(
            heap_size=self.heap,
            jvm_args=["-Xrs", f"-Djava.util.logging.config.file={_LOGGING_PROPERTIES}"],
        )

        bolt_port = _free_port()
        server = arcadedb_embedded.create_server(
            str(self.data_dir / "engine"),
            root_password=password,
            config={
                "host": "127.0.0.1",
                "http_port": _free_port(),
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
            self._server.stop()
            self._server = None
            self._endpoint = None
            log.info("embedded engine stopped")

    def _password(self) -> str:
        """The root password, made once per data directory and kept beside the data."""
        path = self.data_dir / "engine-password"
        if not path.exists():
            path.write_text(secrets.token_urlsafe(24))
            path.chmod(0o600)
        return path.read_text().strip()
