"""JWTs: checked into their claims, role and account teams.

Two kinds of key, never mixed (no algorithm confusion): HS256 with the shared secret
(GUANXI_JWT_SECRET) only, and the asymmetric algorithms (RS*, PS*, ES*) with an identity
provider's public keys only, fetched from its JWKS (GUANXI_JWT_JWKS_URL) by PyJWT's
`PyJWKClient`, picked by the JWT's `kid` and bound to the algorithm its JWK names. Anything
else (`none`, HS384, a symmetric key published in the JWKS) is refused.

The key set is cached (GUANXI_JWT_JWKS_CACHE_SECONDS). A `kid` it does not hold makes it
fetch the set again, at most once per GUANXI_JWT_JWKS_REFRESH_COOLDOWN seconds (PyJWKClient's
cooldown), so rotated keys are found and made-up ones cost the provider nothing. Verifying
with a cached key takes no network I/O and may run on the event loop (`verify(...,
may_fetch=False)` answers None when it would need a fetch); a fetch runs in a worker thread.
A key set that cannot be fetched is `Unavailable` (HTTP 503, "try again"), not
`Unauthenticated`: the credential may well be good, and a client told 401 would drop it.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any, cast

import jwt
from jwt import PyJWK, PyJWKClient

from graph.auth.settings import AuthSettings
from graph.auth.teams import parse_teams
from graph.auth.tokens import Role, parse_role
from graph.db.errors import InvalidInput, Unauthenticated, Unavailable

SHARED_SECRET_ALGORITHM = "HS256"
JWKS_ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"}
)
# after a failed fetch, requests are answered 503 at once for this long instead of each
# waiting for its own fetch to time out (the 503's Retry-After says the same)
FETCH_RETRY_SECONDS = 5.0

log = logging.getLogger("guanxi")


class JwksKeys:
    """One identity provider's signing keys, fetched from its JWKS URL and cached."""

    def __init__(self, url: str, *, cache_seconds: float, cooldown: float, timeout: float) -> None:
        self.url = url
        self._client = PyJWKClient(
            url,
            cache_jwk_set=True,
            lifespan=cache_seconds,
            cooldown_duration=cooldown,
            timeout=timeout,
        )
        self._lock = threading.Lock()
        self._failed_at: float | None = None

    def cached(self, kid: str) -> PyJWK | None:
        """The key `kid` names in the cached, unexpired key set, without network I/O; None when
        there is no such set or it lacks the key (then `fetch` it, off the event loop)."""
        cache = self._client.jwk_set_cache
        found = None if cache is None else cache.get()
        if found is None:
            return None
        return next((key for key in found.keys if key.key_id == kid), None)

    def fetch(self, kid: str) -> PyJWK:
        """The key `kid` names, fetching the key set when it is not cached or lacks the key
        (blocking network I/O: not on the event loop). Unauthenticated when the provider does
        not have it; Unavailable when its key set cannot be fetched."""
        with self._lock:  # one fetch at a time; the others then find its result
            key = self.cached(kid)
            if key is not None:
                return key
            if self._failed_at is not None and (
                time.monotonic() - self._failed_at < FETCH_RETRY_SECONDS
            ):
                raise self._unavailable("it could not be fetched a moment ago")
            try:
                key = self._client.get_signing_key(kid)
            except jwt.PyJWKClientConnectionError as exc:
                self._failed_at = time.monotonic()
                raise self._unavailable(str(exc)) from None
            except (jwt.PyJWKClientError, jwt.PyJWKSetError) as exc:
                cache = self._client.jwk_set_cache
                if cache is not None and cache.get() is not None:  # the set came: no such key
                    raise Unauthenticated(
                        f"invalid JWT: the identity provider has no key '{kid}'"
                    ) from None
                self._failed_at = time.monotonic()
                raise self._unavailable(str(exc)) from None
            self._failed_at = None
            return key

    def _unavailable(self, why: str) -> Unavailable:
        log.warning("the identity provider's keys (%s) cannot be fetched: %s", self.url, why)
        return Unavailable(
            "the identity provider's keys (GUANXI_JWT_JWKS_URL) cannot be fetched; try again"
        )


_PROVIDERS: dict[tuple[str, float, float, float], JwksKeys] = {}
_PROVIDERS_LOCK = threading.Lock()


def jwks_keys(settings: AuthSettings) -> JwksKeys:
    """The (process-wide) key cache for the settings' JWKS URL."""
    url = settings.jwt_jwks_url
    if url is None:
        raise Unauthenticated("JWTs signed with a key pair are not accepted here")
    key = (
        url,
        settings.jwt_jwks_cache_seconds,
        settings.jwt_jwks_refresh_cooldown,
        settings.jwt_jwks_timeout,
    )
    with _PROVIDERS_LOCK:
        found = _PROVIDERS.get(key)
        if found is None:
            found = _PROVIDERS[key] = JwksKeys(
                url,
                cache_seconds=settings.jwt_jwks_cache_seconds,
                cooldown=settings.jwt_jwks_refresh_cooldown,
                timeout=settings.jwt_jwks_timeout,
            )
        return found


@dataclass(frozen=True)
class Claims:
    """What a good JWT says about its bearer."""

    subject: str
    role: Role
    teams: frozenset[str] | None  # None: every customer


