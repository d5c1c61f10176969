"""The key-person map's static files (ui/): the page at /map/, its modules and cytoscape.

The page holds no data and uses only the public GraphQL API, so these paths need no
credential (resolvers/access.py lets `is_page_path` through); the page sends the user's token
with each GraphQL request.
"""

from __future__ import annotations

import logging
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

log = logging.getLogger("guanxi")

UI_DIR = Path(__file__).resolve().parent.parent / "ui"
PAGE_PREFIX = "/map"
# where the page's import map finds cytoscape (ui/index.html)
VENDOR_DIR = UI_DIR / "node_modules" / "cytoscape" / "dist"


def is_page_path(path: str) -> bool:
    """The site root and the map's own paths: static files, no data."""
    return path in ("/", PAGE_PREFIX) or path.startswith(PAGE_PREFIX + "/")


def page_routes(ui_dir: Path = UI_DIR) -> list[BaseRoute]:
    """Routes serving the page; `/` and `/map` redirect to `/map/`."""
    vendor = ui_dir / "node_modules" / "cytoscape" / "dist"
    if not vendor.is_dir():
        log.warning("the key-person map needs its npm packages: run `npm ci` in %s", ui_dir)

    async def to_page(request: Request) -> Response:
        return RedirectResponse(f"{PAGE_PREFIX}/", status_code=308)

    async def index(request: Request) -> Response:
        return FileResponse(ui_dir / "index.html")

    async def stylesheet(request: Request) -> Response:
        return FileResponse(ui_dir / "map.css")

    return [
        Route("/", to_page),
        Route(PAGE_PREFIX, to_page),
        Route(f"{PAGE_PREFIX}/", index),
        Route(f"{PAGE_PREFIX}/map.css", stylesheet),
        Mount(f"{PAGE_PREFIX}/src", StaticFiles(directory=ui_dir / "src")),
        Mount(f"{PAGE_PREFIX}/vendor/cytoscape", StaticFiles(directory=vendor, check_dir=False)),
    ]
