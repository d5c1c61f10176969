"""Trusted documents (issue 21, outcome 5): the map's operations registered by hash, sent by id;
GUANXI_TRUSTED_DOCUMENTS=only runs nothing else, over HTTP and over WebSockets; `allow` and
`off` run any text. The manifest the server reads is the one graphql-codegen wrote from the
page's operations, and must be up to date with them (docs/TRUSTED_DOCUMENTS.md)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import graphql
import pytest
from starlette.testclient import TestClient

from graph.db.connection import Graph
from schema import schema
from server import create_app
from tests import factories
from tests.conftest import AUTH, auth_headers
from tests.live_server import ROOT
from web.settings import HttpSettings
from web.trusted import Mode, document_id

UI = ROOT / "ui"
PAGE_MANIFEST: dict[str, str] = json.loads((UI / "trusted-documents.json").read_text("utf-8"))
# a front-end team's own document, registered in a file of its own
TEAM_DOCUMENT = "query TeamCompanies { companies(first: 5) { totalCount } }"
RAW = "{ companies(first: 1) { totalCount } }"


def page_id(name: str) -> str:
    """The id the page sends for its operation `name` (ui/src/documents.js)."""
    source = (UI / "src" / "documents.js").read_text("utf-8")
    found = re.search(rf'^  {name}: "(sha256:[0-9a-f]{{64}})",$', source, re.MULTILINE)
    assert found, f"{name} is not in ui/src/documents.js"
    return found.group(1)


def page_operations() -> dict[str, str]:
    """The page's operations as written in ui/src/queries.js, by operation name."""
    source = (UI / "src" / "queries.js").read_text("utf-8")
    texts = re.findall(r"export const \w+ = /\* GraphQL \*/ `(.*?)`;", source, re.DOTALL)
    assert len(texts) == source.count("export const ") > 0, "an operation is not tagged"
    operations: dict[str, str] = {}
    for text in texts:
        (definition,) = graphql.parse(text).definitions
        assert isinstance(definition, graphql.OperationDefinitionNode) and definition.name
        operations[definition.name.value] = text
    return operations


@pytest.fixture
def team_manifest(tmp_path: Path) -> Path:
    """A team's manifest as graphql-codegen's client preset writes it (ids without prefix)."""
    path = tmp_path / "team-documents.json"
    digest = hashlib.sha256(TEAM_DOCUMENT.encode()).hexdigest()
    path.write_text(json.dumps({digest: TEAM_DOCUMENT}), "utf-8")
    return path


@contextlib.contextmanager
def served(graph: Graph, mode: Mode, *files: Path) -> Iterator[TestClient]:
    app = create_app(
        lambda: contextlib.nullcontext(graph),
        demo_data=False,
        auth=AUTH,
        http=HttpSettings(trusted_documents=mode, trusted_document_files=files),
    )
    with TestClient(app, headers=auth_headers()) as client:
        yield client


def post(client: TestClient, body: Any, accept: str = "application/json") -> tuple[int, Any]:
    response = client.post("/graphql", json=body, headers={"Accept": accept})
    return response.status_code, response.json()


def code_of(body: dict[str, Any]) -> str:
    (error,) = body["errors"]
    code: str = error["extensions"]["code"]
    return code


# ---- the manifest is the page's operations, up to date ----


def test_the_manifest_holds_exactly_the_pages_operations_each_under_its_hash() -> None:
    """Every operation of queries.js is in the manifest as the same document (compared
    printed, as the manifest holds it printed), under the id the page sends; nothing else is."""
    operations = page_operations()
    assert len(PAGE_MANIFEST) == len(operations)
    by_name: dict[str, str] = {}
    for key, text in PAGE_MANIFEST.items():
        assert key == document_id(text)
        (definition,) = graphql.parse(text).definitions
        assert isinstance(definition, graphql.OperationDefinitionNode) and definition.name
        by_name[definition.name.value] = key
        assert graphql.validate(schema._schema, graphql.parse(text)) == []
    assert by_name.keys() == operations.keys()
    for name, written in operations.items():
        printed = graphql.print_ast(graphql.parse(PAGE_MANIFEST[by_name[name]]))
        assert printed == graphql.print_ast(graphql.parse(written)), f"{name} is stale"
        assert page_id(name) == by_name[name]


# ---- only: registered documents, by id or as their exact text ----


def test_only_runs_the_pages_documents_by_id_and_a_teams_registered_one(
    graph: Graph, team_manifest: Path
) -> None:
    company_id = factories.company(graph, name="蓝海能源")
    with served(graph, "only", team_manifest) as client:
        status, body = post(
            client, {"documentId": page_id("Company"), "variables": {"id": company_id}}
        )
        assert (status, body) == (
            200,
            {"data": {"company": {"id": company_id, "name": "蓝海能源"}}},
        )
        # Apollo's form of the same id, a team's document, and a GET
        apollo = {"version": 1, "sha256Hash": page_id("Ping").removeprefix("sha256:")}
        assert post(client, {"extensions": {"persistedQuery": apollo}}) == (
            200,
            {"data": {"__typename": "Query"}},
        )
        team = post(client, {"documentId": document_id(TEAM_DOCUMENT)})
        assert team == (200, {"data": {"companies": {"totalCount": 1}}})
        got = client.get("/graphql", params={"documentId": page_id("Ping")})
        assert (got.status_code, got.json()) == (200, {"data": {"__typename": "Query"}})
        # a registered document sent as its exact text runs too
        assert post(client, {"query": TEAM_DOCUMENT})[0] == 200


