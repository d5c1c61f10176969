"""The call plan (KeyPersonMap.callPlan): the score, each kind of step, introductions through
reporting lines and colleagues, the why sentence, over GraphQL, and on the demo data."""

from __future__ import annotations

import datetime as dt
import math
import random
from typing import Any

import networkx as nx
import pytest
from starlette.testclient import TestClient

from graph.core import kinds, writes
from graph.core.history import ChangeNote
from graph.core.inputs import Patch
from graph.core.models import BuyingRole, PersonTier, Seniority, ValueClass
from graph.cypher.keypersons import paths as paths_cypher
from graph.db.connection import Graph, Tx
from graph.evolution.interactions import InteractionFields, log_interaction
from graph.evolution.strength import InteractionKind, StrengthModel, configured_model
from graph.keypersons import introductions
from graph.keypersons.callplan import (
    CallAction,
    CallPlan,
    CallStep,
    KeyPersonGap,
    call_plan,
    score,
    tie_states,
)
from graph.keypersons.introductions import PathStepKind, find_introductions, hop_kind
from graph.keypersons.maps import key_person_map, set_reporting_line
from graph.keypersons.paths import Path
from seed.demo import load_demo
from tests import factories
from tests.conftest import data, error, gql

G = KeyPersonGap


def test_score_is_the_documented_formula() -> None:
    dm, exe = [BuyingRole.DECISION_MAKER], [Seniority.EXECUTIVE]
    assert score([G.UNCOVERED], None, dm, exe, ValueClass.A) == 4 + 3 + 1.5
    assert score([G.SINGLE_THREADED], None, [BuyingRole.INFLUENCER], [Seniority.SENIOR], None) == (
        round(0.6 * (2 + 1.5 + 1), 4)
    )
    # the worst coverage gap counts once; tier gap a point a tier; fading 1.5; class scales
    both = score([G.UNCOVERED, G.SINGLE_THREADED, G.FADING], 2, dm, exe, ValueClass.B)
    assert both == round(0.8 * (4 + 2 + 1.5 + 3 + 1.5), 4)
    # a person of several roles counts the best of them; none: no points
    assert score([G.FADING], None, [None, BuyingRole.USER], [None], ValueClass.C) == round(
        0.6 * (1.5 + 0.5), 4
    )


def test_uncovered_decision_maker_at_a_outranks_single_threaded_influencers() -> None:
    uncovered = score(
        [G.UNCOVERED], None, [BuyingRole.DECISION_MAKER], [Seniority.EXECUTIVE], ValueClass.A
    )
    for value in (ValueClass.A, ValueClass.B, ValueClass.C, None):
        threaded = score([G.SINGLE_THREADED], 1, [BuyingRole.INFLUENCER], [Seniority.SENIOR], value)
        assert uncovered > threaded
    # the value class orders the same gap across customers
    same = [score([G.UNCOVERED], None, [BuyingRole.BLOCKER], [], v) for v in ValueClass]
    assert same == sorted(same, reverse=True) and len(set(same)) == 3


DAY = 86_400_000


def test_tie_states_tell_strength_now_peak_and_fading() -> None:
    model = StrengthModel()
    now = 1_800_000_000_000
    rows = [
        # set 10 days ago at 0.6, no recorded history: little decay, nothing before the window
        ["fresh", "k", "o", "FRIEND", 0.6, 0.6, now - 10 * DAY, None, None],
        # a friend at 0.9 120 days ago; a sour meeting 5 days ago left 0.3: a fall over the
        # window (0.71 then, 0.29 now), still above half a friend's floor
        ["fell", "k", "o", "FRIEND", 0.3, 0.3, now - 5 * DAY, None, now - 5 * DAY],
        # a confidant once, set down to a passer-by since
        ["demoted", "k", "o", "PASSER_BY", 0.1, 0.1, now - 30 * DAY, None, None],
    ]
    histories = {
        "fell": ([now - 120 * DAY, now - 5 * DAY], ['{"tier": "FRIEND", "strength": 0.9}', "{}"]),
        "demoted": (
            [now - 900 * DAY, now - 30 * DAY],
            ['{"tier": "CONFIDANT", "strength": 0.85}', '{"tier": "PASSER_BY", "strength": 0.1}'],
        ),
    }
    states = tie_states(rows, histories, model, now)
    fresh, fell, demoted = states["fresh"], states["fell"], states["demoted"]
    assert fresh.now == pytest.approx(0.6 * 0.5 ** (10 / 90))
    assert fresh.before is None and not fresh.faded(model)
    assert fell.before == pytest.approx(0.9 * 0.5 ** (30 / 90))
    assert fell.now == pytest.approx(0.3 * 0.5 ** (5 / 90)) and fell.now > 0.25
    assert fell.faded(model) and fell.once_strong(model)
    assert fell.last_contact_days == 5
    assert demoted.peak is PersonTier.CONFIDANT and demoted.peak_strength == 0.85
    assert demoted.faded(model) and demoted.rekindled == pytest.approx(0.425)


