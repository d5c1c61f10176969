"""Limits: depth, aliases, tokens, cost, `first`, circular fragments, the transaction timeout,
and production against demo mode (introspection, suggestions, the IDE)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import re
import time
from pathlib import Path
from typing import Any

import graphql
import pytest
import strawberry
from graphql import GraphQLError
from starlette.testclient import TestClient

from graph.cypher.db import admin
from graph.db.connection import Graph
from graph.db.engine import set_command_timeout
from graph.db.errors import TimedOut
from graph.db.settings import ApiSettings
from graph.db.setup import count_nodes_and_edges
from resolvers.context import Context
from schema import build_schema, schema
from schema.errors import ErrorCodes
from schema.limits import LIST_SIZES, WEIGHTS, estimate_cost
from server import create_app
from tests.conftest import STATEMENTS, error, gql

ROOT = Path(__file__).resolve().parents[2]
ROOMY = {"max_depth": 100, "max_aliases": 1000, "max_tokens": 100_000, "max_cost": 10**9}


@functools.cache
def _schema(mode: str, limits: tuple[tuple[str, int], ...]) -> strawberry.Schema:
    return build_schema(ApiSettings(mode=mode, **{**ROOMY, **dict(limits)}))  # type: ignore[arg-type]


def run(
    graph: Graph,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    mode: str = "demo",
    **limits: int,
) -> dict[str, Any]:
    """Execute against a schema built with these settings (all other limits roomy)."""
    chosen = _schema(mode, tuple(sorted(limits.items())))
    result = asyncio.run(
        chosen.execute(query, variable_values=variables, context_value=Context(graph=graph))
    )
    body: dict[str, Any] = {"data": result.data}
    if result.errors:
        body["errors"] = [e.formatted for e in result.errors]
    return body


def refused(body: dict[str, Any], setting: str) -> str:
    """The message of the one LIMIT_EXCEEDED error naming `setting`."""
    assert body.get("errors"), body
    assert len(body["errors"]) == 1, body["errors"]
    (only,) = body["errors"]
    assert only["extensions"] == {"code": "LIMIT_EXCEEDED", "limit": setting}, only
    assert setting in only["message"]
    message: str = only["message"]
    return message


def passed(body: dict[str, Any]) -> None:
    assert "errors" not in body, body["errors"]


# depth ---------------------------------------------------------------------------------------

FIVE_DEEP = "{ companies { nodes { people { person { name } } } } }"


def test_depth_at_the_limit_passes_and_one_more_is_refused(graph: Graph) -> None:
    passed(run(graph, FIVE_DEEP, max_depth=5))
    message = refused(run(graph, FIVE_DEEP, max_depth=4), "GUANXI_MAX_DEPTH")
    assert "5 fields deep" in message and "limit of 4" in message


def test_depth_counts_through_fragments_but_not_typename(graph: Graph) -> None:
    query = """
    { companies { nodes { ...Staff } } }
    fragment Staff on Company { people { ... on Role { person { name __typename } } } }
    """
    passed(run(graph, query, max_depth=5))
    refused(run(graph, query, max_depth=4), "GUANXI_MAX_DEPTH")


def test_default_depth_limit_through_the_api(client: TestClient) -> None:
    nested = "name"
    for _ in range(7):  # two levels a round: 16 deep with `person` and `name`
        nested = f"relationships {{ fromPerson {{ {nested} }} }}"
    found = error(client, f'{{ person(id: "p") {{ {nested} }} }}')
    assert found["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert "16 fields deep, over the limit of 15 (GUANXI_MAX_DEPTH)" in found["message"]


# aliases -------------------------------------------------------------------------------------


def test_aliases_at_the_limit_pass_and_one_more_is_refused(graph: Graph) -> None:
    query = "{ a: companies { totalCount } b: companies { n: totalCount } }"
    passed(run(graph, query, max_aliases=3))
    message = refused(run(graph, query, max_aliases=2), "GUANXI_MAX_ALIASES")
    assert "3 aliases" in message


def test_aliases_in_fragments_count_each_time_they_are_spread(graph: Graph) -> None:
    query = """
    { companies { ...Counts } people { ... on PersonConnection { m: totalCount } } ...Again }
    fragment Counts on CompanyConnection { n: totalCount t: totalCount }
    fragment Again on Query { companies { ...Counts } }
    """
    passed(run(graph, query, max_aliases=5))
    assert "5 aliases" in refused(run(graph, query, max_aliases=4), "GUANXI_MAX_ALIASES")


def test_fragments_spread_twice_at_every_level_are_counted_without_walking_them_all(
    graph: Graph,
) -> None:
    levels = 40  # 2**39 spreads of the last fragment: only memoised walks finish
    fragments = [f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels - 1)]
    fragments.append(f"fragment F{levels - 1} on Query {{ a: __typename }}")
    query = "{ ...F0 }\n" + "\n".join(fragments)
    started = time.perf_counter()
    message = refused(run(graph, query, max_aliases=1000), "GUANXI_MAX_ALIASES")
    assert time.perf_counter() - started < 10
    assert f"{2 ** (levels - 1)} aliases" in message


def test_fragments_nested_hundreds_deep_are_refused_not_an_internal_error(graph: Graph) -> None:
    chain = [f"fragment F{i} on Query {{ ...F{i + 1} }}" for i in range(1200)]
    query = "{ ...F0 } " + " ".join(chain) + " fragment F1200 on Query { __typename }"
    errors = run(graph, query)["errors"]
    assert {
        "message": "fragments are nested too deeply to check (GUANXI_MAX_DEPTH)",
        "locations": [{"line": 1, "column": 1}],
        "extensions": {"code": "LIMIT_EXCEEDED", "limit": "GUANXI_MAX_DEPTH"},
    } in errors
    assert all(e["extensions"]["code"] != "INTERNAL" for e in errors)


# tokens --------------------------------------------------------------------------------------


def _tokens(query: str) -> int:
    """The number of tokens graphql-core counts in `query` (the least max_tokens it parses at)."""
    for count in range(1, 1000):
        with contextlib.suppress(GraphQLError):
            graphql.parse(query, max_tokens=count)
            return count
    raise AssertionError("more than 1000 tokens")


def test_tokens_at_the_limit_pass_and_one_more_is_refused(graph: Graph) -> None:
    query = "{ companies(first: 2) { totalCount nodes { name } } }"
    count = _tokens(query)
    passed(run(graph, query, max_tokens=count))
    message = refused(run(graph, query, max_tokens=count - 1), "GUANXI_MAX_TOKENS")
    assert f"more than {count - 1} tokens" in message


def test_default_token_limit_through_the_api(client: TestClient) -> None:
    found = error(client, "{ " + "__typename " * 5001 + "}")
    assert found["extensions"] == {"code": "LIMIT_EXCEEDED", "limit": "GUANXI_MAX_TOKENS"}


def test_a_syntax_error_has_a_code(client: TestClient) -> None:
    found = error(client, "{ companies { ")
    assert found["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    assert found["message"].startswith("Syntax Error")


# cost ----------------------------------------------------------------------------------------

PAGED = "query ($n: Int = 2) { companies(first: $n) { nodes { name people { title } } } }"


def test_cost_is_list_sizes_times_nesting() -> None:
    core = schema._schema
    # companies 1 + nodes (1 + 5 * (name 1 + people (1 + 200 * title 1))) = 1,012: a company's
    # people, a list without a page, count at their documented size (LIST_SIZES)
    literal = "{ companies(first: 5) { nodes { name people { title } } } }"
    assert estimate_cost(core, graphql.parse(literal)) == 1012
    assert estimate_cost(core, graphql.parse(PAGED), {"n": 5}) == 1012
    assert estimate_cost(core, graphql.parse(PAGED)) == 2 + 2 * 202  # the variable's default
    # no `first`: the default page of 20; `edges` counts like `nodes`; pageInfo is no list
    unpaged = "{ companies { edges { node { name } } pageInfo { hasNextPage } } }"
    assert estimate_cost(core, graphql.parse(unpaged)) == 1 + (1 + 20 * 2) + 2
    # a list with its own size argument (and a weight: WEIGHTS), and the size capped at the
    # page maximum
    referrers = "{ topReferrers(limit: 3) { rank } }"
    assert estimate_cost(core, graphql.parse(referrers)) == 4 + WEIGHTS["Query", "topReferrers"]
    capped = "{ companies(first: 1000000000) { nodes { name } } }"
    assert estimate_cost(core, graphql.parse(capped)) == 2 + 100


def test_a_size_sent_as_a_float_counts_as_its_value_or_the_cap() -> None:
    """Finding 6: `first` sent as 100.0 was estimated as a page of 20, and ran as 100."""
    core = schema._schema
    query = graphql.parse("query ($n: Int) { companies(first: $n) { nodes { name } } }")
    assert estimate_cost(core, query, {"n": 100.0}) == 2 + 100
    assert estimate_cost(core, query, {"n": 7.0}) == 2 + 7
    assert estimate_cost(core, query, {"n": "many"}) == 2 + 100  # refused later; counted high
    assert estimate_cost(core, query, {}) == 2 + 20  # absent: the default page


def test_unpaged_lists_of_records_count_at_their_documented_size() -> None:
    """Finding 2: lists without a page counted as 20 items, a hub's relationships are 392."""
    core = schema._schema
    hub = """{ person(id: "p") { relationships { toPerson { relationships {
        toPerson { relationships { strength } } } } } } }"""
    per = LIST_SIZES["Person", "relationships"]
    assert per >= 100
    assert estimate_cost(core, graphql.parse(hub)) == 1 + 1 + per * (1 + 1 + per * (2 + per))
    # current roles only is a short list; with the past ones (the default) a longer one
    current = '{ person(id: "p") { roles(includePast: false) { title } } }'
    every = '{ person(id: "p") { roles { title } } }'
    assert estimate_cost(core, graphql.parse(current)) < estimate_cost(core, graphql.parse(every))


