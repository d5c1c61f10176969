"""Access control: credentials (API tokens, JWTs) at the door, roles on every mutation."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import io
import logging
from collections.abc import Iterator
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import jwt
import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    Undefined,
    get_named_type,
    is_leaf_type,
)
from pydantic import SecretStr
from starlette.testclient import TestClient

import resolvers.auth
import server
from graph.auth import tokens
from graph.auth.credentials import (
    AuthSettings,
    authenticate,
    authenticate_known,
    issue_jwt,
    revoke_token,
)
from graph.auth.tokens import Role
from graph.db.connection import Graph
from graph.db.engine import BoltEndpoint
from graph.db.errors import InvalidInput, Unauthenticated
from graph.db.settings import ApiSettings
from graph.db.setup import count_nodes_and_edges
from resolvers.auth import connection_principal
from schema import schema
from seed.__main__ import main as seed_main
from server import create_app
from tests.conftest import AUTH, auth_headers, make_app

COUNT = "{ companies { totalCount } }"
ALL = frozenset(Role)
PLANNER = frozenset({Role.PLANNER, Role.ADMIN})
ADMIN = frozenset({Role.ADMIN})
ANALYST = frozenset({Role.ANALYST, Role.ADMIN})

# Who may call each mutation (the matrix of schema/auth.py, written out).
MUTATIONS: dict[str, frozenset[Role]] = {
    "createCompany": ADMIN,
    "updateCompany": ADMIN,
    "upsertCompany": ADMIN,
    "deleteCompany": ADMIN,
    "createPerson": ADMIN,
    "updatePerson": ADMIN,
    "upsertPerson": ADMIN,
    "deletePerson": ADMIN,
    "erasePerson": ADMIN,
    "restoreCompany": ADMIN,
    "revokeApiToken": ADMIN,
    "restorePerson": ADMIN,
    "createRole": PLANNER,
    "updateRole": PLANNER,
    "upsertRole": PLANNER,
    "deleteRole": ADMIN,
    "createRelationship": PLANNER,
    "updateRelationship": PLANNER,
    "upsertRelationship": PLANNER,
    "deleteRelationship": ADMIN,
    "createCompanyRelationship": PLANNER,
    "updateCompanyRelationship": PLANNER,
    "upsertCompanyRelationship": PLANNER,
    "deleteCompanyRelationship": ADMIN,
    "createReferral": ADMIN,
    "updateReferral": ADMIN,
    "upsertReferral": ADMIN,
    "deleteReferral": ADMIN,
    "recordDeal": ADMIN,
    "updateDeal": ADMIN,
    "deleteDeal": ADMIN,
    "logInteraction": PLANNER,
    "setReportingLine": PLANNER,
    "removeReportingLine": ADMIN,
    "importRecords": ADMIN,
}

_SCALARS: dict[str, Any] = {
    "ID": "no-such-id",
    "String": "x",
    "Int": 0,
    "Float": 0.0,
    "Boolean": False,
    "Date": "2024-01-02",
    "DateTime": "2024-01-02T03:04:05+00:00",
    "JSON": {},
}


def _value(type_: GraphQLInputType) -> Any:
    """A value of `type_` that passes variable coercion (required input fields only)."""
    if isinstance(type_, GraphQLNonNull):
        return _value(type_.of_type)
    if isinstance(type_, GraphQLList):
        return []
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    if isinstance(type_, GraphQLScalarType):
        return _SCALARS[type_.name]
    assert isinstance(type_, GraphQLInputObjectType)
    return {
        name: _value(field.type)
        for name, field in type_.fields.items()
        if isinstance(field.type, GraphQLNonNull) and field.default_value is Undefined
    }


def _operation(name: str) -> tuple[str, dict[str, Any]]:
    """A call of mutation `name` with every required argument, as a document and variables."""
    mutation_type = schema._schema.mutation_type
    assert mutation_type is not None
    field = mutation_type.fields[name]
    required = {
        arg: type_.type
        for arg, type_ in field.args.items()
        if isinstance(type_.type, GraphQLNonNull)
    }
    declared = ", ".join(f"${arg}: {type_}" for arg, type_ in required.items())
    passed = ", ".join(f"{arg}: ${arg}" for arg in required)
    selection = "" if is_leaf_type(get_named_type(field.type)) else " { __typename }"
    head = f"mutation ({declared})" if declared else "mutation"
    call = f"{name}({passed})" if passed else name
    return f"{head} {{ {call}{selection} }}", {a: _value(t) for a, t in required.items()}


def _codes(body: dict[str, Any]) -> set[str]:
    return {e.get("extensions", {}).get("code") for e in body.get("errors") or []}


def test_the_matrix_names_every_mutation() -> None:
    mutation_type = schema._schema.mutation_type
    assert mutation_type is not None
    assert set(mutation_type.fields) == set(MUTATIONS)


def test_every_role_against_every_mutation(client: TestClient) -> None:
    refused: dict[Role, set[str]] = {role: set() for role in Role}
    for name, allowed in MUTATIONS.items():
        query, variables = _operation(name)
        for role in Role:
            response = client.post(
                "/graphql",
                json={"query": query, "variables": variables},
                headers=auth_headers(role),
            )
            assert response.status_code == 200, response.text
            codes = _codes(response.json())
            assert "UNAUTHENTICATED" not in codes, (name, role, codes)
            if "FORBIDDEN" in codes:
                refused[role].add(name)
            if role in allowed:
                assert "FORBIDDEN" not in codes, (name, role, response.json())
            else:
                assert codes == {"FORBIDDEN"}, (name, role, response.json())
    assert refused[Role.VIEWER] == refused[Role.ANALYST] == set(MUTATIONS)
    assert refused[Role.ADMIN] == set()
    assert refused[Role.PLANNER] == {n for n, a in MUTATIONS.items() if Role.PLANNER not in a}


def test_network_measures_are_for_analysts_and_admins(client: TestClient) -> None:
    query = "{ networkMeasures(network: RELATIONSHIPS) { nodeCount } }"
    for role in Role:
        response = client.post("/graphql", json={"query": query}, headers=auth_headers(role))
        body = response.json()
        if role in ANALYST:
            assert "errors" not in body, body
            assert body["data"]["networkMeasures"]["nodeCount"] == 0
        else:
            assert _codes(body) == {"FORBIDDEN"}, body
            assert "analyst" in body["errors"][0]["message"]


def test_every_role_reads(client: TestClient) -> None:
    for role in Role:
        response = client.post("/graphql", json={"query": COUNT}, headers=auth_headers(role))
        assert response.json() == {"data": {"companies": {"totalCount": 0}}}


def _unauthenticated(client: TestClient, headers: dict[str, str]) -> str:
    response = client.post("/graphql", json={"query": COUNT}, headers=headers)
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"].startswith("Bearer")
    body = response.json()
    assert _codes(body) == {"UNAUTHENTICATED"}
    assert "data" not in body
    message: str = body["errors"][0]["message"]
    return message


@pytest.fixture
def anonymous(graph: Graph) -> Iterator[TestClient]:
    """A client sending no credential unless a request gives one."""
    with TestClient(make_app(graph)) as test_client:
        yield test_client


def test_no_credential_is_401_but_health_checks_and_the_ide_answer(anonymous: TestClient) -> None:
    assert "missing credential" in _unauthenticated(anonymous, {})
    assert "Bearer" in _unauthenticated(anonymous, {"Authorization": "Basic dXNlcjpwYXNz"})
    assert anonymous.get("/graphql", params={"query": COUNT}).status_code == 401
    assert anonymous.get("/healthz").status_code == 200
    page = anonymous.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()


@pytest.mark.parametrize(
    "query_string",
    ["%71uery={COUNT}", "que%72y={COUNT}", "query={COUNT}&x=1", "x=1&query={COUNT}"],
)
@pytest.mark.parametrize("accept", ["text/html", "text/html, application/json", "*/*"])
def test_a_query_in_the_url_is_never_run_without_a_credential(
    anonymous: TestClient, query_string: str, accept: str
) -> None:
    """However the `query` parameter is spelled (percent-encoded, among others), a browser-like
    GET without a credential gets the IDE page or a 401, never data."""
    url = "/graphql?" + query_string.replace("{COUNT}", COUNT)
    response = anonymous.get(url, headers={"Accept": accept})
    assert "totalCount" not in response.text
    assert response.status_code == 401 or "graphiql" in response.text.lower()


def test_the_graphql_view_refuses_to_run_anything_without_a_principal(
    anonymous: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Behind the middleware, a second guard: were the middleware to take any GET for the IDE
    page and let it through, the query would still not run without a credential."""
    monkeypatch.setattr(resolvers.auth, "_is_ide_page", lambda scope, headers: True)
    response = anonymous.get("/graphql", params={"query": COUNT})
    assert response.status_code == 401
    assert "totalCount" not in response.text
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_api_tokens_are_accepted_until_revoked(anonymous: TestClient, graph: Graph) -> None:
    nodes_before = count_nodes_and_edges(graph)
    token, secret = tokens.create_token(graph, name="crm-sync", role=Role.VIEWER)
    assert count_nodes_and_edges(graph) == nodes_before  # tokens are not business data
    headers = {"Authorization": f"Bearer {secret}"}
    ok = anonymous.post("/graphql", json={"query": COUNT}, headers=headers)
    assert ok.json() == {"data": {"companies": {"totalCount": 0}}}
    refused = anonymous.post(
        "/graphql", json={"query": 'mutation { deleteDeal(id: "d") }'}, headers=headers
    )
    assert _codes(refused.json()) == {"FORBIDDEN"}
    assert "unknown" in _unauthenticated(anonymous, {"Authorization": f"Bearer {secret}x"})
    assert "unknown" in _unauthenticated(anonymous, {"Authorization": "Bearer gx_guess"})
    revoke_token(graph, token.id)
    assert "revoked" in _unauthenticated(anonymous, headers)


