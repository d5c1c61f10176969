"""Edge cases: races on external ids, external ids with spaces, cursors, multi-field mutations,
range checks, search separators."""

from __future__ import annotations

import base64
import contextvars
from concurrent.futures import ThreadPoolExecutor

import pytest
from starlette.testclient import TestClient

from graph.core import kinds, writes
from graph.db.connection import Graph
from graph.db.errors import Conflict
from tests import factories
from tests.conftest import counts, data, error, gql


def test_concurrent_upserts_of_one_new_external_id_leave_one_node(graph: Graph) -> None:
    def upsert(i: int) -> str:
        try:
            return writes.upsert_node(
                graph, kinds.COMPANY, "race-1", kinds.COMPANY.checked({"name": f"Race {i}"})
            ).id
        except Conflict:
            return "conflict"

    with ThreadPoolExecutor(max_workers=8) as pool:
        # each in a copy of this context: the credential the changes are recorded with
        running = [pool.submit(contextvars.copy_context().run, upsert, i) for i in range(16)]
        outcomes = [future.result() for future in running]
    assert counts(graph) == (1, 0)
    ids = {o for o in outcomes if o != "conflict"}
    assert len(ids) == 1  # every upsert that succeeded names the one node


def test_conflict_at_commit_is_reported_as_conflict(client: TestClient, graph: Graph) -> None:
    """A uniqueness rule the engine checks at commit still comes back as CONFLICT."""
    a, b = factories.person(graph, "A"), factories.person(graph, "B")
    c = factories.person(graph, "C")
    writes.upsert_edge(
        graph,
        kinds.RELATIONSHIP,
        "dup",
        a,
        b,
        kinds.RELATIONSHIP.checked({"tier": "FRIEND", "strength": 0.5}),
    )
    with pytest.raises(Conflict):
        # bypass the look-up that upserts do, to hit the constraint itself
        writes.create_edge(
            graph,
            kinds.RELATIONSHIP,
            a,
            c,
            kinds.RELATIONSHIP.checked({"tier": "FRIEND", "strength": 0.5, "externalId": "dup"}),
        )
    assert counts(graph) == (3, 1)


UPSERT_COMPANY = """mutation ($ext: String!) {
  upsertCompany(externalId: $ext, input: {name: "Spaced"}) { id externalId } }"""
UPSERT_ROLE = """mutation ($ext: String!, $p: ID!, $c: ID!) {
  upsertRole(externalId: $ext, input: {personId: $p, companyId: $c, title: "T"}) { id } }"""


def test_external_ids_are_trimmed_everywhere(client: TestClient, graph: Graph) -> None:
    first = data(client, UPSERT_COMPANY, ext=" crm-1 ")["upsertCompany"]
    again = data(client, UPSERT_COMPANY, ext="crm-1")["upsertCompany"]
    assert first == again == {"id": first["id"], "externalId": "crm-1"}
    found = data(client, 'query { companyByExternalId(externalId: " crm-1 ") { id } }')
    assert found["companyByExternalId"] == {"id": first["id"]}
    person = factories.person(graph, "P")
    role = data(client, UPSERT_ROLE, ext="r-1 ", p=person, c=first["id"])["upsertRole"]
    assert data(client, UPSERT_ROLE, ext="r-1 ", p=person, c=first["id"])["upsertRole"] == role
    assert counts(graph) == (2, 1)
    for bad in ["", "   ", "x" * 201]:
        err = error(client, UPSERT_COMPANY, ext=bad)
        assert err["extensions"] == {"code": "BAD_USER_INPUT", "field": "externalId"}
    assert counts(graph) == (2, 1)


def _cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    "text",
    [
        "offset:99999999999999999999",
        "offset:9223372036854775800",
        "offset: -0",
        "offset:1_0",
        "offset:-1",
        "offset:",
    ],
)
def test_foreign_cursors_are_refused(client: TestClient, text: str) -> None:
    err = error(
        client, "query ($a: String) { companies(after: $a) { totalCount } }", a=_cursor(text)
    )
    assert err["extensions"] == {"code": "BAD_USER_INPUT", "field": "after"}