def _key(graph: Graph, ids: dict[str, str], name: str, company: str, **fields: Any) -> None:
    """`name` (a new person) holds a key-person role at `company`."""
    ids[name] = factories.person(graph, name.title())
    factories.role(graph, ids[name], ids[company], name.upper(), isKeyPerson=True, **fields)


def _tie(graph: Graph, a: str, b: str, strength: float, tier: str, days_ago: int = 0) -> str:
    """A relationship set `days_ago` (its strength decays from then on)."""
    note = ChangeNote(by="test", at=dt.datetime.now(dt.UTC) - dt.timedelta(days=days_ago))
    fields = kinds.RELATIONSHIP.checked({"tier": tier, "strength": strength})
    return writes.create_edge(graph, kinds.RELATIONSHIP, a, b, fields, note=note).id


def _plan(graph: Graph, company_id: str, first: int = 10) -> CallPlan:
    return call_plan(
        graph, key_person_map(graph, company_id), model=configured_model(), first=first
    )


def _step(plan: CallPlan, person_id: str) -> CallStep:
    [found] = [s for s in plan.steps if s.key_person_id == person_id]
    return found


@pytest.fixture
def acme(graph: Graph) -> dict[str, str]:
    """Acme (value class A): its CFO (a blocker) reports to its COO (the decision maker), whom
    Li knows as a friend; its IT head (an influencer) is known by Li and Zhao."""
    ids = factories.book(graph, ["li", "wang", "zhao"], {"acme": []}, acme={"valueClass": "A"})
    _key(graph, ids, "coo", "acme", buyingRole="DECISION_MAKER", seniority="EXECUTIVE")
    _key(graph, ids, "cfo", "acme", buyingRole="BLOCKER", seniority="EXECUTIVE")
    _key(
        graph,
        ids,
        "it",
        "acme",
        buyingRole="INFLUENCER",
        seniority="SENIOR",
        desiredTier="CONFIDANT",
    )
    set_reporting_line(graph, ids["cfo"], ids["coo"])
    ids["li-coo"] = _tie(graph, ids["li"], ids["coo"], 0.68, "FRIEND")
    ids["zhao-coo"] = _tie(graph, ids["zhao"], ids["coo"], 0.3, "ACQUAINTANCE")
    ids["li-it"] = _tie(graph, ids["li"], ids["it"], 0.7, "FRIEND")
    ids["zhao-it"] = _tie(graph, ids["zhao"], ids["it"], 0.3, "ACQUAINTANCE")
    return ids


def test_introduction_through_a_reporting_line(graph: Graph, acme: dict[str, str]) -> None:
    plan = _plan(graph, acme["acme"])
    step = _step(plan, acme["cfo"])
    assert step.action is CallAction.INTRODUCE
    assert step.gaps == [G.UNCOVERED]
    assert step.who_id == acme["li"]
    assert step.path is not None
    assert step.path.person_ids == (acme["li"], acme["coo"], acme["cfo"])
    assert [hop_kind(t) for t in step.path.ties] == [
        PathStepKind.RELATIONSHIP,
        PathStepKind.REPORTING_LINE,
    ]
    assert step.strength == pytest.approx(0.68 * 0.6)
    assert step.why == (
        "Cfo (CFO, blocker) is uncovered: ask Li to get an introduction through Coo (whom Li "
        "knows as a friend, strength 0.68), Cfo's manager, a path of strength 0.41."
    )


