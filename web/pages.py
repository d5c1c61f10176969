"""The key-person map's static files (ui/): the page at /map/, its modules and cytoscape;
and the GraphiQL page (ui/graphiql/) that GET /graphql shows a browser outside production.

The page holds no data and uses only the public GraphQL API, so these paths need no
credential (resolvers/auth.py lets `is_page_path` through); the page sends the user's token
with each GraphQL request. The page itself goes out with a strict Content-Security-Policy:
scripts from this origin only (and its one inline import map, by hash), no framing, no
referrer. So does GraphiQL's, whose React, ReactDOM and GraphiQL come from ui/node_modules
too (their UMD builds; no CDN, so it works offline).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from web.errors import error_response

log = logging.getLogger("guanxi")

UI_DIR = Path(__file__).resolve().parent.parent / "ui"
# the map's operations as trusted documents (web/trusted.py), written by graphql-codegen
PAGE_DOCUMENTS = UI_DIR / "trusted-documents.json"
PAGE_PREFIX = "/map"
GRAPHIQL_SCRIPT = "/graphiql/graphiql.js"
# exactly what page_routes serves: nothing else under /map/ is open
_OPEN_PATHS = frozenset(
    {"/", PAGE_PREFIX, f"{PAGE_PREFIX}/", f"{PAGE_PREFIX}/map.css", GRAPHIQL_SCRIPT}
)
# the npm packages the page loads, each served from its own folder in ui/node_modules: the
# graph (cytoscape) and its layout (cytoscape-fcose, built on cose-base and layout-base)
_VENDOR = {
    "cytoscape": Path("cytoscape") / "dist",
    "cytoscape-fcose": Path("cytoscape-fcose"),
    "cose-base": Path("cose-base"),
    "layout-base": Path("layout-base"),
}
# the npm packages of GraphiQL's page (ui/graphiql/), served outside production only:
# GraphiQL 3's UMD build (the last with one: GraphiQL 4+ needs a bundler) on React 18's
# (React 19 has none)
_GRAPHIQL_VENDOR = {
    "graphiql": Path("graphiql"),
    "react": Path("react") / "umd",
    "react-dom": Path("react-dom") / "umd",
}
_OPEN_PREFIXES = (
    f"{PAGE_PREFIX}/src/",
    *(f"{PAGE_PREFIX}/vendor/{name}/" for name in (*_VENDOR, *_GRAPHIQL_VENDOR)),
)
_IMPORT_MAP = re.compile(r'<script type="importmap">(.*?)</script>', re.DOTALL)


def is_page_path(path: str) -> bool:
    """The site root, the map's own files and GraphiQL's script: static, no data."""
    return path in _OPEN_PATHS or path.startswith(_OPEN_PREFIXES)


def _page_headers(index: Path) -> dict[str, str]:
    """Security headers for the page; the CSP admits its inline import map by hash (the map
    has one; GraphiQL's page none, and runs only scripts from this origin)."""
    found = _IMPORT_MAP.search(index.read_text(encoding="utf-8"))
    script_sources = "'self'"
    if found:
        digest = hashlib.sha256(found.group(1).encode()).digest()
        script_sources += f" 'sha256-{base64.b64encode(digest).decode()}'"
    policy = (
        "default-src 'self'; "
        f"script-src {script_sources}; "
        # cytoscape sizes its canvas with style attributes, and GraphiQL its panes; GraphiQL's
        # page has one <style> of its own
        "style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; "
        "font-src 'self' data:; "  # GraphiQL's stylesheet holds its fonts as data: URLs
        "connect-src 'self'; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'"
    )
    return {
        "Content-Security-Policy": policy,
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
    }


class VendorFiles:
    """The npm packages' files the page imports, from ui/node_modules. Before they are
    installed every path answers 503 with a JSON error saying how to install them (issue 18,
    finding 13: StaticFiles raised, a 500 with a traceback); they are looked for on each
    request, so installing them needs no restart."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.files = StaticFiles(directory=directory, check_dir=False)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.directory.is_dir():
            await self.files(scope, receive, send)
            return
        message = (  # no path of this machine: the client is anyone
            "the key-person map's npm packages are not installed on the server: run `npm ci` "
            "in ui/ (`make run` does it before it starts the server)"
        )
        await error_response(message, 503)(scope, receive, send)


def _vendor_dirs(ui_dir: Path, *, graphiql: bool = True) -> dict[str, Path]:
    packages = {**_VENDOR, **_GRAPHIQL_VENDOR} if graphiql else _VENDOR
    return {name: ui_dir / "node_modules" / where for name, where in packages.items()}


def warn_if_vendor_files_are_missing(ui_dir: Path = UI_DIR) -> None:
    """Log how to install the page's npm packages when they are not there (called as the
    server starts, once its logging is set up: not when the app is built)."""
    if not all(folder.is_dir() for folder in _vendor_dirs(ui_dir).values()):
        log.warning("the key-person map needs its npm packages: run `npm ci` in %s", ui_dir)


def graphiql_page(ui_dir: Path = UI_DIR) -> Response:
    """GraphiQL's page, with its Content-Security-Policy: what GET /graphql shows a browser
    outside production (server.py). It holds no token: in demo mode the server logs a link
    that hands the development token over in the address's fragment (`/graphql#token=…`),
    which no request carries, and the page puts it into GraphiQL's Headers tab."""
    page = ui_dir / "graphiql" / "index.html"
    return FileResponse(page, headers=_page_headers(page))


def page_routes(ui_dir: Path = UI_DIR, *, graphiql: bool = True) -> list[BaseRoute]:
    """Routes serving the page; `/` and `/map` redirect to `/map/`. With `graphiql` (outside
    production) also GraphiQL's script and npm packages (its page is the GraphQL view's)."""
    headers = _page_headers(ui_dir / "index.html")

    async def to_page(request: Request) -> Response:
        return RedirectResponse(f"{PAGE_PREFIX}/", status_code=308)

    async def index(request: Request) -> Response:
        return FileResponse(ui_dir / "index.html", headers=headers)

    async def stylesheet(request: Request) -> Response:
        return FileResponse(ui_dir / "map.css")

    async def graphiql_script(request: Request) -> Response:
        return FileResponse(ui_dir / "graphiql" / "graphiql.js")

    return [
        Route("/", to_page),
        Route(PAGE_PREFIX, to_page),
        Route(f"{PAGE_PREFIX}/", index),
        Route(f"{PAGE_PREFIX}/map.css", stylesheet),
        Mount(f"{PAGE_PREFIX}/src", StaticFiles(directory=ui_dir / "src")),
        *(
            Mount(f"{PAGE_PREFIX}/vendor/{name}", VendorFiles(folder))
            for name, folder in _vendor_dirs(ui_dir, graphiql=graphiql).items()
        ),
        *([Route(GRAPHIQL_SCRIPT, graphiql_script)] if graphiql else []),
    ]