def test_path_searches_cost_more_with_each_hop() -> None:
    """Finding 3: heavy fields were nearly free; a path search's work grows with its hops."""
    core = schema._schema

    def best(hops: int) -> int:
        query = f'{{ bestIntroductions(toPersonId: "p", maxHops: {hops}) {{ strength }} }}'
        return estimate_cost(core, graphql.parse(query))

    assert best(2) > WEIGHTS["Query", "bestIntroductions"]
    assert best(3) - best(2) == WEIGHTS["Query", "bestIntroductions"]
    assert best(4) - best(3) == 2 * WEIGHTS["Query", "bestIntroductions"]


def test_the_probe_s_queries_are_refused_before_they_run(client: TestClient) -> None:
    """Findings 2 and 3: the hub's nested relationships and 8 aliased 4-hop introductions."""
    hub = """{ person(id: "p") { relationships { toPerson { relationships {
        toPerson { relationships { strength } } } } } } }"""
    aliased = " ".join(
        f'i{n}: bestIntroductions(toPersonId: "p", maxHops: 4, first: 20) {{ strength }}'
        for n in range(8)
    )
    for query in (hub, f"{{ {aliased} }}"):
        found = error(client, query)
        assert found["extensions"] == {"code": "LIMIT_EXCEEDED", "limit": "GUANXI_MAX_COST"}


