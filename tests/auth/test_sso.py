"""Single sign-on: JWTs signed RS256/ES256 by an identity provider whose keys (a JWKS) a server
on loopback publishes; key rotation, unknown keys, algorithm confusion, claims and teams."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import datetime as dt
import hashlib
import hmac
import json
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm
from pydantic import ValidationError
from starlette.responses import JSONResponse
from starlette.testclient import TestClient
from starlette.types import Receive, Scope, Send

from graph.auth.credentials import (
    AuthSettings,
    Principal,
    authenticate,
    authenticate_known,
    issue_jwt,
)
from graph.auth.tokens import Role
from graph.db.connection import Graph
from graph.db.errors import Unauthenticated, Unavailable
from resolvers.auth import RequireCredential, check_credential, principal_of
from server import create_app
from tests.conftest import AUTH

ISSUER = "https://id.example.com/realms/acme"
AUDIENCE = "guanxi"
COUNT = "{ companies { totalCount } }"
PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
NO_GRAPH = cast(Graph, None)  # checking a JWT reads no graph


def shared_secret() -> str:
    assert AUTH.jwt_secret is not None
    return AUTH.jwt_secret.get_secret_value()


class KeyServer:
    """An identity provider's JWKS endpoint on 127.0.0.1: `keys` are the JWKs it publishes
    (swap them to rotate), `hits` counts its answers, `delay` slows them, `status` != 200
    breaks them."""

    def __init__(self) -> None:
        self.keys: list[dict[str, Any]] = []
        self.hits = 0
        self.delay = 0.0
        self.status = 200
        published = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                published.hits += 1
                time.sleep(published.delay)
                body = json.dumps({"keys": published.keys}).encode()
                self.send_response(published.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        # a path of its own, so that no other test's cached key set answers for this one
        self.url = f"http://127.0.0.1:{self._httpd.server_port}/{uuid.uuid4().hex}/certs"

    def __enter__(self) -> KeyServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()


@pytest.fixture
def provider() -> Iterator[KeyServer]:
    with KeyServer() as server:
        yield server


def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def jwk(key: PrivateKey, kid: str) -> dict[str, Any]:
    """The public JWK of `key`, as an identity provider publishes it."""
    if isinstance(key, rsa.RSAPrivateKey):
        found = RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
        algorithm = "RS256"
    else:
        found = ECAlgorithm.to_jwk(key.public_key(), as_dict=True)
        algorithm = "ES256"
    return {**found, "kid": kid, "use": "sig", "alg": algorithm}


def settings_for(provider: KeyServer, **more: Any) -> AuthSettings:
    values: dict[str, Any] = {
        "jwt_jwks_url": provider.url,
        "jwt_issuer": ISSUER,
        "jwt_audience": AUDIENCE,
        "jwt_secret": AUTH.jwt_secret,
        **more,
    }
    return AuthSettings(**values)


def claims(**more: Any) -> dict[str, Any]:
    """A Keycloak-style access token's claims."""
    now = dt.datetime.now(dt.UTC)
    return {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "f3c1a9e2-5b7d-4c2e-9a41-0d6e8b2f7c11",
        "preferred_username": "li.wei",
        "role": "planner",
        "teams": ["north", "east"],
        "iat": now,
        "exp": now + dt.timedelta(minutes=5),
        **more,
    }


def signed(key: PrivateKey, kid: str, **more: Any) -> str:
    algorithm = "RS256" if isinstance(key, rsa.RSAPrivateKey) else "ES256"
    return jwt.encode(claims(**more), key, algorithm=algorithm, headers={"kid": kid})


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@contextlib.contextmanager
def app_client(graph: Graph, settings: AuthSettings) -> Iterator[TestClient]:
    """A client of the whole app with these credential settings, sending no credential."""
    app = create_app(lambda: contextlib.nullcontext(graph), demo_data=False, auth=settings)
    with TestClient(app) as client:
        yield client


