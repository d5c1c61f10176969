"""What Relay and Apollo clients expect (issue 21): the Node interface with `node(id:)` and
`nodes(ids:)`, `last`/`before` on every connection, and look-ups by lists of external ids."""

from __future__ import annotations

from typing import Any

import graphql
import pytest
from graphql import GraphQLObjectType
from starlette.testclient import TestClient

from graph.auth.tokens import Role
from graph.db.connection import Graph
from schema import schema
from schema.limits import estimate_cost
from seed.demo import load_demo
from tests.conftest import StatementLog, auth_headers, data, error

# Connections over the demo data: (query with $first/$after/$last/$before, path to it).
CONNECTIONS: list[tuple[str, tuple[str, ...]]] = [
    ("companies(first: $first, after: $after, last: $last, before: $before)", ("companies",)),
    ("people(first: $first, after: $after, last: $last, before: $before)", ("people",)),
    (
        "roles(first: $first, after: $after, last: $last, before: $before, "
        "filter: {includePast: true})",
        ("roles",),
    ),
    (
        "relationships(first: $first, after: $after, last: $last, before: $before)",
        ("relationships",),
    ),
    (
        "companyRelationships(first: $first, after: $after, last: $last, before: $before)",
        ("companyRelationships",),
    ),
    ("referrals(first: $first, after: $after, last: $last, before: $before)", ("referrals",)),
    ("deals(first: $first, after: $after, last: $last, before: $before)", ("deals",)),
    (
        "networkMeasures(network: RELATIONSHIPS) { nodes(first: $first, after: $after, "
        "last: $last, before: $before)",
        ("networkMeasures", "nodes"),
    ),
]
SELECTION = (
    "{ edges { cursor node { __typename } } "
    "pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount }"
)


@pytest.fixture
def demo(graph: Graph) -> Graph:
    load_demo(graph)
    return graph


def _page(client: TestClient, field: str, path: tuple[str, ...], **args: Any) -> dict[str, Any]:
    closing = "}" * (len(path) - 1)
    query = (
        "query($first: Int, $after: String, $last: Int, $before: String) "
        f"{{ {field} {SELECTION} {closing} }}"
    )
    found: Any = data(client, query, **args)
    for key in path:
        found = found[key]
    result: dict[str, Any] = found
    return result


def _walk(client: TestClient, field: str, path: tuple[str, ...], backward: bool) -> list[str]:
    """Every cursor of the list, one page of 3 at a time, in the order the pages came."""
    cursors: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        if backward:
            page = _page(client, field, path, last=3, before=cursor)
        else:
            page = _page(client, field, path, first=3, after=cursor)
        edges = [edge["cursor"] for edge in page["edges"]]
        info = page["pageInfo"]
        pages += 1
        assert pages < 100
        assert len(edges) <= 3
        if edges:
            assert (info["startCursor"], info["endCursor"]) == (edges[0], edges[-1])
        if backward:
            cursors.extend(reversed(edges))
            more, other = info["hasPreviousPage"], info["hasNextPage"]
            cursor = info["startCursor"]
        else:
            cursors.extend(edges)
            more, other = info["hasNextPage"], info["hasPreviousPage"]
            cursor = info["endCursor"]
        assert other == (pages > 1), (field, pages, info)  # the way back, except on page one
        if not more:
            assert len(cursors) == page["totalCount"], field
            return cursors


@pytest.mark.parametrize(("field", "path"), CONNECTIONS, ids=[p[-1] for _, p in CONNECTIONS])
def test_walking_back_with_last_and_before_gives_the_forward_walk_reversed(
    demo: Graph, client: TestClient, field: str, path: tuple[str, ...]
) -> None:
    forward = _walk(client, field, path, backward=False)
    backward = _walk(client, field, path, backward=True)
    assert len(forward) > 3, field  # more than one page: the walk crossed pages
    assert backward == list(reversed(forward))
    # the same items, not only the same cursors
    everything = _page(client, field, path, first=100)
    tail = _page(client, field, path, last=2)
    assert tail["edges"] == everything["edges"][-2:]
    assert tail["pageInfo"]["hasPreviousPage"] and not tail["pageInfo"]["hasNextPage"]


def test_last_and_before_window_the_list_both_ways(demo: Graph, client: TestClient) -> None:
    field, path = CONNECTIONS[0]
    everything = _page(client, field, path, first=100)["edges"]
    assert len(everything) >= 6
    cursor = everything[5]["cursor"]
    before = _page(client, field, path, last=2, before=cursor)
    assert before["edges"] == everything[3:5]
    assert before["pageInfo"]["hasPreviousPage"] and before["pageInfo"]["hasNextPage"]
    alone = _page(client, field, path, before=cursor)  # the (up to) 20 just before it
    assert alone["edges"] == everything[:5]
    assert not alone["pageInfo"]["hasPreviousPage"] and alone["pageInfo"]["hasNextPage"]
    between = _page(client, field, path, after=everything[1]["cursor"], before=cursor)
    assert between["edges"] == everything[2:5]
    assert _page(client, field, path, last=0)["edges"] == []
    assert _page(client, field, path, last=3, before=everything[0]["cursor"])["edges"] == []


