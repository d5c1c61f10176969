"""Create, read, update and delete each kind through the API."""

from __future__ import annotations

from starlette.testclient import TestClient

from graph.db.connection import Graph
from tests.conftest import counts, data, error

CREATE_COMPANY = """
mutation ($input: CompanyInput!) { createCompany(input: $input) { id name status isOurs } }
"""
CREATE_PERSON = """
mutation ($input: PersonInput!) { createPerson(input: $input) { id name communicationStyle } }
"""


def _company(client: TestClient, **fields: object) -> str:
    result = data(client, CREATE_COMPANY, input={"name": "Acme", **fields})
    return str(result["createCompany"]["id"])


def _person(client: TestClient, name: str = "王芳", **fields: object) -> str:
    result = data(client, CREATE_PERSON, input={"name": name, **fields})
    return str(result["createPerson"]["id"])


def test_company_create_read_update_delete(client: TestClient) -> None:
    created = data(
        client, CREATE_COMPANY, input={"name": "华为 Huawei", "status": "TARGET", "valueClass": "A"}
    )["createCompany"]
    assert created["name"] == "华为 Huawei"
    assert created["isOurs"] is False
    company_id = created["id"]

    updated = data(
        client,
        """mutation ($id: ID!) { updateCompany(id: $id, input: {status: CURRENT, region: "深圳"}) {
             status region valueClass } }""",
        id=company_id,
    )["updateCompany"]
    assert updated == {"status": "CURRENT", "region": "深圳", "valueClass": "A"}

    cleared = data(
        client,
        "mutation ($id: ID!) { updateCompany(id: $id, input: {region: null}) { region } }",
        id=company_id,
    )["updateCompany"]
    assert cleared["region"] is None

    assert data(client, "mutation ($id: ID!) { deleteCompany(id: $id) }", id=company_id) == {
        "deleteCompany": company_id
    }
    assert data(client, "query ($id: ID!) { company(id: $id) { id } }", id=company_id) == {
        "company": None
    }


def test_role_links_person_and_company_both_ways(client: TestClient) -> None:
    company_id = _company(client)
    person_id = _person(client)
    role = data(
        client,
        """mutation ($p: ID!, $c: ID!) {
             createRole(input: {personId: $p, companyId: $c, title: "CTO", isKeyPerson: true,
                                buyingRole: DECISION_MAKER, seniority: EXECUTIVE,
                                startDate: "2020-01-01"}) {
               id isCurrent person { name } company { name } } }""",
        p=person_id,
        c=company_id,
    )["createRole"]
    assert role["isCurrent"] is True
    assert role["person"]["name"] == "王芳"
    assert role["company"]["name"] == "Acme"

    result = data(
        client,
        """query ($c: ID!, $p: ID!) {
             company(id: $c) { peopleCount people { title person { id } } }
             person(id: $p) { roles { title company { id } } } }""",
        c=company_id,
        p=person_id,
    )
    assert result["company"]["peopleCount"] == 1
    assert result["company"]["people"][0]["person"]["id"] == person_id
    assert result["person"]["roles"][0]["company"]["id"] == company_id


def test_ended_role_is_past_and_person_keeps_it(client: TestClient) -> None:
    """A job change: the old role ends, the new one starts, the old one stays on record."""
    old_id, new_id = _company(client, name="Old Co"), _company(client, name="New Co")
    person_id = _person(client)
    create = """mutation ($p: ID!, $c: ID!, $start: Date!) {
        createRole(input: {personId: $p, companyId: $c, title: "Head of IT",
                           startDate: $start}) { id } }"""
    old_role = data(client, create, p=person_id, c=old_id, start="2019-01-01")["createRole"]["id"]
    data(
        client,
        'mutation ($id: ID!) { updateRole(id: $id, input: {endDate: "2024-03-31"}) { id } }',
        id=old_role,
    )
    data(client, create, p=person_id, c=new_id, start="2024-04-01")

    result = data(
        client,
        """query ($old: ID!, $p: ID!) {
             company(id: $old) { current: people { id } all: people(includePast: true) {
               endDate isCurrent } }
             person(id: $p) { current: roles(includePast: false) { company { name } }
                              all: roles { company { name } } } }""",
        old=old_id,
        p=person_id,
    )
    assert result["company"]["current"] == []
    assert result["company"]["all"] == [{"endDate": "2024-03-31", "isCurrent": False}]
    assert result["person"]["current"] == [{"company": {"name": "New Co"}}]
    assert [r["company"]["name"] for r in result["person"]["all"]] == ["New Co", "Old Co"]


