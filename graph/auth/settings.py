"""Credential settings (GUANXI_ prefix): API tokens' cache, JWTs' keys, claims and limits."""

from __future__ import annotations

import ipaddress
from typing import Self
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MIN_JWT_SECRET_LENGTH = 32
LOOPBACK_NAMES = frozenset({"localhost"})


class AuthSettings(BaseSettings):
    """Credential settings (GUANXI_ prefix)."""

    model_config = SettingsConfigDict(env_prefix="GUANXI_")

    jwt_secret: SecretStr | None = None  # HS256 JWTs
    # An identity provider's public keys (RS256/ES256 JWTs); needs jwt_issuer and jwt_audience,
    # since the same keys sign the provider's tokens for every other application too.
    jwt_jwks_url: str | None = None
    jwt_jwks_cache_seconds: float = Field(default=300.0, gt=0)  # the key set's lifespan
    # the least time between two fetches of the key set for a key id it does not hold, so that
    # JWTs with made-up key ids cannot make us hammer the provider
    jwt_jwks_refresh_cooldown: float = Field(default=30.0, ge=0)
    jwt_jwks_timeout: float = Field(default=5.0, gt=0)  # seconds one fetch may take
    jwt_issuer: str | None = None
    jwt_audience: str | None = None
    # seconds a JWT may live: `exp - iat`, or `exp - now` for one without `iat`. A JWT that
    # would live longer is refused, so that a leaked one (or one minted with `exp` in 9999)
    # cannot be used for years.
    jwt_max_lifetime: float = Field(default=86_400.0, gt=0)
    # where a JWT carries its role and its account teams: a claim's name, or a dotted path into
    # nested claims (`realm_access.roles`, Keycloak's realm roles)
    jwt_role_claim: str = Field(default="role", min_length=1)
    jwt_teams_claim: str = Field(default="teams", min_length=1)
    # True: a JWT without the teams claim is refused; False: it reaches every customer
    jwt_teams_required: bool = False
    token_cache_seconds: float = 10.0

    @field_validator("jwt_secret")
    @classmethod
    def _long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < MIN_JWT_SECRET_LENGTH:
            raise ValueError(f"GUANXI_JWT_SECRET needs at least {MIN_JWT_SECRET_LENGTH} characters")
        return value

    @field_validator("jwt_jwks_url")
    @classmethod
    def _https(cls, value: str | None) -> str | None:
        if value is None:
            return None
        url = urlsplit(value)
        if url.scheme == "https" and url.hostname:
            return value
        if url.scheme == "http" and url.hostname and _loopback(url.hostname):
            return value  # a provider on this machine (and the tests' key server)
        raise ValueError(
            "GUANXI_JWT_JWKS_URL must be an https:// URL (http:// only on this machine): keys "
            "fetched over plain HTTP could be swapped on the way"
        )

    @model_validator(mode="after")
    def _jwks_needs_issuer_and_audience(self) -> Self:
        if self.jwt_jwks_url is not None and not (self.jwt_issuer and self.jwt_audience):
            raise ValueError(
                "GUANXI_JWT_JWKS_URL needs GUANXI_JWT_ISSUER and GUANXI_JWT_AUDIENCE: an "
                "identity provider's keys sign its tokens for every application, so a JWT must "
                "say it comes from that provider and is meant for Guanxi"
            )
        return self


def _loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