def refused(client: TestClient, token: str) -> str:
    response = client.post("/graphql", json={"query": COUNT}, headers=bearer(token))
    assert response.status_code == 401, response.text
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    message: str = response.json()["errors"][0]["message"]
    return message


def refused_now(token: str, settings: AuthSettings) -> str:
    """Why `authenticate` refuses the JWT (no database needed for a JWT)."""
    with pytest.raises(Unauthenticated) as refusal:
        authenticate_jwt(token, settings)
    return refusal.value.message


def authenticate_jwt(token: str, settings: AuthSettings) -> Principal:
    return authenticate(NO_GRAPH, token, settings)


def test_rs256_and_es256_jwts_are_accepted_through_the_api(
    graph: Graph, provider: KeyServer
) -> None:
    rsa_signer, ec_signer = rsa_key(), ec_key()
    provider.keys = [jwk(rsa_signer, "rsa-1"), jwk(ec_signer, "ec-1")]
    with app_client(graph, settings_for(provider)) as client:
        for token in (signed(rsa_signer, "rsa-1"), signed(ec_signer, "ec-1")):
            response = client.post("/graphql", json={"query": COUNT}, headers=bearer(token))
            assert response.json() == {"data": {"companies": {"totalCount": 0}}}
        # a planner may not delete
        token = signed(ec_signer, "ec-1")
        forbidden = client.post(
            "/graphql", json={"query": 'mutation { deleteDeal(id: "d") }'}, headers=bearer(token)
        )
        assert forbidden.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        # HS256 with the shared secret still works beside them
        shared = issue_jwt("ana", Role.VIEWER, settings_for(provider))
        assert client.post("/graphql", json={"query": COUNT}, headers=bearer(shared)).is_success
        # a key unknown to the provider: 401
        assert "no key 'stranger'" in refused(client, signed(rsa_key(), "stranger"))
    # one fetch: the unknown key came within the cooldown after it (PyJWKClient counts it from
    # every successful fetch), so the key set was not fetched again for it
    assert provider.hits == 1


def test_the_principal_carries_the_jwts_subject_role_and_teams(provider: KeyServer) -> None:
    """Through the credential middleware, as every request passes it."""
    signer = ec_key()
    provider.keys = [jwk(signer, "k")]

    async def echo(scope: Scope, receive: Receive, send: Send) -> None:
        found = principal_of(scope)
        assert found is not None
        teams = None if found.teams is None else sorted(found.teams)
        seen = {"subject": found.subject, "role": found.role, "via": found.via, "teams": teams}
        await JSONResponse(seen)(scope, receive, send)

    settings = settings_for(provider)
    app = RequireCredential(echo, graph_of=lambda: NO_GRAPH, settings=settings)
    client = TestClient(app)  # no lifespan: `echo` is no whole app
    seen = client.get("/who", headers=bearer(signed(signer, "k"))).json()
    assert seen == {
        "subject": "f3c1a9e2-5b7d-4c2e-9a41-0d6e8b2f7c11",
        "role": "planner",
        "via": "jwt",
        "teams": ["east", "north"],
    }
    everyone = client.get("/who", headers=bearer(signed(signer, "k", teams="*"))).json()
    assert everyone["teams"] is None


def test_a_key_is_fetched_off_the_event_loop_and_checked_on_it_once_cached(
    provider: KeyServer,
) -> None:
    signer = rsa_key()
    provider.keys = [jwk(signer, "k")]
    provider.delay = 0.5
    settings = settings_for(provider)
    token = signed(signer, "k")
    assert authenticate_known(token, settings) is None  # it would need a fetch: not on the loop
    assert provider.hits == 0

    async def check_while_ticking() -> tuple[Principal, int]:
        ticks = 0
        checking = asyncio.ensure_future(check_credential(NO_GRAPH, f"Bearer {token}", settings))
        while not checking.done():
            await asyncio.sleep(0.02)
            ticks += 1
        return await checking, ticks

    principal, ticks = asyncio.run(check_while_ticking())
    assert principal.role is Role.PLANNER and provider.hits == 1
    assert ticks >= 10  # the loop kept running through the half-second fetch
    cached = authenticate_known(token, settings)  # now the key is at hand
    assert cached == principal and provider.hits == 1