def test_ranking_and_deepen(graph: Graph, acme: dict[str, str]) -> None:
    plan = _plan(graph, acme["acme"])
    # CFO: uncovered blocker, executive (8.5); IT: a tier below the desired one (1 + 1.5 + 1);
    # the COO is covered by Li and Zhao, with no desired tier: no gap, no step
    assert [s.key_person_id for s in plan.steps] == [acme["cfo"], acme["it"]]
    assert [s.rank for s in plan.steps] == [1, 2]
    assert [s.score for s in plan.steps] == [8.5, 3.5]
    deepen = plan.steps[1]
    assert deepen.action is CallAction.DEEPEN
    assert deepen.gaps == [G.BELOW_DESIRED_TIER]
    assert deepen.who_id == acme["li"]
    assert deepen.tie is not None and deepen.tie.relationship.id == acme["li-it"]
    assert deepen.why == (
        "It (IT, influencer) is a friend where a confidant is wanted: ask Li, who knows them "
        "as a friend (strength 0.70, no contact logged), to meet them."
    )
    assert len(_plan(graph, acme["acme"], first=1).steps) == 1


def test_deepen_tells_the_last_contact(graph: Graph, acme: dict[str, str]) -> None:
    held = dt.datetime.now(dt.UTC) - dt.timedelta(days=12)
    log_interaction(
        graph,
        InteractionFields(
            kind=InteractionKind.CALL,
            at=held,
            our_person_ids=[acme["li"]],
            their_person_ids=[acme["it"]],
            sentiment=1,
        ),
    )
    step = _step(_plan(graph, acme["acme"]), acme["it"])
    assert step.action is CallAction.DEEPEN
    assert step.last_contact_days == 12
    assert "last contact 12 days ago" in step.why


def test_uncovered_decision_maker_before_single_threaded_influencer(graph: Graph) -> None:
    ids = factories.book(graph, ["li", "wang"], {"acme": ["x"]}, acme={"valueClass": "A"})
    _key(graph, ids, "boss", "acme", buyingRole="DECISION_MAKER", seniority="EXECUTIVE")
    _key(graph, ids, "infl", "acme", buyingRole="INFLUENCER", seniority="SENIOR")
    _tie(graph, ids["li"], ids["infl"], 0.7, "FRIEND")
    _tie(graph, ids["wang"], ids["x"], 0.5, "FRIEND")
    plan = _plan(graph, ids["acme"])
    assert [s.key_person_id for s in plan.steps] == [ids["boss"], ids["infl"]]
    boss, infl = plan.steps
    assert boss.gaps == [G.UNCOVERED] and infl.gaps == [G.SINGLE_THREADED]
    # a second thread for the influencer: not from Li, who holds the only one
    assert infl.action is CallAction.INTRODUCE and infl.who_id == ids["wang"]
    assert infl.path is not None
    assert infl.path.person_ids in {
        (ids["wang"], ids["x"], ids["infl"]),
        (ids["wang"], ids["boss"], ids["infl"]),
    }
    assert hop_kind(infl.path.ties[1]) is PathStepKind.COLLEAGUE
    assert infl.why.startswith(
        "Infl (INFL, influencer) is single-threaded (only Li knows them): ask Wang to get an "
        "introduction through "
    )


def test_rekindle_a_faded_tie_that_was_once_strong(graph: Graph) -> None:
    ids = factories.book(graph, ["li", "wang"], {"acme": ["x"]}, acme={"valueClass": "B"})
    _key(graph, ids, "cfo", "acme", buyingRole="BLOCKER", seniority="EXECUTIVE")
    old = _tie(graph, ids["wang"], ids["cfo"], 0.8, "FRIEND", days_ago=400)
    _tie(graph, ids["li"], ids["x"], 0.68, "FRIEND")  # a colleague of theirs: 0.20
    step = _step(_plan(graph, ids["acme"]), ids["cfo"])
    assert step.action is CallAction.REKINDLE
    assert step.who_id == ids["wang"]
    assert step.tie is not None and step.tie.relationship.id == old
    # covered by its set tier, but faded far below a friend's floor
    assert step.gaps == [G.SINGLE_THREADED, G.FADING]
    assert step.strength == pytest.approx(0.4)
    assert step.why == (
        "Cfo (CFO, blocker) is single-threaded (only Wang knows them) and is fading: ask Wang "
        "to rekindle their tie, once a friend, now faded: strength 0.80 as recorded, 0.04 "
        "today (no contact logged)."
    )