def test_jwts_are_checked(anonymous: TestClient) -> None:
    def call(token: str) -> Any:
        return anonymous.post(
            "/graphql", json={"query": COUNT}, headers={"Authorization": f"Bearer {token}"}
        )

    assert call(issue_jwt("ana", Role.ANALYST, AUTH)).status_code == 200
    expired = issue_jwt("ana", Role.ANALYST, AUTH, lifetime=dt.timedelta(seconds=-5))
    assert "expired" in _unauthenticated(anonymous, {"Authorization": f"Bearer {expired}"})
    other = AuthSettings(jwt_secret=SecretStr("another-secret-" + "y" * 32))
    forged = issue_jwt("ana", Role.ADMIN, other)
    assert "invalid JWT" in _unauthenticated(anonymous, {"Authorization": f"Bearer {forged}"})
    secret = AUTH.jwt_secret
    assert secret is not None
    now = dt.datetime.now(dt.UTC)
    for claims in (
        {"sub": "ana", "exp": now + dt.timedelta(hours=1)},  # no role
        {"sub": "ana", "role": "root", "exp": now + dt.timedelta(hours=1)},  # no such role
        {"sub": "ana", "role": "admin"},  # no expiry
    ):
        token = jwt.encode(claims, secret.get_secret_value(), algorithm="HS256")
        assert "invalid JWT" in _unauthenticated(anonymous, {"Authorization": f"Bearer {token}"})
    unsigned = jwt.encode({"sub": "ana", "role": "admin", "exp": now}, "", algorithm="none")
    assert "invalid JWT" in _unauthenticated(anonymous, {"Authorization": f"Bearer {unsigned}"})


