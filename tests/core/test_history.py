"""History and time travel: a history built on past dates, read back as of several dates
against the states written here."""

from __future__ import annotations

import datetime as dt

import pytest
from starlette.testclient import TestClient

from graph.core import kinds, writes
from graph.core.history import ChangeNote, Operation
from graph.core.inputs import Patch
from graph.core.models import PersonTier
from graph.db.connection import Graph
from graph.db.errors import InvalidInput
from graph.evolution import timelines as evolution
from graph.keypersons.maps import key_person_map
from tests import factories
from tests.conftest import data


def at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC)


def note(day: str, by: str = "planner", reason: str | None = None) -> ChangeNote:
    return ChangeNote(by=by, reason=reason, at=at(day))


def _world(graph: Graph) -> dict[str, str]:
    """Ours (Li) and a customer whose CEO's role and tie with Li change over 2024."""
    ids: dict[str, str] = {}
    ids["ours"] = writes.create_node(
        graph,
        kinds.COMPANY,
        kinds.COMPANY.checked({"name": "Ours", "isOurs": True}),
        note=note("2023-01-01"),
    ).id
    ids["customer"] = writes.create_node(
        graph,
        kinds.COMPANY,
        kinds.COMPANY.checked(
            {"name": "客户", "lifecycleStage": "EXPLORATION", "status": "TARGET"}
        ),
        note=note("2023-06-01"),
    ).id
    ids["li"] = factories.person(graph, "Li")
    ids["ceo"] = factories.person(graph, "CEO")
    ids["cto"] = factories.person(graph, "CTO")
    writes.create_edge(
        graph,
        kinds.ROLE,
        ids["li"],
        ids["ours"],
        kinds.ROLE.checked({"title": "Sales"}),
        note=note("2023-01-01"),
    )
    ids["ceo-role"] = writes.create_edge(
        graph,
        kinds.ROLE,
        ids["ceo"],
        ids["customer"],
        kinds.ROLE.checked({"title": "CEO", "isKeyPerson": False, "startDate": "2023-06-01"}),
        note=note("2023-06-01"),
    ).id
    ids["cto-role"] = writes.create_edge(
        graph,
        kinds.ROLE,
        ids["cto"],
        ids["customer"],
        kinds.ROLE.checked({"title": "CTO", "isKeyPerson": True}),
        note=note("2023-06-01"),
    ).id
    ids["tie"] = writes.create_edge(
        graph,
        kinds.RELATIONSHIP,
        ids["li"],
        ids["ceo"],
        kinds.RELATIONSHIP.checked({"tier": "ACQUAINTANCE", "strength": 0.3}),
        note=note("2024-01-10", reason="met at a fair"),
    ).id
    writes.update_edge(
        graph, kinds.ROLE, ids["ceo-role"], Patch({"isKeyPerson": True}), note=note("2024-02-01")
    )
    writes.update_edge(
        graph,
        kinds.RELATIONSHIP,
        ids["tie"],
        Patch({"tier": "FRIEND", "strength": 0.6}),
        note=note("2024-05-01", reason="dinner went well"),
    )
    writes.update_node(
        graph,
        kinds.COMPANY,
        ids["customer"],
        Patch({"lifecycleStage": "FORMATION", "status": "CURRENT"}),
        note=note("2024-06-01"),
    )
    writes.update_edge(
        graph,
        kinds.ROLE,
        ids["cto-role"],
        Patch({"endDate": "2024-09-30"}),
        note=note("2024-09-01"),
    )
    writes.update_edge(
        graph, kinds.RELATIONSHIP, ids["tie"], Patch({"strength": 0.9}), note=note("2025-03-01")
    )
    writes.update_node(
        graph,
        kinds.COMPANY,
        ids["customer"],
        Patch({"lifecycleStage": "STABILITY"}),
        note=note("2025-06-01"),
    )
    return ids


