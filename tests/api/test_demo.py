"""The demo data: every concept occurs, referral chains exist, loading twice changes nothing."""

from __future__ import annotations

from enum import Enum

import pytest

from graph.core import models, reads
from graph.db.connection import Graph
from graph.db.setup import count_nodes_and_edges
from graph.evolution import timelines as evolution
from graph.keypersons.maps import key_person_map
from graph.referrals.chains import referral_chain
from seed.demo import load_demo, story_time
from tests.factories import demo_id


@pytest.fixture
def demo(graph: Graph) -> Graph:
    load_demo(graph)
    return graph


def test_loading_twice_changes_nothing(demo: Graph) -> None:
    before = count_nodes_and_edges(demo)
    page_before = reads.company_page(demo, offset=0, limit=100)
    load_demo(demo)
    assert count_nodes_and_edges(demo) == before
    assert reads.company_page(demo, offset=0, limit=100) == page_before  # updatedAt included


def _values(items: list[object], attribute: str) -> set[Enum]:
    return {getattr(item, attribute) for item in items} - {None}


def test_every_concept_occurs(demo: Graph) -> None:
    companies = reads.company_page(demo, offset=0, limit=100).items
    people = reads.person_page(demo, offset=0, limit=100).items
    roles = reads.role_page(demo, offset=0, limit=100, include_past=True).items
    relationships = reads.relationship_page(demo, offset=0, limit=100).items
    company_relationships = reads.company_relationship_page(demo, offset=0, limit=100).items
    expected: list[tuple[list[object], str, type[Enum]]] = [
        (list(companies), "status", models.CompanyStatus),
        (list(companies), "value_class", models.ValueClass),
        (list(companies), "intent_class", models.IntentClass),
        (list(companies), "lifecycle_stage", models.LifecycleStage),
        (list(people), "communication_style", models.CommunicationStyle),
        (list(roles), "buying_role", models.BuyingRole),
        (list(roles), "seniority", models.Seniority),
        (list(relationships), "tier", models.PersonTier),
        (list(relationships), "level", models.RelationshipLevel),
        (list(company_relationships), "tier", models.CompanyTier),
        (list(company_relationships), "lifecycle_stage", models.LifecycleStage),
    ]
    for items, attribute, enum in expected:
        assert _values(items, attribute) == set(enum), (attribute, enum)
    assert any(c.is_ours for c in companies) and any(not c.is_ours for c in companies)
    assert any(not r.is_current for r in roles)
    assert any(c.name.isascii() for c in companies) and any(not c.name.isascii() for c in companies)


def test_referral_chains(demo: Graph) -> None:
    referrals = reads.referral_page(demo, offset=0, limit=100).items
    referred_by = {r.referred.id: r.referrer.id for r in referrals}
    longest = 0
    for start in referred_by:
        length, node = 0, start
        while node in referred_by and length < 10:
            node, length = referred_by[node], length + 1
        longest = max(longest, length)
    assert longest >= 3
    kinds = {(r.referrer.kind, r.referred.kind) for r in referrals}
    assert (models.PartyKind.PERSON, models.PartyKind.PERSON) in kinds
    assert (models.PartyKind.COMPANY, models.PartyKind.COMPANY) in kinds
    summit = demo_id(demo, "company", "summit")
    chain = referral_chain(demo, summit)  # the README's example
    names = {c.id: c.name for c in reads.company_page(demo, offset=0, limit=100).items}
    assert [(names[n.party.id], n.depth) for n in chain.nodes[1:]] == [
        ("北辰物流 Beichen Logistics", 1),
        ("Northwind Retail", 2),
        ("蓝海能源 Blue Ocean Energy", 3),
    ]
    assert chain.value > 0


def test_the_demo_has_a_history_to_explore(demo: Graph) -> None:
    harbor = demo_id(demo, "company", "harbor")
    stages = [p.stage.value for p in evolution.lifecycle_timeline(demo, harbor) if p.stage]
    assert stages == ["STABILITY", "DECLINE", "FORMATION", "STABILITY"]

    huadong, zhouqiang = demo_id(demo, "company", "huadong"), demo_id(demo, "person", "zhouqiang")
    lina = demo_id(demo, "person", "lina")

    def lina_tie(day: str | None) -> tuple[models.PersonTier, float] | None:
        as_of = None if day is None else story_time(day)  # the story's day, as loaded today
        found = key_person_map(demo, huadong, as_of=as_of)
        [entry] = [e for e in found.entries if e.person_id == zhouqiang]
        ties = [t.relationship for t in entry.ties if t.our_person_id == lina]
        return (ties[0].tier, ties[0].strength) if ties else None

    assert lina_tie("2018-01-01") is None  # 李娜 joined us in March 2018
    assert lina_tie("2018-04-01") == (models.PersonTier.ACQUAINTANCE, 0.3)
    assert lina_tie("2019-01-01") == (models.PersonTier.FRIEND, 0.6)
    now = lina_tie(None)
    assert now is not None and now[0] is models.PersonTier.CONFIDANT

    fading = evolution.fading_relationships(demo, min_drop=None, silent_days=180, limit=100)
    sunli = demo_id(demo, "person", "sunli")
    assert any(f.their_person_id == sunli for f in fading.items)
    jinshan = demo_id(demo, "company", "jinshan")
    moves = evolution.neighbourhood_diff(
        demo,
        jinshan,
        story_time("2024-01-01"),
        story_time("2025-01-01"),
    )
    assert {m.category.value for m in moves} >= {"ENDED_ROLE", "STAGE_CHANGE", "TIER_MOVE"}
