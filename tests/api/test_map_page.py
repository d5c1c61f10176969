"""The key-person map page end to end: the real server (`python server.py`) over the demo data,
driven in Debian's headless Chromium through Playwright. What the page shows is checked
against what the GraphQL API answers for the same question.

The server runs only trusted documents (GUANXI_TRUSTED_DOCUMENTS=only): the page's, which it
sends by id, and this module's own, registered as a front-end team registers theirs (a
manifest in GUANXI_TRUSTED_DOCUMENT_FILES) and sent by id too."""

from __future__ import annotations

import ast
import datetime as dt
import json
import os
import random
import re
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import graphql
import httpx2
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from graph.auth.credentials import issue_jwt
from graph.auth.tokens import Role
from graph.db import cache
from graph.db.connection import Graph
from graph.db.engine import BoltEndpoint
from graph.db.setup import delete_everything
from schema import schema
from seed.demo import load_demo
from tests.conftest import AUTH
from tests.live_server import ROOT, LiveServer, live_server
from web.trusted import document_id

CHROMIUM = Path(os.environ.get("GUANXI_CHROMIUM", "/usr/bin/chromium"))
# as the machine's notes advise: no sandbox (root), and no calls home on a closed network
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT = ROOT / "docs" / "images" / "key-person-map.png"
IMAGES = ROOT / "docs" / "images"
# the page needs no more than a viewer may do; the big customers are imported by an admin
TOKEN = issue_jwt("e2e-viewer", Role.VIEWER, AUTH)
ADMIN = issue_jwt("e2e-admin", Role.ADMIN, AUTH)
# ui/src/layout.js MIN_LABEL_PX: no label is drawn smaller on screen at the default zoom
MIN_LABEL_PX = 10
DRAWN = '#graph[aria-busy="false"]'

KEY_PERSON_MAP = """
query ($companyId: ID!, $asOf: DateTime) {
  keyPersonMap(companyId: $companyId, everyone: true, asOf: $asOf) {
    summary { keyPersons covered uncovered singleThreaded reachesExecutives }
    entries {
      isKeyPerson covered threads person { id name }
      relationships { relationship { id } }
    }
  }
}"""


@pytest.fixture(scope="module")
def server(
    engine_graph: Graph, engine_endpoint: BoltEndpoint, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """The server over the demo data (as after `make run`), accepting the tests' JWTs, running
    only trusted documents: the page's and this module's (`module_documents`)."""
    delete_everything(engine_graph)
    cache.clear()
    load_demo(engine_graph)
    folder = tmp_path_factory.mktemp("map")
    manifest = folder / "map-tests-documents.json"
    manifest.write_text(json.dumps(module_documents()), encoding="utf-8")
    with live_server(
        engine_endpoint,
        folder / "server.log",
        GUANXI_TRUSTED_DOCUMENTS="only",
        GUANXI_TRUSTED_DOCUMENT_FILES=str(manifest),
    ) as running:
        yield running


def page_document_id(name: str) -> str:
    """The id the page sends its operation `name` by (ui/src/documents.js)."""
    source = (ROOT / "ui" / "src" / "documents.js").read_text(encoding="utf-8")
    found = re.search(rf'^  {name}: "(sha256:[0-9a-f]{{64}})",$', source, re.MULTILINE)
    assert found, f"{name} is not in ui/src/documents.js"
    return found.group(1)


def module_documents() -> dict[str, str]:
    """Every GraphQL operation written in this module, by id: the manifest a team with its own
    documents registers (docs/TRUSTED_DOCUMENTS.md)."""
    documents: dict[str, str] = {}
    for node in ast.walk(ast.parse(Path(__file__).read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            try:
                parsed = graphql.parse(node.value)
            except graphql.GraphQLError:
                continue
            if any(isinstance(d, graphql.OperationDefinitionNode) for d in parsed.definitions):
                documents[document_id(node.value)] = node.value
    return documents


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: `apt-get install chromium` (make test does)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, server: LiveServer) -> Iterator[Page]:
    """A fresh tab; any script error on the page fails the test."""
    context = browser.new_context(viewport={"width": 1400, "height": 860}, base_url=server.base)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    # the console reports what the Content-Security-Policy refused, among others; a refused
    # request (401 for a bad token) is the one error a test may cause on purpose
    opened.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error" and not message.text.startswith("Failed to load resource")
            else None
        ),
    )
    yield opened
    context.close()
    assert errors == []


def api(server: LiveServer, query: str, token: str = TOKEN, **variables: Any) -> dict[str, Any]:
    """The API's own answer, with the same credential the page uses (unless told); the document
    sent by id, as the server runs only registered ones."""
    response = httpx2.post(
        server.graphql_url,
        json={"documentId": document_id(query), "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
        timeout=120,
    )
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]
    return result


def customers(server: LiveServer) -> dict[str, str]:
    """Name -> id of the demo's customers."""
    found = api(server, "{ companies(first: 50, filter: {isOurs: false}) { nodes { id name } } }")
    return {node["name"]: node["id"] for node in found["companies"]["nodes"]}


