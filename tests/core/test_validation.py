"""Bad input gets an error that names the field and the rule, and writes nothing."""

from __future__ import annotations

import logging

import pytest
from starlette.testclient import TestClient

from graph.core import reads
from graph.db.connection import Graph
from tests import factories
from tests.conftest import counts, data, error

REL = """mutation ($input: PersonRelationshipInput!) { createRelationship(input: $input) { id } }"""
ROLE = """mutation ($input: RoleInput!) { createRole(input: $input) { id } }"""


@pytest.fixture
def two_people(graph: Graph) -> tuple[str, str]:
    return factories.person(graph, "甲"), factories.person(graph, "乙")


@pytest.mark.parametrize("strength", [1.5, -0.1])
def test_strength_outside_unit_interval(
    client: TestClient, graph: Graph, two_people: tuple[str, str], strength: float
) -> None:
    before = counts(graph)
    a, b = two_people
    err = error(
        client,
        REL,
        input={"fromPersonId": a, "toPersonId": b, "tier": "FRIEND", "strength": strength},
    )
    assert err["extensions"] == {"code": "BAD_USER_INPUT", "field": "input.strength"}
    rule = "less than or equal to 1" if strength > 1 else "greater than or equal to 0"
    assert err["message"] == f"input.strength: Input should be {rule}"
    assert counts(graph) == before


