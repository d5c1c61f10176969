"""Settings read from the environment, in one typed object."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[2]


class Neo4jSettings(BaseSettings):
    """Where the graph lives. With `NEO4J_URI` unset, an embedded engine is started."""

    model_config = SettingsConfigDict(env_prefix="NEO4J_")

    uri: str | None = None
    username: str = "neo4j"
    password: SecretStr = SecretStr("")
    database: str = "neo4j"


class EngineSettings(BaseSettings):
    """The embedded engine, used when `NEO4J_URI` is unset."""

    model_config = SettingsConfigDict(env_prefix="GUANXI_")

    data_dir: Path = Field(default=REPO_ROOT / "data")
    engine_heap: str = "2g"


class ApiSettings(BaseSettings):
    """How the API guards itself: the mode and the limits (README, "Limits").

    `mode`: "production" turns off introspection, the GraphiQL IDE and "Did you mean ...?"
    suggestions; "demo" keeps them. The default is "demo" when the embedded engine runs
    (`NEO4J_URI` unset) and "production" otherwise.
    """

    model_config = SettingsConfigDict(env_prefix="GUANXI_")

    mode: Literal["production", "demo"] = Field(
        default_factory=lambda: "demo" if Neo4jSettings().uri is None else "production"
    )
    max_depth: int = Field(default=15, ge=1)
    max_aliases: int = Field(default=50, ge=0)
    max_tokens: int = Field(default=5000, ge=1)
    max_cost: int = Field(default=50_000, ge=1)
    max_batch: int = Field(default=10, ge=0)  # operations in one request (a JSON array); 0: none
    tx_timeout: float = Field(default=30.0, ge=0)  # seconds; 0: no timeout
    # seconds a GraphQL operation may run, all its statements and resolvers; 0: no deadline
    request_timeout: float = Field(default=20.0, ge=0)
    # operations holding a heavy field (schema/limits.py, WEIGHTS) one credential may run at once
    max_heavy_per_credential: int = Field(default=2, ge=1)
    # seconds the driver retries a transaction that failed on a transient error (a deadlock,
    # a concurrent change to the same record) before the write is refused as a CONFLICT
    tx_retry_time: float = Field(default=30.0, ge=0)

    @property
    def production(self) -> bool:
        return self.mode == "production"


class RetentionSettings(BaseSettings):
    """How long a deleted company or person can be restored (GUANXI_DELETED_RETENTION_DAYS)
    and how long a create's idempotency key is remembered (GUANXI_IDEMPOTENCY_DAYS)."""

    model_config = SettingsConfigDict(env_prefix="GUANXI_")

    deleted_retention_days: float = Field(default=30, gt=0)
    idempotency_days: float = Field(default=7, gt=0)


class ErasureSettings(BaseSettings):
    """Where each erasure's person id is appended (GUANXI_ERASURE_LOG, one JSON line per
    erasure; unset: nowhere), so that erasures can be replayed on a restored backup
    (docs/PRIVACY.md). Keep it outside the database's backups."""

    model_config = SettingsConfigDict(env_prefix="GUANXI_")

    erasure_log: Path | None = None


class FeedSettings(BaseSettings):
    """The change feed (graph/db/feed.py): how often a server reads it for other processes'
    writes (GUANXI_FEED_POLL_SECONDS), and how long its entries are kept
    (GUANXI_FEED_RETENTION_DAYS; a follower further behind than that misses events)."""

    model_config = SettingsConfigDict(env_prefix="GUANXI_FEED_")

    poll_seconds: float = Field(default=0.2, gt=0, le=60)
    retention_days: float = Field(default=7, gt=0, le=3650)
