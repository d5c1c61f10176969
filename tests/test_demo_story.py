"""The demo stays alive: its dates move with the day it is loaded, so its story (tiers,
strengths, what fades, the 黄伟 story the call plan relies on) reads the same whatever the
calendar says; and the API shows its strengths rounded."""

from __future__ import annotations

import datetime as dt

import pytest
from starlette.testclient import TestClient

from graph.core import reads
from graph.core.models import BuyingRole, PersonTier, Stance
from graph.db import cache
from graph.db.connection import Graph
from graph.db.setup import delete_everything
from graph.evolution import timelines as evolution
from graph.evolution.strength import StrengthModel, clamp
from graph.keypersons.maps import key_person_map, org_chart
from seed.demo import anchor, load_demo, shift, story_time
from tests.conftest import data
from tests.factories import demo_id

MODEL = StrengthModel()
TODAY = dt.datetime.now(dt.UTC).date()

Reading = tuple[str, float, float, str, int | None]


def _noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), dt.UTC)


def _readings(graph: Graph, day: dt.date) -> dict[tuple[str, str], Reading]:
    """Each tie by its people's external ids: (tier, stored strength, strength decayed to
    noon of `day`, suggested tier, days since the last interaction then)."""
    at = _noon(day)
    people = {
        p.id: p.external_id or p.id for p in reads.person_page(graph, offset=0, limit=100).items
    }
    found: dict[tuple[str, str], Reading] = {}
    for tie in reads.relationship_page(graph, offset=0, limit=100).items:
        why = evolution.explain_strength(graph, tie.id, at)
        since = at - (why.evaluated_at or at)
        decayed = clamp(why.raw * MODEL.decay(int(since.total_seconds() * 1000)))
        last = tie.last_interaction_at
        found[(people[tie.from_person_id], people[tie.to_person_id])] = (
            tie.tier.value,
            tie.strength,
            decayed,
            MODEL.suggested_tier(tie.strength).value,
            None if last is None else (at - last).days,
        )
    return found


def test_the_dates_move_with_the_load_day() -> None:
    assert shift(anchor()) == dt.timedelta(0)
    assert shift(anchor() + dt.timedelta(days=40)) == dt.timedelta(days=40)
    later = anchor() + dt.timedelta(days=40)
    assert story_time("2026-11-06T18:30:00+08:00", later) == dt.datetime(
        2026, 12, 16, 10, 30, tzinfo=dt.UTC
    )
    assert story_time("2021-03-01", later) == dt.datetime(2021, 4, 10, tzinfo=dt.UTC)


def test_two_load_days_read_the_same_story(graph: Graph) -> None:
    earlier = TODAY - dt.timedelta(days=137)
    load_demo(graph, today=earlier)
    then = _readings(graph, earlier)
    delete_everything(graph)
    cache.clear()
    load_demo(graph)
    now = _readings(graph, TODAY)
    assert then.keys() == now.keys()
    for pair, (tier, stored, decayed, suggested, silent) in now.items():
        was = then[pair]
        assert (was[0], was[3], was[4]) == (tier, suggested, silent), pair
        assert was[1] == pytest.approx(stored, abs=1e-9), pair
        assert was[2] == pytest.approx(decayed, abs=1e-9), pair


def test_the_story_reads_as_written(graph: Graph) -> None:
    load_demo(graph)
    readings = _readings(graph, TODAY)
    lina_zhou = readings[("demo:person:lina", "demo:person:zhouqiang")]
    assert lina_zhou[:2] == ("CONFIDANT", 0.92) and lina_zhou[3] == "CONFIDANT"
    assert lina_zhou[2] >= MODEL.tier_floors[PersonTier.CONFIDANT]  # decayed to today too
    ours = {"lina", "wanghao", "emily", "zhanglei", "tom"}
    off = {
        (a.split(":")[-1], b.split(":")[-1])
        for (a, b), (tier, _, _, suggested, _) in readings.items()
        if a.split(":")[-1] in ours and tier != suggested
    }
    # the set tier and the model's reading differ only where the story says a tie faded
    assert off == {("wanghao", "huangwei"), ("wanghao", "sunli"), ("tom", "kevin")}


