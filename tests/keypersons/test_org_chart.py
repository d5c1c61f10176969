"""Org charts: reporting lines recorded through the API, returned as a tree; their history and
the chart as of a past date."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from starlette.testclient import TestClient

from graph.core import kinds, writes
from graph.core.history import ChangeNote
from graph.db.connection import Graph
from graph.keypersons.maps import reporting_line_subject
from graph.transfer.importer import directory_sources, import_records
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
    manager = factories.person(graph, "Manager")
    tomorrow = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).date().isoformat()
    found = error(client, SET_AT, p=someone, m=manager, since=tomorrow, at=None)
    assert found["extensions"] == {"code": "BAD_USER_INPUT", "field": "since"}


CHART_AS_OF = """query ($c: ID!, $at: DateTime) { orgChart(companyId: $c, asOf: $at) {
  people { person { name } managerId } } }"""
SET_AT = """mutation ($p: ID!, $m: ID!, $since: Date, $at: DateTime) {
  setReportingLine(personId: $p, managerId: $m, since: $since, change: {at: $at, by: "hr"}) {
    id } }"""
REMOVE_AT = """mutation ($p: ID!, $at: DateTime) {
  removeReportingLine(personId: $p, change: {at: $at}) }"""
HISTORY = """query ($s: ID!) { changeHistory(subjectId: $s) { nodes {
  subjectKind operation changed before after by at } } }"""


def _day(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def test_reporting_lines_have_a_past(client: TestClient, graph: Graph) -> None:
    company = factories.company(graph, "Org")
    ids: dict[str, str] = {}
    for name, started in [("Boss", "2019-01-01"), ("Ann", "2019-01-01"), ("Bob", "2020-01-01")]:
        ids[name] = factories.person(graph, name)
        writes.create_edge(
            graph,
            kinds.ROLE,
            ids[name],
            company,
            kinds.ROLE.checked({"title": name, "startDate": started}),
            note=ChangeNote(at=_day(started)),
        )
    names = {id_: name for name, id_ in ids.items()}

    def managers(at: str | None) -> dict[str, str | None]:
        chart = data(client, CHART_AS_OF, c=company, at=at)["orgChart"]["people"]
        return {
            p["person"]["name"]: None if p["managerId"] is None else names[p["managerId"]]
            for p in chart
        }

    # Ann reports to Boss from her `since` day (no change.at: the line takes effect then)
    data(client, SET_AT, p=ids["Ann"], m=ids["Boss"], since="2019-06-01", at=None)
    # Bob reports to Ann from 2021, moves to Boss in 2022; Ann's line ends in 2023
    data(client, SET_AT, p=ids["Bob"], m=ids["Ann"], since=None, at="2021-01-01T00:00:00Z")
    data(client, SET_AT, p=ids["Bob"], m=ids["Boss"], since=None, at="2022-01-01T00:00:00Z")
    assert data(client, REMOVE_AT, p=ids["Ann"], at="2023-01-01T00:00:00Z") == {
        "removeReportingLine": True
    }
    assert managers("2019-03-01T00:00:00Z") == {"Boss": None, "Ann": None}  # Bob not there yet
    assert managers("2020-06-01T00:00:00Z") == {"Boss": None, "Ann": "Boss", "Bob": None}
    assert managers("2021-06-01T00:00:00Z") == {"Boss": None, "Ann": "Boss", "Bob": "Ann"}
    assert managers("2022-06-01T00:00:00Z") == {"Boss": None, "Ann": "Boss", "Bob": "Boss"}
    now = {"Boss": None, "Ann": None, "Bob": "Boss"}
    assert managers("2023-06-01T00:00:00Z") == now
    assert managers(None) == now

    # the log holds each change, with who made it and when it took effect
    bob = data(client, HISTORY, s=reporting_line_subject(ids["Bob"]))["changeHistory"]["nodes"]
    assert [(c["subjectKind"], c["operation"], c["changed"]) for c in bob] == [
        ("REPORTING_LINE", "CREATED", ["managerId"]),
        ("REPORTING_LINE", "UPDATED", ["managerId"]),
    ]
    assert bob[1]["before"] == {"managerId": ids["Ann"], "since": None}
    assert bob[1]["after"] == {"managerId": ids["Boss"], "since": None}
    assert (bob[1]["by"], bob[1]["at"]) == ("hr", "2022-01-01T00:00:00+00:00")
    ann = data(client, HISTORY, s=reporting_line_subject(ids["Ann"]))["changeHistory"]["nodes"]
    assert [(c["operation"], c["at"][:10]) for c in ann] == [
        ("CREATED", "2019-06-01"),
        ("DELETED", "2023-01-01"),
    ]
    # history is append-only: no change before the line's latest one
    refused = error(
        client, SET_AT, p=ids["Bob"], m=ids["Ann"], since=None, at="2021-06-01T00:00:00Z"
    )
    assert refused["extensions"]["field"] == "change.at"
    # removing a line that is not there records nothing
    assert data(client, REMOVE_AT, p=ids["Ann"], at=None) == {"removeReportingLine": False}
    assert (
        len(data(client, HISTORY, s=reporting_line_subject(ids["Ann"]))["changeHistory"]["nodes"])
        == 2
    )


def test_imported_lines_keep_their_past(client: TestClient, graph: Graph, tmp_path: Path) -> None:
    """The import's lines: a new line without `since` stands from always (not recorded one by
    one, as other imported items, and a line keeps no creation time); a line the import
    replaces is recorded, after its creation."""
    company = factories.company(graph, "Org")
    ids = {}
    for key in ("a", "b", "c"):
        ids[key] = factories.person(graph, key.upper(), externalId=key)
        writes.create_edge(
            graph,
            kinds.ROLE,
            ids[key],
            company,
            kinds.ROLE.checked({"title": key}),
            note=ChangeNote(at=_day("2019-01-01")),
        )

    def load(lines: str) -> None:
        (tmp_path / "reporting_lines.csv").write_text("person,manager,since\n" + lines)
        report = import_records(graph, directory_sources(tmp_path))
        assert not report.problems

    def manager_of_b(at: dt.datetime | None) -> str | None:
        chart = data(client, CHART_AS_OF, c=company, at=None if at is None else at.isoformat())
        found: dict[str, str | None] = {
            p["person"]["name"]: p["managerId"] for p in chart["orgChart"]["people"]
        }
        return found["B"]

    load("b,a,\n")
    assert manager_of_b(_day("2020-01-01")) == ids["a"]  # no since, no history: always
    assert manager_of_b(None) == ids["a"]
    time.sleep(0.01)  # two imports a few ms apart, so that a moment lies between them
    load("b,c,\n")
    log = data(client, HISTORY, s=reporting_line_subject(ids["b"]))["changeHistory"]["nodes"]
    assert [(c["operation"], c["after"]["managerId"]) for c in log] == [
        ("CREATED", ids["a"]),
        ("UPDATED", ids["c"]),
    ]
    moved = dt.datetime.fromisoformat(log[1]["at"])
    assert manager_of_b(_day("2020-01-01")) == ids["a"]  # before the move, the first line
    assert manager_of_b(moved + dt.timedelta(milliseconds=1)) == ids["c"]
    assert manager_of_b(None) == ids["c"]


def test_a_past_cycle_still_shows_everyone(client: TestClient, graph: Graph) -> None:
    """A line set with a past `change.at` is checked for cycles against today's lines only:
    X reports to Y from 2021 to 2025, and Y to X from 2022 (accepted: X has no line today).
    The chart of 2023 still lists both; the more senior heads it."""
    company = factories.company(graph, "Org")
    ids: dict[str, str] = {}
    for name, seniority in [("X", "EXECUTIVE"), ("Y", "SENIOR")]:
        ids[name] = factories.person(graph, name)
        writes.create_edge(
            graph,
            kinds.ROLE,
            ids[name],
            company,
            kinds.ROLE.checked({"title": name, "startDate": "2020-01-01", "seniority": seniority}),
            note=ChangeNote(at=_day("2020-01-01")),
        )
    data(client, SET_AT, p=ids["X"], m=ids["Y"], since=None, at="2021-01-01T00:00:00Z")
    data(client, REMOVE_AT, p=ids["X"], at="2025-01-01T00:00:00Z")
    data(client, SET_AT, p=ids["Y"], m=ids["X"], since=None, at="2022-01-01T00:00:00Z")
    query = """query ($c: ID!, $at: DateTime) { orgChart(companyId: $c, asOf: $at) {
      roots { person { name } reports { person { name } } }
      people { person { name } managerId depth } } }"""
    chart = data(client, query, c=company, at="2023-01-01T00:00:00Z")["orgChart"]
    assert [(p["person"]["name"], p["depth"]) for p in chart["people"]] == [("X", 0), ("Y", 1)]
    assert chart["roots"] == [{"person": {"name": "X"}, "reports": [{"person": {"name": "Y"}}]}]
    assert chart["people"][0]["managerId"] is None
