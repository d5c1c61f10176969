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
import struct
import sys
from collections.abc import Generator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import neo4j
from pydantic import SecretStr

from graph.db.settings import Neo4jSettings

log = logging.getLogger(__name__)

_LOGGING_PROPERTIES = Path(__file__).with_name("engine-logging.properties")
_BOLT_PLUGIN = "Bolt:com.arcadedb.bolt.BoltProtocolPlugin"
_USER = "root"
# Where a running engine says how to reach it, so that the command line tools (another
# process) use it instead of starting an engine on a locked directory: {"pid", "bolt_uri",
# "http_port", "username", "database"}, readable only by the user, removed when it stops. The
# password is in PASSWORD_FILE beside it.
ENGINE_FILE = "engine.json"
PASSWORD_FILE = "engine-password"
START_LOCK_FILE = "start.lock"  # see starting_alone
ENGINE_DIR = "engine"  # the ArcadeDB server's root under the data directory
DATABASES_DIR = "databases"  # under ENGINE_DIR, one directory per database


class EngineError(Exception):
    """The embedded engine could not start; the message says why."""


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


def _write_private(path: Path, text: str) -> None:
    """Write `path` readable only by the user, never partly written nor briefly readable by
    others (a temporary file made 0600, then renamed)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(handle, "w") as out:
        out.write(text)
    os.replace(temporary, path)


def engine_password(data_dir: Path) -> str:
    """The root password of the engine of `data_dir`, made once and kept beside the data."""
    path = data_dir / PASSWORD_FILE
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        _write_private(path, secrets.token_urlsafe(24))
    return path.read_text().strip()


@dataclass(frozen=True)
class PublishedEngine:
    """What a running engine wrote in ENGINE_FILE of its data directory."""

    pid: int
    bolt_uri: str
    http_port: int
    username: str
    database: str


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process: it runs
    return True


def published_engine(data_dir: Path) -> PublishedEngine | None:
    """What the engine of `data_dir` published, if the process that wrote it still lives.

    None when nothing is published, the file is unreadable or malformed, or its process has
    gone (an engine that did not stop in order leaves the file behind: it is ignored). The
    process id may since have been reused: whether the engine answers is for the caller to see.
    """
    try:
        found = json.loads((data_dir / ENGINE_FILE).read_text())
        published = PublishedEngine(
            pid=int(found["pid"]),
            bolt_uri=str(found["bolt_uri"]),
            http_port=int(found["http_port"]),
            username=str(found["username"]),
            database=str(found["database"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return published if _alive(published.pid) else None


def running_endpoint(data_dir: Path) -> BoltEndpoint | None:
    """How to reach the running engine of `data_dir` over Bolt: its published address and the
    directory's password, when its process lives and Bolt answers there; else None (nothing
    runs, or a stale file). A live engine that refuses the password raises neo4j's AuthError."""
    data_dir = data_dir.resolve()
    published = published_engine(data_dir)
    if published is None:
        return None
    try:
        password = (data_dir / PASSWORD_FILE).read_text().strip()
    except OSError:
        return None
    endpoint = BoltEndpoint(published.bolt_uri, published.username, password, published.database)
    auth = (endpoint.username, endpoint.password)
    try:
        with neo4j.GraphDatabase.driver(
            endpoint.uri, auth=auth, connection_timeout=5, connection_acquisition_timeout=5
        ) as driver:
            driver.verify_connectivity()
    except (neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.SessionExpired, OSError):
        return None  # the process id now belongs to another process
    return endpoint


@contextmanager
def starting_alone(data_dir: Path) -> Generator[None, None, None]:
    """Hold the data directory's start lock: servers starting at once on one directory (N
    processes, uvicorn's workers) take turns, so that the first starts the engine and loads
    the demo data while the others wait, then find that engine and that data."""
    data_dir.mkdir(parents=True, exist_ok=True)
    import fcntl  # POSIX only: imported here so that the module loads anywhere

    with open(data_dir / START_LOCK_FILE, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def lock_holder(data_dir: Path, database: str) -> int | None:
    """The id of another process holding the lock of the engine's database in `data_dir`, or
    None. ArcadeDB locks `database.lck` with a POSIX record lock (Java's FileChannel.tryLock),
    which F_GETLK reports without taking it.

    Only asked while this process runs no JVM: closing a descriptor of a file drops every
    POSIX lock the process holds on it, so the question would release this process's own lock.
    """
    jpype = sys.modules.get("jpype")
    if not sys.platform.startswith("linux") or (jpype is not None and jpype.isJVMStarted()):
        return None  # (struct flock is laid out differently elsewhere)
    import fcntl  # POSIX only: imported here so that the module loads anywhere

    path = data_dir / ENGINE_DIR / DATABASES_DIR / database / "database.lck"
    try:
        handle = os.open(path, os.O_RDONLY)
    except OSError:
        return None  # no database yet: nothing holds it
    try:
        layout = "hhqqi"  # struct flock on Linux: type, whence, start, len, pid
        asked = struct.pack(layout, fcntl.F_WRLCK, os.SEEK_SET, 0, 0, 0)
        answer = fcntl.fcntl(handle, fcntl.F_GETLK, asked)
        kind, _, _, _, pid = struct.unpack(layout, answer[: struct.calcsize(layout)])
    except OSError:
        return None
    finally:
        os.close(handle)
    return None if kind == fcntl.F_UNLCK else int(pid)


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
        holder = lock_holder(self.data_dir, self.database)
        if holder is not None:
            raise EngineError(
                f"the data directory {self.data_dir} is in use by process {holder}, which does "
                "not say how to reach its engine (still starting, or an older Guanxi): stop it "
                "or try again"
            )
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
        try:
            server.start()
        except Exception as exc:  # ArcadeDBError, wrapping the Java exception
            if "LockException" in str(exc):
                raise EngineError(
                    f"the data directory {self.data_dir} is in use by another engine"
                ) from exc
            raise EngineError(f"the embedded engine did not start: {exc}") from exc
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
        published = {
            "pid": os.getpid(),
            "bolt_uri": self._endpoint.uri,
            "http_port": http_port,
            "username": _USER,
            "database": self.database,
        }
        _write_private(self.data_dir / ENGINE_FILE, json.dumps(published))
        log.info("embedded engine started: %s, data in %s", self._endpoint.uri, self.data_dir)
        return self._endpoint

    def stop(self) -> None:
        """Stop the server; its data stays on disk for the next start."""
        if self._server is not None:
            (self.data_dir / ENGINE_FILE).unlink(missing_ok=True)
            self._server.stop()
            self._server = None
            self._endpoint = None
            log.info("embedded engine stopped")

    def java_database(self) -> Any:
        """The running server's database as ArcadeDB's Java object (for its backup tool)."""
        if self._server is None:
            raise RuntimeError("the embedded engine is not running")
        return self._server.get_database(self.database).get_java_database()