def test_rekindle_when_uncovered_and_the_tie_was_demoted(graph: Graph) -> None:
    ids = factories.book(graph, ["li", "wang"], {"acme": ["x"]}, acme={"valueClass": "B"})
    _key(graph, ids, "cfo", "acme", buyingRole="BLOCKER", seniority="EXECUTIVE")
    old = _tie(graph, ids["wang"], ids["cfo"], 0.8, "FRIEND", days_ago=400)
    _tie(graph, ids["li"], ids["x"], 0.68, "FRIEND")  # through a colleague: 0.20
    note = ChangeNote(by="test", at=dt.datetime.now(dt.UTC) - dt.timedelta(days=30))
    writes.update_edge(
        graph, kinds.RELATIONSHIP, old, Patch({"tier": "PASSER_BY", "strength": 0.1}), note=note
    )
    step = _step(_plan(graph, ids["acme"]), ids["cfo"])
    assert G.UNCOVERED in step.gaps
    # its history shows it was a friend at 0.8: weighed at half that, 0.4, above 0.20
    assert step.action is CallAction.REKINDLE and step.who_id == ids["wang"]
    assert step.strength == pytest.approx(0.4)
    # the map shows 0.10 (as set 30 days ago); decay has taken it to 0.08 since
    assert "once a friend, now faded: strength 0.10 as recorded, 0.08 today" in step.why


def test_nobody_in_reach_names_the_nearest(graph: Graph) -> None:
    ids = factories.book(graph, ["li"], {"far": ["r"]}, far={"valueClass": "C"})
    _key(graph, ids, "k", "far", buyingRole="DECISION_MAKER")
    a, b = factories.person(graph, "A"), factories.person(graph, "B")
    _tie(graph, ids["li"], a, 0.9, "CONFIDANT")
    _tie(graph, a, b, 0.9, "CONFIDANT")
    _tie(graph, b, ids["r"], 0.9, "CONFIDANT")  # R: three hops; K beyond it, a fourth
    step = _step(_plan(graph, ids["far"]), ids["k"])
    assert step.action is CallAction.NOBODY_IN_REACH
    assert step.who_id is None and step.path is None
    assert step.nearest_id == ids["r"]
    assert step.why == (
        "K (K, decision maker) is uncovered and none of our people reaches them within 3 hops; "
        "the nearest we reach at Far is R, 3 hops from Li."
    )


def test_nobody_in_reach_and_nobody_there(graph: Graph) -> None:
    ids = factories.book(graph, ["li"], {"far": ["r"]})
    _key(graph, ids, "k", "far")
    step = _step(_plan(graph, ids["far"]), ids["k"])
    assert step.action is CallAction.NOBODY_IN_REACH and step.nearest_id is None
    assert step.why.endswith("nor anyone at Far: find a first contact there.")


PLAN = """
query ($c: ID!, $at: DateTime, $first: Int! = 10) {
  keyPersonMap(companyId: $c, asOf: $at) {
    callPlan(first: $first) {
      rank action gaps score strength why lastContactDays
      keyPerson { id } who { id name } nearest { id }
      relationship { tier relationship { id } ourPerson { id } }
      path { strength people { id } steps { kind relationshipId tier strength
                                           fromPerson { id } toPerson { id } } }
    }
  }
}
"""


PLAN_AND_MAP = """query ($c: ID!, $at: DateTime) {
  keyPersonMap(companyId: $c, asOf: $at) { callPlan { rank } company { id } } }"""