@pytest.mark.parametrize(
    ("args", "argument"),
    [
        ({"first": 2, "last": 2}, "last"),
        ({"last": 101}, "last"),
        ({"last": -1}, "last"),
        ({"last": 2, "before": "bm90LWEtY3Vyc29y"}, "before"),
        ({"before": "!!"}, "before"),
        ({"last": 2, "after": "nope"}, "after"),
    ],
)
def test_bad_paging_is_refused_as_bad_input(
    graph: Graph, client: TestClient, args: dict[str, Any], argument: str
) -> None:
    query = (
        "query($first: Int, $after: String, $last: Int, $before: String) "
        "{ companies(first: $first, after: $after, last: $last, before: $before) "
        "{ totalCount } }"
    )
    found = error(client, query, **args)
    assert found["extensions"]["code"] == "BAD_USER_INPUT", found
    assert found["extensions"]["field"] == argument, found
    assert found["message"].startswith(f"{argument}: "), found


def test_every_connection_takes_last_and_before() -> None:
    connections = 0
    for type_ in schema._schema.type_map.values():  # pyright: ignore[reportPrivateUsage]
        if not isinstance(type_, GraphQLObjectType) or type_.name.startswith("__"):
            continue
        for name, field in type_.fields.items():
            if graphql.get_named_type(field.type).name.endswith("Connection"):
                connections += 1
                assert {"first", "after", "last", "before"} <= set(field.args), (type_, name)
    assert connections >= 18


HUADONG = '{ companiesByExternalIds(externalIds: ["demo:company:huadong"]) { id } }'


def _demo_ids(client: TestClient) -> dict[str, list[str]]:
    """Two ids of each kind that implements Node, from the demo."""
    found = data(
        client,
        """{
          companies(first: 2) { nodes { id } }
          people(first: 2) { nodes { id } }
          roles(first: 2) { nodes { id } }
          relationships(first: 2) { nodes { id } }
          companyRelationships(first: 2) { nodes { id } }
          referrals(first: 2) { nodes { id } }
          deals(first: 2) { nodes { id } }
        }""",
    )
    ids = {key: [node["id"] for node in value["nodes"]] for key, value in found.items()}
    # the changes and interactions of the demo's 华东精密制造 (interactions hd-1…)
    of = data(client, HUADONG)
    logged = data(
        client,
        "query($id: ID!) { changeHistory(subjectId: $id, first: 2) { nodes { id } } "
        "interactions(filter: {companyId: $id}, first: 2) { nodes { id } } }",
        id=of["companiesByExternalIds"][0]["id"],
    )
    ids["changes"] = [node["id"] for node in logged["changeHistory"]["nodes"]]
    ids["interactions"] = [node["id"] for node in logged["interactions"]["nodes"]]
    assert all(len(pair) == 2 for pair in ids.values()), ids
    return ids


TYPENAMES = {
    "companies": "Company",
    "people": "Person",
    "roles": "Role",
    "relationships": "PersonRelationship",
    "companyRelationships": "CompanyRelationship",
    "referrals": "Referral",
    "deals": "Deal",
    "changes": "Change",
    "interactions": "Interaction",
}


def test_node_fetches_every_kind_again_by_its_id(
    demo: Graph, client: TestClient, statements: StatementLog
) -> None:
    ids = _demo_ids(client)
    for kind, pair in ids.items():
        for id_ in pair:
            found = data(client, "query($id: ID!) { node(id: $id) { __typename id } }", id=id_)
            assert found["node"] == {"__typename": TYPENAMES[kind], "id": id_}, kind
    known = [id_ for pair in ids.values() for id_ in pair]
    asked = [*known, "co_unknown", "unknown", "", "ch_", *reversed(known)]
    with statements.count_during() as counter:
        found = data(
            client,
            "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id "
            "... on Company { name } ... on Person { name } } }",
            ids=asked,
        )["nodes"]
    expected = [*known, None, None, None, None, *reversed(known)]
    assert [None if n is None else n["id"] for n in found] == expected
    # one statement per kind (a fresh request: nothing cached), not one per id
    assert counter.count <= len(ids) < len(known)


