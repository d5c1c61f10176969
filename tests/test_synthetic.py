"""The synthetic generator: deterministic, the seeds' tier ladder, loads what it generates,
and its history reads back through the app's own readers."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from typing import Any

import pytest

from graph.connection import Graph
from graph.evolution import explain_strength, relationship_history
from graph.history import states_at, to_ms
from graph.keypersons import KeyPersonMap, key_person_map
from graph.setup import count_nodes_and_edges
from seed.synthetic import HISTORY_END, HISTORY_START, TIERS, Synthetic, generate, load


def test_same_seed_same_graph_other_seed_other_graph() -> None:
    assert generate(300, seed=1) == generate(300, seed=1)
    assert generate(300, seed=1).relationships != generate(300, seed=2).relationships


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


def test_load_writes_every_row(graph: Graph) -> None:
    data = generate(200)
    load(graph, data, batch_size=500)
    nodes, edges = count_nodes_and_edges(graph)
    assert nodes == len(data.companies) + len(data.people) + len(data.interactions)
    assert edges == (
        len(data.roles)
        + len(data.relationships)
        + len(data.company_relationships)
        + len(data.reporting_lines)
        + len(data.took_part)
        + len(data.about)
        + len(data.follows)
    )


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
