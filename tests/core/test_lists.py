"""Lists: cursor pagination, filters, search in Chinese, Latin and pinyin, sorting by figures."""

from __future__ import annotations

from starlette.testclient import TestClient

from graph.core import kinds, writes
from graph.db.connection import Graph
from tests import factories
from tests.conftest import data

COMPANIES = """
query ($first: Int, $after: String, $filter: CompanyFilter, $sort: CompanySort) {
  companies(first: $first, after: $after, filter: $filter, sort: $sort) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { name ourRelationshipCount peopleCount } }
  }
}
"""


def _names(result: dict[str, object]) -> list[str]:
    connection = result["companies"]
    assert isinstance(connection, dict)
    return [edge["node"]["name"] for edge in connection["edges"]]


def test_cursor_pagination_walks_every_item_once(client: TestClient, graph: Graph) -> None:
    names = [f"Company {i:02d}" for i in range(23)]
    for name in reversed(names):
        factories.company(graph, name)
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        result = data(client, COMPANIES, first=10, after=after)
        connection = result["companies"]
        assert connection["totalCount"] == 23
        assert connection["pageInfo"]["hasPreviousPage"] == (pages > 0)
        seen += _names(result)
        pages += 1
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert seen == names
    assert pages == 3

    empty = data(client, COMPANIES, first=0)["companies"]
    assert empty["edges"] == [] and empty["pageInfo"]["endCursor"] is None


def test_filters_combine(client: TestClient, graph: Graph) -> None:
    factories.company(graph, "A1", status="CURRENT", valueClass="A", industry="Retail")
    factories.company(graph, "A2", status="CURRENT", valueClass="B", industry="Retail")
    factories.company(graph, "A3", status="CHURNED", valueClass="A", industry="Retail")
    factories.company(graph, "A4", status="CURRENT", valueClass="A", industry="Energy")
    factories.company(graph, "Ours", isOurs=True)
    result = data(
        client,
        COMPANIES,
        filter={"status": ["CURRENT"], "valueClass": ["A"], "industry": "Retail"},
    )
    assert _names(result) == ["A1"]
    result = data(client, COMPANIES, filter={"status": ["CURRENT", "CHURNED"]})
    assert _names(result) == ["A1", "A2", "A3", "A4"]
    assert _names(data(client, COMPANIES, filter={"isOurs": True})) == ["Ours"]


def test_search_finds_chinese_latin_and_pinyin(client: TestClient, graph: Graph) -> None:
    factories.company(graph, "华为技术 Huawei")
    factories.company(graph, "Tencent 腾讯")
    factories.company(graph, "北辰物流")

    def search(text: str) -> list[str]:
        return _names(data(client, COMPANIES, filter={"search": text}))

    assert search("华为") == ["华为技术 Huawei"]
    assert search("HUAWEI") == ["华为技术 Huawei"]
    assert search("tengxun") == ["Tencent 腾讯"]
    assert search("bei chen") == ["北辰物流"]
    assert search("bcwl") == ["北辰物流"]
    assert search("物流") == ["北辰物流"]
    assert search("nothing-like-this") == []


def _book(graph: Graph) -> dict[str, str]:
    """Our company with two staff; customers with 3, 1 and 0 of our ties."""
    ours = factories.company(graph, "Ours", isOurs=True)
    staff = [factories.person(graph, f"Staff {i}") for i in range(2)]
    for s in staff:
        factories.role(graph, s, ours)
    customers = {name: factories.company(graph, name) for name in ["Big", "Small", "None"]}
    people = {}
    for name, company_id in customers.items():
        for i in range(2):
            pid = factories.person(graph, f"{name} person {i}")
            factories.role(graph, pid, company_id)
            people[f"{name}{i}"] = pid
    factories.knows(graph, staff[0], people["Big0"], 0.9)
    factories.knows(graph, staff[1], people["Big0"], 0.4)
    factories.knows(graph, staff[0], people["Big1"], 0.3)
    factories.knows(graph, staff[1], people["Small0"], 0.6)
    factories.knows(graph, people["None0"], people["None1"], 0.99)  # not ours: does not count
    # a past role does not count either
    past = factories.person(graph, "Former")
    factories.role(graph, past, customers["Small"], startDate="2010-01-01", endDate="2012-01-01")
    factories.knows(graph, staff[0], past, 0.8)
    return customers


