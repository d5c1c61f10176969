"""Key-person maps on hand-built customers whose right answers are written here."""

from __future__ import annotations

from starlette.testclient import TestClient

from graph.core import kinds, writes
from graph.db.connection import Graph
from tests import factories
from tests.conftest import data, error

MAP = """
query ($c: ID!, $everyone: Boolean! = false, $strength: Float, $min: Int! = 3) {
  keyPersonMap(companyId: $c, everyone: $everyone, coveredMinStrength: $strength,
               minCoveredKeyPersons: $min) {
    company { name }
    tierWithUs
    summary { keyPersons covered uncovered singleThreaded coverageRatio reachesExecutives
              tierDistribution { tier count } }
    entries { person { name } isKeyPerson isExecutive covered threads tierGap desiredTier stance
              roles { title buyingRole seniority }
              strongest { ourPerson { name } tier strength }
              relationships { ourPerson { name } strength isStrongest } }
    plan { person { name } tierGap }
    mismatches { rule reason }
  }
}
"""


def _customer(graph: Graph, tier: str = "PREFERRED_SUPPLIER") -> dict[str, str]:
    """Ours: Li (staff) and Wang (staff); customer: CEO, CTO, Buyer (key persons), Clerk."""
    ours = factories.company(graph, "Ours", isOurs=True)
    customer = factories.company(graph, "客户 Customer")
    writes.create_edge(
        graph,
        kinds.COMPANY_RELATIONSHIP,
        ours,
        customer,
        kinds.COMPANY_RELATIONSHIP.checked({"tier": tier, "strength": 0.5}),
    )
    ids = {"ours": ours, "customer": customer}
    for name in ["Li", "Wang"]:
        ids[name] = factories.person(graph, name)
        factories.role(graph, ids[name], ours)
    people: dict[str, dict[str, object]] = {
        "CEO": {"isKeyPerson": True, "seniority": "EXECUTIVE", "buyingRole": "DECISION_MAKER"},
        "CTO": {"isKeyPerson": True, "seniority": "SENIOR", "buyingRole": "INFLUENCER"},
        "Buyer": {
            "isKeyPerson": True,
            "seniority": "MIDDLE",
            "buyingRole": "GATEKEEPER",
            "desiredTier": "FRIEND",
            "stance": "SCEPTIC",
        },
        "Clerk": {"seniority": "STAFF", "buyingRole": "USER"},
    }
    for name, fields in people.items():
        ids[name] = factories.person(graph, name)
        ids[f"{name}-role"] = factories.role(graph, ids[name], customer, title=name, **fields)
    return ids


def test_map_marks_strongest_and_counts_coverage(client: TestClient, graph: Graph) -> None:
    ids = _customer(graph)
    factories.knows(graph, ids["Li"], ids["CTO"], 0.8, tier="FRIEND")
    factories.knows(graph, ids["Wang"], ids["CTO"], 0.3, tier="ACQUAINTANCE")
    factories.knows(graph, ids["Wang"], ids["Buyer"], 0.4, tier="ACQUAINTANCE")
    factories.knows(graph, ids["Li"], ids["Clerk"], 0.9, tier="CONFIDANT")
    # a tie between two customer people is not ours
    factories.knows(graph, ids["CEO"], ids["CTO"], 1.0, tier="CONFIDANT")

    result = data(client, MAP, c=ids["customer"])["keyPersonMap"]
    assert result["company"] == {"name": "客户 Customer"}
    assert result["tierWithUs"] == "PREFERRED_SUPPLIER"
    summary = result["summary"]
    assert summary == {
        "keyPersons": 3,
        "covered": 1,  # only the CTO has a FRIEND-or-closer tie
        "uncovered": 2,
        "singleThreaded": 1,  # the Buyer: Wang only; the CTO has two threads
        "coverageRatio": round(1 / 3, 4),  # the API rounds ratios to 4 decimals
        "reachesExecutives": False,
        "tierDistribution": [
            {"tier": "PASSER_BY", "count": 0},
            {"tier": "ACQUAINTANCE", "count": 1},
            {"tier": "FRIEND", "count": 1},
            {"tier": "CONFIDANT", "count": 0},
            {"tier": None, "count": 1},
        ],
    }
    entries = {e["person"]["name"]: e for e in result["entries"]}
    assert list(entries) == ["CEO", "CTO", "Buyer"]  # key persons by seniority
    cto = entries["CTO"]
    assert cto["strongest"] == {"ourPerson": {"name": "Li"}, "tier": "FRIEND", "strength": 0.8}
    assert [(r["ourPerson"]["name"], r["isStrongest"]) for r in cto["relationships"]] == [
        ("Li", True),
        ("Wang", False),
    ]
    assert (cto["covered"], cto["threads"]) == (True, 2)
    assert entries["CEO"]["relationships"] == [] and entries["CEO"]["strongest"] is None
    assert entries["CEO"]["roles"] == [
        {"title": "CEO", "buyingRole": "DECISION_MAKER", "seniority": "EXECUTIVE"}
    ]
    assert "Clerk" not in entries
    rules = [m["rule"] for m in result["mismatches"]]
    assert rules == ["TOO_FEW_COVERED_KEY_PERSONS"]
    assert "1 of 3 key persons" in result["mismatches"][0]["reason"]


