"""Referral chains, top referrers and conversion, against an implementation written here.

Each test builds a random referral network (people at customer companies, companies, repeated
referrals, cycles, undated referrals, deals in two currencies) through the app's own writes,
works out what the answer must be with networkx and plain loops over the records it made, and
compares.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

import networkx as nx
import pytest
from starlette.testclient import TestClient

from graph.core import kinds, writes
from graph.core.inputs import Patch
from graph.db.connection import Graph
from graph.db.errors import InvalidInput, NotFound
from graph.deals import deals
from graph.referrals.chains import Direction, referral_chain
from graph.referrals.referrers import (
    ReferrerOrder,
    referral_conversion,
    referral_network,
    top_referrers,
)
from tests import factories
from tests.conftest import data, error

STATUSES = ["CURRENT", "PROSPECT", "CHURNED", "WON_BACK", "TARGET"]


@dataclass(frozen=True)
class Ref:
    id: str
    a: str
    b: str
    date: dt.date | None


@dataclass
class World:
    companies: dict[str, str] = field(default_factory=dict)  # id -> status
    employer: dict[str, str] = field(default_factory=dict)  # person -> company
    refs: list[Ref] = field(default_factory=list)
    deals: list[tuple[str, dt.date, float, str]] = field(default_factory=list)

    @property
    def parties(self) -> list[str]:
        return sorted(self.companies) + sorted(self.employer)

    def customers(self, party: str) -> list[str]:
        return [party] if party in self.companies else [self.employer[party]]

    def value(self, company: str, since: dt.date | None) -> float:
        if since is None:  # an undated referral brings nothing
            return 0.0
        return sum(
            amount
            for c, date, amount, currency in self.deals
            if c == company and currency == "CNY" and (since is None or date >= since)
        )


def _order(ref: Ref) -> tuple[bool, dt.date, str]:
    return (ref.date is None, ref.date or dt.date.min, ref.id)


def build(graph: Graph, seed: int) -> World:
    rng = random.Random(seed)
    world = World()
    for index in range(6):
        status = STATUSES[index % len(STATUSES)]
        world.companies[factories.company(graph, f"Customer {index}", status=status)] = status
    companies = sorted(world.companies)
    for index in range(26):
        person = factories.person(graph, f"Person {index}")
        company = rng.choice(companies)
        factories.role(graph, person, company)
        world.employer[person] = company
    parties = world.parties

    def refer(a: str, b: str, date: dt.date | None) -> None:
        id_ = writes.create_edge(
            graph, kinds.REFERRAL, a, b, kinds.REFERRAL.checked({"date": date})
        ).id
        world.refs.append(Ref(id_, a, b, date))

    for _ in range(40):
        a, b = rng.sample(parties, 2)
        date = (
            None if rng.random() < 0.1 else dt.date(2024, 1, 1) + dt.timedelta(rng.randint(0, 600))
        )
        refer(a, b, date)
    first = world.refs[0]
    refer(first.a, first.b, dt.date(2025, 12, 1))  # a repeated referral
    refer(first.b, first.a, dt.date(2025, 12, 2))  # a cycle back to the referrer
    for company in companies:
        for _ in range(rng.randint(0, 4)):
            date = dt.date(2023, 6, 1) + dt.timedelta(rng.randint(0, 900))
            amount = float(rng.randint(1, 50) * 1000)
            currency = "USD" if rng.random() < 0.15 else "CNY"
            deals.record_deal(
                graph,
                company,
                deals.DealFields.checked(
                    {"amount": amount, "date": date, "productLine": "Core", "currency": currency}
                ),
            )
            world.deals.append((company, date, amount, currency))
    return world


def expected_tree(world: World, root: str, max_depth: int, downstream: bool) -> dict[str, object]:
    """The tree by the rules in graph/referrals/chains.py, from networkx depths and the records."""
    refs = world.refs if downstream else [Ref(r.id, r.b, r.a, r.date) for r in world.refs]
    digraph = nx.MultiDiGraph()
    digraph.add_nodes_from(world.parties)
    digraph.add_edges_from((r.a, r.b) for r in refs)
    depth = nx.single_source_shortest_path_length(digraph, root, cutoff=max_depth)
    placing: dict[str, Ref] = {}
    for node, d in depth.items():
        if d > 0:
            candidates = [r for r in refs if r.b == node and depth.get(r.a) == d - 1]
            placing[node] = min(candidates, key=_order)
    order = [root] + sorted(placing, key=lambda n: (depth[n], *_order(placing[n])))
    parent = {n: placing[n].a for n in placing}
    below = {n: 0 for n in order}
    for node in reversed(order[1:]):
        below[parent[node]] += below[node] + 1
    processed = [r for r in refs if r.a in depth and depth[r.a] < max_depth]
    extra = [r for r in processed if placing.get(r.b) != r]
    pairs: dict[tuple[str, str], int] = {}
    for r in processed:
        pairs[(r.a, r.b)] = pairs.get((r.a, r.b), 0) + 1
    repeats = sum(n - 1 for n in pairs.values())

    def ancestors(node: str) -> set[str]:
        found = {node}
        while node in parent:
            node = parent[node]
            found.add(node)
        return found

    first_of_pair: dict[tuple[str, str], Ref] = {}
    for r in sorted(processed, key=lambda r: (depth[r.a], *_order(r))):
        first_of_pair.setdefault((r.a, r.b), r)
    cycles = sum(1 for r in extra if first_of_pair[(r.a, r.b)] == r and r.b in ancestors(r.a))
    has_more = any(r.a in depth and depth[r.a] == max_depth and r.b not in depth for r in refs)
    values: dict[str, float] = {}
    taken: set[str] = set()
    if downstream:
        brought = {n: placing[n].date for n in placing}
    else:  # what each party stood for at the first referral it received, from anyone
        brought = {}
        for r in sorted(world.refs, key=_order):
            brought.setdefault(r.b, r.date)
    for node in order:
        values[node] = 0.0
        if node not in brought:
            continue
        for company in sorted(world.customers(node)):
            if company not in taken:
                taken.add(company)
                values[node] += world.value(company, brought[node])
    return {
        "rows": [
            (n, depth[n], parent.get(n), placing[n].id if n in placing else None) for n in order
        ],
        "below": below,
        "values": values,
        "extra": len(extra),
        "repeats": repeats,
        "cycles": cycles,
        "has_more": has_more,
    }


@pytest.mark.parametrize("seed", [3, 11])
def test_chains_match_an_independent_walk(graph: Graph, seed: int) -> None:
    world = build(graph, seed)
    busiest = max(world.parties, key=lambda p: (sum(r.a == p for r in world.refs), p))
    referred = world.refs[-1].b
    for root, direction, max_depth in [
        (busiest, Direction.DOWNSTREAM, 6),
        (busiest, Direction.DOWNSTREAM, 2),
        (world.refs[0].a, Direction.DOWNSTREAM, 10),
        (referred, Direction.UPSTREAM, 6),
        (referred, Direction.UPSTREAM, 1),
    ]:
        downstream = direction is Direction.DOWNSTREAM
        chain = referral_chain(graph, root, direction=direction, max_depth=max_depth)
        expected = expected_tree(world, root, max_depth, downstream)
        got = [(n.party.id, n.depth, n.parent_id, n.referral_id) for n in chain.nodes]
        assert got == expected["rows"], (root, direction, max_depth)
        assert chain.extra_referrals == expected["extra"]
        assert chain.repeat_referrals == expected["repeats"]
        assert chain.cycles == expected["cycles"]
        assert chain.has_more == expected["has_more"]
        values = expected["values"]
        assert isinstance(values, dict)
        for node in chain.nodes:
            assert node.value == pytest.approx(values[node.party.id])
        assert chain.value == pytest.approx(sum(values[n] for n in values if n != root))
        if downstream:
            below = expected["below"]
            assert isinstance(below, dict)
            assert {n.party.id: n.downstream_count for n in chain.nodes} == below
            assert chain.nodes[0].downstream_value == pytest.approx(chain.value)
            depths = [n.depth for n in chain.nodes[1:]]
            assert [(x.depth, x.count) for x in chain.levels] == [
                (d, depths.count(d)) for d in sorted(set(depths))
            ]


@pytest.mark.parametrize("seed", [5])
def test_top_referrers_match_networkx_and_the_records(graph: Graph, seed: int) -> None:
    world = build(graph, seed)
    since = dt.date(2024, 6, 1)
    refs = [r for r in world.refs if r.date is not None and r.date >= since]
    digraph = nx.MultiDiGraph()
    digraph.add_edges_from((r.a, r.b) for r in refs)
    taken: set[str] = set()
    credit: dict[str, float] = {}
    for r in sorted(world.refs, key=_order):  # first touch over every referral ...
        for company in sorted(world.customers(r.b)):
            if company not in taken:
                taken.add(company)
                if r in refs:  # ... credited only to those since the date
                    credit[r.a] = credit.get(r.a, 0.0) + world.value(company, r.date)
    referrers = sorted({r.a for r in refs})
    figures = {
        ReferrerOrder.COUNT: {p: float(sum(r.a == p for r in refs)) for p in referrers},
        ReferrerOrder.REACH: {p: float(len(nx.descendants(digraph, p) - {p})) for p in referrers},
        ReferrerOrder.VALUE: {p: credit.get(p, 0.0) for p in referrers},
    }
    network = referral_network(graph, since=since)
    for by, figure in figures.items():
        expected = sorted(referrers, key=lambda p: (-figure[p], p))[:7]
        got = top_referrers(network, by=by, limit=7)
        assert [s.party.id for s in got] == expected, by
        for stats in got:
            assert {
                ReferrerOrder.COUNT: stats.referrals,
                ReferrerOrder.REACH: stats.reach,
                ReferrerOrder.VALUE: stats.value,
            }[by] == pytest.approx(figure[stats.party.id])
    with pytest.raises(InvalidInput):
        top_referrers(network, limit=0)


def test_conversion_matches_the_records(graph: Graph) -> None:
    world = build(graph, 8)
    first: dict[str, Ref] = {}
    for r in sorted(world.refs, key=_order):
        first.setdefault(r.b, r)
    already = converted = 0
    days: list[int] = []
    for party, r in first.items():
        customers = world.customers(party)
        before = [
            d for c, d, _, _ in world.deals if c in customers and (r.date is None or d < r.date)
        ]
        if before:
            already += 1
            continue
        current = [c for c in customers if world.companies[c] in ("CURRENT", "WON_BACK")]
        if not current:
            continue
        converted += 1
        later = [d for c, d, _, _ in world.deals if c in current and r.date and d >= r.date]
        if r.date is not None and later:
            days.append((min(later) - r.date).days)
    conversion = referral_conversion(graph)
    assert conversion.referred == len(first)
    assert conversion.already_customers == already
    assert conversion.converted == converted
    assert conversion.days_to_first_deal == sorted(days)
    assert conversion.rate == pytest.approx(converted / (len(first) - already))


def test_bad_input_is_refused_clearly(graph: Graph) -> None:
    someone = factories.person(graph, "Someone")
    with pytest.raises(InvalidInput, match="maxDepth"):
        referral_chain(graph, someone, max_depth=11)
    with pytest.raises(InvalidInput, match="maxDepth"):
        referral_chain(graph, someone, max_depth=0)
    with pytest.raises(InvalidInput, match="currency"):
        referral_chain(graph, someone, currency="yuan")
    with pytest.raises(NotFound, match="nobody"):
        referral_chain(graph, "nobody")
    with pytest.raises(NotFound, match="nobody"):
        referral_conversion(graph, from_id="nobody")


CHAIN = """
query ($id: ID!, $direction: ReferralDirection!, $depth: Int!, $after: String) {
  referralChain(fromId: $id, direction: $direction, maxDepth: $depth) {
    root { ... on Person { id name } }
    total value hasMore extraReferrals
    levels { depth count value }
    nodes(first: 2, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      nodes { depth parentId referralId date downstreamCount value
              party { __typename ... on Person { id } ... on Company { id } } }
    }
  }
}
"""


def test_the_api_pages_a_tree_and_refuses_deep_ones(graph: Graph, client: TestClient) -> None:
    ann, ben, cai, dan = (factories.person(graph, n) for n in ["Ann", "Ben", "Cai", "Dan"])
    acme = factories.company(graph, "Acme", status="CURRENT")
    for a, b, day in [(ann, ben, 1), (ann, acme, 2), (ben, cai, 3), (cai, dan, 4)]:
        writes.create_edge(
            graph, kinds.REFERRAL, a, b, kinds.REFERRAL.checked({"date": dt.date(2025, 1, day)})
        )
    deals.record_deal(
        graph,
        acme,
        deals.DealFields.checked(
            {"amount": 500.0, "date": dt.date(2025, 3, 1), "productLine": "Core"}
        ),
    )
    deals.record_deal(
        graph,
        acme,
        deals.DealFields.checked(
            {"amount": 70.0, "date": dt.date(2024, 3, 1), "productLine": "Core"}
        ),
    )
    first = data(client, CHAIN, id=ann, direction="DOWNSTREAM", depth=2)["referralChain"]
    assert first["root"] == {"id": ann, "name": "Ann"}
    assert (first["total"], first["value"], first["hasMore"]) == (3, 500.0, True)
    assert first["levels"] == [
        {"depth": 1, "count": 2, "value": 500.0},
        {"depth": 2, "count": 1, "value": 0.0},
    ]
    page = first["nodes"]
    assert page["totalCount"] == 3 and page["pageInfo"]["hasNextPage"]
    assert [n["party"]["id"] for n in page["nodes"]] == [ben, acme]
    assert page["nodes"][0]["downstreamCount"] == 1 and page["nodes"][1]["value"] == 500.0
    after = page["pageInfo"]["endCursor"]
    rest = data(client, CHAIN, id=ann, direction="DOWNSTREAM", depth=2, after=after)
    assert [n["party"]["id"] for n in rest["referralChain"]["nodes"]["nodes"]] == [cai]
    up = data(client, CHAIN, id=dan, direction="UPSTREAM", depth=6)["referralChain"]
    assert [(n["party"]["id"], n["depth"], n["downstreamCount"]) for n in up["nodes"]["nodes"]] == [
        (cai, 1, 1),
        (ben, 2, 2),
    ]
    assert up["total"] == 3 and not up["hasMore"]
    refused = error(client, CHAIN, id=ann, direction="DOWNSTREAM", depth=50)
    assert refused["extensions"]["code"] == "BAD_USER_INPUT"
    assert "maxDepth" in refused["message"]
    missing = error(client, CHAIN, id="nobody", direction="UPSTREAM", depth=3)
    assert missing["extensions"]["code"] == "NOT_FOUND"


def test_the_api_ranks_referrers_and_reports_conversion(graph: Graph, client: TestClient) -> None:
    ann, ben = factories.person(graph, "Ann"), factories.person(graph, "Ben")
    acme = factories.company(graph, "Acme", status="CURRENT")
    beta = factories.company(graph, "Beta", status="PROSPECT")
    for a, b, day in [(ann, acme, 1), (ann, beta, 2), (ben, ann, 3)]:
        writes.create_edge(
            graph, kinds.REFERRAL, a, b, kinds.REFERRAL.checked({"date": dt.date(2025, 1, day)})
        )
    deals.record_deal(
        graph,
        acme,
        deals.DealFields.checked(
            {"amount": 900.0, "date": dt.date(2025, 1, 31), "productLine": "Core"}
        ),
    )
    query = """
    query ($by: ReferrerOrder!) {
      topReferrers(by: $by, limit: 5) {
        rank referrals reach value reachValue party { ... on Person { id } }
      }
      referralConversion { referred converted alreadyCustomers rate medianDaysToFirstDeal }
    }
    """
    found = data(client, query, by="REACH")
    assert [(r["rank"], r["party"]["id"], r["reach"]) for r in found["topReferrers"]] == [
        (1, ben, 3),
        (2, ann, 2),
    ]
    assert found["topReferrers"][1]["value"] == 900.0
    assert found["topReferrers"][0]["reachValue"] == 900.0
    conversion = found["referralConversion"]
    assert conversion == {
        "referred": 3,
        "converted": 1,
        "alreadyCustomers": 0,
        "rate": round(1 / 3, 4),  # the API rounds ratios to 4 decimals
        "medianDaysToFirstDeal": 30.0,
    }
    refused = error(client, "{ topReferrers(limit: 500) { rank } }")
    assert refused["extensions"]["code"] == "BAD_USER_INPUT"


def test_rankings_follow_changes_to_referrals_and_deals(graph: Graph) -> None:
    ann, ben = factories.person(graph, "Ann"), factories.person(graph, "Ben")
    acme = factories.company(graph, "Acme", status="CURRENT")
    writes.create_edge(
        graph, kinds.REFERRAL, ann, acme, kinds.REFERRAL.checked({"date": dt.date(2025, 1, 1)})
    )
    before = top_referrers(referral_network(graph), by=ReferrerOrder.VALUE)
    assert [(s.party.id, s.value) for s in before] == [(ann, 0.0)]
    assert referral_network(graph) is referral_network(graph)  # cached while nothing changes
    deals.record_deal(
        graph,
        acme,
        deals.DealFields.checked(
            {"amount": 10.0, "date": dt.date(2025, 2, 1), "productLine": "Core"}
        ),
    )
    assert top_referrers(referral_network(graph), by=ReferrerOrder.VALUE)[0].value == 10.0
    moved = writes.create_edge(
        graph, kinds.REFERRAL, ben, acme, kinds.REFERRAL.checked({"date": dt.date(2024, 1, 1)})
    ).id
    after = top_referrers(referral_network(graph), by=ReferrerOrder.VALUE)
    assert [(s.party.id, s.value) for s in after] == [(ben, 10.0), (ann, 0.0)]  # ben was first
    writes.update_edge(graph, kinds.REFERRAL, moved, Patch({"date": dt.date(2026, 1, 1)}))
    edited = top_referrers(referral_network(graph), by=ReferrerOrder.VALUE)
    assert [(s.party.id, s.value) for s in edited] == [(ann, 10.0), (ben, 0.0)]


def test_undated_referrals_and_our_own_companies_bring_nothing(graph: Graph) -> None:
    ann, staff = factories.person(graph, "Ann"), factories.person(graph, "Staff")
    ours = factories.company(graph, "Ourselves", isOurs=True, status="CURRENT")
    acme = factories.company(graph, "Acme", status="CURRENT")
    factories.role(graph, staff, ours)
    for company in (ours, acme):
        deals.record_deal(
            graph,
            company,
            deals.DealFields.checked(
                {"amount": 10.0, "date": dt.date(2019, 1, 1), "productLine": "Core"}
            ),
        )
        deals.record_deal(
            graph,
            company,
            deals.DealFields.checked(
                {"amount": 5.0, "date": dt.date(2026, 1, 1), "productLine": "Core"}
            ),
        )
    for referred, date in [(ours, dt.date(2025, 1, 1)), (staff, dt.date(2025, 1, 1)), (acme, None)]:
        writes.create_edge(
            graph, kinds.REFERRAL, ann, referred, kinds.REFERRAL.checked({"date": date})
        )
    chain = referral_chain(graph, ann)
    assert chain.total == 3 and chain.value == 0.0
    conversion = referral_conversion(graph)
    # Acme had deals and the referral has no date: a customer already, not a conversion
    assert (conversion.referred, conversion.already_customers, conversion.converted) == (3, 1, 0)