def test_relationship_as_of_several_dates(graph: Graph) -> None:
    ids = _world(graph)
    expected = {
        "2023-12-31": None,
        "2024-01-10": ("ACQUAINTANCE", 0.3),
        "2024-04-30": ("ACQUAINTANCE", 0.3),
        "2024-05-01": ("FRIEND", 0.6),
        "2025-02-28": ("FRIEND", 0.6),
        "2025-03-02": ("FRIEND", 0.9),
    }
    for day, state in expected.items():
        then = evolution.relationship_at(graph, ids["tie"], at(day))
        assert (None if then is None else (then.tier.value, then.strength)) == state, day


def test_key_person_map_as_of_several_dates(graph: Graph) -> None:
    ids = _world(graph)

    def summary(day: str | None) -> tuple[list[str], dict[str, float]]:
        found = key_person_map(
            graph, ids["customer"], everyone=True, as_of=None if day is None else at(day)
        )
        keys = sorted(e.person_id for e in found.entries if e.is_key_person)
        ties = {
            e.person_id: e.strongest.relationship.strength for e in found.entries if e.strongest
        }
        return keys, ties

    # mid-2023: the CTO is the only key person; the CEO is there but not yet key; no ties.
    assert summary("2023-07-01") == ([ids["cto"]], {})
    # March 2024: the CEO is a key person now, known by Li at 0.3.
    assert summary("2024-03-01") == (sorted([ids["ceo"], ids["cto"]]), {ids["ceo"]: 0.3})
    # After the CTO left (Sept 2024) and the dinner (May 2024).
    assert summary("2024-12-01") == ([ids["ceo"]], {ids["ceo"]: 0.6})
    # Now: the latest strength.
    assert summary(None) == ([ids["ceo"]], {ids["ceo"]: 0.9})
    assert summary("2026-01-01") == summary(None)


def test_company_people_as_of(graph: Graph) -> None:
    ids = _world(graph)
    [before] = evolution.roles_of_companies_at(graph, [ids["customer"]], at("2024-01-15"))
    assert [(r.title, r.is_key_person) for r in before] == [("CTO", True), ("CEO", False)]
    [after] = evolution.roles_of_companies_at(graph, [ids["customer"]], at("2024-10-01"))
    assert [(r.title, r.is_key_person) for r in after] == [("CEO", True)]


def test_history_is_append_only(graph: Graph) -> None:
    ids = _world(graph)
    before = len(evolution.subject_history(graph, ids["tie"], offset=0, limit=100).items)
    with pytest.raises(InvalidInput, match="append-only"):
        writes.update_edge(
            graph, kinds.RELATIONSHIP, ids["tie"], Patch({"strength": 0.1}), note=note("2024-12-01")
        )
    assert factories.relationship(graph, ids["tie"]).strength == 0.9
    after = evolution.subject_history(graph, ids["tie"], offset=0, limit=100)
    assert len(after.items) == before
    with pytest.raises(InvalidInput, match="future"):
        writes.update_edge(
            graph,
            kinds.RELATIONSHIP,
            ids["tie"],
            Patch({"strength": 0.1}),
            note=ChangeNote(at=dt.datetime.now(dt.UTC) + dt.timedelta(days=2)),
        )


def test_relationship_history_timeline(graph: Graph) -> None:
    ids = _world(graph)
    timeline = evolution.relationship_history(graph, ids["ceo"], ids["li"], offset=0, limit=10)
    assert timeline.total == 3
    assert [c.operation for c in timeline.items] == [
        Operation.CREATED,
        Operation.UPDATED,
        Operation.UPDATED,
    ]
    assert [c.at.date().isoformat() for c in timeline.items] == [
        "2024-01-10",
        "2024-05-01",
        "2025-03-01",
    ]
    second = timeline.items[1]
    assert second.changed == ["tier", "strength"]
    assert second.before is not None and second.after is not None
    assert (second.before["tier"], second.after["tier"]) == ("ACQUAINTANCE", "FRIEND")
    assert (second.by, second.reason) == ("planner", "dinner went well")
    assert second.evidence_kind is not None and second.evidence_kind.value == "MANUAL"


def test_lifecycle_timeline(graph: Graph) -> None:
    ids = _world(graph)
    periods = evolution.lifecycle_timeline(graph, ids["customer"])
    assert [(p.stage.value if p.stage else None, p.start.date().isoformat()) for p in periods] == [
        ("EXPLORATION", "2023-06-01"),
        ("FORMATION", "2024-06-01"),
        ("STABILITY", "2025-06-01"),
    ]
    assert periods[0].end == periods[1].start and periods[-1].end is None
    assert periods[1].days == (at("2025-06-01") - at("2024-06-01")).days