def test_beichen_cfo_is_an_uncovered_blocker_once_close_to_wang_hao(graph: Graph) -> None:
    load_demo(graph)
    beichen = demo_id(graph, "company", "beichen")
    huangwei, chenjing = demo_id(graph, "person", "huangwei"), demo_id(graph, "person", "chenjing")
    wanghao, lina = demo_id(graph, "person", "wanghao"), demo_id(graph, "person", "lina")
    found = key_person_map(graph, beichen)
    entries = {e.person_id: e for e in found.entries}
    cfo = entries[huangwei]
    assert not cfo.covered and cfo.roles[0].buying_role is BuyingRole.BLOCKER
    assert (cfo.desired_tier, cfo.stance) == (PersonTier.FRIEND, Stance.OPPONENT)
    [tie] = [t.relationship for t in cfo.ties if t.our_person_id == wanghao]
    assert tie.tier is PersonTier.ACQUAINTANCE
    history = evolution.relationship_history(graph, wanghao, huangwei, offset=0, limit=50)
    assert any(
        c.after is not None and c.after.get("tier") == "FRIEND" and c.after["strength"] >= 0.6
        for c in history.items
    )  # once strong
    fading = evolution.fading_relationships(graph, company_id=beichen, limit=50)
    [faded] = [f for f in fading.items if f.relationship.id == tie.id]
    assert faded.drop > 0.2 and faded.strength_now < 0.2
    chart = {e.person_id: e for e in org_chart(graph, beichen)}
    assert chart[huangwei].manager_id == chenjing
    manager = entries[chenjing]
    assert manager.covered
    assert [t.relationship.tier for t in manager.ties if t.our_person_id == lina] == [
        PersonTier.FRIEND
    ]


def test_demo_roles_carry_desired_tiers_and_stances(graph: Graph) -> None:
    load_demo(graph)
    companies = ["huadong", "beichen", "northwind", "harbor"]
    for key in companies:
        found = key_person_map(graph, demo_id(graph, "company", key))
        assert any(e.desired_tier is not None and e.stance is not None for e in found.entries)
        assert found.plan, key  # something to plan at each of them


def test_fading_counts_decay_in_the_demo(graph: Graph) -> None:
    load_demo(graph)
    fading = evolution.fading_relationships(graph, limit=100).items
    assert any(f.drop > 0.1 for f in fading)  # no longer every drop 0.0
    assert any("strength fell by" in reason for f in fading for reason in f.reasons)


def test_strengths_are_rounded_over_graphql(client: TestClient, graph: Graph) -> None:
    load_demo(graph)
    stored = [t.strength for t in reads.relationship_page(graph, offset=0, limit=100).items]
    assert any(s != round(s, 4) for s in stored)  # the graph keeps full precision
    shown = data(client, "{ relationships(first: 100) { nodes { strength suggestedTier } } }")
    strengths = [n["strength"] for n in shown["relationships"]["nodes"]]
    assert sorted(strengths) == sorted(round(s, 4) for s in stored)
    beichen = demo_id(graph, "company", "beichen")
    mapped = data(
        client,
        """query ($c: ID!) { keyPersonMap(companyId: $c) { summary { coverageRatio }
             entries { relationships { strength relationship { strength } } } } }""",
        c=beichen,
    )["keyPersonMap"]
    assert mapped["summary"]["coverageRatio"] == round(2 / 3, 4)
    for entry in mapped["entries"]:
        for tie in entry["relationships"]:
            assert tie["strength"] == round(tie["strength"], 4)
            assert tie["strength"] == tie["relationship"]["strength"]
    lina, zhou = demo_id(graph, "person", "lina"), demo_id(graph, "person", "zhouqiang")
    history = data(
        client,
        """query ($a: ID!, $b: ID!) { relationshipHistory(a: $a, b: $b, first: 50) {
             nodes { after } } }""",
        a=lina,
        b=zhou,
    )["relationshipHistory"]["nodes"]
    recorded = [n["after"]["strength"] for n in history if n["after"]]
    assert recorded and all(s == round(s, 4) for s in recorded)
    assert any(s != round(s, 2) for s in recorded)  # interactions' strengths, rounded
