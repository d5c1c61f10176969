"""No N+1: the number of database round trips does not grow with the list."""

from __future__ import annotations

from starlette.testclient import TestClient

from graph import kinds, writes
from graph.connection import Graph
from tests import factories
from tests.conftest import StatementLog, data

QUERY = """
query ($first: Int!) {
  companies(first: $first) {
    totalCount
    nodes {
      name ourRelationshipCount
      people { title isKeyPerson person { name strongestTie } company { name } }
      companyRelationships { tier toCompany { name } }
      referralsReceived { referrer { ... on Company { name } ... on Person { name } } }
    }
  }
}
"""


def _build(graph: Graph, companies: int) -> None:
    previous = None
    for i in range(companies):
        company = factories.company(graph, f"Customer {i:03d}")
        for j in range(3):
            factories.role(graph, factories.person(graph, f"P{i}-{j}"), company, title=f"T{j}")
        if previous:
            writes.create_edge(
                graph,
                kinds.COMPANY_RELATIONSHIP,
                previous,
                company,
                {"tier": "TRANSACTIONAL", "strength": 0.1},
            )
            writes.create_edge(graph, kinds.REFERRAL, previous, company, {})
        previous = company


def _round_trips(client: TestClient, statements: StatementLog, first: int) -> int:
    with statements.count_during() as counter:
        result = data(client, QUERY, first=first)
    assert len(result["companies"]["nodes"]) == first
    assert all(len(c["people"]) == 3 for c in result["companies"]["nodes"])
    return counter.count


def test_listing_companies_with_people_and_roles_is_a_fixed_number_of_round_trips(
    client: TestClient, graph: Graph, statements: StatementLog
) -> None:
    _build(graph, 51)  # the last page item still points past the page
    small = _round_trips(client, statements, 5)
    large = _round_trips(client, statements, 50)
    assert large == small
    # page, roles by company, people by id, company relationships, referrals, companies by id
    assert large <= 6