def test_neighbourhood_diff_between_two_dates(graph: Graph) -> None:
    ids = _world(graph)
    diff = evolution.neighbourhood_diff(graph, ids["customer"], at("2024-01-01"), at("2024-12-31"))
    moves = {(c.category.value, c.subject_id, c.field, c.before, c.after) for c in diff}
    assert moves == {
        ("NEW_RELATIONSHIP", ids["tie"], None, None, None),
        ("ROLE_CHANGED", ids["ceo-role"], "isKeyPerson", False, True),
        ("STAGE_CHANGE", ids["customer"], "lifecycleStage", "EXPLORATION", "FORMATION"),
        ("STATUS_CHANGE", ids["customer"], "status", "TARGET", "CURRENT"),
        ("ENDED_ROLE", ids["cto-role"], "endDate", None, "2024-09-30"),
    }
    later = evolution.neighbourhood_diff(graph, ids["customer"], at("2025-01-01"), at("2025-12-31"))
    assert {(c.category.value, c.before, c.after) for c in later} == {
        ("STRENGTH_MOVE", 0.6, 0.9),
        ("STAGE_CHANGE", "FORMATION", "STABILITY"),
    }
    with pytest.raises(InvalidInput):
        evolution.neighbourhood_diff(graph, ids["customer"], at("2025-01-01"), at("2024-01-01"))


def test_the_diff_nets_many_changes_in_time_order_ties_by_sequence(graph: Graph) -> None:
    ids = _world(graph)
    # four writes taking effect at the same instant: their order is the order they were made
    for strength in (0.1, 0.2, 0.4, 0.7):
        writes.update_edge(
            graph,
            kinds.RELATIONSHIP,
            ids["tie"],
            Patch({"strength": strength}),
            note=note("2026-03-01"),
        )
    # moves that cancel out do not show
    for status in ("TARGET", "CURRENT"):
        writes.update_node(
            graph,
            kinds.COMPANY,
            ids["customer"],
            Patch({"status": status}),
            note=note("2026-04-01"),
        )
    writes.update_edge(
        graph, kinds.ROLE, ids["ceo-role"], Patch({"isKeyPerson": False}), note=note("2026-05-01")
    )
    writes.update_edge(
        graph, kinds.ROLE, ids["ceo-role"], Patch({"isKeyPerson": True}), note=note("2026-06-01")
    )
    diff = evolution.neighbourhood_diff(graph, ids["customer"], at("2026-01-01"), at("2026-12-31"))
    assert [
        (c.category.value, c.subject_id, c.field, c.before, c.after, c.at, c.changes) for c in diff
    ] == [("STRENGTH_MOVE", ids["tie"], "strength", 0.9, 0.7, at("2026-03-01"), 4)]
    # the status moves that cancel out, and the first of the two role changes
    inside = evolution.neighbourhood_diff(
        graph, ids["customer"], at("2026-04-01"), at("2026-05-02")
    )
    assert [(c.category.value, c.field, c.before, c.after, c.changes) for c in inside] == [
        ("ROLE_CHANGED", "isKeyPerson", True, False, 1)
    ]


def test_tier_suggestion_follows_the_ladder() -> None:
    assert [evolution.suggested_tier(s) for s in (0.1, 0.2, 0.55, 0.95)] == [
        PersonTier.PASSER_BY,
        PersonTier.ACQUAINTANCE,
        PersonTier.FRIEND,
        PersonTier.CONFIDANT,
    ]


def test_forced_delete_records_the_edges_it_takes(graph: Graph) -> None:
    ids = _world(graph)
    writes.delete_node(graph, kinds.COMPANY, ids["customer"], force=True, note=note("2025-07-01"))
    for subject in (ids["customer"], ids["ceo-role"], ids["cto-role"]):
        changes = evolution.subject_history(graph, subject, offset=0, limit=100).items
        assert changes[-1].operation is Operation.DELETED, subject
        assert changes[-1].at == at("2025-07-01")
        assert changes[-1].after is None and changes[-1].before is not None
    # the relationship between people stays, with its history
    timeline = evolution.relationship_history(graph, ids["li"], ids["ceo"], offset=0, limit=10)
    assert timeline.total == 3


