"""Fading counts decay: `drop` is the fall of the strength model's decayed strength over the
window, checked against the model's formula worked out here (not the code's)."""

from __future__ import annotations

import datetime as dt

import pytest
from starlette.testclient import TestClient

from graph.core import kinds, writes
from graph.core.history import ChangeNote
from graph.core.inputs import validate
from graph.db.connection import Graph
from graph.evolution import interactions
from graph.evolution.strength import StrengthModel
from graph.evolution.timelines import FadingRelationship, fading_relationships
from tests import factories
from tests.conftest import data

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
HALF_LIFE = StrengthModel().half_life_days  # 90 by default
MEETING, CALL, MEAL = 0.08, 0.05, 0.12  # the model's default weights, as documented
SOUR, CROSS, GLAD = -1.0, -0.5, 1.5  # sentiment factors of -2, -1 and 2


def left(days: float) -> float:
    """What is left of a deposit after `days`: it halves every half-life."""
    return float(0.5 ** (days / HALF_LIFE))


def days_ago(days: float) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


def _tie(graph: Graph, ids: dict[str, str], theirs: str, strength: float, set_days_ago: int) -> str:
    return writes.create_edge(
        graph,
        kinds.RELATIONSHIP,
        ids["li"],
        ids[theirs],
        kinds.RELATIONSHIP.checked({"tier": "FRIEND", "strength": strength}),
        note=ChangeNote(by="planner", at=days_ago(set_days_ago)),
    ).id


def _met(
    graph: Graph, ids: dict[str, str], theirs: str, days: int, kind: str, sentiment: int
) -> None:
    fields = {
        "kind": kind,
        "at": days_ago(days).isoformat(),
        "sentiment": sentiment,
        "ourPersonIds": [ids["li"]],
        "theirPersonIds": [ids[theirs]],
    }
    interactions.log_interaction(graph, validate(interactions.InteractionFields, fields))


def _fading(graph: Graph) -> dict[str, FadingRelationship]:
    page = fading_relationships(graph, min_drop=0.1, window_days=90, silent_days=90, at=NOW)
    return {f.relationship.id: f for f in page.items}


@pytest.fixture
def ids(graph: Graph) -> dict[str, str]:
    return factories.book(graph, ["li"], {"acme": ["silent", "sour", "steady"]})


def test_a_silent_tie_falls_by_what_decay_takes_over_the_window(
    graph: Graph, ids: dict[str, str]
) -> None:
    tie = _tie(graph, ids, "silent", 0.8, set_days_ago=120)
    found = _fading(graph)[tie]
    before, now = 0.8 * left(120 - 90), 0.8 * left(120)
    assert found.strength_before == pytest.approx(before, abs=1e-9)
    assert found.strength_now == pytest.approx(now, abs=1e-9)
    assert found.drop == pytest.approx(before - now, abs=1e-9)  # 0.3175
    assert found.relationship.strength == 0.8  # the stored strength stands still
    assert f"strength fell by {before - now:.2f} in 90 days" in found.reasons


def test_interactions_that_turned_sour_take_their_withdrawals(
    graph: Graph, ids: dict[str, str]
) -> None:
    tie = _tie(graph, ids, "sour", 0.8, set_days_ago=100)
    _met(graph, ids, "sour", 60, "MEETING", -2)
    _met(graph, ids, "sour", 30, "MEETING", -2)
    _met(graph, ids, "sour", 10, "CALL", -1)
    found = _fading(graph)[tie]
    before = 0.8 * left(100 - 90)  # the manual setting, decayed to the window's start
    now = 0.8 * left(100) + MEETING * SOUR * (left(60) + left(30)) + CALL * CROSS * left(10)
    assert found.strength_before == pytest.approx(before, abs=1e-9)
    assert found.strength_now == pytest.approx(now, abs=1e-9)
    assert found.drop == pytest.approx(before - now, abs=1e-9)  # 0.508
    assert found.drop > 0.8 * (left(10) - left(100)) + 0.1  # more than silence alone
    assert found.days_silent == 10
    assert found.reasons == [f"strength fell by {before - now:.2f} in 90 days"]


def test_a_steady_tie_is_not_listed(graph: Graph, ids: dict[str, str]) -> None:
    tie = _tie(graph, ids, "steady", 0.5, set_days_ago=200)
    for days in (150, 120, 90, 60, 30, 5):
        _met(graph, ids, "steady", days, "MEAL", 2)
    silent = _tie(graph, ids, "silent", 0.8, set_days_ago=120)
    assert tie not in _fading(graph) and silent in _fading(graph)
    everything = fading_relationships(graph, min_drop=0.0, silent_days=None, at=NOW)
    assert {f.relationship.id for f in everything.items} == {silent}  # it rose: no fall


def test_drop_and_strengths_are_rounded_over_graphql(
    client: TestClient, graph: Graph, ids: dict[str, str]
) -> None:
    tie = _tie(graph, ids, "silent", 0.8, set_days_ago=120)
    found = data(
        client,
        """{ fadingRelationships { nodes { relationship { id strength suggestedTier }
             strengthBefore strengthNow drop } } }""",
    )["fadingRelationships"]["nodes"]
    [node] = [n for n in found if n["relationship"]["id"] == tie]
    for name in ("strengthBefore", "strengthNow", "drop"):
        assert node[name] == round(node[name], 4)
        assert len(repr(node[name]).split(".")[1]) <= 4, node
    assert node["strengthNow"] == pytest.approx(0.8 * left(120), abs=1e-3)