def sign_in(page: Page, path: str = "/map/") -> None:
    page.goto(f"{path}#token={TOKEN}")


def open_customer(page: Page, company_id: str) -> None:
    sign_in(page, f"/map/?company={company_id}")
    page.wait_for_selector(f'{DRAWN}[data-view="map"][data-company="{company_id}"]')


def node_ids(page: Page, selector: str) -> set[str]:
    """Ids of the graph's elements matching a cytoscape selector."""
    ids: list[str] = page.evaluate(
        "selector => guanxiGraph.$(selector).map(element => element.id())", selector
    )
    return set(ids)


def click_node(page: Page, node_id: str) -> None:
    """A real click on the canvas where cytoscape drew the node."""
    position = page.evaluate("id => guanxiGraph.$id(id).renderedPosition()", node_id)
    box = page.locator("#graph").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + position["x"], box["y"] + position["y"])


def assert_map_matches_api(
    page: Page, server: LiveServer, company_id: str, as_of: str | None
) -> None:
    """The summary, the key-person list and the drawing agree with keyPersonMap."""
    answer = api(server, KEY_PERSON_MAP, companyId=company_id, asOf=as_of)["keyPersonMap"]
    summary = answer["summary"]
    for stat in ("keyPersons", "covered", "uncovered", "singleThreaded"):
        assert page.inner_text(f'[data-stat="{stat}"]') == str(summary[stat]), stat
    shown = "yes" if summary["reachesExecutives"] else "no"
    assert page.inner_text('[data-stat="reachesExecutives"]') == shown

    key = [entry for entry in answer["entries"] if entry["isKeyPerson"]]
    uncovered = {e["person"]["id"] for e in key if not e["covered"]}
    single = {e["person"]["id"] for e in key if e["threads"] == 1}
    listed = page.eval_on_selector_all(
        ".key-persons li", "items => items.map(li => [li.dataset.personId, li.dataset.gaps])"
    )
    expected = [
        [
            e["person"]["id"],
            " ".join(
                mark
                for mark, on in (
                    ("uncovered", e["person"]["id"] in uncovered),
                    ("single", e["person"]["id"] in single),
                )
                if on
            ),
        ]
        for e in key
    ]
    assert listed == expected
    assert node_ids(page, "node.key") == {e["person"]["id"] for e in key}
    assert node_ids(page, "node.uncovered") == uncovered
    assert node_ids(page, "node.single") == single
    assert node_ids(page, "node.their") == {e["person"]["id"] for e in answer["entries"]}
    ties = {t["relationship"]["id"] for e in answer["entries"] for t in e["relationships"]}
    assert node_ids(page, "edge.tie") == ties


@pytest.mark.slow
def test_a_customer_found_by_name_shows_the_key_persons_and_gaps_the_api_reports(
    page: Page, server: LiveServer
) -> None:
    names = customers(server)
    name = next(name for name in names if "East China" in name)
    sent: list[dict[str, Any]] = []
    page.on(
        "request",
        lambda request: (
            sent.append(json.loads(request.post_data or "{}"))
            if request.method == "POST" and request.url.endswith("/graphql")
            else None
        ),
    )
    sign_in(page)
    page.fill("#search", "east china")
    page.click(f'#search-results button[data-company-id="{names[name]}"]')
    page.wait_for_selector(f'{DRAWN}[data-company="{names[name]}"]')

    assert page.inner_text("#company-title") == name
    assert_map_matches_api(page, server, names[name], None)
    # this customer has both kinds of gap, so the check above saw them drawn
    assert page.locator('.key-persons li[data-gaps~="uncovered"]').count() > 0
    assert page.locator('.key-persons li[data-gaps~="single"]').count() > 0
    assert "token" not in page.url  # the token left the address bar
    # the page sent each operation by its id, never its text (the server runs only those)
    assert len(sent) >= 3
    assert all(set(body) == {"documentId", "variables"} for body in sent), sent
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOT)


@pytest.mark.slow
def test_every_demo_customer_matches_the_api(page: Page, server: LiveServer) -> None:
    for company_id in customers(server).values():
        open_customer(page, company_id)
        assert_map_matches_api(page, server, company_id, None)


@pytest.mark.slow
def test_clicking_a_person_shows_their_roles_relationships_and_interactions(
    page: Page, server: LiveServer
) -> None:
    company_id = next(i for name, i in customers(server).items() if "East China" in name)
    open_customer(page, company_id)
    person_id = page.get_attribute(".key-persons li >> nth=0", "data-person-id")
    assert person_id
    click_node(page, person_id)
    page.wait_for_selector(f'#person[data-person-id="{person_id}"][aria-busy="false"]')

    expected = api(
        server,
        """query ($id: ID!) {
          person(id: $id) { name roles { title } relationships { id } }
          interactions(filter: {personId: $id}, first: 5) { nodes { id } }
        }""",
        id=person_id,
    )
    assert page.inner_text("#person-name") == expected["person"]["name"]
    titles = page.eval_on_selector_all(
        "#person .roles strong", "items => items.map(s => s.textContent)"
    )
    assert titles == [role["title"] for role in expected["person"]["roles"]]
    assert titles
    shown_ties = page.eval_on_selector_all(
        "#person [data-relationship-id]", "items => items.map(li => li.dataset.relationshipId)"
    )
    assert shown_ties == [tie["id"] for tie in expected["person"]["relationships"]]
    shown_interactions = page.eval_on_selector_all(
        "#person [data-interaction-id]", "items => items.map(li => li.dataset.interactionId)"
    )
    assert shown_interactions == [i["id"] for i in expected["interactions"]["nodes"]]
    assert len(shown_interactions) > 0
    assert node_ids(page, ":selected") == {person_id}