def test_company_relationship_as_of(client: TestClient, graph: Graph) -> None:
    ids = _world(graph)
    rel = writes.create_edge(
        graph,
        kinds.COMPANY_RELATIONSHIP,
        ids["ours"],
        ids["customer"],
        kinds.COMPANY_RELATIONSHIP.checked(
            {"tier": "TRANSACTIONAL", "strength": 0.2, "lifecycleStage": "EXPLORATION"}
        ),
        note=note("2024-02-01"),
    ).id
    writes.update_edge(
        graph,
        kinds.COMPANY_RELATIONSHIP,
        rel,
        Patch({"tier": "PREFERRED_SUPPLIER", "lifecycleStage": "FORMATION"}),
        note=note("2025-01-01"),
    )
    query = """query ($id: ID!, $at: DateTime) {
      companyRelationship(id: $id, asOf: $at) { tier lifecycleStage } }"""
    assert data(client, query, id=rel, at="2024-01-01T00:00:00Z")["companyRelationship"] is None
    assert data(client, query, id=rel, at="2024-06-01T00:00:00Z")["companyRelationship"] == {
        "tier": "TRANSACTIONAL",
        "lifecycleStage": "EXPLORATION",
    }
    assert data(client, query, id=rel, at=None)["companyRelationship"] == {
        "tier": "PREFERRED_SUPPLIER",
        "lifecycleStage": "FORMATION",
    }
    history = data(
        client,
        """query ($a: ID!, $b: ID!) { relationshipHistory(a: $a, b: $b) {
             nodes { subjectKind changed by } } }""",
        a=ids["customer"],
        b=ids["ours"],
    )["relationshipHistory"]["nodes"]
    assert [n["subjectKind"] for n in history] == ["COMPANY_RELATIONSHIP"] * 2
    assert history[1]["changed"] == ["tier", "lifecycleStage"]


def test_roles_ending_by_their_dates_show_in_the_diff(graph: Graph) -> None:
    ids = _world(graph)
    cfo = factories.person(graph, "CFO")
    role = writes.create_edge(
        graph,
        kinds.ROLE,
        cfo,
        ids["customer"],
        kinds.ROLE.checked({"title": "CFO", "isKeyPerson": True, "endDate": "2025-06-30"}),
        note=note("2025-01-10"),
    ).id
    window = evolution.neighbourhood_diff(
        graph, ids["customer"], at("2025-03-01"), at("2025-08-01")
    )
    assert {(c.category.value, c.subject_id, c.after) for c in window} >= {
        ("ENDED_ROLE", role, "2025-06-30")
    }
    # an end date set for after the window is announced, not ended
    writes.update_edge(
        graph,
        kinds.ROLE,
        ids["ceo-role"],
        Patch({"endDate": "2026-12-31"}),
        note=note("2025-08-02"),
    )
    later = evolution.neighbourhood_diff(graph, ids["customer"], at("2025-08-01"), at("2025-09-01"))
    assert {(c.category.value, c.field) for c in later if c.subject_id == ids["ceo-role"]} == {
        ("ROLE_CHANGED", "endDate")
    }


def test_a_company_loaded_without_history_keeps_its_first_stage(graph: Graph) -> None:
    created = at("2020-01-01")
    loaded = {"id": "co_bulk", "name": "Bulk", "lifecycleStage": "STABILITY", "createdAt": created}
    item = writes.New(loaded)
    graph.write_tx(lambda tx: writes.create_in(tx, kinds.COMPANY, [item], None, recorded=False))
    writes.update_node(
        graph,
        kinds.COMPANY,
        "co_bulk",
        Patch({"lifecycleStage": "DECLINE"}),
        note=note("2024-01-01"),
    )
    periods = evolution.lifecycle_timeline(graph, "co_bulk")
    assert [(p.stage.value if p.stage else None, p.start) for p in periods] == [
        ("STABILITY", created),
        ("DECLINE", at("2024-01-01")),
    ]
