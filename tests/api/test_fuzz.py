"""Fuzzing: random valid queries and mutations generated from the schema (hypothesis-graphql),
sent to the app over its GraphQL endpoint: no internal error, no server error."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from typing import Any

import graphql
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import from_schema, nodes
from starlette.testclient import TestClient

from graph.db.connection import Graph
from schema import schema
from tests import factories

# Not measured for coverage: under the tracer its thousand operations take 70% longer, a minute
# of `make test`, for about 20 lines (odd argument combinations) that no other test reaches.
pytestmark = [pytest.mark.slow, pytest.mark.no_cover]

EXAMPLES = 1_000

_SCALARS: dict[str, st.SearchStrategy[graphql.ValueNode]] = {
    "Date": st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1)).map(
        lambda d: nodes.String(d.isoformat())
    ),
    "DateTime": st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2100, 1, 1)).map(
        lambda t: nodes.String(t.replace(tzinfo=dt.UTC).isoformat())
    ),
    "JSON": st.dictionaries(st.sampled_from(["a", "b"]), st.integers(-5, 5), max_size=2).map(
        lambda d: nodes.String(json.dumps(d))
    ),
}


def test_random_valid_operations_never_fail_internally(client: TestClient, graph: Graph) -> None:
    ours = factories.company(graph, "Ours", isOurs=True)
    acme = factories.company(graph, "Acme")
    li, zhou = factories.person(graph, "Li"), factories.person(graph, "Zhou")
    factories.role(graph, li, ours)
    factories.role(graph, zhou, acme, isKeyPerson=True)
    tie = factories.knows(graph, li, zhou, 0.5)
    # ids are mostly ones that exist, so operations get past "not found" to the resolvers
    known = [ours, acme, li, zhou, tie]
    ids = st.one_of(st.sampled_from(known), st.text(max_size=12)).map(nodes.String)
    sent: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()  # "data" or the first error's code
    failures: list[tuple[str, Any]] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,  # the same operations on every run, so CI is repeatable
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(from_schema(schema._schema, custom_scalars={**_SCALARS, "ID": ids}))
    def send(operation: str) -> None:
        sent["mutation" if operation.lstrip().startswith("mutation") else "query"] += 1
        response = client.post("/graphql", json={"query": operation})
        body = response.json()
        codes = [e.get("extensions", {}).get("code") for e in body.get("errors") or []]
        outcomes[str(codes[0]) if codes else "data"] += 1
        if response.status_code >= 500 or "INTERNAL" in codes:
            failures.append((operation, body))

    send()
    print(
        f"fuzzing: {sum(sent.values())} operations sent ({dict(sent)}), answered "
        f"{dict(outcomes.most_common())}, {len(failures)} failed"
    )
    assert sum(sent.values()) >= EXAMPLES
    assert sent["mutation"] > 0 and sent["query"] > 0
    assert outcomes["data"] > EXAMPLES // 20  # not all refused before reaching a resolver
    assert not failures, failures[:3]
