"""No N+1: the number of database round trips does not grow with the list."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import Counter
from typing import Any

from starlette.testclient import TestClient

from graph.core import kinds, writes
from graph.core.history import ChangeNote
from graph.core.inputs import Patch
from graph.core.models import PersonTier, tiers_at_least
from graph.db.connection import Graph
from graph.evolution import interactions
from graph.keypersons.introductions import find_introductions
from graph.keypersons.paths import Tie, adjacency, top_paths
from tests import factories
from tests.conftest import StatementLog, data, error

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
                kinds.COMPANY_RELATIONSHIP.checked({"tier": "TRANSACTIONAL", "strength": 0.1}),
            )
            writes.create_edge(graph, kinds.REFERRAL, previous, company, kinds.REFERRAL.checked({}))
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
    _build(graph, 26)  # the last page item still points past the page
    small = _round_trips(client, statements, 5)
    # 25: the most this query may ask at once (GUANXI_MAX_COST counts a company's people as
    # 200, its company relationships and referrals as 50 each)
    large = _round_trips(client, statements, 25)
    assert large == small
    # page, roles by company with their people (no look-up of the people by id), company
    # relationships, referrals, companies by id
    assert large <= 5


PERSON_WITH_TIES = """
query ($p: ID!) { person(id: $p) {
  name relationships { strength fromPerson { name } toPerson { name } } } }