def test_key_rotation(provider: KeyServer) -> None:
    """The provider publishes a new key and drops the old one: a JWT with the new `kid` is
    accepted after one refetch, and one with the dropped `kid` is refused once the cached key
    set has moved on (until then a dropped key still verifies: PyJWKClient serves its cache
    for GUANXI_JWT_JWKS_CACHE_SECONDS)."""
    old, new = rsa_key(), ec_key()
    provider.keys = [jwk(old, "2026-01")]
    settings = settings_for(provider, jwt_jwks_refresh_cooldown=0, jwt_jwks_cache_seconds=1)
    assert authenticate_jwt(signed(old, "2026-01"), settings).via == "jwt"
    provider.keys = [jwk(new, "2026-02")]
    assert authenticate_jwt(signed(old, "2026-01"), settings).via == "jwt"  # still cached
    assert authenticate_jwt(signed(new, "2026-02"), settings).via == "jwt"  # refetched
    assert provider.hits == 2
    assert "no key '2026-01'" in refused_now(signed(old, "2026-01"), settings)
    # a key dropped with no new one to look for goes when the cached set expires
    provider.keys = [jwk(old, "2026-03")]
    assert authenticate_jwt(signed(new, "2026-02"), settings).via == "jwt"  # still cached
    time.sleep(1.1)  # past the cache's lifespan
    assert "no key '2026-02'" in refused_now(signed(new, "2026-02"), settings)


def test_made_up_key_ids_do_not_hammer_the_provider(provider: KeyServer) -> None:
    signer = rsa_key()
    provider.keys = [jwk(signer, "k")]
    settings = settings_for(provider)  # the default cooldown: 30 seconds
    assert authenticate_jwt(signed(signer, "k"), settings).via == "jwt"
    for attempt in range(20):
        refused_now(signed(rsa_key() if attempt == 0 else signer, f"random-{attempt}"), settings)
    assert provider.hits == 1


def test_a_jwt_signed_by_another_key_under_a_known_kid_is_refused(provider: KeyServer) -> None:
    provider.keys = [jwk(rsa_key(), "k")]
    assert "Signature verification failed" in refused_now(
        signed(rsa_key(), "k"), settings_for(provider)
    )