@pytest.mark.slow
def test_the_date_slider_replays_the_map_as_it_was(page: Page, server: LiveServer) -> None:
    company_id = next(i for name, i in customers(server).items() if "East China" in name)
    open_customer(page, company_id)
    today = page.inner_text('[data-stat="keyPersons"]')
    assert int(page.get_attribute("#as-of", "max") or 0) > 6 * 365
    # six years back: before the procurement manager became a key person
    page.eval_on_selector(
        "#as-of",
        """slider => {
          slider.value = String(Number(slider.max) - 6 * 365);
          slider.dispatchEvent(new Event('input'));
          slider.dispatchEvent(new Event('change'));
        }""",
    )
    page.wait_for_selector(f'{DRAWN}:not([data-as-of=""])')
    as_of = page.get_attribute("#graph", "data-as-of")
    assert as_of
    days_back = (dt.datetime.now(dt.UTC) - dt.datetime.fromisoformat(as_of)).days
    assert 6 * 365 - 2 <= days_back <= 6 * 365 + 1
    assert page.inner_text("#as-of-label") == as_of[:10]
    assert_map_matches_api(page, server, company_id, as_of)
    assert page.inner_text('[data-stat="keyPersons"]') != today

    page.click("#as-of-today")
    page.wait_for_selector(f'{DRAWN}[data-as-of=""]')
    assert_map_matches_api(page, server, company_id, None)


@pytest.mark.slow
def test_holding_an_arrow_key_on_the_slider_asks_for_one_map(
    page: Page, server: LiveServer
) -> None:
    """Each arrow key press is a `change`: without waiting for the slider to rest, a held key
    sent a map request per day and most were refused (LIMIT_EXCEEDED, heavy reads per
    credential)."""
    company_id = next(i for name, i in customers(server).items() if "Beichen" in name)
    open_customer(page, company_id)
    refused: list[str] = []
    asked: list[str] = []
    page.on("response", lambda r: refused.append(r.text()) if r.status >= 400 else None)
    page.on(
        "request",
        lambda r: asked.append(r.post_data or "") if "asOf" in (r.post_data or "") else None,
    )
    page.focus("#as-of")
    for _ in range(30):
        page.keyboard.press("ArrowLeft")
    page.wait_for_selector(f'{DRAWN}:not([data-as-of=""])')
    as_of = page.get_attribute("#graph", "data-as-of")
    assert as_of
    assert (dt.datetime.now(dt.UTC) - dt.datetime.fromisoformat(as_of)).days in (29, 30, 31)
    assert refused == []
    assert len([body for body in asked if page_document_id("KeyPersonMap") in body]) == 1
    assert_map_matches_api(page, server, company_id, as_of)


@pytest.mark.slow
def test_grouping_by_reporting_line_draws_the_org_chart(page: Page, server: LiveServer) -> None:
    company_id = next(i for name, i in customers(server).items() if "East China" in name)
    open_customer(page, company_id)
    page.select_option("#group-by", "reporting")
    page.wait_for_function("() => guanxiGraph.$('edge.reports').length > 0")
    chart = api(
        server,
        "query ($id: ID!) { orgChart(companyId: $id) { people { person { id } managerId } } }",
        id=company_id,
    )
    lines = {
        f"reports:{row['managerId']}:{row['person']['id']}"
        for row in chart["orgChart"]["people"]
        if row["managerId"]
    }
    assert lines and node_ids(page, "edge.reports") == lines
    assert node_ids(page, "node.group") == set(node_ids(page, "node.group.ours"))


@pytest.mark.slow
def test_the_referral_view_draws_both_chains(page: Page, server: LiveServer) -> None:
    names = customers(server)
    beichen = next(i for name, i in names.items() if "Beichen" in name)
    open_customer(page, beichen)
    page.click('#views button[data-view="referrals"]')
    page.wait_for_selector(f'{DRAWN}[data-view="referrals"]')
    chains = api(
        server,
        """query ($id: ID!) {
          up: referralChain(fromId: $id, direction: UPSTREAM) {
            nodes(first: 100) { nodes { party { ... on Company { id } ... on Person { id } } } }
          }
          down: referralChain(fromId: $id, direction: DOWNSTREAM) {
            nodes(first: 100) { nodes { party { ... on Company { id } ... on Person { id } } } }
          }
        }""",
        id=beichen,
    )
    upstream = {f"up:{n['party']['id']}" for n in chains["up"]["nodes"]["nodes"]}
    downstream = {f"down:{n['party']['id']}" for n in chains["down"]["nodes"]["nodes"]}
    assert upstream and downstream  # Summit brought Beichen, which brought Northwind
    assert node_ids(page, "node.upstream") == upstream
    assert node_ids(page, "node.downstream") == downstream

    # a company in the tree opens on a click
    northwind = next(i for name, i in names.items() if "Northwind" in name)
    click_node(page, f"down:{northwind}")
    page.wait_for_selector(f'{DRAWN}[data-company="{northwind}"]')
    assert "Northwind" in page.inner_text("#company-title")


