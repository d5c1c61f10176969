"""GraphiQL end to end, in Debian's headless Chromium through Playwright: served by the app
from ui/node_modules (no CDN: any request leaving the server fails the test), under its
Content-Security-Policy (a refused script or style is a console error, which fails it too).
In demo mode the link the server logs opens it with the development token in its headers and
the schema loaded; in production mode the server serves no GraphiQL at all."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect, sync_playwright

from graph.db.engine import BoltEndpoint
from tests.api.test_map_page import CHROMIUM, CHROMIUM_FLAGS
from tests.live_server import LiveServer, live_server

COMPANIES = "{ companies(first: 3) { totalCount nodes { name } } }"
# each test starts a server, the demo's with its own engine (a JVM)
pytestmark = pytest.mark.slow
ASSETS = (
    "/map/vendor/react/react.production.min.js",
    "/map/vendor/react-dom/react-dom.production.min.js",
    "/map/vendor/graphiql/graphiql.min.js",
    "/map/vendor/graphiql/graphiql.min.css",
    "/graphiql/graphiql.js",
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """`make run` on a fresh clone: demo mode on its own embedded engine, with the demo data
    and a development token."""
    folder = tmp_path_factory.mktemp("graphiql-demo")
    env = {"GUANXI_DATA_DIR": str(folder / "data"), "GUANXI_DEMO_DATA": "1"}
    with live_server(None, folder / "server.log", **env) as running:
        yield running


@pytest.fixture(scope="module")
def production(
    engine_endpoint: BoltEndpoint, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    log = tmp_path_factory.mktemp("graphiql-production") / "server.log"
    with live_server(engine_endpoint, log, GUANXI_MODE="production") as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: `apt-get install chromium` (make test does)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


def offline_tab(browser: Browser, server: LiveServer) -> tuple[BrowserContext, Page, list[str]]:
    """A tab that reaches only `server`: any other request is refused and recorded (the
    third item), as is any script error or console error (a CSP refusal among them)."""
    context = browser.new_context(viewport={"width": 1400, "height": 860}, base_url=server.base)
    problems: list[str] = []

    def only_the_server(route: Route) -> None:
        url = route.request.url
        if url.startswith((server.base, "data:", "blob:")):
            route.continue_()
        else:
            problems.append(f"request outside the server: {url}")
            route.abort()

    context.route("**/*", only_the_server)
    page = context.new_page()
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    return context, page, problems


def graphiql_link(server: LiveServer) -> str:
    """The GraphiQL link the server logged at start-up, with the development token."""
    for line in server.log_lines():
        found = re.fullmatch(r"GraphiQL: (http://\S+/graphql#token=\S+)", line.get("message", ""))
        if found:
            return found.group(1)
    raise AssertionError(f"no GraphiQL link in the log: {server.log.read_text()}")


def api(server: LiveServer, query: str, token: str) -> dict[str, Any]:
    response = httpx2.post(
        server.graphql_url,
        json={"query": query},
        headers={"Authorization": f"Bearer {token}"},
        timeout=60,
    )
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def set_query(page: Page, query: str) -> None:
    """Replace the query editor's text (CodeMirror's own API: typing would get its closing
    brackets doubled by the editor's auto-close)."""
    page.eval_on_selector(
        ".graphiql-query-editor .CodeMirror",
        "(editor, text) => editor.CodeMirror.setValue(text)",
        query,
    )


def test_graphiql_opens_offline_with_the_token_and_the_schema(
    browser: Browser, demo: LiveServer
) -> None:
    link = graphiql_link(demo)
    token = link.rsplit("#token=", 1)[1]
    context, page, problems = offline_tab(browser, demo)
    try:
        page.goto(link)
        # the token went into the Headers tab, and out of the address bar
        headers = page.locator(".graphiql-editor-tool .graphiql-editor").last
        expect(headers).to_contain_text(f'"Authorization": "Bearer {token}"')
        assert "token" not in page.url

        # the schema is loaded: the Docs pane lists the root types, Query first
        page.get_by_role("button", name="Show Documentation Explorer").click()
        docs = page.locator(".graphiql-doc-explorer")
        expect(docs.locator(".graphiql-doc-explorer-root-type").first).to_have_text("query")
        docs.get_by_role("link", name="Query", exact=True).click()
        expect(docs.locator(".graphiql-doc-explorer-title")).to_have_text("Query")
        expect(docs).to_contain_text("keyPersonMap")

        # autocomplete knows the schema's fields
        set_query(page, "{  }")
        page.eval_on_selector(
            ".graphiql-query-editor .CodeMirror",
            "editor => { editor.CodeMirror.focus(); editor.CodeMirror.setCursor(0, 2) }",
        )
        page.keyboard.type("compan")
        expect(page.locator(".CodeMirror-hints")).to_contain_text("companies")
        page.keyboard.press("Escape")

        # a query runs with the token and answers what the API answers
        set_query(page, COMPANIES)
        page.get_by_role("button", name="Execute query (Ctrl-Enter)").click()
        response = page.locator(".graphiql-response")
        expect(response).to_contain_text('"totalCount": 9')
        answer = api(demo, COMPANIES, token)
        for company in answer["companies"]["nodes"]:
            expect(response).to_contain_text(company["name"])

        # a reload keeps the token (in the tab's storage), and so the schema
        page.reload()
        expect(headers).to_contain_text(f'"Authorization": "Bearer {token}"')
        page.get_by_role("button", name="Show Documentation Explorer").click()
        expect(docs.get_by_role("link", name="Query", exact=True)).to_be_visible()
        assert token not in str(page.evaluate("JSON.stringify(localStorage)"))
    finally:
        context.close()
    assert problems == []


def test_production_serves_no_graphiql(browser: Browser, production: LiveServer) -> None:
    context, page, problems = offline_tab(browser, production)
    try:
        opened = page.goto("/graphql")
        assert opened is not None and opened.status == 404
        assert "graphiql" not in page.content().lower()
    finally:
        context.close()
    # the page's own 404, the browser's one console error here
    assert [problem for problem in problems if " status of 404 " not in problem] == []
    for path in ASSETS:
        assert httpx2.get(production.base + path, timeout=10).status_code == 404, path


def test_demo_serves_graphiql_under_its_policy(demo: LiveServer) -> None:
    """The page and its assets, as a browser gets them; the page holds no token."""
    page = httpx2.get(demo.graphql_url, headers={"Accept": "text/html"}, timeout=10)
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy
    assert "gx_" not in page.text and "Bearer" not in page.text
    for path in ASSETS:
        assert httpx2.get(demo.base + path, timeout=10).status_code == 200, path