def test_everyone_and_strength_threshold(client: TestClient, graph: Graph) -> None:
    ids = _customer(graph)
    factories.knows(graph, ids["Wang"], ids["Buyer"], 0.45, tier="ACQUAINTANCE")
    factories.knows(graph, ids["Li"], ids["Clerk"], 0.9, tier="CONFIDANT")
    everyone = data(client, MAP, c=ids["customer"], everyone=True)["keyPersonMap"]
    names = [e["person"]["name"] for e in everyone["entries"]]
    assert names[-1] == "Clerk" and len(names) == 4
    assert everyone["summary"]["keyPersons"] == 3  # the summary stays about key persons
    by_strength = data(client, MAP, c=ids["customer"], strength=0.4)["keyPersonMap"]
    assert by_strength["summary"]["covered"] == 1  # the Buyer's 0.45 now covers
    stricter = data(client, MAP, c=ids["customer"], strength=0.5)["keyPersonMap"]
    assert stricter["summary"]["covered"] == 0


def test_partnership_without_executive_relationship(client: TestClient, graph: Graph) -> None:
    ids = _customer(graph, tier="PARTNERSHIP")
    for person in ["CTO", "Buyer"]:
        factories.knows(graph, ids["Li"], ids[person], 0.7, tier="FRIEND")
    factories.knows(graph, ids["Wang"], ids["CEO"], 0.2, tier="PASSER_BY")
    result = data(client, MAP, c=ids["customer"], min=2)["keyPersonMap"]
    assert [m["rule"] for m in result["mismatches"]] == ["NO_EXECUTIVE_RELATIONSHIP"]
    assert "PARTNERSHIP" in result["mismatches"][0]["reason"]

    factories.knows(graph, ids["Li"], ids["CEO"], 0.9, tier="CONFIDANT")
    fixed = data(client, MAP, c=ids["customer"], min=2)["keyPersonMap"]
    assert fixed["summary"]["reachesExecutives"] is True
    assert fixed["mismatches"] == []


def test_transactional_but_deep(client: TestClient, graph: Graph) -> None:
    ids = _customer(graph, tier="TRANSACTIONAL")
    factories.knows(graph, ids["Li"], ids["CEO"], 0.9, tier="CONFIDANT")
    result = data(client, MAP, c=ids["customer"])["keyPersonMap"]
    assert [m["rule"] for m in result["mismatches"]] == ["DEEPER_THAN_TIER"]


def test_plan_sorts_by_gap_between_desired_and_current(client: TestClient, graph: Graph) -> None:
    ids = _customer(graph)
    update = """mutation ($id: ID!, $tier: PersonTier!) {
        updateRole(id: $id, input: {desiredTier: $tier, stance: SUPPORTER}) { desiredTier } }"""
    data(client, update, id=ids["CEO-role"], tier="CONFIDANT")
    data(client, update, id=ids["CTO-role"], tier="FRIEND")
    factories.knows(graph, ids["Li"], ids["CTO"], 0.6, tier="ACQUAINTANCE")
    factories.knows(graph, ids["Li"], ids["Buyer"], 0.7, tier="FRIEND")
    result = data(client, MAP, c=ids["customer"])["keyPersonMap"]
    # CEO: no tie (-1) to CONFIDANT (3) = 4; CTO: ACQUAINTANCE (1) to FRIEND (2) = 1;
    # Buyer: FRIEND to FRIEND = 0
    assert result["plan"] == [
        {"person": {"name": "CEO"}, "tierGap": 4},
        {"person": {"name": "CTO"}, "tierGap": 1},
        {"person": {"name": "Buyer"}, "tierGap": 0},
    ]
    buyer = next(e for e in result["entries"] if e["person"]["name"] == "Buyer")
    assert (buyer["desiredTier"], buyer["stance"]) == ("FRIEND", "SCEPTIC")


def test_job_change_keeps_relationships_and_shows_on_the_new_map(
    client: TestClient, graph: Graph
) -> None:
    ids = _customer(graph)
    factories.knows(graph, ids["Li"], ids["CTO"], 0.8, tier="FRIEND")
    new_company = factories.company(graph, "New Co")
    data(
        client,
        'mutation ($id: ID!) { updateRole(id: $id, input: {endDate: "2025-01-31"}) { id } }',
        id=ids["CTO-role"],
    )
    data(
        client,
        """mutation ($p: ID!, $c: ID!, $start: Date!) { createRole(input: {personId: $p,
             companyId: $c, title: "VP", isKeyPerson: true, startDate: $start}) { id } }""",
        p=ids["CTO"],
        c=new_company,
        start=__import__("datetime").date.today().isoformat(),
    )
    old_map = data(client, MAP, c=ids["customer"])["keyPersonMap"]
    assert "CTO" not in [e["person"]["name"] for e in old_map["entries"]]
    new_map = data(client, MAP, c=new_company)["keyPersonMap"]
    assert new_map["entries"][0]["strongest"]["ourPerson"] == {"name": "Li"}
    assert new_map["summary"]["covered"] == 1

    moves = data(
        client,
        """{ recentMoves(days: 30) { person { name } role { company { name } }
             previousRole { company { name } } strongest } }""",
    )["recentMoves"]
    assert moves == [
        {
            "person": {"name": "CTO"},
            "role": {"company": {"name": "New Co"}},
            "previousRole": {"company": {"name": "客户 Customer"}},
            "strongest": 0.8,
        }
    ]
    assert data(client, "{ recentMoves(days: 30, minTier: CONFIDANT) { strongest } }") == {
        "recentMoves": []
    }


def test_unknown_company(client: TestClient) -> None:
    err = error(client, MAP, c="co_missing")
    assert err["extensions"] == {"code": "NOT_FOUND", "field": "companyId"}