def test_sort_and_filter_companies_by_our_relationships(client: TestClient, graph: Graph) -> None:
    _book(graph)
    customers_only = {"isOurs": False}
    result = data(
        client,
        COMPANIES,
        filter=customers_only,
        sort={"field": "OUR_RELATIONSHIP_COUNT", "direction": "DESC"},
    )
    figures = [
        (e["node"]["name"], e["node"]["ourRelationshipCount"]) for e in result["companies"]["edges"]
    ]
    assert figures == [("Big", 3), ("Small", 1), ("None", 0)]
    ascending = data(
        client, COMPANIES, filter=customers_only, sort={"field": "OUR_RELATIONSHIP_COUNT"}
    )
    assert _names(ascending) == ["None", "Small", "Big"]
    at_least_one = data(client, COMPANIES, filter={**customers_only, "minOurRelationships": 1})
    assert _names(at_least_one) == ["Big", "Small"]
    by_people = data(client, COMPANIES, sort={"field": "PEOPLE_COUNT", "direction": "DESC"})
    assert [e["node"]["peopleCount"] for e in by_people["companies"]["edges"]] == [2, 2, 2, 2]


def test_sort_people_by_strongest_tie(client: TestClient, graph: Graph) -> None:
    customers = _book(graph)
    result = data(
        client,
        """query ($c: ID!) { people(filter: {companyId: $c},
                                    sort: {field: STRONGEST_TIE, direction: DESC}) {
             nodes { name strongestTie } } }""",
        c=customers["Big"],
    )
    assert result["people"]["nodes"] == [
        {"name": "Big person 0", "strongestTie": 0.9},
        {"name": "Big person 1", "strongestTie": 0.3},
    ]
    strong = data(client, "{ people(filter: {minStrongestTie: 0.85}) { nodes { name } } }")[
        "people"
    ]["nodes"]
    assert [p["name"] for p in strong] == [
        "Big person 0",
        "None person 0",
        "None person 1",
        "Staff 0",
    ]


def test_relationship_and_role_lists(client: TestClient, graph: Graph) -> None:
    customers = _book(graph)
    rels = data(
        client,
        """{ relationships(first: 2, filter: {minStrength: 0.5}) {
             totalCount nodes { strength } } }""",
    )["relationships"]
    assert rels["totalCount"] == 4
    assert [r["strength"] for r in rels["nodes"]] == [0.99, 0.9]
    roles = data(
        client,
        """query ($c: ID!) { current: roles(filter: {companyId: $c}) { totalCount }
                             all: roles(filter: {companyId: $c, includePast: true}) {
                               totalCount } }""",
        c=customers["Small"],
    )
    assert roles == {"current": {"totalCount": 2}, "all": {"totalCount": 3}}


def test_filter_companies_by_tier_with_us(client: TestClient, graph: Graph) -> None:
    ours = factories.company(graph, "Ours", isOurs=True)
    partner = factories.company(graph, "Partner")
    supplier = factories.company(graph, "Supplier")
    elsewhere = factories.company(graph, "Elsewhere")
    for other, tier in [(partner, "PARTNERSHIP"), (supplier, "PREFERRED_SUPPLIER")]:
        writes.create_edge(
            graph,
            kinds.COMPANY_RELATIONSHIP,
            ours,
            other,
            kinds.COMPANY_RELATIONSHIP.checked({"tier": tier, "strength": 0.5}),
        )
    # a partnership between two customers is not a partnership with us
    writes.create_edge(
        graph,
        kinds.COMPANY_RELATIONSHIP,
        supplier,
        elsewhere,
        kinds.COMPANY_RELATIONSHIP.checked({"tier": "PARTNERSHIP", "strength": 0.9}),
    )
    assert _names(data(client, COMPANIES, filter={"tier": ["PARTNERSHIP"]})) == ["Partner"]
    both = data(client, COMPANIES, filter={"tier": ["PARTNERSHIP", "PREFERRED_SUPPLIER"]})
    assert _names(both) == ["Partner", "Supplier"]


def test_a_persons_relationships_page_holds_theirs_in_either_direction(
    client: TestClient, graph: Graph
) -> None:
    ids = factories.book(graph, ["li", "wang"], {"acme": ["zhou", "sun"]})
    factories.knows(graph, ids["li"], ids["zhou"], 0.4)
    factories.knows(graph, ids["sun"], ids["li"], 0.9)  # to Li: found from Li too
    factories.knows(graph, ids["wang"], ids["zhou"], 0.7)  # not Li's
    query = """query ($p: ID!) { relationships(filter: {personId: $p}, first: 1) {
      totalCount nodes { strength fromPerson { name } toPerson { name } } } }"""
    page = data(client, query, p=ids["li"])
    assert page["relationships"]["totalCount"] == 2
    assert page["relationships"]["nodes"] == [
        {"strength": 0.9, "fromPerson": {"name": "Sun"}, "toPerson": {"name": "Li"}}
    ]
