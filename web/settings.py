"""The HTTP server's settings, read from GUANXI_* environment variables."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class HttpSettings(BaseSettings):
    """Where the server listens, its request limits and its logging."""

    model_config = SettingsConfigDict(env_prefix="GUANXI_")

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    # the largest request body accepted; a larger one gets 413
    max_body_bytes: int = Field(default=1024 * 1024, ge=1)
    # seconds /readyz waits for the database before answering 503
    ready_timeout: float = Field(default=2.0, gt=0)
    # seconds in-flight requests get to finish after SIGTERM or Ctrl-C
    shutdown_grace: int = Field(default=5, ge=0)
    log_level: str = "INFO"
