"""Settings read from the environment, in one typed object."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


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