def verify(credential: str, settings: AuthSettings, *, may_fetch: bool) -> Claims | None:
    """The claims of a good JWT. None when checking it needs the identity provider's key set
    fetched and `may_fetch` is False. Unauthenticated for a bad JWT; Unavailable when the key
    set cannot be fetched."""
    try:
        header = jwt.get_unverified_header(credential)
    except jwt.PyJWTError as exc:
        raise Unauthenticated(f"invalid JWT: {exc}") from None
    algorithm = header.get("alg")
    key: str | PyJWK
    if algorithm == SHARED_SECRET_ALGORITHM:
        if settings.jwt_secret is None:
            raise Unauthenticated("HS256 JWTs are not accepted here (GUANXI_JWT_SECRET is unset)")
        key = settings.jwt_secret.get_secret_value()
    elif algorithm in JWKS_ALGORITHMS:
        if settings.jwt_jwks_url is None:
            raise Unauthenticated(
                f"{algorithm} JWTs are not accepted here (GUANXI_JWT_JWKS_URL is unset)"
            )
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise Unauthenticated("invalid JWT: its header names no key (`kid`)")
        keys = jwks_keys(settings)
        found = keys.fetch(kid) if may_fetch else keys.cached(kid)
        if found is None:
            return None
        if found.algorithm_name != algorithm:
            raise Unauthenticated(
                f"invalid JWT: signed with {algorithm}, but the key '{kid}' is for "
                f"{found.algorithm_name}"
            )
        key = found
    else:
        accepted = ", ".join(sorted(JWKS_ALGORITHMS))
        raise Unauthenticated(
            f"invalid JWT: the algorithm {algorithm!r} is not accepted (HS256 with the shared "
            f"secret; {accepted} with the identity provider's keys)"
        )
    claims = _decoded(credential, key, algorithm, settings)
    return Claims(
        subject=str(claims["sub"]), role=role_of(claims, settings), teams=teams_of(claims, settings)
    )


def _decoded(
    credential: str, key: str | PyJWK, algorithm: str, settings: AuthSettings
) -> dict[str, Any]:
    try:
        claims: dict[str, Any] = jwt.decode(
            credential,
            key,
            algorithms=[algorithm],
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            options={"require": ["exp", "sub"]},
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
    return claims


def claim_at(claims: dict[str, Any], name: str) -> object:
    """The claim called `name`, else the one its dotted path reaches through nested objects
    (`realm_access.roles`); None when there is none."""
    if name in claims:
        return claims[name]
    found: object = claims
    for part in name.split("."):
        if not isinstance(found, dict):
            return None
        found = cast(dict[str, object], found).get(part)
    return found


def _listed(value: object) -> list[object] | None:
    return cast(list[object], value) if isinstance(value, list) else None


_ROLE_NAMES = frozenset(role.value for role in Role)


def role_of(claims: dict[str, Any], settings: AuthSettings) -> Role:
    """The role in the GUANXI_JWT_ROLE_CLAIM claim: a role's name, or a list of names (an
    identity provider's roles, where those that are not Guanxi's are ignored) holding admin,
    or one other role (viewer aside, which every other role includes)."""
    name = settings.jwt_role_claim
    value = claim_at(claims, name)
    if isinstance(value, str):
        try:
            return parse_role(value)
        except InvalidInput as exc:
            raise Unauthenticated(f"invalid JWT: {exc.message}") from None
    items = _listed(value)
    if items is None:
        raise Unauthenticated(f"invalid JWT: no role in its '{name}' claim")
    known = {Role(item) for item in items if isinstance(item, str) and item in _ROLE_NAMES}
    if Role.ADMIN in known:
        return Role.ADMIN
    if len(known) > 1:
        known.discard(Role.VIEWER)
    if len(known) == 1:
        return known.pop()
    names = ", ".join(role.value for role in Role)
    if not known:
        raise Unauthenticated(f"invalid JWT: its '{name}' claim holds none of the roles {names}")
    both = " and ".join(sorted(role.value for role in known))
    raise Unauthenticated(f"invalid JWT: its '{name}' claim holds {both}: give it one role")


_WARNED_NO_TEAMS = threading.Event()


def teams_of(claims: dict[str, Any], settings: AuthSettings) -> frozenset[str] | None:
    """The account teams in the GUANXI_JWT_TEAMS_CLAIM claim: a list of names or one name
    (`*`: every customer; an empty list: no customer). Without the claim: every customer, or
    refused when GUANXI_JWT_TEAMS_REQUIRED is set."""
    name = settings.jwt_teams_claim
    value = claim_at(claims, name)
    if value is None:
        if settings.jwt_teams_required:
            raise Unauthenticated(
                f"invalid JWT: no '{name}' claim (GUANXI_JWT_TEAMS_REQUIRED is set)"
            )
        if not _WARNED_NO_TEAMS.is_set():
            _WARNED_NO_TEAMS.set()
            log.warning(
                "a JWT without the '%s' claim reaches every customer (set "
                "GUANXI_JWT_TEAMS_REQUIRED=1 to refuse such JWTs); said once",
                name,
            )
        return None
    items = [value] if isinstance(value, str) else _listed(value)
    names = [] if items is None else [item for item in items if isinstance(item, str)]
    if items is None or len(names) != len(items):
        raise Unauthenticated(f"invalid JWT: its '{name}' claim is not a list of team names")
    try:
        return parse_teams(names, field=name)
    except InvalidInput as exc:
        raise Unauthenticated(f"invalid JWT: its '{name}' claim: {exc.message}") from None