def test_issuer_audience_lifetime_and_kid_are_checked(provider: KeyServer) -> None:
    signer = ec_key()
    provider.keys = [jwk(signer, "k")]
    settings = settings_for(provider)
    now = dt.datetime.now(dt.UTC)
    assert "issuer" in refused_now(signed(signer, "k", iss="https://evil.example"), settings)
    assert "Audience" in refused_now(signed(signer, "k", aud="another-app"), settings)
    assert "expired" in refused_now(
        signed(signer, "k", exp=now - dt.timedelta(seconds=5)), settings
    )
    too_long = signed(signer, "k", exp=now + dt.timedelta(days=2))
    assert "GUANXI_JWT_MAX_LIFETIME" in refused_now(too_long, settings)
    no_kid = jwt.encode(claims(), signer, algorithm="ES256")
    assert "names no key" in refused_now(no_kid, settings)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _hs256(secret: bytes, header: dict[str, Any], payload: dict[str, Any]) -> str:
    """An HS256 JWT made by hand (PyJWT refuses to use a public key as an HMAC secret)."""
    body = {k: int(v.timestamp()) if isinstance(v, dt.datetime) else v for k, v in payload.items()}
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(body).encode())}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def test_algorithm_confusion_is_refused(provider: KeyServer) -> None:
    signer = rsa_key()
    public_pem = signer.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    provider.keys = [
        jwk(signer, "k"),
        {"kty": "oct", "k": _b64(b"s" * 32), "kid": "sym", "alg": "HS256", "use": "sig"},
    ]
    with_secret = settings_for(provider)
    without_secret = settings_for(provider, jwt_secret=None)
    # HS256 signed with the provider's public key (the classic confusion): HS256 is checked
    # against the shared secret only
    forged = _hs256(public_pem, {"alg": "HS256", "typ": "JWT", "kid": "k"}, claims())
    assert "Signature verification failed" in refused_now(forged, with_secret)
    assert "GUANXI_JWT_SECRET is unset" in refused_now(forged, without_secret)
    # HS256 with a symmetric key the JWKS publishes: not the shared secret either
    sym = _hs256(b"s" * 32, {"alg": "HS256", "typ": "JWT", "kid": "sym"}, claims())
    assert "invalid JWT" in refused_now(sym, with_secret)
    assert "GUANXI_JWT_SECRET is unset" in refused_now(sym, without_secret)
    # an asymmetric algorithm named on the symmetric key, or on a key of another algorithm
    assert "is for HS256" in refused_now(
        jwt.encode(claims(), ec_key(), algorithm="ES256", headers={"kid": "sym"}), with_secret
    )
    assert "is for RS256" in refused_now(
        jwt.encode(claims(), ec_key(), algorithm="ES256", headers={"kid": "k"}), with_secret
    )
    # unsigned, and algorithms outside both lists
    unsigned = jwt.encode(claims(), "", algorithm="none", headers={"kid": "k"})
    assert "'none' is not accepted" in refused_now(unsigned, with_secret)
    assert "GUANXI_JWT_SECRET" not in refused_now(unsigned, without_secret)
    hs512 = jwt.encode(claims(), "s" * 64, algorithm="HS512", headers={"kid": "sym"})
    assert "'HS512' is not accepted" in refused_now(hs512, with_secret)
    # and asymmetric JWTs where no JWKS is configured
    rs256 = signed(signer, "k")
    assert "GUANXI_JWT_JWKS_URL is unset" in refused_now(rs256, AUTH)
    assert provider.hits == 1


def test_an_unreachable_key_set_is_503_not_401(graph: Graph) -> None:
    """The credential may be good: the client is told to try again, not to sign in again."""
    with KeyServer() as provider:
        url = provider.url  # then nothing listens there
    settings = AuthSettings(jwt_jwks_url=url, jwt_issuer=ISSUER, jwt_audience=AUDIENCE)
    token = signed(rsa_key(), "k")
    with app_client(graph, settings) as client:
        response = client.post("/graphql", json={"query": COUNT}, headers=bearer(token))
        assert response.status_code == 503
        assert response.headers["retry-after"] == "5"
        error = response.json()["errors"][0]
        assert error["extensions"]["code"] == "UNAVAILABLE"
        assert "GUANXI_JWT_JWKS_URL" in error["message"] and url not in error["message"]


def test_a_failing_key_set_answers_503_at_once_for_a_while(provider: KeyServer) -> None:
    provider.status = 500
    settings = settings_for(provider)
    token = signed(rsa_key(), "k")
    for _ in range(3):
        with pytest.raises(Unavailable):
            authenticate_jwt(token, settings)
    assert provider.hits == 1  # the next try waits FETCH_RETRY_SECONDS