@pytest.mark.slow
def test_the_introduction_finder_highlights_the_best_path(page: Page, server: LiveServer) -> None:
    northwind = next(i for name, i in customers(server).items() if "Northwind" in name)
    open_customer(page, northwind)
    target = page.get_attribute(".key-persons li >> nth=0", "data-person-id")
    assert target
    page.click(f'.key-persons li[data-person-id="{target}"] button')
    page.wait_for_selector(f'#person[data-person-id="{target}"][aria-busy="false"]')
    page.click("#find-introductions")
    page.wait_for_selector(f'{DRAWN}[data-view="introductions"]')

    paths = api(
        server,
        """query ($id: ID!) {
          bestIntroductions(toPersonId: $id, first: 3) {
            people { id name } steps { relationshipId }
          }
        }""",
        id=target,
    )["bestIntroductions"]
    assert paths, "the demo has a way to every key person at Northwind"
    best = paths[0]
    assert node_ids(page, "node.best") == {person["id"] for person in best["people"]}
    assert node_ids(page, "edge.best") == {step["relationshipId"] for step in best["steps"]}
    listed = page.locator("#introduction-list ol.paths li")
    assert listed.count() == len(paths)
    assert listed.first.inner_text().startswith(" → ".join(p["name"] for p in best["people"]))


@pytest.mark.slow
def test_the_page_asks_for_a_credential_and_refuses_a_bad_one(
    page: Page, server: LiveServer
) -> None:
    page.goto("/")  # the site root leads to the map
    assert page.url.endswith("/map/")
    page.wait_for_selector("#sign-in:not([hidden])")
    assert page.is_disabled("#search")

    page.fill("#token", "gx_not-a-real-token")
    page.click("#sign-in button[type=submit]")
    page.wait_for_selector("#message:not([hidden])")
    assert page.is_visible("#sign-in")

    assert "token" in page.inner_text("#message").lower()

    page.fill("#token", TOKEN)
    page.click("#sign-in button[type=submit]")
    page.wait_for_selector("#workspace:not([hidden])")
    assert page.is_enabled("#search")
    assert page.is_hidden("#sign-in")
    assert page.is_hidden("#message")  # the refusal is not left standing


