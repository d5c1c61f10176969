"""Org charts: reporting lines recorded through the API, returned as a tree."""

from __future__ import annotations

from starlette.testclient import TestClient

from graph.db.connection import Graph
from tests import factories
from tests.conftest import data, error

SET = """mutation ($p: ID!, $m: ID!) { setReportingLine(personId: $p, managerId: $m) { id } }"""
CHART = """query ($c: ID!) { orgChart(companyId: $c) {
  roots { person { name } reports { person { name } reports { person { name } } } }
  people { person { name } depth managerId roles { title } } } }"""


def test_tree_and_changes(client: TestClient, graph: Graph) -> None:
    company = factories.company(graph, "Org")
    ids = {}
    for name, seniority in [
        ("Boss", "EXECUTIVE"),
        ("Ann", "SENIOR"),
        ("Bob", "SENIOR"),
        ("Cat", "STAFF"),
        ("Outsider", None),
    ]:
        ids[name] = factories.person(graph, name)
        if name != "Outsider":
            fields = {"seniority": seniority} if seniority else {}
            factories.role(graph, ids[name], company, title=name, **fields)
    for person, manager in [("Ann", "Boss"), ("Bob", "Boss"), ("Cat", "Ann")]:
        data(client, SET, p=ids[person], m=ids[manager])
    chart = data(client, CHART, c=company)["orgChart"]
    [root] = chart["roots"]
    assert root["person"] == {"name": "Boss"}
    reports = sorted(root["reports"], key=lambda r: r["person"]["name"])
    assert reports == [
        {"person": {"name": "Ann"}, "reports": [{"person": {"name": "Cat"}}]},
        {"person": {"name": "Bob"}, "reports": []},
    ]
    depths = {p["person"]["name"]: p["depth"] for p in chart["people"]}
    assert depths == {"Boss": 0, "Ann": 1, "Bob": 1, "Cat": 2}
    assert chart["people"][0]["person"] == {"name": "Boss"}

    # a cycle is refused
    cycle = error(client, SET, p=ids["Boss"], m=ids["Cat"])
    assert cycle["extensions"] == {"code": "BAD_USER_INPUT", "field": "managerId"}
    # moving Cat under Bob replaces the old line
    data(client, SET, p=ids["Cat"], m=ids["Bob"])
    chart = data(client, CHART, c=company)["orgChart"]
    managers = {p["person"]["name"]: p["managerId"] for p in chart["people"]}
    assert managers["Cat"] == ids["Bob"]
    # a manager who works elsewhere is not part of this company's chart
    data(client, SET, p=ids["Boss"], m=ids["Outsider"])
    chart = data(client, CHART, c=company)["orgChart"]
    assert [r["person"]["name"] for r in chart["roots"]] == ["Boss"]
    assert data(
        client, "mutation ($p: ID!) { removeReportingLine(personId: $p) }", p=ids["Cat"]
    ) == {"removeReportingLine": True}
    chart = data(client, CHART, c=company)["orgChart"]
    assert sorted(r["person"]["name"] for r in chart["roots"]) == ["Boss", "Cat"]


def test_unknown_people_and_self(client: TestClient, graph: Graph) -> None:
    someone = factories.person(graph, "Someone")
    assert error(client, SET, p=someone, m="pe_nope")["extensions"] == {
        "code": "NOT_FOUND",
        "field": "managerId",
    }
    assert error(client, SET, p="pe_nope", m=someone)["extensions"] == {
        "code": "NOT_FOUND",
        "field": "personId",
    }
    assert error(client, SET, p=someone, m=someone)["extensions"]["field"] == "managerId"