def test_the_map_page_s_own_queries_stay_within_the_default_cost() -> None:
    """The cost model refuses what the key-person map itself asks of a 200-person customer."""
    queries = (ROOT / "ui" / "src" / "queries.js").read_text()
    documents = re.findall(r"`\s*(query [^`]*)`", queries)
    assert len(documents) >= 5
    for document in documents:
        assert estimate_cost(schema._schema, graphql.parse(document)) <= ApiSettings().max_cost


def test_cost_at_the_limit_passes_and_one_more_is_refused(graph: Graph) -> None:
    passed(run(graph, PAGED, {"n": 5}, max_cost=1012))
    message = refused(run(graph, PAGED, {"n": 5}, max_cost=1011), "GUANXI_MAX_COST")
    assert "1,012, over the limit of 1,011" in message
    passed(run(graph, PAGED, {"n": 2}, max_cost=1011))  # the same document, a smaller page


def test_default_cost_limit_through_the_api(client: TestClient) -> None:
    query = """{ companies(first: 100) { nodes { people { person {
        relationships { toPerson { roles { title } } } } } } } }"""
    found = error(client, query)
    assert found["extensions"] == {"code": "LIMIT_EXCEEDED", "limit": "GUANXI_MAX_COST"}


def test_first_beyond_the_cap_is_bad_input_naming_the_cap(client: TestClient) -> None:
    found = error(client, "{ companies(first: 1000000000) { nodes { name } } }")
    assert found["extensions"] == {"code": "BAD_USER_INPUT", "field": "first"}
    assert "between 0 and 100" in found["message"]


