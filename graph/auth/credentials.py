"""Who is asking: a bearer credential (an API token or a signed JWT) checked into a Principal.

API tokens are looked up by the hash of their secret (graph/auth/tokens.py); a token found live is
remembered for `token_cache_seconds`, so most requests cost no database round trip. A token
revoked in this process is forgotten at once; one revoked by another process when this one
reads its revocation in the change feed (graph/db/feed.py: at the server's next poll, within
GUANXI_FEED_POLL_SECONDS). JWTs are HS256-signed with GUANXI_JWT_SECRET, or signed with an
identity provider's key pair published at GUANXI_JWT_JWKS_URL (graph/auth/jwts.py); they carry
`sub`, a role and `exp`, and optionally account teams. A credential's teams (a token's
attribute, a JWT's claim) land in `Principal.teams`.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import weakref
from dataclasses import dataclass
from typing import Any, Literal

import jwt

from graph.auth import jwts, tokens
from graph.auth.settings import AuthSettings as AuthSettings  # where callers always found it
from graph.auth.tokens import Role, hash_secret
from graph.db import feed
from graph.db.connection import Graph
from graph.db.errors import InvalidInput, Unauthenticated


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


def _is_jwt(credential: str) -> bool:
    return credential.count(".") == 2  # header.payload.signature; token secrets have no dots


def authenticate_known(credential: str, settings: AuthSettings) -> Principal | None:
    """The principal for a JWT whose key is at hand or an API token found recently, without
    the database or the network (tens of microseconds: no need to leave the event loop); None
    for a token it must look up or a JWT whose identity provider's keys must be fetched.
    Unauthenticated for a bad JWT."""
    if _is_jwt(credential):
        return _jwt_principal(credential, settings, may_fetch=False)
    return _CACHE.get(hash_secret(credential))


def authenticate(graph: Graph, credential: str, settings: AuthSettings) -> Principal:
    """The principal for an API token secret or a JWT; Unauthenticated when neither is good,
    Unavailable when the database or the identity provider's keys cannot be reached. May block
    (a database read, a key fetch): not on the event loop."""
    if _is_jwt(credential):
        principal = _jwt_principal(credential, settings, may_fetch=True)
        assert principal is not None  # may_fetch: never "fetch first"
        return principal
    known = _CACHE.get(hash_secret(credential))
    if known is not None:
        return known
    _hear_revocations(graph)
    digest = hash_secret(credential)
    found = tokens.token_for_secret(graph, credential)
    if found is None:
        raise Unauthenticated("unknown or revoked API token")
    principal = Principal(subject=found.name, role=found.role, via="token", teams=found.teams)
    _CACHE.put(digest, principal, settings.token_cache_seconds)
    return principal


def revoke_token(graph: Graph, name_or_id: str) -> tokens.ApiToken:
    """Revoke a token (graph/auth/tokens.py) and stop accepting it in this process at once."""
    revoked = tokens.revoke_token(graph, name_or_id)
    _CACHE.forget(revoked.name)
    return revoked


def _jwt_principal(credential: str, settings: AuthSettings, *, may_fetch: bool) -> Principal | None:
    if settings.jwt_secret is None and settings.jwt_jwks_url is None:
        raise Unauthenticated(
            "JWTs are not accepted here (GUANXI_JWT_SECRET and GUANXI_JWT_JWKS_URL are unset)"
        )
    claims = jwts.verify(credential, settings, may_fetch=may_fetch)
    if claims is None:
        return None
    return Principal(subject=claims.subject, role=claims.role, via="jwt", teams=claims.teams)


def issue_jwt(
    subject: str,
    role: Role,
    settings: AuthSettings,
    *,
    lifetime: dt.timedelta = dt.timedelta(hours=1),
    teams: frozenset[str] | None = None,
) -> str:
    """An HS256 JWT these settings accept (for tests, benchmarks and scripts; an identity
    provider issues them in production), with the teams claim when `teams` is given."""
    if settings.jwt_secret is None:
        raise InvalidInput("GUANXI_JWT_SECRET is unset", field="jwt_secret")
    now = dt.datetime.now(dt.UTC)
    claims: dict[str, Any] = {"sub": subject, "iat": now, "exp": now + lifetime}
    claims[settings.jwt_role_claim] = role.value
    if settings.jwt_issuer:
        claims["iss"] = settings.jwt_issuer
    if settings.jwt_audience:
        claims["aud"] = settings.jwt_audience
    if teams is not None:
        claims[settings.jwt_teams_claim] = sorted(teams)
    return jwt.encode(
        claims, settings.jwt_secret.get_secret_value(), algorithm=jwts.SHARED_SECRET_ALGORITHM
    )
