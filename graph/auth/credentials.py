"""Who is asking: a bearer credential (an API token or a signed JWT) checked into a Principal.

API tokens are looked up by the hash of their secret (graph/auth/tokens.py); a token found live is
remembered for `token_cache_seconds`, so most requests cost no database round trip. A token
revoked in this process is forgotten at once; one revoked by another process when this one
reads its revocation in the change feed (graph/db/feed.py: at the server's next poll, within
GUANXI_FEED_POLL_SECONDS). JWTs are
HS256-signed with GUANXI_JWT_SECRET, carry `sub`, `role` and `exp`, and are checked against
GUANXI_JWT_ISSUER and GUANXI_JWT_AUDIENCE when those are set; one that lives longer than
GUANXI_JWT_MAX_LIFETIME (a day by default) is refused.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import weakref
from dataclasses import dataclass
from typing import Any, Literal

import jwt
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph.auth import tokens
from graph.auth.tokens import Role, hash_secret
from graph.db import feed
from graph.db.connection import Graph
from graph.db.errors import InvalidInput, Unauthenticated

JWT_ALGORITHM = "HS256"
MIN_JWT_SECRET_LENGTH = 32


class AuthSettings(BaseSettings):
    """Credential settings (GUANXI_ prefix)."""

    model_config = SettingsConfigDict(env_prefix="GUANXI_")

    jwt_secret: SecretStr | None = None
    jwt_issuer: str | None = None
    jwt_audience: str | None = None
    # seconds a JWT may live: `exp - iat`, or `exp - now` for one without `iat`. A JWT that
    # would live longer is refused, so that a leaked one (or one minted with `exp` in 9999)
    # cannot be used for years.
    jwt_max_lifetime: float = Field(default=86_400.0, gt=0)
    token_cache_seconds: float = 10.0

    @field_validator("jwt_secret")
    @classmethod
    def _long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < MIN_JWT_SECRET_LENGTH:
            raise ValueError(f"GUANXI_JWT_SECRET needs at least {MIN_JWT_SECRET_LENGTH} characters")
        return value


@dataclass(frozen=True)
class Principal:
    """An authenticated caller: who (a token's name or a JWT's subject), its role, how, and
    the account teams whose customers it may read and write (None: every customer)."""

    subject: str
    role: Role
    via: Literal["token", "jwt"]
    teams: frozenset[str] | None = None

    @property
    def sees_every_customer(self) -> bool:
        """Not scoped to account teams."""
        return self.teams is None


class _TokenCache:
    """Live tokens recently found, by secret hash, each until its expiry (monotonic time)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._found: dict[str, tuple[float, Principal]] = {}

    def get(self, digest: str) -> Principal | None:
        with self._lock:
            entry = self._found.get(digest)
            if entry is None or entry[0] < time.monotonic():
                self._found.pop(digest, None)
                return None
            return entry[1]

    def put(self, digest: str, principal: Principal, seconds: float) -> None:
        if seconds > 0:
            with self._lock:
                self._found[digest] = (time.monotonic() + seconds, principal)

    def forget(self, name: str) -> None:
        with self._lock:
            for digest in [d for d, (_, p) in self._found.items() if p.subject == name]:
                del self._found[digest]


_CACHE = _TokenCache()
_HEARING: weakref.WeakSet[Graph] = weakref.WeakSet()  # graphs whose feed tells _CACHE


def _hear_revocations(graph: Graph) -> None:
    """Forget the tokens another process revokes, as the graph's change feed tells of them."""
    if graph in _HEARING:
        return
    _HEARING.add(graph)

    def hear(entry: feed.Entry) -> None:
        if entry.topic is feed.Topic.TOKENS:
            for record in entry.events:
                if record.get("event") == "tokenRevoked":
                    _CACHE.forget(str(record["name"]))

    feed.follower(graph).listen(hear)


def bearer(header: str | None) -> str:
    """The credential in an `Authorization: Bearer ...` header value."""
    if not header:
        raise Unauthenticated("missing credential: send 'Authorization: Bearer <token or JWT>'")
    scheme, _, credential = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not credential.strip():
        raise Unauthenticated("the Authorization header must be 'Bearer <token or JWT>'")
    return credential.strip()


def authenticate_known(credential: str, settings: AuthSettings) -> Principal | None:
    """The principal for a JWT or an API token found recently, without the database (tens of
    microseconds: no need to leave the event loop); None for a token it must look up.
    Unauthenticated for a bad JWT."""
    if credential.count(".") == 2:  # header.payload.signature; token secrets have no dots
        return _jwt_principal(credential, settings)
    return _CACHE.get(hash_secret(credential))


def authenticate(graph: Graph, credential: str, settings: AuthSettings) -> Principal:
    """The principal for an API token secret or a JWT; Unauthenticated when neither is good."""
    known = authenticate_known(credential, settings)
    if known is not None:
        return known
    _hear_revocations(graph)
    digest = hash_secret(credential)
    found = tokens.token_for_secret(graph, credential)
    if found is None:
        raise Unauthenticated("unknown or revoked API token")
    principal = Principal(subject=found.name, role=found.role, via="token")
    _CACHE.put(digest, principal, settings.token_cache_seconds)
    return principal


def revoke_token(graph: Graph, name_or_id: str) -> tokens.ApiToken:
    """Revoke a token (graph/auth/tokens.py) and stop accepting it in this process at once."""
    revoked = tokens.revoke_token(graph, name_or_id)
    _CACHE.forget(revoked.name)
    return revoked


def _jwt_principal(credential: str, settings: AuthSettings) -> Principal:
    if settings.jwt_secret is None:
        raise Unauthenticated("JWTs are not accepted here (GUANXI_JWT_SECRET is unset)")
    try:
        claims: dict[str, Any] = jwt.decode(
            credential,
            settings.jwt_secret.get_secret_value(),
            algorithms=[JWT_ALGORITHM],
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            options={"require": ["exp", "sub", "role"]},
        )
    except jwt.ExpiredSignatureError:
        raise Unauthenticated("the JWT has expired") from None
    except jwt.PyJWTError as exc:
        raise Unauthenticated(f"invalid JWT: {exc}") from None
    issued = claims.get("iat")
    start = time.time() if issued is None else float(issued)  # PyJWT checked both are numbers
    if float(claims["exp"]) - start > settings.jwt_max_lifetime:
        raise Unauthenticated(
            f"invalid JWT: it lives longer than GUANXI_JWT_MAX_LIFETIME "
            f"({settings.jwt_max_lifetime:g} seconds)"
        )
    try:
        role = tokens.parse_role(str(claims["role"]))
    except InvalidInput as exc:
        raise Unauthenticated(f"invalid JWT: {exc.message}") from None
    return Principal(subject=str(claims["sub"]), role=role, via="jwt")


def issue_jwt(
    subject: str,
    role: Role,
    settings: AuthSettings,
    *,
    lifetime: dt.timedelta = dt.timedelta(hours=1),
) -> str:
    """A JWT these settings accept (for tests, benchmarks and scripts; an identity provider
    issues them in production)."""
    if settings.jwt_secret is None:
        raise InvalidInput("GUANXI_JWT_SECRET is unset", field="jwt_secret")
    now = dt.datetime.now(dt.UTC)
    claims: dict[str, Any] = {"sub": subject, "role": role.value, "iat": now, "exp": now + lifetime}
    if settings.jwt_issuer:
        claims["iss"] = settings.jwt_issuer
    if settings.jwt_audience:
        claims["aud"] = settings.jwt_audience
    return jwt.encode(claims, settings.jwt_secret.get_secret_value(), algorithm=JWT_ALGORITHM)
