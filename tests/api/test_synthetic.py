"""The synthetic generator: deterministic, the seeds' tier ladder, loads what it generates,
its history reads back through the app's own readers, and its referrals and deals have the
shapes analysis needs (heavy-tailed trees with repeats and cycles; Pareto-sized customers)."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from typing import Any

import pytest

from graph.core.history import states_at, to_ms
from graph.db.connection import Graph
from graph.db.setup import count_nodes_and_edges
from graph.deals.deals import deal_page
from graph.evolution.timelines import explain_strength, relationship_history
from graph.keypersons.maps import KeyPersonMap, key_person_map
from graph.referrals.chains import referral_index
from graph.referrals.referrers import referral_conversion
from seed.synthetic import (
    HISTORY_END,
    HISTORY_START,
    PAYING,
    TIERS,
    Synthetic,
    generate,
    load,
    referral_reach,
)


def test_same_seed_same_graph_other_seed_other_graph() -> None:
    assert generate(300, seed=1) == generate(300, seed=1)
    assert generate(300, seed=1).relationships != generate(300, seed=2).relationships


@pytest.mark.slow
def test_tiers_follow_the_ladder_and_degrees_are_heavy_tailed() -> None:
    data = generate(3000)
    shares = Counter(r["props"]["tier"] for r in data.relationships)
    total = sum(shares.values())
    assert total == 30_000
    for tier, share, _ in TIERS:
        assert abs(shares[tier] / total - share) < 0.02, tier
    degrees = sorted(len(n) for n in data.neighbours.values())
    assert degrees[-1] > 5 * degrees[len(degrees) // 2]  # hubs well above the median
    names = [p["name"] for p in data.people]
    assert any(n.isascii() for n in names) and any(not n.isascii() for n in names)


@pytest.mark.slow
def test_items_appear_over_the_years_and_interactions_are_heavy_tailed() -> None:
    data = generate(3000)
    created = sorted(r["props"]["createdAt"] for r in data.relationships)
    assert created[0] >= HISTORY_START and created[-1] < HISTORY_END
    assert created[len(created) // 4] < dt.datetime(2024, 6, 1, tzinfo=dt.UTC) < created[-1]
    counts = sorted(
        r["props"].get("interactionCount", 0)
        for r in data.relationships
        if "strengthRaw" in r["props"]
    )
    assert counts[len(counts) // 2] * 5 < counts[-1]
    assert any(r["props"].get("endDate") for r in data.roles)
    for history in data.histories:
        assert history["at"] == sorted(history["at"]), history["subjectId"]


@pytest.mark.slow
def test_load_writes_every_row(graph: Graph) -> None:
    data = generate(200)
    load(graph, data, batch_size=500)
    nodes, edges = count_nodes_and_edges(graph)
    assert nodes == (
        len(data.companies) + len(data.people) + len(data.interactions) + len(data.deals)
    )
    assert edges == (
        len(data.roles)
        + len(data.relationships)
        + len(data.company_relationships)
        + len(data.reporting_lines)
        + len(data.took_part)
        + len(data.about)
        + len(data.follows)
        + len(data.referrals)
        + len(data.deals)
    )


def test_without_history_the_same_graph_with_the_same_referrals_and_deals() -> None:
    full, bare = generate(400, seed=3), generate(400, seed=3, history=False)
    assert bare == generate(400, seed=3, history=False)
    assert not bare.interactions and not bare.changes and not bare.histories
    assert full.interactions and full.changes
    assert bare.referrals == full.referrals and bare.deals == full.deals
    assert [p["id"] for p in bare.people] == [p["id"] for p in full.people]
    assert len(bare.relationships) == len(full.relationships)
    assert generate(400, seed=4, history=False).referrals != bare.referrals


def _reaches(children: dict[str, list[str]], start: str, goal: str) -> bool:
    seen, stack = {start}, [start]
    while stack:
        node = stack.pop()
        if node == goal:
            return True
        for child in children.get(node, ()):
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return False


@pytest.fixture(scope="module")
def bare() -> Synthetic:
    return generate(2000, seed=7, history=False)


def test_referrals_grow_heavy_tailed_trees_with_repeats_and_cycles(bare: Synthetic) -> None:
    rows = bare.referrals
    assert abs(len(rows) / len(bare.people) - 0.4) < 0.02
    assert [r["props"]["id"] for r in rows] == [f"rf_{n:07d}" for n in range(1, len(rows) + 1)]
    created = {p["id"]: p["createdAt"] for p in bare.people} | {
        c["id"]: c["createdAt"] for c in bare.companies
    }
    first_referred: dict[str, dt.date] = {}
    for row in rows:
        props = row["props"]
        assert HISTORY_START.date() <= props["date"] <= HISTORY_END.date()
        assert props["date"] <= props["createdAt"].date() and props["createdAt"] <= HISTORY_END
        for end, kind in ((row["fromId"], row["fromKind"]), (row["toId"], row["toKind"])):
            assert end in created, end  # each end exists ...
            assert created[end] <= dt.datetime.combine(props["date"], dt.time.max, dt.UTC)
            assert kind == ("PERSON" if end.startswith("pe_") else "COMPANY")
        assert not bare.company_of.get(row["toId"], "co_").startswith("co_ours")
        referrer = first_referred.get(row["fromId"])
        assert referrer is None or referrer < props["date"]  # ... referred before it refers
        first_referred.setdefault(row["toId"], props["date"])
    # mostly customers' people, about one in ten a company
    companies = sum(1 for r in rows if r["toKind"] == "COMPANY") / len(rows)
    assert 0.05 < companies < 0.15
    # a few repeated pairs (about 1%), and cycles
    pairs = Counter((r["fromId"], r["toId"]) for r in rows)
    assert 1 <= sum(pairs.values()) - len(pairs) <= 0.02 * len(rows)
    children: dict[str, list[str]] = {}
    for row in rows:
        children.setdefault(row["fromId"], []).append(row["toId"])
    assert any(_reaches(children, r["toId"], r["fromId"]) for r in rows)
    # heavy-tailed: most referrers make one or two, a few many, some with a wide reach
    made = Counter(r["fromId"] for r in rows)
    assert sum(1 for n in made.values() if n <= 2) > 0.6 * len(made)
    assert max(made.values()) >= 10
    reach = referral_reach(rows)
    ordered = sorted(reach.values(), reverse=True)
    assert ordered[0] > 100 and ordered[0] > 20 * ordered[len(ordered) // 2]
    # chains: some go five levels or more down along first referrers
    parent: dict[str, str] = {}
    for row in rows:
        parent.setdefault(row["toId"], row["fromId"])

    def depth(party: str) -> int:
        seen = set()
        while party in parent and party not in seen:
            seen.add(party)
            party = parent[party]
        return len(seen)

    assert max(depth(p) for p in parent) >= 5


def test_deals_belong_to_customers_and_revenue_is_concentrated(bare: Synthetic) -> None:
    companies = {c["id"]: c for c in bare.companies}
    revenue: Counter[str] = Counter()
    for deal in bare.deals:
        company = companies[deal["companyId"]]
        props = deal["props"]
        assert not company["isOurs"] and company["status"] in PAYING
        assert company["createdAt"].date() <= props["date"] <= HISTORY_END.date()
        assert props["currency"] == "CNY" and props["amount"] > 0
        revenue[deal["companyId"]] += props["amount"]
    assert any(c["status"] == "WON_BACK" for c in bare.companies)
    paying = [c for c in bare.companies if c["status"] in PAYING and not c["isOurs"]]
    assert len(revenue) == len(paying)
    assert 5 <= len(bare.deals) / len(revenue) <= 10
    amounts = sorted(revenue.values(), reverse=True)
    assert sum(amounts[: max(1, len(amounts) // 5)]) > 0.6 * sum(amounts)
    lines = Counter(d["props"]["productLine"] for d in bare.deals)
    assert 4 <= len(lines) <= 6
    per_customer: dict[str, set[str]] = {}
    for deal in bare.deals:
        per_customer.setdefault(deal["companyId"], set()).add(deal["props"]["productLine"])
    assert any(len(owned) > 1 for owned in per_customer.values())  # cross-sell
    # the churned stop a while before the end
    last = {c: max(d["props"]["date"] for d in bare.deals if d["companyId"] == c) for c in revenue}
    churned = [c for c in revenue if companies[c]["status"] == "CHURNED"]
    assert churned and all(last[c] < HISTORY_END.date() - dt.timedelta(days=30) for c in churned)
    # referred customers: many start buying after their first referral
    first_referred: dict[str, dt.date] = {}
    for row in bare.referrals:
        to = row["toId"]
        first_referred.setdefault(
            to if row["toKind"] == "COMPANY" else bare.company_of[to], row["props"]["date"]
        )
    first_deal = {
        c: min(d["props"]["date"] for d in bare.deals if d["companyId"] == c) for c in revenue
    }
    after = [c for c in revenue if c in first_referred and first_deal[c] > first_referred[c]]
    assert len(after) >= 0.3 * len(revenue)


@pytest.mark.slow
def test_referrals_and_deals_load_and_read_back(graph: Graph) -> None:
    data = generate(600, seed=5, history=False)
    load(graph, data, batch_size=1000)
    nodes, edges = count_nodes_and_edges(graph)
    assert nodes == len(data.companies) + len(data.people) + len(data.deals)
    assert edges == (
        len(data.roles)
        + len(data.relationships)
        + len(data.company_relationships)
        + len(data.reporting_lines)
        + len(data.referrals)
        + len(data.deals)
    )
    # every referral, with its ends and their kinds, as the app reads them
    stored = {e.id: e for e in referral_index(graph).edges}
    assert len(stored) == len(data.referrals)
    for row in data.referrals:
        edge = stored[row["props"]["id"]]
        assert (edge.referrer.id, edge.referrer.kind.value) == (row["fromId"], row["fromKind"])
        assert (edge.referred.id, edge.referred.kind.value) == (row["toId"], row["toKind"])
        assert edge.date == row["props"]["date"]
    # every deal, on its company
    page = deal_page(graph, offset=0, limit=len(data.deals))
    assert page.total == len(data.deals)
    assert {(d.id, d.company_id, d.date, d.amount) for d in page.items} == {
        (d["props"]["id"], d["companyId"], d["props"]["date"], d["props"]["amount"])
        for d in data.deals
    }
    # referred parties turn into customers, some time after their referral
    conversion = referral_conversion(graph)
    assert conversion.converted > 0 and conversion.days_to_first_deal
    assert conversion.rate is not None and 0 < conversion.rate < 1


def _state_at(data: Synthetic, props: dict[str, Any], at: dt.datetime) -> dict[str, Any] | None:
    """A generated subject's fields at `at`, from the generator's own time index rows."""
    history = next((h for h in data.histories if h["subjectId"] == props["id"]), None)
    if history is None:
        return props if props["createdAt"] <= at else None
    pairs = zip(history["at"], history["state"], strict=True)
    seen = [state for ms, state in pairs if ms <= to_ms(at)]
    return {**props, **json.loads(seen[-1])} if seen else None


def _expected_map(data: Synthetic, company: str, at: dt.datetime) -> dict[str, dict[str, float]]:
    """Key person -> {tie id: strength} with our staff, at `at`, from the generated rows."""
    ours = {p for p, c in data.company_of.items() if c.startswith("co_ours")}
    expected: dict[str, dict[str, float]] = {}
    for row in data.roles:
        if row["companyId"] != company:
            continue
        role = _state_at(data, row["props"], at)
        if role is None or not role["isKeyPerson"]:
            continue
        end = role.get("endDate")
        if end is not None and dt.date.fromisoformat(str(end)) < at.date():
            continue
        ties = expected.setdefault(row["personId"], {})
        for tie in data.relationships:
            if row["personId"] not in (tie["fromId"], tie["toId"]):
                continue
            if not {tie["fromId"], tie["toId"]} & ours:
                continue
            then = _state_at(data, tie["props"], at)
            if then is not None:
                ties[tie["props"]["id"]] = float(then["strength"])
    return expected


def _found(found: KeyPersonMap) -> dict[str, dict[str, float]]:
    return {
        e.person_id: {t.relationship.id: t.relationship.strength for t in e.ties}
        for e in found.entries
    }


@pytest.mark.slow
def test_history_reads_back_through_the_apps_readers(graph: Graph) -> None:
    data = generate(400)
    load(graph, data, batch_size=300)
    company = data.featured_customer
    then = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)

    # the key-person map now and on a past date, as the generator's rows say
    now_expected = _expected_map(data, company, dt.datetime.now(dt.UTC))
    then_expected = _expected_map(data, company, then)
    assert set(now_expected) != set(then_expected)  # a key person left, another was named
    assert _found(key_person_map(graph, company)) == now_expected
    assert _found(key_person_map(graph, company, as_of=then)) == then_expected
    early = key_person_map(graph, company, as_of=HISTORY_START - dt.timedelta(days=1))
    assert all(not e.ties for e in early.entries)  # no tie was recorded yet

    # the busiest tie of the featured customer: its time index, edge and change log agree
    busiest = max(
        (r for r in data.relationships if data.company_of[r["toId"]] == company),
        key=lambda r: r["props"].get("interactionCount", -1),
    )
    props = busiest["props"]
    assert props["interactionCount"] >= 10
    history = next(h for h in data.histories if h["subjectId"] == props["id"])
    for count, ms in enumerate(history["at"], start=1):
        seen, state = states_at(graph, [props["id"]], dt.datetime.fromtimestamp(ms / 1000, dt.UTC))[
            props["id"]
        ]
        assert seen == count  # ascending: the index holds exactly `count` changes by then
    seen, state = states_at(graph, [props["id"]], dt.datetime.now(dt.UTC))[props["id"]]
    stored = {
        t.relationship.id: t.relationship
        for e in key_person_map(graph, company).entries
        for t in e.ties
    }[props["id"]]
    assert json.loads(state)["strength"] == stored.strength == props["strength"]
    assert stored.interaction_count == props["interactionCount"]
    timeline = relationship_history(
        graph, busiest["fromId"], busiest["toId"], offset=0, limit=1000
    ).items
    assert len(timeline) == len(history["at"])
    assert timeline[0].operation.value == "CREATED"
    assert timeline[0].evidence_kind is not None and timeline[0].evidence_kind.value == "MANUAL"
    assert [c.at for c in timeline] == sorted(c.at for c in timeline)
    # the app's own explanation of the strength (anchor + interactions) gives the stored one
    explained = explain_strength(graph, props["id"])
    assert explained.strength == pytest.approx(stored.strength, abs=1e-9)
    assert len(explained.interactions) == props["interactionCount"]
