"""The HTTP server's settings, read from GUANXI_* environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class HttpSettings(BaseSettings):
    """Where the server listens, its request limits and its logging."""

    model_config = SettingsConfigDict(env_prefix="GUANXI_")

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    # the largest request body accepted; a larger one gets 413
    max_body_bytes: int = Field(default=1024 * 1024, ge=1)
    # seconds /readyz waits for the database before answering 503
    ready_timeout: float = Field(default=2.0, gt=0)
    # seconds a client has to send each request's line and headers before its connection is
    # closed (uvicorn has no such limit: web/protocol.py)
    header_timeout: float = Field(default=10.0, gt=0)
    # seconds in-flight requests get to finish after SIGTERM or Ctrl-C
    shutdown_grace: int = Field(default=5, ge=0)
    log_level: str = "INFO"
    # operation names that always get their own metrics label (comma-separated), however many
    # other names clients have sent (web/metrics.py)
    metric_operations: Annotated[tuple[str, ...], NoDecode] = ()
    # which documents run (web/trusted.py, docs/TRUSTED_DOCUMENTS.md): `allow` any, registered
    # ones also by id; `only` registered ones only; `off` no registered ones (text only)
    trusted_documents: Literal["off", "allow", "only"] = "allow"
    # manifests of registered documents beside the map's (comma-separated paths)
    trusted_document_files: Annotated[tuple[Path, ...], NoDecode] = ()

    @field_validator("metric_operations", "trusted_document_files", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(name.strip() for name in value.split(",") if name.strip())
        return value