# circular fragments --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "{ ...A } fragment A on Query { companies { totalCount } ...A }",
        "{ ...A } fragment A on Query { ...B } fragment B on Query { a: __typename ...A }",
        "{ companies { nodes { ...C } } }"
        " fragment C on Company { name people { company { ...C } } }",
    ],
)
def test_circular_fragments_are_refused_quickly(graph: Graph, query: str) -> None:
    started = time.perf_counter()
    body = run(graph, query, max_depth=3, max_aliases=0, max_cost=10)
    assert time.perf_counter() - started < 5
    codes = {e["extensions"]["code"] for e in body["errors"]}
    assert "GRAPHQL_VALIDATION_FAILED" in codes
    assert any("within itself" in e["message"] for e in body["errors"])


def test_circular_fragment_through_the_api(client: TestClient) -> None:
    body = gql(client, "{ ...A } fragment A on Query { ...A }")
    assert [e["extensions"]["code"] for e in body["errors"]] == ["GRAPHQL_VALIDATION_FAILED"]


# the transaction timeout ---------------------------------------------------------------------


def test_a_statement_past_the_timeout_is_stopped_in_the_database(engine_graph: Graph) -> None:
    graph = Graph(engine_graph.driver, engine_graph.database, tx_timeout=2)
    graph.listeners.append(STATEMENTS)
    set_command_timeout(2)
    try:
        # 10,000 rows: well within the limit
        assert graph.read(admin.SLOW_CROSS_PRODUCT, n=100) == [{"rows": 10_000}]
        started = time.perf_counter()
        with pytest.raises(TimedOut) as timed_out:
            # 10**10 rows: hours unless the engine stops it
            graph.read(admin.SLOW_CROSS_PRODUCT, n=100_000)
        elapsed = time.perf_counter() - started
    finally:
        set_command_timeout(0)  # as the session's engine was started
    assert 2 <= elapsed < 6, f"the statement ran {elapsed:.1f} s"
    assert timed_out.value.code == "TIMEOUT"
    assert "2 s limit (GUANXI_TX_TIMEOUT)" in timed_out.value.message
    count_nodes_and_edges(graph)  # the engine answers the next statement


def test_a_timeout_reaches_the_client_as_timeout_not_internal() -> None:
    timed_out = TimedOut("the query ran longer than the 1 s limit (GUANXI_TX_TIMEOUT)")
    wrapped = GraphQLError("x", original_error=timed_out, path=["people"])
    (shown,) = ErrorCodes().process([wrapped])
    assert shown.extensions == {"code": "TIMEOUT"}
    assert shown.message == timed_out.message


# production and demo -------------------------------------------------------------------------

INTROSPECTION = "{ __schema { queryType { name } } }"