def test_person_relationship_and_company_relationship(client: TestClient) -> None:
    a, b = _person(client, "Alice"), _person(client, "李雷")
    rel = data(
        client,
        """mutation ($a: ID!, $b: ID!) {
             createRelationship(input: {fromPersonId: $a, toPersonId: $b, tier: FRIEND,
                                        strength: 0.6, level: TRUST, since: "2021-05-01"}) {
               id tier strength level since fromPerson { name } toPerson { name } } }""",
        a=a,
        b=b,
    )["createRelationship"]
    assert rel["fromPerson"]["name"] == "Alice"
    assert rel["toPerson"]["name"] == "李雷"

    data(
        client,
        "mutation ($id: ID!) { updateRelationship(id: $id, input: {strength: 0.8}) { id } }",
        id=rel["id"],
    )
    seen_from_b = data(
        client,
        "query ($b: ID!) { person(id: $b) { strongestTie relationships { strength tier } } }",
        b=b,
    )["person"]
    assert seen_from_b == {
        "strongestTie": 0.8,
        "relationships": [{"strength": 0.8, "tier": "FRIEND"}],
    }

    x, y = _company(client, name="X"), _company(client, name="Y")
    crel = data(
        client,
        """mutation ($x: ID!, $y: ID!) {
             createCompanyRelationship(input: {fromCompanyId: $x, toCompanyId: $y,
               tier: PREFERRED_SUPPLIER, strength: 0.5, lifecycleStage: FORMATION}) {
               id tier lifecycleStage toCompany { name } } }""",
        x=x,
        y=y,
    )["createCompanyRelationship"]
    assert crel["toCompany"]["name"] == "Y"
    listed = data(
        client, "query ($y: ID!) { company(id: $y) { companyRelationships { id } } }", y=y
    )["company"]["companyRelationships"]
    assert listed == [{"id": crel["id"]}]


def test_referrals_between_people_and_companies(client: TestClient) -> None:
    referrer = _person(client, "Anna")
    referred = _company(client, name="Northwind")
    created = data(
        client,
        """mutation ($a: ID!, $b: ID!) {
             createReferral(input: {referrerId: $a, referredId: $b, date: "2023-11-20",
                                    note: "met at a forum"}) {
               id referrer { __typename ... on Person { name } }
               referred { __typename ... on Company { name } } } }""",
        a=referrer,
        b=referred,
    )["createReferral"]
    assert created["referrer"] == {"__typename": "Person", "name": "Anna"}
    assert created["referred"] == {"__typename": "Company", "name": "Northwind"}
    result = data(
        client,
        """query ($a: ID!, $b: ID!) {
             person(id: $a) { referralsMade { id } referralsReceived { id } }
             company(id: $b) { referralsReceived { id note } } }""",
        a=referrer,
        b=referred,
    )
    assert result["person"] == {"referralsMade": [{"id": created["id"]}], "referralsReceived": []}
    assert result["company"]["referralsReceived"] == [
        {"id": created["id"], "note": "met at a forum"}
    ]


def test_delete_with_edges_is_refused_unless_forced(client: TestClient, graph: Graph) -> None:
    company_id = _company(client)
    person_id = _person(client)
    data(
        client,
        "mutation ($p: ID!, $c: ID!) { createRole(input: {personId: $p, companyId: $c, "
        'title: "CEO"}) { id } }',
        p=person_id,
        c=company_id,
    )
    before = counts(graph)
    refused = error(client, "mutation ($id: ID!) { deleteCompany(id: $id) }", id=company_id)
    assert refused["extensions"]["code"] == "CONFLICT"
    assert "force: true" in refused["message"]
    assert counts(graph) == before

    data(client, "mutation ($id: ID!) { deleteCompany(id: $id, force: true) }", id=company_id)
    assert counts(graph) == (1, 0)  # the person stays; the company and the role are gone


def test_delete_edges(client: TestClient, graph: Graph) -> None:
    a, b = _person(client, "A"), _person(client, "B")
    rel = data(
        client,
        """mutation ($a: ID!, $b: ID!) { createRelationship(input: {fromPersonId: $a,
             toPersonId: $b, tier: ACQUAINTANCE, strength: 0.3}) { id } }""",
        a=a,
        b=b,
    )["createRelationship"]["id"]
    data(client, "mutation ($id: ID!) { deleteRelationship(id: $id) }", id=rel)
    assert counts(graph) == (2, 0)
    missing = error(client, "mutation ($id: ID!) { deleteRelationship(id: $id) }", id=rel)
    assert missing["extensions"]["code"] == "NOT_FOUND"