def test_call_plan_over_graphql(client: TestClient, graph: Graph, acme: dict[str, str]) -> None:
    steps = data(client, PLAN, c=acme["acme"])["keyPersonMap"]["callPlan"]
    first, second = steps
    assert first["action"] == "INTRODUCE" and first["gaps"] == ["UNCOVERED"]
    assert first["keyPerson"]["id"] == acme["cfo"] and first["who"]["name"] == "Li"
    assert [s["kind"] for s in first["path"]["steps"]] == ["RELATIONSHIP", "REPORTING_LINE"]
    assert [s["relationshipId"] for s in first["path"]["steps"]] == [acme["li-coo"], None]
    assert [s["tier"] for s in first["path"]["steps"]] == ["FRIEND", None]
    assert first["path"]["steps"][1]["strength"] == 0.6
    assert first["relationship"] is None and first["nearest"] is None
    assert first["why"].startswith("Cfo (CFO, blocker) is uncovered: ask Li")
    assert second["action"] == "DEEPEN" and second["rank"] == 2
    assert second["relationship"]["relationship"]["id"] == acme["li-it"]
    assert second["relationship"]["ourPerson"]["id"] == acme["li"]
    assert second["path"] is None
    assert len(data(client, PLAN, c=acme["acme"], first=1)["keyPersonMap"]["callPlan"]) == 1


def test_call_plan_of_a_past_map_is_refused(
    client: TestClient, graph: Graph, acme: dict[str, str]
) -> None:
    found = error(client, PLAN, c=acme["acme"], at="2020-01-01T00:00:00Z")
    assert found["extensions"]["code"] == "BAD_USER_INPUT"
    assert "only for the current map" in found["message"]
    # the plan is null, the rest of the past map stands
    body = gql(client, PLAN_AND_MAP, c=acme["acme"], at="2020-01-01T00:00:00Z")
    assert body["data"]["keyPersonMap"] == {"callPlan": None, "company": {"id": acme["acme"]}}
    assert error(client, PLAN, c=acme["acme"], first=0)["extensions"]["code"] == "BAD_USER_INPUT"


PATHS = """
query ($a: ID!, $b: ID!, $via: [PathStepKind!]) {
  introductionPaths(fromPersonId: $a, toPersonId: $b, via: $via) {
    strength people { id } steps { kind relationshipId }
  }
}
"""


def test_introduction_paths_via_reporting_lines_and_colleagues(
    client: TestClient, graph: Graph, acme: dict[str, str]
) -> None:
    li, cfo = acme["li"], acme["cfo"]
    assert data(client, PATHS, a=li, b=cfo)["introductionPaths"] == []  # off by default
    lines = data(client, PATHS, a=li, b=cfo, via=["RELATIONSHIP", "REPORTING_LINE"])
    best = lines["introductionPaths"][0]
    assert best["people"] == [{"id": li}, {"id": acme["coo"]}, {"id": cfo}]
    assert [s["kind"] for s in best["steps"]] == ["RELATIONSHIP", "REPORTING_LINE"]
    assert all(
        "COLLEAGUE" not in [s["kind"] for s in p["steps"]] for p in lines["introductionPaths"]
    )
    every = data(client, PATHS, a=li, b=cfo, via=["RELATIONSHIP", "REPORTING_LINE", "COLLEAGUE"])
    found = [(p["strength"], [x["id"] for x in p["people"]]) for p in every["introductionPaths"]]
    assert found[0] == (pytest.approx(0.68 * 0.6), [li, acme["coo"], cfo])
    assert (pytest.approx(0.7 * 0.3), [li, acme["it"], cfo]) in found  # a colleague
    assert error(client, PATHS, a=li, b=cfo, via=["COLLEAGUE"])["extensions"]["code"] == (
        "BAD_USER_INPUT"
    )
    direct = find_introductions(graph, li, cfo, via=frozenset(PathStepKind), first=1)
    assert direct.paths[0].person_ids == (li, acme["coo"], cfo)


def test_org_hops_stay_inside_the_customer(graph: Graph) -> None:
    ids = factories.book(graph, ["li"], {"acme": ["a", "b"], "other": ["c"]})
    _tie(graph, ids["li"], ids["c"], 0.9, "CONFIDANT")
    every = frozenset(PathStepKind)
    # C works elsewhere: no colleague hop from C to anyone at Acme
    assert find_introductions(graph, ids["li"], ids["b"], via=every).paths == []
    _tie(graph, ids["li"], ids["a"], 0.5, "FRIEND")
    [path] = find_introductions(graph, ids["li"], ids["b"], via=every).paths
    assert path.person_ids == (ids["li"], ids["a"], ids["b"])


@pytest.fixture
def demo(graph: Graph) -> Graph:
    load_demo(graph)
    return graph


