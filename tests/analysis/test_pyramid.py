"""The tier pyramid of one of our people or a team: counts per tier against the seeds' rule."""

from __future__ import annotations

import random

import pytest

from graph.analysis import pyramid
from graph.analysis.pyramid import MAX_TEAM, TierPyramid, Verdict, build_pyramid, tier_pyramid
from graph.core import kinds, writes
from graph.core.inputs import Patch
from graph.core.models import TIER_RANK, PersonTier
from graph.db.connection import Graph
from graph.db.errors import InvalidInput, NotFound
from tests import factories
from tests.conftest import StatementLog

P, Q, F, C = (
    PersonTier.PASSER_BY,
    PersonTier.ACQUAINTANCE,
    PersonTier.FRIEND,
    PersonTier.CONFIDANT,
)


def _counts(pyramid: TierPyramid) -> dict[PersonTier, int]:
    return {t.tier: t.count for t in pyramid.tiers}


class World:
    """Our company with two current people and a former one; a customer with three people."""

    def __init__(self, graph: Graph) -> None:
        self.ours = factories.company(graph, "Ourselves", isOurs=True)
        self.customer = factories.company(graph, "Customer", status="CURRENT")
        self.ann, self.bob, self.former = (
            factories.person(graph, name) for name in ("Ann", "Bob", "Former")
        )
        factories.role(graph, self.ann, self.ours)
        factories.role(graph, self.bob, self.ours, endDate="2999-12-31")
        factories.role(graph, self.former, self.ours, startDate="2019-01-01", endDate="2020-01-01")
        self.x, self.y, self.z = (factories.person(graph, name) for name in ("X", "Y", "Z"))
        for person_id in (self.x, self.y, self.z):
            factories.role(graph, person_id, self.customer)
        self.loner = factories.person(graph, "No role")


@pytest.fixture
def world(graph: Graph) -> World:
    return World(graph)