def test_keycloak_realm_roles_and_groups_as_nested_claims(provider: KeyServer) -> None:
    signer = rsa_key()
    provider.keys = [jwk(signer, "k")]
    settings = settings_for(provider, jwt_role_claim="realm_access.roles", jwt_teams_claim="groups")

    def principal(roles: list[Any], **more: Any) -> Principal:
        access = {"roles": roles}
        return authenticate_jwt(signed(signer, "k", realm_access=access, **more), settings)

    idp_roles = ["offline_access", "uma_authorization", "default-roles-acme"]
    assert principal([*idp_roles, "analyst"], groups=["north"]).role is Role.ANALYST
    assert principal(["viewer", "planner"]).role is Role.PLANNER  # viewer is in every role
    assert principal(["planner", "admin", "viewer"]).role is Role.ADMIN
    assert principal(["analyst"], groups="north").teams == frozenset({"north"})
    with pytest.raises(Unauthenticated, match="give it one role"):
        principal(["planner", "analyst"])
    with pytest.raises(Unauthenticated, match="none of the roles"):
        principal(idp_roles)
    with pytest.raises(Unauthenticated, match="no role"):
        authenticate_jwt(signed(signer, "k"), settings)  # `role` is not where we look


def test_settings_refuse_a_jwks_over_plain_http_or_without_issuer_and_audience() -> None:
    with pytest.raises(ValidationError, match="https"):
        AuthSettings(jwt_jwks_url="http://id.example.com/certs", jwt_issuer="i", jwt_audience="a")
    with pytest.raises(ValidationError, match="GUANXI_JWT_AUDIENCE"):
        AuthSettings(jwt_jwks_url="https://id.example.com/certs", jwt_issuer="i")
    loopback = AuthSettings(
        jwt_jwks_url="http://[::1]:8080/certs", jwt_issuer="i", jwt_audience="a"
    )
    assert loopback.jwt_jwks_url is not None


@pytest.mark.parametrize(
    ("teams", "expected"),
    [
        (["north", " east "], frozenset({"north", "east"})),
        ("north", frozenset({"north"})),
        (["north", "*"], None),
        ("*", None),
        ([], frozenset()),
        (["华北", "Key Accounts"], frozenset({"华北", "Key Accounts"})),
    ],
)
def test_the_teams_claim(teams: Any, expected: frozenset[str] | None) -> None:
    payload = {k: v for k, v in claims(teams=teams).items() if k not in ("iss", "aud")}
    token = jwt.encode(payload, shared_secret(), "HS256")
    assert authenticate_known(token, AUTH) == Principal(
        subject=claims()["sub"], role=Role.PLANNER, via="jwt", teams=expected
    )


@pytest.mark.parametrize(
    ("teams", "why"),
    [
        (7, "not a list of team names"),
        (["north", 7], "not a list of team names"),
        ({"north": True}, "not a list of team names"),
        ([""], "1 to 64 characters"),
        (["x" * 65], "1 to 64 characters"),
        (["north,east"], "no comma"),
        (["nor\tth"], "no comma or control character"),
        ([f"t{i}" for i in range(101)], "at most 100 teams"),
    ],
)
def test_a_bad_teams_claim_is_refused(teams: Any, why: str) -> None:
    token = issue_jwt("ana", Role.VIEWER, AUTH)
    payload = jwt.decode(token, options={"verify_signature": False}) | {"teams": teams}
    bad = jwt.encode(payload, shared_secret(), "HS256")
    with pytest.raises(Unauthenticated) as refusal:
        authenticate_known(bad, AUTH)
    message = refusal.value.message
    assert message.startswith("invalid JWT: its 'teams' claim") and why in message


def test_a_jwt_without_the_teams_claim_reaches_every_customer_unless_teams_are_required() -> None:
    token = issue_jwt("ana", Role.VIEWER, AUTH)
    principal = authenticate_known(token, AUTH)
    assert principal is not None and principal.teams is None and principal.sees_every_customer
    strict = AuthSettings(jwt_secret=AUTH.jwt_secret, jwt_teams_required=True)
    with pytest.raises(Unauthenticated, match="no 'teams' claim"):
        authenticate_known(token, strict)
    scoped = authenticate_known(
        issue_jwt("ana", Role.VIEWER, strict, teams=frozenset({"n"})), strict
    )
    assert scoped is not None and scoped.teams == frozenset({"n"})
