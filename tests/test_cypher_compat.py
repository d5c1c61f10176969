"""Every statement the suite executed passes Neo4j's own parser and semantic analysis.

Runs last (see conftest). Uses the npm package @neo4j-cypher/language-support
(`lintCypherQuery`) in Node, installed by `make test` under tests/cypher_lint.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from graph.cypher import all_statements
from tests.conftest import STATEMENTS

LINTER = Path(__file__).resolve().parent / "cypher_lint" / "lint.mjs"


def _normalise(query: str) -> str:
    return " ".join(query.split())


def test_every_executed_statement_is_registered_and_neo4j_compatible() -> None:
    registered = {_normalise(q) for q in all_statements().values()}
    executed: dict[str, set[str]] = {}
    for query, names in STATEMENTS.executed:
        executed.setdefault(query, set()).update(names)
    assert executed, "no statement was recorded: the suite ran nothing against the engine"

    unregistered = [q for q in executed if _normalise(q) not in registered]
    assert not unregistered, f"statements outside graph/cypher: {unregistered}"

    batch = [
        {"query": query, "parameters": {name: None for name in sorted(names)}}
        for query, names in executed.items()
    ]
    done = subprocess.run(
        ["node", str(LINTER)],
        input=json.dumps(batch),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    results = json.loads(done.stdout)
    errors = [(r["query"], r["errors"]) for r in results if r["errors"]]
    warnings = [(r["query"], r["warnings"]) for r in results if r["warnings"]]
    STATEMENTS.compat_line = (
        f"cypher-compat: {len(results)} statements checked, "
        f"{sum(len(e) for _, e in errors)} errors, {sum(len(w) for _, w in warnings)} warnings"
    )
    print(STATEMENTS.compat_line)
    assert not errors, errors
    assert not warnings, warnings


def test_the_linter_catches_what_it_should() -> None:
    """The check itself can fail: a syntax error, an undefined variable, a deprecation."""
    batch = [
        {"query": "MATCH (n RETURN n", "parameters": {}},
        {"query": "MATCH (n) RETURN m", "parameters": {}},
        {"query": "MATCH (n) RETURN id(n)", "parameters": {}},
        {"query": "MATCH (n {id: $id}) RETURN n", "parameters": {}},
    ]
    done = subprocess.run(
        ["node", str(LINTER)],
        input=json.dumps(batch),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    syntax, undefined, deprecated, undeclared = json.loads(done.stdout)
    assert syntax["errors"] and undefined["errors"] and undeclared["errors"]
    assert deprecated["warnings"] and not deprecated["errors"]
