"""graphql-http's GraphQL-over-HTTP audit suite against the real running server: every MUST
and every SHOULD passes (the MAYs are printed, not required)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from graph.db.engine import BoltEndpoint
from tests.conftest import auth_headers
from tests.live_server import live_server

pytestmark = pytest.mark.slow

AUDIT_DIR = Path(__file__).resolve().parents[1] / "graphql_http_audit"


def test_every_must_and_should_of_the_graphql_over_http_audit_passes(
    engine_endpoint: BoltEndpoint, tmp_path: Path
) -> None:
    # demo mode: the audit's own queries use introspection (`__type`), which production
    # mode refuses by design; the protocol it checks is the same in both modes
    with live_server(engine_endpoint, tmp_path / "server.log", GUANXI_MODE="demo") as server:
        done = subprocess.run(
            ["node", "audit.mjs", server.graphql_url],
            cwd=AUDIT_DIR,
            env={**os.environ, "GUANXI_AUDIT_HEADERS": json.dumps(auth_headers())},
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
    *failures, last = done.stdout.strip().splitlines()
    counts: dict[str, dict[str, int]] = json.loads(last)
    print("graphql-http audit:", ", ".join(f"{level} {c}" for level, c in counts.items()))
    for failure in failures:
        print("  ", failure)
    assert counts["MUST"]["failed"] == 0 and counts["SHOULD"]["failed"] == 0, failures
    assert counts["MUST"]["ok"] >= 13 and counts["SHOULD"]["ok"] >= 23, counts
    assert not [f for f in failures if "Internal Server Error" in f], failures