def test_only_refuses_other_documents_and_unknown_ids_with_their_codes(
    graph: Graph, team_manifest: Path
) -> None:
    with served(graph, "only", team_manifest) as client:
        for accept in ("application/json", "application/graphql-response+json"):
            status, body = post(client, {"query": RAW}, accept)
            assert (status, code_of(body)) == (400, "UNTRUSTED_DOCUMENT"), body
            assert "GUANXI_TRUSTED_DOCUMENTS=only" in body["errors"][0]["message"]
        # the registered text with a byte changed is another document
        assert code_of(post(client, {"query": TEAM_DOCUMENT + " "})[1]) == "UNTRUSTED_DOCUMENT"
        unknown = document_id(RAW)
        status, body = post(client, {"documentId": unknown})
        assert (status, code_of(body)) == (400, "PERSISTED_QUERY_NOT_FOUND")
        assert unknown in body["errors"][0]["message"]
        got = client.get("/graphql", params={"query": RAW})
        assert (got.status_code, code_of(got.json())) == (400, "UNTRUSTED_DOCUMENT")
        # one unregistered operation refuses its batch
        batch = [{"documentId": page_id("Ping")}, {"query": RAW}]
        assert code_of(post(client, batch)[1]) == "UNTRUSTED_DOCUMENT"
        # an id of another form, or a text beside an id that is not its document
        assert code_of(post(client, {"documentId": "md5:abc"})[1]) == "BAD_REQUEST"
        mismatch = {"documentId": page_id("Ping"), "query": RAW}
        assert code_of(post(client, mismatch)[1]) == "BAD_REQUEST"
        # a text with its own id is a text: refused here unless registered (Apollo's retry)
        retry = {"query": RAW, "extensions": {"persistedQuery": {"sha256Hash": unknown[7:]}}}
        assert code_of(post(client, retry)[1]) == "UNTRUSTED_DOCUMENT"
        registered = {"query": TEAM_DOCUMENT, "documentId": document_id(TEAM_DOCUMENT)}
        assert post(client, registered)[0] == 200


def test_only_holds_over_websockets_too(graph: Graph) -> None:
    with (
        served(graph, "only") as client,
        client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws,
    ):
        ws.send_json({"type": "connection_init", "payload": auth_headers()})
        assert ws.receive_json()["type"] == "connection_ack"
        ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": RAW}})
        refused = ws.receive_json()
        assert refused["type"] == "error" and refused["id"] == "1"
        assert refused["payload"][0]["extensions"]["code"] == "UNTRUSTED_DOCUMENT"
        ws.send_json({"id": "2", "type": "subscribe", "payload": {"documentId": page_id("Ping")}})
        assert ws.receive_json() == {
            "id": "2",
            "type": "next",
            "payload": {"data": {"__typename": "Query"}},
        }
        assert ws.receive_json() == {"id": "2", "type": "complete"}


# ---- allow and off: any text ----


def test_allow_runs_any_text_and_registered_ids(graph: Graph) -> None:
    with served(graph, "allow") as client:
        assert post(client, {"query": RAW}) == (200, {"data": {"companies": {"totalCount": 0}}})
        assert post(client, {"documentId": page_id("Ping")})[0] == 200
        assert code_of(post(client, {"documentId": document_id(RAW)})[1]) == (
            "PERSISTED_QUERY_NOT_FOUND"
        )
        # Apollo's link then sends the text with its id: it runs, as any text does here
        apollo = {"persistedQuery": {"version": 1, "sha256Hash": document_id(RAW)[7:]}}
        retry = {"query": RAW, "extensions": apollo}
        assert post(client, retry) == (200, {"data": {"companies": {"totalCount": 0}}})


def test_off_runs_any_text_and_answers_ids_not_found_so_the_page_sends_the_text(
    graph: Graph,
) -> None:
    with served(graph, "off") as client:
        assert post(client, {"query": RAW}) == (200, {"data": {"companies": {"totalCount": 0}}})
        status, body = post(client, {"documentId": page_id("Ping")})
        assert (status, code_of(body)) == (400, "PERSISTED_QUERY_NOT_FOUND")
        assert "GUANXI_TRUSTED_DOCUMENTS=off" in body["errors"][0]["message"]


def test_the_default_is_allow() -> None:
    assert HttpSettings().trusted_documents == "allow"


# ---- manifests that cannot be trusted stop the start ----


def test_a_manifest_whose_id_is_not_its_documents_hash_is_refused(
    graph: Graph, tmp_path: Path
) -> None:
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps({page_id("Ping"): RAW}), "utf-8")
    with pytest.raises(ValueError, match="is not the SHA-256 of its document"):
        create_app(
            lambda: contextlib.nullcontext(graph),
            http=HttpSettings(trusted_documents="only", trusted_document_files=(forged,)),
        )
    missing = tmp_path / "missing.json"
    with pytest.raises(ValueError, match="cannot read"):
        create_app(
            lambda: contextlib.nullcontext(graph),
            http=HttpSettings(trusted_document_files=(missing,)),
        )


def test_apollos_manifest_format_is_read(graph: Graph, tmp_path: Path) -> None:
    manifest = tmp_path / "persisted-query-manifest.json"
    operation = {
        "id": document_id(TEAM_DOCUMENT).removeprefix("sha256:"),
        "body": TEAM_DOCUMENT,
        "name": "TeamCompanies",
        "type": "query",
    }
    manifest.write_text(
        json.dumps(
            {"format": "apollo-persisted-query-manifest", "version": 1, "operations": [operation]}
        ),
        "utf-8",
    )
    with served(graph, "only", manifest) as client:
        assert post(client, {"documentId": document_id(TEAM_DOCUMENT)})[0] == 200
