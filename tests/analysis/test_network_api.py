"""Network measures through the API: ranked pages, one node, communities, neighbourhoods."""

from __future__ import annotations

import datetime as dt

from starlette.testclient import TestClient

from graph.analysis.network import Measure, Network, network_measures
from graph.core import kinds, writes
from graph.db.connection import Graph
from tests import factories
from tests.conftest import data, error

MEASURES = """
query ($network: NetworkKind!, $company: ID, $order: NetworkMeasure!, $after: String,
       $one: ID!) {
  networkMeasures(network: $network, companyId: $company) {
    network nodeCount edgeCount modularity betweennessSources computedAt company { name }
    nodes(orderBy: $order, first: 3, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      nodes { degree inDegree outDegree pagerank betweenness community
              party { __typename ... on Person { id } ... on Company { id } } }
    }
    node(id: $one) { degree party { ... on Person { name } } }
    communities(first: 1) { totalCount nodes { id size members(first: 50) {
      totalCount nodes { party { ... on Person { id } ... on Company { id } } } } } }
  }
}
"""


def _book(graph: Graph) -> dict[str, str]:
    acme = factories.company(graph, "Acme")
    other = factories.company(graph, "Other")
    ids = {name: factories.person(graph, name) for name in ["Ann", "Ben", "Cai", "Dan", "Eve"]}
    for name in ["Ann", "Ben"]:
        factories.role(graph, ids[name], acme)
    factories.role(graph, ids["Eve"], other)
    for a, b in [("Ann", "Ben"), ("Ann", "Cai"), ("Ben", "Cai"), ("Cai", "Dan"), ("Dan", "Eve")]:
        factories.knows(graph, ids[a], ids[b], 0.5)
    for a, b in [("Ann", "Cai"), ("Cai", "Dan"), ("Ann", "Dan")]:
        writes.create_edge(
            graph,
            kinds.REFERRAL,
            ids[a],
            ids[b],
            kinds.REFERRAL.checked({"date": dt.date(2025, 1, 1)}),
        )
    return {**ids, "acme": acme, "other": other}


def test_whole_networks_ranked_and_paged(graph: Graph, client: TestClient) -> None:
    ids = _book(graph)
    expected = network_measures(graph, Network.RELATIONSHIPS)
    found = data(client, MEASURES, network="RELATIONSHIPS", order="PAGERANK", one=ids["Cai"])
    result = found["networkMeasures"]
    assert (result["nodeCount"], result["edgeCount"]) == (expected.node_count, 8)
    assert result["company"] is None and result["betweennessSources"] is None
    page = result["nodes"]
    ranked = expected.ranked(Measure.PAGERANK)
    assert [n["party"]["id"] for n in page["nodes"]] == [n.ref.id for n in ranked[:3]]
    assert page["totalCount"] == 7 and page["pageInfo"]["hasNextPage"]
    assert [n["pagerank"] for n in page["nodes"]] == [n.pagerank for n in ranked[:3]]
    assert result["node"] == {"degree": 3, "party": {"name": "Cai"}}
    biggest = result["communities"]["nodes"][0]
    assert biggest["size"] == biggest["members"]["totalCount"] == expected.communities[0].size
    rest = data(
        client,
        MEASURES,
        network="RELATIONSHIPS",
        order="PAGERANK",
        one=ids["Cai"],
        after=page["pageInfo"]["endCursor"],
    )
    assert [n["party"]["id"] for n in rest["networkMeasures"]["nodes"]["nodes"]] == [
        n.ref.id for n in ranked[3:6]
    ]
    referrals = data(client, MEASURES, network="REFERRALS", order="DEGREE", one=ids["Cai"])
    top = referrals["networkMeasures"]["nodes"]["nodes"]
    # all three have degree 2: ties go by id
    assert [(n["party"]["id"], n["outDegree"], n["inDegree"]) for n in top] == sorted(
        [(ids["Ann"], 2, 0), (ids["Cai"], 1, 1), (ids["Dan"], 0, 2)]
    )


def test_a_companys_neighbourhood_and_errors(graph: Graph, client: TestClient) -> None:
    ids = _book(graph)
    found = data(
        client,
        MEASURES,
        network="RELATIONSHIPS",
        company=ids["acme"],
        order="DEGREE",
        one=ids["Eve"],
    )["networkMeasures"]
    # Acme, its people Ann and Ben, whom they know (Cai); Dan and Eve are further away
    assert found["company"] == {"name": "Acme"} and found["nodeCount"] == 4
    assert found["node"] is None
    missing = error(
        client, MEASURES, network="RELATIONSHIPS", company="nope", order="DEGREE", one="x"
    )
    assert missing["extensions"]["code"] == "NOT_FOUND"
    bad = error(client, MEASURES, network="RELATIONSHIPS", order="DEGREE", one="x", after="zz")
    assert bad["extensions"]["code"] == "BAD_USER_INPUT"


WEIGHTED = """
query ($weighted: Boolean!) {
  networkMeasures(network: RELATIONSHIPS, weighted: $weighted) {
    weighted modularity nodes(orderBy: PAGERANK, first: 20) {
      nodes { pagerank party { ... on Person { id } ... on Company { id } } }
    }
  }
}
"""


def test_weighted_through_the_api(graph: Graph, client: TestClient) -> None:
    ids = _book(graph)
    factories.knows(graph, ids["Eve"], ids["Ann"], 0.05)  # weak: weighs little when weighted
    for weighted in (False, True):
        expected = network_measures(graph, Network.RELATIONSHIPS, weighted=weighted)
        found = data(client, WEIGHTED, weighted=weighted)["networkMeasures"]
        assert found["weighted"] is weighted
        ranks = {n["party"]["id"]: n["pagerank"] for n in found["nodes"]["nodes"]}
        assert ranks == {n.ref.id: n.pagerank for n in expected.nodes}
    unsaid = WEIGHTED.replace("($weighted: Boolean!)", "").replace(", weighted: $weighted", "")
    plain = data(client, unsaid)
    assert plain["networkMeasures"]["weighted"] is False  # the default