"""

PERSON_WITH_ROLES = """
query ($p: ID!) { person(id: $p) { name roles { title company { name peopleCount } } } }
"""


def test_naming_the_other_ends_of_a_persons_ties_and_roles_costs_no_round_trip(
    client: TestClient, graph: Graph, statements: StatementLog
) -> None:
    """The relationships (roles) are read with the other people (companies): the person, then
    their relationships or roles, and nothing more, whatever their number."""
    me = factories.person(graph, "Me")
    for i, strength in enumerate((0.2, 0.4, 0.6, 0.8)):
        other = factories.person(graph, f"Other {i}")
        ends = (me, other) if i % 2 else (other, me)  # either way round
        factories.knows(graph, *ends, strength)
        factories.role(graph, me, factories.company(graph, f"Co {i}"), title=f"T{i}")
    result, count = _counted(client, statements, PERSON_WITH_TIES, p=me)
    ties = result["person"]["relationships"]
    assert [t["strength"] for t in ties] == [0.8, 0.6, 0.4, 0.2]
    assert [{t["fromPerson"]["name"], t["toPerson"]["name"]} for t in ties] == [
        {"Me", f"Other {i}"} for i in (3, 2, 1, 0)
    ]
    assert count == 2
    result, count = _counted(client, statements, PERSON_WITH_ROLES, p=me)
    roles = result["person"]["roles"]
    assert sorted((r["title"], r["company"]["name"]) for r in roles) == [
        (f"T{i}", f"Co {i}") for i in range(4)
    ]
    assert all(r["company"]["peopleCount"] == 1 for r in roles)
    assert count == 2


COMPANY_WITH_PEOPLE = """
query ($c: ID!) { company(id: $c) { name people { title ...Named } } }
fragment Named on Role { ... on Role { person { name } } }
"""


def test_people_named_in_a_fragment_are_read_with_the_roles(
    client: TestClient, graph: Graph, statements: StatementLog
) -> None:
    company = factories.company(graph, "Co")
    for i in range(3):
        factories.role(graph, factories.person(graph, f"P{i}"), company, title=f"T{i}")
    result, count = _counted(client, statements, COMPANY_WITH_PEOPLE, c=company)
    people = result["company"]["people"]
    assert sorted((r["title"], r["person"]["name"]) for r in people) == [
        (f"T{i}", f"P{i}") for i in range(3)
    ]
    assert count == 2  # the company, then its roles with their people


def _counted(
    client: TestClient, statements: StatementLog, query: str, **variables: Any
) -> tuple[dict[str, Any], int]:
    """The data of one operation and how many statements it ran."""
    with statements.count_during() as counter:
        result = data(client, query, **variables)
    return result, counter.count


# What an account planner opens: everyone at the customer, with who of ours knows them.
MAP = """
query ($c: ID!, $asOf: DateTime) {
  keyPersonMap(companyId: $c, everyone: true, asOf: $asOf) {
    tierWithUs
    summary { keyPersons covered uncovered singleThreaded coverageRatio reachesExecutives
              tierDistribution { tier count } }
    entries { person { id name } roles { title department buyingRole seniority }
              covered threads desiredTier stance tierGap
              relationships { ourPerson { id name } tier strength level lastUpdated
                              isStrongest } }
    plan { person { id name } desiredTier tierGap }
    mismatches { rule reason }
  }
}
"""


def _customer_with_people(graph: Graph, people: int, ours: int) -> str:
    """A customer with `people` people, each known by some of our `ours` people."""
    our_company = factories.company(graph, f"Ours {people}", isOurs=True)
    customer = factories.company(graph, f"Customer {people}")
    writes.create_edge(
        graph,
        kinds.COMPANY_RELATIONSHIP,
        our_company,
        customer,
        kinds.COMPANY_RELATIONSHIP.checked({"tier": "PARTNERSHIP", "strength": 0.5}),
    )
    staff = [factories.person(graph, f"Our {people}-{i}") for i in range(ours)]
    for person in staff:
        factories.role(graph, person, our_company, title="Sales")
    for i in range(people):
        person = factories.person(graph, f"Their {people}-{i}")
        factories.role(
            graph,
            person,
            customer,
            title=f"Title {i}",
            isKeyPerson=i % 2 == 0,
            seniority=["EXECUTIVE", "SENIOR", "MIDDLE", "STAFF"][i % 4],
            desiredTier="FRIEND" if i % 3 == 0 else None,
        )
        for j in range(i % 3):
            factories.knows(graph, staff[(i + j) % ours], person, 0.3 + 0.2 * j)
    return customer


def _map_trips(
    client: TestClient, statements: StatementLog, company: str, people: int, ours: int
) -> int:
    result, count = _counted(client, statements, MAP, c=company, asOf=None)
    entries = result["keyPersonMap"]["entries"]
    assert len(entries) == people
    named = {r["ourPerson"]["name"] for e in entries for r in e["relationships"]}
    assert all(e["person"]["name"].startswith("Their ") for e in entries)
    assert len(named) == min(ours, people) and all(n.startswith("Our ") for n in named)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
    then, then_count = _counted(client, statements, MAP, c=company, asOf=later.isoformat())
    assert then == result
    assert then_count == count
    return count


FIGURES = """
query ($c: ID!) {
  keyPersonMap(companyId: $c, everyone: true) {
    entries { person { name strongestTie relationshipCount }
              relationships { strength ourPerson { name relationshipCount } } }
  }
}
"""


def test_key_person_map_is_one_round_trip_whatever_its_size(
    client: TestClient, graph: Graph, statements: StatementLog
) -> None:
    small = _customer_with_people(graph, 3, 2)
    large = _customer_with_people(graph, 30, 6)
    assert _map_trips(client, statements, small, 3, 2) == 1
    assert _map_trips(client, statements, large, 30, 6) == 1
    # the people's figures are stored with them (graph/core/figures.py): no further round trip
    for company in (small, large):
        result, count = _counted(client, statements, FIGURES, c=company)
        assert count == 1
        entries = result["keyPersonMap"]["entries"]
        held = Counter(r["ourPerson"]["name"] for e in entries for r in e["relationships"])
        for entry in entries:
            strengths = [r["strength"] for r in entry["relationships"]]
            assert entry["person"]["strongestTie"] == (max(strengths) if strengths else None)
            assert entry["person"]["relationshipCount"] == len(strengths)
            for tie in entry["relationships"]:
                assert tie["ourPerson"]["relationshipCount"] == held[tie["ourPerson"]["name"]]


PATHS = """
query ($a: ID!, $b: ID!, $hops: Int!, $first: Int!) {
  introductionPaths(fromPersonId: $a, toPersonId: $b, maxHops: $hops, first: $first) {
    strength hops label people { id name }
    steps { tier strength fromPerson { id name } toPerson { id name } }
  }
}
"""


def _layers(graph: Graph, width: int) -> tuple[str, str]:
    """Two people joined through three layers of `width` people, each layer tied to the next."""
    start = factories.person(graph, f"Start {width}")
    end = factories.person(graph, f"End {width}")
    previous = [start]
    for layer in range(3):
        current = [factories.person(graph, f"L{width}-{layer}-{i}") for i in range(width)]
        for i, a in enumerate(previous):
            for j, b in enumerate(current):
                factories.knows(graph, a, b, 0.5 + 0.01 * ((i + j) % 7))
        previous = current
    for i, a in enumerate(previous):
        factories.knows(graph, a, end, 0.6 + 0.01 * i)
    return start, end


def test_introduction_paths_are_a_few_round_trips_whatever_their_size(
    client: TestClient, graph: Graph, statements: StatementLog
) -> None:
    """The search asks for the people near the two ends a round of them at a time, and reads
    the people on the paths once: within 4 hops, the ties of both ends, those of the people
    next to one end, those of the people next to the other that meet them, and the people on
    the paths. A missing end is found in the first round trip, a stranger costs one."""
    small = _layers(graph, 1)
    large = _layers(graph, 4)
    counts: dict[tuple[int, int], int] = {}
    for hops in (4, 5):
        for (a, b), first in ((small, 1), (large, 20)):
            result, count = _counted(client, statements, PATHS, a=a, b=b, hops=hops, first=first)
            found = result["introductionPaths"]
            assert len(found) == first
            assert all(len(p["people"]) == 5 and p["people"][0]["name"] for p in found)
            counts[hops, first] = count
    assert counts[4, 1] == counts[4, 20] == 4, counts
    assert counts[5, 1] == counts[5, 20] <= 2 * 5, counts
    stranger = factories.person(graph, "Stranger")
    result, count = _counted(client, statements, PATHS, a=small[0], b=stranger, hops=3, first=5)
    assert result["introductionPaths"] == [] and count == 1
    for missing in ("fromPersonId", "toPersonId"):
        ends = {"a": small[0], "b": small[1]}
        ends["a" if missing == "fromPersonId" else "b"] = "pe_missing"
        with statements.count_during() as counter:
            found = error(client, PATHS, hops=4, first=5, **ends)
        assert found["extensions"] == {"code": "NOT_FOUND", "field": missing}
        assert counter.count == 1


def test_the_path_statement_brings_every_person_on_the_paths(graph: Graph) -> None:
    """On a random graph, for every number of hops: the paths are those of the whole graph,
    and everyone on them comes with them (so naming them needs no other round trip)."""
    rng = random.Random(11)
    people = [factories.person(graph, f"R{i}") for i in range(16)]
    ties = []
    for a, b in rng.sample(list(itertools.combinations(people, 2)), 40):
        tier = rng.choice(list(PersonTier)).value
        strength = rng.choice([0.0, 0.2, 0.5, 0.9])
        ties.append(Tie(factories.knows(graph, a, b, strength, tier=tier), a, b, tier, strength))
    found_by_hops = dict.fromkeys(range(1, 7), 0)
    for max_hops in found_by_hops:
        for min_tier in (None, PersonTier.ACQUAINTANCE):
            allowed = adjacency(t for t in ties if t.tier in tiers_at_least(min_tier))
            tied = [(t.a, t.b) for t in rng.sample(ties, 2)]
            for a, b in rng.sample(list(itertools.permutations(people, 2)), 6) + tied:
                found = find_introductions(
                    graph, a, b, max_hops=max_hops, first=20, min_tier=min_tier
                )
                assert found.paths == top_paths(allowed, [a], [b], max_hops=max_hops, k=20)
                on_paths = {id_ for path in found.paths for id_ in path.person_ids}
                assert set(found.people) == on_paths
                assert all(found.people[id_].name.startswith("R") for id_ in on_paths)
                found_by_hops[max_hops] += len(found.paths)
    assert all(found_by_hops.values()), found_by_hops


HISTORY = """
query ($a: ID!, $b: ID!) {
  relationshipHistory(a: $a, b: $b, first: 100) {
    totalCount
    nodes { at operation changed before after by reason evidenceKind
            interaction { id kind at sentiment summary } }
  }
}
"""


def _history(graph: Graph, contacts: int) -> tuple[str, str, str, str]:
    """Li (ours) and Zhou (theirs) with `contacts` interactions logged over the last year, and
    two companies whose relationship changed as often."""
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=400)
    ours = factories.company(graph, f"Ours {contacts}", isOurs=True)
    customer = factories.company(graph, f"Customer {contacts}")
    li = factories.person(graph, f"Li {contacts}")
    zhou = factories.person(graph, f"Zhou {contacts}")
    factories.role(graph, li, ours)
    factories.role(graph, zhou, customer)
    writes.create_edge(
        graph,
        kinds.RELATIONSHIP,
        li,
        zhou,
        kinds.RELATIONSHIP.checked({"tier": "ACQUAINTANCE", "strength": 0.3}),
        note=ChangeNote(by="planner", at=start),
    )
    business = writes.create_edge(
        graph,
        kinds.COMPANY_RELATIONSHIP,
        ours,
        customer,
        kinds.COMPANY_RELATIONSHIP.checked({"tier": "TRANSACTIONAL", "strength": 0.1}),
        note=ChangeNote(by="planner", at=start),
    ).id
    for i in range(contacts):
        when = start + dt.timedelta(days=10 * (i + 1))
        interactions.log_interaction(
            graph,
            interactions.InteractionFields.checked(
                {
                    "kind": "MEETING",
                    "at": when,
                    "ourPersonIds": [li],
                    "theirPersonIds": [zhou],
                    "summary": f"meeting {i}",
                    "by": "Li",
                }
            ),
        )
        writes.update_edge(
            graph,
            kinds.COMPANY_RELATIONSHIP,
            business,
            Patch({"strength": 0.1 + 0.05 * (i + 1)}),
            note=ChangeNote(by="planner", reason=f"step {i}", at=when),
        )
    return li, zhou, ours, customer


def test_relationship_history_is_one_round_trip_whatever_its_length(
    client: TestClient, graph: Graph, statements: StatementLog
) -> None:
    for contacts in (1, 12):
        li, zhou, ours, customer = _history(graph, contacts)
        result, count = _counted(client, statements, HISTORY, a=li, b=zhou)
        nodes = result["relationshipHistory"]["nodes"]
        assert len(nodes) == 1 + contacts
        summaries = [n["interaction"]["summary"] for n in nodes if n["interaction"]]
        assert summaries == [f"meeting {i}" for i in range(contacts)]
        assert count == 1, contacts
        result, count = _counted(client, statements, HISTORY, a=customer, b=ours)
        nodes = result["relationshipHistory"]["nodes"]
        assert [n["by"] for n in nodes] == ["planner"] * (1 + contacts)
        assert count == 1, contacts


TIMELINE = """
query ($c: ID!) { lifecycleTimeline(companyId: $c) { stage start end days by reason } }
"""


def test_lifecycle_timeline_is_one_round_trip_whatever_its_length(
    client: TestClient, graph: Graph, statements: StatementLog
) -> None:
    stages = ["EXPLORATION", "FORMATION", "STABILITY", "DECLINE"]
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=1000)
    for moves in (1, 12):
        company = writes.create_node(
            graph,
            kinds.COMPANY,
            kinds.COMPANY.checked({"name": f"Staged {moves}", "lifecycleStage": stages[0]}),
            note=ChangeNote(by="planner", at=start),
        ).id
        for i in range(1, moves + 1):
            writes.update_node(
                graph,
                kinds.COMPANY,
                company,
                Patch({"lifecycleStage": stages[i % 4]}),
                note=ChangeNote(by="planner", reason=f"move {i}", at=start + dt.timedelta(i)),
            )
        result, count = _counted(client, statements, TIMELINE, c=company)
        periods = result["lifecycleTimeline"]
        assert [p["stage"] for p in periods] == [stages[i % 4] for i in range(moves + 1)]
        assert periods[-1]["reason"] == f"move {moves}" and periods[-1]["end"] is None
        assert count == 1, moves
    with statements.count_during() as counter:
        missing = error(client, TIMELINE, c="co_missing")
    assert missing["extensions"] == {"code": "NOT_FOUND", "field": "companyId"}
    assert counter.count == 1