def test_node_is_null_for_a_deleted_item(demo: Graph, client: TestClient) -> None:
    company = data(
        client,
        'mutation { upsertCompany(externalId: "x:gone", input: {name: "Gone Soon"}) { id } }',
    )["upsertCompany"]["id"]
    query = "query($id: ID!) { node(id: $id) { id } nodes(ids: [$id]) { id } }"
    assert data(client, query, id=company) == {"node": {"id": company}, "nodes": [{"id": company}]}
    # every role reads what company(id:) reads: a viewer too
    as_viewer = client.post(
        "/graphql",
        json={"query": query, "variables": {"id": company}},
        headers=auth_headers(Role.VIEWER),
    ).json()
    assert as_viewer == {"data": {"node": {"id": company}, "nodes": [{"id": company}]}}
    data(client, "mutation($id: ID!) { deleteCompany(id: $id) }", id=company)
    # deleted: null, as company(id:) answers (only an admin's deletedItems lists it)
    assert data(client, query, id=company) == {"node": None, "nodes": [None]}
    assert data(client, "query($id: ID!) { company(id: $id) { id } }", id=company) == {
        "company": None
    }
    assert data(client, '{ companiesByExternalIds(externalIds: ["x:gone"]) { id } }') == {
        "companiesByExternalIds": [None]
    }


def test_nodes_refuses_more_than_100_ids(graph: Graph, client: TestClient) -> None:
    found = error(
        client,
        "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
        ids=[f"co_{i}" for i in range(101)],
    )
    assert found["extensions"]["code"] == "BAD_USER_INPUT", found


LOOKUPS = [
    ("companiesByExternalIds", "companies", "Company"),
    ("peopleByExternalIds", "people", "Person"),
    ("rolesByExternalIds", "roles", "Role"),
    ("relationshipsByExternalIds", "relationships", "PersonRelationship"),
    ("companyRelationshipsByExternalIds", "companyRelationships", "CompanyRelationship"),
    ("referralsByExternalIds", "referrals", "Referral"),
    ("dealsByExternalIds", "deals", "Deal"),
    ("interactionsByExternalIds", "interactions", "Interaction"),
]


@pytest.mark.parametrize(("lookup", "listing", "typename"), LOOKUPS, ids=[x[0] for x in LOOKUPS])
def test_lookups_by_external_ids_answer_in_order_with_nulls(
    demo: Graph,
    client: TestClient,
    statements: StatementLog,
    lookup: str,
    listing: str,
    typename: str,
) -> None:
    if listing == "interactions":  # of a company: those of the demo's 华东精密制造
        of = data(client, HUADONG)
        items = data(
            client,
            "query($id: ID!) { interactions(filter: {companyId: $id}, first: 3) "
            "{ nodes { id externalId } } }",
            id=of["companiesByExternalIds"][0]["id"],
        )[listing]
    else:
        items = data(client, f"{{ {listing}(first: 3) {{ nodes {{ id externalId }} }} }}")[listing]
    known = [item for item in items["nodes"] if item["externalId"]]
    assert len(known) >= 2, items
    asked = [known[1]["externalId"], "no:such:id", known[0]["externalId"], known[1]["externalId"]]
    with statements.count_during() as counter:
        found = data(
            client,
            f"query($ids: [String!]!) {{ {lookup}(externalIds: $ids) {{ __typename id }} }}",
            ids=asked,
        )[lookup]
    assert found == [
        {"__typename": typename, "id": known[1]["id"]},
        None,
        {"__typename": typename, "id": known[0]["id"]},
        {"__typename": typename, "id": known[1]["id"]},
    ]
    assert counter.count == 1
    refused = error(
        client,
        f"query($ids: [String!]!) {{ {lookup}(externalIds: $ids) {{ id }} }}",
        ids=[f"x:{i}" for i in range(101)],
    )
    assert refused["extensions"]["code"] == "BAD_USER_INPUT", refused


def test_lists_by_ids_cost_as_many_items_as_asked() -> None:
    core = schema._schema  # pyright: ignore[reportPrivateUsage]
    # nodes 1 + 3 * (id 1 + name 1): the fragment on Company counts
    three = '{ nodes(ids: ["a", "b", "c"]) { id ... on Company { name } } }'
    assert estimate_cost(core, graphql.parse(three)) == 1 + 3 * 2
    by_variable = "query($ids: [String!]!) { peopleByExternalIds(externalIds: $ids) { name } }"
    assert estimate_cost(core, graphql.parse(by_variable), {"ids": ["x"] * 7}) == 1 + 7
    # not known before it runs (a missing variable is refused later): the cap, 100
    assert estimate_cost(core, graphql.parse(by_variable)) == 1 + 100
    # `last` counts like `first`
    assert estimate_cost(core, graphql.parse("{ companies(last: 7) { nodes { name } } }")) == 9