def test_production_turns_introspection_off_and_demo_keeps_it(graph: Graph) -> None:
    demo = run(graph, INTROSPECTION, mode="demo")
    assert demo["data"] == {"__schema": {"queryType": {"name": "Query"}}}
    production = run(graph, INTROSPECTION, mode="production")
    assert production["data"] is None
    assert all(e["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED" for e in production["errors"])
    assert "introspection has been disabled" in production["errors"][0]["message"]
    passed(run(graph, "{ __typename }", mode="production"))


@pytest.mark.parametrize(
    ("query", "variables", "suggestion"),
    [
        ("{ companys { totalCount } }", None, "Did you mean 'company' or 'companies'?"),
        (
            "query ($t: PersonTier!) { recentMoves(minTier: $t) { __typename } }",
            {"t": "FREIND"},
            "Did you mean the enum value 'FRIEND'?",
        ),
    ],
)
def test_production_hides_suggestions_and_demo_shows_them(
    graph: Graph, query: str, variables: dict[str, Any] | None, suggestion: str
) -> None:
    (demo,) = run(graph, query, variables, mode="demo")["errors"]
    assert demo["message"].endswith(suggestion)
    (production,) = run(graph, query, variables, mode="production")["errors"]
    assert "Did you mean" not in production["message"]
    assert production["message"] == demo["message"].removesuffix(suggestion).rstrip()
    assert production["extensions"] == demo["extensions"]


FILTERED = "query ($f: PersonFilter) { people(filter: $f) { totalCount } }"


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        ('{ people(filter: {serch: "x"}) { totalCount } }', None),
        (FILTERED, {"f": {"serch": "x"}}),
        (FILTERED, {"f": {"serch": "x", "companyID": "y"}}),
    ],
    ids=["in the query", "in variables", "two fields"],
)
def test_production_hides_suggestions_inside_messages(
    graph: Graph, query: str, variables: dict[str, Any] | None
) -> None:
    """Finding 7: a misspelt input-object field got "Did you mean 'search'?" in the middle of
    the message (before "Found: ..."), which the end-anchored stripping missed."""
    demo = run(graph, query, variables, mode="demo")["errors"]
    assert all("Did you mean" in e["message"] for e in demo)
    production = run(graph, query, variables, mode="production")["errors"]
    assert len(production) == len(demo)
    for shown in production:
        assert "Did you mean" not in shown["message"], shown["message"]
        assert "'search'" not in shown["message"] and "'companyId'" not in shown["message"]
        assert "Found:" in shown["message"]  # the rest of the message is kept
        assert shown["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize(("mode", "ide"), [("demo", True), ("production", False)])
def test_the_ide_is_served_in_demo_mode_only(graph: Graph, mode: str, ide: bool) -> None:
    settings = ApiSettings(mode=mode)
    app = create_app(lambda: contextlib.nullcontext(graph), demo_data=False, settings=settings)
    with TestClient(app) as browser:
        page = browser.get("/graphql", headers={"Accept": "text/html"})
        script = browser.get("/graphiql/graphiql.js")
        vendor = browser.get("/map/vendor/graphiql/graphiql.min.js")
    assert ("graphiql" in page.text.lower()) is ide
    # its script and npm packages too (tests/api/test_graphiql.py opens it in a browser)
    assert (script.status_code, vendor.status_code) == ((200, 200) if ide else (404, 404))


def test_the_default_mode_is_demo_on_the_embedded_engine_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("GUANXI_MODE", raising=False)
    monkeypatch.delenv("NEO4J_URI", raising=False)
    assert ApiSettings().mode == "demo"
    monkeypatch.setenv("NEO4J_URI", "neo4j://db.example:7687")
    assert ApiSettings().mode == "production"
    monkeypatch.setenv("GUANXI_MODE", "demo")
    assert ApiSettings().mode == "demo"
    monkeypatch.setenv("GUANXI_MAX_COST", "0")
    with pytest.raises(ValueError, match="max_cost"):
        ApiSettings()


def test_a_document_seen_before_is_not_validated_again(
    graph: Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The validation cache answers for a repeated document; a limit that passes must leave
    its answer (no errors) in place, or Strawberry validates again: 2 ms a request."""
    import strawberry.schema.schema as strawberry_schema

    calls = 0
    validate = strawberry_schema.validate_document

    def counted(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        return validate(*args, **kwargs)

    monkeypatch.setattr(strawberry_schema, "validate_document", counted)
    served = build_schema(ApiSettings(mode="demo"))
    document = "{ companies(first: 3) { totalCount } }"
    for _ in range(3):
        result = asyncio.run(served.execute(document, context_value=Context(graph=graph)))
        assert not result.errors, result.errors
    assert calls <= 1