def test_a_refused_input_is_not_logged_as_an_error(
    client: TestClient, two_people: tuple[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    a, b = two_people
    caplog.set_level(logging.ERROR)
    err = error(
        client, REL, input={"fromPersonId": a, "toPersonId": b, "tier": "FRIEND", "strength": 2}
    )
    assert err["extensions"]["code"] == "BAD_USER_INPUT"
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_unknown_enum_value(client: TestClient, graph: Graph, two_people: tuple[str, str]) -> None:
    a, b = two_people
    err = error(
        client, REL, input={"fromPersonId": a, "toPersonId": b, "tier": "BFF", "strength": 0.5}
    )
    assert err["extensions"]["code"] == "BAD_USER_INPUT"
    assert "BFF" in err["message"] and "PersonTier" in err["message"]
    assert counts(graph) == (2, 0)


def test_end_date_before_start_date(client: TestClient, graph: Graph) -> None:
    person = factories.person(graph, "P")
    company = factories.company(graph, "C")
    err = error(
        client,
        ROLE,
        input={
            "personId": person,
            "companyId": company,
            "title": "CFO",
            "startDate": "2022-01-01",
            "endDate": "2021-01-01",
        },
    )
    assert err["extensions"] == {"code": "BAD_USER_INPUT", "field": "input.endDate"}
    assert "startDate" in err["message"]
    assert counts(graph) == (2, 0)


def test_end_date_before_existing_start_date_on_update(client: TestClient, graph: Graph) -> None:
    role = factories.role(
        graph, factories.person(graph, "P"), factories.company(graph, "C"), startDate="2022-01-01"
    )
    err = error(
        client,
        'mutation ($id: ID!) { updateRole(id: $id, input: {endDate: "2020-01-01"}) { id } }',
        id=role,
    )
    assert err["extensions"]["field"] == "input.endDate"
    stored = reads.roles_by_id(graph, [role])[0]
    assert stored is not None and stored.end_date is None


@pytest.mark.parametrize("field", ["fromPersonId", "toPersonId"])
def test_unknown_id(
    client: TestClient, graph: Graph, two_people: tuple[str, str], field: str
) -> None:
    a, b = two_people
    payload = {"fromPersonId": a, "toPersonId": b, "tier": "FRIEND", "strength": 0.5}
    payload[field] = "pe_does_not_exist"
    err = error(client, REL, input=payload)
    assert err["extensions"] == {"code": "NOT_FOUND", "field": field}
    assert "pe_does_not_exist" in err["message"]
    assert counts(graph) == (2, 0)


def test_missing_required_field(
    client: TestClient, graph: Graph, two_people: tuple[str, str]
) -> None:
    a, b = two_people
    err = error(client, REL, input={"fromPersonId": a, "toPersonId": b, "tier": "FRIEND"})
    assert err["extensions"]["code"] == "BAD_USER_INPUT"
    assert "required field 'strength'" in err["message"]
    assert counts(graph) == (2, 0)


def test_over_long_string(client: TestClient, graph: Graph) -> None:
    err = error(
        client,
        "mutation ($name: String!) { createCompany(input: {name: $name}) { id } }",
        name="长" * 201,
    )
    assert err["extensions"] == {"code": "BAD_USER_INPUT", "field": "input.name"}
    assert "200" in err["message"]
    assert counts(graph) == (0, 0)


def test_blank_name(client: TestClient, graph: Graph) -> None:
    err = error(client, 'mutation { createPerson(input: {name: "   "}) { id } }')
    assert err["extensions"]["field"] == "input.name"
    assert counts(graph) == (0, 0)


def test_self_relationship(client: TestClient, graph: Graph, two_people: tuple[str, str]) -> None:
    a, _ = two_people
    err = error(
        client, REL, input={"fromPersonId": a, "toPersonId": a, "tier": "FRIEND", "strength": 0.5}
    )
    assert err["extensions"] == {"code": "BAD_USER_INPUT", "field": "toPersonId"}
    assert counts(graph) == (2, 0)


def test_second_relationship_between_the_same_people(
    client: TestClient, graph: Graph, two_people: tuple[str, str]
) -> None:
    a, b = two_people
    factories.knows(graph, a, b, 0.5)
    err = error(
        client, REL, input={"fromPersonId": b, "toPersonId": a, "tier": "FRIEND", "strength": 0.9}
    )
    assert err["extensions"]["code"] == "CONFLICT"
    assert counts(graph) == (2, 1)


def test_failed_update_changes_nothing(client: TestClient, graph: Graph) -> None:
    company = factories.company(graph, "Keep", region="上海")
    err = error(
        client,
        'mutation ($id: ID!) { updateCompany(id: $id, input: {region: "北京", name: ""}) { id } }',
        id=company,
    )
    assert err["extensions"]["field"] == "input.name"
    body = client.post(
        "/graphql",
        json={
            "query": "query ($id: ID!) { company(id: $id) { name region } }",
            "variables": {"id": company},
        },
    ).json()
    assert body["data"]["company"] == {"name": "Keep", "region": "上海"}


def test_page_size_cap_and_bad_cursor(client: TestClient) -> None:
    err = error(client, "{ companies(first: 101) { totalCount } }")
    assert err["extensions"] == {"code": "BAD_USER_INPUT", "field": "first"}
    err = error(client, '{ companies(after: "not-a-cursor") { totalCount } }')
    assert err["extensions"] == {"code": "BAD_USER_INPUT", "field": "after"}


def _failing(monkeypatch: pytest.MonkeyPatch, graph: Graph) -> None:
    """Every read of `graph` fails the way a bug would, naming what must not leak."""

    def read_tx(work: object) -> object:
        raise RuntimeError("MATCH (c:Company) at bolt://127.0.0.1:7687 went wrong")

    monkeypatch.setattr(graph, "read_tx", read_tx)


def test_internal_errors_are_masked(
    client: TestClient,
    graph: Graph,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An unexpected failure reaches the client as INTERNAL with a request id, no details."""
    _failing(monkeypatch, graph)
    err = error(client, "{ companies { totalCount } }")
    monkeypatch.undo()
    assert err["message"] == "Internal error."
    assert err["extensions"]["code"] == "INTERNAL"
    logged = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert any(err["extensions"]["requestId"] in r.getMessage() for r in logged)
    assert len(err["extensions"]["requestId"]) == 32
    assert "bolt" not in str(err).lower() and "MATCH" not in str(err)


def test_an_internal_error_quotes_the_requests_own_id(
    client: TestClient, graph: Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The id in the error is the one in the X-Request-ID header and in the server's log."""
    with monkeypatch.context() as patch:
        _failing(patch, graph)
        response = client.post(
            "/graphql",
            json={"query": "{ companies { totalCount } }"},
            headers={"X-Request-ID": "trace-42"},
        )
    [err] = response.json()["errors"]
    assert response.headers["X-Request-ID"] == "trace-42"
    assert err["extensions"] == {"code": "INTERNAL", "requestId": "trace-42"}


def test_a_database_that_cannot_be_reached_is_unavailable(client: TestClient, graph: Graph) -> None:
    """UNAVAILABLE, saying to try again, and nothing of where the database is."""
    real_driver = graph.driver
    from neo4j import GraphDatabase

    graph.driver = GraphDatabase.driver(
        "bolt://127.0.0.1:9", auth=("x", "y"), max_transaction_retry_time=0.5
    )
    try:
        err = error(client, "{ companies { totalCount } }")
    finally:
        graph.driver.close()
        graph.driver = real_driver
    assert err["extensions"]["code"] == "UNAVAILABLE"
    assert "try again" in err["message"] and "bolt" not in str(err).lower()


OUT_OF_RANGE = ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"]
DATED = {
    "keyPersonMap.asOf": "query ($id: ID!, $at: DateTime) {"
    " keyPersonMap(companyId: $id, asOf: $at) { summary { keyPersons } } }",
    "relationship.asOf": "query ($tie: ID!, $at: DateTime) {"
    " relationship(id: $tie, asOf: $at) { strength } }",
    "logInteraction.at": "mutation ($li: ID!, $zhou: ID!, $at: DateTime!) {"
    " logInteraction(input: {kind: MEETING, at: $at, ourPersonIds: [$li],"
    " theirPersonIds: [$zhou]}) { id } }",
    "change.at": "mutation ($id: ID!, $at: DateTime) {"
    ' updateCompany(id: $id, input: {industry: "x"}, change: {at: $at}) { id } }',
}


@pytest.mark.parametrize("at", OUT_OF_RANGE)
@pytest.mark.parametrize("where", list(DATED))
def test_dates_out_of_range_are_refused_as_input(
    client: TestClient, graph: Graph, where: str, at: str
) -> None:
    """Finding 8: a date whose UTC instant leaves the calendar (year 0 or 10000) answered
    INTERNAL; every DateTime argument now refuses dates outside 1900-9998 as bad input, and
    nothing is written."""
    ids = factories.book(graph, ["li"], {"acme": ["zhou"]})
    tie = factories.knows(graph, ids["li"], ids["zhou"], 0.4)
    before = counts(graph)
    variables = {"id": ids["acme"], "tie": tie, "li": ids["li"], "zhou": ids["zhou"], "at": at}
    query = DATED[where]
    used = {k: v for k, v in variables.items() if f"${k}" in query}
    err = error(client, query, **used)
    assert err["extensions"]["code"] == "BAD_USER_INPUT", err
    assert "1900-01-01" in err["message"], err["message"]
    assert counts(graph) == before


UNREADABLE_NAMES = {
    "zero-width only": "\u200b\u200c\u200d\ufeff",
    "zero-width and spaces": " \u200b \u2060 ",
    "NUL": "Ana\x00Li",
    "C1 control": "Ana\x85Li",
    "line break": "Ana\nLi",
    "right-to-left override": "Ana\u202egpj.exe",
    "isolate": "\u2066Ana\u2069",
}


@pytest.mark.parametrize("kind", ["Company", "Person"])
@pytest.mark.parametrize("name", list(UNREADABLE_NAMES.values()), ids=list(UNREADABLE_NAMES))
def test_unreadable_names_are_refused(
    client: TestClient, graph: Graph, kind: str, name: str
) -> None:
    """Finding 16: names made only of zero-width characters, or holding NUL, other controls
    or bidirectional overrides, were stored; they are refused and nothing is written."""
    err = error(
        client,
        f"mutation ($input: {kind}Input!) {{ create{kind}(input: $input) {{ id }} }}",
        input={"name": name},
    )
    assert err["extensions"] == {"code": "BAD_USER_INPUT", "field": "input.name"}, err
    assert counts(graph) == (0, 0)


def test_readable_names_with_format_characters_are_kept(client: TestClient) -> None:
    """Finding 16's rule refuses no real name: a joiner inside an emoji sequence, a
    right-to-left mark beside Arabic, spaces inside."""
    for name in ("👩\u200d💻 Ana", "\u200fعلي", "欧阳 娜娜"):
        created = data(
            client, "mutation ($n: String!) { createPerson(input: {name: $n}) { name } }", n=name
        )
        assert created["createPerson"]["name"] == name


def test_a_rename_to_an_unreadable_name_is_refused(client: TestClient, graph: Graph) -> None:
    """Finding 16: the patch path checks names as the create path does."""
    company = factories.company(graph, "Acme")
    err = error(
        client,
        'mutation ($id: ID!) { updateCompany(id: $id, input: {name: "\\u200b"}) { id } }',
        id=company,
    )
    assert err["extensions"] == {"code": "BAD_USER_INPUT", "field": "input.name"}, err
    [found] = reads.companies_by_id(graph, [company])
    assert found is not None and found.name == "Acme"
