"""Import and export through GraphQL: small batches, the same rules and reports as files."""

from __future__ import annotations

import json
from pathlib import Path

from starlette.testclient import TestClient

from graph.core import reads
from graph.db.connection import Graph
from tests import factories
from tests.conftest import counts, data, error

IMPORT = """
mutation ($input: ImportRecordsInput!, $strict: Boolean!) {
  importRecords(input: $input, strict: $strict, by: "crm sync") {
    summary refused
    counts { kind records created updated unchanged bad }
    problems { kind line field reason }
  }
}"""

EXPORT = """
query ($c: ID, $f: ExportFormat!) {
  exportRecords(companyId: $c, format: $f) { name records content }
}"""

RECORDS = {
    "companies": [{"externalId": "c-1", "name": "Acme", "status": "CURRENT"}],
    "people": [
        {"externalId": "p-1", "name": "周强"},
        {"externalId": "p-2", "name": "王伟", "communicationStyle": "LOUD"},
    ],
    "roles": [
        {"externalId": "r-1", "person": "p-1", "company": "c-1", "title": "CTO",
         "isKeyPerson": True},
        {"externalId": "r-2", "person": "p-2", "company": "c-1", "title": "Buyer"},
    ],
}  # fmt: skip


def test_import_through_the_api_writes_the_good_records_and_names_the_bad(
    client: TestClient, graph: Graph
) -> None:
    result = data(client, IMPORT, input=RECORDS, strict=False)["importRecords"]
    assert result["summary"] == "5 records: 3 created, 0 updated, 0 unchanged, 2 bad"
    assert [(p["kind"], p["line"], p["field"]) for p in result["problems"]] == [
        ("PEOPLE", 2, "people.communicationStyle"),
        ("ROLES", 2, "person"),
    ]
    assert "LOUD" in result["problems"][0]["reason"] or "AMIABLE" in result["problems"][0]["reason"]
    assert counts(graph) == (2, 1)
    again = data(client, IMPORT, input=RECORDS, strict=False)["importRecords"]
    assert again["summary"] == "5 records: 0 created, 0 updated, 3 unchanged, 2 bad"


def test_a_strict_import_through_the_api_is_refused_whole(client: TestClient, graph: Graph) -> None:
    result = data(client, IMPORT, input=RECORDS, strict=True)["importRecords"]
    assert result["refused"] is True and len(result["problems"]) == 2
    assert counts(graph) == (0, 0)


def test_too_many_records_in_one_call_is_bad_user_input(client: TestClient, graph: Graph) -> None:
    people = [{"externalId": f"p-{i}", "name": f"P{i}"} for i in range(5001)]
    found = error(client, IMPORT, input={"people": people}, strict=False)
    assert found["extensions"]["code"] == "BAD_USER_INPUT"
    assert "5,000" in found["message"]
    assert counts(graph) == (0, 0)


def test_export_through_the_api_gives_files_that_import_back(
    client: TestClient, graph: Graph
) -> None:
    data(client, IMPORT, input=RECORDS, strict=False)
    company = reads.id_by_external_id(graph, "company", "c-1")
    files = data(client, EXPORT, c=company, f="JSONL")["exportRecords"]
    by_name = {f["name"]: f for f in files}
    assert by_name["people.jsonl"]["records"] == 1
    person = json.loads(by_name["people.jsonl"]["content"])
    assert (person["externalId"], person["name"]) == ("p-1", "周强")
    graphml = data(client, EXPORT, c=None, f="GRAPHML")["exportRecords"]
    assert graphml[0]["name"] == "graph.graphml" and graphml[0]["records"] == 3
    assert "周强" in graphml[0]["content"]
    missing = error(client, EXPORT, c="co_nothing", f="CSV")
    assert missing["extensions"]["code"] == "NOT_FOUND"


def test_references_by_guanxi_id_work_through_the_api(client: TestClient, graph: Graph) -> None:
    a, b = factories.person(graph, "A"), factories.person(graph, "B")
    ties = [{"externalId": "k-1", "fromPerson": a, "toPerson": b, "tier": "FRIEND",
             "strength": 0.5}]  # fmt: skip
    result = data(client, IMPORT, input={"relationships": ties}, strict=True)["importRecords"]
    assert result["summary"] == "1 record: 1 created, 0 updated, 0 unchanged, 0 bad"
    assert counts(graph) == (2, 1)


def test_the_documented_example_imports(client: TestClient, graph: Graph) -> None:
    """The example of docs/IMPORT_EXPORT.md, as written there (enum values as literals)."""
    text = (Path(__file__).resolve().parents[2] / "docs" / "IMPORT_EXPORT.md").read_text()
    example = text.split("```graphql")[1].split("```")[0]
    result = data(client, example)["importRecords"]
    assert result["summary"] == "3 records: 3 created, 0 updated, 0 unchanged, 0 bad"
    company = reads.id_by_external_id(graph, "company", "crm-4712")
    assert company is not None
    [found] = reads.companies_by_id(graph, [company])
    assert found is not None and found.status is not None and found.status.value == "PROSPECT"
