"""The interaction chain, the strength model, health, fading relationships and measures,
through the GraphQL API, against figures computed here from the model's formula."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from starlette.testclient import TestClient

from graph.core import kinds, writes
from graph.core.history import ChangeNote
from graph.core.inputs import Patch
from graph.db.connection import Graph
from graph.db.errors import InvalidInput
from graph.deals import deals
from graph.evolution.interactions import InteractionFields
from graph.evolution.strength import InteractionKind, StrengthModel
from tests import factories
from tests.conftest import counts, data, error

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
MODEL = StrengthModel()
ROUNDED = 1e-4  # the API rounds strengths to 4 decimals (and a sum of a few rounded parts)

LOG = """
mutation ($input: InteractionInput!) {
  logInteraction(input: $input) {
    id kind at appliedAt sentiment summary
    ourPeople { name } theirPeople { name } companies { name }
    previous { id }
    relationships { id tier strength interactionCount lastInteractionAt suggestedTier }
  }
}
"""


def decay(days: float) -> float:
    return float(0.5 ** (days / MODEL.half_life_days))


def days_ago(days: float) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


def _book(graph: Graph) -> dict[str, str]:
    ids = factories.book(
        graph,
        ["li", "wang"],
        {"acme": ["zhou", "chen"], "beta": ["sun"]},
        acme={"valueClass": "A"},
        beta={"valueClass": "C"},
    )
    ids["tie"] = writes.create_edge(
        graph,
        kinds.RELATIONSHIP,
        ids["li"],
        ids["zhou"],
        kinds.RELATIONSHIP.checked({"tier": "ACQUAINTANCE", "strength": 0.4}),
        note=ChangeNote(by="planner", at=days_ago(200)),
    ).id
    return ids


def _log(
    client: TestClient, ours: list[str], theirs: list[str], when: dt.datetime, **extra: Any
) -> dict[str, Any]:
    fields = {
        "kind": "MEETING",
        "at": when.isoformat(),
        "ourPersonIds": ours,
        "theirPersonIds": theirs,
    }
    result: dict[str, Any] = data(client, LOG, input={**fields, **extra})["logInteraction"]
    return result


def test_interactions_move_strength_by_the_model_and_form_a_chain(
    client: TestClient, graph: Graph
) -> None:
    ids = _book(graph)
    first = _log(client, [ids["li"]], [ids["zhou"]], days_ago(100), sentiment=2, kind="MEAL")
    second = _log(client, [ids["li"]], [ids["zhou"]], days_ago(10), sentiment=-1)
    # the model by hand: 0.4 set 200 days ago; a great meal 100 days ago; a poor meeting now-10
    meal = MODEL.weights[InteractionKind.MEAL] * MODEL.sentiment_factors[2]
    meeting = MODEL.weights[InteractionKind.MEETING] * MODEL.sentiment_factors[-1]
    after_first = 0.4 * decay(100)
    after_first += meal
    expected = 0.4 * decay(190) + meal * decay(90) + meeting
    [rel_first] = first["relationships"]
    [rel] = second["relationships"]
    assert rel_first["strength"] == pytest.approx(after_first, abs=ROUNDED)
    assert rel["strength"] == pytest.approx(expected, abs=ROUNDED)
    assert rel["interactionCount"] == 2
    assert second["previous"] == [{"id": first["id"]}]
    assert first["previous"] == []
    assert second["companies"] == [{"name": "Acme"}]

    explained = data(
        client,
        """query ($id: ID!) { strengthExplanation(relationshipId: $id) {
             strength raw contributions { source by value remaining contribution
                                          interaction { id } } } }""",
        id=ids["tie"],
    )["strengthExplanation"]
    assert explained["strength"] == pytest.approx(expected, abs=ROUNDED)
    parts = explained["contributions"]
    assert [p["source"] for p in parts] == ["MANUAL", "INTERACTION", "INTERACTION"]
    assert parts[0]["by"] == "planner" and parts[0]["value"] == 0.4
    assert [p["interaction"]["id"] for p in parts[1:]] == [first["id"], second["id"]]
    assert sum(p["contribution"] for p in parts) == pytest.approx(expected, abs=ROUNDED)

    # as of a date between the two interactions, the explanation stops at the first
    between = data(
        client,
        """query ($id: ID!, $at: DateTime!) { strengthExplanation(relationshipId: $id, asOf: $at)
             { strength contributions { source } }
           relationship(id: $id, asOf: $at) { strength } }""",
        id=ids["tie"],
        at=days_ago(50).isoformat(),
    )
    assert between["strengthExplanation"]["strength"] == pytest.approx(after_first, abs=ROUNDED)
    assert between["relationship"]["strength"] == pytest.approx(after_first, abs=ROUNDED)

    history = data(
        client,
        """query ($a: ID!, $b: ID!) { relationshipHistory(a: $a, b: $b) {
             totalCount nodes { operation evidenceKind interaction { id } after } } }""",
        a=ids["zhou"],
        b=ids["li"],
    )["relationshipHistory"]
    assert history["totalCount"] == 3
    assert [n["evidenceKind"] for n in history["nodes"]] == ["MANUAL", "INTERACTION", "INTERACTION"]
    assert history["nodes"][2]["interaction"]["id"] == second["id"]
    assert history["nodes"][2]["after"]["strength"] == pytest.approx(expected, abs=ROUNDED)


def test_first_contact_creates_a_passer_by_relationship(client: TestClient, graph: Graph) -> None:
    ids = _book(graph)
    logged = _log(client, [ids["li"], ids["wang"]], [ids["chen"]], days_ago(1), kind="CALL")
    assert len(logged["relationships"]) == 2
    deposit = MODEL.weights[InteractionKind.CALL] * MODEL.sentiment_factors[0]
    for rel in logged["relationships"]:
        assert rel["tier"] == "PASSER_BY" and rel["interactionCount"] == 1
        assert rel["strength"] == pytest.approx(deposit, abs=ROUNDED)
        assert rel["suggestedTier"] == "PASSER_BY"


def test_bad_interactions_write_nothing(client: TestClient, graph: Graph) -> None:
    ids = _book(graph)
    before = counts(graph)
    base = {"kind": "MEETING", "at": days_ago(1).isoformat()}
    cases: list[tuple[dict[str, Any], str]] = [
        ({"ourPersonIds": [ids["zhou"]], "theirPersonIds": [ids["chen"]]}, "BAD_USER_INPUT"),
        ({"ourPersonIds": [ids["li"]], "theirPersonIds": ["pe_missing"]}, "NOT_FOUND"),
        ({"ourPersonIds": [ids["li"]], "theirPersonIds": [ids["li"]]}, "BAD_USER_INPUT"),
        ({"ourPersonIds": [ids["li"]], "theirPersonIds": [ids["wang"]]}, "BAD_USER_INPUT"),
        ({"ourPersonIds": [ids["li"]], "theirPersonIds": []}, "BAD_USER_INPUT"),
        (
            {
                "ourPersonIds": [ids["li"]],
                "theirPersonIds": [ids["zhou"]],
                "at": (NOW + dt.timedelta(days=3)).isoformat(),
            },
            "BAD_USER_INPUT",
        ),
        (
            {"ourPersonIds": [ids["li"]], "theirPersonIds": [ids["zhou"]], "sentiment": 3},
            "BAD_USER_INPUT",
        ),
        (
            {"ourPersonIds": [ids["li"]], "theirPersonIds": [ids["zhou"]], "companyId": "co_x"},
            "NOT_FOUND",
        ),
    ]
    for fields, code in cases:
        failed = error(client, LOG, input={**base, **fields})
        assert failed["extensions"]["code"] == code, (fields, failed)
    assert counts(graph) == before


def test_external_id_makes_logging_idempotent(client: TestClient, graph: Graph) -> None:
    ids = _book(graph)
    once = _log(client, [ids["li"]], [ids["zhou"]], days_ago(2), externalId="crm-1")
    again = _log(client, [ids["li"]], [ids["zhou"]], days_ago(2), externalId="crm-1")
    assert once["id"] == again["id"]
    assert again["relationships"][0]["interactionCount"] == 1


def test_interactions_are_listed_newest_first_and_paginated(
    client: TestClient, graph: Graph
) -> None:
    ids = _book(graph)
    logged = [_log(client, [ids["li"]], [ids["zhou"]], days_ago(30 - i))["id"] for i in range(5)]
    _log(client, [ids["wang"]], [ids["sun"]], days_ago(1))
    query = """query ($f: InteractionFilter!, $after: String) {
      interactions(filter: $f, first: 3, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } nodes { id } } }"""
    page = data(client, query, f={"relationshipId": ids["tie"]})["interactions"]
    assert page["totalCount"] == 5
    assert [n["id"] for n in page["nodes"]] == logged[::-1][:3]
    rest = data(
        client, query, f={"relationshipId": ids["tie"]}, after=page["pageInfo"]["endCursor"]
    )["interactions"]
    assert [n["id"] for n in rest["nodes"]] == logged[::-1][3:]
    assert data(client, query, f={"personId": ids["li"]})["interactions"]["totalCount"] == 5
    assert data(client, query, f={"companyId": ids["beta"]})["interactions"]["totalCount"] == 1
    both = error(client, query, f={"personId": ids["li"], "companyId": ids["beta"]})
    assert both["extensions"]["code"] == "BAD_USER_INPUT"


FADING = """query ($drop: Float, $silent: Int) {
  fadingRelationships(minDrop: $drop, windowDays: 90, silentDays: $silent) {
    totalCount nodes { relationship { id } company { name } drop daysSilent reasons } } }"""


def test_fading_relationships(client: TestClient, graph: Graph) -> None:
    ids = _book(graph)
    # li-zhou (Acme, class A): 0.4 set 200 days ago, raised to 0.9 95 days ago, then cut to 0.1
    # 20 days ago: the strength model has 0.9, 5 days old, at the window's start, and 0.1, 20
    # days old, now
    for strength, days in ((0.9, 95), (0.1, 20)):
        writes.update_edge(
            graph,
            kinds.RELATIONSHIP,
            ids["tie"],
            Patch({"strength": strength}),
            note=ChangeNote(at=days_ago(days)),
        )
    # wang-sun (Beta, class C): last met 150 days ago
    silent = _log(client, [ids["wang"]], [ids["sun"]], days_ago(150))["relationships"][0]["id"]
    # wang-chen (Acme): met yesterday, fine
    _log(client, [ids["wang"]], [ids["chen"]], days_ago(1))
    found = data(client, FADING, drop=0.2, silent=120)["fadingRelationships"]
    assert found["totalCount"] == 2
    first, second = found["nodes"]
    assert (first["relationship"]["id"], first["company"]["name"]) == (ids["tie"], "Acme")
    assert first["drop"] == pytest.approx(0.9 * decay(5) - 0.1 * decay(20), abs=1e-4)
    assert (second["relationship"]["id"], second["daysSilent"]) == (silent, 150)
    assert "no interaction for 150 days" in second["reasons"]
    only_drops = data(client, FADING, drop=0.2, silent=None)["fadingRelationships"]
    assert [n["relationship"]["id"] for n in only_drops["nodes"]] == [ids["tie"]]
    refused = error(client, FADING, drop=None, silent=None)
    assert refused["extensions"]["code"] == "BAD_USER_INPUT"


def test_health_and_its_trend(client: TestClient, graph: Graph) -> None:
    ids = _book(graph)
    for day in (80, 60, 40, 20, 5):
        _log(client, [ids["li"]], [ids["zhou"]], days_ago(day), kind="MEAL", sentiment=2)
    health = data(
        client,
        """query ($id: ID!) { relationshipHealth(relationshipId: $id, windowDays: 90) {
             health previous trend strength recency } }""",
        id=ids["tie"],
    )["relationshipHealth"]
    strength = factories.relationship(graph, ids["tie"]).strength
    recency = 0.5 ** (5 / MODEL.half_life_days)
    assert health["recency"] == pytest.approx(recency, abs=1e-3)
    assert health["health"] == round(100 * (0.7 * strength + 0.3 * recency))
    assert health["previous"] == round(100 * 0.7 * 0.4)  # 90 days ago: 0.4, never met
    assert health["trend"] == "UP"


def test_relationship_measures(client: TestClient, graph: Graph) -> None:
    ids = _book(graph)
    writes.create_edge(
        graph,
        kinds.COMPANY_RELATIONSHIP,
        ids["ours"],
        ids["acme"],
        kinds.COMPANY_RELATIONSHIP.checked(
            {"tier": "PREFERRED_SUPPLIER", "strength": 0.5, "since": "2021-05-01"}
        ),
    )
    for line, day in [("ERP", "2022-01-10"), ("ERP", "2023-01-10"), ("CRM", "2024-03-01")]:
        deals.record_deal(
            graph,
            ids["acme"],
            deals.DealFields.checked({"amount": 100.0, "date": day, "productLine": line}),
        )
    writes.update_node(graph, kinds.COMPANY, ids["acme"], Patch({"lifecycleStage": "FORMATION"}))
    found = data(
        client,
        """query ($c: ID!) { relationshipMeasures(companyId: $c) {
             since stage daysInStage dealCount revenue repeatPurchases crossSell
             ourPeople theirPeople theirPeopleKnown relationships coverage } }""",
        c=ids["acme"],
    )["relationshipMeasures"]
    assert found == {
        "since": "2021-05-01",
        "stage": "FORMATION",
        "daysInStage": 0,
        "dealCount": 3,
        "revenue": 300.0,
        "repeatPurchases": 1,
        "crossSell": 1,
        "ourPeople": 1,
        "theirPeople": 2,
        "theirPeopleKnown": 1,
        "relationships": 1,
        "coverage": 0.5,
    }


def _bulk_relationship(graph: Graph, a: str, b: str, strength: float, created: dt.datetime) -> str:
    """A relationship loaded in bulk, with no recorded history (as imports and the synthetic
    generator load them)."""
    props = {
        "id": "kn_bulk",
        "tier": "FRIEND",
        "strength": strength,
        "createdAt": created,
        "updatedAt": created,
    }
    item = writes.New(props, (a, b))
    graph.write_tx(
        lambda tx: writes.create_in(tx, kinds.RELATIONSHIP, [item], None, recorded=False)
    )
    return "kn_bulk"


def test_items_loaded_without_history_keep_their_past(client: TestClient, graph: Graph) -> None:
    ids = _book(graph)
    rel = _bulk_relationship(graph, ids["wang"], ids["zhou"], 0.6, days_ago(400))
    meal = _log(client, [ids["wang"]], [ids["zhou"]], days_ago(100), kind="MEAL", sentiment=2)
    expected = 0.6 * decay(300) + MODEL.deposit(InteractionKind.MEAL, 2)
    assert meal["relationships"][0]["strength"] == pytest.approx(expected, abs=ROUNDED)
    query = """query ($id: ID!, $at: DateTime) {
      relationship(id: $id, asOf: $at) { tier strength interactionCount lastInteractionAt }
      strengthExplanation(relationshipId: $id, asOf: $at) {
        strength contributions { source value } } }"""
    # before the meal, it stood as loaded; before it was loaded, it was not there
    before = data(client, query, id=rel, at=days_ago(200).isoformat())
    assert before["relationship"] == {
        "tier": "FRIEND",
        "strength": 0.6,
        "interactionCount": 0,
        "lastInteractionAt": None,
    }
    assert before["strengthExplanation"]["strength"] == pytest.approx(0.6)
    assert data(client, query, id=rel, at=days_ago(500).isoformat())["relationship"] is None
    # now: the explanation starts from the strength it was loaded with
    now = data(client, query, id=rel, at=None)
    assert now["relationship"]["interactionCount"] == 1
    assert now["strengthExplanation"]["strength"] == pytest.approx(expected, abs=ROUNDED)
    assert [c["source"] for c in now["strengthExplanation"]["contributions"]] == [
        "MANUAL",
        "INTERACTION",
    ]
    # a time without a zone is taken as UTC
    naive = days_ago(200).replace(tzinfo=None).isoformat()
    assert data(client, query, id=rel, at=naive)["relationship"]["strength"] == 0.6


def test_relationship_as_of_now_equals_the_relationship(client: TestClient, graph: Graph) -> None:
    ids = _book(graph)
    _log(client, [ids["li"]], [ids["zhou"]], days_ago(3))
    query = """query ($id: ID!, $at: DateTime) { relationship(id: $id, asOf: $at) {
      tier strength level since interactionCount lastInteractionAt updatedAt } }"""
    now = data(client, query, id=ids["tie"], at=None)["relationship"]
    asof = data(client, query, id=ids["tie"], at=NOW.isoformat())["relationship"]
    # a past state's updatedAt is when it took effect (the interaction, 3 days ago)
    assert asof.pop("updatedAt").startswith(days_ago(3).date().isoformat())
    now.pop("updatedAt")
    assert asof == now
    past = data(client, query, id=ids["tie"], at=days_ago(5).isoformat())["relationship"]
    assert (past["interactionCount"], past["lastInteractionAt"]) == (0, None)
    assert past["updatedAt"].startswith(days_ago(200).date().isoformat())


def test_a_follow_up_before_its_interaction_is_refused(client: TestClient, graph: Graph) -> None:
    """Finding 16: a follow-up dated before its interaction was accepted; it is refused, with
    nothing written, while one on the interaction's day (in any time zone) is kept."""
    ids = _book(graph)
    held = dt.datetime(2024, 5, 1, 1, 0, tzinfo=dt.UTC)
    before = counts(graph)
    err = error(
        client,
        LOG,
        input={
            "kind": "MEETING",
            "at": held.isoformat(),
            "ourPersonIds": [ids["li"]],
            "theirPersonIds": [ids["zhou"]],
            "followUpDate": "2024-04-29",
        },
    )
    assert err["extensions"] == {"code": "BAD_USER_INPUT", "field": "input.followUpDate"}, err
    assert counts(graph) == before
    # 2024-04-30 is the day of a meeting at 2024-04-30T21:00-04:00 (2024-05-01T01:00Z)
    kept = _log(
        client, [ids["li"]], [ids["zhou"]], held, followUp="call", followUpDate="2024-04-30"
    )
    assert kept["id"]


def test_an_interaction_dated_before_1900_is_refused() -> None:
    """Finding 16: an interaction dated year 1 was accepted; the graph's own check refuses
    one before 1900 (the API's DateTime refuses it before, tests/core/test_validation.py)."""
    for at in ("0001-01-01T00:00:00+00:00", "1899-12-31T23:59:59+00:00"):
        with pytest.raises(InvalidInput) as refused:
            InteractionFields.checked(
                {"kind": "MEETING", "at": at, "ourPersonIds": ["a"], "theirPersonIds": ["b"]}
            )
        assert refused.value.field == "input.at" and "1900-01-01" in refused.value.message