def test_jwts_living_past_the_maximum_lifetime_are_refused(anonymous: TestClient) -> None:
    """A JWT with `exp` in year 9999 was accepted: one whose `exp - iat` (or, without `iat`,
    `exp - now`) is over GUANXI_JWT_MAX_LIFETIME (a day by default) is refused now."""
    assert AUTH.jwt_max_lifetime == 86_400
    secret = AUTH.jwt_secret
    assert secret is not None
    now = dt.datetime.now(dt.UTC)
    far = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)
    day = dt.timedelta(days=1)
    for claims in (
        {"sub": "ana", "role": "admin", "exp": far},  # no iat
        {"sub": "ana", "role": "admin", "iat": now, "exp": far},
        {"sub": "ana", "role": "admin", "iat": now, "exp": now + day + dt.timedelta(seconds=5)},
        {"sub": "ana", "role": "admin", "exp": now + day + dt.timedelta(minutes=5)},
    ):
        token = jwt.encode(claims, secret.get_secret_value(), algorithm="HS256")
        refused = _unauthenticated(anonymous, {"Authorization": f"Bearer {token}"})
        assert "GUANXI_JWT_MAX_LIFETIME" in refused, claims
    for claims in (
        {"sub": "ana", "role": "admin", "iat": now, "exp": now + day},
        {"sub": "ana", "role": "admin", "exp": now + day - dt.timedelta(minutes=5)},
    ):
        token = jwt.encode(claims, secret.get_secret_value(), algorithm="HS256")
        response = anonymous.post(
            "/graphql", json={"query": COUNT}, headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 200, claims
    assert issue_jwt("ana", Role.ADMIN, AUTH, lifetime=day)  # the benchmarks' lifetime
    with pytest.raises(ValueError, match="jwt_max_lifetime"):
        AuthSettings(jwt_max_lifetime=0)


def test_jwt_issuer_and_audience_when_set(graph: Graph) -> None:
    strict = AuthSettings(
        jwt_secret=AUTH.jwt_secret, jwt_issuer="https://id.example", jwt_audience="guanxi"
    )
    app = create_app(lambda: contextlib.nullcontext(graph), demo_data=False, auth=strict)
    with TestClient(app) as strict_client:
        good = issue_jwt("ana", Role.VIEWER, strict)
        response = strict_client.post(
            "/graphql", json={"query": COUNT}, headers={"Authorization": f"Bearer {good}"}
        )
        assert response.status_code == 200
        loose = issue_jwt("ana", Role.VIEWER, AUTH)  # neither issuer nor audience
        assert "invalid JWT" in _unauthenticated(
            strict_client, {"Authorization": f"Bearer {loose}"}
        )


def test_a_short_jwt_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 32"):
        AuthSettings(jwt_secret=SecretStr("short"))


def _seed(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with redirect_stdout(out):
        code = seed_main(list(argv))
    return code, out.getvalue()


def test_token_command_line(
    anonymous: TestClient,
    graph: Graph,
    engine_endpoint: BoltEndpoint,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`python -m seed token ...` against the test engine, as NEO4J_URI would point it."""
    endpoint = engine_endpoint
    settings = endpoint.neo4j_settings()
    monkeypatch.setenv("NEO4J_URI", endpoint.uri)
    monkeypatch.setenv("NEO4J_USERNAME", settings.username)
    monkeypatch.setenv("NEO4J_PASSWORD", settings.password.get_secret_value())
    monkeypatch.setenv("NEO4J_DATABASE", settings.database)

    code, out = _seed("token", "create", "--name", "planning-app", "--role", "planner")
    assert code == 0, out
    secret = out.strip().splitlines()[-1]
    assert secret.startswith("gx_")
    headers = {"Authorization": f"Bearer {secret}"}
    call = anonymous.post("/graphql", json={"query": COUNT}, headers=headers)
    assert call.status_code == 200

    code, out = _seed("token", "list")
    assert code == 0 and "planning-app" in out and "planner" in out and "live" in out
    assert secret not in out  # the secret is shown once, never listed
    assert authenticate(graph, secret, AUTH).teams is None  # no --teams: every customer

    code, out = _seed(
        "token", "create", "--name", "north-desk", "--role", "viewer", "--teams", "north, east"
    )
    assert code == 0 and "teams east,north" in out, out
    scoped = authenticate(graph, out.strip().splitlines()[-1], AUTH)
    assert scoped.teams == frozenset({"north", "east"})
    listed = [line for line in _seed("token", "list")[1].splitlines() if "north-desk" in line]
    assert len(listed) == 1 and "teams east,north" in listed[0]
    for bad in ("", "north,,east", "x" * 65):
        assert _seed("token", "create", "--name", "bad", "--role", "viewer", "--teams", bad)[0] == 2

    assert _seed("token", "create", "--name", "planning-app", "--role", "viewer")[0] == 2
    code, out = _seed("token", "revoke", "planning-app")
    assert code == 0 and "revoked" in out
    assert "revoked" in _seed("token", "list")[1]
    assert _seed("token", "revoke", "planning-app")[0] == 2  # nothing live by that name
    _unauthenticated(anonymous, headers)


def test_the_development_token_is_kept_and_reused(graph: Graph, tmp_path: Path) -> None:
    keep = tmp_path / "dev-token"
    first = tokens.development_token(graph, keep)
    assert keep.read_text().strip() == first
    assert tokens.development_token(graph, keep) == first
    found = tokens.token_for_secret(graph, first)
    assert found is not None and found.role is Role.ADMIN
    keep.write_text("gx_lost\n")
    second = tokens.development_token(graph, keep)
    assert second != first and tokens.token_for_secret(graph, first) is None
    live = [t for t in tokens.list_tokens(graph) if t.revoked_at is None]
    assert [t.name for t in live] == ["development"]


@pytest.mark.parametrize("mode", ["production", "demo"])
def test_production_mode_makes_and_logs_no_development_token(
    graph: Graph,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    mode: str,
) -> None:
    """Finding 5: with GUANXI_MODE=production the embedded engine still made the development
    admin token and logged its secret and a /map/#token=... link at every start. Production
    makes and logs none (demo mode still does: the same start-up, the other mode)."""

    @contextlib.contextmanager
    def embedded_engine() -> Iterator[Graph]:  # open_graph with NEO4J_URI unset, on the test graph
        yield graph

    monkeypatch.setattr(server, "open_graph", embedded_engine)
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("GUANXI_MODE", mode)
    monkeypatch.setenv("GUANXI_DATA_DIR", str(tmp_path))
    caplog.set_level(logging.INFO, logger="guanxi")
    with TestClient(server.create_app(embedded_engine, demo_data=False, auth=AUTH)):
        pass
    live = [t.name for t in tokens.list_tokens(graph) if t.revoked_at is None]
    logged = caplog.text
    if mode == "production":
        assert live == []
        assert not (tmp_path / "dev-token").exists()
        assert "development admin token" not in logged and "#token=" not in logged
    else:
        assert live == ["development"]
        secret = (tmp_path / "dev-token").read_text().strip()
        assert "development admin token" in logged and f"#token={secret}" in logged


def test_production_mode_refuses_an_explicit_development_token(graph: Graph) -> None:
    """Finding 5: asking for a development token in production mode is a configuration error
    at once, not a token made anyway nor a request silently dropped."""
    with pytest.raises(ValueError, match="GUANXI_MODE=demo"):
        server.create_app(
            lambda: contextlib.nullcontext(graph),
            settings=ApiSettings(mode="production"),
            dev_token=True,
        )


def test_a_websocket_can_authenticate_in_connection_init(graph: Graph) -> None:
    token = issue_jwt("ana", Role.ANALYST, AUTH)
    payload = {"Authorization": f"Bearer {token}"}
    principal = asyncio.run(connection_principal(graph, payload, AUTH))
    assert (principal.subject, principal.role, principal.via) == ("ana", Role.ANALYST, "jwt")
    for bad in (None, {}, {"Authorization": "Bearer gx_unknown"}):
        with pytest.raises(Unauthenticated):
            asyncio.run(connection_principal(graph, bad, AUTH))


def test_revoking_by_a_key_that_is_one_tokens_id_and_anothers_name_revokes_the_first_only(
    graph: Graph,
) -> None:
    alpha, _ = tokens.create_token(graph, name="alpha", role=Role.VIEWER)
    named_like_it, secret = tokens.create_token(graph, name=alpha.id, role=Role.VIEWER)
    assert revoke_token(graph, alpha.id).id == alpha.id
    live = {t.id for t in tokens.list_tokens(graph) if t.revoked_at is None}
    assert named_like_it.id in live and alpha.id not in live
    assert tokens.token_for_secret(graph, secret) is not None
    assert revoke_token(graph, alpha.id).id == named_like_it.id  # then by name


def test_revoke_api_token_through_the_api(client: TestClient, graph: Graph) -> None:
    made, secret = tokens.create_token(graph, name="field-laptop", role=Role.VIEWER)
    mine = {"Authorization": f"Bearer {secret}"}
    assert (
        client.post("/graphql", json={"query": "{ __typename }"}, headers=mine).status_code == 200
    )
    revoke = "mutation ($t: String!) { revokeApiToken(token: $t) { id name revokedAt } }"
    body = client.post("/graphql", json={"query": revoke, "variables": {"t": "field-laptop"}})
    answer = body.json()["data"]["revokeApiToken"]
    assert answer["id"] == made.id and answer["revokedAt"]
    assert (
        client.post("/graphql", json={"query": "{ __typename }"}, headers=mine).status_code == 401
    )
    again = client.post("/graphql", json={"query": revoke, "variables": {"t": "field-laptop"}})
    [error] = again.json()["errors"]
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert error["message"].startswith("no live token with name or id 'field-laptop'")
    huge = client.post("/graphql", json={"query": revoke, "variables": {"t": "x" * 1_000_000}})
    [error] = huge.json()["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and len(error["message"]) < 200


def test_api_tokens_carry_their_teams_into_the_principal(graph: Graph) -> None:
    """A token's teams (set at creation; none: every customer) land in Principal.teams, also
    when the principal comes from the token cache."""
    scoped, secret = tokens.create_token(
        graph, name="north-desk", role=Role.PLANNER, teams=frozenset({"north", " east"})
    )
    assert scoped.teams == frozenset({"north", "east"})
    first = authenticate(graph, secret, AUTH)
    assert (first.subject, first.via, first.teams) == ("north-desk", "token", scoped.teams)
    assert not first.sees_every_customer
    assert authenticate_known(secret, AUTH) == first  # from the cache, teams and all
    everyone, other = tokens.create_token(graph, name="hq", role=Role.VIEWER)
    assert everyone.teams is None and authenticate(graph, other, AUTH).sees_every_customer
    starred, _ = tokens.create_token(
        graph, name="star", role=Role.VIEWER, teams=frozenset({"*", "north"})
    )
    assert starred.teams is None
    listed = {t.name: t.teams for t in tokens.list_tokens(graph)}
    assert listed == {"north-desk": frozenset({"north", "east"}), "hq": None, "star": None}
    for bad, why in (
        (frozenset(), "at least one team"),
        (frozenset({""}), "1 to 64"),
        (frozenset({"a,b"}), "no comma"),
        (frozenset(f"t{i}" for i in range(101)), "at most 100"),
    ):
        with pytest.raises(InvalidInput, match=why) as refusal:
            tokens.create_token(graph, name="bad", role=Role.VIEWER, teams=bad)
        assert refusal.value.field == "teams"
    assert "bad" not in {t.name for t in tokens.list_tokens(graph)}  # nothing written