def _print(plan: CallPlan) -> None:
    print(f"\n{plan.company_name}:")
    for step in plan.steps:
        print(f"  {step.rank}. {step.action.value} [{step.score}] {step.why}")


def test_demo_beichen_huang_wei(demo: Graph) -> None:
    """The issue's story: 黄伟, Beichen's CFO and a blocker, uncovered; his manager 陈静 is our
    friend-tier contact, and 王浩 holds a faded tie with him. His step is an introduction
    through 陈静 or a rekindle of 王浩's tie."""
    beichen = factories.demo_id(demo, "company", "beichen")
    huang, chen = (factories.demo_id(demo, "person", k) for k in ("huangwei", "chenjing"))
    wang = factories.demo_id(demo, "person", "wanghao")
    plan = _plan(demo, beichen)
    _print(plan)
    _print(_plan(demo, factories.demo_id(demo, "company", "harbor")))
    step = _step(plan, huang)
    assert G.UNCOVERED in step.gaps
    if step.action is CallAction.INTRODUCE:
        assert step.path is not None and chen in step.path.person_ids[1:-1]
        assert "陈静" in step.why and "manager" in step.why
    else:
        assert step.action is CallAction.REKINDLE
        assert step.who_id == wang
    assert step.why.startswith("黄伟 (财务总监 CFO, blocker) is uncovered: ask ")


@pytest.mark.parametrize("seed", range(3))
def test_paths_via_org_hops_match_networkx(graph: Graph, seed: int) -> None:
    """On random graphs: the best path through relationships, reporting lines and colleagues
    at the target's customer is as strong as the strongest simple path networkx finds over
    the same hops (a pair joined several ways counts its strongest)."""
    rng = random.Random(seed)
    acme = factories.company(graph, "Acme")
    inside = [factories.person(graph, f"A{i}") for i in range(7)]
    outside = [factories.person(graph, f"O{i}") for i in range(6)]
    for person in inside:
        factories.role(graph, person, acme)
    g = nx.Graph()
    g.add_nodes_from(inside + outside)

    def join(a: str, b: str, strength: float) -> None:
        if not g.has_edge(a, b) or g.edges[a, b]["strength"] < strength:
            g.add_edge(a, b, strength=strength)

    for i, a in enumerate(inside):
        for b in inside[i + 1 :]:
            join(a, b, 0.3)
    for i in range(1, len(inside)):
        if rng.random() < 0.6:
            manager = inside[rng.randrange(i)]
            set_reporting_line(graph, inside[i], manager)
            join(inside[i], manager, 0.6)
    everyone = inside + outside
    pairs: set[frozenset[str]] = set()
    while len(pairs) < 16:
        a, b = rng.sample(everyone, 2)
        if frozenset((a, b)) in pairs:
            continue
        pairs.add(frozenset((a, b)))
        strength = rng.choice([0.1, 0.2, 0.25, 0.5, 0.8, 1.0])
        factories.knows(graph, a, b, strength)
        join(a, b, strength)
    every = frozenset(PathStepKind)
    checked = 0
    for _ in range(8):
        a, b = rng.choice(outside), rng.choice(inside)
        for hops in (2, 3, 4):
            expected = max(
                (
                    math.prod(g.edges[u, v]["strength"] for u, v in zip(p, p[1:], strict=False))
                    for p in nx.all_simple_paths(g, a, b, cutoff=hops)
                ),
                default=None,
            )
            found = find_introductions(graph, a, b, max_hops=hops, first=1, via=every).paths
            if expected is None:
                assert found == []
                continue
            checked += 1
            assert found and found[0].strength == pytest.approx(expected), (a, b, hops)
            assert found[0].hops <= hops
    assert checked


BEST_VIA = """
query ($p: ID, $c: ID, $via: [PathStepKind!]) {
  bestIntroductions(toPersonId: $p, toCompanyId: $c, via: $via, keyPersonsOnly: true) {
    people { id } steps { kind }
  }
}
"""


