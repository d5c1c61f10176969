"""`make check` really rejects a Cypher statement built from a runtime string.

Graph.read/write and Tx.run take a `LiteralString`. mypy reads LiteralString as plain `str`
(python/mypy#12554), so the check is basedpyright's, with the project's configuration: this
test runs it on a small module that calls them with statements built both ways.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BASEDPYRIGHT = Path(sys.executable).with_name("basedpyright")

# Each line marked BAD must be reported, and nothing else in the module.
SAMPLE = """\
from typing import LiteralString

from graph.db.connection import Graph, Tx


def from_input(graph: Graph, tx: Tx, label: str) -> None:
    graph.read("MATCH (n:" + label + ") RETURN n")  # BAD
    tx.run("MATCH (n) WHERE n.name = '" + label + "' RETURN n")  # BAD


def from_literals(graph: Graph, tx: Tx, order: LiteralString) -> None:
    graph.read("MATCH (n:Person) " + "RETURN n")
    graph.write("MATCH (n:Person) RETURN n ORDER BY " + order)
    tx.run("MATCH (n) " + "RETURN count(n) AS n")
"""


def test_a_statement_built_from_a_runtime_string_fails_the_check(tmp_path: Path) -> None:
    module = tmp_path / "statements.py"
    module.write_text(SAMPLE, encoding="utf-8")
    bad = {n for n, line in enumerate(SAMPLE.splitlines(), start=1) if line.endswith("# BAD")}
    assert len(bad) == 2

    done = subprocess.run(
        [
            str(BASEDPYRIGHT),
            "--outputjson",
            "--project",
            str(ROOT / "pyproject.toml"),
            "--pythonpath",
            sys.executable,
            str(module),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    report = json.loads(done.stdout)
    found = {
        (d["range"]["start"]["line"] + 1, d["severity"], d.get("rule")): d["message"]
        for d in report["generalDiagnostics"]
    }
    # exactly the BAD lines, as errors of the rule for a wrong argument type, naming the type;
    # anything else (an unresolved import would make Graph unknown and pass everything) fails
    assert {line for line, _, _ in found} == bad, found
    for (_, severity, rule), message in found.items():
        assert (severity, rule) == ("error", "reportArgumentType"), found
        assert '"str" is not assignable to "LiteralString"' in message, message
    assert report["summary"]["filesAnalyzed"] == 1
    assert done.returncode == 1  # make check fails on it