@pytest.mark.slow
def test_this_server_runs_only_trusted_documents(server: LiveServer) -> None:
    """So the map's tests show it working under GUANXI_TRUSTED_DOCUMENTS=only."""
    refused = httpx2.post(
        server.graphql_url,
        # not one constant: module_documents would register it
        json={"query": "{ companies(first: 2) " + "{ totalCount } }"},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["extensions"]["code"] == "UNTRUSTED_DOCUMENT"


def raw_get(server: LiveServer, target: str) -> tuple[int, bytes]:
    """GET `target` exactly as written (no client normalises the path); status and body."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
        connection.sendall(
            f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()
        )
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


@pytest.mark.slow
def test_the_page_is_open_but_the_data_is_not(server: LiveServer) -> None:
    for path in (
        "/map/",
        "/map/map.css",
        "/map/src/main.js",
        "/map/vendor/cytoscape/cytoscape.esm.min.mjs",
        "/map/vendor/cytoscape-fcose/cytoscape-fcose.js",
        "/map/vendor/cose-base/cose-base.js",
        "/map/vendor/layout-base/layout-base.js",
    ):
        assert raw_get(server, path)[0] == 200, path
    page = httpx2.get(f"{server.base}/map/")
    assert "script-src 'self' 'sha256-" in page.headers["content-security-policy"]
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "javascript" in httpx2.get(f"{server.base}/map/src/main.js").headers["content-type"]
    # nothing outside ui/ is served, and no data is reached through the open paths
    for outside in (
        "/map/src/../../server.py",
        "/map/src/%2e%2e/%2e%2e/server.py",
        "/map/src/..%2f..%2fserver.py",
        "/map/vendor/cytoscape/../../../../server.py",
        "/map/..%2fgraphql?query=%7Bcompanies%7BtotalCount%7D%7D",
        "/map/other",
    ):
        status, body = raw_get(server, outside)
        assert status in (401, 404), outside
        assert b"import" not in body and b"totalCount" not in body, outside
    refused = httpx2.post(server.graphql_url, json={"query": "{ companies { totalCount } }"})
    assert refused.status_code == 401


def test_every_operation_of_the_page_is_valid_against_the_schema() -> None:
    """The page's GraphQL (ui/src/queries.js) against the schema the server serves."""
    source = (ROOT / "ui" / "src" / "queries.js").read_text(encoding="utf-8")
    documents = re.findall(r"export const \w+ = /\* GraphQL \*/ `(.*?)`;", source, re.DOTALL)
    assert len(documents) == source.count("export const ")
    for document in documents:
        assert "${" not in document  # plain text, nothing spliced in
        errors = graphql.validate(schema._schema, graphql.parse(document))
        assert errors == [], (document, errors)


# ---- a customer as big as real ones: 45 and 200 people, imported through the API ----

DEPARTMENTS = [
    "管理层 Management", "财务 Finance", "采购 Procurement", "信息技术 IT", "生产 Operations",
    "物流 Logistics", "销售 Sales", "人力资源 HR", "质量 Quality", "研发 R&D",
]  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力斌宇浩凯鹏晨欣怡瑶琪婷博"
BUYING_ROLES = ["DECISION_MAKER", "INFLUENCER", "CHAMPION", "GATEKEEPER", "BLOCKER", "USER"]
TIERS = ["CONFIDANT", "FRIEND", "ACQUAINTANCE", "PASSER_BY"]

IMPORT = """
mutation ($input: ImportRecordsInput!) {
  importRecords(input: $input, strict: true, by: "map test") {
    refused summary problems { kind line field reason }
  }
}"""


def customer_records(size: int, seed: int) -> dict[str, list[dict[str, Any]]]:
    """A customer of `size` people as a CRM would send it: departments under a general
    manager, reporting lines (heads to the GM, staff to their head), key persons with buying
    roles (the GM, most heads, a few others), and ties from eight of our own account people:
    some key persons covered by several of ours, some by one, some by none."""
    rng = random.Random(seed)
    tag = f"big{size}"
    company = f"{tag}-co"
    ours = f"{tag}-ours"
    records: dict[str, list[dict[str, Any]]] = {
        "companies": [
            {"externalId": company, "name": f"测试集团 Test Group {size}", "industry": "Logistics",
             "region": "Shanghai", "status": "CURRENT", "valueClass": "A"},
            {"externalId": ours, "name": f"关系科技 Field Team {size}", "isOurs": True,
             "status": "CURRENT"},
        ],
        "people": [], "roles": [], "relationships": [], "reportingLines": [],
    }  # fmt: skip
    used: set[str] = set()

    def person(key: str) -> str:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(["", *GIVEN])
        while name in used:
            name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        used.add(name)
        records["people"].append({"externalId": key, "name": name})
        return key

    def role(key: str, at: str, title: str, department: str | None, **fields: Any) -> None:
        records["roles"].append(
            {"externalId": f"{key}-role", "person": key, "company": at, "title": title,
             "department": department, **fields}
        )  # fmt: skip

    our_people = [person(f"{tag}-us-{i}") for i in range(8)]
    for key in our_people:
        role(key, ours, "客户经理 Account manager", "Sales")
    departments = DEPARTMENTS[: max(4, min(len(DEPARTMENTS), size // 20))]
    gm = person(f"{tag}-gm")
    role(gm, company, "总经理 General manager", departments[0], isKeyPerson=True,
         buyingRole="DECISION_MAKER", seniority="EXECUTIVE")  # fmt: skip
    key_people = [gm]
    heads: dict[str, str] = {}
    for index, department in enumerate(departments):
        head = person(f"{tag}-head-{index}")
        heads[department] = head
        is_key = index % 4 != 3  # most heads are key persons
        role(head, company, f"{department.split()[1]} director", department,
             isKeyPerson=is_key, seniority="SENIOR",
             buyingRole=BUYING_ROLES[index % len(BUYING_ROLES)] if is_key else None)  # fmt: skip
        records["reportingLines"].append({"person": head, "manager": gm})
        if is_key:
            key_people.append(head)
    staff: list[str] = []
    for index in range(size - 1 - len(departments)):
        department = departments[index % len(departments)]
        key = person(f"{tag}-staff-{index}")
        is_key = index % 23 == 5  # a few more key persons among the staff
        role(key, company, rng.choice(["经理 Manager", "专员 Specialist", "工程师 Engineer"]),
             department, isKeyPerson=is_key, seniority="MIDDLE" if is_key else "STAFF",
             buyingRole="INFLUENCER" if is_key else None)  # fmt: skip
        records["reportingLines"].append({"person": key, "manager": heads[department]})
        (key_people if is_key else staff).append(key)

    def tie(ours_key: str, theirs: str, tier: str) -> None:
        strength = {"CONFIDANT": 0.85, "FRIEND": 0.6, "ACQUAINTANCE": 0.35, "PASSER_BY": 0.12}
        records["relationships"].append(
            {"externalId": f"{ours_key}>{theirs}", "fromPerson": ours_key, "toPerson": theirs,
             "tier": tier, "strength": round(strength[tier] - rng.random() * 0.1, 2)}
        )  # fmt: skip

    for index, key in enumerate(key_people):
        threads = [3, 2, 1, 0, 1, 2][index % 6]  # covered, single-threaded and uncovered
        # the fifth of every six holds one faint tie: uncovered and single-threaded at once
        single = "PASSER_BY" if index % 6 == 4 else "FRIEND"
        for ours_key in rng.sample(our_people, threads):
            tie(ours_key, key, TIERS[rng.randrange(3)] if threads > 1 else single)
    for theirs in rng.sample(staff, min(len(staff), size // 6)):
        tie(rng.choice(our_people), theirs, rng.choice(TIERS[1:]))
    return records


@pytest.fixture(scope="module")
def big_customers(server: LiveServer) -> dict[int, str]:
    """A 45-person and a 200-person customer, imported through the API: size -> company id."""
    found: dict[int, str] = {}
    for size in (45, 200):
        result = api(server, IMPORT, ADMIN, input=customer_records(size, seed=size))
        assert result["importRecords"]["refused"] is False, result["importRecords"]["problems"][:3]
        names = customers(server)
        found[size] = next(i for name, i in names.items() if name.endswith(f"Test Group {size}"))
    return found


def legibility(page: Page) -> dict[str, Any]:
    """What the drawing looks like on screen, measured through cytoscape's API: the smallest
    label in screen px (font size × zoom), the people whose node lies (partly) outside the
    canvas, and the pairs of key persons whose nodes overlap."""
    measured: dict[str, Any] = page.evaluate(
        """() => {
          const cy = guanxiGraph;
          const zoom = cy.zoom();
          const width = cy.width(), height = cy.height();
          const people = cy.nodes('node.person');
          const fonts = people.map(n => parseFloat(n.style('font-size')) * zoom);
          const outside = people.filter(n => {
            const b = n.renderedBoundingBox({includeLabels: false, includeOverlays: false});
            return b.x1 < 0 || b.y1 < 0 || b.x2 > width || b.y2 > height;
          }).map(n => n.id());
          const keys = cy.nodes('node.key').map(n => [n.id(), n.renderedBoundingBox(
            {includeLabels: false, includeOverlays: false})]);
          const overlaps = [];
          for (let i = 0; i < keys.length; i++) for (let j = i + 1; j < keys.length; j++) {
            const [a, p] = keys[i], [b, q] = keys[j];
            if (p.x1 < q.x2 && q.x1 < p.x2 && p.y1 < q.y2 && q.y1 < p.y2) overlaps.push([a, b]);
          }
          return {zoom, width, height, people: people.length, keys: keys.length,
                  their: cy.nodes('node.their').length,
                  minLabelPx: Math.min(...fonts), outside, overlaps};
        }"""
    )
    return measured


def assert_legible(page: Page, their_people: int) -> dict[str, Any]:
    seen = legibility(page)
    assert seen["their"] == their_people, seen
    assert seen["minLabelPx"] >= MIN_LABEL_PX, seen
    assert seen["outside"] == [], seen
    assert seen["overlaps"] == [], seen
    return seen


@pytest.mark.slow
@pytest.mark.parametrize(("size", "group_by"), [(45, ""), (200, ""), (200, "reporting")])
def test_a_big_customer_is_legible_at_the_default_zoom(
    page: Page, server: LiveServer, big_customers: dict[int, str], size: int, group_by: str
) -> None:
    open_customer(page, big_customers[size])
    if group_by:
        page.select_option("#group-by", group_by)
        page.wait_for_function("() => guanxiGraph.$('edge.reports').length > 0")
        page.wait_for_selector(DRAWN)
    seen = assert_legible(page, size)
    took = page.get_attribute("#graph", "data-layout-ms")
    print(f"{size} people {group_by}: {seen}, layout {took} ms")  # for the report (pytest -s)
    if group_by:
        return
    # the layout uses the canvas: the drawing spans most of it one way or the other
    box = page.evaluate("() => guanxiGraph.nodes().renderedBoundingBox({includeLabels: false})")
    assert max(box["w"] / seen["width"], box["h"] / seen["height"]) > 0.8, box
    IMAGES.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=IMAGES / f"key-person-map-{size}.png")


@pytest.mark.slow
def test_the_key_persons_only_filter_keeps_them_and_our_contacts(
    page: Page, server: LiveServer, big_customers: dict[int, str]
) -> None:
    company_id = big_customers[200]
    open_customer(page, company_id)
    everyone = node_ids(page, "node.their")
    page.check("#key-only")
    page.wait_for_function("() => guanxiGraph.nodes('node.their').length < 60")
    page.wait_for_selector(DRAWN)
    answer = api(server, KEY_PERSON_MAP, companyId=company_id, asOf=None)["keyPersonMap"]
    key = [entry for entry in answer["entries"] if entry["isKeyPerson"]]
    assert node_ids(page, "node.their") == {e["person"]["id"] for e in key} < everyone
    assert node_ids(page, "edge.tie") == {
        t["relationship"]["id"] for e in key for t in e["relationships"]
    }
    assert_legible(page, len(key))


@pytest.mark.slow
def test_at_900_px_everything_is_in_reach_and_a_resize_refits(
    browser: Browser, server: LiveServer, big_customers: dict[int, str]
) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 860}, base_url=server.base)
    page = context.new_page()
    try:
        open_customer(page, big_customers[200])
        wide = legibility(page)
        page.set_viewport_size({"width": 900, "height": 760})
        # the canvas follows the window: the drawing is fitted again to the narrower canvas
        page.wait_for_function(
            """width => guanxiGraph.width() < width - 100 && document.querySelector('#graph')
                 .dataset.canvas === `${guanxiGraph.width()}x${guanxiGraph.height()}`""",
            arg=wide["width"],
        )
        assert_legible(page, 200)
        for control in ("#views button[data-view='introductions']", "#search", "#key-only",
                        "#as-of-today", "#group-by"):  # fmt: skip
            box = page.locator(control).bounding_box()
            assert box is not None, control
            assert box["x"] >= 0 and box["x"] + box["width"] <= 900, (control, box)
            assert box["y"] >= 0 and box["y"] + box["height"] <= 760, (control, box)
        graph = page.locator("#graph").bounding_box()
        assert graph is not None and graph["width"] >= 450 and graph["height"] >= 400, graph
    finally:
        context.close()


@pytest.mark.slow
def test_a_short_window_fits_the_200_person_customer_too(
    browser: Browser, server: LiveServer, big_customers: dict[int, str]
) -> None:
    """At 900 × 650 (a laptop's window) the fit needs a zoom under 0.05: cytoscape ignores a
    zoom below its minZoom, which left the drawing at zoom 1, every node off the canvas."""
    context = browser.new_context(viewport={"width": 900, "height": 650}, base_url=server.base)
    page = context.new_page()
    try:
        open_customer(page, big_customers[200])
        seen = legibility(page)
        assert float(page.get_attribute("#graph", "data-zoom") or 0) == pytest.approx(
            seen["zoom"], abs=0.001
        ), seen  # the zoom the fit chose is the one drawn
        assert_legible(page, 200)
    finally:
        context.close()


TIE_WORDS = re.compile(
    r"^(confidant|friend|acquaintance|passer-by) · strength \d{1,3}% · "
    r"(last contact (today|1 day ago|\d+ days ago)|no contact logged) · $"
)


@pytest.mark.slow
def test_both_gaps_show_at_once_and_badges_keep_tier_and_strength_apart(
    page: Page, server: LiveServer, big_customers: dict[int, str]
) -> None:
    open_customer(page, big_customers[45])
    both = node_ids(page, "node.uncovered.single")
    assert both, "the 45-person customer has a key person both uncovered and single-threaded"
    styles = page.evaluate(
        """() => guanxiGraph.nodes('node.key').map(n => [n.id(), n.hasClass('uncovered'),
             n.hasClass('single'), n.style('background-color'), n.style('border-color')])"""
    )
    red, orange = "rgb(220,38,38)", "rgb(245,158,11)"
    for node_id, uncovered, single, fill, ring in styles:
        assert (fill == red) == uncovered, (node_id, fill)
        assert (ring == orange) == single, (node_id, ring)
    shown = page.eval_on_selector_all(
        ".key-persons .tie-words", "spans => spans.map(s => s.textContent)"
    )
    assert shown and all(TIE_WORDS.match(text) for text in shown), shown


@pytest.mark.slow
def test_the_chosen_introduction_path_carries_the_highlight(page: Page, server: LiveServer) -> None:
    paths_query = """query ($id: ID!) {
      bestIntroductions(toPersonId: $id, first: 3) { people { id } steps { relationshipId } }
    }"""
    # a key person with more than one way in, so that choosing another path is seen
    target, at = "", ""
    paths: list[dict[str, Any]] = []
    for company_id in customers(server).values():
        answer = api(server, KEY_PERSON_MAP, companyId=company_id, asOf=None)["keyPersonMap"]
        for entry in answer["entries"]:
            if entry["isKeyPerson"]:
                found = api(server, paths_query, id=entry["person"]["id"])["bestIntroductions"]
                if len(found) > len(paths):
                    target, paths, at = entry["person"]["id"], found, company_id
        if len(paths) >= 3:
            break
    assert len(paths) >= 2, "the demo has a key person with several introduction paths"
    open_customer(page, at)
    open_company_person_introductions(page, target)
    last = len(paths) - 1
    assert node_ids(page, "node.best") == {p["id"] for p in paths[0]["people"]}
    page.click(f'#introduction-list li[data-path="{last}"] button')
    chosen = paths[last]
    assert node_ids(page, "node.chosen") == {p["id"] for p in chosen["people"]}
    assert node_ids(page, "edge.chosen") == {s["relationshipId"] for s in chosen["steps"]}
    assert node_ids(page, ".best") == set()  # the best path's halo left with the choice
    assert page.get_attribute(f'#introduction-list li[data-path="{last}"]', "aria-current") == (
        "true"
    )


def open_company_person_introductions(page: Page, person_id: str) -> None:
    """Open a person's introductions the way a user does: their panel, then the button."""
    page.evaluate("id => window.guanxiOpenPerson(id)", person_id)
    page.wait_for_selector(f'#person[data-person-id="{person_id}"][aria-busy="false"]')
    page.click("#find-introductions")
    page.wait_for_selector(f'{DRAWN}[data-view="introductions"]')


CALL_PLAN = """
query ($companyId: ID!) {
  keyPersonMap(companyId: $companyId) {
    callPlan(first: 10) {
      rank action why
      keyPerson { id name } who { id name } nearest { id }
      relationship { relationship { id } }
      path { people { id name } steps { fromPerson { id } toPerson { id } relationshipId kind } }
    }
  }
}"""


def drawn_step(step: dict[str, Any]) -> tuple[set[str], set[str], set[str]]:
    """The people, hops and dashed hops a call-plan step should draw (ui/src/elements.js)."""
    if step["action"] in ("DEEPEN", "REKINDLE"):
        return (
            {step["who"]["id"], step["keyPerson"]["id"]},
            {step["relationship"]["relationship"]["id"]},
            set(),
        )
    if step["action"] == "INTRODUCE":
        hops = {
            hop["relationshipId"]
            if hop["kind"] == "RELATIONSHIP"
            else f"hop:{hop['kind']}:{hop['fromPerson']['id']}:{hop['toPerson']['id']}"
            for hop in step["path"]["steps"]
        }
        dashed = {
            f"hop:{hop['kind']}:{hop['fromPerson']['id']}:{hop['toPerson']['id']}"
            for hop in step["path"]["steps"]
            if hop["kind"] != "RELATIONSHIP"
        }
        return {p["id"] for p in step["path"]["people"]}, hops, dashed
    people = {step["keyPerson"]["id"]} | ({step["nearest"]["id"]} if step["nearest"] else set())
    return people, set(), set()


@pytest.mark.slow
def test_the_next_calls_list_is_the_call_plan_and_a_click_draws_each_step(
    page: Page, server: LiveServer
) -> None:
    beichen = next(i for name, i in customers(server).items() if "Beichen" in name)
    plan = api(server, CALL_PLAN, companyId=beichen)["keyPersonMap"]["callPlan"]
    assert plan, "Beichen has key persons with gaps"
    open_customer(page, beichen)
    page.wait_for_selector("#call-plan ol.call-plan li")
    rows = page.eval_on_selector_all(
        "#call-plan li",
        "items => items.map(li => [li.dataset.rank, li.dataset.action,"
        " li.querySelector('.why').textContent])",
    )
    assert rows == [[str(s["rank"]), s["action"], s["why"]] for s in plan]
    for step in plan:
        page.click(f'#call-plan li[data-rank="{step["rank"]}"] button')
        page.wait_for_selector(f'#graph[data-step="{step["rank"]}"]')
        people, hops, dashed = drawn_step(step)
        assert node_ids(page, "node.step") == people, step
        assert node_ids(page, "edge.step") == hops, step
        assert node_ids(page, "edge.dashed") == dashed, step
        assert not node_ids(page, "node.step.faded")


@pytest.mark.slow
def test_done_when_the_plan_for_huang_wei_is_drawn(page: Page, server: LiveServer) -> None:
    """Issue 20: the demo customer with 黄伟 shows a call plan whose first step for him is an
    introduction through 陈静 or a rekindle of 王浩's tie, and a click draws it."""
    beichen = next(i for name, i in customers(server).items() if "Beichen" in name)
    plan = api(server, CALL_PLAN, companyId=beichen)["keyPersonMap"]["callPlan"]
    step = next(s for s in plan if s["keyPerson"]["name"].startswith("黄伟"))
    through = [p["name"] for p in (step["path"] or {"people": []})["people"][:-1]]
    assert (step["action"] == "INTRODUCE" and any(n.startswith("陈静") for n in through)) or (
        step["action"] == "REKINDLE" and step["who"]["name"].startswith("王浩")
    ), step

    open_customer(page, beichen)
    row = page.locator(f'#call-plan li[data-rank="{step["rank"]}"]')
    assert row.get_attribute("data-person-id") == step["keyPerson"]["id"]
    assert "黄伟" in row.inner_text() and step["why"] in row.inner_text()
    row.locator("button").click()
    page.wait_for_selector(f'#graph[data-step="{step["rank"]}"]')
    people, hops, dashed = drawn_step(step)
    assert step["keyPerson"]["id"] in people
    assert node_ids(page, "node.step") == people
    assert node_ids(page, "edge.step") == hops
    assert node_ids(page, "edge.dashed") == dashed
    # the drawn step is on screen: every node of it inside the canvas
    outside = page.evaluate(
        """() => guanxiGraph.nodes('.step').filter(n => {
          const b = n.renderedBoundingBox({includeLabels: false});
          return b.x1 < 0 || b.y1 < 0 || b.x2 > guanxiGraph.width() || b.y2 > guanxiGraph.height();
        }).map(n => n.id())"""
    )
    assert outside == []
    IMAGES.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=IMAGES / "key-person-map-call-plan.png")