def test_bad_variable_values_are_the_clients_fault(client: TestClient, graph: Graph) -> None:
    a, b = factories.person(graph, "A"), factories.person(graph, "B")
    err = error(
        client,
        """mutation ($since: Date) { createRelationship(input: {fromPersonId: "x", toPersonId: "y",
             tier: FRIEND, strength: 0.5, since: $since}) { id } }""",
        since="2025-13-45",
    )
    assert err["extensions"]["code"] == "BAD_USER_INPUT"
    assert "since" in err["message"]
    err = error(
        client,
        """mutation ($s: Float!, $a: ID!, $b: ID!) { createRelationship(input: {fromPersonId: $a,
             toPersonId: $b, tier: FRIEND, strength: $s}) { id } }""",
        s="NaN",
        a=a,
        b=b,
    )
    assert err["extensions"]["code"] == "BAD_USER_INPUT"
    assert counts(graph) == (2, 0)


def test_multi_field_mutation_reports_what_it_wrote(client: TestClient, graph: Graph) -> None:
    body = gql(
        client,
        """mutation { ok: createCompany(input: {name: "Ok"}) { id name }
                      bad: createCompany(input: {name: ""}) { id } }""",
    )
    assert body["data"]["ok"]["name"] == "Ok"  # the write that happened is not hidden
    assert body["data"]["bad"] is None
    assert [e["path"] for e in body["errors"]] == [["bad"]]
    assert counts(graph) == (1, 0)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        (
            "{ companies(filter: {minOurRelationships: -1}) { totalCount } }",
            "filter.minOurRelationships",
        ),
        ("{ people(filter: {minStrongestTie: 1.5}) { totalCount } }", "filter.minStrongestTie"),
        ("{ relationships(filter: {minStrength: -0.1}) { totalCount } }", "filter.minStrength"),
        ("{ companyRelationships(filter: {minStrength: 2}) { totalCount } }", "filter.minStrength"),
    ],
)
def test_filter_ranges(client: TestClient, query: str, field: str) -> None:
    assert error(client, query)["extensions"] == {"code": "BAD_USER_INPUT", "field": field}


def test_search_cannot_match_across_forms(client: TestClient, graph: Graph) -> None:
    factories.person(graph, "张伟")
    query = "query ($s: String) { people(filter: {search: $s}) { totalCount } }"
    assert data(client, query, s="zhang wei")["people"]["totalCount"] == 1
    for text in ["|", "wei zhang", "wei\nzhang", "weizw"]:
        assert data(client, query, s=text)["people"]["totalCount"] == 0, text


def test_people_count_counts_people_not_roles(client: TestClient, graph: Graph) -> None:
    big = factories.company(graph, "Big")
    small = factories.company(graph, "Small")
    busy = factories.person(graph, "Two hats")
    factories.role(graph, busy, small, title="CFO")
    factories.role(graph, busy, small, title="COO")
    for name in ["A", "B"]:
        factories.role(graph, factories.person(graph, name), big)
    result = data(
        client,
        """{ companies(sort: {field: PEOPLE_COUNT, direction: DESC}) {
               nodes { name peopleCount } } }""",
    )["companies"]["nodes"]
    assert result == [{"name": "Big", "peopleCount": 2}, {"name": "Small", "peopleCount": 1}]


def test_relationships_without_since_sort_last(client: TestClient, graph: Graph) -> None:
    a, b, c, d = (factories.person(graph, n) for n in "ABCD")
    factories.knows(graph, a, b, 0.1, since="2020-01-01")
    factories.knows(graph, a, c, 0.2)
    factories.knows(graph, a, d, 0.3, since="2022-01-01")
    query = """query ($d: Direction!) { relationships(sort: {field: SINCE, direction: $d}) {
                 nodes { since } } }"""
    down = [n["since"] for n in data(client, query, d="DESC")["relationships"]["nodes"]]
    up = [n["since"] for n in data(client, query, d="ASC")["relationships"]["nodes"]]
    assert down == ["2022-01-01", "2020-01-01", None]
    assert up == ["2020-01-01", "2022-01-01", None]