def test_best_introductions_via_reporting_lines(
    client: TestClient, graph: Graph, acme: dict[str, str]
) -> None:
    cfo = acme["cfo"]
    assert data(client, BEST_VIA, p=cfo)["bestIntroductions"] == []
    via = ["RELATIONSHIP", "REPORTING_LINE"]
    [best, *_] = data(client, BEST_VIA, p=cfo, via=via)["bestIntroductions"]
    assert [p["id"] for p in best["people"]] == [acme["li"], acme["coo"], cfo]
    assert [s["kind"] for s in best["steps"]] == ["RELATIONSHIP", "REPORTING_LINE"]
    # to anyone at the company: a path ends at the first key person it reaches
    found = data(client, BEST_VIA, c=acme["acme"], via=via)["bestIntroductions"]
    assert all(len(p["people"]) == 2 for p in found)


@pytest.mark.parametrize("seed", range(3))
def test_searches_run_together_find_what_each_finds_alone(graph: Graph, seed: int) -> None:
    """The plan's searches, one per key person, run together and share the ties fetched: each
    finds exactly the paths it finds alone (those match networkx, above), in fewer round
    trips than one after the other."""
    rng = random.Random(seed)
    ids = factories.book(
        graph, ["o0", "o1", "o2", "o3"], {"acme": [f"a{i}" for i in range(7)], "else": ["e0"]}
    )
    inside = [ids[f"a{i}"] for i in range(7)]
    for i in range(1, len(inside)):
        if rng.random() < 0.5:
            set_reporting_line(graph, inside[i], inside[rng.randrange(i)])
    ours = [ids[f"o{i}"] for i in range(4)]
    everyone = [*ours, *inside, ids["e0"], *(factories.person(graph, f"X{i}") for i in range(8))]
    pairs: set[frozenset[str]] = set()
    while len(pairs) < 30:
        a, b = rng.sample(everyone, 2)
        if frozenset((a, b)) not in pairs:
            pairs.add(frozenset((a, b)))
            factories.knows(graph, a, b, rng.choice([0.1, 0.2, 0.25, 0.5, 0.8, 1.0]))
    requests = [
        (target, frozenset(rng.sample(ours, rng.randrange(3))), rng.randint(1, 5))
        for target in inside
    ]
    kinds = frozenset(PathStepKind)
    tied = introductions.our_ties(graph)
    counted: list[str] = []

    def count(statement: str, _: Any) -> None:
        if statement in (paths_cypher.PATH_TIES, paths_cypher.MEETING_TIES):
            counted.append(statement)

    def together(tx: Tx) -> dict[str, list[Path]]:
        org = introductions.read_org(tx, [ids["acme"]], kinds)
        return introductions.paths_at_customer(tx, tied, org, requests, max_hops=3)

    def alone(tx: Tx) -> tuple[dict[str, list[Path]], list[int]]:
        org = introductions.read_org(tx, [ids["acme"]], kinds)
        found: dict[str, list[Path]] = {}
        trips: list[int] = []
        for request in requests:
            before = len(counted)
            found.update(introductions.paths_at_customer(tx, tied, org, [request], max_hops=3))
            trips.append(len(counted) - before)
        return found, trips

    graph.listeners.append(count)
    try:
        expected, trips = graph.read_tx(alone)
        counted.clear()
        assert graph.read_tx(together) == expected
    finally:
        graph.listeners.remove(count)
    assert any(expected.values())
    assert len(counted) <= 2 * max(trips) and len(counted) < sum(trips)


def test_a_path_whose_ties_have_long_decayed_is_no_way_in(graph: Graph) -> None:
    """Ties set five years ago and silent since weigh about 0 now: the plan does not send
    anyone through them ("a path of strength 0.00"); with a live tie of ours it deepens that."""
    ids = factories.book(graph, ["li", "zhang"], {"far": ["m"]})
    _key(graph, ids, "k", "far", buyingRole="DECISION_MAKER")
    _tie(graph, ids["li"], ids["m"], 0.9, "CONFIDANT", days_ago=1800)
    _tie(graph, ids["m"], ids["k"], 0.9, "CONFIDANT", days_ago=1800)
    step = _step(_plan(graph, ids["far"]), ids["k"])
    assert step.action is not CallAction.INTRODUCE, step.why
    ids["zhang-k"] = _tie(graph, ids["zhang"], ids["k"], 0.9, "CONFIDANT")
    step = _step(_plan(graph, ids["far"]), ids["k"])  # single-threaded: Zhang only
    assert step.action is CallAction.DEEPEN and step.tie is not None, step.why
    assert step.tie.relationship.id == ids["zhang-k"]