@pytest.fixture(autouse=True, params=["each contact checked", "our people read once"])
def contacts_statement(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test with either way of leaving our people out (by the team's size)."""
    monkeypatch.setattr(pyramid, "FEW", MAX_TEAM if request.param == "each contact checked" else 0)


def test_one_persons_pyramid(graph: Graph, world: World) -> None:
    factories.knows(graph, world.ann, world.x, 0.9, "CONFIDANT")
    factories.knows(graph, world.y, world.ann, 0.5, "FRIEND")  # stored the other way
    factories.knows(graph, world.ann, world.loner, 0.1, "PASSER_BY")
    factories.knows(graph, world.ann, world.former, 0.4, "ACQUAINTANCE")  # a former colleague
    factories.knows(graph, world.ann, world.bob, 0.9, "CONFIDANT")  # our staff: not a contact
    factories.knows(graph, world.bob, world.z, 0.9, "FRIEND")  # Bob's, not Ann's
    pyramid = tier_pyramid(graph, person_ids=[world.ann])
    assert (pyramid.team, pyramid.team_size, pyramid.company_id) == ([world.ann], 1, None)
    assert pyramid.total_contacts == 4
    assert _counts(pyramid) == {P: 1, Q: 1, F: 1, C: 1}
    assert [t.tier for t in pyramid.tiers] == [P, Q, F, C]
    assert all(t.share == 0.25 for t in pyramid.tiers)
    assert pyramid.tier(Q).expected_count == (2.0, 2.0)
    assert pyramid.tier(C).expected_count == pytest.approx((0.12, 0.2))
    verdicts = {t.tier: t.verdict for t in pyramid.tiers}
    assert verdicts == {P: Verdict.BELOW, Q: Verdict.BELOW, F: Verdict.ABOVE, C: Verdict.ABOVE}


def test_a_team_counts_each_contact_once_at_its_highest_tier(graph: Graph, world: World) -> None:
    factories.knows(graph, world.ann, world.x, 0.2, "ACQUAINTANCE")
    factories.knows(graph, world.bob, world.x, 0.9, "CONFIDANT")
    factories.knows(graph, world.ann, world.y, 0.6, "FRIEND")
    factories.knows(graph, world.bob, world.y, 0.1, "PASSER_BY")
    factories.knows(graph, world.ann, world.bob, 0.9, "FRIEND")
    factories.knows(graph, world.former, world.z, 0.9, "CONFIDANT")  # not on the team
    team = tier_pyramid(graph, person_ids=[world.bob, world.ann, world.bob])
    assert team.team == sorted([world.ann, world.bob]) and team.team_size == 2
    assert team.total_contacts == 2
    assert _counts(team) == {P: 0, Q: 0, F: 1, C: 1}
    by_company = tier_pyramid(graph, company_id=world.ours)
    assert by_company.team == team.team  # current staff only: the former colleague is not
    assert by_company.company_id == world.ours
    assert by_company.tiers == team.tiers


def test_a_pyramid_without_contacts(graph: Graph, world: World) -> None:
    pyramid = tier_pyramid(graph, person_ids=[world.ann])
    assert pyramid.total_contacts == 0
    assert all(t.count == 0 and t.share is None and t.verdict is None for t in pyramid.tiers)
    assert pyramid.tier(Q).expected_count == (0.0, 0.0)
    empty = factories.company(graph, "Our empty branch", isOurs=True)
    nobody = tier_pyramid(graph, company_id=empty)
    assert (nobody.team, nobody.team_size, nobody.total_contacts) == ([], 0, 0)


def test_a_random_team_matches_an_independent_count(graph: Graph, world: World) -> None:
    rng = random.Random(7)
    team = [world.ann, world.bob]
    outsiders = [world.x, world.y, world.z, world.loner, world.former]
    outsiders += [factories.person(graph, f"Outsider {i}") for i in range(10)]
    best: dict[str, PersonTier] = {}
    for member in team:
        for other in outsiders:
            if rng.random() < 0.6:
                tier = rng.choice(list(PersonTier))
                ends = (member, other) if rng.random() < 0.5 else (other, member)
                factories.knows(graph, *ends, 0.5, tier.value)
                if other not in best or TIER_RANK[tier] > TIER_RANK[best[other]]:
                    best[other] = tier
    pyramid = tier_pyramid(graph, person_ids=team)
    assert pyramid.total_contacts == len(best)
    assert _counts(pyramid) == {t: list(best.values()).count(t) for t in PersonTier}
    for tier_count in pyramid.tiers:
        assert tier_count.share == pytest.approx(tier_count.count / len(best))


def _rows(counts: dict[PersonTier, int]) -> list[dict[str, str]]:
    return [
        {"contactId": f"{tier.value}-{i}", "tier": tier.value}
        for tier, n in counts.items()
        for i in range(n)
    ]


def test_a_book_of_100_by_the_seeds_is_within_the_rule() -> None:
    pyramid = build_pyramid(["me"], None, _rows({P: 37, Q: 50, F: 10, C: 3}))
    assert all(t.verdict is Verdict.WITHIN for t in pyramid.tiers)
    assert pyramid.tier(C).expected_share == (0.03, 0.05)
    assert pyramid.tier(C).expected_count == (3.0, 5.0)
    assert pyramid.tier(P).expected_share == (0.35, 0.37)
    assert pyramid.tier(Q).band == (0.4, 0.6)


@pytest.mark.parametrize(
    ("friends", "verdict"),
    [(7, Verdict.BELOW), (8, Verdict.WITHIN), (12, Verdict.WITHIN), (13, Verdict.ABOVE)],
)
def test_the_tolerance_is_20_percent_of_the_rule_inclusive(friends: int, verdict: Verdict) -> None:
    pyramid = build_pyramid(["me"], None, _rows({P: 90 - friends, Q: 10, F: friends}))
    assert pyramid.total_contacts == 100
    assert pyramid.tier(F).verdict is verdict
    assert pyramid.tier(Q).verdict is Verdict.BELOW and pyramid.tier(C).verdict is Verdict.BELOW
    assert pyramid.tier(P).verdict is Verdict.ABOVE


def test_confidants_use_the_seeds_range() -> None:
    for confidants, verdict in [(2, Verdict.BELOW), (6, Verdict.WITHIN), (7, Verdict.ABOVE)]:
        pyramid = build_pyramid(["me"], None, _rows({Q: 100 - confidants, C: confidants}))
        assert pyramid.tier(C).verdict is verdict


def test_exactly_one_selector(graph: Graph, world: World) -> None:
    with pytest.raises(InvalidInput):
        tier_pyramid(graph)
    with pytest.raises(InvalidInput):
        tier_pyramid(graph, person_ids=[world.ann], company_id=world.ours)
    with pytest.raises(InvalidInput) as caught:
        tier_pyramid(graph, person_ids=[])
    assert caught.value.field == "personIds"


def test_at_most_200_people(graph: Graph, world: World) -> None:
    with pytest.raises(InvalidInput) as caught:
        tier_pyramid(graph, person_ids=[f"pe_{i}" for i in range(MAX_TEAM + 1)])
    assert "200" in caught.value.message
    with pytest.raises(NotFound):  # 200 is allowed: the first unknown one is reported
        tier_pyramid(graph, person_ids=[world.ann, *(f"pe_{i}" for i in range(MAX_TEAM - 1))])


def test_unknown_ids_are_not_found(graph: Graph, world: World) -> None:
    with pytest.raises(NotFound) as caught:
        tier_pyramid(graph, person_ids=[world.ann, "pe_nobody"])
    assert "pe_nobody" in caught.value.message and caught.value.field == "personIds"
    with pytest.raises(NotFound) as caught:
        tier_pyramid(graph, company_id="co_nothing")
    assert "co_nothing" in caught.value.message and caught.value.field == "companyId"


@pytest.mark.parametrize("who", ["x", "former", "loner"])
def test_only_our_people_have_a_pyramid(graph: Graph, world: World, who: str) -> None:
    person_id = getattr(world, who)
    with pytest.raises(InvalidInput) as caught:
        tier_pyramid(graph, person_ids=[world.ann, person_id])
    assert person_id in caught.value.message and "not one of our people" in caught.value.message


def test_only_our_companies_have_a_pyramid(graph: Graph, world: World) -> None:
    with pytest.raises(InvalidInput) as caught:
        tier_pyramid(graph, company_id=world.customer)
    assert world.customer in caught.value.message and "not one of our companies" in str(
        caught.value
    )


def test_a_cached_pyramid_follows_ties_roles_and_our_companies(
    graph: Graph,
    other_graph: Graph,
    world: World,
    statements: StatementLog,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tie = factories.knows(graph, world.ann, world.x, 0.2, "ACQUAINTANCE")
    factories.knows(graph, world.bob, world.y, 0.6, "FRIEND")
    first = tier_pyramid(graph, company_id=world.ours)
    assert _counts(first) == {P: 0, Q: 1, F: 1, C: 0}
    with statements.count_during() as counter:
        again = tier_pyramid(graph, company_id=world.ours)
    assert again is first and counter.count == 1  # the change feed's head only

    writes.update_edge(
        other_graph, kinds.RELATIONSHIP, tie, Patch({"tier": "CONFIDANT"})
    )  # another process: a tie's tier moves
    assert _counts(tier_pyramid(graph, company_id=world.ours)) == {P: 0, Q: 0, F: 1, C: 1}
    factories.role(
        other_graph, world.y, world.ours
    )  # another process: a contact joins our company: one of our people now
    assert _counts(tier_pyramid(graph, company_id=world.ours)) == {P: 0, Q: 0, F: 0, C: 1}
    writes.update_node(
        other_graph, kinds.COMPANY, world.customer, Patch({"isOurs": True})
    )  # another process: the customer becomes one of ours (no change recorded)
    last = tier_pyramid(graph, company_id=world.ours)
    assert last.total_contacts == 0
    assert tier_pyramid(graph, person_ids=[world.ann]).total_contacts == 0
    with statements.count_during() as counter:
        tier_pyramid(graph, person_ids=[world.ann])
    assert counter.count == 2  # a team by ids is not cached: the team, then the contacts
